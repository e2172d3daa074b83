//! Each diagnostic code at its line and column, duplicates, suggestions, several problems in one run, the cap.

use super::*;

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
            "version: 1\ntarget: {forge: local, api-url: 'https://token@ghe.example.org/api/v3'}\n".into(),
            (Code::BadUrl, 2, 33),
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
