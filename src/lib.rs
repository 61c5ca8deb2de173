//! kith: a terminal-first personal relationship manager.
//!
//! The functional core knows nothing of disks or terminals; the shell around it does the I/O.
//! Data flows one way: input (argv, keys, files) → a typed input of the [`app`] layer, which
//! holds every rule and writes through the [`store`] in one transaction → a typed result →
//! [`output`].
//!
//! - [`model`]: plain types and validation of values.
//! - [`dates`]: natural-language date input and relative output.
//! - [`search`]: the fuzzy matcher. [`resolve`]: "who" → one contact, or the candidates
//!   (a change only on a confident match). [`link_rules`]: what `link`/`unlink` may do.
//! - [`app`]: the one door for every change and every view (`app::views`); both
//!   faces call the same functions.
//! - [`store`]: the only code that speaks SQL and opens transactions (for [`app`]).
//! - [`output`]: the one door to a human's terminal; sanitizes every stored string.
//! - [`cli`]: the clap commands, each a thin adapter over [`app`].

pub mod agenda;
pub mod app;
pub mod cli;
pub mod clock;
pub mod dates;
pub mod demo;
pub mod dupes;
pub mod error;
pub mod formats;
pub mod fsx;
pub mod ics;
pub mod import;
pub mod link_rules;
pub mod model;
pub mod output;
pub mod resolve;
pub mod search;
pub mod store;
pub mod tui;
pub mod vdir;

pub use error::{Error, Result};
