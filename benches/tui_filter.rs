//! Budgets of the interactive mode (issue 6), on 100,000 contacts:
//! - filtering keeps up with typing: ≤ 16 ms per keystroke;
//! - the first frame: ≤ 150 ms from opening the database to a drawn screen, on 100k contacts
//!   × 10 interactions (the deterministic book of `examples/gen.rs`, generated once into
//!   `target/bench-data/` like the search benches); and, for the record, how long the whole
//!   list then takes to arrive from its thread.
//!
//! - a filter typed right after launch (issue 20): ≤ 100 ms from opening the database to
//!   the filtered rows ready to draw, while the whole list still loads.
//!
//! ```sh
//! cargo bench --bench tui_filter
//! KITH_BENCH_PEOPLE=1000000 cargo bench --bench tui_filter -- filter   # keystrokes at 1M
//! ```

use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kith::clock::Clock;
use kith::store::{OpenMode, Store};
use kith::tui::app::{App, Event};
use kith::tui::data::ContactRow;
use kith::tui::filter::FuzzyFilter;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/bench_data.rs"]
mod bench_data;
#[path = "support/generate.rs"]
mod generate;
use bench_data::database;

const PEOPLE: usize = 100_000;

/// How many contacts the keystroke benches filter: `KITH_BENCH_PEOPLE`, or [`PEOPLE`].
fn people() -> usize {
    std::env::var("KITH_BENCH_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(PEOPLE)
}

const GIVEN: &[&str] = &[
    "Ada", "Grace", "Alan", "Margaret", "Linus", "Barbara", "Dennis", "Zoë", "Jürgen", "Søren",
    "Aoife", "Priya", "Mei", "Hiroshi", "Fatima", "Kwame", "Olga", "Łukasz", "Chloé", "Tomás",
    "Renée", "Noah", "Maya", "Elena", "Samir", "Leila", "Kenji", "Rafael", "Ingrid", "Omar",
];
const FAMILY: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Hamilton", "Torvalds", "Liskov", "Ritchie", "Müller",
    "Nielsen", "O'Brien", "Sharma", "Chen", "Tanaka", "Haddad", "Mensah", "Ivanova", "Kowalski",
    "Dubois", "Bianchi", "Larsen", "Silva", "Kim", "Nguyen", "Novak", "García",
];
const ORGS: &[&str] = &[
    "Acme Robotics",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Renewables",
    "Wayne Capital",
    "Hooli",
    "Pied Piper",
    "Vandelay Industries",
    "Aperture Labs",
    "Massive Dynamic",
];

fn person(i: usize) -> (String, Option<String>) {
    let name = format!(
        "{} {} {}",
        GIVEN[i % GIVEN.len()],
        FAMILY[(i / GIVEN.len()) % FAMILY.len()],
        i
    );
    let org = (!i.is_multiple_of(5)).then(|| format!("{} {}", ORGS[i % ORGS.len()], i % 997));
    (name, org)
}

fn rows() -> Vec<ContactRow> {
    (0..people())
        .map(|i| {
            let (name, organization) = person(i);
            ContactRow {
                id: i as i64 + 1,
                emails: vec![format!("p{i}@example.com")],
                name,
                organization,
                ..ContactRow::default()
            }
        })
        .collect()
}

/// One slice of the event loop after a key: the filter scans this long, then the screen
/// shows the best matches found so far (`tui::loading`'s `FILTER_SLICE`).
const SLICE: Duration = Duration::from_millis(8);

