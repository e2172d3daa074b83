//! Every pushed ref judged, cheaply: a tree is judged by its difference from a tree already judged when no
//! changed file can change the licence evidence, and read in full otherwise; third-party assets are judged
//! over every pushed blob, history included. Each case is a real git repository built in a temporary directory.
//!
//! The property test at the end builds random ref sets (release tags and branches derived from one another by
//! random edits, licence-relevant or not) and checks the ledger against reading every ref in full: every ref
//! is accounted for exactly once, and every ref judged by difference carries exactly the evidence discovery
//! reads from its own tree.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use git2::{Oid, Signature, Time};
use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::license::discovery::{self, HeaderCache, Limits};
use keepopen::license::refs::{
    Judgement, LedgerEntry, RefLimits, evidence_and_ledger, fingerprint,
};
use keepopen::policy::Policy;
use keepopen::verdict::judge;
use proptest::prelude::*;

use crate::fixture::{RepoFixture, TreeSpec};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");

static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::embedded);

fn mit() -> String {
    MIT.replace(
        "<year> <copyright holders>",
        "2021 Government Digital Service",
    )
}

fn spec(files: &BTreeMap<String, Vec<u8>>) -> TreeSpec {
    files.iter().fold(TreeSpec::new(), |spec, (path, bytes)| {
        spec.file(path, bytes)
    })
}

/// Commit `files` with `parent` at `time` seconds, and point `refname` at it.
fn commit_at(
    fx: &RepoFixture,
    refname: &str,
    files: &BTreeMap<String, Vec<u8>>,
    parent: Option<Oid>,
    time: i64,
) -> Oid {
    let repo = fx.repo();
    let tree = repo.find_tree(fx.write_tree(&spec(files))).unwrap();
    let sig = Signature::new("Fixture", "fixture@example.invalid", &Time::new(time, 0)).unwrap();
    let parents: Vec<git2::Commit<'_>> = parent
        .map(|p| repo.find_commit(p).unwrap())
        .into_iter()
        .collect();
    let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let id = repo
        .commit(None, &sig, &sig, refname, &tree, &parents)
        .unwrap();
    repo.reference(refname, id, true, "fixture").unwrap();
    id
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    pairs
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}

fn package_json(version: usize, license: &str) -> String {
    format!(
        "{{\n  \"name\": \"frontend\",\n  \"version\": \"0.{version}.0\",\n  \"author\": \"GDS\",\n  \"license\": \"{license}\"\n}}\n"
    )
}

fn check_fixture(fx: &RepoFixture) -> RepoCheck {
    let mut r = check_repo(fx.path(), &DETECTOR, &Policy::default());
    r.repo = "fixture".into();
    r
}

/// An MIT frontend with `releases` release tags, each changing the application, its version in package.json
/// and the README's release notes (not its licence section): what hmrc's and DEFRA's frontends look like.
fn frontend_with_releases(releases: usize) -> (RepoFixture, BTreeMap<String, Vec<u8>>, Oid) {
    let fx = RepoFixture::bare();
    let mut tree = files(&[
        ("LICENSE", &mit()),
        (
            "README.md",
            "# Frontend\n\nRelease 0.\n\n## Licence\n\nMIT, see LICENSE.\n",
        ),
        ("app/views/index.scala.html", "<p>0</p>\n"),
        ("conf/app.routes", "GET / controllers.Index\n"),
    ]);
    let mut parent = None;
    for i in 0..releases {
        tree.insert("package.json".into(), package_json(i, "MIT").into_bytes());
        tree.insert(
            "README.md".into(),
            format!("# Frontend\n\nRelease {i}.\n\n## Licence\n\nMIT, see LICENSE.\n").into_bytes(),
        );
        tree.insert(
            format!("app/controllers/Feature{i}.scala"),
            format!("object Feature{i}\n").into_bytes(),
        );
        tree.insert(
            "app/views/index.scala.html".into(),
            format!("<p>{i}</p>\n").into_bytes(),
        );
        parent = Some(commit_at(
            &fx,
            &format!("refs/tags/v0.{i}.0"),
            &tree,
            parent,
            1_600_000_000 + i as i64 * 86_400,
        ));
    }
    let tip = parent.unwrap();
    fx.repo()
        .reference("refs/heads/main", tip, true, "main")
        .unwrap();
    fx.set_head("main");
    (fx, tree, tip)
}

// ---------------------------------------------------------------------------------------------------------
// Release tags: judged by difference, not bounded by their number

#[test]
fn three_hundred_release_tags_that_change_code_versions_and_release_notes_are_all_judged_and_allowed()
 {
    let (fx, _, _) = frontend_with_releases(300);
    let started = std::time::Instant::now();
    let r = check_fixture(&fx);
    eprintln!("300 release tags: check took {:?}", started.elapsed());
    assert_eq!(r.verdict, "allowed", "{:#?}", r.verdict.reasons());
    let refs = r.report.as_ref().unwrap().refs.as_ref().unwrap();
    assert_eq!(refs.pushed, 301);
    assert!(refs.not_read.is_empty(), "{refs:?}");
    assert_eq!(
        refs.trees_read + refs.by_difference,
        299,
        "every tree but the default branch's is judged: {refs:?}"
    );
    assert!(
        refs.trees_read <= 1,
        "a version bump or a release note is not licence evidence: {} trees read in full",
        refs.trees_read
    );
}

#[test]
fn a_release_tag_whose_package_json_becomes_unlicensed_among_three_hundred_is_named() {
    let (fx, mut tree, tip) = frontend_with_releases(210);
    // An old release branch, cut from the tip, that declares the package UNLICENSED.
    tree.insert(
        "package.json".into(),
        package_json(999, "UNLICENSED").into_bytes(),
    );
    commit_at(&fx, "refs/heads/internal", &tree, Some(tip), 1_500_000_000);
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("refs/heads/internal") && w.contains("differs")),
        "{:#?}",
        r.verdict.reasons()
    );
    assert!(
        !r.verdict.reasons().iter().any(|w| w.contains("not judged")),
        "{:#?}",
        r.verdict.reasons()
    );
}

