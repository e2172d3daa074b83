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
    let policy = checker.check(&raw);
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
}

impl Pending {
    fn new(diagnostic: Diagnostic) -> Self {
        Pending {
            diagnostic,
            at: None,
            within: None,
            first_at: None,
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
                let location = found.next().flatten();
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

    // ---- step 2: the walk ----

    fn bad_type(&mut self, path: &[Segment], expected: &str, found: &Value) {
        let message = format!(
            "`{}` must be {expected}, found {}",
            DisplayPath(path),
            describe(found)
        );
        let help = match found {
            Value::Number(_) if expected == "a string" => {
                Some("put the value in quotes so that YAML reads it as text".to_owned())
            }
            _ => None,
        };
        self.report(Code::BadType, path, Target::Value, message, help);
    }

    /// The entries of a mapping with string keys; reports the others. `None` (reported) if not a mapping.
    fn entries<'v>(
        &mut self,
        value: &'v Value,
        path: &[Segment],
    ) -> Option<Vec<(String, &'v Value)>> {
        let Value::Mapping(mapping) = value else {
            self.bad_type(path, "a mapping", value);
            return None;
        };
        let mut entries = Vec::with_capacity(mapping.len());
        for (key, value) in mapping {
            match key {
                Value::String(name) => entries.push((name.clone(), value)),
                other => {
                    let message = format!("keys must be strings, found {}", describe(other));
                    match key_text(other) {
                        Some(text) => self.report(
                            Code::BadType,
                            &child(path, text.as_str()),
                            Target::Key,
                            message,
                            None,
                        ),
                        None => self.report(Code::BadType, path, Target::Value, message, None),
                    }
                }
            }
        }
        Some(entries)
    }

    /// True once the cap is reached: the caller skips composing a diagnostic that would only be counted.
    fn count_if_full(&mut self, path: &[Segment]) -> bool {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            return false;
        }
        self.reported.insert(DisplayPath(path).to_string());
        self.dropped += 1;
        true
    }

    fn unknown_key(&mut self, path: &[Segment], key: &str, known: &[&str]) {
        if self.count_if_full(path) {
            return;
        }
        let place = match path.len() {
            0 | 1 => String::new(),
            n => format!(" in `{}`", DisplayPath(&path[..n - 1])),
        };
        let help = match closest(key, known.iter().copied()) {
            Some(near) => {
                // A misspelt required key is reported once, not again as missing.
                if let Some((_, parent)) = path.split_last() {
                    self.reported
                        .insert(DisplayPath(&child(parent, near)).to_string());
                }
                format!("did you mean '{near}'?")
            }
            None => format!("expected one of: {}", known.join(", ")),
        };
        self.report(
            Code::UnknownKey,
            path,
            Target::Key,
            format!("unknown key '{key}'{place}"),
            Some(help),
        );
    }

    fn leaf<T: for<'de> Deserialize<'de>>(
        &mut self,
        value: &Value,
        path: &[Segment],
        expected: &str,
    ) -> Option<T> {
        match T::deserialize(value) {
            Ok(leaf) => Some(leaf),
            Err(_) => {
                self.bad_type(path, expected, value);
                None
            }
        }
    }

