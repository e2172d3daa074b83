//! A GitHub-shaped REST API on 127.0.0.1 for tests: an in-memory model of accounts and repositories served the
//! way GitHub serves them, with fault injection and a request log.
//!
//! Served (GET only unless noted):
//! - `/orgs/{org}/repos`, `/users/{user}/repos` — `page`/`per_page` (default 30, max 100), `Link` with
//!   `next`/`last`/`first`/`prev`, a strong `ETag` per page, `304` on a matching `If-None-Match`;
//! - `/repos/{owner}/{repo}` — 200, or 301 to `/repositories/{id}` for a former name, 404 when gone or unknown,
//!   451 with a `block` for a legal block, 500 for a broken repo;
//! - `/repositories/{id}`, `/repos/{owner}/{repo}/license` (404 when the repo has no licence);
//! - `/rate_limit`;
//! - writes, once [`FakeGitHub::accept_writes`] names a git root: `POST /orgs/{org}/repos` (201; creates an
//!   empty bare repository on disk for the git server, 422 if the name is taken), `PATCH /repos/{o}/{r}`
//!   (description, homepage, default_branch, archived), `PUT /repos/{o}/{r}/topics` (`{names}`, replaces all),
//!   `PUT /repos/{o}/{r}/actions/permissions` (`{enabled}`, 204). Request bodies are logged.
//!
//! - a control repository, once [`FakeGitHub::add_control_repo`] names one (files per commit in memory, no git):
//!   `GET`/`POST /repos/{o}/{r}/pulls` (`state`, `head=owner:branch`), `GET`/`PATCH /repos/{o}/{r}/pulls/{n}`,
//!   `GET /repos/{o}/{r}/pulls/{n}/reviews`, `PUT /repos/{o}/{r}/issues/{n}/labels`,
//!   `GET /repos/{o}/{r}/git/ref/heads/{branch}`, `POST /repos/{o}/{r}/git/refs`,
//!   `PATCH /repos/{o}/{r}/git/refs/heads/{branch}` (`force`), `GET`/`PUT /repos/{o}/{r}/contents/{path}` (`ref`,
//!   base64), `GET /repos/{o}/{r}/git/trees/{sha}` (a commit id, a branch or a tree id; `recursive`),
//!   `GET /repos/{o}/{r}/git/blobs/{sha}`, and `GET /orgs/{org}/teams/{slug}/memberships/{user}`. Tree ids are
//!   content-addressed like git's (the same folder, the same id). Reviews, merges and pushes to a branch are made
//!   by the test ([`FakeGitHub::add_review`], [`FakeGitHub::merge_pull`], [`FakeGitHub::push_control_file`]).
//!
//! Every answer carries `x-ratelimit-*` headers. Faults: scripted per path prefix ([`FakeGitHub::script`]) or
//! seeded-random ([`FakeGitHub::random_faults`]) — an HTTP status, a delay (to exceed a client timeout), a
//! secondary rate limit with `retry-after`, or a primary limit with `x-ratelimit-remaining: 0`.
//! With [`FakeGitHub::require_token`], requests without `Authorization: Bearer <token>` get 401.
//! Every request is logged ([`FakeGitHub::requests`]) with its status, so tests can count ("3 requests, all 304").
//!
//! Repository JSON carries the fields GitHub documents as required for a repository (ids, names, owner, urls,
//! flags, counts, timestamps), so code written against this server meets the real shape.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};
use sha2::Digest;

/// How a repository answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Listed; `GET` answers 200.
    Public,
    /// Not listed; `GET` answers 404 (deleted or private).
    Gone,
    /// Not listed; `GET` answers 451 (DMCA).
    LegalBlock,
    /// Listed; `GET /repos/...` answers 500.
    Broken,
}

/// A licence as `GET /repos/{o}/{r}/license` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeLicense {
    pub spdx_id: String,
    pub key: String,
    pub name: String,
    pub path: String,
}

impl FakeLicense {
    pub fn mit() -> FakeLicense {
        FakeLicense {
            spdx_id: "MIT".into(),
            key: "mit".into(),
            name: "MIT License".into(),
            path: "LICENSE".into(),
        }
    }
}

/// One repository of the model.
#[derive(Debug, Clone)]
pub struct FakeRepo {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub pushed_at: String,
    pub archived: bool,
    pub fork: bool,
    pub has_wiki: bool,
    pub default_branch: String,
    pub clone_url: String,
    pub license: Option<FakeLicense>,
    pub visibility: Visibility,
    /// `owner/name`s this repository had; `GET /repos/{former}` answers 301.
    pub former_names: Vec<String>,
    /// Public, answers `GET`, but missing from its owner's listing (GitHub's listings lag behind).
    pub unlisted: bool,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub topics: Vec<String>,
    /// `PUT …/actions/permissions` sets this; a new repository starts with Actions enabled, as on GitHub.
    pub actions_enabled: bool,
}

impl FakeRepo {
    pub fn new(id: u64, owner: &str, name: &str, clone_url: &str) -> FakeRepo {
        FakeRepo {
            id,
            owner: owner.into(),
            name: name.into(),
            pushed_at: "2024-01-01T00:00:00Z".into(),
            archived: false,
            fork: false,
            has_wiki: false,
            default_branch: "main".into(),
            clone_url: clone_url.into(),
            license: Some(FakeLicense::mit()),
            visibility: Visibility::Public,
            former_names: Vec::new(),
            unlisted: false,
            description: None,
            homepage: None,
            topics: Vec::new(),
            actions_enabled: true,
        }
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

/// An injected fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (and a GitHub-style error body).
    Status(u16),
    /// Wait this long, then answer normally (a client with a shorter timeout sees a timeout).
    Delay(Duration),
    /// 403 "secondary rate limit" with `retry-after`.
    SecondaryLimit { retry_after: u64 },
    /// 403 with `x-ratelimit-remaining: 0` and a reset this many seconds ahead.
    PrimaryLimit { reset_in: i64 },
}

/// One logged request.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Decoded path.
    pub path: String,
    pub query: String,
    pub status: u16,
    pub authorization: Option<String>,
    pub if_none_match: Option<String>,
    /// The fault injected into this request, if any.
    pub fault: Option<Fault>,
    /// The request body (writes).
    pub body: String,
}

#[derive(Debug, Default)]
struct Model {
    repos: BTreeMap<u64, FakeRepo>,
    users: BTreeSet<String>,
    token: Option<String>,
    script: VecDeque<(String, Fault)>,
    random: Option<(u64, f64, Vec<Fault>)>,
    log: Vec<Recorded>,
    remaining: u64,
    /// Where `POST /orgs/{org}/repos` creates bare repositories, and the git server's URL for their clone_url.
    writes: Option<(std::path::PathBuf, String)>,
    control: Option<ControlModel>,
    /// (org, slug) → active members (lower case).
    teams: BTreeMap<(String, String), BTreeSet<String>>,
    write_limits: Option<WriteLimits>,
}

