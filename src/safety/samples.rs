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

/// Whether at least half of `value` lies in runs of [`RUN`] or more characters that repeat (`xxxx`) or step by
/// one (`1234`, `abcd`, `9876`).
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let n = value.len();
    if n < RUN {
        return false;
    }
    let mut covered = 0usize;
    let mut i = 0;
    while i < n {
        let mut end = i + 1;
        if end < n {
            let step = i16::from(value[end]) - i16::from(value[i]);
            if step.abs() <= 1 {
                while end + 1 < n && i16::from(value[end + 1]) - i16::from(value[end]) == step {
                    end += 1;
                }
                end += 1;
            }
        }
        if end - i >= RUN {
            covered += end - i;
        }
        i = if end - i >= 2 { end } else { i + 1 };
    }
    covered * 2 >= n
}

/// Whether `value` is words joined by `-`, `_` or `.`, with at most short numbers between them: two or more
/// parts, each a word (letters in one case, or one capital then lower case), a number of at most 4 digits, or
/// a part of 1–2 characters; and at least one word of 3 or more letters.
pub(crate) fn is_identifier(value: &[u8]) -> bool {
    let parts: Vec<&[u8]> = value
        .split(|b| matches!(b, b'-' | b'_' | b'.'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return false;
    }
    let word = |p: &[u8]| {
        p.iter().all(u8::is_ascii_alphabetic)
            && (p.iter().all(u8::is_ascii_lowercase)
                || p.iter().all(u8::is_ascii_uppercase)
                || (p[0].is_ascii_uppercase() && p[1..].iter().all(u8::is_ascii_lowercase)))
    };
    let every = parts
        .iter()
        .all(|p| word(p) || (p.len() <= 4 && p.iter().all(u8::is_ascii_digit)) || p.len() <= 2);
    every && parts.iter().any(|p| p.len() >= 3 && word(p))
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

    proptest! {
        /// A random key of 20+ characters from a 62-letter alphabet is never taken for a placeholder.
        #[test]
        fn random_alphanumeric_keys_are_not_placeholders(key in "[A-Za-z0-9]{20,64}") {
            // Runs of 4+ in a random string are rare; half the string in them is what it would take.
            prop_assert!(!is_placeholder(key.as_bytes()));
        }
    }
}
