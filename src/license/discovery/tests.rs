use super::*;

macro_rules! corpus {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/", $file))
    };
}

#[test]
fn root_file_names() {
    use SourceKind::{LicenseFile, NoticeFile};
    let cases: &[(&str, Option<SourceKind>)] = &[
        ("LICENSE", Some(LicenseFile)),
        ("LICENCE", Some(LicenseFile)),
        ("licence.md", Some(LicenseFile)),
        ("License.txt", Some(LicenseFile)),
        ("LICENSE.rst", Some(LicenseFile)),
        ("LICENSE.html", Some(LicenseFile)),
        ("LICENSE-MIT", Some(LicenseFile)),
        ("LICENCE-OGL.txt", Some(LicenseFile)),
        ("LICENSE_APACHE", Some(LicenseFile)),
        ("LICENSE.APACHE2", Some(LicenseFile)),
        ("LICENSES", Some(LicenseFile)),
        ("COPYING", Some(LicenseFile)),
        ("COPYING.LESSER", Some(LicenseFile)),
        ("UNLICENSE", Some(LicenseFile)),
        ("legalcode.txt", Some(LicenseFile)),
        ("LICENSE.pdf", Some(LicenseFile)),
        ("NOTICE", Some(NoticeFile)),
        ("NOTICES.md", Some(NoticeFile)),
        ("COPYRIGHT", Some(NoticeFile)),
        ("copyright.txt", Some(NoticeFile)),
        ("LEGAL", Some(NoticeFile)),
        ("license.py", None),
        ("licenses.json", None),
        ("license-checker.js", None),
        ("LICENSEE", None),
        ("licensed.md", None),
        ("README.md", None),
        ("copyleft.txt", None),
        ("noticeboard.md", None),
    ];
    for (name, expected) in cases {
        assert_eq!(root_file_kind(name), *expected, "{name}");
    }
    assert!(is_nested_license_name("LICENSE.md") && !is_nested_license_name("NOTICE"));
}

#[test]
fn root_names_with_a_licence_word_after_a_prefix_or_before_a_suffix() {
    use SourceKind::LicenseFile;
    let cases: &[(&str, Option<SourceKind>)] = &[
        ("APACHE-LICENSE-2.0.txt", Some(LicenseFile)),
        ("MIT-LICENSE", Some(LicenseFile)),
        ("MIT-LICENSE.txt", Some(LicenseFile)),
        ("NHSD-LICENCE.md", Some(LicenseFile)),
        ("OGL-LICENCE.md", Some(LicenseFile)),
        ("CC-BY-4.0-LICENSE.md", Some(LicenseFile)),
        ("Open-Government-Licence.md", Some(LicenseFile)),
        ("docs_licence.md", Some(LicenseFile)),
        ("LICENCE-docs.md", Some(LicenseFile)),
        ("license_mit.txt", Some(LicenseFile)),
        ("Licence_OGL.md", Some(LicenseFile)),
        ("LICENSE-APACHE-2.0", Some(LicenseFile)),
        ("coding-licences.md", Some(LicenseFile)),
        // Code, data, or a name with no text extension known here.
        ("mit-license.py", None),
        ("update-license.sh", None),
        ("gen_licence.rb", None),
        ("mit-license.rdoc", None),
        // Other people's licences, agreements and tools are not this repository's licence.
        ("THIRD-PARTY-LICENSES", None),
        ("third_party_licenses.md", None),
        ("dependency-licences.txt", None),
        ("contributor-license-agreement.md", None),
        ("individual-cla-license.md", None),
        ("api-license-key.txt", None),
        // Too many words before the licence word: a sentence, not a name.
        ("how-we-choose-a-licence.md", None),
        ("sublicense.txt", None),
        ("relicensed.md", None),
    ];
    for (name, expected) in cases {
        assert_eq!(root_file_kind(name), *expected, "{name}");
    }
}