/// A branch cut from the default branch that deletes the licence file and adds work of its own says nothing
/// of licences at all, so it looked "silent", under the repository's licence. The licence was there at the
/// point it branched from and is gone at its tip: someone removed it on that branch (OrdnanceSurvey's fork of
/// an agent image, whose deployment branches dropped the Apache LICENSE). A person says whether the
/// repository's licence still speaks for it. A tag cut before the licence was added never had one to remove,
/// and stays under the repository's licence.
#[test]
fn a_branch_that_removes_the_licence_file_needs_review_naming_it_and_an_older_tag_does_not() {
    let fx = RepoFixture::bare();
    let before = files(&[("app.py", "print('hello')\n")]);
    let first = commit_at(&fx, "refs/tags/v0.1", &before, None, 1_600_000_000);
    let mut licensed = before.clone();
    licensed.insert("LICENSE".into(), mit().into_bytes());
    let tip = commit_at(
        &fx,
        "refs/heads/main",
        &licensed,
        Some(first),
        1_600_000_100,
    );
    fx.repo().set_head("refs/heads/main").unwrap();
    let r = check_fixture(&fx);
    assert_eq!(
        r.verdict,
        "allowed",
        "an older tag alone: {:#?}",
        r.verdict.reasons()
    );
    let mut dropped = before.clone();
    dropped.insert(
        "deploy/agent.yaml".into(),
        b"checks:\n  - postgres\n".to_vec(),
    );
    commit_at(&fx, "refs/heads/deploy", &dropped, Some(tip), 1_600_000_200);
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("refs/heads/deploy") && w.contains("LICENSE")),
        "{:#?}",
        r.verdict.reasons()
    );
    assert!(
        !r.verdict.reasons().iter().any(|w| w.contains("v0.1")),
        "{:#?}",
        r.verdict.reasons()
    );
}

/// Refs that fail for the same reasons are one reason line naming the first and how many more: a maintainer reads
/// each reason once, not once per release branch (DEFRA's frontend repeated one README reason for hundreds of tags).
#[test]
fn refs_that_differ_for_the_same_reasons_are_one_line_naming_the_first_and_how_many_more() {
    let (fx, mut tree, tip) = frontend_with_releases(3);
    tree.insert(
        "package.json".into(),
        package_json(999, "UNLICENSED").into_bytes(),
    );
    for i in 0..5 {
        // Each branch has a tree of its own (a different file), and the same unlicensed manifest.
        tree.insert(
            format!("app/internal/Tool{i}.scala"),
            format!("object Tool{i}\n").into_bytes(),
        );
        commit_at(
            &fx,
            &format!("refs/heads/internal-{i}"),
            &tree,
            Some(tip),
            1_500_000_000 + i,
        );
    }
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    let differing: Vec<&String> = r
        .verdict
        .reasons()
        .iter()
        .filter(|w| w.contains("differs from the default branch"))
        .collect();
    assert_eq!(differing.len(), 1, "{differing:#?}");
    assert!(
        differing[0].contains("refs/heads/internal-")
            && differing[0].contains("(and 4 more refs with the same reasons)"),
        "{differing:#?}"
    );
}

#[test]
fn a_release_tag_that_adds_a_gpl_spdx_header_to_a_source_file_is_read_and_named() {
    let (fx, mut tree, tip) = frontend_with_releases(210);
    tree.insert(
        "app/controllers/Copied.scala".into(),
        b"// SPDX-License-Identifier: GPL-3.0-only\nobject Copied\n".to_vec(),
    );
    commit_at(&fx, "refs/tags/v9.9.9", &tree, Some(tip), 1_500_000_000);
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("refs/tags/v9.9.9") && w.contains("GPL-3.0")),
        "{:#?}",
        r.verdict.reasons()
    );
}

/// Discovery's header scan reads at most so many files, breadth first. A branch that deletes one file with no
/// header ahead of the bound brings a file with a GPL header within it: the branch's evidence is not its
/// base's, though no changed file holds a header.
#[test]
fn a_deletion_that_brings_a_gpl_header_within_the_header_scan_bound_is_read_not_carried() {
    let fx = RepoFixture::bare();
    let mut tree = files(&[
        ("LICENSE", &mit()),
        (
            "z/late.py",
            "# SPDX-License-Identifier: GPL-3.0-only\nvalue = 1\n",
        ),
    ]);
    for f in 0..5 {
        tree.insert(format!("a{f}.py"), format!("value = {f}\n").into_bytes());
    }
    let main = commit_at(&fx, "refs/heads/main", &tree, None, 1_700_000_000);
    fx.set_head("main");
    tree.remove("a0.py");
    let branch = commit_at(&fx, "refs/heads/trim", &tree, Some(main), 1_700_000_100);
    let limits = Limits {
        max_files_scanned_for_headers: 5,
        ..Limits::default()
    };
    let (report, ledger) =
        evidence_and_ledger(fx.path(), &DETECTOR, &limits, &RefLimits::default()).unwrap();
    let entry = ledger
        .iter()
        .find(|e| e.reference == "refs/heads/trim")
        .unwrap();
    let full = read_in_full_with(&fx, branch, "refs/heads/trim", &limits);
    assert!(
        full.candidates.iter().any(|c| c.path == "z/late.py"),
        "read in full, the branch's header scan reaches z/late.py: {full:#?}"
    );
    assert_eq!(entry.evidence, fingerprint(&full), "{entry:?}");
    let verdict = judge("fixture", &report, &Policy::default());
    assert_eq!(verdict.name(), "needs-review", "{:?}", verdict.reasons());
}

