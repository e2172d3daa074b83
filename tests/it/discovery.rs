//! Discovery on real repositories built with git2: every bad input of the brief, and the happy paths.

use std::io::Read;

use git2::Oid;
use keepopen::license::discovery::{Limits, discover, discover_path};
use keepopen::license::{Candidate, Discovery, Skipped, SourceKind};
use sha2::{Digest, Sha256};

use crate::fixture::{RepoFixture, TreeSpec};

const MIT: &str = include_str!("../corpus/002-nhsuk-service-manual-mit.txt");

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn discover_ok(fx: &RepoFixture) -> Discovery {
    discover_path(fx.path()).unwrap_or_else(|e| panic!("discovery failed: {e:#}"))
}

fn error_message(fx: &RepoFixture) -> String {
    match discover_path(fx.path()) {
        Ok(found) => panic!("expected an error, got {found:?}"),
        Err(error) => format!("{error:#}"),
    }
}

fn candidate(
    path: &str,
    kind: SourceKind,
    text: &str,
    first_line: usize,
    blob: &[u8],
) -> Candidate {
    Candidate {
        path: path.to_owned(),
        kind,
        text: text.to_owned(),
        first_line,
        sha256: sha256(blob),
        truncated: false,
        closing_section: false,
    }
}

fn skipped(path: &str, reason: &str) -> Skipped {
    Skipped {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

/// The (path, kind) of each candidate.
fn kinds(found: &Discovery) -> Vec<(&str, SourceKind)> {
    found
        .candidates
        .iter()
        .map(|c| (c.path.as_str(), c.kind))
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Bad input: each is reported with a clear message, never a panic.

#[test]
fn empty_repository_is_an_error_naming_it() {
    let fx = RepoFixture::bare();
    assert_eq!(
        error_message(&fx),
        format!(
            "repository {} is empty: it has no branches, so no commit to read",
            fx.path().display()
        )
    );
}

#[test]
fn missing_head_file_falls_back_to_main() {
    let fx = RepoFixture::bare();
    let main = fx.commit("main", &TreeSpec::new().file("LICENCE", MIT));
    fx.commit("feature", &TreeSpec::new().file("LICENCE", "not this one"));
    fx.delete_head();
    let found = discover_ok(&fx);
    assert_eq!(
        (found.branch.as_deref(), found.commit.as_deref()),
        (Some("main"), Some(main.to_string().as_str()))
    );
    assert_eq!(
        found.candidates,
        vec![candidate(
            "LICENCE",
            SourceKind::LicenseFile,
            MIT,
            1,
            MIT.as_bytes()
        )]
    );
}

#[test]
fn missing_head_file_in_a_non_bare_repository_falls_back_to_master() {
    let fx = RepoFixture::non_bare();
    fx.commit("master", &TreeSpec::new().file("LICENSE", MIT));
    fx.commit("zzz", &TreeSpec::new().file("LICENSE", "no"));
    fx.delete_head();
    assert_eq!(discover_ok(&fx).branch.as_deref(), Some("master"));
}

#[test]
fn missing_head_with_no_main_master_or_single_branch_is_an_error() {
    let fx = RepoFixture::bare();
    fx.commit("alpha", &TreeSpec::new().file("LICENSE", MIT));
    fx.commit("beta", &TreeSpec::new().file("LICENSE", MIT));
    fx.delete_head();
    assert_eq!(
        error_message(&fx),
        format!(
            "repository {}: HEAD is missing, and there is no main, master or single branch to read instead \
             (branches: alpha, beta)",
            fx.path().display()
        )
    );
}

#[test]
fn dangling_head_falls_back_to_the_only_branch() {
    let fx = RepoFixture::bare();
    let tip = fx.commit("trunk-2024", &TreeSpec::new().file("LICENSE", MIT));
    fx.set_head("gone");
    let found = discover_ok(&fx);
    assert_eq!(
        (found.branch.as_deref(), found.commit.as_deref()),
        (Some("trunk-2024"), Some(tip.to_string().as_str()))
    );
}

#[test]
fn dangling_head_with_several_branches_names_them() {
    let fx = RepoFixture::bare();
    fx.commit("one", &TreeSpec::new().file("LICENSE", MIT));
    fx.commit("two", &TreeSpec::new().file("LICENSE", MIT));
    fx.set_head("gone");
    assert_eq!(
        error_message(&fx),
        format!(
            "repository {}: HEAD points to refs/heads/gone, which does not exist, and there is no main, master or \
             single branch to read instead (branches: one, two)",
            fx.path().display()
        )
    );
}

#[test]
fn branch_pointing_at_an_object_not_in_the_database_is_a_broken_object_error() {
    let fx = RepoFixture::bare();
    let absent = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
    fx.write_ref("refs/heads/main", absent);
    assert_eq!(
        error_message(&fx),
        format!(
            "repository {}: the tip commit of branch main {absent} is missing from the object database",
            fx.path().display()
        )
    );
}

#[test]
fn corrupt_tip_commit_is_a_broken_object_error() {
    let fx = RepoFixture::bare();
    let tip = fx.commit("main", &TreeSpec::new().file("LICENSE", MIT));
    fx.corrupt_object(tip);
    let message = error_message(&fx);
    let expected = format!(
        "repository {}: the tip commit of branch main {tip} is corrupt (",
        fx.path().display()
    );
    assert!(message.starts_with(&expected), "{message}");
}

#[test]
fn missing_root_tree_is_a_broken_object_error() {
    let fx = RepoFixture::bare();
    let tip = fx.commit("main", &TreeSpec::new().file("LICENSE", MIT));
    let tree = fx.repo().find_commit(tip).unwrap().tree_id();
    fx.remove_object(tree);
    assert_eq!(
        error_message(&fx),
        format!(
            "repository {}: the root tree of commit {tip} {tree} is missing from the object database",
            fx.path().display()
        )
    );
}

#[test]
fn missing_licence_blob_is_skipped_and_the_rest_is_read() {
    let fx = RepoFixture::bare();
    let blob = fx.blob(b"lost licence text");
    fx.commit(
        "main",
        &TreeSpec::new()
            .blob("LICENSE", blob)
            .file("NOTICE", "Copyright 2024 NHS England"),
    );
    fx.remove_object(blob);
    let found = discover_ok(&fx);
    assert_eq!(
        found.skipped,
        vec![skipped(
            "LICENSE",
            &format!("not read: blob {blob} is missing from the object database")
        )]
    );
    assert_eq!(kinds(&found), vec![("NOTICE", SourceKind::NoticeFile)]);
}

#[test]
fn symlinked_licence_is_not_followed_and_says_where_it_points() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .symlink("LICENSE", "/etc/passwd")
            .symlink("LICENCE.md", "docs/LICENCE.md"),
    );
    fx.set_head("main");
    let found = discover_ok(&fx);
    assert_eq!(found.candidates, vec![]);
    assert_eq!(
        found.skipped,
        vec![
            skipped(
                "LICENCE.md",
                "symbolic link to `docs/LICENCE.md`, which is not in the tree"
            ),
            skipped(
                "LICENSE",
                "symbolic link to `/etc/passwd`, outside the repository: not followed"
            ),
        ]
    );
}

#[test]
fn folder_named_licence_is_skipped() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE/MIT.txt", MIT)
            .file("LICENSE/OGL.txt", "OGL"),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        found.skipped,
        vec![skipped("LICENSE", "a folder (2 entries), not a file")]
    );
    assert_eq!(found.candidates, vec![]);
}