#[test]
fn root_names_that_are_a_licence_id_or_long_name() {
    use SourceKind::LicenseFile;
    let cases: &[(&str, Option<SourceKind>)] = &[
        ("Apache-2.0.txt", Some(LicenseFile)),
        ("Apache-2.0", Some(LicenseFile)),
        ("apache-2.0.md", Some(LicenseFile)),
        ("MIT.txt", Some(LicenseFile)),
        ("MIT", Some(LicenseFile)),
        ("MIT.md", Some(LicenseFile)),
        ("mit.txt", Some(LicenseFile)),
        ("GPL-3.0.txt", Some(LicenseFile)),
        ("GPL-3.0-or-later.md", Some(LicenseFile)),
        ("gplv3.md", Some(LicenseFile)),
        ("apache2", Some(LicenseFile)),
        ("OGL-UK-3.0.md", Some(LicenseFile)),
        ("CC-BY-4.0", Some(LicenseFile)),
        ("CC0-1.0.txt", Some(LicenseFile)),
        ("BSD-3-Clause.md", Some(LicenseFile)),
        ("MPL-2.0.html", Some(LicenseFile)),
        ("ISC", Some(LicenseFile)),
        ("WTFPL.txt", Some(LicenseFile)),
        ("MIT-License.md", Some(LicenseFile)),
        ("UNLICENSE.txt", Some(LicenseFile)),
        ("Open-Government-Licence.md", Some(LicenseFile)),
        ("GNU-Affero-General-Public-License.txt", Some(LicenseFile)),
        (
            "Creative-Commons-Attribution-4.0-International.md",
            Some(LicenseFile),
        ),
        // Code, data and documents named after a licence are not licence files.
        ("mit.py", None),
        ("gpl.js", None),
        ("MIT.json", None),
        ("Apache-2.0.yaml", None),
        ("MIT.pdf", None),
        // Bare word ids and software names: more often notes about the software.
        ("PostgreSQL.md", None),
        ("curl.md", None),
        ("apache.md", None),
        ("zlib.txt", None),
        ("Isc.md", None),
        // Imprecise names only as the whole stem.
        ("mitigation.md", None),
        ("gplot.md", None),
        ("bsdiff.txt", None),
        ("Creative-Commons.md", None),
    ];
    for (name, expected) in cases {
        assert_eq!(root_file_kind(name), *expected, "{name}");
    }
    // Not below the root, where a file named after a licence is a template or a fixture as often as not.
    assert!(!is_nested_license_name("MIT.txt") && !is_nested_license_name("Apache-2.0"));
    assert!(is_nested_license_name("MIT-LICENSE") && is_nested_license_name("LISENCE.md"));
    assert!(
        !is_nested_license_name("fishing-licence.html")
            && is_nested_license_name("LICENCE.html")
            && root_file_kind("MIT-LICENSE.html") == Some(LicenseFile)
    );
}

#[test]
fn misspelt_licence_words_are_one_edit_away_and_not_english_words() {
    for yes in [
        "LISENCE",
        "LICESNE",
        "LICNESE",
        "LICENES",
        "LISCENSE",
        "LICSENSE",
        "LICENSCE",
        "LICECNE",
        "LIECENSE",
        "LICENE",
        "LICNECE",
        "LISCENCE",
        "lisences",
        "licencing",
    ] {
        assert!(is_licence_word(yes), "{yes}");
        assert_eq!(
            root_file_kind(&format!("{yes}.md")),
            Some(SourceKind::LicenseFile),
            "{yes}.md"
        );
    }
    for no in [
        "licensed",
        "licenced",
        "licensee",
        "licensees",
        "licenser",
        "licensor",
        "silence",
        "silences",
        "lichen",
        "lichens",
        "incense",
        "licit",
        "lice",
        "lines",
        "science",
        "likens",
        "license2",
    ] {
        assert!(!is_licence_word(no), "{no}");
    }
    for no in [
        "licensed.txt",
        "silence.md",
        "lichen.md",
        "incense.md",
        "licensee.md",
        "licensor.txt",
    ] {
        assert_eq!(root_file_kind(no), None, "{no}");
    }
    assert_eq!(edit_distance("licesne", "license"), 1);
    assert_eq!(edit_distance("silence", "licence"), 2);
    assert_eq!(edit_distance("lichen", "licence"), 3);
}