/// Release tags chained one after another, each changing a source file in place, in a tree whose header scan
/// reads all but one of the files it may read: the count of files the scan reads does not grow with every
/// tag (a file changed in place is still one file), so every tag is judged by its difference from the one
/// before, none read in full, and each carries exactly what reading it in full gives.
#[test]
fn tags_that_change_files_in_place_below_the_header_scan_bound_are_all_carried_not_read() {
    let fx = RepoFixture::bare();
    let mut tree = files(&[("LICENSE", &mit())]);
    for f in 0..7 {
        tree.insert(
            format!("src/m{f}.py"),
            format!("value = {f}\n").into_bytes(),
        );
    }
    let limits = Limits {
        max_files_scanned_for_headers: 8,
        ..Limits::default()
    };
    let mut parent = commit_at(&fx, "refs/heads/main", &tree, None, 1_600_000_000);
    fx.set_head("main");
    let mut tags = Vec::new();
    for i in 0..30 {
        tree.insert(
            "src/m3.py".into(),
            format!("value = {}\n", 100 + i).into_bytes(),
        );
        let name = format!("refs/tags/v{i}");
        parent = commit_at(&fx, &name, &tree, Some(parent), 1_500_000_000 + i);
        tags.push((name, parent));
    }
    let (report, ledger) =
        evidence_and_ledger(fx.path(), &DETECTOR, &limits, &RefLimits::default()).unwrap();
    let judged = report.refs.as_ref().unwrap();
    assert_eq!(judged.trees_read, 0, "{judged:?}");
    assert_eq!(judged.by_difference, 30, "{judged:?}");
    for (name, commit) in &tags {
        let entry = ledger.iter().find(|e| &e.reference == name).unwrap();
        let full = read_in_full_with(&fx, *commit, name, &limits);
        assert_eq!(entry.evidence, fingerprint(&full), "{entry:?}");
    }
}

/// A tree whose header scan stops at its bound: what it reads is the files it may read up to the last one it
/// read, in its own order (breadth first, each folder in git's order). Tags that change a file in place
/// before that file, or add, change or remove files after it, leave what the scan reads the same and are
/// carried; a branch that removes files before it moves the window onto a GPL header and is read in full;
/// every ref carries exactly what reading it in full gives.
#[test]
fn tags_that_leave_the_header_scan_window_as_it_was_at_its_bound_are_carried_and_others_read() {
    let fx = RepoFixture::bare();
    let mut tree = files(&[("LICENSE", &mit())]);
    for f in 0..4 {
        tree.insert(format!("a{f}.py"), format!("value = {f}\n").into_bytes());
    }
    tree.insert("src/deep/z0.py".into(), b"late = 0\n".to_vec());
    tree.insert(
        "src/deep/zz.py".into(),
        b"# SPDX-License-Identifier: GPL-3.0-only\nlate = 9\n".to_vec(),
    );
    // The scan reads a0..a3 and stops: src/deep is past its bound.
    let limits = Limits {
        max_files_scanned_for_headers: 4,
        ..Limits::default()
    };
    let main = commit_at(&fx, "refs/heads/main", &tree, None, 1_600_000_000);
    fx.set_head("main");
    let mut carried = Vec::new();
    let mut read = Vec::new();
    let mut parent = main;
    for i in 0..20i64 {
        let mut t = tree.clone();
        t.insert(
            "a1.py".into(),
            format!("value = {}\n", 100 + i).into_bytes(),
        );
        t.insert(format!("src/deep/new{i}.py"), b"new = 1\n".to_vec());
        let name = format!("refs/tags/v{i}");
        parent = commit_at(&fx, &name, &t, Some(parent), 1_500_000_000 + i);
        carried.push((name, parent));
    }
    let mut t = tree.clone();
    t.remove("a3.py");
    t.remove("a2.py");
    read.push((
        "refs/heads/window".to_string(),
        commit_at(&fx, "refs/heads/window", &t, Some(main), 1_400_000_000),
    ));
    let (report, ledger) =
        evidence_and_ledger(fx.path(), &DETECTOR, &limits, &RefLimits::default()).unwrap();
    let judged = report.refs.as_ref().unwrap();
    for (name, commit) in carried.iter().chain(&read) {
        let entry = ledger.iter().find(|e| &e.reference == name).unwrap();
        let full = read_in_full_with(&fx, *commit, name, &limits);
        assert_eq!(entry.evidence, fingerprint(&full), "{entry:?}");
        let expected_read = read.iter().any(|(n, _)| n == name);
        assert_eq!(
            entry.judgement == Judgement::Read,
            expected_read,
            "{name}: {entry:?}"
        );
    }
    let window = read_in_full_with(&fx, read[0].1, "refs/heads/window", &limits);
    assert!(
        window.candidates.iter().any(|c| c.path == "src/deep/zz.py"),
        "with two files fewer before it, the branch's scan reaches the GPL header: {window:#?}"
    );
    assert_eq!(judged.trees_read, 1, "{judged:?}");
}

/// At its bound, with no SPDX line in what it read, the scan counts files past the bound too: a window with
/// room, so that tags that each remove a file before its end (a release that deletes a source file) are
/// carried, and carry exactly what reading them in full gives.
#[test]
fn tags_that_remove_files_before_the_end_of_a_header_scan_window_with_room_are_carried() {
    let fx = RepoFixture::bare();
    let mut tree = files(&[("LICENSE", &mit())]);
    for f in 0..4 {
        tree.insert(format!("a{f}.py"), format!("value = {f}\n").into_bytes());
    }
    for f in 0..6 {
        tree.insert(format!("src/b{f}.py"), format!("late = {f}\n").into_bytes());
    }
    let limits = Limits {
        max_files_scanned_for_headers: 4,
        ..Limits::default()
    };
    let main = commit_at(&fx, "refs/heads/main", &tree, None, 1_600_000_000);
    fx.set_head("main");
    let mut tags = Vec::new();
    for i in 0..6i64 {
        let mut t = tree.clone();
        t.remove(&format!("a{}.py", i % 4));
        t.remove(&format!("src/b{i}.py"));
        let name = format!("refs/tags/v{i}");
        tags.push((
            name.clone(),
            commit_at(&fx, &name, &t, Some(main), 1_500_000_000 + i),
        ));
    }
    let (report, ledger) =
        evidence_and_ledger(fx.path(), &DETECTOR, &limits, &RefLimits::default()).unwrap();
    for (name, commit) in &tags {
        let entry = ledger.iter().find(|e| &e.reference == name).unwrap();
        let full = read_in_full_with(&fx, *commit, name, &limits);
        assert_eq!(entry.evidence, fingerprint(&full), "{entry:?}");
    }
    let judged = report.refs.as_ref().unwrap();
    assert_eq!(judged.trees_read, 0, "{judged:?}");
}

