//! Well-known open components bundled into repositories, as data: `licenses/components.yaml`, compiled in and
//! checked when first used.
//!
//! A bundled file whose header names a holder but no licence (`d3.v5.min.js`: "Copyright 2020 Mike Bostock")
//! is of unknown terms to [`super::assets`]. Where the file is a copy of a component that is distributed under
//! an open licence everywhere it is published, a table of such components lets the file's terms be read: the
//! component's licence becomes the file's, shown with what was recognised and why, and it asks what that
//! licence asks (keep the notice).
//!
//! # The invariant (stated here, where recognition is decided; proved by the property tests below)
//!
//! A file is recognised as a component only when **two independent signals** agree:
//!
//! 1. its **holder**: the file names at least one holder, and every holder it names is one of the component's
//!    (a file that names anybody else is not, or not only, that component) — always required;
//! 2. and its **name** (a word of the file name or of the header, or a font's family name) **or its home**
//!    (one of the component's URLs in the header or the font's fields).
//!
//! A file name alone, a URL alone, a holder alone never suffice. Recognition only ever turns *terms not
//! stated* into open terms: the caller classes withholding words first, and [`recognise_text`] and
//! [`recognise_font`] refuse again on any withholding word or any mark of a commercial type foundry, so a file
//! calling itself d3 but saying "not for redistribution" stays for a person, and a commercial font (GDS
//! Transport, New Transport, Frutiger) is never recognised. The loader refuses any entry whose licence is not
//! open, and any entry that names a commercial foundry's mark.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

/// What a component is shipped as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// Scripts and stylesheets: recognised from a header comment.
    Text,
    /// Font files: recognised from the naming table.
    Font,
}

/// One entry of the table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub name: String,
    /// The SPDX id the component is distributed under.
    pub license: String,
    pub kind: ComponentKind,
    /// Words that name it in file names and headers (`d3`, `lunr`), lower case.
    #[serde(default)]
    pub names: Vec<String>,
    /// Font family names (name ids 1 and 16).
    #[serde(default)]
    pub families: Vec<String>,
    /// Its holders, authors or foundry, as its notices write them.
    pub holders: Vec<String>,
    /// Its home: host names or URL prefixes, without scheme.
    #[serde(default)]
    pub urls: Vec<String>,
    /// Where the licence was read.
    pub source: String,
}

/// Marks of commercial type foundries and their typefaces: a file carrying one is never recognised, and no
/// entry may name one. (GDS Transport and New Transport are Calvert and Kubel's; Frutiger, Helvetica are
/// Linotype's and Monotype's.)
const COMMERCIAL_MARKS: &[&str] = &[
    "transport",
    "calvert",
    "kubel",
    "frutiger",
    "linotype",
    "monotype",
    "helvetica",
    "hoefler",
    "fontfont",
    "typekit",
];

/// The compiled-in table.
pub const TABLE_SOURCE: &str = include_str!("../../licenses/components.yaml");

/// The table, read once. The text is compiled in and checked by the tests, so a bad table fails the build's
/// tests, never a user's check; should it fail anyway, recognition is off (nothing is recognised) and the
/// reason is logged.
pub fn table() -> &'static [Component] {
    static TABLE: LazyLock<Vec<Component>> = LazyLock::new(|| {
        match parse(TABLE_SOURCE, "licenses/components.yaml") {
            Ok(table) => table,
            Err(e) => {
                tracing::error!(error = %e, "the component table is invalid: no component is recognised");
                Vec::new()
            }
        }
    });
    &TABLE
}

