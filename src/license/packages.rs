//! Committed packages: a folder that a package manifest declares as one package (`node_modules/diff/` with
//! its `package.json`, a library under `vendor/` or `third_party/` with its own manifest), holding that
//! package's own licence file.
//!
//! Such a licence file is the package's claim, scoped to its folder (discovery reads it as a
//! [`SourceKind::VendoredLicenseFile`]), and the manifest beside it is a second, independent statement of the
//! same claim. When the two agree, the file is judged as what it is — a known open licence text as its
//! package publishes it — and the words the residue accounting ([`super::residue`]) could not place are
//! compared with the canonical text, each difference judged operative or not, instead of asking a person
//! about a package's own title line or a variant wording of its licence.
//!
//! # The rule (fail closed)
//!
//! The residue of a package's licence file is settled only when all of these hold:
//!
//! 1. a manifest in the file's own folder declares an expression, and the licences matched in the file as
//!    full texts satisfy it (an `AND` needs each, an `OR` one); every declaration of that manifest does: the
//!    file and the manifest agree;
//! 2. every licence the file matches or names is open ([`super::assets::is_open_id`]), and no matched text
//!    has an operative change ([`super::diff`]);
//! 3. the file was read whole and as it reads (not truncated, nothing disguised in it);
//! 4. the whole file, aligned word by word against the canonical texts matched in it, adds only words that
//!    state no term ([`states_a_term`]: no negation, restriction, grant, modal, reservation, payment, framing
//!    or secrecy word; a holder line's copyright mark and "all rights reserved" aside), withholds nothing
//!    ([`super::assets::withholding_term`]) and names no licence that is not open; and, inside a licence
//!    text, adds only that licence's own words in a short run (a variant wording: "use *of this software*
//!    in source") or a name where the canonical text has its placeholder. Every word is weighed, not only
//!    those the residue accounting quoted: a sentence it let pass as a harmless statement is read again.
//!
//! Anything else keeps the residue, quoted as before. The property tests in `tests/it/packages.rs` plant
//! restrictions (on lines of their own and joined to any line), narrowed grantees and disagreeing manifests
//! in a package's licence and check that none is allowed.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use super::diff::{GRANT_WORDS, NEGATIONS, RESTRICTIONS, canonical_word};
use super::{Candidate, Discovery, Finding, Method, Observation, SourceKind, assets, reference};

/// Words that state or change a term wherever they are added: besides the diff's negations, restrictions and
/// grant words, modals and obligations, reservations, payment, framing as something other than the licence,
/// and secrecy.
const TERM_WORDS: &[&str] = &[
    "none",
    "nothing",
    "nobody",
    "without",
    "may",
    "must",
    "shall",
    "should",
    "need",
    "needs",
    "require",
    "required",
    "requires",
    "cannot",
    "can",
    "will",
    "obliged",
    "obligation",
    "reserved",
    "reserve",
    "reserves",
    "revoke",
    "revoked",
    "subject",
    "separate",
    "additional",
    "request",
    "contact",
    "ask",
    "pay",
    "paid",
    "payment",
    "purchase",
    "price",
    "cost",
    "draft",
    "template",
    "example",
    "sample",
    "placeholder",
    "proposed",
    "pending",
    "unofficial",
    "void",
    "invalid",
    "superseded",
    "withdrawn",
    "obsolete",
    "confidential",
    "proprietary",
    "private",
    "secret",
    "classified",
    "sensitive",
];

/// Words of a canonical text's placeholder for a name ("the copyright holder", "<year> <owner>").
const PLACEHOLDER_WORDS: &[&str] = &[
    "copyright",
    "holder",
    "holders",
    "owner",
    "owners",
    "year",
    "name",
    "names",
    "author",
    "authors",
    "organization",
    "the",
    "of",
    "and",
    "its",
    "contributors",
    "c",
];

/// The longest run of a licence's own words read as a variant wording inside its text.
const VARIANT_MAX_WORDS: usize = 6;
/// The longest name put where the canonical text has its placeholder.
const NAME_MAX_WORDS: usize = 14;
/// Bound on the word alignment: past it, the diff is coarser, which can only keep more residue.
const ALIGN_DEADLINE: Duration = Duration::from_secs(2);

