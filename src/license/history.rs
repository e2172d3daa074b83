//! Evidence of absence over the history: before "no licence anywhere" forbids a repository, the history that
//! would be pushed (every branch and tag) is searched for a licence file ever committed at its root. One found
//! means a licence was removed — perhaps by mistake, perhaps on purpose — and a person must decide; none found
//! (within the bound) leaves the verdict as it was.
//!
//! [`assets`] reads the third-party assets (fonts, photographs, bundled files) of every blob of that history,
//! whatever the verdict: history is pushed unchanged, so a file deleted at the tip is still published. A
//! committed archive among those blobs is opened and each member judged as a loose file
//! ([`super::assets::judge_archive`]); an archive not read whole asks for a person.
//!
//! The search for a licence file is cheap by construction: commits are walked newest first from every `refs/heads/*` and `refs/tags/*`, only
//! root trees are read, each distinct root tree once, and only entry names are looked at; the walk stops at
//! [`Bounds`]. A walk cut short says so ([`Observation::HistoryNotSearched`]) rather than claim an absence.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use git2::{ObjectType, Oid, Repository, RepositoryOpenFlags, Sort};

use super::assets::{AssetKind, AssetScan, ThirdPartyAsset};
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
    let walk = pushed_history(repo)?;
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

// ---------------------------------------------------------------------------------------------------------
// Third-party assets over the pushed history

/// Which blobs of the pushed history [`assets`] reads, and within what bounds.
#[derive(Debug, Clone)]
pub struct AssetReach {
    /// Fonts, photographs (JPEG, TIFF, WebP, HEIF) and bundled text (scripts, stylesheets, saved pages) by
    /// name: [`super::assets::kind_of`].
    pub by_name: super::assets::Reach,
    /// Blobs whose name gives no asset kind and is not a common text or code extension are sniffed: the
    /// first bytes say whether they are a font or an image. Blobs bigger than this are not.
    pub sniff_max_bytes: usize,
    /// The most bytes of a text file or SVG searched for `data:` URIs; a bigger file's rest is said unread.
    pub inline_max_bytes: usize,
    pub limits: super::assets::AssetLimits,
    /// Bounds on opening committed archives ([`super::assets::judge_archive`]).
    pub archives: super::assets::ArchiveLimits,
}

impl Default for AssetReach {
    fn default() -> Self {
        AssetReach {
            by_name: super::assets::Reach::Branch,
            sniff_max_bytes: 4 * 1024 * 1024,
            inline_max_bytes: 16 * 1024 * 1024,
            limits: super::assets::AssetLimits::default(),
            archives: super::assets::ArchiveLimits::default(),
        }
    }
}

/// Read the third-party assets of every blob that republication pushes: every commit reachable from the
/// branches and tags, each tree and each blob once, newest commits first. History is pushed unchanged, so a
/// font under a foundry's terms that was committed in 2019 and deleted in 2024 is published all the same.
/// Each blob is judged by [`super::assets::judge_bytes`] as a font, image or bundled file — by its name, or,
/// for a name that says nothing, by its first bytes (a font's or image's signature). A bound reached is said
/// in [`AssetScan::incomplete`], which asks for a person.
pub fn assets(repo: &Repository, reach: &AssetReach) -> AssetScan {
    let started = Instant::now();
    let Ok(odb) = repo.odb() else {
        return AssetScan::cut_short("the object database cannot be opened".into());
    };
    let walk = match pushed_history(repo) {
        Ok(walk) => walk,
        Err(e) => {
            return AssetScan::cut_short(format!("the history cannot be walked: {}", e.message()));
        }
    };
    let mut reader = HistoryReader::new(repo, odb, reach);
    for id in walk {
        match id.and_then(|id| repo.find_commit(id)) {
            Ok(commit) => reader.read_commit(&commit),
            Err(_) => reader.cut("a commit of the history cannot be read".into()),
        }
    }
    reader.log(started);
    reader.scan
}

/// The commits republication pushes, newest first: those reachable from every branch and tag. The globs
/// skip refs that do not point to commits (a tag of a blob); annotated tags are peeled.
fn pushed_history(repo: &Repository) -> Result<git2::Revwalk<'_>, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TIME)?;
    walk.push_glob("refs/heads/*")?;
    walk.push_glob("refs/tags/*")?;
    Ok(walk)
}

