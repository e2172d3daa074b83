//! How keepopen reads licence-like text (issue 21, the needless reviews of the acceptance sets): a README
//! licence section whose whole body is a licence name; the words a licensor publishes with a licence outside
//! its terms (CPython's history, Creative Commons' current closing notice); and invisible code points, which
//! matter where they can change the words read and nowhere else. Each case is a real git repository built in a
//! temporary directory and taken through `check_repo`, the path `keepopen check --licence-only` takes; each
//! needless case has its dangerous twin beside it.

use keepopen::check::RepoCheck;

use crate::support::check::check_files;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const PYTHON: &str = include_str!("../../licenses/text/Python-2.0.1.txt");
const PYTHON_HISTORY: &str = include_str!("../../licenses/companions/Python-history.txt");
const CC_BY_4: &str = include_str!("../../licenses/text/CC-BY-4.0.txt");

fn check(files: &[(&str, &str)]) -> RepoCheck {
    check_files(files)
}

#[track_caller]
fn assert_allowed(r: &RepoCheck, ids: &[&str]) {
    assert_eq!(
        r.verdict,
        "allowed",
        "reasons {:?}; findings {:#?}",
        r.verdict.reasons(),
        r.findings
    );
    assert_eq!(r.licenses, ids, "{:#?}", r.findings);
}

#[track_caller]
fn assert_not_allowed(r: &RepoCheck, what: &str) {
    assert_ne!(
        r.verdict, "allowed",
        "{what}: allowed; findings {:#?}",
        r.findings
    );
}

const PYPROJECT_MIT: &str =
    "[project]\nname = \"receipts\"\nversion = \"0.1.0\"\nlicense = \"MIT\"\n";

fn readme(licence_section: &str) -> String {
    format!(
        "# Receipts\n\nReads receipts and totals them.\n\n## Usage\n\n```bash\nuv run receipts\n```\n\n{licence_section}\n"
    )
}

/// i-dot-ai/fse-tech-test-sept25: no licence file, `## License` then `MIT`, and pyproject's `license = "MIT"`.
#[test]
fn a_readme_licence_section_whose_whole_body_is_a_licence_name_licenses_the_repository() {
    let r = check(&[
        ("README.md", &readme("## License\n\nMIT")),
        ("pyproject.toml", PYPROJECT_MIT),
    ]);
    assert_allowed(&r, &["MIT"]);
    // Alone too: the section is a statement, not weak evidence.
    let r = check(&[("README.md", &readme("## Licence\n\n**Apache 2.0**"))]);
    assert_allowed(&r, &["Apache-2.0"]);
}

/// i-dot-ai/caddy: no licence file, and the README ends with `### 🧾 License` then `MIT`, nested one level
/// down under "## 🚀 Getting Started" as all its sections are. Was *forbidden* ("no licence anywhere").
#[test]
fn a_readme_closing_with_its_only_licence_section_nested_under_generic_headings_licenses_the_repository()
 {
    let section =
        "## 🚀 Getting Started\n\n### 📂 Features\n\n- Reads receipts\n\n### 🧾 License\nMIT";
    let r = check(&[("README.md", &readme(section))]);
    assert_allowed(&r, &["MIT"]);
    // A name without its version stays vague: no allowed verdict rests on an assumed version.
    let vague = "## 🚀 Getting Started\n\n### 🧾 License\nGPL";
    assert_not_allowed(&check(&[("README.md", &readme(vague))]), vague);
}

