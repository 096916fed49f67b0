//! Wraps a block tree to a width: word wrap by display columns (CJK and emoji count two,
//! combining marks zero), hanging indents for lists, a bar for quotes, aligned tables.

use super::{Line, Span, Style};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    List {
        ordered: bool,
        start: u32,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// Preformatted text: kept verbatim, never wrapped.
    Pre(String),
    /// Rows of (cell text, is header cell).
    Table(Vec<Vec<(String, bool)>>),
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String, Style),
    Break,
}

impl Block {
    pub fn word_count(&self) -> usize {
        match self {
            Block::Para(runs) | Block::Heading(_, runs) => {
                inline_text(runs).split_whitespace().count()
            }
            Block::List { items, .. } => items.iter().flatten().map(Block::word_count).sum(),
            Block::Quote(inner) => inner.iter().map(Block::word_count).sum(),
            Block::Pre(text) => text.split_whitespace().count(),
            Block::Table(rows) => rows
                .iter()
                .flatten()
                .map(|(c, _)| c.split_whitespace().count())
                .sum(),
            Block::Rule => 0,
        }
    }
}

/// Runs as one string with whitespace folded: for table cells.
pub fn inline_text(runs: &[Inline]) -> String {
    let mut raw = String::new();
    for run in runs {
        match run {
            Inline::Text(t, _) => raw.push_str(t),
            Inline::Break => raw.push(' '),
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The narrowest text nesting may leave: past it, lists and quotes stop indenting.
const MIN_TEXT: usize = 24;

/// What becomes of an address wider than the whole line: cut by columns (a pane, which
/// must not overflow), or kept whole on a line of its own (text printed for a terminal
/// to copy from or a script to read: an address cut in two is no address). Any other
/// word wider than the line is cut either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlong {
    Cut,
    Whole,
}

/// Lays the blocks out at `width` columns, a blank line between blocks.
pub fn layout(blocks: &[Block], width: usize) -> Vec<Line> {
    layout_as(blocks, width, Overlong::Cut)
}

/// As `layout`, an address wider than a line as `long` says.
pub fn layout_as(blocks: &[Block], width: usize, long: Overlong) -> Vec<Line> {
    layout_spaced(blocks, width, long, |_, _| true)
}

/// Inside list items a nested list follows its text without a blank line, as browsers do.
fn layout_tight(blocks: &[Block], width: usize, long: Overlong) -> Vec<Line> {
    layout_spaced(blocks, width, long, |a, b| {
        !matches!(a, Block::List { .. }) && !matches!(b, Block::List { .. })
    })
}

fn layout_spaced(
    blocks: &[Block],
    width: usize,
    long: Overlong,
    blank_between: impl Fn(&Block, &Block) -> bool,
) -> Vec<Line> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 && blank_between(&blocks[i - 1], block) {
            lines.push(Line::default());
        }
        lines.extend(layout_block(block, width, long));
    }
    lines
}

fn layout_block(block: &Block, width: usize, long: Overlong) -> Vec<Line> {
    match block {
        Block::Para(runs) => wrap_as(runs, width, Style::PLAIN, long),
        Block::Heading(level, runs) => heading(*level, runs, width, long),
        Block::List {
            ordered,
            start,
            items,
        } => list(*ordered, *start, items, width, long),
        // Too deep to indent further: the text keeps its width (else a hostile nesting
        // shrinks it to a column, and each word becomes a line per letter).
        Block::Quote(inner) if width < 2 + MIN_TEXT => layout_as(inner, width, long),
        Block::Quote(inner) => prefixed(
            layout_as(inner, width.saturating_sub(2), long),
            "│ ",
            "│ ",
            width,
            Style::QUOTE,
        )
        .into_iter()
        .map(|mut l| {
            for s in l.spans.iter_mut().skip(1) {
                s.style = s.style.with(Style::QUOTE);
            }
            l
        })
        .collect(),
        Block::Pre(text) => pre(text),
        Block::Table(rows) => table(rows, width, long),
        Block::Rule => vec![Line::plain("─".repeat(width.min(72)), Style::DIM)],
    }
}

