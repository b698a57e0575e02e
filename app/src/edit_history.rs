//! Undo and redo for the lens editor, shared by the text and the outline: the document is the
//! text, so a step is the text before it. Keystrokes in one place within a short pause make
//! one step, as text editors group typing.

use std::collections::VecDeque;

/// Typing in the same place closer together than this is one step.
const GROUP_MS: f64 = 1_000.0;
/// The past is kept up to this many characters in all (about forty versions of the largest
/// lens), oldest dropped first.
const MAX_CHARS: usize = 20_000_000;

#[derive(Debug, Default)]
pub struct History {
    past: VecDeque<String>,
    future: Vec<String>,
    chars: usize,
    group: Option<(String, f64)>,
}

impl History {
    /// Records that the text `before` is about to change; `group` names where (a field's path,
    /// or the text), `now_ms` when. A change in the same group soon after the last one joins
    /// its step.
    pub fn record(&mut self, before: &str, group: &str, now_ms: f64) {
        let joins = self
            .group
            .as_ref()
            .is_some_and(|(last, at)| last == group && now_ms - at < GROUP_MS);
        self.group = Some((group.to_owned(), now_ms));
        self.future.clear();
        if joins {
            return;
        }
        self.chars += before.len();
        self.past.push_back(before.to_owned());
        while self.chars > MAX_CHARS && self.past.len() > 1 {
            if let Some(dropped) = self.past.pop_front() {
                self.chars -= dropped.len();
            }
        }
    }

    /// The text to go back to, given the current one.
    pub fn undo(&mut self, current: &str) -> Option<String> {
        let before = self.past.pop_back()?;
        self.chars -= before.len();
        self.future.push(current.to_owned());
        self.group = None;
        Some(before)
    }

    /// The text to go forward to, given the current one.
    pub fn redo(&mut self, current: &str) -> Option<String> {
        let after = self.future.pop()?;
        self.chars += current.len();
        self.past.push_back(current.to_owned());
        self.group = None;
        Some(after)
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn typing_in_one_place_is_one_step_and_redo_ends_at_a_new_change() {
        let mut history = History::default();
        history.record("", "name", 0.0);
        history.record("T", "name", 300.0);
        history.record("Te", "name", 600.0);
        history.record("Tea", "title", 700.0);
        assert_eq!(history.undo("Team").as_deref(), Some("Tea"));
        assert_eq!(history.undo("Tea").as_deref(), Some(""));
        assert_eq!(history.undo(""), None);
        assert_eq!(history.redo("").as_deref(), Some("Tea"));
        history.record("Tea", "text", 5_000.0);
        assert!(
            !history.can_redo(),
            "a new change ends what could be redone"
        );
        assert_eq!(history.undo("Tea!").as_deref(), Some("Tea"));
    }

    #[test]
    fn a_pause_starts_a_new_step() {
        let mut history = History::default();
        history.record("a", "text", 0.0);
        history.record("ab", "text", 2_000.0);
        assert_eq!(history.undo("abc").as_deref(), Some("ab"));
        assert_eq!(history.undo("ab").as_deref(), Some("a"));
    }
}