#[test]
fn submodule_named_licence_is_skipped_and_other_submodules_are_ignored() {
    let fx = RepoFixture::bare();
    let elsewhere = Oid::from_str("89abcdef0123456789abcdef0123456789abcdef").unwrap();
    fx.commit(
        "main",
        &TreeSpec::new()
            .submodule("LICENSE", elsewhere)
            .submodule("lib/dependency", elsewhere)
            .file("COPYING", MIT),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        found.skipped,
        vec![skipped(
            "LICENSE",
            &format!(
                "a submodule (gitlink to commit {elsewhere}): its files are not in this repository"
            )
        )]
    );
    assert_eq!(kinds(&found), vec![("COPYING", SourceKind::LicenseFile)]);
}

/// Generates `len` bytes — the MIT text, then filler lines — without holding them, hashing as it goes.
struct Generated {
    produced: u64,
    len: u64,
    hasher: Sha256,
}

impl Read for Generated {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        const FILLER: &[u8] = b"filler line\n";
        let left = usize::try_from(self.len - self.produced).unwrap_or(usize::MAX);
        let n = buffer.len().min(left);
        let mut written = 0;
        if self.produced == 0 {
            written = MIT.len().min(n);
            buffer[..written].copy_from_slice(&MIT.as_bytes()[..written]);
        }
        for chunk in buffer[written..n].chunks_mut(FILLER.len()) {
            chunk.copy_from_slice(&FILLER[..chunk.len()]);
        }
        self.hasher.update(&buffer[..n]);
        self.produced += n as u64;
        Ok(n)
    }
}

