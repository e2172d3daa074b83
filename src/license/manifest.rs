//! The licence fields of package manifests, read as text and never executed: Cargo.toml, package.json,
//! pyproject.toml, setup.cfg, setup.py, R `DESCRIPTION`, `*.csproj` and `pom.xml`.
//!
//! Discovery hands each root manifest here; every licence declaration found becomes a `Manifest` candidate.
//! A declaration keeps what the file says (`raw`) and, where that maps to an SPDX expression without guessing
//! beyond a documented convention, the expression; every convention applied is said in `note`. The parsers are
//! tolerant on purpose: real manifests are often invalid (a duplicated TOML key, a stray quote in setup.cfg),
//! and a strict parser would then miss the one line that matters.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// One licence declaration in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The value as written (a `license-file` or `{file = ...}` gives the file name).
    pub raw: String,
    /// The SPDX expression, when the value maps to one.
    pub expression: Option<String>,
    /// 1-based line of the field in the manifest.
    pub line: usize,
    /// How the value was read where that is not obvious: a convention applied, an ambiguity, a defect.
    pub note: Option<String>,
    /// The file the declaration points to for the licence text or its details (`license-file`,
    /// `{file = ...}`, R's `+ file LICENSE`, npm's `SEE LICENSE IN ...`).
    pub file: Option<String>,
}
/// An SPDX expression read from a licence name, URL or classifier, and how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub expression: Option<String>,
    pub note: Option<String>,
    /// The file named for the licence text, if the value points to one.
    pub file: Option<String>,
    /// A GNU licence whose "or later" the value does not settle; read as `-only`.
    undecided_later: bool,
}

impl Mapping {
    fn spdx(expression: impl Into<String>) -> Self {
        Self {
            expression: Some(expression.into()),
            ..Self::default()
        }
    }

    fn with_note(mut self, note: impl Into<String>) -> Self {
        let note = note.into();
        self.note = Some(match self.note.take() {
            Some(first) => format!("{first}; {note}"),
            None => note,
        });
        self
    }

    fn unmapped(note: impl Into<String>) -> Self {
        Self {
            note: Some(note.into()),
            ..Self::default()
        }
    }

    /// No licence named: the value points to the file that holds it.
    fn pointer(file: &str) -> Self {
        Self {
            note: Some(format!("the licence is in the file `{file}`")),
            file: Some(file.to_owned()),
            ..Self::default()
        }
    }
}

/// Whether discovery should hand a root file of this name to [`declared_license`].
pub fn is_manifest(file_name: &str) -> bool {
    matches!(
        file_name,
        "Cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "setup.cfg"
            | "setup.py"
            | "DESCRIPTION"
            | "pom.xml"
    ) || file_name.to_ascii_lowercase().ends_with(".csproj")
}

/// The licence declarations in a manifest called `file_name` (its base name) whose text is `text`.
/// An unknown file name, or a manifest without a licence field, gives an empty list.
pub fn declared_license(file_name: &str, text: &str) -> Vec<Declared> {
    let mut declared = match file_name {
        "Cargo.toml" => from_cargo(text),
        "package.json" => from_package_json(text),
        "pyproject.toml" => from_pyproject(text),
        "setup.cfg" => from_setup_cfg(text),
        "setup.py" => from_setup_py(text),
        "DESCRIPTION" => from_r_description(text),
        "pom.xml" => from_pom(text),
        name if name.to_ascii_lowercase().ends_with(".csproj") => from_csproj(text),
        _ => Vec::new(),
    };
    settle_or_later_from_header(text, &mut declared);
    declared.into_iter().map(|(d, _)| d).collect()
}

fn declared(raw: &str, line: usize, mapping: Mapping) -> (Declared, bool) {
    let undecided = mapping.undecided_later;
    let d = Declared {
        raw: raw.to_owned(),
        expression: mapping.expression,
        line,
        note: mapping.note,
        file: mapping.file,
    };
    (d, undecided)
}

/// A GNU licence declared without "or later" (`LGPLv3`) is read as `-only`, unless the same file carries the
/// licence's own header granting "version N ... or (at your option) any later version" (isodatetime's
/// pyproject.toml does): then it is `-or-later`, and the note says which line settled it.
fn settle_or_later_from_header(text: &str, declared: &mut [(Declared, bool)]) {
    static LATER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)version (\d(?:\.\d)?) of the license,? or (?:\(at your option\) )?any later version")
            .expect("valid regex")
    });
    if !declared.iter().any(|(_, undecided)| *undecided) {
        return;
    }
    // The comment lines, joined, so that the phrase may span lines.
    let comments: Vec<&str> = text
        .lines()
        .filter_map(|line| {
            let trimmed = line.trim_start();
            ["#", "//", "/*", "*"]
                .iter()
                .find_map(|marker| trimmed.strip_prefix(marker))
        })
        .collect();
    let joined = comments
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for captures in LATER.captures_iter(&joined) {
        let version = normalise_version(&captures[1]);
        let needle = format!("version {}", &captures[1]);
        let line = text
            .lines()
            .position(|l| l.to_ascii_lowercase().contains(&needle))
            .map_or(1, |i| i + 1);
        for (d, undecided) in declared.iter_mut().filter(|(_, undecided)| *undecided) {
            let Some(base) = d
                .expression
                .as_deref()
                .and_then(|e| e.strip_suffix("-only"))
            else {
                continue;
            };
            if !base.ends_with(&format!("-{version}")) {
                continue;
            }
            d.expression = Some(format!("{base}-or-later"));
            let settled = format!(
                "`{}` does not say whether later versions apply; this file's licence header (line {line}) grants \
                 \"any later version\"",
                d.raw
            );
            let kept: Vec<String> = d
                .note
                .take()
                .into_iter()
                .flat_map(|n| n.split("; ").map(str::to_owned).collect::<Vec<_>>())
                .filter(|part| !part.contains("whether later versions apply"))
                .chain(std::iter::once(settled))
                .collect();
            d.note = Some(kept.join("; "));
            *undecided = false;
        }
    }
}

