//! Comparing a tree with one whose evidence is known: a tree-to-tree diff ([`tree_changes`]) and, for each
//! changed file, whether it can change what discovery reads ([`Comparer::change`]).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use git2::{Oid, Repository};

use super::known::{HeaderWindow, Known, Patch, Reach};
use crate::license::discovery::{self, Limits};
use crate::license::manifest;

/// What comparing a tree with a known one found.
pub(super) enum Compared {
    /// No change can change the licence evidence beyond the patches: the known evidence holds, patched; with
    /// the files the header scan reads in the tree compared ([`HeaderWindow`]).
    Same(Vec<Patch>, HeaderWindow),
    /// A change that may: the first one met, said for the log.
    Relevant(String),
}

enum Change {
    Irrelevant,
    Patch(Patch),
    Relevant(String),
}

/// One file that differs between two trees: its path, and its blob id and mode on each side it exists on.
struct Delta {
    path: String,
    old: Option<(Oid, i32)>,
    new: Option<(Oid, i32)>,
}

const TREE_MODE: i32 = 0o040000;

thread_local! {
    /// Tree entries read by [`tree_changes`] on this thread (for the log).
    pub(super) static ENTRIES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Visit every file that differs between the trees `old` and `new` (either may be absent), under `prefix`.
/// Subtrees with the same id on both sides are skipped without being read: the cost is that of the
/// difference. `visit` returns `true` to stop; so does this.
fn tree_changes(
    repo: &Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &str,
    visit: &mut dyn FnMut(Delta) -> Result<bool, git2::Error>,
) -> Result<bool, git2::Error> {
    let entries = |id: Option<Oid>| -> Result<BTreeMap<Vec<u8>, (Oid, i32)>, git2::Error> {
        let mut out = BTreeMap::new();
        if let Some(id) = id {
            for entry in repo.find_tree(id)?.iter() {
                out.insert(entry.name_bytes().to_vec(), (entry.id(), entry.filemode()));
            }
            ENTRIES.with(|c| c.set(c.get() + out.len()));
        }
        Ok(out)
    };
    let (before, after) = (entries(old)?, entries(new)?);
    // The header scan's order is git's order of each tree's entries: a tree out of it is not compared.
    for id in [old, new].into_iter().flatten() {
        if !discovery::in_git_order(&repo.find_tree(id)?) {
            return Err(git2::Error::from_str(&format!(
                "{prefix}: tree {id} holds its entries out of git's order"
            )));
        }
    }
    let mut names: Vec<&Vec<u8>> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (a, b) = (before.get(name).copied(), after.get(name).copied());
        if a == b {
            continue;
        }
        let path = format!("{prefix}{}", String::from_utf8_lossy(name));
        let is_tree = |side: Option<(Oid, i32)>| side.is_some_and(|(_, mode)| mode == TREE_MODE);
        let tree_of =
            |side: Option<(Oid, i32)>| side.filter(|(_, m)| *m == TREE_MODE).map(|(id, _)| id);
        if (is_tree(a) || is_tree(b))
            && tree_changes(repo, tree_of(a), tree_of(b), &format!("{path}/"), visit)?
        {
            return Ok(true);
        }
        let file = |side: Option<(Oid, i32)>| side.filter(|(_, m)| *m != TREE_MODE);
        let (a, b) = (file(a), file(b));
        if (a.is_some() || b.is_some())
            && visit(Delta {
                path,
                old: a,
                new: b,
            })?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The work of comparing trees: what has been read, kept by blob id and tree id across refs.
pub(super) struct Comparer<'r> {
    repo: &'r Repository,
    odb: git2::Odb<'r>,
    limits: &'r Limits,
    /// Whether discovery's header scan reads a blob (it can be read as text), and whether it holds an
    /// `SPDX-License-Identifier:` line in the part the scan reads.
    headers: HashMap<Oid, (bool, bool)>,
    /// Whether a folder (by tree id) holds an entry whose name is licence evidence.
    folders: HashMap<Oid, bool>,
    /// Whether a name is licence evidence ([`licence_relevant_name`], which is costly: folder names repeat).
    names: HashMap<String, bool>,
    /// Changed files examined so far, over all comparisons.
    pub(super) changes: usize,
}

impl<'r> Comparer<'r> {
    pub(super) fn new(
        repo: &'r Repository,
        odb: git2::Odb<'r>,
        limits: &'r Limits,
    ) -> Comparer<'r> {
        Comparer {
            repo,
            odb,
            limits,
            headers: HashMap::new(),
            folders: HashMap::new(),
            names: HashMap::new(),
            changes: 0,
        }
    }

    fn relevant_name(&mut self, name: &str) -> bool {
        if let Some(known) = self.names.get(name) {
            return *known;
        }
        let relevant = licence_relevant_name(name);
        self.names.insert(name.to_owned(), relevant);
        relevant
    }

    /// Compare `tree` with `base` (both root trees). Every changed file is examined in turn; the first that
    /// may change what discovery reads ends the comparison.
    pub(super) fn compare(&mut self, base: &Known, tree: Oid) -> Result<Compared, git2::Error> {
        if base.tree == tree {
            return Ok(Compared::Same(Vec::new(), base.window.clone()));
        }
        let repo = self.repo;
        let old = repo.find_tree(base.tree)?;
        let new = repo.find_tree(tree)?;
        let mut patches = Vec::new();
        let mut relevant = None;
        let mut moved = 0isize;
        tree_changes(repo, Some(base.tree), Some(tree), "", &mut |delta| {
            self.changes += 1;
            if let Some(why) = self.window_change(&base.window, &delta, &mut moved)? {
                relevant = Some(format!("{}: {why}", delta.path));
                return Ok(true);
            }
            Ok(match self.change(base, &old, &new, &delta)? {
                Change::Irrelevant => false,
                Change::Patch(patch) => {
                    patches.push(patch);
                    false
                }
                Change::Relevant(why) => {
                    relevant = Some(why);
                    true
                }
            })
        })?;
        if let Some(why) = relevant {
            return Ok(Compared::Relevant(why));
        }
        let bound = self.limits.max_files_scanned_for_headers;
        Ok(match &base.window {
            HeaderWindow::Below(n) => {
                let now = (*n as isize + moved).max(0) as usize;
                if now >= bound {
                    Compared::Relevant(format!(
                        "the header scan may reach its bound ({bound} files): up to {now} files it reads, where {n} were"
                    ))
                } else {
                    Compared::Same(patches, HeaderWindow::Below(now))
                }
            }
            HeaderWindow::AtBound { last, count, clear } => {
                let now = *count as isize + moved;
                if now == bound as isize || (*clear && now > bound as isize) {
                    Compared::Same(
                        patches,
                        HeaderWindow::AtBound {
                            last: last.clone(),
                            count: now as usize,
                            clear: *clear,
                        },
                    )
                } else {
                    Compared::Relevant(format!(
                        "{} files the header scan reads {} before the end of its window at its bound ({bound} files): it reads other files",
                        moved.unsigned_abs(),
                        if moved > 0 { "added" } else { "removed" }
                    ))
                }
            }
            HeaderWindow::Unknown => Compared::Same(patches, HeaderWindow::Unknown),
        })
    }

    /// How one changed file moves the files discovery's header scan reads ([`HeaderWindow`]), added to
    /// `moved`; or why the tree cannot carry the window. The invariant kept: a tree carries the window it is
    /// given only when the scan reads, in it, the files the window says. A file the scan reads on one side
    /// and not the other (added, removed, or its blob become readable as text or not) is counted where it
    /// is: below the bound, every such file added counts one up and every one the scan surely read removed
    /// one down (`Below` stays an upper bound); at the bound, only files before the window's last file in
    /// the scan's order count, exactly, and one whose path does not settle whether the scan reads it
    /// ([`ScanPlace::Maybe`]) is not carried. The headers of the changed files themselves are judged by
    /// [`Self::change`]: a changed file with an SPDX line on either side is licence evidence wherever it is.
    fn window_change(
        &mut self,
        window: &HeaderWindow,
        delta: &Delta,
        moved: &mut isize,
    ) -> Result<Option<String>, git2::Error> {
        use discovery::ScanPlace;
        let place = discovery::header_scan_place(&delta.path, self.limits);
        if place == ScanPlace::Never {
            return Ok(None);
        }
        let bound = self.limits.max_files_scanned_for_headers;
        if *window == HeaderWindow::Unknown {
            return Ok(Some(format!(
                "the header scan reached its bound ({bound} files) where which files it read is not known"
            )));
        }
        let mut scanned = |side: Option<(Oid, i32)>| -> Result<bool, git2::Error> {
            match side {
                Some((id, _)) => Ok(self.scanned_blob(id)?.0),
                None => Ok(false),
            }
        };
        let step = isize::from(scanned(delta.new)?) - isize::from(scanned(delta.old)?);
        if step == 0 {
            return Ok(None);
        }
        match window {
            HeaderWindow::Below(_) => {
                if step > 0 {
                    *moved += 1;
                } else if place == ScanPlace::Surely {
                    *moved -= 1;
                }
            }
            HeaderWindow::AtBound { last, .. } => {
                let Some(order) = discovery::header_scan_order(&delta.path, last) else {
                    return Ok(Some(format!(
                        "a name whose place in the header scan's order is not known, at its bound ({bound} files)"
                    )));
                };
                if order == std::cmp::Ordering::Greater {
                    return Ok(None);
                }
                if place == ScanPlace::Maybe {
                    return Ok(Some(format!(
                        "may change which files the header scan reads at its bound ({bound} files)"
                    )));
                }
                *moved += step;
            }
            HeaderWindow::Unknown => unreachable!("returned above"),
        }
        Ok(None)
    }

    /// Whether one changed file may change the licence evidence of the tree, or changes it only as a patch
    /// says. Conservative: anything but a plain file; a file a symbolic link that discovery followed leads
    /// to; anything in or around a folder discovery reported; anything in a licence-named folder; a file
    /// discovery read whose new content cannot be read the same way; a licence-like, notice, manifest or
    /// README name added or removed; a file beside a licence-named documentation page two folders down (discovery classes
    /// such a licence by whether its folder holds code); an entry added or removed where nested licence
    /// folders are laid out; and a file whose head holds an SPDX line on either side.
    fn change(
        &mut self,
        base: &Known,
        old_tree: &git2::Tree<'_>,
        new_tree: &git2::Tree<'_>,
        delta: &Delta,
    ) -> Result<Change, git2::Error> {
        let plain = |side: Option<(Oid, i32)>| {
            side.is_none_or(|(_, mode)| {
                mode == i32::from(git2::FileMode::Blob)
                    || mode == i32::from(git2::FileMode::BlobExecutable)
            })
        };
        let path = delta.path.as_str();
        let relevant = |why: &str| Ok(Change::Relevant(format!("{path}: {why}")));
        if !plain(delta.old) || !plain(delta.new) {
            return relevant("not a plain file (a link, a submodule or an unusual mode)");
        }
        if Reach::touches(&base.reach.links, path) {
            return relevant("a symbolic link that discovery followed leads here");
        }
        let read = base.reach.paths.contains(path);
        if !read && Reach::touches(&base.reach.paths, path) {
            return relevant("in or around a folder discovery reported");
        }
        let (folders, name) = match path.rsplit_once('/') {
            Some((folders, name)) => (Some(folders), name),
            None => (None, path),
        };
        if let Some(folders) = folders
            && folders.split('/').any(|f| self.relevant_name(f))
        {
            return relevant("in a licence-named folder");
        }
        let modified = match (delta.old, delta.new) {
            (Some((old, _)), Some((new, _))) => Some((old, new)),
            _ => None,
        };
        if content_read_file(path) {
            return match modified {
                Some((old, new)) => self.content_change(path, name, old, new),
                None => relevant("a manifest or README added or removed"),
            };
        }
        if read {
            let whole = |c: &crate::license::Candidate| {
                c.path == path && c.first_line == 1 && whole_text(c.kind)
            };
            return match modified {
                Some((_, new))
                    if base
                        .read
                        .candidates
                        .iter()
                        .chain(&base.read.notices)
                        .any(whole) =>
                {
                    self.text_change(path, new)
                }
                _ => relevant("read or reported by discovery"),
            };
        }
        if self.relevant_name(name) || discovery::is_documentation_page(path) {
            return relevant("a licence-like name");
        }
        if let Some(folders) = folders
            && folders.contains('/')
        {
            for tree in [old_tree, new_tree] {
                if self.folder_holds_licence_name(tree, folders)? {
                    return relevant(
                        "beside a licence file that discovery classes by its neighbours",
                    );
                }
            }
        }
        if let Some(layout) = &base.read.layout
            && modified.is_none()
            && layout_changes(layout, path, old_tree, new_tree)
        {
            return relevant("changes what lies outside the nested licence folders");
        }
        for (id, _) in [delta.old, delta.new].into_iter().flatten() {
            if self.has_header(id)? {
                return relevant("an SPDX-License-Identifier line");
            }
        }
        Ok(Change::Irrelevant)
    }

    /// A file discovery read whole (a licence, notice or documentation page) changed in place: its new text,
    /// read as discovery reads it (the first `max_blob_bytes`, decoded), unless it is no longer text.
    fn text_change(&mut self, path: &str, new: Oid) -> Result<Change, git2::Error> {
        let object = self.odb.read(new)?;
        let data = object.data();
        let head = &data[..data.len().min(self.limits.max_blob_bytes)];
        if data.is_empty() || is_binary(head) {
            return Ok(Change::Relevant(format!("{path}: no longer text")));
        }
        let text = discovery::decode_text(head);
        if text.trim().is_empty() {
            return Ok(Change::Relevant(format!("{path}: no longer text")));
        }
        Ok(Change::Patch(Patch::Text {
            path: path.to_owned(),
            text,
            sha256: sha256_hex(data),
            truncated: data.len() > self.limits.max_blob_bytes,
        }))
    }

    /// A manifest or root README changed in place: a patch when what discovery takes from it is the same on
    /// both sides (a manifest's declarations and tool default, a README's licence sections and template mark)
    /// and neither side holds an SPDX line (a root manifest is also scanned for headers).
    fn content_change(
        &mut self,
        path: &str,
        name: &str,
        old: Oid,
        new: Oid,
    ) -> Result<Change, git2::Error> {
        for id in [old, new] {
            if self.has_header(id)? {
                return Ok(Change::Relevant(format!(
                    "{path}: an SPDX-License-Identifier line"
                )));
            }
        }
        let (old_bytes, new_bytes) = (self.odb.read(old)?, self.odb.read(new)?);
        let text = |data: &[u8]| -> Option<String> {
            if data.is_empty() || data.len() > self.limits.max_blob_bytes || is_binary(data) {
                return None;
            }
            let text = discovery::decode_text(data);
            (!text.trim().is_empty()).then_some(text)
        };
        let (Some(before), Some(after)) = (text(old_bytes.data()), text(new_bytes.data())) else {
            return Ok(Change::Relevant(format!(
                "{path}: not plain text on both sides"
            )));
        };
        let sha256 = sha256_hex(new_bytes.data());
        if !manifest::is_manifest(name) {
            let same = discovery::readme_sections(name, &before)
                == discovery::readme_sections(name, &after)
                && discovery::template_readme(&before) == discovery::template_readme(&after);
            return Ok(if same {
                Change::Patch(Patch::Readme {
                    path: path.to_owned(),
                    sha256,
                })
            } else {
                Change::Relevant(format!("{path}: its licence sections changed"))
            });
        }
        let (was, is) = (
            manifest::declared_license(name, &before),
            manifest::declared_license(name, &after),
        );
        let same = was.len() == is.len()
            && was.iter().zip(&is).all(|(a, b)| {
                a.raw == b.raw
                    && a.expression == b.expression
                    && a.note == b.note
                    && a.file == b.file
            })
            && manifest::generator_default(name, &before)
                == manifest::generator_default(name, &after);
        if !same {
            return Ok(Change::Relevant(format!(
                "{path}: its licence declarations changed"
            )));
        }
        let mut lines = HashMap::new();
        for (a, b) in was.iter().zip(&is) {
            if *lines.entry(a.line).or_insert(b.line) != b.line {
                return Ok(Change::Relevant(format!(
                    "{path}: its licence declarations moved apart"
                )));
            }
        }
        Ok(Change::Patch(Patch::Manifest {
            path: path.to_owned(),
            sha256,
            lines,
        }))
    }

    /// Whether the first bytes of a blob that discovery's header scan reads hold an SPDX line (read as
    /// Markdown and as code, so either reading counts).
    fn has_header(&mut self, id: Oid) -> Result<bool, git2::Error> {
        Ok(self.scanned_blob(id)?.1)
    }

    /// Whether discovery's header scan reads a blob (counting it among the files it reads), and whether
    /// its head holds an SPDX line.
    fn scanned_blob(&mut self, id: Oid) -> Result<(bool, bool), git2::Error> {
        if let Some(known) = self.headers.get(&id) {
            return Ok(*known);
        }
        // Discovery's header scan reads no blob that is empty, bigger than `max_blob_bytes`, or unreadable
        // (a missing object): it does not count it, finds no header there, and neither does this.
        let head = match self.odb.read_header(id) {
            Ok((size, _)) if size > 0 && size <= self.limits.max_blob_bytes => {
                read_head(&self.odb, id, self.limits.max_header_bytes).ok()
            }
            _ => None,
        };
        let Some(head) = head else {
            self.headers.insert(id, (false, false));
            return Ok((false, false));
        };
        let found = !is_binary(&head) && {
            let text = discovery::decode_text(&head);
            !discovery::spdx_header_lines(&text, false).is_empty()
                || !discovery::spdx_header_lines(&text, true).is_empty()
        };
        self.headers.insert(id, (true, found));
        Ok((true, found))
    }

    /// Whether the folder at `folder` in `tree` holds a licence-named documentation page, which discovery
    /// classes by whether the folder holds code.
    fn folder_holds_licence_name(
        &mut self,
        tree: &git2::Tree<'_>,
        folder: &str,
    ) -> Result<bool, git2::Error> {
        let Ok(entry) = tree.get_path(Path::new(folder)) else {
            return Ok(false);
        };
        if let Some(known) = self.folders.get(&entry.id()) {
            return Ok(*known);
        }
        let holds = match self.repo.find_tree(entry.id()) {
            Ok(sub) => {
                let names: Vec<String> = sub
                    .iter()
                    .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
                    .collect();
                // Discovery's one rule that looks at a file's neighbours: a licence-named documentation
                // page two folders down is the licence of the code beside it when its folder holds code.
                names.iter().any(|name| {
                    discovery::is_nested_license_name(name)
                        && discovery::is_documentation_page(&format!("{folder}/{name}"))
                })
            }
            Err(_) => true,
        };
        self.folders.insert(entry.id(), holds);
        Ok(holds)
    }
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(data))
}

