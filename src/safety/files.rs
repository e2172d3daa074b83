//! Files that should not be public: environment files that hold a credential, keys and certificates, key
//! stores, database dumps that hold rows, credential files. A pure decision on the path and, where the name
//! alone does not say, the content:
//!
//! - a `.env` is a finding when one of its assignments holds a credential-like value: a value under a
//!   credential name (the words of gitleaks' `generic-api-key` rule, as whole words) that passes that rule's
//!   secret test (its entropy threshold, a digit, not a placeholder, not an identifier), or a URL whose
//!   password passes it. Empty values, `ENV="dev"`, `${REFERENCES}` and local defaults such as
//!   `postgres` are not;
//! - a `.sql` is a dump when it holds at least [`DUMP_ROWS`] distinct records that may be about people: tuples of
//!   `INSERT … VALUES`, or lines of a `COPY … FROM stdin` block, into columns one of which is named for personal
//!   data or a credential (or with no column list at all). `INSERT INTO … SELECT` is code, a few seed rows are a
//!   migration, and rows of fees, codes or roles are reference data. A value that is no one's (empty, `NULL`,
//!   an address at a reserved domain such as `example.com`) makes no record ([`synthetic`]);
//! - a `.dump` is a dump when it may hold someone's rows: a pg_dump custom-format archive whose table of contents
//!   lists table data with a personal column, or large objects ([`pgdump`]); plain SQL text by its rows, as a
//!   `.sql`; anything else by its name;
//! - a `.pem` or `.key` is a key file unless it is PEM text of certificates and public keys only;
//! - a SQLite file (`.sqlite`, `.sqlite3`, `.db`) is a dump when one of its tables holds a row; an empty file
//!   or a database whose tables are all empty is not. An H2 store (`*.mv.db`) is a dump when a table of its
//!   schema has a personal column, an H2 lock file never ([`h2`]). Any other `.db` is judged by name.
//!
//! keepopen's own small table, not taken from a public rule set: gitleaks has only `pkcs12-file` of this kind.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// One file-name rule: its id, what it means, and whether it needs the content to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRule {
    pub id: &'static str,
    pub description: &'static str,
}

pub const DOTENV: FileRule = FileRule {
    id: "dotenv-file",
    description: "an environment file (.env), which usually holds the deployment's secrets",
};
pub const KEY_FILE: FileRule = FileRule {
    id: "key-file",
    description: "a key or certificate file (*.pem, *.key)",
};
pub const SSH_KEY: FileRule = FileRule {
    id: "ssh-private-key-file",
    description: "an SSH private key file (id_rsa, id_ed25519, …)",
};
pub const KEY_STORE: FileRule = FileRule {
    id: "key-store-file",
    description: "a key store (*.p12, *.pfx, *.jks, *.keystore)",
};
pub const DATABASE_DUMP: FileRule = FileRule {
    id: "database-dump",
    description: "a database dump or database file (*.sql with INSERT INTO, *.dump, *.sqlite, *.db)",
};
pub const CREDENTIALS: FileRule = FileRule {
    id: "credentials-file",
    description: "a credentials file (credentials.json, .git-credentials, .pgpass, .netrc, .htpasswd)",
};

/// Every file rule, for validation of allow-lists and for the docs.
pub const ALL: &[FileRule] = &[
    DOTENV,
    KEY_FILE,
    SSH_KEY,
    KEY_STORE,
    DATABASE_DUMP,
    CREDENTIALS,
];

/// `.env.<suffix>` files that are templates, not secrets.
const DOTENV_TEMPLATES: &[&str] = &["example", "sample", "template", "dist", "defaults", "tmpl"];

/// Rows of data that make a `.sql` file a dump.
pub const DUMP_ROWS: usize = 10;

/// Whether a `.sql` file's text is a dump with rows ([`DUMP_ROWS`] or more), rather than code, a schema or a
/// migration with a few seed rows.
pub fn sql_has_rows(text: &[u8]) -> bool {
    sql_rows(text) >= DUMP_ROWS
}

