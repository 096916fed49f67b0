//! Conditional GET of one feed over HTTP(S), or a read of a local file.
//!
//! Caps apply to what we keep in memory: the decoded body (gzip bombs), the total time
//! (servers that drip a byte a second), the redirect count. Redirects are followed here,
//! not by the client, so that a feed's permanent move (301, 308 all the way) is known.

use crate::config::General;
use crate::model::Validators;
use chrono::{DateTime, Utc};
use reqwest::blocking::Client;
use reqwest::header;
use std::io::Read;
use std::time::{Duration, Instant};

mod calls;
mod command;
mod decode;
pub mod gemini;
mod get;
mod guard;
mod local;
mod proxy_env;
mod tls;

pub use decode::gunzip;
pub use tls::retry_after;
pub(crate) use tls::tls_config;

pub use guard::{is_private, on_private_network};

#[derive(Debug)]
pub enum FetchOutcome {
    /// 304; with where the feed lives now if it was reached by permanent redirects only.
    NotModified {
        moved_to: Option<String>,
    },
    Modified(Fetched),
}

/// At most this many redirects are followed.
const MAX_REDIRECTS: usize = 10;

#[derive(Debug)]
pub struct Fetched {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub http_status: Option<u16>,
    /// The base for relative links: where the body came from after redirects, or its
    /// Content-Location.
    pub final_url: String,
    /// Where the feed lives now, when every redirect on the way was permanent (301, 308).
    pub moved_to: Option<String>,
}

/// What an https failure says when the server speaks plain HTTP on that port.
pub(crate) const NO_TLS_HINT: &str = "(http:// may work)";

/// Whether a failure (as said) is a server that speaks no TLS: for an address typed
/// without a scheme, what that server said over http is then the one to read.
pub fn speaks_no_tls(said: &str) -> bool {
    said.contains(NO_TLS_HINT)
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The HTTP client could not be set up (a bad user agent, no TLS).
    #[error("cannot set up HTTP: {0}")]
    Setup(String),
    #[error("HTTP {status}{}", reason_suffix(*.status))]
    Status {
        status: u16,
        retry_after: Option<DateTime<Utc>>,
    },
    #[error("the response is larger than {limit_mib} MiB")]
    TooLarge { limit_mib: u64 },
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("{0}")]
    Network(String),
    #[error("cannot read {path}: {reason}")]
    File { path: String, reason: String },
    /// A command feed or a filter failed (its exit, its time, its output).
    #[error("{0}")]
    Command(String),
    /// The whole run (a sync, say) has a limit of its own, and it ran out.
    #[error("stopped at the run's limit of {0} s")]
    Deadline(u64),
}

impl FetchError {
    pub fn http_status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
    pub fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

fn reason_suffix(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

/// What one feed asks of its requests beyond the defaults (its `[[feed]]` settings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub timeout: Option<Duration>,
    pub user_agent: Option<String>,
    pub headers: Vec<(String, String)>,
    /// HTTP basic auth, sent only to the feed's own host (not after a redirect away).
    pub auth: Option<(String, String)>,
}

/// One HTTP client shared by every fetch thread: it keeps connections alive.
#[derive(Clone)]
pub struct Fetcher {
    client: Client,
    /// The same client with a resolver that refuses private addresses (see `guard`),
    /// made the first time one of this fetcher's clones needs it (most never do, and a
    /// client costs milliseconds to make).
    public: std::sync::Arc<std::sync::OnceLock<Result<Client, String>>>,
    /// What the clients are made of.
    user_agent: String,
    pool: usize,
    /// Fetches for a public feed's content: public addresses only.
    public_only: bool,
    /// When the whole run this fetcher serves must end, and its length in seconds.
    deadline: Option<(Instant, u64)>,
    max_body: u64,
    timeout: Duration,
}

impl Fetcher {
    pub fn new(general: &General) -> Result<Fetcher, FetchError> {
        let timeout = Duration::from_secs(u64::from(general.timeout_seconds.max(1)));
        let user_agent = general.user_agent.clone();
        let pool = general.max_concurrent_fetches as usize;
        Ok(Fetcher {
            client: build_client(&user_agent, timeout, pool, false)?,
            public: Default::default(),
            user_agent,
            pool,
            public_only: false,
            deadline: None,
            max_body: u64::from(general.max_body_mib.max(1)) * 1024 * 1024,
            timeout,
        })
    }

    /// This fetcher for what the feed at `origin` points at (its articles' pages, their
    /// pictures, enclosures, links on its pages): public web addresses only, unless the
    /// feed itself is on a private address or a local file.
    pub fn for_content_of(&self, origin: &str) -> Fetcher {
        Fetcher {
            // Only ever tighter: content of content (a page a public page sent to) is
            // no more trusted than its first page.
            public_only: self.public_only || !guard::on_private_network(origin),
            ..self.clone()
        }
    }

