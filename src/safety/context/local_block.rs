//! Where a credential sits among settings that all point at this machine.
//!
//! **Invariant — a credential's place is local** when all of these hold, and only then:
//!
//! 1. the value itself names no host, or every host it names is on this machine (`mongodb://u:VALUE@localhost`):
//!    a value naming a host is judged by its own host;
//! 2. the **smallest block of settings** around it that names at least one endpoint — the struct literal, object,
//!    array or argument list (brackets, strings and comments skipped), the YAML mapping (by indentation), the
//!    shell command it is an argument of (continuation lines joined), or for a flat file (`.env`, `.properties`,
//!    `.ini`) and for a configuration file (JSON, YAML, HOCON) the whole file — names only endpoints on this
//!    machine ([`super::is_machine_local_host`]: `localhost`, loopback, `host.docker.internal`, reserved test
//!    names), or in a Compose file a service the same file defines. A code file's outermost bracket is as far as
//!    the search goes: the rest of a source file is code, not settings;
//! 3. when the credential's own name names a service (`DatasetAPIAuthToken` → `dataset`, `NOTIFY_API_KEY` →
//!    `notify`), that block **locates that service** too (`DatasetAPIURL`): a credential for a service whose
//!    address the block does not give goes to the address its client library knows (a vendor's API), which no
//!    setting here says is local.
//!
//! 4. `localhost` there means a developer's or a test run's machine ([`runs_where_it_is_written`]): the file
//!    is a test's, its name declares a profile no deployment loads, or the block is a code literal of defaults
//!    that a settings loader overrides from the environment; and the file declares no deployed environment. A
//!    production server's script posting its admin password to `localhost:8002` is that server's password.
//!
//! A shell command's endpoints are its arguments that are URLs: a URL inside another argument
//! (`--data "userid=https://…&password=…"`) is data sent to the command's endpoint, not where it goes.
//!
//! Such a finding is listed as a local credential (`local_test`), with the block's endpoints as its reason, and
//! does not block. What never becomes local here: private keys and tokens a server signed (never presented to
//! an endpoint: see [`super::local_use`] and the test-key rule), vendor-format tokens (the caller applies this to
//! rules that name no service, [`super::rule_names_no_service`]), a value in a file read in part, and any block
//! naming one endpoint that is not local, a template (`${HOST}`) aside.

use super::local_config::LOOKUP_WORDS;
use super::local_stack::{compose_services, declares_deployment};
use super::{
    Signing, is_machine_local_host, is_test_path, jwt_signing, leading_comment_len, url_host_at,
};
use crate::safety::samples::identifier_words;

/// How many endpoints the reason lists.
const REASON_HOSTS: usize = 4;

/// Words of a credential's name that say what it is, not which service it is for.
const GENERIC_WORDS: &[&str] = &[
    "service",
    "services",
    "app",
    "application",
    "api",
    "auth",
    "authentication",
    "authorization",
    "client",
    "access",
    "secret",
    "secrets",
    "key",
    "keys",
    "token",
    "tokens",
    "password",
    "passwd",
    "pass",
    "pwd",
    "private",
    "shared",
    "master",
    "default",
    "local",
    "dev",
    "development",
    "test",
    "testing",
    "my",
    "jwt",
    "session",
    "cookie",
    "signing",
    "encryption",
    "crypto",
    "cipher",
    "salt",
    "bearer",
    "basic",
    "credential",
    "credentials",
    "admin",
    "user",
    "username",
    "login",
    "account",
    "env",
    "config",
    "settings",
    "setting",
    "oauth",
    "oauth2",
    "hmac",
    "aes",
    "base",
    "value",
    "export",
    "self",
    "this",
    "x",
    "id",
    "sas",
    "connection",
];

/// Words that end the name of a setting giving a service's location.
const LOCATION_WORDS: &[&str] = &[
    "host", "hostname", "url", "uri", "endpoint", "server", "address", "addr", "domain", "baseurl",
];

