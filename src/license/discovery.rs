//! Reads licence candidates from a repository's default branch, from git objects only.
//!
//! The first step of the licence engine: given a bare mirror (or any repository), find the tip of the default
//! branch and read, from that one tree, every text that may say how the repository is licensed — root licence
//! and notice files, a REUSE `LICENSES/` folder, licence files in subfolders, licence, copyright and terms pages
//! in documentation folders, `SPDX-License-Identifier:` lines, manifest licence fields and the README's licence
//! section. Which names count is decided by pure functions ([`root_file_kind`], [`is_nested_license_name`],
//! [`is_documentation_page`]); vendored and generated folders are never entered. Nothing is checked out and no link is followed; no
//! history is walked; blobs are read up to a bound (the sha256 still covers the whole blob). What looks like a
//! licence but cannot be read as text (a symlink, a folder, a submodule, a binary or empty file) is reported as
//! [`Skipped`], never as an error: only a repository whose default branch cannot be read at all fails.
//!
//! `detect` turns the candidates into findings.

use std::collections::{HashMap, VecDeque};
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use git2::{ErrorCode, FileMode, ObjectType, Odb, Oid, Repository, RepositoryOpenFlags};
use regex::Regex;
use sha2::{Digest, Sha256};

use super::manifest;
use super::{Candidate, Discovery, FolderLayout, Skipped, SourceKind};

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

fn normalise(path: &Path) -> PathBuf {
    path.components().collect()
}

fn discover_labelled(
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
    read_tip_with(repo, label, tip, limits, headers)
}

/// What the header scan found in each blob read, by blob id: `None` when the blob was not read as text.
#[derive(Debug, Default)]
pub struct HeaderCache {
    seen: HashMap<Oid, Option<Vec<(usize, String)>>>,
}

/// The reason given for a file a manifest names as its licence that the tree does not hold.
pub const POINTED_MISSING: &str = "named by a manifest as the licence file, but not in the tree";

/// The commit to read and the branch it came from (`None` for a detached HEAD).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tip {
    commit: Oid,
    branch: Option<String>,
}

