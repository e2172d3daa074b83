//! From a scan to the verdict's input: which assets ask for a person, given the repository's own holders
//! and the folders under an open licence of their own.

use std::collections::HashSet;

use super::terms::short;
use super::{AssetKind, AssetScan, Terms, ThirdPartyAsset};
use crate::license::Observation;
use crate::license::holders::Licensors;

/// The observations the verdict weighs for an asset scan, given THE REPOSITORY'S LICENSORS ([`Licensors`]).
///
/// The invariant: an asset gives no observation only when its terms are open, or when they are unknown
/// (never restrictive) and every holder it names is a licensor of the repository (an unreadable font names
/// none). So a file whose header is only a licensor's copyright line (with or without the conventional "All
/// rights reserved") is covered by the repository's licence; a third party's notice, a notice joining a
/// licensor with a third party, and any withholding term — a licensor's "confidential" included — still ask
/// for a person.
pub fn observations(scan: &AssetScan, licensors: &Licensors) -> Vec<Observation> {
    observations_within(scan, licensors, &[])
}

/// [`observations`], where `open_folders` are folders whose own licence (a licence file or a package
/// manifest of that folder: a claim scoped to it) is an open one: an asset inside one, whose own header names
/// a holder and no licence, is under that folder's licence (`node_modules/argparse/argparse.js` beside
/// `node_modules/argparse/LICENSE`). Restrictive terms are never covered.
pub fn observations_within(
    scan: &AssetScan,
    licensors: &Licensors,
    open_folders: &[String],
) -> Vec<Observation> {
    let in_open_folder = |path: &str| {
        open_folders.iter().any(|f| {
            path.strip_prefix(f.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut out = Vec::new();
    let mut listed: HashSet<&str> = HashSet::new();
    let mut recognised: HashSet<&str> = HashSet::new();
    let fonts_pushed = fonts_pushed(scan);
    for asset in &scan.assets {
        if asset.about_fonts && !fonts_pushed {
            continue;
        }
        if let (Terms::Open(license), Some(component)) = (&asset.terms, &asset.component)
            && recognised.insert(asset.path.as_str())
        {
            out.extend(recognised_component(asset, component, license));
        }
        let silent = match &asset.terms {
            Terms::Open(_) => true,
            Terms::Restrictive => false,
            Terms::Unknown if asset.kind == AssetKind::Text && in_open_folder(&asset.path) => true,
            Terms::Unknown => {
                let withholding = crate::license::holders::withholds(&asset.evidence);
                !asset.holders.is_empty()
                    && asset
                        .holders
                        .iter()
                        .all(|h| licensors.covers_header(h, withholding))
            }
        };
        // One observation per path: the versions of a file on several refs are one file to a reviewer.
        if silent || !listed.insert(asset.path.as_str()) {
            continue;
        }
        out.push(third_party_terms(asset));
    }
    if let Some(why) = &scan.incomplete {
        out.push(Observation::ThirdPartyTerms {
            file: String::new(),
            asset: "unread".into(),
            detail: format!("not every font, image or bundled file was read: {why}"),
        });
    }
    out
}

/// Whether a font file is pushed that a stylesheet's withholding notice could speak of.
///
/// A font name is not a font: a stylesheet's notice of a font's terms speaks for font files, and when no
/// font file is pushed at all there is nothing it restricts. Every font pushed is read and judged by its
/// own fields, so a font that is pushed keeps the stylesheet's notice too.
/// A font whose own fields establish open terms (an OFL Lato, a recognised Font Awesome) is not the font a
/// withholding stylesheet notice speaks of: that font's own fields would carry its foundry's terms. So the
/// notice counts when a font is pushed whose terms are not shown open by itself, or one that is not read.
fn fonts_pushed(scan: &AssetScan) -> bool {
    scan.other_fonts > 0
        || scan
            .assets
            .iter()
            .any(|a| a.kind == AssetKind::Font && !matches!(a.terms, Terms::Open(_)))
}

/// An asset open by recognition rather than by its own words: said, so that the policy weighs the
/// component's licence and the verdict asks what it asks. One per licence id: a file of several banners
/// reads as `BSD-2-Clause AND MIT`, and the policy weighs ids (an `OR` is weighed as if each applied:
/// stricter, never looser).
fn recognised_component(
    asset: &ThirdPartyAsset,
    component: &str,
    license: &str,
) -> Vec<Observation> {
    license
        .split([' ', '(', ')'])
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "WITH"))
        .map(|id| Observation::RecognisedComponent {
            file: asset.path.clone(),
            asset: asset.kind.name().to_string(),
            component: component.to_string(),
            license: id.to_string(),
            evidence: asset.evidence.clone(),
        })
        .collect()
}

/// The observation that asks a person about an asset: its terms, the holders it names, the evidence.
fn third_party_terms(asset: &ThirdPartyAsset) -> Observation {
    let terms = match &asset.terms {
        Terms::Restrictive => "restrictive terms",
        _ => "terms not stated",
    };
    let holders = if asset.holders.is_empty() {
        String::new()
    } else {
        format!(" of {}", asset.holders.join("; "))
    };
    Observation::ThirdPartyTerms {
        file: asset.path.clone(),
        asset: asset.kind.name().to_string(),
        detail: format!("{terms}{holders}: {}", asset.evidence),
    }
}

/// The most assets a verdict reason names before it counts the rest.
pub const LISTED: usize = 8;

/// The verdict's reason for the [`Observation::ThirdPartyTerms`] of a report: the paths (at most
/// [`LISTED`], then a count), with what each says; `None` when there are none.
pub fn review_reason(observations: &[Observation]) -> Option<String> {
    let items: Vec<(&String, &String, &String)> = observations
        .iter()
        .filter_map(|o| match o {
            Observation::ThirdPartyTerms {
                file,
                asset,
                detail,
            } => Some((file, asset, detail)),
            _ => None,
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = items
        .iter()
        .take(LISTED)
        .map(|(file, kind, detail)| {
            if file.is_empty() {
                detail.to_string()
            } else {
                format!("{file} ({kind}: {})", short(detail, 240))
            }
        })
        .collect();
    if items.len() > LISTED {
        parts.push(format!("and {} more", items.len() - LISTED));
    }
    Some(format!(
        "{} file(s) carry third-party terms that the repository's licence does not cover, and history is pushed unchanged: {}",
        items.len(),
        parts.join("; ")
    ))
}
