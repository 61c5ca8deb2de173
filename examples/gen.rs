//! A deterministic address book for benchmarks and search-quality checks.
//!
//! ```text
//! cargo run --release --example gen -- --contacts 100000 --interactions 10 --db /tmp/kith-100k.db
//! ```
//! The same arguments (and `--seed`) always give the same contacts. The generator itself is
//! in `benches/support/generate.rs`, shared with the benches.
//!
//! `--org-size N` then makes the first organization one of exactly N people (the first N
//! contacts; anyone else there moves to the second), for `kith org show` at that size. The
//! rest of the book is the same as without it.

use std::path::PathBuf;

#[path = "../benches/support/generate.rs"]
mod generate;

struct Args {
    contacts: usize,
    interactions: usize,
    db: PathBuf,
    seed: u64,
    org_size: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        contacts: 1000,
        interactions: 10,
        db: PathBuf::from("kith-bench.db"),
        seed: 42,
        org_size: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--contacts" => {
                args.contacts = value()?.parse().map_err(|e| format!("--contacts: {e}"))?
            }
            "--interactions" => {
                args.interactions = value()?
                    .parse()
                    .map_err(|e| format!("--interactions: {e}"))?
            }
            "--db" => args.db = PathBuf::from(value()?),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--org-size" => {
                args.org_size = Some(value()?.parse().map_err(|e| format!("--org-size: {e}"))?)
            }
            "-h" | "--help" => {
                return Err(
                    "usage: gen [--contacts N] [--interactions M] [--db PATH] [--seed S] [--org-size N]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen: {e}");
            std::process::exit(2);
        }
    };
    if args.db.exists() {
        eprintln!("gen: {} already exists; remove it first", args.db.display());
        std::process::exit(2);
    }
    let started = std::time::Instant::now();
    if let Err(e) = generate::generate(&args.db, args.contacts, args.interactions, args.seed) {
        eprintln!("gen: {e}");
        std::process::exit(1);
    }
    if let Some(size) = args.org_size
        && let Err(e) = generate::one_organization_of(&args.db, size)
    {
        eprintln!("gen: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "gen: {} contacts, {} interactions each, in {:.1?} → {}",
        args.contacts,
        args.interactions,
        started.elapsed(),
        args.db.display()
    );
}
