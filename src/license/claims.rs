//! Every claim a repository makes about its licence, with what the claim speaks for, and the one check that
//! the claims agree.
//!
//! A claim is one place saying something about the terms: a licence file grants a licence for its folder (the
//! root's for the repository), a manifest for its package, an `SPDX-License-Identifier:` line for its file, a
//! README or documentation statement for what it names; a notice file, a manifest's `UNLICENSED` or a
//! sentence beside a grant can withhold rights; a manifest's `SEE LICENSE IN <file>` can point at nothing.
//!
//! [`gather`] reads the claims that only discovery sees (withholding sentences in notice files at any depth,
//! `UNLICENSED` manifests at any depth, pointers to missing files); [`all`] adds the grants of the report's
//! findings. [`agreement`] is the one check over them: a withholding anywhere that shares files with a grant,
//! a pointer to a missing file, or weak evidence (a manifest field, a header) naming another licence than the
//! strong evidence for the same files is a [`Disagreement`]. A new kind of claim plugs in by being gathered;
//! the check does not change.

use serde::{Deserialize, Serialize};

use super::detect::family;
use super::{Discovery, Finding, LicenseReport, Method, Scope, SourceKind};
use crate::policy::{Action, Policy};

/// What a claim speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum Covers {
    /// The whole repository (a root file).
    Repository,
    /// The repository's code, or its documentation, or a named part: any file may be one of them.
    Unbounded(String),
    /// One folder and everything below it.
    Folder(String),
    /// One file.
    File(String),
}

impl Covers {
    /// What a file at `path` speaks for when it speaks for its folder: the repository at the root.
    pub fn folder_of(path: &str) -> Covers {
        match path.rsplit_once('/') {
            Some((folder, _)) => Covers::Folder(folder.to_string()),
            None => Covers::Repository,
        }
    }

    /// What a finding speaks for: its scope, except that a header speaks for its own file only.
    pub fn of_finding(finding: &Finding) -> Covers {
        match &finding.scope {
            Scope::Repository if is_header(finding) => Covers::File(finding.file.clone()),
            Scope::Code if is_header(finding) => Covers::File(finding.file.clone()),
            Scope::Repository => Covers::Repository,
            Scope::Code => Covers::Unbounded("the code".into()),
            Scope::Documentation => Covers::Unbounded("the documentation".into()),
            Scope::Part(p) => Covers::Unbounded(p.clone()),
            Scope::Folder(f) => Covers::Folder(f.clone()),
        }
    }

    /// Whether two claims may speak for one same file. Only folders and files are known not to: anything
    /// else may hold any file.
    pub fn overlaps(&self, other: &Covers) -> bool {
        match (self, other) {
            (Covers::Folder(a), Covers::Folder(b)) => within(a, b) || within(b, a),
            (Covers::Folder(folder), Covers::File(file))
            | (Covers::File(file), Covers::Folder(folder)) => within(file, folder),
            (Covers::File(a), Covers::File(b)) => a == b,
            _ => true,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Covers::Repository => "the repository".into(),
            Covers::Unbounded(what) => what.clone(),
            Covers::Folder(f) => format!("{f}/"),
            Covers::File(f) => f.clone(),
        }
    }
}

fn within(path: &str, folder: &str) -> bool {
    path == folder
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A declared expression in a file that is not a manifest: an `SPDX-License-Identifier:` line.
fn is_header(finding: &Finding) -> bool {
    finding.method == Method::Declared && !is_manifest_path(&finding.file)
}

fn is_manifest_path(path: &str) -> bool {
    super::manifest::is_manifest(path.rsplit('/').next().unwrap_or(path))
}

/// How much a claim proves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// A licence text, a licence's header, a statement that names the licence.
    Strong,
    /// A manifest field or an `SPDX-License-Identifier:` line: it supports, never stands alone.
    Weak,
}

/// What a claim says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Stance {
    /// This licence applies.
    Grants { license: String },
    /// Rights are withheld: `UNLICENSED`, "redistribution is not permitted", "internal use only".
    Withholds { text: String },
    /// The terms are said to be in a file the tree does not hold (`SEE LICENSE IN TERMS.md`).
    PointsToMissing { pointed: String },
    /// A manifest's licence field is a tool's default (npm init's `"ISC"` with no author), not evidently the
    /// owner's choice.
    ToolDefault { reason: String },
}

