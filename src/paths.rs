//! Where bulletin keeps things: config file, cache database, log, demo feeds.

use directories::ProjectDirs;
use std::path::{Path, PathBuf};

/// `~` and `~/...` from the home folder (as a shell would); any other path as it is,
/// and as it is when there is no home folder.
pub fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => path.to_path_buf(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub config_file: PathBuf,
    /// True when `--config` named the file: then a missing file is an error, not the demo.
    pub config_explicit: bool,
    pub data_dir: PathBuf,
    /// Where the log goes: the state dir, or the data dir when `--data-dir` is given.
    pub log_dir: PathBuf,
    /// `--demo`: the built-in demo, whatever the config says.
    pub demo: bool,
}

/// No home directory to put the config or the cache under: the option names what to pass.
#[derive(Debug, thiserror::Error)]
#[error("no home directory: pass {0}")]
pub struct NoHome(&'static str);

/// The platform's folders for bulletin, as `directories` finds them: on Linux the XDG
/// ones, on macOS `~/Library/Application Support/bulletin` for all three, on Windows
/// `%APPDATA%\bulletin\config` and `%LOCALAPPDATA%\bulletin\data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformDirs {
    pub config: PathBuf,
    /// Where the cache goes: the machine's own data folder (on Windows the local one, not
    /// the roaming profile a domain copies at every log-on).
    pub data: PathBuf,
    /// Where the log goes, when the platform has such a folder (XDG_STATE_HOME).
    pub state: Option<PathBuf>,
}

impl PlatformDirs {
    /// This machine's; None without a home folder.
    pub fn here() -> Option<PlatformDirs> {
        let d = ProjectDirs::from("", "", "bulletin")?;
        Some(PlatformDirs {
            config: d.config_dir().to_path_buf(),
            data: d.data_local_dir().to_path_buf(),
            state: d.state_dir().map(Path::to_path_buf),
        })
    }
}

impl AppPaths {
    /// `--config` and `--data-dir` override the platform's folders.
    pub fn resolve(config: Option<PathBuf>, data_dir: Option<PathBuf>) -> Result<AppPaths, NoHome> {
        AppPaths::within(config, data_dir, PlatformDirs::here())
    }

    /// The paths given the platform's folders (`dirs`), for any platform: the logic the
    /// unit tests check with macOS's and Windows's layouts on any machine.
    pub fn within(
        config: Option<PathBuf>,
        data_dir: Option<PathBuf>,
        dirs: Option<PlatformDirs>,
    ) -> Result<AppPaths, NoHome> {
        let config_explicit = config.is_some();
        let config_file = match config {
            Some(p) => p,
            None => dirs
                .as_ref()
                .map(|d| d.config.join("config.toml"))
                .ok_or(NoHome("--config FILE"))?,
        };
        let log_dir = match (&data_dir, &dirs) {
            (None, Some(d)) => d.state.clone().unwrap_or_else(|| d.data.clone()),
            (Some(p), _) => p.clone(),
            (None, None) => PathBuf::from("."),
        };
        let data_dir = match data_dir {
            Some(p) => p,
            None => dirs
                .as_ref()
                .map(|d| d.data.clone())
                .ok_or(NoHome("--data-dir DIR"))?,
        };
        Ok(AppPaths {
            config_file,
            config_explicit,
            data_dir,
            log_dir,
            demo: false,
        })
    }

    pub fn db_file(&self) -> PathBuf {
        self.data_dir.join("cache.db")
    }

    pub fn demo_dir(&self) -> PathBuf {
        self.data_dir.join("demo")
    }

    /// The demo's own paths: its cache beside the user's, never in it.
    pub fn for_demo(&self) -> AppPaths {
        AppPaths {
            data_dir: self.demo_dir(),
            ..self.clone()
        }
    }

    pub fn log_file(&self) -> PathBuf {
        self.log_dir.join("bulletin.log")
    }
}

