//! Stories where features meet: a cron `bulletin refresh` under the open TUI, and a
//! mark given from the CLI right after a refresh. A refresh groups copies by link and
//! id as it writes; copies by text are found after it, by the next command that shows
//! or marks stories, or by the TUI between keys: these tests hold both to that.

mod support;

use support::feeds::rss_items as rss;
use support::{Env, Server};

/// A wire story: three paragraphs of its own words.
const WIRE: [&str; 3] = [
    "<p>Councillors in the northern port voted late on Tuesday to widen the outer harbour, \
     ending two years of argument over dredging, fishing grounds and the cost of a second \
     breakwater that engineers say the larger ferries will need within a decade.</p>",
    "<p>The plan moves the container quay four hundred metres seaward and keeps the old \
     fish market where it stands, a change the trawler owners had asked for since the \
     first drawings were shown at a packed meeting in the town library last spring.</p>",
    "<p>Opponents said the vote came too fast and that the money would be better spent \
     on the rail spur, while the harbour master told reporters that work on the seabed \
     survey could begin in March if the regional government signs off on the loan.</p>",
];

/// The wire story as a feed relays it: its own headline and link, a line of its own
/// added at the top, and the last paragraph cut.
fn relayed() -> String {
    format!(
        "<p>From our partners at the coastal desk.</p>{}{}",
        WIRE[0], WIRE[1]
    )
}

fn two_feeds(server: &Server) -> Env {
    Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nname = \"wire\"\n\n[[feed]]\nurl = \"{}\"\nname = \"relay\"\n",
        server.url("/wire.xml"),
        server.url("/relay.xml")
    ))
}

fn serve_wire(server: &Server) {
    server.fixed(
        "/wire.xml",
        "application/rss+xml",
        rss(
            "wire",
            &[(
                "Port council backs harbour expansion",
                "https://wire.example/2026/11/harbour",
                "wire-1",
                &WIRE.concat(),
            )],
        ),
    );
}

fn serve_relay(server: &Server) {
    server.fixed(
        "/relay.xml",
        "application/rss+xml",
        rss(
            "relay",
            &[(
                "Harbour to grow after late-night vote",
                "https://relay.example/news/88213",
                "relay-88213",
                &relayed(),
            )],
        ),
    );
}

/// Right after a refresh brings a copy that only its text joins, a mark given by feed
/// (the first command to touch the cache) reads the other copy too: the command groups
/// what waits before it marks.
#[test]
fn a_mark_right_after_a_refresh_reaches_a_copy_by_text() {
    let server = Server::start();
    serve_wire(&server);
    server.fixed("/relay.xml", "application/rss+xml", rss("relay", &[]));
    let env = two_feeds(&server);
    env.ok(&["refresh"]);
    // The copy comes later: grouped without the mark, it would join a story that is
    // not read, and the mark would stay on it alone.
    serve_relay(&server);
    env.ok(&["refresh"]);
    env.ok(&["mark-read", "--feed", "relay", "--no-push"]);
    let wire = env.stories_of("Port council backs harbour expansion");
    let relay = env.stories_of("Harbour to grow after late-night vote");
    assert_eq!(wire.len(), 1);
    assert_eq!(relay.len(), 1);
    assert_eq!(wire[0].1, relay[0].1, "one story: {wire:?} {relay:?}");
    assert!(wire[0].2 && relay[0].2, "both read: {wire:?} {relay:?}");
}

/// The TUI is open when a cron refresh brings another feed's copy that only its text
/// joins: the TUI compares it between keys, and the list catches up to one row.
#[test]
fn a_cron_refresh_brings_a_copy_by_text_under_the_open_tui() {
    let server = Server::start();
    serve_wire(&server);
    server.fixed("/relay.xml", "application/rss+xml", rss("relay", &[]));
    let env = two_feeds(&server);
    env.ok(&["refresh"]);
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("Port council backs");
    serve_relay(&server);
    env.ok(&["refresh"]);
    let screen = tmux.wait_for("+1 Port council");
    assert!(!screen.contains("Harbour to grow"), "one row: {screen}");
    assert!(screen.contains("All unread           1"), "{screen}");
    tmux.keys(&["Tab", "m"]);
    tmux.wait_for("All unread           0");
    tmux.keys(&["q", "q"]);
    tmux.wait_exit();
    let both: Vec<_> = env
        .stories_of("Port council backs harbour expansion")
        .into_iter()
        .chain(env.stories_of("Harbour to grow after late-night vote"))
        .collect();
    assert_eq!(both.len(), 2);
    assert!(both.iter().all(|c| c.2), "both read: {both:?}");
}

/// The seam: the TUI is open when a cron `bulletin refresh` brings another feed's copy
/// of a story it lists; the list catches up to one row, and a mark in the TUI reads
/// both copies, as the CLI then sees.
#[test]
fn a_cron_refresh_brings_a_copy_under_the_open_tui() {
    let server = Server::start();
    let story = "<p>The harbour authority approved the new container terminal.</p>";
    server.fixed(
        "/world.xml",
        "application/rss+xml",
        rss(
            "world",
            &[(
                "Terminal approved",
                "https://ledger.example/2026/terminal",
                "w-1",
                story,
            )],
        ),
    );
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nname = \"world\"\n\n[[feed]]\nurl = \"{}\"\nname = \"europe\"\n",
        server.url("/world.xml"),
        server.url("/europe.xml")
    ));
    env.ok(&["refresh"]);
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("Terminal approved");
    server.fixed(
        "/europe.xml",
        "application/rss+xml",
        rss(
            "europe",
            &[(
                "Terminal Approved",
                "http://www.ledger.example/2026/terminal/",
                "e-1",
                story,
            )],
        ),
    );
    env.ok(&["refresh"]);
    let screen = tmux.wait_for("+1 Terminal");
    assert_eq!(screen.matches("Terminal").count(), 1, "one row: {screen}");
    assert!(screen.contains("All unread           1"), "{screen}");
    tmux.keys(&["Tab", "m"]);
    tmux.wait_for("All unread           0");
    tmux.keys(&["q", "q"]);
    tmux.wait_exit();
    let copies = env
        .stories_of("Terminal approved")
        .into_iter()
        .chain(env.stories_of("Terminal Approved"))
        .collect::<Vec<_>>();
    assert_eq!(copies.len(), 2);
    assert!(copies.iter().all(|c| c.2), "both read: {copies:?}");
}

