//! Enclosure downloads against a loopback server: a download cut short resumes with a
//! `Range` request from its partial file, the size cap stops one that is too big, a
//! hostile URL cannot name a file outside the download folder, and `downloads --json`
//! lists them all with their state.

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::{Env, Reply, Server};

fn episode() -> Vec<u8> {
    (0..300_000u32).map(|i| (i % 251) as u8).collect()
}

fn feed(server: &Server) -> String {
    let item = |i: usize, url: &str, len: usize| {
        format!(
            "<item><title>Episode {i}</title><guid>ep{i}</guid><link>https://pod.example/{i}</link>\
             <pubDate>Mon, 0{} Nov 2026 10:00:00 +0000</pubDate><description>Show notes {i}</description>\
             <enclosure url=\"{url}\" type=\"audio/mpeg\" length=\"{len}\"/></item>",
            i + 1
        )
    };
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pod</title><link>https://pod.example/</link>{}{}{}</channel></rss>",
        item(1, &server.url("/media/episode-1.mp3"), 300_000),
        item(2, &server.url("/media/big.mp3"), 3 << 20),
        item(3, &server.url("/media/..%2F..%2F.bashrc"), 10),
    )
}

/// A podcast feed of these episodes (title, path on `server`, declared length),
/// subscribed and refreshed, downloading into the env's `downloads` folder; `general`
/// adds lines to `[general]`.
fn podcast(server: &Server, episodes: &[(&str, &str, usize)], general: &str) -> (Env, PathBuf) {
    let items: String = episodes
        .iter()
        .map(|(title, path, len)| {
            format!(
                "<item><title>{title}</title><guid>{path}</guid><enclosure url=\"{}\" type=\"audio/mpeg\" length=\"{len}\"/></item>",
                server.url(path)
            )
        })
        .collect();
    server.fixed(
        "/feed",
        "application/rss+xml",
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pod</title>{items}</channel></rss>"),
    );
    let env = Env::new("");
    let dir = env.path().join("downloads");
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\n{general}download_dir = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        dir.display(),
        server.url("/feed")
    ));
    env.ok(&["refresh"]);
    (env, dir)
}

