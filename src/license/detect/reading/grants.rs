//! What a text grants: the licence texts it quotes, the licences it names, a licence section's bare name.

use super::*;

impl<'a> Reading<'a> {
    /// A finding for each licence text matched in the file's own words; a quoted one is not a grant.
    pub(super) fn text_findings(
        &self,
        findings: &mut Vec<Finding>,
        observations: &mut Vec<Observation>,
    ) {
        // The licence the text's own title names ("Mozilla Public License Version 2.0"), read from its first
        // lines.
        let head: String = self
            .candidate
            .text
            .lines()
            .take(5)
            .collect::<Vec<_>>()
            .join("\n");
        let titled = reference::references(&head);
        for m in &self.analysis.matches {
            if let Some(how) = self.set_apart(m) {
                self.quoted(m.lines.0, &m.id, how, observations);
                continue;
            }
            let (score, notes) = self.text_score(m, &titled);
            findings.push(Finding {
                license: m.id.clone(),
                undecided_between: m.undecided_between.clone(),
                file: self.candidate.path.clone(),
                lines: (m.lines.0 + self.offset, m.lines.1 + self.offset),
                score,
                method: Method::Text,
                scope: self.text_scope(m),
                modified: m.comparison.modified(),
                operative_changes: m.comparison.operative.clone(),
                notes,
            });
        }
    }

    /// A reworded or truncated canonical text: below the reference score, but titled as that licence and
    /// with no difference that changes what it permits. The difference is said, and does not block.
    fn text_score(&self, m: &TextMatch, titled: &[Reference]) -> (f32, Vec<String>) {
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
        (score, notes)
    }

    /// A reference to the same licence in the same file tells which part the text covers. Only a file
    /// holding several licences is split by scope; a single licence text covers the repository.
    fn text_scope(&self, m: &TextMatch) -> Scope {
        if self.nested {
            self.base_scope.clone()
        } else if distinct_ids(self.analysis) < 2 {
            Scope::Repository
        } else {
            self.analysis
                .references
                .iter()
                .filter(|r| r.id == m.id || m.id.starts_with(&format!("{}-", r.id)))
                .map(|r| r.scope.clone())
                .find(|s| *s != Scope::Repository)
                .unwrap_or(Scope::Repository)
        }
    }

