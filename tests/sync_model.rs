//! Marks across the fronts, model-based (issue 26): random interleavings of marks made
//! on two devices (their own caches, through the CLI), syncs, two syncs of one cache at
//! once (the TUI's push and a cron `refresh` do that), marks made on the server (a phone),
//! and syncs killed half way. The invariant: every device and the server end with the
//! last mark of each article, none lost, none on the wrong article. Marks reach the
//! server when they are pushed (the protocol has no time on a mark), so "last" is in
//! the order they reach it; a mark that changes nothing on its device is no mark.
//!
//! The servers are the loopback Google Reader API of `support::greader` and the Fever
//! API of `support::fever`, each written from its protocol's documentation. The seed is
//! in the log (`BULLETIN_MODEL_SEED=N` runs one again); each run is bounded in steps.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{coldsweat, fever, greader, Env, Reply, Server};

const ARTICLES: i64 = 10;
const DEVICES: usize = 2;
const STEPS: usize = 45;

/// xorshift64*: a seeded sequence with no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Marks {
    read: bool,
    starred: bool,
}

/// A device's marks not yet sent for one article: the last read state, the last star.
type Pending = (Option<bool>, Option<bool>);

/// What each article's state should be: on the server, and as each device shows it
/// (its own marks win there until they are sent).
struct Model {
    server: HashMap<String, Marks>,
    local: Vec<HashMap<String, Marks>>,
    pending: Vec<HashMap<String, Pending>>,
}

impl Model {
    /// A completed sync of device `d`: its marks reach the server (the last of each kind
    /// per article), then it takes the server's state.
    fn sync(&mut self, d: usize) {
        for (title, (read, star)) in self.pending[d].drain() {
            let s = self.server.get_mut(&title).unwrap();
            if let Some(r) = read {
                s.read = r;
            }
            if let Some(st) = star {
                s.starred = st;
            }
        }
        self.local[d] = self.server.clone();
    }
}

/// The server under test: its config, and its articles' marks read and set directly
/// (as another client would).
enum Backend {
    GReader(Arc<Mutex<greader::State>>, Server),
    Fever(Arc<Mutex<fever::State>>, Server),
    /// A real Fever server (coldsweat, from PyPI), fetching two feeds served here.
    // The feed server is kept alive for coldsweat's fetches, and not read.
    Coldsweat(Box<coldsweat::Coldsweat>, #[allow(dead_code)] Server),
}

impl Backend {
    fn greader() -> Backend {
        let state = greader::state_with(ARTICLES);
        let server = greader::greader_server(state.clone());
        Backend::GReader(state, server)
    }

    fn fever() -> Backend {
        let mut s = fever::State::default();
        for id in 1..=ARTICLES as u64 {
            s.items.insert(id, (1 + id % 2, id % 3 == 0, false));
        }
        let state = Arc::new(Mutex::new(s));
        let server = fever::fever_server(state.clone(), fever::KEY.into());
        Backend::Fever(state, server)
    }

    fn coldsweat() -> Backend {
        let feeds = Server::start();
        feeds.fixed("/icon.png", "image/png", b"\x89PNG\r\n\x1a\n".to_vec());
        let base = feeds.url("");
        let alpha = coldsweat::atom(
            &base,
            "alpha",
            &[
                ("1", "Alpha one"),
                ("2", "Alpha two"),
                ("3", "Alpha three"),
                ("4", "Alpha four"),
            ],
        );
        let beta = coldsweat::atom(
            &base,
            "beta",
            &[("1", "Beta one"), ("2", "Beta two"), ("3", "Beta three")],
        );
        feeds.route("/alpha.xml", move |_| {
            Reply::ok("application/atom+xml", alpha.clone())
        });
        feeds.route("/beta.xml", move |_| {
            Reply::ok("application/atom+xml", beta.clone())
        });
        let opml = coldsweat::opml(&feeds, &[("alpha", None), ("beta", None)]);
        let mut cs = coldsweat::Coldsweat::set_up(&opml);
        cs.start();
        cs.fetch_now();
        Backend::Coldsweat(Box::new(cs), feeds)
    }

