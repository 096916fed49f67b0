//! Gemini (`gemini://`), the small protocol of capsules: one request line over TLS, a
//! status line, a body. Followed here: redirects (3x, a few times, Gemini only), input
//! (1x) and failures (4x, 5x, 6x) as one-line errors, the same size and time caps as
//! HTTP, and trust on first use for certificates (see `crate::gemini::trust`). Atom
//! feeds and gemlogs served this way are parsed like any feed (`crate::gemini::gemtext`
//! reads gemlogs).

use super::FetchError;
use crate::gemini::trust;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// At most this many redirects are followed (the specification suggests five).
const MAX_REDIRECTS: usize = 5;
/// A request line's URL is at most this long (the specification's limit).
const MAX_URL: usize = 1024;
/// A status line is two digits, a space and at most 1024 bytes of meta.
const MAX_HEADER: usize = 1029;
const DEFAULT_PORT: u16 = 1965;

/// A successful (2x) answer.
#[derive(Debug)]
pub struct Response {
    /// The MIME type from the status line (`text/gemini` when it gave none).
    pub mime: String,
    pub body: Vec<u8>,
    /// Where it came from, after redirects.
    pub url: String,
}

/// What a request may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_body: u64,
    /// Refuse hosts on private addresses (content of a public feed).
    pub public_only: bool,
}

/// The name a host is trusted under: its name, and its port unless it is Gemini's.
pub fn host_key(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(p) if p != DEFAULT_PORT => format!("{host}:{p}"),
        _ => host,
    })
}

/// `HOST`, `HOST:PORT` or a gemini:// URL, as the URL of the host's root.
pub fn host_url(host: &str) -> Result<url::Url, String> {
    let text = if host.contains("://") {
        host.to_string()
    } else {
        format!("gemini://{host}/")
    };
    let url = url::Url::parse(&text).map_err(|e| format!("{host}: {e}"))?;
    if url.scheme() != "gemini" || url.host_str().is_none() {
        return Err(format!("{host}: not a Gemini host"));
    }
    Ok(url)
}

/// Fetches `url`, following redirects; the body of a 2x answer.
pub fn get(url: &str, limits: Limits) -> Result<Response, FetchError> {
    let deadline = Instant::now() + limits.timeout;
    let first = parse(url)?;
    let mut current = first.clone();
    // After a redirect, an error says where it happened.
    let at = |current: &url::Url, e: FetchError| match e {
        FetchError::Network(what) if *current != first => {
            FetchError::Network(crate::sanitize::clean_line(&format!("{current}: {what}")))
        }
        other => other,
    };
    for _ in 0..=MAX_REDIRECTS {
        let (status, meta, body) =
            request(&current, limits, deadline).map_err(|e| at(&current, e))?;
        match status / 10 {
            2 => {
                let mime = if meta.trim().is_empty() {
                    "text/gemini".to_string()
                } else {
                    meta.trim().to_string()
                };
                return Ok(Response {
                    mime,
                    body,
                    url: current.to_string(),
                });
            }
            3 => {
                let next = current
                    .join(meta.trim())
                    .map_err(|_| at(&current, failure(&format!("a redirect to {meta:?}"))))?;
                if next.scheme() != "gemini" {
                    return Err(at(
                        &current,
                        failure(&format!("redirects to {next}, which is not Gemini")),
                    ));
                }
                current = next;
            }
            1 => {
                return Err(at(
                    &current,
                    failure(&format!(
                        "asks for input ({status} {meta}), which a feed cannot give"
                    )),
                ))
            }
            4..=6 => {
                let what = match status / 10 {
                    4 => "temporary failure",
                    5 => "permanent failure",
                    _ => "a client certificate is required",
                };
                let meta = if meta.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", meta.trim())
                };
                return Err(at(
                    &current,
                    failure(&format!("Gemini {status} ({what}){meta}")),
                ));
            }
            _ => {
                return Err(at(
                    &current,
                    failure(&format!("an unknown status {status}")),
                ))
            }
        }
    }
    Err(at(
        &current,
        failure(&format!("more than {MAX_REDIRECTS} redirects")),
    ))
}

