//! Clickable links: the reader's linked text (the Links list, the header's URL) is
//! wrapped in an OSC 8 hyperlink, written into the first cell of each run with the
//! run's width forced, so that the terminal gets the escape and the text once and the
//! buffer's diff still knows how many columns it took. Only this code writes an escape
//! sequence, around a URL `links::hyperlink_target` passed (web schemes, printable
//! ASCII): nothing from a feed can open or close one.

use crate::render::Line;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use std::num::NonZeroU16;
use unicode_width::UnicodeWidthStr;

/// The escape that makes `text` a hyperlink to `url` (ST-terminated).
pub fn osc8(url: &str, text: &str) -> String {
    format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")
}

/// Turns the linked runs of these lines, drawn from the top of `area`, into hyperlinks.
pub fn hyperlink<'a>(buf: &mut Buffer, area: Rect, lines: impl Iterator<Item = &'a Line>) {
    for (row, line) in lines.enumerate() {
        let Ok(row) = u16::try_from(row) else { return };
        if row >= area.height {
            return;
        }
        let y = area.y + row;
        let mut x = area.x;
        for span in &line.spans {
            let width = span.text.width();
            let Ok(w) = u16::try_from(width) else { break };
            let fits = x.saturating_add(w) <= area.right();
            if let (Some(url), Some(forced), true) = (&span.link, NonZeroU16::new(w), fits) {
                let style = buf[(x, y)].style();
                let cell = &mut buf[(x, y)];
                cell.set_symbol(&osc8(url, &span.text));
                cell.set_style(style);
                cell.diff_option = CellDiffOption::ForcedWidth(forced);
            }
            x = x.saturating_add(w);
            if x >= area.right() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Span, Style};

    fn span(text: &str, link: Option<&str>) -> Span {
        Span {
            text: text.into(),
            style: Style::PLAIN,
            link: link.map(str::to_string),
        }
    }

    #[test]
    fn a_linked_run_becomes_one_hyperlink_cell_of_its_width() {
        let area = Rect::new(0, 0, 40, 2);
        let mut buf = Buffer::empty(area);
        buf.set_string(
            0,
            0,
            "[1] https://a.example/x",
            ratatui::style::Style::new(),
        );
        let line = Line {
            spans: vec![
                span("[1] ", None),
                span("https://a.example/x", Some("https://a.example/x")),
            ],
        };
        hyperlink(&mut buf, area, std::iter::once(&line));
        assert_eq!(buf[(0, 0)].symbol(), "[");
        assert_eq!(
            buf[(4, 0)].symbol(),
            "\x1b]8;;https://a.example/x\x1b\\https://a.example/x\x1b]8;;\x1b\\"
        );
        assert!(matches!(buf[(4, 0)].diff_option, CellDiffOption::ForcedWidth(w) if w.get() == 19));
        // The diff writes the hyperlink once and nothing over the columns it covers.
        let before = Buffer::empty(area);
        let writes: Vec<u16> = before
            .diff(&buf)
            .iter()
            .filter(|(_, y, _)| *y == 0)
            .map(|(x, _, _)| *x)
            .collect();
        assert_eq!(writes, [0, 1, 2, 4]);
    }

    #[test]
    fn a_run_that_does_not_fit_stays_plain_text() {
        let area = Rect::new(0, 0, 10, 1);
        let mut buf = Buffer::empty(area);
        let line = Line {
            spans: vec![span(
                "https://a.example/long",
                Some("https://a.example/long"),
            )],
        };
        hyperlink(&mut buf, area, std::iter::once(&line));
        assert!(!buf[(0, 0)].symbol().contains('\x1b'));
    }
}
