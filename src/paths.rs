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
}

/// No home directory to put the config or the cache under: the option names what to pass.
#[derive(Debug, thiserror::Error)]
#[error("no home directory: pass {0}")]
pub struct NoHome(&'static str);

impl AppPaths {
    /// `--config` and `--data-dir` override the XDG locations.
    pub fn resolve(config: Option<PathBuf>, data_dir: Option<PathBuf>) -> Result<AppPaths, NoHome> {
        let dirs = ProjectDirs::from("", "", "bulletin");
        let config_explicit = config.is_some();
        let config_file = match config {
            Some(p) => p,
            None => dirs
                .as_ref()
                .map(|d| d.config_dir().join("config.toml"))
                .ok_or(NoHome("--config FILE"))?,
        };
        let log_dir = match (&data_dir, &dirs) {
            (None, Some(d)) => d.state_dir().unwrap_or(d.data_dir()).to_path_buf(),
            (Some(p), _) => p.clone(),
            (None, None) => PathBuf::from("."),
        };
        let data_dir = match data_dir {
            Some(p) => p,
            None => dirs
                .as_ref()
                .map(|d| d.data_dir().to_path_buf())
                .ok_or(NoHome("--data-dir DIR"))?,
        };
        Ok(AppPaths {
            config_file,
            config_explicit,
            data_dir,
            log_dir,
        })
    }

    pub fn db_file(&self) -> PathBuf {
        self.data_dir.join("cache.db")
    }

    pub fn demo_dir(&self) -> PathBuf {
        self.data_dir.join("demo")
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
