//! The errors a caller of the GitHub client branches on, and how their messages are made.

use super::model;
use super::writes::WriteStop;

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

pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub(super) fn message_of(body: &str) -> Option<String> {
    serde_json::from_str::<model::MessageBody>(body)
        .ok()
        .and_then(|b| b.message)
}
