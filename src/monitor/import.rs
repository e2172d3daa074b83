//! `keepopen archive import <dir>`: adopt mirrors made elsewhere (`git clone --mirror`, ghorg) into the archive.
//!
//! Each repository found is matched to an inventory record — by its `origin` URL (`owner/name`, current or former),
//! else by its directory name when exactly one record has that name — and fetched (`refs/heads/*`, `refs/tags/*`)
//! from the local path into the record's mirror with the same never-lose-a-tip rules as a GitHub fetch. The
//! record's `fetched-pushed-at` is left alone, so the next `monitor` run still catches up from GitHub.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::archive::{self, Archive, MirrorJob};
use crate::state::{MirrorRecord, RepoRecord, Store};

/// `owner/name` from a GitHub remote URL (https, ssh, `git@host:`), without `.git`.
pub fn full_name_from_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = if let Some(i) = url.find("://") {
        let after = &url[i + 3..];
        after.split_once('/').map(|(_, p)| p)?
    } else if let Some((_, path)) = url.split_once(':') {
        path
    } else {
        return None;
    };
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let mut parts = rest.rsplitn(3, '/');
    let name = parts.next()?;
    let owner = parts.next()?;
    (!name.is_empty() && !owner.is_empty()).then(|| format!("{owner}/{name}"))
}

/// Match one found repository to a record id (pure). `Err` says why it could not be matched.
pub fn match_repository(
    origin: Option<&str>,
    dir_name: &str,
    records: &[RepoRecord],
) -> Result<u64, String> {
    if let Some(full_name) = origin.and_then(full_name_from_url) {
        let by_current = records
            .iter()
            .find(|r| r.full_name.eq_ignore_ascii_case(&full_name));
        let by_former = || {
            records.iter().find(|r| {
                r.former_names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&full_name))
            })
        };
        if let Some(r) = by_current.or_else(by_former) {
            return Ok(r.id);
        }
    }
    let name = dir_name.strip_suffix(".git").unwrap_or(dir_name);
    let candidates: Vec<&RepoRecord> = records
        .iter()
        .filter(|r| r.name().eq_ignore_ascii_case(name))
        .collect();
    match candidates.as_slice() {
        [one] => Ok(one.id),
        [] => Err(format!(
            "no inventory record matches {}",
            origin
                .map(|o| format!("origin {o} or name {name:?}"))
                .unwrap_or_else(|| format!("name {name:?}"))
        )),
        many => Err(format!(
            "name {name:?} matches {} records ({}); give it an origin URL",
            many.len(),
            many.iter()
                .map(|r| r.full_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ImportReport {
    /// (source directory, record id, full name, mirror path)
    pub adopted: Vec<(PathBuf, u64, String, String)>,
    /// (source directory, why)
    pub skipped: Vec<(PathBuf, String)>,
}

/// Adopt every repository under `dir` that matches a record.
pub async fn import_mirrors(
    dir: &Path,
    store: &Store,
    archive: &Archive,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let records = store.list()?;
    let dir_owned = dir.to_owned();
    let found = tokio::task::spawn_blocking(move || {
        archive::find_repositories(&dir_owned).map(|repos| {
            repos
                .into_iter()
                .map(|p| {
                    let origin = archive::origin_url(&p);
                    (p, origin)
                })
                .collect::<Vec<_>>()
        })
    })
    .await??;
    let mut report = ImportReport::default();
    for (path, origin) in found {
        let dir_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let id = match match_repository(origin.as_deref(), &dir_name, &records) {
            Ok(id) => id,
            Err(why) => {
                report.skipped.push((path, why));
                continue;
            }
        };
        let Some(mut record) = store.load(id)? else {
            continue;
        };
        let relative = record
            .mirror
            .as_ref()
            .map(|m| m.path.clone())
            .unwrap_or_else(|| archive::mirror_name(id, record.name()));
        let source = std::fs::canonicalize(&path).unwrap_or(path.clone());
        let job = MirrorJob {
            relative,
            url: source.display().to_string(),
            default_branch: record.default_branch.clone(),
            wiki: false,
            detect_lfs: true,
            token: None,
            now,
        };
        let outcome = archive.mirror(job).await?;
        match outcome.fetch {
            Ok(fetch) => {
                let mirror = record.mirror.get_or_insert_with(MirrorRecord::default);
                mirror.path = outcome.path.clone();
                mirror.tips = fetch.tips;
                mirror.preserved.extend(fetch.preserved);
                mirror.fetched_at.get_or_insert(now);
                if let Some(lfs) = outcome.lfs {
                    record.lfs = Some(crate::state::LfsRecord {
                        detected: lfs,
                        note: lfs.then(|| archive::LFS_GAP.to_owned()),
                    });
                }
                store.save(&record)?;
                report
                    .adopted
                    .push((path, id, record.full_name.clone(), outcome.path));
            }
            Err(e) => report.skipped.push((path, format!("fetch failed: {e}"))),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_from_urls() {
        let cases = [
            (
                "https://github.com/nhsuk/frontend.git",
                Some("nhsuk/frontend"),
            ),
            ("https://github.com/nhsuk/frontend", Some("nhsuk/frontend")),
            ("git@github.com:NHSDigital/api.git", Some("NHSDigital/api")),
            ("ssh://git@github.com/nhsx/tool.git/", Some("nhsx/tool")),
            ("https://x-access-token@github.com/o/r.git", Some("o/r")),
            ("/srv/mirrors/foo.git", None),
            ("nonsense", None),
        ];
        for (url, expected) in cases {
            assert_eq!(full_name_from_url(url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn matching_prefers_origin_then_unique_name() {
        let now = Utc::now();
        let mut renamed = RepoRecord::new(1, "nhsuk/new-name", now);
        renamed.former_names.push("nhsuk/old-name".into());
        let records = vec![
            renamed,
            RepoRecord::new(2, "nhsx/tool", now),
            RepoRecord::new(3, "nhsuk/tool", now),
            RepoRecord::new(4, "o/only", now),
        ];
        let cases: [(Option<&str>, &str, Result<u64, &str>); 6] = [
            (
                Some("https://github.com/nhsx/tool.git"),
                "whatever.git",
                Ok(2),
            ),
            (
                Some("https://github.com/nhsuk/old-name.git"),
                "old-name.git",
                Ok(1),
            ),
            (None, "only.git", Ok(4)),
            (None, "tool.git", Err("matches 2 records")),
            (
                Some("https://github.com/else/where.git"),
                "nothing.git",
                Err("no inventory record"),
            ),
            (Some("https://github.com/else/only.git"), "only", Ok(4)),
        ];
        for (origin, dir, expected) in cases {
            let got = match_repository(origin, dir, &records);
            match expected {
                Ok(id) => assert_eq!(got, Ok(id), "{origin:?} {dir}"),
                Err(needle) => assert!(
                    got.as_ref().is_err_and(|e| e.contains(needle)),
                    "{origin:?} {dir}: {got:?}"
                ),
            }
        }
    }
}
