//! Where a value is used: a test's own credential, used only against the test's own local services.
//!
//! A value that passes every check of [`super::samples`] may still be a credential that opens nothing outside
//! a developer's machine: the cookie secret of a unit test, a token a test computes and compares, the SFTP key
//! of a test container. What decides it is not the value but its **context of use**, and three properties of
//! the place must hold together:
//!
//! 1. **the path is a test's**: a folder named for tests (`test/`, `spec/`, `__tests__/`, `fixtures/`, …) or a
//!    file named as a test by its language's convention (`*_test.go`, `*.spec.ts`, `FooTest.java`, …);
//! 2. **every endpoint the file names is local**: `localhost`, loopback, `*.local`, the reserved test and
//!    example names (RFC 2606/6761), or a one-label name (a Compose service such as `db`); a file naming any
//!    other host (a real API, a deployed test environment) fails, and so does a file read in part;
//! 3. **the value was minted by the test**: a JWT must be signed with a shared key (HMAC), which a test holds;
//!    a token signed with a private key (RS/ES/PS) was issued by a server and captured, whatever the file does
//!    with it. A private key needs a positive sign that it is the test's own: a local endpoint in its file, or
//!    its public half (`<path>.pub`) committed too.
//!
//! Such a value is reported as a **test credential, local only**: listed, with the reason, and not blocking
//! (`safety.local-test-credentials: block` makes it block). It is a property of each *place*: the same value
//! anywhere else (a non-test path, a file naming a real host) makes the whole finding an ordinary one.

pub(crate) mod local_block;
pub(crate) mod local_config;
pub(crate) mod local_run;
pub(crate) mod local_stack;

/// Whether a rule's matches can be a test's own credential: rules that describe no service (a generic
/// assignment, a JWT, a private key, a credential on a curl command line). A vendor's token format (AWS, GitHub,
/// Slack, Stripe…) names its service by its shape, and that service is not on the test's machine.
pub(crate) fn rule_names_no_service(rule: &str) -> bool {
    rule.starts_with("generic")
        || rule.starts_with("jwt")
        || rule == "private-key"
        || rule.starts_with("curl-auth")
}

/// What a file's text says about the endpoints it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Endpoints {
    /// Some host named is local.
    pub local: bool,
    /// Some host named is not local.
    pub remote: bool,
}

/// Folder names that hold tests (compared case-insensitively, whole component).
const TEST_FOLDERS: &[&str] = &[
    "test",
    "tests",
    "spec",
    "specs",
    "__tests__",
    "__mocks__",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "__fixtures__",
    "e2e",
    "integration-test",
    "integration-tests",
];

/// Whether `path` is a test's: a folder of [`TEST_FOLDERS`], or a file named as a test by its language's
/// convention.
pub(crate) fn is_test_path(path: &str) -> bool {
    let mut parts = path.split('/').collect::<Vec<_>>();
    let name = parts.pop().unwrap_or("");
    if parts
        .iter()
        .any(|p| TEST_FOLDERS.iter().any(|t| p.eq_ignore_ascii_case(t)))
    {
        return true;
    }
    // A .NET test project: `Company.Product.Tests`, `Api.IntegrationTests`, `Api.SubcutaneousTest`.
    if parts.iter().any(|p| {
        p.rsplit_once('.')
            .is_some_and(|(_, last)| last.ends_with("Test") || last.ends_with("Tests"))
    }) {
        return true;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s, e.to_ascii_lowercase()),
        None => (name, String::new()),
    };
    let js = matches!(
        ext.as_str(),
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "vue"
    );
    let lower = stem.to_ascii_lowercase();
    match ext.as_str() {
        "go" => lower.ends_with("_test"),
        "py" => lower.starts_with("test_") || lower.ends_with("_test"),
        "rb" => lower.ends_with("_spec") || lower.ends_with("_test"),
        "java" | "kt" | "cs" | "swift" | "scala" | "groovy" => {
            stem.ends_with("Test")
                || stem.ends_with("Tests")
                || stem.ends_with("Spec")
                || stem.ends_with("IT")
        }
        _ if js => [".test", ".spec", ".cy"].iter().any(|s| lower.ends_with(s)),
        // `config_test.ru`, `settings_test.yml`: a file named as the test variant of another.
        _ => lower.ends_with("_test"),
    }
}

