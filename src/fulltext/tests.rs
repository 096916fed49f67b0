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
        // From the second page, the third follows the article's own address.
        (
            "https://h.example/story/x/2/",
            "https://h.example/story/x/3/",
        ),
        (
            "https://h.example/story/x/page/2",
            "https://h.example/story/x/page/3",
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

#[test]
fn a_themes_link_to_the_next_post_is_no_next_page() {
    let nav = br#"<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-next"><a href="/open-thread-2.html" rel="next">Next post</a></div></div></nav><p>x</p>"#;
    assert_eq!(
        next_page(nav, None, "https://h.example/open-thread.html"),
        None
    );
    let said = br#"<a href="/story/x/2" rel="next">Newer article</a>"#;
    assert_eq!(next_page(said, None, "https://h.example/story/x"), None);
    let titled = br#"<link rel="next" title="Another post" href="/story/x/2">"#;
    assert_eq!(next_page(titled, None, "https://h.example/story/x"), None);
    // WordPress's post ids: ?p=1190 to ?p=1191 is the next post, and so is
    // /archives/1191 after /archives/1190 (its numeric permalinks).
    let ids = br#"<a href="/?p=1191" rel="next">Next</a>"#;
    assert_eq!(next_page(ids, None, "https://h.example/?p=1190"), None);
    let ids = br#"<a href="/archives/1191" rel="next">Next</a>"#;
    assert_eq!(
        next_page(ids, None, "https://h.example/archives/1190"),
        None
    );
    // "Next page of this story" is the story's next page.
    let paged = br#"<a href="/story/x/2" rel="next">Next page of this story</a>"#;
    assert_eq!(
        next_page(paged, None, "https://h.example/story/x").as_deref(),
        Some("https://h.example/story/x/2")
    );
    for (from, to) in [
        ("https://h.example/a", "https://h.example/a?page=2"),
        ("https://h.example/a?page=2", "https://h.example/a?page=3"),
    ] {
        let body = format!("<a rel=\"next\" href=\"{to}\">Next page</a>");
        assert_eq!(next_page(body.as_bytes(), None, from).as_deref(), Some(to));
    }
}

#[test]
fn a_short_announcement_and_a_short_story_in_chinese_are_articles() {
    let short = "<html><head><title>Office closed on Friday</title></head><body><article><h1>Office closed on Friday</h1><p>The office will be closed on Friday 12 December for the staff outing. Urgent requests go to the on-call line as usual, and normal hours resume on Monday morning.</p></article></body></html>";
    let a = extract(
        short.as_bytes(),
        Some("text/html"),
        "https://h.example/closed",
    )
    .unwrap();
    assert!(text(&a).contains("staff outing"), "{}", text(&a));
    let chinese = "<html><head><meta charset=\"utf-8\"><title>港口新闻</title></head><body><article><p>本市港口今天宣布，从下个月起，夜间渡轮将增加两个班次，以满足通勤者的需求。港口管理局表示，新的时间表已经在网站上公布，乘客可以提前查询。</p></article></body></html>";
    let a = extract(chinese.as_bytes(), None, "https://h.example/zh").unwrap();
    assert!(text(&a).contains("夜间渡轮"), "{}", text(&a));
}

#[test]
fn plain_text_is_shown_as_written() {
    let html = plain_to_html("Notes\nfrom Ruth <ruth@h.example>\n\n<Directory /srv>\n  Require all granted\n</Directory>\n");
    let t = crate::render::html_to_text(&html, None, 80);
    for kept in [
        "<ruth@h.example>",
        "<Directory /srv>",
        "Require all granted",
        "</Directory>",
    ] {
        assert!(t.contains(kept), "{kept} missing:\n{t}");
    }
    assert!(t.contains("Notes\nfrom Ruth"), "{t}");
}

#[test]
fn short_pages_that_do_not_say_they_are_articles_are_not() {
    for page in [
        "<html><head><title>Sign in</title></head><body><main><h1>Sign in to your account</h1><p>Please sign in with the email address and password you registered with. Your session keeps you signed in for thirty days on this device unless you sign out.</p><form><input name=e><input name=p type=password></form></main></body></html>",
        "<html><head><title>Page not found</title></head><body><section class=\"error-404 not-found\"><h1>Oops! That page can't be found.</h1><p>It looks like nothing was found at this location. Maybe try one of the links below or a search? The page may have moved.</p></section></body></html>",
    ] {
        let e = extract(page.as_bytes(), Some("text/html"), "https://h.example/x").unwrap_err();
        assert!(matches!(e, ExtractError::NotAnArticle(_)), "{e}");
    }
}

#[test]
fn plain_text_laid_out_with_spaces_keeps_them() {
    let html = plain_to_html(
        "Install it:\n\n    make\n    make install\n\nname  qty  price\npen   2    1.50\n",
    );
    let t = crate::render::html_to_text(&html, None, 80);
    assert!(t.contains("    make install"), "{t}");
    assert!(t.contains("pen   2    1.50"), "{t}");
}

#[test]
fn a_paywalled_articles_teaser_is_no_article() {
    let teaser = r#"<html><head><script type="application/ld+json">{"@type": "NewsArticle", "isAccessibleForFree": false}</script></head><body><article><h1>Inside the race</h1><p>In a converted aircraft hangar outside the city, forty engineers are building a machine that, if it works, will change how the grid is run. Subscribe to read more.</p></article></body></html>"#;
    let e = extract(teaser.as_bytes(), Some("text/html"), "https://h.example/t").unwrap_err();
    assert!(matches!(e, ExtractError::NotAnArticle(_)), "{e}");
}

#[test]
fn a_short_error_or_login_page_marked_as_an_article_is_no_article() {
    for page in [
        "<html><body class=\"error404\"><article class=\"hentry error-404\"><h1>Not found</h1><p>Sorry, we could not find the page you were looking for. It may have been moved, renamed or deleted.</p></article></body></html>",
        "<html><body><article class=\"hentry\"><h1>Members only</h1><p>This story is for members. Sign in with your email address and password to read the rest of it today.</p><form><input type=\"password\"></form></article></body></html>",
    ] {
        let e = extract(page.as_bytes(), Some("text/html"), "https://h.example/x").unwrap_err();
        assert!(matches!(e, ExtractError::NotAnArticle(_)), "{e}");
    }
}
