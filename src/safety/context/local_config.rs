//! Where a value outside the tests is used, as the file itself says it: a value may pass every check of a
//! secret and still be one no deployment ever uses, and the text around it says so. Three properties of the
//! place, each a statement the repository makes, not a guess about the value:
//!
//! 1. [`is_environment_fallback`]: the value is the fallback of a lookup by name in the same expression
//!    (`getEnvironmentValue("COOKIE_SECRET", "…")`, `env.Get("SESSION_KEY", "…")`, `process.env.X || "…"`,
//!    `${X:-…}`): wherever the setting is configured — every deployment — the value is not used; it is what a
//!    developer's machine runs with. The same value assigned outright is a finding.
//! 2. [`comment_says_local`]: the comment on the value's line, or the comment block right above it, says the
//!    value is for local use (`# this key is for local development only!`, `… in the local environment`). The
//!    authors' own statement, next to the value; a comment further away, or one that says nothing of local
//!    use, is not.
//! 3. [`in_vendored_doc_comment`]: the value is inside a `/* … */` documentation comment of a file under a
//!    vendored third-party folder (`vendor/`, `third_party/`): the library's own usage example, published with
//!    the library, not the project's credential. The same value in the project's own code is a finding.
//!
//! These apply only to rules that name no service ([`super::rule_names_no_service`]): a token whose shape names
//! its vendor (AWS, GitHub, Stripe…) is that vendor's credential wherever it sits.

/// Whether anything the file says shows the value at `start..end` of the file at `path` is used only where no
/// deployment runs: the properties above and those of [`super::local_run`] and [`super::local_stack`]. Only for rules that name no
/// service ([`super::rule_names_no_service`]).
pub(crate) fn used_only_locally(path: &str, text: &[u8], start: usize, end: usize) -> bool {
    is_environment_fallback(text, start, end)
        || comment_says_local(text, start)
        || in_vendored_doc_comment(path, text, start)
        || super::local_run::own_key_of_a_local_run(path, text, start)
        || super::local_run::connects_to_a_local_host(path, text, start)
        || super::local_run::passed_with_a_local_endpoint(text, start, end)
        || super::local_stack::presented_to_a_local_service(path, text, start)
        || super::local_stack::own_key_of_a_development_run(path, text, start)
}

