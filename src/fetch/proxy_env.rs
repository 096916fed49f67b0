//! Which proxy the environment names for an address, so that a failure to connect
//! says so: reqwest goes through `http_proxy`, `https_proxy` or `all_proxy` (in either
//! case) unless `no_proxy` lists the host, and "connection refused" from a stale proxy
//! variable otherwise reads as the feed's server being down.

/// The proxy an address goes through and the variable that names it, read as reqwest
/// reads them (lower case first; `no_proxy` by host, domain suffix or `*`).
pub(super) fn proxy_for(url: &url::Url) -> Option<(String, String)> {
    let host = url
        .host_str()?
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    let var = |name: &str| {
        [name.to_string(), name.to_ascii_uppercase()]
            .into_iter()
            .find_map(|n| {
                let v = std::env::var(&n).ok()?;
                (!v.trim().is_empty()).then(|| (n, v.trim().to_string()))
            })
    };
    if let Some((_, list)) = var("no_proxy") {
        if excluded(&host, &list) {
            return None;
        }
    }
    let own = match url.scheme() {
        "http" => var("http_proxy"),
        "https" => var("https_proxy"),
        _ => None,
    };
    own.or_else(|| var("all_proxy"))
        .map(|(name, value)| (without_credentials(&value), name))
}

/// A proxy's address without the user and password it may carry: an error line goes
/// to the terminal and the log.
fn without_credentials(proxy: &str) -> String {
    match proxy.rfind('@') {
        Some(at) => {
            let scheme_end = proxy.find("://").map_or(0, |i| i + 3).min(at);
            format!("{}{}", &proxy[..scheme_end], &proxy[at + 1..])
        }
        None => proxy.to_string(),
    }
}

/// Whether `no_proxy`'s list leaves this host out: `*`, the host itself, or a domain
/// it is under (`example.com` and `.example.com` both cover `www.example.com`).
fn excluded(host: &str, list: &str) -> bool {
    list.split(',').map(str::trim).any(|entry| {
        let entry = entry.to_ascii_lowercase();
        let domain = entry.trim_start_matches('.');
        entry == "*"
            || (!domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}"))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_entries_leave_hosts_out() {
        assert!(excluded("127.0.0.1", "localhost, 127.0.0.1"));
        assert!(excluded("www.example.com", ".example.com"));
        assert!(excluded("www.example.com", "example.com"));
        assert!(excluded("anything", "*"));
        assert!(!excluded("notexample.com", "example.com"));
        assert!(!excluded("example.org", "example.com,,"));
    }

    #[test]
    fn credentials_are_not_shown() {
        assert_eq!(
            without_credentials("http://user:secret@proxy.example:3128"),
            "http://proxy.example:3128"
        );
        assert_eq!(without_credentials("user:pw@proxy:3128"), "proxy:3128");
        assert_eq!(
            without_credentials("http://proxy:3128"),
            "http://proxy:3128"
        );
    }
}
