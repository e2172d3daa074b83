//! Committed archives opened: an archive is a tree, and its members are judged as the repository's own files
//! are (issue 21).
//!
//! History is pushed unchanged, so whatever a committed `.zip`, `.jar`, `.whl` or `.tar.gz` holds is published
//! with it. [`judge_archive`] opens the zip family (zip, jar, war, ear, aar, apk, whl, egg, nupkg, …, with the
//! `zip` crate, deflate and stored members only) and tarballs (`.tar`, and `.tar.gz`/`.tgz` through `flate2`,
//! with the `tar` crate), reads every member whole from the blob in memory, and gives each the path
//! `<archive path>!/<member path>`. Each member then meets the judgements a loose file meets:
//!
//! - **a licence file** (by name, [`super::is_licence_file_name`]) is a licence of bundled material: it asks
//!   for a person, naming the member — unless it is byte for byte a licence file at the root of a pushed tip
//!   (the repository's own licence, copied into its own build);
//! - **fonts, images, recordings and bundled text** by name ([`super::kind_of`]) or by their first bytes
//!   ([`crate::license::history::sniff_kind`]) are read by the asset judges, and **any other text member's
//!   header** ([`super::reads_header`]) by the header judge; what they find is an asset like a loose file's.
//!
//! Bundled third-party material is recognised by **structure**, never by names of libraries. The archive
//! bundles another package when a member is:
//!
//! - inside a vendored folder (`node_modules/`, `vendor/`, `site-packages/`, `bower_components/`, `packrat/`,
//!   `third_party/`, …) — and so is an archive that itself sits in one, which is not opened;
//! - package metadata: a `*.dist-info/`, `*.egg-info/` or `EGG-INFO/` folder, `META-INF/maven/<group>/<artifact>/`,
//!   or a package manifest (`package.json`, `bower.json`, `composer.json`, `pom.xml`, `setup.py`, `setup.cfg`,
//!   `pyproject.toml`, `PKG-INFO`, `Cargo.toml`, `go.mod`, `Chart.yaml`, `*.gemspec`, `*.nuspec`, an R
//!   `DESCRIPTION`, a Puppet module's `Modulefile` or `metadata.json`);
//! - a nested archive;
//! - compiled code (`.class`, `.so`, `.dll`, `.dylib`, `.exe`, `.pyc`, `.wasm`, `.node`, …): it carries no
//!   terms a reader could see, and it is the form in which other projects' libraries travel.
//!
//! # What makes an archive "only the project's own"
//!
//! An archive is silent only when every member was read and none of the above was found, or each one found is
//! the project's own by one of two structural proofs:
//!
//! 1. **An own copy**: the member is byte for byte the blob that the same commit holds at the corresponding
//!    place in the repository — the member's path under the archive's folder or any folder above it, directly
//!    or under `src/` (a Lambda zip built from the folder beside it, a copy of the repository's own
//!    `package.json`). That file is judged where it stands, as a loose file.
//! 2. **The archive's own package metadata, with its source in the repository**: in a wheel, egg or source
//!    distribution whose file name names package `p`, the metadata of `p` (`p-1.0.dist-info/`, `p.egg-info/`,
//!    `EGG-INFO/`, the sdist's own `PKG-INFO`, `setup.py`, `setup.cfg`, `pyproject.toml`) is the archive's own,
//!    and it is the project's when every Python module of the archive has its folder (or, at the top, its file)
//!    at a corresponding place in the same commit: the repository holds the source it was built from. Another
//!    project's wheel committed as a dependency has no such source and stays *needs review*.
//!
//! Nothing else is excused: a jar of compiled classes is never the project's own here (its source is not
//! matched), so every jar but the build tools' wrappers ([`super::archive_asset`]) asks for a person.
//!
//! # Fail closed
//!
//! An archive that cannot be read whole stays *needs review*, saying why: an archive format not read here
//! (`.7z`, `.rar`, `.tar.bz2`, `.tar.xz`, `.deb`, …), an object bigger than [`ArchiveLimits::max_archive_bytes`],
//! more than [`ArchiveLimits::max_members`] members, more than [`ArchiveLimits::max_unpacked_bytes`] unpacked
//! (a zip bomb stops there: members are read through a bounded reader, never by their declared sizes), the
//! repository's budget [`ArchiveLimits::max_repository_unpacked_bytes`] spent, an encrypted member, a
//! compression method not read (only stored and deflate), a checksum or structure error. An object missing
//! from the mirror is never opened and never excused (the caller names it).