fn normalise_version(version: &str) -> String {
    if version.contains('.') {
        version.to_owned()
    } else {
        format!("{version}.0")
    }
}

// ---------------------------------------------------------------------------------------------------------
// Names, URLs and classifiers → SPDX

/// Read a licence as named in a manifest (`MIT`, `Apache License 2.0`, `GPL (>= 2)`, `LGPLv3`, `OGL`, or an
/// SPDX expression such as `MIT OR Apache-2.0`) as an SPDX expression.
pub fn license_from_name(raw: &str) -> Mapping {
    let value = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if value.is_empty() {
        return Mapping::unmapped("empty value");
    }
    if let Some(mapping) = spdx_expression(value) {
        return mapping;
    }
    named_license(value)
}

/// A valid SPDX expression, tolerating `/` for OR, `+` on GNU ids and deprecated ids (`GPL-2.0`), but not the
/// spdx crate's "imprecise names" (it reads `gnu gpl v2` as GPL-3.0 and bare `bsd` as BSD-2-Clause).
fn spdx_expression(value: &str) -> Option<Mapping> {
    let mode = spdx::ParseMode {
        allow_slash_as_or_operator: true,
        allow_imprecise_license_names: false,
        allow_postfix_plus_on_gpl: true,
        allow_deprecated: true,
        allow_unknown: false,
    };
    spdx::Expression::parse_mode(value, mode).ok()?;
    // With no imprecise names in the input, canonicalising only rewrites `/`, `+` and deprecated GNU ids.
    let canonical = spdx::Expression::canonicalize(value).ok()?;
    Some(match canonical {
        Some(canonical) if canonical != value => {
            let mut mapping = Mapping::spdx(&canonical);
            let deprecated_gnu = canonical.contains("-only") && !value.contains("-only");
            mapping.undecided_later = deprecated_gnu;
            mapping.with_note(format!("written `{value}`; SPDX form `{canonical}`"))
        }
        _ => Mapping::spdx(value),
    })
}

fn named_license(value: &str) -> Mapping {
    let lower = value
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lower = lower.strip_prefix("the ").unwrap_or(&lower).to_owned();
    if let Some(mapping) = gnu_license(&lower) {
        return mapping;
    }
    if let Some(mapping) = ogl_license(&lower) {
        return mapping;
    }
    if let Some(mapping) = creative_commons(&lower) {
        return mapping;
    }
    static APACHE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:apache|asl)(?:[ -]software)?(?:[ -]licen[cs]e)?[ ,-]*(?:v(?:ersion)?\.? ?)?(?:\(== ?)?(2(?:\.0)?)?\)?(?: licen[cs]e)?$",
        )
        .expect("valid regex")
    });
    if let Some(captures) = APACHE.captures(&lower) {
        return match captures.get(1) {
            Some(_) => Mapping::spdx("Apache-2.0"),
            None => Mapping::spdx("Apache-2.0").with_note(
                "no version stated; read as Apache-2.0 (versions 1.0 and 1.1 are long obsolete)",
            ),
        };
    }
    let simple: &[(&[&str], &str)] = &[
        (
            &[
                "mit",
                "mit license",
                "mit licence",
                "expat",
                "expat license",
            ],
            "MIT",
        ),
        (&["isc", "isc license", "isc licence", "iscl"], "ISC"),
        (
            &[
                "bsd 3 clause",
                "bsd-3-clause",
                "bsd 3-clause",
                "bsd_3_clause",
                "bsd 3-clause license",
                "bsd-3",
                "bsd3",
                "new bsd",
                "new bsd license",
                "modified bsd",
                "modified bsd license",
                "revised bsd",
            ],
            "BSD-3-Clause",
        ),
        (
            &[
                "bsd 2 clause",
                "bsd-2-clause",
                "bsd 2-clause",
                "bsd_2_clause",
                "bsd 2-clause license",
                "bsd-2",
                "bsd2",
                "simplified bsd",
                "simplified bsd license",
                "freebsd",
            ],
            "BSD-2-Clause",
        ),
        (
            &[
                "mpl 2.0",
                "mpl-2",
                "mpl2",
                "mpl 2",
                "mozilla public license 2.0",
                "mozilla public licence 2.0",
            ],
            "MPL-2.0",
        ),
        (&["mpl 1.1", "mozilla public license 1.1"], "MPL-1.1"),
        (&["unlicense", "unlicense license"], "Unlicense"),
        (
            &[
                "cc0",
                "cc0 1.0",
                "cc0 1.0 universal",
                "cc-0",
                "creative commons zero",
            ],
            "CC0-1.0",
        ),
        (
            &[
                "eupl 1.2",
                "eupl-1.2",
                "eupl v1.2",
                "european union public licence 1.2",
                "european union public license 1.2",
            ],
            "EUPL-1.2",
        ),
        (
            &[
                "eupl 1.1",
                "eupl v1.1",
                "european union public licence 1.1",
                "european union public license 1.1",
            ],
            "EUPL-1.1",
        ),
        (
            &["artistic 2.0", "artistic-2.0", "artistic license 2.0"],
            "Artistic-2.0",
        ),
        (
            &[
                "psf",
                "psf license",
                "python software foundation license",
                "psfl",
            ],
            "PSF-2.0",
        ),
        (&["zlib", "zlib license", "zlib/libpng license"], "Zlib"),
        (
            &[
                "boost",
                "boost software license",
                "boost software license 1.0",
                "bsl 1.0",
            ],
            "BSL-1.0",
        ),
        (&["wtfpl"], "WTFPL"),
    ];
    for (names, id) in simple {
        if names.contains(&lower.as_str()) {
            return Mapping::spdx(*id);
        }
    }
    let unmapped: &[(&[&str], &str)] = &[
        (
            &["bsd", "bsd license", "bsd licence"],
            "BSD without a clause count: 2-clause or 3-clause cannot be told",
        ),
        (
            &["public domain", "public-domain"],
            "\"public domain\" is not a licence with an SPDX id",
        ),
        (
            &[
                "proprietary",
                "other/proprietary license",
                "commercial",
                "all rights reserved",
                "closed source",
            ],
            "proprietary: no licence is granted",
        ),
        (
            &["unlicensed"],
            "npm `UNLICENSED`: no licence is granted (not the Unlicense)",
        ),
        (
            &["unlimited"],
            "R `Unlimited`: no restrictions stated, but no SPDX id",
        ),
        (
            &["file license", "file licence"],
            "the licence is only in the file named",
        ),
        (
            &[
                "eupl",
                "european union public licence",
                "european union public license",
            ],
            "EUPL without a version",
        ),
        (&["mpl", "mozilla public license"], "MPL without a version"),
        (
            &["other", "unknown", "see license", "see licence", "none"],
            "no licence named",
        ),
    ];
    for (names, note) in unmapped {
        if names.contains(&lower.as_str()) {
            return Mapping::unmapped(*note);
        }
    }
    static SEE_FILE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^see licen[cs]e in\s+(\S.*)$").expect("valid regex"));
    if let Some(captures) = SEE_FILE.captures(value) {
        return Mapping::pointer(captures[1].trim());
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return license_from_url(value);
    }
    Mapping::unmapped("not an SPDX expression or a known licence name")
}

