//! The `[general]` and `[reader]` tables: their settings and defaults (the checks that
//! need the file's text, for a line number, stay with the parser).

use serde::Deserialize;
use std::path::PathBuf;

use super::DEFAULT_USER_AGENT;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct General {
    pub refresh_on_startup: bool,
    pub refresh_interval_minutes: u32,
    pub max_concurrent_fetches: u32,
    /// Requests in flight to one host at most (sites ban readers that send dozens).
    pub max_per_host: u32,
    pub timeout_seconds: u32,
    pub user_agent: String,
    pub keep_days: u32,
    pub browser: Vec<String>,
    /// Whether the browser runs in this terminal (w3m, lynx: the TUI steps aside and
    /// waits for it) or opens a window (not waited for). Unset: guessed from its name.
    pub browser_in_terminal: Option<bool>,
    pub max_body_mib: u32,
    /// The longest a server's Retry-After keeps a feed from being fetched.
    pub max_retry_after_minutes: u32,
    /// The order of the feeds in the feed list (within each tag).
    pub feed_list_order: FeedListOrder,
    /// `"tags"`: feeds under their tags' groups (which collapse); `"flat"`: one list.
    pub feed_list: FeedListLayout,
    /// Run after a refresh or sync brings new unread articles (argv, no shell; `%n`,
    /// `%f`, `%t`). Empty: none.
    pub notify_command: Vec<String>,
    /// `"terminal"`: ask the terminal for a desktop notification too; `"off"` (default).
    pub notify: NotifyMode,
    /// Opens an enclosure (argv, `%u` its URL; no shell). Empty: Enter downloads it.
    pub enclosure_command: Vec<String>,
    /// Where downloads go; None: the download folder's `bulletin` folder.
    pub download_dir: Option<PathBuf>,
    /// The largest download, in MiB.
    pub max_download_mib: u32,
    /// Copies of one story in several feeds: grouped by link, id and text (`on`), by
    /// link and id only (`links`), or not at all (`off`).
    pub stories: crate::story::Mode,
}

/// `notify`: off, or a desktop notification through the terminal (OSC 9 / OSC 777).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyMode {
    #[default]
    Off,
    Terminal,
}

/// `feed_list_order`: as in the config, by name, or the most unread first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedListOrder {
    #[default]
    Config,
    Name,
    Unread,
}

/// `feed_list`: feeds grouped under their tags, or one flat list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedListLayout {
    #[default]
    Tags,
    Flat,
}

/// Retry-After is capped at a day whatever the config says: a server's mistake must
/// not silence a feed for longer.
pub const RETRY_AFTER_LIMIT_MINUTES: u32 = 24 * 60;

impl Default for General {
    fn default() -> Self {
        General {
            refresh_on_startup: true,
            refresh_interval_minutes: 60,
            max_concurrent_fetches: 16,
            max_per_host: 2,
            timeout_seconds: 30,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            keep_days: 0,
            browser: Vec::new(),
            browser_in_terminal: None,
            max_body_mib: 32,
            max_retry_after_minutes: 60,
            feed_list_order: FeedListOrder::Config,
            feed_list: FeedListLayout::Tags,
            notify_command: Vec::new(),
            notify: NotifyMode::Off,
            enclosure_command: Vec::new(),
            download_dir: None,
            max_download_mib: 2048,
            stories: crate::story::Mode::On,
        }
    }
}

/// `[reader]`: how articles are laid out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReaderConfig {
    /// The widest a line of text gets; on wider terminals the text is centred.
    pub max_width: u16,
    /// Where `w` saves articles; None: the download folder, else home.
    pub save_dir: Option<PathBuf>,
    /// Links in the reader and the header's URL are terminal hyperlinks (OSC 8).
    pub hyperlinks: bool,
    /// Pictures in the reader: which terminal protocol, or off.
    pub images: ImagesSetting,
    /// A refresh fetches the pictures of `full_text` articles into the picture cache, for
    /// reading offline.
    pub cache_images: bool,
}

/// `[reader] images`: auto picks from the terminal (text placeholders in tmux/screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImagesSetting {
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    Halfblocks,
    Off,
}

impl Default for ReaderConfig {
    fn default() -> Self {
        ReaderConfig {
            max_width: 100,
            save_dir: None,
            hyperlinks: true,
            images: ImagesSetting::Auto,
            cache_images: false,
        }
    }
}
