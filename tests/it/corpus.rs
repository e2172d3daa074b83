//! The labelled corpus of 60 real licence files from public-sector repositories, each committed at its
//! original path into a real git repository and taken through discovery, detection and the verdict by the real
//! binary (`keepopen check <dir> --json`, once over all 60 mirrors).
//!
//! Labels describe one file on its own; keepopen judges a repository. Where the two differ on purpose, the
//! case is listed in `DISAGREEMENTS` with the reason; every other case must match the label exactly.

use std::collections::BTreeSet;

use keepopen::check::check_repo;
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;

use crate::fixture::{RepoFixture, TreeSpec};

/// (file prefix, keepopen's verdict, keepopen's licences, why it differs from the label)
const DISAGREEMENTS: &[(&str, &str, &[&str], &str)] = &[
    (
        "023",
        "needs-review",
        &["LicenseRef-EU-Commission-Decision-2011-833", "OGL-UK-3.0"],
        "keepopen is right to ask (judged, issue 21): a data-reuse guidance page, not a licence text; both licences are named (0.50, a name in a page of other words), and the EUR-Lex notice it reproduces says some documents \"may be subject to special conditions of use\" and its logo \"may not be used without the prior consent\" (read as a carve-out): which material is under which terms is for a person",
    ),
    (
        "024",
        "needs-review",
        &[],
        "keepopen is right to ask (judged, issue 21): a bespoke pre-OGL Crown licence with no SPDX id, marked superseded in the file itself; an unrecognised licence text is never allowed by a machine",
    ),
    (
        "027",
        "needs-review",
        &["GPL-3.0-or-later", "OGL-UK-3.0"],
        "keepopen is right to ask (judged, issue 21): GPL-3.0-or-later for the software is read, but the documentation grant names \"the Open Government Licence\" with no version (0.75, below the floor; an unversioned OGL grant also fooled it on a repository of logos, 037), excludes logos, and adds the pre-OGL condition \"reproduced accurately and not used in a misleading context\" (a carve-out): which version and what is covered are for a person",
    ),
    (
        "031",
        "needs-review",
        &[],
        "a bespoke non-commercial licence with no SPDX id: unrecognised text",
    ),
    (
        "039",
        "forbidden",
        &[],
        "no licence at all: all rights reserved",
    ),
    (
        "041",
        "forbidden",
        &[],
        "no licence at all: all rights reserved",
    ),
    (
        "045",
        "forbidden",
        &[],
        "no licence at all: all rights reserved",
    ),
    (
        "057",
        "forbidden",
        &[],
        "no licence at all: all rights reserved",
    ),
    ("044", "needs-review", &["OGL-UK-3.0"], WEAK_ALONE),
    ("046", "needs-review", &["CC0-1.0"], WEAK_ALONE),
    ("047", "needs-review", &["MIT"], WEAK_ALONE),
    ("049", "needs-review", &["MIT"], WEAK_ALONE),
    ("050", "needs-review", &["GPL-2.0-or-later"], WEAK_ALONE),
    ("051", "needs-review", &["GPL-3.0-only"], WEAK_ALONE),
    ("052", "needs-review", &["OGL-UK-3.0"], WEAK_ALONE),
    ("053", "needs-review", &["LGPL-3.0-or-later"], WEAK_ALONE),
    ("054", "needs-review", &["MIT"], WEAK_ALONE),
    ("055", "needs-review", &["AGPL-3.0-or-later"], WEAK_ALONE),
    ("056", "needs-review", &["GPL-2.0-only"], WEAK_ALONE),
    ("058", "needs-review", &["OGL-UK-3.0"], WEAK_ALONE),
    ("059", "needs-review", &["OGL-UK-3.0"], WEAK_ALONE),
];

/// Why a manifest alone is *needs review* in a repository although the file's label says its licence allows
/// republication: the label describes the file ("this manifest declares MIT"); a repository holding only that
/// manifest has no licence text or statement, and a manifest field is weak evidence that never stands alone
/// (issue 21, mechanism 4; `verdict::is_strong`).
const WEAK_ALONE: &str = "a manifest field alone is weak evidence: with no licence text or statement in the repository it cannot make the repository allowed";

fn expected_verdict(redistribution: &str) -> &'static str {
    match redistribution {
        "allowed" | "allowed-with-conditions" => "allowed",
        "forbidden" => "forbidden",
        _ => "needs-review",
    }
}

