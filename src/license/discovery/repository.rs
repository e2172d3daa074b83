//! Opening a repository and finding the commit to read: the default branch's tip, with fallbacks for a
//! dangling or missing HEAD (`main`, `master`, the only branch) and for a repository without a HEAD file.

use super::*;

/// Bounds that keep discovery cheap on any repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes of one licence, notice, manifest or README blob read as text; a bigger blob is read up to
    /// this and marked `truncated`.
    pub max_blob_bytes: usize,
    /// The most files read for `SPDX-License-Identifier:` lines, breadth-first from the root.
    pub max_files_scanned_for_headers: usize,
    /// The bytes read from the start of each of those files.
    pub max_header_bytes: usize,
    /// The deepest folder (root = 0) whose licence files are read as nested licence files: deep enough for
    /// any real tree, a bound against a crafted one.
    pub max_nested_depth: usize,
    /// The most licence and notice files read below the root (vendored folders included); past it the rest
    /// are reported as not read, which a person must look at.
    pub max_licence_files_below_root: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_blob_bytes: 1024 * 1024,
            max_files_scanned_for_headers: 2000,
            max_header_bytes: 8 * 1024,
            max_nested_depth: 64,
            max_licence_files_below_root: 400,
        }
    }
}

/// Why a repository could not be read at all. Each names the repository.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("cannot open {path} as a git repository: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("repository {repo} is empty: it has no branches, so no commit to read")]
    Empty { repo: PathBuf },
    #[error(
        "repository {repo}: {head}, and there is no main, master or single branch to read instead (branches: {})",
        branches.join(", ")
    )]
    NoDefaultBranch {
        repo: PathBuf,
        /// What is wrong with HEAD ("HEAD is missing", "HEAD points to refs/heads/trunk, which does not exist").
        head: String,
        branches: Vec<String>,
    },
    #[error("repository {repo}: {what} {id} is {state}")]
    BrokenObject {
        repo: PathBuf,
        /// Which object: "the tip commit of branch main", "the root tree of commit 1234…".
        what: String,
        id: Oid,
        /// "missing from the object database" or "corrupt (<libgit2's message>)".
        state: String,
    },
    #[error("repository {repo}: failed to {action}: {source}")]
    Git {
        repo: PathBuf,
        action: String,
        #[source]
        source: git2::Error,
    },
}

/// Read the candidates of the repository at `path` (bare or not), with the default [`Limits`].
///
/// A repository whose HEAD file is missing cannot be opened by libgit2; its objects and branch refs are then
/// read directly, and the default branch chosen as when HEAD dangles.
pub fn discover_path(path: &Path) -> anyhow::Result<Discovery> {
    let limits = Limits::default();
    let label = normalise(path);
    match Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&OsStr>(),
    ) {
        Ok(repo) => Ok(discover_labelled(&repo, &label, &limits)?),
        Err(open_error) => {
            let git_dir = if path.join(".git").is_dir() {
                path.join(".git")
            } else {
                path.to_path_buf()
            };
            let headless = git_dir.join("objects").is_dir()
                && git_dir.join("refs").is_dir()
                && !git_dir.join("HEAD").exists();
            if !headless {
                return Err(DiscoveryError::Open {
                    path: label,
                    source: open_error,
                }
                .into());
            }
            Ok(discover_headless(&git_dir, &label, &limits)?)
        }
    }
}

/// Read the candidates of an open repository: the tree of its default branch's tip.
pub fn discover(repo: &Repository, limits: &Limits) -> Result<Discovery, DiscoveryError> {
    let label = normalise(repo.workdir().unwrap_or_else(|| repo.path()));
    discover_labelled(repo, &label, limits)
}

pub(super) fn normalise(path: &Path) -> PathBuf {
    path.components().collect()
}

pub(super) fn discover_labelled(
    repo: &Repository,
    label: &Path,
    limits: &Limits,
) -> Result<Discovery, DiscoveryError> {
    let tip = default_branch_tip(repo, label)?;
    read_tip(repo, label, tip, limits)
}

/// Read the candidates of the tree of `commit` (any commit of `repo`, e.g. the tip of a branch other than the
/// default, or a tag's), labelled with `reference`. `headers` keeps what header scans found by blob id, so that
/// many refs sharing most of their files read each file once.
pub fn discover_commit(
    repo: &Repository,
    label: &Path,
    commit: Oid,
    reference: &str,
    limits: &Limits,
    headers: &mut HeaderCache,
) -> Result<Discovery, DiscoveryError> {
    let tip = Tip {
        commit,
        branch: Some(reference.to_owned()),
    };
    read_tip_with(repo, label, tip, limits, headers, true)
}

