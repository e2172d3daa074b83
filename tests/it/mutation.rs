//! The mutation harness: canonical texts of the licences the policy allows, changed by operators that change
//! what they grant and by operators that do not, each mutant judged by the library's pure detection and
//! verdict (a handful through real git repositories too, as a cross-check).
//!
//! This is a test of the gate's mechanisms (residue accounting, text as a person sees it, document
//! structure, partial reads), not their specification: the restriction sentences below are generated from a
//! small grammar (framing × subject × predicate) so that the gate cannot pass by knowing the sentences; the
//! gate itself holds no list of them. Everything is drawn from a fixed seed, so a failure reproduces.
//!
//! Asserted: no meaning-changing mutant is *allowed*; at least 95% of the harmless ones stay *allowed*.

use keepopen::check::check_repo;
use keepopen::license::detect::Detector;
use keepopen::license::{Candidate, Discovery, SourceKind};
use keepopen::policy::Policy;
use keepopen::verdict::judge;

use crate::fixture::{RepoFixture, TreeSpec};

/// The licences the default policy allows that public-sector repositories use most.
const LICENCES: &[&str] = &[
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "Apache-2.0",
    "ISC",
    "OGL-UK-3.0",
    "GPL-3.0-only",
    "LGPL-3.0-only",
    "MPL-2.0",
    "AGPL-3.0-only",
    "CC-BY-4.0",
    "CC0-1.0",
    "Unlicense",
    "EUPL-1.2",
    "0BSD",
];

/// Restriction mutants per licence (appended, prepended or inserted, phrasing drawn from the grammar): more
/// for the short permissive texts, which are cheap to judge, than for the long copyleft ones.
const RESTRICTIONS_SHORT_TEXT: usize = 80;
const RESTRICTIONS_LONG_TEXT: usize = 8;
/// A text of more words than this is long.
const LONG_TEXT_WORDS: usize = 600;

/// SplitMix64: a fixed seed gives the same mutants on every run and machine.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn canonical(id: &str) -> String {
    let path = format!("{}/licenses/text/{id}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The canonical text as a licensor publishes it: the year and holder filled in.
fn published(id: &str) -> String {
    canonical(id)
        .replace("<year>", "2021")
        .replace("<copyright holders>", "NHS England")
        .replace("<owner>", "NHS England")
}

// The restriction grammar. Each part is written to be ordinary English; none of it is known to the gate.
const FRAMINGS: &[&str] = &[
    "{S} {P}.",
    "Notwithstanding the above, {s} {p}.",
    "Except that {s} {p}.",
    "Note: {s} {p}.",
    "IMPORTANT: {s} {p}.",
    "Please be aware that {s} {p}.",
    "Additional term: {s} {p}.",
];
const SUBJECTS: &[&str] = &[
    "this Software",
    "the code in this repository",
    "the Information",
    "these materials",
    "any copy of the Work",
    "the contents of this project",
];
const PREDICATES: &[&str] = &[
    "may not be redistributed",
    "must not be copied outside the NHS",
    "is licensed for internal NHS use only",
    "may be used for research purposes only",
    "requires a signed agreement with NHS England before reuse",
    "must be returned on request",
    "is lent to you, not given",
    "stays the property of the Department and is shared in confidence",
    "cannot be sold or shared with third parties",
    "is available to NHS staff alone",
];
/// Whole sentences from the issue (also fixtures in `verdicts.rs`).
const WHOLE: &[&str] = &[
    "Not for redistribution.",
    "For internal NHS use only.",
    "None of the above applies; all rights reserved.",
];

pub(crate) fn restriction(rng: &mut Rng) -> String {
    if rng.below(10) == 0 {
        return rng.pick(WHOLE).to_string();
    }
    let subject = *rng.pick(SUBJECTS);
    let predicate = *rng.pick(PREDICATES);
    let mut capital = subject.to_string();
    capital[..1].make_ascii_uppercase();
    rng.pick(FRAMINGS)
        .replace("{S}", &capital)
        .replace("{P}", predicate)
        .replace("{s}", subject)
        .replace("{p}", predicate)
}

fn framing_line(rng: &mut Rng) -> String {
    let head = *rng.pick(&[
        "Draft", "DRAFT", "Template", "Example", "Sample", "Proposed",
    ]);
    let tail = *rng.pick(&[
        "only — does not apply",
        "licence for discussion",
        ": not yet in force",
        "(to be agreed with the legal team)",
        "— replace before publishing",
    ]);
    format!("{head} {tail}")
}

fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim_matches('\n').to_string())
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// A mutant: what was done, the file name, and the text.
struct Mutant {
    op: String,
    path: &'static str,
    text: String,
}