#[test]
fn attribution_and_credits_files_are_notices_but_authors_lists_are_not() {
    use SourceKind::NoticeFile;
    let cases: &[(&str, Option<SourceKind>)] = &[
        ("ATTRIBUTION", Some(NoticeFile)),
        ("ATTRIBUTIONS.md", Some(NoticeFile)),
        ("attribution.txt", Some(NoticeFile)),
        ("CREDITS", Some(NoticeFile)),
        ("Credits.md", Some(NoticeFile)),
        ("AUTHORS", None),
        ("AUTHORS.md", None),
        ("CONTRIBUTORS.md", None),
        ("ACKNOWLEDGEMENTS.md", None),
        ("attribution.py", None),
        ("credits.json", None),
        ("creditscore.md", None),
    ];
    for (name, expected) in cases {
        assert_eq!(root_file_kind(name), *expected, "{name}");
    }
    // Notices below the root are not read, and so neither are attributions.
    assert!(!is_nested_license_name("ATTRIBUTION.md"));
}

#[test]
fn licence_copyright_and_terms_pages_in_documentation_folders() {
    for yes in [
        "docs/licence.md",
        "docs/license.rst",
        "sphinx/terms.rst",
        "docs/copyright.md",
        "docs/legal.md",
        "docs/about/licensing.md",
        "doc/COPYING",
        "docs/LICENSE",
        "Docs/Licence.md",
        "documentation/terms-of-use.md",
        "docs/source/licence.rst",
        "site/content/copyright-and-licence.md",
        "website/legal-notice.html",
        "docs/terms_and_conditions.txt",
        "wiki/Licensing.md",
        "docs/LISENCE.md",
        "docs/adr/0005-licence.md",
    ] {
        assert!(is_documentation_page(yes), "{yes}");
    }
    for no in [
        // Not in the repository's documentation folder.
        "licence.md",
        "src/docs/licence.md",
        "src/development/coding-licences.md",
        "packages/site/licence.md",
        // Not a terms page.
        "docs/NOTICE",
        "docs/index.md",
        "docs/credits.md",
        "docs/glossary-of-terms.md",
        "docs/third-party-licenses.md",
        "docs/contributor-license-agreement.md",
        "docs/licensed-data.md",
        "docs/silence.md",
        // Code and data.
        "docs/conf.py",
        "docs/licence.js",
        "docs/_static/copyright.css",
        "site/terms.json",
        // A sentence, not a page name.
        "docs/how-to-pick-an-open-source-licence.md",
    ] {
        assert!(!is_documentation_page(no), "{no}");
    }
}

#[test]
fn template_readmes_are_told_by_their_placeholders() {
    let template = "# {PROJECT NAME}\n\nHolds code for {PROJECT NAME}.\n\n{DESCRIPTION OF CODE}\n";
    assert_eq!(
        template_readme(template),
        Some((1, "{PROJECT NAME}".to_string()))
    );
    assert_eq!(template_readme("# Tool\n\nUse `{x}` and {Foo}.\n"), None);
}

#[test]
fn text_decoding() {
    let cases: &[(&[u8], &str)] = &[
        (b"plain", "plain"),
        (b"\xEF\xBB\xBFwith BOM \xC2\xA9", "with BOM ©"),
        (b"Latin-1 \xA9 2021", "Latin-1 © 2021"),
        (
            b"Windows-1252 \x93quoted\x94 \x80",
            "Windows-1252 “quoted” €",
        ),
        // A UTF-8 character cut by a bounded read is dropped, not turned into Latin-1 mojibake.
        (b"cut \xC2\xA9 \xE2\x80", "cut © "),
        (b"\xFF\xFEU\x00T\x00F\x00-\x001\x006\x00", "UTF-16"),
        (b"\xFE\xFF\x00B\x00E", "BE"),
    ];
    for (bytes, expected) in cases {
        assert_eq!(decode_text(bytes), *expected, "{bytes:?}");
    }
}

