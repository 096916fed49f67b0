//! What a command that shows or marks stories takes in first: the articles a refresh
//! left waiting to be compared with other feeds' by their text (see
//! `store::story::waiting`), so that its answer groups every copy the last refresh
//! brought, and a mark on one copy reaches the others.

use super::progress::Progress;
use crate::config::Config;
use crate::store::Store;

/// Above this many waiting articles, grouping says what it is doing on stderr.
const SAY_PROGRESS_ABOVE: usize = 5_000;

/// Compares what waits; when it takes a while, with a bar on a terminal (not under
/// `json`). Failing to (a cache another process keeps busy, a read-only one) costs the
/// answer its latest copies, not the answer: one line says so.
pub(super) fn catch_up(config: &Config, store: &mut Store, json: bool) {
    if let Err(e) = compare(config, store, json) {
        eprintln!("bulletin: copies of stories not looked for: {e}");
    }
}

fn compare(config: &Config, store: &mut Store, json: bool) -> anyhow::Result<()> {
    // Turned off since: the next refresh forgets the queue.
    if config.general.stories != crate::story::Mode::On {
        return Ok(());
    }
    let backlog = store.story_backlog()?;
    if backlog == 0 {
        return Ok(());
    }
    let progress = if backlog > SAY_PROGRESS_ABOVE {
        Progress::bar(
            json,
            backlog as u64,
            "articles",
            "finding copies of stories",
        )
    } else {
        Progress::none()
    };
    store.group_all_texts(chrono::Utc::now().timestamp(), |done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    Ok(())
}
