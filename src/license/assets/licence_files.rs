//! Licence files that only the pushed history holds, read as assets.

use std::sync::LazyLock;

use regex::Regex;

use super::banners::notice_holders;
use super::terms::{class_terms, short};
use super::{AssetKind, Terms, ThirdPartyAsset};

/// A file name that is a licence file's: one discovery reads as a licence file, or `LICENSE`, `LICENCE`,
/// `COPYING` with a number after it (`LICENSE2`, `LICENCE1.txt`), which authors use for a second licence.
pub fn is_licence_file_name(name: &str) -> bool {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:licen[cs]es?|copying)[-_]?\d+(?:\.(?:txt|md|markdown|rst|html?))?$")
            .expect("numbered licence pattern")
    });
    crate::license::discovery::root_file_kind(name) == Some(crate::license::SourceKind::LicenseFile)
        || crate::license::discovery::is_nested_license_name(name)
        || NUMBERED.is_match(name)
}

/// Class a licence file that only the history holds: open when it names or quotes an open licence and
/// withholds nothing; otherwise for a person, quoting its first words (the holders it names are kept, so that
/// a stub of the repository's own holder stays silent, as any asset of unknown terms does).
pub fn judge_history_licence(path: &str, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    let text = String::from_utf8_lossy(bytes);
    let (terms, evidence) = class_terms(&text);
    if matches!(terms, Terms::Open(_)) {
        return None;
    }
    // Classed by what it says: a page that names no holder and states no terms ("=== Licence Terms N/A")
    // claims nothing.
    static STATES_TERMS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\blicen[cs]ed\b|\breleased\s+under\b|\bunder\s+the\s+terms\b|\brights\b|\bpermission\b|\bpermitted\b|\bterms\s+(?:and|of)\s+(?:conditions|use)\b")
            .expect("terms pattern")
    });
    if terms == Terms::Unknown && notice_holders(&text).is_empty() && !STATES_TERMS.is_match(&text)
    {
        return None;
    }
    let evidence = match terms {
        Terms::Restrictive => evidence,
        _ => format!(
            "names no licence keepopen reads as open: \"{}\"",
            short(&text, 160)
        ),
    };
    Some(ThirdPartyAsset {
        about_fonts: false,
        component: None,
        path: path.to_string(),
        kind: AssetKind::LicenceFile,
        holders: notice_holders(&text),
        terms,
        evidence,
    })
}
