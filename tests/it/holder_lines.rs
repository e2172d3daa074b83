//! A copyright line is accounted for only as far as its holder is a name (issue 21).
//!
//! Two invariants, each checked on real git repositories through `check --licence-only`:
//!
//! 1. What follows the holder on a copyright line — another sentence, a clause — is not part of the holder's
//!    name. It is residue, judged like any other unaccounted words: "Copyright 2020 Vendor Print Ltd. Not for
//!    redistribution." names "Vendor Print Ltd" and withholds; it never reads as a holder called "Vendor Print
//!    Ltd. Not for redistribution" whose line is accounted for.
//! 2. A licence file that grants nothing and names a holder who is not one of the repository's licensors states
//!    a third party's terms it does not give: *needs review*, naming the file, never silently allowed beside
//!    another licence. A holder-only file of the repository's own licensor stays allowed.
//!
//! The property tests draw withholding sentences from a generated set (negations, "only", purposes, "internal
//! use", copying verbs nobody listed) and harmless tails (year ranges, "and contributors", addresses).

use proptest::prelude::*;

use crate::fixture::RepoFixture;
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

/// The MIT licence with `line` as its copyright line.
fn mit_line(line: &str) -> String {
    MIT.replace("Copyright (c) <year> <copyright holders>", line)
}

/// A repository of an MIT LICENSE of Acme Ltd (copyright line `line`), `app.py`, and `extra`.
fn repo(line: &str, extra: &[(&str, &str)]) -> (String, Vec<String>) {
    let mut files: Vec<(String, String)> = vec![
        ("LICENSE".into(), mit_line(line)),
        ("app.py".into(), "print('hello')\n".into()),
    ];
    files.extend(extra.iter().map(|(p, c)| (p.to_string(), c.to_string())));
    licence_verdict(&RepoFixture::one_commit(&files))
}

fn assert_review_naming(line: &str, extra: &[(&str, &str)], path: &str) {
    let (verdict, reasons) = repo(line, extra);
    assert_eq!(verdict, "needs-review", "{path}: {reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains(path)),
        "the reasons name {path}: {reasons:#?}"
    );
}

const ACME: &str = "Copyright (c) 2020 Acme Ltd";
const VENDOR_WITHHOLDS: &str = "Copyright 2020 Vendor Print Ltd. Not for redistribution.\n";

#[test]
fn a_second_root_licence_file_whose_holder_line_withholds_needs_review() {
    for path in ["LICENSE.vendor", "LICENSE-fonts.txt"] {
        assert_review_naming(ACME, &[(path, VENDOR_WITHHOLDS)], path);
    }
}

#[test]
fn a_nested_licence_file_whose_holder_line_withholds_needs_review() {
    assert_review_naming(
        ACME,
        &[("fonts/LICENSE", VENDOR_WITHHOLDS)],
        "fonts/LICENSE",
    );
}

#[test]
fn a_withholding_sentence_on_the_mit_licence_own_copyright_line_needs_review() {
    assert_review_naming(
        "Copyright (c) 2020 Acme Ltd. Not for redistribution.",
        &[],
        "LICENSE",
    );
}

#[test]
fn a_holder_only_licence_file_of_a_third_party_beside_mit_needs_review() {
    assert_review_naming(
        ACME,
        &[("LICENSE.vendor", "Copyright 2020 Vendor Print Ltd\n")],
        "LICENSE.vendor",
    );
    assert_review_naming(
        ACME,
        &[("assets/LICENSE", "(c) 2019 Widget Type Foundry\n")],
        "assets/LICENSE",
    );
}

#[test]
fn a_licence_page_of_the_licensors_holder_line_with_a_withholding_tail_needs_review() {
    // Red-team class k: each tail is outside the withholding vocabulary's phrasings.
    for tail in [
        "Reproduction prohibited.",
        "Unauthorised copying prohibited.",
        "Use restricted to the Department.",
        "Licensed to the Department only.",
        "Proprietary and confidential.",
    ] {
        assert_review_naming(
            ACME,
            &[(
                "docs/licence.md",
                &format!("# Licence\n\nCopyright 2020 Acme Ltd. {tail}\n"),
            )],
            "docs/licence.md",
        );
    }
}

#[test]
fn a_licence_page_of_the_licensors_holder_line_alone_stays_allowed() {
    for page in [
        "## Copyright\n\n© 2019-2021 Acme Ltd\n",
        "# Licence\n\nCopyright 2020 Acme Ltd and contributors\n",
    ] {
        let (verdict, reasons) = repo(ACME, &[("docs/licence.md", page)]);
        assert_eq!(verdict, "allowed", "{page}: {reasons:#?}");
    }
}

