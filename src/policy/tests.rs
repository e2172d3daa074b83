//! Validation end to end through `Policy::from_str`: each diagnostic code with its line and column, several
//! problems in one run, hostile input, defaults, and clarification matching.

use std::time::{Duration, Instant};

use super::*;

const HASH: &str = "3b4c2f5ad1f0a8e9c7b6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
const OTHER_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000001";

fn errors(text: &str) -> PolicyError {
    match Policy::from_str(text, "policy.yaml") {
        Ok(policy) => panic!("expected problems, got {policy:#?}\n--- text ---\n{text}"),
        Err(error) => error,
    }
}

/// (code, line, column) of every diagnostic.
fn found(text: &str) -> Vec<(Code, usize, usize)> {
    errors(text)
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let location = diagnostic
                .location
                .unwrap_or(Location { line: 0, column: 0 });
            (diagnostic.code, location.line, location.column)
        })
        .collect()
}

/// The one diagnostic for `text`.
fn only(text: &str) -> Diagnostic {
    let error = errors(text);
    assert_eq!(error.diagnostics.len(), 1, "{error}");
    error.diagnostics.into_iter().next().unwrap()
}

/// One clarification; the lines are: 3 repo, 4 expression, 5 files, 6 path, 7 sha256, 8 reason.
fn clarification(repo: &str, expression: &str, path: &str, sha256: &str, reason: &str) -> String {
    format!(
        "version: 1\n\
         clarifications:\n  \
           - repo: {repo}\n    \
             expression: {expression}\n    \
             files:\n      \
               - path: {path}\n        \
                 sha256: \"{sha256}\"\n    \
             reason: {reason}\n"
    )
}

fn good_clarification() -> String {
    clarification(
        "nhsx/example",
        "MIT AND OGL-UK-3.0",
        "LICENCE.md",
        HASH,
        "\"confirmed by the maintainers\"",
    )
}

#[test]
fn the_clarification_fixture_is_valid_so_each_test_below_breaks_one_thing() {
    let policy = Policy::from_str(&good_clarification(), "policy.yaml").unwrap();
    assert_eq!(policy.clarifications.len(), 1);
    assert_eq!(policy.clarifications[0].licenses, ["MIT", "OGL-UK-3.0"]);
}

