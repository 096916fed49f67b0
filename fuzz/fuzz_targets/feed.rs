//! Any bytes through the whole ingest path: decode, parse, normalise, render, sanitise.
//! Nothing may panic, and nothing that comes out may carry a control character.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a Content-Type, so header charsets get exercised too.
    let (ctype, body) = match data.split_first() {
        Some((b, rest)) => (
            match b % 4 {
                0 => None,
                1 => Some("application/rss+xml; charset=windows-1252"),
                2 => Some("text/xml; charset=utf-16"),
                _ => Some("application/atom+xml; charset=iso-8859-15"),
            },
            rest,
        ),
        None => (None, data),
    };
    let Ok(feed) = bulletin::parse::parse_feed(body, ctype, "https://fuzz.example/feed") else {
        return;
    };
    for item in feed.items.iter().take(50) {
        for text in [&item.title, &item.guid] {
            assert!(!text.chars().any(bulletin::sanitize::is_forbidden));
        }
        for html in [&item.content_html, &item.summary_html].into_iter().flatten() {
            let text = bulletin::render::html_to_text(html, item.link.as_deref(), 60);
            assert!(!text.chars().any(|c| c != '\n' && bulletin::sanitize::is_forbidden(c)));
        }
    }
});
