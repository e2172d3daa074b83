//! Recording a publication in state.

use super::*;

pub(super) fn record(store: &Store, request: &Request, p: &Publication) -> anyhow::Result<()> {
    let mut record = store
        .load(request.record.id)?
        .unwrap_or_else(|| request.record.clone());
    let already = record
        .publications
        .iter()
        .any(|r| r.target_url == p.target_url && r.pushed == p.refs);
    if already {
        return Ok(());
    }
    record.publications.push(PublicationRecord {
        forge: request.target.forge.as_str().into(),
        name: target_name(
            &request.target.name,
            request.record.owner(),
            request.record.name(),
            request.record.id,
        ),
        target_url: p.target_url.clone(),
        pushed: p.refs.clone(),
        notice_commit: p.notice_commit.clone(),
        last_seen_commit: p
            .refs
            .get(&format!("refs/tags/{LAST_SEEN_TAG}"))
            .cloned()
            .unwrap_or_default(),
        verdict: p.verdict.clone(),
        override_reason: p.overrides.verdict.clone(),
        force_public_reason: p.overrides.force_public.clone(),
        force_reason: p.overrides.force.clone(),
        wiki_url: match &p.wiki {
            Some(WikiPublication::Published { target_url })
            | Some(WikiPublication::Unchanged { target_url }) => Some(target_url.clone()),
            _ => None,
        },
        published_at: request.now,
    });
    store.save(&record)
}
