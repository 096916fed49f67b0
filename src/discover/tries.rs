//! Candidates fetched and parsed, several at once, with what went wrong with those that
//! were no feed (said in the error when none was).

use super::{fetch_raw, rank, Candidate, DiscoverError, Found, AT_ONCE};
use crate::fetch::Fetcher;

/// The places a discovery asked, and what went wrong with those that were no feed.
#[derive(Default)]
pub(super) struct Tried {
    asked: std::collections::HashSet<String>,
    /// (address, why), in order.
    pub failed: Vec<(String, String)>,
}

impl Tried {
    /// Fetches each of `urls` not asked before (several at once) and keeps, in their
    /// order, those that are feeds, titled by the matching `declared` link's title, else
    /// their own.
    pub fn all(
        &mut self,
        fetcher: &Fetcher,
        urls: &[String],
        declared: &[Candidate],
    ) -> Vec<rank::Checked> {
        let urls: Vec<String> = urls
            .iter()
            .filter(|u| self.asked.insert(u.to_string()))
            .cloned()
            .collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: std::sync::Mutex<Vec<Option<Result<rank::Checked, String>>>> =
            std::sync::Mutex::new((0..urls.len()).map(|_| None).collect());
        std::thread::scope(|s| {
            for _ in 0..AT_ONCE.min(urls.len()) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let result = check(fetcher, url, declared);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(result);
                    }
                });
            }
        });
        let mut found = Vec::new();
        let results = results.into_inner().unwrap_or_default();
        for (url, result) in urls.iter().zip(results) {
            match result {
                Some(Ok(checked)) => found.push(checked),
                Some(Err(why)) => self.failed.push((url.clone(), why)),
                None => {}
            }
        }
        found
    }

    /// Why nothing was found, in a line: the declared feed that failed, else how many
    /// places were asked and how many of them did not answer in time, and how many the
    /// discovery's time ran out before.
    pub fn why(&self, declared: Option<(String, String)>) -> String {
        let rest = &self.failed[usize::from(declared.is_some()).min(self.failed.len())..];
        let cut = |why: &str| why.contains("run's limit");
        let left = rest.iter().filter(|(_, why)| cut(why)).count();
        let tried: Vec<&String> = rest
            .iter()
            .filter(|(_, why)| !cut(why))
            .map(|(_, why)| why)
            .collect();
        let late = tried.iter().filter(|why| why.contains("timed out")).count();
        let mut asked = match (tried.len(), late) {
            (0, _) => String::new(),
            (n, 0) => format!("none of the {n} places tried answers with one"),
            (n, l) if l == n => format!("the {n} places tried all timed out"),
            (n, l) => format!("none of the {n} places tried answers with one ({l} timed out)"),
        };
        if left > 0 {
            let sep = if asked.is_empty() { "" } else { "; " };
            asked.push_str(&format!(
                "{sep}its time ({} s) ran out before {left} more",
                super::DISCOVERY_LIMIT.as_secs()
            ));
        }
        match (declared, asked.is_empty()) {
            (Some((link, why)), true) => format!("it links {link}, which {why}"),
            (Some((link, why)), false) => format!("it links {link}, which {why}; {asked}"),
            (None, true) => "the page links none".into(),
            (None, false) => format!("the page links none, and {asked}"),
        }
    }
}

/// One candidate fetched and parsed.
fn check(fetcher: &Fetcher, url: &str, declared: &[Candidate]) -> Result<rank::Checked, String> {
    let raw = fetch_raw(fetcher, url).map_err(|e| match e {
        DiscoverError::Fetch { reason, .. } => format!("answered: {reason}"),
        other => other.to_string(),
    })?;
    let feed = crate::parse::parse_feed(&raw.body, raw.content_type.as_deref(), &raw.final_url)
        .map_err(|_| "is not a feed".to_string())?;
    let first = feed.items.first();
    let same = (
        feed.title.clone(),
        feed.link.clone(),
        first.map(|i| i.link.clone().unwrap_or_else(|| i.guid.clone())),
        first
            .and_then(|i| i.content_html.as_deref().or(i.summary_html.as_deref()))
            .map(rank::text_length),
    );
    let said = declared
        .iter()
        .find(|c| c.url == url)
        .and_then(|c| c.title.clone());
    Ok(rank::Checked {
        candidate: Candidate {
            url: raw.address.clone(),
            title: said.or_else(|| feed.title.clone()),
            comments: false,
            found: Some(Box::new(Found {
                url: raw.address,
                feed,
            })),
        },
        same,
    })
}
