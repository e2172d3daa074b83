use super::*;

/// The shared corpus sits beside the checkouts (`../shared`), as the project brief's notes do.
macro_rules! corpus {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/", $file))
    };
}

fn d(raw: &str, expression: Option<&str>, line: usize, note: Option<&str>) -> Declared {
    Declared {
        raw: raw.to_owned(),
        expression: expression.map(str::to_owned),
        line,
        note: note.map(str::to_owned),
        file: None,
    }
}

/// A declaration that points to a file.
fn pointing(mut declared: Declared, file: &str) -> Declared {
    declared.file = Some(file.to_owned());
    declared
}
const OGL_UNVERSIONED: &str = "OGL with no version: read as OGL-UK-3.0, the version in use since 2014 (every \
                               version permits re-use with attribution)";

#[test]
fn corpus_manifests_give_the_labelled_declarations() {
    let cases: Vec<(&str, &str, &str, Vec<Declared>)> = vec![
        (
            "043",
            "package.json",
            corpus!("043-defra-water-import-package-isc.json"),
            vec![d("ISC", Some("ISC"), 18, None)],
        ),
        (
            "044",
            "package.json",
            corpus!("044-legislation-mcp-package-ogl.json"),
            vec![d("OGL-UK-3.0", Some("OGL-UK-3.0"), 32, None)],
        ),
        // No "license" at all; `"private": "true"` is not a licence statement.
        (
            "045",
            "package.json",
            corpus!("045-nhsuk-mavis-package-no-license.json"),
            vec![],
        ),
        (
            "046",
            "DESCRIPTION",
            corpus!("046-nhsrdatasets-description-cc0.txt"),
            vec![d("CC0", Some("CC0-1.0"), 13, None)],
        ),
        (
            "047",
            "DESCRIPTION",
            corpus!("047-nhsrplotthedots-description-mit-file.txt"),
            vec![pointing(
                d(
                    "MIT + file LICENSE",
                    Some("MIT"),
                    19,
                    Some(
                        "`+ file LICENSE` holds the year and copyright holder for the MIT template, not another licence",
                    ),
                ),
                "LICENSE",
            )],
        ),
        (
            "049",
            "DESCRIPTION",
            corpus!("049-intro-r-description-bare-mit.txt"),
            vec![d("MIT", Some("MIT"), 14, None)],
        ),
        (
            "050",
            "DESCRIPTION",
            corpus!("050-phsmethods-description-gpl2plus.txt"),
            vec![d("GPL (>= 2)", Some("GPL-2.0-or-later"), 20, None)],
        ),
        (
            "051",
            "DESCRIPTION",
            corpus!("051-pheindicatormethods-description-gpl3.txt"),
            vec![d(
                "GPL-3",
                Some("GPL-3.0-only"),
                33,
                Some("R's licence database defines `GPL-3` as that version only"),
            )],
        ),
        (
            "052",
            "DESCRIPTION",
            corpus!("052-hcaidcs-description-ogl-nonstandard.txt"),
            vec![d("OGL", Some("OGL-UK-3.0"), 10, Some(OGL_UNVERSIONED))],
        ),
        (
            "053",
            "pyproject.toml",
            corpus!("053-isodatetime-pyproject-lgpl3plus.toml"),
            vec![
                d(
                    "LGPLv3",
                    Some("LGPL-3.0-or-later"),
                    27,
                    Some(
                        "`LGPLv3` does not say whether later versions apply; this file's licence header (line 5) grants \"any later version\"",
                    ),
                ),
                d(
                    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
                    Some("LGPL-3.0-or-later"),
                    35,
                    Some(
                        "`License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)` does not say whether later versions apply; this file's licence header (line 5) grants \"any later version\"",
                    ),
                ),
            ],
        ),
        (
            "054",
            "pyproject.toml",
            corpus!("054-nhssynth-pyproject-poetry-mit.toml"),
            vec![d("MIT", Some("MIT"), 7, None)],
        ),
        (
            "055",
            "pyproject.toml",
            corpus!("055-rcpchgrowth-pyproject-agpl3plus.toml"),
            vec![d("AGPL-3.0-or-later", Some("AGPL-3.0-or-later"), 11, None)],
        ),
        // Invalid TOML (requires-python twice) and an invalid classifier: still read, and both said.
        (
            "056",
            "pyproject.toml",
            corpus!("056-pygom-pyproject-invalid-gpl2-classifier.toml"),
            vec![d(
                "License :: OSI Approved :: GPL2",
                Some("GPL-2.0-only"),
                46,
                Some(
                    "`License :: OSI Approved :: GPL2` is not a PyPI classifier; does not say whether later versions apply, so read as GPL 2.0 only; the file is not valid TOML (line 41: duplicate key); fields were read one by one",
                ),
            )],
        ),
        (
            "057",
            "pyproject.toml",
            corpus!("057-nhse-summarytables-pyproject-no-license.toml"),
            vec![],
        ),
        (
            "058",
            "setup.cfg",
            corpus!("058-osdatahub-setup-cfg-ogl-unversioned.cfg"),
            vec![
                d("OGL", Some("OGL-UK-3.0"), 22, Some(OGL_UNVERSIONED)),
                pointing(
                    d(
                        "LICENSE.txt",
                        None,
                        23,
                        Some("the licence is in the file `LICENSE.txt`"),
                    ),
                    "LICENSE.txt",
                ),
            ],
        ),
        (
            "059",
            "setup.py",
            corpus!("059-osdatahub-setup-py-ogl-unversioned.py"),
            vec![d("OGL", Some("OGL-UK-3.0"), 49, Some(OGL_UNVERSIONED))],
        ),
        (
            "060",
            "Cargo.toml",
            corpus!("060-hdruk-cargo-unlicense-generator-default.toml"),
            vec![d("Unlicense", Some("Unlicense"), 7, None)],
        ),
    ];
    for (case, name, text, expected) in cases {
        assert_eq!(
            declared_license(name, text),
            expected,
            "corpus case {case} ({name})"
        );
    }
}

