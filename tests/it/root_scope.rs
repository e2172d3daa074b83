//! A repository is republishable only if some claim speaks for it as a whole: a licence file, a README or
//! documentation statement, a root manifest. Every other claim speaks for its own scope — a file's licence
//! comment for that file, a page footer for the page's content, an acknowledgements bundle for the packages
//! it names, an API description's `info.license` for that API, a string in code for nothing beyond its file.
//! With no claim for the whole and none that could be one, the verdict is *forbidden*, the partial claims
//! shown; a file missing from the mirror keeps it at *needs review* only when its path could hold a claim for
//! the whole. Each test builds a real repository with git2 and checks it as keepopen would. The classes are
//! those a careful reader labelled *forbidden* on real UK public-sector repositories where keepopen asked a
//! person (see `acceptance/`).

use keepopen::check::RepoCheck;

use crate::fixture::RepoFixture;
use crate::support::check::{OGL_FOOTER, check_files, check_fixture};

/// The Apache header Gradle's wrapper scripts carry.
const GRADLEW: &str = "#!/bin/sh\n\n#\n# Copyright 2015 the original author or authors.\n#\n# Licensed under the Apache License, Version 2.0 (the \"License\");\n# you may not use this file except in compliance with the License.\n# You may obtain a copy of the License at\n#\n#      https://www.apache.org/licenses/LICENSE-2.0\n#\n\nexec java -classpath \"$APP_HOME/gradle/wrapper/gradle-wrapper.jar\" org.gradle.wrapper.GradleWrapperMain \"$@\"\n";

fn check(files: &[(&str, &[u8])]) -> RepoCheck {
    check_files(files)
}

/// `count` source files of an application in `dir`, each `ext`, with no licence words.
fn sources(dir: &str, ext: &str, count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            (
                format!("{dir}/module{i}.{ext}"),
                format!("// module {i}\nconst answer{i} = {i};\n"),
            )
        })
        .collect()
}

fn with(owned: &[(String, String)], extra: &[(&str, &str)]) -> RepoCheck {
    let mut files: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    files.extend(extra.iter().map(|(p, t)| (*p, t.as_bytes())));
    files.push(("README.md", b"# A service\n\nRun it with `make run`.\n"));
    check(&files)
}

fn forbidden_for_want_of_a_whole(r: &RepoCheck, shown: &str) {
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict.reasons().iter().any(|x| x.contains(shown)),
        "the partial claim {shown} is shown as evidence: {:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_site_footer_in_an_applications_layout_does_not_license_its_code() {
    // As ONSdigital/takeon-ui and alphagov/govuk-account-manager-prototype: a web application whose only
    // licence words are the GOV.UK footer in its layout, and the same footer built in a script.
    let script = "function footer() {\n  return `<footer>\n    <a\n      href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\"\n      class=\"footer__link\">Open Government Licence v3.0</a>, except where otherwise stated\n  </footer>`;\n}\n";
    let r = with(
        &sources("app", "py", 12),
        &[
            ("app/templates/base.html", OGL_FOOTER),
            ("app/static/js/footer.js", script),
        ],
    );
    forbidden_for_want_of_a_whole(&r, "base.html");
}

