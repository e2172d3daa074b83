//! Values a secret rule matches that are public by design, told by the structure they sit in rather than by
//! their own shape (a random-looking key can be either):
//!
//! - **the public key of a Sentry DSN** (`https://<key>@o1.ingest.sentry.io/42`) or of a Sentry ingest URL
//!   (`…/api/42/security/?sentry_key=<key>`): Sentry documents the DSN as safe to ship to browsers and apps, and
//!   a CSP report URL is sent in every response header. The *secret* half of an old `<key>:<secret>@` DSN stays
//!   a finding: only the user part of the URL is public;
//! - **the tag of a container image reference** (`image: quay.io/org/api:<tag>`, `FROM org/app:<tag>`): a tag
//!   names an image for everyone who can pull it and is listed by the registry; it opens nothing (the `api` of
//!   the image's name is what made `generic-api-key` read it as a key);
//! - **a per-render anti-forgery value in a rendered HTML page** (Drupal's `theme_token` and `form_token`,
//!   Rails' `authenticity_token`, Django's `csrfmiddlewaretoken`, ASP.NET's `__RequestVerificationToken` and
//!   `__VIEWSTATE`, any `csrf`/`xsrf`/`nonce` field): a server writes a fresh one into every page it serves to
//!   whoever asks, for that visit only; a saved copy of a page holds the one its visitor got. Only inside a
//!   document that is HTML from its first tag, and never under a name that also says `secret`, `key` or
//!   `password` (the server-side key that *signs* such tokens is a secret);
//! - **the ids of a SonarLint binding file** (`.sonarlint/*.slconfig`, `.sonarlint/connectedMode.json`):
//!   `ProfileKey`, `ProjectKey`, `Organization` name rule profiles and projects that SonarQube/SonarCloud show
//!   to everyone who can see the project; the binding's token lives in the IDE's credential store, never in
//!   that file (a token pasted there under any other name is still read by the rules).
//!
//! - **an Azure Application Insights instrumentation key** (a UUID under `InstrumentationKey`, alone or in a
//!   connection string `InstrumentationKey=<uuid>;IngestionEndpoint=…`): Microsoft's Azure Monitor
//!   documentation says a connection string is not a security token or key, and its browser SDK puts the key in
//!   every page; it lets anyone *send* telemetry, never read it. Any other value under that name is judged as
//!   it stands.
//!
//! - **the public half of a key**, decoded (`public_keys`): an SSH public key blob, a SubjectPublicKeyInfo or an
//!   `RSAPublicKey`, bare or in a PEM block — the one check here that reads the value itself, since a key's
//!   structure says what it is;
//! - **an OpenPGP fingerprint or key id** (`fingerprints`) under a key's name, in a package source's block or a
//!   name that says OpenPGP.
//!
//! An author could dress a secret up as one of these (a password as an image tag, a token as `sentry_key`),
//! but each is then public by the channel it names: a tag is listed by the registry, a DSN key is sent to
//! every browser. A real credential of another shape beside them (an AWS key, a GitHub token) is matched by
//! its own rule and judged apart.

/// Whether the value at `value` of `text` (a file at `path`), matched with its name from `name_start`, is
/// public by design (see the module's documentation).
pub(crate) fn is_public(
    path: &str,
    text: &[u8],
    name_start: usize,
    value: std::ops::Range<usize>,
) -> bool {
    let (start, end) = (value.start, value.end);
    let value = &text[start..end];
    let token = token_around(text, start, end);
    sentry_public_key(token.0, value)
        || sentry_auth_header_key(text, start)
        || image_tag(text, token, start, end)
        || per_render_token(text, &text[name_start.min(start)..start])
        || sonarlint_id(path, &text[name_start.min(start)..start])
        || sonar_profile_link(token.0, value)
        || instrumentation_key(&text[name_start.min(start)..start], value)
        || public_keys::is_public_key(text, start..end)
        || fingerprints::is_openpgp_key_name(
            text,
            &text[name_start.min(start)..start],
            value,
            start,
        )
}

