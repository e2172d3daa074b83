//! Where a configuration value belongs to a local run, as the configuration itself shows it. Two properties,
//! each read from the file, not guessed from the value:
//!
//! 1. [`own_key_of_a_local_run`]: the setting names the application's **own key** — what it signs or encrypts
//!    its own cookies, sessions and stored data with (`play.crypto.secret`, `json.encryption.key`,
//!    `COOKIE_SECRET`) — and the place is a local run: a test (the test sets up the application it runs), or a
//!    configuration file in which every endpoint named is local (`host = localhost` for each service it
//!    calls), which no deployment can run unchanged: a deployment overrides it. An own key is never sent to
//!    any host, so which hosts the file names says nothing about whom it opens; what matters is whether a
//!    deployment runs with it. A setting that names a credential for another system (a `token`, a
//!    `password`, an `api` or `client` key, an `access` key) is never an own key, whatever else it says.
//! 2. [`connects_to_a_local_host`]: the file names itself a local profile (`application-local.yml`,
//!    `local.settings.json`) and is not a test's (a test's is judged by [`super::is_local_test_place`]), and the value is a setting of a connection block in it
//!    (`sftp: {host, port, user, private-key}`) whose `host`, `url` or `endpoint` is local — after the file's
//!    own placeholders are resolved (`host: ${SFTP_HOST}` with `SFTP_HOST: localhost` in the same file) — and
//!    no setting of the block names another host. The credential is presented to that host only, from a
//!    profile only a developer's machine loads. Both are needed: a production server's database is often on
//!    `localhost` too, and a local profile may hold a key to a real remote service.
//!
//! 3. [`passed_with_a_local_endpoint`]: the value is assigned to a name, and every other line of the file that
//!    uses the name hands it over together with a local endpoint — a URL literal on that line, or a name the
//!    file assigns a URL literal (`const API_URL = 'http://api.chs.local:4001'` …
//!    `createApiClient(API_URL, undefined, KEY)`). The credential goes where it is passed, and that is local. A
//!    use naming no endpoint (a getter, which hands the value to anyone) or another host keeps it, and so
//!    does a token a server signed (captured from that server, whoever it is then handed to).
//!
//! Like [`super::local_config`], these apply only to rules that name no service ([`super::rule_names_no_service`]).

use super::local_config::{assigned_name, is_identifier_byte, line_around, trim_end};
use super::{Endpoints, Signing, endpoints, hosts_named, is_test_path, jwt_signing};
use crate::safety::samples::identifier_words;

/// Words of a setting's name that say its value is the application's own key for its own data.
const OWN_DATA_WORDS: &[&str] = &[
    "cookie",
    "session",
    "csrf",
    "xsrf",
    "crypto",
    "encryption",
    "cipher",
    "signing",
];

/// Words of a setting's name that say its value is a key.
pub(super) const KEY_WORDS: &[&str] = &["secret", "key", "salt"];

/// Words of a setting's name that say its value opens another system (and is then no own key).
pub(super) const CREDENTIAL_WORDS: &[&str] =
    &["token", "password", "api", "client", "access", "private"];

/// File extensions of configuration files that hold an application's defaults (a `.env` file is not one: it
/// is the environment a deployment runs with).
const CONFIG_EXTENSIONS: &[&str] = &[
    "conf",
    "yml",
    "yaml",
    "properties",
    "toml",
    "ini",
    "cfg",
    "json",
];

/// Whether `path` is a configuration file of an application's defaults ([`CONFIG_EXTENSIONS`]).
pub(super) fn is_config_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && CONFIG_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// Whether the file at `path` names itself a local profile: a word of its name is `local`
/// (`application-local.yml`, `local.settings.json`).
pub(super) fn names_itself_local(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    identifier_words(name.as_bytes())
        .iter()
        .any(|w| w == "local")
}

/// The indentation of the line starting at `start`.
fn indent(text: &[u8], start: usize) -> usize {
    text[start..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

/// The lines of `text` as (start, end) without the newline.
fn lines(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Whether a line holds nothing but blanks or a comment.
fn blank_or_comment(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    t.is_empty() || t.starts_with(b"#") || t.starts_with(b"//")
}

/// The index in `all` of the line holding byte `at`.
fn line_index(all: &[(usize, usize)], at: usize) -> usize {
    all.partition_point(|(_, end)| *end < at)
        .min(all.len().saturating_sub(1))
}

/// The line that sets the value on line `index`: that line when it holds a key (`key: value`, `key = value`),
/// else the nearest line above with less indentation (the key of a `|-` block or a `"""` string).
fn owner_line(text: &[u8], all: &[(usize, usize)], index: usize) -> usize {
    let (s, e) = all[index];
    let line = &text[s..e];
    let first = line.trim_ascii_start();
    let has_key = first
        .iter()
        .position(|b| matches!(b, b':' | b'='))
        .is_some_and(|i| {
            first[..i].iter().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'"' | b'\'')
            })
        });
    if has_key {
        return index;
    }
    let own = indent(text, s);
    (0..index)
        .rev()
        .find(|&i| !blank_or_comment(&text[all[i].0..all[i].1]) && indent(text, all[i].0) < own)
        .unwrap_or(index)
}

