//! Where a configuration shows, by its own settings, that the run it describes is a developer's or a CI job's
//! stack, not a deployment. Three properties, each read from the file's settings (flat `KEY=value` lines, a
//! shell block of `export KEY=value`, YAML and HOCON blocks alike), never from the value:
//!
//! 1. [`presented_to_a_local_service`]: the credential belongs to a service the same file **locates**, and
//!    every location it gives that service is local. The service is named by the setting's block
//!    (`internal-auth.token` → `internal-auth`, whose `host = localhost` is set elsewhere in the file) or by the
//!    first word of a flat name (`KEYCLOAK_CLIENT_SECRET` → `KEYCLOAK_BASE_URI=http://localhost:8080`,
//!    `DB_PASSWORD` → `DB_HOST=localhost`). A local location alone is not enough — a production server's
//!    database is often on `localhost` too — so the place must also be a local run by one of:
//!    - the file is a **CI pipeline** (`.github/workflows/`, `.gitlab-ci.yml`, …): a job runs on a throw-away
//!      runner, and `localhost` there is a service the job itself started;
//!    - the file names itself a local profile (`application-local.yml`) and is not a test's;
//!    - the file is a **local stack**: a configuration that places at least [`STACK_SERVICES`] services by
//!      host, every one of them on this machine (a developer's layout, each service on its own port), and no
//!      connection URL elsewhere.
//! 2. [`own_key_of_a_development_run`]: the setting is the application's own key, and the file declares its
//!    run a development one (`FLASK_ENV=development`, `APP_ENV=local`, a debug switch on: `FLASK_DEBUG=True`)
//!    while naming no remote endpoint; an
//!    in-process store (`REDIS_URL=memory://`) is local.
//! 3. The same own key in a **Compose stack that reaches nothing outside itself**: every host the file names
//!    is a service the file itself defines (`DB_HOSTNAME: db`, `redis://redis:6379`) or loopback. The key
//!    protects the data of containers the file starts. In such a stack a credential presented to a service
//!    the file locates (property 1: `KEYCLOAK_CLIENT_SECRET` beside `KEYCLOAK_SERVER_URL:
//!    http://keycloak:8080`) opens a container the same file starts from a public image, with the passwords
//!    the file gives it; nothing else holds that credential.
//!
//! In every case a file that declares a deployed environment (`RAILS_ENV=production`, `ENVIRONMENT=staging`)
//! is no local run. An own key here is a setting named as an environment variable whose words, after the
//! framework's own namespace (the `RAILS` of the file's `RAILS_ENV`), only say it is a key (`SECRET_KEY`,
//! `SECRET_KEY_BASE`, `RAILS_MASTER_KEY`), or one [`super::local_run`] already calls an own key. Like the
//! other context modules, these apply only to rules that name no service ([`super::rule_names_no_service`]).

use super::local_run::{
    CREDENTIAL_WORDS, KEY_WORDS, is_config_file, names_itself_local, names_own_key,
};
use super::{endpoints, hosts_named, is_local_host, is_test_path, leading_comment_len, url_hosts};
use crate::safety::samples::identifier_words;

/// How many services a configuration must place by host, all on this machine, to be a local stack.
pub(crate) const STACK_SERVICES: usize = 3;

/// URL schemes whose "host" is the process itself or its own disk: an in-process store names no server.
const IN_PROCESS_SCHEMES: &[&str] = &["memory", "mem", "sqlite", "sqlite3", "file", "inproc", "vm"];

/// Words that end the name of a setting giving a service's location.
const LOCATION_WORDS: &[&str] = &[
    "host", "hostname", "url", "uri", "endpoint", "server", "address", "addr",
];

/// Words that end the name of a setting giving a service's host (not a link: a URL setting may be a page).
const HOST_WORDS: &[&str] = &["host", "hostname", "server", "endpoint"];

/// Environment names that only a developer's machine or a test run uses.
const DEVELOPMENT_NAMES: &[&str] = &["dev", "development", "local", "test", "testing", "ci"];

/// Environment names of deployments.
const DEPLOYED_NAMES: &[&str] = &[
    "production",
    "prod",
    "live",
    "staging",
    "stage",
    "preprod",
    "pre-production",
    "uat",
];

