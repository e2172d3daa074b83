//! Files that should not be public whatever they hold: environment files, keys and certificates, key stores,
//! database dumps, credential files. A pure decision on the path (and, for `.sql`, the first bytes).
//!
//! keepopen's own small table, not taken from a public rule set: gitleaks has only `pkcs12-file` of this kind.

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

/// Whether a `.sql` file's text is a dump with rows, rather than a schema or a migration.
pub fn sql_has_rows(text: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"insert into";
    text.windows(NEEDLE.len())
        .any(|w| w.eq_ignore_ascii_case(NEEDLE))
}

/// Whether the file rule for `path` needs the file's content (`*.sql` only).
pub fn needs_content(path: &str) -> bool {
    extension(&file_name(path)).as_deref() == Some("sql")
}

/// The rule a file at `path` breaks, if any. `content` is consulted only when [`needs_content`] says so; pass
/// `None` when it is not known, and the decision that needs it is not made.
pub fn classify(path: &str, content: Option<&[u8]>) -> Option<FileRule> {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    if lower == ".env" {
        return Some(DOTENV);
    }
    if let Some(suffix) = lower.strip_prefix(".env.") {
        let template = DOTENV_TEMPLATES
            .iter()
            .any(|t| suffix == *t || suffix.ends_with(&format!(".{t}")));
        return (!template).then_some(DOTENV);
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
        Some("pem" | "key") => Some(KEY_FILE),
        Some("p12" | "pfx" | "jks" | "keystore") => Some(KEY_STORE),
        Some("dump" | "sqlite" | "sqlite3" | "db") => Some(DATABASE_DUMP),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_rules_table() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (".env", None, Some("dotenv-file")),
            ("app/.env", None, Some("dotenv-file")),
            (".env.production", None, Some("dotenv-file")),
            (".env.example", None, None),
            ("config/.env.sample", None, None),
            (".env.local.example", None, None),
            ("environment.md", None, None),
            ("certs/server.pem", None, Some("key-file")),
            ("tls.KEY", None, Some("key-file")),
            ("keyboard.rs", None, None),
            (".pem", None, None), // a dot file called ".pem" has no extension
            ("home/.ssh/id_rsa", None, Some("ssh-private-key-file")),
            ("id_ed25519", None, Some("ssh-private-key-file")),
            ("id_rsa.pub", None, None),
            ("client.p12", None, Some("key-store-file")),
            ("client.pfx", None, Some("key-store-file")),
            ("backup.dump", None, Some("database-dump")),
            ("local.sqlite", None, Some("database-dump")),
            ("app.db", None, Some("database-dump")),
            (
                "backup.sql",
                Some("INSERT INTO patients VALUES (1, 'x');"),
                Some("database-dump"),
            ),
            ("schema.sql", Some("CREATE TABLE patients (id int);"), None),
            ("unknown.sql", None, None),
            ("credentials.json", None, Some("credentials-file")),
            ("gcp/credentials.json", None, Some("credentials-file")),
            ("credentials.json.example", None, None),
            (".git-credentials", None, Some("credentials-file")),
            ("src/main.rs", None, None),
        ];
        for (path, content, expected) in cases {
            let found = classify(path, content.map(str::as_bytes)).map(|r| r.id);
            assert_eq!(found, *expected, "{path}");
        }
    }

    #[test]
    fn only_sql_needs_content() {
        assert!(needs_content("db/dump.SQL"));
        assert!(!needs_content(".env"));
        assert!(!needs_content("x.sqlite"));
    }
}
