//! How a careful reviewer reads a sentence that names a licence: is it a grant, or advice, policy or a
//! document about licensing; does it license the whole repository or one named part; and does a sentence
//! beside the grant withhold a part (a carve-out)? Pure functions over text, table-tested below.

use std::sync::LazyLock;

use regex::Regex;

use super::NotGrantKind;

static ADVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \bif\s+(?:the\s+)?[\w\s.-]{0,40}?licen[cs]e\s+suits
        | here'?s\s+a\s+template | \btemplate\s+(?:you\s+can|to)\s+use
        | \byou\s+(?:could|might|should)\s+(?:use|choose|pick|adopt|apply|consider)\b | \byou\s+can\s+use\s+(?:the\s+following|this\s+template)
        | \bwe\s+(?:recommend|suggest)\b | \b(?:choose|choosing|pick|picking|select)\s+(?:a|an|the|your)\s+(?:open\s+source\s+)?licen[cs]e
        | \breplace\s+(?:this|it)\s+with\b | \bdelete\s+this\s+(?:section|text|file)\b
        | \bexamples?\s+of\s+(?:a\s+)?licen[cs]e
        | \bmake\s+sure\s+(?:that\s+)?(?:the|your|each|every)\s+(?:[\w-]+\s+){0,2}?licen[cs]e
        | \b(?:each|every)\s+(?:repository|repo|project)\s+should\b",
    )
    .expect("advice pattern")
});

static POLICY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \bas\s+(?:standard|a\s+rule)\b
        | \bour\s+(?:policy|standard|default)\b
        | \b(?:projects|repositories|repos|products)\s+(?:should|must|will|are\s+expected\s+to)\s+(?:be\s+)?(?:licen[cs]ed|released|published|have|use|carry)
        | \b(?:research\s+)?(?:projects|repositories|repos)\s+(?:have|use|get|carry)\s+(?:an?\s+)?[\w-]+\s+licen[cs]e
        | \ball\s+(?:new\s+|our\s+)?(?:projects|repositories|repos)\s+(?:should|must|are|will)",
    )
    .expect("policy pattern")
});

static CARVE_OUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:may|must|can|shall)\s*not\s+be\s+(?:re-?)?(?:used|distributed|copied|reproduced|published|shared|redistributed|modified)
        | \b(?:is|are)\s+not\s+to\s+be\s+(?:re-?)?(?:used|distributed|copied|reproduced|published|shared|redistributed|modified)
        | \b(?:images?|maps?|logos?|photo(?:graph)?s?|icons?|fonts?|assets?|artwork|illustrations?|videos?|audio|crests?)\b[^.]{0,60}?
          \b(?:(?:are|is|remain)\s+(?:the\s+)?(?:copyright(?:\s+works?)?|property)\s+of\s+(?:their|the\s+respective|third|other)
            | belong\s+to\s+(?:their|third|other|the\s+respective))
        | \b(?:is|are)\s+not\s+(?:covered|licen[cs]ed|included|released|made\s+available)\s+(?:by|under|in)\b
        | \bnot\s+covered\s+by\s+(?:this|the|these)\b
        | \b(?:does|do)\s+not\s+(?:apply|extend)\s+to\b
        | \b(?:is|are)\s+excluded\s+from\b
        | \b(?:except|excluding|with\s+the\s+exception\s+of)\s+(?:for\s+)?(?:the\s+|any\s+|our\s+)?(?:[\w-]+\s+){0,3}?(?:images?|maps?|logos?|data(?:sets?)?|fonts?|photo(?:graph)?s?|icons?|trade\s*marks?|crests?|artwork|videos?|audio)\b
        | \bpermission\s+(?:is\s+required|must\s+(?:first\s+)?be\s+(?:sought|obtained))",
    )
    .expect("carve-out pattern")
});

static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b[Tt]he\s+((?:[A-Z][\w.-]*\s+){1,3})(?:codebase|code|source\s+code|library|package|module|component|app|application|plugin|API|frontend|backend|server|client|tool|toolkit|SDK|CLI)\b",
    )
    .expect("part pattern")
});

static GRANT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:licen[cs]ed|released|available|distributed|published|made\s+available|provided)\b")
        .expect("grant pattern")
});

