//! A field of a form: its text, the cursor in it, and the keys that edit it (a default the
//! first key typed replaces, a multi-line field's moves between lines).

/// Text being edited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    /// May hold newlines when `multiline`.
    pub value: String,
    /// Enter starts a new line here (Ctrl-S or Alt-Enter saves).
    pub multiline: bool,
    /// Cursor position, in chars.
    pub cursor: usize,
    pub hint: String,
    pub error: Option<String>,
    /// What a date field is read as ("→ Tue 2026-11-24"), updated as you type.
    pub preview: Option<String>,
    /// The value is a default that the first key typed replaces (shown dim), rather than
    /// adds to: "now" then "yesterday" is "yesterday", not "nowyesterday".
    pub untouched_default: bool,
}

impl Field {
    pub(super) fn new(
        label: &'static str,
        value: impl Into<String>,
        hint: impl Into<String>,
    ) -> Field {
        let value = value.into();
        Field {
            label,
            cursor: value.chars().count(),
            value,
            hint: hint.into(),
            error: None,
            preview: None,
            multiline: false,
            untouched_default: false,
        }
    }

    /// The value is a default the first key typed replaces (see [`Field::untouched_default`]).
    pub(super) fn replaced_when_typed(mut self) -> Field {
        self.untouched_default = true;
        self.cursor = 0;
        self
    }

    /// A key that edits the value: an untouched default goes first (`clear_default`), or is
    /// kept to be edited from here on.
    fn touch(&mut self, clear_default: bool) {
        if std::mem::take(&mut self.untouched_default) && clear_default {
            self.value.clear();
            self.cursor = 0;
        }
    }

    pub(super) fn multiline(mut self) -> Field {
        self.multiline = true;
        self
    }

    /// The line the cursor is on and its column there, in chars.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before: Vec<char> = self.value.chars().take(self.cursor).collect();
        let line = before.iter().filter(|&&c| c == '\n').count();
        let col = before.iter().rev().take_while(|&&c| c != '\n').count();
        (line, col)
    }

    /// Move the cursor to the line above (`-1`) or below (`1`), keeping its column where the
    /// line is long enough; false when there is no such line.
    pub fn line_by(&mut self, delta: isize) -> bool {
        let (line, col) = self.cursor_line_col();
        let lines: Vec<usize> = self.value.split('\n').map(|l| l.chars().count()).collect();
        let Some(target) = line.checked_add_signed(delta).filter(|&t| t < lines.len()) else {
            return false;
        };
        let start: usize = lines[..target].iter().map(|n| n + 1).sum();
        self.cursor = start + col.min(lines[target]);
        true
    }

    fn byte_at(&self, cursor: usize) -> usize {
        self.value
            .char_indices()
            .nth(cursor)
            .map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        self.touch(true);
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.untouched_default {
            return self.touch(true);
        }
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.untouched_default {
            return self.touch(true);
        }
        if self.cursor < self.value.chars().count() {
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.touch(false);
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.touch(false);
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    /// To the start of the line (of the cursor's line in a multi-line field).
    pub fn home(&mut self) {
        self.touch(false);
        let (_, col) = self.cursor_line_col();
        self.cursor -= col;
    }

    /// To the end of the line (of the cursor's line in a multi-line field).
    pub fn end(&mut self) {
        self.touch(false);
        let rest = self
            .value
            .chars()
            .skip(self.cursor)
            .take_while(|&c| c != '\n');
        self.cursor += rest.count();
    }

    pub fn clear(&mut self) {
        self.untouched_default = false;
        self.value.clear();
        self.cursor = 0;
    }

    pub(super) fn text(&self) -> Option<String> {
        let t = self.value.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}
