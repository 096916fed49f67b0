//! Email newsletters from a Maildir and an mbox, end to end with the real binary:
//! every MIME shape a newsletter comes in (see support/mail.rs) read as articles of their
//! lists' feeds, tagged with the mailbox; the `S` flag both ways as the Maildir
//! specification has it; an unchanged mailbox reads nothing; a message deleted there
//! leaves; a broken or binary file never stops the mailbox; `probe` reads a `.eml`.

mod support;

use support::mail::{self as fixtures, deliver, maildir, names};
use support::Env;

fn config(mailbox: &str) -> String {
    format!("[general]\nrefresh_on_startup = false\n\n{mailbox}")
}

fn titles(env: &Env) -> Vec<String> {
    env.titles(&["items", "--json"])
}

#[test]
fn a_maildir_of_newsletters_reads_like_feeds_with_the_s_flag_both_ways() {
    let env = Env::new("");
    let dir = env.path().join("Mail/news");
    maildir(&dir);
    deliver(
        &dir,
        "1001.a.host",
        None,
        &fixtures::weekly(47, "https://tracker.example/p.gif"),
    );
    deliver(
        &dir,
        "1002.b.host",
        Some("S"),
        &fixtures::weekly(48, "https://tracker.example/p.gif"),
    );
    deliver(
        &dir,
        "1003.c.host",
        None,
        &fixtures::with_inline_picture(None),
    );
    deliver(&dir, "1004.d.host", None, &fixtures::shift_jis());
    deliver(&dir, "1005.e.host", None, &fixtures::eight_bit());
    deliver(&dir, "1006.f.host", None, &fixtures::broken());
    deliver(&dir, "1007.g.host", None, &fixtures::with_attachment(20));
    // Not mail at all: remembered, said in the log, and the rest goes on.
    deliver(&dir, "1008.h.host", None, &[0u8, 159, 146, 150, 255, 0, 1]);
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"Newsletters\"\nmaildir = \"{}\"\n",
        dir.display()
    )));
    let refreshed = env.json(&["refresh", "--json"]);
    assert_eq!(refreshed["mail"]["mailboxes"], 1, "{refreshed}");
    assert_eq!(refreshed["mail"]["new_items"], 7, "{refreshed}");
    assert_eq!(refreshed["mail"]["errors"].as_array().unwrap().len(), 0);

    let got = titles(&env);
    assert!(
        got.contains(&"Harbour Brief #47 — your weekly 2-minute read".to_string()),
        "{got:?}"
    );
    assert!(got.contains(&"週刊セキュリティ便り".to_string()), "{got:?}");
    assert!(got.contains(&"Café notes — 8-bit".to_string()), "{got:?}");
    assert!(got.contains(&"The quarterly report".to_string()), "{got:?}");
    // No escape sequence or control character reaches a title.
    let broken = got
        .iter()
        .find(|t| t.starts_with("Broken"))
        .expect("broken headers read");
    assert!(!broken.chars().any(|c| c.is_control()), "{broken:?}");

    // Each list (List-Id, else the sender) is a feed, tagged with the mailbox's name.
    let feeds = env.json(&["feeds", "--json"]);
    let brief = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["title"] == "Harbour Brief")
        .unwrap_or_else(|| panic!("no Harbour Brief feed: {feeds}"));
    assert_eq!(brief["tags"][0], "Newsletters", "{brief}");
    assert_eq!(brief["total"], 2, "{brief}");
    // Read now: the health view and `feeds` say when (it said never).
    assert!(brief["last_success"].is_string(), "{brief}");
    assert_eq!(
        brief["unread"], 1,
        "the one seen in mutt arrives read: {brief}"
    );

    // The reader: the HTML part (Latin-1 QP decoded), the view-online link, the
    // unsubscribe link; the text part of the Shift_JIS one as paragraphs.
    let id = env.item_id("Harbour Brief #47 — your weekly 2-minute read");
    let shown = env.ok(&["show", &id]);
    assert!(shown.contains("Café security, issue 47"), "{shown}");
    assert!(shown.contains("Patch the résumé parser"), "{shown}");
    assert!(
        shown.contains("Unsubscribe: https://harbour.example/unsub?u=7"),
        "{shown}"
    );
    assert!(
        shown.contains("Link: https://harbour.example/issues/47"),
        "{shown}"
    );
    assert!(shown.contains("Author: Harbour Brief"), "{shown}");
    let sjis = env.ok(&["show", &env.item_id("週刊セキュリティ便り")]);
    assert!(sjis.contains("今週の更新です。"), "{sjis}");
    assert!(sjis.contains("二段落目。"), "{sjis}");
    let latin = env.ok(&["show", &env.item_id("Café notes — 8-bit")]);
    assert!(latin.contains("Crème brûlée for the team."), "{latin}");
    // The attachment is listed like an enclosure, with its size.
    let report = env.ok(&["show", &env.item_id("The quarterly report")]);
    assert!(
        report.contains("report.pdf (application/pdf, 20.0 MiB)"),
        "{report}"
    );
    // It has no web address: `download` saves it from the message, in the mailbox, to
    // the download folder (never over a file).
    let downloads = env.path().join("downloads");
    let with_dir = std::fs::read_to_string(env.config_path()).unwrap().replace(
        "refresh_on_startup = false\n",
        &format!(
            "refresh_on_startup = false\ndownload_dir = \"{}\"\n",
            downloads.display()
        ),
    );
    env.write_config(&with_dir);
    let report = env.item_id("The quarterly report");
    let saved = env.ok(&["download", &report]);
    assert!(saved.contains("report.pdf"), "{saved}");
    let bytes = std::fs::read(downloads.join("report.pdf")).unwrap();
    assert_eq!(bytes.len(), 20 * 1024 * 1024);
    assert!(bytes
        .iter()
        .enumerate()
        .all(|(i, b)| *b == (i * 7 % 251) as u8));
    env.ok(&["download", &report]);
    assert!(
        downloads.join("report-2.pdf").exists(),
        "a second copy beside it"
    );
    // The inline picture was saved beside the cache, and the HTML points at it.
    let chart = env.item("Patch notes with a chart");
    let chart_text = env.ok(&["show", &chart["id"].to_string()]);
    assert!(chart_text.contains("[image: Incidents]"), "{chart_text}");
    let parts: Vec<_> = std::fs::read_dir(env.data_dir().join("mail-parts"))
        .expect("mail-parts folder")
        .collect();
    assert_eq!(parts.len(), 1);

    // Read here: S in the file name, in cur/, as mutt would write it; mark-read sends
    // it at once (the refresh after has nothing to send).
    let out = env.run(&["mark-read", &id]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("sent 1 mark to the mailbox"), "{said}");
    let again = env.json(&["refresh", "--json"]);
    assert_eq!(
        again["mail"]["new_items"], 0,
        "an unchanged mailbox reads nothing new"
    );
    assert_eq!(again["mail"]["pushed"], 0, "{again}");
    assert!(
        names(&dir).contains(&"cur/1001.a.host:2,S".to_string()),
        "{:?}",
        names(&dir)
    );

    // Read there (mutt sets S, and moves a file to cur/): read here.
    std::fs::rename(dir.join("new/1003.c.host"), dir.join("cur/1003.c.host:2,S")).unwrap();
    // Unread there: unread here.
    std::fs::rename(
        dir.join("cur/1002.b.host:2,S"),
        dir.join("cur/1002.b.host:2,"),
    )
    .unwrap();
    env.ok(&["refresh"]);
    assert_eq!(env.item("Patch notes with a chart")["read"], true);
    assert_eq!(
        env.item("Harbour Brief #48 — your weekly 2-minute read")["read"],
        false
    );

    // A mark here wins over the mailbox's older state until the mailbox has it.
    let id48 = env.item_id("Harbour Brief #48 — your weekly 2-minute read");
    env.ok(&["mark-read", &id48]);
    env.ok(&["refresh"]);
    assert!(
        names(&dir).contains(&"cur/1002.b.host:2,S".to_string()),
        "{:?}",
        names(&dir)
    );
    assert_eq!(
        env.item("Harbour Brief #48 — your weekly 2-minute read")["read"],
        true
    );

    // Starred here: F in the name; flagged there (mutt's F): starred here, still unread.
    env.ok(&["star", &id48]);
    env.ok(&["refresh"]);
    assert!(
        names(&dir).contains(&"cur/1002.b.host:2,FS".to_string()),
        "{:?}",
        names(&dir)
    );
    std::fs::rename(dir.join("new/1004.d.host"), dir.join("cur/1004.d.host:2,F")).unwrap();
    env.ok(&["refresh"]);
    assert_eq!(env.item("週刊セキュリティ便り")["starred"], true);
    assert_eq!(env.item("週刊セキュリティ便り")["read"], false);

    // Deleted there: gone here. Starred ones stay.
    env.ok(&["star", &env.item_id("The quarterly report"), "--no-push"]);
    std::fs::remove_file(dir.join("new/1007.g.host")).unwrap();
    std::fs::remove_file(dir.join("new/1005.e.host")).unwrap();
    env.ok(&["refresh"]);
    let got = titles(&env);
    assert!(!got.contains(&"Café notes — 8-bit".to_string()), "{got:?}");
    assert!(got.contains(&"The quarterly report".to_string()), "{got:?}");
}

