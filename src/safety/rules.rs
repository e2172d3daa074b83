//! Secret rules as data: a gitleaks configuration (TOML) parsed and compiled with the `regex` crate.
//!
//! The rules are gitleaks' own default set, vendored under `safety-rules/gitleaks.toml` (MIT; where it came from
//! is in `safety-rules/README.md`). This module reads the fields that decide a match — `regex`, `secretGroup`,
//! `entropy`, `keywords`, `path`, and the allow-lists (`regexes`, `regexTarget`, `paths`, `stopwords`, `commits`,
//! `condition`) both per rule and global — and applies them as gitleaks' engine does:
//!
//! 1. keywords pre-filter: a rule with keywords runs only on text holding one of them (ASCII case-insensitive);
//! 2. the regex runs over the whole text (so a multi-line private key block matches); the secret is the
//!    `secretGroup` capture, else the first non-empty capture, else the whole match;
//! 3. a rule's `path` regex must match the file's path; a rule with a `path` and no `regex` is a file-name rule;
//! 4. the secret's Shannon entropy must exceed the rule's `entropy`; a `generic-*` rule's secret must also hold
//!    a digit (gitleaks does the same to cut noise);
//! 5. a match is dropped when a rule allow-list or the global allow-list says so.
//!
//! A rule whose regex the `regex` crate cannot compile (Go's RE2 and Rust's syntaxes differ at the edges) is
//! skipped and counted in [`RuleSet::skipped`], never silently lost.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::context::local_config;
use super::samples;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use regex::bytes::Regex as BytesRegex;
use serde::{Deserialize, Serialize};

/// The vendored gitleaks default configuration.
pub const GITLEAKS_TOML: &str = include_str!("../../safety-rules/gitleaks.toml");
/// Where [`GITLEAKS_TOML`] came from, for reports.
pub const GITLEAKS_SOURCE: &str = "safety-rules/gitleaks.toml (gitleaks default rules, MIT)";

static GITLEAKS: LazyLock<Result<RuleSet, String>> =
    LazyLock::new(|| RuleSet::from_toml(GITLEAKS_TOML, GITLEAKS_SOURCE).map_err(|e| e.to_string()));

/// A rule that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRule {
    pub id: String,
    pub reason: String,
}

/// Why a rule file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{source_name}: not a gitleaks configuration: {message}")]
    Syntax {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: global allow-list: {message}")]
    GlobalAllowlist {
        source_name: String,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    #[serde(default)]
    rules: Vec<RawRule>,
    allowlist: Option<RawAllowlist>,
    #[serde(default)]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRule {
    id: Option<String>,
    description: Option<String>,
    regex: Option<String>,
    path: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    allowlist: Option<RawAllowlist>,
    #[serde(default)]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAllowlist {
    condition: Option<String>,
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    commits: Vec<String>,
}

/// What an allow-list regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Secret,
    Match,
    Line,
}

/// One compiled allow-list.
#[derive(Debug)]
struct Allowlist {
    /// `condition = "AND"`: every non-empty criterion must hold; otherwise any one.
    all: bool,
    target: Target,
    regexes: Vec<BytesRegex>,
    paths: Vec<Regex>,
    /// Lower-cased.
    stopwords: Vec<String>,
    commits: Vec<String>,
}

/// What a candidate match looks like to the allow-lists.
struct Candidate<'a> {
    path: &'a str,
    commit: &'a str,
    secret: &'a [u8],
    whole: &'a [u8],
    line: &'a [u8],
}

