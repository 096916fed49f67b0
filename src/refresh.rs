//! Refreshing feeds: fetch and parse on a pool of threads, write on the calling thread.
//!
//! One function serves `bulletin refresh`, the TUI's background worker and the tests.
//! Fetching and parsing run in parallel (parsing is CPU work and uses every core); the
//! writes go through the caller's single connection, the feeds waiting written together
//! in one transaction (see writer; a feed the cache refuses costs only itself), and a
//! kill mid-refresh loses at most the batch being written (its feeds are fetched again
//! at the next refresh, their validators with them).

mod fulltext;
mod handover;
mod hosts;
mod moves;
mod work;
mod writer;

use crate::fetch::{FetchOutcome, Fetcher};
use crate::model::FeedId;
use crate::parse::parse_feed;
use crate::store::{Failure, FeedTarget, PreparedFeed, Store};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedResult {
    /// Not due: the feed's own refresh_interval_minutes has not passed.
    Skipped,
    NotModified,
    Updated {
        new_items: usize,
        /// The document stopped before its end (parse::ends_early): what was read of it
        /// is kept, and its validators are not, so the next refresh fetches it whole.
        cut_short: bool,
    },
    Failed(String),
    /// Not fetched: its host answered another of its feeds 429 or 503 and asked to
    /// wait. Said, and counted apart: the feed itself did not fail.
    Held(String),
}

/// One feed finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedDone {
    pub id: FeedId,
    pub url: String,
    pub result: FeedResult,
}

/// Totals of a refresh, as `refresh --json` prints them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub feeds: usize,
    pub ok: usize,
    pub failed: usize,
    pub not_modified: usize,
    pub new_items: usize,
    /// Feeds whose document stopped before its end (what was read is kept); in `refresh
    /// --json` when there are any.
    #[serde(skip_serializing_if = "is_zero")]
    pub cut_short: usize,
    /// Feeds not fetched because their host asked to wait (a 429 or 503 to another of
    /// its feeds): neither ok nor failed; in `refresh --json` when there are any.
    #[serde(skip_serializing_if = "is_zero")]
    pub held: usize,
    /// Feeds that moved (a permanent redirect followed); not in `refresh --json`.
    #[serde(skip)]
    pub moved: usize,
    /// Articles of `full_text` feeds whose page was fetched and extracted.
    #[serde(skip)]
    pub full_texts: usize,
}

/// What is said of a feed whose document stopped before its end.
pub const CUT_SHORT: &str = "the document stops before its end (cut short?): what could be \
    read of it is kept, and it is fetched whole at the next refresh";

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    fn add(&mut self, result: &FeedResult) {
        match result {
            FeedResult::NotModified => {
                self.ok += 1;
                self.not_modified += 1;
            }
            FeedResult::Updated {
                new_items,
                cut_short,
            } => {
                self.ok += 1;
                self.new_items += new_items;
                self.cut_short += usize::from(*cut_short);
            }
            FeedResult::Failed(_) => self.failed += 1,
            FeedResult::Held(_) => self.held += 1,
            FeedResult::Skipped => {}
        }
    }
}

/// What to refresh: these feeds or every configured one; `force` fetches even feeds whose
/// server asked to wait (a refresh the user asked for).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub feeds: Option<Vec<FeedId>>,
    pub force: bool,
}

pub struct Options {
    pub concurrency: usize,
    /// Requests in flight to one host at most.
    pub max_per_host: u32,
    pub keep_days: u32,
    /// Fetch even feeds whose server asked to wait (a refresh the user asked for).
    pub force: bool,
    /// The longest a Retry-After is honoured.
    pub max_retry_after: chrono::Duration,
    /// `[[filter]]` rules for new articles, and what they need to know of each feed.
    pub rules: crate::search::rules::Rules,
    pub feeds: HashMap<FeedId, FeedContext>,
    /// The config file a feed that moved is rewritten in (None: moves are not followed).
    pub config_path: Option<std::path::PathBuf>,
    /// `[general] stories`: how new articles are grouped with their copies.
    pub stories: crate::story::Mode,
}

/// A feed as its refresh sees it: its configured name and tags (for the rules), its own
/// settings, and its basic-auth password when it has one (or why there is none).
#[derive(Clone, Default)]
pub struct FeedContext {
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub options: crate::config::FeedOptions,
    pub auth: Option<Result<(String, String), String>>,
}

/// Never the password: a context printed for debugging says only whether there is one.
impl std::fmt::Debug for FeedContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedContext")
            .field("name", &self.name)
            .field("tags", &self.tags)
            .field("auth", &self.auth.as_ref().map(|a| a.is_ok()))
            .finish_non_exhaustive()
    }
}

impl FeedContext {
    fn request(&self) -> crate::fetch::RequestOptions {
        crate::fetch::RequestOptions {
            timeout: self
                .options
                .timeout_seconds
                .map(|s| std::time::Duration::from_secs(u64::from(s))),
            user_agent: self.options.user_agent.clone(),
            headers: self.options.headers.clone(),
            auth: self.auth.clone().and_then(Result::ok),
        }
    }
}

