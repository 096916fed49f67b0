//! Newsletters from an IMAP folder on a real Dovecot (support/dovecot.rs), end to end
//! with the real binary: new messages by UID, `\Seen` and `\Flagged` both ways, a mark made offline
//! sent once the server is back, a mark made here winning over the server's older
//! state, only new messages fetched at the next refresh, a message expunged there gone
//! here, a folder made anew (new UIDVALIDITY) read again without duplicates, a wrong
//! password in one line without the password; and in the TUI (tmux), reading a
//! newsletter sets `\Seen` on the server with no key pressed, and the web picture in it
//! is never requested (a loopback server counts requests).

mod support;

use std::time::{Duration, Instant};
use support::dovecot::{Dovecot, PASSWORD, USER};
use support::mail as fixtures;
use support::tmux::Tmux;
use support::{Env, Server};

const FOLDER: &str = "Newsletters";

fn config(server: &Dovecot, extra: &str) -> String {
    format!(
        "[general]\nrefresh_on_startup = false\n{extra}\n\n[[mailbox]]\nname = \"Work bulletins\"\nimap = \"imap://{USER}@127.0.0.1:{}/{FOLDER}\"\npassword_env = \"BULLETIN_IMAP_PASSWORD\"\n",
        server.port
    )
}

fn refresh(env: &Env, password: &str) -> (serde_json::Value, String) {
    let out = env
        .command(&["refresh", "--json"])
        .env("BULLETIN_IMAP_PASSWORD", password)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn subject_uid(server: &Dovecot, starts: &str) -> u32 {
    server
        .messages(FOLDER)
        .iter()
        .find(|m| m.2.starts_with(starts))
        .unwrap_or_else(|| panic!("{starts} not on the server"))
        .0
}

#[test]
fn an_imap_folder_syncs_seen_both_ways_and_reads_only_what_is_new() {
    let pixel = Server::start();
    let env = Env::new("");
    let mut server = Dovecot::start(env.path());
    server.create_folder(FOLDER);
    server.save(FOLDER, &fixtures::weekly(60, &pixel.url("/pixel.gif")));
    server.save(FOLDER, &fixtures::shift_jis());
    server.save(FOLDER, &fixtures::with_inline_picture(None));
    server.save(FOLDER, &fixtures::eight_bit());
    let w60 = subject_uid(&server, "=?UTF-8?Q?Harbour_Brief_#60");
    let chart = subject_uid(&server, "Patch notes with a chart");
    server.set_seen(FOLDER, chart, true);
    env.write_config(&config(&server, ""));

    let (first, _) = refresh(&env, PASSWORD);
    assert_eq!(first["mail"]["new_items"], 4, "{first}");
    assert_eq!(
        first["mail"]["errors"].as_array().unwrap().len(),
        0,
        "{first}"
    );
    let w60_title = "Harbour Brief #60 — your weekly 2-minute read";
    assert_eq!(env.item(w60_title)["read"], false);
    assert_eq!(
        env.item("Patch notes with a chart")["read"],
        true,
        "seen there"
    );
    assert_eq!(env.item("週刊セキュリティ便り")["read"], false);
    let feeds = env.json(&["feeds", "--json"]);
    assert!(
        feeds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["title"] == "Harbour Brief" && f["tags"][0] == "Work bulletins"),
        "{feeds}"
    );
    let shown = env.ok(&["show", &env.item_id(w60_title)]);
    assert!(
        shown.contains("Unsubscribe: https://harbour.example/unsub?u=7"),
        "{shown}"
    );
    // Reading it leaves the server's flags alone (BODY.PEEK).
    assert!(!server.seen(FOLDER, w60));

    // Read here: \Seen there at the next refresh.
    env.ok(&["mark-read", &env.item_id(w60_title)]);
    let (second, _) = refresh(&env, PASSWORD);
    assert_eq!(second["mail"]["pushed"], 1, "{second}");
    assert_eq!(
        second["mail"]["new_items"], 0,
        "nothing new: nothing fetched"
    );
    assert!(server.seen(FOLDER, w60));

    // Seen and unseen there: read and unread here.
    let sjis = subject_uid(&server, "=?Shift_JIS?");
    server.set_seen(FOLDER, sjis, true);
    server.set_seen(FOLDER, chart, false);
    refresh(&env, PASSWORD);
    assert_eq!(env.item("週刊セキュリティ便り")["read"], true);
    assert_eq!(env.item("Patch notes with a chart")["read"], false);

    // Offline: the mark waits, the refresh says which mailbox failed in one line, and
    // the mark goes once the server is back.
    server.stop();
    env.ok(&["mark-read", &env.item_id("Patch notes with a chart")]);
    let (offline, stderr) = refresh(&env, PASSWORD);
    assert_eq!(offline["mail"]["errors"].as_array().unwrap().len(), 1);
    let line = stderr.lines().find(|l| l.contains("mailbox")).unwrap();
    assert!(
        line.contains("\"Work bulletins\"") && line.contains("127.0.0.1"),
        "{stderr}"
    );
    assert!(line.contains("cannot connect: "), "says why: {line}");
    server.resume();
    let (back, _) = refresh(&env, PASSWORD);
    assert_eq!(back["mail"]["pushed"], 1, "{back}");
    assert!(server.seen(FOLDER, chart));

    // A mark made here after the last refresh wins over the server's older state.
    env.ok(&["mark-unread", &env.item_id("週刊セキュリティ便り")]);
    refresh(&env, PASSWORD);
    assert!(!server.seen(FOLDER, sjis));
    assert_eq!(env.item("週刊セキュリティ便り")["read"], false);

    // Starred here: \Flagged there; flagged there: starred here.
    env.ok(&["star", &env.item_id("Patch notes with a chart")]);
    refresh(&env, PASSWORD);
    assert!(server.has(FOLDER, chart, "\\Flagged"));
    server.set(FOLDER, sjis, "\\Flagged", true);
    refresh(&env, PASSWORD);
    assert_eq!(env.item("週刊セキュリティ便り")["starred"], true);
    assert_eq!(
        env.item("週刊セキュリティ便り")["read"],
        false,
        "only the flag changed"
    );

    // Only what is new is fetched; expunged there, gone here.
    server.save(FOLDER, &fixtures::weekly(61, &pixel.url("/pixel.gif")));
    server.expunge(FOLDER, subject_uid(&server, "Caf"));
    let (third, _) = refresh(&env, PASSWORD);
    assert_eq!(third["mail"]["new_items"], 1, "{third}");
    let items = env.json(&["items", "--json"]);
    let titles: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Harbour Brief #61 — your weekly 2-minute read"),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("Café notes")),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 4, "{titles:?}");

    // The folder made anew (a new UIDVALIDITY) with the same messages: no duplicates,
    // and the marks here stay.
    server.doveadm(&["mailbox", "delete", "-u", USER, "-s", FOLDER], None);
    server.create_folder(FOLDER);
    server.save(FOLDER, &fixtures::weekly(60, &pixel.url("/pixel.gif")));
    server.save(FOLDER, &fixtures::weekly(61, &pixel.url("/pixel.gif")));
    refresh(&env, PASSWORD);
    // Each once; the two starred articles whose messages are not there stay.
    assert_eq!(
        env.titles(&["items", "--json"]),
        [
            w60_title,
            "Harbour Brief #61 — your weekly 2-minute read",
            "Patch notes with a chart",
            "週刊セキュリティ便り",
        ]
    );
    assert_eq!(env.item(w60_title)["read"], true);
    // Unstarred and not in the new folder: gone.
    env.ok(&["unstar", &env.item_id("Patch notes with a chart")]);
    server.doveadm(&["mailbox", "delete", "-u", USER, "-s", FOLDER], None);
    server.create_folder(FOLDER);
    server.save(FOLDER, &fixtures::weekly(61, &pixel.url("/pixel.gif")));
    refresh(&env, PASSWORD);
    let titles = env.titles(&["items", "--json"]);
    assert!(
        !titles.contains(&"Patch notes with a chart".to_string()),
        "{titles:?}"
    );
    assert!(!titles.contains(&w60_title.to_string()), "{titles:?}");
    assert_eq!(titles.len(), 2, "#61 and the starred one: {titles:?}");

    // A wrong password: one line, naming the server and not the password.
    let (_, stderr) = refresh(&env, "not-the-password");
    let line = stderr.lines().find(|l| l.contains("mailbox")).unwrap();
    assert!(line.contains("login as alice refused"), "{stderr}");
    assert!(!stderr.contains("not-the-password"), "{stderr}");

    assert!(
        pixel.requests_to("/pixel.gif").is_empty(),
        "a web picture in mail was requested"
    );
}

