//! Withholding statements in prose that the licence gate read nowhere, or only where a licence is named
//! (issue #21, mechanisms 2, 3 and 7): a README paragraph, a README licence section that names no licence or
//! names one and then withholds, a documentation page, a CONTRIBUTING guide, a web page's footer, a notebook's
//! markdown, the comment heading a source or data file, a text stored as UTF-16 or with a stray NUL, an orphan
//! `gh-pages` branch. Each is a real git repository with a full MIT licence beside the statement.
//!
//! The invariant: every prose text of every pushed ref is read ([`keepopen::license::statements`]), and a
//! sentence that withholds the work makes the verdict *needs review*, naming the file and line. The generated
//! property places restrictions nobody listed (the mutation harness's grammar) in every place and encoding.

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

/// A repository whose `main` holds the MIT licence and `files`; `others` are more branches, each with its own
/// files only (an orphan branch).
/// Files of one tree: (path, bytes).
type Files<'a> = [(&'a str, Vec<u8>)];

fn check_with(files: &Files<'_>, others: &[(&str, &Files<'_>)]) -> RepoCheck {
    let fx = RepoFixture::bare();
    let mut spec = TreeSpec::new().file("LICENSE", mit());
    for (path, bytes) in files {
        spec = spec.file(path, bytes);
    }
    fx.commit("main", &spec);
    for (branch, files) in others {
        let mut spec = TreeSpec::new();
        for (path, bytes) in *files {
            spec = spec.file(path, bytes);
        }
        fx.commit(branch, &spec);
    }
    fx.set_head("main");
    check_repo(fx.path(), &Detector::embedded(), &Policy::default())
}

fn check(files: &[(&str, &str)]) -> RepoCheck {
    let owned: Vec<(&str, Vec<u8>)> = files
        .iter()
        .map(|(p, t)| (*p, t.as_bytes().to_vec()))
        .collect();
    check_with(&owned, &[])
}

fn shown(r: &RepoCheck) -> String {
    format!("{}: {:#?}", r.verdict.name(), r.verdict.reasons())
}

/// The verdict asks for a person and names `place` (`file:line`) as withholding.
fn assert_withheld_at(r: &RepoCheck, place: &str, case: &str) {
    assert_eq!(r.verdict.name(), "needs-review", "{case}: {}", shown(r));
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.starts_with(place) && reason.contains("withholds the work")),
        "{case}: {place} is named: {}",
        shown(r)
    );
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn a_withholding_sentence_in_any_prose_place_needs_review_naming_its_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "B1 licence section holding only a restriction",
            "README.md",
            "# widget\n\n## Licence\n\nNot for redistribution.\n",
            "README.md:5",
        ),
        (
            "B2 README paragraph outside any licence section",
            "README.md",
            "# widget\n\nThis repository is confidential and must not be shared outside Acme Digital Ltd.\n",
            "README.md:3",
        ),
        (
            "B3 licence section naming MIT then withholding",
            "README.md",
            "# widget\n\n## Licence\n\nMIT\n\nFor internal Acme use only.\n",
            "README.md:7",
        ),
        (
            "E3 CONTRIBUTING first paragraph",
            "CONTRIBUTING.md",
            "# Contributing\n\nThis repository is confidential and must not be shared outside Acme Digital Ltd.\n",
            "CONTRIBUTING.md:3",
        ),
        (
            "E7 CONTRIBUTING second paragraph",
            "CONTRIBUTING.md",
            "# Contributing\n\nPull requests welcome.\n\nThis repository is confidential and must not be shared outside Acme Digital Ltd.\n",
            "CONTRIBUTING.md:5",
        ),
        (
            "C10 documentation page",
            "docs/index.md",
            "# Widget\n\nDo not fork or mirror this repository.\n",
            "docs/index.md:3",
        ),
        (
            "D3 documentation licence page",
            "docs/licence.md",
            "# Licence\n\nCopyright 2023 Acme Digital Ltd. For internal use only.\n",
            "docs/licence.md:3",
        ),
        (
            "C11 a source file's first comment",
            "app.py",
            "# Only employees of Acme may use this software.\nprint(1)\n",
            "app.py:1",
        ),
        (
            "E4 a data file's comment header",
            "cities.csv",
            "# Contains OS data. Not for redistribution.\nname,pop\nLeeds,800000\n",
            "cities.csv:1",
        ),
        (
            "E5 an HTML footer",
            "index.html",
            "<html><body>\n<p>Widget</p>\n<footer>Copyright Acme. All rights reserved. Not for reuse.</footer>\n</body></html>\n",
            "index.html:3",
        ),
        (
            "E1 a saved vendor page reserving all rights",
            "docs/guidance.html",
            "<html><body><p>Guidance copied from vendor.example</p><footer>Copyright 2023 Vendor Media Ltd. All rights reserved.</footer></body></html>\n",
            "docs/guidance.html:1",
        ),
        (
            "E6 a notebook's markdown cell",
            "a.ipynb",
            "{\"cells\":[{\"cell_type\":\"markdown\",\"metadata\":{},\"source\":[\"Not for redistribution.\"]}],\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}\n",
            "a.ipynb:1",
        ),
        (
            "a sentence wrapped and hyphenated across lines",
            "docs/terms.md",
            "# Terms\n\nThe contents of this project are not for redis-\ntribution.\n",
            "docs/terms.md:3",
        ),
        (
            "accents on the operative words",
            "README.md",
            "# widget\n\nNo\u{301}t fo\u{301}r redistributio\u{301}n.\n",
            "README.md:3",
        ),
        (
            "emphasis and an inline tag inside the words",
            "README.md",
            "# widget\n\n**Not** _for_ re<b></b>distribution.\n",
            "README.md:3",
        ),
    ];
    for (case, path, text, place) in cases {
        let r = check(&[(path, text)]);
        assert_withheld_at(&r, place, case);
    }
}