/// A monorepo's release tags, each changing a package's README (a licence-like name below the root, so each
/// tree is read in full): what DEFRA's biodiversity-net-gain-service looks like, with 389 such tags.
#[test]
fn two_hundred_and_fifty_tags_that_each_must_be_read_in_full_are_all_judged_and_allowed() {
    let fx = RepoFixture::bare();
    let mut tree = files(&[
        ("LICENSE", &mit()),
        (
            "README.md",
            "# Service\n\n## Licence\n\nMIT, see LICENSE.\n",
        ),
        ("packages/functions/LICENSE", &mit()),
        ("packages/webapp/index.js", "module.exports = 0;\n"),
    ]);
    for f in 0..40 {
        tree.insert(
            format!("packages/webapp/src/view{f}.js"),
            format!("export const v = {f};\n").into_bytes(),
        );
    }
    let mut parent = None;
    for i in 0..250 {
        tree.insert(
            "packages/functions/README.md".into(),
            format!("# Functions\n\nRelease {i}: more functions.\n").into_bytes(),
        );
        parent = Some(commit_at(
            &fx,
            &format!("refs/tags/v0.{i}.0"),
            &tree,
            parent,
            1_600_000_000 + i as i64 * 86_400,
        ));
    }
    tree.insert(
        "packages/functions/README.md".into(),
        b"# Functions\n\nUnreleased.\n".to_vec(),
    );
    commit_at(&fx, "refs/heads/main", &tree, parent, 1_700_000_000);
    fx.set_head("main");
    let started = std::time::Instant::now();
    let r = check_fixture(&fx);
    eprintln!("250 tags read in full: check took {:?}", started.elapsed());
    let refs = r.report.as_ref().unwrap().refs.as_ref().unwrap();
    assert!(refs.not_read.is_empty(), "{:?}", refs.not_read);
    assert_eq!(refs.pushed, 251);
    assert_eq!(refs.trees_read + refs.by_difference, 250, "{refs:?}");
    assert_eq!(r.verdict, "allowed", "{:#?}", r.verdict.reasons());
}

#[test]
fn trees_past_the_bound_on_full_reads_are_named_while_the_rest_are_judged_by_difference() {
    let fx = RepoFixture::bare();
    let base = files(&[("LICENSE", &mit()), ("src/app.py", "print(0)\n")]);
    let tip = commit_at(&fx, "refs/heads/main", &base, None, 1_700_000_000);
    // Four branches that add a licence file (each must be read in full), four that change code only.
    for i in 0..4 {
        let mut tree = base.clone();
        tree.insert(format!("LICENSE-{i}"), mit().into_bytes());
        commit_at(
            &fx,
            &format!("refs/heads/licence-{i}"),
            &tree,
            Some(tip),
            1_600_000_000 - i,
        );
        let mut tree = base.clone();
        tree.insert(
            "src/app.py".into(),
            format!("print({})\n", i + 1).into_bytes(),
        );
        commit_at(
            &fx,
            &format!("refs/heads/code-{i}"),
            &tree,
            Some(tip),
            1_650_000_000 - i,
        );
    }
    fx.set_head("main");
    let limits = RefLimits {
        max_read_entries: 8,
        ..RefLimits::default()
    };
    let (report, ledger) =
        evidence_and_ledger(fx.path(), &DETECTOR, &Limits::default(), &limits).unwrap();
    let refs = report.refs.as_ref().unwrap();
    assert_eq!(refs.trees_read, 2, "{refs:?}");
    let not_read: Vec<&str> = ledger
        .iter()
        .filter(|e| e.judgement == Judgement::NotRead)
        .map(|e| e.reference.as_str())
        .collect();
    assert_eq!(not_read.len(), 2, "{ledger:#?}");
    assert!(
        not_read
            .iter()
            .all(|r| r.starts_with("refs/heads/licence-"))
    );
    assert_eq!(refs.not_read.len(), 1, "{refs:?}");
    assert!(refs.not_read[0].contains("and 1 more"), "{refs:?}");
    let verdict = judge("fixture", &report, &Policy::default());
    assert!(
        verdict
            .reasons()
            .iter()
            .any(|w| w.contains("was not judged") && w.contains(not_read[0])),
        "{verdict:?}"
    );
    for code in 0..4 {
        let entry = ledger
            .iter()
            .find(|e| e.reference == format!("refs/heads/code-{code}"))
            .unwrap();
        assert!(
            matches!(entry.judgement, Judgement::ByDifference { .. }),
            "{entry:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Third-party assets over the pushed history

fn gov_uk_font() -> Vec<u8> {
    use crate::assets::{COPYRIGHT, LICENSE, LICENSE_URL, MANUFACTURER, font_tables, woff2};
    woff2(&font_tables(&[
        (
            COPYRIGHT,
            "Copyright (c) 2011 by Margaret Calvert and Henrik Kubel. All rights reserved. GDS Transport has been customised exclusively for the UK Government Digital Services. The font is not commercially available.",
        ),
        (MANUFACTURER, "Margaret Calvert and Henrik Kubel"),
        (
            LICENSE,
            "Contact Margaret Calvert and Henrik Kubel at Special license agreement. for details.",
        ),
        (LICENSE_URL, "Special license agreement."),
    ]))
}

/// An MIT repository whose `main` once held `path` (bytes `font`), deleted in a later commit.
fn font_only_in_history(path: &str, font: Vec<u8>) -> RepoFixture {
    let fx = RepoFixture::bare();
    let mut tree = files(&[("LICENSE", &mit()), ("app.js", "start();\n")]);
    tree.insert(path.into(), font);
    let first = commit_at(&fx, "refs/heads/main", &tree, None, 1_570_000_000);
    tree.remove(path);
    tree.insert("app.js".into(), b"start(2);\n".to_vec());
    commit_at(&fx, "refs/heads/main", &tree, Some(first), 1_700_000_000);
    fx.set_head("main");
    fx
}

#[test]
fn a_font_for_exclusive_government_use_that_exists_only_in_history_needs_review_naming_it() {
    let fx = font_only_in_history("assets/fonts/light-94a07e06a1-v2.woff2", gov_uk_font());
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("assets/fonts/light-94a07e06a1-v2.woff2")
                && w.contains("exclusively for")),
        "{:#?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_restricted_font_in_history_under_a_name_that_says_nothing_is_found_by_its_bytes() {
    let fx = font_only_in_history("assets/fonts/transport-light", gov_uk_font());
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("assets/fonts/transport-light") && w.contains("font")),
        "{:#?}",
        r.verdict.reasons()
    );
}