fn heading(level: u8, runs: &[Inline], width: usize, long: Overlong) -> Vec<Line> {
    let style = Style::HEADING.with(Style::BOLD);
    let mut lines = wrap_as(runs, width, style, long);
    if level <= 2 {
        let w = lines.iter().map(Line::width).max().unwrap_or(0).min(width);
        let ch = if level == 1 { "═" } else { "─" };
        lines.push(Line::plain(ch.repeat(w), Style::HEADING));
    }
    lines
}

fn list(
    ordered: bool,
    start: u32,
    items: &[Vec<Block>],
    width: usize,
    long: Overlong,
) -> Vec<Line> {
    let last = start as usize + items.len().saturating_sub(1);
    let number_width = last.to_string().len();
    let mut lines = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let marker = if ordered {
            format!("{:>w$}. ", start as usize + i, w = number_width)
        } else {
            "• ".to_string()
        };
        if width < marker.width() + MIN_TEXT {
            // Too deep to indent further: the items keep the width there is.
            lines.extend(layout_tight(item, width, long));
            continue;
        }
        let indent = " ".repeat(marker.width());
        let inner = layout_tight(item, width - marker.width(), long);
        lines.extend(prefixed(inner, &marker, &indent, width, Style::PLAIN));
    }
    lines
}

/// Puts `first` before the first line and `rest` before the others. When the width is too
/// small for an indent, the lines go unindented so that nothing overflows.
fn prefixed(inner: Vec<Line>, first: &str, rest: &str, width: usize, style: Style) -> Vec<Line> {
    let indent = first.width().max(rest.width());
    if indent + 4 > width {
        return inner;
    }
    let inner = if inner.is_empty() {
        vec![Line::default()]
    } else {
        inner
    };
    inner
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let prefix = if i == 0 { first } else { rest };
            let mut spans = vec![Span {
                text: prefix.to_string(),
                style,
                link: None,
            }];
            spans.extend(line.spans);
            Line { spans }
        })
        .collect()
}

fn pre(text: &str) -> Vec<Line> {
    let text = text.trim_matches('\n');
    text.lines()
        .map(|l| Line::plain(l.replace('\t', "    ").trim_end(), Style::CODE))
        .collect()
}

fn table(rows: &[Vec<(String, bool)>], width: usize, long: Overlong) -> Vec<Line> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in rows {
        for (i, (cell, _)) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let total: usize = widths.iter().sum::<usize>() + 3 * cols.saturating_sub(1);
    let has_header = rows.first().is_some_and(|r| r.iter().all(|(_, th)| *th));
    if total <= width {
        aligned_table(rows, &widths, has_header, total)
    } else {
        stacked_table(rows, has_header, width, long)
    }
}

fn aligned_table(
    rows: &[Vec<(String, bool)>],
    widths: &[usize],
    has_header: bool,
    total: usize,
) -> Vec<Line> {
    let mut lines = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut spans = Vec::new();
        for (i, w) in widths.iter().enumerate() {
            let (cell, th) = row
                .get(i)
                .map(|(c, th)| (c.as_str(), *th))
                .unwrap_or(("", false));
            if i > 0 {
                spans.push(Span {
                    text: " │ ".into(),
                    style: Style::DIM,
                    link: None,
                });
            }
            let pad = w.saturating_sub(cell.width());
            spans.push(Span {
                text: format!("{cell}{}", " ".repeat(pad)),
                style: if th { Style::BOLD } else { Style::PLAIN },
                link: None,
            });
        }
        lines.push(Line { spans });
        if r == 0 && has_header {
            lines.push(Line::plain("─".repeat(total), Style::DIM));
        }
    }
    lines
}

/// Too wide to align: each row becomes "Header: value" lines, rows apart by a blank line.
fn stacked_table(
    rows: &[Vec<(String, bool)>],
    has_header: bool,
    width: usize,
    long: Overlong,
) -> Vec<Line> {
    let (header, body) = if has_header {
        (
            rows[0].iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            &rows[1..],
        )
    } else {
        (Vec::new(), rows)
    };
    let mut lines = Vec::new();
    for (r, row) in body.iter().enumerate() {
        if r > 0 {
            lines.push(Line::default());
        }
        for (i, (cell, _)) in row.iter().enumerate() {
            let mut runs = Vec::new();
            if let Some(h) = header.get(i).filter(|h| !h.is_empty()) {
                runs.push(Inline::Text(format!("{h}: "), Style::BOLD));
            }
            runs.push(Inline::Text(cell.clone(), Style::PLAIN));
            lines.extend(wrap_as(&runs, width, Style::PLAIN, long));
        }
    }
    lines
}

