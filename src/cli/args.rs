//! The command line as clap reads it: the global options, the subcommands and their
//! arguments, each with its help text (a test checks that none lacks one).

use clap::builder::TypedValueParser;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The log levels by name (completed, shown in --help), and 1 to 5 as before (hidden).
fn log_levels() -> Vec<clap::builder::PossibleValue> {
    let names = ["error", "warn", "info", "debug", "trace"].map(clap::builder::PossibleValue::new);
    let numbers =
        ["1", "2", "3", "4", "5"].map(|n| clap::builder::PossibleValue::new(n).hide(true));
    names.into_iter().chain(numbers).collect()
}

/// Completes a feed's name from the config and the cache, as the shell asks.
fn feed_names() -> clap_complete::ArgValueCompleter {
    clap_complete::ArgValueCompleter::new(super::complete::feed_names)
}

/// Completes a feed's name or a saved search's.
fn feed_or_search_names() -> clap_complete::ArgValueCompleter {
    clap_complete::ArgValueCompleter::new(super::complete::feed_or_search_names)
}

#[derive(Debug, Parser)]
#[command(
    name = "bulletin",
    version = env!("BULLETIN_VERSION"),
    about = "A fast terminal reader for RSS, Atom and JSON Feed bulletins"
)]
pub struct Cli {
    /// Config file [default: $XDG_CONFIG_HOME/bulletin/config.toml]
    // Global: before or after the subcommand (`bulletin init --config FILE` too).
    #[arg(long, global = true, value_name = "FILE", env = "BULLETIN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where the cache lives [default: $XDG_DATA_HOME/bulletin]
    #[arg(long, global = true, value_name = "DIR", env = "BULLETIN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// How much goes to the log file: error, warn, info, debug or trace
    #[arg(long, global = true, value_name = "LEVEL", default_value = "info", ignore_case = true,
          value_parser = clap::builder::PossibleValuesParser::new(log_levels())
              .try_map(|s| s.parse::<tracing::Level>()))]
    pub log_level: tracing::Level,
    /// No progress bars on standard error (they show only on a terminal anyway); errors
    /// are still said
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Read the built-in demo (bulletins shipped in the binary, no network, a cache of
    /// its own), whatever the config: the TUI, feeds, items, search and show (other
    /// commands refuse it)
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Refresh every configured feed (and sync first when [sync] is set)
    Refresh {
        /// Print the summary as JSON
        #[arg(long)]
        json: bool,
        /// Fetch every feed now, even those whose server asked to wait (Retry-After)
        #[arg(long)]
        force: bool,
    },
    /// Sync with the [sync] server once: send the marks made here, take its feeds, new
    /// articles and read/starred state (the password comes from password_command or
    /// password_env). With provider = "folder": write the marks and subscription changes
    /// made here to the sync folder, and take the other devices' marks and changes
    Sync {
        /// Print {"provider","feeds","new_items","pushed","pulled","older_left","unread_left"} as JSON
        #[arg(long)]
        json: bool,
        /// Go on until the account's every article is here: a sync brings the unread,
        /// starred and newest articles, and older ones 10,000 a sync
        #[arg(long)]
        all: bool,
    },
    /// List feeds with their unread and total counts
    Feeds {
        /// Print a JSON array: title, url, tags, unread, total, last_error
        #[arg(long)]
        json: bool,
    },
    /// List items, newest first
    Items {
        /// Only this feed (its name, a unique prefix of it in any case, its URL or path),
        /// or the articles of this saved search ([[query]] name)
        #[arg(long, value_name = "NAME_OR_URL", add = feed_or_search_names())]
        feed: Option<String>,
        /// Only the feeds with this tag
        #[arg(long, value_name = "TAG", conflicts_with = "feed")]
        tag: Option<String>,
        /// Only unread items
        #[arg(long)]
        unread: bool,
        /// Only starred items
        #[arg(long)]
        starred: bool,
        /// At most this many items (the newest)
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array: id, feed, title, link, published, read, starred, story
        #[arg(long)]
        json: bool,
    },
    /// Search every cached article; best matches first (see "Search" in README)
    ///
    /// Words must all match (any case, any accents); "a phrase"; -excluded; OR;
    /// word* (prefix); ( ) groups; title:WORD, author:WORD, feed:NAME, tag:NAME,
    /// is:unread, is:read, is:starred, is:hidden, after:DATE, before:DATE, where DATE is
    /// 2026-01-31, 2026-01, 2026, today, yesterday or -7d (h, d, w, m, y ago).
    #[command(verbatim_doc_comment)]
    Search {
        /// The query, e.g. 'passkeys after:2026-03-01 -sponsored'
        #[arg(required = true, num_args = 1.., value_name = "QUERY", allow_hyphen_values = true)]
        query: Vec<String>,
        /// At most this many results
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array: id, feed, title, link, published, read, starred, story
        #[arg(long)]
        json: bool,
    },
    /// Subscribe: to a feed by its address, or to the feed a web page links to
    ///
    /// URL may be a feed or a page (example.org is https://example.org/). For a page, its
    /// <link rel="alternate"> feeds are taken; else where a meta refresh sends; else its
    /// links that say RSS or feed, /feed, /rss, /rss.xml, /atom.xml, /index.xml and
    /// /feed.json in its folder, its links that look like feeds, the same places at the
    /// site's root, and links to other sites' feeds, in that order. The same feed is
    /// offered once; beside its comments' feed the site's own is taken. With several
    /// others, they are listed and nothing is added (choose one, or use --first). The feed
    /// is fetched and parsed before the config is written, and its articles cached at once.
    #[command(verbatim_doc_comment)]
    Add {
        /// A feed's or a web page's address
        url: String,
        /// The name to list the feed under (default: the feed's own title)
        #[arg(long)]
        name: Option<String>,
        /// A tag for the feed (repeat for several)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// With several feeds on the page, take the first
        #[arg(long)]
        first: bool,
        /// Print {"url": FEED_URL, "title": ..., "items": N}
        #[arg(long)]
        json: bool,
    },
    /// Unsubscribe: the feed leaves the config, its articles the cache (starred ones stay)
    Remove {
        /// The feed: its name, a unique prefix of it (any case), its URL or path
        #[arg(value_name = "NAME_OR_URL", add = feed_names())]
        feed: String,
    },
    /// List a feed under a name of your choosing (an empty name: the feed's own title)
    Rename {
        /// The feed: its name, a unique prefix of it (any case), its URL or path
        #[arg(value_name = "NAME_OR_URL", add = feed_names())]
        feed: String,
        /// The new name
        name: String,
    },
    /// Set a feed's tags (replacing them), add or remove some, or clear them; with no
    /// tags, print them
    Tag {
        /// The feed: its name, a unique prefix of it (any case), its URL or path
        #[arg(value_name = "NAME_OR_URL", add = feed_names())]
        feed: String,
        /// The tags (none: print the feed's tags, changing nothing)
        tags: Vec<String>,
        /// Add these tags to the feed's
        #[arg(long, conflicts_with = "remove")]
        add: bool,
        /// Remove these tags from the feed's
        #[arg(long)]
        remove: bool,
        /// Remove every tag of the feed
        #[arg(long, conflicts_with_all = ["add", "remove", "tags"])]
        clear: bool,
    },
    /// Print an article as the reader pane renders it
    Show {
        /// The item's id, as `items` prints it
        id: i64,
        /// Wrap to this many columns
        #[arg(long, default_value_t = 80)]
        width: usize,
    },
    /// Mark items read: by id, a whole feed, or everything
    MarkRead(MarkArgs),
    /// Mark items unread: by id, a whole feed, or everything
    MarkUnread(MarkArgs),
    /// Download an article's enclosure (podcast episode, attachment) into [general]
    /// download_dir now, resuming a partial file; with --pending, every queued download
    Download {
        /// The article's id, as `items` prints it
        #[arg(required_unless_present = "pending", conflicts_with = "pending")]
        id: Option<i64>,
        /// Which of its enclosures, from 1
        #[arg(long, short = 'e', default_value_t = 1)]
        enclosure: usize,
        /// Run every download queued (in the TUI with D, or cut short)
        #[arg(long)]
        pending: bool,
    },
    /// List downloads: id, state (queued, downloading, interrupted, done, failed), bytes, total, path
    Downloads {
        /// Print a JSON array: id, title, url, path, state, bytes, total, error
        #[arg(long)]
        json: bool,
    },
    /// Star items (by id, as `items` prints them)
    Star {
        /// Item ids; unknown ones are an error, the others are starred
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Mark here only: the next refresh or sync sends it to the server or mailbox
        #[arg(long)]
        no_push: bool,
    },
    /// Unstar items (by id, as `items` prints them)
    Unstar {
        /// Item ids; unknown ones are an error, the others are unstarred
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Mark here only: the next refresh or sync sends it to the server or mailbox
        #[arg(long)]
        no_push: bool,
    },
    /// Fetch a web page and print its article as the reader shows it (full text, the way
    /// Firefox's Reader View extracts it); exit 1 when the page holds no article
    Extract {
        /// An http(s) URL, a file:// URL or a path
        #[arg(value_name = "URL_OR_PATH")]
        target: String,
        /// Print {"title","byline","site_name","excerpt","content","html"} as JSON
        #[arg(long)]
        json: bool,
        /// Wrap the text to this many columns
        #[arg(long, default_value_t = 80)]
        width: usize,
    },
    /// Fetch and parse one feed (or read one .eml message) without touching the cache
    Probe {
        /// An http(s) or gemini URL, a file:// URL or a path; a .eml file reads as a newsletter with
        /// one item
        #[arg(value_name = "URL_OR_PATH")]
        target: String,
        /// Print the feed and its items as JSON
        #[arg(long)]
        json: bool,
        /// Wrap text fields to this many columns
        #[arg(long, default_value_t = 80)]
        width: usize,
    },
    /// Accept a Gemini host's current certificate (after it changed: Gemini trusts a
    /// host's first certificate and refuses another until told)
    Trust {
        /// The host: HOST, HOST:PORT or a gemini:// URL
        host: String,
    },
    /// Add the feeds of an OPML file to the config
    ImportOpml {
        /// The OPML file (folders become tags); `-` reads standard input
        file: PathBuf,
    },
    /// Print the configured feeds as OPML 2.0
    ExportOpml,
    /// Import newsboat's urls file, and the read marks of its cache
    ImportNewsboat {
        /// newsboat's urls file [default: ~/.newsboat/urls, else
        /// $XDG_CONFIG_HOME/newsboat/urls]
        urls: Option<PathBuf>,
        /// newsboat's cache.db, whose read articles become read here too [default: the
        /// cache.db beside the urls file given, else ~/.newsboat/cache.db, else
        /// $XDG_DATA_HOME/newsboat/cache.db]
        #[arg(long, value_name = "CACHE_DB")]
        cache: Option<PathBuf>,
    },
    /// Write a commented config (every key, with its default) to the config path
    Init,
    /// Print the shell completion script to source (bash, zsh, fish, elvish, powershell):
    /// it asks bulletin itself as you type, so feed and saved-search names complete too
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff); with --dir, write one page per subcommand as well
    Man {
        /// Write bulletin.1 and bulletin-COMMAND.1 for every subcommand into this folder
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

impl Command {
    /// Whether `--demo` means something to this command: those that read the demo (and
    /// those that read nothing at all).
    pub fn reads_the_demo(&self) -> bool {
        matches!(
            self,
            Command::Feeds { .. }
                | Command::Items { .. }
                | Command::Search { .. }
                | Command::Show { .. }
                | Command::Completions { .. }
                | Command::Man { .. }
        )
    }
}

/// Which items `mark-read` and `mark-unread` act on.
#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// Item ids, as `items` prints them; unknown ones are an error, the others are marked
    #[arg(required_unless_present_any = ["feed", "all"], conflicts_with_all = ["feed", "all"])]
    pub ids: Vec<i64>,
    /// Every item of this feed (its name, a unique prefix of it in any case, its URL or
    /// path), or of this saved search ([[query]] name)
    #[arg(long, value_name = "NAME_OR_URL", add = feed_or_search_names(), conflicts_with = "all")]
    pub feed: Option<String>,
    /// Every item of every configured feed
    #[arg(long)]
    pub all: bool,
    /// Mark here only: the next refresh or sync sends it to the server or mailbox (by
    /// default it is sent now, or by the running TUI)
    #[arg(long)]
    pub no_push: bool,
}

