//! The approval flow over a [`ControlRepository`]: `propose` and `apply`.
//!
//! [`propose`]: for every confirmed removal in state not yet decided, read the mirror's licences, scan its
//! history, gate the verdict, and — for Allowed and NeedsReview — open (or update) its one proposal with the
//! decision record; Forbidden repositories are listed with their reasons. A proposal closed without merging is a
//! decline: the repository is not proposed again while what it was decided from ([`evidence_changes`]: the
//! tips, the licence files by hash, the policy) is the same; once that changes, a new proposal says what changed
//! and links the declined one. [`apply`]: for every record on the base branch still `proposed`, verify that its
//! pull request was merged and approved by enough maintainers and that the record is the one it approved, check
//! the verdict still holds, republish, and write the publication into the record. A record merged without the
//! approval it needs is held ([`Hold`]): `apply` says why on its pull request once, then reports it as waiting
//! until a maintainer approves or the record changes. A failure in one repository is recorded and the run goes
//! on.
//!
//! Both read the records from the base branch of the control repository itself
//! ([`ControlRepository::base_records`]), never from the checkout: a stale or missing checkout cannot make a
//! merged record look undecided. What they write back (a publication, `restored`) goes into the checkout, to be
//! committed and pushed; so before writing a record the checkout's copy must be the base branch's, or the run is
//! refused with [`StaleCheckout`], naming the records and how to bring the checkout up to date.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use super::BaseRecords;
use crate::approval::ApprovalConfig;
use crate::check::Evaluation;
use crate::policy::Policy;
use crate::publish::TargetConfig;
use crate::record::DecisionRecord;
use crate::safety::SafetyConfig;
use crate::state::Store;

mod apply;
mod decline;
mod hold;
mod propose;

pub use super::Proposed;
pub use apply::{ApplyLine, ApplyOutcome, ApplyRefusal, apply};
pub use decline::{declined_reason, evidence_changes};
pub use hold::Hold;
pub use propose::{ProposeLine, ProposeOutcome, propose, usage_order};

/// Everything the flow reads.
#[derive(Debug, Clone)]
pub struct Flow {
    pub policy: Arc<Policy>,
    pub approval: ApprovalConfig,
    pub target: TargetConfig,
    pub safety: SafetyConfig,
    pub store: Store,
    /// The archive directory of bare mirrors.
    pub archive: PathBuf,
    /// The control checkout: the directory that holds policy.yaml. Records live under `approval.records` in it.
    pub checkout: PathBuf,
    /// How notices name the control repository (`nhs-community/control`, or the local forge's directory).
    pub control_name: String,
}

impl Flow {
    /// The history scan cache in state, shared with `check` and the republication's safety gate: a mirror's
    /// history is read once per set of tips, however many commands ask.
    pub fn scan_cache(&self) -> crate::check::ScanCache {
        crate::check::scan_cache::ScanCache::in_state(self.store.root())
    }

    /// The address of the record at `path` on `branch` of the control repository: a GitHub page, or the
    /// local forge's file.
    pub fn record_link(&self, branch: &str, path: &str) -> Option<String> {
        match self.approval.forge {
            crate::policy::ForgeKind::Github => {
                let web = web_url(&self.approval.api_url);
                Some(format!(
                    "{web}/{}/blob/{branch}/{path}",
                    self.approval.repository.as_deref()?
                ))
            }
            crate::policy::ForgeKind::Local => None,
        }
    }

    /// The directory of decision records.
    pub fn records_dir(&self) -> PathBuf {
        self.checkout.join(&self.approval.records)
    }

    /// The override reason a NeedsReview publication carries once its pull request is approved: the same in the
    /// preview and in the published notice.
    pub fn approval_reason(&self, full_name: &str) -> String {
        format!(
            "approved by the maintainers of {} in the pull request from branch {}",
            self.control_name,
            crate::proposal::branch_name(full_name)
        )
    }
}

/// The web address of the GitHub whose REST API is at `api` (pure): `https://api.github.com` →
/// `https://github.com`, a GitHub Enterprise `https://host/api/v3` → `https://host`; anything else (a test
/// server) as it is.
pub fn web_url(api: &str) -> String {
    let api = api.trim_end_matches('/');
    if let Some(rest) = api.strip_prefix("https://api.") {
        return format!("https://{rest}");
    }
    api.strip_suffix("/api/v3").unwrap_or(api).to_owned()
}

/// How the checkout's copy of a record differs from the base branch's (pure): `None` when they are the same.
pub fn checkout_difference(base: &str, checkout: Option<&str>) -> Option<String> {
    let Some(checkout) = checkout else {
        return Some("on the base branch, not in the checkout".into());
    };
    if checkout == base {
        return None;
    }
    let published = |text: &str| {
        DecisionRecord::parse(text, "")
            .map(|r| r.publication.is_some())
            .unwrap_or(false)
    };
    Some(if published(checkout) && !published(base) {
        "the checkout's copy records a publication the base branch does not have yet: commit and push it".into()
    } else {
        "the checkout's copy differs from the base branch's".into()
    })
}

/// The checkout cannot take what `apply` or `propose` would write: its copies of these records are not the
/// base branch's. Nothing was written or published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the checkout at {checkout} is behind {base}: {} of the record(s) to write there differ ({})\nhelp: {help}",
    records.len(),
    records.iter().map(|(path, what)| format!("{path}: {what}")).collect::<Vec<_>>().join("; ")
)]
pub struct StaleCheckout {
    pub checkout: String,
    /// Where the records were read: `main of nhs-community/control`.
    pub base: String,
    /// Each record path, and how the checkout's copy differs.
    pub records: Vec<(String, String)>,
    pub help: String,
}

/// Whether the checkout holds each of `paths` as `base` does; a [`StaleCheckout`] naming those it does not.
fn check_checkout(flow: &Flow, base: &BaseRecords, paths: &[&str]) -> anyhow::Result<()> {
    let mut records = Vec::new();
    for path in paths {
        let Some(text) = base.records.get(*path) else {
            continue;
        };
        let file = flow.checkout.join(path);
        let copy = match std::fs::read_to_string(&file) {
            Ok(copy) => Some(copy),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        if let Some(what) = checkout_difference(text, copy.as_deref()) {
            records.push(((*path).to_owned(), what));
        }
    }
    if records.is_empty() {
        return Ok(());
    }
    Err(StaleCheckout {
        checkout: flow.checkout.display().to_string(),
        base: base.source.clone(),
        records,
        help: base.update_help.clone(),
    }
    .into())
}

/// Evaluate `mirror` as `full_name` under the flow's policy and safety settings, through the scan cache in
/// state: the one evaluation of a repository that a decision is made from (off the async runtime).
async fn evaluate(flow: &Flow, mirror: &Path, full_name: &str) -> anyhow::Result<Evaluation> {
    let (mirror, name, policy, safety) = (
        mirror.to_path_buf(),
        full_name.to_owned(),
        flow.policy.clone(),
        flow.safety.clone(),
    );
    let cache = flow.scan_cache();
    tokio::task::spawn_blocking(move || {
        let detector = crate::license::detect::Detector::embedded();
        crate::check::evaluation::evaluate(
            &mirror,
            &name,
            &detector,
            &policy,
            &safety,
            Some(&cache),
        )
    })
    .await
    .context("the evaluation task panicked")?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_address_is_derived_from_the_api_address() {
        assert_eq!(web_url("https://api.github.com/"), "https://github.com");
        assert_eq!(web_url("https://ghe.nhs.uk/api/v3"), "https://ghe.nhs.uk");
        assert_eq!(web_url("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }
}