/// Rows of data in SQL text that may be about people, counted as **distinct records**: the tuples after
/// `VALUES` of each `INSERT` (an `INSERT … SELECT` has none), and the lines of each `COPY … FROM stdin;` block up
/// to its `\.`, each taken as the values of its columns that may hold personal data (all of them when no
/// column list is given). Quotes are respected, so a `(` or `;` inside a string does not count.
///
/// A record counts only through values that can be about someone: an empty value, `NULL`, or an email address
/// at a domain reserved so that it reaches no one (see [`synthetic::reaches_nobody`]) is nobody's, and a record
/// of only such values is no one's record.
///
/// Why distinct: a dump copies records of different people, so its rows differ where people differ; seed and
/// fixture scripts cycle a handful of invented records under counting ids (`23 Ruby St`, `78 Pine Ln`, `23 Ruby
/// St`…). Forty rows of four addresses are four records.
pub fn sql_rows(text: &[u8]) -> usize {
    let lower = text.to_ascii_lowercase();
    let mut records: HashSet<u64> = HashSet::new();
    let mut add = |columns: &[u8], fields: Vec<&[u8]>| {
        let personal = personal_fields(columns);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        columns.hash(&mut hasher);
        let mut about_someone = false;
        for (i, f) in fields.iter().enumerate() {
            if personal.as_ref().is_none_or(|p| p.contains(&i)) && !synthetic::reaches_nobody(f) {
                f.trim_ascii().hash(&mut hasher);
                about_someone = true;
            }
        }
        if about_someone {
            records.insert(hasher.finish());
        }
    };
    let mut at = 0usize;
    while let Some(found) = find_word(&lower, b"insert", at) {
        let stmt_end = statement_end(&lower, found);
        let values = find_word(&lower[..stmt_end], b"values", found);
        let select = find_word(&lower[..stmt_end], b"select", found);
        if let Some(v) = values
            && select.is_none_or(|s| s > v)
            && columns_may_hold_personal_data(&lower[found..v])
        {
            let columns = column_list(&lower[found..v]);
            for tuple in tuples(&lower[v + 6..stmt_end]) {
                add(columns, split_fields(tuple, b','));
            }
        }
        at = stmt_end.max(found + 1);
    }
    let mut at = 0usize;
    while let Some(found) = find_word(&lower, b"copy", at) {
        let stmt_end = statement_end(&lower, found);
        let head = &lower[found..stmt_end];
        at = stmt_end.max(found + 1);
        if !head.windows(10).any(|w| w == b"from stdin") || !columns_may_hold_personal_data(head) {
            continue;
        }
        let columns = column_list(head);
        let body = &lower[(stmt_end + 1).min(lower.len())..];
        for line in body.split(|b| *b == b'\n').skip(1) {
            if line.starts_with(b"\\.") {
                break;
            }
            add(columns, line.split(|b| *b == b'\t').collect());
        }
    }
    records.len()
}

/// The text of a statement head's column list (between its first `(` and the `)` after it), empty when none.
fn column_list(head: &[u8]) -> &[u8] {
    let Some(open) = head.iter().position(|b| *b == b'(') else {
        return &[];
    };
    let close = head[open..]
        .iter()
        .position(|b| *b == b')')
        .map_or(head.len(), |c| open + c);
    &head[open + 1..close]
}

/// The positions of the columns of `columns` that may hold personal data; `None` when there is no column list
/// (every value counts).
fn personal_fields(columns: &[u8]) -> Option<Vec<usize>> {
    if columns.is_empty() {
        return None;
    }
    Some(
        columns
            .split(|b| *b == b',')
            .enumerate()
            .filter(|(_, name)| is_personal_column(name))
            .map(|(i, _)| i)
            .collect(),
    )
}

/// `text` split at `sep` outside quotes and brackets.
fn split_fields(text: &[u8], sep: u8) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut depth = 0usize;
    let mut from = 0;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                _ if b == sep && depth == 0 => {
                    out.push(&text[from..i]);
                    from = i + 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    out.push(&text[from.min(text.len())..]);
    out
}

/// Words in a column name (lower case) that say its values are about a person or are a credential: contact
/// details, names of a person, dates of birth, national identifiers, passwords and tokens. A dump is what leaks
/// them; rows of fees, codes or roles are reference data, which a migration seeds.
const PERSONAL_COLUMN_WORDS: &[&str] = &[
    "mail",
    "phone",
    "mobile",
    "address",
    "postcode",
    "birth",
    "dob",
    "surname",
    "forename",
    "firstname",
    "first_name",
    "lastname",
    "last_name",
    "fullname",
    "full_name",
    "given",
    "nino",
    "passport",
    "nhs",
    "password",
    "passwd",
    "secret",
    "token",
    "salt",
];

