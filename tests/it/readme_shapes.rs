//! Shapes of real licence sections that state no term of their own, each a class seen as a needless review
//! on the acceptance set, through real git repositories: HTML character references (`&copy;`) read as the
//! page shows them; a lead-in that only says the code is open source, and in-page navigation links; a
//! licensor's published guidance beside its licence (Defra's OGL block) and the GOV.UK statement with small
//! differences, matched as companion texts; a licence named with its version before the word "licence"
//! ("the Apache 2 license"). Each has its restriction-wrapped twin in `readme_shapes_mutants` below: the
//! new shape never carries a restriction through.

use keepopen::check::RepoCheck;

/// The check of a repository of one commit holding `files` beside a one-line `app.py`.
fn check_files(files: &[(&str, &str)]) -> RepoCheck {
    let mut files = files.to_vec();
    files.insert(0, ("app.py", "print(1)\n"));
    crate::support::check::check_files(&files)
}

fn check_readme(readme: &str) -> RepoCheck {
    check_files(&[("README.md", readme)])
}

pub(crate) fn canonical(id: &str) -> String {
    let path = format!("{}/licenses/text/{id}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const INTRO: &str = "# Example service\n\nA service that does one thing.\n\n";

/// LBHackney-IT/lbh-frontend's README: the GOV.UK statement with `&copy;` for ©.
pub(crate) const GOVUK_WITH_ENTITY: &str = "## Licence\n\nUnless stated otherwise, the codebase is released under the MIT License. This\ncovers both the codebase and any sample code in the documentation. The\ndocumentation is &copy; Crown copyright and available under the terms of the\nOpen Government 3.0 licence.\n";

/// hmrc/manage-pensions-frontend's README: a lead-in, Apache's standard notice, a back-to-top link.
pub(crate) const APACHE_LEAD_IN: &str = "## License\nThis code is open source software Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file except in compliance with the License. You may obtain a copy of the License at:\n\n[http://www.apache.org/licenses/LICENSE-2.0](http://www.apache.org/licenses/LICENSE-2.0)\n\nUnless required by applicable law or agreed to in writing, software distributed under the License is distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the License for the specific language governing permissions and limitations under the License.\n\n[↥ Back to Top](#manage-pensions-frontend)\n";

/// DEFRA/forms-runner's README (and biodiversity-net-gain-service, cdp-self-service-ops, nrf-frontend's
/// docs/licence.md): the OGL grant, the OGL's own attribution statement, and The National Archives'
/// description of the licence.
pub(crate) const DEFRA_OGL: &str = "## Licence\n\nTHIS INFORMATION IS LICENSED UNDER THE CONDITIONS OF THE OPEN GOVERNMENT LICENCE found at:\n\n<http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3>\n\nThe following attribution statement MUST be cited in your products and applications when using this information.\n\n> Contains public sector information licensed under the Open Government license v3\n\n### About the licence\n\nThe Open Government Licence (OGL) was developed by the Controller of Her Majesty's Stationery Office (HMSO) to enable\ninformation providers in the public sector to license the use and re-use of their information under a common open\nlicence.\n\nIt is designed to encourage use and re-use of information freely and flexibly, with only a few conditions.\n";

/// cabinetoffice/laravel-breeze-govuk-frontend's README: the GOV.UK statement's first sentence with a slip
/// ("released for this package is under"), and a pointer to GOV.UK Frontend's own licence.
pub(crate) const GOVUK_VARIANT: &str = "### Licence\nUnless stated otherwise, the codebase is released for this package is under the MIT License.\nThe licence for the GOV.UK Frontend codebase and documentation is available at: [GOV.UK Frontend licence](https://github.com/alphagov/govuk-frontend#licence)\n";

/// A NOTICE beside the Defra block, as DEFRA/biodiversity-net-gain-service's README points to (its holder a
/// body's name, as there: "Example" is a framing word, never a name, in a notice held to every line).
const DEFRA_NOTICE: &str = "Copyright (c) 2022 Northwind\n\nThe boundary data in this repository is licensed under the Open Government Licence v3.0.\n";

fn assert_allowed(r: &RepoCheck, what: &str) {
    assert_eq!(r.verdict, "allowed", "{what}: {:?}", r.verdict.reasons());
}

#[test]
fn an_html_character_reference_in_a_readme_statement_is_read_as_the_page_shows_it() {
    assert_allowed(
        &check_readme(&format!("{INTRO}{GOVUK_WITH_ENTITY}")),
        "&copy;",
    );
}

#[test]
fn a_lead_in_saying_the_code_is_open_source_and_a_back_to_top_link_beside_apaches_notice_stay_allowed()
 {
    let r = check_files(&[
        ("README.md", &format!("{INTRO}{APACHE_LEAD_IN}")),
        ("LICENSE", &canonical("Apache-2.0")),
    ]);
    assert_allowed(&r, "lead-in and navigation");
}

#[test]
fn defras_ogl_block_with_the_ogl_attribution_statement_is_a_companion_of_the_ogl() {
    assert_allowed(&check_readme(&format!("{INTRO}{DEFRA_OGL}")), "README");
    // The same block as a documentation page (DEFRA/nrf-frontend's docs/licence.md).
    let page = DEFRA_OGL.replacen("## Licence", "# Licence", 1);
    assert_allowed(
        &check_files(&[("README.md", INTRO), ("docs/licence.md", &page)]),
        "docs/licence.md",
    );
    // DEFRA/biodiversity-net-gain-service: the block's first part, then a heading and a pointer to the NOTICE.
    let first_part = &DEFRA_OGL[..DEFRA_OGL.find("### About").unwrap()];
    let readme = format!(
        "{INTRO}{first_part}### Additional licencing information\n\nRefer to [NOTICE](./NOTICE)\n"
    );
    let notice = DEFRA_NOTICE;
    assert_allowed(
        &check_files(&[("README.md", &readme), ("NOTICE", notice)]),
        "heading and pointer to NOTICE",
    );
}

#[test]
fn the_govuk_statement_with_a_slip_and_a_pointer_to_govuk_frontends_licence_is_matched_with_its_differences()
 {
    assert_allowed(&check_readme(&format!("{INTRO}{GOVUK_VARIANT}")), "variant");
}

#[test]
fn a_notice_naming_the_apache_2_license_with_the_version_before_the_word_licence_is_read() {
    // The project's name is a name (gaffer's NOTICES says "Gaffer"): "Example" is a framing word, never a name,
    // in a notice held to every line.
    let notices = "Copyright 2016-2017 Crown Copyright\n\nGizmo contains a class which is a modified version of a class from Apache Accumulo:\n\n- example.Combiner is based on Accumulo's Combiner class which is licensed under the Apache 2 license,\nCopyright 2011-2015 The Apache Software Foundation.\n\nGizmo is built using maven. We list its dependencies, and their licenses, below.\n\nKoryphe (uk.gov.gchq.koryphe:koryphe:0.1.1):\n\n- Apache License, Version 2.0\n\nApache Hadoop (org.apache.hadoop:hadoop-common:2.6.3):\n\n- Apache License, Version 2.0\n";
    let r = check_files(&[("LICENSE", &canonical("Apache-2.0")), ("NOTICES", notices)]);
    assert_allowed(&r, "NOTICES");
    for name in [
        "Apache 2 license",
        "Apache 2.0 licence",
        "Apache v2 License",
    ] {
        let refs = keepopen::license::reference::references(&format!("licensed under the {name}"));
        assert!(
            refs.iter().any(|r| r.id == "Apache-2.0"),
            "{name}: {refs:?}"
        );
    }
}

/// The real sections above, each whole: the base of the mutants.
fn bases() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        (
            "entity",
            vec![("README.md", format!("{INTRO}{GOVUK_WITH_ENTITY}"))],
        ),
        (
            "lead-in",
            vec![
                ("README.md", format!("{INTRO}{APACHE_LEAD_IN}")),
                ("LICENSE", canonical("Apache-2.0")),
            ],
        ),
        ("defra", vec![("README.md", format!("{INTRO}{DEFRA_OGL}"))]),
        (
            "variant",
            vec![("README.md", format!("{INTRO}{GOVUK_VARIANT}"))],
        ),
        (
            "heading and pointer",
            vec![
                (
                    "README.md",
                    format!(
                        "{INTRO}{}### Additional licencing information\n\nRefer to [NOTICE](./NOTICE)\n",
                        &DEFRA_OGL[..DEFRA_OGL.find("### About").unwrap()]
                    ),
                ),
                ("NOTICE", DEFRA_NOTICE.to_string()),
            ],
        ),
    ]
}

