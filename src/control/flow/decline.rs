//! Declines: a proposal closed without merging stands while what it was decided from is the same
//! ([`evidence_changes`]); once that changes, a new proposal says what changed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::record::DecisionRecord;

/// Whether a decline still stands against `record` (pure but for reading): `Ok(None)` when it does, else the
/// note a new proposal opens with.
pub(super) fn after_decline(
    number: u64,
    declined_text: Option<&str>,
    record: &DecisionRecord,
    record_path: &str,
) -> Option<String> {
    let declined = declined_text.and_then(|text| DecisionRecord::parse(text, record_path).ok());
    let changes = match &declined {
        Some(declined) => evidence_changes(declined, record),
        None => vec![format!(
            "pull request #{number} holds no readable record at {record_path} to compare with"
        )],
    };
    (!changes.is_empty()).then(|| crate::proposal::declined_note(number, &changes))
}

/// The most ref changes [`evidence_changes`] lists one by one.
const MAX_LISTED_REFS: usize = 10;

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Each key of two maps (path or ref → id) added, removed or changed, in words: `<what> <key> changed: a → b`.
fn map_changes(
    what: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter_map(|key| match (before.get(key), after.get(key)) {
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => None,
            (Some(a), Some(b)) => Some(format!("{what}{key} changed: {} → {}", short(a), short(b))),
            (None, Some(b)) => Some(format!("{what}{key} added: {}", short(b))),
            (Some(a), None) => Some(format!("{what}{key} removed (was {})", short(a))),
            (None, None) => None,
        })
        .collect()
}

/// How what the record proposed now was decided from differs from what a declined proposal's record was (pure):
/// empty when the decline still stands. Compared: the repository (by id), the mirror's tips, and, when the
/// declined record holds them (records written before keepopen recorded its evidence do not), the licence files
/// by sha256 and the policy's digest. Anything else in the record — the notice, the removal dates, the wording
/// of a reason — is not evidence: a decline is not undone by a reworded notice.
pub fn evidence_changes(declined: &DecisionRecord, now: &DecisionRecord) -> Vec<String> {
    if declined.source.id != now.source.id {
        return vec![format!(
            "the declined record is of another repository ({}, id {})",
            declined.source.full_name, declined.source.id
        )];
    }
    let mut out = Vec::new();
    if let (Some(before), Some(after)) = (&declined.evidence, &now.evidence) {
        out.extend(map_changes(
            "licence file ",
            &before.license_files,
            &after.license_files,
        ));
        if before.policy != after.policy {
            out.push(format!(
                "the policy's licence or safety rules changed: {} → {}",
                short(&before.policy),
                short(&after.policy)
            ));
        }
    }
    let mut refs = map_changes("", &declined.mirror.tips, &now.mirror.tips);
    if refs.len() > MAX_LISTED_REFS {
        let more = refs.len() - MAX_LISTED_REFS;
        refs.truncate(MAX_LISTED_REFS);
        refs.push(format!("and {more} more ref change(s)"));
    }
    out.extend(refs);
    out
}

/// What `propose` says of a declined repository.
pub fn declined_reason(number: u64, closed_at: Option<DateTime<Utc>>) -> String {
    format!(
        "declined in pull request #{number}{}; nothing it was decided from has changed; reopen it to take the decline back",
        closed_at
            .map(|t| format!(" on {}", t.format("%Y-%m-%d")))
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Evidence;

    fn record(tips: &[(&str, &str)], files: &[(&str, &str)], policy: &str) -> DecisionRecord {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let mut record = crate::record::tests::sample();
        record.mirror.tips = map(tips);
        record.evidence = Some(Evidence {
            policy: policy.into(),
            license_files: map(files),
        });
        record
    }

    #[test]
    fn a_decline_stands_while_the_tips_the_licence_files_and_the_policy_are_the_same() {
        let main = ("refs/heads/main", "a1a1a1a1a1a1a1a1");
        let license = ("LICENSE", "11111111111111111111");
        let declined = record(&[main], &[license], "p1p1p1p1p1p1p1p1");
        let mut reworded = declined.clone();
        reworded.notice_preview = "# Provenance, reworded\n".into();
        reworded.confirmed_at = Some(Utc::now());
        let mut other_repository = declined.clone();
        other_repository.source.id = 43;
        let mut older = declined.clone();
        older.evidence = None;
        let many: Vec<(String, String)> = (0..12)
            .map(|i| (format!("refs/tags/v{i:02}"), format!("{i:040}")))
            .collect();
        let many: Vec<(&str, &str)> = many
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([main])
            .collect();
        let cases: Vec<(&str, &DecisionRecord, DecisionRecord, Vec<&str>)> = vec![
            ("the same", &declined, declined.clone(), vec![]),
            ("only the notice and dates", &declined, reworded, vec![]),
            (
                "the licence file changed",
                &declined,
                record(
                    &[("refs/heads/main", "b2b2b2b2b2b2b2b2")],
                    &[("LICENSE", "22222222222222222222")],
                    "p1p1p1p1p1p1p1p1",
                ),
                vec![
                    "licence file LICENSE changed: 111111111111 → 222222222222",
                    "refs/heads/main changed: a1a1a1a1a1a1 → b2b2b2b2b2b2",
                ],
            ),
            (
                "a licence file added, one removed",
                &declined,
                record(
                    &[main],
                    &[("COPYING", "33333333333333")],
                    "p1p1p1p1p1p1p1p1",
                ),
                vec![
                    "licence file COPYING added: 333333333333",
                    "licence file LICENSE removed (was 111111111111)",
                ],
            ),
            (
                "the policy changed",
                &declined,
                record(&[main], &[license], "p2p2p2p2p2p2p2p2"),
                vec!["the policy's licence or safety rules changed: p1p1p1p1p1p1 → p2p2p2p2p2p2"],
            ),
            (
                "a tag added, a branch removed",
                &declined,
                record(
                    &[("refs/tags/v1", "c3c3c3c3c3c3c3c3")],
                    &[license],
                    "p1p1p1p1p1p1p1p1",
                ),
                vec![
                    "refs/heads/main removed (was a1a1a1a1a1a1)",
                    "refs/tags/v1 added: c3c3c3c3c3c3",
                ],
            ),
            (
                "a record without evidence: only the tips compare",
                &older,
                record(&[main], &[("LICENSE", "9999")], "p9"),
                vec![],
            ),
            (
                "another repository",
                &other_repository,
                declined.clone(),
                vec!["the declined record is of another repository (nhsuk/frontend, id 43)"],
            ),
        ];
        for (what, before, now, expected) in cases {
            assert_eq!(evidence_changes(before, &now), expected, "{what}");
        }
        let changes = evidence_changes(&declined, &record(&many, &[license], "p1p1p1p1p1p1p1p1"));
        assert_eq!(changes.len(), MAX_LISTED_REFS + 1, "{changes:?}");
        assert_eq!(changes.last().unwrap(), "and 2 more ref change(s)");
    }
}
