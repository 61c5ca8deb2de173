//! The kith binary: parse the command line, run the command, map errors to exit codes.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use kith::cli::{self, Cli};
use kith::error::{Error, exit};
use kith::output::sanitize_line;

/// See Cargo.toml: glibc malloc was a large share of a big import.
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc, asked for plain blocks wherever a plain block is aligned enough. The `mimalloc`
/// crate asks for every block through `mi_malloc_aligned`, whose fast path covers only blocks
/// up to 1 KiB: a larger one (a card's photo, a growing `Vec`) took the generic aligned path,
/// 4 % of an import's reading thread. Every mimalloc block is aligned to 8 bytes.
struct Mimalloc;

const PLAIN_ALIGN: usize = 8;

// SAFETY: mimalloc's functions keep GlobalAlloc's contract: each returns null or a block of at
// least the size asked, aligned as asked (8 bytes for the plain ones), freed by `mi_free`.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: as above.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: as above.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: `ptr` came from this allocator with `layout` (GlobalAlloc's contract).
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

fn main() -> ExitCode {
    // Past a file-size limit (`ulimit -f`) the kernel would kill kith mid-write; ignored, the
    // write fails instead, SQLite rolls the transaction back and the user gets a message.
    // SAFETY: setting a signal to SIG_IGN before any thread starts has no preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; clap picks the right stream and code.
            if e.use_stderr() && std::env::args_os().any(|a| a == "--json") {
                // A script asked for JSON: a usage error is a JSON report too.
                let report = serde_json::json!({
                    "error": "usage",
                    "message": e.kind().to_string(),
                    "detail": e.render().to_string(),
                    "exit_code": e.exit_code(),
                });
                let _ = writeln!(std::io::stderr(), "{report}");
            } else {
                let _ = e.print();
            }
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    // `kith` alone opens the interactive mode, which needs a terminal; in a pipe or a script
    // it prints the short usage instead and exits with the usage code.
    if cli.command.is_none()
        && !cli.demo
        && !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal())
    {
        use clap::CommandFactory;
        let _ = write!(std::io::stderr(), "{}", Cli::command().render_usage());
        let _ = writeln!(
            std::io::stderr(),
            "\n\n`kith` alone opens the interactive mode on a terminal; `kith --help` lists the commands."
        );
        return ExitCode::from(kith::error::exit::USAGE as u8);
    }
    // An import's SQLite allocations go through mimalloc (store::allocator); a command that
    // reads a large book through SQLite's page cache (`find` at a million contacts: 100 MB)
    // would pay for mimalloc's fresh huge pages instead (CPU 132 -> 184-387 ms).
    if matches!(cli.command, Some(cli::Command::Import(_))) {
        // SAFETY: nothing has used SQLite yet and no other thread runs.
        unsafe {
            kith::store::allocator::install();
        }
    }
    let json = cli.json;
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if json => report_json(&e),
        Err(e) => report(&e),
    }
}

/// What a failure means, whatever reports it: quiet success for a closed pipe, else the
/// exit code and, when kith's own, the error.
fn classify(e: &anyhow::Error) -> Option<(i32, Option<&Error>)> {
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        if io.kind() == std::io::ErrorKind::BrokenPipe {
            return None;
        }
        // A bare I/O error reaching here came from writing the output (`> /dev/full`).
        return Some((exit::IO, None));
    }
    match e.downcast_ref::<Error>() {
        Some(kith_error) => Some((kith_error.exit_code(), Some(kith_error))),
        None => Some((exit::FAILURE, None)),
    }
}

/// With `--json`, a failure is a JSON object on stderr, so a script reads it as it reads
/// the output: `{"error": KIND, "message": ..., "exit_code": N, "candidates": [...]}`.
fn report_json(e: &anyhow::Error) -> ExitCode {
    let Some((code, kith_error)) = classify(e) else {
        return ExitCode::SUCCESS;
    };
    let kind = match kith_error {
        Some(k) => k.kind(),
        None if code == exit::IO => "io",
        None => "failure",
    };
    let message = match kith_error {
        Some(k) => k.to_string(),
        None => format!("{e:#}"),
    };
    let mut report = serde_json::json!({
        "error": kind,
        "message": message,
        "exit_code": code,
    });
    if let Some(Error::Ambiguous {
        candidates, total, ..
    }) = kith_error
    {
        report["candidates"] = serde_json::json!(candidates);
        report["matches"] = serde_json::json!(total);
    }
    // serde_json escapes control characters, so the report is safe on a terminal too.
    let _ = writeln!(std::io::stderr(), "{report}");
    ExitCode::from(code as u8)
}

/// One report for any failure; a closed pipe (`kith list | head`) is success.
fn report(e: &anyhow::Error) -> ExitCode {
    let Some((code, kith_error)) = classify(e) else {
        return ExitCode::SUCCESS;
    };
    let mut err = std::io::stderr().lock();
    match kith_error {
        Some(kith_error) => {
            let _ = writeln!(err, "kith: {}", sanitize_line(&kith_error.to_string()));
            if let Error::Ambiguous { candidates, .. } = kith_error {
                for c in candidates {
                    let detail = if c.detail.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", sanitize_line(&c.detail))
                    };
                    let _ = writeln!(err, "  #{:<6} {}{detail}", c.id, sanitize_line(&c.name));
                }
            }
        }
        None if code == exit::IO => {
            let _ = writeln!(
                err,
                "kith: could not write the output: {}; what was printed is incomplete",
                sanitize_line(&format!("{e:#}"))
            );
        }
        None => {
            let _ = writeln!(err, "kith: {}", sanitize_line(&format!("{e:#}")));
        }
    }
    ExitCode::from(code as u8)
}