/// The block of a nested configuration (YAML, HOCON) the setting on line `owner` belongs to: its parent line
/// (the nearest line above with less indentation) and every line after it indented deeper than the parent.
/// `None` for a setting at the top level.
fn enclosing_block(text: &[u8], all: &[(usize, usize)], owner: usize) -> Option<(usize, usize)> {
    let own = indent(text, all[owner].0);
    if own == 0 {
        return None;
    }
    let parent = (0..owner)
        .rev()
        .find(|&i| !blank_or_comment(&text[all[i].0..all[i].1]) && indent(text, all[i].0) < own)?;
    let depth = indent(text, all[parent].0);
    let last = (parent + 1..all.len())
        .take_while(|&i| {
            blank_or_comment(&text[all[i].0..all[i].1]) || indent(text, all[i].0) > depth
        })
        .last()
        .unwrap_or(parent);
    Some((parent, last))
}

/// `s` without the quotes around it.
fn trim_quotes(s: &[u8]) -> &[u8] {
    let quote = |b: &u8| matches!(b, b'"' | b'\'');
    let start = s.iter().position(|b| !quote(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !quote(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// The key a line sets (`  host: x` → `host`, `"server" = x` → `server`, `json.encryption {` →
/// `json.encryption`), or `None` for a line that sets nothing.
fn key_of(line: &[u8]) -> Option<&[u8]> {
    let t = line.trim_ascii_start();
    let t = t.strip_prefix(b"- ").unwrap_or(t);
    let end = t.iter().position(|b| matches!(b, b':' | b'=' | b'{'))?;
    let key = t[..end].trim_ascii();
    let key = trim_quotes(key);
    (!key.is_empty()
        && key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
    .then_some(key)
}

/// The words of the name of the setting whose value starts at `start`: the text before it on its line
/// (`process.env.COOKIE_SECRET = `), and in a configuration file the keys of the blocks it is nested in
/// (`json.encryption { key = … }` → `json`, `encryption`, `key`).
fn setting_words(path: &str, text: &[u8], start: usize) -> Vec<String> {
    let all = lines(text);
    if all.is_empty() {
        return Vec::new();
    }
    let index = line_index(&all, start);
    let owner = owner_line(text, &all, index);
    let name_end = if owner == index { start } else { all[owner].1 };
    let mut words = identifier_words(&text[all[owner].0..name_end.max(all[owner].0)]);
    if is_config_file(path) {
        let mut at = owner;
        while let Some((parent, _)) = enclosing_block(text, &all, at) {
            if let Some(key) = key_of(&text[all[parent].0..all[parent].1]) {
                words.extend(identifier_words(key));
            }
            at = parent;
        }
    }
    words
}

/// Whether a setting named by `words` holds the application's own key: a word says what it protects
/// ([`OWN_DATA_WORDS`]), a word says it is a key ([`KEY_WORDS`]), and no word says it opens another system
/// ([`CREDENTIAL_WORDS`]).
pub(super) fn names_own_key(words: &[String]) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    has(OWN_DATA_WORDS) && has(KEY_WORDS) && !has(CREDENTIAL_WORDS)
}

/// Whether the configuration file at `path` configures local services only: it names at least one endpoint
/// (its leading comment aside) and every one is local.
fn configures_local_services_only(path: &str, text: &[u8]) -> bool {
    let named = endpoints(text);
    is_config_file(path) && named.local && !named.remote
}

/// Whether the value starting at `start` is the application's own key in a local run (see the module's
/// documentation, property 1).
pub(crate) fn own_key_of_a_local_run(path: &str, text: &[u8], start: usize) -> bool {
    names_own_key(&setting_words(path, text, start))
        && (is_test_path(path) || configures_local_services_only(path, text))
}

/// `window` with each `${NAME}` (or `${NAME:default}`) replaced by the value `text` gives `NAME` on a line of
/// its own (`NAME: value`, `NAME=value`), or by its default when `text` defines none; a placeholder neither
/// resolves is kept.
fn resolve_placeholders(window: &[u8], text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(window.len());
    let mut rest = window;
    while let Some(open) = rest.windows(2).position(|w| w == b"${") {
        out.extend_from_slice(&rest[..open]);
        let Some(close) = rest[open..].iter().position(|b| *b == b'}') else {
            rest = &rest[open..];
            break;
        };
        let inner = &rest[open + 2..open + close];
        let (name, default) = match inner.iter().position(|b| *b == b':') {
            Some(i) => (
                &inner[..i],
                Some(inner[i + 1..].strip_prefix(b"-").unwrap_or(&inner[i + 1..])),
            ),
            None => (inner, None),
        };
        match definition(text, name).or(default) {
            Some(value) if !value.is_empty() => out.extend_from_slice(value),
            _ => out.extend_from_slice(&rest[open..open + close + 1]),
        }
        rest = &rest[open + close + 1..];
    }
    out.extend_from_slice(rest);
    out
}

/// The value `text` gives `name` on a line of its own (`NAME: value`, `NAME = "value"`), quotes removed.
fn definition<'t>(text: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    if name.is_empty() {
        return None;
    }
    lines(text).into_iter().find_map(|(s, e)| {
        let line = text[s..e].trim_ascii();
        let rest = line.strip_prefix(name)?.trim_ascii_start();
        let value = rest
            .strip_prefix(b":")
            .or_else(|| rest.strip_prefix(b"="))?
            .trim_ascii();
        let value = trim_quotes(value);
        (!value.is_empty()).then_some(value)
    })
}

/// Whether a key names where a connection goes.
fn is_location_key(key: &[u8]) -> bool {
    ["host", "hostname", "server", "endpoint", "url", "uri"]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k.as_bytes()))
}

