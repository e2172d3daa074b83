//! A grant sentence that opens with a hedge deferring to terms stated elsewhere ("Unless otherwise
//! specified, all content in this repository … is licensed under the MIT License", issue 21, corpus file
//! 036): the hedge's words are fixed, so the sentence is read as what follows it. A restriction written
//! into the hedged sentence, or beside it, is never carried through.

use keepopen::check::check_repo;
use keepopen::license::detect::Detector;
use keepopen::license::{Candidate, Discovery, SourceKind};
use keepopen::policy::Policy;
use keepopen::verdict::judge;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::mutation::{Rng, restriction};

/// The hedges public-sector READMEs open their grant with.
const HEDGES: &[&str] = &[
    "Unless otherwise specified, ",
    "Unless stated otherwise, ",
    "Except where otherwise noted, ",
    "Unless otherwise indicated in the file, ",
];

/// Grant sentences without their hedge, each allowed on its own.
const GRANTS: &[&str] = &[
    "all content in this repository and any copies are subject to Crown Copyright, dual licensed under the MIT License and the Open Government License v3.",
    "the code in this repository is released under the MIT License.",
    "this project is licensed under the Open Government Licence v3.0.",
];

fn capitalised(s: &str) -> String {
    let mut out = s.to_string();
    out[..1].make_ascii_uppercase();
    out
}

/// The verdict of a README licence section alone, through the library's detection and verdict.
fn section_verdict(section: &str) -> (String, Vec<String>) {
    let discovery = Discovery {
        candidates: vec![Candidate {
            path: "README.md".to_string(),
            kind: SourceKind::Readme,
            text: section.to_string(),
            first_line: 12,
            sha256: String::new(),
            truncated: false,
            closing_section: false,
        }],
        ..Discovery::default()
    };
    let report = Detector::embedded().detect(&discovery);
    let verdict = judge("fixture/hedged", &report, &Policy::default());
    (verdict.name().to_string(), verdict.reasons().to_vec())
}

/// nhsx/AIF_Allocation_Tool's grant sentence (corpus 036), through a real repository: the hedge, the plural
/// copula, "any copies", "subject to Crown Copyright" and the version written "v3" are all accounted for.
#[test]
fn a_grant_opening_with_unless_otherwise_specified_is_the_grant() {
    let readme = "# Allocation tool\n\nA tool.\n\n## Copyright and License\n\nUnless otherwise specified, all content in this repository and any copies are subject to [Crown Copyright](http://www.nationalarchives.gov.uk/information-management/re-using-public-sector-information/copyright-and-re-use/crown-copyright/), dual licensed under the [MIT License](./LICENSE) and the [Open Government License v3](./LICENSE).\n";
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", readme.as_bytes())
            .file("app.py", b"print(1)\n"),
    );
    fx.set_head("main");
    let r = check_repo(fx.path(), &Detector::embedded(), &Policy::default());
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

/// A hedge may close the sentence instead (dstl/Human-Interface-Horizons: "… licensed under the terms of the
/// Open Government Licence except where otherwise stated."), and the work may be named by its kind
/// (OrdnanceSurvey/routing-swift: "This framework is released under …").
#[test]
fn a_grant_closing_with_a_hedge_or_naming_its_framework_is_the_grant() {
    for sentence in [
        "This material is licensed under the terms of the Open Government Licence v3.0 except where otherwise stated.",
        "This framework is released under the [Apache 2.0 License](LICENSE)",
    ] {
        let (verdict, reasons) = section_verdict(&format!("## Licence\n\n{sentence}\n"));
        assert_eq!(verdict, "allowed", "{sentence}: {reasons:?}");
    }
}

/// The hedge is not a licence to write anything: a hedge of other words, or words of restriction after a
/// fixed hedge, leave the sentence residue.
#[test]
fn a_hedge_in_other_words_or_hiding_a_restriction_is_residue() {
    for sentence in [
        "Unless otherwise agreed with NHS England, the code in this repository is released under the MIT License.",
        "Unless you are a commercial body, the code in this repository is released under the MIT License.",
        "Except where otherwise noted, the code in this repository is released under the MIT License for internal use.",
        "Unless otherwise specified, the code in this repository requires a signed agreement and is released under the MIT License.",
        "The code in this repository is released under the MIT License except where otherwise agreed with NHS England.",
        "This framework is released under the MIT License except for commercial use.",
    ] {
        let (verdict, reasons) = section_verdict(&format!("## Licence\n\n{sentence}\n"));
        assert_ne!(verdict, "allowed", "{sentence}: {reasons:?}");
    }
}

proptest::proptest! {
    /// Every hedge before every grant keeps it allowed; a sentence of the restriction grammar written into
    /// the hedged sentence (after the hedge, or after the grant) or put beside it makes it not allowed.
    #[test]
    fn a_restriction_in_or_beside_a_hedged_grant_is_never_allowed(
        hedge in 0..HEDGES.len(),
        grant in 0..GRANTS.len(),
        seed in proptest::prelude::any::<u64>(),
        how in 0usize..5,
    ) {
        let hedged = format!("{}{}", HEDGES[hedge], GRANTS[grant]);
        let (verdict, reasons) = section_verdict(&format!("## Licence\n\n{hedged}\n"));
        proptest::prop_assert_eq!(verdict, "allowed", "{}: {:?}", hedged, reasons);
        let said = restriction(&mut Rng(seed));
        let clause = {
            let mut c = said.trim_end_matches('.').to_string();
            c[..1].make_ascii_lowercase();
            c
        };
        let section = match how {
            0 => format!("{}{clause}, and {}", HEDGES[hedge], GRANTS[grant]),
            1 => format!("{}, and {clause}.", hedged.trim_end_matches('.')),
            // The same grant with its hedge closing it, and the restriction before the hedge.
            3 => format!(
                "{}, and {clause}, {}.",
                capitalised(GRANTS[grant]).trim_end_matches('.'),
                HEDGES[hedge].trim_end_matches(", ").to_lowercase()
            ),
            4 => format!(
                "{}, {clause}.",
                capitalised(GRANTS[grant]).trim_end_matches('.')
            ),
            _ => format!("{hedged}\n\n{}", capitalised(&said)),
        };
        let (verdict, reasons) = section_verdict(&format!("## Licence\n\n{section}\n"));
        proptest::prop_assert_ne!(verdict, "allowed", "{}: {:?}", section, reasons);
    }
}
