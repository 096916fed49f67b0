//! Extraction over pages written in the shapes real sites have (tests/fixtures/pages).

use super::*;

fn page(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name);
    std::fs::read(path).unwrap()
}

fn text(a: &Extracted) -> String {
    crate::render::html_to_text(&a.html, Some(&a.url), 100)
}

#[test]
fn the_article_without_its_nav_sidebar_comments_and_footer() {
    let a = extract(
        &page("article.html"),
        Some("text/html"),
        "https://harbour.example/story/patch-window",
    )
    .unwrap();
    assert_eq!(a.title, "Patch window closes with three exploited flaws");
    assert_eq!(a.byline.as_deref(), Some("Dana Okafor"));
    assert_eq!(a.site_name.as_deref(), Some("Harbour Security Weekly"));
    assert!(a.excerpt.is_some());
    let t = text(&a);
    for kept in ["forty-one fixes", "debugging port", "quieter"] {
        assert!(t.contains(kept), "{kept} missing:\n{t}");
    }
    for dropped in [
        "Most read",
        "Sign up",
        "Sponsored",
        "First!",
        "All rights reserved",
        "window.dataLayer",
        "font-family",
    ] {
        assert!(!t.contains(dropped), "{dropped} kept:\n{t}");
    }
    // The figure stays, its address made absolute.
    assert!(
        a.html
            .contains("https://harbour.example/img/gateway-diagram.png"),
        "{}",
        a.html
    );
}

#[test]
fn lazy_images_keep_their_real_address() {
    let a = extract(
        &page("lazy.html"),
        None,
        "https://harbour.example/story/lazy",
    )
    .unwrap();
    for img in [
        "https://harbour.example/img/lazy-one.jpg",
        "https://harbour.example/img/lazy-two-1200.jpg",
        "https://harbour.example/img/noscript-three.jpg",
    ] {
        assert!(a.html.contains(img), "{img} missing:\n{}", a.html);
    }
    assert!(!a.html.contains(" src=\"data:"), "{}", a.html);
}

#[test]
fn a_latin1_page_declared_in_a_meta_reads_right() {
    let a = extract(
        &page("latin1.html"),
        Some("text/html"),
        "https://harbour.example/cafe",
    )
    .unwrap();
    assert!(a.title.contains("Café crème"), "{}", a.title);
    assert!(text(&a).contains("hôtel de ville"));
}

#[test]
fn relative_links_resolve_against_the_base_element() {
    let a = extract(
        &page("base.html"),
        None,
        "https://harbour.example/story/based",
    )
    .unwrap();
    assert!(
        a.html
            .contains("https://cdn.harbour.example/archive/2026/advisory-41.html"),
        "{}",
        a.html
    );
}

#[test]
fn a_page_that_is_no_article_is_an_error() {
    let e = extract(
        &page("not-article.html"),
        None,
        "https://harbour.example/login",
    )
    .unwrap_err();
    assert!(matches!(e, ExtractError::NotAnArticle(_)), "{e}");
    assert_eq!(
        e.to_string(),
        "https://harbour.example/login: no article found on the page"
    );
}

#[test]
fn the_next_page_is_found_on_the_same_site_only() {
    let body = page("multi-1.html");
    assert_eq!(
        next_page(&body, None, "https://harbour.example/story/split").as_deref(),
        Some("https://harbour.example/story/split?page=2")
    );
    let elsewhere = br#"<link rel="next" href="https://other.example/p2"><p>x</p>"#;
    assert_eq!(
        next_page(elsewhere, None, "https://harbour.example/a"),
        None
    );
    // The next article of a blog is not the next page of this one.
    let next_post = br#"<link rel="next" href="/2026/11/another-post/"><p>x</p>"#;
    assert_eq!(
        next_page(next_post, None, "https://harbour.example/2026/11/a-post/"),
        None
    );
    for (from, to) in [
        ("https://h.example/story/x", "https://h.example/story/x/2"),
        (
            "https://h.example/story/x/",
            "https://h.example/story/x/page/2/",
        ),
        (
            "https://h.example/story/x.html",
            "https://h.example/story/x-2.html",
        ),
    ] {
        let body = format!("<link rel=\"next\" href=\"{to}\"><p>x</p>");
        assert_eq!(
            next_page(body.as_bytes(), None, from).as_deref(),
            Some(to),
            "{from}"
        );
    }
}
