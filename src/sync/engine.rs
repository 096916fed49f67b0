//! One sync with the server, in the order that loses nothing: the marks made here go
//! first (the queue is emptied only once the server has taken them), then the server's
//! feeds and new articles, then its unread and starred sets, which decide the state of
//! every synced article except those marked here in the meantime.

use super::fever::Fever;
use super::greader::GReader;
use super::{Mark, SyncError, SyncFailure, SyncProvider};
use crate::config::{Config, FeedSpec, Provider, Remote, SyncConfig};
use crate::fetch::Fetcher;
use crate::store::{Store, SyncedFeed};
use std::collections::{HashMap, HashSet};

/// What one sync did, as `bulletin sync --json` prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub provider: &'static str,
    /// Feeds on the server.
    pub feeds: usize,
    /// Articles new to the cache.
    pub new_items: usize,
    /// Marks made here and sent.
    pub pushed: usize,
    /// Articles whose read or starred state changed to the server's (or the folder's).
    pub pulled: usize,
    /// The account has older articles than this sync reached: the next syncs bring
    /// them (`bulletin sync --all` now).
    pub older_left: bool,
    /// Unread or starred articles not here yet, beyond what one sync fetches by id.
    pub unread_left: usize,
    /// Marks made under the account before whose articles this server has not listed
    /// (yet): they wait, said at every sync, and go once their article is linked.
    #[serde(skip_serializing_if = "is_zero")]
    pub carried_waiting: usize,
    /// The sync changed the config file (subscriptions from another device): whoever
    /// holds the config reads it again.
    #[serde(skip)]
    pub config_changed: bool,
    /// The sync went on through the account's history, though it may have found no
    /// article there (a run of ids the server no longer has): `sync --all` goes on.
    #[serde(skip)]
    pub history_moved: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The most unread (or starred) ids one sync takes: a list past it is a server's
/// fault, refused before its state is applied to anything.
const MAX_IDS: usize = 2_000_000;

/// The most articles fetched by id in one sync (unread or starred ones the paging did
/// not bring); the rest come at the next syncs.
const MAX_BY_ID: usize = 10_000;

/// The provider the config names, logged in with its password.
pub fn connect(
    config: &SyncConfig,
    fetcher: Fetcher,
) -> Result<Box<dyn SyncProvider + Send>, SyncFailure> {
    let password = config
        .password()
        .map_err(|e| SyncFailure::new(&config.url, SyncError::Password(e)))?;
    let mut provider: Box<dyn SyncProvider + Send> = match config.provider {
        Provider::Fever => Box::new(Fever::new(
            fetcher,
            &config.url,
            &config.username,
            &password,
        )),
        Provider::Greader => Box::new(GReader::new(
            fetcher,
            &config.url,
            &config.username,
            &password,
        )),
        Provider::Folder => {
            return Err(SyncFailure::new(
                &config.url,
                SyncError::Unsupported("a folder is no server".into()),
            ))
        }
    };
    provider.login().map_err(|e| {
        if matches!(e, SyncError::Auth) {
            config.password.forget();
        }
        SyncFailure::new(&config.url, e)
    })?;
    Ok(provider)
}

/// Syncs once with the server `config` names (when it names one), in a session of its
/// own (`bulletin sync`, `refresh`).
/// With `whole`, the sync takes a stretch of the account's history even when the last
/// was less than an hour ago (`bulletin sync --all`).
pub fn sync_configured(
    config: &Config,
    store: &mut Store,
    fetcher: &Fetcher,
    whole: bool,
) -> Option<Result<Summary, SyncFailure>> {
    Some(super::Session::of(config, fetcher)?.sync_with(config, store, whole))
}

/// What of the config a sync goes by: its own feeds' addresses (a feed the server drops
/// stays when the config lists it too), and its `[[filter]]` rules with its names and
/// tags of those feeds (new articles arrive as a refresh's do). Owned, so that a job
/// off the UI thread carries it.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    own: Vec<String>,
    filters: crate::search::rules::Filters,
}