#[test]
fn a_missing_maildir_fails_in_one_line_and_the_feeds_still_refresh() {
    let env = Env::new("");
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"Gone\"\nmaildir = \"{}\"\n",
        env.path().join("nope").display()
    )));
    let out = env.run(&["refresh", "--json"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("mailbox"))
        .expect("a line");
    assert!(
        line.contains("\"Gone\"") && line.contains("not a Maildir"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["mail"]["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn an_mbox_is_read_with_its_status_and_only_again_when_it_changed() {
    let env = Env::new("");
    let path = env.path().join("bulletins.mbox");
    let mut mbox = Vec::new();
    for (i, raw) in [
        fixtures::weekly(50, "https://t.example/p"),
        fixtures::shift_jis(),
    ]
    .into_iter()
    .enumerate()
    {
        mbox.extend_from_slice(
            format!("From sender@example Mon Nov 30 0{i}:00:00 2026\n").as_bytes(),
        );
        let text = String::from_utf8(raw).unwrap().replace("\r\n", "\n");
        let text = if i == 0 {
            text.replacen("MIME-Version", "Status: RO\nMIME-Version", 1)
        } else {
            text
        };
        mbox.extend_from_slice(text.as_bytes());
        mbox.push(b'\n');
    }
    std::fs::write(&path, &mbox).unwrap();
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"Archive\"\nmbox = \"{}\"\n",
        path.display()
    )));
    let first = env.json(&["refresh", "--json"]);
    assert_eq!(first["mail"]["new_items"], 2, "{first}");
    assert_eq!(
        env.item("Harbour Brief #50 — your weekly 2-minute read")["read"],
        true,
        "Status: RO is read"
    );
    assert_eq!(env.item("週刊セキュリティ便り")["read"], false);
    let second = env.json(&["refresh", "--json"]);
    assert_eq!(second["mail"]["new_items"], 0);
    // A message appended: only it is new; a read mark here stays (the file is not
    // rewritten).
    env.ok(&["mark-read", &env.item_id("週刊セキュリティ便り")]);
    let mut more = mbox.clone();
    more.extend_from_slice(b"From x@example Mon Nov 30 09:00:00 2026\n");
    more.extend_from_slice(
        String::from_utf8(fixtures::with_inline_picture(None))
            .unwrap()
            .replace("\r\n", "\n")
            .as_bytes(),
    );
    std::fs::write(&path, &more).unwrap();
    let third = env.json(&["refresh", "--json"]);
    assert_eq!(third["mail"]["new_items"], 1, "{third}");
    assert_eq!(env.item("週刊セキュリティ便り")["read"], true);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        more,
        "the mbox is never written"
    );
}

