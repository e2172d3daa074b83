//! The licence fields of package manifests, read as text and never executed: Cargo.toml, package.json,
//! pyproject.toml, setup.cfg, setup.py, R `DESCRIPTION`, `*.csproj` and `pom.xml`; and of project metadata
//! (composer.json, `*.gemspec`, CITATION.cff, publiccode.yml, datapackage.json, REUSE.toml, `.reuse/dep5`).
//!
//! Discovery hands each root manifest here; every licence declaration found becomes a `Manifest` candidate.
//! A declaration keeps what the file says (`raw`) and, where that maps to an SPDX expression without guessing
//! beyond a documented convention, the expression; every convention applied is said in `note`. The parsers are
//! tolerant on purpose: real manifests are often invalid (a duplicated TOML key, a stray quote in setup.cfg),
//! and a strict parser would then miss the one line that matters.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

mod cargo;
mod dotnet;
mod maven;
mod metadata;
mod name;
mod npm;
mod parties;
mod pyproject;
mod r;
mod setup_cfg;
mod setup_py;
#[cfg(test)]
mod tests;
mod toml_lines;
mod xml;

pub use self::name::{license_from_classifier, license_from_name, license_from_url};
pub use self::parties::{declared_parties, names_parties};
use self::{
    cargo::*, dotnet::*, maven::*, metadata::*, npm::*, pyproject::*, r::*, setup_cfg::*,
    setup_py::*, toml_lines::*, xml::*,
};

/// One licence declaration in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The value as written (a `license-file` or `{file = ...}` gives the file name).
    pub raw: String,
    /// The SPDX expression, when the value maps to one.
    pub expression: Option<String>,
    /// 1-based line of the field in the manifest.
    pub line: usize,
    /// How the value was read where that is not obvious: a convention applied, an ambiguity, a defect.
    pub note: Option<String>,
    /// The file the declaration points to for the licence text or its details (`license-file`,
    /// `{file = ...}`, R's `+ file LICENSE`, npm's `SEE LICENSE IN ...`).
    pub file: Option<String>,
}
/// An SPDX expression read from a licence name, URL or classifier, and how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub expression: Option<String>,
    pub note: Option<String>,
    /// The file named for the licence text, if the value points to one.
    pub file: Option<String>,
    /// A GNU licence whose "or later" the value does not settle; read as `-only`.
    undecided_later: bool,
}

impl Mapping {
    fn spdx(expression: impl Into<String>) -> Self {
        Self {
            expression: Some(expression.into()),
            ..Self::default()
        }
    }

    fn with_note(mut self, note: impl Into<String>) -> Self {
        let note = note.into();
        self.note = Some(match self.note.take() {
            Some(first) => format!("{first}; {note}"),
            None => note,
        });
        self
    }

    fn unmapped(note: impl Into<String>) -> Self {
        Self {
            note: Some(note.into()),
            ..Self::default()
        }
    }

    /// No licence named: the value points to the file that holds it.
    fn pointer(file: &str) -> Self {
        Self {
            note: Some(format!("the licence is in the file `{file}`")),
            file: Some(file.to_owned()),
            ..Self::default()
        }
    }
}

/// Whether discovery should hand a root file of this name to [`declared_license`].
pub fn is_manifest(file_name: &str) -> bool {
    matches!(
        file_name,
        "Cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "setup.cfg"
            | "setup.py"
            | "DESCRIPTION"
            | "pom.xml"
            | "composer.json"
            | "CITATION.cff"
            | "publiccode.yml"
            | "publiccode.yaml"
            | "datapackage.json"
            | "REUSE.toml"
            | "dep5"
    ) || file_name.to_ascii_lowercase().ends_with(".csproj")
        || file_name.ends_with(".gemspec")
}

/// The licence declarations in a manifest called `file_name` (its base name) whose text is `text`.
/// An unknown file name, or a manifest without a licence field, gives an empty list.
pub fn declared_license(file_name: &str, text: &str) -> Vec<Declared> {
    let mut declared = match file_name {
        "Cargo.toml" => from_cargo(text),
        "package.json" => from_package_json(text),
        "pyproject.toml" => from_pyproject(text),
        "setup.cfg" => from_setup_cfg(text),
        "setup.py" => from_setup_py(text),
        "DESCRIPTION" => from_r_description(text),
        "pom.xml" => from_pom(text),
        "composer.json" => from_composer(text),
        "CITATION.cff" => from_citation_cff(text),
        "publiccode.yml" | "publiccode.yaml" => from_publiccode(text),
        "datapackage.json" => from_datapackage(text),
        "REUSE.toml" => from_reuse_toml(text),
        "dep5" => from_dep5(text),
        name if name.ends_with(".gemspec") => from_gemspec(text),
        name if name.to_ascii_lowercase().ends_with(".csproj") => from_csproj(text),
        _ => Vec::new(),
    };
    settle_or_later_from_header(text, &mut declared);
    declared.into_iter().map(|(d, _)| d).collect()
}

