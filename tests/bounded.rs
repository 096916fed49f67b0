//! Bounded by construction (issue 27): hostile input at the size the attack used, each
//! through the real binary. The bound asserted is that the command ends on its own,
//! with an exit code (a stack overflow aborts on a signal, with none), and with one line
//! of error where it fails. Waits are capped so that a hang fails the test instead of
//! holding CI.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{Env, Server};

/// Runs to the end, or fails the test after `limit` (a hang, not a slow machine).
fn finish(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.code().is_some(),
        "killed by a signal (an abort?): {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `<div><span><b><table><tr><td>` `n` times, never closed, around some words.
fn nested_page(n: usize) -> String {
    format!(
        "<html><head><title>Deep</title></head><body>{}<p>{}</p></body></html>",
        "<div><span><b><table><tr><td>".repeat(n),
        "The words at the bottom of a very deep page. ".repeat(40)
    )
}

#[test]
fn a_page_nested_100000_deep_is_extracted_and_read_without_an_abort() {
    let server = Server::start();
    server.fixed("/deep.html", "text/html", nested_page(100_000));
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Deep</title>\
         <item><title>Deep one</title><guid>d1</guid><link>{}</link>\
         <description>{}</description></item></channel></rss>",
        server.url("/deep.html"),
        html_escape::encode_text(&format!(
            "{}bottom{}",
            "<div>".repeat(300_000),
            "</div>".repeat(300_000)
        ))
    );
    server.fixed("/feed.xml", "application/rss+xml", feed);
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nfull_text = true\n",
        server.url("/feed.xml")
    ));
    let limit = Duration::from_secs(120);
    finish(env.command(&["extract", &server.url("/deep.html")]), limit);
    // A full-text feed: every refresh reads the page, and must end (the abort also
    // stopped its failure from being recorded, so it came back each time).
    for _ in 0..2 {
        let out = finish(env.command(&["refresh"]), limit);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // 300,000 nested divs in the item's own text.
    let id = env.item_id("Deep one");
    let out = finish(env.command(&["show", &id]), limit);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("bottom"));
}

#[test]
fn a_query_nested_12000_deep_is_one_line_of_error() {
    let env = Env::new("[general]\nrefresh_on_startup = false\n");
    for open in ["(", "-("] {
        let q = format!("{}x{}", open.repeat(12_000), ")".repeat(12_000));
        let out = finish(env.command(&["search", &q]), Duration::from_secs(60));
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("nests deeper"), "{err}");
    }
    // In a [[query]], every command reads it: the config error is one line too.
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[query]]\nname = \"deep\"\nquery = \"{}x{}\"\n",
        "(".repeat(12_000),
        ")".repeat(12_000)
    ));
    let out = finish(env.command(&["feeds"]), Duration::from_secs(60));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.trim().lines().count() <= 1, "{err}");
}

/// A sync's requests share one limit (`bulletin::sync::SYNC_LIMIT` for a real sync):
/// a server that never answers holds a request no longer than what is left of it, and
/// no request starts once it is gone. Each says the limit in one line.
#[test]
fn a_runs_limit_ends_a_request_that_never_answers() {
    use bulletin::fetch::{FetchError, Fetcher};
    let server = Server::start();
    server.route("/api", |_| support::Reply::Hang);
    let general = bulletin::config::General {
        timeout_seconds: 600,
        ..Default::default()
    };
    let fetcher = Fetcher::new(&general)
        .unwrap()
        .with_deadline(Duration::from_secs(1));
    let err = fetcher
        .api_call(&server.url("/api"), &[], None)
        .unwrap_err();
    assert!(matches!(err, FetchError::Deadline(1)), "{err}");
    let again = fetcher
        .api_call(&server.url("/api"), &[], None)
        .unwrap_err();
    assert!(matches!(again, FetchError::Deadline(1)), "{again}");
    assert!(!again.to_string().contains('\n'));
}
