//! The control repository on GitHub: proposals are pull requests from `keepopen/<owner>/<repo>` branches.
//!
//! Requests, all under `/repos/{control}` unless said: `GET pulls?state=…&head=owner:branch`, `GET git/ref/heads/…`,
//! `POST git/refs` (a new proposal's branch, at the base),
//! `GET`/`PUT contents/{path}` (the record, one commit), `POST pulls`, `PATCH pulls/{n}`, `PUT issues/{n}/labels`,
//! `GET pulls/{n}`, `GET pulls/{n}/reviews`, `GET`/`POST issues/{n}/comments`,
//! `GET /orgs/{org}/teams/{slug}/memberships/{user}`, and for the
//! records on the base branch `GET git/trees/{sha}` (down to the records folder, then `?recursive=1`) and
//! `GET git/blobs/{sha}` (one a record).

use std::collections::BTreeSet;

use anyhow::Context;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::json;

use super::{
    BaseRecords, Comment, ControlRepository, LatestProposal, Proposal, Proposed, PullEvidence,
    PullState,
};
use crate::approval::{ApprovalConfig, PullFacts, Review, ReviewState};
use crate::github::{Client, Error, Reply, WriteMethod, encode_segment, repo_path};

/// The control repository through the REST API.
#[derive(Debug, Clone)]
pub struct GithubControl {
    client: Client,
    /// The API base, for following `Link` headers.
    api_url: String,
    /// `owner/name`.
    repository: String,
    base: String,
    labels: crate::approval::Labels,
    team: Option<(String, String)>,
    maintainers: BTreeSet<String>,
    /// The login keepopen acts as: `approval.bot-login`, else what `GET /user` says (asked once).
    identity: std::sync::Arc<tokio::sync::OnceCell<String>>,
}

#[derive(Debug, Deserialize)]
struct Login {
    login: String,
}

#[derive(Debug, Deserialize)]
struct Head {
    #[serde(rename = "ref")]
    name: String,
    #[serde(default)]
    sha: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Label {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Pull {
    number: u64,
    html_url: String,
    head: Head,
    user: Option<Login>,
    #[serde(default)]
    merged_at: Option<String>,
    #[serde(default)]
    merged: Option<bool>,
    #[serde(default)]
    merge_commit_sha: Option<String>,
    #[serde(default)]
    closed_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Debug, Deserialize)]
struct CommentJson {
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<Login>,
}

#[derive(Debug, Deserialize)]
struct ReviewJson {
    user: Option<Login>,
    state: String,
    /// The commit reviewed.
    #[serde(default)]
    commit_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RefJson {
    object: RefObject,
}

#[derive(Debug, Deserialize)]
struct RefObject {
    sha: String,
}

#[derive(Debug, Deserialize)]
struct ContentJson {
    sha: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    encoding: String,
}

#[derive(Debug, Deserialize)]
struct TreeJson {
    #[serde(default)]
    truncated: bool,
    tree: Vec<TreeEntry>,
}

#[derive(Debug, Deserialize)]
struct TreeEntry {
    path: String,
    #[serde(rename = "type")]
    kind: String,
    sha: String,
}

#[derive(Debug, Deserialize)]
struct BlobJson {
    #[serde(default)]
    content: String,
    #[serde(default)]
    encoding: String,
}

#[derive(Debug, Deserialize)]
struct Membership {
    state: String,
}

/// A `/`-separated path with each segment percent-encoded.
fn segments(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

fn decode<T: serde::de::DeserializeOwned>(path: &str, reply: &Reply) -> Result<T, Error> {
    serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

fn expect(path: &str, reply: &Reply, ok: &[u16]) -> Result<(), Error> {
    if ok.contains(&reply.status) {
        Ok(())
    } else {
        Err(Error::Status {
            path: path.to_owned(),
            status: reply.status,
            message: serde_json::from_str::<serde_json::Value>(&reply.body)
                .ok()
                .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned)),
        })
    }
}

impl GithubControl {
    /// A client for `config.repository` at `config.api-url`.
    pub fn new(config: &ApprovalConfig, client: Client) -> anyhow::Result<GithubControl> {
        let repository = config
            .repository
            .clone()
            .context("`approval.repository` is not set")?;
        Ok(GithubControl {
            client,
            api_url: config.api_url.trim_end_matches('/').to_owned(),
            repository,
            base: config.base.clone(),
            labels: config.labels.clone(),
            team: config
                .team_parts()
                .map(|(o, s)| (o.to_owned(), s.to_owned())),
            maintainers: config
                .maintainers
                .iter()
                .map(|m| m.to_lowercase())
                .collect(),
            identity: std::sync::Arc::new(match &config.bot_login {
                Some(login) => tokio::sync::OnceCell::new_with(Some(login.clone())),
                None => tokio::sync::OnceCell::new(),
            }),
        })
    }

