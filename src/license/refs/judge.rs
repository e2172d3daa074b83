//! Judging every pushed ref ([`judge_refs`]): grouped by tree, each compared with known trees or read in
//! full, within the bounds of [`RefLimits`](super::RefLimits).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::rc::Rc;

use git2::{Oid, Repository};

use super::compare::{Compared, Comparer, ENTRIES};
use super::known::{HeaderWindow, Known};
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
    (default, default_window): (&Discovery, HeaderWindow),
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
    headers: &mut HeaderCache,
) -> (RefsJudged, Vec<LedgerEntry>) {
    let started = std::time::Instant::now();
    let default_tree = default_commit
        .and_then(|c| tree_of(repo, c).ok())
        .map(|(t, _)| t);
    let own = fingerprint(default);
    let mut judged = RefsJudged {
        pushed: tips.len(),
        trees_read: 0,
        by_difference: 0,
        differing: Vec::new(),
        silent: Vec::new(),
        not_read: Vec::new(),
    };
    let (groups, mut ledger) = group_by_tree(repo, tips, default_tree, &own, &mut judged);
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
    let mut default_discovery = default.clone();
    default_discovery.assets = Default::default();
    let default_known = default_tree.map(|tree| {
        Rc::new(Known::read_in_full(
            repo,
            tree,
            default_discovery,
            default_window,
        ))
    });
    let mut judging = Judging {
        repo,
        reader: alone.as_ref().unwrap_or(repo),
        label,
        detector,
        limits,
        ref_limits,
        headers,
        own,
        comparer: Comparer::new(repo, odb, limits),
        previous: default_known.clone(),
        last_read: None,
        known_trees: default_known
            .iter()
            .map(|known| (known.tree, known.clone()))
            .collect(),
        default_known,
        bound_reached: None,
        unjudged: Vec::new(),
        reports: HashMap::new(),
        clocks: Clocks::default(),
        judged,
        ledger,
    };
    for group in &groups {
        judging.judge_group(group);
    }
    judging.finish(tips.len(), groups.len(), started)
}

/// The root tree of a commit (or tree) `id`, and the commit's time (0 for a tree).
fn tree_of(repo: &Repository, id: Oid) -> Result<(Oid, i64), String> {
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
}