/// GitHub's secondary limits on content-creating requests, emulated on a clock of the fake's own
/// ([`FakeGitHub::limit_writes`]): time-compressed, so a test covers hours in seconds.
#[derive(Debug, Clone)]
struct WriteLimits {
    per_minute: usize,
    per_hour: usize,
    /// Seconds the clock moves per write received (the client's pacing, compressed).
    per_write: f64,
    /// The clock, seconds.
    now: f64,
    /// When each accepted write was made, on the clock.
    accepted: VecDeque<f64>,
    refused: u64,
}

/// A pull request in the control repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakePull {
    pub number: u64,
    pub head: String,
    pub base: String,
    pub title: String,
    pub body: String,
    pub author: String,
    pub open: bool,
    pub merged: bool,
    pub merge_commit_sha: Option<String>,
    pub labels: Vec<String>,
    /// (login, state, commit reviewed) in order.
    pub reviews: Vec<(String, String, String)>,
    /// Where its head was when it was closed without merging: GitHub's head of a closed pull request stays
    /// there, whatever is pushed to the branch later.
    pub closed_head: Option<String>,
    /// Its comments, oldest first: (author, body).
    pub comments: Vec<(String, String)>,
    /// The base's commit when it was opened: what its "files changed" are counted from.
    pub opened_on: String,
}

/// The control repository: branches → commit ids, commit ids → files.
#[derive(Debug, Default)]
struct ControlModel {
    full_name: String,
    /// The login that authenticated requests act as (authors pull requests).
    bot: String,
    branches: BTreeMap<String, String>,
    commits: BTreeMap<String, BTreeMap<String, String>>,
    pulls: Vec<FakePull>,
    next_commit: u64,
}

impl ControlModel {
    fn commit(&mut self, files: BTreeMap<String, String>) -> String {
        self.next_commit += 1;
        let sha = format!("{:040x}", 0xc0_0000_0000u64 + self.next_commit);
        self.commits.insert(sha.clone(), files);
        sha
    }

    /// The id of the folder `prefix` (`""` for the root, else ending in `/`) of `files`.
    fn tree_sha(files: &BTreeMap<String, String>, prefix: &str) -> String {
        let mut listing = format!("tree {prefix}\n");
        for (path, content) in files.range(prefix.to_owned()..) {
            if !path.starts_with(prefix) {
                break;
            }
            listing.push_str(&format!("{path} {}\n", blob_sha(content)));
        }
        blob_sha(&listing)
    }

    /// The files and the folder prefix a tree id (or a commit id, or a branch) names.
    fn tree(&self, sha: &str) -> Option<(&BTreeMap<String, String>, String)> {
        if let Some(files) = self.files_at(sha) {
            return Some((files, String::new()));
        }
        for files in self.commits.values() {
            let mut prefixes: BTreeSet<String> = BTreeSet::new();
            for path in files.keys() {
                let mut end = 0;
                while let Some(i) = path[end..].find('/') {
                    end += i + 1;
                    prefixes.insert(path[..end].to_owned());
                }
            }
            if let Some(prefix) = prefixes
                .into_iter()
                .find(|p| Self::tree_sha(files, p) == sha)
            {
                return Some((files, prefix));
            }
        }
        None
    }

    fn files_at(&self, reference: &str) -> Option<&BTreeMap<String, String>> {
        let sha = self
            .branches
            .get(reference)
            .map(String::as_str)
            .unwrap_or(reference);
        self.commits.get(sha)
    }
}

/// A file's id as git (and GitHub) names it: the SHA-1 of `blob <len>\0<content>`.
fn blob_sha(content: &str) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, content.as_bytes())
        .unwrap()
        .to_string()
}

