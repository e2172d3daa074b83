//! What is wrong with a policy file, where, and what to do about it. Rendered the way cargo-deny and rustc do:
//!
//! ```text
//! error[unknown-license]: unknown SPDX licence id 'MTI'
//!   --> policy.yaml:7:9
//!   help: did you mean 'MIT'?
//! ```

use std::fmt;

use serde::Serialize;

pub use super::locate::Location;

/// A short, stable name for each kind of problem; documented in `docs/policy.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file could not be read.
    ReadFailed,
    /// The file is larger than the cap.
    TooLarge,
    /// The file is not UTF-8.
    NotUtf8,
    /// The file holds no YAML document.
    Empty,
    /// YAML syntax, or a recursion or alias limit hit while parsing.
    Syntax,
    /// The same key twice in one mapping.
    DuplicateKey,
    /// A key the schema does not know.
    UnknownKey,
    /// A value of the wrong YAML type.
    BadType,
    /// A required key is absent.
    MissingKey,
    /// `version` is not one this program reads.
    UnsupportedVersion,
    /// `licenses.min-confidence` outside (0, 1].
    BadConfidence,
    /// Not one of allow, review, forbid.
    UnknownAction,
    /// Not one of the licence classes.
    UnknownClass,
    /// Not an SPDX licence id nor a `LicenseRef-`.
    UnknownLicense,
    /// An SPDX id the list has deprecated.
    DeprecatedLicense,
    /// A clarification's SPDX expression does not parse.
    BadExpression,
    /// A clarification's `repo` is not `owner/name`.
    BadRepo,
    /// Two clarifications for one repository.
    DuplicateClarification,
    /// A clarification that pins no licence file.
    MissingFiles,
    /// A pinned file path that is not a plain relative path in the tree.
    BadPath,
    /// One path pinned twice in a clarification.
    DuplicateFile,
    /// A pinned hash that is not 64 hexadecimal digits.
    BadSha256,
    /// A clarification without a reason.
    MissingReason,
    /// An `api-url` that is not the base URL of a REST API.
    BadUrl,
    /// A word a key does not accept (`forge: gitlab`).
    UnknownValue,
    /// Not a duration like `90s`, `15m`, `12h` or `2d`, or longer than a hundred years.
    BadDuration,
    /// A number outside the range its key accepts (a count of zero, a batch over 100).
    OutOfRange,
    /// Not a GitHub account, login or `org/team-slug`.
    BadLogin,
    /// A glob that does not compile.
    BadGlob,
    /// A name or description template with an unknown placeholder, an unclosed `{`, or a name the same for every repository.
    BadTemplate,
    /// A ref glob that does not start with `refs/`.
    BadRef,
    /// A safety rule id no rule carries.
    UnknownRule,
    /// The same entry twice in a list, or two settings that must differ given the same value.
    DuplicateEntry,
    /// A key the section's other settings make meaningless (`sources.path` with the github forge).
    UnusedKey,
    /// A setting written empty that needs a value.
    EmptyValue,
    /// A value its key does not accept, for the reason the message gives.
    BadValue,
    /// More problems than are worth listing.
    TooManyProblems,
}

