//! Third-party assets: files inside a repository that carry terms of their own — fonts, images with rights
//! metadata, bundled scripts, stylesheets and saved web pages.
//!
//! A republication pushes the history unchanged, so a file under someone else's terms cannot be left out: a
//! commercial font or an agency photograph inside an MIT repository makes the repository a matter for a
//! person. This module reads what such files say about themselves, from bytes, with parsers kept elsewhere:
//!
//! - fonts (`.ttf`, `.otf`, `.ttc`, `.woff`, `.woff2`, `.eot`), and any file whose bytes are a font's
//!   whatever its name ([`content_kind`]): the naming table's copyright (name id 0), trademark
//!   (7), manufacturer (8), licence description (13) and licence URL (14). WOFF and WOFF2 are decoded to sfnt
//!   by `wuff`, an Embedded OpenType's font data taken from its header; the naming table is read by `ttf-parser`.
//! - images (`.jpg`, `.png`, `.gif`, `.tif`, `.webp`, `.svg`, …): XMP packets wherever they sit in the file
//!   (JPEG APP1, PNG iTXt, TIFF, WebP, SVG), parsed with `roxmltree`; EXIF `Copyright` and `Artist` with
//!   `kamadak-exif`; IPTC-IIM copyright notice, credit and source from a JPEG's APP13 segment.
//! - bundled text (`.js`, `.css`, `.html`, …): the comments of the first [`AssetLimits::text_prefix`] bytes,
//!   one comment block at a time, and a saved page's `saved from url=` marker and copyright `<meta>` tags.
//!
//! # The rule (fail closed)
//!
//! Each asset is classed by what it says, never by what it lacks:
//!
//! - [`Terms::Restrictive`]: a withholding term ("may not copy or distribute", "rights-managed",
//!   "for exclusive use", "confidential", "proprietary") anywhere in the asset's own terms — whatever else
//!   they name;
//! - [`Terms::Open`]: no withholding term, and positive evidence of an open licence in the asset itself (an
//!   SPDX id, a licence named or linked, a licence's own grant sentence); "free for commercial use" is not one;
//! - [`Terms::Unknown`]: neither — including a font whose tables cannot be read.
//!
//! [`observations`] turns the scan into the verdict's input: a restrictive asset always asks for a person; an
//! asset of unknown terms does unless every holder it names is a holder of the repository's own licence (a
//! font with no readable terms always does, as its terms cannot be seen). An open asset asks for nothing.
//! So an asset can only stay silent with positive evidence; the property tests in this module plant a
//! withholding term in every metadata slot the readers know and check it is found.
//!
//! [`gather`] reads the trees that will be pushed, each blob once, within [`AssetLimits`]; a scan cut by a
//! limit says so, and that too asks for a person.

mod archives;
mod banners;
mod fonts;
mod headers;
mod images;
mod inline;
mod licence_files;
mod observations;
mod photographs;
mod rasters;
mod recordings;
mod scan;
mod terms;

pub use archives::{
    ArchiveLimits, ArchivePlace, Format as ArchiveFormat, format_of as archive_format,
    judge_archive, unread_archive,
};
pub use banners::{comment_blocks, judge_text, notice_holders, read_text};
pub use fonts::{FontNames, font_asset, font_names, judge_font};
pub use headers::{header_blocks, reads_header};
pub use images::{
    RightsField, exif_rights, image_rights, iptc_rights, judge_image, xmp_packets, xmp_rights,
};
pub use inline::inline_assets;
pub use licence_files::{
    is_licence_file_name, is_terms_file_name, judge_history_licence, lfs_pointer,
};
pub use observations::{LISTED, observations, observations_within, review_reason};
pub use photographs::{
    MAX_PIXELS, MIN_SIDE, PHOTOGRAPH_BELOW_PER_MILLE, PixelCount, RowCounter,
    SMOOTH_BELOW_PER_MILLE, count_repeats, describe as describe_photograph, unsourced_photograph,
};
pub use rasters::{
    Raster, jpeg_pixels, measure as measure_pixels, measure_with as measure_pixels_with,
    raster_format,
};
pub use recordings::judge_media;
pub(crate) use scan::within;
pub use scan::{PushedTree, Reach, gather, judge_bytes, pushed_trees};
#[cfg(test)]
use terms::open_choice;
pub use terms::{
    VERBATIM_COPIES_ID, class_terms, comment_words, is_open_id, open_grant, verbatim_copies,
    withholding_term, withholds_beyond_modification,
};

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What sort of file an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    Font,
    Image,
    /// A bundled script, stylesheet or saved web page.
    Text,
    /// A recording: audio or video whose tags (ID3, MP4, Vorbis comments, APE) name its artist, album,
    /// copyright or licence, read by `lofty`.
    Media,
    /// A licence file that the pushed history holds and no pushed tip does (deleted or replaced, published
    /// all the same): its terms are read like an asset's ([`judge_history_licence`]).
    LicenceFile,
    /// A committed archive (`.jar`, `.zip`, `.whl`, `.tar.gz`, …) that bundles another package or could not be
    /// read whole ([`judge_archive`]); its members' own findings are assets of their own kinds, at
    /// `<archive>!/<member>`.
    Archive,
    /// A file of the pushed history whose object the mirror lacks: what it is, and what terms it carries,
    /// cannot be read ([`ThirdPartyAsset::missing`]).
    Unread,
}

