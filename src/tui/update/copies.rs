//! `c` in the reader: the same story's copy in another feed (another site's text, a
//! longer one), from the copies the reader's header names ("Also in").

use super::super::model::Model;
use super::super::msg::Cmd;

/// `c`: the next copy of the story in the reader, by id, round to the first.
pub(super) fn other_copy(m: &mut Model) -> Vec<Cmd> {
    // Not on screen (a narrow window's feed or article list): nothing to go round.
    let hidden = m.areas().reader.is_none();
    let Some(reader) = m.reader.as_ref().filter(|_| !hidden) else {
        m.message = Some(super::hints::open_first(
            m,
            crate::tui::keymap::Action::OtherCopy,
        ));
        return Vec::new();
    };
    let here = reader.item.id;
    let copies = &reader.prepared.also_in;
    let Some((next, name)) = copies
        .iter()
        .find(|(id, _)| *id > here)
        .or_else(|| copies.first())
        .cloned()
    else {
        m.message = Some("This story is in no other feed".into());
        return Vec::new();
    };
    m.message = Some(format!("The copy in {name}"));
    // Shown as the row's: `c` again in the list goes on from this copy, not from the row.
    super::reader::load_for_row(m, next, true)
}