/// `GPL-3`, `GPLv2+`, `GPL (>= 2)`, `GNU Lesser General Public License v3`, `LGPL-2.1`, `AGPL-3.0-or-later` ...
fn gnu_license(lower: &str) -> Option<Mapping> {
    static GNU: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:gnu[ -]?)?(?P<family>agpl|lgpl|gpl|affero general public licen[cs]e|(?:lesser|library) general public licen[cs]e|general public licen[cs]e)[ ,-]*(?:v(?:ersion)?\.? ?)?(?P<version>\d(?:\.\d)?)?(?: ?\((?:a|l)?gplv?\d?(?:\.\d)?\+?\))? ?(?P<later>\+|or later|-or-later|or any later version|\(?>= ?(?P<minimum>\d(?:\.\d)?)\)?)?(?P<only>-?only)?$",
        )
        .expect("valid regex")
    });
    let captures = GNU.captures(lower)?;
    let family = match &captures["family"] {
        f if f.starts_with('a') => "AGPL",
        f if f.starts_with('l') => "LGPL",
        _ => "GPL",
    };
    let version = captures
        .name("version")
        .or(captures.name("minimum"))
        .map(|m| m.as_str());
    let Some(version) = version else {
        return Some(Mapping::unmapped(format!("{family} without a version")));
    };
    let version = match (family, version) {
        ("LGPL", "2") => "2.0".to_owned(),
        (_, v) => normalise_version(v),
    };
    let base = format!("{family}-{version}");
    let or_later = captures.name("later").is_some();
    let id = format!("{base}-{}", if or_later { "or-later" } else { "only" });
    spdx::license_id(&id)?;
    let mut mapping = Mapping::spdx(&id);
    if !or_later && captures.name("only").is_none() {
        mapping.undecided_later = true;
        mapping = mapping.with_note(format!(
            "does not say whether later versions apply, so read as {family} {version} only"
        ));
    }
    Some(mapping)
}

/// `OGL`, `Open Government Licence v3.0`, `OGL-UK-2.0`, `Open Government Licence - Canada`.
fn ogl_license(lower: &str) -> Option<Mapping> {
    static OGL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:uk )?(?:ogl|open government licen[cs]e)(?: for public sector information)?(?P<canada>[ -]*canada)?(?:[ -]*uk)?[ ,-]*(?:v(?:ersion)?\.? ?)?(?P<version>[123](?:\.0)?)?(?: licen[cs]e)?$",
        )
        .expect("valid regex")
    });
    let captures = OGL.captures(lower)?;
    if captures.name("canada").is_some() {
        return Some(Mapping::spdx("OGL-Canada-2.0"));
    }
    Some(match captures.name("version") {
        Some(version) => Mapping::spdx(format!("OGL-UK-{}", normalise_version(&version.as_str()[..1]))),
        None => Mapping::spdx("OGL-UK-3.0").with_note(
            "OGL with no version: read as OGL-UK-3.0, the version in use since 2014 (every version permits \
             re-use with attribution)",
        ),
    })
}

/// `CC BY 4.0`, `CC-BY-SA-4.0`, `Creative Commons Attribution 4.0` ...
fn creative_commons(lower: &str) -> Option<Mapping> {
    static CC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:cc|creative commons)[ -]?(?P<parts>by(?:[ -](?:nc|nd|sa))*)(?: licen[cs]e)?[ -]?(?:v(?:ersion)?\.? ?)?(?P<version>\d\.\d)?(?: international)?(?: licen[cs]e)?$")
            .expect("valid regex")
    });
    let captures = CC.captures(lower)?;
    let parts: Vec<String> = captures["parts"]
        .split([' ', '-'])
        .map(|p| p.to_ascii_uppercase())
        .collect();
    let name = format!("CC-{}", parts.join("-"));
    let Some(version) = captures.name("version") else {
        return Some(Mapping::unmapped(format!("{name} without a version")));
    };
    let id = format!("{name}-{}", version.as_str());
    spdx::license_id(&id)?;
    Some(Mapping::spdx(id))
}