/// Whether a word added to a licence file states or changes a term.
pub fn states_a_term(word: &str) -> bool {
    NEGATIONS.contains(&word)
        || RESTRICTIONS.contains(&word)
        || GRANT_WORDS.contains(&word)
        || TERM_WORDS.contains(&word)
}

/// The words of a line as the comparison reads them: lower case, letters and digits, British spellings as
/// American.
fn words(line: &str) -> Vec<String> {
    // A link states no term on its own (its words are a place, not a sentence).
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]]+").expect("url pattern")
    });
    URL.replace_all(line, " ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| canonical_word(&w.to_lowercase()).to_string())
        .collect()
}

/// The manifest of the folder `path` sits in, when the discovery read one there.
fn manifest_of<'d>(discovery: &'d Discovery, path: &str) -> Vec<&'d Candidate> {
    let folder = path.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
    discovery
        .package_manifests
        .iter()
        .filter(|m| m.path.rsplit_once('/').map(|(f, _)| f).unwrap_or("") == folder)
        .collect()
}

/// Whether the licences matched as texts satisfy a manifest's expression (an `AND` needs each, an `OR` one).
fn agrees(expression: &str, texts: &HashSet<&str>) -> bool {
    let Ok(parsed) = spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX) else {
        return texts.contains(expression.trim());
    };
    parsed.evaluate(|req| {
        let id = req.license.to_string();
        texts.contains(id.as_str()) || texts.contains(id.trim_end_matches('+'))
    })
}

/// Why a package's licence file cannot have its residue settled, or the manifest that agrees with it.
fn agreeing_manifest<'d>(
    discovery: &'d Discovery,
    candidate: &Candidate,
    findings: &[&Finding],
    observations: &[Observation],
) -> Result<&'d Candidate, String> {
    if candidate.truncated {
        return Err("the file was read only in part".into());
    }
    if observations.iter().any(|o| {
        matches!(o, Observation::Deceptive { file, .. } | Observation::Truncated { file, .. }
            if *file == candidate.path)
    }) {
        return Err("the file disguises or cuts its words".into());
    }
    if findings.is_empty() {
        return Err("no licence matched in the file".into());
    }
    let texts: HashSet<&str> = findings
        .iter()
        .filter(|f| f.method == Method::Text)
        .map(|f| f.license.as_str())
        .collect();
    let manifests = manifest_of(discovery, &candidate.path);
    if manifests.is_empty() {
        return Err("no package manifest beside it".into());
    }
    // Every declaration of the manifest must agree: one that names another licence is a contradiction.
    match manifests.iter().find(|m| !agrees(&m.text, &texts)) {
        Some(m) => Err(format!(
            "{} declares {}, which the file's text does not carry",
            m.path, m.text
        )),
        None => Ok(manifests[0]),
    }
}

/// One word of the file, where it is, and how the alignment placed it.
#[derive(Debug, Clone)]
struct Placed {
    line: usize,
    /// Added to the canonical texts (not one of their words in place).
    added: bool,
    /// The index of the alignment operation that placed it.
    op: usize,
}

/// One alignment operation: the canonical words it took out (none when it keeps words in place).
#[derive(Debug, Clone)]
struct Op {
    removed: Vec<String>,
}

/// The file's words aligned against the canonical texts of the licences matched in it, in file order.
fn align(text: &str, canonicals: &[Vec<String>]) -> (Vec<(String, Placed)>, Vec<Op>) {
    let mut file: Vec<(String, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for w in words(line) {
            file.push((w, i + 1));
        }
    }
    let canon: Vec<&str> = canonicals.iter().flatten().map(String::as_str).collect();
    let new: Vec<&str> = file.iter().map(|(w, _)| w.as_str()).collect();
    let deadline = Instant::now() + ALIGN_DEADLINE;
    let diff = capture_diff_slices_deadline(Algorithm::Myers, &canon, &new, Some(deadline));
    let mut placed: Vec<(String, Placed)> = Vec::with_capacity(file.len());
    let mut ops: Vec<Op> = Vec::new();
    for (k, op) in diff.iter().enumerate() {
        let (tag, old, new_range) = op.as_tag_tuple();
        ops.push(Op {
            removed: if tag == DiffTag::Equal {
                Vec::new()
            } else {
                canon[old].iter().map(|w| w.to_string()).collect()
            },
        });
        for i in new_range {
            placed.push((
                file[i].0.clone(),
                Placed {
                    line: file[i].1,
                    added: tag != DiffTag::Equal,
                    op: k,
                },
            ));
        }
    }
    (placed, ops)
}

