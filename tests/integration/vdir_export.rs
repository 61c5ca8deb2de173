//! A vdir export kept in step with the book: the card of a contact merged away, deleted or
//! archived leaves the directory on the next export, while files kith did not write, and
//! kith's own files changed since by someone else, stay. khard (where installed) reads the
//! directory, manifest and all, and lists exactly the people who are left.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Env, kith_process, run_unprivileged};

const MANIFEST: &str = ".kith-export";

const FOREIGN: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-only-1\r\nFN:Phone Only Person\r\nEMAIL:phone@example.com\r\nEND:VCARD\r\n";

fn vdir(env: &Env) -> PathBuf {
    env.dir.path().join("contacts")
}

/// `kith export --format vcard --out DIR/`, expecting success; its stderr.
fn export(env: &Env) -> String {
    let out = env
        .kith()
        .args(["export", "--format", "vcard", "--out"])
        .arg(format!("{}/", vdir(env).display()))
        .output()
        .expect("run kith export");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "export failed: {stderr}");
    stderr
}

/// Every file in `dir` (name → content), the manifest included.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

fn uid_of(env: &Env, who: &str) -> String {
    env.json(&["show", who])["contact"]["uid"]
        .as_str()
        .expect("show --json has a uid")
        .to_string()
}

/// The UIDs of the cards in `dir` as khard lists them, or None where khard is not installed.
fn khard_uids(dir: &Path, scratch: &Path) -> Option<Vec<String>> {
    if !crate::common::have("khard", "khard", &["--version"]) {
        return None;
    }
    std::fs::create_dir_all(scratch).unwrap();
    let config = scratch.join("khard.conf");
    std::fs::write(
        &config,
        format!("[addressbooks]\n[[kith]]\npath = {}\n", dir.display()),
    )
    .unwrap();
    let out = Command::new("khard")
        .env("HOME", scratch)
        .env("LC_ALL", "C.UTF-8")
        .arg("-c")
        .arg(&config)
        .args(["list", "--parsable", "-F", "uid"])
        .output()
        .expect("run khard");
    assert!(
        out.status.success(),
        "khard list failed on the exported vdir:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut uids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    uids.sort();
    Some(uids)
}

#[test]
fn a_merged_away_contact_leaves_the_vdir_and_khard_no_longer_lists_them() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    env.ok(&[
        "add",
        "Ada King",
        "--email",
        "ada@example.com",
        "--phone",
        "+44 20 7946 0001",
    ]);
    env.ok(&["add", "Grace Hopper"]);
    let (ada, king, grace) = (
        uid_of(&env, "Ada Lovelace"),
        uid_of(&env, "Ada King"),
        uid_of(&env, "Grace"),
    );
    // vdirsyncer put a card from the phone here before kith's first export.
    let dir = vdir(&env);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("phone-only-1.vcf"), FOREIGN).unwrap();

    let note = export(&env);
    assert!(note.contains("wrote 3 vCards to"), "{note}");
    assert!(dir.join(format!("{king}.vcf")).exists());

    env.ok(&["merge", "Ada Lovelace", "Ada King"]);
    let note = export(&env);
    // Ada's card gained King's phone; King's card is gone; Grace's is untouched.
    assert!(
        note.contains("wrote 1 vCard to") && note.contains("(1 unchanged, 1 removed)"),
        "{note}"
    );
    assert!(!note.contains("warning"), "{note}");
    let after = files(&dir);
    let names: Vec<&str> = after.keys().map(String::as_str).collect();
    let (ada_file, grace_file) = (format!("{ada}.vcf"), format!("{grace}.vcf"));
    let mut expected = vec![MANIFEST, "phone-only-1.vcf", &ada_file, &grace_file];
    expected.sort();
    assert_eq!(names, expected);
    assert!(after[&ada_file].contains("+44 20 7946 0001"));
    assert_eq!(
        after["phone-only-1.vcf"], FOREIGN,
        "a foreign card is never touched"
    );

    if let Some(uids) = khard_uids(&dir, &env.dir.path().join("khard")) {
        let mut expected = vec![ada.clone(), grace.clone(), "phone-only-1".to_string()];
        expected.sort();
        assert_eq!(
            uids, expected,
            "khard lists who is left, and skips the manifest"
        );
    }

    // Nothing changed since: nothing is written or removed, the manifest included.
    let note = export(&env);
    assert!(
        note.contains("wrote 0 vCards to") && note.contains("(2 unchanged)"),
        "{note}"
    );
    assert_eq!(files(&dir), after);
}

