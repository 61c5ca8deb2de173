//! A vdir export (one .vcf per contact, the layout khard and vdirsyncer keep) that also takes
//! away the cards of contacts no longer exported (deleted, merged away, archived).
//!
//! The directory may hold files kith did not write, named by UID just like kith's, so names
//! cannot say whose a file is. kith therefore keeps a manifest in the directory, [`MANIFEST`]:
//! the name of every file it wrote there and the SHA-256 of the content it wrote, one
//! `<sha256>  <name>` line each (the `sha256sum` format). An export removes a file only when
//! the previous manifest lists it, this export no longer writes it, and it still holds exactly
//! what kith wrote; a listed file changed since by someone else is left in place and reported.
//! Files the manifest does not list are never touched, so a first export into a directory
//! that already holds cards removes nothing.
//!
//! Crash safety: before any card is written, the manifest on disk is extended to list every
//! file (and content) this export may leave, so files written by an export that is then
//! interrupted are still known to the next one; only after the cards are in place and stale
//! ones removed is the manifest rewritten to list exactly what the directory holds of kith's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The manifest's file name: a dotfile, which khard, vdirsyncer and `kith import` skip.
pub const MANIFEST: &str = ".kith-export";

const HEADER: &str = "# kith: the vCard files `kith export` wrote to this directory, with the \
SHA-256 of each as written. The next export removes a listed file whose contact is no longer \
exported, unless the file was changed since; files not listed here are never touched.\n";

/// What an export did to the directory.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Cards whose file was (re)written.
    pub written: usize,
    /// Cards whose file already held exactly that text.
    pub unchanged: usize,
    /// Files of contacts no longer exported, removed.
    pub removed: Vec<String>,
    /// Files of contacts no longer exported, left in place because their content is no
    /// longer what kith wrote; they are dropped from the manifest and are someone else's now.
    pub kept_changed: Vec<String>,
    /// Files that should have been removed but could not be, with why; still listed, so the
    /// next export tries again.
    pub not_removed: Vec<(String, std::io::Error)>,
    /// Lines of the previous manifest that kith did not write (line number, text), ignored.
    pub ignored_lines: Vec<(usize, String)>,
}

/// The file name of a contact's card: its UID with anything but ASCII letters, digits and
/// `-_.@` replaced by `_`, so a UID can never name a path outside the directory.
pub fn file_name(uid: &str) -> String {
    let stem: String = uid
        .chars()
        .map(|ch| if is_name_char(ch) { ch } else { '_' })
        .collect();
    format!("{stem}.vcf")
}

fn is_name_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "-_.@".contains(ch)
}

/// True for a name [`file_name`] can produce: what a manifest line may name. Anything else
/// (a path, `..`, the manifest itself) is refused, so an edited manifest cannot make kith
/// remove a file elsewhere.
fn is_card_name(name: &str) -> bool {
    name.len() > ".vcf".len() && name.ends_with(".vcf") && name.chars().all(is_name_char)
}

fn sha256_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    hex
}

/// File name → the hashes of the contents kith wrote under it (more than one only after an
/// interrupted export).
type Listing = BTreeMap<String, BTreeSet<String>>;

/// Parse a manifest; lines that are neither comments nor `<sha256>  <card name>` are returned
/// for a warning and otherwise ignored.
fn parse(text: &str) -> (Listing, Vec<(usize, String)>) {
    let mut listing = Listing::new();
    let mut ignored = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once("  ").filter(|(hash, name)| {
            hash.len() == 64
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && is_card_name(name)
        });
        match parsed {
            Some((hash, name)) => {
                listing
                    .entry(name.to_string())
                    .or_default()
                    .insert(hash.to_string());
            }
            None => ignored.push((i + 1, line.to_string())),
        }
    }
    (listing, ignored)
}

fn render(listing: &Listing) -> String {
    let mut text = String::from(HEADER);
    for (name, hashes) in listing {
        for hash in hashes {
            text.push_str(hash);
            text.push_str("  ");
            text.push_str(name);
            text.push('\n');
        }
    }
    text
}

