//! Committed packages (`node_modules/<pkg>/`, `vendor/`, `third_party/`): a package's licence file beside a
//! manifest that declares the same licence is read as that package's licence text, its differences judged
//! operative or not (`license::packages`). The fixtures are shaped like a branch that commits its
//! `node_modules/`: a BSD licence under its own title with a variant wording, an ISC licence followed by the
//! MIT licence of a part it bundles, an ISC licence with its logo's Creative Commons terms. Beside them, the
//! cases that must still need a person: a manifest that disagrees, no manifest, a restriction or a narrowed
//! grantee written into the package's licence — the last as a property over a grammar of restrictions.

use keepopen::check::RepoCheck;
use keepopen::license::detect::Detector;
use keepopen::license::{Candidate, Discovery, Observation, SourceKind};
use keepopen::policy::Policy;
use keepopen::verdict::judge;
use proptest::prelude::*;

use crate::support::check::check_files;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const ISC: &str = include_str!("../../licenses/text/ISC.txt");
const BSD3: &str = include_str!("../../licenses/text/BSD-3-Clause.txt");

fn filled(text: &str, holder: &str) -> String {
    text.replace("<year>", "2015")
        .replace("<copyright holders>", holder)
        .replace("<owner>", holder)
}

/// A BSD-3-Clause text as some packages publish it: under its own title, "All rights reserved" under the
/// holder, "of this software" in the grant, the holder named in the third clause.
fn bsd_variant(holder: &str) -> String {
    let text = filled(BSD3, holder)
        .replace(
            "Redistribution and use in source",
            "Redistribution and use of this software in source",
        )
        .replace("the copyright holder nor", &format!("{holder} nor"));
    let text = text.replacen(
        &format!("{holder}."),
        &format!("{holder}\n\nAll rights reserved."),
        1,
    );
    format!("Software License Agreement (BSD License)\n\n{text}")
}

/// An ISC licence followed by the MIT licence of a part the package bundles, with a paragraph between that
/// says which part.
fn isc_with_bundled_mit() -> String {
    format!(
        "{}\n----\n\nThis package includes the path helpers of an older runtime, under that runtime's MIT licence.\n\nThe runtime's licence is below, and also at the top of `legacy.js`, which holds that code:\n\n{}",
        filled(ISC, "Pat Doe and Contributors"),
        filled(MIT, "Runtime Foundation and other contributors")
    )
}

/// An ISC licence with its logo's Creative Commons terms under a heading.
fn isc_with_logo() -> String {
    format!(
        "{}\n## The Logo\n\nThe logo was drawn by Sam Painter <https://example.org/>, licensed\nunder a Creative Commons Attribution-ShareAlike 4.0 International License\nhttps://creativecommons.org/licenses/by-sa/4.0/\n",
        filled(ISC, "Pat Doe and Contributors")
    )
}

fn package_json(name: &str, license: &str) -> String {
    format!(
        "{{\n  \"name\": \"{name}\",\n  \"version\": \"1.0.0\",\n  \"license\": \"{license}\"\n}}\n"
    )
}

/// A project under MIT that commits its `node_modules/`: each package a folder, a licence file and a manifest.
fn project(packages: &[(&str, String, Option<String>)]) -> Vec<(String, String)> {
    let mut files = vec![
        ("LICENSE".to_string(), filled(MIT, "Widget Department")),
        (
            "package.json".to_string(),
            package_json("edge-function", "MIT"),
        ),
        (
            "index.js".to_string(),
            "exports.handler = async (event) => event;\n".to_string(),
        ),
    ];
    for (name, licence, manifest) in packages {
        files.push((format!("node_modules/{name}/LICENSE"), licence.clone()));
        files.push((
            format!("node_modules/{name}/index.js"),
            "module.exports = {};\n".to_string(),
        ));
        if let Some(m) = manifest {
            files.push((format!("node_modules/{name}/package.json"), m.clone()));
        }
    }
    files
}