/// Whether `text` holds a public key or a certificate (PEM, escaped or not): beside a private key in a test's
/// source, the pair was written together for the test.
pub(crate) fn holds_public_half(text: &[u8]) -> bool {
    [
        "-----BEGIN PUBLIC KEY",
        "-----BEGIN RSA PUBLIC KEY",
        "-----BEGIN CERTIFICATE",
    ]
    .iter()
    .any(|m| find(text, m.as_bytes()).is_some())
}

/// Whether the file at `path` is named as a key file (`*.pem`, `*.key`, `*.p8`, `*.p12`, `id_rsa`…): a key
/// kept on its own, which code reads by its file name.
pub(crate) fn is_key_file_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "pem" | "key" | "p8" | "pk8" | "der" | "p12" | "pfx" | "jks" | "keystore"
    ) || name.starts_with("id_rsa")
        || name.starts_with("id_ecdsa")
        || name.starts_with("id_ed25519")
}

/// Whether `host` (lower case, no port) is local: on this machine ([`is_machine_local_host`]), under the
/// private-use `.internal` suffix, or one label (a Compose or Kubernetes service name, resolvable only inside its
/// own network). For a test's file, where every one of these is the test's own; outside the tests a one-label
/// name or an `.internal` one may be an organisation's private network, and [`is_machine_local_host`] decides.
pub(crate) fn is_local_host(host: &str) -> bool {
    if is_machine_local_host(host) {
        return true;
    }
    let host = host
        .trim_matches(|c| c == '[' || c == ']')
        .to_ascii_lowercase();
    host.ends_with(".internal") || host.ends_with(".local") || is_one_label_name(&host)
}

/// Whether `host` (no port) can only be this machine or a name that resolves nowhere: `localhost` and
/// `*.localhost`, loopback (`127.0.0.0/8`, `::1`), the unspecified `0.0.0.0`, Docker's name for the machine
/// running it (`host.docker.internal`), and the names RFC 2606 and RFC 6761 reserve for tests and examples
/// (`*.test`, `*.example`, `*.invalid`, `example.com`…). Not `*.local` (many organisations name their Active
/// Directory domain so, and its servers are real) nor private addresses (RFC 1918): both are an
/// organisation's servers as often as a developer's.
pub(crate) fn is_machine_local_host(host: &str) -> bool {
    let host = host
        .trim_matches(|c| c == '[' || c == ']')
        .to_ascii_lowercase();
    if host.is_empty() {
        return false;
    }
    if host == "localhost"
        || host == "::1"
        || host == "0.0.0.0"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback())
        || host == "host.docker.internal"
    {
        return true;
    }
    const SUFFIXES: &[&str] = &[".localhost", ".test", ".example", ".invalid"];
    if SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return true;
    }
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|reserved| host == *reserved || host.ends_with(&format!(".{reserved}")))
}