#[test]
fn an_open_font_in_history_and_other_binaries_without_extension_leave_the_verdict_allowed() {
    use crate::assets::{LICENSE, LICENSE_URL, OFL_TERMS, font_tables, woff2};
    let fx = RepoFixture::bare();
    let ofl = woff2(&font_tables(&[
        (LICENSE, OFL_TERMS),
        (LICENSE_URL, "https://openfontlicense.org"),
    ]));
    let mut tree = files(&[("LICENSE", &mit()), ("app.js", "start();\n")]);
    tree.insert("fonts/open.woff2".into(), ofl);
    // Bytes that start like a TrueType font but are not one, and a compiled binary.
    tree.insert(
        "bin/data".into(),
        [0u8, 1, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9].to_vec(),
    );
    tree.insert(
        "bin/tool".into(),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0".to_vec(),
    );
    let first = commit_at(&fx, "refs/heads/main", &tree, None, 1_570_000_000);
    tree.remove("fonts/open.woff2");
    tree.remove("bin/data");
    commit_at(&fx, "refs/heads/main", &tree, Some(first), 1_700_000_000);
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "allowed", "{:#?}", r.verdict.reasons());
}

// ---------------------------------------------------------------------------------------------------------
// The property: the ledger accounts for every ref, and judging by difference is reading in full

/// The files an edit may touch: plain code, licence evidence of every kind discovery reads, and the places
/// where a plain file matters (beside a licence deep in the documentation, in a licence-named folder).
#[derive(Debug, Clone)]
enum Edit {
    /// Change (or add) a plain source file.
    Code(u8, u8),
    /// Remove a plain source file.
    RemoveCode(u8),
    /// Bump the version in package.json, its licence unchanged.
    Bump(u8),
    /// Give package.json another licence.
    PackageLicence(u8),
    /// Rewrite README's release notes, its licence section unchanged.
    Notes(u8),
    /// Change README's licence section.
    ReadmeLicence(u8),
    /// Change the holder line of LICENSE, or replace it with Apache-2.0.
    Licence(u8),
    /// Add an SPDX header to a source file.
    Header(u8, u8),
    /// Add or change a NOTICE below the root.
    Notice(u8),
    /// Add a file beside a licence file deep in the documentation (`docs/js/lib/`).
    BesideDeepLicence(u8),
    /// Add a file inside a licence-named folder.
    InLicenceFolder(u8),
    /// Add a root entry (it changes what lies outside nested licence folders).
    RootFile(u8),
    /// A symbolic link to a plain file, read as the licence.
    LinkedLicence(u8),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0u8..6, any::<u8>()).prop_map(|(f, v)| Edit::Code(f, v)),
        1 => (0u8..6).prop_map(Edit::RemoveCode),
        3 => any::<u8>().prop_map(Edit::Bump),
        1 => (0u8..4).prop_map(Edit::PackageLicence),
        2 => any::<u8>().prop_map(Edit::Notes),
        1 => (0u8..3).prop_map(Edit::ReadmeLicence),
        1 => (0u8..4).prop_map(Edit::Licence),
        1 => (0u8..6, 0u8..3).prop_map(|(f, l)| Edit::Header(f, l)),
        1 => (0u8..3).prop_map(Edit::Notice),
        1 => any::<u8>().prop_map(Edit::BesideDeepLicence),
        1 => any::<u8>().prop_map(Edit::InLicenceFolder),
        1 => any::<u8>().prop_map(Edit::RootFile),
        1 => (0u8..3).prop_map(Edit::LinkedLicence),
    ]
}

fn apply(tree: &mut BTreeMap<String, Vec<u8>>, links: &mut BTreeMap<String, String>, edit: &Edit) {
    let mut put = |p: &str, t: String| {
        tree.insert(p.to_string(), t.into_bytes());
    };
    match edit {
        Edit::Code(f, v) => put(&format!("src/mod{f}.py"), format!("value = {v}\n")),
        Edit::RemoveCode(f) => {
            tree.remove(&format!("src/mod{f}.py"));
        }
        Edit::Bump(v) => put("package.json", package_json(*v as usize, "MIT")),
        Edit::PackageLicence(l) => put(
            "package.json",
            package_json(1, ["MIT", "GPL-3.0-only", "UNLICENSED", "ISC"][*l as usize]),
        ),
        Edit::Notes(v) => put(
            "README.md",
            format!("# Project\n\nRelease {v}.\n\n## Licence\n\nMIT, see LICENSE.\n"),
        ),
        Edit::ReadmeLicence(l) => put(
            "README.md",
            format!(
                "# Project\n\nRelease 1.\n\n## Licence\n\n{}\n",
                [
                    "MIT, see LICENSE.",
                    "All rights reserved. Not for redistribution.",
                    "Licensed under the GNU General Public License v3.0."
                ][*l as usize]
            ),
        ),
        Edit::Licence(l) => put(
            "LICENSE",
            match l {
                3 => APACHE.to_string(),
                y => MIT.replace(
                    "<year> <copyright holders>",
                    &format!("20{} Crown Copyright", 10 + y),
                ),
            },
        ),
        Edit::Header(f, l) => put(
            &format!("src/mod{f}.py"),
            format!(
                "# SPDX-License-Identifier: {}\nvalue = 1\n",
                ["MIT", "GPL-3.0-only", "Apache-2.0"][*l as usize]
            ),
        ),
        Edit::Notice(n) => put(
            "lib/NOTICE",
            [
                "This product includes software developed at Example.\n",
                "Redistribution of this folder is not permitted.\n",
                "Copyright 2020 Example Ltd.\n",
            ][*n as usize]
                .to_string(),
        ),
        Edit::BesideDeepLicence(v) => {
            put(&format!("docs/js/lib/extra{v}.js"), format!("x({v});\n"))
        }
        Edit::InLicenceFolder(v) => put(&format!("licence-texts/extra{v}.txt"), format!("{v}\n")),
        Edit::RootFile(v) => put(&format!("CHANGELOG-{v}.md"), format!("{v}\n")),
        Edit::LinkedLicence(t) => {
            let target = ["legal/terms.txt", "src/mod0.py", "docs/terms.txt"][*t as usize];
            links.insert("pkg/LICENSE".into(), format!("../{target}"));
        }
    }
}

