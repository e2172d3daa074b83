//! The contract check: Stoplight Prism serving GitHub's official OpenAPI description, in validating mode.
//!
//! [`Prism::start`] runs `prism mock <api.github.com.json> --errors` (both from npm, installed in `tools/` by
//! `npm ci --prefix tools`, which `.ci/run` does) on a free port of 127.0.0.1 and waits until it answers.
//! [`Prism::assert_conforms`] replays requests keepopen made to the fake GitHub (method, path and query,
//! `Authorization`, the JSON body with `Content-Type: application/json`) and fails, naming each request and
//! Prism's message, when GitHub's description does not accept the path, the method, a query parameter or the body.
//!
//! How Prism's answer is read:
//! - `404` `NO_PATH_MATCHED_ERROR` and `405` `NO_METHOD_MATCHED_ERROR` (problem+json): the route is not in the
//!   description;
//! - violations whose location starts with `request`, `query`, `path`, `header` or `body` — in Prism's own
//!   `422` problem+json `validation` list, or in the `sl-violations` header when the description has a `422`
//!   example that Prism answers with instead: the request breaks the description;
//! - violations located in `response` only are Prism's: in mock mode it answers with the description's own
//!   examples, and several of them miss fields the same description marks required (a repository's `language`,
//!   `has_discussions`). They say nothing about keepopen's request and are ignored;
//! - any other Prism error (an unknown problem type) fails too: the request could not be confirmed.
//!
//! Paths whose parameter holds `/`: GitHub's description flags such parameters `x-multi-segment: true` (a
//! contents `path`, a `ref`, a `tag`, a `basehead`). Prism routes a path segment by segment and cannot match
//! `/repos/o/r/git/ref/heads/main` to `/repos/{owner}/{repo}/git/ref/{ref}` (it answers `NO_PATH_MATCHED`). So the
//! path is first matched here against the description's templates, and inside a multi-segment parameter `/` is
//! sent as `%2F`; Prism then routes it and checks everything else (method, other parameters, body). Only
//! parameters the description itself marks multi-segment are treated so.
//!
//! Requests GitHub serves but its description omits are listed in [`UNDOCUMENTED`] with the reason; they are
//! reported, not sent, and a test proves Prism still refuses each (so the list cannot outlive its reason).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::github_api::Recorded;

/// Routes GitHub answers that its OpenAPI description does not list: `(method, template, why keepopen calls it)`.
pub const UNDOCUMENTED: &[(&str, &str, &str)] = &[(
    "GET",
    "/repositories/{id}",
    "GitHub's own 301 for a renamed or transferred repository points here (`Location`); the REST description \
     does not list the route",
)];

/// How long Prism may take to load the 13 MB description: 8 s on an idle machine, 20-50 s here while other builds
/// ran; a busy CI machine may be slower still.
const STARTUP: Duration = Duration::from_secs(300);

/// The tools directory, its Prism binary and GitHub's description.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools")
}

pub fn prism_bin() -> PathBuf {
    tools_dir().join("node_modules/.bin/prism")
}

pub fn description_path() -> PathBuf {
    tools_dir().join("node_modules/@octokit/openapi/generated/api.github.com.json")
}

/// One path template of the description: its segments, and which parameters may hold `/`.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: String,
    pub methods: BTreeSet<String>,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter { name: String, multi: bool },
}

/// Where a recorded path landed among the templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub template: String,
    /// The path to send Prism: percent-encoded, `/` inside a multi-segment parameter as `%2F`.
    pub path: String,
}

impl Template {
    fn parse(text: &str, multi: &BTreeSet<String>, methods: BTreeSet<String>) -> Template {
        let segments = text
            .trim_start_matches('/')
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Parameter {
                        name: name.to_owned(),
                        multi: multi.contains(name),
                    },
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        Template {
            text: text.to_owned(),
            methods,
            segments,
        }
    }

    fn literals(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }

    /// Match decoded path segments; on success, the encoded path to send.
    fn route(&self, path: &[&str]) -> Option<String> {
        let mut out = Vec::new();
        if self.matches(&self.segments, path, &mut out) {
            Some(format!("/{}", out.join("/")))
        } else {
            None
        }
    }

