//! Licences named or linked rather than quoted: "licensed under the Open Government Licence v3.0, see <url>",
//! "[MIT license](https://opensource.org/licenses/mit-license.html)", "CC BY-NC-ND 4.0". Pure functions.
//!
//! askalono scores such statements near zero (they share few word pairs with the full text), so keepopen
//! recognises them by name, URL or SPDX id, and reports them at a lower confidence than a matched text.

use std::sync::LazyLock;

use regex::Regex;

use super::Scope;

/// A licence named or linked in a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub id: String,
    /// 1-based line of the mention.
    pub line: usize,
    pub scope: Scope,
    /// False when the version was not stated and keepopen assumed the current one.
    pub versioned: bool,
    /// For the GNU family: `Some(true)` "or any later version", `Some(false)` "version N only", None unknown.
    pub or_later: Option<bool>,
    /// The words that named it.
    pub matched: String,
    /// Byte offset of the mention in the text (orders mentions on one line).
    pub offset: usize,
    /// Byte offset just past the words that named it.
    pub end: usize,
}

struct Rule {
    re: Regex,
    /// Builds the SPDX id from the captures; None drops the match.
    id: fn(&regex::Captures<'_>) -> Option<(String, bool)>,
}

fn fixed(id: &'static str) -> fn(&regex::Captures<'_>) -> Option<(String, bool)> {
    // Each distinct id gets its own fn item via a match, keeping the table data-like.
    match id {
        "MIT" => |_| Some(("MIT".into(), true)),
        "Apache-2.0" => |_| Some(("Apache-2.0".into(), true)),
        "ISC" => |_| Some(("ISC".into(), true)),
        "Unlicense" => |_| Some(("Unlicense".into(), true)),
        "CC0-1.0" => |_| Some(("CC0-1.0".into(), true)),
        "BSD-3-Clause" => |_| Some(("BSD-3-Clause".into(), true)),
        "BSD-2-Clause" => |_| Some(("BSD-2-Clause".into(), true)),
        "OGL-Canada-2.0" => |_| Some(("OGL-Canada-2.0".into(), true)),
        "OPL-UK-3.0" => |_| Some(("OPL-UK-3.0".into(), true)),
        "MPL-2.0" => |_| Some(("MPL-2.0".into(), true)),
        "LicenseRef-EU-Commission-Decision-2011-833" => {
            |_| Some(("LicenseRef-EU-Commission-Decision-2011-833".into(), true))
        }
        _ => |_| None,
    }
}

fn ogl(c: &regex::Captures<'_>) -> Option<(String, bool)> {
    match c.name("v").map(|m| m.as_str()) {
        Some(v @ ("1" | "2" | "3")) => Some((format!("OGL-UK-{v}.0"), true)),
        Some(_) => None,
        None => Some(("OGL-UK-3.0".into(), false)),
    }
}

fn gnu(c: &regex::Captures<'_>) -> Option<(String, bool)> {
    let kind = c
        .name("kind")
        .map(|m| m.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    let family = if kind.starts_with("affero") || kind == "a" {
        "AGPL"
    } else if kind.starts_with("lesser") || kind.starts_with("library") || kind == "l" {
        "LGPL"
    } else {
        "GPL"
    };
    // "GNU General Public License 2.0": the version right after the name, as the manifest vocabulary reads it.
    let version = c
        .name("v")
        .or(c.name("bare"))
        .map(|m| m.as_str().chars().next().unwrap_or('3'))?;
    let version = match (family, version) {
        ("LGPL", '2') => "2.1".to_string(),
        (_, v) => format!("{v}.0"),
    };
    Some((format!("{family}-{version}"), true))
}

/// The id of a Creative Commons licence ported to a jurisdiction (`creativecommons.org/licenses/by-nc/2.5/scotland/`,
/// "Attribution-NonCommercial 2.5 UK: Scotland"): the SPDX id where the list has the port (`CC-BY-SA-2.0-UK`),
/// else `LicenseRef-<generic id>-<Jurisdiction>`. A port is its own legal text; it carries the elements (BY, NC,
/// ND, SA) of the generic licence, so it is classed like it (see `policy::class`).
pub fn ported_id(generic: &str, jurisdiction: &str) -> String {
    let code = jurisdiction.trim().to_ascii_lowercase();
    let code = match code.as_str() {
        "england and wales" | "england & wales" | "england" => "uk".to_string(),
        other => other.replace(' ', "-"),
    };
    let suffix = if code.len() <= 3 {
        code.to_ascii_uppercase()
    } else {
        let mut chars = code.chars();
        chars
            .next()
            .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    };
    let spdx = format!("{generic}-{suffix}");
    if spdx::license_id(&spdx).is_some_and(|l| l.name == spdx) {
        spdx
    } else {
        format!("LicenseRef-{spdx}")
    }
}

/// The generic Creative Commons id of a port made by [`ported_id`] that SPDX does not list:
/// `LicenseRef-CC-BY-NC-2.5-Scotland` → `CC-BY-NC-2.5`.
pub fn generic_of_port(id: &str) -> Option<&str> {
    let rest = id.strip_prefix("LicenseRef-CC-BY")?;
    let full = &id["LicenseRef-".len()..];
    let (generic, port) = full.rsplit_once('-')?;
    let version_ok = generic
        .rsplit('-')
        .next()
        .is_some_and(|v| v.contains('.') && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    (!rest.is_empty()
        && version_ok
        && !port.is_empty()
        && port.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    .then_some(generic)
}

/// URL path segments after a Creative Commons version that are not jurisdictions.
fn is_jurisdiction(segment: &str) -> bool {
    let segment = segment.to_ascii_lowercase();
    !(segment.is_empty()
        || segment.starts_with("legalcode")
        || segment.starts_with("deed")
        || segment.starts_with("rdf"))
}

fn cc(c: &regex::Captures<'_>) -> Option<(String, bool)> {
    let parts = c
        .name("parts")
        .map(|m| m.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    let nc =
        parts.contains("nc") || parts.contains("noncommercial") || parts.contains("non-commercial");
    let nd = parts.contains("nd") || parts.contains("noderiv") || parts.contains("no derivative");
    let sa = parts.contains("sa") || parts.contains("sharealike") || parts.contains("share alike");
    match c.name("v").map(|m| m.as_str()) {
        Some(v) => {
            let v = if v.contains('.') {
                v.to_string()
            } else {
                format!("{v}.0")
            };
            let generic = cc_id(nc, nd, sa, &v);
            match c
                .name("port")
                .map(|m| m.as_str())
                .filter(|p| is_jurisdiction(p))
            {
                Some(port) => Some((ported_id(&generic, port), true)),
                None => Some((generic, true)),
            }
        }
        None => Some((cc_id(nc, nd, sa, "4.0"), false)),
    }
}

/// The SPDX id of a Creative Commons Attribution licence from its elements: `CC-BY[-NC][-ND|-SA]-<version>`.
pub fn cc_id(
    non_commercial: bool,
    no_derivatives: bool,
    share_alike: bool,
    version: &str,
) -> String {
    let mut id = String::from("CC-BY");
    if non_commercial {
        id.push_str("-NC");
    }
    if no_derivatives {
        id.push_str("-ND");
    } else if share_alike {
        id.push_str("-SA");
    }
    format!("{id}-{version}")
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let r = |p: &str| Regex::new(p).expect("reference pattern compiles");
    vec![
        Rule {
            re: r(
                r"(?i)nationalarchives\.gov\.uk/doc/open-government-licen[cs]e(?:/version/(?P<v>\d))?",
            ),
            id: ogl,
        },
        Rule {
            re: r(r"(?i)open\s+government\s+licen[cs]e\s*[-–—]?\s*canada"),
            id: fixed("OGL-Canada-2.0"),
        },
        Rule {
            re: r(
                r"(?i)open\s+government\s+(?:licen[cs]e|(?P<v>\d)(?:\.0)?\s+licen[cs]e)(?:\s*\(ogl\))?(?:\s*,?\s*(?:v\.?|version|ver\.?)?\s*(?P<v2>\d)(?:\.\d)?\b)?",
            ),
            id: |c| {
                let v = c.name("v").or(c.name("v2")).map(|m| m.as_str());
                match v {
                    Some(v @ ("1" | "2" | "3")) => Some((format!("OGL-UK-{v}.0"), true)),
                    Some(_) => None,
                    None => Some(("OGL-UK-3.0".into(), false)),
                }
            },
        },
        Rule {
            re: r(r"(?i)\bOGL[\s-]?(?:UK[\s-]?)?v?(?P<v>[123])(?:\.0)?\b"),
            id: ogl,
        },
        Rule {
            re: r(r"(?i)open\s+parliament\s+licen[cs]e"),
            id: fixed("OPL-UK-3.0"),
        },
        Rule {
            re: r(
                r"(?i)\bMIT\s+licen[cs]e\b|\blicen[cs]ed\s+under\s+(?:the\s+)?(?:terms\s+of\s+the\s+)?MIT\b|opensource\.org/licenses/mit|\(MIT\)|\bMIT\b\s+(?:or|and|/)\s+(?:OGL|Open\s+Government)|\bMIT-licen[cs]ed\b",
            ),
            id: fixed("MIT"),
        },
        Rule {
            re: r(
                r"(?i)apache\s+(?:software\s+)?licen[cs]e,?\s*(?:version|v\.?)?\s*2(?:\.0)?|apache[\s-]2\.0|apache[\s-]v?2(?:\.0)?\s+licen[cs]e|apache\.org/licenses/LICENSE-2\.0",
            ),
            id: fixed("Apache-2.0"),
        },
        Rule {
            re: r(
                r"(?i)gnu\s+(?P<kind>affero\s+|lesser\s+|library\s+)?general\s+public\s+licen[cs]e(?:,?\s+v?(?P<bare>[123](?:\.\d)?)\b|[^.]{0,80}?(?:version|v\.?)\s*(?P<v>[123](?:\.\d)?))?",
            ),
            id: gnu,
        },
        Rule {
            re: r(
                r"\b(?P<kind>A|L)?GPL(?:-?v?|\s+(?:[Vv]ersion|v\.?)\s*)(?P<v>[123](?:\.\d)?)(?:\+|-or-later|-only)?\b",
            ),
            id: gnu,
        },
        Rule {
            re: r(
                r"(?i)creativecommons\.org/licenses/(?P<parts>by(?:-nc)?(?:-nd)?(?:-sa)?)/(?P<v>\d\.\d)(?:/(?P<port>[a-z]{2,12})\b)?",
            ),
            id: cc,
        },
        Rule {
            re: r(
                r"(?i)creative\s+commons\s+(?P<parts>attribution(?:[\s-]+(?:non-?commercial|no-?deriv(?:ative)?s?|share-?\s?alike))*)(?:\s+(?P<v>\d\.\d|\d)(?:\s+(?:UK:\s*)?(?P<port>Scotland|England\s+(?:and|&)\s+Wales)\b)?)?",
            ),
            id: cc,
        },
        Rule {
            re: r(
                r"(?i)\bCC[\s-]BY(?P<parts>(?:[\s-](?:NC|ND|SA))*)(?:[\s-](?P<v>\d\.\d)(?:[\s-](?P<port>Scotland)\b)?)?\b",
            ),
            id: cc,
        },
        Rule {
            re: r(r"(?i)\bCC0\b|creativecommons\.org/publicdomain/zero|creative\s+commons\s+zero"),
            id: fixed("CC0-1.0"),
        },
        Rule {
            re: r(r"(?i)\bISC\s+licen[cs]e\b"),
            id: fixed("ISC"),
        },
        Rule {
            re: r(r"(?i)\bthe\s+unlicense\b|unlicense\.org"),
            id: fixed("Unlicense"),
        },
        Rule {
            re: r(
                r"(?i)\bBSD[\s-]3[\s-]clause\b|\b3[\s-]clause\s+BSD\b|\bnew\s+BSD\s+licen[cs]e|\bmodified\s+BSD\s+licen[cs]e",
            ),
            id: fixed("BSD-3-Clause"),
        },
        Rule {
            re: r(
                r"(?i)\bBSD[\s-]2[\s-]clause\b|\b2[\s-]clause\s+BSD\b|\bsimplified\s+BSD\s+licen[cs]e",
            ),
            id: fixed("BSD-2-Clause"),
        },
        Rule {
            re: r(
                r"(?i)mozilla\s+public\s+licen[cs]e,?\s*(?:version|v\.?)?\s*2\.0|\bMPL[\s-]2\.0\b|\bMPL[\s-]v?2(?:\.0)?\s+licen[cs]e",
            ),
            id: fixed("MPL-2.0"),
        },
        Rule {
            // The European Commission's reuse policy (Decision 2011/833/EU): reuse, commercial or not, with
            // the source acknowledged. Not on the SPDX list.
            re: r(
                r"(?i)\b(?:Commission\s+)?Decision\s+(?:of\s+12\s+December\s+2011\s+)?(?:\(?\s*)?2011/833(?:/EU)?\b",
            ),
            id: fixed("LicenseRef-EU-Commission-Decision-2011-833"),
        },
        Rule {
            re: r(
                r"(?i)\bEUPL[\s-]?v?(?P<v>1\.[12])\b|european\s+union\s+public\s+licen[cs]e[^.]{0,20}?(?P<v2>1\.[12])",
            ),
            id: |c| {
                let v = c.name("v").or(c.name("v2"))?.as_str();
                Some((format!("EUPL-{v}"), true))
            },
        },
    ]
});

static OR_LATER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)or\s*\(?\s*at\s+your\s+option\s*\)?\s*any\s+later\s+version|or\s+later\b|-or-later|\bGPL-?v?\d(?:\.\d)?\+|\(>=\s*\d")
        .unwrap()
});
static ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)version\s+\d(?:\.\d)?\s+only|-only\b").unwrap());
static CODE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:code|codebase|source\s+code|software|scripts?|program)\b").unwrap()
});
static DOC_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:documentation|docs|written\s+content|guidance|data(?:sets?)?|images|logos?|branding|reports?)\b").unwrap()
});
static DUAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)dual[\s-]licen[cs]ed\s+under|dual[\s-]licen[cs]ing|\b(?:under|by)\s+(?:the\s+terms\s+of\s+)?either\b|you\s+(?:may|can)\s+(?:choose|pick|select)|at\s+your\s+(?:option|choice|discretion)|\beither\s+(?:the\s+)?(?:MIT|OGL|Open\s+Government|Apache|GNU|GPL)")
        .unwrap()
});

