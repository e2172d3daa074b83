//! One listed repository of a scan: its record brought up to date with the listing, its licence asked for
//! when it is new or was pushed, and its mirror fetched when `pushed_at` moved.

use chrono::{DateTime, Utc};

use super::{Listed, Monitor, RepoReport, config, removal};
use crate::archive::{self, MirrorJob, MirrorOutcome, WikiOutcome};
use crate::github::{LicenseFile, Repository};
use crate::state::{
    ApiLicense, LfsRecord, MirrorRecord, RemovalEntry, RepoRecord, WikiRecord, WikiState,
};

impl Monitor {
    /// Update, license-check and fetch one listed repository; returns its name and what happened.
    pub(super) async fn process_listed(
        &self,
        id: u64,
        entry: Listed,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, RepoReport)> {
        let mut report = RepoReport::default();
        let existing = self.store.load(id)?;
        let mut record = match (&existing, &entry) {
            (Some(r), _) => r.clone(),
            (None, Listed::Fresh(repo)) => {
                report.new = true;
                RepoRecord::new(id, &repo.full_name, now)
            }
            (None, Listed::Unchanged) => anyhow::bail!("listed as unchanged but not in state"),
        };
        let mut needs_license = record.api_license.is_none();
        if let Listed::Fresh(repo) = &entry {
            needs_license |= update_from_listing(&mut record, repo, &mut report);
        }
        note_seen(&mut record, existing.as_ref(), now, &mut report);
        if needs_license {
            self.check_license(&mut record, now, &mut report).await;
        }
        if self.mirror_due(&record) {
            self.fetch_mirror(id, &mut record, now, &mut report).await?;
        }
        if existing.as_ref() != Some(&record) {
            self.store.save(&record)?;
        }
        Ok((record.full_name, report))
    }

    /// Ask the source for the repository's licence file and record what it says (an error is reported, and the
    /// licence is asked for again next scan).
    async fn check_license(
        &self,
        record: &mut RepoRecord,
        now: DateTime<Utc>,
        report: &mut RepoReport,
    ) {
        match self.client.license(&record.full_name).await {
            Ok(file) => record.api_license = Some(api_license(file.as_ref(), now)),
            Err(e) => report
                .errors
                .push(format!("{}: licence: {e}", record.full_name)),
        }
    }

    /// Whether the mirror must be fetched: it is missing, was never fetched, or was fetched at another push.
    fn mirror_due(&self, record: &RepoRecord) -> bool {
        let mirror_exists = record
            .mirror
            .as_ref()
            .and_then(|m| self.archive.path_of(&m.path).ok())
            .is_some_and(|p| p.join("HEAD").exists());
        !mirror_exists
            || record
                .mirror
                .as_ref()
                .is_none_or(|m| m.fetched_at.is_none() || m.fetched_pushed_at != record.pushed_at)
    }

    /// Fetch the mirror (and its wiki, and look for LFS, as configured) and record the outcome.
    async fn fetch_mirror(
        &self,
        id: u64,
        record: &mut RepoRecord,
        now: DateTime<Utc>,
        report: &mut RepoReport,
    ) -> anyhow::Result<()> {
        let relative = match &record.mirror {
            Some(m) => m.path.clone(),
            None => archive::mirror_name(id, record.name()),
        };
        let job = MirrorJob {
            relative,
            url: record.clone_url.clone(),
            default_branch: record.default_branch.clone(),
            wiki: self.config.archive.wikis && record.has_wiki,
            detect_lfs: self.config.archive.lfs == config::LfsMode::Record,
            token: self.token.clone(),
            now,
        };
        let outcome = self.archive.mirror(job).await?;
        record_fetch(record, outcome, now, report);
        Ok(())
    }
}

