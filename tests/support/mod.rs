//! Test support: a real HTTP server on 127.0.0.1, temp dirs with a config, and the binary.
#![allow(dead_code)]

pub mod coldsweat;
pub mod dovecot;
pub mod feeds;
pub mod fever;
pub mod gemini;
pub mod greader;
pub mod hostile;
pub mod mail;
pub mod tmux;
pub mod tui;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: HashMap<String, String>,
    /// The request's body (a POST's form), as text.
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// What a route answers.
pub enum Reply {
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Accept the connection and never answer (until the test ends).
    Hang,
    /// Headers, then one byte every `interval`, `count` times.
    Drip { interval: Duration, count: usize },
    /// A 200 whose body never ends.
    Endless,
    /// A 200 that announces `total` bytes and sends only `body` before closing (a
    /// connection cut mid-download).
    Truncated { total: usize, body: Vec<u8> },
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
    pub fn redirect(to: &str) -> Reply {
        Reply::Full {
            status: 302,
            headers: vec![("Location".into(), to.into())],
            body: Vec::new(),
        }
    }
    /// The same answer, its body gzipped and labelled so.
    pub fn gzipped(self) -> Reply {
        match self {
            Reply::Full {
                status,
                mut headers,
                body,
            } => {
                use std::io::Write;
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                enc.write_all(&body).unwrap();
                headers.push(("Content-Encoding".into(), "gzip".into()));
                Reply::Full {
                    status,
                    headers,
                    body: enc.finish().unwrap(),
                }
            }
            other => other,
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Route = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

pub struct Server {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    pub requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (routes, requests, stop) = (routes.clone(), requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let (routes, requests, stop) = (routes.clone(), requests.clone(), stop.clone());
                    std::thread::spawn(move || serve(stream, &routes, &requests, &stop));
                }
            });
        }
        Server {
            port,
            routes,
            requests,
            stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn route(&self, path: &str, f: impl Fn(&Request) -> Reply + Send + Sync + 'static) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), Arc::new(f));
    }

    /// A route that always answers 200 with this body.
    pub fn fixed(&self, path: &str, content_type: &'static str, body: impl Into<Vec<u8>>) {
        let body: Vec<u8> = body.into();
        self.route(path, move |_| Reply::ok(content_type, body.clone()));
    }

    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Route>>,
    requests: &Mutex<Vec<Request>>,
    stop: &AtomicBool,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(1 << 20)];
    if !body.is_empty() && std::io::Read::read_exact(&mut reader, &mut body).is_err() {
        body.clear();
    }
    let request = Request {
        path: path.clone(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    requests.lock().unwrap().push(request.clone());
    // An exact route, else the one for the path without its query (an API endpoint).
    let route = {
        let routes = routes.lock().unwrap();
        routes
            .get(&path)
            .or_else(|| routes.get(path.split('?').next().unwrap_or("")))
            .cloned()
    };
    let reply = match route {
        Some(r) => r(&request),
        None => Reply::status(404),
    };
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Hang => {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                let mut buf = [0u8; 1];
                let _ = stream.set_read_timeout(Some(Duration::from_millis(10)));
                if let Ok(0) = stream.read(&mut buf) {
                    return;
                }
            }
        }
        Reply::Drip { interval, count } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {count}\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            for _ in 0..count {
                if stop.load(Ordering::Relaxed) || stream.write_all(b" ").is_err() {
                    return;
                }
                std::thread::sleep(interval);
            }
        }
        Reply::Truncated { total, body } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n<rss version=\"2.0\"><channel><title>");
            let chunk = vec![b'a'; 64 * 1024];
            // Bounded so that a broken client cannot keep this thread forever.
            for _ in 0..(256 * 1024 / 64) {
                if stop.load(Ordering::Relaxed) || stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
    }
    let _ = stream.flush();
}

/// A loopback port nothing listens on (bound, then let go): for a server a test starts
/// itself, or for proxy variables that must lead nowhere.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1")
        .local_addr()
        .unwrap()
        .port()
}

/// A temp dir with a config file and a data dir, and a way to run the binary on them.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A config and a cache made already (as after a first run), so that stderr holds
    /// only what the command under test says.
    pub fn new(config: &str) -> Env {
        let env = Env::bare(config);
        std::fs::create_dir_all(env.data_dir()).unwrap();
        bulletin::store::Store::open(&env.data_dir().join("cache.db")).unwrap();
        env
    }

    /// A config and no cache yet.
    pub fn bare(config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        Env { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn write_config(&self, config: &str) {
        std::fs::write(self.config_path(), config).unwrap();
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bulletin"));
        cmd.arg("--config").arg(self.config_path());
        cmd.arg("--data-dir").arg(self.data_dir());
        cmd.args(args);
        cmd.env_remove("BROWSER").env("NO_COLOR", "1");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run bulletin")
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "bulletin {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    /// The cached article with this title, as `items --json` gives it.
    pub fn item(&self, title: &str) -> serde_json::Value {
        let items = self.json(&["items", "--json"]);
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title)
            .cloned()
            .unwrap_or_else(|| panic!("{title} is not in the cache: {items}"))
    }

    /// The titles a listing command (`items --json`, `search --json ...`) prints, sorted.
    pub fn titles(&self, args: &[&str]) -> Vec<String> {
        let mut t: Vec<String> = self
            .json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    }

    /// That article's id, as the commands take it.
    pub fn item_id(&self, title: &str) -> String {
        self.item(title)["id"].to_string()
    }

    /// Every article with this title, as `items --json` gives it: (feed, story, read,
    /// starred), sorted.
    pub fn stories_of(&self, title: &str) -> Vec<(String, i64, bool, bool)> {
        let items = self.json(&["items", "--json"]);
        let mut out: Vec<_> = items
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["title"] == title)
            .map(|i| {
                (
                    i["feed"].as_str().unwrap().to_string(),
                    i["story"].as_i64().unwrap(),
                    i["read"].as_bool().unwrap(),
                    i["starred"].as_bool().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }
}

/// `[[feed]]` tables for these URLs.
pub fn feeds_config(general: &str, urls: &[String]) -> String {
    let mut s = format!("[general]\nrefresh_on_startup = false\n{general}\n");
    for u in urls {
        s.push_str(&format!("\n[[feed]]\nurl = \"{u}\"\n"));
    }
    s
}