/// How a blob of the history is read: as the asset kind its name gives, or by sniffing its first bytes.
#[derive(Clone, Copy)]
enum Wanted {
    Named(AssetKind),
    Sniffed,
}

/// One read of the pushed history's assets: what was seen, read and found so far.
struct HistoryReader<'r> {
    repo: &'r Repository,
    odb: git2::Odb<'r>,
    reach: &'r AssetReach,
    /// Licence files at the pushed tips: discovery's, not read here.
    tip_licences: HashSet<Oid>,
    /// Licence files at the root of the pushed tips: the repository's own licences, which its own archives
    /// may carry a copy of.
    root_licences: HashSet<Oid>,
    /// The root tree of the commit being read: what an archive met in it is compared with.
    current_tree: Option<Oid>,
    /// Bytes unpacked from archives so far.
    archive_bytes: usize,
    seen_trees: HashSet<Oid>,
    seen_blobs: HashSet<Oid>,
    commits: usize,
    bytes_read: usize,
    sniffed: usize,
    scan: AssetScan,
}

impl<'r> HistoryReader<'r> {
    fn new(repo: &'r Repository, odb: git2::Odb<'r>, reach: &'r AssetReach) -> Self {
        HistoryReader {
            repo,
            odb,
            reach,
            tip_licences: licence_blobs_at_tips(repo),
            root_licences: root_licence_blobs_at_tips(repo),
            current_tree: None,
            archive_bytes: 0,
            seen_trees: HashSet::new(),
            seen_blobs: HashSet::new(),
            commits: 0,
            bytes_read: 0,
            sniffed: 0,
            scan: AssetScan::default(),
        }
    }

    /// Record the first reason the scan is incomplete.
    fn cut(&mut self, why: String) {
        if self.scan.incomplete.is_none() {
            self.scan.incomplete = Some(why);
        }
    }

    /// Read the trees of one commit that no earlier commit shared, and their blobs not yet read.
    fn read_commit(&mut self, commit: &git2::Commit<'_>) {
        let repo = self.repo;
        self.commits += 1;
        let short = commit.id().to_string()[..10].to_owned();
        self.current_tree = Some(commit.tree_id());
        let mut stack = vec![(commit.tree_id(), String::new())];
        while let Some((tree_id, prefix)) = stack.pop() {
            if !self.seen_trees.insert(tree_id) {
                continue;
            }
            let Ok(tree) = repo.find_tree(tree_id) else {
                self.cut(format!("tree {tree_id} ({prefix}) cannot be read"));
                continue;
            };
            for entry in tree.iter() {
                let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
                match entry.kind() {
                    Some(ObjectType::Tree) => stack.push((entry.id(), format!("{path}/"))),
                    Some(ObjectType::Blob)
                        if entry.filemode() != i32::from(git2::FileMode::Link) =>
                    {
                        self.read_blob(entry.id(), path, &short);
                    }
                    _ => {}
                }
            }
        }
    }

