//! Benchmarks for the health budgets (docs/PERFORMANCE.md):
//! - `health_all`: what `kith health` does after start-up: open, score every active contact
//!   (one pass over their interactions), rank, render the table (≤ 300 ms at 100k × 10);
//! - `health_in_show`: what health adds to `kith show`: one contact's interactions and
//!   follow-ups read and scored, with the 12-month rhythm (≤ 2 ms).
//!
//! `cargo bench --bench health`. The books are the search benches' (seed 42, 10 interactions
//! a contact, cached under `target/bench-data/`).

use kith::agenda::cadence_of;
use kith::app::views::health;
use kith::clock::Clock;
use kith::output::Painter;
use kith::store::contacts::ContactFilter;
use kith::store::{OpenMode, Store, contacts, tag_cadences};

#[path = "support/bench_data.rs"]
mod bench_data;
#[path = "support/generate.rs"]
mod generate;
use bench_data::database;

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn main() {
    divan::main();
}

/// `kith health` minus process start and printing.
#[divan::bench(args = SIZES, sample_count = 10)]
fn health_all(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let clock = Clock::from_env().expect("clock");
    bencher.bench(|| {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let mut list =
            health::of_contacts(&store, &ContactFilter::default(), clock.now).expect("health");
        drop(store);
        health::rank(&mut list);
        kith::output::health::health_table(&list, None, Painter::plain())
    });
}

/// What `kith show` pays for health: the brief has read the contact and their cadence; this
/// reads their interactions and follow-ups and scores them (`health::of_loaded`).
#[divan::bench(args = SIZES, sample_count = 50)]
fn health_in_show(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let clock = Clock::from_env().expect("clock");
    let store = Store::open(&path, OpenMode::MustExist).expect("open");
    let contact = contacts::get(store.conn(), n as i64 / 2).expect("a contact");
    let cadences = tag_cadences::list(store.conn()).expect("tag cadences");
    let cadence = cadence_of(contact.fields.cadence, &contact.fields.tags, &cadences);
    bencher.bench_local(|| {
        health::of_loaded(&store, &contact, cadence.as_ref(), clock.now).expect("health")
    });
}
