//! AppleDouble files: what macOS writes beside a file when the file leaves an Apple file system — into a zip
//! archive (`__MACOSX/._LICENCE.txt`) or, copied carelessly, into a tree (`._LICENCE.txt`). Such a file holds the
//! other file's Finder information, extended attributes and resource fork, never its text: `._LICENCE.txt` is
//! not a licence, and its bytes are not a text to read as one.
//!
//! **The invariant** ([`only_bookkeeping`]): a file is set aside as AppleDouble bookkeeping only by its
//! content — the AppleDouble magic number `0x00051607` at its start, whatever its name — and only when all of it
//! is bookkeeping:
//!
//! - the header is well formed (version 1 or 2, at most [`MAX_ENTRIES`] entries, each inside the file);
//! - its entries are Finder information (id 9), file dates (id 8) and an *empty* resource fork (id 2). A
//!   resource fork with data, a comment (id 4), a real name (id 3) or any other entry can hold text and is read
//!   as today;
//! - the Finder information is its 32 bytes, then nothing, zero padding, or the extended attributes block
//!   (`ATTR`) macOS writes there; each extended attribute is one macOS keeps for itself ([`BOOKKEEPING`]:
//!   download quarantine flags, provenance, access lists, last-used date, text encoding, the URL a download
//!   came from). An attribute by any other name (a Spotlight comment, a copyright field, user tags, anything an
//!   application wrote) may hold words, and the file is read as today.
//!
//! A file named `._…` whose content is not AppleDouble is read as its name says, as before; so is an AppleDouble
//! file that fails any check above. The file itself is still published with the history and scanned for secrets
//! by the history scan like every blob: this only says it is no licence text.

/// The magic number at the start of every AppleDouble file.
pub const MAGIC: [u8; 4] = [0x00, 0x05, 0x16, 0x07];
/// More entries than this is not what macOS writes.
pub const MAX_ENTRIES: usize = 32;
/// The extended attributes macOS keeps for its own bookkeeping: flags, ids, dates and the source URL of a
/// download, never a statement about the file's terms.
pub const BOOKKEEPING: &[&str] = &[
    "com.apple.quarantine",
    "com.apple.provenance",
    "com.apple.macl",
    "com.apple.lastuseddate#PS",
    "com.apple.FinderInfo",
    "com.apple.TextEncoding",
    "com.apple.metadata:kMDItemWhereFroms",
    "com.apple.metadata:kMDItemDownloadedDate",
];