/// How a file is read into blocks of settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `KEY=value` lines: the whole file is one block.
    Flat,
    /// Shell: the command a value is an argument of.
    Shell,
    /// YAML: mappings by indentation, then the whole file.
    Yaml,
    /// Brackets; `then_file`: a configuration file, whose whole text is the outermost block.
    Brackets {
        then_file: bool,
        hash_comments: bool,
    },
}

fn shape_of(path: &str, text: &[u8]) -> Shape {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let shebang_shell = text.starts_with(b"#!")
        && text
            .split(|b| *b == b'\n')
            .next()
            .is_some_and(|l| l.ends_with(b"sh") || l.windows(3).any(|w| w == b"sh "));
    if matches!(ext, "sh" | "bash" | "zsh" | "ksh") || (!name.contains('.') && shebang_shell) {
        return Shape::Shell;
    }
    let env_file = name.starts_with(".env") || name.ends_with(".env") || name == ".flaskenv";
    if env_file || matches!(ext, "properties" | "ini" | "cfg") {
        return Shape::Flat;
    }
    if matches!(ext, "yml" | "yaml") {
        return Shape::Yaml;
    }
    Shape::Brackets {
        then_file: matches!(ext, "json" | "conf" | "toml" | "hocon"),
        hash_comments: matches!(
            ext,
            "py" | "rb" | "conf" | "hcl" | "tf" | "toml" | "r" | "pl"
        ),
    }
}

/// The endpoints of a block: each host with whether it is local.
struct Named {
    hosts: Vec<String>,
    all_local: bool,
}

/// Whether the credential at `start..end` of the file at `path` sits in a local place (see the module's
/// invariant); `Some(reason)` naming the block's endpoints when it does.
pub(crate) fn local_place(path: &str, text: &[u8], start: usize, end: usize) -> Option<String> {
    if start >= end || end > text.len() {
        return None;
    }
    let value = &text[start..end];
    if value.starts_with(b"-----BEGIN") || jwt_signing(value) == Signing::PrivateKey {
        return None;
    }
    let shape = shape_of(path, text);
    let services = if shape == Shape::Yaml {
        compose_services(path, text).unwrap_or_default()
    } else {
        Vec::new()
    };
    let is_local = |host: &str| {
        is_machine_local_host(host) || services.iter().any(|s| s.eq_ignore_ascii_case(host))
    };
    // 1. The value's own token (up to a blank, a quote or a separator of pairs): judged by its own host.
    let (own_start, own_end) = own_token(text, start, end);
    let own = hosts_in(&text[own_start..own_end], false);
    if !own.is_empty() {
        let whole = (0, text.len());
        return (own.iter().all(|h| is_local(h))
            && runs_where_it_is_written(path, text, shape, whole))
        .then(|| reason("its own URL", &own));
    }
    // 2. The smallest block naming an endpoint.
    let shell = shape == Shape::Shell;
    let (block, named) = blocks(shape, text, start, end)
        .into_iter()
        .find_map(|(from, to)| {
            let hosts = hosts_in(&text[from..to], shell);
            (!hosts.is_empty()).then(|| {
                let all_local = hosts.iter().all(|h| is_local(h));
                ((from, to), Named { hosts, all_local })
            })
        })?;
    if !named.all_local || !runs_where_it_is_written(path, text, shape, block) {
        return None;
    }
    // 3. A credential named for a service needs that service located in the block.
    if let Some(service) = service_named(text, start) {
        let located = identifiers(&text[block.0..block.1]).any(|words| {
            words.first() == Some(&service)
                && words.len() >= 2
                && words
                    .last()
                    .is_some_and(|w| LOCATION_WORDS.iter().any(|l| w.ends_with(l)))
        });
        if !located {
            return None;
        }
    }
    Some(reason("its block of settings", &named.hosts))
}

/// Words of a file's name that name a profile no deployment loads.
const DEVELOPMENT_PROFILES: &[&str] = &["development", "dev", "local", "test", "testing"];

