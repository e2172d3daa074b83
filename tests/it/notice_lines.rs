//! Every line of a notice or terms file has the shape of a notice, or a person reads it (issue #21, mechanisms
//! 1 and 3): through real git repositories and the library's check.
//!
//! A NOTICE, COPYRIGHT, TERMS, EULA or RIGHTS file beside an MIT licence that says, in any words, that the work
//! is withheld ("Do not fork or mirror this repository.", "OFFICIAL-SENSITIVE: not for public release.", "For
//! internal Acme use only.") must never leave the repository *allowed*; the words need not be in any
//! vocabulary of withholding, because a line is accounted for only by a harmless shape (an attribution, a
//! holder, a heading, a scoped claim naming a licence). Names of such files fold as a person reads them
//! (`LІCENSE` with a Cyrillic І, `LICENSE~`), and so does their text (combining marks, a word hyphenated over
//! a line break, UTF-32 with a byte-order mark).
//!
//! The harmless side: real notices' shapes (attributions with names and links, lists of components with
//! versions and licences, Apache-style notices) stay *allowed*.

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;
use proptest::prelude::*;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::mutation::{Rng, restriction};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn mit() -> String {
    MIT.replace("<year>", "2023")
        .replace("<copyright holders>", "Acme Digital Ltd")
}

fn check_bytes(files: &[(&str, &[u8])]) -> RepoCheck {
    let fx = RepoFixture::bare();
    let mut spec = TreeSpec::new();
    for (path, bytes) in files {
        spec = spec.file(path, bytes);
    }
    fx.commit("main", &spec);
    fx.set_head("main");
    check_repo(fx.path(), &Detector::embedded(), &Policy::default())
}

/// The repository with an MIT LICENSE and one more file.
fn beside_mit(path: &str, bytes: &[u8]) -> RepoCheck {
    let licence = mit();
    check_bytes(&[("LICENSE", licence.as_bytes()), (path, bytes)])
}

fn shown(r: &RepoCheck) -> String {
    format!("{}: {:?}", r.verdict.name(), r.verdict.reasons())
}

/// Statements that withhold in words outside any vocabulary of withholding (the red team's C cases, and
/// more of the same class written here).
const WITHHOLDING: &[&str] = &[
    "Reuse of this code requires a signed agreement with Acme Digital Ltd.",
    "This code is provided for evaluation purposes only.",
    "Do not fork or mirror this repository.",
    "OFFICIAL-SENSITIVE: not for public release.",
    "Only employees of Acme may use this software.",
    "This work may be used for non-commercial purposes only.",
    "No part of this repository may be reproduced without the prior consent of the copyright owner.",
    "Copying is permitted only within the UK public sector.",
    "Crown copyright. Reproduction prohibited.",
    "Copyright 2023 Acme Digital Ltd. Redistribution forbidden.",
    "For internal Acme use only.",
    "Please keep this code inside the department.",
    "Ask the service owner before you put this anywhere else.",
    "Staff of the agency alone are entitled to run this software.",
    "Written for Acme customers under contract; keep it to yourselves.",
    // The same in the shapes of a component list: a list item with a version, a package-like name.
    "* internal-use-only 1.0",
    "- do-not-redistribute (https://example.org/widget)",
    "* widget-core 1.0 (not for public release)",
    "* Please keep this code inside the department (v1.0)",
    "org.acme:widget-confidential:1.0",
];

#[test]
fn a_notice_that_withholds_in_words_outside_the_vocabulary_is_never_allowed() {
    for name in ["NOTICE", "COPYRIGHT", "NOTICE.md", "CREDITS"] {
        for s in WITHHOLDING {
            let r = beside_mit(name, format!("{s}\n").as_bytes());
            assert_ne!(r.verdict.name(), "allowed", "{name}: {s}: {}", shown(&r));
        }
    }
}

#[test]
fn the_line_a_notice_cannot_account_for_is_quoted_with_its_file_and_line() {
    let notice = "This product includes software developed by Northwind Labs (https://example.org/).\n\
                  \n\
                  Do not fork or mirror this repository.\n";
    let r = beside_mit("NOTICE", notice.as_bytes());
    assert_eq!(r.verdict.name(), "needs-review", "{}", shown(&r));
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("NOTICE:3") && w.contains("Do not fork")),
        "{}",
        shown(&r)
    );
}

