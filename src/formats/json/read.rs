//! Reading kith's JSON and JSONL: a document or one record a line, each record checked on
//! its own and named, when it is invalid, by the field at fault (`emails[1]`,
//! `contacts[3].created_at`), its kind and its name.

use super::{ContactRecord, Document, FORMAT_VERSION};
use crate::formats::{Located, Location, Problem, Record, RecordResult};

/// What chrono says of text that is not a time, as serde passes it on.
const NOT_A_TIME: &[&str] = &[
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
    "input is out of range",
    "input is not enough for unique date and time",
    "no possible date and time matching input",
];

/// A JSON error, named by the field it is in (`created_at`, `emails[1].value`; `.` is the
/// record itself), and for a time that is not one, what a time looks like.
fn in_field(path: &str, error: &serde_json::Error) -> String {
    let message = error.to_string();
    if NOT_A_TIME.iter().any(|m| message.starts_with(m)) {
        return format!(
            "{path} is not a time ({message}): expected RFC 3339, such as 2026-11-24T10:00:00Z"
        );
    }
    // An unknown field's path ends with its own name, which the message gives already.
    let path = match message.starts_with("unknown field") {
        true => path.rsplit_once('.').map_or("", |(parent, _)| parent),
        false => path,
    };
    match path {
        "" | "." => message,
        field => format!("{field}: {message}"),
    }
}

fn contact_result(at: Location, record: ContactRecord) -> RecordResult {
    let name = (record.display_name.clone()).unwrap_or_default();
    match record.into_contact() {
        Ok(contact) => Ok(Located {
            at,
            record: Record::Contact(Box::new(contact)),
        }),
        Err(message) => Err(Problem::new(at, message).of("contact", name)),
    }
}

/// Read one JSON document. A syntax error is fatal (its line and column are given); each
/// record is then checked on its own and reported by its kind and number.
pub fn read_json(text: &str) -> Result<Vec<RecordResult>, String> {
    let mut json = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut json)
        .map_err(|e| in_field(&e.path().to_string(), e.inner()))?;
    json.end().map_err(|e| e.to_string())?;
    if doc.kith_format > FORMAT_VERSION {
        return Err(format!(
            "kith_format {} is newer than this kith reads ({FORMAT_VERSION}); upgrade kith",
            doc.kith_format
        ));
    }
    let mut out = Vec::new();
    let mut n = 0;
    let mut at = || {
        n += 1;
        Location {
            line: None,
            record: n,
        }
    };
    for o in doc.organizations {
        out.push(Ok(Located {
            at: at(),
            record: Record::Organization(o),
        }));
    }
    for mut c in doc.contacts {
        if c.uid.is_none() {
            c.uid = serde_json::to_vec(&c)
                .ok()
                .map(|b| crate::formats::content_uid(&b));
        }
        out.push(contact_result(at(), c));
    }
    for d in doc.yearly_dates {
        out.push(Ok(Located {
            at: at(),
            record: Record::YearlyDate(d),
        }));
    }
    for r in doc.relationships {
        out.push(Ok(Located {
            at: at(),
            record: Record::Relationship(r),
        }));
    }
    for i in doc.interactions {
        out.push(Ok(Located {
            at: at(),
            record: Record::Interaction(i),
        }));
    }
    for r in doc.reminders {
        out.push(Ok(Located {
            at: at(),
            record: Record::Reminder(r),
        }));
    }
    for t in doc.tag_cadences {
        out.push(Ok(Located {
            at: at(),
            record: Record::TagCadence(t),
        }));
    }
    for m in doc.me_addresses {
        out.push(Ok(Located {
            at: at(),
            record: Record::MeAddress(m),
        }));
    }
    for b in doc.capture_batches {
        out.push(Ok(Located {
            at: at(),
            record: Record::CaptureBatch(Box::new(b)),
        }));
    }
    Ok(out)
}

/// Read JSONL lazily, one record per non-blank line.
pub fn read_jsonl(text: String) -> impl Iterator<Item = RecordResult> {
    let mut record = 0;
    let mut line_no = 0;
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let line = &text[pos..end];
            pos = end + 1;
            line_no += 1;
            if line.trim().is_empty() {
                continue;
            }
            record += 1;
            let at = Location {
                line: Some(line_no),
                record,
            };
            return Some(read_line(at, line));
        }
        None
    })
}

/// The record kinds a JSONL line's `type` names.
const KINDS: &[&str] = &[
    "contact",
    "organization",
    "relationship",
    "interaction",
    "reminder",
    "yearly_date",
    "tag_cadence",
    "me_address",
    "capture_batch",
];