/// The line of `text` holding byte `at`: (start, end) without the newline.
pub(super) fn line_around(text: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let start = text[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let end = text[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(text.len(), |i| at + i);
    (start, end)
}

/// Words of a function name that say it reads a setting by name.
pub(super) const LOOKUP_WORDS: &[&str] = &[
    "get",
    "getenv",
    "env",
    "environ",
    "environment",
    "fetch",
    "property",
    "prop",
    "config",
    "setting",
    "settings",
    "lookup",
    "var",
    "variable",
];

pub(super) fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &s[..n]
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    &s[n..]
}

/// Whether the value at `start..end` of `text` is the fallback of a lookup of a setting by name in the same
/// expression, on its own line:
/// - the second argument of a call whose first argument is a quoted setting name and whose function name says
///   it reads settings (`getProperty("key", "value")`, `os.getenv("KEY", "value")`, `ENV.fetch("KEY", "value")`);
/// - the right side of `||`, `??`, `?:` or `or` whose left side reads the environment (`process.env.KEY || "v"`);
/// - a shell or Compose default, `${KEY:-value}`, `${KEY-value}`, `${KEY:=value}`, or Spring's `${key:value}`.
pub(crate) fn is_environment_fallback(text: &[u8], start: usize, end: usize) -> bool {
    if start >= end || end > text.len() {
        return false;
    }
    let (line_start, line_end) = line_around(text, start);
    let mut before = &text[line_start..start];
    let mut after = &text[end..line_end.max(end)];
    // The value's own quotes.
    if let (Some(&q), Some(&a)) = (before.last(), after.first())
        && matches!(q, b'"' | b'\'' | b'`')
        && q == a
    {
        before = &before[..before.len() - 1];
        after = &after[1..];
    }
    // `${KEY:-value}` and its kin.
    if after.first() == Some(&b'}')
        && let Some(open) = before.windows(2).rposition(|w| w == b"${")
    {
        let inner = &before[open + 2..];
        let name_len = inner
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            .count();
        let op = &inner[name_len..];
        if name_len > 0 && matches!(op, b":-" | b"-" | b":=" | b":") {
            return true;
        }
    }
    let head = trim_end(before);
    // `lookup("NAME", value)`.
    if second_argument_of_lookup(head, after) {
        return true;
    }
    // `process.env.KEY || value`.
    for op in [&b"||"[..], b"??", b"?:", b" or"] {
        if let Some(left) = head.strip_suffix(op) {
            let left = left.to_ascii_lowercase();
            return left.windows(3).any(|w| w == b"env");
        }
    }
    // `DEFAULT = value` … `lookup("NAME", DEFAULT)`: a constant whose only role is to be the fallback.
    assigned_name(head).is_some_and(|name| constant_is_a_fallback(text, name))
}

pub(super) fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether an argument whose preceding text is `head` (trimmed, ending at the `,` before it) and following
/// text is `tail` is the second and last argument of a call of a settings lookup: `lookup(NAME, ·)`, the
/// function's name saying it reads settings ([`LOOKUP_WORDS`]) and `NAME` a quoted setting name or a constant.
fn second_argument_of_lookup(head: &[u8], tail: &[u8]) -> bool {
    let Some(head) = head.strip_suffix(b",") else {
        return false;
    };
    if trim_start(tail).first() != Some(&b')') {
        return false;
    }
    let head = trim_end(head);
    let first_start = match head.last() {
        Some(&q) if matches!(q, b'"' | b'\'') => {
            let Some(open) = head[..head.len() - 1].iter().rposition(|b| *b == q) else {
                return false;
            };
            let name = &head[open + 1..head.len() - 1];
            if name.is_empty()
                || !name
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            {
                return false;
            }
            open
        }
        Some(_) => {
            let n = head
                .iter()
                .rev()
                .take_while(|b| is_identifier_byte(**b))
                .count();
            if n == 0 {
                return false;
            }
            head.len() - n
        }
        None => return false,
    };
    let Some(callee) = trim_end(&head[..first_start]).strip_suffix(b"(") else {
        return false;
    };
    let callee = trim_end(callee);
    let from = callee
        .iter()
        .rposition(|b| !(is_identifier_byte(*b) || *b == b'.'))
        .map_or(0, |i| i + 1);
    crate::safety::samples::identifier_words(&callee[from..])
        .iter()
        .any(|w| LOOKUP_WORDS.contains(&w.as_str()))
}

/// The name a value is assigned to, from the text before it on its line (`val Name = `, `const NAME: string =`,
/// `name := `), when it is a plain identifier.
pub(super) fn assigned_name(head: &[u8]) -> Option<&[u8]> {
    let rest = trim_end(
        head.strip_suffix(b":=")
            .or_else(|| head.strip_suffix(b"="))?,
    );
    let ident_start = |t: &[u8]| {
        let n = t
            .iter()
            .rev()
            .take_while(|b| is_identifier_byte(**b))
            .count();
        (n > 0).then(|| t.len() - n)
    };
    let start = ident_start(rest)?;
    let mut name = &rest[start..];
    // `name: Type =`: the name is before the type.
    if let Some(before) = trim_end(&rest[..start]).strip_suffix(b":") {
        let before = trim_end(before);
        name = &before[ident_start(before)?..];
    }
    (name.len() >= 3 && name.iter().any(u8::is_ascii_alphabetic)).then_some(name)
}

/// Whether the constant `name` is passed, somewhere in `text`, as the fallback of a settings lookup
/// (`getProperty(KEY, name)`).
fn constant_is_a_fallback(text: &[u8], name: &[u8]) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].windows(name.len()).position(|w| w == name) {
        let at = from + i;
        from = at + name.len();
        let whole_word = (at == 0 || !is_identifier_byte(text[at - 1]))
            && text.get(from).is_none_or(|b| !is_identifier_byte(*b));
        if !whole_word {
            continue;
        }
        let (line_start, line_end) = line_around(text, at);
        if second_argument_of_lookup(trim_end(&text[line_start..at]), &text[from..line_end]) {
            return true;
        }
    }
    false
}

/// Whether a trimmed line is a comment.
fn comment_text(line: &[u8]) -> Option<&[u8]> {
    let t = trim_start(line);
    for mark in [&b"//"[..], b"#", b"/*", b"*", b"<!--", b"--", b";"] {
        if let Some(rest) = t.strip_prefix(mark) {
            return Some(rest);
        }
    }
    None
}

/// Words that, right after `local`, say what it is local to.
const LOCAL_USE: &[&str] = &[
    "development",
    "dev",
    "environment",
    "environments",
    "machine",
    "machines",
    "use",
    "testing",
    "only",
];

fn says_local(comment: &[u8]) -> bool {
    let words: Vec<String> = comment
        .split(|b| !b.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| String::from_utf8_lossy(w).to_ascii_lowercase())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        w == "local"
            && words[i + 1..]
                .iter()
                .take(2)
                .any(|n| LOCAL_USE.contains(&n.as_str()))
    })
}

/// Whether the comment on the line of byte `at`, or the block of comment lines right above it (no blank line
/// between), says the value is for local use: `local` followed within two words by what it is local to
/// (`local development`, `local environment`, `for local use only`).
pub(crate) fn comment_says_local(text: &[u8], at: usize) -> bool {
    let (start, end) = line_around(text, at);
    let line = &text[start..end];
    // A trailing comment on the value's line (`key = "…" # local dev only`).
    let trailing = line
        .windows(2)
        .rposition(|w| w == b"//" || w[0] == b'#')
        .map(|i| &line[i..]);
    if trailing.is_some_and(says_local) {
        return true;
    }
    let mut cursor = start;
    while cursor > 0 {
        let (s, e) = line_around(text, cursor - 1);
        let Some(comment) = comment_text(&text[s..e]) else {
            break;
        };
        if says_local(comment) {
            return true;
        }
        cursor = s;
    }
    false
}