impl Code {
    /// Every code, for the documentation test.
    pub const ALL: [Code; 37] = [
        Code::ReadFailed,
        Code::TooLarge,
        Code::NotUtf8,
        Code::Empty,
        Code::Syntax,
        Code::DuplicateKey,
        Code::UnknownKey,
        Code::BadType,
        Code::MissingKey,
        Code::UnsupportedVersion,
        Code::BadConfidence,
        Code::UnknownAction,
        Code::UnknownClass,
        Code::UnknownLicense,
        Code::DeprecatedLicense,
        Code::BadExpression,
        Code::BadRepo,
        Code::DuplicateClarification,
        Code::MissingFiles,
        Code::BadPath,
        Code::DuplicateFile,
        Code::BadSha256,
        Code::MissingReason,
        Code::BadUrl,
        Code::UnknownValue,
        Code::BadDuration,
        Code::OutOfRange,
        Code::BadLogin,
        Code::BadGlob,
        Code::BadTemplate,
        Code::BadRef,
        Code::UnknownRule,
        Code::DuplicateEntry,
        Code::UnusedKey,
        Code::EmptyValue,
        Code::BadValue,
        Code::TooManyProblems,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::ReadFailed => "read-failed",
            Code::TooLarge => "too-large",
            Code::NotUtf8 => "not-utf8",
            Code::Empty => "empty",
            Code::Syntax => "syntax",
            Code::DuplicateKey => "duplicate-key",
            Code::UnknownKey => "unknown-key",
            Code::BadType => "bad-type",
            Code::MissingKey => "missing-key",
            Code::UnsupportedVersion => "unsupported-version",
            Code::BadConfidence => "bad-confidence",
            Code::UnknownAction => "unknown-action",
            Code::UnknownClass => "unknown-class",
            Code::UnknownLicense => "unknown-license",
            Code::DeprecatedLicense => "deprecated-license",
            Code::BadExpression => "bad-expression",
            Code::BadRepo => "bad-repo",
            Code::DuplicateClarification => "duplicate-clarification",
            Code::MissingFiles => "missing-files",
            Code::BadPath => "bad-path",
            Code::DuplicateFile => "duplicate-file",
            Code::BadSha256 => "bad-sha256",
            Code::MissingReason => "missing-reason",
            Code::BadUrl => "bad-url",
            Code::UnknownValue => "unknown-value",
            Code::BadDuration => "bad-duration",
            Code::OutOfRange => "out-of-range",
            Code::BadLogin => "bad-login",
            Code::BadGlob => "bad-glob",
            Code::BadTemplate => "bad-template",
            Code::BadRef => "bad-ref",
            Code::UnknownRule => "unknown-rule",
            Code::DuplicateEntry => "duplicate-entry",
            Code::UnusedKey => "unused-key",
            Code::EmptyValue => "empty-value",
            Code::BadValue => "bad-value",
            Code::TooManyProblems => "too-many-problems",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// The file as the user named it.
    pub file: String,
    /// Absent when the problem is the whole file (unreadable, too large) or its place is unknown.
    pub location: Option<Location>,
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)?;
        match self.location {
            Some(Location { line, column }) => write!(f, "\n  --> {}:{line}:{column}", self.file)?,
            None => write!(f, "\n  --> {}", self.file)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A policy file that cannot be used, with every problem found in it (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    pub diagnostics: Vec<Diagnostic>,
}

impl PolicyError {
    pub fn codes(&self) -> Vec<Code> {
        self.diagnostics
            .iter()
            .map(|diagnostic| diagnostic.code)
            .collect()
    }
}

/// One block per diagnostic, separated by a blank line.
impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, diagnostic) in self.diagnostics.iter().enumerate() {
            if n > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_code_message_place_and_help_like_cargo_deny() {
        let error = PolicyError {
            diagnostics: vec![
                Diagnostic {
                    code: Code::UnknownLicense,
                    message: "unknown SPDX licence id 'MTI'".into(),
                    file: "policy.yaml".into(),
                    location: Some(Location { line: 7, column: 9 }),
                    help: Some("did you mean 'MIT'?".into()),
                },
                Diagnostic {
                    code: Code::TooLarge,
                    message: "file is 2000000 bytes".into(),
                    file: "other.yaml".into(),
                    location: None,
                    help: None,
                },
            ],
        };
        assert_eq!(
            error.to_string(),
            "error[unknown-license]: unknown SPDX licence id 'MTI'\n  --> policy.yaml:7:9\n  help: did you mean 'MIT'?\n\n\
             error[too-large]: file is 2000000 bytes\n  --> other.yaml"
        );
    }

    #[test]
    fn code_names_are_kebab_case_and_match_serde() {
        for code in Code::ALL {
            let name = code.as_str();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{name}"
            );
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(name)
            );
        }
    }
}
