//! Values written for a reader, not for a service: what a careful reviewer sees at once and a pattern does not.
//!
//! - [`restates_its_name`]: the value says only what its name says (`"password" = "password"`, `"password" =
//!   "a_password"`, `api_key: your-api-key`): the author wrote down which value belongs there, not the value.
//!   A secret has a part nobody could guess from its name; a value whose every word is its name's has none.
//! - [`is_key_of_a_pair`]: the value sits under a bare `key` beside a `value` of the same object (`{"Key":
//!   "dfe_country01", "Value": …}`, `<add key="…" value="…"/>`, `- key: …` / `value: …`): in a key/value pair
//!   the key is the *name* of a setting or attribute and the value beside it is what the setting holds. Only a
//!   value shaped like a name counts (words in one case or camelCase, numbers only at the end of a word): a
//!   random string written as a pair's key is still judged as it stands.
//! - [`published_by_a_standard`]: the sample credentials a standard prints for every reader to copy into their
//!   own documentation (OAuth 2.0's `client_secret` and tokens in RFC 6749, its bearer token in RFC 6750, the
//!   PKCE verifier and challenge of RFC 7636), by the sha256 of the value.
//!
//! - [`example_for_no_real_host`] (rules that name no service only, a private key never): the value is in a code block of a
//!   document (Markdown, reStructuredText, AsciiDoc) whose every host is one no deployment answers at — a
//!   loopback address, `localhost`, or a name reserved for examples (`example.com`, `*.example`, `*.test`,
//!   `*.invalid`; RFC 2606 and 6761): a request or a configuration shown to a reader, to send to their own
//!   running copy or to nowhere. The same block naming any other host keeps its values, so a real key pasted
//!   into a README beside the real service's address is still a finding; a vendor's credential (`AKIA…`,
//!   `ghp_…`) is judged by its own rule wherever it sits.
//!
//! An author could dress a real credential up as one of these: name a real password after its variable, file a
//! secret under a pair's `key`, or set a production client's secret to the RFC's. The first two are guessable
//! by anyone who reads the name (the name *is* the value), so nothing is hidden by publishing them; the third is
//! printed in a standard read by everyone. A random secret never takes any of these forms, and a credential of a
//! vendor's format (`AKIA…`, `ghp_…`, a PEM key) is made of no words at all.

use sha2::digest::Digest;

/// Whether the value at `value` of `text` (the file at `path`), matched by `rule` with its name from
/// `name_start`, was written for a reader: it restates its name ([`restates_its_name`]), is the key of a
/// key/value pair ([`is_key_of_a_pair`]), or, for a rule that names no service, sits in a document's example
/// for no real host ([`example_for_no_real_host`]). A private key is never an example: a PEM block pasted into
/// a README opens whatever trusts its public half, wherever the README's example points.
pub(crate) fn written_for_a_reader(
    rule: &str,
    path: &str,
    text: &[u8],
    name_start: usize,
    value: std::ops::Range<usize>,
) -> bool {
    let prefix = &text[name_start.min(value.start)..value.start];
    restates_its_name(prefix, &text[value.clone()])
        || is_key_of_a_pair(text, name_start, value.clone())
        || (crate::safety::context::rule_names_no_service(rule)
            && rule != "private-key"
            && example_for_no_real_host(path, text, value.start))
}

/// The endings of documents: prose for a reader, whose code blocks are shown, not run.
const DOCUMENTS: &[&str] = &[".md", ".markdown", ".rst", ".adoc"];