fn parse(url: &str) -> Result<url::Url, FetchError> {
    let u = url::Url::parse(url)
        .map_err(|e| FetchError::Network(format!("{}: {e}", crate::sanitize::clean_line(url))))?;
    if u.scheme() != "gemini" || u.host_str().is_none() {
        return Err(FetchError::Network(format!(
            "{}: not a gemini:// URL with a host",
            crate::sanitize::clean_line(url)
        )));
    }
    Ok(u)
}

/// What went wrong with a request to `url`: said without the URL, which the feed's
/// error line names already (`get` adds where a redirect led).
fn failure(what: &str) -> FetchError {
    FetchError::Network(crate::sanitize::clean_line(what))
}

/// What accepting a host's certificate did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trusted {
    pub host: String,
    pub fingerprint: String,
    /// The one it replaces, if another was remembered.
    pub was: Option<String>,
}

impl std::fmt::Display for Trusted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.was {
            Some(was) if *was == self.fingerprint => {
                write!(
                    f,
                    "{} was trusted already ({})",
                    self.host, self.fingerprint
                )
            }
            Some(was) => write!(
                f,
                "Trusted {}'s new certificate {} (in place of {})",
                self.host, self.fingerprint, was
            ),
            None => write!(f, "Trusted {} ({})", self.host, self.fingerprint),
        }
    }
}

/// Accepts the certificate `host` (`HOST`, `HOST:PORT` or a gemini:// URL) has now, in
/// place of the one remembered (`bulletin trust`, `T` in the health view).
pub fn trust_host(host: &str, timeout: Duration) -> Result<Trusted, String> {
    let url = host_url(host)?;
    let key = host_key(&url).ok_or_else(|| format!("{host}: no host"))?;
    let fingerprint = certificate_of(&url, timeout).map_err(|e| e.to_string())?;
    let was = trust::known(&key)?;
    trust::remember(&key, &fingerprint)?;
    Ok(Trusted {
        host: key,
        fingerprint,
        was,
    })
}

/// The certificate of a host as it is now (for `bulletin trust`), without trusting it.
pub fn certificate_of(host: &url::Url, timeout: Duration) -> Result<String, FetchError> {
    let deadline = Instant::now() + timeout;
    let (_, fingerprint) = connect(host, false, deadline)?;
    Ok(fingerprint)
}

/// The TLS stream to a host and its certificate's fingerprint.
fn connect(
    url: &url::Url,
    public_only: bool,
    deadline: Instant,
) -> Result<
    (
        rustls::StreamOwned<rustls::ClientConnection, TcpStream>,
        String,
    ),
    FetchError,
