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
//! - a SQLite file (`.sqlite`, `.sqlite3`, `.db`) is a dump when a table that holds rows was declared with a
//!   column that may be personal (as a `.sql` dump's columns are judged), or the file holds an email address
//!   that reaches someone; an empty file, a database whose tables are all empty, or an IDE's cache of file
//!   names and symbols is not ([`sqlite`]). An H2 store (`*.mv.db`) is a dump when a table of its
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
    let declared = declared_tables(&lower);
    let mut at = 0usize;
    while let Some(found) = find_word(&lower, b"insert", at) {
        let stmt_end = statement_end(&lower, found);
        let values = find_word(&lower[..stmt_end], b"values", found);
        let select = find_word(&lower[..stmt_end], b"select", found);
        if let Some(v) = values
            && select.is_none_or(|s| s > v)
        {
            // An INSERT without a column list fills the columns of the table as the script declares it.
            let head = &lower[found..v];
            let columns = match column_list(head) {
                [] => insert_table(head)
                    .and_then(|t| declared.get(&t))
                    .map_or(&[][..], Vec::as_slice),
                listed => listed,
            };
            if columns.is_empty() || columns.split(|b| *b == b',').any(is_personal_column) {
                for tuple in tuples(&lower[v + 6..stmt_end]) {
                    add(columns, split_fields(tuple, b','));
                }
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

/// The tables a SQL script (lower case) creates, each by its bare name ([`bare_table_name`]) with its columns
/// joined by `,` as an INSERT's column list is, table constraints left out.
fn declared_tables(lower: &[u8]) -> std::collections::HashMap<Vec<u8>, Vec<u8>> {
    let mut out = std::collections::HashMap::new();
    let mut at = 0usize;
    while let Some(found) = find_word(lower, b"create", at) {
        at = found + 6;
        let rest = &lower[at..];
        let words: Vec<&[u8]> = rest
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .take(2)
            .collect();
        if words.first() != Some(&&b"table"[..]) {
            continue;
        }
        let Some(open) = rest.iter().position(|b| *b == b'(') else {
            continue;
        };
        let table_at = rest.windows(5).position(|w| w == b"table").unwrap_or(0) + 5;
        let name = bare_table_name(&rest[table_at.min(open)..open]);
        if let (Some(name), Some(columns)) = (name, sqlite::declared_columns(rest)) {
            out.insert(name, columns.join(&b','));
        }
    }
    out
}

/// The table an INSERT's head (`insert into [dbo].[t] `) writes to, by its bare name.
fn insert_table(head: &[u8]) -> Option<Vec<u8>> {
    let into = find_word(head, b"into", 0).map_or(6, |i| i + 4);
    bare_table_name(head.get(into..)?)
}

/// A table's name without its schema, quotes or brackets (`[dbo].[luRegionalLab]` → `luregionallab`), or
/// `None` when `text` (trimmed) is not one name.
fn bare_table_name(text: &[u8]) -> Option<Vec<u8>> {
    let text = text.trim_ascii();
    let text = text
        .strip_prefix(b"if not exists")
        .map_or(text, <[u8]>::trim_ascii);
    if text.is_empty() || text.iter().any(u8::is_ascii_whitespace) {
        return None;
    }
    let last = text.rsplit(|b| *b == b'.').next()?;
    let name: Vec<u8> = last
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'[' | b']' | b'`' | b'"'))
        .collect();
    (!name.is_empty()).then_some(name)
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

/// Whether an environment file at `path` holds a credential-like value (see the module's documentation).
///
/// A value the line scan would not report because of its **place** (what the file says of its use: a
/// development run's own key, a credential for a service the file places on this machine, a test's credential
/// used only with local hosts; [`super::context`]) does not make the file a finding either: the file is a
/// finding for the credential it holds, and that judgement is the value's. Invariant: a credential whose shape
/// names its service (an AWS key, a GitHub token…) or a private key makes the file a finding wherever it is
/// and whatever the file says ([`names_a_service_or_is_a_key`]).
pub fn env_has_credential(path: &str, text: &[u8]) -> bool {
    let Ok(rules) = super::RuleSet::gitleaks() else {
        return true;
    };
    if names_a_service_or_is_a_key(rules, path, text) {
        return true;
    }
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
    let mut at = 0usize;
    while at < text.len() {
        let end = text[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| at + i);
        let line_start = at;
        at = end + 1;
        let Some((key, value)) = env_assignment(&text[line_start..end]) else {
            continue;
        };
        let credential = match std::str::from_utf8(value)
            .ok()
            .and_then(|v| v.split_once("://"))
        {
            // A URL is a credential only through the password in it; see [`url_password_is_credential`].
            Some((_, rest)) => url_password_is_credential(rest, &secret_like),
            None => super::samples::keyword_is_a_word(key, keywords) && secret_like(value),
        };
        if !credential {
            continue;
        }
        let start = value.as_ptr() as usize - text.as_ptr() as usize;
        if !used_only_here(path, text, start, start + value.len()) {
            return true;
        }
    }
    false
}

/// The name and value of an environment file's line (`KEY=value`, `export KEY="value"`, `KEY: value`), the
/// value without its quotes or trailing comment; `None` for a comment, a line that assigns nothing, an empty
/// value, a `$REFERENCE` or a `<placeholder>`.
fn env_assignment(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let line = line.trim_ascii();
    let line = line
        .strip_prefix(b"export ")
        .unwrap_or(line)
        .trim_ascii_start();
    if line.starts_with(b"#") {
        return None;
    }
    let sep = line
        .iter()
        .position(|b| *b == b'=')
        .or_else(|| line.iter().position(|b| *b == b':'))?;
    let (key, value) = (line[..sep].trim_ascii(), line[sep + 1..].trim_ascii());
    let value = match value.first() {
        Some(q @ (b'"' | b'\'')) => {
            let inner = &value[1..];
            &inner[..inner.iter().position(|b| b == q).unwrap_or(inner.len())]
        }
        _ => {
            let cut = value
                .windows(2)
                .position(|w| w == b" #")
                .unwrap_or(value.len());
            value[..cut].trim_ascii()
        }
    };
    let dead = value.is_empty() || value.starts_with(b"$") || value.starts_with(b"<");
    (!dead).then_some((key, value))
}

/// Whether the line scan's own rules find, in an environment file, a credential whose shape names its service
/// or a private key: these stay findings whatever the file says of its use.
fn names_a_service_or_is_a_key(rules: &super::RuleSet, path: &str, text: &[u8]) -> bool {
    let private_key = text.split(|b| *b == b'\n').any(|line| {
        let begin = line.windows(11).position(|w| w == b"-----BEGIN ");
        begin.is_some_and(|at| line[at..].windows(11).any(|w| w == b"PRIVATE KEY"))
    });
    private_key
        || rules.find(path, "", text).iter().any(|m| {
            let id = rules.rules()[m.rule].id.as_str();
            !super::context::rule_names_no_service(id) || id == "private-key"
        })
}

/// Whether the value at `start..end` of the environment file at `path` is, by its place, used only where no
/// deployment runs: as the line scan judges it (what the file says of its use, [`super::context::local_config`]),
/// or a test's credential used with local hosts only ([`super::context::is_local_test_place`]).
fn used_only_here(path: &str, text: &[u8], start: usize, end: usize) -> bool {
    use super::context;
    if context::local_config::used_only_locally(path, text, start, end)
        || context::local_block::local_place(path, text, start, end).is_some()
    {
        return true;
    }
    let local = context::local_use(&text[start..end], Some(context::endpoints(text)));
    context::is_local_test_place(path, local, false, false)
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

/// Whether a `.db`/`.sqlite` file may hold someone's data: a SQLite database when one of its tables holding
/// rows may ([`sqlite_holds_data`]); an H2 store when a table of its schema has a column that may be personal
/// ([`h2`]); an H2 lock file never; an empty file never; anything else by its name.
fn database_holds_data(content: &[u8]) -> bool {
    if let Some(tables) = sqlite::tables(content) {
        return sqlite_holds_data(content, &tables);
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

/// Whether a SQLite database's rows may be someone's: a table that holds rows was declared with a column
/// that may be personal ([`is_personal_column`]; a virtual table's shadow tables `<name>_…` by the virtual
/// table's columns too), or with columns this reader cannot read; or, whatever the columns are called, the
/// file holds an email address that reaches someone ([`synthetic::holds_mail_address`]) — a generic
/// `Setting(Name, Value)` table can hold anything. A database whose tables are all empty holds no one's data.
fn sqlite_holds_data(content: &[u8], tables: &[sqlite::Table]) -> bool {
    let mut rows = false;
    for table in tables.iter().filter(|t| t.has_rows && !t.is_virtual) {
        rows = true;
        let owners = tables.iter().filter(|v| {
            v.is_virtual
                && table
                    .name
                    .strip_prefix(v.name.as_str())
                    .is_some_and(|rest| rest.starts_with('_'))
        });
        for columns in std::iter::once(&table.columns).chain(owners.map(|v| &v.columns)) {
            match columns {
                None => return true,
                Some(c) if c.iter().any(|name| is_personal_column(name)) => return true,
                Some(_) => {}
            }
        }
    }
    rows && synthetic::holds_mail_address(content)
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
        return content
            .filter(|c| env_has_credential(path, c))
            .map(|_| DOTENV);
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
mod sqlite;
mod synthetic;

#[cfg(test)]
mod tests;
