//! Which proxy the environment names for an address, so that a failure to connect
//! says so: reqwest goes through `http_proxy`, `https_proxy` or `all_proxy` (in either
//! case) unless `no_proxy` lists the host, and "connection refused" from a stale proxy
//! variable otherwise reads as the feed's server being down.

/// The proxy an address goes through and the variable that names it, read as reqwest
/// reads them (upper case first; `no_proxy` by host, domain suffix, address range or
/// `*`).
pub(super) fn proxy_for(url: &url::Url) -> Option<(String, String)> {
    let host = url
        .host_str()?
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    let var = |name: &str| {
        [name.to_ascii_uppercase(), name.to_string()]
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

/// Whether `no_proxy`'s list leaves this host out: `*`, the host itself, a domain it is
/// under (`example.com` and `.example.com` both cover `www.example.com`), or an address
/// range it is in (`10.0.0.0/8`).
fn excluded(host: &str, list: &str) -> bool {
    list.split(',').map(str::trim).any(|entry| {
        let entry = entry.to_ascii_lowercase();
        let domain = entry.trim_start_matches('.');
        entry == "*"
            || in_range(host, &entry)
            || (!domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}"))))
    })
}

/// Whether an IP address is in a range written `address/bits`.
fn in_range(host: &str, range: &str) -> bool {
    let Some((net, bits)) = range.split_once('/') else {
        return false;
    };
    let (Ok(host), Ok(net), Ok(bits)) = (
        host.parse::<std::net::IpAddr>(),
        net.parse::<std::net::IpAddr>(),
        bits.parse::<u32>(),
    ) else {
        return false;
    };
    let value = |ip: std::net::IpAddr| match ip {
        std::net::IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
        std::net::IpAddr::V6(v6) => u128::from(v6),
    };
    let width = if net.is_ipv4() { 32 } else { 128 };
    if host.is_ipv4() != net.is_ipv4() || bits > width {
        return false;
    }
    // The range's first `bits` bits, counted from the top of the 128.
    let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
    value(host) & mask == value(net) & mask
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
        assert!(excluded("10.1.2.3", "localhost,10.0.0.0/8"));
        assert!(!excluded("11.1.2.3", "10.0.0.0/8"));
        assert!(excluded("192.168.4.7", "192.168.4.0/24"));
        assert!(excluded("::1", "::1/128"));
        assert!(!excluded("example.com", "10.0.0.0/8"));
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
