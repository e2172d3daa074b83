//! GitHub REST access: the only module that imports octocrab.
//!
//! octocrab is built without its `follow-redirect` and `retry` features: classification must see a 301 as a
//! 301, and the retry policy (`retry::decide`) is keepopen's own — bounded, with backoff and jitter, honouring
//! `retry-after` and `x-ratelimit-reset`. All requests are raw GETs whose JSON this module parses itself, so a
//! field GitHub adds or drops cannot break a scan. The token is a [`Token`]: never printed, never logged, sent
//! only as an `Authorization` header to the configured API host.

pub mod model;
pub mod retry;
pub mod writes;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::HeaderMap;
use http::{HeaderValue, Uri};

pub use model::{LicenseFile, LicenseSummary, Repository};
pub use retry::RetryPolicy;
pub use writes::{WritePolicy, WriteStop};

/// Environment variables a token is read from, in order. `GITHUB_APP_INSTALLATION_TOKEN` is meant for a GitHub App
/// installation token minted by the workflow (e.g. `actions/create-github-app-token`).
pub const TOKEN_ENV: [&str; 2] = ["GITHUB_TOKEN", "GITHUB_APP_INSTALLATION_TOKEN"];

/// A GitHub token. `Debug` and `Display` print `[redacted]`; only [`Token::expose`] gives the value, for the one
/// header and the one git credential callback that need it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<str>);

impl Token {
    pub fn new(value: impl Into<String>) -> Token {
        Token(Arc::from(value.into()))
    }

    /// The secret value. Do not log it, format it, or write it anywhere.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first non-empty variable of [`TOKEN_ENV`], read through `get` (so tests pass their own environment).
    /// Returns the token and the variable it came from.
    pub fn from_env_with(get: impl Fn(&str) -> Option<String>) -> Option<(Token, &'static str)> {
        TOKEN_ENV.iter().find_map(|name| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .map(|v| (Token::new(v), *name))
        })
    }

    /// [`Token::from_env_with`] over the process environment.
    pub fn from_env() -> Option<(Token, &'static str)> {
        Token::from_env_with(|name| std::env::var(name).ok())
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// An organisation or a user whose public repositories are listed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    Org(String),
    User(String),
}

impl Owner {
    pub fn login(&self) -> &str {
        match self {
            Owner::Org(login) | Owner::User(login) => login,
        }
    }

    /// The first listing page, 100 public repositories a page.
    pub fn first_page(&self) -> String {
        match self {
            Owner::Org(org) => format!(
                "/orgs/{}/repos?type=public&per_page=100",
                encode_segment(org)
            ),
            Owner::User(user) => format!(
                "/users/{}/repos?type=owner&per_page=100",
                encode_segment(user)
            ),
        }
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Owner::Org(org) => write!(f, "org {org}"),
            Owner::User(user) => write!(f, "user {user}"),
        }
    }
}

/// Failures a caller branches on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid GitHub API URL {url:?}: {message}")]
    Config { url: String, message: String },
    #[error("GET {path}: no answer after {attempts} attempts ({message})")]
    Unreachable {
        path: String,
        attempts: u32,
        message: String,
    },
    #[error("GET {path}: rate limited{}", until.map(|t| format!(" until {}", format_epoch(t))).unwrap_or_default())]
    RateLimited { path: String, until: Option<i64> },
    #[error("GET {path}: HTTP {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        path: String,
        status: u16,
        message: Option<String>,
    },
    #[error("GET {path}: cannot parse the answer: {message}")]
    Decode { path: String, message: String },
    /// A write (POST, PATCH, PUT) that failed. Writes are sent once, never retried automatically.
    #[error("{method} {path}: {}", status.map(|s| format!("HTTP {s}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())).unwrap_or_else(|| message.clone().unwrap_or_default()))]
    Write {
        method: &'static str,
        path: String,
        /// `None` when there was no answer (timeout, connection).
        status: Option<u16>,
        message: Option<String>,
    },
    /// A write not sent, or refused, because writing is stopped for this run (a rate limit, the budget).
    #[error("{method} {path}: not written: {stop}")]
    WritesStopped {
        method: &'static str,
        path: String,
        stop: WriteStop,
        /// Whether this write was sent and refused (as opposed to held back).
        refused: bool,
    },
    #[error("GET {path}: the next-page link {link:?} leaves the API at {base}")]
    ForeignLink {
        path: String,
        link: String,
        base: String,
    },
}