impl Allowlist {
    fn compile(raw: RawAllowlist) -> Result<Allowlist, String> {
        let target = match raw.regex_target.as_deref() {
            None | Some("secret") | Some("") => Target::Secret,
            Some("match") => Target::Match,
            Some("line") => Target::Line,
            Some(other) => return Err(format!("unknown regexTarget {other:?}")),
        };
        let all = match raw.condition.as_deref() {
            None | Some("") => false,
            Some(c) if c.eq_ignore_ascii_case("or") => false,
            Some(c) if c.eq_ignore_ascii_case("and") => true,
            Some(other) => return Err(format!("unknown condition {other:?}")),
        };
        let regexes = raw
            .regexes
            .iter()
            .map(|r| compile_bytes(r))
            .collect::<Result<Vec<_>, _>>()?;
        let paths = raw
            .paths
            .iter()
            .map(|p| Regex::new(&go_to_rust(p)).map_err(|e| format!("path regex {p:?}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Allowlist {
            all,
            target,
            regexes,
            paths,
            stopwords: raw.stopwords.iter().map(|s| s.to_lowercase()).collect(),
            commits: raw.commits,
        })
    }

    fn allows(&self, candidate: &Candidate<'_>) -> bool {
        let mut checks: Vec<bool> = Vec::with_capacity(4);
        if !self.commits.is_empty() {
            checks.push(
                !candidate.commit.is_empty()
                    && self.commits.iter().any(|c| candidate.commit.starts_with(c)),
            );
        }
        if !self.paths.is_empty() {
            checks.push(self.paths.iter().any(|p| p.is_match(candidate.path)));
        }
        if !self.regexes.is_empty() {
            let haystack = match self.target {
                Target::Secret => candidate.secret,
                Target::Match => candidate.whole,
                Target::Line => candidate.line,
            };
            checks.push(self.regexes.iter().any(|r| r.is_match(haystack)));
        }
        if !self.stopwords.is_empty() {
            let secret = String::from_utf8_lossy(candidate.secret).to_lowercase();
            checks.push(self.stopwords.iter().any(|w| secret.contains(w.as_str())));
        }
        if checks.is_empty() {
            return false;
        }
        if self.all {
            checks.iter().all(|c| *c)
        } else {
            checks.iter().any(|c| *c)
        }
    }

    /// Whether this allow-list, by its paths alone and with nothing else to satisfy, covers `path`.
    fn allows_whole_path(&self, path: &str) -> bool {
        let only_paths = self.commits.is_empty()
            && self.regexes.is_empty()
            && self.stopwords.is_empty()
            && !self.paths.is_empty();
        let paths_suffice = !self.all || only_paths;
        !self.paths.is_empty() && paths_suffice && self.paths.iter().any(|p| p.is_match(path))
    }
}

/// One compiled secret rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub description: String,
    regex: Option<BytesRegex>,
    path: Option<Regex>,
    secret_group: Option<usize>,
    /// Capture groups that can only match fixed words (`(login|token)`): part of the name, never the secret.
    word_groups: Vec<usize>,
    entropy: Option<f64>,
    allowlists: Vec<Allowlist>,
    /// Lower-cased.
    keywords: Vec<String>,
}

/// A secret found in one text: which rule, where the secret lies (byte offsets), and its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    /// What the reader should know besides the rule, e.g. `expired 2020-09-13` for a JWT.
    pub note: Option<String>,
    /// The line holds `gitleaks:allow`: the authors marked it.
    pub marked: bool,
}

/// What the authors write on a line to tell gitleaks a match there is not a secret.
pub const INLINE_MARKER: &str = "gitleaks:allow";

/// The note of a match that is a copy in a gitleaks report the repository keeps.
pub const REPORT_COPY_NOTE: &str = "a copy in the repository's gitleaks report";

/// A compiled rule set.
#[derive(Debug)]
pub struct RuleSet {
    /// Where the rules came from.
    pub source: String,
    rules: Vec<Rule>,
    global: Vec<Allowlist>,
    keywords: AhoCorasick,
    /// Keyword pattern index → the rules it enables.
    keyword_rules: Vec<Vec<usize>>,
    /// Content rules without keywords: they always run.
    unconditional: Vec<usize>,
    /// Rules with a `path` and no `regex`: a file-name match alone is the finding.
    path_only: Vec<usize>,
    skipped: Vec<SkippedRule>,
}

