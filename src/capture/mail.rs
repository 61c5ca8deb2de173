//! One RFC 5322 message (the bytes of an `.eml`, a Maildir file or one message of an mbox) →
//! a [`CapturedRecord`], read with mail-parser: MIME, RFC 2047 encoded words and charsets.
//! Its key makes capture idempotent: the normalised Message-ID, or without one a digest of
//! sender, date and subject, so the same message in an mbox and a Maildir is one record.

use chrono::{DateTime, Utc};
use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::noise::{self, Signals};
use super::{CapturedRecord, Item, Origin, Participant, RecordKind, Role, Unreadable};
use crate::model::Channel;

/// The most of a body `--with-body` keeps, in characters.
pub const BODY_CAP: usize = 4000;

/// The summary of a message without a subject.
pub const NO_SUBJECT: &str = "(no subject)";

/// Read one message. `with_body` also decodes its plain-text part (slower: MIME is walked).
pub fn read(raw: &[u8], origin: Origin, with_body: bool) -> Item {
    let parser = MessageParser::default();
    let parsed = if with_body {
        parser.parse(raw)
    } else {
        parser.parse_headers(raw)
    };
    let unreadable = |reason: &str| {
        Item::Unreadable(Unreadable {
            origin: origin.clone(),
            reason: reason.to_string(),
        })
    };
    let Some(message) = parsed.filter(|m| !m.headers().is_empty()) else {
        return unreadable("no mail headers");
    };
    let participants = participants(&message);
    let Some(sender) = participants.iter().find(|p| p.role == Role::From) else {
        return unreadable("no From address");
    };
    let Some(occurred_at) = message
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0))
    else {
        return unreadable("no Date, or one that is not a date");
    };
    let summary = one_line(message.subject().unwrap_or_default());
    let summary = if summary.is_empty() {
        NO_SUBJECT.to_string()
    } else {
        summary
    };
    let message_id = message.message_id().and_then(normalise_id);
    let key = message_id
        .clone()
        .unwrap_or_else(|| digest(&sender.address, occurred_at, &summary));
    let references = ids(message.references());
    let in_reply_to = ids(message.in_reply_to());
    let thread = references
        .first()
        .or(in_reply_to.first())
        .cloned()
        .unwrap_or_else(|| key.clone());
    let mut replies_to = references;
    replies_to.extend(in_reply_to);
    let body = if with_body {
        message
            .body_text(0)
            .map(|b| plain_body(&b))
            .filter(|b| !b.is_empty())
    } else {
        None
    };
    let noise = noise::classify(&signals(&message, &participants));
    Item::Record(Box::new(CapturedRecord {
        kind: RecordKind::Mail,
        key,
        sequence: None,
        occurred_at,
        channel: Channel::Email,
        summary,
        participants,
        location: None,
        thread: Some(thread),
        replies_to,
        body,
        noise,
        origin,
    }))
}

/// From, To and Cc, in that order, each address once per role.
fn participants(message: &Message<'_>) -> Vec<Participant> {
    let mut out = Vec::new();
    let mut add = |address: Option<&Address<'_>>, role: Role| {
        for addr in address.into_iter().flat_map(|a| a.iter()) {
            let Some(address) = addr.address().map(str::trim).filter(|a| a.contains('@')) else {
                continue;
            };
            if out
                .iter()
                .any(|p: &Participant| p.role == role && p.address.eq_ignore_ascii_case(address))
            {
                continue;
            }
            out.push(Participant {
                address: address.to_string(),
                name: addr.name().map(one_line).filter(|n| !n.is_empty()),
                role,
            });
        }
    };
    add(message.from(), Role::From);
    for to in message.all_to() {
        add(Some(to), Role::To);
    }
    for cc in message.all_cc() {
        add(Some(cc), Role::Cc);
    }
    out
}

