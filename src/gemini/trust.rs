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

/// The remembered hosts, and the file's other lines (comments, lines this version does
/// not read) to keep as they are. A file that cannot be read is an error, never an empty
/// list: that would trust any certificate anew.
fn read_all() -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let Some(path) = FILE.get() else {
        let memory = MEMORY.lock().map_err(|_| "the trusted hosts' lock")?;
        return Ok((memory.clone(), Vec::new()));
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| format!("{}: not text; fix or remove it", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut hosts = BTreeMap::new();
    let mut other = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [host, fingerprint] if !line.starts_with('#') && fingerprint.starts_with("sha256:") => {
                hosts.insert(host.to_string(), fingerprint.to_string());
            }
            _ if line.starts_with("# bulletin:") || line.starts_with("# `bulletin trust") => {}
            _ => other.push(line.to_string()),
        }
    }
    Ok((hosts, other))
}

/// The fingerprint remembered for `host`.
pub fn known(host: &str) -> Result<Option<String>, String> {
    Ok(read_all()?.0.remove(host))
}

/// Remembers `fingerprint` for `host`, in place of any other. One writer at a time, in
/// this process and (where files can be locked) any other bulletin.
pub fn remember(host: &str, fingerprint: &str) -> Result<(), String> {
    let mut memory = MEMORY
        .lock()
        .map_err(|_| "the trusted hosts' lock".to_string())?;
    let Some(path) = FILE.get() else {
        memory.insert(host.to_string(), fingerprint.to_string());
        return Ok(());
    };
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let _lock = lock(&path.with_extension("lock")).map_err(failed)?;
    let (mut hosts, other) = read_all()?;
    hosts.insert(host.to_string(), fingerprint.to_string());
    let mut text = String::from(HEADER);
    for line in other {
        text.push_str(&line);
        text.push('\n');
    }
    for (h, f) in &hosts {
        text.push_str(&format!("{h} {f}\n"));
    }
    // Written aside (a name of this process's own) and moved over: a crash or another
    // writer never leaves half the list.
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    written
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            failed(e)
        })
}

/// An exclusive lock on `path`, held until the value is dropped.
#[cfg(unix)]
fn lock(path: &std::path::Path) -> std::io::Result<impl Drop> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| std::io::Error::from(e))
}

#[cfg(not(unix))]
fn lock(_path: &std::path::Path) -> std::io::Result<impl Drop> {
    struct Unlocked;
    impl Drop for Unlocked {
        fn drop(&mut self) {}
    }
    Ok(Unlocked)
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
