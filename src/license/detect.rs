//! Candidates → findings and observations. askalono scores texts; keepopen then guards the cases where a
//! score alone misleads (see `../shared/notes/licence-facts.md`): operative changes, confusable pairs,
//! GPL -only vs -or-later, references instead of texts, several licences in one file, placeholders.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use askalono::{Store, TextData};
use sha2::{Digest, Sha256};

use super::diff::{Comparison, compare};
use super::holders;
use super::reference::{self, Reference};
use super::residue;
use super::statement;
use super::text::{self, Block};
use super::{
    Candidate, Discovery, FileDigest, Finding, LicenseReport, Method, NotGrantKind, Observation,
    OperativeChange, Relation, Scope, SourceKind,
};

/// At most this many licences are looked for in one text.
const MAX_PASSES: usize = 4;
/// A text match below this is not a finding (it may still be a reference or an unrecognised text).
const TEXT_THRESHOLD: f32 = 0.8;
/// Score given to a licence named with its version, or linked by URL.
pub const REFERENCE_SCORE: f32 = 0.9;
/// Score given to a licence named without its version (keepopen assumed the current one).
pub const UNVERSIONED_REFERENCE_SCORE: f32 = 0.75;
/// Score given to a licence named in the title of a text that does not match it.
pub const TITLE_ONLY_SCORE: f32 = 0.5;
/// Score given to a declared SPDX expression (manifest field, SPDX-License-Identifier, REUSE file name).
pub const DECLARED_SCORE: f32 = 0.9;
/// A licence's name on one of a licence file's first lines, above its text, is the file's title.
const TITLE_LINES: usize = 3;
/// A licence file of at most this many words that grants by reference is a licence statement, not an
/// unrecognised licence text.
const SHORT_STATEMENT_WORDS: usize = 300;
/// A licence-like file longer than this many words that matches no licence is an unrecognised text.
const LONG_TEXT_WORDS: usize = 120;

/// One licence askalono found in a text.
#[derive(Debug, Clone)]
struct TextMatch {
    id: String,
    undecided_between: Vec<String>,
    score: f32,
    /// 1-based inclusive, relative to the text.
    lines: (usize, usize),
    comparison: Comparison,
    notes: Vec<String>,
}

/// What one text says, independent of where it was found (so it can be cached by content).
#[derive(Debug, Clone)]
struct TextAnalysis {
    matches: Vec<TextMatch>,
    references: Vec<Reference>,
    best: Option<(String, f32)>,
    words: usize,
    /// The text is an R licence stub (YEAR / COPYRIGHT HOLDER).
    r_stub: bool,
    choice: bool,
}

/// Detects licences. Holds the store and a cache of analyses by text digest: an organisation's mirrors
/// mostly share a handful of licence files, and each distinct text is scanned once.
pub struct Detector {
    store: &'static Store,
    cache: Mutex<HashMap<[u8; 32], Arc<TextAnalysis>>>,
    /// Canonical texts as the residue accounting reads them, by licence id (None: not in the store).
    canonicals: Mutex<HashMap<String, Option<Arc<residue::Canonical>>>>,
}

impl Detector {
    pub fn new(store: &'static Store) -> Self {
        Detector {
            store,
            cache: Mutex::new(HashMap::new()),
            canonicals: Mutex::new(HashMap::new()),
        }
    }

    /// The detector over the embedded SPDX store.
    pub fn embedded() -> Self {
        Self::new(super::store::store())
    }

    fn analysis(&self, text: &str) -> Arc<TextAnalysis> {
        // Keyed by the text without its copyright lines: mirrors of one organisation share licence texts that
        // differ only in year and holder, and askalono ignores those lines anyway (holders are read per file).
        let mut hasher = Sha256::new();
        for line in text.lines() {
            if !holders::is_copyright_line(line) {
                hasher.update(line.as_bytes());
            }
            hasher.update(b"\n");
        }
        let key: [u8; 32] = hasher.finalize().into();
        if let Some(hit) = self.cache.lock().expect("cache lock").get(&key) {
            return hit.clone();
        }
        let fresh = Arc::new(analyze_text(self.store, text));
        self.cache
            .lock()
            .expect("cache lock")
            .insert(key, fresh.clone());
        fresh
    }

    /// The canonical text of a licence for the residue accounting, prepared once.
    fn canonical(&self, id: &str) -> Option<Arc<residue::Canonical>> {
        if let Some(hit) = self
            .canonicals
            .lock()
            .expect("canonical cache lock")
            .get(id)
        {
            return hit.clone();
        }
        let fresh = canonical_text(self.store, id)
            // The canonical text's lines as askalono normalised them line by line (its text and its own
            // copyright lines whole: the aggressive form drops paragraphs that start "Copyright").
            .filter(|t| t.text_processed().is_some())
            .map(|t| Arc::new(residue::Canonical::from_lines(t.lines())));
        self.canonicals
            .lock()
            .expect("canonical cache lock")
            .insert(id.to_string(), fresh.clone());
        fresh
    }