/// The server. Dropping it stops it.
pub struct FakeGitHub {
    /// `http://127.0.0.1:<port>`, the API base URL.
    pub url: String,
    model: Arc<Mutex<Model>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeGitHub {
    /// Start on an ephemeral port of 127.0.0.1.
    pub async fn start() -> FakeGitHub {
        let model = Arc::new(Mutex::new(Model {
            remaining: 5000,
            ..Model::default()
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .fallback(handle)
            .with_state((model.clone(), url.clone()));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeGitHub { url, model, task }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Model) -> T) -> T {
        f(&mut self.model.lock().unwrap())
    }

    /// Add (or replace) a repository.
    pub fn add_repo(&self, repo: FakeRepo) {
        self.with(|m| m.repos.insert(repo.id, repo));
    }

    /// Change a repository in place.
    pub fn update(&self, id: u64, f: impl FnOnce(&mut FakeRepo)) {
        self.with(|m| f(m.repos.get_mut(&id).expect("no such fake repo")));
    }

    /// Rename or transfer: the old name then answers 301.
    pub fn rename(&self, id: u64, owner: &str, name: &str) {
        self.update(id, |r| {
            r.former_names.push(r.full_name());
            r.owner = owner.into();
            r.name = name.into();
        });
    }

    /// Treat `login` as a user (its repos are listed at `/users/{login}/repos`; `/orgs/{login}/repos` is 404).
    pub fn add_user(&self, login: &str) {
        self.with(|m| m.users.insert(login.to_ascii_lowercase()));
    }

    /// Demand `Authorization: Bearer <token>` (401 otherwise).
    pub fn require_token(&self, token: Option<&str>) {
        self.with(|m| m.token = token.map(str::to_owned));
    }

    /// The next requests whose path starts with `prefix` get these faults, one each, in order.
    pub fn script(&self, prefix: &str, faults: impl IntoIterator<Item = Fault>) {
        self.with(|m| {
            m.script
                .extend(faults.into_iter().map(|f| (prefix.to_owned(), f)))
        });
    }

    /// Every request gets, with `probability`, one of `faults` picked by a generator seeded with `seed`.
    pub fn random_faults(&self, seed: u64, probability: f64, faults: Vec<Fault>) {
        self.with(|m| m.random = Some((seed, probability, faults)));
    }

    pub fn clear_faults(&self) {
        self.with(|m| {
            m.script.clear();
            m.random = None;
        });
    }

    /// Set the primary rate-limit budget the next answers report in `x-ratelimit-remaining` (5,000 at start, as
    /// for an authenticated user); a benchmark whose first scan needs more requests than that raises it.
    pub fn set_rate_limit_remaining(&self, remaining: u64) {
        self.with(|m| m.remaining = remaining);
    }

    /// Accept the write routes: created repositories are bare git repositories under `git_root`, served at
    /// `git_url/{org}/{name}.git` (a [`super::git_http::GitServer`] on the same root).
    pub fn accept_writes(&self, git_root: &std::path::Path, git_url: &str) {
        self.with(|m| {
            m.writes = Some((
                git_root.to_owned(),
                git_url.trim_end_matches('/').to_owned(),
            ))
        });
    }

    /// Serve a control repository `full_name` with an empty `main`; requests act as `bot`.
    pub fn add_control_repo(&self, full_name: &str, bot: &str) {
        self.with(|m| {
            let mut control = ControlModel {
                full_name: full_name.into(),
                bot: bot.into(),
                ..ControlModel::default()
            };
            let sha = control.commit(BTreeMap::new());
            control.branches.insert("main".into(), sha);
            m.control = Some(control);
        });
    }

    /// Replace the comments of pull request `number` with `comments` (author, body), as people wrote them.
    pub fn set_comments(&self, number: u64, comments: Vec<(String, String)>) {
        self.with(|m| {
            let control = m.control.as_mut().expect("no control repository");
            let pull = control
                .pulls
                .iter_mut()
                .find(|p| p.number == number)
                .expect("no such pull request");
            pull.comments = comments;
        });
    }

    /// Make `login` an active member of `org/slug`.
    pub fn add_team_member(&self, org: &str, slug: &str, login: &str) {
        self.with(|m| {
            m.teams
                .entry((org.to_lowercase(), slug.to_lowercase()))
                .or_default()
                .insert(login.to_lowercase())
        });
    }

    /// Emulate GitHub's secondary limits on writes: at most `per_minute` in any minute and `per_hour` in any
    /// hour of the fake's clock, which moves `per_write` seconds with each write (a client pacing its writes
    /// that far apart) and by [`FakeGitHub::advance_clock`]. A write beyond a limit is answered 403 "secondary
    /// rate limit" with `retry-after`, as GitHub does.
    pub fn limit_writes(&self, per_minute: usize, per_hour: usize, per_write: f64) {
        self.with(|m| {
            m.write_limits = Some(WriteLimits {
                per_minute,
                per_hour,
                per_write,
                now: 0.0,
                accepted: VecDeque::new(),
                refused: 0,
            })
        });
    }

    /// Move the emulated clock on (the time between two runs).
    pub fn advance_clock(&self, seconds: f64) {
        self.with(|m| {
            if let Some(l) = m.write_limits.as_mut() {
                l.now += seconds;
            }
        });
    }

    /// The emulated clock, and the writes the emulated limits refused so far.
    pub fn write_clock(&self) -> (f64, u64) {
        self.with(|m| {
            m.write_limits
                .as_ref()
                .map(|l| (l.now, l.refused))
                .unwrap_or_default()
        })
    }

    /// Every pull request of the control repository.
    pub fn pulls(&self) -> Vec<FakePull> {
        self.with(|m| {
            m.control
                .as_ref()
                .map(|c| c.pulls.clone())
                .unwrap_or_default()
        })
    }

    /// Submit a review (`APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`) of the pull request's current head.
    pub fn add_review(&self, number: u64, login: &str, state: &str) {
        self.with(|m| {
            let c = m.control.as_mut().expect("no control repository");
            let head = c
                .pulls
                .iter()
                .find(|p| p.number == number)
                .map(|p| c.branches.get(&p.head).cloned().unwrap_or_default())
                .expect("no such pull request");
            let pull = c.pulls.iter_mut().find(|p| p.number == number).unwrap();
            pull.reviews.push((login.into(), state.into(), head));
        });
    }

    /// A new commit on `branch` (someone pushed to the proposal): files unchanged, a new id.
    pub fn touch_branch(&self, branch: &str) {
        self.with(|m| {
            let c = m.control.as_mut().expect("no control repository");
            let files = c.files_at(branch).cloned().expect("no such branch");
            let sha = c.commit(files);
            c.branches.insert(branch.into(), sha);
        });
    }

    /// Merge pull request `number`: a new commit on its base with the head's files over the base's; returns
    /// the merge commit's id.
    pub fn merge_pull(&self, number: u64) -> String {
        self.with(|m| {
            let c = m.control.as_mut().expect("no control repository");
            let pull = c
                .pulls
                .iter()
                .find(|p| p.number == number)
                .expect("no such pull request")
                .clone();
            assert!(pull.open, "pull request #{number} is not open");
            let mut files = c.files_at(&pull.base).cloned().unwrap_or_default();
            files.extend(c.files_at(&pull.head).cloned().unwrap_or_default());
            let sha = c.commit(files);
            c.branches.insert(pull.base.clone(), sha.clone());
            let p = c.pulls.iter_mut().find(|p| p.number == number).unwrap();
            p.open = false;
            p.merged = true;
            p.merge_commit_sha = Some(sha.clone());
            sha
        })
    }

    /// Close pull request `number` without merging: its head stays at the branch's tip of now.
    pub fn close_pull(&self, number: u64) {
        self.with(|m| {
            let c = m.control.as_mut().expect("no control repository");
            let i = c
                .pulls
                .iter()
                .position(|p| p.number == number)
                .expect("no such pull request");
            assert!(c.pulls[i].open, "pull request #{number} is not open");
            let head = c.branches.get(&c.pulls[i].head).cloned();
            c.pulls[i].open = false;
            c.pulls[i].closed_head = head;
        });
    }

    /// Reopen a closed, unmerged pull request, as GitHub allows: only while no other pull request from its
    /// branch is open and the branch still holds the head it was closed at (pushes on top are fine).
    pub fn reopen_pull(&self, number: u64) {
        self.with(|m| {
            let c = m.control.as_mut().expect("no control repository");
            let pull = c
                .pulls
                .iter()
                .find(|p| p.number == number)
                .expect("no such pull request")
                .clone();
            assert!(!pull.open && !pull.merged, "#{number} is not closed");
            assert!(
                !c.pulls.iter().any(|p| p.open && p.head == pull.head),
                "another pull request from {} is open",
                pull.head
            );
            assert!(c.branches.contains_key(&pull.head), "its branch is gone");
            let p = c.pulls.iter_mut().find(|p| p.number == number).unwrap();
            p.open = true;
            p.closed_head = None;
        });
    }

    /// Push a commit to `branch` of the control repository that writes `path` (`Some`) or deletes it (`None`),
    /// as someone with push access would; returns the commit's id.
    pub fn push_control_file(&self, branch: &str, path: &str, content: Option<&str>) -> String {
        self.with(|m| {
            let c = m.control.as_mut().expect("no control repository");
            let mut files = c.files_at(branch).cloned().expect("no such branch");
            match content {
                Some(text) => files.insert(path.into(), text.into()),
                None => files.remove(path),
            };
            let sha = c.commit(files);
            c.branches.insert(branch.into(), sha.clone());
            sha
        })
    }

    /// Every file of the control repository at a branch or commit.
    pub fn control_files(&self, reference: &str) -> BTreeMap<String, String> {
        self.with(|m| {
            m.control
                .as_ref()
                .and_then(|c| c.files_at(reference))
                .cloned()
                .unwrap_or_default()
        })
    }

    /// A file of the control repository at a branch or commit.
    pub fn control_file(&self, reference: &str, path: &str) -> Option<String> {
        self.with(|m| {
            m.control
                .as_ref()
                .and_then(|c| c.files_at(reference))
                .and_then(|f| f.get(path).cloned())
        })
    }

    /// The repository now called `owner/name`, if any.
    pub fn repo(&self, full_name: &str) -> Option<FakeRepo> {
        self.with(|m| {
            m.repos
                .values()
                .find(|r| r.full_name().eq_ignore_ascii_case(full_name))
                .cloned()
        })
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|m| m.log.clone())
    }

    pub fn clear_requests(&self) {
        self.with(|m| m.log.clear());
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

type AppState = (Arc<Mutex<Model>>, String);

async fn handle(
    State((model, base)): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    let raw_path = uri.path().to_owned();
    let query = uri.query().unwrap_or("").to_owned();
    let segments: Vec<String> = raw_path
        .trim_start_matches('/')
        .split('/')
        .map(percent_decode)
        .collect();
    let path = format!("/{}", segments.join("/"));
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header("authorization");
    let if_none_match = header("if-none-match");

    // Decide the fault (if any) and the answer under the lock; sleep outside it.
    let (fault, answer) = {
        let mut m = model.lock().unwrap();
        let mut fault = None;
        if let Some(i) = m
            .script
            .iter()
            .position(|(prefix, _)| path.starts_with(prefix.as_str()))
        {
            fault = m.script.remove(i).map(|(_, f)| f);
        }
        if fault.is_none()
            && method != Method::GET
            && let Some(l) = m.write_limits.as_mut()
        {
            while l.accepted.front().is_some_and(|t| *t <= l.now - 3600.0) {
                l.accepted.pop_front();
            }
            let in_minute = l.accepted.iter().filter(|t| **t > l.now - 60.0).count();
            let oldest = |window: f64, count: usize| {
                l.accepted
                    .iter()
                    .rev()
                    .nth(count - 1)
                    .map(|t| (t + window - l.now).ceil().max(1.0) as u64)
                    .unwrap_or(1)
            };
            if in_minute >= l.per_minute {
                fault = Some(Fault::SecondaryLimit {
                    retry_after: oldest(60.0, l.per_minute),
                });
            } else if l.accepted.len() >= l.per_hour {
                fault = Some(Fault::SecondaryLimit {
                    retry_after: oldest(3600.0, l.per_hour),
                });
            } else {
                l.accepted.push_back(l.now);
            }
            if fault.is_some() {
                l.refused += 1;
            }
            l.now += l.per_write;
        }
        if fault.is_none()
            && let Some((seed, p, faults)) = m.random.as_mut()
        {
            let roll = (splitmix(seed) >> 11) as f64 / (1u64 << 53) as f64;
            if roll < *p && !faults.is_empty() {
                let pick = splitmix(seed) as usize % faults.len();
                fault = Some(faults[pick].clone());
            }
        }
        let answer = match &fault {
            Some(Fault::Delay(_)) | None => answer(
                &mut m,
                &base,
                &method,
                &segments,
                &query,
                authorization.as_deref(),
                if_none_match.as_deref(),
                &body,
            ),
            Some(Fault::Status(code)) => error(*code, "Injected fault"),
            Some(Fault::SecondaryLimit { retry_after }) => {
                let mut r = error(
                    403,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                );
                r.headers
                    .push(("retry-after".into(), retry_after.to_string()));
                r
            }
            Some(Fault::PrimaryLimit { reset_in }) => {
                let mut r = error(403, "API rate limit exceeded for 127.0.0.1.");
                r.remaining_override = Some((0, chrono::Utc::now().timestamp() + reset_in));
                r
            }
        };
        let rate_remaining = m.remaining;
        if answer.status != 304 {
            m.remaining = m.remaining.saturating_sub(1);
        }
        m.log.push(Recorded {
            method: method.to_string(),
            path: path.clone(),
            query: query.clone(),
            status: answer.status,
            authorization,
            if_none_match,
            fault: fault.clone(),
            body,
        });
        (fault, (answer, rate_remaining))
    };
    if let Some(Fault::Delay(d)) = fault {
        tokio::time::sleep(d).await;
    }
    let (answer, remaining) = answer;
    let reset = chrono::Utc::now().timestamp() + 3600;
    let (remaining, reset) = answer.remaining_override.unwrap_or((remaining, reset));
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(answer.status).unwrap())
        .header("content-type", "application/json; charset=utf-8")
        .header("x-ratelimit-limit", "5000")
        .header("x-ratelimit-remaining", remaining.to_string())
        .header("x-ratelimit-used", (5000 - remaining.min(5000)).to_string())
        .header("x-ratelimit-reset", reset.to_string())
        .header("x-ratelimit-resource", "core")
        .header("x-github-api-version-selected", "2022-11-28");
    for (k, v) in &answer.headers {
        builder = builder.header(k.as_str(), HeaderValue::from_str(v).unwrap());
    }
    builder.body(Body::from(answer.body)).unwrap()
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    remaining_override: Option<(u64, i64)>,
}

fn error(status: u16, message: &str) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        body: json!({"message": message, "documentation_url": "https://docs.github.com/rest", "status": status.to_string()}).to_string(),
        remaining_override: None,
    }
}

fn ok(body: Value) -> Answer {
    Answer {
        status: 200,
        headers: Vec::new(),
        body: body.to_string(),
        remaining_override: None,
    }
}

#[allow(clippy::too_many_arguments)] // the parts of one request, as the router hands them over
fn answer(
    m: &mut Model,
    base: &str,
    method: &Method,
    segments: &[String],
    query: &str,
    authorization: Option<&str>,
    if_none_match: Option<&str>,
    body: &str,
) -> Answer {
    if let Some(token) = &m.token {
        let expected = format!("Bearer {token}");
        if authorization != Some(expected.as_str())
            && authorization != Some(format!("token {token}").as_str())
        {
            return error(401, "Bad credentials");
        }
    }
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    if let Some(answer) = control(m, base, method, &seg, query, body) {
        return answer;
    }
    if method != Method::GET {
        return write(m, base, method, &seg, body);
    }
    match seg.as_slice() {
        ["orgs", org, "repos"] if !m.users.contains(&org.to_ascii_lowercase()) => listing(
            m,
            base,
            &format!("/orgs/{org}/repos"),
            org,
            query,
            if_none_match,
        ),
        ["users", user, "repos"] => listing(
            m,
            base,
            &format!("/users/{user}/repos"),
            user,
            query,
            if_none_match,
        ),
        ["repos", owner, name] => by_name(m, base, owner, name),
        ["repos", owner, name, "license"] => {
            let full = format!("{owner}/{name}");
            match m
                .repos
                .values()
                .find(|r| r.full_name().eq_ignore_ascii_case(&full))
            {
                Some(r) if r.visibility == Visibility::Public => match &r.license {
                    Some(l) => ok(license_json(base, r, l)),
                    None => error(404, "Not Found"),
                },
                _ => error(404, "Not Found"),
            }
        }
        ["repositories", id] => match id.parse::<u64>().ok().and_then(|id| m.repos.get(&id)) {
            Some(r) => single(base, r),
            None => error(404, "Not Found"),
        },
        ["rate_limit"] => ok(
            json!({"resources": {"core": {"limit": 5000, "remaining": m.remaining, "reset": chrono::Utc::now().timestamp() + 3600, "used": 5000 - m.remaining.min(5000)}}}),
        ),
        _ => error(404, "Not Found"),
    }
}

fn write(m: &mut Model, base: &str, method: &Method, seg: &[&str], body: &str) -> Answer {
    let Some((root, git_url)) = m.writes.clone() else {
        return error(405, "Method not allowed in this fake");
    };
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return error(400, "Problems parsing JSON");
    };
    let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
    let find = |m: &mut Model, owner: &str, name: &str| {
        let full = format!("{owner}/{name}");
        m.repos
            .values()
            .find(|r| {
                r.full_name().eq_ignore_ascii_case(&full) && r.visibility == Visibility::Public
            })
            .map(|r| r.id)
    };
    match (method.as_str(), seg) {
        ("POST", ["orgs", org, "repos"]) => {
            let Some(name) = text("name") else {
                return error(422, "Validation Failed: name is missing");
            };
            if find(m, org, &name).is_some() {
                return error(
                    422,
                    "Repository creation failed: name already exists on this account",
                );
            }
            let id = 900_000 + m.repos.len() as u64;
            let path = root.join(org).join(format!("{name}.git"));
            let mut options = git2::RepositoryInitOptions::new();
            options.bare(true).mkpath(true).initial_head("main");
            git2::Repository::init_opts(&path, &options).expect("create the bare repository");
            let mut repo = FakeRepo::new(id, org, &name, &format!("{git_url}/{org}/{name}.git"));
            repo.license = None;
            repo.description = text("description");
            repo.homepage = text("homepage");
            m.repos.insert(id, repo.clone());
            let mut answer = ok(repo_json(base, &repo));
            answer.status = 201;
            answer
        }
        ("PATCH", ["repos", owner, name]) => {
            let Some(id) = find(m, owner, name) else {
                return error(404, "Not Found");
            };
            let r = m.repos.get_mut(&id).unwrap();
            if let Some(d) = text("description") {
                r.description = Some(d);
            }
            if let Some(h) = text("homepage") {
                r.homepage = Some(h);
            }
            if let Some(b) = text("default_branch") {
                r.default_branch = b;
            }
            if let Some(a) = json.get("archived").and_then(Value::as_bool) {
                r.archived = a;
            }
            ok(repo_json(base, r))
        }
        ("PUT", ["repos", owner, name, "topics"]) => {
            let Some(id) = find(m, owner, name) else {
                return error(404, "Not Found");
            };
            let Some(names) = json.get("names").and_then(Value::as_array) else {
                return error(422, "Validation Failed: names is missing");
            };
            let names: Vec<String> = names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            let valid = |t: &String| {
                !t.is_empty()
                    && t.len() <= 50
                    && t.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            };
            if !names.iter().all(valid) {
                return error(
                    422,
                    "Validation Failed: topics must be lower-case letters, digits and hyphens",
                );
            }
            m.repos.get_mut(&id).unwrap().topics = names.clone();
            ok(json!({ "names": names }))
        }
        ("PUT", ["repos", owner, name, "actions", "permissions"]) => {
            let Some(id) = find(m, owner, name) else {
                return error(404, "Not Found");
            };
            let Some(enabled) = json.get("enabled").and_then(Value::as_bool) else {
                return error(422, "Validation Failed: enabled is missing");
            };
            m.repos.get_mut(&id).unwrap().actions_enabled = enabled;
            Answer {
                status: 204,
                headers: Vec::new(),
                body: String::new(),
                remaining_override: None,
            }
        }
        _ => error(404, "Not Found"),
    }
}

