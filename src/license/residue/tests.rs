//! Unit tests of the residue accounting.

use std::time::{Duration, Instant};

use super::*;

fn canonical(text: &str) -> Canonical {
    Canonical::from_lines(&text.lines().map(str::to_string).collect::<Vec<_>>())
}

const MIT: &str = "MIT License\n\nCopyright (c) <year> <copyright holders>\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software, to deal in the Software without restriction.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\".";

fn residue_of(found: &str) -> Vec<Unaccounted> {
    let c = canonical(MIT);
    unaccounted(found, &[&c], &[], &["MIT".to_string()], None)
}

#[test]
fn the_canonical_text_with_a_holder_title_and_links_leaves_nothing() {
    let found = "# The MIT License (MIT)\n\nSPDX-License-Identifier: MIT\n\nCopyright (c) 2021 Crown Copyright (NHS England). All rights reserved.\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this\nsoftware, to deal in the Software without restriction.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\".\n\n---\n\nhttps://opensource.org/licenses/MIT\n";
    assert_eq!(residue_of(found), []);
}

#[test]
fn a_sentence_nobody_wrote_down_is_residue_with_its_line() {
    for (extra, at_end) in [
        (
            "Except that redistribution of this Software is prohibited.",
            true,
        ),
        ("For internal NHS use only.", true),
        ("Draft only — does not apply", false),
        ("The owls are not what they seem.", true),
    ] {
        let found = if at_end {
            format!("{MIT}\n\n{extra}\n")
        } else {
            format!("{extra}\n\n{MIT}")
        };
        let got = residue_of(&found);
        assert_eq!(got.len(), 1, "{extra}: {got:?}");
        assert_eq!(got[0].text, extra);
        let want = found.lines().position(|l| l == extra).unwrap() + 1;
        assert_eq!(got[0].line, want, "{extra}");
    }
}

#[test]
fn words_inserted_inside_the_licence_text_are_residue() {
    let found = MIT.replace(
        "to deal in the Software",
        "to deal (for research only) in the Software",
    );
    let got = residue_of(&found);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].line, 6);
}

#[test]
fn a_holder_in_the_placeholder_position_and_list_numbers_are_not_residue() {
    let c = canonical(
        "1. Neither the name of the copyright holder nor the names of its contributors may be used.",
    );
    let found =
        "(a) Neither the name of NHS England nor the names of its contributors may be used.";
    assert_eq!(
        unaccounted(found, &[&c], &[], &["BSD-3-Clause".into()], None),
        []
    );
    // A restriction in that position is not a name.
    let found = "(a) Neither the name of the NHS, which is not a licensor, nor the names of its contributors may be used.";
    assert_eq!(
        unaccounted(found, &[&c], &[], &["BSD-3-Clause".into()], None).len(),
        1
    );
}

#[test]
fn a_holder_line_that_says_more_than_a_name_is_residue() {
    let found = format!("Copyright 2021 NHS Example. Not for redistribution.\n\n{MIT}");
    let got = residue_of(&found);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].line, 1);
}

#[test]
fn a_grant_statement_for_a_licence_named_is_accounted_for_and_one_with_a_restriction_is_not() {
    let found = format!("This project is licensed under the MIT licence.\n\n{MIT}");
    assert_eq!(residue_of(&found), []);
    let found =
        format!("This project is licensed under the MIT licence for non-commercial use.\n\n{MIT}");
    assert_eq!(residue_of(&found).len(), 1);
}

#[test]
fn a_text_that_stops_mid_sentence_is_residue_at_its_last_line() {
    let cut = &MIT[..MIT.find("without restriction").unwrap()];
    let got = residue_of(cut);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].line, 6);
    assert!(
        got[0].text.ends_with("(the text stops here, mid-sentence)"),
        "{got:?}"
    );
    // A heading or a link as the last line is no cut.
    assert_eq!(
        residue_of(&format!("{MIT}\n\nEND OF TERMS AND CONDITIONS\n")),
        []
    );
    assert_eq!(
        residue_of(&format!("{MIT}\n\nhttps://opensource.org/licenses/MIT\n")),
        []
    );
}

