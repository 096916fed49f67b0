//! TLS for every connection (HTTP and IMAP), and a server's Retry-After.

use super::FetchError;
use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::{Arc, Mutex};

/// TLS on rustls with ring, verifying against the platform's certificate store (so the
/// CAs a distribution or a company installs are trusted), or against Mozilla's roots
/// where the platform has no store at all (a bare container).
///
/// The store is read at the first handshake, not here: reading it (some 150 files on
/// Debian, twice: once to see whether there is a store, once by the platform verifier)
/// took about 10 ms before a refresh's first request, feeds over plain HTTP included,
/// and a refresh of 1,000 feeds that all answer 304 takes 50.
pub(crate) fn tls_config() -> Result<rustls::ClientConfig, FetchError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let setup = |e: rustls::Error| FetchError::Setup(format!("TLS: {e}"));
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(setup)?
        .dangerous()
        // Not dangerous: every certificate is verified, by the platform's verifier or
        // Mozilla's roots as above, whichever the first handshake finds.
        .with_custom_certificate_verifier(Arc::new(AtFirstHandshake { provider }))
        .with_no_client_auth();
    Ok(config)
}

/// The verifier the store calls for, made when a handshake first needs it.
#[derive(Debug)]
struct AtFirstHandshake {
    provider: Arc<CryptoProvider>,
}

impl AtFirstHandshake {
    fn verifier(&self) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
        // One a process (the provider is always ring's defaults), made by the first
        // handshake while the others of a refresh's threads wait for it: each reading
        // the store at once cost as much again on two cores. A failed read is not kept:
        // the next handshake reads the store again (kept, it would fail every HTTPS feed
        // of a long TUI session).
        static VERIFIER: Mutex<Option<Arc<dyn ServerCertVerifier>>> = Mutex::new(None);
        let mut made = VERIFIER.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(verifier) = made.as_ref() {
            return Ok(verifier.clone());
        }
        let verifier = roots_verifier(&self.provider)?;
        *made = Some(verifier.clone());
        Ok(verifier)
    }
}

/// The platform's verifier (it reads the store once), or Mozilla's roots where the
/// platform gives none (a bare container: the platform verifier then refuses to be made).
fn roots_verifier(
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
    match rustls_platform_verifier::Verifier::new(provider.clone()) {
        Ok(platform) => return Ok(Arc::new(platform)),
        Err(e) => tracing::info!("no platform certificate store ({e}): Mozilla's roots"),
    }
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mozilla = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| rustls::Error::General(e.to_string()))?;
    Ok(mozilla)
}

impl ServerCertVerifier for AtFirstHandshake {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    /// Asked for the client's first message, before any certificate: the provider's
    /// schemes, which are what both verifiers support (each verifies with the provider's
    /// algorithms), without reading the store.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
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
