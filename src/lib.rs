//! kith: a terminal-first personal relationship manager.
//!
//! The whole map (docs/ARCHITECTURE.md walks it). Data flows one way: input (argv, keys,
//! files) → a typed input of the [`app`] layer, which holds every rule and writes through the
//! [`store`] in one transaction → a typed result or view model → [`output`] or [`tui`].
//!
//! Core, no I/O (the time comes in as a [`clock::Clock`] value):
//! - [`model`]: the records and their values (contacts, organizations, interactions,
//!   follow-ups and recurrence, yearly dates, cadences, UIDs) and their validation.
//! - [`dates`]: natural dates in (leaning past or future by meaning) and human dates out.
//! - [`search`]: folding, fuzzy scoring and the in-process filter; phones as dialled.
//! - [`resolve`]: "who" or "which organization" → one record, or the candidates (a change
//!   needs a confident match). [`link_rules`]: which link kinds are symmetric, what
//!   `link`/`unlink` do. [`dupes`]: likely duplicates.
//! - [`agenda`]: what is overdue, due, to reconnect with, and whose dates come up.
//! - [`health`]: how each relationship is doing: a score, its trend and its reasons.
//! - [`account`]: an organization's health rolled up from its people's, with reasons.
//! - [`network`]: who knows whom: paths to a person or an organization, with evidence.
//! - [`formats`]: vCard, CSV, JSON and the content lines vCard and [`ics`] share; reading
//!   iCalendar files into past event occurrences (`formats::ical`, for capture).
//! - [`clock`]: now, from the system or the `KITH_NOW` testing hook.
//! - [`capture`]: mail (and calendar) records read from bytes into kind-neutral captured
//!   records: keys, threads, noise, who is me, unknown correspondents.
//!
//! The book:
//! - [`store`]: the only code that speaks SQL; opens the file, migrates it, and hands out the
//!   write transaction ([`store::WriteTx`]) that every write function needs.
//!
//! The one door:
//! - [`app`]: every change (one function, a typed input and result, its rules) and every
//!   view (`app::views`: the contact brief, the organization brief, the agenda).
//!
//! Faces:
//! - [`cli`]: the clap commands, one module per command family, each a thin adapter.
//! - [`tui`]: the interactive mode: keys → one keymap → actions → a pure update → effects
//!   that call [`app`]; it draws [`app`]'s view models.
//! - [`output`]: the one door to a human's terminal; sanitizes every stored string.
//! - [`capture_files`]: the files `kith capture` reads, recognised by content and streamed.
//! - [`import`]: files into records (matching, merging) for `app::import`; [`vdir`] and
//!   [`fsx`]: directories of cards and atomic, private file writes. [`demo`]: the demo book.
//! - [`sync`]: `kith sync`, two-way CardDAV sync (the only code that uses the network, and
//!   only when `kith sync` runs): a DAV client, discovery, a pure three-way card merge, and
//!   the engine that writes its batches through `app::sync`.
//! - [`error`]: the error kinds and the exit code of each.

pub mod account;
pub mod agenda;
pub mod app;
pub mod capture;
pub mod capture_files;
pub mod cli;
pub mod clock;
pub mod dates;
pub mod demo;
pub mod dupes;
pub mod error;
pub mod formats;
pub mod fsx;
pub mod health;
pub mod ics;
pub mod import;
pub mod link_rules;
pub mod model;
pub mod network;
pub mod numbers;
pub mod output;
pub mod resolve;
pub mod search;
pub mod store;
pub mod sync;
pub mod tui;
pub mod vdir;

pub use error::{Error, Result};