/// The words of a holder's line that name no term: the copyright mark, and "all rights reserved" (which
/// every copyright notice implies, and under which the licence grants what it grants). Their positions in the
/// line's words.
fn holder_words(line: &str) -> Vec<usize> {
    let w = words(line);
    let mut out = Vec::new();
    let marked = line.contains('©') || line.to_lowercase().contains("(c)");
    let is_holder = marked || w.first().is_some_and(|f| f == "copyright");
    for (i, word) in w.iter().enumerate() {
        if is_holder && matches!(word.as_str(), "copyright" | "c") {
            out.push(i);
        }
    }
    for i in 0..w.len().saturating_sub(2) {
        if w[i] == "all" && w[i + 1] == "rights" && w[i + 2] == "reserved" {
            out.extend([i, i + 1, i + 2]);
        }
    }
    out
}

/// Why the words the file adds to the canonical texts of the licences matched in it state a term, or `None`
/// when none does. Every word of the file is weighed, not only those the residue accounting quoted: a
/// sentence it read as a harmless statement is read again here. `spans` are the lines of each licence text
/// matched in the file, with the index of its canonical text.
fn operative_words(
    text: &str,
    placed: &[(String, Placed)],
    ops: &[Op],
    canonicals: &[Vec<String>],
    spans: &[(usize, usize, usize)],
) -> Option<String> {
    if let Some(term) = assets::withholding_term(text) {
        return Some(format!("withholds: {term}"));
    }
    if let Some(r) = reference::references(text)
        .into_iter()
        .find(|r| !assets::is_open_id(&r.id))
    {
        return Some(format!("names {}, not an open licence", r.id));
    }
    // Which word of its line each placed word is, to leave out a holder line's mark and reservation.
    let lines: Vec<&str> = text.lines().collect();
    let exempt: Vec<Vec<usize>> = lines.iter().map(|l| holder_words(l)).collect();
    let mut added: Vec<Vec<&str>> = vec![Vec::new(); ops.len()];
    let mut lines_of: Vec<Vec<usize>> = vec![Vec::new(); ops.len()];
    let mut index_in_line = 0usize;
    let mut current_line = 0usize;
    for (w, p) in placed {
        if p.line != current_line {
            current_line = p.line;
            index_in_line = 0;
        }
        let at = index_in_line;
        index_in_line += 1;
        if !p.added
            || exempt
                .get(p.line.saturating_sub(1))
                .is_some_and(|e| e.contains(&at))
        {
            continue;
        }
        added[p.op].push(w);
        lines_of[p.op].push(p.line);
    }
    for (k, op) in ops.iter().enumerate() {
        // A word of the canonical text taken out may be a word added elsewhere that the alignment matched
        // in its place: a removed term word keeps the residue.
        if let Some(w) = op.removed.iter().find(|w| states_a_term(w)) {
            return Some(format!("\"{w}\" of the licence text is taken out"));
        }
        let words = &added[k];
        if words.is_empty() {
            continue;
        }
        if let Some(w) = words.iter().find(|w| states_a_term(w)) {
            return Some(format!("adds \"{w}\""));
        }
        // Inside a licence text: every word added lies within the lines that text was matched on.
        let inside = spans
            .iter()
            .find(|(a, b, _)| lines_of[k].iter().all(|l| l >= a && l <= b));
        if let Some((_, _, t)) = inside {
            let own: HashSet<&str> = canonicals[*t].iter().map(String::as_str).collect();
            let variant = words.len() <= VARIANT_MAX_WORDS && words.iter().all(|w| own.contains(w));
            let name = !op.removed.is_empty()
                && op
                    .removed
                    .iter()
                    .all(|w| PLACEHOLDER_WORDS.contains(&w.as_str()))
                && words.len() <= NAME_MAX_WORDS;
            if !variant && !name {
                return Some(format!(
                    "adds \"{}\" inside the licence text",
                    words.join(" ")
                ));
            }
        }
    }
    None
}

