//! Benchmarks for the search and brief budgets (docs/PERFORMANCE.md):
//! - `filter`: the in-process filter step (what the interactive mode pays per keystroke),
//!   fresh and narrowing as the query grows, on 1k, 10k and 100k contacts;
//! - `find`: what `kith find` does after start-up: load the search rows, build, query;
//! - `show`: what `kith show` does: resolve a name, build the brief (`app::views`), render it;
//! - `today`: what `kith today` and the interactive Agenda do: build the agenda, render it.
//!
//! `cargo bench --bench search`. Databases are generated on first use (deterministic, the
//! same as `examples/gen.rs` with 10 interactions per contact) and cached under
//! `target/bench-data/`; `cargo test` never builds this file.

use std::sync::OnceLock;

use kith::app::views;
use kith::app::views::contact_brief::RECENT_INTERACTIONS;
use kith::clock::Clock;
use kith::output::Painter;
use kith::search::{Filter, Index};
use kith::store::{OpenMode, Store, contacts, search};

#[path = "support/bench_data.rs"]
mod bench_data;
#[path = "support/generate.rs"]
mod generate;
use bench_data::database;

const SIZES: &[usize] = &[1_000, 10_000, 100_000];
/// Queries of 1 to 6 characters, and a two-word query with letters left out.
const QUERIES: &[&str] = &["m", "mu", "mul", "mull", "mulle", "muller", "jrgn mllr"];

fn main() {
    divan::main();
}

fn index(n: usize) -> &'static Index {
    static CACHE: OnceLock<Vec<(usize, Index)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        SIZES
            .iter()
            .map(|&size| {
                let store = Store::open(&database(size), OpenMode::MustExist).expect("open");
                let rows = search::entries(store.conn(), false).expect("load");
                (
                    size,
                    Index::build(rows.into_iter().map(|r| r.entry).collect()),
                )
            })
            .collect()
    });
    &all.iter()
        .find(|(size, _)| *size == n)
        .expect("a bench size")
        .1
}

/// One fresh query over the whole index (the worst case for a keystroke).
#[divan::bench(args = SIZES, consts = [0, 1, 2, 3, 4, 5, 6])]
fn filter<const Q: usize>(bencher: divan::Bencher, n: usize) {
    let index = index(n);
    bencher.bench(|| index.query(divan::black_box(QUERIES[Q]), 50));
}

/// Typing "muller" one key at a time, narrowing as it goes: the cost of all six keystrokes.
#[divan::bench(args = SIZES)]
fn filter_typing_six_keys(bencher: divan::Bencher, n: usize) {
    let index = index(n);
    bencher.bench(|| {
        let mut filter = Filter::default();
        for end in 1..=6 {
            divan::black_box(filter.update(index, &"muller"[..end], 50));
        }
    });
}

/// `kith find muller` minus process start and printing: open, load, build, query.
#[divan::bench(args = SIZES, sample_count = 20)]
fn find(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    bencher.bench(|| {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let rows = search::entries(store.conn(), false).expect("load");
        let index = Index::build(rows.into_iter().map(|r| r.entry).collect());
        index.query("muller", 20)
    });
}

/// `kith show` of an exact name and a partial one, minus process start and printing.
#[divan::bench(args = SIZES, consts = [0, 1], sample_count = 20)]
fn show<const PARTIAL: usize>(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let who = {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let name: String = store
            .conn()
            .query_row(
                "SELECT display_name FROM contacts WHERE id = ?1",
                [n as i64 / 2],
                |r| r.get(0),
            )
            .expect("a contact");
        if PARTIAL == 1 {
            // "Jürgen Müller" → "jurg mull": the first four letters of each word, folded.
            kith::model::fold(&name)
                .split(' ')
                .map(|w| w.chars().take(4).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            name
        }
    };
    let clock = Clock::from_env().expect("clock");
    bencher.bench(|| {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let conn = store.conn();
        // A partial name may be ambiguous at 100k: that answer (the candidates) is the work.
        let Ok(id) = contacts::resolve(conn, &who, true) else {
            return String::new();
        };
        let brief =
            views::contact_brief(&store, id, clock, Some(RECENT_INTERACTIONS)).expect("brief");
        kith::output::brief::render_contact(&brief, Painter::plain(), Some(80), false)
    });
}

/// `kith today` minus process start and printing: open, build the agenda, render it (each
/// group's first entries, as a person sees it).
#[divan::bench(args = SIZES, sample_count = 20)]
fn today(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let clock = Clock::from_env().expect("clock");
    let shown = kith::output::agenda::SHOWN_PER_GROUP;
    bencher.bench(|| {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let agenda =
            views::agenda::summary(&store, clock, views::agenda::DEFAULT_HORIZON_DAYS, shown)
                .expect("agenda");
        kith::output::agenda::render(&agenda, Painter::plain(), Some(80), Some(shown))
    });
}

/// `kith today --all`: every entry, the people to reconnect with ranked by health.
#[divan::bench(args = SIZES, sample_count = 10)]
fn today_all(bencher: divan::Bencher, n: usize) {
    let path = database(n);
    let clock = Clock::from_env().expect("clock");
    bencher.bench(|| {
        let store = Store::open(&path, OpenMode::MustExist).expect("open");
        let agenda = views::agenda::agenda(&store, clock, views::agenda::DEFAULT_HORIZON_DAYS)
            .expect("agenda");
        kith::output::agenda::render(&agenda, Painter::plain(), Some(80), None)
    });
}
