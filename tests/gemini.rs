//! Gemini feeds with the real binary against a Gemini server of our own on loopback
//! (tests/support/gemini.rs, from the specification: TLS, status lines, redirects): a
//! gemlog whose entries' pages become their articles, an Atom feed over Gemini, `add`
//! finding a gemlog from a capsule's home page, status codes as one-line errors, and
//! trust on first use with a certificate that changes.

mod support;

use support::gemini::GeminiServer;
use support::Env;

const GENERAL: &str = "[general]\nrefresh_on_startup = false\ntimeout_seconds = 10\n";

/// Two entries; a link that is not dated, and dated links a reader may not follow (a
/// local file, a script), which are not entries either.
const GEMLOG: &str = "# Relay notes\n## A gemlog about small protocols\n\nSome text that is not an entry.\n=> /about.gmi About this capsule\n=> /log/2026-11-30-outage.gmi 2026-11-30 - The relay outage\n=> /log/2026-11-02-keys.gmi 2026-11-02 Rotating keys\n=> file:///etc/passwd 2026-11-01 Local secrets\n=> javascript:alert(1) 2026-11-01 A script\n";

const ENTRY: &str = "# The relay outage\n\nOn Monday the relay stopped answering.\n\n## What happened\n* the disk filled\n* the log grew\n> Always watch the disk.\n```text\n$ df -h /\n```\n=> gemini://elsewhere.example/df.gmi More on df\n";

fn capsule() -> GeminiServer {
    let server = GeminiServer::start();
    server.route(
        "/",
        20,
        "text/gemini",
        "# Home\n=> /about.gmi About\n=> /log/ My gemlog\n",
    );
    server.route("/log/", 20, "text/gemini; lang=en", GEMLOG);
    server.route("/log/2026-11-30-outage.gmi", 20, "text/gemini", ENTRY);
    server.route(
        "/log/2026-11-02-keys.gmi",
        20,
        "text/gemini",
        "# Rotating keys\n\nEvery year, new keys.\n",
    );
    server
}

fn errors(env: &Env) -> Vec<String> {
    env.json(&["feeds", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["last_error"].as_str().map(str::to_string))
        .collect()
}

fn show(env: &Env, title: &str) -> String {
    let id = env.item_id(title);
    env.ok(&["show", &id])
}

#[test]
fn a_gemlog_s_dated_links_are_its_entries_and_their_pages_its_articles() {
    let server = capsule();
    let env = Env::new(GENERAL);
    // From the capsule's home page: its gemlog is found through its link.
    let added = env.json(&["add", &server.url("/"), "--json"]);
    assert_eq!(added["url"], server.url("/log/"), "{added}");
    assert_eq!(added["items"], 2, "{added}");
    // The entries' pages come with the add: the articles read at once.
    assert_eq!(server.requests_to("/log/2026-11-30-outage.gmi"), 1);
    let text = show(&env, "The relay outage");
    assert!(
        text.contains("On Monday the relay stopped answering."),
        "{text}"
    );
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 0, "{summary}");
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["title"], "Relay notes");
    let titles = env.titles(&["items", "--json"]);
    assert_eq!(titles, ["Rotating keys", "The relay outage"]);
    let outage = env.item("The relay outage");
    assert!(
        outage["published"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-30"),
        "{outage}"
    );
    // The entry's own page is the article, rendered; the refresh did not fetch it again.
    assert_eq!(server.requests_to("/log/2026-11-30-outage.gmi"), 1);
    let text = show(&env, "The relay outage");
    for part in [
        "On Monday the relay stopped answering.",
        "What happened",
        "• the disk filled",
        "Always watch the disk.",
        "$ df -h /",
        "More on df[1]",
        "[1] gemini://elsewhere.example/df.gmi",
    ] {
        assert!(text.contains(part), "{part:?} in:\n{text}");
    }
    // A link that is not an entry is not one.
    assert!(!titles.iter().any(|t| t.contains("About")));
    // A second refresh does not fetch the pages again.
    env.json(&["refresh", "--json"]);
    assert_eq!(server.requests_to("/log/2026-11-30-outage.gmi"), 1);
}

#[test]
fn an_atom_feed_over_gemini_and_redirects() {
    let server = GeminiServer::start();
    let atom = format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom capsule</title><id>{0}</id><updated>2026-11-30T00:00:00Z</updated><entry><title>Over Gemini</title><id>{0}a</id><link href=\"{0}a.gmi\"/><updated>2026-11-30T00:00:00Z</updated><content type=\"html\">&lt;p&gt;Body of the entry&lt;/p&gt;</content></entry></feed>",
        server.url("/")
    );
    server.route("/atom.xml", 20, "application/atom+xml", atom);
    server.route(
        "/a.gmi",
        20,
        "text/gemini",
        "# Over Gemini\nThe page itself.\n",
    );
    server.route("/old-feed", 31, &server.url("/moved"), "");
    server.route("/moved", 30, "/atom.xml", "");
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\nurl = \"{}\"\n",
        server.url("/old-feed")
    ));
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["new_items"], 1, "{summary}");
    assert_eq!(env.titles(&["items", "--json"]), ["Over Gemini"]);
    let text = show(&env, "Over Gemini");
    assert!(
        text.contains("The page itself."),
        "{text} {:?} {}",
        server.requests.lock().unwrap(),
        env.item("Over Gemini")
    );
}