> {
    let host = url.host_str().unwrap_or_default();
    let port = url.port().unwrap_or(DEFAULT_PORT);
    let left = || deadline.saturating_duration_since(Instant::now());
    let addrs: Vec<SocketAddr> = (host.trim_matches(['[', ']']), port)
        .to_socket_addrs()
        .map_err(|e| failure(&format!("cannot resolve {host}: {e}")))?
        .collect();
    if public_only && addrs.iter().any(|a| crate::fetch::is_private(a.ip())) {
        return Err(failure(&format!(
            "{host} is on a private network, and this feed's links may not lead there"
        )));
    }
    let mut last = None;
    let mut sock = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, left().max(Duration::from_millis(1))) {
            Ok(s) => {
                sock = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let sock = sock.ok_or_else(|| {
        failure(&match last {
            Some(e) => format!("cannot connect: {e}"),
            None => format!("{host} has no address"),
        })
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| FetchError::Setup(format!("TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(trust::AnyCertificate(provider)))
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.trim_matches(['[', ']']).to_string())
        .map_err(|e| failure(&format!("{host}: {e}")))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| failure(&format!("TLS: {e}")))?;
    let mut stream = rustls::StreamOwned::new(conn, sock);
    set_timeouts(&stream.sock, left())?;
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|e| io_failure(e, deadline))?;
    }
    let cert = stream
        .conn
        .peer_certificates()
        .and_then(|c| c.first())
        .ok_or_else(|| failure("the server sent no certificate"))?;
    let fingerprint = trust::fingerprint(cert.as_ref());
    Ok((stream, fingerprint))
}

fn set_timeouts(sock: &TcpStream, left: Duration) -> Result<(), FetchError> {
    let left = left.max(Duration::from_millis(1));
    sock.set_read_timeout(Some(left))
        .and_then(|_| sock.set_write_timeout(Some(left)))
        .map_err(|e| FetchError::Network(e.to_string()))
}

fn io_failure(e: std::io::Error, deadline: Instant) -> FetchError {
    if Instant::now() >= deadline
        || matches!(
            e.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        )
    {
        return failure("timed out");
    }
    failure(&e.to_string())
}

/// One request: the status, the meta and (for 2x) the body.
fn request(
    url: &url::Url,
    limits: Limits,
    deadline: Instant,
) -> Result<(u8, String, Vec<u8>), FetchError> {
    let line = format!("{url}\r\n");
    if line.len() - 2 > MAX_URL {
        return Err(failure("the URL is longer than Gemini allows (1024 bytes)"));
    }
    let (mut stream, fingerprint) = connect(url, limits.public_only, deadline)?;
    let key = host_key(url).unwrap_or_default();
    match trust::known(&key).map_err(FetchError::Network)? {
        None => trust::remember(&key, &fingerprint).map_err(FetchError::Network)?,
        Some(known) if known == fingerprint => {}
        Some(known) => {
            return Err(FetchError::Network(format!(
                "{key}: its certificate changed since bulletin first trusted it (was {}, now {}); if the capsule renewed it, accept it with `bulletin trust {}` (or T in the feed health view)",
                short(&known),
                short(&fingerprint),
                crate::paths::shell_word(&key)
            )))
        }
    }
    stream
        .write_all(line.as_bytes())
        .and_then(|_| stream.flush())
        .map_err(|e| io_failure(e, deadline))?;
    // The status line, then the body: read to the end, under the caps.
    let mut received = Vec::new();
    let cap = limits.max_body + MAX_HEADER as u64 + 2;
    let mut buf = [0u8; 16 * 1024];
    let mut header_end = None;
    loop {
        set_timeouts(
            &stream.sock,
            deadline.saturating_duration_since(Instant::now()),
        )?;
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            // Many servers close without TLS's goodbye: the end of the body all the same.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(io_failure(e, deadline)),
        }
        if header_end.is_none() {
            header_end = received.windows(2).position(|w| w == b"\r\n");
            if header_end.is_none() && received.len() > MAX_HEADER + 2 {
                return Err(failure("the status line is too long"));
            }
            // Only a success has a body worth waiting for.
            if let Some(end) = header_end {
                if !received.starts_with(b"2") {
                    received.truncate(end + 2);
                    break;
                }
            }
        }
        if received.len() as u64 > cap {
            return Err(FetchError::TooLarge {
                limit_mib: limits.max_body / (1024 * 1024),
            });
        }
        if Instant::now() >= deadline {
            return Err(failure("timed out"));
        }
    }
    let end = header_end
        .or_else(|| received.windows(2).position(|w| w == b"\r\n"))
        .ok_or_else(|| failure("no status line"))?;
    let header = String::from_utf8_lossy(&received[..end]).into_owned();
    let status = header
        .get(..2)
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|s| *s >= 10)
        .ok_or_else(|| failure(&format!("not a Gemini status line: {header:?}")))?;
    let meta = header.get(2..).unwrap_or("").trim_start().to_string();
    let body = received.split_off(end + 2);
    Ok((status, crate::sanitize::clean_line(&meta), body))
}

/// A fingerprint shortened for a message.
fn short(fingerprint: &str) -> String {
    fingerprint.chars().take(7 + 16).collect::<String>() + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_named_without_gemini_s_own_port() {
        let key = |u: &str| host_key(&url::Url::parse(u).unwrap()).unwrap();
        assert_eq!(key("gemini://Cap.Example/x"), "cap.example");
        assert_eq!(key("gemini://cap.example:1965/x"), "cap.example");
        assert_eq!(key("gemini://127.0.0.1:7000/"), "127.0.0.1:7000");
        assert_eq!(
            host_url("cap.example:7000").unwrap().as_str(),
            "gemini://cap.example:7000/"
        );
        assert!(host_url("https://cap.example/").is_err());
    }
}
