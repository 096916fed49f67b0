//! Sync without a server: read state and subscriptions through a folder that a file-sync
//! tool carries between machines (Syncthing, Dropbox, Nextcloud, a git repository).
//!
//! Each device appends its marks to its own journal in the folder and never writes
//! another's, so the sync tool never has to merge a file and no lock crosses the
//! network. A sync writes the marks made here (push), reads what is new in every other
//! file (pull: each device remembers how far it read each one, so a sync with nothing
//! new costs a `stat` per file), keeps the last mark of every article and kind by a
//! hybrid logical clock (`clock`), and applies the winners to the articles here. A
//! journal past `COMPACT_AT` lines becomes a snapshot of what it still decides.
//! Subscriptions travel as the config's feed list: what changed since the last sync is
//! written, and another device's changes are made to the config here through the same
//! editing that keeps its comments. The articles themselves are fetched by each device.

pub mod clock;
pub mod journal;

use crate::config::{Config, FolderConfig};
use crate::store::{FolderFeed, FolderMark, Store, StoreError};
use crate::sync::Summary;
use clock::{Clock, Stamp};
use journal::{Line, FORMAT};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Own journal lines past which it is compacted into a snapshot.
#[cfg(not(test))]
const COMPACT_AT: u64 = 100_000;
#[cfg(test)]
const COMPACT_AT: u64 = 20;

const CLOCK: &str = "sync.folder.clock";
const GENERATION: &str = "sync.folder.generation";
const LINES: &str = "sync.folder.lines";
const PUBLISHED: &str = "sync.folder.feeds";

#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error(
        "the folder {0} is not there (not mounted, or not made yet: make it, or fix [sync] path)"
    )]
    Missing(String),
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{file} is journal format {found}, newer than this bulletin reads ({FORMAT}); update bulletin here")]
    TooNew { file: String, found: u32 },
    #[error("{0}")]
    Cache(#[from] StoreError),
    #[error("the config: {0}")]
    Config(String),
}

fn io_error(path: &Path, e: std::io::Error) -> FolderError {
    FolderError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// What a sync did, and whether it changed the config file (the caller reloads it).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub summary: Summary,
    pub config_changed: bool,
}

/// This device in the folder: its id, its name, its clock and its files.
struct Device {
    id: String,
    name: String,
    clock: Clock,
    generation: u64,
}

impl Device {
    fn of(folder: &FolderConfig, store: &mut Store) -> Result<Device, FolderError> {
        let id = match store.folder_device()? {
            Some(id) => id,
            None => {
                let id = new_device_id(store);
                store.folder_join(&id)?;
                // Whoever joined first (another process) has the id that counts.
                store.folder_device()?.unwrap_or(id)
            }
        };
        let clock = Clock::at(
            store
                .meta(CLOCK)?
                .and_then(|t| Stamp::from_meta(&t))
                .unwrap_or_default(),
        );
        let generation = store
            .meta(GENERATION)?
            .and_then(|g| g.parse().ok())
            .unwrap_or(1);
        let name = folder.device.clone().unwrap_or_else(host_name);
        Ok(Device {
            name: file_word(&name),
            id,
            clock,
            generation,
        })
    }

    fn header(&self) -> Line {
        Line::Journal {
            format: FORMAT,
            device: self.id.clone(),
            name: self.name.clone(),
        }
    }

    fn file(&self, generation: u64, ext: &str) -> String {
        format!("{}-{}.{generation}.{ext}", self.name, self.id)
    }

    /// Whether a file is one this device writes (any generation, any name it had).
    fn owns(&self, file: &str) -> bool {
        file.contains(&format!("-{}.", self.id))
            && (file.ends_with(".journal") || file.ends_with(".snapshot"))
            && !file.contains("conflict")
    }
}

/// A device id: random enough that two caches never share one, made once per cache.
fn new_device_id(store: &Store) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(
        chrono::Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or(0)
            .to_le_bytes(),
    );
    hash.update(std::process::id().to_le_bytes());
    hash.update(host_name().as_bytes());
    if let Some(path) = store.path() {
        hash.update(path.display().to_string().as_bytes());
    }
    let digest = hash.finalize();
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// This machine's name, for the files' names: what people see in the folder.
fn host_name() -> String {
    let from_env = ["HOSTNAME", "COMPUTERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok())
        .filter(|h| !h.trim().is_empty());
    from_env
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "device".into())
}

/// A name as a word fit for a file name on every system.
fn file_word(name: &str) -> String {
    let word: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(32)
        .collect();
    let word = word.trim_matches('-').to_string();
    if word.is_empty() {
        "device".into()
    } else {
        word
    }
}

