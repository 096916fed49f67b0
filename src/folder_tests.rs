//! Devices (each its own cache) syncing through folders: one shared folder, and, for the
//! property test, a folder each with files carried between them late, twice, cut short
//! and as conflict copies, as file-sync tools carry them.

use super::*;
use crate::model::ParsedItem;
use crate::store::{test_specs, test_write};
use proptest::prelude::*;
use std::collections::HashMap;

const GUIDS: [&str; 4] = ["a", "b", "c", "d"];

struct Dev {
    _dir: tempfile::TempDir,
    store: Store,
    config: Config,
}

fn dev(name: &str, folder: &Path) -> Dev {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let specs = test_specs(1);
    let ids = store.sync_feeds(&specs).unwrap();
    let items = GUIDS
        .iter()
        .map(|g| ParsedItem {
            guid: g.to_string(),
            title: format!("item {g}"),
            ..ParsedItem::default()
        })
        .collect();
    test_write(&mut store, ids[0], items);
    let config = Config {
        feeds: specs,
        folder: Some(FolderConfig {
            path: folder.to_path_buf(),
            device: Some(name.to_string()),
        }),
        ..Config::default()
    };
    join(&config, &mut store).unwrap();
    Dev {
        _dir: dir,
        store,
        config,
    }
}

impl Dev {
    fn sync(&mut self) -> Counts {
        let folder = self.config.folder.clone().unwrap();
        sync(&folder, &self.config, &mut self.store)
            .unwrap()
            .summary
    }

    fn read(&mut self, guid: &str, value: bool) {
        let id = self.store.folder_test_item(guid);
        self.store.set_read(&[id], value).unwrap();
    }

    fn star(&mut self, guid: &str, value: bool) {
        let id = self.store.folder_test_item(guid);
        self.store.set_starred(id, value).unwrap();
    }

    fn state(&self) -> Vec<(String, bool, bool)> {
        self.store.folder_test_state()
    }

    fn is_read(&self, guid: &str) -> bool {
        self.state().iter().any(|(g, r, _)| g == guid && *r)
    }
}

#[test]
fn marks_travel_both_ways_and_the_later_one_wins() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = dev("laptop", folder.path());
    let mut b = dev("desktop", folder.path());
    a.read("a", true);
    a.star("b", true);
    assert_eq!(a.sync().pushed, 2);
    let got = b.sync();
    assert_eq!(got.pulled, 2);
    assert_eq!(b.state(), a.state());
    // Back the other way: the later mark wins.
    b.read("a", false);
    b.sync();
    assert_eq!(a.sync().pulled, 1);
    assert!(!a.is_read("a"));
    // Made apart on both sides before either syncs: both survive.
    a.read("c", true);
    b.star("d", true);
    a.sync();
    b.sync();
    a.sync();
    assert_eq!(a.state(), b.state());
    assert!(a.is_read("c") && b.is_read("c"));
    assert!(a.state().iter().any(|(g, _, s)| g == "d" && *s));
    // A device that joins late gets everything; a sync with nothing new changes nothing.
    let mut c = dev("tablet", folder.path());
    c.sync();
    assert_eq!(c.state(), a.state());
    assert_eq!(c.sync().pulled, 0);
    // What was read before a cache joined travels too, and loses to any real mark.
    assert_eq!(a.sync().pushed, 0);
}

#[test]
fn conflict_copies_and_a_cut_line_change_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = dev("laptop", folder.path());
    let mut b = dev("desktop", folder.path());
    a.read("a", true);
    a.read("b", true);
    a.sync();
    a.read("b", false);
    a.sync();
    let journal = std::fs::read_dir(folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".journal"))
        .unwrap();
    let text = std::fs::read_to_string(&journal).unwrap();
    // Syncthing's and Dropbox's copies of an older version, and a copy cut mid-line.
    let first_two: String = text.lines().take(2).map(|l| format!("{l}\n")).collect();
    std::fs::write(
        folder
            .path()
            .join("laptop-x.sync-conflict-20261203-101010-ABCDEFG.journal"),
        &first_two,
    )
    .unwrap();
    std::fs::write(
        folder
            .path()
            .join("laptop-x (desktop's conflicted copy 2026-12-03).journal"),
        format!("{first_two}{{\"t\":\"mark\",\"at\":[99999999999999,0],\"dev"),
    )
    .unwrap();
    b.sync();
    assert_eq!(b.state(), a.state());
    assert!(b.is_read("a") && !b.is_read("b"));
}

