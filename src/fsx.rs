//! Files written so that a crash never leaves half of one: a temporary file in the same
//! directory, written, synced, renamed over the target, and the directory synced. Exports are
//! personal data, so the file is readable by its owner only (0600). Temporary files get
//! unpredictable names and are created exclusively (the `tempfile` crate), so nothing planted
//! beside the target (a symbolic link, say) can redirect the write.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

use crate::error::{Error, Result};

/// The file that writing to `path` replaces: `path` itself, or the file a symbolic link
/// points to (a link into a synced folder must keep pointing at fresh content, not be
/// replaced by a file of its own). A device, pipe or socket is refused: replacing it whole
/// would destroy it, and writing into it could not be atomic.
fn regular_target(path: &Path) -> Result<PathBuf> {
    let not_regular = || {
        Error::io(
            path,
            std::io::Error::other(
                "is not a regular file; kith replaces a file whole, so it writes only regular \
                 files (leave out --out and redirect: `> PATH`)",
            ),
        )
    };
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(Error::io(path, e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
            match fs::metadata(&target) {
                Ok(meta) if meta.is_file() => Ok(target),
                _ => Err(not_regular()),
            }
        }
        Ok(meta) if meta.is_file() => Ok(path.to_path_buf()),
        Ok(_) => Err(not_regular()),
    }
}

/// A new, empty, private (0600) file with an unpredictable name beside the file `name` in
/// `dir`, created exclusively; it is removed again unless persisted. Its errors say what is
/// wrong with `dir` rather than name the temporary file, which the person never asked for.
fn private_temp_beside(dir: &Path, name: &std::ffi::OsStr) -> std::io::Result<NamedTempFile> {
    use std::io::{Error, ErrorKind};
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".kith-tmp-");
    tempfile::Builder::new()
        .prefix(&prefix)
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => Error::new(
                ErrorKind::NotFound,
                format!("there is no directory {}", dir.display()),
            ),
            ErrorKind::PermissionDenied => Error::new(
                ErrorKind::PermissionDenied,
                format!("no permission to write in {}", dir.display()),
            ),
            _ => e,
        })
}

/// Write `bytes` to `path` atomically, mode 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = regular_target(path)?;
    let path = target.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::io(path, std::io::Error::other("not a file name")))?;
    // On any error the temporary file is dropped, which removes it.
    let result = (|| -> std::io::Result<()> {
        let mut tmp = private_temp_beside(&dir, name)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        // The rename itself is durable only once the directory is synced.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| Error::io(path, e))
}

/// Write many files into `dir` at once (a vdir export), each atomically: every file goes to
/// a temporary name first, the data is made durable with one filesystem sync for the lot
/// (one fsync per file made a 100k-contact export take minutes), then each is renamed into
/// place and the directory synced once. A file whose content is already exactly what would
/// be written is left alone, so sync tools see only real changes. Returns how many files
/// were written.
pub fn write_atomic_batch<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Result<usize> {
    // Closed temporary files (a 100k export cannot hold a descriptor each), removed when
    // dropped unless persisted: an early return cleans up whatever is still pending.
    let mut pending: Vec<(TempPath, PathBuf)> = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(&name);
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            continue;
        }
        let written = private_temp_beside(dir, std::ffi::OsStr::new(&name)).and_then(|mut tmp| {
            tmp.write_all(bytes)?;
            Ok(tmp.into_temp_path())
        });
        match written {
            Ok(tmp) => pending.push((tmp, path)),
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    if pending.is_empty() {
        return Ok(0);
    }
    sync_filesystem(dir).map_err(|e| Error::io(dir, e))?;
    let count = pending.len();
    for (tmp, path) in pending {
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(count)
}

/// Flush every written file on the filesystem holding `dir` to disk (Linux `syncfs`).
fn sync_filesystem(dir: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let d = fs::File::open(dir)?;
    // SAFETY: syncfs only reads the descriptor, which `d` keeps open for the call.
    if unsafe { libc::syncfs(d.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replaces_the_file_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        super::write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_through_a_symbolic_link_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        super::write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    /// Before temporary names were unpredictable, a link planted at `.NAME.kith-tmp-PID`
    /// beside the target made kith write through it into the file it pointed to.
    #[test]
    fn a_link_planted_at_a_temporary_name_cannot_redirect_the_write() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let pid = std::process::id();
        for name in ["export.json", "a.vcf"] {
            let planted = out.join(format!(".{name}.kith-tmp-{pid}"));
            std::os::unix::fs::symlink(&victim, &planted).unwrap();
        }
        super::write_atomic(&out.join("export.json"), b"new").unwrap();
        let batch = [("a.vcf".to_string(), &b"card"[..])];
        assert_eq!(super::write_atomic_batch(&out, batch).unwrap(), 1);

        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(
            std::fs::read_to_string(out.join("export.json")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_to_string(out.join("a.vcf")).unwrap(), "card");
        for name in ["export.json", "a.vcf"] {
            let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
            assert!(meta.file_type().is_file(), "{name} is not a plain file");
            assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
        }
        // The planted links are left as they were; no temporary file is left behind.
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 4);
    }

    #[test]
    fn a_failed_batch_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // The second file's name is a directory: it cannot be replaced by a file.
        std::fs::create_dir(dir.path().join("b.vcf")).unwrap();
        std::fs::write(dir.path().join("b.vcf").join("keep"), "x").unwrap();
        let batch = [
            ("a.vcf".to_string(), &b"one"[..]),
            ("b.vcf".to_string(), &b"two"[..]),
        ];
        assert!(super::write_atomic_batch(dir.path(), batch).is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("kith-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn refuses_a_pipe_and_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path, which lives across the call.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
        let err = super::write_atomic(&fifo, b"new").unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