static SPEAKS_OF_PROJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:this|our|the)\s+(?:project|repository|repo|software|code(?:base)?|source\s+code|site|website|service|documentation|work|content|package|library|tool|programs?|material)\b|\b(?:is|are)\s+(?:released|licen[cs]ed|available|distributed|published)\b|\bunless\s+(?:stated|noted)\s+otherwise\b|\bis\s+free\s+software\b|\byou\s+(?:can|may)\s+(?:redistribute|re-?use|use\s+and\s+re-?use|copy)\b|\bis\s+an?\s+(?:open[\s-]source|free)\s+(?:software\s+)?(?:project|library|tool|package|application)\b|\bcan\s+be\s+(?:freely\s+)?(?:used|re-?used|redistributed|copied)\s+under\b")
        .expect("project pattern")
});

/// Whether a sentence on a documentation page speaks of the project itself ("this project", "the code is
/// released under…") rather than of licences in general: only then does the page grant anything.
pub fn speaks_of_project(sentence: &str) -> bool {
    SPEAKS_OF_PROJECT.is_match(sentence)
}

static LICENSED_UNDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\W*licen[cs]ed\s+under\s+the\b").expect("notice pattern"));

/// Whether lines read as a project's own licence notice: a copyright line naming a real holder (no
/// template placeholder) and a line that starts "Licensed under the …" (the Apache-style notice).
pub fn is_own_notice(lines: &[&str]) -> bool {
    let holder = lines.iter().any(|l| {
        super::holders::is_copyright_line(l) && super::holders::placeholders(l, true).is_empty()
    });
    holder && lines.iter().any(|l| LICENSED_UNDER.is_match(l))
}

/// Words that start a name but do not name a part ("The MIT …", "The Open Government …").
const NOT_A_PART: &[&str] = &[
    "MIT",
    "Apache",
    "GNU",
    "Open",
    "Source",
    "Software",
    "This",
    "Our",
    "Entire",
    "Whole",
    "BSD",
    "Mozilla",
    "Creative",
    "Crown",
    "Project",
    "Project's",
    "Repository",
    "All",
];

/// Whether a sentence that names a licence is advice or policy rather than a grant.
pub fn not_a_grant(sentence: &str) -> Option<NotGrantKind> {
    if ADVICE.is_match(sentence) {
        Some(NotGrantKind::Advice)
    } else if POLICY.is_match(sentence) {
        Some(NotGrantKind::Policy)
    } else {
        None
    }
}

/// A grant sentence whose grammatical subject is a name: "Proj4 is subject to the MIT licence", "fmdb is
/// released under MIT", "Stone Soup is released under the MIT License".
static NAMED_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\W_]*(?:[Tt]he\s+)?([\w][\w.+-]*(?:\s+[A-Z0-9][\w.+-]*){0,3})\s+(?:is|are)\s+(?:also\s+)?(?:subject\s+to|licen[cs]ed\s+(?:under|as)|released\s+under|distributed\s+under|made\s+available\s+under|available\s+under|covered\s+by|provided\s+under)\b",
    )
    .expect("named subject pattern")
});

/// Words that, as a grant's whole subject, speak of the work in general rather than name a part of it.
const GENERIC_SUBJECT: &[&str] = &[
    "this",
    "it",
    "that",
    "which",
    "everything",
    "all",
    "code",
    "codebase",
    "software",
    "project",
    "repository",
    "repo",
    "work",
    "works",
    "content",
    "contents",
    "documentation",
    "docs",
    "source",
    "library",
    "package",
    "site",
    "website",
    "service",
    "data",
    "material",
    "program",
    "programs",
    "tool",
    "app",
    "application",
    "module",
    "licence",
    "license",
    "text",
    "information",
    "files",
    "document",
    "documents",
    "images",
    "assets",
    "examples",
    "templates",
    "materials",
    "datasets",
    "scripts",
    "notebooks",
    "guides",
    "pages",
    "slides",
    "diagrams",
    "fonts",
    "icons",
];

/// The name a grant sentence gives as its subject ("Proj4 is subject to the MIT licence" → `Proj4`), or None
/// when its subject speaks of the work in general ("This project is licensed…", "The code is released…").
/// Whether the name is the repository's own is for the verdict to say, which knows the repository's name
/// ([`crate::verdict::judge`]).
pub fn subject_named(sentence: &str) -> Option<String> {
    let caps = NAMED_SUBJECT.captures(sentence.trim())?;
    let name = caps.get(1)?.as_str().trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first()?;
    let generic = words.iter().all(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        GENERIC_SUBJECT.contains(&w.as_str()) || w == "our" || w == "the"
    });
    if generic || NOT_A_PART.contains(first) {
        return None;
    }
    Some(name.to_string())
}