/// One setting of a configuration file.
#[derive(Debug, Clone)]
struct Setting {
    /// The keys of the blocks it is nested in, then its own key, split at `.`, in lower case.
    path: Vec<String>,
    /// Its own key as written (`KEYCLOAK_CLIENT_SECRET`).
    key: String,
    /// Where its value is in the file.
    value: (usize, usize),
}

impl Setting {
    fn last_words(&self) -> Vec<String> {
        identifier_words(self.path.last().map_or(&b""[..], |k| k.as_bytes()))
    }

    fn value<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        &text[self.value.0..self.value.1]
    }
}

/// The settings of `text`, nested by indentation and `{` blocks: `key: value`, `key = value`,
/// `export KEY=value`, `- key: value`. A key with an empty value, `{`, `|` or `>` opens a block.
fn settings(text: &[u8]) -> Vec<Setting> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, Vec<String>)> = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = text[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| start + i);
        read_line(text, start, end, &mut stack, &mut out);
        start = end + 1;
    }
    out
}

/// Read the line `start..end` of `text` into `out`, keeping the open blocks in `stack`.
fn read_line(
    text: &[u8],
    start: usize,
    end: usize,
    stack: &mut Vec<(usize, Vec<String>)>,
    out: &mut Vec<Setting>,
) {
    let line = &text[start..end];
    let indent = line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let mut at = indent;
    // `export KEY=value` in a shell block, `ENV KEY=value` in a Dockerfile written by the same step.
    for prefix in [&b"- "[..], b"export ", b"ENV "] {
        if line[at..].starts_with(prefix) {
            at += prefix.len();
        }
    }
    let rest = &line[at..];
    if rest.is_empty() || rest.starts_with(b"#") || rest.starts_with(b"//") {
        return;
    }
    let Some(sep) = rest.iter().position(|b| matches!(b, b':' | b'=' | b'{')) else {
        return;
    };
    let key = trim_quotes(rest[..sep].trim_ascii());
    let key_ok = !key.is_empty()
        && key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    // `key:` is followed by a blank or the end of the line (`http://x` and `a:b` set nothing).
    let yaml_colon_ok = rest[sep] != b':' || rest.get(sep + 1).is_none_or(u8::is_ascii_whitespace);
    if !key_ok || !yaml_colon_ok {
        return;
    }
    let mut value_start = at + sep + 1;
    while value_start < line.len() && matches!(line[value_start], b' ' | b'\t') {
        value_start += 1;
    }
    let value = line[value_start..].trim_ascii_end();
    while stack.last().is_some_and(|(i, _)| *i >= indent) {
        stack.pop();
    }
    let segments: Vec<String> = key
        .split(|b| *b == b'.')
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).to_ascii_lowercase())
        .collect();
    let opens = rest[sep] == b'{'
        || value.is_empty()
        || value.starts_with(b"{")
        || value.starts_with(b"|")
        || value.starts_with(b">");
    if opens {
        stack.push((indent, segments));
        return;
    }
    let mut path: Vec<String> = stack.iter().flat_map(|(_, k)| k.iter().cloned()).collect();
    path.extend(segments);
    out.push(Setting {
        path,
        key: String::from_utf8_lossy(key).into_owned(),
        value: (start + value_start, start + value_start + value.len()),
    });
}

