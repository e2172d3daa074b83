//! The stages' sections (`sources`, `removal`, `github`, `archive`, `target`, `approval`, `safety`) are typed and
//! checked when the file is loaded: a bad value in any of them is a diagnostic with its code, line and column,
//! like the licence rules' own.

use super::*;

/// `Policy::from_str(text)`'s diagnostics as they render, or a note that it loaded.
fn rendered(text: &str) -> String {
    match Policy::from_str(text, "policy.yaml") {
        Ok(_) => "loaded without a problem".into(),
        Err(error) => error.to_string(),
    }
}

/// The one diagnostic of `text` has `code` and points at `line:column`.
#[track_caller]
fn reported_at(text: &str, code: &str, line: usize, column: usize) {
    let shown = rendered(text);
    assert!(
        shown.starts_with(&format!("error[{code}]: ")),
        "expected error[{code}], got:\n{shown}"
    );
    assert!(
        shown.contains(&format!("\n  --> policy.yaml:{line}:{column}")),
        "expected policy.yaml:{line}:{column}, got:\n{shown}"
    );
    assert_eq!(shown.matches("error[").count(), 1, "one problem:\n{shown}");
}

#[test]
fn a_bad_account_in_sources_is_reported_at_its_list_item() {
    reported_at(
        "version: 1\nsources:\n  orgs:\n    - nhsuk\n    - bad org\n",
        "bad-login",
        5,
        7,
    );
}

#[test]
fn a_bad_duration_in_removal_is_reported_at_its_value() {
    reported_at(
        "version: 1\nremoval:\n  min-gap: soon\n",
        "bad-duration",
        3,
        12,
    );
}

#[test]
fn zero_attempts_in_github_is_reported_at_its_value() {
    reported_at(
        "version: 1\ngithub:\n  attempts: 0\n",
        "out-of-range",
        3,
        13,
    );
}

#[test]
fn an_unknown_lfs_mode_in_archive_is_reported_at_its_value() {
    reported_at(
        "version: 1\narchive:\n  lfs: fetch\n",
        "unknown-value",
        3,
        8,
    );
}

#[test]
fn a_target_name_without_a_placeholder_is_reported_at_its_value() {
    reported_at(
        "version: 1\ntarget:\n  forge: github\n  organisation: nhs-community\n  name: fixed\n",
        "bad-template",
        5,
        9,
    );
}

#[test]
fn zero_required_approvals_is_reported_at_its_value() {
    reported_at(
        "version: 1\napproval:\n  maintainers: [alice]\n  required: 0\n",
        "out-of-range",
        4,
        13,
    );
}

#[test]
fn a_safety_ref_that_is_not_a_full_ref_is_reported_at_its_list_item() {
    reported_at(
        "version: 1\nsafety:\n  refs: [\"refs/heads/*\", main]\n",
        "bad-ref",
        3,
        26,
    );
}

#[test]
fn an_unknown_key_in_a_section_is_reported_at_the_key() {
    reported_at(
        "version: 1\ntarget:\n  forge: local\n  colour: blue\n",
        "unknown-key",
        4,
        3,
    );
}

#[test]
fn a_missing_setting_points_at_the_section_that_lacks_it() {
    reported_at(
        "version: 1\ntarget:\n  forge: github\n",
        "missing-key",
        3,
        3,
    );
}
