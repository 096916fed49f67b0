//! The words a search found, marked in the article list and the reader.

use crate::search::Highlighter;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::Span;

/// What the list on screen searched for (nothing outside a search).
pub(super) fn highlighter(m: &Model) -> Highlighter {
    m.articles
        .query
        .as_ref()
        .and_then(|q| q.search.as_ref())
        .map(|s| Highlighter::new(&s.terms))
        .unwrap_or_default()
}

/// `text` in `style`, with the found words in the theme's match style.
pub(super) fn spans<'a>(
    text: &str,
    style: Style,
    marks: &Highlighter,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let ranges = marks.ranges(text);
    if ranges.is_empty() {
        return vec![Span::styled(text.to_string(), style)];
    }
    let mut out = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut at = 0;
    for r in ranges {
        if r.start > at {
            out.push(Span::styled(text[at..r.start].to_string(), style));
        }
        out.push(Span::styled(
            text[r.clone()].to_string(),
            style.patch(theme.matched),
        ));
        at = r.end;
    }
    if at < text.len() {
        out.push(Span::styled(text[at..].to_string(), style));
    }
    out
}