#[test]
fn hundred_megabyte_licence_is_read_up_to_the_bound_and_hashed_whole() {
    let fx = RepoFixture::bare();
    let mut source = Generated {
        produced: 0,
        len: 100 * 1024 * 1024,
        hasher: Sha256::new(),
    };
    let blob = fx.blob_from_reader(&mut source);
    let whole = hex::encode(source.hasher.finalize());
    fx.commit("main", &TreeSpec::new().blob("LICENSE", blob));
    let found = discover_ok(&fx);
    let [licence] = found.candidates.as_slice() else {
        panic!("{:?}", kinds(&found))
    };
    let bound = Limits::default().max_blob_bytes;
    assert_eq!(bound, 1024 * 1024);
    assert!(licence.truncated);
    assert_eq!(licence.text.len(), bound, "read exactly the bound");
    assert!(licence.text.starts_with(MIT));
    assert_eq!(
        licence.sha256, whole,
        "the sha256 covers the whole blob, not the prefix"
    );
}

#[test]
fn binary_licence_is_skipped() {
    let fx = RepoFixture::bare();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(&[0, 1, 2, 3, 0xFF]);
    fx.commit("main", &TreeSpec::new().file("LICENSE.pdf", &pdf));
    let found = discover_ok(&fx);
    assert_eq!(
        found.skipped,
        vec![skipped(
            "LICENSE.pdf",
            "binary file (14 bytes, NUL byte at offset 9): not read as text"
        )]
    );
    assert_eq!(found.candidates, vec![]);
}

#[test]
fn latin1_licence_is_decoded_and_read() {
    let fx = RepoFixture::bare();
    let bytes = b"Copyright \xA9 2021 NHS England\nPermission is hereby granted, free of charge \x96 see below.\n";
    fx.commit("main", &TreeSpec::new().file("LICENCE", bytes));
    let found = discover_ok(&fx);
    assert_eq!(
        found.candidates,
        vec![candidate(
            "LICENCE",
            SourceKind::LicenseFile,
            "Copyright © 2021 NHS England\nPermission is hereby granted, free of charge – see below.\n",
            1,
            bytes,
        )]
    );
}

#[test]
fn empty_and_blank_licence_files_are_skipped() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", "")
            .file("COPYING", "\n  \n"),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        found.skipped,
        vec![
            skipped("COPYING", "holds only whitespace (4 bytes)"),
            skipped("LICENSE", "empty file (0 bytes)")
        ]
    );
    assert_eq!(found.candidates, vec![]);
}

#[test]
fn path_that_is_not_a_repository_is_an_open_error() {
    let dir = tempfile::tempdir().unwrap();
    let message = format!("{:#}", discover_path(dir.path()).unwrap_err());
    assert!(
        message.starts_with(&format!(
            "cannot open {} as a git repository: ",
            dir.path().display()
        )),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Happy paths

#[test]
fn british_licence_md_at_the_root_is_read_from_the_default_branch() {
    let fx = RepoFixture::bare();
    let tip = fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENCE.md", MIT)
            .file("src/app.py", "print('hi')\n"),
    );
    let found = discover_ok(&fx);
    assert_eq!(found.commit, Some(tip.to_string()));
    assert_eq!(found.branch.as_deref(), Some("main"));
    assert_eq!(
        found.candidates,
        vec![candidate(
            "LICENCE.md",
            SourceKind::LicenseFile,
            MIT,
            1,
            MIT.as_bytes()
        )]
    );
    assert_eq!(found.skipped, vec![]);
}

#[test]
fn licence_and_notice_names_in_any_case_and_form() {
    let fx = RepoFixture::bare();
    let spec = [
        "COPYING.LESSER",
        "LICENSE-MIT",
        "LICENCE-OGL.txt",
        "licence.rst",
        "UNLICENSE",
        "NOTICES",
        "Copyright.txt",
        "LEGAL",
    ]
    .iter()
    .fold(TreeSpec::new(), |spec, name| {
        spec.file(name, format!("text of {name}"))
    })
    .file("license.py", "# code that checks licences")
    .file("licenses.json", "{}")
    .file("LICENSEE.md", "a licensee");
    fx.commit("main", &spec);
    let found = discover_ok(&fx);
    assert_eq!(
        kinds(&found),
        vec![
            ("COPYING.LESSER", SourceKind::LicenseFile),
            ("LICENCE-OGL.txt", SourceKind::LicenseFile),
            ("LICENSE-MIT", SourceKind::LicenseFile),
            ("UNLICENSE", SourceKind::LicenseFile),
            ("licence.rst", SourceKind::LicenseFile),
            ("Copyright.txt", SourceKind::NoticeFile),
            ("LEGAL", SourceKind::NoticeFile),
            ("NOTICES", SourceKind::NoticeFile),
        ]
    );
    assert_eq!(found.candidates[1].text, "text of LICENCE-OGL.txt");
}

#[test]
fn reuse_licenses_folder_gives_one_candidate_per_licence() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSES/MIT.txt", MIT)
            .file("LICENSES/OGL-UK-3.0.txt", "Open Government Licence v3.0")
            .file("LICENSES/README.md", "not a licence text"),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        found.candidates,
        vec![
            candidate(
                "LICENSES/MIT.txt",
                SourceKind::ReuseLicense,
                MIT,
                1,
                MIT.as_bytes()
            ),
            candidate(
                "LICENSES/OGL-UK-3.0.txt",
                SourceKind::ReuseLicense,
                "Open Government Licence v3.0",
                1,
                b"Open Government Licence v3.0"
            ),
        ]
    );
}