/// Whether the byte at `at` of `text` (a document at `path`) is in a code block that names at least one host and
/// only hosts no deployment answers at (`context::is_local_host`: loopback, `localhost`, reserved example names):
/// a URL's host or an HTTP `Host:` header.
pub(crate) fn example_for_no_real_host(path: &str, text: &[u8], at: usize) -> bool {
    let lower = path.to_ascii_lowercase();
    if !DOCUMENTS.iter().any(|e| lower.ends_with(e)) {
        return false;
    }
    let Some(block) = code_block_around(text, at) else {
        return false;
    };
    let block = &text[block];
    let mut hosts: Vec<&[u8]> = crate::safety::context::url_hosts(block);
    hosts.extend(block.split(|b| *b == b'\n').filter_map(|line| {
        let line = line.trim_ascii();
        let (name, host) = line.split_at(line.iter().position(|b| *b == b':')?);
        name.eq_ignore_ascii_case(b"host")
            .then(|| host[1..].trim_ascii())
    }));
    !hosts.is_empty()
        && hosts.iter().all(|h| {
            let h = String::from_utf8_lossy(h);
            let h = match h.rsplit_once(':') {
                Some((name, port))
                    if !h.starts_with('[') && port.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    name.to_string()
                }
                _ => h.to_string(),
            };
            crate::safety::context::is_local_host(&h)
        })
}

/// The byte range of the code block holding `at`: between the fences (```` ``` ```` or `~~~`) around its line, or
/// the run of indented lines (4 spaces or a tab; blank lines inside) it belongs to. `None` outside any block.
fn code_block_around(text: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut fence_open: Option<usize> = None;
    let mut lines: Vec<(usize, &[u8])> = Vec::new();
    for line in text.split(|b| *b == b'\n') {
        lines.push((offset, line));
        offset += line.len() + 1;
    }
    let index = lines.iter().rposition(|(start, _)| *start <= at)?;
    let fence = |l: &[u8]| {
        let t = l.trim_ascii_start();
        t.starts_with(b"```") || t.starts_with(b"~~~")
    };
    for (i, (start, line)) in lines.iter().enumerate() {
        if !fence(line) {
            continue;
        }
        match fence_open.take() {
            Some(open) if open < index && index < i => return Some(lines[open].0..*start),
            Some(_) => {}
            None if i > index => break,
            None => fence_open = Some(i),
        }
    }
    // Not between fences: an indented block.
    let indented = |l: &[u8]| l.starts_with(b"    ") || l.starts_with(b"\t");
    let blank = |l: &[u8]| l.trim_ascii().is_empty();
    if !indented(lines[index].1) {
        return None;
    }
    let mut first = index;
    while first > 0 && (indented(lines[first - 1].1) || blank(lines[first - 1].1)) {
        first -= 1;
    }
    let mut last = index;
    while last + 1 < lines.len() && (indented(lines[last + 1].1) || blank(lines[last + 1].1)) {
        last += 1;
    }
    let end = lines[last].0 + lines[last].1.len();
    Some(lines[first].0..end)
}

/// Words that fill out a restated name without adding anything a reader could not guess (`a_password`,
/// `your-api-key`, `change_me`, `my-secret-here`): articles and possessives, and the instructions a template
/// gives its reader.
const FILLER: &[&str] = &[
    "a", "an", "the", "my", "your", "our", "their", "some", "any", "this", "here", "new", "change",
    "replace", "me", "enter", "insert", "put", "set",
];

/// Whether `value` (quotes around it set aside) says only what the name just before it in `prefix` says: every
/// word of the value is a word of the name or a [`FILLER`] word, and at least one is a word of the name of 3 or
/// more letters. Words are split at every character that is not a letter or digit and where a small letter
/// meets a capital, so `aPassword`, `a_password` and `A-PASSWORD` are the same two words; a digit joins its word
/// (`password1` is not `password`).
pub(crate) fn restates_its_name(prefix: &[u8], value: &[u8]) -> bool {
    let value = value
        .strip_prefix(b"\"")
        .or_else(|| value.strip_prefix(b"'"))
        .unwrap_or(value);
    let value = value
        .strip_suffix(b"\"")
        .or_else(|| value.strip_suffix(b"'"))
        .unwrap_or(value);
    let name = super::name_words(prefix);
    let words = super::identifier_words(value);
    let named = |w: &String| name.contains(w);
    !words.is_empty()
        && words
            .iter()
            .all(|w| named(w) || FILLER.contains(&w.as_str()))
        && words.iter().any(|w| w.len() >= 3 && named(w))
}