/// The red team's data terms (case G), in files named as terms are named.
const DATA_TERMS: &str = "The data in this folder is supplied by Ordnance Survey under the Public Sector \
                          Geospatial Agreement.\nIt may be used by public sector members for their own \
                          business only and must not be passed to third parties.\n";

#[test]
fn terms_files_of_any_terms_name_are_read_and_held_to_every_line() {
    for name in [
        "EULA",
        "TERMS",
        "TERMS.md",
        "TERMS_OF_USE.md",
        "terms-and-conditions.txt",
        "RIGHTS",
        "LICENSE.json",
        "LICENSE~",
        "LICENSE.bak",
        "LICENSE.orig",
        "NOTICE.old",
        "L\u{0406}CENSE",
        "\u{FF2C}ICENSE",
    ] {
        let r = beside_mit(name, DATA_TERMS.as_bytes());
        assert_ne!(r.verdict.name(), "allowed", "{name}: {}", shown(&r));
    }
    let r = beside_mit(
        "TERMS.md",
        b"# Terms of use\n\nFor internal Acme use only.\n",
    );
    assert_ne!(r.verdict.name(), "allowed", "TERMS.md: {}", shown(&r));
}

#[test]
fn a_notice_reads_as_a_person_sees_it_whatever_its_encoding_marks_or_line_breaks() {
    let combining = "No\u{301}t fo\u{301}r redistributio\u{301}n.\n";
    let r = beside_mit("NOTICE", combining.as_bytes());
    assert_ne!(
        r.verdict.name(),
        "allowed",
        "combining marks: {}",
        shown(&r)
    );
    let hyphen =
        "This product includes software developed by Acme.\nRedis-\ntribution forbidden.\n";
    let r = beside_mit("NOTICE", hyphen.as_bytes());
    assert_ne!(r.verdict.name(), "allowed", "hyphenation: {}", shown(&r));
    // UTF-32, both byte orders, with a byte-order mark.
    let text = "Not for redistribution.\n";
    let mut le = vec![0xFF, 0xFE, 0, 0];
    let mut be = vec![0, 0, 0xFE, 0xFF];
    for c in text.chars() {
        le.extend((c as u32).to_le_bytes());
        be.extend((c as u32).to_be_bytes());
    }
    for (order, bytes) in [("LE", le), ("BE", be)] {
        let r = beside_mit("NOTICE", &bytes);
        assert_ne!(r.verdict.name(), "allowed", "UTF-32 {order}: {}", shown(&r));
    }
}

/// Notices in the shapes real projects write: attributions, component lists, an Apache-style notice.
const HARMLESS: &[&str] = &[
    "This product includes software developed by\nThe Northwind Software Foundation (https://www.northwind.org/).\n",
    "Northwind Widget\nCopyright 2015-2023 The Northwind Software Foundation\n\nThis product includes software developed at\nThe Northwind Software Foundation (http://www.northwind.org/).\n",
    "# Third-party notices\n\nThis project bundles the following components:\n\n- Bootstrap v3.3.7 (https://getbootstrap.com), MIT License\n- jQuery 3.1.0 - MIT License\n- org.slf4j:slf4j-api:1.7.24 (MIT License)\n",
    "Copyright (c) 2020 Acme Digital Ltd\nCopyright (c) 2019 Jane Doe <jane@example.org>\n",
    "Portions of this software were originally written by Jane Doe and are copyright Northwind Labs.\n",
    "This product contains a modified version of Northwind Parser, which can be obtained at:\n  * https://github.com/northwind/parser\n",
    "Thanks to the contributors listed below.\n\n* Ada Lovelace\n* Alan Turing\n",
    "| Name | Version | Licence |\n|------|---------|---------|\n| Bootstrap | 3.3.7 | MIT |\n| Lodash | 4.17.21 | MIT |\n",
    // A dependency list grouped by licence, as Maven's licence plug-ins write one: licence headings with links,
    // lower-case package names, coordinates with version labels.
    "List of third-party dependencies grouped by their license type\n\n\
     ### [Apache Software License 2.0](./licenses/apache_software_license_2.0.txt):\n\
     * widget-core ([org.northwind.widgets:widget-core:2.11.0](https://github.com/northwind/widgets))\n\
     * Northwind cache ([org.northwind:cache:2.8.1](https://github.com/northwind/cache))\n\
     * boot-starter-data ([org.northwind.boot:boot-starter-data:2.3.1.RELEASE](https://northwind.org/boot))\n\
     * gizmo ([org.example:gizmo:1.0.0-M1](https://example.org/gizmo))\n\n\
     ### [MIT License](./licenses/mit_license.html):\n\
     * Gadget :: Core ([org.gadget:gadget-core:1.15.3](https://gadget.org))\n",
    "The project is built with maven, which pulls in the dependencies below. Their licences are listed\n\
     here; see each project's site for the licences of their own dependencies.\n\n\
     Library 0 (org.example:library-0:1.0.0)\n\n- Apache License, Version 2.0\n",
    // A GNU licence's start-up notice, as the GPL's appendix gives it, with a link in place of `show w`.
    "Copyright (C) 2018-2020 Northwind Limited\n    This program comes with ABSOLUTELY NO WARRANTY; for details see https://licence.northwind.example\n    This is free software, and you are welcome to redistribute it under certain conditions;\n",
];

