//! The forms of the interactive mode: fields of text (one line, or several for a log's body
//! and a contact's notes), read into the same typed inputs of [`crate::app`] the CLI builds
//! and checked by the same rules there, each problem shown under the field it belongs to.
//! What only the store can tell (an organization that does not exist yet) comes back from
//! saving and is shown the same way, worded for the form.

use crate::app::contacts::{self, ChangeTags, EditContact};
use crate::app::follow_ups::{self, AddFollowUp, Snooze, Subject};
use crate::app::interactions::{self, EditInteraction, LogInteraction};
use crate::app::parse_when;
use crate::clock::Clock;
use crate::dates::Lean;
use crate::error::Error;
mod field;
pub use field::Field;

use crate::model::{
    Birthday, Channel, ContactFields, Due, FieldKind, Labeled, Period, RecurFrom, normalize_tag,
};

/// What a form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    AddContact,
    EditContact {
        id: i64,
        current: Box<ContactFields>,
    },
    Log {
        about: Subject,
    },
    /// `e` on a timeline row; `when` is the time as the form first showed it.
    EditInteraction {
        id: i64,
        when: String,
    },
    FollowUp {
        about: Subject,
    },
    Snooze {
        reminder_id: i64,
    },
    Tags {
        contact_id: i64,
    },
}

/// A change the form asks for: the typed input of its [`crate::app`] function, checked.
#[derive(Debug, Clone)]
pub enum Submission {
    AddContact {
        fields: ContactFields,
        /// The organization to create for them (Ctrl-N), as `--new-org` does.
        new_org: Option<String>,
    },
    EditContact(EditContact),
    Log(LogInteraction),
    EditInteraction(EditInteraction),
    FollowUp(AddFollowUp),
    Snooze(Snooze),
    Tags(ChangeTags),
}

/// Problems found while reading a form: (field index, message).
struct Problems<'f> {
    form: &'f Form,
    list: Vec<(usize, String)>,
}

impl Problems<'_> {
    fn check(&mut self, label: &str, e: Error) {
        self.list.push((self.form.index(label), problem(&e)));
    }

    /// The value of `result`, or `None` with its problem noted under `label`.
    fn ok<T>(&mut self, label: &str, result: Result<T, Error>) -> Option<T> {
        result.map_err(|e| self.check(label, e)).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// After the first attempt to save, problems are shown (and kept current) as you type.
    pub tried: bool,
    /// Why saving failed, when it is about no one field (shown above the keys).
    pub problem: Option<String>,
}

/// Examples of a past time, the last one a date a week ago.
fn when_hint(clock: Clock) -> String {
    let week_ago = clock.today() - chrono::Days::new(7);
    format!(
        "now, yesterday 3pm, 2 days ago, {}",
        week_ago.format("%Y-%m-%d")
    )
}

/// Examples of a time to come, the last one a date a month ahead: never a past one.
fn due_hint(clock: Clock) -> String {
    let ahead = clock.today() + chrono::Days::new(30);
    format!(
        "tomorrow, next monday, in 2 weeks, {}",
        ahead.format("%Y-%m-%d")
    )
}

/// The Organization field's hint: joining is the rule, creating is asked for.
const ORGANIZATION_HINT: &str = "an existing one; Ctrl-N creates a new one and saves";

impl Form {
    pub fn add_contact() -> Form {
        Form::contact(
            FormKind::AddContact,
            "Add a contact".into(),
            &ContactFields::default(),
        )
    }

    pub fn edit_contact(id: i64, current: ContactFields) -> Form {
        let title = format!(
            "Edit {}",
            crate::output::sanitize_line(&current.display_name)
        );
        let kind = FormKind::EditContact {
            id,
            current: Box::new(current.clone()),
        };
        Form::contact(kind, title, &current)
    }

