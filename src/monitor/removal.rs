//! Removal classification, as pure functions.
//!
//! A repository missing from its listing is probed twice, by name (`GET /repos/{owner}/{repo}`) and by id
//! (`GET /repositories/{id}`). [`classify`] turns the two answers into a [`Classification`]; [`advance`] applies it
//! to the record's status and suspicion counter. Only `removal.confirmations` consecutive "gone" scans, each at
//! least `removal.min-gap` after the previous counted one, make a removal; any "present" answer resets the count
//! (a 404 flap is not a removal); a fault (5xx, timeout, rate limit) is no evidence either way.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::github::{Probe, Repository};
use crate::state::{LegalBlock, RemovalEvent, RepoRecord, Status};

/// What the probes say about a repository that was not in its listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    /// Public under the recorded name (the listing just missed it).
    Present(Box<Repository>),
    /// Public under another name or owner.
    Renamed(Box<Repository>),
    /// Public and archived: no action.
    Archived(Box<Repository>),
    /// 404 both ways (deleted, or private), or answered as private.
    Gone,
    /// 451.
    LegalBlock {
        reason: Option<String>,
        html_url: Option<String>,
    },
    /// No evidence: a fault, a rate limit, a 403, a redirect that could not be followed.
    Unknown(String),
}

/// Classify the answers of `GET /repos/{full_name}` (`by_name`) and `GET /repositories/{id}` (`by_id`).
pub fn classify(record: &RepoRecord, by_name: &Probe, by_id: &Probe) -> Classification {
    // A legal block is decisive whichever way it came.
    for probe in [by_name, by_id] {
        if let Probe::LegalBlock { reason, html_url } = probe {
            return Classification::LegalBlock {
                reason: reason.clone(),
                html_url: html_url.clone(),
            };
        }
    }
    let same_repo = |r: &Repository| r.id == record.id;
    // The id is authoritative: it is stable across renames and transfers.
    for probe in [by_id, by_name] {
        if let Probe::Found(repo) = probe
            && same_repo(repo)
        {
            return found(record, repo);
        }
    }
    let name_gone = match by_name {
        Probe::NotFound => true,
        // The name now belongs to another repository: the recorded one left it.
        Probe::Found(repo) => !same_repo(repo),
        _ => false,
    };
    let id_gone = matches!(by_id, Probe::NotFound);
    if name_gone && id_gone {
        return Classification::Gone;
    }
    let describe = |p: &Probe| match p {
        Probe::Found(r) if r.id != record.id => {
            format!("answered by another repository (id {})", r.id)
        }
        Probe::Found(_) => "found".to_owned(),
        Probe::Moved { location } => format!("moved to {}", location.as_deref().unwrap_or("?")),
        Probe::NotFound => "404".to_owned(),
        Probe::LegalBlock { .. } => "451".to_owned(),
        Probe::Forbidden { message } => format!("403 {}", message.as_deref().unwrap_or(""))
            .trim_end()
            .to_owned(),
        Probe::Failed { reason } => reason.clone(),
    };
    Classification::Unknown(format!(
        "by name: {}; by id: {}",
        describe(by_name),
        describe(by_id)
    ))
}

fn found(record: &RepoRecord, repo: &Repository) -> Classification {
    if repo.private {
        Classification::Gone
    } else if !repo.full_name.eq_ignore_ascii_case(&record.full_name) {
        Classification::Renamed(Box::new(repo.clone()))
    } else if repo.archived {
        Classification::Archived(Box::new(repo.clone()))
    } else {
        Classification::Present(Box::new(repo.clone()))
    }
}

/// The removal settings [`advance`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub confirmations: u32,
    pub min_gap: Duration,
}

/// What [`advance`] decided, beyond the updated record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// An event for `removals.jsonl`, when this scan made one.
    pub event: Option<RemovalEvent>,
    /// The evidence in words.
    pub reason: String,
}