#[test]
fn a_holder_only_licence_file_of_the_repository_licensor_stays_allowed() {
    let (verdict, reasons) = repo(ACME, &[("LICENSE.vendor", "Copyright 2020 Acme Ltd\n")]);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
    let (verdict, reasons) = repo(
        ACME,
        &[("docs/LICENSE", "Copyright (c) 2021 ACME LIMITED\n")],
    );
    assert_eq!(verdict, "allowed", "{reasons:#?}");
}

/// Sentences that withhold or limit, built from parts so that most of them are written nowhere else.
fn withholding_sentence() -> impl Strategy<Value = String> {
    let verb = prop::sample::select(vec![
        "redistribution",
        "copying",
        "resale",
        "duplication",
        "lending",
        "mirroring",
        "hosting",
        "disclosure",
        "reproduction",
        "publication",
    ]);
    let scope = prop::sample::select(vec![
        "internal NHS",
        "internal",
        "departmental",
        "personal",
        "evaluation",
        "exclusive",
        "in-house",
        "client",
    ]);
    let party = prop::sample::select(vec![
        "the licensee",
        "Acme staff",
        "approved suppliers",
        "the purchasing organisation",
    ]);
    (verb, scope, party, 0..12usize).prop_map(|(verb, scope, party, form)| {
        let cap = |s: &str| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        match form {
            0 => format!("Not for {verb}."),
            1 => format!("For {scope} use only."),
            2 => format!("No {verb} without a signed agreement."),
            3 => "None of the above applies; all rights reserved.".to_string(),
            4 => format!("{} is reserved to {party}.", cap(verb)),
            5 => format!("Licensed to {party} for {scope} use."),
            6 => format!("{} by {party} only.", cap(verb)),
            7 => format!(
                "{} requires a written agreement with the vendor.",
                cap(verb)
            ),
            8 => format!("Reserved for the {scope} use of {party}."),
            9 => format!("{} Use Only", cap(scope)),
            10 => format!("{} forbidden.", cap(verb)),
            _ => format!("Do not permit {verb}."),
        }
    })
}

/// Tails after a holder's name that say only how to reach or count it.
fn harmless_tail() -> impl Strategy<Value = String> {
    prop_oneof![
        (2000u32..2020, 2020u32..2026).prop_map(|(a, b)| format!("{a}-{b}")),
        Just("and contributors".to_string()),
        Just("and its affiliates".to_string()),
        Just("<opensource@acme.example>".to_string()),
        Just("(https://acme.example.com)".to_string()),
        Just("https://www.acme.example.org/".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// A withholding sentence after the holder, on the MIT text's own line or in a second licence file at
    /// the root or below it, never leaves the repository allowed.
    #[test]
    fn a_withholding_sentence_after_a_holder_is_never_allowed(
        sentence in withholding_sentence(),
        place in 0..5usize,
    ) {
        let (verdict, reasons) = match place {
            0 => repo(&format!("{ACME}. {sentence}"), &[]),
            1 => repo(ACME, &[("LICENSE.vendor", &format!("Copyright 2020 Vendor Print Ltd. {sentence}\n"))]),
            2 => repo(ACME, &[("fonts/LICENSE.txt", &format!("© 2020 Acme Ltd. {sentence}\n"))]),
            // A documentation licence page of the licensor's own holder line and nothing else: the words
            // after the name are held to the holder shape, not to a list of withholding phrasings.
            3 => repo(ACME, &[("docs/licence.md", &format!("# Licence\n\nCopyright 2020 Acme Ltd. {sentence}\n"))]),
            _ => repo(ACME, &[("docs/legal/copyright.md", &format!("(c) Acme Ltd 2020. {sentence}\n"))]),
        };
        prop_assert_ne!(verdict.as_str(), "allowed", "{}: {:#?}", sentence, reasons);
    }

    /// A harmless tail after the holder on the MIT text's own copyright line keeps the repository allowed.
    #[test]
    fn a_harmless_tail_after_the_holder_stays_allowed(tail in harmless_tail()) {
        let (verdict, reasons) = repo(&format!("{ACME} {tail}"), &[]);
        prop_assert_eq!(verdict.as_str(), "allowed", "{}: {:#?}", tail, reasons);
    }
}