/// HEAD's target; if HEAD is missing or dangling, `main`, then `master`, then the only branch.
fn default_branch_tip(repo: &Repository, label: &Path) -> Result<Tip, DiscoveryError> {
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

fn branch_name(refname: &str) -> String {
    refname
        .strip_prefix("refs/heads/")
        .unwrap_or(refname)
        .to_owned()
}

/// The branch to read when HEAD cannot say: `main`, `master`, or the only branch. Pure.
fn fallback_tip(
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
fn discover_headless(
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
fn read_branch_refs(git_dir: &Path) -> Vec<(String, Oid)> {
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

// ---------------------------------------------------------------------------------------------------------
// Reading the tree

fn read_tip(
    repo: &Repository,
    label: &Path,
    tip: Tip,
    limits: &Limits,
) -> Result<Discovery, DiscoveryError> {
    read_tip_with(repo, label, tip, limits, &mut HeaderCache::default())
}

fn read_tip_with(
    repo: &Repository,
    label: &Path,
    tip: Tip,
    limits: &Limits,
    header_cache: &mut HeaderCache,
) -> Result<Discovery, DiscoveryError> {
    let broken = |what: String, id: Oid, error: git2::Error| DiscoveryError::BrokenObject {
        repo: label.to_path_buf(),
        what,
        id,
        state: object_state(&error),
    };
    let what_tip = match &tip.branch {
        Some(branch) => format!("the tip commit of branch {branch}"),
        None => "the commit HEAD points to".to_owned(),
    };
    let commit = repo
        .find_object(tip.commit, None)
        .and_then(|object| object.peel_to_commit())
        .map_err(|error| broken(what_tip, tip.commit, error))?;
    let tree_id = commit.tree_id();
    let tree = repo.find_tree(tree_id).map_err(|error| {
        broken(
            format!("the root tree of commit {}", tip.commit),
            tree_id,
            error,
        )
    })?;
    let odb = repo.odb().map_err(|source| DiscoveryError::Git {
        repo: label.to_path_buf(),
        action: "open the object database".to_owned(),
        source,
    })?;
    let mut reader = TreeReader {
        repo,
        odb,
        limits,
        discovery: Discovery::default(),
        headers: Vec::new(),
        pointed: Vec::new(),
        root: tree.clone(),
        header_cache,
        below_root_read: 0,
    };
    reader.discovery.commit = Some(tip.commit.to_string());
    reader.discovery.branch = tip.branch;
    reader.walk(tree.clone());
    let mut discovery = reader.finish();
    discovery.layout = folder_layout(repo, &tree, &discovery);
    let trees = super::assets::pushed_trees(repo, Some(tree_id));
    discovery.assets = super::assets::gather(repo, &trees, &Default::default());
    Ok(discovery)
}

/// The folders that hold a nested licence file, and the entries of `root` outside all of them. Only the
/// trees on the way to those folders are read. `None` when there is no such folder or a tree on the way
/// cannot be read (then the folders cover nothing beyond themselves).
fn folder_layout(
    repo: &Repository,
    root: &git2::Tree<'_>,
    discovery: &Discovery,
) -> Option<FolderLayout> {
    let mut folders: Vec<String> = Vec::new();
    for c in &discovery.candidates {
        if c.kind == SourceKind::NestedLicenseFile
            && let Some((folder, _)) = c.path.rsplit_once('/')
            && !folders.iter().any(|f| f == folder)
        {
            folders.push(folder.to_owned());
        }
    }
    if folders.is_empty() {
        return None;
    }
    let mut outside = Vec::new();
    let mut stack = vec![(root.clone(), String::new())];
    while let Some((tree, prefix)) = stack.pop() {
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
            let path = format!("{prefix}{name}");
            if folders.contains(&path) {
                continue;
            }
            let is_tree = entry.kind() == Some(ObjectType::Tree);
            let on_the_way = folders.iter().any(|f| f.starts_with(&format!("{path}/")));
            if is_tree && on_the_way {
                stack.push((repo.find_tree(entry.id()).ok()?, format!("{path}/")));
            } else if is_tree {
                outside.push(format!("{path}/"));
            } else if !matches!(
                name.as_str(),
                ".gitignore" | ".gitattributes" | ".gitmodules" | ".mailmap"
            ) {
                outside.push(path);
            }
            if outside.len() >= FolderLayout::MAX_OUTSIDE {
                return Some(FolderLayout { folders, outside });
            }
        }
    }
    Some(FolderLayout { folders, outside })
}

fn object_state(error: &git2::Error) -> String {
    if error.code() == ErrorCode::NotFound {
        "missing from the object database".to_owned()
    } else {
        format!("corrupt ({})", error.message())
    }
}

/// What a tree entry is, from its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Link,
    Folder,
    Submodule,
}

fn entry_kind(mode: i32) -> Option<EntryKind> {
    match mode {
        m if m == i32::from(FileMode::Blob) || m == i32::from(FileMode::BlobExecutable) => {
            Some(EntryKind::File)
        }
        m if m == i32::from(FileMode::BlobGroupWritable) => Some(EntryKind::File),
        m if m == i32::from(FileMode::Link) => Some(EntryKind::Link),
        m if m == i32::from(FileMode::Tree) => Some(EntryKind::Folder),
        m if m == i32::from(FileMode::Commit) => Some(EntryKind::Submodule),
        _ => None,
    }
}

struct HeaderHit {
    expression: String,
    path: String,
    line: usize,
    blob: Oid,
}

struct TreeReader<'r, 'c> {
    repo: &'r Repository,
    odb: Odb<'r>,
    limits: &'r Limits,
    discovery: Discovery,
    headers: Vec<HeaderHit>,
    /// Files that manifests name as holding the licence (`license-file`, `SEE LICENSE IN x`), root-relative.
    pointed: Vec<String>,
    /// The root tree: symbolic links are resolved against it.
    root: git2::Tree<'r>,
    header_cache: &'c mut HeaderCache,
    /// Licence and notice files read below the root so far (bounded by `max_licence_files_below_root`).
    below_root_read: usize,
}

/// The start of a blob, and the sha256 of all of it.
struct BlobPrefix {
    bytes: Vec<u8>,
    size: usize,
    sha256: String,
    truncated: bool,
}

impl<'r> TreeReader<'r, '_> {
    fn walk(&mut self, root: git2::Tree<'r>) {
        let mut files_scanned = 0usize;
        let mut readme: Option<(String, Oid)> = None;
        // (tree, its path, its depth, whether it is inside a vendored folder)
        let mut queue: VecDeque<(git2::Tree<'r>, String, usize, bool)> =
            VecDeque::from([(root.clone(), String::new(), 0, false)]);
        while let Some((tree, folder, depth, vendored)) = queue.pop_front() {
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                let path = if folder.is_empty() {
                    name.clone()
                } else {
                    format!("{folder}/{name}")
                };
                let Some(kind) = entry_kind(entry.filemode()) else {
                    continue;
                };
                let id = entry.id();
                let mut is_candidate = false;
                let is_folder = matches!(kind, EntryKind::Folder | EntryKind::Submodule);
                if vendored {
                    // Inside other people's code: its licence files and notices are read as that code's
                    // terms (never the repository's grant); nothing else is.
                    if !is_folder && is_nested_license_name(&name) {
                        self.below_root(&path, kind, id, SourceKind::VendoredLicenseFile);
                        is_candidate = true;
                    } else if !is_folder
                        && licence_word_first_kind(&name) == Some(SourceKind::NoticeFile)
                    {
                        self.below_root(&path, kind, id, SourceKind::NoticeFile);
                        is_candidate = true;
                    }
                } else if depth == 0 {
                    if name == "LICENSES" && kind == EntryKind::Folder {
                        self.reuse_folder(&path, id);
                        continue;
                    }
                    // Folders and submodules are judged by the licence-word-first names only:
                    // `licence-standard/` is reported as not read, `apache2/` or `mit-tools/` is just a folder.
                    let source = if is_folder {
                        licence_word_first_kind(&name)
                    } else {
                        root_file_kind(&name)
                    };
                    if let Some(source) = source {
                        self.license_file(&path, kind, id, source);
                        is_candidate = true;
                    } else if kind == EntryKind::File && manifest::is_manifest(&name) {
                        self.manifest(&path, &name, id);
                    } else if kind == EntryKind::File && readme_rank(&name).is_some() {
                        let better = match &readme {
                            Some((current, _)) => readme_rank(&name) < readme_rank(current),
                            None => true,
                        };
                        if better {
                            readme = Some((name.clone(), id));
                        }
                        is_candidate = true;
                    }
                } else if depth <= self.limits.max_nested_depth
                    && !is_folder
                    && is_documentation_page(&path)
                {
                    // A licence file beside code in the documentation folder (`docs/js/tinymce/license.txt`)
                    // is that code's licence, covering its folder; a page among pages is the documentation's.
                    if depth > 1 && is_nested_license_name(&name) && holds_code(&tree) {
                        self.below_root(&path, kind, id, SourceKind::NestedLicenseFile);
                    } else {
                        self.license_file(&path, kind, id, SourceKind::DocumentationPage);
                    }
                    is_candidate = true;
                } else if depth <= self.limits.max_nested_depth
                    && if is_folder {
                        licence_word_first_kind(&name) == Some(SourceKind::LicenseFile)
                    } else {
                        is_nested_license_name(&name)
                    }
                {
                    self.below_root(&path, kind, id, SourceKind::NestedLicenseFile);
                    is_candidate = true;
                } else if !is_folder
                    && licence_word_first_kind(&name) == Some(SourceKind::NoticeFile)
                {
                    // A NOTICE or COPYRIGHT file below the root speaks for its folder: read for what it
                    // withholds.
                    self.below_root(&path, kind, id, SourceKind::NoticeFile);
                    is_candidate = true;
                } else if kind == EntryKind::File && manifest::is_manifest(&name) {
                    // A sub-package's manifest speaks for its package.
                    self.manifest(&path, &name, id);
                    is_candidate = true;
                }
                match kind {
                    EntryKind::Folder if depth < self.limits.max_nested_depth && name != ".git" => {
                        // A vendored folder is entered for its licence files and notices alone; the licence
                        // collections (`licenses/`) hold texts named after licences, not terms of their own.
                        let inside_vendored = vendored || is_vendored_folder(&name);
                        if inside_vendored && is_copy_or_collection(&name) {
                            continue;
                        }
                        match self.repo.find_tree(id) {
                            Ok(subtree) => {
                                queue.push_back((subtree, path, depth + 1, inside_vendored))
                            }
                            Err(error) => self.skip(
                                &path,
                                format!("folder not read: tree {id} is {}", object_state(&error)),
                            ),
                        }
                    }
                    EntryKind::File
                        if !vendored
                            && !is_candidate
                            && files_scanned < self.limits.max_files_scanned_for_headers
                            && may_carry_header(&name) =>
                    {
                        files_scanned += usize::from(self.scan_headers(&path, &name, id));
                    }
                    _ => {}
                }
            }
        }
        self.pointed_files(&root);
        if let Some((name, id)) = readme {
            self.readme(&name, id);
        }
    }

    /// A licence or notice file below the root, read within the bound on how many are.
    fn below_root(&mut self, path: &str, kind: EntryKind, id: Oid, source: SourceKind) {
        self.below_root_read += 1;
        let bound = self.limits.max_licence_files_below_root;
        if self.below_root_read > bound {
            if self.below_root_read == bound + 1 {
                self.skip(
                    path,
                    format!(
                        "more than {bound} licence and notice files below the root: this one and those after it were not read"
                    ),
                );
            }
            return;
        }
        if source == SourceKind::NoticeFile {
            if kind == EntryKind::File
                && let Some((text, blob)) = self.text_blob(path, id)
            {
                self.discovery.notices.push(Candidate {
                    path: path.to_owned(),
                    kind: SourceKind::NoticeFile,
                    text,
                    first_line: 1,
                    sha256: blob.sha256,
                    truncated: blob.truncated,
                });
            }
            return;
        }
        self.license_file(path, kind, id, source);
    }

    fn finish(mut self) -> Discovery {
        let headers = std::mem::take(&mut self.headers);
        for hit in headers {
            let sha256 = match self.read_blob(hit.blob, 0) {
                Ok(blob) => blob.sha256,
                Err(_) => continue,
            };
            self.discovery.candidates.push(Candidate {
                path: hit.path,
                kind: SourceKind::SpdxHeader,
                text: hit.expression,
                first_line: hit.line,
                sha256,
                truncated: false,
            });
        }
        // Candidates in a stable order: by kind as the enum lists them, then by path and line.
        self.discovery.candidates.sort_by(|a, b| {
            (kind_order(a.kind), &a.path, a.first_line).cmp(&(
                kind_order(b.kind),
                &b.path,
                b.first_line,
            ))
        });
        self.discovery
    }

    fn skip(&mut self, path: &str, reason: String) {
        self.discovery.skipped.push(Skipped {
            path: path.to_owned(),
            reason,
        });
    }

    /// Read up to `max` bytes of a blob, hashing all of it. Streams when the object database can (loose
    /// objects); a packed blob bigger than `max` is inflated whole by libgit2, then cut.
    fn read_blob(&self, id: Oid, max: usize) -> Result<BlobPrefix, git2::Error> {
        let (size, kind) = self.odb.read_header(id)?;
        if kind != ObjectType::Blob {
            return Err(git2::Error::from_str(&format!(
                "object {id} is a {kind}, not a blob"
            )));
        }
        let mut hasher = Sha256::new();
        if size > max
            && let Ok((mut stream, _, _)) = self.odb.reader(id)
        {
            let mut bytes = Vec::with_capacity(max);
            let mut buffer = vec![0u8; 64 * 1024];
            loop {
                let n = stream
                    .read(&mut buffer)
                    .map_err(|e| git2::Error::from_str(&e.to_string()))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                let room = max.saturating_sub(bytes.len());
                bytes.extend_from_slice(&buffer[..n.min(room)]);
            }
            return Ok(BlobPrefix {
                bytes,
                size,
                sha256: hex::encode(hasher.finalize()),
                truncated: true,
            });
        }
        let object = self.odb.read(id)?;
        let data = object.data();
        hasher.update(data);
        let bytes = data[..data.len().min(max)].to_vec();
        Ok(BlobPrefix {
            bytes,
            size,
            sha256: hex::encode(hasher.finalize()),
            truncated: data.len() > max,
        })
    }

    /// A root licence or notice file, or a nested licence file: read it, or say why not.
    fn license_file(&mut self, path: &str, kind: EntryKind, id: Oid, source: SourceKind) {
        match kind {
            EntryKind::Link => match self.resolve_link(path, id) {
                Ok((kind, id)) if kind != EntryKind::Link => {
                    self.license_file(path, kind, id, source)
                }
                Ok(_) => self.skip(
                    path,
                    "symbolic link through more links than are followed".to_owned(),
                ),
                Err(reason) => self.skip(path, reason),
            },
            EntryKind::Folder => {
                let entries = self.repo.find_tree(id).map(|tree| tree.len()).unwrap_or(0);
                self.skip(path, format!("a folder ({entries} entries), not a file"));
            }
            EntryKind::Submodule => {
                self.skip(
                    path,
                    format!(
                        "a submodule (gitlink to commit {id}): its files are not in this repository"
                    ),
                );
            }
            EntryKind::File => {
                if let Some(text) = self.text_blob(path, id) {
                    let (text, blob) = text;
                    self.discovery.candidates.push(Candidate {
                        path: path.to_owned(),
                        kind: source,
                        text,
                        first_line: 1,
                        sha256: blob.sha256,
                        truncated: blob.truncated,
                    });
                }
            }
        }
    }

    /// Follow a symbolic link at `path` (blob `id`) to what it names, through at most eight links, when every
    /// step stays inside the tree: `src/LICENSE` → `../LICENSE` is the root's licence read again. A link that
    /// leaves the tree (`/etc/…`, `../../x` from one folder down) or names nothing is not followed; the reason
    /// says why.
    fn resolve_link(&self, path: &str, mut id: Oid) -> Result<(EntryKind, Oid), String> {
        let mut at = path.to_owned();
        for _ in 0..8 {
            let target = self
                .read_blob(id, 4096)
                .map(|blob| String::from_utf8_lossy(&blob.bytes).into_owned())
                .map_err(|_| "symbolic link to an unreadable target: not followed".to_owned())?;
            let Some(resolved) = resolve_link_target(&at, &target) else {
                return Err(format!(
                    "symbolic link to `{target}`, outside the repository: not followed"
                ));
            };
            let entry = self
                .root
                .get_path(Path::new(&resolved))
                .map_err(|_| format!("symbolic link to `{target}`, which is not in the tree"))?;
            let kind = entry_kind(entry.filemode())
                .ok_or_else(|| format!("symbolic link to `{target}`: an unknown kind of entry"))?;
            if kind != EntryKind::Link {
                return Ok((kind, entry.id()));
            }
            at = resolved;
            id = entry.id();
        }
        Ok((EntryKind::Link, id))
    }

    /// Read the files manifests point to that were not already read under a licence-like name
    /// (`"license": "SEE LICENSE IN TERMS.md"`, `license-file = "legal/terms.txt"`).
    fn pointed_files(&mut self, root: &git2::Tree<'r>) {
        for file in std::mem::take(&mut self.pointed) {
            let path = file.trim_start_matches("./").to_owned();
            let known = self.discovery.candidates.iter().any(|c| c.path == path)
                || self.discovery.skipped.iter().any(|s| s.path == path);
            if known || path.split('/').any(|part| part == ".." || part.is_empty()) {
                continue;
            }
            let Ok(entry) = root.get_path(Path::new(&path)) else {
                self.skip(&path, POINTED_MISSING.to_owned());
                continue;
            };
            if let Some(kind) = entry_kind(entry.filemode()) {
                self.license_file(&path, kind, entry.id(), SourceKind::LicenseFile);
            }
        }
    }

    /// Read a blob as text, or record why it cannot be (missing, empty, binary) and give `None`.
    fn text_blob(&mut self, path: &str, id: Oid) -> Option<(String, BlobPrefix)> {
        let blob = match self.read_blob(id, self.limits.max_blob_bytes) {
            Ok(blob) => blob,
            Err(error) => {
                self.skip(
                    path,
                    format!("not read: blob {id} is {}", object_state(&error)),
                );
                return None;
            }
        };
        if blob.size == 0 {
            self.skip(path, "empty file (0 bytes)".to_owned());
            return None;
        }
        if let Some(offset) = binary_offset(&blob.bytes) {
            self.skip(
                path,
                format!(
                    "binary file ({} bytes, NUL byte at offset {offset}): not read as text",
                    blob.size
                ),
            );
            return None;
        }
        let text = decode_text(&blob.bytes);
        if text.trim().is_empty() {
            self.skip(path, format!("holds only whitespace ({} bytes)", blob.size));
            return None;
        }
        Some((text, blob))
    }

    /// REUSE: each `LICENSES/<id>.txt` is the text of the licence `<id>`.
    fn reuse_folder(&mut self, folder: &str, id: Oid) {
        let tree = match self.repo.find_tree(id) {
            Ok(tree) => tree,
            Err(error) => {
                self.skip(
                    folder,
                    format!("folder not read: tree {id} is {}", object_state(&error)),
                );
                return;
            }
        };
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
            if !name.to_ascii_lowercase().ends_with(".txt") {
                continue;
            }
            let path = format!("{folder}/{name}");
            if let Some(kind) = entry_kind(entry.filemode()) {
                self.license_file(&path, kind, entry.id(), SourceKind::ReuseLicense);
            }
        }
    }

    fn manifest(&mut self, path: &str, name: &str, id: Oid) {
        let Some((text, blob)) = self.text_blob(path, id) else {
            return;
        };
        let mut seen: Vec<String> = Vec::new();
        let declarations = manifest::declared_license(name, &text);
        if !declarations.is_empty()
            && let Some(reason) = manifest::generator_default(name, &text)
        {
            // A tool's default, not the owner's choice: weak evidence that needs a person unless a licence
            // text or statement for the same files is relied on instead (see `claims`).
            self.discovery.tool_defaults.push(Skipped {
                path: path.to_owned(),
                reason,
            });
        }
        let folder = path.rsplit_once('/').map(|(folder, _)| folder);
        for declared in declarations {
            if let Some(file) = &declared.file {
                // A sub-package's manifest names its licence file relative to its own folder.
                let file = match folder {
                    Some(folder) => format!("{folder}/{}", file.trim_start_matches("./")),
                    None => file.clone(),
                };
                if !self.pointed.contains(&file) {
                    self.pointed.push(file);
                }
            }
            if declared.expression.is_none() && declared.file.is_some() {
                // Only a pointer to the licence file: that file is read as a licence file instead.
                continue;
            }
            let text = declared.expression.unwrap_or(declared.raw);
            if seen.contains(&text) {
                continue;
            }
            seen.push(text.clone());
            self.discovery.candidates.push(Candidate {
                path: path.to_owned(),
                kind: SourceKind::Manifest,
                text,
                first_line: declared.line,
                sha256: blob.sha256.clone(),
                truncated: blob.truncated,
            });
        }
    }

    fn readme(&mut self, name: &str, id: Oid) {
        let Some((text, blob)) = self.text_blob(name, id) else {
            return;
        };
        let total_lines = text.lines().count();
        if let Some((line, placeholder)) = template_readme(&text) {
            self.skip(
                name,
                format!(
                    "a template README (placeholders such as {placeholder} at line {line}): its licence section is written for projects made from it"
                ),
            );
        }
        for section in readme_sections(name, &text) {
            let last_line = section.first_line + section.text.lines().count().saturating_sub(1);
            self.discovery.candidates.push(Candidate {
                path: name.to_owned(),
                kind: SourceKind::Readme,
                text: section.text,
                first_line: section.first_line,
                sha256: blob.sha256.clone(),
                truncated: blob.truncated && last_line >= total_lines,
            });
        }
    }

    /// Read the head of a source file for `SPDX-License-Identifier:` lines. Returns whether the file was read.
    /// What a blob holds is kept by blob id: another ref sharing the file does not read it again.
    fn scan_headers(&mut self, path: &str, name: &str, id: Oid) -> bool {
        let markdown = name.to_ascii_lowercase().ends_with(".md");
        let lines = match self.header_cache.seen.get(&id) {
            Some(known) if !markdown => known.clone(),
            _ => {
                let read = self.header_lines(id, markdown);
                if !markdown {
                    self.header_cache.seen.insert(id, read.clone());
                }
                read
            }
        };
        let Some(lines) = lines else {
            return false;
        };
        for (line, expression) in lines {
            if !self.headers.iter().any(|hit| hit.expression == expression) {
                let path = path.to_owned();
                self.headers.push(HeaderHit {
                    expression,
                    path,
                    line,
                    blob: id,
                });
            }
        }
        true
    }

    /// The `SPDX-License-Identifier:` lines at the head of a blob; `None` when it was not read (empty, too
    /// big, unreadable), an empty list for a binary file.
    fn header_lines(&self, id: Oid, markdown: bool) -> Option<Vec<(usize, String)>> {
        let (size, _) = self.odb.read_header(id).ok()?;
        if size == 0 || size > self.limits.max_blob_bytes {
            return None;
        }
        let blob = self.read_prefix(id, size).ok()?;
        if binary_offset(&blob).is_some() {
            return Some(Vec::new());
        }
        Some(spdx_header_lines(&decode_text(&blob), markdown))
    }

    /// The first `max_header_bytes` of a blob of `size` bytes, without hashing.
    fn read_prefix(&self, id: Oid, size: usize) -> Result<Vec<u8>, git2::Error> {
        let max = self.limits.max_header_bytes;
        if size > max
            && let Ok((mut stream, _, _)) = self.odb.reader(id)
        {
            let mut bytes = vec![0u8; max];
            let mut filled = 0;
            while filled < max {
                let n = stream
                    .read(&mut bytes[filled..])
                    .map_err(|e| git2::Error::from_str(&e.to_string()))?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            bytes.truncate(filled);
            return Ok(bytes);
        }
        let object = self.odb.read(id)?;
        Ok(object.data()[..object.data().len().min(max)].to_vec())
    }
}

/// Folders that are entered neither for the repository's files nor as vendored code: generators' copies of
/// the repository's own pages (`_build`, `_site`), caches, and collections of licence texts named after
/// licences rather than holding terms of their own (`licenses/`).
fn is_copy_or_collection(name: &str) -> bool {
    matches!(
        name,
        "_build" | "_site" | "__pycache__" | ".tox" | "target" | "licenses" | "licences"
    )
}

/// Whether a folder holds source code or bundled assets (scripts, styles, fonts) directly.
fn holds_code(tree: &git2::Tree<'_>) -> bool {
    const CODE: &[&str] = &[
        "js", "mjs", "cjs", "ts", "jsx", "tsx", "vue", "css", "scss", "less", "py", "rb", "php",
        "java", "kt", "go", "rs", "c", "h", "cpp", "cs", "swift", "wasm", "woff", "woff2", "ttf",
        "otf", "eot",
    ];
    tree.iter().any(|entry| {
        let name = String::from_utf8_lossy(entry.name_bytes()).to_ascii_lowercase();
        name.rsplit_once('.')
            .is_some_and(|(_, extension)| CODE.contains(&extension))
    })
}

/// The root-relative path a symbolic link at `link` with `target` names, or `None` when the target is absolute
/// or climbs out of the tree. Pure.
pub fn resolve_link_target(link: &str, target: &str) -> Option<String> {
    let target = target.trim_end_matches(['\n', '\r']);
    if target.is_empty() || target.starts_with('/') || target.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn kind_order(kind: SourceKind) -> u8 {
    match kind {
        SourceKind::LicenseFile => 0,
        SourceKind::NoticeFile => 1,
        SourceKind::ReuseLicense => 2,
        SourceKind::NestedLicenseFile => 3,
        SourceKind::SpdxHeader => 4,
        SourceKind::Manifest => 5,
        SourceKind::Readme => 6,
        SourceKind::DocumentationPage => 7,
        SourceKind::VendoredLicenseFile => 8,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Pure decisions

/// Extensions a licence file may carry and still be a licence file; stripped before the name is judged.
const TEXT_EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "rst", "org", "html", "htm", "adoc", "asciidoc",
];

/// Extensions that make a licence-like name something else (`license.py`, `copyright.json`): the file is code
/// (a programming, build or configuration language: `gradle/license.gradle` configures a licence plugin and
/// names licences it checks for), data or media, never a licence text.
const NOT_LICENSE_EXTENSIONS: &[&str] = &[
    // programming languages
    "py",
    "js",
    "mjs",
    "cjs",
    "ts",
    "mts",
    "cts",
    "tsx",
    "jsx",
    "sh",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "psm1",
    "bat",
    "cmd",
    "rb",
    "go",
    "rs",
    "java",
    "kt",
    "kts",
    "groovy",
    "scala",
    "clj",
    "cljs",
    "cs",
    "fs",
    "vb",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "m",
    "mm",
    "swift",
    "dart",
    "php",
    "pl",
    "pm",
    "r",
    "jl",
    "lua",
    "ex",
    "exs",
    "erl",
    "hs",
    "ml",
    "el",
    "vue",
    "svelte",
    // build and configuration languages
    "gradle",
    "sbt",
    "mk",
    "cmake",
    "bzl",
    "gemspec",
    "podspec",
    "csproj",
    "props",
    "targets",
    "properties",
    "tf",
    "hcl",
    "json",
    "yml",
    "yaml",
    "toml",
    "xml",
    "cfg",
    "ini",
    "conf",
    "in",
    "lock",
    // templates, styles, notebooks, queries
    "tmpl",
    "j2",
    "jinja",
    "njk",
    "hbs",
    "ejs",
    "erb",
    "haml",
    "css",
    "scss",
    "less",
    "ipynb",
    "sql",
    // data and media
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "ico",
    "csv",
];

/// The kind of a root file with this name, if it is a licence or notice file. Every rule of
/// [`licence_word_first_kind`] (`LICENSE`, `LICENCE.md`, `COPYING.LESSER`, `LICENSE-MIT`, `NOTICES`,
/// `COPYRIGHT`, `LEGAL`), and, for names with a text extension or none:
/// - a licence word after a prefix, or misspelt ([`is_licence_word_name`]): `APACHE-LICENSE-2.0.txt`,
///   `NHSD-LICENCE.md`, `LISENCE`;
/// - a licence's SPDX id or long name ([`is_licence_id_name`]): `Apache-2.0.txt`, `MIT.txt`,
///   `Open-Government-Licence.md`;
/// - an attribution or credits file (`ATTRIBUTIONS.md`, `CREDITS`): a notice file. `AUTHORS`,
///   `CONTRIBUTORS` and `ACKNOWLEDGEMENTS` are not: they list people and thanks, not terms.
pub fn root_file_kind(name: &str) -> Option<SourceKind> {
    static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(attributions?|credits)(?:[-_. ](.*))?$").expect("valid regex")
    });
    if let Some(kind) = licence_word_first_kind(name) {
        return Some(kind);
    }
    let (stem, extension) = split_extension(name);
    if extension == Extension::Other {
        return None;
    }
    let lower = stem.to_lowercase();
    if ATTRIBUTION.is_match(&lower) {
        return Some(SourceKind::NoticeFile);
    }
    (is_licence_word_name(name) || is_licence_id_name(name)).then_some(SourceKind::LicenseFile)
}

/// The names discovery has always read, with the licence word first: `LICENSE`, `LICENCE.md`,
/// `COPYING.LESSER`, `LICENSE-MIT`, `LICENCE-OGL.txt`, `UNLICENSE`, `NOTICES`, `COPYRIGHT`, `LEGAL`. The only
/// rule that also applies to folders: a folder so named (`LICENSE/`, `licence-standard/`) is reported as not
/// read, a folder named `apache2/` or `mit-tools/` is just a folder.
fn licence_word_first_kind(name: &str) -> Option<SourceKind> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(unlicen[cs]e|licen[cs]es?|licen[cs]ing|copying|legalcode|copyrights?|notices?|legal)(?:[-_. ](.*))?$")
            .expect("valid regex")
    });
    let lower = name.to_lowercase();
    let stem = match lower.rsplit_once('.') {
        Some((stem, extension)) if TEXT_EXTENSIONS.contains(&extension) => stem,
        _ => lower.as_str(),
    };
    let captures = NAME.captures(stem)?;
    if let Some(rest) = captures.get(2)
        && let Some((_, extension)) = rest.as_str().rsplit_once('.').or(Some(("", rest.as_str())))
        && NOT_LICENSE_EXTENSIONS.contains(&extension)
    {
        return None;
    }
    Some(match &captures[1] {
        "copyright" | "copyrights" | "notice" | "notices" | "legal" => SourceKind::NoticeFile,
        _ => SourceKind::LicenseFile,
    })
}

