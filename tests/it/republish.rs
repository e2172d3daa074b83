//! `keepopen republish` against real git and real HTTP on 127.0.0.1: the local forge (a directory of bare
//! repositories) and the GitHub target (the GitHub-shaped API server plus a git smart-HTTP server that demands the
//! token by basic auth).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use git2::{Oid, Repository};
use keepopen::github::Token;
use keepopen::policy::{ForgeKind, Policy};
use keepopen::provenance::Provenance;
use keepopen::publish::{
    self, Outcome, Overrides, Refusal, Request, StaticToken, TargetConfig, TokenSource,
};
use keepopen::state::{MirrorRecord, RepoRecord, Status, Store, WikiRecord, WikiState};

use crate::fixture::{RepoFixture, TreeSpec, copy_dir};
use crate::support::git_http::{GitServer, GitServerOptions};
use crate::support::github_api::{FakeGitHub, Fault};

pub(crate) const MIT: &str = include_str!("../corpus/001-govuk-design-system-mit.txt");
const ND: &str = include_str!("../../licenses/text/CC-BY-ND-4.0.txt");
pub(crate) const TOKEN: &str = "ghs_republishTOKEN0123456789abcdef";
const ORG: &str = "nhs-community";
pub(crate) const ID: u64 = 4242;

/// A removed repository with its mirror in an archive, a state directory, and room for targets.
pub(crate) struct Setup {
    pub(crate) dir: tempfile::TempDir,
    /// The original (its mirror is a `git clone --mirror` of it).
    _source: RepoFixture,
    pub(crate) record: RepoRecord,
    /// Original tips.
    pub(crate) main: Oid,
    pub(crate) feature: Oid,
    pub(crate) tag: Oid,
}

fn removal_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap()
}

impl Setup {
    /// `main` with `commits` commits (the licence file in each), a `feature` branch, an annotated tag `v1`, plus a
    /// pull ref and a keepopen-internal ref that must never be published.
    pub(crate) fn new(license: Option<&str>, commits: usize) -> Setup {
        Setup::with_first_commit_files(license, commits, &[])
    }

    /// As [`Setup::new`], with `extra` files in the first commit only (gone from the later ones: a leak fixed
    /// in history but still in it).
    pub(crate) fn with_first_commit_files(
        license: Option<&str>,
        commits: usize,
        extra: &[(&str, String)],
    ) -> Setup {
        let source = RepoFixture::bare();
        let mut main = Oid::ZERO_SHA1;
        for i in 0..commits {
            let mut spec = TreeSpec::new()
                .file("README.md", format!("# frontend\n\nversion {i}\n"))
                .file(".github/workflows/ci.yml", "on: push\njobs: {}\n");
            if let Some(text) = license {
                spec = spec.file("LICENSE", text);
            }
            if i == 0 {
                for (path, contents) in extra {
                    spec = spec.file(path, contents);
                }
            }
            main = source.commit("main", &spec);
        }
        let feature = source.commit("feature", &TreeSpec::new().file("x.txt", "feature\n"));
        let signature = crate::fixture::signature();
        let tag = {
            let target = source.repo().find_object(main, None).unwrap();
            source
                .repo()
                .tag("v1", &target, &signature, "release 1", false)
                .unwrap()
        };
        source.set_head("main");
        let mirror = source.mirror();
        let pull = mirror.commit("pull-scratch", &TreeSpec::new().file("pr.txt", "pr\n"));
        mirror.write_ref("refs/pull/1/head", pull);
        mirror.write_ref("refs/keepopen/overwritten/20250101T000000Z/heads/old", pull);
        mirror.delete_ref("refs/heads/pull-scratch");

        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        std::fs::create_dir_all(&archive).unwrap();
        copy_dir(mirror.git_dir(), &archive.join("4242-frontend.git"));

        let seen = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
        let mut record = RepoRecord::new(ID, "nhsuk/frontend", seen);
        record.html_url = "https://github.com/nhsuk/frontend".into();
        record.clone_url = "https://github.com/nhsuk/frontend.git".into();
        record.default_branch = Some("main".into());
        record.status = Status::Removed;
        record.removal_confirmed_at = Some(removal_time());
        record.mirror = Some(MirrorRecord {
            path: "4242-frontend.git".into(),
            fetched_at: Some(seen),
            ..MirrorRecord::default()
        });
        let setup = Setup {
            dir,
            _source: source,
            record,
            main,
            feature,
            tag,
        };
        setup.store().save(&setup.record).unwrap();
        setup
    }

    pub(crate) fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    pub(crate) fn mirror(&self) -> PathBuf {
        self.path("archive/4242-frontend.git")
    }

    pub(crate) fn store(&self) -> Store {
        Store::open(self.path("state")).unwrap()
    }

    pub(crate) fn local_target(&self) -> TargetConfig {
        TargetConfig {
            path: self.path("published").display().to_string(),
            ..TargetConfig::default()
        }
    }

    pub(crate) fn request(
        &self,
        target: TargetConfig,
        policy: Policy,
        overrides: Overrides,
    ) -> Request {
        Request {
            record: self.store().load(ID).unwrap().unwrap(),
            mirror: self.mirror(),
            policy: Arc::new(policy),
            target,
            overrides,
            now: Utc::now(),
            evaluation: None,
        }
    }

    pub(crate) async fn publish_local(&self) -> anyhow::Result<publish::Publication> {
        let request = self.request(self.local_target(), Policy::default(), Overrides::default());
        publish::republish(&self.store(), request, None).await
    }

    pub(crate) fn published(&self) -> PathBuf {
        self.path("published/nhsuk--frontend.git")
    }

    /// Give the repository an archived wiki (two commits); returns the wiki's tip.
    fn add_wiki(&self) -> Oid {
        let wiki = RepoFixture::bare();
        wiki.commit("master", &TreeSpec::new().file("Home.md", "# Home\n"));
        let tip = wiki.commit(
            "master",
            &TreeSpec::new()
                .file("Home.md", "# Home\n")
                .file("Setup.md", "# Setup\n"),
        );
        wiki.set_head("master");
        copy_dir(wiki.git_dir(), &self.path("archive/4242-frontend.wiki.git"));
        let mut record = self.store().load(ID).unwrap().unwrap();
        record.has_wiki = true;
        record.wiki = Some(WikiRecord {
            state: WikiState::Mirrored,
            path: Some("4242-frontend.wiki.git".into()),
            error: None,
            checked_at: removal_time(),
        });
        self.store().save(&record).unwrap();
        tip
    }
}

/// Every ref of a repository → target.
pub(crate) fn refs(path: &Path) -> BTreeMap<String, String> {
    crate::support::git_fixture::refs(path)
}

/// Every commit reachable from any ref of `path`.
fn all_commits(path: &Path) -> Vec<Oid> {
    let repo = Repository::open_bare(path).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_glob("refs/heads/*").unwrap();
    walk.push_glob("refs/tags/*").unwrap();
    walk.map(Result::unwrap).collect()
}