/// One label and not a number: a service name on a local network.
pub(crate) fn is_one_label_name(host: &str) -> bool {
    !host.contains('.')
        && !host.contains(':')
        && host.bytes().any(|b| b.is_ascii_alphabetic())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Endpoints {
    /// Count `host` as local or remote; a name with no letter or digit (a stray `.`) names nothing.
    fn note(&mut self, host: &[u8]) {
        let Ok(host) = std::str::from_utf8(host) else {
            return;
        };
        let host = host.trim_end_matches('.');
        if host.is_empty() || !host.bytes().any(|b| b.is_ascii_alphanumeric()) {
            return;
        }
        if is_local_host(host) {
            self.local = true;
        } else {
            self.remote = true;
        }
    }
}

/// The endpoints `text` names: the host of every URL (`scheme://[user@]host`) and the value of every
/// `host`/`hostname`/`server`/`endpoint` setting. Hosts written as templates (`${HOST}`, `{{host}}`, `%s`) name
/// nothing and are skipped.
///
/// The file's leading comment (its licence or copyright notice, `http://www.apache.org/licenses/…`) is about
/// the file, not what its code talks to, and is not read.
pub(crate) fn endpoints(text: &[u8]) -> Endpoints {
    hosts_named(&text[leading_comment_len(text)..])
}

/// The endpoints a piece of text names, every line of it read.
fn hosts_named(text: &[u8]) -> Endpoints {
    let mut found = Endpoints::default();
    for host in url_hosts(text).into_iter().chain(setting_hosts(text)) {
        found.note(host);
    }
    found
}

/// The length of the comment `text` opens with (after blank lines and a `#!` line): one `/* … */` block, or a
/// run of lines starting `//` or `#`. 0 when the file opens with anything else.
pub(crate) fn leading_comment_len(text: &[u8]) -> usize {
    let blank = |i: usize| {
        i + text[i..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
    };
    let line_end = |i: usize| {
        text[i..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |n| i + n + 1)
    };
    let mut at = blank(0);
    if text[at..].starts_with(b"#!") {
        at = blank(line_end(at));
    }
    if text[at..].starts_with(b"/*") {
        return find(&text[at + 2..], b"*/").map_or(0, |n| at + 2 + n + 2);
    }
    let start = at;
    // `#` then a letter is a directive (`#include`, `#define`), not a comment.
    let comment = |i: usize| {
        text[i..].starts_with(b"//")
            || (text[i..].starts_with(b"#")
                && !text.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
    };
    while comment(at) {
        at = blank(line_end(at));
    }
    if at == start { 0 } else { at }
}

/// A byte that can be part of a host name.
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_'
}

/// Whether the host name of length `len` at the start of `rest` is a template or placeholder (`${HOST}`,
/// `{{host}}`, `%s`, `<host>`) or empty: it names nothing.
fn is_template_host(rest: &[u8], len: usize) -> bool {
    len == 0 || matches!(rest.get(len), Some(b'$' | b'{' | b'%' | b'<'))
}

/// The host of every URL in `text` (`scheme://[user@]host`), except a token's `iss` claim.
pub(crate) fn url_hosts(text: &[u8]) -> Vec<&[u8]> {
    let mut hosts = Vec::new();
    let mut i = 0;
    while let Some(at) = find(&text[i..], b"://") {
        let sep = i + at;
        i = sep + 3;
        if let Some(host) = url_host_at(text, sep) {
            hosts.push(host);
        }
    }
    hosts
}

/// The host of the URL whose `://` is at `sep` in `text`; `None` when there is no scheme before it, the URL is
/// a token's `iss` claim, or its host is a template.
pub(crate) fn url_host_at(text: &[u8], sep: usize) -> Option<&[u8]> {
    // The scheme: letters (and + - .) right before.
    let scheme_len = text[..sep]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    // A token's `iss` claim (`"iss": "https://…"`, in a stub's JSON body) names who signed it, not a host the
    // file talks to.
    if scheme_len == 0 || is_issuer_claim(&text[..sep - scheme_len]) {
        return None;
    }
    let mut rest = &text[sep + 3..];
    // Skip user information up to an `@` before the host ends.
    let authority_len = rest.iter().take_while(|b| !is_authority_end(**b)).count();
    if let Some(at) = rest[..authority_len].iter().rposition(|b| *b == b'@') {
        rest = &rest[at + 1..];
    }
    if rest.first() == Some(&b'[') {
        let end = rest.iter().position(|b| *b == b']').unwrap_or(0);
        return Some(&rest[..end + 1]);
    }
    let len = rest.iter().take_while(|b| is_host_byte(**b)).count();
    (!is_template_host(rest, len)).then(|| &rest[..len])
}

/// A byte that ends a URL's authority (`user@host:port`).
fn is_authority_end(b: u8) -> bool {
    matches!(
        b,
        b'/' | b'?'
            | b'#'
            | b' '
            | b'"'
            | b'\''
            | b'<'
            | b'>'
            | b'\n'
            | b'\r'
            | b'\t'
            | b'`'
            | b')'
    )
}

/// The value of every `host`/`hostname`/`server`/`endpoint` setting in `text` (`host: value`,
/// `"server" = "value"`, `Endpoint=value`…) that is a host name: not a URL (counted by [`url_hosts`]), a
/// template, a number or a boolean.
pub(crate) fn setting_hosts(text: &[u8]) -> Vec<&[u8]> {
    let lower = text.to_ascii_lowercase();
    let mut hosts = Vec::new();
    for key in [&b"hostname"[..], b"host", b"server", b"endpoint"] {
        let mut i = 0;
        while let Some(at) = find(&lower[i..], key) {
            let start = i + at;
            i = start + key.len();
            if let Some(host) = setting_value_at(text, &lower, start, i) {
                hosts.push(host);
            }
        }
    }
    hosts
}

/// The host set by the key found at `start..key_end` of `text` (`lower` is `text` in lower case): `None` when
/// the key is part of a longer word, no `:` or `=` follows it, or its value is not a host name.
fn setting_value_at<'t>(
    text: &'t [u8],
    lower: &[u8],
    start: usize,
    key_end: usize,
) -> Option<&'t [u8]> {
    if start > 0 && (lower[start - 1].is_ascii_alphanumeric() || lower[start - 1] == b'_') {
        return None;
    }
    let skip_quotes = |mut j: usize| {
        while j < lower.len() && matches!(lower[j], b'"' | b'\'' | b' ' | b'\t') {
            j += 1;
        }
        j
    };
    let mut j = skip_quotes(key_end);
    if !matches!(lower.get(j), Some(b':' | b'=')) {
        return None;
    }
    j = skip_quotes(j + 1);
    // `tcp:` and similar prefixes of connection strings.
    for prefix in [&b"tcp:"[..], b"udp:", b"tls:", b"ssl:"] {
        if lower[j..].starts_with(prefix) {
            j += prefix.len();
        }
    }
    let len = text[j..].iter().take_while(|b| is_host_byte(**b)).count();
    // A URL is counted by `url_hosts`.
    if is_template_host(&text[j..], len) || text[j + len..].starts_with(b"://") {
        return None;
    }
    let value = &text[j..j + len];
    // Numbers (a port, a count) and booleans are not hosts.
    let not_a_host = value.iter().all(u8::is_ascii_digit)
        || value.eq_ignore_ascii_case(b"true")
        || value.eq_ignore_ascii_case(b"false");
    (!not_a_host).then_some(value)
}