/// A licence URL (pom.xml `<url>`, a `PackageLicenseUrl`) → SPDX.
pub fn license_from_url(url: &str) -> Mapping {
    static PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            (r"apache\.org/licenses/license-2\.0", "Apache-2.0"),
            (r"opensource\.org/licenses?/mit(?:[-.]|$|/)", "MIT"),
            (r"opensource\.org/licenses?/isc", "ISC"),
            (r"opensource\.org/licenses?/bsd-3-clause", "BSD-3-Clause"),
            (r"opensource\.org/licenses?/bsd-2-clause", "BSD-2-Clause"),
            (r"mozilla\.org/(?:en-us/)?mpl/2\.0", "MPL-2.0"),
            (r"gnu\.org/licenses/agpl-3\.0", "AGPL-3.0"),
            (r"gnu\.org/licenses/lgpl-3\.0", "LGPL-3.0"),
            (r"gnu\.org/licenses/(?:old-licenses/)?lgpl-2\.1", "LGPL-2.1"),
            (r"gnu\.org/licenses/gpl-3\.0", "GPL-3.0"),
            (r"gnu\.org/licenses/(?:old-licenses/)?gpl-2\.0", "GPL-2.0"),
            (r"open-government-licence/version/([123])", "OGL-UK-$1.0"),
            (r"creativecommons\.org/publicdomain/zero/1\.0", "CC0-1.0"),
            (r"eupl.*1\.2", "EUPL-1.2"),
            (r"unlicense\.org", "Unlicense"),
        ]
        .into_iter()
        .map(|(pattern, id)| {
            (
                Regex::new(&format!("(?i){pattern}")).expect("valid regex"),
                id,
            )
        })
        .collect()
    });
    static CC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)creativecommons\.org/licenses/(by(?:-nc)?(?:-nd|-sa)?)/(\d\.\d)")
            .expect("valid regex")
    });
    static SPDX_ORG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)spdx\.org/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?$")
            .expect("valid regex")
    });
    static OGL_UNVERSIONED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)open-government-licence/?$").expect("valid regex"));

    let url = url.trim();
    if let Some(captures) = CC.captures(url) {
        let id = format!("CC-{}-{}", captures[1].to_ascii_uppercase(), &captures[2]);
        if spdx::license_id(&id).is_some() {
            return Mapping::spdx(id);
        }
    }
    if let Some(captures) = SPDX_ORG.captures(url)
        && let Some(mapping) = spdx_expression(&captures[1])
    {
        return mapping;
    }
    for (pattern, id) in PATTERNS.iter() {
        if let Some(captures) = pattern.captures(url) {
            let mut id_text = String::new();
            captures.expand(id, &mut id_text);
            if ["GPL-", "LGPL-", "AGPL-"]
                .iter()
                .any(|family| id_text.starts_with(family))
            {
                let mut mapping = Mapping::spdx(format!("{id_text}-only"));
                mapping.undecided_later = true;
                return mapping.with_note(format!(
                    "a link to the licence text does not say whether later versions apply, so read as {id_text} only"
                ));
            }
            return Mapping::spdx(id_text);
        }
    }
    if OGL_UNVERSIONED.is_match(url) {
        return Mapping::spdx("OGL-UK-3.0")
            .with_note("OGL link with no version: read as OGL-UK-3.0");
    }
    Mapping::unmapped("not a known licence URL")
}

