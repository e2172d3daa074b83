//! The scan driver: the trees a republication pushes, read blob by blob within [`AssetLimits`].

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::time::Instant;

use git2::{ObjectType, Oid, Repository};

use super::{
    AssetKind, AssetLimits, AssetScan, HeaderGrant, MAX_HEADER_GRANTS, ThirdPartyAsset, font_asset,
    image_rights, judge_history_licence, judge_image, judge_media, judge_text, kind_of,
    other_font_format, prefix_for, read_text, reads_header, unsourced_photograph,
};

/// it, and so does where a third party's terms are likeliest to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// A tag's tree: fonts only. Tags are old releases; a font is rare and the likeliest asset to carry a
    /// foundry's terms, so every version of it is read.
    Fonts,
    /// Another branch's tip: fonts, photographs (JPEG, TIFF, WebP, HEIF, where agency metadata lives), SVGs and
    /// bundled text. Graphics (PNG, GIF: screenshots, icons, diagrams) are read on the default branch
    /// alone: a project's many versions of its screenshots would cost seconds and hold no agency's terms.
    Branch,
    /// The default branch's tip: everything.
    Everything,
}

/// A root tree to read, and how much of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushedTree {
    pub tree: Oid,
    pub reach: Reach,
}

/// Whether a tree read with `reach` reads a file of `kind` at `path`.
pub(crate) fn within(reach: Reach, kind: AssetKind, path: &str) -> bool {
    match (reach, kind) {
        // Licence files at the tips are discovery's; only the history's own are read as assets.
        (_, AssetKind::LicenceFile) => false,
        // Judged by name over the whole pushed history ([`crate::license::history::assets`]), not here.
        (_, AssetKind::Archive | AssetKind::Unread) => false,
        (Reach::Fonts, AssetKind::Media) => false,
        (_, AssetKind::Media) => true,
        (_, AssetKind::Font) | (Reach::Everything, _) => true,
        (Reach::Fonts, _) => false,
        (Reach::Branch, AssetKind::Text) => true,
        // An SVG is text, cheap to read, and may inline a font or a photograph ([`super::inline_assets`]).
        (Reach::Branch, AssetKind::Image) => {
            let lower = path.to_ascii_lowercase();
            !(lower.ends_with(".png") || lower.ends_with(".gif"))
        }
    }
}

/// The root trees of what a republication pushes: `default_tip` (the tree discovery read), the tips of
/// every branch, then of every tag (peeled to commits), each once at the most it is read for.
pub fn pushed_trees(repo: &Repository, default_tip: Option<Oid>) -> Vec<PushedTree> {
    let mut trees: Vec<PushedTree> = Vec::new();
    if let Some(tree) = default_tip {
        trees.push(PushedTree {
            tree,
            reach: Reach::Everything,
        });
    }
    for (glob, reach) in [
        ("refs/heads/*", Reach::Branch),
        ("refs/tags/*", Reach::Fonts),
    ] {
        let Ok(refs) = repo.references_glob(glob) else {
            continue;
        };
        for reference in refs.flatten() {
            if let Ok(commit) = reference.peel_to_commit()
                && !trees.iter().any(|t| t.tree == commit.tree_id())
            {
                trees.push(PushedTree {
                    tree: commit.tree_id(),
                    reach,
                });
            }
        }
    }
    trees
}

/// Read the assets of `trees`, each blob once, within `limits`.
pub fn gather(repo: &Repository, trees: &[PushedTree], limits: &AssetLimits) -> AssetScan {
    let Ok(odb) = repo.odb() else {
        return AssetScan::cut_short("the object database cannot be opened".into());
    };
    let mut reader = TreeReader {
        repo,
        odb,
        limits,
        started: Instant::now(),
        seen_trees: HashMap::new(),
        seen_blobs: HashSet::new(),
        bytes_read: 0,
        scan: AssetScan::default(),
    };
    let mut stack: Vec<(Oid, String, Reach)> = trees
        .iter()
        .rev()
        .map(|t| (t.tree, String::new(), t.reach))
        .collect();
    while let Some((tree_id, prefix, reach)) = stack.pop() {
        reader.read_tree(tree_id, &prefix, reach, &mut stack);
    }
    reader.log();
    reader.scan
}