#[test]
fn a_hostile_paragraph_of_thousands_of_lines_is_reported_briefly() {
    let padding = "Reuse is subject to terms kept by the owner\n".repeat(5000);
    let started = Instant::now();
    let got = residue_of(&format!("{MIT}\n\n{padding}"));
    assert!(
        !got.is_empty() && got.len() <= MAX_REPORTED,
        "{}",
        got.len()
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_framing_line_where_the_copyright_line_stands_is_no_holder() {
    let c = canonical("Copyright (c) <year> <owner>\n\nRedistribution and use are permitted.");
    let found = "Proposed licence for discussion\n\nRedistribution and use are permitted.";
    assert_eq!(
        unaccounted(found, &[&c], &[], &["BSD-2-Clause".into()], None).len(),
        1
    );
}

#[test]
fn a_name_grants_on_a_grant_sentence_or_under_the_top_licence_heading_only() {
    let top = "## License\n\nMIT License - see LICENSE for details\n";
    assert!(grants_at(top, 3, false));
    let wrapped = "Licence\n=======\n\nThis project is released\nunder the MIT licence.\n";
    assert!(grants_at(wrapped, 5, false));
    for named in [
        "### License\n\nMIT\n",
        "## License\n\n`MIT`\n",
        "## License\n\n```\nMIT\n```\n",
        "## Dependencies\n\nMIT\n",
    ] {
        let at = named.lines().position(|l| l.contains("MIT")).unwrap() + 1;
        assert!(!grants_at(named, at, false), "{named:?}");
    }
}

#[test]
fn a_link_definition_is_not_residue_unless_its_label_says_more_than_a_name() {
    let found = "This project is licensed under the MIT licence.\n\n[contributors]: https://example.org/graphs\n";
    assert_eq!(
        unaccounted_beside_a_reference(found, &[], &["MIT".into()]),
        []
    );
    let found = "This project is licensed under the MIT licence.\n\n[not for redistribution]: https://example.org\n";
    assert_eq!(
        unaccounted_beside_a_reference(found, &[], &["MIT".into()]).len(),
        1
    );
}

#[test]
fn without_a_licence_text_every_word_but_the_harmless_shapes_is_residue() {
    let found = "Licence\n=======\n\nThis project is licensed under the MIT Licence.\n\nContributors are thanked in the changelog.\n";
    let got = unaccounted(found, &[], &[], &["MIT".into()], None);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].line, 6);
}

#[test]
fn a_holder_line_carrying_a_clause_of_ordinary_words_is_residue() {
    // Found by bundled's property test: words that are no name, written after the holder, passed as a holder
    // line because none of them was on the list of words a name does not hold.
    let found = format!(
        "Copyright 2015 Pat Doe and Contributors  In addition, this package belongs to Acme Ltd, who reserve every right in it.\n\n{MIT}"
    );
    let got = residue_of(&found);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].line, 1);
    // Holders as real files write them stay holders.
    for holder in [
        "Copyright (c) 2016 Pat Doe <pat@example.org> (https://example.org)",
        "Copyright (c) 2013 the purescript developers",
        "Copyright jQuery Foundation and other contributors, https://jquery.org/",
        "Copyright (c) 2012 mcollina",
        "Copyright (c) Oracle and/or its affiliates. All rights reserved.",
        "(c) Crown copyright 2021, Government Digital Service",
        "Copyright (c) 2010-2015 by the respective authors of this project",
    ] {
        assert_eq!(residue_of(&format!("{holder}\n\n{MIT}")), [], "{holder}");
    }
}

const NC_PORT: &str = "LicenseRef-CC-BY-NC-2.5-Scotland";
const NC_GRANT: &str = "Except where otherwise noted, advice and guidance text is licensed under a [Creative Commons Attribution Non-Commercial 2.5 License](http://creativecommons.org/licenses/by-nc/2.5/scotland/).";

