//! vCard: a reader of 2.1, 3.0 and 4.0 written for the files real address books produce, and
//! a 4.0/3.0 writer.
//!
//! It works on bytes, so that each value can be decoded by its own `CHARSET` (2.1 files mix
//! them), and handles: line folding with any indentation, CR/LF/CRLF and `\r\r\n` line ends,
//! quoted-printable with soft line breaks, base64, UTF-8 with or without BOM, UTF-16 (decoded
//! first), values that are not UTF-8 and name no charset (read as windows-1252, with a
//! warning), `item1.` groups with Apple's `X-ABLabel`, 2.1's bare parameters (`TEL;CELL;PREF`),
//! escaped separators, and several cards per file.
//!
//! Properties kith models become contact fields; everything else (photos, `X-` properties,
//! IM, geo, and the full structured N/ORG/ADR) is kept as "extra" content lines that the
//! writer gives back. A value kith cannot use (an email without '@', a phone made of words) is
//! kept the same way, with a warning: nothing is dropped.
//!
//! The reader is [`reader`] (bytes to cards of [`Property`]), [`contact`] (a card to a
//! contact) with [`values`] (what a value means) and [`extra`] (a property kept as a line);
//! [`kind`] says what a card that is not a person's becomes; the writer is [`write`]. Content-line rules shared with iCalendar are in
//! [`super::contentline`].

mod contact;
mod extra;
mod kind;
mod property;
mod reader;
mod values;
pub mod write;

pub use super::contentline::{split_unescaped, unescape};
pub use contact::to_contact;
pub use property::{Property, decode_quoted_printable, parse_property};
pub use reader::{Reader, read};
pub use values::address_text;
pub(crate) use values::label_of;

#[cfg(test)]
mod tests;
