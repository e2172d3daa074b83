//! Third-party assets: files inside a repository that carry terms of their own — fonts, images with rights
//! metadata, bundled scripts, stylesheets and saved web pages.
//!
//! A republication pushes the history unchanged, so a file under someone else's terms cannot be left out: a
//! commercial font or an agency photograph inside an MIT repository makes the repository a matter for a
//! person. This module reads what such files say about themselves, from bytes, with parsers kept elsewhere:
//!
//! - fonts (`.ttf`, `.otf`, `.ttc`, `.woff`, `.woff2`): the naming table's copyright (name id 0), trademark
//!   (7), manufacturer (8), licence description (13) and licence URL (14). WOFF and WOFF2 are decoded to sfnt
//!   by `wuff`; the naming table is read by `ttf-parser`.
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

use std::collections::HashSet;
use std::io::Read;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use git2::{ObjectType, Oid, Repository};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Observation;
use super::holders;
use super::reference;

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
}

impl AssetKind {
    pub fn name(self) -> &'static str {
        match self {
            AssetKind::Font => "font",
            AssetKind::Image => "image",
            AssetKind::Text => "bundled file",
            AssetKind::LicenceFile => "licence file only in history",
            AssetKind::Media => "recording",
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
    /// The well-known component ([`super::components`]) whose licence the terms are, when they were read by
    /// recognition rather than from the file's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

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
    /// Set when a limit stopped the scan: what was left unread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
}

/// The bytes of a file of `kind` at `path` that are read: a bundle's extracted banners (`main.js.LICENSE.txt`)
/// are all banners, and are read as far as an image's metadata is.
pub fn prefix_for(kind: AssetKind, path: &str, limits: &AssetLimits) -> usize {
    match kind {
        AssetKind::Text
            if super::discovery::is_bundle_banners(path.rsplit('/').next().unwrap_or(path)) =>
        {
            limits.image_prefix
        }
        AssetKind::Text => limits.text_prefix,
        AssetKind::Image | AssetKind::LicenceFile => limits.image_prefix,
        AssetKind::Font | AssetKind::Media => limits.max_blob_bytes,
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
            // A safety net, not a budget: a verdict must not depend on how busy the machine is, so the
            // deterministic bounds above are the ones a real repository meets.
            max_time: Duration::from_secs(300),
        }
    }
}

/// A font file in a format [`kind_of`] does not read (Embedded OpenType, PostScript Type 1, bitmap fonts).
fn other_font_format(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.rsplit_once('.').is_some_and(|(_, e)| {
        matches!(
            e,
            "eot"
                | "pfb"
                | "pfa"
                | "pfm"
                | "afm"
                | "fon"
                | "fnt"
                | "bdf"
                | "pcf"
                | "dfont"
                | "svgz"
        )
    })
}

/// The kind of asset a file name says it is.
pub fn kind_of(path: &str) -> Option<AssetKind> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if super::discovery::is_bundle_banners(&name) {
        return Some(AssetKind::Text);
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "ttf" | "otf" | "ttc" | "otc" | "woff" | "woff2" => Some(AssetKind::Font),
        "jpg" | "jpeg" | "jpe" | "jfif" | "png" | "gif" | "tif" | "tiff" | "webp" | "heic"
        | "heif" | "avif" | "svg" => Some(AssetKind::Image),
        "js" | "mjs" | "cjs" | "css" | "scss" | "sass" | "less" | "html" | "htm" | "xhtml"
        | "shtml" | "mht" | "mhtml" => Some(AssetKind::Text),
        "mp3" | "m4a" | "m4b" | "aac" | "ogg" | "oga" | "opus" | "flac" | "wav" | "aif"
        | "aiff" | "ape" | "wv" | "mpc" | "mp4" | "m4v" | "mov" => Some(AssetKind::Media),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Classing terms (pure)

/// Words that withhold: copying, distribution, use or modification refused, or limited to someone.
static WITHHOLDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:may|must|shall|can|will)\s*(?:not|n[o'’]t)\s+(?:be\s+)?(?:(?:\w+ly|otherwise|further|in\s+any\s+(?:way|form))\s+)?
            (?:cop(?:y|ied)|distribut|redistribut|reproduc|modif|alter|sold|sell|resold|resell|embed|sub-?licen|transfer|shar|lend|rent|publish|post|upload|convert|disassembl|decompil)
        | \bnot\s+(?:for|to\s+be)\s+(?:re-?)?(?:distribut|publi|circulat|shar|cop)
        | \b(?:do|does)\s*(?:not|n[o'’]t)\s+(?:copy|distribute|redistribute|reproduce|share|publish|sell)
        | \bno\s+(?:part|copy|copies|reproduction|redistribution)\b[^.]{0,60}?\b(?:may|shall|can|is\s+permitted|are\s+permitted|allowed)
        | \bconfidential | \bproprietary\s+(?:and|&)\s+confidential
        | \bproprietary\s+(?:software|information|font|typeface|material|rights|licen[cs]e|to)\b | \bis\s+proprietary\b
        | \brestricted\s+(?:use|distribution|licen[cs]e)
        | \brights[\s-]*managed | \b(?:RM|royalty[\s-]free)\s+licen[cs]e
        | \b(?:non[\s-]?)?exclusive(?:ly)?\s+(?:use|for|licen[cs]e)
        | \bfor\s+(?:the\s+)?(?:exclusive|sole|internal|personal|private|non-?commercial|editorial)\s+use
        | \b(?:internal|personal|editorial|evaluation|trial)\s+use\s+only
        | \b(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden)
        | \b(?:distribution|redistribution|copying|reproduction|use|modification|resale)\s+(?:of\s+(?:\w+\s+){1,3})?(?:is|are)\s+not\s+(?:permitted|allowed)
        | \bwithout\s+(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?(?:permission|consent|authori[sz]ation|licen[cs]e)
        | \blicen[cs]ed\s+(?:exclusively\s+|only\s+)?to\s+(?:the\s+)?(?-i:[A-Z])
        | \bunder\s+licen[cs]e\s+from
        | \bcommercial\s+licen[cs]e
        | \bpurchas(?:e|ed|ing)\s+(?:an?\s+|the\s+|your\s+own\s+)?(?:\w+\s+)?(?:licen[cs]e|copy|copies|seats?|subscription|rights)
        | \b(?:is|are|be|been)\s+purchased | \bpurchased\s+(?:from|by|under|through)
        | \b(?:trial|evaluation|demo)\s+(?:version|copy|font|licen[cs]e)
        | \bnon[\s-]?commercial\s+(?:use|purposes?)\s+only | \bfor\s+non[\s-]?commercial\s+purposes | \bno\s+derivatives?\s+(?:works?\s+)?(?:may|are|allowed|permitted) | \bNC[\s-]ND\b | \bBY[\s-]NC\b
        | \bpermission\s+(?:is\s+)?(?:required|needed)
        | \bmust\s+(?:be\s+)?(?:licen[cs]ed|purchased|obtained)
        | \bstock\s+(?:photo|image|footage)
        ",
    )
    .expect("withholding pattern")
});

/// Sentences of open licences that read like withholding to [`WITHHOLDING`] but are part of the licence's
/// standard text: removed before the withholding test, and only when the licence they belong to is named.
static OPEN_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        you\s+may\s+not\s+use\s+this\s+file\s+except\s+in\s+compliance\s+with\s+the\s+licen[cs]e
        | (?:may\s+)?not\s+be\s+used\s+to\s+(?:endorse\s+or\s+)?promote\s+products\s+derived\s+from\s+this\s+software\s+without\s+specific\s+prior\s+written\s+permission
        | without\s+specific\s+prior\s+written\s+permission
        | must\s+not\s+be\s+distributed\s+under\s+any\s+other\s+licen[cs]e
        | licensed\s+to\s+the\s+apache\s+software\s+foundation\s+\(ASF\)\s+under\s+one\s+or\s+more\s+contributor\s+license\s+agreements
        | the\s+font\s+software\s+may\s+be\s+sold\s+as\s+part\s+of\s+a\s+larger\s+software\s+package\s+but\s+no\s+copy\s+of\s+one\s+or\s+more\s+of\s+the\s+font\s+software\s+typefaces\s+may\s+be\s+sold\s+by\s+itself
        | (?:shall|must)\s+not\s+be\s+used\s+in\s+advertising\s+or\s+otherwise\s+to\s+promote\s+the\s+sale[^.]*
        ",
    )
    .expect("boilerplate pattern")
});

/// Grant sentences and names of open licences the shared reference table does not know (font licences, the
/// canonical first sentences of common permissive texts), with the id each stands for.
static OPEN_GRANTS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let r = |p: &str| Regex::new(p).expect("grant pattern");
    vec![
        (
            r(
                r"(?i)\bSIL\s+Open\s+Font\s+Licen[cs]e|\bOpen\s+Font\s+Licen[cs]e\b|\bOFL[\s-]?(?:v?1\.1)?\b|openfontlicense\.org|scripts\.sil\.org/OFL",
            ),
            "OFL-1.1",
        ),
        (
            r(
                r"(?i)\bUbuntu\s+Font\s+Licen[cs]e|ubuntu\.com/legal/terms-and-policies/font-licen[cs]e",
            ),
            "Ubuntu-font-1.0",
        ),
        (
            r(r"(?i)\bBitstream\s+Vera\b[^.]{0,40}\blicen[cs]e|dejavu-fonts\.org/wiki/Licen[cs]e"),
            "Bitstream-Vera",
        ),
        (
            r(
                r"(?i)permission\s+is\s+hereby\s+granted,?\s+free\s+of\s+charge,?\s+to\s+any\s+person",
            ),
            "MIT",
        ),
        (
            r(
                r"(?i)redistribution\s+and\s+use\s+(?:of\s+this\s+software\s+)?in\s+source\s+and\s+binary\s+forms,?\s+with\s+or\s+without\s+modification,?\s+are\s+permitted",
            ),
            "BSD-3-Clause",
        ),
        (
            r(
                r"(?i)permission\s+to\s+use,\s+copy,\s+modify,\s+and(?:/or)?\s+distribute\s+this\s+software\s+for\s+any\s+purpose",
            ),
            "ISC",
        ),
        (
            r(
                r"(?i)licensed\s+under\s+the\s+apache\s+licen[cs]e|apache\.org/licenses/LICENSE-2\.0",
            ),
            "Apache-2.0",
        ),
        (
            r(
                r"(?i)this\s+(?:program|library|file)\s+is\s+free\s+software;?\s+you\s+can\s+redistribute\s+it",
            ),
            "LicenseRef-GNU-family",
        ),
        (
            r(r"(?i)subject\s+to\s+the\s+terms\s+of\s+the\s+Mozilla\s+Public\s+License"),
            "MPL-2.0",
        ),
        (
            r(
                r"(?i)permission\s+is\s+granted\s+to\s+anyone\s+to\s+use\s+this\s+software\s+for\s+any\s+purpose",
            ),
            "Zlib",
        ),
        (
            r(r"(?i)jquery\.org/licen[cs]e|js\.foundation/licen[cs]e|openjsf\.org/licen[cs]e"),
            "MIT",
        ),
        (
            r(r"(?i)opensource\.org/licenses/(?:MIT|mit-license)"),
            "MIT",
        ),
        (
            r(r"(?i)\b(?:dedicated\s+to|released\s+into|placed\s+in)\s+the\s+public\s+domain\b"),
            "LicenseRef-public-domain",
        ),
    ]
});