/// What follows the last dot of a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extension {
    /// One of [`TEXT_EXTENSIONS`].
    Text,
    /// No dot, or only a version after it (`GPL-3.0`, `APACHE-LICENSE-2.0`).
    None,
    /// Anything else: code (`mit.py`), data, media, or a name this module does not know.
    Other,
}

/// A file name's stem (as written) and what its extension is.
fn split_extension(name: &str) -> (&str, Extension) {
    match name.rsplit_once('.') {
        None => (name, Extension::None),
        Some((stem, extension)) => {
            let lower = extension.to_ascii_lowercase();
            if TEXT_EXTENSIONS.contains(&lower.as_str()) {
                (stem, Extension::Text)
            } else if !stem.is_empty() && extension.bytes().all(|b| b.is_ascii_digit()) {
                (name, Extension::None)
            } else {
                (name, Extension::Other)
            }
        }
    }
}

/// The lower-case words of a stem, split at `-`, `_`, `.` and spaces (`APACHE-LICENSE-2.0` → apache, license,
/// 2, 0).
fn name_tokens(stem: &str) -> Vec<String> {
    stem.to_lowercase()
        .split(['-', '_', '.', ' '])
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Words that make a name about licences rather than a licence: third-party and dependency lists (other
/// people's licences), contributor agreements, licence-checking tools, licence keys and servers.
const NOT_TERMS_WORDS: &[&str] = &[
    "third",
    "party",
    "thirdparty",
    "3rd",
    "3rdparty",
    "dependency",
    "dependencies",
    "deps",
    "vendor",
    "vendored",
    "bundled",
    "contributor",
    "contributors",
    "cla",
    "agreement",
    "agreements",
    "check",
    "checker",
    "checks",
    "checking",
    "key",
    "keys",
    "server",
    "manager",
    "plugin",
    "generator",
    "glossary",
];

/// Whether one word is "licence" in any spelling: licence, license, licences, licenses, licensing,
/// licencing, or a misspelling of one of them — one edit away (a letter added, dropped or changed, or two
/// neighbours swapped: `lisence`, `licesne`, `liscense`, `licecne`), at least six letters long, and not one
/// of the English words that are one edit away (`licensed`, `licensee`, `licenser`, `licenced`).
pub fn is_licence_word(word: &str) -> bool {
    const SPELLINGS: &[&str] = &[
        "licence",
        "license",
        "licences",
        "licenses",
        "licensing",
        "licencing",
    ];
    const REAL_WORDS: &[&str] = &[
        "licensed",
        "licenced",
        "licensee",
        "licencee",
        "licensees",
        "licencees",
        "licenser",
        "licensers",
    ];
    let word = word.to_lowercase();
    if SPELLINGS.contains(&word.as_str()) {
        return true;
    }
    word.chars().count() >= 6
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !REAL_WORDS.contains(&word.as_str())
        && SPELLINGS.iter().any(|spelling| {
            // One edit changes the length by at most one: most words need no distance at all.
            word.len().abs_diff(spelling.len()) <= 1 && edit_distance(&word, spelling) <= 1
        })
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of adjacent letters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// A licence word ([`is_licence_word`]) with at most three words before it and four after (version numbers
/// aside), none of them
/// [`NOT_TERMS_WORDS`], in a name with a text extension or none: `MIT-LICENSE`, `APACHE-LICENSE-2.0.txt`,
/// `NHSD-LICENCE.md`, `Open-Government-Licence.md`, `LICENCE-docs.md`, `license_mit.txt`, `LISENCE`,
/// `coding-licences.md`. Not `THIRD-PARTY-LICENSES`, `contributor-license-agreement.md`, `licensed.txt`.
pub fn is_licence_word_name(name: &str) -> bool {
    let (stem, extension) = split_extension(name);
    if extension == Extension::Other {
        return false;
    }
    let tokens = name_tokens(stem);
    let Some(at) = tokens.iter().position(|token| is_licence_word(token)) else {
        return false;
    };
    let words = |tokens: &[String]| {
        tokens
            .iter()
            .filter(|token| token.chars().any(char::is_alphabetic))
            .count()
    };
    words(&tokens[..at]) <= 3
        && words(&tokens[at + 1..]) <= 4
        && !tokens
            .iter()
            .any(|token| NOT_TERMS_WORDS.contains(&token.as_str()))
}

/// A root file named by its licence, with a text extension or none:
/// - an SPDX id (current or deprecated, any case) that carries a version or a qualifier — a digit or a hyphen:
///   `Apache-2.0.txt`, `GPL-3.0.txt`, `OGL-UK-3.0.md`, `CC-BY-4.0`, `BSD-3-Clause.md`, `MIT-0`;
/// - an SPDX id of capitals only, written exactly so: `MIT`, `MIT.txt`, `ISC`, `WTFPL.md` (but not `Mit.md`,
///   nor a bare word id like `PostgreSQL.md` or `curl.md`, more often notes about the software);
/// - one of the `spdx` crate's imprecise names, as the whole stem: `mit.txt`, `gplv3.md`, `apache2`, `bsd3`
///   — except `apache` and `zlib`, which name a web server and a library as often as a licence;
/// - a licence's long name from the SPDX list, versions and `only`/`or later` aside, `licence` read as
///   `license`: `MIT-License.md`, `GNU-Affero-General-Public-License.txt`,
///   `Creative-Commons-Attribution-4.0-International.md`.
///
/// Not `mit.py`, `gpl.js`, `MIT.pdf`. Only at the root: below it a file named after a licence is as often a
/// template, a test fixture or an entry of a collection as the folder's licence.
pub fn is_licence_id_name(name: &str) -> bool {
    static IDS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        spdx::identifiers::LICENSES
            .iter()
            .map(|license| (license.name.to_lowercase(), license.name))
            .collect()
    });
    static LONG_NAMES: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
        spdx::identifiers::LICENSES
            .iter()
            .map(|license| long_name_key(license.full_name))
            .filter(|key| key.contains(' '))
            .collect()
    });
    let (stem, extension) = split_extension(name);
    if extension == Extension::Other || stem.is_empty() {
        return false;
    }
    let lower = stem.to_lowercase();
    if let Some(id) = IDS
        .get(lower.trim_end_matches('+'))
        .or_else(|| IDS.get(&lower))
    {
        let qualified = id.bytes().any(|b| b.is_ascii_digit() || b == b'-');
        let capitals = id.bytes().all(|b| b.is_ascii_uppercase()) && stem == *id;
        if qualified || capitals {
            return true;
        }
    }
    if let Some((_, matched)) = spdx::imprecise_license_id(&lower)
        && matched == lower.len()
        && !["apache", "zlib"].contains(&lower.as_str())
    {
        return true;
    }
    let key = long_name_key(stem);
    key.contains(' ') && LONG_NAMES.contains(&key)
}

