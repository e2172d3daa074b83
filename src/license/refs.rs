//! The licence evidence of every ref that republication pushes, not only the default branch's; and, before a
//! repository is said to have no licence anywhere, a search of every text file of those refs for licence names
//! and grant language.
//!
//! Republication pushes every branch and tag (`refs/heads/*`, `refs/tags/*`, see `publish::git::mirror_refs`),
//! so a proprietary LICENSE on a branch other than the default is published too. [`evidence`] reads the
//! default branch as before, then the tree of every other pushed ref: refs that share a root tree are read
//! once, header scans are shared by blob id across refs ([`discovery::HeaderCache`]), licence texts are
//! analysed once per text (the detector's cache), and at most [`RefLimits::max_trees`] distinct trees are
//! read. A ref whose evidence is the default branch's is done; one whose evidence differs carries its own
//! report, which the verdict judges ([`crate::verdict::judge`]): anything but *allowed* there makes the
//! repository *needs review*, naming the ref. A ref whose tree holds no licence-like text at all is under the
//! repository's licence (an orphan `gh-pages` branch of built pages), and is listed as such.
//!
//! [`search_absence`] is the evidence that *forbidden, no licence anywhere* needs: every blob of every pushed
//! tree, once per blob id, read up to a bound, searched line by line for a licence's name
//! ([`super::reference::references`]) or a grant by reference ([`super::statement::grants_by_reference`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use git2::{ObjectType, Oid, Repository, RepositoryOpenFlags};
use serde::{Deserialize, Serialize};

use super::detect::Detector;
use super::discovery::{self, HeaderCache, Limits};
use super::{Discovery, LicenseReport, Observation};

/// Bounds on the work of reading other refs and searching for absence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefLimits {
    /// The most distinct root trees (besides the default branch's) whose licence evidence is read.
    pub max_trees: usize,
    /// The most distinct blobs read by the absence search.
    pub max_search_blobs: usize,
    /// The bytes of each blob the absence search reads.
    pub max_search_bytes: usize,
    /// The most mentions kept by the absence search (one is enough to need a person).
    pub max_mentions: usize,
}

impl Default for RefLimits {
    fn default() -> Self {
        RefLimits {
            max_trees: 200,
            max_search_blobs: 50_000,
            max_search_bytes: 256 * 1024,
            max_mentions: 20,
        }
    }
}

/// What the other pushed refs say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefsJudged {
    /// Refs that republication pushes (branches and tags), the default branch included.
    pub pushed: usize,
    /// Distinct root trees read besides the default branch's.
    pub trees_read: usize,
    /// Refs whose licence evidence differs from the default branch's, each with its own report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differing: Vec<RefEvidence>,
    /// Refs whose trees hold no licence-like text at all: under the repository's licence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silent: Vec<String>,
    /// Refs not read because the bound on trees was reached, or whose tree could not be read (with why).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<String>,
}

/// One ref whose licence evidence differs from the default branch's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefEvidence {
    /// The ref (`refs/heads/old`), and how many more refs share its tree.
    pub reference: String,
    pub also: usize,
    pub commit: String,
    pub report: Box<LicenseReport>,
}

/// The search for any licence name or grant before a repository is said to have no licence anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceSearch {
    pub blobs_read: usize,
    /// Every blob of every pushed tree was read (within the bytes bound per blob).
    pub complete: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    /// Source and script files read ([`super::claims::is_code_path`]), and how many of them carry a licence
    /// in their own header: how far headers cover the repository's own work.
    #[serde(default)]
    pub code_files: usize,
    #[serde(default)]
    pub header_files: usize,
    /// Lines found that speak for a part only ([`super::claims::MentionScope`]), kept or not: they never stop
    /// the search.
    #[serde(default)]
    pub part_mentions: usize,
}

/// A line that names a licence or grants by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The ref the file was first seen in.
    pub reference: String,
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// The licence named (SPDX id), if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// The line, cut to 200 characters.
    pub text: String,
    /// The part the line is known to speak for only, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<super::claims::MentionScope>,
}

/// The licence report of the repository at `path` as republication would publish it: the default branch's
/// evidence, the other pushed refs' ([`RefsJudged`]), and the absence search when nothing licence-like was
/// found on the default branch.
pub fn evidence(path: &Path, detector: &Detector) -> anyhow::Result<LicenseReport> {
    evidence_with(path, detector, &Limits::default(), &RefLimits::default())
}