/// Read and check a table: every entry names an open licence, at least one holder, and a name (text) or a
/// family (font); no entry names a commercial foundry's mark. An error names the origin and the entry.
pub fn parse(yaml: &str, origin: &str) -> Result<Vec<Component>, String> {
    let entries: Vec<Component> =
        serde_yaml::from_str(yaml).map_err(|e| format!("{origin}: {e}"))?;
    for (i, c) in entries.iter().enumerate() {
        let at = format!("{origin}: entry {} ({})", i + 1, c.name);
        if !super::assets::is_open_id(&c.license) {
            return Err(format!(
                "{at}: licence {} is not an open licence",
                c.license
            ));
        }
        if c.holders.iter().all(|h| holder_words(h).is_empty()) {
            return Err(format!("{at}: no holder"));
        }
        match c.kind {
            ComponentKind::Text if c.names.is_empty() => {
                return Err(format!("{at}: a text component needs names"));
            }
            ComponentKind::Font if c.families.is_empty() => {
                return Err(format!("{at}: a font component needs families"));
            }
            _ => {}
        }
        if c.source.trim().is_empty() {
            return Err(format!("{at}: no source for its licence"));
        }
        let all = [&c.names, &c.families, &c.holders, &c.urls]
            .iter()
            .flat_map(|v| v.iter())
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(mark) = commercial_mark(&all) {
            return Err(format!(
                "{at}: names a commercial foundry's mark \"{mark}\""
            ));
        }
    }
    Ok(entries)
}

/// What was recognised, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    pub component: String,
    pub license: String,
    /// The signals that agreed, in words ("holder Mike Bostock", "name d3 in the file name").
    pub signals: Vec<String>,
    pub source: String,
}

impl Recognition {
    /// The evidence shown to a maintainer: `recognised as d3 (BSD-3-Clause): holder …, name …; quote`.
    pub fn describe(&self, quote: &str) -> String {
        let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
        let quote: String = quote.chars().take(160).collect();
        format!(
            "recognised as {} ({}): {}; \"{}\" (licence: {})",
            self.component,
            self.license,
            self.signals.join(", "),
            quote,
            self.source
        )
    }
}

/// Words of a web address or a licence mention beside a holder, which say nothing of who it is (besides the
/// words [`super::holders::holder_words`] drops everywhere, addresses among them).
const ADDRESS_NOISE: &[&str] = &[
    "www", "http", "https", "com", "org", "net", "io", "license", "licence",
];

/// A holder's words as every holder comparison reads them ([`super::holders::holder_words`]), as a set.
fn holder_words(s: &str) -> HashSet<String> {
    super::holders::holder_words(s)
        .into_iter()
        .filter(|w| !ADDRESS_NOISE.contains(&w.as_str()))
        .collect()
}

fn words(s: &str) -> HashSet<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

static MARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?:{})\b", COMMERCIAL_MARKS.join("|"))).expect("marks pattern")
});

fn commercial_mark(text: &str) -> Option<String> {
    MARKS.find(text).map(|m| m.as_str().to_string())
}

/// Whether every holder a file names is one of `c`'s: each holder's words (years, "Ltd", URLs' scheme and
/// the like aside) are words of the component's holders, names or home. At least one holder must be named,
/// and at least one must share a word with the component's holders proper.
fn holders_match(c: &Component, named: &[String]) -> Option<String> {
    let own: HashSet<String> = c.holders.iter().flat_map(|h| holder_words(h)).collect();
    let known: HashSet<String> = own
        .iter()
        .cloned()
        .chain(c.names.iter().flat_map(|n| words(n)))
        .chain(c.urls.iter().flat_map(|u| holder_words(u)))
        .collect();
    let named: Vec<(&String, HashSet<String>)> = named
        .iter()
        .map(|h| (h, holder_words(h)))
        .filter(|(_, w)| !w.is_empty())
        .collect();
    if named.is_empty() || !named.iter().all(|(_, w)| w.is_subset(&known)) {
        return None;
    }
    named
        .iter()
        .find(|(_, w)| !w.is_disjoint(&own))
        .map(|(h, _)| (*h).clone())
}

fn url_in(c: &Component, text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    c.urls
        .iter()
        .find(|u| {
            let u = u.to_lowercase();
            lower.match_indices(&u).any(|(i, _)| {
                // A host, not the tail of another host ("notd3js.org").
                i == 0 || !lower[..i].ends_with(|ch: char| ch.is_alphanumeric() || ch == '-')
            })
        })
        .cloned()
}

