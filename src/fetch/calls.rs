//! Requests other than a feed's conditional GET: a sync server's API calls (a GET or a
//! form POST with headers) and downloads (streamed, resumable with `Range`).

use super::{FetchError, Fetcher, MAX_REDIRECTS};
use std::time::{Duration, Instant};

impl Fetcher {
    pub fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), FetchError> {
        self.api_call(url, &[], Some(form))
    }

    /// One call to a sync server's API: a GET, or a form POST when there is a form, with
    /// these headers (an authorization token, say); the status and the body, capped like
    /// a feed's. Redirects are not followed: an API that redirects says so by its status.
    pub fn api_call(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
    ) -> Result<(u16, Vec<u8>), FetchError> {
        let started = Instant::now();
        let timeout = self.budget(self.timeout)?;
        let mut request = match form {
            Some(form) => self.client.post(url).form(form),
            None => self.client.get(url),
        }
        .timeout(timeout)
        .header(
            reqwest::header::ACCEPT_ENCODING,
            super::get::ACCEPTED_ENCODINGS,
        );
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let answer = request
            .send()
            .map_err(|e| self.describe(e, timeout))
            .and_then(|response| {
                let status = response.status().as_u16();
                Ok((status, self.read_body(response, started, timeout)?))
            });
        // A request cut by the run's limit says so, not that the server was slow.
        answer.map_err(|e| match (e, self.deadline) {
            (FetchError::Timeout(_), Some((at, secs))) if Instant::now() >= at => {
                FetchError::Deadline(secs)
            }
            (e, _) => e,
        })
    }

    /// Opens a download: GET `url` from byte `from` (a `Range` request when above 0),
    /// following redirects (podcast hosts chain several), with no overall time limit (a
    /// big file takes the time it takes; connecting still times out). Returns the
    /// response, body unread, and where it came from.
    pub fn open_download(
        &self,
        url: &str,
        from: u64,
    ) -> Result<(reqwest::blocking::Response, String), FetchError> {
        let mut current = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            let at = url::Url::parse(&current)
                .map_err(|e| FetchError::Network(format!("{current}: {e}")))?;
            // Gemini pages are read (src/gemini), but a Gemini file is no download yet.
            if !matches!(at.scheme(), "http" | "https") {
                return Err(FetchError::Network(format!(
                    "only http and https files can be downloaded (open a {}: one with a client for it)",
                    at.scheme()
                )));
            }
            let mut request = self
                .client_for(&at)?
                .get(at)
                .timeout(Duration::from_secs(6 * 3600));
            if from > 0 {
                request = request.header(reqwest::header::RANGE, format!("bytes={from}-"));
            }
            let response = request.send().map_err(|e| self.describe(e, self.timeout))?;
            if response.status().is_redirection() {
                let next = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url::Url::parse(&current).ok()?.join(l).ok())
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| {
                        FetchError::Network("a redirect with no usable Location".into())
                    })?;
                current = next.to_string();
                continue;
            }
            return Ok((response, current));
        }
        Err(FetchError::Network(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
    }
}