/// A licence named by a word after "licensed", "released under", ":license:" or before "licensed" ("Licensed
/// MIT", "MIT Licensed", ":license: BSD"): the name is looked up in the SPDX list, exactly or loosely.
static LICENSED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:licen[cs]ed|released|distributed)\s+(?:freely\s+)?(?:under\s+)?(?:the\s+)?(?:terms\s+of\s+the\s+)?
            (?P<a>[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?)
        | \b(?P<b>MIT|BSD|ISC|Apache(?:\s+v?2(?:\.0)?)?|MPL(?:\s+v?2(?:\.0)?)?|WTFPL|Unlicense)[\s-]+licen[cs]ed\b
        | (?::licen[cs]e:|\blicen[cs]e\s*[:\x{2013}\x{2014}-]?)\s*(?P<c>[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?)
        ",
    )
    .expect("licensed-name pattern")
});

/// The open licence a word names, if it names one, read through the licence-name vocabulary every other claim
/// goes through ([`super::manifest::license_from_name`]). A bare "BSD" (the vocabulary cannot tell 2-clause from
/// 3-clause) is read as BSD-3-Clause for an asset's terms: both are open, and the 3-clause conditions include
/// the 2-clause ones.
fn open_named(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches(['.', ',', ')', ':']);
    let mapped = super::manifest::license_from_name(name)
        .expression
        .or_else(|| {
            let lower = name.to_ascii_lowercase();
            matches!(lower.as_str(), "bsd" | "bsd license" | "bsd licence")
                .then(|| "BSD-3-Clause".to_string())
        })?;
    all_open(&mapped).then_some(mapped)
}

/// Whether every licence of an SPDX expression is open (an AND needs each; so does an OR read here, which keeps
/// only the options that were read).
fn all_open(expression: &str) -> bool {
    match spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX) {
        Ok(parsed) => {
            let ids: Vec<String> = parsed
                .requirements()
                .map(|r| r.req.license.to_string())
                .collect();
            !ids.is_empty() && ids.iter().all(|id| is_open_id(id))
        }
        Err(_) => is_open_id(expression),
    }
}

/// Licences named as a choice in a header's own words: "Dual MIT/BSD license", "MIT/GPL licensed",
/// "dual licensed under MIT or GPL-2.0". Each option goes through the vocabulary; the options that are read and
/// open make the choice (a recipient may take any one).
static CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?P<a>[A-Za-z][A-Za-z0-9.+\-]*(?:\s*/\s*[A-Za-z][A-Za-z0-9.+\-]*)+)[\s-]+licen[cs](?:e[ds]?|ing)\b
        | \bdual[\s-]+licen[cs]ed\s+(?:under\s+)?(?:the\s+)?(?P<b>[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?\s+(?:or|and|/)\s+(?:the\s+)?[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?)
        ",
    )
    .expect("choice pattern")
});

static CHOICE_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*/\s*|\s+(?:or|and)\s+(?:the\s+)?").expect("split pattern")
});

/// The open licences a header offers as a choice: an `OR` expression of the options read.
fn open_choice(text: &str) -> Option<String> {
    for caps in CHOICE.captures_iter(text) {
        let Some(m) = caps.name("a").or(caps.name("b")) else {
            continue;
        };
        // Every option must be read and open: "BSD/commercial licence" offers a choice, but one whose other
        // option is not a licence the vocabulary reads is for a person.
        let options: Option<Vec<String>> = CHOICE_SPLIT.split(m.as_str()).map(open_named).collect();
        if let Some(mut options) = options.filter(|o| !o.is_empty()) {
            options.dedup();
            return Some(options.join(" OR "));
        }
    }
    None
}

/// URLs of licences in a header, read through the vocabulary's URL table
/// ([`super::manifest::license_from_url`]): a link to a known licence is a claim; a link to a project's own
/// licence page (`datatables.net/license`) is a pointer, not a licence, and reads as nothing.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:https?://)?(?:www\.)?[a-z0-9.\-]+\.[a-z]{2,}/[^\s"'<>)*|]*"#)
        .expect("url pattern")
});

fn open_url(text: &str) -> Option<String> {
    URL.find_iter(text).find_map(|m| {
        let url = m.as_str().trim_end_matches(['.', ',', ';']);
        let id = super::manifest::license_from_url(url).expression?;
        all_open(&id).then_some(id)
    })
}

/// The words of a comment block as written, without its decoration: the `/*`, `*/`, leading `*`, `//`, `#`
/// and `<!--` `-->` of each line, so that a sentence wrapped over decorated lines reads as one.
pub fn comment_words(block: &str) -> String {
    block
        .lines()
        .map(|line| {
            let mut l = line.trim();
            for open in ["/**", "/*!", "/*", "<!--", "//!", "///", "//", "#"] {
                if let Some(rest) = l.strip_prefix(open) {
                    l = rest;
                    break;
                }
            }
            let l = l.trim_end();
            let l = l
                .strip_suffix("*/")
                .or_else(|| l.strip_suffix("-->"))
                .unwrap_or(l);
            l.trim_start().trim_start_matches('*').trim().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

static SPDX_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:SPDX-License-Identifier|@licen[cs]e)\s*:?\s*([A-Za-z0-9.+\-() ]+?)(?:\s*\*/|\s*$|\s*[|,;\n])")
        .expect("spdx tag pattern")
});

/// Whether a licence id is open enough for a bundled asset to travel with the repository: OSI-approved or
/// FSF free, or one of the open content and font licences the SPDX flags leave out. Non-commercial and
/// no-derivatives licences are not.
pub fn is_open_id(id: &str) -> bool {
    let upper = id.to_ascii_uppercase();
    if upper.contains("-NC") || upper.contains("-ND") {
        return false;
    }
    if upper.starts_with("OGL-UK-")
        || upper.starts_with("CC-BY-")
        || upper.starts_with("CC0")
        || upper.starts_with("OFL-")
        || matches!(
            id,
            "Bitstream-Vera"
                | "Ubuntu-font-1.0"
                | "LicenseRef-GNU-family"
                | "LicenseRef-public-domain"
        )
    {
        return true;
    }
    let bare = id.trim_end_matches('+');
    spdx::license_id(bare).is_some_and(|l| l.is_osi_approved() || l.is_fsf_free_libre())
}

/// The first open licence a text names, links, tags or quotes the grant of.
pub fn open_grant(text: &str) -> Option<String> {
    for caps in SPDX_TAG.captures_iter(text) {
        let expr = caps[1].trim();
        if let Ok(parsed) = spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX) {
            let ids: Vec<String> = parsed
                .requirements()
                .map(|r| r.req.license.to_string())
                .collect();
            if !ids.is_empty() && ids.iter().all(|id| is_open_id(id)) {
                return Some(ids.join(" AND "));
            }
        }
    }
    for (re, id) in OPEN_GRANTS.iter() {
        if re.is_match(text) {
            return Some((*id).to_string());
        }
    }
    for caps in LICENSED_NAME.captures_iter(text) {
        if let Some(id) = caps
            .name("a")
            .or(caps.name("b"))
            .or(caps.name("c"))
            .and_then(|m| open_named(m.as_str()))
        {
            return Some(id);
        }
    }
    if let Some(choice) = open_choice(text) {
        return Some(choice);
    }
    if let Some(id) = open_url(text) {
        return Some(id);
    }
    reference::references(text)
        .into_iter()
        .map(|r| r.id)
        .find(|id| is_open_id(id))
}

/// The first withholding term of a text, open licences' own standard sentences aside.
pub fn withholding_term(text: &str) -> Option<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = OPEN_BOILERPLATE.replace_all(&flat, " ");
    WITHHOLDING
        .find_iter(&cleaned)
        // "non-exclusive licence" grants; "exclusive licence" withholds.
        .find(|m| {
            let after = cleaned[m.end()..].trim_start().to_ascii_lowercase();
            !m.as_str().to_ascii_lowercase().starts_with("non")
                // A licence's own "use that could be made without permission under this licence".
                && !(m.as_str().to_ascii_lowercase().contains("without")
                    && (after.starts_with("under ") || after.starts_with(',')))
        })
        .map(|m| excerpt_around(&cleaned, m.start(), m.end()))
}

/// Terms from what an asset says: withholding wins over any licence named beside it.
pub fn class_terms(text: &str) -> (Terms, String) {
    if let Some(term) = withholding_term(text) {
        return (Terms::Restrictive, term);
    }
    match open_grant(text) {
        Some(id) => (Terms::Open(id.clone()), format!("names {id}")),
        None => (Terms::Unknown, String::new()),
    }
}

fn excerpt_around(text: &str, start: usize, end: usize) -> String {
    let from = floor_boundary(text, start.saturating_sub(60));
    let to = ceil_boundary(text, (end + 60).min(text.len()));
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn short(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.len() <= max {
        s
    } else {
        format!("{}…", &s[..floor_boundary(&s, max)])
    }
}

// ---------------------------------------------------------------------------------------------------------
// Fonts

/// The naming-table fields of a font that speak of its terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontNames {
    /// Name id 0.
    pub copyright: Vec<String>,
    /// Name id 7.
    pub trademark: Vec<String>,
    /// Name id 8.
    pub manufacturer: Vec<String>,
    /// Name id 13.
    pub license: Vec<String>,
    /// Name id 14.
    pub license_url: Vec<String>,
    /// Name ids 1 and 16: the family, read to recognise a well-known open font ([`super::components`]).
    pub family: Vec<String>,
    /// Name id 9.
    pub designer: Vec<String>,
    /// Name ids 11 and 12: the vendor's and designer's URLs.
    pub urls: Vec<String>,
}