/// Whether `bytes` start as an AppleDouble file does.
pub fn is_appledouble(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// Whether `bytes` are an AppleDouble file holding only macOS bookkeeping ([module docs](self)). `Err` says why
/// not, for a file that starts as AppleDouble; `Err` too for anything else.
pub fn only_bookkeeping(bytes: &[u8]) -> Result<(), String> {
    if !is_appledouble(bytes) {
        return Err("not an AppleDouble file".into());
    }
    let version = u32_at(bytes, 4).ok_or("header cut short")?;
    if version != 0x0001_0000 && version != 0x0002_0000 {
        return Err(format!("AppleDouble version {version:#x} is not known"));
    }
    let count = usize::from(u16_at(bytes, 24).ok_or("header cut short")?);
    if count > MAX_ENTRIES {
        return Err(format!("{count} entries"));
    }
    for i in 0..count {
        let at = 26 + 12 * i;
        let (Some(id), Some(offset), Some(length)) = (
            u32_at(bytes, at),
            u32_at(bytes, at + 4),
            u32_at(bytes, at + 8),
        ) else {
            return Err("entry table cut short".into());
        };
        let (offset, length) = (offset as usize, length as usize);
        let entry = offset
            .checked_add(length)
            .and_then(|end| bytes.get(offset..end))
            .ok_or_else(|| format!("entry {id} lies outside the file"))?;
        match id {
            8 => {}
            2 if length == 0 => {}
            2 => return Err(format!("a resource fork of {length} bytes")),
            9 => finder_info(entry)?,
            other => return Err(format!("an entry of kind {other}, which may hold text")),
        }
    }
    Ok(())
}

/// Finder information: 32 bytes, then nothing, zeros, or macOS's extended attributes block.
fn finder_info(entry: &[u8]) -> Result<(), String> {
    let Some(rest) = entry.get(32..) else {
        return Ok(());
    };
    if rest.iter().all(|b| *b == 0) {
        return Ok(());
    }
    // Two bytes of padding, then the block: "ATTR", a debug tag, its total size, where the values start, their
    // length, 12 reserved bytes, flags, and the number of attributes; offsets count from the entry's start.
    if rest.get(2..6) != Some(b"ATTR".as_slice()) {
        return Err("Finder information holds more than its 32 bytes".into());
    }
    let header = 34;
    let count = usize::from(u16_at(entry, header + 34).ok_or("attributes header cut short")?);
    if count > MAX_ENTRIES {
        return Err(format!("{count} extended attributes"));
    }
    let mut at = header + 36;
    for _ in 0..count {
        let name_len = usize::from(*entry.get(at + 10).ok_or("attribute cut short")?);
        let name = entry
            .get(at + 11..at + 11 + name_len)
            .ok_or("attribute name cut short")?;
        let name = String::from_utf8_lossy(name);
        let name = name.trim_end_matches('\0');
        if !BOOKKEEPING.contains(&name) {
            return Err(format!(
                "an extended attribute {name:?}, which may hold words"
            ));
        }
        // Entries are aligned to four bytes.
        at = (at + 11 + name_len + 3) & !3;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AppleDouble file as macOS writes into a zip: Finder information with one extended attribute.
    fn with_attribute(name: &str, value: &[u8]) -> Vec<u8> {
        let mut attr_entry = Vec::new();
        let names = name.len() + 1;
        let entries_len = (11 + names + 3) & !3;
        let fi_start = 50usize;
        let data_start = fi_start + 34 + 36 + entries_len;
        attr_entry.extend_from_slice(&(data_start as u32).to_be_bytes());
        attr_entry.extend_from_slice(&(value.len() as u32).to_be_bytes());
        attr_entry.extend_from_slice(&0u16.to_be_bytes());
        attr_entry.push(names as u8);
        attr_entry.extend_from_slice(name.as_bytes());
        attr_entry.push(0);
        attr_entry.resize(entries_len, 0);
        let mut fi = vec![0u8; 32];
        fi.extend_from_slice(&[0, 0]);
        fi.extend_from_slice(b"ATTR");
        fi.extend_from_slice(&0u32.to_be_bytes());
        let total = data_start + value.len();
        fi.extend_from_slice(&(total as u32).to_be_bytes());
        fi.extend_from_slice(&(data_start as u32).to_be_bytes());
        fi.extend_from_slice(&(value.len() as u32).to_be_bytes());
        fi.extend_from_slice(&[0; 12]);
        fi.extend_from_slice(&0u16.to_be_bytes());
        fi.extend_from_slice(&1u16.to_be_bytes());
        fi.extend_from_slice(&attr_entry);
        fi.extend_from_slice(value);
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&0x0002_0000u32.to_be_bytes());
        out.extend_from_slice(b"Mac OS X        ");
        out.extend_from_slice(&2u16.to_be_bytes());
        for (id, offset, len) in [(9u32, fi_start, fi.len()), (2, total, 0)] {
            out.extend_from_slice(&id.to_be_bytes());
            out.extend_from_slice(&(offset as u32).to_be_bytes());
            out.extend_from_slice(&(len as u32).to_be_bytes());
        }
        assert_eq!(out.len(), fi_start);
        out.extend_from_slice(&fi);
        out
    }

    #[test]
    fn quarantine_flags_alone_are_bookkeeping() {
        let bytes = with_attribute("com.apple.quarantine", b"0081;5f00aa00;Safari;ABCD-1234");
        assert_eq!(only_bookkeeping(&bytes), Ok(()));
    }

    #[test]
    fn an_attribute_by_another_name_or_a_resource_fork_is_read_as_before() {
        let bytes = with_attribute(
            "com.apple.metadata:kMDItemCopyright",
            b"Not for redistribution.",
        );
        assert!(only_bookkeeping(&bytes).is_err());
        let mut fork = with_attribute("com.apple.quarantine", b"0081;5f00aa00;Safari;");
        // The resource fork (the second entry: offset at 42, length at 46) given eight bytes of data.
        let end = fork.len() as u32;
        fork.extend_from_slice(b"TEXTdata");
        fork[42..46].copy_from_slice(&end.to_be_bytes());
        fork[46..50].copy_from_slice(&8u32.to_be_bytes());
        assert!(only_bookkeeping(&fork).is_err());
    }

    #[test]
    fn text_without_the_magic_number_is_not_appledouble_whatever_its_name() {
        assert!(only_bookkeeping(b"MIT License\n\nCopyright (c) 2020 Example\n").is_err());
        assert!(only_bookkeeping(&[0, 5, 22, 7, 0, 2]).is_err());
    }
}