    fn config(&self) -> String {
        match self {
            Backend::Coldsweat(cs, _) => coldsweat::config(cs, "BULLETIN_TEST_MODEL_CS_PW"),
            Backend::GReader(_, server) => greader::config(server, "BULLETIN_TEST_MODEL_PW"),
            Backend::Fever(_, server) => fever::config(server, "BULLETIN_TEST_MODEL_PW"),
        }
    }

    fn marks(&self) -> HashMap<String, Marks> {
        match self {
            Backend::Coldsweat(cs, _) => {
                use bulletin::sync::SyncProvider;
                let mut fever = cs.fever();
                let all = coldsweat::server_ids(&mut fever);
                let unread = fever.unread_ids().unwrap();
                let starred = fever.starred_ids().unwrap();
                all.into_iter()
                    .map(|(title, id)| {
                        let m = Marks {
                            read: !unread.contains(&id),
                            starred: starred.contains(&id),
                        };
                        (title, m)
                    })
                    .collect()
            }
            Backend::GReader(state, _) => state
                .lock()
                .unwrap()
                .items
                .values()
                .map(|i| {
                    let m = Marks {
                        read: i.read,
                        starred: i.starred,
                    };
                    (i.title.clone(), m)
                })
                .collect(),
            Backend::Fever(state, _) => state
                .lock()
                .unwrap()
                .items
                .iter()
                .map(|(id, (_, read, saved))| {
                    let m = Marks {
                        read: *read,
                        starred: *saved,
                    };
                    (format!("Item {id}"), m)
                })
                .collect(),
        }
    }

    fn set(&self, title: &str, marks: Marks) {
        match self {
            Backend::Coldsweat(cs, _) => {
                use bulletin::sync::{Mark, SyncProvider};
                let mut fever = cs.fever();
                let id = coldsweat::id_of(&coldsweat::server_ids(&mut fever), title);
                let read = if marks.read { Mark::Read } else { Mark::Unread };
                let star = if marks.starred {
                    Mark::Star
                } else {
                    Mark::Unstar
                };
                fever.mark(std::slice::from_ref(&id), read).unwrap();
                fever.mark(&[id], star).unwrap();
            }
            Backend::GReader(state, _) => {
                let id = greader::sid(state, title);
                let mut s = state.lock().unwrap();
                let item = s.items.get_mut(&id).unwrap();
                item.read = marks.read;
                item.starred = marks.starred;
            }
            Backend::Fever(state, _) => {
                let id: u64 = title.trim_start_matches("Item ").parse().unwrap();
                let mut s = state.lock().unwrap();
                let item = s.items.get_mut(&id).unwrap();
                item.1 = marks.read;
                item.2 = marks.starred;
            }
        }
    }
}

fn device_marks(env: &Env) -> HashMap<String, Marks> {
    env.json(&["items", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap().to_string(),
                Marks {
                    read: i["read"].as_bool().unwrap(),
                    starred: i["starred"].as_bool().unwrap(),
                },
            )
        })
        .collect()
}

