//! One licence file, notice file or README section read for what it grants: the texts it quotes, the
//! licences it names, the sentences beside them, and what is left when none of that grants.

use super::*;

/// A candidate and its analysis, with where its lines sit (own words, quoted, fenced) worked out once.
struct Reading<'a> {
    candidate: &'a Candidate,
    analysis: &'a TextAnalysis,
    /// Added to a line of the text to give the line of the file.
    offset: usize,
    /// A licence below the root (or a vendored folder's) covers its folder only.
    nested: bool,
    base_scope: Scope,
    /// A README section or documentation page: a statement, not a licence file.
    is_statement: bool,
    blocks: Vec<Block>,
    lines: Vec<&'a str>,
    /// Families of the licences the file's own words quote or name.
    own_families: Vec<&'a str>,
    /// How many findings existed before this text was read.
    before: usize,
}

/// Findings and observations from a licence file, notice file or README section.
pub(super) fn from_text(
    canonical: &dyn Fn(&str) -> Option<Arc<residue::Canonical>>,
    candidate: &Candidate,
    analysis: &TextAnalysis,
    findings: &mut Vec<Finding>,
    observations: &mut Vec<Observation>,
) {
    let reading = Reading::new(candidate, analysis, findings.len());
    let observed_before = observations.len();
    reading.text_findings(findings, observations);
    let granted_by_statement = reading.reference_findings(findings, observations);
    reading.bare_name_finding(findings);
    let found_here = findings.len() > reading.before;
    if found_here {
        reading.carve_outs(observations);
    }
    if found_here && held_to_every_word(candidate.kind) {
        reading.account_for_every_word(canonical, findings, observations);
    }
    reading.when_nothing_grants(found_here, granted_by_statement, observations);
    // A README licence section is held to every word whether or not it grants: a section that grants
    // nothing ("## Licence" / "MIT" / "For internal Acme use only.", a bare name followed by anything, a
    // sentence in no harmless shape) is residue for a person, never silently nothing. Its harmless shapes
    // (a title, a holder, a pointer to the licence file, a badge) leave nothing.
    // Only a section whose heading speaks of nothing but terms ("Licence", "Copyright and licensing"): a
    // README titled after a service that issues licences ("# Create and vary a licence") is no licence section.
    if !found_here
        && candidate.kind == SourceKind::Readme
        && observations.len() == observed_before
        && heading_is_only_terms(&candidate.text)
    {
        reading.account_for_every_word(canonical, findings, observations);
    }
    // Third-party notices name the licences of the works they attribute: claims scoped to those works. A
    // notice that names no licence keepopen reads is still held to its lines: one that speaks of a work's
    // terms in words no licence name accounts for ("licensed under the Acme Commercial Licence") is
    // unrecognised, and one that withholds is a carve-out; a notice of names and copyrights says nothing.
    if candidate.kind == SourceKind::NoticeFile && !found_here {
        observations.extend(
            super::super::notice::read(candidate, &analysis.references, reading.offset)
                .into_iter()
                .filter(|o| {
                    !matches!(o, Observation::ThirdPartyNotice { licences, .. } if licences.is_empty())
                }),
        );
    }
    let said_here = observations.len() > observed_before;
    reading.unread_page(found_here, said_here, observations);
    for (line, text) in holders::placeholders(&candidate.text, reading.is_statement) {
        observations.push(Observation::Placeholder {
            file: candidate.path.clone(),
            line: line + reading.offset,
            text,
        });
    }
}

/// Every word of a licence file that grants is accounted for; what is not is residue, quoted (see
/// `residue`). A README section or documentation page is held to it where it quotes a licence text.
fn held_to_every_word(kind: SourceKind) -> bool {
    match kind {
        SourceKind::LicenseFile
        | SourceKind::NestedLicenseFile
        | SourceKind::VendoredLicenseFile
        | SourceKind::ReuseLicense
        | SourceKind::NoticeFile => true,
        // A section or page that grants by reference is held to it too: its grant sentence, a title, a holder,
        // a pointer to the licence file, a badge are harmless shapes; any other sentence is a term a person
        // must read ("Except that redistribution is prohibited." beside "licensed under MIT").
        SourceKind::Readme | SourceKind::DocumentationPage => true,
        SourceKind::Manifest | SourceKind::SpdxHeader => false,
    }
}

