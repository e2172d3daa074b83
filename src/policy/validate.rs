//! From text to a validated `Policy`, collecting every problem before giving up (cargo-deny's way).
//!
//! 1. Guard: size cap, then parse into a `serde_yaml::Value` (syntax errors, and the parser's recursion and alias
//!    limits, come back with serde_yaml's own line and column).
//! 2. Walk the value along the schema into a `RawPolicy`, reporting each unknown key and each value of the wrong
//!    type or spelling, and carrying on past it.
//! 3. Check the meaning: version, confidence range, SPDX ids and expressions, repository names, hashes,
//!    duplicates, reasons.
//! 4. If nothing was found, deserialise the text strictly into `RawPolicy` as a safety net (the walk and the serde
//!    types must agree) and build the `Policy`.
//!
//! Every diagnostic names the path of the node it is about; `locate_all` turns all the paths into lines and
//! columns in one more pass over the text. A key written with no value (`reason:`) counts as absent, as it
//! does for serde.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;
use serde_yaml::Value;

use super::diagnostic::{Code, Diagnostic, Location, PolicyError};
use super::locate::{
    DisplayPath, Request, Segment, Target, flow_depth_beyond, locate_all, locate_duplicate_key,
    location_of_offset, offset_of_location,
};
use super::raw::{
    RESERVED_SECTIONS, RawClarification, RawClasses, RawFile, RawLicenses, RawPolicy, fields_of,
};
use super::suggest::closest;
use super::{
    API_URL_SECTIONS, Action, Clarification, Class, DEFAULT_API_URL, LicensePolicy, Policy,
    api_url_problem,
};
use crate::license::FileDigest;

mod ids;
mod meaning;
mod sections;
mod walk;

pub(crate) use ids::{is_owner_and_name, is_sha256, is_tree_path, license_id_problem};

/// The largest policy file read; a real one is a few kilobytes.
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;

/// Problems listed before the rest are summarised.
pub const MAX_DIAGNOSTICS: usize = 50;

/// Deepest nesting of `[` and `{` accepted (libyaml slows down with the square of it).
pub const MAX_FLOW_DEPTH: usize = 64;

/// The schema version this build reads.
pub const POLICY_VERSION: u64 = 1;

pub(crate) fn parse(text: &str, file: &str) -> Result<Policy, PolicyError> {
    let mut checker = Checker {
        text,
        file,
        diagnostics: Vec::new(),
        reported: BTreeSet::new(),
        dropped: 0,
    };
    if text.len() > MAX_POLICY_BYTES {
        checker.push(too_large(file, text.len() as u64));
        return Err(checker.finish());
    }
    if let Some(offset) = flow_depth_beyond(text, MAX_FLOW_DEPTH) {
        checker.push(Diagnostic {
            code: Code::Syntax,
            message: format!("brackets nested deeper than {MAX_FLOW_DEPTH}"),
            file: file.into(),
            location: Some(location_of_offset(text.as_bytes(), offset)),
            help: Some("the document nests deeper than any policy needs".into()),
        });
        return Err(checker.finish());
    }
    let value = match serde_yaml::from_str::<Value>(text) {
        Ok(value) => value,
        Err(error) => {
            let mut diagnostic = from_serde_error(file, &error, Code::Syntax);
            if diagnostic.code == Code::DuplicateKey {
                diagnostic.location = locate_duplicate_key(text).or(diagnostic.location);
            }
            checker.push(diagnostic);
            return Err(checker.finish());
        }
    };
    if value.is_null() {
        checker.push(Diagnostic {
            code: Code::Empty,
            message: "the policy file holds no YAML document".into(),
            file: file.into(),
            location: None,
            help: Some(
                "start from the documented policy.yaml; the least a policy needs is `version: 1`"
                    .into(),
            ),
        });
        return Err(checker.finish());
    }
    let raw = checker.walk(&value);
    let policy = checker.check(&raw, value.is_mapping());
    if !checker.diagnostics.is_empty() {
        return Err(checker.finish());
    }
    match serde_yaml::from_str::<RawPolicy>(text) {
        Ok(strict) => {
            debug_assert_eq!(strict, raw, "the lenient walk and the serde types disagree");
            Ok(policy)
        }
        Err(error) => {
            checker.push(from_serde_error(file, &error, Code::BadType));
            Err(checker.finish())
        }
    }
}

pub(crate) fn too_large(file: &str, size: u64) -> Diagnostic {
    Diagnostic {
        code: Code::TooLarge,
        message: format!(
            "the policy file is {size} bytes, more than the {MAX_POLICY_BYTES} bytes a policy may hold"
        ),
        file: file.into(),
        location: None,
        help: Some("a policy is a few kilobytes of YAML; check that this is the right file".into()),
    }
}

/// A diagnostic from a serde_yaml error, at the error's own location, without the location repeated in the text.
fn from_serde_error(file: &str, error: &serde_yaml::Error, fallback: Code) -> Diagnostic {
    let location = error.location().map(|location| Location {
        line: location.line(),
        column: location.column(),
    });
    let mut message = error.to_string();
    if let Some(Location { line, column }) = location {
        let suffix = format!(" at line {line} column {column}");
        if let Some(start) = message.find(&suffix) {
            message.replace_range(start..start + suffix.len(), "");
        }
    }
    let code = if message.contains("duplicate entry") || message.contains("duplicate field") {
        Code::DuplicateKey
    } else if message.contains("unknown field") {
        Code::UnknownKey
    } else if message.contains("missing field") {
        Code::MissingKey
    } else if message.contains("unknown variant") {
        Code::UnknownValue
    } else {
        fallback
    };
    let help = match code {
        Code::DuplicateKey => {
            Some("each key may appear once in a mapping; remove or merge the other".into())
        }
        _ if message.contains("recursion limit") => {
            Some("the document nests deeper than any policy needs".into())
        }
        _ if message.contains("repetition limit") => {
            Some("aliases expand to more nodes than any policy needs; write the values out".into())
        }
        _ => None,
    };
    Diagnostic {
        code,
        message,
        file: file.into(),
        location,
        help,
    }
}

