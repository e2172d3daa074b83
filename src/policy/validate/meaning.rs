//! Step 3: the meaning of the licence rules and clarifications: version, confidence range, SPDX ids and
//! expressions, repository names, hashes, duplicates, reasons.

use super::super::sections::Typed;
use super::*;

impl Checker<'_> {
    /// The licence rules and clarifications checked, and the stages' sections typed (when the document is a
    /// mapping: else the walk has said so and the sections keep their defaults).
    pub(super) fn check(&mut self, raw: &RawPolicy, root_is_mapping: bool) -> Policy {
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

        let mut licenses = LicensePolicy::default();
        if let Some(raw) = &raw.licenses {
            self.check_licenses(raw, &mut licenses);
        }
        let path = vec![Segment::from("clarifications")];
        let mut first_by_repo: HashMap<String, usize> = HashMap::new();
        let mut clarifications = Vec::new();
        for (index, raw) in raw.clarifications.iter().flatten().enumerate() {
            let clarification =
                self.check_clarification(raw, &child(&path, index), index, &mut first_by_repo);
            clarifications.push(clarification);
        }
        let written = raw.sections();
        self.check_api_urls(&written);
        let sections = if root_is_mapping {
            self.type_sections(&written)
        } else {
            Typed::default()
        };
        Policy::assemble(
            licenses,
            clarifications,
            sections,
            written.get("safety").cloned(),
        )
    }

    /// `github.api-url`, `target.api-url`, `approval.api-url`: each written one must be an API's base URL. The
    /// rest of those sections is typed by the stages that own them.
    pub(super) fn check_api_urls(&mut self, sections: &BTreeMap<String, Value>) {
        let [shared, ..] = API_URL_SECTIONS;
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
                            if section == shared {
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

    pub(super) fn check_licenses(&mut self, raw: &RawLicenses, licenses: &mut LicensePolicy) {
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

    pub(super) fn check_clarification(
        &mut self,
        raw: &RawClarification,
        path: &[Segment],
        index: usize,
        first_by_repo: &mut HashMap<String, usize>,
    ) -> Clarification {
        self.check_clarified_repo(raw, path, index, first_by_repo);
        let licenses = self.clarified_licences(raw, path);
        let files = self.pinned_files(raw, path);
        self.check_reason(raw, path);
        Clarification {
            repo: raw.repo.clone().unwrap_or_default(),
            expression: raw.expression.clone().unwrap_or_default(),
            licenses,
            files,
            reason: raw.reason.clone().unwrap_or_default(),
        }
    }

    /// The clarified repository: present, owner/name, and clarified once (a second clarification of it is
    /// reported at its `repo`, pointing at the first).
    fn check_clarified_repo(
        &mut self,
        raw: &RawClarification,
        path: &[Segment],
        index: usize,
        first_by_repo: &mut HashMap<String, usize>,
    ) {
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
    }

    /// The licence ids of the vouched-for expression, each once, in order; a missing or unparsable expression is
    /// reported.
    fn clarified_licences(&mut self, raw: &RawClarification, path: &[Segment]) -> Vec<String> {
        let mut licenses: Vec<String> = Vec::new();
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
                        if !licenses.contains(&id) {
                            licenses.push(id);
                        }
                    }
                }
                Err(error) => {
                    self.expression_problem(&child(path, "expression"), expression, &error)
                }
            },
        }
        licenses
    }

    /// The digests of the pinned licence files; none pinned is reported, and each file is checked.
    fn pinned_files(&mut self, raw: &RawClarification, path: &[Segment]) -> Vec<FileDigest> {
        let mut pinned = Vec::new();
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
                        pinned.push(digest);
                    }
                }
            }
        }
        pinned
    }

    /// The reason: present and not empty.
    fn check_reason(&mut self, raw: &RawClarification, path: &[Segment]) {
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
    }

    pub(super) fn check_file<'r>(
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
    pub(super) fn missing(&mut self, path: &[Segment], key: &str, help: &str) {
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

    pub(super) fn expression_problem(
        &mut self,
        path: &[Segment],
        expression: &str,
        error: &spdx::ParseError,
    ) {
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
