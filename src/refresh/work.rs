//! One feed's work in a refresh: fetched and parsed on a worker thread, then written on
//! the refresh's own thread with its arrivals (filters, notifications) and `keep_days`.

use super::*;

/// One feed fetched and read on a fetch thread. Its host's place is given back once the
/// server has answered: reading the feed (a filter, parsing, compression) is this
/// machine's work, not the server's, and a slow filter or a big feed would otherwise keep
/// the host's other feeds waiting. A panic costs this feed, never its host's place (the
/// other threads would wait for it for ever).
pub(super) fn fetch_and_read(
    fetcher: &Fetcher,
    hosts: &super::hosts::Hosts,
    target: &FeedTarget,
    opts: &Options,
) -> Work {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    let answer =
        catch_unwind(AssertUnwindSafe(|| fetch(fetcher, target, opts))).unwrap_or_else(|_| {
            let why = "the fetch failed unexpectedly".into();
            Answer::Done(Work::Failed(why, None, None))
        });
    hosts.done(target, answer.outcome());
    match answer {
        Answer::Done(work) => work,
        Answer::Body(body) => catch_unwind(AssertUnwindSafe(|| read(fetcher, target, opts, body)))
            .unwrap_or_else(|_| {
                let why = "reading the feed failed unexpectedly".into();
                Work::Failed(why, None, None)
            }),
    }
}

/// What a fetch brought: a body to read, or already the feed's outcome (not modified, or
/// failed).
enum Answer {
    Body(crate::fetch::Fetched),
    Done(Work),
}

impl Answer {
    /// The outcome, when the fetch itself ended the feed's turn.
    fn outcome(&self) -> Option<&Work> {
        match self {
            Answer::Body(_) => None,
            Answer::Done(work) => Some(work),
        }
    }
}

/// What a fetch and a read of the feed both go by: its context in the config, its
/// request's settings, and the folder its commands run in (the config's).
fn settings<'a>(
    opts: &'a Options,
    target: &FeedTarget,
) -> (
    Option<&'a FeedContext>,
    crate::fetch::RequestOptions,
    Option<&'a std::path::Path>,
) {
    let context = opts.feeds.get(&target.id);
    let request = context.map(FeedContext::request).unwrap_or_default();
    let dir = opts
        .config_path
        .as_deref()
        .and_then(std::path::Path::parent);
    (context, request, dir)
}

/// Asks the feed's server (or runs its command) for the feed.
fn fetch(fetcher: &Fetcher, target: &FeedTarget, opts: &Options) -> Answer {
    let max_wait = opts.max_retry_after;
    let (context, request, dir) = settings(opts, target);
    if let Some(Some(Err(why))) = context.map(|c| &c.auth) {
        return Answer::Done(Work::Failed(why.clone(), None, None));
    }
    let options = context.map(|c| &c.options);
    let fetched = match options.map(|o| o.command.as_slice()) {
        Some(command) if !command.is_empty() => fetcher
            .run_command(command, dir, request.timeout)
            .map(|body| {
                FetchOutcome::Modified(crate::fetch::Fetched {
                    body,
                    content_type: None,
                    validators: Default::default(),
                    http_status: None,
                    final_url: target.url.clone(),
                    moved_to: None,
                })
            }),
        // A command feed the config no longer has is not a URL to fetch.
        _ if target.url.starts_with(crate::config::EXEC_PREFIX) => {
            let why = "no longer a command feed of the config".into();
            return Answer::Done(Work::Failed(why, None, None));
        }
        // A forced refresh of a filtered feed fetches it whole: the filter may have
        // changed since the server's copy last did.
        _ if opts.force && options.is_some_and(|o| !o.filter.is_empty()) => {
            fetcher.fetch_with(&target.url, &Default::default(), &request)
        }
        _ => fetcher.fetch_with(&target.url, &target.validators, &request),
    };
    match fetched {
        Ok(FetchOutcome::NotModified { moved_to }) => Answer::Done(Work::NotModified(moved_to)),
        Ok(FetchOutcome::Modified(f)) => Answer::Body(f),
        Err(e) => {
            let latest = Utc::now() + max_wait;
            let wait = e.retry_after().map(|r| r.min(latest));
            Answer::Done(Work::Failed(e.to_string(), e.http_status(), wait))
        }
    }
}

/// Reads a fetched body into a feed ready to write: its filter run, parsed, compressed.
fn read(
    fetcher: &Fetcher,
    target: &FeedTarget,
    opts: &Options,
    mut fetched: crate::fetch::Fetched,
) -> Work {
    let (context, request, dir) = settings(opts, target);
    let options = context.map(|c| &c.options);
    // A 304 ran no filter; what changed goes through it before it is parsed.
    if let Some(filter) = options.map(|o| &o.filter).filter(|f| !f.is_empty()) {
        let body = std::mem::take(&mut fetched.body);
        match fetcher.filter(filter, body, dir, request.timeout) {
            Ok(body) => {
                fetched.body = body;
                // What the server said of its body (a charset, text/gemini) is not
                // said of what the filter made of it.
                fetched.content_type = None;
            }
            Err(e) => return Work::Failed(format!("filter: {e}"), fetched.http_status, None),
        }
    }
    // A panic in a parser must cost one feed, not the refresh.
    let parsed = std::panic::catch_unwind(|| {
        parse_feed(
            &fetched.body,
            fetched.content_type.as_deref(),
            &fetched.final_url,
        )
    });
    match parsed {
        // Compression and fingerprints here, in parallel, not on the single writer.
        Ok(Ok(feed)) => {
            let cut_short = crate::parse::ends_early(&fetched.body);
            if cut_short {
                // Kept, the validators would have the next refreshes told "not
                // modified" of the whole document this copy is the start of.
                fetched.validators = Default::default();
            }
            let arrivals = arrivals(opts, target, &feed);
            let stories = context.map_or(opts.stories, |c| c.options.story_mode(opts.stories));
            let mut prepared = PreparedFeed::grouped(feed, stories);
            for (item, arrival) in prepared.items.iter_mut().zip(arrivals) {
                item.arrival = arrival;
            }
            Work::Parsed(
                prepared,
                fetched.validators,
                fetched.http_status,
                fetched.moved_to,
                cut_short,
            )
        }
        Ok(Err(e)) => Work::Failed(e.to_string(), fetched.http_status, None),
        Err(_) => Work::Failed(
            "the parser failed on this feed".into(),
            fetched.http_status,
            None,
        ),
    }
}