/// `s` without the quotes around it.
fn trim_quotes(s: &[u8]) -> &[u8] {
    let quote = |b: &u8| matches!(b, b'"' | b'\'');
    let start = s.iter().position(|b| !quote(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !quote(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// Where a location setting's value places its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// On this machine (loopback, a reserved or one-label name, an in-process scheme).
    Local,
    /// Elsewhere.
    Remote,
    /// A template filled in where the file is loaded (`${HOST}`, `%s`): anywhere.
    Template,
    /// Nothing a reader can place: a port, a placeholder text (`[url of service]`), an empty value.
    Nothing,
}

/// Where the location `value` (`http://localhost:8080`, `localhost:9000`, `db`, `"${HOST}"`) points.
fn place_of(value: &[u8]) -> Place {
    // A trailing comment is not part of the value.
    let value = match value.windows(2).position(|w| w == b" #") {
        Some(i) => &value[..i],
        None => value,
    };
    let value = value.trim_ascii();
    let value = trim_quotes(value.strip_suffix(b",").unwrap_or(value).trim_ascii());
    if value.iter().any(|b| matches!(b, b'$' | b'{' | b'%' | b'<')) {
        return Place::Template;
    }
    if let Some(sep) = value.windows(3).position(|w| w == b"://") {
        let named = hosts_named(value);
        let scheme = String::from_utf8_lossy(&value[..sep]).to_ascii_lowercase();
        let host_empty = value[sep + 3..].first().is_none_or(|b| *b == b'/');
        return if named.remote {
            Place::Remote
        } else if named.local || (host_empty && IN_PROCESS_SCHEMES.contains(&scheme.as_str())) {
            Place::Local
        } else {
            Place::Nothing
        };
    }
    let host_len = value
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        .count();
    let host = &value[..host_len];
    if host.is_empty() || host.iter().all(u8::is_ascii_digit) {
        return Place::Nothing;
    }
    if is_local_host(&String::from_utf8_lossy(host)) {
        Place::Local
    } else {
        Place::Remote
    }
}

/// Whether `words` (a setting's last key, split) name a location, and only a location when `pure`
/// (`host`, `base-url`; not `keycloak_base_uri`).
fn names_location(words: &[String], pure: bool) -> bool {
    let is_location = |w: &String| LOCATION_WORDS.contains(&w.as_str());
    words.last().is_some_and(is_location)
        && (!pure || words.iter().all(|w| is_location(w) || w == "base"))
}

/// The places the file gives the service `setting` belongs to: location settings in the block it names
/// (`internal-auth.token` → `…internal-auth.host`) or sharing the first word of its flat name
/// (`KEYCLOAK_CLIENT_SECRET` → `KEYCLOAK_BASE_URI`).
fn service_places(text: &[u8], all: &[Setting], setting: &Setting) -> Vec<Place> {
    let n = setting.path.len();
    let block = (n >= 2).then(|| setting.path[n - 2].as_str());
    let words = setting.last_words();
    let not_a_service = |w: &str| KEY_WORDS.contains(&w) || CREDENTIAL_WORDS.contains(&w);
    let flat = (words.len() >= 2 && !not_a_service(&words[0])).then(|| words[0].as_str());
    all.iter()
        .filter(|other| other.value != setting.value)
        .filter(|other| {
            let m = other.path.len();
            let last = other.last_words();
            let nested = block.is_some_and(|b| m >= 2 && other.path[m - 2] == b)
                && names_location(&last, true);
            let shares_name = flat.is_some_and(|f| last.len() >= 2 && last[0] == f)
                && names_location(&last, false);
            nested || shares_name
        })
        .map(|other| place_of(other.value(text)))
        .collect()
}

/// Whether `path` is a CI pipeline definition: its jobs run on throw-away runners.
fn is_ci_pipeline(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    (yaml && (lower.starts_with(".github/workflows/") || lower.starts_with(".circleci/")))
        || matches!(
            name,
            ".gitlab-ci.yml"
                | ".travis.yml"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
                | ".drone.yml"
        )
}

/// What a file declares of the environment it runs: `*_ENV`, `*_ENVIRONMENT`, `ENVIRONMENT` settings.
#[derive(Debug, Default)]
struct Declared {
    /// Some setting names a development or test environment.
    development: bool,
    /// Some setting names a deployed environment.
    deployed: bool,
    /// The namespaces of those settings (`rails` of `RAILS_ENV`): the framework running the application.
    namespaces: Vec<String>,
}

fn declared(text: &[u8], all: &[Setting]) -> Declared {
    let mut found = Declared::default();
    for setting in all {
        let words = setting.last_words();
        let value = String::from_utf8_lossy(trim_quotes(setting.value(text).trim_ascii()))
            .to_ascii_lowercase();
        let value = value.split_whitespace().next().unwrap_or("");
        // A debug switch turned on (`FLASK_DEBUG=True`, `DEBUG=1`) declares a development run too.
        if words.last().is_some_and(|w| w == "debug") && words.len() <= 2 {
            if matches!(value, "true" | "1" | "yes" | "on") {
                found.development = true;
                if words.len() == 2 {
                    found.namespaces.push(words[0].clone());
                }
            }
            continue;
        }
        if !words
            .last()
            .is_some_and(|w| w == "env" || w == "environment")
        {
            continue;
        }
        let development = DEVELOPMENT_NAMES.contains(&value);
        let deployed = DEPLOYED_NAMES.contains(&value);
        found.development |= development;
        found.deployed |= deployed;
        if words.len() == 2 && !value.is_empty() {
            found.namespaces.push(words[0].clone());
        }
    }
    found
}

/// Whether the file places at least [`STACK_SERVICES`] services by host, all on this machine, and gives no
/// connection URL (a scheme other than `http`/`https`: a database, a queue) elsewhere.
fn is_local_stack(text: &[u8], all: &[Setting]) -> bool {
    let mut services = std::collections::BTreeSet::new();
    for setting in all {
        let value = setting.value(text);
        let last = setting.last_words();
        let by_host = last
            .last()
            .is_some_and(|w| HOST_WORDS.contains(&w.as_str()));
        let connection_url = connection_scheme(value).is_some_and(|s| s != "http" && s != "https");
        if !(by_host || connection_url) {
            continue;
        }
        match place_of(value) {
            Place::Local if by_host => {
                let n = setting.path.len();
                let service = if n >= 2 && last.len() == 1 {
                    setting.path[n - 2].clone()
                } else {
                    last[0].clone()
                };
                services.insert(service);
            }
            Place::Local | Place::Nothing if !by_host => {}
            _ => return false,
        }
    }
    services.len() >= STACK_SERVICES
}

/// Whether a PEM private key starts at `start`: a key pair's private half is never presented to a service
/// nor an application's shared key, and none of this module drops it.
fn is_private_key_at(text: &[u8], start: usize) -> bool {
    text.get(start..)
        .is_some_and(|t| t.starts_with(b"-----BEGIN"))
}

/// The scheme of the URL a value *is* (`mongodb://…`, `"redis://…"`), in lower case; `None` for a value that is
/// no URL, or only holds one among other words (a CSP directive listing `https://…` sources).
fn connection_scheme(value: &[u8]) -> Option<String> {
    let value = trim_quotes(value.trim_ascii());
    let sep = value.windows(3).position(|w| w == b"://")?;
    let scheme = &value[..sep];
    let is_scheme = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    is_scheme.then(|| String::from_utf8_lossy(scheme).to_ascii_lowercase())
}

/// The setting whose value holds byte `start`.
fn setting_at(all: &[Setting], start: usize) -> Option<&Setting> {
    all.iter()
        .find(|s| s.value.0 <= start && start < s.value.1.max(s.value.0 + 1))
}

/// Whether the credential at `start` of the file at `path` is presented only to a local service, in a place
/// that is a local run (see the module's documentation, property 1).
pub(crate) fn presented_to_a_local_service(path: &str, text: &[u8], start: usize) -> bool {
    if is_test_path(path) || is_private_key_at(text, start) {
        // A test's file is judged by its context of use (`super::is_local_test_place`) and listed.
        return false;
    }
    let all = settings(text);
    let Some(setting) = setting_at(&all, start) else {
        return false;
    };
    let places = service_places(text, &all, setting);
    if places.is_empty() || places.iter().any(|p| *p != Place::Local) {
        return false;
    }
    if declared(text, &all).deployed {
        return false;
    }
    if let Some(services) = compose_services(path, text) {
        // A Compose stack that reaches nothing outside itself: the service is a container the file starts.
        return reaches_only_itself(text, &all, &services);
    }
    is_ci_pipeline(path)
        || (is_config_file(path) && names_itself_local(path))
        || (is_config_file(path) && is_local_stack(text, &all))
}

/// Whether `setting` is the application's own key: named so by [`names_own_key`], or an environment
/// variable (`UPPER_SNAKE`) whose words after the framework's namespace only say it is a key.
fn is_own_key(setting: &Setting, namespaces: &[String]) -> bool {
    let all_words: Vec<String> = setting
        .path
        .iter()
        .flat_map(|s| identifier_words(s.as_bytes()))
        .collect();
    if names_own_key(&all_words) {
        return true;
    }
    let env_var = setting
        .key
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let mut words = setting.last_words();
    if words.len() > 1 && namespaces.contains(&words[0]) {
        words.remove(0);
    }
    env_var
        && words.iter().any(|w| w == "secret" || w == "key")
        && words
            .iter()
            .all(|w| KEY_WORDS.contains(&w.as_str()) || w == "base" || w == "master")
}

/// Whether `path` is a file of environment settings (`.env`, `.flaskenv`, `.env.development`).
fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with('.') && name.contains("env") && !name.ends_with(".example")
}

/// Whether the file declares a deployed environment (`RAILS_ENV=production`, `ENVIRONMENT: staging`).
pub(super) fn declares_deployment(text: &[u8]) -> bool {
    declared(text, &settings(text)).deployed
}

/// Whether the file is a Compose file: a YAML file with a top-level `services:` block.
pub(super) fn compose_services(path: &str, text: &[u8]) -> Option<Vec<String>> {
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".yml") || lower.ends_with(".yaml")) {
        return None;
    }
    let mut in_services = false;
    let mut child_indent = None;
    let mut names = Vec::new();
    let mut found = false;
    for line in text.split(|b| *b == b'\n') {
        let indent = line.iter().take_while(|b| *b == &b' ').count();
        let body = line[indent..].trim_ascii_end();
        if body.is_empty() || body.starts_with(b"#") {
            continue;
        }
        if indent == 0 {
            in_services = body == b"services:";
            found |= in_services;
            continue;
        }
        if in_services
            && *child_indent.get_or_insert(indent) == indent
            && let Some(name) = body.strip_suffix(b":")
        {
            names.push(String::from_utf8_lossy(trim_quotes(name)).to_ascii_lowercase());
        }
    }
    found.then_some(names)
}