impl AssetKind {
    pub fn name(self) -> &'static str {
        match self {
            AssetKind::Font => "font",
            AssetKind::Image => "image",
            AssetKind::Text => "bundled file",
            AssetKind::LicenceFile => "licence file only in history",
            AssetKind::Media => "recording",
            AssetKind::Archive => "archive",
            AssetKind::Unread => "file not in the mirror",
        }
    }
}

/// What an asset says about its own terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "license")]
pub enum Terms {
    /// An open licence, named by its SPDX id (or `LicenseRef-…`), and no withholding term.
    Open(String),
    /// A term that withholds copying, distribution or use.
    Restrictive,
    /// No open licence and no withholding term: the holder's terms are not stated (or could not be read).
    Unknown,
}

/// One asset that states (or hides) terms of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdPartyAsset {
    /// Path in the tree, `/`-separated (the first path the blob was found at).
    pub path: String,
    pub kind: AssetKind,
    /// The holders, suppliers or foundries it names, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<String>,
    pub terms: Terms,
    /// The words that decided it: the withholding term, the licence named, or the fields read.
    pub evidence: String,
    /// The terms are a font's, stated in a stylesheet that declares the font (`@font-face`): they speak for
    /// the font files, not for the stylesheet, and a font file is judged by its own embedded fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub about_fonts: bool,
    /// The well-known component ([`crate::license::components`]) whose licence the terms are, when they were read by
    /// recognition rather than from the file's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

impl ThirdPartyAsset {
    /// A font whose fields were not read (too big, or its object unreadable): its terms cannot be seen.
    pub(crate) fn unread_font(path: String, evidence: String) -> Self {
        ThirdPartyAsset {
            path,
            kind: AssetKind::Font,
            holders: Vec::new(),
            terms: Terms::Unknown,
            evidence,
            about_fonts: false,
            component: None,
        }
    }

    /// A file of the pushed history whose object is missing: it is published (or the publication fails), and
    /// nothing of its terms can be seen. Kept as the kind its name gives, or [`AssetKind::Unread`].
    pub(crate) fn missing(path: String, kind: Option<AssetKind>, why: String) -> Self {
        ThirdPartyAsset {
            path,
            kind: kind.unwrap_or(AssetKind::Unread),
            holders: Vec::new(),
            terms: Terms::Unknown,
            evidence: format!("{why}, so its terms are unknown"),
            about_fonts: false,
            component: None,
        }
    }
}

/// The archive kinds keepopen recognises by name: Java archives, zips, tarballs, Python wheels and eggs, NuGet,
/// gems, Android and browser packages, other compressed bundles. A lone compressed file (`data.csv.gz`) is
/// not one: it holds one file, not bundled libraries.
pub fn is_archive_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    const ENDINGS: &[&str] = &[
        ".jar", ".war", ".ear", ".aar", ".apk", ".ipa", ".zip", ".tar", ".tgz", ".tar.gz", ".tbz",
        ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".tar.zst", ".whl", ".egg", ".nupkg", ".gem",
        ".7z", ".rar", ".xpi", ".crx", ".vsix", ".deb", ".rpm", ".cab", ".sar", ".nar", ".hpi",
        ".jpi",
    ];
    ENDINGS
        .iter()
        .any(|e| name.len() > e.len() && name.ends_with(e))
}

/// Office and print documents: a licence, a terms of use or someone's report may be one, and its text is not
/// read here. Only their absence from the mirror is judged ([`ThirdPartyAsset::missing`]).
pub fn is_document_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.rsplit_once('.').is_some_and(|(stem, e)| {
        !stem.is_empty()
            && matches!(
                e,
                "pdf"
                    | "doc"
                    | "docx"
                    | "odt"
                    | "rtf"
                    | "xls"
                    | "xlsx"
                    | "ods"
                    | "ppt"
                    | "pptx"
                    | "odp"
                    | "epub"
            )
    })
}

