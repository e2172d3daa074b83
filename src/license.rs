//! Licence engine: find the texts that say how a repository is licensed (from git objects, never a checkout),
//! identify them with askalono against the SPDX list, and record the evidence the verdict needs.
//!
//! `discovery` reads candidates from a repository's tree; `detect` turns candidates into findings and
//! observations (pure over text + the store); `store` loads the askalono store built from `licenses/`.
//!
//! Logs name a text by its size and sha256 (debug, trace); the texts themselves, as read and as normalised,
//! go to the tracing target [`TEXT_LOG_TARGET`] alone, off unless asked for
//! (`RUST_LOG=keepopen::license::text=trace`).

pub mod appledouble;
pub mod assets;
pub mod claims;
pub mod components;
pub mod detect;
pub mod diff;
pub mod discovery;
pub mod history;
pub mod holders;
pub mod manifest;
pub mod notice;
pub mod packages;
pub mod reference;
pub mod refs;
pub mod rendered;
pub mod residue;
pub mod statement;
pub mod statements;
pub mod store;
pub mod text;
pub mod vocabulary;
pub mod weak;

use serde::{Deserialize, Serialize};

/// The tracing target of whole licence texts (at trace level): `RUST_LOG=keepopen::license::text=trace`.
pub const TEXT_LOG_TARGET: &str = "keepopen::license::text";

/// How a candidate text came to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A root file named licence/license/copying/unlicense (any case, .md/.txt/.rst or none).
    LicenseFile,
    /// A root NOTICE, COPYRIGHT or LEGAL file.
    NoticeFile,
    /// A file in a REUSE `LICENSES/` folder (its stem is the SPDX id it claims).
    ReuseLicense,
    /// A licence file below the root: it covers that folder, not the repository.
    NestedLicenseFile,
    /// `SPDX-License-Identifier:` lines gathered from source files.
    SpdxHeader,
    /// The licence field of a package manifest (Cargo.toml, package.json, pyproject.toml, ...).
    Manifest,
    /// The licence section of the README.
    Readme,
    /// A licence, copyright or terms page in a documentation folder (`docs/licence.md`, `sphinx/terms.rst`):
    /// read whole; it covers the repository when it speaks of the project or the code.
    DocumentationPage,
    /// A licence file inside a vendored folder (`node_modules/x/LICENSE`, `docs/js/vendor/tinymce/license.txt`):
    /// the terms of that folder's third-party code, never the repository's grant; its holders are not the
    /// repository's.
    VendoredLicenseFile,
}

/// One text that may say how the repository is licensed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Path in the repository tree, `/`-separated.
    pub path: String,
    pub kind: SourceKind,
    /// The text (decoded as UTF-8, or Latin-1 when it is not UTF-8). For a manifest or SPDX header this is the
    /// declared expression; for a README the licence section only.
    pub text: String,
    /// The line in `path` where `text` starts (1-based); a README section starts below the top.
    pub first_line: usize,
    /// sha256 of the whole blob, hex: what a policy clarification pins.
    pub sha256: String,
    /// True when only a bounded prefix of a large blob was read.
    pub truncated: bool,
    /// For a README section: it closes the README as its only licence section, so it speaks for the
    /// repository whatever its heading's level ([`discovery::ReadmeSection::closing`]). False elsewhere.
    #[serde(default)]
    pub closing_section: bool,
}

/// A file that looked like a licence but could not be read as one, and why. Reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What discovery read from one repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    /// The commit whose tree was read (the default branch's tip).
    pub commit: Option<String>,
    /// The branch it came from, e.g. `main`.
    pub branch: Option<String>,
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
    /// Where the licence files below the root sit and what lies outside their folders; `None` when there are
    /// none, or the tree could not be read to say.
    pub layout: Option<FolderLayout>,
    /// Fonts, images and bundled files of the trees to be pushed that state terms of their own.
    #[serde(default)]
    pub assets: assets::AssetScan,
    /// NOTICE, COPYRIGHT and LEGAL files below the root (vendored folders included): read for what they
    /// withhold ([`claims::gather`]), never as a grant for the repository.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Candidate>,
    /// The licence fields of the package manifests inside vendored folders (`node_modules/diff/package.json`
    /// `"license": "BSD-3-Clause"`), one candidate per declared expression: what a committed package says its
    /// licence is, read beside that package's own licence file ([`packages`]); never a claim for the
    /// repository.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub package_manifests: Vec<Candidate>,
    /// The parties the root's manifests name as their package's organisation or authors
    /// ([`manifest::declared_parties`]), as written: who licenses the repository when its licence text names
    /// no holder (`detect::licensors`). A sub-package's or a vendored package's manifest is not read here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manifest_parties: Vec<String>,
    /// Manifests whose licence field is a tool's default (npm init's `"ISC"` with no author), and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_defaults: Vec<Skipped>,
}

