//! Leaving when the terminal goes away.
//!
//! Once its terminal is gone (the window closed, the tmux session killed, the ssh link cut),
//! stdin stays readable with nothing to read, and crossterm's event poll then retries inside
//! itself forever (crossterm-rs/crossterm#793): the main loop never regains control to see
//! the SIGHUP flag, and the process spins on a CPU until killed with -9. This thread watches
//! from outside the loop: when stdin reports a hang-up, or a stop signal has not ended the
//! loop within a second, it ends the process. The database needs no tidying: SQLite undoes
//! any transaction left open, as after a crash.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often the terminal and the stop flag are looked at.
const CHECK_EVERY: Duration = Duration::from_millis(250);
/// How long the loop has to leave on its own after a stop signal.
const GRACE: Duration = Duration::from_secs(1);
/// The exit status of a process ended by SIGHUP (128 + 1), as a shell reports it.
const HUNG_UP: i32 = 129;

/// Start the watch over the terminal on stdin and `stop` (set by the signal handlers).
pub fn watch(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let mut stopped_at: Option<Instant> = None;
        loop {
            std::thread::sleep(CHECK_EVERY);
            if hung_up() {
                std::process::exit(HUNG_UP);
            }
            if stop.load(Ordering::Relaxed) {
                let since = *stopped_at.get_or_insert_with(Instant::now);
                if since.elapsed() >= GRACE {
                    std::process::exit(HUNG_UP);
                }
            }
        }
    });
}

/// Whether the terminal on stdin has hung up (or stdin is no longer open).
fn hung_up() -> bool {
    let mut stdin = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, and a zero timeout: poll only fills in `revents`.
    let ready = unsafe { libc::poll(&mut stdin, 1, 0) };
    ready > 0 && stdin.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