#[test]
fn a_withholding_text_stored_with_a_nul_or_as_utf16_without_a_mark_is_read_as_text() {
    let terms = "# Terms\n\nNot for redistribution.\n";
    let nul: Vec<u8> = std::iter::once(0u8).chain(terms.bytes()).collect();
    let r = check_with(&[("docs/terms.md", nul)], &[]);
    assert_withheld_at(&r, "docs/terms.md:3", "J1 NUL first");
    let r = check_with(&[("docs/terms.md", utf16le(terms))], &[]);
    assert_withheld_at(&r, "docs/terms.md:3", "J2 UTF-16LE without a mark");
    let utf32: Vec<u8> = terms
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    let r = check_with(&[("docs/terms.md", utf32)], &[]);
    assert_withheld_at(&r, "docs/terms.md:3", "UTF-32BE without a mark");
}

#[test]
fn a_withholding_footer_on_an_orphan_pages_branch_needs_review() {
    let footer = b"<footer>Copyright Acme. All rights reserved. Not for reuse.</footer>\n".to_vec();
    let pages: &[(&str, Vec<u8>)] = &[("index.html", footer)];
    let r = check_with(&[], &[("gh-pages", pages)]);
    assert_withheld_at(&r, "index.html:1", "I3 orphan gh-pages");
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("refs/heads/gh-pages")),
        "the ref is named: {}",
        shown(&r)
    );
}

/// The cost side: what READMEs, guides and headers commonly say about handling the code governs no one's right
/// to copy it, and an MIT repository saying it stays allowed.
#[test]
fn handling_advice_in_prose_leaves_an_mit_repository_allowed() {
    let readme = "# widget\n\n\
        This code must not be used in production without a security review.\n\n\
        Do not commit secrets to this repository. Never share your API key.\n\n\
        Please do not share your password with anyone.\n\n\
        ## Installation\n\nClone the repository and run `make`. Do not use the master branch.\n\n\
        ## Licence\n\nThe code is released under the [MIT licence](LICENSE).\n";
    let generated = "// Code generated by a tool. DO NOT EDIT.\n// Do not modify this file manually.\npackage x\n";
    let contributing = "# Contributing\n\nDo not share personal data in issues.\n\nThe service is only available to NHS staff.\n";
    let r = check(&[
        ("README.md", readme),
        ("gen.go", generated),
        ("CONTRIBUTING.md", contributing),
    ]);
    assert_eq!(r.verdict.name(), "allowed", "{}", shown(&r));
}

