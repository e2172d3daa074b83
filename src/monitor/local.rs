//! A local forge: a directory of bare repositories that the monitor watches exactly as it watches GitHub.
//!
//! `<root>/<owner>/<name>.git` is repository `owner/name`; each owner folder is an organisation. Every repository
//! carries a stable id in its git config (`keepopen.id`, given on first sight as one more than the largest id of
//! the forge), so a rename (moving the folder) keeps the id, as on GitHub. `keepopen.private = true` and
//! `keepopen.archived = true` in the same config stand for a repository made private or archived.
//!
//! The forge answers in GitHub's shapes ([`Page`], [`Probe`], [`LicenseFile`]): a missing repository is a 404
//! probe, so removal classification, confirmation counts and `removal.min-gap` run through the same code as for
//! GitHub. The clone URL is the repository's path, which git2 fetches like any remote. All git2 calls here are
//! blocking and run under `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::github::model::Account;
use crate::github::{self, Counters, LicenseFile, Page, Probe, Repository};

/// The git config key holding a repository's id.
pub const ID_KEY: &str = "keepopen.id";
/// The git config key that marks a repository private (gone from public view).
pub const PRIVATE_KEY: &str = "keepopen.private";
/// The git config key that marks a repository archived.
pub const ARCHIVED_KEY: &str = "keepopen.archived";

/// File names a forge takes for the licence, in order of preference (as GitHub's licence API does).
const LICENSE_FILES: [&str; 8] = [
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "LICENCE.md",
    "LICENCE.txt",
    "COPYING",
    "COPYING.md",
];

/// A directory of bare repositories, answering the monitor's questions. Cheap to clone; clones share counters.
#[derive(Debug, Clone)]
pub struct LocalForge {
    root: PathBuf,
    counters: Arc<Mutex<Counters>>,
}

/// Which account a listing path names: `/orgs/{login}/repos…` or `/users/{login}/repos…`.
pub fn listing_login(path: &str) -> Option<String> {
    let path = path.split('?').next()?;
    let mut segments = path.trim_start_matches('/').split('/');
    let kind = segments.next()?;
    let login = segments.next()?;
    let rest = segments.next()?;
    let known = matches!(kind, "orgs" | "users") && rest == "repos" && segments.next().is_none();
    (known && !login.is_empty()).then(|| decode(login))
}

/// Percent-decoding of one path segment (logins are ASCII; anything else is kept as written).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The latest commit time among `tips`, as GitHub's `pushed_at` approximates "last push".
pub fn pushed_at(tips: &[i64]) -> Option<DateTime<Utc>> {
    tips.iter()
        .max()
        .and_then(|t| DateTime::from_timestamp(*t, 0))
}

/// The id to give a repository seen without one: one more than the largest id in use (ids start at 1).
pub fn next_id(in_use: &[u64]) -> u64 {
    in_use.iter().max().map_or(1, |m| m + 1)
}