#[test]
fn the_tui_reads_a_newsletter_sets_seen_on_the_server_and_loads_no_web_picture() {
    let pixel = Server::start();
    pixel.fixed("/pixel.gif", "image/png", fixtures::png());
    let env = Env::new("");
    let server = Dovecot::start(env.path());
    server.create_folder(FOLDER);
    server.save(FOLDER, &fixtures::weekly(70, &pixel.url("/pixel.gif")));
    server.save(
        FOLDER,
        &fixtures::with_inline_picture(Some(&pixel.url("/pixel.gif"))),
    );
    let mut text = config(&server, "refresh_interval_minutes = 0");
    text = text.replace("refresh_on_startup = false", "refresh_on_startup = true");
    text.push_str("\n[reader]\nimages = \"halfblocks\"\n");
    env.write_config(&text);
    let tmux = Tmux::new(env.path());
    tmux.start_with(&env, &[&format!("BULLETIN_IMAP_PASSWORD={PASSWORD}")]);
    tmux.wait_for("All unread (2)");
    // Newest first: the newsletter (15 Nov) with a web picture shows its placeholder
    // only; then (n, next unread; full screen; a page down) the other, whose web picture
    // comes before its inline one. Pictures load one after another in the article's
    // order, so once the inline one is drawn, the web one was passed over.
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("Unsubscribe:");
    tmux.keys(&["n", "Enter"]);
    tmux.wait_for("[image: From the web]");
    tmux.keys(&["Space"]);
    tmux.wait_for("▀");
    assert!(
        pixel.requests_to("/pixel.gif").is_empty(),
        "the TUI requested a web picture in mail"
    );
    let uid = subject_uid(&server, "=?UTF-8?Q?Harbour_Brief_#70");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.seen(FOLDER, uid) {
        assert!(
            Instant::now() < deadline,
            "the read mark never reached the server"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A folder whose name is not ASCII goes to the server in modified UTF-7 (the URL in the
/// config is percent-encoded UTF-8, as URLs are).
#[test]
fn a_folder_with_a_non_ascii_name_is_read() {
    let env = Env::new("");
    let server = Dovecot::start(env.path());
    let folder = "Lettres d'actualité";
    server.create_folder(folder);
    server.save(folder, &fixtures::weekly(90, "https://t.example/p"));
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[mailbox]]\nname = \"Lettres\"\nimap = \"imap://{USER}@127.0.0.1:{}/Lettres%20d'actualit%C3%A9\"\npassword_env = \"BULLETIN_IMAP_PASSWORD\"\n",
        server.port
    ));
    let (read, _) = refresh(&env, PASSWORD);
    assert_eq!(read["mail"]["new_items"], 1, "{read}");
    assert_eq!(
        read["mail"]["errors"].as_array().unwrap().len(),
        0,
        "{read}"
    );
}