/// The largest build-tool wrapper jar read as the tool's own: Gradle's and Maven's wrappers are tens of
/// kilobytes; a jar that bundles libraries is megabytes.
pub const WRAPPER_MAX_BYTES: usize = 256 * 1024;

/// A committed archive of `size` bytes at `path`, judged by name: a build tool's wrapper jar at its tool's place
/// and within [`WRAPPER_MAX_BYTES`] is a recognised component; anything else is an archive of unknown terms,
/// which the history scan then opens and judges member by member ([`judge_archive`]).
///
/// The invariant: an archive is silent by name only as a recognised component, and only two are recognised, each
/// by two signals: its exact place (`gradle/wrapper/gradle-wrapper.jar` at any depth, `.mvn/wrapper/maven-wrapper.jar`),
/// where the build tool writes it and nothing else is kept, and a size no bundle of libraries has. Those jars
/// bootstrap the build, hold only the tool's own classes and are published by the tool under Apache-2.0; the
/// recognition makes the policy weigh Apache-2.0 and ask what it asks. Any other archive, whatever it holds (a
/// self-contained "full" jar bundling other projects' libraries and fonts), is silent only when it is opened and
/// every member is read and judged clean ([`judge_archive`]).
pub fn archive_asset(path: &str, size: usize, commit: &str) -> ThirdPartyAsset {
    let lower = path.to_ascii_lowercase();
    let at = |place: &str| lower == place || lower.ends_with(&format!("/{place}"));
    let wrapper = if at("gradle/wrapper/gradle-wrapper.jar") {
        Some("Gradle Wrapper")
    } else if at(".mvn/wrapper/maven-wrapper.jar") {
        Some("Maven Wrapper")
    } else {
        None
    };
    match wrapper {
        Some(tool) if size > 0 && size <= WRAPPER_MAX_BYTES => ThirdPartyAsset {
            path: path.to_string(),
            kind: AssetKind::Archive,
            holders: Vec::new(),
            terms: Terms::Open("Apache-2.0".into()),
            evidence: format!(
                "recognised as the {tool} jar, the build tool's own bootstrap published under Apache-2.0: at the tool's own place, {size} bytes (commit {commit})"
            ),
            about_fonts: false,
            component: Some(tool.to_string()),
        },
        _ => ThirdPartyAsset {
            path: path.to_string(),
            kind: AssetKind::Archive,
            holders: Vec::new(),
            terms: Terms::Unknown,
            evidence: format!(
                "a committed archive of {size} bytes: whatever it bundles is published with the history, and its terms are not read (commit {commit})"
            ),
            about_fonts: false,
            component: None,
        },
    }
}

/// A holder named in a file's header beside a grant of an open licence that covers it: evidence of who
/// licenses the repository's own content when the licence is the repository's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderGrant {
    pub holder: String,
    /// The SPDX id (or expression) the header grants.
    pub license: String,
}

/// The most distinct header grants a scan keeps: a project's own header repeats one or two.
pub const MAX_HEADER_GRANTS: usize = 256;

/// What [`gather`] found in the trees to be pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetScan {
    /// Assets that say something about their terms (and fonts, which always do or fail to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<ThirdPartyAsset>,
    /// Blobs of an asset kind that were read.
    #[serde(default)]
    pub blobs_read: usize,
    /// Font files in formats not read here (`.eot`, `.pfb`, …): a font is pushed even if none was read.
    #[serde(default)]
    pub other_fonts: usize,
    /// Holders granted an open licence by the headers of files outside vendored folders, with the licence
    /// ([`HeaderGrant`]), each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_grants: Vec<HeaderGrant>,
    /// Set when a limit stopped the scan: what was left unread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
}

impl AssetScan {
    /// A scan that could not start: nothing read, and why.
    pub(crate) fn cut_short(why: String) -> Self {
        AssetScan {
            incomplete: Some(why),
            ..AssetScan::default()
        }
    }
}

/// The bytes of a file of `kind` at `path` that are read: a bundle's extracted banners (`main.js.LICENSE.txt`)
/// are all banners, and are read as far as an image's metadata is.
pub fn prefix_for(kind: AssetKind, path: &str, limits: &AssetLimits) -> usize {
    match kind {
        AssetKind::Text
            if crate::license::discovery::is_bundle_banners(
                path.rsplit('/').next().unwrap_or(path),
            ) =>
        {
            limits.image_prefix
        }
        AssetKind::Text => limits.text_prefix,
        // A photograph is told by its pixels, so a raster picture is read whole (within its own bound).
        AssetKind::Image if is_raster_name(path) => limits.photo_bytes,
        AssetKind::Image | AssetKind::LicenceFile => limits.image_prefix,
        AssetKind::Font | AssetKind::Media => limits.max_blob_bytes,
        AssetKind::Archive | AssetKind::Unread => 0,
    }
}