/// The named part a grant sentence licenses ("the Widget codebase is released under MIT" → `Widget
/// codebase`; "Proj4 is subject to the MIT licence" → `Proj4`), or None when it speaks of the whole.
pub fn part_named(sentence: &str) -> Option<String> {
    if let Some(name) = subject_named(sentence) {
        return Some(name);
    }
    if !GRANT_VERB.is_match(sentence) {
        return None;
    }
    let caps = PART.captures(sentence)?;
    let name = caps.get(1)?.as_str().trim();
    let first = name.split_whitespace().next()?;
    if NOT_A_PART.contains(&first) {
        return None;
    }
    Some(caps.get(0)?.as_str().trim().to_string())
}

static BY_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:licen[cs]ed|released|available|distributed|published|provided|made\s+available)\b[^.]{0,60}?\b(?:under|per)\b|\bunder\s+(?:the\s+)?(?:terms|conditions)\s+of\b|^\W*licen[cs]e\s*:")
        .expect("by-reference pattern")
});

/// Whether a sentence grants by reference ("licensed under the MIT licence", "Licence: OGL v3").
pub fn grants_by_reference(sentence: &str) -> bool {
    BY_REFERENCE.is_match(sentence) && not_a_grant(sentence).is_none()
}

/// A sentence's opening hedge that defers to terms stated elsewhere: "Unless otherwise specified,", "Except
/// where otherwise noted,", "Unless stated otherwise,". Its words are fixed: a conjunction (`unless`,
/// `except`, optionally `where`/`as`/`when`), `otherwise` on either side of one participle of stating, and
/// optionally `below`/`above` or `in the file`; nothing else fits in it, so nothing can be written into it.
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^[\W_]*(?:unless|except)\s+(?:(?:where|as|when)\s+)?
        (?:otherwise\s+(?:stated|noted|specified|indicated|marked|mentioned)
          |(?:stated|noted|specified|indicated|marked|mentioned)\s+otherwise)
        (?:\s+(?:below|above|in\s+(?:the|each|individual)\s+files?))?\s*,\s*",
    )
    .expect("hedge pattern")
});

/// The same hedge closing a sentence: "… under the Open Government Licence except where otherwise stated."
static CLOSING_HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix),?\s+(?:unless|except)\s+(?:(?:where|as|when)\s+)?
        (?:otherwise\s+(?:stated|noted|specified|indicated|marked|mentioned)
          |(?:stated|noted|specified|indicated|marked|mentioned)\s+otherwise)
        (?:\s+(?:below|above|in\s+(?:the|each|individual)\s+files?))?[\s.*_]*$",
    )
    .expect("closing hedge pattern")
});

/// The sentence without its opening hedge ([`HEDGE`]) or closing one ([`CLOSING_HEDGE`]). The hedge only says that other terms
/// may be stated elsewhere; where they are stated, keepopen reads them there (another licence file, a
/// header, another sentence of the same section, each held to its own reading), so the words after the
/// hedge are read as the sentence.
pub fn without_hedge(sentence: &str) -> &str {
    let opened = HEDGE
        .find(sentence)
        .map_or(sentence, |m| &sentence[m.end()..]);
    CLOSING_HEDGE
        .find(opened)
        .map_or(opened, |m| &opened[..m.start()])
}

/// Whether a sentence withholds a part of what a grant beside it would cover.
pub fn is_carve_out(sentence: &str) -> bool {
    CARVE_OUT.is_match(sentence)
}