impl Options {
    pub fn new(general: &crate::config::General, force: bool) -> Options {
        let minutes = general
            .max_retry_after_minutes
            .min(crate::config::RETRY_AFTER_LIMIT_MINUTES);
        Options {
            concurrency: general.max_concurrent_fetches as usize,
            max_per_host: general.max_per_host,
            keep_days: general.keep_days,
            force,
            max_retry_after: chrono::Duration::minutes(i64::from(minutes)),
            rules: Default::default(),
            feeds: HashMap::new(),
            config_path: None,
            stories: general.stories,
        }
    }

    /// The config's filters, for the feeds it lists.
    pub fn with_filters(
        mut self,
        config: &crate::config::Config,
        list: &crate::feedlist::FeedList,
    ) -> Options {
        self.config_path = config.path.clone();
        self.rules = crate::search::rules::Rules::new(
            config.filters.iter().map(|f| (f.query.as_str(), f.action)),
            Utc::now(),
        );
        self.feeds = list
            .iter()
            .map(|crate::feedlist::Listed { id, spec }| {
                // The password is asked for once a refresh; it lives only in memory.
                let auth = spec.options.username.as_ref().map(|user| {
                    crate::config::run_password_command(&spec.options.password_command)
                        .map(|password| (user.clone(), password))
                });
                let context = FeedContext {
                    name: spec.name.clone(),
                    tags: spec.tags.clone(),
                    options: spec.options.clone(),
                    auth,
                };
                (id, context)
            })
            .collect();
        self
    }

    /// Until when a feed is left alone: what its server asked, capped counting from the
    /// last attempt (so a wait stored by an older build, or under a larger cap, ends too).
    fn wait_until(&self, target: &FeedTarget) -> Option<DateTime<Utc>> {
        let asked = target.retry_after?;
        let cap = target.last_attempt.map(|t| t + self.max_retry_after);
        Some(cap.map_or(asked, |cap| asked.min(cap)))
    }
}

/// What a fetch thread hands to the writer.
enum Work {
    /// 304, and where the feed lives now if permanent redirects led there.
    NotModified(Option<String>),
    /// The feed, its validators, the HTTP status, where it moved to, and whether the
    /// document was cut short.
    Parsed(
        PreparedFeed,
        crate::model::Validators,
        Option<u16>,
        Option<String>,
        bool,
    ),
    Failed(String, Option<u16>, Option<DateTime<Utc>>),
    /// Not fetched: its host asked to wait (a 429 or 503 to another of its feeds); why,
    /// and until when. Not counted as the feed's failure.
    Held(String, Option<DateTime<Utc>>),
}

/// A refresh from start to end, the one entry point of `bulletin refresh` and the TUI's
/// worker: these feeds (or every configured one), the cache's validators and waits, the
/// config's options, a log line at each end and one for each failed feed. `on_start`
/// hears how many feeds there are, `on_done` each one as it is written.
pub fn run(
    store: &mut Store,
    fetcher: &Fetcher,
    config: &crate::config::Config,
    request: Request,
    cancel: &AtomicBool,
    on_start: impl FnOnce(usize),
    mut on_done: impl FnMut(&FeedDone, &Summary),
) -> Result<Summary, crate::store::StoreError> {
    let list = crate::feedlist::FeedList::of(config, store)?;
    // The sync server fetches the feeds it brings (see the sync module), and newsletters
    // come from their mailboxes (see the mail module), whether or not the caller's
    // config has them merged in yet: none of them is fetched here.
    let mut synced: std::collections::HashSet<FeedId> = list
        .iter()
        .filter(|f| f.spec.remote.is_some() || f.spec.mailbox.is_some())
        .map(|f| f.id)
        .collect();
    if config.sync.is_some() {
        synced.extend(store.synced_feeds()?.iter().map(|f| f.id));
    }
    synced.extend(store.mail_feeds()?.iter().map(|f| f.id));
    // The feeds asked for (None: all), for the full-text phase below.
    let requested = request.feeds.clone();
    let mut ids = match request.feeds {
        Some(mut ids) => {
            ids.sort();
            ids.dedup();
            ids
        }
        None => list.ids(),
    };
    ids.retain(|id| !synced.contains(id));
    let targets = store.feed_targets(&ids)?;
    tracing::info!(feeds = targets.len(), "refresh started");
    on_start(targets.len());
    let opts = Options::new(&config.general, request.force).with_filters(config, &list);
    store.keep_stories(opts.stories, Utc::now().timestamp())?;
    let summary = refresh(store, fetcher, targets, &opts, cancel, |done, summary| {
        match &done.result {
            FeedResult::Failed(e) => tracing::warn!(url = %done.url, "feed failed: {e}"),
            FeedResult::Held(why) => tracing::info!(url = %done.url, "{why}"),
            FeedResult::Updated {
                cut_short: true, ..
            } => tracing::warn!(url = %done.url, "{}", CUT_SHORT),
            _ => {}
        }
        on_done(done, summary);
    });
    // Full text for the new articles of the feeds that ask for it (the server's feeds
    // included: their articles came by sync).
    let mut summary = summary;
    if !cancel.load(Ordering::Relaxed) {
        summary.full_texts = fulltext::fetch_for(
            store,
            fetcher,
            config,
            &list,
            requested.as_deref(),
            &opts,
            cancel,
        )?;
    }
    tracing::info!(
        ok = summary.ok,
        failed = summary.failed,
        new = summary.new_items,
        full_texts = summary.full_texts,
        "refresh finished"
    );
    Ok(summary)
}