#[test]
fn each_diagnostic_code_points_at_the_offending_node() {
    let table: Vec<(&str, String, (Code, usize, usize))> = vec![
        ("syntax", "version: 1\nlicenses: [\n".into(), (Code::Syntax, 3, 1)),
        ("duplicate key", "version: 1\nversion: 1\n".into(), (Code::DuplicateKey, 2, 1)),
        ("unknown top-level key", "version: 1\nlicences:\n  unknown: review\n".into(), (Code::UnknownKey, 2, 1)),
        (
            "unknown nested key",
            "version: 1\nlicenses:\n  min-confidance: 0.9\n".into(),
            (Code::UnknownKey, 3, 3),
        ),
        (
            "unknown key in a pinned file",
            good_clarification().replace("        sha256", "        sha265"),
            (Code::UnknownKey, 7, 9),
        ),
        (
            "bad type",
            "version: 1\nlicenses:\n  min-confidence: high\n".into(),
            (Code::BadType, 3, 19),
        ),
        ("version as a string", "version: \"1\"\n".into(), (Code::BadType, 1, 10)),
        ("no version", "licenses:\n  unknown: review\n".into(), (Code::MissingKey, 1, 1)),
        ("unsupported version", "version: 2\n".into(), (Code::UnsupportedVersion, 1, 10)),
        (
            "confidence above 1",
            "version: 1\nlicenses:\n  min-confidence: 1.5\n".into(),
            (Code::BadConfidence, 3, 19),
        ),
        (
            "confidence of 0",
            "version: 1\nlicenses:\n  min-confidence: 0\n".into(),
            (Code::BadConfidence, 3, 19),
        ),
        (
            "unknown action",
            "version: 1\nlicenses:\n  classes:\n    permissive: alow\n".into(),
            (Code::UnknownAction, 4, 17),
        ),
        (
            "unknown class as a key",
            "version: 1\nlicenses:\n  classes:\n    permisive: allow\n".into(),
            (Code::UnknownClass, 4, 5),
        ),
        (
            "unknown class as an override",
            "version: 1\nlicenses:\n  overrides:\n    MIT: permisive\n".into(),
            (Code::UnknownClass, 4, 10),
        ),
        (
            "unknown licence in overrides",
            "version: 1\nlicenses:\n  overrides:\n    MTI: permissive\n".into(),
            (Code::UnknownLicense, 4, 5),
        ),
        (
            "unknown licence inside an expression",
            clarification("nhsx/example", "MIT AND OGL-UK-30", "LICENCE.md", HASH, "ok"),
            (Code::UnknownLicense, 4, 25),
        ),
        (
            "unknown licence inside a quoted expression",
            clarification("nhsx/example", "'MIT OR MTI'", "LICENCE.md", HASH, "ok"),
            (Code::UnknownLicense, 4, 25),
        ),
        (
            "unknown licence with Windows line endings",
            "version: 1\r\nlicenses:\r\n  overrides:\r\n    MTI: permissive\r\n".into(),
            (Code::UnknownLicense, 4, 5),
        ),
        (
            "deprecated licence inside an expression",
            clarification("nhsx/example", "\"MIT AND GPL-3.0\"", "LICENCE.md", HASH, "ok"),
            (Code::DeprecatedLicense, 4, 26),
        ),
        (
            "deprecated licence",
            "version: 1\nlicenses:\n  overrides:\n    GPL-3.0: copyleft\n".into(),
            (Code::DeprecatedLicense, 4, 5),
        ),
        (
            "bad expression",
            clarification("nhsx/example", "MIT AND (OGL-UK-3.0", "LICENCE.md", HASH, "ok"),
            (Code::BadExpression, 4, 25),
        ),
        (
            "bad shared api-url",
            "version: 1\ngithub:\n  timeout: 10s\n  api-url: ftp://ghe.example.org\n".into(),
            (Code::BadUrl, 4, 12),
        ),
        (
            "bad api-url in a flow mapping",
            "version: 1\ntarget: {forge: github, api-url: 'https://token@ghe.example.org/api/v3'}\n".into(),
            (Code::BadUrl, 2, 34),
        ),
        (
            "api-url that is not a string",
            "version: 1\napproval:\n  api-url: [https://api.github.com]\n".into(),
            (Code::BadType, 3, 12),
        ),
        (
            "bad repo",
            clarification("nhsx", "MIT", "LICENCE.md", HASH, "ok"),
            (Code::BadRepo, 3, 11),
        ),
        (
            "bad path",
            clarification("nhsx/example", "MIT", "../LICENCE.md", HASH, "ok"),
            (Code::BadPath, 6, 15),
        ),
        (
            "bad sha256",
            clarification("nhsx/example", "MIT", "LICENCE.md", "abc123", "ok"),
            (Code::BadSha256, 7, 17),
        ),
        (
            "empty reason",
            clarification("nhsx/example", "MIT", "LICENCE.md", HASH, "\"  \""),
            (Code::MissingReason, 8, 13),
        ),
        (
            "no reason",
            "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    files:\n      - path: LICENCE\n        sha256: \"HASH\"\n"
                .replace("HASH", HASH),
            (Code::MissingReason, 3, 5),
        ),
        (
            "no files",
            "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    reason: ok\n".into(),
            (Code::MissingFiles, 3, 5),
        ),
        (
            "empty files",
            "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    files: []\n    reason: ok\n"
                .into(),
            (Code::MissingFiles, 5, 12),
        ),
        (
            "no expression",
            "version: 1\nclarifications:\n  - repo: nhsx/example\n    files:\n      - path: LICENCE\n        sha256: \"HASH\"\n    reason: ok\n"
                .replace("HASH", HASH),
            (Code::MissingKey, 3, 5),
        ),
        (
            "pinned file without a hash",
            "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    files:\n      - path: LICENCE\n    reason: ok\n"
                .into(),
            (Code::MissingKey, 6, 9),
        ),
        (
            "clarifications not a list",
            "version: 1\nclarifications:\n  repo: nhsx/example\n".into(),
            (Code::BadType, 3, 3),
        ),
        ("a policy that is not a mapping", "- version: 1\n".into(), (Code::BadType, 1, 1)),
        ("a numeric key", "version: 1\n7: seven\n".into(), (Code::BadType, 2, 1)),
    ];
    for (name, text, expected) in table {
        let error = errors(&text);
        let got: Vec<_> = found(&text);
        assert_eq!(
            got,
            vec![expected],
            "{name}:\n{error}\n--- text ---\n{text}"
        );
    }
}

