//! Is a matched value a secret, or something that only looks like one? The checks here run after a gitleaks
//! rule has matched and its own entropy and allow-lists have passed. Each is a property of the value, not a
//! list of phrasings:
//!
//! - [`is_placeholder`]: at least half of the value lies in runs of 4 or more repeated or sequential
//!   characters (`xxxxxxxx`, `1234567890abcdef`, `abcd0123…`), or in two such runs woven together
//!   (`a1B2c3D4e5F6`). A random key almost never holds such a run; a value typed by hand to stand for one
//!   almost always does.
//! - [`is_identifier`] (free-form rules only, see `Rule::shape_is_free_form`): the value is words joined by `-`,
//!   `_` or `.` with at most short numbers or a calendar date between them (`series_2019_total`,
//!   `YOUR_ACCESS_TOKEN_2`, `govuk-grid-column-2`, `trivy-db-20240925AM`): a name, a CSS class, a cache key or a
//!   placeholder in capitals. gitleaks drops values of letters alone (`^[a-zA-Z_.-]+$`); this carries that rule
//!   to names that also hold a short number or a date. A secret has a random part; a date is not one.
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

mod code;
mod examples;
mod pem_body;
mod pins;
mod render_keys;

/// Where the line holding byte `at` of `text` starts: just after the newline before it, or 0.
pub(crate) fn line_start(text: &[u8], at: usize) -> usize {
    text[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Where the line holding byte `at` of `text` ends: at the newline from `at` on, or the end of `text`.
pub(crate) fn line_end(text: &[u8], at: usize) -> usize {
    at + text[at..]
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(text.len() - at)
}
pub(crate) use code::is_code_expression;
pub(crate) use examples::written_for_a_reader;
pub(crate) use pem_body::bodiless_header;
pub(crate) use pins::is_conda_pin;
pub(crate) use render_keys::is_render_key;

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
    mark_interleaved_runs(value, &mut long);
    if long.iter().filter(|c| **c).count() * 2 >= n {
        return true;
    }
    let mut short = vec![false; n];
    mark_runs(value, &ascii, 3, &mut short);
    mark_runs(value, &keyboard_place, 3, &mut short);
    n >= 6 && short.iter().all(|c| *c)
}

/// Mark in `covered` the characters of `value` that lie in two woven runs: taking every other character gives
/// two strands, and each holds a run of at least [`RUN`] (letters compared without case, in the alphabet or
/// along a keyboard row): `a1B2c3D4e5F6` is `abcdef` woven with `123456`, `q1w2e3r4t5` is `qwert` with `12345`.
/// A hand-typed example alternates two sequences as readily as it types one; a random key holds no such pair
/// of strands, as it holds no plain run. One strand alone marks nothing (`x1k2p3m4z5` keeps its random half).
fn mark_interleaved_runs(value: &[u8], covered: &mut [bool]) {
    let folded = |b: u8| Some(i16::from(b.to_ascii_lowercase()));
    let strands: Vec<Vec<bool>> = (0..2)
        .map(|phase| {
            let strand: Vec<u8> = value.iter().skip(phase).step_by(2).copied().collect();
            let mut marks = vec![false; strand.len()];
            mark_runs(&strand, &folded, RUN, &mut marks);
            mark_runs(&strand, &keyboard_place, RUN, &mut marks);
            marks
        })
        .collect();
    if strands.iter().any(|marks| !marks.contains(&true)) {
        return;
    }
    for (phase, marks) in strands.into_iter().enumerate() {
        for (k, marked) in marks.into_iter().enumerate() {
            covered[phase + 2 * k] |= marked;
        }
    }
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
/// lower case), a number of at most 4 digits, one that counts (`123456`) or a date ([`is_date`]), or a part of
/// 1–2 characters; a part in camelCase counts as its words (`validSecretKey1`, `secret256Bit`), each of 3 or
/// more letters with a vowel; and at least one word of 3 or more letters.
///
/// Its limit: a short random key can, rarely, be drawn in that shape (`Aaaa00Aaa000`, 12 characters) and is
/// then read as a name; at 20 characters and more such a draw is vanishingly rare (a property test).
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
    let number = |p: &[u8]| {
        (p.iter().all(u8::is_ascii_digit) && (p.len() <= 4 || is_placeholder(p))) || is_date(p)
    };
    let every = parts.iter().all(|p| word(p) || number(p) || p.len() <= 2);
    every && parts.iter().any(|p| p.len() >= 3 && word(p))
}

/// Whether `part` is a calendar date written `YYYYMMDD` (years 1970–2099), alone or followed by `am` or `pm` in
/// either case (`20240925AM`, what `date +%Y%m%d%P` prints): a time stamp, which no random draw produced.
fn is_date(part: &[u8]) -> bool {
    let digits = match part.len() {
        8 => part,
        10 if [b"am".as_slice(), b"pm"].contains(&part[8..].to_ascii_lowercase().as_slice()) => {
            &part[..8]
        }
        _ => return false,
    };
    let Some(number) = std::str::from_utf8(digits)
        .ok()
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u32>().ok())
    else {
        return false;
    };
    let (year, month, day) = (number / 10_000, number / 100 % 100, number % 100);
    (1970..=2099).contains(&year)
        && chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some()
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
    if PUBLISHED_HMAC_KEYS
        .iter()
        .any(|k| hmac_verifies(&alg, h, p, signature, k.as_bytes()))
    {
        return Jwt::PublicSample;
    }
    let expired = payload
        .get("exp")
        .and_then(|e| e.as_i64().or_else(|| e.as_f64().map(|f| f as i64)))
        .filter(|&exp| exp < now)
        .and_then(|exp| chrono::DateTime::from_timestamp(exp, 0))
        .map(|d| d.format("%Y-%m-%d").to_string());
    Jwt::Signed { expired }
}