fn single(base: &str, r: &FakeRepo) -> Answer {
    match r.visibility {
        Visibility::Public => ok(repo_json(base, r)),
        Visibility::Gone => error(404, "Not Found"),
        Visibility::Broken => error(500, "Server Error"),
        Visibility::LegalBlock => Answer {
            status: 451,
            headers: Vec::new(),
            body: json!({
                "message": "Repository access blocked",
                "block": {"reason": "dmca", "created_at": "2024-01-01T00:00:00Z", "html_url": "https://github.com/github/dmca/blob/master/2024/01/2024-01-01-example.md"}
            })
            .to_string(),
            remaining_override: None,
        },
    }
}

fn by_name(m: &Model, base: &str, owner: &str, name: &str) -> Answer {
    let full = format!("{owner}/{name}");
    if let Some(r) = m
        .repos
        .values()
        .find(|r| r.full_name().eq_ignore_ascii_case(&full))
    {
        return single(base, r);
    }
    if let Some(r) = m
        .repos
        .values()
        .find(|r| r.former_names.iter().any(|n| n.eq_ignore_ascii_case(&full)))
    {
        if r.visibility == Visibility::Gone {
            return error(404, "Not Found");
        }
        let location = format!("{base}/repositories/{}", r.id);
        return Answer {
            status: 301,
            headers: vec![("location".into(), location.clone())],
            body: json!({"message": "Moved Permanently", "url": location, "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"}).to_string(),
            remaining_override: None,
        };
    }
    error(404, "Not Found")
}