#[test]
fn a_missing_folder_keeps_the_marks_and_a_newer_format_is_refused_in_one_line() {
    let folder = tempfile::tempdir().unwrap();
    let gone = folder.path().join("unmounted");
    let mut a = dev("laptop", &gone);
    a.read("a", true);
    let folder_config = a.config.folder.clone().unwrap();
    let err = sync(&folder_config, &a.config, &mut a.store).unwrap_err();
    assert!(matches!(err, FolderError::Missing(_)), "{err}");
    assert_eq!(a.store.folder_queue_len().unwrap(), 1);
    // Mounted again: the mark goes.
    std::fs::create_dir(&gone).unwrap();
    assert_eq!(a.sync().pushed, 1);
    std::fs::write(
        gone.join("future-1.1.journal"),
        "{\"t\":\"journal\",\"format\":9,\"device\":\"f\"}\n",
    )
    .unwrap();
    let err = sync(&folder_config, &a.config, &mut a.store).unwrap_err();
    assert!(err.to_string().contains("format 9"), "{err}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn a_long_journal_becomes_a_snapshot_that_late_devices_read() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = dev("laptop", folder.path());
    for round in 0..=COMPACT_AT {
        // Every round changes its article: read, then unread four rounds later.
        a.read(GUIDS[(round % 4) as usize], round % 8 < 4);
        a.sync();
    }
    let names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with(".2.snapshot")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains(".1.")), "{names:?}");
    let mut b = dev("desktop", folder.path());
    b.sync();
    assert_eq!(b.state(), a.state());
}

/// What a property-test run does.
#[derive(Debug, Clone)]
enum Step {
    Read(usize, usize, bool),
    Star(usize, usize, bool),
    Sync(usize),
    /// Carries device `.0`'s files to device `.1`'s folder: whole, cut short, or as a
    /// conflict copy.
    Carry(usize, usize, Carry),
}

#[derive(Debug, Clone, Copy)]
enum Carry {
    Whole,
    Cut,
    Conflict,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..4usize, any::<bool>()).prop_map(|(d, i, v)| Step::Read(d, i, v)),
        (0..3usize, 0..4usize, any::<bool>()).prop_map(|(d, i, v)| Step::Star(d, i, v)),
        (0..3usize).prop_map(Step::Sync),
        (
            0..3usize,
            0..3usize,
            prop_oneof![Just(Carry::Whole), Just(Carry::Cut), Just(Carry::Conflict)]
        )
            .prop_map(|(a, b, c)| Step::Carry(a, b, c)),
    ]
}