/// Waits until a download under way has put its first bytes in its partial file.
fn under_way(part: &Path) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::metadata(part).map_or(true, |m| m.len() == 0) {
        assert!(
            std::time::Instant::now() < until,
            "the download never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn downloads_resume_are_capped_and_stay_in_their_folder() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feed(&server));
    let body = episode();
    let calls = Arc::new(AtomicUsize::new(0));
    {
        let (body, calls) = (body.clone(), calls.clone());
        server.route("/media/episode-1.mp3", move |r| {
            // The first try is cut after 100,000 bytes; later ones honour Range.
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                return Reply::Truncated {
                    total: body.len(),
                    body: body[..100_000].to_vec(),
                };
            }
            match r
                .header("range")
                .and_then(|v| v.strip_prefix("bytes="))
                .and_then(|v| v.trim_end_matches('-').parse::<usize>().ok())
            {
                Some(from) => Reply::Full {
                    status: 206,
                    headers: vec![
                        ("Content-Type".into(), "audio/mpeg".into()),
                        (
                            "Content-Range".into(),
                            format!("bytes {from}-{}/{}", body.len() - 1, body.len()),
                        ),
                    ],
                    body: body[from..].to_vec(),
                },
                None => Reply::ok("audio/mpeg", body.clone()),
            }
        });
    }
    server.fixed("/media/big.mp3", "audio/mpeg", vec![7u8; 3 << 20]);
    server.fixed(
        "/media/..%2F..%2F.bashrc",
        "audio/mpeg",
        b"echo pwned".to_vec(),
    );
    let env = Env::new("");
    let dir = env.path().join("downloads");
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\ndownload_dir = \"{}\"\nmax_download_mib = 1\n\n[[feed]]\nurl = \"{}\"\n",
        dir.display(),
        server.url("/feed")
    ));
    env.ok(&["refresh"]);

    // Cut short: it fails, and the partial file stays.
    let ep1 = env.item_id("Episode 1");
    let out = env.run(&["download", &ep1]);
    assert!(!out.status.success());
    let part = dir.join("episode-1.mp3.part");
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 100_000);
    // Again: the rest only, asked for with Range from where it stopped.
    let printed = env.ok(&["download", &ep1]);
    assert!(printed.contains("episode-1.mp3"), "{printed}");
    assert_eq!(std::fs::read(dir.join("episode-1.mp3")).unwrap(), body);
    assert!(!part.exists());
    let ranged: Vec<String> = server
        .requests_to("/media/episode-1.mp3")
        .iter()
        .filter_map(|r| r.header("range").map(str::to_string))
        .collect();
    assert_eq!(ranged, ["bytes=100000-"]);
    // Asked again: said, not fetched into a second copy.
    let again = env.ok(&["download", &env.item_id("Episode 1")]);
    assert!(again.starts_with("Already downloaded: "), "{again}");
    assert_eq!(server.requests_to("/media/episode-1.mp3").len(), 2);

    // Over the cap: refused, nothing complete written.
    let out = env.run(&["download", &env.item_id("Episode 2")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 MiB limit"), "{err}");
    assert!(!dir.join("big.mp3").exists());
    // Refused before a byte was kept: no empty partial file left behind either.
    assert!(!dir.join("big.mp3.part").exists());

    // A name made to climb out of the folder lands inside it, harmless.
    env.ok(&["download", &env.item_id("Episode 3")]);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("bashrc") && !n.starts_with('.')),
        "{names:?}"
    );
    assert!(!env.path().join(".bashrc").exists());

    let list = env.json(&["downloads", "--json"]);
    let states: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["done", "failed", "done"], "{list}");
}

/// In the TUI: v lists the article's enclosures with type and size, Enter opens one with
/// the enclosure command (the URL one argument, no shell), D downloads it in the
/// background, L shows it done.
#[test]
fn the_tui_lists_opens_and_downloads_enclosures() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feed(&server));
    server.fixed("/media/episode-1.mp3", "audio/mpeg", episode());
    let env = Env::new("");
    let dir = env.path().join("downloads");
    let opened = env.path().join("opened.txt");
    let script = env.path().join("player.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n",
            opened.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\ndownload_dir = \"{}\"\nenclosure_command = [\"{}\", \"--play\", \"%u\"]\n\n[[feed]]\nurl = \"{}\"\n",
        dir.display(),
        script.display(),
        server.url("/feed")
    ));
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (3)");
    // Newest first: Episode 3, 2, 1.
    tmux.keys(&["Tab", "G", "Enter"]);
    tmux.wait_for("Show notes 1");
    tmux.keys(&["v"]);
    let screen = tmux.wait_for("Enclosures (Enter opens");
    assert!(screen.contains("audio/mpeg, 293.0 KiB"), "{screen}");
    tmux.keys(&["Enter"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !opened.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the player did not run"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap(),
        format!("--play\n{}\n", server.url("/media/episode-1.mp3"))
    );
    tmux.keys(&["D"]);
    tmux.wait_for("Downloaded");
    assert_eq!(std::fs::read(dir.join("episode-1.mp3")).unwrap(), episode());
    tmux.keys(&["L"]);
    let screen = tmux.wait_for("Downloads (q closes)");
    assert!(screen.contains("done"), "{screen}");
    tmux.keys(&["q", "q", "q", "q"]);
    tmux.wait_exit();
}

