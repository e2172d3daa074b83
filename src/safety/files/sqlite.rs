//! SQLite database files (`*.sqlite`, `*.sqlite3`, `*.db`): which of their tables hold rows, and what their
//! schema says those rows can be.
//!
//! A SQLite file keeps its schema in the table `sqlite_schema`, rooted at page 1: one row per table, index,
//! view and trigger, each with the `CREATE` statement that made it, as text. A table's rows are in the b-tree
//! rooted at the page that row names; an empty table's root is a leaf page with no cells. So a reader can tell,
//! without running SQLite, which tables hold rows and which columns they were declared with — which is what a
//! reviewer reads first: an IDE's cache (Visual Studio's `.vs/*/slnx.sqlite`, a Copilot symbol index) declares
//! `FileSystemEntity(Name, ParentFileSystemEntityId…)` and `Setting(Name, Value)`; an application's database
//! declares `users(email, password_digest…)`.
//!
//! The reader follows the schema's b-tree through interior pages and a long statement through its overflow
//! pages; anything it cannot follow (a damaged page, a loop, a cut file) says nothing ([`None`]), and the file
//! is then judged by its name.

/// What a SQLite file's schema says of its tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// The table's name, lower case.
    pub(crate) name: String,
    /// The columns of its `CREATE TABLE` statement (lower case), `None` when the statement cannot be read.
    pub(crate) columns: Option<Vec<Vec<u8>>>,
    /// Whether its b-tree holds a row.
    pub(crate) has_rows: bool,
    /// A virtual table (`CREATE VIRTUAL TABLE … USING fts5(…)`): its rows are in shadow tables named
    /// `<name>_…`.
    pub(crate) is_virtual: bool,
}

/// The tables of a SQLite database, `None` when `bytes` is not one this reader can follow. An empty file is a
/// database of no tables.
pub(crate) fn tables(bytes: &[u8]) -> Option<Vec<Table>> {
    if bytes.is_empty() {
        return Some(Vec::new());
    }
    if !bytes.starts_with(b"SQLite format 3\0") || bytes.len() < 108 {
        return None;
    }
    let db = Db::new(bytes)?;
    let mut out = Vec::new();
    for record in db.leaf_payloads(1)? {
        let row = schema_row(&record)?;
        if row.kind != b"table" {
            continue;
        }
        let sql = String::from_utf8_lossy(&row.sql).to_ascii_lowercase();
        let is_virtual = sql.trim_start().starts_with("create virtual");
        let has_rows = if row.root == 0 {
            false
        } else {
            db.has_rows(usize::try_from(row.root).ok()?)?
        };
        out.push(Table {
            name: String::from_utf8_lossy(&row.name).to_ascii_lowercase(),
            columns: if is_virtual {
                module_arguments(sql.as_bytes())
            } else {
                declared_columns(sql.as_bytes())
            },
            has_rows,
            is_virtual,
        });
    }
    Some(out)
}

/// The column names of a `CREATE [VIRTUAL] TABLE` statement (lower case), without its table constraints
/// (`PRIMARY KEY (…)`, `FOREIGN KEY …`, `CONSTRAINT …`) and a virtual table's options (`tokenize = …`).
pub(crate) fn declared_columns(sql: &[u8]) -> Option<Vec<Vec<u8>>> {
    let open = sql.iter().position(|b| *b == b'(')?;
    let (names, closed) = super::h2::column_list(&sql[open + 1..]);
    if !closed {
        return None;
    }
    const CONSTRAINTS: &[&[u8]] = &[
        b"constraint",
        b"primary",
        b"foreign",
        b"unique",
        b"check",
        b"key",
        b"index",
        b"period",
    ];
    Some(
        names
            .into_iter()
            .map(|n| {
                n.iter()
                    .copied()
                    .filter(|b| !matches!(b, b'[' | b']' | b'`' | b'\'' | b'"'))
                    .collect::<Vec<u8>>()
            })
            .filter(|n| !n.is_empty() && !CONSTRAINTS.contains(&n.as_slice()))
            .collect(),
    )
}