#[test]
fn binary_means_a_nul_in_the_first_8000_bytes_except_utf16() {
    assert_eq!(binary_offset(b"abc\0def"), Some(3));
    assert_eq!(binary_offset(b"\xFF\xFEa\0"), None);
    let mut late = vec![b'a'; 9000];
    late[8500] = 0;
    assert_eq!(binary_offset(&late), None);
}

#[test]
fn spdx_header_lines_in_comment_forms() {
    let text = "\
// SPDX-License-Identifier: MIT
# SPDX-License-Identifier: Apache-2.0
/* SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note */
<!-- SPDX-License-Identifier: CC-BY-4.0 -->
 * SPDX-License-Identifier: OGL-UK-3.0
-- SPDX-License-Identifier: BSD-3-Clause
SPDX-License-Identifier: ISC
let s = \"SPDX-License-Identifier: GPL-3.0-only\";
// SPDX-License-Identifier:
";
    assert_eq!(
        spdx_header_lines(text, false),
        vec![
            (1, "MIT".to_owned()),
            (2, "Apache-2.0".to_owned()),
            (3, "GPL-2.0-or-later WITH Linux-syscall-note".to_owned()),
            (4, "CC-BY-4.0".to_owned()),
            (5, "OGL-UK-3.0".to_owned()),
            (6, "BSD-3-Clause".to_owned()),
            (7, "ISC".to_owned()),
        ]
    );
    let markdown =
        "<!-- SPDX-License-Identifier: MIT -->\n```\n// SPDX-License-Identifier: Apache-2.0\n```\n";
    assert_eq!(
        spdx_header_lines(markdown, true),
        vec![(1, "MIT".to_owned())]
    );
}

