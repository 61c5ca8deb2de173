//! Files written so that a crash never leaves half of one: a temporary file in the same
//! directory, written, synced, renamed over the target, and the directory synced. Exports are
//! personal data, so the file is readable by its owner only (0600).

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

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
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".kith-tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        // The rename itself is durable only once the directory is synced.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
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
    let pid = std::process::id();
    let mut pending: Vec<(PathBuf, PathBuf)> = Vec::new();
    let clean_up = |pending: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in pending {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, bytes) in files {
        let path = dir.join(&name);
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            continue;
        }
        let tmp = dir.join(format!(".{name}.kith-tmp-{pid}"));
        let written = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| f.write_all(bytes));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            clean_up(&pending);
            return Err(Error::io(&path, e));
        }
        pending.push((tmp, path));
    }
    if pending.is_empty() {
        return Ok(0);
    }
    if let Err(e) = sync_filesystem(dir) {
        clean_up(&pending);
        return Err(Error::io(dir, e));
    }
    for (i, (tmp, path)) in pending.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, path) {
            clean_up(&pending[i..]);
            return Err(Error::io(path, e));
        }
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(pending.len())
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

    #[test]
    fn refuses_a_pipe_and_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("no mkfifo here; skipped");
            return;
        }
        let err = super::write_atomic(&fifo, b"new").unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