use std::collections::{BTreeSet, HashSet};
use std::io::{Cursor, Read};

use git2::{ObjectType, Oid};

use super::terms::{class_terms, short};
use super::{AssetKind, AssetLimits, Terms, ThirdPartyAsset};

/// Bounds on opening archives. Every bound reached leaves the archive *needs review*, saying which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// The biggest archive object opened (packed bytes, read whole into memory).
    pub max_archive_bytes: usize,
    /// The most members one archive may hold.
    pub max_members: usize,
    /// The most bytes unpacked from one archive.
    pub max_unpacked_bytes: usize,
    /// The most bytes unpacked from all the archives of one repository.
    pub max_repository_unpacked_bytes: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_archive_bytes: 32 * 1024 * 1024,
            max_members: 20_000,
            max_unpacked_bytes: 128 * 1024 * 1024,
            max_repository_unpacked_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// How an archive is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Zip,
    Tar,
    TarGz,
}

/// The format an archive's name gives, when keepopen opens it; `None` for the archive formats it does not read.
pub fn format_of(path: &str) -> Option<Format> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    const ZIPS: &[&str] = &[
        ".zip", ".jar", ".war", ".ear", ".aar", ".apk", ".ipa", ".whl", ".egg", ".nupkg", ".xpi",
        ".vsix", ".sar", ".nar", ".hpi", ".jpi",
    ];
    if ZIPS.iter().any(|e| name.ends_with(e)) {
        Some(Format::Zip)
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(Format::TarGz)
    } else if name.ends_with(".tar") || name.ends_with(".gem") {
        Some(Format::Tar)
    } else {
        None
    }
}

/// Where an archive sits: what the same commit holds around it.
pub struct ArchivePlace<'a> {
    /// The archive's path in the tree.
    pub path: &'a str,
    /// The short id of the commit it was met in.
    pub commit: &'a str,
    /// The id of the entry (blob or tree) the same commit holds at a path, if any.
    pub holds: &'a dyn Fn(&str) -> Option<Oid>,
    /// The blobs of the licence files at the root of the pushed tips: the repository's own licences.
    pub own_licences: &'a HashSet<Oid>,
}

/// Why an archive was not read whole.
#[derive(Debug)]
enum Unread {
    Limit(String),
    Corrupt(String),
    Unsupported(String),
}

impl Unread {
    fn say(&self) -> String {
        match self {
            Unread::Limit(why) => format!("over a limit: {why}"),
            Unread::Corrupt(why) => format!("it cannot be read: {why}"),
            Unread::Unsupported(why) => format!("a member is not readable here: {why}"),
        }
    }
}

/// An archive-level asset asking for a person: `detail` says why.
pub fn unread_archive(path: &str, detail: String, commit: &str) -> ThirdPartyAsset {
    ThirdPartyAsset {
        path: path.to_string(),
        kind: AssetKind::Archive,
        holders: Vec::new(),
        terms: Terms::Unknown,
        evidence: format!("{detail} (commit {commit})"),
        about_fonts: false,
        component: None,
    }
}

/// An archive inside a vendored folder of the repository (`vendor/`, `node_modules/`, …) is another package's by
/// its place, as a member in such a folder is, and is not opened.
///
/// Open the archive `bytes` at `place` and judge every member; `spent` is the repository's unpacked bytes so
/// far (the archive's are added). Empty when every member was read and judged clean: the only silent outcome.
pub fn judge_archive(
    place: &ArchivePlace<'_>,
    bytes: &[u8],
    format: Format,
    limits: &ArchiveLimits,
    asset_limits: &AssetLimits,
    spent: &mut usize,
) -> Vec<ThirdPartyAsset> {
    let folders: Vec<&str> = place.path.split('/').collect();
    if let Some(v) = folders[..folders.len() - 1]
        .iter()
        .find(|f| VENDORED.contains(f))
    {
        return vec![unread_archive(
            place.path,
            format!(
                "an archive in a vendored folder ({v}/): another package, whatever it holds is published with the history"
            ),
            place.commit,
        )];
    }
    let mut judge = Judge::new(place, asset_limits);
    let mut reader = Bounded {
        limits,
        spent,
        used: 0,
        members: 0,
    };
    let read = match format {
        Format::Zip => each_zip(bytes, &mut reader, &mut |m| judge.member(m)),
        Format::Tar => each_tar(bytes, &mut reader, &mut |m| judge.member(m)),
        Format::TarGz => each_tar(
            flate2::read::MultiGzDecoder::new(bytes),
            &mut reader,
            &mut |m| judge.member(m),
        ),
    };
    judge.finish(read.err())
}

