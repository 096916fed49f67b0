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

/// Texts compared between two requests: the slice grows or shrinks to take about this
/// long, so that a request waits at most that for the store thread (the texts' length
/// and the machine decide how many that is).
const STORY_SLICE_TIME: std::time::Duration = std::time::Duration::from_millis(15);
const STORY_SLICE_FIRST: usize = 100;
const STORY_SLICE_MAX: usize = 2_000;

/// The slice after one of `slice` texts that took `took`.
fn next_slice(slice: usize, took: std::time::Duration) -> usize {
    if took < STORY_SLICE_TIME / 2 {
        (slice * 2).min(STORY_SLICE_MAX)
    } else if took > STORY_SLICE_TIME * 2 {
        (slice / 2).max(10)
    } else {
        slice
    }
}

/// Articles waiting for the index (how many), and whether any wait for their text to
/// be compared with other feeds' (with stories on), as far as the store thread knows.
#[derive(Debug, Default)]
pub struct Backlog {
    pub left: usize,
    pub stories: bool,
    /// Texts to compare in the next slice (0: not started).
    story_slice: usize,
}

impl Backlog {
    /// Looks again (after another process wrote, say).
    pub fn recount(&mut self, store: &mut Store, config: &Config) {
        self.left = store.index_backlog().unwrap_or(0);
        self.stories = store
            .texts_waiting_for(config.general.stories)
            .unwrap_or(false);
    }

    /// Whether any chore waits.
    pub fn waiting(&self) -> bool {
        self.left > 0 || self.stories
    }

    /// Compares one slice of texts. Returns true when none is left, so that the lists
    /// (where copies now share a row) can be asked again. Waits only briefly for
    /// another process's write lock (`Store::briefly`): requests must not wait behind
    /// a chore that can be done later.
    pub fn step_stories(&mut self, store: &mut Store) -> Result<bool, crate::store::StoreError> {
        let slice = if self.story_slice == 0 {
            STORY_SLICE_FIRST
        } else {
            self.story_slice
        };
        let started = std::time::Instant::now();
        let now = chrono::Utc::now().timestamp();
        let done = store.briefly(|store| store.group_texts(slice, now))?;
        self.story_slice = next_slice(slice, started.elapsed());
        // Nothing taken although some wait (another process holds them): look again
        // when the cache changes.
        self.stories = done > 0 && store.stories_waiting()?;
        Ok(!self.stories)
    }

    /// Indexes one batch (waiting briefly for the lock, as `step_stories`). Returns true when the backlog just ran out, so that the lists
    /// (and a search on screen) can be asked again.
    pub fn step(
        &mut self,
        store: &mut Store,
        names: &HashMap<FeedId, String>,
        tx: &Sender<Msg>,
    ) -> Result<bool, crate::store::StoreError> {
        let batch = crate::store::search::INDEX_BATCH;
        let done = store.briefly(|store| store.index_some(names, batch))?;
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

/// Each tag's further copies of stories ("" is Untagged), unread and in all, for its
/// counts: None when lists do not group stories or the feed list shows no tags. One
/// pass over the grouped articles, asked when idle.
pub fn tag_copies(
    store: &Store,
    config: &Config,
    feeds: &[FeedSummary],
) -> crate::store::Result<Option<Msg>> {
    if config.general.stories == crate::story::Mode::Off
        || config.general.feed_list == crate::config::FeedListLayout::Flat
    {
        return Ok(None);
    }
    let tags_of: HashMap<FeedId, &[String]> =
        feeds.iter().map(|f| (f.id, f.tags.as_slice())).collect();
    const UNTAGGED: &[String] = &[String::new()];
    // Per tag, per story: its articles there, and the unread ones.
    let mut seen: HashMap<&str, HashMap<i64, (usize, usize)>> = HashMap::new();
    for (feed, story, unread) in store.grouped_articles()? {
        let Some(tags) = tags_of.get(&feed) else {
            continue;
        };
        let tags = if tags.is_empty() { UNTAGGED } else { tags };
        for tag in tags {
            let counts = seen.entry(tag).or_default().entry(story).or_default();
            counts.0 += 1;
            counts.1 += usize::from(unread);
        }
    }
    let copies = seen
        .into_iter()
        .map(|(tag, stories)| {
            let all = stories.values().map(|c| c.0 - 1).sum();
            let unread = stories.values().map(|c| c.1.saturating_sub(1)).sum();
            (tag.to_string(), (unread, all))
        })
        .collect();
    Ok(Some(Msg::TagCopiesCounted(copies)))
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
                // Counted as its list shows them: a story once (every copy matched).
                let list = ItemQuery {
                    scope: all.clone(),
                    unread_only: false,
                    starred_only: false,
                    search: Some(search),
                    order: Default::default(),
                    stories: config.general.stories != crate::story::Mode::Off,
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
    let (hidden, hidden_unread) = store.hidden_count()?;
    Ok(Msg::SearchesCounted {
        hidden_unread,
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
    fn a_slice_of_texts_grows_while_quick_and_shrinks_when_slow() {
        let ms = std::time::Duration::from_millis;
        assert_eq!(next_slice(100, ms(2)), 200);
        assert_eq!(next_slice(1_500, ms(2)), STORY_SLICE_MAX);
        assert_eq!(next_slice(400, ms(15)), 400);
        assert_eq!(next_slice(400, ms(90)), 200);
        assert_eq!(next_slice(12, ms(500)), 10);
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
