//! Feeds from commands and fetched feeds through filters, with the real binary: a
//! script's output as a feed (run in the config's directory, `~` expanded, standard
//! input closed), its exit status and standard error in the feed's error, a timeout that
//! stops the whole process tree, the output cap; a filter rewriting a feed from a
//! loopback HTTP server, a failing filter keeping what was stored, and a 304 that runs
//! no filter.

mod support;

use std::os::unix::fs::PermissionsExt;
use support::{feeds, Env, Reply, Server};

const GENERAL: &str = "[general]\nrefresh_on_startup = false\n";

fn script(env: &Env, name: &str, body: &str) {
    let path = env.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn feed_errors(env: &Env) -> Vec<String> {
    let feeds = env.json(&["feeds", "--json"]);
    feeds
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["last_error"].as_str().map(str::to_string))
        .collect()
}

fn alive(pid: &str) -> bool {
    std::path::Path::new(&format!("/proc/{}", pid.trim())).exists()
        && !std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
            .unwrap_or_default()
            .contains(") Z ")
}

#[test]
fn a_command_s_output_is_the_feed_and_its_failures_are_the_feed_s_error() {
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\ncommand = [\"./scrape.sh\", \"Site A\"]\n\n[[feed]]\ncommand = [\"~/bin/home.sh\"]\n\n[[feed]]\ncommand = [\"sh\", \"-c\", \"echo; echo 'no such page: /x' >&2; echo second >&2; exit 3\"]\n\n[[feed]]\ncommand = [\"./does-not-exist\"]\n"
    ));
    // Run from the config's directory with standard input closed: a read gets nothing.
    script(
        &env,
        "scrape.sh",
        &format!(
            "if read line; then echo 'stdin was open' >&2; exit 9; fi\necho scraping >&2\ncat <<'X'\n{}\nX",
            feeds::rss("Scraped", 3, 1)
        ),
    );
    let home = env.path().join("home");
    std::fs::create_dir_all(home.join("bin")).unwrap();
    std::fs::write(
        home.join("bin/home.sh"),
        format!(
            "#!/bin/sh\ncat <<'X'\n{}\nX\n",
            feeds::rss("From home", 1, 1)
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        home.join("bin/home.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let out = env
        .command(&["refresh", "--json"])
        .env("HOME", &home)
        .current_dir("/")
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["ok"], 2, "{summary}");
    assert_eq!(summary["failed"], 2, "{summary}");
    assert_eq!(summary["new_items"], 4, "{summary}");
    let titles = env.titles(&["items", "--json", "--feed", "Scraped"]);
    assert_eq!(titles.len(), 3, "{titles:?}");
    let errors = feed_errors(&env);
    assert!(
        errors
            .iter()
            .any(|e| e == "sh exited with status 3: no such page: /x"),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("cannot run ./does-not-exist:")),
        "{errors:?}"
    );
    // The command line is the feed's identity.
    let listed = env.json(&["feeds", "--json"]);
    let urls: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"exec:./scrape.sh 'Site A'"), "{urls:?}");
    assert!(urls.contains(&"exec:~/bin/home.sh"), "{urls:?}");
    // A command has no address another reader could take.
    let opml = env.ok(&["export-opml"]);
    assert!(
        !opml.contains("exec:") && !opml.contains("scrape"),
        "{opml}"
    );
}

#[test]
fn a_timeout_stops_the_command_and_everything_it_started() {
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\ncommand = [\"./slow.sh\"]\ntimeout_seconds = 1\n"
    ));
    script(
        &env,
        "slow.sh",
        "sleep 600 &\necho $! > child.pid\nsh -c 'sleep 600' &\necho $! > grandchild.pid\necho $$ > self.pid\nwait",
    );
    let started = std::time::Instant::now();
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["failed"], 1, "{summary}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(300),
        "the refresh waited for the command's children"
    );
    let errors = feed_errors(&env);
    assert!(errors[0].contains("timed out after 1 s"), "{errors:?}");
    for file in ["self.pid", "child.pid", "grandchild.pid"] {
        let pid = std::fs::read_to_string(env.path().join(file)).unwrap();
        // A killed process may take a moment to be reaped by init.
        let gone = (0..100).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            !alive(&pid)
        });
        assert!(gone, "{file} ({}) still runs", pid.trim());
    }
}