/// One claim about the licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub file: String,
    /// 1-based.
    pub line: usize,
    pub covers: Covers,
    pub strength: Strength,
    pub stance: Stance,
}

impl Claim {
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// Whether a declared licence field (a manifest's, project metadata's, a REUSE annotation's, a file's
/// `SPDX-License-Identifier:`) names a licence: an SPDX expression of listed ids only, or a name the licence
/// vocabulary knows. `UNLICENSED`, `proprietary`, `NONE`, any `LicenseRef-…`, an unknown id or free words
/// ("other-closed", "Closed source") name none, and are read as withholding for what the field covers.
///
/// Invariant: a claim is either a known licence or it withholds; there is no third reading in which an
/// unrecognised claim is ignored.
pub fn names_a_licence(text: &str) -> bool {
    let raw = text.trim();
    let upper = raw.to_ascii_uppercase();
    if matches!(upper.as_str(), "UNLICENSED" | "PROPRIETARY" | "NONE")
        || upper.contains("LICENSEREF-")
    {
        return false;
    }
    // A pointer to the licence file is read as that file, and a field never filled in is no claim
    // ([`super::weak::names_no_licence`]): neither is read here.
    if upper.starts_with("SEE LICENSE IN")
        || upper.starts_with("FILE LICENSE")
        || upper == "NOASSERTION"
        || super::weak::names_no_licence(raw)
    {
        return true;
    }
    let listed_ids = spdx::Expression::parse_mode(raw, spdx::ParseMode::LAX).is_ok_and(|e| {
        e.requirements()
            .all(|r| matches!(r.req.license, spdx::LicenseItem::Spdx { .. }))
    });
    // A name the vocabulary knows, an unversioned family (`BSD License`, a Python classifier), or a word
    // that is a listed id ("MIT-style").
    listed_ids
        || !super::reference::references(raw).is_empty()
        || super::weak::names_a_family(raw)
        || raw
            .split(|c: char| c.is_whitespace() || "?,;()[]{}<>\"'/".contains(c))
            .any(|w| spdx::license_id(w).is_some())
}

/// The claims only discovery sees: withholding sentences in notice files (at any depth, vendored folders
/// included), manifests at any depth that declare `UNLICENSED` or `proprietary`, and manifests that point at a
/// licence file the tree lacks. Manifests, project metadata, REUSE annotations and `SPDX-License-Identifier:`
/// lines whose field names no licence ([`names_a_licence`]) withhold for what they cover: a header its file, a
/// REUSE annotation its paths, a manifest its folder.
pub fn gather(discovery: &Discovery) -> Vec<Claim> {
    let mut claims = Vec::new();
    for c in &discovery.candidates {
        if matches!(c.kind, SourceKind::Manifest | SourceKind::SpdxHeader)
            && !names_a_licence(&c.text)
        {
            let file_name = c.path.rsplit('/').next().unwrap_or(&c.path);
            let covers = if c.kind == SourceKind::SpdxHeader {
                Covers::File(c.path.clone())
            } else if matches!(file_name, "REUSE.toml" | "dep5") {
                Covers::Unbounded(format!(
                    "the paths annotated at {}:{}",
                    c.path, c.first_line
                ))
            } else {
                Covers::folder_of(&c.path)
            };
            claims.push(Claim {
                file: c.path.clone(),
                line: c.first_line,
                covers,
                strength: Strength::Weak,
                stance: Stance::Withholds {
                    text: format!("declares \"{}\"", c.text.trim()),
                },
            });
        }
    }
    let notices = discovery
        .candidates
        .iter()
        .filter(|c| c.kind == SourceKind::NoticeFile)
        .chain(discovery.notices.iter());
    for notice in notices {
        for (line, text) in withholding_sentences(&notice.text) {
            claims.push(Claim {
                file: notice.path.clone(),
                line: line + notice.first_line.saturating_sub(1),
                covers: Covers::folder_of(&notice.path),
                strength: Strength::Strong,
                stance: Stance::Withholds { text },
            });
        }
    }
    for default in &discovery.tool_defaults {
        claims.push(Claim {
            file: default.path.clone(),
            line: 1,
            covers: Covers::folder_of(&default.path),
            strength: Strength::Weak,
            stance: Stance::ToolDefault {
                reason: default.reason.clone(),
            },
        });
    }
    for skipped in &discovery.skipped {
        // "SEE LICENSE IN LICENSE" beside a `LICENCE` file points at it: the two spellings (and letter
        // case) name one file to a reader, and that file was read as a licence file like any other.
        let spelled_otherwise = discovery.candidates.iter().any(|c| {
            c.kind != SourceKind::Manifest && one_spelling(&c.path) == one_spelling(&skipped.path)
        });
        if skipped
            .reason
            .starts_with(super::discovery::POINTED_MISSING)
            && !spelled_otherwise
        {
            claims.push(Claim {
                file: skipped.path.clone(),
                line: 1,
                covers: Covers::Repository,
                strength: Strength::Weak,
                stance: Stance::PointsToMissing {
                    pointed: skipped.path.clone(),
                },
            });
        }
    }
    claims
}

/// A path with the British and American spellings of licence folded together, in lower case.
fn one_spelling(path: &str) -> String {
    path.to_lowercase().replace("licence", "license")
}

/// Every claim of a report: the grants of its findings, then what discovery gathered ([`gather`]).
pub fn all(report: &LicenseReport) -> Vec<Claim> {
    let mut claims: Vec<Claim> = report
        .findings
        .iter()
        .filter(|f| {
            // A text whose grant was removed or negated grants nothing (the verdict names the change).
            !f.operative_changes
                .iter()
                .any(|c| c.kind == "dropped-grant" || c.kind == "negated-grant")
        })
        .map(|f| Claim {
            file: f.file.clone(),
            line: f.lines.0,
            covers: Covers::of_finding(f),
            strength: if crate::verdict::is_strong(f) {
                Strength::Strong
            } else {
                Strength::Weak
            },
            stance: Stance::Grants {
                license: f.license.clone(),
            },
        })
        .collect();
    claims.extend(report.claims.iter().cloned());
    claims
}

/// A way in which the claims do not agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// Whether a person must look (else it is said, as a note, and the verdict stands).
    pub blocking: bool,
    pub text: String,
}

