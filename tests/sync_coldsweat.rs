//! Two-way sync with a real Fever server: coldsweat 0.10.2 from PyPI, which `.ci/run`
//! installs in a virtualenv (`target/coldsweat-venv`, or the program named by
//! `BULLETIN_COLDSWEAT`). The test sets it up on a SQLite file of its own, imports an
//! OPML of feeds served here on loopback (each with its own icon, so coldsweat asks no
//! outside service for one), and runs it on a loopback port with every proxy variable
//! pointing at a closed loopback port: nothing leaves the machine.
//!
//! Both directions are checked against the server's own Fever API: read and starred
//! here reach the server, read and starred there reach here, a mark made while the
//! server is down waits in the queue and goes at the next sync.

mod support;

use bulletin::sync::{Mark, SyncProvider};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use support::coldsweat::*;
use support::{Env, Reply, Server};

fn sync(env: &Env) -> Value {
    env.json(&["sync", "--json"])
}

#[test]
fn read_and_starred_go_both_ways_with_a_real_fever_server() {
    let feeds = Server::start();
    feeds.fixed("/icon.png", "image/png", b"\x89PNG\r\n\x1a\n".to_vec());
    let alpha: Arc<Mutex<Vec<(&str, &str)>>> = Arc::new(Mutex::new(vec![
        ("1", "Alpha one"),
        ("2", "Alpha two"),
        ("3", "Alpha three"),
    ]));
    {
        // The alpha feed answers with the entries of the moment.
        let (alpha, base) = (alpha.clone(), feeds.url(""));
        feeds.route("/alpha.xml", move |_| {
            let entries = alpha.lock().unwrap().clone();
            Reply::ok("application/atom+xml", atom(&base, "alpha", &entries))
        });
    }
    feeds.fixed(
        "/beta.xml",
        "application/atom+xml",
        atom(
            &feeds.url(""),
            "beta",
            &[("1", "Beta one"), ("2", "Beta two")],
        ),
    );
    let opml = opml(&feeds, &[("alpha", Some("security")), ("beta", None)]);
    let mut cs = Coldsweat::set_up(&opml);
    cs.start();
    let config = config(&cs, "BULLETIN_TEST_SYNC_PASSWORD");
    let env = Env::new(&config);
    std::env::set_var("BULLETIN_TEST_SYNC_PASSWORD", PASSWORD);

    // First sync: the server's feeds, with its groups as tags, and every article.
    let s = sync(&env);
    assert_eq!(
        (
            s["provider"].as_str(),
            s["feeds"].as_u64(),
            s["new_items"].as_u64()
        ),
        (Some("fever"), Some(2), Some(5)),
        "{s}"
    );
    let listed = env.json(&["feeds", "--json"]);
    let alpha_feed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == feeds.url("/alpha.xml"))
        .unwrap_or_else(|| panic!("alpha is listed: {listed}"));
    assert_eq!(alpha_feed["tags"], serde_json::json!(["security"]));
    assert_eq!(alpha_feed["unread"], 3);
    let shown = env.ok(&["show", &env.item("Alpha two")["id"].to_string()]);
    assert!(shown.contains("The words of Alpha two."), "{shown}");
    // Search finds synced articles like any other.
    let found = env.json(&["search", "--json", "words", "Beta", "one"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");

    let mut fever = cs.fever();
    let ids = server_ids(&mut fever);

    // Read here → there.
    env.ok(&[
        "mark-read",
        "--no-push",
        &env.item("Alpha one")["id"].to_string(),
    ]);
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "{s}");
    let unread = fever.unread_ids().unwrap();
    assert!(!unread.contains(&id_of(&ids, "Alpha one")), "{unread:?}");
    assert!(unread.contains(&id_of(&ids, "Alpha two")));

    // Read and starred there → here.
    fever.mark(&[id_of(&ids, "Beta two")], Mark::Read).unwrap();
    fever
        .mark(&[id_of(&ids, "Alpha three")], Mark::Star)
        .unwrap();
    fever
        .mark(&[id_of(&ids, "Alpha one")], Mark::Unread)
        .unwrap();
    let s = sync(&env);
    assert_eq!(
        (s["pushed"].as_u64(), s["pulled"].as_u64()),
        (Some(0), Some(3)),
        "{s}"
    );
    assert_eq!(env.item("Beta two")["read"], true);
    assert_eq!(env.item("Alpha one")["read"], false);
    assert_eq!(env.item("Alpha three")["starred"], true);
    let starred = env.json(&["items", "--starred", "--json"]);
    assert_eq!(starred.as_array().unwrap().len(), 1);

    // Offline: the server is down, a mark made here waits in the queue, the sync says
    // what failed in one line and fails, and nothing here is lost.
    cs.stop();
    // mark-read tries to send it at once, and says the next refresh will.
    let out = env.run(&["mark-read", &env.item("Alpha two")["id"].to_string()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the next refresh"), "{err}");
    let out = env.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(&cs.url()), "{err}");
    assert!(!err.contains(PASSWORD));
    assert_eq!(env.item("Alpha two")["read"], true);
    cs.start();
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "{s}");
    let mut fever = cs.fever();
    assert!(!fever
        .unread_ids()
        .unwrap()
        .contains(&id_of(&ids, "Alpha two")));

    // New articles on the server arrive at the next sync, and only those travel.
    alpha.lock().unwrap().push(("4", "Alpha four"));
    cs.fetch_now();
    let s = sync(&env);
    assert_eq!(s["new_items"], 1, "{s}");
    assert_eq!(env.item("Alpha four")["read"], false);

    // Starred and unstarred here → there.
    env.ok(&["star", "--no-push", &env.item("Beta one")["id"].to_string()]);
    env.ok(&[
        "unstar",
        "--no-push",
        &env.item("Alpha three")["id"].to_string(),
    ]);
    let s = sync(&env);
    assert_eq!(s["pushed"], 2, "{s}");
    assert_eq!(fever.starred_ids().unwrap(), [id_of(&ids, "Beta one")]);
}
