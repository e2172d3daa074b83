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

use super::samples;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
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

/// Rewrite the one RE2 habit the `regex` crate refuses: a `{` that does not open a repetition (`{\d+}` in
/// `\$(?:\d+|{\d+})`) is a literal in Go and an error in Rust, so it is escaped (with its `}`).
pub fn go_to_rust(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut literal_closers = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                }
                i += 2;
                continue;
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class && !opens_repetition(&chars[i + 1..]) => {
                out.push_str("\\{");
                literal_closers += 1;
                i += 1;
                continue;
            }
            '}' if !in_class && literal_closers > 0 => {
                out.push_str("\\}");
                literal_closers -= 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether the text after a `{` is `n}`, `n,}` or `n,m}` (digits), as RE2 requires of a repetition.
fn opens_repetition(rest: &[char]) -> bool {
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    match rest.get(digits) {
        Some('}') => true,
        Some(',') => {
            let more = rest[digits + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            rest.get(digits + 1 + more) == Some(&'}')
        }
        _ => false,
    }
}

/// The capture groups of `pattern` (numbered as the regex crate numbers them) whose body is fixed words only:
/// letters, digits, `_`, `-` and `|` (`(login|token)` in gitleaks' `sonar-api-token`). When a rule names no
/// `secretGroup`, gitleaks takes the first non-empty capture as the secret, and for such a rule that is the word
/// `token`: the real token after it then becomes a second, different "secret" at the same place. Such a group is
/// part of the name, so the secret is the first non-empty capture among the others.
fn word_groups(pattern: &str) -> Vec<usize> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut opened: Vec<Option<(usize, usize)>> = Vec::new();
    let mut groups = Vec::new();
    let mut number = 0usize;
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => {
                let named = chars.get(i + 1) == Some(&'?')
                    && matches!(chars.get(i + 2), Some('P' | '<'))
                    && chars.get(i + 3) != Some(&'=')
                    && chars.get(i + 3) != Some(&'!');
                if chars.get(i + 1) != Some(&'?') || named {
                    number += 1;
                    let body = if named {
                        chars[i..]
                            .iter()
                            .position(|c| *c == '>')
                            .map_or(i + 1, |p| i + p + 1)
                    } else {
                        i + 1
                    };
                    opened.push(Some((number, body)));
                } else {
                    opened.push(None);
                }
            }
            ')' if !in_class => {
                if let Some(Some((n, body))) = opened.pop() {
                    let text = &chars[body..i];
                    if !text.is_empty()
                        && text
                            .iter()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '|'))
                    {
                        groups.push(n);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    groups
}

/// Compile as Go's RE2 reads a pattern: `\w`, `\d`, `\s` and `\b` are ASCII-only there, which is also what
/// keeps the compiled automata small (a Unicode `[\w.-]{0,50}` is huge). A pattern that needs Unicode (`\p{L}`)
/// is compiled with it.
fn compile_bytes(pattern: &str) -> Result<BytesRegex, String> {
    let pattern = go_to_rust(pattern);
    let build = |unicode: bool| {
        BytesRegexBuilder::new(&pattern)
            .unicode(unicode)
            .size_limit(64 * 1024 * 1024)
            .dfa_size_limit(16 * 1024 * 1024)
            .build()
    };
    build(false)
        .or_else(|_| build(true))
        .map_err(|e| e.to_string())
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
    fn find_inner(
        &self,
        path: &str,
        commit: &str,
        text: &[u8],
        rule_allowlists: bool,
    ) -> Vec<SecretMatch> {
        if self.path_is_allowed(path) {
            return Vec::new();
        }
        let mut candidates = vec![false; self.rules.len()];
        for &i in &self.unconditional {
            candidates[i] = true;
        }
        for found in self.keywords.find_overlapping_iter(text) {
            for &i in &self.keyword_rules[found.pattern().as_usize()] {
                candidates[i] = true;
            }
        }
        let mut lines = LineIndex::new(text);
        let mut out = Vec::new();
        let now = chrono::Utc::now().timestamp();
        let lower_path = path.to_ascii_lowercase();
        let yaml = lower_path.ends_with(".yml") || lower_path.ends_with(".yaml");
        for (index, rule) in self.rules.iter().enumerate() {
            if !candidates[index] {
                continue;
            }
            let Some(regex) = &rule.regex else { continue };
            if rule.path.as_ref().is_some_and(|p| !p.is_match(path)) {
                continue;
            }
            for captures in regex.captures_iter(text) {
                let whole = captures.get(0).expect("group 0 always matches");
                let secret = match rule.secret_group {
                    Some(group) if group > 0 => captures.get(group),
                    _ => captures
                        .iter()
                        .enumerate()
                        .skip(1)
                        .filter(|(i, _)| !rule.word_groups.contains(i))
                        .find_map(|(_, m)| m.filter(|m| !m.is_empty())),
                }
                .unwrap_or(whole);
                if secret.is_empty() {
                    continue;
                }
                let bytes = secret.as_bytes();
                if let Some(threshold) = rule.entropy {
                    if shannon_entropy(bytes) <= threshold {
                        continue;
                    }
                    if rule.id.starts_with("generic") && !bytes.iter().any(u8::is_ascii_digit) {
                        continue;
                    }
                }
                if samples::is_placeholder(bytes)
                    || samples::encodes_harmless_text(bytes)
                    || samples::is_published(bytes)
                    || samples::served_to_every_visitor(text, secret.start(), secret.end())
                {
                    continue;
                }
                let generic = rule.id.starts_with("generic");
                let name = &text[whole.start()..secret.start().max(whole.start())];
                if generic
                    && (samples::is_identifier(bytes)
                        || !samples::keyword_is_a_word(name, &rule.keywords)
                        || samples::name_says_not_a_secret(name, bytes))
                {
                    continue;
                }
                if yaml {
                    let line_start = lines.line_span(secret.start(), secret.end()).0;
                    if samples::non_production_default(text, line_start) {
                        continue;
                    }
                }
                let mut note = None;
                if rule.id == "jwt" {
                    match samples::jwt(bytes, now) {
                        samples::Jwt::Unsigned | samples::Jwt::PublicSample => continue,
                        samples::Jwt::Signed { expired } => {
                            note = expired.map(|d| format!("expired {d}"));
                        }
                        samples::Jwt::NotAToken => {}
                    }
                }
                let line_span = lines.line_span(whole.start(), whole.end());
                let candidate = Candidate {
                    path,
                    commit,
                    secret: bytes,
                    whole: whole.as_bytes(),
                    line: &text[line_span.0..line_span.1],
                };
                if (rule_allowlists && rule.allowlists.iter().any(|l| l.allows(&candidate)))
                    || self.global.iter().any(|l| l.allows(&candidate))
                {
                    continue;
                }
                let marked = find_bytes(candidate.line, INLINE_MARKER.as_bytes());
                out.push(SecretMatch {
                    rule: index,
                    start: secret.start(),
                    end: secret.end(),
                    line: lines.line_of(secret.start()),
                    note,
                    marked,
                });
            }
        }
        out
    }
}

impl Rule {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn set(toml: &str) -> RuleSet {
        RuleSet::from_toml(toml, "test.toml").unwrap()
    }

    #[test]
    fn the_vendored_gitleaks_rules_compile_and_skipped_ones_are_counted() {
        let rules = RuleSet::gitleaks().unwrap();
        let total = rules.rules().len() + rules.skipped().len();
        assert_eq!(
            total,
            GITLEAKS_TOML.matches("[[rules]]").count(),
            "every rule is either compiled or counted as skipped"
        );
        assert!(
            rules.rules().len() > 150,
            "most rules compile: {:?}",
            rules.skipped()
        );
        for id in [
            "aws-access-token",
            "private-key",
            "github-pat",
            "slack-bot-token",
        ] {
            assert!(
                rules.rules().iter().any(|r| r.id == id),
                "{id} is in the set"
            );
        }
    }

    #[test]
    fn gitleaks_rules_find_what_they_should_and_not_what_they_should_not() {
        let rules = RuleSet::gitleaks().unwrap();
        let ids = |path: &str, text: &str| -> Vec<String> {
            rules
                .find(path, "", text.as_bytes())
                .into_iter()
                .map(|m| rules.rules()[m.rule].id.clone())
                .collect()
        };
        let key_body =
            "MIIEowIBAAKCAQEA7bq3v9x2QkY0n5c8hTqL1ZP4e6m2aRkVnX9wJdF3sUoYtCg8bH1lKzM0pQrS";
        let cases: Vec<(&str, String, Option<&str>)> = vec![
            (
                "settings.py",
                concat!("AWS_ACCESS_KEY_ID = 'AK", "IA2E3MXQ7HZLR4VNPW'\n").into(),
                Some("aws-access-token"),
            ),
            // AWS' documented example key is allow-listed by gitleaks itself.
            ("docs.md", "key: AKIAIOSFODNN7EXAMPLE\n".into(), None),
            (
                "deploy/key",
                format!(
                    "-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n{key_body}\n-----END RSA PRIVATE KEY-----\n"
                ),
                Some("private-key"),
            ),
            (
                "ci.sh",
                concat!("export GH=gh", "p_R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT\n").into(),
                Some("github-pat"),
            ),
            (
                "README.md",
                "Set your API key in the settings page.\n".into(),
                None,
            ),
            // Images are allow-listed by path.
            (
                "logo.png",
                concat!("AWS_ACCESS_KEY_ID = 'AK", "IA2E3MXQ7HZLR4VNPW'\n").into(),
                None,
            ),
        ];
        for (path, text, expected) in cases {
            let found = ids(path, &text);
            match expected {
                Some(id) => assert!(
                    found.iter().any(|f| f == id),
                    "{path}: expected {id}, got {found:?}"
                ),
                None => assert!(found.is_empty(), "{path}: expected nothing, got {found:?}"),
            }
        }
    }

    #[test]
    fn keywords_gate_a_rule_and_match_case_insensitively() {
        let rules = set(
            "[[rules]]\nid = \"x\"\nregex = '''tok_[0-9]{4}'''\nkeywords = [\"tok_\"]\n\
             [[rules]]\nid = \"y\"\nregex = '''[0-9]{4}zz'''\nkeywords = [\"never-present\"]\n",
        );
        let found = rules.find("a.txt", "", b"TOK_1928zz tok_5371");
        let ids: Vec<_> = found
            .iter()
            .map(|m| rules.rules()[m.rule].id.as_str())
            .collect();
        assert_eq!(ids, ["x"], "rule y's keyword is absent, so it never runs");
    }

    #[test]
    fn secret_group_entropy_stopwords_and_allowlist_targets_apply() {
        let rules = set(r#"
[[rules]]
id = "grouped"
regex = '''pw=([a-z0-9]+);'''
secretGroup = 1
entropy = 2.0
[[rules.allowlists]]
stopwords = ["changeme"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\s*nosecret''']
"#);
        let cases: &[(&str, &[&str])] = &[
            ("pw=k3j5h7g9a1;", &["k3j5h7g9a1"]),
            ("pw=aaaaaaaa;", &[]),              // entropy too low
            ("pw=x9changeme7q;", &[]),          // stopword
            ("pw=k3j5h7g9a1; # nosecret", &[]), // line allow-list
            ("first\npw=q1w2e3r4t5;\nlast", &["q1w2e3r4t5"]),
        ];
        for (text, expected) in cases {
            let found: Vec<String> = rules
                .find("f", "", text.as_bytes())
                .iter()
                .map(|m| text[m.start..m.end].to_owned())
                .collect();
            assert_eq!(&found, expected, "{text:?}");
        }
        let found = rules.find("f", "", b"first\npw=q1w2e3r4t5;\n");
        assert_eq!(found[0].line, 2);
    }

    #[test]
    fn and_condition_needs_every_criterion() {
        let rules = set(r#"
[[rules]]
id = "r"
regex = '''secret-[0-9]+'''
[[rules.allowlists]]
condition = "AND"
paths = ['''^fixtures/''']
regexes = ['''^secret-1''']
"#);
        let n = |path: &str, text: &str| rules.find(path, "", text.as_bytes()).len();
        assert_eq!(n("fixtures/a", "secret-123"), 0, "both hold");
        assert_eq!(n("fixtures/a", "secret-923"), 1, "regex fails");
        assert_eq!(n("src/a", "secret-123"), 1, "path fails");
    }

    #[test]
    fn a_rule_rust_cannot_compile_is_skipped_and_named() {
        let rules = set("[[rules]]\nid = \"lookahead\"\nregex = '''a(?=b)'''\n\
             [[rules]]\nid = \"fine\"\nregex = '''ab'''\n");
        assert_eq!(rules.rules().len(), 1);
        assert_eq!(rules.skipped()[0].id, "lookahead");
        assert!(rules.skipped()[0].reason.contains("regex does not compile"));
    }

    #[test]
    fn path_only_rules_match_file_names() {
        let rules = RuleSet::gitleaks().unwrap();
        let ids = |p: &str| -> Vec<String> {
            rules
                .path_rules(p)
                .into_iter()
                .map(|i| rules.rules()[i].id.clone())
                .collect()
        };
        assert_eq!(ids("certs/client.p12"), ["pkcs12-file"]);
        assert!(ids("src/main.rs").is_empty());
    }

    #[test]
    fn go_literal_braces_are_escaped_and_repetitions_kept() {
        let cases = [
            (r"^\$(?:\d+|{\d+})$", r"^\$(?:\d+|\{\d+\})$"),
            (r"a{2}", r"a{2}"),
            (r"a{2,}", r"a{2,}"),
            (r"a{2,5}b", r"a{2,5}b"),
            (r"x{,3}", r"x\{,3\}"),
            (r"[{}]", r"[{}]"),
            (r"\{a\}", r"\{a\}"),
            (r"\${[A-Z_]+}", r"\$\{[A-Z_]+\}"),
        ];
        for (go, rust) in cases {
            assert_eq!(go_to_rust(go), rust, "{go}");
            assert!(Regex::new(rust).is_ok(), "{rust} compiles");
        }
    }

    /// The false-alarm classes of the real-repository acceptance set, each as the text it was seen in, through
    /// the whole rule set; and beside them values of the same shapes that are credentials, which must stay.
    #[test]
    fn what_a_value_is_decides_not_its_shape_alone() {
        let rules = RuleSet::gitleaks().unwrap();
        let ids = |path: &str, text: &str| -> Vec<String> {
            rules
                .find(path, "", text.as_bytes())
                .into_iter()
                .map(|m| rules.rules()[m.rule].id.clone())
                .collect()
        };
        let quiet: &[(&str, &str)] = &[
            (
                ".secrets.baseline",
                "  \"hashed_secret\": \"1af17e73721dbe0c40011b82ed4bb1a7dbe3ce29\",\n",
            ),
            (
                "src/test/resources/pacts/payment.json",
                "  \"chargeTokenId\": \"ae749781-6562-4e0e-8f56-32d9639079dc\"\n",
            ),
            (
                "Dockerfile",
                "ENV EPB_AUTH_CLIENT_ID=6f61579e-e829-47d7-aef5-7d36ad068bee\n",
            ),
            (
                "src/app/app.test.js",
                "  notifyAPIKey: 'test-123456-qwerty',\n",
            ),
            (
                "src/test/resources/application.conf",
                "  api_key = \"c29tZV9hcGlfc2VjcmV0X2tleV9mb3JfZW52aXJvbm1lbnQ=\"\n",
            ),
            (
                "test/config/application.yaml",
                "  apiKey: U2FsdGVkX1+4PfQWxvxWovXkwGkw8zDfVCsUpP1J0gmegC+bIGKV7SjHygSmYupm\n",
            ),
            (
                "config/secrets.yml",
                "development:\n  secret_key_base: 2b7f3e9a1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f\n\nproduction:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n",
            ),
            (
                "it/helpers/SessionCookieHelper.scala",
                "  val cookieKey = \"gvBoGdgzqG1AarzF1LY0zQ==\"\n",
            ),
        ];
        for (path, text) in quiet {
            assert_eq!(ids(path, text), Vec::<String>::new(), "{path}: {text}");
        }
        let loud: &[(&str, &str)] = &[
            (
                "src/Program.cs",
                "  client.DefaultRequestHeaders.Add(\"X-API-Key\", \"07449f3a-5c1e-4b7d-9a2f-6e8d0c1b3a57\");\n",
            ),
            (
                "github.properties",
                "client.secret=2d8f1c7a9b3e5d4f6a0b8c2e1d7f9a3b5c4e6d80\n",
            ),
            (
                "config/secrets.yml",
                "development:\n  secret_key_base: 2b7f3e9a1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f\n\nproduction:\n  secret_key_base: 9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b\n",
            ),
        ];
        for (path, text) in loud {
            assert!(!ids(path, text).is_empty(), "{path}: {text}");
        }
    }

    #[test]
    fn a_group_of_fixed_words_is_part_of_the_name_not_the_secret() {
        assert_eq!(
            word_groups(r"(?i)(?:sonar[_.-]?(login|token))\s*=\s*([a-z0-9]{40})"),
            vec![1]
        );
        assert_eq!(word_groups(r"(?P<k>key|pass)=([a-z]{9})[(]x|y[)]"), vec![1]);
        assert!(word_groups(r"(?:api)_([a-z0-9]{20})").is_empty());
        // The sonar rule as gitleaks ships it: the secret is the 40-character token, not the word `token`, so
        // the generic rule and this one report the same value (one finding), as they do on a real repository.
        let rules = RuleSet::gitleaks().unwrap();
        let token = "4f55e0c3a1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6";
        let text = format!("SONAR_TOKEN = \"{token}\"\n");
        let sonar = rules
            .rules()
            .iter()
            .position(|r| r.id == "sonar-api-token")
            .unwrap();
        let found: Vec<&str> = rules
            .find("lambda.tf", "", text.as_bytes())
            .into_iter()
            .filter(|m| m.rule == sonar)
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(found, vec![token]);
    }

    #[test]
    fn entropy_of_known_strings() {
        let cases = [("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0)];
        for (text, expected) in cases {
            assert!(
                (shannon_entropy(text.as_bytes()) - expected).abs() < 1e-9,
                "{text}"
            );
        }
    }

    #[test]
    fn line_index_finds_lines_and_spans() {
        let text = b"one\ntwo\nthree";
        let mut index = LineIndex::new(text);
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(3), 1);
        assert_eq!(index.line_of(4), 2);
        assert_eq!(index.line_of(12), 3);
        assert_eq!(index.line_span(5, 6), (4, 7));
        assert_eq!(index.line_span(2, 10), (0, 13));
    }

    /// A pattern without the assertions a generator cannot produce (`^`, `$`, `\b`, `\A`, `\z`): strings made
    /// from it are then checked against the real pattern.
    fn strip_looks(pattern: &str) -> String {
        let chars: Vec<char> = pattern.chars().collect();
        let mut out = String::new();
        let mut in_class = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                let next = chars.get(i + 1).copied().unwrap_or('\\');
                if in_class || !matches!(next, 'b' | 'B' | 'A' | 'z') {
                    out.push(c);
                    out.push(next);
                }
                i += 2;
                continue;
            }
            match c {
                '[' if !in_class => {
                    in_class = true;
                    out.push(c);
                    // A `]` or `^]` right after the opening bracket is a literal.
                    if chars.get(i + 1) == Some(&'^') {
                        out.push('^');
                        i += 1;
                    }
                    if chars.get(i + 1) == Some(&']') {
                        out.push(']');
                        i += 1;
                    }
                }
                ']' if in_class => {
                    in_class = false;
                    out.push(c);
                }
                '^' | '$' if !in_class => {}
                _ => out.push(c),
            }
            i += 1;
        }
        out
    }

    /// Up to `n` ASCII strings generated from `pattern` (deterministically), or none when it cannot be.
    fn samples(pattern: &str, n: usize) -> Vec<String> {
        use proptest::strategy::{Strategy, ValueTree};
        let stripped = strip_looks(pattern);
        // ASCII classes first (as the rules are compiled); a pattern that needs Unicode is generated with it.
        let strategy = match proptest::string::string_regex(&format!("(?-u){stripped}")) {
            Ok(s) => s,
            Err(_) => match proptest::string::string_regex(&stripped) {
                Ok(s) => s,
                Err(_) => return Vec::new(),
            },
        };
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        (0..n * 4)
            .filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current()))
            .filter(|s| s.is_ascii() && !s.contains('\n'))
            .take(n)
            .collect()
    }

    /// A way to change a base text (given the secret's span and a path) into one an allow-list criterion
    /// should drop: the path and the text to scan.
    type Variant = Box<dyn Fn(&str, (usize, usize), &str) -> (String, String)>;

    /// Every rule allow-list of the vendored rules, criterion by criterion (paths, each regex with its target,
    /// stopwords), is shown to drop a match that the same rule reports without its allow-lists. The texts are
    /// generated from the TOML's own patterns: a match of the rule's regex, then the allow-list's pattern put
    /// where its target says (the secret, the match, the line) or the stopword into the secret, or the file at
    /// a path generated from its path pattern.
    #[test]
    fn every_rule_allow_list_drops_what_its_rule_alone_reports() {
        let rules = RuleSet::gitleaks().unwrap();
        let mut proven: Vec<String> = Vec::new();
        let mut unproven: Vec<String> = Vec::new();
        let mut rules_with_lists = 0;
        for (index, rule) in rules.rules().iter().enumerate() {
            let Some(regex) = &rule.regex else { continue };
            if rule.allowlists.is_empty() {
                continue;
            }
            rules_with_lists += 1;
            let reports = |path: &str, text: &str, lists: bool| -> Vec<(usize, usize)> {
                rules
                    .find_inner(path, "", text.as_bytes(), lists)
                    .into_iter()
                    .filter(|m| m.rule == index)
                    .map(|m| (m.start, m.end))
                    .collect()
            };
            // Base texts: matches the rule reports with and without its allow-lists.
            let bases: Vec<(String, (usize, usize))> = samples(regex.as_str(), 300)
                .into_iter()
                .map(|s| format!("x {s}\n"))
                .filter_map(|t| {
                    let found = reports("src/app.txt", &t, true);
                    found.first().copied().map(|span| (t, span))
                })
                .take(12)
                .collect();
            if bases.is_empty() {
                let made = samples(regex.as_str(), 5);
                unproven.push(format!("{}: no base text generated from {made:?}", rule.id));
                continue;
            }
            for (n, list) in rule.allowlists.iter().enumerate() {
                let mut criteria: Vec<(String, Variant)> = Vec::new();
                for p in &list.paths {
                    for sample in samples(p.as_str(), 5) {
                        criteria.push((
                            format!("path {}", p.as_str()),
                            Box::new(move |t: &str, _, _| (sample.clone(), t.to_owned())),
                        ));
                    }
                }
                for r in &list.regexes {
                    let target = list.target;
                    for sample in samples(r.as_str(), 8) {
                        criteria.push((
                            format!("{target:?} regex {}", r.as_str()),
                            Box::new(move |t: &str, (a, b): (usize, usize), path: &str| {
                                let text = match target {
                                    // The sample written over the end of the secret, keeping its length when it
                                    // can (a rule's regex often fixes it).
                                    Target::Secret | Target::Match => {
                                        let keep = (b - a).saturating_sub(sample.len());
                                        format!("{}{sample}{}", &t[..a + keep], &t[b..])
                                    }
                                    Target::Line => {
                                        let end = t[b..].find('\n').map_or(t.len(), |e| b + e);
                                        format!("{} {sample}{}", &t[..end], &t[end..])
                                    }
                                };
                                (path.to_owned(), text)
                            }),
                        ));
                    }
                }
                for w in list
                    .stopwords
                    .iter()
                    .step_by((list.stopwords.len() / 25).max(1))
                {
                    let w = w.clone();
                    criteria.push((
                        "stopwords".to_owned(),
                        Box::new(move |t: &str, (a, b): (usize, usize), path: &str| {
                            let mid = a + (b - a) / 2;
                            (path.to_owned(), format!("{}{w}{}", &t[..mid], &t[mid..]))
                        }),
                    ));
                }
                if list.all {
                    // AND: every criterion at once — a path from the list's paths, and each regex applied.
                    let parts = std::mem::take(&mut criteria);
                    let (paths, others): (Vec<_>, Vec<_>) =
                        parts.into_iter().partition(|(n, _)| n.starts_with("path "));
                    let paths = std::rc::Rc::new(paths);
                    for (name, apply) in others {
                        let paths = paths.clone();
                        criteria.push((
                            format!("AND of paths and {name}"),
                            Box::new(move |t: &str, span: (usize, usize), _: &str| {
                                // The first path sample that the list's paths accept.
                                let path = paths
                                    .first()
                                    .map(|(_, p)| p(t, span, "").0)
                                    .unwrap_or_default();
                                apply(t, span, &path)
                            }),
                        ));
                    }
                }
                let mut names: Vec<String> = criteria.iter().map(|(n, _)| n.clone()).collect();
                names.dedup();
                for name in names {
                    let works = criteria
                        .iter()
                        .filter(|(c, _)| *c == name)
                        .any(|(_, make)| {
                            bases.iter().any(|(t, span)| {
                                let (path, text) = make(t, *span, "src/app.txt");
                                let without = reports(&path, &text, false);
                                // The rule alone reports it (so the change kept it a match) and the list drops it.
                                !without.is_empty()
                                    && reports(&path, &text, true).len() < without.len()
                            })
                        });
                    let entry = format!("{} allow-list {n}: {name}", rule.id);
                    if works {
                        proven.push(entry);
                    } else {
                        unproven.push(entry);
                    }
                }
            }
        }
        println!("proven ({}):\n  {}", proven.len(), proven.join("\n  "));
        println!(
            "not generated ({}):\n  {}",
            unproven.len(),
            unproven.join("\n  ")
        );
        assert!(rules_with_lists >= 9, "{rules_with_lists}");
        // What cannot be shown this way, and why; any other criterion that stops working fails the test.
        let unproven_names: Vec<&str> = unproven
            .iter()
            .map(|u| u.split(" from ").next().unwrap_or(u))
            .collect();
        assert_eq!(
            unproven_names,
            [
                // `.+EXAMPLE`: the generator's `.+` makes strings no 20-character key can end with.
                "aws-access-token allow-list 0: Secret regex .+EXAMPLE$",
                // A sample key of sequential letters: the placeholder check drops it before any allow-list.
                "gcp-api-key allow-list 0: Secret regex AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
                // Letters only: a generic rule's secret must hold a digit, checked before the allow-lists.
                "generic-api-key allow-list 0: Secret regex ^[a-zA-Z_.-]+$",
                // Their regexes span YAML documents or XML elements: the generator makes no text they match.
                "kubernetes-secret-yaml: no base text generated",
                "nuget-config-password: no base text generated",
            ]
        );
        assert!(proven.len() >= 20, "{}", proven.len());
        assert!(
            rules.global.iter().all(|g| !g.paths.is_empty()),
            "the global allow-list has paths"
        );
    }
}