/// A long licence name reduced for comparison: lower case, words only, `licence` as `license`, without the
/// trailing version and `only` / `or later` (`Open Government Licence v3.0` → `open government license`).
fn long_name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| match word {
            "licence" => "license",
            "licences" => "licenses",
            other => other,
        })
        .collect();
    while let Some(last) = words.last() {
        let version = last.bytes().all(|b| b.is_ascii_digit())
            || (last.starts_with('v')
                && last.len() > 1
                && last[1..].bytes().all(|b| b.is_ascii_digit()));
        if version || ["only", "or", "later", "plus"].contains(last) {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// A README that is a template to fill in: three or more lines of its own prose holding placeholders such as
/// `{PROJECT NAME}` or `{{ cookiecutter.name }}`. Returns the first (1-based line, placeholder).
///
/// Code is not the README's own text: lines in fenced code blocks, inline code spans, and shell or
/// GitHub Actions expressions (`${DEPLOY_ENV}`, `${{ secrets.API_KEY }}`, a `{` right after a `$`) are
/// passed over — a README that shows how to set `{DEPLOY_ENV}` is not waiting for its own name.
pub fn template_readme(text: &str) -> Option<(usize, String)> {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{\{[^}]{1,60}\}\}|\{[A-Z][A-Z0-9 _-]{2,40}\}").expect("valid regex")
    });
    static INLINE_CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"``[^`]*``|`[^`]*`").expect("valid regex"));
    let mut fence: Option<&str> = None;
    let mut hits: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            continue;
        }
        let prose = INLINE_CODE.replace_all(line, "");
        let found = PLACEHOLDER.find_iter(&prose).find(|m| {
            // `${…}` and `${{ … }}` are expressions of a shell or a workflow, not blanks to fill in.
            !prose[..m.start()].ends_with('$')
        });
        if let Some(m) = found {
            hits.push((i + 1, m.as_str().to_string()));
        }
    }
    if hits.len() >= 3 {
        hits.into_iter().next()
    } else {
        None
    }
}

