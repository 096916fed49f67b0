//! A Gemini server on 127.0.0.1, written from the protocol's specification (no Gemini
//! server is packaged for the tests to install): TLS with a self-signed certificate
//! (which the test may replace, as a capsule renewing it would), one request line
//! `URL CRLF` answered with `STATUS SP META CRLF` and, for 2x, the body; the connection
//! closed after each answer.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// An answer: status, meta, body (sent for 2x only).
pub type Answer = (u8, String, Vec<u8>);

pub struct GeminiServer {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Answer>>>,
    config: Arc<Mutex<Arc<rustls::ServerConfig>>>,
    /// The request lines received, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

fn tls_config() -> Arc<rustls::ServerConfig> {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        made.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![made.cert.der().clone()], key)
        .unwrap();
    Arc::new(config)
}

impl GeminiServer {
    pub fn start() -> GeminiServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = GeminiServer {
            port,
            routes: Arc::default(),
            config: Arc::new(Mutex::new(tls_config())),
            requests: Arc::default(),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (routes, config, requests, stop) = (
            server.routes.clone(),
            server.config.clone(),
            server.requests.clone(),
            server.stop.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(sock) = stream else { continue };
                let config = config.lock().unwrap().clone();
                let (routes, requests) = (routes.clone(), requests.clone());
                std::thread::spawn(move || {
                    let _ = serve(sock, config, &routes, &requests);
                });
            }
        });
        server
    }

    /// `gemini://127.0.0.1:PORT` and the path.
    pub fn url(&self, path: &str) -> String {
        format!("gemini://127.0.0.1:{}{path}", self.port)
    }

    pub fn route(&self, path: &str, status: u8, meta: &str, body: impl Into<Vec<u8>>) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), (status, meta.to_string(), body.into()));
    }

    /// A new self-signed certificate from now on (a capsule that renewed its own).
    pub fn change_certificate(&self) {
        *self.config.lock().unwrap() = tls_config();
    }

    pub fn requests_to(&self, path: &str) -> usize {
        let url = self.url(path);
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| **r == url)
            .count()
    }
}

impl Drop for GeminiServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(
    sock: std::net::TcpStream,
    config: Arc<rustls::ServerConfig>,
    routes: &Mutex<HashMap<String, Answer>>,
    requests: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    sock.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    // The request: a URL and CRLF, at most 1024 bytes of URL.
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") && line.len() < 1026 {
        if tls.read(&mut byte)? == 0 {
            return Ok(());
        }
        line.push(byte[0]);
    }
    let Some(url) = String::from_utf8(line)
        .ok()
        .and_then(|l| l.strip_suffix("\r\n").map(str::to_string))
    else {
        tls.write_all(b"59 Bad request\r\n")?;
        return Ok(());
    };
    requests.lock().unwrap().push(url.clone());
    let path = url
        .splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_else(|| "/".into());
    let answer = routes.lock().unwrap().get(&path).cloned();
    let (status, meta, body) = answer.unwrap_or((51, "Not found".into(), Vec::new()));
    tls.write_all(format!("{status} {meta}\r\n").as_bytes())?;
    if status / 10 == 2 {
        tls.write_all(&body)?;
    }
    tls.conn.send_close_notify();
    tls.flush()?;
    Ok(())
}
