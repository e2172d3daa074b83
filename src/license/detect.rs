//! Candidates → findings and observations. askalono scores texts; keepopen then guards the cases where a
//! score alone misleads (see `../shared/notes/licence-facts.md`): operative changes, confusable pairs,
//! GPL -only vs -or-later, references instead of texts, several licences in one file, placeholders.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use askalono::Store;
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

mod analysis;
mod declared;
mod page;

use analysis::*;
pub use declared::family;
use declared::*;
use page::*;

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

/// Operative changes, flattened for display.
pub fn operative_changes(report: &LicenseReport) -> Vec<(&Finding, &OperativeChange)> {
    report
        .findings
        .iter()
        .flat_map(|f| f.operative_changes.iter().map(move |c| (f, c)))
        .collect()
}