/// Whether the value at `value` of `text`, matched under the name that starts at `name_start`, is the key of a
/// key/value pair: the name is `key` alone, a field named `value` belongs to the same object (on the same line,
/// or on a line of the same block at the key's own column), and the value has the shape of a name
/// ([`names_a_field`]).
pub(crate) fn is_key_of_a_pair(
    text: &[u8],
    name_start: usize,
    value: std::ops::Range<usize>,
) -> bool {
    let name_start = name_start.min(value.start);
    if super::name_words(&text[name_start..value.start]) != ["key"]
        || !names_a_field(&text[value.clone()])
    {
        return false;
    }
    let line_start = super::line_start(text, name_start);
    let line_end = super::line_end(text, value.end);
    // `{"Key": "…", "Value": …}` or `<add key="…" value="…"/>`: the pair on one line.
    if has_value_field(&text[line_start..name_start]) || has_value_field(&text[value.end..line_end])
    {
        return true;
    }
    // The key's column: where its name starts, after any quote (`"Key":`, `- key:`).
    let column = text[line_start..name_start]
        .iter()
        .rposition(|b| !matches!(b, b'"' | b'\''))
        .map_or(0, |i| i + 1);
    let column = if text[line_start..line_start + column]
        .iter()
        .all(|b| b.is_ascii_whitespace() || *b == b'-')
    {
        column
    } else {
        name_start - line_start
    };
    same_block_has_value(text, line_start, line_end, column)
}

/// The lines of the key's block (up to 30 each way, stopping where the indentation falls below `column`),
/// searched for one that starts a `value` field at `column`.
fn same_block_has_value(text: &[u8], line_start: usize, line_end: usize, column: usize) -> bool {
    let before = text[..line_start.saturating_sub(1)]
        .split(|b| *b == b'\n')
        .rev();
    let after = text[(line_end + 1).min(text.len())..].split(|b| *b == b'\n');
    let starts_value = |line: &[u8]| {
        let indent = line
            .iter()
            .position(|b| !(b.is_ascii_whitespace() || *b == b'-'))
            .unwrap_or(line.len());
        if indent < column && !line.trim_ascii().is_empty() {
            return Some(false);
        }
        let at = line.get(column..)?;
        let at = at.trim_ascii_start();
        let at = at.strip_prefix(b"- ").unwrap_or(at);
        let at = at
            .strip_prefix(b"\"")
            .or_else(|| at.strip_prefix(b"'"))
            .unwrap_or(at);
        let field = at.get(..5)?.eq_ignore_ascii_case(b"value")
            && at[5..]
                .trim_ascii_start()
                .strip_prefix(b"\"")
                .or_else(|| at[5..].strip_prefix(b"'"))
                .unwrap_or(&at[5..])
                .trim_ascii_start()
                .first()
                .is_some_and(|b| matches!(b, b':' | b'='));
        field.then_some(true)
    };
    let look = |lines: &mut dyn Iterator<Item = &[u8]>| {
        for line in lines.take(30) {
            match starts_value(line) {
                Some(true) => return true,
                Some(false) => return false,
                None => {}
            }
        }
        false
    };
    look(&mut before.into_iter()) || look(&mut after.into_iter())
}

/// Whether `part` of a line holds a field named `value` (`"Value":`, `value=`, `Value =`), the word standing
/// alone.
fn has_value_field(part: &[u8]) -> bool {
    let lower = part.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].windows(5).position(|w| w == b"value") {
        let (start, end) = (from + at, from + at + 5);
        let alone_before = start == 0 || !lower[start - 1].is_ascii_alphanumeric();
        let rest = lower[end..]
            .strip_prefix(b"\"")
            .or_else(|| lower[end..].strip_prefix(b"'"))
            .unwrap_or(&lower[end..]);
        let assigned = rest
            .trim_ascii_start()
            .first()
            .is_some_and(|b| matches!(b, b':' | b'='));
        if alone_before && assigned {
            return true;
        }
        from = end;
    }
    false
}