/// The sfnt bytes of a font file: WOFF and WOFF2 decoded, anything else as it is.
fn sfnt_of(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    let decode = |f: fn(&[u8]) -> Result<Vec<u8>, wuff::WuffErr>, what: &str| {
        // The decoder is a port of C++ code: a malformed file must not take the check down with it.
        match std::panic::catch_unwind(|| f(bytes)) {
            Ok(Ok(sfnt)) => Ok(std::borrow::Cow::Owned(sfnt)),
            Ok(Err(e)) => Err(format!("{what} cannot be decoded ({e:?})")),
            Err(_) => Err(format!("{what} cannot be decoded (the decoder failed)")),
        }
    };
    match bytes.get(..4) {
        Some(b"wOFF") => decode(wuff::decompress_woff1, "WOFF"),
        Some(b"wOF2") => decode(wuff::decompress_woff2, "WOFF2"),
        Some(_) => Ok(std::borrow::Cow::Borrowed(bytes)),
        None => Err("too short to be a font".into()),
    }
}

/// Read a font's naming table (every face of a collection). `Err` says why it could not be read.
pub fn font_names(bytes: &[u8]) -> Result<FontNames, String> {
    let sfnt = sfnt_of(bytes)?;
    let faces = ttf_parser::fonts_in_collection(&sfnt)
        .unwrap_or(1)
        .clamp(1, 64);
    let mut names = FontNames::default();
    let mut any = false;
    for index in 0..faces {
        let raw = ttf_parser::RawFace::parse(&sfnt, index)
            .map_err(|e| format!("not a font the parser reads ({e})"))?;
        let Some(table) = raw.table(ttf_parser::Tag::from_bytes(b"name")) else {
            continue;
        };
        let Some(table) = ttf_parser::name::Table::parse(table) else {
            return Err("the naming table is malformed".into());
        };
        any = true;
        for name in table.names {
            let slot = match name.name_id {
                ttf_parser::name_id::COPYRIGHT_NOTICE => &mut names.copyright,
                ttf_parser::name_id::TRADEMARK => &mut names.trademark,
                ttf_parser::name_id::MANUFACTURER => &mut names.manufacturer,
                ttf_parser::name_id::LICENSE => &mut names.license,
                ttf_parser::name_id::LICENSE_URL => &mut names.license_url,
                ttf_parser::name_id::FAMILY | ttf_parser::name_id::TYPOGRAPHIC_FAMILY => {
                    &mut names.family
                }
                ttf_parser::name_id::DESIGNER => &mut names.designer,
                ttf_parser::name_id::VENDOR_URL | ttf_parser::name_id::DESIGNER_URL => {
                    &mut names.urls
                }
                _ => continue,
            };
            let value = name.to_string().unwrap_or_else(|| {
                // Macintosh Roman and other byte encodings: read as Latin-1, enough for the words sought.
                name.name.iter().map(|&b| char::from(b)).collect()
            });
            let value = value.trim().to_string();
            if !value.is_empty() && !slot.contains(&value) {
                slot.push(value);
            }
        }
    }
    if any {
        Ok(names)
    } else {
        Err("the font has no naming table".into())
    }
}

/// Class a font by its naming table.
pub fn judge_font(path: &str, names: &FontNames) -> ThirdPartyAsset {
    let mut holders_found: Vec<String> = Vec::new();
    for c in &names.copyright {
        for h in notice_holders(c) {
            push_unique(&mut holders_found, h);
        }
    }
    for m in &names.manufacturer {
        push_unique(&mut holders_found, m.clone());
    }
    // The licence fields decide; the copyright and trademark fields are read for withholding terms too (a
    // commercial foundry often puts its terms there).
    let licence_text = [names.license.join("\n"), names.license_url.join("\n")].join("\n");
    let all_text = [
        licence_text.clone(),
        names.copyright.join("\n"),
        names.trademark.join("\n"),
    ]
    .join("\n");
    // Third in order of preference: a well-known open font, recognised by its holder and its family or home.
    let recognised = || {
        let mut holders_named = holders_found.clone();
        for d in &names.designer {
            push_unique(&mut holders_named, d.clone());
        }
        let text = [all_text.as_str(), &names.urls.join("\n")].join("\n");
        super::components::recognise_font(&super::components::FontFields {
            families: &names.family,
            holders: &holders_named,
            text: &text,
        })
    };
    let mut component = None;
    let (terms, evidence) = match withholding_term(&all_text) {
        Some(term) => (Terms::Restrictive, term),
        None => match open_grant(&licence_text).or_else(|| open_grant(&all_text)) {
            Some(id) => (Terms::Open(id.clone()), format!("licence field names {id}")),
            None => match recognised() {
                Some(r) => {
                    let quote = [names.family.join(", "), names.copyright.join(" ")].join(": ");
                    component = Some(r.component.clone());
                    (Terms::Open(r.license.clone()), r.describe(&quote))
                }
                None if licence_text.trim().is_empty() => (
                    Terms::Unknown,
                    "no licence field (name ids 13, 14)".to_string(),
                ),
                None => (
                    Terms::Unknown,
                    format!(
                        "licence field names no open licence: \"{}\"",
                        short(&licence_text, 160)
                    ),
                ),
            },
        },
    };
    ThirdPartyAsset {
        about_fonts: false,
        component,
        path: path.to_string(),
        kind: AssetKind::Font,
        holders: holders_found,
        terms,
        evidence,
    }
}

/// Read and class one font file: an unreadable font is a font of unknown terms.
pub fn font_asset(path: &str, bytes: &[u8]) -> ThirdPartyAsset {
    match font_names(bytes) {
        Ok(names) => judge_font(path, &names),
        Err(why) => ThirdPartyAsset {
            about_fonts: false,
            component: None,
            path: path.to_string(),
            kind: AssetKind::Font,
            holders: Vec::new(),
            terms: Terms::Unknown,
            evidence: format!("its licence cannot be read: {why}"),
        },
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    let s = s.trim().to_string();
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Images

/// One rights-related value found in an image, and the slot it came from (`xmp dc:rights`, `exif
/// Copyright`, `iptc credit`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightsField {
    pub slot: String,
    pub value: String,
}

/// Which rights slot a value fills: decides whether it names a holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A copyright or rights statement (may name a holder).
    Rights,
    /// Usage terms, a web statement, the "marked" flag: terms only.
    Terms,
    /// A supplier, licensor, credit or source: names a holder.
    Holder,
}

/// XMP properties read, by namespace URI and local name.
const XMP_PROPERTIES: &[(&str, &str, &str, Role)] = &[
    (
        "http://purl.org/dc/elements/1.1/",
        "rights",
        "dc:rights",
        Role::Rights,
    ),
    (
        "http://ns.adobe.com/xap/1.0/rights/",
        "UsageTerms",
        "xmpRights:UsageTerms",
        Role::Terms,
    ),
    (
        "http://ns.adobe.com/xap/1.0/rights/",
        "WebStatement",
        "xmpRights:WebStatement",
        Role::Terms,
    ),
    (
        "http://ns.adobe.com/xap/1.0/rights/",
        "Marked",
        "xmpRights:Marked",
        Role::Terms,
    ),
    (
        "http://ns.adobe.com/xap/1.0/rights/",
        "Owner",
        "xmpRights:Owner",
        Role::Holder,
    ),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "Credit",
        "photoshop:Credit",
        Role::Holder,
    ),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "Source",
        "photoshop:Source",
        Role::Holder,
    ),
    (
        "http://ns.useplus.org/ldf/xmp/1.0/",
        "ImageSupplierName",
        "plus:ImageSupplierName",
        Role::Holder,
    ),
    (
        "http://ns.useplus.org/ldf/xmp/1.0/",
        "LicensorName",
        "plus:LicensorName",
        Role::Holder,
    ),
    (
        "http://ns.useplus.org/ldf/xmp/1.0/",
        "CopyrightOwnerName",
        "plus:CopyrightOwnerName",
        Role::Holder,
    ),
    (
        "http://ns.useplus.org/ldf/xmp/1.0/",
        "LicensorURL",
        "plus:LicensorURL",
        Role::Terms,
    ),
    (
        "http://ns.useplus.org/ldf/xmp/1.0/",
        "CopyrightStatus",
        "plus:CopyrightStatus",
        Role::Terms,
    ),
    (
        "http://ns.useplus.org/ldf/xmp/1.0/",
        "LicenseID",
        "plus:LicenseID",
        Role::Terms,
    ),
    (
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "CopyrightNotice",
        "Iptc4xmpCore:CopyrightNotice",
        Role::Rights,
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "AOCopyrightNotice",
        "Iptc4xmpExt:AOCopyrightNotice",
        Role::Rights,
    ),
    (
        "http://creativecommons.org/ns#",
        "license",
        "cc:license",
        Role::Terms,
    ),
    (
        "http://creativecommons.org/ns#",
        "attributionName",
        "cc:attributionName",
        Role::Holder,
    ),
];

fn role_of(slot: &str) -> Role {
    XMP_PROPERTIES
        .iter()
        .find(|(_, _, s, _)| *s == slot)
        .map(|(_, _, _, r)| *r)
        .unwrap_or(if slot.starts_with("xmp") {
            // Raw markup of a packet that would not parse: terms only, no holder can be told from it.
            Role::Terms
        } else if slot.ends_with("Copyright") || slot.ends_with("copyright notice") {
            Role::Rights
        } else {
            Role::Holder
        })
}

/// The XMP packets in `bytes`: every `<x:xmpmeta …>…</x:xmpmeta>` (or the older `x:xapmeta`), wherever
/// it sits. A packet may sit in any container (JPEG APP1, PNG iTXt, TIFF tag, WebP chunk, SVG metadata).
pub fn xmp_packets(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = XMP_OPEN.find_at(bytes, from) {
        let Some(close) = XMP_CLOSE.find_at(bytes, open.end()) else {
            break;
        };
        out.push(&bytes[open.start()..close.end()]);
        from = close.end();
        if out.len() >= 16 {
            break;
        }
    }
    out
}

// Searched on bytes with the regex crate's literal search: an image is mostly compressed pixels.
static XMP_OPEN: LazyLock<regex::bytes::Regex> =
    LazyLock::new(|| regex::bytes::Regex::new(r"<x:x[ma]pmeta\b").expect("xmp pattern"));
static XMP_CLOSE: LazyLock<regex::bytes::Regex> =
    LazyLock::new(|| regex::bytes::Regex::new(r"</x:x[ma]pmeta>").expect("xmp pattern"));