    fn repo(&self) -> String {
        repo_path(&self.repository)
    }

    fn owner(&self) -> &str {
        self.repository
            .split_once('/')
            .map(|(o, _)| o)
            .unwrap_or(&self.repository)
    }

    async fn get_ok<T: serde::de::DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        let reply = self.client.get(path, None).await?;
        expect(path, &reply, &[200])?;
        Ok(decode(path, &reply)?)
    }

    async fn write_ok(
        &self,
        method: WriteMethod,
        path: &str,
        body: serde_json::Value,
        ok: &[u16],
    ) -> anyhow::Result<Reply> {
        let reply = self.client.write(method, path, &body).await?;
        if !ok.contains(&reply.status) {
            return Err(Error::Write {
                method: method.as_str(),
                path: path.to_owned(),
                status: Some(reply.status),
                message: serde_json::from_str::<serde_json::Value>(&reply.body)
                    .ok()
                    .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned)),
            }
            .into());
        }
        Ok(reply)
    }

    /// Pull requests from `branch` in `state` (`open`, `closed`, `all`), every page.
    async fn pulls(&self, branch: &str, state: &str) -> anyhow::Result<Vec<Pull>> {
        let head = format!("{}:{branch}", self.owner());
        let mut path = Some(format!(
            "{}/pulls?state={state}&head={}&per_page=100",
            self.repo(),
            encode_query(&head)
        ));
        let mut out: Vec<Pull> = Vec::new();
        while let Some(p) = path.take() {
            let reply = self.client.get(&p, None).await?;
            expect(&p, &reply, &[200])?;
            out.extend(decode::<Vec<Pull>>(&p, &reply)?);
            path = reply
                .link
                .as_deref()
                .and_then(crate::github::next_link)
                .and_then(|l| self.relative(&l));
        }
        // The `head` filter is the server's; check it here too.
        out.retain(|p| p.head.name == branch);
        Ok(out)
    }

    fn relative(&self, link: &str) -> Option<String> {
        crate::github::relative_to_base(link, &self.api_url)
    }

    async fn branch_sha(&self, branch: &str) -> anyhow::Result<Option<String>> {
        let path = format!("{}/git/ref/heads/{}", self.repo(), segments(branch));
        let reply = self.client.get(&path, None).await?;
        match reply.status {
            404 => Ok(None),
            _ => {
                expect(&path, &reply, &[200])?;
                Ok(Some(decode::<RefJson>(&path, &reply)?.object.sha))
            }
        }
    }

    async fn file_at(&self, file: &str, reference: &str) -> anyhow::Result<Option<ContentJson>> {
        let path = format!(
            "{}/contents/{}?ref={}",
            self.repo(),
            segments(file),
            encode_query(reference)
        );
        let reply = self.client.get(&path, None).await?;
        match reply.status {
            404 => Ok(None),
            _ => {
                expect(&path, &reply, &[200])?;
                Ok(Some(decode(&path, &reply)?))
            }
        }
    }
}

/// Percent-encode a query value.
fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/' | b':') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn decode_content(content: &ContentJson) -> anyhow::Result<String> {
    decode_base64(&content.content, &content.encoding)
}

fn decode_base64(content: &str, encoding: &str) -> anyhow::Result<String> {
    anyhow::ensure!(
        encoding == "base64",
        "unexpected content encoding {encoding:?}"
    );
    let compact: String = content.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .context("the record is not valid base64")?;
    String::from_utf8(bytes).context("the record is not UTF-8")
}