/// The one check of agreement over `claims`:
///
/// - a withholding shares files with a grant: blocking, naming both (with no grant, the verdict's own rules
///   for a repository without a licence apply, and it is blocking still);
/// - a manifest points at a licence file that is not there: blocking;
/// - a manifest's licence field is a tool's default: blocking, unless strong evidence for the same files is
///   relied on instead (then a note);
/// - weak evidence names a licence that no strong evidence for the same files names, while strong evidence
///   for those files names another: a note when both licences are ones the policy allows and the weak one
///   asks nothing the strong one does not (npm's `"ISC"` beside an MIT licence text); blocking otherwise.
pub fn agreement(claims: &[Claim], policy: &Policy) -> Vec<Disagreement> {
    let grants = || {
        claims.iter().filter_map(|c| match &c.stance {
            Stance::Grants { license } => Some((c, license.as_str())),
            _ => None,
        })
    };
    let mut out = Vec::new();
    for claim in claims {
        match &claim.stance {
            Stance::Withholds { text } => {
                let beside = grants().find(|(g, _)| g.covers.overlaps(&claim.covers));
                out.push(Disagreement {
                    blocking: true,
                    text: match beside {
                        Some((g, license)) => format!(
                            "{} withholds rights for {} (\"{text}\") where {} grants {license} for {}",
                            claim.at(),
                            claim.covers.describe(),
                            g.at(),
                            g.covers.describe()
                        ),
                        None => format!(
                            "{} withholds rights for {}: \"{text}\"",
                            claim.at(),
                            claim.covers.describe()
                        ),
                    },
                });
            }
            Stance::PointsToMissing { pointed } => out.push(Disagreement {
                blocking: true,
                text: format!(
                    "a manifest says the licence is in {pointed}, which is not in the tree: the terms it points to are unknown"
                ),
            }),
            Stance::ToolDefault { reason } => {
                let relied = grants().find(|(g, _)| {
                    g.strength == Strength::Strong && g.covers.overlaps(&claim.covers)
                });
                out.push(Disagreement {
                    blocking: relied.is_none(),
                    text: match relied {
                        Some((g, license)) => format!(
                            "{}: {reason}; {} ({license}) is relied on instead",
                            claim.file,
                            g.at()
                        ),
                        None => format!("{}: {reason}", claim.file),
                    },
                });
            }
            Stance::Grants { license } if claim.strength == Strength::Weak => {
                let strong = || {
                    grants().filter(|(g, _)| {
                        g.strength == Strength::Strong && g.covers.overlaps(&claim.covers)
                    })
                };
                if strong().any(|(_, l)| family(l) == family(license)) {
                    continue;
                }
                let Some((other, other_license)) = strong().next() else {
                    continue;
                };
                let harmless = allowed(license, policy)
                    && allowed(other_license, policy)
                    && asks_nothing_more(license, other_license, policy);
                out.push(Disagreement {
                    blocking: !harmless,
                    text: if harmless {
                        format!(
                            "{} declares {license} where {} is {other_license}: both are licences the policy allows and {license} asks nothing more, so the licence text is relied on",
                            claim.at(),
                            other.at()
                        )
                    } else {
                        format!(
                            "conflicting declarations: {} says {license}, {} says {other_license}",
                            claim.file, other.file
                        )
                    },
                });
            }
            Stance::Grants { .. } => {}
        }
    }
    out.dedup();
    out
}