/// Whether a file below the root is a licence file: a name of [`licence_word_first_kind`] that is a licence
/// (notices and copyright files below the root are not read), or a licence word after a prefix or misspelt
/// ([`is_licence_word_name`]) that is not HTML — below the root, `fishing-licence.html` or
/// `apply-for-a-licence.html` is a page of a licensing service, not a licence.
pub fn is_nested_license_name(name: &str) -> bool {
    let html = name
        .rsplit_once('.')
        .is_some_and(|(_, extension)| ["html", "htm"].contains(&extension.to_lowercase().as_str()));
    licence_word_first_kind(name) == Some(SourceKind::LicenseFile)
        || (is_licence_word_name(name) && !html)
}

/// Folders that hold the repository's documentation, when they are the first folder of a path (a `docs/`
/// folder inside a package documents that package).
const DOCUMENTATION_FOLDERS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "sphinx",
    "site",
    "website",
    "wiki",
    "manual",
    "handbook",
    "guide",
    "guides",
    "book",
];

/// Whether `path` (root-relative, `/`-separated) is a licence, copyright or terms page of the repository's
/// documentation: below a top folder of [`DOCUMENTATION_FOLDERS`] (any case), with a text extension or none,
/// and a stem of at most five words of which one is a licence word ([`is_licence_word`]), `copying`,
/// `copyright(s)`, `terms`, `legal`, `legalcode` or `unlicense`, and none of [`NOT_TERMS_WORDS`]:
/// `docs/licence.md`, `sphinx/terms.rst`, `docs/about/licensing.md`, `doc/COPYING`, `docs/terms-of-use.md`,
/// `website/legal-notice.html`. Not `docs/NOTICE`, `docs/conf.py`, `docs/licence.js`,
/// `docs/third-party-licenses.md`, `src/docs/licence.md`.
pub fn is_documentation_page(path: &str) -> bool {
    const TERMS_WORDS: &[&str] = &[
        "copying",
        "copyright",
        "copyrights",
        "terms",
        "legal",
        "legalcode",
        "unlicense",
        "unlicence",
    ];
    let Some((top, _)) = path.split_once('/') else {
        return false;
    };
    if !DOCUMENTATION_FOLDERS.contains(&top.to_lowercase().as_str()) {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, extension) = split_extension(name);
    if extension == Extension::Other {
        return false;
    }
    let tokens = name_tokens(stem);
    tokens.len() <= 5
        && tokens
            .iter()
            .any(|token| TERMS_WORDS.contains(&token.as_str()) || is_licence_word(token))
        && !tokens
            .iter()
            .any(|token| NOT_TERMS_WORDS.contains(&token.as_str()))
}

/// Folders of other people's code, or generated output: their licence files and headers are not this
/// repository's.
fn is_vendored_folder(name: &str) -> bool {
    const VENDORED: &[&str] = &[
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "thirdparty",
        "3rdparty",
        "external",
        "extern",
        ".git",
        ".venv",
        "venv",
        "site-packages",
        "__pycache__",
        ".tox",
        "target",
        "dist",
        "build",
        "renv",
        "packrat",
        "Pods",
        "Carthage",
        // Documentation generators' output (Sphinx, Jekyll): copies of the pages in `docs/`.
        "_build",
        "_site",
        // Collections of licence texts (third-party notices, licence data): not this repository's licences.
        // REUSE's upper-case `LICENSES/` is read on its own terms before this check.
        "licenses",
        "licences",
    ];
    VENDORED.contains(&name)
}

/// Whether a file may carry an `SPDX-License-Identifier:` header worth reading (not media, archives, data).
fn may_carry_header(name: &str) -> bool {
    const SKIP: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff", "pdf", "zip", "gz",
        "tgz", "bz2", "xz", "7z", "jar", "war", "class", "so", "dll", "exe", "dylib", "a", "o",
        "bin", "dat", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "avi", "wav",
        "ogg", "psd", "xlsx", "xls", "docx", "doc", "pptx", "ppt", "odt", "ods", "parquet",
        "feather", "rds", "rdata", "rda", "sqlite", "db", "pkl", "h5", "npy", "npz", "csv", "tsv",
        "map", "lock",
    ];
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".min.js") || lower == "package-lock.json" {
        return false;
    }
    match lower.rsplit_once('.') {
        Some((_, extension)) => !SKIP.contains(&extension),
        None => true,
    }
}

/// The offset of the first NUL byte in the first 8000 bytes (git's own test for binary), unless the text is
/// UTF-16 with a byte-order mark.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let head = &bytes[..bytes.len().min(8000)];
    // `contains` on bytes is memchr: cheap on every scanned file; the position only when there is one.
    if head.contains(&0) {
        head.iter().position(|&b| b == 0)
    } else {
        None
    }
}

/// Decode a licence text: UTF-8 (without a BOM, and without a character cut by a bounded read), UTF-16 with a
/// BOM, else Windows-1252 (a superset of Latin-1 in which `©` is byte 0xA9).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        // Valid UTF-8 whose last character was cut by a bounded read.
        Err(error) if error.error_len().is_none() && bytes.len() - error.valid_up_to() < 4 => {
            String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned()
        }
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9F => {
            char::from_u32(HIGH[usize::from(byte - 0x80)]).unwrap_or(char::REPLACEMENT_CHARACTER)
        }
        _ => char::from(byte),
    }
}

/// `SPDX-License-Identifier:` lines written as a header (alone on the line after a comment marker), with their
/// 1-based line. In Markdown, fenced code blocks are examples, not headers, and are passed over.
pub fn spdx_header_lines(text: &str, markdown: bool) -> Vec<(usize, String)> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"^\s*(?:(?://+|#+|/\*+|\*+|<!--|--|;+|%+|\{-|\(\*|'|"|\.\.|!|REM\b|rem\b|dnl\b)\s*)?SPDX-License-Identifier:\s*(.*?)\s*(?:\*/|-->|-\}|\*\)|"|)\s*$"#,
        )
        .expect("valid regex")
    });
    let mut found = Vec::new();
    let mut fence: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        if markdown {
            let trimmed = line.trim_start();
            if let Some(open) = &fence {
                if trimmed.starts_with(open.as_str()) {
                    fence = None;
                }
                continue;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = Some(trimmed[..3].to_owned());
                continue;
            }
        }
        if !line.contains("SPDX-License-Identifier:") {
            continue;
        }
        if let Some(captures) = HEADER.captures(line) {
            let expression = captures[1].split_whitespace().collect::<Vec<_>>().join(" ");
            if !expression.is_empty() {
                found.push((index + 1, expression));
            }
        }
    }
    found
}