/// Reading goes on, or stops (the archive is already a matter for a person).
#[derive(PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// One member, read whole.
struct Member {
    name: String,
    dir: bool,
    bytes: Vec<u8>,
}

/// The bounds as reading goes.
struct Bounded<'l> {
    limits: &'l ArchiveLimits,
    spent: &'l mut usize,
    used: usize,
    members: usize,
}

impl Bounded<'_> {
    /// Count one more member.
    fn count(&mut self) -> Result<(), Unread> {
        self.members += 1;
        if self.members > self.limits.max_members {
            return Err(Unread::Limit(format!(
                "more than {} members",
                self.limits.max_members
            )));
        }
        Ok(())
    }

    /// Read `from` to its end within what is left of both byte budgets.
    fn read(&mut self, from: &mut dyn Read, name: &str) -> Result<Vec<u8>, Unread> {
        let archive_left = self.limits.max_unpacked_bytes.saturating_sub(self.used);
        let repo_left = self
            .limits
            .max_repository_unpacked_bytes
            .saturating_sub(*self.spent);
        let left = archive_left.min(repo_left);
        let mut bytes = Vec::new();
        (&mut *from)
            .take(left as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Unread::Corrupt(format!("{name}: {e}")))?;
        let n = bytes.len().min(left);
        self.used += n;
        *self.spent += n;
        if bytes.len() > left {
            return Err(Unread::Limit(if archive_left <= repo_left {
                format!(
                    "more than {} bytes unpacked from this archive (at {name})",
                    self.limits.max_unpacked_bytes
                )
            } else {
                format!(
                    "the limit of {} bytes unpacked from the repository's archives was reached (at {name})",
                    self.limits.max_repository_unpacked_bytes
                )
            }));
        }
        Ok(bytes)
    }
}

fn each_zip(
    bytes: &[u8],
    reader: &mut Bounded<'_>,
    visit: &mut dyn FnMut(Member) -> Flow,
) -> Result<(), Unread> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Unread::Corrupt(format!("not a readable zip: {e}")))?;
    if zip.len() > reader.limits.max_members {
        return Err(Unread::Limit(format!(
            "{} members, more than {}",
            zip.len(),
            reader.limits.max_members
        )));
    }
    for i in 0..zip.len() {
        reader.count()?;
        let mut file = match zip.by_index(i) {
            Ok(file) => file,
            Err(zip::result::ZipError::UnsupportedArchive(why)) => {
                return Err(Unread::Unsupported(format!("member {i}: {why}")));
            }
            Err(e) => return Err(Unread::Corrupt(format!("member {i}: {e}"))),
        };
        let name = match file.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
        };
        if file.encrypted() {
            return Err(Unread::Unsupported(format!("{name} is encrypted")));
        }
        let dir = file.is_dir();
        let bytes = reader.read(&mut file, &name)?;
        if visit(Member { name, dir, bytes }) == Flow::Stop {
            break;
        }
    }
    Ok(())
}

fn each_tar(
    from: impl Read,
    reader: &mut Bounded<'_>,
    visit: &mut dyn FnMut(Member) -> Flow,
) -> Result<(), Unread> {
    let mut tar = tar::Archive::new(from);
    let entries = tar
        .entries()
        .map_err(|e| Unread::Corrupt(format!("not a readable tarball: {e}")))?;
    for entry in entries {
        reader.count()?;
        let mut entry =
            entry.map_err(|e| Unread::Corrupt(format!("not a readable tarball: {e}")))?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        let dir = kind.is_dir();
        let bytes = reader.read(&mut entry, &name)?;
        if visit(Member { name, dir, bytes }) == Flow::Stop {
            break;
        }
    }
    Ok(())
}