fn allowed(id: &str, policy: &Policy) -> bool {
    match policy.class_of(id) {
        Some(class) => policy.action_for(class) == Action::Allow,
        None => policy.licenses.unknown == Action::Allow,
    }
}

/// Whether `weak` asks of a republisher nothing that `strong` does not.
fn asks_nothing_more(weak: &str, strong: &str, policy: &Policy) -> bool {
    let theirs = crate::verdict::license_conditions_under(strong, policy);
    crate::verdict::license_conditions_under(weak, policy)
        .iter()
        .all(|c| theirs.contains(c))
}

/// Sentences that withhold what a licence would grant: a right (to copy, distribute, publish, modify, share,
/// reuse, sell) with a negation or prohibition beside it, or a use restricted to some ("internal use only",
/// "for exclusive use"). A conditional grant ("you may not use this file except in compliance with the
/// License") and a name or endorsement clause are not withholdings. Returns (1-based line, sentence); a sentence
/// may wrap onto the next line.
pub fn withholding_sentences(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        if withholds(line) {
            out.push((i + 1, line.to_string()));
            i += 1;
            continue;
        }
        if let Some(next) = lines.get(i + 1).map(|l| l.trim())
            && !next.is_empty()
            && !withholds(next)
        {
            let joined = format!("{line} {next}");
            if withholds(&joined) {
                out.push((i + 1, joined));
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether one sentence withholds rights (see [`withholding_sentences`]).
pub fn withholds(sentence: &str) -> bool {
    use regex::Regex;
    use std::sync::LazyLock;
    const RIGHTS: &str = r"(?:re-?)?distribut\w*|cop(?:y|ies|ying|ied)|reproduc\w*|(?:re-?)?publish\w*|modif\w*|shar(?:e|ed|ing)|re-?us\w*|sub-?licen[cs]\w*|sell\w*|resell\w*|disclos\w*|(?:re)?used?|transfer\w*";
    static NEGATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?ix)
            \b(?:not|never|no\s+one|nobody|cannot|can't|mustn't|won't)\b[^.;]{{0,40}}?\b(?:{RIGHTS})\b
            | \b(?:{RIGHTS})\b[^.;]{{0,50}}?\b(?:is|are|be|being)\s+(?:not\s+(?:permitted|allowed|authori[sz]ed|granted)|prohibited|forbidden|restricted|reserved)
            | \b(?:prohibit\w*|forbid\w*|disallow\w*)\b[^.;]{{0,40}}?\b(?:{RIGHTS})\b
            | \bno\s+(?:right|licen[cs]e|permission)s?\b[^.;]{{0,40}}?\b(?:granted|given|to)\b
            | \b(?:internal|exclusive|personal|private|sole)\b[^.;]{{0,30}}?\buse\b
            | \bfor\s+(?:\S+\s+){{0,4}}?use\s+only\b
            | \bnot\s+for\s+(?:re-?)?(?:distribution|publication|reuse|re-use|sharing)\b
            | \bconfidential\b
            | \bnone\s+of\s+the\s+above\s+applies\b
            "
        ))
        .expect("withholding pattern")
    });
    // A grant with conditions, an endorsement or name clause, or a licence text's own warranty wording.
    static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)
            \bexcept\s+(?:in\s+compliance|as\s+(?:expressly\s+)?(?:provided|permitted|stated|set\s+out|required))
            | \bunless\s+(?:required|otherwise)
            | \bendorse\b | \bpromote\b | \btrade\s*marks?\b | \bwarrant
            | \bsubject\s+to\s+the\s+(?:following\s+)?conditions
            | \bprovided\s+that\b",
        )
        .expect("conditional pattern")
    });
    // A copyright line withholds only when it negates ("… and may not be copied"), not by its convention.
    let conventional = super::holders::is_copyright_line(sentence) && !sentence.contains("not");
    NEGATED.is_match(sentence) && !CONDITIONAL.is_match(sentence) && !conventional
}