pub(crate) fn format_epoch(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339())
        .unwrap_or_else(|| t.to_string())
}

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

/// One listing page.
#[derive(Debug, Clone)]
pub enum Page {
    /// 304: the page is what it was when `etag` was stored.
    NotModified { etag: String },
    /// 200: the page's repositories and, if there is one, the path of the next page.
    Fresh {
        etag: Option<String>,
        repos: Vec<Repository>,
        next: Option<String>,
    },
}

/// The answer of `GET /repos/{o}/{r}` or `GET /repositories/{id}`, sorted into what classification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// 200 with the repository as it is now.
    Found(Box<Repository>),
    /// 301: renamed or transferred; `location` usually points at `/repositories/{id}`.
    Moved { location: Option<String> },
    /// 404: deleted, made private, or hidden from this token.
    NotFound,
    /// 451: blocked for legal reasons (a DMCA takedown).
    LegalBlock {
        reason: Option<String>,
        html_url: Option<String>,
    },
    /// 403 without a rate limit, e.g. "Resource not accessible by integration".
    Forbidden { message: Option<String> },
    /// 5xx after retries, timeouts, rate limits, undecodable bodies: no evidence either way.
    Failed { reason: String },
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
    base: String,
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

    async fn wait_for_primary_reset(&self, path: &str) -> Result<(), Error> {
        let (remaining, reset) = self
            .shared
            .lock()
            .map(|s| (s.remaining, s.reset))
            .unwrap_or((None, None));
        let now = chrono::Utc::now().timestamp();
        match retry::primary_wait(remaining, reset, now, self.retry.max_rate_limit_wait) {
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

    /// One listing page; `path` is [`Owner::first_page`] or the `next` of the previous page.
    pub async fn list_page(&self, path: &str, etag: Option<&str>) -> Result<Page, Error> {
        let reply = self.get(path, etag).await?;
        match reply.status {
            304 => Ok(Page::NotModified {
                etag: reply
                    .etag
                    .or_else(|| etag.map(str::to_owned))
                    .unwrap_or_default(),
            }),
            200 => {
                let repos: Vec<Repository> =
                    serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
                        path: path.to_owned(),
                        message: e.to_string(),
                    })?;
                let next = match reply.link.as_deref().and_then(next_link) {
                    Some(link) => Some(relative_to_base(&link, &self.base).ok_or_else(|| {
                        Error::ForeignLink {
                            path: path.to_owned(),
                            link: link.clone(),
                            base: self.base.clone(),
                        }
                    })?),
                    None => None,
                };
                Ok(Page::Fresh {
                    etag: reply.etag,
                    repos,
                    next,
                })
            }
            status => Err(Error::Status {
                path: path.to_owned(),
                status,
                message: message_of(&reply.body),
            }),
        }
    }

    /// `GET /repos/{owner}/{name}`, redirects not followed.
    pub async fn probe_repo(&self, full_name: &str) -> Probe {
        self.probe(&repo_path(full_name)).await
    }

    /// `GET /repositories/{id}`, redirects not followed.
    pub async fn probe_repository(&self, id: u64) -> Probe {
        self.probe(&format!("/repositories/{id}")).await
    }

    async fn probe(&self, path: &str) -> Probe {
        let reply = match self.get(path, None).await {
            Ok(reply) => reply,
            Err(e) => {
                return Probe::Failed {
                    reason: e.to_string(),
                };
            }
        };
        sort_probe(path, &reply)
    }

    /// `GET /repos/{owner}/{name}/license`: the file GitHub takes for the licence, or `None` on 404.
    pub async fn license(&self, full_name: &str) -> Result<Option<LicenseFile>, Error> {
        self.get_optional(format!("{}/license", repo_path(full_name)))
            .await
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

/// The parts of a repository the republisher reads back: where to push, and what the repository says it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct TargetRepository {
    pub id: u64,
    pub full_name: String,
    pub clone_url: String,
    pub html_url: String,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub archived: bool,
}

