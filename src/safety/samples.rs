//! Is a matched value a secret, or something that only looks like one? The checks here run after a gitleaks
//! rule has matched and its own entropy and allow-lists have passed. Each is a property of the value, not a
//! list of phrasings:
//!
//! - [`is_placeholder`]: at least half of the value lies in runs of 4 or more repeated or sequential
//!   characters (`xxxxxxxx`, `1234567890abcdef`, `abcd0123…`). A random key almost never holds such a run; a
//!   value typed by hand to stand for one almost always does.
//! - [`is_identifier`] (generic rules only): the value is words joined by `-`, `_` or `.` with at most short
//!   numbers between them (`series_2019_total`, `YOUR_ACCESS_TOKEN_2`, `govuk-grid-column-2`): a name, a CSS
//!   class or a placeholder in capitals. gitleaks drops values of letters alone (`^[a-zA-Z_.-]+$`); this
//!   carries that rule to names that also hold a short number.
//! - [`keyword_is_a_word`] (generic rules only): the credential word (`secret`, `key`, `token`, …) must end a
//!   word of the name it was found in, not begin a longer one: `secretory`, `keyboard`, `tokenizer`,
//!   `authority` are other words. gitleaks' keyword check is a plain substring test; its allow-list then lists
//!   some such words one by one — this is the rule that list is examples of.
//! - [`jwt`]: a JSON Web Token is decoded. An unsigned one (`alg: none`, or no signature) carries no secret; one
//!   signed with a key that is itself published (jwt.io's sample keys) is a public sample. Any other signed
//!   token is a finding, and one past its `exp` says when it expired — an expired token may still be replayed
//!   against a server that does not check, and its signing key is what must be rotated.

use base64::Engine;
use sha2::digest::Digest;

/// A run of this many repeated or sequential characters counts toward [`is_placeholder`].
const RUN: usize = 4;

/// Whether `value` was typed by hand: at least half of it lies in runs of [`RUN`] or more characters that repeat
/// (`xxxx`) or step by one (`1234`, `abcd`, `9876`) in the alphabet or along a keyboard row (`qwerty`, `asdf`),
/// or all of it lies in such runs of 3 or more (`abc123xyz456`).
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let n = value.len();
    if n < RUN {
        return false;
    }
    let ascii = |b: u8| Some(i16::from(b));
    let mut long = vec![false; n];
    mark_runs(value, &ascii, RUN, &mut long);
    mark_runs(value, &keyboard_place, RUN, &mut long);
    if long.iter().filter(|c| **c).count() * 2 >= n {
        return true;
    }
    let mut short = vec![false; n];
    mark_runs(value, &ascii, 3, &mut short);
    mark_runs(value, &keyboard_place, 3, &mut short);
    n >= 6 && short.iter().all(|c| *c)
}