/// Settle the residue of committed packages' licence files that agree with their packages' manifests (see
/// the module's rule); each file settled gets a note on its findings saying which manifest agreed.
/// `canonical` gives a licence's canonical text.
pub fn settle(
    discovery: &Discovery,
    findings: &mut [Finding],
    observations: &mut Vec<Observation>,
    canonical: &dyn Fn(&str) -> Option<String>,
) {
    let mut files: Vec<&Candidate> = discovery
        .candidates
        .iter()
        .filter(|c| c.kind == SourceKind::VendoredLicenseFile)
        .filter(|c| {
            observations
                .iter()
                .any(|o| matches!(o, Observation::Residue { file, .. } if *file == c.path))
        })
        .collect();
    files.dedup_by(|a, b| a.path == b.path);
    for candidate in files {
        let mut own: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.file == candidate.path)
            .collect();
        own.sort_by_key(|f| f.lines.0);
        let manifest = match agreeing_manifest(discovery, candidate, &own, observations) {
            Ok(m) => m.clone(),
            Err(why) => {
                tracing::debug!(file = %candidate.path, %why, "package licence residue kept");
                continue;
            }
        };
        let mut ids: Vec<&str> = Vec::new();
        for f in own.iter().filter(|f| f.method == Method::Text) {
            if !ids.contains(&f.license.as_str()) {
                ids.push(&f.license);
            }
        }
        let Some(canonicals) = ids
            .iter()
            .map(|id| canonical(id).map(|t| t.lines().flat_map(words).collect::<Vec<_>>()))
            .collect::<Option<Vec<Vec<String>>>>()
        else {
            continue;
        };
        let (placed, ops) = align(&candidate.text, &canonicals);
        let offset = candidate.first_line.saturating_sub(1);
        let spans: Vec<(usize, usize, usize)> = own
            .iter()
            .filter(|f| f.method == Method::Text)
            .filter_map(|f| {
                let t = ids.iter().position(|id| *id == f.license)?;
                Some((
                    f.lines.0.saturating_sub(offset),
                    f.lines.1.saturating_sub(offset),
                    t,
                ))
            })
            .collect();
        if let Some(why) = operative_words(&candidate.text, &placed, &ops, &canonicals, &spans) {
            tracing::debug!(file = %candidate.path, %why, "package licence residue kept");
            continue;
        }
        let settled: Vec<usize> = observations
            .iter()
            .filter_map(|o| match o {
                Observation::Residue { file, line, .. } if *file == candidate.path => Some(*line),
                _ => None,
            })
            .collect();
        observations
            .retain(|o| !matches!(o, Observation::Residue { file, .. } if *file == candidate.path));
        let note = format!(
            "a committed package's licence: {} declares {}, and the words beside the text (line(s) {}) state no term",
            manifest.path,
            manifest.text,
            settled
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        );
        for f in findings.iter_mut().filter(|f| f.file == candidate.path) {
            if !f.notes.contains(&note) {
                f.notes.push(note.clone());
            }
        }
    }
}

/// A plist `dict` as (key, value element) pairs.
fn plist_pairs<'a, 'i>(dict: roxmltree::Node<'a, 'i>) -> Vec<(String, roxmltree::Node<'a, 'i>)> {
    let children: Vec<roxmltree::Node<'a, 'i>> =
        dict.children().filter(|n| n.is_element()).collect();
    children
        .chunks(2)
        .filter_map(|c| match c {
            [k, v] if k.tag_name().name() == "key" => {
                Some((k.text().unwrap_or("").trim().to_string(), *v))
            }
            _ => None,
        })
        .collect()
}

/// One package an acknowledgements file credits: its name as the file gives it, and the open licence its
/// text names, when it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledged {
    pub package: String,
    pub license: Option<String>,
}

