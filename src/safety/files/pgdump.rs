//! pg_dump's custom-format archive (`pg_dump -Fc`, the `PGDMP` files usually named `*.dump` or `*.backup`):
//! what its table of contents says it holds.
//!
//! An archive lists every object it holds in a table of contents at its start, before any data: one entry per
//! object, each with a description (`TABLE`, `INDEX`, `TABLE DATA`, `BLOBS`…) and, for table data, the `COPY`
//! statement that loads it, which names the table's columns. Rows of a table are only in an archive through a
//! `TABLE DATA` entry, and large objects through `BLOB`/`BLOBS` entries; a dump of an empty database, or of a
//! schema only (`pg_dump -s`), has none, and holds nobody's data.
//!
//! The reader follows the archive format's versions 1.10 to 1.16 (PostgreSQL 8.4 to 17); anything else, a
//! damaged or cut table of contents, says nothing ([`None`]), and the file is then judged by its name.

/// What a custom-format archive's table of contents says of its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArchiveContents {
    /// The `COPY` statement of every `TABLE DATA` entry (its table and columns), lower case.
    pub(crate) table_data: Vec<String>,
    /// Entries of large objects (`BLOB`, `BLOBS`, `BLOB METADATA`): their content is opaque.
    pub(crate) large_objects: usize,
}

/// The table of contents of a custom-format archive, or `None` when `bytes` is not one this reader can follow
/// to the end of its table of contents.
pub(crate) fn read_toc(bytes: &[u8]) -> Option<ArchiveContents> {
    let mut r = Reader::new(bytes.strip_prefix(b"PGDMP")?);
    let major = r.byte()?;
    let minor = r.byte()?;
    let _revision = r.byte()?;
    if major != 1 || !(10..=16).contains(&minor) {
        return None;
    }
    r.int_size = usize::from(r.byte()?);
    r.off_size = usize::from(r.byte()?);
    if !(1..=8).contains(&r.int_size) || !(1..=8).contains(&r.off_size) {
        return None;
    }
    let format = r.byte()?;
    if format != 1 {
        // 1 is the custom format; the tar and directory formats keep their table of contents elsewhere.
        return None;
    }
    if minor >= 15 {
        r.byte()?; // compression algorithm
    } else {
        r.int()?; // compression level
    }
    for _ in 0..7 {
        r.int()?; // creation time: seconds … is-dst
    }
    r.string()?; // database name
    r.string()?; // server version
    r.string()?; // pg_dump version
    let count = r.int()?;
    if !(0..=10_000_000).contains(&count) {
        return None;
    }
    let mut contents = ArchiveContents {
        table_data: Vec::new(),
        large_objects: 0,
    };
    for _ in 0..count {
        let (desc, copy) = r.entry(minor)?;
        match desc.as_deref() {
            Some("TABLE DATA") => contents
                .table_data
                .push(copy.unwrap_or_default().to_ascii_lowercase()),
            Some("BLOB" | "BLOBS" | "BLOB METADATA") => contents.large_objects += 1,
            _ => {}
        }
    }
    Some(contents)
}