#[test]
fn nested_licence_files_at_any_depth_and_inside_vendored_folders() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("docs/LICENSE", "docs licence")
            .file("shiny/app/LICENSE.md", "app licence")
            .file("a/b/c/COPYING", "depth three")
            .file("a/b/c/d/LICENSE", "depth four: read too")
            .file("node_modules/left-pad/LICENSE", "vendored")
            .file("vendor/lib/LICENSE", "vendored")
            .file(
                "docs/NOTICE",
                "a nested notice is read for what it withholds",
            ),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        kinds(&found),
        vec![
            ("a/b/c/COPYING", SourceKind::NestedLicenseFile),
            ("a/b/c/d/LICENSE", SourceKind::NestedLicenseFile),
            ("shiny/app/LICENSE.md", SourceKind::NestedLicenseFile),
            // A licence file in the documentation folder is a documentation page.
            ("docs/LICENSE", SourceKind::DocumentationPage),
            // A vendored folder's licence is read as that folder's terms, never the repository's.
            (
                "node_modules/left-pad/LICENSE",
                SourceKind::VendoredLicenseFile
            ),
            ("vendor/lib/LICENSE", SourceKind::VendoredLicenseFile),
        ]
    );
    assert_eq!(
        found
            .notices
            .iter()
            .map(|n| n.path.as_str())
            .collect::<Vec<_>>(),
        ["docs/NOTICE"]
    );
}

#[test]
fn spdx_headers_give_one_candidate_per_expression_at_its_first_file() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                "build.rs",
                "// SPDX-License-Identifier: MIT OR Apache-2.0\nfn main() {}\n",
            )
            .file(
                "src/lib.rs",
                "//! Crate docs\n// SPDX-License-Identifier: MIT OR Apache-2.0\n",
            )
            .file(
                "src/main.rs",
                "// SPDX-License-Identifier:   MIT  OR  Apache-2.0\n",
            )
            .file(
                "scripts/run.py",
                "#!/usr/bin/env python3\n# SPDX-License-Identifier: OGL-UK-3.0\n",
            )
            .file(
                "src/scan.rs",
                "const TAG: &str = \"SPDX-License-Identifier: GPL-3.0-only\";\n",
            )
            .file(
                "docs/guide.md",
                "Put this at the top:\n```\n// SPDX-License-Identifier: Apache-2.0\n```\n",
            )
            .file(
                "node_modules/x/index.js",
                "// SPDX-License-Identifier: BSD-3-Clause\n",
            ),
    );
    let found = discover_ok(&fx);
    let rs = b"// SPDX-License-Identifier: MIT OR Apache-2.0\nfn main() {}\n";
    let py = b"#!/usr/bin/env python3\n# SPDX-License-Identifier: OGL-UK-3.0\n";
    assert_eq!(
        found.candidates,
        vec![
            candidate(
                "build.rs",
                SourceKind::SpdxHeader,
                "MIT OR Apache-2.0",
                1,
                rs
            ),
            candidate(
                "scripts/run.py",
                SourceKind::SpdxHeader,
                "OGL-UK-3.0",
                2,
                py
            ),
        ]
    );
}

