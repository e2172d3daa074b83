//! Candidates → findings and observations. askalono scores texts; keepopen then guards the cases where a
//! score alone misleads (see `../shared/notes/licence-facts.md`): operative changes, confusable pairs,
//! GPL -only vs -or-later, references instead of texts, several licences in one file, placeholders.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use askalono::Store;
use sha2::{Digest, Sha256};

use super::diff::{Comparison, compare_with_grant, grant_mask};
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
mod reading;

use analysis::*;
pub use declared::family;
use declared::*;
use page::*;
use reading::from_text;

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
        let mut read = Read::default();
        let renderings = rendered_copies(&discovery.candidates);
        for candidate in &discovery.candidates {
            if let Some(source) = renderings.get(candidate.path.as_str()) {
                tracing::debug!(
                    file = %candidate.path,
                    %source,
                    "a site's rendering of a licence file of this tree: read as its source"
                );
                continue;
            }
            self.read_candidate(candidate, &mut read);
        }
        read.note_unread(discovery);
        let Read {
            mut findings,
            mut observations,
            holders,
            folder_holders,
            notice_holders,
            choice,
            granting_holders,
            grantless,
        } = read;
        let holders = if holders.is_empty() {
            folder_holders
        } else {
            holders
        };
        resolve_gnu_versions(&mut findings);
        super::weak::reconcile(&discovery.candidates, &mut findings, &mut observations);
        relate(&findings, choice, &mut observations);
        if findings.is_empty() && !observations.iter().any(says_something_licence_like) {
            observations.push(Observation::NoLicense);
        }
        // A committed package's licence file that agrees with its package's manifest is judged as that
        // package's licence text, its differences operative or not (`license::packages`).
        super::packages::settle(discovery, &mut findings, &mut observations, &|id| {
            canonical_text(self.store, id).map(|t| t.lines().join("\n"))
        });
        let licensors = licensors(
            &holders,
            &notice_holders,
            &discovery.manifest_parties,
            &findings,
            &discovery.assets,
        );
        if !findings.is_empty() {
            let granting = licensors_of_grants(&granting_holders, &findings, &discovery.assets);
            observations.extend(grantless_files(
                &grantless,
                if granting.is_empty() {
                    &licensors
                } else {
                    &granting
                },
            ));
        }
        observations.extend(super::assets::observations_within(
            &discovery.assets,
            &licensors,
            &open_folders(&findings),
        ));
        report(discovery, findings, observations, holders)
    }

    /// One candidate read into findings, observations and holders.
    fn read_candidate(&self, candidate: &Candidate, read: &mut Read) {
        if candidate.truncated {
            read.observations.push(Observation::Truncated {
                file: candidate.path.clone(),
                bytes_read: candidate.text.len() as u64,
            });
        }
        if matches!(
            candidate.kind,
            SourceKind::Manifest | SourceKind::SpdxHeader
        ) {
            read.choice |= declared(candidate, &mut read.findings, &mut read.observations);
            return;
        }
        if candidate.text.trim().is_empty() {
            read.observations.push(Observation::NotRead {
                file: candidate.path.clone(),
                reason: "the file is empty".into(),
            });
            return;
        }
        tracing::debug!(
            file = %candidate.path,
            bytes = candidate.text.len(),
            sha256 = %candidate.sha256,
            "reading a licence text"
        );
        // Read as a person sees it: confusables folded, invisible code points gone; what was hidden or
        // disguised is named, and the text is then matched as it reads.
        let seen = text::as_seen(&candidate.text);
        for d in &seen.deceptions {
            read.observations.push(Observation::Deceptive {
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
        read.choice |= analysis.choice;
        read.credit_holders(candidate);
        let (found_before, observed_before) = (read.findings.len(), read.observations.len());
        from_text(
            &|id| self.canonical(id),
            candidate,
            &analysis,
            &mut read.findings,
            &mut read.observations,
        );
        read.note_grant(candidate, found_before, observed_before);
    }
}

/// What the candidates said, gathered before findings are related to each other.
#[derive(Default)]
struct Read {
    findings: Vec<Finding>,
    observations: Vec<Observation>,
    /// Holders named by the root's licence files and statements.
    holders: Vec<String>,
    /// Holders named by folders' licence files, credited only when the root names none.
    folder_holders: Vec<String>,
    /// Holders on the notice lines of the root's licence files, notices and statements, wherever the mark
    /// sits in the line ("Dstl (c) Crown Copyright 2019"): licensors, not credited as holders.
    notice_holders: Vec<String>,
    /// Some declared expression or text offers a choice of licences.
    choice: bool,
    /// Holders named by the files that grant something (a licence text, a grant statement), vendored
    /// folders' licences aside: the licensors a file that grants nothing is held to ([`grantless`]).
    granting_holders: Vec<String>,
    /// Licence files (at the root or below it) that grant nothing and state a copyright: (path, text as
    /// seen, line offset).
    grantless: Vec<(String, String, usize)>,
}

impl Read {
    /// A vendored library's authors are not the holders to credit for the repository; a folder's licence
    /// names its folder's holders, credited only when no root file names any.
    fn credit_holders(&mut self, candidate: &Candidate) {
        let list = match candidate.kind {
            SourceKind::VendoredLicenseFile => return,
            SourceKind::NestedLicenseFile => &mut self.folder_holders,
            _ => &mut self.holders,
        };
        for h in holders_of(&candidate.text) {
            if !list.contains(&h) {
                list.push(h);
            }
        }
        if candidate.kind != SourceKind::NestedLicenseFile {
            for h in holders::notice_line_holders(&candidate.text) {
                if !crate::license::store::is_license_author(&h)
                    && !self.notice_holders.contains(&h)
                {
                    self.notice_holders.push(h);
                }
            }
        }
    }

    /// Whether the candidate just read granted something (its holders are then licensors a file that grants
    /// nothing may be held to), or is a licence file that grants nothing and states a copyright.
    fn note_grant(&mut self, candidate: &Candidate, found_before: usize, observed_before: usize) {
        if self.findings.len() > found_before {
            if candidate.kind != SourceKind::VendoredLicenseFile {
                for h in holders_of(&candidate.text)
                    .into_iter()
                    .chain(holders::notice_line_holders(&candidate.text))
                {
                    if !self.granting_holders.contains(&h) {
                        self.granting_holders.push(h);
                    }
                }
            }
            return;
        }
        let licence_file = matches!(
            candidate.kind,
            SourceKind::LicenseFile | SourceKind::NestedLicenseFile
        );
        let states_a_copyright = self.observations[observed_before..].iter().any(
            |o| matches!(o, Observation::AllRightsReserved { file, .. } if *file == candidate.path),
        );
        if licence_file && states_a_copyright {
            self.grantless.push((
                candidate.path.clone(),
                candidate.text.clone(),
                candidate.first_line.saturating_sub(1),
            ));
        }
    }

    /// Files skipped by discovery, and an R licence stub standing alone.
    fn note_unread(&mut self, discovery: &Discovery) {
        for skipped in &discovery.skipped {
            self.observations.push(Observation::NotRead {
                file: skipped.path.clone(),
                reason: skipped.reason.clone(),
            });
        }
        // An R licence stub on its own names a holder and no licence: a licence file that grants nothing
        // readable, for a person (the DESCRIPTION that would complete it is absent or names none).
        if !self.findings.is_empty() {
            return;
        }
        for candidate in &discovery.candidates {
            if holders::r_license_stub(&candidate.text).is_some() {
                self.observations.push(Observation::Unrecognised {
                    file: candidate.path.clone(),
                    best: Some(
                        "an R licence stub (YEAR / COPYRIGHT HOLDER) with no DESCRIPTION licence to complete".into(),
                    ),
                    score: 0.0,
                });
            }
        }
    }
}

/// The candidates that are a site generator's rendering of another candidate of the same tree, with that
/// source's path ([`super::rendered::rendering_of`]): the source is read, the page is not read again. Both are
/// candidates, so a ref whose page or source differs is read anew (`refs`) and proven again.
fn rendered_copies(candidates: &[Candidate]) -> HashMap<&str, &str> {
    candidates
        .iter()
        .filter_map(|c| {
            super::rendered::rendering_of(c, candidates).map(|s| (c.path.as_str(), s.path.as_str()))
        })
        .collect()
}

/// An observation that something licence-like exists, though nothing was found in it.
fn says_something_licence_like(o: &Observation) -> bool {
    matches!(
        o,
        Observation::AllRightsReserved { .. }
            | Observation::Unrecognised { .. }
            | Observation::NotRead { .. }
    )
}

/// Folders whose own licence is open: a bundled file inside one is under it (`license::assets`).
/// THE REPOSITORY'S LICENSORS ([`holders::Licensors`]): the holders of the licence files, notices and
/// statements that cover the root (`holders`, `notice_holders`), and the holders a file's header names beside
/// a grant of one of the repository's own licences (every id of the header's grant is the id of a finding that
/// speaks for the repository, not for a folder or a named part). A header's grant of another licence, or a
/// header in a vendored folder, names another party's holders, never the repository's licensors.
///
/// WHEN THE GRANT NAMES NO HOLDER (no holder in the root's licence files, notices and statements: the
/// Apache-2.0 text carries none), the licensors are the parties the repository's own claims name: the root
/// manifests' organisation and author fields (`manifest_parties`, [`super::manifest::declared_parties`]).
/// Never the headers themselves: a bare header names a holder, and taking that holder as a licensor because
/// it heads the files would cover every file by its own word. A sub-package's or vendored package's manifest
/// is not read for parties (it speaks only for its package). What the licensors cover is only a header that
/// states no terms: a withholding header ("All rights reserved") stays restrictive whoever holds it
/// ([`crate::license::assets::observations`]).
fn licensors(
    holders: &[String],
    notice_holders: &[String],
    manifest_parties: &[String],
    findings: &[Finding],
    assets: &super::assets::AssetScan,
) -> holders::Licensors {
    let mut licensors = holders::Licensors::of(holders);
    for h in notice_holders {
        licensors.add(h);
    }
    if holders.is_empty() && notice_holders.is_empty() {
        for p in manifest_parties {
            licensors.claim(p);
        }
    }
    let repository: BTreeSet<&str> = findings
        .iter()
        .filter(|f| !f.scope.is_partial() && f.operative_changes.is_empty())
        .map(|f| f.license.as_str())
        .collect();
    for grant in &assets.header_grants {
        let ids: Vec<&str> = grant
            .license
            .split([' ', '(', ')'])
            .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "WITH"))
            .collect();
        if !ids.is_empty() && ids.iter().all(|id| repository.contains(id)) {
            licensors.add(&grant.holder);
        }
    }
    licensors
}

