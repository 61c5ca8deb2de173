//! The sentence each factor gives for its points ("45 days since last contact, usually every
//! 20 days"). Appended to one `String` without a `format!` of its own: the ranked table of
//! `kith health` writes two for each of a hundred thousand people.

use std::fmt::Write as _;

use super::{ChannelCount, Expectation, Factor, MIN_DIRECTED, Measured, NEW_DAYS, usual_per_90};
use crate::dates::describe_period;
use crate::model::Channel;

impl Factor {
    /// [`Factor::reason`] appended to `out`: the ranked table writes a hundred thousand.
    pub fn write_reason(&self, out: &mut String) {
        match &self.measured {
            Measured::Recency {
                days_since_last_contact,
                days_since_added,
                expected_days,
                expected,
                days_over,
            } => {
                recency(
                    out,
                    *days_since_last_contact,
                    *days_since_added,
                    *expected_days,
                    expected,
                );
                // Past it, said: a little late still scores above nothing, which alone reads
                // as praise.
                if *days_over > 0 {
                    out.push_str(", ");
                    days(out, *days_over);
                    out.push_str(" over");
                }
            }
            Measured::Frequency {
                last_30_days,
                last_90_days,
                last_365_days,
                year_before,
                past_days,
            } => frequency(
                out,
                [*last_30_days, *last_90_days, *last_365_days],
                *year_before,
                *past_days,
            ),
            Measured::Reciprocity {
                considered,
                theirs,
                yours,
                conversations,
                one_way_mail,
                undirected,
            } => {
                reciprocity(
                    out,
                    *considered,
                    *theirs,
                    *yours,
                    *conversations,
                    *one_way_mail,
                );
                match undirected {
                    0 => {}
                    1 => out.push_str(", not counting 1 interaction logged with no direction"),
                    n => {
                        out.push_str(", not counting ");
                        int(out, *n);
                        out.push_str(" interactions logged with no direction");
                    }
                }
            }
            Measured::Depth {
                considered,
                channels,
                ..
            } => depth(out, *considered, channels, self.effect),
            Measured::FollowThrough {
                overdue,
                oldest_overdue_days,
            } => match (overdue, oldest_overdue_days) {
                (0, _) | (_, None) => out.push_str("no overdue follow-ups"),
                (1, Some(d)) => {
                    out.push_str("1 follow-up overdue by ");
                    days(out, *d);
                }
                (n, Some(d)) => {
                    int(out, *n);
                    out.push_str(" follow-ups overdue, the oldest by ");
                    days(out, *d);
                }
            },
            Measured::Tenure {
                known_days,
                softens_percent,
                contacted,
            } => {
                if !contacted {
                    out.push_str("new: no contact yet, so nothing established");
                } else if *known_days == 0 {
                    out.push_str("new: in touch on one day so far, not yet established");
                } else if *known_days < NEW_DAYS {
                    out.push_str("new: in touch for ");
                    known(out, *known_days);
                    out.push_str(", not yet established");
                } else {
                    out.push_str("in touch for ");
                    known(out, *known_days);
                    if self.effect > 0 {
                        out.push_str(", so the silence counts ");
                        int(out, *softens_percent);
                        out.push_str("% less");
                    }
                }
            }
        }
    }
}

/// `n` in decimal, as `{n}` writes it, without the formatting machinery.
pub(crate) fn int(out: &mut String, n: impl Into<i64>) {
    crate::numbers::push_decimal(out, n.into());
}

/// "1 day", "3 days".
fn days(out: &mut String, n: i64) {
    if n == 1 {
        out.push_str("1 day");
    } else {
        int(out, n);
        out.push_str(" days");
    }
}

/// "1 email", "4 emails", "2 calls"; without the count when not `counted`.
fn count_of(out: &mut String, n: u32, ch: Channel, counted: bool) {
    let (one, many) = match ch {
        Channel::Call => ("call", "calls"),
        Channel::Email => ("email", "emails"),
        Channel::Meeting => ("meeting", "meetings"),
        Channel::Video => ("video call", "video calls"),
        Channel::Message => ("message", "messages"),
        Channel::Social => ("social post", "social posts"),
        Channel::Letter => ("letter", "letters"),
        Channel::Note => ("note", "notes"),
        Channel::Other => ("other interaction", "other interactions"),
    };
    if counted {
        int(out, n);
        out.push(' ');
    }
    out.push_str(if n == 1 { one } else { many });
}

/// "1 year", "3 years", "7 months", "12 days".
fn known(out: &mut String, known_days: i64) {
    if known_days >= 365 {
        let years = known_days / 365;
        if years == 1 {
            out.push_str("1 year");
        } else {
            int(out, years);
            out.push_str(" years");
        }
    } else if known_days >= 60 {
        int(out, known_days / 30);
        out.push_str(" months");
    } else {
        days(out, known_days);
    }
}