    fn string(&mut self, value: &Value, path: &[Segment]) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            other => {
                self.bad_type(path, "a string", other);
                None
            }
        }
    }

    fn action(&mut self, value: &Value, path: &[Segment]) -> Option<Action> {
        let names = Action::ALL.map(Action::as_str);
        let Value::String(name) = value else {
            self.bad_type(path, &format!("one of {}", names.join(", ")), value);
            return None;
        };
        if let Some(action) = Action::from_name(name) {
            return Some(action);
        }
        let help = match closest(name, names) {
            Some(near) => format!("did you mean '{near}'?"),
            None => format!("expected one of: {}", names.join(", ")),
        };
        self.report(
            Code::UnknownAction,
            path,
            Target::Value,
            format!("unknown action '{name}'"),
            Some(help),
        );
        None
    }

    fn class(&mut self, value: &Value, path: &[Segment], target: Target) -> Option<Class> {
        let names = Class::ALL.map(Class::as_str);
        let Value::String(name) = value else {
            self.bad_type(path, "a licence class", value);
            return None;
        };
        if let Some(class) = Class::from_name(name) {
            return Some(class);
        }
        let help = match closest(name, names) {
            Some(near) => format!("did you mean '{near}'?"),
            None => format!("classes are: {}", names.join(", ")),
        };
        self.report(
            Code::UnknownClass,
            path,
            target,
            format!("unknown licence class '{name}'"),
            Some(help),
        );
        None
    }

    fn walk(&mut self, root: &Value) -> RawPolicy {
        let mut raw = RawPolicy::default();
        let Some(entries) = self.entries(root, &[]) else {
            return raw;
        };
        for (key, value) in entries {
            let path = vec![Segment::Key(key.clone())];
            match key.as_str() {
                "version" => {
                    raw.version = self.leaf::<u64>(value, &path, "a whole number such as 1")
                }
                "licenses" => raw.licenses = self.licenses(value, &path),
                "clarifications" => raw.clarifications = self.clarifications(value, &path),
                other => {
                    if value.is_null() && RESERVED_SECTIONS.contains(&other) {
                        continue;
                    }
                    if !raw.set_section(other, value.clone()) {
                        self.unknown_key(&path, other, fields_of::<RawPolicy>());
                    }
                }
            }
        }
        raw
    }

    fn licenses(&mut self, value: &Value, path: &[Segment]) -> Option<RawLicenses> {
        if value.is_null() {
            return None;
        }
        let entries = self.entries(value, path)?;
        let mut licenses = RawLicenses::default();
        for (key, value) in entries {
            let path = child(path, key.as_str());
            match key.as_str() {
                "min-confidence" => {
                    licenses.min_confidence =
                        self.leaf::<f64>(value, &path, "a number between 0 and 1")
                }
                "classes" => licenses.classes = self.classes(value, &path),
                "unknown" => licenses.unknown = self.action(value, &path),
                "overrides" => licenses.overrides = self.overrides(value, &path),
                other => self.unknown_key(&path, other, fields_of::<RawLicenses>()),
            }
        }
        Some(licenses)
    }

    fn classes(&mut self, value: &Value, path: &[Segment]) -> Option<RawClasses> {
        if value.is_null() {
            return None;
        }
        let entries = self.entries(value, path)?;
        let mut classes = RawClasses::default();
        for (key, value) in entries {
            let path = child(path, key.as_str());
            match Class::from_name(&key) {
                Some(class) => {
                    if let Some(action) = self.action(value, &path) {
                        classes.set(class, action);
                    }
                }
                None => {
                    self.class(&Value::String(key), &path, Target::Key);
                }
            }
        }
        Some(classes)
    }

    fn overrides(&mut self, value: &Value, path: &[Segment]) -> Option<BTreeMap<String, Class>> {
        if value.is_null() {
            return None;
        }
        let entries = self.entries(value, path)?;
        let mut overrides = BTreeMap::new();
        for (id, value) in entries {
            let path = child(path, id.as_str());
            if let Some(class) = self.class(value, &path, Target::Value) {
                overrides.insert(id, class);
            }
        }
        Some(overrides)
    }

    fn clarifications(&mut self, value: &Value, path: &[Segment]) -> Option<Vec<RawClarification>> {
        let items = match value {
            Value::Null => return None,
            Value::Sequence(items) => items,
            other => {
                self.bad_type(path, "a list of clarifications", other);
                return None;
            }
        };
        let mut clarifications = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = child(path, index);
            let mut clarification = RawClarification::default();
            for (key, value) in self.entries(item, &path).unwrap_or_default() {
                let path = child(&path, key.as_str());
                match key.as_str() {
                    "repo" => clarification.repo = self.string(value, &path),
                    "expression" => clarification.expression = self.string(value, &path),
                    "reason" => clarification.reason = self.string(value, &path),
                    "files" => clarification.files = self.files(value, &path),
                    other => self.unknown_key(&path, other, fields_of::<RawClarification>()),
                }
            }
            clarifications.push(clarification);
        }
        Some(clarifications)
    }

    fn files(&mut self, value: &Value, path: &[Segment]) -> Option<Vec<RawFile>> {
        if value.is_null() {
            return None;
        }
        let Value::Sequence(items) = value else {
            self.bad_type(
                path,
                "a list of files, each with `path` and `sha256`",
                value,
            );
            return None;
        };
        let mut files = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = child(path, index);
            let mut file = RawFile::default();
            for (key, value) in self.entries(item, &path).unwrap_or_default() {
                let path = child(&path, key.as_str());
                match key.as_str() {
                    "path" => file.path = self.string(value, &path),
                    "sha256" => file.sha256 = self.string(value, &path),
                    other => self.unknown_key(&path, other, fields_of::<RawFile>()),
                }
            }
            files.push(file);
        }
        Some(files)
    }

    // ---- step 3: meaning ----

    fn check(&mut self, raw: &RawPolicy) -> Policy {
        let root: &[Segment] = &[];
        let version_path = vec![Segment::from("version")];
        match raw.version {
            None if self.was_reported(&version_path) || self.was_reported(root) => {}
            None => self.report(
                Code::MissingKey,
                root,
                Target::Value,
                "the policy has no `version`",
                Some(format!("add `version: {POLICY_VERSION}` as the first line")),
            ),
            Some(POLICY_VERSION) => {}
            Some(other) => self.report(
                Code::UnsupportedVersion,
                &version_path,
                Target::Value,
                format!("unsupported policy version {other}"),
                Some(format!(
                    "this keepopen reads `version: {POLICY_VERSION}` policies"
                )),
            ),
        }

        let mut policy = Policy::default();
        if let Some(licenses) = &raw.licenses {
            self.check_licenses(licenses, &mut policy.licenses);
        }
        let path = vec![Segment::from("clarifications")];
        let mut first_by_repo: HashMap<String, usize> = HashMap::new();
        for (index, raw) in raw.clarifications.iter().flatten().enumerate() {
            let clarification =
                self.check_clarification(raw, &child(&path, index), index, &mut first_by_repo);
            policy.clarifications.push(clarification);
        }
        policy.sections = raw.sections();
        self.check_api_urls(&policy.sections);
        policy
    }

    /// `github.api-url`, `target.api-url`, `approval.api-url`: each written one must be an API's base URL. The
    /// rest of those sections is typed by the stages that own them.
    fn check_api_urls(&mut self, sections: &BTreeMap<String, Value>) {
        for section in API_URL_SECTIONS {
            let Some(value) = sections.get(section).and_then(|s| s.get("api-url")) else {
                continue;
            };
            let path = vec![Segment::from(section), Segment::from("api-url")];
            match value {
                Value::Null => {}
                Value::String(url) => {
                    if let Some(problem) = api_url_problem(url) {
                        let help = format!(
                            "GitHub.com's API is {DEFAULT_API_URL}; GitHub Enterprise Server's is \
                             https://HOST/api/v3{}",
                            if section == "github" {
                                ""
                            } else {
                                "; leave this key out to use `github.api-url`"
                            }
                        );
                        self.report(
                            Code::BadUrl,
                            &path,
                            Target::Value,
                            format!("`{section}.api-url` {url:?} {problem}"),
                            Some(help),
                        );
                    }
                }
                other => self.bad_type(&path, "a string", other),
            }
        }
    }

    fn check_licenses(&mut self, raw: &RawLicenses, licenses: &mut LicensePolicy) {
        let path = vec![Segment::from("licenses")];
        if let Some(confidence) = raw.min_confidence {
            if confidence > 0.0 && confidence <= 1.0 {
                licenses.min_confidence = confidence as f32;
            } else {
                self.report(
                    Code::BadConfidence,
                    &child(&path, "min-confidence"),
                    Target::Value,
                    format!("min-confidence {confidence} is outside (0, 1]"),
                    Some(
                        "a detection score is between 0 and 1; 0.9 is askalono's own threshold"
                            .into(),
                    ),
                );
            }
        }
        if let Some(classes) = &raw.classes {
            licenses.actions.extend(classes.actions());
        }
        if let Some(unknown) = raw.unknown {
            licenses.unknown = unknown;
        }
        let overrides_path = child(&path, "overrides");
        for (id, class) in raw.overrides.iter().flatten() {
            let path = child(&overrides_path, id.as_str());
            if self.count_if_full(&path) {
                continue;
            }
            if let Some((code, message, help)) = license_id_problem(id) {
                self.report(code, &path, Target::Key, message, help);
            }
            licenses.overrides.insert(id.clone(), *class);
        }
    }

    fn check_clarification(
        &mut self,
        raw: &RawClarification,
        path: &[Segment],
        index: usize,
        first_by_repo: &mut HashMap<String, usize>,
    ) -> Clarification {
        let mut clarification = Clarification {
            repo: raw.repo.clone().unwrap_or_default(),
            expression: raw.expression.clone().unwrap_or_default(),
            licenses: Vec::new(),
            files: Vec::new(),
            reason: raw.reason.clone().unwrap_or_default(),
        };

        let repo_path = child(path, "repo");
        match &raw.repo {
            None => self.missing(
                path,
                "repo",
                "name the repository as owner/name, e.g. nhsx/covid-19-app-android",
            ),
            Some(repo) if !is_owner_and_name(repo) => self.report(
                Code::BadRepo,
                &repo_path,
                Target::Value,
                format!("'{repo}' is not a GitHub repository name"),
                Some("write it as owner/name, e.g. nhsx/covid-19-app-android".into()),
            ),
            Some(repo) => {
                let first = *first_by_repo
                    .entry(repo.to_ascii_lowercase())
                    .or_insert(index);
                if first != index {
                    let first_path = child(&child(&path[..path.len() - 1], first), "repo");
                    self.reported.insert(DisplayPath(&repo_path).to_string());
                    let diagnostic = Diagnostic {
                        code: Code::DuplicateClarification,
                        message: format!("a second clarification for '{repo}'"),
                        file: self.file.into(),
                        location: None,
                        help: None,
                    };
                    self.push_pending(Pending {
                        at: Some((repo_path.clone(), Target::Value)),
                        first_at: Some(first_path),
                        ..Pending::new(diagnostic)
                    });
                }
            }
        }

        match &raw.expression {
            None => self.missing(
                path,
                "expression",
                "give the SPDX expression you vouch for, e.g. MIT AND OGL-UK-3.0",
            ),
            Some(expression) => match spdx::Expression::parse(expression) {
                Ok(parsed) => {
                    for requirement in parsed.requirements() {
                        let id = requirement.req.license.to_string();
                        if !clarification.licenses.contains(&id) {
                            clarification.licenses.push(id);
                        }
                    }
                }
                Err(error) => {
                    self.expression_problem(&child(path, "expression"), expression, &error)
                }
            },
        }

        let files_path = child(path, "files");
        match &raw.files {
            None if self.was_reported(&files_path) => {}
            None => self.report(
                Code::MissingFiles,
                path,
                Target::Value,
                "the clarification pins no licence file",
                Some(pin_help()),
            ),
            Some(files) if files.is_empty() => self.report(
                Code::MissingFiles,
                &files_path,
                Target::Value,
                "the clarification pins no licence file",
                Some(pin_help()),
            ),
            Some(files) => {
                let mut first_by_path: HashMap<&str, usize> = HashMap::new();
                for (index, file) in files.iter().enumerate() {
                    let file_path = child(&files_path, index);
                    if let Some(digest) =
                        self.check_file(file, &file_path, index, &mut first_by_path)
                    {
                        clarification.files.push(digest);
                    }
                }
            }
        }

        match &raw.reason {
            None => {
                if !self.was_reported(&child(path, "reason")) {
                    self.report(
                        Code::MissingReason,
                        path,
                        Target::Value,
                        "the clarification gives no reason",
                        Some("say who vouched for the licence and how, e.g. a link to the maintainers' statement".into()),
                    );
                }
            }
            Some(reason) if reason.trim().is_empty() => self.report(
                Code::MissingReason,
                &child(path, "reason"),
                Target::Value,
                "the clarification's reason is empty",
                Some("say who vouched for the licence and how, e.g. a link to the maintainers' statement".into()),
            ),
            Some(_) => {}
        }
        clarification
    }

    fn check_file<'r>(
        &mut self,
        file: &'r RawFile,
        path: &[Segment],
        index: usize,
        first_by_path: &mut HashMap<&'r str, usize>,
    ) -> Option<FileDigest> {
        let repo_path = match &file.path {
            None => {
                self.missing(
                    path,
                    "path",
                    "the file's path from the repository root, e.g. LICENCE.md",
                );
                None
            }
            Some(repo_path) if !is_tree_path(repo_path) => {
                self.report(
                    Code::BadPath,
                    &child(path, "path"),
                    Target::Value,
                    format!("'{repo_path}' is not a path inside the repository"),
                    Some("use the path from the repository root with '/' between folders, e.g. docs/LICENCE".into()),
                );
                None
            }
            Some(repo_path) => {
                let first = *first_by_path.entry(repo_path.as_str()).or_insert(index);
                if first != index {
                    self.report(
                        Code::DuplicateFile,
                        &child(path, "path"),
                        Target::Value,
                        format!("'{repo_path}' is pinned twice"),
                        Some("keep one entry per file".into()),
                    );
                }
                Some(repo_path.clone())
            }
        };
        let sha256 = match &file.sha256 {
            None => {
                self.missing(
                    path,
                    "sha256",
                    "the file's sha256, as `sha256sum <file>` prints it",
                );
                None
            }
            Some(sha256) if !is_sha256(sha256) => {
                self.report(
                    Code::BadSha256,
                    &child(path, "sha256"),
                    Target::Value,
                    format!("'{sha256}' is not a sha256 hash"),
                    Some(format!(
                        "expected 64 hexadecimal digits, found {} characters; `sha256sum <file>` prints it",
                        sha256.chars().count()
                    )),
                );
                None
            }
            Some(sha256) => Some(sha256.to_ascii_lowercase()),
        };
        Some(FileDigest {
            path: repo_path?,
            sha256: sha256?,
        })
    }

    /// A required key absent from the mapping at `path` (unless its value was already reported as bad).
    fn missing(&mut self, path: &[Segment], key: &str, help: &str) {
        if self.was_reported(&child(path, key)) {
            return;
        }
        let what = match path.iter().rev().find_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        }) {
            Some("files") => "the pinned file",
            Some("clarifications") => "the clarification",
            _ => "this entry",
        };
        self.report(
            Code::MissingKey,
            path,
            Target::Value,
            format!("{what} has no `{key}`"),
            Some(help.into()),
        );
    }

    fn expression_problem(&mut self, path: &[Segment], expression: &str, error: &spdx::ParseError) {
        if self.count_if_full(path) {
            return;
        }
        use spdx::error::Reason;
        let term = expression.get(error.span.clone()).unwrap_or_default();
        let (code, message, help) = match &error.reason {
            Reason::UnknownLicense | Reason::UnknownTerm | Reason::DeprecatedLicenseId => {
                license_id_problem(term).unwrap_or_else(|| {
                    (
                        Code::BadExpression,
                        format!("unexpected term '{term}' in '{expression}'"),
                        None,
                    )
                })
            }
            reason => (
                Code::BadExpression,
                format!(
                    "invalid SPDX expression '{expression}': {}",
                    reason_text(reason)
                ),
                Some("write ids joined by AND, OR and WITH, e.g. MIT AND OGL-UK-3.0".into()),
            ),
        };
        self.reported.insert(DisplayPath(path).to_string());
        let diagnostic = Diagnostic {
            code,
            message,
            file: self.file.into(),
            location: None,
            help,
        };
        self.push_pending(Pending {
            at: Some((path.to_vec(), Target::Value)),
            within: Some((expression.to_owned(), error.span.start)),
            ..Pending::new(diagnostic)
        });
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

fn pin_help() -> String {
    "pin each licence file the clarification vouches for with its path and sha256, so a changed file voids it".into()
}

fn reason_text(reason: &spdx::error::Reason) -> &'static str {
    use spdx::error::Reason;
    match reason {
        Reason::UnknownLicense => "unknown licence id",
        Reason::UnknownException => "unknown exception id",
        Reason::InvalidCharacters => "invalid characters",
        Reason::UnclosedParens => "an opening parenthesis is not closed",
        Reason::UnopenedParens => "a closing parenthesis has no opening one",
        Reason::Empty => "it is empty",
        Reason::Unexpected(_) => "a term is out of place",
        Reason::SeparatedPlus => "`+` must follow the id without a space",
        Reason::UnknownTerm => "unknown term",
        Reason::GnuNoPlus => "a GNU licence takes -or-later, not `+`",
        Reason::GnuPlusWithSuffix => "`+` after -only or -or-later",
        Reason::DeprecatedLicenseId => "a deprecated licence id",
    }
}

