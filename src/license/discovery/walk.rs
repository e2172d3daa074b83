//! The tree walk: which entries of a commit's tree are read, how links, folders and vendored code are
//! treated, and how blobs are read within bounds.

use std::sync::Arc;

use super::*;

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

/// The start of a blob, and the sha256 of all of it.
#[derive(Debug)]
pub(super) struct BlobPrefix {
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
            self.header_cache.work.entries += tree.len();
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
                    } else if kind == EntryKind::File && manifest::is_manifest(&name) {
                        // A committed package's own manifest: what it says its licence is, read against
                        // the licence file beside it (`license::packages`), never as the repository's.
                        self.package_manifest(&path, &name, id);
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
        self.header_cache.last_headers_scanned = files_scanned;
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
                    sha256: blob.sha256.clone(),
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
    fn read_blob(&mut self, id: Oid, max: usize) -> Result<Arc<BlobPrefix>, git2::Error> {
        if let Some(known) = self.header_cache.blobs.get(&(id, max)) {
            return known.clone().map_err(|e| e.error());
        }
        let read = self.read_blob_uncached(id, max);
        if let Ok(blob) = &read {
            self.header_cache.work.blobs += 1;
            self.header_cache.work.bytes += blob.size;
        }
        let read = read.map(Arc::new);
        self.header_cache.blobs.insert(
            (id, max),
            read.as_ref().map(Arc::clone).map_err(CachedError::of),
        );
        read
    }

    fn read_blob_uncached(&self, id: Oid, max: usize) -> Result<BlobPrefix, git2::Error> {
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
                        sha256: blob.sha256.clone(),
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
    fn resolve_link(&mut self, path: &str, mut id: Oid) -> Result<(EntryKind, Oid), String> {
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
    fn text_blob(&mut self, path: &str, id: Oid) -> Option<(String, Arc<BlobPrefix>)> {
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

    /// The licence field of a vendored package's manifest (its declared expressions only). One that cannot be
    /// read is passed over quietly: without it the licence file beside it is judged as before.
    fn package_manifest(&mut self, path: &str, name: &str, id: Oid) {
        let Ok(blob) = self.read_blob(id, self.limits.max_blob_bytes) else {
            return;
        };
        if blob.truncated || binary_offset(&blob.bytes).is_some() {
            return;
        }
        let text = decode_text(&blob.bytes);
        for declared in manifest::declared_license(name, &text) {
            let Some(expression) = declared.expression else {
                continue;
            };
            self.discovery.package_manifests.push(Candidate {
                path: path.to_owned(),
                kind: SourceKind::Manifest,
                text: expression,
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
                self.header_cache.work.blobs += 1;
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
