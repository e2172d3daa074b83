//! The parts of GitHub's JSON that keepopen reads. Unknown fields are ignored (GitHub adds fields freely);
//! missing optional fields default, so an answer from GitHub Enterprise or a test server still parses.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A repository object as `GET /orgs/{org}/repos`, `GET /repos/{o}/{r}` and `GET /repositories/{id}` return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    pub id: u64,
    pub name: String,
    pub full_name: String,
    pub owner: Account,
    #[serde(default)]
    pub private: bool,
    pub html_url: String,
    pub clone_url: String,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub pushed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub fork: bool,
    #[serde(default)]
    pub has_wiki: bool,
    #[serde(default)]
    pub stargazers_count: u64,
    #[serde(default)]
    pub forks_count: u64,
    #[serde(default)]
    pub license: Option<LicenseSummary>,
}

/// `owner` of a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub login: String,
    #[serde(default)]
    pub id: Option<u64>,
}

/// The `license` object GitHub attaches to a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseSummary {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub spdx_id: Option<String>,
}

/// The answer of `GET /repos/{o}/{r}/license`: which file GitHub took for the licence and what it thinks it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseFile {
    /// The file name, e.g. `LICENSE.md`.
    pub name: String,
    pub path: String,
    #[serde(default)]
    pub sha: Option<String>,
    #[serde(default)]
    pub license: Option<LicenseSummary>,
}

/// The body of a 451: `{"message": "Repository access blocked", "block": {"reason": "dmca", "html_url": …}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct BlockedBody {
    #[serde(default)]
    pub(crate) block: Option<Block>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct Block {
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) html_url: Option<String>,
}

/// `{"message": …}` of an error answer.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct MessageBody {
    #[serde(default)]
    pub(crate) message: Option<String>,
}
