//! Restored originals: when a removed repository comes back, each copy keepopen published points back at it.
//!
//! The monitor marks the record `restored`; no proposal is opened for it. [`steps`] is the pure decision — the
//! description the copy should carry ([`restored_description`]) and, on GitHub, whether to archive it
//! (`target.archive-when-restored`) — given what the copy carries now. [`point_to_original`] reads the copy,
//! applies the steps (GitHub: `PATCH /repos/{org}/{name}`; local forge: the bare repository's `description`
//! file) and says what it did. A copy already pointing back costs one read and no write, so every scan may call
//! it.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::config::{self, TargetConfig};
use super::{TokenSource, github_client};
use crate::policy::ForgeKind;
use crate::state::{PublicationRecord, RepoRecord, Status};

/// One write to a published copy, in the order they must happen (an archived GitHub repository is read-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "step", content = "value")]
pub enum Step {
    Unarchive,
    Describe(String),
    Archive,
}

/// What a copy carries now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyState {
    pub description: Option<String>,
    pub archived: bool,
}

/// The copy's description once the original is back (pure): `target.restored-description` filled with
/// `{owner}`, `{repo}`, `{full_name}`, `{id}`, `{url}`, cut to GitHub's 350 characters.
pub fn restored_description(target: &TargetConfig, record: &RepoRecord) -> String {
    let id = record.id.to_string();
    let filled = config::fill(
        &target.restored_description,
        &[
            ("owner", record.owner()),
            ("repo", record.name()),
            ("id", id.as_str()),
            ("full_name", record.full_name.as_str()),
            ("url", record.html_url.as_str()),
        ],
    );
    let single: String = filled
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    single.trim().chars().take(350).collect()
}

/// The writes that make one copy point back at its restored original (pure). Nothing for a record that is not
/// `restored`; nothing when the copy already says so (and is archived when it should be). The local forge has
/// no archived state, so `archive` is only asked of GitHub copies.
pub fn steps(
    record: &RepoRecord,
    target: &TargetConfig,
    forge: ForgeKind,
    copy: &CopyState,
) -> Vec<Step> {
    if record.status != Status::Restored {
        return Vec::new();
    }
    let wanted = restored_description(target, record);
    let archive = forge == ForgeKind::Github && target.archive_when_restored;
    let describe = copy.description.as_deref().map(str::trim) != Some(wanted.as_str());
    let mut steps = Vec::new();
    if describe {
        if copy.archived {
            steps.push(Step::Unarchive);
        }
        steps.push(Step::Describe(wanted));
    }
    if archive && (describe || !copy.archived) {
        steps.push(Step::Archive);
    }
    steps
}

/// What happened to one copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RestoreUpdate {
    /// The copy: a directory, or `organisation/name` on GitHub.
    pub target: String,
    /// The writes made (empty: it already pointed back).
    pub steps: Vec<Step>,
    /// Why it could not be updated; the next scan tries again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Make every publication of a restored record point back at the original. A copy that cannot be read or
/// written is reported in its [`RestoreUpdate::error`]; the others go on. `tokens` is needed for GitHub copies.
pub async fn point_to_original(
    record: &RepoRecord,
    target: &TargetConfig,
    tokens: Option<Arc<dyn TokenSource>>,
) -> Vec<RestoreUpdate> {
    let mut updates = Vec::new();
    if record.status != Status::Restored {
        return updates;
    }
    for publication in &record.publications {
        let update = match ForgeKind::named(&publication.forge) {
            Some(ForgeKind::Local) => update_local(record, target, publication),
            Some(ForgeKind::Github) => {
                update_github(record, target, publication, tokens.clone()).await
            }
            None => RestoreUpdate {
                target: publication.target_url.clone(),
                steps: Vec::new(),
                error: Some(format!("unknown forge {:?}", publication.forge)),
            },
        };
        if let Some(error) = &update.error {
            tracing::warn!(repo = %record.full_name, target = %update.target, "cannot point the copy back at the restored original: {error}");
        } else if !update.steps.is_empty() {
            tracing::info!(repo = %record.full_name, target = %update.target, "the copy now points back at the restored original");
        }
        updates.push(update);
    }
    updates
}

/// [`point_to_original`] for every restored record in `store` that has a publication: what the monitor calls
/// after each scan (a copy already pointing back costs a read, no write).
pub async fn update_restored(
    store: &crate::state::Store,
    target: &TargetConfig,
    tokens: Option<Arc<dyn TokenSource>>,
) -> anyhow::Result<Vec<RestoreUpdate>> {
    let mut updates = Vec::new();
    for record in store.list()? {
        if record.status == Status::Restored && !record.publications.is_empty() {
            updates.extend(point_to_original(&record, target, tokens.clone()).await);
        }
    }
    Ok(updates)
}

