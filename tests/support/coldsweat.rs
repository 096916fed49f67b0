//! A real Fever server for the tests: coldsweat 0.10.2 from PyPI, which `.ci/run`
//! installs in a virtualenv (`target/coldsweat-venv`, or the program named by
//! `BULLETIN_COLDSWEAT`), set up on a SQLite file of its own, run on a loopback port
//! with every proxy variable pointing at a closed loopback port: nothing leaves the
//! machine.

use bulletin::sync::fever::Fever;
use bulletin::sync::SyncProvider;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const EMAIL: &str = "alice@example.org";
pub const PASSWORD: &str = "a long enough password";

pub fn coldsweat_program() -> PathBuf {
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

pub struct Coldsweat {
    pub dir: tempfile::TempDir,
    port: u16,
    proxy: String,
    child: Option<Child>,
}

impl Coldsweat {
    pub fn command(&self, args: &[&str]) -> Command {
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

    pub fn must(&self, args: &[&str]) {
        let out = self.command(args).output().expect("run coldsweat");
        assert!(
            out.status.success(),
            "coldsweat {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn set_up(opml: &str) -> Coldsweat {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("subscriptions.opml"), opml).unwrap();
        let port = super::free_port();
        let cs = Coldsweat {
            dir,
            port,
            proxy: format!("http://127.0.0.1:{}", super::free_port()),
            child: None,
        };
        cs.must(&["setup", EMAIL, "-p", PASSWORD]);
        cs.must(&["import", "subscriptions.opml", EMAIL, "-f"]);
        cs
    }

    pub fn start(&mut self) {
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

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Fetches the feeds again now: coldsweat leaves a feed alone for three minutes
    /// after a fetch, so the test forgets when it last fetched them.
    pub fn fetch_now(&self) {
        let db = rusqlite::Connection::open(self.dir.path().join("coldsweat.db")).unwrap();
        db.execute(
            "UPDATE feeds SET last_checked_on = NULL, last_updated_on = NULL",
            [],
        )
        .unwrap();
        drop(db);
        self.must(&["fetch"]);
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/fever", self.port)
    }

    /// The server's own view, through its Fever API.
    pub fn fever(&self) -> Fever {
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
pub fn atom(base: &str, name: &str, entries: &[(&str, &str)]) -> String {
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
pub fn server_ids(fever: &mut Fever) -> Vec<(String, String)> {
    let mut all = Vec::new();
    fever
        .new_items(None, 10_000, &mut |page| {
            all.extend(page.iter().map(|i| (i.title.clone(), i.id.clone())));
            Ok(())
        })
        .unwrap();
    all
}

pub fn id_of(all: &[(String, String)], title: &str) -> String {
    all.iter()
        .find(|(t, _)| t == title)
        .map(|(_, id)| id.clone())
        .unwrap_or_else(|| panic!("{title} is not on the server"))
}

/// An OPML of the feeds `/NAME.xml` served at `feeds`, each in its folder when given.
pub fn opml(feeds: &super::Server, outlines: &[(&str, Option<&str>)]) -> String {
    let mut body = String::new();
    for (name, folder) in outlines {
        let title = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        let outline = format!(
            r#"<outline type="rss" text="{title}" xmlUrl="{}" htmlUrl="{}"/>"#,
            feeds.url(&format!("/{name}.xml")),
            feeds.url(&format!("/{name}/"))
        );
        body.push_str(&match folder {
            Some(f) => format!(r#"<outline text="{f}" title="{f}">{outline}</outline>"#),
            None => outline,
        });
        body.push('\n');
    }
    format!(
        r#"<?xml version="1.0"?><opml version="1.0"><head><title>subs</title></head><body>
{body}</body></opml>"#
    )
}

/// A config that syncs with this coldsweat, its password in `password_env`.
pub fn config(cs: &Coldsweat, password_env: &str) -> String {
    format!(
        "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"fever\"\nurl = \"{}\"\nusername = \"{EMAIL}\"\npassword_env = \"{password_env}\"\n",
        cs.url()
    )
}
