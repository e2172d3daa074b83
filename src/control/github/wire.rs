//! What the control repository's REST answers hold (only the fields keepopen reads), and the small codecs
//! around them: paths and query values percent-encoded, replies checked and decoded, record contents.

use anyhow::Context;
use base64::Engine as _;
use serde::Deserialize;

use crate::github::{Error, Reply, encode_segment};

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Login {
    pub(super) login: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Head {
    #[serde(rename = "ref")]
    pub(super) name: String,
    #[serde(default)]
    pub(super) sha: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Label {
    pub(super) name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Pull {
    pub(super) number: u64,
    pub(super) html_url: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) body: Option<String>,
    pub(super) head: Head,
    pub(super) user: Option<Login>,
    #[serde(default)]
    pub(super) merged_at: Option<String>,
    #[serde(default)]
    pub(super) merged: Option<bool>,
    #[serde(default)]
    pub(super) merge_commit_sha: Option<String>,
    #[serde(default)]
    pub(super) closed_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub(super) labels: Vec<Label>,
}

#[derive(Debug, Deserialize)]
pub(super) struct CommentJson {
    #[serde(default)]
    pub(super) body: Option<String>,
    #[serde(default)]
    pub(super) user: Option<Login>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ReviewJson {
    pub(super) user: Option<Login>,
    pub(super) state: String,
    /// The commit reviewed.
    #[serde(default)]
    pub(super) commit_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RefJson {
    pub(super) object: RefObject,
}

#[derive(Debug, Deserialize)]
pub(super) struct RefObject {
    pub(super) sha: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct ContentJson {
    #[serde(default)]
    pub(super) content: String,
    #[serde(default)]
    pub(super) encoding: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct TreeJson {
    #[serde(default)]
    pub(super) truncated: bool,
    pub(super) tree: Vec<TreeEntry>,
}

#[derive(Debug, Deserialize)]
pub(super) struct TreeEntry {
    pub(super) path: String,
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) sha: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct BlobJson {
    #[serde(default)]
    pub(super) content: String,
    #[serde(default)]
    pub(super) encoding: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Membership {
    pub(super) state: String,
}

/// A `/`-separated path with each segment percent-encoded.
pub(super) fn segments(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(
    path: &str,
    reply: &Reply,
) -> Result<T, Error> {
    serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

pub(super) fn expect(path: &str, reply: &Reply, ok: &[u16]) -> Result<(), Error> {
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

/// Percent-encode a query value.
pub(super) fn encode_query(value: &str) -> String {
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

pub(super) fn decode_content(content: &ContentJson) -> anyhow::Result<String> {
    decode_base64(&content.content, &content.encoding)
}

pub(super) fn decode_base64(content: &str, encoding: &str) -> anyhow::Result<String> {
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
pub(super) fn is_record_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts[..], [owner, file] if !owner.is_empty() && file.len() > ".yaml".len() && file.ends_with(".yaml"))
}