/// The folders below the root that hold a licence file of their own, and what of the tree lies outside all
/// of them: a repository made only of such folders is covered by their licences together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderLayout {
    /// The folders, `/`-separated, in tree order.
    pub folders: Vec<String>,
    /// The highest entries outside every one of those folders (a folder with a trailing `/`), at most
    /// [`FolderLayout::MAX_OUTSIDE`]; git's own files (`.gitignore`, `.gitattributes`, `.gitmodules`,
    /// `.mailmap`) left out. Empty: every file of the tree sits in one of the folders.
    pub outside: Vec<String>,
}

impl FolderLayout {
    /// The most entries `outside` lists: one is enough to say the folders do not cover the tree.
    pub const MAX_OUTSIDE: usize = 20;
}

/// How a licence was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// askalono matched the text against the canonical licence text.
    Text,
    /// A licence's standard header ("either version 3 of the License, or (at your option) any later version").
    Header,
    /// The licence is named or linked, not quoted ("licensed under the Open Government Licence v3.0").
    Reference,
    /// A declared SPDX expression: an `SPDX-License-Identifier:` line, a manifest field, a REUSE file name.
    Declared,
}

/// What part of the repository a finding covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum Scope {
    Repository,
    /// Source code only ("the codebase is released under MIT").
    Code,
    /// Documentation / content only ("the documentation is © Crown copyright and available under OGL").
    Documentation,
    /// Only the named folder.
    Folder(String),
    /// Only a named part of the repository ("the Widget codebase is released under MIT"): the words that name it.
    Part(String),
}

impl Scope {
    /// Whether a licence with this scope covers less than the repository on its own terms (a folder or a
    /// named part; code-only and documentation-only scopes cover the repository together).
    pub fn is_partial(&self) -> bool {
        matches!(self, Scope::Folder(_) | Scope::Part(_))
    }
}

/// Why a licence-like text grants nothing although it names a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotGrantKind {
    /// Advice or a pasted draft ("if the MIT License suits your needs, here's a template you can use").
    Advice,
    /// A statement of policy or custom ("as standard, research projects have a MIT licence").
    Policy,
    /// A document about licensing (guidance, a standard, examples of statements to use).
    About,
    /// Set apart from the document's own words: in a fenced code block, a block quote or an HTML comment.
    Quoted,
}

impl NotGrantKind {
    pub fn describe(self) -> &'static str {
        match self {
            NotGrantKind::Advice => "advice or a draft about which licence to use, not a grant",
            NotGrantKind::Policy => {
                "a statement of policy or custom, not a grant for this repository"
            }
            NotGrantKind::About => "a document about licensing, which grants nothing itself",
            NotGrantKind::Quoted => {
                "quoted, fenced as an example or commented out: set apart from the file's own words, not a grant"
            }
        }
    }
}

/// A change between the licence text found and the canonical text that alters what the licence permits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperativeChange {
    /// `negated-grant`, `added-restriction`, `dropped-condition`, `dropped-grant`.
    pub kind: String,
    /// What was found, in words.
    pub summary: String,
    /// A word diff around the change: `[-removed-]` and `{+added+}`.
    pub diff: String,
}

