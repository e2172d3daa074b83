//! The archive: one bare git mirror per repository, `archive/<id>-<sanitised-name>.git`, and its wiki beside it.
//!
//! An archive never loses data. A fetch lands in a staging namespace (`refs/keepopen/staging/…`); keepopen then
//! moves the real refs itself, and before a forced update or a deletion moves a ref away from a commit it keeps
//! the old tip under `refs/keepopen/overwritten/<timestamp>/<heads|tags>/<name>`. Nothing here deletes a mirror.
//! Only `refs/heads/*` and `refs/tags/*` are fetched (no pull refs). The token reaches git only through a
//! credential callback (user `x-access-token`), never a URL or `.git/config`; mirrors have no configured remote.
//!
//! All git2 calls of the monitor sit in this module, run under `spawn_blocking` behind a semaphore (`--jobs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use git2::{AutotagOption, FetchOptions, Oid, RemoteCallbacks, Repository};
use tokio::sync::Semaphore;

use crate::github::Token;

const STAGING: &str = "refs/keepopen/staging/";
const OVERWRITTEN: &str = "refs/keepopen/overwritten/";
/// Stated in the record of every repository that uses Git LFS.
pub const LFS_GAP: &str =
    "uses Git LFS: the mirror holds the pointer files only; LFS objects were not fetched";

/// A repository name made safe as one path component: only `[A-Za-z0-9._-]`, no leading dot or dash, no `..`.
pub fn sanitize_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Collapse every run of two or more dots, so `..` cannot survive anywhere.
    let mut out = String::with_capacity(mapped.len());
    let mut dots = 0usize;
    for c in mapped.chars().chain(std::iter::once('\0')) {
        if c == '.' {
            dots += 1;
            continue;
        }
        match dots {
            0 => {}
            1 => out.push('.'),
            _ => out.push('_'),
        }
        dots = 0;
        if c != '\0' {
            out.push(c);
        }
    }
    let trimmed = out.trim_start_matches(['.', '-']);
    let trimmed = trimmed.trim_end_matches('.');
    let mut result: String = trimmed.chars().take(100).collect();
    if result.is_empty() {
        result.push_str("repo");
    }
    result
}

/// `<id>-<sanitised-name>.git`.
pub fn mirror_name(id: u64, name: &str) -> String {
    format!("{id}-{}.git", sanitize_name(name))
}

/// `<id>-<sanitised-name>.wiki.git`.
pub fn wiki_name(id: u64, name: &str) -> String {
    format!("{id}-{}.wiki.git", sanitize_name(name))
}

/// The wiki's clone URL: `…/name.git` → `…/name.wiki.git`.
pub fn wiki_url(clone_url: &str) -> String {
    match clone_url.strip_suffix(".git") {
        Some(stem) => format!("{stem}.wiki.git"),
        None => format!("{clone_url}.wiki.git"),
    }
}

/// Join a mirror's relative path onto the archive root, refusing anything that is not a single plain component.
pub fn resolve(root: &Path, relative: &str) -> anyhow::Result<PathBuf> {
    let mut components = Path::new(relative).components();
    match (components.next(), components.next()) {
        (Some(std::path::Component::Normal(c)), None) if c.to_str() == Some(relative) => {
            Ok(root.join(relative))
        }
        _ => anyhow::bail!("mirror path {relative:?} is not a plain name inside the archive"),
    }
}

/// What one fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchOutcome {
    /// `refs/heads/…`, `refs/tags/…` → object id, after the fetch.
    pub tips: BTreeMap<String, String>,
    /// Refs created under `refs/keepopen/overwritten/` by this fetch.
    pub preserved: Vec<String>,
    /// Whether any head or tag changed.
    pub changed: bool,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The remote repository does not exist (HTTP 404), e.g. a wiki that was never written.
    #[error("{url}: repository not found")]
    NotFound { url: String },
    #[error("{url}: {message}")]
    Git { url: String, message: String },
}