#[test]
fn output_past_the_cap_is_an_error_and_stops_the_command() {
    let env = Env::new(
        "[general]\nrefresh_on_startup = false\nmax_body_mib = 1\n\n[[feed]]\ncommand = [\"sh\", \"-c\", \"echo $$ > endless.pid; yes '<item><title>x</title></item>'\"]\n",
    );
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["failed"], 1, "{summary}");
    let errors = feed_errors(&env);
    assert_eq!(errors, ["sh wrote more than 1 MiB (stopped)"]);
    let pid = std::fs::read_to_string(env.path().join("endless.pid")).unwrap();
    let gone = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        !alive(&pid)
    });
    assert!(gone, "the command still runs");
}

#[test]
fn a_filter_rewrites_a_fetched_feed_and_a_304_runs_none() {
    let server = Server::start();
    let body = feeds::rss("Original", 2, 1);
    server.route("/feed", move |r| {
        if r.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304)
        } else {
            Reply::ok("application/rss+xml", body.clone()).with_header("ETag", "\"v1\"")
        }
    });
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\nurl = \"{}\"\nfilter = [\"./fix.sh\", \"Rewritten\"]\n",
        server.url("/feed")
    ));
    // Counts its runs, and renames the feed through sed.
    script(
        &env,
        "fix.sh",
        "echo run >> runs.log\nsed \"s/<title>Original</<title>$1</\"",
    );
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["new_items"], 2, "{summary}");
    assert_eq!(
        env.titles(&["items", "--json", "--feed", "Rewritten"])
            .len(),
        2
    );
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["not_modified"], 1, "{summary}");
    assert_eq!(server.requests_to("/feed").len(), 2);
    let runs = std::fs::read_to_string(env.path().join("runs.log")).unwrap();
    assert_eq!(runs.lines().count(), 1, "the filter ran on a 304");
}

#[test]
fn a_failing_filter_is_the_feed_s_error_and_keeps_what_was_stored() {
    let server = Server::start();
    server.fixed(
        "/feed",
        "application/rss+xml",
        feeds::rss("Kept", 2, 1).into_bytes(),
    );
    let config = |filter: &str| {
        format!(
            "{GENERAL}\n[[feed]]\nurl = \"{}\"\nname = \"Kept\"\n{filter}",
            server.url("/feed")
        )
    };
    let env = Env::new(&config(""));
    env.json(&["refresh", "--json"]);
    assert_eq!(env.titles(&["items", "--json", "--feed", "Kept"]).len(), 2);
    env.write_config(&config(
        "filter = [\"sh\", \"-c\", \"cat >/dev/null; echo 'cannot parse the page' >&2; exit 1\"]\n",
    ));
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 1, "{summary}");
    assert_eq!(
        feed_errors(&env),
        ["filter: sh exited with status 1: cannot parse the page"]
    );
    assert_eq!(env.titles(&["items", "--json", "--feed", "Kept"]).len(), 2);
}

