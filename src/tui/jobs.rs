//! The TUI's background jobs (full text, discovery, server edits): each on a thread of
//! its own, each ending in exactly one message, even when it panics (the message then
//! says so) or its thread cannot start. The UI never waits on one that died silently.
//! Jobs fetch and compute; what goes into the cache goes through the store thread (the
//! message carries it there), so that only the store and refresh threads write it.

use super::msg::Msg;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::Sender;

/// Runs `job` on a thread named `name`; its message, or `failed(why)` when it panicked or
/// could not start, goes to `events`.
pub fn run<F>(
    events: &Sender<Msg>,
    name: &str,
    job: impl FnOnce() -> Msg + Send + 'static,
    failed: F,
) where
    F: Fn(String) -> Msg + Send + Clone + 'static,
{
    let (tx, on_panic) = (events.clone(), failed.clone());
    let spawned = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let msg = std::panic::catch_unwind(AssertUnwindSafe(job)).unwrap_or_else(|panic| {
                let why = super::worker::panic_message(&*panic);
                tracing::error!("background job: internal error: {why}");
                on_panic(format!("internal error: {why}"))
            });
            let _ = tx.send(msg);
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start {name}: {e}");
        let _ = events.send(failed(format!("cannot start: {e}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_that_panics_still_ends_in_its_message() {
        let (tx, rx) = std::sync::mpsc::channel();
        run(
            &tx,
            "test-job",
            || panic!("boom"),
            |e| Msg::Notice(format!("failed: {e}")),
        );
        match rx.recv().unwrap() {
            Msg::Notice(said) => assert!(said.contains("boom"), "{said}"),
            _ => panic!("another message"),
        }
    }
}