/// Fetch `url` into the bare mirror at `dir` (created if missing), keeping every tip it would otherwise lose.
/// Blocking; call it from [`Archive`] or `spawn_blocking`.
pub fn fetch_mirror(
    dir: &Path,
    url: &str,
    token: Option<&Token>,
    default_branch: Option<&str>,
    now: DateTime<Utc>,
) -> Result<FetchOutcome, FetchError> {
    let git = |e: git2::Error| FetchError::Git {
        url: url.to_owned(),
        message: e.message().to_owned(),
    };
    let repo = open_or_init_bare(dir).map_err(git)?;
    // Leftovers of an interrupted fetch would look like refs upstream still has.
    delete_refs_under(&repo, STAGING).map_err(git)?;
    fetch_into_staging(&repo, url, token)?;
    let staged = refs_under(&repo, STAGING).map_err(git)?;
    let staged: BTreeMap<String, Oid> = staged
        .into_iter()
        .map(|(name, oid)| (format!("refs/{}", &name[STAGING.len()..]), oid))
        .collect();
    let mut outcome = move_refs_to_staged(&repo, &staged, now).map_err(git)?;
    delete_refs_under(&repo, STAGING).map_err(git)?;
    if let Some(branch) = default_branch {
        let head = format!("refs/heads/{branch}");
        if repo.find_reference(&head).is_ok() {
            repo.set_head(&head).map_err(git)?;
        }
    }
    let mut tips = refs_under(&repo, "refs/heads/").map_err(git)?;
    tips.extend(refs_under(&repo, "refs/tags/").map_err(git)?);
    outcome.tips = tips.into_iter().map(|(n, o)| (n, o.to_string())).collect();
    Ok(outcome)
}

/// The bare repository at `dir`, made when there is none.
fn open_or_init_bare(dir: &Path) -> Result<Repository, git2::Error> {
    if let Ok(repo) = Repository::open_bare(dir) {
        return Ok(repo);
    }
    let mut options = git2::RepositoryInitOptions::new();
    // No template directory: a mirror needs no sample hooks (about 60 KB each, per mirror).
    options
        .bare(true)
        .mkpath(true)
        .no_reinit(false)
        .external_template(false);
    Repository::init_opts(dir, &options)
}

/// Fetch upstream's heads and tags under the staging prefix, with the token offered once; a repository that is
/// not there is [`FetchError::NotFound`].
fn fetch_into_staging(
    repo: &Repository,
    url: &str,
    token: Option<&Token>,
) -> Result<(), FetchError> {
    let git = |e: git2::Error| FetchError::Git {
        url: url.to_owned(),
        message: e.message().to_owned(),
    };
    let mut callbacks = RemoteCallbacks::new();
    if let Some(token) = token {
        let token = token.clone();
        let mut tries = 0;
        callbacks.credentials(move |_url, _user, _allowed| {
            tries += 1;
            if tries > 1 {
                return Err(git2::Error::from_str("the token was refused"));
            }
            git2::Cred::userpass_plaintext("x-access-token", token.expose())
        });
    }
    let mut options = FetchOptions::new();
    options
        .remote_callbacks(callbacks)
        .download_tags(AutotagOption::None)
        .update_fetchhead(false);
    let mut remote = repo.remote_anonymous(url).map_err(git)?;
    let refspecs = [
        format!("+refs/heads/*:{STAGING}heads/*"),
        format!("+refs/tags/*:{STAGING}tags/*"),
    ];
    let Err(e) = remote.fetch(&refspecs, Some(&mut options), Some("keepopen: fetch")) else {
        return Ok(());
    };
    let message = e.message().to_owned();
    let not_found = e.code() == git2::ErrorCode::NotFound
        || message.contains("404")
        || message.to_ascii_lowercase().contains("not found");
    Err(if not_found {
        FetchError::NotFound {
            url: url.to_owned(),
        }
    } else {
        git(e)
    })
}

/// Bring the mirror's heads and tags to `staged` (upstream's, as fetched). A tip upstream moved away from other
/// than by fast-forward, or deleted, is kept under the overwritten prefix stamped `now`, never lost.
fn move_refs_to_staged(
    repo: &Repository,
    staged: &BTreeMap<String, Oid>,
    now: DateTime<Utc>,
) -> Result<FetchOutcome, git2::Error> {
    let mut current = refs_under(repo, "refs/heads/")?;
    current.extend(refs_under(repo, "refs/tags/")?);
    let stamp = now.format("%Y%m%dT%H%M%S%.6fZ").to_string();
    let mut outcome = FetchOutcome::default();
    for (name, old) in &current {
        let keep_old = match staged.get(name) {
            Some(new) if new == old => continue,
            Some(new) => {
                !(name.starts_with("refs/heads/")
                    && repo.graph_descendant_of(*new, *old).unwrap_or(false))
            }
            None => true,
        };
        if keep_old {
            let kept = format!("{OVERWRITTEN}{stamp}/{}", &name["refs/".len()..]);
            repo.reference(
                &kept,
                *old,
                false,
                "keepopen: keep the tip upstream moved away from",
            )?;
            outcome.preserved.push(kept);
        }
        match staged.get(name) {
            Some(new) => {
                repo.reference(name, *new, true, "keepopen: update from upstream")?;
            }
            None => {
                repo.find_reference(name).and_then(|mut r| r.delete())?;
            }
        }
        outcome.changed = true;
    }
    for (name, new) in staged {
        if !current.contains_key(name) {
            repo.reference(name, *new, true, "keepopen: new upstream ref")?;
            outcome.changed = true;
        }
    }
    Ok(outcome)
}