fn sync(env: &Env, why: &str) {
    let out = env.run(&["sync", "--json"]);
    assert!(
        out.status.success(),
        "{why}: sync failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_device_ends_with_the_last_mark_of_each_article_google_reader() {
    run_model(Backend::greader());
}

#[test]
fn every_device_ends_with_the_last_mark_of_each_article_fever() {
    run_model(Backend::fever());
}

#[test]
fn every_device_ends_with_the_last_mark_of_each_article_coldsweat() {
    std::env::set_var("BULLETIN_TEST_MODEL_CS_PW", coldsweat::PASSWORD);
    run_model(Backend::coldsweat());
}

fn run_model(backend: Backend) {
    std::env::set_var("BULLETIN_TEST_MODEL_PW", "secret");
    let seed: u64 = std::env::var("BULLETIN_MODEL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("model seed: {seed} (BULLETIN_MODEL_SEED={seed} runs it again)");
    let mut rng = Rng(seed);
    let devices: Vec<Env> = (0..DEVICES).map(|_| Env::new(&backend.config())).collect();
    for d in &devices {
        sync(d, "first sync");
    }
    let mut model = Model {
        server: backend.marks(),
        local: vec![backend.marks(); DEVICES],
        pending: vec![HashMap::new(); DEVICES],
    };
    let mut titles: Vec<String> = backend.marks().into_keys().collect();
    titles.sort();
    // Each device's id for each article (ids are the cache's own).
    let ids: Vec<HashMap<String, String>> = devices
        .iter()
        .map(|d| titles.iter().map(|t| (t.clone(), d.item_id(t))).collect())
        .collect();
    let mut log = Vec::new();
    for step in 0..STEPS {
        let d = rng.below(DEVICES as u64) as usize;
        let title = titles[rng.below(titles.len() as u64) as usize].clone();
        let op = rng.below(10);
        let what = match op {
            // A mark made on a device.
            0..=3 => {
                let (cmd, read, star) = match rng.below(4) {
                    0 => ("mark-read", Some(true), None),
                    1 => ("mark-unread", Some(false), None),
                    2 => ("star", None, Some(true)),
                    _ => ("unstar", None, Some(false)),
                };
                // Sent at the next sync, as the model has it (`--no-push`): the
                // commands' own sending is tested in sync_greader and sync_coldsweat.
                devices[d].ok(&[cmd, "--no-push", &ids[d][&title]]);
                // A mark that changes nothing here is no mark: nothing is queued, and
                // the server's state (maybe changed since) stands.
                let local = model.local[d].get_mut(&title).unwrap();
                let pending = model.pending[d].entry(title.clone()).or_default();
                if let Some(r) = read.filter(|r| *r != local.read) {
                    local.read = r;
                    pending.0 = Some(r);
                }
                if let Some(s) = star.filter(|s| *s != local.starred) {
                    local.starred = s;
                    pending.1 = Some(s);
                }
                format!("device {d}: {cmd} {title}")
            }
            // A sync.
            4 | 5 => {
                sync(&devices[d], &format!("step {step}"));
                model.sync(d);
                format!("device {d}: sync")
            }
            // A mark made on the server (another client, a phone).
            6 => {
                let (read, star) = (rng.below(2) == 0, rng.below(2) == 0);
                backend.set(
                    &title,
                    Marks {
                        read,
                        starred: star,
                    },
                );
                model.server.insert(
                    title.clone(),
                    Marks {
                        read,
                        starred: star,
                    },
                );
                format!("server: {title} read={read} starred={star}")
            }
            // Two syncs of one cache at once (the TUI's push beside a cron refresh).
            7 | 8 => {
                let mut a = devices[d].command(&["sync"]).spawn().unwrap();
                let mut b = devices[d].command(&["refresh"]).spawn().unwrap();
                let (sa, sb) = (a.wait().unwrap(), b.wait().unwrap());
                assert!(sa.success() && sb.success(), "step {step}: {sa} {sb}");
                model.sync(d);
                format!("device {d}: sync beside refresh")
            }
            // A sync killed half way, then one that completes.
            _ => {
                let mut child = devices[d].command(&["sync"]).spawn().unwrap();
                std::thread::sleep(Duration::from_millis(rng.below(120)));
                let _ = child.kill();
                let _ = child.wait();
                sync(&devices[d], &format!("step {step}, after a kill"));
                model.sync(d);
                format!("device {d}: sync killed, then again")
            }
        };
        log.push(what);
        let shown = device_marks(&devices[d]);
        for t in &titles {
            assert_eq!(
                shown[t],
                model.local[d][t],
                "seed {seed}, step {step}: device {d} shows {t} wrong; steps:\n{}",
                log.join("\n")
            );
        }
    }
    // Everyone syncs twice: all marks travel, everyone takes the server's state.
    for _ in 0..2 {
        for (d, env) in devices.iter().enumerate() {
            sync(env, "settling");
            model.sync(d);
        }
    }
    let on_server = backend.marks();
    for t in &titles {
        assert_eq!(
            on_server[t],
            model.server[t],
            "seed {seed}: the server has {t} wrong; steps:\n{}",
            log.join("\n")
        );
    }
    for (d, env) in devices.iter().enumerate() {
        let shown = device_marks(env);
        for t in &titles {
            assert_eq!(
                shown[t],
                on_server[t],
                "seed {seed}: device {d} ends with {t} unlike the server; steps:\n{}",
                log.join("\n")
            );
        }
    }
}
