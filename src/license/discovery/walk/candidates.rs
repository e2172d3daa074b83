//! Turning the entries the walk picked into candidates: licence and notice files (through symbolic links that
//! stay in the tree), the files manifests point to, a REUSE folder, manifests, the README and SPDX headers.

use super::super::*;
use super::{EntryKind, HeaderHit, TreeReader, entry_kind, object_state, resolve_link_target};

impl<'r> TreeReader<'r, '_> {
    /// A root licence or notice file, or a nested licence file: read it, or say why not.
    pub(super) fn license_file(
        &mut self,
        path: &str,
        kind: EntryKind,
        id: Oid,
        source: SourceKind,
    ) {
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
                        closing_section: false,
                    });
                }
            }
        }
    }

    /// Follow a symbolic link at `path` (blob `id`) to what it names, through at most eight links, when every
    /// step stays inside the tree: `src/LICENSE` → `../LICENSE` is the root's licence read again. A link that
    /// leaves the tree (`/etc/…`, `../../x` from one folder down) or names nothing is not followed; the reason
    /// says why.
    pub(super) fn resolve_link(
        &mut self,
        path: &str,
        mut id: Oid,
    ) -> Result<(EntryKind, Oid), String> {
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
    pub(super) fn pointed_files(&mut self, root: &git2::Tree<'r>) {
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

    /// REUSE: each `LICENSES/<id>.txt` is the text of the licence `<id>`.
    pub(super) fn reuse_folder(&mut self, folder: &str, id: Oid) {
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

    pub(super) fn manifest(&mut self, path: &str, name: &str, id: Oid) {
        let Some((text, blob)) = self.text_blob(path, id) else {
            return;
        };
        if !path.contains('/') {
            self.root_parties(name, &text);
        }
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
                closing_section: false,
            });
        }
    }

    /// The parties a root manifest names as its package's makers ([`manifest::declared_parties`]).
    pub(super) fn root_parties(&mut self, name: &str, text: &str) {
        for party in manifest::declared_parties(name, text) {
            if !self.discovery.manifest_parties.contains(&party) {
                self.discovery.manifest_parties.push(party);
            }
        }
    }

    /// A root file that names its package's makers though it declares no licence keepopen reads
    /// (`*.gemspec`).
    pub(super) fn root_party_file(&mut self, name: &str, id: Oid) {
        // Read quietly: a gemspec that cannot be read names nobody, and is no licence evidence to report.
        let Ok(blob) = self.read_blob(id, self.limits.max_blob_bytes) else {
            return;
        };
        if !blob.truncated && binary_offset(&blob.bytes).is_none() {
            let text = decode_text(&blob.bytes);
            self.root_parties(name, &text);
        }
    }

    /// The licence field of a vendored package's manifest (its declared expressions only). One that cannot be
    /// read is passed over quietly: without it the licence file beside it is judged as before.
    pub(super) fn package_manifest(&mut self, path: &str, name: &str, id: Oid) {
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
                closing_section: false,
            });
        }
    }

    pub(super) fn readme(&mut self, name: &str, id: Oid) {
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
                closing_section: section.closing,
            });
        }
    }

    /// The SPDX lines of a blob's head as the scan reads them (`None`: not read as text), through the cache.
    pub(super) fn header_lines_cached(
        &mut self,
        id: Oid,
        name: &str,
    ) -> Option<Vec<(usize, String)>> {
        let markdown = name.to_ascii_lowercase().ends_with(".md");
        match self.header_cache.seen.get(&id) {
            Some(known) if !markdown => known.clone(),
            _ => {
                let read = self.header_lines(id, markdown);
                self.header_cache.work.blobs += 1;
                if !markdown {
                    self.header_cache.seen.insert(id, read.clone());
                }
                read
            }
        }
    }

    /// Read the head of a source file for `SPDX-License-Identifier:` lines. Returns whether the file was read.
    /// What a blob holds is kept by blob id: another ref sharing the file does not read it again.
    pub(super) fn scan_headers(&mut self, path: &str, name: &str, id: Oid) -> bool {
        let Some(lines) = self.header_lines_cached(id, name) else {
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
}