/// `text` as one word for a POSIX shell: as it is when it has nothing the shell reads
/// specially, else in single quotes (for commands suggested in messages).
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:=@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Says once, on standard error, that a cache is being made where there was none, so a
/// mistyped `--data-dir` is noticed before it fills.
pub fn say_if_new(db: &Path) {
    if !db.exists() {
        let dir = db.parent().unwrap_or(db);
        eprintln!("bulletin: new cache at {}", dir.display());
    }
}

#[cfg(test)]
mod expand_tests {
    use super::expand_home;
    use std::path::Path;

    #[test]
    fn a_tilde_is_the_home_folder_and_nothing_else_changes() {
        let home = directories::BaseDirs::new()
            .unwrap()
            .home_dir()
            .to_path_buf();
        assert_eq!(
            expand_home(Path::new("~/Mail/news")),
            home.join("Mail/news")
        );
        assert_eq!(expand_home(Path::new("~")), home);
        assert_eq!(expand_home(Path::new("/srv/mail")), Path::new("/srv/mail"));
        assert_eq!(expand_home(Path::new("rel/~x")), Path::new("rel/~x"));
        assert_eq!(expand_home(Path::new("~bob/x")), Path::new("~bob/x"));
    }
}

#[cfg(test)]
mod platform_tests {
    use super::*;

    /// macOS: `directories` puts config, data and cache under Application Support, and
    /// has no state folder, so the log goes with the cache.
    #[test]
    fn on_macos_everything_is_under_application_support() {
        let support = PathBuf::from("/Users/ada/Library/Application Support/bulletin");
        let dirs = PlatformDirs {
            config: support.clone(),
            data: support.clone(),
            state: None,
        };
        let p = AppPaths::within(None, None, Some(dirs)).unwrap();
        assert_eq!(p.config_file, support.join("config.toml"));
        assert_eq!(p.db_file(), support.join("cache.db"));
        assert_eq!(p.log_file(), support.join("bulletin.log"));
        assert!(!p.config_explicit);
    }

    /// Windows: the config roams with the profile, the cache stays on the machine.
    #[test]
    fn on_windows_the_config_roams_and_the_cache_stays() {
        let dirs = PlatformDirs {
            config: PathBuf::from(r"C:\Users\ada\AppData\Roaming\bulletin\config"),
            data: PathBuf::from(r"C:\Users\ada\AppData\Local\bulletin\data"),
            state: None,
        };
        let p = AppPaths::within(None, None, Some(dirs.clone())).unwrap();
        assert_eq!(p.config_file, dirs.config.join("config.toml"));
        assert_eq!(p.db_file(), dirs.data.join("cache.db"));
        assert_eq!(p.log_file(), dirs.data.join("bulletin.log"));
    }

    /// Linux: the XDG folders, the log in the state folder.
    #[test]
    fn on_linux_the_log_goes_to_the_state_folder() {
        let dirs = PlatformDirs {
            config: PathBuf::from("/home/ada/.config/bulletin"),
            data: PathBuf::from("/home/ada/.local/share/bulletin"),
            state: Some(PathBuf::from("/home/ada/.local/state/bulletin")),
        };
        let p = AppPaths::within(None, None, Some(dirs)).unwrap();
        assert_eq!(
            p.log_file(),
            Path::new("/home/ada/.local/state/bulletin/bulletin.log")
        );
        assert_eq!(
            p.db_file(),
            Path::new("/home/ada/.local/share/bulletin/cache.db")
        );
    }

    /// The options win on every platform, and without a home folder they are needed.
    #[test]
    fn options_win_and_are_asked_for_without_a_home() {
        let p = AppPaths::within(
            Some(PathBuf::from("c.toml")),
            Some(PathBuf::from("cache")),
            None,
        )
        .unwrap();
        assert!(p.config_explicit);
        assert_eq!(p.db_file(), Path::new("cache/cache.db"));
        assert_eq!(p.log_file(), Path::new("cache/bulletin.log"));
        let e = AppPaths::within(None, Some(PathBuf::from("x")), None).unwrap_err();
        assert_eq!(e.to_string(), "no home directory: pass --config FILE");
    }
}