/// Whether `path`, relative to the records folder, is where a decision record lives: `<owner>/<repo>.yaml`.
fn is_record_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts[..], [owner, file] if !owner.is_empty() && file.len() > ".yaml".len() && file.ends_with(".yaml"))
}

impl ControlRepository for GithubControl {
    async fn propose(&self, proposal: &Proposal) -> anyhow::Result<Proposed> {
        let repo = self.repo();
        let branch = &proposal.branch;
        let open = self.pulls(branch, "open").await?.into_iter().next();
        let current = match self.branch_sha(branch).await? {
            Some(_) => self
                .file_at(&proposal.record_path, branch)
                .await?
                .map(|c| decode_content(&c))
                .transpose()?,
            None => None,
        };
        if current.as_deref() != Some(proposal.record_yaml.as_str()) {
            // A new branch starts at the current base. An existing one gets one more commit that rewrites the
            // record: never reset to the base, since GitHub closes a pull request whose head stops differing.
            if self.branch_sha(branch).await?.is_none() {
                let base = self
                    .branch_sha(&self.base)
                    .await?
                    .with_context(|| format!("{}: no branch {:?}", self.repository, self.base))?;
                self.write_ok(
                    WriteMethod::Post,
                    &format!("{repo}/git/refs"),
                    json!({"ref": format!("refs/heads/{branch}"), "sha": base}),
                    &[201],
                )
                .await?;
            }
            let existing = self.file_at(&proposal.record_path, branch).await?;
            let mut body = json!({
                "message": proposal.message,
                "content": base64::engine::general_purpose::STANDARD.encode(&proposal.record_yaml),
                "branch": branch,
            });
            if let Some(existing) = existing {
                body["sha"] = json!(existing.sha);
            }
            self.write_ok(
                WriteMethod::Put,
                &format!("{repo}/contents/{}", segments(&proposal.record_path)),
                body,
                &[200, 201],
            )
            .await?;
        }
        let (number, url, existing_labels, outcome_open) = match open {
            Some(pull) => {
                self.write_ok(
                    WriteMethod::Patch,
                    &format!("{repo}/pulls/{}", pull.number),
                    json!({"title": proposal.title, "body": proposal.body}),
                    &[200],
                )
                .await?;
                let labels: Vec<String> = pull.labels.into_iter().map(|l| l.name).collect();
                (pull.number, pull.html_url, labels, false)
            }
            None => {
                let reply = self
                    .write_ok(
                        WriteMethod::Post,
                        &format!("{repo}/pulls"),
                        json!({
                            "title": proposal.title,
                            "head": branch,
                            "base": self.base,
                            "body": proposal.body,
                            "maintainer_can_modify": false,
                        }),
                        &[201],
                    )
                    .await?;
                let pull: Pull = decode(&format!("{repo}/pulls"), &reply)?;
                (pull.number, pull.html_url, Vec::new(), true)
            }
        };
        // Keep labels people added; swap ours.
        let ours = [&self.labels.allowed, &self.labels.review];
        let mut labels: Vec<String> = existing_labels
            .iter()
            .filter(|l| !ours.contains(l))
            .cloned()
            .collect();
        labels.extend(proposal.labels.iter().cloned());
        // Only when they differ: a settled proposal is not written again.
        let same = labels.iter().collect::<BTreeSet<_>>()
            == existing_labels.iter().collect::<BTreeSet<_>>();
        if !same {
            self.write_ok(
                WriteMethod::Put,
                &format!("{repo}/issues/{number}/labels"),
                json!({ "labels": labels }),
                &[200],
            )
            .await?;
        }
        Ok(if outcome_open {
            Proposed::Opened { number, url }
        } else {
            Proposed::Updated { number, url }
        })
    }