/// A Markdown README's licence section whose whole body is one licence name (`## License` then `MIT`): the
/// section's heading says what the words are about, so the name alone states the repository's licence.
/// Returns (1-based line in `section`, the name as written, without emphasis, a link's target or a full
/// stop); the caller maps it through the licence vocabulary and takes it only when it is one licence.
///
/// Only the README's own top sections count (a `#` or `##` heading, or a setext one): a `### License` under
/// another heading may speak for that heading's component — unless `closing`, the section is the README's
/// only licence section and the document ends with it ([`super::discovery::ReadmeSection::closing`]): a
/// README's one closing licence section is its licence whatever depth its author gave the heading. The body must be one line of the document's own
/// words ([`super::text::structure`]: not fenced, quoted or commented out), with nothing else in the section;
/// "MIT except for the fonts", a code span, a draft or a second paragraph are not bare names.
pub fn bare_licence_name(section: &str, closing: bool) -> Option<(usize, String)> {
    static ATX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$").expect("atx heading"));
    static SETEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}(?:=+|-+)[ \t]*$").expect("setext underline"));
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\[([^\[\]]+)\]\([^()\s]*\)$").expect("markdown link"));
    let lines: Vec<&str> = section.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let (title, body_from) = if let Some(c) = ATX.captures(lines[first]) {
        if c[1].len() > 2 && !closing {
            return None;
        }
        (c[2].to_string(), first + 1)
    } else if lines.get(first + 1).is_some_and(|l| SETEXT.is_match(l)) {
        (lines[first].trim().to_string(), first + 2)
    } else {
        return None;
    };
    if !super::discovery::is_license_heading(title.trim_matches(['*', '_'])) {
        return None;
    }
    let body: Vec<usize> = (body_from..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let [only] = body.as_slice() else {
        return None;
    };
    let blocks = super::text::structure(section);
    if blocks.get(*only) != Some(&super::text::Block::Own) {
        return None;
    }
    let mut name = lines[*only].trim();
    // Emphasis around the whole name, then a full stop.
    for mark in ["**", "__", "*", "_"] {
        if let Some(inner) = name.strip_prefix(mark).and_then(|n| n.strip_suffix(mark)) {
            name = inner.trim();
            break;
        }
    }
    let name = name.strip_suffix('.').unwrap_or(name).trim();
    let name = LINK
        .captures(name)
        .map_or(name, |c| c.get(1).map_or(name, |m| m.as_str()))
        .trim();
    // A licence name is a few words of letters, digits, dots and hyphens (`MIT`, `Apache 2.0`,
    // `GPL-3.0-or-later`, `OGL v3`): anything else (a code span, a clause, a parenthesis) is more than a name.
    let plain = !name.is_empty()
        && name.split_whitespace().count() <= 5
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '+'));
    plain.then(|| (only + 1, name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_section_whose_whole_body_is_a_name_gives_that_name() {
        for (section, want) in [
            ("## License\n\nMIT\n", Some((3, "MIT"))),
            ("## Licence\nMIT.", Some((2, "MIT"))),
            ("# License\n\n**Apache 2.0**\n\n", Some((3, "Apache 2.0"))),
            ("License\n-------\n\n[MIT](LICENSE)", Some((4, "MIT"))),
            ("## Licence\n\nOGL v3\n", Some((3, "OGL v3"))),
        ] {
            assert_eq!(
                bare_licence_name(section, false),
                want.map(|(l, n)| (l, n.to_string())),
                "{section:?}"
            );
        }
        for section in [
            // More than a name, or not the document's own words.
            "## License\n\nMIT except for the fonts in assets/",
            "## License\n\nMIT\n\nThe data is not licensed.",
            "## License\n\n```\nMIT\n```",
            "## License\n\n> MIT",
            "## License\n\n<!-- MIT -->",
            "## License\n\n`MIT`",
            "## License\n\nMIT (see LICENSE)",
            "## License\n\nDraft: MIT",
            // A heading below the README's top sections may speak for a component.
            "### License\n\nMIT",
            // A heading that is not about the licence, or no heading.
            "## Usage\n\nMIT",
            "MIT",
        ] {
            assert_eq!(bare_licence_name(section, false), None, "{section:?}");
        }
    }

    #[test]
    fn advice_and_policy_are_not_grants() {
        let cases: &[(&str, Option<NotGrantKind>)] = &[
            (
                "If the MIT License suits your needs, here's a template you can use:",
                Some(NotGrantKind::Advice),
            ),
            (
                "You should choose a licence such as MIT or OGL for your project.",
                Some(NotGrantKind::Advice),
            ),
            (
                "As standard, research projects have a MIT licence.",
                Some(NotGrantKind::Policy),
            ),
            (
                "All new repositories must be licensed under MIT.",
                Some(NotGrantKind::Policy),
            ),
            (
                "Make sure the licence content is included in full, including the title \"APACHE LICENSE, VERSION 2.0\".",
                Some(NotGrantKind::Advice),
            ),
            (
                "Each repository should include a licence file called LICENCE.",
                Some(NotGrantKind::Advice),
            ),
            ("This project is licensed under the MIT licence.", None),
            (
                "This project is dual licensed under MIT and OGL v3.0: you may choose either.",
                None,
            ),
            ("The codebase is released under the MIT License.", None),
            (
                "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file except in compliance",
                None,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(not_a_grant(text), *want, "{text}");
        }
    }

    #[test]
    fn a_documentation_page_grants_only_where_it_speaks_of_the_project() {
        assert!(speaks_of_project(
            "Rose is free software: you can redistribute it and/or modify it"
        ));
        assert!(speaks_of_project(
            "Unless stated otherwise, the codebase is released under MIT."
        ));
        assert!(!speaks_of_project(
            "Apache-2.0 is a permissive licence with a patent grant."
        ));
        assert!(!speaks_of_project("Add this header to each source file:"));
        assert!(speaks_of_project(
            "TidalModel is an open source project that can be freely used under the GPL version 3."
        ));
        assert!(!speaks_of_project(
            "GPL-3.0 is a copyleft licence that can be chosen for new work."
        ));
    }

    #[test]
    fn an_own_notice_needs_a_real_holder_and_a_licensed_under_line() {
        let notice = [
            "Copyright 2023- Weather Centre (WC).",
            "",
            "Licensed under the Apache License, Version 2.0 (the \"License\");",
        ];
        assert!(is_own_notice(&notice));
        let template = [
            "Copyright [yyyy] [name of copyright owner]",
            "",
            "Licensed under the Apache License, Version 2.0 (the \"License\");",
        ];
        assert!(!is_own_notice(&template));
        assert!(!is_own_notice(&[
            "Licensed under the Apache License, Version 2.0 (the \"License\");"
        ]));
    }

    #[test]
    fn grants_by_reference_are_told_from_mentions() {
        assert!(grants_by_reference(
            "This project is licensed under the MIT licence; data under OGL v3."
        ));
        assert!(grants_by_reference("Licence: OGL v3.0"));
        assert!(!grants_by_reference("The MIT License (MIT)"));
        assert!(!grants_by_reference(
            "If the MIT License suits your needs, it is available under a template."
        ));
    }

    #[test]
    fn a_grant_for_a_named_part_is_partial() {
        assert_eq!(
            part_named("The Widget codebase is released under the MIT licence.").as_deref(),
            Some("The Widget codebase")
        );
        assert_eq!(
            part_named("The codebase is released under the MIT licence."),
            None
        );
        assert_eq!(part_named("The MIT License applies to the code."), None);
        assert_eq!(
            part_named("This code is open source software licensed under Apache 2.0"),
            None
        );
        assert_eq!(part_named("The Widget codebase is lovely."), None);
        assert_eq!(
            part_named("Proj4 is subject to the MIT licence as follows:").as_deref(),
            Some("Proj4")
        );
        assert_eq!(
            part_named("fmdb is subject to the MIT licence as follows:").as_deref(),
            Some("fmdb")
        );
        assert_eq!(
            part_named("Stone Soup is released under MIT License.").as_deref(),
            Some("Stone Soup")
        );
        assert_eq!(
            part_named("This project is licensed under the MIT License."),
            None
        );
        assert_eq!(part_named("It is licensed under the MIT License."), None);
        assert_eq!(
            part_named("The code is released under the MIT License."),
            None
        );
        assert_eq!(
            part_named("The software is made available under MIT."),
            None
        );
    }

    #[test]
    fn carve_outs_are_sentences_that_withhold() {
        assert!(is_carve_out(
            "The map images are Crown copyright and may not be redistributed."
        ));
        assert!(is_carve_out("The logos are not covered by this licence."));
        assert!(is_carve_out(
            "All content except the photographs is under CC BY 4.0."
        ));
        assert!(is_carve_out(
            "All assets belonging to the Ordnance Survey are subject to Crown Copyright, and are not to be used or redistributed for commercial or non-commercial use."
        ));
        assert!(is_carve_out(
            "Images are the copyright works of their respective copyright owners or otherwise declared."
        ));
        assert!(is_carve_out(
            "The logos remain the property of their respective owners."
        ));
        assert!(!is_carve_out(
            "The documentation is available under the Open Government Licence v3.0."
        ));
        assert!(!is_carve_out(
            "The documentation is © Crown copyright and available under the Open Government Licence v3.0."
        ));
        assert!(!is_carve_out(
            "All trademarks are the property of their respective owners."
        ));
        assert!(!is_carve_out(
            "Permission is hereby granted, free of charge, to any person"
        ));
    }
}
