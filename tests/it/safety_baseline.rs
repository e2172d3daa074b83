//! What the history scan makes of records the repository keeps of its own findings (issue 22): a gitleaks
//! report committed as a baseline, and a test's token signed with a key the test itself holds. Each test builds
//! a real git repository with git2 and runs the real scan; every made-up secret is assembled at run time.

use keepopen::safety::SafetyConfig;
use sha2::Digest;

use crate::fixture::RepoFixture;
use crate::support::scan::{
    assert_clean_with_the_first_listed_apart_as, b64url, scan, scan_under_default_policy,
};

/// A made-up GitHub token.
fn github_token() -> String {
    ["gh", "p_", "R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"].concat()
}

/// What `gitleaks detect --report-path` writes for one finding of `rule` with value `secret` at `file`.
fn gitleaks_report(rule: &str, secret: &str, file: &str) -> String {
    format!(
        r#"[
 {{
  "Description": "a finding",
  "StartLine": 1,
  "EndLine": 1,
  "Match": "token = \"{secret}\"",
  "Secret": "{secret}",
  "File": "{file}",
  "Commit": "22f499894e8aea51fbe33014f9c1c33ad9c702e3",
  "RuleID": "{rule}",
  "Fingerprint": "22f499894e8aea51fbe33014f9c1c33ad9c702e3:{file}:{rule}:1"
 }}
]
"#
    )
}

#[test]
fn a_value_only_a_committed_gitleaks_report_holds_is_shown_marked_and_does_not_block() {
    // The report is all that is left of the value: its source is gone from the history.
    let fx = RepoFixture::one_commit(&[(
        "gitleaks-baseline.json",
        gitleaks_report("github-pat", &github_token(), "src/config.py"),
    )]);
    let mut report = scan(&fx);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert!(
        report.findings[0].marked.is_some(),
        "{:?}",
        report.findings[0]
    );
    assert!(
        report.findings[0].excerpt.contains("gitleaks report"),
        "{}",
        report.findings[0].excerpt
    );
    SafetyConfig::default().apply("org/app", &mut report);
    assert_clean_with_the_first_listed_apart_as(&report, "marked by the authors");
}

#[test]
fn a_key_at_its_source_and_copied_into_a_gitleaks_report_still_blocks() {
    let token = github_token();
    let fx = RepoFixture::one_commit(&[
        ("src/config.py", format!("token = \"{token}\"\n")),
        (
            "gitleaks-baseline.json",
            gitleaks_report("github-pat", &token, "src/config.py"),
        ),
    ]);
    let report = scan_under_default_policy(&fx);
    assert!(
        !report.is_clean(),
        "a baseline must not hide the key at its source"
    );
    // One value, one finding (its rule is the first rule that matched it at its first place).
    let finding = report
        .findings
        .iter()
        .find(|f| f.places.iter().any(|p| p.path == "src/config.py"))
        .unwrap_or_else(|| panic!("the token is found: {:?}", report.findings));
    assert!(finding.marked.is_none(), "{finding:?}");
    let paths: Vec<&str> = finding.places.iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"src/config.py") && paths.contains(&"gitleaks-baseline.json"),
        "{paths:?}"
    );
}

/// An HS256 token (RFC 7519) over `payload`, signed with `key` (HMAC per RFC 2104).
fn hs256(key: &[u8], payload: &str) -> String {
    let signed = format!(
        "{}.{}",
        b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(payload.as_bytes())
    );
    let mut k = key.to_vec();
    k.resize(64, 0);
    let pad = |x: u8| k.iter().map(|b| b ^ x).collect::<Vec<u8>>();
    let inner = sha2::Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(signed.as_bytes())
        .finalize();
    let outer = sha2::Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    format!("{signed}.{}", b64url(&outer))
}

#[test]
fn a_tests_token_signed_with_a_key_the_test_holds_is_not_a_finding_and_elsewhere_it_is() {
    let key = ["q8Xv2L", "m9TzR4", "kW7pN3"].concat();
    let token = hs256(
        key.as_bytes(),
        r#"{"iss":"app","sub":"donor","iat":946684800}"#,
    );
    let test = format!(
        "func TestSend(t *testing.T) {{\n\tsecrets.Return(\"{key}\")\n\tassert.Equal(\"Bearer {token}\", got)\n}}\n"
    );
    let fx = RepoFixture::one_commit(&[("internal/client_test.go", test.clone())]);
    let report = scan(&fx);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // The same token outside a test, or in a test that does not hold its key, is a finding.
    for (path, text) in [
        ("internal/client.go", test.clone()),
        (
            "internal/other_test.go",
            format!("want := \"Bearer {token}\"\n"),
        ),
    ] {
        let report = scan(&RepoFixture::one_commit(&[(path, text)]));
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["jwt"], "{path}: {:?}", report.findings);
    }
}