/// Apply a classification made at `now` to a record: status, suspicion counter, names, legal block.
pub fn advance(
    record: &mut RepoRecord,
    classification: &Classification,
    now: DateTime<Utc>,
    rules: Rules,
) -> Transition {
    match classification {
        Classification::Present(repo) | Classification::Archived(repo) => {
            // A repository transferred out of the watched sources stays `renamed` while it is public there.
            let status = if record.status == Status::Renamed {
                Status::Renamed
            } else {
                Status::Present
            };
            reappeared(record, repo, status, now)
        }
        Classification::Renamed(repo) => renamed(record, repo, now),
        Classification::LegalBlock { reason, html_url } => {
            legal_block(record, reason.as_deref(), html_url.as_deref(), now)
        }
        Classification::Unknown(why) => inconclusive(record, why),
        Classification::Gone => gone(record, now, rules),
    }
}

/// The repository answered: any suspicion is over (a 404 flap is not a removal), and a confirmed removal ends
/// as `restored`; otherwise the record takes `status`.
fn reappeared(
    record: &mut RepoRecord,
    repo: &Repository,
    status: Status,
    now: DateTime<Utc>,
) -> Transition {
    let was_removed = record.status == Status::Removed;
    record.suspicion = Default::default();
    record.last_seen = now;
    record.last_probe = None;
    record.archived = repo.archived;
    if was_removed {
        record.status = Status::Restored;
        Transition {
            event: Some(RemovalEvent::Restored),
            reason: format!("public again as {}", repo.full_name),
        }
    } else {
        record.status = status;
        Transition {
            event: None,
            reason: String::new(),
        }
    }
}

/// The repository answers under another name: the old name is kept among the former ones.
fn renamed(record: &mut RepoRecord, repo: &Repository, now: DateTime<Utc>) -> Transition {
    let old = std::mem::replace(&mut record.full_name, repo.full_name.clone());
    if !record
        .former_names
        .iter()
        .any(|n| n.eq_ignore_ascii_case(&old))
    {
        record.former_names.push(old.clone());
    }
    record.html_url = repo.html_url.clone();
    record.clone_url = repo.clone_url.clone();
    let mut t = reappeared(record, repo, Status::Renamed, now);
    if t.event.is_none() {
        t.reason = format!("renamed or transferred from {old} to {}", repo.full_name);
    }
    t
}

/// HTTP 451: an event the first time only; the first notice is kept.
fn legal_block(
    record: &mut RepoRecord,
    reason: Option<&str>,
    html_url: Option<&str>,
    now: DateTime<Utc>,
) -> Transition {
    record.last_probe = None;
    let first = record.status != Status::LegalBlock;
    record.status = Status::LegalBlock;
    if first || record.legal_block.is_none() {
        record.legal_block = Some(LegalBlock {
            reason: reason.map(str::to_owned),
            html_url: html_url.map(str::to_owned),
            seen_at: now,
        });
    }
    Transition {
        event: first.then_some(RemovalEvent::LegalBlock),
        reason: format!("HTTP 451 ({})", reason.unwrap_or("no reason given")),
    }
}

/// Both probes say gone. The invariant: a removal is confirmed only by `rules.confirmations` (at least one)
/// counted "gone" scans with no answer or fault between them (those reset the count), each counted scan at
/// least `rules.min_gap` after the previous one; a scan sooner than that does not count. A confirmed removal
/// stays confirmed and gives no second event.
fn gone(record: &mut RepoRecord, now: DateTime<Utc>, rules: Rules) -> Transition {
    record.last_probe = None;
    if record.status == Status::Removed {
        return Transition {
            event: None,
            reason: "still gone".into(),
        };
    }
    let gap_ok = record.suspicion.last_at.is_none_or(|last| {
        now.signed_duration_since(last)
            .to_std()
            .map(|d| d >= rules.min_gap)
            .unwrap_or(false)
    });
    if gap_ok {
        record.suspicion.count += 1;
        record.suspicion.last_at = Some(now);
        record.suspicion.first_at.get_or_insert(now);
    }
    let reason = format!(
        "GET /repos/{} and GET /repositories/{} answered 404 (or private) in {} scan(s)",
        record.full_name, record.id, record.suspicion.count
    );
    if record.suspicion.count >= rules.confirmations.max(1) {
        record.status = Status::Removed;
        record.removal_confirmed_at = Some(now);
        Transition {
            event: Some(RemovalEvent::Removed),
            reason,
        }
    } else {
        record.status = Status::Suspected;
        Transition {
            event: None,
            reason,
        }
    }
}