/// The columns of a virtual table (`USING fts5('Name', body, tokenize = 'trigram')`): its module's arguments
/// but the options (`name = value`), each by its first word, unquoted, lower case.
fn module_arguments(sql: &[u8]) -> Option<Vec<Vec<u8>>> {
    let open = sql.iter().position(|b| *b == b'(')?;
    let close = sql.iter().rposition(|b| *b == b')').filter(|c| *c > open)?;
    let mut out = Vec::new();
    for line in sql[open + 1..close].split(|b| *b == b'\n') {
        // A `--` comment runs to the end of its line.
        let line = line
            .windows(2)
            .position(|w| w == b"--")
            .map_or(line, |i| &line[..i]);
        for item in line.split(|b| *b == b',') {
            let item = item.trim_ascii();
            if item.is_empty() || item.contains(&b'=') {
                continue;
            }
            let word: Vec<u8> = item
                .iter()
                .take_while(|b| !b.is_ascii_whitespace())
                .copied()
                .filter(|b| !matches!(b, b'[' | b']' | b'`' | b'\'' | b'"'))
                .collect();
            if !word.is_empty() {
                out.push(word);
            }
        }
    }
    Some(out)
}

/// A database's pages.
struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
}

/// One row of `sqlite_schema`: its type, name, root page and statement.
struct SchemaRow {
    kind: Vec<u8>,
    name: Vec<u8>,
    root: u64,
    sql: Vec<u8>,
}

/// The largest number of pages followed through one b-tree or overflow chain.
const MAX_PAGES: usize = 100_000;

impl<'a> Db<'a> {
    fn new(bytes: &'a [u8]) -> Option<Self> {
        let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
            1 => 65536usize,
            n if n >= 512 && n.is_power_of_two() => usize::from(n),
            _ => return None,
        };
        let usable = page_size.checked_sub(usize::from(bytes[20]))?;
        (usable >= 480).then_some(Db {
            bytes,
            page_size,
            usable,
        })
    }

    /// Page `n` (from 1) and where its b-tree header starts in it.
    fn page(&self, n: usize) -> Option<(usize, &'a [u8])> {
        let start = n.checked_sub(1)?.checked_mul(self.page_size)?;
        let header = if n == 1 { 100 } else { 0 };
        Some((header, self.bytes.get(start..start + self.page_size)?))
    }

    /// Whether the b-tree rooted at `root` (a table's or, for `WITHOUT ROWID`, an index's) holds an entry.
    fn has_rows(&self, root: usize) -> Option<bool> {
        let (h, page) = self.page(root)?;
        let cells = u16::from_be_bytes([*page.get(h + 3)?, *page.get(h + 4)?]);
        match page[h] {
            0x0d | 0x0a => Some(cells > 0),
            // An interior page has children, and a b-tree's leaves are never empty below one.
            0x05 | 0x02 => Some(true),
            _ => None,
        }
    }

    /// The payloads of every cell of the table b-tree rooted at `root`, in order.
    fn leaf_payloads(&self, root: usize) -> Option<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        let mut seen = 0usize;
        while let Some(n) = stack.pop() {
            seen += 1;
            if seen > MAX_PAGES {
                return None;
            }
            let (h, page) = self.page(n)?;
            let kind = *page.get(h)?;
            let cells = usize::from(u16::from_be_bytes([*page.get(h + 3)?, *page.get(h + 4)?]));
            let pointers = h + if kind == 0x05 { 12 } else { 8 };
            let mut children = Vec::new();
            for c in 0..cells {
                let at = pointers + 2 * c;
                let ptr = usize::from(u16::from_be_bytes([*page.get(at)?, *page.get(at + 1)?]));
                let cell = page.get(ptr..)?;
                match kind {
                    0x05 => children.push(be32(cell)?),
                    0x0d => out.push(self.payload(cell)?),
                    _ => return None,
                }
            }
            if kind == 0x05 {
                children.push(be32(page.get(h + 8..)?)?);
                // Depth first, left to right.
                stack.extend(children.into_iter().rev());
            }
        }
        Some(out)
    }

    /// The whole payload of a table leaf cell, following its overflow pages.
    fn payload(&self, cell: &[u8]) -> Option<Vec<u8>> {
        let (size, a) = varint(cell)?;
        let (_, b) = varint(cell.get(a..)?)?;
        let size = usize::try_from(size).ok()?;
        let body = cell.get(a + b..)?;
        let max_local = self.usable - 35;
        if size <= max_local {
            return Some(body.get(..size)?.to_vec());
        }
        let min_local = (self.usable - 12) * 32 / 255 - 23;
        let k = min_local + (size - min_local) % (self.usable - 4);
        let local = if k <= max_local { k } else { min_local };
        let mut out = body.get(..local)?.to_vec();
        let mut next = be32(body.get(local..)?)?;
        let mut seen = 0usize;
        while out.len() < size {
            seen += 1;
            if next == 0 || seen > MAX_PAGES {
                return None;
            }
            let (_, page) = self.page(next)?;
            next = be32(page)?;
            let take = (size - out.len()).min(self.usable - 4);
            out.extend_from_slice(page.get(4..4 + take)?);
        }
        Some(out)
    }
}