/// The starting tree: an MIT repository with code, a README with a licence section, a package.json, a
/// licence file deep in the documentation beside code, and a nested licence folder.
fn start_tree() -> BTreeMap<String, Vec<u8>> {
    let mut tree = files(&[
        ("LICENSE", &mit()),
        (
            "README.md",
            "# Project\n\nRelease 0.\n\n## Licence\n\nMIT, see LICENSE.\n",
        ),
        ("docs/js/lib/license.txt", &mit()),
        ("docs/js/lib/lib.css", "p {}\n"),
        ("packages/widget/LICENSE", &mit()),
        ("packages/widget/index.js", "module.exports = 1;\n"),
        ("legal/terms.txt", "Terms: MIT.\n"),
    ]);
    tree.insert("package.json".into(), package_json(0, "MIT").into_bytes());
    for f in 0..6 {
        tree.insert(
            format!("src/mod{f}.py"),
            format!("value = {f}\n").into_bytes(),
        );
    }
    tree
}

/// A ref: derived from the default tree or an earlier ref, by a few edits.
#[derive(Debug, Clone)]
struct RefPlan {
    from: usize,
    edits: Vec<Edit>,
    tag: bool,
    time: i64,
}

fn plan_strategy() -> impl Strategy<Value = Vec<RefPlan>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(edit_strategy(), 1..4),
            any::<bool>(),
            0i64..1_000,
        ),
        1..9,
    )
    .prop_map(|refs| {
        refs.into_iter()
            .enumerate()
            .map(|(i, (from, edits, tag, time))| RefPlan {
                from: from.index(i + 1),
                edits,
                tag,
                time,
            })
            .collect()
    })
}

fn build(plans: &[RefPlan]) -> (RepoFixture, Vec<(String, Oid)>) {
    let fx = RepoFixture::bare();
    let base = start_tree();
    let main = commit_at(&fx, "refs/heads/main", &base, None, 1_700_000_500);
    fx.set_head("main");
    let mut trees = vec![(base, BTreeMap::<String, String>::new(), main)];
    let mut refs = vec![("refs/heads/main".to_string(), main)];
    for (i, plan) in plans.iter().enumerate() {
        let (mut tree, mut links, parent) = trees[plan.from].clone();
        for edit in &plan.edits {
            apply(&mut tree, &mut links, edit);
        }
        let name = if plan.tag {
            format!("refs/tags/v{i}")
        } else {
            format!("refs/heads/b{i}")
        };
        let id = if links.is_empty() {
            commit_at(&fx, &name, &tree, Some(parent), 1_700_000_000 + plan.time)
        } else {
            let mut spec = spec(&tree);
            for (path, target) in &links {
                spec = spec.symlink(path, target);
            }
            let repo = fx.repo();
            let t = repo.find_tree(fx.write_tree(&spec)).unwrap();
            let sig = Signature::new(
                "F",
                "f@example.invalid",
                &Time::new(1_700_000_000 + plan.time, 0),
            )
            .unwrap();
            let p = repo.find_commit(parent).unwrap();
            let id = repo.commit(None, &sig, &sig, "link", &t, &[&p]).unwrap();
            repo.reference(&name, id, true, "fixture").unwrap();
            id
        };
        trees.push((tree, links, id));
        refs.push((name, id));
    }
    (fx, refs)
}

/// What discovery reads from `commit`'s tree, read in full on its own (assets aside: they are judged over
/// every pushed blob at once).
fn read_in_full(fx: &RepoFixture, commit: Oid, name: &str) -> keepopen::license::Discovery {
    read_in_full_with(fx, commit, name, &Limits::default())
}

