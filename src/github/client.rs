//! The client: one octocrab instance with keepopen's retry policy, its counters and rate-limit view, and the
//! GET every read goes through.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::HeaderMap;
use http::{HeaderValue, Uri};

use super::errors::{error_chain, message_of};
use super::retry::{self, RetryPolicy};
use super::writes::{self, WritePolicy, WriteStop};
use super::{Error, Token};

/// How to reach GitHub.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://api.github.com`, a GitHub Enterprise `https://host/api/v3`, or a test server.
    pub api_url: String,
    pub token: Option<Token>,
    /// Per attempt, connection to last body byte. GitHub itself cuts requests at 10 s.
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

/// One HTTP answer, after the retry policy is done with it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub link: Option<String>,
    pub location: Option<String>,
    pub body: String,
}

/// Counters of what the client sent and got, for summaries and benchmarks.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counters {
    pub requests: u64,
    pub not_modified: u64,
    pub retries: u64,
}

#[derive(Debug, Default)]
struct Shared {
    counters: Counters,
    /// Last `x-ratelimit-remaining` / `x-ratelimit-reset` seen.
    remaining: Option<u64>,
    reset: Option<i64>,
    writes: writes::WriteState,
}

/// A GitHub REST client over octocrab with keepopen's retry policy. Cheap to clone; clones share counters and
/// the rate-limit view.
#[derive(Clone)]
pub struct Client {
    octocrab: octocrab::Octocrab,
    /// `scheme://authority/path` of the API, no trailing slash, for turning `Link` URLs back into paths.
    pub(super) base: String,
    timeout: Duration,
    retry: RetryPolicy,
    shared: Arc<Mutex<Shared>>,
    writer: Arc<Writer>,
}