/// The residue of `found`, an MIT text beside a grant by reference of `cc` (whose companions may be quoted).
fn residue_beside(found: &str, cc: &str) -> Vec<Unaccounted> {
    let c = canonical(MIT);
    let quoted: Vec<&Canonical> = companions_of(cc);
    unaccounted(
        found,
        &[&c],
        &quoted,
        &["MIT".to_string(), cc.to_string()],
        None,
    )
}

#[test]
fn a_grant_subject_may_describe_a_part_in_its_own_words_never_the_whole_nor_with_a_restriction() {
    assert_eq!(residue_beside(&format!("{NC_GRANT}\n\n{MIT}"), NC_PORT), []);
    for twin in [
        // A restriction in the subject, or after the licence.
        "Internal advice and guidance text is licensed under a [Creative Commons Attribution Non-Commercial 2.5 License](http://creativecommons.org/licenses/by-nc/2.5/scotland/).",
        "Advice and guidance text for staff only is licensed under a [Creative Commons Attribution Non-Commercial 2.5 License](http://creativecommons.org/licenses/by-nc/2.5/scotland/).",
        "Advice and guidance text is licensed under a [Creative Commons Attribution Non-Commercial 2.5 License](http://creativecommons.org/licenses/by-nc/2.5/scotland/) but must be returned on request.",
        // Words of its own in a subject that is not a part already: the whole repository, narrowed.
        "Selected older parts of this repository are licensed under the MIT licence.",
        // More words of its own than a description.
        "Advice and guidance text reviewed by our lawyers yearly is licensed under a [Creative Commons Attribution Non-Commercial 2.5 License](http://creativecommons.org/licenses/by-nc/2.5/scotland/).",
    ] {
        let got = residue_beside(&format!("{twin}\n\n{MIT}"), NC_PORT);
        assert_eq!(got.len(), 1, "{twin}: {got:?}");
        assert_eq!(got[0].line, 1, "{twin}");
    }
}

#[test]
fn a_heading_labels_the_grant_under_it_and_nothing_else() {
    let found = format!("## Advice and guidance text\n\n{NC_GRANT}\n\n## Software\n\n{MIT}");
    assert_eq!(residue_beside(&found, NC_PORT), []);
    for heading in [
        "## Withdrawn advice and guidance text",
        "## Draft guidance",
        "## Advice and guidance text: not for reuse",
    ] {
        let found = format!("{heading}\n\n{NC_GRANT}\n\n{MIT}");
        let got = residue_beside(&found, NC_PORT);
        assert_eq!(got.len(), 1, "{heading}: {got:?}");
        assert_eq!(got[0].line, 1, "{heading}");
    }
    // A heading over words that are no grant is read like any line.
    let found = format!("## Advice and guidance text\n\nAdvice and guidance text.\n\n{MIT}");
    assert!(!residue_beside(&found, NC_PORT).is_empty());
}

#[test]
fn a_holder_on_behalf_of_another_is_a_holder_line_and_a_clause_beside_it_is_not() {
    let ok = "Copyright (c) 2014–2016 [The University of Edinburgh](http://www.ed.ac.uk) on behalf of [The Software Sustainability Institute](http://www.software.ac.uk).";
    assert_eq!(residue_of(&format!("{ok}\n\n{MIT}")), []);
    let twin = "Copyright (c) 2016 The University of Edinburgh on behalf of the Institute, who keep every right in it.";
    assert_eq!(residue_of(&format!("{twin}\n\n{MIT}")).len(), 1);
}

const DEED: &str = "**You are free to:**\n\n* **Share** — copy and redistribute the material in any medium or format\n* **Adapt** — remix, transform, and build upon the material\n\nThe licensor cannot revoke these freedoms as long as you follow the license terms.\n\n**Under the following terms:**\n\n* **Non-Commercial** — You may not use the material for commercial purposes.\n";