fn be32(bytes: &[u8]) -> Option<usize> {
    let b = bytes.get(..4)?;
    usize::try_from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])).ok()
}

/// The `type`, `name`, `rootpage` and `sql` columns of a `sqlite_schema` record.
fn schema_row(record: &[u8]) -> Option<SchemaRow> {
    let (header_len, mut at) = varint(record)?;
    let header_len = usize::try_from(header_len).ok()?;
    let mut types = Vec::new();
    while at < header_len {
        let (t, n) = varint(record.get(at..)?)?;
        types.push(t);
        at += n;
    }
    let size = |t: u64| -> usize {
        match t {
            0 | 8 | 9 => 0,
            1..=4 => t as usize,
            5 => 6,
            6 | 7 => 8,
            t if t >= 12 => ((t - 12) / 2) as usize,
            _ => 0,
        }
    };
    let mut offset = header_len;
    let mut row = SchemaRow {
        kind: Vec::new(),
        name: Vec::new(),
        root: 0,
        sql: Vec::new(),
    };
    for (i, &t) in types.iter().enumerate().take(5) {
        let len = size(t);
        let value = record.get(offset..offset + len)?;
        match i {
            0 => row.kind = value.to_vec(),
            1 => row.name = value.to_vec(),
            3 => {
                row.root = match t {
                    8 => 0,
                    9 => 1,
                    _ => value.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
                }
            }
            4 => row.sql = value.to_vec(),
            _ => {}
        }
        offset += len;
    }
    Some(row)
}

/// A SQLite varint: the value and its length in bytes.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for i in 0..9 {
        let b = *bytes.get(i)?;
        if i == 8 {
            return Some(((value << 8) | u64::from(b), 9));
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDE_CACHE: &[u8] = include_bytes!("../../../tests/it/scanlocal/ide-cache.sqlite");

    #[test]
    fn every_table_of_a_schema_spanning_interior_and_overflow_pages_is_read_with_its_columns() {
        let tables = tables(IDE_CACHE).expect("a database this reader follows");
        assert_eq!(tables.len(), 40);
        let names = |t: &Table| -> Vec<String> {
            t.columns
                .iter()
                .flatten()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect()
        };
        let table = |name: &str| tables.iter().find(|t| t.name == name).expect(name);
        assert_eq!(
            names(table("filesystementity")),
            [
                "filesystementityid",
                "name",
                "parentfilesystementityid",
                "isfile",
                "lastobserved"
            ]
        );
        assert!(table("filesystementity").has_rows);
        // A virtual table's options are no columns; its rows are in its shadow tables.
        let fts = table("symbolcompletion");
        assert!(fts.is_virtual && !fts.has_rows);
        assert_eq!(names(fts), ["unqualifiedname"]);
        assert!(table("symbolcompletion_content").has_rows);
        // A `WITHOUT ROWID` table's rows are in an index b-tree.
        assert!(table("lookup").has_rows);
        // The 30 tables whose statements overflow their cells, all read whole and empty.
        for i in 0..30 {
            let t = table(&format!("symbol{i}"));
            assert_eq!(names(t).len(), 13, "{i}");
            assert!(!t.has_rows);
        }
    }

    #[test]
    fn what_is_not_a_whole_sqlite_database_says_nothing() {
        assert_eq!(tables(b""), Some(Vec::new()));
        assert_eq!(tables(b"H:2,block:6"), None);
        assert_eq!(tables(&IDE_CACHE[..2048]), None);
        let mut looped = IDE_CACHE.to_vec();
        looped[16] = 0x03; // page size 768: not a power of two
        assert_eq!(tables(&looped), None);
    }
}