#[test]
fn a_feed_with_both_or_neither_of_url_and_command_is_refused_with_its_place() {
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\nurl = \"https://a.example/\"\ncommand = [\"x\"]\n"
    ));
    let out = env.run(&["feeds"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("config.toml:6:11: a [[feed]] has a url or a command, not both"),
        "{err}"
    );
    env.write_config(&format!("{GENERAL}\n[[feed]]\nname = \"x\"\n"));
    let out = env.run(&["feeds"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml:4:"), "{err}");
    assert!(err.contains("needs a url"), "{err}");
    env.write_config(&format!("{GENERAL}\n[[feed]]\ncommand = []\n"));
    let out = env.run(&["feeds"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("command is a program"), "{err}");
}

/// No terminal: the command leads a session of its own (no controlling terminal to
/// write to or read from), and so does everything it starts.
#[test]
fn a_command_runs_in_a_session_of_its_own() {
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\ncommand = [\"./session.sh\"]\n"
    ));
    script(
        &env,
        "session.sh",
        &format!(
            "read -r pid comm state ppid pgrp sid rest < /proc/$$/stat\nif [ \"$sid\" != \"$$\" ]; then echo \"session $sid, not $$\" >&2; exit 4; fi\ncat <<'X'\n{}\nX",
            feeds::rss("Alone", 1, 1)
        ),
    );
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["ok"], 1, "{summary} {:?}", feed_errors(&env));
}

/// A relative --config: the command still runs in the config's folder, found there.
#[test]
fn a_relative_config_path_still_runs_the_command_in_its_folder() {
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\ncommand = [\"./here.sh\"]\nfilter = [\"./fix.sh\"]\n"
    ));
    script(
        &env,
        "here.sh",
        &format!("cat <<'X'\n{}\nX", feeds::rss("Relative", 1, 1)),
    );
    script(&env, "fix.sh", "cat");
    let parent = env.path().parent().unwrap();
    let folder = env.path().file_name().unwrap().to_str().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .current_dir(parent)
        .args(["--config", &format!("{folder}/config.toml"), "--data-dir"])
        .arg(env.data_dir())
        .args(["refresh", "--json"])
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["ok"], 1, "{summary} {:?}", feed_errors(&env));
}

/// A local feed that is a FIFO nobody writes to (a trial's find): its open waited
/// forever, so the refresh never ended and the TUI's stayed "running". It now fails
/// at the feed's timeout with one line, and the other feed is stored; a pipe that
/// does get written (`probe /dev/stdin`-style) is still read.
#[test]
fn a_local_feed_that_never_gives_data_fails_at_the_timeout() {
    let env = Env::new("");
    let fifo = env.path().join("fifo.xml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    std::fs::write(env.path().join("plain.xml"), feeds::ATOM).unwrap();
    env.write_config(&format!(
        "{GENERAL}timeout_seconds = 1\n\n[[feed]]\nurl = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        fifo.display(),
        env.path().join("plain.xml").display()
    ));
    let out = env.run(&["refresh"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 failed"), "{text}");
    let errors = feed_errors(&env);
    assert!(
        errors.iter().any(|e| e.contains("not a regular file")),
        "{errors:?}"
    );
    // Written to: read like a file.
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::write(fifo, feeds::ATOM)
    });
    let probed = env.ok(&["probe", fifo.to_str().unwrap()]);
    writer.join().unwrap().unwrap();
    assert!(!probed.trim().is_empty(), "{probed}");
}

/// A refresh killed with `kill -9` (no chance to stop its commands) takes its command
/// with it: the command's parent-death signal, set by util-linux's setpriv(1) (`.ci/run`
/// installs it where it is missing).
#[test]
fn a_killed_refresh_leaves_no_command_running() {
    let env = Env::new(&format!(
        "{GENERAL}\n[[feed]]\ncommand = [\"./forever.sh\"]\ntimeout_seconds = 600\n"
    ));
    // exec: the script's process is the long-running one.
    script(&env, "forever.sh", "echo $$ > self.pid\nexec sleep 600");
    let mut refresh = env
        .command(&["refresh"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid_file = env.path().join("self.pid");
    let started = (0..500).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::read_to_string(&pid_file).is_ok_and(|p| !p.trim().is_empty())
    });
    assert!(started, "the command never started");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(alive(&pid));
    refresh.kill().unwrap();
    refresh.wait().unwrap();
    let gone = (0..250).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        !alive(&pid)
    });
    assert!(
        gone,
        "the command ({}) runs on after its refresh was killed",
        pid.trim()
    );
}
