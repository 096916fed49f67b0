//! Lazy-loaded images, as pages ship them: the picture in `data-src` (or `data-original`,
//! `data-lazy-src`, a `data-srcset`/`srcset`) and a placeholder or nothing in `src`. The
//! browser's script would swap them; here the real address goes to `src` before
//! extraction, so the article keeps its pictures.

use dom_query::Document;

/// Attributes lazy loaders keep the real address in, most specific first.
const LAZY_SRC: [&str; 6] = [
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
];
const LAZY_SRCSET: [&str; 3] = ["data-srcset", "data-lazy-srcset", "srcset"];

pub fn fix_images(doc: &Document) {
    for img in doc.select("img").nodes() {
        let src = img.attr("src").map(|s| s.to_string());
        if src.as_deref().is_some_and(|s| !is_placeholder(s)) {
            continue;
        }
        let real = LAZY_SRC
            .iter()
            .find_map(|a| img.attr(a).map(|v| v.trim().to_string()))
            .filter(|v| !v.is_empty() && !is_placeholder(v))
            .or_else(|| {
                LAZY_SRCSET
                    .iter()
                    .find_map(|a| img.attr(a).and_then(|v| largest(&v)))
            });
        if let Some(real) = real {
            img.set_attr("src", &real);
        }
    }
}

/// A `src` that only holds the place: an inline image (a 1x1 GIF, a blur), or a file
/// named like one.
fn is_placeholder(src: &str) -> bool {
    let s = src.trim().to_ascii_lowercase();
    s.is_empty()
        || s.starts_with("data:")
        || [
            "blank.",
            "spacer.",
            "placeholder",
            "pixel.",
            "transparent.",
            "lazy.",
        ]
        .iter()
        .any(|p| s.contains(p))
}

/// The widest candidate of a srcset (`a.jpg 480w, b.jpg 1080w` or `x 1x, y 2x`).
fn largest(srcset: &str) -> Option<String> {
    srcset
        .split(',')
        .filter_map(|c| {
            let mut parts = c.split_whitespace();
            let url = parts.next()?;
            let size = parts
                .next()
                .and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f64>().ok())
                .unwrap_or(1.0);
            (!is_placeholder(url)).then(|| (size, url.to_string()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, url)| url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_picture_goes_to_src() {
        let doc = Document::from(
            r#"<img src="data:image/gif;base64,R0lGOD" data-src="/a.jpg">
<img data-srcset="/s.jpg 480w, /l.jpg 1080w">
<img src="/kept.png" data-src="/other.png">
<img src="/img/blank.gif" data-original="/b.jpg">"#,
        );
        fix_images(&doc);
        let srcs: Vec<String> = doc
            .select("img")
            .nodes()
            .iter()
            .filter_map(|n| n.attr("src").map(|s| s.to_string()))
            .collect();
        assert_eq!(srcs, ["/a.jpg", "/l.jpg", "/kept.png", "/b.jpg"]);
    }
}
