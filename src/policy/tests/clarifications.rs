//! Whether a clarification still speaks for a repository whose licence files may have changed.

use super::*;

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