/// Whether `localhost` in the file means a developer's or a test run's machine: on a production server a
/// script's `localhost:8002` is that server, and its admin password a real one. One of:
/// - the file is a test's ([`is_test_path`]);
/// - its name declares a profile no deployment loads (`appsettings.Development.json`, `.env.test`,
///   `application-local.yml`);
/// - in source code, the block is a literal of defaults handed afterwards to a settings loader that overrides
///   them from the environment (`cfg = &Config{…}` … `envconfig.Process("", cfg)`): wherever the service is
///   deployed its settings are given, and these are what a developer's machine runs with.
///
/// And the file declares no deployed environment (`RAILS_ENV=production`).
fn runs_where_it_is_written(path: &str, text: &[u8], shape: Shape, block: (usize, usize)) -> bool {
    if declares_deployment(text) {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let profile = identifier_words(name.as_bytes())
        .iter()
        .any(|w| DEVELOPMENT_PROFILES.contains(&w.as_str()));
    let code_defaults = matches!(
        shape,
        Shape::Brackets {
            then_file: false,
            ..
        }
    ) && defaults_handed_to_a_loader(text, block);
    is_test_path(path) || profile || code_defaults
}

/// Whether the bracket block at `block` is assigned to a name (`cfg = &Config{`, `cfg := Config{`) that a later
/// call hands to a settings loader: a callee whose name holds a word of reading settings ([`LOOKUP_WORDS`],
/// or `figure`, as in `gofigure`), `cfg` among its arguments.
fn defaults_handed_to_a_loader(text: &[u8], (from, to): (usize, usize)) -> bool {
    let line_start = text[..from]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let head = &text[line_start..from];
    let Some(eq) = head.iter().position(|b| *b == b'=') else {
        return false;
    };
    let name = head[..eq]
        .trim_ascii()
        .strip_suffix(b":")
        .unwrap_or(head[..eq].trim_ascii())
        .trim_ascii();
    let name = name
        .rsplit(|b| b.is_ascii_whitespace())
        .next()
        .unwrap_or(name);
    if name.is_empty() || !name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return false;
    }
    text[to..].split(|b| *b == b'\n').any(|line| {
        let Some(open) = line.iter().position(|b| *b == b'(') else {
            return false;
        };
        let args = &line[open + 1..];
        let passes = args
            .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .any(|w| w == name);
        let callee = line[..open]
            .rsplit(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.')))
            .next()
            .unwrap_or(b"")
            .to_ascii_lowercase();
        let callee = String::from_utf8_lossy(&callee).into_owned();
        passes
            && (LOOKUP_WORDS
                .iter()
                .any(|w| w.len() >= 3 && callee.contains(w))
                || callee.contains("figure"))
    })
}

fn reason(what: &str, hosts: &[String]) -> String {
    let mut shown: Vec<&str> = Vec::new();
    for h in hosts {
        if !shown.contains(&h.as_str()) {
            shown.push(h);
        }
    }
    let more = shown.len().saturating_sub(REASON_HOSTS);
    shown.truncate(REASON_HOSTS);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "{what} names local endpoints only: {}{tail}",
        shown.join(", ")
    )
}

/// The value's own token around `start..end`: extended over every byte that is not a blank, a quote or a
/// separator of pairs (`&`, `;`, `,`).
fn own_token(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let part =
        |b: u8| !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b'&' | b';' | b','));
    let from = text[..start]
        .iter()
        .rposition(|b| !part(*b))
        .map_or(0, |i| i + 1);
    let to = text[end..]
        .iter()
        .position(|b| !part(*b))
        .map_or(text.len(), |i| end + i);
    (from, to)
}