/// Bounds that keep the scan cheap on any repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetLimits {
    /// The most asset blobs read, over all trees.
    pub max_files: usize,
    /// The most bytes read, over all blobs.
    pub max_total_bytes: usize,
    /// The biggest font read; a bigger font is an asset of unknown terms.
    pub max_blob_bytes: usize,
    /// The bytes read from the start of each bundled text file.
    pub text_prefix: usize,
    /// The bytes read from the start of each image: its metadata segments come before the picture (JPEG
    /// APP1/APP13, a PNG's chunks before IDAT as editors write them).
    pub image_prefix: usize,
    /// The bytes read from each raster picture (JPEG, PNG, GIF, WebP, TIFF): the whole picture, so that its
    /// pixels can say whether it is a photograph ([`unsourced_photograph`]); a bigger one is read as far as its metadata.
    pub photo_bytes: usize,
    /// The wall-clock time the scan may take.
    pub max_time: Duration,
}

impl Default for AssetLimits {
    fn default() -> Self {
        AssetLimits {
            max_files: 50_000,
            max_total_bytes: 512 * 1024 * 1024,
            max_blob_bytes: 32 * 1024 * 1024,
            text_prefix: 8 * 1024,
            image_prefix: 256 * 1024,
            photo_bytes: 8 * 1024 * 1024,
            // A safety net, not a budget: a verdict must not depend on how busy the machine is, so the
            // deterministic bounds above are the ones a real repository meets.
            max_time: Duration::from_secs(300),
        }
    }
}

/// A font file in a format [`kind_of`] does not read (PostScript Type 1, bitmap fonts).
pub(super) fn other_font_format(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.rsplit_once('.').is_some_and(|(_, e)| {
        matches!(
            e,
            "pfb" | "pfa" | "pfm" | "afm" | "fon" | "fnt" | "bdf" | "pcf" | "dfont" | "svgz"
        )
    })
}

/// A name that says a raster picture whose pixels are measured: JPEG, PNG, GIF, WebP or TIFF.
fn is_raster_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".tif", ".tiff",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

/// The asset kind a file's first bytes announce, whatever its name: a font (TrueType, OpenType, a collection,
/// WOFF, WOFF2, Embedded OpenType) or an image (JPEG, PNG, GIF, TIFF, WebP).
///
/// The invariant: a file is judged as what its bytes are. A font saved as `a.eot`, `logo.png` or `font.css`
/// is read as a font ([`judge_bytes`] asks this before it trusts the name), so a name cannot hide one.
pub fn content_kind(head: &[u8]) -> Option<AssetKind> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"wOFF")
        || starts(b"wOF2")
        || starts(b"OTTO")
        || starts(b"ttcf")
        || starts(b"true")
        || starts(&[0, 1, 0, 0])
        || fonts::is_eot(head)
    {
        return Some(AssetKind::Font);
    }
    if starts(&[0xFF, 0xD8, 0xFF])
        || starts(b"\x89PNG\r\n\x1a\n")
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || starts(b"II*\0")
        || starts(b"MM\0*")
        || (starts(b"RIFF") && head.get(8..12) == Some(b"WEBP".as_slice()))
    {
        return Some(AssetKind::Image);
    }
    None
}

/// The kind of asset a file name says it is.
pub fn kind_of(path: &str) -> Option<AssetKind> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if crate::license::discovery::is_bundle_banners(&name) {
        return Some(AssetKind::Text);
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "ttf" | "otf" | "ttc" | "otc" | "woff" | "woff2" | "eot" => Some(AssetKind::Font),
        "jpg" | "jpeg" | "jpe" | "jfif" | "png" | "gif" | "tif" | "tiff" | "webp" | "heic"
        | "heif" | "avif" | "svg" => Some(AssetKind::Image),
        "js" | "mjs" | "cjs" | "css" | "scss" | "sass" | "less" | "html" | "htm" | "xhtml"
        | "shtml" | "mht" | "mhtml" => Some(AssetKind::Text),
        "mp3" | "m4a" | "m4b" | "aac" | "ogg" | "oga" | "opus" | "flac" | "wav" | "aif"
        | "aiff" | "ape" | "wv" | "mpc" | "mp4" | "m4v" | "mov" => Some(AssetKind::Media),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod bundled_tests;