#[test]
fn names_map_to_spdx_only_where_unambiguous() {
    let cases: &[(&str, Option<&str>)] = &[
        ("MIT", Some("MIT")),
        ("mit", Some("MIT")),
        ("MIT/Apache-2.0", Some("MIT OR Apache-2.0")),
        ("MIT OR Apache-2.0", Some("MIT OR Apache-2.0")),
        ("GPL-2.0", Some("GPL-2.0-only")),
        ("GPL-2.0+", Some("GPL-2.0-or-later")),
        ("GPLv3+", Some("GPL-3.0-or-later")),
        ("GNU GPL v2", Some("GPL-2.0-only")),
        ("GPL (>= 3)", Some("GPL-3.0-or-later")),
        ("LGPL-2.1", Some("LGPL-2.1-only")),
        ("LGPL (>= 2.1)", Some("LGPL-2.1-or-later")),
        ("AGPL-3", Some("AGPL-3.0-only")),
        ("GPL", None),
        ("Apache License 2.0", Some("Apache-2.0")),
        ("Apache License, Version 2.0", Some("Apache-2.0")),
        ("Apache License (== 2.0)", Some("Apache-2.0")),
        ("BSD", None),
        ("BSD_3_clause", Some("BSD-3-Clause")),
        ("Simplified BSD", Some("BSD-2-Clause")),
        ("Open Government Licence v3.0", Some("OGL-UK-3.0")),
        ("Open Government Licence v2", Some("OGL-UK-2.0")),
        ("OGL-UK-1.0", Some("OGL-UK-1.0")),
        ("Open Government Licence", Some("OGL-UK-3.0")),
        ("Open Government Licence - Canada", Some("OGL-Canada-2.0")),
        ("CC BY 4.0", Some("CC-BY-4.0")),
        ("CC BY-NC-SA 4.0", Some("CC-BY-NC-SA-4.0")),
        ("CC BY", None),
        ("CC0", Some("CC0-1.0")),
        ("Unlicense", Some("Unlicense")),
        ("UNLICENSED", None),
        ("SEE LICENSE IN LICENCE.md", None),
        ("Public Domain", None),
        ("proprietary", None),
        ("", None),
        ("Crown copyright, all rights reserved", None),
    ];
    for (name, expected) in cases {
        assert_eq!(
            license_from_name(name).expression.as_deref(),
            *expected,
            "name {name:?}"
        );
    }
}