    /// Read one blob, once, when its name or first bytes make it an asset and the limits allow.
    ///
    /// Two things are judged before anything else, and never skipped: an archive, opened and judged member by
    /// member ([`HistoryReader::archive`]), and a file whose name makes it licence-relevant — an asset kind, a
    /// licence file, a document, or a name that says nothing and would be sniffed — whose object the mirror
    /// does not hold. An unread file is never clean: a missing one is an asset of unknown terms, named for a
    /// person.
    fn read_blob(&mut self, id: Oid, path: String, commit: &str) {
        if self.seen_blobs.contains(&id) {
            return;
        }
        if super::assets::is_archive_name(&path) {
            self.seen_blobs.insert(id);
            let found = self.archive(id, &path, commit);
            self.scan.assets.extend(found);
            return;
        }
        if let Some((member, format)) = compressed_member(&path) {
            self.seen_blobs.insert(id);
            self.compressed(id, &path, &member, format, commit);
            return;
        }
        let name = path.rsplit('/').next().unwrap_or(&path);
        if super::assets::is_terms_file_name(name) && self.lfs_pointer(id) {
            self.seen_blobs.insert(id);
            self.scan.assets.push(lfs_asset(path, commit));
            return;
        }
        let wanted = self.wanted(id, &path);
        if (wanted.is_some() || licence_relevant(&path)) && !self.odb.exists(id) {
            self.seen_blobs.insert(id);
            let kind =
                if super::assets::is_terms_file_name(path.rsplit('/').next().unwrap_or(&path)) {
                    Some(AssetKind::LicenceFile)
                } else {
                    super::assets::kind_of(&path)
                };
            self.scan
                .assets
                .push(ThirdPartyAsset::missing(path, kind, missing_why(commit)));
            return;
        }
        let Some(wanted) = wanted else {
            return;
        };
        self.seen_blobs.insert(id);
        if let Some(why) = self.over_limits(&path) {
            self.cut(why);
            return;
        }
        let size = self.odb.read_header(id).map(|(s, _)| s).unwrap_or(0);
        let kind = match wanted {
            Wanted::Named(kind) => kind,
            Wanted::Sniffed => match self.sniff(id, size) {
                Some(Sniff::Asset(kind)) => kind,
                Some(Sniff::Gzip) => {
                    let member = path.rsplit('/').next().unwrap_or(&path).to_string();
                    self.compressed(id, &path, &member, Compression::Gzip, commit);
                    return;
                }
                None => return,
            },
        };
        self.scan.blobs_read += 1;
        let sniffed = matches!(wanted, Wanted::Sniffed);
        if let Some(asset) = self.judge(id, path, kind, size, sniffed, commit) {
            self.scan.assets.push(asset);
        }
    }

    /// Judge a committed archive: a build tool's wrapper jar by its place and size
    /// ([`super::assets::archive_asset`]); any other opened and every member judged
    /// ([`super::assets::judge_archive`]). A missing object, a format not read, or an object over
    /// [`super::assets::ArchiveLimits::max_archive_bytes`] is never opened and asks for a person, saying why.
    fn archive(&mut self, id: Oid, path: &str, commit: &str) -> Vec<ThirdPartyAsset> {
        let Ok((size, _)) = self.odb.read_header(id) else {
            return vec![ThirdPartyAsset::missing(
                path.to_string(),
                Some(AssetKind::Archive),
                missing_why(commit),
            )];
        };
        let named = super::assets::archive_asset(path, size, commit);
        if named.component.is_some() {
            return vec![named];
        }
        let limits = &self.reach.archives;
        let Some(format) = super::assets::archive_format(path) else {
            return vec![super::assets::unread_archive(
                path,
                format!(
                    "an archive of {size} bytes in a format keepopen does not open: whatever it holds is published unread"
                ),
                commit,
            )];
        };
        if size > limits.max_archive_bytes {
            return vec![super::assets::unread_archive(
                path,
                format!(
                    "an archive of {size} bytes, over the limit of {} bytes on an archive opened: whatever it holds is published unread",
                    limits.max_archive_bytes
                ),
                commit,
            )];
        }
        let object = match self.odb.read(id) {
            Ok(object) => object,
            Err(e) => {
                return vec![super::assets::unread_archive(
                    path,
                    format!("an archive that cannot be read: {}", e.message()),
                    commit,
                )];
            }
        };
        let repo = self.repo;
        let tree = self.current_tree.and_then(|t| repo.find_tree(t).ok());
        let holds = |p: &str| -> Option<Oid> {
            tree.as_ref()?
                .get_path(Path::new(p))
                .ok()
                .map(|entry| entry.id())
        };
        let place = super::assets::ArchivePlace {
            path,
            commit,
            holds: &holds,
            own_licences: &self.root_licences,
        };
        let mut spent = self.archive_bytes;
        let found = super::assets::judge_archive(
            &place,
            object.data(),
            format,
            limits,
            &self.reach.limits,
            &mut spent,
        );
        self.archive_bytes = spent;
        found
    }