fn verdict_of(files: &[(&str, String)]) -> RepoCheck {
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    check_files(&files)
}

/// Encode the first letter of `sentence` as a hexadecimal character reference (`&#x4E;ot for …`).
fn entity_encoded(sentence: &str) -> String {
    let mut chars = sentence.chars();
    let first = chars.next().expect("a sentence");
    format!("&#x{:X};{}", u32::from(first), chars.as_str())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// A sentence of the harness's restriction grammar, put into each of the new shapes — after any line of
    /// the section, entity-encoded, after the open-source lead-in, as the label of an in-page link, written
    /// into a companion sentence — is never *allowed*.
    #[test]
    fn a_restriction_wrapped_in_a_new_harmless_shape_is_never_allowed(
        base in 0usize..5,
        seed in proptest::prelude::any::<u64>(),
        operator in 0usize..6,
        at in 0usize..64,
    ) {
        let (name, files) = bases().swap_remove(base);
        let sentence = crate::mutation::restriction(&mut crate::mutation::Rng(seed));
        let readme = &files[0].1;
        let lines: Vec<&str> = readme.lines().collect();
        // A line of the licence section (below the intro), where the mutant goes.
        let first = INTRO.lines().count();
        let line = first + 1 + at % (lines.len() - first - 1);
        let mut mutant: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        match operator {
            0 => mutant.insert(line, format!("\n{sentence}\n")),
            1 => mutant.insert(line, format!("\n{}\n", entity_encoded(&sentence))),
            2 => mutant.insert(line, format!("\nThis code is open source software. {sentence}\n")),
            3 => {
                let label = sentence.trim_end_matches('.');
                mutant.insert(line, format!("\n[{label}](#top)\n"));
            }
            4 => {
                // Into the middle of a line of the section, between two of its words.
                let words: Vec<&str> = lines[line].split(' ').collect();
                let cut = words.len() / 2;
                mutant[line] = format!(
                    "{} {} {}",
                    words[..cut].join(" "),
                    sentence.trim_end_matches('.').to_lowercase(),
                    words[cut..].join(" ")
                );
            }
            _ => {
                // Every operative sentence written as character references, letter by letter.
                let encoded: String = sentence.chars().map(|c| format!("&#{};", u32::from(c))).collect();
                mutant.insert(line, format!("\n{encoded}\n"));
            }
        }
        let mut files = files.clone();
        files[0].1 = mutant.join("\n") + "\n";
        let r = verdict_of(&files);
        proptest::prop_assert_ne!(
            r.verdict.name(),
            "allowed",
            "{} operator {}: {:?}",
            name,
            operator,
            files[0].1
        );
    }
}