/// A trove classifier (`License :: OSI Approved :: MIT License`) → SPDX. Classifiers that PyPI does not know
/// (pygom's `License :: OSI Approved :: GPL2`) are read as licence names, and said to be invalid.
pub fn license_from_classifier(classifier: &str) -> Option<Mapping> {
    let tail = classifier.trim().strip_prefix("License ::")?.trim();
    let tail = tail.strip_prefix("OSI Approved ::").unwrap_or(tail).trim();
    if tail.is_empty() || tail == "OSI Approved" {
        return Some(Mapping::unmapped("classifier names no licence"));
    }
    let undecided = |id: &str, family: &str| {
        let mut m = Mapping::spdx(id);
        m.undecided_later = true;
        m.with_note(format!(
            "the classifier does not say whether later versions apply, so read as {family} only"
        ))
    };
    let known = match tail {
        "MIT License" => Mapping::spdx("MIT"),
        "MIT No Attribution License (MIT-0)" => Mapping::spdx("MIT-0"),
        "Apache Software License" => Mapping::spdx("Apache-2.0")
            .with_note("the classifier gives no version; read as Apache-2.0"),
        "BSD License" => {
            Mapping::unmapped("BSD without a clause count: 2-clause or 3-clause cannot be told")
        }
        "ISC License (ISCL)" => Mapping::spdx("ISC"),
        "GNU General Public License v2 (GPLv2)" => undecided("GPL-2.0-only", "GPL 2.0"),
        "GNU General Public License v2 or later (GPLv2+)" => Mapping::spdx("GPL-2.0-or-later"),
        "GNU General Public License v3 (GPLv3)" => undecided("GPL-3.0-only", "GPL 3.0"),
        "GNU General Public License v3 or later (GPLv3+)" => Mapping::spdx("GPL-3.0-or-later"),
        "GNU General Public License (GPL)" => Mapping::unmapped("GPL without a version"),
        "GNU Lesser General Public License v2 (LGPLv2)" => undecided("LGPL-2.0-only", "LGPL 2.0"),
        "GNU Lesser General Public License v2 or later (LGPLv2+)" => {
            Mapping::spdx("LGPL-2.0-or-later")
        }
        "GNU Lesser General Public License v3 (LGPLv3)" => undecided("LGPL-3.0-only", "LGPL 3.0"),
        "GNU Lesser General Public License v3 or later (LGPLv3+)" => {
            Mapping::spdx("LGPL-3.0-or-later")
        }
        "GNU Library or Lesser General Public License (LGPL)" => {
            Mapping::unmapped("LGPL without a version")
        }
        "GNU Affero General Public License v3" => undecided("AGPL-3.0-only", "AGPL 3.0"),
        "GNU Affero General Public License v3 or later (AGPLv3+)" => {
            Mapping::spdx("AGPL-3.0-or-later")
        }
        "Mozilla Public License 2.0 (MPL 2.0)" => Mapping::spdx("MPL-2.0"),
        "Mozilla Public License 1.1 (MPL 1.1)" => Mapping::spdx("MPL-1.1"),
        "The Unlicense (Unlicense)" => Mapping::spdx("Unlicense"),
        "Eclipse Public License 2.0 (EPL-2.0)" => Mapping::spdx("EPL-2.0"),
        "Eclipse Public License 1.0 (EPL-1.0)" => Mapping::spdx("EPL-1.0"),
        "European Union Public Licence 1.2 (EUPL 1.2)" => Mapping::spdx("EUPL-1.2"),
        "European Union Public Licence 1.1 (EUPL 1.1)" => Mapping::spdx("EUPL-1.1"),
        "Python Software Foundation License" => Mapping::spdx("PSF-2.0"),
        "zlib/libpng License" => Mapping::spdx("Zlib"),
        "Boost Software License 1.0 (BSL-1.0)" => Mapping::spdx("BSL-1.0"),
        "University of Illinois/NCSA Open Source License" => Mapping::spdx("NCSA"),
        "Universal Permissive License (UPL)" => Mapping::spdx("UPL-1.0"),
        "Historical Permission Notice and Disclaimer (HPND)" => Mapping::spdx("HPND"),
        "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication" => Mapping::spdx("CC0-1.0"),
        "Public Domain" => Mapping::unmapped("\"public domain\" is not a licence with an SPDX id"),
        "Other/Proprietary License" => Mapping::unmapped("proprietary: no licence is granted"),
        "Freely Distributable" | "Freeware" => Mapping::unmapped("no licence named"),
        other => {
            let mut mapping = named_license(other);
            let invalid = format!("`{}` is not a PyPI classifier", classifier.trim());
            mapping.note = Some(match mapping.note.take() {
                Some(note) => format!("{invalid}; {note}"),
                None => invalid,
            });
            return Some(mapping);
        }
    };
    Some(known)
}

// ---------------------------------------------------------------------------------------------------------
// File formats

type Found = Vec<(Declared, bool)>;

/// One `key = value` of a TOML file, with the table it sits in, read line by line so that an invalid file
/// (a duplicated key) still yields its other fields.
struct TomlField {
    /// Full dotted path: `[project]` + `license.text` → `project.license.text`.
    path: String,
    value: toml::Value,
    line: usize,
}

fn toml_fields(text: &str, wanted: &dyn Fn(&str) -> bool) -> Vec<TomlField> {
    let lines: Vec<&str> = text.lines().collect();
    let mut fields = Vec::new();
    let mut table = String::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        index += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            let name = line.trim_start_matches('[');
            let name = name.split(']').next().unwrap_or_default();
            table = toml_key(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = toml_key(key);
        let path = if table.is_empty() {
            key
        } else {
            format!("{table}.{key}")
        };
        if !wanted(&path) {
            continue;
        }
        // A value may span lines (arrays, inline tables, multi-line strings): add lines until it parses.
        let start = index;
        let mut source = format!("v = {value}");
        let mut parsed = toml::from_str::<toml::Table>(&source);
        let mut next = start;
        while parsed.is_err() && next < lines.len() && next - start < 500 {
            source.push('\n');
            source.push_str(lines[next]);
            next += 1;
            parsed = toml::from_str::<toml::Table>(&source);
        }
        if let Ok(mut parsed) = parsed
            && let Some(value) = parsed.remove("v")
        {
            fields.push(TomlField {
                path,
                value,
                line: start,
            });
            index = next;
        }
    }
    fields
}

fn toml_key(key: &str) -> String {
    key.split('.')
        .map(|part| part.trim().trim_matches(|c| c == '"' || c == '\''))
        .collect::<Vec<_>>()
        .join(".")
}

/// Strict TOML parse, for a note when the file is invalid (the fields were still read).
fn toml_defect(text: &str) -> Option<String> {
    let error = toml::from_str::<toml::Table>(text).err()?;
    let line = error.span().map(|span| line_at(text, span.start));
    let message = error.message().trim().to_owned();
    Some(match line {
        Some(line) => format!(
            "the file is not valid TOML (line {line}: {message}); fields were read one by one"
        ),
        None => format!("the file is not valid TOML ({message}); fields were read one by one"),
    })
}

fn with_defect(mut found: Found, defect: Option<String>) -> Found {
    if let Some(defect) = defect {
        for (d, _) in &mut found {
            d.note = Some(match d.note.take() {
                Some(note) => format!("{note}; {defect}"),
                None => defect.clone(),
            });
        }
    }
    found
}

