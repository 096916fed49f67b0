//! The `bulletin` binary: parse the command line, set up the log, then run a headless
//! command or the TUI.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use bulletin::cli::{Cli, Command};
use bulletin::paths::AppPaths;
use clap::Parser;
use std::sync::Mutex;

fn main() {
    // `COMPLETE=bash bulletin -- WORDS`: the shell asking for completions (see `bulletin
    // completions`); answers and exits before anything else runs.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(bulletin::cli::complete::VAR)
        .shells(bulletin::cli::complete::SHELLS)
        .complete();
    // `bulletin search WORDS --config FILE`: the globals a query ends with, where clap
    // reads them.
    let cli = Cli::parse_from(bulletin::cli::hoist_globals(std::env::args_os().collect()));
    bulletin::cli::progress::set_quiet(cli.quiet);
    let log_level = cli.log_level;
    let demo = cli.demo;
    let resolved = AppPaths::resolve(cli.config, cli.data_dir)
        .map(|paths| AppPaths { demo, ..paths })
        .map_err(anyhow::Error::from);
    let result = resolved.and_then(|paths| {
        bulletin::gemini::trust::set_file(paths.data_dir.join("gemini_hosts"));
        // The completion script and the man pages are printed, and leave no log behind
        // (a shell sourcing the script at every start would make one).
        let quiet_command = matches!(
            cli.command,
            Some(Command::Completions { .. } | Command::Man { .. })
        );
        let log = if quiet_command {
            None
        } else {
            init_log(&paths, log_level)
        };
        let is_tui = cli.command.is_none();
        let result = match cli.command {
            Some(command) => bulletin::cli::run(command, &paths),
            None => bulletin::tui::run(&paths, log.as_deref()).map_err(anyhow::Error::from),
        };
        if let Err(e) = &result {
            tracing::error!("{e:#}");
            if is_tui {
                if let Some(log) = log {
                    // The cause first, then where to read more.
                    return result
                        .map_err(|e| anyhow::anyhow!("{e:#} (details in {})", log.display()));
                }
            }
        }
        result
    });
    if let Err(e) = result {
        if e.downcast_ref::<bulletin::cli::Reported>().is_some() {
            std::process::exit(1);
        }
        // One line: the chain of causes joined, as scripts read stderr line by line; and
        // clean, as an error may quote a config's or a feed's text (a key with ESC in it).
        let message = bulletin::sanitize::clean_line(&format!("{e:#}").replace('\n', " "));
        eprintln!("bulletin: {message}");
        let usage = e.downcast_ref::<bulletin::cli::Usage>().is_some();
        std::process::exit(if usage { 2 } else { 1 });
    }
}

/// Logs go to a file, never to the terminal (the TUI owns it). No log is no reason to fail.
fn init_log(paths: &AppPaths, level: tracing::Level) -> Option<std::path::PathBuf> {
    let path = paths.log_file();
    std::fs::create_dir_all(path.parent()?).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .with_target(false)
        .try_init()
        .ok()?;
    Some(path)
}
