//! Progress of the long commands (a cold refresh, a first sync, an import, the index's
//! first build) as a bar on standard error, with counts and what is being done.
//!
//! Only for a person watching: never when standard error is not a terminal (cron, a
//! pipe, a test), under `--json` (a script reads the output) or with `--quiet`. Lines
//! said while a bar is up go above it (`say`), so the two never mix.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: no progress at all.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether progress is drawn for a command (`json`: its output is for a program).
pub fn shown(json: bool) -> bool {
    !json && !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

/// A bar (or, when the amount of work is not known, a spinner); nothing when not shown.
/// Cleared when dropped: the command's own summary line follows on standard output.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// No progress shown.
    pub fn none() -> Progress {
        Progress(None)
    }

    /// A bar to `len` `unit`s (feeds, articles), doing `what`.
    pub fn bar(json: bool, len: u64, unit: &str, what: &str) -> Progress {
        if !shown(json) {
            return Progress(None);
        }
        let style = ProgressStyle::with_template(&format!(
            "{{spinner}} {{msg}}: {{pos}}/{{len}} {unit} {{elapsed}} [{{wide_bar}}]"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// A spinner for work whose size is not known beforehand, doing `what`.
    pub fn spinner(json: bool, what: &str) -> Progress {
        if !shown(json) {
            return Progress(None);
        }
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    pub fn set_length(&self, len: u64) {
        if let Some(b) = &self.0 {
            b.set_length(len);
        }
    }

    pub fn set_position(&self, pos: u64) {
        if let Some(b) = &self.0 {
            b.set_position(pos);
        }
    }

    /// What is being done now. Text from feeds is cleaned first (it reaches the terminal).
    pub fn set_message(&self, what: &str) {
        if let Some(b) = &self.0 {
            b.set_message(crate::sanitize::clean_line(what));
        }
    }

    /// A line on standard error, above the bar while one is drawn. Cleaned: it may
    /// quote a server's words.
    pub fn say(&self, line: &str) {
        let line = crate::sanitize::clean_line(line);
        match &self.0 {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Text on standard output (a command's own output), above the bar while one is
    /// drawn.
    pub fn out(&self, text: &str) -> anyhow::Result<()> {
        match &self.0 {
            Some(b) => b.suspend(|| super::print(text)),
            None => super::print(text),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