#[test]
fn header_scanning_stops_at_the_file_budget_breadth_first() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("a.rs", "// SPDX-License-Identifier: MIT\n")
            .file("b.rs", "fn b() {}\n")
            .file("deep/c.rs", "// SPDX-License-Identifier: GPL-3.0-only\n"),
    );
    let limits = Limits {
        max_files_scanned_for_headers: 2,
        ..Limits::default()
    };
    let found = discover(fx.repo(), &limits).unwrap();
    assert_eq!(
        found
            .candidates
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>(),
        vec!["MIT"]
    );
    let found = discover(fx.repo(), &Limits::default()).unwrap();
    assert_eq!(
        found
            .candidates
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>(),
        vec!["MIT", "GPL-3.0-only"]
    );
}

#[test]
fn header_bytes_are_bounded() {
    let fx = RepoFixture::bare();
    let late = format!(
        "{}// SPDX-License-Identifier: MIT\n",
        "// padding\n".repeat(1000)
    );
    fx.commit("main", &TreeSpec::new().file("late.rs", &late));
    assert_eq!(discover_ok(&fx).candidates, vec![]);
}

#[test]
fn each_manifest_kind_gives_its_declared_licence() {
    let fx = RepoFixture::bare();
    let description = include_str!("../corpus/047-nhsrplotthedots-description-mit-file.txt");
    let pyproject = include_str!("../corpus/053-isodatetime-pyproject-lgpl3plus.toml");
    let setup_cfg = include_str!("../corpus/058-osdatahub-setup-cfg-ogl-unversioned.cfg");
    let setup_py = include_str!("../corpus/059-osdatahub-setup-py-ogl-unversioned.py");
    let package_json = include_str!("../corpus/044-legislation-mcp-package-ogl.json");
    let cargo = include_str!("../corpus/060-hdruk-cargo-unlicense-generator-default.toml");
    let csproj = "<Project>\n  <PropertyGroup>\n    <PackageLicenseExpression>EUPL-1.2</PackageLicenseExpression>\n  </PropertyGroup>\n</Project>\n";
    let pom = "<project>\n  <licenses>\n    <license>\n      <name>Apache License, Version 2.0</name>\n    </license>\n  </licenses>\n</project>\n";
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("DESCRIPTION", description)
            .file("pyproject.toml", pyproject)
            .file("setup.cfg", setup_cfg)
            .file("setup.py", setup_py)
            .file("package.json", package_json)
            .file("Cargo.toml", cargo)
            .file("Service.csproj", csproj)
            .file("pom.xml", pom)
            .file("web/package.json", "{\"license\": \"ISC\"}"),
    );
    let found = discover_ok(&fx);
    let manifest = |path: &str, text: &str, line: usize, blob: &str| {
        candidate(path, SourceKind::Manifest, text, line, blob.as_bytes())
    };
    assert_eq!(
        found.candidates,
        vec![
            manifest("Cargo.toml", "Unlicense", 7, cargo),
            manifest("DESCRIPTION", "MIT", 19, description),
            manifest("Service.csproj", "EUPL-1.2", 3, csproj),
            manifest("package.json", "OGL-UK-3.0", 32, package_json),
            manifest("pom.xml", "Apache-2.0", 4, pom),
            // The {text} field and the classifier say the same: one candidate, at the first.
            manifest("pyproject.toml", "LGPL-3.0-or-later", 27, pyproject),
            // `license_file = LICENSE.txt` points to a file and is not a candidate itself.
            manifest("setup.cfg", "OGL-UK-3.0", 22, setup_cfg),
            manifest("setup.py", "OGL-UK-3.0", 49, setup_py),
            // A sub-package's manifest speaks for its package (issue 21).
            manifest("web/package.json", "ISC", 1, "{\"license\": \"ISC\"}"),
        ]
    );
}

#[test]
fn files_that_manifests_point_to_are_read_as_licence_files() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                "package.json",
                "{\"name\": \"x\", \"license\": \"SEE LICENSE IN TERMS.md\"}",
            )
            .file("TERMS.md", "Crown copyright. Licensed under the OGL v3.0.")
            .file(
                "Cargo.toml",
                "[package]\nname = \"x\"\nlicense-file = \"legal/terms.txt\"\n",
            ),
    );
    let found = discover_ok(&fx);
    let terms = "Crown copyright. Licensed under the OGL v3.0.";
    assert_eq!(
        found.candidates,
        vec![candidate(
            "TERMS.md",
            SourceKind::LicenseFile,
            terms,
            1,
            terms.as_bytes()
        )]
    );
    assert_eq!(
        found.skipped,
        vec![skipped(
            "legal/terms.txt",
            "named by a manifest as the licence file, but not in the tree"
        )]
    );
}

