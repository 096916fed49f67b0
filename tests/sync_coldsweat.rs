//! Two-way sync with a real Fever server: coldsweat 0.10.2 from PyPI, which `.ci/run`
//! installs in a virtualenv (`target/coldsweat-venv`, or the program named by
//! `BULLETIN_COLDSWEAT`). The test sets it up on a SQLite file of its own, imports an
//! OPML of feeds served here on loopback (each with its own icon, so coldsweat asks no
//! outside service for one), and runs it on a loopback port with every proxy variable
//! pointing at a closed loopback port: nothing leaves the machine.
//!
//! Both directions are checked against the server's own Fever API: read and starred
//! here reach the server, read and starred there reach here, a mark made while the
//! server is down waits in the queue and goes at the next sync.

mod support;

use bulletin::sync::fever::Fever;
use bulletin::sync::{Mark, SyncProvider};
use serde_json::Value;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Env, Reply, Server};

const EMAIL: &str = "alice@example.org";
const PASSWORD: &str = "a long enough password";

fn coldsweat_program() -> PathBuf {
    if let Some(p) = std::env::var_os("BULLETIN_COLDSWEAT") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/coldsweat-venv/bin/coldsweat");
    assert!(
        p.exists(),
        "coldsweat is needed for the Fever sync test: .ci/run installs it in target/coldsweat-venv"
    );
    p
}

struct Coldsweat {
    dir: tempfile::TempDir,
    port: u16,
    proxy: String,
    child: Option<Child>,
}

impl Coldsweat {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(coldsweat_program());
        cmd.args(args)
            .current_dir(self.dir.path())
            .env(
                "FLASK_DATABASE_URL",
                format!(
                    "sqlite:///{}",
                    self.dir.path().join("coldsweat.db").display()
                ),
            )
            .env("FLASK_SECRET_KEY", "only for this test")
            .stdin(Stdio::null());
        for var in [
            "http_proxy",
            "https_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "all_proxy",
        ] {
            cmd.env(var, &self.proxy);
        }
        cmd.env("no_proxy", "127.0.0.1,localhost")
            .env("NO_PROXY", "127.0.0.1,localhost");
        cmd
    }

    fn must(&self, args: &[&str]) {
        let out = self.command(args).output().expect("run coldsweat");
        assert!(
            out.status.success(),
            "coldsweat {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn set_up(opml: &str) -> Coldsweat {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("subscriptions.opml"), opml).unwrap();
        let port = support::free_port();
        let cs = Coldsweat {
            dir,
            port,
            proxy: format!("http://127.0.0.1:{}", support::free_port()),
            child: None,
        };
        cs.must(&["setup", EMAIL, "-p", PASSWORD]);
        cs.must(&["import", "subscriptions.opml", EMAIL, "-f"]);
        cs
    }

    fn start(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("server.log")).unwrap();
        let child = self
            .command(&["run", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start coldsweat");
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "coldsweat did not start: {}",
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Fetches the feeds again now: coldsweat leaves a feed alone for three minutes
    /// after a fetch, so the test forgets when it last fetched them.
    fn fetch_now(&self) {
        let db = rusqlite::Connection::open(self.dir.path().join("coldsweat.db")).unwrap();
        db.execute(
            "UPDATE feeds SET last_checked_on = NULL, last_updated_on = NULL",
            [],
        )
        .unwrap();
        drop(db);
        self.must(&["fetch"]);
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/fever", self.port)
    }

    /// The server's own view, through its Fever API.
    fn fever(&self) -> Fever {
        let fetcher = bulletin::fetch::Fetcher::new(&Default::default()).unwrap();
        let mut f = Fever::new(fetcher, &self.url(), EMAIL, PASSWORD);
        f.login().unwrap();
        f
    }
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        self.stop();
    }
}

/// An Atom feed whose links and icon are on the loopback server at `base`.
fn atom(base: &str, name: &str, entries: &[(&str, &str)]) -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{name}</title><id>urn:{name}</id>
<updated>2026-11-30T10:00:00Z</updated><icon>{base}/icon.png</icon><link rel="alternate" href="{base}/{name}/"/>"#
    );
    for (i, (id, title)) in entries.iter().enumerate() {
        s.push_str(&format!(
            r#"<entry><id>urn:{name}:{id}</id><title>{title}</title><updated>2026-11-{:02}T10:00:00Z</updated>
<link href="{base}/{name}/{id}"/><content type="html">&lt;p&gt;The words of {title}.&lt;/p&gt;</content></entry>"#,
            10 + i
        ));
    }
    s.push_str("</feed>");
    s
}

/// Server article ids by title, as the server's API lists them.
fn server_ids(fever: &mut Fever) -> Vec<(String, String)> {
    let mut all = Vec::new();
    fever
        .new_items(None, 10_000, &mut |page| {
            all.extend(page.iter().map(|i| (i.title.clone(), i.id.clone())));
            Ok(())
        })
        .unwrap();
    all
}

fn id_of(all: &[(String, String)], title: &str) -> String {
    all.iter()
        .find(|(t, _)| t == title)
        .map(|(_, id)| id.clone())
        .unwrap_or_else(|| panic!("{title} is not on the server"))
}

fn sync(env: &Env) -> Value {
    env.json(&["sync", "--json"])
}