impl RuleSet {
    /// gitleaks' default rules, compiled once per process.
    pub fn gitleaks() -> Result<&'static RuleSet, String> {
        GITLEAKS.as_ref().map_err(Clone::clone)
    }

    /// Parse and compile a gitleaks TOML configuration. `source_name` names it in errors and reports.
    pub fn from_toml(text: &str, source_name: &str) -> Result<RuleSet, RulesError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| RulesError::Syntax {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })?;
        let mut global = Vec::new();
        for list in raw.allowlist.into_iter().chain(raw.allowlists) {
            global.push(Allowlist::compile(list).map_err(|message| {
                RulesError::GlobalAllowlist {
                    source_name: source_name.to_owned(),
                    message,
                }
            })?);
        }
        let mut rules = Vec::new();
        let mut skipped = Vec::new();
        let mut keyword_index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut unconditional = Vec::new();
        let mut path_only = Vec::new();
        for (position, raw_rule) in raw.rules.into_iter().enumerate() {
            let id = raw_rule
                .id
                .clone()
                .unwrap_or_else(|| format!("rule-{}", position + 1));
            match compile_rule(id.clone(), raw_rule) {
                Ok((rule, keywords)) => {
                    let index = rules.len();
                    if rule.regex.is_none() {
                        path_only.push(index);
                    } else if keywords.is_empty() {
                        unconditional.push(index);
                    } else {
                        for keyword in keywords {
                            keyword_index.entry(keyword).or_default().push(index);
                        }
                    }
                    rules.push(rule);
                }
                Err(reason) => skipped.push(SkippedRule { id, reason }),
            }
        }
        let (patterns, keyword_rules): (Vec<String>, Vec<Vec<usize>>) =
            keyword_index.into_iter().unzip();
        // A DFA: the keyword search reads every byte of every blob, and a DFA is the fastest to run.
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| RulesError::Syntax {
                source_name: source_name.to_owned(),
                message: format!("keywords: {e}"),
            })?;
        Ok(RuleSet {
            source: source_name.to_owned(),
            rules,
            global,
            keywords,
            keyword_rules,
            unconditional,
            path_only,
            skipped,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Rules that could not be compiled, with the reason.
    pub fn skipped(&self) -> &[SkippedRule] {
        &self.skipped
    }

    /// Whether the global allow-list exempts `path` from secret rules whatever its content (images, lock files,
    /// vendored dependencies…).
    pub fn path_is_allowed(&self, path: &str) -> bool {
        self.global.iter().any(|list| list.allows_whole_path(path))
    }

    /// The file-name rules (a `path` and no `regex`) that `path` matches.
    pub fn path_rules(&self, path: &str) -> Vec<usize> {
        if self.path_is_allowed(path) {
            return Vec::new();
        }
        self.path_only
            .iter()
            .copied()
            .filter(|&i| {
                self.rules[i]
                    .path
                    .as_ref()
                    .is_some_and(|p| p.is_match(path))
            })
            .collect()
    }

    /// Every secret in `text`, a file at `path` first seen in `commit` (hex, may be empty), after the allow-lists.
    pub fn find(&self, path: &str, commit: &str, text: &[u8]) -> Vec<SecretMatch> {
        self.find_inner(path, commit, text, true)
    }

    /// [`Self::find`], with the rules' own allow-lists applied or not (the tests prove each allow-list by
    /// what the rule reports without it).
    pub(super) fn find_inner(
        &self,
        path: &str,
        commit: &str,
        text: &[u8],
        rule_allowlists: bool,
    ) -> Vec<SecretMatch> {
        if self.path_is_allowed(path) {
            return Vec::new();
        }
        let candidates = self.candidate_rules(text);
        let mut scan = Scan::new(path, commit, text);
        let mut out = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            if !candidates[index] {
                continue;
            }
            let Some(regex) = &rule.regex else { continue };
            if rule.path.as_ref().is_some_and(|p| !p.is_match(path)) {
                continue;
            }
            // Match after match, as `captures_iter` does, except after a private key's BEGIN line with no body
            // under it: that is no finding, and the search resumes right after the line, so a key whose own
            // BEGIN line the match swallowed is still matched (see `samples::pem_body`).
            let mut at = 0;
            while at <= text.len() {
                let Some(captures) = regex.captures_at(text, at) else {
                    break;
                };
                let whole = captures.get(0).expect("group 0 always matches");
                if let Some(header) = samples::bodiless_header(whole.as_bytes()) {
                    at = whole.start() + header;
                    continue;
                }
                at = if whole.is_empty() {
                    whole.end() + 1
                } else {
                    whole.end()
                };
                if let Some(found) = self.judge(index, &captures, &mut scan, rule_allowlists) {
                    out.push(found);
                }
            }
        }
        out
    }

    /// Which rules may match `text`: those without keywords, and those with a keyword the text holds.
    fn candidate_rules(&self, text: &[u8]) -> Vec<bool> {
        let mut candidates = vec![false; self.rules.len()];
        for &i in &self.unconditional {
            candidates[i] = true;
        }
        for found in self.keywords.find_overlapping_iter(text) {
            for &i in &self.keyword_rules[found.pattern().as_usize()] {
                candidates[i] = true;
            }
        }
        candidates
    }

    /// One regex match of rule `index`: the finding it is, or `None` when its secret is not one (too little
    /// entropy, a sample or placeholder, a local-only value, an allow-listed match).
    fn judge(
        &self,
        index: usize,
        captures: &regex::bytes::Captures<'_>,
        scan: &mut Scan<'_>,
        rule_allowlists: bool,
    ) -> Option<SecretMatch> {
        let rule = &self.rules[index];
        let whole = captures.get(0).expect("group 0 always matches");
        let secret = rule.secret_of(captures).unwrap_or(whole);
        if secret.is_empty() || !rule.clears_entropy(secret.as_bytes()) {
            return None;
        }
        if value_is_harmless(rule, scan, whole, secret) {
            return None;
        }
        let note = match jwt_judgement(rule, scan, secret) {
            JwtJudgement::NotASecret => return None,
            JwtJudgement::Report(note) => note,
        };
        let line_span = scan.lines.line_span(whole.start(), whole.end());
        let candidate = Candidate {
            path: scan.path,
            commit: scan.commit,
            secret: secret.as_bytes(),
            whole: whole.as_bytes(),
            line: &scan.text[line_span.0..line_span.1],
        };
        if (rule_allowlists && rule.allowlists.iter().any(|l| l.allows(&candidate)))
            || self.global.iter().any(|l| l.allows(&candidate))
        {
            return None;
        }
        // The authors' markers: `gitleaks:allow` on the line, or the value is a copy an entry of a gitleaks report
        // made of a finding elsewhere (see `report_copy`). Marked, never dropped.
        let copied = scan
            .report_copies()
            .is_some_and(|r| r.holds(secret.as_bytes()));
        let note = match (note, copied) {
            (note, false) => note,
            (None, true) => Some(REPORT_COPY_NOTE.to_owned()),
            (Some(note), true) => Some(format!("{note}; {REPORT_COPY_NOTE}")),
        };
        Some(SecretMatch {
            rule: index,
            start: secret.start(),
            end: secret.end(),
            line: scan.lines.line_of(secret.start()),
            note,
            marked: copied || find_bytes(candidate.line, INLINE_MARKER.as_bytes()),
        })
    }
}