#[test]
fn a_creative_commons_deed_is_accounted_for_beside_a_licence_with_its_elements_only() {
    let found = format!("{NC_GRANT}\n\n{DEED}\n{MIT}");
    assert_eq!(residue_beside(&found, NC_PORT), []);
    // The NonCommercial paragraph beside a licence without NC is a restriction nobody accounts for, and so is
    // Adapt beside a licence with ND.
    let by = "This documentation is licensed under the [Creative Commons Attribution 4.0 International License](https://creativecommons.org/licenses/by/4.0/).";
    let got = residue_beside(&format!("{by}\n\n{DEED}\n{MIT}"), "CC-BY-4.0");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].text.contains("commercial purposes"), "{got:?}");
    let nd = "This documentation is licensed under the [Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International License](https://creativecommons.org/licenses/by-nc-nd/4.0/).";
    let got = residue_beside(&format!("{nd}\n\n{DEED}\n{MIT}"), "CC-BY-NC-ND-4.0");
    assert!(got.iter().any(|u| u.text.contains("Adapt")), "{got:?}");
    // A restriction written into a deed's sentence is residue.
    let written = DEED.replace(
        "as long as you follow the license terms.",
        "as long as you follow the license terms and pay the annual fee.",
    );
    assert!(written.contains("annual fee"));
    let got = residue_beside(&format!("{NC_GRANT}\n\n{written}\n{MIT}"), NC_PORT);
    assert!(!got.is_empty(), "{got:?}");
}

#[test]
fn a_request_for_credit_is_accounted_for_and_a_term_dressed_as_one_is_not() {
    for ok in [
        "If you use our grids please acknowledge OS.",
        "* **Attribution** — You must give appropriate credit (mentioning that your work is derived from work that is Copyright (c) The University of Edinburgh and, where practical, linking to http://www.software.ac.uk/), provide a [link to the license](http://creativecommons.org/licenses/by-nc/2.5/scotland/), and indicate if changes were made.",
    ] {
        assert_eq!(
            residue_beside(&format!("{NC_GRANT}\n\n{ok}\n\n{MIT}"), NC_PORT),
            [],
            "{ok}"
        );
    }
    for twin in [
        "If you use our grids commercially please acknowledge OS.",
        "Please acknowledge OS and do not redistribute the grids.",
        "Please acknowledge OS and pay.",
        "If you sell our grids please acknowledge OS.",
        "* **Attribution** — You must give appropriate credit (mentioning that your work is derived from work that is Copyright (c) The University of Edinburgh, for internal use only), provide a [link to the license](http://creativecommons.org/licenses/by-nc/2.5/scotland/), and indicate if changes were made.",
    ] {
        let got = residue_beside(&format!("{NC_GRANT}\n\n{twin}\n\n{MIT}"), NC_PORT);
        assert_eq!(got.len(), 1, "{twin}: {got:?}");
    }
}

const RECORD: &str = "### Third-party software\n\n**Software Carpentry**\n\n* http://software-carpentry.org\n* Copyright (c) Software Carpentry.\n* License: [MIT license](http://opensource.org/licenses/mit-license.html).\n* Files: `LICENSE.md`, `Makefile`, `_layouts/page.html`. Modified from originals from [shell-novice](https://github.com/swcarpentry/shell-novice) lesson (commit [bb5275c](https://github.com/swcarpentry/shell-novice/commit/bb5275c)).\n";

#[test]
fn a_third_party_record_is_accounted_for_only_whole_and_plain() {
    assert_eq!(residue_of(&format!("{MIT}\n\n{RECORD}")), []);
    // Without its licence line, or its holder line, the record is words nobody accounts for.
    let unlicensed = RECORD.replace(
        "* License: [MIT license](http://opensource.org/licenses/mit-license.html).\n",
        "",
    );
    assert!(!residue_of(&format!("{MIT}\n\n{unlicensed}")).is_empty());
    let unheld = RECORD.replace("* Copyright (c) Software Carpentry.\n", "");
    assert!(!residue_of(&format!("{MIT}\n\n{unheld}")).is_empty());
    // A name line that is not the record's holder's name.
    let renamed = RECORD.replace("**Software Carpentry**", "**Paid Licence Required**");
    assert!(!residue_of(&format!("{MIT}\n\n{renamed}")).is_empty());
    // A term written into a field.
    for field in [
        "* Files: `data/`. Internal use only.",
        "* Files: `data/`. Not to be redistributed.",
        "* Files: `data/`. Modified from originals, returned on request.",
        "* Files: `fonts/`. Paid Licence Required.",
    ] {
        let record = format!("{RECORD}{field}\n");
        let got = residue_of(&format!("{MIT}\n\n{record}"));
        assert_eq!(got.len(), 1, "{field}: {got:?}");
    }
}

