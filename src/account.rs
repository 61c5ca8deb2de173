//! A company as a customer: its people's health rolled up into the organization's own, with
//! the reasons a person reads ("1 of 5 people contacted in the last 90 days; Ada, your most
//! frequent contact there, 95 days silent"), and who there has gone cold. Pure: each person's health
//! score, last contact and recent interactions come in as values (`app::views::org_brief`
//! reads them), with today's date.
//!
//! # The formula (every point explained)
//! An account is as alive as its best relationship, helped by the others and by how many of
//! its people you are actually talking to. Only the people you have been in touch with have
//! a relationship to weigh; the others count in the coverage alone.
//! - strongest: half the best health among them (80 → 40 points);
//! - breadth: three tenths of their average health (30 → 9 points);
//! - coverage: 20 points times the share of its people contacted in the last
//!   [`QUARTER_DAYS`] days (a quarter; 1 of 5 → 4 points).
//!
//! The sum, rounded, is the score (0 to 100); an organization without people scores 0.
//! Someone has gone cold when you have been in touch before but not in the last 90 days. The key
//! contact is the one with the most interactions in the last year (ties: the latest
//! contacted); the summary says how long they have been silent.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::ContactRef;

/// A quarter: the last 90 days.
pub const QUARTER_DAYS: i64 = 90;
/// The key contact is called silent past this many days.
pub const SILENT_DAYS: i64 = 30;

/// One person of the organization, as the roll-up reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub contact: ContactRef,
    pub score: u8,
    /// The local day of their last interaction.
    pub last_contact: Option<NaiveDate>,
    /// Interactions in the last 365 days.
    pub last_year: u32,
}

/// One part of the organization's score: what was measured, and the points it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "factor", rename_all = "snake_case")]
pub enum AccountFactor {
    /// The best health among its people, and whose it is.
    Strongest {
        contact: Option<ContactRef>,
        health: u8,
        points: i32,
    },
    /// The average health of the people there you have been in touch with.
    Breadth {
        people: usize,
        average: u8,
        points: i32,
    },
    /// How many of its people were contacted in the last 90 days.
    Coverage {
        contacted: usize,
        people: usize,
        points: i32,
    },
}

impl AccountFactor {
    pub fn points(&self) -> i32 {
        match self {
            AccountFactor::Strongest { points, .. }
            | AccountFactor::Breadth { points, .. }
            | AccountFactor::Coverage { points, .. } => *points,
        }
    }

    /// The factor as a sentence.
    pub fn reason(&self) -> String {
        match self {
            AccountFactor::Strongest {
                contact: Some(c),
                health,
                ..
            } => format!("strongest relationship: {} at {health}", c.name),
            AccountFactor::Strongest { contact: None, .. } => {
                "nobody there you have been in touch with".into()
            }
            AccountFactor::Breadth {
                people, average, ..
            } => format!(
                "average health {average} across the {} you have been in touch with",
                people_count(*people)
            ),
            AccountFactor::Coverage {
                contacted, people, ..
            } => format!(
                "{contacted} of {} contacted in the last 90 days",
                people_count(*people)
            ),
        }
    }
}

fn people_count(n: usize) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}

/// The key contact: the most interactions there in the last year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyContact {
    pub contact: ContactRef,
    pub last_year: u32,
    /// Days since their last interaction.
    pub days_silent: i64,
}

/// The organization's health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountHealth {
    pub score: u8,
    pub factors: Vec<AccountFactor>,
    pub key_contact: Option<KeyContact>,
    /// People you have been in touch with before, but not in the last 90 days.
    pub cold: Vec<ContactRef>,
}

impl AccountHealth {
    /// The reasons in one line: coverage first, then the key contact.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for f in &self.factors {
            if let AccountFactor::Coverage { people, .. } = f
                && *people > 0
            {
                parts.push(f.reason());
            }
        }
        if let Some(k) = &self.key_contact {
            let silence = if k.days_silent >= SILENT_DAYS {
                format!("{} days silent", k.days_silent)
            } else if k.days_silent == 0 {
                "contacted today".into()
            } else if k.days_silent == 1 {
                "contacted yesterday".into()
            } else {
                format!("contacted {} days ago", k.days_silent)
            };
            parts.push(format!(
                "{}, your most frequent contact there, {silence}",
                k.contact.name
            ));
        }
        if parts.is_empty() {
            return "nobody there contacted yet".into();
        }
        parts.join("; ")
    }
}

