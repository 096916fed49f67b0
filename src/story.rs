//! One story in many feeds: what a new article offers for finding its copies. Its
//! canonical link and its id are worked out on the fetch threads for a whole feed at
//! once, so that a link the feed's items share (the home page) is known and left out.
//! Its text is sketched later, from the cache, by the grouping that follows a refresh
//! (store::story, which looks the keys up and decides).

pub mod canon;
pub mod text;
mod words;

use serde::Deserialize;

/// `[general] stories`: which copies are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Same link, same id, or the same text.
    #[default]
    On,
    /// Only the certain kinds: the same link or the same id.
    Links,
    /// Every copy is an article of its own.
    Off,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::On => "on",
            Mode::Links => "links",
            Mode::Off => "off",
        }
    }

    pub fn from_name(name: &str) -> Option<Mode> {
        [Mode::On, Mode::Links, Mode::Off]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// What one new article offers for finding its copies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keys {
    /// The canonical link's hash; None without one, or when the feed gives it to
    /// several of its items (every item linking to the home page).
    pub link: Option<i64>,
    /// The id's hash, in the links' key space when the id is a web address.
    pub guid: Option<i64>,
    /// The text's sketch (empty: too short to compare, or not sketched yet) and its
    /// index keys.
    pub sketch: Vec<u32>,
    pub bands: Vec<i64>,
}

impl Keys {
    /// The certain keys: the link's and the id's (an id that is the link is one key,
    /// not two).
    pub fn certain(&self) -> [Option<i64>; 2] {
        [self.link, self.guid.filter(|g| Some(*g) != self.link)]
    }
}

/// A key's hash (stable across builds: keys are stored).
pub fn key_hash(key: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as i64
}

/// The body a story's text is read from: the content, else the summary.
pub fn body<'a>(summary: Option<&'a str>, content: Option<&'a str>) -> &'a str {
    content
        .filter(|c| !c.trim().is_empty())
        .or(summary)
        .unwrap_or("")
}

/// One item of a feed as the keys need it.
pub struct Source<'a> {
    pub link: Option<&'a str>,
    pub guid: &'a str,
}

/// The certain keys of every item of one feed, in order (the text is compared later:
/// sketching it here cost the refresh a third of its time, see `store::story::waiting`).
pub fn keys(items: &[Source], mode: Mode) -> Vec<Keys> {
    if mode == Mode::Off {
        return vec![Keys::default(); items.len()];
    }
    let links: Vec<Option<String>> = items
        .iter()
        .map(|i| i.link.and_then(canon::canonical))
        .collect();
    let mut uses: std::collections::HashMap<&str, usize> = Default::default();
    for link in links.iter().flatten() {
        *uses.entry(link.as_str()).or_default() += 1;
    }
    let shared = |key: &str| uses.get(key).is_some_and(|n| *n > 1);
    items
        .iter()
        .zip(&links)
        .map(|(item, link)| {
            let guid = canon::guid_key(item.guid).filter(|k| !shared(k));
            Keys {
                link: link.as_deref().filter(|l| !shared(l)).map(key_hash),
                guid: guid.as_deref().map(key_hash),
                ..Keys::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_every_item_shares_is_no_key() {
        let items = [
            Source {
                link: Some("https://example.com/news"),
                guid: "1",
            },
            Source {
                link: Some("https://www.example.com/news/"),
                guid: "2",
            },
            Source {
                link: Some("https://example.com/news/one-story"),
                guid: "3",
            },
        ];
        let keys = keys(&items, Mode::On);
        assert_eq!(keys[0].link, None);
        assert_eq!(keys[1].link, None);
        assert!(keys[2].link.is_some());
        assert_eq!(keys[2].guid, None, "a number is no id to group by");
    }

    #[test]
    fn off_gives_no_keys_and_the_others_no_text_yet() {
        let items = [Source {
            link: Some("https://example.com/a/b"),
            guid: "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        }];
        assert_eq!(keys(&items, Mode::Off)[0], Keys::default());
        let links = &keys(&items, Mode::Links)[0];
        assert!(links.link.is_some() && links.guid.is_some());
        assert!(links.bands.is_empty());
        assert_eq!(&keys(&items, Mode::On)[0], links);
    }
}