#[test]
fn urls_map_to_spdx() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "https://www.apache.org/licenses/LICENSE-2.0.txt",
            Some("Apache-2.0"),
        ),
        (
            "http://www.opensource.org/licenses/mit-license.php",
            Some("MIT"),
        ),
        ("https://opensource.org/licenses/MIT", Some("MIT")),
        (
            "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            Some("OGL-UK-3.0"),
        ),
        (
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/",
            Some("OGL-UK-3.0"),
        ),
        (
            "https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode",
            Some("CC-BY-NC-ND-4.0"),
        ),
        (
            "https://www.gnu.org/licenses/gpl-3.0.html",
            Some("GPL-3.0-only"),
        ),
        ("https://spdx.org/licenses/EUPL-1.2.html", Some("EUPL-1.2")),
        ("https://example.org/our-terms", None),
    ];
    for (url, expected) in cases {
        assert_eq!(
            license_from_url(url).expression.as_deref(),
            *expected,
            "url {url}"
        );
    }
}

#[test]
fn classifiers_map_to_spdx() {
    let cases: &[(&str, Option<&str>)] = &[
        ("License :: OSI Approved :: MIT License", Some("MIT")),
        (
            "License :: OSI Approved :: Apache Software License",
            Some("Apache-2.0"),
        ),
        ("License :: OSI Approved :: BSD License", None),
        (
            "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)",
            Some("GPL-3.0-or-later"),
        ),
        (
            "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
            Some("GPL-2.0-only"),
        ),
        (
            "License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication",
            Some("CC0-1.0"),
        ),
        ("License :: Other/Proprietary License", None),
    ];
    for (classifier, expected) in cases {
        let mapping = license_from_classifier(classifier).expect("a License classifier");
        assert_eq!(
            mapping.expression.as_deref(),
            *expected,
            "classifier {classifier}"
        );
    }
    assert_eq!(
        license_from_classifier("Programming Language :: Python :: 3"),
        None
    );
}

#[test]
fn cargo_forms() {
    let text =
        "[package]\nname = \"x\"\nlicense = \"MIT/Apache-2.0\"\nlicense-file = \"LICENCE.md\"\n";
    assert_eq!(
        declared_license("Cargo.toml", text),
        vec![
            d(
                "MIT/Apache-2.0",
                Some("MIT OR Apache-2.0"),
                3,
                Some("written `MIT/Apache-2.0`; SPDX form `MIT OR Apache-2.0`")
            ),
            pointing(
                d(
                    "LICENCE.md",
                    None,
                    4,
                    Some("the licence is in the file `LICENCE.md`")
                ),
                "LICENCE.md"
            ),
        ]
    );
    let workspace = "[package]\nname = \"x\"\nlicense.workspace = true\n";
    assert_eq!(
        declared_license("Cargo.toml", workspace),
        vec![d(
            "workspace = true",
            None,
            3,
            Some("inherited from the workspace's Cargo.toml")
        )]
    );
    // A `license` key in another table is not the package's.
    assert_eq!(
        declared_license("Cargo.toml", "[dependencies]\nlicense = \"1\"\n"),
        vec![]
    );
}

#[test]
fn package_json_legacy_forms() {
    let object = "{\n  \"name\": \"x\",\n  \"license\": {\n    \"type\": \"MIT\",\n    \"url\": \"https://x\"\n  }\n}\n";
    assert_eq!(
        declared_license("package.json", object),
        vec![d(
            "MIT",
            Some("MIT"),
            3,
            Some("legacy `{type, url}` form of `license`")
        )]
    );
    let array =
        "{\"name\": \"x\",\n\"licenses\": [{\"type\": \"MIT\"}, {\"type\": \"Apache-2.0\"}]}";
    let choice =
        "legacy `licenses` array; one of several listed: npm reads the list as a choice (OR)";
    assert_eq!(
        declared_license("package.json", array),
        vec![
            d("MIT", Some("MIT"), 2, Some(choice)),
            d("Apache-2.0", Some("Apache-2.0"), 2, Some(choice))
        ]
    );
    // A nested "license" key (a dependency's metadata) is not the package's.
    let nested = "{\"name\": \"x\",\n\"config\": {\"license\": \"GPL-3.0-only\"}}";
    assert_eq!(declared_license("package.json", nested), vec![]);
    // Broken JSON is still read, and said to be broken.
    let broken = "{\n  \"name\": \"x\",\n  \"license\": \"ISC\",\n}\n";
    let found = declared_license("package.json", broken);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].expression.as_deref(), found[0].line),
        (Some("ISC"), 3)
    );
    assert!(
        found[0]
            .note
            .as_deref()
            .unwrap()
            .starts_with("the file is not valid JSON (trailing comma at line 4"),
        "{found:?}"
    );
}

