//! Coming from newsboat: its `urls` file becomes `[[feed]]` tables, and the read marks in
//! its `cache.db` come along.

use crate::opml::ImportedFeed;
use crate::store::ReadMark;
use std::path::Path;

mod config;
mod query;
pub use config::{parse_config, NewsboatConfig};

/// A line of the urls file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: usize,
    pub text: String,
    pub why: String,
}

/// A newsboat `query:` line made a `[[query]]` in bulletin's query language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedQuery {
    pub line: usize,
    pub name: String,
    pub query: String,
}

/// What a newsboat `urls` file holds for bulletin.
#[derive(Debug, Default)]
pub struct UrlsFile {
    pub feeds: Vec<ImportedFeed>,
    pub queries: Vec<ImportedQuery>,
    pub skipped: Vec<SkippedLine>,
}

/// newsboat runs `exec:` and `filter:` commands through a shell; so do their imports.
fn through_shell(command: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), command.to_string()]
}

/// Parses a newsboat `urls` file: `URL "tag" tag "~Title" !`, `#` comments; `exec:CMD`
/// lines become command feeds, `filter:CMD:URL` filtered feeds, `query:NAME:EXPR` saved
/// searches where the expression translates, and `!` hides a feed from the list.
pub fn parse_urls(text: &str) -> UrlsFile {
    let mut out = UrlsFile::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = split_words(line);
        let Some(first) = words.first() else { continue };
        let skip = |why: String| SkippedLine {
            line: i + 1,
            text: crate::sanitize::clean_line(line),
            why,
        };
        if let Some(rest) = first.strip_prefix("query:") {
            let Some((name, expr)) = rest.split_once(':') else {
                out.skipped
                    .push(skip("a query: line is query:NAME:EXPRESSION".into()));
                continue;
            };
            let name = crate::sanitize::clean_line(name);
            match query::translate(expr) {
                Ok(query) if !name.trim().is_empty() => out.queries.push(ImportedQuery {
                    line: i + 1,
                    name,
                    query,
                }),
                Ok(_) => out.skipped.push(skip("the query has no name".into())),
                Err(why) => out.skipped.push(skip(format!(
                    "the query does not translate to bulletin's query language: {why}"
                ))),
            }
            continue;
        }
        let mut feed = ImportedFeed::default();
        if let Some(command) = first.strip_prefix("exec:") {
            if command.trim().is_empty() {
                out.skipped.push(skip("exec: names no command".into()));
                continue;
            }
            feed.command = through_shell(command);
        } else if let Some(rest) = first.strip_prefix("filter:") {
            // newsboat splits at the first colon: the filter's path has none.
            match rest.split_once(':') {
                Some((command, url)) if !command.trim().is_empty() && !url.trim().is_empty() => {
                    feed.filter = through_shell(command);
                    feed.url = url.to_string();
                }
                _ => {
                    out.skipped
                        .push(skip("a filter: line is filter:COMMAND:URL".into()));
                    continue;
                }
            }
        } else {
            // newsboat reads web and file addresses; a word that is none (a line of some
            // other file) is no feed.
            let lower = first.to_ascii_lowercase();
            if !["http://", "https://", "file://"]
                .iter()
                .any(|s| lower.starts_with(s))
            {
                out.skipped.push(skip(
                    "not a feed address (http://, https:// or file://)".into(),
                ));
                continue;
            }
            feed.url = first.clone();
        }
        for word in &words[1..] {
            if let Some(title) = word.strip_prefix('~') {
                feed.name = Some(crate::sanitize::clean_line(title)).filter(|t| !t.is_empty());
            } else if word == "!" {
                feed.hidden = true;
            } else {
                // Cleaned as OPML's folders are: the config holds no escape sequence.
                let tag = crate::sanitize::clean_line(word);
                if !tag.is_empty() && !feed.tags.contains(&tag) {
                    feed.tags.push(tag);
                }
            }
        }
        out.feeds.push(feed);
    }
    out
}

/// A feed's URL in a newsboat cache as bulletin knows the feed: `exec:CMD` is the command
/// feed `sh -c CMD`, `filter:CMD:URL` is URL's feed.
fn feed_identity(feedurl: &str) -> String {
    if let Some(command) = feedurl.strip_prefix("exec:") {
        if let Ok(identity) = crate::config::command_identity(&through_shell(command)) {
            return identity;
        }
    }
    let url = feedurl
        .strip_prefix("filter:")
        .and_then(|rest| rest.split_once(':'))
        .map_or(feedurl, |(_, url)| url);
    crate::config::canonical_url(url, Path::new("/")).unwrap_or(url.to_string())
}