/// Whether the HMAC `signature` (base64) of `header.payload` verifies under `key` for `alg` (`HS256`, `HS384`,
/// `HS512`, upper case); any other algorithm never does.
fn hmac_verifies(alg: &str, header: &str, payload: &str, signature: &str, key: &[u8]) -> bool {
    let Some(sig) = b64(signature) else {
        return false;
    };
    let signed = format!("{header}.{payload}");
    match alg {
        "HS256" => hmac::<sha2::Sha256>(64, key, signed.as_bytes()) == sig,
        "HS384" => hmac::<sha2::Sha384>(128, key, signed.as_bytes()) == sig,
        "HS512" => hmac::<sha2::Sha512>(128, key, signed.as_bytes()) == sig,
        _ => false,
    }
}

/// At most this many keys are tried against one token (each try is one HMAC).
const MAX_KEYS_TRIED: usize = 20_000;

/// Whether `token`, a JWT signed with HMAC (`HS256`, `HS384`, `HS512`), verifies under a key written in `text`:
/// a quoted string on one line (`"…"`, `'…'`, `` `…` ``, up to 200 bytes) or the part of one after a `-`, `_`,
/// `:` or `.` (an API key that joins a name, an id and the signing secret, as GOV.UK Notify's keys do). Such a
/// token is what the code under test computes from that key: it holds nothing the file does not already show.
pub(crate) fn signed_with_key_in(token: &[u8], text: &[u8]) -> bool {
    let Ok(token) = std::str::from_utf8(token) else {
        return false;
    };
    let mut parts = token.splitn(3, '.');
    let (Some(h), Some(p), Some(signature)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Some(header) = b64(h).and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return false;
    };
    let alg = header
        .get("alg")
        .and_then(|a| a.as_str())
        .unwrap_or("")
        .to_ascii_uppercase();
    if !alg.starts_with("HS") {
        return false;
    }
    quoted_keys(text)
        .take(MAX_KEYS_TRIED)
        .any(|key| hmac_verifies(&alg, h, p, signature, key))
}

