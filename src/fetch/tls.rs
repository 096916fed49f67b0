//! TLS for every connection (HTTP and IMAP), and a server's Retry-After.

use super::FetchError;
use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap};

/// TLS on rustls with ring, verifying against the platform's certificate store (so the
/// CAs a distribution or a company installs are trusted), or against Mozilla's roots
/// where the platform has no store at all (a bare container).
pub(crate) fn tls_config() -> Result<rustls::ClientConfig, FetchError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let setup = |e: rustls::Error| FetchError::Setup(format!("TLS: {e}"));
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(setup)?;
    // Read once a process: the platform verifier reads the store again itself.
    static PLATFORM_HAS_ROOTS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let platform_has_roots = *PLATFORM_HAS_ROOTS
        .get_or_init(|| !rustls_native_certs::load_native_certs().certs.is_empty());
    let config = if platform_has_roots {
        builder
            .with_platform_verifier()
            .map_err(setup)?
            .with_no_client_auth()
    } else {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(config)
}

/// Retry-After as seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u32>() {
        return Some(now + chrono::Duration::seconds(i64::from(secs)));
    }
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}
