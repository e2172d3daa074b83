//! Files inside files: `data:` URIs in stylesheets, pages, scripts and SVGs, judged as the assets they are.
//!
//! A font inlined in a stylesheet (`@font-face { src: url(data:font/woff2;base64,…) }`) is published as surely
//! as a font file, and so is a photograph inlined in a page. Each `data:` URI is decoded and judged by
//! [`super::judge_bytes`] as a font or an image, decided by its bytes first ([`super::content_kind`]) and its
//! MIME type second: a URI typed as a font whose bytes are not a font the parser reads is a font of unknown
//! terms, which asks a person.

use std::sync::LazyLock;

use base64::Engine as _;

use super::{AssetKind, ThirdPartyAsset, content_kind, judge_bytes};

/// The most `data:` URIs judged in one file; the rest are said to be unread.
pub(super) const MAX_URIS: usize = 4096;

/// The start of a `data:` URI: its MIME type and parameters, and whether it is base64.
static DATA_URI: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(
        r"(?i)\bdata:([a-z0-9.+/-]*)((?:;[a-z0-9._+-]+(?:=[a-z0-9._+-]+)?)*?)(;base64)?,",
    )
    .expect("data uri pattern")
});

/// The assets inlined as `data:` URIs in the text file at `path`, each judged as a file of its own at
/// `<path>!/data-uri-<n>.<kind>`; a URI of neither a font nor an image (text, JSON) is not one. When there
/// are more than [`MAX_URIS`], one more asset says so.
pub fn inline_assets(path: &str, bytes: &[u8]) -> Vec<ThirdPartyAsset> {
    let mut out = Vec::new();
    if memchr_data(bytes).is_none() {
        return out;
    }
    for (n, found) in DATA_URI.captures_iter(bytes).enumerate() {
        if n >= MAX_URIS {
            out.push(ThirdPartyAsset::missing(
                format!("{path}!/data-uri-{n}"),
                None,
                format!("more than {MAX_URIS} data: URIs in one file, the rest not read"),
            ));
            break;
        }
        let whole = found.get(0).expect("match");
        let mime = String::from_utf8_lossy(&found[1]).to_ascii_lowercase();
        let base64 = found.get(3).is_some();
        let payload = &bytes[whole.end()..];
        let decoded = if base64 {
            decode_base64(payload)
        } else {
            percent_decoded(payload)
        };
        let by_mime =
            if mime.starts_with("font/") || mime.contains("font") || mime.contains("opentype") {
                Some(AssetKind::Font)
            } else if mime.starts_with("image/") {
                Some(AssetKind::Image)
            } else {
                None
            };
        let svg = mime.starts_with("image/svg") || super::images::is_svg(&decoded);
        let kind = match content_kind(&decoded) {
            Some(kind) => kind,
            None if svg => AssetKind::Image,
            None => match by_mime {
                Some(kind) => kind,
                None => continue,
            },
        };
        let ext = match kind {
            AssetKind::Font => "font",
            _ if svg => "svg",
            _ if decoded.starts_with(&[0xFF, 0xD8]) => "jpg",
            _ => "image",
        };
        let inner = format!("{path}!/data-uri-{}.{ext}", n + 1);
        if let Some(mut asset) = judge_bytes(&inner, kind, &decoded) {
            asset.evidence = format!("inlined as a data: URI ({mime}): {}", asset.evidence);
            out.push(asset);
        }
    }
    out
}

fn memchr_data(bytes: &[u8]) -> Option<usize> {
    static DATA: LazyLock<regex::bytes::Regex> =
        LazyLock::new(|| regex::bytes::Regex::new(r"(?i)data:").expect("data pattern"));
    DATA.find(bytes).map(|m| m.start())
}

/// The base64 payload at the start of `bytes`: its alphabet (standard or URL-safe, or URI-encoded as `%2B`),
/// with the whitespace and line continuations (`\` then a newline) writers break it with, up to the first
/// other byte.
fn decode_base64(bytes: &[u8]) -> Vec<u8> {
    let mut clean = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let mut b = bytes[i];
        // A payload URI-encoded as well (`%2B` for `+`, `%2F`, `%3D`), as some stylesheet generators write it.
        if b == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(h), 16)
        {
            b = v;
            i += 2;
        }
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => clean.push(b),
            b'-' => clean.push(b'+'),
            b'_' => clean.push(b'/'),
            b'=' | b' ' | b'\t' | b'\r' | b'\n' => {}
            b'\\' if matches!(bytes.get(i + 1), Some(b'\n' | b'\r')) => {}
            _ => break,
        }
        i += 1;
    }
    if clean.len() % 4 == 1 {
        clean.pop();
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(&clean).unwrap_or_default()
}

