//! Per-feed settings in `[[feed]]`: its own refresh interval, keep_days, user agent and
//! timeout, request headers, and HTTP basic auth (`username` and a `password_command`
//! run without a shell; the password is never written anywhere).

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// What a `[[feed]]` sets for itself; None: the `[general]` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOptions {
    pub refresh_interval_minutes: Option<u32>,
    pub keep_days: Option<u32>,
    pub user_agent: Option<String>,
    pub timeout_seconds: Option<u32>,
    /// Extra request headers, in name order.
    pub headers: Vec<(String, String)>,
    pub username: Option<String>,
    /// argv whose first line of output is the password.
    pub password_command: Vec<String>,
    /// Fetch each new article's page during refresh and keep its full text.
    pub full_text: bool,
    /// New articles of this feed are announced (`notify_command`, `notify`).
    pub notify: bool,
    /// Its articles are grouped with their copies in other feeds (`stories = false`:
    /// never).
    pub stories: bool,
    /// A command feed's argv (no shell): its standard output is the feed.
    pub command: Vec<String>,
    /// argv the fetched body is piped through before it is parsed.
    pub filter: Vec<String>,
}

impl FeedOptions {
    /// How its new articles are grouped with copies in other feeds: as `[general]
    /// stories` says, unless the feed says `stories = false`.
    pub fn story_mode(&self, general: crate::story::Mode) -> crate::story::Mode {
        if self.stories {
            general
        } else {
            crate::story::Mode::Off
        }
    }
}

impl Default for FeedOptions {
    fn default() -> Self {
        FeedOptions {
            refresh_interval_minutes: None,
            keep_days: None,
            user_agent: None,
            timeout_seconds: None,
            headers: Vec::new(),
            username: None,
            password_command: Vec::new(),
            full_text: false,
            // A feed is announced unless it says otherwise.
            notify: true,
            stories: true,
            command: Vec::new(),
            filter: Vec::new(),
        }
    }
}

/// The per-feed keys as written, each with its place for errors. (Fields of `RawFeed`
/// itself: serde's flatten would lose `deny_unknown_fields`.)
#[derive(Deserialize, Default)]
pub(super) struct RawFeedOptions {
    pub refresh_interval_minutes: Option<u32>,
    pub keep_days: Option<u32>,
    pub user_agent: Option<Spanned<String>>,
    pub timeout_seconds: Option<Spanned<u32>>,
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    pub username: Option<Spanned<String>>,
    #[serde(default)]
    pub password_command: Vec<String>,
    #[serde(default)]
    pub full_text: bool,
    pub notify: Option<bool>,
    pub stories: Option<bool>,
    #[serde(default)]
    pub command: Vec<String>,
    #[serde(default)]
    pub filter: Vec<String>,
}

/// Headers the client sets itself, or that would change what a fetch means.
const RESERVED: [&str; 6] = [
    "host",
    "content-length",
    "if-none-match",
    "if-modified-since",
    "authorization",
    "connection",
];

fn printable(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii() && !c.is_ascii_control())
}

impl RawFeedOptions {
    /// Checks the values; `invalid` words an error at an offset of the file, `at` is the
    /// feed's own place (for keys that carry none).
    pub(super) fn read<E>(
        self,
        at: usize,
        invalid: &impl Fn(usize, String) -> E,
    ) -> Result<FeedOptions, E> {
        if let Some(ua) = &self.user_agent {
            if !printable(ua.get_ref()) {
                return Err(invalid(
                    ua.span().start,
                    "user_agent must be printable ASCII on one line, not empty".into(),
                ));
            }
        }
        if let Some(t) = &self.timeout_seconds {
            if *t.get_ref() == 0 {
                return Err(invalid(
                    t.span().start,
                    "timeout_seconds must be at least 1".into(),
                ));
            }
        }
        let mut headers = Vec::new();
        for (name, value) in self.headers {
            let token = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
            if !token {
                return Err(invalid(
                    value.span().start,
                    format!("{name:?} is not a header name"),
                ));
            }
            if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
                return Err(invalid(
                    value.span().start,
                    format!("the {name} header is bulletin's to set (use username and password_command for authorization)"),
                ));
            }
            if !printable(value.get_ref()) && !value.get_ref().is_empty() {
                return Err(invalid(
                    value.span().start,
                    format!("the {name} header must be printable ASCII on one line"),
                ));
            }
            headers.push((name, value.into_inner()));
        }
        if let Some(user) = &self.username {
            if self.password_command.is_empty() {
                return Err(invalid(
                    user.span().start,
                    "username needs password_command, the command that prints the password".into(),
                ));
            }
        } else if !self.password_command.is_empty() {
            return Err(invalid(at, "password_command needs username".into()));
        }
        Ok(FeedOptions {
            refresh_interval_minutes: self.refresh_interval_minutes,
            keep_days: self.keep_days,
            user_agent: self.user_agent.map(Spanned::into_inner),
            timeout_seconds: self.timeout_seconds.map(Spanned::into_inner),
            headers,
            username: self.username.map(Spanned::into_inner),
            password_command: self.password_command,
            full_text: self.full_text,
            notify: self.notify.unwrap_or(true),
            stories: self.stories.unwrap_or(true),
            command: self.command,
            filter: self.filter,
        })
    }
}