fn first_lines(file_name: &str, text: &str) -> Vec<(usize, String)> {
    readme_sections(file_name, text)
        .into_iter()
        .map(|s| {
            (
                s.first_line,
                s.text.lines().next().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// (case, README text, [(first line, first line of text)], lines in the first section)
type ReadmeCase<'a> = (&'a str, &'a str, Vec<(usize, &'a str)>, usize);

#[test]
fn readme_sections_of_corpus_readmes() {
    let cases: Vec<ReadmeCase<'_>> = vec![
        // (case, text, [(first line, heading)], lines in the first section)
        (
            "032",
            corpus!("032-defra-water-import-readme-ogl.md"),
            vec![(25, "## License")],
            15,
        ),
        (
            "033",
            corpus!("033-hmrc-vat-api-readme-apache.md"),
            vec![(7, "### License")],
            3,
        ),
        (
            "034",
            corpus!("034-nhse-performance-grid-readme-mit-ogl.md"),
            vec![(28, "## License")],
            6,
        ),
        (
            "036",
            corpus!("036-nhsx-aif-readme-dual-mit-or-ogl.md"),
            vec![(58, "## Copyright and License")],
            5,
        ),
        (
            "037",
            corpus!("037-os-api-branding-readme-ogl-covers-logos.md"),
            vec![(71, "## Licence")],
            5,
        ),
        // No licence heading: the paragraph with the copyright line, not the title above it.
        (
            "040",
            corpus!("040-clml-schema-readme-crown-notice-only.md"),
            vec![(
                3,
                "The schemas provided are intended to describe UK Legislation.",
            )],
            2,
        ),
        // "Contributors Licence Agreement" is neither a licence section nor a licence statement.
        (
            "041",
            corpus!("041-jules-readme-cla-no-licence.md"),
            vec![],
            0,
        ),
        ("039", corpus!("039-gpg-readme-no-licence.md"), vec![], 0),
    ];
    for (case, text, expected, length) in cases {
        let sections = readme_sections("README.md", text);
        let expected: Vec<(usize, String)> = expected
            .into_iter()
            .map(|(l, h)| (l, h.to_owned()))
            .collect();
        assert_eq!(first_lines("README.md", text), expected, "case {case}");
        if let Some(first) = sections.first() {
            assert_eq!(
                first.text.lines().count(),
                length,
                "case {case}: {}",
                first.text
            );
        }
    }
}

#[test]
fn readme_section_ends_at_a_heading_of_the_same_or_higher_level() {
    let text = "# Tool\n\n## Licence\n\nMIT.\n\n### Documentation\n\nOGL v3.\n\n## Contact\n\nus\n";
    assert_eq!(
        readme_sections("README.md", text),
        vec![ReadmeSection {
            first_line: 3,
            text: "## Licence\n\nMIT.\n\n### Documentation\n\nOGL v3.".to_owned(),
            closing: false,
        }]
    );
    let setext = "Tool\n====\n\nLicense\n-------\nApache-2.0\n\nUsage\n-----\nrun it\n";
    assert_eq!(
        first_lines("README.md", setext),
        vec![(4, "License".to_owned())]
    );
    let front_matter = "---\ntitle: x\nlayout: y\n---\n# Copyright\n© Crown copyright\n";
    assert_eq!(
        first_lines("README.md", front_matter),
        vec![(5, "# Copyright".to_owned())]
    );
    let fenced = "```\n# License\n```\n\nNothing here.\n";
    assert_eq!(first_lines("README.md", fenced), vec![]);
}

#[test]
fn only_headings_about_the_licence_as_a_whole_open_a_section() {
    for yes in [
        "License",
        "## Licence",
        "Copyright and License",
        "Licence & copyright",
        "1. Licensing",
        "LICENSE 📄",
        "Legal",
    ] {
        assert!(is_license_heading(yes), "{yes}");
    }
    for no in [
        "Licence data",
        "Licence classes",
        "Third-party licences",
        "Contributor Licence Agreement",
        "Usage",
        "",
    ] {
        assert!(!is_license_heading(no), "{no}");
    }
}

#[test]
fn readme_sections_in_rst_and_org() {
    let rst = "=====\nTitle\n=====\n\nUsage\n-----\nrun\n\nLicence\n-------\nOGL v3.0\n\nNotes\n-----\nend\n";
    assert_eq!(
        readme_sections("README.rst", rst),
        vec![ReadmeSection {
            first_line: 9,
            text: "Licence\n-------\nOGL v3.0".to_owned(),
            closing: false,
        }]
    );
    let org = "* Tool\n** Licence\nMIT\n** Usage\nrun\n";
    assert_eq!(
        readme_sections("README.org", org),
        vec![ReadmeSection {
            first_line: 2,
            text: "** Licence\nMIT".to_owned(),
            closing: false,
        }]
    );
}

#[test]
fn fallback_branch_choice() {
    let id = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
    let label = Path::new("/mirrors/x.git");
    let branches = |names: &[&str]| -> Vec<(String, Oid)> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| ((*n).to_owned(), id(i as u8)))
            .collect()
    };
    let tip = |names: &[&str]| fallback_tip(label, "HEAD is missing".to_owned(), branches(names));
    assert_eq!(
        tip(&["dev", "main", "master"]).unwrap().branch.as_deref(),
        Some("main")
    );
    assert_eq!(
        tip(&["dev", "master"]).unwrap().branch.as_deref(),
        Some("master")
    );
    assert_eq!(
        tip(&["gh-pages"]).unwrap().branch.as_deref(),
        Some("gh-pages")
    );
    assert!(matches!(tip(&[]), Err(DiscoveryError::Empty { .. })));
    assert_eq!(
        tip(&["b", "a"]).unwrap_err().to_string(),
        "repository /mirrors/x.git: HEAD is missing, and there is no main, master or single branch to read \
         instead (branches: a, b)"
    );
}

