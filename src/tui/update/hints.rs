//! Hints in the status line that name keys: taken from the keymap in use, since a
//! preset or the user's own bindings move them (newsboat's full text is `x`, not `t`).

use super::super::model::Model;
use crate::tui::keymap::Action;

/// "Open an article first", naming the keys of this keymap (a preset or the user's own
/// bindings move them: newsboat's full text is `x`, not `t`).
pub(super) fn open_first(m: &Model, then: Action) -> String {
    format!(
        "Open an article first ({}), then {}",
        m.keymap.key_for(Action::Open),
        m.keymap.key_for(then)
    )
}

/// What a download's key says, with the key of the downloads' list.
pub(super) fn downloading(m: &Model) -> String {
    format!(
        "Downloading in the background ({} shows downloads)",
        m.keymap.key_for(Action::Downloads)
    )
}
