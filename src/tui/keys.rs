//! Every key binding of the interactive mode, in one table. Key handling looks keys up here,
//! and the help overlay and the footer hints are generated from it, so they cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    ViewContacts,
    ViewOrganizations,
    ViewAgenda,
    ViewTags,
    NextPane,
    PrevPane,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    Open,
    Back,
    AddContact,
    EditContact,
    Log,
    FollowUp,
    Done,
    Snooze,
    Tag,
    Archive,
    Undo,
    /// Sort the Contacts list by health, or back by name.
    SortHealth,
    /// Show the selected contact's first sync conflict, to settle it.
    Resolve,
    // On a sync conflict
    TakeServer,
    KeepKith,
    // In the filter bar and in forms
    NextField,
    PrevField,
    Submit,
    Cancel,
    /// In a multi-line field
    NewLine,
    /// In a contact form: create the organization typed, then save.
    NewOrganization,
    // In a confirmation
    Yes,
    No,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Browsing (no form, filter bar or question open).
    Browse,
    /// Typing in the filter bar.
    Filter,
    /// Filling in a form.
    Form,
    /// In a form's multi-line field (a log's Body, a contact's Notes); other keys as in
    /// [`Scope::Form`].
    MultiLine,
    /// Answering a yes/no question.
    Confirm,
    /// Settling a sync conflict.
    Conflict,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Browse => "Browsing",
            Scope::Filter => "In the filter bar (type to filter)",
            Scope::Form => "In a form (type to edit a field)",
            Scope::MultiLine => "In a multi-line field (a log's Body, a contact's Notes)",
            Scope::Confirm => "When asked to confirm",
            Scope::Conflict => "On a sync conflict (c in a brief that lists some)",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// A word or two for the footer; empty: not shown there.
    pub hint: &'static str,
    /// The help overlay's line.
    pub help: &'static str,
}

const fn b(
    scope: Scope,
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        scope,
        keys,
        action,
        hint,
        help,
    }
}

use Scope::{Browse, Confirm, Conflict, Filter, Form, MultiLine};

/// The one key table. Footer hints appear in this order, as many as fit.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(Browse, &[k('/')], Action::Filter, "filter", "filter contacts: a name, company, title, email, phone or tag"),
    b(Browse, &[k('i')], Action::Log, "log", "log a call, email, meeting... with the selected contact or organization"),
    b(Browse, &[k('f')], Action::FollowUp, "follow-up", "add a follow-up about the selected contact or organization"),
    b(Browse, &[k('d')], Action::Done, "done", "complete the marked follow-up (▸), or the agenda line"),
    b(Browse, &[k('s')], Action::Snooze, "snooze", "snooze the marked follow-up"),
    b(Browse, &[k('t')], Action::Tag, "tag", "tag or untag the selected contact (+tag -tag)"),
    b(Browse, &[k('e')], Action::EditContact, "edit", "edit the selected contact, or the timeline row marked ▸"),
    b(Browse, &[k('a')], Action::AddContact, "add", "add a contact"),
    b(Browse, &[k('x')], Action::Archive, "archive", "archive the contact (asks first), or delete the row marked ▸"),
    b(Browse, &[k('u')], Action::Undo, "undo", "undo the last archive, done, delete or edit"),
    b(Browse, &[k('o')], Action::SortHealth, "", "sort contacts by health (o again: by name)"),
    b(Browse, &[k('c')], Action::Resolve, "", "settle a sync conflict: take the server's value or keep kith's"),
    b(Browse, &[code(KeyCode::Tab)], Action::NextPane, "pane", "move between the list and the details"),
    b(Browse, &[code(KeyCode::BackTab)], Action::PrevPane, "", "move between panes, backwards"),
    b(Browse, &[k('1'), k('2'), k('3'), k('4')], Action::ViewContacts, "views", "views: 1 Contacts, 2 Organizations, 3 Agenda, 4 Tags"),
    b(Browse, &[k('?')], Action::Help, "help", "show or hide this help"),
    b(Browse, &[k('q'), ctrl('c')], Action::Quit, "quit", "quit"),
    b(Browse, &[code(KeyCode::Down), k('j')], Action::Down, "", "next row (in the brief: follow-ups, then timeline rows)"),
    b(Browse, &[code(KeyCode::Up), k('k')], Action::Up, "", "previous row (in the brief: follow-up or timeline row)"),
    b(Browse, &[code(KeyCode::PageDown), ctrl('d')], Action::PageDown, "", "page down (in the details: scroll)"),
    b(Browse, &[code(KeyCode::PageUp), ctrl('u')], Action::PageUp, "", "page up (in the details: scroll)"),
    b(Browse, &[code(KeyCode::Home), k('g')], Action::Top, "", "first row"),
    b(Browse, &[code(KeyCode::End), k('G')], Action::Bottom, "", "last row"),
    b(Browse, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], Action::Open, "", "open the details; on an agenda line, a tagged person or an organization's person: go to them; on a timeline row: show or hide its body"),
    b(Browse, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], Action::Back, "", "back to the list; clear the filter"),
    b(Filter, &[code(KeyCode::Enter)], Action::Submit, "keep", "keep the filter and go to the list"),
    b(Filter, &[code(KeyCode::Esc)], Action::Cancel, "done", "leave the filter bar (Esc again clears the filter)"),
    b(Filter, &[code(KeyCode::Down), ctrl('n')], Action::Down, "", "next match"),
    b(Filter, &[code(KeyCode::Up), ctrl('p')], Action::Up, "", "previous match"),
    b(Form, &[code(KeyCode::Enter), ctrl('s'), alt(KeyCode::Enter)], Action::Submit, "save", "save"),
    b(Form, &[code(KeyCode::Esc)], Action::Cancel, "cancel", "cancel; nothing is saved"),
    b(Form, &[code(KeyCode::Tab), code(KeyCode::Down)], Action::NextField, "next field", "next field"),
    b(Form, &[code(KeyCode::BackTab), code(KeyCode::Up)], Action::PrevField, "", "previous field"),
    b(Form, &[ctrl('n')], Action::NewOrganization, "", "in a contact form: create the organization typed and save"),
    b(MultiLine, &[ctrl('s'), alt(KeyCode::Enter)], Action::Submit, "save", "save"),
    b(MultiLine, &[code(KeyCode::Enter)], Action::NewLine, "new line", "start a new line"),
    b(MultiLine, &[code(KeyCode::Down)], Action::Down, "", "next line (from the last: next field)"),
    b(MultiLine, &[code(KeyCode::Up)], Action::Up, "", "previous line (from the first: previous field)"),
    b(Confirm, &[k('y'), code(KeyCode::Enter)], Action::Yes, "yes", "yes"),
    b(Confirm, &[k('n'), code(KeyCode::Esc), k('q')], Action::No, "no", "no"),
    b(Conflict, &[k('s')], Action::TakeServer, "take the server's", "take the server's value (the next `kith sync` sends it back)"),
    b(Conflict, &[k('k')], Action::KeepKith, "keep kith's", "keep kith's value (the server already has it)"),
    b(Conflict, &[code(KeyCode::Esc)], Action::Cancel, "later", "decide later; nothing changes"),
];

