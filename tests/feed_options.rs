//! Per-feed settings against a loopback server that checks what it is sent: the feed's
//! own user agent, headers and basic auth (never sent along a redirect to another host),
//! its own timeout, keep_days and refresh interval; and config errors for bad values.

mod support;

use support::{feeds, Env, Reply, Server};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_feed_sends_its_own_user_agent_headers_and_basic_auth() {
    let server = Server::start();
    server.route("/private", |r| {
        // "reader:s3cret" in base64.
        if r.header("authorization") == Some("Basic cmVhZGVyOnMzY3JldA==") {
            Reply::ok("application/rss+xml", feeds::rss("private", 2, 1))
        } else {
            Reply::status(401)
        }
    });
    server.fixed("/public", "application/rss+xml", feeds::rss("public", 1, 1));
    let config = format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nusername = \"reader\"\npassword_command = [\"printf\", \"s3cret\\\\nsecond line\"]\nuser_agent = \"private-agent/1\"\nheaders = {{ X-Api-Key = \"k-123\" }}\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/private"),
        server.url("/public")
    );
    let env = Env::new(&config);
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 0, "{summary}");
    let private = &server.requests_to("/private")[0];
    assert_eq!(private.header("user-agent"), Some("private-agent/1"));
    assert_eq!(private.header("x-api-key"), Some("k-123"));
    let public = &server.requests_to("/public")[0];
    assert!(public.header("authorization").is_none());
    assert!(public.header("x-api-key").is_none());
    assert!(public
        .header("user-agent")
        .unwrap()
        .starts_with("bulletin/"));
    // The password is in no file bulletin writes.
    for entry in std::fs::read_dir(env.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("s3cret"));
    }
}

#[test]
fn basic_auth_never_follows_a_redirect_to_another_host() {
    let server = Server::start();
    // 127.0.0.1 sends the feed on to "localhost": the same server, another host name.
    let elsewhere = server.url("/there").replace("127.0.0.1", "localhost");
    server.route("/here", move |_| Reply::redirect(&elsewhere));
    server.fixed("/there", "application/rss+xml", feeds::rss("there", 1, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n[[feed]]\nurl = \"{}\"\nusername = \"u\"\npassword_command = [\"printf\", \"p\"]\n",
        server.url("/here")
    ));
    env.ok(&["refresh"]);
    assert!(server.requests_to("/here")[0]
        .header("authorization")
        .is_some());
    let there = server.requests_to("/there");
    assert_eq!(there.len(), 1);
    assert!(
        there[0].header("authorization").is_none(),
        "the password stayed home"
    );
}

#[test]
fn a_failing_password_command_fails_that_feed_in_one_line() {
    let server = Server::start();
    server.fixed("/f", "application/rss+xml", feeds::rss("f", 1, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n[[feed]]\nurl = \"{}\"\nusername = \"u\"\npassword_command = [\"false\"]\n",
        server.url("/f")
    ));
    let out = env.run(&["refresh", "--json"]);
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(err.contains("password_command \"false\" failed"), "{err}");
    assert!(
        server.requests_to("/f").is_empty(),
        "nothing sent without the password"
    );
}

#[test]
fn a_feed_keeps_its_own_timeout_and_interval() {
    let server = Server::start();
    server.route("/slow", |_| Reply::Hang);
    server.fixed("/hourly", "application/rss+xml", feeds::rss("hourly", 1, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\ntimeout_seconds = 30\n\n[[feed]]\nurl = \"{}\"\ntimeout_seconds = 1\n\n[[feed]]\nurl = \"{}\"\nrefresh_interval_minutes = 60\n",
        server.url("/slow"),
        server.url("/hourly")
    ));
    // The failure names the timeout that applied: the feed's 1 s, not the general 30 s.
    let out = env.run(&["refresh", "--json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("timed out after 1 s"), "{err}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["failed"], 1);
    assert_eq!(server.requests_to("/hourly").len(), 1);
    // Not due again for an hour; a forced refresh fetches it anyway.
    env.ok(&["refresh"]);
    assert_eq!(server.requests_to("/hourly").len(), 1);
    env.ok(&["refresh", "--force"]);
    assert_eq!(server.requests_to("/hourly").len(), 2);
}

#[test]
fn bad_feed_settings_name_file_line_and_column() {
    for (feed, at, needle) in [
        ("username = \"u\"\n", ":3:12:", "password_command"),
        (
            "headers = { \"Bad Name\" = \"x\" }\n",
            ":3:26:",
            "not a header name",
        ),
        (
            "headers = { Authorization = \"x\" }\n",
            ":3:29:",
            "bulletin's to set",
        ),
        ("user_agent = \"\"\n", ":3:14:", "user_agent"),
        ("timeout_seconds = 0\n", ":3:19:", "at least 1"),
        ("keep_dayz = 3\n", ":3:1:", "keep_dayz"),
    ] {
        let env = Env::new(&format!("[[feed]]\nurl = \"https://a.example/\"\n{feed}"));
        let out = env.run(&["feeds"]);
        assert!(!out.status.success(), "{feed}");
        let err = stderr_of(&out);
        assert!(err.contains(at) && err.contains(needle), "{feed}: {err}");
    }
}