/// Whether `before` (the text up to a URL's scheme) ends with the JWT claim name `iss` and its separator,
/// quotes (escaped or not) allowed around both.
fn is_issuer_claim(before: &[u8]) -> bool {
    let skip = |t: &[u8]| {
        let n = t
            .iter()
            .rev()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'"' | b'\'' | b'\\'))
            .count();
        t.len() - n
    };
    let end = skip(before);
    if end == 0 || !matches!(before[end - 1], b':' | b'=') {
        return false;
    }
    let end = skip(&before[..end - 1]);
    let key = &before[..end];
    key.ends_with(b"iss")
        && (key.len() == 3
            || !(key[key.len() - 4].is_ascii_alphanumeric() || key[key.len() - 4] == b'_'))
}

/// Lines either side of a value that [`endpoints_near`] reads: the statement it is used in.
const NEAR_LINES: usize = 3;

/// The endpoints named within [`NEAR_LINES`] lines of `start..end` in `text`: the hosts a value is used with,
/// not the links elsewhere in its file (a README's badges).
pub(crate) fn endpoints_near(text: &[u8], start: usize, end: usize) -> Endpoints {
    let mut from = start.min(text.len());
    for _ in 0..=NEAR_LINES {
        match text[..from].iter().rposition(|b| *b == b'\n') {
            Some(i) => from = i,
            None => {
                from = 0;
                break;
            }
        }
    }
    let mut to = end.min(text.len());
    for _ in 0..=NEAR_LINES {
        match text[to..].iter().position(|b| *b == b'\n') {
            Some(i) => to += i + 1,
            None => {
                to = text.len();
                break;
            }
        }
    }
    hosts_named(&text[from..to])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How a JWT was signed, nested tokens included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// Not a token.
    NotAToken,
    /// Every signature in it is an HMAC (a shared key, which a test can hold), or there is none.
    SharedKey,
    /// Some signature in it is made with a private key (RS/ES/PS/EdDSA): a server issued it.
    PrivateKey,
}