impl Scope {
    pub fn of(config: &crate::config::Config) -> Scope {
        Scope {
            own: config
                .own_feed_urls()
                .into_iter()
                .map(String::from)
                .collect(),
            filters: crate::search::rules::Filters {
                rules: crate::search::rules::Rules::new(
                    config.filters.iter().map(|f| (f.query.as_str(), f.action)),
                    chrono::Utc::now(),
                ),
                named: config
                    .feeds
                    .iter()
                    .filter(|f| f.remote.as_ref().is_none_or(|r| r.configured))
                    .map(|f| (f.url.clone(), (f.name.clone(), f.tags.clone())))
                    .collect(),
            },
        }
    }
}

/// Syncs once, within `scope`. With `whole`, a stretch of history is taken whenever one
/// is left (see history.rs).
pub fn run(
    store: &mut Store,
    provider: &mut dyn SyncProvider,
    account: &str,
    scope: &Scope,
    whole: bool,
) -> Result<Summary, SyncError> {
    let configured: Vec<&str> = scope.own.iter().map(String::as_str).collect();
    let configured = configured.as_slice();
    let filters = &scope.filters;
    let stored = store.sync_account()?;
    if !stored.as_deref().is_some_and(|s| same_account(s, account)) {
        store.start_sync_account(account)?;
    }
    let started = std::time::Instant::now();
    let mut summary = Summary {
        provider: provider.name(),
        ..Summary::default()
    };
    summary.pushed = push(store, provider)?;

    let feeds = provider.feeds()?;
    summary.feeds = feeds.len();
    let known = store.synced_feeds()?;
    let ids = if feeds.is_empty() && !known.is_empty() {
        // An empty list where there were feeds is more likely a server's hiccup than
        // every subscription gone: the cached articles stay until a list says otherwise.
        tracing::warn!("the server listed no feeds; the synced feeds are kept as they were");
        summary.feeds = known.len();
        known.into_iter().map(|f| (f.remote_id, f.id)).collect()
    } else {
        store.apply_remote_feeds(&feeds, configured)?
    };

    let now = chrono::Utc::now().timestamp();
    let filters = crate::search::rules::ServerFeeds::new(filters, &feeds, now);
    let mut taker = Taker::new(store, &ids, now);
    taker.started = started;
    taker.filters = Some(&filters);
    let history = super::history::fetch(provider, &mut taker, whole)?;
    summary.older_left = history.left;
    summary.history_moved = history.moved;
    let mut new_items = taker.new;
    let unread: HashSet<String> = provider.unread_ids()?.into_iter().collect();
    let starred: HashSet<String> = provider.starred_ids()?.into_iter().collect();
    for (list, ids) in [("unread", &unread), ("starred", &starred)] {
        if ids.len() > MAX_IDS {
            return Err(SyncError::Protocol(format!(
                "the server lists {} {list} articles, more than the {MAX_IDS} a sync takes",
                ids.len()
            )));
        }
    }
    // Unread and starred articles the paging did not bring (older than the cursor, or
    // beyond this sync's share): by id, so that nothing unread is missing here. At most
    // MAX_BY_ID a sync (a request per 50 ids with Fever): the rest at the next one.
    let wanted: Vec<String> = unread.union(&starred).cloned().collect();
    let mut missing = store.missing_remote_items(&wanted)?;
    if missing.len() > MAX_BY_ID {
        tracing::warn!(
            "{} unread or starred articles are not here yet; {MAX_BY_ID} come now, the rest at the next syncs",
            missing.len()
        );
        summary.unread_left = missing.len() - MAX_BY_ID;
        // Newest first: ids grow with time (decimal, so the longer is the larger).
        missing.sort_unstable_by(|a, b| (b.len(), b).cmp(&(a.len(), a)));
        missing.truncate(MAX_BY_ID);
    }
    // A chunk at a time, each kept as it comes; the last fifth of the sync's time is the
    // state's, and what is not fetched by then comes next time.
    for chunk in missing.chunks(250) {
        if started.elapsed() > super::SYNC_LIMIT * 4 / 5 {
            tracing::warn!(
                "articles by id: this sync's share of time is spent; the rest next time"
            );
            break;
        }
        let items = provider.items_by_id(chunk)?;
        new_items += store.insert_filtered(&items, &ids, now, Some(&filters))?;
    }
    summary.new_items = new_items;
    summary.pulled = store.apply_remote_state(&unread, &starred)?;
    // Marks carried from an account before, whose articles this sync linked, go now.
    summary.pushed += push(store, provider)?;
    let carried = store.carried_mark_count()?;
    if carried > 0 {
        tracing::warn!(
            "{carried} marks on articles of the account before wait for them on this server"
        );
    }
    summary.carried_waiting = carried;
    store.set_meta("sync.last", &now.to_string())?;
    tracing::info!(
        provider = summary.provider,
        feeds = summary.feeds,
        new = summary.new_items,
        pushed = summary.pushed,
        pulled = summary.pulled,
        "sync finished"
    );
    Ok(summary)
}

