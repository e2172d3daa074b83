//! The repository's own name, which the verdict knows and the readers of text do not: a grant whose subject is
//! that name speaks for the repository, and the name is a name however it is written.

use crate::license::{LicenseReport, Observation, Scope, residue};

/// The report as it reads once the repository's own name is known (`repo` is `owner/name`): grants for a
/// part that the name names cover the repository ([`own_name_as_repository`]), residue that was only the
/// name written in lower case is accounted for ([`residue_only_the_name`]), and so is a grant sentence whose
/// subject speaks for the repository and whose licence agrees with the repository's
/// ([`grant_for_the_repository`]). None when none applies.
pub(super) fn read_with_own_name(repo: &str, report: &LicenseReport) -> Option<LicenseReport> {
    let widened = own_name_as_repository(repo, report);
    let base = widened.as_ref().unwrap_or(report);
    let name = repo.rsplit('/').next().unwrap_or_default();
    let names = own_names(repo);
    let kept: Vec<Observation> = base
        .observations
        .iter()
        .filter(|o| match o {
            Observation::Residue { file, line, text } => {
                let only_the_name = name_like(name)
                    && residue_only_the_name(name, text, &named_beside(base, file, *line));
                !only_the_name
                    && !grant_for_the_repository(
                        &names,
                        text,
                        &repository_licences_beside(base, file),
                    )
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

/// Language and platform suffixes a repository's name carries beside the project's own name (`osbng-r` for
/// the R package `osbng`, `thing-py`, `widget.js`), and prefixes likewise (`py-thing`, `node-widget`).
const LANGUAGE_AFFIXES: &[&str] = &[
    "r", "py", "python", "js", "node", "nodejs", "ts", "rb", "ruby", "rs", "rust", "go", "golang",
    "java", "net", "dotnet", "php", "swift", "ios", "android", "kotlin", "jl", "pl", "cli", "lib",
];

/// The names that speak for the repository `repo` (`owner/name`), squashed ([`squash`]): its name, its name
/// with the owner before it (`OrdnanceSurvey/osbng-r`, "OrdnanceSurvey osbng-r"), and its name without one
/// language suffix or prefix ([`LANGUAGE_AFFIXES`]: `osbng-r` → `osbng`). A name shorter than three letters
/// and digits is none, and a stripped name is kept only when it is written like a name or is no word that
/// speaks of terms (`internal-r` names nothing: "internal" restricts).
fn own_names(repo: &str) -> Vec<String> {
    let (owner, name) = repo.rsplit_once('/').unwrap_or(("", repo));
    let mut out: Vec<String> = Vec::new();
    let mut push = |n: String| {
        if n.len() >= 3 && !out.contains(&n) {
            out.push(n);
        }
    };
    push(squash(name));
    if !owner.is_empty() {
        push(squash(&format!("{owner}{name}")));
    }
    let parts: Vec<&str> = name
        .split(['-', '_', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 {
        let lower = |p: &str| p.to_ascii_lowercase();
        let stripped = if LANGUAGE_AFFIXES.contains(&lower(parts[parts.len() - 1]).as_str()) {
            Some(parts[..parts.len() - 1].join("-"))
        } else if LANGUAGE_AFFIXES.contains(&lower(parts[0]).as_str()) {
            Some(parts[1..].join("-"))
        } else {
            None
        };
        if let Some(stripped) = stripped
            && (name_like(&stripped)
                || residue::sentence_words(&stripped)
                    .iter()
                    .all(|w| residue::is_plain_word(w)))
        {
            push(squash(&stripped));
        }
    }
    out
}

/// The licences that files other than `file` find for the repository as a whole (a scope of the
/// repository, no operative change): what a grant sentence in `file` must agree with.
fn repository_licences_beside(report: &LicenseReport, file: &str) -> Vec<String> {
    let mut out: Vec<String> = report
        .findings
        .iter()
        .filter(|f| {
            f.file != file && f.scope == Scope::Repository && f.operative_changes.is_empty()
        })
        .map(|f| f.license.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Words a deictic subject may open with: the repository's own words for itself ("this project", "these
/// demos").
const DEICTIC: &[&str] = &["this", "these"];
/// The verbs a grant's subject stands before.
const SUBJECT_VERBS: &[&str] = &["is", "are", "was", "were", "has", "have"];
/// At most this many plain words follow a deictic ("these demo scripts").
const DEICTIC_NOUNS: usize = 2;

/// THE SUBJECT OF A GRANT STATEMENT SPEAKS FOR THE REPOSITORY when it names the repository (one of `names`,
/// [`own_names`], wherever it stands in the sentence, as [`with_name_as_project`] finds it) or is a deictic
/// that opens the sentence ("This project", "These demos": "this"/"these" and at most [`DEICTIC_NOUNS`]
/// plain words, none naming a licence, none negating, restricting, obliging, permitting or granting, right
/// before the verb). Such a sentence is accounted for when, with its subject read as the plain name
/// [`PROJECT`], it is a grant statement that nothing else in it qualifies
/// ([`residue::unaccounted_beside_a_reference`] leaves no word), and every licence it names agrees with
/// the licences other files find for the repository (`repository`, [`repository_licences_beside`]; by
/// family).
///
/// The dangerous side: a sentence with such a subject that also restricts ("These demos are released under
/// MIT for internal use only") keeps its words unaccounted; one that names another licence, or any licence
/// when no other file licenses the repository, is never accounted for here; a subject naming something
/// else ("WhirlyGlobe-Maply is also released under …") is a third party's or a part's, as before.
fn grant_for_the_repository(names: &[String], text: &str, repository: &[String]) -> bool {
    if text.ends_with('…') || repository.is_empty() {
        return false;
    }
    let named: Vec<String> = crate::license::reference::references(text)
        .into_iter()
        .map(|r| r.id)
        .collect();
    let family = crate::license::detect::family;
    if named.is_empty()
        || !named
            .iter()
            .all(|id| repository.iter().any(|r| family(r) == family(id)))
    {
        return false;
    }
    let read = names
        .iter()
        .find_map(|own| with_name_as_project(text, own))
        .or_else(|| deictic_as_project(text));
    read.is_some_and(|read| residue::unaccounted_beside_a_reference(&read, &[], &named).is_empty())
}

/// `text` with a deictic subject that opens it ("These demos are …") read as [`PROJECT`]; None when it does
/// not open so.
fn deictic_as_project(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    // Tokens with their byte offsets.
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in trimmed.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                tokens.push((s, &trimmed[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push((s, &trimmed[s..]));
    }
    let (_, first) = tokens.first()?;
    if !DEICTIC.contains(&first.to_ascii_lowercase().as_str()) {
        return None;
    }
    for (n, (at, token)) in tokens.iter().enumerate().skip(1) {
        let w = residue::sentence_words(token);
        if w.len() == 1
            && SUBJECT_VERBS.contains(&w[0].as_str())
            && token.chars().all(char::is_alphabetic)
        {
            // At least one noun between the deictic and the verb; the subject becomes the name.
            return (n >= 2).then(|| format!("{PROJECT} {}", &trimmed[*at..]));
        }
        let plain = w.len() == 1
            && residue::is_plain_word(&w[0])
            && crate::license::reference::references(token).is_empty()
            && token.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !plain || n > DEICTIC_NOUNS {
            return None;
        }
    }
    None
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
    fn the_repositorys_names_are_its_name_with_or_without_owner_and_language_affix() {
        let names = own_names("OrdnanceSurvey/osgrid-r");
        assert!(names.contains(&"osgridr".to_string()));
        assert!(names.contains(&"osgrid".to_string()));
        assert!(names.contains(&"ordnancesurveyosgridr".to_string()));
        assert!(own_names("example/py-widgets").contains(&"widgets".to_string()));
        // A stripped name that is a word of terms names nothing.
        assert!(!own_names("example/internal-r").contains(&"internal".to_string()));
        assert!(!own_names("example/proprietary-js").contains(&"proprietary".to_string()));
    }

    #[test]
    fn a_grant_whose_subject_is_the_repository_accounts_for_itself_only_when_it_agrees() {
        let names = own_names("example/osgrid-r");
        let apache = ["Apache-2.0".to_string()];
        for yes in [
            "`osgrid` is licensed under the terms of the Apache License 2.0.",
            "These demos are released under the [Apache 2.0 License](http://www.apache.org/licenses/LICENSE-2.0.html)",
            "This project is licensed under the Apache License, Version 2.0.",
        ] {
            assert!(grant_for_the_repository(&names, yes, &apache), "{yes}");
        }
        // No other file licenses the repository.
        assert!(!grant_for_the_repository(
            &names,
            "This project is licensed under the Apache License, Version 2.0.",
            &[]
        ));
        for no in [
            "These demos are released under the MIT License.",
            "`osgrid` is licensed under the GNU General Public License v3.0.",
            "These demos are released under the Apache 2.0 License for internal use only.",
            "These proprietary demos are released under the Apache 2.0 License.",
            "Widgetry is released under the Apache 2.0 License.",
            "The demos are released under the Apache 2.0 License, except the data.",
            "These demos are not released under the Apache 2.0 License.",
        ] {
            assert!(!grant_for_the_repository(&names, no, &apache), "{no}");
        }
    }

    proptest::proptest! {
        /// Whatever subject speaks for the repository, a grant of another licence than the repository's, or
        /// one with a restriction, is never accounted for by it.
        #[test]
        fn a_repository_subject_never_accounts_for_another_licence_or_a_restriction(
            subject in proptest::sample::select(vec![
                "osgrid", "`osgrid`", "OSGRID", "osgrid-r", "This project", "These demos", "This code",
                "These scripts", "This software",
            ]),
            other in proptest::sample::select(vec![
                "the MIT License", "the GNU General Public License v3.0", "the Mozilla Public License 2.0",
                "the Open Government Licence v3.0", "the Creative Commons Attribution-NonCommercial 4.0 licence",
                "the GNU Affero General Public License v3.0", "the BSD 3-Clause License",
            ]),
            restriction in proptest::sample::select(vec![
                "", " for internal use only", "; redistribution is prohibited", " except for commercial use",
                ", but may not be modified", " and is confidential", " unless agreed in writing",
            ]),
            restricted in proptest::bool::ANY,
        ) {
            let names = own_names("example/osgrid-r");
            let apache = ["Apache-2.0".to_string()];
            let sentence = if restricted {
                format!("{subject} is released under the Apache License 2.0{restriction}.")
            } else {
                format!("{subject} is released under {other}{restriction}.")
            };
            proptest::prop_assume!(!restricted || !restriction.is_empty());
            proptest::prop_assert!(!grant_for_the_repository(&names, &sentence, &apache), "{}", sentence);
        }
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
