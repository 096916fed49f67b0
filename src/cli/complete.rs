//! Shell completion that knows the user's feeds: the script `bulletin completions SHELL`
//! prints calls bulletin back as the user types (clap's `COMPLETE=SHELL` protocol), and
//! the names of feeds and saved searches come from the config and the cache as they are
//! now, not as they were when the script was written.

use crate::config::Config;
use crate::paths::AppPaths;
use clap_complete::env::EnvCompleter;
use clap_complete::CompletionCandidate;
use std::ffi::OsStr;
use std::path::PathBuf;

/// The environment variable that turns a run into a completion request.
pub const VAR: &str = "COMPLETE";

/// The script to source for `shell`. It runs `bulletin` from the PATH (not this
/// binary's path: a packager writes the script at build time, somewhere else).
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &clap_complete::env::Bash,
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::Elvish => &clap_complete::env::Elvish,
        clap_complete::Shell::PowerShell => &clap_complete::env::Powershell,
        _ => &clap_complete::env::Bash,
    };
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = completer.write_registration(VAR, "bulletin", "bulletin", "bulletin", &mut out);
    out
}

/// Feed names (as the lists show them) and saved-search names that start with what is
/// typed, in any case. Nothing when there is no config: completion never fails loudly.
pub fn feed_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    // Bash hands over the word as typed: a quote opened, spaces escaped.
    let quote = typed.chars().next().filter(|c| *c == '\'' || *c == '"');
    let bare: String = unescape(typed.trim_start_matches(['\'', '"']));
    let bash = std::env::var_os("_CLAP_COMPLETE_COMP_TYPE").is_some();
    let mut names = known_names();
    names.retain(|n| n.to_lowercase().starts_with(&bare.to_lowercase()));
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let shown = match (bash, quote) {
                (false, _) => name.clone(),
                (true, Some(q)) => format!("{q}{name}{q}"),
                (true, None) => escape(&name),
            };
            CompletionCandidate::new(shown)
        })
        .collect()
}

/// The names a `--feed` or a feed argument takes, from the config the command line
/// being completed names (`--config FILE`, else $BULLETIN_CONFIG, else the default).
fn known_names() -> Vec<String> {
    let (config, data_dir) = command_line_paths();
    let Ok(paths) = AppPaths::resolve(config, data_dir) else {
        return Vec::new();
    };
    let Ok(Some(config)) = Config::load_for(&paths) else {
        return Vec::new();
    };
    let mut names: Vec<String> = config.queries.iter().map(|q| q.name.clone()).collect();
    // The cache knows the titles of feeds the config names by URL only; a cache that
    // would first need migrating is left alone (completion must be quick and harmless).
    let db = paths.db_file();
    let from_cache = (db.exists() && !crate::store::Store::needs_migration(&db))
        .then(|| crate::store::Store::open(&db).ok())
        .flatten()
        .and_then(|store| store.feed_summaries(&config.feeds).ok());
    match from_cache {
        Some(feeds) => names.extend(feeds.into_iter().map(|f| f.name)),
        None => names.extend(config.feeds.iter().filter_map(|f| f.name.clone())),
    }
    names.retain(|n| !n.is_empty() && !n.chars().any(char::is_control));
    names
}

/// `--config` and `--data-dir` as the command line being completed gives them (the
/// completion request carries it after `--`); the environment's otherwise.
fn command_line_paths() -> (Option<PathBuf>, Option<PathBuf>) {
    let words: Vec<String> = std::env::args().collect();
    let find = |flag: &str, var: &str| {
        let mut found = None;
        for (i, w) in words.iter().enumerate() {
            if w == flag {
                found = words.get(i + 1).map(|v| PathBuf::from(unescape(v)));
            } else if let Some(v) = w.strip_prefix(&format!("{flag}=")) {
                found = Some(PathBuf::from(unescape(v)));
            }
        }
        found.or_else(|| std::env::var_os(var).map(PathBuf::from))
    };
    (
        find("--config", "BULLETIN_CONFIG"),
        find("--data-dir", "BULLETIN_DATA_DIR"),
    )
}

/// A word as bash typed it, backslashes taken out.
fn unescape(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '\'' | '"' => {}
            c => out.push(c),
        }
    }
    out
}

/// A name as one bash word: what the shell would read specially gets a backslash.
fn escape(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if !(c.is_alphanumeric() || "-_./,:@%+=".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_spaces_are_one_bash_word_and_come_back_whole() {
        let name = "Krebs on Security (daily)";
        assert_eq!(escape(name), "Krebs\\ on\\ Security\\ \\(daily\\)");
        assert_eq!(unescape(&escape(name)), name);
        assert_eq!(unescape("\"Krebs on"), "Krebs on");
    }

    #[test]
    fn every_shell_gets_a_script_that_calls_bulletin_back() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let text = String::from_utf8(script(shell)).unwrap();
            assert!(text.contains("COMPLETE"), "{shell}: {text}");
            assert!(text.contains("bulletin"), "{shell}: {text}");
        }
    }
}
