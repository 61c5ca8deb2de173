//! The benches' address books: generated once per size (seed 42, 10 interactions a contact,
//! the same book as `examples/gen.rs`) and cached under `target/bench-data/`.

use std::path::PathBuf;

use crate::generate;

/// The database for `n` contacts, generated on first use.
pub fn database(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join(format!("contacts-{n}-x10.db"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("create target/bench-data");
        let partial = dir.join(format!("contacts-{n}-x10.db.partial"));
        let _ = std::fs::remove_file(&partial);
        generate::generate(&partial, n, 10, 42).expect("generate the bench database");
        std::fs::rename(&partial, &path).expect("move the bench database in place");
    }
    path
}