#[test]
fn probe_reads_an_eml_file_as_a_feed_of_one_item() {
    let env = Env::new(&config(""));
    let path = env.path().join("issue.eml");
    std::fs::write(&path, fixtures::weekly(51, "https://t.example/p")).unwrap();
    let json = env.json(&["probe", path.to_str().unwrap(), "--json"]);
    assert_eq!(json["feed"]["title"], "Harbour Brief", "{json}");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["title"],
        "Harbour Brief #51 — your weekly 2-minute read"
    );
    assert_eq!(items[0]["link"], "https://harbour.example/issues/51");
    assert!(
        items[0]["content"]
            .as_str()
            .unwrap()
            .contains("Café security"),
        "{json}"
    );
    let text = env.ok(&["probe", path.to_str().unwrap()]);
    assert!(text.starts_with("Harbour Brief (1 items)"), "{text}");
    // Served on the web as message/rfc822: the same.
    let server = support::Server::start();
    server.fixed(
        "/issue/51",
        "message/rfc822",
        fixtures::weekly(51, "https://t.example/p"),
    );
    let served = env.json(&["probe", &server.url("/issue/51"), "--json"]);
    assert_eq!(served["items"][0]["title"], items[0]["title"], "{served}");
    let bad = env.path().join("empty.eml");
    std::fs::write(&bad, b"").unwrap();
    let out = env.run(&["probe", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("empty.eml"), "{stderr}");
}

