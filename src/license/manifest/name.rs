//! Licence names, URLs and trove classifiers as written in manifests, read as SPDX expressions.

use super::*;

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
pub(super) fn spdx_expression(value: &str) -> Option<Mapping> {
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

pub(super) fn named_license(value: &str) -> Mapping {
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
    if let Some(mapping) = apache_license(&lower) {
        return mapping;
    }
    if let Some((_, id)) = SPDX_NAMES
        .iter()
        .find(|(names, _)| names.contains(&lower.as_str()))
    {
        return Mapping::spdx(*id);
    }
    // Any licence of the SPDX list by its full name ("Common Development and Distribution License 1.0").
    if let Some(id) = crate::license::vocabulary::id_of_full_name(value) {
        return Mapping::spdx(id);
    }
    if let Some((_, note)) = UNMAPPED_NAMES
        .iter()
        .find(|(names, _)| names.contains(&lower.as_str()))
    {
        return Mapping::unmapped(*note);
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

/// `Apache`, `ASL 2.0`, `Apache Software License, Version 2.0`, `Apache License (== 2.0)`: Apache-2.0, with a
/// note when no version is stated.
fn apache_license(lower: &str) -> Option<Mapping> {
    static APACHE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:apache|asl)(?:[ -]software)?(?:[ -]licen[cs]e)?[ ,-]*(?:v(?:ersion)?\.? ?)?(?:\(== ?)?(2(?:\.0)?)?\)?(?: licen[cs]e)?$",
        )
        .expect("valid regex")
    });
    let captures = APACHE.captures(lower)?;
    Some(match captures.get(1) {
        Some(_) => Mapping::spdx("Apache-2.0"),
        None => Mapping::spdx("Apache-2.0").with_note(
            "no version stated; read as Apache-2.0 (versions 1.0 and 1.1 are long obsolete)",
        ),
    })
}

/// Names that are one SPDX licence, as they are written (lower case, spaces collapsed, no leading "the").
const SPDX_NAMES: &[(&[&str], &str)] = &[
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

/// Names that are no one SPDX licence, and why.
const UNMAPPED_NAMES: &[(&[&str], &str)] = &[
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

/// `GPL-3`, `GPLv2+`, `GPL (>= 2)`, `GNU Lesser General Public License v3`, `LGPL-2.1`, `AGPL-3.0-or-later` ...
pub(super) fn gnu_license(lower: &str) -> Option<Mapping> {
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
pub(super) fn ogl_license(lower: &str) -> Option<Mapping> {
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
pub(super) fn creative_commons(lower: &str) -> Option<Mapping> {
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