fn update_local(
    record: &RepoRecord,
    target: &TargetConfig,
    publication: &PublicationRecord,
) -> RestoreUpdate {
    let dir = Path::new(&publication.target_url);
    let file = dir.join("description");
    let attempt = || -> anyhow::Result<Vec<Step>> {
        use anyhow::Context;
        git2::Repository::open_bare(dir)
            .with_context(|| format!("{} is not a bare repository", dir.display()))?;
        let current = match std::fs::read_to_string(&file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        let copy = CopyState {
            description: current,
            archived: false,
        };
        let steps = steps(record, target, ForgeKind::Local, &copy);
        for step in &steps {
            if let Step::Describe(text) = step {
                crate::state::write_atomic(&file, format!("{text}\n").as_bytes())
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
        }
        Ok(steps)
    };
    match attempt() {
        Ok(steps) => RestoreUpdate {
            target: dir.display().to_string(),
            steps,
            error: None,
        },
        Err(e) => RestoreUpdate {
            target: dir.display().to_string(),
            steps: Vec::new(),
            error: Some(format!("{e:#}")),
        },
    }
}

async fn update_github(
    record: &RepoRecord,
    target: &TargetConfig,
    publication: &PublicationRecord,
    tokens: Option<Arc<dyn TokenSource>>,
) -> RestoreUpdate {
    let full = format!(
        "{}/{}",
        target.organisation.as_deref().unwrap_or_default(),
        publication.name
    );
    let attempt = async {
        use anyhow::Context;
        let tokens = tokens.context("the github forge needs a token")?;
        let client = github_client(target, tokens.as_ref())?;
        let existing = client
            .target_repository(&full)
            .await?
            .with_context(|| format!("{full} no longer exists"))?;
        let copy = CopyState {
            description: existing.description.clone(),
            archived: existing.archived,
        };
        let steps = steps(record, target, ForgeKind::Github, &copy);
        for step in &steps {
            let fields = match step {
                Step::Unarchive => serde_json::json!({"archived": false}),
                Step::Describe(text) => serde_json::json!({"description": text}),
                Step::Archive => serde_json::json!({"archived": true}),
            };
            client
                .update_repository(&full, &fields)
                .await
                .with_context(|| format!("cannot update {full}"))?;
        }
        anyhow::Ok(steps)
    };
    match attempt.await {
        Ok(steps) => RestoreUpdate {
            target: full,
            steps,
            error: None,
        },
        Err(e) => RestoreUpdate {
            target: full,
            steps: Vec::new(),
            error: Some(format!("{e:#}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(status: Status) -> RepoRecord {
        let seen = chrono::Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let mut record = RepoRecord::new(7, "nhsuk/frontend", seen);
        record.html_url = "https://github.com/nhsuk/frontend".into();
        record.status = status;
        record
    }

    fn target(archive: bool) -> TargetConfig {
        TargetConfig {
            archive_when_restored: archive,
            ..TargetConfig::default()
        }
    }

    #[test]
    fn the_default_description_names_the_original_and_its_url() {
        let text = restored_description(&target(false), &record(Status::Restored));
        assert!(text.contains("nhsuk/frontend"), "{text}");
        assert!(text.contains("https://github.com/nhsuk/frontend"), "{text}");
    }

    #[test]
    fn a_long_or_multiline_template_is_cut_to_one_line_of_350_characters() {
        let t = TargetConfig {
            restored_description: format!("{{full_name}}\nis back {}", "x".repeat(500)),
            ..TargetConfig::default()
        };
        let text = restored_description(&t, &record(Status::Restored));
        assert_eq!(text.chars().count(), 350);
        assert!(!text.contains('\n'));
    }

    /// name, record status, `archive-when-restored`, forge, the copy now, the steps expected.
    type Case<'a> = (&'a str, Status, bool, ForgeKind, &'a CopyState, Vec<Step>);

    #[test]
    fn steps_table() {
        let wanted = restored_description(&target(false), &record(Status::Restored));
        let old = CopyState {
            description: Some("Copy of nhsuk/frontend, removed from GitHub".into()),
            archived: false,
        };
        let old_archived = CopyState {
            archived: true,
            ..old.clone()
        };
        let done = CopyState {
            description: Some(format!("{wanted}\n")),
            archived: false,
        };
        let done_archived = CopyState {
            archived: true,
            ..done.clone()
        };
        let empty = CopyState::default();
        let describe = Step::Describe(wanted.clone());
        let cases: Vec<Case<'_>> = vec![
            (
                "not restored",
                Status::Removed,
                true,
                ForgeKind::Github,
                &old,
                vec![],
            ),
            (
                "present",
                Status::Present,
                false,
                ForgeKind::Local,
                &old,
                vec![],
            ),
            (
                "local, old text",
                Status::Restored,
                false,
                ForgeKind::Local,
                &old,
                vec![describe.clone()],
            ),
            (
                "local ignores archive",
                Status::Restored,
                true,
                ForgeKind::Local,
                &old,
                vec![describe.clone()],
            ),
            (
                "local, done",
                Status::Restored,
                false,
                ForgeKind::Local,
                &done,
                vec![],
            ),
            (
                "github, old text",
                Status::Restored,
                false,
                ForgeKind::Github,
                &old,
                vec![describe.clone()],
            ),
            (
                "github, old text, archive",
                Status::Restored,
                true,
                ForgeKind::Github,
                &old,
                vec![describe.clone(), Step::Archive],
            ),
            (
                "github, archived copy with old text",
                Status::Restored,
                false,
                ForgeKind::Github,
                &old_archived,
                vec![Step::Unarchive, describe.clone()],
            ),
            (
                "github, archived copy, archive wanted",
                Status::Restored,
                true,
                ForgeKind::Github,
                &old_archived,
                vec![Step::Unarchive, describe.clone(), Step::Archive],
            ),
            (
                "github, described, archive wanted",
                Status::Restored,
                true,
                ForgeKind::Github,
                &done,
                vec![Step::Archive],
            ),
            (
                "github, all done",
                Status::Restored,
                true,
                ForgeKind::Github,
                &done_archived,
                vec![],
            ),
            (
                "github, done, no archive",
                Status::Restored,
                false,
                ForgeKind::Github,
                &done_archived,
                vec![],
            ),
            (
                "no description",
                Status::Restored,
                false,
                ForgeKind::Github,
                &empty,
                vec![describe.clone()],
            ),
        ];
        for (name, status, archive, forge, copy, expected) in cases {
            assert_eq!(
                steps(&record(status), &target(archive), forge, copy),
                expected,
                "{name}"
            );
        }
    }
}