#[test]
fn vendored_folders_and_header_file_types() {
    assert!(
        is_vendored_folder("node_modules")
            && is_vendored_folder("vendor")
            && is_vendored_folder("_build")
            && is_vendored_folder("_site")
            && !is_vendored_folder("src")
            && !is_vendored_folder("docs")
    );
    assert!(
        may_carry_header("main.rs")
            && may_carry_header("Makefile")
            && may_carry_header("style.css")
    );
    assert!(
        !may_carry_header("logo.PNG")
            && !may_carry_header("app.min.js")
            && !may_carry_header("data.csv")
    );
}

#[test]
fn a_licence_named_file_of_a_code_style_data_or_media_kind_is_not_a_licence_file() {
    // Government services name domain things licences: a probation licence's PDF stylesheet, a driving
    // licence's form, a fishing licence's fee table. The file's kind (its extension) decides, not its words.
    for name in [
        "licence-pdf.sass",
        "licence.styl",
        "licence-form.ts",
        "licence_summary.coffee",
        "LICENCE-fees.xlsx",
        "licence-holder.xsd",
        "licence-conditions.njk",
        "licence-card.woff2",
        "licence-photo.webp",
        "licence-bundle.jar",
        "licences.graphql",
        "license-preview.twig",
    ] {
        assert_eq!(root_file_kind(name), None, "{name}");
        assert!(!is_nested_license_name(name), "{name}");
        assert!(
            !crate::license::assets::is_licence_file_name(name),
            "{name}"
        );
    }
    // Licence texts and licence documents stay licence files, whatever follows the licence word.
    for name in [
        "LICENSE",
        "LICENSE.md",
        "LICENCE.txt",
        "LICENSE.rst",
        "LICENCE.html",
        "LICENSE-MIT",
        "LICENSE.MIT",
        "LICENSE.GPL",
        "LICENSE.APACHE2",
        "COPYING.LESSER",
        "LICENCE.pdf",
        "licence-terms.docx",
    ] {
        assert_eq!(
            root_file_kind(name),
            Some(SourceKind::LicenseFile),
            "{name}"
        );
        assert!(is_nested_license_name(name), "{name}");
    }
}

#[test]
fn terms_names_kept_copies_and_lookalike_letters_name_terms_files_at_the_root() {
    use SourceKind::{LicenseFile, NoticeFile};
    for (name, expected) in [
        ("TERMS", Some(NoticeFile)),
        ("TERMS.md", Some(NoticeFile)),
        ("TERMS_OF_USE.md", Some(NoticeFile)),
        ("terms-and-conditions.txt", Some(NoticeFile)),
        ("EULA", Some(NoticeFile)),
        ("RIGHTS", Some(NoticeFile)),
        ("LICENSE~", Some(LicenseFile)),
        ("LICENSE.bak", Some(LicenseFile)),
        ("NOTICE.orig", Some(NoticeFile)),
        ("COPYRIGHT.old~", Some(NoticeFile)),
        ("LICENSE.json", Some(LicenseFile)),
        ("NOTICE.yaml", Some(NoticeFile)),
        ("L\u{0406}CENSE", Some(LicenseFile)),
        (
            "\u{FF2C}\u{FF29}\u{FF23}\u{FF25}\u{FF2E}\u{FF33}\u{FF25}",
            Some(LicenseFile),
        ),
        ("N\u{041E}TICE", Some(NoticeFile)),
        // Not terms: a list of dependencies' licences, a module named for them, a terms page's code.
        ("licenses.json", None),
        ("terms.py", None),
        ("terms-of-use.js", None),
        ("termsheet.md", None),
    ] {
        assert_eq!(root_file_kind(name), expected, "{name}");
    }
    assert!(has_unknown_extension("LICENSE.json"), "its text decides");
}