fn recency(
    out: &mut String,
    since: Option<i64>,
    added: i64,
    expected_days: i64,
    expected: &Expectation,
) {
    match since {
        None if added == 0 => out.push_str("never contacted, added today"),
        None => {
            out.push_str("never contacted, added ");
            days(out, added);
            out.push_str(" ago");
        }
        Some(0) => out.push_str("last contact today"),
        Some(d) => {
            days(out, d);
            out.push_str(" since last contact");
        }
    }
    if since.is_none() && *expected == Expectation::Default {
        return;
    }
    match expected {
        Expectation::Cadence { every } => {
            out.push_str(", cadence every ");
            out.push_str(&describe_period(every));
        }
        Expectation::Tag { every, tag } => {
            out.push_str(", cadence every ");
            out.push_str(&describe_period(every));
            out.push_str(" (tag ");
            out.push_str(tag);
            out.push(')');
        }
        Expectation::Rhythm { .. } => {
            out.push_str(", usually every ");
            days(out, expected_days);
        }
        Expectation::Default => {
            out.push_str(", no cadence or rhythm yet, so every ");
            days(out, expected_days);
            out.push_str(" is expected");
        }
    }
}

/// "3 in the last 30, 6 in the year)".
fn counts_30_365(out: &mut String, n30: u32, n365: u32) {
    int(out, n30);
    out.push_str(" in the last 30, ");
    int(out, n365);
    out.push_str(" in the year");
}

fn frequency(out: &mut String, [n30, n90, n365]: [u32; 3], year_before: u32, past_days: i64) {
    if past_days < super::MIN_PAST_DAYS {
        int(out, n90);
        out.push_str(" in the last 90 days (");
        counts_30_365(out, n30, n365);
        out.push_str("); known too briefly to compare with their past");
    } else if year_before == 0 && n90 == 0 {
        out.push_str("none in the last 90 days or the year before");
    } else if year_before == 0 {
        int(out, n90);
        out.push_str(" in the last 90 days after none in the year before: back in touch");
    } else {
        int(out, n90);
        // The one number written by the formatting machinery: its rounding is Rust's.
        let _ = write!(
            out,
            " in the last 90 days against a usual {:.1} per 90 days (",
            usual_per_90(year_before, past_days)
        );
        counts_30_365(out, n30, n365);
        out.push(')');
    }
}

/// "1 exchange", "4 exchanges".
fn exchanges(out: &mut String, n: u32) {
    if n == 1 {
        out.push_str("1 exchange");
    } else {
        int(out, n);
        out.push_str(" exchanges");
    }
}

fn reciprocity(
    out: &mut String,
    considered: u32,
    theirs: u32,
    yours: u32,
    conversations: u32,
    one_way_mail: bool,
) {
    if considered < MIN_DIRECTED {
        exchanges(out, considered);
        out.push_str(" so far, too few to judge who reaches out");
    } else if one_way_mail && yours > 0 {
        out.push_str("one-way mail: you wrote the last ");
        int(out, considered);
        out.push_str(", with no reply or conversation");
    } else if one_way_mail {
        out.push_str("one-way mail: they wrote the last ");
        int(out, considered);
        out.push_str(", and you never replied");
    } else if conversations == considered {
        out.push_str("the last ");
        int(out, considered);
        out.push_str(" were conversations (meetings or calls), both ways");
    } else if conversations == 0 {
        int(out, yours);
        out.push_str(" of the last ");
        int(out, considered);
        out.push_str(" were yours");
    } else {
        out.push_str("of the last ");
        int(out, considered);
        if conversations == 1 {
            out.push_str(", 1 was a meeting or call and ");
        } else {
            out.push_str(", ");
            int(out, conversations);
            out.push_str(" were meetings or calls and ");
        }
        let rest = considered - conversations;
        match (yours, theirs) {
            (_, 0) => {
                out.push_str("the other ");
                int(out, rest);
                out.push_str(" yours");
            }
            (0, _) => {
                out.push_str("the other ");
                int(out, rest);
                out.push_str(" theirs");
            }
            _ => {
                out.push_str("of the other ");
                int(out, rest);
                out.push_str(", ");
                int(out, yours);
                out.push_str(" yours");
            }
        }
    }
}

fn depth(out: &mut String, considered: u32, channels: &[ChannelCount], effect: i32) {
    if considered == 0 {
        out.push_str("nothing logged");
        return;
    }
    if considered == 1 {
        out.push_str("the last one was ");
    } else {
        out.push_str("the last ");
        int(out, considered);
        out.push_str(" were ");
    }
    if let [only] = channels {
        // "the last 2 were meetings", not "the last 2 were 2 meetings".
        let start = out.len();
        count_of(out, only.count, only.channel, false);
        if considered == 1 {
            let article = match out.as_bytes().get(start) {
                Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an ",
                _ => "a ",
            };
            out.insert_str(start, article);
        }
        out.push_str(match effect {
            e if e > 0 => ", deeper than an email",
            0 => "",
            _ => ", lighter than an email",
        });
        return;
    }
    // Every channel by name (ten interactions have few): "others" would not say which.
    // "a, b and c".
    for (i, c) in channels.iter().enumerate() {
        if i + 1 == channels.len() && i > 0 {
            out.push_str(" and ");
        } else if i > 0 {
            out.push_str(", ");
        }
        count_of(out, c.count, c.channel, true);
    }
    out.push_str(match effect {
        e if e > 0 => ", on average deeper than an email",
        0 => ", on average as deep as an email",
        _ => ", on average lighter than an email",
    });
}