/// Whether `value` has the shape of a name: parts joined by `_`, `-`, `.`, `:` or `/`, each a word (letters in
/// one case, a capital then small letters, or camelCase) followed by at most 4 digits, or a number of at most 4
/// digits; at least one word of 3 or more letters. Random characters put digits between letters and mix case
/// within a word, which this refuses.
pub(crate) fn names_a_field(value: &[u8]) -> bool {
    let parts: Vec<&[u8]> = value
        .split(|b| matches!(b, b'_' | b'-' | b'.' | b':' | b'/'))
        .filter(|p| !p.is_empty())
        .collect();
    let word = |w: &[u8]| {
        w.iter().all(u8::is_ascii_lowercase)
            || w.iter().all(u8::is_ascii_uppercase)
            || (w[0].is_ascii_uppercase() && w[1..].iter().all(u8::is_ascii_lowercase))
            || super::camel_words(w).is_some()
    };
    let part_ok = |p: &[u8]| {
        let letters = p.iter().position(u8::is_ascii_digit).unwrap_or(p.len());
        let (w, digits) = p.split_at(letters);
        digits.len() <= 4 && digits.iter().all(u8::is_ascii_digit) && (w.is_empty() || word(w))
    };
    !parts.is_empty()
        && parts.iter().all(|p| part_ok(p))
        && parts
            .iter()
            .any(|p| p.iter().take_while(|b| b.is_ascii_alphabetic()).count() >= 3)
}

/// Sample credentials printed in standards for every reader, by the sha256 of the value, each with where.
const PUBLISHED_BY_STANDARDS: &[(&str, &str)] = &[
    (
        "e9974c507d2a802143f614c878fcbb622a3800e05e6e0d329fee2c5b6b243329",
        "RFC 6749 section 2.3.1: the client_secret of the sample client s6BhdRkqt3 in a token request body",
    ),
    (
        "53f5da0aaa93d64cd5772c554cbf940f0539e689dddbeb8f923eec3f72c02ea9",
        "RFC 6749 section 2.3.1: the password of the sample client s6BhdRkqt3 in HTTP Basic authentication",
    ),
    (
        "ca7459e2b26776de081b9a07e40227fd6cff232a1e3233ff6b6aa6d036ca9981",
        "RFC 6749 section 2.3.1 and its examples: the Basic credentials of the sample client, base64",
    ),
    (
        "6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c",
        "RFC 6749 sections 4.1.4, 5.1 and 7.1: the sample access token",
    ),
    (
        "00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32",
        "RFC 6749 sections 4.1.4, 5.1 and 6: the sample refresh token",
    ),
    (
        "a35b81a7d7927b70ec99270dd2362b88580a28574af812f2c02f56469579186f",
        "RFC 6749 sections 4.1.2 and 4.1.3: the sample authorization code",
    ),
    (
        "b8e148545b13c78bc74da2f1a7275dd71e56ddece129d7d2f7b3ecc06f7994da",
        "RFC 6750 sections 2.1 to 2.3: the sample bearer token",
    ),
    (
        "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3",
        "RFC 7636 appendix B: the sample code_verifier",
    ),
    (
        "0d299b1eb548708d04534e7e050c427b56edfa15d13637a3484bdd61babf8384",
        "RFC 7636 appendix B: the sample S256 code_challenge",
    ),
];

/// Whether `value` is a sample credential printed in a standard ([`PUBLISHED_BY_STANDARDS`]).
pub(crate) fn published_by_a_standard(value: &[u8]) -> bool {
    let digest = hex::encode(sha2::Sha256::digest(value));
    PUBLISHED_BY_STANDARDS
        .iter()
        .any(|(hash, _)| *hash == digest)
}

#[cfg(test)]
mod tests;
