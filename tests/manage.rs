//! Managing feeds from the command line against pages and feeds on a loopback server:
//! discovery (alternate links, <base>, the usual places, links that look like feeds,
//! several, none), refusals that write nothing, and config edits that keep comments.

mod support;

use support::{feeds, Env, Server};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const CONFIG: &str = "# my bulletins\n[general]\nrefresh_on_startup = false # quiet please\n";

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head><title>Site</title>{head}</head><body>{body}</body></html>")
}

#[test]
fn add_a_feed_by_its_address_or_by_its_page() {
    let server = Server::start();
    server.fixed(
        "/news/feed.xml",
        "application/rss+xml",
        feeds::rss("news", 4, 1),
    );
    server.fixed(
        "/blog/post.html",
        "text/html",
        page(
            r#"<base href="/news/"><link rel="alternate" type="application/rss+xml" title="News" href="feed.xml">"#,
            "",
        ),
    );
    let env = Env::new(CONFIG);
    // By the page: the alternate link, relative to <base>.
    let added = env.json(&[
        "add",
        &server.url("/blog/post.html"),
        "--json",
        "--tag",
        "daily",
        "--name",
        "The news",
    ]);
    let keys: Vec<&String> = added.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["url", "title", "items"]);
    assert_eq!(added["url"], server.url("/news/feed.xml"));
    assert_eq!(added["title"], "news");
    assert_eq!(added["items"], 4);
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        text.contains("# my bulletins") && text.contains("# quiet please"),
        "{text}"
    );
    assert!(
        text.contains("name = \"The news\"") && text.contains("tags = [\"daily\"]"),
        "{text}"
    );
    // The articles are cached at once.
    assert_eq!(env.json(&["items", "--json"]).as_array().unwrap().len(), 4);
    // Again, by page or by the feed itself: refused, with the name it has.
    for again in [server.url("/blog/post.html"), server.url("/news/feed.xml")] {
        let out = env.run(&["add", &again]);
        assert!(!out.status.success());
        assert!(
            stderr_of(&out).contains("already subscribed, as \"The news\""),
            "{}",
            stderr_of(&out)
        );
    }
}

#[test]
fn pages_without_links_are_searched_in_the_usual_places_then_their_links() {
    let server = Server::start();
    server.fixed("/", "text/html", page("", "<p>No feed links here.</p>"));
    server.fixed("/rss.xml", "application/rss+xml", feeds::rss("usual", 2, 1));
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/"), "--json"]);
    assert_eq!(added["url"], server.url("/rss.xml"));

    let other = Server::start();
    other.fixed(
        "/",
        "text/html",
        page(
            "",
            r#"<a href="/about">About</a> <a href="/subscribe/atom">Subscribe</a>"#,
        ),
    );
    other.fixed("/subscribe/atom", "application/atom+xml", feeds::ATOM);
    let added = env.json(&["add", &other.url("/"), "--json"]);
    assert_eq!(added["url"], other.url("/subscribe/atom"));
}

#[test]
fn several_feeds_are_listed_none_is_an_error_and_nothing_is_written() {
    let server = Server::start();
    server.fixed("/a.xml", "application/rss+xml", feeds::rss("a", 1, 1));
    server.fixed("/b.xml", "application/atom+xml", feeds::ATOM);
    server.fixed(
        "/two",
        "text/html",
        page(
            r#"<link rel="alternate" type="application/rss+xml" title="A" href="/a.xml"><link rel="alternate" type="application/atom+xml" title="B" href="/b.xml">"#,
            "",
        ),
    );
    server.fixed("/none", "text/html", page("", "<p>nothing</p>"));
    let env = Env::new(CONFIG);
    let out = env.run(&["add", &server.url("/two")]);
    assert!(!out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains(&server.url("/a.xml")) && listed.contains(&server.url("/b.xml")),
        "{listed}"
    );
    assert!(stderr_of(&out).contains("--first"), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        CONFIG,
        "nothing written"
    );
    for bad in [server.url("/none"), server.url("/missing.xml")] {
        let out = env.run(&["add", &bad]);
        assert!(!out.status.success(), "{bad}");
        assert_eq!(
            stderr_of(&out).trim().lines().count(),
            1,
            "{}",
            stderr_of(&out)
        );
        assert_eq!(
            std::fs::read_to_string(env.config_path()).unwrap(),
            CONFIG,
            "a typo never lands"
        );
    }
    let first = env.json(&["add", &server.url("/two"), "--first", "--json"]);
    assert_eq!(first["url"], server.url("/a.xml"));
}