/// What a line naming a licence speaks for, when it is known to speak for a part of the repository only. The
/// absence search ([`super::refs::search_absence`]) reads every file of every pushed ref for licence words;
/// a line found there is a claim like any other, with a scope, and only a line that may speak for the
/// repository as a whole ([`could_speak_for_repository`]) can stand between it and *no licence anywhere*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MentionScope {
    /// A comment of a script or source file (its leading header, or a comment further down): a licence for
    /// that file, as a copied-in build wrapper (`mvnw`, `gradlew`) carries its upstream's.
    FileHeader,
    /// A dependency's entry in a lockfile: the licence of a package the repository uses, not its own. A
    /// lockfile's root entry repeats the root manifest, which discovery reads itself.
    Dependency,
    /// Words of a page that a markup template, or markup built in code, renders (a site footer's "Open
    /// Government Licence v3.0"): the licence of the page's content, as HTML's `rel="license"` says of its
    /// document.
    Page,
    /// A line of a file that is neither a document about the project nor a licence file: a string or
    /// statement in code (a test asserting a footer's words, an API's sample `.license(...)`), a field of a
    /// data file (an OpenAPI document's `info.license`, an app's acknowledgements of the packages it
    /// bundles), a comment in a script embedded in a page. It speaks for what that file describes.
    OwnFile,
    /// A manifest's licence field never filled in (`License: What license is it under?`,
    /// [`super::weak::names_no_licence`]): not a claim at all, shown only as what was found.
    Unfilled,
}

impl MentionScope {
    pub fn describe(self) -> &'static str {
        match self {
            MentionScope::FileHeader => "its own file's licence header or comment",
            MentionScope::Dependency => "a dependency's entry in a lockfile",
            MentionScope::Page => "the content of a page the template renders",
            MentionScope::OwnFile => {
                "what its own file describes (code or data, not a document about the project)"
            }
            MentionScope::Unfilled => {
                "a manifest's licence field never filled in: it names no licence"
            }
        }
    }
}

/// Lockfiles: resolved dependencies, one entry each (their root entry, where there is one, repeats the root
/// manifest).
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "composer.lock",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "Gemfile.lock",
    "Cargo.lock",
    "packages.lock.json",
    "pubspec.lock",
    "Podfile.lock",
    "Package.resolved",
    "mix.lock",
    "go.sum",
    "gradle.lockfile",
    "conan.lock",
];

/// Markup a site renders into pages: its words are the pages' content.
const MARKUP: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "shtml",
    "erb",
    "njk",
    "nunjucks",
    "jinja",
    "jinja2",
    "j2",
    "hbs",
    "handlebars",
    "mustache",
    "twig",
    "liquid",
    "ejs",
    "haml",
    "slim",
    "pug",
    "jade",
    "jsp",
    "cshtml",
    "vm",
    "ftl",
    "ftlh",
    "tpl",
    "gohtml",
    "tmpl",
];

