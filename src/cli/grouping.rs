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
/// `json`). A listing waits only briefly for another process's write lock (listing
/// writes nothing else, and must not wait for a refresh); a mark waits as any write
/// does. Failing to compare (a cache another process keeps busy, a read-only one)
/// costs the answer its latest copies, not the answer: one line says so.
pub(super) fn catch_up(config: &Config, store: &mut Store, json: bool, listing: bool) {
    let done = if listing {
        store.briefly(|store| Ok(compare(config, store, json)))
    } else {
        Ok(compare(config, store, json))
    };
    let failed = match done {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e,
        Err(e) => e.into(),
    };
    let busy = failed
        .downcast_ref::<crate::store::StoreError>()
        .is_some_and(|e| e.is_busy());
    if busy {
        eprintln!("bulletin: another process is writing the cache: copies of stories the last refresh brought are not looked for yet");
    } else {
        eprintln!("bulletin: copies of stories not looked for: {failed}");
    }
}

fn compare(config: &Config, store: &mut Store, json: bool) -> anyhow::Result<()> {
    // Turned off since: what waits is forgotten.
    if !store.texts_waiting_for(config.general.stories)? {
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