/// Checks that the folder is there: a missing one (an unmounted share) fails the sync
/// and every mark waits here.
fn check(folder: &FolderConfig) -> Result<(), FolderError> {
    match std::fs::metadata(&folder.path) {
        Ok(m) if m.is_dir() => Ok(()),
        _ => Err(FolderError::Missing(folder.path.display().to_string())),
    }
}

/// One sync: the marks and subscription changes made here out, everything new in the
/// folder in, the winners applied.
pub fn sync(
    folder: &FolderConfig,
    config: &Config,
    store: &mut Store,
) -> Result<Outcome, FolderError> {
    check(folder)?;
    let mut device = Device::of(folder, store)?;
    let mut summary = Summary {
        provider: "folder",
        ..Summary::default()
    };
    summary.pushed = write_out(folder, Some(config), store, &mut device)?;
    let won = read_in(folder, store, &mut device)?;
    if won > 0 {
        summary.pulled = store.folder_apply()?;
    }
    let (changed, feeds_applied) = apply_feeds(config, store)?;
    summary.pulled += feeds_applied;
    if store
        .meta(LINES)?
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0)
        > COMPACT_AT
    {
        compact(folder, store, &mut device)?;
    }
    store.set_meta(CLOCK, &device.clock.last().to_meta())?;
    summary.feeds = store.folder_feed_count()?;
    tracing::info!(
        pushed = summary.pushed,
        pulled = summary.pulled,
        "folder sync finished"
    );
    Ok(Outcome {
        summary,
        config_changed: changed,
    })
}

/// Writes the marks made here to the journal, no more (a few seconds after a mark).
pub fn push_marks(folder: &FolderConfig, store: &mut Store) -> Result<usize, FolderError> {
    if store.folder_device()?.is_some() && store.folder_queue_len()? == 0 {
        return Ok(0);
    }
    check(folder)?;
    let mut device = Device::of(folder, store)?;
    let sent = write_out(folder, None, store, &mut device)?;
    store.set_meta(CLOCK, &device.clock.last().to_meta())?;
    Ok(sent)
}

/// Makes the cache take part when the config syncs through a folder, before any mark
/// is made (a mark made before that would not travel). Needs no folder yet.
pub fn join(config: &Config, store: &mut Store) -> Result<(), StoreError> {
    if config.folder.is_some() && store.folder_device()?.is_none() {
        let id = new_device_id(store);
        store.folder_join(&id)?;
    }
    Ok(())
}

/// After articles arrived: the folder's marks waiting for them are applied.
pub fn apply_arrived(store: &mut Store) -> Result<usize, StoreError> {
    if store.folder_device()?.is_none() {
        return Ok(0);
    }
    store.folder_apply()
}

/// The queued marks and the config's changed subscriptions, stamped and appended to
/// this device's journal; unqueued once on disk. Returns the marks written.
fn write_out(
    folder: &FolderConfig,
    config: Option<&Config>,
    store: &mut Store,
    device: &mut Device,
) -> Result<usize, FolderError> {
    let queued = store.folder_queued()?;
    let skew = clock::skew_ms();
    let mut marks = Vec::new();
    for m in &queued {
        let Some((feed, item)) = &m.key else {
            continue;
        };
        // Marks brought in when the cache joined carry time 0: any real mark wins.
        let ms = if m.at_ms == 0 { 0 } else { m.at_ms + skew };
        marks.push(FolderMark {
            feed: feed.clone(),
            item: item.clone(),
            kind: m.kind,
            at: device.clock.tick(ms),
            device: device.id.clone(),
            value: m.value,
        });
    }
    let (feeds, published) = match config {
        Some(config) => feed_changes(config, store, device)?,
        None => (Vec::new(), None),
    };
    if marks.is_empty() && feeds.is_empty() {
        if !queued.is_empty() {
            store.folder_unqueue(&queued.iter().map(|m| m.seq).collect::<Vec<_>>())?;
        }
        return Ok(0);
    }
    let mut lines: Vec<Line> = marks
        .iter()
        .map(|m| Line::Mark {
            at: m.at,
            device: m.device.clone(),
            feed: m.feed.clone(),
            item: m.item.clone(),
            kind: m.kind,
            value: m.value,
        })
        .collect();
    lines.extend(feeds.iter().map(|f| Line::Feed {
        at: f.at,
        device: f.device.clone(),
        url: f.url.clone(),
        present: f.present,
        name: f.name.clone(),
        tags: f.tags.clone(),
    }));
    let path = folder.path.join(device.file(device.generation, "journal"));
    journal::append(&path, &device.header(), &lines).map_err(|e| io_error(&path, e))?;
    // On disk: now the queue may let them go, and the state knows them.
    store.folder_merge_marks(&marks, true)?;
    store.folder_merge_feeds(&feeds, &device.id)?;
    if let Some(published) = published {
        store.set_meta(PUBLISHED, &published)?;
    }
    store.folder_unqueue(&queued.iter().map(|m| m.seq).collect::<Vec<_>>())?;
    let count = store
        .meta(LINES)?
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    store.set_meta(LINES, &(count + lines.len() as u64).to_string())?;
    Ok(marks.len())
}