/// The hosts `text` names: every URL's host, and every `host`/`server`/`endpoint` setting's value; in a shell
/// command (`args_only`), only the hosts of arguments that are URLs. Templates name nothing.
fn hosts_in(text: &[u8], args_only: bool) -> Vec<String> {
    // A file's leading comment (its licence notice) names nothing; a shell command commented out is still the
    // command it was.
    let text = if args_only {
        text
    } else {
        &text[leading_comment_len(text)..]
    };
    let mut found: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].windows(3).position(|w| w == b"://") {
        let sep = i + at;
        i = sep + 3;
        if args_only {
            let arg_start = text[..sep]
                .iter()
                .rposition(|b| b.is_ascii_whitespace())
                .map_or(0, |p| p + 1);
            let arg = &text[arg_start..sep];
            let arg = arg
                .strip_prefix(b"\"")
                .or_else(|| arg.strip_prefix(b"'"))
                .unwrap_or(arg);
            if !arg
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            {
                continue;
            }
        }
        if let Some(host) = url_host_at(text, sep) {
            found.push(host);
        }
    }
    if !args_only {
        found.extend(super::setting_hosts(text));
        found.extend(named_location_hosts(text));
    }
    found
        .into_iter()
        .filter_map(|h| {
            let h = String::from_utf8_lossy(h)
                .trim_end_matches('.')
                .to_ascii_lowercase();
            h.bytes().any(|b| b.is_ascii_alphanumeric()).then_some(h)
        })
        .collect()
}

/// The bare host of every setting whose name ends with a location word (`APP_SEARCH_HOST=search.example.org`,
/// `"DbServer": "db01"`, `cache_address: redis:6379`); URLs are read by [`hosts_in`] itself, templates and
/// numbers name nothing.
fn named_location_hosts(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    for line in text.split(|b| *b == b'\n') {
        let Some(sep) = line.iter().position(|b| matches!(b, b'=' | b':')) else {
            continue;
        };
        let key = line[..sep].trim_ascii();
        let key = key.strip_suffix(b"\"").unwrap_or(key);
        let key_len = key
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        let words = identifier_words(&key[key.len() - key_len..]);
        if !words
            .last()
            .is_some_and(|w| LOCATION_WORDS.iter().any(|l| w.ends_with(l)))
        {
            continue;
        }
        let rest = line[sep + 1..].trim_ascii_start();
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count();
        let host = &rest[..len];
        let templated = matches!(rest.get(len), Some(b'$' | b'{' | b'%' | b'<'))
            || rest[len..].starts_with(b"://");
        if len > 0 && !templated && host.iter().any(u8::is_ascii_alphabetic) {
            out.push(host);
        }
    }
    out
}

/// The service the credential's name names: the first word of the name right before it (`AcademiesApiKey` →
/// `academies`) that is not a [`GENERIC_WORDS`] word; `None` for a name of generic words only (`SecretKey`,
/// `COOKIE_SECRET`, `password`).
fn service_named(text: &[u8], start: usize) -> Option<String> {
    let line_start = text[..start]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let mut head = &text[line_start..start];
    // Quotes, blanks and the separator between the name and the value.
    loop {
        let trimmed = head.trim_ascii_end();
        let next = trimmed
            .strip_suffix(b"\"")
            .or_else(|| trimmed.strip_suffix(b"'"))
            .or_else(|| trimmed.strip_suffix(b"=>"))
            .or_else(|| trimmed.strip_suffix(b":="))
            .or_else(|| trimmed.strip_suffix(b"="))
            .or_else(|| trimmed.strip_suffix(b":"))
            .or_else(|| trimmed.strip_suffix(b","))
            .unwrap_or(trimmed);
        if next.len() == head.len() {
            break;
        }
        head = next;
    }
    let n = head
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    identifier_words(&head[head.len() - n..])
        .into_iter()
        .find(|w| !GENERIC_WORDS.contains(&w.as_str()) && !w.bytes().all(|b| b.is_ascii_digit()))
}

/// The words of every identifier-like run in `text` (`DatasetAPIURL`, `"AcademiesUrl"`, `dataset.api.url`).
fn identifiers(text: &[u8]) -> impl Iterator<Item = Vec<String>> + '_ {
    text.split(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .filter(|w| !w.is_empty())
        .map(identifier_words)
}

