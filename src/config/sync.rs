//! `[sync]`: the aggregator server bulletin syncs with, or the folder it syncs through
//! (`provider = "folder"`, `path`: any folder a file-sync tool carries). A server's
//! password comes from a command (argv, no shell) or an environment variable; a plain
//! `password` key works but is discouraged. Plain `http://` is refused except to this
//! machine unless `allow_insecure_http` says otherwise: the password would cross the
//! network readable.

use serde::Deserialize;
use toml::Spanned;

/// The protocols bulletin speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Fever,
    Greader,
    Folder,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Fever => "fever",
            Provider::Greader => "greader",
            Provider::Folder => "folder",
        }
    }
}

/// `[sync] provider = "folder"`: read state and subscriptions through a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderConfig {
    /// The folder (`~` expanded, relative to the config's folder otherwise).
    pub path: std::path::PathBuf,
    /// This device's readable name in the folder (`device`), else the host's name.
    pub device: Option<String>,
}

/// What `[sync]` names: a server, or a folder.
pub(super) enum SyncTarget {
    Server(SyncConfig),
    Folder(FolderConfig),
}

/// Where the password comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Password {
    Command(Vec<String>),
    Env(String),
    /// Written in the config: allowed, discouraged.
    Plain(String),
}

impl Password {
    /// The password, from wherever the config says; the error names `table`, never the
    /// password.
    pub fn read(&self, table: &str) -> Result<String, String> {
        match self {
            Password::Command(argv) => super::run_password_command(argv),
            Password::Env(name) => match std::env::var(name) {
                Ok(p) if !p.is_empty() => Ok(p),
                _ => Err(format!(
                    "{table} password_env: the environment variable {name} is not set"
                )),
            },
            Password::Plain(p) => Ok(p.clone()),
        }
    }

    /// The server refused it: a command is asked again next time.
    pub fn forget(&self) {
        if let Password::Command(argv) = self {
            super::forget_password(argv);
        }
    }

    /// The one password source a table names (`at` is the table's place, for the error
    /// that it names none).
    pub(super) fn from_keys<E>(
        table: &str,
        at: usize,
        command: Option<Spanned<Vec<String>>>,
        env: Option<Spanned<String>>,
        plain: Option<Spanned<String>>,
        invalid: &impl Fn(usize, String) -> E,
    ) -> Result<Password, E> {
        let mut sources = Vec::new();
        if let Some(argv) = command {
            if argv.get_ref().is_empty() {
                return Err(invalid(
                    argv.span().start,
                    format!("{table} password_command is empty"),
                ));
            }
            sources.push((argv.span().start, Password::Command(argv.into_inner())));
        }
        if let Some(name) = env {
            if name.get_ref().trim().is_empty() {
                return Err(invalid(
                    name.span().start,
                    format!("{table} password_env names no variable"),
                ));
            }
            sources.push((name.span().start, Password::Env(name.into_inner())));
        }
        if let Some(p) = plain {
            sources.push((p.span().start, Password::Plain(p.into_inner())));
        }
        match sources.len() {
            0 => Err(invalid(
                at,
                format!("{table} needs password_command (argv, run without a shell) or password_env (an environment variable)"),
            )),
            1 => Ok(sources.pop().map(|(_, p)| p).unwrap_or(Password::Plain(String::new()))),
            _ => Err(invalid(
                sources[1].0,
                format!("{table} takes one of password_command, password_env and password"),
            )),
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SyncConfig {
    pub provider: Provider,
    pub url: String,
    pub username: String,
    pub password: Password,
}

/// Never the password: a config printed for debugging says only where it comes from.
impl std::fmt::Debug for SyncConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.password {
            Password::Command(argv) => format!("command {:?}", argv.first()),
            Password::Env(name) => format!("env {name}"),
            Password::Plain(_) => "plain".to_string(),
        };
        f.debug_struct("SyncConfig")
            .field("provider", &self.provider)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &source)
            .finish()
    }
}

impl SyncConfig {
    /// The password, from wherever the config says; the error never holds it.
    pub fn password(&self) -> Result<String, String> {
        self.password.read("[sync]")
    }

    /// Which server and account: a cache synced with another starts afresh.
    pub fn account(&self) -> String {
        format!("{} {} {}", self.provider.name(), self.url, self.username)
    }

