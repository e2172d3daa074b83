//! The history scan as the safety tests run it, what they read of its report, and the made-up secrets they
//! plant. Every secret is assembled at run time, so that no test file holds one.

use base64::Engine;
use keepopen::safety::{SafetyConfig, SafetyReport, ScanLimits, scan_repository};

use crate::fixture::RepoFixture;

/// The scan of `fx`'s default refs (heads and tags) with the default bounds.
pub fn scan(fx: &RepoFixture) -> SafetyReport {
    scan_repository(fx.repo(), &[], &ScanLimits::default()).expect("scan")
}

/// The scan of `fx` as `keepopen scan` makes it of `org/app` under the default policy: what it lists apart
/// (a local test credential, a value the authors marked) is in `allowed`, not in `findings`.
pub fn scan_under_default_policy(fx: &RepoFixture) -> SafetyReport {
    let mut report = scan(fx);
    SafetyConfig::default().apply("org/app", &mut report);
    report
}

/// The blocking findings of `report` as (rule, path), sorted and without repeats: a finding listed as local
/// (`local_test`) does not block.
pub fn blocking(report: &SafetyReport) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.local_test.is_none())
        .map(|f| (f.rule.clone(), f.path.clone()))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Nothing in `report` blocks, and its first finding listed apart (in `allowed`) is there for a reason
/// that says `why`.
#[track_caller]
pub fn assert_clean_with_the_first_listed_apart_as(report: &SafetyReport, why: &str) {
    assert!(report.is_clean(), "{:?}", report.blocking_reasons());
    assert!(
        report
            .allowed
            .first()
            .and_then(|f| f.allowed_by.as_deref())
            .is_some_and(|w| w.contains(why)),
        "{:?}",
        report.allowed
    );
}

/// Every finding as (rule, path), sorted.
pub fn rule_paths(report: &SafetyReport) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.path.clone()))
        .collect();
    found.sort();
    found
}

/// Every finding as (rule, path, line), sorted.
pub fn rule_path_lines(report: &SafetyReport) -> Vec<(String, String, Option<usize>)> {
    let mut found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.path.clone(), f.line))
        .collect();
    found.sort();
    found
}

/// A made-up AWS access key id (AKIA + 16 of A-Z2-7, high entropy, not AWS' documented example).
pub fn aws_key() -> String {
    ["AK", "IA", "Q7ZP3XKW2M5RT4VN"].concat()
}

/// A made-up PEM private key block.
pub fn private_key() -> String {
    let body = "MIIEpAIBAAKCAQEAu3vXk9QzL2pR7sWm4YtN8cHj5bFa1eGd6iKo0lPq3rSx9TyUv\n\
                Zw2Ab4Cd6Ef8Gh0Ij2Kl4Mn6Op8Qr0St2Uv4Wx6Yz8Ab0Cd2Ef4Gh6Ij8Kl0Mn2Op4\n";
    format!(
        "-----BEGIN RSA {}-----\n{body}{body}-----END RSA {}-----\n",
        "PRIVATE KEY", "PRIVATE KEY"
    )
}

/// `bytes` in URL-safe base64 without padding, as a JSON web token's parts are.
pub fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A JSON web token of these header, claims and signature bytes (each part base64url-encoded).
pub fn jwt(header: &[u8], claims: &[u8], signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64url(header),
        b64url(claims),
        b64url(signature)
    )
}