#[test]
fn duplicates_point_at_the_second_and_name_the_first() {
    let entry = |repo: &str, line_path: &str| {
        format!(
            "  - repo: {repo}\n    expression: MIT\n    files:\n      - path: {line_path}\n        sha256: \"{HASH}\"\n      - path: {line_path}\n        sha256: \"{HASH}\"\n    reason: ok\n"
        )
    };
    let text = format!(
        "version: 1\nclarifications:\n{}{}",
        entry("nhsx/example", "LICENCE"),
        entry("NHSX/Example", "COPYING")
    );
    let error = errors(&text);
    assert_eq!(
        found(&text),
        vec![
            (Code::DuplicateFile, 8, 15),
            (Code::DuplicateClarification, 11, 11),
            (Code::DuplicateFile, 16, 15),
        ],
        "{error}"
    );
    let duplicate = &error.diagnostics[1];
    assert_eq!(
        duplicate.message,
        "a second clarification for 'NHSX/Example'"
    );
    assert_eq!(
        duplicate.help.as_deref(),
        Some("the first clarification for it is at line 3; merge the two")
    );
}

#[test]
fn unknown_licence_renders_with_a_suggestion() {
    let text = "version: 1\nlicenses:\n  min-confidence: 0.9\n  unknown: review\n  overrides:\n    LicenseRef-x: forbidden\n    MTI: permissive\n";
    assert_eq!(
        errors(text).to_string(),
        "error[unknown-license]: unknown SPDX licence id 'MTI'\n  --> policy.yaml:7:5\n  help: did you mean 'MIT'?"
    );
}

#[test]
fn suggestions_for_misspelt_keys_and_values() {
    let table = [
        ("version: 1\nlicences: {}\n", "did you mean 'licenses'?"),
        (
            "version: 1\nlicenses:\n  classes:\n    permissive: alow\n",
            "did you mean 'allow'?",
        ),
        (
            "version: 1\nlicenses:\n  classes:\n    weak_copyleft: allow\n",
            "did you mean 'weak-copyleft'?",
        ),
        (
            "version: 1\nlicenses:\n  overrides:\n    GPL-3.0: copyleft\n",
            "use 'GPL-3.0-only' or 'GPL-3.0-or-later'",
        ),
        (
            "version: 1\nwhatever: 1\n",
            "expected one of: version, licenses, clarifications, sources",
        ),
    ];
    for (text, help) in table {
        let diagnostic = only(text);
        let got = diagnostic.help.unwrap_or_default();
        assert!(got.contains(help), "{text}: {got}");
    }
}

#[test]
fn every_problem_is_collected_in_one_run_and_sorted_by_line() {
    let text = format!(
        "version: 3\n\
         licences: {{}}\n\
         licenses:\n  \
           min-confidence: 2\n  \
           unknown: maybe\n  \
           overrides:\n    \
             MTI: permissive\n\
         clarifications:\n  \
           - repo: nhsx/example\n    \
             expression: MIT AND\n    \
             files:\n      \
               - path: /LICENCE\n        \
                 sha256: \"xyz\"\n  \
           - repo: nhsx/other\n    \
             expression: MIT\n    \
             files:\n      \
               - path: LICENCE\n        \
                 sha256: \"{HASH}\"\n    \
             reasons: typo\n"
    );
    assert_eq!(
        found(&text),
        vec![
            (Code::UnsupportedVersion, 1, 10),
            (Code::UnknownKey, 2, 1),
            (Code::BadConfidence, 4, 19),
            (Code::UnknownAction, 5, 12),
            (Code::UnknownLicense, 7, 5),
            (Code::MissingReason, 9, 5),
            // The expression ends where a licence should follow.
            (Code::BadExpression, 10, 24),
            (Code::BadPath, 12, 15),
            (Code::BadSha256, 13, 17),
            // `reasons` is taken for a misspelt `reason`: reported once, not again as a missing reason.
            (Code::UnknownKey, 19, 5),
        ],
        "{}",
        errors(&text)
    );
}

