//! The git side of republishing, all blocking (call it under `spawn_blocking`): git2, except the push itself,
//! which is the system `git push` (libgit2 cannot reuse a mirror's deltas; see [`check_git`]).
//!
//! The archive mirror is never written to: the notice commit is built in a throw-away staging repository whose
//! object database borrows the mirror's through `objects/info/alternates`, and pushes go from there. Remotes are
//! anonymous (nothing lands in any `.git/config`), refspecs are explicit, and a token reaches git only from
//! memory: git2's credential callback, or a pipe read by `git push`'s credential helper (user `x-access-token`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use anyhow::{Context, bail};
use git2::{Direction, ObjectType, Oid, RemoteCallbacks, Repository, Signature};

use crate::github::Token;
use crate::provenance::{JSON_FILE, MARKDOWN_FILE};

use super::TokenSource;

// A mirror's refs are read with its evaluation, which names what a publication pushes.
pub use crate::check::{MirrorRefs, mirror_refs};

/// A temporary bare repository that sees every object of the mirror (alternates) and holds the notice commit.
pub struct Staging {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Staging {
    pub fn new(mirror: &Path) -> anyhow::Result<Staging> {
        let dir = tempfile::Builder::new()
            .prefix("keepopen-publish-")
            .tempdir()
            .context("cannot create a staging directory")?;
        let path = dir.path().join("staging.git");
        let repo = Repository::init_bare(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let objects = std::fs::canonicalize(mirror.join("objects"))
            .with_context(|| format!("{} has no objects directory", mirror.display()))?;
        let alternates = repo.path().join("objects").join("info").join("alternates");
        std::fs::create_dir_all(alternates.parent().expect("has a parent"))?;
        std::fs::write(&alternates, format!("{}\n", objects.display()))
            .with_context(|| format!("cannot write {}", alternates.display()))?;
        Ok(Staging { _dir: dir, path })
    }

    pub fn open(&self) -> anyhow::Result<Repository> {
        Repository::open_bare(&self.path)
            .with_context(|| format!("cannot open the staging repository {}", self.path.display()))
    }
}

/// What the notice commit holds.
#[derive(Debug, Clone)]
pub struct NoticeCommit<'a> {
    pub markdown: &'a str,
    pub json: &'a str,
    /// The original tip: the parent on the default branch; `None` for the separate (orphan) branch.
    pub parent: Option<&'a str>,
    pub bot_name: &'a str,
    pub bot_email: &'a str,
    /// Seconds since the epoch: the removal confirmation, so that the commit id is the same on every run.
    pub time: i64,
    pub message: &'a str,
}

/// Write the notice commit (not referenced by any ref). Deterministic: the same input gives the same id.
pub fn write_notice_commit(repo: &Repository, notice: &NoticeCommit<'_>) -> anyhow::Result<Oid> {
    let parent = match notice.parent {
        Some(id) => Some(
            repo.find_commit(Oid::from_str(id)?)
                .with_context(|| format!("the last-seen head {id} is not in the mirror"))?,
        ),
        None => None,
    };
    let base = parent.as_ref().map(|p| p.tree()).transpose()?;
    let mut builder = repo.treebuilder(base.as_ref())?;
    let (md_name, json_name) = free_names(base.as_ref());
    builder.insert(&md_name, repo.blob(notice.markdown.as_bytes())?, 0o100644)?;
    builder.insert(&json_name, repo.blob(notice.json.as_bytes())?, 0o100644)?;
    let tree = repo.find_tree(builder.write()?)?;
    let signature = Signature::new(
        notice.bot_name,
        notice.bot_email,
        &git2::Time::new(notice.time, 0),
    )?;
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    Ok(repo.commit(
        None,
        &signature,
        &signature,
        notice.message,
        &tree,
        &parents,
    )?)
}

/// `PROVENANCE.md` and `provenance.json`, or `keepopen-…` names when the original already has such files (its
/// files are never replaced).
fn free_names(tree: Option<&git2::Tree<'_>>) -> (String, String) {
    let taken = |name: &str| tree.is_some_and(|t| t.get_name(name).is_some());
    let pick = |name: &str| {
        if taken(name) {
            format!("keepopen-{name}")
        } else {
            name.to_owned()
        }
    };
    (pick(MARKDOWN_FILE), pick(JSON_FILE))
}

/// A file too large for the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LargeFile {
    pub path: String,
    pub bytes: u64,
    pub commit: String,
}

