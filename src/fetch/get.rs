//! The conditional GET of a feed: redirects followed here (so that a permanent move is
//! known), validators sent, the body read under the size and time caps, and errors
//! said in one line.

use super::*;

/// What a request says it can decode.
pub(super) const ACCEPTED_ENCODINGS: &str = "gzip, deflate, br";

impl Fetcher {
    pub(super) fn get(
        &self,
        url: &str,
        validators: &Validators,
        options: &RequestOptions,
    ) -> Result<FetchOutcome, FetchError> {
        let started = Instant::now();
        let timeout = self.budget(options.timeout.unwrap_or(self.timeout))?;
        let mut at =
            url::Url::parse(url).map_err(|e| FetchError::Network(format!("{url}: {e}")))?;
        let home = at.clone();
        let mut permanent = true;
        let mut hops = 0;
        let response = loop {
            let mut request = self.client_for(&at)?.get(at.clone()).timeout(timeout);
            if let Some(ua) = &options.user_agent {
                request = request.header(header::USER_AGENT, ua);
            }
            // gzip and deflate are decoded here (`read_body`), brotli by the client; a
            // feed's own header of this name is sent instead.
            if !options
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("accept-encoding"))
            {
                request = request.header(header::ACCEPT_ENCODING, ACCEPTED_ENCODINGS);
            }
            for (name, value) in &options.headers {
                request = request.header(name.as_str(), value.as_str());
            }
            // The password goes to the feed's own host and port only, never along a
            // redirect elsewhere, and never from https down to plain http.
            if let Some((user, password)) = &options.auth {
                let same_server = at.host_str() == home.host_str()
                    && at.port_or_known_default() == home.port_or_known_default();
                if same_server && (at.scheme() == home.scheme() || at.scheme() == "https") {
                    request = request.basic_auth(user, Some(password));
                }
            }
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, lm);
            }
            let response = request.send().map_err(|e| self.describe(e, timeout))?;
            let status = response.status();
            if !status.is_redirection() || status == reqwest::StatusCode::NOT_MODIFIED {
                break response;
            }
            let next = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|loc| at.join(loc.trim()).ok());
            let next = match next {
                Some(u) if matches!(u.scheme(), "http" | "https") => u,
                // Never followed (a `file:` one would read this machine's files), and
                // said as such: "HTTP 302" alone reads like a server fault.
                Some(u) => {
                    let scheme: String = u.scheme().chars().take(16).collect();
                    return Err(FetchError::Network(format!(
                        "HTTP {} redirects off the web (to {}:), which is not followed",
                        status.as_u16(),
                        crate::sanitize::clean_line(&scheme)
                    )));
                }
                None => {
                    return Err(FetchError::Status {
                        status: status.as_u16(),
                        retry_after: None,
                    })
                }
            };
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(FetchError::Network(
                    "too many redirects (more than 10) or a redirect loop".into(),
                ));
            }
            permanent &= matches!(status.as_u16(), 301 | 308);
            at = next;
        };
        let moved_to = (hops > 0 && permanent).then(|| at.to_string());
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(FetchOutcome::NotModified { moved_to });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after: retry_after(response.headers(), Utc::now()),
            });
        }
        if response.content_length().is_some_and(|n| n > self.max_body) {
            return Err(self.too_large());
        }
        let headers = response.headers().clone();
        // Content-Location names where this body lives, which relative links are
        // relative to; else the URL after redirects.
        let final_url = headers
            .get(header::CONTENT_LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|loc| response.url().join(loc.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .unwrap_or_else(|| response.url().clone())
            .to_string();
        let body = self.read_body(response, started, timeout)?;
        let text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Ok(FetchOutcome::Modified(Fetched {
            body,
            content_type: text(header::CONTENT_TYPE),
            validators: Validators {
                etag: text(header::ETAG),
                last_modified: text(header::LAST_MODIFIED),
            },
            http_status: Some(status.as_u16()),
            final_url,
            moved_to,
        }))
    }

    /// Reads the body under the size cap and the total deadline, straight into the
    /// body's buffer, and decodes it when it came gzipped or deflated (see `decode::gunzip`,
    /// `inflate`).
    pub(super) fn read_body(
        &self,
        response: reqwest::blocking::Response,
        started: Instant,
        timeout: Duration,
    ) -> Result<Vec<u8>, FetchError> {
        let encoding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase());
        let cap = self.max_body.saturating_add(1);
        // Sized once when the server says the size (a few of its bytes more, so that the
        // end is seen without a grow); a body growing by doubling was copied again.
        let expected = response.content_length().unwrap_or(0).min(cap);
        let mut body = Vec::with_capacity(expected as usize + 64);
        let read = Deadline {
            inner: response,
            started,
            timeout,
        }
        .take(cap)
        .read_to_end(&mut body);
        match read {
            // The deadline's own error, or reqwest's timeout (an error of another kind).
            Err(e) if started.elapsed() >= timeout || e.kind() == std::io::ErrorKind::TimedOut => {
                return Err(FetchError::Timeout(timeout.as_secs()))
            }
            Err(e) => return Err(FetchError::Network(clean_error(&e.to_string()))),
            Ok(_) => {}
        }
        // Compressed bytes past the cap: too large, whatever they decode to (a cut
        // stream would say it cannot be decoded instead).
        if body.len() as u64 > self.max_body {
            return Err(self.too_large());
        }
        let body = match encoding.as_deref() {
            Some("gzip" | "x-gzip") => super::decode::gunzip(body, cap)?,
            Some("deflate") => super::decode::inflate(body, cap)?,
            _ => body,
        };
        if body.len() as u64 > self.max_body {
            return Err(self.too_large());
        }
        Ok(body)
    }

    pub(super) fn describe(&self, e: reqwest::Error, timeout: Duration) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout(timeout.as_secs());
        }
        if e.is_redirect() {
            return FetchError::Network(
                "too many redirects (more than 10) or a redirect loop".into(),
            );
        }
        // reqwest's top-level message is generic; the innermost cause says what happened
        // ("Connection refused", "failed to lookup address", "invalid peer certificate").
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message = s.to_string();
            source = s.source();
        }
        // A plain-HTTP server answering a TLS hello: rustls says "corrupt message of
        // type InvalidContentType", which tells a person nothing.
        if let Some(url) = e.url().filter(|u| u.scheme() == "https") {
            let host = url.host_str().unwrap_or("?");
            let port = url.port_or_known_default().unwrap_or(443);
            if message.contains("InvalidContentType") || message.contains("corrupt message") {
                return FetchError::Network(clean_error(&format!(
                    "the server at {host} does not speak TLS on port {port} {NO_TLS_HINT}"
                )));
            }
            // A server that hangs up on the TLS greeting is most often a plain one too.
            if message.contains("handshake eof") {
                return FetchError::Network(clean_error(&format!(
                    "the server at {host} does not speak TLS on port {port}: it hung up at the TLS greeting {NO_TLS_HINT}"
                )));
            }
        }
        let kind = if e.is_connect() {
            // Through a proxy the environment names, the refusal may be the proxy's.
            match e.url().and_then(super::proxy_env::proxy_for) {
                Some((proxy, var)) => {
                    format!("cannot connect (through the proxy {proxy} that {var} names): ")
                }
                None => "cannot connect: ".to_string(),
            }
        } else {
            String::new()
        };
        FetchError::Network(clean_error(&format!("{kind}{message}")))
    }
}

/// A reader that stops once the request's whole time is spent: a server may send a
/// byte at a time, each within the read timeout, for ever.
struct Deadline<R> {
    inner: R,
    started: Instant,
    timeout: Duration,
}

impl<R: Read> Read for Deadline<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.started.elapsed() >= self.timeout {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.inner.read(buf)
    }
}