/// How much a README name is preferred (lower is better), or `None` if it is not a README.
fn readme_rank(name: &str) -> Option<u8> {
    match name.to_lowercase().as_str() {
        "readme.md" => Some(0),
        "readme.markdown" => Some(1),
        "readme.rst" => Some(2),
        "readme" => Some(3),
        "readme.txt" => Some(4),
        "readme.org" => Some(5),
        "readme.adoc" => Some(6),
        _ => None,
    }
}

/// A part of a README about licensing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadmeSection {
    /// 1-based line where the section (its heading, or the paragraph) starts.
    pub first_line: usize,
    pub text: String,
}

/// The licence sections of a README: each heading about licensing or copyright (not a contributor licence
/// agreement) with its body up to the next heading of the same or a higher level. A README with no such
/// heading gives instead its paragraphs that name a licence ("licensed under ... MIT", a licence URL) or state
/// a copyright.
/// A heading that is about the repository's licence as a whole ("Licence", "Copyright and License",
/// "Licensing"), not one that merely contains the word ("Licence data", "Licence classes", "Third-party licences"
/// count too little to be a statement about this repository).
pub fn is_license_heading(title: &str) -> bool {
    const WORDS: &[&str] = &[
        "licence",
        "license",
        "licences",
        "licenses",
        "licensing",
        "licencing",
        "copyright",
        "copyrights",
        "and",
        "the",
        "legal",
        "terms",
        "of",
        "use",
        "reuse",
        "re",
        "notice",
        "notices",
        "information",
        "info",
    ];
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect();
    !words.is_empty() && words.iter().all(|w| WORDS.contains(&w.as_str()))
}

pub fn readme_sections(file_name: &str, text: &str) -> Vec<ReadmeSection> {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(licen[cs]e[sd]?|licen[cs]ing|copyright)\b").expect("valid regex")
    });
    static NOT_TITLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)agreement|\bCLA\b|contributor").expect("valid regex"));
    let lines: Vec<&str> = text.lines().collect();
    let lower = file_name.to_lowercase();
    let headings = if lower.ends_with(".rst") {
        rst_headings(&lines)
    } else if lower.ends_with(".org") {
        org_headings(&lines)
    } else {
        markdown_headings(&lines)
    };
    let mut sections = Vec::new();
    let mut covered_until = 0;
    for (position, heading) in headings.iter().enumerate() {
        if heading.line < covered_until
            || !TITLE.is_match(&heading.title)
            || !is_license_heading(&heading.title)
            || NOT_TITLE.is_match(&heading.title)
        {
            continue;
        }
        let end = headings[position + 1..]
            .iter()
            .find(|next| next.level <= heading.level)
            .map_or(lines.len(), |next| next.start);
        covered_until = end;
        let body = trim_blank_end(&lines[heading.start..end]);
        sections.push(ReadmeSection {
            first_line: heading.start + 1,
            text: body.join("\n"),
        });
    }
    if sections.is_empty() {
        sections = licence_paragraphs(&lines, lower.ends_with(".rst"));
    }
    sections
}

fn trim_blank_end<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    &lines[..end]
}

#[derive(Debug)]
struct Heading {
    /// First line of the heading (an RST overline, or the title line), 0-based.
    start: usize,
    /// The title line, 0-based.
    line: usize,
    level: usize,
    title: String,
}

/// ATX (`## Licence`) and setext (`Licence` over `-------`) headings, outside fenced code and front matter.
fn markdown_headings(lines: &[&str]) -> Vec<Heading> {
    static ATX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$").expect("valid regex")
    });
    static SETEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}(=+|-+)[ \t]*$").expect("valid regex"));
    let mut headings = Vec::new();
    let mut fence: Option<String> = None;
    let mut index = 0;
    if lines.first().is_some_and(|l| l.trim() == "---") {
        index = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.trim(), "---" | "..."))
            .map_or(0, |i| i + 2);
    }
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            index += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_owned());
            index += 1;
            continue;
        }
        if let Some(captures) = ATX.captures(line) {
            let title = captures.get(2).map_or("", |m| m.as_str()).to_owned();
            headings.push(Heading {
                start: index,
                line: index,
                level: captures[1].len(),
                title,
            });
        } else if !line.trim().is_empty()
            && !line.starts_with("    ")
            && let Some(next) = lines.get(index + 1)
            && let Some(captures) = SETEXT.captures(next)
        {
            let level = if captures[1].starts_with('=') { 1 } else { 2 };
            headings.push(Heading {
                start: index,
                line: index,
                level,
                title: line.trim().to_owned(),
            });
            index += 2;
            continue;
        }
        index += 1;
    }
    headings
}

/// reStructuredText section titles: a title line underlined (and optionally overlined) by one punctuation
/// character; levels in order of first use of each style.
fn rst_headings(lines: &[&str]) -> Vec<Heading> {
    fn adornment(line: &str) -> Option<char> {
        let line = line.trim_end();
        let first = line.chars().next()?;
        let punctuation = "=-~^\"'`#*+:._!$%&,/;<>?@\\|";
        (line.chars().count() >= 2
            && punctuation.contains(first)
            && line.chars().all(|c| c == first))
        .then_some(first)
    }
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut headings = Vec::new();
    let mut index = 0;
    while index + 1 < lines.len() {
        let title = lines[index].trim();
        let under = adornment(lines[index + 1]);
        if title.is_empty() || adornment(lines[index]).is_some() || under.is_none() {
            index += 1;
            continue;
        }
        let character = under.expect("checked");
        if lines[index + 1].trim_end().chars().count() < title.chars().count() {
            index += 1;
            continue;
        }
        let overlined = index > 0 && adornment(lines[index - 1]) == Some(character);
        let style = (character, overlined);
        let level = match styles.iter().position(|s| *s == style) {
            Some(level) => level + 1,
            None => {
                styles.push(style);
                styles.len()
            }
        };
        let start = if overlined { index - 1 } else { index };
        headings.push(Heading {
            start,
            line: index,
            level,
            title: title.to_owned(),
        });
        index += 2;
    }
    headings
}

/// Org-mode headings: `* Title`, `** Title`.
fn org_headings(lines: &[&str]) -> Vec<Heading> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let stars = line.chars().take_while(|&c| c == '*').count();
            let rest = &line[stars..];
            (stars > 0 && rest.starts_with(' ')).then(|| Heading {
                start: index,
                line: index,
                level: stars,
                title: rest.trim().to_owned(),
            })
        })
        .collect()
}