/// Folders of other packages inside an archive.
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
    "site-packages",
    "dist-packages",
    "packrat",
    "renv",
    "Pods",
    "Carthage",
    ".venv",
    "venv",
];

/// Package manifests: a member by one of these names is another package's, unless it is the archive's own.
const MANIFESTS: &[&str] = &[
    "package.json",
    "bower.json",
    "composer.json",
    "pom.xml",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "PKG-INFO",
    "Cargo.toml",
    "go.mod",
    "Chart.yaml",
    "Modulefile",
];

/// Extensions of compiled code.
const COMPILED: &[&str] = &[
    "class", "so", "dll", "dylib", "exe", "pyc", "pyo", "pyd", "o", "a", "lib", "node", "wasm",
    "jnilib", "dex", "beam", "elc",
];

/// The package name a file name or metadata folder gives, normalised (PEP 503: case and `-_.` folded).
fn normalised(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The name before the version in `name-1.2…`: up to the first `-` followed by a digit.
fn before_version(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return &stem[..i];
        }
    }
    stem
}

/// The archive's own package name (wheel, egg, source distribution) and its stem (a sdist's top folder).
fn own_package(path: &str) -> (Option<String>, String) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let stem_len = [".tar.gz", ".tgz", ".tar", ".zip", ".whl", ".egg"]
        .iter()
        .find(|e| lower.ends_with(*e))
        .map(|e| name.len() - e.len());
    let stem = stem_len.map(|n| &name[..n]).unwrap_or(name).to_string();
    let package = if lower.ends_with(".whl") || lower.ends_with(".egg") {
        stem.split('-').next().map(normalised)
    } else if stem_len.is_some() {
        let before = before_version(&stem);
        (before.len() < stem.len()).then(|| normalised(before))
    } else {
        None
    };
    (package, stem)
}

/// A package metadata folder among `components` (all but the file name): its index and package name
/// (`None` for `EGG-INFO`, which is the egg's own).
fn metadata_folder(components: &[&str]) -> Option<(usize, Option<String>)> {
    components.iter().enumerate().find_map(|(i, c)| {
        if *c == "EGG-INFO" {
            return Some((i, None));
        }
        let stem = c
            .strip_suffix(".dist-info")
            .or_else(|| c.strip_suffix(".egg-info"))?;
        Some((i, Some(normalised(before_version(stem)))))
    })
}

/// What was found that makes the archive bundle something, or that is the archive's own package pending proof.
struct Found {
    member: String,
    what: String,
}

struct Judge<'p> {
    place: &'p ArchivePlace<'p>,
    asset_limits: &'p AssetLimits,
    package: Option<String>,
    stem: String,
    /// Assets found in members.
    assets: Vec<ThirdPartyAsset>,
    /// Bundled packages found (definite).
    bundles: Vec<Found>,
    /// The archive's own package metadata: the project's only when its source is in the repository.
    own_metadata: Vec<Found>,
    /// The folders (or top-level files) of the archive's Python modules, relative to its top.
    modules: BTreeSet<String>,
}

impl<'p> Judge<'p> {
    fn new(place: &'p ArchivePlace<'p>, asset_limits: &'p AssetLimits) -> Self {
        let (package, stem) = own_package(place.path);
        Judge {
            place,
            asset_limits,
            package,
            stem,
            assets: Vec::new(),
            bundles: Vec::new(),
            own_metadata: Vec::new(),
            modules: BTreeSet::new(),
        }
    }

