//! The per-repository record and the removal event, as stored (kebab-case JSON).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a repository stands, as far as keepopen knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Public and listed.
    #[default]
    Present,
    /// Missing and answering 404, not yet confirmed.
    Suspected,
    /// Confirmed gone (deleted or made private) after `removal.confirmations` scans.
    Removed,
    /// Moved to a name outside the watched sources; still public.
    Renamed,
    /// 451: blocked for legal reasons. Never republished.
    LegalBlock,
    /// Public again after having been confirmed removed.
    Restored,
}

/// The removal-suspicion counter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Suspicion {
    /// Consecutive scans (at least `min-gap` apart) that found the repository gone.
    pub count: u32,
    pub first_at: Option<DateTime<Utc>>,
    /// When the count last went up.
    pub last_at: Option<DateTime<Utc>>,
}

/// GitHub's own answer to `GET /repos/{o}/{r}/license`, recorded while the repository was public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ApiLicense {
    /// `None` when GitHub found no licence file (404).
    pub spdx_id: Option<String>,
    pub name: Option<String>,
    pub key: Option<String>,
    /// The file GitHub took for the licence.
    pub path: Option<String>,
    pub sha: Option<String>,
    pub checked_at: DateTime<Utc>,
}

/// The bare mirror of a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MirrorRecord {
    /// Relative to the archive directory, e.g. `12345-frontend.git`.
    pub path: String,
    pub fetched_at: Option<DateTime<Utc>>,
    /// The `pushed_at` the last successful fetch caught up with; a fetch is due when the listing says otherwise.
    pub fetched_pushed_at: Option<DateTime<Utc>>,
    /// `refs/heads/…` and `refs/tags/…` → object id after the last fetch.
    pub tips: BTreeMap<String, String>,
    /// Old tips kept under `refs/keepopen/overwritten/…` because upstream moved or deleted them.
    #[serde(default)]
    pub preserved: Vec<String>,
    /// The last fetch failure, cleared by the next success.
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WikiState {
    Mirrored,
    /// GitHub says `has_wiki` but there is no wiki repository (no page was ever written).
    Absent,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct WikiRecord {
    pub state: WikiState,
    /// Relative to the archive directory.
    pub path: Option<String>,
    pub error: Option<String>,
    pub checked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LfsRecord {
    /// `.gitattributes` at the default branch's tip routes files through `filter=lfs`.
    pub detected: bool,
    /// The gap, stated: LFS objects are not in the mirror.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LegalBlock {
    pub reason: Option<String>,
    pub html_url: Option<String>,
    pub seen_at: DateTime<Utc>,
}

/// Everything keepopen knows about one repository, keyed by GitHub's numeric id (stable across renames).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RepoRecord {
    pub id: u64,
    /// `owner/name` as last seen.
    pub full_name: String,
    /// Earlier names, oldest first.
    #[serde(default)]
    pub former_names: Vec<String>,
    pub html_url: String,
    pub clone_url: String,
    pub default_branch: Option<String>,
    pub pushed_at: Option<DateTime<Utc>>,
    pub archived: bool,
    pub fork: bool,
    pub has_wiki: bool,
    /// Stars and forks as last listed: how much the repository is used, which orders proposals (absent in state
    /// written before keepopen kept them: 0).
    #[serde(default)]
    pub stars: u64,
    #[serde(default)]
    pub forks: u64,
    pub api_license: Option<ApiLicense>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub mirror: Option<MirrorRecord>,
    pub wiki: Option<WikiRecord>,
    pub lfs: Option<LfsRecord>,
    pub status: Status,
    pub suspicion: Suspicion,
    pub removal_confirmed_at: Option<DateTime<Utc>>,
    pub legal_block: Option<LegalBlock>,
    /// Why the last classification was inconclusive, if it was.
    pub last_probe: Option<String>,
    /// Each republication of this repository, oldest first (written by `publish`).
    #[serde(default)]
    pub publications: Vec<PublicationRecord>,
}

/// One republication, as recorded in state: where, what was pushed, when, and on whose word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PublicationRecord {
    /// `local` or `github`.
    pub forge: String,
    /// The target repository's name, e.g. `nhsuk--frontend`.
    pub name: String,
    /// Where it was pushed: a directory for the local forge, the clone URL (never with credentials) for GitHub.
    pub target_url: String,
    /// Every ref pushed → the commit (or tag object) id it points at.
    pub pushed: BTreeMap<String, String>,
    /// The commit that adds the notice (on the default branch, or on `keepopen/provenance` for ND licences).
    pub notice_commit: String,
    /// The original tip of the default branch, also tagged `keepopen/last-seen`.
    pub last_seen_commit: String,
    pub verdict: String,
    /// A person's reason to publish despite the verdict, when one was given.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// A person's reason to publish although the repository is not confirmed removed.
    #[serde(default)]
    pub force_public_reason: Option<String>,
    /// A person's reason to overwrite a target that held something else.
    #[serde(default)]
    pub force_reason: Option<String>,
    /// Where the wiki went, when it was pushed (or found there already).
    #[serde(default)]
    pub wiki_url: Option<String>,
    pub published_at: DateTime<Utc>,
}