/// Every corpus file committed at its original path into its own bare mirror under one directory, and
/// `keepopen check <dir> --json` run once over them all, as a user would: the result of each mirror, by the
/// corpus file it holds. The republication verdict (licence and history scan), the default policy.
fn check_corpus_through_the_binary(
    dir: &str,
    cases: &[serde_yaml::Value],
) -> std::collections::BTreeMap<String, serde_json::Value> {
    let parent = tempfile::tempdir().unwrap();
    let mut by_path = std::collections::BTreeMap::new();
    let mut mirrors = Vec::new();
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let path = case["source"]["path"].as_str().unwrap();
        let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
        let fx = RepoFixture::bare_in(parent.path(), &format!("{}-", &file[..3]));
        fx.commit("main", &TreeSpec::new().file(path, &bytes));
        fx.set_head("main");
        by_path.insert(fx.path().display().to_string(), file.to_string());
        mirrors.push(fx);
    }
    let state = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .env_remove("KEEPOPEN_POLICY")
        .env_remove("RUST_LOG")
        .arg("--json")
        .arg("--policy")
        .arg(parent.path().join("absent-policy.yaml"))
        .arg("--state")
        .arg(state.path())
        .arg("check")
        .arg("--default-policy")
        .arg(parent.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "keepopen check --json: {e}\nstdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut out = std::collections::BTreeMap::new();
    for result in results {
        let repo = result["repo"].as_str().unwrap().to_string();
        let file = by_path
            .get(&repo)
            .unwrap_or_else(|| panic!("check reported {repo}, which is no corpus mirror"));
        out.insert(file.clone(), result);
    }
    assert_eq!(out.len(), cases.len(), "one result per corpus mirror");
    drop(mirrors);
    out
}

/// The labels and keepopen's result for each corpus file, computed once for the tests of this module.
fn corpus() -> &'static (
    Vec<serde_yaml::Value>,
    std::collections::BTreeMap<String, serde_json::Value>,
) {
    static CORPUS: std::sync::OnceLock<(
        Vec<serde_yaml::Value>,
        std::collections::BTreeMap<String, serde_json::Value>,
    )> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
        let labels: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(format!("{dir}/labels.yaml")).unwrap())
                .unwrap();
        let cases = labels["cases"].as_sequence().unwrap().clone();
        let results = check_corpus_through_the_binary(dir, &cases);
        (cases, results)
    })
}

