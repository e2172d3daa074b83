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
    assert!(grants_at(top, 3));
    let wrapped = "Licence\n=======\n\nThis project is released\nunder the MIT licence.\n";
    assert!(grants_at(wrapped, 5));
    for named in [
        "### License\n\nMIT\n",
        "## License\n\n`MIT`\n",
        "## License\n\n```\nMIT\n```\n",
        "## Dependencies\n\nMIT\n",
    ] {
        let at = named.lines().position(|l| l.contains("MIT")).unwrap() + 1;
        assert!(!grants_at(named, at), "{named:?}");
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