/// One word: styled pieces with no space between them.
struct Word {
    spans: Vec<Span>,
    width: usize,
    space_before: bool,
}

enum Token {
    Word(Word),
    Break,
}

fn tokenize(runs: &[Inline], base: Style) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = Word {
        spans: Vec::new(),
        width: 0,
        space_before: false,
    };
    let mut pending_space = false;
    let end_word = |word: &mut Word, tokens: &mut Vec<Token>, pending: &mut bool| {
        if !word.spans.is_empty() {
            let w = std::mem::replace(
                word,
                Word {
                    spans: Vec::new(),
                    width: 0,
                    space_before: false,
                },
            );
            tokens.push(Token::Word(w));
            *pending = false;
        }
    };
    for run in runs {
        match run {
            Inline::Break => {
                end_word(&mut word, &mut tokens, &mut pending_space);
                tokens.push(Token::Break);
                pending_space = false;
            }
            Inline::Text(text, style) => {
                let style = base.with(*style);
                for c in text.chars() {
                    // A no-break space joins words; it is shown as a plain space.
                    if c == NBSP {
                        if word.spans.is_empty() {
                            word.space_before = pending_space;
                        }
                        push_char(&mut word, ' ', style);
                        continue;
                    }
                    if c.is_whitespace() {
                        end_word(&mut word, &mut tokens, &mut pending_space);
                        pending_space = true;
                        continue;
                    }
                    if word.spans.is_empty() {
                        word.space_before = pending_space;
                    }
                    push_char(&mut word, c, style);
                }
            }
        }
    }
    end_word(&mut word, &mut tokens, &mut pending_space);
    tokens
}

const NBSP: char = '\u{a0}';

fn push_char(word: &mut Word, c: char, style: Style) {
    match word.spans.last_mut() {
        Some(last) if last.style == style => last.text.push(c),
        _ => word.spans.push(Span {
            text: c.to_string(),
            style,
            link: None,
        }),
    }
    word.width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
}

/// Greedy word wrap; a word wider than the line is broken by columns.
pub fn wrap(runs: &[Inline], width: usize, base: Style) -> Vec<Line> {
    wrap_as(runs, width, base, Overlong::Cut)
}