pub fn evidence_with(
    path: &Path,
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
) -> anyhow::Result<LicenseReport> {
    let discovery = discovery::discover_path(path)?;
    let mut report = detector.detect(&discovery);
    let label: std::path::PathBuf = path.components().collect();
    let repo = match Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    ) {
        Ok(repo) => repo,
        Err(error) => {
            // Read without HEAD (discovery's fallback): the other refs cannot be listed the same way.
            report.refs = Some(RefsJudged {
                pushed: 0,
                trees_read: 0,
                differing: Vec::new(),
                silent: Vec::new(),
                not_read: vec![format!(
                    "the refs of {} could not be listed: {}",
                    label.display(),
                    error.message()
                )],
            });
            return Ok(report);
        }
    };
    let tips = pushed_tips(&repo)?;
    let default_commit = discovery
        .commit
        .as_deref()
        .and_then(|c| Oid::from_str(c).ok());
    let mut headers = HeaderCache::default();
    report.refs = Some(judge_refs(
        &repo,
        &label,
        &tips,
        default_commit,
        &discovery,
        detector,
        limits,
        ref_limits,
        &mut headers,
    ));
    if report.observations.contains(&Observation::NoLicense) {
        report.absence = Some(search_absence(&repo, &tips, ref_limits));
    }
    Ok(report)
}

/// The refs republication pushes, peeled to commits: ref name → commit. A tag of a tree or a blob is kept
/// with the id it points at (it is pushed too) and read as such.
pub fn pushed_tips(repo: &Repository) -> anyhow::Result<BTreeMap<String, Oid>> {
    let mut tips = BTreeMap::new();
    for glob in ["refs/heads/*", "refs/tags/*"] {
        for reference in repo.references_glob(glob)? {
            let reference = reference?;
            let (Ok(name), Some(_)) = (reference.name(), reference.target()) else {
                continue;
            };
            let name = name.to_owned();
            match reference.peel(ObjectType::Any) {
                Ok(object) => {
                    let id = object
                        .peel_to_commit()
                        .map(|c| c.id())
                        .unwrap_or_else(|_| object.id());
                    tips.insert(name, id);
                }
                Err(_) => {
                    if let Some(id) = reference.target() {
                        tips.insert(name, id);
                    }
                }
            }
        }
    }
    Ok(tips)
}