#[test]
fn remove_rename_and_tag_edit_the_config_in_place() {
    let server = Server::start();
    server.fixed("/one", "application/rss+xml", feeds::rss("one", 3, 1));
    server.fixed("/two", "application/rss+xml", feeds::rss("two", 2, 1));
    let config = format!(
        "{CONFIG}\n# first feed\n[[feed]]\nurl = \"{}\" # the good one\ntags = [\"a\"]\n\n# second feed\n[[feed]]\nurl = \"{}\"\n",
        server.url("/one"),
        server.url("/two")
    );
    let env = Env::new(&config);
    env.ok(&["refresh"]);
    env.ok(&["rename", &server.url("/one"), "Number one"]);
    env.ok(&["tag", "number", "b", "c"]);
    env.ok(&["tag", "--add", "Number one", "d", "b"]);
    env.ok(&["tag", "--remove", "Number one", "c"]);
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["title"], "Number one");
    assert_eq!(feeds[0]["tags"], serde_json::json!(["b", "d"]));
    // No tags named: the feed's tags are said, not cleared; --add or --remove with none
    // is an error; --clear clears (on the second feed, kept for what follows).
    let said = String::from_utf8(env.run(&["tag", "number"]).stdout).unwrap();
    assert!(said.ends_with(": b, d\n"), "{said}");
    for flag in ["--add", "--remove"] {
        let out = env.run(&["tag", "number", flag]);
        assert!(!out.status.success());
        assert!(stderr_of(&out).contains("name the tags to"), "{flag}");
    }
    env.ok(&["tag", &server.url("/two"), "x"]);
    let cleared =
        String::from_utf8(env.run(&["tag", &server.url("/two"), "--clear"]).stdout).unwrap();
    assert!(cleared.ends_with(": (none)\n"), "{cleared}");
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["tags"], serde_json::json!(["b", "d"]));
    assert_eq!(feeds[1]["tags"], serde_json::json!([]));
    // A tag's articles, options before or after.
    let tagged = env.json(&["items", "--tag", "D", "--json"]);
    assert_eq!(tagged.as_array().unwrap().len(), 3, "{tagged}");
    assert_eq!(env.json(&["items", "--json", "--tag", "d"]), tagged);
    let out = env.run(&["items", "--tag", "nope"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("no configured feed has the tag \"nope\""));
    // Star one article of the second feed, then remove it: the starred one stays cached.
    let id = env.json(&["items", "--feed", "two", "--json"])[0]["id"]
        .as_i64()
        .unwrap();
    let db = rusqlite::Connection::open(env.data_dir().join("cache.db")).unwrap();
    db.execute("UPDATE items SET starred = 1 WHERE id = ?1", [id])
        .unwrap();
    let said = env.ok(&["remove", "two"]);
    assert!(
        said.contains("1 cached article dropped") && said.contains("1 starred kept"),
        "{said}"
    );
    let left: i64 = db
        .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 4, "3 of one, the starred one of two");
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    for kept in [
        "# my bulletins",
        "# quiet please",
        "# first feed",
        "# the good one",
    ] {
        assert!(text.contains(kept), "{kept} lost:\n{text}");
    }
    assert!(!text.contains("/two"), "{text}");
    assert_eq!(env.json(&["feeds", "--json"]).as_array().unwrap().len(), 1);
    // The starred article of the removed feed is still listed among the starred.
    let starred = env.json(&["items", "--starred", "--json"]);
    assert_eq!(starred.as_array().unwrap().len(), 1, "{starred}");
    // Under its feed's own title (it said none).
    let title: String = db
        .query_row("SELECT title FROM feeds WHERE url LIKE '%/two'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!title.is_empty());
    assert_eq!(starred[0]["feed"], title.as_str(), "{starred}");
    // And found by a search, which covers every cached article.
    let found = env.json(&["search", "is:starred", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["feed"], title.as_str(), "{found}");
    let out = env.run(&["remove", "nothing-like-this"]);
    assert!(!out.status.success());
}

#[test]
fn a_blog_under_a_folder_is_found_at_its_own_feed_address() {
    let server = Server::start();
    server.fixed(
        "/blog/",
        "text/html",
        page("", "<p>A blog without links.</p>"),
    );
    server.fixed("/blog/feed", "application/atom+xml", feeds::ATOM);
    let env = Env::new(CONFIG);
    let added = env.json(&["add", &server.url("/blog/"), "--json"]);
    assert_eq!(added["url"], server.url("/blog/feed"));
}

/// Issue 26, item 6: a config kept in a dotfiles folder behind a symlink (stow,
/// home-manager) and made 0600 because it names a password stays a symlink to a 0600
/// file through `add`, `rename` and `tag`. Before, the rename of a new file over the
/// link replaced it with a plain file, readable by everyone.
#[cfg(unix)]
#[test]
fn config_edits_keep_the_symlink_and_the_files_mode() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start();
    server.fixed("/feed.xml", "application/rss+xml", feeds::rss("news", 2, 1));
    let env = Env::new("");
    let real = env.path().join("dotfiles/bulletin/config.toml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, CONFIG).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::remove_file(env.config_path()).unwrap();
    std::os::unix::fs::symlink(&real, env.config_path()).unwrap();
    env.ok(&["add", &server.url("/feed.xml")]);
    env.ok(&["rename", &server.url("/feed.xml"), "News"]);
    env.ok(&["tag", "News", "daily"]);
    let link = std::fs::symlink_metadata(env.config_path()).unwrap();
    assert!(link.file_type().is_symlink(), "still a symlink");
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("# my bulletins") && text.contains("name = \"News\""),
        "{text}"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // An empty name gives the feed its own title back, and says so.
    let said = env.ok(&["rename", "News", ""]);
    assert!(said.contains("listed under its own title again"), "{said}");
    assert!(!std::fs::read_to_string(&real).unwrap().contains("name = "));
}