    /// This fetcher for a run that must end within `limit` (a sync): each request waits
    /// at most what is left, and none starts once it is gone.
    pub fn with_deadline(&self, limit: Duration) -> Fetcher {
        Fetcher {
            deadline: Some((Instant::now() + limit, limit.as_secs())),
            ..self.clone()
        }
    }

    /// The time a request may take: its own limit, or what is left of the run's.
    fn budget(&self, timeout: Duration) -> Result<Duration, FetchError> {
        match self.deadline {
            None => Ok(timeout),
            Some((at, secs)) => {
                let left = at.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(FetchError::Deadline(secs));
                }
                Ok(timeout.min(left))
            }
        }
    }

    /// How long a request may wait for its server ([general] timeout_seconds).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// This fetcher for content of unknown origin: public web addresses only.
    pub fn public_only(&self) -> Fetcher {
        Fetcher {
            public_only: true,
            ..self.clone()
        }
    }

    /// The client for this fetcher's requests, and the check each URL on the way gets.
    fn client_for(&self, url: &url::Url) -> Result<&Client, FetchError> {
        if self.public_only {
            guard::check_public(url)?;
            self.public
                .get_or_init(|| {
                    build_client(&self.user_agent, self.timeout, self.pool, true)
                        .map_err(|e| e.to_string())
                })
                .as_ref()
                .map_err(|e| FetchError::Setup(e.clone()))
        } else {
            Ok(&self.client)
        }
    }

    /// Fetches `url` (http, https or file), sending the validators for a conditional GET.
    pub fn fetch(&self, url: &str, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        self.fetch_with(url, validators, &RequestOptions::default())
    }

    /// `fetch`, with a feed's own settings.
    pub fn fetch_with(
        &self,
        url: &str,
        validators: &Validators,
        options: &RequestOptions,
    ) -> Result<FetchOutcome, FetchError> {
        match url::Url::parse(url) {
            // Gemini checks the addresses it connects to itself.
            Ok(u) if u.scheme() == "gemini" => self.gemini(url, options),
            Ok(u) if self.public_only && u.scheme() != "http" && u.scheme() != "https" => {
                Err(guard::not_web(&u))
            }
            Err(_) if self.public_only => Err(FetchError::Network(format!(
                "{}: not a web address",
                clean_error(url)
            ))),
            Ok(u) if u.scheme() == "file" => {
                let path = u.to_file_path().map_err(|_| FetchError::File {
                    path: url.to_string(),
                    reason: "not a local path".into(),
                })?;
                self.read_file(&path, url, options)
            }
            Ok(_) => self.get(url, validators, options),
            // A plain path (probe takes these too).
            Err(_) => self.read_file(std::path::Path::new(url), url, options),
        }
    }

    /// A gemini:// URL, under this fetcher's caps.
    fn gemini(&self, url: &str, options: &RequestOptions) -> Result<FetchOutcome, FetchError> {
        let limits = gemini::Limits {
            timeout: self.budget(options.timeout.unwrap_or(self.timeout))?,
            max_body: self.max_body,
            public_only: self.public_only,
        };
        let got = gemini::get(url, limits)?;
        Ok(FetchOutcome::Modified(Fetched {
            body: got.body,
            content_type: Some(got.mime),
            validators: Validators::default(),
            http_status: None,
            final_url: got.url,
            moved_to: None,
        }))
    }

    /// A command feed's output (`command = [...]`), run in `dir` (the config's).
    pub fn run_command(
        &self,
        argv: &[String],
        dir: Option<&std::path::Path>,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, FetchError> {
        let timeout = self.budget(timeout.unwrap_or(self.timeout))?;
        command::run(argv, None, dir, timeout, self.max_body)
    }

    /// A fetched body piped through a feed's `filter` command.
    pub fn filter(
        &self,
        argv: &[String],
        body: Vec<u8>,
        dir: Option<&std::path::Path>,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, FetchError> {
        let timeout = self.budget(timeout.unwrap_or(self.timeout))?;
        command::run(argv, Some(body), dir, timeout, self.max_body)
    }

    fn too_large(&self) -> FetchError {
        FetchError::TooLarge {
            limit_mib: self.max_body / (1024 * 1024),
        }
    }
}

/// The HTTP client: redirects left to the caller, time limits, the user agent; with
/// `public`, a resolver that refuses private addresses.
fn build_client(
    user_agent: &str,
    timeout: Duration,
    pool: usize,
    public: bool,
) -> Result<Client, FetchError> {
    let builder = Client::builder()
        .tls_backend_preconfigured(tls_config()?)
        .user_agent(user_agent)
        .connect_timeout(timeout.min(Duration::from_secs(15)))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(pool);
    let builder = if public {
        builder.dns_resolver(std::sync::Arc::new(guard::PublicOnly))
    } else {
        builder
    };
    builder
        .build()
        .map_err(|e| FetchError::Setup(clean_error(&e.to_string())))
}

fn clean_error(s: &str) -> String {
    crate::sanitize::clean_line(s)
}