#[test]
fn readme_licence_section_only() {
    let fx = RepoFixture::bare();
    let readme = include_str!("../corpus/034-nhse-performance-grid-readme-mit-ogl.md");
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", readme)
            .file("readme.txt", "License: GPL, see https://gnu.org"),
    );
    let found = discover_ok(&fx);
    let section = readme
        .lines()
        .skip(27)
        .take(6)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        section.starts_with("## License\n")
            && section.ends_with("Open Government 3.0 licence.<br>"),
        "{section}"
    );
    assert_eq!(
        found.candidates,
        vec![candidate(
            "README.md",
            SourceKind::Readme,
            &section,
            28,
            readme.as_bytes()
        )]
    );
}

#[test]
fn default_branch_is_heads_target_even_when_main_exists() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new().file("LICENSE", "old licence on main"),
    );
    let develop = fx.commit("develop", &TreeSpec::new().file("LICENCE", MIT));
    fx.set_head("develop");
    let found = discover_ok(&fx);
    assert_eq!(
        (found.branch.as_deref(), found.commit.as_deref()),
        (Some("develop"), Some(develop.to_string().as_str()))
    );
    assert_eq!(kinds(&found), vec![("LICENCE", SourceKind::LicenseFile)]);
}

#[test]
fn bare_mirror_reads_heads_branch_from_packed_objects() {
    let source = RepoFixture::non_bare();
    source.commit("main", &TreeSpec::new().file("LICENSE", "stale"));
    let big = format!("{MIT}{}", "x".repeat(2 * 1024 * 1024));
    let trunk = source.commit(
        "trunk",
        &TreeSpec::new()
            .file("LICENCE.md", &big)
            .file("docs/LICENSE", MIT),
    );
    source.set_head("trunk");
    let mirror = source.mirror();
    assert!(mirror.repo().is_bare());
    assert_eq!(
        mirror
            .repo()
            .find_reference("HEAD")
            .unwrap()
            .symbolic_target()
            .unwrap(),
        Some("refs/heads/trunk")
    );
    assert!(
        !mirror.object_path(trunk).exists(),
        "objects arrived as a pack"
    );
    let found = discover_ok(&mirror);
    assert_eq!(
        (found.branch.as_deref(), found.commit.as_deref()),
        (Some("trunk"), Some(trunk.to_string().as_str()))
    );
    let [licence, nested] = found.candidates.as_slice() else {
        panic!("{:?}", kinds(&found))
    };
    assert_eq!(
        (licence.path.as_str(), licence.truncated, licence.text.len()),
        ("LICENCE.md", true, 1024 * 1024)
    );
    assert_eq!(licence.sha256, sha256(big.as_bytes()));
    assert_eq!(
        nested,
        &candidate(
            "docs/LICENSE",
            SourceKind::DocumentationPage,
            MIT,
            1,
            MIT.as_bytes()
        )
    );
}

#[test]
fn non_bare_repository_reads_the_commit_not_the_work_tree() {
    let fx = RepoFixture::non_bare();
    fx.commit("main", &TreeSpec::new().file("LICENSE", MIT));
    std::fs::write(fx.path().join("COPYING"), "only in the work tree").unwrap();
    std::fs::write(fx.path().join("LICENSE"), "changed in the work tree").unwrap();
    let found = discover_ok(&fx);
    assert_eq!(
        found.candidates,
        vec![candidate(
            "LICENSE",
            SourceKind::LicenseFile,
            MIT,
            1,
            MIT.as_bytes()
        )]
    );
}

#[test]
fn detached_head_is_read_without_a_branch() {
    let fx = RepoFixture::bare();
    let first = fx.commit("main", &TreeSpec::new().file("LICENSE", MIT));
    fx.commit("main", &TreeSpec::new().file("LICENSE", "later"));
    fx.detach_head(first);
    let found = discover_ok(&fx);
    assert_eq!(
        (found.branch, found.commit),
        (None, Some(first.to_string()))
    );
    assert_eq!(found.candidates[0].text, MIT);
}

// ---------------------------------------------------------------------------------------------------------
// Licence file names beyond the exact list (issue 11 §3), and documentation pages.

