//! Splitting an mbox stream into its messages, one at a time (a mailbox of any size is read
//! in constant memory), each with the byte offset of its `From ` line so a message that
//! cannot be read is named by where it is. A message starts at a `From ` line at the start of
//! the stream or after a blank line; lines quoted as `>From ` (mboxrd, any number of `>`)
//! lose one `>`. mail-parser's own mbox reader gives no offsets, hence this one.

use std::io::{self, BufRead};

/// Whether `head` (the first bytes of a file) is an mbox: it starts with a separator line
/// (`From sender date`: a sender word, then a date with a digit in it) followed by a header
/// line. A note that merely begins "From here on..." is not one.
pub fn looks_like_mbox(head: &[u8]) -> bool {
    let mut lines = head.split(|&b| b == b'\n');
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else {
        return false;
    };
    is_separator(first) && is_header_line(second)
}

/// `From ada@example.org Thu Dec  3 10:00:00 2026` (or `From - ...`, `From MAILER-DAEMON ...`):
/// a sender word, then a date whose words include a time of day.
fn is_separator(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
    let mut words = rest.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let sender = words.next().unwrap_or_default();
    !sender.is_empty()
        && words.any(is_time_of_day)
        && rest.iter().all(|&b| b == b'\t' || !b.is_ascii_control())
}

/// `10:00:00` or `9:05`.
fn is_time_of_day(word: &[u8]) -> bool {
    let parts: Vec<&[u8]> = word.split(|&b| b == b':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.iter().all(u8::is_ascii_digit))
}

/// `Name: value`: a field name of printable ASCII without spaces, then a colon.
pub fn is_header_line(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

/// One message of an mbox: where its `From ` line starts, and its bytes (without that line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboxMessage {
    pub offset: u64,
    pub bytes: Vec<u8>,
}

/// The messages of an mbox stream, in order.
pub struct Messages<R> {
    reader: R,
    /// Bytes consumed so far.
    position: u64,
    /// The offset of the `From ` line of the message being gathered.
    current: Option<u64>,
    bytes: Vec<u8>,
    previous_blank: bool,
    line: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Messages<R> {
    pub fn new(reader: R) -> Messages<R> {
        Messages {
            reader,
            position: 0,
            current: None,
            bytes: Vec::new(),
            previous_blank: true,
            line: Vec::with_capacity(256),
            done: false,
        }
    }

    fn take(&mut self, next: Option<u64>) -> Option<MboxMessage> {
        let offset = std::mem::replace(&mut self.current, next)?;
        Some(MboxMessage {
            offset,
            bytes: std::mem::take(&mut self.bytes),
        })
    }
}

impl<R: BufRead> Iterator for Messages<R> {
    type Item = io::Result<MboxMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            self.line.clear();
            let n = match self.reader.read_until(b'\n', &mut self.line) {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if n == 0 {
                self.done = true;
                return self.take(None).map(Ok);
            }
            let start = self.position;
            self.position += n as u64;
            let line = &self.line[..];
            let blank = line.iter().all(|b| matches!(b, b'\r' | b'\n'));
            if self.previous_blank && line.starts_with(b"From ") {
                self.previous_blank = false;
                if let Some(message) = self.take(Some(start)) {
                    return Some(Ok(message));
                }
                continue;
            }
            self.previous_blank = blank;
            if self.current.is_none() {
                continue; // before the first `From ` line: not part of any message
            }
            let quotes = line.iter().take_while(|&&b| b == b'>').count();
            if quotes > 0 && line[quotes..].starts_with(b"From ") {
                self.bytes.extend_from_slice(&line[1..]);
            } else {
                self.bytes.extend_from_slice(line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(u64, String)> {
        Messages::new(text.as_bytes())
            .map(|m| {
                let m = m.unwrap();
                (m.offset, String::from_utf8(m.bytes).unwrap())
            })
            .collect()
    }

    #[test]
    fn messages_split_at_from_lines_with_their_offsets() {
        let mbox = "From a@x Thu Dec  3 10:00:00 2026\nSubject: one\n\nhi\n\nFrom b@x Thu Dec  3 11:00:00 2026\nSubject: two\n\nbye\n";
        let got = split(mbox);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (0, "Subject: one\n\nhi\n\n".to_string()));
        assert_eq!(got[1].0, mbox.find("From b@x").unwrap() as u64);
        assert_eq!(got[1].1, "Subject: two\n\nbye\n");
    }

    #[test]
    fn quoted_from_lines_lose_one_quote_and_do_not_split() {
        let mbox = "From a@x Thu Dec  3 10:00:00 2026\nSubject: q\n\n>From here on\n>>From there\nFrom the middle of a paragraph\n";
        let got = split(mbox);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            got[0].1,
            "Subject: q\n\nFrom here on\n>From there\nFrom the middle of a paragraph\n"
        );
    }

    #[test]
    fn an_mbox_is_told_by_a_separator_line_followed_by_headers() {
        assert!(looks_like_mbox(
            b"From ada@example.org Thu Dec  3 10:00:00 2026\nReturn-Path: <ada@example.org>\n"
        ));
        assert!(looks_like_mbox(
            b"From - Sat Jan 03 10:00:00 2015\r\nX-Mozilla-Status: 0001\r\n"
        ));
        assert!(looks_like_mbox(
            b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: Mail System <x@y>\n"
        ));
        // A note (SOURCE.md) that starts with the word "From" is not a mailbox.
        assert!(!looks_like_mbox(
            b"From the mail-parser project (https://github.com/stalwartlabs/mail-parser).\n\nLicence: Apache-2.0\n"
        ));
        assert!(!looks_like_mbox(b"From here on\nSubject: x\n"));
        assert!(!looks_like_mbox(
            b"From the project (commit 339a430), at 10 past 9:\nNote: x\n"
        ));
        assert!(!looks_like_mbox(
            b"From ada@example.org Thu Dec  3 10:00:00 2026\n\nbody\n"
        ));
        assert!(!looks_like_mbox(b""));
    }

    #[test]
    fn crlf_blank_lines_separate_too() {
        let mbox = "From a@x 1\r\nSubject: one\r\n\r\nFrom b@x 2\r\nSubject: two\r\n";
        assert_eq!(split(mbox).len(), 2);
    }
}