/// What is wrong with a licence id used as an override key or in an expression, if anything.
pub(crate) fn license_id_problem(id: &str) -> Option<(Code, String, Option<String>)> {
    if let Some(name) = id.strip_prefix("LicenseRef-") {
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return None;
        }
        return Some((
            Code::UnknownLicense,
            format!("malformed licence reference '{id}'"),
            Some("write LicenseRef- followed by letters, digits, '.' or '-'".into()),
        ));
    }
    let exact = spdx::identifiers::LICENSES
        .binary_search_by(|license| license.name.cmp(id))
        .ok()
        .map(|index| &spdx::identifiers::LICENSES[index]);
    if let Some(license) = exact {
        if license.flags & spdx::flags::IS_DEPRECATED == 0 {
            return None;
        }
        let base = id.strip_suffix('+').unwrap_or(id);
        let current = |suffix: &str| {
            let candidate = format!("{base}{suffix}");
            spdx::license_id(&candidate)
                .filter(|license| license.name == candidate)
                .map(|_| candidate)
        };
        let help = match (current("-only"), current("-or-later")) {
            (Some(_), Some(later)) if id.ends_with('+') => format!("use '{later}'"),
            (Some(only), Some(later)) => format!("use '{only}' or '{later}'"),
            _ => "see https://spdx.org/licenses/ for the id that replaces it".into(),
        };
        return Some((
            Code::DeprecatedLicense,
            format!("deprecated SPDX licence id '{id}'"),
            Some(help),
        ));
    }
    let help = if spdx::exception_id(id).is_some() {
        format!(
            "'{id}' is a licence exception, not a licence: classify the licence it is used WITH"
        )
    } else if let Some(near) = closest(
        id,
        spdx::identifiers::LICENSES
            .iter()
            .filter(|license| license.flags & spdx::flags::IS_DEPRECATED == 0)
            .map(|license| license.name),
    ) {
        format!("did you mean '{near}'?")
    } else if let Some((license, _)) =
        spdx::imprecise_license_id(id).filter(|(_, length)| *length == id.len())
    {
        format!("did you mean '{}'?", license.name)
    } else {
        "see https://spdx.org/licenses/ for the ids, or write LicenseRef-<name> for a licence not on the list".into()
    };
    Some((
        Code::UnknownLicense,
        format!("unknown SPDX licence id '{id}'"),
        Some(help),
    ))
}