    async fn pull_for(
        &self,
        branch: &str,
        record_path: &str,
    ) -> anyhow::Result<Option<PullEvidence>> {
        let pulls = self.pulls(branch, "all").await?;
        let chosen = pulls
            .iter()
            .filter(|p| p.merged_at.is_some())
            .max_by(|a, b| a.merged_at.cmp(&b.merged_at))
            .or_else(|| pulls.iter().max_by_key(|p| p.number));
        let Some(chosen) = chosen else {
            return Ok(None);
        };
        let repo = self.repo();
        // The pull request itself is the authority on whether it was merged.
        let pull: Pull = self
            .get_ok(&format!("{repo}/pulls/{}", chosen.number))
            .await?;
        let mut reviews = Vec::new();
        let mut path = Some(format!("{repo}/pulls/{}/reviews?per_page=100", pull.number));
        while let Some(p) = path.take() {
            let reply = self.client.get(&p, None).await?;
            expect(&p, &reply, &[200])?;
            for r in decode::<Vec<ReviewJson>>(&p, &reply)? {
                let state = match r.state.as_str() {
                    "APPROVED" => ReviewState::Approved,
                    "CHANGES_REQUESTED" => ReviewState::ChangesRequested,
                    "DISMISSED" => ReviewState::Dismissed,
                    "PENDING" => ReviewState::Pending,
                    _ => ReviewState::Commented,
                };
                // A review of another commit than the head that was merged approved an earlier version.
                let stale = match (&r.commit_id, &pull.head.sha) {
                    (Some(reviewed), Some(head)) => reviewed != head,
                    _ => false,
                };
                if let Some(user) = r.user {
                    reviews.push(Review {
                        login: user.login,
                        state,
                        stale,
                    });
                }
            }
            path = reply
                .link
                .as_deref()
                .and_then(crate::github::next_link)
                .and_then(|l| self.relative(&l));
        }
        let merged = pull.merged.unwrap_or(pull.merged_at.is_some());
        let record_text = match (&pull.merge_commit_sha, merged) {
            (Some(sha), true) => self
                .file_at(record_path, sha)
                .await?
                .map(|c| decode_content(&c))
                .transpose()?,
            _ => None,
        };
        Ok(Some(PullEvidence {
            facts: PullFacts {
                number: pull.number,
                author: pull.user.map(|u| u.login).unwrap_or_default(),
                merged,
                head_branch: pull.head.name,
            },
            url: pull.html_url,
            reviews,
            record_text,
        }))
    }

    async fn latest_proposal(
        &self,
        branch: &str,
        record_path: &str,
    ) -> anyhow::Result<Option<LatestProposal>> {
        let pulls = self.pulls(branch, "all").await?;
        // GitHub lists open ones as `state: open`; a merged one has `merged_at`.
        let open = pulls
            .iter()
            .filter(|p| p.closed_at.is_none() && p.merged_at.is_none());
        let Some(chosen) = open
            .max_by_key(|p| p.number)
            .or_else(|| pulls.iter().max_by_key(|p| p.number))
        else {
            return Ok(None);
        };
        let state = if chosen.merged_at.is_some() {
            PullState::Merged
        } else if chosen.closed_at.is_some() {
            PullState::Closed
        } else {
            PullState::Open
        };
        // A closed pull request's head stays at the commit it was closed on: the record as declined.
        let record_text = match (state, &chosen.head.sha) {
            (PullState::Closed, Some(sha)) => self
                .file_at(record_path, sha)
                .await?
                .map(|c| decode_content(&c))
                .transpose()?,
            _ => None,
        };
        Ok(Some(LatestProposal {
            number: chosen.number,
            url: chosen.html_url.clone(),
            state,
            closed_at: chosen.closed_at,
            record_text,
        }))
    }

    async fn identity(&self) -> anyhow::Result<String> {
        let login = self
            .identity
            .get_or_try_init(|| async {
                #[derive(Deserialize)]
                struct User {
                    login: String,
                }
                self.get_ok::<User>("/user")
                    .await
                    .map(|u| u.login)
                    .context(
                        "cannot tell which login keepopen comments as (GET /user)\nhelp: with a GitHub App \
                         installation token, set `approval.bot-login` to the App's bot login, `<app-slug>[bot]`",
                    )
            })
            .await?;
        Ok(login.clone())
    }

