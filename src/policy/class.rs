//! The built-in classification of SPDX licence ids, and the per-licence facts the verdict turns into conditions
//! of republication. Pure functions of the id; a policy's `overrides` take precedence over `default_class`.
//!
//! Order of rules: an id not on the SPDX list (or a `LicenseRef-`) has no class; field-of-use restrictions have no
//! class (a human must look); the Creative Commons BY family by its NC/ND/SA parts; explicit tables; families by
//! prefix; then the SPDX list's own flags (copyleft → copyleft, OSI-approved or FSF-libre → permissive).

use serde::Serialize;

use super::Class;

/// Public-domain dedications and licences that ask for nothing, not even attribution (0BSD and MIT-0 drop the
/// notice requirement, so they sit here with CC0 rather than with MIT).
const PUBLIC_DOMAIN: &[&str] = &[
    "CC0-1.0",
    "Unlicense",
    "PDDL-1.0",
    "0BSD",
    "MIT-0",
    "CC-PDDC",
    "CC-PDM-1.0",
    "blessing",
    "DL-DE-ZERO-2.0",
];

const PERMISSIVE: &[&str] = &[
    "ISC",
    "Zlib",
    "zlib-acknowledgement",
    "BSL-1.0",
    "X11",
    "PSF-2.0",
    "Python-2.0",
    "Python-2.0.1",
    "OGL-UK-1.0",
    "OGL-UK-2.0",
    "OGL-UK-3.0",
    "OGL-Canada-2.0",
    "OPL-UK-3.0",
    "ODC-By-1.0",
    "PostgreSQL",
    "NCSA",
    "Artistic-2.0",
    "WTFPL",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "UPL-1.0",
    "BlueOak-1.0.0",
    "curl",
    "Libpng",
    "libpng-2.0",
    "CECILL-B",
    "NLOD-1.0",
    "NLOD-2.0",
    "DL-DE-BY-2.0",
    "etalab-2.0",
    "OGDL-Taiwan-1.0",
    "CDLA-Permissive-1.0",
    "CDLA-Permissive-2.0",
    "Beerware",
    "NIST-Software",
];

const WEAK_COPYLEFT: &[&str] = &[
    "LGPLLR",
    "MS-RL",
    "CECILL-C",
    "CPL-1.0",
    "APSL-2.0",
    "ErlPL-1.1",
];

const COPYLEFT: &[&str] = &[
    "ODbL-1.0",
    "CECILL-1.0",
    "CECILL-1.1",
    "CECILL-2.0",
    "CECILL-2.1",
    "Sleepycat",
    "RPL-1.1",
    "RPL-1.5",
    "CDLA-Sharing-1.0",
];

/// Non-commercial licences outside the Creative Commons family.
const NON_COMMERCIAL: &[&str] = &["PolyForm-Noncommercial-1.0.0", "NCGL-UK-2.0"];

/// Public-sector reuse terms that are not on the SPDX list but that keepopen recognises by name: the European
/// Commission's reuse decision permits reuse, commercial or not, with the source acknowledged.
const KNOWN_REFERENCES: &[(&str, Class)] = &[
    (
        "LicenseRef-EU-Commission-Decision-2011-833",
        Class::Permissive,
    ),
    // A notice permitting copies and distribution of a document as it is, and withholding its modification
    // (`license::assets::verbatim_copies`): no-derivatives terms.
    ("LicenseRef-verbatim-copies-only", Class::NoDerivatives),
];

/// Licences that restrict the field of use: never classed by default.
const FIELD_OF_USE: &[&str] = &[
    "BSD-3-Clause-No-Nuclear-License",
    "BSD-3-Clause-No-Nuclear-License-2014",
    "BSD-3-Clause-No-Military-License",
    "JSON",
    "Hippocratic-2.1",
];

