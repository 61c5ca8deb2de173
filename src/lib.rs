//! kith: a terminal-first personal relationship manager.
//!
//! The functional core knows nothing of disks or terminals; the shell around it does the I/O.
//! Data flows one way: input (argv, keys, files) → parse into the [`model`] → the [`store`], in
//! one transaction → the model → [`output`].
//!
//! - [`model`]: plain types and validation of values.
//! - [`dates`]: natural-language date input and relative output.
//! - [`search`]: the fuzzy matcher. [`resolve`]: "who" → one contact, or the candidates.
//! - [`store`]: the only code that speaks SQL.
//! - [`output`]: the one door to a human's terminal; sanitizes every stored string.
//! - [`cli`]: the clap commands, each a thin adapter over the store.

pub mod agenda;
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
pub mod model;
pub mod ops;
pub mod output;
pub mod resolve;
pub mod search;
pub mod store;
pub mod tui;
pub mod vdir;

pub use error::{Error, Result};
