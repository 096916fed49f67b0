//! Taking the terminal over and giving it back: raw mode, the alternate screen and mouse
//! capture, all undone together, also when the UI thread panics.
//!
//! ratatui's own `init` installs a panic hook that restores the terminal on a panic in
//! any thread, and one more hook each time it is called. Ours is installed once, restores
//! the terminal only when the UI thread itself dies, and sends a worker's panic to the
//! log (the worker turns it into an error message and the app goes on).

use super::TuiError;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::{DefaultTerminal, Terminal};
use std::io::IsTerminal;
use std::sync::OnceLock;
use std::thread::ThreadId;

static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Takes the terminal over. With no terminal (a pipe, cron, CI) this is a one-line
/// error, not a panic.
pub fn enter() -> Result<DefaultTerminal, TuiError> {
    if !std::io::stdout().is_terminal() {
        return Err(TuiError::Terminal(
            "the TUI needs a terminal, and this is not one; the commands work without \
             (bulletin --help)"
                .into(),
        ));
    }
    install_panic_hook();
    let failed = |e: std::io::Error| TuiError::Terminal(format!("cannot set up the terminal: {e}"));
    enable_raw_mode().map_err(failed)?;
    let mut stdout = std::io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
        leave();
        return Err(failed(e));
    }
    Terminal::new(CrosstermBackend::new(stdout)).map_err(|e| {
        leave();
        failed(e)
    })
}

/// Gives the terminal back as it was: mouse, screen, cursor and line mode.
pub fn leave() {
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Installs the hook once, for the calling (UI) thread.
fn install_panic_hook() {
    if UI_THREAD.set(std::thread::current().id()).is_err() {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if UI_THREAD.get() == Some(&std::thread::current().id()) {
            leave();
            previous(info);
        } else {
            // Printing would scribble over the screen; the worker reports it itself.
            let name = std::thread::current()
                .name()
                .unwrap_or("a worker")
                .to_string();
            tracing::error!("panic in thread {name}: {info}");
        }
    }));
}
