//! policy.yaml: what may be republished. Raw YAML is parsed into `RawPolicy`, then validated into `Policy`;
//! every problem is collected and reported with file, line and column (cargo-deny is the model).
//!
//! The verdict asks the policy three things: the class of a licence (`class_of`: the file's overrides, else the
//! built-in `default_class`), the action for a class (`action_for`), and whether a maintainer's clarification
//! covers a repository whose licence files are still the ones it pinned (`clarification_for`). The keys and the
//! diagnostic codes are documented in `docs/policy.md`; `policy.yaml` at the repository root is the documented
//! deployment, every key written.

mod api_url;
mod class;
mod diagnostic;
mod forge;
mod locate;
mod raw;
mod sections;
mod suggest;
#[cfg(test)]
mod tests;
mod validate;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::approval::ApprovalConfig;
use crate::license::FileDigest;
use crate::monitor::MonitorConfig;
use crate::publish::TargetConfig;
use crate::safety::SafetyConfig;

pub use api_url::{
    API_URL_SECTIONS, DEFAULT_API_URL, ResolvedApiUrl, api_url_problem, resolve_api_url,
    writes_api_url,
};
pub use class::{LicenseFlags, conditions_flags, default_class, ogl_attribution};
pub use diagnostic::{Code, Diagnostic, Location, PolicyError};
pub use forge::ForgeKind;
#[cfg(test)]
pub(crate) use raw::fields_of;
pub use raw::{RESERVED_SECTIONS, RawClarification, RawClasses, RawFile, RawLicenses, RawPolicy};
pub use sections::Problem;
pub use validate::{MAX_DIAGNOSTICS, MAX_FLOW_DEPTH, MAX_POLICY_BYTES, POLICY_VERSION};

/// How a licence is treated, by family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    Permissive,
    PublicDomain,
    WeakCopyleft,
    Copyleft,
    NonCommercial,
    NoDerivatives,
    Forbidden,
}

impl Class {
    pub const ALL: [Class; 7] = [
        Class::Permissive,
        Class::PublicDomain,
        Class::WeakCopyleft,
        Class::Copyleft,
        Class::NonCommercial,
        Class::NoDerivatives,
        Class::Forbidden,
    ];

    /// The name used in policy.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Permissive => "permissive",
            Class::PublicDomain => "public-domain",
            Class::WeakCopyleft => "weak-copyleft",
            Class::Copyleft => "copyleft",
            Class::NonCommercial => "non-commercial",
            Class::NoDerivatives => "no-derivatives",
            Class::Forbidden => "forbidden",
        }
    }

    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|class| class.as_str() == name)
    }
}

/// What the verdict does with a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Allow,
    Review,
    Forbid,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Allow, Action::Review, Action::Forbid];

    /// The name used in policy.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Review => "review",
            Action::Forbid => "forbid",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL
            .into_iter()
            .find(|action| action.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicensePolicy {
    /// Findings scoring below this cannot make a repository Allowed.
    pub min_confidence: f32,
    pub actions: BTreeMap<Class, Action>,
    /// SPDX id → class, overriding the built-in classification.
    pub overrides: BTreeMap<String, Class>,
    /// What to do with a licence that has no class.
    pub unknown: Action,
}

/// A maintainer's statement about one repository's licence, valid only while the files it vouches for are
/// byte-for-byte the ones hashed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clarification {
    /// `owner/name`.
    pub repo: String,
    /// SPDX expression, e.g. `MIT AND OGL-UK-3.0`.
    pub expression: String,
    /// The ids in `expression`.
    pub licenses: Vec<String>,
    pub files: Vec<FileDigest>,
    pub reason: String,
}

/// The policy file, read once: every section typed, defaulted and checked when it is loaded.
#[derive(Debug, Clone)]
pub struct Policy {
    pub licenses: LicensePolicy,
    pub clarifications: Vec<Clarification>,
    /// `sources`, `removal`, `github` and `archive`: whom the monitor watches and how it reaches them.
    pub monitor: MonitorConfig,
    /// `target`: where republished repositories go.
    pub target: TargetConfig,
    /// `approval`: where proposals live and who approves them. Absent from a policy that only checks; `propose`
    /// and `apply` ask for it with [`Policy::require_approval`].
    pub approval: Option<ApprovalConfig>,
    /// `safety`: the gate's limits and allow-lists.
    pub safety: SafetyConfig,
    /// `safety:` as written, for [`Policy::digest`].
    safety_written: Option<serde_yaml::Value>,
}

/// Whether a clarification covers a repository as it is now.
#[derive(Debug, Clone, PartialEq)]
pub enum ClarificationMatch<'p> {
    /// Every file it pins is present with the pinned hash.
    Applies(&'p Clarification),
    /// A pinned file changed or is gone: the clarification no longer speaks for the repository.
    Voided {
        clarification: &'p Clarification,
        /// The pinned paths that are missing or hash differently, in the order pinned.
        changed: Vec<String>,
    },
    /// No clarification names the repository.
    None,
}

impl Policy {
    /// The class of an SPDX id: the policy's override, else the built-in table.
    pub fn class_of(&self, id: &str) -> Option<Class> {
        self.licenses
            .overrides
            .get(id)
            .copied()
            .or_else(|| default_class(id))
    }

    /// The action for a class.
    pub fn action_for(&self, class: Class) -> Action {
        self.licenses
            .actions
            .get(&class)
            .copied()
            .unwrap_or(Action::Review)
    }

