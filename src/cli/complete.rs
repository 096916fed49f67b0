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

/// The environment variable that turns a run into a completion request: clap's, so that
/// its documented `source <(COMPLETE=bash bulletin)` works as `bulletin completions bash`
/// does. (It is set by the script for each request only; never export it.)
pub const VAR: &str = "COMPLETE";

/// The shells `COMPLETE=SHELL bulletin` answers for: clap's, bash through [`Bash`].
pub const SHELLS: clap_complete::env::Shells<'static> = clap_complete::env::Shells(&[
    &Bash,
    &clap_complete::env::Elvish,
    &clap_complete::env::Fish,
    &clap_complete::env::Powershell,
    &clap_complete::env::Zsh,
]);

/// The script to source for `shell` (the same `COMPLETE=SHELL bulletin` prints). It runs
/// `bulletin` from the PATH (not this binary's path: a packager writes the script at
/// build time, somewhere else).
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::Elvish => &clap_complete::env::Elvish,
        clap_complete::Shell::PowerShell => &clap_complete::env::Powershell,
        _ => &Bash,
    };
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = completer.write_registration(VAR, "bulletin", "bulletin", "bulletin", &mut out);
    out
}

/// clap's bash completion, its script changed in two ways. Names are handed back as they
/// are, and readline quotes them as it quotes file names (`Krebs\ on\ Security`, or
/// inside the quote the user opened: bash strips that quote before the completer sees
/// the word, so only readline can). And a `bulletin` that fails (not on the PATH) must
/// not write into the line.
pub struct Bash;

impl EnvCompleter for Bash {
    fn name(&self) -> &'static str {
        clap_complete::env::Bash.name()
    }

    fn is(&self, name: &str) -> bool {
        clap_complete::env::Bash.is(name)
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn std::io::Write,
    ) -> Result<(), std::io::Error> {
        let mut theirs = Vec::new();
        clap_complete::env::Bash.write_registration(var, name, bin, completer, &mut theirs)?;
        let ours = String::from_utf8_lossy(&theirs)
            .replacen(
                "    local IFS=$'\\013'\n",
                "    local IFS=$'\\013'\n    compopt -o filenames 2>/dev/null\n",
                1,
            )
            .replacen(
                "-- \"${words[@]}\" \\\n",
                "-- \"${words[@]}\" 2>/dev/null \\\n",
                1,
            );
        buf.write_all(ours.as_bytes())
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        args: Vec<std::ffi::OsString>,
        current_dir: Option<&std::path::Path>,
        buf: &mut dyn std::io::Write,
    ) -> Result<(), std::io::Error> {
        clap_complete::env::Bash.write_complete(cmd, args, current_dir, buf)
    }
}

/// Names of feeds (as the lists show them) and, with `searches`, of saved searches,
/// that start with what is typed, in any case. Nothing when there is no config:
/// completion never fails loudly.
fn names(current: &OsStr, searches: bool) -> Vec<CompletionCandidate> {
    let typed = unescape(&current.to_string_lossy()).to_lowercase();
    let mut names = known_names(searches);
    names.retain(|n| n.to_lowercase().starts_with(&typed));
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// `--feed` of `items` and the marks: a feed, or a saved search's articles.
pub fn feed_or_search_names(current: &OsStr) -> Vec<CompletionCandidate> {
    names(current, true)
}

/// `remove`, `rename`, `tag`: feeds only.
pub fn feed_names(current: &OsStr) -> Vec<CompletionCandidate> {
    names(current, false)
}

/// The names a feed argument takes, from the config the command line being completed
/// names (`--config FILE`, else $BULLETIN_CONFIG, else the default): each feed's as the
/// lists show it (the cache knows the titles of feeds the config names by URL only),
/// and with `searches` the saved searches'.
fn known_names(searches: bool) -> Vec<String> {
    let (config, data_dir) = command_line_paths();
    let Ok(paths) = AppPaths::resolve(config, data_dir) else {
        return Vec::new();
    };
    let Ok(Some(config)) = Config::load_for(&paths) else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    if searches {
        names.extend(config.queries.iter().map(|q| q.name.clone()));
    }
    // Configured names always (a feed just added is not in the cache yet); the cache's
    // titles for the rest. A cache that would first need migrating is left alone:
    // completion must be quick and harmless.
    names.extend(config.feeds.iter().filter_map(|f| f.name.clone()));
    let db = paths.db_file();
    if db.exists() && !crate::store::Store::needs_migration(&db) {
        if let Some(feeds) = crate::store::Store::open(&db)
            .ok()
            .and_then(|store| store.feed_summaries(&config.feeds).ok())
        {
            names.extend(feeds.into_iter().map(|f| f.name));
        }
    }
    // A name that would reach the terminal changed (controls, bidirectional overrides)
    // is not offered: the cleaned one would not name the feed.
    names.retain(|n| {
        !n.is_empty() && crate::sanitize::clean_text(n) == *n && !n.contains(['\n', '\t'])
    });
    names
}

/// `--config` and `--data-dir` as the command line being completed gives them (the
/// completion request carries it after `--`); the environment's otherwise.
fn command_line_paths() -> (Option<PathBuf>, Option<PathBuf>) {
    let words: Vec<String> = std::env::args_os()
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    let find = |flag: &str, var: &str| {
        let mut found = None;
        for (i, w) in words.iter().enumerate() {
            // As the shell would read it: `~` is the home folder.
            let path = |v: &str| crate::paths::expand_home(&PathBuf::from(unescape(v)));
            if w == flag {
                found = words.get(i + 1).map(|v| path(v));
            } else if let Some(v) = w.strip_prefix(&format!("{flag}=")) {
                found = Some(path(v));
            }
        }
        found.or_else(|| std::env::var_os(var).map(PathBuf::from))
    };
    (
        find("--config", "BULLETIN_CONFIG"),
        find("--data-dir", "BULLETIN_DATA_DIR"),
    )
}

/// A word as bash typed it: an opening quote and backslashes taken out.
fn unescape(word: &str) -> String {
    let word = word.strip_prefix(['\'', '"']).unwrap_or(word);
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_as_bash_typed_it_is_read_back_whole() {
        assert_eq!(
            unescape("Krebs\\ on\\ Security\\ \\(daily\\)"),
            "Krebs on Security (daily)"
        );
        assert_eq!(unescape("\"Krebs on"), "Krebs on");
        assert_eq!(unescape("\"Bob's notes"), "Bob's notes");
    }

    #[test]
    fn the_bash_script_lets_readline_quote_and_keeps_errors_out_of_the_line() {
        let text = String::from_utf8(script(clap_complete::Shell::Bash)).unwrap();
        assert!(text.contains("compopt -o filenames"), "{text}");
        assert!(text.contains("\"${words[@]}\" 2>/dev/null"), "{text}");
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