    fn contact(kind: FormKind, title: String, c: &ContactFields) -> Form {
        let list = |l: &[Labeled]| {
            l.iter()
                .map(|x| match &x.label {
                    Some(label) => format!("{label}:{}", x.value),
                    None => x.value.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fields = vec![
            Field::new(
                "Name",
                c.display_name.clone(),
                "the name to show, e.g. Ada Lovelace",
            ),
            Field::new(
                "Organization",
                c.organization.clone().unwrap_or_default(),
                ORGANIZATION_HINT,
            ),
            Field::new(
                "Title",
                c.title.clone().unwrap_or_default(),
                "role at the organization",
            ),
            Field::new("Emails", list(&c.emails), "work:ada@example.com, home:..."),
            Field::new("Phones", list(&c.phones), "mobile:+44 20 7946 0958, ..."),
            Field::new("Tags", c.tags.join(" "), "client vip (space separated)"),
            Field::new(
                "Birthday",
                c.birthday.map(|b| b.to_string()).unwrap_or_default(),
                "YYYY-MM-DD, or --MM-DD without the year",
            ),
            Field::new(
                "Prefers",
                c.preferred_channel
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                "call, email, meeting, video, message, social, letter",
            ),
            Field::new(
                "Keep in touch",
                c.cadence.map(|p| p.to_string()).unwrap_or_default(),
                "every 30d, 2w, 2m, 1y",
            ),
            Field::new(
                "Notes",
                c.notes.clone().unwrap_or_default(),
                "free text; Enter starts a new line",
            )
            .multiline(),
        ];
        Form::with(kind, title, fields)
    }

    fn with(kind: FormKind, title: String, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title,
            fields,
            focus: 0,
            tried: false,
            problem: None,
        }
    }

    /// Log an interaction with a contact, or with an organization (`about`, named `name`).
    pub fn log(about: Subject, name: &str, clock: Clock) -> Form {
        Form {
            kind: FormKind::Log { about },
            title: format!(
                "Log an interaction with {}",
                crate::output::sanitize_line(name)
            ),
            fields: vec![
                Field::new("Summary", "", "what happened, in one line"),
                Field::new(
                    "Channel",
                    "call",
                    "call, email, meeting, video, message, social, letter, note",
                )
                .replaced_when_typed(),
                Field::new("When", "now", when_hint(clock)).replaced_when_typed(),
                Field::new("Body", "", "optional: details; Enter starts a new line").multiline(),
                Field::new("Follow-up", "", "optional: \"in 2 weeks: send proposal\""),
            ],
            focus: 0,
            tried: false,
            problem: None,
        }
    }

    /// The log form's fields, filled with a logged interaction, to change it.
    pub fn edit_interaction(i: &crate::model::Interaction, clock: Clock) -> Form {
        let when = i
            .occurred_at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        Form::with(
            FormKind::EditInteraction {
                id: i.id,
                when: when.clone(),
            },
            format!(
                "Edit interaction #{}: {}",
                i.id,
                crate::output::sanitize_line(&i.summary)
            ),
            vec![
                Field::new("Summary", i.summary.clone(), "what happened, in one line"),
                Field::new(
                    "Channel",
                    i.channel.as_str(),
                    "call, email, meeting, video, message, social, letter, note",
                ),
                Field::new("When", when, when_hint(clock)),
                Field::new(
                    "Body",
                    i.body.clone().unwrap_or_default(),
                    "optional: details; Enter starts a new line",
                )
                .multiline(),
            ],
        )
    }

    /// A follow-up about a contact or an organization (`about`, named `name`).
    pub fn follow_up(about: Subject, name: &str, clock: Clock) -> Form {
        Form::with(
            FormKind::FollowUp { about },
            format!("Follow-up about {}", crate::output::sanitize_line(name)),
            vec![
                Field::new("What", "", "what to do, e.g. send the proposal"),
                Field::new("Due", "", due_hint(clock)),
                Field::new("Repeat", "", "optional: every 7d, 2w, 3m, 1y"),
            ],
        )
    }

    pub fn snooze(reminder_id: i64, text: &str, clock: Clock) -> Form {
        Form::with(
            FormKind::Snooze { reminder_id },
            format!("Snooze: {}", crate::output::sanitize_line(text)),
            vec![Field::new("Until", "", due_hint(clock))],
        )
    }

    pub fn tags(contact_id: i64, name: &str, current: &[String]) -> Form {
        let hint = if current.is_empty() {
            "+client to add, -client to remove (no tags yet)".to_string()
        } else {
            format!("+tag to add, -tag to remove; now: {}", current.join(" "))
        };
        let field = Field::new("Tags", "", "+tag to add, -tag to remove");
        // The preview line names the contact's current tags.
        let mut form = Form::with(
            FormKind::Tags { contact_id },
            format!("Tags of {}", crate::output::sanitize_line(name)),
            vec![field],
        );
        form.fields[0].preview = Some(hint);
        form
    }

    pub fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus]
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Recompute date previews (always) and problems (once saving was tried).
    pub fn refresh(&mut self, clock: Clock) {
        for f in &mut self.fields {
            if matches!(f.label, "When" | "Due" | "Until") {
                let lean = if f.label == "When" {
                    Lean::Past
                } else {
                    Lean::Future
                };
                f.preview = f
                    .text()
                    .map(|t| match parse_when(clock, f.label, &t, lean) {
                        Ok(w) => format!("→ {}", describe_when(w, clock)),
                        Err(_) => "→ ?".to_string(),
                    });
            }
        }
        let tried = self.tried;
        let result = self.validate(clock);
        self.problem = None;
        for f in &mut self.fields {
            f.error = None;
        }
        if tried && let Err(problems) = result {
            for (i, message) in problems {
                self.fields[i].error = Some(message);
            }
        }
    }

    /// Try to save: the submission, or the form with its problems marked and the focus on
    /// the first one.
    pub fn submit(&mut self, clock: Clock) -> Option<Submission> {
        self.tried = true;
        self.refresh(clock);
        match self.validate(clock) {
            Ok(s) => Some(s),
            Err(problems) => {
                if let Some((i, _)) = problems.first() {
                    self.focus = *i;
                }
                None
            }
        }
    }

    /// Ctrl-N in a contact form: save, creating the organization typed (as `--new-org`).
    pub fn submit_new_org(&mut self, clock: Clock) -> Option<Submission> {
        let at = self.index("Organization");
        if !matches!(
            self.kind,
            FormKind::AddContact | FormKind::EditContact { .. }
        ) {
            return None;
        }
        let Some(name) = self.value("Organization") else {
            self.focus = at;
            self.fields[at].error = Some("type the new organization's name first".into());
            return None;
        };
        match self.submit(clock)? {
            Submission::AddContact { fields, .. } => Some(Submission::AddContact {
                fields,
                new_org: Some(name),
            }),
            Submission::EditContact(mut input) => {
                input.new_org = Some(name);
                Some(Submission::EditContact(input))
            }
            other => Some(other),
        }
    }

    /// Saving `submission` failed with `e`: show why where it belongs, in the form's words.
    pub fn save_failed(&mut self, submission: &Submission, e: &Error) {
        let contact_form = matches!(
            self.kind,
            FormKind::AddContact | FormKind::EditContact { .. }
        );
        let creating = match submission {
            Submission::AddContact { new_org, .. } => new_org.is_some(),
            Submission::EditContact(input) => input.new_org.is_some(),
            _ => false,
        };
        let organization = self.index("Organization");
        let shown = crate::output::sanitize_line;
        let message = match e {
            Error::NoOrganization { query } => format!(
                "no organization \"{}\" yet; Ctrl-N creates it and saves",
                shown(query)
            ),
            Error::Conflict(_) if creating => {
                let name = self.value("Organization").unwrap_or_default();
                format!(
                    "\"{}\" already exists; Enter saves joining it",
                    shown(&name)
                )
            }
            // The interactive mode lists active contacts only: what is archived is the
            // organization named.
            Error::Archived { name, .. } if contact_form => {
                format!(
                    "{} is archived; restore it (kith org restore) or name another",
                    shown(name)
                )
            }
            Error::Ambiguous { what, .. } if contact_form && *what == "organization" => {
                shown(&e.to_string()).into_owned()
            }
            other => {
                self.problem = Some(shown(&other.to_string()).into_owned());
                return;
            }
        };
        self.fields[organization].error = Some(message);
        self.focus = organization;
    }

    fn index(&self, label: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.label == label)
            .unwrap_or(0)
    }

