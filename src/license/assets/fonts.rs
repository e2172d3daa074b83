//! Fonts: the naming table's copyright, trademark, manufacturer and licence fields (WOFF and WOFF2 decoded
//! by `wuff`, the table read by `ttf-parser`).

use super::banners::notice_holders;
use super::terms::{open_grant, push_unique, short, withholding_term};
use super::{AssetKind, Terms, ThirdPartyAsset};

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
    /// Name ids 1 and 16: the family, read to recognise a well-known open font ([`crate::license::components`]).
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
    if let Some(data) = eot_font_data(bytes) {
        return data;
    }
    match bytes.get(..4) {
        Some(b"wOFF") => decode(wuff::decompress_woff1, "WOFF"),
        Some(b"wOF2") => decode(wuff::decompress_woff2, "WOFF2"),
        Some(_) => Ok(std::borrow::Cow::Borrowed(bytes)),
        None => Err("too short to be a font".into()),
    }
}

/// The font data of an Embedded OpenType file (`.eot`), or `None` when `bytes` are not one.
///
/// An EOT is a header (its magic number `0x504C` at offset 34) followed by the font's own sfnt bytes, which
/// are its last `FontDataSize` bytes in every version of the format. The data may be XOR-obfuscated with
/// `0x50` (flag `0x10000000`), undone here, or MicroType-compressed (flag `0x4`), which is not decoded: that
/// font's naming table cannot be read, so it is a font of unknown terms (a person looks).
pub(super) fn eot_font_data(bytes: &[u8]) -> Option<Result<std::borrow::Cow<'_, [u8]>, String>> {
    if !is_eot(bytes) {
        return None;
    }
    let le32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .unwrap_or(0)
    };
    let (eot_size, data_size, flags) = (le32(0), le32(4), le32(12));
    let end = eot_size.min(bytes.len());
    if data_size == 0 || data_size > end.saturating_sub(36) {
        return Some(Err(
            "an Embedded OpenType file whose font data is out of bounds".into(),
        ));
    }
    let data = &bytes[end - data_size..end];
    if flags & 0x4 != 0 {
        return Some(Err(
            "an Embedded OpenType file whose font data is MicroType-compressed, which is not decoded"
                .into(),
        ));
    }
    if flags & 0x1000_0000 != 0 {
        return Some(Ok(std::borrow::Cow::Owned(
            data.iter().map(|b| b ^ 0x50).collect(),
        )));
    }
    Some(Ok(std::borrow::Cow::Borrowed(data)))
}

/// Whether `bytes` start with an Embedded OpenType header: a known version at offset 8 and the magic number
/// `0x504C` (little-endian) at offset 34.
pub(crate) fn is_eot(bytes: &[u8]) -> bool {
    bytes.get(34..36) == Some(&[0x4C, 0x50][..])
        && matches!(
            bytes.get(8..12),
            Some([0, 0, 1, 0]) | Some([1, 0, 2, 0]) | Some([2, 0, 2, 0])
        )
}

/// Read a font's naming table (every face of a collection). `Err` says why it could not be read.
pub fn font_names(bytes: &[u8]) -> Result<FontNames, String> {
    // A malformed table can trip an assertion inside the parser: a hostile font must not take the check down
    // with it (found by the data: URI property test), so a panic is a font that cannot be read.
    std::panic::catch_unwind(|| font_names_unguarded(bytes))
        .unwrap_or_else(|_| Err("not a font the parser reads (the parser failed)".into()))
}

fn font_names_unguarded(bytes: &[u8]) -> Result<FontNames, String> {
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
        crate::license::components::recognise_font(&crate::license::components::FontFields {
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