/// Paragraphs (outside code) that name a licence or link to one, or state a copyright.
fn licence_paragraphs(lines: &[&str], rst: bool) -> Vec<ReadmeSection> {
    static LICENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)licen[cs]").expect("valid regex"));
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)https?://|\]\(|\b(MIT|Apache|[AL]?GPL|BSD|MPL|ISC|Unlicense|EUPL|Open Government|OGL|Creative Commons|CC[- ]BY|CC0)\b")
            .expect("valid regex")
    });
    static AGREEMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)licen[cs]e agreements?").expect("valid regex"));
    static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)©|&copy;|\(c\)|\bcopyright\b|all rights reserved").expect("valid regex")
    });
    let mut sections = Vec::new();
    let mut fence = false;
    let mut paragraph: Vec<(usize, &str)> = Vec::new();
    let mut flush = |paragraph: &mut Vec<(usize, &str)>| {
        if let Some(&(first, _)) = paragraph.first() {
            let text = paragraph
                .iter()
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n");
            // "Contributor Licence Agreement" names no licence of the repository.
            let without_agreements = AGREEMENT.replace_all(&text, "");
            let names_licence =
                LICENCE.is_match(&without_agreements) && NAMED.is_match(&without_agreements);
            if names_licence || COPYRIGHT.is_match(&text) {
                sections.push(ReadmeSection {
                    first_line: first + 1,
                    text,
                });
            }
        }
        paragraph.clear();
    };
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !rst && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            flush(&mut paragraph);
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if line.trim().is_empty() || (!rst && trimmed.starts_with('#')) {
            // A blank line or a Markdown heading ends a paragraph; the heading is not part of the next.
            flush(&mut paragraph);
        } else {
            paragraph.push((index, line));
        }
    }
    flush(&mut paragraph);
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! corpus {
        ($file:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/", $file))
        };
    }

    #[test]
    fn root_file_names() {
        use SourceKind::{LicenseFile, NoticeFile};
        let cases: &[(&str, Option<SourceKind>)] = &[
            ("LICENSE", Some(LicenseFile)),
            ("LICENCE", Some(LicenseFile)),
            ("licence.md", Some(LicenseFile)),
            ("License.txt", Some(LicenseFile)),
            ("LICENSE.rst", Some(LicenseFile)),
            ("LICENSE.html", Some(LicenseFile)),
            ("LICENSE-MIT", Some(LicenseFile)),
            ("LICENCE-OGL.txt", Some(LicenseFile)),
            ("LICENSE_APACHE", Some(LicenseFile)),
            ("LICENSE.APACHE2", Some(LicenseFile)),
            ("LICENSES", Some(LicenseFile)),
            ("COPYING", Some(LicenseFile)),
            ("COPYING.LESSER", Some(LicenseFile)),
            ("UNLICENSE", Some(LicenseFile)),
            ("legalcode.txt", Some(LicenseFile)),
            ("LICENSE.pdf", Some(LicenseFile)),
            ("NOTICE", Some(NoticeFile)),
            ("NOTICES.md", Some(NoticeFile)),
            ("COPYRIGHT", Some(NoticeFile)),
            ("copyright.txt", Some(NoticeFile)),
            ("LEGAL", Some(NoticeFile)),
            ("license.py", None),
            ("licenses.json", None),
            ("license-checker.js", None),
            ("LICENSEE", None),
            ("licensed.md", None),
            ("README.md", None),
            ("copyleft.txt", None),
            ("noticeboard.md", None),
        ];
        for (name, expected) in cases {
            assert_eq!(root_file_kind(name), *expected, "{name}");
        }
        assert!(is_nested_license_name("LICENSE.md") && !is_nested_license_name("NOTICE"));
    }

    #[test]
    fn root_names_with_a_licence_word_after_a_prefix_or_before_a_suffix() {
        use SourceKind::LicenseFile;
        let cases: &[(&str, Option<SourceKind>)] = &[
            ("APACHE-LICENSE-2.0.txt", Some(LicenseFile)),
            ("MIT-LICENSE", Some(LicenseFile)),
            ("MIT-LICENSE.txt", Some(LicenseFile)),
            ("NHSD-LICENCE.md", Some(LicenseFile)),
            ("OGL-LICENCE.md", Some(LicenseFile)),
            ("CC-BY-4.0-LICENSE.md", Some(LicenseFile)),
            ("Open-Government-Licence.md", Some(LicenseFile)),
            ("docs_licence.md", Some(LicenseFile)),
            ("LICENCE-docs.md", Some(LicenseFile)),
            ("license_mit.txt", Some(LicenseFile)),
            ("Licence_OGL.md", Some(LicenseFile)),
            ("LICENSE-APACHE-2.0", Some(LicenseFile)),
            ("coding-licences.md", Some(LicenseFile)),
            // Code, data, or a name with no text extension known here.
            ("mit-license.py", None),
            ("update-license.sh", None),
            ("gen_licence.rb", None),
            ("mit-license.rdoc", None),
            // Other people's licences, agreements and tools are not this repository's licence.
            ("THIRD-PARTY-LICENSES", None),
            ("third_party_licenses.md", None),
            ("dependency-licences.txt", None),
            ("contributor-license-agreement.md", None),
            ("individual-cla-license.md", None),
            ("api-license-key.txt", None),
            // Too many words before the licence word: a sentence, not a name.
            ("how-we-choose-a-licence.md", None),
            ("sublicense.txt", None),
            ("relicensed.md", None),
        ];
        for (name, expected) in cases {
            assert_eq!(root_file_kind(name), *expected, "{name}");
        }
    }

    #[test]
    fn root_names_that_are_a_licence_id_or_long_name() {
        use SourceKind::LicenseFile;
        let cases: &[(&str, Option<SourceKind>)] = &[
            ("Apache-2.0.txt", Some(LicenseFile)),
            ("Apache-2.0", Some(LicenseFile)),
            ("apache-2.0.md", Some(LicenseFile)),
            ("MIT.txt", Some(LicenseFile)),
            ("MIT", Some(LicenseFile)),
            ("MIT.md", Some(LicenseFile)),
            ("mit.txt", Some(LicenseFile)),
            ("GPL-3.0.txt", Some(LicenseFile)),
            ("GPL-3.0-or-later.md", Some(LicenseFile)),
            ("gplv3.md", Some(LicenseFile)),
            ("apache2", Some(LicenseFile)),
            ("OGL-UK-3.0.md", Some(LicenseFile)),
            ("CC-BY-4.0", Some(LicenseFile)),
            ("CC0-1.0.txt", Some(LicenseFile)),
            ("BSD-3-Clause.md", Some(LicenseFile)),
            ("MPL-2.0.html", Some(LicenseFile)),
            ("ISC", Some(LicenseFile)),
            ("WTFPL.txt", Some(LicenseFile)),
            ("MIT-License.md", Some(LicenseFile)),
            ("UNLICENSE.txt", Some(LicenseFile)),
            ("Open-Government-Licence.md", Some(LicenseFile)),
            ("GNU-Affero-General-Public-License.txt", Some(LicenseFile)),
            (
                "Creative-Commons-Attribution-4.0-International.md",
                Some(LicenseFile),
            ),
            // Code, data and documents named after a licence are not licence files.
            ("mit.py", None),
            ("gpl.js", None),
            ("MIT.json", None),
            ("Apache-2.0.yaml", None),
            ("MIT.pdf", None),
            // Bare word ids and software names: more often notes about the software.
            ("PostgreSQL.md", None),
            ("curl.md", None),
            ("apache.md", None),
            ("zlib.txt", None),
            ("Isc.md", None),
            // Imprecise names only as the whole stem.
            ("mitigation.md", None),
            ("gplot.md", None),
            ("bsdiff.txt", None),
            ("Creative-Commons.md", None),
        ];
        for (name, expected) in cases {
            assert_eq!(root_file_kind(name), *expected, "{name}");
        }
        // Not below the root, where a file named after a licence is a template or a fixture as often as not.
        assert!(!is_nested_license_name("MIT.txt") && !is_nested_license_name("Apache-2.0"));
        assert!(is_nested_license_name("MIT-LICENSE") && is_nested_license_name("LISENCE.md"));
        assert!(
            !is_nested_license_name("fishing-licence.html")
                && is_nested_license_name("LICENCE.html")
                && root_file_kind("MIT-LICENSE.html") == Some(LicenseFile)
        );
    }

    #[test]
    fn misspelt_licence_words_are_one_edit_away_and_not_english_words() {
        for yes in [
            "LISENCE",
            "LICESNE",
            "LICNESE",
            "LICENES",
            "LISCENSE",
            "LICSENSE",
            "LICENSCE",
            "LICECNE",
            "LIECENSE",
            "LICENE",
            "LICNECE",
            "LISCENCE",
            "lisences",
            "licencing",
        ] {
            assert!(is_licence_word(yes), "{yes}");
            assert_eq!(
                root_file_kind(&format!("{yes}.md")),
                Some(SourceKind::LicenseFile),
                "{yes}.md"
            );
        }
        for no in [
            "licensed",
            "licenced",
            "licensee",
            "licensees",
            "licenser",
            "licensor",
            "silence",
            "silences",
            "lichen",
            "lichens",
            "incense",
            "licit",
            "lice",
            "lines",
            "science",
            "likens",
            "license2",
        ] {
            assert!(!is_licence_word(no), "{no}");
        }
        for no in [
            "licensed.txt",
            "silence.md",
            "lichen.md",
            "incense.md",
            "licensee.md",
            "licensor.txt",
        ] {
            assert_eq!(root_file_kind(no), None, "{no}");
        }
        assert_eq!(edit_distance("licesne", "license"), 1);
        assert_eq!(edit_distance("silence", "licence"), 2);
        assert_eq!(edit_distance("lichen", "licence"), 3);
    }

    #[test]
    fn attribution_and_credits_files_are_notices_but_authors_lists_are_not() {
        use SourceKind::NoticeFile;
        let cases: &[(&str, Option<SourceKind>)] = &[
            ("ATTRIBUTION", Some(NoticeFile)),
            ("ATTRIBUTIONS.md", Some(NoticeFile)),
            ("attribution.txt", Some(NoticeFile)),
            ("CREDITS", Some(NoticeFile)),
            ("Credits.md", Some(NoticeFile)),
            ("AUTHORS", None),
            ("AUTHORS.md", None),
            ("CONTRIBUTORS.md", None),
            ("ACKNOWLEDGEMENTS.md", None),
            ("attribution.py", None),
            ("credits.json", None),
            ("creditscore.md", None),
        ];
        for (name, expected) in cases {
            assert_eq!(root_file_kind(name), *expected, "{name}");
        }
        // Notices below the root are not read, and so neither are attributions.
        assert!(!is_nested_license_name("ATTRIBUTION.md"));
    }

    #[test]
    fn licence_copyright_and_terms_pages_in_documentation_folders() {
        for yes in [
            "docs/licence.md",
            "docs/license.rst",
            "sphinx/terms.rst",
            "docs/copyright.md",
            "docs/legal.md",
            "docs/about/licensing.md",
            "doc/COPYING",
            "docs/LICENSE",
            "Docs/Licence.md",
            "documentation/terms-of-use.md",
            "docs/source/licence.rst",
            "site/content/copyright-and-licence.md",
            "website/legal-notice.html",
            "docs/terms_and_conditions.txt",
            "wiki/Licensing.md",
            "docs/LISENCE.md",
            "docs/adr/0005-licence.md",
        ] {
            assert!(is_documentation_page(yes), "{yes}");
        }
        for no in [
            // Not in the repository's documentation folder.
            "licence.md",
            "src/docs/licence.md",
            "src/development/coding-licences.md",
            "packages/site/licence.md",
            // Not a terms page.
            "docs/NOTICE",
            "docs/index.md",
            "docs/credits.md",
            "docs/glossary-of-terms.md",
            "docs/third-party-licenses.md",
            "docs/contributor-license-agreement.md",
            "docs/licensed-data.md",
            "docs/silence.md",
            // Code and data.
            "docs/conf.py",
            "docs/licence.js",
            "docs/_static/copyright.css",
            "site/terms.json",
            // A sentence, not a page name.
            "docs/how-to-pick-an-open-source-licence.md",
        ] {
            assert!(!is_documentation_page(no), "{no}");
        }
    }

    #[test]
    fn template_readmes_are_told_by_their_placeholders() {
        let template =
            "# {PROJECT NAME}\n\nHolds code for {PROJECT NAME}.\n\n{DESCRIPTION OF CODE}\n";
        assert_eq!(
            template_readme(template),
            Some((1, "{PROJECT NAME}".to_string()))
        );
        assert_eq!(template_readme("# Tool\n\nUse `{x}` and {Foo}.\n"), None);
    }

    #[test]
    fn text_decoding() {
        let cases: &[(&[u8], &str)] = &[
            (b"plain", "plain"),
            (b"\xEF\xBB\xBFwith BOM \xC2\xA9", "with BOM ©"),
            (b"Latin-1 \xA9 2021", "Latin-1 © 2021"),
            (
                b"Windows-1252 \x93quoted\x94 \x80",
                "Windows-1252 “quoted” €",
            ),
            // A UTF-8 character cut by a bounded read is dropped, not turned into Latin-1 mojibake.
            (b"cut \xC2\xA9 \xE2\x80", "cut © "),
            (b"\xFF\xFEU\x00T\x00F\x00-\x001\x006\x00", "UTF-16"),
            (b"\xFE\xFF\x00B\x00E", "BE"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(decode_text(bytes), *expected, "{bytes:?}");
        }
    }

    #[test]
    fn binary_means_a_nul_in_the_first_8000_bytes_except_utf16() {
        assert_eq!(binary_offset(b"abc\0def"), Some(3));
        assert_eq!(binary_offset(b"\xFF\xFEa\0"), None);
        let mut late = vec![b'a'; 9000];
        late[8500] = 0;
        assert_eq!(binary_offset(&late), None);
    }

    #[test]
    fn spdx_header_lines_in_comment_forms() {
        let text = "\
// SPDX-License-Identifier: MIT
# SPDX-License-Identifier: Apache-2.0
/* SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note */
<!-- SPDX-License-Identifier: CC-BY-4.0 -->
 * SPDX-License-Identifier: OGL-UK-3.0
-- SPDX-License-Identifier: BSD-3-Clause
SPDX-License-Identifier: ISC
let s = \"SPDX-License-Identifier: GPL-3.0-only\";
// SPDX-License-Identifier:
";
        assert_eq!(
            spdx_header_lines(text, false),
            vec![
                (1, "MIT".to_owned()),
                (2, "Apache-2.0".to_owned()),
                (3, "GPL-2.0-or-later WITH Linux-syscall-note".to_owned()),
                (4, "CC-BY-4.0".to_owned()),
                (5, "OGL-UK-3.0".to_owned()),
                (6, "BSD-3-Clause".to_owned()),
                (7, "ISC".to_owned()),
            ]
        );
        let markdown = "<!-- SPDX-License-Identifier: MIT -->\n```\n// SPDX-License-Identifier: Apache-2.0\n```\n";
        assert_eq!(
            spdx_header_lines(markdown, true),
            vec![(1, "MIT".to_owned())]
        );
    }

    fn first_lines(file_name: &str, text: &str) -> Vec<(usize, String)> {
        readme_sections(file_name, text)
            .into_iter()
            .map(|s| {
                (
                    s.first_line,
                    s.text.lines().next().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// (case, README text, [(first line, first line of text)], lines in the first section)
    type ReadmeCase<'a> = (&'a str, &'a str, Vec<(usize, &'a str)>, usize);

    #[test]
    fn readme_sections_of_corpus_readmes() {
        let cases: Vec<ReadmeCase<'_>> = vec![
            // (case, text, [(first line, heading)], lines in the first section)
            (
                "032",
                corpus!("032-defra-water-import-readme-ogl.md"),
                vec![(25, "## License")],
                15,
            ),
            (
                "033",
                corpus!("033-hmrc-vat-api-readme-apache.md"),
                vec![(7, "### License")],
                3,
            ),
            (
                "034",
                corpus!("034-nhse-performance-grid-readme-mit-ogl.md"),
                vec![(28, "## License")],
                6,
            ),
            (
                "036",
                corpus!("036-nhsx-aif-readme-dual-mit-or-ogl.md"),
                vec![(58, "## Copyright and License")],
                5,
            ),
            (
                "037",
                corpus!("037-os-api-branding-readme-ogl-covers-logos.md"),
                vec![(71, "## Licence")],
                5,
            ),
            // No licence heading: the paragraph with the copyright line, not the title above it.
            (
                "040",
                corpus!("040-clml-schema-readme-crown-notice-only.md"),
                vec![(
                    3,
                    "The schemas provided are intended to describe UK Legislation.",
                )],
                2,
            ),
            // "Contributors Licence Agreement" is neither a licence section nor a licence statement.
            (
                "041",
                corpus!("041-jules-readme-cla-no-licence.md"),
                vec![],
                0,
            ),
            ("039", corpus!("039-gpg-readme-no-licence.md"), vec![], 0),
        ];
        for (case, text, expected, length) in cases {
            let sections = readme_sections("README.md", text);
            let expected: Vec<(usize, String)> = expected
                .into_iter()
                .map(|(l, h)| (l, h.to_owned()))
                .collect();
            assert_eq!(first_lines("README.md", text), expected, "case {case}");
            if let Some(first) = sections.first() {
                assert_eq!(
                    first.text.lines().count(),
                    length,
                    "case {case}: {}",
                    first.text
                );
            }
        }
    }

    #[test]
    fn readme_section_ends_at_a_heading_of_the_same_or_higher_level() {
        let text =
            "# Tool\n\n## Licence\n\nMIT.\n\n### Documentation\n\nOGL v3.\n\n## Contact\n\nus\n";
        assert_eq!(
            readme_sections("README.md", text),
            vec![ReadmeSection {
                first_line: 3,
                text: "## Licence\n\nMIT.\n\n### Documentation\n\nOGL v3.".to_owned()
            }]
        );
        let setext = "Tool\n====\n\nLicense\n-------\nApache-2.0\n\nUsage\n-----\nrun it\n";
        assert_eq!(
            first_lines("README.md", setext),
            vec![(4, "License".to_owned())]
        );
        let front_matter = "---\ntitle: x\nlayout: y\n---\n# Copyright\n© Crown copyright\n";
        assert_eq!(
            first_lines("README.md", front_matter),
            vec![(5, "# Copyright".to_owned())]
        );
        let fenced = "```\n# License\n```\n\nNothing here.\n";
        assert_eq!(first_lines("README.md", fenced), vec![]);
    }

    #[test]
    fn only_headings_about_the_licence_as_a_whole_open_a_section() {
        for yes in [
            "License",
            "## Licence",
            "Copyright and License",
            "Licence & copyright",
            "1. Licensing",
            "LICENSE 📄",
            "Legal",
        ] {
            assert!(is_license_heading(yes), "{yes}");
        }
        for no in [
            "Licence data",
            "Licence classes",
            "Third-party licences",
            "Contributor Licence Agreement",
            "Usage",
            "",
        ] {
            assert!(!is_license_heading(no), "{no}");
        }
    }

    #[test]
    fn readme_sections_in_rst_and_org() {
        let rst = "=====\nTitle\n=====\n\nUsage\n-----\nrun\n\nLicence\n-------\nOGL v3.0\n\nNotes\n-----\nend\n";
        assert_eq!(
            readme_sections("README.rst", rst),
            vec![ReadmeSection {
                first_line: 9,
                text: "Licence\n-------\nOGL v3.0".to_owned()
            }]
        );
        let org = "* Tool\n** Licence\nMIT\n** Usage\nrun\n";
        assert_eq!(
            readme_sections("README.org", org),
            vec![ReadmeSection {
                first_line: 2,
                text: "** Licence\nMIT".to_owned()
            }]
        );
    }

    #[test]
    fn fallback_branch_choice() {
        let id = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        let label = Path::new("/mirrors/x.git");
        let branches = |names: &[&str]| -> Vec<(String, Oid)> {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| ((*n).to_owned(), id(i as u8)))
                .collect()
        };
        let tip =
            |names: &[&str]| fallback_tip(label, "HEAD is missing".to_owned(), branches(names));
        assert_eq!(
            tip(&["dev", "main", "master"]).unwrap().branch.as_deref(),
            Some("main")
        );
        assert_eq!(
            tip(&["dev", "master"]).unwrap().branch.as_deref(),
            Some("master")
        );
        assert_eq!(
            tip(&["gh-pages"]).unwrap().branch.as_deref(),
            Some("gh-pages")
        );
        assert!(matches!(tip(&[]), Err(DiscoveryError::Empty { .. })));
        assert_eq!(
            tip(&["b", "a"]).unwrap_err().to_string(),
            "repository /mirrors/x.git: HEAD is missing, and there is no main, master or single branch to read \
             instead (branches: a, b)"
        );
    }

    #[test]
    fn vendored_folders_and_header_file_types() {
        assert!(
            is_vendored_folder("node_modules")
                && is_vendored_folder("vendor")
                && is_vendored_folder("_build")
                && is_vendored_folder("_site")
                && !is_vendored_folder("src")
                && !is_vendored_folder("docs")
        );
        assert!(
            may_carry_header("main.rs")
                && may_carry_header("Makefile")
                && may_carry_header("style.css")
        );
        assert!(
            !may_carry_header("logo.PNG")
                && !may_carry_header("app.min.js")
                && !may_carry_header("data.csv")
        );
    }
}