fn listing(
    m: &Model,
    base: &str,
    path: &str,
    owner: &str,
    query: &str,
    if_none_match: Option<&str>,
) -> Answer {
    let per_page = query_param(query, "per_page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 100);
    let page = query_param(query, "page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let repos: Vec<&FakeRepo> = m
        .repos
        .values()
        .filter(|r| r.owner.eq_ignore_ascii_case(owner))
        .filter(|r| matches!(r.visibility, Visibility::Public | Visibility::Broken) && !r.unlisted)
        .collect();
    let owner_known = !repos.is_empty()
        || m.repos
            .values()
            .any(|r| r.owner.eq_ignore_ascii_case(owner))
        || m.users.contains(&owner.to_ascii_lowercase());
    if !owner_known {
        return error(404, "Not Found");
    }
    let last = repos.len().div_ceil(per_page).max(1);
    let items: Vec<Value> = repos
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|r| repo_json(base, r))
        .collect();
    let body = Value::Array(items).to_string();
    let etag = format!("\"{}\"", hex::encode(sha2::Sha256::digest(body.as_bytes())));
    let kind = if path.starts_with("/users/") {
        "owner"
    } else {
        "public"
    };
    let link_to = |p: usize| format!("<{base}{path}?type={kind}&per_page={per_page}&page={p}>");
    let mut links = Vec::new();
    if page < last {
        links.push(format!("{}; rel=\"next\"", link_to(page + 1)));
        links.push(format!("{}; rel=\"last\"", link_to(last)));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", link_to(page - 1)));
        links.push(format!("{}; rel=\"first\"", link_to(1)));
    }
    let mut headers = vec![("etag".to_owned(), etag.clone())];
    if !links.is_empty() {
        headers.push(("link".into(), links.join(", ")));
    }
    if if_none_match == Some(etag.as_str()) {
        return Answer {
            status: 304,
            headers,
            body: String::new(),
            remaining_override: None,
        };
    }
    Answer {
        status: 200,
        headers,
        body,
        remaining_override: None,
    }
}

fn owner_json(base: &str, login: &str) -> Value {
    let id = login.bytes().fold(1000u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    }) % 1_000_000_000;
    json!({
        "login": login, "id": id, "node_id": format!("O_{id}"), "type": "Organization", "site_admin": false,
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}"), "gravatar_id": "",
        "url": format!("{base}/users/{login}"), "html_url": format!("https://github.com/{login}"),
        "repos_url": format!("{base}/users/{login}/repos"), "followers_url": format!("{base}/users/{login}/followers"),
        "following_url": format!("{base}/users/{login}/following{{/other_user}}"),
        "gists_url": format!("{base}/users/{login}/gists{{/gist_id}}"),
        "starred_url": format!("{base}/users/{login}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{base}/users/{login}/subscriptions"),
        "organizations_url": format!("{base}/users/{login}/orgs"), "events_url": format!("{base}/users/{login}/events{{/privacy}}"),
        "received_events_url": format!("{base}/users/{login}/received_events"),
    })
}

