//! A link reduced to the page it names: what two feeds write differently for one page
//! (scheme, `www.`/`m.`/`amp.` hosts, default ports, a trailing slash, a fragment,
//! tracking parameters, AMP forms) is dropped, so that copies of a story meet on one key.

use url::Url;

/// Query parameters that say who sent the reader, never which page: removed. A name
/// ending in `*` stands for every name with that prefix. One list, kept here.
const TRACKING: &[&str] = &[
    "utm_*",
    "at_*",
    "ns_*",
    "pk_*",
    "mtm_*",
    "hsa_*",
    "_hs*",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
    "source",
    "cmpid",
    "cmp",
    "campaign",
    "ocid",
    "smid",
    "smtyp",
    "s_cid",
    "sr_share",
    "soc_src",
    "soc_trk",
    "wt.mc_id",
    "wt_mc",
    "xtor",
    "ito",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "share",
    "rss",
    "via",
    "__twitter_impression",
    "spm",
    "vero_id",
    "oly_enc_id",
    "oly_anon_id",
    "_ga",
    "_gl",
    // `?amp`, `?amp=1`: the AMP form of the page.
    "amp",
];

fn is_tracking(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    // `?outputType=amp`, `?output=amp`: the AMP form; another output is another page.
    if matches!(name.as_str(), "outputtype" | "output") {
        return value.eq_ignore_ascii_case("amp");
    }
    TRACKING.iter().any(|t| match t.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == *t,
    })
}

/// Host prefixes that serve the same pages as the bare host.
const SAME_SITE_PREFIXES: &[&str] = &["www.", "m.", "mobile.", "amp.", "www1.", "www2."];

/// The canonical form of a web address, or None when it is not one or names a site's
/// home page (which many different stories link to).
pub fn canonical(link: &str) -> Option<String> {
    let url = Url::parse(link.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let mut host = url.host_str()?.to_ascii_lowercase();
    for prefix in SAME_SITE_PREFIXES {
        if let Some(rest) = host.strip_prefix(prefix) {
            if rest.contains('.') {
                host = rest.to_string();
            }
            break;
        }
    }
    let host = host.trim_end_matches('.');
    // The default port of either scheme names the same page (a relay may switch scheme).
    let port = url.port().filter(|p| *p != 80 && *p != 443);
    let mut segments: Vec<String> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).map(str::to_lowercase).collect())
        .unwrap_or_default();
    // AMP: an `amp` segment (`/amp/story`, `/story/amp`), `story.amp.html`, `story.amp`.
    segments.retain(|s| s != "amp");
    if let Some(last) = segments.last_mut() {
        if let Some(stem) = last.strip_suffix(".amp") {
            *last = stem.to_string();
        } else if last.contains(".amp.") {
            *last = last.replacen(".amp.", ".", 1);
        }
    }
    if segments
        .last()
        .is_some_and(|s| matches!(s.as_str(), "index.html" | "index.htm" | "index.php"))
    {
        segments.pop();
    }
    let mut query: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, v)| !is_tracking(k, v))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    query.sort();
    if segments.is_empty() && query.is_empty() {
        return None;
    }
    let mut out = host.to_string();
    if let Some(port) = port {
        out.push_str(&format!(":{port}"));
    }
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if !query.is_empty() {
        out.push('?');
        let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push_str(&pairs.join("&"));
    }
    Some(out)
}

/// The key an item id gives, or None when it says nothing of the story: a bare number,
/// a short word, an id made up from the item's own words (bulletin's `sha256:` ids), a
/// home page. An id that is a web address meets links on the same key.
pub fn guid_key(guid: &str) -> Option<String> {
    let guid = guid.trim();
    if guid.starts_with("http://") || guid.starts_with("https://") {
        return canonical(guid);
    }
    let meaningful = guid.chars().filter(|c| c.is_alphanumeric()).count();
    if meaningful < 8 || guid.chars().all(|c| c.is_ascii_digit()) || guid.starts_with("sha256:") {
        return None;
    }
    Some(format!("id:{guid}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(canonical(a), canonical(b), "{a} vs {b}");
        assert!(canonical(a).is_some(), "{a}");
    }

    #[test]
    fn the_forms_of_one_page_meet() {
        let page = "https://www.example.com/world/2026/rates-rise";
        same(page, "http://example.com/world/2026/rates-rise/");
        same(
            page,
            "https://example.com:443/world/2026/rates-rise#comments",
        );
        same(
            page,
            "https://example.com/world/2026/rates-rise?utm_source=rss&utm_medium=feed&fbclid=x",
        );
        same(
            page,
            "https://m.example.com/world/2026/rates-rise?ref=europe",
        );
        same(page, "https://amp.example.com/world/2026/rates-rise");
        same(page, "https://example.com/amp/world/2026/rates-rise");
        same(page, "https://example.com/world/2026/rates-rise/amp/");
        same(
            page,
            "https://example.com/world/2026/rates-rise?outputType=amp",
        );
        same(page, "https://EXAMPLE.com/World/2026/Rates-Rise");
        same(
            "https://example.com/story.html",
            "https://example.com/story.amp.html",
        );
        same(
            "https://example.com/a?id=7&page=2",
            "https://example.com/a?page=2&id=7&mc_cid=1&mc_eid=2",
        );
    }

    #[test]
    fn different_pages_stay_apart() {
        assert_ne!(
            canonical("https://example.com/a?id=7"),
            canonical("https://example.com/a?id=8")
        );
        assert_ne!(
            canonical("https://example.com/issue-46"),
            canonical("https://example.com/issue-47")
        );
        assert_ne!(
            canonical("https://example.com:8080/a"),
            canonical("https://example.com/a")
        );
    }

    #[test]
    fn home_pages_and_other_schemes_have_no_key() {
        assert_eq!(canonical("https://www.example.com/"), None);
        assert_eq!(canonical("https://example.com/?utm_source=rss"), None);
        assert_eq!(canonical("https://example.com/index.html"), None);
        assert_eq!(canonical("mailto:a@example.com"), None);
        assert_eq!(canonical("not a link"), None);
    }

    #[test]
    fn only_ids_that_name_a_story_are_keys() {
        assert_eq!(guid_key("12345"), None);
        assert_eq!(guid_key("post-1"), None);
        assert_eq!(guid_key("sha256:0123456789abcdef"), None);
        assert_eq!(guid_key("https://example.com/"), None);
        assert_eq!(
            guid_key("tag:example.com,2026:story-4711"),
            Some("id:tag:example.com,2026:story-4711".into())
        );
        assert_eq!(
            guid_key("http://www.example.com/a/b/"),
            canonical("https://example.com/a/b")
        );
    }
}