/// The file being scanned, as the per-match decisions need it.
struct Scan<'a> {
    path: &'a str,
    commit: &'a str,
    text: &'a [u8],
    lines: LineIndex<'a>,
    /// Unix seconds, to tell an expired JWT.
    now: i64,
    yaml: bool,
    /// What the file copied from elsewhere, when it is a gitleaks report; read on first use.
    report_copies: Option<Option<ReportCopies>>,
}

impl<'a> Scan<'a> {
    fn new(path: &'a str, commit: &'a str, text: &'a [u8]) -> Self {
        let lower_path = path.to_ascii_lowercase();
        Scan {
            path,
            commit,
            text,
            lines: LineIndex::new(text),
            now: chrono::Utc::now().timestamp(),
            yaml: lower_path.ends_with(".yml") || lower_path.ends_with(".yaml"),
            report_copies: None,
        }
    }

    fn report_copies(&mut self) -> Option<&ReportCopies> {
        let text = self.text;
        self.report_copies
            .get_or_insert_with(|| ReportCopies::read(text))
            .as_ref()
    }
}

/// Whether what the value is, or what the file says around it, shows it is no secret: a placeholder, encoded
/// plain text, a published value, a page token served to every visitor, a generic rule's identifier or
/// non-secret name, a local-only fallback, or a non-production YAML default.
fn value_is_harmless(
    rule: &Rule,
    scan: &mut Scan<'_>,
    whole: regex::bytes::Match<'_>,
    secret: regex::bytes::Match<'_>,
) -> bool {
    let (text, bytes) = (scan.text, secret.as_bytes());
    if samples::is_placeholder(bytes)
        || samples::encodes_harmless_text(bytes)
        || samples::is_published(bytes)
        || samples::served_to_every_visitor(text, secret.start(), secret.end())
        || super::public_ids::is_public(scan.path, text, whole.start(), secret.range())
        || samples::written_for_a_reader(&rule.id, scan.path, text, whole.start(), secret.range())
    {
        return true;
    }
    let name = &text[whole.start()..secret.start().max(whole.start())];
    if rule.shape_is_free_form() && samples::is_identifier(bytes) {
        return true;
    }
    // What the value's own structure says it is, wherever it sits: an element key a component compiler wrote
    // into a render call, an expression of code, a package's pinned version (see `samples::render_keys`,
    // `samples::code`, `samples::pins`).
    if rule.shape_is_free_form()
        && (samples::is_render_key(text, secret.range())
            || samples::is_code_expression(scan.path, text, secret.range())
            || samples::is_conda_pin(text, secret.range()))
    {
        return true;
    }
    if rule.id.starts_with("generic")
        && (!samples::keyword_is_a_word(name, &rule.keywords)
            || samples::name_says_not_a_secret(name, bytes))
    {
        return true;
    }
    // What the file says of the value's use outside the tests (see `context::local_config`).
    if super::context::rule_names_no_service(&rule.id)
        && local_config::used_only_locally(scan.path, text, secret.start(), secret.end())
    {
        return true;
    }
    // What the file's own structure says: a generator's commented-out default, or a member of a block the
    // comment above it declares local (see `declared`).
    if rule.id.starts_with("generic")
        && (declared::inactive_template_default(text, secret.start())
            || declared::block_declared_local(text, secret.start()))
    {
        return true;
    }
    if scan.yaml {
        let line_start = scan.lines.line_span(secret.start(), secret.end()).0;
        return samples::non_production_default(text, line_start);
    }
    false
}

