use super::*;

fn found(path: &str, text: &[u8]) -> Vec<(usize, String)> {
    statements_in(path, text)
}

#[test]
fn a_readme_paragraph_outside_any_licence_section_is_read() {
    let f = found(
        "README.md",
        b"# widget\n\nThis repository is confidential and must not be shared outside Acme Digital Ltd.\n",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, 3);
}

/// Not a test: the measurement of this search on real mirrors. `STATEMENTS_MIRRORS` names a file of
/// `<name>\t<git dir>` lines; every statement found is printed as `<name>\t<file>:<line>\t<text>`.
#[test]
#[ignore = "a measurement over local mirrors, run by hand"]
fn measure_statements_on_mirrors() {
    let Ok(list) = std::env::var("STATEMENTS_MIRRORS") else {
        return;
    };
    let list = std::fs::read_to_string(list).expect("mirror list");
    for row in list.lines() {
        let Some((name, dir)) = row.split_once('\t') else {
            continue;
        };
        let Ok(repo) = Repository::open_bare(dir) else {
            println!("{name}\tERROR\tcannot open");
            continue;
        };
        let Ok(tips) = crate::license::refs::pushed_tips(&repo) else {
            continue;
        };
        let started = std::time::Instant::now();
        let found = search(
            &repo,
            &tips,
            &StatementLimits::default(),
            &crate::license::holders::Licensors::default(),
        );
        for s in &found.found {
            println!(
                "{name}\t{}:{} ({})\t{}",
                s.file, s.line, s.reference, s.text
            );
        }
        println!(
            "{name}\tSUMMARY\tblobs={} found={} ms={} incomplete={:?}",
            found.blobs_read,
            found.found.len(),
            started.elapsed().as_millis(),
            found.incomplete
        );
    }
}

#[test]
fn other_peoples_code_and_bundle_banners_are_not_read_but_a_licence_file_naming_no_licence_is() {
    let withheld = b"Do not redistribute this package.\n";
    for path in [
        "node_modules/left-pad/README.md",
        "vendor/github.com/x/y/README.md",
        "app/third_party/lib/notes.md",
        "public/main.3f2a.js.LICENSE.txt",
    ] {
        assert!(found(path, withheld).is_empty(), "{path}");
    }
    assert_eq!(found("src/README.md", withheld).len(), 1);
    // A licence file that names no licence is read: "For internal use only." is found.
    let f = found(
        "docs/licence.md",
        b"# Licence\n\nCopyright 2023 Acme Digital Ltd. For internal use only.\n",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    // One that names a licence is the licence reading's.
    assert!(
        found(
            "LICENSE",
            b"MIT License\n\nCopyright (c) Acme\n\nNot for redistribution.\n"
        )
        .is_empty()
    );
}

#[test]
fn a_protective_marking_on_its_own_line_is_found_and_a_block_element_ends_a_sentence() {
    let f = found(
        "docs/plan.md",
        b"OFFICIAL-SENSITIVE\n\n# Plan\n\nWe will migrate.\n",
    );
    assert_eq!(
        f.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![1],
        "{f:?}"
    );
    let f = found(
        "site/index.html",
        b"<html>\n<body>\n<p>Widget</p>\n<footer>This repository must not be copied.</footer>\n</body>\n</html>\n",
    );
    assert_eq!(
        f,
        vec![(4, "This repository must not be copied.".to_owned())]
    );
}

#[test]
fn a_template_block_or_a_block_element_on_its_own_line_ends_a_sentence() {
    let page = b"{% block pageTitle %}\n  You cannot use this service\n{% endblock %}\n<h1>\n  Not available\n</h1>\n<p>Changes to our records can only be made by post.</p>\n";
    let lines = page_lines(std::str::from_utf8(page).unwrap());
    let sentences: Vec<String> = sentences(&lines).into_iter().map(|(_, s)| s).collect();
    assert_eq!(
        sentences,
        vec![
            "You cannot use this service",
            "Not available",
            "Changes to our records can only be made by post."
        ]
    );
}

#[test]
fn all_rights_reserved_is_found_only_where_nothing_grants() {
    let page = b"<html><body><footer>Copyright 2023 Vendor Media Ltd. All rights reserved.</footer></body></html>\n";
    assert_eq!(found("docs/guidance.html", page).len(), 1);
    let bsd = b"Copyright (c) 2015, A Person\nAll rights reserved.\n\nRedistribution and use in source and binary forms, with or without modification, are permitted.\n";
    assert!(found("docs/bsd.txt", bsd).is_empty());
    // Quoted program output in a code block reserves nothing of the work.
    let readme = b"# widget\n\n```\n$ dotnet test\nCopyright (c) Vendor Corporation.  All rights reserved.\n```\n";
    assert!(found("README.md", readme).is_empty());
    // Other words of a holder's notice are not a reservation here: the sentence must be about the work.
    assert!(
        found(
            "CODE_OF_CONDUCT.md",
            b"Bypassing the pipelines is strictly prohibited.\n"
        )
        .is_empty()
    );
}

#[test]
fn a_page_footer_reserving_all_rights_is_the_licensors_notice_only_when_every_holder_is_a_licensor()
{
    let own = crate::license::holders::Licensors::of(&["Copyright (c) 2015 Northwind Ltd"]);
    let page = |holder: &str| {
        format!(
            "<html><body><h1>Class Index</h1><p>Widgets and gadgets.</p>\n<footer>&copy; 2015 {holder}. All rights reserved.</footer></body></html>\n"
        )
        .into_bytes()
    };
    assert!(
        statements_in_for("docs/api/index.html", &page("Northwind Ltd"), &own).is_empty(),
        "the licensor's own footer"
    );
    for other in ["Fabrikam Inc", "Northwind Ltd and Fabrikam Inc"] {
        assert!(
            !statements_in_for("docs/api/index.html", &page(other), &own).is_empty(),
            "{other}: a third party's reservation"
        );
    }
    // No licensor known: every reservation is found, as before.
    assert!(!statements_in("docs/api/index.html", &page("Northwind Ltd")).is_empty());
    // A sentence the grammar finds is found whoever holds the copyright.
    let withholding = b"<html><body><footer>&copy; 2015 Northwind Ltd. All rights reserved. This documentation may not be copied.</footer></body></html>\n";
    assert!(!statements_in_for("docs/api/index.html", withholding, &own).is_empty());
}
