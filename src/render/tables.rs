//! Tables: a data table as a grid of its cells' text, with its caption; a table that
//! lays a page out (newsletters nest them) as the flow of its cells, line numbers beside
//! code left out.

use super::convert::Converter;
use super::*;

impl Converter<'_> {
    /// A data table as a grid; a table used for layout (email templates nest them, cells
    /// hold paragraphs, headings and pictures) as the flow of its cells, in order.
    pub(super) fn table(&mut self, el: ElementRef, depth: usize) {
        self.flush();
        // Its caption ("Table 1. ...") before it, as a browser shows it.
        if let Some(caption) = el
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "caption")
        {
            self.children(caption, depth + 1);
            self.flush();
        }
        let cells = own_cells(el);
        if is_layout_table(el, &cells) {
            // Code with its line numbers in a column of their own (Pygments, GitHub's
            // blobs): the code alone, the numbers were a block of digits above it.
            for cell in cells.iter().flatten().filter(|c| !is_gutter(c)) {
                self.flush();
                self.children(*cell, depth + 1);
                self.flush();
            }
            return;
        }
        let mut rows: Vec<Vec<(String, bool)>> = Vec::new();
        for row in cells {
            let mut out = Vec::new();
            for cell in row {
                let runs = self.cell_runs(cell, depth + 1);
                out.push((layout::inline_text(&runs), cell.value().name() == "th"));
            }
            if !out.is_empty() {
                rows.push(out);
            }
        }
        if !rows.is_empty() {
            self.out.push(Block::Table(rows));
        }
    }

    /// A data cell's text as one run of inlines: its paragraphs (docutils wraps each
    /// cell's text in one) joined by a space.
    fn cell_runs(&mut self, cell: ElementRef, depth: usize) -> Vec<Inline> {
        let mut runs = Vec::new();
        for block in self.nested(|c| c.children(cell, depth)) {
            if let Block::Para(more) = block {
                if !runs.is_empty() {
                    runs.push(Inline::Text(" ".into(), Style::PLAIN));
                }
                runs.extend(more);
            }
        }
        runs
    }
}

/// A cell of line numbers beside code.
fn is_gutter(cell: &ElementRef) -> bool {
    let classes = cell.value().attr("class").unwrap_or("");
    is_gutter_class(classes)
        || classes
            .split_ascii_whitespace()
            .any(|c| c.eq_ignore_ascii_case("line-numbers"))
}

/// Whether an element's classes mark the line numbers beside code, as Pygments, Rouge,
/// GitHub and Prism name them (full text takes them away before extraction too).
pub(crate) fn is_gutter_class(classes: &str) -> bool {
    classes.split_ascii_whitespace().any(|c| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "linenos"
                | "lineno"
                | "linenodiv"
                | "gutter"
                | "rouge-gutter"
                | "code-gutter"
                | "blob-num"
                | "line-numbers-rows"
        )
    })
}

/// The cells of a table's own rows (not those of tables inside it), row by row.
fn own_cells(table: ElementRef<'_>) -> Vec<Vec<ElementRef<'_>>> {
    let own = |e: &ElementRef| {
        e.ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "table")
            .is_some_and(|t| t.id() == table.id())
    };
    table
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|tr| tr.value().name() == "tr" && own(tr))
        .map(|tr| {
            tr.children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect()
}

/// A table that lays a page out rather than holding data: it says so
/// (role="presentation"), has one column, or its cells hold blocks or pictures. A table
/// with header cells whose cells wrap their text in a paragraph or two (Sphinx's,
/// Wikipedia's) holds data all the same.
fn is_layout_table(table: ElementRef, cells: &[Vec<ElementRef>]) -> bool {
    const WRAPS: [&str; 2] = ["p", "div"];
    const BLOCKS: [&str; 14] = [
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "blockquote",
        "img",
        "center",
        "section",
        "pre",
    ];
    let headed = cells.iter().flatten().any(|c| c.value().name() == "th");
    table
        .value()
        .attr("role")
        .is_some_and(|r| r.eq_ignore_ascii_case("presentation"))
        || cells.iter().all(|row| row.len() <= 1)
        || cells.iter().flatten().any(|cell| {
            let inside = || cell.descendants().filter_map(ElementRef::wrap).skip(1);
            let wraps = inside()
                .filter(|e| WRAPS.contains(&e.value().name()))
                .count();
            inside().any(|e| BLOCKS.contains(&e.value().name()))
                || wraps > 0 && !(headed && wraps <= 2)
        })
}

#[cfg(test)]
mod tests {
    fn text(html: &str) -> String {
        crate::render::html_to_text(html, None, 80)
    }

    #[test]
    fn a_data_tables_cells_may_wrap_their_text_in_paragraphs() {
        let t = text(
            "<table class=\"docutils\"><caption>Table 1. Typical heat loss</caption>\
             <thead><tr><th><p>House type</p></th><th><p>Heat loss</p></th></tr></thead>\
             <tbody><tr><td><p>Detached</p></td><td><p>4.5 kW</p></td></tr>\
             <tr><td><p>Terraced</p></td><td><p>3 kW</p></td></tr></tbody></table>",
        );
        assert!(t.contains("Table 1. Typical heat loss"), "{t}");
        let row = t.lines().find(|l| l.contains("Detached")).unwrap_or("");
        assert!(row.contains("4.5 kW"), "a row on one line:\n{t}");
        // Without header cells, paragraphs in cells still lay a page out.
        let flow = text("<table><tr><td><p>Left column story.</p></td><td><p>Right column story.</p></td></tr></table>");
        assert!(
            flow.contains("Left column story.\n\nRight column story."),
            "{flow}"
        );
    }

    #[test]
    fn line_numbers_beside_code_are_left_out() {
        let t = text(
            "<table class=\"highlighttable\"><tr><td class=\"linenos\"><div class=\"linenodiv\"><pre>1\n2</pre></div></td>\
             <td class=\"code\"><div class=\"highlight\"><pre>let a = 1;\nlet b = 2;</pre></div></td></tr></table>",
        );
        assert!(t.contains("let a = 1;\nlet b = 2;"), "{t}");
        assert!(!t.lines().any(|l| l.trim() == "1"), "{t}");
    }
}