/// Issue 27: a server that sends a byte and stops, or never answers, fails the download
/// after `timeout_seconds` of silence (before: "downloading" for up to six hours), with
/// the reason, and the download can be tried again.
#[test]
fn a_stalled_download_fails_with_why_and_can_be_resumed() {
    let server = Server::start();
    let item = |i: usize, path: &str| {
        format!(
            "<item><title>Stall {i}</title><guid>s{i}</guid><enclosure url=\"{}\" type=\"audio/mpeg\" length=\"4\"/></item>",
            server.url(path)
        )
    };
    server.fixed(
        "/feed",
        "application/rss+xml",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pod</title>{}{}</channel></rss>",
            item(1, "/media/drip.mp3"),
            item(2, "/media/hang.mp3")
        ),
    );
    server.route("/media/drip.mp3", |_| Reply::Drip {
        interval: std::time::Duration::from_secs(120),
        count: 4,
    });
    server.route("/media/hang.mp3", |_| Reply::Hang);
    let env = Env::new("");
    let dir = env.path().join("downloads");
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\ntimeout_seconds = 2\ndownload_dir = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        dir.display(),
        server.url("/feed")
    ));
    env.ok(&["refresh"]);
    for title in ["Stall 1", "Stall 2"] {
        let out = env.run(&["download", &env.item_id(title)]);
        assert!(!out.status.success(), "{title}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no data for 2 s"), "{title}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    let list = env.json(&["downloads", "--json"]);
    for d in list.as_array().unwrap() {
        assert_eq!(d["state"], "failed", "{list}");
    }
}

/// Two bulletins asking for one download at once (the TUI's `D`, then `download
/// --pending` in a shell: a trial's find): the second leaves it to the first, which
/// finishes it; one request, one file, and no failure recorded.
#[test]
fn a_download_another_bulletin_runs_is_left_to_it() {
    let server = Server::start();
    server.route("/media/slow.mp3", |_| Reply::Drip {
        interval: std::time::Duration::from_millis(400),
        count: 8,
    });
    let (env, dir) = podcast(
        &server,
        &[("Slow", "/media/slow.mp3", 8)],
        "timeout_seconds = 10\n",
    );
    let id = env.item_id("Slow");
    let first = env
        .command(&["download", &id])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Under way: its first bytes are in the partial file.
    let part = dir.join("slow.mp3.part");
    under_way(&part);
    // Listed as running, with what its partial file holds.
    let list = env.json(&["downloads", "--json"]);
    assert_eq!(list[0]["state"], "downloading", "{list}");
    assert!(list[0]["bytes"].as_u64().unwrap() > 0, "{list}");
    let second = env.run(&["download", "--pending"]);
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{err}");
    assert!(
        err.contains("being downloaded by another bulletin"),
        "{err}"
    );
    // Asked for by id too: it stays listed as running (it said queued, 0 B).
    let third = env.run(&["download", &id]);
    assert!(third.status.success());
    let list = env.json(&["downloads", "--json"]);
    assert_eq!(list[0]["state"], "downloading", "{list}");
    assert!(list[0]["bytes"].as_u64().unwrap() > 0, "{list}");
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(std::fs::read(dir.join("slow.mp3")).unwrap(), b"        ");
    assert!(!part.exists());
    assert_eq!(server.requests_to("/media/slow.mp3").len(), 1);
    let list = env.json(&["downloads", "--json"]);
    assert_eq!(list[0]["state"], "done", "{list}");
}

