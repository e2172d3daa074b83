//! Bringing a target to what should be pushed: compare its refs with the desired ones (equal, a prefix left
//! by a killed run, or different), then push, the default branch in chunks when its history is long.

use super::*;

/// How the target compares with what would be pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetState {
    /// No heads or tags yet.
    Empty,
    /// Exactly what would be pushed: nothing to do.
    Equal,
    /// Every ref it has is one we push, at our commit or an ancestor of it: an interrupted run; push the rest.
    Partial,
    /// Refs that are not ours, or point elsewhere: `ref: why` each.
    Differs(Vec<String>),
}

/// Compare the target's refs with the desired ones; `contains(desired, present)` says whether the desired
/// commit contains the present one (pure given that function).
pub fn compare(
    desired: &BTreeMap<String, String>,
    present: &BTreeMap<String, String>,
    contains: impl Fn(&str, &str) -> bool,
) -> TargetState {
    if present.is_empty() {
        return TargetState::Empty;
    }
    if present == desired {
        return TargetState::Equal;
    }
    let mut differs = Vec::new();
    for (name, id) in present {
        match desired.get(name) {
            None => differs.push(format!("{name} ({id}) is not part of this republication")),
            Some(want) if want == id => {}
            Some(want) if name.starts_with("refs/heads/") && contains(want, id) => {}
            Some(want) => differs.push(format!("{name} is {id}, not {want}")),
        }
    }
    if differs.is_empty() {
        TargetState::Partial
    } else {
        TargetState::Differs(differs)
    }
}

/// The intermediate steps of a chunked push of a first-parent history of `len` commits (oldest first): every
/// `chunk`-th index, in order, short of the tip (pushed last by the caller), beyond what the target already has
/// (`already`: the index of the target's current tip in that history).
pub fn chunk_steps(len: usize, chunk: usize, already: Option<usize>) -> Vec<usize> {
    if chunk == 0 || len <= chunk {
        return Vec::new();
    }
    (1..)
        .map(|k| k * chunk - 1)
        .take_while(|&i| i < len - 1)
        .filter(|&i| already.is_none_or(|a| i > a))
        .collect()
}

/// What a push run did.
pub(super) struct Synced {
    pub(super) outcome: Outcome,
    pub(super) pushes: usize,
}

/// Bring the target at `url` to `desired` from the staging repository: list its refs, compare, push (the
/// default branch in chunks first when its history is long). Blocking.
pub(super) fn sync_blocking(
    prepared: &Prepared,
    url: &str,
    tokens: Option<&dyn TokenSource>,
    chunk: usize,
    force: bool,
) -> anyhow::Result<Synced> {
    let repo = prepared.staging.open()?;
    let desired = &prepared.desired;
    let present = git::remote_refs(&repo, url, tokens)?;
    let state = compare(desired, &present, |want, have| {
        git::contains(&repo, want, have)
    });
    tracing::debug!(?state, target = %prepared.plan.target, "target compared");
    let outcome = match &state {
        TargetState::Equal => {
            return Ok(Synced {
                outcome: Outcome::AlreadyPublished,
                pushes: 0,
            });
        }
        TargetState::Empty => Outcome::Published,
        TargetState::Partial => Outcome::Completed,
        TargetState::Differs(_) if force => Outcome::Overwritten,
        TargetState::Differs(refs) => {
            return Err(Refusal::TargetDiffers {
                repo: prepared.plan.full_name.clone(),
                target: prepared.plan.target.clone(),
                refs: refs.clone(),
            }
            .into());
        }
    };
    let mut pushes = 0;
    let branch_ref = format!("refs/heads/{}", prepared.plan.default_branch);
    // Chunks: the original default branch, `chunk` first-parent commits at a time.
    if chunk > 0 && outcome != Outcome::Overwritten {
        let head = git2::Oid::from_str(&prepared.plan.head)?;
        let chain = git::first_parent_chain(&repo, head)?;
        if chain.len() > chunk {
            let already = present
                .get(&branch_ref)
                .and_then(|id| git2::Oid::from_str(id).ok())
                .and_then(|id| chain.iter().position(|c| *c == id));
            for index in chunk_steps(chain.len(), chunk, already) {
                let step = "refs/keepopen/chunk";
                repo.reference(step, chain[index], true, "keepopen: chunk")?;
                tracing::debug!(index, of = chain.len(), "pushing a chunk of {branch_ref}");
                git::push(&repo, url, &[format!("{step}:{branch_ref}")], tokens)
                    .with_context(|| format!("chunk {} of {branch_ref}", index + 1))?;
                pushes += 1;
            }
        }
    }
    let plus = if force { "+" } else { "" };
    let mut refspecs: Vec<String> = desired
        .iter()
        .filter(|(name, id)| present.get(*name) != Some(*id))
        .map(|(name, _)| format!("{plus}{name}:{name}"))
        .collect();
    if force {
        refspecs.extend(
            present
                .keys()
                .filter(|name| !desired.contains_key(*name))
                .map(|name| format!(":{name}")),
        );
    }
    git::push(&repo, url, &refspecs, tokens)?;
    pushes += 1;
    Ok(Synced { outcome, pushes })
}