/// Found by the property test above (its operator that writes a restriction into a line of the section): a
/// grant sentence was a harmless shape whenever none of its words was a listed negation or restriction, so a
/// restriction in other words written into it ("… requires a signed agreement with NHS England before reuse
/// …") was carried through by the grant. A grant sentence now holds only words of granting, titles, pointers
/// and names.
#[test]
fn a_restriction_in_unlisted_words_written_into_a_grant_sentence_is_residue() {
    for sentence in [
        "This project is licensed under the MIT License, and the code in this repository requires a signed agreement with NHS England before reuse.",
        "The documentation is available to NHS staff alone under the terms of the Open Government Licence v3.0.",
        "This code stays the property of the Department and is released under the MIT License.",
        // A bare link is a pointer only to a licence, not to other terms.
        "This project is licensed under the MIT License. [Acme Licence Agreement](https://example.org/eula)",
    ] {
        let r = check_readme(&format!("{INTRO}## Licence\n\n{sentence}\n"));
        assert_eq!(
            r.verdict,
            "needs-review",
            "{sentence}: {:?}",
            r.verdict.reasons()
        );
    }
    // The grant alone, and with the words a grant uses, stays allowed.
    for sentence in [
        "This project is licensed under the MIT License.",
        "The code in this repository is released under the MIT License, and all documentation under the Open Government Licence v3.0.",
    ] {
        assert_allowed(
            &check_readme(&format!("{INTRO}## Licence\n\n{sentence}\n")),
            sentence,
        );
    }
}
