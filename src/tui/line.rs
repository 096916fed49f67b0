//! The line typed at a prompt: readline's keys (moves by character and word, kill and
//! yank) on tui-input's buffer, and each prompt's history on Up and Down.
//!
//! tui-input keeps the text, the cursor and the kill buffer; which key does what is
//! ours, so that crossterm's version is ours too and Ctrl-u is readline's (the line
//! before the cursor), not tui-input's whole line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// How many lines each prompt remembers.
const HISTORY: usize = 100;

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// The text changed.
    Changed,
    /// Only the cursor moved (or nothing happened).
    Moved,
    /// Enter.
    Submit,
    /// Esc or Ctrl-g.
    Cancel,
}

/// A line being edited, with where it is in its prompt's history.
#[derive(Debug, Clone, Default)]
pub struct LineEdit {
    input: Input,
    /// The history entry shown (0 is the newest), while Up/Down browse it.
    recall: Option<usize>,
    /// What was typed before Up was first pressed, given back by Down past the newest.
    draft: String,
}

impl PartialEq for LineEdit {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value() && self.input.cursor() == other.input.cursor()
    }
}

impl LineEdit {
    /// A line holding `text`, the cursor at its end.
    pub fn new(text: &str) -> LineEdit {
        LineEdit {
            input: Input::new(text.to_string()),
            ..Default::default()
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The text, the display column the view starts at, and the cursor's column within
    /// that view, for a field `width` columns wide: the cursor is always in sight.
    pub fn window(&self, width: usize) -> (usize, usize) {
        // One column for the cursor after the last character.
        let width = width.max(1);
        let scroll = self.input.visual_scroll(width.saturating_sub(1));
        (scroll, self.input.visual_cursor() - scroll)
    }

    /// Applies one key. `history` is this prompt's past lines, newest last; `accept`
    /// says which typed characters the prompt takes (digits only, say).
    pub fn key(&mut self, key: &KeyEvent, history: &[String], accept: fn(char) -> bool) -> Edited {
        use InputRequest::*;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let request = match key.code {
            KeyCode::Enter => return Edited::Submit,
            KeyCode::Esc => return Edited::Cancel,
            KeyCode::Char('g') if ctrl => return Edited::Cancel,
            KeyCode::Up => return self.recall(history, 1),
            KeyCode::Down => return self.recall(history, -1),
            KeyCode::Char('p') if ctrl => return self.recall(history, 1),
            KeyCode::Char('n') if ctrl => return self.recall(history, -1),
            KeyCode::Left if ctrl || alt => GoToPrevWord,
            KeyCode::Right if ctrl || alt => GoToNextWord,
            KeyCode::Left => GoToPrevChar,
            KeyCode::Right => GoToNextChar,
            KeyCode::Home => GoToStart,
            KeyCode::End => GoToEnd,
            KeyCode::Backspace if ctrl || alt => DeletePrevWord,
            KeyCode::Backspace => DeletePrevChar,
            KeyCode::Delete if ctrl || alt => DeleteNextWord,
            KeyCode::Delete => DeleteNextChar,
            KeyCode::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
                'a' => GoToStart,
                'e' => GoToEnd,
                'b' => GoToPrevChar,
                'f' => GoToNextChar,
                'h' => DeletePrevChar,
                'd' => DeleteNextChar,
                'w' => return self.rub_out_word(),
                'u' => DeleteFromStart,
                'k' => DeleteTillEnd,
                'y' => Yank,
                _ => return Edited::Moved,
            },
            KeyCode::Char(c) if alt && !ctrl => match c {
                'b' => GoToPrevWord,
                'f' => GoToNextWord,
                'd' => DeleteNextWord,
                _ => return Edited::Moved,
            },
            KeyCode::Char(c) if !c.is_control() && accept(c) => InsertChar(c),
            _ => return Edited::Moved,
        };
        match self.input.handle(request) {
            Some(changed) if changed.value => {
                self.recall = None;
                Edited::Changed
            }
            _ => Edited::Moved,
        }
    }

    /// Ctrl-w: back to the white space before the cursor's word, as readline's
    /// unix-word-rubout (a path or an address goes whole, not to its last `/`). The
    /// pieces cut one after another are one kill, which Ctrl-y yanks back.
    fn rub_out_word(&mut self) -> Edited {
        let start = {
            let chars: Vec<char> = self
                .input
                .value()
                .chars()
                .take(self.input.cursor())
                .collect();
            let mut at = chars.len();
            while at > 0 && chars[at - 1].is_whitespace() {
                at -= 1;
            }
            while at > 0 && !chars[at - 1].is_whitespace() {
                at -= 1;
            }
            at
        };
        let mut changed = false;
        while self.input.cursor() > start {
            let was = self.input.cursor();
            self.input.handle(InputRequest::DeletePrevWord);
            changed = true;
            if self.input.cursor() >= was {
                break;
            }
        }
        if changed {
            self.recall = None;
            Edited::Changed
        } else {
            Edited::Moved
        }
    }

    /// Up (`step` 1) or Down (-1) through the history, newest first.
    fn recall(&mut self, history: &[String], step: isize) -> Edited {
        let next = match (self.recall, step) {
            (None, 1) if !history.is_empty() => Some(0),
            (None, _) => return Edited::Moved,
            (Some(i), 1) if i + 1 < history.len() => Some(i + 1),
            (Some(_), 1) => return Edited::Moved,
            (Some(0), _) => None,
            (Some(i), _) => Some(i - 1),
        };
        if self.recall.is_none() {
            self.draft = self.value().to_string();
        }
        let text = match next {
            Some(i) => history[history.len() - 1 - i].clone(),
            None => std::mem::take(&mut self.draft),
        };
        self.recall = next;
        self.input = Input::new(text);
        Edited::Changed
    }
}

/// Remembers `line` as the newest of `history` (once: an older copy is dropped).
pub fn remember(history: &mut Vec<String>, line: &str) {
    if line.trim().is_empty() {
        return;
    }
    history.retain(|l| l != line);
    history.push(line.to_string());
    if history.len() > HISTORY {
        history.remove(0);
    }
}

/// Any character at all.
pub fn any(_: char) -> bool {
    true
}

/// Digits only (link and row numbers).
pub fn digits(c: char) -> bool {
    c.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(line: &mut LineEdit, code: KeyCode, mods: KeyModifiers) -> Edited {
        line.key(&KeyEvent::new(code, mods), &[], any)
    }

    fn typed(text: &str) -> LineEdit {
        let mut line = LineEdit::default();
        for c in text.chars() {
            press(&mut line, KeyCode::Char(c), KeyModifiers::NONE);
        }
        line
    }

    #[test]
    fn readline_keys_edit_instead_of_inserting_letters() {
        let ctrl = KeyModifiers::CONTROL;
        let mut line = typed("less -R now");
        press(&mut line, KeyCode::Char('w'), ctrl);
        assert_eq!(line.value(), "less -R ");
        press(&mut line, KeyCode::Char('a'), ctrl);
        press(&mut line, KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(line.value(), "xless -R ");
        press(&mut line, KeyCode::Char('e'), ctrl);
        press(&mut line, KeyCode::Left, KeyModifiers::NONE);
        press(&mut line, KeyCode::Char('u'), ctrl);
        assert_eq!(line.value(), " ", "Ctrl-u kills what is before the cursor");
        press(&mut line, KeyCode::Char('y'), ctrl);
        assert_eq!(line.value(), "xless -R ", "Ctrl-y yanks it back");
        press(&mut line, KeyCode::Home, KeyModifiers::NONE);
        press(&mut line, KeyCode::Char('k'), ctrl);
        assert_eq!(line.value(), "");
        let mut line = typed("one two");
        press(&mut line, KeyCode::Char('b'), KeyModifiers::ALT);
        press(&mut line, KeyCode::Char('d'), KeyModifiers::ALT);
        assert_eq!(line.value(), "one ");
        // Ctrl-w takes a whole address or path back to the space, and Ctrl-y returns it.
        let mut line = typed("add 127.0.0.1:19100/gamma.xml");
        press(&mut line, KeyCode::Char('w'), ctrl);
        assert_eq!(line.value(), "add ");
        press(&mut line, KeyCode::Char('y'), ctrl);
        assert_eq!(line.value(), "add 127.0.0.1:19100/gamma.xml");
    }

    #[test]
    fn up_and_down_walk_the_history_and_come_back_to_the_draft() {
        let history = vec!["old".to_string(), "new".to_string()];
        let mut line = typed("dra");
        let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
        let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        line.key(&up, &history, any);
        assert_eq!(line.value(), "new");
        line.key(&up, &history, any);
        assert_eq!(line.value(), "old");
        line.key(&up, &history, any);
        assert_eq!(line.value(), "old", "the oldest stays");
        line.key(&down, &history, any);
        line.key(&down, &history, any);
        assert_eq!(line.value(), "dra");
    }

    #[test]
    fn the_cursor_stays_in_sight_on_a_long_line() {
        let mut line = typed(&"x".repeat(50));
        let (scroll, at) = line.window(20);
        assert_eq!((scroll, at), (31, 19));
        press(&mut line, KeyCode::Home, KeyModifiers::NONE);
        assert_eq!(line.window(20), (0, 0));
    }

    #[test]
    fn remember_keeps_one_copy_newest_last() {
        let mut h = Vec::new();
        for l in ["a", "b", "a", " "] {
            remember(&mut h, l);
        }
        assert_eq!(h, vec!["b".to_string(), "a".to_string()]);
    }
}
