//! One id per item within a document. Feeds whose items have no guid and all link to
//! the home page, and systems that give every item one guid, send items that share an
//! id: the cache keeps one row per id, so all but one were lost at the write.

use crate::model::ParsedItem;
use std::collections::{HashMap, HashSet};
use xxhash_rust::xxh3::xxh3_64;

/// Drops an item that repeats an earlier one exactly; gives every item of a group that
/// shares an id (the first too) an id of its own, the shared one and a hash of its
/// title and link (with its bodies when those are shared too). Each id so depends on
/// the item alone: a new item on top of such a feed does not take an older one's id
/// (and its read mark) next refresh.
pub(super) fn distinct_ids(items: Vec<ParsedItem>) -> Vec<ParsedItem> {
    let mut count: HashMap<u64, u32> = HashMap::with_capacity(items.len());
    for item in &items {
        *count.entry(xxh3_64(item.guid.as_bytes())).or_default() += 1;
    }
    if count.values().all(|n| *n == 1) {
        return items;
    }
    let mut repeats: HashSet<u64> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for mut item in items {
        if count[&xxh3_64(item.guid.as_bytes())] == 1 {
            ids.insert(item.guid.clone());
            out.push(item);
            continue;
        }
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
                "{}\0{}\0{:?}",
                item.summary_html.as_deref().unwrap_or_default(),
                item.content_html.as_deref().unwrap_or_default(),
                item.enclosures
            )
            .as_bytes(),
        );
        // An exact repeat (same id, title, link, bodies, files) is one item.
        if !repeats.insert(xxh3_64(
            format!("{}\0{by_title}\0{by_body}", item.guid).as_bytes(),
        )) {
            continue;
        }
        let shared = &item.guid;
        let candidates = [
            format!("{shared}#{by_title:016x}"),
            format!("{shared}#{by_title:016x}{by_body:016x}"),
        ];
        let Some(id) = candidates.into_iter().find(|c| !ids.contains(c)) else {
            continue;
        };
        ids.insert(id.clone());
        item.guid = id;
        out.push(item);
    }
    out
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
            guid_local: false,
        }
    }

    fn ids(items: Vec<ParsedItem>) -> Vec<String> {
        distinct_ids(items).into_iter().map(|i| i.guid).collect()
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
        let first = ids(items.clone());
        assert_eq!(first.len(), 4, "the exact repeat goes: {first:?}");
        assert_eq!(first[3], "other");
        let unique: HashSet<&String> = first.iter().collect();
        assert_eq!(unique.len(), 4);
        assert!(first[..3].iter().all(|id| id.starts_with("home#")));
        // The same ids at the next parse.
        assert_eq!(ids(items), first);
    }

    /// A new item on top of a feed whose items share an id takes no older one's id:
    /// each id depends on its item, not on where it stands.
    #[test]
    fn a_new_item_on_top_takes_no_older_items_id() {
        let before = ids(vec![item("home", "One", "1"), item("home", "Two", "2")]);
        let after = ids(vec![
            item("home", "Zero", "0"),
            item("home", "One", "1"),
            item("home", "Two", "2"),
        ]);
        assert_eq!(after[1..], before[..]);
        assert!(!before.contains(&after[0]));
    }
}