#[test]
fn deleted_and_archived_contacts_leave_and_a_restored_one_comes_back() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    env.ok(&["add", "Alan Turing"]);
    let (grace, alan) = (uid_of(&env, "Grace"), uid_of(&env, "Alan"));
    export(&env);
    let dir = vdir(&env);

    env.ok(&["rm", "Grace"]);
    env.ok(&["rm", "Alan", "--purge", "--yes"]);
    let note = export(&env);
    assert!(note.contains("(1 unchanged, 2 removed)"), "{note}");
    assert!(!dir.join(format!("{grace}.vcf")).exists());
    assert!(!dir.join(format!("{alan}.vcf")).exists());

    env.ok(&["restore", "Grace"]);
    let note = export(&env);
    assert!(
        note.contains("wrote 1 vCard to") && note.contains("(1 unchanged)"),
        "{note}"
    );
    assert!(dir.join(format!("{grace}.vcf")).exists());
}

#[test]
fn a_first_export_into_a_directory_of_other_cards_removes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let dir = vdir(&env);
    std::fs::create_dir_all(&dir).unwrap();
    // Cards from another tool and an older kith export that kept no manifest: same naming.
    let old_kith_card =
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:0b7e-old\r\nFN:Gone Since\r\nEND:VCARD\r\n";
    std::fs::write(dir.join("0b7e-old.vcf"), old_kith_card).unwrap();
    std::fs::write(dir.join("phone-only-1.vcf"), FOREIGN).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();

    for _ in 0..2 {
        let note = export(&env);
        assert!(!note.contains("removed"), "{note}");
        let now = files(&dir);
        assert_eq!(now["0b7e-old.vcf"], old_kith_card);
        assert_eq!(now["phone-only-1.vcf"], FOREIGN);
        assert_eq!(now["notes.txt"], "mine");
    }
    // Deleting a contact takes away kith's card and only that.
    env.ok(&["rm", "Ada", "--purge", "--yes"]);
    let note = export(&env);
    assert!(note.contains("(0 unchanged, 1 removed)"), "{note}");
    let names: Vec<String> = files(&dir).into_keys().collect();
    assert_eq!(
        names,
        [MANIFEST, "0b7e-old.vcf", "notes.txt", "phone-only-1.vcf"]
    );
}

#[test]
fn a_card_changed_since_kith_wrote_it_is_kept_with_a_warning() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    let grace = uid_of(&env, "Grace");
    export(&env);
    let dir = vdir(&env);
    let card = dir.join(format!("{grace}.vcf"));
    // The phone added a number; vdirsyncer wrote it back into kith's file.
    let edited = std::fs::read_to_string(&card)
        .unwrap()
        .replace("END:VCARD", "TEL:+1 555 0100\r\nEND:VCARD");
    std::fs::write(&card, &edited).unwrap();

    env.ok(&["rm", "Grace", "--purge", "--yes"]);
    let note = export(&env);
    assert!(
        note.contains(&format!(
            "warning: left {} in place: its contact is no longer exported, but the file was changed since kith wrote it",
            card.display()
        )),
        "{note}"
    );
    assert!(!note.contains("removed"), "{note}");
    assert_eq!(std::fs::read_to_string(&card).unwrap(), edited);

    // From now on it is someone else's file: no more warnings, never removed.
    let note = export(&env);
    assert!(!note.contains("warning"), "{note}");
    assert_eq!(std::fs::read_to_string(&card).unwrap(), edited);
    assert!(!files(&dir)[MANIFEST].contains(&format!("{grace}.vcf")));
}

