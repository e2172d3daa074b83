//! Whether a `.db` file is a Windows thumbnail cache (`Thumbs.db`), read from its container's directory.
//!
//! Windows Explorer writes a `Thumbs.db` into folders of pictures it has shown: an OLE compound file (magic
//! `D0 CF 11 E0 A1 B1 1A E1`) whose streams are a `Catalog` and one small image per picture, named by a number
//! (`1`, `01`, `21`… on XP) or by size and hash (`256_3f2a…` on later versions). It holds pictures of pictures,
//! not records: it is not a database dump. Other compound files (a spreadsheet, a document, an installer
//! database) have other streams and stay judged by their name, as does anything that cannot be read: the
//! decision needs the directory to show a catalog and thumbnails only.

/// The compound-file magic.
const MAGIC: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// FAT markers: end of a chain, and free.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// The most directory sectors followed (a thumbnail cache of thousands of pictures has far fewer).
const MAX_DIRECTORY_SECTORS: usize = 4096;

/// Whether `bytes` are a Windows thumbnail cache: a compound file whose directory holds a `Catalog` stream and
/// otherwise only thumbnail streams.
pub(crate) fn is_thumbnail_cache(bytes: &[u8]) -> bool {
    stream_names(bytes).is_some_and(|names| {
        names.iter().any(|n| n == "Catalog")
            && names
                .iter()
                .filter(|n| *n != "Catalog")
                .all(|n| is_thumbnail_name(n))
    })
}

/// `1`, `01`, `121` (XP's reversed picture numbers) or `256_0a1b…` (a size, then a hex hash).
fn is_thumbnail_name(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match name.split_once('_') {
        None => digits(name),
        Some((size, hash)) => {
            digits(size) && !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The names of the streams in a compound file's directory, or `None` when the bytes are not one or its
/// directory cannot be followed.
fn stream_names(bytes: &[u8]) -> Option<Vec<String>> {
    if !bytes.starts_with(MAGIC) || bytes.len() < 512 {
        return None;
    }
    let shift = u16::from_le_bytes([bytes[30], bytes[31]]);
    if shift != 9 && shift != 12 {
        return None;
    }
    let sector_size = 1usize << shift;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = (n as usize + 1).checked_mul(sector_size)?;
        bytes.get(start..start + sector_size)
    };
    // The FAT's sectors, from the 109 entries of the header (a larger file's extra DIFAT is not followed).
    let fat_sectors = u32_at(bytes, 0x2C)? as usize;
    if fat_sectors > 109 {
        return None;
    }
    let mut fat: Vec<u32> = Vec::new();
    for i in 0..fat_sectors {
        let s = sector(u32_at(bytes, 0x4C + 4 * i)?)?;
        fat.extend(
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    let mut names = Vec::new();
    let mut next = u32_at(bytes, 0x30)?;
    let mut followed = 0usize;
    while next != END_OF_CHAIN {
        followed += 1;
        if followed > MAX_DIRECTORY_SECTORS {
            return None;
        }
        for entry in sector(next)?.chunks_exact(128) {
            let kind = entry[0x42];
            let len = usize::from(u16::from_le_bytes([entry[0x40], entry[0x41]]));
            if kind != 2 || !(2..=64).contains(&len) {
                continue;
            }
            let units: Vec<u16> = entry[..len - 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            names.push(String::from_utf16(&units).ok()?);
        }
        next = *fat.get(next as usize)?;
    }
    Some(names)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal compound file of 512-byte sectors: one FAT sector (sector 0), one directory sector (sector 1)
    /// with a root entry and the given streams.
    pub(crate) fn compound_file(streams: &[&str]) -> Vec<u8> {
        assert!(streams.len() <= 3, "one directory sector");
        let mut file = vec![0u8; 512 * 3];
        file[..8].copy_from_slice(MAGIC);
        file[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        file[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        file[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        file[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        file[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        file[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        file[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for i in 0..109 {
            file[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        file[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes()); // the FAT is sector 0
        // FAT: sector 0 is the FAT itself (0xFFFFFFFD), sector 1 ends its chain.
        let fat = 512;
        file[fat..fat + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        file[fat + 4..fat + 8].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for i in 2..128 {
            file[fat + 4 * i..fat + 4 * i + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        let dir = 1024;
        let mut entry = |index: usize, name: &str, kind: u8| {
            let at = dir + 128 * index;
            let units: Vec<u16> = name.encode_utf16().collect();
            for (i, u) in units.iter().enumerate() {
                file[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
            let len = u16::try_from(2 * units.len() + 2).unwrap();
            file[at + 0x40..at + 0x42].copy_from_slice(&len.to_le_bytes());
            file[at + 0x42] = kind;
        };
        entry(0, "Root Entry", 5);
        for (i, name) in streams.iter().enumerate() {
            entry(i + 1, name, 2);
        }
        file
    }

    #[test]
    fn a_catalog_and_numbered_thumbnails_are_a_thumbnail_cache() {
        assert!(is_thumbnail_cache(&compound_file(&["Catalog", "1", "01"])));
        assert!(is_thumbnail_cache(&compound_file(&[
            "256_3f2a9b",
            "Catalog"
        ])));
    }

    #[test]
    fn other_compound_files_and_other_bytes_are_not() {
        assert!(!is_thumbnail_cache(&compound_file(&[
            "Workbook", "Catalog"
        ])));
        assert!(
            !is_thumbnail_cache(&compound_file(&["1", "2"])),
            "no catalog"
        );
        assert!(!is_thumbnail_cache(b"SQLite format 3\0"));
        assert!(!is_thumbnail_cache(b""));
        let mut truncated = compound_file(&["Catalog", "1"]);
        truncated.truncate(1024);
        assert!(!is_thumbnail_cache(&truncated), "the directory is cut off");
    }
}
