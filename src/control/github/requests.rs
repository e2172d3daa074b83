//! The requests [`GithubControl`] makes, each once per run where it can: the pull requests listed once and kept
//! up to date with its own writes, the files each changed, branch tips, files at a ref, record trees.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::GithubControl;
use super::wire::{
    ContentJson, Pull, RefJson, TreeJson, decode, encode_query, expect, is_record_path, segments,
};
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
}