fn refs_under(repo: &Repository, prefix: &str) -> Result<BTreeMap<String, Oid>, git2::Error> {
    let mut out = BTreeMap::new();
    for reference in repo.references_glob(&format!("{prefix}*"))? {
        let reference = reference?;
        if let (Ok(name), Some(oid)) = (reference.name(), reference.target()) {
            out.insert(name.to_owned(), oid);
        }
    }
    Ok(out)
}

fn delete_refs_under(repo: &Repository, prefix: &str) -> Result<(), git2::Error> {
    let names: Vec<String> = refs_under(repo, prefix)?.into_keys().collect();
    for name in names {
        repo.find_reference(&name)?.delete()?;
    }
    Ok(())
}

/// Whether the root `.gitattributes` at the tip of `branch` (or HEAD) routes anything through `filter=lfs`.
pub fn detect_lfs(dir: &Path, branch: Option<&str>) -> anyhow::Result<bool> {
    let repo =
        Repository::open_bare(dir).with_context(|| format!("cannot open {}", dir.display()))?;
    let commit = match branch {
        Some(b) => repo
            .find_reference(&format!("refs/heads/{b}"))
            .and_then(|r| r.peel_to_commit()),
        None => repo.head().and_then(|r| r.peel_to_commit()),
    };
    let Ok(commit) = commit else { return Ok(false) };
    let tree = commit.tree()?;
    let Some(entry) = tree.get_name(".gitattributes") else {
        return Ok(false);
    };
    let object = entry.to_object(&repo)?;
    let Some(blob) = object.as_blob() else {
        return Ok(false);
    };
    let text = String::from_utf8_lossy(blob.content());
    Ok(text
        .lines()
        .any(|line| !line.trim_start().starts_with('#') && line.contains("filter=lfs")))
}

/// The `origin` URL of a repository made elsewhere (for `archive import`).
pub fn origin_url(dir: &Path) -> Option<String> {
    let repo = Repository::open(dir).ok()?;
    let remote = repo.find_remote("origin").ok()?;
    remote.url().ok().map(str::to_owned)
}