impl LocalForge {
    pub fn new(root: impl Into<PathBuf>) -> LocalForge {
        LocalForge {
            root: root.into(),
            counters: Arc::new(Mutex::new(Counters::default())),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Questions asked so far (one per listing page, probe or licence lookup).
    pub fn counters(&self) -> Counters {
        self.counters.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn count(&self) {
        if let Ok(mut c) = self.counters.lock() {
            c.requests += 1;
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Path) -> T + Send + 'static,
    ) -> Result<T, String> {
        self.count();
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || f(&root))
            .await
            .map_err(|e| format!("a local forge task failed: {e}"))
    }

    /// The one listing page of an account: every repository in `<root>/<login>/`. An account folder that does not
    /// exist answers 404, as GitHub does for an unknown organisation. No ETags: the page is always fresh.
    pub async fn list_page(&self, path: &str, _etag: Option<&str>) -> Result<Page, github::Error> {
        let login = listing_login(path).ok_or_else(|| github::Error::Status {
            path: path.to_owned(),
            status: 404,
            message: Some("not a listing path of the local forge".into()),
        })?;
        let owned = path.to_owned();
        let listed = self
            .blocking(move |root| list_account(root, &login))
            .await
            .map_err(|message| github::Error::Unreachable {
                path: owned.clone(),
                attempts: 1,
                message,
            })?;
        match listed {
            Ok(Some(repos)) => Ok(Page::Fresh {
                etag: None,
                repos,
                next: None,
            }),
            Ok(None) => Err(github::Error::Status {
                path: path.to_owned(),
                status: 404,
                message: Some("Not Found".into()),
            }),
            Err(e) => Err(github::Error::Unreachable {
                path: path.to_owned(),
                attempts: 1,
                message: format!("{e:#}"),
            }),
        }
    }

    /// Like `GET /repos/{owner}/{name}`: found, or 404.
    pub async fn probe_repo(&self, full_name: &str) -> Probe {
        let full_name = full_name.to_owned();
        let found = self
            .blocking(move |root| {
                let (owner, name) = full_name.split_once('/').context("not owner/name")?;
                match find_repository(root, owner, name)? {
                    Some(path) => describe(&path).map(Some),
                    None => Ok(None),
                }
            })
            .await;
        to_probe(found)
    }

    /// Like `GET /repositories/{id}`: the repository holding `keepopen.id = id` wherever it now lives, or 404.
    pub async fn probe_repository(&self, id: u64) -> Probe {
        let found = self
            .blocking(move |root| -> anyhow::Result<Option<Repository>> {
                for path in all_repositories(root)? {
                    if read_id(&path)? == Some(id) {
                        return describe(&path).map(Some);
                    }
                }
                Ok(None)
            })
            .await;
        to_probe(found)
    }

    /// Like `GET /repos/{owner}/{name}/license`: the licence file at the top of the default branch (not
    /// identified: keepopen reads licences from git objects itself), or `None`.
    pub async fn license(&self, full_name: &str) -> Result<Option<LicenseFile>, github::Error> {
        let name = full_name.to_owned();
        let path = format!("{}/license", github::repo_path(full_name));
        let found = self
            .blocking(move |root| -> anyhow::Result<Option<LicenseFile>> {
                let (owner, repo) = name.split_once('/').context("not owner/name")?;
                let Some(dir) = find_repository(root, owner, repo)? else {
                    return Ok(None);
                };
                license_file(&dir)
            })
            .await;
        match found {
            Ok(Ok(file)) => Ok(file),
            Ok(Err(e)) => Err(github::Error::Status {
                path,
                status: 500,
                message: Some(format!("{e:#}")),
            }),
            Err(message) => Err(github::Error::Unreachable {
                path,
                attempts: 1,
                message,
            }),
        }
    }
}

fn to_probe(found: Result<anyhow::Result<Option<Repository>>, String>) -> Probe {
    match found {
        Ok(Ok(Some(repo))) => Probe::Found(Box::new(repo)),
        Ok(Ok(None)) => Probe::NotFound,
        Ok(Err(e)) => Probe::Failed {
            reason: format!("{e:#}"),
        },
        Err(reason) => Probe::Failed { reason },
    }
}

/// Give `repository` the id `id` (a forge's own bookkeeping; tests and the demo use it to set ids up front).
pub fn set_id(repository: &Path, id: u64) -> anyhow::Result<()> {
    set_config(repository, ID_KEY, &id.to_string())
}

/// Set one `keepopen.*` key in a repository's config, e.g. [`PRIVATE_KEY`] to `true`.
pub fn set_config(repository: &Path, key: &str, value: &str) -> anyhow::Result<()> {
    let repo = git2::Repository::open_bare(repository)
        .with_context(|| format!("cannot open {}", repository.display()))?;
    let mut config = repo
        .config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .with_context(|| format!("cannot open the config of {}", repository.display()))?;
    config
        .set_str(key, value)
        .with_context(|| format!("cannot set {key} in {}", repository.display()))
}

fn read_id(repository: &Path) -> anyhow::Result<Option<u64>> {
    let repo = git2::Repository::open_bare(repository)
        .with_context(|| format!("cannot open {}", repository.display()))?;
    let config = repo.config()?;
    match config.get_string(ID_KEY) {
        Ok(text) => text.trim().parse().map(Some).with_context(|| {
            format!(
                "{}: {ID_KEY} = {text:?} is not a number",
                repository.display()
            )
        }),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => {
            Err(e).with_context(|| format!("cannot read {ID_KEY} of {}", repository.display()))
        }
    }
}

fn read_flag(repo: &git2::Repository, key: &str) -> bool {
    repo.config().and_then(|c| c.get_bool(key)).unwrap_or(false)
}

/// Every `<root>/<owner>/<name>.git`, sorted.
fn all_repositories(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for owner in sorted_dirs(root)? {
        out.extend(repositories_of(&owner)?);
    }
    Ok(out)
}

fn sorted_dirs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    Ok(out)
}

fn repositories_of(owner: &Path) -> anyhow::Result<Vec<PathBuf>> {
    Ok(sorted_dirs(owner)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "git") && p.join("HEAD").exists())
        .collect())
}

/// The folder of one account, matched without regard to case (GitHub logins are case-insensitive).
fn find_owner(root: &Path, login: &str) -> anyhow::Result<Option<PathBuf>> {
    if !root.is_dir() {
        anyhow::bail!("the local forge {} does not exist", root.display());
    }
    Ok(sorted_dirs(root)?.into_iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(login))
    }))
}