/// The rights fields of one XMP packet. A packet that is not well-formed XML is reported as such: its words
/// are still searched for withholding terms by the caller.
pub fn xmp_rights(packet: &[u8]) -> Result<Vec<RightsField>, String> {
    let text = String::from_utf8_lossy(packet);
    let doc = roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|e| format!("XMP packet is not well-formed XML ({e})"))?;
    let mut out = Vec::new();
    for node in doc.descendants() {
        // A property is an element, or an attribute of an rdf:Description (the short form).
        if node.is_element() {
            let tag = node.tag_name();
            if let Some((_, _, slot, _)) = XMP_PROPERTIES
                .iter()
                .find(|(ns, local, _, _)| tag.namespace() == Some(*ns) && tag.name() == *local)
            {
                let value = node
                    .attribute(("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "resource"))
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        node.descendants()
                            .filter(|n| n.is_text())
                            .filter_map(|n| n.text())
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                            .join(" / ")
                    });
                if !value.trim().is_empty() {
                    out.push(RightsField {
                        slot: (*slot).to_string(),
                        value: value.trim().to_string(),
                    });
                }
            }
            for attr in node.attributes() {
                if let Some((_, _, slot, _)) = XMP_PROPERTIES.iter().find(|(ns, local, _, _)| {
                    attr.namespace() == Some(*ns) && attr.name() == *local
                }) && !attr.value().trim().is_empty()
                {
                    out.push(RightsField {
                        slot: (*slot).to_string(),
                        value: attr.value().trim().to_string(),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// EXIF `Copyright` and `Artist`, from any container kamadak-exif reads (JPEG, TIFF, PNG, WebP, HEIF).
pub fn exif_rights(bytes: &[u8]) -> Vec<RightsField> {
    let mut cursor = std::io::Cursor::new(bytes);
    let Ok(exif) = exif::Reader::new().read_from_container(&mut cursor) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in exif.fields() {
        let slot = match field.tag {
            exif::Tag::Copyright => "exif Copyright",
            exif::Tag::Artist => "exif Artist",
            _ => continue,
        };
        let value = match &field.value {
            exif::Value::Ascii(parts) => parts
                .iter()
                .map(|p| String::from_utf8_lossy(p).trim().to_string())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" / "),
            other => other.display_as(field.tag).to_string(),
        };
        if !value.trim().is_empty() {
            out.push(RightsField {
                slot: slot.to_string(),
                value,
            });
        }
    }
    out
}

/// IPTC-IIM copyright notice (2:116), credit (2:110), source (2:115) and by-line (2:80) from a JPEG's
/// Photoshop APP13 segment. The IIM record format is a tag byte 0x1C, record, dataset and a 16-bit length;
/// it is read only inside the APP13 segments of a JPEG's header.
pub fn iptc_rights(bytes: &[u8]) -> Vec<RightsField> {
    let mut out = Vec::new();
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return out;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            break; // start of scan: no more metadata segments
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let end = (i + 2 + len).min(bytes.len());
        if len < 2 {
            break;
        }
        if marker == 0xED {
            let segment = &bytes[i + 4..end];
            let mut j = 0;
            while j + 5 <= segment.len() {
                if segment[j] == 0x1C && segment[j + 1] == 2 {
                    let dataset = segment[j + 2];
                    let n = usize::from(u16::from_be_bytes([segment[j + 3], segment[j + 4]]));
                    let value_end = (j + 5 + n).min(segment.len());
                    let slot = match dataset {
                        116 => Some("iptc copyright notice"),
                        110 => Some("iptc credit"),
                        115 => Some("iptc source"),
                        80 => Some("iptc by-line"),
                        _ => None,
                    };
                    if let Some(slot) = slot {
                        let value = String::from_utf8_lossy(&segment[j + 5..value_end])
                            .trim()
                            .to_string();
                        if !value.is_empty() {
                            out.push(RightsField {
                                slot: slot.to_string(),
                                value,
                            });
                        }
                    }
                    j = value_end;
                } else {
                    j += 1;
                }
            }
        }
        i = end;
    }
    out
}

/// Every rights field of an image: XMP, EXIF, IPTC-IIM; and whether an XMP packet could not be parsed.
pub fn image_rights(bytes: &[u8]) -> (Vec<RightsField>, Vec<String>) {
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    for packet in xmp_packets(bytes) {
        match xmp_rights(packet) {
            Ok(f) => fields.extend(f),
            Err(e) => {
                problems.push(e);
                // A packet split across segments (extended XMP) or otherwise broken: its words still count
                // when it holds a rights property, as terms (no holder can be told from raw markup).
                let raw = String::from_utf8_lossy(packet);
                if XMP_PROPERTIES
                    .iter()
                    .any(|(_, local, _, _)| raw.contains(&format!(":{local}")))
                {
                    fields.push(RightsField {
                        slot: "xmp (unparsed)".into(),
                        value: raw.into_owned(),
                    });
                }
            }
        }
    }
    fields.extend(exif_rights(bytes));
    fields.extend(iptc_rights(bytes));
    (fields, problems)
}

/// Class an image by its rights fields; `None` when it carries none.
pub fn judge_image(path: &str, fields: &[RightsField]) -> Option<ThirdPartyAsset> {
    if fields.is_empty() {
        return None;
    }
    let mut holders_found: Vec<String> = Vec::new();
    for f in fields {
        match role_of(&f.slot) {
            Role::Holder => push_unique(&mut holders_found, short(&f.value, 120)),
            Role::Rights => {
                let named = notice_holders(&f.value);
                if named.is_empty() {
                    let bare = f
                        .value
                        .trim_start_matches(['©', ' '])
                        .trim_start_matches("(c)")
                        .trim_start_matches("Copyright")
                        .trim();
                    if !bare.is_empty() {
                        push_unique(&mut holders_found, short(bare, 120));
                    }
                } else {
                    for h in named {
                        push_unique(&mut holders_found, h);
                    }
                }
            }
            Role::Terms => {}
        }
    }
    let text = fields
        .iter()
        .map(|f| f.value.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let (terms, evidence) = class_terms(&text);
    let slots = fields
        .iter()
        .map(|f| format!("{} \"{}\"", f.slot, short(&f.value, 80)))
        .collect::<Vec<_>>()
        .join(", ");
    let evidence = if evidence.is_empty() {
        slots
    } else {
        format!("{evidence} ({slots})")
    };
    Some(ThirdPartyAsset {
        about_fonts: false,
        component: None,
        path: path.to_string(),
        kind: AssetKind::Image,
        holders: holders_found,
        terms,
        evidence: short(&evidence, 400),
    })
}

// ---------------------------------------------------------------------------------------------------------
// Bundled text

static SAVED_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)saved\s+from\s+url=\(\d+\)\s*(\S+?)\s*-->|mirrored\s+from\s+(\S+)\s+by\s+HTTrack|<meta\s+[^>]*name=[\x22']?original-source[\x22']?[^>]*content=[\x22']([^\x22']+)")
        .expect("saved page pattern")
});
static META_RIGHTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta\s+[^>]*(?:name|property)\s*=\s*["']?(?:copyright|rights|dcterms\.rights|dc\.rights|dcterms\.license|license)["']?[^>]*>"#)
        .expect("meta pattern")
});
static META_CONTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)content\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("content pattern")
});
/// Words that make a comment block a notice (a statement of rights or terms) rather than commentary on code.
static NOTICE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)copyright|©|&copy;|\(c\)\s|licen[cs]|\brights\b|proprietary|confidential|trade\s?mark|terms\s+(?:of|and)\s+(?:use|conditions)|distribut|reproduc|permission|prohibited|exclusive|purchas|saved\s+from\s+url")
        .expect("notice words pattern")
});

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)/\*.*?(?:\*/|\z)|<!--.*?(?:-->|\z)|(?m:^[ \t]*//[^\n]*(?:\n[ \t]*//[^\n]*)*)")
        .expect("comment pattern")
});

/// A copyright sign or word anywhere in a line, and what follows it (a banner puts it mid-line:
/// `/*! lib v1 | (c) Holder | url */`).
static NOTICE_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    // The word or sign must be followed by a year or a name ("copyright message" in prose, a grammar's
    // "(c) = flow-out" in code, are not notices).
    Regex::new(r"(?:(?i:\bcopyright\b)(?:\s*(?:\((?i:c)\)|©|&copy;))?\s*((?:\d{4}|\p{Lu}).*)|(?:©|&copy;|\((?i:c)\))\s*((?:\d{4}|\p{Lu}).*))")
        .expect("notice pattern")
});
/// Where a holder's name ends in a banner: a comment's end, a separator, a licence clause.
static HOLDER_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\*/|-->|\||\s{3,}|[,;]\s*(?:licen[cs]|released|see|available)|\blicen[cs]ed\b|\bhttps?://").expect("holder end pattern")
});

/// The holders a notice block names, wherever the copyright sign sits in its lines.
pub fn notice_holders(block: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in block.lines() {
        let Some(c) = NOTICE_ANYWHERE.captures(line) else {
            continue;
        };
        let Some(rest) = c.get(1).or(c.get(2)).map(|m| m.as_str()) else {
            continue;
        };
        let rest = match HOLDER_END.find(rest) {
            Some(m) => &rest[..m.start()],
            None => rest,
        };
        let rest = rest.trim_end_matches([' ', '(', '<', '[', ',', ';', ':', '-']);
        for h in holders::holders(&format!("Copyright {rest}")) {
            let h = h.strip_prefix("by ").unwrap_or(&h).to_string();
            push_unique(&mut out, h);
        }
    }
    out
}

/// The comment blocks of a text prefix (`/* */`, runs of `//` lines, `<!-- -->`), in order, with the
/// rights-bearing `<meta>` tags of a page as blocks of their own.
pub fn comment_blocks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = COMMENT
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect();
    for m in META_RIGHTS.find_iter(text) {
        if let Some(c) = META_CONTENT.captures(m.as_str()) {
            let value = c.get(1).or(c.get(2)).map(|v| v.as_str()).unwrap_or("");
            out.push(format!("Copyright {value}"));
        }
    }
    out
}

