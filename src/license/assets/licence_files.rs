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

/// A file name that states terms: a licence file's ([`is_licence_file_name`]), or a notice, copyright, legal,
/// attribution, credits or terms file's at any depth — the word alone as the name, with a plain-text extension
/// or none (`NOTICE`, `data/NOTICE.md`, `COPYRIGHT`, `TERMS.txt`, `terms-of-use.md`, `TERMS_AND_CONDITIONS`,
/// `EULA`, `RIGHTS`, `THIRD-PARTY-NOTICES.txt`). A page or template (`legal-agreement-type.html`,
/// `credits-cost.html`) is a service's page, not a statement of terms.
///
/// The history's own such files are judged as licence files are ([`judge_history_licence`]): a notice or
/// terms file deleted at the tip is published with the history all the same.
pub fn is_terms_file_name(name: &str) -> bool {
    static TERMS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:notices?|copyrights?|legal|credits|attributions?|third[-_ .]?party[-_ .]?notices?|terms(?:[-_ .]?(?:of[-_ .]?(?:use|service|reuse)|and[-_ .]?conditions|conditions))?|conditions[-_ .]?of[-_ .]?use|eula|rights|usage[-_ .]?terms|data[-_ .]?licen[cs]e)(?:\.(?:txt|md|markdown|rst|adoc|text))?$",
        )
        .expect("terms name pattern")
    });
    is_licence_file_name(name) || TERMS.is_match(name)
}

/// Whether `bytes` are a git-lfs pointer (`version https://git-lfs.github.com/spec/v1`, an `oid` and a
/// `size`): the file's own content is kept outside the repository, so its words cannot be read.
pub fn lfs_pointer(bytes: &[u8]) -> bool {
    bytes.len() <= 1024 && bytes.starts_with(b"version https://git-lfs.github.com/spec/")
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
    let name = path.rsplit('/').next().unwrap_or(path);
    let licence = is_licence_file_name(name);
    if licence
        && terms == Terms::Unknown
        && notice_holders(&text).is_empty()
        && !STATES_TERMS.is_match(&text)
    {
        return None;
    }
    // A notice or terms file (not a licence file) is held to an allow-list: silent only when open, empty, or
    // made of nothing but copyright lines (whose holders are then weighed: the repository's own stay silent).
    // Any other sentence — "must not be passed to third parties", whatever its wording — asks a person, so the
    // file names no holder that could cover it.
    let residue = !licence
        && text
            .lines()
            .any(|l| !l.trim().is_empty() && !is_copyright_line(l));
    if !licence && terms == Terms::Unknown && text.trim().is_empty() {
        return None;
    }
    let holders = if residue {
        Vec::new()
    } else {
        notice_holders(&text)
    };
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
        holders,
        terms,
        evidence,
    })
}

/// A line that is only a copyright line: `Copyright`, `©` or `(c)` first, perhaps after a comment marker, and
/// at most "All rights reserved." after the holder.
fn is_copyright_line(line: &str) -> bool {
    static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[\s#*/<!-]*(?:copyright\b|©|\(c\))[^.;:]*(?:\.\s*(?:all\s+rights\s+reserved\.?)?)?\s*$")
            .expect("copyright line pattern")
    });
    COPYRIGHT.is_match(line)
}
