//! Coming from newsboat: its `urls` file becomes `[[feed]]` tables, and the read marks in
//! its `cache.db` come along.

use crate::opml::ImportedFeed;
use crate::store::ReadMark;
use std::path::Path;

/// A line of the urls file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: usize,
    pub text: String,
    pub why: String,
}

/// Parses a newsboat `urls` file: `URL "tag" tag "~Title"`, `#` comments, and the
/// `query:`, `exec:` and `filter:` feeds, which bulletin does not have, reported as skipped.
pub fn parse_urls(text: &str) -> (Vec<ImportedFeed>, Vec<SkippedLine>) {
    let mut feeds = Vec::new();
    let mut skipped = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = split_words(line);
        let Some(url) = words.first() else { continue };
        let kind = ["query:", "exec:", "filter:"]
            .into_iter()
            .find(|p| url.starts_with(p));
        if let Some(kind) = kind {
            skipped.push(SkippedLine {
                line: i + 1,
                text: line.to_string(),
                why: format!(
                    "{} feeds are a newsboat feature bulletin does not have",
                    kind.trim_end_matches(':')
                ),
            });
            continue;
        }
        let mut name = None;
        let mut tags = Vec::new();
        for word in &words[1..] {
            if let Some(title) = word.strip_prefix('~') {
                name = Some(crate::sanitize::clean_line(title)).filter(|t| !t.is_empty());
            } else if word.starts_with('!') {
                // "!" hides a feed in newsboat's list; bulletin shows every feed.
            } else if !word.is_empty() && !tags.contains(word) {
                tags.push(word.clone());
            }
        }
        feeds.push(ImportedFeed {
            url: url.clone(),
            name,
            tags,
        });
    }
    (feeds, skipped)
}

/// Splits on whitespace, keeping "double quoted words" together.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
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
        let feed = crate::config::canonical_url(&feed, Path::new("/")).unwrap_or(feed);
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
        let text = "# my feeds\nhttps://a.example/rss \"tech news\" linux \"~Alpha\"\n\n  https://b.example/atom !\nquery:Unread:unread = \"yes\"\nexec:~/bin/feed.sh\nfilter:~/f.py:https://c.example/\n";
        let (feeds, skipped) = parse_urls(text);
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].url, "https://a.example/rss");
        assert_eq!(feeds[0].name.as_deref(), Some("Alpha"));
        assert_eq!(feeds[0].tags, vec!["tech news".to_string(), "linux".into()]);
        assert!(feeds[1].tags.is_empty());
        let lines: Vec<usize> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![5, 6, 7]);
    }
}