/// Keeps the articles the server pages in, and ends the paging when the sync's share of
/// time for them is spent (so that a slow server's first sync still reaches the id
/// lists, and the next one goes on where this one stopped).
pub(super) struct Taker<'a> {
    pub store: &'a mut Store,
    feeds: &'a HashMap<String, crate::model::FeedId>,
    /// The `[[filter]]` rules new articles meet.
    filters: Option<&'a crate::search::rules::ServerFeeds<'a>>,
    now: i64,
    started: std::time::Instant,
    pub new: usize,
}

impl<'a> Taker<'a> {
    pub fn new(
        store: &'a mut Store,
        feeds: &'a HashMap<String, crate::model::FeedId>,
        now: i64,
    ) -> Taker<'a> {
        Taker {
            store,
            feeds,
            filters: None,
            now,
            started: std::time::Instant::now(),
            new: 0,
        }
    }

    /// The sync's time (Unix seconds).
    pub fn now(&self) -> i64 {
        self.now
    }

    pub fn page(&mut self, page: &[crate::model::RemoteItem]) -> Result<(), SyncError> {
        self.new += self
            .store
            .insert_filtered(page, self.feeds, self.now, self.filters)?;
        if self.started.elapsed() > super::SYNC_LIMIT * 2 / 5 {
            tracing::warn!("new articles: this sync's share of time is spent; the rest next time");
            return Err(SyncError::Enough);
        }
        Ok(())
    }
}

/// Sends the queued marks, each article's last state of each kind, and unqueues them
/// once the server has them all. Returns how many were sent.
pub(super) fn push(store: &mut Store, provider: &mut dyn SyncProvider) -> Result<usize, SyncError> {
    let queued = store.queued_marks()?;
    if queued.is_empty() {
        return Ok(0);
    }
    // The last mark of each kind wins: read then unread is unread.
    let mut latest: HashMap<(String, bool), Mark> = HashMap::new();
    for m in &queued {
        latest.insert((m.remote_id.clone(), m.mark.is_star()), m.mark);
    }
    let mut by_mark: HashMap<Mark, Vec<String>> = HashMap::new();
    for ((id, _), mark) in latest {
        by_mark.entry(mark).or_default().push(id);
    }
    let mut sent = 0;
    for mark in [Mark::Read, Mark::Unread, Mark::Star, Mark::Unstar] {
        if let Some(mut ids) = by_mark.remove(&mark) {
            if mark == Mark::Read {
                let whole = read_whole_feeds(store, provider, &ids)?;
                sent += whole.len();
                ids.retain(|id| !whole.contains(id));
            }
            ids.sort();
            provider.mark(&ids, mark)?;
            sent += ids.len();
        }
    }
    // Exactly what was sent: a mark queued meanwhile (another key, another process)
    // has a newer number and waits for the next push.
    let seqs: Vec<i64> = queued.iter().map(|m| m.seq).collect();
    store.unqueue_marks(&seqs)?;
    Ok(sent)
}

/// A feed with at least this many read marks may go in one request (the key that marks
/// a feed read, mostly).
const WHOLE_FEED: usize = 5;

/// Sends as whole feeds the read marks that cover every article of a synced feed the
/// server has unread, where the protocol can; returns the articles the server then has
/// read. The server's own lists decide, before and after: a feed with an article unread
/// on the server that was not marked here (another device's unread mark) goes article
/// by article; and a server that reads `before` as the time it took an article in
/// (FreshRSS) rather than its publication (Miniflux, coldsweat) may leave some unread,
/// which are then marked one by one with the rest.
fn read_whole_feeds(
    store: &Store,
    provider: &mut dyn SyncProvider,
    ids: &[String],
) -> Result<HashSet<String>, SyncError> {
    let mut done = HashSet::new();
    let none = HashSet::new();
    if !provider.marks_feeds() || store.read_feeds(ids, WHOLE_FEED, &done, &none)?.is_empty() {
        return Ok(done);
    }
    let unread: HashSet<String> = provider.unread_ids()?.into_iter().collect();
    let held_back = match feeds_of_unseen(store, provider, &unread)? {
        Some(feeds) => feeds,
        // Too many to look up: every mark goes article by article.
        None => return Ok(done),
    };
    for feed in store.read_feeds(ids, WHOLE_FEED, &unread, &held_back)? {
        provider.mark_feed_read(&feed.remote_id, feed.newest.saturating_add(1))?;
        done.extend(feed.items);
    }
    if !done.is_empty() {
        for still in provider.unread_ids()? {
            done.remove(&still);
        }
    }
    Ok(done)
}