const PREFIX_FAMILIES: &[(&str, Class)] = &[
    ("MIT", Class::Permissive),
    ("Apache-", Class::Permissive),
    ("AFL-", Class::Permissive),
    ("LGPL-", Class::WeakCopyleft),
    ("MPL-", Class::WeakCopyleft),
    ("EPL-", Class::WeakCopyleft),
    ("CDDL-", Class::WeakCopyleft),
    ("OFL-", Class::WeakCopyleft),
    ("GPL-", Class::Copyleft),
    ("AGPL-", Class::Copyleft),
    ("EUPL-", Class::Copyleft),
    ("OSL-", Class::Copyleft),
];

/// The SPDX list entry for exactly this id (a trailing `+` aside).
fn spdx_entry(id: &str) -> Option<spdx::LicenseId> {
    let bare = id.strip_suffix('+').unwrap_or(id);
    spdx::license_id(bare).filter(|license| license.name == bare)
}

/// The built-in class of an SPDX id, or `None` when the id is unknown, a `LicenseRef-`, restricts the field of
/// use, or is not on any list and not flagged OSI, FSF-libre or copyleft by SPDX.
pub fn default_class(id: &str) -> Option<Class> {
    // A Creative Commons port SPDX does not list is classed by the elements of its generic licence.
    if let Some(generic) = crate::license::reference::generic_of_port(id) {
        return default_class(generic);
    }
    if let Some((_, class)) = KNOWN_REFERENCES.iter().find(|(known, _)| *known == id) {
        return Some(*class);
    }
    let license = spdx_entry(id)?;
    let id = license.name;
    if FIELD_OF_USE.contains(&id) {
        return None;
    }
    if let Some(parts) = creative_commons_parts(id) {
        return Some(if parts.no_derivatives {
            Class::NoDerivatives
        } else if parts.non_commercial {
            Class::NonCommercial
        } else if parts.share_alike {
            Class::Copyleft
        } else {
            Class::Permissive
        });
    }
    let tables: [(&[&str], Class); 5] = [
        (PUBLIC_DOMAIN, Class::PublicDomain),
        (PERMISSIVE, Class::Permissive),
        (WEAK_COPYLEFT, Class::WeakCopyleft),
        (COPYLEFT, Class::Copyleft),
        (NON_COMMERCIAL, Class::NonCommercial),
    ];
    if let Some((_, class)) = tables.iter().find(|(ids, _)| ids.contains(&id)) {
        return Some(*class);
    }
    if id.starts_with("BSD-") && id.contains("-Clause") {
        return Some(Class::Permissive);
    }
    if let Some((_, class)) = PREFIX_FAMILIES
        .iter()
        .find(|(prefix, _)| id.starts_with(prefix))
    {
        return Some(*class);
    }
    if license.is_copyleft() {
        Some(Class::Copyleft)
    } else if license.is_osi_approved() || license.is_fsf_free_libre() {
        Some(Class::Permissive)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CreativeCommonsParts {
    non_commercial: bool,
    no_derivatives: bool,
    share_alike: bool,
}

/// `CC-BY-NC-SA-2.0-UK` → NC and SA. `None` outside the CC BY family.
fn creative_commons_parts(id: &str) -> Option<CreativeCommonsParts> {
    let rest = id.strip_prefix("CC-BY-")?;
    let mut parts = CreativeCommonsParts::default();
    for part in rest.split('-') {
        match part {
            "NC" => parts.non_commercial = true,
            "ND" => parts.no_derivatives = true,
            "SA" => parts.share_alike = true,
            _ => {}
        }
    }
    Some(parts)
}

/// Facts about one licence that become conditions on republication. All false for an unknown id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LicenseFlags {
    /// Use must be non-commercial (CC BY-NC family, PolyForm Noncommercial, the UK Non-Commercial Government
    /// Licence).
    pub non_commercial: bool,
    /// No modified versions may be shared: republish the tree unchanged (CC BY-ND and BY-NC-ND).
    pub no_derivatives: bool,
    /// Adaptations must carry the same licence (CC BY-SA and BY-NC-SA, ODbL, CDLA-Sharing).
    pub share_alike: bool,
    /// Modified versions of the software stay under the licence: strong copyleft.
    pub copyleft: bool,
    /// Modified files stay under the licence, larger works need not: weak copyleft.
    pub weak_copyleft: bool,
    /// The licence prescribes an attribution statement; see [`ogl_attribution`].
    pub ogl_attribution: bool,
}

/// The conditions a licence carries, from the built-in classification (not the policy's overrides). An NC-ND
/// licence sets both `non_commercial` and `no_derivatives`.
pub fn conditions_flags(id: &str) -> LicenseFlags {
    if let Some(generic) = crate::license::reference::generic_of_port(id) {
        return conditions_flags(generic);
    }
    let Some(license) = spdx_entry(id) else {
        return LicenseFlags::default();
    };
    let id = license.name;
    let class = default_class(id);
    let mut flags = LicenseFlags {
        non_commercial: class == Some(Class::NonCommercial) || NON_COMMERCIAL.contains(&id),
        no_derivatives: class == Some(Class::NoDerivatives),
        share_alike: matches!(id, "ODbL-1.0" | "CDLA-Sharing-1.0"),
        copyleft: class == Some(Class::Copyleft),
        weak_copyleft: class == Some(Class::WeakCopyleft),
        ogl_attribution: ogl_attribution(id).is_some(),
    };
    if let Some(parts) = creative_commons_parts(id) {
        flags.non_commercial |= parts.non_commercial;
        flags.no_derivatives |= parts.no_derivatives;
        flags.share_alike |= parts.share_alike;
    }
    flags
}

/// The attribution statement a UK (or Canadian) government licence asks re-users to include, word for word as
/// the licence gives it.
pub fn ogl_attribution(id: &str) -> Option<&'static str> {
    Some(match id {
        "OGL-UK-1.0" => {
            "Contains public sector information licensed under the Open Government Licence v1.0."
        }
        "OGL-UK-2.0" => {
            "Contains public sector information licensed under the Open Government Licence v2.0."
        }
        "OGL-UK-3.0" => {
            "Contains public sector information licensed under the Open Government Licence v3.0."
        }
        "OGL-Canada-2.0" => {
            "Contains information licensed under the Open Government Licence – Canada."
        }
        "OPL-UK-3.0" => {
            "Contains Parliamentary information licensed under the Open Parliament Licence v3.0."
        }
        "NCGL-UK-2.0" => {
            "Contains information licensed under the Non-Commercial Government Licence v2.0."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_class_table() {
        use Class::*;
        let table: &[(&str, Option<Class>)] = &[
            ("MIT", Some(Permissive)),
            ("MIT-CMU", Some(Permissive)),
            ("MIT-0", Some(PublicDomain)),
            ("0BSD", Some(PublicDomain)),
            ("CC0-1.0", Some(PublicDomain)),
            ("Unlicense", Some(PublicDomain)),
            ("PDDL-1.0", Some(PublicDomain)),
            ("WTFPL", Some(Permissive)),
            ("BSD-2-Clause", Some(Permissive)),
            ("BSD-3-Clause", Some(Permissive)),
            ("BSD-3-Clause-Clear", Some(Permissive)),
            ("BSD-3-Clause-No-Nuclear-Warranty", Some(Permissive)),
            ("BSD-3-Clause-No-Nuclear-License", None),
            ("BSD-3-Clause-No-Military-License", None),
            ("JSON", None),
            ("Apache-2.0", Some(Permissive)),
            ("Apache-1.1", Some(Permissive)),
            ("ISC", Some(Permissive)),
            ("Zlib", Some(Permissive)),
            ("BSL-1.0", Some(Permissive)),
            ("X11", Some(Permissive)),
            ("PSF-2.0", Some(Permissive)),
            ("Python-2.0", Some(Permissive)),
            ("OGL-UK-1.0", Some(Permissive)),
            ("OGL-UK-2.0", Some(Permissive)),
            ("OGL-UK-3.0", Some(Permissive)),
            ("OGL-Canada-2.0", Some(Permissive)),
            ("OPL-UK-3.0", Some(Permissive)),
            ("NCGL-UK-2.0", Some(NonCommercial)),
            ("ODC-By-1.0", Some(Permissive)),
            ("PostgreSQL", Some(Permissive)),
            ("NCSA", Some(Permissive)),
            ("Artistic-2.0", Some(Permissive)),
            ("CC-BY-4.0", Some(Permissive)),
            ("CC-BY-3.0-IGO", Some(Permissive)),
            ("CC-BY-SA-4.0", Some(Copyleft)),
            ("CC-BY-SA-2.0-UK", Some(Copyleft)),
            ("CC-BY-NC-4.0", Some(NonCommercial)),
            ("CC-BY-NC-SA-4.0", Some(NonCommercial)),
            ("CC-BY-NC-SA-2.0-UK", Some(NonCommercial)),
            ("CC-BY-ND-4.0", Some(NoDerivatives)),
            ("CC-BY-NC-ND-4.0", Some(NoDerivatives)),
            ("CC-BY-NC-ND-3.0-IGO", Some(NoDerivatives)),
            ("LGPL-2.1-only", Some(WeakCopyleft)),
            ("LGPL-3.0-or-later", Some(WeakCopyleft)),
            ("MPL-2.0", Some(WeakCopyleft)),
            ("MPL-2.0-no-copyleft-exception", Some(WeakCopyleft)),
            ("EPL-2.0", Some(WeakCopyleft)),
            ("CDDL-1.0", Some(WeakCopyleft)),
            ("MS-RL", Some(WeakCopyleft)),
            ("CECILL-C", Some(WeakCopyleft)),
            ("CECILL-B", Some(Permissive)),
            ("GPL-2.0-only", Some(Copyleft)),
            ("GPL-3.0-or-later", Some(Copyleft)),
            ("GPL-2.0", Some(Copyleft)),
            ("AGPL-3.0-only", Some(Copyleft)),
            ("EUPL-1.2", Some(Copyleft)),
            ("OSL-3.0", Some(Copyleft)),
            ("ODbL-1.0", Some(Copyleft)),
            ("CECILL-2.1", Some(Copyleft)),
            ("PolyForm-Noncommercial-1.0.0", Some(NonCommercial)),
            // Fallback on SPDX flags: OSI-approved, FSF-libre, copyleft.
            ("Zend-2.0", Some(Permissive)),
            ("Parity-6.0.0", Some(Copyleft)),
            // On the SPDX list but on no table and carrying no flag.
            ("Elastic-2.0", None),
            ("BUSL-1.1", None),
            // Not SPDX ids.
            ("LicenseRef-Warwick-noncommercial", None),
            ("LicenseRef-CC-BY-NC-2.5-Scotland", Some(NonCommercial)),
            ("LicenseRef-CC-BY-SA-3.0-Scotland", Some(Copyleft)),
            ("LicenseRef-CC-BY-Scotland", None),
            (
                "LicenseRef-EU-Commission-Decision-2011-833",
                Some(Permissive),
            ),
            ("mit", None),
            ("MTI", None),
            ("", None),
            // A trailing + is the or-later form of the same licence.
            ("Apache-2.0+", Some(Permissive)),
        ];
        for (id, expected) in table {
            assert_eq!(default_class(id), *expected, "{id}");
        }
    }

    #[test]
    fn every_id_in_the_tables_is_on_the_spdx_list() {
        let tables = [
            PUBLIC_DOMAIN,
            PERMISSIVE,
            WEAK_COPYLEFT,
            COPYLEFT,
            NON_COMMERCIAL,
            FIELD_OF_USE,
        ];
        for id in tables.into_iter().flatten() {
            assert!(spdx_entry(id).is_some(), "{id} is not an SPDX id");
        }
    }

    #[test]
    fn tables_do_not_overlap() {
        let tables = [
            PUBLIC_DOMAIN,
            PERMISSIVE,
            WEAK_COPYLEFT,
            COPYLEFT,
            NON_COMMERCIAL,
            FIELD_OF_USE,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for id in tables.into_iter().flatten() {
            assert!(seen.insert(*id), "{id} is in two tables");
        }
    }

    #[test]
    fn every_creative_commons_nc_or_nd_licence_on_the_list_is_restricted() {
        let all_cc = spdx::identifiers::LICENSES
            .iter()
            .map(|license| license.name)
            .filter(|id| id.starts_with("CC-BY-"));
        let mut checked = 0;
        for id in all_cc {
            let class = default_class(id);
            if id.contains("-ND-") || id.ends_with("-ND") {
                assert_eq!(class, Some(Class::NoDerivatives), "{id}");
            } else if id.contains("-NC-") {
                assert_eq!(class, Some(Class::NonCommercial), "{id}");
            }
            checked += 1;
        }
        assert!(checked > 40, "only {checked} CC BY ids on the list");
    }

    #[test]
    fn conditions_flags_table() {
        let none = LicenseFlags::default();
        let table: &[(&str, LicenseFlags)] = &[
            ("MIT", none),
            ("CC0-1.0", none),
            (
                "CC-BY-NC-ND-4.0",
                LicenseFlags {
                    non_commercial: true,
                    no_derivatives: true,
                    ..none
                },
            ),
            (
                "CC-BY-NC-SA-4.0",
                LicenseFlags {
                    non_commercial: true,
                    share_alike: true,
                    ..none
                },
            ),
            (
                "CC-BY-NC-4.0",
                LicenseFlags {
                    non_commercial: true,
                    ..none
                },
            ),
            (
                "CC-BY-ND-4.0",
                LicenseFlags {
                    no_derivatives: true,
                    ..none
                },
            ),
            (
                "CC-BY-SA-4.0",
                LicenseFlags {
                    share_alike: true,
                    copyleft: true,
                    ..none
                },
            ),
            (
                "ODbL-1.0",
                LicenseFlags {
                    share_alike: true,
                    copyleft: true,
                    ..none
                },
            ),
            (
                "GPL-3.0-only",
                LicenseFlags {
                    copyleft: true,
                    ..none
                },
            ),
            (
                "MPL-2.0",
                LicenseFlags {
                    weak_copyleft: true,
                    ..none
                },
            ),
            (
                "OGL-UK-3.0",
                LicenseFlags {
                    ogl_attribution: true,
                    ..none
                },
            ),
            (
                "NCGL-UK-2.0",
                LicenseFlags {
                    non_commercial: true,
                    ogl_attribution: true,
                    ..none
                },
            ),
            ("LicenseRef-anything", none),
            ("NOT-A-LICENSE", none),
        ];
        for (id, expected) in table {
            assert_eq!(conditions_flags(id), *expected, "{id}");
        }
    }

    #[test]
    fn ogl_attribution_gives_each_licences_own_statement() {
        let table = [
            (
                "OGL-UK-3.0",
                Some(
                    "Contains public sector information licensed under the Open Government Licence v3.0.",
                ),
            ),
            (
                "OGL-UK-2.0",
                Some(
                    "Contains public sector information licensed under the Open Government Licence v2.0.",
                ),
            ),
            (
                "OGL-UK-1.0",
                Some(
                    "Contains public sector information licensed under the Open Government Licence v1.0.",
                ),
            ),
            ("MIT", None),
            ("CC-BY-4.0", None),
        ];
        for (id, expected) in table {
            assert_eq!(ogl_attribution(id), expected, "{id}");
        }
    }

    #[test]
    fn attribution_statements_are_quoted_from_the_vendored_licence_texts() {
        let texts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("licenses/text");
        for id in [
            "OGL-UK-1.0",
            "OGL-UK-2.0",
            "OGL-UK-3.0",
            "OGL-Canada-2.0",
            "OPL-UK-3.0",
            "NCGL-UK-2.0",
        ] {
            let text = std::fs::read_to_string(texts.join(format!("{id}.txt"))).unwrap();
            let flattened = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let statement = ogl_attribution(id).unwrap();
            assert!(flattened.contains(statement), "{id}: {statement}");
        }
    }
}