/// What the `jwt` rule's token turned out to be.
enum JwtJudgement {
    /// Unsigned, a public sample, signed by a local server for local hosts only, or a test's token signed with
    /// a key the test file holds.
    NotASecret,
    /// A finding, with a note for the reader (`expired …`) when there is one.
    Report(Option<String>),
}

/// Decode a `jwt` rule's token; other rules' secrets are reported as they are.
fn jwt_judgement(rule: &Rule, scan: &Scan<'_>, secret: regex::bytes::Match<'_>) -> JwtJudgement {
    if rule.id != "jwt" {
        return JwtJudgement::Report(None);
    }
    let bytes = secret.as_bytes();
    match samples::jwt(bytes, scan.now) {
        samples::Jwt::Unsigned | samples::Jwt::PublicSample => JwtJudgement::NotASecret,
        samples::Jwt::Signed { .. }
            if super::context::is_test_path(scan.path)
                && samples::signed_with_key_in(bytes, scan.text) =>
        {
            // A test's fixture: the code under test signs it with a key the test writes beside it.
            JwtJudgement::NotASecret
        }
        samples::Jwt::Signed { expired } => {
            // Issued by a local server and used with local hosts only (the lines around it name no other): a
            // developer's stack signed it, and nothing outside their machine accepts it.
            if super::context::local_issuer(bytes).is_some() {
                let ends = super::context::endpoints_near(scan.text, secret.start(), secret.end());
                if ends.local && !ends.remote {
                    return JwtJudgement::NotASecret;
                }
            }
            JwtJudgement::Report(expired.map(|d| format!("expired {d}")))
        }
        samples::Jwt::NotAToken => JwtJudgement::Report(None),
    }
}