/// GitHub's repository object (the fields the REST description marks required, plus the common ones).
pub fn repo_json(base: &str, r: &FakeRepo) -> Value {
    let full = r.full_name();
    let api = format!("{base}/repos/{full}");
    let mut v = json!({
        "id": r.id, "node_id": format!("R_{}", r.id), "name": r.name, "full_name": full,
        "owner": owner_json(base, &r.owner), "private": false, "visibility": "public",
        "html_url": format!("https://github.com/{full}"), "description": r.description, "fork": r.fork, "url": api,
        "clone_url": r.clone_url, "git_url": format!("git://github.com/{full}.git"),
        "ssh_url": format!("git@github.com:{full}.git"), "svn_url": format!("https://github.com/{full}"),
        "mirror_url": null, "homepage": r.homepage, "language": null,
        "default_branch": r.default_branch, "pushed_at": r.pushed_at,
        "created_at": "2020-01-01T00:00:00Z", "updated_at": r.pushed_at,
        "archived": r.archived, "disabled": false, "has_wiki": r.has_wiki, "has_issues": true,
        "has_projects": true, "has_pages": false, "has_downloads": true, "has_discussions": false,
        "is_template": false, "topics": r.topics, "size": 1, "stargazers_count": 0, "watchers_count": 0,
        "watchers": 0, "forks_count": 0, "forks": 0, "open_issues_count": 0, "open_issues": 0,
        "license": r.license.as_ref().map(|l| license_summary(base, l)),
    });
    let templates = [
        ("archive_url", "/{archive_format}{/ref}"),
        ("assignees_url", "/assignees{/user}"),
        ("blobs_url", "/git/blobs{/sha}"),
        ("branches_url", "/branches{/branch}"),
        ("collaborators_url", "/collaborators{/collaborator}"),
        ("comments_url", "/comments{/number}"),
        ("commits_url", "/commits{/sha}"),
        ("compare_url", "/compare/{base}...{head}"),
        ("contents_url", "/contents/{+path}"),
        ("contributors_url", "/contributors"),
        ("deployments_url", "/deployments"),
        ("downloads_url", "/downloads"),
        ("events_url", "/events"),
        ("forks_url", "/forks"),
        ("git_commits_url", "/git/commits{/sha}"),
        ("git_refs_url", "/git/refs{/sha}"),
        ("git_tags_url", "/git/tags{/sha}"),
        ("hooks_url", "/hooks"),
        ("issue_comment_url", "/issues/comments{/number}"),
        ("issue_events_url", "/issues/events{/number}"),
        ("issues_url", "/issues{/number}"),
        ("keys_url", "/keys{/key_id}"),
        ("labels_url", "/labels{/name}"),
        ("languages_url", "/languages"),
        ("merges_url", "/merges"),
        ("milestones_url", "/milestones{/number}"),
        (
            "notifications_url",
            "/notifications{?since,all,participating}",
        ),
        ("pulls_url", "/pulls{/number}"),
        ("releases_url", "/releases{/id}"),
        ("stargazers_url", "/stargazers"),
        ("statuses_url", "/statuses/{sha}"),
        ("subscribers_url", "/subscribers"),
        ("subscription_url", "/subscription"),
        ("tags_url", "/tags"),
        ("teams_url", "/teams"),
        ("trees_url", "/git/trees{/sha}"),
    ];
    let object = v.as_object_mut().unwrap();
    for (key, suffix) in templates {
        object.insert(key.into(), Value::String(format!("{api}{suffix}")));
    }
    v
}

fn license_summary(base: &str, l: &FakeLicense) -> Value {
    json!({"key": l.key, "name": l.name, "spdx_id": l.spdx_id, "url": format!("{base}/licenses/{}", l.key), "node_id": format!("L_{}", l.key)})
}