/// Stylesheets: how a site's pages are drawn. They are source files (a header can license one), and they are
/// part of the pages, not of the program ([`Work`]).
const STYLES: &[&str] = &["css", "scss", "sass", "less"];

/// Source and script files: what a repository's own work is mostly made of, and what a header can license.
const CODE: &[&str] = &[
    "rs", "java", "kt", "kts", "scala", "groovy", "gradle", "py", "rb", "go", "js", "mjs", "cjs",
    "jsx", "ts", "tsx", "vue", "svelte", "c", "h", "cc", "cpp", "hpp", "cxx", "cs", "fs", "vb",
    "swift", "m", "mm", "php", "pl", "pm", "r", "sh", "bash", "zsh", "ps1", "psm1", "bat", "cmd",
    "lua", "dart", "ex", "exs", "erl", "clj", "hs", "ml", "sql", "tf", "hcl", "proto", "scss",
    "sass", "less", "css",
];

/// Documents written for people to read: a page of a project's documentation, a README in another name.
const PROSE: &[&str] = &[
    "md", "markdown", "mdx", "rst", "txt", "text", "adoc", "asciidoc", "org", "textile", "rdoc",
    "pod", "rtf",
];

/// Words of a file's name that make it a licence, notice or readme: such a file states terms for its folder,
/// and may be meant for the project (a licence under a package folder, a notice beside the code).
const TERMS_NAMES: &[&str] = &[
    "licen",
    "copying",
    "notice",
    "readme",
    "copyright",
    "legal",
    "terms",
    "patents",
    "eula",
    "unlicense",
];

/// Files at the root that describe the project as a whole: its manifests and its metadata.
const PROJECT_METADATA: &[&str] = &[
    "citation.cff",
    "codemeta.json",
    "publiccode.yml",
    "publiccode.yaml",
    ".zenodo.json",
];

fn base_and_ext(path: &str) -> (&str, Option<String>) {
    let base = path.rsplit('/').next().unwrap_or(path);
    let ext = base
        .rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, e)| e.to_ascii_lowercase());
    (base, ext)
}

/// A build tool's wrapper, written into a project by the tool itself (`mvn wrapper:wrapper`, `gradle
/// wrapper`) with the tool's own licence header: `mvnw`, `mvnw.cmd`, `gradlew`, `gradlew.bat`, and the files
/// under `.mvn/wrapper/` and `gradle/wrapper/`. Its header is the tool's terms for the tool's file, never
/// the project's words ([`crate::verdict`]'s absence decision passes over it).
pub fn is_build_wrapper(path: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path);
    matches!(base, "mvnw" | "mvnw.cmd" | "gradlew" | "gradlew.bat")
        || path.contains(".mvn/wrapper/")
        || path.contains("gradle/wrapper/")
}

/// Whether a path is a source or script file by its extension, or an extensionless script (`gradlew`).
pub fn is_code_path(path: &str) -> bool {
    match base_and_ext(path) {
        (_, Some(ext)) => CODE.contains(&ext.as_str()),
        (base, None) => !base.starts_with('.') && base.chars().all(|c| c.is_ascii_lowercase()),
    }
}

/// What a file is of a repository's own work, for weighing what a page's footer can speak for: the program
/// (source and scripts), the pages (markup, prose documents and the styles they are drawn with), or other
/// (data, images, configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Program,
    Page,
    Other,
}

/// What the file at `path` is of the repository's own work ([`Work`]).
pub fn work_of(path: &str) -> Work {
    let (_, ext) = base_and_ext(path);
    let ext = ext.as_deref().unwrap_or("");
    if STYLES.contains(&ext) || MARKUP.contains(&ext) || PROSE.contains(&ext) {
        Work::Page
    } else if is_code_path(path) {
        Work::Program
    } else {
        Work::Other
    }
}

