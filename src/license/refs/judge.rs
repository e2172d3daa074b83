//! Judging every pushed ref ([`judge_refs`]): grouped by tree, each compared with known trees or read in
//! full, within the bounds of [`RefLimits`](super::RefLimits).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::rc::Rc;

use git2::{Oid, Repository};

use super::compare::{Compared, Comparer, ENTRIES};
use super::known::Known;
use super::{Judgement, LedgerEntry, RefEvidence, RefLimits, RefsJudged, fingerprint};
use crate::license::detect::Detector;
use crate::license::discovery::{self, HeaderCache, Limits};
use crate::license::{Discovery, LicenseReport, Observation};

/// The refs of one root tree, and the commit read for them.
struct Group {
    tree: Oid,
    commit: Oid,
    names: Vec<String>,
    time: i64,
}

impl Group {
    /// The ledger entries of refs left unjudged: not read, with no evidence.
    fn not_read(&self) -> impl Iterator<Item = LedgerEntry> + '_ {
        self.names.iter().map(|n| LedgerEntry {
            reference: n.clone(),
            tree: Some(self.tree),
            judgement: Judgement::NotRead,
            evidence: String::new(),
        })
    }
}

/// Judge every pushed ref. The invariant, stated where it is kept: **every ref in `tips` ends in exactly one
/// [`LedgerEntry`]** — at the default branch's tree; read in full; judged by its difference from a tree whose
/// evidence is known exactly (so it carries that evidence); or not judged, and then named in
/// [`RefsJudged::not_read`], which the verdict turns into *needs review*. A ref is never dropped because a
/// bound was reached: bounds only move refs to `not_read`. The property test `tests/it/refs.rs` checks the
/// ledger against reading every ref in full.
#[allow(clippy::too_many_arguments)]
pub(super) fn judge_refs(
    repo: &Repository,
    label: &Path,
    tips: &BTreeMap<String, Oid>,
    default_commit: Option<Oid>,
    (default, default_headers_scanned): (&Discovery, usize),
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
    headers: &mut HeaderCache,
) -> (RefsJudged, Vec<LedgerEntry>) {
    let started = std::time::Instant::now();
    let tree_of = |id: Oid| -> Result<(Oid, i64), String> {
        let object = repo
            .find_object(id, None)
            .map_err(|e| e.message().to_owned())?;
        let time = object
            .peel_to_commit()
            .map(|c| c.time().seconds())
            .unwrap_or(0);
        object
            .peel_to_tree()
            .map(|t| (t.id(), time))
            .map_err(|_| format!("{id} is not a commit or a tree"))
    };
    let default_tree = default_commit.and_then(|c| tree_of(c).ok()).map(|(t, _)| t);
    let mut ledger: Vec<LedgerEntry> = Vec::with_capacity(tips.len());
    let mut judged = RefsJudged {
        pushed: tips.len(),
        trees_read: 0,
        by_difference: 0,
        differing: Vec::new(),
        silent: Vec::new(),
        not_read: Vec::new(),
    };
    let own = fingerprint(default);
    // Refs by root tree: refs sharing a tree are judged once.
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Oid, usize> = HashMap::new();
    for (name, id) in tips {
        match tree_of(*id) {
            Ok((tree, _)) if Some(tree) == default_tree => ledger.push(LedgerEntry {
                reference: name.clone(),
                tree: Some(tree),
                judgement: Judgement::Default,
                evidence: own.clone(),
            }),
            Ok((tree, time)) => match index.get(&tree) {
                Some(&i) => groups[i].names.push(name.clone()),
                None => {
                    index.insert(tree, groups.len());
                    groups.push(Group {
                        tree,
                        commit: *id,
                        names: vec![name.clone()],
                        time,
                    });
                }
            },
            Err(why) => {
                judged.not_read.push(format!("{name}: {why}"));
                ledger.push(LedgerEntry {
                    reference: name.clone(),
                    tree: None,
                    judgement: Judgement::NotRead,
                    evidence: String::new(),
                });
            }
        }
    }
    // Newest first: a release differs least from the one after it, and the default branch is usually newest.
    groups.sort_by(|a, b| b.time.cmp(&a.time).then(a.tree.cmp(&b.tree)));
    let Ok(odb) = repo.odb() else {
        for group in &groups {
            judged.not_read.push(format!(
                "{}: the object database cannot be opened",
                group.names[0]
            ));
            ledger.extend(group.not_read());
        }
        return (judged, ledger);
    };
    // Trees read in full are read from a handle without refs, so that discovery reads that tree's own assets
    // and not every pushed tree's again (the repository's assets are judged once, over every pushed blob).
    let alone = repo.odb().and_then(Repository::from_odb).ok();
    let reader = alone.as_ref().unwrap_or(repo);
    let mut comparer = Comparer::new(repo, odb, limits);
    let mut default_discovery = default.clone();
    default_discovery.assets = Default::default();
    let default_known = default_tree.map(|tree| {
        Rc::new(Known::read_in_full(
            repo,
            tree,
            default_discovery,
            default_headers_scanned,
        ))
    });
    let mut previous: Option<Rc<Known>> = default_known.clone();
    let mut last_read: Option<Rc<Known>> = None;
    // Every tree judged so far, by id: a ref is compared first with the nearest of its ancestors judged.
    let mut known_trees: HashMap<Oid, Rc<Known>> = HashMap::new();
    if let Some(known) = &default_known {
        known_trees.insert(known.tree, known.clone());
    }
    let mut bound_reached: Option<String> = None;
    let mut unjudged: Vec<(String, usize, String)> = Vec::new();
    // Reports by evidence without digests: release tags whose README or manifest changed only in version share one.
    let mut reports: HashMap<String, LicenseReport> = HashMap::new();
    let (mut comparing, mut reading, mut detecting) = (
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
    );
    for group in &groups {
        let clock = std::time::Instant::now();
        let mut found: Option<(Rc<Known>, Judgement)> = None;
        let mut why_not: Vec<String> = Vec::new();
        if comparer.changes < ref_limits.max_changes {
            let mut bases: Vec<Rc<Known>> = Vec::new();
            let ancestor = nearest_judged_ancestor(repo, group.commit, &known_trees);
            for base in [&ancestor, &previous, &last_read, &default_known]
                .into_iter()
                .flatten()
            {
                if !bases.iter().any(|b| b.tree == base.tree) {
                    bases.push(base.clone());
                }
            }
            for base in bases.into_iter().take(MAX_BASES) {
                match comparer.compare(&base, group.tree) {
                    Ok(Compared::Same(patches, scannable)) => {
                        if let Some(known) = base.derive(group.tree, patches, scannable) {
                            found =
                                Some((Rc::new(known), Judgement::ByDifference { base: base.tree }));
                            break;
                        }
                        why_not.push("a patch did not fit the candidates".into());
                    }
                    Ok(Compared::Relevant(why)) => why_not.push(why),
                    Err(e) => why_not.push(e.message().to_owned()),
                }
            }
        } else {
            why_not.push(format!(
                "more than {} changed files compared between trees",
                ref_limits.max_changes
            ));
        }
        comparing += clock.elapsed();
        let clock = std::time::Instant::now();
        if found.is_none() && bound_reached.is_none() {
            bound_reached = work_bound_reached(&headers.work, ref_limits);
        }
        if found.is_none() && bound_reached.is_none() {
            tracing::debug!(reference = %group.names[0], why = %why_not.join("; "), "reading a tree in full");
            match discovery::discover_commit_evidence(
                reader,
                label,
                group.commit,
                &group.names[0],
                limits,
                headers,
            ) {
                Ok(d) => {
                    judged.trees_read += 1;
                    let known = Rc::new(Known::read_in_full(
                        repo,
                        group.tree,
                        d,
                        headers.last_headers_scanned,
                    ));
                    last_read = Some(known.clone());
                    found = Some((known, Judgement::Read));
                }
                Err(e) => {
                    judged.not_read.push(format!("{}: {e}", group.names[0]));
                    ledger.extend(group.not_read());
                    continue;
                }
            }
        }
        reading += clock.elapsed();
        let clock = std::time::Instant::now();
        let Some((known, judgement)) = found else {
            unjudged.push((
                group.names[0].clone(),
                group.names.len(),
                why_not.join("; "),
            ));
            ledger.extend(group.not_read());
            continue;
        };
        if matches!(judgement, Judgement::ByDifference { .. }) {
            judged.by_difference += 1;
        }
        let evidence = known.evidence.0.clone();
        ledger.extend(group.names.iter().map(|n| LedgerEntry {
            reference: n.clone(),
            tree: Some(group.tree),
            judgement: judgement.clone(),
            evidence: evidence.clone(),
        }));
        previous = Some(known.clone());
        known_trees.insert(group.tree, known.clone());
        if evidence == own {
            continue;
        }
        let report = reports
            .entry(known.evidence.1.clone())
            .or_insert_with(|| detector.detect(&known.discovery()));
        detecting += clock.elapsed();
        let silent = report.findings.is_empty()
            && report.claims.is_empty()
            && report
                .observations
                .iter()
                .all(|o| *o == Observation::NoLicense);
        if silent {
            judged.silent.extend(group.names.iter().cloned());
            continue;
        }
        let mut report = report.clone();
        // The one part of a report that depends on the files' digests (as `Detector::detect` lists them).
        report.files = known.files();
        report.commit = Some(group.commit.to_string());
        report.branch = Some(group.names[0].clone());
        judged.differing.push(RefEvidence {
            reference: group.names[0].clone(),
            also: group.names.len() - 1,
            commit: group.commit.to_string(),
            report: Box::new(report),
        });
    }
    if let Some((first, _, why)) = unjudged.first() {
        let refs: usize = unjudged.iter().map(|(_, n, _)| n).sum();
        judged.not_read.push(format!(
            "{first} and {} more: not judged ({why}); {}, and these differ in licence evidence from every tree they were compared with",
            refs - 1,
            bound_reached.as_deref().unwrap_or("the bound on comparing trees was reached")
        ));
    }
    tracing::debug!(
        refs = tips.len(),
        trees = groups.len(),
        read = judged.trees_read,
        by_difference = judged.by_difference,
        changes = comparer.changes,
        entries_walked = headers.work.entries,
        blobs_read = headers.work.blobs,
        bytes_read = headers.work.bytes,
        differing = judged.differing.len(),
        not_read = judged.not_read.len(),
        entries = ENTRIES.with(|c| c.get()),
        comparing_ms = comparing.as_millis() as u64,
        reading_ms = reading.as_millis() as u64,
        detecting_ms = detecting.as_millis() as u64,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "pushed refs judged"
    );
    (judged, ledger)
}

