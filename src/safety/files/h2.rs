//! H2 database files (`*.mv.db`, and the `*.lock.db` beside an open one): what their schema says they can hold.
//!
//! An H2 store (`H:2,…` header) keeps its schema as SQL text: every table is a `CREATE … TABLE name(columns)`
//! statement stored in plain text in the file. The rows of a table whose columns are none of them named for
//! personal data or a credential (the same test as the columns of a `.sql` dump's `INSERT` and `COPY`) are
//! not about anyone: an IDE's or a build tool's index of source files, digests and settings. An H2 lock file
//! (`#FileLock` and a few `key=value` lines) is not a database at all.
//!
//! When no table's statement can be read (a compressed or older store), nothing is said ([`None`]) and the
//! file is judged by its name.

/// Whether the bytes are an H2 lock file: a comment `#FileLock`, then only comments and `key=value` lines.
pub(crate) fn is_lock_file(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    // The properties H2 writes into a lock file, and nothing else: a file that says more is not one.
    const KEYS: &[&str] = &["hostName", "id", "method", "server"];
    text.starts_with("#FileLock")
        && text.len() < 4096
        && text.lines().all(|line| {
            let line = line.trim();
            line.is_empty()
                || line.starts_with('#')
                || line
                    .split_once('=')
                    .is_some_and(|(key, _)| KEYS.contains(&key.trim()))
        })
}

/// The column lists of the tables an H2 store's schema declares, or `None` when `bytes` is not an H2 store, none
/// of its `CREATE TABLE` statements can be read, or a table's statement is only found cut off.
///
/// A store rewrites its schema into new chunks and leaves old ones behind, partly overwritten: a statement cut
/// off by other bytes is a stale copy when the same table is declared whole elsewhere in the file, and then the
/// columns readable before the cut count too. A table found only cut off has columns no one can know.
pub(crate) fn table_columns(bytes: &[u8]) -> Option<Vec<Vec<Vec<u8>>>> {
    if !bytes.starts_with(b"H:2,") {
        return None;
    }
    let mut whole: Vec<(&[u8], Vec<Vec<u8>>)> = Vec::new();
    let mut cut: Vec<(&[u8], Vec<Vec<u8>>)> = Vec::new();
    let mut at = 0usize;
    while let Some(found) = find(bytes, b"CREATE ", at) {
        at = found + 7;
        // `CREATE [CACHED|MEMORY] [GLOBAL|LOCAL] [TEMPORARY] TABLE`, within a few words.
        let head_end = (at + 48).min(bytes.len());
        let Some(table) = find(&bytes[..head_end], b"TABLE ", at) else {
            continue;
        };
        let words = &bytes[at..table];
        if !words.iter().all(|b| b.is_ascii_uppercase() || *b == b' ') {
            continue;
        }
        let Some(open) = bytes[table..].iter().take(300).position(|b| *b == b'(') else {
            continue;
        };
        let name = bytes[table + 6..table + open].trim_ascii();
        let (columns, closed) = column_list(&bytes[table + open + 1..]);
        if closed {
            whole.push((name, columns));
        } else {
            cut.push((name, columns));
        }
    }
    if whole.is_empty() || cut.iter().any(|(n, _)| !whole.iter().any(|(w, _)| w == n)) {
        return None;
    }
    Some(whole.into_iter().chain(cut).map(|(_, c)| c).collect())
}

/// The column names (lower case) of a table body that starts after its `(`, and whether the matching `)`
/// closes it before a byte that SQL text does not hold (or a statement's reach) cuts it off.
pub(crate) fn column_list(body: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let mut depth = 0usize;
    let mut quote = false;
    let mut items = vec![Vec::new()];
    let names = |items: Vec<Vec<u8>>| items.iter().filter_map(|i| first_name(i)).collect();
    for &b in body.iter().take(64 * 1024) {
        if b < 0x09 || b == 0x7f {
            return (names(items), false);
        }
        match b {
            b'"' => quote = !quote,
            b'(' if !quote => depth += 1,
            b')' if !quote && depth == 0 => return (names(items), true),
            b')' if !quote => depth -= 1,
            b',' if !quote && depth == 0 => {
                items.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(item) = items.last_mut() {
            item.push(b);
        }
    }
    (names(items), false)
}

/// The first name of a column definition (quoted or not), lower case.
fn first_name(item: &[u8]) -> Option<Vec<u8>> {
    let item = item.trim_ascii();
    let name: Vec<u8> = if let Some(rest) = item.strip_prefix(b"\"") {
        rest.iter().take_while(|b| **b != b'"').copied().collect()
    } else {
        item.iter()
            .take_while(|b| !b.is_ascii_whitespace())
            .copied()
            .collect()
    };
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

fn find(text: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_h2_store_s_tables_and_columns_are_read_from_its_schema_text() {
        let store = b"H:2,block:6,blockSize:1000,chunk:3,format:2\n\0\0\x04CREATE CACHED TABLE \"PUBLIC\".\"SBT_DIGEST\"(\n    \"MD5\" CHARACTER VARYING,\n    \"WHEN_RECORDED\" TIMESTAMP\n)\x04\x10 \rCREATE MEMORY TABLE \"PUBLIC\".\"T\"(\"ID\" INT, \"NOTE\" VARCHAR(20))\0";
        assert_eq!(
            table_columns(store),
            Some(vec![
                vec![b"md5".to_vec(), b"when_recorded".to_vec()],
                vec![b"id".to_vec(), b"note".to_vec()],
            ])
        );
        // Not an H2 store, or a statement cut off by binary bytes: nothing said.
        assert_eq!(table_columns(b"SQLite format 3\0"), None);
        assert_eq!(
            table_columns(b"H:2,\nCREATE CACHED TABLE \"T\"(\"ID\" INT,\0\0"),
            None
        );
        // A stale copy cut off by a later chunk, beside the whole statement of the same table: its readable
        // columns count with the whole one's.
        let stale = b"H:2,\nCREATE CACHED TABLE \"T\"(\"ID\" INT, \"MAIL\0\0CREATE CACHED TABLE \"T\"(\"ID\" INT)\0";
        assert_eq!(
            table_columns(stale),
            Some(vec![
                vec![b"id".to_vec()],
                vec![b"id".to_vec(), b"mail".to_vec()]
            ])
        );
        // Cut off, and no whole statement of that table anywhere: unknown.
        let lone = b"H:2,\nCREATE CACHED TABLE \"U\"(\"ID\" INT, \0\0CREATE CACHED TABLE \"T\"(\"ID\" INT)\0";
        assert_eq!(table_columns(lone), None);
        assert_eq!(table_columns(b"H:2,block:6\0\0\0"), None);
    }

    #[test]
    fn an_h2_lock_file_is_a_few_properties() {
        assert!(is_lock_file(
            b"#FileLock\n#Fri Jun 30 16:42:19 BST 2023\nhostName=localhost\nid=188b\nmethod=file\nserver=localhost\\:63761\n"
        ));
        assert!(!is_lock_file(b"hostName=localhost\n"));
        assert!(!is_lock_file(b"#FileLock\nalice,alice@mail.example.net\n"));
        assert!(!is_lock_file(
            b"#FileLock\nid=1\nemail=alice@mail.example.net\n"
        ));
        assert!(!is_lock_file(b"#FileLock\n\0\0"));
    }
}
