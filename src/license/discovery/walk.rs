//! The tree walk: which entries of a commit's tree are read, how links, folders and vendored code are
//! treated, and how blobs are read within bounds.

use super::*;

mod blobs;
mod candidates;

// ---------------------------------------------------------------------------------------------------------
// Reading the tree

pub(super) fn read_tip(
    repo: &Repository,
    label: &Path,
    tip: Tip,
    limits: &Limits,
) -> Result<Discovery, DiscoveryError> {
    read_tip_with(repo, label, tip, limits, &mut HeaderCache::default(), true)
}

pub(super) fn read_tip_with(
    repo: &Repository,
    label: &Path,
    tip: Tip,
    limits: &Limits,
    header_cache: &mut HeaderCache,
    assets: bool,
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
    if assets {
        let trees = crate::license::assets::pushed_trees(repo, Some(tree_id));
        discovery.assets = crate::license::assets::gather(repo, &trees, &Default::default());
    }
    Ok(discovery)
}

/// The folders that hold a nested licence file, and the entries of `root` outside all of them. Only the
/// trees on the way to those folders are read. `None` when there is no such folder or a tree on the way
/// cannot be read (then the folders cover nothing beyond themselves).
pub(super) fn folder_layout(
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

pub(super) fn object_state(error: &git2::Error) -> String {
    if error.code() == ErrorCode::NotFound {
        "missing from the object database".to_owned()
    } else {
        format!("corrupt ({})", error.message())
    }
}

/// What a tree entry is, from its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryKind {
    File,
    Link,
    Folder,
    Submodule,
}

