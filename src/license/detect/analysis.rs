//! One text as askalono reads it, then the guards: several licences in one text, references, known cuts,
//! confusable pairs. Cached by content in the [`super::Detector`].

use askalono::{Store, TextData};

use super::*;

/// One licence askalono found in a text.
#[derive(Debug, Clone)]
pub(super) struct TextMatch {
    pub(super) id: String,
    pub(super) undecided_between: Vec<String>,
    pub(super) score: f32,
    /// 1-based inclusive, relative to the text.
    pub(super) lines: (usize, usize),
    pub(super) comparison: Comparison,
    pub(super) notes: Vec<String>,
}

/// What one text says, independent of where it was found (so it can be cached by content).
#[derive(Debug, Clone)]
pub(super) struct TextAnalysis {
    pub(super) matches: Vec<TextMatch>,
    pub(super) references: Vec<Reference>,
    pub(super) best: Option<(String, f32)>,
    pub(super) words: usize,
    /// The text is an R licence stub (YEAR / COPYRIGHT HOLDER).
    pub(super) r_stub: bool,
    pub(super) choice: bool,
}

/// A region of a text askalono matched: the licence, its score, its 0-based line span (end exclusive), and
/// the region's text as askalono read it.
type Region = (String, f32, (usize, usize), TextData);

/// askalono over one text, then the guards.
pub(super) fn analyze_text(store: &Store, text: &str) -> TextAnalysis {
    let data = TextData::new(text);
    let top = store.analyze(&data);
    log_text(text, &data, top.name, top.score);
    let best = Some((top.name.to_string(), top.score));
    let regions = if top.score > 0.99 {
        let total_lines = data.lines_view().1;
        vec![(top.name.to_string(), top.score, (0, total_lines), data)]
    } else {
        regions(store, data)
    };
    let mut matches: Vec<TextMatch> = Vec::new();
    for region in regions {
        let m = text_match(store, text, region);
        if !matches.iter().any(|o| o.id == m.id && o.lines == m.lines) {
            matches.push(m);
        }
    }
    matches.sort_by_key(|m| m.lines.0);
    // Words inside a matched licence are the licence's own (the OGL names Creative Commons, the GPL says "at
    // your option"): references and choices are read from the rest of the text.
    let outside = outside_matches(text, &matches);
    let r_stub = holders::r_license_stub(text);
    TextAnalysis {
        references: {
            let scanned = without_code_blocks(&outside);
            best_references(reference::references(&scanned), &scanned)
        },
        best,
        words: if r_stub.is_some() {
            0
        } else {
            text.split_whitespace().count()
        },
        r_stub: r_stub.is_some(),
        choice: reference::offers_choice(&outside),
        matches,
    }
}

/// Several licences in one file, or one licence inside other words: narrow to the best region, blank it,
/// look again (askalono's elimination scan, done here so that each region's text is read with the earlier
/// regions blanked, and its line span does not reach into them).
fn regions(store: &Store, data: TextData) -> Vec<Region> {
    let mut raw: Vec<Region> = Vec::new();
    let mut current = data;
    for _ in 0..MAX_PASSES {
        // askalono's bound search stalls on a plateau of blanked lines: search only the lines left.
        let lines = current.lines();
        let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
            break;
        };
        let last = lines
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .unwrap_or(first)
            + 1;
        let current_view = current.with_view(first, last);
        let found = store.analyze(&current_view);
        let (narrowed, score) = current_view.optimize_bounds(found.data);
        if score < TEXT_THRESHOLD {
            break;
        }
        let (mut s, mut e) = narrowed.lines_view();
        for (_, _, (cs, ce), _) in &raw {
            if s >= *cs && s < *ce {
                s = *ce;
            }
            if e > *cs && e <= *ce {
                e = *cs;
            }
        }
        if e <= s {
            break;
        }
        raw.push((found.name.to_string(), score, (s, e), narrowed.clone()));
        current = narrowed.white_out();
    }
    raw
}

/// One region as a match: the confusable pairs decided, compared with the canonical text (or its known cut),
/// and the ids the store cannot tell apart from it.
fn text_match(store: &Store, text: &str, region: Region) -> TextMatch {
    let (name, score, (start, end), view) = region;
    let mut notes = Vec::new();
    let id = guard_confusables(store, text, &name, &view, &mut notes);
    let comparison = compare_with_canonical(store, &id, &view);
    let mut undecided: Vec<String> = store.aliases(&id).cloned().unwrap_or_default();
    if !undecided.is_empty() {
        undecided.insert(0, id.clone());
        undecided.sort();
    }
    TextMatch {
        id,
        undecided_between: undecided,
        score,
        lines: (start + 1, end.max(start + 1)),
        comparison,
        notes,
    }
}