/// Splits on whitespace, keeping "double quoted words" together.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    // Right after a closing quote (`"~Title"# note`).
    let mut closed = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let after_quote = std::mem::take(&mut closed);
        match c {
            '"' => {
                closed = quoted;
                quoted = !quoted;
            }
            // A `#` starting a word outside quotes, or right after one, starts a
            // comment, to the line's end (newsboat's reading; one inside a URL,
            // `feed#top`, is the URL's).
            '#' if !quoted && (cur.is_empty() || after_quote) => break,
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    cur.push(next);
                }
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// A newsboat cache that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum NewsboatError {
    #[error("{path}: cannot open: {reason}")]
    Open { path: String, reason: String },
    #[error("{path}: not a newsboat cache ({reason})")]
    NotNewsboat { path: String, reason: String },
}

/// The read items of a newsboat cache: (feed URL, guid, link), URLs made canonical as in
/// our config.
pub fn read_marks(cache: &Path) -> Result<Vec<ReadMark>, NewsboatError> {
    let path = cache.display().to_string();
    let not_newsboat = |e: rusqlite::Error| NewsboatError::NotNewsboat {
        path: path.clone(),
        reason: e.to_string(),
    };
    let conn =
        rusqlite::Connection::open_with_flags(cache, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| NewsboatError::Open {
                path: path.clone(),
                reason: e.to_string(),
            })?;
    let mut stmt = conn
        .prepare("SELECT feedurl, guid, url FROM rss_item WHERE unread = 0")
        .map_err(not_newsboat)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })
        .map_err(not_newsboat)?;
    let mut out = Vec::new();
    for row in rows {
        let (feed, guid, link) = row.map_err(not_newsboat)?;
        let feed = feed_identity(&feed);
        let guid = guid.filter(|g| !g.is_empty());
        let link = link.filter(|l| !l.is_empty());
        out.push((feed, guid, link));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_file() {
        let text = "# my feeds\nhttps://a.example/rss \"tech news\" linux \"~Alpha\" # old tag: x\n\n  https://b.example/atom !\n\"query:Unread:unread = \\\"yes\\\"\"\n\"exec:~/bin/feed.sh --all\" scripts\nfilter:~/f.py:https://c.example/\n\"query:Odd:link =~ \\\"x\\\"\"\n";
        let file = parse_urls(text);
        let urls: Vec<&str> = file.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://a.example/rss",
                "https://b.example/atom",
                "",
                "https://c.example/"
            ]
        );
        assert_eq!(file.feeds[0].name.as_deref(), Some("Alpha"));
        assert_eq!(
            file.feeds[0].tags,
            vec!["tech news".to_string(), "linux".into()]
        );
        assert!(file.feeds[1].tags.is_empty() && file.feeds[1].hidden);
        assert_eq!(
            split_words("https://d.example/feed#top \"a # b\" c#d \"~T\"#e"),
            ["https://d.example/feed#top", "a # b", "c#d", "~T"]
        );
        assert_eq!(file.feeds[2].command, ["sh", "-c", "~/bin/feed.sh --all"]);
        assert_eq!(file.feeds[2].tags, ["scripts"]);
        assert_eq!(file.feeds[3].filter, ["sh", "-c", "~/f.py"]);
        assert_eq!(file.queries.len(), 1);
        assert_eq!(
            (
                file.queries[0].name.as_str(),
                file.queries[0].query.as_str()
            ),
            ("Unread", "is:unread")
        );
        let lines: Vec<usize> = file.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![8]);
        assert!(file.skipped[0].why.contains("link"), "{:?}", file.skipped);
    }

    #[test]
    fn cache_urls_name_the_feeds_bulletin_imports() {
        assert_eq!(
            feed_identity("exec:~/bin/feed.sh --all"),
            "exec:~/bin/feed.sh --all"
        );
        assert_eq!(
            feed_identity("filter:~/f.py:https://c.example/x"),
            "https://c.example/x"
        );
        assert_eq!(
            feed_identity("https://a.example/rss"),
            "https://a.example/rss"
        );
    }
}
