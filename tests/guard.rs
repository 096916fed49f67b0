//! What a feed's content may make bulletin fetch (issue 26, items 7 and 8): no local
//! file from a page's link, no private address from a public feed (checked where the
//! connection is made, so a name that resolves to loopback is refused too), and a feed's
//! password never sent along a redirect to another server or down to plain http.

mod support;

use bulletin::fetch::{FetchOutcome, Fetcher, RequestOptions};
use bulletin::model::Validators;
use std::time::{Duration, Instant};
use support::{Env, Reply, Server};

fn fetcher() -> Fetcher {
    Fetcher::new(&bulletin::config::General::default()).unwrap()
}

#[test]
fn a_public_feeds_content_never_reaches_a_private_address() {
    let server = Server::start();
    server.fixed("/secret", "text/plain", "internal");
    let public = fetcher().public_only();
    for url in [
        server.url("/secret"),
        format!("http://localhost:{}/secret", server.port),
        format!("http://[::ffff:127.0.0.1]:{}/secret", server.port),
        "file:///etc/hostname".to_string(),
    ] {
        let err = public
            .fetch(&url, &Validators::default())
            .err()
            .unwrap_or_else(|| panic!("{url} was fetched"));
        let said = err.to_string();
        assert!(
            said.contains("private or local address") || said.contains("not a web address"),
            "{url}: {said}"
        );
    }
    assert!(
        server.requests_to("/secret").is_empty(),
        "nothing reached it"
    );
    // A redirect from where a feed may go to a private address is refused the same way.
    // (Here the feed is on loopback itself, so its content may go there.)
    let allowed = fetcher().for_content_of(&server.url("/feed"));
    assert!(matches!(
        allowed.fetch(&server.url("/secret"), &Validators::default()),
        Ok(FetchOutcome::Modified(_))
    ));
}

#[test]
fn a_page_linking_a_local_file_is_not_followed() {
    let env = Env::new("");
    let fifo = env.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let server = Server::start();
    server.fixed(
        "/page",
        "text/html",
        format!(
            "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"file://{}\"></head><body>hi</body></html>",
            fifo.display()
        ),
    );
    let mut child = env
        .command(&["add", &server.url("/page")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Opening the FIFO would block for ever: bound the wait, never the test.
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("bulletin add hung on the page's file: link");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!status.success());
    assert!(stderr.contains("no feed found"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn a_feeds_password_goes_to_its_own_server_only() {
    let other = Server::start();
    other.fixed(
        "/feed",
        "application/rss+xml",
        "<rss version=\"2.0\"><channel><title>t</title></channel></rss>",
    );
    let feed = Server::start();
    let to = other.url("/feed");
    // Same host, another port: another server.
    feed.route("/feed", move |_| Reply::redirect(&to));
    let options = RequestOptions {
        auth: Some(("alice".into(), "s3cret".into())),
        ..RequestOptions::default()
    };
    let got = fetcher().fetch_with(&feed.url("/feed"), &Validators::default(), &options);
    assert!(got.is_ok(), "{:?}", got.err());
    assert!(feed.requests_to("/feed")[0]
        .header("authorization")
        .is_some());
    assert!(
        other.requests_to("/feed")[0]
            .header("authorization")
            .is_none(),
        "the password followed the redirect"
    );
}