/// The region compared with the licence's canonical text, or with its known cut where that differs less.
fn compare_with_canonical(store: &Store, id: &str, view: &TextData) -> Comparison {
    let (Some(found), Some(canonical)) = (
        view.text_processed(),
        store.get_original(id).and_then(|t| t.text_processed()),
    ) else {
        return Comparison::default();
    };
    let grant = canonical_grant_mask(store, id, canonical);
    let whole = compare_with_grant(found, canonical, &grant);
    match known_cut(id, canonical) {
        Some(cut) => {
            // The cut is a prefix of the canonical words: the mask's prefix marks its grant.
            let part = compare_with_grant(found, cut, &grant);
            if part.changed_words < whole.changed_words {
                part
            } else {
                whole
            }
        }
        None => whole,
    }
}

/// Which words of a licence's processed canonical text are in its grant sentences ([`grant_mask`]), computed
/// once per licence and process.
fn canonical_grant_mask(store: &Store, id: &str, canonical: &str) -> std::sync::Arc<Vec<bool>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static MASKS: OnceLock<Mutex<HashMap<String, Arc<Vec<bool>>>>> = OnceLock::new();
    let masks = MASKS.get_or_init(Default::default);
    if let Some(mask) = masks.lock().expect("grant masks").get(id) {
        return mask.clone();
    }
    let lines = store
        .get_original(id)
        .map(|t| t.lines().to_vec())
        .unwrap_or_default();
    let mask = Arc::new(grant_mask(&lines, canonical));
    masks
        .lock()
        .expect("grant masks")
        .insert(id.to_string(), mask.clone());
    mask
}