/// Every licence the text names or links, in order of appearance, one per (id, line).
pub fn references(text: &str) -> Vec<Reference> {
    let mut out = mentions(text);
    // A port named on a line ("… 2.5 License](…/by-nc/2.5/scotland/)") is what that line's generic mention of
    // the same licence means.
    let ports: Vec<(usize, String)> = out
        .iter()
        .filter_map(|r| {
            let generic = generic_of_port(&r.id).map(str::to_owned).or_else(|| {
                spdx::license_id(&r.id)
                    .filter(|l| l.name == r.id && r.id.starts_with("CC-BY"))
                    .and_then(|_| r.id.rsplit_once('-'))
                    .filter(|(_, port)| port.chars().all(|c| c.is_ascii_uppercase()))
                    .map(|(generic, _)| generic.to_owned())
            })?;
            Some((r.line, generic))
        })
        .collect();
    out.retain(|r| {
        !ports
            .iter()
            .any(|(line, generic)| *line == r.line && *generic == r.id)
    });
    out.sort_by_key(|r| r.offset);
    out
}

/// Every mention of a licence by name or URL, in the order the rules read them, a port's generic mention
/// ("Creative Commons Attribution Non-Commercial 2.5" beside `…/by-nc/2.5/scotland/`) kept beside the port:
/// where the words that name a licence are, whichever licence they turn out to mean.
///
/// THE WORDS THAT NAME A LICENCE ARE READ WHOLE: where a full SPDX name covers the words a rule read and
/// goes on past them ("the Unlicense - libtelnet variant", "MIT License Modern Variant"), the longer name is
/// the licence named, unless it is the same licence with its GNU "only"/"or later" suffix: a rule's reading
/// of a prefix would otherwise name another licence than the one written, and one the policy may allow.
pub fn mentions(text: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let names = super::vocabulary::full_names(text);
    for rule in RULES.iter() {
        for caps in rule.re.captures_iter(text) {
            let whole = caps.get(0).expect("group 0 exists");
            // A later, looser rule must not re-read words an earlier rule already took.
            if spans
                .iter()
                .any(|&(s, e)| whole.start() < e && s < whole.end())
            {
                continue;
            }
            let Some((id, versioned)) = (rule.id)(&caps) else {
                continue;
            };
            let longer_name_of_another_licence = names.iter().any(|n| {
                n.start <= whole.start()
                    && whole.end() <= n.end
                    && n.end - n.start > whole.len()
                    && n.id != id
                    && n.id != format!("{id}-only")
                    && n.id != format!("{id}-or-later")
            });
            if longer_name_of_another_licence {
                continue;
            }
            spans.push((whole.start(), whole.end()));
            push(&mut out, text, whole.start(), whole.end(), id, versioned);
        }
    }
    // Any other licence named by its full SPDX name ("Mozilla Public License 1.1"), through the one
    // vocabulary ([`super::vocabulary`]), where no rule above read the words.
    for found in names {
        if spans.iter().any(|&(s, e)| found.start < e && s < found.end) {
            continue;
        }
        spans.push((found.start, found.end));
        push(
            &mut out,
            text,
            found.start,
            found.end,
            found.id.to_owned(),
            true,
        );
    }
    out
}