/// The packages a settings-pane acknowledgements file credits, when `text` is one: an Apple property list
/// whose `PreferenceSpecifiers` entries show licence texts in their `FooterText` (what LicensePlist writes
/// into an app's `Settings.bundle/…/Packages/<name>.plist`, and CocoaPods into `Pods-…-acknowledgements.plist`).
/// Each entry whose footer is a licence (it names an open licence or carries a copyright notice) credits the
/// package its `Title` names, or the file's own name when it has no title. Such a file is a third-party
/// notice: its licence lines speak for the packages it names, never for the repository. `None` when the
/// file is not a property list of that shape, or no entry's footer is a licence.
pub fn acknowledged_packages(path: &str, text: &str) -> Option<Vec<Acknowledged>> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.strip_suffix(".plist")?;
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "plist" {
        return None;
    }
    let top = root.children().find(|n| n.tag_name().name() == "dict")?;
    let (_, specifiers) = plist_pairs(top)
        .into_iter()
        .find(|(k, v)| k == "PreferenceSpecifiers" && v.tag_name().name() == "array")?;
    let string_of = |v: roxmltree::Node<'_, '_>| -> String {
        v.descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<String>()
    };
    let mut out: Vec<Acknowledged> = Vec::new();
    for entry in specifiers
        .children()
        .filter(|n| n.tag_name().name() == "dict")
    {
        let fields = plist_pairs(entry);
        let Some(footer) = fields
            .iter()
            .find(|(k, _)| k == "FooterText")
            .map(|(_, v)| string_of(*v))
        else {
            continue;
        };
        let license = assets::open_grant(&footer);
        if license.is_none() && assets::notice_holders(&footer).is_empty() {
            continue;
        }
        let package = fields
            .iter()
            .find(|(k, _)| k == "Title")
            .map(|(_, v)| string_of(*v).trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| stem.to_string());
        out.push(Acknowledged { package, license });
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plist(entries: &[(&str, &str)]) -> String {
        let body: String = entries
            .iter()
            .map(|(title, footer)| {
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!("<key>Title</key><string>{title}</string>")
                };
                format!("<dict><key>FooterText</key><string>{footer}</string>{title}<key>Type</key><string>PSGroupSpecifier</string></dict>")
            })
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict><key>PreferenceSpecifiers</key><array>{body}</array><key>StringsTable</key><string>Acknowledgements</string></dict></plist>\n"
        )
    }

    #[test]
    fn a_settings_pane_of_licence_footers_credits_the_packages_it_names() {
        let mit = std::fs::read_to_string(format!(
            "{}/licenses/text/MIT.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .replace("<year>", "2022")
        .replace("<copyright holders>", "Sam Coder");
        // One package per file, named by the file (LicensePlist's Packages/<name>.plist).
        let one = acknowledged_packages(
            "App/Settings.bundle/Packages/Injector.plist",
            &plist(&[("", &mit)]),
        )
        .expect("an acknowledgement");
        assert_eq!(
            one,
            vec![Acknowledged {
                package: "Injector".into(),
                license: Some("MIT".into())
            }]
        );
        // Several, named by their titles; a footer that is only a notice still credits its package.
        let many = acknowledged_packages(
            "Pods/Target Support Files/Pods-App/Pods-App-acknowledgements.plist",
            &plist(&[
                ("Injector", &mit),
                ("Charts", "Copyright 2016 Chart Makers Ltd"),
            ]),
        )
        .expect("an acknowledgement");
        assert_eq!(
            many.iter().map(|a| a.package.as_str()).collect::<Vec<_>>(),
            ["Injector", "Charts"]
        );
        assert_eq!(many[1].license, None);
    }

    #[test]
    fn a_settings_pane_without_licence_footers_or_another_file_is_not_an_acknowledgement() {
        // An app's own settings: a footer that is no licence.
        assert_eq!(
            acknowledged_packages(
                "App/Settings.bundle/Root.plist",
                &plist(&[("Version", "Shows the version of the app you are using.")])
            ),
            None
        );
        // The same licence text outside a property list is a licence file, judged as one elsewhere.
        assert_eq!(
            acknowledged_packages("Packages/Injector.txt", "MIT License"),
            None
        );
        assert_eq!(
            acknowledged_packages("Info.plist", "<plist><array/></plist>"),
            None
        );
    }
}