/// What `POST /orgs/{org}/repos` is asked to create.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewRepository {
    pub name: String,
    pub description: String,
    pub homepage: String,
    pub private: bool,
    pub has_issues: bool,
    pub has_wiki: bool,
    pub has_projects: bool,
    pub auto_init: bool,
}

impl Client {
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
        let (remaining, reset) = self
            .shared
            .lock()
            .map(|s| (s.remaining, s.reset))
            .unwrap_or((None, None));
        let now = chrono::Utc::now().timestamp();
        let primary =
            match retry::primary_wait(remaining, reset, now, self.retry.max_rate_limit_wait) {
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
        let request = async {
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
        };
        let result = match tokio::time::timeout(self.timeout, request).await {
            Ok(result) => result,
            Err(_) => Err(failed("timed out".into())),
        };
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

    async fn write_expect(
        &self,
        method: WriteMethod,
        path: &str,
        body: &serde_json::Value,
        ok: &[u16],
    ) -> Result<Reply, Error> {
        let reply = self.write(method, path, body).await?;
        if ok.contains(&reply.status) {
            Ok(reply)
        } else {
            Err(Error::Write {
                method: method.as_str(),
                path: path.to_owned(),
                status: Some(reply.status),
                message: message_of(&reply.body),
            })
        }
    }

    /// `GET /repos/{owner}/{name}` for a repository keepopen writes to: `None` on 404.
    pub async fn target_repository(
        &self,
        full_name: &str,
    ) -> Result<Option<TargetRepository>, Error> {
        self.get_optional(repo_path(full_name)).await
    }

    /// `GET path` decoded as `T`: `None` on 404, an error naming the path on any other status.
    async fn get_optional<T: serde::de::DeserializeOwned>(
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

    /// `POST /orgs/{org}/repos`. Sent once.
    pub async fn create_org_repository(
        &self,
        org: &str,
        repo: &NewRepository,
    ) -> Result<TargetRepository, Error> {
        let path = format!("/orgs/{}/repos", encode_segment(org));
        let body = serde_json::to_value(repo).expect("plain data serialises");
        let reply = self
            .write_expect(WriteMethod::Post, &path, &body, &[201])
            .await?;
        serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
            path,
            message: e.to_string(),
        })
    }

    /// `PATCH /repos/{o}/{r}` with the given fields (description, homepage, default_branch, archived…).
    pub async fn update_repository(
        &self,
        full_name: &str,
        fields: &serde_json::Value,
    ) -> Result<(), Error> {
        self.write_expect(WriteMethod::Patch, &repo_path(full_name), fields, &[200])
            .await
            .map(drop)
    }

    /// `PUT /repos/{o}/{r}/topics`: replaces every topic.
    pub async fn replace_topics(&self, full_name: &str, topics: &[String]) -> Result<(), Error> {
        let path = format!("{}/topics", repo_path(full_name));
        self.write_expect(
            WriteMethod::Put,
            &path,
            &serde_json::json!({ "names": topics }),
            &[200],
        )
        .await
        .map(drop)
    }

