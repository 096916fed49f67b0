//! What happened (`Msg`, past-tense facts sent to the UI thread) and what to do (`Cmd`,
//! imperatives that `update` returns and the effects runner carries out).

use crate::article::Prepared;
use crate::model::{FeedId, FeedSummary, Item, ItemId, ItemRow};
use crate::refresh::{FeedDone, Summary};
use crate::store::ItemQuery;
use crossterm::event::{KeyEvent, MouseEvent};

/// Numbers each request whose answer may arrive late, so stale answers are dropped.
pub type ReqId = u64;

/// A `[[query]]` as the feed list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCount {
    pub name: String,
    pub query: String,
    /// Unread and in all; None while not counted yet, or when the query names no feed.
    pub counts: Option<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// A timer tick while something is animating (refresh progress).
    Tick,
    FeedsLoaded(Vec<FeedSummary>),
    /// Feeds the cache holds that the list leaves out (unsubscribed, kept for their
    /// starred articles), by name: what their articles in Starred are shown under.
    UnlistedFeeds(Vec<(crate::model::FeedId, String)>),
    /// Unread articles that are another copy of an unread story (All unread counts
    /// each story once).
    CopiesCounted(usize),
    /// The same for each tag's list ("" is Untagged): unread copies and copies in all.
    TagCopiesCounted(std::collections::HashMap<String, (usize, usize)>),
    /// Starred articles over the listed feeds: unread and in all.
    StarredCounted {
        unread: usize,
        total: usize,
    },
    /// The saved searches with their counts (None until counted), and how many
    /// articles filters hid.
    SearchesCounted {
        searches: Vec<SavedCount>,
        hidden: usize,
        /// Of those, how many are unread (a mark made after the filter hid them).
        hidden_unread: usize,
    },
    /// The search index took in a batch; this many articles still wait.
    Indexing {
        left: usize,
    },
    PageLoaded {
        req: ReqId,
        page: usize,
        /// The row count, when the store was asked to count.
        total: Option<usize>,
        rows: Vec<ItemRow>,
        /// With a list's first page: the newest article the cache held as it was read
        /// (None: it held none). What the list shows is bounded by it, and so is a
        /// mark of the whole list: an article that came after was never on screen.
        upto: Option<ItemId>,
    },
    /// The newest article the cache held as the feed list's counts were read.
    FeedsUpto(Option<ItemId>),
    /// Each feed's articles of the last four weeks.
    RecentCounted(std::collections::HashMap<FeedId, u32>),
    /// Where the held article is in the list asked for (None: the list no longer holds it).
    Located {
        req: ReqId,
        id: ItemId,
        position: Option<usize>,
        /// When the list no longer holds it: the row it would be on, the first of those
        /// after it (None where the list's order has no keys to tell, a search's
        /// relevance).
        place: Option<usize>,
        /// When the list no longer holds it: the article's row as the cache has it now
        /// (read elsewhere, retitled by a refresh), for the row kept under the cursor.
        row: Option<Box<crate::model::ItemRow>>,
        /// The article the list has at `place` now (None: the list ends there, or not
        /// looked). The pages read before must have it there too; else the list changed
        /// in between (a refresh committed above) and is read again.
        next: Option<ItemId>,
    },
    /// What an address given to `a` turned out to be, or why it failed.
    Discovered(Result<crate::discover::Discovery, String>),
    /// The number of rows of a list whose first page came without it.
    Counted {
        req: ReqId,
        total: usize,
    },
    ArticleLoaded {
        req: ReqId,
        item: Box<Item>,
        prepared: Box<Prepared>,
    },
    /// The article asked for is no longer in the cache (its feed removed, here or from
    /// another device, or let go by retention).
    ArticleGone {
        req: ReqId,
    },
    /// An article's page was fetched and its full text kept, or why not (one line).
    FullTextFetched {
        id: ItemId,
        /// The article's page (its HTML, where it came from), or why there is none; the
        /// store thread keeps either.
        result: Result<crate::fulltext::Extracted, String>,
    },
    /// The selection saved by the last run: a feed-list key and an item, and whether
    /// read articles were hidden.
    Restored {
        feed_key: Option<String>,
        item: Option<ItemId>,
        hide_read: bool,
        collapsed: std::collections::BTreeSet<String>,
        /// Each list's order, by feed-list key.
        sorts: std::collections::HashMap<String, crate::store::Order>,
    },
    StoreFailed(String),
    /// A mark the UI showed at once could not be written: it is taken back (and its
    /// undo step dropped). `mark` is what was asked (None: `A` or `M`, a whole list).
    MarkFailed {
        error: String,
        mark: Option<super::model::Undo>,
    },
    /// Another connection wrote to the cache (another process, or the refresh worker).
    CacheChanged,
    /// The terminal went away.
    InputClosed,
    /// SIGHUP: read the config again.
    ReloadRequested,
    /// The config was read again (by the store thread), or why it could not be.
    ConfigReloaded(Result<Box<crate::config::Config>, String>),
    /// The reloaded config has these feeds the old one had not.
    FeedsAdded(Vec<FeedId>),
    RefreshStarted {
        total: usize,
    },
    RefreshProgress {
        done: FeedDone,
        summary: Summary,
    },
    RefreshFinished {
        summary: Summary,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// A refresh could not run or stopped (no cache, no HTTP client, a panic).
    RefreshFailed(String),
    /// A subscription or removal that went to the sync server ended: what to say.
    ServerEdited(Result<String, String>),
    /// A Gemini host's certificate accepted (`T` in the health view), or why not.
    Trusted {
        feed: crate::model::FeedId,
        result: Result<String, String>,
    },
    /// A picture of the article `req` is ready for the reader (None: it could not be had).
    ImageReady {
        req: u64,
        index: usize,
        picture: Option<super::images::Picture>,
    },
    /// The downloads, after one was queued, went on or ended.
    Downloads(Vec<crate::store::Download>),
    /// New articles arrived: ask the terminal for a desktop notification with this line.
    Notify(String),
    /// A sync with the `[sync]` server began (ahead of the refresh of local feeds).
    SyncStarted,
    /// It ended: what it did, or why it failed (one line; marks stay queued).
    SyncFinished(Result<crate::sync::Summary, String>),
    /// The mailboxes were read, or sent the marks made here: what came, what failed.
    MailRead(crate::mail::read::MailSummary),
    /// A mark-all went through: these items were unread and are read now.
    MarkedRead {
        ids: Vec<ItemId>,
    },
    /// Something done in the background finished (the browser, a save, a pipe): what to
    /// say about it.
    Notice(String),
    /// The queued marks went to the server: how many.
    Pushed(usize),
    /// The URLs of the feeds the sync server lists.
    ServerFeeds(std::collections::HashSet<String>),
    /// How many marks wait to be sent to the sync server or the mailbox.
    MarksWaiting(usize),
    /// A command the article was piped to ended: what it printed and how it exited.
    Piped {
        command: String,
        status: String,
        output: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    LoadFeeds,
    /// The downloads as the cache has them (another bulletin's too).
    LoadDownloads,
    /// Load the open article's pictures (index, address) for a reader this wide.
    LoadImages {
        req: u64,
        width: usize,
        images: Vec<(usize, String)>,
        allow_file: bool,
        /// The article's feed: a public feed's pictures come from public addresses only.
        origin: String,
    },
    /// Open an enclosure with `[general] enclosure_command`.
    OpenEnclosure(String),
    /// Queue an article's enclosure (its index) for download, and run the queue.
    QueueDownload {
        item: ItemId,
        index: usize,
    },
    /// Write a desktop-notification request (OSC 777 and OSC 9) to the terminal.
    TerminalNotify(String),
    /// The sync server's feeds changed: list them as the cache now has them.
    ReloadSynced,
    LoadPage {
        req: ReqId,
        query: ItemQuery,
        page: usize,
        /// Count the rows (a text filter is on); otherwise the model knows the total.
        count: bool,
    },
    LoadArticle {
        req: ReqId,
        id: ItemId,
        /// Show its full text when the cache has one (else the feed's text).
        full: bool,
    },
    /// `t`: fetch the article's page and keep its full text (off the UI thread).
    /// Accept the certificate a Gemini feed's host has now, then refresh the feed.
    TrustHost {
        feed: crate::model::FeedId,
        url: String,
    },
    FetchFullText {
        id: ItemId,
        url: String,
        /// The article's feed: what its page may reach depends on where the feed is.
        origin: String,
    },
    SetRead {
        ids: Vec<ItemId>,
        read: bool,
    },
    /// Mark read every item of this list (as filtered) up to the newest article it was
    /// loaded with; answered with `MarkedRead`.
    MarkRead {
        query: ItemQuery,
        upto: ItemId,
    },
    /// Mark read the items of this list above this one, as `MarkRead`.
    MarkAboveRead {
        query: ItemQuery,
        below: ItemId,
        upto: ItemId,
    },
    /// Keep an article's full text (HTML and where it came from), or why it has none.
    StoreFullText {
        id: ItemId,
        result: Result<crate::fulltext::Extracted, String>,
    },
    /// Find the row an article is on in this list; answered with `Msg::Located`.
    Locate {
        req: ReqId,
        query: ItemQuery,
        id: ItemId,
    },
    /// Remember every list's order (by feed-list key), for the next run.
    SaveSorts(std::collections::HashMap<String, crate::store::Order>),
    /// Remember whether read articles are hidden, for the next run.
    SaveHideRead(bool),
    SaveCollapsed(std::collections::BTreeSet<String>),
    /// Save this text (the article as shown) to a file named after the title.
    /// Write the article to this file (or beside it, when it is taken).
    SaveArticle {
        path: std::path::PathBuf,
        title: String,
        text: String,
    },
    /// Run `command` with the shell, the text on its standard input, its output kept.
    PipeArticle {
        command: String,
        text: String,
    },
    /// Open the config in the user's editor, then reload it.
    EditConfig,
    /// Send the queued marks to the server and the mailbox soon.
    PushMarks,
    SetStarred {
        id: ItemId,
        starred: bool,
    },
    /// None refreshes every feed; `force` ignores a server's Retry-After (the user asked).
    Refresh {
        feeds: Option<Vec<FeedId>>,
        force: bool,
    },
    OpenUrl(String),
    CopyToClipboard(String),
    ReloadConfig,
    /// Hand a reloaded config to the refresh worker and the effects runner.
    UseConfig(Box<crate::config::Config>),
    SaveSelection {
        feed_key: String,
        item: Option<ItemId>,
    },
    /// Count each feed's articles of the last four weeks; answered with `RecentCounted`.
    CountRecent,
    /// Find the feed(s) at an address, off the UI thread; answered with `Discovered`.
    /// `origin` is the page a candidate was found on (None: the user typed it): what a
    /// public page links to is fetched from public addresses only.
    Discover {
        url: String,
        origin: Option<String>,
    },
    /// Change the subscriptions in the config (and the cache); answered with `Notice`.
    EditFeeds(FeedEdit),
}

/// A change to the subscriptions.
#[derive(Debug, Clone)]
pub enum FeedEdit {
    Subscribe(Box<crate::discover::Found>),
    Remove { url: String },
    Rename { url: String, name: String },
    Tags { url: String, tags: Vec<String> },
}

impl PartialEq for FeedEdit {
    /// By what they change (a subscription by its URL).
    fn eq(&self, other: &FeedEdit) -> bool {
        use FeedEdit::*;
        match (self, other) {
            (Subscribe(a), Subscribe(b)) => a.url == b.url,
            (Remove { url: a }, Remove { url: b }) => a == b,
            (Rename { url: a, name: x }, Rename { url: b, name: y }) => a == b && x == y,
            (Tags { url: a, tags: x }, Tags { url: b, tags: y }) => a == b && x == y,
            _ => false,
        }
    }
}
