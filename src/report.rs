//! `keepopen report --html`: the status page, a static site for GitHub Pages (or any folder opened from disk).
//!
//! From the state's records it lists every watched repository that vanished (removed, blocked, or removed and
//! since restored): when, its licence and verdict, and where it was republished; a chart of removals over time
//! (inline SVG, drawn here); and a lookup box that finds the republished copy of an old URL, from JSON embedded in
//! the page (no CDN, no fetch: it works from `file://`). Next to the page, `redirects.json` maps each original URL
//! (and former names) to the republished URL with the last-seen commit, so that others can fix links in bulk.
//!
//! Everything that decides what the page says is a pure function over records ([`collect`], [`redirects`],
//! [`buckets`], [`chart_svg`], [`render_index`]); [`write_site`] is the edge that reads state and writes files.

mod chart;
mod page;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::record::{DecisionRecord, RecordStatus};
use crate::state::{RepoRecord, Status, Store};

pub use chart::{buckets, chart_svg};
pub use page::{escape, render_index, render_index_with_backlog};

/// The licence and verdict of a repository, from a check of its mirror.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judged {
    pub license: String,
    pub verdict: String,
}

/// Where a vanished repository was republished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Republished {
    /// A browsable URL: the GitHub page, or `file://` for a local forge.
    pub url: String,
    pub last_seen_commit: String,
    pub notice_commit: String,
    pub published_at: DateTime<Utc>,
}

/// One vanished repository, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Vanished {
    pub id: u64,
    pub full_name: String,
    pub former_names: Vec<String>,
    pub original_url: String,
    /// When it was found gone (confirmed removal, legal block); `None` if state does not say.
    pub vanished_at: Option<DateTime<Utc>>,
    /// `removed`, `legal-block` or `restored`.
    pub status: String,
    /// The licence expression, `none` when the check found none, `unknown` when not checked.
    pub license: String,
    pub verdict: String,
    pub republished: Option<Republished>,
    /// What the control repository's decision record says, when the site was written with the records.
    pub decision: Option<Decided>,
}

/// A vanished repository's decision record, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Decided {
    /// `proposed`, `published` or `restored`.
    pub status: String,
    /// The approving pull request, once published.
    pub pull_request: Option<u64>,
    pub approved_by: Vec<String>,
}

/// One entry of `redirects.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Redirect {
    pub repo: String,
    pub url: String,
    pub last_seen_commit: String,
}

/// What [`write_site`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SiteSummary {
    pub index: PathBuf,
    pub redirects: PathBuf,
    pub watched: usize,
    pub vanished: usize,
    pub republished: usize,
}

/// The statuses that mean a repository vanished at some point.
fn status_name(status: Status) -> Option<&'static str> {
    match status {
        Status::Removed => Some("removed"),
        Status::LegalBlock => Some("legal-block"),
        Status::Restored => Some("restored"),
        Status::Present | Status::Suspected | Status::Renamed => None,
    }
}

/// A browsable URL for a publication's target: a GitHub clone URL without `.git`, a local path as `file://`.
pub fn browsable(target_url: &str) -> String {
    if target_url.starts_with("https://") || target_url.starts_with("http://") {
        target_url.trim_end_matches(".git").to_owned()
    } else if target_url.starts_with("file://") {
        target_url.to_owned()
    } else {
        format!("file://{target_url}")
    }
}

/// The key an old URL is looked up by: lower case, no scheme, no `www.`, no query, no trailing `/` or `.git`,
/// and for GitHub only `github.com/owner/repo` (so deep links into a repository find it too).
/// `page.js` does the same in the browser.
pub fn normalise_url(url: &str) -> String {
    let mut u = url.trim().to_lowercase();
    if let Some(cut) = u.find(['?', '#']) {
        u.truncate(cut);
    }
    if let Some(at) = u.find("://")
        && u[..at]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        && !u[..at].is_empty()
    {
        u = u[at + 3..].to_owned();
    }
    if let Some(rest) = u.strip_prefix("www.") {
        u = rest.to_owned();
    }
    let mut u = u.trim_end_matches('/').to_owned();
    if let Some(rest) = u.strip_suffix(".git") {
        u = rest.trim_end_matches('/').to_owned();
    }
    if u.starts_with("github.com/") {
        u = u.split('/').take(3).collect::<Vec<_>>().join("/");
    }
    u
}

