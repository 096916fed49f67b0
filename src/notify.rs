//! Telling the user that new articles arrived, after a background refresh or sync: a
//! command of theirs (argv, no shell: `%n` the number of new articles, `%f` the feeds
//! with news, `%t` the first new title), or a desktop notification asked of the terminal
//! (OSC 9 and OSC 777, which the TUI writes). Only articles that arrived unread count:
//! those a filter or the sync server marked read, and feeds with `notify = false`, do not.

use crate::config::Config;
use crate::model::FeedId;
use crate::store::Store;

/// What arrived since a refresh began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrivals {
    pub count: usize,
    /// The names of the feeds with news, in feed-list order.
    pub feeds: Vec<String>,
    /// The title of the newest of them.
    pub first_title: String,
}

/// Where a refresh begins: arrivals are what the cache stores after this.
pub fn mark(store: &Store) -> i64 {
    store.last_item_id().unwrap_or(i64::MAX)
}

/// The unread articles stored after `since` (from `mark`) in feeds that notify.
pub fn arrivals(store: &Store, config: &Config, since: i64) -> Option<Arrivals> {
    // The sync server's feeds and the newsletters count too.
    let mut merged;
    let config = if config.sync.is_some() || !config.mailboxes.is_empty() {
        merged = config.clone();
        crate::feedlist::merge(&mut merged, store).ok()?;
        &merged
    } else {
        config
    };
    let summaries = store.feed_summaries(&config.feeds).ok()?;
    let quiet: Vec<&str> = config
        .feeds
        .iter()
        .filter(|f| !f.options.notify)
        .map(|f| f.url.as_str())
        .collect();
    let loud: Vec<(FeedId, &str)> = summaries
        .iter()
        .filter(|s| !quiet.contains(&s.url.as_str()))
        .map(|s| (s.id, s.name.as_str()))
        .collect();
    let ids: Vec<FeedId> = loud.iter().map(|(id, _)| *id).collect();
    let (count, with_news, first_title) = store.arrived_unread(&ids, since).ok()?;
    (count > 0).then(|| Arrivals {
        count,
        feeds: loud
            .iter()
            .filter(|(id, _)| with_news.contains(id))
            .map(|(_, name)| name.to_string())
            .collect(),
        first_title,
    })
}

/// The command's argv with `%n`, `%f` and `%t` filled in (each argument stays one
/// argument, whatever the titles hold: no shell ever sees them).
pub fn command_argv(template: &[String], a: &Arrivals) -> Vec<String> {
    template
        .iter()
        .map(|arg| {
            arg.replace("%n", &a.count.to_string())
                .replace("%f", &a.feeds.join(", "))
                .replace("%t", &a.first_title)
        })
        .collect()
}

/// Runs the notify command without waiting for it (a thread reaps it); its output goes
/// nowhere. The error is one line naming the program.
pub fn run_command(template: &[String], a: &Arrivals) -> Result<(), String> {
    let argv = command_argv(template, a);
    let Some((program, args)) = argv.split_first() else {
        return Ok(());
    };
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("notify_command {program:?} cannot run: {e}"))?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// After a refresh that began at `since` (from `mark`): runs the notify command when there is news, and
/// returns the line for a terminal notification when the config asks for one.
pub fn after_refresh(store: &Store, config: &Config, since: i64) -> Option<String> {
    let general = &config.general;
    let terminal = general.notify == crate::config::NotifyMode::Terminal;
    if general.notify_command.is_empty() && !terminal {
        return None;
    }
    let a = arrivals(store, config, since)?;
    if !general.notify_command.is_empty() {
        if let Err(e) = run_command(&general.notify_command, &a) {
            tracing::warn!("{e}");
        }
    }
    terminal.then(|| summary_line(&a))
}

/// One line for a desktop notification: "3 new: Title (Feed, Other feed)".
pub fn summary_line(a: &Arrivals) -> String {
    let line = format!(
        "{} new: {} ({})",
        a.count,
        a.first_title,
        a.feeds.join(", ")
    );
    crate::sanitize::clean_line(&line)
}

/// The escape sequences that ask the terminal for a desktop notification: OSC 777 (foot,
/// WezTerm, Ghostty, rxvt) and OSC 9 (iTerm2, kitty, Windows Terminal, WezTerm). The text is
/// a clean line without `;`, which OSC 777 uses to split its fields, and it cannot end
/// the sequence: it holds no control character.
pub fn terminal_sequence(text: &str) -> String {
    let body: String = crate::sanitize::clean_line(text)
        .chars()
        .map(|c| if c == ';' { ',' } else { c })
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    format!("\x1b]777;notify;bulletin;{body}\x1b\\\x1b]9;bulletin: {body}\x1b\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrivals() -> Arrivals {
        Arrivals {
            count: 3,
            feeds: vec!["Weekly".into(), "Advisories".into()],
            first_title: "Patch now; $(rm -rf ~) `x`".into(),
        }
    }

    #[test]
    fn placeholders_fill_whole_arguments_and_nothing_is_a_shell() {
        let argv = command_argv(
            &[
                "notify-send".into(),
                "bulletin: %n new".into(),
                "%t — %f".into(),
            ],
            &arrivals(),
        );
        assert_eq!(
            argv,
            [
                "notify-send",
                "bulletin: 3 new",
                "Patch now; $(rm -rf ~) `x` — Weekly, Advisories"
            ]
        );
    }

    #[test]
    fn the_terminal_notification_cannot_be_broken_out_of() {
        let seq = terminal_sequence("3 new: a\u{1b}]0;pwned\u{7}b; c");
        assert!(seq.starts_with("\x1b]777;notify;bulletin;"));
        // Exactly the two sequences' own escapes and terminators.
        assert_eq!(seq.matches('\u{1b}').count(), 4);
        assert!(!seq.contains('\u{7}'));
        assert!(seq.contains("b, c"));
    }
}