/// Keyboard rows, for runs typed along them (`qwerty`, `asdf`): each key's place is its row × 100 + column, so a
/// step of one is a neighbouring key and rows never join.
const KEYBOARD_ROWS: [&[u8]; 4] = [b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

fn keyboard_place(b: u8) -> Option<i16> {
    let b = b.to_ascii_lowercase();
    KEYBOARD_ROWS.iter().enumerate().find_map(|(row, keys)| {
        keys.iter()
            .position(|k| *k == b)
            .map(|col| (row * 100 + col) as i16)
    })
}

/// Mark in `covered` the characters of `value` that lie in runs of at least `min` whose places (by `place`)
/// repeat or step by one in one direction.
fn mark_runs(value: &[u8], place: &dyn Fn(u8) -> Option<i16>, min: usize, covered: &mut [bool]) {
    let n = value.len();
    let mut i = 0;
    while i < n {
        let mut end = i + 1;
        if let (Some(a), Some(b)) = (place(value[i]), value.get(end).and_then(|c| place(*c))) {
            let step = b - a;
            if step.abs() <= 1 {
                end += 1;
                while end < n
                    && place(value[end]).is_some_and(|c| Some(c - step) == place(value[end - 1]))
                {
                    end += 1;
                }
            }
        }
        if end - i >= min {
            covered[i..end].iter_mut().for_each(|c| *c = true);
        }
        i = if end - i >= 2 { end } else { i + 1 };
    }
}

/// Whether `value` is words joined by `-`, `_` or `.` (or run together in camelCase), with at most short or
/// counting numbers between them: two or more parts, each a word (letters in one case, or one capital then
/// lower case), a number of at most 4 digits or one that counts (`123456`), or a part of 1–2 characters; a part
/// in camelCase counts as its words (`validSecretKey1`, `secret256Bit`), each of 3 or more letters with a vowel;
/// and at least one word of 3 or more letters.
pub(crate) fn is_identifier(value: &[u8]) -> bool {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in value
        .split(|b| matches!(b, b'-' | b'_' | b'.'))
        .filter(|p| !p.is_empty())
    {
        match camel_words(part) {
            Some(words) => parts.extend(words),
            None => parts.push(part),
        }
    }
    if parts.len() < 2 {
        return false;
    }
    let word = |p: &[u8]| {
        p.iter().all(u8::is_ascii_alphabetic)
            && (p.iter().all(u8::is_ascii_lowercase)
                || p.iter().all(u8::is_ascii_uppercase)
                || (p[0].is_ascii_uppercase() && p[1..].iter().all(u8::is_ascii_lowercase)))
    };
    let number = |p: &[u8]| p.iter().all(u8::is_ascii_digit) && (p.len() <= 4 || is_placeholder(p));
    let every = parts.iter().all(|p| word(p) || number(p) || p.len() <= 2);
    every && parts.iter().any(|p| p.len() >= 3 && word(p))
}

/// The words of a camelCase part (`validSecretKey1` → `valid`, `Secret`, `Key`, `1`), when it is one: at least
/// two words, each lower case or a capital then lower case, of 3 or more letters with a vowel, numbers of at
/// most 4 digits between them. `None` for anything else (a random mixed-case string breaks one of these).
fn camel_words(part: &[u8]) -> Option<Vec<&[u8]>> {
    let mut words = Vec::new();
    let mut start = 0;
    for i in 1..=part.len() {
        let boundary = i == part.len()
            || (part[i].is_ascii_uppercase() && !part[i - 1].is_ascii_uppercase())
            || (part[i].is_ascii_digit() != part[i - 1].is_ascii_digit());
        if boundary {
            words.push(&part[start..i]);
            start = i;
        }
    }
    let letters = words.iter().filter(|w| w[0].is_ascii_alphabetic()).count();
    let fits = |w: &&[u8]| {
        if w[0].is_ascii_digit() {
            return w.len() <= 4 && w.iter().all(u8::is_ascii_digit);
        }
        w.len() >= 3
            && w[1..].iter().all(u8::is_ascii_lowercase)
            && w.iter().any(|c| b"aeiouyAEIOUY".contains(c))
    };
    (letters >= 2 && words.iter().all(fits)).then_some(words)
}

/// Words that begin with a keyword and still name a credential (`auth` is short for them).
const AUTH_WORDS: &[&str] = &["orization", "orisation", "entication", "enticator"];

/// Whether one of `keywords` (lower case) ends a word of `name`, the text before the value in a generic match:
/// it is followed by a character that is not a letter, by a capital after a small letter (`apiKey`), or by a
/// plural `s` and then one of those; or it is `auth` starting a word for authorisation. An empty keyword list
/// says nothing, so the check passes.
pub(crate) fn keyword_is_a_word(name: &[u8], keywords: &[String]) -> bool {
    if keywords.is_empty() {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let ends_word = |end: usize| -> bool {
        let last = name[end - 1];
        match name.get(end) {
            None => true,
            Some(next) if !next.is_ascii_alphabetic() => true,
            Some(next) => last.is_ascii_lowercase() && next.is_ascii_uppercase(),
        }
    };
    keywords.iter().any(|k| {
        let k = k.as_bytes();
        if k.is_empty() {
            return false;
        }
        let mut from = 0;
        while let Some(at) = find(&lower[from..], k) {
            let end = from + at + k.len();
            if ends_word(end)
                || (lower.get(end) == Some(&b's') && ends_word(end + 1))
                || (k == b"auth"
                    && AUTH_WORDS
                        .iter()
                        .any(|w| lower[end..].starts_with(w.as_bytes())))
            {
                return true;
            }
            from += at + 1;
        }
        false
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What a JSON Web Token turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Jwt {
    /// Not decodable as a token: judged as any other match.
    NotAToken,
    /// `alg: none` or no signature: nothing secret in it.
    Unsigned,
    /// Signed with a key that is published (the HMAC verifies under it).
    PublicSample,
    /// Signed; `expired` is the `exp` date when it is in the past.
    Signed { expired: Option<String> },
}

/// Keys published for anyone to sign sample tokens with: jwt.io's debugger defaults for HS256, HS384 and HS512
/// (older and current pages).
const PUBLISHED_HMAC_KEYS: &[&str] = &[
    "your-256-bit-secret",
    "your-384-bit-secret",
    "your-512-bit-secret",
    "a-string-secret-at-least-256-bits-long",
];

fn b64(part: &str) -> Option<Vec<u8>> {
    let trimmed = part.trim_end_matches('=');
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
        .ok()
}

/// Decode `token` (`header.payload.signature`) and judge it; `now` is seconds since 1970.
pub(crate) fn jwt(token: &[u8], now: i64) -> Jwt {
    let Ok(token) = std::str::from_utf8(token) else {
        return Jwt::NotAToken;
    };
    let mut parts = token.splitn(3, '.');
    let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
        return Jwt::NotAToken;
    };
    let signature = parts.next().unwrap_or("").trim_end_matches('=');
    let json = |part: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
        serde_json::from_slice::<serde_json::Value>(&b64(part)?)
            .ok()?
            .as_object()
            .cloned()
    };
    let (Some(header), Some(payload)) = (json(h), json(p)) else {
        return Jwt::NotAToken;
    };
    let alg = header
        .get("alg")
        .and_then(|a| a.as_str())
        .unwrap_or("")
        .to_ascii_uppercase();
    if alg == "NONE" || alg.is_empty() || signature.is_empty() {
        // Unsigned carries no secret of its own, but it may carry a signed token inside its claims (a test
        // user's outer token wrapping a real identity provider's id token): that one is judged as itself.
        return nested_signed(&serde_json::Value::Object(payload), now, 0).unwrap_or(Jwt::Unsigned);
    }
    if let Some(sig) = b64(signature) {
        let signed = format!("{h}.{p}");
        let verifies = |key: &str| match alg.as_str() {
            "HS256" => hmac::<sha2::Sha256>(64, key.as_bytes(), signed.as_bytes()) == sig,
            "HS384" => hmac::<sha2::Sha384>(128, key.as_bytes(), signed.as_bytes()) == sig,
            "HS512" => hmac::<sha2::Sha512>(128, key.as_bytes(), signed.as_bytes()) == sig,
            _ => false,
        };
        if PUBLISHED_HMAC_KEYS.iter().any(|k| verifies(k)) {
            return Jwt::PublicSample;
        }
    }
    let expired = payload
        .get("exp")
        .and_then(|e| e.as_i64().or_else(|| e.as_f64().map(|f| f as i64)))
        .filter(|&exp| exp < now)
        .and_then(|exp| chrono::DateTime::from_timestamp(exp, 0))
        .map(|d| d.format("%Y-%m-%d").to_string());
    Jwt::Signed { expired }
}

/// The first signed token found among the string values of `claims` (nested objects and arrays included, a
/// few levels deep), judged by [`jwt`]: an unsigned token is only as harmless as what it carries.
fn nested_signed(claims: &serde_json::Value, now: i64, depth: usize) -> Option<Jwt> {
    if depth > 3 {
        return None;
    }
    match claims {
        serde_json::Value::String(text) if text.matches('.').count() == 2 => {
            match jwt(text.trim().as_bytes(), now) {
                found @ Jwt::Signed { .. } => Some(found),
                _ => None,
            }
        }
        serde_json::Value::Array(items) => {
            items.iter().find_map(|v| nested_signed(v, now, depth + 1))
        }
        serde_json::Value::Object(map) => {
            map.values().find_map(|v| nested_signed(v, now, depth + 1))
        }
        _ => None,
    }
}

/// HMAC (RFC 2104) over a hash whose block is `block` bytes.
fn hmac<D: Digest>(block: usize, key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut k = if key.len() > block {
        D::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(block, 0);
    let mut inner = D::new();
    inner.update(k.iter().map(|b| b ^ 0x36).collect::<Vec<u8>>());
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = D::new();
    outer.update(k.iter().map(|b| b ^ 0x5c).collect::<Vec<u8>>());
    outer.update(&inner);
    outer.finalize().to_vec()
}

/// Whether `value` is base64 of something that is not a secret: text that is itself a placeholder, a name or
/// plain words (`bW9jay1wcml2YXRlLWtleQ==` is `mock-private-key`), or an OpenSSL/CryptoJS ciphertext
/// (`Salted__…`), whose secret is the passphrase, not the ciphertext. A key drawn at random decodes to random
/// bytes, which are neither.
pub(crate) fn encodes_harmless_text(value: &[u8]) -> bool {
    if value.len() < 12
        || !value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'='))
    {
        return false;
    }
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let Some(decoded) = b64(text) else {
        return false;
    };
    if decoded.starts_with(b"Salted__") {
        return true;
    }
    if decoded.len() < 6 || !decoded.iter().all(|b| (0x20..0x7f).contains(b)) {
        return false;
    }
    let plain_words = decoded.contains(&b' ')
        && decoded
            .split(|b| *b == b' ')
            .filter(|w| !w.is_empty())
            .all(|w| w.iter().all(u8::is_ascii_alphabetic));
    is_placeholder(&decoded) || is_identifier(&decoded) || plain_words
}

/// The words of the name just before a value (`chargeTokenId=` → `charge`, `token`, `id`), lower case: the name
/// is the last run of letters, digits, `_`, `-` and `.` in `prefix` once the quotes, spaces and operator before
/// the value are set aside.
fn name_words(prefix: &[u8]) -> Vec<String> {
    let end = prefix
        .iter()
        .rposition(|b| b.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    let start = prefix[..end]
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .map_or(0, |i| i + 1);
    let name = &prefix[start..end];
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &b) in name.iter().enumerate() {
        let camel = i > 0 && b.is_ascii_uppercase() && name[i - 1].is_ascii_lowercase();
        if (!b.is_ascii_alphanumeric() || camel) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if b.is_ascii_alphanumeric() {
            word.push(b.to_ascii_lowercase() as char);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether the name the value is assigned to says it is not a credential (generic rules): its last word says
/// the value *identifies* something (`chargeTokenId`, `EPB_AUTH_CLIENT_ID`, `token_api_sg_id`: the id of a
/// token or a client is not the token or the client's secret), or a word of it says the value is a digest and
/// the value has a digest's shape, hex of 32, 40, 56, 64, 96 or 128 digits (`hashed_secret` in a
/// detect-secrets baseline, `hashed_token` in seed data: a hash of a secret does not open anything).
pub(crate) fn name_says_not_a_secret(prefix: &[u8], value: &[u8]) -> bool {
    let words = name_words(prefix);
    let Some(last) = words.last() else {
        return false;
    };
    if matches!(last.as_str(), "id" | "ids" | "uuid" | "guid" | "identifier") {
        return true;
    }
    let digest_shape = matches!(value.len(), 32 | 40 | 56 | 64 | 96 | 128)
        && value.iter().all(u8::is_ascii_hexdigit);
    digest_shape
        && words.iter().any(|w| {
            w.starts_with("hash")
                || matches!(
                    w.as_str(),
                    "digest" | "checksum" | "md5" | "sha1" | "sha256" | "sha512" | "integrity"
                )
        })
}

/// Values their vendor publishes for anyone to use, by the sha256 of the value, each with where it is published.
const PUBLISHED_VALUES: &[(&str, &str)] = &[
    (
        "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059",
        "Azurite (Azure Storage emulator) well-known account key of devstoreaccount1, printed in Microsoft's \
     documentation: learn.microsoft.com/azure/storage/common/storage-use-azurite",
    ),
    (
        "6954453f3649fae859ba7269bf813aa13a98d4c45774bcf206dec5ab7a349cc0",
        "HMRC's example cookie encryption key, printed in the README of its crypto library (github.com/hmrc/crypto) \
         and used as the local-development and test key across HMRC's public services",
    ),
];

/// Whether `value` is published by its vendor for anyone to use: a value in [`PUBLISHED_VALUES`], or one whose
/// format marks it public — a Mapbox public token (`pk.` and a base64 JSON object; secret ones are `sk.`) or a
/// Stripe publishable key (`pk_live_`, `pk_test_`; secret ones are `sk_`/`rk_`), both made to be embedded in web
/// pages.
pub(crate) fn is_published(value: &[u8]) -> bool {
    let digest = hex::encode(sha2::Sha256::digest(value));
    if PUBLISHED_VALUES.iter().any(|(hash, _)| *hash == digest) {
        return true;
    }
    if value.starts_with(b"pk_live_") || value.starts_with(b"pk_test_") {
        return true;
    }
    let Some(rest) = value.strip_prefix(b"pk.") else {
        return false;
    };
    let payload = rest.split(|b| *b == b'.').next().unwrap_or(b"");
    std::str::from_utf8(payload)
        .ok()
        .and_then(b64)
        .and_then(|json| serde_json::from_slice::<serde_json::Value>(&json).ok())
        .is_some_and(|v| v.is_object())
}

/// Values a vendor's snippet or share link puts in pages served to every visitor, recognised by where they sit:
/// the query of a URL on the vendor's host (with the parameter that makes the link a shared one), each entry with
/// the vendor's own word on it. What opens an account (Zendesk's API token, an FT subscriber's session, a GTM
/// API credential) never sits in such a URL; a real key pasted into one is still matched by its own rule
/// elsewhere if it is anywhere else.
struct ClientSideUrl {
    /// The URL's host, or a parent domain of it.
    host: &'static str,
    /// The path must start with this.
    path: &'static str,
    /// A `name=value` the query must hold for the link to be the public kind (empty: none needed).
    requires: &'static str,
    /// The query parameters that carry the public value.
    params: &'static [&'static str],
}

const CLIENT_SIDE_URLS: &[ClientSideUrl] = &[
    // Zendesk Web Widget: the embed snippet `<script id="ze-snippet" src=".../snippet.js?key=…">` goes in every
    // page that shows the widget (Zendesk's "Adding the Web Widget to your website"); the key names the
    // account's widget, it signs nothing.
    ClientSideUrl {
        host: "static.zdassets.com",
        path: "/ekr/snippet.js",
        requires: "",
        params: &["key"],
    },
    // Google Tag Manager environments: the environment's snippet carries `gtm_auth` and `gtm_preview` in the
    // page for every visitor (Google's "Environments" help page).
    ClientSideUrl {
        host: "googletagmanager.com",
        path: "/",
        requires: "",
        params: &["gtm_auth"],
    },
    // Financial Times gift articles: a subscriber's link made to be read by anyone who has it.
    ClientSideUrl {
        host: "ft.com",
        path: "/",
        requires: "sharetype=gift",
        params: &["accesstoken", "token"],
    },
];

/// Whether the value at `start..end` of `text` is one that a vendor's snippet serves to every visitor of a page:
/// a parameter of a [`CLIENT_SIDE_URLS`] link, or the `auth` of a Google Tag Manager environment written as its
/// parts (a `GTM-…` container id and an `env-…` preview beside it, as a site's tag configuration holds them).
pub(crate) fn served_to_every_visitor(text: &[u8], start: usize, end: usize) -> bool {
    let stop = |b: &u8| {
        b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'(' | b')' | b'`')
    };
    let url_start = text[..start].iter().rposition(stop).map_or(0, |i| i + 1);
    let url_end = end
        + text[end..]
            .iter()
            .position(stop)
            .unwrap_or(text.len() - end);
    let url = String::from_utf8_lossy(&text[url_start..url_end]).replace("&amp;", "&");
    let value = String::from_utf8_lossy(&text[start..end]);
    if let Some((_, rest)) = url.split_once("://") {
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = rest[..host_end].to_ascii_lowercase();
        let after = &rest[host_end..];
        let path = after.split(['?', '#']).next().unwrap_or("");
        let query = after.get(path.len()..).unwrap_or("").to_ascii_lowercase();
        let pairs: Vec<(String, &str)> = after[path.len()..]
            .split(['?', '&', '#'])
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        for site in CLIENT_SIDE_URLS {
            let on_host = host == site.host || host.ends_with(&format!(".{}", site.host));
            if on_host
                && path.starts_with(site.path)
                && (site.requires.is_empty() || query.contains(site.requires))
                && pairs
                    .iter()
                    .any(|(k, v)| site.params.contains(&k.as_str()) && *v == value)
            {
                return true;
            }
        }
    }
    // A GTM environment as parts: `auth: '…'` with `GTM-XXXX` and `env-N` within a few lines.
    let line_start = text[..start]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    // The name is the last word before the value (`auth: '…'`, `"gtm_auth": "…"`, `gtm_auth=…`).
    let before = String::from_utf8_lossy(&text[line_start..start]);
    let before = before.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    let name = before
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if name == "auth" || name == "gtm_auth" {
        let from = line_start.saturating_sub(400);
        let to = (end + 400).min(text.len());
        let near = &text[from..to];
        let container = near.windows(8).any(|w| {
            w.starts_with(b"GTM-")
                && w[4..]
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        });
        let preview = near
            .windows(5)
            .any(|w| w.starts_with(b"env-") && w[4].is_ascii_digit());
        return container && preview;
    }
    false
}

/// Whether the YAML line starting at `line_start` in `text` sets a key in a `development:` or `test:` section of
/// a file whose `production:` section takes the same key from the environment (`<%= ENV[…] %>`, `${…}`), or
/// that has no `production:` section at all: the file itself says the real value is kept elsewhere and this
/// one is for a developer's machine or the tests (Rails' `config/secrets.yml`). Sections are keys at the start of a line with nothing after the colon.
pub(crate) fn non_production_default(text: &[u8], line_start: usize) -> bool {
    let Ok(text) = std::str::from_utf8(text) else {
        return false;
    };
    let Some(line) = text.get(line_start..).and_then(|t| t.lines().next()) else {
        return false;
    };
    if !line.starts_with([' ', '\t']) {
        return false;
    }
    let Some((key, _)) = line.trim().split_once(':') else {
        return false;
    };
    let section_of = |at: usize| {
        text[..at]
            .lines()
            .rev()
            .find(|l| !l.is_empty() && !l.starts_with([' ', '\t', '#']))
            .and_then(|l| l.trim_end().strip_suffix(':'))
    };
    if !matches!(section_of(line_start), Some("development" | "test")) {
        return false;
    }
    let mut in_production = false;
    let mut has_production = false;
    for l in text.lines() {
        if !l.is_empty() && !l.starts_with([' ', '\t', '#']) {
            in_production = l.trim_end() == "production:";
            has_production |= in_production;
            continue;
        }
        if in_production
            && let Some((k, v)) = l.trim().split_once(':')
            && k == key
            && (v.contains("<%") || v.contains("ENV[") || v.contains("${"))
        {
            return true;
        }
    }
    !has_production
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn placeholders_are_runs_and_random_keys_are_not() {
        for p in [
            "1234567890abcdef",
            "abcdef0123456789abcd",
            "xxxxxxxxxxxx1",
            "aaaaBBBBcccc1234",
            "9876543210zyxw",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in [
            "q8Xv2Lm9TzR4kW7pN3bY6hJ1",
            "AKIAQ7ZP3XKW2M5RT4VN",
            "ghp_R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT",
            "abc",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn identifiers_are_words_and_short_numbers() {
        for v in [
            "series_2019_total",
            "YOUR_ACCESS_TOKEN_2",
            "govuk-grid-column-2",
            "TOKEN_FROM_PORTAL_1",
            "Patient.Name.v2",
        ] {
            assert!(is_identifier(v.as_bytes()), "{v}");
        }
        for v in [
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "q8Xv2Lm9TzR4kW7pN3bY6hJ1",
            "Y0x9-F5210.XaBq7z",
            "prod_db_password_20231",
            "kWpNbYh-dFsGcVnQ",
        ] {
            assert!(!is_identifier(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn a_keyword_counts_only_where_it_ends_a_word() {
        let keys: Vec<String> = ["secret", "key", "token", "auth", "api", "password"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for name in [
            "client_secret = \"",
            "apiKey: ",
            "CLIENT_SECRETS=",
            "clientsecret:",
            "Authorization: ",
            "authToken=",
            "x-api-key: ",
        ] {
            assert!(keyword_is_a_word(name.as_bytes(), &keys), "{name}");
        }
        for name in [
            "Secretory otitis media: ",
            "keyboard_layout = \"",
            "SECRETARY=",
            "tokenizer: ",
            "authority=",
        ] {
            assert!(!keyword_is_a_word(name.as_bytes(), &keys), "{name}");
        }
    }

    fn b64url(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn jwts_are_judged_by_what_they_decode_to() {
        let jwt_io = concat!(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
            ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
        assert_eq!(jwt(jwt_io.as_bytes(), 0), Jwt::PublicSample);
        let h = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let p = b64url(br#"{"sub":"1","exp":1600000000}"#);
        let real_sig = b64url(&hmac::<sha2::Sha256>(
            64,
            b"a key nobody published",
            format!("{h}.{p}").as_bytes(),
        ));
        let real = format!("{h}.{p}.{real_sig}");
        assert_eq!(
            jwt(real.as_bytes(), 1_700_000_000),
            Jwt::Signed {
                expired: Some("2020-09-13".into())
            }
        );
        assert_eq!(
            jwt(real.as_bytes(), 1_500_000_000),
            Jwt::Signed { expired: None }
        );
        let none = format!("{}.{p}.", b64url(br#"{"alg":"none"}"#));
        assert_eq!(jwt(none.as_bytes(), 0), Jwt::Unsigned);
        assert_eq!(jwt(format!("{h}.{p}").as_bytes(), 0), Jwt::Unsigned);
        assert_eq!(jwt(b"eyJnotjson.eyJx.abc", 0), Jwt::NotAToken);
        // An unsigned token that carries a real signed one in its claims is the signed one (seen on a real
        // repository: a Cypress test user's outer token wrapping a captured identity provider's id token).
        let wrapper =
            b64url(format!(r#"{{"sub":"test","claims":{{"idToken":"{real}"}}}}"#).as_bytes());
        let wrapped = format!("{}.{wrapper}.", b64url(br#"{"alg":"none"}"#));
        assert_eq!(
            jwt(wrapped.as_bytes(), 1_700_000_000),
            Jwt::Signed {
                expired: Some("2020-09-13".into())
            }
        );
        let harmless = b64url(br#"{"sub":"test","idToken":"banana"}"#);
        let outer = format!("{}.{harmless}.", b64url(br#"{"alg":"none"}"#));
        assert_eq!(jwt(outer.as_bytes(), 0), Jwt::Unsigned);
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hex::encode(hmac::<sha2::Sha256>(
                64,
                b"Jefe",
                b"what do ya want for nothing?"
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn runs_along_the_keyboard_and_values_made_only_of_short_runs_are_placeholders() {
        // Seen on real repositories: test configuration keys typed as keyboard rows and counting digits, and
        // a documentation comment's `abc123xyz456`.
        for p in [
            "test-123456-qwerty",
            "qwerty-123456",
            "abc123xyz456",
            "asdfghjkl1234",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in [
            "3wOx0VLG6xnbyDNjfGP4",
            "qwe8Xv2Lm9TzR4kW7pN3",
            "a1b2c3d4e5f6",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn camel_case_names_and_names_with_a_counting_number_are_identifiers() {
        for v in [
            "validSecretKey1",
            "application.secret256Bit",
            "this_is_a_very_long_secret_key_123456",
            "gw-test-1234567",
        ] {
            assert!(is_identifier(v.as_bytes()), "{v}");
        }
        for v in [
            "3wOx0VLG6xnbyDNjfGP4",
            "kWpNbYh-dFsGcVnQ",
            "prod_db_password_20231",
            "secret_key_839217",
            "HmSDiwq7LmNpQ2",
        ] {
            assert!(!is_identifier(v.as_bytes()), "{v}");
        }
    }

    fn b64std(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn an_encoded_value_is_judged_by_what_it_decodes_to() {
        let mut salted = b"Salted__".to_vec();
        salted.extend([
            0x91, 0x17, 0xfe, 0x02, 0x33, 0x8a, 0x10, 0xc4, 0x5d, 0xee, 0x01, 0x7f,
        ]);
        for text in [
            b"mock-private-key".to_vec(),
            b"some_api_secret_key_for_environment".to_vec(),
            b"12345678901234567890123456789012".to_vec(),
            b"different key".to_vec(),
            salted,
        ] {
            let encoded = b64std(&text);
            assert!(encodes_harmless_text(encoded.as_bytes()), "{encoded}");
        }
        for text in [
            b"admin:Tr0ub4dor&3".to_vec(),
            vec![
                0x8f, 0x11, 0xa0, 0x5c, 0xd2, 0x07, 0x9e, 0x41, 0xbb, 0x3c, 0x62, 0xf0, 0x19, 0x85,
                0x2d, 0xe7,
            ],
            b"q8Xv2Lm9TzR4kW7pN3bY6hJ1".to_vec(),
        ] {
            let encoded = b64std(&text);
            assert!(!encodes_harmless_text(encoded.as_bytes()), "{encoded}");
        }
        assert!(!encodes_harmless_text(b"q8Xv2Lm9TzR4kW7pN3bY6hJ1"));
    }

    #[test]
    fn a_name_that_says_identifier_or_digest_is_not_a_credential() {
        let uuid = b"3671c717-2a0c-4655-92d3-348c7c7b04fb".as_slice();
        let sha1 = b"1af17e73721dbe0c40011b82ed4bb1a7dbe3ce29".as_slice();
        for (prefix, value) in [
            (b"?chargeTokenId=".as_slice(), uuid),
            (b"CHARGE_TOKEN_ID = \"".as_slice(), uuid),
            (b"ENV EPB_AUTH_CLIENT_ID=".as_slice(), uuid),
            (
                b"token_api_sg_id      = \"".as_slice(),
                b"sg-0ede9ba9bc55868b6".as_slice(),
            ),
            (b"\"hashed_secret\": \"".as_slice(), sha1),
            (
                b"hashed_token: \"".as_slice(),
                b"f4a1c3d2e5b6a7980112233445566778899aabbccddeeff00112233445566778".as_slice(),
            ),
        ] {
            assert!(
                name_says_not_a_secret(prefix, value),
                "{}",
                String::from_utf8_lossy(prefix)
            );
        }
        for (prefix, value) in [
            (b"X-API-Key: ".as_slice(), uuid),
            (b"client_secret = \"".as_slice(), sha1),
            (b"api_key_id_secret = \"".as_slice(), uuid),
            (
                b"password_hash = \"".as_slice(),
                b"q8Xv2Lm9TzR4kW7pN3bY6hJ1".as_slice(),
            ),
            (b"idToken: \"".as_slice(), uuid),
        ] {
            assert!(
                !name_says_not_a_secret(prefix, value),
                "{}",
                String::from_utf8_lossy(prefix)
            );
        }
    }

    #[test]
    fn values_a_vendor_snippet_serves_to_every_visitor_are_recognised_by_their_place() {
        let key = "3f5e2a1c-9b7d-4e6f-8a2b-1c0d9e8f7a6b";
        let at = |text: &str, value: &str| {
            let start = text.find(value).expect("value in text");
            served_to_every_visitor(text.as_bytes(), start, start + value.len())
        };
        let zendesk = format!(
            "<script id=\"ze-snippet\" src=\"https://static.zdassets.com/ekr/snippet.js?key={key}\"></script>"
        );
        assert!(at(&zendesk, key));
        // The same value as a parameter of another host, or under another name, is not.
        assert!(!at(
            &format!("https://api.zendesk.example.gov.uk/v2?key={key}"),
            key
        ));
        assert!(!at(
            &format!("https://static.zdassets.com/ekr/snippet.js?token={key}"),
            key
        ));
        let gift = format!(
            "https://www.ft.com/content/abc?accessToken=zwA&amp;sharetype=gift?token={key}"
        );
        assert!(at(&gift, key));
        assert!(
            !at(&format!("https://www.ft.com/content/abc?token={key}"), key),
            "not a gift link"
        );
        let auth = "8jHx-VNEguw67iX9TBC6_g";
        let gtm = format!("{{\n  id: 'GTM-P93SHJ4Z',\n  auth: '{auth}',\n  preview: 'env-50'\n}}");
        assert!(at(&gtm, auth));
        assert!(at(
            &format!(
                "https://www.googletagmanager.com/gtm.js?id=GTM-ABCD&gtm_auth={auth}&gtm_preview=env-2"
            ),
            auth
        ));
        assert!(
            !at(
                &format!("{{\n  auth: '{auth}',\n  preview: 'env-50'\n}}"),
                auth
            ),
            "no container"
        );
        assert!(!at(
            &format!("{{\n  id: 'GTM-P93SHJ4Z',\n  secret: '{auth}',\n  preview: 'env-50'\n}}"),
            auth
        ));
    }

    #[test]
    fn values_their_vendor_publishes_for_anyone_are_not_secrets() {
        let mapbox_public = format!(
            "pk.{}.{}",
            b64url(br#"{"u":"someone","a":"ckabc123def456"}"#),
            "uzO8I54w64U6QkNknW32FA"
        );
        assert!(is_published(mapbox_public.as_bytes()));
        assert!(!is_published(
            mapbox_public.replacen("pk.", "sk.", 1).as_bytes()
        ));
        assert!(is_published(b"pk_test_51HqLyjWDarjtT1zdp7dcXf"));
        assert!(!is_published(b"sk_test_51HqLyjWDarjtT1zdp7dcXf"));
        // Azurite's well-known development storage key, as Microsoft's documentation prints it.
        let azurite = concat!(
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
            "/K1SZFPTOtr/KBHBeksoGMGw=="
        );
        assert!(is_published(azurite.as_bytes()));
        assert!(is_published(b"gvBoGdgzqG1AarzF1LY0zQ=="));
        assert!(!is_published(&azurite.as_bytes()[1..]));
    }

    #[test]
    fn a_value_for_development_or_test_is_a_default_when_production_reads_the_environment() {
        let rails = "# comment\ndevelopment:\n  secret_key_base: 352f0a9c\n\ntest:\n  secret_key_base: a5cf77b1\n\nproduction:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n";
        let at = |needle: &str, text: &str| text.find(needle).unwrap();
        assert!(non_production_default(
            rails.as_bytes(),
            at("  secret_key_base: 352f", rails)
        ));
        assert!(non_production_default(
            rails.as_bytes(),
            at("  secret_key_base: a5cf", rails)
        ));
        let literal = rails.replace("<%= ENV[\"SECRET_KEY_BASE\"] %>", "9f8e7d6c5b4a");
        assert!(!non_production_default(
            literal.as_bytes(),
            at("  secret_key_base: 352f", &literal)
        ));
        // The file's first version had no production section at all: it holds no production value.
        let no_production = &rails[..rails.find("production:").unwrap()];
        assert!(non_production_default(
            no_production.as_bytes(),
            at("  secret_key_base: 352f", no_production)
        ));
        let staging = rails.replace("development:", "staging:");
        assert!(!non_production_default(
            staging.as_bytes(),
            at("  secret_key_base: 352f", &staging)
        ));
        let other_key = rails.replace("  secret_key_base: 352f", "  api_key: 352f");
        assert!(!non_production_default(
            other_key.as_bytes(),
            at("  api_key: 352f", &other_key)
        ));
    }
    proptest! {
        /// A random key of 20+ characters from a 62-letter alphabet is never taken for a placeholder.
        #[test]
        fn random_alphanumeric_keys_are_not_placeholders(key in "[A-Za-z0-9]{20,64}") {
            // Runs of 4+ in a random string are rare; half the string in them is what it would take.
            prop_assert!(!is_placeholder(key.as_bytes()));
        }

        /// Nor is a random key of 12+ characters taken for a placeholder or a name, nor does a random
        /// base64 value decode to harmless text.
        #[test]
        fn random_keys_are_neither_placeholders_names_nor_encoded_text(key in "[A-Za-z0-9]{12,64}") {
            prop_assert!(!is_placeholder(key.as_bytes()));
            prop_assert!(!is_identifier(key.as_bytes()));
            prop_assert!(!encodes_harmless_text(key.as_bytes()));
        }

        /// Random bytes, base64-encoded as a key is, never decode to harmless text.
        #[test]
        fn encoded_random_bytes_are_not_harmless_text(bytes in proptest::collection::vec(any::<u8>(), 12..48)) {
            prop_assert!(!encodes_harmless_text(b64std(&bytes).as_bytes()));
        }
    }
}