/// The vanished repositories among `records`, most recent first; `judged` gives licence and verdict by id.
pub fn collect(records: &[RepoRecord], judged: &BTreeMap<u64, Judged>) -> Vec<Vanished> {
    let mut out: Vec<Vanished> = records
        .iter()
        .filter_map(|r| {
            let status = status_name(r.status)?;
            let publication = r.publications.last();
            let (license, verdict) = match (judged.get(&r.id), publication) {
                (Some(j), _) => (j.license.clone(), j.verdict.clone()),
                (None, Some(p)) => (
                    r.api_license
                        .as_ref()
                        .and_then(|l| l.spdx_id.clone())
                        .unwrap_or_else(|| "unknown".into()),
                    p.verdict.clone(),
                ),
                (None, None) => (
                    r.api_license
                        .as_ref()
                        .and_then(|l| l.spdx_id.clone())
                        .unwrap_or_else(|| "unknown".into()),
                    "not checked".into(),
                ),
            };
            Some(Vanished {
                id: r.id,
                full_name: r.full_name.clone(),
                former_names: r.former_names.clone(),
                original_url: r.html_url.clone(),
                vanished_at: r
                    .removal_confirmed_at
                    .or(r.legal_block.as_ref().map(|b| b.seen_at))
                    .or(r.suspicion.first_at),
                status: status.into(),
                license,
                verdict,
                republished: publication.map(|p| Republished {
                    url: browsable(&p.target_url),
                    last_seen_commit: p.last_seen_commit.clone(),
                    notice_commit: p.notice_commit.clone(),
                    published_at: p.published_at,
                }),
                decision: None,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.vanished_at
            .cmp(&a.vanished_at)
            .then(a.full_name.cmp(&b.full_name))
    });
    out
}

/// `redirects.json`: every original URL (the recorded one, and `https://github.com/<former name>` for each former
/// name) of a republished repository, by its [`normalise_url`] key.
pub fn redirects(vanished: &[Vanished]) -> BTreeMap<String, Redirect> {
    let mut out = BTreeMap::new();
    for v in vanished {
        let Some(r) = &v.republished else { continue };
        let redirect = Redirect {
            repo: v.full_name.clone(),
            url: r.url.clone(),
            last_seen_commit: r.last_seen_commit.clone(),
        };
        let mut urls = vec![v.original_url.clone()];
        urls.push(format!("https://github.com/{}", v.full_name));
        urls.extend(
            v.former_names
                .iter()
                .map(|n| format!("https://github.com/{n}")),
        );
        for url in urls {
            let key = normalise_url(&url);
            if !key.is_empty() {
                out.entry(key).or_insert_with(|| redirect.clone());
            }
        }
    }
    out
}

/// The proposal backlog in words, for `keepopen status` (pure): how many candidates wait, how many are in open
/// proposals, and when the backlog should clear at the pace of the last runs.
pub fn backlog_line(
    backlog: &crate::state::Backlog,
    last: &crate::state::ProposeRun,
    now: DateTime<Utc>,
) -> String {
    let clears = match (last.waiting, backlog.clears_at()) {
        (0, _) => "nothing waits".to_owned(),
        (_, Some(at)) if at > now => format!(
            "at this pace the backlog clears around {}",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        (_, Some(_)) => {
            "at this pace the backlog should have cleared by now: is `propose` running?".into()
        }
        (_, None) => "no pace yet: the backlog has not moved since the last runs".into(),
    };
    format!(
        "proposals: {} candidate(s) wait to be proposed, {} in open proposals (propose ran {}); {clears}",
        last.waiting,
        last.in_proposals,
        last.at.format("%Y-%m-%d %H:%M UTC")
    )
}

/// Attach each decision record to the vanished repository it names (by id); a record's publication fills in
/// where the state knows none (pure).
pub fn attach_decisions(vanished: &mut [Vanished], decisions: &[DecisionRecord]) {
    for v in vanished.iter_mut() {
        let Some(record) = decisions.iter().find(|d| d.source.id == v.id) else {
            continue;
        };
        let status = match record.status {
            RecordStatus::Proposed => "proposed",
            RecordStatus::Published => "published",
            RecordStatus::Restored => "restored",
        };
        v.decision = Some(Decided {
            status: status.into(),
            pull_request: record.publication.as_ref().map(|p| p.pull_request),
            approved_by: record
                .publication
                .as_ref()
                .map(|p| p.approved_by.clone())
                .unwrap_or_default(),
        });
        if v.republished.is_none()
            && let Some(p) = &record.publication
        {
            v.republished = Some(Republished {
                url: browsable(&p.target_url),
                last_seen_commit: record.mirror.head.clone().unwrap_or_default(),
                notice_commit: p.notice_commit.clone(),
                published_at: p.at,
            });
        }
    }
}

/// Read the records of `store`, and write `index.html` and `redirects.json` into `dir` (created if missing).
/// `judged` gives licence and verdict by repository id where a check was run.
pub fn write_site(
    store: &Store,
    dir: &Path,
    judged: &BTreeMap<u64, Judged>,
    now: DateTime<Utc>,
) -> anyhow::Result<SiteSummary> {
    write_site_with_decisions(store, dir, judged, None, now)
}

/// [`write_site`], with the decision records of `records_dir` (the control checkout's `approval.records`) when
/// given: who approved each publication in which proposal, and which proposals await approval.
pub fn write_site_with_decisions(
    store: &Store,
    dir: &Path,
    judged: &BTreeMap<u64, Judged>,
    records_dir: Option<&Path>,
    now: DateTime<Utc>,
) -> anyhow::Result<SiteSummary> {
    let records = store.list()?;
    let mut vanished = collect(&records, judged);
    if let Some(records_dir) = records_dir {
        let decisions = crate::record::list(records_dir)?
            .iter()
            .map(|path| DecisionRecord::load(path))
            .collect::<anyhow::Result<Vec<_>>>()?;
        attach_decisions(&mut vanished, &decisions);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let index = dir.join("index.html");
    crate::state::write_atomic(
        &index,
        render_index_with_backlog(&vanished, records.len(), Some(&store.backlog()?), now)
            .as_bytes(),
    )?;
    let redirects_path = dir.join("redirects.json");
    let mut json = serde_json::to_string_pretty(&redirects(&vanished))?;
    json.push('\n');
    crate::state::write_atomic(&redirects_path, json.as_bytes())?;
    // GitHub Pages would otherwise run Jekyll over the folder.
    crate::state::write_atomic(&dir.join(".nojekyll"), b"")?;
    Ok(SiteSummary {
        index,
        redirects: redirects_path,
        watched: records.len(),
        republished: vanished.iter().filter(|v| v.republished.is_some()).count(),
        vanished: vanished.len(),
    })
}

/// Check the mirrors of the vanished repositories of `records` (the licence engine on git objects, as
/// `keepopen check` does), for [`write_site`]. A repository without a mirror is left out.
pub async fn judge_vanished(
    records: &[RepoRecord],
    archive: &Path,
    policy: std::sync::Arc<crate::policy::Policy>,
) -> anyhow::Result<BTreeMap<u64, Judged>> {
    let mut paths = Vec::new();
    let mut ids = BTreeMap::new();
    for r in records {
        if status_name(r.status).is_none() {
            continue;
        }
        let Some(mirror) = r.mirror.as_ref().filter(|m| m.fetched_at.is_some()) else {
            continue;
        };
        let path = crate::archive::resolve(archive, &mirror.path)?;
        if path.join("HEAD").exists() {
            ids.insert(path.display().to_string(), r.id);
            paths.push(path);
        }
    }
    // The one evaluation `check`, `propose` and `apply` make: licences judged, the history scanned, the verdict
    // gated once (`check::evaluation::evaluate`). A history that cannot be scanned is an error, never the
    // licence's verdict alone.
    let safety = std::sync::Arc::new(policy.safety.clone());
    let cache = std::sync::Arc::new(crate::check::ScanCache::in_memory());
    let checks =
        crate::check::check_all_with(paths, policy, Some((safety, cache)), 2, |_| {}).await;
    Ok(checks
        .into_iter()
        .filter_map(|c| {
            let id = *ids.get(&c.repo)?;
            let license = if c.verdict.error().is_some() {
                "unknown".to_owned()
            } else if c.expression.is_empty() {
                "none".to_owned()
            } else {
                c.expression.clone()
            };
            Some((
                id,
                Judged {
                    license,
                    verdict: c.verdict.name().to_owned(),
                },
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests;