/// The text with the lines of its matched licences blanked.
fn outside_matches(text: &str, matches: &[TextMatch]) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if matches
                .iter()
                .any(|m| (m.lines.0..=m.lines.1).contains(&(i + 1)))
            {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text analysed afresh: its sizes and hashes at trace level; the text as read and as askalono normalised
/// it (line by line, then aggressively, as compared) only on the target of whole texts.
pub(super) fn log_text(text: &str, data: &TextData, best: &str, score: f32) {
    use tracing::{Level, enabled, trace};
    let sizes = enabled!(Level::TRACE);
    let texts = enabled!(target: crate::license::TEXT_LOG_TARGET, Level::TRACE);
    if !sizes && !texts {
        return;
    }
    let hex = |bytes: &[u8]| hex::encode(Sha256::digest(bytes));
    let lines = data.lines().join("\n");
    let processed = data.text_processed().unwrap_or_default();
    if sizes {
        trace!(
            bytes = text.len(),
            sha256 = %hex(text.as_bytes()),
            normalised_bytes = lines.len(),
            normalised_sha256 = %hex(lines.as_bytes()),
            processed_bytes = processed.len(),
            processed_sha256 = %hex(processed.as_bytes()),
            best,
            score,
            "licence text analysed"
        );
    }
    if texts {
        let sha256 = hex(text.as_bytes());
        trace!(target: crate::license::TEXT_LOG_TARGET, %sha256, "licence text as read:\n{text}");
        trace!(target: crate::license::TEXT_LOG_TARGET, %sha256, "licence text normalised:\n{lines}");
        trace!(target: crate::license::TEXT_LOG_TARGET, %sha256, "licence text as compared:\n{processed}");
    }
}

/// Fenced code blocks in Markdown hold examples (a licence header to copy), not statements.
pub(super) fn without_code_blocks(text: &str) -> String {
    let mut inside = false;
    text.lines()
        .map(|line| {
            let fence =
                line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
            if fence {
                inside = !inside;
                return "";
            }
            if inside { "" } else { line }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One reference per licence: a versioned mention (or a URL naming the version) beats an unversioned one.
pub(super) fn best_references(refs: Vec<Reference>, text: &str) -> Vec<Reference> {
    let line_at = |n: usize| text.lines().nth(n.saturating_sub(1)).unwrap_or_default();
    let mut out: Vec<Reference> = Vec::new();
    for r in refs {
        match out.iter_mut().find(|o| o.id == r.id) {
            Some(existing) => {
                // A title names a licence and states no scope; a grant sentence below it may ("This
                // repository contains documentation licensed under the OGL v3.0"). What is granted is the
                // narrower scope. Only the scope is taken: which sentence is read as the grant stays as it was.
                let narrows = existing.scope == super::Scope::Repository
                    && r.scope != super::Scope::Repository
                    && !statement::grants_by_reference(line_at(existing.line))
                    && statement::grants_by_reference(line_at(r.line));
                if narrows {
                    existing.scope = r.scope.clone();
                }
                if !existing.versioned && r.versioned {
                    let scope = if existing.scope != super::Scope::Repository {
                        existing.scope.clone()
                    } else {
                        r.scope.clone()
                    };
                    *existing = Reference { scope, ..r };
                } else if existing.or_later.is_none() && r.or_later.is_some() {
                    existing.or_later = r.or_later;
                }
            }
            None => out.push(r),
        }
    }
    out
}

/// The part of a canonical text (normalised) that is published on its own as a whole licence file: the
/// LGPL-3.0's additional permissions without the GPL-3.0 that SPDX's text appends (shipped as COPYING.LESSER
/// beside COPYING); and the terms of a licence without the optional appendix after its "END OF TERMS AND
/// CONDITIONS" (the GNU licences' and Apache-2.0's "How to apply"). Compared against that part, such a file
/// differs in nothing.
pub(super) fn known_cut<'a>(id: &str, canonical: &'a str) -> Option<&'a str> {
    if id.starts_with("LGPL-3.0") {
        return canonical
            .find("gnu general public license version 3 29 june 2007")
            .filter(|&at| at > 0)
            .map(|at| &canonical[..at]);
    }
    const END: &str = "end of terms and conditions";
    canonical
        .find(END)
        .map(|at| at + END.len())
        .filter(|&end| canonical[end..].split_whitespace().count() > 20)
        .map(|end| &canonical[..end])
}

/// Pairs askalono confuses, decided from the words that tell them apart.
pub(super) fn guard_confusables(
    store: &Store,
    text: &str,
    name: &str,
    view: &TextData,
    notes: &mut Vec<String>,
) -> String {
    let lower = text.to_lowercase();
    let flat: String = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    // Apache-2.0 without its appendix scores higher against Pixar (Apache plus a Pixar section).
    if name == "Pixar" && !flat.contains("pixar") {
        notes.push(
            "askalono preferred Pixar; the text has no Pixar section, so it is Apache-2.0".into(),
        );
        return "Apache-2.0".into();
    }
    if let Some(rest) = name.strip_prefix("CC-BY-") {
        return cc_by_variant(store, name, rest, &flat, notes);
    }
    if (name.starts_with("OGL-") || name == "OPL-UK-3.0")
        && let Some(stated) = ogl_stated(&flat)
        && stated != name
    {
        let score_stated = store
            .get_original(stated)
            .map(|t| t.match_score(view))
            .unwrap_or(0.0);
        notes.push(format!(
            "askalono preferred {name}; the text names {stated} (its score {score_stated:.3})"
        ));
        return stated.to_string();
    }
    name.to_string()
}

/// CC-BY and its NC/ND/SA variants are 98% alike: decided by the clause that makes each one. A ported
/// (national or IGO) version is left as askalono read it.
fn cc_by_variant(
    store: &Store,
    name: &str,
    rest: &str,
    flat: &str,
    notes: &mut Vec<String>,
) -> String {
    const PORTS: [&str; 8] = ["-DE", "-FR", "-UK", "-AT", "-AU", "-NL", "-IT", "-JP"];
    if rest.ends_with("-IGO") || PORTS.iter().any(|p| rest.contains(p)) {
        return name.to_string();
    }
    let version = rest.rsplit('-').next().unwrap_or("4.0");
    let nc = flat.contains("noncommercial") || flat.contains("non-commercial");
    let nd = flat.contains("noderivatives")
        || flat.contains("no derivatives")
        || flat.contains("noderivs")
        || flat.contains("not distribute the adapted material")
        || flat.contains("not share adapted material");
    let sa =
        flat.contains("sharealike") || flat.contains("share-alike") || flat.contains("share alike");
    let id = reference::cc_id(nc, nd, sa, version);
    if id != name && store.get_original(&id).is_some() {
        notes.push(format!(
            "askalono preferred {name}; the text's own clauses make it {id}"
        ));
        return id;
    }
    name.to_string()
}

/// The Open Government Licences differ in a handful of words; the text names its version.
fn ogl_stated(flat: &str) -> Option<&'static str> {
    if flat.contains("open parliament licence") {
        Some("OPL-UK-3.0")
    } else if flat.contains("canada") {
        Some("OGL-Canada-2.0")
    } else if flat.contains("open government licence v3.0")
        || flat.contains("version/3")
        || flat.contains("licence v3")
    {
        Some("OGL-UK-3.0")
    } else if flat.contains("open government licence v2.0") || flat.contains("version/2") {
        Some("OGL-UK-2.0")
    } else if flat.contains("open government licence v1.0") || flat.contains("version/1") {
        Some("OGL-UK-1.0")
    } else {
        None
    }
}

/// The copyright holders of a text, without the authors of licence texts themselves (the FSF on the GPL).
pub(super) fn holders_of(text: &str) -> Vec<String> {
    if let Some(holder) = holders::r_license_stub(text) {
        return vec![holder];
    }
    let mut found = holders::holders(text);
    found.retain(|h| !crate::license::store::is_license_author(h));
    found
}

/// How many different licences a text names or quotes.
pub(super) fn distinct_ids(analysis: &TextAnalysis) -> usize {
    let mut ids: Vec<&str> = analysis.matches.iter().map(|m| family(&m.id)).collect();
    ids.extend(analysis.references.iter().map(|r| family(&r.id)));
    ids.sort();
    ids.dedup();
    ids.len()
}