impl Rule {
    /// The secret in one match: the `secretGroup` capture, else the first non-empty capture that is not a
    /// fixed word of the name (see [`word_groups`]); `None` means the whole match.
    fn secret_of<'t>(
        &self,
        captures: &regex::bytes::Captures<'t>,
    ) -> Option<regex::bytes::Match<'t>> {
        match self.secret_group {
            Some(group) if group > 0 => captures.get(group),
            _ => captures
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(i, _)| !self.word_groups.contains(i))
                .find_map(|(_, m)| m.filter(|m| !m.is_empty())),
        }
    }

    /// Whether the rule's secret has no shape of its own: any run of characters after a credential word (a
    /// `generic-*` assignment) or after a curl command's `Authorization`/`X-Api-Key` header. Such a rule can
    /// match a value of plain words, and only for such a rule is a value of words and dates taken for a name
    /// ([`samples::is_identifier`]). A vendor's format (`AKIA…`, `ghp_…`) is never softened this way. Nor is
    /// `curl-auth-user`: its secret is `user:password`, and a password of words is a real one.
    fn shape_is_free_form(&self) -> bool {
        self.id.starts_with("generic") || self.id == "curl-auth-header"
    }

    /// Whether `secret` passes the rule's entropy threshold (and, for a `generic-*` rule, holds a digit).
    fn clears_entropy(&self, secret: &[u8]) -> bool {
        let Some(threshold) = self.entropy else {
            return true;
        };
        shannon_entropy(secret) > threshold
            && (!self.id.starts_with("generic") || secret.iter().any(u8::is_ascii_digit))
    }

    /// The rule's entropy threshold, if it has one.
    pub fn entropy(&self) -> Option<f64> {
        self.entropy
    }

    /// The rule's keywords, lower case.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn compile_rule(id: String, raw: RawRule) -> Result<(Rule, Vec<String>), String> {
    let regex = match raw.regex.as_deref() {
        Some(pattern) if !pattern.is_empty() => {
            Some(compile_bytes(pattern).map_err(|e| format!("regex does not compile: {e}"))?)
        }
        _ => None,
    };
    let path = match raw.path.as_deref() {
        Some(pattern) if !pattern.is_empty() => Some(
            Regex::new(&go_to_rust(pattern))
                .map_err(|e| format!("path regex does not compile: {e}"))?,
        ),
        _ => None,
    };
    if regex.is_none() && path.is_none() {
        return Err("neither a regex nor a path".to_owned());
    }
    let allowlists = raw
        .allowlist
        .into_iter()
        .chain(raw.allowlists)
        .map(Allowlist::compile)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("allow-list: {e}"))?;
    let keywords: Vec<String> = raw
        .keywords
        .into_iter()
        .map(|k| k.to_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    Ok((
        Rule {
            description: raw.description.unwrap_or_else(|| id.clone()),
            id,
            regex,
            path,
            secret_group: raw.secret_group,
            word_groups: raw.regex.as_deref().map(word_groups).unwrap_or_default(),
            entropy: raw.entropy.filter(|e| *e > 0.0),
            allowlists,
            keywords: keywords.clone(),
        },
        keywords,
    ))
}

/// Shannon entropy in bits per character of `data` read as UTF-8 (lossily), as gitleaks computes it.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(data);
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    let mut total = 0usize;
    for c in text.chars() {
        *counts.entry(c).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}

/// Byte offsets of line starts, built on first use.
pub(crate) struct LineIndex<'a> {
    text: &'a [u8],
    starts: Option<Vec<usize>>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Self {
        LineIndex { text, starts: None }
    }

    fn starts(&mut self) -> &[usize] {
        let text = self.text;
        self.starts.get_or_insert_with(|| {
            let mut starts = vec![0];
            starts.extend(
                text.iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            starts
        })
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line_of(&mut self, offset: usize) -> usize {
        let starts = self.starts();
        match starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The byte range of the lines that `start..end` touches, without the final newline.
    fn line_span(&mut self, start: usize, end: usize) -> (usize, usize) {
        let first = self.line_of(start);
        let last = self.line_of(end.saturating_sub(1).max(start));
        let len = self.text.len();
        let starts = self.starts();
        let from = starts[first - 1];
        let to = starts.get(last).map(|s| s - 1).unwrap_or(len);
        (from, to.max(from))
    }
}

mod declared;
mod pattern;
mod report_copy;
pub use pattern::go_to_rust;
use pattern::{compile_bytes, word_groups};
use report_copy::ReportCopies;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod values_tests;