/// A cursor over the archive with its integer and offset sizes.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    int_size: usize,
    off_size: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            at: 0,
            int_size: 4,
            off_size: 8,
        }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    /// An integer: a sign byte, then `int_size` bytes, least significant first.
    fn int(&mut self) -> Option<i64> {
        let negative = self.byte()? != 0;
        let digits = self.take(self.int_size)?;
        let value = digits
            .iter()
            .rev()
            .fold(0i64, |acc, b| (acc << 8) | i64::from(*b));
        Some(if negative { -value } else { value })
    }

    /// A string: its length as an integer (-1 for none), then its bytes.
    fn string(&mut self) -> Option<Option<String>> {
        let len = self.int()?;
        if len < 0 {
            return Some(None);
        }
        let text = self.take(usize::try_from(len).ok()?)?;
        Some(Some(String::from_utf8_lossy(text).into_owned()))
    }

    /// One table-of-contents entry of an archive of version 1.`minor`: its description and `COPY` statement.
    fn entry(&mut self, minor: u8) -> Option<(Option<String>, Option<String>)> {
        let dump_id = self.int()?;
        if dump_id <= 0 {
            return None;
        }
        self.int()?; // had a data dumper
        self.string()?; // table oid
        self.string()?; // oid
        self.string()?; // tag
        let desc = self.string()?;
        if minor >= 11 {
            self.int()?; // section
        }
        self.string()?; // definition
        self.string()?; // drop statement
        let copy = self.string()?;
        self.string()?; // namespace
        self.string()?; // tablespace
        if minor >= 14 {
            self.string()?; // table access method
        }
        if minor >= 16 {
            self.int()?; // relation kind
        }
        self.string()?; // owner
        self.string()?; // with oids
        // Dependencies: strings up to a missing one.
        let mut deps = 0usize;
        while self.string()?.is_some() {
            deps += 1;
            if deps > 1_000_000 {
                return None;
            }
        }
        // The custom format's own part: where the data is (a flag byte, then an offset).
        self.byte()?;
        self.take(self.off_size)?;
        Some((desc, copy))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A custom-format archive of version 1.`minor` holding these entries (description, tag, COPY statement),
    /// written the way pg_dump writes one (checked against `pg_restore -l` of PostgreSQL 15).
    pub(crate) fn archive(minor: u8, entries: &[(&str, &str, Option<&str>)]) -> Vec<u8> {
        let mut out = b"PGDMP".to_vec();
        out.extend([1, minor, 0, 4, 8, 1]);
        let int = |out: &mut Vec<u8>, v: i64| {
            out.push(u8::from(v < 0));
            out.extend((v.unsigned_abs() as u32).to_le_bytes());
        };
        let string = |out: &mut Vec<u8>, s: Option<&str>| match s {
            None => int(out, -1),
            Some(s) => {
                int(out, s.len() as i64);
                out.extend(s.as_bytes());
            }
        };
        if minor >= 15 {
            out.push(0);
        } else {
            int(&mut out, -1);
        }
        for v in [54, 25, 21, 8, 7, 124, 0] {
            int(&mut out, v);
        }
        string(&mut out, Some("app"));
        string(&mut out, Some("15.18"));
        string(&mut out, Some("15.18"));
        int(&mut out, entries.len() as i64);
        for (i, (desc, tag, copy)) in entries.iter().enumerate() {
            int(&mut out, i as i64 + 1);
            int(&mut out, i64::from(*desc == "TABLE DATA"));
            string(&mut out, Some("0"));
            string(&mut out, Some("0"));
            string(&mut out, Some(tag));
            string(&mut out, Some(desc));
            if minor >= 11 {
                int(&mut out, 2);
            }
            string(&mut out, Some(""));
            string(&mut out, Some(""));
            string(&mut out, *copy);
            string(&mut out, Some("public"));
            string(&mut out, Some(""));
            if minor >= 14 {
                string(&mut out, Some(""));
            }
            if minor >= 16 {
                int(&mut out, 0);
            }
            string(&mut out, Some("app"));
            string(&mut out, Some("false"));
            string(&mut out, None);
            out.push(3);
            out.extend([0u8; 8]);
        }
        out
    }

    #[test]
    fn the_table_of_contents_lists_table_data_and_large_objects_in_every_supported_version() {
        for minor in 10..=16 {
            let bytes = archive(
                minor,
                &[
                    ("ENCODING", "ENCODING", None),
                    ("TABLE", "users", None),
                    (
                        "TABLE DATA",
                        "users",
                        Some("COPY public.users (id, email) FROM stdin;\n"),
                    ),
                    ("BLOBS", "BLOBS", None),
                ],
            );
            let toc = read_toc(&bytes).unwrap_or_else(|| panic!("1.{minor}"));
            assert_eq!(
                toc.table_data,
                vec!["copy public.users (id, email) from stdin;\n"]
            );
            assert_eq!(toc.large_objects, 1);
        }
    }

    #[test]
    fn what_is_not_a_whole_custom_archive_says_nothing() {
        let whole = archive(14, &[("TABLE", "t", None)]);
        for cut in [5, 12, 40, whole.len() - 1] {
            assert_eq!(read_toc(&whole[..cut]), None, "cut at {cut}");
        }
        let mut newer = whole.clone();
        newer[6] = 17;
        assert_eq!(read_toc(&newer), None);
        let mut tar = whole.clone();
        tar[10] = 3;
        assert_eq!(read_toc(&tar), None);
        assert_eq!(read_toc(b"-- PostgreSQL database dump\n"), None);
    }
}