/// Greedy word wrap; an address wider than the line as `long` says.
pub fn wrap_as(runs: &[Inline], width: usize, base: Style, long: Overlong) -> Vec<Line> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur = Line::default();
    let mut cur_w = 0;
    for token in tokenize(runs, base) {
        let word = match token {
            Token::Break => {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
                continue;
            }
            Token::Word(w) => w,
        };
        let space = usize::from(word.space_before && cur_w > 0);
        if cur_w > 0 && cur_w + space + word.width > width {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0;
        } else if space == 1 {
            cur.spans.push(Span {
                text: " ".into(),
                style: base,
                link: None,
            });
            cur_w += 1;
        }
        if word.width <= width - cur_w || (long == Overlong::Whole && is_address(&word)) {
            cur_w += word.width;
            cur.spans.extend(word.spans);
            continue;
        }
        // Longer than a whole line: break it by columns.
        for span in word.spans {
            split_to_fit(&span, width, &mut cur_w, &mut cur, &mut lines);
        }
    }
    if !cur.spans.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A word that holds an address (`https://…`, `[video: https://…]`, `www.…`,
/// `mailto:…`): text keeps it whole. Other long words are cut as in a pane: text with no
/// spaces (Chinese, Japanese) wraps between its characters.
fn is_address(word: &Word) -> bool {
    let text: String = word.spans.iter().map(|s| s.text.as_str()).collect();
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    text.contains("://") || text.starts_with("www.") || text.starts_with("mailto:")
}

/// Puts a piece too long for one line on as many lines as it needs, pushing full lines.
fn split_to_fit(
    span: &Span,
    width: usize,
    cur_w: &mut usize,
    cur: &mut Line,
    lines: &mut Vec<Line>,
) {
    for c in span.text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if *cur_w + w > width && *cur_w > 0 {
            lines.push(std::mem::take(cur));
            *cur_w = 0;
        }
        match cur.spans.last_mut() {
            Some(last) if last.style == span.style => last.text.push(c),
            _ => cur.spans.push(Span {
                text: c.to_string(),
                style: span.style,
                link: None,
            }),
        }
        *cur_w += w;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only links a reader may open are numbered (a trial found `file:///etc/passwd` as
    /// `[9]`, which then refused to open); their text stays either way.
    #[test]
    fn only_links_that_open_are_numbered() {
        let doc = crate::render::blocks(
            "<p><a href=\"file:///etc/passwd\">local</a> <a href=\"data:text/html,x\">data</a> \
             <a href=\"/next\">next</a> <a href=\"mailto:a@b.example\">mail</a></p>",
            Some("http://127.0.0.1:9450/post"),
        );
        assert_eq!(
            doc.links,
            ["http://127.0.0.1:9450/next", "mailto:a@b.example"]
        );
        let text = crate::render::to_plain(&layout(&doc.blocks, 80));
        assert_eq!(text, "local data next[1] mail[2]");
    }

    /// Text printed for a terminal or a script keeps an address in a paragraph whole on
    /// its own line, however narrow (cut, it could not be copied); a pane cuts it.
    #[test]
    fn a_word_wider_than_the_line_is_whole_in_text_and_cut_in_a_pane() {
        let url = "https://example.org/2026/12/a-long-address-to-copy";
        let para = || {
            vec![Block::Para(vec![Inline::Text(
                format!("See {url} for the rest of it."),
                Style::PLAIN,
            )])]
        };
        let text = |long| {
            layout_as(&para(), 20, long)
                .iter()
                .map(Line::text)
                .collect::<Vec<_>>()
        };
        let whole = text(Overlong::Whole);
        assert_eq!(whole, ["See", url, "for the rest of it."]);
        let cut = text(Overlong::Cut);
        assert!(cut.iter().all(|l| l.width() <= 20), "{cut:?}");
        assert!(!cut.iter().any(|l| l.contains(url)), "{cut:?}");
        // In a list and a quote too, and the rest still wraps at the width.
        let nested = vec![Block::Quote(vec![Block::List {
            ordered: false,
            start: 1,
            items: vec![para()],
        }])];
        let lines: Vec<String> = layout_as(&nested, 40, Overlong::Whole)
            .iter()
            .map(Line::text)
            .collect();
        assert!(lines.iter().any(|l| l.ends_with(url)), "{lines:?}");
        assert!(
            lines
                .iter()
                .filter(|l| !l.contains(url))
                .all(|l| l.width() <= 40),
            "{lines:?}"
        );
        // Text with no spaces is no address: it still wraps between its characters.
        let cjk = vec![Block::Para(vec![Inline::Text(
            "日本語のテキストは全角文字で、各文字が二列を占めます。".into(),
            Style::PLAIN,
        )])];
        let lines = layout_as(&cjk, 20, Overlong::Whole);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.width() <= 20));
        assert!(
            crate::render::html_to_text(&format!("<p>at {url} now</p>"), None, 20)
                .lines()
                .any(|l| l == url)
        );
    }

    /// Issue 27 (the attack): `<ol><li>` or `<blockquote>` nested deep indented the text
    /// down to a column, one letter a line: 100,000 of them took 1.5 GB. Past a depth the
    /// text keeps its width.
    #[test]
    fn deep_nesting_stops_indenting_before_the_text_gets_narrow() {
        let text = || {
            vec![Inline::Text(
                "words of an item in a deep list".into(),
                Style::PLAIN,
            )]
        };
        let mut list = Block::Para(text());
        let mut quote = Block::Para(text());
        for _ in 0..60 {
            list = Block::List {
                ordered: true,
                start: 1,
                items: vec![vec![Block::Para(text()), list]],
            };
            quote = Block::Quote(vec![Block::Para(text()), quote]);
        }
        for block in [list, quote] {
            let lines = layout(std::slice::from_ref(&block), 80);
            assert!(lines.len() < 200, "{} lines", lines.len());
            // Every word whole: text squeezed to a column breaks words apart.
            let known = ["words", "of", "an", "item", "in", "a", "deep", "list"];
            for line in &lines {
                let text: String = line.spans.iter().map(|s| s.text.as_str()).collect();
                for word in text
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                {
                    assert!(known.contains(&word), "a broken word {word:?} in {text:?}");
                }
            }
        }
    }
}