    async fn comments(&self, number: u64) -> anyhow::Result<Vec<Comment>> {
        let mut out = Vec::new();
        let mut path = Some(format!(
            "{}/issues/{number}/comments?per_page=100",
            self.repo()
        ));
        while let Some(p) = path.take() {
            let reply = self.client.get(&p, None).await?;
            expect(&p, &reply, &[200])?;
            out.extend(
                decode::<Vec<CommentJson>>(&p, &reply)?
                    .into_iter()
                    .filter_map(|c| {
                        Some(Comment {
                            author: c.user.map(|u| u.login).unwrap_or_default(),
                            body: c.body?,
                        })
                    }),
            );
            path = reply
                .link
                .as_deref()
                .and_then(crate::github::next_link)
                .and_then(|l| self.relative(&l));
        }
        Ok(out)
    }

    async fn comment(&self, number: u64, body: &str) -> anyhow::Result<()> {
        self.write_ok(
            WriteMethod::Post,
            &format!("{}/issues/{number}/comments", self.repo()),
            json!({ "body": body }),
            &[201],
        )
        .await?;
        Ok(())
    }

    async fn maintainers(&self, logins: &[String]) -> anyhow::Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        for login in logins {
            let lower = login.to_lowercase();
            if self.maintainers.contains(&lower) {
                out.insert(lower);
                continue;
            }
            let Some((org, slug)) = &self.team else {
                continue;
            };
            let path = format!(
                "/orgs/{}/teams/{}/memberships/{}",
                encode_segment(org),
                encode_segment(slug),
                encode_segment(login)
            );
            let reply = self.client.get(&path, None).await?;
            match reply.status {
                404 => {}
                _ => {
                    expect(&path, &reply, &[200])?;
                    if decode::<Membership>(&path, &reply)?.state == "active" {
                        out.insert(lower);
                    }
                }
            }
        }
        Ok(out)
    }

    async fn base_records(&self, records: &str) -> anyhow::Result<BaseRecords> {
        let repo = self.repo();
        let source = format!("{} of {}", self.base, self.repository);
        let mut out = BaseRecords {
            update_help: format!(
                "pull {} into the checkout (`git pull`), then rerun",
                self.base
            ),
            source,
            records: Default::default(),
        };
        let tip = self
            .branch_sha(&self.base)
            .await?
            .with_context(|| format!("{}: no branch {:?}", self.repository, self.base))?;
        // Down to the records folder one tree at a time (the whole repository's tree can be too large for one
        // answer), then that folder whole.
        let segments: Vec<&str> = records.split('/').filter(|s| !s.is_empty()).collect();
        let mut tree = tip;
        for (i, segment) in segments.iter().enumerate() {
            let path = format!("{repo}/git/trees/{}", encode_segment(&tree));
            let listing: TreeJson = self.get_ok(&path).await?;
            let Some(entry) = listing.tree.into_iter().find(|e| e.path == *segment) else {
                // No record was ever merged.
                return Ok(out);
            };
            anyhow::ensure!(
                entry.kind == "tree",
                "{}: {} on {} is a {}, not the folder of decision records",
                self.repository,
                segments[..=i].join("/"),
                self.base,
                entry.kind
            );
            tree = entry.sha;
        }
        let path = format!("{repo}/git/trees/{}?recursive=1", encode_segment(&tree));
        let listing: TreeJson = self.get_ok(&path).await?;
        anyhow::ensure!(
            !listing.truncated,
            "{}: the folder {records} on {} holds more entries than GitHub lists in one answer",
            self.repository,
            self.base
        );
        let prefix = segments.join("/");
        for entry in listing.tree {
            if entry.kind != "blob" || !is_record_path(&entry.path) {
                continue;
            }
            let full = if prefix.is_empty() {
                entry.path.clone()
            } else {
                format!("{prefix}/{}", entry.path)
            };
            let path = format!("{repo}/git/blobs/{}", encode_segment(&entry.sha));
            let blob: BlobJson = self.get_ok(&path).await?;
            let text = decode_base64(&blob.content, &blob.encoding)
                .with_context(|| format!("{full} on {} of {}", self.base, self.repository))?;
            out.records.insert(full, text);
        }
        Ok(out)
    }

    async fn record_written(&self, _record_path: &str, _text: &str) -> anyhow::Result<()> {
        // The checkout is committed and pushed to the base branch by the workflow (scripts/commit-records), or
        // by whoever ran `apply` on a laptop.
        Ok(())
    }
}