    /// `PUT /repos/{o}/{r}/actions/permissions` with `enabled: false`: the repository's own workflows never run.
    pub async fn disable_actions(&self, full_name: &str) -> Result<(), Error> {
        let path = format!("{}/actions/permissions", repo_path(full_name));
        self.write_expect(
            WriteMethod::Put,
            &path,
            &serde_json::json!({ "enabled": false }),
            &[204, 200],
        )
        .await
        .map(drop)
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

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
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

fn message_of(body: &str) -> Option<String> {
    serde_json::from_str::<model::MessageBody>(body)
        .ok()
        .and_then(|b| b.message)
}

/// Sort a probe answer (pure, so it is tested without a server).
fn sort_probe(path: &str, reply: &Reply) -> Probe {
    match reply.status {
        200 => match serde_json::from_str::<Repository>(&reply.body) {
            Ok(repo) => Probe::Found(Box::new(repo)),
            Err(e) => Probe::Failed {
                reason: format!("GET {path}: cannot parse the answer: {e}"),
            },
        },
        301 | 302 | 307 | 308 => Probe::Moved {
            location: reply.location.clone(),
        },
        404 => Probe::NotFound,
        410 => Probe::NotFound,
        451 => {
            let block = serde_json::from_str::<model::BlockedBody>(&reply.body)
                .ok()
                .and_then(|b| b.block);
            Probe::LegalBlock {
                reason: block.as_ref().and_then(|b| b.reason.clone()),
                html_url: block.and_then(|b| b.html_url),
            }
        }
        403 => Probe::Forbidden {
            message: message_of(&reply.body),
        },
        status => Probe::Failed {
            reason: format!("GET {path}: HTTP {status}"),
        },
    }
}

/// `/repos/{owner}/{name}` with each part percent-encoded, so a hostile name cannot change the path.
pub fn repo_path(full_name: &str) -> String {
    let (owner, name) = full_name.split_once('/').unwrap_or((full_name, ""));
    format!("/repos/{}/{}", encode_segment(owner), encode_segment(name))
}

/// Percent-encode one path segment: everything but `[A-Za-z0-9._~-]`, and dots too when the segment is all dots.
pub fn encode_segment(segment: &str) -> String {
    let all_dots = !segment.is_empty() && segment.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'~')
            || (b == b'.' && !all_dots);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .any(|p| {
                let p = p.trim();
                p == "rel=\"next\"" || p == "rel=next"
            })
            .then(|| url.to_owned())
    })
}

