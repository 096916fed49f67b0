//! Bounded by construction (issue 27): hostile input at the size the attack used, each
//! through the real binary. The bound asserted is that the command ends on its own,
//! with an exit code (a stack overflow aborts on a signal, with none), and with one line
//! of error where it fails. Waits are capped so that a hang fails the test instead of
//! holding CI.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{Env, Server};

/// Runs to the end, or fails the test after `limit` (a hang, not a slow machine). The
/// output is read as it comes (a full pipe would stop the command).
fn finish(mut cmd: Command, limit: Duration) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("still running after {limit:?}");
        }
    };
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

/// Peak memory of a command, in KiB, from GNU time (installed by .ci/run).
fn peak_kib(cmd: &Command) -> (Output, u64) {
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-f").arg("peak %M").arg(cmd.get_program());
    timed.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => timed.env(k, v),
            None => timed.env_remove(k),
        };
    }
    let out = finish(timed, Duration::from_secs(180));
    let err = String::from_utf8_lossy(&out.stderr);
    let kib = err
        .lines()
        .filter_map(|l| l.strip_prefix("peak "))
        .next_back()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {err}"));
    (out, kib)
}

/// Issue 27: a 30 MB article took 1.25 GB to `show` (and the TUI kept 1.6 GB): the
/// reader lays out its first `MAX_RENDERED` bytes and says the rest is cut.
#[test]
fn a_30_mb_article_is_shown_cut_in_bounded_memory() {
    let server = Server::start();
    let para =
        "<p>A paragraph of a very long article, repeated until it weighs thirty megabytes.</p>\n";
    let body = para.repeat(30 * 1024 * 1024 / para.len());
    server.fixed(
        "/feed.xml",
        "application/rss+xml",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
             <channel><title>Long</title><item><title>Very long</title><guid>l1</guid>\
             <content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"
        ),
    );
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/feed.xml")
    ));
    let out = finish(env.command(&["refresh"]), Duration::from_secs(180));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (out, kib) = peak_kib(&env.command(&["show", &env.item_id("Very long")]));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("is not shown here"), "the cut is said");
    assert!(kib < 500 * 1024, "show peaked at {} MiB", kib / 1024);
}
