//! Full text from the article's page, over pages written in the shapes real sites have
//! (tests/fixtures/pages: an article among nav, sidebars and comments; lazy images; a
//! Latin-1 page; a page split in two; a page that is no article) served on loopback:
//! `bulletin extract`, `[[feed]] full_text = true` during refresh, and `t` in the TUI.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};
use support::tmux::Tmux;
use support::{Env, Reply, Server};

fn page(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pages")
            .join(name),
    )
    .unwrap()
}

/// The fixture pages at their paths, as a site serves them.
fn site() -> Server {
    let server = Server::start();
    for (path, name) in [
        ("/story/patch-window", "article.html"),
        ("/story/lazy", "lazy.html"),
        ("/story/split", "multi-1.html"),
        ("/story/split?page=2", "multi-2.html"),
        ("/login", "not-article.html"),
    ] {
        server.fixed(path, "text/html; charset=utf-8", page(name));
    }
    // Latin-1 with no charset in the header: the page's meta says it.
    server.fixed("/cafe", "text/html", page("latin1.html"));
    server.route("/gone", |_| Reply::status(404));
    server
}

/// A file served as application/octet-stream (a trial's find: its bytes were printed
/// as an article, and stored as a feed's full text) is no page; a page a server labels
/// so is still one.
#[test]
fn binary_bodies_are_not_pages_whatever_their_label() {
    let server = site();
    let mut bytes = b"PK\x03\x04\x14\x00\x00\x00".to_vec();
    bytes.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
    server.fixed("/file", "application/octet-stream", bytes);
    server.fixed(
        "/labelled",
        "application/octet-stream",
        page("article.html"),
    );
    let env = Env::new("[general]\nrefresh_on_startup = false\n");
    let out = env.run(&["extract", &server.url("/file")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a web page (application/octet-stream)"),
        "{err}"
    );
    let text = env.ok(&["extract", &server.url("/labelled")]);
    assert!(text.contains("debugging port"), "{text}");
}

#[test]
fn extract_prints_the_article_as_the_reader_shows_it() {
    let server = site();
    let env = Env::new("[general]\nrefresh_on_startup = false\n");
    let json = env.json(&["extract", "--json", &server.url("/story/patch-window")]);
    assert_eq!(
        json["title"],
        "Patch window closes with three exploited flaws"
    );
    assert_eq!(json["byline"], "Dana Okafor");
    assert_eq!(json["site_name"], "Harbour Security Weekly");
    let content = json["content"].as_str().unwrap();
    assert!(content.contains("debugging port"), "{content}");
    assert!(
        !content.contains("Most read") && !content.contains("First!"),
        "{content}"
    );
    assert!(json["html"].as_str().unwrap().contains("<p>"));

    let text = env.ok(&["extract", "--width", "60", &server.url("/cafe")]);
    assert!(text.contains("Café crème"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");

    // Both pages of a split article, in order.
    let split = env.json(&["extract", "--json", &server.url("/story/split")]);
    let content = split["content"].as_str().unwrap();
    let (one, two) = (
        content.find("signing keys").unwrap(),
        content.find("debugging port").unwrap(),
    );
    assert!(one < two, "{content}");

    let lazy = env.json(&["extract", "--json", &server.url("/story/lazy")]);
    assert!(lazy["html"]
        .as_str()
        .unwrap()
        .contains(&server.url("/img/lazy-one.jpg")));

    for (path, says) in [("/login", "no article found"), ("/gone", "404")] {
        let out = env.run(&["extract", &server.url(path)]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(says), "{err}");
    }
    // A path works as well as a URL.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/article.html");
    assert!(env
        .ok(&["extract", fixture.to_str().unwrap()])
        .contains("forty-one fixes"));
}

/// A summary-only feed whose links go to the site's pages.
fn summary_feed(server: &Server) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Brief</title><link>https://example.org/</link>",
    );
    for (i, path) in ["/story/patch-window", "/gone", "/login"]
        .iter()
        .enumerate()
    {
        s.push_str(&format!(
            "<item><title>Brief {i}</title><guid>b{i}</guid><link>{}</link>\
             <pubDate>Mon, 0{} Nov 2026 10:00:00 +0000</pubDate>\
             <description>Two lines of teaser {i}. Read more…</description></item>",
            server.url(path),
            i + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn full_text_feeds_get_their_articles_during_refresh_once() {
    let server = site();
    server.fixed("/feed", "application/rss+xml", summary_feed(&server));
    server.fixed(
        "/img/gateway-diagram.png",
        "image/png",
        b"\x89PNG not really".to_vec(),
    );
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[reader]\ncache_images = true\n\n[[feed]]\nurl = \"{}\"\nfull_text = true\n",
        server.url("/feed")
    ));
    env.ok(&["refresh"]);
    // With cache_images, the article's picture is in the picture cache for offline reading.
    assert_eq!(server.requests_to("/img/gateway-diagram.png").len(), 1);
    assert_eq!(env.data_dir().join("images").read_dir().unwrap().count(), 1);
    let shown = env.ok(&["show", &env.item_id("Brief 0")]);
    // The page's site name and byline are the header's (the feed gives no author).
    assert!(
        shown.contains("Full text: from Harbour Security Weekly (127.0.0.1)"),
        "{shown}"
    );
    assert!(shown.contains("Author: Dana Okafor"), "{shown}");
    assert!(shown.contains("debugging port"), "{shown}");
    // A page that fails keeps the feed's text, with why, and is not fetched again.
    let gone = env.ok(&["show", &env.item_id("Brief 1")]);
    assert!(
        gone.contains("Full text: none:") && gone.contains("404"),
        "{gone}"
    );
    assert!(gone.contains("Two lines of teaser 1"), "{gone}");
    let login = env.ok(&["show", &env.item_id("Brief 2")]);
    assert!(login.contains("no article found"), "{login}");
    let pages = |s: &Server| {
        ["/story/patch-window", "/gone", "/login"]
            .iter()
            .map(|p| s.requests_to(p).len())
            .sum::<usize>()
    };
    assert_eq!(pages(&server), 3, "one request per article");
    env.ok(&["refresh"]);
    assert_eq!(pages(&server), 3, "none again at the next refresh");
    // The full text is searchable like the feed's.
    let found = env.json(&["search", "--json", "debugging port"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
}

#[test]
fn t_in_the_reader_fetches_the_full_text_and_toggles_back() {
    let server = site();
    server.fixed("/feed", "application/rss+xml", summary_feed(&server));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n[[feed]]\nurl = \"{}\"\nname = \"Brief\"\n",
        server.url("/feed")
    ));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (3)");
    // The newest is Brief 2 (/login); the one before it, Brief 1 (/gone); then Brief 0.
    tmux.keys(&["Tab", "j", "j", "Enter"]);
    tmux.wait_for("Two lines of teaser 0");
    assert!(server.requests_to("/story/patch-window").is_empty());
    tmux.keys(&["t"]);
    let screen = tmux.wait_for("Full text: from Harbour Security Weekly (127.0.0.1)");
    assert!(screen.contains("Author: Dana Okafor"), "{screen}");
    assert!(screen.contains("forty-one fixes"), "{screen}");
    tmux.keys(&["t"]);
    tmux.wait_for("Full text: at hand");
    tmux.wait_for("Two lines of teaser 0");
    // A page with no article: the feed's text stays, with why.
    tmux.keys(&["g", "j", "Enter"]);
    tmux.wait_for("Two lines of teaser 1");
    tmux.keys(&["t"]);
    let screen = tmux.wait_for("Full text: none:");
    assert!(screen.contains("404"), "{screen}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && server.requests_to("/gone").is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.requests_to("/gone").len(), 1);
    tmux.keys(&["q", "q", "q"]);
    tmux.wait_exit();
}

/// A split article's last page may be a short ending: it is kept (a page on its own
/// that short is no article, but a later page is the article's).
#[test]
fn a_short_last_page_of_a_split_article_is_kept() {
    let server = site();
    let first = String::from_utf8(page("article.html")).unwrap().replace(
        "</head>",
        "<link rel=\"next\" href=\"/story/long?page=2\"></head>",
    );
    server.fixed("/story/long", "text/html; charset=utf-8", first);
    server.fixed(
        "/story/long?page=2",
        "text/html; charset=utf-8",
        "<html><body><article><p>And that was the last window of the year. The vendor says January's will be smaller, and the print server's team has promised a firmware image that closes the port for good.</p></article></body></html>",
    );
    let env = Env::new("[general]\nrefresh_on_startup = false\n");
    // Options after the address, as users type them too.
    let json = env.json(&["extract", &server.url("/story/long"), "--json"]);
    let content = json["content"].as_str().unwrap();
    let words = content.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("debugging port") && words.contains("closes the port for good"),
        "{content}"
    );
}

/// A plain-text page is its own article, but an empty one or a blocker's one line is no
/// article.
#[test]
fn an_empty_or_one_line_plain_text_page_is_no_article() {
    let server = site();
    server.fixed("/denied", "text/plain", "Access denied\n");
    server.fixed("/empty", "text/plain", "");
    server.fixed(
        "/notes",
        "text/plain; charset=utf-8",
        "Release notes\n\nThis release fixes the mail gateway's header parser, rotates the signing keys, and closes the print server's debugging port. Upgrade at your next window.\n",
    );
    let env = Env::new("[general]\nrefresh_on_startup = false\n");
    for path in ["/denied", "/empty"] {
        let out = env.run(&["extract", &server.url(path)]);
        assert!(!out.status.success(), "{path}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no article"),
            "{path}"
        );
    }
    assert!(env
        .ok(&["extract", &server.url("/notes")])
        .contains("debugging port"));
}