    /// Whether a blob is read, and how: `None` for a licence file a pushed tip holds (discovery's), a name
    /// not read at this reach, or a text or code name not worth sniffing.
    fn wanted(&self, id: Oid, path: &str) -> Option<Wanted> {
        let name = path.rsplit('/').next().unwrap_or(path);
        // A licence file only the history holds is published all the same, and read here.
        let by_name = if super::assets::is_terms_file_name(name) {
            if self.tip_licences.contains(&id) {
                return None;
            }
            Some(AssetKind::LicenceFile)
        } else {
            super::assets::kind_of(path)
        };
        match by_name {
            Some(kind) => reads(self.reach.by_name, kind, path).then_some(Wanted::Named(kind)),
            None => sniffable(path).then_some(Wanted::Sniffed),
        }
    }

    /// Why the next blob, at `path`, is left unread: a limit on files or bytes already reached.
    fn over_limits(&self, path: &str) -> Option<String> {
        let limits = &self.reach.limits;
        if self.scan.blobs_read >= limits.max_files {
            Some(format!(
                "more than {} asset files; first left unread: {path}",
                limits.max_files
            ))
        } else if self.bytes_read >= limits.max_total_bytes {
            Some(format!(
                "more than {} bytes of assets; first left unread: {path}",
                limits.max_total_bytes
            ))
        } else {
            None
        }
    }

    /// The asset kind a blob's first bytes announce, or a gzip stream, when its size is worth sniffing.
    fn sniff(&mut self, id: Oid, size: usize) -> Option<Sniff> {
        if size < 12 || size > self.reach.sniff_max_bytes {
            return None;
        }
        self.sniffed += 1;
        let head = super::refs::read_head(&self.odb, id, 64).ok()?;
        if head.starts_with(&[0x1F, 0x8B]) {
            return Some(Sniff::Gzip);
        }
        sniff_kind(&head).map(Sniff::Asset)
    }

    /// Whether a blob is a git-lfs pointer ([`super::assets::lfs_pointer`]).
    fn lfs_pointer(&self, id: Oid) -> bool {
        match self.odb.read_header(id) {
            Ok((size, _)) if size <= 1024 => super::refs::read_head(&self.odb, id, 1024)
                .is_ok_and(|bytes| super::assets::lfs_pointer(&bytes)),
            _ => false,
        }
    }