/// Whether a file, by its path alone, could hold a claim that speaks for the repository as a whole: a file
/// named like a licence, notice, copying or readme file at any depth (a licence under a package folder may be
/// meant for the project), a document written for people (a documentation page can state the project's
/// licence), or a manifest, project metadata or build script at the root (a build file can declare the
/// project's licence). Nothing else can: a source file's comment speaks for that file, a page's footer for
/// the page, a data file or notebook for what it holds, code below the root for what it does. This is what
/// makes a file the absence search could not read matter: one that could not hold such a claim cannot make
/// the repository licensed, whatever it holds.
pub fn could_speak_for_repository(path: &str) -> bool {
    speaks_as_a_document(path) || (!path.contains('/') && is_code_path(path))
}

/// A licence-like name at any depth, a prose document, or a root manifest or metadata file: every line of
/// it may speak for the repository.
fn speaks_as_a_document(path: &str) -> bool {
    let (base, ext) = base_and_ext(path);
    let lower = base.to_ascii_lowercase();
    if LOCKFILES.contains(&base) {
        return false;
    }
    if TERMS_NAMES.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if ext.as_deref().is_some_and(|e| PROSE.contains(&e)) {
        return true;
    }
    let at_root = !path.contains('/');
    at_root && (super::manifest::is_manifest(base) || PROJECT_METADATA.contains(&lower.as_str()))
}

/// Whether a trimmed line is a comment, or a line a script's header is made of (a shebang).
///
/// `'` opens a comment only in the Basic family (`apostrophe`): elsewhere a line starting with it is a string
/// literal continued from the line above (a JavaScript test's `'All content is available under …'`).
fn comment_line(line: &str, in_block: &mut bool, apostrophe: bool) -> bool {
    let t = line.trim();
    if *in_block {
        if t.contains("*/") || t.contains("-->") {
            *in_block = false;
        }
        return true;
    }
    if t.is_empty() {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if t.starts_with("/*") || t.starts_with("<!--") {
        *in_block = !(t.contains("*/") || t.contains("-->"));
        return true;
    }
    ["#", "//", "*", "--", ";", "%", "::", "@rem", "rem "]
        .iter()
        .any(|m| lower.starts_with(m))
        || (apostrophe && lower.starts_with('\''))
        || lower == "rem"
        || lower == "@echo off"
}

/// Whether the line `line` (1-based) of `text` is a comment: every line up to it read in turn, so that a
/// block comment opened above is followed.
fn is_comment_at(text: &str, line: usize, ext: Option<&str>) -> bool {
    let apostrophe = ext.is_some_and(|e| matches!(e, "vb" | "vbs" | "vba" | "bas" | "cls" | "frm"));
    let mut in_block = false;
    let mut last = false;
    for l in text.lines().take(line) {
        last = comment_line(l, &mut in_block, apostrophe);
    }
    last
}

/// Whether the line `line` (1-based) of a page lies within an HTML comment (`<!--` … `-->`).
fn in_markup_comment(text: &str, line: usize) -> bool {
    let mut open = false;
    for (i, l) in text.lines().take(line).enumerate() {
        let mut rest = l;
        let mut here = open;
        loop {
            if open {
                match rest.find("-->") {
                    Some(at) => {
                        open = false;
                        rest = &rest[at + 3..];
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(at) => {
                        open = true;
                        here = true;
                        rest = &rest[at + 4..];
                    }
                    None => break,
                }
            }
        }
        if i + 1 == line {
            return here;
        }
    }
    false
}

/// Whether a line of code is markup the code renders: an element's tag or an attribute of one (a template
/// string building a footer, a Vue or JSX template).
fn is_markup_line(line: &str) -> bool {
    use regex::Regex;
    use std::sync::LazyLock;
    static MARKUP_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)</?[a-z][a-z0-9-]*(?:[\s>/]|$)|\b(?:href|rel|class|src)\s*=\s*["']"#)
            .expect("markup line")
    });
    MARKUP_LINE.is_match(line)
}