/// The licensors named by the files that grant something ([`Read::note_grant`]) and by headers that grant
/// the repository's own licences: [`licensors`] without the holders of files that grant nothing, which name
/// a holder without licensing anything.
fn licensors_of_grants(
    granting_holders: &[String],
    findings: &[Finding],
    assets: &super::assets::AssetScan,
) -> holders::Licensors {
    licensors(granting_holders, &[], &[], findings, assets)
}

/// A LICENCE FILE THAT GRANTS NOTHING, beside a licence that grants, is accounted for only when it is a
/// licensor's bare copyright notice. Its every word is held to the residue accounting with no licence text
/// to match (a holder line is harmless only while it holds names and nothing more: "Copyright 2020 Vendor
/// Print Ltd. Not for redistribution." is residue, whoever the holder), and every holder it names must be a
/// licensor (`licensors`: of the files that grant, or, when none of them names a holder, of the root's
/// licence files). Otherwise the file states a third party's terms it does not give: *needs review*,
/// naming the file. A licensor's "Copyright 2020 Acme Ltd" beside Acme's MIT licence stays silent.
fn grantless_files(
    grantless: &[(String, String, usize)],
    licensors: &holders::Licensors,
) -> Vec<Observation> {
    let mut out = Vec::new();
    for (file, text, offset) in grantless {
        for u in residue::unaccounted(text, &[], &[], &[], None) {
            out.push(Observation::Residue {
                file: file.clone(),
                line: u.line + offset,
                text: u.text,
            });
        }
        let mut others: Vec<String> = Vec::new();
        for h in holders::notice_line_holders(text) {
            if !licensors.covers(&h) && !others.contains(&h) {
                others.push(h);
            }
        }
        if !others.is_empty() {
            let line = holders::first_copyright_line(text)
                .map(|(_, l)| l)
                .unwrap_or_default();
            out.push(Observation::ThirdPartyTerms {
                file: file.clone(),
                asset: "licence file that grants nothing".into(),
                detail: format!(
                    "terms not stated of {}, not a licensor of the repository: {line}",
                    others.join("; ")
                ),
            });
        }
    }
    out
}

fn open_folders(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.operative_changes.is_empty() && super::assets::is_open_id(&f.license))
        .filter_map(|f| match &f.scope {
            Scope::Folder(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

fn report(
    discovery: &Discovery,
    findings: Vec<Finding>,
    observations: Vec<Observation>,
    holders: Vec<String>,
) -> LicenseReport {
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
        holders,
        files,
        license_list_version: super::store::LICENSE_LIST_VERSION.to_string(),
        layout: discovery.layout.clone(),
        claims: super::claims::gather(discovery),
        refs: None,
        absence: None,
    }
}

fn folder_of(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// Operative changes, flattened for display.
pub fn operative_changes(report: &LicenseReport) -> Vec<(&Finding, &OperativeChange)> {
    report
        .findings
        .iter()
        .flat_map(|f| f.operative_changes.iter().map(move |c| (f, c)))
        .collect()
}