/// Every quoted string of `text` on one line (up to 200 bytes), and each part of one after a separator.
fn quoted_keys(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut literals = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let quote = text[i];
        if !matches!(quote, b'"' | b'\'' | b'`') {
            i += 1;
            continue;
        }
        let rest = &text[i + 1..text.len().min(i + 202)];
        match rest.iter().position(|&b| b == quote || b == b'\n') {
            Some(end) if rest[end] == quote && end > 0 => {
                literals.push(&rest[..end]);
                i += end + 2;
            }
            _ => i += 1,
        }
    }
    literals.into_iter().flat_map(|literal| {
        let tails = literal
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, b'-' | b'_' | b':' | b'.'))
            .map(move |(at, _)| &literal[at + 1..])
            .filter(|tail| !tail.is_empty());
        std::iter::once(literal).chain(tails)
    })
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
    identifier_words(name)
}

/// The words of an identifier (`client_secret`, `getEnvironmentValue`, `os.environ.get`), lower case: split at
/// every other character and where a lower-case letter meets an upper-case one.
pub(crate) fn identifier_words(name: &[u8]) -> Vec<String> {
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

/// Whether the name the value is assigned to says it is not a credential (generic rules): a word of it calls
/// the value a stand-in (`mock`, `fake`, `dummy`, `stub`), or its last word says the value *identifies*
/// something (`chargeTokenId`, `EPB_AUTH_CLIENT_ID`, `token_api_sg_id`, `DOORKEEPER_UID`: the id of a token or
/// a client is not the token or the client's secret; RFC 6749 section 2.2 says a client identifier is not a
/// secret, and Doorkeeper calls an application's client id its `uid`), or the value is a UUID and the last word names a thing referred to by
/// an id ([`REFERRED_TO_BY_ID`]), or a word of it says the value is a digest and the value has a digest's
/// shape, hex of 32, 40, 56, 64, 96 or 128 digits (`hashed_secret` in a detect-secrets baseline, `hashed_token`
/// in seed data: a hash of a secret does not open anything).
pub(crate) fn name_says_not_a_secret(prefix: &[u8], value: &[u8]) -> bool {
    let words = name_words(prefix);
    let Some(last) = words.last() else {
        return false;
    };
    if matches!(
        last.as_str(),
        "id" | "ids" | "uid" | "uuid" | "guid" | "identifier"
    ) {
        return true;
    }
    // The head word says what the value is (`ACCESS_INFO_EMAIL_TEMPLATE`: a template, about access). A UUID
    // under a head word for a thing an id refers to is that thing's id; the credential word before it only says
    // which one.
    if is_uuid(value) && REFERRED_TO_BY_ID.contains(&last.as_str()) {
        return true;
    }
    // A name that calls the value a stand-in (`mockNewAccessToken`, `FAKE_API_KEY`, `dummySecret`): the
    // authors say it replaces a credential, and the value is theirs to say so of.
    if words.iter().any(|w| {
        matches!(
            w.as_str(),
            "mock" | "mocked" | "fake" | "dummy" | "stub" | "stubbed"
        )
    }) {
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

/// Head words of a name for things a service refers to by an id, never a credential: a GOV.UK Notify
/// template, an Azure tenant or subscription, a workspace, a project, an organisation. Only a UUID under
/// one of these is taken for an id (see [`name_says_not_a_secret`]): any other value under such a name is judged
/// as it stands.
const REFERRED_TO_BY_ID: &[&str] = &[
    "template",
    "templates",
    "tenant",
    "subscription",
    "workspace",
    "project",
    "organisation",
    "organization",
];

/// Whether `value` is a UUID as RFC 9562 writes one: 32 hex digits in groups of 8-4-4-4-12.
pub(crate) fn is_uuid(value: &[u8]) -> bool {
    value.len() == 36
        && value.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
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

/// Whether `value` is published by its vendor for anyone to use: a value in [`PUBLISHED_VALUES`] or printed in a
/// standard (`examples::published_by_a_standard`), or one whose
/// format marks it public — a Mapbox public token (`pk.` and a base64 JSON object; secret ones are `sk.`) or a
/// Stripe publishable key (`pk_live_`, `pk_test_`; secret ones are `sk_`/`rk_`), both made to be embedded in web
/// pages.
pub(crate) fn is_published(value: &[u8]) -> bool {
    let digest = hex::encode(sha2::Sha256::digest(value));
    if PUBLISHED_VALUES.iter().any(|(hash, _)| *hash == digest)
        || examples::published_by_a_standard(value)
    {
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
mod tests;