/// Whether `value` is a UUID under a name that ends `InstrumentationKey` (any case and separators:
/// `APPINSIGHTS_INSTRUMENTATIONKEY`, `instrumentation_key`): an Application Insights resource's ingestion id.
fn instrumentation_key(name: &[u8], value: &[u8]) -> bool {
    let words = crate::safety::samples::identifier_words(name);
    let joined: String = words.concat();
    crate::safety::samples::is_uuid(value) && joined.ends_with("instrumentationkey")
}

/// The whitespace- or quote-delimited token holding `start..end`, and its offset.
fn token_around(text: &[u8], start: usize, end: usize) -> (&[u8], usize) {
    let stop = |b: &u8| {
        b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'(' | b')')
    };
    let from = text[..start].iter().rposition(stop).map_or(0, |i| i + 1);
    let to = end
        + text[end..]
            .iter()
            .position(stop)
            .unwrap_or(text.len() - end);
    (&text[from..to], from)
}

/// Whether `value` is the public key of a Sentry DSN or ingest URL that `url` (one token) is: the user part
/// (not the password) of a URL on a Sentry host or of a DSN-shaped URL (`https://key@host/<project number>`),
/// or the `sentry_key` parameter of a URL to Sentry's ingest API (`/api/<project number>/<endpoint>/`).
fn sentry_public_key(url: &[u8], value: &[u8]) -> bool {
    let url = String::from_utf8_lossy(url).replace("&amp;", "&");
    let value = String::from_utf8_lossy(value);
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let path = after.split(['?', '#']).next().unwrap_or("");
    let sentry_host = host == "sentry.io" || host.ends_with(".sentry.io");
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(userinfo) = userinfo {
        let user = userinfo.split(':').next().unwrap_or("");
        let dsn_path = number(path.trim_matches('/').rsplit('/').next().unwrap_or(""));
        if user == value && (sentry_host || dsn_path) {
            return true;
        }
    }
    let mut segments = path.trim_matches('/').split('/');
    let ingest_api = segments.next() == Some("api")
        && segments.next().is_some_and(number)
        && segments.next().is_some_and(|s| !s.is_empty());
    ingest_api
        && after
            .split(['?', '&', '#'])
            .filter_map(|kv| kv.split_once('='))
            .any(|(k, v)| k.eq_ignore_ascii_case("sentry_key") && v == value)
}

/// Whether the value at `start` is the `sentry_key` of a Sentry auth header (`X-Sentry-Auth: Sentry
/// sentry_version=7, sentry_client=…, sentry_key=<key>`, as an SDK sends it and a recorded HTTP cassette
/// keeps it): Sentry's protocol puts the DSN's public key there, and any secret in the field named
/// `sentry_secret`.
fn sentry_auth_header_key(text: &[u8], start: usize) -> bool {
    const FIELD: &[u8] = b"sentry_key=";
    const OPENING: &[u8] = b"sentry sentry_version=";
    if start < FIELD.len() || !text[start - FIELD.len()..start].eq_ignore_ascii_case(FIELD) {
        return false;
    }
    // The header's fields sit within a few hundred bytes of its opening (a cassette may wrap them).
    let from = start.saturating_sub(400);
    let before = text[from..start].to_ascii_lowercase();
    before.windows(OPENING.len()).any(|w| w == OPENING)
}