#[test]
fn a_readme_licence_section_with_more_than_a_name_or_set_apart_is_no_bare_statement() {
    for section in [
        "## License\n\nMIT except for the fonts in assets/, which are not ours to license",
        "## License\n\nMIT\n\nNot for redistribution outside the department.",
        "## License\n\n```\nMIT\n```",
        "## License\n\n> MIT",
        "## License\n\n<!-- MIT -->",
        "## License\n\n`MIT`",
        "## License\n\nDraft: MIT",
        // Under a component's heading, a licence section may speak for that component only.
        "## The vendored parser\n\nCopied from upstream.\n\n### License\n\nMIT",
        "## Frontend\n\nThe web client.\n\n### 🧾 License\n\nMIT",
        // A nested licence section that the README does not close with, or one of two.
        "## Getting Started\n\n### License\n\nMIT\n\n### Features\n\nIt reads receipts.",
        "## Getting Started\n\n### Licence of the data\n\nOGL v3\n\n### License\n\nMIT",
        // Emphasis or a heading does not make a restriction a name.
        "## Getting Started\n\n### License\n\n**Proprietary**",
        "## Getting Started\n\n### Not licensed\n\nMIT",
    ] {
        let r = check(&[
            ("README.md", &readme(section)),
            ("pyproject.toml", PYPROJECT_MIT),
        ]);
        assert_not_allowed(&r, section);
    }
}

/// A README section that grants by naming the licence is read for withholding sentences as a notice file is:
/// "For internal NHS use only." beside `Apache-2.0` was *allowed*.
#[test]
fn a_withholding_sentence_beside_a_readme_grant_is_never_allowed() {
    for sentence in [
        "For internal NHS use only.",
        "These materials cannot be sold or shared with third parties.",
        "Not for redistribution.",
        "This repository is confidential.",
    ] {
        for section in [
            format!("## License\n\nApache-2.0\n\n{sentence}"),
            format!("## Licence\n\nThis project is licensed under the MIT licence.\n\n{sentence}"),
            format!("## License\n\n{sentence}\n\nMIT"),
        ] {
            let r = check(&[("README.md", &readme(&section))]);
            assert_not_allowed(&r, &section);
        }
    }
}

/// cabinetoffice/cop26-edge: `node_modules/argparse/LICENSE` is CPython's LICENSE, history first.
#[test]
fn the_python_licence_as_cpython_publishes_it_with_its_history_is_allowed() {
    let text = format!("{PYTHON_HISTORY}\n{PYTHON}");
    let r = check(&[("LICENSE", &text)]);
    assert_allowed(&r, &["Python-2.0.1"]);
}

#[test]
fn words_written_into_a_licences_published_companion_text_are_still_residue() {
    let history = PYTHON_HISTORY.replacen(
        "Thanks to the many outside volunteers",
        "Redistribution of this copy outside the United Kingdom is not permitted.\n\nThanks to the many outside volunteers",
        1,
    );
    let r = check(&[("LICENSE", &format!("{history}\n{PYTHON}"))]);
    assert_not_allowed(&r, "a restriction inside the Python history");
    let notice = current_cc_notice().replacen(
        "Creative Commons may be contacted at creativecommons.org.",
        "The Licensed Material may not be used for commercial purposes.\n\nCreative Commons may be contacted at creativecommons.org.",
        1,
    );
    let r = check(&[("LICENSE", &notice)]);
    assert_not_allowed(&r, "a restriction inside the Creative Commons notice");
}

/// The CC BY 4.0 legal code as Creative Commons publishes it today: its closing notice has a sentence on the
/// CC0 dedication of the licence texts that SPDX's copy lacks (corpus file 028).
fn current_cc_notice() -> String {
    let old = "will be considered the “Licensor.” Except for";
    assert!(CC_BY_4.contains(old), "the SPDX text's notice has changed");
    CC_BY_4.replacen(
        old,
        "will be considered the “Licensor.” The text of the Creative Commons public licenses is dedicated to the public domain under the CC0 Public Domain Dedication. Except for",
        1,
    )
}

#[test]
fn a_cc_by_4_0_text_with_the_current_closing_notice_is_allowed() {
    let r = check(&[("LICENSE", &current_cc_notice())]);
    assert_allowed(&r, &["CC-BY-4.0"]);
}

mod invisible {
    //! Invisible and direction-changing code points matter where they can change the words read: inside a
    //! word (stored, it splits the word a reader sees whole) or, for a bidi control, anywhere in licence
    //! text (it reorders what is shown). A zero-width character between words changes no word, and words
    //! of a README outside its licence sections are not licence text at all.