/// The kinds of candidate discovery reads as a whole text (first line 1).
pub(super) fn whole_text(kind: crate::license::SourceKind) -> bool {
    use crate::license::SourceKind::*;
    matches!(
        kind,
        LicenseFile
            | NoticeFile
            | ReuseLicense
            | NestedLicenseFile
            | DocumentationPage
            | VendoredLicenseFile
    )
}

/// Files whose content discovery reads and reduces: manifests (their licence declarations) and the root
/// README (its licence sections). A change that leaves those as they were is patched, not relevant.
fn content_read_file(path: &str) -> bool {
    match path.rsplit_once('/') {
        Some((_, name)) => manifest::is_manifest(name),
        None => {
            manifest::is_manifest(path)
                || matches!(
                    path.to_lowercase().as_str(),
                    "readme.md"
                        | "readme.markdown"
                        | "readme.rst"
                        | "readme"
                        | "readme.txt"
                        | "readme.org"
                        | "readme.adoc"
                )
        }
    }
}

/// Whether a file or folder name is one discovery reads or reports by name at some depth: a licence, notice,
/// copyright, attribution or REUSE name, a licence word or id, a manifest, a README.
fn licence_relevant_name(name: &str) -> bool {
    discovery::root_file_kind(name).is_some()
        || discovery::is_nested_license_name(name)
        || manifest::is_manifest(name)
        || name.to_lowercase().starts_with("readme")
}