fn find_repository(root: &Path, owner: &str, name: &str) -> anyhow::Result<Option<PathBuf>> {
    let Some(owner) = find_owner(root, owner)? else {
        return Ok(None);
    };
    let wanted = format!("{name}.git");
    Ok(repositories_of(&owner)?.into_iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(&wanted))
    }))
}

/// The repositories of one account, giving ids to those seen for the first time; `None` if there is no such
/// account.
fn list_account(root: &Path, login: &str) -> anyhow::Result<Option<Vec<Repository>>> {
    let Some(owner) = find_owner(root, login)? else {
        return Ok(None);
    };
    let paths = repositories_of(&owner)?;
    let mut missing = Vec::new();
    for path in &paths {
        if read_id(path)?.is_none() {
            missing.push(path.clone());
        }
    }
    if !missing.is_empty() {
        let mut in_use = Vec::new();
        for path in all_repositories(root)? {
            in_use.extend(read_id(&path)?);
        }
        for path in missing {
            let id = next_id(&in_use);
            set_id(&path, id)?;
            in_use.push(id);
        }
    }
    // Like GitHub's `type=public` listing: a private repository is not listed.
    let repos = paths
        .iter()
        .map(|p| describe(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(repos.into_iter().filter(|r| !r.private).collect()))
}

/// One bare repository in GitHub's repository shape.
fn describe(path: &Path) -> anyhow::Result<Repository> {
    let repo = git2::Repository::open_bare(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let id = read_id(path)?.with_context(|| {
        format!(
            "{} has no {ID_KEY} yet (it is given when its account is listed)",
            path.display()
        )
    })?;
    let owner = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("{} is not under an account folder", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".git").to_owned())
        .unwrap_or_default();
    let default_branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_owned))
        .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_owned));
    let mut tips = Vec::new();
    for reference in repo.references()?.flatten() {
        let name = reference.name().unwrap_or_default();
        if (name.starts_with("refs/heads/") || name.starts_with("refs/tags/"))
            && let Ok(commit) = reference.peel_to_commit()
        {
            tips.push(commit.time().seconds());
        }
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    Ok(Repository {
        id,
        full_name: format!("{owner}/{name}"),
        name,
        owner: Account {
            login: owner,
            id: None,
        },
        private: read_flag(&repo, PRIVATE_KEY),
        html_url: format!("file://{}", absolute.display()),
        clone_url: absolute.display().to_string(),
        default_branch,
        pushed_at: pushed_at(&tips),
        archived: read_flag(&repo, ARCHIVED_KEY),
        disabled: false,
        fork: false,
        has_wiki: false,
        stargazers_count: 0,
        forks_count: 0,
        license: None,
    })
}

/// The first of [`LICENSE_FILES`] at the top of HEAD's tree.
fn license_file(path: &Path) -> anyhow::Result<Option<LicenseFile>> {
    let repo = git2::Repository::open_bare(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let Ok(head) = repo.head() else {
        return Ok(None);
    };
    let tree = head
        .peel_to_tree()
        .with_context(|| format!("{}: HEAD has no tree", path.display()))?;
    for wanted in LICENSE_FILES {
        let entry = tree
            .iter()
            .find(|e| e.name().is_ok_and(|n| n.eq_ignore_ascii_case(wanted)));
        if let Some(entry) = entry {
            let name = entry.name().unwrap_or(wanted).to_owned();
            return Ok(Some(LicenseFile {
                path: name.clone(),
                name,
                sha: Some(entry.id().to_string()),
                license: None,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_paths_name_the_account() {
        let cases = [
            (
                "/orgs/nhs-demo/repos?type=public&per_page=100",
                Some("nhs-demo"),
            ),
            ("/users/someone/repos?per_page=100", Some("someone")),
            ("/orgs/a%2Db/repos", Some("a-b")),
            ("/orgs/nhs-demo", None),
            ("/repos/nhs-demo/x", None),
            ("/orgs//repos", None),
            ("/orgs/a/repos/extra", None),
        ];
        for (path, expected) in cases {
            assert_eq!(listing_login(path).as_deref(), expected, "{path}");
        }
    }

    #[test]
    fn pushed_at_is_the_latest_tip_and_ids_count_up() {
        assert_eq!(pushed_at(&[]), None);
        assert_eq!(
            pushed_at(&[10, 1_700_000_000, 5]).map(|t| t.timestamp()),
            Some(1_700_000_000)
        );
        assert_eq!(next_id(&[]), 1);
        assert_eq!(next_id(&[3, 9, 4]), 10);
    }
}