/// One licence found in one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// SPDX id (or `LicenseRef-…`).
    pub license: String,
    /// Other ids the same evidence fits equally (GPL-3.0-only vs GPL-3.0-or-later from the text alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided_between: Vec<String>,
    pub file: String,
    /// 1-based inclusive line span in `file`.
    pub lines: (usize, usize),
    /// 0..=1: askalono's score for a text; fixed, lower values for references and declarations.
    pub score: f32,
    pub method: Method,
    pub scope: Scope,
    /// The text differs from the canonical licence beyond layout, copyright lines and placeholders.
    pub modified: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operative_changes: Vec<OperativeChange>,
    /// Whether it was recognised as the second or later licence of a choice (OR) in the same file or set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Something the verdict must weigh that is not a licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Observation {
    /// No licence file, header, manifest field or README statement anywhere.
    NoLicense,
    /// A copyright statement with no grant ("© Crown copyright", "All rights reserved").
    AllRightsReserved {
        file: String,
        line: usize,
        text: String,
    },
    /// A licence-like file whose text matched nothing well enough.
    Unrecognised {
        file: String,
        best: Option<String>,
        score: f32,
    },
    /// Template placeholders left in: no real licensor named.
    Placeholder {
        file: String,
        line: usize,
        text: String,
    },
    /// Only a prefix of a large file was read: what follows is unread, so the file is never a clean grant.
    Truncated { file: String, bytes_read: u64 },
    /// Words in a licence-like file that nothing accounts for: neither the licence text matched (its
    /// differences judged harmless) nor a harmless shape (title, holder, blank, SPDX line, URL, the
    /// licence's own appendix, a recognised grant statement). Quoted, shortened, with the line they start on.
    Residue {
        file: String,
        line: usize,
        text: String,
    },
    /// A licence-like file that shows one thing and stores another: invisible or direction-changing code
    /// points, or words that mix scripts or read as Latin while written in another script.
    Deceptive {
        file: String,
        line: usize,
        detail: String,
    },
    /// A file named like a licence that was not read (symlink, folder, submodule, binary, empty).
    NotRead { file: String, reason: String },
    /// Two sources declare different licences for the whole repository.
    Conflict {
        first: String,
        second: String,
        detail: String,
    },
    /// Several licences: a choice (OR) or a split by scope (AND).
    Combination {
        relation: Relation,
        expression: String,
        detail: String,
    },
    /// A text that names licences but grants none: advice, policy, or a document about licensing. The
    /// licences it names are not findings.
    NotAGrant {
        file: String,
        line: usize,
        reading: NotGrantKind,
        /// The sentence that shows it.
        text: String,
    },
    /// A notice file (NOTICE, COPYRIGHT, CREDITS…) that matched no licence text but names licences: the terms
    /// of the works it attributes, each a claim scoped to that work (see [`notice`]).
    ThirdPartyNotice {
        file: String,
        licences: Vec<notice::NoticeLicence>,
    },
    /// A pushed ref that holds no licence-like text at all, cut from a commit of the default branch whose tree
    /// held the repository's licence file, which the ref's tree no longer has: the licence was removed on that
    /// ref ([`refs::licences_removed_on_refs`]). A person says whether the repository's licence still speaks
    /// for what the ref adds.
    LicenceRemovedOnRef {
        reference: String,
        file: String,
        /// The commit the ref was cut from (the merge base with the default branch), which held `file`.
        base: String,
    },
    /// No ref tip carries a licence file, but one was committed earlier in the history that will be pushed:
    /// removed, perhaps by mistake (see [`history`]).
    LicenceInHistory {
        file: String,
        /// The commit (full id) that holds it.
        commit: String,
    },
    /// The history was searched for a licence file only in part (the bound was reached): absence is not shown.
    HistoryNotSearched { commits: usize },
    /// A grant with a part carved out of it ("the map images are Crown copyright and may not be
    /// redistributed"): the repository as a whole is not free.
    CarveOut {
        file: String,
        line: usize,
        /// The sentence that withholds.
        text: String,
    },
    /// A font, image or bundled file with terms of its own that the repository's licence does not cover
    /// (restrictive, or not stated by a holder other than the repository's): see [`assets`].
    ThirdPartyTerms {
        file: String,
        /// What it is: `font`, `image`, `bundled file`, or `unread` when a limit cut the scan.
        asset: String,
        detail: String,
    },
    /// A sentence in prose that withholds the work — a README paragraph, a documentation page, a page's
    /// footer, a notebook's markdown, the comment heading a file — found by the search of every prose text of
    /// every pushed ref ([`statements`]); line 0 when the search itself stopped at its bound.
    Withholding {
        /// The pushed ref the file was first found in.
        reference: String,
        file: String,
        line: usize,
        text: String,
    },
    /// A bundled file whose terms were read by recognising it as a well-known open component (see
    /// [`components`]): that component's licence is a claim scoped to the file, weighed by the policy, and it
    /// asks what that licence asks (its notice kept).
    RecognisedComponent {
        file: String,
        /// `font` or `bundled file`.
        asset: String,
        component: String,
        license: String,
        /// What was recognised and why.
        evidence: String,
    },
}