fn license_json(base: &str, r: &FakeRepo, l: &FakeLicense) -> Value {
    let full = r.full_name();
    json!({
        "name": l.path.rsplit('/').next().unwrap_or(&l.path), "path": l.path, "sha": "0000000000000000000000000000000000000000",
        "size": 1, "url": format!("{base}/repos/{full}/contents/{}", l.path),
        "html_url": format!("https://github.com/{full}/blob/{}/{}", r.default_branch, l.path),
        "git_url": format!("{base}/repos/{full}/git/blobs/0000000000000000000000000000000000000000"),
        "download_url": format!("https://raw.githubusercontent.com/{full}/{}/{}", r.default_branch, l.path),
        "type": "file", "content": "", "encoding": "base64",
        "_links": {"self": "", "git": "", "html": ""},
        "license": license_summary(base, l),
    })
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    // GitHub wraps the content at 60 characters.
    encoded
        .as_bytes()
        .chunks(60)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn with_status(status: u16, body: Value) -> Answer {
    let mut a = ok(body);
    a.status = status;
    a
}

fn pull_json(base: &str, control: &ControlModel, p: &FakePull) -> Value {
    let url = format!("{}/{}/pull/{}", base, control.full_name, p.number);
    json!({
        "number": p.number,
        "html_url": url,
        "url": format!("{base}/repos/{}/pulls/{}", control.full_name, p.number),
        "state": if p.open { "open" } else { "closed" },
        "title": p.title,
        "body": p.body,
        "user": {"login": p.author, "type": "Bot"},
        "head": {"ref": p.head, "sha": p.closed_head.clone().or_else(|| control.branches.get(&p.head).cloned()).unwrap_or_default(), "label": format!("{}:{}", control.full_name.split('/').next().unwrap_or_default(), p.head)},
        "base": {"ref": p.base, "sha": control.branches.get(&p.base).cloned().unwrap_or_default()},
        "merged": p.merged,
        "merged_at": if p.merged { Value::from("2026-01-02T03:04:05Z") } else { Value::Null },
        "closed_at": if p.open { Value::Null } else { Value::from("2026-01-02T03:04:05Z") },
        "merge_commit_sha": p.merge_commit_sha,
        "labels": p.labels.iter().map(|l| json!({"name": l})).collect::<Vec<_>>(),
    })
}

fn comment_json(
    base: &str,
    control: &ControlModel,
    number: u64,
    index: usize,
    (author, body): &(String, String),
) -> Value {
    let id = number * 1000 + index as u64 + 1;
    json!({
        "id": id,
        "body": body,
        "user": {"login": author, "type": if *author == control.bot { "Bot" } else { "User" }},
        "html_url": format!("{base}/{}/pull/{number}#issuecomment-{id}", control.full_name),
        "url": format!("{base}/repos/{}/issues/comments/{id}", control.full_name),
        "created_at": "2026-01-02T03:04:05Z",
    })
}

/// The control repository's and the teams' routes; `None` for anything else.
fn control(
    m: &mut Model,
    base: &str,
    method: &Method,
    seg: &[&str],
    query: &str,
    body: &str,
) -> Option<Answer> {
    if let ["orgs", org, "teams", slug, "memberships", user] = seg {
        if method != Method::GET {
            return None;
        }
        let key = (org.to_lowercase(), slug.to_lowercase());
        return Some(match m.teams.get(&key) {
            Some(members) if members.contains(&user.to_lowercase()) => ok(
                json!({"state": "active", "role": "member", "url": format!("{base}/orgs/{org}/teams/{slug}/memberships/{user}")}),
            ),
            _ => error(404, "Not Found"),
        });
    }
    let c = m.control.as_mut()?;
    // The authenticated user: the login requests act as.
    if let ("GET", ["user"]) = (method.as_str(), seg) {
        return Some(ok(json!({"login": c.bot, "id": 1, "type": "Bot"})));
    }
    let (owner, name, rest) = match seg {
        ["repos", owner, name, rest @ ..] => (*owner, *name, rest),
        _ => return None,
    };
    if !format!("{owner}/{name}").eq_ignore_ascii_case(&c.full_name) {
        return None;
    }
    let json_body = || serde_json::from_str::<Value>(body).unwrap_or(Value::Null);
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let answer = match (method.as_str(), rest) {
        ("GET", ["pulls"]) => {
            let state = query_param(query, "state").unwrap_or_else(|| "open".into());
            let head = query_param(query, "head");
            let owner_prefix = format!("{}:", c.full_name.split('/').next().unwrap_or_default());
            let list: Vec<Value> = c
                .pulls
                .iter()
                .filter(|p| match state.as_str() {
                    "open" => p.open,
                    "closed" => !p.open,
                    _ => true,
                })
                .filter(|p| {
                    head.as_deref().is_none_or(|h| {
                        h.strip_prefix(&owner_prefix).is_some_and(|b| b == p.head)
                    })
                })
                .map(|p| pull_json(base, c, p))
                .collect();
            ok(Value::Array(list))
        }
        ("POST", ["pulls"]) => {
            let v = json_body();
            let (Some(title), Some(head), Some(base_branch)) =
                (text(&v, "title"), text(&v, "head"), text(&v, "base"))
            else {
                return Some(error(422, "Validation Failed: title, head and base are required"));
            };
            if !c.branches.contains_key(&head) || !c.branches.contains_key(&base_branch) {
                return Some(error(422, "Validation Failed: head or base does not exist"));
            }
            if c.pulls.iter().any(|p| p.open && p.head == head && p.base == base_branch) {
                return Some(error(422, &format!("Validation Failed: A pull request already exists for {head}.")));
            }
            let number = c.pulls.len() as u64 + 1;
            let pull = FakePull {
                number,
                head,
                base: base_branch.clone(),
                title,
                body: text(&v, "body").unwrap_or_default(),
                author: c.bot.clone(),
                open: true,
                merged: false,
                merge_commit_sha: None,
                labels: Vec::new(),
                reviews: Vec::new(),
                closed_head: None,
                comments: Vec::new(),
                opened_on: c.branches.get(&base_branch).cloned().unwrap_or_default(),
            };
            c.pulls.push(pull.clone());
            with_status(201, pull_json(base, c, &pull))
        }
        ("GET", ["pulls", n]) => match c.pulls.iter().find(|p| p.number.to_string() == *n) {
            Some(p) => ok(pull_json(base, c, p)),
            None => error(404, "Not Found"),
        },
        ("PATCH", ["pulls", n]) => {
            let v = json_body();
            let Some(i) = c.pulls.iter().position(|p| p.number.to_string() == *n) else {
                return Some(error(404, "Not Found"));
            };
            if let Some(t) = text(&v, "title") {
                c.pulls[i].title = t;
            }
            if let Some(b) = text(&v, "body") {
                c.pulls[i].body = b;
            }
            let p = c.pulls[i].clone();
            ok(pull_json(base, c, &p))
        }
        ("GET", ["pulls", n, "files"]) => match c.pulls.iter().find(|p| p.number.to_string() == *n) {
            Some(p) => {
                let head = p.closed_head.clone().or_else(|| c.branches.get(&p.head).cloned()).unwrap_or_default();
                let before = c.files_at(&p.opened_on).cloned().unwrap_or_default();
                let after = c.files_at(&head).cloned().unwrap_or_default();
                let mut files = Vec::new();
                for path in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
                    let status = match (before.get(path), after.get(path)) {
                        (None, Some(_)) => "added",
                        (Some(_), None) => "removed",
                        (Some(a), Some(b)) if a != b => "modified",
                        _ => continue,
                    };
                    let sha = after.get(path).map(|t| blob_sha(t)).unwrap_or_else(|| "0".repeat(40));
                    files.push(json!({
                        "sha": sha, "filename": path, "status": status, "additions": 1, "deletions": 0,
                        "changes": 1,
                        "blob_url": format!("{base}/{}/blob/{head}/{path}", c.full_name),
                        "raw_url": format!("{base}/{}/raw/{head}/{path}", c.full_name),
                        "contents_url": format!("{base}/repos/{}/contents/{path}?ref={head}", c.full_name),
                    }));
                }
                ok(Value::Array(files))
            }
            None => error(404, "Not Found"),
        },
        ("GET", ["git", "matching-refs", "heads", prefix @ ..]) => {
            let prefix = prefix.join("/");
            let list: Vec<Value> = c
                .branches
                .iter()
                .filter(|(b, _)| b.starts_with(&prefix))
                .map(|(b, sha)| json!({
                    "ref": format!("refs/heads/{b}"), "node_id": format!("REF_{b}"),
                    "url": format!("{base}/repos/{}/git/refs/heads/{b}", c.full_name),
                    "object": {"sha": sha, "type": "commit", "url": format!("{base}/repos/{}/git/commits/{sha}", c.full_name)},
                }))
                .collect();
            ok(Value::Array(list))
        }
        ("GET", ["pulls", n, "reviews"]) => match c.pulls.iter().find(|p| p.number.to_string() == *n) {
            Some(p) => ok(Value::Array(
                p.reviews
                    .iter()
                    .enumerate()
                    .map(|(i, (login, state, commit))| json!({"id": i + 1, "user": {"login": login}, "state": state, "body": "", "commit_id": commit}))
                    .collect(),
            )),
            None => error(404, "Not Found"),
        },
        ("GET", ["issues", n, "comments"]) => match c.pulls.iter().find(|p| p.number.to_string() == *n) {
            Some(p) => ok(Value::Array(
                p.comments
                    .iter()
                    .enumerate()
                    .map(|(i, body)| comment_json(base, c, p.number, i, body))
                    .collect(),
            )),
            None => error(404, "Not Found"),
        },
        ("POST", ["issues", n, "comments"]) => {
            let v = json_body();
            let Some(text) = text(&v, "body") else {
                return Some(error(422, "Validation Failed: body is missing"));
            };
            let Some(i) = c.pulls.iter().position(|p| p.number.to_string() == *n) else {
                return Some(error(404, "Not Found"));
            };
            c.pulls[i].comments.push((c.bot.clone(), text.clone()));
            let at = c.pulls[i].comments.len() - 1;
            let comment = c.pulls[i].comments[at].clone();
            with_status(201, comment_json(base, c, c.pulls[i].number, at, &comment))
        }
        ("PUT", ["issues", n, "labels"]) => {
            let v = json_body();
            let Some(labels) = v.get("labels").and_then(Value::as_array) else {
                return Some(error(422, "Validation Failed: labels is missing"));
            };
            let Some(p) = c.pulls.iter_mut().find(|p| p.number.to_string() == *n) else {
                return Some(error(404, "Not Found"));
            };
            p.labels = labels.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            ok(Value::Array(p.labels.iter().map(|l| json!({"name": l})).collect()))
        }
        ("GET", ["git", "ref", "heads", branch @ ..]) => {
            let branch = branch.join("/");
            match c.branches.get(&branch) {
                Some(sha) => ok(json!({"ref": format!("refs/heads/{branch}"), "object": {"sha": sha, "type": "commit"}})),
                None => error(404, "Not Found"),
            }
        }
        ("POST", ["git", "refs"]) => {
            let v = json_body();
            let (Some(reference), Some(sha)) = (text(&v, "ref"), text(&v, "sha")) else {
                return Some(error(422, "Validation Failed: ref and sha are required"));
            };
            let Some(branch) = reference.strip_prefix("refs/heads/") else {
                return Some(error(422, "Validation Failed: ref must start with refs/heads/"));
            };
            if c.branches.contains_key(branch) {
                return Some(error(422, "Reference already exists"));
            }
            if !c.commits.contains_key(&sha) {
                return Some(error(422, "Object does not exist"));
            }
            c.branches.insert(branch.to_owned(), sha.clone());
            with_status(201, json!({"ref": reference, "object": {"sha": sha, "type": "commit"}}))
        }
        ("PATCH", ["git", "refs", "heads", branch @ ..]) => {
            let branch = branch.join("/");
            let v = json_body();
            let Some(sha) = text(&v, "sha") else {
                return Some(error(422, "Validation Failed: sha is required"));
            };
            if !c.branches.contains_key(&branch) {
                return Some(error(422, "Reference does not exist"));
            }
            if !c.commits.contains_key(&sha) {
                return Some(error(422, "Object does not exist"));
            }
            if v.get("force").and_then(Value::as_bool) != Some(true) {
                return Some(error(422, "Update is not a fast forward"));
            }
            c.branches.insert(branch.clone(), sha.clone());
            ok(json!({"ref": format!("refs/heads/{branch}"), "object": {"sha": sha, "type": "commit"}}))
        }
        ("GET", ["git", "trees", sha]) => {
            let recursive = query_param(query, "recursive").is_some();
            let Some((files, prefix)) = c.tree(sha) else {
                return Some(error(404, "Not Found"));
            };
            let url = |kind: &str, id: &str| format!("{base}/repos/{}/git/{kind}/{id}", c.full_name);
            let mut entries: Vec<Value> = Vec::new();
            let mut folders: BTreeSet<String> = BTreeSet::new();
            for (path, content) in files.range(prefix.clone()..) {
                let Some(rest) = path.strip_prefix(&prefix) else {
                    break;
                };
                let parts: Vec<&str> = rest.split('/').collect();
                for depth in 1..parts.len() {
                    if depth == 1 || recursive {
                        folders.insert(parts[..depth].join("/"));
                    }
                }
                if parts.len() == 1 || recursive {
                    let id = blob_sha(content);
                    entries.push(json!({"path": rest, "mode": "100644", "type": "blob", "sha": id, "size": content.len(), "url": url("blobs", &id)}));
                }
            }
            for folder in folders {
                let id = ControlModel::tree_sha(files, &format!("{prefix}{folder}/"));
                entries.push(json!({"path": folder, "mode": "040000", "type": "tree", "sha": id, "url": url("trees", &id)}));
            }
            entries.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
            let id = ControlModel::tree_sha(files, &prefix);
            ok(json!({"sha": id, "url": url("trees", &id), "tree": entries, "truncated": false}))
        }
        ("GET", ["git", "blobs", sha]) => {
            let content = c
                .commits
                .values()
                .flat_map(|files| files.values())
                .find(|content| blob_sha(content) == *sha);
            match content {
                Some(content) => ok(json!({
                    "sha": sha, "node_id": format!("B_{sha}"), "size": content.len(),
                    "url": format!("{base}/repos/{}/git/blobs/{sha}", c.full_name),
                    "content": b64(content), "encoding": "base64",
                })),
                None => error(404, "Not Found"),
            }
        }
        ("GET", ["contents", path @ ..]) => {
            let path = path.join("/");
            let reference = query_param(query, "ref").unwrap_or_else(|| "main".into());
            match c.files_at(&reference).and_then(|f| f.get(&path)) {
                Some(content) => ok(json!({
                    "type": "file", "encoding": "base64", "path": path,
                    "name": path.rsplit('/').next().unwrap_or_default(),
                    "sha": blob_sha(content), "size": content.len(), "content": b64(content),
                })),
                None => error(404, "Not Found"),
            }
        }
        ("PUT", ["contents", path @ ..]) => {
            use base64::Engine as _;
            let path = path.join("/");
            let v = json_body();
            let (Some(_message), Some(content), Some(branch)) =
                (text(&v, "message"), text(&v, "content"), text(&v, "branch"))
            else {
                return Some(error(422, "Validation Failed: message, content and branch are required"));
            };
            let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(content.as_bytes()) else {
                return Some(error(422, "Validation Failed: content is not valid Base64"));
            };
            let Some(mut files) = c.files_at(&branch).cloned() else {
                return Some(error(404, "Branch not found"));
            };
            let existing = files.get(&path).map(|f| blob_sha(f));
            if existing != text(&v, "sha") {
                return Some(error(409, "sha does not match"));
            }
            let content = String::from_utf8_lossy(&bytes).into_owned();
            let blob = blob_sha(&content);
            files.insert(path.clone(), content);
            let sha = c.commit(files);
            c.branches.insert(branch, sha.clone());
            with_status(
                if existing.is_some() { 200 } else { 201 },
                json!({"content": {"path": path, "sha": blob}, "commit": {"sha": sha}}),
            )
        }
        _ => return None,
    };
    Some(answer)
}