/// [`discover_commit`] without the third-party assets of the tree (left empty): the licence evidence alone,
/// for a caller that judges assets once over every pushed blob instead (the other refs of a mirror).
pub fn discover_commit_evidence(
    repo: &Repository,
    label: &Path,
    commit: Oid,
    reference: &str,
    limits: &Limits,
    cache: &mut HeaderCache,
) -> Result<Discovery, DiscoveryError> {
    let tip = Tip {
        commit,
        branch: Some(reference.to_owned()),
    };
    read_tip_with(repo, label, tip, limits, cache, false)
}

/// What reading each blob gave, by blob id, kept across the trees read with it: a blob's bytes never change,
/// so neither does what discovery reads from it, and a tree that shares most of its files with trees read
/// before costs a walk of its entries plus the blobs never read before.
#[derive(Debug, Default)]
pub struct HeaderCache {
    /// What the header scan found: `None` when the blob was not read as text.
    pub(super) seen: HashMap<Oid, Option<Vec<(usize, String)>>>,
    /// A blob read as licence, notice, manifest or README text (by id and the most bytes read), or why it
    /// could not be (the error, kept whole so that the reason given is the one a fresh read gives).
    pub(super) blobs: HashMap<(Oid, usize), Result<std::sync::Arc<BlobPrefix>, CachedError>>,
    /// The work done through this cache: what bounds the work of judging many trees.
    pub work: ReadWork,
    /// How many files the last tree read through this cache had read for headers (at most
    /// [`Limits::max_files_scanned_for_headers`]: when it is that, the scan stopped at its bound).
    pub last_headers_scanned: usize,
    /// When the last tree's scan stopped at its bound: the path of the last file it read, so that what it
    /// read is every file it would read up to that one in its order ([`header_scan_order`]). `None` below the
    /// bound, or when a tree walked holds its entries out of git's order (then that order is not the walk's).
    pub last_header_cutoff: Option<String>,
    /// How many files the scan would read up to and including `last_header_cutoff`: the bound, plus the
    /// files past it counted by [`Self::slack`].
    pub last_header_count: usize,
    /// Whether no file the scan would read up to `last_header_cutoff` holds an SPDX line.
    pub last_headers_clear: bool,
    /// Past its bound, when no file it read held an SPDX line, the scan goes on counting up to this many
    /// more files it would read (read for whether they hold one, never for evidence), stopping before the
    /// first that does: a window with room, which a tree that differs can carry though files were removed
    /// before its end (`license::refs`). 0 for discovery alone.
    pub slack: usize,
}

/// A git error as read, to be given again.
#[derive(Debug, Clone)]
pub(super) struct CachedError {
    code: ErrorCode,
    class: git2::ErrorClass,
    message: String,
}

impl CachedError {
    pub(super) fn of(e: &git2::Error) -> CachedError {
        CachedError {
            code: e.code(),
            class: e.class(),
            message: e.message().to_owned(),
        }
    }

    pub(super) fn error(&self) -> git2::Error {
        git2::Error::new(self.code, self.class, &self.message)
    }
}

/// Work done by discovery through one [`HeaderCache`]: tree entries walked, and blobs read from the object
/// database (not from the cache) with their bytes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadWork {
    pub entries: usize,
    pub blobs: usize,
    pub bytes: usize,
}

/// The reason given for a file a manifest names as its licence that the tree does not hold.
pub const POINTED_MISSING: &str = "named by a manifest as the licence file, but not in the tree";

/// The commit to read and the branch it came from (`None` for a detached HEAD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tip {
    pub(super) commit: Oid,
    pub(super) branch: Option<String>,
}