/// The reader in tmux with pictures on, on a message with a web picture and, after it,
/// an inline one: the web picture (a tracking pixel as often as not) is not requested
/// unless the mailbox says `remote_images = true`, and then it is (which shows the count
/// would see a request). Pictures load one after another in the article's order, so once
/// the inline one is drawn the web one was passed over: no waiting on a clock.
#[test]
fn web_pictures_in_mail_load_only_when_the_mailbox_allows_them() {
    use support::tmux::Tmux;
    let pixel = support::Server::start();
    pixel.fixed("/pixel.png", "image/png", fixtures::png());
    for allowed in [false, true] {
        let env = Env::new("");
        let dir = env.path().join("Mail/news");
        maildir(&dir);
        let message = fixtures::with_inline_picture(Some(&pixel.url("/pixel.png")));
        deliver(&dir, "2001.a.host", None, &message);
        env.write_config(&format!(
            "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n[reader]\nimages = \"halfblocks\"\n\n[[mailbox]]\nname = \"News\"\nmaildir = \"{}\"\nremote_images = {allowed}\n",
            dir.display()
        ));
        let tmux = Tmux::new(env.path());
        tmux.start_with(&env, &[]);
        tmux.wait_for("All unread (1)");
        // Open, then full screen, then down to the inline picture.
        tmux.keys(&["Tab", "Enter", "Enter"]);
        tmux.wait_for("[image: From the web]");
        tmux.keys(&["Space"]);
        let screen = tmux.wait_for("[image: Incidents]");
        if allowed {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while pixel.requests_to("/pixel.png").is_empty() {
                assert!(
                    std::time::Instant::now() < deadline,
                    "allowed, never requested\n{screen}"
                );
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        } else {
            // Only the inline picture can be drawn: the loader has passed the web one.
            tmux.wait_for("▀");
            assert_eq!(pixel.requests_to("/pixel.png").len(), 0, "{screen}");
            // Reading it set S on the file, without a key, a few seconds on.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while !names(&dir).contains(&"cur/2001.a.host:2,S".to_string()) {
                assert!(std::time::Instant::now() < deadline, "{:?}", names(&dir));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    }
}

/// More messages than one import batch (1,000), in a Maildir and in an mbox: every one
/// arrives once, each list a feed, and the next read brings nothing.
#[test]
fn a_big_mailbox_is_imported_whole_in_batches() {
    let env = Env::new("");
    let dir = env.path().join("Mail/big");
    maildir(&dir);
    let mut mbox = Vec::new();
    for i in 0..2_500 {
        let raw = format!(
            "From: List {l} <l{l}@big.example>\nSubject: Issue {i}\nDate: Mon, 02 Nov 2026 08:00:00 +0000\nMessage-ID: <i{i}@big.example>\nList-Id: <l{l}.big.example>\n\nBody {i}.\n",
            l = i % 7
        );
        deliver(&dir, &format!("17{i:08}.x.host"), None, raw.as_bytes());
        // Other messages there (their own Message-IDs: the same one in both would be
        // one article, as the next test has it).
        let other = raw.replace("Message-ID: <i", "Message-ID: <a");
        mbox.extend_from_slice(
            format!("From l@big.example Mon Nov  2 08:00:00 2026\n{other}\n").as_bytes(),
        );
    }
    let path = env.path().join("big.mbox");
    std::fs::write(&path, mbox).unwrap();
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"Big\"\nmaildir = \"{}\"\n\n[[mailbox]]\nname = \"Archive\"\nmbox = \"{}\"\n",
        dir.display(),
        path.display()
    )));
    let first = env.json(&["refresh", "--json"]);
    assert_eq!(first["mail"]["new_items"], 5_000, "{first}");
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(
        feeds.as_array().unwrap().len(),
        14,
        "7 lists in each mailbox"
    );
    let second = env.json(&["refresh", "--json"]);
    assert_eq!(second["mail"]["new_items"], 0, "{second}");
}