    use proptest::prelude::*;

    use super::*;

    const ZERO_WIDTH: &[char] = &['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{ad}'];
    /// The bidi controls that can change the order a line is displayed in, in a left-to-right line too.
    const BIDI: &[char] = &[
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200f}', '\u{61c}',
    ];
    /// LEFT-TO-RIGHT MARK: in a line with no right-to-left character and no other control, it moves nothing.
    const LRM: char = '\u{200e}';

    fn mit() -> String {
        MIT.replace("<year> <copyright holders>", "2021 Crown Copyright")
    }

    /// The licence-relevant lines of a repository: every line of words of its MIT LICENSE, and the README's
    /// licence sentence.
    fn readme_with(licence_line: &str, intro: &str) -> String {
        format!("# Horizons\n\n{intro}\n\n## Licence and copyright\n\n{licence_line}\n")
    }

    const LICENCE_LINE: &str =
        "This project is licensed under the MIT licence: see [LICENCE](LICENCE) for the terms.";
    const INTRO: &str =
        "A gallery of future technologies, built with Gatsby and published to GitHub Pages.";

    fn word_starts(line: &str) -> Vec<usize> {
        // Byte offsets strictly inside a word of two or more letters.
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        (1..chars.len())
            .filter(|&k| chars[k - 1].1.is_alphanumeric() && chars[k].1.is_alphanumeric())
            .map(|k| chars[k].0)
            .collect()
    }

    fn insert(text: &str, at: usize, c: char) -> String {
        format!("{}{c}{}", &text[..at], &text[at..])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Inside a word of any line of words of the licence file, or of the README's licence sentence, an
        /// invisible character is named and the repository is never allowed.
        #[test]
        fn an_invisible_character_inside_a_word_of_licence_text_is_never_allowed(
            c in proptest::sample::select([ZERO_WIDTH, BIDI].concat()),
            in_readme in any::<bool>(),
            line_pick in any::<prop::sample::Index>(),
            at_pick in any::<prop::sample::Index>(),
        ) {
            let licence = mit();
            let r = if in_readme {
                let inside = word_starts(LICENCE_LINE);
                let line = insert(LICENCE_LINE, inside[at_pick.index(inside.len())], c);
                check(&[("LICENCE", &licence), ("README.md", &readme_with(&line, INTRO))])
            } else {
                let lines: Vec<&str> = licence.lines().filter(|l| !word_starts(l).is_empty()).collect();
                let line = lines[line_pick.index(lines.len())];
                let inside = word_starts(line);
                let changed = insert(line, inside[at_pick.index(inside.len())], c);
                let text = licence.replacen(line, &changed, 1);
                check(&[("LICENCE", &text), ("README.md", &readme_with(LICENCE_LINE, INTRO))])
            };
            prop_assert!(r.verdict != "allowed", "{:?} inserted; findings {:#?}", c, r.findings);
        }

        /// A bidi control anywhere in a line of the licence file (between words too) is never allowed.
        #[test]
        fn a_bidi_control_anywhere_in_licence_text_is_never_allowed(
            c in proptest::sample::select(BIDI),
            line_pick in any::<prop::sample::Index>(),
            at_pick in any::<prop::sample::Index>(),
        ) {
            let licence = mit();
            let lines: Vec<&str> = licence.lines().filter(|l| !l.trim().is_empty()).collect();
            let line = lines[line_pick.index(lines.len())];
            let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
            let changed = insert(line, bounds[at_pick.index(bounds.len())], c);
            let text = licence.replacen(line, &changed, 1);
            let r = check(&[("LICENCE", &text)]);
            prop_assert!(r.verdict != "allowed", "{:?} inserted; findings {:#?}", c, r.findings);
        }

        /// ONSdigital/dp-filter-api (`Copyright ©\u{200e} 2018`): a left-to-right mark anywhere in a line of a
        /// left-to-right licence (inside a word too) is displayed as the line without it, and changes nothing.
        #[test]
        fn a_left_to_right_mark_in_a_left_to_right_line_changes_nothing(
            line_pick in any::<prop::sample::Index>(),
            at_pick in any::<prop::sample::Index>(),
        ) {
            let licence = mit();
            let baseline = check(&[("LICENCE", &licence)]);
            prop_assert!(baseline.verdict == "allowed", "{:?}", baseline.verdict.reasons());
            let lines: Vec<&str> = licence.lines().filter(|l| !l.trim().is_empty()).collect();
            let line = lines[line_pick.index(lines.len())];
            let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
            let changed = insert(line, bounds[at_pick.index(bounds.len())], LRM);
            let r = check(&[("LICENCE", &licence.replacen(line, &changed, 1))]);
            prop_assert_eq!(r.verdict.name(), baseline.verdict.name(), "reasons {:?}", r.verdict.reasons());
        }

        /// The same mark in a line that also holds a control that reorders, or a right-to-left letter, is
        /// named and never allowed; and an operative word stored reversed inside a right-to-left override
        /// (shown "not", stored "ton") is never allowed, with marks beside it or not.
        #[test]
        fn a_left_to_right_mark_never_hides_a_reordering(
            other in proptest::sample::select([BIDI, &['\u{5d0}', '\u{627}'][..]].concat()),
            word in proptest::sample::select(&["not", "no", "without", "granted", "free"][..]),
            line_pick in any::<prop::sample::Index>(),
            at_pick in any::<prop::sample::Index>(),
            marks in any::<bool>(),
        ) {
            let licence = mit();
            let lines: Vec<&str> = licence.lines().filter(|l| !l.trim().is_empty()).collect();
            let line = lines[line_pick.index(lines.len())];
            let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
            let at = bounds[at_pick.index(bounds.len())];
            let changed = insert(&insert(line, at, other), at, LRM);
            let r = check(&[("LICENCE", &licence.replacen(line, &changed, 1))]);
            prop_assert!(r.verdict != "allowed", "{:?} beside an LRM; findings {:#?}", other, r.findings);
            let reversed: String = word.chars().rev().collect();
            let grant = "Permission is hereby granted, free of charge, to any person obtaining a copy";
            let mark = if marks { LRM.to_string() } else { String::new() };
            let hostile = grant.replacen(
                "Permission is",
                &format!("Permission is{mark} \u{202e}{reversed}\u{202c}{mark}"),
                1,
            );
            let r = check(&[("LICENCE", &licence.replacen(grant, &hostile, 1))]);
            prop_assert!(r.verdict != "allowed", "override of {word:?}; findings {:#?}", r.findings);
        }

        /// A zero-width character between words of licence text, and any invisible character in a README's
        /// words outside its licence sections, change nothing: the verdict is the one without it.
        #[test]
        fn an_invisible_character_that_changes_no_licence_word_changes_nothing(
            zw in proptest::sample::select(ZERO_WIDTH),
            any_invisible in proptest::sample::select([ZERO_WIDTH, BIDI, &[LRM]].concat()),
            where_ in 0..3u8,
            at_pick in any::<prop::sample::Index>(),
        ) {
            let licence = mit();
            let baseline = check(&[("LICENCE", &licence), ("README.md", &readme_with(LICENCE_LINE, INTRO))]);
            prop_assert!(baseline.verdict == "allowed", "{:?}", baseline.verdict.reasons());
            let between = |line: &str| -> Vec<usize> {
                let chars: Vec<(usize, char)> = line.char_indices().collect();
                (0..=chars.len())
                    .filter(|&k| {
                        let before = k.checked_sub(1).map(|j| chars[j].1);
                        let after = chars.get(k).map(|c| c.1);
                        !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
                    })
                    .map(|k| chars.get(k).map_or(line.len(), |c| c.0))
                    .collect()
            };
            let r = match where_ {
                0 => {
                    // Between words of the README's licence sentence, or at its end (dstl/Human-Interface-Horizons).
                    let at = between(LICENCE_LINE);
                    let line = insert(LICENCE_LINE, at[at_pick.index(at.len())], zw);
                    check(&[("LICENCE", &licence), ("README.md", &readme_with(&line, INTRO))])
                }
                1 => {
                    // Between words of the licence's grant.
                    let line = "Permission is hereby granted, free of charge, to any person obtaining a copy";
                    prop_assert!(licence.contains(line));
                    let at = between(line);
                    let changed = insert(line, at[at_pick.index(at.len())], zw);
                    check(&[("LICENCE", &licence.replacen(line, &changed, 1)), ("README.md", &readme_with(LICENCE_LINE, INTRO))])
                }
                _ => {
                    // Anywhere in the README's introduction, which is not licence text.
                    let bounds: Vec<usize> = INTRO.char_indices().map(|(i, _)| i).chain([INTRO.len()]).collect();
                    let intro = insert(INTRO, bounds[at_pick.index(bounds.len())], any_invisible);
                    check(&[("LICENCE", &licence), ("README.md", &readme_with(LICENCE_LINE, &intro))])
                }
            };
            prop_assert_eq!(r.verdict.name(), baseline.verdict.name(), "reasons {:?}", r.verdict.reasons());
            prop_assert_eq!(&r.licenses, &baseline.licenses);
        }
    }
}