#[test]
fn gemini_statuses_are_one_line_errors() {
    let server = GeminiServer::start();
    server.route("/input", 10, "Your name?", "");
    server.route("/gone", 52, "This capsule moved to the web", "");
    server.route("/slow-down", 44, "30", "");
    server.route("/cert", 60, "", "");
    server.route("/loop", 30, "/loop", "");
    server.route("/web", 31, "https://example.org/feed", "");
    server.route(
        "/page",
        20,
        "text/gemini",
        "# Just a page\n=> /x.gmi Not dated\n",
    );
    let paths = [
        "/input",
        "/gone",
        "/slow-down",
        "/cert",
        "/loop",
        "/web",
        "/page",
        "/none",
        "/huge",
    ];
    // Past max_body_mib, as over HTTP.
    server.route("/huge", 20, "text/gemini", vec![b'x'; 1536 * 1024]);
    let mut config = format!("{GENERAL}max_body_mib = 1\n");
    for p in paths {
        config.push_str(&format!("\n[[feed]]\nurl = \"{}\"\n", server.url(p)));
    }
    let env = Env::new(&config);
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 9, "{summary}");
    let errors = errors(&env);
    for want in [
        "asks for input (10 Your name?)",
        "Gemini 52 (permanent failure): This capsule moved to the web",
        "Gemini 44 (temporary failure): 30",
        "Gemini 60 (a client certificate is required)",
        "more than 5 redirects",
        "redirects to https://example.org/feed, which is not Gemini",
        "no dated links",
        "Gemini 51 (permanent failure): Not found",
        "the response is larger than 1 MiB",
    ] {
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "{want:?} in {errors:#?}"
        );
    }
    assert!(errors.iter().all(|e| !e.contains('\n')));
}

#[test]
fn a_changed_certificate_is_refused_until_the_host_is_trusted_again() {
    let server = capsule();
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\nurl = \"{}\"\n",
        server.url("/log/")
    ));
    assert_eq!(env.json(&["refresh", "--json"])["failed"], 0);
    let host = format!("127.0.0.1:{}", server.port);
    let known = std::fs::read_to_string(env.data_dir().join("gemini_hosts")).unwrap();
    assert!(known.contains(&format!("{host} sha256:")), "{known}");

    server.change_certificate();
    server.route(
        "/log/",
        20,
        "text/gemini",
        format!("{GEMLOG}=> /log/new.gmi 2026-12-01 After the change\n"),
    );
    let asked = server.requests.lock().unwrap().len();
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 1, "{summary}");
    let errors = errors(&env);
    assert!(
        errors[0].contains(&format!(
            "{host}: its certificate changed since bulletin first trusted it"
        )),
        "{errors:?}"
    );
    assert!(
        errors[0].contains(&format!("bulletin trust {host}")),
        "{errors:?}"
    );
    // Nothing was asked of the host with the new certificate, and nothing was lost.
    assert_eq!(server.requests.lock().unwrap().len(), asked);
    assert_eq!(env.titles(&["items", "--json"]).len(), 2);

    let trusted = env.ok(&["trust", &host]);
    assert!(
        trusted.starts_with(&format!("Trusted {host}'s new certificate sha256:")),
        "{trusted}"
    );
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 0, "{summary}");
    assert_eq!(env.titles(&["items", "--json"]).len(), 3);
    // Asked again, it says so (the global options after the host, as users type them
    // too); a host that is not Gemini is one line.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["trust", &host, "--config"])
        .arg(env.config_path())
        .arg("--data-dir")
        .arg(env.data_dir())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("was trusted already"),
        "{again:?}"
    );
    let out = env.run(&["trust", "https://example.org/"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Gemini host"));
}

/// Two processes trusting hosts at once (a cron refresh and `bulletin trust`, say): the
/// hosts' file is rewritten under a lock, so neither's host is lost.
#[test]
fn hosts_trusted_by_processes_at_once_are_all_kept() {
    let servers: Vec<GeminiServer> = (0..6).map(|_| GeminiServer::start()).collect();
    let env = Env::new(GENERAL);
    let children: Vec<_> = servers
        .iter()
        .map(|s| {
            env.command(&["trust", &format!("127.0.0.1:{}", s.port)])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let known = std::fs::read_to_string(env.data_dir().join("gemini_hosts")).unwrap();
    for s in &servers {
        assert!(
            known.contains(&format!("127.0.0.1:{} sha256:", s.port)),
            "{known}"
        );
    }
}
