//! The TOML config: `[general]` settings and the `[[feed]]` subscriptions.
//!
//! Every mistake is refused with `file:line:column` and what was expected; no key the user
//! wrote is ever replaced by a silent default.

use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod addresses;
mod edit;
mod example;
mod feed_options;
mod mailbox;
mod messages;
mod replace;
mod searches;
mod secret;
mod sections;
mod sync;
#[cfg(test)]
mod tests;
mod theme;

pub use addresses::{canonical_url, command_identity, system_opener, EXEC_PREFIX};
pub use edit::{push_table, ConfigFile, EditError};
pub use example::{init_text, EXAMPLE_CONFIG};
pub use feed_options::FeedOptions;
pub use mailbox::{ImapAccount, MailSource, MailboxConfig};
pub use replace::write as replace_file;
pub use searches::{FilterAction, FilterRule, SavedQuery};
pub use secret::{detach_password_commands, forget_password, run_password_command};
pub use sections::{
    FeedListLayout, FeedListOrder, General, ImagesSetting, NotifyMode, ReaderConfig,
    RETRY_AFTER_LIMIT_MINUTES,
};
pub use sync::{is_loopback, FolderConfig, Password, Provider, SyncConfig};

use theme::RawTheme;
pub use theme::{Color, Preset, Role, ThemeConfig, COLOR_NAMES};

pub const DEFAULT_USER_AGENT: &str = concat!("bulletin/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub general: General,
    pub feeds: Vec<FeedSpec>,
    /// `[keys]`: action name to key names, validated.
    pub keys: Vec<crate::keys::Binding>,
    pub theme: ThemeConfig,
    pub reader: ReaderConfig,
    /// `[[query]]`: saved searches listed as feeds.
    pub queries: Vec<SavedQuery>,
    /// `[[filter]]`: rules run on each new article.
    pub filters: Vec<FilterRule>,
    /// `[sync]`: the aggregator server to sync with, if any.
    pub sync: Option<SyncConfig>,
    /// `[sync] provider = "folder"`: the folder read state travels through, if any.
    pub folder: Option<FolderConfig>,
    /// `[[mailbox]]`: where email newsletters come from.
    pub mailboxes: Vec<MailboxConfig>,
    /// Where it was read from; None for the built-in defaults.
    pub path: Option<PathBuf>,
    /// The file's time and length as it was read: a running TUI tells by them that the
    /// file changed since (tui/config_watch.rs).
    pub stamp: FileStamp,
}

/// Where a config stops being UTF-8 (a file saved in Latin-1, say): its line and column.
fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error) -> ConfigError {
    // Counted in the valid part, as a parse error's place is.
    let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
    let (line, column) = line_column(good, good.len());
    ConfigError::Invalid {
        path: path.display().to_string(),
        line,
        column,
        message: format!(
            "not UTF-8 text (byte 0x{:02X}): save the file as UTF-8",
            bytes[e.valid_up_to()]
        ),
    }
}

/// What tells one version of a file from the next: its modification time, its length
/// and, where the system has them, its inode and change time. A save by rename (an
/// editor's, `bulletin add`'s) makes a new inode, and the change time moves on every
/// write, so a save that keeps the length within the modification time's resolution
/// (or sets the time back, as `touch -r` or a restore does) is still told apart.
/// None when the file cannot be read.
pub type FileStamp = Option<(std::time::SystemTime, u64, u64, i64, i64)>;

pub fn file_stamp(path: &Path) -> FileStamp {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (inode, ctime, ctime_ns) = {
        use std::os::unix::fs::MetadataExt;
        (meta.ino(), meta.ctime(), meta.ctime_nsec())
    };
    #[cfg(not(unix))]
    let (inode, ctime, ctime_ns) = (0, 0, 0);
    Some((meta.modified().ok()?, meta.len(), inode, ctime, ctime_ns))
}

/// One subscription, with its URL in canonical form (plain paths become `file://` URLs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// What the feed sets for itself (interval, keep_days, user agent, timeout, headers,
    /// basic auth).
    pub options: FeedOptions,
    /// `hidden = true` (newsboat's `!`): left out of the feed list; its articles are
    /// still searched, filtered and shown in saved searches.
    pub hidden: bool,
    /// Set when the sync server brings this feed (`[sync]`): then the server fetches
    /// it, not bulletin.
    pub remote: Option<Remote>,
    /// Set for a newsletter read from this `[[mailbox]]` (by name): its messages come
    /// from the mailbox, never over HTTP.
    pub mailbox: Option<String>,
}

