//! New-article notifications, end to end: the notify command of the config runs with
//! the number, the feeds and the first title as whole arguments (no shell), after a
//! refresh in the TUI and after `bulletin refresh`, for unread arrivals only (a filter's
//! read marks and feeds with `notify = false` do not count), and not when nothing is new.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::tmux::Tmux;
use support::{feeds, Env, Server};

/// A script that appends its arguments, one a line, and a separator, to `out`.
fn recorder(dir: &Path, out: &Path) -> PathBuf {
    let script = dir.join("record.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\necho --- >> '{}'\n",
            out.display(),
            out.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn wait_for_file(path: &Path, runs: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.matches("---").count() >= runs {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "notify command did not run: {text:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn config(server: &Server, script: &Path, refresh_on_startup: bool) -> String {
    format!(
        "[general]\nrefresh_on_startup = {refresh_on_startup}\nrefresh_interval_minutes = 0\n\
         notify_command = [\"{}\", \"%n\", \"%f\", \"%t\"]\n\n\
         [[filter]]\nquery = \"title:sponsored\"\naction = \"mark_read\"\n\n\
         [[feed]]\nurl = \"{}\"\nname = \"Loud\"\n\n[[feed]]\nurl = \"{}\"\nname = \"Quiet\"\nnotify = false\n",
        script.display(),
        server.url("/loud"),
        server.url("/quiet")
    )
}

fn serve() -> Server {
    let server = Server::start();
    let loud = feeds::rss("loud", 3, 1).replace("loud item 0", "Sponsored: buy now");
    server.fixed("/loud", "application/rss+xml", loud);
    server.fixed("/quiet", "application/rss+xml", feeds::rss("quiet", 4, 1));
    server
}

#[test]
fn bulletin_refresh_runs_the_notify_command_for_unread_arrivals() {
    let server = serve();
    let env = Env::new("");
    let out = env.path().join("notified.txt");
    let script = recorder(env.path(), &out);
    env.write_config(&config(&server, &script, false));
    env.ok(&["refresh"]);
    let text = wait_for_file(&out, 1);
    // Three arrived in Loud, one of them read by the filter; Quiet's four are silent.
    // "%t — %f" style placeholders are whole arguments: a title with $(...) stays text.
    assert_eq!(text, "2\nLoud\nloud item 2\n---\n", "{text}");
    // Nothing new: nothing said.
    env.ok(&["refresh"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        std::fs::read_to_string(&out)
            .unwrap()
            .matches("---")
            .count(),
        1
    );
}

#[test]
fn the_tui_notifies_after_its_background_refresh() {
    let server = serve();
    let env = Env::new("");
    let out = env.path().join("notified.txt");
    let script = recorder(env.path(), &out);
    env.write_config(&config(&server, &script, true));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("Loud");
    let text = wait_for_file(&out, 1);
    assert_eq!(text, "2\nLoud\nloud item 2\n---\n", "{text}");
    tmux.keys(&["q"]);
    tmux.wait_exit();
}
