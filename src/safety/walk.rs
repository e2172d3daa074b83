//! The history walk (one thread): lists each blob's first place for the workers, checks file names on every
//! path, remembers every other place a blob is at, and at the end groups what was found into findings.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;
use git2::{FileMode, ObjectType, Oid, Repository, Sort};

use super::report::keep_if_large;
use super::worker::{BlobOutcome, Job, RawHit};
use super::{
    DEFAULT_REFS, FindingKind, Flow, PLACES_KEPT, Place, RuleSet, SafetyFinding, SafetyReport,
    ScanLimits, TruncatedBlob, context, files, fingerprint,
};

/// A place a finding is at, with what orders it.
#[derive(Debug, Clone)]
pub(super) struct RawPlace {
    pub(super) seq: usize,
    pub(super) path: String,
    pub(super) commit: Oid,
    pub(super) blob: Oid,
    pub(super) line: Option<usize>,
    pub(super) rule: String,
    pub(super) marked: bool,
    /// A test credential, local only, at this place (see [`context`]).
    pub(super) local_test: bool,
}

impl RawPlace {
    /// The place of a finding on a file's name (no line; never marked by the authors).
    fn of_path(seq: usize, rule: &str, path: &str, commit: Oid, blob: Oid) -> RawPlace {
        RawPlace {
            seq,
            path: path.to_owned(),
            commit,
            blob,
            line: None,
            rule: rule.to_owned(),
            marked: false,
            local_test: false,
        }
    }
}

/// The history walk (one thread): lists each blob's first place for the workers, checks file names on every
/// path, and remembers every other place a blob is at.
pub(super) struct Walker<'r> {
    pub(super) repo: &'r Repository,
    pub(super) rules: &'static RuleSet,
    pub(super) deadline: Option<Instant>,
    pub(super) report: &'r mut SafetyReport,
    pub(super) seen_trees: HashSet<Oid>,
    pub(super) seen_blobs: HashSet<Oid>,
    /// (blob, path id) pairs visited.
    pub(super) seen_places: HashSet<(Oid, u32)>,
    pub(super) paths: HashMap<String, u32>,
    pub(super) path_names: Vec<String>,
    pub(super) commit_ids: Vec<Oid>,
    /// Later places of a blob already queued: (blob, path id, commit index, seq).
    pub(super) extra_visits: Vec<(Oid, u32, u32, usize)>,
    /// Findings decided on the path alone: (seq, hit, path, commit, blob).
    pub(super) path_events: Vec<(usize, RawHit, String, Oid, Oid)>,
    /// `.gitleaksignore` entries seen at the root of any scanned commit.
    pub(super) ignore: HashSet<String>,
    pub(super) seq: usize,
    /// Whether a file name is named outside the tests of a commit ([`Walker::referred_to_outside_tests`]).
    pub(super) key_refs: std::cell::RefCell<HashMap<(Oid, String), bool>>,
}

/// What makes two findings one: the secret's hash (in memory only), or for the other kinds rule and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GroupKey {
    Secret([u8; 32]),
    Other(String, String),
}

/// Findings being grouped: each group's first hit and its places, in the order the groups were first seen.
#[derive(Default)]
struct Groups {
    groups: Vec<(RawHit, Vec<RawPlace>)>,
    index: HashMap<GroupKey, usize>,
}

impl Groups {
    /// Add one place of a hit to its group (`first_path`: where the hit was read).
    fn add(&mut self, hit: RawHit, first_path: &str, place: RawPlace) {
        let key = match hit.secret {
            Some(hash) => GroupKey::Secret(hash),
            None => GroupKey::Other(hit.rule.clone(), first_path.to_owned()),
        };
        match self.index.get(&key) {
            Some(&at) => self.groups[at].1.push(place),
            None => {
                self.index.insert(key, self.groups.len());
                self.groups.push((hit, vec![place]));
            }
        }
    }

    /// Add a finding decided on the path alone.
    fn add_path_event(
        &mut self,
        (seq, hit, path, commit, blob): (usize, RawHit, String, Oid, Oid),
    ) {
        let place = RawPlace::of_path(seq, &hit.rule, &path, commit, blob);
        self.add(hit, &path, place);
    }
}