/// Options found among a search's words (the query takes words starting with `-`,
/// `-sponsored` for one, so clap hands everything after the first word over).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: Option<usize>,
    pub json: bool,
    /// `--quiet` and `--demo` written after the query (the global options before it
    /// are clap's).
    pub quiet: bool,
    pub demo: bool,
}

/// The query's words with the `--` that came before them, when the command line had one
/// there: clap takes a `--` before the first word as its own, and the words after it
/// (`search -- --alpha`) would then be read as options. `raw` is the whole command line;
/// its words after the first `--` being the query's words, that `--` stood before them.
pub fn keep_escape(raw: &[String], query: Vec<String>) -> Vec<String> {
    let after = raw.iter().position(|w| w == "--").map(|at| &raw[at + 1..]);
    match after {
        Some(tail) if tail == query.as_slice() => {
            std::iter::once("--".to_string()).chain(query).collect()
        }
        _ => query,
    }
}

/// Splits a search's words into the query and the options written after it:
/// `--json`, `--limit N`, `--limit=N`. After `--`, every word is the query's.
pub fn search_options(words: Vec<String>) -> anyhow::Result<(String, SearchOptions)> {
    let mut options = SearchOptions::default();
    let mut query = Vec::new();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        let limit = |value: Option<String>| -> anyhow::Result<usize> {
            let value = value.ok_or_else(|| anyhow::anyhow!("--limit needs a number"))?;
            value
                .parse()
                .map_err(|_| anyhow::anyhow!("--limit {value:?}: not a number"))
        };
        match word.as_str() {
            "--" => query.extend(words.by_ref()),
            "--json" => options.json = true,
            "--quiet" => options.quiet = true,
            "--demo" => options.demo = true,
            "--limit" => options.limit = Some(limit(words.next())?),
            w if w.starts_with("--limit=") => {
                options.limit = Some(limit(Some(w["--limit=".len()..].to_string()))?)
            }
            w if w.starts_with("--") && w.len() > 2 => {
                anyhow::bail!("search: unknown option {w} (after the query: --json, --limit N, --quiet, --demo, --config FILE, --data-dir DIR, --log-level L; write -- before words that start with --)")
            }
            _ => query.push(word),
        }
    }
    if query.is_empty() {
        anyhow::bail!("search: no query");
    }
    Ok((query.join(" "), options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn options_after_the_query_are_options() {
        let (q, o) = search_options(words("passkeys --json --limit 5")).unwrap();
        assert_eq!(q, "passkeys");
        assert_eq!(
            o,
            SearchOptions {
                limit: Some(5),
                json: true,
                ..Default::default()
            }
        );
        let (q, o) = search_options(words("a -sponsored --limit=1 b")).unwrap();
        assert_eq!(q, "a -sponsored b");
        assert_eq!(o.limit, Some(1));
        let (q, o) = search_options(words("tls --quiet -legacy --demo")).unwrap();
        assert_eq!(q, "tls -legacy");
        assert!(o.quiet && o.demo && !o.json);
        let (q, _) = search_options(words("x -- --json")).unwrap();
        assert_eq!(q, "x --json");
        // `search -- --alpha`: clap hands over ["--alpha"]; the `--` is put back.
        let raw = words("bulletin search --json -- --alpha beta");
        let (q, o) = search_options(keep_escape(&raw, words("--alpha beta"))).unwrap();
        assert_eq!(q, "--alpha beta");
        assert!(!o.json, "the options before -- are clap's");
        let raw = words("bulletin search x -- --json");
        assert_eq!(
            keep_escape(&raw, words("x -- --json")),
            words("x -- --json")
        );
        assert!(search_options(words("x --limit")).is_err());
        assert!(search_options(words("x --limt 3")).is_err());
    }
}
