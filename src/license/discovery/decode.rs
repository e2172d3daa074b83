//! Decoding a blob as text: binary detection, UTF-8, UTF-16 or UTF-32 with a BOM, else Windows-1252.

/// The offset of the first NUL byte in the first 8000 bytes (git's own test for binary), unless the text is
/// UTF-16 or UTF-32 with a byte-order mark.
pub(super) fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.starts_with(&[0, 0, 0xFE, 0xFF])
    {
        return None;
    }
    let head = &bytes[..bytes.len().min(8000)];
    // `contains` on bytes is memchr: cheap on every scanned file; the position only when there is one.
    if head.contains(&0) {
        head.iter().position(|&b| b == 0)
    } else {
        None
    }
}

/// Decode a licence text: UTF-8 (without a BOM, and without a character cut by a bounded read), UTF-32 or
/// UTF-16 with a BOM (UTF-32's little-endian mark begins with UTF-16's, so it is tried first), else
/// Windows-1252 (a superset of Latin-1 in which `©` is byte 0xA9). A text is read as a person's editor shows
/// it: "Not for redistribution." saved as UTF-32 is those words, not letters between NULs.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE, 0, 0]) {
        return decode_utf32(rest, u32::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0, 0, 0xFE, 0xFF]) {
        return decode_utf32(rest, u32::from_be_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        // Valid UTF-8 whose last character was cut by a bounded read.
        Err(error) if error.error_len().is_none() && bytes.len() - error.valid_up_to() < 4 => {
            String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned()
        }
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

pub(crate) fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

pub(crate) fn decode_utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> String {
    bytes
        .chunks_exact(4)
        .map(|q| {
            char::from_u32(unit([q[0], q[1], q[2], q[3]])).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect()
}

pub(super) fn windows_1252(byte: u8) -> char {
    const HIGH: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9F => {
            char::from_u32(HIGH[usize::from(byte - 0x80)]).unwrap_or(char::REPLACEMENT_CHARACTER)
        }
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf32_with_a_byte_order_mark_reads_as_its_words_in_either_order() {
        let text = "Not for redistribution. \u{a9} Acme\n";
        let mut le = vec![0xFF, 0xFE, 0, 0];
        let mut be = vec![0, 0, 0xFE, 0xFF];
        for c in text.chars() {
            le.extend(u32::from(c).to_le_bytes());
            be.extend(u32::from(c).to_be_bytes());
        }
        for bytes in [le, be] {
            assert_eq!(binary_offset(&bytes), None);
            assert_eq!(decode_text(&bytes), text);
        }
    }
}
