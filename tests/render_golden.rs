//! Golden tests of the reader's rendering, and properties that hold for any input.

use bulletin::render::{blocks, html_to_text, layout, to_plain};
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

const BASE: &str = "https://news.example/posts/today";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/html/{name}.html",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn golden(name: &str) {
    let html = fixture(name);
    for width in [40, 80] {
        let text = html_to_text(&html, Some(BASE), width);
        insta::assert_snapshot!(format!("{name}_{width}"), text);
        check_lines(&html, width);
    }
}

/// No line wider than the width, except preformatted lines.
fn check_lines(html: &str, width: usize) {
    let doc = blocks(html, Some(BASE));
    for line in layout(&doc.blocks, width) {
        let is_code = line
            .spans
            .iter()
            .any(|s| s.style.has(bulletin::render::Style::CODE));
        let w = line.text().width();
        assert!(
            w <= width || is_code,
            "line of width {w} > {width}: {:?}",
            line.text()
        );
    }
}

/// A Gemini page (gemtext) as the reader shows it: headings, a list, a quote, a
/// preformatted block kept as it is, links numbered; nothing in it read as markup.
#[test]
fn gemtext() {
    let base = "gemini://capsule.example/log/week.gmi";
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/gemtext/entry.gmi",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let html = bulletin::gemini::gemtext::to_html(&text, base);
    for width in [40, 80] {
        let rendered = html_to_text(&html, Some(base), width);
        insta::assert_snapshot!(format!("gemtext_{width}"), rendered);
    }
}

#[test]
fn nested_lists() {
    golden("nested_lists");
}

#[test]
fn tables() {
    golden("table");
}

/// An email newsletter's template: layout tables nested four deep, a data table inside
/// one, preview text hidden by style, a tracking pixel. The layout tables read as the
/// flow of their cells (each once), the data table stays a grid, the hidden text and
/// the pixel are not shown.
#[test]
fn newsletter_layout_tables() {
    golden("newsletter_layout");
    let text = html_to_text(&fixture("newsletter_layout"), Some(BASE), 80);
    assert_eq!(
        text.matches("Three fixes before Friday").count(),
        1,
        "{text}"
    );
    assert!(!text.contains("Preview:"), "{text}");
    assert!(!text.contains("open.gif"), "{text}");
}

#[test]
fn pre_and_quotes() {
    golden("pre_and_quotes");
}

#[test]
fn links_and_entities() {
    golden("links_entities");
}

#[test]
fn cjk_and_emoji() {
    golden("cjk_emoji");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 10_000;
    let html = format!(
        "{}deep text{}",
        "<div><span>".repeat(depth),
        "</span></div>".repeat(depth)
    );
    let text = html_to_text(&html, None, 60);
    assert!(text.contains("deep text"));
}

#[test]
fn a_large_article_renders() {
    let para = "<p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit, sed do <a href=\"/x\">eiusmod</a> tempor.</p>\n";
    let html = para.repeat(1_000_000 / para.len());
    let doc = blocks(&html, Some(BASE));
    let lines = layout(&doc.blocks, 80);
    assert!(lines.len() > 10_000);
    assert_eq!(doc.links.len(), 1, "one URL, one number");
    assert!(to_plain(&lines[..3]).starts_with("Lorem ipsum"));
}

const ESC: char = '\x1b';

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c != '\n' && bulletin::sanitize::is_forbidden(c))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_html_renders_clean_and_fits(
        html in "(<(p|b|i|ul|li|ol|pre|table|tr|td|th|blockquote|a href=\"x\"|h1|br)>|</(p|b|i|ul|li|ol|pre|table|tr|td|th|blockquote|a|h1)>|[a-zé日😀\\x00-\\x1f\\x7f-\\x9f\\u{202e} ]{0,12}|&amp;|&#27;|\u{1b}\\[31m|\u{1b}\\]52;c;eA==\u{7}){0,40}",
        width in 8usize..120,
    ) {
        let doc = blocks(&html, Some(BASE));
        for line in layout(&doc.blocks, width) {
            let text = line.text();
            prop_assert!(!has_control(&text), "control character in {:?}", text);
            let is_code = line.spans.iter().any(|s| s.style.has(bulletin::render::Style::CODE));
            prop_assert!(is_code || text.width() <= width, "{:?} wider than {}", text, width);
        }
        prop_assert!(!has_control(&html_to_text(&html, None, width)));
    }

    #[test]
    fn sanitizer_leaves_no_escape_or_control(s in "\\PC*|[\\x00-\\x1f\\x7f-\\x9f\u{1b}\\[\\];0-9a-z\u{202a}-\u{202e}\u{2066}-\u{2069}]{0,64}") {
        let clean = bulletin::sanitize::clean_text(&s);
        prop_assert!(!clean.chars().any(|c| c != '\n' && c != '\t' && bulletin::sanitize::is_forbidden(c)));
        prop_assert!(!clean.contains(ESC), "escape left in {:?}", clean);
        let line = bulletin::sanitize::clean_line(&s);
        prop_assert!(!line.contains('\n') && !line.contains('\t'));
    }
}

/// An old Flash embed gives its address (from its embed or movie param); a frame or a
/// video with no address shows nothing (it was `[video: ]`).
#[test]
fn embeds_show_their_address_or_nothing() {
    let flash = "<p>Watch:</p><object width=\"425\"><param name=\"movie\" value=\"http://video.example/v/abc\"></param><embed src=\"http://video.example/v/abc\" type=\"application/x-shockwave-flash\"></embed></object><p>end</p>";
    let text = html_to_text(flash, Some(BASE), 80);
    assert!(text.contains("http://video.example/v/abc]"), "{text}");
    let empty = "<p>Watch:</p><iframe></iframe><video></video><p>end</p>";
    let text = html_to_text(empty, Some(BASE), 80);
    assert!(!text.contains("[video"), "{text}");
}