/// Class a bundled text file by its header comments; `None` when they say nothing of holders or terms.
///
/// Only comment blocks that read as notices (copyright, licence, rights or terms words) are weighed. Each is judged alone: a block naming a holder is covered by a grant in the same block, or
/// by a grant anywhere in the prefix when it is the only block naming a holder. A withholding term in any
/// block makes the file restrictive. A saved copy of a web page names the site it came from as a holder.
pub fn judge_text(path: &str, prefix: &[u8]) -> Option<ThirdPartyAsset> {
    let text = String::from_utf8_lossy(prefix);
    // A bundler's development build carries each module as a string (`eval("/* @preserve\n * Leaflet …")`):
    // its comments' lines are joined by escaped newlines, read as the newlines they stand for.
    let text = if text.contains("\\n") {
        std::borrow::Cow::Owned(text.replace("\\n", "\n"))
    } else {
        text
    };
    // Most files carry no notice at all: one scan says so.
    if !NOTICE_WORDS.is_match(&text) {
        return None;
    }
    // Only notices are weighed: a comment about code ("flagged for internal use") states no terms.
    let blocks: Vec<String> = comment_blocks(&text)
        .into_iter()
        .filter(|b| NOTICE_WORDS.is_match(b))
        .collect();
    let saved_from = SAVED_FROM.captures(&text).and_then(|c| {
        c.get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map(|m| m.as_str().to_string())
    });
    // Each block is read in its own words, without the comment's decoration.
    let words: Vec<String> = blocks.iter().map(|b| comment_words(b)).collect();
    let any_grant = words.iter().find_map(|b| open_grant(b));
    let holder_blocks = blocks
        .iter()
        .filter(|b| !notice_holders(b).is_empty())
        .count();
    let mut uncovered: Vec<String> = Vec::new();
    let mut restrictive: Option<String> = None;
    let mut first_notice: Option<String> = None;
    // Blocks whose terms were read: the licence each names or that a recognised component carries.
    let mut read: Vec<(String, String)> = Vec::new();
    let mut components: Vec<String> = Vec::new();
    for (block, clean) in blocks.iter().zip(&words) {
        if restrictive.is_none()
            && let Some(term) = withholding_term(clean).or_else(|| withholding_term(block))
        {
            restrictive = Some(term);
        }
        let named = notice_holders(block);
        if named.is_empty() {
            continue;
        }
        let own = open_grant(clean);
        let covered = own.is_some() || (holder_blocks == 1 && any_grant.is_some());
        if let Some(id) = own.or_else(|| any_grant.clone().filter(|_| covered)) {
            read.push((id.clone(), format!("its header names {id}")));
        }
        // Third in order of preference: a well-known open component, recognised by two signals.
        let recognised = if covered {
            None
        } else {
            super::components::recognise_text(path, clean, &named)
        };
        if let Some(r) = &recognised {
            if !components.contains(&r.component) {
                components.push(r.component.clone());
            }
            let quote = block
                .lines()
                .find(|l| NOTICE_ANYWHERE.is_match(l))
                .unwrap_or(block);
            let quote = comment_words(quote);
            read.push((r.license.clone(), r.describe(&quote)));
        }
        if !covered && recognised.is_none() {
            if first_notice.is_none() {
                first_notice = block
                    .lines()
                    .find(|l| NOTICE_ANYWHERE.is_match(l))
                    .map(|l| short(l.trim_start_matches(['/', '*', '!', ' ', '<', '-']), 160));
            }
            for h in named {
                push_unique(&mut uncovered, short(&h, 120));
            }
        }
    }
    if let Some(url) = &saved_from {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split('/')
            .next()
            .unwrap_or(url);
        if any_grant.is_none() {
            push_unique(&mut uncovered, format!("the site {host}"));
        }
    }
    let (terms, evidence) = if let Some(term) = restrictive {
        (Terms::Restrictive, term)
    } else if uncovered.is_empty() && read.iter().any(|(_, why)| why.starts_with("recognised")) {
        // Open by recognition: said, so that what was recognised and why is on record.
        let mut ids: Vec<String> = read.iter().map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids.dedup();
        let why: Vec<String> = read.into_iter().map(|(_, why)| why).collect();
        (Terms::Open(ids.join(" AND ")), why.join("; "))
    } else if !uncovered.is_empty() {
        let what = match (&saved_from, &first_notice) {
            (Some(url), _) => format!("a saved copy of {}", short(url, 120)),
            (None, Some(line)) => format!("\"{line}\""),
            (None, None) => "a copyright notice".into(),
        };
        (
            Terms::Unknown,
            format!("{what}, and no licence in its header"),
        )
    } else {
        return None;
    };
    // A withholding notice that speaks of a font, in a file that declares fonts: the font's terms.
    // A font embedded in the file itself (`url(data:…)`) is pushed with it: its terms are the file's.
    let component =
        (matches!(terms, Terms::Open(_)) && !components.is_empty()).then(|| components.join(", "));
    let about_fonts = terms == Terms::Restrictive
        && FONT_FACE.is_match(&text)
        && !EMBEDDED_FONT.is_match(&text)
        && blocks
            .iter()
            .filter(|b| withholding_term(b).is_some())
            .all(|b| FONT_WORDS.is_match(b));
    Some(ThirdPartyAsset {
        about_fonts,
        component,
        path: path.to_string(),
        kind: AssetKind::Text,
        holders: uncovered,
        terms,
        evidence,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Holders and observations

/// Words that say nothing of who a holder is.
pub(crate) const HOLDER_NOISE: &[&str] = &[
    "copyright",
    "c",
    "the",
    "ltd",
    "limited",
    "inc",
    "llc",
    "plc",
    "gmbh",
    "co",
    "corp",
    "corporation",
    "and",
    "its",
    "contributors",
    "other",
    "others",
    "all",
    "rights",
    "reserved",
    "by",
    "of",
    "authors",
];

fn holder_words(holder: &str) -> HashSet<String> {
    holder
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !HOLDER_NOISE.contains(w))
        .map(str::to_string)
        .collect()
}

/// Whether an asset's holder is one of the repository's own holders: the words that name it (years,
/// "Ltd", "copyright" and the like aside) are all words of one own holder, or the other way round.
pub fn is_own_holder(holder: &str, own: &[String]) -> bool {
    let words = holder_words(holder);
    !words.is_empty()
        && own.iter().any(|o| {
            let theirs = holder_words(o);
            !theirs.is_empty() && (words.is_subset(&theirs) || theirs.is_subset(&words))
        })
}

static FONT_FACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)@font-face\b").expect("font-face pattern"));
static EMBEDDED_FONT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)url\(\s*['"]?\s*data:"#).expect("embedded font pattern"));
static FONT_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:fonts?|typefaces?)\b").expect("font words pattern"));

/// The observations the verdict weighs for an asset scan, given the holders of the repository's own
/// licence. The invariant: an asset gives no observation only when its terms are open, or when they are
/// unknown (never restrictive) and every holder it names is one of `own` (an unreadable font names none).
pub fn observations(scan: &AssetScan, own: &[String]) -> Vec<Observation> {
    observations_within(scan, own, &[])
}

/// [`observations`], where `open_folders` are folders whose own licence (a licence file or a package
/// manifest of that folder: a claim scoped to it) is an open one: an asset inside one, whose own header names
/// a holder and no licence, is under that folder's licence (`node_modules/argparse/argparse.js` beside
/// `node_modules/argparse/LICENSE`). Restrictive terms are never covered.
pub fn observations_within(
    scan: &AssetScan,
    own: &[String],
    open_folders: &[String],
) -> Vec<Observation> {
    let in_open_folder = |path: &str| {
        open_folders.iter().any(|f| {
            path.strip_prefix(f.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut out = Vec::new();
    let mut listed: HashSet<&str> = HashSet::new();
    let mut recognised: HashSet<&str> = HashSet::new();
    // A font name is not a font: a stylesheet's notice of a font's terms speaks for font files, and when no
    // font file is pushed at all there is nothing it restricts. Every font pushed is read and judged by its
    // own fields, so a font that is pushed keeps the stylesheet's notice too.
    // A font whose own fields establish open terms (an OFL Lato, a recognised Font Awesome) is not the font a
    // withholding stylesheet notice speaks of: that font's own fields would carry its foundry's terms. So the
    // notice counts when a font is pushed whose terms are not shown open by itself, or one that is not read.
    let fonts_pushed = scan.other_fonts > 0
        || scan
            .assets
            .iter()
            .any(|a| a.kind == AssetKind::Font && !matches!(a.terms, Terms::Open(_)));
    for asset in &scan.assets {
        if asset.about_fonts && !fonts_pushed {
            continue;
        }
        let silent = match &asset.terms {
            Terms::Open(license) => {
                // Recognised rather than stated: said, so that the policy weighs the component's licence and
                // the verdict asks what it asks.
                // One per licence id: a file of several banners reads as `BSD-2-Clause AND MIT`, and the
                // policy weighs ids (an `OR` is weighed as if each applied: stricter, never looser).
                if let Some(component) = &asset.component
                    && recognised.insert(asset.path.as_str())
                {
                    for id in license
                        .split([' ', '(', ')'])
                        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "WITH"))
                    {
                        out.push(Observation::RecognisedComponent {
                            file: asset.path.clone(),
                            asset: asset.kind.name().to_string(),
                            component: component.clone(),
                            license: id.to_string(),
                            evidence: asset.evidence.clone(),
                        });
                    }
                }
                true
            }
            Terms::Restrictive => false,
            Terms::Unknown if asset.kind == AssetKind::Text && in_open_folder(&asset.path) => true,
            Terms::Unknown => {
                !asset.holders.is_empty() && asset.holders.iter().all(|h| is_own_holder(h, own))
            }
        };
        // One observation per path: the versions of a file on several refs are one file to a reviewer.
        if silent || !listed.insert(asset.path.as_str()) {
            continue;
        }
        let terms = match &asset.terms {
            Terms::Restrictive => "restrictive terms",
            _ => "terms not stated",
        };
        let holders = if asset.holders.is_empty() {
            String::new()
        } else {
            format!(" of {}", asset.holders.join("; "))
        };
        out.push(Observation::ThirdPartyTerms {
            file: asset.path.clone(),
            asset: asset.kind.name().to_string(),
            detail: format!("{terms}{holders}: {}", asset.evidence),
        });
    }
    if let Some(why) = &scan.incomplete {
        out.push(Observation::ThirdPartyTerms {
            file: String::new(),
            asset: "unread".into(),
            detail: format!("not every font, image or bundled file was read: {why}"),
        });
    }
    out
}

/// The most assets a verdict reason names before it counts the rest.
pub const LISTED: usize = 8;

/// The verdict's reason for the [`Observation::ThirdPartyTerms`] of a report: the paths (at most
/// [`LISTED`], then a count), with what each says; `None` when there are none.
pub fn review_reason(observations: &[Observation]) -> Option<String> {
    let items: Vec<(&String, &String, &String)> = observations
        .iter()
        .filter_map(|o| match o {
            Observation::ThirdPartyTerms {
                file,
                asset,
                detail,
            } => Some((file, asset, detail)),
            _ => None,
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = items
        .iter()
        .take(LISTED)
        .map(|(file, kind, detail)| {
            if file.is_empty() {
                detail.to_string()
            } else {
                format!("{file} ({kind}: {})", short(detail, 240))
            }
        })
        .collect();
    if items.len() > LISTED {
        parts.push(format!("and {} more", items.len() - LISTED));
    }
    Some(format!(
        "{} file(s) carry third-party terms that the repository's licence does not cover, and history is pushed unchanged: {}",
        items.len(),
        parts.join("; ")
    ))
}

// ---------------------------------------------------------------------------------------------------------
// Gathering from git

/// How much of a tree is read: what it costs to inflate every version of every file on every ref decides
/// it, and so does where a third party's terms are likeliest to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// A tag's tree: fonts only. Tags are old releases; a font is rare and the likeliest asset to carry a
    /// foundry's terms, so every version of it is read.
    Fonts,
    /// Another branch's tip: fonts, photographs (JPEG, TIFF, WebP, HEIF, where agency metadata lives) and
    /// bundled text. Graphics (PNG, GIF, SVG: screenshots, icons, diagrams) are read on the default branch
    /// alone: a project's many versions of its screenshots would cost seconds and hold no agency's terms.
    Branch,
    /// The default branch's tip: everything.
    Everything,
}

/// A root tree to read, and how much of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushedTree {
    pub tree: Oid,
    pub reach: Reach,
}

/// Whether a tree read with `reach` reads a file of `kind` at `path`.
pub(crate) fn within(reach: Reach, kind: AssetKind, path: &str) -> bool {
    match (reach, kind) {
        // Licence files at the tips are discovery's; only the history's own are read as assets.
        (_, AssetKind::LicenceFile) => false,
        (Reach::Fonts, AssetKind::Media) => false,
        (_, AssetKind::Media) => true,
        (_, AssetKind::Font) | (Reach::Everything, _) => true,
        (Reach::Fonts, _) => false,
        (Reach::Branch, AssetKind::Text) => true,
        (Reach::Branch, AssetKind::Image) => {
            let lower = path.to_ascii_lowercase();
            !(lower.ends_with(".png") || lower.ends_with(".gif") || lower.ends_with(".svg"))
        }
    }
}

/// The root trees of what a republication pushes: `default_tip` (the tree discovery read), the tips of
/// every branch, then of every tag (peeled to commits), each once at the most it is read for.
pub fn pushed_trees(repo: &Repository, default_tip: Option<Oid>) -> Vec<PushedTree> {
    let mut trees: Vec<PushedTree> = Vec::new();
    if let Some(tree) = default_tip {
        trees.push(PushedTree {
            tree,
            reach: Reach::Everything,
        });
    }
    for (glob, reach) in [
        ("refs/heads/*", Reach::Branch),
        ("refs/tags/*", Reach::Fonts),
    ] {
        let Ok(refs) = repo.references_glob(glob) else {
            continue;
        };
        for reference in refs.flatten() {
            if let Ok(commit) = reference.peel_to_commit()
                && !trees.iter().any(|t| t.tree == commit.tree_id())
            {
                trees.push(PushedTree {
                    tree: commit.tree_id(),
                    reach,
                });
            }
        }
    }
    trees
}

/// Read the assets of `trees`, each blob once, within `limits`.
pub fn gather(repo: &Repository, trees: &[PushedTree], limits: &AssetLimits) -> AssetScan {
    let started = Instant::now();
    let mut scan = AssetScan::default();
    let Ok(odb) = repo.odb() else {
        scan.incomplete = Some("the object database cannot be opened".into());
        return scan;
    };
    // A tree is read again only when a later root reaches further into it.
    let mut seen_trees: std::collections::HashMap<Oid, Reach> = std::collections::HashMap::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    let mut bytes_read = 0usize;
    let mut stack: Vec<(Oid, String, Reach)> = trees
        .iter()
        .rev()
        .map(|t| (t.tree, String::new(), t.reach))
        .collect();
    while let Some((tree_id, prefix, reach)) = stack.pop() {
        if seen_trees.get(&tree_id).is_some_and(|seen| *seen >= reach) {
            continue;
        }
        seen_trees.insert(tree_id, reach);
        let Ok(tree) = repo.find_tree(tree_id) else {
            scan.incomplete = Some(format!("tree {tree_id} ({prefix}) cannot be read"));
            continue;
        };
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
            let path = format!("{prefix}{name}");
            match entry.kind() {
                Some(ObjectType::Tree) => stack.push((entry.id(), format!("{path}/"), reach)),
                Some(ObjectType::Blob) => {
                    if other_font_format(&path) {
                        scan.other_fonts += 1;
                    }
                    let Some(kind) = kind_of(&path) else { continue };
                    if !within(reach, kind, &path) {
                        continue;
                    }
                    if entry.filemode() == i32::from(git2::FileMode::Link)
                        || !seen_blobs.insert(entry.id())
                    {
                        continue;
                    }
                    if scan.incomplete.is_none() {
                        let over = if scan.blobs_read >= limits.max_files {
                            Some(format!("more than {} asset files", limits.max_files))
                        } else if bytes_read >= limits.max_total_bytes {
                            Some(format!(
                                "more than {} bytes of assets",
                                limits.max_total_bytes
                            ))
                        } else if started.elapsed() > limits.max_time {
                            Some(format!("the scan took over {:?}", limits.max_time))
                        } else {
                            None
                        };
                        if let Some(why) = over {
                            scan.incomplete = Some(format!("{why}; first left unread: {path}"));
                        }
                    }
                    if scan.incomplete.is_some() {
                        continue;
                    }
                    scan.blobs_read += 1;
                    let want = prefix_for(kind, &path, limits);
                    let size = odb.read_header(entry.id()).map(|(s, _)| s).unwrap_or(0);
                    if kind == AssetKind::Font && size > limits.max_blob_bytes {
                        scan.assets.push(ThirdPartyAsset {
                            about_fonts: false,
                            component: None,
                            path,
                            kind,
                            holders: Vec::new(),
                            terms: Terms::Unknown,
                            evidence: format!(
                                "not read: {size} bytes, over the {} byte limit",
                                limits.max_blob_bytes
                            ),
                        });
                        continue;
                    }
                    let bytes = match read_prefix(&odb, entry.id(), size, want) {
                        Ok(b) => b,
                        // An image or script that cannot be read states nothing (and a republication
                        // could not push a missing object): said in the log. A font's terms stay unknown.
                        Err(e) if kind != AssetKind::Font => {
                            tracing::debug!(%path, error = %e, "asset not read");
                            continue;
                        }
                        Err(e) => {
                            scan.assets.push(ThirdPartyAsset {
                                about_fonts: false,
                                component: None,
                                path,
                                kind,
                                holders: Vec::new(),
                                terms: Terms::Unknown,
                                evidence: format!("cannot be read: {e}"),
                            });
                            continue;
                        }
                    };
                    bytes_read += bytes.len();
                    if let Some(asset) = judge_bytes(&path, kind, &bytes) {
                        scan.assets.push(asset);
                    }
                }
                _ => {}
            }
        }
    }
    tracing::debug!(
        trees = seen_trees.len(),
        blobs = scan.blobs_read,
        bytes = bytes_read,
        assets = scan.assets.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        incomplete = scan.incomplete.is_some(),
        "third-party assets read"
    );
    scan
}

/// Class one file of a known kind from its bytes (a prefix for bundled text).
pub fn judge_bytes(path: &str, kind: AssetKind, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    match kind {
        AssetKind::Font => Some(font_asset(path, bytes)),
        AssetKind::Image => {
            let (fields, _) = image_rights(bytes);
            let mut asset = judge_image(path, &fields);
            // An SVG is text too: its comments may carry a notice.
            if asset.is_none() && path.to_ascii_lowercase().ends_with(".svg") {
                asset = judge_text(path, &bytes[..bytes.len().min(64 * 1024)]);
            }
            asset
        }
        AssetKind::Text => judge_text(path, bytes),
        AssetKind::LicenceFile => judge_history_licence(path, bytes),
        AssetKind::Media => judge_media(path, bytes),
    }
}

/// Class a recording by its tags: the artist, album artist, composer, publisher or label it names are its
/// holders; its copyright and licence tags are its terms. A recording whose tags name nobody and state no
/// terms (a screen capture's encoder tag) says nothing; one that cannot be read says nothing either.
pub fn judge_media(path: &str, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    use lofty::prelude::*;
    use lofty::tag::ItemKey;
    let mut cursor = std::io::Cursor::new(bytes);
    // The readers are ports of format specifications over untrusted bytes: a malformed file must not take
    // the check down with it.
    let file = std::panic::catch_unwind(move || {
        lofty::probe::Probe::new(&mut cursor)
            .guess_file_type()
            .ok()?
            .read()
            .ok()
    })
    .ok()??;
    let mut holders_found: Vec<String> = Vec::new();
    let mut terms_text: Vec<String> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for tag in file.tags() {
        for key in [
            ItemKey::TrackArtist,
            ItemKey::AlbumArtist,
            ItemKey::Composer,
            ItemKey::Performer,
            ItemKey::Publisher,
            ItemKey::Label,
        ] {
            for v in tag.get_strings(key) {
                push_unique(&mut holders_found, short(v, 120));
                fields.push(format!("{key:?} \"{}\"", short(v, 60)));
            }
        }
        for key in [ItemKey::CopyrightMessage, ItemKey::License] {
            for v in tag.get_strings(key) {
                for h in notice_holders(&format!("Copyright {v}")) {
                    push_unique(&mut holders_found, h);
                }
                terms_text.push(v.to_string());
                fields.push(format!("{key:?} \"{}\"", short(v, 60)));
            }
        }
        if let Some(album) = tag.get_string(ItemKey::AlbumTitle) {
            fields.push(format!("AlbumTitle \"{}\"", short(album, 60)));
        }
    }
    if holders_found.is_empty() && terms_text.is_empty() {
        return None;
    }
    let (terms, evidence) = class_terms(&terms_text.join("\n"));
    let evidence = if evidence.is_empty() {
        format!("its tags name {}", fields.join(", "))
    } else {
        format!("{evidence} ({})", fields.join(", "))
    };
    Some(ThirdPartyAsset {
        about_fonts: false,
        component: None,
        path: path.to_string(),
        kind: AssetKind::Media,
        holders: holders_found,
        terms,
        evidence: short(&evidence, 400),
    })
}

/// A file name that is a licence file's: one discovery reads as a licence file, or `LICENSE`, `LICENCE`,
/// `COPYING` with a number after it (`LICENSE2`, `LICENCE1.txt`), which authors use for a second licence.
pub fn is_licence_file_name(name: &str) -> bool {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:licen[cs]es?|copying)[-_]?\d+(?:\.(?:txt|md|markdown|rst|html?))?$")
            .expect("numbered licence pattern")
    });
    super::discovery::root_file_kind(name) == Some(super::SourceKind::LicenseFile)
        || super::discovery::is_nested_license_name(name)
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