/// A licence named with words written onto its name (a variant, a rider) is a licence keepopen does not
/// know, and one whose longer name keepopen knows is that licence, not the shorter one inside it: neither
/// leaves the repository allowed (the proptest in `claims_needless` found "the Unlicense - libtelnet
/// variant" read as the Unlicense, allowed).
#[test]
fn a_notice_naming_a_variant_of_a_licence_is_never_allowed() {
    for claim in [
        "The vendor/widget-engine folder is licensed under the Unlicense - libtelnet variant.",
        "The vendor/widget-engine folder is licensed under the MIT License, Acme variant.",
        "The vendor/widget-engine folder is licensed under the MIT License with the Acme rider.",
        "The vendor/widget-engine folder is licensed under the Apache License 2.0 as amended by Acme.",
    ] {
        let notice = format!("This product bundles Widget Engine 2.1.\n\n{claim}\n");
        let r = beside_mit("NOTICE", notice.as_bytes());
        assert_ne!(r.verdict.name(), "allowed", "{claim}: {}", shown(&r));
    }
}

#[test]
fn a_notice_of_attributions_names_and_component_licences_stays_allowed() {
    for notice in HARMLESS {
        let r = beside_mit("NOTICE", notice.as_bytes());
        assert_eq!(r.verdict.name(), "allowed", "{notice}\n{}", shown(&r));
    }
}

/// A harmless notice with a restriction written into it, at its start, its end, or between its lines.
fn with_restriction(notice: &str, sentence: &str, at: usize) -> String {
    let lines: Vec<&str> = notice.lines().collect();
    let at = at % (lines.len() + 1);
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out.insert(at, sentence.to_string());
    out.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No restriction the mutation harness writes (30+ phrasings and their subjects), written into a harmless
    /// notice anywhere, in any of the notice and terms names, leaves the repository allowed.
    #[test]
    fn a_restriction_written_into_a_harmless_notice_is_never_allowed(
        seed in any::<u64>(),
        which in 0..HARMLESS.len(),
        at in 0usize..12,
        name in prop::sample::select(vec!["NOTICE", "COPYRIGHT", "CREDITS", "TERMS", "EULA", "NOTICE.md"]),
        case in 0usize..5,
    ) {
        let mut rng = Rng(seed);
        let sentence = restriction(&mut rng);
        let sentence = match case {
            0 => sentence,
            // As a component list's item, with a version beside it.
            3 => format!("* {sentence} (v1.2.3)"),
            // As a package's name: its words in lower case joined by hyphens, with a version.
            4 => format!(
                "* {} 1.0.0",
                sentence
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
                    .join("-")
            ),
            1 => sentence.to_uppercase(),
            // Title case: every word capitalised, as a name is written.
            _ => sentence
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join(" "),
        };
        let notice = with_restriction(HARMLESS[which], &sentence, at);
        let r = beside_mit(name, notice.as_bytes());
        prop_assert_ne!(r.verdict.name(), "allowed", "{}: {}\n{}", name, notice, shown(&r));
    }
}