#[test]
fn a_card_removed_by_hand_or_replaced_by_a_link_is_not_an_error() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    env.ok(&["add", "Alan Turing"]);
    let (ada, grace) = (uid_of(&env, "Ada"), uid_of(&env, "Grace"));
    export(&env);
    let dir = vdir(&env);
    std::fs::remove_file(dir.join(format!("{grace}.vcf"))).unwrap();
    // A symbolic link in place of kith's file, pointing at a byte-identical copy elsewhere:
    // it is not the file kith wrote, so neither it nor its target is removed.
    let elsewhere = env.dir.path().join("ada-copy.vcf");
    std::fs::copy(dir.join(format!("{ada}.vcf")), &elsewhere).unwrap();
    std::fs::remove_file(dir.join(format!("{ada}.vcf"))).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join(format!("{ada}.vcf"))).unwrap();

    env.ok(&["rm", "Grace", "--purge", "--yes"]);
    env.ok(&["rm", "Ada", "--purge", "--yes"]);
    let note = export(&env);
    assert!(note.contains("(1 unchanged)"), "{note}");
    assert!(
        note.contains("warning: left") && note.contains(&format!("{ada}.vcf")),
        "{note}"
    );
    assert!(elsewhere.exists());
    assert!(
        dir.join(format!("{ada}.vcf"))
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_edited_manifest_cannot_make_kith_remove_a_file_elsewhere() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    export(&env);
    let dir = vdir(&env);
    let outside = env.dir.path().join("precious.vcf");
    std::fs::write(&outside, "precious").unwrap();
    // The SHA-256 of "precious", listed under a name outside the directory.
    let hash = "157fc55121ab2c59852c35d78aca98d840047e5d9668c423e4d3b146e1577901";
    let manifest = dir.join(MANIFEST);
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(&format!("{hash}  ../precious.vcf\n"));
    std::fs::write(&manifest, text).unwrap();

    let note = export(&env);
    assert!(
        note.contains(&format!(
            "warning: {}:3: not a line kith writes, ignored: ",
            manifest.display()
        )),
        "{note}"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
    assert!(
        !std::fs::read_to_string(&manifest)
            .unwrap()
            .contains("precious")
    );
}

#[test]
fn the_manifest_is_a_dotfile_that_import_and_sha256sum_agree_with() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    env.ok(&["add", "Grace Hopper"]);
    export(&env);
    let dir = vdir(&env);
    let manifest = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
    assert!(manifest.starts_with("# kith: "), "{manifest}");
    let mode = std::fs::metadata(dir.join(MANIFEST))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    // Importing the directory reads the two cards and nothing else.
    let other = Env::new();
    let note = other.ok(&["import", dir.to_str().unwrap()]);
    assert!(note.contains("2 new"), "{note}");

    // The lines are in `sha256sum` format: the listed files hold what kith wrote.
    if crate::common::have("sha256sum", "sha256sum", &["--version"]) {
        let out = Command::new("sha256sum")
            .args(["--check", "--strict", MANIFEST])
            .current_dir(&dir)
            .output()
            .expect("run sha256sum");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Make the database and everything in `dir` readable by all, and `dir` itself writable by no
/// one: an unprivileged user (who runs kith when the tests run as root) then sees what the
/// owner of a read-only directory would.
fn make_read_only(env: &Env, dir: &Path) {
    set_mode(env.dir.path(), 0o755);
    set_mode(env.db.parent().unwrap(), 0o755);
    set_mode(&env.db, 0o644);
    for name in files(dir).keys() {
        set_mode(&dir.join(name), 0o644);
    }
    set_mode(dir, 0o555);
}

#[test]
fn an_unwritable_directory_fails_the_export_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Ada King", "--phone", "+44 20 7946 0001"]);
    env.ok(&["add", "Grace Hopper"]);
    export(&env);
    let dir = vdir(&env);
    env.ok(&["merge", "Ada Lovelace", "Ada King"]);
    let before = files(&dir);
    make_read_only(&env, &dir);
    let out_arg = format!("{}/", dir.display());
    let args = ["export", "--format", "vcard", "--out", &out_arg];
    let Some(out) = run_unprivileged(&env, &args) else {
        set_mode(&dir, 0o700);
        return;
    };
    set_mode(&dir, 0o700);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(err.contains(&dir.display().to_string()), "{err}");
    assert_eq!(files(&dir), before, "nothing in the directory changed");

    // Once it is writable again, the same export does it all.
    let note = export(&env);
    assert!(
        note.contains("wrote 1 vCard to") && note.contains("1 removed"),
        "{note}"
    );
}

#[test]
fn a_stale_card_that_cannot_be_removed_fails_the_export_and_is_retried() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    let grace = uid_of(&env, "Grace");
    export(&env);
    let dir = vdir(&env);
    env.ok(&["rm", "Grace"]);
    let out_arg = format!("{}/", dir.display());
    let args = ["export", "--format", "vcard", "--out", &out_arg];
    // Every card is current, so only the removal needs a writable directory.
    make_read_only(&env, &dir);
    let Some(out) = run_unprivileged(&env, &args) else {
        set_mode(&dir, 0o700);
        return;
    };
    set_mode(&dir, 0o700);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(
        err.contains(&format!("{grace}.vcf: could not remove this card")),
        "{err}"
    );
    assert!(dir.join(format!("{grace}.vcf")).exists());

    let note = export(&env);
    assert!(note.contains("1 removed"), "{note}");
    assert!(!dir.join(format!("{grace}.vcf")).exists());
}