    /// Judge a single compressed file (gzip or brotli) as the file it holds, named `member` (`a.ttf` for `a.ttf.gz`), at
    /// `<path>!/<member>`: a licence, notice or terms file as one only the history holds, anything else by its
    /// name or bytes as [`super::assets::judge_bytes`] judges a loose file. The invariant: compressing a file
    /// never hides it. A gzip stream is unpacked within [`super::assets::ArchiveLimits`]; a member whose name
    /// or bytes matter and that is not read whole (another compression, a stream that will not unpack, a
    /// limit reached) is an asset of unknown terms, named for a person. A compressed file of no such name
    /// whose bytes are no asset (`rows.csv.gz`, `dump.sql.bz2`) says nothing.
    fn compressed(&mut self, id: Oid, path: &str, member: &str, format: Compression, commit: &str) {
        let inner = format!("{path}!/{member}");
        let named_kind = if super::assets::is_terms_file_name(member) {
            Some(AssetKind::LicenceFile)
        } else {
            super::assets::kind_of(member)
        };
        let unread = |why: String| {
            ThirdPartyAsset::missing(
                inner.clone(),
                named_kind,
                format!("{why} (commit {commit})"),
            )
        };
        let limits = &self.reach.archives;
        let size = match self.odb.read_header(id) {
            Ok((size, _)) => size,
            Err(_) => {
                if named_kind.is_some() {
                    self.scan.assets.push(ThirdPartyAsset::missing(
                        path.to_string(),
                        named_kind,
                        missing_why(commit),
                    ));
                }
                return;
            }
        };
        let opened = matches!(format, Compression::Gzip | Compression::Brotli);
        if !opened || size > limits.max_archive_bytes {
            if named_kind.is_some() {
                let why = if opened {
                    format!(
                        "compressed, {size} bytes, over the limit of {} bytes on a compressed file opened: not read",
                        limits.max_archive_bytes
                    )
                } else {
                    format!(
                        "compressed as {}, which keepopen does not unpack: not read",
                        format.name()
                    )
                };
                self.scan.assets.push(unread(why));
            }
            return;
        }
        let Ok(object) = self.odb.read(id) else {
            self.scan.assets.push(unread("cannot be read".into()));
            return;
        };
        let unpack = |max: usize, out: &mut Vec<u8>| -> std::io::Result<usize> {
            let reader: Box<dyn std::io::Read> = match format {
                Compression::Brotli => {
                    Box::new(brotli_decompressor::Decompressor::new(object.data(), 4096))
                }
                _ => Box::new(flate2::read::MultiGzDecoder::new(object.data())),
            };
            std::io::Read::read_to_end(&mut std::io::Read::take(reader, max as u64), out)
        };
        // What the member is, its name or else its first bytes say: a font or an image announces itself there.
        let mut head = Vec::new();
        let _ = unpack(64, &mut head);
        let Some(kind) = named_kind.or_else(|| super::assets::content_kind(&head)) else {
            return;
        };
        let cap = limits.max_unpacked_bytes.min(
            limits
                .max_repository_unpacked_bytes
                .saturating_sub(self.archive_bytes),
        );
        let mut bytes = Vec::new();
        let read = unpack(cap + 1, &mut bytes);
        self.archive_bytes += bytes.len();
        let whole = read.is_ok() && bytes.len() <= cap;
        if !whole {
            let why = match read {
                Err(e) => format!("compressed, and will not unpack ({e}): not read"),
                Ok(_) => format!(
                    "compressed, and over the unpacking limit of {cap} bytes: not read whole"
                ),
            };
            self.scan.assets.push(unread(why));
            return;
        }
        self.scan.blobs_read += 1;
        if kind == AssetKind::LicenceFile && super::assets::lfs_pointer(&bytes) {
            self.scan.assets.push(lfs_asset(inner, commit));
            return;
        }
        let mut found = super::assets::inline_assets(&inner, &bytes);
        let want = super::assets::prefix_for(kind, &inner, &self.reach.limits).max(
            if super::assets::content_kind(&bytes) == Some(AssetKind::Font) {
                bytes.len()
            } else {
                0
            },
        );
        if let Some(asset) =
            super::assets::judge_bytes(&inner, kind, &bytes[..bytes.len().min(want)])
        {
            found.insert(0, asset);
        }
        for mut asset in found {
            asset.evidence = format!("{} (commit {commit})", asset.evidence);
            self.scan.assets.push(asset);
        }
    }

    /// Read a blob of `kind` as far as its kind needs and judge it; the evidence names the commit it was
    /// met in. A font too big or unreadable is an asset of unknown terms.
    fn judge(
        &mut self,
        id: Oid,
        path: String,
        kind: AssetKind,
        size: usize,
        sniffed: bool,
        commit: &str,
    ) -> Option<ThirdPartyAsset> {
        let limits = &self.reach.limits;
        if kind == AssetKind::Font && size > limits.max_blob_bytes {
            let why = format!(
                "not read: {size} bytes, over the {} byte limit (commit {commit})",
                limits.max_blob_bytes
            );
            return Some(ThirdPartyAsset::unread_font(path, why));
        }
        // A text file or an SVG is read further than its head: a data: URI anywhere in it is a file of its
        // own ([`super::assets::inline_assets`]).
        let inline = matches!(kind, AssetKind::Text)
            || (kind == AssetKind::Image && path.to_ascii_lowercase().ends_with(".svg"));
        let head = super::assets::prefix_for(kind, &path, limits);
        let want = if inline {
            head.max(size.min(self.reach.inline_max_bytes))
        } else {
            head
        };
        let Ok(mut bytes) = super::refs::read_head(&self.odb, id, want) else {
            // Present but unreadable (a corrupt object): never skipped.
            return Some(ThirdPartyAsset::missing(
                path,
                Some(kind),
                format!("cannot be read (commit {commit})"),
            ));
        };
        self.bytes_read += bytes.len().min(head);
        if inline {
            if size > self.reach.inline_max_bytes {
                self.cut(format!(
                    "{path} is {size} bytes: the data: URIs after its first {} bytes are not read",
                    self.reach.inline_max_bytes
                ));
            }
            for mut asset in super::assets::inline_assets(&path, &bytes) {
                asset.evidence = format!("{} (commit {commit})", asset.evidence);
                self.scan.assets.push(asset);
            }
            bytes.truncate(head);
        }
        // A font under another name is read whole, as a font is.
        if kind != AssetKind::Font
            && super::assets::content_kind(&bytes) == Some(AssetKind::Font)
            && bytes.len() < size
            && size <= limits.max_blob_bytes
            && let Ok(whole) = super::refs::read_head(&self.odb, id, size)
        {
            bytes = whole;
        }
        // A sniffed "font" the parser cannot read is some other binary, not an asset.
        if sniffed && kind == AssetKind::Font && super::assets::font_names(&bytes).is_err() {
            return None;
        }
        let mut asset = super::assets::judge_bytes(&path, kind, &bytes)?;
        asset.evidence = format!("{} (commit {commit})", asset.evidence);
        Some(asset)
    }