/// One read of the pushed trees' assets: what was seen, read and found so far.
struct TreeReader<'r> {
    repo: &'r Repository,
    odb: git2::Odb<'r>,
    limits: &'r AssetLimits,
    started: Instant,
    /// A tree is read again only when a later root reaches further into it.
    seen_trees: HashMap<Oid, Reach>,
    seen_blobs: HashSet<Oid>,
    bytes_read: usize,
    scan: AssetScan,
}

impl TreeReader<'_> {
    /// Read the blobs of one tree at `reach`, and put its subtrees on `stack`.
    fn read_tree(
        &mut self,
        tree_id: Oid,
        prefix: &str,
        reach: Reach,
        stack: &mut Vec<(Oid, String, Reach)>,
    ) {
        if self
            .seen_trees
            .get(&tree_id)
            .is_some_and(|seen| *seen >= reach)
        {
            return;
        }
        self.seen_trees.insert(tree_id, reach);
        let Ok(tree) = self.repo.find_tree(tree_id) else {
            self.scan.incomplete = Some(format!("tree {tree_id} ({prefix}) cannot be read"));
            return;
        };
        for entry in tree.iter() {
            let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
            match entry.kind() {
                Some(ObjectType::Tree) => stack.push((entry.id(), format!("{path}/"), reach)),
                Some(ObjectType::Blob) => {
                    let link = entry.filemode() == i32::from(git2::FileMode::Link);
                    self.read_blob(entry.id(), link, path, reach);
                }
                _ => {}
            }
        }
    }

    /// Read one blob, once, when its name makes it an asset read at `reach` and no limit was reached.
    fn read_blob(&mut self, id: Oid, link: bool, path: String, reach: Reach) {
        if other_font_format(&path) {
            self.scan.other_fonts += 1;
        }
        // A file of no asset kind may still state terms of its own in its header: every text file is read for it.
        let Some(kind) = kind_of(&path).or_else(|| reads_header(&path).then_some(AssetKind::Text))
        else {
            return;
        };
        if !within(reach, kind, &path) || link || !self.seen_blobs.insert(id) {
            return;
        }
        if self.scan.incomplete.is_none() {
            self.scan.incomplete = self
                .over_limits()
                .map(|why| format!("{why}; first left unread: {path}"));
        }
        if self.scan.incomplete.is_some() {
            return;
        }
        self.scan.blobs_read += 1;
        if let Some(asset) = self.judge(id, path, kind) {
            self.scan.assets.push(asset);
        }
    }

    /// Keep the grants a header made, when its file is not in a vendored folder (another party's code
    /// names its own holders).
    fn keep_grants(&mut self, path: &str, grants: Vec<HeaderGrant>) {
        let vendored = path
            .split('/')
            .rev()
            .skip(1)
            .any(crate::license::discovery::is_vendored_folder);
        if vendored {
            return;
        }
        for grant in grants {
            if self.scan.header_grants.len() < MAX_HEADER_GRANTS
                && !self.scan.header_grants.contains(&grant)
            {
                self.scan.header_grants.push(grant);
            }
        }
    }

    /// The limit already reached, if one is: files, bytes or time.
    fn over_limits(&self) -> Option<String> {
        let limits = self.limits;
        if self.scan.blobs_read >= limits.max_files {
            Some(format!("more than {} asset files", limits.max_files))
        } else if self.bytes_read >= limits.max_total_bytes {
            Some(format!(
                "more than {} bytes of assets",
                limits.max_total_bytes
            ))
        } else if self.started.elapsed() > limits.max_time {
            Some(format!("the scan took over {:?}", limits.max_time))
        } else {
            None
        }
    }

    /// Read a blob of `kind` as far as its kind needs and judge it. A font too big or unreadable is an
    /// asset of unknown terms; an image or script that cannot be read states nothing.
    fn judge(&mut self, id: Oid, path: String, kind: AssetKind) -> Option<ThirdPartyAsset> {
        let limits = self.limits;
        let want = prefix_for(kind, &path, limits);
        let size = self.odb.read_header(id).map(|(s, _)| s).unwrap_or(0);
        if kind == AssetKind::Font && size > limits.max_blob_bytes {
            let why = format!(
                "not read: {size} bytes, over the {} byte limit",
                limits.max_blob_bytes
            );
            return Some(ThirdPartyAsset::unread_font(path, why));
        }
        let bytes = match read_prefix(&self.odb, id, size, want) {
            Ok(b) => b,
            // A republication could not push a missing object either: said in the log.
            Err(e) if kind != AssetKind::Font => {
                tracing::debug!(%path, error = %e, "asset not read");
                return None;
            }
            Err(e) => {
                return Some(ThirdPartyAsset::unread_font(
                    path,
                    format!("cannot be read: {e}"),
                ));
            }
        };
        self.bytes_read += bytes.len();
        if kind == AssetKind::Text {
            let (asset, grants) = read_text(&path, &bytes);
            self.keep_grants(&path, grants);
            return asset;
        }
        judge_bytes(&path, kind, &bytes)
    }

    fn log(&self) {
        tracing::debug!(
            trees = self.seen_trees.len(),
            blobs = self.scan.blobs_read,
            bytes = self.bytes_read,
            assets = self.scan.assets.len(),
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            incomplete = self.scan.incomplete.is_some(),
            "third-party assets read"
        );
    }
}