/// The state each item would arrive in by the filters (only new items take it).
pub(super) fn arrivals(
    opts: &Options,
    target: &FeedTarget,
    feed: &crate::model::ParsedFeed,
) -> Vec<crate::search::rules::Arrival> {
    if opts.rules.is_empty() {
        return Vec::new();
    }
    let context = opts.feeds.get(&target.id).cloned().unwrap_or_default();
    let name = crate::model::feed_display_name(
        context.name.as_deref(),
        feed.title.as_deref(),
        &target.url,
    );
    let now = Utc::now().timestamp();
    feed.items
        .iter()
        .map(|item| {
            let html = item
                .content_html
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .or(item.summary_html.as_deref())
                .unwrap_or("");
            let body = crate::search::text::index_text(html);
            let article = crate::search::matcher::Article {
                title: &item.title,
                author: item.author.as_deref().unwrap_or(""),
                feed_name: &name,
                feed_url: &target.url,
                tags: &context.tags,
                body: &body,
                time: item
                    .published
                    .or(item.updated)
                    .map_or(now, |t| t.timestamp().min(now)),
            };
            opts.rules.arrival(&article)
        })
        .collect()
}

/// The feed's own keep_days, else the general one.
pub(super) fn keep_days(opts: &Options, target: &FeedTarget) -> u32 {
    opts.feeds
        .get(&target.id)
        .and_then(|c| c.options.keep_days)
        .unwrap_or(opts.keep_days)
}

/// One feed's outcome as written in the writer's batch, with what its move needs once
/// the batch is committed.
pub(super) struct Written {
    pub target: FeedTarget,
    pub result: FeedResult,
    moved_to: Option<String>,
    same_feed: bool,
    /// How many refreshes in a row saw the redirect (None: not noted).
    streak: Option<u32>,
    /// The cache refused a write (not the feed's own failure).
    pub cache_failed: bool,
}

impl Written {
    /// A feed not written at all.
    pub fn failed(target: &FeedTarget, why: &str) -> Written {
        Written {
            target: target.clone(),
            result: FeedResult::Failed(why.to_string()),
            moved_to: None,
            same_feed: false,
            streak: None,
            cache_failed: true,
        }
    }

    /// After the commit: follows the feed's move if it is due; true when it moved.
    pub fn settle(&self, store: &mut Store, opts: &Options) -> bool {
        // Noted only for a feed that did not fail (`write`).
        let Some(streak) = self.streak else {
            return false;
        };
        let config_path = opts.config_path.as_deref();
        let to = self.moved_to.as_deref();
        moves::follow(store, &self.target, to, self.same_feed, streak, config_path).is_some()
    }
}

/// Writes one feed's outcome (in the writer's batch, or its own transaction).
pub(super) fn write(
    store: &mut Store,
    target: &FeedTarget,
    work: &Work,
    opts: &Options,
    arrivals: &mut Vec<crate::store::StoryArrival>,
) -> Written {
    let now = Utc::now();
    // Asked before the write, which would make every article one we have.
    let (moved_to, same_feed) = match work {
        Work::NotModified(to) => (to.clone(), true),
        Work::Parsed(feed, _, _, to, _) if to.is_some() => {
            let guids = feed.items.iter().map(|i| i.guid.as_str());
            match store.has_any_guid(target.id, guids) {
                Ok(any) => (to.clone(), any),
                // In a batch, a failed read may have ended its transaction: the batch
                // is taken back and this feed written again on its own.
                Err(e) if store.batch_open() => {
                    return Written::failed(target, &e.to_string());
                }
                Err(_) => (to.clone(), false),
            }
        }
        _ => (None, false),
    };
    let outcome = match work {
        Work::NotModified(_) => store
            .record_not_modified(target, now)
            .map(|_| FeedResult::NotModified),
        Work::Parsed(feed, validators, status, _, cut_short) => store
            .apply_ungrouped(
                target.id,
                feed,
                validators,
                *status,
                now,
                keep_days(opts, target),
            )
            .map(|s| {
                arrivals.extend(s.arrivals);
                FeedResult::Updated {
                    new_items: s.new_items,
                    cut_short: *cut_short,
                }
            }),
        Work::Held(message, retry_after) => store
            .record_held(target.id, *retry_after, now)
            .map(|_| FeedResult::Held(message.clone())),
        Work::Failed(message, http_status, retry_after) => {
            let failure = Failure {
                message,
                http_status: *http_status,
                retry_after: *retry_after,
            };
            store
                .record_failure(target.id, &failure, now)
                .map(|_| FeedResult::Failed(message.clone()))
        }
    };
    let cache_failed = outcome.is_err();
    let result = outcome.unwrap_or_else(|e| FeedResult::Failed(e.to_string()));
    let streak = if matches!(result, FeedResult::Failed(_) | FeedResult::Held(_)) {
        None
    } else {
        moves::note(store, target, moved_to.as_deref())
    };
    Written {
        target: target.clone(),
        result,
        moved_to,
        same_feed,
        streak,
        cache_failed,
    }
}
