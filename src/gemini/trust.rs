//! Trust on first use, as Gemini does it: capsules mostly sign their own certificates,
//! so no authority vouches for them; the first certificate seen for a host is
//! remembered, and a different one later is refused until the user accepts it
//! (`bulletin trust HOST`, or `T` in the feed health view). The handshake's signatures
//! are still checked, so only the holder of the remembered certificate's key passes.
//!
//! Remembered in `gemini_hosts` beside the cache: a line per host, `HOST sha256:HEX`.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// The file the hosts are remembered in; unset (a library user, a unit test), they are
/// remembered for the process only.
static FILE: OnceLock<PathBuf> = OnceLock::new();
/// Hosts remembered when there is no file; and one writer at a time when there is.
static MEMORY: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());

/// Where the trusted hosts are kept (the data directory's `gemini_hosts`); set once at
/// start.
pub fn set_file(path: PathBuf) {
    let _ = FILE.set(path);
}

const HEADER: &str = "# bulletin: Gemini hosts and the certificate each was first seen with (trust on first use).\n# `bulletin trust HOST` accepts a host's new certificate.\n";

fn read_all() -> BTreeMap<String, String> {
    let Some(path) = FILE.get() else {
        return MEMORY.lock().map(|m| m.clone()).unwrap_or_default();
    };
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.to_string()))
        })
        .collect()
}

/// The fingerprint remembered for `host`.
pub fn known(host: &str) -> Option<String> {
    read_all().remove(host)
}

/// Remembers `fingerprint` for `host`, in place of any other.
pub fn remember(host: &str, fingerprint: &str) -> Result<(), String> {
    let mut guard = MEMORY
        .lock()
        .map_err(|_| "the trusted hosts' lock".to_string())?;
    let Some(path) = FILE.get() else {
        guard.insert(host.to_string(), fingerprint.to_string());
        return Ok(());
    };
    let mut all = read_all();
    all.insert(host.to_string(), fingerprint.to_string());
    let mut text = String::from(HEADER);
    for (h, f) in &all {
        text.push_str(&format!("{h} {f}\n"));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // Written aside and moved over: a crash never leaves half the list.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The fingerprint bulletin shows and keeps for a certificate.
pub fn fingerprint(cert: &[u8]) -> String {
    let digest = sha2::Sha256::digest(cert);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Accepts any certificate (trust is decided after the handshake, against what is
/// remembered) but checks the handshake's signatures with it.
#[derive(Debug)]
pub(crate) struct AnyCertificate(pub Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
