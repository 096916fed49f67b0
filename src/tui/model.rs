//! The UI state, owned by the UI thread. Pane structs keep their own selection; nothing
//! here does I/O.

use super::keymap::Keymap;
use super::msg::ReqId;
use crate::article::Prepared;
use crate::model::{FeedId, FeedSummary, Item, ItemId};
use crate::render::Line;
use crate::store::{ItemQuery, Scope};
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use std::collections::{HashMap, HashSet};

mod areas;
mod articles;
mod modes;
mod settings;
pub use areas::{inner_height, reader_text_width, Areas};
pub use articles::ArticlesPane;
pub use modes::{Ask, Overlay, Prompt, Undo, UNDO_LEVELS};
pub use settings::{server_feeds, Server};

/// Rows of an article list are fetched in pages of this many.
pub const PAGE_SIZE: usize = 200;
/// Below this width one pane shows at a time.
pub const NARROW_WIDTH: u16 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Feeds,
    Articles,
    Reader,
}

/// One row of the feed list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedRow {
    AllUnread,
    Starred,
    /// A tag heading: selecting it shows the items of all its feeds.
    Tag(String),
    /// Index into `Model::feeds`.
    Feed(usize),
    /// What `/` typed in the feed list found, over every feed.
    Search,
    /// A `[[query]]`: index into `Model::searches`.
    Query(usize),
    /// Articles a `[[filter]]` hid.
    Hidden,
}