#[test]
fn npm_pointer_and_unlicensed() {
    let see = "{\"license\": \"SEE LICENSE IN  Legal/TERMS.md\"}";
    let note = "the licence is in the file `Legal/TERMS.md`";
    assert_eq!(
        declared_license("package.json", see),
        vec![pointing(
            d("SEE LICENSE IN  Legal/TERMS.md", None, 1, Some(note)),
            "Legal/TERMS.md"
        )]
    );
    let unlicensed = "{\"license\": \"UNLICENSED\"}";
    let note = "npm `UNLICENSED`: no licence is granted (not the Unlicense)";
    assert_eq!(
        declared_license("package.json", unlicensed),
        vec![d("UNLICENSED", None, 1, Some(note))]
    );
}

#[test]
fn pyproject_license_table_forms() {
    let file = "[project]\nname = \"x\"\nlicense = {file = \"LICENCE\"}\n";
    assert_eq!(
        declared_license("pyproject.toml", file),
        vec![pointing(
            d(
                "LICENCE",
                None,
                3,
                Some("the licence is in the file `LICENCE`")
            ),
            "LICENCE"
        )]
    );
    let table = "[project]\nname = \"x\"\n\n[project.license]\ntext = \"MIT\"\n";
    assert_eq!(
        declared_license("pyproject.toml", table),
        vec![d("MIT", Some("MIT"), 5, None)]
    );
}

#[test]
fn setup_py_is_read_not_run() {
    let text = "LICENSE = open('LICENSE').read()\nsetup(\n    name='x',\n    license=LICENSE,  # not 'MIT'\n)\n";
    assert_eq!(
        declared_license("setup.py", text),
        vec![d(
            "LICENSE",
            None,
            4,
            Some("`license=LICENSE` is not a string literal; not evaluated")
        )]
    );
    let text = "setup(name='x', license='Apache 2.0',\n  classifiers=['License :: OSI Approved :: MIT License'])\n";
    assert_eq!(
        declared_license("setup.py", text),
        vec![
            d("Apache 2.0", Some("Apache-2.0"), 1, None),
            d(
                "License :: OSI Approved :: MIT License",
                Some("MIT"),
                2,
                None
            ),
        ]
    );
}

#[test]
fn r_alternatives_and_continuations() {
    let text = "Package: x\nLicense: GPL-2 |\n    GPL-3\nTitle: y\n";
    let found = declared_license("DESCRIPTION", text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].raw.as_str(), found[0].expression.as_deref()),
        ("GPL-2 | GPL-3", Some("GPL-2.0-only OR GPL-3.0-only"))
    );
    let restricted = "License: GPL-3 + file LICENSE\n";
    assert_eq!(
        declared_license("DESCRIPTION", restricted)[0]
            .note
            .as_deref(),
        Some(
            "`+ file LICENSE` may add terms: read that file; R's licence database defines `GPL-3` as that version only"
        )
    );
    let file_only = "License: file LICENSE\n";
    let file_only = &declared_license("DESCRIPTION", file_only)[0];
    assert_eq!(
        (file_only.expression.as_deref(), file_only.file.as_deref()),
        (None, Some("LICENSE"))
    );
}

#[test]
fn csproj_and_pom() {
    let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <PackageLicenseExpression>MIT</PackageLicenseExpression>\n  </PropertyGroup>\n</Project>\n";
    assert_eq!(
        declared_license("App.csproj", csproj),
        vec![d("MIT", Some("MIT"), 3, None)]
    );
    let pom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <name>not a licence</name>\n  <licenses>\n    <license>\n      <name>Apache License, Version 2.0</name>\n      <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>\n    </license>\n    <license>\n      <name>Our own terms</name>\n      <url>https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/</url>\n    </license>\n  </licenses>\n</project>\n";
    let choice = "one of several <license> entries: Maven reads them as a choice (OR)";
    assert_eq!(
        declared_license("pom.xml", pom),
        vec![
            d(
                "Apache License, Version 2.0",
                Some("Apache-2.0"),
                5,
                Some(choice)
            ),
            d(
                "Our own terms",
                Some("OGL-UK-3.0"),
                9,
                Some(&format!("read from the licence URL; {choice}")),
            ),
        ]
    );
}

#[test]
fn unknown_file_names_declare_nothing() {
    assert_eq!(declared_license("README.md", "license = \"MIT\""), vec![]);
    assert!(
        is_manifest("Service.CSPROJ")
            && is_manifest("pom.xml")
            && !is_manifest("package-lock.json")
    );
}
