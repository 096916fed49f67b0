//! What a feed's content may make bulletin fetch: full text, pictures, discovered
//! links, enclosures and the redirects on the way go to public web addresses only,
//! unless the feed itself lives on a private one (a feed on the LAN may point at its
//! LAN). The check is on the address actually connected to (a resolver that drops
//! private answers), so a name that resolves to a public address at one moment and
//! 127.0.0.1 the next (DNS rebinding) gets nowhere; an address written as a literal is
//! checked before the request.

use super::FetchError;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// Loopback, private, link-local, unique-local, shared (CGNAT), unspecified, broadcast
/// and documentation ranges: nothing a public web page may send us to.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Whether a URL is on a private address: its host is one, or `localhost`, or a name
/// every address of which is private (a name on the LAN), or it is a local file. What
/// such a feed points at may be private too. A name with any public address is public:
/// a hostile name that also answers 127.0.0.1 gains nothing.
pub fn on_private_network(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    if url.scheme() == "file" {
        return true;
    }
    let port = url.port_or_known_default().unwrap_or(80);
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            if name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost") {
                return true;
            }
            let addrs: Vec<SocketAddr> = (name, port)
                .to_socket_addrs()
                .map(Iterator::collect)
                .unwrap_or_default();
            !addrs.is_empty() && addrs.iter().all(|a| is_private(a.ip()))
        }
        None => false,
    }
}

/// Refuses a URL a feed's content may not make us fetch: not http(s), or a private
/// address written as such.
pub fn check_public(url: &url::Url) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(not_web(url));
    }
    let private = match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        _ => false,
    };
    if private {
        return Err(refused(url.host_str().unwrap_or_default()));
    }
    Ok(())
}

/// A link that is not a web address, which a feed's content may not make us open.
pub fn not_web(url: &url::Url) -> FetchError {
    FetchError::Network(format!(
        "{}: not a web address; only http and https are followed",
        crate::sanitize::clean_line(url.as_str())
    ))
}

fn refused(host: &str) -> FetchError {
    FetchError::Network(format!(
        "{}: a private or local address; a public feed's links are not followed there",
        crate::sanitize::clean_line(host)
    ))
}

/// The resolver of the public-only client: private answers are dropped, and a name
/// with nothing else is an error.
pub(super) struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            // Blocking, on the client's own runtime thread: lookups are cached by the
            // system and this client serves content fetches only.
            let addrs: Vec<SocketAddr> = (host.as_str(), 0)
                .to_socket_addrs()
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?
                .collect();
            let public: Vec<SocketAddr> =
                addrs.into_iter().filter(|a| !is_private(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(std::io::Error::other(refused(&host).to_string()))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges_are_private() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn literal_private_addresses_and_other_schemes_are_refused() {
        for url in [
            "http://127.0.0.1:8080/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "ftp://example.org/x",
        ] {
            assert!(
                check_public(&url::Url::parse(url).unwrap()).is_err(),
                "{url}"
            );
        }
        assert!(check_public(&url::Url::parse("https://example.org/a").unwrap()).is_ok());
    }
}