fn residue_in(r: &RepoCheck, path: &str) -> Vec<String> {
    r.observations
        .iter()
        .filter_map(|o| match o {
            Observation::Residue { file, line, text } if file == path => {
                Some(format!("{line}: {text}"))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn package_licences_that_agree_with_their_manifests_are_read_as_those_packages_licences() {
    let r = check_files(&project(&[
        (
            "diff",
            bsd_variant("Kim Maker"),
            Some(package_json("diff", "BSD-3-Clause")),
        ),
        (
            "path-helper",
            isc_with_bundled_mit(),
            Some(package_json("path-helper", "ISC")),
        ),
        (
            "glob-like",
            isc_with_logo(),
            Some(package_json("glob-like", "ISC")),
        ),
    ]));
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    // The settling is said on the package's findings, naming the manifest that agreed.
    let diff = r
        .findings
        .iter()
        .find(|f| f.file == "node_modules/diff/LICENSE")
        .expect("the package's licence is a finding");
    assert!(
        diff.notes
            .iter()
            .any(|n| n.contains("node_modules/diff/package.json declares BSD-3-Clause")),
        "{:?}",
        diff.notes
    );
}

#[test]
fn a_package_licence_without_a_manifest_or_with_one_that_disagrees_still_needs_a_person() {
    for manifest in [
        None,
        Some(package_json("diff", "MIT")),
        Some(package_json("diff", "UNLICENSED")),
        Some(package_json("diff", "BSD-3-Clause AND GPL-3.0-only")),
    ] {
        let r = check_files(&project(&[(
            "diff",
            bsd_variant("Kim Maker"),
            manifest.clone(),
        )]));
        assert_eq!(
            r.verdict,
            "needs-review",
            "{manifest:?}: {:?}",
            r.verdict.reasons()
        );
        assert!(
            !residue_in(&r, "node_modules/diff/LICENSE").is_empty(),
            "{manifest:?}: the package's title and variant wording are still quoted"
        );
    }
}

#[test]
fn a_restriction_written_into_an_agreeing_packages_licence_still_needs_a_person() {
    for (what, text) in [
        (
            "appended",
            format!(
                "{}\nExcept that redistribution of this package is prohibited.\n",
                bsd_variant("Kim Maker")
            ),
        ),
        (
            "between the texts",
            isc_with_bundled_mit().replace(
                "The runtime's licence is below",
                "The runtime's licence is below; none of it applies outside the department",
            ),
        ),
        (
            "a narrowed grantee",
            isc_with_bundled_mit().replace("to any person", "to any Acme employee"),
        ),
    ] {
        let r = check_files(&project(&[(
            "pkg",
            text,
            Some(package_json("pkg", "ISC OR BSD-3-Clause")),
        )]));
        assert_eq!(
            r.verdict,
            "needs-review",
            "{what}: {:?}",
            r.verdict.reasons()
        );
    }
}

// A grammar of restrictions, written for this test: none of its sentences is known to the gate.
const OPENINGS: &[&str] = &[
    "",
    "However, ",
    "In addition, ",
    "Please note: ",
    "Despite the above, ",
    "Except that ",
];
const SUBJECTS: &[&str] = &[
    "this package",
    "the Software",
    "the files in this folder",
    "any copy of this library",
    "the bundled code",
];
const PREDICATES: &[&str] = &[
    "may not be passed on to anyone else",
    "is only for use inside the council",
    "must not leave the organisation",
    "is licensed for evaluation only",
    "requires written consent before it is shared",
    "cannot be given to third parties",
    "is provided for non-commercial purposes",
    "belongs to Acme Ltd, who reserve every right in it",
    "is confidential",
    "must be deleted when the contract ends",
    "is lent, not given, to the Department",
    "needs a paid subscription to be used",
];

/// The licence of a package judged without git: the project's own MIT licence at the root, the package's
/// licence file and its manifest's declaration.
fn judged(licence: &str, manifest: &str) -> String {
    let candidate = |path: &str, kind, text: &str| Candidate {
        path: path.into(),
        kind,
        text: text.into(),
        first_line: 1,
        sha256: String::new(),
        truncated: false,
        closing_section: false,
    };
    let discovery = Discovery {
        candidates: vec![
            candidate(
                "LICENSE",
                SourceKind::LicenseFile,
                &filled(MIT, "Widget Department"),
            ),
            candidate(
                "node_modules/pkg/LICENSE",
                SourceKind::VendoredLicenseFile,
                licence,
            ),
        ],
        package_manifests: vec![candidate(
            "node_modules/pkg/package.json",
            SourceKind::Manifest,
            manifest,
        )],
        ..Discovery::default()
    };
    let report = Detector::embedded().detect(&discovery);
    judge("fixture/package", &report, &Policy::default())
        .name()
        .to_string()
}

fn bases() -> Vec<(String, &'static str)> {
    vec![
        (bsd_variant("Kim Maker"), "BSD-3-Clause"),
        (isc_with_bundled_mit(), "ISC"),
        (isc_with_logo(), "ISC"),
    ]
}

#[test]
fn the_pure_reading_matches_the_repository_reading() {
    for (text, id) in bases() {
        assert_eq!(judged(&text, id), "allowed", "{id}");
        assert_eq!(judged(&text, "GPL-2.0-only"), "needs-review", "{id}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Nothing restrictive becomes allowed: a restriction put anywhere between the package licence's lines
    /// or at the end of one, the grantee narrowed, or the manifest made to disagree.
    #[test]
    fn restrictions_grantees_and_disagreeing_manifests_are_never_allowed(
        base in 0usize..3,
        opening in proptest::sample::select(OPENINGS),
        subject in proptest::sample::select(SUBJECTS),
        predicate in proptest::sample::select(PREDICATES),
        at in 0usize..200,
        how in 0usize..4,
    ) {
        let (text, id) = bases().swap_remove(base);
        let mut sentence = format!("{opening}{subject} {predicate}.");
        sentence[..1].make_ascii_uppercase();
        let lines: Vec<&str> = text.lines().collect();
        let at = at % lines.len();
        let (mutant, manifest) = match how {
            // A line of its own.
            0 => {
                let mut l = lines.clone();
                l.insert(at, &sentence);
                (l.join("\n"), id.to_string())
            }
            // Joined to the end of a line (a holder's line too).
            1 => {
                let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                l[at] = format!("{} {sentence}", l[at]);
                (l.join("\n"), id.to_string())
            }
            // The grantee narrowed to a named body.
            2 => (
                text.replace("to any person", "to any employee of Acme Ltd")
                    .replace("for any purpose", "for the purposes of Acme Ltd")
                    .replace(
                        "Redistribution and use of this software",
                        "Redistribution and use of this software by Acme Ltd",
                    ),
                id.to_string(),
            ),
            // A manifest that names another licence, or withholds.
            _ => (text.clone(), ["GPL-3.0-only", "UNLICENSED", "CC-BY-NC-4.0", "MIT AND GPL-2.0-only"][at % 4].to_string()),
        };
        prop_assert_ne!(judged(&mutant, &manifest), "allowed", "{}", mutant);
    }

    /// What does not change the terms stays allowed: another holder, other years.
    #[test]
    fn another_holder_or_year_keeps_an_agreeing_package_allowed(
        holder in proptest::sample::select(&["Ada Byron", "Northwind Widgets Ltd", "The Glob Authors"][..]),
        year in 1995u32..2030,
    ) {
        let text = bsd_variant(holder).replace("2015", &year.to_string());
        prop_assert_eq!(judged(&text, "BSD-3-Clause"), "allowed", "{}", text);
    }
}