/// How the token `value` (and any token among its claims) was signed.
pub(crate) fn jwt_signing(value: &[u8]) -> Signing {
    fn part(p: &str) -> Option<serde_json::Value> {
        use base64::Engine;
        let t = p.trim_end_matches('=');
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(t)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t))
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    }
    fn judge(token: &str, depth: usize) -> Signing {
        let mut parts = token.trim().splitn(3, '.');
        let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
            return Signing::NotAToken;
        };
        let (Some(header), Some(payload)) = (part(h), part(p)) else {
            return Signing::NotAToken;
        };
        let alg = header
            .get("alg")
            .and_then(|a| a.as_str())
            .unwrap_or("")
            .to_ascii_uppercase();
        let shared_or_none = alg.is_empty() || alg == "NONE" || alg.starts_with("HS");
        if !(shared_or_none || hand_written(&payload)) {
            return Signing::PrivateKey;
        }
        if depth < 3 && nested_private(&payload, depth) {
            return Signing::PrivateKey;
        }
        Signing::SharedKey
    }
    fn nested_private(v: &serde_json::Value, depth: usize) -> bool {
        match v {
            serde_json::Value::String(s) if s.matches('.').count() == 2 => {
                judge(s, depth + 1) == Signing::PrivateKey
            }
            serde_json::Value::Array(a) => a.iter().any(|x| nested_private(x, depth)),
            serde_json::Value::Object(m) => m.values().any(|x| nested_private(x, depth)),
            _ => false,
        }
    }
    match std::str::from_utf8(value) {
        Ok(token) if token.starts_with("eyJ") => judge(token, 0),
        _ => Signing::NotAToken,
    }
}

/// A century: no issuer hands out a token that lives longer.
const CENTURY_SECONDS: i64 = 100 * 365 * 24 * 3600;

/// Whether a token's claims were written by hand rather than issued: it lives longer than a century
/// (`exp` − `iat`, both present), as `exp: 9999999999` does. A server sets `exp` from its own token lifetime;
/// claims typed by hand were signed by whoever typed them — the test's own key — so such a token is minted by
/// the test, whatever its `alg` and `iss` say. A token without `iat`, or with a lifetime a server could give,
/// is judged by its signature as before.
fn hand_written(payload: &serde_json::Value) -> bool {
    let number = |k: &str| {
        payload
            .get(k)
            .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
    };
    matches!((number("iat"), number("exp")), (Some(iat), Some(exp)) if exp.saturating_sub(iat) > CENTURY_SECONDS)
}

/// The issuer of a token (`iss`), when it names a local server: a URL whose host is local, or a bare
/// one-label name (`stroom`), which only a local network resolves. `None` for any other issuer, a token without
/// one, or not a token.
pub(crate) fn local_issuer(value: &[u8]) -> Option<String> {
    use base64::Engine;
    let token = std::str::from_utf8(value).ok()?;
    let payload = token.split('.').nth(1)?.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(payload))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let iss = claims.get("iss")?.as_str()?.trim();
    let host = match iss.split_once("://") {
        Some((_, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("");
            if host.starts_with('[') {
                host.split(']').next().map(|h| format!("{h}]"))?
            } else {
                host.split(':').next().unwrap_or("").to_owned()
            }
        }
        None => iss.to_owned(),
    };
    is_local_host(&host).then(|| iss.to_owned())
}

/// What the content of a match says about a local test use, before its path is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum LocalUse {
    /// Something rules it out: a remote endpoint, a token from a server, a file read in part.
    No,
    /// Nothing rules it out, but nothing local is named: enough for a value a test can mint, not for a key.
    NoEndpoint,
    /// The file names local endpoints only.
    LocalEndpoints,
}

/// Judge a match's content: `rule` is its rule id, `secret` the value, `ends` what its whole file names
/// (`None` when the file was read in part).
pub(crate) fn local_use(secret: &[u8], ends: Option<Endpoints>) -> LocalUse {
    let Some(ends) = ends else {
        return LocalUse::No;
    };
    if ends.remote || jwt_signing(secret) == Signing::PrivateKey {
        return LocalUse::No;
    }
    if ends.local {
        LocalUse::LocalEndpoints
    } else {
        LocalUse::NoEndpoint
    }
}

