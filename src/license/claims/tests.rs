use super::*;

#[test]
fn withholding_sentences_are_told_from_conditional_grants() {
    for yes in [
        "Redistribution of this software is not permitted.",
        "Except that redistribution of this Software is prohibited.",
        "For internal NHS use only.",
        "Not for redistribution.",
        "None of the above applies; all rights reserved.",
        "You may not copy or distribute this software.",
        "These fonts are for exclusive use on gov.uk.",
        "No permission is granted to reuse the material.",
        "This code must not be shared outside the organisation.",
    ] {
        assert!(withholds(yes), "{yes}");
    }
    for no in [
        "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file except in compliance with the License.",
        "Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.",
        "This product includes software developed at The Apache Software Foundation.",
        "Copyright 2021 NHS Digital. All rights reserved. Licensed under the MIT licence.",
        "Copyright (c) 2020 Acme Ltd",
        "Permission is hereby granted, free of charge, to any person obtaining a copy",
        "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:",
    ] {
        assert!(!withholds(no), "{no}");
    }
}

#[test]
fn a_sentence_wrapped_over_two_lines_is_found_where_it_starts() {
    let text = "NOTICE\n\nThis software is provided for evaluation. Redistribution of it\nis not permitted.\n";
    assert_eq!(
        withholding_sentences(text),
        vec![(
            3,
            "This software is provided for evaluation. Redistribution of it is not permitted."
                .to_string()
        )]
    );
}

#[test]
fn only_files_that_could_speak_for_the_whole_may_by_their_paths() {
    for could in [
        "LICENSE",
        "packages/widget/LICENCE.txt",
        "inst/www/icons/readme-fatcow.txt",
        "NOTICE",
        "docs/legal/intellectual-property.md",
        "source/documentation/index.md",
        "package.json",
        "DESCRIPTION",
        "CITATION.cff",
        "build.gradle.kts",
        "gradlew",
    ] {
        assert!(could_speak_for_repository(could), "{could}");
    }
    for cannot in [
        "examples/duckdb/deduplicate_50k_synthetic.ipynb",
        "example_febrl4.ipynb",
        "reports.Rds",
        "explore-amendments.html",
        "architecture/diagrams/plantuml-1.2022.1.jar",
        "src/test/resources/photo.png",
        "schema/openapi.yaml",
        "frontend/package.json",
        "package-lock.json",
        "src/main/java/Demo.java",
    ] {
        assert!(!could_speak_for_repository(cannot), "{cannot}");
    }
}

#[test]
fn what_a_licence_line_speaks_for_follows_from_its_file_and_place() {
    let scope = |path: &str, text: &str, line: usize| mention_scope(path, text, line);
    let wrapper = "#!/bin/sh\n# Licensed under the Apache License, Version 2.0\nexec java\n";
    assert_eq!(scope("gradlew", wrapper, 2), Some(MentionScope::FileHeader));
    let code = "class Config {\n  // MIT licensed helper\n  License l = new License().name(\"Apache 2.0\");\n}\n";
    assert_eq!(
        scope("demo/Config.java", code, 2),
        Some(MentionScope::FileHeader)
    );
    assert_eq!(
        scope("demo/Config.java", code, 3),
        Some(MentionScope::OwnFile)
    );
    let built = "return `<footer>\n  <a href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/\">OGL</a>\n`;\n";
    assert_eq!(
        scope("app/static/footer.js", built, 2),
        Some(MentionScope::Page)
    );
    let page = "<!--\n  Licensed under the Apache License, Version 2.0\n-->\n<script>\n/*!\n * Released under MIT license\n */\n</script>\n<p>Open Government Licence v3.0</p>\n";
    assert_eq!(scope("guide/index.html", page, 2), Some(MentionScope::Page));
    assert_eq!(
        scope("guide/index.html", page, 6),
        Some(MentionScope::OwnFile)
    );
    assert_eq!(scope("guide/index.html", page, 9), Some(MentionScope::Page));
    let api = "info:\n  license:\n    name: MIT\n";
    assert_eq!(
        scope("schema/openapi.yaml", api, 3),
        Some(MentionScope::OwnFile)
    );
    assert_eq!(scope("docs/about.md", "Licensed under MIT.\n", 1), None);
    let description = "Package: x\nLicense: What license is it under?\n";
    assert_eq!(
        scope("DESCRIPTION", description, 2),
        Some(MentionScope::Unfilled)
    );
    let filled = "Package: x\nLicense: MIT + file LICENSE\n";
    assert_eq!(scope("DESCRIPTION", filled, 2), None);
    let lock = "{\n  \"license\": \"MIT\"\n}\n";
    assert_eq!(
        scope("package-lock.json", lock, 2),
        Some(MentionScope::Dependency)
    );
}

#[test]
fn folders_and_files_overlap_only_when_one_holds_the_other() {
    let folder = |f: &str| Covers::Folder(f.into());
    assert!(folder("docs").overlaps(&folder("docs/js")));
    assert!(!folder("docs").overlaps(&folder("docs2")));
    assert!(folder("docs/js").overlaps(&Covers::File("docs/js/a.js".into())));
    assert!(!folder("docs/js").overlaps(&Covers::File("src/a.js".into())));
    assert!(Covers::Repository.overlaps(&folder("x")));
    assert!(Covers::Unbounded("the code".into()).overlaps(&Covers::File("a".into())));
}