/// At most this many unread articles the cache has not seen are looked up for their
/// feeds before whole feeds are marked (Fever: a request per 50, so 100 requests at
/// most, where marking a big feed one article at a time takes one a mark); past it the
/// marks go one by one.
const UNSEEN_LOOKED_UP: usize = 5000;

/// The feeds (server ids) of the articles the server has unread and the cache lacks
/// (they came after the last sync): such a feed cannot be marked read whole, which would
/// read them unseen (a `before` bounds by time, and an older article can arrive late).
/// None when there are too many to ask about.
fn feeds_of_unseen(
    store: &Store,
    provider: &mut dyn SyncProvider,
    unread: &HashSet<String>,
) -> Result<Option<HashSet<String>>, SyncError> {
    let mut ids: Vec<String> = unread.iter().cloned().collect();
    ids.sort();
    let unseen = store.missing_remote_items(&ids)?;
    if unseen.is_empty() {
        return Ok(Some(HashSet::new()));
    }
    if unseen.len() > UNSEEN_LOOKED_UP {
        return Ok(None);
    }
    let found = provider.items_by_id(&unseen)?;
    // One the server would not describe could be in any feed.
    if found.len() < unseen.len() {
        return Ok(None);
    }
    Ok(Some(found.into_iter().map(|i| i.feed_id).collect()))
}

/// The config's feeds and the server's together: the feed list, `items`, search and
/// the refresh see one list. A feed both in the config and on the server keeps the
/// config's name and tags, and is fetched by the server only. Called again after a
/// sync, it makes the list the server's new one.
pub fn add_synced_feeds(config: &mut Config, synced: Vec<SyncedFeed>) {
    config
        .feeds
        .retain(|f| f.remote.as_ref().is_none_or(|r| r.configured));
    for spec in &mut config.feeds {
        spec.remote = None;
    }
    for feed in synced {
        if let Some(spec) = config.feeds.iter_mut().find(|f| f.url == feed.url) {
            spec.remote = Some(Remote {
                id: feed.remote_id,
                configured: true,
            });
            continue;
        }
        config.feeds.push(FeedSpec {
            url: feed.url,
            name: None,
            tags: feed.groups,
            options: Default::default(),
            hidden: false,
            remote: Some(Remote {
                id: feed.remote_id,
                configured: false,
            }),
            mailbox: None,
        });
    }
}

/// Whether two accounts ("provider url user") are the same: a URL written another way
/// (host case, default port, trailing slash) is the same server.
pub fn same_account(a: &str, b: &str) -> bool {
    fn key(account: &str) -> (String, String, String) {
        let mut parts = account.splitn(3, ' ');
        let provider = parts.next().unwrap_or_default().to_string();
        let url = parts.next().unwrap_or_default();
        let user = parts.next().unwrap_or_default().to_string();
        let url = match url::Url::parse(url) {
            Ok(u) => u.as_str().trim_end_matches('/').to_string(),
            Err(_) => url.trim_end_matches('/').to_string(),
        };
        (provider, url, user)
    }
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::same_account;

    #[test]
    fn a_url_written_another_way_is_the_same_account() {
        let a = "greader https://rss.example/api/greader.php alice";
        for b in [
            "greader https://RSS.example/api/greader.php/ alice",
            "greader https://rss.example:443/api/greader.php alice",
        ] {
            assert!(same_account(a, b), "{b}");
        }
        for b in [
            "fever https://rss.example/api/greader.php alice",
            "greader https://rss.example/api/greader.php bob",
            "greader https://other.example/api/greader.php alice",
        ] {
            assert!(!same_account(a, b), "{b}");
        }
    }
}