/// Record the licence `id` named by the words `start..end` of `text`, once per (id, line).
fn push(
    out: &mut Vec<Reference>,
    text: &str,
    start: usize,
    end: usize,
    id: String,
    versioned: bool,
) {
    let context = sentence(text, start, end);
    let or_later = if id.contains("GPL") {
        if OR_LATER.is_match(context) {
            Some(true)
        } else if ONLY.is_match(context) {
            Some(false)
        } else {
            None
        }
    } else {
        None
    };
    let line = text[..start].matches('\n').count() + 1;
    if !out.iter().any(|r| r.id == id && r.line == line) {
        out.push(Reference {
            id,
            line,
            scope: scope_of(context),
            versioned,
            or_later,
            matched: text[start..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            offset: start,
            end,
        });
    }
}

/// The sentence around a match: from the previous full stop or blank line to the next one.
fn sentence(text: &str, start: usize, end: usize) -> &str {
    let head = &text[..start];
    let from = [
        head.rfind(". "),
        head.rfind(".\n"),
        head.rfind("\n\n"),
        head.rfind("\n#"),
    ]
    .into_iter()
    .flatten()
    .max()
    .map(|p| p + 2)
    .unwrap_or(0)
    .min(start);
    let tail = &text[end..];
    let to = [
        tail.find(". "),
        tail.find(".\n"),
        tail.find("\n\n"),
        tail.find("\n#"),
    ]
    .into_iter()
    .flatten()
    .min()
    .map(|p| end + p)
    .unwrap_or(text.len());
    &text[from..to]
}

/// A parenthesis that leaves something out of a grant's subject ("(and is not part of the underlying
/// documentation framework or its dependencies)", "(excluding the images)"): what it names is what the grant
/// does not cover, so it says nothing of which kind of material the grant is for.
static LEFT_OUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\([^()]*\b(?:not|excluding|except|other\s+than)\b[^()]*\)").expect("left out")
});