    /// The member's path relative to the archive's top: a source distribution's top folder (named as the
    /// archive) is left out.
    fn relative<'m>(&self, name: &'m str) -> &'m str {
        name.strip_prefix(self.stem.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(name)
    }

    /// The places in the repository a member at `relative` corresponds to: under the archive's folder or any
    /// folder above it, directly or under `src/`.
    fn places(&self, relative: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut folder = self.place.path.rsplit_once('/').map(|(f, _)| f);
        loop {
            let base = folder.map(|f| format!("{f}/")).unwrap_or_default();
            out.push(format!("{base}{relative}"));
            out.push(format!("{base}src/{relative}"));
            match folder {
                Some(f) => folder = f.rsplit_once('/').map(|(up, _)| up),
                None => break,
            }
        }
        out
    }

    /// Whether a member is byte for byte the repository's file at a corresponding place.
    fn own_copy(&self, relative: &str, bytes: &[u8]) -> bool {
        let Ok(id) = Oid::hash_object(ObjectType::Blob, bytes) else {
            return false;
        };
        self.places(relative)
            .iter()
            .any(|p| (self.place.holds)(p) == Some(id))
    }

    fn full(&self, member: &str) -> String {
        format!("{}!/{member}", self.place.path)
    }

    fn member(&mut self, member: Member) -> Flow {
        let name = member.name.trim_start_matches("./").trim_start_matches('/');
        if member.dir || name.is_empty() {
            return Flow::Go;
        }
        let name = name.to_string();
        let relative = self.relative(&name).to_string();
        let mut parts: Vec<&str> = relative.split('/').filter(|p| !p.is_empty()).collect();
        let Some(file) = parts.pop() else {
            return Flow::Go;
        };
        let bytes = member.bytes;
        // An AppleDouble member (`__MACOSX/._LICENCE.txt`) holding only macOS's bookkeeping is no text, whatever
        // its name; one that may hold words is judged below as any member is (`license::appledouble`).
        if crate::license::appledouble::only_bookkeeping(&bytes).is_ok() {
            return Flow::Go;
        }
        if let Some(found) = self.structure(&name, &relative, &parts, file, &bytes) {
            if self.own_copy(&relative, &bytes) {
                return Flow::Go;
            }
            self.bundles.push(found);
            return Flow::Stop;
        }
        if relative.ends_with(".py") {
            self.modules.insert(match relative.rsplit_once('/') {
                Some((folder, _)) => folder.to_string(),
                None => relative.clone(),
            });
        }
        if super::is_licence_file_name(file) {
            self.licence_file(&name, &relative, &bytes);
            return Flow::Go;
        }
        self.judge_content(&name, &bytes);
        Flow::Go
    }

    /// What the member's place or name says it is, when that is bundled material: `None` for anything else,
    /// including the archive's own package metadata (kept in [`Judge::own_metadata`] for proof).
    fn structure(
        &mut self,
        name: &str,
        relative: &str,
        folders: &[&str],
        file: &str,
        bytes: &[u8],
    ) -> Option<Found> {
        let found = |what: String| {
            Some(Found {
                member: name.to_string(),
                what,
            })
        };
        if let Some(v) = folders.iter().find(|f| VENDORED.contains(f)) {
            return found(format!("in a vendored folder ({v}/)"));
        }
        if let Some(i) = folders.iter().position(|f| *f == "META-INF")
            && folders.get(i + 1) == Some(&"maven")
        {
            let coordinates = folders[i + 2..].join(":");
            return found(format!("Maven package metadata of {coordinates}"));
        }
        if let Some((_, package)) = metadata_folder(folders) {
            let own = match &package {
                None => true,
                Some(p) => self.package.as_deref() == Some(p.as_str()),
            };
            let what = format!(
                "package metadata of {}",
                package.as_deref().unwrap_or("the egg")
            );
            if own && self.package.is_some() {
                self.own_metadata.push(Found {
                    member: name.to_string(),
                    what,
                });
                return None;
            }
            return found(what);
        }
        let lower = file.to_ascii_lowercase();
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        // A Puppet module's metadata: `metadata.json` naming the module's own name, version and licence.
        let module_metadata = file == "metadata.json"
            && ["\"name\"", "\"version\"", "\"license\""]
                .iter()
                .all(|k| head.contains(k));
        let manifest = MANIFESTS.contains(&file)
            || module_metadata
            || lower.ends_with(".gemspec")
            || lower.ends_with(".nuspec")
            || (file == "DESCRIPTION" && head.lines().any(|l| l.starts_with("Package:")));
        if manifest {
            let what = format!("a package manifest ({file})");
            // A source distribution's own manifests, at its top.
            let sdist_own = folders.is_empty()
                && relative != name
                && matches!(
                    file,
                    "PKG-INFO" | "setup.py" | "setup.cfg" | "pyproject.toml"
                )
                && self.package.is_some();
            if sdist_own {
                self.own_metadata.push(Found {
                    member: name.to_string(),
                    what,
                });
                return None;
            }
            return found(what);
        }
        if super::is_archive_name(file) {
            return found("a nested archive".into());
        }
        let extension = lower.rsplit_once('.').map(|(_, e)| e);
        if extension.is_some_and(|e| COMPILED.contains(&e)) {
            return found("compiled code, whose terms cannot be read".into());
        }
        None
    }

    /// A licence file inside the archive: a licence of bundled material, unless it is the repository's own.
    fn licence_file(&mut self, name: &str, relative: &str, bytes: &[u8]) {
        let own = Oid::hash_object(ObjectType::Blob, bytes)
            .is_ok_and(|id| self.place.own_licences.contains(&id))
            || self.own_copy(relative, bytes);
        if own {
            return;
        }
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
        let (terms, evidence) = class_terms(&text);
        let terms = match terms {
            Terms::Restrictive => Terms::Restrictive,
            _ => Terms::Unknown,
        };
        let said = if terms == Terms::Restrictive {
            evidence
        } else {
            format!("\"{}\"", short(&text, 120))
        };
        // Kind `Archive`: the reason reads "archive: … a licence file inside an archive", not "licence file only
        // in history" (the history's own deleted licence files).
        self.assets.push(ThirdPartyAsset {
            path: self.full(name),
            kind: AssetKind::Archive,
            holders: Vec::new(),
            terms,
            evidence: format!(
                "a licence file inside an archive is a licence of bundled material: {said} (commit {})",
                self.place.commit
            ),
            about_fonts: false,
            component: None,
        });
    }

    /// A member's content judged as a loose file's: an asset kind by name or first bytes, or a text file's header.
    fn judge_content(&mut self, name: &str, bytes: &[u8]) {
        let limits = self.asset_limits;
        let kind = super::kind_of(name)
            .or_else(|| {
                (super::reads_header(name)
                    && super::headers::is_text(&bytes[..bytes.len().min(limits.text_prefix)]))
                .then_some(AssetKind::Text)
            })
            .or_else(|| {
                let head = &bytes[..bytes.len().min(64)];
                crate::license::history::sniff_kind(head)
                    .filter(|k| *k != AssetKind::Font || super::font_names(bytes).is_ok())
            });
        let Some(kind) = kind else {
            return;
        };
        if kind == AssetKind::Font && bytes.len() > limits.max_blob_bytes {
            self.assets.push(ThirdPartyAsset::unread_font(
                self.full(name),
                format!(
                    "not read: {} bytes, over the {} byte limit (commit {})",
                    bytes.len(),
                    limits.max_blob_bytes,
                    self.place.commit
                ),
            ));
            return;
        }
        let want = super::prefix_for(kind, name, limits).min(bytes.len());
        let prefix = &bytes[..want];
        // Grants in an archive's headers never make licensors of the repository: only the asset is kept.
        let asset = if kind == AssetKind::Text {
            super::read_text(name, prefix).0
        } else {
            super::judge_bytes(name, kind, prefix)
        };
        if let Some(mut asset) = asset {
            asset.path = self.full(name);
            asset.evidence = format!("{} (commit {})", asset.evidence, self.place.commit);
            self.assets.push(asset);
        }
    }

    /// The judgement: member assets, then the archive's own finding when it bundles packages or was not read whole.
    fn finish(mut self, unread: Option<Unread>) -> Vec<ThirdPartyAsset> {
        let own_source = !self.modules.is_empty()
            && self.modules.iter().all(|m| {
                self.places(m)
                    .iter()
                    .any(|p| (self.place.holds)(p).is_some())
            });
        if !own_source {
            let pending = std::mem::take(&mut self.own_metadata);
            self.bundles.extend(pending.into_iter().map(|f| Found {
                member: f.member,
                what: format!(
                    "{}, the archive's own, but the repository does not hold the source of its modules",
                    f.what
                ),
            }));
        }
        let mut out = self.assets;
        let commit = self.place.commit;
        if let Some(first) = self.bundles.first() {
            out.push(unread_archive(
                self.place.path,
                format!(
                    "bundles another package, found by its structure: {}!/{} ({}); whatever it bundles is published with the history",
                    self.place.path, first.member, first.what
                ),
                commit,
            ));
        }
        if let Some(why) = unread {
            out.push(unread_archive(
                self.place.path,
                format!(
                    "not read whole, so whatever it holds is published unread: {}",
                    why.say()
                ),
                commit,
            ));
        }
        out
    }
}
