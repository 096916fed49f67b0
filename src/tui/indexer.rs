//! The store thread's chores: taking in what refreshes left waiting while nothing else
//! is asked (the stories' texts to compare, then the search index; in small slices, so
//! marks and pages never wait long), counting the saved searches for the feed list,
//! and dropping list requests a newer one replaced (search as you type asks for a page
//! at every key).

use super::msg::{Msg, SavedCount};
use super::worker::StoreReq;
use crate::config::Config;
use crate::model::{FeedId, FeedSummary};
use crate::store::{ItemQuery, Scope, Store};
use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::{Receiver, Sender};

/// Articles compared by their text between two requests: some 20 ms of work.
const STORY_SLICE: usize = 500;

/// Articles waiting for the index, and for their text to be compared with other
/// feeds' (with stories on), as far as the store thread knows.
#[derive(Debug, Default)]
pub struct Backlog {
    pub left: usize,
    pub stories: usize,
}

impl Backlog {
    /// Looks again (after another process wrote, say).
    pub fn recount(&mut self, store: &Store, config: &Config) {
        self.left = store.index_backlog().unwrap_or(0);
        self.stories = if config.general.stories == crate::story::Mode::On {
            store.story_backlog().unwrap_or(0)
        } else {
            0
        };
    }

    /// Whether any chore waits.
    pub fn waiting(&self) -> bool {
        self.left > 0 || self.stories > 0
    }

    /// Compares one slice of texts. Returns true when none is left, so that the lists
    /// (where copies now share a row) can be asked again.
    pub fn step_stories(&mut self, store: &mut Store) -> Result<bool, crate::store::StoreError> {
        let done = store.group_texts(STORY_SLICE, chrono::Utc::now().timestamp())?;
        self.stories = if done < STORY_SLICE {
            store.story_backlog()?
        } else {
            self.stories.saturating_sub(done).max(1)
        };
        // Nothing taken although some wait: another process holds them; look later.
        if done == 0 {
            self.stories = 0;
        }
        Ok(self.stories == 0)
    }

    /// Indexes one batch. Returns true when the backlog just ran out, so that the lists
    /// (and a search on screen) can be asked again.
    pub fn step(
        &mut self,
        store: &mut Store,
        names: &HashMap<FeedId, String>,
        tx: &Sender<Msg>,
    ) -> Result<bool, crate::store::StoreError> {
        let batch = crate::store::search::INDEX_BATCH;
        let done = store.index_some(names, batch)?;
        // A short batch emptied the queue (or others wrote meanwhile): count again.
        self.left = if done < batch {
            store.index_backlog()?
        } else {
            self.left.saturating_sub(done).max(1)
        };
        let _ = tx.send(Msg::Indexing { left: self.left });
        Ok(self.left == 0)
    }
}

/// The saved searches for the feed list; with `count`, their unread and total articles
/// and the number of hidden ones.
pub fn searches(
    store: &Store,
    config: &Config,
    feeds: &[FeedSummary],
    count: bool,
) -> Result<Msg, crate::store::StoreError> {
    let infos = crate::search::FeedInfo::of(feeds);
    let all = Scope::Feeds(feeds.iter().map(|f| f.id).collect());
    let mut out = Vec::with_capacity(config.queries.len());
    for q in &config.queries {
        let compiled = crate::search::parse(&q.query, chrono::Utc::now())
            .ok()
            .and_then(|parsed| crate::search::compile(&parsed, &infos).ok());
        let counts = match (count, compiled) {
            (true, Some(search)) => {
                let list = ItemQuery {
                    scope: all.clone(),
                    unread_only: false,
                    starred_only: false,
                    search: Some(search),
                    order: Default::default(),
                    stories: false,
                };
                let (total, unread) = store.count_with_unread(&list)?;
                Some((unread, total))
            }
            _ => None,
        };
        out.push(SavedCount {
            name: q.name.clone(),
            query: q.query.clone(),
            counts,
        });
    }
    // Cheap (a partial index), so always: the Hidden row must not come and go.
    let hidden = store.hidden_count()?;
    Ok(Msg::SearchesCounted {
        searches: out,
        hidden,
    })
}

/// Moves what has already arrived into `queue`, then leaves out the list pages that a
/// later request for another list made useless.
pub fn drain(rx: &Receiver<StoreReq>, queue: &mut VecDeque<StoreReq>) {
    while let Ok(req) = rx.try_recv() {
        queue.push_back(req);
    }
    let newest = queue
        .iter()
        .filter_map(|r| match r {
            StoreReq::LoadPage { req, .. } => Some(*req),
            _ => None,
        })
        .max();
    if let Some(newest) = newest {
        queue.retain(|r| {
            !matches!(r, StoreReq::LoadPage { req, .. } | StoreReq::Count { req, .. } if *req < newest)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ItemQuery;

    fn page(req: u64) -> StoreReq {
        StoreReq::LoadPage {
            req,
            query: ItemQuery::feed(FeedId(1)),
            page: 0,
            count: true,
        }
    }

    #[test]
    fn pages_of_lists_replaced_by_a_newer_one_are_dropped_in_order() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut queue = VecDeque::from([page(1)]);
        tx.send(StoreReq::SaveHideRead(true)).unwrap();
        tx.send(page(2)).unwrap();
        tx.send(page(3)).unwrap();
        tx.send(StoreReq::LoadFeeds).unwrap();
        drain(&rx, &mut queue);
        assert_eq!(
            queue,
            VecDeque::from([StoreReq::SaveHideRead(true), page(3), StoreReq::LoadFeeds])
        );
    }
}