/// Recognise a bundled text file (at `path`, with the header block `block` that names `holders`) as a
/// component of the table. See the module's invariant.
pub fn recognise_text(path: &str, block: &str, holders: &[String]) -> Option<Recognition> {
    recognise_text_in(table(), path, block, holders)
}

/// [`recognise_text`] over a given table.
pub fn recognise_text_in(
    table: &[Component],
    path: &str,
    block: &str,
    holders: &[String],
) -> Option<Recognition> {
    if super::assets::withholding_term(block).is_some() || commercial_mark(block).is_some() {
        return None;
    }
    let base = path.rsplit('/').next().unwrap_or(path);
    let file_words = words(base);
    // The name and home must be signals of their own: read them with the holders' words taken out (a holder
    // "the Sphinx team" does not also name Sphinx).
    let mut rest = block.to_string();
    for h in holders {
        rest = rest.replace(h.as_str(), " ");
    }
    let block = rest.as_str();
    let block_words = words(block);
    table
        .iter()
        .filter(|c| c.kind == ComponentKind::Text)
        .find_map(|c| {
            let holder = holders_match(c, holders)?;
            let mut signals = vec![format!("holder {holder}")];
            if let Some(n) = c
                .names
                .iter()
                .find(|n| file_words.contains(&n.to_lowercase()))
            {
                signals.push(format!("name {n} in the file name"));
            } else if let Some(n) = c
                .names
                .iter()
                .find(|n| block_words.contains(&n.to_lowercase()))
            {
                signals.push(format!("name {n} in the header"));
            }
            if let Some(u) = url_in(c, block) {
                signals.push(format!("home {u} in the header"));
            }
            (signals.len() >= 2).then(|| Recognition {
                component: c.name.clone(),
                license: c.license.clone(),
                signals,
                source: c.source.clone(),
            })
        })
}

/// The fields of a font's naming table recognition reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontFields<'a> {
    /// Family names (name ids 1, 16).
    pub families: &'a [String],
    /// Holders named by the copyright (0), manufacturer (8) and designer (9) fields.
    pub holders: &'a [String],
    /// Every field's text, for URLs (ids 11, 12, 13, 14) and withholding words.
    pub text: &'a str,
}

/// Recognise a font as a component of the table from its naming table. See the module's invariant.
pub fn recognise_font(fields: &FontFields<'_>) -> Option<Recognition> {
    recognise_font_in(table(), fields)
}

