//! Syncing with an aggregator server (work in progress for #15, not wired to the program
//! yet): one `SyncProvider` trait the core talks to, one file per protocol.

pub mod fever;

/// A feed as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFeed {
    pub id: String,
    pub title: String,
    pub url: String,
    pub site_url: Option<String>,
    /// The server's groups or categories: tags here.
    pub groups: Vec<String>,
}

/// An article as the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    pub id: String,
    pub feed_id: String,
    pub title: String,
    pub author: Option<String>,
    pub html: String,
    pub url: Option<String>,
    /// A Unix time.
    pub published: Option<i64>,
    pub read: bool,
    pub starred: bool,
}

/// A change of state sent to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Read,
    Unread,
    Star,
    Unstar,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Http(#[from] crate::fetch::FetchError),
    #[error("the server refused the user name or password")]
    Auth,
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the server's answer is not what the protocol says: {0}")]
    Protocol(String),
}

/// What every sync protocol offers the core.
pub trait SyncProvider {
    fn name(&self) -> &'static str;
    /// Checks the credentials.
    fn login(&mut self) -> Result<(), SyncError>;
    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError>;
    /// Articles newer than `after` (a server id; None: from the start), in id order, a
    /// page at a time: an empty page is the end.
    fn items_after(&mut self, after: Option<&str>) -> Result<Vec<RemoteItem>, SyncError>;
    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError>;
    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError>;
    fn mark(&mut self, ids: &[String], mark: Mark) -> Result<(), SyncError>;
}