fn read_in_full_with(
    fx: &RepoFixture,
    commit: Oid,
    name: &str,
    limits: &Limits,
) -> keepopen::license::Discovery {
    let repo = git2::Repository::from_odb(fx.repo().odb().unwrap()).unwrap();
    let mut d = discovery::discover_commit(
        &repo,
        fx.path(),
        commit,
        name,
        limits,
        &mut HeaderCache::default(),
    )
    .unwrap();
    d.assets = Default::default();
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    /// Every pushed ref is judged, and judging by difference is reading in full: for random ref sets, the ledger
    /// holds each ref exactly once, none is left unjudged within the default bounds, and each ref's evidence
    /// is exactly what discovery reads from its own tree; so the verdict is the one reading every ref in full
    /// gives.
    #[test]
    fn every_pushed_ref_is_judged_and_judging_by_difference_equals_reading_in_full(plans in plan_strategy()) {
        let (fx, refs) = build(&plans);
        let (report, ledger) = evidence_and_ledger(fx.path(), &DETECTOR, &Limits::default(), &RefLimits::default()).unwrap();
        let mut names: Vec<&str> = ledger.iter().map(|e: &LedgerEntry| e.reference.as_str()).collect();
        names.sort();
        let mut pushed: Vec<&str> = refs.iter().map(|(n, _)| n.as_str()).collect();
        pushed.sort();
        pushed.dedup();
        prop_assert_eq!(&names, &pushed, "one ledger entry per pushed ref");
        for entry in &ledger {
            prop_assert!(entry.judgement != Judgement::NotRead, "{:?}", entry);
            let commit = refs.iter().find(|(n, _)| *n == entry.reference).unwrap().1;
            let full = read_in_full(&fx, commit, &entry.reference);
            prop_assert_eq!(&entry.evidence, &fingerprint(&full), "{} judged {:?}", entry.reference, entry.judgement);
        }
        // A ref whose evidence differs carries the report reading it in full gives (reports are shared
        // between refs whose evidence differs only in the files' digests).
        for other in &report.refs.as_ref().unwrap().differing {
            let commit = refs.iter().find(|(n, _)| *n == other.reference).unwrap().1;
            let mut fresh = DETECTOR.detect(&read_in_full(&fx, commit, &other.reference));
            fresh.commit = other.report.commit.clone();
            fresh.branch = other.report.branch.clone();
            prop_assert_eq!(&*other.report, &fresh, "{}", other.reference);
        }
        // The oracle: no comparison at all, every tree read in full.
        let every = RefLimits { max_changes: 0, ..RefLimits::default() };
        let (oracle, _) = evidence_and_ledger(fx.path(), &DETECTOR, &Limits::default(), &every).unwrap();
        let policy = Policy::default();
        prop_assert_eq!(
            judge("fixture", &report, &policy).name(),
            judge("fixture", &oracle, &policy).name()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    /// The bounds on work only move refs to *not judged*: for random ref sets and random (small) bounds on the
    /// tree entries walked, the bytes read and the changed files compared, every pushed ref has exactly one
    /// ledger entry; a ref judged carries exactly what discovery reads from its own tree; a ref not judged is
    /// named and makes the verdict *needs review*; and the verdict is the one reading every ref in full gives,
    /// or *needs review*, never anything else.
    #[test]
    fn bounds_on_work_leave_refs_named_and_unjudged_never_misjudged(
        plans in plan_strategy(),
        entries in 0usize..120,
        bytes in 0usize..12_000,
        changes in 0usize..40,
        header_files in 1usize..10,
    ) {
        let (fx, refs) = build(&plans);
        let bounded = RefLimits { max_read_entries: entries, max_read_bytes: bytes, max_changes: changes, ..RefLimits::default() };
        // Discovery's own bound on the files its header scan reads, small enough to be reached.
        let limits = Limits { max_files_scanned_for_headers: header_files, ..Limits::default() };
        let (report, ledger) = evidence_and_ledger(fx.path(), &DETECTOR, &limits, &bounded).unwrap();
        let mut names: Vec<&str> = ledger.iter().map(|e| e.reference.as_str()).collect();
        names.sort();
        let mut pushed: Vec<&str> = refs.iter().map(|(n, _)| n.as_str()).collect();
        pushed.sort();
        pushed.dedup();
        prop_assert_eq!(&names, &pushed, "one ledger entry per pushed ref");
        let judged = report.refs.as_ref().unwrap();
        let policy = Policy::default();
        let verdict = judge("fixture", &report, &policy);
        let unjudged: Vec<&LedgerEntry> = ledger.iter().filter(|e| e.judgement == Judgement::NotRead).collect();
        if !unjudged.is_empty() {
            prop_assert!(
                judged.not_read.iter().any(|n| unjudged.iter().any(|e| n.contains(&e.reference))),
                "an unjudged ref is named: {:?}", judged.not_read
            );
            prop_assert_eq!(verdict.name(), "needs-review");
        }
        for entry in ledger.iter().filter(|e| e.judgement != Judgement::NotRead) {
            let commit = refs.iter().find(|(n, _)| *n == entry.reference).unwrap().1;
            let full = read_in_full_with(&fx, commit, &entry.reference, &limits);
            prop_assert_eq!(&entry.evidence, &fingerprint(&full), "{} judged {:?}", entry.reference, entry.judgement);
        }
        let (oracle, _) = evidence_and_ledger(fx.path(), &DETECTOR, &limits, &RefLimits { max_changes: 0, ..RefLimits::default() }).unwrap();
        let expected = judge("fixture", &oracle, &policy);
        prop_assert!(
            verdict.name() == expected.name() || verdict.name() == "needs-review",
            "bounded {} against read in full {}", verdict.name(), expected.name()
        );
    }

    /// A blob's reading never changes: reading every ref's tree through one cache shared by all (in reverse
    /// order, so trees read later find their blobs read by others) gives each tree exactly the evidence a fresh
    /// read with an empty cache gives.
    #[test]
    fn reading_trees_through_a_shared_blob_cache_equals_reading_each_afresh(plans in plan_strategy()) {
        let (fx, refs) = build(&plans);
        let repo = git2::Repository::from_odb(fx.repo().odb().unwrap()).unwrap();
        let mut shared = HeaderCache::default();
        for (name, commit) in refs.iter().rev() {
            let cached = discovery::discover_commit_evidence(&repo, fx.path(), *commit, name, &Limits::default(), &mut shared).unwrap();
            let fresh = read_in_full(&fx, *commit, name);
            prop_assert_eq!(&cached, &fresh, "{}", name);
        }
        prop_assert!(shared.work.blobs > 0);
    }
}

// ---------------------------------------------------------------------------------------------------------
// The property for the header scan's bound: what a tree's scan reads, carried across trees

/// Folders whose files' order in the header scan is easy to get wrong (`a-b/` sorts before `a/` in git's
/// order, `a.b` before `a/` too), a vendored folder and a REUSE folder the scan does not read, a licence-named
/// folder, and deeper folders.
const SCAN_PLACES: &[&str] = &[
    "",
    "a",
    "a-b",
    "a.b",
    "a/b",
    "a/b-c",
    "vendor/lib",
    "LICENSES",
    "legal",
    "src/deep/er",
    "docs",
];

/// What an edit writes: code the scan reads, an empty file (not read, so not counted), a header (MIT or
/// GPL), a binary file (read, no header), a file past the size the scan reads (not counted).
const SCAN_CONTENTS: u8 = 6;

fn scan_content(kind: u8, v: u8) -> Vec<u8> {
    match kind {
        0 => format!("value = {v}\n").into_bytes(),
        1 => Vec::new(),
        2 => b"# SPDX-License-Identifier: MIT\nv = 1\n".to_vec(),
        3 => b"# SPDX-License-Identifier: GPL-3.0-only\nv = 1\n".to_vec(),
        4 => vec![0, 1, 2, v],
        _ => vec![b'x'; 3000],
    }
}

/// A file name in a place: code, Markdown (read as Markdown), a name without extension, media the scan
/// never reads, a README (a candidate at the root, so not read there).
fn scan_path(place: u8, name: u8) -> String {
    let place = SCAN_PLACES[place as usize % SCAN_PLACES.len()];
    let file = match name % 8 {
        0..=2 => format!("f{}.py", name % 5),
        3 => "f1.md".to_string(),
        4 => "f1".to_string(),
        5 => "f1.png".to_string(),
        6 => "README.md".to_string(),
        _ => format!("f1{}.py", name % 3),
    };
    match place {
        "" => file,
        p => format!("{p}/{file}"),
    }
}

#[derive(Debug, Clone)]
enum ScanEdit {
    Put(u8, u8, u8, u8),
    Remove(u8, u8),
}

fn scan_edit_strategy() -> impl Strategy<Value = ScanEdit> {
    prop_oneof![
        3 => (any::<u8>(), any::<u8>(), 0..SCAN_CONTENTS, any::<u8>())
            .prop_map(|(p, n, k, v)| ScanEdit::Put(p, n, k, v)),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(p, n)| ScanEdit::Remove(p, n)),
    ]
}

fn scan_start(seed: &[(u8, u8, u8)]) -> BTreeMap<String, Vec<u8>> {
    let mut tree = files(&[("LICENSE", &mit())]);
    for (i, (place, name, kind)) in seed.iter().enumerate() {
        tree.insert(
            scan_path(*place, *name),
            scan_content(*kind % SCAN_CONTENTS, i as u8),
        );
    }
    tree
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Carrying what the header scan reads across trees is reading each tree in full: for random trees of
    /// files the scan reads or not (empty, binary, too big, media, vendored, in a REUSE or licence-named
    /// folder, at depths and names whose order is easy to get wrong, with and without MIT or GPL headers)
    /// and random ref sets derived from them by adding, changing and removing such files, with a small
    /// bound on the files the scan reads (so that it is reached, or not, as it happens): every ref is
    /// judged, and each carries exactly the evidence discovery reads from its own tree in full.
    #[test]
    fn the_header_scan_window_carried_across_refs_equals_reading_each_ref_in_full(
        seed in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..24),
        plans in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::collection::vec(scan_edit_strategy(), 1..5), 0i64..1_000),
            1..10,
        ),
        bound in 1usize..14,
    ) {
        let limits = Limits { max_files_scanned_for_headers: bound, max_blob_bytes: 2048, ..Limits::default() };
        let fx = RepoFixture::bare();
        let start = scan_start(&seed);
        let main = commit_at(&fx, "refs/heads/main", &start, None, 1_700_000_500);
        fx.set_head("main");
        let mut trees = vec![(start, main)];
        let mut refs = vec![("refs/heads/main".to_string(), main)];
        for (i, (from, edits, time)) in plans.iter().enumerate() {
            let (mut tree, parent) = trees[from.index(i + 1)].clone();
            for edit in edits {
                match edit {
                    ScanEdit::Put(p, n, k, v) => {
                        tree.insert(scan_path(*p, *n), scan_content(*k, *v));
                    }
                    ScanEdit::Remove(p, n) => {
                        tree.remove(&scan_path(*p, *n));
                    }
                }
            }
            let name = format!("refs/tags/v{i}");
            let id = commit_at(&fx, &name, &tree, Some(parent), 1_700_000_000 + time);
            trees.push((tree, id));
            refs.push((name, id));
        }
        let (_, ledger) = evidence_and_ledger(fx.path(), &DETECTOR, &limits, &RefLimits::default()).unwrap();
        prop_assert_eq!(ledger.len(), refs.len());
        for entry in &ledger {
            prop_assert!(entry.judgement != Judgement::NotRead, "{:?}", entry);
            let commit = refs.iter().find(|(n, _)| *n == entry.reference).unwrap().1;
            let full = read_in_full_with(&fx, commit, &entry.reference, &limits);
            prop_assert_eq!(&entry.evidence, &fingerprint(&full), "{} judged {:?}", entry.reference, entry.judgement);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The absence search and files missing from the store

/// A mirror whose store dropped two big files (as a store that keeps no file of 4 MiB or more does), in a
/// repository with no licence at all: the verdict names each missing file rather than saying a bound was
/// reached; the search goes on past the first. Data files cannot, by their paths, hold a licence for the
/// repository as a whole, so they do not keep the verdict from *forbidden* (`verdict::absence`).
#[test]
fn files_missing_from_the_store_are_each_named_and_the_absence_search_goes_on_past_them() {
    let fx = RepoFixture::bare();
    let first = fx.blob(b"id,value\n1,2\n");
    let second = fx.blob(b"id,other\n3,4\n");
    fx.commit(
        "main",
        &TreeSpec::new()
            .blob("a-extract.csv", first)
            .file("src/app.py", "print('hello')\n")
            .blob("zz/b-extract.csv", second),
    );
    fx.set_head("main");
    fx.remove_object(first);
    fx.remove_object(second);
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "forbidden", "{:#?}", r.verdict.reasons());
    let reasons = r.verdict.reasons().join("\n");
    assert!(
        reasons.contains("a-extract.csv in refs/heads/main")
            && reasons.contains("zz/b-extract.csv in refs/heads/main"),
        "{reasons}"
    );
    assert!(!reasons.contains("stopped at its bound"), "{reasons}");
    let search = r.report.as_ref().unwrap().absence.as_ref().unwrap();
    assert_eq!(search.unread_count, 2, "{search:?}");
    assert!(!search.complete);
}

/// The same with a line naming a licence after the missing file: it is found (the search did not stop).
#[test]
fn a_licence_named_after_a_missing_file_is_still_found() {
    let fx = RepoFixture::bare();
    let missing = fx.blob(b"big data\n");
    fx.commit(
        "main",
        &TreeSpec::new().blob("a-extract.csv", missing).file(
            "zz/notes.txt",
            "This code is licensed under the MIT License.\n",
        ),
    );
    fx.set_head("main");
    fx.remove_object(missing);
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:#?}", r.verdict.reasons());
    let search = r.report.as_ref().unwrap().absence.as_ref().unwrap();
    assert!(
        search.mentions.iter().any(|m| m.file == "zz/notes.txt"),
        "{search:?}"
    );
}