impl<'a> Reading<'a> {
    fn new(candidate: &'a Candidate, analysis: &'a TextAnalysis, before: usize) -> Self {
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
        // Which lines are set apart from the file's own words (fenced, quoted, commented out): a licence there
        // is quoted, not granted. It is passed over when the file's own words grant the same licence (a README
        // that grants MIT and shows the text in a code block), and otherwise reported as not a grant.
        let mut reading = Reading {
            candidate,
            analysis,
            offset: candidate.first_line.saturating_sub(1),
            nested,
            base_scope,
            is_statement: matches!(
                candidate.kind,
                SourceKind::Readme | SourceKind::DocumentationPage
            ),
            blocks: text::structure(&candidate.text),
            lines: candidate.text.lines().collect(),
            own_families: Vec::new(),
            before,
        };
        reading.own_families = analysis
            .matches
            .iter()
            .filter(|m| reading.set_apart(m).is_none())
            .map(|m| family(&m.id))
            .chain(
                analysis
                    .references
                    .iter()
                    .filter(|r| reading.block_of(r.line) == Block::Own)
                    .map(|r| family(&r.id)),
            )
            .collect();
        reading
    }

    fn block_of(&self, line: usize) -> Block {
        self.blocks
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(Block::Own)
    }

    /// A 1-based line of the text ("" past its end).
    fn line(&self, line: usize) -> &'a str {
        self.lines
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }

    /// How a matched licence text is set apart from the file's own words, when most of its lines are.
    fn set_apart(&self, m: &TextMatch) -> Option<Block> {
        let mut apart = 0;
        let mut own = 0;
        let mut kind = None;
        for line in m.lines.0..=m.lines.1 {
            if self
                .lines
                .get(line.saturating_sub(1))
                .is_none_or(|l| l.trim().is_empty())
            {
                continue;
            }
            match self.block_of(line) {
                Block::Own => own += 1,
                b => {
                    apart += 1;
                    kind = Some(b);
                }
            }
        }
        (apart > own).then_some(kind).flatten()
    }

    /// The licence texts matched in the file's own words.
    fn own_texts(&self) -> Vec<&'a TextMatch> {
        self.analysis
            .matches
            .iter()
            .filter(|m| self.set_apart(m).is_none())
            .collect()
    }

    /// A licence quoted (set apart) and not granted by the file's own words: not a grant, said once a line.
    fn quoted(&self, line: usize, id: &str, how: Block, observations: &mut Vec<Observation>) {
        if self.own_families.contains(&family(id)) {
            return;
        }
        let text = format!("{id}, {}", how.describe());
        self.not_a_grant(line, NotGrantKind::Quoted, text, observations);
    }

    fn not_a_grant(
        &self,
        line: usize,
        reading: NotGrantKind,
        text: String,
        observations: &mut Vec<Observation>,
    ) {
        let line = line + self.offset;
        let file = &self.candidate.path;
        let seen = observations.iter().any(|o| {
            matches!(o, Observation::NotAGrant { file: f, line: l, .. } if f == file && *l == line)
        });
        if !seen {
            observations.push(Observation::NotAGrant {
                file: file.clone(),
                line,
                reading,
                text,
            });
        }
    }

    /// A licence file longer than a statement that matches no licence text.
    fn long_unmatched(&self) -> bool {
        self.analysis.matches.is_empty()
            && self.analysis.words > LONG_TEXT_WORDS
            && !self.is_statement
    }

    /// A documentation page, or a long text below the root named like a licence that matches none and has
    /// the shape of a page (front matter, headings): it grants only where it speaks of the project.
    fn is_page(&self) -> bool {
        self.candidate.kind == SourceKind::DocumentationPage
            || (self.nested && self.long_unmatched() && reads_as_page(&self.candidate.text))
    }
}

mod grants;
mod terms;

/// Whether the first line of a README section (its heading) holds only words of terms, as
/// [`crate::license::discovery::is_license_heading`] reads a heading ("Licence", "Copyright and licensing").
fn heading_is_only_terms(section: &str) -> bool {
    section
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(crate::license::discovery::is_license_heading)
}