fn signals(message: &Message<'_>, participants: &[Participant]) -> Signals {
    let mut signals = Signals {
        from: participants
            .iter()
            .find(|p| p.role == Role::From)
            .map(|p| p.address.clone()),
        recipients: participants.iter().filter(|p| p.role != Role::From).count(),
        report: message.content_type().is_some_and(|c| {
            c.ctype().eq_ignore_ascii_case("multipart")
                && c.subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        }),
        ..Default::default()
    };
    for header in message.headers() {
        let name = header.name();
        let text = || header.value().as_text().map(|t| t.trim().to_string());
        if name.eq_ignore_ascii_case("List-Id") {
            signals.list_id = true;
        } else if name.eq_ignore_ascii_case("List-Unsubscribe") {
            signals.list_unsubscribe = true;
        } else if name.eq_ignore_ascii_case("Precedence") {
            signals.precedence = text();
        } else if name.eq_ignore_ascii_case("Auto-Submitted") {
            signals.auto_submitted = text().or(Some("yes".into()));
        } else if name.eq_ignore_ascii_case("X-Autoreply")
            || name.eq_ignore_ascii_case("X-Autorespond")
        {
            signals.auto_reply_header = true;
        } else if name.eq_ignore_ascii_case("Return-Path") {
            let raw = std::str::from_utf8(
                message
                    .raw_message()
                    .get(header.offset_start() as usize..header.offset_end() as usize)
                    .unwrap_or_default(),
            )
            .unwrap_or_default();
            signals.null_return_path = raw.trim() == "<>";
        }
    }
    signals
}

/// A Message-ID as compared: without angle brackets and space, lowercase. Empty → `None`.
pub fn normalise_id(raw: &str) -> Option<String> {
    let id = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_lowercase();
    (!id.is_empty()).then_some(id)
}

/// The Message-IDs in References or In-Reply-To, normalised, in order.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let split = |text: &str| -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || c == ',')
            .filter_map(normalise_id)
            .collect()
    };
    match value {
        HeaderValue::Text(t) => split(t),
        HeaderValue::TextList(list) => list.iter().flat_map(|t| split(t)).collect(),
        _ => Vec::new(),
    }
}

/// The key of a message without a Message-ID: its sender, date and subject.
pub fn digest(sender: &str, at: DateTime<Utc>, subject: &str) -> String {
    let sender = super::addresses::match_key(sender).unwrap_or_else(|| sender.to_lowercase());
    let mut hash = Sha256::new();
    hash.update(sender.as_bytes());
    hash.update([0]);
    hash.update(crate::store::ts(at).as_bytes());
    hash.update([0]);
    hash.update(subject.as_bytes());
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Folded header text as one line: runs of whitespace (line breaks too) become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a message body without the replies it quotes: lines starting with `>`, an
/// "On ... wrote:" line above them, and everything from an "Original Message" separator or
/// a forwarded/quoted header block down. Cut to [`BODY_CAP`] characters.
pub fn plain_body(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('>') {
            continue;
        }
        if is_original_message_separator(trimmed) {
            break;
        }
        let next_quoted = lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start().starts_with('>'));
        if next_quoted && trimmed.ends_with("wrote:") {
            continue;
        }
        let line = line.trim_end();
        if line.is_empty() && kept.last().is_some_and(|l| l.is_empty()) {
            continue; // where a quote was cut out, one blank line is enough
        }
        kept.push(line);
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.is_empty()) {
        kept.remove(0);
    }
    let body = kept.join("\n");
    match body.char_indices().nth(BODY_CAP) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body,
    }
}