/// Whether adding or removing `path` changes the entries a [`crate::license::FolderLayout`] lists: an entry whose
/// existence differs between the trees, directly in the root or in a folder on the way to a nested licence
/// folder.
fn layout_changes(
    layout: &crate::license::FolderLayout,
    path: &str,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    for i in 0..parts.len() {
        let folder = parts[..i].join("/");
        let on_the_way = i == 0
            || layout
                .folders
                .iter()
                .any(|f| *f == folder || f.starts_with(&format!("{folder}/")));
        if !on_the_way {
            return false;
        }
        let entry = parts[..=i].join("/");
        let exists = |tree: &git2::Tree<'_>| tree.get_path(Path::new(&entry)).is_ok();
        if exists(old) != exists(new) {
            return true;
        }
    }
    false
}

/// git's test for binary: a NUL in the first 8000 bytes, unless the text is UTF-16 with a byte-order mark.
pub(super) fn is_binary(bytes: &[u8]) -> bool {
    !(bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
        && bytes[..bytes.len().min(8000)].contains(&0)
}

/// The first `max` bytes of a blob (streamed where the object database can).
pub(crate) fn read_head(odb: &git2::Odb<'_>, id: Oid, max: usize) -> Result<Vec<u8>, git2::Error> {
    if let Ok((mut stream, size, _)) = odb.reader(id)
        && size > max
    {
        let mut bytes = vec![0u8; max];
        let mut filled = 0;
        while filled < max {
            match stream.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) => return Err(git2::Error::from_str(&e.to_string())),
            }
        }
        bytes.truncate(filled);
        return Ok(bytes);
    }
    let object = odb.read(id)?;
    Ok(object.data()[..object.data().len().min(max)].to_vec())
}