/// `count` people with UIDs `{prefix}-{i}`, as one vCard file to import.
fn people_file(env: &Env, prefix: &str, count: usize) -> PathBuf {
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{prefix}-{i}\r\nFN:{prefix} Person {i}\r\nEMAIL:{prefix}{i}@example.com\r\nEND:VCARD\r\n"
        ));
    }
    let path = env.dir.path().join(format!("{prefix}.vcf"));
    std::fs::write(&path, text).unwrap();
    path
}

/// The names the manifest in `dir` lists.
fn listed(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once("  ").map(|(_, name)| name.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_export_killed_midway_leaves_no_card_a_later_export_cannot_take_away() {
    let env = Env::new();
    let book = people_file(&env, "old", 150);
    env.ok(&["import", book.to_str().unwrap()]);
    let dir = vdir(&env);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("phone-only-1.vcf"), FOREIGN).unwrap();
    let out_arg = format!("{}/", dir.display());
    let args = ["export", "--format", "vcard", "--out", &out_arg];

    let started = std::time::Instant::now();
    export(&env);
    let full = started.elapsed();
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("phone-only-1.vcf"), FOREIGN).unwrap();

    let seed = 0x6b69_7468;
    let mut rng = crate::common::Lcg(seed);
    for round in 0..10 {
        // vCard 3.0 and 4.0 in turn, so every card changes and each export rewrites them all.
        let version = if round % 2 == 0 { "3" } else { "4" };
        let mut child = kith_process(&env)
            .args(args)
            .args(["--vcard-version", version])
            .spawn()
            .unwrap();
        let wait = rng.next(full.as_micros().max(1) as u64);
        std::thread::sleep(std::time::Duration::from_micros(wait));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Every card kith may have put there is listed, whenever the kill came.
        let names = listed(&dir);
        for name in files(&dir).into_keys() {
            if name.ends_with(".vcf") && name != "phone-only-1.vcf" {
                assert!(
                    names.contains(&name),
                    "seed {seed:#x} round {round}: {name} is not listed"
                );
            }
        }
    }

    // Another book exported into the same directory takes every one of those cards away.
    let other = Env::new();
    let book = people_file(&other, "new", 1);
    other.ok(&["import", book.to_str().unwrap()]);
    let out = other.kith().args(args).output().unwrap();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !note.contains("warning"), "{note}");
    let cards: Vec<String> = files(&dir)
        .into_keys()
        .filter(|n| n.ends_with(".vcf"))
        .collect();
    assert_eq!(cards, ["new-0.vcf", "phone-only-1.vcf"], "seed {seed:#x}");
}

/// Without --format, `--out`'s name says what to write, as `kith import` reads a file by its
/// name; --format still wins, and a name that says nothing gets kith's own JSON.
#[test]
fn export_writes_what_the_out_files_name_says() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    let begins = |name: &str, extra: &[&str]| -> String {
        let path = env.dir.path().join(name);
        let mut args = vec!["export", "--out", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        env.ok(&args);
        let text = std::fs::read_to_string(&path).unwrap();
        text.lines().next().unwrap_or_default().to_string()
    };
    assert_eq!(begins("book.vcf", &[]), "BEGIN:VCARD");
    assert_eq!(begins("BOOK.VCF", &[]), "BEGIN:VCARD");
    assert!(begins("book.csv", &[]).starts_with("uid,display_name"));
    assert_eq!(begins("book.ics", &[]), "BEGIN:VCALENDAR");
    assert!(begins("book.jsonl", &[]).starts_with("{\"type\":"));
    assert_eq!(begins("book.json", &[]), "{");
    assert_eq!(begins("book.backup", &[]), "{");
    assert_eq!(begins("forced.vcf", &["--format", "json"]), "{");
    // A round trip through the name alone.
    let fresh = Env::new();
    let vcf = env.dir.path().join("book.vcf");
    fresh.ok(&["import", vcf.to_str().unwrap()]);
    assert!(fresh.ok(&["show", "ada"]).starts_with("Ada Lovelace"));
}