#[test]
fn a_documentation_sites_footer_may_be_the_licence_of_its_pages_and_is_for_a_person() {
    // As ukgovdatascience/sandbox-tech-docs (labelled *needs review*): the repository is mostly the pages the
    // footer renders (prose, layouts and their styles), so the footer may speak for the repository's work.
    let mut owned: Vec<(String, String)> = (0..8)
        .map(|i| {
            (
                format!("source/documentation/page{i}.md"),
                format!("# Page {i}\n\nHow to do thing {i}.\n"),
            )
        })
        .collect();
    owned.extend((0..6).map(|i| {
        (
            format!("source/stylesheets/modules/_part{i}.scss"),
            format!(".part{i} {{ margin: {i}px; }}\n"),
        )
    }));
    owned.push(("config.rb".into(), "activate :tech_docs\n".into()));
    let r = with(&owned, &[("source/layouts/_footer.erb", OGL_FOOTER)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn an_apps_acknowledgements_bundle_licenses_the_packages_it_names_not_the_app() {
    // As alphagov/govuk-mobile-ios-app: Settings.bundle lists each Swift package's licence.
    let plist = |name: &str, text: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>PreferenceSpecifiers</key>\n\t<array>\n\t\t<dict>\n\t\t\t<key>Title</key>\n\t\t\t<string>{name}</string>\n\t\t\t<key>FooterText</key>\n\t\t\t<string>{text}</string>\n\t\t</dict>\n\t</array>\n</dict>\n</plist>\n"
        )
    };
    let apache = plist(
        "AppAuth",
        "Licensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nhttp://www.apache.org/licenses/LICENSE-2.0",
    );
    let mit = plist(
        "Factory",
        "MIT License\n\nCopyright (c) 2022 Michael Long\n\nPermission is hereby granted, free of charge, to any person obtaining a copy",
    );
    let r = with(
        &sources("Production/govuk_ios/Views", "swift", 10),
        &[
            (
                "Production/govuk_ios/SupportingFiles/Settings.bundle/Packages/AppAuth.plist",
                &apache,
            ),
            (
                "Production/govuk_ios/SupportingFiles/Settings.bundle/Packages/Factory.plist",
                &mit,
            ),
        ],
    );
    forbidden_for_want_of_a_whole(&r, "AppAuth.plist");
}

#[test]
fn a_test_asserting_the_footer_text_and_a_wrappers_header_license_nothing_else() {
    // As cabinetoffice/gap-find-api-admin: a Cypress test checks the page footer's words; the Maven wrapper
    // carries its own Apache header.
    let cypress = "describe('technical support', () => {\n  it('shows the footer', () => {\n    cy.visit('/');\n    cy.get('footer').contains(\n      'All content is available under the Open Government Licence v3.0, except where otherwise stated'\n    );\n  });\n});\n";
    let mvnw_cmd = "@REM ----------------------------------------------------------------------------\n@REM Licensed to the Apache Software Foundation (ASF) under one\n@REM or more contributor license agreements.\n@REM Licensed under the Apache License, Version 2.0 (the \"License\");\n@REM ----------------------------------------------------------------------------\n@echo off\n";
    let r = with(
        &sources("src/main/java/gov/cabinetoffice", "java", 10),
        &[
            (
                "src/test/e2e/cypress/e2e/technicalSupport/technicalSupportJourney.cy.js",
                cypress,
            ),
            ("mvnw.cmd", mvnw_cmd),
        ],
    );
    forbidden_for_want_of_a_whole(&r, "technicalSupportJourney.cy.js");
}

#[test]
fn a_springdoc_sample_licence_in_code_describes_the_sample_api_not_the_repository() {
    // As UKHomeOffice/callisto-jparest.
    let config = "package uk.gov.homeoffice.demo;\n\nimport io.swagger.v3.oas.models.info.License;\n\n@Configuration\npublic class OpenApiConfig {\n  @Bean\n  public OpenAPI api() {\n    return new OpenAPI().info(new Info().title(\"Demo\")\n        .license(new License().name(\"Apache 2.0\").url(\"http://springdoc.org\")));\n  }\n}\n";
    let r = with(
        &sources("src/main/java/uk/gov/homeoffice", "java", 10),
        &[(
            "demo/src/main/java/uk/gov/homeoffice/demo/OpenApiConfig.java",
            config,
        )],
    );
    forbidden_for_want_of_a_whole(&r, "OpenApiConfig.java");
}

#[test]
fn an_api_descriptions_licence_and_a_component_footer_license_neither_the_repository() {
    // As communitiesuk/epb-ecaas-frontend: `info.license` of an OpenAPI document, and a Vue footer.
    let openapi = "openapi: 3.0.0\ninfo:\n  title: Products API\n  license:\n    name: MIT\n    url: https://opensource.org/licenses/MIT\n  version: 1.0.0\npaths: {}\n";
    let footer = "<template>\n  <footer class=\"govuk-footer\">\n    <span>All content is available under the\n      <a class=\"govuk-footer__link\"\n        href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\"\n        rel=\"license\">Open Government Licence v3.0</a>, except where otherwise stated\n    </span>\n  </footer>\n</template>\n";
    let r = with(
        &sources("components", "ts", 12),
        &[
            ("schema/openapi.yaml", openapi),
            ("components/gov/Footer.vue", footer),
        ],
    );
    forbidden_for_want_of_a_whole(&r, "openapi.yaml");
}

#[test]
fn a_manifest_licence_field_that_names_no_licence_is_not_a_claim() {
    // As ukgovdatascience/testpackage: RStudio's package skeleton, never filled in.
    let description = "Package: testpackage\nType: Package\nTitle: What the Package Does (Title Case)\nVersion: 0.1.0\nAuthor: Who wrote it\nDescription: More about what it does (maybe more than one line)\nLicense: What license is it under?\nEncoding: UTF-8\nLazyData: true\n";
    let r = check(&[
        ("DESCRIPTION", description.as_bytes()),
        (
            "R/hello.R",
            b"hello <- function() {\n  print(\"Hello, world!\")\n}\n",
        ),
        ("testpackage.Rproj", b"Version: 1.0\n"),
    ]);
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
    // A licence field that names a licence keepopen does not know is still for a person.
    let named = description.replace("What license is it under?", "Acme Community Licence 2");
    let r = check(&[
        ("DESCRIPTION", named.as_bytes()),
        (
            "R/hello.R",
            b"hello <- function() {\n  print(\"Hello, world!\")\n}\n",
        ),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

/// A repository of wrapper headers only, whose one `kind` file is missing from the mirror's object store.
fn wrapper_headers_and_a_missing(path: &str) -> RepoCheck {
    let owned = sources("src/main/kotlin/uk/gov/ero", "kt", 10);
    let mut files: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let bat = GRADLEW.replace('#', "@rem");
    files.push(("gradlew", GRADLEW.as_bytes()));
    files.push(("gradlew.bat", bat.as_bytes()));
    files.push(("README.md", b"# Print API\n\nRun `./gradlew bootRun`.\n"));
    files.push((path, b"bytes the mirror lost\n"));
    let fx = RepoFixture::one_commit(&files);
    fx.remove_object(fx.blob(b"bytes the mirror lost\n"));
    check_fixture(&fx)
}

#[test]
fn files_missing_from_the_mirror_keep_the_verdict_open_only_where_they_could_hold_a_claim_for_the_whole()
 {
    // As communitiesuk/eip-ero-print-api (a jar and a photograph absent): nothing there could license the
    // repository, so the wrapper headers alone leave it unlicensed, and the missing files are named.
    let r = wrapper_headers_and_a_missing("architecture/diagrams/plantuml.jar");
    forbidden_for_want_of_a_whole(&r, "gradlew");
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("architecture/diagrams/plantuml.jar")),
        "{:?}",
        r.verdict.reasons()
    );
    // A missing documentation page could be the project's licence statement: absence is not shown.
    let r = wrapper_headers_and_a_missing("docs/using-the-api.md");
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("docs/using-the-api.md")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn notebooks_and_data_missing_from_the_mirror_cannot_make_a_repository_with_no_licence_licensed() {
    // As moj-analytical-services/splink_demos and ukgovdatascience/govuk-statistics-amendment-watch.
    let files: Vec<(&str, &[u8])> = vec![
        (
            "README.md",
            b"# Demos\n\nNotebooks showing record linkage.\n",
        ),
        ("analysis.R", b"reports <- readRDS('reports.Rds')\n"),
        ("examples/duckdb/deduplicate.ipynb", b"{\"cells\": []}\n"),
        ("reports.Rds", b"\x58\x0a\x00\x00\x00\x03 rds bytes"),
    ];
    let fx = RepoFixture::one_commit(&files);
    fx.remove_object(fx.blob(b"{\"cells\": []}\n"));
    fx.remove_object(fx.blob(b"\x58\x0a\x00\x00\x00\x03 rds bytes"));
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("deduplicate.ipynb")),
        "the missing files are named: {:?}",
        r.verdict.reasons()
    );
    // The same with a licence-named file missing: it could be the repository's licence.
    let fx = RepoFixture::one_commit(&[
        (
            "README.md",
            "# Demos\n\nNotebooks showing record linkage.\n",
        ),
        ("analysis.R", "reports <- readRDS('reports.Rds')\n"),
        ("LICENSE", "lost licence bytes\n"),
    ]);
    fx.remove_object(fx.blob(b"lost licence bytes\n"));
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn a_readme_statement_for_the_project_still_stands_between_partial_claims_and_forbidden() {
    // The reverse: partial claims never outweigh a line that may speak for the repository. A README that
    // discovery does not read as a grant, but that names a licence, keeps a person in the loop.
    let r = with(
        &sources("app", "py", 6),
        &[
            ("app/templates/base.html", OGL_FOOTER),
            (
                "docs/about.md",
                "# About\n\nThe code is released under the MIT licence, see the repository's licence page.\n",
            ),
        ],
    );
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}
