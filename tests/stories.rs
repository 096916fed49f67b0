//! One story in many feeds, through the real binary and a real HTTP server on 127.0.0.1:
//! the labelled set in tests/stories (every copy pattern and every never-merge pattern,
//! scored by pair precision and recall of `items --json`'s "story"), marks given to
//! every copy from the CLI, `search` finding a story once, and the settings.

mod support;

use std::collections::{HashMap, HashSet};
use support::feeds::rss_items as rss;
use support::{Env, Server};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/stories");

/// (feed file, title) -> (story label, the pattern's comment above it).
fn labels() -> HashMap<(String, String), (String, String)> {
    let text = std::fs::read_to_string(format!("{DIR}/labels.tsv")).unwrap();
    let mut pattern = String::new();
    let mut out = HashMap::new();
    for line in text.lines() {
        // A pattern's comment starts "[a] Section feeds of one outlet: ..." (its other
        // lines say more of the same group).
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if comment.starts_with('[') {
                pattern = comment
                    .split([':', ',', ';', '('])
                    .next()
                    .unwrap_or(comment)
                    .to_string();
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 3 {
            continue;
        }
        out.insert(
            (cols[0].to_string(), cols[1].to_string()),
            (cols[2].to_string(), pattern.clone()),
        );
    }
    out
}

/// Serves every feed of the set; the config names each feed after its file.
fn serve_set(general: &str) -> (Server, Env) {
    let server = Server::start();
    let mut config = format!("[general]\nrefresh_on_startup = false\n{general}\n");
    let mut files: Vec<_> = std::fs::read_dir(format!("{DIR}/feeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let body = std::fs::read(&path).unwrap();
        server.fixed(&format!("/{name}"), "application/xml", body);
        config.push_str(&format!(
            "\n[[feed]]\nurl = \"{}\"\nname = \"{name}\"\n",
            server.url(&format!("/{name}"))
        ));
    }
    let env = Env::new(&config);
    env.ok(&["refresh"]);
    (server, env)
}

struct Score {
    true_pairs: usize,
    found_pairs: usize,
    right_pairs: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        if self.found_pairs == 0 {
            1.0
        } else {
            self.right_pairs as f64 / self.found_pairs as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.right_pairs as f64 / self.true_pairs as f64
        }
    }
}

/// Pair precision and recall of the cache's stories against the labels, overall and by
/// pattern (a pair counts for the pattern of its first article).
fn score(env: &Env) -> (Score, Vec<(String, Score)>) {
    let labels = labels();
    let items = env.json(&["items", "--json"]);
    let items: Vec<(String, String, String, i64)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let key = (
                i["feed"].as_str().unwrap().to_string(),
                i["title"].as_str().unwrap().to_string(),
            );
            let (label, pattern) = labels
                .get(&key)
                .unwrap_or_else(|| panic!("{key:?} has no label"))
                .clone();
            (label, pattern, key.0, i["story"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(
        items.len(),
        labels.len(),
        "every labelled article is cached"
    );
    let mut all = Score {
        true_pairs: 0,
        found_pairs: 0,
        right_pairs: 0,
    };
    let mut by_pattern: Vec<(String, Score)> = Vec::new();
    for (i, a) in items.iter().enumerate() {
        for b in &items[i + 1..] {
            let truth = a.0 == b.0;
            let found = a.3 == b.3;
            let pattern = if truth || found {
                a.1.clone()
            } else {
                continue;
            };
            let at = match by_pattern.iter().position(|(p, _)| *p == pattern) {
                Some(at) => at,
                None => {
                    by_pattern.push((
                        pattern,
                        Score {
                            true_pairs: 0,
                            found_pairs: 0,
                            right_pairs: 0,
                        },
                    ));
                    by_pattern.len() - 1
                }
            };
            for s in [&mut all, &mut by_pattern[at].1] {
                s.true_pairs += usize::from(truth);
                s.found_pairs += usize::from(found);
                s.right_pairs += usize::from(truth && found);
            }
            if found && !truth {
                eprintln!("false merge: {} / {}  ({})", a.2, b.2, a.1);
            }
        }
    }
    (all, by_pattern)
}

#[test]
fn the_labelled_set_is_grouped_with_precision_first() {
    let (_server, env) = serve_set("");
    let (all, by_pattern) = score(&env);
    for (pattern, s) in &by_pattern {
        eprintln!(
            "{pattern}: {} true pairs, {} found, {} right",
            s.true_pairs, s.found_pairs, s.right_pairs
        );
    }
    eprintln!(
        "pairs: {} labelled, {} grouped, {} right; precision {:.3}, recall {:.3}",
        all.true_pairs,
        all.found_pairs,
        all.right_pairs,
        all.precision(),
        all.recall()
    );
    assert!(all.true_pairs >= 20, "the set has copies to find");
    assert!(all.precision() >= 0.99, "precision {:.3}", all.precision());
    assert!(all.recall() >= 0.90, "recall {:.3}", all.recall());
}

#[test]
fn links_only_groups_no_text_and_off_groups_nothing() {
    let (_server, on) = serve_set("");
    let (on, _) = score(&on);
    let (_server, links) = serve_set("stories = \"links\"");
    let (links, _) = score(&links);
    assert!(links.precision() >= 0.99);
    assert!(
        links.found_pairs < on.found_pairs,
        "wire copies under other headlines are found by their text only"
    );
    let (_server, off) = serve_set("stories = \"off\"");
    let (off, _) = score(&off);
    assert_eq!(off.found_pairs, 0);
}

/// Three section feeds with one story (tracking parameters, another host form) and one
/// story of their own.
fn sections(server: &Server, general: &str, world_extra: &str) -> Env {
    let story = "<p>The harbour authority approved the new container terminal on Monday.</p>";
    let feeds = [
        (
            "world",
            "https://www.ledger.example/2026/terminal?utm_source=world&utm_medium=rss",
        ),
        (
            "europe",
            "http://ledger.example/2026/terminal/?ref=europe#top",
        ),
        (
            "business",
            "https://m.ledger.example/2026/terminal?fbclid=Zx",
        ),
    ];
    let mut config = format!("[general]\nrefresh_on_startup = false\n{general}\n");
    for (name, link) in feeds {
        let own = format!("{name} alone");
        let own_link = format!("https://ledger.example/2026/{name}-alone");
        let guid = format!("{name}-4711");
        let own_guid = format!("{name}-4712");
        let body = rss(
            name,
            &[
                ("Terminal approved", link, &guid, story),
                (&own, &own_link, &own_guid, "<p>Only here.</p>"),
            ],
        );
        server.fixed(&format!("/{name}.xml"), "application/rss+xml", body);
        config.push_str(&format!(
            "\n[[feed]]\nurl = \"{}\"\nname = \"{name}\"\n",
            server.url(&format!("/{name}.xml"))
        ));
        if name == "world" {
            config.push_str(world_extra);
        }
    }
    let env = Env::new(&config);
    env.ok(&["refresh"]);
    env
}

#[test]
fn a_mark_on_one_copy_is_a_mark_on_the_story() {
    let server = Server::start();
    let env = sections(&server, "", "");
    let copies = env.stories_of("Terminal approved");
    assert_eq!(copies.len(), 3);
    let stories: HashSet<i64> = copies.iter().map(|c| c.1).collect();
    assert_eq!(stories.len(), 1, "one story: {copies:?}");
    // The other articles are stories of their own.
    let own: HashSet<i64> = ["world alone", "europe alone", "business alone"]
        .iter()
        .map(|t| env.stories_of(t)[0].1)
        .collect();
    assert_eq!(own.len(), 3);
    assert!(own.is_disjoint(&stories));

    let europe = env
        .json(&["items", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Terminal approved" && i["feed"] == "europe")
        .unwrap()["id"]
        .to_string();
    // Options after the ids, as people type them.
    env.ok(&["mark-read", &europe, "--no-push"]);
    assert!(env.stories_of("Terminal approved").iter().all(|c| c.2));
    env.ok(&["mark-unread", &europe]);
    assert!(env.stories_of("Terminal approved").iter().all(|c| !c.2));
    env.ok(&["star", &europe]);
    assert!(env.stories_of("Terminal approved").iter().all(|c| c.3));
    // Other articles are untouched.
    assert!(!env.stories_of("world alone")[0].2);

    // `show` names the other feeds; `search` finds the story once.
    let shown = env.ok(&["show", &europe]);
    let also = shown
        .lines()
        .find(|l| l.starts_with("Also in: "))
        .unwrap_or("");
    assert!(
        also.contains("world") && also.contains("business"),
        "{shown}"
    );
    let found = env.json(&["search", "harbour terminal", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
}

#[test]
fn a_copy_arriving_after_the_story_was_read_arrives_read() {
    let server = Server::start();
    let story = "<p>Parliament passed the data protection amendment late on Thursday.</p>";
    server.fixed(
        "/first.xml",
        "application/rss+xml",
        rss(
            "first",
            &[(
                "Amendment passed",
                "https://a.example/law/amendment",
                "a-1",
                story,
            )],
        ),
    );
    let url = |p: &str| server.url(p);
    let one = format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nname = \"first\"\n",
        url("/first.xml")
    );
    let env = Env::new(&one);
    env.ok(&["refresh"]);
    env.ok(&["mark-read", "--all"]);
    server.fixed(
        "/second.xml",
        "application/rss+xml",
        rss(
            "second",
            &[(
                "Lawmakers Pass Amendment",
                "http://www.a.example/law/amendment/",
                "b-1",
                story,
            )],
        ),
    );
    env.write_config(&format!(
        "{one}\n[[feed]]\nurl = \"{}\"\nname = \"second\"\n",
        url("/second.xml")
    ));
    env.ok(&["refresh"]);
    let late = env.stories_of("Lawmakers Pass Amendment");
    assert!(late[0].2, "the story was read: its new copy is too");
    assert_eq!(late[0].1, env.stories_of("Amendment passed")[0].1);
}

#[test]
fn a_feed_that_says_stories_false_is_never_grouped() {
    let server = Server::start();
    let env = sections(&server, "", "stories = false\n");
    let copies = env.stories_of("Terminal approved");
    let world = copies.iter().find(|c| c.0 == "world").unwrap().1;
    let others: HashSet<i64> = copies
        .iter()
        .filter(|c| c.0 != "world")
        .map(|c| c.1)
        .collect();
    assert_eq!(others.len(), 1, "europe and business are one story");
    assert!(!others.contains(&world), "world keeps its own");
}

/// The TUI: one row per story in All unread with "+2", "Also in" in the reader, `c` to
/// another copy, opening the story reading every copy, and `u` undoing it as one.
#[test]
fn the_tui_shows_a_story_once_and_reads_it_everywhere() {
    let server = Server::start();
    let env = sections(&server, "", "");
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    // Four unread stories, six unread articles.
    tmux.wait_for("All unread (4)");
    let screen = tmux.wait_for("Terminal approved");
    assert_eq!(
        screen.matches("Terminal approved").count(),
        1,
        "one row for three copies: {screen}"
    );
    assert!(screen.contains("+2 Terminal approved"), "{screen}");
    assert!(screen.contains("europe alone"), "{screen}");
    // The story's row (all four share one time: their order is the feeds' own, and
    // which feed was written first).
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("Nov 10")).collect();
    let at = rows
        .iter()
        .position(|l| l.contains("Terminal approved"))
        .unwrap();
    let mut keys = vec!["Tab"];
    keys.extend(std::iter::repeat_n("j", at));
    keys.push("Enter");
    tmux.keys(&keys);
    let reader = tmux.wait_for("Also in: ");
    // Which feed's copy stands for the story depends on which feed was written first.
    let names = |screen: &str, field: &str| -> Vec<String> {
        let line = screen.lines().find(|l| l.contains(field)).unwrap();
        ["world", "europe", "business"]
            .iter()
            .filter(|n| line.contains(*n))
            .map(|n| n.to_string())
            .collect()
    };
    let first = names(&reader, "Feed: ");
    assert_eq!(first.len(), 1, "{reader}");
    let mut all = names(&reader, "Also in: ");
    assert_eq!(all.len(), 2, "{reader}");
    all.extend(first.clone());
    all.sort();
    assert_eq!(all, ["business", "europe", "world"], "{reader}");
    // Reading it read every copy.
    tmux.wait_for("All unread (3)");
    tmux.keys(&["c"]);
    let copy = tmux.wait_for("The copy in ");
    let now = names(&copy, "Feed: ");
    assert_ne!(now, first, "another feed's copy: {copy}");
    assert!(names(&copy, "Also in: ").contains(&first[0]), "{copy}");
    // Back in the feed list, `m` is no article's: the row beside it was never chosen.
    tmux.keys(&["Escape", "m"]);
    tmux.wait_for("In the feed list: Enter goes to its articles");
    assert!(tmux.screen().contains("All unread (3)"));
    // Unread and read again on the row: every copy follows; `u` undoes it as one.
    tmux.keys(&["Tab", "m"]);
    tmux.wait_for("All unread (4)");
    tmux.keys(&["m"]);
    tmux.wait_for("All unread (3)");
    tmux.keys(&["u"]);
    tmux.wait_for("All unread (4)");
    tmux.keys(&["q", "q"]);
    let items = env.json(&["items", "--json"]);
    let unread = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["read"] == false)
        .count();
    assert_eq!(unread, 6, "undo brought every copy back: {items}");
}

/// `bulletin add` writes the new feed's articles at once: grouped as `[general]
/// stories` says, "off" included.
#[test]
fn add_groups_as_the_config_says() {
    for (general, grouped) in [("", true), ("stories = \"off\"", false)] {
        let server = Server::start();
        let story = "<p>The harbour authority approved the new container terminal.</p>";
        let body = |name: &str, link: &str| {
            rss(
                name,
                &[("Terminal approved", link, &format!("{name}-1"), story)],
            )
        };
        server.fixed(
            "/world.xml",
            "application/rss+xml",
            body("world", "https://ledger.example/2026/terminal"),
        );
        server.fixed(
            "/europe.xml",
            "application/rss+xml",
            body(
                "europe",
                "http://www.ledger.example/2026/terminal/?ref=europe",
            ),
        );
        let env = Env::new(&format!(
            "[general]\nrefresh_on_startup = false\n{general}\n\n[[feed]]\nurl = \"{}\"\nname = \"world\"\n",
            server.url("/world.xml")
        ));
        env.ok(&["refresh"]);
        env.ok(&["add", &server.url("/europe.xml"), "--name", "europe"]);
        let copies = env.stories_of("Terminal approved");
        assert_eq!(copies.len(), 2);
        assert_eq!(copies[0].1 == copies[1].1, grouped, "{general}: {copies:?}");
    }
}

/// Two JSON Feeds in one folder, each numbering its posts 1, 2: the ids, made absolute
/// against the feeds' folder, are the same addresses, yet the posts are no copies of one
/// another (a trial saw one's post read with the other's).
#[test]
fn feeds_numbering_their_posts_alike_are_not_one_story() {
    let server = Server::start();
    let feed = |who: &str| {
        format!(
            r#"{{"version":"https://jsonfeed.org/version/1.1","title":"{who}'s notes","items":[
{{"id":"1","content_text":"{who} writes about gardens and the weather this week."}},
{{"id":"2","content_text":"{who} went sailing on the lake with friends on Sunday."}}]}}"#
        )
    };
    for who in ["alice", "bob"] {
        server.fixed(
            &format!("/users/{who}.json"),
            "application/feed+json",
            feed(who),
        );
    }
    let env = Env::new("");
    env.write_config(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/users/alice.json"),
        server.url("/users/bob.json")
    ));
    env.ok(&["refresh"]);
    let items = env.json(&["items", "--json"]);
    let stories: HashSet<i64> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["story"].as_i64().unwrap())
        .collect();
    assert_eq!(stories.len(), 4, "{items}");
}