/// Whether the rows of a statement whose head (lower case, from `insert`/`copy` up to the data) is `head` may
/// hold personal data: it names no columns (then nothing says they do not), or one of its columns is personal
/// ([`is_personal_column`]).
fn columns_may_hold_personal_data(head: &[u8]) -> bool {
    let Some(open) = head.iter().position(|b| *b == b'(') else {
        return true;
    };
    let close = head[open..]
        .iter()
        .position(|b| *b == b')')
        .map_or(head.len(), |c| open + c);
    head[open + 1..close]
        .split(|b| *b == b',')
        .any(is_personal_column)
}

/// Whether a column (its name, lower case, quotes and brackets included) may hold personal data: its name holds
/// a word of [`PERSONAL_COLUMN_WORDS`] — unless the name ends in `id`/`ids` after that word
/// (`BusinessAddressId`, `email_id`): such a column holds the number of a row elsewhere, a reference, not the
/// address itself. National identifiers (`nhs_id`, `nino_id`, `passport_id`) are themselves the datum.
fn is_personal_column(name: &[u8]) -> bool {
    let name: Vec<u8> = name
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .collect();
    let reference = name.ends_with(b"id") || name.ends_with(b"ids");
    PERSONAL_COLUMN_WORDS.iter().any(|w| {
        name.windows(w.len()).any(|c| c == w.as_bytes())
            && (!reference || matches!(*w, "nhs" | "nino" | "passport"))
    })
}