impl FeedRow {
    /// A stable key to remember the selection between runs.
    pub fn key(&self, feeds: &[FeedSummary]) -> String {
        match self {
            FeedRow::AllUnread => "all-unread".into(),
            FeedRow::Starred => "starred".into(),
            FeedRow::Tag(t) => format!("tag:{t}"),
            FeedRow::Feed(i) => feeds
                .get(*i)
                .map(|f| format!("feed:{}", f.url))
                .unwrap_or_default(),
            FeedRow::Search => "search".into(),
            FeedRow::Query(i) => format!("query:{i}"),
            FeedRow::Hidden => "hidden".into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedsPane {
    pub rows: Vec<FeedRow>,
    /// Index into the visible (filtered) rows.
    pub selected: usize,
    /// First visible row, kept by `update` so the selection stays on screen.
    pub offset: usize,
    /// The row the cursor was on when `/` put the Search row on top (by its key): leaving
    /// the search puts the cursor back there.
    pub before_search: Option<String>,
}

/// The open article, wrapped to the reader's width.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderPane {
    pub item: Item,
    /// The list's article the reader stands for: `item` itself, or the row whose story's
    /// other copy `c` shows. Keys pressed in the list on that row act on the copy on
    /// screen; they never open the row again over it.
    pub row: ItemId,
    pub prepared: Prepared,
    pub lines: Vec<Line>,
    pub width: usize,
    pub scroll: usize,
    /// Where the article's pictures go (rows kept under their placeholders).
    pub slots: Vec<super::images::Slot>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefreshStatus {
    /// Asked for and not yet started: the worker answers every request with a start,
    /// a finish or a failure, which clear this.
    pub requested: bool,
    /// Feeds done and in all, once the worker has started.
    pub running: Option<(usize, usize)>,
    pub last: Option<DateTime<Utc>>,
    /// Articles the last refresh brought.
    pub last_new: usize,
    /// A sync with the server is running.
    pub syncing: bool,
    /// Articles the sync ahead of the running refresh brought.
    pub synced_new: usize,
    /// Why the last sync failed (one line), until one succeeds.
    pub sync_error: Option<String>,
    /// Why a mailbox failed at the last read or push (one line), until one succeeds.
    pub mail_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub feeds: Vec<FeedSummary>,
    /// Names of feeds the list leaves out whose articles a list may still show (kept
    /// for their stars after `remove`).
    pub unlisted_feeds: HashMap<FeedId, String>,
    /// The newest article the cache held when the feed list's counts were read: `C`
    /// marks nothing newer.
    pub feeds_upto: Option<ItemId>,
    /// Starred articles: unread and in all, as the store last counted them.
    pub starred: (usize, usize),
    /// The widest feed name, so the feed list can be wide enough for it.
    pub feed_name_width: usize,
    pub feeds_pane: FeedsPane,
    /// The `[[query]]` searches with their counts, as the store last counted them.
    pub searches: Vec<super::msg::SavedCount>,
    /// How many articles filters hid (the Hidden row shows when there are any).
    pub hidden: usize,
    /// Of those, how many are unread.
    pub hidden_unread: usize,
    /// Articles still waiting for the search index.
    pub indexing: usize,
    /// Articles of the last four weeks per feed, for the health view.
    pub recent: std::collections::HashMap<FeedId, u32>,
    /// `recent` has been counted (a feed missing from it had none).
    pub recent_counted: bool,
    pub articles: ArticlesPane,
    pub reader: Option<ReaderPane>,
    pub reader_req: ReqId,
    /// The request whose answer the reader shows: another `reader_req` is an article
    /// on its way (a reload of the shown one then waits).
    pub reader_shown_req: ReqId,
    /// A key that acts on the open article (save, pipe, links), pressed in the list on
    /// a row that was not the open one: that row is being opened (this request), and
    /// the key acts on it once it is shown, never on the article shown before.
    pub after_open: Option<(ReqId, crate::tui::keymap::Action)>,
    /// An article the reader asked for itself (`c`'s other copy, `t`'s text): the request
    /// and the list row the reader stands for, which the article shown for it stands for.
    pub reader_for: Option<(ReqId, ItemId)>,
    /// `[reader] max_width`: the widest the article text gets.
    pub reader_max_width: usize,
    /// `[reader] hyperlinks`: links are drawn as terminal hyperlinks (OSC 8).
    pub hyperlinks: bool,
    /// `[general] feed_list_order`.
    pub feed_order: crate::config::FeedListOrder,
    pub focus: Pane,
    pub fullscreen: bool,
    pub size: (u16, u16),
    pub overlay: Option<Overlay>,
    /// First line of the overlay shown; `update` keeps it within the overlay.
    pub overlay_scroll: usize,
    pub prompt: Option<Prompt>,
    pub refresh: RefreshStatus,
    /// Feed counts changed during a refresh; reload them on the next tick.
    pub feeds_dirty: bool,
    /// The cache changed while a refresh ran: the article list is reloaded at the next
    /// tick.
    pub articles_dirty: bool,
    /// Ticks seen (wrapping): how the list's reloads during a refresh are spaced.
    pub ticks: u32,
    pub message: Option<String>,
    /// `[general] enclosure_command` is set: Enter on an enclosure opens it with that.
    pub enclosure_command: bool,
    /// Pictures are shown in the reader (a protocol was found for this terminal).
    pub images_on: bool,
    /// What `images = "auto"` finds in this terminal's environment, read once at start:
    /// a config reload decides from it without reading the environment again.
    pub auto_images: bool,
    /// The open article's pictures that arrived, by their index in the article.
    pub pictures: std::collections::HashMap<usize, super::images::Picture>,
    /// Which load the pictures belong to (a new article or width starts another).
    pub picture_req: u64,
    /// The rows each of the open article's pictures takes, as they arrive (0: failed).
    pub picture_rows: std::collections::HashMap<usize, u16>,
    /// The downloads as the download thread last told them.
    pub downloads: Vec<crate::store::Download>,
    /// The article whose page is being fetched for its full text (`t`).
    pub full_text_fetching: Option<crate::model::ItemId>,
    /// The address typed at `a`: the page the candidates it finds come from.
    pub discovering: Option<String>,
    /// Shown when no message is: e.g. where to put a config in demo mode.
    pub hint: Option<String>,
    pub keymap: Keymap,
    pub theme: super::theme::Theme,
    pub no_color: bool,
    /// Where the log file is, for the error list.
    pub log_path: Option<String>,
    pub now: DateTime<Utc>,
    pub restore: Option<(Option<String>, Option<ItemId>)>,
    /// Marking actions of this session, newest last, for `u`.
    pub undo: Vec<Undo>,
    /// Lists show unread articles only (`H`), remembered between runs.
    pub hide_read: bool,
    /// Lists over several feeds show one row per story (`[general] stories`).
    pub stories: bool,
    /// Unread copies of unread stories beyond the first: All unread counts less.
    pub unread_copies: usize,
    /// The same for each tag ("" is Untagged): its unread copies and copies in all.
    pub tag_copies: std::collections::HashMap<String, (usize, usize)>,
    /// Each list's order (`S`), by feed-list key, remembered between runs.
    pub sorts: std::collections::HashMap<String, crate::store::Order>,
    /// `[general] feed_list`: tag groups or one flat list.
    pub feed_layout: crate::config::FeedListLayout,
    /// Tag groups folded shut (by tag; "" is Untagged), remembered between runs.
    pub collapsed: std::collections::BTreeSet<String>,
    /// Each prompt's lines of this session, newest last (by `Ask::history`).
    pub histories: std::collections::HashMap<&'static str, Vec<String>>,
    /// The sync server, when the config has one.
    pub server: Option<Server>,
    /// Read state travels through a sync folder (`[sync] provider = "folder"`).
    pub sync_folder: bool,
    /// The URLs of the feeds the sync server lists: `d` unsubscribes them there.
    pub server_feeds: HashSet<String>,
    /// Where `w` offers to save (`[reader] save_dir`, else the download folder).
    pub save_dir: Option<std::path::PathBuf>,
    /// Marks made here and not yet sent to the server or the mailbox.
    pub marks_to_send: usize,
    pub next_req: ReqId,
    pub quit: bool,
}

impl Model {
    pub fn new(keymap: Keymap, now: DateTime<Utc>) -> Model {
        Model {
            feeds_upto: None,
            feeds: Vec::new(),
            unlisted_feeds: HashMap::new(),
            starred: (0, 0),
            feed_name_width: 0,
            feeds_pane: FeedsPane::default(),
            searches: Vec::new(),
            hidden: 0,
            hidden_unread: 0,
            indexing: 0,
            recent: Default::default(),
            recent_counted: false,
            articles: ArticlesPane::default(),
            reader: None,
            reader_req: 0,
            reader_shown_req: 0,
            after_open: None,
            reader_for: None,
            reader_max_width: 100,
            hyperlinks: true,
            feed_order: Default::default(),
            focus: Pane::Feeds,
            fullscreen: false,
            size: (80, 24),
            overlay: None,
            overlay_scroll: 0,
            prompt: None,
            refresh: RefreshStatus::default(),
            feeds_dirty: false,
            articles_dirty: false,
            ticks: 0,
            message: None,
            full_text_fetching: None,
            discovering: None,
            downloads: Vec::new(),
            images_on: false,
            auto_images: false,
            pictures: Default::default(),
            picture_req: 0,
            picture_rows: Default::default(),
            enclosure_command: false,
            hint: None,
            keymap,
            theme: super::theme::Theme::new(false),
            no_color: false,
            log_path: None,
            now,
            restore: None,
            undo: Vec::new(),
            hide_read: false,
            stories: true,
            unread_copies: 0,
            tag_copies: Default::default(),
            sorts: Default::default(),
            feed_layout: Default::default(),
            collapsed: Default::default(),
            histories: Default::default(),
            server: None,
            sync_folder: false,
            server_feeds: HashSet::new(),
            marks_to_send: 0,
            save_dir: None,
            next_req: 1,
            quit: false,
        }
    }

    pub fn req(&mut self) -> ReqId {
        self.next_req += 1;
        self.next_req
    }

    pub fn is_narrow(&self) -> bool {
        self.size.0 < NARROW_WIDTH
    }

    pub fn is_busy(&self) -> bool {
        self.refresh.running.is_some() || self.refresh.requested
    }

    /// The feed rows shown, as indices into `feeds_pane.rows` (all of them: `/` in the
    /// feed list searches articles instead of filtering feeds).
    pub fn visible_feed_rows(&self) -> Vec<usize> {
        (0..self.feeds_pane.rows.len()).collect()
    }

    pub fn selected_feed_row(&self) -> Option<&FeedRow> {
        let visible = self.visible_feed_rows();
        let index = *visible.get(self.feeds_pane.selected)?;
        self.feeds_pane.rows.get(index)
    }

    pub fn feed_name(&self, id: FeedId) -> &str {
        self.feeds
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.name.as_str())
            .or_else(|| self.unlisted_feeds.get(&id).map(String::as_str))
            .unwrap_or("")
    }

    /// The feeds a feed-list row stands for. (Iterated, not collected and searched: with
    /// thousands of feeds, "is this id in the list" for each feed cost a frame.)
    pub fn row_feeds<'a>(&'a self, row: &'a FeedRow) -> impl Iterator<Item = &'a FeedSummary> + 'a {
        self.feeds
            .iter()
            .enumerate()
            .filter(move |(i, f)| match row {
                FeedRow::AllUnread
                | FeedRow::Starred
                | FeedRow::Search
                | FeedRow::Query(_)
                | FeedRow::Hidden => true,
                // The empty tag is the "Untagged" group: feeds with no tag.
                FeedRow::Tag(t) if t.is_empty() => f.tags.is_empty(),
                FeedRow::Tag(t) => f.tags.contains(t),
                FeedRow::Feed(j) => i == j,
            })
            .map(|(_, f)| f)
    }

    /// Feed ids a feed-list row stands for.
    pub fn row_feed_ids(&self, row: &FeedRow) -> Vec<FeedId> {
        self.row_feeds(row).map(|f| f.id).collect()
    }

    /// Unread and total articles of a feed-list row, from the feed counts (for
    /// "Starred", as the store counted them).
    pub fn row_counts(&self, row: &FeedRow) -> Option<(usize, usize)> {
        match row {
            FeedRow::Starred => return Some(self.starred),
            FeedRow::Search => return None,
            FeedRow::Query(i) => return self.searches.get(*i).and_then(|s| s.counts),
            FeedRow::Hidden => return Some((self.hidden_unread, self.hidden)),
            FeedRow::AllUnread => return Some((self.unread_stories(), self.unread_stories())),
            _ => {}
        }
        let (unread, total) = self.row_feeds(row).fold((0, 0), |(u, t), f| {
            (u + f.unread as usize, t + f.total as usize)
        });
        // A tag's list shows a story once: its further copies are not rows.
        let (unread_copies, copies) = match row {
            FeedRow::Tag(t) if self.stories => self.tag_copies.get(t).copied().unwrap_or_default(),
            _ => (0, 0),
        };
        Some((
            unread.saturating_sub(unread_copies),
            total.saturating_sub(copies),
        ))
    }

    /// The query behind a feed-list row.
    pub fn row_query(&self, row: &FeedRow) -> ItemQuery {
        let mut ids = self.row_feed_ids(row);
        // A search covers every cached article: the starred ones kept from feeds no
        // longer subscribed too.
        if matches!(row, FeedRow::Search) {
            ids.extend(self.unlisted_feeds.keys().copied());
        }
        let scope = match row {
            FeedRow::Feed(_) if ids.len() == 1 => Scope::Feed(ids[0]),
            _ => Scope::Feeds(ids),
        };
        let stories = self.stories && matches!(scope, Scope::Feeds(_));
        ItemQuery {
            scope,
            // A search and the hidden articles list what they find, read or not.
            unread_only: (self.hide_read && !matches!(row, FeedRow::Search | FeedRow::Hidden))
                || matches!(row, FeedRow::AllUnread),
            starred_only: matches!(row, FeedRow::Starred),
            search: None,
            order: self
                .sorts
                .get(&row.key(&self.feeds))
                .copied()
                .unwrap_or_default(),
            stories,
        }
    }

    /// The number of rows of a row's list, from the counts the feed list already has;
    /// None when the store must count them (a list over several feeds shows a story
    /// once, and the counts have every copy).
    pub fn row_total(&self, row: &FeedRow) -> Option<usize> {
        let total = self.row_sum(row)?;
        let several = self.row_feeds(row).nth(1).is_some();
        (!(self.stories && several)).then_some(total)
    }

    /// The feed counts' sum for a row's list: what it shows, a story once per copy.
    pub fn row_sum(&self, row: &FeedRow) -> Option<usize> {
        let sum = |f: fn(&FeedSummary) -> u32| -> usize {
            self.row_feeds(row).map(|s| f(s) as usize).sum()
        };
        match row {
            FeedRow::Starred | FeedRow::Search | FeedRow::Query(_) | FeedRow::Hidden => None,
            FeedRow::AllUnread => Some(sum(|f| f.unread)),
            _ if self.hide_read => Some(sum(|f| f.unread)),
            _ => Some(sum(|f| f.total)),
        }
    }

    pub fn total_unread(&self) -> usize {
        self.feeds.iter().map(|f| f.unread as usize).sum()
    }

    /// Unread stories: each story once, however many feeds have it.
    pub fn unread_stories(&self) -> usize {
        let copies = if self.stories { self.unread_copies } else { 0 };
        self.total_unread().saturating_sub(copies)
    }

    pub fn failing_feeds(&self) -> Vec<&FeedSummary> {
        self.feeds
            .iter()
            .filter(|f| f.last_error.is_some())
            .collect()
    }

    pub fn areas(&self) -> Areas {
        Areas::compute(self)
    }
}