    fn matches(&self, template: &[Segment], path: &[&str], out: &mut Vec<String>) -> bool {
        let Some((first, rest)) = template.split_first() else {
            return path.is_empty();
        };
        match first {
            Segment::Literal(literal) => {
                if path.first() != Some(&literal.as_str()) {
                    return false;
                }
                out.push(encode_segment(literal));
                let mark = out.len();
                if self.matches(rest, &path[1..], out) {
                    return true;
                }
                out.truncate(mark - 1);
                false
            }
            Segment::Parameter { multi, .. } => {
                let most = if *multi {
                    path.len()
                } else {
                    1.min(path.len())
                };
                // Longest first: a multi-segment parameter usually ends the template.
                for take in (1..=most).rev() {
                    if path[..take].iter().any(|s| s.is_empty()) {
                        continue;
                    }
                    let value: Vec<String> =
                        path[..take].iter().map(|s| encode_segment(s)).collect();
                    out.push(value.join("%2F"));
                    if self.matches(rest, &path[take..], out) {
                        return true;
                    }
                    out.pop();
                }
                false
            }
        }
    }
}

/// Percent-encode one path segment (RFC 3986 unreserved characters and a few sub-delimiters stay).
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The path templates of GitHub's description, with the multi-segment parameters it flags.
#[derive(Debug, Clone)]
pub struct Description {
    pub templates: Vec<Template>,
}

impl Description {
    pub fn load(path: &Path) -> Result<Description, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let document: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        Description::from_document(&document).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn from_document(document: &Value) -> Result<Description, String> {
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("no `paths` object")?;
        let components = document.pointer("/components/parameters");
        let resolve = |parameter: &Value| -> Option<Value> {
            match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.strip_prefix("#/components/parameters/")?;
                    components?.get(name).cloned()
                }
                None => Some(parameter.clone()),
            }
        };
        let mut templates = Vec::new();
        for (text, item) in paths {
            let mut multi = BTreeSet::new();
            let mut methods = BTreeSet::new();
            let Some(item) = item.as_object() else {
                return Err(format!("path {text} is not an object"));
            };
            for (key, operation) in item {
                let parameters: Vec<&Value> = if key == "parameters" {
                    operation.as_array().into_iter().flatten().collect()
                } else {
                    methods.insert(key.to_ascii_uppercase());
                    operation
                        .get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .collect()
                };
                for parameter in parameters.into_iter().filter_map(resolve) {
                    let in_path = parameter.get("in").and_then(Value::as_str) == Some("path");
                    let flagged =
                        parameter.get("x-multi-segment").and_then(Value::as_bool) == Some(true);
                    if in_path
                        && flagged
                        && let Some(name) = parameter.get("name").and_then(Value::as_str)
                    {
                        multi.insert(name.to_owned());
                    }
                }
            }
            methods.remove("PARAMETERS");
            templates.push(Template::parse(text, &multi, methods));
        }
        Ok(Description { templates })
    }

    /// The template a decoded path belongs to, and the encoded path to send. Templates that have the method come
    /// first, then those with more literal segments (so `/repos/{o}/{r}/git/refs` beats a catch-all parameter).
    pub fn route(&self, method: &str, path: &str) -> Option<Routed> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut candidates: Vec<&Template> = self.templates.iter().collect();
        candidates.sort_by_key(|t| {
            (
                std::cmp::Reverse(t.methods.contains(method)),
                std::cmp::Reverse(t.literals()),
            )
        });
        candidates.into_iter().find_map(|t| {
            t.route(&segments).map(|encoded| Routed {
                template: t.text.clone(),
                path: encoded,
            })
        })
    }
}

/// The exception in [`UNDOCUMENTED`] a request falls under, if any.
pub fn undocumented(
    method: &str,
    path: &str,
) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    UNDOCUMENTED.iter().find(|(m, template, _)| {
        *m == method
            && Template::parse(template, &BTreeSet::new(), BTreeSet::new())
                .route(&segments)
                .is_some()
    })
}

/// Prism's judgement of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Accepted; `ignored` holds Prism's complaints about its own example responses.
    Conforms { status: u16, ignored: Vec<String> },
    /// Refused: the status and each violation.
    Violates { status: u16, problems: Vec<String> },
}

/// A request as sent to Prism.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Replay {
    pub method: String,
    /// Path (encoded) and query.
    pub target: String,
    pub authorization: Option<String>,
    pub body: String,
}