fn scope_of(context: &str) -> Scope {
    let context = LEFT_OUT.replace_all(context, " ");
    let code = CODE_WORDS.is_match(&context);
    let docs = DOC_WORDS.is_match(&context);
    match (code, docs) {
        (true, false) => Scope::Code,
        (false, true) => Scope::Documentation,
        _ => Scope::Repository,
    }
}

/// Whether the text offers a choice between licences (dual licensing), as opposed to the GNU "or (at your
/// option) any later version" clause, which chooses between versions of one licence.
pub fn offers_choice(text: &str) -> bool {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    DUAL.find_iter(&flat).any(|m| {
        let tail: String = flat[m.end()..]
            .chars()
            .take(40)
            .collect::<String>()
            .to_lowercase();
        !(tail.contains("later version")
            || tail.trim_start_matches([')', ' ']).starts_with("any later"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        references(text).into_iter().map(|r| r.id).collect()
    }

    #[test]
    fn open_government_licence_versions_are_told_apart() {
        assert_eq!(
            ids("licensed under the Open Government Licence v3.0"),
            ["OGL-UK-3.0"]
        );
        assert_eq!(ids("the Open Government Licence version 2"), ["OGL-UK-2.0"]);
        assert_eq!(
            ids("see www.nationalarchives.gov.uk/doc/open-government-licence/version/1"),
            ["OGL-UK-1.0"]
        );
        assert_eq!(
            ids("under the terms of the Open Government 3.0 licence"),
            ["OGL-UK-3.0"]
        );
        assert_eq!(ids("Open Government Licence - Canada"), ["OGL-Canada-2.0"]);
        let unversioned =
            references("under the terms and conditions of the Open Government Licence, see it");
        assert_eq!(unversioned[0].id, "OGL-UK-3.0");
        assert!(!unversioned[0].versioned);
    }

    #[test]
    fn creative_commons_variants_are_told_apart() {
        assert_eq!(
            ids("https://creativecommons.org/licenses/by-nc-nd/4.0/"),
            ["CC-BY-NC-ND-4.0"]
        );
        assert_eq!(
            ids("Creative Commons Attribution-ShareAlike 4.0 International"),
            ["CC-BY-SA-4.0"]
        );
        assert_eq!(
            ids("a Creative Commons Attribution Non-Commercial 2.5 License"),
            ["CC-BY-NC-2.5"]
        );
        assert_eq!(ids("CC BY 4.0"), ["CC-BY-4.0"]);
        // Ports to a jurisdiction are their own licences: SPDX's id where it lists one.
        assert_eq!(
            ids(
                "[a Creative Commons Attribution Non-Commercial 2.5 License](http://creativecommons.org/licenses/by-nc/2.5/scotland/)"
            ),
            ["LicenseRef-CC-BY-NC-2.5-Scotland"]
        );
        assert_eq!(
            ids(
                "Creative Commons [Attribution-NonCommercial 2.5 UK: Scotland (CC BY-NC 2.5 SCOTLAND)](http://creativecommons.org/licenses/by-nc/2.5/scotland/)."
            ),
            ["LicenseRef-CC-BY-NC-2.5-Scotland"]
        );
        assert_eq!(
            ids("http://creativecommons.org/licenses/by-sa/2.0/uk/"),
            ["CC-BY-SA-2.0-UK"]
        );
        assert_eq!(
            ids("the Creative Commons Attribution Non-Commercial 2.5 Scotland licence"),
            ["LicenseRef-CC-BY-NC-2.5-Scotland"]
        );
        assert_eq!(
            ids("http://creativecommons.org/licenses/by-nc/2.5/legalcode"),
            ["CC-BY-NC-2.5"]
        );
        assert_eq!(
            generic_of_port("LicenseRef-CC-BY-NC-2.5-Scotland"),
            Some("CC-BY-NC-2.5")
        );
        assert_eq!(generic_of_port("LicenseRef-CC-BY-NC-2.5"), None);
        assert_eq!(generic_of_port("LicenseRef-Warwick-noncommercial"), None);
        assert_eq!(ids("CC-BY-NC-4.0"), ["CC-BY-NC-4.0"]);
    }

    #[test]
    fn gnu_licences_carry_only_or_later() {
        let r = references(
            "GNU General Public License as published by the Free Software\nFoundation, either version 3 of the License, or (at your option) any later\nversion.",
        );
        assert_eq!(r[0].id, "GPL-3.0");
        assert_eq!(r[0].or_later, Some(true));
        let r = references("It can be freely used under the `GNU GPL version 3 licence`_.");
        assert_eq!((r[0].id.as_str(), r[0].versioned), ("GPL-3.0", true));
        assert_eq!(ids("- GNU General Public License 2.0"), ["GPL-2.0"]);
        assert_eq!(ids("GNU Lesser General Public License, 3.0"), ["LGPL-3.0"]);
        let r = references("Licensed under the GNU Affero General Public License version 3 only.");
        assert_eq!(r[0].id, "AGPL-3.0");
        assert_eq!(r[0].or_later, Some(false));
    }

    #[test]
    fn scope_follows_the_sentence() {
        let text = "Unless stated otherwise, the codebase is released under the MIT Licence.\n\nThe documentation is © Crown copyright and available under the terms of the Open Government 3.0 licence.";
        let r = references(text);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].id.as_str(), &r[0].scope), ("MIT", &Scope::Code));
        assert_eq!(
            (r[1].id.as_str(), &r[1].scope),
            ("OGL-UK-3.0", &Scope::Documentation)
        );
    }

    #[test]
    fn what_a_subject_leaves_out_does_not_widen_its_scope() {
        let text = "The minimal code content in this repository that is specific to this site\n(and is not part of the underlying documentation framework or its dependencies)\nis licensed under the MIT License:";
        assert_eq!(references(text)[0].scope, Scope::Code);
        let docs =
            "The documentation (not the code) is available under the Open Government Licence v3.0.";
        assert_eq!(references(docs)[0].scope, Scope::Documentation);
    }

    #[test]
    fn choice_is_not_confused_with_later_versions() {
        assert!(offers_choice(
            "This project is dual licensed under MIT and OGL"
        ));
        assert!(offers_choice(
            "available under either the MIT licence or the OGL v3"
        ));
        assert!(!offers_choice(
            "either version 3 of the License, or (at your option) any later version."
        ));
        assert!(!offers_choice("the codebase is MIT; documentation is OGL"));
    }
}