/// The evidence of discovery that decides a verdict, for comparing refs: what was read and where, what was
/// skipped and why.
fn fingerprint(d: &Discovery) -> Vec<String> {
    let mut out: Vec<String> = d
        .candidates
        .iter()
        .chain(d.notices.iter())
        .map(|c| format!("{:?}\0{}\0{}\0{}", c.kind, c.path, c.sha256, c.text))
        .chain(
            d.skipped
                .iter()
                .chain(d.tool_defaults.iter())
                .map(|s| format!("skip\0{}\0{}", s.path, s.reason)),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

#[allow(clippy::too_many_arguments)]
fn judge_refs(
    repo: &Repository,
    label: &Path,
    tips: &BTreeMap<String, Oid>,
    default_commit: Option<Oid>,
    default: &Discovery,
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
    headers: &mut HeaderCache,
) -> RefsJudged {
    let tree_of = |id: Oid| -> Result<Oid, String> {
        let object = repo
            .find_object(id, None)
            .map_err(|e| e.message().to_owned())?;
        object
            .peel_to_tree()
            .map(|t| t.id())
            .map_err(|_| format!("{id} is not a commit or a tree"))
    };
    let default_tree = default_commit.and_then(|c| tree_of(c).ok());
    // Refs by root tree, in ref order: refs sharing a tree are read once.
    let mut by_tree: Vec<(Oid, Oid, Vec<String>)> = Vec::new();
    let mut index: HashMap<Oid, usize> = HashMap::new();
    let mut judged = RefsJudged {
        pushed: tips.len(),
        trees_read: 0,
        differing: Vec::new(),
        silent: Vec::new(),
        not_read: Vec::new(),
    };
    for (name, id) in tips {
        match tree_of(*id) {
            Ok(tree) if Some(tree) == default_tree => {}
            Ok(tree) => match index.get(&tree) {
                Some(&i) => by_tree[i].2.push(name.clone()),
                None => {
                    index.insert(tree, by_tree.len());
                    by_tree.push((tree, *id, vec![name.clone()]));
                }
            },
            Err(why) => judged.not_read.push(format!("{name}: {why}")),
        }
    }
    let own = fingerprint(default);
    for (i, (_, commit, names)) in by_tree.iter().enumerate() {
        if i >= ref_limits.max_trees {
            judged.not_read.push(format!(
                "{} and {} more: more than {} distinct trees besides the default branch's, not read",
                names[0],
                names.len() - 1
                    + by_tree[i + 1..]
                        .iter()
                        .map(|(_, _, n)| n.len())
                        .sum::<usize>(),
                ref_limits.max_trees
            ));
            break;
        }
        judged.trees_read += 1;
        let discovery =
            match discovery::discover_commit(repo, label, *commit, &names[0], limits, headers) {
                Ok(d) => d,
                Err(e) => {
                    judged.not_read.push(format!("{}: {e}", names[0]));
                    continue;
                }
            };
        if fingerprint(&discovery) == own {
            continue;
        }
        let report = detector.detect(&discovery);
        let silent = report.findings.is_empty()
            && report.claims.is_empty()
            && report
                .observations
                .iter()
                .all(|o| *o == Observation::NoLicense);
        if silent {
            judged.silent.extend(names.iter().cloned());
            continue;
        }
        judged.differing.push(RefEvidence {
            reference: names[0].clone(),
            also: names.len() - 1,
            commit: commit.to_string(),
            report: Box::new(report),
        });
    }
    judged
}

/// Search every blob of every pushed tree (once per blob id, the first `max_search_bytes` of each, text only)
/// for a line that names a licence or grants by reference.
pub fn search_absence(
    repo: &Repository,
    tips: &BTreeMap<String, Oid>,
    limits: &RefLimits,
) -> AbsenceSearch {
    let mut search = AbsenceSearch {
        blobs_read: 0,
        complete: true,
        mentions: Vec::new(),
        code_files: 0,
        header_files: 0,
        part_mentions: 0,
    };
    let Ok(odb) = repo.odb() else {
        search.complete = false;
        return search;
    };
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    for (name, tip) in tips {
        let Ok(tree) = repo.find_object(*tip, None).and_then(|o| o.peel_to_tree()) else {
            continue;
        };
        let mut stack = vec![(tree, String::new())];
        while let Some((tree, prefix)) = stack.pop() {
            if !seen_trees.insert(tree.id()) {
                continue;
            }
            for entry in tree.iter() {
                let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
                match entry.kind() {
                    Some(ObjectType::Tree) => match repo.find_tree(entry.id()) {
                        Ok(sub) => stack.push((sub, format!("{path}/"))),
                        Err(_) => search.complete = false,
                    },
                    Some(ObjectType::Blob) if seen_blobs.insert(entry.id()) => {
                        if search.blobs_read >= limits.max_search_blobs {
                            search.complete = false;
                            return search;
                        }
                        search.blobs_read += 1;
                        let Ok(object) = odb.read(entry.id()) else {
                            search.complete = false;
                            continue;
                        };
                        let data = object.data();
                        let head = &data[..data.len().min(limits.max_search_bytes)];
                        if head[..head.len().min(8000)].contains(&0) {
                            continue;
                        }
                        let decoded = discovery::decode_text(head);
                        let code = super::claims::is_code_path(&path);
                        search.code_files += usize::from(code);
                        let mut header = false;
                        for (line, license, text) in mentions_in(&decoded) {
                            // A line that speaks for a part only is kept (to be shown) but never stops the
                            // search: only a line that may speak for the repository settles it.
                            let scope = super::claims::mention_scope(&path, &decoded, line);
                            header |= scope == Some(super::claims::MentionScope::FileHeader);
                            if scope.is_some() {
                                search.part_mentions += 1;
                                if search.part_mentions > limits.max_mentions {
                                    continue;
                                }
                            }
                            search.mentions.push(Mention {
                                reference: name.clone(),
                                file: path.clone(),
                                line,
                                license,
                                text,
                                scope,
                            });
                            let whole =
                                search.mentions.iter().filter(|m| m.scope.is_none()).count();
                            if whole >= limits.max_mentions {
                                return search;
                            }
                        }
                        search.header_files += usize::from(header && code);
                    }
                    _ => {}
                }
            }
        }
    }
    search
}

/// The lines of a text that name a licence or grant by reference: (1-based line, licence id, the line cut to
/// 200 characters). Only lines with a licence word are read closely.
pub fn mentions_in(text: &str) -> Vec<(usize, Option<String>, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        let worded = ["licen", "spdx", "copyleft", "public domain", "gnu "]
            .iter()
            .any(|w| lower.contains(w));
        if !worded {
            continue;
        }
        let named = super::reference::references(line)
            .into_iter()
            .next()
            .map(|r| r.id);
        if named.is_some() || super::statement::grants_by_reference(line) {
            let cut: String = line.trim().chars().take(200).collect();
            out.push((i + 1, named, cut));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_naming_a_licence_or_granting_are_mentions_and_code_is_not() {
        let text = "# Legal\n\nThe software is licensed under the GNU Affero General Public License v3.0.\nlet licence_key = read();\n";
        let found = mentions_in(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert_eq!(
            found[0].1.as_deref().map(super::super::detect::family),
            Some("AGPL-3.0")
        );
        assert!(mentions_in("fn licence_check() {}\n").is_empty());
    }
}