/// [`recognise_font`] over a given table.
pub fn recognise_font_in(table: &[Component], fields: &FontFields<'_>) -> Option<Recognition> {
    let all = format!("{}\n{}", fields.families.join("\n"), fields.text);
    if super::assets::withholding_term(&all).is_some() || commercial_mark(&all).is_some() {
        return None;
    }
    table
        .iter()
        .filter(|c| c.kind == ComponentKind::Font)
        .find_map(|c| {
            let holder = holders_match(c, fields.holders)?;
            let mut signals = vec![format!("holder {holder}")];
            if let Some(f) = c.families.iter().find(|f| {
                fields
                    .families
                    .iter()
                    .any(|g| g.trim().eq_ignore_ascii_case(f.trim()))
            }) {
                signals.push(format!("family {f}"));
            }
            if let Some(u) = url_in(c, fields.text) {
                signals.push(format!("home {u}"));
            }
            (signals.len() >= 2).then(|| Recognition {
                component: c.name.clone(),
                license: c.license.clone(),
                signals,
                source: c.source.clone(),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_compiled_table_is_valid_and_every_licence_in_it_is_open() {
        let table = parse(TABLE_SOURCE, "licenses/components.yaml").expect("valid table");
        assert!(table.len() >= 10);
        assert_eq!(table, super::table());
    }

    #[test]
    fn a_bad_table_is_refused_naming_the_entry() {
        let e = parse(
            "- {name: Evil, license: LicenseRef-proprietary, kind: text, names: [evil], holders: [Evil], source: x}",
            "t.yaml",
        )
        .unwrap_err();
        assert!(
            e.contains("t.yaml: entry 1 (Evil)") && e.contains("not an open licence"),
            "{e}"
        );
        let e = parse(
            "- {name: GDS, license: MIT, kind: font, families: [GDS Transport], holders: [Someone], source: x}",
            "t.yaml",
        )
        .unwrap_err();
        assert!(e.contains("commercial"), "{e}");
        let e = parse(
            "- {name: X, license: MIT, kind: text, holders: [X], source: x}",
            "t.yaml",
        )
        .unwrap_err();
        assert!(e.contains("needs names"), "{e}");
        let e = parse(
            "- {name: X, license: MIT, kind: text, names: [x], holders: [X], source: x, extra: 1}",
            "t.yaml",
        )
        .unwrap_err();
        assert!(e.starts_with("t.yaml:"), "{e}");
    }

    #[test]
    fn d3_is_recognised_by_holder_and_name_and_shows_why() {
        let r = recognise_text(
            "static/js/d3.v5.min.js",
            "// https://d3js.org v5.16.0 Copyright 2020 Mike Bostock",
            &["Mike Bostock".into()],
        )
        .expect("recognised");
        assert_eq!(r.license, "BSD-3-Clause");
        let shown = r.describe("https://d3js.org v5.16.0 Copyright 2020 Mike Bostock");
        assert!(
            shown.starts_with(
                "recognised as d3 (BSD-3-Clause): holder Mike Bostock, name d3 in the file name"
            ),
            "{shown}"
        );
    }

    #[test]
    fn a_file_name_alone_or_a_holder_alone_is_not_recognised() {
        // Name only: a d3 file whose header names nobody the table knows.
        assert_eq!(
            recognise_text(
                "d3.min.js",
                "/* Copyright 2020 Somebody Else */",
                &["Somebody Else".into()]
            ),
            None
        );
        // Holder only: Mike Bostock's name on a file that is not named d3 and links nowhere of d3's.
        assert_eq!(
            recognise_text(
                "app.js",
                "/* Copyright 2020 Mike Bostock */",
                &["Mike Bostock".into()]
            ),
            None
        );
        // No holder named at all.
        assert_eq!(
            recognise_text("d3.min.js", "/* https://d3js.org v5 */", &[]),
            None
        );
    }

    #[test]
    fn font_awesome_free_is_recognised_by_its_free_licence_page_or_family_and_pro_never() {
        let free = "Font Awesome Free v7.0.1 by @fontawesome - https://fontawesome.com License - https://fontawesome.com/license/free Copyright 2025 Fonticons, Inc.";
        let holders = vec!["Fonticons, Inc".to_string()];
        let r = recognise_text("components/button.mjs", free, &holders).expect("recognised");
        assert_eq!(r.license, "CC-BY-4.0");
        // Pro: the same holder and site, its own licence page, no "Free".
        let pro = "Font Awesome Pro v7.0.1 by @fontawesome - https://fontawesome.com License - https://fontawesome.com/license Copyright 2025 Fonticons, Inc.";
        assert_eq!(recognise_text("components/button.mjs", pro, &holders), None);
        let font = |family: &str| {
            let families = vec![format!("{family} Solid"), family.to_string()];
            let holders = vec!["Font Awesome".to_string()];
            recognise_font(&FontFields {
                families: &families,
                holders: &holders,
                text: "Copyright (c) Font Awesome\nhttps://fontawesome.com",
            })
        };
        assert_eq!(
            font("Font Awesome 6 Free").map(|r| r.license),
            Some("OFL-1.1".to_string())
        );
        assert_eq!(font("Font Awesome 6 Pro"), None);
        assert_eq!(font("Font Awesome 6 Sharp"), None);
    }

    #[test]
    fn a_commercial_font_is_never_recognised_even_with_an_entry_that_would_match() {
        let families = vec!["GDS Transport Website".to_string()];
        let holders = vec!["Margaret Calvert & Henrik Kubel".to_string()];
        let fields = FontFields {
            families: &families,
            holders: &holders,
            text: "Copyright Margaret Calvert & Henrik Kubel",
        };
        // A table crafted to name it (which the loader refuses) still recognises nothing.
        let crafted = vec![Component {
            name: "x".into(),
            license: "OFL-1.1".into(),
            kind: ComponentKind::Font,
            names: vec![],
            families: families.clone(),
            holders: holders.clone(),
            urls: vec![],
            source: "x".into(),
        }];
        assert_eq!(recognise_font_in(&crafted, &fields), None);
        assert_eq!(recognise_font(&fields), None);
    }

    /// A header or naming table that each entry of the table recognises: its first holder, its first name or
    /// family, its first URL when it has one.
    fn recognised_case(c: &Component) -> (String, String, Vec<String>) {
        let holder = c.holders[0].clone();
        match c.kind {
            ComponentKind::Text => {
                let name = &c.names[0];
                (
                    format!("{name}.min.js"),
                    format!("/*! v1.2.3 | (c) 2015 {holder} */"),
                    vec![holder],
                )
            }
            ComponentKind::Font => (
                c.families[0].clone(),
                format!("Copyright 2014 {holder}"),
                vec![holder],
            ),
        }
    }

    fn recognise_case(
        c: &Component,
        path_or_family: &str,
        text: &str,
        holders: &[String],
    ) -> Option<Recognition> {
        match c.kind {
            ComponentKind::Text => recognise_text(path_or_family, text, holders),
            ComponentKind::Font => {
                let families = vec![path_or_family.to_string()];
                recognise_font(&FontFields {
                    families: &families,
                    holders,
                    text,
                })
            }
        }
    }

    #[test]
    fn every_entry_is_recognised_by_its_own_signals() {
        for c in table() {
            let (p, t, h) = recognised_case(c);
            let r = recognise_case(c, &p, &t, &h)
                .unwrap_or_else(|| panic!("{} not recognised", c.name));
            assert_eq!(r.license, c.license, "{}", c.name);
        }
    }

    const RESTRICTIONS: &[&str] = &[
        "Not for redistribution.",
        "All rights reserved; you may not copy or distribute this file.",
        "For internal use only.",
        "Confidential.",
        "Licensed exclusively to Example Ltd.",
        "Redistribution is prohibited.",
        "A commercial licence must be purchased.",
        "Use without the prior written permission of the holder is prohibited.",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Mutations of each recognised case: a restriction added anywhere in the header never leaves it
        /// recognised; a signal removed or the holder swapped never does either.
        #[test]
        fn mutated_cases_are_never_recognised(
            entry in 0usize..64,
            restriction in 0usize..RESTRICTIONS.len(),
            at_start in any::<bool>(),
            stranger in "[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}",
        ) {
            let table = table();
            let c = &table[entry % table.len()];
            let (p, t, h) = recognised_case(c);
            let r = RESTRICTIONS[restriction];
            let restricted = if at_start { format!("{r} {t}") } else { format!("{t} {r}") };
            prop_assert_eq!(recognise_case(c, &p, &restricted, &h), None);
            // Holder swapped for a stranger: the file names someone the component does not know.
            prop_assume!(holder_words(&stranger).is_disjoint(
                &c.holders.iter().flat_map(|h| holder_words(h)).collect()));
            let swapped = t.replace(&h[0], &stranger);
            prop_assert_eq!(recognise_case(c, &p, &swapped, std::slice::from_ref(&stranger)), None);
            // A stranger named beside the holder: not only the component.
            let both = vec![h[0].clone(), stranger.clone()];
            prop_assert_eq!(recognise_case(c, &p, &format!("{t} (c) {stranger}"), &both), None);
            // The name signal removed (file renamed, family changed): the holder alone is not enough.
            let unnamed = if c.kind == ComponentKind::Text { "bundle.js".to_string() } else { "Some Family".to_string() };
            prop_assume!(c.urls.iter().all(|u| !t.to_lowercase().contains(&u.to_lowercase())));
            prop_assert_eq!(recognise_case(c, &unnamed, &t, &h), None);
            // The holder signal removed: the name alone is not enough.
            prop_assert_eq!(recognise_case(c, &p, "/*! v1.2.3 */", &[]), None);
        }
    }
}