/// A feed as the sync server knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// The server's id for the feed.
    pub id: String,
    /// The config lists it too (it keeps the config's name and tags).
    pub configured: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    general: General,
    #[serde(default, rename = "feed")]
    feeds: Vec<Spanned<RawFeed>>,
    #[serde(default)]
    keys: std::collections::BTreeMap<String, Spanned<KeyList>>,
    #[serde(default)]
    theme: RawTheme,
    #[serde(default)]
    reader: ReaderConfig,
    #[serde(default, rename = "query")]
    queries: Vec<searches::RawQuery>,
    #[serde(default, rename = "filter")]
    filters: Vec<searches::RawFilter>,
    sync: Option<sync::RawSync>,
    #[serde(default, rename = "mailbox")]
    mailboxes: Vec<mailbox::RawMailbox>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Option<Spanned<String>>,
    /// A command feed: its standard output is the feed.
    command: Option<Spanned<Vec<String>>>,
    /// A command the fetched body is piped through before it is parsed.
    filter: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    hidden: bool,
    name: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    refresh_interval_minutes: Option<u32>,
    keep_days: Option<u32>,
    user_agent: Option<Spanned<String>>,
    timeout_seconds: Option<Spanned<u32>>,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, Spanned<String>>,
    username: Option<Spanned<String>>,
    #[serde(default)]
    password_command: Vec<String>,
    #[serde(default)]
    full_text: bool,
    notify: Option<bool>,
    stories: Option<bool>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        // Taken before the read: a change made while reading shows as a change.
        let stamp = file_stamp(path);
        let bytes = std::fs::read(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let text =
            String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))?;
        Ok(Config {
            stamp,
            ..Config::parse(&text, path)?
        })
    }

    /// The config for these paths: a missing file at the default location means no
    /// config (None: the TUI shows its demo); a missing file named with --config is an
    /// error.
    pub fn load_for(paths: &crate::paths::AppPaths) -> Result<Option<Config>, ConfigError> {
        if !paths.config_explicit && !paths.config_file.exists() {
            return Ok(None);
        }
        if !paths.config_file.exists() && paths.config_file.parent().is_some() {
            let path = paths.config_file.display().to_string();
            return Err(ConfigError::Read {
                reason: format!(
                    "no such file; `bulletin init --config {}` writes one",
                    crate::paths::shell_word(&path)
                ),
                path,
            });
        }
        Config::load(&paths.config_file).map(Some)
    }

    /// Parses config text; `path` names the file in errors and anchors relative feed paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let invalid = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            ConfigError::Invalid {
                path: shown.clone(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            invalid(offset, messages::plain(e.message().trim()))
        })?;
        if raw.general.max_concurrent_fetches == 0 {
            return Err(invalid(
                key_offset(text, "general", "max_concurrent_fetches"),
                "max_concurrent_fetches must be at least 1".into(),
            ));
        }
        if raw.general.max_per_host == 0 {
            return Err(invalid(
                key_offset(text, "general", "max_per_host"),
                "max_per_host must be at least 1".into(),
            ));
        }
        if raw.reader.max_width < 20 {
            return Err(invalid(
                key_offset(text, "reader", "max_width"),
                "max_width must be at least 20 columns".into(),
            ));
        }
        if raw.general.max_retry_after_minutes > RETRY_AFTER_LIMIT_MINUTES {
            return Err(invalid(
                key_offset(text, "general", "max_retry_after_minutes"),
                format!(
                    "max_retry_after_minutes must be at most {RETRY_AFTER_LIMIT_MINUTES} (a day)"
                ),
            ));
        }
        if let Some(bad) = raw
            .general
            .user_agent
            .chars()
            .find(|c| c.is_control() || !c.is_ascii())
        {
            return Err(invalid(
                key_offset(text, "general", "user_agent"),
                format!(
                    "user_agent must be printable ASCII on one line (found {:?})",
                    bad
                ),
            ));
        }
        if raw.general.user_agent.trim().is_empty() {
            return Err(invalid(
                key_offset(text, "general", "user_agent"),
                "user_agent must not be empty".into(),
            ));
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut seen = HashSet::new();
        let mut feeds = Vec::with_capacity(raw.feeds.len());
        for feed in raw.feeds {
            let table_at = feed.span().start;
            let feed = feed.into_inner();
            let (url, offset) = match (&feed.url, &feed.command) {
                (Some(url), None) => (
                    canonical_url(url.get_ref(), dir).map_err(|m| invalid(url.span().start, m))?,
                    url.span().start,
                ),
                (None, Some(command)) => (
                    command_identity(command.get_ref())
                        .map_err(|m| invalid(command.span().start, m))?,
                    command.span().start,
                ),
                (Some(_), Some(command)) => {
                    return Err(invalid(
                        command.span().start,
                        "a [[feed]] has a url or a command, not both".into(),
                    ))
                }
                (None, None) => {
                    return Err(invalid(
                        table_at,
                        "a [[feed]] needs a url (or a command whose output is the feed)".into(),
                    ))
                }
            };
            if !seen.insert(url.clone()) {
                return Err(invalid(offset, format!("duplicate feed URL {url}")));
            }
            let filter = match feed.filter {
                Some(f) if f.get_ref().first().is_none_or(|p| p.trim().is_empty()) => {
                    return Err(invalid(
                        f.span().start,
                        "filter is a command: [\"program\", \"argument\", ...]".into(),
                    ))
                }
                Some(f) => f.into_inner(),
                None => Vec::new(),
            };
            let options = feed_options::RawFeedOptions {
                refresh_interval_minutes: feed.refresh_interval_minutes,
                keep_days: feed.keep_days,
                user_agent: feed.user_agent,
                timeout_seconds: feed.timeout_seconds,
                headers: feed.headers,
                username: feed.username,
                password_command: feed.password_command,
                full_text: feed.full_text,
                notify: feed.notify,
                stories: feed.stories,
                command: feed.command.map(Spanned::into_inner).unwrap_or_default(),
                filter,
            }
            .read(offset, &invalid)?;
            feeds.push(FeedSpec {
                url,
                // Text from the config reaches the terminal as feed text does: through
                // the sanitiser (a tag or a name with ESC or OSC bytes is shown clean).
                name: feed
                    .name
                    .map(|n| crate::sanitize::clean_line(&n))
                    .filter(|n| !n.trim().is_empty()),
                tags: feed
                    .tags
                    .iter()
                    .map(|t| crate::sanitize::clean_line(t))
                    .filter(|t| !t.is_empty())
                    .collect(),
                options,
                hidden: feed.hidden,
                remote: None,
                mailbox: None,
            });
        }
        // The preset first, the config's own bindings over it.
        let mut preset = crate::keys::Preset::default();
        let mut own = Vec::new();
        for (action, list) in raw.keys {
            let offset = list.span().start;
            let names = match list.into_inner() {
                KeyList::One(k) => vec![k],
                KeyList::Many(ks) => ks,
            };
            if action == "preset" {
                let [name] = names.as_slice() else {
                    return Err(invalid(offset, "preset is one name: \"newsboat\"".into()));
                };
                preset = crate::keys::Preset::parse(name).map_err(|m| invalid(offset, m))?;
                continue;
            }
            own.push(crate::keys::parse_binding(&action, &names).map_err(|m| invalid(offset, m))?);
        }
        let mut keys = crate::keys::preset_bindings(preset);
        keys.extend(own);
        let theme = raw.theme.read(invalid)?;
        let feed_names: Vec<String> = feeds.iter().filter_map(|f| f.name.clone()).collect();
        let queries = searches::read_queries(text, raw.queries, &feed_names, &invalid)?;
        let filters = searches::read_filters(text, raw.filters, &invalid)?;
        let (sync, folder) = match raw.sync {
            Some(s) => match s.read(table_offset(text, "sync"), dir, &invalid)? {
                sync::SyncTarget::Server(server) => (Some(server), None),
                sync::SyncTarget::Folder(folder) => (None, Some(folder)),
            },
            None => (None, None),
        };
        let mut mailboxes: Vec<MailboxConfig> = Vec::with_capacity(raw.mailboxes.len());
        for raw_box in raw.mailboxes {
            let at = raw_box.name_at();
            let mailbox = raw_box.read(dir, &invalid)?;
            if mailboxes.iter().any(|m| m.name == mailbox.name) {
                return Err(invalid(
                    at,
                    format!("duplicate mailbox name {:?}", mailbox.name),
                ));
            }
            mailboxes.push(mailbox);
        }
        Ok(Config {
            sync,
            folder,
            mailboxes,
            queries,
            filters,
            general: raw.general,
            feeds,
            keys,
            theme,
            reader: raw.reader,
            path: Some(path.to_path_buf()),
            stamp: None,
        })
    }

    /// The URLs of the feeds the config file lists (not those only the sync server
    /// brings).
    pub fn own_feed_urls(&self) -> Vec<&str> {
        self.feeds
            .iter()
            .filter(|f| f.remote.as_ref().is_none_or(|r| r.configured))
            .map(|f| f.url.as_str())
            .collect()
    }

    /// Whether a mailbox's mail may load pictures from the web; a mailbox no longer in
    /// the config may not.
    pub fn remote_images_allowed(&self, mailbox: &str) -> bool {
        self.mailboxes
            .iter()
            .any(|m| m.name == mailbox && m.remote_images)
    }

    /// The browser argv: config, else `$BROWSER`, else the platform's opener. `%u` marks
    /// the URL.
    pub fn browser_argv(&self) -> Vec<String> {
        if !self.general.browser.is_empty() {
            return self.general.browser.clone();
        }
        match std::env::var("BROWSER") {
            Ok(b) if !b.trim().is_empty() => b.split_whitespace().map(str::to_string).collect(),
            _ => system_opener(std::env::consts::OS)
                .iter()
                .map(|a| a.to_string())
                .collect(),
        }
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map(|i| offset - i).unwrap_or(offset + 1);
    (line, column)
}

/// Where `[table] key = value` has its value, for errors found after deserializing.
/// Where a table starts, for errors about the table as a whole.
fn table_offset(text: &str, table: &str) -> usize {
    text.find(&format!("[{table}]")).unwrap_or(0)
}

fn key_offset(text: &str, table: &str, key: &str) -> usize {
    toml_edit::Document::parse(text)
        .ok()
        .and_then(|doc| doc.get(table)?.get(key)?.span())
        .map(|span| span.start)
        .unwrap_or(0)
}
