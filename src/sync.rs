//! Syncing with an aggregator server (FreshRSS, Miniflux, coldsweat, Inoreader, ...): one
//! `SyncProvider` trait the core talks to, one file per protocol, and the one sync run
//! (`run`) that `bulletin sync`, `refresh` and the TUI share. No terminal code here.

mod engine;
pub mod fever;
pub mod greader;
mod history;
mod json;
mod lock;
mod session;

pub use engine::{add_synced_feeds, connect, run, sync_configured, Scope, Summary};

pub use lock::{SyncLock, WAIT as LOCK_WAIT};
pub use session::{Session, SYNC_LIMIT};

pub use crate::model::{Mark, RemoteFeed, RemoteItem};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Http(#[from] crate::fetch::FetchError),
    #[error("the server refused the user name or password (FreshRSS and Miniflux want the API password set in the profile, not the web login's)")]
    Auth,
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the server's answer is not what the protocol says: {0}")]
    Protocol(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Cache(#[from] crate::store::StoreError),
    /// Said by a page's receiver to end the paging early (this sync's share of time is
    /// spent); the provider returns the cursor so far, so the next sync goes on from it.
    #[error("this sync's time for new articles is spent")]
    Enough,
    /// The password could not be had (its command failed, its variable is not set).
    #[error("{0}")]
    Password(String),
    /// Another process holds the cache's sync lock.
    #[error("another bulletin has been syncing this cache for {secs} s ({path}); try again later")]
    Busy { secs: u64, path: String },
    #[error("{path}: cannot lock: {reason}")]
    Lock { path: String, reason: String },
    /// Syncing through a folder failed (`provider = "folder"`).
    #[error("{0}")]
    Folder(#[from] crate::folder::FolderError),
}

/// A sync or push that failed, as one line: the server, what went wrong, and what is
/// kept (what came, the marks still queued).
#[derive(Debug, thiserror::Error)]
#[error("sync with {server}: {error}{kept}")]
pub struct SyncFailure {
    pub server: String,
    pub error: SyncError,
    /// "; 3 marks made here stay queued" and the like, or nothing.
    pub kept: String,
}

impl SyncFailure {
    pub fn new(server: &str, error: SyncError) -> SyncFailure {
        SyncFailure {
            server: server.to_string(),
            error,
            kept: String::new(),
        }
    }
}

/// Where a run of pages stopped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Paged {
    /// Where the next call goes on: newer than it (`new_items`), older (`older_items`).
    pub cursor: Option<String>,
    /// It stopped before the end: the limit, or the sync's share of time.
    pub more: bool,
    /// `older_items` only: the cursor `new_items` goes on from, after the newest seen.
    pub top: Option<String>,
}

/// What every sync protocol offers the core.
pub trait SyncProvider {
    fn name(&self) -> &'static str;
    /// Every request from now on ends by `limit` from now (one sync's, or one push's).
    fn set_deadline(&mut self, limit: std::time::Duration);
    /// Checks the credentials (and takes whatever token the protocol hands out).
    fn login(&mut self) -> Result<(), SyncError>;
    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError>;
    /// Articles that arrived since `cursor` (None: from the account's start), a page at
    /// a time to `page`, up to `limit`; `Paged::cursor` is where the next sync goes on.
    fn new_items(
        &mut self,
        cursor: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError>;
    /// The account's history: articles older than `before` (None: from the newest),
    /// newest first, a page at a time, up to `limit`. A first sync starts here, so the
    /// recent articles come first; later syncs go on from `Paged::cursor`.
    /// `Unsupported` where the server cannot page backwards (its history then comes
    /// oldest first, through `new_items`).
    fn older_items(
        &mut self,
        before: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError> {
        let _ = (before, limit, page);
        Err(SyncError::Unsupported(format!(
            "the {} server cannot page backwards",
            self.name()
        )))
    }
    /// The id of the account's newest article above `above`, where ids are numbers that
    /// grow and the server cannot page backwards: a first sync then starts its new
    /// articles that far below it, and takes the history below that in later stretches.
    /// `None` when there is none above. `Unsupported` where it cannot be told.
    fn newest_id(&mut self, above: u64) -> Result<Option<u64>, SyncError> {
        let _ = above;
        Err(SyncError::Unsupported(format!(
            "the {} server cannot tell its newest article",
            self.name()
        )))
    }
    /// These articles (ids as `unread_ids` gives them).
    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError>;
    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError>;
    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError>;
    /// Sets a state on these articles. An article the server no longer has is skipped.
    fn mark(&mut self, ids: &[String], mark: Mark) -> Result<(), SyncError>;
    /// Whether the protocol marks a feed read in one request (`mark_feed_read`).
    fn marks_feeds(&self) -> bool {
        false
    }
    /// Marks read, in one request, a feed's articles published before `before` (a Unix
    /// time), where `marks_feeds`.
    fn mark_feed_read(&mut self, feed_id: &str, before: i64) -> Result<(), SyncError> {
        let _ = (feed_id, before);
        Err(SyncError::Unsupported(format!(
            "the {} API marks articles one by one",
            self.name()
        )))
    }
    /// Subscribes the account to a feed, in a group when given.
    fn subscribe(&mut self, url: &str, group: Option<&str>) -> Result<(), SyncError> {
        let _ = (url, group);
        Err(SyncError::Unsupported(format!(
            "the {} API cannot add feeds; add it on the server",
            self.name()
        )))
    }
    /// Unsubscribes the account from a feed (the server's feed id).
    fn unsubscribe(&mut self, feed_id: &str) -> Result<(), SyncError> {
        let _ = feed_id;
        Err(SyncError::Unsupported(format!(
            "the {} API cannot remove feeds; remove it on the server",
            self.name()
        )))
    }
}

/// A title or name from the server as one clean line: servers send titles as text
/// with entities, some with tags left in.
pub fn clean_title(raw: &str) -> String {
    let decoded = if raw.contains('<') {
        crate::render::html_to_line(raw)
    } else {
        html_escape::decode_html_entities(raw).into_owned()
    };
    crate::sanitize::clean_line(&decoded.replace('\u{a0}', " "))
}

/// A link from the server, kept only when it is a web link.
pub fn clean_link(raw: &str) -> Option<String> {
    let line = crate::sanitize::clean_line(raw);
    let url = url::Url::parse(&line).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}