fn file_at(repo: &Repository, commit: Oid, path: &str) -> Option<String> {
    let tree = repo.find_commit(commit).unwrap().tree().unwrap();
    let entry = tree.get_path(Path::new(path)).ok()?;
    let blob = repo.find_blob(entry.id()).unwrap();
    Some(String::from_utf8(blob.content().to_vec()).unwrap())
}

fn refusal(e: &anyhow::Error) -> &Refusal {
    e.downcast_ref::<Refusal>()
        .unwrap_or_else(|| panic!("expected a refusal, got {e:#}"))
}

/// Check a published repository: originals unchanged, notice commit on main, tag at the original tip.
fn assert_faithful(setup: &Setup, target: &Path, publication: &publish::Publication) {
    let published = refs(target);
    let original = refs(&setup.mirror());
    for (name, id) in &original {
        if name.starts_with("refs/pull/") || name.starts_with("refs/keepopen/") {
            assert!(
                !published.contains_key(name),
                "{name} must not be published"
            );
        } else if name == "refs/heads/main" {
            assert_ne!(published[name], *id);
        } else if name.starts_with("refs/heads/") || name.starts_with("refs/tags/") {
            assert_eq!(published.get(name), Some(id), "{name} pushed unchanged");
        }
    }
    assert_eq!(published["refs/tags/v1"], setup.tag.to_string());
    assert_eq!(published["refs/heads/feature"], setup.feature.to_string());
    assert_eq!(
        published["refs/tags/keepopen/last-seen"],
        setup.main.to_string(),
        "the tag is at the original tip"
    );
    assert!(
        !published.keys().any(|k| k.starts_with("refs/pull/")),
        "{published:?}"
    );
    let repo = Repository::open_bare(target).unwrap();
    for commit in all_commits(&setup.mirror()) {
        assert!(
            repo.find_commit(commit).is_ok(),
            "original commit {commit} missing in the target"
        );
    }
    // One extra commit: parent = original tip, tree = original tree + the two notice files, by the bot.
    let notice = Oid::from_str(&published["refs/heads/main"]).unwrap();
    assert_eq!(notice.to_string(), publication.notice_commit);
    let commit = repo.find_commit(notice).unwrap();
    assert_eq!(commit.parent_ids().collect::<Vec<_>>(), vec![setup.main]);
    assert_eq!(commit.author().name().ok(), Some("keepopen[bot]"));
    assert_eq!(commit.time().seconds(), removal_time().timestamp());
    let original_tree = repo.find_commit(setup.main).unwrap().tree().unwrap();
    let diff = repo
        .diff_tree_to_tree(Some(&original_tree), Some(&commit.tree().unwrap()), None)
        .unwrap();
    let added: Vec<String> = diff
        .deltas()
        .map(|d| {
            assert_eq!(d.status(), git2::Delta::Added, "only additions");
            d.new_file().path().unwrap().display().to_string()
        })
        .collect();
    assert_eq!(added, vec!["PROVENANCE.md", "provenance.json"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_forge_receives_every_original_ref_unchanged_one_notice_commit_and_the_last_seen_tag()
{
    let setup = Setup::new(Some(MIT), 3);
    let publication = setup.publish_local().await.unwrap();
    assert_eq!(publication.outcome, Outcome::Published);
    assert!(publication.created);
    assert_faithful(&setup, &setup.published(), &publication);
    let target = Repository::open_bare(setup.published()).unwrap();
    assert_eq!(
        target
            .find_reference("HEAD")
            .unwrap()
            .symbolic_target()
            .unwrap(),
        Some("refs/heads/main")
    );

    // The notice, as committed, states the ids, the SWHID, the licence and the holders the engine found.
    let notice = Oid::from_str(&publication.notice_commit).unwrap();
    let markdown = file_at(&target, notice, "PROVENANCE.md").unwrap();
    let json: Provenance =
        serde_json::from_str(&file_at(&target, notice, "provenance.json").unwrap()).unwrap();
    let head = setup.main.to_string();
    assert_eq!(json.original.id, ID);
    assert_eq!(json.original.url, "https://github.com/nhsuk/frontend");
    assert_eq!(json.original.default_branch, "main");
    assert_eq!(json.last_seen.head, head);
    assert_eq!(json.last_seen.swhid, format!("swh:1:rev:{head}"));
    assert_eq!(json.last_seen.removal_confirmed_at, Some(removal_time()));
    assert_eq!(
        json.last_seen.refs["refs/heads/feature"],
        setup.feature.to_string()
    );
    assert_eq!(json.last_seen.refs["refs/tags/v1"], setup.tag.to_string());
    assert!(!json.last_seen.refs.contains_key("refs/pull/1/head"));
    assert_eq!(json.verdict, "allowed");
    assert_eq!(json.expression, "MIT");
    assert_eq!(json.licenses.len(), 1);
    assert_eq!(
        (
            json.licenses[0].spdx_id.as_str(),
            json.licenses[0].file.as_str()
        ),
        ("MIT", "LICENSE")
    );
    // The holders are the engine's, as it reads them from the mirror on its own.
    let engine = keepopen::check::check_repo(
        &setup.mirror(),
        &keepopen::license::detect::Detector::embedded(),
        &Policy::default(),
    );
    assert!(!engine.holders.is_empty());
    assert_eq!(json.holders, engine.holders);
    for holder in &engine.holders {
        assert!(markdown.contains(&format!("\n- {holder}\n")), "{holder}");
    }
    for line in [
        "This repository is a copy of **nhsuk/frontend** (GitHub repository id 4242), <https://github.com/nhsuk/frontend>, which was removed from GitHub.".to_owned(),
        format!("| Last-seen head | `{head}` |"),
        format!("| Software Heritage id | [`swh:1:rev:{head}`](https://archive.softwareheritage.org/swh:1:rev:{head}) |"),
        "| Removal confirmed | 2025-03-04T05:06:07+00:00 |".to_owned(),
        format!("| `refs/tags/v1` | `{}` |", setup.tag),
        format!(
            "| `MIT` | `LICENSE` | 1–{} | {:.3} | licence text |",
            json.licenses[0].lines.1,
            json.licenses[0].score
        ),
        "is not the original author of this code and is not endorsed by its authors or by nhsuk.".to_owned(),
        "## Takedown".to_owned(),
    ] {
        assert!(markdown.contains(&line), "missing {line:?} in:\n{markdown}");
    }

    // State records the publication.
    let record = setup.store().load(ID).unwrap().unwrap();
    assert_eq!(record.publications.len(), 1);
    let p = &record.publications[0];
    assert_eq!(p.name, "nhsuk--frontend");
    assert_eq!(p.notice_commit, publication.notice_commit);
    assert_eq!(p.last_seen_commit, head);
    assert_eq!(
        p.pushed,
        refs(&setup.published())
            .into_iter()
            .filter(|(k, _)| k != "HEAD")
            .collect()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_reachable_only_from_pull_or_keepopen_refs_never_reach_the_local_forge() {
    let setup = Setup::new(Some(MIT), 2);
    let pull = Oid::from_str(&refs(&setup.mirror())["refs/pull/1/head"]).unwrap();
    let p = setup.publish_local().await.unwrap();
    assert_faithful(&setup, &setup.published(), &p);
    let target = Repository::open_bare(setup.published()).unwrap();
    assert!(
        target.find_commit(pull).is_err(),
        "the pull request's commit was copied"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mirror_with_only_heads_and_tags_seeds_the_local_forge_from_its_object_files() {
    let setup = Setup::new(Some(MIT), 3);
    let mirror = Repository::open_bare(setup.mirror()).unwrap();
    for name in [
        "refs/pull/1/head",
        "refs/keepopen/overwritten/20250101T000000Z/heads/old",
    ] {
        mirror.find_reference(name).unwrap().delete().unwrap();
    }
    let p = setup.publish_local().await.unwrap();
    assert_eq!(p.outcome, Outcome::Published);
    assert_faithful(&setup, &setup.published(), &p);
    // The pack files are the mirror's own (hard-linked or copied byte for byte).
    let packs = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir.join("objects/pack"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".pack"))
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let original = packs(&setup.mirror());
    let published = packs(&setup.published());
    assert!(!original.is_empty());
    for (name, bytes) in &original {
        assert_eq!(published.get(name), Some(bytes), "{name}");
    }
    let again = setup.publish_local().await.unwrap();
    assert_eq!(again.outcome, Outcome::AlreadyPublished);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_archived_wiki_goes_unchanged_beside_the_local_target() {
    let setup = Setup::new(Some(MIT), 2);
    let tip = setup.add_wiki();
    let p = setup.publish_local().await.unwrap();
    let wiki_target = setup.path("published/nhsuk--frontend.wiki.git");
    assert_eq!(
        p.wiki,
        Some(publish::WikiPublication::Published {
            target_url: wiki_target.display().to_string()
        })
    );
    let published = refs(&wiki_target);
    assert_eq!(published.get("refs/heads/master"), Some(&tip.to_string()));
    assert_eq!(published.len(), 1, "nothing added to a wiki: {published:?}");
    let record = setup.store().load(ID).unwrap().unwrap();
    assert_eq!(
        record.publications[0].wiki_url.as_deref(),
        Some(wiki_target.to_str().unwrap())
    );
    let again = setup.publish_local().await.unwrap();
    assert!(matches!(
        again.wiki,
        Some(publish::WikiPublication::Unchanged { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_builds_the_same_notice_commit_and_does_nothing() {
    let setup = Setup::new(Some(MIT), 2);
    let first = setup.publish_local().await.unwrap();
    let before = refs(&setup.published());
    let mtime = std::fs::metadata(setup.published().join("objects/pack"))
        .ok()
        .and_then(|m| m.modified().ok());
    let second = setup.publish_local().await.unwrap();
    assert_eq!(second.outcome, Outcome::AlreadyPublished);
    assert_eq!(second.pushes, 0);
    assert!(!second.created);
    assert_eq!(
        second.notice_commit, first.notice_commit,
        "deterministic notice commit"
    );
    assert_eq!(refs(&setup.published()), before);
    assert_eq!(
        std::fs::metadata(setup.published().join("objects/pack"))
            .ok()
            .and_then(|m| m.modified().ok()),
        mtime,
        "nothing written"
    );
    let record = setup.store().load(ID).unwrap().unwrap();
    assert_eq!(record.publications.len(), 1, "recorded once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_and_needs_review_verdicts_are_refused_with_their_reasons_and_nothing_is_created()
{
    // No licence at all: forbidden.
    let setup = Setup::new(None, 1);
    let e = setup.publish_local().await.unwrap_err();
    match refusal(&e) {
        Refusal::NotAllowed {
            verdict, reasons, ..
        } => {
            assert_eq!(verdict, "forbidden");
            assert!(
                reasons.iter().any(|r| r.contains("no licence anywhere")),
                "{reasons:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!setup.path("published").exists(), "no target was created");
    assert!(
        setup
            .store()
            .load(ID)
            .unwrap()
            .unwrap()
            .publications
            .is_empty()
    );

    // A licence file nobody recognises: needs review.
    let setup = Setup::new(
        Some("You may use this if you ask us nicely and we agree in writing.\n"),
        1,
    );
    let e = setup.publish_local().await.unwrap_err();
    let Refusal::NotAllowed {
        verdict, reasons, ..
    } = refusal(&e)
    else {
        panic!("{e:#}");
    };
    assert_eq!(verdict, "needs-review");
    assert!(!reasons.is_empty());
    assert!(e.to_string().contains("--override"), "{e}");
    assert!(!setup.path("published").exists());

    // A person's override publishes it, and the notice says so with the reason.
    let request = setup.request(
        setup.local_target(),
        Policy::default(),
        Overrides {
            verdict: Some("the team granted permission in writing (ticket 12)".into()),
            ..Overrides::default()
        },
    );
    let p = publish::republish(&setup.store(), request, None)
        .await
        .unwrap();
    let repo = Repository::open_bare(setup.published()).unwrap();
    let md = file_at(
        &repo,
        Oid::from_str(&p.notice_commit).unwrap(),
        "PROVENANCE.md",
    )
    .unwrap();
    assert!(md.contains("keepopen's verdict was **needs-review**; a person decided to republish it anyway: \"the team granted permission in writing (ticket 12)\""), "{md}");
    let record = setup.store().load(ID).unwrap().unwrap();
    assert_eq!(
        record.publications[0].override_reason.as_deref(),
        Some("the team granted permission in writing (ticket 12)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_derivatives_licence_adds_no_file_to_the_default_branch() {
    let setup = Setup::new(Some(ND), 2);
    let p = setup.publish_local().await.unwrap();
    let published = refs(&setup.published());
    assert_eq!(
        published["refs/heads/main"],
        setup.main.to_string(),
        "main untouched"
    );
    assert_eq!(
        published["refs/tags/keepopen/last-seen"],
        setup.main.to_string()
    );
    let repo = Repository::open_bare(setup.published()).unwrap();
    let notice = repo
        .find_commit(Oid::from_str(&published["refs/heads/keepopen/provenance"]).unwrap())
        .unwrap();
    assert_eq!(notice.id().to_string(), p.notice_commit);
    assert_eq!(
        notice.parent_count(),
        0,
        "the notice branch shares no tree with the work"
    );
    let names: Vec<String> = notice
        .tree()
        .unwrap()
        .iter()
        .map(|e| e.name().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec!["PROVENANCE.md", "provenance.json"]);
    let md = file_at(&repo, notice.id(), "PROVENANCE.md").unwrap();
    assert!(md.contains("CC-BY-ND-4.0"), "{md}");
    assert!(md.contains("separate branch `keepopen/provenance`"), "{md}");
    let description = std::fs::read_to_string(setup.published().join("description")).unwrap();
    assert!(
        description.contains(&format!("swh:1:rev:{}", setup.main))
            && description.contains("keepopen/provenance"),
        "{description}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repository_still_public_is_refused_unless_forced_with_a_reason() {
    let setup = Setup::new(Some(MIT), 1);
    let mut record = setup.record.clone();
    record.status = Status::Present;
    record.removal_confirmed_at = None;
    setup.store().save(&record).unwrap();
    let e = setup.publish_local().await.unwrap_err();
    assert!(
        matches!(refusal(&e), Refusal::NotRemoved { status, .. } if status == "present"),
        "{e:#}"
    );
    assert!(!setup.path("published").exists());

    let request = setup.request(
        setup.local_target(),
        Policy::default(),
        Overrides {
            force_public: Some("the owner asked us to host it".into()),
            ..Overrides::default()
        },
    );
    let p = publish::republish(&setup.store(), request, None)
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Published);
    let repo = Repository::open_bare(setup.published()).unwrap();
    let md = file_at(
        &repo,
        Oid::from_str(&p.notice_commit).unwrap(),
        "PROVENANCE.md",
    )
    .unwrap();
    assert!(md.contains("\"the owner asked us to host it\""), "{md}");

    // A legal block is never published, whatever is forced.
    record.status = Status::LegalBlock;
    setup.store().save(&record).unwrap();
    let request = setup.request(
        setup.local_target(),
        Policy::default(),
        Overrides {
            verdict: Some("x".into()),
            force_public: Some("y".into()),
            force: Some("z".into()),
        },
    );
    let e = publish::republish(&setup.store(), request, None)
        .await
        .unwrap_err();
    assert!(matches!(refusal(&e), Refusal::LegalBlock { .. }), "{e:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_holding_something_else_is_refused_unless_forced() {
    let setup = Setup::new(Some(MIT), 1);
    let other = RepoFixture::bare();
    let foreign = other.commit(
        "main",
        &TreeSpec::new().file("other.txt", "someone else's\n"),
    );
    std::fs::create_dir_all(setup.path("published")).unwrap();
    copy_dir(other.git_dir(), &setup.published());
    let e = setup.publish_local().await.unwrap_err();
    match refusal(&e) {
        Refusal::TargetDiffers { refs, .. } => {
            assert_eq!(refs.len(), 1, "{refs:?}");
            assert!(
                refs[0].contains(&format!("refs/heads/main is {foreign}")),
                "{refs:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        refs(&setup.published())["refs/heads/main"],
        foreign.to_string(),
        "untouched"
    );

    let request = setup.request(
        setup.local_target(),
        Policy::default(),
        Overrides {
            force: Some("a failed experiment left it there".into()),
            ..Overrides::default()
        },
    );
    let p = publish::republish(&setup.store(), request, None)
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Overwritten);
    assert_faithful(&setup, &setup.published(), &p);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_over_the_limit_are_listed_before_anything_is_pushed() {
    let setup = Setup::new(Some(MIT), 1);
    let target = TargetConfig {
        max_file_bytes: 1000,
        ..setup.local_target()
    };
    let request = setup.request(target, Policy::default(), Overrides::default());
    let e = publish::republish(&setup.store(), request, None)
        .await
        .unwrap_err();
    match refusal(&e) {
        Refusal::LargeFiles { files, limit, .. } => {
            assert_eq!(*limit, 1000);
            // The original's LICENSE (1083 bytes) is named with its commit; every file listed is over the limit.
            assert!(
                files
                    .iter()
                    .any(|f| f.starts_with("LICENSE (1083 bytes, in commit ")),
                "{files:?}"
            );
            for f in files {
                let bytes: u64 = f
                    .split(" (")
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(bytes > 1000, "{f}");
            }
            assert!(
                !files.iter().any(|f| f.starts_with("README.md")),
                "{files:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!setup.path("published").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_large_files_than_the_scan_keeps_are_all_listed_from_the_object_database() {
    let big: Vec<(String, String)> = (0..keepopen::safety::LARGEST_KEPT + 4)
        .map(|n| (format!("data/big{n}.txt"), "y".repeat(2000 + n)))
        .collect();
    let extra: Vec<(&str, String)> = big.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let setup = Setup::with_first_commit_files(Some(MIT), 2, &extra);
    let target = TargetConfig {
        max_file_bytes: 1500,
        ..setup.local_target()
    };
    let request = setup.request(target, Policy::default(), Overrides::default());
    let e = publish::republish(&setup.store(), request, None)
        .await
        .unwrap_err();
    let Refusal::LargeFiles { files, .. } = refusal(&e) else {
        panic!("{e:#}");
    };
    for (path, _) in &big {
        assert!(
            files.iter().any(|f| f.starts_with(&format!("{path} ("))),
            "{path}: {files:?}"
        );
    }
    // Besides them, only the notice files (over this small limit too), never a file under it.
    let others: Vec<&String> = files.iter().filter(|f| !f.starts_with("data/")).collect();
    assert!(
        others
            .iter()
            .all(|f| f.starts_with("PROVENANCE.md (") || f.starts_with("provenance.json (")),
        "{others:?}"
    );
    assert_eq!(files.len() - others.len(), big.len(), "{files:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_history_goes_in_chunks_and_an_interrupted_chunked_push_completes_on_rerun() {
    let setup = Setup::new(Some(MIT), 9);
    let chunked = TargetConfig {
        chunk_commits: 2,
        ..setup.local_target()
    };
    let request = setup.request(chunked.clone(), Policy::default(), Overrides::default());
    let p = publish::republish(&setup.store(), request, None)
        .await
        .unwrap();
    // 9 commits in steps of 2: intermediate pushes at 2, 4, 6, 8, then the final push.
    assert_eq!(p.pushes, 5);
    assert_faithful(&setup, &setup.published(), &p);

    // An interrupted run leaves main at an intermediate commit: the rerun completes it.
    let repo = Repository::open_bare(setup.published()).unwrap();
    let chain: Vec<Oid> = {
        let mut walk = repo.revwalk().unwrap();
        walk.push(setup.main).unwrap();
        walk.simplify_first_parent().unwrap();
        walk.map(Result::unwrap).collect()
    };
    let intermediate = chain[4];
    for name in [
        "refs/heads/feature",
        "refs/tags/v1",
        "refs/tags/keepopen/last-seen",
    ] {
        repo.find_reference(name).unwrap().delete().unwrap();
    }
    repo.reference(
        "refs/heads/main",
        intermediate,
        true,
        "simulate a killed run",
    )
    .unwrap();
    let request = setup.request(chunked, Policy::default(), Overrides::default());
    let p = publish::republish(&setup.store(), request, None)
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Completed);
    assert_faithful(&setup, &setup.published(), &p);
}

// ---------------------------------------------------------------------------------------------------------
// The GitHub target.

pub(crate) struct GitHubTarget {
    pub(crate) api: FakeGitHub,
    pub(crate) git: GitServer,
    _root: tempfile::TempDir,
    pub(crate) root: PathBuf,
}

impl GitHubTarget {
    pub(crate) async fn start(token: &str) -> GitHubTarget {
        let root_dir = tempfile::tempdir().unwrap();
        let root = root_dir.path().to_owned();
        let api = FakeGitHub::start().await;
        let git = GitServer::start_with(
            &root,
            GitServerOptions {
                token: Some(token.into()),
                allow_push: true,
            },
        )
        .await;
        api.accept_writes(&root, &git.url);
        GitHubTarget {
            api,
            git,
            _root: root_dir,
            root,
        }
    }

    pub(crate) fn config(&self) -> TargetConfig {
        TargetConfig {
            forge: ForgeKind::Github,
            organisation: Some(ORG.into()),
            api_url: self.api.url.clone(),
            write_interval: "0s".into(),
            ..TargetConfig::default()
        }
    }

    pub(crate) fn repo_dir(&self) -> PathBuf {
        self.root.join(ORG).join("nhsuk--frontend.git")
    }

    /// `METHOD path` of every API request, in order.
    fn calls(&self) -> Vec<String> {
        self.api
            .requests()
            .iter()
            .map(|r| format!("{} {} {}", r.method, r.path, r.status))
            .collect()
    }
}

pub(crate) fn static_token(token: &str) -> Option<Arc<dyn TokenSource>> {
    Some(Arc::new(StaticToken(Token::new(token))))
}

/// Captures every tracing event (TRACE and up) of the process.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init();
    tracing::trace!("log capture started");
    captured
}

/// Every file under `dir` that contains `needle`.
pub(crate) fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_target_is_created_with_actions_disabled_before_the_first_push_and_the_token_leaks_nowhere()
 {
    let logs = capture_logs();
    let setup = Setup::new(Some(MIT), 3);
    setup.add_wiki();
    let gh = GitHubTarget::start(TOKEN).await;
    gh.api.require_token(Some(TOKEN));
    let request = setup.request(gh.config(), Policy::default(), Overrides::default());
    let p = publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Published);
    assert!(p.created);
    assert_eq!(
        p.target_url,
        gh.git.url_for(&format!("{ORG}/nhsuk--frontend.git"))
    );
    assert_faithful(&setup, &gh.repo_dir(), &p);
    // GitHub has no wiki repository until a page is made on the web: the failure is recorded, not fatal.
    match &p.wiki {
        Some(publish::WikiPublication::Failed { target_url, error }) => {
            assert!(
                target_url.ends_with("/nhsuk--frontend.wiki.git"),
                "{target_url}"
            );
            assert!(!error.contains(TOKEN));
        }
        other => panic!("{other:?}"),
    }

    let calls = gh.calls();
    let repo_path = format!("/repos/{ORG}/nhsuk--frontend");
    assert_eq!(
        calls,
        vec![
            format!("GET {repo_path} 404"),
            format!("POST /orgs/{ORG}/repos 201"),
            format!("PUT {repo_path}/actions/permissions 204"),
            format!("PATCH {repo_path} 200"),
            format!("PUT {repo_path}/topics 200"),
            format!("PATCH {repo_path} 200"),
        ]
    );
    let requests = gh.api.requests();
    let create: serde_json::Value = serde_json::from_str(&requests[1].body).unwrap();
    assert_eq!(create["name"], "nhsuk--frontend");
    assert_eq!(create["homepage"], "https://github.com/nhsuk/frontend");
    assert_eq!(create["private"], false);
    assert_eq!(requests[2].body, r#"{"enabled":false}"#);
    let fake = gh.api.repo(&format!("{ORG}/nhsuk--frontend")).unwrap();
    assert!(!fake.actions_enabled);
    assert_eq!(
        fake.homepage.as_deref(),
        Some("https://github.com/nhsuk/frontend")
    );
    assert_eq!(fake.topics, vec!["keepopen", "republished"]);
    assert_eq!(fake.default_branch, "main");
    assert!(fake.description.unwrap().contains("nhsuk/frontend"));
    // Every push went with the token, by basic auth; the server saw pushes only after Actions were off.
    let git = gh.git.requests();
    assert!(gh.git.receive_packs() >= 1);
    assert!(git.iter().filter(|r| r.status != 401).all(|r| r.authorized));

    // The token is in no log line, no state file, no git config, nowhere in the target or the archive.
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("log capture started"), "capture works");
    assert!(!text.contains(TOKEN), "the token was logged");
    for dir in [setup.dir.path(), gh.root.as_path()] {
        assert_eq!(files_containing(dir, TOKEN), Vec::<PathBuf>::new());
    }
    let config = std::fs::read_to_string(gh.repo_dir().join("config")).unwrap();
    assert!(!config.contains("x-access-token") && !config.contains(TOKEN));

    // A rerun is a no-op: reads only, no push.
    let before = gh.git.receive_packs();
    gh.api.clear_requests();
    let request = setup.request(gh.config(), Policy::default(), Overrides::default());
    let again = publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap();
    assert_eq!(again.outcome, Outcome::AlreadyPublished);
    assert_eq!(gh.git.receive_packs(), before);
    assert!(
        gh.api.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        gh.calls()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_actions_cannot_be_disabled_nothing_is_pushed_and_the_rerun_completes() {
    let setup = Setup::new(Some(MIT), 2);
    let gh = GitHubTarget::start(TOKEN).await;
    gh.api.script(
        &format!("/repos/{ORG}/nhsuk--frontend/actions"),
        [Fault::Status(500)],
    );
    let request = setup.request(gh.config(), Policy::default(), Overrides::default());
    let e = publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap_err();
    assert!(format!("{e:#}").contains("cannot disable Actions"), "{e:#}");
    assert_eq!(
        gh.git.receive_packs(),
        0,
        "nothing pushed while Actions are on"
    );
    assert!(
        gh.api
            .repo(&format!("{ORG}/nhsuk--frontend"))
            .unwrap()
            .actions_enabled
    );
    assert!(
        refs(&gh.repo_dir()).is_empty(),
        "created, empty: as if killed before the push"
    );

    let request = setup.request(gh.config(), Policy::default(), Overrides::default());
    let p = publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Published);
    assert!(!p.created, "the existing repository is reused");
    assert!(
        !gh.api
            .repo(&format!("{ORG}/nhsuk--frontend"))
            .unwrap()
            .actions_enabled
    );
    assert_faithful(&setup, &gh.repo_dir(), &p);
    assert_eq!(
        gh.api
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        1,
        "created once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_killed_between_chunks_completes_on_rerun() {
    let setup = Setup::new(Some(MIT), 8);
    let gh = GitHubTarget::start(TOKEN).await;
    let config = TargetConfig {
        chunk_commits: 2,
        ..gh.config()
    };
    // The token is revoked after a few uses: the run dies part-way through the chunks.
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let revoking: Arc<dyn TokenSource> = Arc::new(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        Ok(Token::new(if n < 4 { TOKEN } else { "revoked" }))
    });
    let request = setup.request(config.clone(), Policy::default(), Overrides::default());
    let e = publish::republish(&setup.store(), request, Some(revoking))
        .await
        .unwrap_err();
    assert!(format!("{e:#}").contains("chunk"), "{e:#}");
    let partial = refs(&gh.repo_dir());
    let main = partial
        .get("refs/heads/main")
        .expect("some chunks were pushed");
    assert_ne!(*main, setup.main.to_string(), "stopped part-way");
    assert!(
        setup
            .store()
            .load(ID)
            .unwrap()
            .unwrap()
            .publications
            .is_empty()
    );

    let request = setup.request(config, Policy::default(), Overrides::default());
    let p = publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Completed);
    assert_faithful(&setup, &gh.repo_dir(), &p);
    assert_eq!(
        setup.store().load(ID).unwrap().unwrap().publications.len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed_mid_run_through_the_token_source() {
    let setup = Setup::new(Some(MIT), 3);
    // The git server accepts only the fresh token; the source hands out the expired one until asked again.
    let gh = GitHubTarget::start("ghs_fresh").await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let renewing: Arc<dyn TokenSource> = Arc::new(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        Ok(Token::new(if n < 2 { "ghs_expired" } else { "ghs_fresh" }))
    });
    let config = TargetConfig {
        chunk_commits: 1,
        ..gh.config()
    };
    let request = setup.request(config, Policy::default(), Overrides::default());
    let p = publish::republish(&setup.store(), request, Some(renewing))
        .await
        .unwrap();
    assert_faithful(&setup, &gh.repo_dir(), &p);
    assert!(calls.load(Ordering::SeqCst) > 3, "asked before each push");
    let git = gh.git.requests();
    assert!(
        git.iter().any(|r| r.status == 401),
        "the expired token was refused"
    );
    assert!(
        git.iter()
            .any(|r| r.authorized && r.path.ends_with("git-receive-pack"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_github_name_already_used_for_another_original_is_refused() {
    let setup = Setup::new(Some(MIT), 1);
    let gh = GitHubTarget::start(TOKEN).await;
    // Someone else's republication already has the name.
    let mut other = crate::support::github_api::FakeRepo::new(
        1,
        ORG,
        "nhsuk--frontend",
        &gh.git.url_for(&format!("{ORG}/nhsuk--frontend.git")),
    );
    other.homepage = Some("https://github.com/nhsuk-old/frontend".into());
    gh.api.add_repo(other);
    let request = setup.request(gh.config(), Policy::default(), Overrides::default());
    let e = publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap_err();
    assert!(
        matches!(refusal(&e), Refusal::NameCollision { other, .. } if other.contains("nhsuk-old")),
        "{e:#}"
    );
    assert!(gh.api.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn dry_run_prints_target_refs_and_notice_and_writes_nothing() {
    let setup = Setup::new(Some(MIT), 2);
    let policy = setup.path("policy.yaml");
    std::fs::write(
        &policy,
        format!(
            "version: 1\ntarget:\n  path: {}\n",
            setup.path("published").display()
        ),
    )
    .unwrap();
    let before = files_snapshot(setup.dir.path());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["republish", "nhsuk/frontend", "--dry-run"])
        .arg("--policy")
        .arg(&policy)
        .arg("--state")
        .arg(setup.path("state"))
        .arg("--archive")
        .arg(setup.path("archive"))
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("nhsuk--frontend.git (local)"), "{stdout}");
    assert!(
        stdout.contains(&format!("refs/tags/keepopen/last-seen {}", setup.main)),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("refs/tags/v1 {}", setup.tag)),
        "{stdout}"
    );
    assert!(
        stdout.contains("# Provenance of this repository"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("swh:1:rev:{}", setup.main)),
        "{stdout}"
    );
    assert!(!setup.path("published").exists());
    assert_eq!(files_snapshot(setup.dir.path()), before, "nothing written");

    // A refusal exits 2 with the reasons.
    let mut record = setup.record.clone();
    record.status = Status::Present;
    setup.store().save(&record).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["republish", "nhsuk/frontend"])
        .arg("--policy")
        .arg(&policy)
        .arg("--state")
        .arg(setup.path("state"))
        .arg("--archive")
        .arg(setup.path("archive"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refused: nhsuk/frontend is not confirmed removed"),
        "{stderr}"
    );
    assert!(!setup.path("published").exists());
}

/// Every file under `dir` with its size and modification time.
fn files_snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(path, (meta.len(), meta.modified().unwrap()));
            }
        }
    }
    out
}

/// A made-up PEM private key block, assembled at run time so that this file holds none.
fn leaked_private_key() -> String {
    let body = "MIIEpAIBAAKCAQEAu3vXk9QzL2pR7sWm4YtN8cHj5bFa1eGd6iKo0lPq3rSx9TyUv\n\
                Zw2Ab4Cd6Ef8Gh0Ij2Kl4Mn6Op8Qr0St2Uv4Wx6Yz8Ab0Cd2Ef4Gh6Ij8Kl0Mn2Op4\n";
    format!(
        "-----BEGIN RSA {}-----\n{body}{body}-----END RSA {}-----\n",
        "PRIVATE KEY", "PRIVATE KEY"
    )
}

/// The part of the key that must never be printed.
const KEY_BODY: &str = "MIIEpAIBAAKCAQEAu3vXk9QzL2pR7sWm";

fn policy_with_overrides(overrides: &[(&str, &str)]) -> Policy {
    let mut text = String::from("version: 1\n");
    if !overrides.is_empty() {
        text.push_str("safety:\n  overrides:\n");
        for (repo, fingerprint) in overrides {
            text.push_str(&format!(
                "    - repo: {repo}\n      fingerprint: \"{fingerprint}\"\n      reason: \"the key was revoked in 2021\"\n"
            ));
        }
    }
    Policy::from_str(&text, "policy.yaml").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_key_in_an_old_commit_refuses_the_republication_and_the_target_is_untouched() {
    let setup =
        Setup::with_first_commit_files(Some(MIT), 3, &[("deploy/key.txt", leaked_private_key())]);
    let mirror = Repository::open_bare(setup.mirror()).unwrap();
    let mut oldest = mirror.find_commit(setup.main).unwrap();
    while let Ok(parent) = oldest.parent(0) {
        oldest = parent;
    }

    // The dry run is refused too: what a person previews is what would happen.
    let dry = publish::prepare(
        &setup.store(),
        &setup.request(
            setup.local_target(),
            Policy::default(),
            Overrides::default(),
        ),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refusal(&dry), Refusal::SensitiveContent { .. }),
        "{dry:#}"
    );

    // A verdict override is not a safety override.
    let request = setup.request(
        setup.local_target(),
        Policy::default(),
        Overrides {
            verdict: Some("publish anyway".into()),
            force: Some("overwrite".into()),
            ..Overrides::default()
        },
    );
    let e = publish::republish(&setup.store(), request, None)
        .await
        .unwrap_err();
    let Refusal::SensitiveContent {
        repo,
        reasons,
        fingerprints,
    } = refusal(&e)
    else {
        panic!("{e:#}");
    };
    assert_eq!(repo, "nhsuk/frontend");
    assert_eq!(fingerprints.len(), 1, "{reasons:?}");
    let short = &oldest.id().to_string()[..12];
    let line = &reasons[0];
    for needle in [
        "deploy/key.txt",
        "private-key",
        short,
        fingerprints[0].as_str(),
    ] {
        assert!(line.contains(needle), "{needle} missing from {line}");
    }
    let rendered = format!("{e:#} {e:?} {:?}", refusal(&e));
    eprintln!("refused: {e}");
    assert!(
        !rendered.contains(KEY_BODY),
        "the secret was printed: {rendered}"
    );
    assert!(rendered.contains("safety.overrides"), "{rendered}");
    assert!(!setup.path("published").exists(), "nothing was created");
    let record = setup.store().load(ID).unwrap().unwrap();
    assert!(record.publications.is_empty());

    // An override for another repository waives nothing.
    let other = policy_with_overrides(&[("nhsuk/other", &fingerprints[0])]);
    let e = publish::republish(
        &setup.store(),
        setup.request(setup.local_target(), other, Overrides::default()),
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(refusal(&e), Refusal::SensitiveContent { .. }));
    assert!(!setup.path("published").exists());

    // The maintainer records the override: it publishes, history unchanged (the key is still in it).
    let policy = policy_with_overrides(&[("nhsuk/frontend", &fingerprints[0])]);
    let p = publish::republish(
        &setup.store(),
        setup.request(setup.local_target(), policy, Overrides::default()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(p.outcome, Outcome::Published);
    let published = Repository::open_bare(setup.published()).unwrap();
    assert!(published.find_commit(oldest.id()).is_ok());
}

/// The files of the scan cache in `setup`'s state.
fn cached_scans(setup: &Setup) -> Vec<PathBuf> {
    let dir = setup.path("state/cache/scan");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_safety_gate_takes_the_scan_propose_cached_for_the_same_tips_and_rescans_when_a_tip_moves()
 {
    let setup =
        Setup::with_first_commit_files(Some(MIT), 3, &[("deploy/key.txt", leaked_private_key())]);
    let safety = keepopen::safety::SafetyConfig::default();
    // What `propose` does: the republication verdict, its scan kept in state.
    let evaluation = keepopen::check::evaluate(
        &setup.mirror(),
        "nhsuk/frontend",
        &keepopen::license::detect::Detector::embedded(),
        &Policy::default(),
        &safety,
        Some(&keepopen::check::ScanCache::in_state(&setup.path("state"))),
    )
    .unwrap();
    assert_eq!(
        evaluation.safety.findings.len(),
        1,
        "{:?}",
        evaluation.safety
    );
    let files = cached_scans(&setup);
    assert_eq!(files.len(), 1, "{files:?}");

    // The gate reads that entry (same tips, rules and settings): stand in a report without the finding for
    // it, and the gate, reading no history, lets the repository through. The cache is state, trusted as the
    // records beside it are.
    let mut cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    cached["findings"] = serde_json::json!([]);
    std::fs::write(&files[0], serde_json::to_vec(&cached).unwrap()).unwrap();
    let publication = setup.publish_local().await.unwrap();
    assert_eq!(publication.outcome, Outcome::Published);
    assert_eq!(cached_scans(&setup), files, "no second scan was stored");

    // A moved tip is another key: the gate scans again and finds the key in the first commit.
    {
        let mirror = Repository::open_bare(setup.mirror()).unwrap();
        let parent = mirror.find_commit(setup.feature).unwrap();
        let blob = mirror.blob(b"feature, again\n").unwrap();
        let mut tree = mirror.treebuilder(None).unwrap();
        tree.insert("x.txt", blob, 0o100644).unwrap();
        let tree = mirror.find_tree(tree.write().unwrap()).unwrap();
        let signature = crate::fixture::signature();
        mirror
            .commit(
                Some("refs/heads/feature"),
                &signature,
                &signature,
                "feature, again",
                &tree,
                &[&parent],
            )
            .unwrap();
    }
    let e = setup.publish_local().await.unwrap_err();
    assert!(
        matches!(refusal(&e), Refusal::SensitiveContent { .. }),
        "{e:#}"
    );
    assert_eq!(cached_scans(&setup).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_only_in_a_pull_request_ref_does_not_block_since_it_is_never_pushed() {
    let setup = Setup::new(Some(MIT), 1);
    let mirror = Repository::open_bare(setup.mirror()).unwrap();
    let blob = mirror.blob(leaked_private_key().as_bytes()).unwrap();
    let mut tree = mirror.treebuilder(None).unwrap();
    tree.insert("key.txt", blob, 0o100644).unwrap();
    let tree = mirror.find_tree(tree.write().unwrap()).unwrap();
    let signature = crate::fixture::signature();
    let commit = mirror
        .commit(None, &signature, &signature, "scratch", &tree, &[])
        .unwrap();
    mirror
        .reference("refs/pull/2/head", commit, true, "test")
        .unwrap();
    let p = setup.publish_local().await.unwrap();
    assert_eq!(p.outcome, Outcome::Published);
    let published = Repository::open_bare(setup.published()).unwrap();
    assert!(
        published.find_commit(commit).is_err(),
        "the pull ref's commit was not pushed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dot_env_in_the_archived_wiki_refuses_the_republication() {
    let setup = Setup::new(Some(MIT), 1);
    setup.add_wiki();
    let wiki = Repository::open_bare(setup.path("archive/4242-frontend.wiki.git")).unwrap();
    let blob = wiki
        .blob(b"DATABASE_URL=postgres://admin:hunter22secret@db.internal/patients\n")
        .unwrap();
    let head = wiki
        .find_reference("refs/heads/master")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    let mut tree = wiki.treebuilder(Some(&head.tree().unwrap())).unwrap();
    tree.insert(".env", blob, 0o100644).unwrap();
    let tree = wiki.find_tree(tree.write().unwrap()).unwrap();
    let signature = crate::fixture::signature();
    wiki.commit(
        Some("refs/heads/master"),
        &signature,
        &signature,
        "env",
        &tree,
        &[&head],
    )
    .unwrap();
    let e = setup.publish_local().await.unwrap_err();
    let Refusal::SensitiveContent { reasons, .. } = refusal(&e) else {
        panic!("{e:#}");
    };
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("wiki: ") && r.contains(".env")),
        "{reasons:?}"
    );
    assert!(!e.to_string().contains("hunter22secret"), "{e}");
    assert!(!setup.path("published").exists());
}

/// Mark the record restored, as the monitor does when the original answers again.
fn mark_restored(setup: &Setup) -> RepoRecord {
    let mut record = setup.store().load(ID).unwrap().unwrap();
    record.status = Status::Restored;
    setup.store().save(&record).unwrap();
    record
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_original_gets_the_local_copy_description_pointing_back_once() {
    use keepopen::publish::restore::{self, Step};
    let setup = Setup::new(Some(MIT), 1);
    setup.publish_local().await.unwrap();
    let description = setup.published().join("description");
    let before = std::fs::read_to_string(&description).unwrap();
    assert!(before.contains("removed from GitHub"), "{before}");
    let target = setup.local_target();

    // Still removed: nothing changes.
    let updates = restore::update_restored(&setup.store(), &target, None)
        .await
        .unwrap();
    assert!(updates.is_empty(), "{updates:?}");
    assert_eq!(std::fs::read_to_string(&description).unwrap(), before);

    let record = mark_restored(&setup);
    let updates = restore::update_restored(&setup.store(), &target, None)
        .await
        .unwrap();
    let wanted = restore::restored_description(&target, &record);
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0].error, None);
    assert_eq!(updates[0].steps, vec![Step::Describe(wanted.clone())]);
    let after = std::fs::read_to_string(&description).unwrap();
    assert_eq!(after.trim_end(), wanted);
    assert!(
        after.contains("https://github.com/nhsuk/frontend"),
        "{after}"
    );
    // The refs are untouched.
    assert_eq!(
        refs(&setup.published())["refs/heads/main"],
        record.publications[0].pushed["refs/heads/main"]
    );

    // The next scan finds it done and writes nothing.
    let modified = std::fs::metadata(&description).unwrap().modified().unwrap();
    let again = restore::update_restored(&setup.store(), &target, None)
        .await
        .unwrap();
    assert!(again[0].steps.is_empty(), "{again:?}");
    assert_eq!(
        std::fs::metadata(&description).unwrap().modified().unwrap(),
        modified
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_original_gets_the_github_copy_described_and_archived_once() {
    use keepopen::publish::restore::{self, Step};
    let setup = Setup::new(Some(MIT), 1);
    let gh = GitHubTarget::start(TOKEN).await;
    let target = TargetConfig {
        archive_when_restored: true,
        ..gh.config()
    };
    let request = setup.request(target.clone(), Policy::default(), Overrides::default());
    publish::republish(&setup.store(), request, static_token(TOKEN))
        .await
        .unwrap();
    let full = format!("{ORG}/nhsuk--frontend");
    assert!(!gh.api.repo(&full).unwrap().archived);

    let record = mark_restored(&setup);
    gh.api.clear_requests();
    let updates = restore::update_restored(&setup.store(), &target, static_token(TOKEN))
        .await
        .unwrap();
    let wanted = restore::restored_description(&target, &record);
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].error, None, "{updates:?}");
    assert_eq!(updates[0].target, full);
    assert_eq!(
        updates[0].steps,
        vec![Step::Describe(wanted.clone()), Step::Archive]
    );
    let copy = gh.api.repo(&full).unwrap();
    assert_eq!(copy.description.as_deref(), Some(wanted.as_str()));
    assert!(copy.archived);
    let patches = gh
        .api
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .count();
    assert_eq!(patches, 2);

    // Done: one read, no write.
    gh.api.clear_requests();
    let again = restore::update_restored(&setup.store(), &target, static_token(TOKEN))
        .await
        .unwrap();
    assert!(again[0].steps.is_empty(), "{again:?}");
    assert!(
        gh.api.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        gh.calls()
    );

    // A failing API is reported per copy, not fatal.
    gh.api.script(
        "/repos/",
        [
            Fault::Status(500),
            Fault::Status(500),
            Fault::Status(500),
            Fault::Status(500),
            Fault::Status(500),
            Fault::Status(500),
        ],
    );
    let mut record = setup.store().load(ID).unwrap().unwrap();
    record.html_url = "https://github.com/nhsuk/frontend-moved".into();
    setup.store().save(&record).unwrap();
    let failed = restore::update_restored(&setup.store(), &target, static_token(TOKEN))
        .await
        .unwrap();
    assert!(failed[0].error.is_some(), "{failed:?}");
    assert!(!failed[0].error.as_deref().unwrap().contains(TOKEN));
}

#[test]
fn keepopen_monitor_points_the_local_copy_back_when_the_original_returns() {
    use crate::support::github_api::{FakeRepo, Visibility};
    let w = crate::secrets::World::start();
    let upstream = crate::support::git_fixture::init_bare(&w.path("git/nhsback/app.git"));
    crate::support::git_fixture::commit(
        &upstream,
        "main",
        &[("README.md", "# app\n"), ("LICENSE", MIT)],
        true,
        "first",
    );
    w.api.add_repo(FakeRepo::new(
        77,
        "nhsback",
        "app",
        &w.git.url_for("nhsback/app.git"),
    ));
    std::fs::write(
        w.path("policy.yaml"),
        format!(
            "{}\nsources:\n  orgs: [nhsback]\nremoval:\n  confirmations: 2\n  min-gap: 0s\n\
             github:\n  api-url: '{}'\n  timeout: 10s\n  attempts: 3\n  backoff: 10ms\n  max-backoff: 50ms\n\
             target:\n  forge: local\n  path: '{}'\n",
            crate::policy::licence_rules(),
            w.api.url,
            w.path("published").display()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = w.keepopen(args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(0), "keepopen {args:?}: {text}");
        text
    };
    run(&["monitor"]);
    w.api.update(77, |r| r.visibility = Visibility::Gone);
    run(&["monitor"]);
    run(&["monitor"]);
    run(&["republish", "nhsback/app"]);
    let description = w.path("published/nhsback--app.git/description");
    let before = std::fs::read_to_string(&description).unwrap();
    assert!(before.contains("removed from GitHub"), "{before}");

    // The original is back: the next scan marks it restored and the copy says where the original is.
    w.api.update(77, |r| r.visibility = Visibility::Public);
    let text = run(&["monitor"]);
    assert!(text.contains("now points back"), "{text}");
    let after = std::fs::read_to_string(&description).unwrap();
    assert!(after.contains("is public again"), "{after}");
    assert!(after.contains("https://github.com/nhsback/app"), "{after}");
    let record = Store::open(w.path("state"))
        .unwrap()
        .load(77)
        .unwrap()
        .unwrap();
    assert_eq!(record.status, Status::Restored);

    // A further scan changes nothing.
    let text = run(&["monitor"]);
    assert!(!text.contains("now points back"), "{text}");
    assert_eq!(std::fs::read_to_string(&description).unwrap(), after);
}
