//! The TOML config: `[general]` settings and the `[[feed]]` subscriptions.
//!
//! Every mistake is refused with `file:line:column` and what was expected; no key the user
//! wrote is ever replaced by a silent default.

use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use toml::Spanned;
use url::Url;

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
    /// Where it was read from; None for the built-in defaults.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct General {
    pub refresh_on_startup: bool,
    pub refresh_interval_minutes: u32,
    pub max_concurrent_fetches: u32,
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
            timeout_seconds: 30,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            keep_days: 0,
            browser: Vec::new(),
            browser_in_terminal: None,
            max_body_mib: 32,
            max_retry_after_minutes: 60,
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
}

impl Default for ReaderConfig {
    fn default() -> Self {
        ReaderConfig {
            max_width: 100,
            save_dir: None,
        }
    }
}

/// One subscription, with its URL in canonical form (plain paths become `file://` URLs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    general: General,
    #[serde(default, rename = "feed")]
    feeds: Vec<RawFeed>,
    #[serde(default)]
    keys: std::collections::BTreeMap<String, Spanned<KeyList>>,
    #[serde(default)]
    theme: RawTheme,
    #[serde(default)]
    reader: ReaderConfig,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// Colours by role: a name (`red`, `lightblue`, `darkgray`, `reset`) or `#rrggbb`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeConfig {
    /// `dark` (the default) or `light`.
    pub preset: Preset,
    pub colors: Vec<(Role, Color)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    #[default]
    Dark,
    Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Selection,
    Unread,
    Read,
    Error,
    Border,
    Header,
    Link,
}

/// A terminal colour: one of the 16 palette names, an RGB value, or the terminal default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Reset,
    /// Palette index 0-15.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

const COLOR_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

impl Color {
    pub fn parse(s: &str) -> Result<Color, String> {
        let lower = s.trim().to_ascii_lowercase().replace(['_', '-', ' '], "");
        if lower == "reset" || lower == "default" {
            return Ok(Color::Reset);
        }
        if let Some(hex) = lower.strip_prefix('#') {
            if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
                return Ok(Color::Rgb(byte(0), byte(2), byte(4)));
            }
        }
        let lower = if lower == "grey" {
            "gray".to_string()
        } else {
            lower.replace("grey", "gray")
        };
        COLOR_NAMES
            .iter()
            .position(|n| *n == lower)
            .map(|i| Color::Indexed(i as u8))
            .ok_or_else(|| {
                format!(
                    "unknown colour {s:?}: use a name such as red, lightblue, darkgray, or #rrggbb"
                )
            })
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    preset: Option<Preset>,
    selection: Option<Spanned<String>>,
    unread: Option<Spanned<String>>,
    read: Option<Spanned<String>>,
    error: Option<Spanned<String>>,
    border: Option<Spanned<String>>,
    header: Option<Spanned<String>>,
    link: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Config::parse(&text, path)
    }

    /// The config for these paths: a missing file at the default location means no
    /// config (None: the TUI shows its demo); a missing file named with --config is an
    /// error.
    pub fn load_for(paths: &crate::paths::AppPaths) -> Result<Option<Config>, ConfigError> {
        if !paths.config_explicit && !paths.config_file.exists() {
            return Ok(None);
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
            invalid(offset, e.message().trim().to_string())
        })?;
        if raw.general.max_concurrent_fetches == 0 {
            return Err(invalid(
                key_offset(text, "general", "max_concurrent_fetches"),
                "max_concurrent_fetches must be at least 1".into(),
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
            let offset = feed.url.span().start;
            let url = canonical_url(feed.url.get_ref(), dir).map_err(|m| invalid(offset, m))?;
            if !seen.insert(url.clone()) {
                return Err(invalid(offset, format!("duplicate feed URL {url}")));
            }
            feeds.push(FeedSpec {
                url,
                name: feed.name.filter(|n| !n.trim().is_empty()),
                tags: feed.tags,
            });
        }
        let mut keys = Vec::new();
        for (action, list) in raw.keys {
            let offset = list.span().start;
            let names = match list.into_inner() {
                KeyList::One(k) => vec![k],
                KeyList::Many(ks) => ks,
            };
            keys.push(crate::keys::parse_binding(&action, &names).map_err(|m| invalid(offset, m))?);
        }
        let t = raw.theme;
        let mut colors = Vec::new();
        for (role, value) in [
            (Role::Selection, t.selection),
            (Role::Unread, t.unread),
            (Role::Read, t.read),
            (Role::Error, t.error),
            (Role::Border, t.border),
            (Role::Header, t.header),
            (Role::Link, t.link),
        ] {
            if let Some(v) = value {
                let color = Color::parse(v.get_ref()).map_err(|m| invalid(v.span().start, m))?;
                colors.push((role, color));
            }
        }
        Ok(Config {
            general: raw.general,
            feeds,
            keys,
            theme: ThemeConfig {
                preset: t.preset.unwrap_or_default(),
                colors,
            },
            reader: raw.reader,
            path: Some(path.to_path_buf()),
        })
    }

    /// The browser argv: config, else `$BROWSER`, else xdg-open. `%u` marks the URL.
    pub fn browser_argv(&self) -> Vec<String> {
        if !self.general.browser.is_empty() {
            return self.general.browser.clone();
        }
        match std::env::var("BROWSER") {
            Ok(b) if !b.trim().is_empty() => b.split_whitespace().map(str::to_string).collect(),
            _ => vec!["xdg-open".into()],
        }
    }
}