#[test]
fn a_badly_typed_value_is_not_also_reported_missing() {
    let text = clarification("nhsx/example", "MIT", "LICENCE.md", HASH, "[not, text]");
    assert_eq!(found(&text), vec![(Code::BadType, 8, 13)]);
    // An all-digit hash reads as a number, not a string: say so, and say how to fix it.
    let text = clarification("nhsx/example", "MIT", "LICENCE.md", HASH, "ok")
        .replace(&format!("\"{HASH}\""), "1234");
    let diagnostic = only(&text);
    assert_eq!(
        (diagnostic.code, diagnostic.location.unwrap().line),
        (Code::BadType, 7)
    );
    assert!(diagnostic.help.unwrap().contains("quotes"));
}

#[test]
fn problems_beyond_the_cap_are_counted_not_listed() {
    let mut text = String::from("version: 1\n");
    for n in 0..MAX_DIAGNOSTICS + 10 {
        text.push_str(&format!("unknown-{n}: 1\n"));
    }
    let error = errors(&text);
    assert_eq!(error.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    let last = error.diagnostics.last().unwrap();
    assert_eq!(last.code, Code::TooManyProblems);
    assert_eq!(last.message, "10 more problems not shown");
}

#[test]
fn minimal_policy_takes_every_default() {
    let policy = Policy::from_str("version: 1\n", "policy.yaml").unwrap();
    assert_eq!(policy, Policy::default());
    let policy =
        Policy::from_str("version: 1\nlicenses:\nclarifications:\n", "policy.yaml").unwrap();
    assert_eq!(policy, Policy::default());
}

#[test]
fn keys_given_override_defaults_and_the_rest_stay() {
    let text = "version: 1\nlicenses:\n  min-confidence: 0.95\n  classes:\n    copyleft: review\n  unknown: forbid\n  overrides:\n    LicenseRef-x: forbidden\n    MIT: copyleft\n";
    let policy = Policy::from_str(text, "policy.yaml").unwrap();
    assert_eq!(policy.licenses.min_confidence, 0.95);
    assert_eq!(policy.action_for(Class::Copyleft), Action::Review);
    assert_eq!(policy.action_for(Class::Permissive), Action::Allow);
    assert_eq!(policy.action_for(Class::Forbidden), Action::Forbid);
    assert_eq!(policy.licenses.unknown, Action::Forbid);
    assert_eq!(policy.class_of("MIT"), Some(Class::Copyleft));
    assert_eq!(policy.class_of("LicenseRef-x"), Some(Class::Forbidden));
    assert_eq!(policy.class_of("Apache-2.0"), Some(Class::Permissive));
    assert_eq!(policy.class_of("LicenseRef-y"), None);
}

#[test]
fn keys_written_without_a_value_count_as_absent() {
    let policy = Policy::from_str(
        "version: 1\nsources:\nlicenses:\n  overrides:\n",
        "policy.yaml",
    )
    .unwrap();
    assert_eq!(policy, Policy::default());
    let text = "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    files:\n    reason:\n";
    assert_eq!(
        found(text),
        vec![(Code::MissingFiles, 3, 5), (Code::MissingReason, 3, 5)]
    );
}

#[test]
fn reserved_sections_are_kept_as_written() {
    let text = "version: 1\nsources:\n  orgs: [nhsx, nhsuk]\nsafety:\n  dry-run: true\n";
    let policy = Policy::from_str(text, "policy.yaml").unwrap();
    assert_eq!(
        policy.sections.keys().collect::<Vec<_>>(),
        ["safety", "sources"]
    );
    assert_eq!(
        policy.sections["sources"]["orgs"][1],
        serde_yaml::Value::from("nhsuk")
    );
}

#[test]
fn the_repository_policy_file_has_the_default_licence_rules_plus_its_override() {
    let policy = Policy::from_str(include_str!("../../policy.yaml"), "policy.yaml").unwrap();
    let mut expected = Policy::default();
    expected.licenses.overrides.insert(
        "LicenseRef-Warwick-noncommercial".into(),
        Class::NonCommercial,
    );
    assert_eq!(policy.licenses, expected.licenses);
    assert_eq!(policy.clarifications, expected.clarifications);
}

#[test]
fn hostile_inputs_fail_fast_with_a_diagnostic() {
    let laughs = {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names: Vec<char> = ('b'..='j').collect();
        let mut previous = 'a';
        for name in names {
            let refs = vec![format!("*{previous}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        text
    };
    let deep_flow = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_block: String = (0..300)
        .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
        .collect();
    let huge = "#".repeat(MAX_POLICY_BYTES + 1);
    let table: Vec<(&str, String, Code, &str)> = vec![
        (
            "billion laughs",
            laughs,
            Code::Syntax,
            "repetition limit exceeded",
        ),
        (
            "deep flow nesting",
            deep_flow,
            Code::Syntax,
            "brackets nested deeper than 64",
        ),
        (
            "deep block nesting",
            deep_block,
            Code::Syntax,
            "recursion limit exceeded",
        ),
        (
            "over the size cap",
            huge,
            Code::TooLarge,
            "more than the 1048576 bytes",
        ),
        ("empty", String::new(), Code::Empty, "no YAML document"),
        (
            "comments only",
            "# nothing\n".into(),
            Code::Empty,
            "no YAML document",
        ),
        (
            "two documents",
            "version: 1\n---\nversion: 1\n".into(),
            Code::Syntax,
            "more than one document",
        ),
        (
            "control character",
            "version: 1\u{1}\n".into(),
            Code::Syntax,
            "control characters",
        ),
        (
            "unknown anchor",
            "version: *nowhere\n".into(),
            Code::Syntax,
            "unknown anchor",
        ),
    ];
    for (name, text, code, words) in table {
        let started = Instant::now();
        let diagnostic = only(&text);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(diagnostic.code, code, "{name}: {diagnostic}");
        assert!(diagnostic.message.contains(words), "{name}: {diagnostic}");
    }
}

#[test]
fn a_large_file_full_of_problems_is_still_quick() {
    let mut text = String::from("version: 1\n");
    let mut n = 0;
    while text.len() < MAX_POLICY_BYTES - 64 {
        text.push_str(&format!("unknown-key-number-{n}: 1\n"));
        n += 1;
    }
    let started = Instant::now();
    let error = errors(&text);
    assert_eq!(error.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn syntax_errors_keep_serde_yaml_location_without_repeating_it() {
    let diagnostic = only("version: 1\nlicenses:\n  classes: {permissive: allow\n");
    assert_eq!(diagnostic.code, Code::Syntax);
    assert!(diagnostic.location.is_some());
    let Location { line, column } = diagnostic.location.unwrap();
    assert!(
        !diagnostic
            .message
            .contains(&format!("at line {line} column {column}")),
        "{diagnostic}"
    );
}

fn digest(path: &str, sha256: &str) -> FileDigest {
    FileDigest {
        path: path.into(),
        sha256: sha256.into(),
    }
}

fn policy_with_two_pins() -> Policy {
    let text = format!(
        "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT AND OGL-UK-3.0\n    files:\n      - path: LICENCE\n        sha256: \"{}\"\n      - path: docs/LICENCE-OGL\n        sha256: \"{OTHER_HASH}\"\n    reason: confirmed\n",
        HASH.to_ascii_uppercase()
    );
    Policy::from_str(&text, "policy.yaml").unwrap()
}

#[test]
fn clarification_applies_while_every_pinned_file_is_unchanged() {
    let policy = policy_with_two_pins();
    let files = [
        digest("README.md", OTHER_HASH),
        digest("docs/LICENCE-OGL", OTHER_HASH),
        digest("LICENCE", HASH),
    ];
    // The repository name compares without case, and the upper-case hash in the file was normalised.
    match policy.clarification_for("NHSX/Example", &files) {
        ClarificationMatch::Applies(clarification) => {
            assert_eq!(clarification.repo, "nhsx/example");
            assert_eq!(clarification.files[0].sha256, HASH);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn clarification_is_voided_by_a_changed_or_missing_pinned_file() {
    let policy = policy_with_two_pins();
    let table: [(&[FileDigest], &[&str]); 4] = [
        (
            &[
                digest("LICENCE", OTHER_HASH),
                digest("docs/LICENCE-OGL", OTHER_HASH),
            ],
            &["LICENCE"],
        ),
        (&[digest("LICENCE", HASH)], &["docs/LICENCE-OGL"]),
        (&[], &["LICENCE", "docs/LICENCE-OGL"]),
        // Same content at another path is not the pinned file.
        (
            &[
                digest("LICENSE", HASH),
                digest("docs/LICENCE-OGL", OTHER_HASH),
            ],
            &["LICENCE"],
        ),
    ];
    for (files, expected) in table {
        match policy.clarification_for("nhsx/example", files) {
            ClarificationMatch::Voided {
                clarification,
                changed,
            } => {
                assert_eq!(clarification.repo, "nhsx/example");
                assert_eq!(changed, expected, "{files:?}");
            }
            other => panic!("{files:?}: {other:?}"),
        }
    }
}

#[test]
fn no_clarification_for_another_repository() {
    let policy = policy_with_two_pins();
    let files = [
        digest("LICENCE", HASH),
        digest("docs/LICENCE-OGL", OTHER_HASH),
    ];
    assert_eq!(
        policy.clarification_for("nhsx/example-2", &files),
        ClarificationMatch::None
    );
    assert_eq!(
        Policy::default().clarification_for("nhsx/example", &files),
        ClarificationMatch::None
    );
}

#[test]
fn expression_ids_are_listed_once_each_in_order() {
    let text = clarification(
        "nhsx/example",
        "(MIT OR Apache-2.0) AND OGL-UK-3.0 AND MIT AND LicenseRef-Crown",
        "LICENCE",
        HASH,
        "ok",
    );
    let policy = Policy::from_str(&text, "policy.yaml").unwrap();
    assert_eq!(
        policy.clarifications[0].licenses,
        ["MIT", "Apache-2.0", "OGL-UK-3.0", "LicenseRef-Crown"]
    );
}

#[test]
fn each_written_api_url_is_checked_where_it_is_written_and_the_help_says_what_to_write() {
    let text = "version: 1\ngithub:\n  api-url: https://ghe.example.org/api/v3\ntarget:\n  api-url: ghe.example.org\napproval:\n  api-url: 'http://'\n";
    let error = errors(text);
    let seen: Vec<(Code, usize, usize)> = error
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location.expect("located");
            (d.code, at.line, at.column)
        })
        .collect();
    assert_eq!(
        seen,
        [(Code::BadUrl, 5, 12), (Code::BadUrl, 7, 12)],
        "{error}"
    );
    let rendered = error.to_string();
    assert!(
        rendered.contains("error[bad-url]: `target.api-url` \"ghe.example.org\" is not an http(s) URL\n  --> policy.yaml:5:12"),
        "{rendered}"
    );
    assert!(
        rendered.contains("leave this key out to use `github.api-url`"),
        "{rendered}"
    );
    let shared = Policy::from_str(
        "version: 1\ngithub:\n  api-url: https://ghe.example.org/api/v3\n",
        "policy.yaml",
    )
    .unwrap();
    for section in API_URL_SECTIONS {
        assert_eq!(
            resolve_api_url(&shared.sections, section).url,
            "https://ghe.example.org/api/v3"
        );
    }
}

/// The lines of a top-level section of `text`, its header excluded: the indented lines below `section:`.
fn section_lines<'t>(text: &'t str, section: &str) -> Vec<&'t str> {
    text.lines()
        .skip_while(|line| *line != format!("{section}:"))
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        .collect()
}

#[test]
fn the_repository_policy_yaml_writes_every_key_that_every_stage_reads() {
    let text = include_str!("../../policy.yaml");
    let policy = Policy::from_str(text, "policy.yaml").expect("the repository policy is valid");
    let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    // Keys of the local forges and the per-section API overrides: shown commented out, since writing them would
    // change what this deployment does (or is refused with the github forge).
    let commented = [
        "sources.path",
        "target.path",
        "target.api-url",
        "approval.path",
        "approval.api-url",
        // Only for a GitHub App token, whose login GET /user cannot tell.
        "approval.bot-login",
    ];
    let mut tables: Vec<(&str, &[&str])> = vec![
        ("", fields_of::<RawPolicy>()),
        ("licenses", fields_of::<RawLicenses>()),
        ("licenses.classes", fields_of::<RawClasses>()),
        (
            "sources",
            fields_of::<crate::monitor::config::SourcesConfig>(),
        ),
        (
            "removal",
            fields_of::<crate::monitor::config::RemovalConfig>(),
        ),
        (
            "github",
            fields_of::<crate::monitor::config::GithubConfig>(),
        ),
        (
            "archive",
            fields_of::<crate::monitor::config::ArchiveConfig>(),
        ),
        ("target", fields_of::<crate::publish::TargetConfig>()),
        ("target.bot", fields_of::<crate::publish::BotIdentity>()),
        ("approval", fields_of::<crate::approval::ApprovalConfig>()),
        ("approval.labels", fields_of::<crate::approval::Labels>()),
    ];
    tables.extend(crate::safety::config::section_keys());
    let mut missing = Vec::new();
    let mut checked = 0;
    for (section, keys) in tables {
        assert!(!keys.is_empty(), "no keys read for {section:?}");
        let node = section
            .split('.')
            .filter(|part| !part.is_empty())
            .try_fold(&value, |node, part| node.get(part));
        for key in keys {
            checked += 1;
            let path = if section.is_empty() {
                key.to_string()
            } else {
                format!("{section}.{key}")
            };
            let written = node.and_then(|n| n.get(key)).is_some();
            if commented.contains(&path.as_str()) {
                let top = section.split('.').next().unwrap();
                let shown = section_lines(text, top)
                    .iter()
                    .any(|line| line.trim_start().starts_with(&format!("# {key}:")));
                assert!(!written, "{path} is written; it belongs commented out");
                if !shown {
                    missing.push(format!("{path} (as a commented line)"));
                }
            } else if !written {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "policy.yaml lacks {missing:?}");
    assert!(checked > 60, "only {checked} keys checked");
    assert_eq!(
        policy
            .sections
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        {
            let mut all = RESERVED_SECTIONS.to_vec();
            all.sort();
            all
        },
        "every section is present"
    );
}

#[test]
fn the_digest_changes_with_the_rules_that_decide_a_verdict_only() {
    let parse = |text: &str| Policy::from_str(text, "policy.yaml").unwrap();
    let base = parse("version: 1\n");
    assert_eq!(base.digest(), parse("version: 1\n").digest());
    assert_eq!(base.digest().len(), 64);
    for (what, text) in [
        (
            "a licence rule",
            "version: 1\nlicenses:\n  min-confidence: 0.95\n",
        ),
        ("a safety setting", "version: 1\nsafety:\n  refs: [main]\n"),
    ] {
        assert_ne!(base.digest(), parse(text).digest(), "{what}");
    }
    let scheduled = parse("version: 1\nsources:\n  orgs: [nhsuk]\n");
    assert_eq!(base.digest(), scheduled.digest(), "another section");
}
