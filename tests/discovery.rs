//! `bulletin add` on the shapes real sites give, against pages on a loopback server: a
//! blog's feed beside its comments' (WordPress), the same feed twice (Blogger's Atom and
//! RSS), a blog in a folder of a site with a feed of its own, a page's charset, a
//! temporary redirect (a signed CDN link is no address to keep), a declared feed that
//! is gone, a `<meta http-equiv="refresh">`, and a site that never answers the guesses.
//! A helper's attack on 79 hand-written sites found each of these wrong.

mod support;

use std::time::Duration;
use support::{feeds, Env, Reply, Server};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const CONFIG: &str = "[general]\nrefresh_on_startup = false\n";

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head><title>Site</title>{head}</head><body>{body}</body></html>")
}

fn alternate(href: &str, title: &str) -> String {
    format!(r#"<link rel="alternate" type="application/rss+xml" title="{title}" href="{href}">"#)
}

#[test]
fn the_sites_feed_is_taken_over_its_comments_and_the_same_feed_is_offered_once() {
    let server = Server::start();
    server.fixed("/feed/", "application/rss+xml", feeds::rss("blog", 3, 1));
    server.fixed(
        "/comments/feed/",
        "application/rss+xml",
        feeds::rss("Comments for blog", 2, 1),
    );
    // Comments first on the page, as some themes put them; and the posts' feed twice.
    let head = [
        alternate("/comments/feed/", "Blog » Comments Feed"),
        alternate("/feed/", "Blog » Feed"),
        alternate("/feed/?alt=rss", "Blog » RSS"),
    ]
    .concat();
    server.fixed("/", "text/html", page(&head, ""));
    server.fixed(
        "/feed/?alt=rss",
        "application/rss+xml",
        feeds::rss("blog", 3, 1),
    );
    let env = Env::new(CONFIG);
    let out = env.run(&["add", &server.url("/"), "--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["url"], server.url("/feed/"));
    // Fetched once: the copy fetched to check it is the one added.
    assert_eq!(server.requests_to("/feed/").len(), 1);
    assert!(
        stderr_of(&out).contains("adding the site's own"),
        "{}",
        stderr_of(&out)
    );
    // --first takes the site's feed too, whatever the page's order.
    let env = Env::new(CONFIG);
    let first = env.json(&["add", "--first", &server.url("/"), "--json"]);
    assert_eq!(first["url"], server.url("/feed/"));
}

#[test]
fn a_blog_in_a_folder_is_found_before_its_sites_root() {
    let server = Server::start();
    server.fixed("/rss.xml", "application/rss+xml", feeds::rss("press", 2, 1));
    server.fixed(
        "/blog/index.xml",
        "application/rss+xml",
        feeds::rss("blog", 2, 1),
    );
    server.fixed("/blog/", "text/html", page("", "<p>posts</p>"));
    // A page whose only pointer is a link reading "RSS" to a neutral address.
    server.fixed(
        "/journal/subscribe",
        "application/rss+xml",
        feeds::rss("journal", 2, 1),
    );
    server.fixed(
        "/journal/",
        "text/html",
        page("", r#"<a href="/journal/subscribe">RSS</a>"#),
    );
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/blog/"), "--json"]);
    assert_eq!(added["url"], server.url("/blog/index.xml"));
    let added = env.json(&["add", &server.url("/journal/"), "--json"]);
    assert_eq!(added["url"], server.url("/journal/subscribe"));
}

#[test]
fn a_pages_charset_is_read_for_its_titles_and_links() {
    let server = Server::start();
    server.fixed(
        "/flux/café.xml",
        "application/rss+xml",
        feeds::rss("cafe", 1, 1),
    );
    server.fixed(
        "/flux/th%C3%A9.xml",
        "application/rss+xml",
        feeds::rss("the", 1, 1),
    );
    server.fixed(
        "/flux/caf%C3%A9.xml",
        "application/rss+xml",
        feeds::rss("cafe", 1, 1),
    );
    // windows-1252, said in a meta only: é is the byte E9.
    let mut body = b"<html><head><meta charset=\"windows-1252\">".to_vec();
    for (href, title) in [
        (&b"/flux/caf\xe9.xml"[..], &b"Caf\xe9"[..]),
        (b"/flux/th\xe9.xml", b"Th\xe9"),
    ] {
        body.extend_from_slice(b"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"");
        body.extend_from_slice(href);
        body.extend_from_slice(b"\" title=\"");
        body.extend_from_slice(title);
        body.extend_from_slice(b"\">");
    }
    body.extend_from_slice(b"</head></html>");
    server.fixed("/", "text/html", body);
    let env = Env::new(CONFIG);
    let out = env.run(&["add", &server.url("/"), "--json"]);
    assert!(!out.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["url"], server.url("/flux/caf%C3%A9.xml"));
    assert_eq!(listed[0]["title"], "Café");
    assert_eq!(listed[1]["title"], "Thé");
}

#[test]
fn a_temporary_redirect_keeps_the_address_asked_for_and_a_permanent_one_moves_it() {
    let server = Server::start();
    server.fixed(
        "/cdn/feed.xml",
        "application/rss+xml",
        feeds::rss("signed", 2, 1),
    );
    let target = server.url("/cdn/feed.xml");
    server.route("/feed", move |_| Reply::redirect(&target));
    let target = server.url("/cdn/feed.xml");
    server.route("/old", move |_| Reply::Full {
        status: 301,
        headers: vec![("Location".into(), target.clone())],
        body: Vec::new(),
    });
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/feed"), "--json"]);
    assert_eq!(added["url"], server.url("/feed"));
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/old"), "--json"]);
    assert_eq!(added["url"], server.url("/cdn/feed.xml"));
    // A redirect off the web is not followed, and said so.
    server.route("/to-file", |_| Reply::redirect("file:///etc/passwd"));
    let out = env.run(&["add", &server.url("/to-file")]);
    assert!(!out.status.success());
    let said = stderr_of(&out);
    assert!(
        said.contains("HTTP 302 redirects off the web (to file:)"),
        "{said}"
    );
}

#[test]
fn a_declared_feed_that_is_gone_falls_back_to_the_usual_places_and_is_named() {
    let server = Server::start();
    server.fixed(
        "/",
        "text/html",
        page(
            &alternate("/feed.rss", "Feed"),
            "<template><a href=\"/t.xml\">t</a></template>",
        ),
    );
    server.fixed("/feed", "application/rss+xml", feeds::rss("usual", 2, 1));
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/"), "--json"]);
    assert_eq!(added["url"], server.url("/feed"));

    let bare = Server::start();
    bare.fixed("/", "text/html", page(&alternate("/feed.rss", "Feed"), ""));
    let out = env.run(&["add", &bare.url("/")]);
    assert!(!out.status.success());
    let said = stderr_of(&out);
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert!(
        said.contains(&format!("no feed found for {}", bare.url("/")))
            && said.contains(&format!("it links {}", bare.url("/feed.rss")))
            && said.contains("404"),
        "{said}"
    );
}

#[test]
fn a_meta_refresh_is_followed_once() {
    let server = Server::start();
    server.fixed(
        "/old/",
        "text/html",
        page(r#"<meta http-equiv="refresh" content="0; url=/new/">"#, ""),
    );
    server.fixed(
        "/new/",
        "text/html",
        page(&alternate("/new/feed.xml", "New"), ""),
    );
    server.fixed(
        "/new/feed.xml",
        "application/rss+xml",
        feeds::rss("new", 1, 1),
    );
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/old/"), "--json"]);
    assert_eq!(added["url"], server.url("/new/feed.xml"));
}

/// The usual places are asked at once: each answers only once all seven have been
/// asked (or after 5 s, with a 404), so asked one after another none would be a feed.
#[test]
fn the_usual_places_are_asked_at_once_and_a_silent_site_is_said_to_time_out() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // The places discovery tries, as it names them.
    const PLACES: [&str; 7] = bulletin::discover::COMMON_PATHS;
    let server = Server::start();
    server.fixed("/", "text/html", page("", "<p>no links</p>"));
    let asked = Arc::new(AtomicUsize::new(0));
    for path in PLACES {
        let asked = asked.clone();
        server.route(path, move |_| {
            asked.fetch_add(1, Ordering::SeqCst);
            let start = std::time::Instant::now();
            while asked.load(Ordering::SeqCst) < PLACES.len()
                && start.elapsed() < Duration::from_secs(5)
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            match (path, asked.load(Ordering::SeqCst) >= PLACES.len()) {
                ("/rss.xml", true) => Reply::ok("application/rss+xml", feeds::rss("found", 1, 1)),
                _ => Reply::status(404),
            }
        });
    }
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/"), "--json"]);
    assert_eq!(added["url"], server.url("/rss.xml"));

    let silent = Server::start();
    silent.fixed("/", "text/html", page("", "<p>no links</p>"));
    for path in PLACES {
        silent.route(path, |_| Reply::Hang);
    }
    let env = Env::new("[general]\nrefresh_on_startup = false\ntimeout_seconds = 1\n");
    let out = env.run(&["add", &silent.url("/")]);
    assert!(!out.status.success());
    let said = stderr_of(&out);
    assert!(said.contains("all timed out"), "{said}");
}

/// `probe` takes an address as `add` does: typed without a scheme, https then http; and
/// on a page it says that `add` is what finds the page's feeds.
#[test]
fn probe_falls_back_to_http_and_points_a_page_to_add() {
    let server = Server::start();
    server.fixed("/rss/", "application/rss+xml", feeds::rss("plain", 2, 1));
    server.fixed("/", "text/html", page(&alternate("/rss/", "Feed"), ""));
    let env = Env::new(CONFIG);
    let bare = format!("127.0.0.1:{}/rss/", server.port);
    let out = env.run(&["probe", &bare]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("plain (2 items)"));
    assert!(
        stderr_of(&out).contains(&format!("http://{bare} answered")),
        "{}",
        stderr_of(&out)
    );
    let out = env.run(&["probe", &server.url("/")]);
    assert!(!out.status.success());
    let said = stderr_of(&out);
    assert!(
        said.contains("`bulletin add ") && said.trim().lines().count() == 1,
        "{said}"
    );
}

/// `add` with no config yet writes the one `init` writes, with the feed in it.
#[test]
fn the_first_add_writes_inits_config_with_the_feed() {
    let server = Server::start();
    server.fixed(
        "/feed.xml",
        "application/rss+xml",
        feeds::rss("first", 2, 1),
    );
    let env = Env::new(CONFIG);
    std::fs::remove_file(env.config_path()).unwrap();
    let out = env.run(&["add", &server.url("/feed.xml")]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("bulletin init"),
        "{}",
        stderr_of(&out)
    );
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    let first_line = bulletin::config::init_text()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        text.starts_with(&first_line) && text.contains("[keys]"),
        "{text}"
    );
    let listed = env.json(&["feeds", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["url"], server.url("/feed.xml"));
}

/// A blogroll's links to other sites' feeds come after the site's own feed, wherever it
/// is found; and a comments feed alone (the site's own link is gone) does not stop the
/// search for the site's feed.
#[test]
fn a_blogrolls_feeds_and_a_lone_comments_feed_come_after_the_sites_own() {
    let friend = Server::start();
    friend.fixed("/feed", "application/rss+xml", feeds::rss("friend", 2, 1));
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("own", 2, 1));
    server.fixed(
        "/blogroll/",
        "text/html",
        page(
            "",
            &format!(
                r#"<h2>Friends</h2><a href="{}">Friend's RSS</a>"#,
                friend.url("/feed")
            ),
        ),
    );
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/blogroll/"), "--json"]);
    assert_eq!(added["url"], server.url("/feed"));
    // A page whose only feed is another site's: taken, and said whose it is.
    let only = Server::start();
    only.fixed(
        "/",
        "text/html",
        page(
            "",
            &format!(r#"<a href="{}">Friend's RSS</a>"#, friend.url("/feed")),
        ),
    );
    let out = env.run(&["add", &only.url("/"), "--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("is on another site"),
        "{}",
        stderr_of(&out)
    );

    let broken = Server::start();
    broken.fixed("/rss.xml", "application/rss+xml", feeds::rss("main", 2, 1));
    broken.fixed(
        "/comments/feed/",
        "application/rss+xml",
        feeds::rss("Comments for main", 1, 1),
    );
    let head = [
        alternate("/feed/", "Main » Feed"),
        alternate("/comments/feed/", "Main » Comments Feed"),
    ]
    .concat();
    broken.fixed("/", "text/html", page(&head, ""));
    let out = env.run(&["add", &broken.url("/"), "--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["url"], broken.url("/rss.xml"));
}

/// A feed given by its path (the TUI's `a`, `add ./x.xml`) keeps the file's absolute
/// address: the path as typed, read later against the config's folder, was another file.
#[test]
fn a_feed_given_by_its_path_goes_by_its_file_address() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local.xml");
    std::fs::write(&path, feeds::rss("local", 2, 1)).unwrap();
    let fetcher = bulletin::fetch::Fetcher::new(&Default::default()).unwrap();
    let found = match bulletin::discover::discover(&fetcher, path.to_str().unwrap()).unwrap() {
        bulletin::discover::Discovery::Feed(found) => found,
        other => panic!("{other:?}"),
    };
    assert!(found.url.starts_with("file:///"), "{}", found.url);
    assert!(found.url.ends_with("/local.xml"), "{}", found.url);
}

/// `add ./x.xml` is the shell's path: relative to where the user is, not to the config's
/// folder.
#[test]
fn a_relative_path_is_read_from_where_the_user_is() {
    let env = Env::new(CONFIG);
    let here = tempfile::tempdir().unwrap();
    std::fs::write(here.path().join("rel.xml"), feeds::rss("rel", 1, 1)).unwrap();
    let out = env
        .command(&["add", "./rel.xml", "--json"])
        .current_dir(here.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let url = added["url"].as_str().unwrap();
    let folder = here.path().file_name().unwrap().to_str().unwrap();
    assert!(
        url.starts_with("file:///") && url.ends_with(&format!("/{folder}/rel.xml")),
        "{url}"
    );
}

/// Blogger's two alternates, Atom and RSS of one blog: one feed, though Atom writes the
/// post as XHTML and RSS as escaped HTML with an entity.
#[test]
fn one_blog_in_atom_and_rss_is_offered_once() {
    let server = Server::start();
    server.fixed(
        "/feeds/posts/default",
        "application/atom+xml",
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Sam's Workshop</title><link rel="alternate" href="https://sam.example/"/><id>tag:sam</id><updated>2026-11-02T08:00:00Z</updated>
<entry><title>Lathe</title><id>tag:sam:1</id><link rel="alternate" href="https://sam.example/2026/11/lathe.html"/><updated>2026-11-02T08:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The café's old lathe runs again.</p></div></content></entry></feed>"#,
    );
    server.fixed(
        "/feeds/posts/default?alt=rss",
        "application/rss+xml",
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Sam's Workshop</title><link>https://sam.example/</link>
<item><title>Lathe</title><guid>tag:sam:1</guid><link>https://sam.example/2026/11/lathe.html</link><description>The caf&amp;eacute;'s old lathe runs again.</description></item></channel></rss>"#,
    );
    let head = [
        r#"<link rel="alternate" type="application/atom+xml" title="Sam's Workshop - Atom" href="/feeds/posts/default">"#,
        r#"<link rel="alternate" type="application/rss+xml" title="Sam's Workshop - RSS" href="/feeds/posts/default?alt=rss">"#,
    ]
    .concat();
    server.fixed("/", "text/html", page(&head, ""));
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/"), "--json"]);
    assert_eq!(added["url"], server.url("/feeds/posts/default"));
}

/// A page with two feeds of its own (news and events): listed, exit 1, and with
/// `--json` (before or after the page, as people type it) each with its title and
/// article count, as the feed added is said.
#[test]
fn two_feeds_of_a_page_are_listed_with_their_articles() {
    let server = Server::start();
    server.fixed("/news.xml", "application/rss+xml", feeds::rss("news", 3, 1));
    server.fixed(
        "/events.xml",
        "application/rss+xml",
        feeds::rss("events", 2, 1),
    );
    let head = [
        alternate("/news.xml", "News"),
        alternate("/events.xml", "Events"),
    ]
    .concat();
    server.fixed("/", "text/html", page(&head, ""));
    for args in [
        vec!["add", "--json", &server.url("/")],
        vec!["add", &server.url("/"), "--json"],
    ] {
        let env = Env::new(CONFIG);
        let out = env.run(&args.iter().map(|s| s.as_ref()).collect::<Vec<&str>>());
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr_of(&out).contains("offers 2 feeds"),
            "{}",
            stderr_of(&out)
        );
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let counts: Vec<(String, u64)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["url"].as_str().unwrap().to_string(),
                    c["items"].as_u64().unwrap(),
                )
            })
            .collect();
        assert!(counts.contains(&(server.url("/news.xml"), 3)), "{counts:?}");
        assert!(
            counts.contains(&(server.url("/events.xml"), 2)),
            "{counts:?}"
        );
    }
}
