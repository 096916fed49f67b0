//! The store thread's search chores: taking the index's backlog in while nothing else
//! is asked (in small batches, so marks and pages never wait long), counting the saved
//! searches for the feed list, and dropping list requests a newer one replaced (search
//! as you type asks for a page at every key).

use super::msg::{Msg, SavedCount};
use super::worker::StoreReq;
use crate::config::Config;
use crate::model::{FeedId, FeedSummary};
use crate::store::{ItemQuery, Scope, Store};
use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::{Receiver, Sender};

/// Articles waiting for the index, as far as the store thread knows.
#[derive(Debug, Default)]
pub struct Backlog {
    pub left: usize,
}

impl Backlog {
    /// Looks again (after another process wrote, say).
    pub fn recount(&mut self, store: &Store) {
        self.left = store.index_backlog().unwrap_or(0);
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