/// The first `word` at or after `from` with no letter, digit or `_` on either side.
fn find_word(text: &[u8], word: &[u8], from: usize) -> Option<usize> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = from;
    while i + word.len() <= text.len() {
        let at = i + text[i..].windows(word.len()).position(|w| w == word)?;
        let before = at.checked_sub(1).map(|j| text[j]);
        let after = text.get(at + word.len()).copied();
        if !before.is_some_and(ident) && !after.is_some_and(ident) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The offset of the `;` that ends the statement starting at `from` (outside quotes), or of the newline before
/// a line `GO` (SQL Server's batch separator, which ends a statement too), or the text's end.
fn statement_end(text: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < text.len() {
        let b = text[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b';' => return i,
            None if b == b'\n'
                && text[i + 1..].len() >= 2
                && text[i + 1..i + 3].eq_ignore_ascii_case(b"go")
                && text.get(i + 3).is_none_or(|c| c.is_ascii_whitespace()) =>
            {
                return i;
            }
            None => {}
        }
        i += 1;
    }
    text.len()
}

/// The insides of the parenthesised groups at the top level of `text` (outside quotes).
fn tuples(text: &[u8]) -> Vec<&[u8]> {
    let mut quote: Option<u8> = None;
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut open = 0usize;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => {
                    if depth == 0 {
                        open = i + 1;
                    }
                    depth += 1;
                }
                b')' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(&text[open..i]);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    if depth > 0 {
        out.push(&text[open.min(text.len())..]);
    }
    out
}

/// Whether a `.pem`/`.key` file's text holds a private key: a PEM block whose label names one (`PRIVATE KEY`,
/// `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`…). A file of certificates and public keys
/// only is what a server hands to anyone who connects, not a secret; a file that is not PEM text (DER, anything
/// else) cannot be told apart and counts by its name.
pub fn pem_holds_private_key(content: &[u8]) -> bool {
    if content.is_empty() {
        return false;
    }
    let mut labels = 0usize;
    let mut at = 0usize;
    const BEGIN: &[u8] = b"-----BEGIN ";
    while let Some(found) = content[at..].windows(BEGIN.len()).position(|w| w == BEGIN) {
        let start = at + found + BEGIN.len();
        let end = content[start..]
            .iter()
            .position(|b| *b == b'-' || *b == b'\n')
            .map_or(content.len(), |e| start + e);
        let label = &content[start..end];
        if label.windows(11).any(|w| w == b"PRIVATE KEY") {
            return true;
        }
        labels += 1;
        at = end;
    }
    labels == 0
}

/// Whether a SQLite file holds a row in some table: `Some(false)` for an empty file or a database whose tables
/// are all empty, `Some(true)` when a table has a row (or the file cannot be followed far enough to say), `None`
/// when the bytes are not a SQLite database.
pub fn sqlite_has_rows(bytes: &[u8]) -> Option<bool> {
    if bytes.is_empty() {
        return Some(false);
    }
    if !bytes.starts_with(b"SQLite format 3\0") || bytes.len() < 108 {
        return None;
    }
    Some(sqlite_tables_hold_rows(bytes).unwrap_or(true))
}

fn sqlite_tables_hold_rows(db: &[u8]) -> Option<bool> {
    let page_size = match u16::from_be_bytes([db[16], db[17]]) {
        1 => 65536usize,
        n => usize::from(n),
    };
    let page = |n: usize| -> Option<(usize, &[u8])> {
        let start = (n.checked_sub(1)?) * page_size;
        let header = if n == 1 { 100 } else { 0 };
        Some((header, db.get(start..start + page_size)?))
    };
    let (h, schema) = page(1)?;
    if schema[h] != 0x0d {
        // The schema itself spans pages: many tables; not followed.
        return None;
    }
    let cells = usize::from(u16::from_be_bytes([schema[h + 3], schema[h + 4]]));
    for c in 0..cells {
        let ptr_at = h + 8 + 2 * c;
        let ptr = usize::from(u16::from_be_bytes([
            *schema.get(ptr_at)?,
            *schema.get(ptr_at + 1)?,
        ]));
        let cell = schema.get(ptr..)?;
        let (_, a) = varint(cell)?;
        let (_, b) = varint(&cell[a..])?;
        let record = &cell[a + b..];
        let (kind, root) = schema_row(record)?;
        if kind != b"table" || root == 0 {
            continue;
        }
        let (rh, table) = page(usize::try_from(root).ok()?)?;
        match table[rh] {
            0x0d if u16::from_be_bytes([table[rh + 3], table[rh + 4]]) == 0 => {}
            0x0d | 0x05 => return Some(true),
            _ => return None,
        }
    }
    Some(false)
}

/// The `type` and `rootpage` columns of a `sqlite_schema` record.
fn schema_row(record: &[u8]) -> Option<(&[u8], u64)> {
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
    let mut kind: &[u8] = &[];
    let mut root = 0u64;
    for (i, &t) in types.iter().enumerate().take(4) {
        let len = size(t);
        let value = record.get(offset..offset + len)?;
        match i {
            0 => kind = value,
            3 => {
                root = match t {
                    8 => 0,
                    9 => 1,
                    _ => value.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
                }
            }
            _ => {}
        }
        offset += len;
    }
    Some((kind, root))
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

/// Whether an environment file holds a credential-like value (see the module's documentation).
pub fn env_has_credential(text: &[u8]) -> bool {
    let Ok(rules) = super::RuleSet::gitleaks() else {
        return true;
    };
    let generic = rules.rules().iter().find(|r| r.id == "generic-api-key");
    let threshold = generic.and_then(|r| r.entropy()).unwrap_or(3.5);
    let keywords: &[String] = generic.map(|r| r.keywords()).unwrap_or(&[]);
    let secret_like = |v: &[u8]| {
        v.len() >= 8
            && super::rules::shannon_entropy(v) > threshold
            && v.iter().any(u8::is_ascii_digit)
            && !super::samples::is_placeholder(v)
            && !super::samples::is_identifier(v)
            && !super::samples::encodes_harmless_text(v)
            && !super::samples::is_published(v)
    };
    String::from_utf8_lossy(text).lines().any(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        if line.starts_with('#') {
            return false;
        }
        let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            return false;
        };
        let value = value.trim();
        let value = match value.as_bytes().first() {
            Some(q @ (b'"' | b'\'')) => value[1..].split(*q as char).next().unwrap_or(""),
            _ => value.split(" #").next().unwrap_or("").trim(),
        };
        if value.is_empty() || value.starts_with('$') || value.starts_with('<') {
            return false;
        }
        if let Some((_, rest)) = value.split_once("://") {
            // A URL is a credential only through the password in it; see [`url_password_is_credential`].
            return url_password_is_credential(rest, &secret_like);
        }
        super::samples::keyword_is_a_word(key.trim().as_bytes(), keywords)
            && secret_like(value.as_bytes())
    })
}

/// Whether the password of a URL (`rest` is what follows `scheme://`) is a credential. Its place says it is a
/// password, so it needs no credential name; it is not one when it is a placeholder, a `${REFERENCE}`, the
/// user name again (`postgres:postgres`), or a password for a database on this machine or in the same Compose
/// project (`localhost`, a loopback address, a one-label host such as `db`) that does not pass the secret test
/// either — the local defaults of a development setup.
fn url_password_is_credential(rest: &str, secret_like: &dyn Fn(&[u8]) -> bool) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return false;
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return false;
    };
    if password.is_empty()
        || password == user
        || password.starts_with('$')
        || password.starts_with('<')
        || super::samples::is_placeholder(password.as_bytes())
    {
        return false;
    }
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let local =
        host == "localhost" || host.starts_with("127.") || host == "[::1]" || !host.contains('.');
    secret_like(password.as_bytes()) || !local
}