    /// A finding for each licence the text names and grants. Returns whether a short licence statement
    /// granted by reference (so the text is not an unrecognised licence).
    pub(super) fn reference_findings(
        &self,
        findings: &mut Vec<Finding>,
        observations: &mut Vec<Observation>,
    ) -> bool {
        // Third-party NOTICE files name the licences of dependencies, not of the repository.
        if self.candidate.kind == SourceKind::NoticeFile {
            return false;
        }
        let mut granted_by_statement = false;
        for r in &self.analysis.references {
            if let how @ (Block::Quoted | Block::Commented | Block::Fenced) = self.block_of(r.line)
            {
                self.quoted(r.line, &r.id, how, observations);
                continue;
            }
            if self.already_found(r, findings) || self.is_title(r) {
                continue;
            }
            let sentence = self.line(r.line).trim();
            let (score, note, by_statement) = self.reference_score(r, sentence);
            granted_by_statement |= by_statement;
            if let Some(reading) = self.not_granted(r, sentence) {
                self.not_a_grant(r.line, reading, sentence.to_string(), observations);
                continue;
            }
            let (license, undecided) = gnu_reference_id(&r.id, r.or_later);
            findings.push(Finding {
                license,
                undecided_between: undecided,
                file: self.candidate.path.clone(),
                lines: (r.line + self.offset, r.line + self.offset),
                score,
                method: Method::Reference,
                scope: if self.nested {
                    self.base_scope.clone()
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
        granted_by_statement
    }

    /// The licence is matched as a text here, or already found by reference in this text.
    fn already_found(&self, r: &Reference, findings: &[Finding]) -> bool {
        let covered = self
            .analysis
            .matches
            .iter()
            .any(|m| same_family(&m.id, &r.id));
        let already = findings[self.before..]
            .iter()
            .any(|f| f.method == Method::Reference && same_family(&f.license, &r.id));
        covered || already
    }

    /// In a licence file holding a licence text, a name above that text is its title, not a grant: a title
    /// that the text does not match grants nothing ("The MIT License" over another text).
    fn is_title(&self, r: &Reference) -> bool {
        let licence_file = matches!(
            self.candidate.kind,
            SourceKind::LicenseFile
                | SourceKind::NestedLicenseFile
                | SourceKind::VendoredLicenseFile
        );
        licence_file
            && r.line <= TITLE_LINES
            && first_text_line(self.analysis).is_some_and(|first| r.line <= first)
            && !statement::grants_by_reference(self.line(r.line))
    }

    /// How sure a reference is, why, and whether it is a short licence statement's grant.
    fn reference_score(&self, r: &Reference, sentence: &str) -> (f32, Option<String>, bool) {
        let long_unmatched = self.long_unmatched();
        // A short licence statement that grants by reference ("This project is licensed under the MIT
        // licence; data under OGL v3") is a grant, in a licence file as in a README.
        let statement_grant = long_unmatched
            && r.versioned
            && self.analysis.words <= SHORT_STATEMENT_WORDS
            && statement::grants_by_reference(sentence);
        if statement_grant {
            let note = format!("granted by reference: \"{sentence}\"");
            (REFERENCE_SCORE, Some(note), true)
        } else if long_unmatched {
            let note = format!(
                "named (\"{}\") in a text that does not match its licence",
                r.matched
            );
            (TITLE_ONLY_SCORE, Some(note), false)
        } else if r.versioned {
            (REFERENCE_SCORE, None, false)
        } else {
            let note = format!("\"{}\" names no version: {} assumed", r.matched, r.id);
            (UNVERSIONED_REFERENCE_SCORE, Some(note), false)
        }
    }

    /// Advice, policy or custom names a licence without granting it; so does a documentation page that
    /// speaks of licences without speaking of the project. A page's examples (a licence header or a manifest
    /// field in a code fence) are instructions for other repositories, not a grant for this one.
    fn not_granted(&self, r: &Reference, sentence: &str) -> Option<NotGrantKind> {
        let page = self.is_page();
        let example = page && in_code_fence(&self.candidate.text, r.line);
        let about = example
            || page && {
                // The sentence may start up to three lines above the mention.
                let context: Vec<&str> = self
                    .lines
                    .iter()
                    .skip(r.line.saturating_sub(4))
                    .take(r.line.min(4))
                    .copied()
                    .collect();
                !statement::speaks_of_project(&context.join(" "))
                    && !statement::is_own_notice(&context)
            };
        statement::not_a_grant(sentence).or(about.then_some(NotGrantKind::About))
    }

    /// A Markdown README's top licence section whose whole body is a licence name ("## License" then "MIT")
    /// states the repository's licence as plainly as a sentence would: the heading says what the name is.
    /// Only one licence, read through the one licence vocabulary; a name that needs an assumption (no
    /// version) is read at the unversioned score, as a sentence naming it would be.
    pub(super) fn bare_name_finding(&self, findings: &mut Vec<Finding>) {
        let candidate = self.candidate;
        if candidate.kind == SourceKind::Readme
            && findings.len() == self.before
            && is_markdown(&candidate.path)
            && let Some((line, name)) =
                statement::bare_licence_name(&candidate.text, candidate.closing_section)
            && let Some(id) = crate::license::manifest::license_from_name(&name)
                .expression
                .filter(|e| spdx::license_id(e).is_some_and(|l| l.name == e.as_str()))
        {
            let assumed = crate::license::manifest::license_from_name(&name)
                .note
                .is_some();
            findings.push(Finding {
                license: id,
                undecided_between: Vec::new(),
                file: candidate.path.clone(),
                lines: (line + self.offset, line + self.offset),
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
    }
}
