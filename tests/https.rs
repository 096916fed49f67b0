//! Feeds over HTTPS from a server on 127.0.0.1 with a certificate of a test CA: trusted
//! when the system's store holds that CA (`SSL_CERT_FILE`, which the platform's store
//! reader honours on Linux), refused in one line when it does not. The store is read at
//! the first handshake (fetch::tls), so these show that what is read then still decides.
//! The server is a minimal HTTP/1.1 one on rustls (one request a connection, then closed).

mod support;

use base64::Engine;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use support::{feeds, Env};

/// A CA of its own: its certificate as PEM, and what signs with it.
fn test_ca(name: &str) -> (String, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let cert = params.self_signed(&key).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert.der());
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    (pem, Issuer::new(params, key))
}

/// Serves `body` as RSS over TLS with a certificate for 127.0.0.1 that `ca` signed;
/// returns the port.
fn serve(ca: &Issuer<'static, KeyPair>, body: String) -> u16 {
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".into()]).unwrap();
    let cert = params.signed_by(&key, ca).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for sock in listener.incoming().flatten() {
            let (config, body) = (config.clone(), body.clone());
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, sock);
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes());
                let _ = tls.write_all(body.as_bytes());
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

#[test]
fn a_feed_over_https_is_read_when_its_ca_is_trusted_and_refused_in_one_line_when_not() {
    let (ca_pem, ca) = test_ca("bulletin test CA");
    let (other_pem, _) = test_ca("another CA");
    let port = serve(&ca, feeds::rss("over tls", 2, 1));
    let env = Env::new("");
    let trusted = env.path().join("trusted.pem");
    let other = env.path().join("other.pem");
    std::fs::write(&trusted, ca_pem).unwrap();
    std::fs::write(&other, other_pem).unwrap();
    let url = format!("https://127.0.0.1:{port}/feed.xml");

    let out = env
        .command(&["probe", &url])
        .env("SSL_CERT_FILE", &trusted)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("over tls"), "{stdout}");

    let out = env
        .command(&["probe", &url])
        .env("SSL_CERT_FILE", &other)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an untrusted certificate was taken");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.to_lowercase().contains("certificate"), "{stderr}");
}