/// The config's own feeds as last written to the folder: URL to name and tags.
type Published = BTreeMap<String, (Option<String>, Vec<String>)>;

fn own_feeds(config: &Config) -> Published {
    config
        .feeds
        .iter()
        .filter(|f| f.remote.is_none() && f.mailbox.is_none())
        .map(|f| (f.url.clone(), (f.name.clone(), f.tags.clone())))
        .collect()
}

/// What changed in the config's feed list since it was last written: a line per
/// feed added, removed, renamed or retagged, and the list to remember once written.
fn feed_changes(
    config: &Config,
    store: &Store,
    device: &mut Device,
) -> Result<(Vec<FolderFeed>, Option<String>), FolderError> {
    if config.path.is_none() {
        return Ok((Vec::new(), None));
    }
    let before: Published = store
        .meta(PUBLISHED)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let now = own_feeds(config);
    if before == now {
        return Ok((Vec::new(), None));
    }
    let ms = clock::wall_ms();
    let mut out = Vec::new();
    for (url, (name, tags)) in &now {
        if before.get(url) != Some(&(name.clone(), tags.clone())) {
            out.push(FolderFeed {
                url: url.clone(),
                at: device.clock.tick(ms),
                device: device.id.clone(),
                present: true,
                name: name.clone(),
                tags: tags.clone(),
            });
        }
    }
    for url in before.keys().filter(|u| !now.contains_key(*u)) {
        out.push(FolderFeed {
            url: url.clone(),
            at: device.clock.tick(ms),
            device: device.id.clone(),
            present: false,
            name: None,
            tags: Vec::new(),
        });
    }
    Ok((out, serde_json::to_string(&now).ok()))
}

/// Reads what is new in every other file of the folder and merges it. Returns how many
/// marks won (0: nothing to apply).
fn read_in(
    folder: &FolderConfig,
    store: &mut Store,
    device: &mut Device,
) -> Result<usize, FolderError> {
    let mut offsets = store.folder_offsets()?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let entries = std::fs::read_dir(&folder.path).map_err(|e| io_error(&folder.path, e))?;
    let mut won = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !journal::is_ours(&name) || device.owns(&name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let len = meta.len();
        let mut from = offsets.remove(&name).unwrap_or(0);
        if len < from {
            // Replaced by a shorter file (a snapshot again, a checkout): read it afresh.
            from = 0;
        }
        if len == from {
            seen.insert(name, from);
            continue;
        }
        let path = entry.path();
        let (text, to) = match journal::read_from(&path, from) {
            Ok(read) => read,
            // Gone between the listing and the read, or not readable yet: next time.
            Err(e) => {
                tracing::warn!("{}: {e}", path.display());
                seen.insert(name, from);
                continue;
            }
        };
        won += merge_text(&name, &text, from == 0, store, device)?;
        seen.insert(name, to);
    }
    store.folder_set_offsets(&seen)?;
    Ok(won)
}

/// Merges the lines of one file's new part. `whole` when it starts at the file's
/// beginning, whose header says the format.
fn merge_text(
    name: &str,
    text: &str,
    whole: bool,
    store: &mut Store,
    device: &mut Device,
) -> Result<usize, FolderError> {
    let mut marks = Vec::new();
    let mut feeds = Vec::new();
    for (at, raw) in text.lines().enumerate() {
        match journal::parse(raw) {
            Some(Line::Journal { format, .. }) if format > FORMAT => {
                return Err(FolderError::TooNew {
                    file: name.to_string(),
                    found: format,
                });
            }
            Some(Line::Mark {
                at,
                device: from,
                feed,
                item,
                kind,
                value,
            }) => {
                device.clock.see(at);
                marks.push(FolderMark {
                    feed,
                    item,
                    kind,
                    at,
                    device: from,
                    value,
                });
            }
            Some(Line::Feed {
                at,
                device: from,
                url,
                present,
                name,
                tags,
            }) => {
                device.clock.see(at);
                feeds.push(FolderFeed {
                    url,
                    at,
                    device: from,
                    present,
                    name,
                    tags,
                });
            }
            Some(_) => {}
            None if whole && at == 0 => tracing::warn!("{name}: no journal header"),
            None => {}
        }
    }
    // The last of each article's marks in this part only, in key order: fewer and
    // ordered writes to the cache's tree.
    let mut last: HashMap<(&str, &str, journal::Kind), &FolderMark> = HashMap::new();
    for m in &marks {
        let key = (m.feed.as_str(), m.item.as_str(), m.kind);
        if last
            .get(&key)
            .is_none_or(|old| (m.at, &m.device) > (old.at, &old.device))
        {
            last.insert(key, m);
        }
    }
    let mut winners: Vec<FolderMark> = last.into_values().cloned().collect();
    winners.sort_unstable_by(|a, b| {
        (&a.feed, &a.item, a.kind.as_str()).cmp(&(&b.feed, &b.item, b.kind.as_str()))
    });
    let won = store.folder_merge_marks(&winners, false)?;
    store.folder_merge_feeds(&feeds, &device.id)?;
    Ok(won)
}