    pub fn plain_password(&self) -> bool {
        matches!(self.password, Password::Plain(_))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSync {
    provider: Spanned<Provider>,
    url: Option<Spanned<String>>,
    username: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    device: Option<Spanned<String>>,
    #[serde(default)]
    password_command: Option<Spanned<Vec<String>>>,
    password_env: Option<Spanned<String>>,
    password: Option<Spanned<String>>,
    #[serde(default)]
    allow_insecure_http: bool,
}

/// 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        // A scheme the URL standard does not know (imap://) gives its host as text.
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || d.trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

impl RawSync {
    /// Checks the values; `invalid` words an error at an offset of the file, `at` is
    /// the table's own place.
    pub(super) fn read<E>(
        self,
        at: usize,
        dir: &std::path::Path,
        invalid: &impl Fn(usize, String) -> E,
    ) -> Result<SyncTarget, E> {
        let provider = *self.provider.get_ref();
        if provider == Provider::Folder {
            for (key, given) in [
                ("url", self.url.as_ref().map(|v| v.span().start)),
                ("username", self.username.as_ref().map(|v| v.span().start)),
                (
                    "password_command",
                    self.password_command.as_ref().map(|v| v.span().start),
                ),
                (
                    "password_env",
                    self.password_env.as_ref().map(|v| v.span().start),
                ),
                ("password", self.password.as_ref().map(|v| v.span().start)),
            ] {
                if let Some(at) = given {
                    return Err(invalid(
                        at,
                        format!("[sync] {key} is for a server; a folder takes path (and device)"),
                    ));
                }
            }
            let Some(path) = self.path else {
                return Err(invalid(
                    at,
                    "[sync] provider = \"folder\" needs path, the folder to sync through (say \"~/Sync/bulletin\")".into(),
                ));
            };
            if path.get_ref().trim().is_empty() {
                return Err(invalid(path.span().start, "[sync] path is empty".into()));
            }
            let expanded = crate::paths::expand_home(std::path::Path::new(path.get_ref().trim()));
            let path = if expanded.is_absolute() {
                expanded
            } else {
                dir.join(expanded)
            };
            let device = self
                .device
                .map(|d| d.into_inner().trim().to_string())
                .filter(|d| !d.is_empty());
            return Ok(SyncTarget::Folder(FolderConfig { path, device }));
        }
        for (key, given) in [
            ("path", self.path.as_ref().map(|v| v.span().start)),
            ("device", self.device.as_ref().map(|v| v.span().start)),
        ] {
            if let Some(at) = given {
                return Err(invalid(
                    at,
                    format!("[sync] {key} is for provider = \"folder\""),
                ));
            }
        }
        let Some(url) = self.url else {
            return Err(invalid(
                at,
                "[sync] needs url, the server's API address".into(),
            ));
        };
        let Some(username) = self.username else {
            return Err(invalid(at, "[sync] needs username".into()));
        };
        let url_at = url.span().start;
        let raw_url = url.into_inner();
        let url = url::Url::parse(raw_url.trim())
            .map_err(|e| invalid(url_at, format!("[sync] url {raw_url:?} is not a URL: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) || self.allow_insecure_http => {}
            "http" => {
                return Err(invalid(
                    url_at,
                    "[sync] url: plain http:// would send the password readable over the network; use https://, or set allow_insecure_http = true".into(),
                ))
            }
            other => {
                return Err(invalid(
                    url_at,
                    format!("[sync] url: {other}:// is not http:// or https://"),
                ))
            }
        }
        let username_at = username.span().start;
        let username = username.get_ref().trim().to_string();
        if username.is_empty() {
            return Err(invalid(
                username_at,
                "[sync] username must not be empty".into(),
            ));
        }
        let password = Password::from_keys(
            "[sync]",
            at,
            self.password_command,
            self.password_env,
            self.password,
            invalid,
        )?;
        Ok(SyncTarget::Server(SyncConfig {
            provider,
            url: raw_url.trim().to_string(),
            username,
            password,
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    fn parse(sync: &str) -> Result<Config, String> {
        let text = format!("[general]\nrefresh_on_startup = false\n\n[sync]\n{sync}");
        Config::parse(&text, Path::new("config.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn a_sync_table_is_read_and_checked_with_its_line() {
        let c = parse("provider = \"greader\"\nurl = \"https://rss.example/api/greader.php\"\nusername = \"alice\"\npassword_command = [\"pass\", \"show\", \"rss\"]\n").unwrap();
        let sync = c.sync.unwrap();
        assert_eq!(
            sync.account(),
            "greader https://rss.example/api/greader.php alice"
        );
        assert!(!sync.plain_password());

        let err = parse("provider = \"newsblur\"\nurl = \"https://a.example/\"\nusername = \"a\"\npassword_env = \"P\"\n").unwrap_err();
        assert!(err.starts_with("config.toml:5:"), "{err}");
        let err = parse("provider = \"fever\"\nurl = \"http://rss.example/fever/\"\nusername = \"a\"\npassword_env = \"P\"\n").unwrap_err();
        assert!(
            err.starts_with("config.toml:6:") && err.contains("allow_insecure_http"),
            "{err}"
        );
        // Loopback, or said out loud, is fine over http.
        parse("provider = \"fever\"\nurl = \"http://127.0.0.1:8080/fever/\"\nusername = \"a\"\npassword_env = \"P\"\n").unwrap();
        parse("provider = \"fever\"\nurl = \"http://rss.lan/fever/\"\nusername = \"a\"\npassword_env = \"P\"\nallow_insecure_http = true\n").unwrap();
        let err = parse("provider = \"fever\"\nurl = \"https://a.example/\"\nusername = \"a\"\n")
            .unwrap_err();
        assert!(
            err.contains("password_command") && err.starts_with("config.toml:4:"),
            "{err}"
        );
        let err = parse("provider = \"fever\"\nurl = \"https://a.example/\"\nusername = \"a\"\npassword_env = \"P\"\npassword = \"x\"\n").unwrap_err();
        assert!(err.contains("one of"), "{err}");
    }

    #[test]
    fn the_password_is_never_in_debug_output() {
        let c = parse("provider = \"fever\"\nurl = \"https://a.example/\"\nusername = \"a\"\npassword = \"hunter2-secret\"\n").unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2-secret"), "{shown}");
        assert!(c.sync.unwrap().plain_password());
    }
}