/// `owner/name` as GitHub allows them.
pub(crate) fn is_owner_and_name(repo: &str) -> bool {
    let Some((owner, name)) = repo.split_once('/') else {
        return false;
    };
    let owner_ok = (1..=39).contains(&owner.len())
        && !owner.starts_with('-')
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let name_ok = (1..=100).contains(&name.len())
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    owner_ok && name_ok
}

/// A relative, `/`-separated path with no empty, `.` or `..` parts.
pub(crate) fn is_tree_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

pub(crate) fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_and_name_table() {
        let table = [
            ("nhsx/example", true),
            ("NHSDigital/nhs-login.v2_beta", true),
            ("nhsx", false),
            ("/example", false),
            ("nhsx/", false),
            ("nhsx/a/b", false),
            ("nhsx/..", false),
            ("-nhs/x", false),
            ("nhs x/y", false),
            ("nhsx/exa mple", false),
        ];
        for (repo, expected) in table {
            assert_eq!(is_owner_and_name(repo), expected, "{repo}");
        }
    }

    #[test]
    fn tree_path_table() {
        let table = [
            ("LICENCE.md", true),
            ("docs/LICENSE", true),
            ("", false),
            ("/LICENCE", false),
            ("docs//LICENCE", false),
            ("../LICENCE", false),
            ("./LICENCE", false),
            ("docs\\LICENCE", false),
            ("docs/", false),
        ];
        for (path, expected) in table {
            assert_eq!(is_tree_path(path), expected, "{path:?}");
        }
    }

    #[test]
    fn license_id_problem_table() {
        let table: &[(&str, Option<(Code, &str)>)] = &[
            ("MIT", None),
            ("OGL-UK-3.0", None),
            ("LicenseRef-Warwick-noncommercial", None),
            (
                "LicenseRef-",
                Some((Code::UnknownLicense, "write LicenseRef-")),
            ),
            ("MTI", Some((Code::UnknownLicense, "did you mean 'MIT'?"))),
            ("mit", Some((Code::UnknownLicense, "did you mean 'MIT'?"))),
            (
                "Apache2.0",
                Some((Code::UnknownLicense, "did you mean 'Apache-2.0'?")),
            ),
            (
                "GPL-3.0",
                Some((
                    Code::DeprecatedLicense,
                    "use 'GPL-3.0-only' or 'GPL-3.0-or-later'",
                )),
            ),
            (
                "GPL-2.0+",
                Some((Code::DeprecatedLicense, "use 'GPL-2.0-or-later'")),
            ),
            (
                "LLVM-exception",
                Some((Code::UnknownLicense, "is a licence exception")),
            ),
            (
                "Definitely Not A Licence",
                Some((Code::UnknownLicense, "LicenseRef-<name>")),
            ),
        ];
        for (id, expected) in table {
            let problem = license_id_problem(id);
            match (expected, &problem) {
                (None, None) => {}
                (Some((code, help)), Some((got_code, _, got_help))) => {
                    assert_eq!(got_code, code, "{id}");
                    assert!(
                        got_help.as_deref().unwrap_or_default().contains(help),
                        "{id}: {got_help:?}"
                    );
                }
                _ => panic!("{id}: {problem:?}"),
            }
        }
    }
}
