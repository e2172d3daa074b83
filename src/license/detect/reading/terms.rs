//! What a text says beside its grant: sentences that withhold, words no licence accounts for, and what is
//! said when nothing in it grants.

use super::*;

impl<'a> Reading<'a> {
    /// A sentence beside the grant that withholds a part: outside the licence texts matched, and not a
    /// copyright line (those are weighed as rights reserved). A sentence may wrap: a line is also read joined
    /// with the next one, and reported where it starts.
    pub(super) fn carve_outs(&self, observations: &mut Vec<Observation>) {
        let lines = &self.lines;
        let outside = |i: usize| {
            !self
                .analysis
                .matches
                .iter()
                .any(|m| (m.lines.0..=m.lines.1).contains(&(i + 1)))
                && !holders::is_copyright_line(lines[i])
        };
        // A README section or page is held to the same withholding reading as a notice file: a sentence
        // beside its grant that withholds a right ("… may not be redistributed", "for internal use only").
        let statement_withholds =
            |t: &str| self.is_statement && crate::license::claims::withholds(t);
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
                file: self.candidate.path.clone(),
                line: i + 1 + self.offset,
                text,
            });
            i += read;
        }
    }

    /// Every word of the text is accounted for by a licence text matched, a licence's standard notice or
    /// companion, a title, a holder or a pointer; what is not is residue, quoted.
    pub(super) fn account_for_every_word(
        &self,
        canonical: &dyn Fn(&str) -> Option<Arc<residue::Canonical>>,
        findings: &[Finding],
        observations: &mut Vec<Observation>,
    ) {
        let own_texts = self.own_texts();
        let texts: Vec<Arc<residue::Canonical>> =
            own_texts.iter().filter_map(|m| canonical(&m.id)).collect();
        // A licence named but not quoted whole: its standard notice may be quoted.
        let referenced: Vec<Arc<residue::Canonical>> = self
            .analysis
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
            .then(|| holders::appendix_start(&self.lines).map(|i| i + 1))
            .flatten();
        let named: Vec<String> = self
            .analysis
            .matches
            .iter()
            .map(|m| m.id.clone())
            .chain(self.analysis.references.iter().map(|r| r.id.clone()))
            .chain(findings[self.before..].iter().map(|f| f.license.clone()))
            .collect();
        let texts: Vec<&residue::Canonical> = texts.iter().map(Arc::as_ref).collect();
        let quoted = self.companions(&referenced, &own_texts, &named);
        let unaccounted = if self.is_statement && texts.is_empty() {
            residue::unaccounted_beside_a_reference(&self.candidate.text, &quoted, &named)
        } else if self.candidate.kind == SourceKind::VendoredLicenseFile {
            residue::unaccounted_in_a_package(
                &self.candidate.text,
                &texts,
                &quoted,
                &named,
                appendix,
            )
        } else {
            residue::unaccounted(&self.candidate.text, &texts, &quoted, &named, appendix)
        };
        let mut residue_lines = Vec::new();
        for u in unaccounted {
            residue_lines.push(u.line);
            observations.push(Observation::Residue {
                file: self.candidate.path.clone(),
                line: u.line + self.offset,
                text: u.text,
            });
        }
        if self.is_statement && own_texts.is_empty() {
            self.ungranted_references(findings, &mut residue_lines, observations);
        }
    }

    /// A notice or terms file that matches no licence text is held to every line
    /// ([`crate::license::notice::unattributed`]): a line that is not an attribution, a scoped claim, or one of
    /// the residue accounting's harmless shapes (holder, heading, link, a named licence's standard notice) is
    /// residue, quoted with its line. A notice already read as withholding (a statement of rights reserved
    /// that withholds) asks for a person, or forbids, on its own: it is not read again.
    pub(super) fn account_for_every_line_of_a_notice(
        &self,
        canonical: &dyn Fn(&str) -> Option<Arc<residue::Canonical>>,
        observations: &mut Vec<Observation>,
    ) {
        let file = &self.candidate.path;
        let withheld = observations.iter().any(|o| {
            matches!(o, Observation::AllRightsReserved { file: f, text, .. }
                if f == file
                    && (holders::withholds(text) || crate::license::claims::withholds(text)))
        });
        if withheld {
            return;
        }
        let referenced: Vec<Arc<residue::Canonical>> = self
            .analysis
            .references
            .iter()
            .filter_map(|r| {
                canonical(&r.id)
                    .or_else(|| canonical(&format!("{}-only", r.id)))
                    .or_else(|| canonical(&format!("{}-or-later", r.id)))
            })
            .collect();
        let named: Vec<String> = self
            .analysis
            .references
            .iter()
            .map(|r| r.id.clone())
            .collect();
        let mut quoted = self.companions(&referenced, &[], &named);
        // The notices a GNU licence tells its licensor to attach (the start-up notice names no licence): the
        // GPL's own words wherever a notice quotes them; a word written into them is residue all the same.
        for c in residue::companions_of(residue::GNU_NOTICES) {
            if !quoted.iter().any(|q| std::ptr::eq(*q, c)) {
                quoted.push(c);
            }
        }
        let left = crate::license::notice::unattributed(&self.candidate.text);
        let raw: Vec<&str> = self.candidate.text.split('\n').collect();
        for u in residue::unaccounted_beside_a_reference(&left, &quoted, &named) {
            // The accounting read words of terms in lower case; the quote is the file's, as written.
            let as_written = (1..=8)
                .map_while(|k| raw.get(u.line.checked_sub(1)?..u.line - 1 + k))
                .map(|lines| {
                    residue::shortened(
                        &lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "),
                    )
                })
                .find(|quote| quote.to_lowercase() == u.text.to_lowercase());
            observations.push(Observation::Residue {
                file: file.clone(),
                line: u.line + self.offset,
                text: as_written.unwrap_or(u.text),
            });
        }
    }

    /// The words that may be quoted beside the texts: the standard notices of the licences named, and the
    /// words a licensor publishes with a licence matched here (a history, a closing notice in a newer
    /// wording), which are that licence's own.
    fn companions<'c>(
        &self,
        referenced: &'c [Arc<residue::Canonical>],
        own_texts: &[&TextMatch],
        named: &[String],
    ) -> Vec<&'c residue::Canonical> {
        let mut quoted: Vec<&residue::Canonical> = referenced
            .iter()
            .map(Arc::as_ref)
            .chain(own_texts.iter().flat_map(|m| residue::companions_of(&m.id)))
            .collect();
        // A section that grants by reference may carry the statement its publisher's guidance gives for the
        // licences it names (GOV.UK's "Unless stated otherwise, the codebase is released under …"): passages
        // of eight or more of its words in a row are accounted for, anything written into them is still
        // residue.
        // A licence file may carry them for a licence it names without quoting (a Creative Commons deed under
        // a grant by reference): they are that licence's own words as much as its standard notice is. Not a
        // committed package's licence, held to the shapes of before (`residue::unaccounted_in_a_package`).
        if self.is_statement || self.candidate.kind != SourceKind::VendoredLicenseFile {
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
        quoted
    }

    /// Without a licence text quoted, the grant is a line: each licence found by reference must stand on a
    /// line that grants it, else the section names a licence and grants nothing. A line that is only an
    /// address (one URL, as the standard notice's "You may obtain a copy of the License at" / `http://www.
    /// apache.org/licenses/LICENSE-2.0`) naming a licence that another line of the section grants is that
    /// grant's pointer: a lone URL can say nothing else, and every other word of the section is still held
    /// to the residue accounting.
    fn ungranted_references(
        &self,
        findings: &[Finding],
        residue_lines: &mut Vec<usize>,
        observations: &mut Vec<Observation>,
    ) {
        let text = &self.candidate.text;
        let closing = self.candidate.closing_section;
        let granted_here = |f: &Finding| {
            let at = f.lines.0.saturating_sub(self.offset);
            f.method == Method::Reference && residue::grants_at(text, at, closing)
        };
        let granted: Vec<&str> = findings[self.before..]
            .iter()
            .filter(|f| granted_here(f))
            .map(|f| f.license.as_str())
            .collect();
        let only_an_address = |at: usize| {
            text.lines().nth(at.saturating_sub(1)).is_some_and(|l| {
                let l = l.trim().trim_start_matches('<').trim_end_matches('>');
                l.split_whitespace().count() == 1
                    && (l.starts_with("http://") || l.starts_with("https://"))
            })
        };
        let pointer =
            |f: &Finding, at: usize| only_an_address(at) && granted.contains(&f.license.as_str());
        for f in &findings[self.before..] {
            let at = f.lines.0.saturating_sub(self.offset);
            if f.method == Method::Reference
                && !residue_lines.contains(&at)
                && !granted_here(f)
                && !pointer(f, at)
            {
                residue_lines.push(at);
                let line = self.candidate.text.lines().nth(at.saturating_sub(1));
                observations.push(Observation::Residue {
                    file: self.candidate.path.clone(),
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

    /// A text that grants nothing readable: all rights reserved, or an unrecognised licence text.
    pub(super) fn when_nothing_grants(
        &self,
        found_here: bool,
        granted_by_statement: bool,
        observations: &mut Vec<Observation>,
    ) {
        let candidate = self.candidate;
        let analysis = self.analysis;
        if analysis.r_stub {
            // An R licence stub (YEAR / COPYRIGHT HOLDER) completes "MIT + file LICENSE": a holder, not a
            // licence.
        } else if granted_by_statement {
            // The statement is the grant; what else it says is weighed by the carve-out reading.
        } else if self.long_unmatched() || (!found_here && !self.is_statement && analysis.words > 0)
        {
            let rights = holders::rights_reserved(&candidate.text)
                .or_else(|| holders::first_copyright_line(&candidate.text));
            match rights {
                Some((line, text)) if !found_here && analysis.words < LONG_TEXT_WORDS => {
                    observations.push(Observation::AllRightsReserved {
                        file: candidate.path.clone(),
                        line: line + self.offset,
                        text,
                    });
                }
                // A notice naming licences is read as third-party claims instead.
                _ if candidate.kind == SourceKind::NoticeFile && !found_here => {}
                _ => observations.push(self.unrecognised()),
            }
        } else if !found_here
            && self.is_statement
            && let Some((line, text)) = holders::rights_reserved(&candidate.text)
                .or_else(|| holders::first_copyright_line(&candidate.text))
        {
            observations.push(Observation::AllRightsReserved {
                file: candidate.path.clone(),
                line: line + self.offset,
                text,
            });
        }
    }

    /// A licence page that says nothing keepopen can read is still licence-like: unrecognised, for a
    /// maintainer to read, never the "nothing licence-like exists" that forbids.
    pub(super) fn unread_page(
        &self,
        found_here: bool,
        said_here: bool,
        observations: &mut Vec<Observation>,
    ) {
        if self.candidate.kind == SourceKind::DocumentationPage && !found_here && !said_here {
            observations.push(self.unrecognised());
        }
    }

    fn unrecognised(&self) -> Observation {
        let (best, score) = match &self.analysis.best {
            Some((n, s)) => (Some(n.clone()), *s),
            None => (None, 0.0),
        };
        Observation::Unrecognised {
            file: self.candidate.path.clone(),
            best,
            score,
        }
    }
}
