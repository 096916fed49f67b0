//! Ctrl-C during `bulletin refresh`: the first stops the refresh handing out feeds (those
//! fetched are written, the summary is printed), the second ends the process at once.
//!
//! Only for a person at a terminal: a script's background refresh, or one whose stdin is
//! not a terminal (cron), keeps the signal's usual meaning. And after the summary the
//! process ends as Ctrl-C ends a process, so that a shell loop running it stops too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct Interrupt {
    flag: Arc<AtomicBool>,
    #[cfg(unix)]
    handlers: Vec<signal_hook::SigId>,
}

impl Interrupt {
    /// Starts catching Ctrl-C (on a Unix terminal; elsewhere the flag is never set).
    pub fn catch() -> Interrupt {
        let flag = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        {
            use std::io::IsTerminal;
            let mut handlers = Vec::new();
            if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
                use signal_hook::consts::SIGINT;
                // In this order: the exit is armed by the flag, which the second sets.
                handlers.extend(
                    signal_hook::flag::register_conditional_shutdown(SIGINT, 130, flag.clone())
                        .ok(),
                );
                handlers.extend(signal_hook::flag::register(SIGINT, flag.clone()).ok());
            }
            Interrupt { flag, handlers }
        }
        #[cfg(not(unix))]
        Interrupt { flag }
    }

    /// The flag the refresh watches.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }

    /// Stops catching; whether Ctrl-C was pressed meanwhile.
    pub fn finish(self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Ends the process as an interrupted one: killed by SIGINT where there are signals
/// (the shell then stops a loop or a script), else with status 130.
pub fn die_as_interrupted() -> ! {
    #[cfg(unix)]
    {
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGINT);
    }
    std::process::exit(130)
}