/// Whether the work of reading trees in full has reached a bound of [`RefLimits`], and which (said for the
/// refs left unjudged).
fn work_bound_reached(work: &discovery::ReadWork, limits: &RefLimits) -> Option<String> {
    if work.entries >= limits.max_read_entries {
        return Some(format!(
            "the trees read in full besides the default branch's walked {} tree entries, the bound ({})",
            work.entries, limits.max_read_entries
        ));
    }
    if work.bytes >= limits.max_read_bytes {
        return Some(format!(
            "the trees read in full besides the default branch's read {} bytes of files not read before, the bound ({})",
            work.bytes, limits.max_read_bytes
        ));
    }
    None
}

/// The most trees a tree is compared with before it is read in full: a full read costs a walk plus the
/// blobs never read before, about what two comparisons cost.
const MAX_BASES: usize = 2;

/// The tree of the nearest first-parent ancestor of `commit` (within 64 commits) already judged: usually
/// the tree a ref differs least from.
fn nearest_judged_ancestor(
    repo: &Repository,
    commit: Oid,
    known: &HashMap<Oid, Rc<Known>>,
) -> Option<Rc<Known>> {
    let mut at = repo.find_commit(commit).ok()?;
    for _ in 0..64 {
        at = at.parent(0).ok()?;
        if let Some(k) = known.get(&at.tree_id()) {
            return Some(k.clone());
        }
    }
    None
}