/// Bring `record` up to date with what the listing says of the repository (a rename keeps the old name);
/// returns whether it was pushed since the record was made.
fn update_from_listing(
    record: &mut RepoRecord,
    repo: &Repository,
    report: &mut RepoReport,
) -> bool {
    if record.full_name != repo.full_name {
        let old = std::mem::replace(&mut record.full_name, repo.full_name.clone());
        if !old.eq_ignore_ascii_case(&repo.full_name) {
            report.renamed = true;
            if !record.former_names.contains(&old) {
                record.former_names.push(old);
            }
        }
    }
    let pushed = record.pushed_at != repo.pushed_at;
    record.html_url = repo.html_url.clone();
    record.clone_url = repo.clone_url.clone();
    record.default_branch = repo.default_branch.clone();
    record.pushed_at = repo.pushed_at;
    record.archived = repo.archived;
    record.fork = repo.fork;
    record.has_wiki = repo.has_wiki;
    record.stars = repo.stargazers_count;
    record.forks = repo.forks_count;
    pushed
}

/// The repository was seen in a listing: a removal it was under ends (an event), and `last_seen` moves at most
/// once a day, so an unchanged record is not written again every scan.
fn note_seen(
    record: &mut RepoRecord,
    existing: Option<&RepoRecord>,
    now: DateTime<Utc>,
    report: &mut RepoReport,
) {
    if let Some(event) = removal::seen_in_listing(record, now) {
        report.event = Some(RemovalEntry::from_record(
            record,
            event,
            now,
            "listed again".into(),
        ));
    }
    let refresh_last_seen =
        existing.is_none_or(|r| (now - r.last_seen) >= chrono::Duration::hours(24));
    if !refresh_last_seen && let Some(r) = existing {
        record.last_seen = r.last_seen;
    }
}

/// What the source said of the licence, as recorded.
fn api_license(file: Option<&LicenseFile>, now: DateTime<Utc>) -> ApiLicense {
    let license = file.and_then(|f| f.license.as_ref());
    ApiLicense {
        spdx_id: license.and_then(|l| l.spdx_id.clone()),
        name: license.map(|l| l.name.clone()),
        key: license.map(|l| l.key.clone()),
        path: file.map(|f| f.path.clone()),
        sha: file.and_then(|f| f.sha.clone()),
        checked_at: now,
    }
}

/// Record what fetching the mirror gave: the tips and preserved refs, or the error; the wiki; LFS.
fn record_fetch(
    record: &mut RepoRecord,
    outcome: MirrorOutcome,
    now: DateTime<Utc>,
    report: &mut RepoReport,
) {
    let mirror = record.mirror.get_or_insert_with(MirrorRecord::default);
    mirror.path = outcome.path;
    match outcome.fetch {
        Ok(fetch) => {
            report.fetched = true;
            mirror.fetched_at = Some(now);
            mirror.fetched_pushed_at = record.pushed_at;
            mirror.tips = fetch.tips;
            mirror.preserved.extend(fetch.preserved);
            mirror.last_error = None;
        }
        Err(e) => {
            mirror.last_error = Some(e.to_string());
            report
                .errors
                .push(format!("{}: fetch: {e}", record.full_name));
        }
    }
    if let Some(wiki) = outcome.wiki {
        record.wiki = Some(wiki_record(wiki, now));
    }
    if let Some(lfs) = outcome.lfs {
        record.lfs = Some(LfsRecord {
            detected: lfs,
            note: lfs.then(|| archive::LFS_GAP.to_owned()),
        });
    }
}

/// What mirroring the wiki gave, as recorded.
fn wiki_record(wiki: WikiOutcome, now: DateTime<Utc>) -> WikiRecord {
    let (state, path, error) = match wiki {
        WikiOutcome::Mirrored { path } => (WikiState::Mirrored, Some(path), None),
        WikiOutcome::Absent => (WikiState::Absent, None, None),
        WikiOutcome::Failed { error } => (WikiState::Failed, None, Some(error)),
    };
    WikiRecord {
        state,
        path,
        error,
        checked_at: now,
    }
}