fn read_prefix(odb: &git2::Odb<'_>, id: Oid, size: usize, max: usize) -> Result<Vec<u8>, String> {
    if size > max
        && let Ok((mut stream, _, _)) = odb.reader(id)
    {
        let mut bytes = vec![0u8; max];
        let mut filled = 0;
        while filled < max {
            let n = stream
                .read(&mut bytes[filled..])
                .map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        bytes.truncate(filled);
        return Ok(bytes);
    }
    let object = odb.read(id).map_err(|e| e.message().to_string())?;
    Ok(object.data()[..object.data().len().min(max)].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn licence(id: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/licenses/text/{id}.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn the_full_texts_of_common_open_licences_withhold_nothing_and_are_recognised_as_open() {
        // The font and header licences met in bundled files: their own standard sentences must not read as
        // withholding terms (else every OFL font would need review).
        for id in [
            "MIT",
            "BSD-2-Clause",
            "BSD-3-Clause",
            "ISC",
            "Apache-2.0",
            "OFL-1.1",
            "Bitstream-Vera",
            "CC0-1.0",
            "Zlib",
            "Unlicense",
            "CC-BY-4.0",
            "CC-BY-SA-4.0",
            "MPL-2.0",
            "OGL-UK-3.0",
        ] {
            let text = licence(id);
            assert_eq!(withholding_term(&text), None, "{id} read as withholding");
            assert!(open_grant(&text).is_some(), "{id} not recognised as open");
        }
    }

    #[test]
    fn withholding_terms_of_real_assets_are_found() {
        for text in [
            "This font software is the property of Linotype GmbH. You may not copy or distribute this software.",
            "The font has been customised for exclusive use on gov.uk. This cut is not commercially available.",
            "Rights-managed image. Licensed to the NHS for one use.",
            "CONFIDENTIAL. Do not distribute.",
            "Proprietary and confidential.",
            "Not for redistribution.",
            "This webfont may not be embedded in any other website.",
            "Use of this image is prohibited without the prior written permission of Alamy Ltd.",
            "For internal use only",
            "A licence must be purchased from the foundry to use this font.",
            "Purchase a desktop licence before installing.",
        ] {
            assert!(withholding_term(text).is_some(), "missed: {text}");
            assert_eq!(class_terms(text).0, Terms::Restrictive, "{text}");
        }
    }

    #[test]
    fn licences_named_in_banner_shorthand_are_open_grants() {
        // As vendored libraries word it (seen in the acceptance set's mirrors).
        for banner in [
            "/*! X-editable - v1.5.1 | Copyright (c) 2013 Vitaliy Potapov; Licensed MIT */",
            "/*!\n * type-detect\n * Copyright(c) 2013 jake luer <jake@alogicalparadox.com>\n * MIT Licensed\n */",
            "/* :copyright: Copyright 2007-2022 by the Sphinx team, see AUTHORS.\n * :license: BSD, see LICENSE for details. */",
            "/*! jQuery UI - v1.11.4 | Copyright 2015 jQuery Foundation and other contributors; Licensed MIT */",
        ] {
            assert!(open_grant(banner).is_some(), "no grant in {banner}");
            assert_eq!(judge_text("v.js", banner.as_bytes()), None, "{banner}");
        }
        assert_eq!(
            open_grant("Licensed to the Government Digital Service"),
            None
        );
        assert_eq!(open_grant("Licensed for use on GOV.UK"), None);
    }

    #[test]
    fn free_for_commercial_use_is_not_an_open_licence() {
        assert_eq!(class_terms("Free for commercial use").0, Terms::Unknown);
        assert_eq!(class_terms("Free font by Somebody").0, Terms::Unknown);
    }

    #[test]
    fn an_open_licence_named_beside_a_withholding_term_is_restrictive() {
        let (terms, evidence) = class_terms(
            "Licensed under the SIL Open Font License 1.1. You may not redistribute this font.",
        );
        assert_eq!(terms, Terms::Restrictive);
        assert!(evidence.contains("may not redistribute"), "{evidence}");
    }

    #[test]
    fn non_commercial_and_no_derivatives_licences_are_not_open() {
        assert!(is_open_id("OFL-1.1"));
        assert!(is_open_id("CC-BY-4.0"));
        assert!(is_open_id("OGL-UK-3.0"));
        assert!(is_open_id("MIT"));
        assert!(!is_open_id("CC-BY-NC-4.0"));
        assert!(!is_open_id("CC-BY-ND-4.0"));
        assert!(!is_open_id("LicenseRef-proprietary"));
    }

    #[test]
    fn comments_about_code_are_not_notices() {
        let js = "/**\n * Config supplied to component\n * Ignore 'ARIA attribute is not allowed'\n */\n// flagged for internal use\nvar a;\n";
        assert_eq!(judge_text("a.js", js.as_bytes()), None);
        // A word of commerce about the code's own domain is not a term of sale.
        let js = "const ORDER = route(\n  [\n    KEYS.PURCHASE_ORDER_USED\n    // Ignore purchase order number for now\n  ]\n)\n";
        assert_eq!(judge_text("purchase-order.js", js.as_bytes()), None);
    }

    #[test]
    fn each_notice_block_needs_its_own_grant_when_several_holders_speak() {
        let js = "/*! lib-a | (c) Alpha Ltd | MIT License */\n/*! lib-b | Copyright Beta Corp */\nvar a;\n";
        let asset = judge_text("bundle.js", js.as_bytes()).expect("beta's notice has no grant");
        assert_eq!(asset.terms, Terms::Unknown);
        assert_eq!(asset.holders, vec!["Beta Corp".to_string()]);
    }

    #[test]
    fn holders_are_read_from_banners_but_not_from_prose_about_copyright() {
        assert_eq!(
            notice_holders(
                "/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */"
            ),
            vec!["OpenJS Foundation and other contributors".to_string()]
        );
        assert_eq!(
            notice_holders(
                "/* The below comment needs a ! so that the copyright message doesn't get removed. */"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            notice_holders(
                "// [128] s-l+flow-in(n,c) = flow-out ⇒ ns-plain-safe-out; (c) = flow-in"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            notice_holders(
                "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. */"
            ),
            vec!["Margaret Calvert & Henrik Kubel".to_string()]
        );
        assert_eq!(
            notice_holders(
                "Copyright 2010, 2012 Adobe Systems Incorporated (http://www.adobe.com/), with Reserved Font Name 'Source'."
            ),
            vec!["Adobe Systems Incorporated".to_string()]
        );
    }

    #[test]
    fn a_broken_xmp_packet_counts_only_when_it_holds_a_rights_property() {
        // Extended XMP split across JPEG segments: binary between the halves, so it will not parse.
        let camera =
            b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>\x00\x01<rdf:RDF><GCamera:Info/></x:xmpmeta>";
        assert!(judge_bytes("p.jpg", AssetKind::Image, camera).is_none());
        let rights = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>\x00\x01<dc:rights>Rights-managed</dc:rights></x:xmpmeta>";
        let asset = judge_bytes("p.jpg", AssetKind::Image, rights).expect("a rights property");
        assert_eq!(asset.terms, Terms::Restrictive);
        assert!(asset.holders.is_empty(), "{:?}", asset.holders);
    }

    #[test]
    fn own_holders_match_without_years_or_company_suffixes() {
        let own = vec!["Crown Copyright (Government Digital Service)".to_string()];
        assert!(is_own_holder("Crown copyright", &own));
        assert!(is_own_holder("Government Digital Service", &own));
        assert!(!is_own_holder("Vendor Ltd", &own));
        assert!(!is_own_holder("Ltd", &own), "noise words name nobody");
        assert!(!is_own_holder("", &own));
    }

    #[test]
    fn an_unknown_asset_of_the_repositorys_own_holder_is_silent_and_a_restrictive_one_never_is() {
        let asset = |terms: Terms, holder: &str| ThirdPartyAsset {
            about_fonts: false,
            component: None,
            path: "x.js".into(),
            kind: AssetKind::Text,
            holders: vec![holder.into()],
            terms,
            evidence: String::new(),
        };
        let own = vec!["NHS Digital".to_string()];
        let scan = |a| AssetScan {
            assets: vec![a],
            ..Default::default()
        };
        assert!(observations(&scan(asset(Terms::Unknown, "NHS Digital")), &own).is_empty());
        assert_eq!(
            observations(&scan(asset(Terms::Restrictive, "NHS Digital")), &own).len(),
            1
        );
        assert_eq!(
            observations(&scan(asset(Terms::Unknown, "Vendor")), &own).len(),
            1
        );
        assert!(observations(&scan(asset(Terms::Open("MIT".into()), "Vendor")), &own).is_empty());
    }

    #[test]
    fn a_scan_cut_by_a_limit_is_an_observation() {
        let scan = AssetScan {
            incomplete: Some("more than 1 asset files".into()),
            ..Default::default()
        };
        let obs = observations(&scan, &[]);
        assert_eq!(obs.len(), 1);
        assert!(review_reason(&obs).unwrap().contains("not every font"));
    }
}

#[cfg(test)]
mod bundled_tests {
    use super::*;

    #[test]
    fn a_banner_that_names_a_choice_of_licences_is_open_under_the_options_it_reads() {
        let js = "/*! matchMedia() polyfill - Test a CSS media type/query in JS. Authors & copyright (c) 2012: Scott Jehl, Paul Irish, Nicholas Zakas. Dual MIT/BSD license */\n/*! NOTE: If you're already including a window.matchMedia polyfill via Modernizr or otherwise, you don't need this part */\nwindow.matchMedia=1;";
        assert_eq!(
            open_choice("Dual MIT/BSD license"),
            Some("MIT OR BSD-3-Clause".to_string())
        );
        assert_eq!(open_choice("Dual BSD/commercial license"), None);
        assert_eq!(judge_text("respond.min.js", js.as_bytes()), None);
    }

    #[test]
    fn a_licence_wrapped_over_decorated_comment_lines_is_read() {
        let js = "/**\n * @license\n * Copyright (c) 2014, Chris Pettitt\n * All rights reserved.\n *\n * Redistribution and use in source and binary forms, with or without\n * modification, are permitted provided that the following conditions are met:\n *\n * 3. Neither the name of the copyright holder nor the names of its contributors\n * may be used to endorse or promote products derived from this software without\n * specific prior written permission.\n */\nvar x;";
        assert_eq!(judge_text("graphlib.min.js", js.as_bytes()), None);
    }

    #[test]
    fn the_apache_foundations_source_header_is_not_a_withholding_term() {
        let html = "<!--\n  Licensed to the Apache Software Foundation (ASF) under one or more\n  contributor license agreements.  See the NOTICE file distributed with\n  this work for additional information regarding copyright ownership.\n  The ASF licenses this file to You under the Apache License, Version 2.0\n  (the \"License\"); you may not use this file except in compliance with\n  the License.  You may obtain a copy of the License at\n      http://www.apache.org/licenses/LICENSE-2.0\n-->\n<html></html>";
        assert_eq!(withholding_term(html), None);
        assert_eq!(
            judge_text("licenses/apache_software_license_2.0.html", html.as_bytes()),
            None
        );
        // Licensed *to* a named body otherwise still withholds.
        assert!(
            withholding_term("Licensed to the Government Digital Service for use on GOV.UK")
                .is_some()
        );
    }

    #[test]
    fn a_well_known_component_is_open_with_what_was_recognised_and_why() {
        let js = "// https://d3js.org v5.16.0 Copyright 2020 Mike Bostock\n(function (global, factory) {})";
        let asset = judge_text("static/js/d3.v5.min.js", js.as_bytes()).expect("recorded");
        assert_eq!(asset.terms, Terms::Open("BSD-3-Clause".into()));
        assert!(
            asset.evidence.starts_with(
                "recognised as d3 (BSD-3-Clause): holder Mike Bostock, name d3 in the file name"
            ),
            "{}",
            asset.evidence
        );
        // The same file renamed, naming no home of d3's: a holder alone.
        let bare = "/* Copyright 2020 Mike Bostock */\nvar x;";
        assert_eq!(
            judge_text("static/js/chart.min.js", bare.as_bytes()).map(|a| a.terms),
            Some(Terms::Unknown)
        );
        // Restrictive words win over recognition.
        let restricted = "// https://d3js.org v5.16.0 Copyright 2020 Mike Bostock. All rights reserved; not for redistribution.\nvar x;";
        assert_eq!(
            judge_text("static/js/d3.v5.min.js", restricted.as_bytes()).map(|a| a.terms),
            Some(Terms::Restrictive)
        );
    }

    #[test]
    fn a_holder_with_an_email_and_a_banner_inside_a_bundlers_string_are_recognised() {
        let css = "/*\n\nOriginal style from softwaremaniacs.org (c) Ivan Sagalaev <Maniac@SoftwareManiacs.Org>\n\n*/\n.hljs{}";
        assert_eq!(
            judge_text("swagger/css/print.css", css.as_bytes()).map(|a| a.terms),
            Some(Terms::Open("BSD-3-Clause".into()))
        );
        let js = r#"eval("/* @preserve\n * Leaflet 1.5.1+build.2e3e0ff, a JS library for interactive maps. http://leafletjs.com\n * (c) 2010-2018 Vladimir Agafonkin, (c) 2010-2011 CloudMade\n */\n(function (global, factory) {})");"#;
        assert_eq!(
            judge_text("contact-block.js", js.as_bytes()).map(|a| a.terms),
            Some(Terms::Open("BSD-2-Clause".into()))
        );
    }

    fn font(family: &str, copyright: &str, manufacturer: &str, license_url: &str) -> FontNames {
        FontNames {
            family: vec![family.into()],
            copyright: vec![copyright.into()],
            manufacturer: vec![manufacturer.into()],
            license_url: if license_url.is_empty() {
                vec![]
            } else {
                vec![license_url.into()]
            },
            ..Default::default()
        }
    }

    #[test]
    fn well_known_open_fonts_are_recognised_and_commercial_ones_never_are() {
        let glyph = font(
            "GLYPHICONS Halflings",
            "Copyright © 2014 by Jan Kovarik. All rights reserved.",
            "Jan Kovarik",
            "",
        );
        let a = judge_font("fonts/glyphicons-halflings-regular.ttf", &glyph);
        assert_eq!(a.terms, Terms::Open("MIT".into()), "{}", a.evidence);
        assert!(
            a.evidence.contains("recognised as Glyphicons Halflings"),
            "{}",
            a.evidence
        );
        let fa = font(
            "FontAwesome",
            "Copyright Dave Gandy 2016. All rights reserved.",
            "Fort Awesome",
            "http://fontawesome.io/license/",
        );
        assert_eq!(
            judge_font("fontawesome-webfont.ttf", &fa).terms,
            Terms::Open("OFL-1.1".into())
        );
        // The family alone: somebody else's font called FontAwesome.
        let other = font(
            "FontAwesome",
            "Copyright 2016 Icon Vendor Ltd. All rights reserved.",
            "Icon Vendor Ltd",
            "",
        );
        assert_eq!(
            judge_font("fontawesome-webfont.ttf", &other).terms,
            Terms::Unknown
        );
        // A commercial font naming Glyphicons' designer is still not recognised.
        let nta = font(
            "GDS Transport Website",
            "Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved.",
            "Jan Kovarik",
            "",
        );
        assert_ne!(
            judge_font("nta.woff", &nta).terms,
            Terms::Open("MIT".into())
        );
    }

    #[test]
    fn a_stylesheets_font_notice_counts_only_when_a_font_not_shown_open_is_pushed() {
        let css = "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. The font has been customised for exclusive use on gov.uk. This cut is not commercially available. */@font-face{font-family:nta;src:url(/assets/fonts/light-2c037cf7e1-v1.woff2) format(\"woff2\")}";
        let notice =
            judge_text("dist/govuk-frontend.min.css", css.as_bytes()).expect("restrictive");
        assert!(notice.about_fonts);
        let lato = ThirdPartyAsset {
            about_fonts: false,
            component: None,
            path: "backstop/fonts/Lato-Regular.ttf".into(),
            kind: AssetKind::Font,
            holders: vec!["tyPoland Lukasz Dziedzic".into()],
            terms: Terms::Open("OFL-1.1".into()),
            evidence: String::new(),
        };
        let scan = |fonts: Vec<ThirdPartyAsset>, other_fonts| AssetScan {
            assets: [vec![notice.clone()], fonts].concat(),
            other_fonts,
            ..Default::default()
        };
        assert!(observations(&scan(vec![lato.clone()], 0), &[]).is_empty());
        // An .eot (not read) or a font of unknown terms may be the one the notice speaks of.
        assert_eq!(observations(&scan(vec![lato.clone()], 1), &[]).len(), 1);
        let unknown = ThirdPartyAsset {
            terms: Terms::Unknown,
            path: "fonts/light.woff2".into(),
            ..lato
        };
        assert_eq!(observations(&scan(vec![unknown], 0), &[]).len(), 2);
        // A font embedded in the stylesheet itself is pushed with it.
        let embedded = css.replace(
            "/assets/fonts/light-2c037cf7e1-v1.woff2",
            "data:application/font-woff;base64,d09GRg",
        );
        assert!(
            !judge_text("fonts.min.scss", embedded.as_bytes())
                .unwrap()
                .about_fonts
        );
    }

    #[test]
    fn a_bundles_extracted_banners_are_a_bundled_file_not_a_licence_file() {
        use crate::license::discovery::{is_nested_license_name, root_file_kind};
        for name in [
            "main.d75e403a.js.LICENSE.txt",
            "framework-2d6b7d2e2be378715b78.js.LICENSE.txt",
            "app.css.LICENSE",
        ] {
            assert_eq!(
                kind_of(&format!("static/js/{name}")),
                Some(AssetKind::Text),
                "{name}"
            );
            assert_eq!(root_file_kind(name), None, "{name}");
            assert!(!is_nested_license_name(name), "{name}");
        }
        // A licence file named after a product stays one.
        assert!(root_file_kind("MIT-LICENSE.txt").is_some());
        assert_eq!(kind_of("LICENSE.txt"), None);
        let banners = "/*!\n * domready (c) Dustin Diaz 2014 - License MIT\n * ie10 fix - Mikael Kristiansson 2019\n */\n/** @license React v0.19.1\n * scheduler.production.min.js\n *\n * Copyright (c) Facebook, Inc. and its affiliates.\n *\n * This source code is licensed under the MIT license found in the\n * LICENSE file in the root directory of this source tree.\n */\n\n/* @preserve\n * Leaflet 1.7.1, a JS library for interactive maps. http://leafletjs.com\n * (c) 2010-2019 Vladimir Agafonkin, (c) 2010-2011 CloudMade\n */\n";
        let judged = judge_text("main.d75e403a.js.LICENSE.txt", banners.as_bytes())
            .expect("leaflet recognised");
        assert_eq!(
            judged.terms,
            Terms::Open("BSD-2-Clause AND MIT".into()),
            "{}",
            judged.evidence
        );
        let restricted =
            format!("{banners}/*! acme-widgets (c) Acme Ltd. Not for redistribution. */\n");
        assert_eq!(
            judge_text("main.d75e403a.js.LICENSE.txt", restricted.as_bytes()).map(|a| a.terms),
            Some(Terms::Restrictive)
        );
        let unknown = format!("{banners}/*! acme-widgets (c) Acme Ltd. */\n");
        assert_eq!(
            judge_text("main.d75e403a.js.LICENSE.txt", unknown.as_bytes()).map(|a| a.terms),
            Some(Terms::Unknown)
        );
    }

    #[test]
    fn a_licence_file_only_in_history_counts_when_it_states_terms() {
        assert!(judge_history_licence("src/doc/licence.adoc", b"=== Licence Terms N/A").is_none());
        let defcon = judge_history_licence(
            "mesa/LICENSE2",
            b"Licensed under DEFCON 705, (the \"License\");\nyou may not use this file except in compliance with the License.",
        )
        .expect("states terms");
        assert_eq!(defcon.terms, Terms::Unknown);
        assert!(
            judge_history_licence(
                "LICENSE",
                b"Copyright 2019 Vendor Ltd. All rights reserved."
            )
            .is_some()
        );
        assert!(
            judge_history_licence("LICENSE", include_bytes!("../../licenses/text/MIT.txt"))
                .is_none()
        );
    }
}
