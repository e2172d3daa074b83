//! Manifests and project metadata that withhold (issue 21, mechanism 3; red-team cases F1-F8): beside a full
//! MIT LICENSE, a composer.json `"license": "proprietary"`, a gemspec's `s.license = "Proprietary"`, a
//! CITATION.cff `license: UNLICENSED`, a publiccode.yml `legal.license: LicenseRef-Proprietary`, REUSE.toml and
//! `.reuse/dep5` annotations giving paths a proprietary licence, a source file's `SPDX-License-Identifier:
//! Proprietary` and a datapackage.json `licenses: [{name: other-closed}]` were all ignored and the repository
//! allowed.
//!
//! The invariant (`license::claims::names_a_licence`): every declared licence field is read, with what it
//! covers, and a field that names no licence withholds. Generated over every format × every value that names
//! none (not only the red team's); the same formats naming MIT stay allowed.

use keepopen::check::check_repo;
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;

use crate::fixture::{RepoFixture, TreeSpec};

fn mit() -> String {
    let path = format!("{}/licenses/text/MIT.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .expect("MIT text")
        .replace("<year>", "2023")
        .replace("<copyright holders>", "Acme Digital Ltd")
}

/// Each format: the file's path and its text declaring `value`.
fn formats(value: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "composer.json",
            format!("{{\"name\":\"acme/widget\",\"license\":\"{value}\"}}\n"),
        ),
        (
            "composer.json",
            format!("{{\"name\":\"acme/widget\",\"license\":[\"{value}\"]}}\n"),
        ),
        (
            "widget.gemspec",
            format!(
                "Gem::Specification.new do |s|\n  s.name = \"widget\"\n  s.license = \"{value}\"\nend\n"
            ),
        ),
        (
            "widget.gemspec",
            format!("Gem::Specification.new do |spec|\n  spec.licenses = ['{value}']\nend\n"),
        ),
        (
            "CITATION.cff",
            format!("cff-version: 1.2.0\ntitle: widget\nlicense: {value}\n"),
        ),
        (
            "publiccode.yml",
            format!("publiccodeYmlVersion: \"0.2\"\nname: widget\nlegal:\n  license: {value}\n"),
        ),
        (
            "REUSE.toml",
            format!(
                "version = 1\n[[annotations]]\npath = \"src/**\"\nSPDX-FileCopyrightText = \"2023 Vendor Corp\"\nSPDX-License-Identifier = \"{value}\"\n"
            ),
        ),
        (
            ".reuse/dep5",
            format!(
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: src/*\nCopyright: 2023 Vendor Corp\nLicense: {value}\n"
            ),
        ),
        (
            "src/b.py",
            format!("# SPDX-License-Identifier: {value}\nx = 1\n"),
        ),
        (
            "datapackage.json",
            format!("{{\"name\":\"d\",\"licenses\":[{{\"name\":\"{value}\"}}]}}\n"),
        ),
    ]
}

/// Values that name no licence: the red team's, and others of the same shapes.
const WITHHOLDING: &[&str] = &[
    "proprietary",
    "Proprietary",
    "UNLICENSED",
    "LicenseRef-Proprietary",
    "LicenseRef-Acme-Internal-Use",
    "other-closed",
    "Closed source",
    "NONE",
];

fn verdict(path: &str, text: &str) -> (String, Vec<String>) {
    let detector = Detector::embedded();
    let policy = Policy::default();
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit().as_bytes())
            .file("src/a.py", b"x = 1\n")
            .file(path, text.as_bytes()),
    );
    fx.set_head("main");
    let outcome = check_repo(fx.path(), &detector, &policy);
    let v = outcome.verdict.verdict().expect("judged");
    (v.name().to_string(), v.reasons().to_vec())
}

#[test]
fn metadata_naming_no_licence_beside_an_mit_licence_needs_review_naming_the_file() {
    let mut allowed = Vec::new();
    for value in WITHHOLDING {
        for (path, text) in formats(value) {
            let (name, reasons) = verdict(path, &text);
            if name == "allowed" {
                allowed.push(format!("{path} declaring {value:?}"));
            } else {
                assert!(
                    reasons
                        .iter()
                        .any(|r| r.contains(path.rsplit('/').next().unwrap_or(path))),
                    "{path} {value:?}: the reason names the file: {reasons:?}"
                );
            }
        }
    }
    assert!(allowed.is_empty(), "allowed:\n  {}", allowed.join("\n  "));
}

#[test]
fn the_same_metadata_naming_the_licence_of_the_licence_file_stays_allowed() {
    for (path, text) in formats("MIT") {
        let (name, reasons) = verdict(path, &text);
        assert_eq!(name, "allowed", "{path}: {reasons:?}");
    }
}