/// The licences a label expects keepopen to name: `NOASSERTION` is none, and `LicenseRef-proprietary` is the
/// label's way of saying "rights reserved", which keepopen gives as the reason, never as a licence.
fn labelled_ids(case: &serde_yaml::Value) -> BTreeSet<String> {
    case["expected"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .filter(|id| id != "NOASSERTION" && id != "LicenseRef-proprietary")
        .collect()
}

#[test]
fn every_corpus_file_gets_the_labelled_verdict_and_licences_or_a_stated_reason() {
    let (cases, results) = corpus();
    let mut failures = Vec::new();
    let mut agreed = 0;
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let path = case["source"]["path"].as_str().unwrap();
        let result = &results[file];
        assert_eq!(result["scope"], "republication", "{file}: {result}");
        let got_verdict = result["verdict"].as_str().unwrap();
        let got_ids: BTreeSet<String> = result["licenses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_string())
            .collect();
        let (want_verdict, want_ids): (String, BTreeSet<String>) = match DISAGREEMENTS
            .iter()
            .find(|(prefix, ..)| file.starts_with(prefix))
        {
            Some((_, verdict, ids, _)) => (
                verdict.to_string(),
                ids.iter().map(|s| s.to_string()).collect(),
            ),
            None => {
                agreed += 1;
                (
                    expected_verdict(case["redistribution"].as_str().unwrap()).to_string(),
                    labelled_ids(case),
                )
            }
        };
        if got_verdict != want_verdict || got_ids != want_ids {
            failures.push(format!(
                "{file} (at {path}): want {want_verdict} {want_ids:?}, got {got_verdict} {got_ids:?}; reasons: {}",
                result["reasons"]
            ));
        }
    }
    assert_eq!(cases.len(), 60, "the corpus has 60 cases");
    // 52 before issue 21; six files labelled allowed now need review for residue (three of them README
    // licence sections, accounted word by word since that pass) and the 13 manifest-only cases differ on
    // purpose (`WEAK_ALONE`), both listed above with why.
    // 36 while 014's notice line was quoted as an unrecognised licence; 37 since a notice whose every sentence
    // withholds is read as rights reserved (`license::notice`'s withholding reading); 38 since a grant whose
    // subject states its scope (029: the site's own code, leaving out the framework and its dependencies) is
    // read as a grant of that scope.
    assert!(
        agreed >= 38,
        "at least 38 cases follow their label exactly (got {agreed})"
    );
    assert!(
        failures.is_empty(),
        "{} corpus cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Where what a file says on its own (`check --json`'s `files`) differs from its label on purpose: (file prefix,
/// keepopen's reading, its licences, why). The other cases of `DISAGREEMENTS` (a manifest alone, no licence at all)
/// are rules about a repository, which a file read alone does not meet.
const FILE_DISAGREEMENTS: &[(&str, &str, &[&str])] = &[
    (
        "023",
        "needs-review",
        &["LicenseRef-EU-Commission-Decision-2011-833", "OGL-UK-3.0"],
    ),
    ("024", "needs-review", &[]),
    ("027", "needs-review", &["GPL-3.0-or-later", "OGL-UK-3.0"]),
    ("031", "needs-review", &[]),
];

/// The labels describe one file on its own ("this manifest declares MIT", "this README says nothing about a
/// licence"); `check --json` gives, beside the repository's verdict, what each file read as licence evidence says
/// alone (`files`: `verdict::judge_file`). A file it does not list gave no licence evidence: alone it says nothing,
/// which is the label's `unclear`. Every case follows its label or is listed in `FILE_DISAGREEMENTS`, whose
/// reasons are those of `DISAGREEMENTS`.
#[test]
fn every_corpus_file_read_alone_says_what_its_label_says_or_a_stated_reason() {
    let (cases, results) = corpus();
    let mut failures = Vec::new();
    let mut agreed = 0;
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let path = case["source"]["path"].as_str().unwrap();
        let result = &results[file];
        let read = result["files"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["file"] == path);
        let (got_verdict, got_ids): (&str, BTreeSet<String>) = match read {
            Some(f) => (
                f["verdict"].as_str().unwrap(),
                f["licenses"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| id.as_str().unwrap().to_string())
                    .collect(),
            ),
            None => ("needs-review", BTreeSet::new()),
        };
        let (want_verdict, want_ids) = match FILE_DISAGREEMENTS
            .iter()
            .find(|(prefix, ..)| file.starts_with(prefix))
        {
            Some((prefix, verdict, ids)) => {
                assert!(
                    DISAGREEMENTS.iter().any(|(p, ..)| p == prefix),
                    "{file}: a file-level disagreement needs its reason in DISAGREEMENTS"
                );
                (*verdict, ids.iter().map(|s| s.to_string()).collect())
            }
            None => {
                agreed += 1;
                (
                    expected_verdict(case["redistribution"].as_str().unwrap()),
                    labelled_ids(case),
                )
            }
        };
        if got_verdict != want_verdict || got_ids != want_ids {
            failures.push(format!(
                "{file} (at {path}): read alone, want {want_verdict} {want_ids:?}, got {got_verdict} {got_ids:?}: {read:?}"
            ));
        }
        // What is labelled forbidden or unclear is never allowed, read alone or as a repository.
        if matches!(
            case["redistribution"].as_str(),
            Some("forbidden" | "unclear")
        ) {
            assert_ne!(got_verdict, "allowed", "{file}: read alone");
            assert_ne!(result["verdict"], "allowed", "{file}: as a repository");
        }
    }
    // 55 since the readings of 030 (a grant subject describing a part, a heading over its grant, a holder on
    // behalf of another, the Creative Commons deed by element, a request for credit, a third-party record)
    // and of 036 (a rule for what the project takes in); 54 since 014's notice line is quoted as a licence
    // keepopen does not recognise (stricter than its label); 55 since a notice whose every sentence withholds is
    // read as rights reserved, *forbidden* alone as labelled; 56 since 029's grants of a stated scope are read.
    assert!(
        agreed >= 56,
        "at least 56 of 60 files read alone follow their label exactly (got {agreed})"
    );
    assert!(
        failures.is_empty(),
        "{} corpus files read alone differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn conditions_follow_the_licence_families_in_the_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let detector = Detector::embedded();
    let policy = Policy::default();
    let check = |file: &str, at: &str| {
        let fx = RepoFixture::bare();
        fx.commit(
            "main",
            &TreeSpec::new().file(at, std::fs::read(format!("{dir}/{file}")).unwrap()),
        );
        fx.set_head("main");
        let r = check_repo(fx.path(), &detector, &policy);
        r.verdict
            .conditions()
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let ogl = check("018-cddo-metadata-ogl3-full-plain.txt", "LICENSE");
    assert!(
        ogl.contains(
            "Contains public sector information licensed under the Open Government Licence v3.0."
        ),
        "{ogl}"
    );
    let sa = check("029-rcpch-dgc-docs-ccbysa-and-mit.txt", "LICENSE");
    assert!(
        sa.contains("keep it under the same licence (CC-BY-SA-4.0)"),
        "{sa}"
    );
    let nc = check("030-ssi-smp-ccbync25-scotland-and-mit.md", "LICENCE.md");
    assert!(
        nc.contains("non-commercial only (LicenseRef-CC-BY-NC-2.5-Scotland)"),
        "{nc}"
    );
    let holders = check("006-dstl-stonesoup-mit-multi-crown.txt", "LICENSE");
    assert!(
        holders.contains("attribute the copyright holders"),
        "{holders}"
    );
}
