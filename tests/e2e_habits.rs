//! Issue 28 in the real binary, in tmux: a newsboat user's hands (the preset, a number
//! then Enter, q a level at a time), Esc that never quits, a prompt that edits its line,
//! tag groups that fold and stay folded, and an idle TUI that sleeps.

mod support;

use std::time::Duration;
use support::tmux::Tmux;
use support::{feeds, Env, Server};

fn three_feeds(server: &Server, keys: &str) -> Env {
    for name in ["one", "two", "three"] {
        server.fixed(
            &format!("/{name}"),
            "application/rss+xml",
            feeds::rss(name, 2, 1),
        );
    }
    let feed = |name: &str, tag: &str| {
        format!(
            "\n[[feed]]\nurl = \"{}\"\nname = \"Feed {name}\"\ntags = [\"{tag}\"]\n",
            server.url(&format!("/{name}"))
        )
    };
    Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n{keys}{}{}{}",
        feed("one", "news"),
        feed("two", "news"),
        feed("three", "tools")
    ))
}

#[test]
fn newsboat_hands_numbers_q_and_esc() {
    let server = Server::start();
    let env = three_feeds(&server, "[keys]\npreset = \"newsboat\"\n");
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (6)");
    // The help says the preset's keys.
    tmux.keys(&["?"]);
    let help = tmux.wait_for("Keys (? or q closes)");
    assert!(
        help.contains("p ") && help.contains("Previous unread"),
        "{help}"
    );
    tmux.keys(&["q"]);
    tmux.wait_gone("Keys (? or q closes)");
    // A number then Enter: that row of the feed list (row 4: the first feed of "news").
    tmux.keys(&["4"]);
    tmux.wait_for("Go to number: 4");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("one item 1");
    assert!(!screen.contains("two item 1"), "Feed one's list: {screen}");
    // Enter into the list, Enter opens; q goes back a level at a time.
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("Reading time");
    // Esc goes back, and at the top does nothing: it never quits.
    for _ in 0..4 {
        tmux.keys(&["Escape"]);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(tmux.cmd(&["has-session", "-t", "e2e"]).status.success());
    tmux.keys(&["Tab"]);
    tmux.keys(&["q"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tmux.cmd(&["has-session", "-t", "e2e"]).status.success(),
        "q in the list went back"
    );
    tmux.keys(&["q"]);
    tmux.wait_exit();
}

#[test]
fn a_prompt_edits_its_line_and_tag_groups_stay_folded() {
    let server = Server::start();
    let env = three_feeds(&server, "");
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (6)");
    // A typo fixed in the middle of the line, with the arrows and Backspace.
    tmux.keys(&["Tab", "/"]);
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", "tvo item"]);
    tmux.keys(&["Home", "Right", "Right", "BSpace"]);
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", "w"]);
    // Two matches (once the search index has the refresh's articles).
    tmux.wait_for("(2) /two item");
    // Ctrl-u kills what is before the cursor (all of it, from the end): no search.
    tmux.keys(&["End", "C-u"]);
    tmux.wait_for("All unread (6)");
    tmux.keys(&["Escape", "Escape"]);
    // Enter on a tag folds its group; remembered at the next start.
    tmux.keys(&["g", "j", "j"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_gone("│    Feed one");
    assert!(screen.contains("│    Feed three"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_exit();
    tmux.start(&env);
    let screen = tmux.wait_for("│    Feed three");
    assert!(!screen.contains("│    Feed one"), "still folded: {screen}");
    tmux.keys(&["q"]);
    tmux.wait_exit();
}

/// The idle TUI wakes about twice a second at most, all threads together: input comes
/// as events, and the watch of other processes looks once a second. Counted in context
/// switches of the process's threads (a count, not a time: a busy machine adds none).
#[test]
fn an_idle_tui_sleeps() {
    let server = Server::start();
    let env = three_feeds(&server, "");
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (6)");
    tmux.wait_for("Refreshed");
    let pid = tmux.pid();
    // Settle: the first second after a refresh counts and indexes.
    std::thread::sleep(Duration::from_secs(3));
    let switches = || -> u64 {
        let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).unwrap();
        tasks
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("status")).ok())
            .flat_map(|status| {
                status
                    .lines()
                    .filter(|l| l.starts_with("voluntary_ctxt_switches"))
                    .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .collect::<Vec<_>>()
            })
            .sum()
    };
    let before = switches();
    std::thread::sleep(Duration::from_secs(10));
    let woke = switches() - before;
    // Twice a second for the input thread and once for the watch: 30 in 10 s; a 50 ms
    // poll alone was 200.
    assert!(woke <= 45, "{woke} wake-ups in 10 s of idling");
    tmux.keys(&["q"]);
    tmux.wait_exit();
}
