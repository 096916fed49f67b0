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
mod compact;
mod feeds;
pub mod journal;
mod own;
mod pull;

use crate::config::{Config, FolderConfig};
use crate::store::{FolderMark, Store, StoreError};
use clock::{Clock, Stamp};
use journal::{Line, FORMAT};
use std::path::Path;

/// Own journal lines past which it is compacted into a snapshot.
#[cfg(not(test))]
const COMPACT_AT: u64 = 100_000;
#[cfg(test)]
const COMPACT_AT: u64 = 20;

const CLOCK: &str = "sync.folder.clock";
const GENERATION: &str = "sync.folder.generation";
const LINES: &str = "sync.folder.lines";
const PUBLISHED: &str = "sync.folder.feeds";
/// Where the cache was when it took this device id.
const HOME: &str = "sync.folder.home";
/// The feeds whose marks the folder's state holds (those of others were skipped).
const READ_FOR: &str = "sync.folder.read_for";

#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// Named by the caller's line ("sync with PATH: ..."), so not again here.
    #[error("the folder is not there (not mounted, or not made yet: make it, or fix [sync] path)")]
    Missing(String),
    #[error("[sync] path {0} is a file, not a folder")]
    NotAFolder(String),
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

/// What a sync counted: subscriptions in the folder, marks written, articles and feeds
/// changed here by other devices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub feeds: usize,
    pub pushed: usize,
    pub pulled: usize,
}

/// What a sync did, and whether it changed the config file (the caller reloads it).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub summary: Counts,
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
        let mut id = match store.folder_device()? {
            Some(id) => id,
            None => {
                let id = new_device_id(store);
                store.folder_join(&id)?;
                // Whoever joined first (another process) has the id that counts.
                store.folder_device()?.unwrap_or(id)
            }
        };
        // A cache copied to another place or machine (a backup restored on a second
        // one, even at the same path) is another device: the machine's identity
        // (`/etc/machine-id`, else its name) and the cache's path are the device's home.
        let machine = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(host_name);
        let home = store
            .path()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .map(|p| format!("{machine} {}", p.display()));
        if let Some(home) = home {
            match store.meta(HOME)? {
                Some(known) if known != home => {
                    id = new_device_id(store);
                    tracing::warn!("the cache moved ({known} -> {home}): this is device {id} now");
                    store.set_meta("sync.folder.device", &id)?;
                    store.set_meta(GENERATION, "1")?;
                    store.set_meta(LINES, "0")?;
                    store.set_meta(HOME, &home)?;
                }
                Some(_) => {}
                None => store.set_meta(HOME, &home)?,
            }
        }
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
        Ok(_) => Err(FolderError::NotAFolder(folder.path.display().to_string())),
        Err(_) => Err(FolderError::Missing(folder.path.display().to_string())),
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
    let mut summary = Counts::default();
    // This device's own files first, put back if the folder lost them.
    own::restore(folder, store, &device)?;
    let joining = store.meta(PUBLISHED)?.is_none();
    // The config file as it is now, read once: it is what this device says, whatever
    // config a long-running process holds (a TUI's may be older than an edit a command
    // made since). None without a file, or one that does not load now (no feed change
    // is written then).
    let disk = config.path.as_deref().and_then(|p| Config::load(p).ok());
    summary.pushed = write_out(folder, disk.as_ref(), store, &mut device, false)?;
    summary.pulled = read_for(folder, disk.as_ref().unwrap_or(config), store, &mut device)?;
    summary.pulled += store.folder_apply_arrived()?;
    let (changed, feeds_applied) = feeds::apply(config, store)?;
    summary.pulled += feeds_applied;
    // Feeds from another device are in the config now: their marks are read too.
    if let Some(now) = changed.as_ref() {
        summary.pulled += read_for(folder, now, store, &mut device)?;
    }
    if joining {
        // The folder's subscriptions are in the config: this device's own go out now.
        write_out(
            folder,
            changed.as_ref().or(disk.as_ref()),
            store,
            &mut device,
            true,
        )?;
    }
    let changed = changed.is_some();
    if store
        .meta(LINES)?
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0)
        > COMPACT_AT
    {
        compact::compact(folder, store, &mut device)?;
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

/// Reads the folder for the feeds `config` (the file's, as it is now) has. Marks of other feeds are skipped (a
/// device following a few feeds pays nothing for the rest of a big folder); when feeds
/// come that the marks read so far did not cover, the folder is read again from the
/// start, once.
fn read_for(
    folder: &FolderConfig,
    config: &Config,
    store: &mut Store,
    device: &mut Device,
) -> Result<usize, FolderError> {
    let source = config;
    let mut relevant: std::collections::BTreeSet<&str> =
        source.feeds.iter().map(|f| f.url.as_str()).collect();
    if !source.mailboxes.is_empty() {
        relevant.insert(crate::store::MAIL_FEED);
    }
    let covered: std::collections::BTreeSet<String> = store
        .meta(READ_FOR)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    if relevant.iter().any(|u| !covered.contains(*u)) {
        // A feed whose marks were skipped so far: everything is read again.
        store.folder_set_offsets(&Default::default())?;
    }
    // Exactly the feeds read for now: one that goes and comes back is read again.
    if let Ok(text) = serde_json::to_string(&relevant) {
        store.set_meta(READ_FOR, &text)?;
    }
    let relevant: std::collections::HashSet<&str> = relevant.into_iter().collect();
    pull::read_in(folder, store, device, &relevant)
}

/// Writes the marks made here to the journal, no more (a few seconds after a mark).
pub fn push_marks(folder: &FolderConfig, store: &mut Store) -> Result<usize, FolderError> {
    if store.folder_device()?.is_some() && store.folder_queue_len()? == 0 {
        return Ok(0);
    }
    check(folder)?;
    let mut device = Device::of(folder, store)?;
    own::restore(folder, store, &device)?;
    let sent = write_out(folder, None, store, &mut device, false)?;
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

/// After articles arrived: the folder's marks made before they were here are applied
/// to them (every article since the last time, so a refresh cut short is caught up).
pub fn apply_arrived(store: &mut Store) -> Result<usize, StoreError> {
    if store.folder_device()?.is_none() {
        return Ok(0);
    }
    store.folder_apply_arrived()
}

/// The queued marks and the config's changed subscriptions, stamped and appended to
/// this device's journal; unqueued once on disk. Returns the marks written.
fn write_out(
    folder: &FolderConfig,
    config: Option<&Config>,
    store: &mut Store,
    device: &mut Device,
    first_join: bool,
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
        Some(config) if first_join => feeds::first_join(config, store, device)?,
        Some(config) => feeds::changes(config, store, device)?,
        None => (Vec::new(), None),
    };
    if marks.is_empty() && feeds.is_empty() {
        if !queued.is_empty() {
            store.folder_unqueue(&queued.iter().map(|m| m.seq).collect::<Vec<_>>())?;
        }
        if let Some(published) = published {
            store.set_meta(PUBLISHED, &published)?;
        }
        return Ok(0);
    }
    let lines: Vec<Line> = marks
        .iter()
        .map(Line::from)
        .chain(feeds.iter().map(Line::from))
        .collect();
    own::append(folder, store, device, &lines)?;
    // The stamps are out: the clock is kept at once, whatever happens after.
    store.set_meta(CLOCK, &device.clock.last().to_meta())?;
    // On disk: now the queue may let them go, and the state knows them.
    let up_to = queued.iter().map(|m| m.seq).max().unwrap_or(0);
    store.folder_merge_marks(&marks, Some(up_to))?;
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

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