#[test]
fn a_rule_for_what_the_project_takes_in_is_accounted_for_and_a_restriction_on_copies_is_not() {
    let grant = "Unless otherwise specified, all content in this repository and any copies are subject to Crown Copyright, dual licensed under the [MIT License](./LICENSE) and the [Open Government License v3](./LICENSE).";
    let named = ["MIT".to_string(), "OGL-UK-3.0".to_string()];
    let rule = "Any new work added to this repository must conform to the conditions of these licenses. In particular this means that this project may not depend on GPL-licensed or AGPL-licensed libraries, as these would violate the terms of those libraries' licenses.";
    let section = format!("## Copyright and License\n\n{grant}\n\n{rule}\n");
    assert_eq!(unaccounted_beside_a_reference(&section, &[], &named), []);
    for twin in [
        "This project may not be used commercially.",
        "Copies of this project must conform to internal policy.",
        "Any new work added to this repository must not be redistributed.",
        "This project may not depend on you redistributing it.",
        "Any work in this repository must conform to the conditions of these licenses and may not be sold.",
    ] {
        let section = format!("## Copyright and License\n\n{grant}\n\n{twin}\n");
        let got = unaccounted_beside_a_reference(&section, &[], &named);
        assert_eq!(got.len(), 1, "{twin}: {got:?}");
    }
}

#[test]
fn a_readme_section_asking_for_credit_beside_its_grant_and_pointer_is_accounted_for() {
    // OrdnanceSurvey/OS-British-National-Grids, README.md's Licence section.
    let named = ["OGL-UK-3.0".to_string()];
    let section = "## Licence\n\nIf you use our grids please acknowledge OS.\n\nThis repo is licensed under the terms of the [Open Government Licence (OGL) v3.0](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Please see [./LICENCE.txt](./LICENCE.txt).\n\nContains OS data © Crown copyright and database right 2021.\n";
    assert_eq!(unaccounted_beside_a_reference(section, &[], &named), []);
    for twin in [
        "If you use our grids please acknowledge OS and pay the fee.",
        "If you use our grids commercially please acknowledge OS.",
        "Please see [./LICENCE.txt](./LICENCE.txt) before any reuse.",
    ] {
        let section = section.replace("If you use our grids please acknowledge OS.", twin);
        let got = unaccounted_beside_a_reference(&section, &[], &named);
        assert_eq!(got.len(), 1, "{twin}: {got:?}");
    }
}

#[test]
fn a_line_says_only_who_holds_in_the_holder_shape_and_never_with_a_sentence_after_the_name() {
    for harmless in [
        "Copyright 2016-2017 Crown Copyright",
        "Copyright (C) 2018-2020 Digital Patterns Limited",
        "## Copyright",
        "© 2019-2021 Acme Ltd and contributors",
        "(c) Crown copyright 2014 Defence Science Laboratory UK",
    ] {
        assert!(super::says_only_who_holds(harmless), "{harmless}");
    }
    for tail in [
        "Reproduction prohibited.",
        "Unauthorised copying prohibited.",
        "Use restricted to the Department.",
        "Licensed to the Department only.",
        "Proprietary and confidential.",
        "For evaluation purposes.",
    ] {
        let line = format!("Copyright 2023 Acme Digital Ltd. {tail}");
        assert!(!super::says_only_who_holds(&line), "{line}");
    }
}
