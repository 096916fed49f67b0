//! The `bulletin` binary: parse the command line, then run a headless command or the TUI.

use bulletin::cli::Cli;
use bulletin::paths::AppPaths;
use clap::Parser;

fn main() {
    let cli = Cli::parse();
    let result = AppPaths::resolve(cli.config, cli.data_dir).and_then(|paths| match cli.command {
        Some(command) => bulletin::cli::run(command, &paths),
        None => bulletin::tui::run(&paths),
    });
    if let Err(e) = result {
        // One line: the chain of causes joined, as scripts read stderr line by line.
        let message = format!("{e:#}").replace('\n', " ");
        eprintln!("bulletin: {message}");
        std::process::exit(1);
    }
}