/// Files over `limit` bytes in the history reachable from `tips`. The object database is read by header only
/// (sizes, no contents); only when a large blob exists are the trees walked to name its path.
pub fn large_files(repo: &Repository, tips: &[Oid], limit: u64) -> anyhow::Result<Vec<LargeFile>> {
    let odb = repo.odb()?;
    let mut large: BTreeSet<Oid> = BTreeSet::new();
    let mut failure = None;
    odb.foreach(|id| {
        match odb.read_header(*id) {
            Ok((size, ObjectType::Blob)) if size as u64 > limit => {
                large.insert(*id);
            }
            Ok(_) => {}
            Err(e) => {
                failure = Some(e);
                return false;
            }
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(e).context("cannot read the object database");
    }
    if large.is_empty() {
        return Ok(Vec::new());
    }
    let mut walk = repo.revwalk()?;
    for tip in tips {
        if let Ok(commit) = repo
            .find_object(*tip, None)
            .and_then(|o| o.peel_to_commit())
        {
            walk.push(commit.id())?;
        }
    }
    let mut found: BTreeMap<Oid, LargeFile> = BTreeMap::new();
    let mut seen_trees: BTreeSet<Oid> = BTreeSet::new();
    for commit in walk {
        let commit = repo.find_commit(commit?)?;
        let tree = commit.tree()?;
        let mut stack = vec![(String::new(), tree)];
        while let Some((prefix, tree)) = stack.pop() {
            if !seen_trees.insert(tree.id()) {
                continue;
            }
            for entry in tree.iter() {
                let name = format!("{prefix}{}", entry.name().unwrap_or("?"));
                match entry.kind() {
                    Some(ObjectType::Tree) => {
                        if let Ok(sub) = repo.find_tree(entry.id()) {
                            stack.push((format!("{name}/"), sub));
                        }
                    }
                    Some(ObjectType::Blob) if large.contains(&entry.id()) => {
                        found.entry(entry.id()).or_insert_with(|| LargeFile {
                            path: name,
                            bytes: odb.read_header(entry.id()).map(|h| h.0 as u64).unwrap_or(0),
                            commit: commit.id().to_string(),
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    let mut out: Vec<LargeFile> = found.into_values().collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The first-parent history of `tip`, oldest first.
pub fn first_parent_chain(repo: &Repository, tip: Oid) -> anyhow::Result<Vec<Oid>> {
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.simplify_first_parent()?;
    let mut chain: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    chain.reverse();
    Ok(chain)
}

/// Whether `descendant` contains `ancestor` (both must be known locally; unknown → false).
pub fn contains(repo: &Repository, descendant: &str, ancestor: &str) -> bool {
    let (Ok(d), Ok(a)) = (Oid::from_str(descendant), Oid::from_str(ancestor)) else {
        return false;
    };
    if d == a {
        return true;
    }
    if repo.find_commit(a).is_err() {
        return false;
    }
    repo.graph_descendant_of(d, a).unwrap_or(false)
}

/// Credentials for a git2 operation (the ref listing): the source's token first; when git asks again (the server
/// refused it, e.g. an App token that expired), a fresh one, unless the source gives the same token again.
/// The token goes only to the URL's own protocol and host (`scope`): asked for another (a redirect), it refuses.
fn callbacks<'a>(
    tokens: Option<&'a dyn TokenSource>,
    scope: Option<CredentialScope>,
) -> RemoteCallbacks<'a> {
    let mut callbacks = RemoteCallbacks::new();
    if let Some(tokens) = tokens {
        let mut tried: Vec<Token> = Vec::new();
        callbacks.credentials(move |url, _user, _allowed| {
            if scope.is_none() || CredentialScope::of_url(url) != scope {
                return Err(git2::Error::from_str(&format!(
                    "refusing to hand the token to {url}: not the target's host"
                )));
            }
            if tried.len() >= MAX_TOKENS {
                return Err(git2::Error::from_str(
                    "the server refused every token given",
                ));
            }
            let token = tokens
                .token()
                .map_err(|e| git2::Error::from_str(&format!("no token: {e:#}")))?;
            if tried.contains(&token) {
                return Err(git2::Error::from_str(
                    "the server refused the token and no fresh one is available",
                ));
            }
            tracing::debug!(attempt = tried.len() + 1, "git asks for credentials");
            let credential = git2::Cred::userpass_plaintext("x-access-token", token.expose());
            tried.push(token);
            credential
        });
    }
    callbacks
}

/// How many different tokens one git operation tries before it gives up.
const MAX_TOKENS: usize = 3;

/// The heads and tags of the target (`ls-remote` over the push service). An empty repository has none.
pub fn remote_refs(
    repo: &Repository,
    url: &str,
    tokens: Option<&dyn TokenSource>,
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut remote = repo.remote_anonymous(url)?;
    let connection = remote
        .connect_auth(
            Direction::Push,
            Some(callbacks(tokens, CredentialScope::of_url(url))),
            None,
        )
        .map_err(|e| anyhow::anyhow!("cannot list the refs of the target: {}", e.message()))?;
    let mut out = BTreeMap::new();
    for head in connection.list()? {
        let name = head.name();
        if (name.starts_with("refs/heads/") || name.starts_with("refs/tags/"))
            && !name.ends_with("^{}")
            && !head.oid().is_zero()
        {
            out.insert(name.to_owned(), head.oid().to_string());
        }
    }
    Ok(out)
}

/// The oldest system git that [`push`] works with: the empty `credential.helper` that resets the list, and
/// `core.hooksPath`, came in git 2.9.
pub const MIN_GIT: (u32, u32) = (2, 9);

/// Check once per process that the system `git` runs and is at least [`MIN_GIT`]; returns its version.
///
/// Pushes go through `git push`, not git2: libgit2 builds every pack from scratch without reusing the
/// mirror's deltas, which made a push of a 50,000-commit history ten times slower than `git push`.
pub fn check_git() -> anyhow::Result<&'static str> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let help = "help: keepopen pushes with the system git (libgit2 cannot reuse a mirror's deltas); \
                        install git (Debian: apt-get install git)";
            let out = git_command("git")
                .arg("--version")
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run `git --version`: {e}\n{help}"))?;
            let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            let version = parse_git_version(&text)
                .filter(|_| out.status.success())
                .ok_or_else(|| format!("`git --version` said {text:?}, not a version\n{help}"))?;
            if version < MIN_GIT {
                return Err(format!(
                    "{text} is too old: git {}.{} or newer is needed\n{help}",
                    MIN_GIT.0, MIN_GIT.1
                ));
            }
            Ok(text)
        })
        .as_deref()
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// `(major, minor)` from `git version 2.47.3` (or `git version 2.39.2.windows.1`).
pub fn parse_git_version(text: &str) -> Option<(u32, u32)> {
    let number = text
        .strip_prefix("git version ")?
        .split_whitespace()
        .next()?;
    let mut parts = number.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The file descriptor on which the credential helper of [`push`] finds the credential.
const CREDENTIAL_FD: u32 = 3;

/// Where a credential may go: the protocol and `host[:port]` of the push URL, as git names them on a credential
/// helper's standard input (`protocol=https`, `host=github.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    pub protocol: String,
    pub host: String,
}

impl CredentialScope {
    /// The scope of an `http(s)://[user@]host[:port]/…` URL. `None` for any other URL, or a host with
    /// characters a host name does not have (the scope is written into the helper's shell text).
    pub fn of_url(url: &str) -> Option<CredentialScope> {
        let (protocol, rest) = url.split_once("://")?;
        if protocol != "https" && protocol != "http" {
            return None;
        }
        let authority = rest.split(['/', '?', '#']).next()?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let safe = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b));
        safe.then(|| CredentialScope {
            protocol: protocol.to_owned(),
            host: host.to_ascii_lowercase(),
        })
    }
}

/// What `git push` is run with besides the refspecs: no credential helper of the user's (none may store the
/// token), ours alone — a shell function that answers `get` with what it reads from [`CREDENTIAL_FD`], a pipe
/// inherited from keepopen, only when git asks for exactly the push URL's protocol and host (so a redirect, or
/// a submodule, or anything else git might be led to, never gets the token), and ignores `store` and `erase` —
/// no hooks, no prompts, no signing, no tags that the refspecs do not name.
pub fn push_args(scope: Option<&CredentialScope>) -> Vec<String> {
    let mut args: Vec<String> = [
        "credential.helper=",
        "core.hooksPath=/dev/null",
        "core.askPass=",
        "push.gpgSign=false",
        "push.followTags=false",
    ]
    .iter()
    .flat_map(|c| ["-c".to_owned(), (*c).to_owned()])
    .collect();
    if let Some(scope) = scope {
        // The scope's characters were checked by `CredentialScope::of_url`: nothing in it is special to sh.
        // git sends the host lower-cased as the URL had it; compare without case all the same.
        let host = scope.host.to_ascii_lowercase();
        args.push("-c".into());
        args.push(format!(
            "credential.helper=!f() {{ p=; h=; while IFS= read -r l && test -n \"$l\"; do \
             case \"$l\" in \"protocol={protocol}\") p=1;; esac; \
             l=$(printf %s \"$l\" | tr A-Z a-z); case \"$l\" in \"host={host}\") h=1;; esac; done; \
             if test \"$1\" = get && test -n \"$p\" && test -n \"$h\"; then cat <&{CREDENTIAL_FD}; fi; }}; f",
            protocol = scope.protocol,
        ));
    }
    args
}

/// The environment variables a `git push` child keeps from keepopen's: where it finds programs, its home and
/// temporary directory, proxies and certificates. Everything else (a `GITHUB_TOKEN` above all, and any
/// `GIT_TRACE*` that could print what git sends) is dropped.
const PASSED_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "TMPDIR",
    "XDG_CONFIG_HOME",
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "GIT_SSL_CAINFO",
    "GIT_SSL_CAPATH",
];

/// `program` with only [`PASSED_ENV`] of keepopen's environment, C messages and no prompts.
fn git_command(program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0");
    for name in PASSED_ENV {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
}

/// One run of `git push`: what it said, and whether it was refused credentials.
struct PushRun {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl PushRun {
    /// git asked for credentials and the server refused them (or git had none to give).
    fn auth_failed(&self) -> bool {
        [
            "Authentication failed",
            "could not read Username",
            "could not read Password",
            "terminal prompts disabled",
        ]
        .iter()
        .any(|m| self.stderr.contains(m))
    }

    /// The refs the server refused (`--porcelain` marks them `!`): `dst: reason` each.
    fn refused(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter_map(|line| line.strip_prefix("!\t"))
            .map(|rest| {
                let mut fields = rest.splitn(2, '\t');
                let spec = fields.next().unwrap_or_default();
                let dst = spec.rsplit(':').next().unwrap_or(spec);
                format!("{dst}: {}", fields.next().unwrap_or("refused"))
            })
            .collect()
    }
}

/// Run `git push` from the repository at `git_dir`; `credential`, when given, is what the helper answers.
fn run_push(
    git_dir: &Path,
    url: &str,
    refspecs: &[String],
    credential: Option<(&str, &CredentialScope)>,
) -> anyhow::Result<PushRun> {
    // `sh` moves its standard input (the pipe) to fd 3, where git and its children inherit it, then becomes git;
    // the credential is never in an argument or a variable.
    let mut command = git_command("sh");
    command
        .arg("-c")
        .arg(format!("exec {CREDENTIAL_FD}<&0 </dev/null; exec \"$@\""))
        .arg("keepopen-git-push")
        .arg("git")
        .args(push_args(credential.map(|(_, scope)| scope)))
        .arg("--git-dir")
        .arg(git_dir)
        .args(["push", "--porcelain", "--no-verify", "--no-signed"])
        .arg(url)
        .args(refspecs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (reader, mut writer) = std::io::pipe().context("cannot create a pipe for git")?;
    if let Some((credential, _)) = credential {
        // A few bytes: the pipe holds them until the helper reads them (or git exits without asking).
        writer
            .write_all(credential.as_bytes())
            .context("cannot hand the credential to git")?;
    }
    drop(writer);
    command.stdin(reader);
    let output = command
        .output()
        .context("cannot run `git push`\nhelp: keepopen pushes with the system git; install it")?;
    Ok(PushRun {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Push `refspecs` (explicit, e.g. `<id>:refs/heads/main`) from `repo` to `url`, with the system `git push`
/// (see [`check_git`] for why). Fails if the server refuses any ref.
///
/// The token goes to git through a credential helper that reads it from a pipe keepopen writes, as user
/// `x-access-token`: never in a URL, an argument, a variable of the child's environment or a file. A token
/// the server refuses is replaced by a fresh one from the source, up to [`MAX_TOKENS`], as in [`remote_refs`].
pub fn push(
    repo: &Repository,
    url: &str,
    refspecs: &[String],
    tokens: Option<&dyn TokenSource>,
) -> anyhow::Result<()> {
    if refspecs.is_empty() {
        return Ok(());
    }
    for spec in refspecs {
        let dst = spec.rsplit(':').next().unwrap_or_default();
        if !(dst.starts_with("refs/heads/") || dst.starts_with("refs/tags/")) {
            bail!("refusing to push {spec}: only refs/heads/* and refs/tags/* are published");
        }
    }
    check_git()?;
    tracing::debug!(refs = refspecs.len(), "pushing");
    tracing::trace!(?refspecs, "refspecs");
    let scope = match tokens {
        None => None,
        Some(_) => Some(CredentialScope::of_url(url).with_context(|| {
            format!("refusing to hand a token to {url}: only an http(s) URL with a plain host name takes one")
        })?),
    };
    let mut tried: Vec<Token> = Vec::new();
    loop {
        let credential = match tokens {
            None => None,
            Some(tokens) => {
                if tried.len() >= MAX_TOKENS {
                    bail!("push failed: the server refused every token given");
                }
                let token = tokens.token().context("push failed: no token")?;
                if tried.contains(&token) {
                    bail!(
                        "push failed: the server refused the token and no fresh one is available"
                    );
                }
                let credential = format!("username=x-access-token\npassword={}\n", token.expose());
                tried.push(token);
                Some(credential)
            }
        };
        let run = run_push(
            repo.path(),
            url,
            refspecs,
            credential.as_deref().zip(scope.as_ref()),
        )?;
        if run.ok {
            return Ok(());
        }
        let refused = run.refused();
        if !refused.is_empty() {
            bail!("the target refused {}", refused.join("; "));
        }
        if tokens.is_some() && run.auth_failed() {
            tracing::debug!(attempt = tried.len(), "the server refused the token");
            continue;
        }
        bail!("push failed: {}", run.stderr.trim());
    }
}

/// Point a local bare repository's HEAD at `branch` and set its description (the local forge's "settings").
pub fn set_local_head(target: &Path, branch: &str, description: &str) -> anyhow::Result<()> {
    let repo = Repository::open_bare(target)
        .with_context(|| format!("cannot open {}", target.display()))?;
    repo.set_head(&format!("refs/heads/{branch}"))?;
    std::fs::write(target.join("description"), format!("{description}\n"))
        .with_context(|| format!("cannot write the description of {}", target.display()))?;
    Ok(())
}

/// Create the local forge's bare repository if missing.
pub fn ensure_local(target: &Path) -> anyhow::Result<bool> {
    if Repository::open_bare(target).is_ok() {
        return Ok(false);
    }
    let mut options = git2::RepositoryInitOptions::new();
    options.bare(true).mkpath(true);
    Repository::init_opts(target, &options)
        .with_context(|| format!("cannot create {}", target.display()))?;
    Ok(true)
}

/// Whether every commit reachable from the mirror's other refs (`refs/pull/*`, `refs/keepopen/*`, …) is also
/// reachable from its heads and tags: then its object files hold nothing that is not published anyway.
pub fn only_published_history(mirror: &Path) -> anyhow::Result<bool> {
    let repo = Repository::open_bare(mirror)?;
    let mut walk = repo.revwalk()?;
    let mut others = false;
    for reference in repo.references()? {
        let reference = reference?;
        let Ok(name) = reference.name() else { continue };
        let Some(target) = reference.target() else {
            continue;
        };
        let Ok(commit) = repo
            .find_object(target, None)
            .and_then(|o| o.peel_to_commit())
        else {
            continue;
        };
        if name.starts_with("refs/heads/") || name.starts_with("refs/tags/") {
            walk.hide(commit.id())?;
        } else {
            walk.push(commit.id())?;
            others = true;
        }
    }
    if !others {
        return Ok(true);
    }
    Ok(walk.next().is_none())
}

/// The local forge's fast path for an empty target: hard-link (or copy) the mirror's object files into it and
/// set its heads and tags, exactly as `git clone --local` does. The objects are byte-for-byte the mirror's; the
/// notice commit then goes by an ordinary push. Only used when [`only_published_history`] holds.
pub fn seed_local(
    mirror: &Path,
    target: &Path,
    refs: &BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let from = mirror.join("objects");
    let to = target.join("objects");
    for entry in
        std::fs::read_dir(&from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_pack_dir = name == "pack";
        let is_loose_dir = name.len() == 2 && name.chars().all(|c| c.is_ascii_hexdigit());
        if !(is_pack_dir || is_loose_dir) {
            continue;
        }
        let dest_dir = to.join(&*name);
        std::fs::create_dir_all(&dest_dir)?;
        for file in std::fs::read_dir(entry.path())? {
            let file = file?;
            let dest = dest_dir.join(file.file_name());
            if dest.exists() || !file.file_type()?.is_file() {
                continue;
            }
            if std::fs::hard_link(file.path(), &dest).is_err() {
                std::fs::copy(file.path(), &dest).with_context(|| {
                    format!(
                        "cannot copy {} to {}",
                        file.path().display(),
                        dest.display()
                    )
                })?;
            }
        }
    }
    let repo = Repository::open_bare(target)?;
    for (name, id) in refs {
        repo.reference(
            name,
            Oid::from_str(id)?,
            false,
            "keepopen: seed from the mirror",
        )?;
    }
    Ok(())
}