    fn log(&self, started: Instant) {
        tracing::debug!(
            commits = self.commits,
            trees = self.seen_trees.len(),
            blobs = self.scan.blobs_read,
            sniffed = self.sniffed,
            bytes = self.bytes_read,
            assets = self.scan.assets.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            incomplete = self.scan.incomplete.is_some(),
            "third-party assets of the pushed history read"
        );
    }
}

/// What a sniffed blob's first bytes are.
enum Sniff {
    Asset(AssetKind),
    Gzip,
}

/// How a single compressed file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    Gzip,
    Brotli,
    Other(&'static str),
}

impl Compression {
    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Brotli => "brotli",
            Compression::Other(name) => name,
        }
    }
}

/// The member a single compressed file's name says it holds, and how it is compressed: `TERMS.txt` of
/// `TERMS.txt.gz`, `logo.svg` of `logo.svgz`; `None` for other names (an archive is not one:
/// [`super::assets::is_archive_name`] comes first).
fn compressed_member(path: &str) -> Option<(String, Compression)> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".svgz") {
        return (!stem.is_empty())
            .then(|| (format!("{}.svg", &name[..stem.len()]), Compression::Gzip));
    }
    for (ending, format) in [
        (".gz", Compression::Gzip),
        (".gzip", Compression::Gzip),
        (".bz2", Compression::Other("bzip2")),
        (".xz", Compression::Other("xz")),
        (".lzma", Compression::Other("lzma")),
        (".zst", Compression::Other("zstd")),
        (".br", Compression::Brotli),
        (".lz", Compression::Other("lzip")),
        (".lz4", Compression::Other("lz4")),
        (".z", Compression::Other("compress")),
    ] {
        if let Some(stem) = lower.strip_suffix(ending)
            && !stem.is_empty()
        {
            return Some((name[..stem.len()].to_string(), format));
        }
    }
    None
}

/// A licence, notice or terms file committed as a git-lfs pointer: its words are not in the repository.
fn lfs_asset(path: String, commit: &str) -> ThirdPartyAsset {
    ThirdPartyAsset::missing(
        path,
        Some(AssetKind::LicenceFile),
        format!(
            "a git-lfs pointer (commit {commit}): the file's own text is stored outside the repository and is not read"
        ),
    )
}

/// Why a file is not read: its object is missing.
fn missing_why(commit: &str) -> String {
    format!("cannot be read: its object is missing from the mirror (commit {commit})")
}

/// Whether a file's name makes it matter to the licence whatever the reach of the scan: a font, image,
/// recording or bundled file ([`super::assets::kind_of`]), a licence file, a document, or an archive.
fn licence_relevant(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    super::assets::kind_of(path).is_some()
        || super::assets::is_terms_file_name(name)
        || super::assets::is_document_name(path)
        || super::assets::is_archive_name(path)
}