const GPL_3: &str = include_str!("../../licenses/text/GPL-3.0-only.txt");

/// ukgovdatascience/govstyle: `LICENSE.md` is the GPL-3.0 text with its version line and its closing line in
/// Markdown emphasis (`_Version 3, 29 June 2007_`, `_END OF TERMS AND CONDITIONS_`), which a person reads
/// as the licence's own words; they were residue, stored with their underscores.
#[test]
fn markdown_emphasis_around_a_licences_own_lines_is_read_as_shown() {
    let text = GPL_3
        .replacen("Version 3, 29 June 2007", "_Version 3, 29 June 2007_", 1)
        .replacen(
            "END OF TERMS AND CONDITIONS",
            "_END OF TERMS AND CONDITIONS_",
            1,
        );
    let r = check(&[("LICENSE.md", &text)]);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    // Emphasis shows the words it marks: an emphasised restriction is still a restriction.
    for restriction in [
        "_Not for redistribution._",
        "__Except that redistribution of this software is prohibited.__",
        "_For internal use only_",
    ] {
        let text = text.replacen(
            "_END OF TERMS AND CONDITIONS_",
            &format!("_END OF TERMS AND CONDITIONS_\n\n{restriction}"),
            1,
        );
        assert_not_allowed(&check(&[("LICENSE.md", &text)]), restriction);
    }
}