    fn value(&self, label: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .and_then(Field::text)
    }

    /// Validate every field; problems as (field index, message).
    fn validate(&self, clock: Clock) -> Result<Submission, Vec<(usize, String)>> {
        let mut problems = Problems {
            form: self,
            list: Vec::new(),
        };
        let submission = match &self.kind {
            FormKind::AddContact => Submission::AddContact {
                fields: self.contact_fields(&mut problems, None, clock),
                new_org: None,
            },
            FormKind::EditContact { id, current } => {
                let fields = self.contact_fields(&mut problems, Some(current), clock);
                Submission::EditContact(EditContact::fields(*id, fields))
            }
            FormKind::Log { about } => self.log_input(&mut problems, *about, clock),
            FormKind::EditInteraction { id, when } => {
                self.edit_interaction_input(&mut problems, *id, when, clock)
            }
            FormKind::FollowUp { about } => self.follow_up_input(&mut problems, *about, clock),
            FormKind::Snooze { reminder_id } => {
                let until = self.value("Until");
                match &until {
                    None => problems.check("Until", no_date()),
                    Some(raw) => {
                        problems.ok("Until", follow_ups::snooze_until(clock, raw));
                    }
                }
                Submission::Snooze(Snooze {
                    id: *reminder_id,
                    until: until.unwrap_or_default(),
                })
            }
            FormKind::Tags { contact_id } => {
                let changes = self.value("Tags").unwrap_or_default();
                let parsed = ChangeTags::parse(
                    *contact_id,
                    changes.split([' ', ',']).filter(|c| !c.is_empty()),
                );
                Submission::Tags(problems.ok("Tags", parsed).unwrap_or_default())
            }
        };
        let mut problems = problems.list;
        if problems.is_empty() {
            Ok(submission)
        } else {
            problems.sort_by_key(|(i, _)| *i);
            problems.dedup_by_key(|(i, _)| *i);
            Err(problems)
        }
    }