fn declared(raw: &str, line: usize, mapping: Mapping) -> (Declared, bool) {
    let undecided = mapping.undecided_later;
    let d = Declared {
        raw: raw.to_owned(),
        expression: mapping.expression,
        line,
        note: mapping.note,
        file: mapping.file,
    };
    (d, undecided)
}

/// A GNU licence declared without "or later" (`LGPLv3`) is read as `-only`, unless the same file carries the
/// licence's own header granting "version N ... or (at your option) any later version" (isodatetime's
/// pyproject.toml does): then it is `-or-later`, and the note says which line settled it.
fn settle_or_later_from_header(text: &str, declared: &mut [(Declared, bool)]) {
    static LATER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)version (\d(?:\.\d)?) of the license,? or (?:\(at your option\) )?any later version")
            .expect("valid regex")
    });
    if !declared.iter().any(|(_, undecided)| *undecided) {
        return;
    }
    // The comment lines, joined, so that the phrase may span lines.
    let comments: Vec<&str> = text
        .lines()
        .filter_map(|line| {
            let trimmed = line.trim_start();
            ["#", "//", "/*", "*"]
                .iter()
                .find_map(|marker| trimmed.strip_prefix(marker))
        })
        .collect();
    let joined = comments
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for captures in LATER.captures_iter(&joined) {
        let version = normalise_version(&captures[1]);
        let needle = format!("version {}", &captures[1]);
        let line = text
            .lines()
            .position(|l| l.to_ascii_lowercase().contains(&needle))
            .map_or(1, |i| i + 1);
        for (d, undecided) in declared.iter_mut().filter(|(_, undecided)| *undecided) {
            let Some(base) = d
                .expression
                .as_deref()
                .and_then(|e| e.strip_suffix("-only"))
            else {
                continue;
            };
            if !base.ends_with(&format!("-{version}")) {
                continue;
            }
            d.expression = Some(format!("{base}-or-later"));
            let settled = format!(
                "`{}` does not say whether later versions apply; this file's licence header (line {line}) grants \
                 \"any later version\"",
                d.raw
            );
            let kept: Vec<String> = d
                .note
                .take()
                .into_iter()
                .flat_map(|n| n.split("; ").map(str::to_owned).collect::<Vec<_>>())
                .filter(|part| !part.contains("whether later versions apply"))
                .chain(std::iter::once(settled))
                .collect();
            d.note = Some(kept.join("; "));
            *undecided = false;
        }
    }
}

fn normalise_version(version: &str) -> String {
    if version.contains('.') {
        version.to_owned()
    } else {
        format!("{version}.0")
    }
}

/// Why a manifest's licence field looks like a tool's default rather than the owner's choice: npm init's
/// `"license": "ISC"` with an empty author, or a code generator's placeholder licence ("Override this license",
/// authors "OpenAPI Generator team"). Such a declaration is kept but needs a person.
pub fn generator_default(file_name: &str, text: &str) -> Option<String> {
    static GENERATOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)openapi[\s-]generator|swagger[\s-]codegen|override\s+this\s+licen[cs]e")
            .expect("generator pattern")
    });
    if let Some(m) = GENERATOR.find(text) {
        return Some(format!(
            "the licence field is a code generator's default (\"{}\"), not evidently the owner's choice",
            m.as_str()
        ));
    }
    if file_name == "package.json"
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(text)
        && json.get("license").and_then(|l| l.as_str()) == Some("ISC")
    {
        let author_empty = match json.get("author") {
            None => true,
            Some(serde_json::Value::String(a)) => a.trim().is_empty(),
            Some(_) => false,
        };
        if author_empty {
            return Some(
                "\"license\": \"ISC\" with no author is npm init's default, not evidently the owner's choice"
                    .into(),
            );
        }
    }
    None
}

#[cfg(test)]
mod generator_default_tests {
    use super::generator_default;

    #[test]
    fn tool_defaults_are_told_from_chosen_licences() {
        assert!(generator_default("package.json", r#"{"author": "", "license": "ISC"}"#).is_some());
        assert!(generator_default("package.json", r#"{"license": "ISC"}"#).is_some());
        assert!(
            generator_default(
                "package.json",
                r#"{"author": "NHS Digital", "license": "ISC"}"#
            )
            .is_none()
        );
        assert!(generator_default("package.json", r#"{"author": "", "license": "MIT"}"#).is_none());
        assert!(
            generator_default(
                "Cargo.toml",
                "authors = [\"OpenAPI Generator team and contributors\"]\nlicense = \"Unlicense\"\n"
            )
            .is_some()
        );
        assert!(
            generator_default("Cargo.toml", "authors = [\"HDR UK\"]\nlicense = \"MIT\"\n")
                .is_none()
        );
    }
}
