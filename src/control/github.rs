//! The control repository on GitHub: proposals are pull requests from `keepopen/<owner>/<repo>` branches.
//!
//! Requests, all under `/repos/{control}` unless said: `GET pulls?state=…&head=owner:branch`, `GET git/ref/heads/…`,
//! `POST git/refs` (a new proposal's branch, at the base),
//! `GET`/`PUT contents/{path}` (the record, one commit), `POST pulls`, `PATCH pulls/{n}`, `PUT issues/{n}/labels`,
//! `GET pulls/{n}`, `GET pulls/{n}/reviews`, `GET`/`POST issues/{n}/comments`,
//! `GET /orgs/{org}/teams/{slug}/memberships/{user}`, and for the
//! records on the base branch `GET git/trees/{sha}` (down to the records folder, then `?recursive=1`) and
//! `GET git/blobs/{sha}` (one a record).

mod requests;
mod wire;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use serde::Deserialize;
use serde_json::json;

use super::{
    BaseRecords, Batch, BatchPull, Comment, ControlRepository, LatestProposal, Proposal, Proposed,
    PullEvidence, PullState,
};
use crate::approval::{ApprovalConfig, PullFacts};
use crate::github::{Client, WriteMethod, encode_segment};
use wire::{
    BlobJson, CommentJson, Membership, Pull, RefObject, TreeJson, decode, decode_base64,
    decode_content, expect, is_record_path, segments,
};

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
    /// The folder of decision records (`approval.records`).
    records: String,
    /// Every pull request of the control repository, listed once per run (a page per hundred) and kept up to date
    /// with this client's own writes: a run asks GitHub about each proposal's pull requests without a request
    /// per repository.
    all_pulls: std::sync::Arc<tokio::sync::Mutex<Option<Vec<Pull>>>>,
    /// The files each pull request changed, by number (asked once per run).
    changed: std::sync::Arc<tokio::sync::Mutex<std::collections::BTreeMap<u64, BTreeSet<String>>>>,
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
            records: config.records.clone(),
            all_pulls: Default::default(),
            changed: Default::default(),
        })
    }
}

impl ControlRepository for GithubControl {
    async fn propose(&self, proposal: &Proposal) -> anyhow::Result<Proposed> {
        let open = self
            .pulls(&proposal.branch, "open")
            .await?
            .into_iter()
            .next();
        let records_written = self.write_records(proposal).await?;
        let (pull, opened, pull_written) = match open {
            Some(pull) => {
                let (pull, written) = self.update_pull(pull, proposal).await?;
                (pull, false, written)
            }
            None => (self.open_pull(proposal).await?, true, true),
        };
        let (pull, labels_written) = self.label_pull(pull, proposal).await?;
        let (number, url) = (pull.number, pull.html_url);
        Ok(if opened {
            Proposed::Opened { number, url }
        } else if records_written || pull_written || labels_written {
            Proposed::Updated { number, url }
        } else {
            Proposed::Unchanged { number, url }
        })
    }

    async fn batches(&self, _records: &str) -> anyhow::Result<Vec<Batch>> {
        let repo = self.repo();
        // Every batch branch, half-made ones (no pull request yet) included.
        let path = format!(
            "{repo}/git/matching-refs/heads/{}",
            segments(crate::proposal::BATCH_PREFIX.trim_end_matches('/'))
        );
        #[derive(Deserialize)]
        struct MatchingRef {
            #[serde(rename = "ref")]
            name: String,
            object: RefObject,
        }
        let refs: Vec<MatchingRef> = self.get_ok(&path).await?;
        let mut tips: BTreeMap<String, String> = refs
            .into_iter()
            .filter_map(|r| {
                let branch = r.name.strip_prefix("refs/heads/")?.to_owned();
                crate::proposal::is_batch_branch(&branch).then_some((branch, r.object.sha))
            })
            .collect();
        let listed: Vec<Pull> = self
            .listed()
            .await?
            .iter()
            .flatten()
            .filter(|p| crate::proposal::is_batch_branch(&p.head.name))
            .cloned()
            .collect();
        let mut branches: BTreeSet<String> = tips.keys().cloned().collect();
        branches.extend(listed.iter().map(|p| p.head.name.clone()));
        let mut out = Vec::new();
        for branch in branches {
            let of_branch: Vec<&Pull> = listed.iter().filter(|p| p.head.name == branch).collect();
            let latest = of_branch
                .iter()
                .find(|p| p.closed_at.is_none() && p.merged_at.is_none())
                .or_else(|| of_branch.iter().max_by_key(|p| p.number));
            let pull = latest.map(|p| BatchPull {
                number: p.number,
                url: p.html_url.clone(),
                state: if p.merged_at.is_some() {
                    PullState::Merged
                } else if p.closed_at.is_some() {
                    PullState::Closed
                } else {
                    PullState::Open
                },
                closed_at: p.closed_at,
                members: crate::proposal::batch_members(p.body.as_deref().unwrap_or_default()),
            });
            // Open or half made: the branch's tip; closed: its head as closed; merged: nothing needed.
            let head = match &pull {
                None => tips.remove(&branch),
                Some(p) if p.state == PullState::Open => tips.remove(&branch),
                Some(p) if p.state == PullState::Closed => latest.and_then(|l| l.head.sha.clone()),
                Some(_) => None,
            };
            let records = match &head {
                Some(sha) => self.records_tree(sha).await?,
                None => BTreeMap::new(),
            };
            out.push(Batch {
                branch,
                pull,
                records,
                head,
            });
        }
        Ok(out)
    }

    async fn record_at(&self, head: &str, path: &str) -> anyhow::Result<Option<String>> {
        self.file_at(path, head)
            .await?
            .map(|c| decode_content(&c))
            .transpose()
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
        let reviews = self.reviews(&pull).await?;
        let merged = pull.merged.unwrap_or(pull.merged_at.is_some());
        // A batch's merge commit holds every record already on the base: only a record the pull request itself
        // changed is one it approved.
        let changed = if crate::proposal::is_batch_branch(branch) && merged {
            self.changed_files(pull.number).await?.contains(record_path)
        } else {
            true
        };
        let record_text = match (&pull.merge_commit_sha, merged && changed) {
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
        let declined = pulls
            .iter()
            .filter(|p| p.number < chosen.number && p.closed_at.is_some() && p.merged_at.is_none())
            .max_by_key(|p| p.number);
        let declined_before = match (state, declined) {
            (PullState::Open, Some(d)) => Some((
                d.number,
                match &d.head.sha {
                    Some(sha) => self
                        .file_at(record_path, sha)
                        .await?
                        .map(|c| decode_content(&c))
                        .transpose()?,
                    None => None,
                },
            )),
            _ => None,
        };
        Ok(Some(LatestProposal {
            number: chosen.number,
            url: chosen.html_url.clone(),
            state,
            closed_at: chosen.closed_at,
            record_text,
            declined_before,
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
        // Every run starts here: what an earlier run (perhaps cut short) listed is listed again.
        *self.all_pulls.lock().await = None;
        self.changed.lock().await.clear();
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
