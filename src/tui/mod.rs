//! The interactive mode: `kith` on a terminal, `kith tui`, `kith --demo`.
//!
//! - [`app`]: the state, and which contact or follow-up is selected.
//! - `update`: the pure update (event in, state and effects out), keys through [`keys`].
//! - `effects`: the effects, through the same operations and view builders as the CLI
//!   ([`crate::app`], [`crate::app::views`]).
//! - [`data`]: the lists the views show, loaded in bulk and held in memory.
//! - [`filter`]: the filter bar's incremental fuzzy filter.
//! - [`form`]: forms with inline validation.
//! - [`keys`]: the one key table (help overlay and footer hints come from it).
//! - [`loading`]: a large address book's list and agenda, loaded on threads.
//! - [`ui`]: drawing from the state alone.
//!
//! The terminal is restored on every way out: quitting, an error (a guard's `Drop`), a panic
//! (ratatui's panic hook, chained with one that releases the mouse), and SIGTERM, SIGHUP,
//! SIGINT or SIGQUIT (a flag the loop checks every 100 ms, then the normal way out). When the
//! terminal itself goes away, [`hangup`] ends the process.

pub mod app;
pub mod data;
mod effects;
pub mod filter;
pub mod form;
mod hangup;
pub mod keys;
pub mod loading;
pub mod ui;
mod update;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use crate::clock::Clock;
use crate::store::{OpenMode, Store};
use app::{App, Event};

/// How often the database is checked for changes made by other processes.
const WATCH_INTERVAL: Duration = Duration::from_millis(500);
/// How long to wait for input before looking at signals and the database again.
const POLL: Duration = Duration::from_millis(100);
/// How soon the loop looks again for a contact list loading on its thread.
const LOADING_POLL: Duration = Duration::from_millis(20);

pub struct Options {
    pub db_path: PathBuf,
    pub demo: bool,
}

/// `kith --demo`: the interactive mode on a fresh copy of the demo data, in a temporary
/// directory that is kept afterwards so the CLI can look at what was done.
pub fn run_demo() -> anyhow::Result<()> {
    require_terminal()?;
    let clock = Clock::from_env()?;
    let db_path = crate::demo::create_demo_database(clock)?;
    let result = run(Options {
        db_path: db_path.clone(),
        demo: true,
    });
    let shown = crate::output::sanitize_line(&db_path.display().to_string()).into_owned();
    let _ = writeln!(
        std::io::stdout(),
        "Demo database kept at {shown}\ntry: KITH_DB={shown} kith list"
    );
    result
}

/// Restores the terminal when dropped, whichever way the loop ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

/// The interactive mode reads keys from and draws on a terminal; refuse plainly otherwise.
fn require_terminal() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(crate::error::Error::invalid(
            "terminal",
            "",
            "the interactive mode needs a terminal on stdin and stdout; the CLI commands work anywhere (kith --help)",
        )
        .into())
    }
}

pub fn run(options: Options) -> anyhow::Result<()> {
    require_terminal()?;
    let clock = Clock::from_env()?;
    let mut store = Store::open(&options.db_path, OpenMode::CreateIfMissing)?;
    let mut app = App::new(&store, clock, options.demo)?;

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    hangup::watch(Arc::clone(&stop));

    // try_init enters raw mode and the alternate screen and installs a panic hook that
    // restores both; ours runs first and releases the mouse.
    let mut terminal = ratatui::try_init()?;
    let restore = Restore;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    execute!(std::io::stdout(), EnableMouseCapture)?;
    let result = event_loop(&mut terminal, &mut app, &mut store, &stop);
    drop(restore);
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &mut Store,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.update(Event::Resize(size.width, size.height));
    let mut version = data::data_version(store.conn())?;
    let mut last_check = Instant::now();
    // As if typing had long paused: details waiting at launch follow the first frame.
    let mut last_input = Instant::now()
        .checked_sub(app::DETAIL_AFTER)
        .unwrap_or_else(Instant::now);
    // Since when the selected contact's details have waited (see `App::detail_waits`).
    let mut detail_since: Option<Instant> = Instant::now().checked_sub(app::DETAIL_AFTER);
    let mut dirty = true;
    loop {
        if dirty || app.filter_busy() {
            if app.early_answer_due() {
                // What was typed shows at once; the search in the stored chunks follows (on
                // a book not yet in memory it reads from disk for seconds).
                terminal.draw(|frame| ui::draw(frame, app))?;
            }
            app.catch_up(store);
            terminal.draw(|frame| ui::draw(frame, app))?;
            dirty = false;
        }
        // The selected contact's details after a filter's scan, once its list is on screen
        // and typing has paused: on a large book a brief can take longer than a key.
        // Counted from the later of the last key and the answer's drawing: after a slow scan
        // the next key is likely already on its way.
        let waiting = match (app.detail_waits, detail_since) {
            (false, _) => None,
            (true, None) => Some(Instant::now()),
            (true, Some(since)) => Some(since),
        };
        detail_since = waiting;
        let quiet = waiting.map(|since| since.elapsed().min(last_input.elapsed()));
        if quiet.is_some_and(|q| q >= app.detail_quiet)
            && !event::poll(Duration::ZERO)?
            && app.start_waiting_detail(store)
        {
            detail_since = None;
            dirty = true;
            continue;
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // The whole contact list arriving from its thread (a large address book).
        if app.poll_loading(store) {
            dirty = true;
            continue;
        }
        let wait = if app.filter_scanning() {
            // A scan under way: look for keys, then scan on.
            Duration::ZERO
        } else if let Some(quiet) = quiet {
            app.detail_quiet.saturating_sub(quiet)
        } else if app.filter_busy()
            || app.loading.is_some()
            || app.agenda_loading.is_some()
            || app.brief_pending()
        {
            LOADING_POLL
        } else {
            POLL
        };
        if event::poll(wait)? {
            // Take every pending event before drawing again, so held keys never lag.
            loop {
                let input = match event::read()? {
                    event::Event::Key(k) => Some(Event::Key(k)),
                    event::Event::Mouse(m) => Some(Event::Mouse(m)),
                    event::Event::Resize(w, h) => Some(Event::Resize(w, h)),
                    _ => None,
                };
                if let Some(input) = input {
                    app.handle(store, input);
                    last_input = Instant::now();
                    dirty = true;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_check.elapsed() >= WATCH_INTERVAL {
            last_check = Instant::now();
            if let Ok(clock) = Clock::from_env() {
                app.clock = clock;
            }
            // Another process (a `kith log` in another terminal) committed: show it.
            let current = data::data_version(store.conn())?;
            if current != version {
                version = current;
                if let Err(e) = app.reload(store) {
                    app.status = Some(app::Status {
                        text: crate::output::sanitize_line(&e.to_string()).into_owned(),
                        error: true,
                    });
                }
                dirty = true;
            }
        }
    }
}