/// Whether a `.dump` file may hold someone's data: a pg_dump custom-format archive when its table of contents
/// lists large objects or table data whose columns may be personal ([`pgdump`]); a plain-text SQL dump when it
/// holds rows ([`sql_has_rows`]); anything else (another tool's dump, an archive this reader cannot follow) by
/// its name.
fn dump_holds_data(content: &[u8]) -> bool {
    if content.starts_with(b"PGDMP") {
        return match pgdump::read_toc(content) {
            Some(toc) => {
                toc.large_objects > 0
                    || toc
                        .table_data
                        .iter()
                        .any(|copy| columns_may_hold_personal_data(copy.as_bytes()))
            }
            None => true,
        };
    }
    let head = &content[..content.len().min(8000)];
    let sql_text = !head.contains(&0)
        && [&b"insert"[..], b"copy", b"create table"]
            .iter()
            .any(|w| find_word(&head.to_ascii_lowercase(), w, 0).is_some());
    if sql_text {
        return sql_has_rows(content);
    }
    true
}

/// Whether a `.db`/`.sqlite` file may hold someone's data: a SQLite database when a table holds a row
/// ([`sqlite_has_rows`]); an H2 store when a table of its schema has a column that may be personal ([`h2`]); an
/// H2 lock file never; an empty file never; anything else by its name.
fn database_holds_data(content: &[u8]) -> bool {
    if let Some(rows) = sqlite_has_rows(content) {
        return rows;
    }
    if h2::is_lock_file(content) {
        return false;
    }
    match h2::table_columns(content) {
        Some(tables) => tables
            .iter()
            .flatten()
            .any(|column| is_personal_column(column)),
        None => true,
    }
}

/// Whether the file rule for `path` needs the file's content: environment files, `.sql`, `.dump`, database
/// files, and `.pem`/`.key` files (a certificate alone is not a key).
pub fn needs_content(path: &str) -> bool {
    let lower = file_name(path).to_ascii_lowercase();
    is_dotenv(&lower)
        || matches!(
            extension(&lower).as_deref(),
            Some("sql" | "sqlite" | "sqlite3" | "db" | "dump" | "pem" | "key" | "jks" | "keystore")
        )
}

/// Whether a lower-cased file name is an environment file that is not a template.
fn is_dotenv(lower: &str) -> bool {
    if lower == ".env" {
        return true;
    }
    lower.strip_prefix(".env.").is_some_and(|suffix| {
        !DOTENV_TEMPLATES
            .iter()
            .any(|t| suffix == *t || suffix.ends_with(&format!(".{t}")))
    })
}

/// The rule a file at `path` breaks, if any. `content` is consulted only when [`needs_content`] says so; pass
/// `None` when it is not known, and the decision that needs it is not made.
pub fn classify(path: &str, content: Option<&[u8]>) -> Option<FileRule> {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    if is_dotenv(&lower) {
        return content.filter(|c| env_has_credential(c)).map(|_| DOTENV);
    }
    if lower.starts_with(".env.") {
        return None;
    }
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(&lower.as_str()) {
        return Some(SSH_KEY);
    }
    if [
        "credentials.json",
        ".git-credentials",
        ".pgpass",
        ".netrc",
        ".htpasswd",
    ]
    .contains(&lower.as_str())
    {
        return Some(CREDENTIALS);
    }
    match extension(&lower).as_deref() {
        Some("pem" | "key") => match content {
            Some(c) => pem_holds_private_key(c).then_some(KEY_FILE),
            None => Some(KEY_FILE),
        },
        Some("jks" | "keystore") if content.is_some_and(super::keystores::holds_no_key) => None,
        Some("p12" | "pfx" | "jks" | "keystore") => Some(KEY_STORE),
        Some("dump") => match content {
            Some(c) => dump_holds_data(c).then_some(DATABASE_DUMP),
            None => Some(DATABASE_DUMP),
        },
        Some("db") if content.is_some_and(super::thumbnails::is_thumbnail_cache) => None,
        Some("sqlite" | "sqlite3" | "db") => content
            .filter(|c| database_holds_data(c))
            .map(|_| DATABASE_DUMP),
        Some("sql") => content.filter(|c| sql_has_rows(c)).map(|_| DATABASE_DUMP),
        _ => None,
    }
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

fn extension(name: &str) -> Option<String> {
    let (stem, extension) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| extension.to_ascii_lowercase())
}

mod h2;
mod pgdump;
mod synthetic;

#[cfg(test)]
mod tests;