    /// A contact's fields as typed over `current` (when editing), checked as
    /// [`contacts::check_new`] and [`contacts::check_edited`] check them.
    fn contact_fields(
        &self,
        problems: &mut Problems,
        current: Option<&ContactFields>,
        clock: Clock,
    ) -> ContactFields {
        let mut fields = current.cloned().unwrap_or_default();
        fields.display_name = self.value("Name").unwrap_or_default();
        fields.organization = self.value("Organization");
        fields.title = self.value("Title");
        fields.notes = self.value("Notes");
        for (label, kind) in [("Emails", FieldKind::Email), ("Phones", FieldKind::Phone)] {
            let list = self.value(label).unwrap_or_default();
            *fields.labeled_mut(kind) = list
                .split(',')
                .filter(|item| !item.trim().is_empty())
                .filter_map(|item| problems.ok(label, Labeled::parse_labeled(kind, item)))
                .collect();
        }
        let tags = self.value("Tags").unwrap_or_default();
        fields.tags = tags
            .split([' ', ','])
            .filter(|t| !t.is_empty())
            .filter_map(|t| problems.ok("Tags", normalize_tag(t)))
            .collect();
        fields.birthday = self
            .value("Birthday")
            .and_then(|b| problems.ok("Birthday", Birthday::parse(&b)));
        fields.preferred_channel = self
            .value("Prefers")
            .and_then(|c| problems.ok("Prefers", c.parse::<Channel>()));
        fields.cadence = self
            .value("Keep in touch")
            .and_then(|p| problems.ok("Keep in touch", period("Keep in touch", &p)));
        // The application's own checks, as `kith add` / `kith edit` run them.
        let mut checked = fields.clone();
        let result = match current {
            None => contacts::check_new(&mut checked, clock.today()),
            Some(current) => contacts::check_edited(current, &mut checked, clock.today()),
        };
        if let Err(e) = result {
            let label = match &e {
                Error::Invalid { field, .. } => contact_label(field),
                _ => "Name",
            };
            problems.check(label, e);
        }
        fields
    }