/// The action `key` means in `scope`, if any. The digit keys pick a view each.
pub fn lookup(scope: Scope, key: &KeyEvent) -> Option<Action> {
    // Shifted letters arrive as uppercase chars with SHIFT; compare without it.
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let binding = BINDINGS.iter().find(|bind| {
        bind.scope == scope
            && bind
                .keys
                .iter()
                .any(|k| k.code == key.code && k.mods == mods)
    })?;
    Some(match (binding.action, key.code) {
        (Action::ViewContacts, KeyCode::Char('2')) => Action::ViewOrganizations,
        (Action::ViewContacts, KeyCode::Char('3')) => Action::ViewAgenda,
        (Action::ViewContacts, KeyCode::Char('4')) => Action::ViewTags,
        (action, _) => action,
    })
}

/// How a key is written in the help and the footer.
pub fn key_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        // Ctrl-S, as terminals and manuals write it; plain keys as typed.
        KeyCode::Char(c) if key.mods.contains(KeyModifiers::CONTROL) => {
            c.to_ascii_uppercase().to_string()
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else if key.mods.contains(KeyModifiers::ALT) {
        format!("Alt-{base}")
    } else {
        base
    }
}

/// All keys of a binding, as shown in the help: "↓ j".
pub fn keys_label(binding: &Binding) -> String {
    if binding.action == Action::ViewContacts {
        return "1-4".into();
    }
    binding
        .keys
        .iter()
        .map(key_name)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Footer hints for `scope`: (first key, hint), in table order.
pub fn hints(scope: Scope) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.scope == scope && !b.hint.is_empty())
        .map(|b| {
            let key = if b.action == Action::ViewContacts {
                "1-4".to_string()
            } else {
                key_name(&b.keys[0])
            };
            (key, b.hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for bb in &BINDINGS[i + 1..] {
                if a.scope != bb.scope {
                    continue;
                }
                for ka in a.keys {
                    for kb in bb.keys {
                        assert!(
                            !(ka.code == kb.code && ka.mods == kb.mods),
                            "{} is bound twice in {:?}",
                            key_name(ka),
                            a.scope
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn digits_pick_views_and_vim_keys_move() {
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Browse, &key('3')), Some(Action::ViewAgenda));
        assert_eq!(lookup(Scope::Browse, &key('j')), Some(Action::Down));
        assert_eq!(
            lookup(
                Scope::Browse,
                &KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(lookup(Scope::Filter, &key('j')), None);
    }
}
