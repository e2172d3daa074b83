//! The archived wiki, pushed beside the repository, unchanged.

use super::*;

/// What happened to the wiki. A wiki that cannot be pushed does not undo the publication of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum WikiPublication {
    Published { target_url: String },
    Unchanged { target_url: String },
    Failed { target_url: String, error: String },
}

/// The archived wiki mirror of the record, if one was mirrored (beside the repository's mirror).
pub(super) fn wiki_mirror(request: &Request) -> Option<PathBuf> {
    let wiki = request.record.wiki.as_ref()?;
    if wiki.state != crate::state::WikiState::Mirrored {
        return None;
    }
    let relative = wiki.path.as_deref()?;
    crate::archive::resolve(request.mirror.parent()?, relative).ok()
}

/// Push a wiki mirror's heads and tags, unchanged, to `url` (blocking). Nothing is added to a wiki.
pub(super) fn publish_wiki_blocking(
    mirror: &std::path::Path,
    url: &str,
    tokens: Option<&dyn TokenSource>,
    force: bool,
) -> WikiPublication {
    let attempt = || -> anyhow::Result<WikiPublication> {
        let desired = git::mirror_refs(mirror)?.refs;
        let staging = git::Staging::new(mirror)?;
        let repo = staging.open()?;
        for (name, id) in &desired {
            repo.reference(name, git2::Oid::from_str(id)?, true, "keepopen: stage")?;
        }
        let present = git::remote_refs(&repo, url, tokens)?;
        let plus = match compare(&desired, &present, |w, h| git::contains(&repo, w, h)) {
            TargetState::Equal => {
                return Ok(WikiPublication::Unchanged {
                    target_url: url.to_owned(),
                });
            }
            TargetState::Differs(refs) if !force => {
                anyhow::bail!("the target wiki holds something else: {}", refs.join("; "))
            }
            TargetState::Differs(_) => "+",
            TargetState::Empty | TargetState::Partial => "",
        };
        let refspecs: Vec<String> = desired
            .iter()
            .filter(|(name, id)| present.get(*name) != Some(*id))
            .map(|(name, _)| format!("{plus}{name}:{name}"))
            .collect();
        git::push(&repo, url, &refspecs, tokens)?;
        Ok(WikiPublication::Published {
            target_url: url.to_owned(),
        })
    };
    attempt().unwrap_or_else(|e| WikiPublication::Failed {
        target_url: url.to_owned(),
        error: format!("{e:#}"),
    })
}