/// Whether the value starting at `start` in the configuration file at `path` is a setting of a connection to
/// a local host, in a file that names itself a local profile and is not a test's (see the module's
/// documentation, property 2).
pub(crate) fn connects_to_a_local_host(path: &str, text: &[u8], start: usize) -> bool {
    // A test's file is judged by its context of use (`super::is_local_test_place`) and listed, not dropped.
    if !is_config_file(path) || !names_itself_local(path) || is_test_path(path) {
        return false;
    }
    let all = lines(text);
    if all.is_empty() {
        return false;
    }
    let owner = owner_line(text, &all, line_index(&all, start));
    let Some((parent, last)) = enclosing_block(text, &all, owner).filter(|(p, l)| l > p) else {
        return false;
    };
    let depth = indent(text, all[owner].0);
    let sibling_location = (parent + 1..=last).any(|i| {
        indent(text, all[i].0) == depth
            && key_of(&text[all[i].0..all[i].1]).is_some_and(is_location_key)
    });
    let block = resolve_placeholders(&text[all[parent + 1].0..all[last].1], text);
    let named = hosts_named(&block);
    sibling_location && named.local && !named.remote
}

/// The whole-word occurrences of the identifier `name` in `text`.
fn word_positions<'t>(text: &'t [u8], name: &'t [u8]) -> impl Iterator<Item = usize> + 't {
    text.windows(name.len())
        .enumerate()
        .filter(move |(at, w)| {
            *w == name
                && (*at == 0 || !is_identifier_byte(text[at - 1]))
                && text
                    .get(at + name.len())
                    .is_none_or(|b| !is_identifier_byte(*b))
        })
        .map(|(at, _)| at)
}

/// The names `text` assigns a URL literal (`const API_URL = 'http://…'`, `apiUrl := "https://…"`), each with
/// the endpoint it names.
fn url_names(text: &[u8]) -> Vec<(&[u8], Endpoints)> {
    let mut out = Vec::new();
    for (s, e) in lines(text) {
        let line = &text[s..e];
        let Some(sep) = line.windows(3).position(|w| w == b"://") else {
            continue;
        };
        let Some(quote) = line[..sep]
            .iter()
            .rposition(|b| matches!(b, b'"' | b'\'' | b'`'))
        else {
            continue;
        };
        if let Some(name) = assigned_name(trim_end(&line[..quote])) {
            out.push((name, hosts_named(line)));
        }
    }
    out
}

/// Whether the value at `start..end` is passed only with local endpoints (see the module's documentation,
/// property 3).
pub(crate) fn passed_with_a_local_endpoint(text: &[u8], start: usize, end: usize) -> bool {
    // A token a server signed was captured from it, whoever the test hands it to; a private key is not
    // handed to an endpoint.
    let value = &text[start.min(end)..end.min(text.len())];
    if jwt_signing(value) == Signing::PrivateKey || value.starts_with(b"-----BEGIN") {
        return false;
    }
    let (line_start, _) = line_around(text, start);
    let mut head = &text[line_start..start.min(text.len())];
    // The value's own quotes.
    if let Some(&q) = head.last()
        && matches!(q, b'"' | b'\'' | b'`')
        && text.get(end) == Some(&q)
    {
        head = &head[..head.len() - 1];
    }
    let Some(name) = assigned_name(trim_end(head)) else {
        return false;
    };
    let urls = url_names(text);
    let mut uses = 0;
    for at in word_positions(text, name) {
        let (s, e) = line_around(text, at);
        if s == line_start {
            continue;
        }
        let line = &text[s..e];
        let mut named = hosts_named(line);
        for (url_name, ends) in &urls {
            if word_positions(line, url_name).next().is_some() {
                named.local |= ends.local;
                named.remote |= ends.remote;
            }
        }
        if !named.local || named.remote {
            return false;
        }
        uses += 1;
    }
    uses > 0
}

#[cfg(test)]
mod tests;