/// The health of an organization whose people are `members`, on `today`.
pub fn roll_up(members: &[Member], today: NaiveDate) -> AccountHealth {
    let days_since = |d: NaiveDate| crate::dates::days_between(d, today);
    let this_quarter = |m: &&Member| {
        m.last_contact
            .is_some_and(|d| days_since(d) <= QUARTER_DAYS)
    };
    let known: Vec<&Member> = members
        .iter()
        .filter(|m| m.last_contact.is_some())
        .collect();
    let best = known
        .iter()
        .max_by_key(|m| (m.score, std::cmp::Reverse(m.contact.id)));
    let strongest = AccountFactor::Strongest {
        contact: best.map(|m| m.contact.clone()),
        health: best.map_or(0, |m| m.score),
        points: best.map_or(0, |m| (i32::from(m.score) + 1) / 2),
    };
    let average = if known.is_empty() {
        0
    } else {
        let sum: u32 = known.iter().map(|m| u32::from(m.score)).sum();
        (f64::from(sum) / known.len() as f64).round() as u8
    };
    let breadth = AccountFactor::Breadth {
        people: known.len(),
        average,
        points: (f64::from(average) * 0.3).round() as i32,
    };
    let contacted = members.iter().filter(this_quarter).count();
    let coverage = AccountFactor::Coverage {
        contacted,
        people: members.len(),
        points: if members.is_empty() {
            0
        } else {
            (20.0 * contacted as f64 / members.len() as f64).round() as i32
        },
    };
    let factors = vec![strongest, breadth, coverage];
    let total: i32 = factors.iter().map(AccountFactor::points).sum();
    let key_contact = members
        .iter()
        .filter(|m| m.last_year > 0)
        .max_by_key(|m| (m.last_year, m.last_contact, std::cmp::Reverse(m.contact.id)))
        .and_then(|m| {
            Some(KeyContact {
                contact: m.contact.clone(),
                last_year: m.last_year,
                days_silent: days_since(m.last_contact?),
            })
        });
    let cold = members
        .iter()
        .filter(|m| m.last_contact.is_some() && !this_quarter(m))
        .map(|m| m.contact.clone())
        .collect();
    AccountHealth {
        score: u8::try_from(total.clamp(0, 100)).unwrap_or(0),
        factors,
        key_contact,
        cold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn member(id: i64, name: &str, score: u8, last: Option<&str>, last_year: u32) -> Member {
        Member {
            contact: ContactRef {
                id,
                uid: format!("u{id}"),
                name: name.into(),
            },
            score,
            last_contact: last.map(day),
            last_year,
        }
    }

    #[test]
    fn five_people_one_active_reads_as_a_person_would_say_it() {
        let today = day("2026-11-24");
        let people = [
            member(1, "Ada", 38, Some("2026-08-21"), 14),
            member(2, "Bob", 72, Some("2026-11-20"), 6),
            member(3, "Cy", 20, Some("2026-03-01"), 1),
            member(4, "Di", 10, None, 0),
            member(5, "Ed", 10, None, 0),
        ];
        let h = roll_up(&people, today);
        // Strongest 72 → 36; the three you know average 43 → 13; 1 of 5 in 90 days → 4.
        let points: Vec<i32> = h.factors.iter().map(AccountFactor::points).collect();
        assert_eq!(points, [36, 13, 4]);
        assert_eq!(h.score, 53);
        assert_eq!(
            h.summary(),
            "1 of 5 people contacted in the last 90 days; Ada, your most frequent contact there, 95 days silent"
        );
        assert_eq!(h.factors[0].reason(), "strongest relationship: Bob at 72");
        assert_eq!(
            h.factors[1].reason(),
            "average health 43 across the 3 people you have been in touch with"
        );
        let cold: Vec<&str> = h.cold.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cold, ["Ada", "Cy"]);
    }

    #[test]
    fn an_organization_without_people_scores_nothing_and_says_so() {
        let h = roll_up(&[], day("2026-11-24"));
        assert_eq!(h.score, 0);
        assert_eq!(h.summary(), "nobody there contacted yet");
        assert_eq!(
            h.factors[0].reason(),
            "nobody there you have been in touch with"
        );
    }

    #[test]
    fn more_people_in_touch_and_healthier_ties_score_higher() {
        let today = day("2026-11-24");
        let quiet = [
            member(1, "Ada", 60, Some("2026-05-01"), 2),
            member(2, "Bob", 20, None, 0),
        ];
        let busy = [
            member(1, "Ada", 60, Some("2026-11-01"), 9),
            member(2, "Bob", 50, Some("2026-11-10"), 4),
        ];
        assert!(roll_up(&busy, today).score > roll_up(&quiet, today).score);
        assert_eq!(
            roll_up(&busy, today).summary(),
            "2 of 2 people contacted in the last 90 days; Ada, your most frequent contact there, contacted 23 days ago"
        );
    }
}
