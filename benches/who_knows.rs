//! Benchmarks for the who-knows and account budgets (docs/PERFORMANCE.md):
//! - `who_knows_person`: `kith who-knows PERSON` minus process start and printing: resolve
//!   the name, gather the edges around them, score whom I know, search, render;
//! - `who_knows_organization`: the same for an organization (its people, then two hops);
//! - `org_show`: `kith org show` with its people's health rolled up and its rhythm.
//!
//! `cargo bench --bench who_knows`. The books are those of `benches/search.rs` (generated
//! on first use, the same as `examples/gen.rs` with 10 interactions a contact, cached under
//! `target/bench-data/`): at 100k contacts, 1M interactions.

use kith::app::views;
use kith::app::views::who_knows::{DEFAULT_PATHS, resolve, who_knows};
use kith::clock::Clock;
use kith::output::Painter;
use kith::store::{OpenMode, Store};

#[path = "support/bench_data.rs"]
mod bench_data;
#[path = "support/generate.rs"]
mod generate;
use bench_data::database;

const SIZES: &[usize] = &[10_000, 100_000];

fn main() {
    divan::main();
}

fn clock() -> Clock {
    Clock::fixed(generate::epoch())
}

/// The display name of contact `id` (a name, fuzzy-resolved as the command does).
fn name_of(path: &std::path::Path, table: &str, id: i64) -> String {
    let store = Store::open(path, OpenMode::MustExist).expect("open");
    let column = if table == "contacts" {
        "display_name"
    } else {
        "name"
    };
    store
        .conn()
        .query_row(
            &format!("SELECT {column} FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .expect("a record")
}

fn run(path: &std::path::Path, query: &str, organization: bool) -> String {
    let store = Store::open(path, OpenMode::MustExist).expect("open");
    // A name shared by several people is ambiguous: that answer is the work then.
    let Ok(found) = resolve(&store, query, organization) else {
        return String::new();
    };
    let view = who_knows(&store, &found.target, clock(), DEFAULT_PATHS).expect("who-knows");
    kith::output::network::render(&view, Painter::plain(), Some(80), clock().today())
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn who_knows_person(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let who = format!("#{}", n / 2);
    bencher.bench(|| run(&path, &who, false));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn who_knows_organization(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let org = name_of(&path, "organizations", 7);
    bencher.bench(|| run(&path, &org, true));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn org_show(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    bencher.bench(|| {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let brief =
            views::org_brief(&store, 7, clock(), Some(20), views::Detail::Complete).expect("brief");
        kith::output::brief::render_org(&brief, Painter::plain(), Some(80), false)
    });
}