/// Folder names that hold third-party code copied into a repository.
const VENDOR_FOLDERS: &[&str] = &[
    "vendor",
    "vendors",
    "third_party",
    "third-party",
    "thirdparty",
];

/// Whether byte `at` of the file at `path` lies inside a `/* … */` comment, and the file is under a vendored
/// third-party folder.
pub(crate) fn in_vendored_doc_comment(path: &str, text: &[u8], at: usize) -> bool {
    let mut parts = path.split('/');
    parts.next_back();
    if !parts.any(|p| VENDOR_FOLDERS.iter().any(|v| p.eq_ignore_ascii_case(v))) {
        return false;
    }
    let before = &text[..at.min(text.len())];
    let opened = before.windows(2).rposition(|w| w == b"/*");
    let closed = before.windows(2).rposition(|w| w == b"*/");
    match (opened, closed) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, value: &str) -> (usize, usize) {
        let s = text.find(value).expect("value in text");
        (s, s + value.len())
    }

    #[test]
    fn fallbacks_of_lookups_by_name_are_recognised_in_each_language() {
        for text in [
            "export const S = getEnvironmentValue(\"COOKIE_SECRET\", \"VALUE\");",
            "\tsessionKey = env.Get(\"SESSION_KEY\", \"VALUE\")",
            "val k: String = getProperty(\"sessionSecretKeySuffixKey\", \"VALUE\")",
            "key = os.getenv('SECRET_KEY', 'VALUE')",
            "key = os.environ.get('SECRET_KEY', 'VALUE')",
            "key = ENV.fetch(\"SECRET_KEY\", \"VALUE\")",
            "const s = process.env.SESSION_SECRET || 'VALUE';",
            "val s = System.getenv(\"S\") ?: \"VALUE\"",
            "SECRET_KEY: ${SECRET_KEY:-VALUE}",
            "password: ${DB_PASSWORD:VALUE}",
            "private final val SuffixDefaultValue = \"VALUE\"\nval k = getProperty(SuffixKey, SuffixDefaultValue)",
            "const FALLBACK: string = \"VALUE\";\nconst s = getEnv(\"S\", FALLBACK);",
        ] {
            let (s, e) = at(text, "VALUE");
            assert!(is_environment_fallback(text.as_bytes(), s, e), "{text}");
        }
    }

    #[test]
    fn values_assigned_outright_or_passed_to_other_calls_are_not_fallbacks() {
        for text in [
            "export const S = \"VALUE\";",
            "sessionKey := \"VALUE\"",
            "connect(\"cookie\", \"VALUE\", 3)",
            "encrypt(\"cookie\", \"VALUE\")",
            "const s = 'VALUE' || process.env.S;",
            "const t = other || 'VALUE';",
            "echo ${VALUE}",
            "val Secret = \"VALUE\"\nval k = encrypt(Key, Secret)",
            "val Secret = \"VALUE\"\nval k = getProperty(Secret, other)",
            "val Secret = \"VALUE\"\nval k = getProperty(Key, MySecret)",
        ] {
            let (s, e) = at(text, "VALUE");
            assert!(!is_environment_fallback(text.as_bytes(), s, e), "{text}");
        }
    }

    #[test]
    fn a_local_only_comment_counts_on_the_line_or_in_the_block_right_above() {
        let yes = [
            "# this key is for local development only!\nkey=\"VALUE\"",
            "# Not set here so that frontends share the same key in the local environment\n# more\n# key=\"VALUE\"",
            "key = \"VALUE\" // for local use",
        ];
        for text in yes {
            let (s, _) = at(text, "VALUE");
            assert!(comment_says_local(text.as_bytes(), s), "{text}");
        }
        let no = [
            "# this key is for local development only!\n\nkey=\"VALUE\"",
            "# this key is for local development only!\nother=1\nkey=\"VALUE\"",
            "# the local copy lives in the vault\nkey=\"VALUE\"",
            "key=\"VALUE\"\n# for local development only",
        ];
        for text in no {
            let (s, _) = at(text, "VALUE");
            assert!(!comment_says_local(text.as_bytes(), s), "{text}");
        }
    }

    #[test]
    fn a_doc_comment_counts_only_in_a_vendored_folder_and_only_inside_the_comment() {
        let text = "/**\n * load({ key: 'VALUE' })\n */\nload({ key: 'OTHER' })\n";
        let (v, _) = at(text, "VALUE");
        let (o, _) = at(text, "OTHER");
        assert!(in_vendored_doc_comment(
            "static/vendor/goog/webfont.js",
            text.as_bytes(),
            v
        ));
        assert!(!in_vendored_doc_comment(
            "static/vendor/goog/webfont.js",
            text.as_bytes(),
            o
        ));
        assert!(!in_vendored_doc_comment(
            "static/js/webfont.js",
            text.as_bytes(),
            v
        ));
        assert!(!in_vendored_doc_comment("vendor", text.as_bytes(), v));
    }
}