/// Class one file of a known kind from its bytes (a prefix for bundled text).
///
/// What the bytes are comes first ([`super::content_kind`]): a font under any name is judged as a font when its
/// naming table can be read (a text file that merely starts with `true` is not one), and an image named as
/// text as an image.
pub fn judge_bytes(path: &str, kind: AssetKind, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    let kind = match super::content_kind(bytes) {
        Some(AssetKind::Font) if kind != AssetKind::Font => {
            if super::font_names(bytes).is_ok() {
                return Some(font_asset(path, bytes));
            }
            kind
        }
        Some(AssetKind::Image) if kind == AssetKind::Text => AssetKind::Image,
        _ => kind,
    };
    match kind {
        AssetKind::Font => Some(font_asset(path, bytes)),
        AssetKind::Image => {
            let (fields, _) = image_rights(bytes);
            let mut asset = judge_image(path, &fields);
            // An SVG is text too: its comments may carry a notice.
            if asset.is_none()
                && (path.to_ascii_lowercase().ends_with(".svg") || super::images::is_svg(bytes))
            {
                asset = judge_text(path, &bytes[..bytes.len().min(64 * 1024)]);
            }
            // Metadata that names nothing: a photograph is still someone's work.
            asset.or_else(|| unsourced_photograph(path, bytes))
        }
        AssetKind::Text => judge_text(path, bytes),
        AssetKind::LicenceFile => judge_history_licence(path, bytes),
        AssetKind::Media => judge_media(path, bytes),
        AssetKind::Archive | AssetKind::Unread => None,
    }
}

fn read_prefix(odb: &git2::Odb<'_>, id: Oid, size: usize, max: usize) -> Result<Vec<u8>, String> {
    if size > max
        && let Ok((mut stream, _, _)) = odb.reader(id)
    {
        let mut bytes = vec![0u8; max];
        let mut filled = 0;
        while filled < max {
            let n = stream
                .read(&mut bytes[filled..])
                .map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        bytes.truncate(filled);
        return Ok(bytes);
    }
    let object = odb.read(id).map_err(|e| e.message().to_string())?;
    Ok(object.data()[..object.data().len().min(max)].to_vec())
}
