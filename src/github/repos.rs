//! The repository writes the republisher makes (create, update, topics, Actions off), each sent once through
//! [`Client::write`], and the target repository it reads back.

use super::errors::message_of;
use super::paths::{encode_segment, repo_path};
use super::{Client, Error, Reply, WriteMethod};

/// The parts of a repository the republisher reads back: where to push, and what the repository says it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct TargetRepository {
    pub id: u64,
    pub full_name: String,
    pub clone_url: String,
    pub html_url: String,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub archived: bool,
}

/// What `POST /orgs/{org}/repos` is asked to create.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewRepository {
    pub name: String,
    pub description: String,
    pub homepage: String,
    pub private: bool,
    pub has_issues: bool,
    pub has_wiki: bool,
    pub has_projects: bool,
    pub auto_init: bool,
}

impl Client {
    async fn write_expect(
        &self,
        method: WriteMethod,
        path: &str,
        body: &serde_json::Value,
        ok: &[u16],
    ) -> Result<Reply, Error> {
        let reply = self.write(method, path, body).await?;
        if ok.contains(&reply.status) {
            Ok(reply)
        } else {
            Err(Error::Write {
                method: method.as_str(),
                path: path.to_owned(),
                status: Some(reply.status),
                message: message_of(&reply.body),
            })
        }
    }

    /// `GET /repos/{owner}/{name}` for a repository keepopen writes to: `None` on 404.
    pub async fn target_repository(
        &self,
        full_name: &str,
    ) -> Result<Option<TargetRepository>, Error> {
        self.get_optional(repo_path(full_name)).await
    }

    /// `POST /orgs/{org}/repos`. Sent once.
    pub async fn create_org_repository(
        &self,
        org: &str,
        repo: &NewRepository,
    ) -> Result<TargetRepository, Error> {
        let path = format!("/orgs/{}/repos", encode_segment(org));
        let body = serde_json::to_value(repo).expect("plain data serialises");
        let reply = self
            .write_expect(WriteMethod::Post, &path, &body, &[201])
            .await?;
        serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
            path,
            message: e.to_string(),
        })
    }

    /// `PATCH /repos/{o}/{r}` with the given fields (description, homepage, default_branch, archived…).
    pub async fn update_repository(
        &self,
        full_name: &str,
        fields: &serde_json::Value,
    ) -> Result<(), Error> {
        self.write_expect(WriteMethod::Patch, &repo_path(full_name), fields, &[200])
            .await
            .map(drop)
    }

    /// `PUT /repos/{o}/{r}/topics`: replaces every topic.
    pub async fn replace_topics(&self, full_name: &str, topics: &[String]) -> Result<(), Error> {
        let path = format!("{}/topics", repo_path(full_name));
        self.write_expect(
            WriteMethod::Put,
            &path,
            &serde_json::json!({ "names": topics }),
            &[200],
        )
        .await
        .map(drop)
    }

    /// `PUT /repos/{o}/{r}/actions/permissions` with `enabled: false`: the repository's own workflows never run.
    pub async fn disable_actions(&self, full_name: &str) -> Result<(), Error> {
        let path = format!("{}/actions/permissions", repo_path(full_name));
        self.write_expect(
            WriteMethod::Put,
            &path,
            &serde_json::json!({ "enabled": false }),
            &[204, 200],
        )
        .await
        .map(drop)
    }
}