/// Where a restriction can be written, and how it is stored there.
fn placed(place: usize, sentence: &str) -> (&'static str, Vec<u8>, usize) {
    match place {
        0 => (
            "README.md",
            format!("# widget\n\nA tool.\n\n{sentence}\n").into_bytes(),
            5,
        ),
        1 => (
            "README.md",
            format!("# widget\n\n## Licence\n\nMIT\n\n{sentence}\n").into_bytes(),
            7,
        ),
        2 => (
            "docs/about.md",
            format!("# About\n\n{sentence}\n").into_bytes(),
            3,
        ),
        3 => (
            "CONTRIBUTING.md",
            format!("# Contributing\n\nPull requests welcome.\n\n{sentence}\n").into_bytes(),
            5,
        ),
        4 => (
            "site/index.html",
            format!("<html>\n<body>\n<p>Widget</p>\n<footer>{sentence}</footer>\n</body>\n</html>\n")
                .into_bytes(),
            4,
        ),
        5 => (
            "src/app.py",
            format!("# {sentence}\nprint(1)\n").into_bytes(),
            1,
        ),
        6 => (
            "data/cities.csv",
            format!("# {sentence}\nname,pop\nLeeds,800000\n").into_bytes(),
            1,
        ),
        7 => (
            "docs/terms.md",
            utf16le(&format!("# Terms\n\n{sentence}\n")),
            3,
        ),
        _ => (
            "notes.ipynb",
            serde_json::json!({"cells": [{"cell_type": "markdown", "metadata": {}, "source": [sentence]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
            .to_string()
            .into_bytes(),
            1,
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A restriction from the mutation harness's grammar (phrasings written for licence texts, not for this
    /// search), in any prose place and encoding, beside a full MIT licence: never *allowed*, and named.
    #[test]
    fn a_generated_restriction_in_any_prose_place_is_never_allowed(seed in any::<u64>(), place in 0usize..9) {
        let sentence = restriction(&mut Rng(seed));
        let (path, bytes, line) = placed(place, &sentence);
        let r = check_with(&[(path, bytes)], &[]);
        prop_assert_ne!(r.verdict.name(), "allowed", "{} in {}: {}", sentence, path, shown(&r));
        let at = format!("{path}:{line}");
        prop_assert!(
            r.verdict.reasons().iter().any(|reason| reason.starts_with(&at)),
            "{} in {}: {} is named: {}", sentence, path, at, shown(&r)
        );
    }
}

/// The work named as a deictic, possessive, part-of or defined-term noun phrase.
const WORK: &[&str] = &[
    "this repository",
    "this code",
    "the code in this repository",
    "this software",
    "the Software",
    "this project",
    "these materials",
    "these files",
    "this document",
    "the contents of this repository",
    "this dataset",
    "this package",
    "our code",
    "any part of this repository",
];

/// Things that are never the work.
const NOT_WORK: &[&str] = &[
    "your password",
    "the cache",
    "personal data",
    "your API key",
    "your user ID",
    "the secrets",
    "the service",
];

/// An operator governing an act on `np`: (template, act). `{W}` is the noun phrase, `{w}` the same at a
/// sentence's head.
const OPERATORS: &[&str] = &[
    "{W} must not be {pp}.",
    "{W} may not be {pp} without the written permission of Acme Ltd.",
    "{W} shall not be {pp} outside Acme.",
    "Do not {v} {w}.",
    "Never {v} {w} outside the team.",
    "You must not {v} {w}.",
    "{N} of {w} is strictly prohibited.",
    "{N} of {w} requires a signed agreement with Acme Ltd.",
    "Only employees of Acme may {v} {w}.",
    "{W} may only be {pp} within Acme.",
    "{W} must not be used outside Acme.",
    "{W} is provided for evaluation purposes only.",
];

const ACTS: &[(&str, &str, &str)] = &[
    ("copy", "copied", "Copying"),
    ("share", "shared", "Sharing"),
    ("fork", "forked", "Forking"),
    ("publish", "published", "Publication"),
    ("redistribute", "redistributed", "Redistribution"),
    ("reproduce", "reproduced", "Reproduction"),
    ("disclose", "disclosed", "Disclosure"),
    ("sell", "sold", "Sale"),
    ("reuse", "reused", "Reuse"),
];

fn generated(np: &str, operator: usize, act: usize) -> String {
    let (v, pp, noun) = ACTS[act];
    let mut head = np.to_owned();
    head[..1].make_ascii_uppercase();
    OPERATORS[operator]
        .replace("{W}", &head)
        .replace("{w}", np)
        .replace("{v}", v)
        .replace("{pp}", pp)
        .replace("{N}", noun)
}

/// The six places the issue names: a README paragraph, a documentation page, the first comment of a source
/// file, a CSV's comment header, an HTML footer, a notebook's markdown cell. (path, bytes, line).
fn prose_place(place: usize, sentence: &str) -> (&'static str, Vec<u8>, usize) {
    match place {
        0 => placed(0, sentence),
        1 => placed(2, sentence),
        2 => placed(5, sentence),
        3 => placed(6, sentence),
        4 => placed(4, sentence),
        _ => placed(8, sentence),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any reference to the work × any operator × any act of copying, in any of the six places: the verdict
    /// asks for a person and names the file and line.
    #[test]
    fn a_generated_work_operator_act_sentence_in_any_place_is_found(
        np in 0..WORK.len(), operator in 0..OPERATORS.len(), act in 0..ACTS.len(), place in 0usize..6
    ) {
        let sentence = generated(WORK[np], operator, act);
        let (path, bytes, line) = prose_place(place, &sentence);
        let r = check_with(&[(path, bytes)], &[]);
        let at = format!("{path}:{line}");
        prop_assert!(
            r.verdict.name() == "needs-review"
                && r.verdict.reasons().iter().any(|reason| reason.starts_with(&at) && reason.contains("withholds the work")),
            "{} in {}: {} is named: {}", sentence, path, at, shown(&r)
        );
    }

    /// The same sentences whose subject or object is never the work (a password, the cache, personal data,
    /// the service), in the same places beside a full MIT licence: no statement withholds the work. (The
    /// asset scan reads a file's header with its own vocabulary of terms, and may still ask for a person
    /// about "without the written permission of": that is its judgement, not this search's.)
    #[test]
    fn the_same_sentences_about_what_is_never_the_work_are_not_found(
        np in 0..NOT_WORK.len(), operator in 0..OPERATORS.len(), act in 0..ACTS.len(), place in 0usize..6
    ) {
        let sentence = generated(NOT_WORK[np], operator, act);
        let (path, bytes, _) = prose_place(place, &sentence);
        let r = check_with(&[(path, bytes)], &[]);
        prop_assert!(
            !r.verdict.reasons().iter().any(|reason| reason.contains("withholds the work")),
            "{} in {}: {}", sentence, path, shown(&r)
        );
    }
}

/// Sentences not about the work, as real repositories write them (in our own words): a code of conduct's
/// sentence about others' private information, a cookie page's sentence about cookies, a caching note, a
/// change note. The repository stays allowed.
#[test]
fn sentences_not_about_the_work_leave_an_mit_repository_allowed() {
    let r = check(&[
        (
            "CODE_OF_CONDUCT.md",
            "# Code of conduct\n\nPublishing others' private information without explicit permission is not acceptable.\n",
        ),
        (
            "app/views/cookies.html",
            "<html><body><p>Essential cookies keep the site working. We do not need to ask permission to set them.</p></body></html>\n",
        ),
        (
            "docs/caching.md",
            "# Caching\n\nThe cache will not be shared between instances of the service.\n\nThis change does not add support for publishing reports.\n",
        ),
    ]);
    assert_eq!(r.verdict.name(), "allowed", "{}", shown(&r));
}

/// Other people's code and licence texts are other readings': a vendored package's sentence is not this
/// search's (the asset scan judges bundled files' terms), nor is a GPL text's own "Sublicensing is not
/// allowed" in a licence file, nor a BSD header's "All rights reserved" before its grant.
#[test]
fn vendored_trees_and_licence_texts_are_not_searched() {
    let gpl = include_str!("../../licenses/text/GPL-3.0-only.txt");
    let r = check(&[
        (
            "node_modules/left-pad/README.md",
            "# left-pad\n\nDo not redistribute this package.\n",
        ),
        ("lib/COPYING", gpl),
        (
            "docs/bsd.txt",
            "Copyright (c) 2015, A Person\nAll rights reserved.\n\nRedistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met.\n",
        ),
    ]);
    assert!(
        !r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("withholds the work")),
        "{}",
        shown(&r)
    );
}

/// Mechanism 1: a README licence section is held to every word whether or not it grants. A section that
/// grants nothing and holds a sentence with no harmless shape is residue a person reads (B3 passed because
/// "MIT" then a second paragraph is no bare name, and a section that granted nothing was never accounted
/// for); one that only points to the licence file is nothing.
#[test]
fn a_readme_licence_section_that_grants_nothing_is_held_to_every_word() {
    for section in [
        "Please contact Acme Digital Ltd before doing anything with it.",
        "MIT\n\nTalk to the product owner first.",
    ] {
        let readme = format!("# widget\n\n## Licence\n\n{section}\n");
        let r = check(&[("README.md", &readme)]);
        assert_eq!(r.verdict.name(), "needs-review", "{section}: {}", shown(&r));
        assert!(
            r.verdict
                .reasons()
                .iter()
                .any(|reason| reason.starts_with("README.md:")),
            "{section}: the section's line is quoted: {}",
            shown(&r)
        );
    }
    let pointer = check(&[(
        "README.md",
        "# widget\n\n## Licence\n\nSee [LICENSE](LICENSE).\n",
    )]);
    assert_eq!(pointer.verdict.name(), "allowed", "{}", shown(&pointer));
}