fn keystrokes(c: &mut Criterion) {
    let rows = rows();
    let mut filter = FuzzyFilter::new(&rows);
    // Wait for the background index build before timing.
    filter.set_query(&rows, "x");
    filter.settle(&rows);
    filter.set_query(&rows, "");
    let mut group = c.benchmark_group(format!("filter {} contacts", rows.len()));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    // What a person sees after a key: the first slice's best matches, ready to draw.
    group.bench_function("first keystroke \"a\", to its first screen", |b| {
        b.iter(|| {
            filter.set_query(&rows, black_box("a"));
            filter.work(&rows, Some(std::time::Instant::now() + SLICE));
            let n = filter.results().len();
            filter.set_query(&rows, "");
            n
        })
    });
    // The worst keystroke: the first letter scans everyone, to the end.
    group.bench_function("first keystroke \"a\", scanned to the end", |b| {
        b.iter(|| {
            filter.set_query(&rows, black_box("a"));
            filter.settle(&rows);
            let n = filter.results().len();
            filter.set_query(&rows, "");
            n
        })
    });
    // Typing a whole query, one keystroke at a time (divide by 9 for one keystroke).
    for typed in ["ada lovel", "jrgn mllr"] {
        group.bench_function(
            format!("typing \"{typed}\" (9 keystrokes), each to its first screen"),
            |b| {
                b.iter(|| {
                    for end in 1..=typed.len() {
                        filter.set_query(&rows, black_box(&typed[..end]));
                        filter.work(&rows, Some(std::time::Instant::now() + SLICE));
                    }
                    let n = filter.results().len();
                    filter.settle(&rows);
                    filter.set_query(&rows, "");
                    n
                })
            },
        );
        group.bench_function(
            format!("typing \"{typed}\" (9 keystrokes), each scanned to the end"),
            |b| {
                b.iter(|| {
                    for end in 1..=typed.len() {
                        filter.set_query(&rows, black_box(&typed[..end]));
                        filter.settle(&rows);
                    }
                    let n = filter.results().len();
                    filter.set_query(&rows, "");
                    n
                })
            },
        );
    }
    group.finish();
}

fn first_frame(c: &mut Criterion) {
    let path = database(PEOPLE);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    let clock = Clock::fixed(now);
    let mut group = c.benchmark_group("interactive mode, 100k contacts x 10 interactions");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("open to first frame (80x24)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = std::time::Instant::now();
                let store = Store::open(&path, OpenMode::MustExist).expect("store");
                let mut app = App::new(&store, clock, false).expect("app");
                app.update(Event::Resize(80, 24));
                let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                terminal
                    .draw(|frame| kith::tui::ui::draw(frame, &app))
                    .expect("draw");
                total += start.elapsed();
                // The list and the search index finish in the background after the first
                // frame; let them finish outside the timing so iterations do not pile up.
                app.wait_loaded(&store);
                let rows = std::mem::take(&mut app.data.contacts);
                app.filter.set_query(&rows, "x");
                app.filter.settle(&rows);
            }
            total
        })
    });
    group.bench_function("open, type \"nad xim\" at once, rows ready (80x24)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = std::time::Instant::now();
                let mut store = Store::open(&path, OpenMode::MustExist).expect("store");
                let mut app = App::new(&store, clock, false).expect("app");
                app.update(Event::Resize(80, 24));
                for c in "/nad xim".chars() {
                    let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                    app.handle(&mut store, Event::Key(key));
                }
                app.catch_up(&store);
                let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                terminal
                    .draw(|frame| kith::tui::ui::draw(frame, &app))
                    .expect("draw");
                total += start.elapsed();
                assert!(app.match_total().is_some(), "the rows are in");
                app.wait_loaded(&store);
                let rows = std::mem::take(&mut app.data.contacts);
                app.filter.set_query(&rows, "x");
                app.filter.settle(&rows);
            }
            total
        })
    });
    group.bench_function("open to whole list loaded", |b| {
        b.iter(|| {
            let store = Store::open(&path, OpenMode::MustExist).expect("store");
            let mut app = App::new(&store, clock, false).expect("app");
            app.wait_loaded(&store);
            app.data.contacts.len()
        })
    });
    group.finish();
}

criterion_group!(benches, keystrokes, first_frame);
criterion_main!(benches);