pub(super) fn entry_kind(mode: i32) -> Option<EntryKind> {
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

pub(super) struct HeaderHit {
    expression: String,
    path: String,
    line: usize,
    blob: Oid,
}

pub(super) struct TreeReader<'r, 'c> {
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

/// A tree waiting to be walked: its path, its depth, and whether it is inside a vendored folder.
struct Queued<'r> {
    tree: git2::Tree<'r>,
    folder: String,
    depth: usize,
    vendored: bool,
}

/// One entry of a tree being walked.
struct At {
    name: String,
    path: String,
    kind: EntryKind,
    id: Oid,
}

impl At {
    fn is_folder(&self) -> bool {
        matches!(self.kind, EntryKind::Folder | EntryKind::Submodule)
    }
}

/// What the walk carries from entry to entry: files scanned for headers so far, the file whose reading
/// brought the scan to its bound, whether a tree walked holds its entries out of git's order, and the best
/// README seen.
#[derive(Default)]
struct Walked {
    files_scanned: usize,
    cutoff: Option<String>,
    /// Files counted past the bound ([`HeaderCache::slack`]), and whether one holding an SPDX line ended it.
    extra: usize,
    stained: bool,
    unsorted: bool,
    readme: Option<(String, Oid)>,
}

/// The start of a blob, and the sha256 of all of it.
#[derive(Debug)]
pub(super) struct BlobPrefix {
    bytes: Vec<u8>,
    size: usize,
    sha256: String,
    truncated: bool,
}

impl<'r> TreeReader<'r, '_> {
    /// Walk the tree breadth first, within the depth bound: each entry is read for what its place says it may
    /// be ([`Self::vendored_entry`], [`Self::root_entry`], [`Self::nested_entry`]), then entered or scanned for
    /// headers ([`Self::descend_or_scan`]); the files manifests point to and the best README come last.
    fn walk(&mut self, root: git2::Tree<'r>) {
        let mut walked = Walked::default();
        let mut queue: VecDeque<Queued<'r>> = VecDeque::from([Queued {
            tree: root.clone(),
            folder: String::new(),
            depth: 0,
            vendored: false,
        }]);
        while let Some(queued) = queue.pop_front() {
            self.header_cache.work.entries += queued.tree.len();
            walked.unsorted |= !in_git_order(&queued.tree);
            for entry in queued.tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                let Some(kind) = entry_kind(entry.filemode()) else {
                    continue;
                };
                let at = At {
                    path: match queued.folder.as_str() {
                        "" => name.clone(),
                        folder => format!("{folder}/{name}"),
                    },
                    name,
                    kind,
                    id: entry.id(),
                };
                let is_candidate = if queued.vendored {
                    self.vendored_entry(&at)
                } else if queued.depth == 0 {
                    match self.root_entry(&at, &mut walked.readme) {
                        Some(is_candidate) => is_candidate,
                        None => continue,
                    }
                } else {
                    self.nested_entry(&at, queued.depth, &queued.tree)
                };
                self.descend_or_scan(&at, &queued, is_candidate, &mut walked, &mut queue);
            }
        }
        self.header_cache.last_headers_scanned = walked.files_scanned;
        // The last file read is where the scan's window ends only when the walk's order is the one
        // [`header_scan_order`] states: every tree's entries in git's order.
        self.header_cache.last_header_cutoff = walked.cutoff.take().filter(|_| !walked.unsorted);
        self.header_cache.last_header_count = walked.files_scanned + walked.extra;
        self.header_cache.last_headers_clear = self.headers.is_empty();
        self.pointed_files(&root);
        if let Some((name, id)) = walked.readme {
            self.readme(&name, id);
        }
    }

    /// Whether a licence-word entry is a licence or notice file after all: always, unless its extension is
    /// one nothing knows ([`has_unknown_extension`]) and its text, read whole, states no terms
    /// ([`reads_as_terms`]): then it is source (`features/licensing.feature`). A link, a folder, a blob that
    /// cannot be read, is cut at the size bound, is binary or is empty stays a licence file (fail closed).
    fn licence_named_by_text(&mut self, at: &At) -> bool {
        if at.kind != EntryKind::File || !has_unknown_extension(&at.name) {
            return true;
        }
        let Ok(blob) = self.read_blob(at.id, self.limits.max_blob_bytes) else {
            return true;
        };
        if blob.truncated || blob.size == 0 || binary_offset(&blob.bytes).is_some() {
            return true;
        }
        let source = !reads_as_terms(&decode_text(&blob.bytes));
        if source {
            tracing::debug!(path = %at.path, "a licence-word name of an unknown kind whose text states no terms: source");
        }
        !source
    }

    /// An entry inside other people's code: its licence files and notices are read as that code's terms
    /// (never the repository's grant), and its package manifest for what it says its licence is; nothing
    /// else. Whether it is a candidate.
    fn vendored_entry(&mut self, at: &At) -> bool {
        let is_folder = at.is_folder();
        if !is_folder && is_nested_license_name(&at.name) && self.licence_named_by_text(at) {
            self.below_root(&at.path, at.kind, at.id, SourceKind::VendoredLicenseFile);
            true
        } else if !is_folder
            && licence_word_first_kind(&at.name) == Some(SourceKind::NoticeFile)
            && self.licence_named_by_text(at)
        {
            self.below_root(&at.path, at.kind, at.id, SourceKind::NoticeFile);
            true
        } else {
            if at.kind == EntryKind::File && manifest::is_manifest(&at.name) {
                // A committed package's own manifest: what it says its licence is, read against the licence
                // file beside it (`license::packages`), never as the repository's.
                self.package_manifest(&at.path, &at.name, at.id);
            }
            false
        }
    }

    /// An entry of the root tree: a REUSE folder (`None`: read, and neither entered nor scanned), a licence
    /// or notice file, a manifest, or a README (the best ranked is kept in `readme`, read last). Whether it
    /// is a candidate.
    fn root_entry(&mut self, at: &At, readme: &mut Option<(String, Oid)>) -> Option<bool> {
        if at.name == "LICENSES" && at.kind == EntryKind::Folder {
            self.reuse_folder(&at.path, at.id);
            return None;
        }
        // Folders and submodules are judged by the licence-word-first names only: `licence-standard/` is
        // reported as not read, `apache2/` or `mit-tools/` is just a folder.
        let source = if at.is_folder() {
            licence_word_first_kind(&at.name)
        } else {
            root_file_kind(&at.name)
        };
        if let Some(source) = source
            && self.licence_named_by_text(at)
        {
            self.license_file(&at.path, at.kind, at.id, source);
            return Some(true);
        }
        if at.kind == EntryKind::File && manifest::is_manifest(&at.name) {
            self.manifest(&at.path, &at.name, at.id);
            return Some(false);
        }
        if at.kind == EntryKind::File && manifest::names_parties(&at.name) {
            self.root_party_file(&at.name, at.id);
            return Some(false);
        }
        if at.kind == EntryKind::File && readme_rank(&at.name).is_some() {
            let better = match readme {
                Some((current, _)) => readme_rank(&at.name) < readme_rank(current),
                None => true,
            };
            if better {
                *readme = Some((at.name.clone(), at.id));
            }
            return Some(true);
        }
        Some(false)
    }

    /// An entry below the root, outside vendored code, in `tree` at `depth`: a documentation page, a nested
    /// licence file (or licence-named folder), a notice, or a sub-package's manifest. Whether it is a
    /// candidate.
    fn nested_entry(&mut self, at: &At, depth: usize, tree: &git2::Tree<'_>) -> bool {
        let is_folder = at.is_folder();
        let within_depth = depth <= self.limits.max_nested_depth;
        if within_depth && !is_folder && is_documentation_page(&at.path) {
            // A licence file beside code in the documentation folder (`docs/js/tinymce/license.txt`) is that
            // code's licence, covering its folder; a page among pages is the documentation's.
            if depth > 1 && is_nested_license_name(&at.name) && holds_code(tree) {
                self.below_root(&at.path, at.kind, at.id, SourceKind::NestedLicenseFile);
            } else {
                self.license_file(&at.path, at.kind, at.id, SourceKind::DocumentationPage);
            }
            return true;
        }
        let licence_named = if is_folder {
            licence_word_first_kind(&at.name) == Some(SourceKind::LicenseFile)
        } else {
            is_nested_license_name(&at.name)
        };
        if within_depth && licence_named && self.licence_named_by_text(at) {
            self.below_root(&at.path, at.kind, at.id, SourceKind::NestedLicenseFile);
            return true;
        }
        if !is_folder
            && licence_word_first_kind(&at.name) == Some(SourceKind::NoticeFile)
            && self.licence_named_by_text(at)
        {
            // A NOTICE or COPYRIGHT file below the root speaks for its folder: read for what it withholds.
            self.below_root(&at.path, at.kind, at.id, SourceKind::NoticeFile);
            return true;
        }
        if at.kind == EntryKind::File && manifest::is_manifest(&at.name) {
            // A sub-package's manifest speaks for its package.
            self.manifest(&at.path, &at.name, at.id);
            return true;
        }
        false
    }

    /// After an entry is read: a folder within the depth bound is queued (a vendored one for its licence
    /// files and notices alone; a licence collection inside vendored code not at all), and a file of the
    /// repository's own that is not a candidate is scanned for `SPDX-License-Identifier:` lines, within the
    /// bound on files scanned.
    fn descend_or_scan(
        &mut self,
        at: &At,
        parent: &Queued<'r>,
        is_candidate: bool,
        walked: &mut Walked,
        queue: &mut VecDeque<Queued<'r>>,
    ) {
        match at.kind {
            EntryKind::Folder
                if parent.depth < self.limits.max_nested_depth && at.name != ".git" =>
            {
                // The licence collections (`licenses/`) hold texts named after licences, not terms of their own.
                let vendored = parent.vendored || is_vendored_folder(&at.name);
                if vendored && is_copy_or_collection(&at.name) {
                    return;
                }
                match self.repo.find_tree(at.id) {
                    Ok(tree) => queue.push_back(Queued {
                        tree,
                        folder: at.path.clone(),
                        depth: parent.depth + 1,
                        vendored,
                    }),
                    Err(error) => self.skip(
                        &at.path,
                        format!(
                            "folder not read: tree {} is {}",
                            at.id,
                            object_state(&error)
                        ),
                    ),
                }
            }
            EntryKind::File
                if !parent.vendored
                    && !is_candidate
                    && walked.files_scanned < self.limits.max_files_scanned_for_headers
                    && may_carry_header(&at.name)
                    && self.scan_headers(&at.path, &at.name, at.id) =>
            {
                // Read: counted, and the last file read when the count reaches the bound.
                walked.files_scanned += 1;
                if walked.files_scanned == self.limits.max_files_scanned_for_headers {
                    walked.cutoff = Some(at.path.clone());
                }
            }
            EntryKind::File
                if !parent.vendored
                    && !is_candidate
                    && walked.files_scanned >= self.limits.max_files_scanned_for_headers
                    && walked.extra < self.header_cache.slack
                    && !walked.stained
                    && self.headers.is_empty()
                    && may_carry_header(&at.name) =>
            {
                // Past the bound: counted, not read for evidence; a file with an SPDX line ends the count
                // before it.
                match self.header_lines_cached(at.id, &at.name) {
                    None => {}
                    Some(lines) if lines.is_empty() => {
                        walked.extra += 1;
                        walked.cutoff = Some(at.path.clone());
                    }
                    Some(_) => walked.stained = true,
                }
            }
            _ => {}
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
                    sha256: blob.sha256.clone(),
                    truncated: blob.truncated,
                    closing_section: false,
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
                Ok(blob) => blob.sha256.clone(),
                Err(_) => continue,
            };
            self.discovery.candidates.push(Candidate {
                path: hit.path,
                kind: SourceKind::SpdxHeader,
                text: hit.expression,
                first_line: hit.line,
                sha256,
                truncated: false,
                closing_section: false,
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
}

/// Folders that are entered neither for the repository's files nor as vendored code: generators' copies of
/// the repository's own pages (`_build`, `_site`), caches, and collections of licence texts named after
/// licences rather than holding terms of their own (`licenses/`).
pub(super) fn is_copy_or_collection(name: &str) -> bool {
    matches!(
        name,
        "_build" | "_site" | "__pycache__" | ".tox" | "target" | "licenses" | "licences"
    )
}

/// Whether a folder holds source code or bundled assets (scripts, styles, fonts) directly.
pub(super) fn holds_code(tree: &git2::Tree<'_>) -> bool {
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

pub(super) fn kind_order(kind: SourceKind) -> u8 {
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
// The header scan's order and reach, for judging other trees by their difference (`license::refs`)

/// Whether a tree's entries are in git's order (strictly: no name twice): names compared as bytes, a
/// folder's as if followed by `/`. Trees git writes always are; [`header_scan_order`] holds only for those.
pub fn in_git_order(tree: &git2::Tree<'_>) -> bool {
    let mut previous: Option<(Vec<u8>, bool)> = None;
    for entry in tree.iter() {
        let folder = entry.filemode() == i32::from(FileMode::Tree);
        let here = (entry.name_bytes().to_vec(), folder);
        if let Some((name, was_folder)) = &previous
            && git_name_order(name, *was_folder, &here.0, here.1) != std::cmp::Ordering::Less
        {
            return false;
        }
        previous = Some(here);
    }
    true
}

/// git's order of two entries of one tree: by name bytes, a folder's name as if followed by `/`.
pub fn git_name_order(a: &[u8], a_folder: bool, b: &[u8], b_folder: bool) -> std::cmp::Ordering {
    let key = |name: &[u8], folder: bool| {
        let mut k = name.to_vec();
        if folder {
            k.push(b'/');
        }
        k
    };
    key(a, a_folder).cmp(&key(b, b_folder))
}

/// The order in which the walk scans files for headers, for two file paths of one tree whose trees are in
/// git's order ([`in_git_order`]): breadth first, so a file in fewer folders comes first; between files in
/// as many folders, the first component where they differ decides, in git's order (a folder's name as if
/// followed by `/`, the file names as they are). `None` when a path is not one the walk would name the same
/// way (a name that is not UTF-8 is read lossily, and its order is lost).
///
/// This is the walk of [`TreeReader::walk`]: a FIFO queue of folders, each folder's entries in the tree's
/// order, files scanned as their folder is taken from the queue. A folder at depth d+1 is queued while its
/// parent at depth d is walked, so folders are taken depth by depth, and at each depth in the order of their
/// parents, then of their own names: the component-wise order.
pub fn header_scan_order(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    if a.contains('\u{FFFD}') || b.contains('\u{FFFD}') {
        return None;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    if a.len() != b.len() {
        return Some(a.len().cmp(&b.len()));
    }
    let last = a.len() - 1;
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if x != y {
            let folder = i < last;
            return Some(git_name_order(x.as_bytes(), folder, y.as_bytes(), folder));
        }
    }
    Some(std::cmp::Ordering::Equal)
}

/// Whether the header scan reads a plain file at `path` when its blob can be read as text (see
/// [`TreeReader::scan_headers`]), as far as its path says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanPlace {
    /// Never: not a name the scan reads, inside vendored code, a REUSE folder or `.git`, or deeper than the
    /// walk goes.
    Never,
    /// Always (within the scan's bound): a file of the repository's own that is no candidate.
    Surely,
    /// It depends on more than the path (a licence-like, notice, manifest, README or documentation name may
    /// be a candidate, which is not scanned, or not, by its text).
    Maybe,
}

/// [`ScanPlace`] of `path`, a file of a tree read with `limits`.
pub fn header_scan_place(path: &str, limits: &Limits) -> ScanPlace {
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or(path);
    // A file in a folder at depth d is scanned only if that folder was queued: d <= max_nested_depth.
    if !may_carry_header(name)
        || parts.len() > limits.max_nested_depth
        || parts.iter().any(|f| is_vendored_folder(f))
        || parts.first() == Some(&"LICENSES")
    {
        return ScanPlace::Never;
    }
    let licence_like = |n: &str| {
        root_file_kind(n).is_some()
            || is_nested_license_name(n)
            || licence_word_first_kind(n).is_some()
    };
    if licence_like(name)
        || manifest::is_manifest(name)
        || manifest::names_parties(name)
        || readme_rank(name).is_some()
        || name.to_lowercase().starts_with("readme")
        || is_documentation_page(path)
        || parts.iter().any(|f| licence_like(f))
    {
        return ScanPlace::Maybe;
    }
    ScanPlace::Surely
}