struct Checker<'t> {
    text: &'t str,
    file: &'t str,
    diagnostics: Vec<Pending>,
    /// Paths already reported, so that a bad value is not reported again as missing.
    reported: BTreeSet<String>,
    dropped: usize,
}

/// A diagnostic waiting for its location: all are located together in one pass over the text.
struct Pending {
    diagnostic: Diagnostic,
    /// The node to point at.
    at: Option<Request>,
    /// Point inside the scalar: (its value, byte offset within it).
    within: Option<(String, usize)>,
    /// Name the line of this node in the help (a duplicate's first occurrence).
    first_at: Option<Vec<Segment>>,
    /// Where to point, in order, if `at` is not written in the file (a required key left out).
    fallbacks: Vec<Vec<Segment>>,
}

impl Pending {
    fn new(diagnostic: Diagnostic) -> Self {
        Pending {
            diagnostic,
            at: None,
            within: None,
            first_at: None,
            fallbacks: Vec::new(),
        }
    }
}

fn child(path: &[Segment], segment: impl Into<Segment>) -> Vec<Segment> {
    let mut path = path.to_vec();
    path.push(segment.into());
    path
}

/// "a string", "a mapping", ... for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// A mapping key as text, the way `locate` compares keys; `None` for a list or mapping used as a key.
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Null => Some("null".into()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.push_pending(Pending::new(diagnostic));
    }

    fn push_pending(&mut self, pending: Pending) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
        } else {
            self.diagnostics.push(pending);
        }
    }

    fn report(
        &mut self,
        code: Code,
        path: &[Segment],
        target: Target,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.reported.insert(DisplayPath(path).to_string());
        let diagnostic = Diagnostic {
            code,
            message: message.into(),
            file: self.file.into(),
            location: None,
            help,
        };
        self.push_pending(Pending {
            at: Some((path.to_vec(), target)),
            ..Pending::new(diagnostic)
        });
    }

    fn was_reported(&self, path: &[Segment]) -> bool {
        self.reported.contains(&DisplayPath(path).to_string())
    }

    /// Locate every diagnostic in one pass, sort them by place, and summarise any beyond the cap.
    fn finish(self) -> PolicyError {
        let mut requests: Vec<Request> = Vec::new();
        for pending in &self.diagnostics {
            requests.extend(pending.at.clone());
            requests.extend(
                pending
                    .fallbacks
                    .iter()
                    .map(|path| (path.clone(), Target::Value)),
            );
            requests.extend(pending.first_at.clone().map(|path| (path, Target::Value)));
        }
        let mut found = if requests.is_empty() {
            Vec::new()
        } else {
            locate_all(self.text, &requests)
        }
        .into_iter();
        let mut diagnostics: Vec<Diagnostic> = Vec::with_capacity(self.diagnostics.len() + 1);
        for pending in self.diagnostics {
            let mut diagnostic = pending.diagnostic;
            if pending.at.is_some() {
                let mut location = found.next().flatten();
                for _ in &pending.fallbacks {
                    location = location.or(found.next().flatten());
                }
                diagnostic.location = match (&pending.within, location) {
                    (Some((value, offset)), Some(start)) => {
                        Some(within_scalar(self.text, start, value, *offset))
                    }
                    (_, location) => location.or(diagnostic.location),
                };
            }
            if pending.first_at.is_some() {
                diagnostic.help = Some(match found.next().flatten() {
                    Some(first) => format!(
                        "the first clarification for it is at line {}; merge the two",
                        first.line
                    ),
                    None => "merge it with the first clarification for that repository".into(),
                });
            }
            diagnostics.push(diagnostic);
        }
        diagnostics.sort_by_key(|diagnostic| {
            diagnostic
                .location
                .map(|location| (location.line, location.column))
        });
        if self.dropped > 0 {
            diagnostics.push(Diagnostic {
                code: Code::TooManyProblems,
                message: format!("{} more problems not shown", self.dropped),
                file: self.file.into(),
                location: None,
                help: Some(format!("fix the first {MAX_DIAGNOSTICS} and check again")),
            });
        }
        PolicyError { diagnostics }
    }
}

/// The location of byte `offset` of a scalar's value, when the scalar sits on one line as written (plain or
/// quoted without escapes); else the scalar's start.
fn within_scalar(text: &str, start: Location, value: &str, offset: usize) -> Location {
    let Some(byte) = offset_of_location(text, start) else {
        return start;
    };
    let source = &text[byte..];
    let (quote, body) = match source.chars().next() {
        Some(quote @ ('"' | '\'')) => (1, &source[quote.len_utf8()..]),
        _ => (0, source),
    };
    match (body.starts_with(value), value.get(..offset)) {
        (true, Some(before)) => Location {
            line: start.line,
            column: start.column + quote + before.chars().count(),
        },
        _ => start,
    }
}