impl<'r> Walker<'r> {
    /// A walk that has seen nothing yet, writing into `report`.
    pub(super) fn new(
        repo: &'r Repository,
        rules: &'static RuleSet,
        deadline: Option<Instant>,
        report: &'r mut SafetyReport,
    ) -> Walker<'r> {
        Walker {
            repo,
            rules,
            deadline,
            report,
            seen_trees: HashSet::new(),
            seen_blobs: HashSet::new(),
            seen_places: HashSet::new(),
            paths: HashMap::new(),
            path_names: Vec::new(),
            commit_ids: Vec::new(),
            extra_visits: Vec::new(),
            path_events: Vec::new(),
            ignore: HashSet::new(),
            seq: 0,
            key_refs: std::cell::RefCell::default(),
        }
    }

    pub(super) fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn path_id(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.paths.get(path) {
            return id;
        }
        let id = u32::try_from(self.path_names.len()).unwrap_or(u32::MAX);
        self.paths.insert(path.to_owned(), id);
        self.path_names.push(path.to_owned());
        id
    }

    /// The commits reachable from exact (name, id) pairs, oldest first.
    pub(super) fn commits_from_tips(
        &mut self,
        tips: &std::collections::BTreeMap<String, String>,
        label: &str,
    ) -> anyhow::Result<Vec<Oid>> {
        let mut walk = self.oldest_first(label)?;
        let mut pushed = false;
        for (name, id) in tips {
            self.report.refs.push(name.clone());
            let commit = Oid::from_str(id)
                .map_err(|e| e.message().to_owned())
                .and_then(|oid| {
                    self.repo
                        .find_object(oid, None)
                        .and_then(|o| o.peel(ObjectType::Commit))
                        .map(|c| c.id())
                        .map_err(|e| e.message().to_owned())
                });
            match commit {
                Ok(commit) => {
                    walk.push(commit)
                        .with_context(|| format!("cannot walk from {name} in {label}"))?;
                    pushed = true;
                }
                Err(e) => self.report.unreadable.push(format!(
                    "{name} ({id}) does not lead to a readable commit: {e}"
                )),
            }
        }
        Ok(self.walk_all(walk, pushed))
    }

    /// A walk of the history that yields each commit after its parents (the one that introduced a blob
    /// comes first): what a finding's commit is chosen by.
    fn oldest_first(&self, label: &str) -> anyhow::Result<git2::Revwalk<'r>> {
        let mut walk = self
            .repo
            .revwalk()
            .with_context(|| format!("cannot walk the history of {label}"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .with_context(|| format!("cannot walk the history of {label}"))?;
        Ok(walk)
    }

    fn walk_all(&mut self, walk: git2::Revwalk<'_>, pushed: bool) -> Vec<Oid> {
        let mut commits = Vec::new();
        if pushed {
            for id in walk {
                match id {
                    Ok(id) => commits.push(id),
                    Err(e) => {
                        self.report
                            .unreadable
                            .push(format!("the history cannot be walked: {}", e.message()));
                        break;
                    }
                }
            }
        }
        commits
    }

    /// The commits reachable from the refs, oldest first.
    pub(super) fn commits(&mut self, refs: &[String], label: &str) -> anyhow::Result<Vec<Oid>> {
        let named = !refs.is_empty();
        let patterns: Vec<String> = if named {
            refs.to_vec()
        } else {
            DEFAULT_REFS.iter().map(|s| s.to_string()).collect()
        };
        let mut walk = self.oldest_first(label)?;
        let mut pushed = false;
        for pattern in &patterns {
            let references = self
                .repo
                .references_glob(pattern)
                .with_context(|| format!("cannot list the refs {pattern} of {label}"))?;
            for reference in references {
                let reference = match reference {
                    Ok(r) => r,
                    Err(e) => {
                        self.report.unreadable.push(format!(
                            "a ref matching {pattern} cannot be read: {}",
                            e.message()
                        ));
                        continue;
                    }
                };
                let name = reference.name().map(str::to_owned).unwrap_or_else(|_| {
                    String::from_utf8_lossy(reference.name_bytes()).into_owned()
                });
                if self.report.refs.contains(&name) {
                    continue;
                }
                self.report.refs.push(name.clone());
                match reference.peel(ObjectType::Commit) {
                    Ok(object) => {
                        walk.push(object.id())
                            .with_context(|| format!("cannot walk from {name} in {label}"))?;
                        pushed = true;
                    }
                    Err(e) => self.report.unreadable.push(format!(
                        "{name} does not lead to a readable commit: {}",
                        e.message()
                    )),
                }
            }
        }
        if named && self.report.refs.is_empty() {
            anyhow::bail!("no ref of {label} matches {}", patterns.join(", "));
        }
        Ok(self.walk_all(walk, pushed))
    }

    pub(super) fn scan_commit(&mut self, id: Oid, sender: &mpsc::SyncSender<Job>) -> Flow {
        let tree = match self.repo.find_commit(id) {
            Ok(commit) => commit.tree_id(),
            Err(e) => {
                self.report
                    .unreadable
                    .push(format!("commit {id}: {}", e.message()));
                return Flow::Continue;
            }
        };
        let commit_index = u32::try_from(self.commit_ids.len()).unwrap_or(u32::MAX);
        self.commit_ids.push(id);
        let mut stack = vec![(tree, String::new())];
        while let Some((tree_id, prefix)) = stack.pop() {
            if !self.seen_trees.insert(tree_id) {
                continue;
            }
            let tree = match self.repo.find_tree(tree_id) {
                Ok(t) => t,
                Err(e) => {
                    let at = if prefix.is_empty() { "/" } else { &prefix };
                    self.report.unreadable.push(format!(
                        "tree {tree_id} at {at} in commit {id}: {}",
                        e.message()
                    ));
                    continue;
                }
            };
            // Sub-folders go on the stack last-first, so that they are walked in name order.
            let mut folders = Vec::new();
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes());
                let path = if prefix.is_empty() {
                    name.into_owned()
                } else {
                    format!("{prefix}/{name}")
                };
                match entry.kind() {
                    Some(ObjectType::Tree) => folders.push((entry.id(), path)),
                    // Symbolic links hold a path, submodules a commit of another repository.
                    Some(ObjectType::Blob)
                        if entry.filemode() != i32::from(FileMode::Link)
                            && self.visit_blob(&path, entry.id(), id, commit_index, sender)
                                == Flow::Stop =>
                    {
                        return Flow::Stop;
                    }
                    _ => {}
                }
            }
            stack.extend(folders.into_iter().rev());
        }
        Flow::Continue
    }

    fn visit_blob(
        &mut self,
        path: &str,
        blob: Oid,
        commit: Oid,
        commit_index: u32,
        sender: &mpsc::SyncSender<Job>,
    ) -> Flow {
        let path_id = self.path_id(path);
        if !self.seen_places.insert((blob, path_id)) {
            return Flow::Continue;
        }
        self.seq += 1;
        let seq = self.seq;
        if path == ".gitleaksignore" {
            self.read_gitleaksignore(blob);
        }
        // Vendored packages (the global path allow-list: node_modules, bower_components, site-packages…) ship
        // what their publishers already made public, test keys included: no secret or file rule applies.
        let vendored = self.rules.path_is_allowed(path);
        let content_rule = !vendored && files::needs_content(path);
        if !vendored {
            let by_name = if content_rule {
                None
            } else {
                files::classify(path, None)
            };
            let mut hits: Vec<RawHit> = by_name.map(RawHit::sensitive_file).into_iter().collect();
            if by_name.is_none() {
                for index in self.rules.path_rules(path) {
                    let rule = &self.rules.rules()[index];
                    hits.push(RawHit {
                        kind: FindingKind::SensitiveFile,
                        rule: rule.id.clone(),
                        description: rule.description.clone(),
                        line: None,
                        excerpt: "(the file itself)".to_owned(),
                        secret: None,
                        marked: false,
                        local: context::LocalUse::No,
                        private_key: false,
                        local_block: None,
                        key_pair: false,
                    });
                }
            }
            for hit in hits {
                self.path_events
                    .push((seq, hit, path.to_owned(), commit, blob));
            }
        }
        let first = self.seen_blobs.insert(blob);
        if !first {
            self.extra_visits.push((blob, path_id, commit_index, seq));
        }
        if first || content_rule {
            let job = Job {
                seq,
                blob,
                path: path.to_owned(),
                commit,
                scan: first,
                file_rule: content_rule,
            };
            if sender.send(job).is_err() {
                return Flow::Stop;
            }
        }
        if self.expired() {
            return Flow::Stop;
        }
        Flow::Continue
    }

    /// Add the fingerprints a `.gitleaksignore` lists (`commit:path:rule:line`, or `path:rule:line`).
    fn read_gitleaksignore(&mut self, blob: Oid) {
        if let Ok(b) = self.repo.find_blob(blob) {
            let text = String::from_utf8_lossy(b.content());
            for line in text.lines() {
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    self.ignore.insert(line.to_owned());
                }
            }
        }
    }

    /// Group what the walk and the workers found into findings, in the order of the walk.
    pub(super) fn finish(
        mut self,
        mut outcomes: Vec<BlobOutcome>,
        stopped: bool,
        limits: &ScanLimits,
    ) {
        outcomes.sort_by_key(|o| o.seq);
        let later = self.later_places_of_hits(&outcomes);
        let mut groups = Groups::default();
        // Merge the two streams by seq: path findings before content findings of the same place.
        let mut events = std::mem::take(&mut self.path_events).into_iter().peekable();
        let mut bytes_cut = false;
        for outcome in &outcomes {
            while let Some((seq, ..)) = events.peek()
                && *seq <= outcome.seq
            {
                groups.add_path_event(events.next().expect("peeked"));
            }
            if let Some((blob, commit)) = self.record_outcome(outcome, &mut bytes_cut) {
                let others = later.get(&blob).map(Vec::as_slice).unwrap_or_default();
                for hit in &outcome.hits {
                    for place in self.places_of_hit(hit, outcome, (blob, commit), others) {
                        groups.add(hit.clone(), &outcome.path, place);
                    }
                }
            }
        }
        for event in events {
            groups.add_path_event(event);
        }
        for (hit, places) in groups.groups {
            self.report.findings.push(self.finding(hit, places));
        }
        if stopped || bytes_cut {
            self.mark_incomplete(limits);
        }
    }

    /// Every later place (path id, commit index, seq) of each blob in which a worker found something.
    fn later_places_of_hits(
        &mut self,
        outcomes: &[BlobOutcome],
    ) -> HashMap<Oid, Vec<(u32, u32, usize)>> {
        let with_hits: HashSet<Oid> = outcomes
            .iter()
            .filter(|o| !o.hits.is_empty())
            .filter_map(|o| o.blob)
            .collect();
        let mut later: HashMap<Oid, Vec<(u32, u32, usize)>> = HashMap::new();
        for (blob, path, commit, seq) in std::mem::take(&mut self.extra_visits) {
            if with_hits.contains(&blob) {
                later.entry(blob).or_default().push((path, commit, seq));
            }
        }
        later
    }

    /// Put what a worker kept of one blob into the report: an unreadable blob, one read in part, and the totals
    /// of one counted but not yet added (`bytes_cut`: a read was cut short). Returns the blob and commit when
    /// its hits are to be grouped.
    fn record_outcome(
        &mut self,
        outcome: &BlobOutcome,
        bytes_cut: &mut bool,
    ) -> Option<(Oid, Oid)> {
        let (Some(blob), Some(commit)) = (outcome.blob, outcome.commit) else {
            return None;
        };
        if let Some(e) = &outcome.unreadable {
            self.report.unreadable.push(e.clone());
            return None;
        }
        if outcome.cut {
            *bytes_cut = true;
            if outcome.scanned {
                self.report.truncated.push(TruncatedBlob {
                    path: outcome.path.clone(),
                    commit: commit.to_string(),
                    blob: blob.to_string(),
                    size: outcome.size,
                    read: outcome.read,
                });
            }
        }
        if !outcome.scanned {
            return None;
        }
        if outcome.counted {
            self.report.blobs_scanned += 1;
            self.report.bytes_scanned += outcome.read.min(outcome.size);
            if outcome.binary {
                self.report.blobs_binary += 1;
            }
            self.report.nhs_test_numbers += outcome.nhs_test;
            keep_if_large(
                &mut self.report.largest,
                &outcome.path,
                blob,
                commit,
                outcome.size,
            );
        }
        Some((blob, commit))
    }

    /// Every place of one content hit: where the worker read the blob and, for all but file rules (judged per
    /// path), every later place of the same blob, which holds the same thing.
    fn places_of_hit(
        &self,
        hit: &RawHit,
        outcome: &BlobOutcome,
        (blob, commit): (Oid, Oid),
        later: &[(u32, u32, usize)],
    ) -> Vec<RawPlace> {
        let place = |seq: usize, path: &str, commit: Oid| RawPlace {
            seq,
            path: path.to_owned(),
            commit,
            blob,
            line: hit.line,
            rule: hit.rule.clone(),
            marked: hit.marked,
            local_test: hit.local_block.is_some()
                || context::is_local_test_place(
                    path,
                    hit.local,
                    hit.private_key,
                    self.paths.contains_key(&format!("{path}.pub")),
                )
                || self.is_test_key(hit, path, commit),
        };
        let mut places = vec![place(outcome.seq, &outcome.path, commit)];
        if hit.kind != FindingKind::SensitiveFile {
            for &(path, commit_index, seq) in later {
                let path = &self.path_names[path as usize];
                places.push(place(seq, path, self.commit_ids[commit_index as usize]));
            }
        }
        places
    }

    /// Whether a key (gitleaks' private-key rules, keepopen's `key-file`) at `path` in `commit` is a test's own
    /// key: the path is a test's ([`context::is_test_path`]) and either the same file holds its public half or a
    /// certificate (a pair written together, inline in a test's source), or the key is a file of its own that
    /// nothing outside the tests refers to ([`Walker::referred_to_outside_tests`]).
    fn is_test_key(&self, hit: &RawHit, path: &str, commit: Oid) -> bool {
        let key = hit.private_key || hit.rule == files::KEY_FILE.id;
        if !key || !context::is_test_path(path) {
            return false;
        }
        if hit.private_key && hit.key_pair {
            return true;
        }
        context::is_key_file_name(path) && !self.referred_to_outside_tests(commit, path)
    }

    /// Whether any file of `commit`'s tree that is not a test's (nor a vendored package's) names the file at
    /// `path` by its file name: a key that code, configuration or a deployment reads is no test's key. A tree or
    /// blob that cannot be read, or the time limit, counts as a reference (the key stays a finding).
    fn referred_to_outside_tests(&self, commit: Oid, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path).to_owned();
        if let Some(&known) = self.key_refs.borrow().get(&(commit, name.clone())) {
            return known;
        }
        let found = self.names_outside_tests(commit, &name).unwrap_or(true);
        self.key_refs.borrow_mut().insert((commit, name), found);
        found
    }

    fn names_outside_tests(&self, commit: Oid, name: &str) -> Option<bool> {
        let finder = aho_corasick::AhoCorasick::new([name]).ok()?;
        let tree = self.repo.find_commit(commit).ok()?.tree().ok()?;
        let mut stack = vec![(tree, String::new())];
        while let Some((tree, prefix)) = stack.pop() {
            if self.expired() {
                return None;
            }
            for entry in tree.iter() {
                let entry_name = String::from_utf8_lossy(entry.name_bytes());
                let path = if prefix.is_empty() {
                    entry_name.into_owned()
                } else {
                    format!("{prefix}/{entry_name}")
                };
                match entry.kind() {
                    Some(ObjectType::Tree) => {
                        stack.push((self.repo.find_tree(entry.id()).ok()?, path));
                    }
                    Some(ObjectType::Blob)
                        if !context::is_test_path(&path) && !self.rules.path_is_allowed(&path) =>
                    {
                        let blob = self.repo.find_blob(entry.id()).ok()?;
                        let content = blob.content();
                        let binary = content[..content.len().min(8000)].contains(&0);
                        if !binary && finder.is_match(content) {
                            return Some(true);
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(false)
    }

    /// The scan stopped at the time limit: the report says how far it got.
    fn mark_incomplete(&mut self, limits: &ScanLimits) {
        let report = &mut *self.report;
        let partly = match report.truncated.first() {
            None => String::new(),
            Some(first) => format!(
                ", {} blob(s) read in part, the first {}",
                report.truncated.len(),
                first.path
            ),
        };
        report.incomplete = true;
        report.incomplete_reason = Some(format!(
            "stopped at the time limit of {:.1}s after {} of {} commits ({} blobs, {} bytes read){partly}; the \
             rest of the history was not read",
            limits.time_limit.as_secs_f64(),
            report.commits_scanned,
            report.commits_total,
            report.blobs_scanned,
            report.bytes_scanned,
        ));
    }

    /// One finding from its hit and every place it is at: the first place names it; the authors' markers count
    /// only when every place is marked.
    fn finding(&self, hit: RawHit, mut places: Vec<RawPlace>) -> SafetyFinding {
        places.sort_by_key(|p| p.seq);
        let mut distinct = HashSet::new();
        places.retain(|p| distinct.insert((p.path.clone(), p.blob)));
        let fingerprints: Vec<String> = places
            .iter()
            .map(|p| fingerprint(&p.commit.to_string(), &p.path, &p.rule, p.line))
            .collect();
        let mut inline = 0usize;
        let mut ignored = 0usize;
        for p in &places {
            let commit = p.commit.to_string();
            let line = p.line.unwrap_or(0);
            let listed = self
                .ignore
                .contains(&format!("{commit}:{}:{}:{line}", p.path, p.rule))
                || self
                    .ignore
                    .contains(&format!("{}:{}:{line}", p.path, p.rule));
            if listed {
                ignored += 1;
            } else if p.marked {
                inline += 1;
            }
        }
        let marked = (inline + ignored == places.len()).then(|| match (inline > 0, ignored > 0) {
            (true, false) => {
                "gitleaks:allow on its line, or an entry of a gitleaks report the repository keeps"
                    .to_owned()
            }
            (false, true) => "listed in .gitleaksignore".to_owned(),
            _ => "gitleaks:allow on its line, or listed in .gitleaksignore".to_owned(),
        });
        // A test credential, local only, when every place is one: the same value anywhere else is a finding.
        let local_test = places.iter().all(|p| p.local_test).then(|| {
            if let Some(why) = &hit.local_block {
                format!("a credential in a local place: {why}")
            } else if hit.private_key || hit.rule == files::KEY_FILE.id {
                "a test's own key: under a test path, with its public half or local endpoints only beside it, \
                 or a key file that only tests refer to"
                    .to_owned()
            } else {
                "under a test path, in a file that names no endpoint but local ones, minted by the test"
                    .to_owned()
            }
        });
        let first = &places[0];
        SafetyFinding {
            kind: hit.kind,
            rule: hit.rule.clone(),
            description: hit.description,
            path: first.path.clone(),
            commit: first.commit.to_string(),
            blob: first.blob.to_string(),
            line: first.line,
            excerpt: hit.excerpt,
            occurrences: places.len(),
            fingerprint: fingerprints[0].clone(),
            allowed_by: None,
            places_total: places.len(),
            places: places
                .iter()
                .zip(&fingerprints)
                .take(PLACES_KEPT)
                .map(|(p, fp)| Place {
                    path: p.path.clone(),
                    commit: p.commit.to_string(),
                    blob: p.blob.to_string(),
                    line: p.line,
                    fingerprint: fp.clone(),
                })
                .collect(),
            place_fingerprints: if fingerprints.len() > PLACES_KEPT {
                fingerprints[PLACES_KEPT..].to_vec()
            } else {
                Vec::new()
            },
            marked,
            local_test,
        }
    }
}
