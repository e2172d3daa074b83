//! Images: rights metadata from XMP packets and an SVG's own metadata (`roxmltree`), EXIF (`kamadak-exif`)
//! and IPTC-IIM, free-text fields (descriptions, captions, comments, titles) included when they speak of rights.

use std::sync::LazyLock;

use super::banners::notice_holders;
use super::terms::{class_terms, push_unique, short};
use super::{AssetKind, ThirdPartyAsset};

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
    /// Free text that may carry rights or may not (a description, title, caption, comment, instructions):
    /// read as a rights statement when it speaks of rights ([`speaks_of_rights`]), else ignored.
    Free,
}

/// Whether free text speaks of rights: a withholding term, a copyright sign or word, rights, a licence,
/// permission, reproduction or distribution, a credit, a courtesy, an agency or stock, or someone's photograph.
///
/// The invariant: a free-text field (EXIF `ImageDescription`, `UserComment`, `XPComment`, IPTC caption, XMP
/// `dc:description`, an SVG's `<title>`) that says any of these is weighed as a rights statement, with the
/// holder it names, so "Science Photo Library. Rights managed." in a description asks a person just as it does
/// in the `Copyright` field. Only text that says none of them — a caption of what the picture shows — is
/// left out, so a description cannot carry terms past the judge.
pub(crate) fn speaks_of_rights(text: &str) -> bool {
    static RIGHTS_WORDS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?ix)
            © | \(c\) | \bcopyright | \brights?\b | \blicen[cs] | \bpermi(?:t|ssion) | \breproduc
            | \b(?:re)?distribut | \breserved | \bcourtesy\b | \bcredit | \bagency | \bstock\b | \broyalt
            | \b(?:photo(?:graph)?|image|picture|illustration)s?\s*(?:by|from|:)
            | \bsupplied\s+by | \bterms\s+(?:of|and) | \bunauthori[sz]ed | \bprohibit | \bwatermark
            ",
        )
        .expect("rights words pattern")
    });
    RIGHTS_WORDS.is_match(text) || super::terms::withholding_term(text).is_some()
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
    // Free text: weighed only when it speaks of rights.
    (
        "http://purl.org/dc/elements/1.1/",
        "description",
        "dc:description",
        Role::Free,
    ),
    (
        "http://purl.org/dc/elements/1.1/",
        "title",
        "dc:title",
        Role::Free,
    ),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "Instructions",
        "photoshop:Instructions",
        Role::Free,
    ),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "Headline",
        "photoshop:Headline",
        Role::Free,
    ),
    (
        "http://ns.adobe.com/exif/1.0/",
        "UserComment",
        "exif:UserComment",
        Role::Free,
    ),
    (
        "http://ns.adobe.com/tiff/1.0/",
        "ImageDescription",
        "tiff:ImageDescription",
        Role::Free,
    ),
    (
        "http://www.w3.org/2000/svg",
        "title",
        "svg title",
        Role::Free,
    ),
    ("http://www.w3.org/2000/svg", "desc", "svg desc", Role::Free),
];

/// The slots of free text outside XMP: EXIF and IPTC-IIM.
const FREE_SLOTS: &[&str] = &[
    "exif ImageDescription",
    "exif UserComment",
    "exif XPTitle",
    "exif XPComment",
    "exif XPAuthor",
    "exif XPKeywords",
    "exif XPSubject",
    "iptc caption",
    "iptc headline",
    "iptc special instructions",
];

fn role_of(slot: &str) -> Role {
    if FREE_SLOTS.contains(&slot) {
        return Role::Free;
    }
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
    xml_rights(packet, false)
}

/// The rights fields of an XML document: an XMP packet, or a whole SVG (whose DTD, when `allow_dtd`, is
/// allowed: SVGs often declare one; roxmltree bounds entity expansion).
fn xml_rights(packet: &[u8], allow_dtd: bool) -> Result<Vec<RightsField>, String> {
    let text = String::from_utf8_lossy(packet);
    let doc = roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd,
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
        // By number, whichever IFD holds it: a writer may put any of them in IFD0.
        let slot = match field.tag.number() {
            0x8298 => "exif Copyright",
            0x013B => "exif Artist",
            0x010E => "exif ImageDescription",
            0x9286 => "exif UserComment",
            0x9C9B => "exif XPTitle",
            0x9C9C => "exif XPComment",
            0x9C9D => "exif XPAuthor",
            0x9C9E => "exif XPKeywords",
            0x9C9F => "exif XPSubject",
            _ => continue,
        };
        let value = match &field.value {
            exif::Value::Byte(b) | exif::Value::Undefined(b, _) if slot.starts_with("exif XP") => {
                utf16le(b)
            }
            exif::Value::Byte(b) | exif::Value::Undefined(b, _) if slot == "exif UserComment" => {
                user_comment(b)
            }
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

/// Text in UTF-16 little-endian (the Windows `XP…` tags), up to its first NUL.
fn utf16le(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units).trim().to_string()
}

/// An EXIF `UserComment`: an 8-byte character code, then the text (ASCII, UTF-16 in either byte order, or
/// undefined, read as Latin-1 and UTF-8 alike).
fn user_comment(bytes: &[u8]) -> String {
    let (code, text) = bytes.split_at(bytes.len().min(8));
    let value = if code.starts_with(b"UNICODE") {
        let le = utf16le(text);
        let be: Vec<u16> = text
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        let be = String::from_utf16_lossy(&be);
        // The byte order follows the file's; the reading with more ASCII letters is the right one.
        let letters = |s: &str| s.chars().filter(char::is_ascii_alphabetic).count();
        if letters(&be) > letters(&le) { be } else { le }
    } else {
        String::from_utf8_lossy(text).into_owned()
    };
    value
        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_string()
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
                        120 => Some("iptc caption"),
                        105 => Some("iptc headline"),
                        40 => Some("iptc special instructions"),
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
    // An SVG is XML itself: its own metadata (`<metadata><dc:rights>`, RDF attributes, `<title>`) is read from
    // the whole document, any XMP packet inside it included.
    if is_svg(bytes) {
        match xml_rights(bytes, true) {
            Ok(found) => return (found, problems),
            Err(e) => problems.push(e),
        }
    }
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

/// Whether `bytes` are an SVG document: `<svg` within its first kilobyte, after an XML declaration,
/// comments or a DOCTYPE.
pub(crate) fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('<') && text.contains("<svg")
}

/// Class an image by its rights fields; `None` when it carries none. Free-text fields ([`Role::Free`]) count
/// only when they speak of rights ([`speaks_of_rights`]), and then as a rights statement.
pub fn judge_image(path: &str, fields: &[RightsField]) -> Option<ThirdPartyAsset> {
    let fields: Vec<RightsField> = fields
        .iter()
        .filter(|f| role_of(&f.slot) != Role::Free || speaks_of_rights(&f.value))
        .cloned()
        .collect();
    let fields = fields.as_slice();
    if fields.is_empty() {
        return None;
    }
    let mut holders_found: Vec<String> = Vec::new();
    for f in fields {
        match role_of(&f.slot) {
            Role::Holder => push_unique(&mut holders_found, short(&f.value, 120)),
            Role::Rights | Role::Free => {
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