fn read_line(at: Location, line: &str) -> RecordResult {
    let problem = |m: String| Problem::new(at, m);
    let mut value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| problem(format!("not JSON: {e}")))?;
    let Some(object) = value.as_object_mut() else {
        return Err(problem("expected a JSON object".into()));
    };
    let kind = match object.remove("type") {
        None => "contact".to_string(),
        Some(serde_json::Value::String(s)) => s,
        Some(other) => return Err(problem(format!("\"type\" must be a string, not {other}"))),
    };
    // What an invalid record is and whom it names, for the report's line.
    let named = KINDS.iter().find(|k| **k == kind).map(|&k| {
        let name = [
            "display_name",
            "name",
            "summary",
            "text",
            "tag",
            "address",
            "contact",
        ]
        .iter()
        .find_map(|field| object.get(*field).and_then(serde_json::Value::as_str))
        .unwrap_or_default();
        (k, name.to_string())
    });
    let problem = |m: String| match &named {
        Some((kind, name)) => Problem::new(at, m).of(kind, name.clone()),
        None => Problem::new(at, m),
    };
    fn parse<T: serde::de::DeserializeOwned>(
        value: serde_json::Value,
        kind: &str,
    ) -> Result<T, String> {
        serde_path_to_error::deserialize(value)
            .map_err(|e| format!("{kind}: {}", in_field(&e.path().to_string(), e.inner())))
    }
    let record = match kind.as_str() {
        "contact" => {
            let mut contact: ContactRecord = parse(value, &kind).map_err(problem)?;
            if contact.uid.is_none() {
                contact.uid = Some(crate::formats::content_uid(line.as_bytes()));
            }
            return contact_result(at, contact);
        }
        "organization" => Record::Organization(parse(value, &kind).map_err(problem)?),
        "relationship" => Record::Relationship(parse(value, &kind).map_err(problem)?),
        "interaction" => Record::Interaction(parse(value, &kind).map_err(problem)?),
        "reminder" => Record::Reminder(parse(value, &kind).map_err(problem)?),
        "yearly_date" => Record::YearlyDate(parse(value, &kind).map_err(problem)?),
        "tag_cadence" => Record::TagCadence(parse(value, &kind).map_err(problem)?),
        "me_address" => Record::MeAddress(parse(value, &kind).map_err(problem)?),
        "capture_batch" => Record::CaptureBatch(parse(value, &kind).map_err(problem)?),
        other => {
            return Err(problem(format!(
                "unknown \"type\": \"{other}\" (expected contact, organization, yearly_date, relationship, interaction, reminder, tag_cadence, me_address or capture_batch)"
            )));
        }
    };
    Ok(Located { at, record })
}

/// Properties a card's writer makes and a vCard reader never keeps as an extra line.
const KITH_WRITES: &[&str] = &["BEGIN", "END", "VERSION", "PRODID", "REV", "PROFILE", "UID"];

/// A contact's `extra` lines are what a vCard export writes back as they are: each must be
/// one unfolded vCard content line (`X-ABUID:1234`), or the exported card is broken.
pub(super) fn check_extra(lines: &[String]) -> Result<(), String> {
    const NOT_A_LINE: &str = "is not a vCard content line (NAME:value)";
    for (i, line) in lines.iter().enumerate() {
        let problem = if line.contains(['\r', '\n', '\0']) {
            format!("{NOT_A_LINE}: it holds a line break or NUL")
        } else if !line.contains(':') {
            format!("{NOT_A_LINE}: it has no ':'")
        } else {
            match crate::formats::vcard::parse_property(0, line.as_bytes()) {
                // The card's own frame and identity are the writer's: kept lines of these
                // would end the card early, start another or give it a second UID.
                Ok(p) if KITH_WRITES.contains(&&*p.name) => {
                    format!("cannot be kept: kith writes {} itself", p.name)
                }
                Ok(_) => continue,
                Err(message) => {
                    format!("{NOT_A_LINE}: {}", message.trim_start_matches("line 0: "))
                }
            }
        };
        let shown: String = line.chars().take(40).collect();
        return Err(format!("extra[{i}] {shown:?} {problem}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_jsonl_line_is_a_contact() {
        let text = "{\"display_name\": \"Ada\", \"emails\": [\"ada@example.com\", {\"label\": \"work\", \"value\": \"a@work.example\"}]}\n\n{\"type\":\"contact\",\"given_name\":\"Grace\"}\n";
        let records: Vec<_> = read_jsonl(text.to_string()).collect();
        assert_eq!(records.len(), 2);
        let Ok(Located {
            record: Record::Contact(c),
            at,
        }) = &records[0]
        else {
            panic!("{records:?}")
        };
        assert_eq!(at.line, Some(1));
        assert_eq!(c.fields.emails.len(), 2);
        assert_eq!(c.fields.emails[1].label.as_deref(), Some("work"));
        let Ok(Located {
            record: Record::Contact(c),
            at,
        }) = &records[1]
        else {
            panic!()
        };
        assert_eq!(at.line, Some(3));
        assert_eq!(c.fields.display_name, "Grace");
    }

    #[test]
    fn bad_lines_say_where_and_why() {
        let text = "{\"display_name\": \"Ada\", \"emails\": [\"not-an-email\"]}\n{\"type\":\"contact\",\"nmae\":\"x\"}\n{oops\n";
        let records: Vec<_> = read_jsonl(text.to_string()).collect();
        let errors: Vec<_> = records.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0].at.line, Some(1));
        assert!(errors[0].message.contains("not-an-email"), "{errors:?}");
        assert!(
            errors[1].message.contains("unknown field `nmae`"),
            "{errors:?}"
        );
        assert!(errors[2].message.starts_with("not JSON"), "{errors:?}");
    }
}
