//! The requests [`GithubControl`] makes, each once per run where it can: the pull requests listed once and kept
//! up to date with its own writes, the files each changed, branch tips, files at a ref, record trees.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use anyhow::Context;
use base64::Engine as _;
use serde_json::json;

use super::GithubControl;
use super::wire::{
    ContentJson, Label, Pull, RefJson, ReviewJson, TreeJson, decode, encode_query, expect,
    is_record_path, segments,
};
use crate::approval::{Review, ReviewState};
use crate::control::{Proposal, blob_id};
use crate::github::{Error, Reply, WriteMethod, encode_segment, repo_path};

impl GithubControl {
    pub(super) fn repo(&self) -> String {
        repo_path(&self.repository)
    }

    pub(super) async fn get_ok<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> anyhow::Result<T> {
        let reply = self.client.get(path, None).await?;
        expect(path, &reply, &[200])?;
        Ok(decode(path, &reply)?)
    }

    pub(super) async fn write_ok(
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

    /// Every pull request of the control repository (cached for the run; every page).
    pub(super) async fn listed(
        &self,
    ) -> anyhow::Result<tokio::sync::MutexGuard<'_, Option<Vec<Pull>>>> {
        let mut cache = self.all_pulls.lock().await;
        if cache.is_none() {
            let mut path = Some(format!("{}/pulls?state=all&per_page=100", self.repo()));
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
            *cache = Some(out);
        }
        Ok(cache)
    }

    /// Pull requests from `branch` in `state` (`open`, `closed`, `all`).
    pub(super) async fn pulls(&self, branch: &str, state: &str) -> anyhow::Result<Vec<Pull>> {
        let cache = self.listed().await?;
        Ok(cache
            .iter()
            .flatten()
            .filter(|p| p.head.name == branch)
            .filter(|p| {
                let open = p.closed_at.is_none() && p.merged_at.is_none();
                match state {
                    "open" => open,
                    "closed" => !open,
                    _ => true,
                }
            })
            .cloned()
            .collect())
    }

    /// Keep the cached listing as this client's writes left the pull request.
    pub(super) async fn remember(&self, pull: Pull) {
        let mut cache = self.all_pulls.lock().await;
        if let Some(list) = cache.as_mut() {
            list.retain(|p| p.number != pull.number);
            list.push(pull);
        }
    }

    /// The record files under the records folder at commit `sha`: path (from the repository's root) → blob id.
    /// Down to the folder one tree at a time, then that folder whole.
    pub(super) async fn records_tree(&self, sha: &str) -> anyhow::Result<BTreeMap<String, String>> {
        let repo = self.repo();
        let segments: Vec<&str> = self.records.split('/').filter(|s| !s.is_empty()).collect();
        let mut tree = sha.to_owned();
        let mut out = BTreeMap::new();
        for segment in &segments {
            let path = format!("{repo}/git/trees/{}", encode_segment(&tree));
            let listing: TreeJson = self.get_ok(&path).await?;
            match listing.tree.into_iter().find(|e| e.path == *segment) {
                Some(entry) if entry.kind == "tree" => tree = entry.sha,
                _ => return Ok(out),
            }
        }
        let path = format!("{repo}/git/trees/{}?recursive=1", encode_segment(&tree));
        let listing: TreeJson = self.get_ok(&path).await?;
        anyhow::ensure!(
            !listing.truncated,
            "{}: the folder {} at {sha} holds more entries than GitHub lists in one answer",
            self.repository,
            self.records
        );
        let prefix = segments.join("/");
        for entry in listing.tree {
            if entry.kind == "blob" && is_record_path(&entry.path) {
                out.insert(format!("{prefix}/{}", entry.path), entry.sha);
            }
        }
        Ok(out)
    }

    /// The files pull request `number` changed (cached for the run).
    pub(super) async fn changed_files(&self, number: u64) -> anyhow::Result<BTreeSet<String>> {
        if let Some(files) = self.changed.lock().await.get(&number) {
            return Ok(files.clone());
        }
        #[derive(Deserialize)]
        struct FileJson {
            filename: String,
            status: String,
        }
        let mut out = BTreeSet::new();
        let mut path = Some(format!("{}/pulls/{number}/files?per_page=100", self.repo()));
        while let Some(p) = path.take() {
            let reply = self.client.get(&p, None).await?;
            expect(&p, &reply, &[200])?;
            for f in decode::<Vec<FileJson>>(&p, &reply)? {
                if f.status != "removed" {
                    out.insert(f.filename);
                }
            }
            path = reply
                .link
                .as_deref()
                .and_then(crate::github::next_link)
                .and_then(|l| self.relative(&l));
        }
        self.changed.lock().await.insert(number, out.clone());
        Ok(out)
    }