/// Write `cards` (file name, text) into `dir`, each atomically, leaving unchanged files
/// untouched, then remove the files of the previous export that this one no longer writes
/// (see the module documentation for which). `dir` must exist.
pub fn export(dir: &Path, cards: &[(String, String)]) -> Result<Outcome> {
    let manifest_path = dir.join(MANIFEST);
    let old_text = match fs::read(&manifest_path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&manifest_path, e)),
    };
    let (previous, ignored_lines) = parse(&old_text);

    // The last card of a name wins, as it does on disk.
    let mut current = Listing::new();
    for (name, text) in cards {
        current.insert(name.clone(), BTreeSet::from([sha256_hex(text.as_bytes())]));
    }

    // Before any card lands, list everything this export may leave behind.
    let all_known = current
        .iter()
        .all(|(name, hashes)| previous.get(name).is_some_and(|p| p.is_superset(hashes)));
    let mut on_disk = old_text;
    if !all_known {
        let mut union = previous.clone();
        for (name, hashes) in &current {
            union
                .entry(name.clone())
                .or_default()
                .extend(hashes.iter().cloned());
        }
        on_disk = render(&union);
        crate::fsx::write_atomic(&manifest_path, on_disk.as_bytes())?;
    }

    let written = crate::fsx::write_atomic_batch(
        dir,
        cards
            .iter()
            .map(|(name, text)| (name.clone(), text.as_bytes())),
    )?;
    let mut outcome = Outcome {
        written,
        unchanged: cards.len() - written,
        ignored_lines,
        ..Outcome::default()
    };

    let mut listing = current;
    for (name, hashes) in previous {
        if listing.contains_key(&name) {
            continue;
        }
        match remove_if_ours(&dir.join(&name), &hashes) {
            Ok(Removal::Removed) => outcome.removed.push(name),
            Ok(Removal::Gone) => {}
            Ok(Removal::Changed) => outcome.kept_changed.push(name),
            Err(e) => {
                outcome.not_removed.push((name.clone(), e));
                listing.insert(name, hashes);
            }
        }
    }

    let new_text = render(&listing);
    if new_text != on_disk {
        // Also makes the removals above durable: it syncs the directory.
        crate::fsx::write_atomic(&manifest_path, new_text.as_bytes())?;
    }
    Ok(outcome)
}

enum Removal {
    Removed,
    /// Already gone (removed by the user or a sync tool): nothing to do.
    Gone,
    /// No longer what kith wrote (edited, or replaced by something other than a plain file).
    Changed,
}

fn remove_if_ours(path: &Path, hashes: &BTreeSet<String>) -> std::io::Result<Removal> {
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    match fs::symlink_metadata(path) {
        Err(e) if gone(&e) => return Ok(Removal::Gone),
        Err(e) => return Err(e),
        Ok(meta) if !meta.file_type().is_file() => return Ok(Removal::Changed),
        Ok(_) => {}
    }
    let content = match fs::read(path) {
        Err(e) if gone(&e) => return Ok(Removal::Gone),
        other => other?,
    };
    if !hashes.contains(&sha256_hex(&content)) {
        return Ok(Removal::Changed);
    }
    match fs::remove_file(path) {
        Err(e) if gone(&e) => Ok(Removal::Gone),
        Err(e) => Err(e),
        Ok(()) => Ok(Removal::Removed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_it_lists() {
        let mut listing = Listing::new();
        listing.insert(
            "a@b.vcf".into(),
            BTreeSet::from([sha256_hex(b"one"), sha256_hex(b"two")]),
        );
        listing.insert("x.vcf".into(), BTreeSet::from([sha256_hex(b"")]));
        let (parsed, ignored) = parse(&render(&listing));
        assert_eq!(parsed, listing);
        assert!(ignored.is_empty());
    }

    #[test]
    fn a_manifest_cannot_name_a_file_outside_the_directory_or_not_a_card() {
        let hash = sha256_hex(b"x");
        let text = format!(
            "{hash}  ../escape.vcf\n{hash}  /etc/passwd\n{hash}  .kith-export\n{hash}  notes.txt\n{hash}  .vcf\nnot a line\n{hash} one-space.vcf\n{hash}  fine.vcf\n"
        );
        let (parsed, ignored) = parse(&text);
        assert_eq!(parsed.keys().collect::<Vec<_>>(), ["fine.vcf"]);
        assert_eq!(
            ignored.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
    }

    #[test]
    fn file_names_keep_to_the_safe_characters() {
        assert_eq!(file_name("urn:uuid:1/2 3"), "urn_uuid_1_2_3.vcf");
        assert!(is_card_name(&file_name("../../etc")));
        assert_eq!(sha256_hex(b"abc").len(), 64);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