/// A scan that could not tell whether the repository is there (a probe that failed, or an organisation whose
/// listing failed so nothing was probed). It breaks a run of "gone" answers: the count of consecutive
/// confirmations starts again, since the repository may have been public in between (a single-scan 404 flap on
/// either side of a fault must not add up to a removal). A confirmed removal stays confirmed.
pub fn inconclusive(record: &mut RepoRecord, why: &str) -> Transition {
    record.last_probe = Some(why.to_owned());
    if record.status == Status::Suspected {
        record.suspicion = Default::default();
    }
    Transition {
        event: None,
        reason: why.to_owned(),
    }
}

/// A repository seen in its listing at `now`: whatever it was suspected of is over.
pub fn seen_in_listing(record: &mut RepoRecord, now: DateTime<Utc>) -> Option<RemovalEvent> {
    record.last_seen = now;
    record.suspicion = Default::default();
    record.last_probe = None;
    match record.status {
        Status::Removed | Status::Restored => {
            let event = (record.status == Status::Removed).then_some(RemovalEvent::Restored);
            record.status = Status::Restored;
            event
        }
        Status::LegalBlock => {
            record.status = Status::Present;
            record.legal_block = None;
            None
        }
        _ => {
            record.status = Status::Present;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::model::Account;

    fn repo(id: u64, full_name: &str) -> Repository {
        Repository {
            id,
            name: full_name.split('/').nth(1).unwrap().into(),
            full_name: full_name.into(),
            owner: Account {
                login: full_name.split('/').next().unwrap().into(),
                id: None,
            },
            private: false,
            html_url: format!("https://github.com/{full_name}"),
            clone_url: format!("https://github.com/{full_name}.git"),
            default_branch: Some("main".into()),
            pushed_at: None,
            archived: false,
            disabled: false,
            fork: false,
            has_wiki: false,
            stargazers_count: 0,
            forks_count: 0,
            license: None,
        }
    }

    fn found(r: Repository) -> Probe {
        Probe::Found(Box::new(r))
    }

    fn fail() -> Probe {
        Probe::Failed {
            reason: "HTTP 502".into(),
        }
    }

    #[test]
    fn classify_table() {
        let record = RepoRecord::new(7, "nhsuk/app", Utc::now());
        let mut archived = repo(7, "nhsuk/app");
        archived.archived = true;
        let mut private = repo(7, "nhsuk/app");
        private.private = true;
        let moved = Probe::Moved {
            location: Some("https://api.github.com/repositories/7".into()),
        };
        let block = Probe::LegalBlock {
            reason: Some("dmca".into()),
            html_url: None,
        };
        type Case = (&'static str, Probe, Probe, fn(&Classification) -> bool);
        let cases: Vec<Case> = vec![
            ("both 404 is gone", Probe::NotFound, Probe::NotFound, |c| {
                *c == Classification::Gone
            }),
            (
                "200 by name is present",
                found(repo(7, "nhsuk/app")),
                Probe::NotFound,
                |c| matches!(c, Classification::Present(_)),
            ),
            (
                "200 by id is present",
                fail(),
                found(repo(7, "nhsuk/app")),
                |c| matches!(c, Classification::Present(_)),
            ),
            (
                "301 then id under a new name is renamed",
                moved.clone(),
                found(repo(7, "nhsx/app2")),
                |c| matches!(c, Classification::Renamed(r) if r.full_name == "nhsx/app2"),
            ),
            (
                "301 with the id probe failing is unknown, not gone",
                moved.clone(),
                fail(),
                |c| matches!(c, Classification::Unknown(_)),
            ),
            ("301 with id 404 is unknown", moved, Probe::NotFound, |c| {
                matches!(c, Classification::Unknown(_))
            }),
            (
                "451 by name is a legal block",
                block.clone(),
                Probe::NotFound,
                |c| matches!(c, Classification::LegalBlock { .. }),
            ),
            (
                "451 by id is a legal block",
                Probe::NotFound,
                block,
                |c| matches!(c, Classification::LegalBlock { reason: Some(r), .. } if r == "dmca"),
            ),
            (
                "archived is archived",
                found(archived.clone()),
                found(archived),
                |c| matches!(c, Classification::Archived(_)),
            ),
            ("private is gone", Probe::NotFound, found(private), |c| {
                *c == Classification::Gone
            }),
            (
                "5xx by name and 404 by id is unknown",
                fail(),
                Probe::NotFound,
                |c| matches!(c, Classification::Unknown(_)),
            ),
            (
                "404 by name and 5xx by id is unknown",
                Probe::NotFound,
                fail(),
                |c| matches!(c, Classification::Unknown(_)),
            ),
            (
                "rate limit is unknown",
                Probe::Failed {
                    reason: "rate limited".into(),
                },
                Probe::Failed {
                    reason: "rate limited".into(),
                },
                |c| matches!(c, Classification::Unknown(_)),
            ),
            (
                "403 integration is unknown",
                Probe::Forbidden {
                    message: Some("Resource not accessible by integration".into()),
                },
                Probe::NotFound,
                |c| matches!(c, Classification::Unknown(_)),
            ),
            (
                "name reused by another repo and id 404 is gone",
                found(repo(99, "nhsuk/app")),
                Probe::NotFound,
                |c| *c == Classification::Gone,
            ),
        ];
        for (name, by_name, by_id, check) in cases {
            let c = classify(&record, &by_name, &by_id);
            assert!(check(&c), "{name}: got {c:?}");
        }
    }

    fn rules(confirmations: u32, gap_hours: u64) -> Rules {
        Rules {
            confirmations,
            min_gap: Duration::from_secs(gap_hours * 3600),
        }
    }

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + hours * 3600, 0).unwrap()
    }

    /// Run a sequence of (hour, classification) through `advance`; return the statuses and events.
    fn run(
        seq: &[(i64, Classification)],
        rules: Rules,
    ) -> (Vec<Status>, Vec<Option<RemovalEvent>>, RepoRecord) {
        let mut record = RepoRecord::new(7, "nhsuk/app", at(0));
        let mut statuses = Vec::new();
        let mut events = Vec::new();
        for (hour, c) in seq {
            let t = advance(&mut record, c, at(*hour), rules);
            statuses.push(record.status);
            events.push(t.event);
        }
        (statuses, events, record)
    }

    #[test]
    fn removal_needs_consecutive_confirmations_separated_by_the_gap() {
        use Classification::Gone;
        let present = Classification::Present(Box::new(repo(7, "nhsuk/app")));
        let unknown = Classification::Unknown("HTTP 502".into());
        type Case = (
            &'static str,
            Vec<(i64, Classification)>,
            Rules,
            Vec<Status>,
            Option<RemovalEvent>,
        );
        let cases: Vec<Case> = vec![
            (
                "two gone scans 12h apart remove",
                vec![(1, Gone), (13, Gone)],
                rules(2, 12),
                vec![Status::Suspected, Status::Removed],
                Some(RemovalEvent::Removed),
            ),
            (
                "gone scans too close count once",
                vec![(1, Gone), (2, Gone), (3, Gone)],
                rules(2, 12),
                vec![Status::Suspected; 3],
                None,
            ),
            (
                "a flap resets the count",
                vec![(1, Gone), (13, present.clone()), (25, Gone)],
                rules(2, 12),
                vec![Status::Suspected, Status::Present, Status::Suspected],
                None,
            ),
            (
                "unknown breaks the run: the count starts again",
                vec![(1, Gone), (13, unknown.clone()), (25, Gone)],
                rules(2, 12),
                vec![Status::Suspected; 3],
                None,
            ),
            (
                "after an unknown, two more gone scans remove",
                vec![(1, Gone), (13, unknown.clone()), (25, Gone), (37, Gone)],
                rules(2, 12),
                vec![
                    Status::Suspected,
                    Status::Suspected,
                    Status::Suspected,
                    Status::Removed,
                ],
                Some(RemovalEvent::Removed),
            ),
            (
                "one confirmation suffices when configured",
                vec![(1, Gone)],
                rules(1, 0),
                vec![Status::Removed],
                Some(RemovalEvent::Removed),
            ),
            (
                "three confirmations",
                vec![(0, Gone), (1, Gone), (2, Gone)],
                rules(3, 1),
                vec![Status::Suspected, Status::Suspected, Status::Removed],
                Some(RemovalEvent::Removed),
            ),
            (
                "removed then present is restored",
                vec![(0, Gone), (1, present.clone())],
                rules(1, 0),
                vec![Status::Removed, Status::Restored],
                Some(RemovalEvent::Restored),
            ),
            (
                "still gone after removal logs nothing new",
                vec![(0, Gone), (1, Gone)],
                rules(1, 0),
                vec![Status::Removed, Status::Removed],
                None,
            ),
        ];
        for (name, seq, rules, statuses, last_event) in cases {
            let (got, events, _) = run(&seq, rules);
            assert_eq!(got, statuses, "{name}");
            assert_eq!(*events.last().unwrap(), last_event, "{name}");
            let removals = events
                .iter()
                .filter(|e| **e == Some(RemovalEvent::Removed))
                .count();
            assert!(removals <= 1, "{name}: removal logged {removals} times");
        }
    }

    #[test]
    fn legal_block_is_logged_once_and_never_a_removal() {
        let block = Classification::LegalBlock {
            reason: Some("dmca".into()),
            html_url: None,
        };
        let (statuses, events, record) = run(
            &[(0, block.clone()), (20, block.clone()), (40, block)],
            rules(1, 0),
        );
        assert_eq!(statuses, vec![Status::LegalBlock; 3]);
        assert_eq!(events, vec![Some(RemovalEvent::LegalBlock), None, None]);
        assert_eq!(record.legal_block.unwrap().reason.as_deref(), Some("dmca"));
    }

    #[test]
    fn rename_updates_the_name_and_keeps_the_old_one() {
        let renamed = Classification::Renamed(Box::new(repo(7, "nhsx/app2")));
        let (statuses, events, record) =
            run(&[(0, Classification::Gone), (13, renamed)], rules(2, 12));
        assert_eq!(statuses, vec![Status::Suspected, Status::Renamed]);
        assert_eq!(events, vec![None, None]);
        assert_eq!(record.full_name, "nhsx/app2");
        assert_eq!(record.former_names, vec!["nhsuk/app".to_owned()]);
        assert_eq!(record.suspicion.count, 0);
    }

    #[test]
    fn seen_in_listing_clears_suspicion_and_restores() {
        let mut record = RepoRecord::new(7, "o/r", at(0));
        record.status = Status::Suspected;
        record.suspicion.count = 1;
        assert_eq!(seen_in_listing(&mut record, at(1)), None);
        assert_eq!(
            (record.status, record.suspicion.count),
            (Status::Present, 0)
        );
        record.status = Status::Removed;
        assert_eq!(
            seen_in_listing(&mut record, at(2)),
            Some(RemovalEvent::Restored)
        );
        assert_eq!(record.status, Status::Restored);
    }
}