#[test]
fn read_and_starred_go_both_ways_with_a_real_fever_server() {
    let feeds = Server::start();
    feeds.fixed("/icon.png", "image/png", b"\x89PNG\r\n\x1a\n".to_vec());
    let alpha: Arc<Mutex<Vec<(&str, &str)>>> = Arc::new(Mutex::new(vec![
        ("1", "Alpha one"),
        ("2", "Alpha two"),
        ("3", "Alpha three"),
    ]));
    {
        // The alpha feed answers with the entries of the moment.
        let (alpha, base) = (alpha.clone(), feeds.url(""));
        feeds.route("/alpha.xml", move |_| {
            let entries = alpha.lock().unwrap().clone();
            Reply::ok("application/atom+xml", atom(&base, "alpha", &entries))
        });
    }
    feeds.fixed(
        "/beta.xml",
        "application/atom+xml",
        atom(
            &feeds.url(""),
            "beta",
            &[("1", "Beta one"), ("2", "Beta two")],
        ),
    );
    let opml = format!(
        r#"<?xml version="1.0"?><opml version="1.0"><head><title>subs</title></head><body>
<outline text="security" title="security"><outline type="rss" text="Alpha" xmlUrl="{}" htmlUrl="{}"/></outline>
<outline type="rss" text="Beta" xmlUrl="{}" htmlUrl="{}"/>
</body></opml>"#,
        feeds.url("/alpha.xml"),
        feeds.url("/alpha/"),
        feeds.url("/beta.xml"),
        feeds.url("/beta/")
    );
    let mut cs = Coldsweat::set_up(&opml);
    cs.start();
    let config = format!(
        "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"fever\"\nurl = \"{}\"\nusername = \"{EMAIL}\"\npassword_env = \"BULLETIN_TEST_SYNC_PASSWORD\"\n",
        cs.url()
    );
    let env = Env::new(&config);
    std::env::set_var("BULLETIN_TEST_SYNC_PASSWORD", PASSWORD);

    // First sync: the server's feeds, with its groups as tags, and every article.
    let s = sync(&env);
    assert_eq!(
        (
            s["provider"].as_str(),
            s["feeds"].as_u64(),
            s["new_items"].as_u64()
        ),
        (Some("fever"), Some(2), Some(5)),
        "{s}"
    );
    let listed = env.json(&["feeds", "--json"]);
    let alpha_feed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == feeds.url("/alpha.xml"))
        .unwrap_or_else(|| panic!("alpha is listed: {listed}"));
    assert_eq!(alpha_feed["tags"], serde_json::json!(["security"]));
    assert_eq!(alpha_feed["unread"], 3);
    let shown = env.ok(&["show", &env.item("Alpha two")["id"].to_string()]);
    assert!(shown.contains("The words of Alpha two."), "{shown}");
    // Search finds synced articles like any other.
    let found = env.json(&["search", "--json", "words", "Beta", "one"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");

    let mut fever = cs.fever();
    let ids = server_ids(&mut fever);

    // Read here → there.
    env.ok(&["mark-read", &env.item("Alpha one")["id"].to_string()]);
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "{s}");
    let unread = fever.unread_ids().unwrap();
    assert!(!unread.contains(&id_of(&ids, "Alpha one")), "{unread:?}");
    assert!(unread.contains(&id_of(&ids, "Alpha two")));

    // Read and starred there → here.
    fever.mark(&[id_of(&ids, "Beta two")], Mark::Read).unwrap();
    fever
        .mark(&[id_of(&ids, "Alpha three")], Mark::Star)
        .unwrap();
    fever
        .mark(&[id_of(&ids, "Alpha one")], Mark::Unread)
        .unwrap();
    let s = sync(&env);
    assert_eq!(
        (s["pushed"].as_u64(), s["pulled"].as_u64()),
        (Some(0), Some(3)),
        "{s}"
    );
    assert_eq!(env.item("Beta two")["read"], true);
    assert_eq!(env.item("Alpha one")["read"], false);
    assert_eq!(env.item("Alpha three")["starred"], true);
    let starred = env.json(&["items", "--starred", "--json"]);
    assert_eq!(starred.as_array().unwrap().len(), 1);

    // Offline: the server is down, a mark made here waits in the queue, the sync says
    // what failed in one line and fails, and nothing here is lost.
    cs.stop();
    env.ok(&["mark-read", &env.item("Alpha two")["id"].to_string()]);
    let out = env.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(&cs.url()), "{err}");
    assert!(!err.contains(PASSWORD));
    assert_eq!(env.item("Alpha two")["read"], true);
    cs.start();
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "{s}");
    let mut fever = cs.fever();
    assert!(!fever
        .unread_ids()
        .unwrap()
        .contains(&id_of(&ids, "Alpha two")));

    // New articles on the server arrive at the next sync, and only those travel.
    alpha.lock().unwrap().push(("4", "Alpha four"));
    cs.fetch_now();
    let s = sync(&env);
    assert_eq!(s["new_items"], 1, "{s}");
    assert_eq!(env.item("Alpha four")["read"], false);

    // Starred and unstarred here → there.
    env.ok(&["star", &env.item("Beta one")["id"].to_string()]);
    env.ok(&["unstar", &env.item("Alpha three")["id"].to_string()]);
    let s = sync(&env);
    assert_eq!(s["pushed"], 2, "{s}");
    assert_eq!(fever.starred_ids().unwrap(), [id_of(&ids, "Beta one")]);
}