/// A `license` value in TOML: a string, or PEP 621's `{text = ...}` / `{file = ...}`.
fn toml_license(field: &TomlField) -> Option<(Declared, bool)> {
    match &field.value {
        toml::Value::String(value) => Some(declared(value, field.line, license_from_name(value))),
        toml::Value::Table(table) => {
            if let Some(toml::Value::String(text)) = table.get("text") {
                Some(declared(text, field.line, license_from_name(text)))
            } else if let Some(toml::Value::String(file)) = table.get("file") {
                Some(declared(file, field.line, Mapping::pointer(file)))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The `License ::` classifiers of an array, each with the line it is written on.
fn toml_classifiers(text: &str, field: &TomlField) -> Found {
    let toml::Value::Array(items) = &field.value else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut search_from = field.line - 1;
    let mut found = Vec::new();
    for classifier in items.iter().filter_map(toml::Value::as_str) {
        let at = lines
            .iter()
            .skip(search_from)
            .position(|l| l.contains(classifier))
            .map(|i| search_from + i);
        if let Some(at) = at {
            search_from = at;
        }
        if let Some(mapping) = license_from_classifier(classifier) {
            found.push(declared(
                classifier,
                at.map_or(field.line, |i| i + 1),
                mapping,
            ));
        }
    }
    found
}

/// The 1-based line holding byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn from_cargo(text: &str) -> Found {
    let wanted = |path: &str| {
        matches!(
            path,
            "package.license"
                | "package.license-file"
                | "package.license.workspace"
                | "workspace.package.license"
        )
    };
    let mut found = Vec::new();
    for field in toml_fields(text, &wanted) {
        match (field.path.as_str(), &field.value) {
            ("package.license" | "workspace.package.license", toml::Value::String(value)) => {
                found.push(declared(value, field.line, license_from_name(value)));
            }
            ("package.license-file", toml::Value::String(file)) => {
                found.push(declared(file, field.line, Mapping::pointer(file)))
            }
            ("package.license.workspace", toml::Value::Boolean(true)) => found.push(declared(
                "workspace = true",
                field.line,
                Mapping::unmapped("inherited from the workspace's Cargo.toml"),
            )),
            _ => {}
        }
    }
    with_defect(found, toml_defect(text))
}

fn from_pyproject(text: &str) -> Found {
    let wanted = |path: &str| {
        matches!(
            path,
            "project.license"
                | "project.license.text"
                | "project.license.file"
                | "project.classifiers"
                | "tool.poetry.license"
                | "tool.poetry.classifiers"
        )
    };
    let mut found = Vec::new();
    for field in toml_fields(text, &wanted) {
        match field.path.as_str() {
            "project.license" | "tool.poetry.license" => found.extend(toml_license(&field)),
            "project.license.text" | "project.license.file" => {
                let key = if field.path.ends_with("text") {
                    "text"
                } else {
                    "file"
                };
                let mut table = toml::Table::new();
                table.insert(key.to_owned(), field.value.clone());
                let as_table = TomlField {
                    path: field.path.clone(),
                    value: toml::Value::Table(table),
                    line: field.line,
                };
                found.extend(toml_license(&as_table));
            }
            _ => found.extend(toml_classifiers(text, &field)),
        }
    }
    with_defect(found, toml_defect(text))
}

/// The line of each top-level key of a JSON object (serde_json gives values, not positions).
fn json_key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let (mut depth, mut line) = (0usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut last_string: Option<(String, usize)> = None;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '"' => {
                let start = line;
                let mut value = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                value.push(escaped);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            value.push(c);
                        }
                        c => value.push(c),
                    }
                }
                last_string = Some((value, start));
                continue;
            }
            ':' if depth == 1 => {
                if let Some((key, at)) = last_string.take() {
                    lines.entry(key).or_insert(at);
                }
            }
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !c.is_whitespace() {
            last_string = None;
        }
    }
    lines
}

fn from_package_json(text: &str) -> Found {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => return package_json_by_pattern(text, &error),
    };
    let lines = json_key_lines(text);
    let mut found = Vec::new();
    let line_of = |key: &str| lines.get(key).copied().unwrap_or(1);
    match value.get("license") {
        Some(serde_json::Value::String(license)) => {
            found.push(declared(
                license,
                line_of("license"),
                license_from_name(license),
            ));
        }
        Some(serde_json::Value::Object(object)) => {
            if let Some(kind) = object.get("type").and_then(serde_json::Value::as_str) {
                let mapping =
                    license_from_name(kind).with_note("legacy `{type, url}` form of `license`");
                found.push(declared(kind, line_of("license"), mapping));
            }
        }
        _ => {}
    }
    if let Some(serde_json::Value::Array(items)) = value.get("licenses") {
        let several = items.len() > 1;
        for item in items {
            let kind = match item {
                serde_json::Value::String(kind) => Some(kind.as_str()),
                serde_json::Value::Object(object) => {
                    object.get("type").and_then(serde_json::Value::as_str)
                }
                _ => None,
            };
            let Some(kind) = kind else { continue };
            let mut mapping = license_from_name(kind).with_note("legacy `licenses` array");
            if several {
                mapping =
                    mapping.with_note("one of several listed: npm reads the list as a choice (OR)");
            }
            found.push(declared(kind, line_of("licenses"), mapping));
        }
    }
    found
}

