//! `kith edit WHO` without flags: a readable text form in $EDITOR, validated on save and
//! reopened with the error on top when invalid (as `crontab -e` does).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use super::Ctx;
use crate::error::{Error, Result};
use crate::model::{Birthday, Contact, ContactFields, FieldKind, Labeled, Period, normalize_tag};

const NOTES_MARKER: &str = "--- notes (everything below this line) ---";

/// Render the editable fields as `key: value` lines; list fields repeat their key.
pub fn render(fields: &ContactFields, heading: &str, error: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(error) = error {
        let _ = writeln!(out, "# ERROR: {}", error.replace('\n', " "));
        let _ = writeln!(out, "# Fix it and save, or empty the file to cancel.");
    }
    let _ = writeln!(out, "# {heading}");
    let _ = writeln!(
        out,
        "# One field per line. Repeat email/phone/address/url/social lines for more;"
    );
    let _ = writeln!(
        out,
        "# write \"label: value\" after the key to label one (email: work: ada@example.com)."
    );
    let _ = writeln!(
        out,
        "# Lines starting with # are ignored. Save unchanged to cancel."
    );
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let _ = writeln!(out, "name: {}", fields.display_name);
    let _ = writeln!(out, "given: {}", opt(&fields.given_name));
    let _ = writeln!(out, "family: {}", opt(&fields.family_name));
    let _ = writeln!(out, "nickname: {}", opt(&fields.nickname));
    let _ = writeln!(out, "organization: {}", opt(&fields.organization));
    let _ = writeln!(out, "title: {}", opt(&fields.title));
    let _ = writeln!(
        out,
        "birthday: {}",
        fields.birthday.map(|b| b.to_string()).unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "prefers: {}",
        fields
            .preferred_channel
            .map(|c| c.to_string())
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "every: {}",
        fields.cadence.map(|p| p.to_string()).unwrap_or_default()
    );
    let _ = writeln!(out, "tags: {}", fields.tags.join(", "));
    for kind in FieldKind::ALL {
        let list = fields.labeled(kind);
        if list.is_empty() {
            let _ = writeln!(out, "{}: ", kind.as_str());
        }
        for item in list {
            match &item.label {
                Some(l) => {
                    let _ = writeln!(out, "{}: {l}: {}", kind.as_str(), item.value);
                }
                None => {
                    let _ = writeln!(out, "{}: {}", kind.as_str(), item.value);
                }
            }
        }
    }
    let _ = writeln!(out, "{NOTES_MARKER}");
    if let Some(notes) = &fields.notes {
        let _ = writeln!(out, "{notes}");
    }
    out
}

/// One "field: value" line of a readable form: its number in the file, the field
/// (lowercase) and the value (trimmed).
pub(super) struct FormLine<'a> {
    pub number: usize,
    pub key: String,
    pub value: &'a str,
}

/// A readable form taken apart: its "field: value" lines (blank lines and `#` comments left
/// out) and the free text after `marker` (None when the marker is not there). A line that is
/// not "field: value" is an error naming it.
pub(super) fn split_form<'a>(
    text: &'a str,
    marker: &str,
) -> Result<(Vec<FormLine<'a>>, Option<String>)> {
    let mut lines = Vec::new();
    let mut free: Option<Vec<&str>> = None;
    for (index, line) in text.lines().enumerate() {
        if let Some(free) = free.as_mut() {
            free.push(line);
            continue;
        }
        if line.trim() == marker {
            free = Some(Vec::new());
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            return Err(Error::invalid(
                &format!("line {}", index + 1),
                trimmed,
                "expected \"field: value\"",
            ));
        };
        lines.push(FormLine {
            number: index + 1,
            key: key.trim().to_lowercase(),
            value: value.trim(),
        });
    }
    let free = free.map(|lines| lines.join("\n").trim_matches('\n').to_string());
    Ok((lines, free))
}

/// An invalid value's error, naming the line of the form it came from.
pub(super) fn at_line(number: usize) -> impl Fn(Error) -> Error + Copy {
    move |e| match e {
        Error::Invalid {
            field,
            value,
            reason,
        } => Error::Invalid {
            field: format!("{field} (line {number})"),
            value,
            reason,
        },
        other => other,
    }
}