/// A URI-encoded payload (`%3Csvg …`) up to its closing quote, parenthesis or whitespace, decoded.
fn percent_decoded(bytes: &[u8]) -> Vec<u8> {
    let end = bytes
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b')' | b' ' | b'\n' | b'\r' | b'\t'))
        .unwrap_or(bytes.len());
    let raw = &bytes[..end];
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(h) = raw.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(h), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::assets::Terms;
    use proptest::prelude::*;

    /// MIME types a font is inlined under, as generators and hand-written stylesheets write them.
    const FONT_MIMES: &[&str] = &[
        "font/ttf",
        "font/otf",
        "font/woff",
        "font/woff2",
        "font/opentype",
        "application/x-font-ttf",
        "application/x-font-woff",
        "application/font-woff2",
        "application/vnd.ms-fontobject",
        "application/octet-stream",
        "",
    ];

    proptest! {
        /// Whatever the container, MIME type, parameters, line breaks and padding, a data: URI whose bytes
        /// start like a font is judged as a font, and one that no parser reads is never open: it asks a person.
        #[test]
        fn a_data_uri_holding_font_bytes_is_always_a_font_that_is_not_silently_open(
            magic in prop::sample::select(vec![&b"wOF2"[..], b"wOFF", b"OTTO", b"true", b"ttcf", &[0, 1, 0, 0]]),
            body in prop::collection::vec(any::<u8>(), 16..400),
            mime in prop::sample::select(FONT_MIMES.to_vec()),
            charset in any::<bool>(),
            wrap in 0usize..80,
            before in "[ -~]{0,3000}",
            quote in prop::sample::select(vec!["", "'", "\""]),
        ) {
            let mut bytes = magic.to_vec();
            bytes.extend(body);
            let mut b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
            if wrap > 4 && wrap < b64.len() {
                b64.insert_str(wrap, "\\\n");
            }
            let params = if charset { ";charset=utf-8" } else { "" };
            let before = before.replace("data:", "data-");
            let text = format!("{before}@font-face{{src:url({quote}data:{mime}{params};base64,{b64}{quote})}}");
            let found = inline_assets("a.css", text.as_bytes());
            prop_assert!(
                found.iter().any(|a| a.kind == AssetKind::Font && !matches!(a.terms, Terms::Open(_))),
                "{text}: {found:?}"
            );
        }

        /// A URI typed as a font is a font, whatever its bytes: one that cannot be read asks a person. (An
        /// `application/octet-stream` URI is decided by its bytes, the property above.)
        #[test]
        fn a_data_uri_typed_as_a_font_is_a_font_whatever_its_bytes(
            body in prop::collection::vec(any::<u8>(), 1..200),
            mime in prop::sample::select(FONT_MIMES[..9].to_vec()),
        ) {
            let text = format!("url(data:{mime};base64,{})", base64::engine::general_purpose::STANDARD.encode(&body));
            let found = inline_assets("a.css", text.as_bytes());
            prop_assert!(found.iter().any(|a| a.kind == AssetKind::Font && a.terms == Terms::Unknown), "{found:?}");
        }
    }

    #[test]
    fn base64_payloads_decode_through_whitespace_continuations_and_either_alphabet() {
        let text = "hello, inline world!?";
        let std = base64::engine::general_purpose::STANDARD.encode(text);
        let url = base64::engine::general_purpose::URL_SAFE.encode(text);
        for payload in [
            std.clone(),
            url,
            format!("{}\\\n{}", &std[..8], &std[8..]),
            format!("{} {}", &std[..4], &std[4..]),
            std.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
        ] {
            let decoded = decode_base64(format!("{payload})").as_bytes());
            assert_eq!(String::from_utf8_lossy(&decoded), text, "{payload}");
        }
    }
}