#[test]
fn root_licence_names_with_prefixes_ids_long_names_and_misspellings() {
    let fx = RepoFixture::bare();
    let licences = [
        "APACHE-LICENSE-2.0.txt",
        "MIT-LICENSE",
        "NHSD-LICENCE.md",
        "LICENCE-docs.md",
        "license_mit.txt",
        "Licence_OGL.md",
        "Apache-2.0.txt",
        "MIT.txt",
        "GPL-3.0.txt",
        "OGL-UK-3.0.md",
        "Open-Government-Licence.md",
        "MIT-License.md",
        "UNLICENSE.txt",
        "LISENCE",
        "LICESNE.md",
        "LISCENSE.txt",
    ];
    let decoys = [
        "mit.py",
        "gpl.js",
        "Apache-2.0.yaml",
        "licensed.txt",
        "silence.md",
        "lichen.md",
        "THIRD-PARTY-LICENSES",
        "contributor-license-agreement.md",
        "PostgreSQL.md",
        "AUTHORS",
        "CONTRIBUTORS.md",
    ];
    let spec = licences
        .iter()
        .chain(decoys.iter())
        .fold(TreeSpec::new(), |spec, name| {
            spec.file(name, format!("text of {name}"))
        });
    fx.commit("main", &spec);
    let found = discover_ok(&fx);
    let mut expected: Vec<&str> = licences.to_vec();
    expected.sort_unstable();
    assert_eq!(
        kinds(&found),
        expected
            .iter()
            .map(|path| (*path, SourceKind::LicenseFile))
            .collect::<Vec<_>>()
    );
    let apache = found
        .candidates
        .iter()
        .find(|c| c.path == "APACHE-LICENSE-2.0.txt")
        .expect("read");
    assert_eq!(apache.text, "text of APACHE-LICENSE-2.0.txt");
    assert_eq!(found.skipped, vec![]);
}

#[test]
fn attribution_and_credits_files_are_notices_and_authors_is_not_read() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("ATTRIBUTION", "Contains OS data © Crown copyright")
            .file("ATTRIBUTIONS.md", "Icons: CC-BY-4.0")
            .file("CREDITS", "Fonts under OFL-1.1")
            .file("AUTHORS", "Jane Doe <jane@example.invalid>")
            .file("docs/ATTRIBUTION.md", "a nested notice is not read"),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        kinds(&found),
        vec![
            ("ATTRIBUTION", SourceKind::NoticeFile),
            ("ATTRIBUTIONS.md", SourceKind::NoticeFile),
            ("CREDITS", SourceKind::NoticeFile),
        ]
    );
}

#[test]
fn licence_copyright_and_terms_pages_in_documentation_folders_are_read_whole() {
    let fx = RepoFixture::bare();
    let terms =
        "Terms of use\n============\n\nThis project is licensed under the GPL v3 or later.\n";
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("sphinx/terms.rst", terms)
            .file("docs/licence.md", "# Licence\n\nOGL v3.0")
            .file("docs/license.rst", "License\n=======\nMIT")
            .file("docs/copyright.md", "© Crown copyright")
            .file("docs/legal.md", "Legal")
            .file("docs/about/licensing.md", "Licensing")
            .file("doc/COPYING", "GPL")
            .file("docs/source/terms-of-use.rst", "Terms")
            .file("website/content/copyright-and-licence.md", "Copyright")
            // Not pages of the documentation's terms.
            .file("docs/index.md", "# Docs")
            .file("docs/conf.py", "copyright = '2024, Crown'")
            .file("docs/licence.js", "// a licence widget")
            .file("docs/NOTICE", "a nested notice is not read")
            .file("docs/third-party-licenses.md", "other people's licences")
            .file("docs/glossary-of-terms.md", "terms")
            // At any depth (docs = depth 1, the page at depth 4).
            .file("docs/a/b/c/licence.md", "deep")
            // Generated copies are never entered; vendored folders only for their own licences.
            .file("docs/_build/html/licence.html", "generated")
            .file("site/_site/licence.html", "generated")
            .file("docs/node_modules/theme/LICENSE", "vendored")
            // A folder named like a licence, holding a policy document: a folder, not a licence.
            .file("docs/licence-standard/index.md", "how we choose licences"),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        kinds(&found),
        vec![
            ("doc/COPYING", SourceKind::DocumentationPage),
            ("docs/a/b/c/licence.md", SourceKind::DocumentationPage),
            ("docs/about/licensing.md", SourceKind::DocumentationPage),
            ("docs/copyright.md", SourceKind::DocumentationPage),
            ("docs/legal.md", SourceKind::DocumentationPage),
            ("docs/licence.md", SourceKind::DocumentationPage),
            ("docs/license.rst", SourceKind::DocumentationPage),
            (
                "docs/source/terms-of-use.rst",
                SourceKind::DocumentationPage
            ),
            ("sphinx/terms.rst", SourceKind::DocumentationPage),
            (
                "website/content/copyright-and-licence.md",
                SourceKind::DocumentationPage
            ),
            (
                "docs/node_modules/theme/LICENSE",
                SourceKind::VendoredLicenseFile
            ),
        ]
    );
    let page = found
        .candidates
        .iter()
        .find(|c| c.path == "sphinx/terms.rst")
        .expect("read");
    assert_eq!(
        page,
        &candidate(
            "sphinx/terms.rst",
            SourceKind::DocumentationPage,
            terms,
            1,
            terms.as_bytes()
        )
    );
    assert_eq!(
        found.skipped,
        vec![skipped(
            "docs/licence-standard",
            "a folder (1 entries), not a file"
        )]
    );
}