/// Whether line `line` (1-based) of the root file `path` is a field of a WordPress theme's or plugin's header:
/// the first comment of the root `style.css` (a theme) or of a root PHP file (a plugin) that names the package
/// (`Theme Name:` or `Plugin Name:`). WordPress reads that header as the package's manifest, so its `License:`
/// and `License URI:` fields declare the licence of the theme or plugin, which is the repository — weak
/// evidence like any manifest field, never a grant on its own, but never "one file's own header" either: a
/// repository whose only licence words are such a field is not one with no licence anywhere. Another root
/// stylesheet or script, or the same words outside that first comment, keeps the scope of its own file.
fn declares_a_wordpress_package(path: &str, text: &str, line: usize) -> bool {
    let package_field = match path {
        "style.css" => "theme name:",
        p if !p.contains('/') && p.to_ascii_lowercase().ends_with(".php") => "plugin name:",
        _ => return false,
    };
    let Some(open) = text.find("/*") else {
        return false;
    };
    let Some(close) = text[open..].find("*/").map(|c| open + c) else {
        return false;
    };
    let before = text[..open].trim();
    if !(before.is_empty() || (package_field == "plugin name:" && before == "<?php")) {
        return false;
    }
    let first = text[..open].matches('\n').count() + 1;
    let last = text[..close].matches('\n').count() + 1;
    let header = text[open..close].to_ascii_lowercase();
    (first..=last).contains(&line)
        && header.lines().any(|l| {
            l.trim_start_matches([' ', '*', '\t'])
                .starts_with(package_field)
        })
}

/// What the line `line` (1-based) of `text`, the file at `path`, speaks for when it names a licence: a part
/// ([`MentionScope`]), or None when it may speak for the repository as a whole: any line of a file that could
/// hold such a claim by its path ([`could_speak_for_repository`]), except a comment of a script at the root
/// (`gradlew`'s header speaks for `gradlew`) and a page's content.
pub fn mention_scope(path: &str, text: &str, line: usize) -> Option<MentionScope> {
    let (base, ext) = base_and_ext(path);
    if LOCKFILES.contains(&base) {
        return Some(MentionScope::Dependency);
    }
    if super::manifest::is_manifest(base)
        && super::manifest::declared_license(base, text)
            .iter()
            .any(|d| d.line == line && super::weak::names_no_licence(&d.raw))
    {
        return Some(MentionScope::Unfilled);
    }
    if speaks_as_a_document(path) || declares_a_wordpress_package(path, text, line) {
        return None;
    }
    let the_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    if ext.as_deref().is_some_and(|e| MARKUP.contains(&e)) {
        // The page's own comment (`<!-- Licensed under … -->` at its head) speaks for the page like its
        // content; a comment of a script embedded in it (a bundled library's `* Released under MIT license`)
        // speaks for that script.
        return Some(
            if !in_markup_comment(text, line) && is_comment_at(text, line, None) {
                MentionScope::OwnFile
            } else {
                MentionScope::Page
            },
        );
    }
    if is_code_path(path) {
        if is_comment_at(text, line, ext.as_deref()) {
            return Some(MentionScope::FileHeader);
        }
        if is_markup_line(the_line) {
            return Some(MentionScope::Page);
        }
    }
    if could_speak_for_repository(path) {
        return None;
    }
    Some(MentionScope::OwnFile)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod names_a_licence_tests {
    use super::names_a_licence;

    #[test]
    fn a_field_names_a_licence_or_withholds() {
        for named in [
            "MIT",
            "Apache-2.0 OR MIT",
            "GPL-3.0-or-later",
            "Open Government Licence v3.0",
            "BSD",
            "BSD License",
            "License :: OSI Approved :: BSD License",
        ] {
            assert!(names_a_licence(named), "{named}");
        }
        for none in [
            "proprietary",
            "Proprietary",
            "UNLICENSED",
            "NONE",
            "LicenseRef-Proprietary",
            "MIT AND LicenseRef-Acme",
            "other-closed",
            "Closed source",
        ] {
            assert!(!names_a_licence(none), "{none}");
        }
        // Pointers and fields never filled in are read elsewhere, not as withholding.
        for other in [
            "SEE LICENSE IN TERMS.md",
            "What license is it under?",
            "<license>",
        ] {
            assert!(names_a_licence(other), "{other}");
        }
    }
}
