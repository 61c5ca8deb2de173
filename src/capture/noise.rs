//! Mail that is not a conversation: mailing lists (List-Id, List-Unsubscribe, Precedence
//! bulk/list/junk), automated mail (Auto-Submitted, bounces and delivery reports, a null
//! return path, MAILER-DAEMON, postmaster and no-reply senders) and crowds (more than
//! [`CROWD`] recipients). A capture counts and skips each unless asked to include it.

use serde::Serialize;

/// More recipients than this make a message a crowd, not a conversation.
pub const CROWD: usize = 20;

/// Why a message is noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    /// Sent by a machine: a bounce, an auto-reply, a no-reply notification.
    Automated,
    /// Sent through a mailing list.
    List,
    /// Sent to more than [`CROWD`] people.
    Crowd,
}

impl Noise {
    pub const ALL: [Noise; 3] = [Noise::Automated, Noise::List, Noise::Crowd];

    pub fn as_str(self) -> &'static str {
        match self {
            Noise::Automated => "automated",
            Noise::List => "list",
            Noise::Crowd => "crowd",
        }
    }
}

/// What a message says about itself that tells noise apart, read by [`crate::capture::mail`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    pub list_id: bool,
    pub list_unsubscribe: bool,
    pub precedence: Option<String>,
    pub auto_submitted: Option<String>,
    /// An X-Autoreply, X-Autorespond or X-Auto-Response-Suppress: All header.
    pub auto_reply_header: bool,
    /// The sender's address (From).
    pub from: Option<String>,
    /// `Return-Path: <>`: the null sender of bounces and notifications.
    pub null_return_path: bool,
    /// The top-level Content-Type is multipart/report (a delivery or read report).
    pub report: bool,
    /// How many addresses are in To and Cc.
    pub recipients: usize,
}

/// Why `signals` make a message noise, the first that applies (automated before list before
/// crowd: a bounce from a list is a bounce).
pub fn classify(signals: &Signals) -> Option<Noise> {
    if is_automated(signals) {
        Some(Noise::Automated)
    } else if signals.list_id
        || signals.list_unsubscribe
        || signals.precedence.as_deref().is_some_and(|p| {
            let p = p.trim();
            ["bulk", "list", "junk"]
                .iter()
                .any(|k| p.eq_ignore_ascii_case(k))
        })
    {
        Some(Noise::List)
    } else if signals.recipients > CROWD {
        Some(Noise::Crowd)
    } else {
        None
    }
}

fn is_automated(signals: &Signals) -> bool {
    signals
        .auto_submitted
        .as_deref()
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no") && !v.trim().is_empty())
        || signals.auto_reply_header
        || signals.null_return_path
        || signals.report
        || signals.from.as_deref().is_some_and(automated_sender)
}

/// MAILER-DAEMON, postmaster, no-reply and bounce addresses.
pub fn automated_sender(address: &str) -> bool {
    let local = address
        .trim()
        .trim_start_matches('<')
        .rsplit_once('@')
        .map_or(address, |(l, _)| l)
        .to_ascii_lowercase();
    let squashed: String = local
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    matches!(
        squashed.as_str(),
        "mailerdaemon"
            | "postmaster"
            | "noreply"
            | "donotreply"
            | "noreplies"
            | "bounce"
            | "bounces"
    ) || squashed.starts_with("noreply")
        || squashed.starts_with("donotreply")
        || [
            "bounce-", "bounce+", "bounces-", "bounces+", "bounce.", "bounces.",
        ]
        .iter()
        .any(|p| local.starts_with(p))
        || local.contains("-bounces")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(address: &str) -> Signals {
        Signals {
            from: Some(address.into()),
            ..Default::default()
        }
    }

    #[test]
    fn machines_are_automated() {
        for sender in [
            "MAILER-DAEMON@mx.example.org",
            "postmaster@example.org",
            "no-reply@github.com",
            "noreply@example.org",
            "do_not_reply@bank.example",
            "NoReply.Alerts@example.org",
            "dev-bounces+ada=example.org@lists.example.org",
            "bounce-123@mail.example.com",
        ] {
            assert_eq!(classify(&from(sender)), Some(Noise::Automated), "{sender}");
        }
        for person in [
            "ada@example.org",
            "replyguy@example.org",
            "bouncer.bob@example.org",
        ] {
            assert_ne!(classify(&from(person)), Some(Noise::Automated), "{person}");
        }
        let auto = Signals {
            auto_submitted: Some("auto-replied".into()),
            ..from("ada@example.org")
        };
        assert_eq!(classify(&auto), Some(Noise::Automated));
        let human = Signals {
            auto_submitted: Some("no".into()),
            ..from("ada@example.org")
        };
        assert_eq!(classify(&human), None);
    }

    #[test]
    fn lists_and_crowds() {
        let list = Signals {
            list_id: true,
            ..from("ada@example.org")
        };
        assert_eq!(classify(&list), Some(Noise::List));
        let bulk = Signals {
            precedence: Some(" Bulk ".into()),
            ..from("ada@example.org")
        };
        assert_eq!(classify(&bulk), Some(Noise::List));
        let first_class = Signals {
            precedence: Some("first-class".into()),
            ..from("ada@example.org")
        };
        assert_eq!(classify(&first_class), None);
        let twenty = Signals {
            recipients: CROWD,
            ..from("ada@example.org")
        };
        assert_eq!(classify(&twenty), None);
        let crowd = Signals {
            recipients: CROWD + 1,
            ..twenty
        };
        assert_eq!(classify(&crowd), Some(Noise::Crowd));
    }
}