fn package_json_by_pattern(text: &str, error: &serde_json::Error) -> Found {
    static LICENSE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""license"\s*:\s*"([^"\n]*)""#).expect("valid regex"));
    let defect = format!("the file is not valid JSON ({error}); read by pattern");
    LICENSE
        .captures_iter(text)
        .map(|captures| {
            let line = line_at(text, captures.get(0).expect("match").start());
            declared(
                &captures[1],
                line,
                license_from_name(&captures[1]).with_note(defect.clone()),
            )
        })
        .collect()
}

/// setup.cfg: `[metadata]` `license`, `license_file(s)` and the `License ::` classifiers, with INI
/// continuation lines.
fn from_setup_cfg(text: &str) -> Found {
    let mut found = Vec::new();
    let mut section = String::new();
    let mut key: Option<(String, usize)> = None;
    for (index, raw_line) in text.lines().enumerate() {
        let line_number = index + 1;
        let trimmed = raw_line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if raw_line.starts_with([' ', '\t']) && !trimmed.is_empty() {
            // A continuation of the current key.
            if section == "metadata"
                && let Some((name, _)) = &key
                && name == "classifiers"
            {
                let classifier = trimmed.trim_matches(|c| c == '"' || c == '\'' || c == ',');
                if let Some(mapping) = license_from_classifier(classifier) {
                    found.push(declared(classifier, line_number, mapping));
                }
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            section = name.trim().to_owned();
            key = None;
            continue;
        }
        let Some(split) = trimmed.find(['=', ':']) else {
            continue;
        };
        let name = trimmed[..split]
            .trim()
            .replace('-', "_")
            .to_ascii_lowercase();
        let value = trimmed[split + 1..].trim();
        key = Some((name.clone(), line_number));
        if section != "metadata" || value.is_empty() {
            continue;
        }
        match name.as_str() {
            "license" | "license_expression" => {
                found.push(declared(value, line_number, license_from_name(value)))
            }
            "license_file" | "license_files" => {
                found.push(declared(value, line_number, Mapping::pointer(value)))
            }
            "classifiers" => {
                if let Some(mapping) = license_from_classifier(value) {
                    found.push(declared(value, line_number, mapping));
                }
            }
            _ => {}
        }
    }
    found
}

/// setup.py, read as text with patterns (it is a program: never run it).
fn from_setup_py(text: &str) -> Found {
    static LICENSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"\b(license(?:_expression)?)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z_][\w.]*))"#,
        )
        .expect("valid regex")
    });
    static CLASSIFIER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"["'](License ::[^"'\n]+)["']"#).expect("valid regex"));
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        if let Some(captures) = LICENSE.captures(code) {
            let literal = captures.get(2).or(captures.get(3));
            match (literal, captures.get(4)) {
                (Some(value), _) => found.push(declared(
                    value.as_str(),
                    index + 1,
                    license_from_name(value.as_str()),
                )),
                (None, Some(name)) => found.push(declared(
                    name.as_str(),
                    index + 1,
                    Mapping::unmapped(format!(
                        "`{}={}` is not a string literal; not evaluated",
                        &captures[1],
                        name.as_str()
                    )),
                )),
                _ => {}
            }
        }
        for captures in CLASSIFIER.captures_iter(code) {
            if let Some(mapping) = license_from_classifier(&captures[1]) {
                found.push(declared(&captures[1], index + 1, mapping));
            }
        }
    }
    found
}

/// R `DESCRIPTION` (Debian control format): the `License:` field, in R's own notation — `|` separates
/// alternatives and `+ file LICENSE` adds a file.
fn from_r_description(text: &str) -> Found {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("License:")) else {
        return Vec::new();
    };
    let mut value = lines[start]["License:".len()..].trim().to_owned();
    for continuation in lines[start + 1..]
        .iter()
        .take_while(|l| l.starts_with([' ', '\t']))
    {
        value.push(' ');
        value.push_str(continuation.trim());
    }
    vec![declared(&value, start + 1, r_license(&value))]
}