impl RepoRecord {
    /// A fresh record for a repository first seen at `now`.
    pub fn new(id: u64, full_name: &str, now: DateTime<Utc>) -> RepoRecord {
        RepoRecord {
            id,
            full_name: full_name.to_owned(),
            former_names: Vec::new(),
            html_url: String::new(),
            clone_url: String::new(),
            default_branch: None,
            pushed_at: None,
            archived: false,
            fork: false,
            has_wiki: false,
            stars: 0,
            forks: 0,
            api_license: None,
            first_seen: now,
            last_seen: now,
            mirror: None,
            wiki: None,
            lfs: None,
            status: Status::Present,
            suspicion: Suspicion::default(),
            removal_confirmed_at: None,
            legal_block: None,
            last_probe: None,
            publications: Vec::new(),
        }
    }

    /// `owner` of `full_name`.
    pub fn owner(&self) -> &str {
        self.full_name
            .split_once('/')
            .map(|(o, _)| o)
            .unwrap_or(&self.full_name)
    }

    /// `name` of `full_name`.
    pub fn name(&self) -> &str {
        self.full_name
            .split_once('/')
            .map(|(_, n)| n)
            .unwrap_or(&self.full_name)
    }
}

/// What happened to a repository, as logged in `removals.jsonl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemovalEvent {
    /// Confirmed gone: a candidate for republication (subject to the licence verdict).
    Removed,
    /// 451: blocked for legal reasons. Never a candidate.
    LegalBlock,
    /// Public again after a confirmed removal: withdraw any republication proposal.
    Restored,
}

/// One line of `removals.jsonl` (documented in README.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RemovalEntry {
    pub event: RemovalEvent,
    pub id: u64,
    pub full_name: String,
    pub former_names: Vec<String>,
    pub html_url: String,
    /// When this run decided.
    pub detected_at: DateTime<Utc>,
    pub first_suspected_at: Option<DateTime<Utc>>,
    /// Scans that confirmed the removal.
    pub confirmations: u32,
    /// True only for `removed`: the later steps may consider republishing it. Never true for a legal block.
    pub republish_candidate: bool,
    /// The evidence, in words.
    pub reason: String,
    /// The bare mirror, relative to the archive directory; `None` if keepopen never fetched it.
    pub mirror: Option<String>,
    pub tips: BTreeMap<String, String>,
    pub default_branch: Option<String>,
    pub pushed_at: Option<DateTime<Utc>>,
    pub api_license: Option<ApiLicense>,
    pub lfs: bool,
    pub legal_block: Option<LegalBlock>,
}

impl RemovalEntry {
    pub fn from_record(
        record: &RepoRecord,
        event: RemovalEvent,
        at: DateTime<Utc>,
        reason: String,
    ) -> RemovalEntry {
        RemovalEntry {
            event,
            id: record.id,
            full_name: record.full_name.clone(),
            former_names: record.former_names.clone(),
            html_url: record.html_url.clone(),
            detected_at: at,
            first_suspected_at: record.suspicion.first_at,
            confirmations: record.suspicion.count,
            republish_candidate: event == RemovalEvent::Removed,
            reason,
            mirror: record
                .mirror
                .as_ref()
                .filter(|m| m.fetched_at.is_some())
                .map(|m| m.path.clone()),
            tips: record
                .mirror
                .as_ref()
                .map(|m| m.tips.clone())
                .unwrap_or_default(),
            default_branch: record.default_branch.clone(),
            pushed_at: record.pushed_at,
            api_license: record.api_license.clone(),
            lfs: record.lfs.as_ref().is_some_and(|l| l.detected),
            legal_block: record.legal_block.clone(),
        }
    }
}

/// The Markdown summary of one run's removal events.
pub(crate) fn markdown_report(entries: &[&RemovalEntry], at: DateTime<Utc>) -> String {
    let mut out = format!(
        "# keepopen removal report, {}\n\n",
        at.format("%Y-%m-%d %H:%M UTC")
    );
    let count = |e: RemovalEvent| entries.iter().filter(|x| x.event == e).count();
    out.push_str(&format!(
        "{} removed, {} blocked for legal reasons, {} restored.\n\n",
        count(RemovalEvent::Removed),
        count(RemovalEvent::LegalBlock),
        count(RemovalEvent::Restored)
    ));
    out.push_str("| event | repository | id | republish candidate | mirror | GitHub's licence | evidence |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for e in entries {
        let event = match e.event {
            RemovalEvent::Removed => "removed",
            RemovalEvent::LegalBlock => "legal block",
            RemovalEvent::Restored => "restored",
        };
        let license = e
            .api_license
            .as_ref()
            .and_then(|l| l.spdx_id.clone())
            .unwrap_or_else(|| "–".into());
        out.push_str(&format!(
            "| {event} | {} | {} | {} | {} | {} | {} |\n",
            md::text(&e.full_name),
            e.id,
            if e.republish_candidate { "yes" } else { "no" },
            e.mirror
                .as_deref()
                .map(md::text)
                .unwrap_or_else(|| "none".into()),
            md::text(&license),
            md::text(&e.reason),
        ));
    }
    out
}

use crate::untrusted::markdown as md;
