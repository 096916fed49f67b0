//! One id per item within a document. Feeds whose items have no guid and all link to
//! the home page, and systems that give every item one guid, send items that share an
//! id: the cache keeps one row per id, so all but one were lost at the write.

use crate::model::ParsedItem;
use std::collections::HashSet;
use xxhash_rust::xxh3::xxh3_64;

/// Drops an item that repeats an earlier one exactly; gives an item that shares an
/// earlier one's id but says something else an id of its own, derived from its title
/// and link (else its bodies), so that it keeps that id from one refresh to the next.
pub(super) fn distinct_ids(items: Vec<ParsedItem>) -> Vec<ParsedItem> {
    let mut seen: HashSet<u64> = HashSet::with_capacity(items.len());
    if items
        .iter()
        .all(|i| seen.insert(xxh3_64(i.guid.as_bytes())))
    {
        return items;
    }
    let mut ids: HashSet<String> = HashSet::with_capacity(items.len());
    // Each kept item with the id the feed gave it.
    let mut out: Vec<(String, ParsedItem)> = Vec::with_capacity(items.len());
    for mut item in items {
        if ids.insert(item.guid.clone()) {
            out.push((item.guid.clone(), item));
            continue;
        }
        if out
            .iter()
            .any(|(given, o)| *given == item.guid && says_the_same(o, &item))
        {
            continue;
        }
        let shared = item.guid.clone();
        let by_title = xxh3_64(
            format!(
                "{}\0{}",
                item.title_source.as_deref().unwrap_or(&item.title),
                item.link.as_deref().unwrap_or_default()
            )
            .as_bytes(),
        );
        let by_body = xxh3_64(
            format!(
                "{}\0{}",
                item.summary_html.as_deref().unwrap_or_default(),
                item.content_html.as_deref().unwrap_or_default()
            )
            .as_bytes(),
        );
        let candidates = [
            format!("{shared}#{by_title:016x}"),
            format!("{shared}#{by_title:016x}{by_body:016x}"),
        ];
        let Some(id) = candidates.into_iter().find(|c| !ids.contains(c)) else {
            continue;
        };
        ids.insert(id.clone());
        item.guid = id;
        out.push((shared, item));
    }
    out.into_iter().map(|(_, item)| item).collect()
}

fn says_the_same(a: &ParsedItem, b: &ParsedItem) -> bool {
    a.title == b.title
        && a.link == b.link
        && a.summary_html == b.summary_html
        && a.content_html == b.content_html
        && a.enclosures == b.enclosures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(guid: &str, title: &str, body: &str) -> ParsedItem {
        ParsedItem {
            guid: guid.into(),
            title: title.into(),
            title_source: Some(title.into()),
            link: Some("https://example.org/".into()),
            author: None,
            published: None,
            updated: None,
            summary_html: Some(body.into()),
            content_html: None,
            enclosures: Vec::new(),
        }
    }

    #[test]
    fn items_sharing_an_id_each_keep_one_of_their_own() {
        let items = vec![
            item("home", "One", "first"),
            item("home", "Two", "second"),
            item("home", "Two", "second"),
            item("home", "One", "edited"),
            item("other", "Three", "third"),
        ];
        let out = distinct_ids(items.clone());
        let ids: Vec<&str> = out.iter().map(|i| i.guid.as_str()).collect();
        assert_eq!(out.len(), 4, "the exact repeat goes: {ids:?}");
        assert_eq!(ids[0], "home");
        assert_eq!(ids[3], "other");
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), 4);
        // The same ids at the next parse.
        let again: Vec<String> = distinct_ids(items).into_iter().map(|i| i.guid).collect();
        assert_eq!(again, ids);
    }
}