/// Turn an absolute URL under `base` into a path and query relative to it; `None` when it is elsewhere.
/// (octocrab only sends the token to relative paths, so following a link as a path keeps page 2 authenticated.)
pub fn relative_to_base(url: &str, base: &str) -> Option<String> {
    if url.starts_with('/') {
        let base_path = base
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        return Some(
            url.strip_prefix(base_path)
                .filter(|r| r.starts_with('/'))
                .unwrap_or(url)
                .to_owned(),
        );
    }
    let rest = url.strip_prefix(base)?;
    if rest.starts_with('/') {
        Some(rest.to_owned())
    } else if rest.starts_with('?') || rest.is_empty() {
        Some(format!("/{rest}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_never_shows_in_debug_or_display() {
        let token = Token::new("ghp_secret123");
        assert_eq!(format!("{token}"), "[redacted]");
        assert!(!format!("{token:?}").contains("secret"));
        let config = ClientConfig {
            api_url: "http://127.0.0.1:1".into(),
            token: Some(token.clone()),
            timeout: Duration::from_secs(1),
            retry: RetryPolicy::default(),
        };
        assert!(!format!("{config:?}").contains("secret"));
    }

    #[test]
    fn token_from_env_prefers_github_token_and_skips_empty() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(Token::from_env_with(env(&[])).map(|(_, n)| n), None);
        let (t, n) = Token::from_env_with(env(&[
            ("GITHUB_TOKEN", "a"),
            ("GITHUB_APP_INSTALLATION_TOKEN", "b"),
        ]))
        .unwrap();
        assert_eq!((t.expose(), n), ("a", "GITHUB_TOKEN"));
        let (t, n) = Token::from_env_with(env(&[
            ("GITHUB_TOKEN", " "),
            ("GITHUB_APP_INSTALLATION_TOKEN", "b"),
        ]))
        .unwrap();
        assert_eq!((t.expose(), n), ("b", "GITHUB_APP_INSTALLATION_TOKEN"));
    }

    #[test]
    fn next_link_parses_github_link_headers() {
        let cases = [
            (
                r#"<https://api.github.com/orgs/x/repos?page=2>; rel="next", <https://api.github.com/orgs/x/repos?page=5>; rel="last""#,
                Some("https://api.github.com/orgs/x/repos?page=2"),
            ),
            (
                r#"<https://api.github.com/orgs/x/repos?page=1>; rel="prev", <https://api.github.com/orgs/x/repos?page=1>; rel="first""#,
                None,
            ),
            ("", None),
            ("garbage", None),
        ];
        for (header, expected) in cases {
            assert_eq!(next_link(header).as_deref(), expected, "{header}");
        }
    }

    #[test]
    fn relative_to_base_keeps_links_on_the_api_host() {
        let cases = [
            (
                "https://api.github.com/orgs/x/repos?page=2",
                "https://api.github.com",
                Some("/orgs/x/repos?page=2"),
            ),
            (
                "https://ghe.example/api/v3/orgs/x/repos?page=2",
                "https://ghe.example/api/v3",
                Some("/orgs/x/repos?page=2"),
            ),
            (
                "https://evil.example/orgs/x/repos?page=2",
                "https://api.github.com",
                None,
            ),
            (
                "https://api.github.com.evil.example/orgs/x",
                "https://api.github.com",
                None,
            ),
            (
                "/orgs/x/repos?page=3",
                "https://api.github.com",
                Some("/orgs/x/repos?page=3"),
            ),
            (
                "/api/v3/orgs/x/repos?page=3",
                "https://ghe.example/api/v3",
                Some("/orgs/x/repos?page=3"),
            ),
        ];
        for (url, base, expected) in cases {
            assert_eq!(
                relative_to_base(url, base).as_deref(),
                expected,
                "{url} under {base}"
            );
        }
    }

    #[test]
    fn repo_path_cannot_be_steered_by_a_hostile_name() {
        assert_eq!(repo_path("nhsuk/frontend.js"), "/repos/nhsuk/frontend.js");
        assert_eq!(repo_path("org/../../etc"), "/repos/org/..%2F..%2Fetc");
        assert_eq!(repo_path("org/.."), "/repos/org/%2E%2E");
        assert_eq!(repo_path("org/a b?c#d"), "/repos/org/a%20b%3Fc%23d");
    }

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            etag: None,
            link: None,
            location: Some("/repositories/7".into()),
            body: body.into(),
        }
    }

    #[test]
    fn probe_answers_are_sorted_by_status() {
        let repo = r#"{"id":7,"name":"a","full_name":"o/a","owner":{"login":"o"},"html_url":"h","clone_url":"c"}"#;
        assert!(matches!(sort_probe("/p", &reply(200, repo)), Probe::Found(r) if r.id == 7));
        assert!(matches!(
            sort_probe("/p", &reply(200, "{}")),
            Probe::Failed { .. }
        ));
        assert_eq!(
            sort_probe("/p", &reply(301, "")),
            Probe::Moved {
                location: Some("/repositories/7".into())
            }
        );
        assert_eq!(sort_probe("/p", &reply(404, "")), Probe::NotFound);
        assert_eq!(
            sort_probe(
                "/p",
                &reply(
                    451,
                    r#"{"message":"Repository access blocked","block":{"reason":"dmca","html_url":"https://github.com/github/dmca"}}"#
                )
            ),
            Probe::LegalBlock {
                reason: Some("dmca".into()),
                html_url: Some("https://github.com/github/dmca".into())
            }
        );
        assert_eq!(
            sort_probe(
                "/p",
                &reply(
                    403,
                    r#"{"message":"Resource not accessible by integration"}"#
                )
            ),
            Probe::Forbidden {
                message: Some("Resource not accessible by integration".into())
            }
        );
        assert!(matches!(
            sort_probe("/p", &reply(502, "")),
            Probe::Failed { .. }
        ));
    }
}