/// How a client writes, shared by its clones.
#[derive(Debug, Default)]
struct Writer {
    policy: WritePolicy,
    /// Held for the whole of a write, so writes go one at a time; holds when the last one started.
    gate: tokio::sync::Mutex<Option<tokio::time::Instant>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let base = config.api_url.trim_end_matches('/').to_owned();
        let uri: Uri = base
            .parse()
            .map_err(|e: http::uri::InvalidUri| Error::Config {
                url: config.api_url.clone(),
                message: e.to_string(),
            })?;
        if uri.scheme().is_none() || uri.authority().is_none() {
            return Err(Error::Config {
                url: config.api_url,
                message: "needs a scheme and a host".into(),
            });
        }
        let mut builder = octocrab::Octocrab::builder()
            .base_uri(base.as_str())
            .map_err(|e| Error::Config {
                url: base.clone(),
                message: e.to_string(),
            })?
            .add_header(http::header::ACCEPT, "application/vnd.github+json".into())
            .add_header(
                http::HeaderName::from_static("x-github-api-version"),
                "2022-11-28".into(),
            )
            .set_connect_timeout(Some(config.timeout))
            .set_read_timeout(Some(config.timeout));
        if let Some(token) = &config.token {
            builder = builder.personal_token(token.expose().to_owned());
        }
        let octocrab = builder.build().map_err(|e| Error::Config {
            url: base.clone(),
            message: e.to_string(),
        })?;
        Ok(Client {
            octocrab,
            base,
            timeout: config.timeout,
            retry: config.retry,
            shared: Arc::default(),
            writer: Arc::default(),
        })
    }

    /// The same client, its writes paced and budgeted by `policy` (clones share the count).
    pub fn with_writes(mut self, policy: WritePolicy) -> Client {
        self.writer = Arc::new(Writer {
            policy,
            gate: Default::default(),
        });
        self
    }

    /// Writes sent and refused so far, and why writing stopped, if it did.
    pub fn write_state(&self) -> writes::WriteState {
        self.shared
            .lock()
            .map(|s| s.writes.clone())
            .unwrap_or_default()
    }

    /// What was sent so far.
    pub fn counters(&self) -> Counters {
        self.shared
            .lock()
            .map(|s| s.counters.clone())
            .unwrap_or_default()
    }

    /// GET `path` (a path and query under the API base) with the retry policy; with `etag`, conditionally.
    /// Any HTTP status is returned as a [`Reply`]; only "no answer" and "rate limited beyond the cap" are errors.
    pub async fn get(&self, path: &str, etag: Option<&str>) -> Result<Reply, Error> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            self.wait_for_primary_reset(path).await?;
            let outcome = self.attempt(path, etag).await;
            let now = chrono::Utc::now().timestamp();
            let (summary, reply, message) = match &outcome {
                Ok(reply) => {
                    let secondary = reply
                        .1
                        .to_ascii_lowercase()
                        .contains("secondary rate limit");
                    (
                        retry::Outcome::Status {
                            status: reply.0.status,
                            retry_after: reply.2.retry_after,
                            remaining: reply.2.remaining,
                            reset: reply.2.reset,
                            secondary,
                        },
                        Some(reply.0.clone()),
                        format!("HTTP {}", reply.0.status),
                    )
                }
                Err(AttemptError::Timeout) => {
                    (retry::Outcome::Timeout, None, "timed out".to_owned())
                }
                Err(AttemptError::Transport(m)) => (retry::Outcome::Transport, None, m.clone()),
            };
            match retry::decide(&self.retry, attempt, &summary, now, jitter()) {
                retry::Decision::RetryAfter(d) => {
                    tracing::debug!(
                        path,
                        attempt,
                        wait_ms = d.as_millis() as u64,
                        "{message}; retrying"
                    );
                    if let Ok(mut s) = self.shared.lock() {
                        s.counters.retries += 1;
                    }
                    tokio::time::sleep(d).await;
                }
                retry::Decision::Stop(retry::Stop::Answered)
                | retry::Decision::Stop(retry::Stop::Exhausted) => {
                    return match reply {
                        Some(reply) => Ok(reply),
                        None => Err(Error::Unreachable {
                            path: path.to_owned(),
                            attempts: attempt,
                            message,
                        }),
                    };
                }
                retry::Decision::Stop(retry::Stop::RateLimited { until }) => {
                    return Err(Error::RateLimited {
                        path: path.to_owned(),
                        until,
                    });
                }
            }
        }
    }

    /// [`retry::primary_wait`] on the primary limit as the last answer reported it, now.
    fn primary_wait(&self) -> Result<Option<Duration>, i64> {
        let (remaining, reset) = self
            .shared
            .lock()
            .map(|s| (s.remaining, s.reset))
            .unwrap_or((None, None));
        let now = chrono::Utc::now().timestamp();
        retry::primary_wait(remaining, reset, now, self.retry.max_rate_limit_wait)
    }

    async fn wait_for_primary_reset(&self, path: &str) -> Result<(), Error> {
        match self.primary_wait() {
            Ok(None) => Ok(()),
            Ok(Some(d)) => {
                tracing::info!(
                    wait_s = d.as_secs(),
                    "primary rate limit used up; waiting for its reset"
                );
                tokio::time::sleep(d).await;
                if let Ok(mut s) = self.shared.lock() {
                    s.remaining = None;
                }
                Ok(())
            }
            Err(until) => Err(Error::RateLimited {
                path: path.to_owned(),
                until: Some(until),
            }),
        }
    }

    async fn attempt(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<(Reply, String, RateHeaders), AttemptError> {
        let mut headers = HeaderMap::new();
        if let Some(value) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
            headers.insert(http::header::IF_NONE_MATCH, value);
        }
        let request = async {
            let response = self
                .octocrab
                ._get_with_headers(path, Some(headers))
                .await
                .map_err(|e| AttemptError::Transport(error_chain(&e)))?;
            let status = response.status().as_u16();
            let h = response.headers();
            let text = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let number = |name: &str| text(name).and_then(|v| v.trim().parse::<i64>().ok());
            let rate = RateHeaders {
                retry_after: number("retry-after").map(|v| v.max(0) as u64),
                remaining: number("x-ratelimit-remaining").map(|v| v.max(0) as u64),
                reset: number("x-ratelimit-reset"),
            };
            let etag = text("etag");
            let link = text("link");
            let location = text("location");
            let body = self
                .octocrab
                .body_to_string(response)
                .await
                .map_err(|e| AttemptError::Transport(error_chain(&e)))?;
            Ok::<_, AttemptError>((
                Reply {
                    status,
                    etag,
                    link,
                    location,
                    body: body.clone(),
                },
                body,
                rate,
            ))
        };
        let result = match tokio::time::timeout(self.timeout, request).await {
            Ok(result) => result,
            Err(_) => Err(AttemptError::Timeout),
        };
        if let Ok(mut s) = self.shared.lock() {
            s.counters.requests += 1;
            if let Ok((reply, _, rate)) = &result {
                if reply.status == 304 {
                    s.counters.not_modified += 1;
                }
                if rate.remaining.is_some() {
                    s.remaining = rate.remaining;
                    s.reset = rate.reset;
                }
            }
        }
        result
    }

    /// One write, sent once: a POST that timed out may still have happened, so it is never resent here; the
    /// caller re-reads and decides. Any HTTP status comes back as a [`Reply`].
    pub async fn write(
        &self,
        method: WriteMethod,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Reply, Error> {
        let failed = |message: String| Error::Write {
            method: method.as_str(),
            path: path.to_owned(),
            status: None,
            message: Some(message),
        };
        let stopped = |stop: WriteStop, refused: bool| Error::WritesStopped {
            method: method.as_str(),
            path: path.to_owned(),
            stop,
            refused,
        };
        // One write at a time: the gate is held until this one is answered.
        let mut last = self.writer.gate.lock().await;
        let since_last = last.map(|t| t.elapsed());
        let state = self.write_state();
        let pause = writes::before(&state, &self.writer.policy, since_last)
            .map_err(|stop| stopped(stop, false))?;
        // The primary limit, as the last answer reported it: wait for its reset when that is near, else stop.
        let primary = match self.primary_wait() {
            Ok(wait) => wait.unwrap_or_default(),
            Err(until) => {
                let stop = WriteStop::RateLimited {
                    what: "primary rate limit used up".into(),
                    until: Some(until),
                };
                if let Ok(mut s) = self.shared.lock() {
                    s.writes.stop = Some(stop.clone());
                }
                return Err(stopped(stop, false));
            }
        };
        let pause = pause.max(primary);
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        *last = Some(tokio::time::Instant::now());
        let request = self.send_write(method, path, body);
        let result = match tokio::time::timeout(self.timeout, request).await {
            Ok(result) => result,
            Err(_) => Err(failed("timed out".into())),
        };
        let refused = self.note_write(&result);
        tracing::debug!(method = method.as_str(), path, status = ?result.as_ref().ok().map(|r| r.0.status), "GitHub write");
        if let Some(stop) = refused {
            tracing::warn!(
                method = method.as_str(),
                path,
                "{stop}; no more writes this run"
            );
            return Err(stopped(stop, true));
        }
        result.map(|(reply, _)| reply)
    }

    /// Send one write and read its answer whole, with the rate headers it carried.
    async fn send_write(
        &self,
        method: WriteMethod,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(Reply, RateHeaders), Error> {
        let failed = |message: String| Error::Write {
            method: method.as_str(),
            path: path.to_owned(),
            status: None,
            message: Some(message),
        };
        let response = match method {
            WriteMethod::Post => self.octocrab._post(path, Some(body)).await,
            WriteMethod::Patch => self.octocrab._patch(path, Some(body)).await,
            WriteMethod::Put => self.octocrab._put(path, Some(body)).await,
        }
        .map_err(|e| failed(error_chain(&e)))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (etag, link, location) = (header("etag"), header("link"), header("location"));
        let number = |name: &str| header(name).and_then(|v| v.trim().parse::<i64>().ok());
        let rate = RateHeaders {
            retry_after: number("retry-after").map(|v| v.max(0) as u64),
            remaining: number("x-ratelimit-remaining").map(|v| v.max(0) as u64),
            reset: number("x-ratelimit-reset"),
        };
        let body = self
            .octocrab
            .body_to_string(response)
            .await
            .map_err(|e| failed(error_chain(&e)))?;
        Ok((
            Reply {
                status,
                etag,
                link,
                location,
                body,
            },
            rate,
        ))
    }

    /// Count a write and keep the rate view its answer gave; the stop, when GitHub refused it for a limit
    /// (then no other write is sent this run).
    fn note_write(&self, result: &Result<(Reply, RateHeaders), Error>) -> Option<WriteStop> {
        let mut refused = None;
        if let Ok(mut s) = self.shared.lock() {
            s.counters.requests += 1;
            s.writes.sent += 1;
            if let Ok((reply, rate)) = &result {
                if rate.remaining.is_some() {
                    s.remaining = rate.remaining;
                    s.reset = rate.reset;
                }
                refused = writes::refusal(
                    reply.status,
                    rate.retry_after,
                    rate.remaining,
                    rate.reset,
                    &reply.body,
                    chrono::Utc::now().timestamp(),
                    self.retry.secondary_wait,
                );
                if let Some(stop) = &refused {
                    s.writes.refused += 1;
                    s.writes.stop = Some(stop.clone());
                }
            }
        }
        refused
    }

    /// `GET path` decoded as `T`: `None` on 404, an error naming the path on any other status.
    pub(super) async fn get_optional<T: serde::de::DeserializeOwned>(
        &self,
        path: String,
    ) -> Result<Option<T>, Error> {
        let reply = self.get(&path, None).await?;
        match reply.status {
            200 => serde_json::from_str(&reply.body)
                .map(Some)
                .map_err(|e| Error::Decode {
                    path,
                    message: e.to_string(),
                }),
            404 => Ok(None),
            status => Err(Error::Status {
                path,
                status,
                message: message_of(&reply.body),
            }),
        }
    }
}

/// The HTTP method of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMethod {
    Post,
    Patch,
    Put,
}

impl WriteMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            WriteMethod::Post => "POST",
            WriteMethod::Patch => "PATCH",
            WriteMethod::Put => "PUT",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct RateHeaders {
    retry_after: Option<u64>,
    remaining: Option<u64>,
    reset: Option<i64>,
}

#[derive(Debug)]
enum AttemptError {
    Timeout,
    Transport(String),
}

/// A number in `[0, 1)` for backoff jitter; not cryptographic.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut x = (nanos as u64) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}
