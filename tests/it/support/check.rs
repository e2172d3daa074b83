//! keepopen's licence check of a fixture repository, as `keepopen check` runs it: the embedded licence texts
//! and, unless a test names another, the default policy.

use std::sync::LazyLock;

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;

use crate::fixture::RepoFixture;

/// The GOV.UK page footer naming the Open Government Licence for the site's content, as services' page
/// layouts carry it.
pub const OGL_FOOTER: &str = "<footer class=\"govuk-footer\">\n  <span class=\"govuk-footer__licence-description\">\n    All content is available under the\n    <a class=\"govuk-footer__link\" href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\" rel=\"license\">Open Government Licence v3.0</a>, except where otherwise stated\n  </span>\n</footer>\n";

/// The embedded licence texts, compiled once for the whole test binary.
pub static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::embedded);

/// The check of `fx` under `policy`, named `fixture` (not after its temporary folder) so that what a failing
/// test prints is the same on every run.
pub fn check_fixture_with(fx: &RepoFixture, policy: &Policy) -> RepoCheck {
    let mut check = check_repo(fx.path(), &DETECTOR, policy);
    check.repo = "fixture".into();
    check
}

/// The check of `fx` under the default policy.
pub fn check_fixture(fx: &RepoFixture) -> RepoCheck {
    check_fixture_with(fx, &Policy::default())
}

/// The check, under the default policy, of a bare repository whose one commit holds `files`
/// (`(path, contents)` each).
pub fn check_files<P: AsRef<str>, C: AsRef<[u8]>>(files: &[(P, C)]) -> RepoCheck {
    check_fixture(&RepoFixture::one_commit(files))
}

/// The licence verdict of `fx` and its reasons, as `check --licence-only` gives them under the default policy:
/// from the binary `KEEPOPEN_BIN` names when it is set (to see a test fail on another build, such as the
/// previous release), else from the library.
pub fn licence_verdict(fx: &RepoFixture) -> (String, Vec<String>) {
    if let Some(bin) = std::env::var_os("KEEPOPEN_BIN") {
        let out = std::process::Command::new(bin)
            .args(["check", "--default-policy", "--json", "--licence-only"])
            .arg(fx.path())
            .output()
            .expect("run keepopen");
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let row = &rows[0];
        let reasons = row["reasons"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| r.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        return (row["verdict"].as_str().unwrap_or("").to_string(), reasons);
    }
    let check = check_fixture(fx);
    (check.verdict.to_string(), check.verdict.reasons().to_vec())
}