impl Replay {
    /// What to send for a recorded request: the path routed through the description's templates where one
    /// matches (multi-segment parameters encoded), else the path encoded segment by segment.
    pub fn of(description: &Description, r: &Recorded) -> Replay {
        let path = match description.route(&r.method, &r.path) {
            Some(routed) => routed.path,
            None => {
                let encoded: Vec<String> = r
                    .path
                    .trim_start_matches('/')
                    .split('/')
                    .map(encode_segment)
                    .collect();
                format!("/{}", encoded.join("/"))
            }
        };
        let target = if r.query.is_empty() {
            path
        } else {
            format!("{path}?{}", r.query)
        };
        Replay {
            method: r.method.clone(),
            target,
            authorization: r.authorization.clone(),
            body: r.body.clone(),
        }
    }
}

/// Read Prism's answer into a judgement (pure, so it is tested on its own).
pub fn judge(
    status: u16,
    violations_header: Option<&str>,
    content_type: &str,
    body: &str,
) -> Judgement {
    let mut problems = Vec::new();
    let mut violations: Vec<Value> = Vec::new();
    if let Some(header) = violations_header {
        match serde_json::from_str::<Value>(header) {
            Ok(Value::Array(list)) => violations.extend(list),
            Ok(other) => problems.push(format!("unreadable sl-violations header: {other}")),
            Err(e) => problems.push(format!("unreadable sl-violations header ({e}): {header}")),
        }
    }
    if content_type.starts_with("application/problem+json") {
        match serde_json::from_str::<Value>(body) {
            Ok(problem) => {
                let kind = problem.get("type").and_then(Value::as_str).unwrap_or("");
                let kind = kind.rsplit('#').next().unwrap_or(kind).to_owned();
                if let Some(Value::Array(list)) = problem.get("validation") {
                    violations.extend(list.iter().cloned());
                }
                if kind != "VIOLATIONS" && kind != "UNPROCESSABLE_ENTITY" {
                    let title = problem.get("title").and_then(Value::as_str).unwrap_or("");
                    let detail = problem.get("detail").and_then(Value::as_str).unwrap_or("");
                    problems.push(format!("{kind}: {title}. {detail}"));
                }
            }
            Err(e) => problems.push(format!("unreadable problem+json ({e}): {body}")),
        }
    }
    let mut ignored = Vec::new();
    for v in &violations {
        let location: Vec<&str> = v
            .get("location")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let message = v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("(no message)");
        let severity = v.get("severity").and_then(Value::as_str).unwrap_or("Error");
        let line = format!("{severity} at {}: {message}", location.join("."));
        if location.first() != Some(&"response") && severity == "Error" {
            problems.push(line);
        } else {
            ignored.push(line);
        }
    }
    if problems.is_empty() {
        Judgement::Conforms { status, ignored }
    } else {
        Judgement::Violates { status, problems }
    }
}

