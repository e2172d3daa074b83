//! Images: rights metadata from XMP packets (`roxmltree`), EXIF (`kamadak-exif`) and IPTC-IIM.

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
