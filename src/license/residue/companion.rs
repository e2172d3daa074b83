//! Companion texts: words a licensor publishes with a licence, outside its terms (`licenses/companions/`).

use std::sync::LazyLock;

use super::Canonical;

/// Words a licensor publishes with a licence but outside its terms, which the SPDX copy of the licence lacks:
/// CPython's history of the software before its licences, the wording of Creative Commons' closing notice
/// that came after SPDX took its copy. A file carrying them verbatim is the licence as published; they are
/// the licence's own words, recognised as passages (see [`unaccounted`]'s `quoted`), never aligned as terms.
/// The texts and their sources are in `licenses/companions/` (its README lists them).
pub struct Companion {
    /// The licences (SPDX ids) it is published with.
    pub ids: &'static [&'static str],
    /// What it is and where it is published.
    pub source: &'static str,
    text: &'static str,
}

pub const COMPANIONS: &[Companion] = &[
    Companion {
        ids: &["Python-2.0", "Python-2.0.1", "PSF-2.0"],
        source: "part A (history of the software) of CPython's LICENSE",
        text: include_str!("../../../licenses/companions/Python-history.txt"),
    },
    Companion {
        ids: &[
            "CC-BY-4.0",
            "CC-BY-SA-4.0",
            "CC-BY-NC-4.0",
            "CC-BY-ND-4.0",
            "CC-BY-NC-SA-4.0",
            "CC-BY-NC-ND-4.0",
        ],
        source: "Creative Commons' notice after its 4.0 legal code, in its current wording",
        text: include_str!("../../../licenses/companions/CC-4.0-notice.txt"),
    },
    Companion {
        ids: &["MIT", "OGL-UK-3.0"],
        source: "the licence statement the GOV.UK Design System and GDS repositories publish for MIT code with \
                 Crown copyright documentation under the OGL",
        text: include_str!("../../../licenses/companions/GOVUK-statement.txt"),
    },
];

/// The companion texts published with the licence `id` ([`COMPANIONS`]), each read once.
pub fn companions_of(id: &str) -> Vec<&'static Canonical> {
    static READ: LazyLock<Vec<Canonical>> = LazyLock::new(|| {
        COMPANIONS
            .iter()
            .map(|c| Canonical::from_lines(&c.text.lines().map(str::to_string).collect::<Vec<_>>()))
            .collect()
    });
    COMPANIONS
        .iter()
        .zip(READ.iter())
        .filter(|(c, _)| c.ids.contains(&id))
        .map(|(_, read)| read)
        .collect()
}