/// The lookalikes of some Latin letters (Cyrillic and Greek).
const HOMOGLYPHS: &[(char, char)] = &[
    ('o', '\u{43e}'),
    ('a', '\u{430}'),
    ('e', '\u{435}'),
    ('p', '\u{440}'),
    ('c', '\u{441}'),
    ('i', '\u{456}'),
    ('o', '\u{3bf}'),
];
/// Words whose look decides what a licence grants.
const OPERATIVE_WORDS: &[&str] = &[
    "granted",
    "grants",
    "permission",
    "free",
    "use",
    "copy",
    "modify",
    "distribute",
    "rights",
    "without",
    "any",
    "provided",
    "license",
    "licence",
    "Licence",
    "License",
];

fn meaning_changing(id: &str, base: &str, rng: &mut Rng) -> Vec<Mutant> {
    let mut out = Vec::new();
    let paras = paragraphs(base);
    // A restriction appended, prepended, or put between two paragraphs.
    let count = if base.split_whitespace().count() > LONG_TEXT_WORDS {
        RESTRICTIONS_LONG_TEXT
    } else {
        RESTRICTIONS_SHORT_TEXT
    };
    for _ in 0..count {
        let sentence = restriction(rng);
        let (op, text) = match rng.below(3) {
            0 => ("appended", format!("{}\n\n{sentence}\n", base.trim_end())),
            1 => ("prepended", format!("{sentence}\n\n{base}")),
            _ => {
                let at = 1 + rng.below(paras.len().max(2) - 1);
                let mut p = paras.clone();
                p.insert(at.min(p.len()), sentence.clone());
                ("inserted", p.join("\n\n") + "\n")
            }
        };
        out.push(Mutant {
            op: format!("{op} restriction \"{sentence}\""),
            path: "LICENSE",
            text,
        });
    }
    // A restriction in Markdown emphasis, underscores or asterisks, in a Markdown licence file: emphasis
    // is read as shown (the marks dropped), and the words it shows still restrict.
    for mark in ["_", "__", "*", "**"] {
        let sentence = restriction(rng);
        out.push(Mutant {
            op: format!("emphasised ({mark}) restriction \"{sentence}\""),
            path: "LICENSE.md",
            text: format!("{}\n\n{mark}{sentence}{mark}\n", base.trim_end()),
        });
    }
    // A lookalike letter in an operative word, or the word stored reversed inside a right-to-left override.
    for k in 0..6 {
        let present: Vec<&&str> = OPERATIVE_WORDS
            .iter()
            .filter(|w| base.contains(&format!(" {w} ")))
            .collect();
        let Some(word) = (!present.is_empty()).then(|| *rng.pick(&present)) else {
            continue;
        };
        let changed = if k % 2 == 0 {
            let Some((latin, other)) = HOMOGLYPHS
                .iter()
                .filter(|(l, _)| word.contains(*l))
                .nth(rng.below(2))
                .or_else(|| HOMOGLYPHS.iter().find(|(l, _)| word.contains(*l)))
            else {
                continue;
            };
            word.replacen(*latin, &other.to_string(), 1)
        } else {
            let reversed: String = word.chars().rev().collect();
            format!("\u{202e}{reversed}\u{202c}")
        };
        let how = if k % 2 == 0 {
            "homoglyph"
        } else {
            "bidi override"
        };
        out.push(Mutant {
            op: format!("{how} in \"{word}\""),
            path: "LICENSE",
            text: base.replacen(&format!(" {word} "), &format!(" {changed} "), 1),
        });
    }
    // "not" with a lookalike o put before the grant's verb.
    if let Some(at) = base.find("hereby grant") {
        out.push(Mutant {
            op: "homoglyph negation".into(),
            path: "LICENSE",
            text: format!("{}n\u{43e}t {}", &base[..at], &base[at..]),
        });
    }
    // The whole text set apart in a Markdown licence file.
    let quoted: String = base.lines().map(|l| format!("> {l}\n")).collect();
    for (how, text) in [
        ("code fence", format!("```text\n{base}\n```\n")),
        ("block quote", quoted),
        ("HTML comment", format!("<!--\n{base}\n-->\n")),
    ] {
        out.push(Mutant {
            op: format!("wrapped in a {how}"),
            path: "LICENSE.md",
            text,
        });
    }
    // A framing line above the text.
    for _ in 0..3 {
        let line = framing_line(rng);
        out.push(Mutant {
            op: format!("framed \"{line}\""),
            path: "LICENSE",
            text: format!("{line}\n\n{base}"),
        });
    }
    // The text cut mid-sentence in its first half, and the same after a mebibyte of padding.
    let words: Vec<&str> = base.split(' ').collect();
    for _ in 0..3 {
        let at = words.len() / 10 + rng.below(words.len() * 4 / 10 + 1);
        out.push(Mutant {
            op: format!("cut after word {at} of {}", words.len()),
            path: "LICENSE",
            text: words[..at].join(" "),
        });
    }
    let _ = id;
    out
}