/// The blobs of licence files ([`super::assets::is_licence_file_name`]) at the tips of the pushed refs, at
/// any depth: those are judged by discovery at each tip, not as history's own.
fn licence_blobs_at_tips(repo: &Repository) -> HashSet<Oid> {
    let mut out = HashSet::new();
    let mut seen: HashSet<Oid> = HashSet::new();
    let mut stack: Vec<Oid> = Vec::new();
    for glob in ["refs/heads/*", "refs/tags/*"] {
        let Ok(refs) = repo.references_glob(glob) else {
            continue;
        };
        for reference in refs.flatten() {
            if let Ok(commit) = reference.peel_to_commit() {
                stack.push(commit.tree_id());
            }
        }
    }
    while let Some(tree_id) = stack.pop() {
        if !seen.insert(tree_id) {
            continue;
        }
        let Ok(tree) = repo.find_tree(tree_id) else {
            continue;
        };
        for entry in tree.iter() {
            match entry.kind() {
                Some(ObjectType::Tree) => stack.push(entry.id()),
                Some(ObjectType::Blob)
                    if super::assets::is_terms_file_name(&String::from_utf8_lossy(
                        entry.name_bytes(),
                    )) =>
                {
                    out.insert(entry.id());
                }
                _ => {}
            }
        }
    }
    out
}

/// The blobs of licence files at the root of the pushed tips: the repository's own licences.
fn root_licence_blobs_at_tips(repo: &Repository) -> HashSet<Oid> {
    let mut out = HashSet::new();
    for glob in ["refs/heads/*", "refs/tags/*"] {
        let Ok(refs) = repo.references_glob(glob) else {
            continue;
        };
        for reference in refs.flatten() {
            let Ok(tree) = reference.peel_to_commit().and_then(|c| c.tree()) else {
                continue;
            };
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes());
                if entry.kind() == Some(ObjectType::Blob)
                    && root_file_kind(&name) == Some(SourceKind::LicenseFile)
                {
                    out.insert(entry.id());
                }
            }
        }
    }
    out
}

/// Whether a blob's name is read at `reach` (as [`super::assets`] reads a branch's tip: fonts, photographs
/// and bundled text; screenshots, icons and diagrams only on the default branch's tip).
fn reads(reach: super::assets::Reach, kind: AssetKind, path: &str) -> bool {
    // The history's own licence files are read as assets; the rest as a tip is read.
    kind == AssetKind::LicenceFile || super::assets::within(reach, kind, path)
}

/// Extensions of text, code, archives, documents, media and data that are never sniffed: a font or a
/// photograph is not saved under them.
const NOT_SNIFFED: &str = concat!(
    // documentation, configuration and data as text
    "md txt rst adoc json yml yaml toml xml ini cfg conf properties lock csv tsv sql ",
    // scripts and code
    "sh bash zsh ps1 bat cmd py pyc rb erb haml slim rake gemspec java kt kts scala sbt groovy gradle ",
    "go mod sum rs c h cc cpp hpp cs csproj sln fs swift m mm php pl pm r rmd ipynb ",
    "ts tsx jsx vue svelte njk hbs mustache ejs pug jinja j2 tf tfvars hcl dockerfile ",
    "env example sample template tpl feature snap graphql gql proto avsc ",
    "lua dart ex exs erl hs clj elm tex bib po pot mo patch diff log map ",
    "gitignore gitattributes editorconfig ",
    // keys and signatures
    "pem crt key pub asc gpg ",
    // archives and packages
    "zip gz tgz bz2 xz 7z jar war ear class whl egg ",
    // office documents
    "pdf doc docx xls xlsx ppt pptx odt ods ",
    // recordings
    "mp3 mp4 mov avi wav ogg webm ",
    // data sets and schemas
    "parquet pkl h5 npy npz sqlite db xsd xsl xslt wsdl rdf ttl owl nt jsonld geojson kml gpx ",
    // formats read elsewhere or not at all: Embedded OpenType, icons, bitmaps, design sources, diagrams
    "ico bmp cur psd ai eps sketch fig xcf drawio puml dot mermaid ",
    // IDE, Apple and .NET project files
    "iml plist storyboard xib pbxproj xcscheme entitlements strings resx config nuspec targets props ",
    "mdx cjs mjs",
);

/// Whether a blob whose name gives no asset kind is worth sniffing: its name has no extension, or one that is
/// not a common text, code or archive extension (a font or photograph saved as `font`, `logo.bin`,
/// `photo.dat`).
fn sniffable(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            !NOT_SNIFFED.split_ascii_whitespace().any(|e| e == ext)
        }
        _ => true,
    }
}

/// The asset kind a blob's first bytes announce ([`super::assets::content_kind`]).
pub fn sniff_kind(head: &[u8]) -> Option<AssetKind> {
    super::assets::content_kind(head)
}
