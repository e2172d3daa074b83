//! GitHub REST access: the only module that imports octocrab.
//!
//! octocrab is built without its `follow-redirect` and `retry` features: classification must see a 301 as a
//! 301, and the retry policy (`retry::decide`) is keepopen's own — bounded, with backoff and jitter, honouring
//! `retry-after` and `x-ratelimit-reset`. All requests are raw GETs whose JSON this module parses itself, so a
//! field GitHub adds or drops cannot break a scan. The token is a [`Token`]: never printed, never logged, sent
//! only as an `Authorization` header to the configured API host.

mod client;
mod errors;
pub mod model;
mod paths;
mod reads;
mod repos;
pub mod retry;
pub mod writes;

use std::sync::Arc;

pub use client::{Client, ClientConfig, Counters, Reply, WriteMethod};
pub use errors::Error;
pub(crate) use errors::format_epoch;
pub use model::{LicenseFile, LicenseSummary, Repository};
pub use paths::{encode_segment, next_link, relative_to_base, repo_path};
pub use reads::{Page, Probe};
pub use repos::{NewRepository, TargetRepository};
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

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
}