/// The pages of a feed's articles where they are the articles (a gemlog's entries are
/// links only), for a feed `add` just wrote from what it had fetched: without them the
/// articles would read empty until the next refresh. Returns how many came.
pub fn pages_of_added(
    store: &mut Store,
    fetcher: &Fetcher,
    config: &crate::config::Config,
    id: FeedId,
) -> Result<usize, crate::store::StoreError> {
    let list = crate::feedlist::FeedList::of(config, store)?;
    let opts = Options::new(&config.general, false);
    let never = AtomicBool::new(false);
    fulltext::fetch_for(store, fetcher, config, &list, Some(&[id]), &opts, &never)
}

/// Refreshes `targets`, calling `on_done` after each feed is written. Stops handing out
/// new feeds once `cancel` is set; feeds already written stay written.
pub fn refresh(
    store: &mut Store,
    fetcher: &Fetcher,
    targets: Vec<FeedTarget>,
    opts: &Options,
    cancel: &AtomicBool,
    mut on_done: impl FnMut(&FeedDone, &Summary),
) -> Summary {
    let mut summary = Summary {
        feeds: targets.len(),
        ..Summary::default()
    };
    let now = Utc::now();
    // Feeds with an interval of their own wait for it, unless the refresh is forced.
    let (not_due, targets): (Vec<_>, Vec<_>) = targets.into_iter().partition(|t| {
        let interval = opts
            .feeds
            .get(&t.id)
            .and_then(|c| c.options.refresh_interval_minutes);
        !opts.force
            && interval.is_some_and(|m| {
                t.last_attempt
                    .is_some_and(|last| now - last < chrono::Duration::minutes(i64::from(m)))
            })
    });
    for t in not_due {
        let done = FeedDone {
            id: t.id,
            url: t.url,
            result: FeedResult::Skipped,
        };
        summary.add(&done.result);
        on_done(&done, &summary);
    }
    let (waiting, due): (Vec<_>, Vec<_>) = targets
        .into_iter()
        .partition(|t| !opts.force && (t.gone || opts.wait_until(t).is_some_and(|r| r > now)));
    for t in waiting {
        let when = opts
            .wait_until(&t)
            .unwrap_or(now)
            .format("%Y-%m-%d %H:%M UTC");
        let result = if t.gone {
            FeedResult::Failed(
                "gone (HTTP 410): not fetched again until asked (r, or refresh --force)".into(),
            )
        } else if t.failing {
            FeedResult::Failed(format!(
                "not retried before {when}, as the server asked (Retry-After)"
            ))
        } else {
            // Held by its host's answer to another feed, as in the refresh that held it.
            FeedResult::Held(format!(
                "not fetched before {when}: its host asked to wait (Retry-After)"
            ))
        };
        let done = FeedDone {
            id: t.id,
            url: t.url,
            result,
        };
        summary.add(&done.result);
        on_done(&done, &summary);
    }
    // The writer would otherwise wait for the disk at each checkpoint. Failing to start
    // them costs speed only; they stop when this goes out of scope.
    let _checkpoints = store.background_checkpoints().unwrap_or_else(|e| {
        tracing::warn!("background checkpoints: {e}");
        None
    });
    let threads = opts.concurrency.clamp(1, 256).min(due.len().max(1));
    let hosts = hosts::Hosts::new(due, opts.max_per_host);
    // Bounded: parsed feeds wait in memory only while the writer catches up.
    let handover = handover::Handover::<(FeedTarget, Work)>::new(handover::FEEDS_BYTES);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = handover.sender();
            let hosts = &hosts;
            scope.spawn(move || {
                // Fetch-and-parse threads outnumber the cores; at the lowest priority they
                // leave the single writer (and in the TUI, the UI thread) a core when it
                // needs one, instead of sharing it out among sixteen.
                let _ = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                );
                while let Some(next) = hosts.next(|| cancel.load(Ordering::Relaxed)) {
                    let (target, work) = match next {
                        hosts::Next::Fetch(target) => {
                            let work = work::fetch_and_read(fetcher, hosts, &target, opts);
                            (target, work)
                        }
                        hosts::Next::Skip(target, work) => (target, work),
                    };
                    if tx.send((target, work)).is_err() {
                        return;
                    }
                }
            });
        }
        writer::write_all(
            store,
            &handover.receiver(),
            opts,
            &mut summary,
            &mut on_done,
        );
    });
    summary
}