/// gchq/Palisade-services: no licence file; README.md opens with the Apache-2.0 standard notice, applied as
/// the licence's appendix says, its URL set apart as a paragraph of its own. The URL line was "names
/// Apache-2.0 but no sentence grants it".
fn apache_notice_readme(address: &str) -> String {
    format!(
        "<!---\nCopyright 2020 Crown Copyright\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy of the License at\n\n  {address}\n\nUnless required by applicable law or agreed to in writing, software\ndistributed under the License is distributed on an \"AS IS\" BASIS,\nWITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\nSee the License for the specific language governing permissions and\nlimitations under the License.\n--->\n\n# Gatekeeper\n\nEnforces data access policies.\n"
    )
}

#[test]
fn a_readme_opening_with_the_apache_standard_notice_grants_apache_and_its_address_is_its_pointer() {
    let readme = apache_notice_readme("http://www.apache.org/licenses/LICENSE-2.0");
    let r = check(&[("README.md", &readme)]);
    assert_allowed(&r, &["Apache-2.0"]);
    // The address paragraph is the grant's pointer only as a lone address of the licence granted.
    for address in [
        "http://www.apache.org/licenses/LICENSE-2.0 except for commercial use",
        "https://opensource.org/licenses/MIT",
        "http://www.apache.org/licenses/LICENSE-2.0 (not for redistribution)",
    ] {
        let r = check(&[("README.md", &apache_notice_readme(address))]);
        assert_not_allowed(&r, address);
    }
}