/// Git repositories (bare or not) in `dir` and one level below (`git clone --mirror` folders, ghorg's
/// `<org>/<repo>` layout), sorted.
pub fn find_repositories(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let is_repo = |p: &Path| Repository::open(p).is_ok();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        if is_repo(&path) {
            out.push(path);
            continue;
        }
        if let Ok(inner) = std::fs::read_dir(&path) {
            for entry in inner.flatten() {
                let p = entry.path();
                if p.is_dir() && is_repo(&p) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One repository to mirror.
#[derive(Debug, Clone)]
pub struct MirrorJob {
    /// The mirror's path relative to the archive root: [`mirror_name`] for a new mirror, the recorded path for
    /// an existing one (a rename does not move a mirror).
    pub relative: String,
    /// Where to fetch from: the API's `clone_url`, or a local path for `archive import`.
    pub url: String,
    pub default_branch: Option<String>,
    /// Also mirror `<repo>.wiki.git`.
    pub wiki: bool,
    /// Look for Git LFS use.
    pub detect_lfs: bool,
    pub token: Option<Token>,
    pub now: DateTime<Utc>,
}

/// A wiki fetch, recorded whatever happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WikiOutcome {
    Mirrored { path: String },
    Absent,
    Failed { error: String },
}

/// What mirroring one repository did.
#[derive(Debug)]
pub struct MirrorOutcome {
    /// Relative to the archive root.
    pub path: String,
    pub fetch: Result<FetchOutcome, FetchError>,
    pub wiki: Option<WikiOutcome>,
    /// `Some(true)` when LFS is in use.
    pub lfs: Option<bool>,
}

/// The archive directory, with bounded concurrency for git work.
#[derive(Debug, Clone)]
pub struct Archive {
    root: PathBuf,
    jobs: Arc<Semaphore>,
}

impl Archive {
    pub fn open(root: impl Into<PathBuf>, jobs: usize) -> anyhow::Result<Archive> {
        let root = root.into();
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create the archive {}", root.display()))?;
        Ok(Archive {
            root,
            jobs: Arc::new(Semaphore::new(jobs.max(1))),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Absolute path of a mirror from its relative path.
    pub fn path_of(&self, relative: &str) -> anyhow::Result<PathBuf> {
        resolve(&self.root, relative)
    }

    /// Fetch a repository (and its wiki) into its mirror; at most `jobs` at a time, on the blocking pool.
    pub async fn mirror(&self, job: MirrorJob) -> anyhow::Result<MirrorOutcome> {
        let permit = self
            .jobs
            .clone()
            .acquire_owned()
            .await
            .context("the archive is shutting down")?;
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            mirror_blocking(&root, &job)
        })
        .await
        .context("a mirror task panicked")
    }
}

fn mirror_blocking(root: &Path, job: &MirrorJob) -> MirrorOutcome {
    let relative = job.relative.clone();
    let dir = match resolve(root, &relative) {
        Ok(dir) => dir,
        Err(e) => {
            let fetch = Err(FetchError::Git {
                url: job.url.clone(),
                message: e.to_string(),
            });
            return MirrorOutcome {
                path: relative,
                fetch,
                wiki: None,
                lfs: None,
            };
        }
    };
    let fetch = fetch_mirror(
        &dir,
        &job.url,
        job.token.as_ref(),
        job.default_branch.as_deref(),
        job.now,
    );
    let lfs = (job.detect_lfs && fetch.is_ok())
        .then(|| detect_lfs(&dir, job.default_branch.as_deref()).unwrap_or(false));
    let wiki = (job.wiki && fetch.is_ok()).then(|| {
        let stem = relative.strip_suffix(".git").unwrap_or(&relative);
        let wiki_relative = format!("{stem}.wiki.git");
        let wiki_dir = root.join(&wiki_relative);
        match fetch_mirror(
            &wiki_dir,
            &wiki_url(&job.url),
            job.token.as_ref(),
            None,
            job.now,
        ) {
            Ok(_) => WikiOutcome::Mirrored {
                path: wiki_relative,
            },
            Err(FetchError::NotFound { .. }) => {
                // libgit2 creates the directory before it learns there is nothing to fetch; an empty mirror
                // of a wiki that does not exist is noise. Remove it only if it holds no refs at all.
                if Repository::open_bare(&wiki_dir).is_ok_and(|r| {
                    r.references()
                        .map(|mut i| i.next().is_none())
                        .unwrap_or(false)
                }) {
                    let _ = std::fs::remove_dir_all(&wiki_dir);
                }
                WikiOutcome::Absent
            }
            Err(e) => WikiOutcome::Failed {
                error: e.to_string(),
            },
        }
    });
    MirrorOutcome {
        path: relative,
        fetch,
        wiki,
        lfs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_name_table() {
        let cases = [
            ("frontend", "frontend"),
            ("nhs.uk-app_v2", "nhs.uk-app_v2"),
            ("../../etc", "____etc"),
            ("..", "_"),
            (".hidden", "hidden"),
            ("-rf", "rf"),
            ("a/b", "a_b"),
            ("a\\b", "a_b"),
            ("tab\there", "tab_here"),
            ("new\nline", "new_line"),
            ("name.", "name"),
            ("a...b", "a_b"),
            ("", "repo"),
            ("...", "_"),
            ("ünïcode", "_n_code"),
        ];
        for (input, expected) in cases {
            let got = sanitize_name(input);
            assert_eq!(got, expected, "{input:?}");
            assert!(!got.contains(".."), "{input:?} → {got:?}");
            assert!(
                !got.starts_with('.') && !got.starts_with('-'),
                "{input:?} → {got:?}"
            );
        }
    }

    #[test]
    fn mirror_names_stay_inside_the_archive() {
        let root = Path::new("/archive");
        for hostile in [
            "../../etc",
            "..",
            "/etc/passwd",
            "a/../../b",
            "\0",
            "x\u{1b}[31m",
        ] {
            let name = mirror_name(7, hostile);
            let path = resolve(root, &name).unwrap();
            assert_eq!(
                path.parent(),
                Some(root),
                "{hostile:?} → {}",
                path.display()
            );
        }
        assert!(resolve(root, "../x.git").is_err());
        assert!(resolve(root, "a/b.git").is_err());
        assert!(resolve(root, "/etc").is_err());
    }

    #[test]
    fn wiki_urls() {
        assert_eq!(
            wiki_url("https://github.com/o/r.git"),
            "https://github.com/o/r.wiki.git"
        );
        assert_eq!(wiki_url("/srv/o/r"), "/srv/o/r.wiki.git");
    }
}
