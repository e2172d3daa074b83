//! Evidence of absence over the history: before "no licence anywhere" forbids a repository, the history that
//! would be pushed (every branch and tag) is searched for a licence file ever committed at its root. One found
//! means a licence was removed — perhaps by mistake, perhaps on purpose — and a person must decide; none found
//! (within the bound) leaves the verdict as it was.
//!
//! Cheap by construction: commits are walked newest first from every `refs/heads/*` and `refs/tags/*`, only
//! root trees are read, each distinct root tree once, and only entry names are looked at; the walk stops at
//! [`Bounds`]. A walk cut short says so ([`Observation::HistoryNotSearched`]) rather than claim an absence.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use git2::{Oid, Repository, RepositoryOpenFlags, Sort};

use super::discovery::root_file_kind;
use super::{LicenseReport, Observation, SourceKind};

/// How much of the history is searched.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub max_commits: usize,
    pub max_time: Duration,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            max_commits: 200_000,
            max_time: Duration::from_secs(20),
        }
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// A root file named like a licence (`LICENSE`, `LICENCE.md`, `COPYING`, `MIT.txt`…), and the commit that
    /// holds it: the newest such commit the walk met.
    Found { file: String, commit: Oid },
    /// Every commit reachable from the branches and tags was looked at: none ever held one.
    Absent { commits: usize },
    /// The bound was reached first.
    Cut { commits: usize },
}

/// Search the history of the repository at `path` (bare or not). `None` when it cannot be opened or walked:
/// the caller keeps what it had.
pub fn search(path: &Path, bounds: Bounds) -> Option<Search> {
    let repo = Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .ok()?;
    search_repo(&repo, bounds).ok()
}

/// [`search`] over an open repository.
pub fn search_repo(repo: &Repository, bounds: Bounds) -> Result<Search, git2::Error> {
    let started = Instant::now();
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TIME)?;
    // Globs skip refs that do not point to commits (a tag of a blob); annotated tags are peeled.
    walk.push_glob("refs/heads/*")?;
    walk.push_glob("refs/tags/*")?;
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut commits = 0usize;
    for id in walk {
        let id = id?;
        commits += 1;
        if commits > bounds.max_commits || started.elapsed() > bounds.max_time {
            return Ok(Search::Cut {
                commits: commits - 1,
            });
        }
        let commit = repo.find_commit(id)?;
        let tree_id = commit.tree_id();
        if !seen_trees.insert(tree_id) {
            continue;
        }
        let tree = repo.find_tree(tree_id)?;
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes());
            let blob = entry.kind() == Some(git2::ObjectType::Blob);
            if blob && root_file_kind(&name) == Some(SourceKind::LicenseFile) {
                return Ok(Search::Found {
                    file: name.into_owned(),
                    commit: id,
                });
            }
        }
    }
    Ok(Search::Absent { commits })
}

/// Where the licence report says "no licence anywhere", search the history of `path`: a licence file found
/// there, or a search cut short, replaces that observation with one that asks a person. Does nothing to a
/// report that found anything licence-like at the tip.
pub fn amend(path: &Path, report: &mut LicenseReport) {
    amend_with(path, report, Bounds::default());
}

/// [`amend`] within `bounds`.
pub fn amend_with(path: &Path, report: &mut LicenseReport, bounds: Bounds) {
    let Some(at) = report
        .observations
        .iter()
        .position(|o| matches!(o, Observation::NoLicense))
    else {
        return;
    };
    match search(path, bounds) {
        Some(Search::Found { file, commit }) => {
            report.observations[at] = Observation::LicenceInHistory {
                file,
                commit: commit.to_string(),
            };
        }
        Some(Search::Cut { commits }) => {
            report.observations[at] = Observation::HistoryNotSearched { commits };
        }
        Some(Search::Absent { .. }) | None => {}
    }
}