    /// Every review of `pull`, page by page: its state, and whether it reviewed another commit than the head
    /// that was merged (then it approved an earlier version). A review by a deleted account is left out.
    pub(super) async fn reviews(&self, pull: &Pull) -> anyhow::Result<Vec<Review>> {
        let mut reviews = Vec::new();
        let mut path = Some(format!(
            "{}/pulls/{}/reviews?per_page=100",
            self.repo(),
            pull.number
        ));
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
        Ok(reviews)
    }

    pub(super) fn relative(&self, link: &str) -> Option<String> {
        crate::github::relative_to_base(link, &self.api_url)
    }

    pub(super) async fn branch_sha(&self, branch: &str) -> anyhow::Result<Option<String>> {
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

    pub(super) async fn file_at(
        &self,
        file: &str,
        reference: &str,
    ) -> anyhow::Result<Option<ContentJson>> {
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

    /// Write the proposal's record files to its branch, each one whose text differs from what the branch holds
    /// (by blob id); the branch is made at the base first if it does not exist. Whether anything was written.
    pub(super) async fn write_records(&self, proposal: &Proposal) -> anyhow::Result<bool> {
        let repo = self.repo();
        let branch = &proposal.branch;
        let mut wrote = false;
        // What the branch holds now, by blob id: a record with the same text is not written again.
        let mut tip = self.branch_sha(branch).await?;
        let on_branch = match &tip {
            Some(sha) => self.records_tree(sha).await?,
            None => BTreeMap::new(),
        };
        for (path, text) in &proposal.records {
            let existing = on_branch.get(path);
            if existing.map(String::as_str) == Some(blob_id(text).as_str()) {
                continue;
            }
            // A new branch starts at the current base. An existing one gets one more commit that rewrites the
            // record: never reset to the base, since GitHub closes a pull request whose head stops differing.
            if tip.is_none() {
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
                tip = Some(base);
            }
            let mut body = json!({
                "message": proposal.message,
                "content": base64::engine::general_purpose::STANDARD.encode(text),
                "branch": branch,
            });
            if let Some(existing) = existing {
                body["sha"] = json!(existing);
            }
            self.write_ok(
                WriteMethod::Put,
                &format!("{repo}/contents/{}", segments(path)),
                body,
                &[200, 201],
            )
            .await?;
            wrote = true;
        }
        Ok(wrote)
    }

    /// Bring an open pull request's title and body up to the proposal's; whether it was written.
    pub(super) async fn update_pull(
        &self,
        mut pull: Pull,
        proposal: &Proposal,
    ) -> anyhow::Result<(Pull, bool)> {
        if pull.title == proposal.title && pull.body.as_deref().unwrap_or_default() == proposal.body
        {
            return Ok((pull, false));
        }
        self.write_ok(
            WriteMethod::Patch,
            &format!("{}/pulls/{}", self.repo(), pull.number),
            json!({"title": proposal.title, "body": proposal.body}),
            &[200],
        )
        .await?;
        pull.title = proposal.title.clone();
        pull.body = Some(proposal.body.clone());
        self.remember(pull.clone()).await;
        Ok((pull, true))
    }

    /// Open the proposal's pull request, from its branch to the base.
    pub(super) async fn open_pull(&self, proposal: &Proposal) -> anyhow::Result<Pull> {
        let path = format!("{}/pulls", self.repo());
        let reply = self
            .write_ok(
                WriteMethod::Post,
                &path,
                json!({
                    "title": proposal.title,
                    "head": proposal.branch,
                    "base": self.base,
                    "body": proposal.body,
                    "maintainer_can_modify": false,
                }),
                &[201],
            )
            .await?;
        let pull: Pull = decode(&path, &reply)?;
        self.remember(pull.clone()).await;
        Ok(pull)
    }

    /// Give the pull request the proposal's labels, keeping labels people added and swapping keepopen's own;
    /// written only when they differ (a settled proposal is not written again). Whether it was written.
    pub(super) async fn label_pull(
        &self,
        mut pull: Pull,
        proposal: &Proposal,
    ) -> anyhow::Result<(Pull, bool)> {
        let existing: Vec<String> = pull.labels.iter().map(|l| l.name.clone()).collect();
        let ours = [&self.labels.allowed, &self.labels.review];
        let mut labels: Vec<String> = existing
            .iter()
            .filter(|l| !ours.contains(l))
            .cloned()
            .collect();
        labels.extend(proposal.labels.iter().cloned());
        if labels.iter().collect::<BTreeSet<_>>() == existing.iter().collect::<BTreeSet<_>>() {
            return Ok((pull, false));
        }
        self.write_ok(
            WriteMethod::Put,
            &format!("{}/issues/{}/labels", self.repo(), pull.number),
            json!({ "labels": labels }),
            &[200],
        )
        .await?;
        pull.labels = labels.into_iter().map(|name| Label { name }).collect();
        self.remember(pull.clone()).await;
        Ok((pull, true))
    }
}