    /// Turn what discovery read into the licence report the verdict judges.
    pub fn detect(&self, discovery: &Discovery) -> LicenseReport {
        let mut findings = Vec::new();
        let mut observations = Vec::new();
        let mut holders_all: Vec<String> = Vec::new();
        let mut folder_holders: Vec<String> = Vec::new();
        let mut choice = false;
        for candidate in &discovery.candidates {
            if candidate.truncated {
                observations.push(Observation::Truncated {
                    file: candidate.path.clone(),
                    bytes_read: candidate.text.len() as u64,
                });
            }
            match candidate.kind {
                SourceKind::Manifest | SourceKind::SpdxHeader => {
                    choice |= declared(candidate, &mut findings, &mut observations);
                }
                _ => {
                    if candidate.text.trim().is_empty() {
                        observations.push(Observation::NotRead {
                            file: candidate.path.clone(),
                            reason: "the file is empty".into(),
                        });
                        continue;
                    }
                    tracing::debug!(
                        file = %candidate.path,
                        bytes = candidate.text.len(),
                        sha256 = %candidate.sha256,
                        "reading a licence text"
                    );
                    // Read as a person sees it: confusables folded, invisible code points gone; what was
                    // hidden or disguised is named, and the text is then matched as it reads.
                    let seen = text::as_seen(&candidate.text);
                    for d in &seen.deceptions {
                        observations.push(Observation::Deceptive {
                            file: candidate.path.clone(),
                            line: d.line + candidate.first_line.saturating_sub(1),
                            detail: d.what.clone(),
                        });
                    }
                    let seen_candidate;
                    let candidate = if seen.text == candidate.text {
                        candidate
                    } else {
                        seen_candidate = Candidate {
                            text: seen.text,
                            ..candidate.clone()
                        };
                        &seen_candidate
                    };
                    let analysis = self.analysis(&candidate.text);
                    choice |= analysis.choice;
                    // A vendored library's authors are not the holders to credit for the repository; a
                    // folder's licence names its folder's holders, credited only when no root file names any.
                    let list = match candidate.kind {
                        SourceKind::VendoredLicenseFile => None,
                        SourceKind::NestedLicenseFile => Some(&mut folder_holders),
                        _ => Some(&mut holders_all),
                    };
                    if let Some(list) = list {
                        for h in holders_of(&candidate.text) {
                            if !list.contains(&h) {
                                list.push(h);
                            }
                        }
                    }
                    from_text(
                        &|id| self.canonical(id),
                        candidate,
                        &analysis,
                        &mut findings,
                        &mut observations,
                    );
                }
            }
        }
        for skipped in &discovery.skipped {
            observations.push(Observation::NotRead {
                file: skipped.path.clone(),
                reason: skipped.reason.clone(),
            });
        }
        // An R licence stub on its own names a holder and no licence: a licence file that grants nothing
        // readable, for a person (the DESCRIPTION that would complete it is absent or names none).
        if findings.is_empty() {
            for candidate in &discovery.candidates {
                if holders::r_license_stub(&candidate.text).is_some() {
                    observations.push(Observation::Unrecognised {
                        file: candidate.path.clone(),
                        best: Some(
                            "an R licence stub (YEAR / COPYRIGHT HOLDER) with no DESCRIPTION licence to complete".into(),
                        ),
                        score: 0.0,
                    });
                }
            }
        }
        if holders_all.is_empty() {
            holders_all = folder_holders;
        }
        resolve_gnu_versions(&mut findings);
        super::weak::reconcile(&discovery.candidates, &mut findings, &mut observations);
        relate(&findings, choice, &mut observations);
        if findings.is_empty()
            && !observations.iter().any(|o| {
                matches!(
                    o,
                    Observation::AllRightsReserved { .. }
                        | Observation::Unrecognised { .. }
                        | Observation::NotRead { .. }
                )
            })
        {
            observations.push(Observation::NoLicense);
        }
        // A committed package's licence file that agrees with its package's manifest is judged as that
        // package's licence text, its differences operative or not (`license::packages`).
        super::packages::settle(discovery, &mut findings, &mut observations, &|id| {
            canonical_text(self.store, id).map(|t| t.lines().join("\n"))
        });
        // Folders whose own licence is open: a bundled file inside one is under it (`license::assets`).
        let open_folders: Vec<String> = findings
            .iter()
            .filter(|f| f.operative_changes.is_empty() && super::assets::is_open_id(&f.license))
            .filter_map(|f| match &f.scope {
                Scope::Folder(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        observations.extend(super::assets::observations_within(
            &discovery.assets,
            &holders_all,
            &open_folders,
        ));
        let mut files: Vec<FileDigest> = discovery
            .candidates
            .iter()
            .map(|c| FileDigest {
                path: c.path.clone(),
                sha256: c.sha256.clone(),
            })
            .collect();
        files.dedup();
        LicenseReport {
            commit: discovery.commit.clone(),
            branch: discovery.branch.clone(),
            findings,
            observations,
            holders: holders_all,
            files,
            license_list_version: super::store::LICENSE_LIST_VERSION.to_string(),
            layout: discovery.layout.clone(),
            claims: super::claims::gather(discovery),
            refs: None,
            absence: None,
        }
    }
}

/// askalono over one text, then the guards.
fn analyze_text(store: &Store, text: &str) -> TextAnalysis {
    let data = TextData::new(text);
    let top = store.analyze(&data);
    log_text(text, &data, top.name, top.score);
    let best = Some((top.name.to_string(), top.score));
    let total_lines = data.lines_view().1;
    let mut raw: Vec<(String, f32, (usize, usize), TextData)> = Vec::new();
    if top.score > 0.99 {
        raw.push((
            top.name.to_string(),
            top.score,
            (0, total_lines),
            data.clone(),
        ));
    } else {
        // Several licences in one file, or one licence inside other words: narrow to the best region, blank
        // it, look again (askalono's elimination scan, done here so that each region's text is read with the
        // earlier regions blanked, and its line span does not reach into them).
        let mut current = data.clone();
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
        let _ = total_lines;
    }
    let mut matches = Vec::new();
    for (name, score, (start, end), view) in raw {
        let mut notes = Vec::new();
        let id = guard_confusables(store, text, &name, &view, &mut notes);
        let comparison = match (
            view.text_processed(),
            store.get_original(&id).and_then(|t| t.text_processed()),
        ) {
            (Some(found), Some(canonical)) => {
                let whole = compare(found, canonical);
                match known_cut(&id, canonical) {
                    Some(cut) => {
                        let part = compare(found, cut);
                        if part.changed_words < whole.changed_words {
                            part
                        } else {
                            whole
                        }
                    }
                    None => whole,
                }
            }
            _ => Comparison::default(),
        };
        let mut undecided: Vec<String> = store.aliases(&id).cloned().unwrap_or_default();
        if !undecided.is_empty() {
            undecided.insert(0, id.clone());
            undecided.sort();
        }
        let lines = (start + 1, end.max(start + 1));
        if matches
            .iter()
            .any(|m: &TextMatch| m.id == id && m.lines == lines)
        {
            continue;
        }
        matches.push(TextMatch {
            id,
            undecided_between: undecided,
            score,
            lines,
            comparison,
            notes,
        });
    }
    matches.sort_by_key(|m| m.lines.0);
    // Words inside a matched licence are the licence's own (the OGL names Creative Commons, the GPL says "at
    // your option"): references and choices are read from the rest of the text.
    let outside: String = text
        .lines()
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
        .join("\n");
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

/// A text analysed afresh: its sizes and hashes at trace level; the text as read and as askalono normalised
/// it (line by line, then aggressively, as compared) only on the target of whole texts.
fn log_text(text: &str, data: &TextData, best: &str, score: f32) {
    use tracing::{Level, enabled, trace};
    let sizes = enabled!(Level::TRACE);
    let texts = enabled!(target: super::TEXT_LOG_TARGET, Level::TRACE);
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
        trace!(target: super::TEXT_LOG_TARGET, %sha256, "licence text as read:\n{text}");
        trace!(target: super::TEXT_LOG_TARGET, %sha256, "licence text normalised:\n{lines}");
        trace!(target: super::TEXT_LOG_TARGET, %sha256, "licence text as compared:\n{processed}");
    }
}

/// Fenced code blocks in Markdown hold examples (a licence header to copy), not statements.
fn without_code_blocks(text: &str) -> String {
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
fn best_references(refs: Vec<Reference>, text: &str) -> Vec<Reference> {
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
fn known_cut<'a>(id: &str, canonical: &'a str) -> Option<&'a str> {
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
fn guard_confusables(
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
    // CC-BY and its NC/ND/SA variants are 98% alike: decide by the clause that makes each one.
    if let Some(rest) = name.strip_prefix("CC-BY-") {
        let version = rest.rsplit('-').next().unwrap_or("4.0");
        let version = if rest.ends_with("-IGO")
            || rest.contains("-DE")
            || rest.contains("-FR")
            || rest.contains("-UK")
            || rest.contains("-AT")
            || rest.contains("-AU")
            || rest.contains("-NL")
            || rest.contains("-IT")
            || rest.contains("-JP")
        {
            return name.to_string();
        } else {
            version
        };
        let nc = flat.contains("noncommercial") || flat.contains("non-commercial");
        let nd = flat.contains("noderivatives")
            || flat.contains("no derivatives")
            || flat.contains("noderivs")
            || flat.contains("not distribute the adapted material")
            || flat.contains("not share adapted material");
        let sa = flat.contains("sharealike")
            || flat.contains("share-alike")
            || flat.contains("share alike");
        let id = reference::cc_id(nc, nd, sa, version);
        if id != name && store.get_original(&id).is_some() {
            notes.push(format!(
                "askalono preferred {name}; the text's own clauses make it {id}"
            ));
            return id;
        }
        return name.to_string();
    }
    // The Open Government Licences differ in a handful of words; the text names its version.
    if name.starts_with("OGL-") || name == "OPL-UK-3.0" {
        let stated = if flat.contains("open parliament licence") {
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
        };
        if let Some(stated) = stated
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
    }
    name.to_string()
}

/// The copyright holders of a text, without the authors of licence texts themselves (the FSF on the GPL).
fn holders_of(text: &str) -> Vec<String> {
    if let Some(holder) = holders::r_license_stub(text) {
        return vec![holder];
    }
    let mut found = holders::holders(text);
    found.retain(|h| !super::store::is_license_author(h));
    found
}

/// How many different licences a text names or quotes.
fn distinct_ids(analysis: &TextAnalysis) -> usize {
    let mut ids: Vec<&str> = analysis.matches.iter().map(|m| family(&m.id)).collect();
    ids.extend(analysis.references.iter().map(|r| family(&r.id)));
    ids.sort();
    ids.dedup();
    ids.len()
}

fn folder_of(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// Findings and observations from a licence file, notice file or README section.
fn from_text(
    canonical: &dyn Fn(&str) -> Option<Arc<residue::Canonical>>,
    candidate: &Candidate,
    analysis: &TextAnalysis,
    findings: &mut Vec<Finding>,
    observations: &mut Vec<Observation>,
) {
    let offset = candidate.first_line.saturating_sub(1);
    // A vendored folder's licence covers that folder only, like any licence below the root.
    let nested = matches!(
        candidate.kind,
        SourceKind::NestedLicenseFile | SourceKind::VendoredLicenseFile
    );
    let base_scope = if nested {
        Scope::Folder(folder_of(&candidate.path))
    } else {
        Scope::Repository
    };
    let is_statement = matches!(
        candidate.kind,
        SourceKind::Readme | SourceKind::DocumentationPage
    );
    let before = findings.len();
    let observed_before = observations.len();
    // The licence the text's own title names ("Mozilla Public License Version 2.0"), read from its first lines.
    let head: String = candidate
        .text
        .lines()
        .take(5)
        .collect::<Vec<_>>()
        .join("\n");
    let titled = reference::references(&head);
    // Which lines are set apart from the file's own words (fenced, quoted, commented out): a licence there is
    // quoted, not granted. It is passed over when the file's own words grant the same licence (a README that
    // grants MIT and shows the text in a code block), and otherwise reported as not a grant.
    let blocks = text::structure(&candidate.text);
    let block_of = |line: usize| {
        blocks
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(Block::Own)
    };
    let lines_of_text: Vec<&str> = candidate.text.lines().collect();
    let match_set_apart = |m: &TextMatch| -> Option<Block> {
        let mut apart = 0;
        let mut own = 0;
        let mut kind = None;
        for line in m.lines.0..=m.lines.1 {
            if lines_of_text
                .get(line.saturating_sub(1))
                .is_none_or(|l| l.trim().is_empty())
            {
                continue;
            }
            match block_of(line) {
                Block::Own => own += 1,
                b => {
                    apart += 1;
                    kind = Some(b);
                }
            }
        }
        (apart > own).then_some(kind).flatten()
    };
    let own_families: Vec<&str> = analysis
        .matches
        .iter()
        .filter(|m| match_set_apart(m).is_none())
        .map(|m| family(&m.id))
        .chain(
            analysis
                .references
                .iter()
                .filter(|r| block_of(r.line) == Block::Own)
                .map(|r| family(&r.id)),
        )
        .collect();
    let quoted = |line: usize, id: &str, how: Block, observations: &mut Vec<Observation>| {
        if own_families.contains(&family(id)) {
            return;
        }
        let line = line + offset;
        let seen = observations.iter().any(|o| {
            matches!(o, Observation::NotAGrant { file, line: l, .. } if *file == candidate.path && *l == line)
        });
        if !seen {
            observations.push(Observation::NotAGrant {
                file: candidate.path.clone(),
                line,
                reading: NotGrantKind::Quoted,
                text: format!("{id}, {}", how.describe()),
            });
        }
    };
    for m in &analysis.matches {
        if let Some(how) = match_set_apart(m) {
            quoted(m.lines.0, &m.id, how, observations);
            continue;
        }
        // A reworded or truncated canonical text: below the reference score, but titled as that licence and
        // with no difference that changes what it permits. The difference is said, and does not block.
        let mut notes = m.notes.clone();
        let mut score = m.score;
        if score < REFERENCE_SCORE
            && m.comparison.operative.is_empty()
            && titled.iter().any(|r| same_family(&r.id, &m.id))
        {
            notes.push(format!(
                "reworded or cut: closest to {} at {:.2}, {} words differ{}, none of them operative; the title names it",
                m.id,
                m.score,
                m.comparison.changed_words,
                if m.comparison.ends_early { " and it ends early" } else { "" }
            ));
            score = REFERENCE_SCORE;
        }
        // A reference to the same licence in the same file tells which part the text covers.
        // Only a file holding several licences is split by scope; a single licence text covers the repository.
        let scope = if nested {
            base_scope.clone()
        } else if distinct_ids(analysis) < 2 {
            Scope::Repository
        } else {
            analysis
                .references
                .iter()
                .filter(|r| r.id == m.id || m.id.starts_with(&format!("{}-", r.id)))
                .map(|r| r.scope.clone())
                .find(|s| *s != Scope::Repository)
                .unwrap_or(Scope::Repository)
        };
        findings.push(Finding {
            license: m.id.clone(),
            undecided_between: m.undecided_between.clone(),
            file: candidate.path.clone(),
            lines: (m.lines.0 + offset, m.lines.1 + offset),
            score,
            method: Method::Text,
            scope,
            modified: m.comparison.modified(),
            operative_changes: m.comparison.operative.clone(),
            notes,
        });
    }
    // Third-party NOTICE files name the licences of dependencies, not of the repository.
    let use_references = candidate.kind != SourceKind::NoticeFile;
    let long_unmatched =
        analysis.matches.is_empty() && analysis.words > LONG_TEXT_WORDS && !is_statement;
    let mut granted_by_statement = false;
    // A documentation page, or a long text below the root named like a licence that matches none and has the
    // shape of a page (front matter, headings): it grants only where it speaks of the project.
    let page = candidate.kind == SourceKind::DocumentationPage
        || (nested && long_unmatched && reads_as_page(&candidate.text));
    if use_references {
        for r in &analysis.references {
            if let how @ (Block::Quoted | Block::Commented | Block::Fenced) = block_of(r.line) {
                quoted(r.line, &r.id, how, observations);
                continue;
            }
            let covered = analysis.matches.iter().any(|m| same_family(&m.id, &r.id));
            let already = findings[before..]
                .iter()
                .any(|f| f.method == Method::Reference && same_family(&f.license, &r.id));
            if covered || already {
                continue;
            }
            // In a licence file holding a licence text, a name above that text is its title, not a grant: a
            // title that the text does not match grants nothing ("The MIT License" over another text).
            let licence_file = matches!(
                candidate.kind,
                SourceKind::LicenseFile
                    | SourceKind::NestedLicenseFile
                    | SourceKind::VendoredLicenseFile
            );
            if licence_file
                && r.line <= TITLE_LINES
                && first_text_line(analysis).is_some_and(|first| r.line <= first)
                && !statement::grants_by_reference(
                    candidate
                        .text
                        .lines()
                        .nth(r.line.saturating_sub(1))
                        .unwrap_or_default(),
                )
            {
                continue;
            }
            let sentence = candidate
                .text
                .lines()
                .nth(r.line.saturating_sub(1))
                .unwrap_or_default()
                .trim();
            // A short licence statement that grants by reference ("This project is licensed under the MIT
            // licence; data under OGL v3") is a grant, in a licence file as in a README.
            let statement_grant = long_unmatched
                && r.versioned
                && analysis.words <= SHORT_STATEMENT_WORDS
                && statement::grants_by_reference(sentence);
            let (score, note) = if statement_grant {
                granted_by_statement = true;
                (
                    REFERENCE_SCORE,
                    Some(format!("granted by reference: \"{sentence}\"")),
                )
            } else if long_unmatched {
                (
                    TITLE_ONLY_SCORE,
                    Some(format!(
                        "named (\"{}\") in a text that does not match its licence",
                        r.matched
                    )),
                )
            } else if r.versioned {
                (REFERENCE_SCORE, None)
            } else {
                (
                    UNVERSIONED_REFERENCE_SCORE,
                    Some(format!(
                        "\"{}\" names no version: {} assumed",
                        r.matched, r.id
                    )),
                )
            };
            // Advice, policy or custom names a licence without granting it; so does a documentation page
            // that speaks of licences without speaking of the project.
            // A page's examples (a licence header or a manifest field in a code fence) are instructions
            // for other repositories, not a grant for this one.
            let example = page && in_code_fence(&candidate.text, r.line);
            let about = example
                || page && {
                    // The sentence may start up to three lines above the mention.
                    let context: Vec<&str> = candidate
                        .text
                        .lines()
                        .skip(r.line.saturating_sub(4))
                        .take(r.line.min(4))
                        .collect();
                    !statement::speaks_of_project(&context.join(" "))
                        && !statement::is_own_notice(&context)
                };
            let reading = statement::not_a_grant(sentence).or(about.then_some(NotGrantKind::About));
            if let Some(reading) = reading {
                let line = r.line + offset;
                let seen = observations.iter().any(|o| {
                    matches!(o, Observation::NotAGrant { file, line: l, .. } if *file == candidate.path && *l == line)
                });
                if !seen {
                    observations.push(Observation::NotAGrant {
                        file: candidate.path.clone(),
                        line,
                        reading,
                        text: sentence.to_string(),
                    });
                }
                continue;
            }
            let (license, undecided) = gnu_reference_id(&r.id, r.or_later);
            findings.push(Finding {
                license,
                undecided_between: undecided,
                file: candidate.path.clone(),
                lines: (r.line + offset, r.line + offset),
                score,
                method: Method::Reference,
                scope: if nested {
                    base_scope.clone()
                } else if let Some(part) = statement::part_named(sentence) {
                    Scope::Part(part)
                } else {
                    r.scope.clone()
                },
                modified: false,
                operative_changes: Vec::new(),
                notes: note.into_iter().collect(),
            });
        }
    }
    // A Markdown README's top licence section whose whole body is a licence name ("## License" then "MIT")
    // states the repository's licence as plainly as a sentence would: the heading says what the name is.
    // Only one licence, read through the one licence vocabulary; a name that needs an assumption (no
    // version) is read at the unversioned score, as a sentence naming it would be.
    if candidate.kind == SourceKind::Readme
        && findings.len() == before
        && is_markdown(&candidate.path)
        && let Some((line, name)) = statement::bare_licence_name(&candidate.text)
        && let Some(id) = super::manifest::license_from_name(&name)
            .expression
            .filter(|e| spdx::license_id(e).is_some_and(|l| l.name == e.as_str()))
    {
        let assumed = super::manifest::license_from_name(&name).note.is_some();
        findings.push(Finding {
            license: id,
            undecided_between: Vec::new(),
            file: candidate.path.clone(),
            lines: (line + offset, line + offset),
            score: if assumed {
                UNVERSIONED_REFERENCE_SCORE
            } else {
                REFERENCE_SCORE
            },
            method: Method::Reference,
            scope: Scope::Repository,
            modified: false,
            operative_changes: Vec::new(),
            notes: vec![format!(
                "the licence section's whole body is the name \"{name}\""
            )],
        });
    }
    let found_here = findings.len() > before;
    // A sentence beside the grant that withholds a part: outside the licence texts matched, and not a
    // copyright line (those are weighed as rights reserved).
    // A sentence may wrap: a line is also read joined with the next one, and reported where it starts.
    if found_here {
        let lines: Vec<&str> = candidate.text.lines().collect();
        let outside = |i: usize| {
            !analysis
                .matches
                .iter()
                .any(|m| (m.lines.0..=m.lines.1).contains(&(i + 1)))
                && !holders::is_copyright_line(lines[i])
        };
        // A README section or page is held to the same withholding reading as a notice file: a sentence
        // beside its grant that withholds a right ("… may not be redistributed", "for internal use only").
        let statement_withholds = |t: &str| is_statement && super::claims::withholds(t);
        let withholds = |i: usize| {
            outside(i) && (statement::is_carve_out(lines[i]) || statement_withholds(lines[i]))
        };
        let mut i = 0;
        while i < lines.len() {
            let joined = (i + 1 < lines.len()
                && outside(i)
                && outside(i + 1)
                && !lines[i].trim().is_empty()
                && !lines[i + 1].trim().is_empty()
                && !withholds(i + 1))
            .then(|| format!("{} {}", lines[i].trim(), lines[i + 1].trim()));
            let (text, read) = if withholds(i) {
                (lines[i].trim().to_string(), 1)
            } else if let Some(joined) =
                joined.filter(|j| statement::is_carve_out(j) || statement_withholds(j))
            {
                (joined, 2)
            } else {
                i += 1;
                continue;
            };
            observations.push(Observation::CarveOut {
                file: candidate.path.clone(),
                line: i + 1 + offset,
                text,
            });
            i += read;
        }
    }
    // Every word of a licence file that grants is accounted for; what is not is residue, quoted (see
    // `residue`). A README section or documentation page is held to it where it quotes a licence text.
    let own_texts: Vec<&TextMatch> = analysis
        .matches
        .iter()
        .filter(|m| match_set_apart(m).is_none())
        .collect();
    let accountable = match candidate.kind {
        SourceKind::LicenseFile
        | SourceKind::NestedLicenseFile
        | SourceKind::VendoredLicenseFile
        | SourceKind::ReuseLicense
        | SourceKind::NoticeFile => found_here,
        // A section or page that grants by reference is held to it too: its grant sentence, a title, a holder,
        // a pointer to the licence file, a badge are harmless shapes; any other sentence is a term a person
        // must read ("Except that redistribution is prohibited." beside "licensed under MIT").
        SourceKind::Readme | SourceKind::DocumentationPage => found_here,
        SourceKind::Manifest | SourceKind::SpdxHeader => false,
    };
    if accountable {
        let texts: Vec<Arc<residue::Canonical>> =
            own_texts.iter().filter_map(|m| canonical(&m.id)).collect();
        // A licence named but not quoted whole: its standard notice may be quoted.
        let quoted: Vec<Arc<residue::Canonical>> = analysis
            .references
            .iter()
            .filter_map(|r| {
                canonical(&r.id)
                    .or_else(|| canonical(&format!("{}-only", r.id)))
                    .or_else(|| canonical(&format!("{}-or-later", r.id)))
            })
            .collect();
        let appendix = texts
            .iter()
            .any(|c| c.has_appendix)
            .then(|| holders::appendix_start(&lines_of_text).map(|i| i + 1))
            .flatten();
        let named: Vec<String> = analysis
            .matches
            .iter()
            .map(|m| m.id.clone())
            .chain(analysis.references.iter().map(|r| r.id.clone()))
            .chain(findings[before..].iter().map(|f| f.license.clone()))
            .collect();
        let texts: Vec<&residue::Canonical> = texts.iter().map(Arc::as_ref).collect();
        // The words a licensor publishes with a licence matched here (a history, a closing notice in a newer
        // wording) are that licence's own.
        let quoted: Vec<&residue::Canonical> = quoted
            .iter()
            .map(Arc::as_ref)
            .chain(own_texts.iter().flat_map(|m| residue::companions_of(&m.id)))
            .collect();
        // A section that grants by reference may carry the statement its publisher's guidance gives for the
        // licences it names (GOV.UK's "Unless stated otherwise, the codebase is released under …"): passages of
        // eight or more of its words in a row are accounted for, anything written into them is still residue.
        let mut quoted = quoted;
        if is_statement {
            let mut ids: Vec<&String> = named.iter().collect();
            ids.sort();
            ids.dedup();
            for id in ids {
                for c in residue::companions_of(id) {
                    if !quoted.iter().any(|q| std::ptr::eq(*q, c)) {
                        quoted.push(c);
                    }
                }
            }
        }
        let mut residue_lines = Vec::new();
        let unaccounted = if is_statement && texts.is_empty() {
            residue::unaccounted_beside_a_reference(&candidate.text, &quoted, &named)
        } else {
            residue::unaccounted(&candidate.text, &texts, &quoted, &named, appendix)
        };
        for u in unaccounted {
            residue_lines.push(u.line);
            observations.push(Observation::Residue {
                file: candidate.path.clone(),
                line: u.line + offset,
                text: u.text,
            });
        }
        // Without a licence text quoted, the grant is a line: each licence found by reference must stand on
        // a line that grants it, else the section names a licence and grants nothing.
        if is_statement && own_texts.is_empty() {
            for f in &findings[before..] {
                let at = f.lines.0.saturating_sub(offset);
                if f.method == Method::Reference
                    && !residue_lines.contains(&at)
                    && !residue::grants_at(&candidate.text, at)
                {
                    residue_lines.push(at);
                    let line = candidate.text.lines().nth(at.saturating_sub(1));
                    observations.push(Observation::Residue {
                        file: candidate.path.clone(),
                        line: f.lines.0,
                        text: format!(
                            "{} (names {} but no sentence grants it)",
                            line.unwrap_or_default().trim(),
                            f.license
                        ),
                    });
                }
            }
        }
    }
    if analysis.r_stub {
        // An R licence stub (YEAR / COPYRIGHT HOLDER) completes "MIT + file LICENSE": a holder, not a licence.
    } else if granted_by_statement {
        // The statement is the grant; what else it says is weighed by the carve-out reading above.
    } else if long_unmatched || (!found_here && !is_statement && analysis.words > 0) {
        let rights = holders::rights_reserved(&candidate.text)
            .or_else(|| holders::first_copyright_line(&candidate.text));
        match rights {
            Some((line, text)) if !found_here && analysis.words < LONG_TEXT_WORDS => {
                observations.push(Observation::AllRightsReserved {
                    file: candidate.path.clone(),
                    line: line + offset,
                    text,
                });
            }
            _ => {
                let (best, score) = match &analysis.best {
                    Some((n, s)) => (Some(n.clone()), *s),
                    None => (None, 0.0),
                };
                if candidate.kind != SourceKind::NoticeFile || found_here {
                    observations.push(Observation::Unrecognised {
                        file: candidate.path.clone(),
                        best,
                        score,
                    });
                }
                // A notice naming licences is read as third-party claims below.
            }
        }
    } else if !found_here
        && is_statement
        && let Some((line, text)) = holders::rights_reserved(&candidate.text)
            .or_else(|| holders::first_copyright_line(&candidate.text))
    {
        observations.push(Observation::AllRightsReserved {
            file: candidate.path.clone(),
            line: line + offset,
            text,
        });
    }
    // Third-party notices name the licences of the works they attribute: claims scoped to those works.
    if candidate.kind == SourceKind::NoticeFile && !found_here && !analysis.references.is_empty() {
        observations.extend(super::notice::read(candidate, &analysis.references, offset));
    }
    // A licence page that says nothing keepopen can read is still licence-like: unrecognised, for a
    // maintainer to read, never the "nothing licence-like exists" that forbids.
    let said_here = observations.len() > observed_before;
    if candidate.kind == SourceKind::DocumentationPage && !found_here && !said_here {
        let (best, score) = match &analysis.best {
            Some((n, s)) => (Some(n.clone()), *s),
            None => (None, 0.0),
        };
        observations.push(Observation::Unrecognised {
            file: candidate.path.clone(),
            best,
            score,
        });
    }
    for (line, text) in holders::placeholders(&candidate.text, is_statement) {
        observations.push(Observation::Placeholder {
            file: candidate.path.clone(),
            line: line + offset,
            text,
        });
    }
}

/// Whether a README is Markdown (by its name: `README.md`, `README.markdown`).
fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The canonical text of a licence id, also when the id is an alias of another entry of the store (the GNU
/// `-or-later` ids share their `-only` text).
fn canonical_text<'s>(store: &'s Store, id: &str) -> Option<&'s TextData> {
    store.get_original(id).or_else(|| {
        store
            .licenses()
            .find(|name| store.aliases(name).is_ok_and(|a| a.iter().any(|x| x == id)))
            .and_then(|name| store.get_original(name))
    })
}

/// Whether a text has the shape of a Markdown or reStructuredText page rather than a licence: YAML front
/// matter, or at least two headings.
fn reads_as_page(text: &str) -> bool {
    let front_matter = text.trim_start().starts_with("---\n")
        && text
            .lines()
            .skip(1)
            .take(30)
            .any(|l| l.trim_start().starts_with("title:"));
    let headings = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("## ") || t.starts_with("### ") || t.starts_with("# ")
        })
        .count();
    front_matter || headings >= 2
}

/// Whether 1-based `line` of a Markdown text sits inside a fenced code block (```` ``` ```` or `~~~`).
fn in_code_fence(text: &str, line: usize) -> bool {
    let mut inside = false;
    for (i, l) in text.lines().enumerate() {
        if i + 1 == line {
            return inside;
        }
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            inside = !inside;
        }
    }
    false
}

/// The first line of the first licence text matched in a text (1-based), if any was, counting texts whose
/// grant was removed too.
fn first_text_line(analysis: &TextAnalysis) -> Option<usize> {
    analysis.matches.iter().map(|m| m.lines.0).min()
}

/// GNU references name a version but say "-only" or "-or-later" in words, or not at all.
fn gnu_reference_id(id: &str, or_later: Option<bool>) -> (String, Vec<String>) {
    if !id.contains("GPL") || id.ends_with("-only") || id.ends_with("-or-later") {
        return (id.to_string(), Vec::new());
    }
    match or_later {
        Some(true) => (format!("{id}-or-later"), Vec::new()),
        Some(false) => (format!("{id}-only"), Vec::new()),
        None => (
            format!("{id}-only"),
            vec![format!("{id}-only"), format!("{id}-or-later")],
        ),
    }
}

/// `GPL-3.0-only` and `GPL-3.0` and `GPL-3.0-or-later` are one family; `MIT` is its own.
pub fn family(id: &str) -> &str {
    id.strip_suffix("-or-later")
        .or_else(|| id.strip_suffix("-only"))
        .or_else(|| id.strip_suffix('+'))
        .unwrap_or(id)
}

fn same_family(a: &str, b: &str) -> bool {
    family(a) == family(b)
}

/// Declared expressions: manifest fields, `SPDX-License-Identifier:` lines, REUSE names. Returns whether
/// the expression offers a choice (OR).
fn declared(
    candidate: &Candidate,
    findings: &mut Vec<Finding>,
    observations: &mut Vec<Observation>,
) -> bool {
    let raw = candidate.text.trim();
    // A header speaks for its own file (often a vendored one: `gradlew` carries Gradle's Apache-2.0), not
    // for the repository: a claim scoped to that file, never a grant or a contradiction for the whole.
    let scope = if candidate.kind == SourceKind::SpdxHeader {
        Scope::Part(candidate.path.clone())
    } else if let Some((folder, _)) = candidate.path.rsplit_once('/') {
        // A sub-package's manifest speaks for its package.
        Scope::Folder(folder.to_string())
    } else {
        Scope::Repository
    };
    let upper = raw.to_ascii_uppercase();
    if upper == "UNLICENSED"
        || upper == "PROPRIETARY"
        || upper.starts_with("SEE LICENSE IN")
        || upper.starts_with("FILE LICENSE")
    {
        if upper == "UNLICENSED" || upper == "PROPRIETARY" {
            observations.push(Observation::AllRightsReserved {
                file: candidate.path.clone(),
                line: candidate.first_line,
                text: format!("declares \"{raw}\""),
            });
        }
        return false;
    }
    match spdx::Expression::parse_mode(raw, spdx::ParseMode::LAX) {
        Ok(expression) => {
            let mut choice = false;
            for node in expression.iter() {
                match node {
                    spdx::expression::ExprNode::Op(spdx::expression::Operator::Or) => choice = true,
                    spdx::expression::ExprNode::Op(_) => {}
                    spdx::expression::ExprNode::Req(req) => {
                        let id = match &req.req.license {
                            spdx::LicenseItem::Spdx { id, or_later } => {
                                normalise_id(id.name, *or_later)
                            }
                            spdx::LicenseItem::Other(r) => r.to_string(),
                        };
                        findings.push(Finding {
                            license: id,
                            undecided_between: Vec::new(),
                            file: candidate.path.clone(),
                            lines: (candidate.first_line, candidate.first_line),
                            score: DECLARED_SCORE,
                            method: Method::Declared,
                            scope: scope.clone(),
                            modified: false,
                            operative_changes: Vec::new(),
                            notes: if raw != expression.as_ref() {
                                vec![format!("declared as \"{raw}\"")]
                            } else {
                                Vec::new()
                            },
                        });
                    }
                }
            }
            choice
        }
        Err(_) => {
            // Not SPDX: "Open Government Licence", "GPL (>= 2)", "MIT + file LICENSE".
            let refs = reference::references(raw);
            if refs.is_empty() {
                observations.push(Observation::Unrecognised {
                    file: candidate.path.clone(),
                    best: Some(raw.to_string()),
                    score: 0.0,
                });
            }
            for r in refs {
                let (license, undecided) = gnu_reference_id(&r.id, r.or_later);
                findings.push(Finding {
                    license,
                    undecided_between: undecided,
                    file: candidate.path.clone(),
                    lines: (candidate.first_line, candidate.first_line),
                    score: if r.versioned {
                        DECLARED_SCORE
                    } else {
                        UNVERSIONED_REFERENCE_SCORE
                    },
                    method: Method::Declared,
                    scope: scope.clone(),
                    modified: false,
                    operative_changes: Vec::new(),
                    notes: vec![format!("declared as \"{raw}\"")],
                });
            }
            reference::offers_choice(raw)
        }
    }
}

/// SPDX's deprecated GNU ids ("GPL-3.0", "GPL-3.0+") as their current names.
fn normalise_id(name: &str, or_later: bool) -> String {
    let gnu = ["GPL-", "LGPL-", "AGPL-", "GFDL-"]
        .iter()
        .any(|p| name.starts_with(p));
    if gnu {
        let base = family(name);
        if or_later || name.ends_with('+') || name.ends_with("-or-later") {
            return format!("{base}-or-later");
        }
        return format!("{base}-only");
    }
    if or_later {
        format!("{name}+")
    } else {
        name.to_string()
    }
}

/// A GNU licence text says nothing of "-only" or "-or-later"; a header, manifest or README may.
fn resolve_gnu_versions(findings: &mut [Finding]) {
    let decided: Vec<String> = findings
        .iter()
        .filter(|f| {
            f.undecided_between.is_empty()
                && (f.license.ends_with("-only") || f.license.ends_with("-or-later"))
        })
        .map(|f| f.license.clone())
        .collect();
    for f in findings
        .iter_mut()
        .filter(|f| !f.undecided_between.is_empty())
    {
        let fam = family(&f.license).to_string();
        let answers: BTreeSet<&String> = decided.iter().filter(|d| family(d) == fam).collect();
        if answers.len() == 1 {
            let answer = (*answers.iter().next().expect("one answer")).clone();
            f.notes.push(format!("{answer}, as the repository's own declaration says (the licence text alone cannot tell)"));
            f.license = answer;
            f.undecided_between.clear();
        } else {
            f.notes.push(format!(
                "{} -only or -or-later: not decidable from the licence text, and no header, manifest or README says",
                fam
            ));
        }
    }
}

/// Several licences: a choice (OR) or a split by scope (AND).
fn relate(findings: &[Finding], choice: bool, observations: &mut Vec<Observation>) {
    let mut ids: Vec<&str> = Vec::new();
    let mut scopes: Vec<String> = Vec::new();
    let repo_wide: Vec<&Finding> = findings.iter().filter(|f| !f.scope.is_partial()).collect();
    for f in &repo_wide {
        if !ids.iter().any(|i| same_family(i, &f.license)) {
            ids.push(&f.license);
            // The narrowest scope any evidence gives this licence ("the codebase is released under MIT").
            let scope = repo_wide
                .iter()
                .filter(|g| same_family(&g.license, &f.license))
                .map(|g| &g.scope)
                .find(|s| **s != Scope::Repository)
                .unwrap_or(&f.scope);
            scopes.push(match scope {
                Scope::Code => format!("{} for code", f.license),
                Scope::Documentation => format!("{} for documentation", f.license),
                _ => format!("{} for the repository", f.license),
            });
        }
    }
    if ids.len() < 2 {
        return;
    }
    let relation = if choice { Relation::Or } else { Relation::And };
    let op = if choice { " OR " } else { " AND " };
    let detail = if choice {
        "the texts offer a choice between these licences".to_string()
    } else {
        format!("all apply: {}", scopes.join("; "))
    };
    observations.push(Observation::Combination {
        relation,
        expression: ids.join(op),
        detail,
    });
}

/// Operative changes, flattened for display.
pub fn operative_changes(report: &LicenseReport) -> Vec<(&Finding, &OperativeChange)> {
    report
        .findings
        .iter()
        .flat_map(|f| f.operative_changes.iter().map(move |c| (f, c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_gnu_ids_get_current_names() {
        assert_eq!(normalise_id("GPL-3.0", false), "GPL-3.0-only");
        assert_eq!(normalise_id("GPL-3.0", true), "GPL-3.0-or-later");
        assert_eq!(normalise_id("GPL-2.0-or-later", false), "GPL-2.0-or-later");
        assert_eq!(normalise_id("MIT", false), "MIT");
    }

    #[test]
    fn gnu_references_without_a_word_on_versions_stay_undecided() {
        assert_eq!(
            gnu_reference_id("GPL-3.0", Some(true)).0,
            "GPL-3.0-or-later"
        );
        let (id, undecided) = gnu_reference_id("GPL-3.0", None);
        assert_eq!(id, "GPL-3.0-only");
        assert_eq!(undecided, ["GPL-3.0-only", "GPL-3.0-or-later"]);
        assert_eq!(gnu_reference_id("MIT", None).0, "MIT");
    }
}