/// Issue 26, item 4 (and 27's Maildir clash): a mark the mailbox refuses, here because
/// the file it would be renamed to is there already (`X:2,` beside `X:2,S`, as some
/// mail tools leave them), is said once and dropped; neither file is replaced, and the
/// next reads fetch new mail as ever. Before, the push ran first and failed the read, at
/// every refresh, for good; and the rename replaced the other file.
#[test]
fn a_refused_mark_is_said_once_and_new_mail_still_comes() {
    let env = Env::new("");
    let dir = env.path().join("Mail/news");
    maildir(&dir);
    deliver(&dir, "1001.a.host", Some(""), &fixtures::weekly(47, "x"));
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"News\"\nmaildir = \"{}\"\n",
        dir.display()
    )));
    env.ok(&["refresh"]);
    let id = env.json(&["items", "--json"])[0]["id"].to_string();
    // Another copy of the message, with the seen flag, beside it.
    let other = b"From: a@b.example\r\nSubject: the other copy\r\nMessage-ID: <o@b>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nother\r\n";
    std::fs::write(dir.join("cur/1001.a.host:2,S"), other).unwrap();
    // Which of the two the mailbox reader takes as the message: the one read_dir lists
    // last (the listing keeps the directory's order within cur/).
    let last = std::fs::read_dir(dir.join("cur"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("1001.a.host"))
        .last()
        .unwrap();
    env.ok(&["refresh"]);
    // A mark whose rename lands on the other file.
    if last.ends_with(",S") {
        env.ok(&["mark-unread", "--no-push", &id]);
    } else {
        env.ok(&["mark-read", "--no-push", &id]);
    }
    let before: Vec<(String, Vec<u8>)> = names(&dir)
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).unwrap()))
        .collect();
    deliver(&dir, "1002.b.host", None, &fixtures::weekly(48, "x"));
    let out = env.run(&["refresh", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["mail"]["new_items"], 1, "new mail still comes: {json}");
    let errors = json["mail"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json}");
    let error = errors[0].as_str().unwrap();
    assert!(
        error.contains("refused") && error.contains("one message"),
        "{error}"
    );
    // Both files as they were.
    for (name, bytes) in &before {
        assert_eq!(&std::fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
    // Said once: the next read is clean.
    let json = env.json(&["refresh", "--json"]);
    assert_eq!(
        json["mail"]["errors"].as_array().unwrap().len(),
        0,
        "{json}"
    );
}

/// Issue 28: the same newsletter in two mailboxes (one Message-ID) is one article, and
/// reading it here marks it read in both.
#[test]
fn the_same_message_in_two_mailboxes_is_one_article() {
    let env = Env::new("");
    let dir = env.path().join("Mail/news");
    maildir(&dir);
    let raw = fixtures::weekly(47, "x");
    deliver(&dir, "1001.a.host", None, &raw);
    let other = env.path().join("Mail/copy");
    maildir(&other);
    deliver(&other, "2002.b.host", None, &raw);
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"News\"\nmaildir = \"{}\"\n\n[[mailbox]]\nname = \"Copy\"\nmaildir = \"{}\"\n",
        dir.display(),
        other.display()
    )));
    let first = env.json(&["refresh", "--json"]);
    assert_eq!(first["mail"]["new_items"], 1, "{first}");
    let items = env.json(&["items", "--json"]);
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    let id = items[0]["id"].to_string();
    env.ok(&["mark-read", &id]);
    assert!(
        names(&dir).iter().any(|n| n.ends_with(":2,S")),
        "{:?}",
        names(&dir)
    );
    assert!(
        names(&other).iter().any(|n| n.ends_with(":2,S")),
        "{:?}",
        names(&other)
    );
}

/// A List-Id is the sender's text: escape sequences in it (a clipboard write, a window
/// title, a link) never reach `feeds`, whose plain output prints the list's key.
#[test]
fn escape_sequences_in_a_list_id_never_reach_the_feed_list() {
    let env = Env::new("");
    let path = env.path().join("hostile.mbox");
    std::fs::write(
        &path,
        "From x@y Mon Jan  1 00:00:00 2024\nFrom: News <news@example.com>\nSubject: hello\n\
         Date: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <poc1@x>\n\
         List-Id: Weekly <\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x1b[?25l.example.org>\n\
         Content-Type: text/plain\n\nhi\n\n",
    )
    .unwrap();
    env.write_config(&config(&format!(
        "[[mailbox]]\nname = \"M\"\nmbox = \"{}\"\n",
        path.display()
    )));
    env.ok(&["refresh"]);
    let plain = env.ok(&["feeds"]);
    assert!(plain.contains("Weekly"), "{plain}");
    assert!(
        !plain.chars().any(|c| c.is_control() && c != '\n'),
        "{plain:?}"
    );
}
