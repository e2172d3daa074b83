//! The scan driver: the trees a republication pushes, read blob by blob within [`AssetLimits`].

use std::collections::HashSet;
use std::io::Read;
use std::time::Instant;

use git2::{ObjectType, Oid, Repository};

use super::{
    AssetKind, AssetLimits, AssetScan, Terms, ThirdPartyAsset, font_asset, image_rights,
    judge_history_licence, judge_image, judge_media, judge_text, kind_of, other_font_format,
    prefix_for,
};

/// it, and so does where a third party's terms are likeliest to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// A tag's tree: fonts only. Tags are old releases; a font is rare and the likeliest asset to carry a
    /// foundry's terms, so every version of it is read.
    Fonts,
    /// Another branch's tip: fonts, photographs (JPEG, TIFF, WebP, HEIF, where agency metadata lives) and
    /// bundled text. Graphics (PNG, GIF, SVG: screenshots, icons, diagrams) are read on the default branch
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
        (Reach::Fonts, AssetKind::Media) => false,
        (_, AssetKind::Media) => true,
        (_, AssetKind::Font) | (Reach::Everything, _) => true,
        (Reach::Fonts, _) => false,
        (Reach::Branch, AssetKind::Text) => true,
        (Reach::Branch, AssetKind::Image) => {
            let lower = path.to_ascii_lowercase();
            !(lower.ends_with(".png") || lower.ends_with(".gif") || lower.ends_with(".svg"))
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
    let started = Instant::now();
    let mut scan = AssetScan::default();
    let Ok(odb) = repo.odb() else {
        scan.incomplete = Some("the object database cannot be opened".into());
        return scan;
    };
    // A tree is read again only when a later root reaches further into it.
    let mut seen_trees: std::collections::HashMap<Oid, Reach> = std::collections::HashMap::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    let mut bytes_read = 0usize;
    let mut stack: Vec<(Oid, String, Reach)> = trees
        .iter()
        .rev()
        .map(|t| (t.tree, String::new(), t.reach))
        .collect();
    while let Some((tree_id, prefix, reach)) = stack.pop() {
        if seen_trees.get(&tree_id).is_some_and(|seen| *seen >= reach) {
            continue;
        }
        seen_trees.insert(tree_id, reach);
        let Ok(tree) = repo.find_tree(tree_id) else {
            scan.incomplete = Some(format!("tree {tree_id} ({prefix}) cannot be read"));
            continue;
        };
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
            let path = format!("{prefix}{name}");
            match entry.kind() {
                Some(ObjectType::Tree) => stack.push((entry.id(), format!("{path}/"), reach)),
                Some(ObjectType::Blob) => {
                    if other_font_format(&path) {
                        scan.other_fonts += 1;
                    }
                    let Some(kind) = kind_of(&path) else { continue };
                    if !within(reach, kind, &path) {
                        continue;
                    }
                    if entry.filemode() == i32::from(git2::FileMode::Link)
                        || !seen_blobs.insert(entry.id())
                    {
                        continue;
                    }
                    if scan.incomplete.is_none() {
                        let over = if scan.blobs_read >= limits.max_files {
                            Some(format!("more than {} asset files", limits.max_files))
                        } else if bytes_read >= limits.max_total_bytes {
                            Some(format!(
                                "more than {} bytes of assets",
                                limits.max_total_bytes
                            ))
                        } else if started.elapsed() > limits.max_time {
                            Some(format!("the scan took over {:?}", limits.max_time))
                        } else {
                            None
                        };
                        if let Some(why) = over {
                            scan.incomplete = Some(format!("{why}; first left unread: {path}"));
                        }
                    }
                    if scan.incomplete.is_some() {
                        continue;
                    }
                    scan.blobs_read += 1;
                    let want = prefix_for(kind, &path, limits);
                    let size = odb.read_header(entry.id()).map(|(s, _)| s).unwrap_or(0);
                    if kind == AssetKind::Font && size > limits.max_blob_bytes {
                        scan.assets.push(ThirdPartyAsset {
                            about_fonts: false,
                            component: None,
                            path,
                            kind,
                            holders: Vec::new(),
                            terms: Terms::Unknown,
                            evidence: format!(
                                "not read: {size} bytes, over the {} byte limit",
                                limits.max_blob_bytes
                            ),
                        });
                        continue;
                    }
                    let bytes = match read_prefix(&odb, entry.id(), size, want) {
                        Ok(b) => b,
                        // An image or script that cannot be read states nothing (and a republication
                        // could not push a missing object): said in the log. A font's terms stay unknown.
                        Err(e) if kind != AssetKind::Font => {
                            tracing::debug!(%path, error = %e, "asset not read");
                            continue;
                        }
                        Err(e) => {
                            scan.assets.push(ThirdPartyAsset {
                                about_fonts: false,
                                component: None,
                                path,
                                kind,
                                holders: Vec::new(),
                                terms: Terms::Unknown,
                                evidence: format!("cannot be read: {e}"),
                            });
                            continue;
                        }
                    };
                    bytes_read += bytes.len();
                    if let Some(asset) = judge_bytes(&path, kind, &bytes) {
                        scan.assets.push(asset);
                    }
                }
                _ => {}
            }
        }
    }
    tracing::debug!(
        trees = seen_trees.len(),
        blobs = scan.blobs_read,
        bytes = bytes_read,
        assets = scan.assets.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        incomplete = scan.incomplete.is_some(),
        "third-party assets read"
    );
    scan
}

/// Class one file of a known kind from its bytes (a prefix for bundled text).
pub fn judge_bytes(path: &str, kind: AssetKind, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    match kind {
        AssetKind::Font => Some(font_asset(path, bytes)),
        AssetKind::Image => {
            let (fields, _) = image_rights(bytes);
            let mut asset = judge_image(path, &fields);
            // An SVG is text too: its comments may carry a notice.
            if asset.is_none() && path.to_ascii_lowercase().ends_with(".svg") {
                asset = judge_text(path, &bytes[..bytes.len().min(64 * 1024)]);
            }
            asset
        }
        AssetKind::Text => judge_text(path, bytes),
        AssetKind::LicenceFile => judge_history_licence(path, bytes),
        AssetKind::Media => judge_media(path, bytes),
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
