//! The repository's own name, which the verdict knows and the readers of text do not: a grant whose subject is
//! that name speaks for the repository, and the name is a name however it is written.

use crate::license::{LicenseReport, Observation, Scope, residue};

/// The report as it reads once the repository's own name is known (`repo` is `owner/name`): grants for a
/// part that the name names cover the repository ([`own_name_as_repository`]), and residue that was only the
/// name written in lower case is accounted for ([`residue_only_the_name`]). None when neither applies.
pub(super) fn read_with_own_name(repo: &str, report: &LicenseReport) -> Option<LicenseReport> {
    let widened = own_name_as_repository(repo, report);
    let base = widened.as_ref().unwrap_or(report);
    let name = repo.rsplit('/').next().unwrap_or_default();
    if !name_like(name) {
        return widened;
    }
    let kept: Vec<Observation> = base
        .observations
        .iter()
        .filter(|o| match o {
            Observation::Residue { file, line, text } => {
                !residue_only_the_name(name, text, &named_beside(base, file, *line))
            }
            _ => true,
        })
        .cloned()
        .collect();
    if kept.len() == base.observations.len() {
        return widened;
    }
    let mut read = base.clone();
    read.observations = kept;
    Some(read)
}

/// A grant whose subject is a name ("Proj4 is subject to the MIT licence", see
/// [`crate::license::statement::subject_named`]) speaks for what that name names. When the name is the
/// repository's own (`Stone Soup` in `dstl/Stone-Soup`, `Palisade-clients`), it speaks for the repository:
/// the report with those scopes widened, or None when there are none. Any other name stays a part — a
/// component the README attributes (an SDK not in the repository, a library it depends on) — and a grant for
/// a part never covers the repository's own work.
fn own_name_as_repository(repo: &str, report: &LicenseReport) -> Option<LicenseReport> {
    let own = repo.rsplit('/').next().map(squash)?;
    if own.is_empty() {
        return None;
    }
    let names_repo = |part: &str| {
        let part = part
            .strip_prefix("The ")
            .or_else(|| part.strip_prefix("the "))
            .unwrap_or(part);
        squash(part) == own
    };
    if !report
        .findings
        .iter()
        .any(|f| matches!(&f.scope, Scope::Part(p) if names_repo(p)))
    {
        return None;
    }
    let mut widened = report.clone();
    for f in &mut widened.findings {
        if matches!(&f.scope, Scope::Part(p) if names_repo(p)) {
            f.scope = Scope::Repository;
        }
    }
    Some(widened)
}

/// A name reduced to its lower-case letters and digits: `Stone Soup`, `stone-soup` and `StoneSoup` are one.
fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a repository's name is written like a name and not like a word: it joins parts (`nix-bootstrap`,
/// `os_tools`, `gov.uk`), carries a digit, or capitals inside it (`openSpace`). A name that is one plain word
/// ("proprietary", "internal") could be a word of the sentence that quotes it, and is left to be read as one.
fn name_like(name: &str) -> bool {
    squash(name).len() >= 3
        && name.chars().any(char::is_alphabetic)
        && (name.contains(['-', '_', '.'])
            || name.chars().any(|c| c.is_ascii_digit())
            || name.chars().skip(1).any(char::is_uppercase))
}

/// The licences found in `file` by name on the line `line` or the lines either side of it (a grant sentence
/// wraps: "nix-bootstrap is released under the" / "[Apache 2.0 Licence](…)"), with the words that name each.
fn named_beside(report: &LicenseReport, file: &str, line: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.file == file && f.lines.0 <= line + 1 && line <= f.lines.1 + 1)
        .filter_map(|f| {
            let name = crate::license::vocabulary::full_name_of(&f.license)?;
            Some((f.license.clone(), name.to_owned()))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a run of residue was residue only for the repository's own name written in lower case
/// ("nix-bootstrap is released under the", where the residue's shapes take capitalised words for names): the
/// same words, the name read as a name ([`PROJECT`]), leave nothing unaccounted, alone or with the licence
/// found beside them (`named`: id, full name) after them, as the sentence they begin. Every other word is judged as it
/// was; a quote that was shortened is not the whole run and stays residue.
fn residue_only_the_name(name: &str, text: &str, named: &[(String, String)]) -> bool {
    if text.ends_with('…') {
        return false;
    }
    let Some(read) = with_name_as_project(text, &squash(name)) else {
        return false;
    };
    let ids: Vec<String> = named.iter().map(|(id, _)| id.clone()).collect();
    // The words alone, or as the sentence they wrap into: followed by the name of a licence found beside them.
    residue::unaccounted_beside_a_reference(&read, &[], &ids).is_empty()
        || named.iter().any(|(_, full)| {
            residue::unaccounted_beside_a_reference(&format!("{read}\n{full}"), &[], &ids)
                .is_empty()
        })
}

/// What the repository's own name is read as: one plain word, capitalised as names are, that says nothing
/// of terms. Whatever the name's own words are ("not-for-reuse" is a possible name), they are not read.
const PROJECT: &str = "Project";

/// `text` with every occurrence of the name `own` (squashed, see [`squash`]; one to three words as written,
/// without the punctuation around them) read as [`PROJECT`]; None when the name does not occur.
fn with_name_as_project(text: &str, own: &str) -> Option<String> {
    // Words with their byte ranges.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let edge = |c: char| !c.is_alphanumeric();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    let mut found = false;
    while i < words.len() {
        let hit = (1..=3).filter(|k| i + k <= words.len()).find_map(|k| {
            let (from, to) = (words[i].0, words[i + k - 1].1);
            let raw = &text[from..to];
            let core = raw.trim_matches(edge);
            let lead = raw.len() - raw.trim_start_matches(edge).len();
            (!core.is_empty() && squash(core) == own)
                .then(|| (k, from + lead, from + lead + core.len()))
        });
        match hit {
            Some((k, from, to)) => {
                out.push_str(&text[copied..from]);
                out.push_str(PROJECT);
                copied = to;
                found = true;
                i += k;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_name_is_read_as_the_project_wherever_it_stands() {
        assert_eq!(
            with_name_as_project("nix-bootstrap is released under the", "nixbootstrap").as_deref(),
            Some("Project is released under the")
        );
        assert_eq!(
            with_name_as_project("See `nix-bootstrap` docs", "nixbootstrap").as_deref(),
            Some("See `Project` docs")
        );
        assert_eq!(
            with_name_as_project("bootstrap is released", "nixbootstrap"),
            None
        );
    }

    #[test]
    fn only_names_written_like_names_are_read_so() {
        assert!(name_like("nix-bootstrap"));
        assert!(name_like("openSpace"));
        assert!(name_like("os_tools"));
        assert!(!name_like("proprietary"));
        assert!(!name_like("stroom"));
    }

    #[test]
    fn residue_that_is_more_than_the_name_stays() {
        let named = [("Apache-2.0".to_string(), "Apache License 2.0".to_string())];
        assert!(residue_only_the_name(
            "nix-bootstrap",
            "nix-bootstrap is released under the",
            &named
        ));
        assert!(!residue_only_the_name(
            "nix-bootstrap",
            "nix-bootstrap is not released under the",
            &named
        ));
        assert!(!residue_only_the_name(
            "nix-bootstrap",
            "nix-bootstrap may not be redistributed",
            &named
        ));
        assert!(!residue_only_the_name(
            "nix-bootstrap",
            "Other words nothing accounts for",
            &named
        ));
    }
}