/// HEAD's target; if HEAD is missing or dangling, `main`, then `master`, then the only branch.
pub(super) fn default_branch_tip(repo: &Repository, label: &Path) -> Result<Tip, DiscoveryError> {
    let git = |action: &str| {
        let action = action.to_owned();
        move |source| DiscoveryError::Git {
            repo: label.to_path_buf(),
            action,
            source,
        }
    };
    let problem = match repo.find_reference("HEAD") {
        Ok(head) => match head.symbolic_target().ok().flatten() {
            Some(target) => match repo.find_reference(target) {
                Ok(reference) => match reference.resolve() {
                    Ok(resolved) => match resolved.target() {
                        Some(id) => {
                            return Ok(Tip {
                                commit: id,
                                branch: Some(branch_name(target)),
                            });
                        }
                        None => format!("HEAD points to {target}, which has no target"),
                    },
                    Err(error) if error.code() == ErrorCode::NotFound => {
                        format!("HEAD points to {target}, which does not resolve")
                    }
                    Err(error) => return Err(git("resolve HEAD")(error)),
                },
                Err(error) if error.code() == ErrorCode::NotFound => {
                    format!("HEAD points to {target}, which does not exist")
                }
                Err(error) => return Err(git(&format!("read {target}"))(error)),
            },
            None => match head.target() {
                Some(id) => {
                    return Ok(Tip {
                        commit: id,
                        branch: None,
                    });
                }
                None => "HEAD has no target".to_owned(),
            },
        },
        Err(error) if error.code() == ErrorCode::NotFound => "HEAD is missing".to_owned(),
        Err(error) => format!("HEAD cannot be read ({})", error.message()),
    };
    let mut branches = Vec::new();
    for reference in repo
        .references_glob("refs/heads/*")
        .map_err(git("list branches"))?
    {
        let reference = reference.map_err(git("list branches"))?;
        if let (Ok(name), Some(id)) = (reference.name(), reference.target()) {
            branches.push((branch_name(name), id));
        }
    }
    fallback_tip(label, problem, branches)
}

pub(super) fn branch_name(refname: &str) -> String {
    refname
        .strip_prefix("refs/heads/")
        .unwrap_or(refname)
        .to_owned()
}

/// The branch to read when HEAD cannot say: `main`, `master`, or the only branch. Pure.
pub(super) fn fallback_tip(
    label: &Path,
    problem: String,
    mut branches: Vec<(String, Oid)>,
) -> Result<Tip, DiscoveryError> {
    branches.sort();
    if branches.is_empty() {
        return Err(DiscoveryError::Empty {
            repo: label.to_path_buf(),
        });
    }
    for wanted in ["main", "master"] {
        if let Some((name, id)) = branches.iter().find(|(name, _)| name == wanted) {
            tracing::debug!(repo = %label.display(), %problem, branch = %name, "reading fallback branch");
            return Ok(Tip {
                commit: *id,
                branch: Some(name.clone()),
            });
        }
    }
    if let [(name, id)] = branches.as_slice() {
        return Ok(Tip {
            commit: *id,
            branch: Some(name.clone()),
        });
    }
    Err(DiscoveryError::NoDefaultBranch {
        repo: label.to_path_buf(),
        head: problem,
        branches: branches.into_iter().map(|(name, _)| name).collect(),
    })
}

/// A repository without a HEAD file: libgit2 will not open it, so read its object database directly and its
/// branch refs from `refs/heads/` and `packed-refs`.
pub(super) fn discover_headless(
    git_dir: &Path,
    label: &Path,
    limits: &Limits,
) -> Result<Discovery, DiscoveryError> {
    let git = |action: &'static str| {
        move |source| DiscoveryError::Git {
            repo: label.to_path_buf(),
            action: action.to_owned(),
            source,
        }
    };
    let odb = Odb::new().map_err(git("create an object database"))?;
    let objects = git_dir.join("objects");
    odb.add_disk_alternate(&objects.to_string_lossy())
        .map_err(git("open the object database"))?;
    let repo = Repository::from_odb(odb).map_err(git("open the object database"))?;
    let branches = read_branch_refs(git_dir);
    let tip = fallback_tip(label, "HEAD is missing".to_owned(), branches)?;
    read_tip(&repo, label, tip, limits)
}

/// Branch refs read from files: loose refs under `refs/heads/` override `packed-refs`.
pub(super) fn read_branch_refs(git_dir: &Path) -> Vec<(String, Oid)> {
    let mut refs: HashMap<String, Oid> = HashMap::new();
    if let Ok(packed) = fs::read_to_string(git_dir.join("packed-refs")) {
        for line in packed.lines().filter(|l| !l.starts_with(['#', '^'])) {
            if let Some((id, name)) = line.split_once(' ')
                && let (Ok(id), Some(branch)) =
                    (Oid::from_str(id), name.strip_prefix("refs/heads/"))
            {
                refs.insert(branch.to_owned(), id);
            }
        }
    }
    let heads = git_dir.join("refs").join("heads");
    let mut folders = vec![heads.clone()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(contents) = fs::read_to_string(&path)
                && let Ok(id) = Oid::from_str(contents.trim())
                && let Ok(relative) = path.strip_prefix(&heads)
            {
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>();
                refs.insert(name.join("/"), id);
            }
        }
    }
    refs.into_iter().collect()
}