/// A feed added from the TUI brings a copy that only its text joins: the TUI's own
/// write announces nothing to itself (no other process committed), and still the list
/// shows one row for the two.
#[test]
fn a_feed_added_in_the_tui_brings_a_copy_by_text() {
    let server = Server::start();
    serve_wire(&server);
    serve_relay(&server);
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\nrefresh_interval_minutes = 0\n\n[[feed]]\nurl = \"{}\"\nname = \"wire\"\n",
        server.url("/wire.xml")
    ));
    env.ok(&["refresh"]);
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("Port council backs");
    tmux.keys(&["a"]);
    tmux.wait_for("Add a feed");
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", &server.url("/relay.xml")]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Subscribe?");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Subscribed to relay");
    tmux.wait_for("+1 Port council");
    // When the list held both before the copy was found, and the cursor sat on the
    // relay's, that row stays shown under it until the cursor moves (as an article
    // read elsewhere does): moved, one row is left.
    tmux.keys(&["Tab", "j", "k"]);
    let screen = tmux.wait_gone("Harbour to grow");
    assert!(screen.contains("+1 Port council"), "one row: {screen}");
    tmux.keys(&["q", "q"]);
    tmux.wait_exit();
}

/// A trial's seams: copies in a feed the open TUI does not list yet (`bulletin add` in a
/// shell) took All unread below its rows; a tag's counts counted every copy over its
/// list of one row per story; and after `bulletin remove` in a shell, R fetched the
/// removed feed back into the cache from the config the TUI had read before.
#[test]
fn counts_follow_stories_and_feeds_changed_from_a_shell() {
    let server = Server::start();
    let items = |name: &str, tracking: &str| {
        rss(
            name,
            &[
                (
                    "Harbour vote passes",
                    &format!("https://ledger.example/2026/harbour{tracking}"),
                    &format!("{name}-1"),
                    "<p>The council voted to widen the outer harbour.</p>",
                ),
                (
                    "Rail spur funded",
                    &format!("https://ledger.example/2026/rail{tracking}"),
                    &format!("{name}-2"),
                    "<p>The regional government will pay for the rail spur.</p>",
                ),
            ],
        )
    };
    server.fixed("/world.xml", "application/rss+xml", items("world", ""));
    server.fixed(
        "/europe.xml",
        "application/rss+xml",
        items("europe", "?utm_source=rss"),
    );
    server.fixed(
        "/wire.xml",
        "application/rss+xml",
        items("wire", "?fbclid=x1"),
    );
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n\
         [[feed]]\nurl = \"{}\"\nname = \"World\"\ntags = [\"news\"]\n\n\
         [[feed]]\nurl = \"{}\"\nname = \"Europe\"\ntags = [\"news\"]\n\n\
         [[query]]\nname = \"Harbour\"\nquery = \"harbour\"\n",
        server.url("/world.xml"),
        server.url("/europe.xml")
    ));
    env.ok(&["refresh"]);
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    let screen = tmux.wait_for("+1 Harbour vote");
    assert!(screen.contains("All unread           2"), "{screen}");
    // The tag's row and its list's title count each story once (below All unread,
    // Starred and the saved search).
    tmux.keys(&["j", "j", "j"]);
    let screen = tmux.wait_for("Tag: news (2/2)");
    assert!(screen.contains("▾ news               2│"), "{screen}");
    // A saved search and Starred count a story once too, as their lists show it.
    assert!(screen.contains("⌕ Harbour          1/1│"), "{screen}");
    tmux.keys(&["Tab", "s"]);
    let screen = tmux.wait_for("★ Starred          1/1");
    assert!(screen.contains("★ Starred          1/1│"), "{screen}");
    tmux.keys(&["Tab"]);
    // A third copy's feed subscribed from a shell, and refreshed there.
    env.ok(&["add", &server.url("/wire.xml"), "--name", "Wire"]);
    env.ok(&["refresh"]);
    tmux.wait_for("Wire");
    tmux.wait_for("+2 Harbour vote");
    // Counted with the copies in the feed it did not list before (they took it to 0).
    let screen = tmux.wait_for("All unread           2");
    assert!(!screen.contains("All unread           0"), "{screen}");
    // Europe removed from a shell; R in the TUI fetches the rest, not Europe.
    env.ok(&["remove", "Europe"]);
    tmux.wait_gone("Europe");
    let before = server.requests_to("/europe.xml").len();
    tmux.keys(&["R"]);
    tmux.wait_for("Refreshed");
    let screen = tmux.screen();
    assert!(!screen.contains("Europe"), "{screen}");
    tmux.keys(&["q", "q"]);
    tmux.wait_exit();
    assert_eq!(server.requests_to("/europe.xml").len(), before, "fetched");
    let feeds = env.json(&["feeds", "--json"]);
    let names: Vec<&str> = feeds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["World", "Wire"]);
}