impl LicenseReport {
    /// The part of this report that the file `file` gives on its own: its findings, its observations, its
    /// claims, its digest; how several licences relate is kept when the file names several itself. For what one
    /// file says ([`crate::verdict::judge_file`]), never for the repository's verdict.
    pub fn alone(&self, file: &str) -> LicenseReport {
        let mut families: Vec<&str> = self
            .findings
            .iter()
            .filter(|f| f.file == file)
            .map(|f| detect::family(&f.license))
            .collect();
        families.sort_unstable();
        families.dedup();
        LicenseReport {
            commit: self.commit.clone(),
            branch: self.branch.clone(),
            findings: self
                .findings
                .iter()
                .filter(|f| f.file == file)
                .cloned()
                .collect(),
            observations: self
                .observations
                .iter()
                .filter(|o| match o {
                    Observation::Combination { .. } => families.len() > 1,
                    other => other.file() == Some(file),
                })
                .cloned()
                .collect(),
            holders: Vec::new(),
            files: self
                .files
                .iter()
                .filter(|d| d.path == file)
                .cloned()
                .collect(),
            license_list_version: self.license_list_version.clone(),
            layout: None,
            claims: self
                .claims
                .iter()
                .filter(|c| c.file == file)
                .cloned()
                .collect(),
            refs: None,
            absence: None,
        }
    }
}

impl Observation {
    /// Whether the observation is reported for a person to see but weighs nothing: a folder named like a
    /// licence (it is no text; the licence files in it are read by their own names), and a licence file a
    /// manifest names that the tree lacks (the declaration itself still counts). The verdict and the
    /// judgement of other refs (whether a ref says anything of its own) read it alike.
    pub fn is_reported_only(&self) -> bool {
        matches!(self, Observation::NotRead { reason, .. }
            if reason.starts_with("a folder") || reason.starts_with("named by a manifest"))
    }

    /// The file the observation is about; `None` for what concerns the repository as a whole (no licence,
    /// a conflict or combination between sources, a history searched only in part).
    pub fn file(&self) -> Option<&str> {
        match self {
            Observation::AllRightsReserved { file, .. }
            | Observation::Unrecognised { file, .. }
            | Observation::Placeholder { file, .. }
            | Observation::Truncated { file, .. }
            | Observation::Residue { file, .. }
            | Observation::Deceptive { file, .. }
            | Observation::NotRead { file, .. }
            | Observation::NotAGrant { file, .. }
            | Observation::ThirdPartyNotice { file, .. }
            | Observation::LicenceInHistory { file, .. }
            | Observation::LicenceRemovedOnRef { file, .. }
            | Observation::CarveOut { file, .. }
            | Observation::ThirdPartyTerms { file, .. }
            | Observation::Withholding { file, .. }
            | Observation::RecognisedComponent { file, .. } => Some(file),
            Observation::NoLicense
            | Observation::Conflict { .. }
            | Observation::Combination { .. }
            | Observation::HistoryNotSearched { .. } => None,
        }
    }
}

/// How several licences relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The recipient may choose (dual licensing).
    Or,
    /// All apply, each to its part (code under MIT, documentation under OGL) or together.
    And,
}

/// Everything the licence engine learnt about one repository: the input of the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LicenseReport {
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub findings: Vec<Finding>,
    pub observations: Vec<Observation>,
    /// Copyright holders as written ("Crown Copyright (NHS England)").
    pub holders: Vec<String>,
    /// Files read, with their sha256, for clarifications and evidence.
    pub files: Vec<FileDigest>,
    /// The SPDX licence list version the texts came from.
    pub license_list_version: String,
    /// The licence folders of the tree and what lies outside them (see [`FolderLayout`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<FolderLayout>,
    /// Claims that only discovery sees (withholdings in notices and manifests, pointers to missing files):
    /// [`claims::gather`]. The findings' grants are added to them by [`claims::all`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<claims::Claim>,
    /// The other refs that would be pushed, and what their licence evidence says (see [`refs`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refs: Option<refs::RefsJudged>,
    /// The search for licence names and grants across every text file of every ref to be pushed, made
    /// before a repository is said to have no licence anywhere (see [`refs::search_absence`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absence: Option<refs::AbsenceSearch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    pub path: String,
    pub sha256: String,
}