/// A download whose process was killed is listed as interrupted, with the bytes its
/// partial file holds (it said "downloading 0 B" until something resumed it), and the
/// next `download --pending` finishes it.
#[test]
fn a_download_cut_short_by_a_kill_is_listed_as_interrupted() {
    let server = Server::start();
    server.route("/media/slow.mp3", |_| Reply::Drip {
        interval: std::time::Duration::from_millis(300),
        count: 6,
    });
    let (env, dir) = podcast(
        &server,
        &[("Slow", "/media/slow.mp3", 6)],
        "timeout_seconds = 10\n",
    );
    let mut first = env
        .command(&["download", &env.item_id("Slow")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let part = dir.join("slow.mp3.part");
    under_way(&part);
    first.kill().unwrap();
    first.wait().unwrap();
    let list = env.json(&["downloads", "--json"]);
    assert_eq!(list[0]["state"], "interrupted", "{list}");
    assert!(list[0]["bytes"].as_u64().unwrap() > 0, "{list}");
    env.ok(&["download", "--pending"]);
    assert_eq!(std::fs::read(dir.join("slow.mp3")).unwrap(), b"      ");
    let list = env.json(&["downloads", "--json"]);
    assert_eq!(list[0]["state"], "done", "{list}");
}

/// A web page answered for an enclosure (a login or paywall page with 200: a trial's
/// find) is not saved as `login.mp3` and called done.
#[test]
fn a_web_page_in_place_of_the_file_is_refused() {
    let server = Server::start();
    // The same page sent as the file's type: its first bytes give it away.
    server.fixed(
        "/media/labelled.mp3",
        "audio/mpeg",
        "\n  <!DOCTYPE html><html><body>Please log in</body></html>",
    );
    server.fixed(
        "/media/login.mp3",
        "text/html; charset=utf-8",
        "<html><body><form>Sign in</form></body></html>",
    );
    let (env, dir) = podcast(
        &server,
        &[
            ("Paywalled", "/media/login.mp3", 9),
            ("Mislabelled", "/media/labelled.mp3", 9),
        ],
        "",
    );
    let out = env.run(&["download", &env.item_id("Paywalled")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sent a web page"), "{err}");
    assert!(!dir.join("login.mp3").exists());
    assert!(!dir.join("login.mp3.part").exists());
    let list = env.json(&["downloads", "--json"]);
    assert_eq!(list[0]["state"], "failed", "{list}");
    let out = env.run(&["download", &env.item_id("Mislabelled")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sent a web page"));
    assert!(!dir.join("labelled.mp3").exists());
}

/// A resume answered with a web page (an expired link's login page) is refused before
/// the partial file is touched: its bytes stay for the next try, which resumes them.
#[test]
fn a_web_page_on_resume_keeps_the_partial_file() {
    let server = Server::start();
    let body = episode();
    let calls = Arc::new(AtomicUsize::new(0));
    {
        let (body, calls) = (body.clone(), calls.clone());
        server.route("/media/long.mp3", move |_| {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 => Reply::Truncated {
                    total: body.len(),
                    body: body[..100_000].to_vec(),
                },
                _ => Reply::ok("text/html", "<html><body>Sign in again</body></html>"),
            }
        });
    }
    let (env, dir) = podcast(&server, &[("Long", "/media/long.mp3", 300_000)], "");
    let id = env.item_id("Long");
    assert!(!env.run(&["download", &id]).status.success(), "cut short");
    let part = dir.join("long.mp3.part");
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 100_000);
    let out = env.run(&["download", &id]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sent a web page"));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 100_000, "kept");
}

/// A Gemini file (a gemlog's enclosure) is listed but is no download: one line says so,
/// and nothing is asked of any server.
#[test]
fn a_gemini_file_is_refused_with_why() {
    let server = Server::start();
    server.fixed(
        "/feed",
        "application/rss+xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pod</title>\
         <item><title>Capsule episode</title><guid>g1</guid>\
         <enclosure url=\"gemini://127.0.0.1:1/show.mp3\" type=\"audio/mpeg\" length=\"10\"/></item>\
         </channel></rss>",
    );
    let env = Env::new("");
    let dir = env.path().join("downloads");
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\ndownload_dir = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        dir.display(),
        server.url("/feed")
    ));
    env.ok(&["refresh"]);
    // The enclosure's number after the article's, as people type it, and before.
    let id = env.item_id("Capsule episode");
    for args in [
        ["download", id.as_str(), "--enclosure", "1"],
        ["download", "-e", "1", id.as_str()],
    ] {
        let out = env.run(&args);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("only http and https files can be downloaded") && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
}