    fn log_input(&self, problems: &mut Problems, about: Subject, clock: Clock) -> Submission {
        let summary = self.value("Summary").unwrap_or_default();
        problems.ok("Summary", interactions::summary(&summary));
        let channel = self.value("Channel").unwrap_or_default().parse::<Channel>();
        let channel = problems.ok("Channel", channel).unwrap_or(Channel::Note);
        let at = self.value("When");
        problems.ok("When", interactions::occurred_at(clock, at.as_deref()));
        let follow_up = self.value("Follow-up");
        if let Some(spec) = &follow_up {
            problems.ok("Follow-up", follow_ups::parse_follow_up(clock, spec));
        }
        // From the Organizations view, the interaction is about the organization alone.
        let (participants, organization) = match about {
            Subject::Contact(id) => (vec![id], None),
            Subject::Organization(id) => (Vec::new(), Some(id)),
        };
        Submission::Log(LogInteraction {
            participants,
            summary,
            channel,
            direction: None,
            at,
            body: self.value("Body"),
            follow_up,
            organization,
        })
    }

    /// The same rules as `kith log edit`: a time that changed must not be in the future.
    fn edit_interaction_input(
        &self,
        problems: &mut Problems,
        id: i64,
        shown_when: &str,
        clock: Clock,
    ) -> Submission {
        let summary = self.value("Summary").unwrap_or_default();
        problems.ok("Summary", interactions::summary(&summary));
        let channel = self.value("Channel").unwrap_or_default().parse::<Channel>();
        let channel = problems.ok("Channel", channel);
        let at = self.value("When").filter(|w| w != shown_when);
        match &at {
            Some(raw) => {
                problems.ok("When", interactions::occurred_at(clock, Some(raw)));
            }
            None if self.value("When").is_none() => problems.check("When", no_date()),
            None => {}
        }
        Submission::EditInteraction(EditInteraction {
            id,
            at,
            channel,
            summary: Some(summary),
            body: Some(self.value("Body")),
            ..EditInteraction::default()
        })
    }

    fn follow_up_input(&self, problems: &mut Problems, about: Subject, clock: Clock) -> Submission {
        let text = self.value("What").unwrap_or_default();
        problems.ok("What", follow_ups::text(&text));
        let due = problems
            .ok("Due", due_of(self.value("Due"), clock))
            .unwrap_or(Due::Day(clock.today()));
        let recurrence = self
            .value("Repeat")
            .and_then(|p| problems.ok("Repeat", period("repeat", &p)));
        Submission::FollowUp(AddFollowUp {
            about,
            text,
            due,
            recurrence,
            recur_from: RecurFrom::Due,
        })
    }
}

fn period(field: &str, input: &str) -> Result<Period, Error> {
    Period::parse(input)
        .map_err(|_| Error::invalid(field, input, "expected a period such as 30d, 2w, 2m or 1y"))
}

fn no_date() -> Error {
    Error::invalid("date", "", "say when, e.g. tomorrow or 2026-12-01")
}

fn due_of(input: Option<String>, clock: Clock) -> Result<Due, Error> {
    match input {
        None => Err(no_date()),
        Some(s) => parse_when(clock, "date", &s, Lean::Future).map(Due::from),
    }
}

/// Which form field a model validation error names.
fn contact_label(field: &str) -> &'static str {
    match field {
        "organization" => "Organization",
        "title" => "Title",
        "email" => "Emails",
        "phone" => "Phones",
        "tag" => "Tags",
        "birthday" => "Birthday",
        _ => "Name",
    }
}

/// An error as a short message under its field: "is empty", "has no '@'".
fn problem(e: &Error) -> String {
    match e {
        Error::Invalid { value, reason, .. } if value.is_empty() => reason.clone(),
        Error::Invalid { value, reason, .. } => format!("\"{value}\" {reason}"),
        other => other.to_string(),
    }
}

fn describe_when(w: crate::dates::When, clock: Clock) -> String {
    match w {
        crate::dates::When::Date(d) => d.format("%a %Y-%m-%d").to_string(),
        crate::dates::When::At(t) => t
            .with_timezone(&clock.local().timezone())
            .format("%a %Y-%m-%d %H:%M")
            .to_string(),
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