/// http/https URLs as parsed, `file://` URLs as given, plain paths made absolute.
pub fn canonical_url(raw: &str, base_dir: &Path) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("expected a feed URL, found an empty string".into());
    }
    if let Ok(url) = Url::parse(raw) {
        return match url.scheme() {
            "http" | "https" if url.host().is_some() => Ok(url.to_string()),
            "file" => Ok(url.to_string()),
            "http" | "https" => Err(format!("invalid URL {raw:?}: no host")),
            other => Err(format!(
                "unsupported URL scheme {other:?} in {raw:?} (expected http, https, file:// or a path)"
            )),
        };
    }
    if raw.contains("://") {
        return Err(format!("invalid URL {raw:?}"));
    }
    let expanded = match raw.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new()
            .map(|b| b.home_dir().join(rest))
            .unwrap_or_else(|| PathBuf::from(raw)),
        None => PathBuf::from(raw),
    };
    let absolute = if expanded.is_absolute() {
        expanded
    } else {
        base_dir.join(expanded)
    };
    let absolute = std::path::absolute(&absolute).unwrap_or(absolute);
    Url::from_file_path(&absolute)
        .map(|u| u.to_string())
        .map_err(|_| format!("invalid path {raw:?}"))
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map(|i| offset - i).unwrap_or(offset + 1);
    (line, column)
}

/// Where `[table] key = value` has its value, for errors found after deserializing.
fn key_offset(text: &str, table: &str, key: &str) -> usize {
    toml_edit::Document::parse(text)
        .ok()
        .and_then(|doc| doc.get(table)?.get(key)?.span())
        .map(|span| span.start)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/cfg/config.toml"))
    }

    #[test]
    fn unknown_key_names_line() {
        let err = parse("[general]\nrefresh_on_startup = true\nbogus = 1\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("/cfg/config.toml:3:1:"), "{msg}");
        assert!(msg.contains("bogus"), "{msg}");
    }

    #[test]
    fn wrong_type_is_refused() {
        let msg = parse("[general]\ntimeout_seconds = \"ten\"\n")
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("/cfg/config.toml:2:"), "{msg}");
    }

    #[test]
    fn duplicate_feed_is_refused() {
        let text =
            "[[feed]]\nurl = \"https://a.example/x\"\n[[feed]]\nurl = \"https://a.example/x\"\n";
        let msg = parse(text).unwrap_err().to_string();
        assert!(msg.contains(":4:") && msg.contains("duplicate"), "{msg}");
    }

    #[test]
    fn bad_scheme_is_refused() {
        let msg = parse("[[feed]]\nurl = \"gopher://x/\"\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains(":2:") && msg.contains("gopher"), "{msg}");
    }

    #[test]
    fn relative_paths_become_file_urls() {
        let cfg = parse("[[feed]]\nurl = \"feeds/a.xml\"\ntags = [\"x\"]\n").unwrap();
        assert_eq!(cfg.feeds[0].url, "file:///cfg/feeds/a.xml");
        assert_eq!(cfg.feeds[0].tags, vec!["x".to_string()]);
    }

    #[test]
    fn zero_fetches_points_at_the_value() {
        let text =
            "# max_concurrent_fetches is how many at once\n[general]\nmax_concurrent_fetches = 0\n";
        let msg = parse(text).unwrap_err().to_string();
        assert!(msg.starts_with("/cfg/config.toml:3:26:"), "{msg}");
    }

    #[test]
    fn the_example_config_is_valid_and_documents_the_defaults() {
        let text = include_str!("../config.example.toml");
        let cfg = Config::parse(text, Path::new("/cfg/config.example.toml")).unwrap();
        assert_eq!(cfg.general, General::default());
        assert_eq!(cfg.feeds.len(), 3);
        assert!(!cfg.keys.is_empty() && !cfg.theme.colors.is_empty());
    }

    #[test]
    fn keys_and_theme() {
        let cfg = parse("[keys]\nnext_unread = [\"n\", \"Ctrl-n\"]\nquit = \"Q\"\n[theme]\npreset = \"light\"\nlink = \"#0000ff\"\n").unwrap();
        assert_eq!(cfg.keys.len(), 2);
        assert_eq!(cfg.theme.preset, Preset::Light);
        assert_eq!(cfg.theme.colors, vec![(Role::Link, Color::Rgb(0, 0, 255))]);
        let msg = parse("[keys]\nfly = \"x\"\n").unwrap_err().to_string();
        assert!(
            msg.contains(":2:") && msg.contains("unknown action"),
            "{msg}"
        );
        let msg = parse("[keys]\nquit = [\"q\", \"Hyper-q\"]\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains(":2:") && msg.contains("unknown key"), "{msg}");
        let msg = parse("[theme]\n\nborder = \"chartreuse\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains(":3:") && msg.contains("unknown colour"),
            "{msg}"
        );
        let msg = parse("[theme]\npreset = \"neon\"\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains(":2:"), "{msg}");
    }

    #[test]
    fn defaults_apply_to_missing_keys() {
        let cfg = parse("").unwrap();
        assert_eq!(cfg.general, General::default());
    }
}