/// Parse the edited text back; errors name the line.
pub fn parse(text: &str) -> Result<ContactFields> {
    let mut fields = ContactFields::default();
    let (lines, notes) = split_form(text, NOTES_MARKER)?;
    for FormLine { number, key, value } in lines {
        let line_no = number;
        let at_line = at_line(number);
        let text = |v: &str| {
            if v.is_empty() {
                None
            } else {
                Some(v.to_string())
            }
        };
        match key.as_str() {
            "name" => fields.display_name = value.to_string(),
            "given" => fields.given_name = text(value),
            "family" => fields.family_name = text(value),
            "nickname" => fields.nickname = text(value),
            "organization" | "org" => fields.organization = text(value),
            "title" => fields.title = text(value),
            "birthday" if !value.is_empty() => {
                fields.birthday = Some(Birthday::parse(value).map_err(at_line)?)
            }
            "prefers" if !value.is_empty() => {
                fields.preferred_channel = Some(value.parse().map_err(at_line)?)
            }
            "every" if !value.is_empty() => {
                fields.cadence = Some(Period::parse(value).map_err(|_| {
                    at_line(Error::invalid(
                        "cadence",
                        value,
                        "expected a period such as 30d, 2w, 2m or 1y",
                    ))
                })?)
            }
            "birthday" | "prefers" | "every" => {}
            "tags" => {
                for tag in value.split([',', ' ']).filter(|t| !t.trim().is_empty()) {
                    fields.tags.push(normalize_tag(tag).map_err(at_line)?);
                }
            }
            other => match FieldKind::parse(other) {
                Some(kind) if value.is_empty() => {
                    let _ = kind;
                }
                Some(kind) => fields
                    .labeled_mut(kind)
                    .push(Labeled::parse_labeled(kind, value).map_err(at_line)?),
                None => {
                    return Err(Error::invalid(
                        &format!("line {line_no}"),
                        other,
                        "unknown field; use name, given, family, nickname, organization, title, birthday, prefers, every, tags, email, phone, address, url, social",
                    ));
                }
            },
        }
    }
    if let Some(notes) = notes {
        fields.notes = (!notes.trim().is_empty()).then_some(notes);
    }
    fields.validate()?;
    Ok(fields)
}

/// The user's editor command: VISUAL, then EDITOR, then vi.
pub fn editor_command() -> String {
    std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_string())
}

/// Run the editor on `path` through the shell, so EDITOR may carry arguments ("code --wait").
pub fn run_editor(path: &Path) -> Result<()> {
    use std::io::IsTerminal;
    let editor = editor_command();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("kith-editor")
        .arg(path);
    // With stdin or stdout piped (`echo body | kith log ada --edit`), a terminal editor would
    // read the pipe as keystrokes: give it the terminal itself, as git does.
    if !std::io::stdin().is_terminal()
        && let Ok(tty) = std::fs::File::open("/dev/tty")
    {
        command.stdin(tty);
    }
    if !std::io::stdout().is_terminal()
        && let Ok(tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty")
    {
        command.stdout(tty);
    }
    let status = command.status().map_err(|e| Error::io(path, e))?;
    if !status.success() {
        return Err(Error::Conflict(format!(
            "the editor ({editor}) exited with {status}; nothing was changed"
        )));
    }
    Ok(())
}

/// Edit `contact` in the editor. `None` when the file came back unchanged or empty.
pub fn edit_in_editor(ctx: &Ctx, contact: &Contact) -> anyhow::Result<Option<ContactFields>> {
    let heading = format!(
        "Editing {} (#{})",
        contact.fields.display_name.replace('\n', " "),
        contact.id
    );
    let original = render(&contact.fields, &heading, None);
    edit_until_valid(ctx, &format!("contact-{}.txt", contact.id), original, parse)
}

/// Open `original` in the editor as `file_name` until `parse` accepts it. `None` when the file
/// comes back unchanged or empty. An invalid file is reopened with the error on top for a
/// person at a terminal; a script gets the error.
pub fn edit_until_valid<T>(
    ctx: &Ctx,
    file_name: &str,
    original: String,
    mut parse: impl FnMut(&str) -> Result<T>,
) -> anyhow::Result<Option<T>> {
    let dir = tempfile::Builder::new().prefix("kith-edit").tempdir()?;
    let path = dir.path().join(file_name);
    let mut text = original.clone();
    loop {
        std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
        run_editor(&path)?;
        let edited = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        if edited == text && text == original || edited.trim().is_empty() {
            return Ok(None);
        }
        match parse(&edited) {
            Ok(value) => return Ok(Some(value)),
            Err(e) => {
                if !ctx.stdin_is_tty {
                    return Err(e.into());
                }
                let _ = writeln!(std::io::stderr(), "error: {e}");
                if !super::contacts::confirm("Edit again? [y/N] ")? {
                    return Err(e.into());
                }
                let without_old_error: String = edited
                    .lines()
                    .skip_while(|l| l.starts_with("# ERROR:") || l.starts_with("# Fix it and save"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                text = format!(
                    "# ERROR: {}\n# Fix it and save, or empty the file to cancel.\n{without_old_error}",
                    e.to_string().replace('\n', " ")
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_then_parse_round_trips() {
        let mut fields = ContactFields {
            display_name: "Ada Lovelace".into(),
            given_name: Some("Ada".into()),
            organization: Some("Analytical Engines".into()),
            emails: vec![
                Labeled {
                    label: Some("work".into()),
                    value: "ada@example.com".into(),
                },
                Labeled {
                    label: None,
                    value: "ada@home.example".into(),
                },
            ],
            phones: vec![Labeled {
                label: Some("mobile".into()),
                value: "+44 20 7946 0958".into(),
            }],
            birthday: Some(Birthday::parse("--12-10").unwrap()),
            cadence: Some(Period::parse("2m").unwrap()),
            tags: vec!["client".into(), "vip".into()],
            notes: Some("First line\n\nThird line: with a colon".into()),
            ..ContactFields::default()
        };
        fields.validate().unwrap();
        let text = render(&fields, "Editing", None);
        assert_eq!(parse(&text).unwrap(), fields);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("name: Ada\nemail: not-an-email\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("not-an-email"), "{err}");
        let err = parse("name: Ada\nshoe size: 9\n").unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