    /// sha256 (hex) of what in the policy can change a republication verdict: the licence rules, the
    /// clarifications and the `safety:` section as written. Other sections (sources, target, approval) do not
    /// count: a declined proposal is not proposed again because, say, the schedule changed.
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        #[derive(Serialize)]
        struct Deciding<'a> {
            licenses: &'a LicensePolicy,
            clarifications: &'a [Clarification],
            safety: Option<&'a serde_yaml::Value>,
        }
        let text = serde_yaml::to_string(&Deciding {
            licenses: &self.licenses,
            clarifications: &self.clarifications,
            safety: self.safety_written.as_ref(),
        })
        .expect("plain data serialises");
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    /// The `approval:` section, without which nothing can be proposed or applied.
    pub fn require_approval(&self) -> anyhow::Result<&ApprovalConfig> {
        self.approval.as_ref().ok_or_else(|| {
            anyhow::anyhow!(
                "the policy has no `approval` section: name the maintainers (`team: org/slug` and/or \
                 `maintainers: [login]`); nobody could approve"
            )
        })
    }

    /// Load and validate a policy file. The error lists every problem found, each with file, line and column.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let file = path.display().to_string();
        let bytes = read_bounded(path, &file).map_err(|diagnostic| PolicyError {
            diagnostics: vec![diagnostic],
        })?;
        match String::from_utf8(bytes) {
            Ok(text) => Policy::from_str(&text, &file),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let bytes = error.as_bytes();
                Err(PolicyError {
                    diagnostics: vec![Diagnostic {
                        code: Code::NotUtf8,
                        message: format!(
                            "the policy file is not UTF-8 (byte 0x{:02x})",
                            bytes[offset]
                        ),
                        file,
                        location: Some(locate::location_of_offset(bytes, offset)),
                        help: Some("save the file as UTF-8".into()),
                    }],
                })
            }
        }
    }

    /// Validate policy text; `origin` names it in diagnostics (usually the file path).
    pub fn from_str(text: &str, origin: &str) -> Result<Policy, PolicyError> {
        validate::parse(text, origin)
    }

    /// The clarification for `repo` (`owner/name`, compared without regard to ASCII case, as GitHub does) and
    /// whether it still holds given the repository's current licence files. Only the pinned files are compared:
    /// a licence file added since does not void it.
    pub fn clarification_for(&self, repo: &str, files: &[FileDigest]) -> ClarificationMatch<'_> {
        let Some(clarification) = self
            .clarifications
            .iter()
            .find(|clarification| clarification.repo.eq_ignore_ascii_case(repo))
        else {
            return ClarificationMatch::None;
        };
        let changed: Vec<String> = clarification
            .files
            .iter()
            .filter(|pinned| {
                !files.iter().any(|file| {
                    file.path == pinned.path && file.sha256.eq_ignore_ascii_case(&pinned.sha256)
                })
            })
            .map(|pinned| pinned.path.clone())
            .collect();
        if changed.is_empty() {
            ClarificationMatch::Applies(clarification)
        } else {
            ClarificationMatch::Voided {
                clarification,
                changed,
            }
        }
    }
}

/// Read at most `MAX_POLICY_BYTES` (a device or a growing file cannot make us read more).
fn read_bounded(path: &Path, file: &str) -> Result<Vec<u8>, Diagnostic> {
    let read_failed = |error: std::io::Error| Diagnostic {
        code: Code::ReadFailed,
        message: format!("cannot read the policy file: {error}"),
        file: file.into(),
        location: None,
        help: Some("pass the path of a policy.yaml with --policy".into()),
    };
    let handle = std::fs::File::open(path).map_err(read_failed)?;
    let metadata = handle.metadata().map_err(read_failed)?;
    if metadata.is_dir() {
        return Err(read_failed(std::io::Error::other("it is a directory")));
    }
    if metadata.len() > MAX_POLICY_BYTES as u64 {
        return Err(validate::too_large(file, metadata.len()));
    }
    let mut bytes = Vec::new();
    handle
        .take(MAX_POLICY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_failed)?;
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(validate::too_large(file, bytes.len() as u64));
    }
    Ok(bytes)
}

impl Default for LicensePolicy {
    fn default() -> Self {
        let actions = [
            (Class::Permissive, Action::Allow),
            (Class::PublicDomain, Action::Allow),
            (Class::WeakCopyleft, Action::Allow),
            (Class::Copyleft, Action::Allow),
            (Class::NonCommercial, Action::Allow),
            (Class::NoDerivatives, Action::Allow),
            (Class::Forbidden, Action::Forbid),
        ]
        .into_iter()
        .collect();
        LicensePolicy {
            min_confidence: 0.9,
            actions,
            overrides: BTreeMap::new(),
            unknown: Action::Review,
        }
    }
}

impl Policy {
    /// A policy of these licence rules and clarifications and these sections.
    pub(crate) fn assemble(
        licenses: LicensePolicy,
        clarifications: Vec<Clarification>,
        sections: sections::Typed,
        safety_written: Option<serde_yaml::Value>,
    ) -> Policy {
        Policy {
            licenses,
            clarifications,
            monitor: sections.monitor,
            target: sections.target,
            approval: sections.approval,
            safety: sections.safety,
            safety_written,
        }
    }
}

/// The documented defaults: what `version: 1` alone gives.
impl Default for Policy {
    fn default() -> Self {
        Policy::assemble(
            LicensePolicy::default(),
            Vec::new(),
            sections::Typed::default(),
            None,
        )
    }
}