/// Makes another device's subscription changes to the config file here. Returns
/// whether the file changed, and how many feeds did.
fn apply_feeds(config: &Config, store: &mut Store) -> Result<(bool, usize), FolderError> {
    let pending = store.folder_pending_feeds()?;
    let Some(path) = config.path.as_deref().filter(|_| !pending.is_empty()) else {
        return Ok((false, 0));
    };
    let config_error = |e: crate::config::EditError| FolderError::Config(e.to_string());
    let mut file = crate::config::ConfigFile::open(path).map_err(config_error)?;
    let current = file
        .config()
        .map_err(|e| FolderError::Config(e.to_string()))?;
    let mut applied = 0;
    let mut removed = Vec::new();
    for feed in &pending {
        let here = current.feeds.iter().find(|f| f.url == feed.url);
        match (feed.present, here) {
            (true, None) => {
                file.add_feed(&feed.url, feed.name.as_deref(), &feed.tags)
                    .map_err(config_error)?;
                applied += 1;
            }
            (true, Some(spec)) => {
                if spec.name != feed.name {
                    file.set_name(&feed.url, feed.name.as_deref())
                        .map_err(config_error)?;
                }
                if spec.tags != feed.tags {
                    file.set_tags(&feed.url, &feed.tags).map_err(config_error)?;
                }
                applied += usize::from(spec.name != feed.name || spec.tags != feed.tags);
            }
            (false, Some(_)) => {
                file.remove_feed(&feed.url).map_err(config_error)?;
                removed.push(feed.url.clone());
                applied += 1;
            }
            (false, None) => {}
        }
    }
    let changed = applied > 0;
    let saved = if changed {
        file.save().map_err(config_error)?
    } else {
        current
    };
    for url in &removed {
        if let Some(id) = store.feed_id(url)? {
            store.remove_feed(id)?;
        }
    }
    // The config as it is now is what this device has written: the changes just made
    // are another device's, not to be written back as this one's.
    if let Ok(text) = serde_json::to_string(&own_feeds(&saved)) {
        store.set_meta(PUBLISHED, &text)?;
    }
    for feed in &pending {
        store.folder_feed_applied(&feed.url)?;
    }
    Ok((changed, applied))
}

/// Rewrites this device's journal as a snapshot of what it still decides (its marks and
/// subscriptions that win), in new files of the next generation; the old ones go.
fn compact(
    folder: &FolderConfig,
    store: &mut Store,
    device: &mut Device,
) -> Result<(), FolderError> {
    let (marks, feeds) = store.folder_own_state(&device.id)?;
    let next = device.generation + 1;
    let mut lines: Vec<Line> = marks
        .into_iter()
        .map(|m| Line::Mark {
            at: m.at,
            device: m.device,
            feed: m.feed,
            item: m.item,
            kind: m.kind,
            value: m.value,
        })
        .collect();
    lines.extend(feeds.into_iter().map(|f| Line::Feed {
        at: f.at,
        device: f.device,
        url: f.url,
        present: f.present,
        name: f.name,
        tags: f.tags,
    }));
    let snapshot = folder.path.join(device.file(next, "snapshot"));
    journal::write_whole(&snapshot, &device.header(), &lines)
        .map_err(|e| io_error(&snapshot, e))?;
    store.set_meta(GENERATION, &next.to_string())?;
    store.set_meta(LINES, "0")?;
    let old = device.generation;
    device.generation = next;
    for ext in ["journal", "snapshot"] {
        let path: PathBuf = folder.path.join(device.file(old, ext));
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!("{}: {e}", path.display());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