/// The blocks around `start..end`, innermost first.
fn blocks(shape: Shape, text: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    match shape {
        Shape::Flat => vec![(0, text.len())],
        Shape::Shell => vec![command_around(text, start, end)],
        Shape::Yaml => {
            let mut out = yaml_blocks(text, start);
            out.push((0, text.len()));
            out
        }
        Shape::Brackets {
            then_file,
            hash_comments,
        } => {
            let mut out = bracket_blocks(text, start, end, hash_comments);
            if then_file {
                out.push((0, text.len()));
            }
            out
        }
    }
}

/// The shell command holding `start..end`: its line and the lines a trailing `\` joins to it.
fn command_around(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let line_start = |at: usize| {
        text[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let mut from = line_start(start);
    while from >= 2 && text[..from - 1].trim_ascii_end().ends_with(b"\\") {
        from = line_start(from - 1);
    }
    let mut to = end;
    loop {
        let line_end = text[to..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| to + i);
        if line_end < text.len() && text[..line_end].trim_ascii_end().ends_with(b"\\") {
            to = line_end + 1;
        } else {
            return (from, line_end);
        }
    }
}

/// The YAML mappings around byte `at`, innermost first: for each ancestor (a line with less indentation above),
/// its line and every line after it indented deeper.
fn yaml_blocks(text: &[u8], at: usize) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut s = 0;
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' {
            lines.push((s, i));
            s = i + 1;
        }
    }
    if s < text.len() {
        lines.push((s, text.len()));
    }
    let indent = |(s, e): (usize, usize)| {
        let line = &text[s..e];
        let n = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        // A list item's content sits after its dash.
        if line[n..].starts_with(b"- ") {
            n + 2
        } else {
            n
        }
    };
    let blank = |(s, e): (usize, usize)| {
        let t = text[s..e].trim_ascii();
        t.is_empty() || t.starts_with(b"#")
    };
    let Some(own) = lines.iter().position(|(_, e)| *e >= at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut depth = indent(lines[own]);
    let mut i = own;
    while depth > 0 {
        let Some(parent) = (0..i)
            .rev()
            .find(|&j| !blank(lines[j]) && indent(lines[j]) < depth)
        else {
            break;
        };
        let parent_depth = indent(lines[parent]);
        let last = (parent + 1..lines.len())
            .take_while(|&j| blank(lines[j]) || indent(lines[j]) > parent_depth)
            .last()
            .unwrap_or(parent);
        out.push((lines[parent].0, lines[last].1));
        depth = parent_depth;
        i = parent;
    }
    out
}

/// The bracket pairs (`{}`, `[]`, `()`) around `start..end`, innermost first, strings and comments skipped.
fn bracket_blocks(
    text: &[u8],
    start: usize,
    end: usize,
    hash_comments: bool,
) -> Vec<(usize, usize)> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut around = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match b {
            b'"' | b'\'' | b'`' => {
                let mut j = i + 1;
                while j < text.len() && text[j] != b {
                    if text[j] == b'\\' {
                        j += 1;
                    }
                    // A single-quoted run never spans lines (an apostrophe in prose is no string).
                    if b != b'`' && text.get(j) == Some(&b'\n') {
                        break;
                    }
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            b'/' if text.get(i + 1) == Some(&b'/') => {
                i = text[i..]
                    .iter()
                    .position(|c| *c == b'\n')
                    .map_or(text.len(), |n| i + n);
                continue;
            }
            b'/' if text.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(text.len(), |n| i + 2 + n + 2);
                continue;
            }
            b'#' if hash_comments => {
                i = text[i..]
                    .iter()
                    .position(|c| *c == b'\n')
                    .map_or(text.len(), |n| i + n);
                continue;
            }
            b'{' | b'[' | b'(' => open.push((b, i)),
            b'}' | b']' | b')' => {
                let want = match b {
                    b'}' => b'{',
                    b']' => b'[',
                    _ => b'(',
                };
                if let Some(at) = open.iter().rposition(|(o, _)| *o == want) {
                    let (_, from) = open[at];
                    open.truncate(at);
                    if from < start && i >= end {
                        around.push((from, i + 1));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Closed in order innermost first already; an unclosed bracket bounds nothing.
    around
}

#[cfg(test)]
mod tests;