#[test]
fn root_licence_standard_folder_is_still_a_folder_and_id_named_folders_and_submodules_are_not_reported()
 {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("licence-standard/README.md", "a standard about licences")
            .file("apache2/httpd.conf", "ServerName x")
            .file("MIT-tools/README.md", "tools")
            .file("Apache-2.0/notes.md", "notes")
            .submodule("gpl", Oid::from_bytes(&[7; 20]).unwrap())
            .submodule("docs/licence-theme", Oid::from_bytes(&[8; 20]).unwrap()),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        found.skipped,
        vec![
            skipped("licence-standard", "a folder (1 entries), not a file"),
            // Licence word first: reported as not read, as before.
            skipped(
                "docs/licence-theme",
                "a submodule (gitlink to commit 0808080808080808080808080808080808080808): its files \
                 are not in this repository"
            ),
        ]
    );
    assert_eq!(found.candidates, vec![]);
}

#[test]
fn nested_licence_names_with_prefixes_and_misspellings_outside_documentation() {
    let fx = RepoFixture::bare();
    let guidance = include_str!("../corpus/042-nhsbsa-playbook-licensing-guidance-examples.md");
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("src/development/coding-licences.md", guidance)
            .file("shiny/app/MIT-LICENSE", "MIT")
            .file("data/LISENCE.md", "OGL")
            .file("src/docs/licence.md", "a package's own docs folder")
            // Named after a licence below the root: a template or fixture, not the folder's licence.
            .file("templates/MIT.md", "template")
            .file("tests/fixtures/Apache-2.0.txt", "fixture")
            .file(
                "app/views/fishing-licence.html",
                "<h1>Buy a fishing licence</h1>",
            )
            .file("node_modules/pkg/MIT-LICENSE", "vendored")
            .file("third_party/lib/LISENCE", "vendored")
            .file("src/licence_check.py", "# SPDX-License-Identifier: MIT\n"),
    );
    let found = discover_ok(&fx);
    assert_eq!(
        kinds(&found),
        vec![
            ("data/LISENCE.md", SourceKind::NestedLicenseFile),
            ("shiny/app/MIT-LICENSE", SourceKind::NestedLicenseFile),
            (
                "src/development/coding-licences.md",
                SourceKind::NestedLicenseFile
            ),
            ("src/docs/licence.md", SourceKind::NestedLicenseFile),
            // Code is scanned for headers, never read as a licence file.
            ("src/licence_check.py", SourceKind::SpdxHeader),
            // Vendored folders' licences: their folders' terms, never the repository's.
            (
                "node_modules/pkg/MIT-LICENSE",
                SourceKind::VendoredLicenseFile
            ),
            ("third_party/lib/LISENCE", SourceKind::VendoredLicenseFile),
        ]
    );
    let coding = &found.candidates[2];
    assert_eq!((coding.text.as_str(), coding.first_line), (guidance, 1));
}

#[test]
fn a_licence_only_in_a_documentation_page_is_read_beside_the_root_files() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", "# Tool\n\nSee the docs.\n")
            .file(
                "docs/licence.md",
                "This project is licensed under the MIT licence.",
            )
            .file("LICENSE", MIT),
    );
    let found = discover_ok(&fx);
    // Documentation pages sort after every other kind.
    assert_eq!(
        kinds(&found),
        vec![
            ("LICENSE", SourceKind::LicenseFile),
            ("docs/licence.md", SourceKind::DocumentationPage),
        ]
    );
}