/// Copies the journals and snapshots device `from` wrote into `to`'s folder.
fn carry(from: &Path, to: &Path, how: Carry) {
    if from == to {
        return;
    }
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.contains("conflict") || !journal::is_ours(&name) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Journals only grow: a copy never replaces a longer version of itself (as a
        // sync tool keeps the newer version).
        let target = to.join(&name);
        let there = std::fs::metadata(&target)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        match how {
            Carry::Whole => {
                if text.len() > there {
                    std::fs::write(target, &text).unwrap();
                }
            }
            Carry::Cut => {
                // Part of the way through, as a sync tool caught mid-copy leaves it.
                let cut = text.len() * 2 / 3;
                let cut = (0..=cut)
                    .rev()
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(0);
                if cut > there {
                    std::fs::write(target, &text[..cut]).unwrap();
                }
            }
            Carry::Conflict => {
                let copy = name.replace(".journal", ".sync-conflict-20261203-101010-X.journal");
                std::fs::write(to.join(copy), &text).unwrap();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random marks on random devices, journals carried late, twice, cut and as conflict
    /// copies: once everything has arrived everywhere, every device has the same state,
    /// the last mark by the clock of every article and kind.
    #[test]
    fn every_device_converges_on_the_last_mark_by_the_clock(steps in prop::collection::vec(step(), 1..40)) {
        let folders: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
        let mut devs: Vec<Dev> = ["one", "two", "three"]
            .iter()
            .zip(&folders)
            .map(|(n, f)| dev(n, f.path()))
            .collect();
        for s in &steps {
            match s {
                Step::Read(d, i, v) => devs[*d].read(GUIDS[*i], *v),
                Step::Star(d, i, v) => devs[*d].star(GUIDS[*i], *v),
                Step::Sync(d) => {
                    devs[*d].sync();
                }
                Step::Carry(a, b, how) => carry(folders[*a].path(), folders[*b].path(), *how),
            }
        }
        // Everything arrives everywhere: each pushes, all files go everywhere, all read.
        for d in devs.iter_mut() {
            d.sync();
        }
        for a in 0..3 {
            for b in 0..3 {
                carry(folders[a].path(), folders[b].path(), Carry::Whole);
            }
        }
        for d in devs.iter_mut() {
            d.sync();
        }
        // The expected state: the last mark by (stamp, device) of every article and kind.
        let mut last: HashMap<(String, &'static str), (Stamp, String, bool)> = HashMap::new();
        for f in &folders {
            for entry in std::fs::read_dir(f.path()).unwrap().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                for line in text.lines().filter_map(journal::parse) {
                    if let Line::Mark { at, device, item, kind, value, .. } = line {
                        let key = (item, kind.as_str());
                        let new = (at, device, value);
                        if last.get(&key).is_none_or(|old| (&new.0, &new.1) > (&old.0, &old.1)) {
                            last.insert(key, new);
                        }
                    }
                }
            }
        }
        let expected: Vec<(String, bool, bool)> = GUIDS
            .iter()
            .map(|g| {
                let read = last.get(&(g.to_string(), "read")).is_some_and(|m| m.2);
                let star = last.get(&(g.to_string(), "star")).is_some_and(|m| m.2);
                (g.to_string(), read, star)
            })
            .collect();
        for d in &devs {
            prop_assert_eq!(d.state(), expected.clone());
        }
    }
}

#[test]
fn a_process_holding_an_older_config_writes_what_the_file_says() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = dev("laptop", folder.path());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let url = "http://127.0.0.1:1/0";
    std::fs::write(
        &path,
        format!(
            "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"folder\"\npath = \"{}\"\n\n[[feed]]\nurl = \"{url}\"\nname = \"Old\"\n",
            folder.path().display()
        ),
    )
    .unwrap();
    let stale = Config::load(&path).unwrap();
    a.config = stale.clone();
    a.sync();
    // A command renames the feed in the file, and syncs with the file's config.
    let mut file = crate::config::ConfigFile::open(&path).unwrap();
    file.set_name(url, Some("New")).unwrap();
    a.config = file.save().unwrap();
    a.sync();
    // The TUI, still holding the config it read at start, syncs: "Old" is not written back.
    a.config = stale;
    a.sync();
    let mut last = None;
    for entry in std::fs::read_dir(folder.path()).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for line in text.lines().filter_map(journal::parse) {
            if let Line::Feed { name, .. } = line {
                last = Some(name);
            }
        }
    }
    assert_eq!(last, Some(Some("New".to_string())));
}

#[test]
fn a_big_journal_of_non_ascii_ids_is_read_whole() {
    // Over a MiB (read on two threads, split near the middle), every byte a character
    // of two, so that the middle falls inside one.
    let folder = tempfile::tempdir().unwrap();
    let mut text = String::from("{\"t\":\"journal\",\"format\":1,\"device\":\"ffffffffffff\"}\n");
    let feed = "http://127.0.0.1:1/0";
    let mut n = 0u64;
    while text.len() < (3 << 19) {
        n += 1;
        text.push_str(&format!(
            "{{\"t\":\"mark\",\"at\":[{n},0],\"device\":\"ffffffffffff\",\"feed\":\"{feed}\",\"item\":\"ééééééé-{n}\",\"kind\":\"read\",\"value\":true}}\n"
        ));
    }
    text.push_str(&format!(
        "{{\"t\":\"mark\",\"at\":[{},0],\"device\":\"ffffffffffff\",\"feed\":\"{feed}\",\"item\":\"c\",\"kind\":\"star\",\"value\":true}}\n",
        n + 1
    ));
    std::fs::write(folder.path().join("big-ffffffffffff.1.journal"), text).unwrap();
    let mut a = dev("laptop", folder.path());
    a.sync();
    assert!(a.state().iter().any(|(g, _, s)| g == "c" && *s));
}

/// Another device names a feed as a saved search is named here: the feed keeps its name
/// here, and the sync goes on (the config it wrote would not load, and every sync and
/// refresh here failed on it until the file was edited by hand).
#[test]
fn a_name_a_saved_search_has_here_is_not_taken() {
    let folder = tempfile::tempdir().unwrap();
    let url = "http://127.0.0.1:1/0";
    let config_at = |dir: &Path, extra: &str| {
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            format!(
                "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"folder\"\npath = \"{}\"\n\n[[feed]]\nurl = \"{url}\"\nname = \"Security\"\n{extra}",
                folder.path().display()
            ),
        )
        .unwrap();
        path
    };
    let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = dev("laptop", folder.path());
    let mut b = dev("desk", folder.path());
    let path_a = config_at(there.path(), "");
    let path_b = config_at(
        here.path(),
        "\n[[query]]\nname = \"Foo\"\nquery = \"foo\"\n",
    );
    a.config = Config::load(&path_a).unwrap();
    b.config = Config::load(&path_b).unwrap();
    a.sync();
    b.sync();
    let mut file = crate::config::ConfigFile::open(&path_a).unwrap();
    file.set_name(url, Some("Foo")).unwrap();
    a.config = file.save().unwrap();
    a.sync();
    b.sync();
    let loaded = Config::load(&path_b).unwrap();
    assert_eq!(loaded.feeds[0].name.as_deref(), Some("Security"));
    assert_eq!(loaded.queries[0].name, "Foo");
    b.config = loaded;
    b.sync();
}