fn rewrap(text: &str, width: usize) -> String {
    paragraphs(text)
        .iter()
        .map(|p| {
            let mut lines = Vec::new();
            let mut line = String::new();
            for w in p.split_whitespace() {
                if !line.is_empty() && line.len() + 1 + w.len() > width {
                    lines.push(std::mem::take(&mut line));
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(w);
            }
            lines.push(line);
            lines.join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

fn harmless(base: &str, rng: &mut Rng) -> Vec<Mutant> {
    let mut out = Vec::new();
    let mut push =
        |op: String, path: &'static str, text: String| out.push(Mutant { op, path, text });
    for width in [40, 66, 80, 120, 4000] {
        push(
            format!("re-wrapped at {width}"),
            "LICENSE",
            rewrap(base, width),
        );
    }
    push("CRLF".into(), "LICENSE", base.replace('\n', "\r\n"));
    push(
        "whitespace".into(),
        "LICENSE",
        base.replace(". ", ".  ")
            .replace("\n\n", "\n\n\n")
            .replace('\n', "  \n"),
    );
    push(
        "tabs".into(),
        "LICENSE",
        base.replace("\n", "\n\t").replace("  ", "\t"),
    );
    let bulleted: Vec<String> = paragraphs(base)
        .iter()
        .enumerate()
        .map(|(i, p)| match i % 3 {
            0 => p.clone(),
            1 => format!("- {p}"),
            _ => format!("* {p}"),
        })
        .collect();
    push("bullets".into(), "LICENSE.md", bulleted.join("\n\n") + "\n");
    let numbered: Vec<String> = paragraphs(base)
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                p.clone()
            } else {
                format!("{i}. {p}")
            }
        })
        .collect();
    push("numbering".into(), "LICENSE", numbered.join("\n\n") + "\n");
    for _ in 0..4 {
        let year = 1995 + rng.below(30);
        let holder = *rng.pick(&[
            "Crown Copyright (NHS Digital)",
            "NHS England and NHS Improvement",
            "The Secretary of State for Health and Social Care",
            "Government Digital Service",
            "Met Office",
            "HM Revenue & Customs",
        ]);
        let line = match rng.below(4) {
            0 => format!("Copyright (c) {year} {holder}"),
            1 => format!(
                "© Crown copyright {year}-{} {holder}. All rights reserved.",
                year + 3
            ),
            2 => format!("Copyright {year}, {holder}"),
            _ => format!("(c) {year} {holder}\nAll rights reserved."),
        };
        push(
            format!("holder line \"{line}\""),
            "LICENSE",
            format!("{line}\n\n{base}"),
        );
    }
    for title in [
        "LICENSE",
        "Licence",
        "# Licence",
        "## Terms and conditions",
        "Open Source Licence",
    ] {
        let path = if title.starts_with('#') {
            "LICENSE.md"
        } else {
            "LICENSE"
        };
        push(
            format!("title \"{title}\""),
            path,
            format!("{title}\n\n{base}"),
        );
    }
    push(
        "SPDX line and URL".into(),
        "LICENSE",
        format!("{base}\n\nhttps://spdx.org/licenses/\n"),
    );
    push(
        "re-wrapped, CRLF and a holder".into(),
        "LICENSE",
        format!("Copyright 2019 NHS Digital\n\n{}", rewrap(base, 72)).replace('\n', "\r\n"),
    );
    out
}

/// The verdict of one licence file alone, through the library's detection and verdict, no git.
fn verdict_of(
    detector: &Detector,
    policy: &Policy,
    path: &str,
    text: &str,
) -> (String, Vec<String>) {
    let discovery = Discovery {
        candidates: vec![Candidate {
            path: path.to_string(),
            kind: SourceKind::LicenseFile,
            text: text.to_string(),
            first_line: 1,
            sha256: String::new(),
            truncated: false,
            closing_section: false,
        }],
        ..Discovery::default()
    };
    let report = detector.detect(&discovery);
    let verdict = judge("fixture/mutant", &report, policy);
    (verdict.name().to_string(), verdict.reasons().to_vec())
}

#[test]
fn no_meaning_changing_mutant_is_allowed_and_harmless_mutants_stay_allowed() {
    let started = std::time::Instant::now();
    let detector = Detector::embedded();
    let policy = Policy::default();
    let mut rng = Rng(0x6b65_6570_6f70_656e);
    let mut changing: Vec<(String, Mutant)> = Vec::new();
    let mut keeping: Vec<(String, Mutant)> = Vec::new();
    for id in LICENCES {
        let base = published(id);
        let (verdict, reasons) = verdict_of(&detector, &policy, "LICENSE", &base);
        assert_eq!(
            verdict, "allowed",
            "the published {id} text itself: {reasons:?}"
        );
        for m in meaning_changing(id, &base, &mut rng) {
            changing.push((id.to_string(), m));
        }
        // Every harmless operator on the short texts; every other one on the long texts (slow to judge).
        let long = base.split_whitespace().count() > LONG_TEXT_WORDS;
        for (k, m) in harmless(&base, &mut rng).into_iter().enumerate() {
            if !long || k % 2 == 0 {
                keeping.push((id.to_string(), m));
            }
        }
    }
    let judge_all = |mutants: &[(String, Mutant)]| -> Vec<(String, Vec<String>)> {
        let chunk = mutants.len().div_ceil(4);
        std::thread::scope(|s| {
            let handles: Vec<_> = mutants
                .chunks(chunk.max(1))
                .map(|part| {
                    s.spawn(|| {
                        part.iter()
                            .map(|(_, m)| verdict_of(&detector, &policy, m.path, &m.text))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("judge thread"))
                .collect()
        })
    };
    let changed_verdicts = judge_all(&changing);
    let kept_verdicts = judge_all(&keeping);
    let total = changing.len() + keeping.len();
    println!(
        "{total} mutants ({} meaning-changing, {} harmless) judged in {:.1?}",
        changing.len(),
        keeping.len(),
        started.elapsed()
    );
    let dangerous: Vec<String> = changing
        .iter()
        .zip(&changed_verdicts)
        .filter(|(_, (v, _))| v == "allowed")
        .map(|((id, m), _)| format!("{id}: {} ({})", m.op, m.path))
        .collect();
    let kept = kept_verdicts.iter().filter(|(v, _)| v == "allowed").count();
    let rate = kept as f64 / keeping.len() as f64;
    let lost: Vec<String> = keeping
        .iter()
        .zip(&kept_verdicts)
        .filter(|(_, (v, _))| v != "allowed")
        .take(8)
        .map(|((id, m), (v, reasons))| {
            format!(
                "{id}: {} → {v}: {}",
                m.op,
                reasons.first().cloned().unwrap_or_default()
            )
        })
        .collect();
    println!(
        "harmless mutants still allowed: {kept}/{} ({:.1}%); first losses:\n  {}",
        keeping.len(),
        rate * 100.0,
        lost.join("\n  ")
    );
    assert!(total >= 1000, "at least 1,000 mutants (got {total})");
    assert!(
        dangerous.is_empty(),
        "{} meaning-changing mutants were allowed:\n  {}",
        dangerous.len(),
        dangerous.join("\n  ")
    );
    assert!(
        rate >= 0.95,
        "only {:.1}% of harmless mutants stay allowed:\n  {}",
        rate * 100.0,
        lost.join("\n  ")
    );
}

#[test]
fn mutants_judged_through_real_repositories_get_the_same_verdicts() {
    let detector = Detector::embedded();
    let policy = Policy::default();
    let mut rng = Rng(21);
    let base = published("MIT");
    let mut sample: Vec<Mutant> = meaning_changing("MIT", &base, &mut rng)
        .into_iter()
        .step_by(5)
        .collect();
    sample.extend(harmless(&base, &mut rng).into_iter().step_by(6));
    for m in &sample {
        let fx = RepoFixture::bare();
        fx.commit("main", &TreeSpec::new().file(m.path, m.text.as_bytes()));
        fx.set_head("main");
        let through_git = check_repo(fx.path(), &detector, &policy);
        let (pure, reasons) = verdict_of(&detector, &policy, m.path, &m.text);
        assert_eq!(
            through_git.verdict,
            pure,
            "{}: git {:?} / pure {reasons:?}",
            m.op,
            through_git.verdict.reasons()
        );
    }
}

/// The verdict of a README's licence section alone (`README.md`, as discovery hands it over: its heading and
/// body), through the library's detection and verdict.
fn readme_verdict_of(detector: &Detector, policy: &Policy, section: &str) -> (String, Vec<String>) {
    let discovery = Discovery {
        candidates: vec![Candidate {
            path: "README.md".to_string(),
            kind: SourceKind::Readme,
            text: section.to_string(),
            first_line: 30,
            sha256: String::new(),
            truncated: false,
            closing_section: false,
        }],
        ..Discovery::default()
    };
    let report = detector.detect(&discovery);
    let verdict = judge("fixture/mutant", &report, policy);
    (verdict.name().to_string(), verdict.reasons().to_vec())
}

/// The same operators over the two readings added for issue 21's needless reviews: a README licence section
/// whose whole body is a licence name (each licence of [`LICENCES`] by its SPDX id), and the companion texts a
/// licensor publishes with a licence (CPython's history before the Python licence, Creative Commons' current
/// closing notice). A restriction, a framing, a set-apart body, a lookalike letter or a heading below the top
/// level is never allowed; emphasis, a full stop, a setext heading and re-wrapping stay allowed.
#[test]
fn bare_licence_sections_and_companion_texts_under_the_mutation_operators() {
    let detector = Detector::embedded();
    let policy = Policy::default();
    let mut rng = Rng(0x7265_6164_696e_6721);
    let mut changing: Vec<(String, String)> = Vec::new();
    let mut keeping: Vec<(String, String)> = Vec::new();
    // The README part exercises the bare-section reading only where it decides: for a name the reference
    // rules already read in any sentence (`Apache-2.0`, `OGL-UK-3.0`), the verdict comes from that older
    // reading, whose class of holes is `readme_sections_naming_a_licence_beside_a_restriction` below.
    let decided_here = |id: &&&str| keepopen::license::reference::references(id).is_empty();
    for id in LICENCES.iter().filter(decided_here) {
        let base = format!("## License\n\n{id}\n");
        let (verdict, reasons) = readme_verdict_of(&detector, &policy, &base);
        assert_eq!(verdict, "allowed", "{base:?}: {reasons:?}");
        for text in [
            format!("## Licence\n\n**{id}**\n"),
            format!("## License\n\n{id}.\n"),
            format!("License\n=======\n\n{id}\n"),
            format!("# Licensing\n\n\n{id}\n\n"),
        ] {
            keeping.push((format!("{id}: harmless {text:?}"), text));
        }
        let mut set_apart = vec![
            format!("## License\n\n```\n{id}\n```\n"),
            format!("## License\n\n> {id}\n"),
            format!("## License\n\n<!-- {id} -->\n"),
            format!("## License\n\n`{id}`\n"),
            format!("### License\n\n{id}\n"),
            format!("## License\n\n{} {id}\n", framing_line(&mut rng)),
            format!("## License\n\n{}\n\n{id}\n", framing_line(&mut rng)),
        ];
        for _ in 0..4 {
            let sentence = restriction(&mut rng);
            set_apart.push(format!("## License\n\n{id}\n\n{sentence}\n"));
            set_apart.push(format!("## License\n\n{id}. {sentence}\n"));
            set_apart.push(format!("## License\n\n{sentence}\n\n{id}\n"));
        }
        if let Some((latin, other)) = HOMOGLYPHS.iter().find(|(l, _)| id.contains(*l)) {
            set_apart.push(format!(
                "## License\n\n{}\n",
                id.replacen(*latin, &other.to_string(), 1)
            ));
        }
        for text in set_apart {
            changing.push((format!("{id}: {text:?}"), text));
        }
    }
    assert!(
        readme_changing_floor(&changing),
        "the bare-section reading is exercised: {} mutants",
        changing.len()
    );
    let readme_changing = changing.len();
    let readme_keeping = keeping.len();
    // Companion texts, judged as licence files.
    let python = format!(
        "{}\n{}",
        std::fs::read_to_string(format!(
            "{}/licenses/companions/Python-history.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
        canonical("Python-2.0.1")
    );
    let cc = canonical("CC-BY-4.0").replacen(
        "considered the “Licensor.” Except",
        "considered the “Licensor.” The text of the Creative Commons public licenses is dedicated to the public domain under the CC0 Public Domain Dedication. Except",
        1,
    );
    let mut licence_files: Vec<(String, String, bool)> = Vec::new();
    for (name, base, companion_start) in [
        ("Python history", python.as_str(), "Python was created"),
        ("CC notice", cc.as_str(), "Creative Commons is not a party"),
    ] {
        let (verdict, reasons) = verdict_of(&detector, &policy, "LICENSE", base);
        assert_eq!(verdict, "allowed", "{name}: {reasons:?}");
        let at = base.find(companion_start).expect("companion in base");
        for _ in 0..12 {
            let sentence = restriction(&mut rng);
            // At a paragraph break inside or at the edge of the companion text.
            let breaks: Vec<usize> = base[at..]
                .match_indices("\n\n")
                .map(|(k, _)| at + k)
                .take(12)
                .collect();
            let cut = if breaks.is_empty() {
                at
            } else {
                *rng.pick(&breaks)
            };
            licence_files.push((
                format!("{name}: \"{sentence}\" at byte {cut}"),
                format!("{}\n\n{sentence}\n\n{}", &base[..cut], &base[cut..]),
                true,
            ));
        }
        let word_at = base[at..].find(" not ").map(|k| at + k + 1);
        if let Some(w) = word_at {
            licence_files.push((
                format!("{name}: homoglyph in \"not\""),
                format!("{}n\u{43e}t{}", &base[..w], &base[w + 3..]),
                true,
            ));
        }
        for width in [60, 100] {
            licence_files.push((
                format!("{name}: re-wrapped at {width}"),
                rewrap(base, width),
                false,
            ));
        }
    }
    let mut dangerous = Vec::new();
    let mut lost = Vec::new();
    for (op, text) in &changing {
        if readme_verdict_of(&detector, &policy, text).0 == "allowed" {
            dangerous.push(op.clone());
        }
    }
    for (op, text) in &keeping {
        let (v, reasons) = readme_verdict_of(&detector, &policy, text);
        if v != "allowed" {
            lost.push(format!("{op} → {v}: {reasons:?}"));
        }
    }
    let (mut file_changing, mut file_keeping) = (0, 0);
    for (op, text, changes) in &licence_files {
        let (v, reasons) = verdict_of(&detector, &policy, "LICENSE", text);
        if *changes {
            file_changing += 1;
            if v == "allowed" {
                dangerous.push(op.clone());
            }
        } else {
            file_keeping += 1;
            if v != "allowed" {
                lost.push(format!("{op} → {v}: {reasons:?}"));
            }
        }
    }
    println!(
        "README sections: {readme_changing} meaning-changing, {readme_keeping} harmless; companion texts: {file_changing} meaning-changing, {file_keeping} harmless"
    );
    assert!(
        dangerous.is_empty(),
        "meaning-changing mutants allowed:\n  {}",
        dangerous.join("\n  ")
    );
    assert!(
        lost.is_empty(),
        "harmless mutants lost:\n  {}",
        lost.join("\n  ")
    );
}

fn readme_changing_floor(changing: &[(String, String)]) -> bool {
    changing.len() >= 60
}

/// Found by the operators above, and older than them: a README licence section that names its licence in a
/// form the reference rules read anywhere (an SPDX id such as `Apache-2.0` or `OGL-UK-3.0`), with a sentence
/// beside it that withholds in words the withholding reading does not know ("The code in this repository is
/// lent to you, not given.", "… may be used for research purposes only.") is judged *allowed*: a README section that grants by reference is not held to
/// the residue accounting a licence file is (doing so today costs about eighteen needless reviews on the
/// acceptance set, for want of harmless shapes for links, navigation and attribution lines). Closed by that
/// accounting: every line of a section that grants by reference is a harmless shape or residue, and a name
/// stands as a grant only on a grant sentence or as the whole body of a top licence section.
#[test]
fn readme_sections_naming_a_licence_beside_a_restriction() {
    let detector = Detector::embedded();
    let policy = Policy::default();
    let mut rng = Rng(0x6e61_6d65_6473_7063);
    let mut dangerous = Vec::new();
    for id in LICENCES {
        for _ in 0..4 {
            let sentence = restriction(&mut rng);
            for text in [
                format!("## License\n\n{id}\n\n{sentence}\n"),
                format!("## License\n\n{sentence}\n\n{id}\n"),
            ] {
                if readme_verdict_of(&detector, &policy, &text).0 == "allowed" {
                    dangerous.push(format!("{id}: {text:?}"));
                }
            }
        }
    }
    assert!(
        dangerous.is_empty(),
        "{} README sections allowed:\n  {}",
        dangerous.len(),
        dangerous.join("\n  ")
    );
}

/// Grant sentences by reference, one per licence family the reference rules read in a sentence.
const GRANT_SENTENCES: &[&str] = &[
    "This project is licensed under the MIT License.",
    "Licensed under the Apache License, Version 2.0.",
    "This project is licensed under the Open Government Licence v3.0.",
    "The code is released under the GNU General Public License v3.0.",
    "The software in this repository is licensed under the GNU Affero General Public License v3.0.",
    "This work is licensed under the Mozilla Public License 2.0.",
];

/// Lines that state no term of their own: a pointer to the licence file, a holder, a badge.
const HARMLESS_LINES: &[&str] = &[
    "See [LICENSE](LICENSE) for details.",
    "Copyright (c) 2021 NHS England",
    "© Crown copyright 2024",
    "[![Licence](https://img.shields.io/badge/licence-see%20LICENSE-blue.svg)](LICENSE)",
    "The full licence text is in the [LICENSE](LICENSE) file.",
];

proptest::proptest! {
    /// A README licence section (a grant sentence or a bare licence name, with harmless lines around it):
    /// any sentence of the restriction grammar put anywhere in it makes it not *allowed*; the harmless lines
    /// alone keep a grant sentence *allowed*.
    #[test]
    fn a_restriction_anywhere_in_a_readme_licence_section_is_never_allowed(
        grant in 0..GRANT_SENTENCES.len() + LICENCES.len(),
        seed in proptest::prelude::any::<u64>(),
        harmless in proptest::collection::vec(0..HARMLESS_LINES.len(), 0..3),
        at in 0usize..8,
    ) {
        let detector = Detector::embedded();
        let policy = Policy::default();
        let grant_line = GRANT_SENTENCES
            .get(grant)
            .map_or_else(|| LICENCES[grant - GRANT_SENTENCES.len()].to_string(), |g| g.to_string());
        let mut body: Vec<String> = vec![grant_line];
        body.extend(harmless.iter().map(|&h| HARMLESS_LINES[h].to_string()));
        if grant < GRANT_SENTENCES.len() {
            let section = format!("## License\n\n{}\n", body.join("\n\n"));
            let (verdict, reasons) = readme_verdict_of(&detector, &policy, &section);
            proptest::prop_assert_eq!(verdict, "allowed", "{:?}: {:?}", section, reasons);
        }
        let sentence = restriction(&mut Rng(seed));
        body.insert(at % (body.len() + 1), sentence);
        let section = format!("## License\n\n{}\n", body.join("\n\n"));
        let (verdict, reasons) = readme_verdict_of(&detector, &policy, &section);
        proptest::prop_assert_ne!(verdict, "allowed", "{:?}: {:?}", section, reasons);
    }
}