fn is_original_message_separator(line: &str) -> bool {
    let l = line.trim_matches(|c: char| c == '-' || c == '_' || c.is_whitespace());
    line.starts_with("--") && l.eq_ignore_ascii_case("Original Message")
        || line.starts_with("___") && l.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Noise;

    fn record(raw: &str) -> CapturedRecord {
        let origin = Origin {
            file: "test.eml".into(),
            offset: None,
        };
        match read(raw.as_bytes(), origin, true) {
            Item::Record(r) => *r,
            Item::Unreadable(u) => panic!("unreadable: {}", u.reason),
            other => panic!("read as {other:?}"),
        }
    }

    #[test]
    fn a_message_is_read_with_its_key_thread_and_participants() {
        let r = record(
            "From: =?UTF-8?Q?J=C3=BCrgen?= <J.Mueller@Example.org>\r\n\
             To: a@example.org, \"B, Bee\" <b@example.org>\r\n\
             Cc: c@example.org\r\n\
             Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n  aus Berlin\r\n\
             Date: Wed, 25 Nov 2026 10:00:00 +0100\r\n\
             Message-ID: < ABC@Example.org >\r\n\
             References: <root@x> <mid@x>\r\n\
             In-Reply-To: <mid@x>\r\n\r\nHallo\r\n",
        );
        assert_eq!(r.key, "abc@example.org");
        assert_eq!(r.thread.as_deref(), Some("root@x"));
        assert_eq!(r.replies_to, ["root@x", "mid@x", "mid@x"]);
        assert_eq!(r.summary, "Grüße aus Berlin");
        assert_eq!(crate::store::ts(r.occurred_at), "2026-11-25T09:00:00Z");
        let who: Vec<(&str, Role, Option<&str>)> = r
            .participants
            .iter()
            .map(|p| (p.address.as_str(), p.role, p.name.as_deref()))
            .collect();
        assert_eq!(
            who,
            [
                ("J.Mueller@Example.org", Role::From, Some("Jürgen")),
                ("a@example.org", Role::To, None),
                ("b@example.org", Role::To, Some("B, Bee")),
                ("c@example.org", Role::Cc, None),
            ]
        );
        assert_eq!(r.body.as_deref(), Some("Hallo"));
        assert_eq!(r.noise, None);
    }

    #[test]
    fn subjects_in_any_charset_are_decoded() {
        let r = record(
            "From: a@x.org\nSubject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\nx\n",
        );
        assert_eq!(r.summary, "こんにちは");
        let r = record("From: a@x.org\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\nx\n");
        assert_eq!(r.summary, NO_SUBJECT);
    }

    #[test]
    fn without_a_message_id_the_key_is_a_digest_of_sender_date_and_subject() {
        let a = record("From: a@x.org\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nSubject: Hi\n\nx\n");
        let b = record("From: A@X.org\nDate: Wed, 25 Nov 2026 11:00:00 +0100\nSubject: Hi\n\ny\n");
        let c = record("From: a@x.org\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nSubject: Ho\n\nx\n");
        assert!(a.key.starts_with("sha256:"));
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
        assert_eq!(a.thread.as_deref(), Some(a.key.as_str()));
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        let origin = || Origin {
            file: "m.mbox".into(),
            offset: Some(42),
        };
        for (raw, why) in [
            ("no headers here\n", "no mail headers"),
            (
                "To: a@x.org\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\nx\n",
                "no From address",
            ),
            (
                "From: a@x.org\nDate: someday\n\nx\n",
                "no Date, or one that is not a date",
            ),
        ] {
            match read(raw.as_bytes(), origin(), false) {
                Item::Unreadable(u) => {
                    assert_eq!(u.reason, why);
                    assert_eq!(u.origin.to_string(), "m.mbox at byte 42");
                }
                other => panic!("read {raw:?} as {other:?}"),
            }
        }
    }

    #[test]
    fn noise_is_recognised_from_headers() {
        let list = record(
            "From: a@x.org\nTo: l@lists.x.org\nList-Id: <l.lists.x.org>\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\nx\n",
        );
        assert_eq!(list.noise, Some(Noise::List));
        let bounce = record(
            "From: a@x.org\nTo: me@x.org\nReturn-Path: <>\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\nx\n",
        );
        assert_eq!(bounce.noise, Some(Noise::Automated));
        let report = record(
            "From: postmaster@x.org\nTo: me@x.org\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nContent-Type: multipart/report; boundary=b\n\n--b\n\nx\n--b--\n",
        );
        assert_eq!(report.noise, Some(Noise::Automated));
    }

    #[test]
    fn quoted_replies_are_left_out_of_a_body() {
        let body =
            "Thanks, see below.\n\nOn Tue, 3 Nov 2026, Ada wrote:\n> the old\n> text\n\n-- \nMe";
        assert_eq!(plain_body(body), "Thanks, see below.\n\n--\nMe");
        let outlook = "Yes.\n\n-----Original Message-----\nFrom: Ada\nSubject: old";
        assert_eq!(plain_body(outlook), "Yes.");
        let long = "x".repeat(BODY_CAP + 10);
        assert_eq!(plain_body(&long).chars().count(), BODY_CAP + 1);
    }
}