/// A running Prism. Dropping it stops it.
pub struct Prism {
    /// `127.0.0.1:<port>`.
    pub address: String,
    pub description: Description,
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What to do when the tools are not installed.
pub const INSTALL_HELP: &str = "help: install the contract-test tools with `npm ci --prefix tools` (Node.js 18 or \
     later; `.ci/run` does this): @stoplight/prism-cli and @octokit/openapi, pinned in tools/package-lock.json";

impl Prism {
    /// Start Prism on a free loopback port and wait until it answers. Panics, with how to install them, when the
    /// tools are missing, and with Prism's log when it does not come up.
    pub fn start() -> Prism {
        let bin = prism_bin();
        let spec = description_path();
        for needed in [&bin, &spec] {
            assert!(
                needed.exists(),
                "the contract test needs {}, which is missing\n{INSTALL_HELP}",
                needed.display()
            );
        }
        let description = Description::load(&spec).unwrap_or_else(|e| panic!("{e}"));
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port on 127.0.0.1")
            .port();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("prism.log");
        let log_file = std::fs::File::create(&log).unwrap();
        let child = Command::new(&bin)
            .arg("mock")
            .arg(&spec)
            .args(["--errors", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .args(["--verboseLevel", "warn"])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}\n{INSTALL_HELP}", bin.display()));
        let mut prism = Prism {
            address: format!("127.0.0.1:{port}"),
            description,
            child,
            log,
            _dir: dir,
        };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!(
                    "prism exited ({status}) before answering:\n{}",
                    prism.log_tail()
                );
            }
            if prism.send_raw("GET", "/rate_limit", None, "").is_ok() {
                break;
            }
            assert!(
                started.elapsed() < STARTUP,
                "prism did not answer on {} within {STARTUP:?}:\n{}",
                prism.address,
                prism.log_tail()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        eprintln!(
            "prism: serving {} on {} after {:.1} s",
            spec.display(),
            prism.address,
            started.elapsed().as_secs_f64()
        );
        prism
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Send one request; `(status, sl-violations, content-type, body)`.
    fn send_raw(
        &self,
        method: &str,
        target: &str,
        authorization: Option<&str>,
        body: &str,
    ) -> std::io::Result<(u16, Option<String>, String, String)> {
        let mut stream = TcpStream::connect(&self.address)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut request = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nConnection: close\r\n\
             User-Agent: keepopen-contract-test\r\n",
            self.address
        );
        if let Some(authorization) = authorization {
            let _ = write!(request, "Authorization: {authorization}\r\n");
        }
        if !body.is_empty() {
            request.push_str("Content-Type: application/json\r\n");
        }
        let _ = write!(request, "Content-Length: {}\r\n\r\n{body}", body.len());
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        parse_response(&raw).ok_or_else(|| {
            std::io::Error::other(format!(
                "unreadable HTTP answer: {}",
                String::from_utf8_lossy(&raw)
            ))
        })
    }

    /// Replay one request and judge Prism's answer.
    pub fn check(&self, replay: &Replay) -> Judgement {
        let (status, violations, content_type, body) = self
            .send_raw(
                &replay.method,
                &replay.target,
                replay.authorization.as_deref(),
                &replay.body,
            )
            .unwrap_or_else(|e| {
                panic!(
                    "prism stopped answering ({e}) on {replay:?}:\n{}",
                    self.log_tail()
                )
            });
        judge(status, violations.as_deref(), &content_type, &body)
    }

    /// Replay every request (identical ones once) and panic with each that GitHub's description refuses.
    /// Returns the [`UNDOCUMENTED`] routes the requests used (once each, with an example and the reason), so a
    /// test can show them.
    pub fn assert_conforms(&self, requests: &[Recorded]) -> Vec<String> {
        assert!(
            !requests.is_empty(),
            "no request to check: the flow made none"
        );
        let mut seen = BTreeSet::new();
        let mut failures = Vec::new();
        let mut exceptions = std::collections::BTreeMap::new();
        for r in requests {
            if let Some((method, template, why)) = undocumented(&r.method, &r.path) {
                exceptions
                    .entry(format!("{method} {template}"))
                    .or_insert_with(|| format!("{method} {template} (e.g. {}): {why}", r.path));
                continue;
            }
            let replay = Replay::of(&self.description, r);
            if !seen.insert(replay.clone()) {
                continue;
            }
            if let Judgement::Violates { status, problems } = self.check(&replay) {
                failures.push(format!(
                    "{} {} (sent as {}; body {})\n  prism {status}:\n    {}",
                    r.method,
                    if r.query.is_empty() {
                        r.path.clone()
                    } else {
                        format!("{}?{}", r.path, r.query)
                    },
                    replay.target,
                    if r.body.is_empty() { "none" } else { &r.body },
                    problems.join("\n    ")
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} distinct requests break GitHub's REST description:\n{}",
            failures.len(),
            seen.len(),
            failures.join("\n")
        );
        exceptions.into_values().collect()
    }
}

/// Split a raw HTTP/1.1 answer (Content-Length, chunked or read to close).
fn parse_response(raw: &[u8]) -> Option<(u16, Option<String>, String, String)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut violations = None;
    let mut content_type = String::new();
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "sl-violations" => violations = Some(value.to_owned()),
            "content-type" => content_type = value.to_owned(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    let mut body = raw[end + 4..].to_vec();
    if chunked {
        let mut decoded = Vec::new();
        let mut rest = body.as_slice();
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            decoded.extend_from_slice(rest.get(..size)?);
            rest = rest.get(size + 2..)?;
        }
        body = decoded;
    }
    Some((
        status,
        violations,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    ))
}