/// Whether a place at `path` with content judged `local` is a test credential, local only. `private_key`: the
/// value is a private key; `public_half`: `<path>.pub` is in the history too.
pub(crate) fn is_local_test_place(
    path: &str,
    local: LocalUse,
    private_key: bool,
    public_half: bool,
) -> bool {
    if !is_test_path(path) {
        return false;
    }
    match local {
        LocalUse::No => false,
        LocalUse::NoEndpoint => !private_key || public_half,
        LocalUse::LocalEndpoints => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_are_test_folders_and_test_file_names() {
        for p in [
            "sdk/headers_test.go",
            "spec/lib/jwt_helper_spec.rb",
            "src/test/resources/application-test.yml",
            "src/Test/Cypress/cypress.env.json",
            "app/__tests__/login.js",
            "web/login.spec.ts",
            "Tests/App/AuthenticationServiceTests.swift",
            "src/main/FooTest.java",
            "pkg/test_config.py",
            "config_test.ru",
            "Api.SubcutaneousTest/IntegrationBase.cs",
            "src/Company.Product.Tests/Settings.cs",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/main/resources/application.yml",
            "app/main.go",
            "contest/config.js",
            "testing.md",
            "Childrens-CPD-Tests/docker-compose.yaml",
            "latest/settings.py",
            "src/Testament.java",
            "Company.Product.Api/Settings.cs",
            "src/contest.rb",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }

    #[test]
    fn local_hosts_are_loopback_reserved_names_and_service_names() {
        for h in [
            "localhost",
            "127.0.0.1",
            "[::1]",
            "api.chs.local",
            "db",
            "step-nav-slug",
            "www.example.com",
            "host.docker.internal",
            "svc.test",
        ] {
            assert!(is_local_host(h), "{h}");
        }
        for h in [
            "10.0.0.5",
            "api.notifications.service.gov.uk",
            "chsurl.co",
            "my-db.database.windows.net",
            "8080",
        ] {
            assert!(!is_local_host(h), "{h}");
        }
    }

    #[test]
    fn endpoints_are_url_hosts_and_host_settings() {
        let e = |t: &str| endpoints(t.as_bytes());
        assert_eq!(e("no hosts here"), Endpoints::default());
        assert_eq!(
            e("url = \"http://localhost:8080/x\""),
            Endpoints {
                local: true,
                remote: false
            }
        );
        assert_eq!(
            e("DATABASE_URL=postgres://u:p@db:5432/x and https://api.example.gov.uk"),
            Endpoints {
                local: true,
                remote: true
            }
        );
        assert_eq!(
            e("sftp:\n  host: localhost\n  port: 22"),
            Endpoints {
                local: true,
                remote: false
            }
        );
        assert_eq!(
            e("Server=tcp:prod.database.windows.net,1433;"),
            Endpoints {
                local: false,
                remote: true
            }
        );
        assert_eq!(
            e("url: ${BASE_URL}, http://${HOST}/x, http://%s/y"),
            Endpoints::default()
        );
    }

    #[test]
    fn the_files_leading_licence_comment_names_no_endpoint() {
        let e = |t: &str| endpoints(t.as_bytes());
        let local = Endpoints {
            local: true,
            remote: false,
        };
        for text in [
            "/*\n * Licensed under the Apache License, Version 2.0\n *     http://www.apache.org/licenses/LICENSE-2.0\n */\n\npackage x\nval h = \"http://localhost:9000\"\n",
            "#!/usr/bin/env python\n# Copyright (c) https://www.gnu.org/licenses/\n#\n\nurl = 'http://localhost/x'\n",
            "// SPDX: see https://opensource.org/licenses/MIT\n// more\nconst u = 'http://db:5432'\n",
        ] {
            assert_eq!(e(text), local, "{text}");
        }
        // The same URLs anywhere after the first line of code count, and a `#define` is code.
        for text in [
            "package x\n/* http://www.apache.org/licenses/LICENSE-2.0 */\nval h = \"http://localhost\"\n",
            "#define DOCS \"https://api.service.gov.uk\"\nint x;\n",
            "/* licence */\nval api = \"https://api.service.gov.uk\"\n",
        ] {
            assert!(e(text).remote, "{text}");
        }
        // An unterminated block comment hides nothing.
        assert!(e("/* https://api.service.gov.uk").remote);
    }

    #[test]
    fn a_tokens_iss_claim_names_its_signer_not_an_endpoint() {
        let e = |t: &str| endpoints(t.as_bytes());
        for stub in [
            r#"{ "iss": "https://sign-in-dev.hmpps.service.justice.gov.uk/auth/issuer" }"#,
            r#""  \"iss\": \"https://sign-in-dev.hmpps.service.justice.gov.uk/auth/issuer\"\n" +"#,
            "iss = 'https://auth.example.gov.uk'",
        ] {
            assert_eq!(e(stub), Endpoints::default(), "{stub}");
        }
        // Any other key's URL is an endpoint, `issuer-uri` (where a client fetches keys) included.
        for other in [
            r#"{ "aud": "https://api.service.gov.uk" }"#,
            "issuer-uri: https://cognito-idp.eu-west-2.amazonaws.com/pool",
            r#"{ "boss": "https://api.service.gov.uk" }"#,
        ] {
            assert!(e(other).remote, "{other}");
        }
    }

    fn b64(s: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn a_token_signed_with_a_private_key_was_issued_by_a_server() {
        let token = |alg: &str, claims: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJl",
                b64(&format!("{{\"alg\":\"{alg}\"}}")),
                b64(claims)
            )
        };
        assert_eq!(
            jwt_signing(token("HS256", "{\"sub\":\"1\"}").as_bytes()),
            Signing::SharedKey
        );
        assert_eq!(
            jwt_signing(token("RS256", "{\"sub\":\"1\"}").as_bytes()),
            Signing::PrivateKey
        );
        assert_eq!(
            jwt_signing(token("ES256", "{}").as_bytes()),
            Signing::PrivateKey
        );
        // An unsigned token wrapping a server's token is the server's.
        let inner = token("RS256", "{\"sub\":\"1\"}");
        let outer = token("none", &format!("{{\"idToken\":\"{inner}\"}}"));
        assert_eq!(jwt_signing(outer.as_bytes()), Signing::PrivateKey);
        assert_eq!(jwt_signing(b"Xy6onkjQWF0TkRn0hfdqUw=="), Signing::NotAToken);
    }

    #[test]
    fn a_token_whose_claims_outlive_a_century_was_written_by_hand_whatever_its_alg() {
        let token = |alg: &str, claims: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJl",
                b64(&format!("{{\"alg\":\"{alg}\"}}")),
                b64(claims)
            )
        };
        let forever = "{\"iat\":1663757311,\"exp\":9999999999}";
        let hour = "{\"iat\":1663757311,\"exp\":1663760911}";
        assert_eq!(
            jwt_signing(token("RS256", forever).as_bytes()),
            Signing::SharedKey
        );
        assert_eq!(
            jwt_signing(token("RS256", hour).as_bytes()),
            Signing::PrivateKey
        );
        // Without `iat` the lifetime is unknown: judged by the signature.
        assert_eq!(
            jwt_signing(token("RS256", "{\"exp\":9999999999}").as_bytes()),
            Signing::PrivateKey
        );
    }

    #[test]
    fn a_local_issuer_is_a_local_url_or_a_one_label_name() {
        let token = |claims: &str| format!("{}.{}.c2ln", b64("{\"alg\":\"RS256\"}"), b64(claims));
        for iss in [
            "stroom",
            "http://localhost:8080/auth",
            "http://keycloak:8080/realms/dev",
        ] {
            let t = token(&format!("{{\"iss\":\"{iss}\"}}"));
            assert_eq!(local_issuer(t.as_bytes()).as_deref(), Some(iss), "{iss}");
        }
        for claims in [
            "{\"iss\":\"https://sign-in-dev.hmpps.service.justice.gov.uk/auth/issuer\"}",
            "{\"iss\":\"opg.poas.makeregister\"}",
            "{\"sub\":\"admin\"}",
        ] {
            assert_eq!(local_issuer(token(claims).as_bytes()), None, "{claims}");
        }
    }
}
