//! What keepopen reads from GitHub: listing pages, probes of one repository, the licence GitHub detects.

use super::errors::message_of;
use super::model::{self, LicenseFile, Repository};
use super::paths::{next_link, relative_to_base, repo_path};
use super::{Client, Error, Reply};

/// One listing page.
#[derive(Debug, Clone)]
pub enum Page {
    /// 304: the page is what it was when `etag` was stored.
    NotModified { etag: String },
    /// 200: the page's repositories and, if there is one, the path of the next page.
    Fresh {
        etag: Option<String>,
        repos: Vec<Repository>,
        next: Option<String>,
    },
}

/// The answer of `GET /repos/{o}/{r}` or `GET /repositories/{id}`, sorted into what classification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// 200 with the repository as it is now.
    Found(Box<Repository>),
    /// 301: renamed or transferred; `location` usually points at `/repositories/{id}`.
    Moved { location: Option<String> },
    /// 404: deleted, made private, or hidden from this token.
    NotFound,
    /// 451: blocked for legal reasons (a DMCA takedown).
    LegalBlock {
        reason: Option<String>,
        html_url: Option<String>,
    },
    /// 403 without a rate limit, e.g. "Resource not accessible by integration".
    Forbidden { message: Option<String> },
    /// 5xx after retries, timeouts, rate limits, undecodable bodies: no evidence either way.
    Failed { reason: String },
}

impl Client {
    /// One listing page; `path` is [`Owner::first_page`](super::Owner::first_page) or the `next` of the previous page.
    pub async fn list_page(&self, path: &str, etag: Option<&str>) -> Result<Page, Error> {
        let reply = self.get(path, etag).await?;
        match reply.status {
            304 => Ok(Page::NotModified {
                etag: reply
                    .etag
                    .or_else(|| etag.map(str::to_owned))
                    .unwrap_or_default(),
            }),
            200 => {
                let repos: Vec<Repository> =
                    serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
                        path: path.to_owned(),
                        message: e.to_string(),
                    })?;
                let next = match reply.link.as_deref().and_then(next_link) {
                    Some(link) => Some(relative_to_base(&link, &self.base).ok_or_else(|| {
                        Error::ForeignLink {
                            path: path.to_owned(),
                            link: link.clone(),
                            base: self.base.clone(),
                        }
                    })?),
                    None => None,
                };
                Ok(Page::Fresh {
                    etag: reply.etag,
                    repos,
                    next,
                })
            }
            status => Err(Error::Status {
                path: path.to_owned(),
                status,
                message: message_of(&reply.body),
            }),
        }
    }

    /// `GET /repos/{owner}/{name}`, redirects not followed.
    pub async fn probe_repo(&self, full_name: &str) -> Probe {
        self.probe(&repo_path(full_name)).await
    }

    /// `GET /repositories/{id}`, redirects not followed.
    pub async fn probe_repository(&self, id: u64) -> Probe {
        self.probe(&format!("/repositories/{id}")).await
    }

    async fn probe(&self, path: &str) -> Probe {
        let reply = match self.get(path, None).await {
            Ok(reply) => reply,
            Err(e) => {
                return Probe::Failed {
                    reason: e.to_string(),
                };
            }
        };
        sort_probe(path, &reply)
    }

    /// `GET /repos/{owner}/{name}/license`: the file GitHub takes for the licence, or `None` on 404.
    pub async fn license(&self, full_name: &str) -> Result<Option<LicenseFile>, Error> {
        self.get_optional(format!("{}/license", repo_path(full_name)))
            .await
    }
}

/// Sort a probe answer (pure, so it is tested without a server).
fn sort_probe(path: &str, reply: &Reply) -> Probe {
    match reply.status {
        200 => match serde_json::from_str::<Repository>(&reply.body) {
            Ok(repo) => Probe::Found(Box::new(repo)),
            Err(e) => Probe::Failed {
                reason: format!("GET {path}: cannot parse the answer: {e}"),
            },
        },
        301 | 302 | 307 | 308 => Probe::Moved {
            location: reply.location.clone(),
        },
        404 => Probe::NotFound,
        410 => Probe::NotFound,
        451 => {
            let block = serde_json::from_str::<model::BlockedBody>(&reply.body)
                .ok()
                .and_then(|b| b.block);
            Probe::LegalBlock {
                reason: block.as_ref().and_then(|b| b.reason.clone()),
                html_url: block.and_then(|b| b.html_url),
            }
        }
        403 => Probe::Forbidden {
            message: message_of(&reply.body),
        },
        status => Probe::Failed {
            reason: format!("GET {path}: HTTP {status}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            etag: None,
            link: None,
            location: Some("/repositories/7".into()),
            body: body.into(),
        }
    }

    #[test]
    fn probe_answers_are_sorted_by_status() {
        let repo = r#"{"id":7,"name":"a","full_name":"o/a","owner":{"login":"o"},"html_url":"h","clone_url":"c"}"#;
        assert!(matches!(sort_probe("/p", &reply(200, repo)), Probe::Found(r) if r.id == 7));
        assert!(matches!(
            sort_probe("/p", &reply(200, "{}")),
            Probe::Failed { .. }
        ));
        assert_eq!(
            sort_probe("/p", &reply(301, "")),
            Probe::Moved {
                location: Some("/repositories/7".into())
            }
        );
        assert_eq!(sort_probe("/p", &reply(404, "")), Probe::NotFound);
        assert_eq!(
            sort_probe(
                "/p",
                &reply(
                    451,
                    r#"{"message":"Repository access blocked","block":{"reason":"dmca","html_url":"https://github.com/github/dmca"}}"#
                )
            ),
            Probe::LegalBlock {
                reason: Some("dmca".into()),
                html_url: Some("https://github.com/github/dmca".into())
            }
        );
        assert_eq!(
            sort_probe(
                "/p",
                &reply(
                    403,
                    r#"{"message":"Resource not accessible by integration"}"#
                )
            ),
            Probe::Forbidden {
                message: Some("Resource not accessible by integration".into())
            }
        );
        assert!(matches!(
            sort_probe("/p", &reply(502, "")),
            Probe::Failed { .. }
        ));
    }
}