/// Whether every host the Compose file names is loopback, a reserved name, or one of its own `services`, and
/// it names at least one.
fn reaches_only_itself(text: &[u8], all: &[Setting], services: &[String]) -> bool {
    let own = |host: &str| {
        let host = host.to_ascii_lowercase();
        services.contains(&host)
            || (host.contains('.') || host == "localhost") && is_local_host(&host)
    };
    let body = &text[leading_comment_len(text)..];
    let mut any = false;
    for host in url_hosts(body) {
        let host = String::from_utf8_lossy(host);
        if !own(&host) {
            return false;
        }
        any = true;
    }
    for setting in all {
        if !names_location(&setting.last_words(), false) {
            continue;
        }
        let value = trim_quotes(setting.value(text).trim_ascii());
        if place_of(value) == Place::Template {
            return false;
        }
        if value.windows(3).any(|w| w == b"://") {
            continue;
        }
        let len = value
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count();
        if len == 0 || value[..len].iter().all(u8::is_ascii_digit) {
            continue;
        }
        if !own(&String::from_utf8_lossy(&value[..len])) {
            return false;
        }
        any = true;
    }
    any
}

/// Whether the value at `start` of the file at `path` is the application's own key in a declared
/// development run or a Compose stack that reaches nothing outside itself (see the module's documentation,
/// properties 2 and 3).
pub(crate) fn own_key_of_a_development_run(path: &str, text: &[u8], start: usize) -> bool {
    if is_test_path(path) || is_private_key_at(text, start) {
        return false;
    }
    let all = settings(text);
    let Some(setting) = setting_at(&all, start) else {
        return false;
    };
    let env = declared(text, &all);
    if env.deployed || !is_own_key(setting, &env.namespaces) {
        return false;
    }
    if let Some(services) = compose_services(path, text) {
        return reaches_only_itself(text, &all, &services);
    }
    (is_config_file(path) || is_env_file(path))
        && env.development
        && !endpoints(text).remote
        && places_nothing_elsewhere(text, &all)
}

/// Whether no location setting of the file places a service elsewhere or leaves it to a template.
fn places_nothing_elsewhere(text: &[u8], all: &[Setting]) -> bool {
    all.iter()
        .filter(|s| names_location(&s.last_words(), false))
        .all(|s| matches!(place_of(s.value(text)), Place::Local | Place::Nothing))
}

#[cfg(test)]
mod tests;