/// Whether `start..end` is the tag of a container image reference: the token is `<name>:<tag>` (optionally
/// `@sha256:…` after), the name follows the reference grammar (lower-case path components, at least one `/`,
/// an optional registry host with a port), and the line says it is an image (`image`, or a Dockerfile `FROM`).
fn image_tag(text: &[u8], (token, token_start): (&[u8], usize), start: usize, end: usize) -> bool {
    if start <= token_start || text[start - 1] != b':' {
        return false;
    }
    let name = &token[..start - 1 - token_start];
    let rest = &text[end..token_start + token.len()];
    if !(rest.is_empty()
        || rest.starts_with(b"@sha256:")
        || rest.iter().all(|b| matches!(b, b',' | b';')))
    {
        return false;
    }
    let name = name
        .iter()
        .rposition(|b| *b == b'=')
        .map_or(name, |i| &name[i + 1..]);
    let components: Vec<&[u8]> = name.split(|b| *b == b'/').collect();
    if components.len() < 2 {
        return false;
    }
    let (registry, path) = components.split_first().expect("two or more");
    let registry_ok = {
        let host = registry.split(|b| *b == b':').next().unwrap_or(&[]);
        let port = registry.splitn(2, |b| *b == b':').nth(1);
        !host.is_empty()
            && host
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            && port.is_none_or(|p| !p.is_empty() && p.iter().all(u8::is_ascii_digit))
    };
    let path_ok = path.iter().all(|c| {
        !c.is_empty()
            && c.iter().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            })
    });
    let line_start = text[..token_start]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let before = text[line_start..token_start].to_ascii_lowercase();
    let before = before.trim_ascii();
    let says_image = before.windows(5).any(|w| w == b"image") || before.starts_with(b"from");
    // A key that also says it holds a credential (`image_pull_password:`) is judged as such.
    let says_credential = ["secret", "passw", "token", "auth", "key"]
        .iter()
        .any(|w| before.windows(w.len()).any(|c| c == w.as_bytes()));
    registry_ok && path_ok && says_image && !says_credential
}

/// Words of a field name that call its value a per-render anti-forgery or page-state token.
const PER_RENDER_WORDS: &[&str] = &[
    "csrf",
    "xsrf",
    "nonce",
    "authenticity_token",
    "requestverificationtoken",
    "viewstate",
    "eventvalidation",
    "theme_token",
    "form_token",
    "form_build_id",
];

/// Whether `name` (what the rule matched before the value) calls it a per-render token and the file is a
/// rendered HTML page (its first tag is `<!doctype html` or `<html`).
fn per_render_token(text: &[u8], name: &[u8]) -> bool {
    let name = name.to_ascii_lowercase();
    let says = |w: &str| name.windows(w.len()).any(|c| c == w.as_bytes());
    if ["secret", "key", "passw"].iter().any(|w| says(w))
        || !PER_RENDER_WORDS.iter().any(|w| says(w))
    {
        return false;
    }
    is_html_page(text)
}

/// Whether the text is an HTML document: after a byte-order mark, white space and comments, it opens with
/// `<!doctype html` or `<html`.
pub(crate) fn is_html_page(text: &[u8]) -> bool {
    let mut rest = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
            continue;
        }
        break;
    }
    let head = rest[..rest.len().min(14)].to_ascii_lowercase();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// Whether `value` is the `key` of a SonarQube/SonarCloud quality-profile page link that `url` (one token) is
/// (`https://sonarcloud.io/profiles/show?key=<key>`, as SonarLint writes it into the `.ruleset` it generates):
/// the address of a page, the same profile key as a binding's `ProfileKey`.
fn sonar_profile_link(url: &[u8], value: &[u8]) -> bool {
    let url = String::from_utf8_lossy(url).replace("&amp;", "&");
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let Some((path, query)) = rest.split_once('?') else {
        return false;
    };
    path.trim_end_matches('/').ends_with("/profiles/show")
        && query
            .split(['&', '#'])
            .filter_map(|kv| kv.split_once('='))
            .any(|(k, v)| k == "key" && v.as_bytes() == value)
}

/// Whether `name` is an id field of a SonarLint connected-mode binding file at `path`.
fn sonarlint_id(path: &str, name: &[u8]) -> bool {
    let lower = path.to_ascii_lowercase();
    let in_binding = lower.split('/').any(|c| c == ".sonarlint")
        && (lower.ends_with(".slconfig") || lower.ends_with("/connectedmode.json"));
    if !in_binding {
        return false;
    }
    let field: Vec<u8> = name
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    [b"profilekey".as_slice(), b"projectkey", b"organization"]
        .iter()
        .any(|f| field == *f)
}

mod fingerprints;
mod public_keys;

#[cfg(test)]
mod tests;