fn r_license(value: &str) -> Mapping {
    static R_VERSION_ONLY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(A|L)?GPL-\d(\.\d)?$").expect("valid regex"));
    static PLUS_FILE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*\+\s*file\s+(LICEN[CS]E(?:\.\w+)?)\s*$").expect("valid regex")
    });
    let mut expressions = Vec::new();
    let mut notes = Vec::new();
    let mut undecided = false;
    let mut files: Vec<String> = Vec::new();
    for part in value.split('|') {
        let part = part.trim();
        let (name, file) = match PLUS_FILE.captures(part) {
            Some(captures) => (
                &part[..captures.get(0).expect("match").start()],
                Some(captures[1].to_owned()),
            ),
            None => (part, None),
        };
        let name = name.trim();
        // R's database spells versions with a dash: GPL-2, GPL-3, LGPL-2.1, AGPL-3 mean that version only.
        let r_only = R_VERSION_ONLY.is_match(name);
        let mapping = if name.eq_ignore_ascii_case("file LICENSE")
            || name.eq_ignore_ascii_case("file LICENCE")
        {
            Mapping::pointer(&name["file ".len()..])
        } else {
            license_from_name(name)
        };
        let file_named = file.clone();
        match (&mapping.expression, file) {
            (Some(expression), Some(file))
                if ["MIT", "BSD-2-Clause", "BSD-3-Clause"].contains(&expression.as_str()) =>
            {
                notes.push(format!("`+ file {file}` holds the year and copyright holder for the {expression} template, not another licence"));
            }
            (_, Some(file)) => notes.push(format!("`+ file {file}` may add terms: read that file")),
            _ => {}
        }
        if r_only {
            notes.push(format!(
                "R's licence database defines `{name}` as that version only"
            ));
        } else if let Some(note) = &mapping.note {
            notes.push(note.clone());
            undecided |= mapping.undecided_later;
        }
        if let Some(file) = file_named.clone() {
            files.push(file);
        }
        match mapping.expression {
            Some(expression) => expressions.push(expression),
            None => {
                return Mapping {
                    note: Some(notes.join("; ")),
                    file: mapping.file.or(file_named),
                    ..Mapping::default()
                };
            }
        }
    }
    let expression = if expressions.len() > 1 {
        expressions
            .iter()
            .map(|e| {
                if e.contains(' ') {
                    format!("({e})")
                } else {
                    e.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    } else {
        expressions.pop().unwrap_or_default()
    };
    Mapping {
        expression: Some(expression),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
        file: files.into_iter().next(),
        undecided_later: undecided,
    }
}

fn xml_line(document: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> usize {
    document.text_pos_at(node.range().start).row as usize
}

fn xml_text(node: roxmltree::Node<'_, '_>) -> String {
    node.text().unwrap_or_default().trim().to_owned()
}

/// `*.csproj`: `<PackageLicenseExpression>`, `<PackageLicenseFile>`, the deprecated `<PackageLicenseUrl>`.
fn from_csproj(text: &str) -> Found {
    let document = match roxmltree::Document::parse(text) {
        Ok(document) => document,
        Err(error) => return xml_by_pattern(text, "PackageLicenseExpression", &error),
    };
    let mut found = Vec::new();
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        let value = xml_text(node);
        if value.is_empty() {
            continue;
        }
        let line = xml_line(&document, node);
        match node.tag_name().name() {
            "PackageLicenseExpression" => {
                found.push(declared(&value, line, license_from_name(&value)))
            }
            "PackageLicenseFile" => found.push(declared(&value, line, Mapping::pointer(&value))),
            "PackageLicenseUrl" => found.push(declared(
                &value,
                line,
                license_from_url(&value).with_note("deprecated PackageLicenseUrl"),
            )),
            _ => {}
        }
    }
    found
}

/// pom.xml: `<project><licenses><license><name>/<url>`. Maven reads several licences as a choice.
fn from_pom(text: &str) -> Found {
    let document = match roxmltree::Document::parse(text) {
        Ok(document) => document,
        Err(error) => return xml_by_pattern(text, "name", &error),
    };
    let root = document.root_element();
    let licenses: Vec<_> = root
        .children()
        .filter(|n| {
            n.has_tag_name(("http://maven.apache.org/POM/4.0.0", "licenses"))
                || n.tag_name().name() == "licenses"
        })
        .flat_map(|n| {
            n.children()
                .filter(|c| c.is_element() && c.tag_name().name() == "license")
        })
        .collect();
    let several = licenses.len() > 1;
    let mut found = Vec::new();
    for license in licenses {
        let child = |name: &str| {
            license
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
        };
        let name = child("name");
        let url = child("url");
        let name_text = name.map(xml_text).filter(|t| !t.is_empty());
        let url_text = url.map(xml_text).filter(|t| !t.is_empty());
        let mut mapping = name_text
            .as_deref()
            .map(license_from_name)
            .unwrap_or_default();
        if mapping.expression.is_none()
            && let Some(url_text) = &url_text
        {
            let by_url = license_from_url(url_text);
            if by_url.expression.is_some() {
                mapping = by_url.with_note("read from the licence URL");
            }
        }
        if several {
            mapping = mapping
                .with_note("one of several <license> entries: Maven reads them as a choice (OR)");
        }
        let Some(raw) = name_text.or(url_text) else {
            continue;
        };
        let line = xml_line(&document, name.or(url).unwrap_or(license));
        found.push(declared(&raw, line, mapping));
    }
    found
}

fn xml_by_pattern(text: &str, element: &str, error: &roxmltree::Error) -> Found {
    let pattern =
        Regex::new(&format!(r"<{element}>\s*([^<]+?)\s*</{element}>")).expect("valid regex");
    let defect = format!("the file is not well-formed XML ({error}); read by pattern");
    if element == "name" {
        // Without a tree, a pom's <name> could be the project's: do not guess.
        return Vec::new();
    }
    pattern
        .captures_iter(text)
        .map(|captures| {
            let line = line_at(text, captures.get(0).expect("match").start());
            declared(
                &captures[1],
                line,
                license_from_name(&captures[1]).with_note(defect.clone()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
        let text = "[package]\nname = \"x\"\nlicense = \"MIT/Apache-2.0\"\nlicense-file = \"LICENCE.md\"\n";
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
}

/// Why a manifest's licence field looks like a tool's default rather than the owner's choice: npm init's
/// `"license": "ISC"` with an empty author, or a code generator's placeholder licence ("Override this license",
/// authors "OpenAPI Generator team"). Such a declaration is kept but needs a person.
pub fn generator_default(file_name: &str, text: &str) -> Option<String> {
    static GENERATOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)openapi[\s-]generator|swagger[\s-]codegen|override\s+this\s+licen[cs]e")
            .expect("generator pattern")
    });
    if let Some(m) = GENERATOR.find(text) {
        return Some(format!(
            "the licence field is a code generator's default (\"{}\"), not evidently the owner's choice",
            m.as_str()
        ));
    }
    if file_name == "package.json"
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(text)
        && json.get("license").and_then(|l| l.as_str()) == Some("ISC")
    {
        let author_empty = match json.get("author") {
            None => true,
            Some(serde_json::Value::String(a)) => a.trim().is_empty(),
            Some(_) => false,
        };
        if author_empty {
            return Some(
                "\"license\": \"ISC\" with no author is npm init's default, not evidently the owner's choice"
                    .into(),
            );
        }
    }
    None
}

#[cfg(test)]
mod generator_default_tests {
    use super::generator_default;

    #[test]
    fn tool_defaults_are_told_from_chosen_licences() {
        assert!(generator_default("package.json", r#"{"author": "", "license": "ISC"}"#).is_some());
        assert!(generator_default("package.json", r#"{"license": "ISC"}"#).is_some());
        assert!(
            generator_default(
                "package.json",
                r#"{"author": "NHS Digital", "license": "ISC"}"#
            )
            .is_none()
        );
        assert!(generator_default("package.json", r#"{"author": "", "license": "MIT"}"#).is_none());
        assert!(
            generator_default(
                "Cargo.toml",
                "authors = [\"OpenAPI Generator team and contributors\"]\nlicense = \"Unlicense\"\n"
            )
            .is_some()
        );
        assert!(
            generator_default("Cargo.toml", "authors = [\"HDR UK\"]\nlicense = \"MIT\"\n")
                .is_none()
        );
    }
}