/// The refs grouped by root tree (refs sharing a tree are judged once), newest first: a release differs least
/// from the one after it, and the default branch is usually newest. Refs at the default branch's tree go to
/// the ledger with its evidence (`own`); refs whose tree cannot be read go to it unread, named in `judged`.
fn group_by_tree(
    repo: &Repository,
    tips: &BTreeMap<String, Oid>,
    default_tree: Option<Oid>,
    own: &str,
    judged: &mut RefsJudged,
) -> (Vec<Group>, Vec<LedgerEntry>) {
    let mut ledger: Vec<LedgerEntry> = Vec::with_capacity(tips.len());
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Oid, usize> = HashMap::new();
    for (name, id) in tips {
        match tree_of(repo, *id) {
            Ok((tree, _)) if Some(tree) == default_tree => ledger.push(LedgerEntry {
                reference: name.clone(),
                tree: Some(tree),
                judgement: Judgement::Default,
                evidence: own.to_owned(),
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
    groups.sort_by(|a, b| b.time.cmp(&a.time).then(a.tree.cmp(&b.tree)));
    (groups, ledger)
}

/// Time spent comparing trees, reading them in full, and detecting licences in what was read.
#[derive(Default)]
struct Clocks {
    comparing: std::time::Duration,
    reading: std::time::Duration,
    detecting: std::time::Duration,
}

/// The state of judging the groups of refs one after another: the trees whose evidence is known so far, the
/// bound on work, and what is found.
struct Judging<'a, 'r> {
    repo: &'r Repository,
    /// Trees read in full are read from here (a handle without refs).
    reader: &'a Repository,
    label: &'a Path,
    detector: &'a Detector,
    limits: &'r Limits,
    ref_limits: &'a RefLimits,
    headers: &'a mut HeaderCache,
    /// The default branch's evidence.
    own: String,
    comparer: Comparer<'r>,
    default_known: Option<Rc<Known>>,
    /// The tree judged last, and the tree read in full last.
    previous: Option<Rc<Known>>,
    last_read: Option<Rc<Known>>,
    /// Every tree judged so far, by id: a ref is compared first with the nearest of its ancestors judged.
    known_trees: HashMap<Oid, Rc<Known>>,
    bound_reached: Option<String>,
    /// Groups left unjudged: (first ref, how many refs, why they could not be judged by difference).
    unjudged: Vec<(String, usize, String)>,
    /// Reports by evidence without digests: release tags whose README or manifest changed only in version
    /// share one.
    reports: HashMap<String, LicenseReport>,
    clocks: Clocks,
    judged: RefsJudged,
    ledger: Vec<LedgerEntry>,
}

impl Judging<'_, '_> {
    /// Judge one group of refs: by its difference from a known tree, else read in full while the work is
    /// within its bounds, else left unjudged; each of its refs goes to the ledger once.
    fn judge_group(&mut self, group: &Group) {
        let clock = std::time::Instant::now();
        let (mut found, why_not) = self.by_difference(group);
        self.clocks.comparing += clock.elapsed();
        let clock = std::time::Instant::now();
        if found.is_none() && self.bound_reached.is_none() {
            self.bound_reached = work_bound_reached(&self.headers.work, self.ref_limits);
        }
        if found.is_none() && self.bound_reached.is_none() {
            tracing::debug!(reference = %group.names[0], why = %why_not.join("; "), "reading a tree in full");
            match self.read_in_full(group) {
                Ok(known) => found = Some((known, Judgement::Read)),
                Err(e) => {
                    self.judged
                        .not_read
                        .push(format!("{}: {e}", group.names[0]));
                    self.ledger.extend(group.not_read());
                    return;
                }
            }
        }
        self.clocks.reading += clock.elapsed();
        let Some((known, judgement)) = found else {
            self.unjudged.push((
                group.names[0].clone(),
                group.names.len(),
                why_not.join("; "),
            ));
            self.ledger.extend(group.not_read());
            return;
        };
        self.record(group, known, judgement);
    }

    /// The group's tree judged by its difference from the known trees it is nearest to (its nearest judged
    /// ancestor, the tree judged last, the tree read last, the default branch's; at most [`MAX_BASES`]), while
    /// comparing is within its bound; else why not.
    fn by_difference(&mut self, group: &Group) -> (Option<(Rc<Known>, Judgement)>, Vec<String>) {
        let mut why_not: Vec<String> = Vec::new();
        if self.comparer.changes >= self.ref_limits.max_changes {
            why_not.push(format!(
                "more than {} changed files compared between trees",
                self.ref_limits.max_changes
            ));
            return (None, why_not);
        }
        let mut bases: Vec<Rc<Known>> = Vec::new();
        let ancestor = nearest_judged_ancestor(self.repo, group.commit, &self.known_trees);
        for base in [
            &ancestor,
            &self.previous,
            &self.last_read,
            &self.default_known,
        ]
        .into_iter()
        .flatten()
        {
            if !bases.iter().any(|b| b.tree == base.tree) {
                bases.push(base.clone());
            }
        }
        for base in bases.into_iter().take(MAX_BASES) {
            match self.comparer.compare(&base, group.tree) {
                Ok(Compared::Same(patches, window)) => {
                    if let Some(known) = base.derive(group.tree, patches, window) {
                        let judgement = Judgement::ByDifference { base: base.tree };
                        return (Some((Rc::new(known), judgement)), why_not);
                    }
                    why_not.push("a patch did not fit the candidates".into());
                }
                Ok(Compared::Relevant(why)) => why_not.push(why),
                Err(e) => why_not.push(e.message().to_owned()),
            }
        }
        (None, why_not)
    }

    /// The group's tree read in full, and kept as the tree read last.
    fn read_in_full(&mut self, group: &Group) -> Result<Rc<Known>, discovery::DiscoveryError> {
        let d = discovery::discover_commit_evidence(
            self.reader,
            self.label,
            group.commit,
            &group.names[0],
            self.limits,
            self.headers,
        )?;
        self.judged.trees_read += 1;
        let known = Rc::new(Known::read_in_full(
            self.repo,
            group.tree,
            d,
            HeaderWindow::of_read(self.headers, self.limits.max_files_scanned_for_headers),
        ));
        self.last_read = Some(known.clone());
        Ok(known)
    }

    /// A judged group: its refs in the ledger with the tree's evidence, the tree known from now on, and, when
    /// its evidence differs from the default branch's, its report among the differing (or its refs among the
    /// silent, when the report finds nothing at all).
    fn record(&mut self, group: &Group, known: Rc<Known>, judgement: Judgement) {
        let clock = std::time::Instant::now();
        if matches!(judgement, Judgement::ByDifference { .. }) {
            self.judged.by_difference += 1;
        }
        let evidence = known.evidence.0.clone();
        self.ledger.extend(group.names.iter().map(|n| LedgerEntry {
            reference: n.clone(),
            tree: Some(group.tree),
            judgement: judgement.clone(),
            evidence: evidence.clone(),
        }));
        self.previous = Some(known.clone());
        self.known_trees.insert(group.tree, known.clone());
        if evidence == self.own {
            return;
        }
        let detector = self.detector;
        let report = self
            .reports
            .entry(known.evidence.1.clone())
            .or_insert_with(|| detector.detect(&known.discovery()));
        self.clocks.detecting += clock.elapsed();
        let silent = report.findings.is_empty()
            && report.claims.is_empty()
            && report
                .observations
                .iter()
                .all(|o| *o == Observation::NoLicense || o.is_reported_only());
        if silent {
            self.judged.silent.extend(group.names.iter().cloned());
            return;
        }
        let mut report = report.clone();
        // The one part of a report that depends on the files' digests (as `Detector::detect` lists them).
        report.files = known.files();
        report.commit = Some(group.commit.to_string());
        report.branch = Some(group.names[0].clone());
        self.judged.differing.push(RefEvidence {
            reference: group.names[0].clone(),
            also: group.names.len() - 1,
            commit: group.commit.to_string(),
            report: Box::new(report),
        });
    }

    /// The refs left unjudged named as one (the first, how many more, why), and what was done logged.
    fn finish(
        mut self,
        refs: usize,
        trees: usize,
        started: std::time::Instant,
    ) -> (RefsJudged, Vec<LedgerEntry>) {
        if let Some((first, _, why)) = self.unjudged.first() {
            let unjudged: usize = self.unjudged.iter().map(|(_, n, _)| n).sum();
            self.judged.not_read.push(format!(
                "{first} and {} more: not judged ({why}); {}, and these differ in licence evidence from every tree they were compared with",
                unjudged - 1,
                self.bound_reached
                    .as_deref()
                    .unwrap_or("the bound on comparing trees was reached")
            ));
        }
        tracing::debug!(
            refs,
            trees,
            read = self.judged.trees_read,
            by_difference = self.judged.by_difference,
            changes = self.comparer.changes,
            entries_walked = self.headers.work.entries,
            blobs_read = self.headers.work.blobs,
            bytes_read = self.headers.work.bytes,
            differing = self.judged.differing.len(),
            not_read = self.judged.not_read.len(),
            entries = ENTRIES.with(|c| c.get()),
            comparing_ms = self.clocks.comparing.as_millis() as u64,
            reading_ms = self.clocks.reading.as_millis() as u64,
            detecting_ms = self.clocks.detecting.as_millis() as u64,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "pushed refs judged"
        );
        (self.judged, self.ledger)
    }
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
