//! A third client kith never wrote, as khard users run it: vdirsyncer (Python's registry;
//! `.ci/run` installs it) syncing a local folder of `.vcf` files with the Radicale address
//! book of [`crate::radicale`]. Tests edit, add and delete files in the folder and
//! `vdirsyncer sync` pushes them, or sync pulls kith's changes into the folder.

use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

use crate::radicale::{BOOK, PASSWORD, Radicale, USER};

pub struct Vdirsyncer {
    dir: TempDir,
}

impl Vdirsyncer {
    /// vdirsyncer set up against `server`'s address book and synced once, or None (the test
    /// skips, or fails under KITH_REQUIRE_TOOLS) when it is not installed.
    pub fn start(server: &Radicale) -> Option<Vdirsyncer> {
        if !crate::common::have(
            "vdirsyncer (pip install vdirsyncer)",
            "vdirsyncer",
            &["--version"],
        ) {
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("cards")).unwrap();
        let config = format!(
            "[general]\nstatus_path = \"{status}\"\n\n\
             [pair book]\na = \"local\"\nb = \"server\"\ncollections = null\n\n\
             [storage local]\ntype = \"filesystem\"\npath = \"{cards}\"\nfileext = \".vcf\"\n\n\
             [storage server]\ntype = \"carddav\"\nurl = \"http://127.0.0.1:{port}/{USER}/{BOOK}/\"\n\
             username = \"{USER}\"\npassword = \"{PASSWORD}\"\n",
            status = root.join("status").display(),
            cards = root.join("cards").display(),
            port = server.port,
        );
        std::fs::write(root.join("config"), config).unwrap();
        let v = Vdirsyncer { dir };
        v.run(&["discover"]);
        v.sync();
        Some(v)
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("vdirsyncer")
            .arg("--config")
            .arg(self.dir.path().join("config"))
            .args(args)
            .env("HOME", self.dir.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run vdirsyncer");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "vdirsyncer {args:?} failed: {text}");
        text
    }

    /// `vdirsyncer sync`: the folder's changes go up, the server's come down.
    pub fn sync(&self) -> String {
        self.run(&["sync"])
    }

    /// The folder vdirsyncer keeps the cards in, one `.vcf` per card.
    pub fn folder(&self) -> PathBuf {
        self.dir.path().join("cards")
    }

    /// Every card in the folder: (file name, text), by name.
    pub fn cards(&self) -> Vec<(String, String)> {
        let mut cards: Vec<(String, String)> = std::fs::read_dir(self.folder())
            .unwrap()
            .filter_map(|e| {
                let e = e.ok()?;
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".vcf")
                    .then(|| Some((name, std::fs::read_to_string(e.path()).ok()?)))?
            })
            .collect();
        cards.sort();
        cards
    }

    /// The file of the one card whose text holds `needle`.
    pub fn file_with(&self, needle: &str) -> PathBuf {
        let found: Vec<String> = self
            .cards()
            .into_iter()
            .filter(|(_, text)| text.contains(needle))
            .map(|(name, _)| name)
            .collect();
        assert_eq!(found.len(), 1, "one card holding {needle}: {found:?}");
        self.folder().join(&found[0])
    }
}
