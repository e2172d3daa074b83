//! The approval flow end to end on loopback: the monitor sees a repository disappear, `propose` opens one pull
//! request in the control repository (and updates it, never duplicates it), a maintainer approves, the merge
//! brings the record to the base branch, and `apply` publishes — once. Refusals: approval only by the author, by
//! a non-maintainer, a pull request not merged, a record edited after approval. The local control forge runs the
//! same flow offline. Each test's API requests stay in `FakeGitHub::requests()` for the contract test.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use keepopen::approval::{ApprovalConfig, ReviewState};
use keepopen::archive::Archive;
use keepopen::control::flow::{self, ApplyLine, ApplyOutcome, Flow, ProposeOutcome, Proposed};
use keepopen::control::github::GithubControl;
use keepopen::control::local::LocalControl;
use keepopen::github::{Client, ClientConfig, RetryPolicy, Token};
use keepopen::monitor::{Monitor, Quiet, Shard};
use keepopen::policy::ForgeKind;
use keepopen::policy::Policy;
use keepopen::publish::{StaticToken, TargetConfig, TokenSource};
use keepopen::record::{DecisionRecord, RecordStatus};
use keepopen::safety::SafetyConfig;
use keepopen::state::{Status, Store};

use crate::support::git_fixture;
use crate::support::git_http::{GitServer, GitServerOptions};
use crate::support::github_api::{FakeGitHub, FakeRepo, Visibility};

const MIT: &str = include_str!("../corpus/001-govuk-design-system-mit.txt");
const TOKEN: &str = "ghs_flowTOKEN0123456789abcdef";
const CONTROL: &str = "nhs-community/control";
const ORG: &str = "nhs-community";
const BOT: &str = "keepopen-bot";
const RECORD: &str = "republications/nhsuk/frontend.yaml";
const BRANCH: &str = "keepopen/nhsuk/frontend";

pub(crate) struct World {
    pub(crate) api: FakeGitHub,
    pub(crate) git: GitServer,
    dir: tempfile::TempDir,
}

impl World {
    /// The API server, a git server for the originals and the targets, `nhsuk/frontend` (MIT),
    /// `nhsuk/unlicensed` (no licence) and `nhsuk/configured` (MIT, with a `.env` file), all public; the control repository with team `maintainers`.
    pub(crate) async fn start() -> World {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("git");
        std::fs::create_dir_all(&root).unwrap();
        let api = FakeGitHub::start().await;
        let git = GitServer::start_with(
            &root,
            GitServerOptions {
                token: None,
                allow_push: true,
            },
        )
        .await;
        api.accept_writes(&root, &git.url);
        api.add_control_repo(CONTROL, BOT);
        let world = World { api, git, dir };
        world.source(4242, "frontend", Some(MIT), &[]);
        world.source(4243, "unlicensed", None, &[]);
        world.source(
            4244,
            "configured",
            Some(MIT),
            &[(
                ".env",
                "DATABASE_URL=postgres://app:q8Xv2Lm9TzR4kW7p@db/app\n",
            )],
        );
        std::fs::create_dir_all(world.checkout()).unwrap();
        world
    }

    pub(crate) fn source(
        &self,
        id: u64,
        name: &str,
        license: Option<&str>,
        extra: &[(&str, &str)],
    ) {
        let repo = git_fixture::init_bare(&self.path(&format!("git/nhsuk/{name}.git")));
        let mut files = vec![("README.md", "# a service\n")];
        if let Some(text) = license {
            files.push(("LICENSE", text));
        }
        files.extend_from_slice(extra);
        git_fixture::commit(&repo, "main", &files, true, "first");
        self.api.add_repo(FakeRepo::new(
            id,
            "nhsuk",
            name,
            &self.git.url_for(&format!("nhsuk/{name}.git")),
        ));
    }

    pub(crate) fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    pub(crate) fn checkout(&self) -> PathBuf {
        self.path("control")
    }

    pub(crate) fn store(&self) -> Store {
        Store::open(self.path("state")).unwrap()
    }

    pub(crate) async fn scan(&self) {
        let yaml = format!(
            "sources: {{orgs: [nhsuk]}}\n\
             removal: {{confirmations: 2, min-gap: 0s}}\n\
             github: {{api-url: '{}', timeout: 2s, attempts: 2, backoff: 5ms, max-backoff: 20ms, secondary-wait: 20ms, max-rate-limit-wait: 1s}}\n",
            self.api.url
        );
        let config =
            keepopen::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")
                .unwrap()
                .monitor;
        let monitor = Monitor::new(
            config,
            self.store(),
            Archive::open(self.path("archive"), 2).unwrap(),
            None,
            Shard::default(),
            2,
        )
        .unwrap();
        monitor.scan(Utc::now(), Arc::new(Quiet)).await.unwrap();
    }

    /// Mirror both repositories, then make both disappear and confirm it with two more scans.
    pub(crate) async fn removed(&self) {
        self.scan().await;
        for id in [4242, 4243, 4244] {
            self.api.update(id, |r| r.visibility = Visibility::Gone);
        }
        self.scan().await;
        assert_eq!(
            self.store().load(4242).unwrap().unwrap().status,
            Status::Suspected
        );
        self.scan().await;
        for id in [4242, 4243, 4244] {
            assert_eq!(
                self.store().load(id).unwrap().unwrap().status,
                Status::Removed,
                "{id}"
            );
        }
    }

    pub(crate) fn approval(&self, yaml: &str) -> ApprovalConfig {
        keepopen::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")
            .unwrap()
            .approval
            .unwrap()
    }

    pub(crate) fn github_flow(&self) -> Flow {
        let approval = self.approval(&format!(
            "approval: {{forge: github, repository: {CONTROL}, api-url: '{}', team: {ORG}/maintainers}}\n",
            self.api.url
        ));
        Flow {
            policy: Arc::new(Policy::default()),
            approval,
            target: TargetConfig {
                forge: ForgeKind::Github,
                organisation: Some(ORG.into()),
                api_url: self.api.url.clone(),
                write_interval: "0s".into(),
                ..TargetConfig::default()
            },
            safety: SafetyConfig::default(),
            store: self.store(),
            archive: self.path("archive"),
            checkout: self.checkout(),
            control_name: CONTROL.into(),
        }
    }

    pub(crate) fn control(&self) -> GithubControl {
        let flow = self.github_flow();
        let client = Client::new(ClientConfig {
            api_url: self.api.url.clone(),
            token: Some(Token::new(TOKEN)),
            timeout: std::time::Duration::from_secs(5),
            retry: RetryPolicy::default(),
        })
        .unwrap();
        GithubControl::new(&flow.approval, client).unwrap()
    }

    fn tokens() -> Option<Arc<dyn TokenSource>> {
        Some(Arc::new(StaticToken(Token::new(TOKEN))))
    }

    /// `keepopen apply` as `apply.yml` runs it: then the updated records are committed and pushed to main.
    pub(crate) async fn apply(&self) -> Vec<ApplyLine> {
        let lines = flow::apply(
            &self.github_flow(),
            &self.control(),
            World::tokens(),
            Utc::now(),
        )
        .await
        .unwrap();
        self.push_records();
        lines
    }

    /// What `git pull` of the base branch brings into the checkout: its records as they are on main.
    pub(crate) fn pull_main(&self) {
        let dir = self.checkout().join("republications");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        for (path, text) in self.api.control_files("main") {
            if path.starts_with("republications/") {
                let path = self.checkout().join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        }
    }

    /// What `scripts/commit-records` does after `apply`: the checkout's records that differ from main, pushed.
    fn push_records(&self) {
        let main = self.api.control_files("main");
        for file in keepopen::record::list(&self.checkout().join("republications")).unwrap() {
            let path = file
                .strip_prefix(self.checkout())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).unwrap();
            if main.get(&path) != Some(&text) {
                self.api.push_control_file("main", &path, Some(&text));
            }
        }
    }

    /// Confirmed removals, proposed once.
    pub(crate) async fn proposed() -> World {
        let world = World::start().await;
        world.removed().await;
        let lines = flow::propose(&world.github_flow(), &world.control())
            .await
            .unwrap();
        assert!(
            lines.iter().any(|l| l.repo == "nhsuk/frontend"
                && matches!(
                    l.outcome,
                    ProposeOutcome::Proposed(Proposed::Opened { number: 1, .. })
                )),
            "{lines:?}"
        );
        world
    }

    /// The original comes back with its licence file changed (a new commit on `main`), is mirrored again, and
    /// is removed again: the same repository, new evidence.
    async fn relicensed_and_removed_again(&self, id: u64, name: &str) {
        let origin =
            git2::Repository::open_bare(self.path(&format!("git/nhsuk/{name}.git"))).unwrap();
        let license = MIT.replace(
            "Copyright (c) 2017 Government Digital Service",
            "Copyright (c) 2017-2026 Government Digital Service",
        );
        git_fixture::commit(
            &origin,
            "main",
            &[("README.md", "# a service\n"), ("LICENSE", &license)],
            true,
            "relicensed",
        );
        self.api.update(id, |r| {
            r.visibility = Visibility::Public;
            r.pushed_at = "2026-01-01T00:00:00Z".into();
        });
        self.scan().await;
        assert_eq!(
            self.store().load(id).unwrap().unwrap().status,
            Status::Restored
        );
        self.api.update(id, |r| r.visibility = Visibility::Gone);
        self.scan().await;
        self.scan().await;
        assert_eq!(
            self.store().load(id).unwrap().unwrap().status,
            Status::Removed
        );
    }

    /// A flow on the local control forge under `forge`, publishing under `published`.
    pub(crate) fn local_flow(&self) -> (Flow, LocalControl) {
        let forge = self.path("forge");
        let flow = Flow {
            approval: self.approval(&format!(
                "approval: {{forge: local, path: '{}', maintainers: [alice]}}\n",
                forge.display()
            )),
            target: TargetConfig {
                path: self.path("published").display().to_string(),
                ..TargetConfig::default()
            },
            control_name: "the local control forge".into(),
            ..self.github_flow()
        };
        (flow, LocalControl::new(&forge, &["alice".to_owned()]))
    }

    fn target_dir(&self) -> PathBuf {
        self.path(&format!("git/{ORG}/nhsuk--frontend.git"))
    }

    pub(crate) fn nothing_published(&self) {
        assert!(self.api.repo(&format!("{ORG}/nhsuk--frontend")).is_none());
        assert!(!self.target_dir().exists());
        let record = DecisionRecord::load(&self.checkout().join(RECORD)).unwrap();
        assert_eq!(record.status, RecordStatus::Proposed);
        assert!(record.publication.is_none());
    }
}

/// Every API request of a whole GitHub flow (propose twice, a decline and its reopening, a merge on a
/// non-maintainer's approval that apply comments on and then waits for, a maintainer's approval, apply until
/// published and once more), for the contract test that replays them against GitHub's OpenAPI description.
pub(crate) async fn github_flow_requests() -> Vec<crate::support::github_api::Recorded> {
    let world = World::proposed().await;
    flow::propose(&world.github_flow(), &world.control())
        .await
        .unwrap();
    // What the record says changes: the record is rewritten and the body brought up to date.
    let mut changed = world.github_flow();
    changed.target.takedown = "write to takedown@example.org".into();
    flow::propose(&changed, &world.control()).await.unwrap();
    // Declined, then taken back: propose reads the closed pull request's record at its head.
    world.api.close_pull(1);
    let declined = flow::propose(&world.github_flow(), &world.control())
        .await
        .unwrap();
    assert!(
        declined
            .iter()
            .any(|l| matches!(l.outcome, ProposeOutcome::Declined { number: 1, .. })),
        "{declined:?}"
    );
    world.api.reopen_pull(1);
    // Merged on a non-maintainer's approval: apply comments once, then waits, then a maintainer approves.
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "mallory", "APPROVED");
    world.api.merge_pull(1);
    world.pull_main();
    refused(&world.apply().await);
    assert!(matches!(
        &world.apply().await[..],
        [ApplyLine {
            outcome: ApplyOutcome::Waiting { .. },
            ..
        }]
    ));
    world.api.add_review(1, "alice", "APPROVED");
    let applied = world.apply().await;
    assert!(
        matches!(
            &applied[..],
            [ApplyLine {
                outcome: ApplyOutcome::Published { .. },
                ..
            }]
        ),
        "{applied:?}"
    );
    assert!(world.apply().await.is_empty());
    world.api.requests()
}

pub(crate) fn refused(lines: &[ApplyLine]) -> String {
    assert_eq!(lines.len(), 1, "{lines:?}");
    match &lines[0].outcome {
        ApplyOutcome::Refused { reason } => reason.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The file at `path` in the tree of `branch` of the bare repository `repo`.
fn file_on(repo: &Path, branch: &str, path: &str) -> Option<String> {
    let repo = git2::Repository::open_bare(repo).ok()?;
    let commit = repo
        .find_reference(&format!("refs/heads/{branch}"))
        .ok()?
        .peel_to_commit()
        .ok()?;
    let entry = commit.tree().ok()?.get_path(Path::new(path)).ok()?;
    let blob = repo.find_blob(entry.id()).ok()?;
    Some(String::from_utf8_lossy(blob.content()).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_repository_is_proposed_once_approved_by_a_maintainer_published_and_applied_only_once()
 {
    let world = World::start().await;
    world.removed().await;
    let flow = world.github_flow();
    let control = world.control();

    // propose: one pull request for the MIT repository; the unlicensed one is listed as forbidden.
    let lines = flow::propose(&flow, &control).await.unwrap();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let frontend = lines.iter().find(|l| l.repo == "nhsuk/frontend").unwrap();
    assert_eq!(
        frontend.verdict,
        Some(keepopen::record::VerdictKind::Allowed)
    );
    assert!(
        matches!(
            frontend.outcome,
            ProposeOutcome::Proposed(Proposed::Opened { number: 1, .. })
        ),
        "{frontend:?}"
    );
    let unlicensed = lines.iter().find(|l| l.repo == "nhsuk/unlicensed").unwrap();
    match &unlicensed.outcome {
        ProposeOutcome::Forbidden { reasons } => assert!(!reasons.is_empty()),
        other => panic!("the unlicensed repository: {other:?}"),
    }
    // The safety gate turns the repository with a `.env` file into NeedsReview: its own label and a warning.
    let configured = lines.iter().find(|l| l.repo == "nhsuk/configured").unwrap();
    assert_eq!(
        configured.verdict,
        Some(keepopen::record::VerdictKind::NeedsReview)
    );
    assert!(
        matches!(
            configured.outcome,
            ProposeOutcome::Proposed(Proposed::Opened { number: 2, .. })
        ),
        "{configured:?}"
    );
    let annotations = keepopen::cli::summary::propose_annotations(&lines);
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::warning") && a.contains("nhsuk/configured")),
        "{annotations:?}"
    );
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::warning") && a.contains("nhsuk/unlicensed")),
        "{annotations:?}"
    );
    let pulls = world.api.pulls();
    assert_eq!(pulls.len(), 2, "no pull request for a forbidden repository");
    assert_eq!(pulls[1].labels, ["republish:needs-review"]);
    for needle in ["[!WARNING]", "dotenv-file", "`.env`", "safety.overrides"] {
        assert!(
            pulls[1].body.contains(needle),
            "missing {needle:?} in:\n{}",
            pulls[1].body
        );
    }
    let pull = &pulls[0];
    assert_eq!((pull.head.as_str(), pull.base.as_str()), (BRANCH, "main"));
    assert_eq!(pull.labels, ["republish:allowed"]);
    assert!(pull.title.contains("nhsuk/frontend"), "{}", pull.title);
    for needle in [
        "**Verdict: allowed**",
        "| MIT | `LICENSE` |",
        "Matched text of <code>LICENSE</code>",
        "## Copyright holders",
        "## Conditions",
        "## Safety scan\n\nNothing found",
        "## The notice to be added",
        "PROVENANCE",
    ] {
        assert!(
            pull.body.contains(needle),
            "missing {needle:?} in:\n{}",
            pull.body
        );
    }
    let proposed = world
        .api
        .control_file(BRANCH, RECORD)
        .expect("the record is on the branch");
    let record = DecisionRecord::parse(&proposed, "branch").unwrap();
    assert_eq!(
        (record.source.full_name.as_str(), record.source.id),
        ("nhsuk/frontend", 4242)
    );
    assert_eq!(record.status, RecordStatus::Proposed);
    assert!(record.confirmed_at.is_some());
    assert!(
        world.api.control_file("main", RECORD).is_none(),
        "nothing on main before the merge"
    );

    // propose again: the same pull request, already up to date: nothing written, no second one.
    let again = flow::propose(&flow, &control).await.unwrap();
    let frontend = again.iter().find(|l| l.repo == "nhsuk/frontend").unwrap();
    assert!(
        matches!(
            frontend.outcome,
            ProposeOutcome::Proposed(Proposed::Unchanged { number: 1, .. })
        ),
        "{frontend:?}"
    );
    assert_eq!(world.api.pulls().len(), 2);
    assert_eq!(world.api.pulls()[0].labels, ["republish:allowed"]);

    // A maintainer (by team membership) approves; the merge brings the record to main.
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "alice", "APPROVED");
    world.api.merge_pull(1);
    world.pull_main();
    let applied = world.apply().await;
    assert_eq!(applied.len(), 1, "{applied:?}");
    match &applied[0].outcome {
        ApplyOutcome::Published {
            pull_request,
            approved_by,
            target,
            ..
        } => {
            assert_eq!(*pull_request, 1);
            assert_eq!(approved_by, &["alice"]);
            assert_eq!(target, &format!("{ORG}/nhsuk--frontend"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        world.api.requests().iter().any(|r| r.path
            == format!("/orgs/{ORG}/teams/maintainers/memberships/alice")
            && r.status == 200),
        "membership was checked through the API"
    );
    // The target holds the original history with the notice on top.
    let notice = file_on(
        &world.target_dir(),
        "main",
        keepopen::provenance::MARKDOWN_FILE,
    )
    .expect("the notice is on the published default branch");
    assert!(notice.contains("nhsuk/frontend"), "{notice}");
    assert_eq!(
        file_on(&world.target_dir(), "main", "LICENSE").as_deref(),
        Some(MIT)
    );
    // The record on main says where it went.
    let record = DecisionRecord::load(&world.checkout().join(RECORD)).unwrap();
    assert_eq!(record.status, RecordStatus::Published);
    let publication = record.publication.expect("the publication is written back");
    assert_eq!(publication.pull_request, 1);
    assert_eq!(publication.approved_by, ["alice"]);
    assert!(
        publication
            .target_url
            .ends_with("/nhs-community/nhsuk--frontend.git"),
        "{}",
        publication.target_url
    );
    assert!(publication.pushed.contains_key("refs/heads/main"));

    // apply again: nothing to do, no write.
    world.api.clear_requests();
    let pushes = world.git.receive_packs();
    assert!(world.apply().await.is_empty());
    assert!(
        world.api.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        world.api.requests()
    );
    assert_eq!(world.git.receive_packs(), pushes);
    // propose again: already decided.
    let third = flow::propose(&flow, &control).await.unwrap();
    let frontend = third.iter().find(|l| l.repo == "nhsuk/frontend").unwrap();
    assert!(
        matches!(frontend.outcome, ProposeOutcome::Skipped { .. }),
        "{frontend:?}"
    );
    assert_eq!(world.api.pulls().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_only_by_the_author_is_refused() {
    let world = World::proposed().await;
    // Even a maintainer cannot approve their own proposal.
    world.api.add_team_member(ORG, "maintainers", BOT);
    world.api.add_review(1, BOT, "APPROVED");
    world.api.merge_pull(1);
    world.pull_main();
    let reason = refused(&world.apply().await);
    assert!(
        reason.contains(&format!("@{BOT} is the author")),
        "{reason}"
    );
    assert!(reason.contains("0 approval(s)"), "{reason}");
    world.nothing_published();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_by_a_non_maintainer_is_refused() {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "mallory", "APPROVED");
    world.api.merge_pull(1);
    world.pull_main();
    let reason = refused(&world.apply().await);
    assert!(reason.contains("@mallory is not a maintainer"), "{reason}");
    assert!(
        world.api.requests().iter().any(|r| r.path
            == format!("/orgs/{ORG}/teams/maintainers/memberships/mallory")
            && r.status == 404),
        "membership was asked"
    );
    world.nothing_published();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_on_main_whose_pull_request_is_not_merged_is_refused() {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "alice", "APPROVED");
    // Someone pushes the record to main without merging the pull request.
    let text = world.api.control_file(BRANCH, RECORD).unwrap();
    world.api.push_control_file("main", RECORD, Some(&text));
    world.pull_main();
    let reason = refused(&world.apply().await);
    assert!(reason.contains("pull request #1 is not merged"), "{reason}");
    world.nothing_published();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_edited_after_approval_to_point_at_another_repository_is_refused() {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "alice", "APPROVED");
    world.api.merge_pull(1);
    let approved = world.api.control_file("main", RECORD).unwrap();
    // An edit pushed to main, and pulled.
    let edit = |path: &str, text: Option<&str>| {
        world.api.push_control_file("main", path, text);
        world.pull_main();
    };

    // The id changed: the same name, another repository.
    edit(RECORD, Some(&approved.replace("id: 4242", "id: 4243")));
    let reason = refused(&world.apply().await);
    assert!(reason.contains("edited after approval"), "{reason}");
    assert!(
        reason.contains("(id 4243) where pull request #1 approved nhsuk/frontend (id 4242)"),
        "{reason}"
    );
    world.nothing_published();

    // The name changed at the same place.
    edit(
        RECORD,
        Some(&approved.replace("full-name: nhsuk/frontend", "full-name: nhsuk/unlicensed")),
    );
    let reason = refused(&world.apply().await);
    assert!(reason.contains("names nhsuk/unlicensed"), "{reason}");
    world.nothing_published();

    // Copied to the other repository's place: no pull request approved that one.
    edit(
        "republications/nhsuk/unlicensed.yaml",
        Some(
            &approved
                .replace("full-name: nhsuk/frontend", "full-name: nhsuk/unlicensed")
                .replace("id: 4242", "id: 4243"),
        ),
    );
    edit(RECORD, None);
    let reason = refused(&world.apply().await);
    assert!(
        reason.contains("no pull request from branch keepopen/nhsuk/unlicensed"),
        "{reason}"
    );
    assert!(
        world
            .api
            .repo(&format!("{ORG}/nhsuk--unlicensed"))
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_control_forge_runs_the_same_flow_offline_and_marks_a_restored_original() {
    let world = World::start().await;
    world.removed().await;
    let forge = world.path("forge");
    let flow = Flow {
        approval: world.approval(&format!(
            "approval: {{forge: local, path: '{}', maintainers: [alice]}}\n",
            forge.display()
        )),
        target: TargetConfig {
            path: world.path("published").display().to_string(),
            ..TargetConfig::default()
        },
        control_name: "the local control forge".into(),
        ..world.github_flow()
    };
    let control = LocalControl::new(&forge, &["alice".to_owned()]);
    let first = flow::propose(&flow, &control).await.unwrap();
    assert!(
        first.iter().any(|l| matches!(
            l.outcome,
            ProposeOutcome::Proposed(Proposed::Opened { number: 1, .. })
        )),
        "{first:?}"
    );
    let second = flow::propose(&flow, &control).await.unwrap();
    assert!(
        second.iter().any(|l| matches!(
            l.outcome,
            ProposeOutcome::Proposed(Proposed::Unchanged { number: 1, .. })
        )),
        "{second:?}"
    );
    assert_eq!(control.list().unwrap().len(), 2, "updated, not duplicated");
    assert_eq!(control.list().unwrap()[0].labels, ["republish:allowed"]);

    // A non-maintainer's approval is not enough; the same pure decision as on GitHub.
    control.review(1, "bob", ReviewState::Approved).unwrap();
    control.merge(1, &world.checkout()).unwrap();
    let reason = refused(
        &flow::apply(&flow, &control, None, Utc::now())
            .await
            .unwrap(),
    );
    assert!(reason.contains("@bob is not a maintainer"), "{reason}");
    assert!(!world.path("published/nhsuk--frontend.git").exists());

    // The proposal again (the merged one stays merged), approved by alice this time, once the record is gone
    // from the base branch (and so from the checkout).
    std::fs::remove_file(control.base_dir().join(RECORD)).unwrap();
    std::fs::remove_file(world.checkout().join(RECORD)).unwrap();
    let third = flow::propose(&flow, &control).await.unwrap();
    assert!(
        third.iter().any(|l| matches!(
            l.outcome,
            ProposeOutcome::Proposed(Proposed::Opened { number: 3, .. })
        )),
        "{third:?}"
    );
    control.review(3, "alice", ReviewState::Approved).unwrap();
    control.merge(3, &world.checkout()).unwrap();
    let applied = flow::apply(&flow, &control, None, Utc::now())
        .await
        .unwrap();
    assert!(
        matches!(
            &applied[..],
            [ApplyLine {
                outcome: ApplyOutcome::Published {
                    pull_request: 3,
                    ..
                },
                ..
            }]
        ),
        "{applied:?}"
    );
    let target = world.path("published/nhsuk--frontend.git");
    assert!(file_on(&target, "main", keepopen::provenance::MARKDOWN_FILE).is_some());
    let record = DecisionRecord::load(&world.checkout().join(RECORD)).unwrap();
    assert_eq!(record.status, RecordStatus::Published);
    assert!(
        flow::apply(&flow, &control, None, Utc::now())
            .await
            .unwrap()
            .is_empty(),
        "a rerun does nothing"
    );

    // The original comes back: its record says `restored` and no pull request is opened, now or later.
    let pulls_before = control.list().unwrap().len();
    world
        .api
        .update(4242, |r| r.visibility = Visibility::Public);
    world.scan().await;
    assert_eq!(
        world.store().load(4242).unwrap().unwrap().status,
        Status::Restored
    );
    for _ in 0..2 {
        flow::propose(&flow, &control).await.unwrap();
    }
    let record = DecisionRecord::load(&world.checkout().join(RECORD)).unwrap();
    assert_eq!(record.status, RecordStatus::Restored);
    assert!(
        record.publication.is_some(),
        "the publication stays on record"
    );
    assert_eq!(
        control.list().unwrap().len(),
        pulls_before,
        "no new proposal"
    );
}

/// `apply` where the checkout cannot take what it would write: the error, as the CLI prints it.
async fn apply_refused(flow: &Flow, control: &impl keepopen::control::ControlRepository) -> String {
    let error = flow::apply(flow, control, World::tokens(), Utc::now())
        .await
        .expect_err("apply went ahead on a checkout that cannot take its writes");
    assert!(
        error.downcast_ref::<flow::StaleCheckout>().is_some(),
        "{error:#}"
    );
    format!("{error:#}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_from_a_checkout_older_than_the_merge_refuses_naming_the_record_then_publishes_once_pulled()
 {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "alice", "APPROVED");
    world.api.merge_pull(1);
    world.api.clear_requests();
    // The checkout was made before the merge (no pull), or there is none at all.
    let stale = world.github_flow();
    let missing = Flow {
        checkout: world.path("no-checkout"),
        ..world.github_flow()
    };
    for (flow, what) in [(&stale, "stale"), (&missing, "missing")] {
        let error = apply_refused(flow, &world.control()).await;
        for needle in [
            format!(
                "the checkout at {} is behind main of {CONTROL}",
                flow.checkout.display()
            ),
            format!("{RECORD}: on the base branch, not in the checkout"),
            "help: pull main into the checkout (`git pull`), then rerun".to_owned(),
        ] {
            assert!(error.contains(&needle), "{what}: {needle:?} not in {error}");
        }
        assert!(
            world.api.repo(&format!("{ORG}/nhsuk--frontend")).is_none(),
            "{what}"
        );
        assert!(!world.target_dir().exists(), "{what}");
    }
    // Nothing of that was a write, and the base branch was read through the API.
    let requests = world.api.requests();
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:?}");
    for read in ["git/trees", "git/blobs"] {
        assert!(
            requests.iter().any(
                |r| r.path.starts_with(&format!("/repos/{CONTROL}/{read}/")) && r.status == 200
            ),
            "{read}: {requests:?}"
        );
    }

    world.pull_main();
    let applied = flow::apply(&stale, &world.control(), World::tokens(), Utc::now())
        .await
        .unwrap();
    assert!(
        matches!(
            &applied[..],
            [ApplyLine {
                outcome: ApplyOutcome::Published {
                    pull_request: 1,
                    ..
                },
                ..
            }]
        ),
        "{applied:?}"
    );
    // Published but not pushed yet: a second run neither publishes again nor says there is nothing to do.
    let pushes = world.git.receive_packs();
    let error = apply_refused(&stale, &world.control()).await;
    assert!(
        error.contains(
            "records a publication the base branch does not have yet: commit and push it"
        ),
        "{error}"
    );
    assert_eq!(world.git.receive_packs(), pushes);
    world.push_records();
    assert!(world.apply().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn propose_from_a_checkout_older_than_the_merge_or_none_does_not_reopen_a_merged_proposal() {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "alice", "APPROVED");
    world.api.merge_pull(1);
    let pulls = world.api.pulls().len();
    let stale = world.github_flow();
    let missing = Flow {
        checkout: world.path("no-checkout"),
        ..world.github_flow()
    };
    for (flow, what) in [(&stale, "stale"), (&missing, "missing")] {
        for run in 1..=2 {
            let lines = flow::propose(flow, &world.control()).await.unwrap();
            let frontend = lines.iter().find(|l| l.repo == "nhsuk/frontend").unwrap();
            match &frontend.outcome {
                ProposeOutcome::Skipped { reason } => assert_eq!(
                    reason,
                    &format!("already decided: {RECORD} is on main of {CONTROL}"),
                    "{what}, run {run}"
                ),
                other => panic!("{what}, run {run}: {other:?}"),
            }
            assert_eq!(
                world.api.pulls().len(),
                pulls,
                "{what}, run {run}: a pull request was opened again"
            );
        }
    }
    assert!(!world.path("no-checkout").exists(), "propose wrote nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_local_forge_propose_and_apply_read_its_base_branch_not_the_checkout() {
    let world = World::start().await;
    world.removed().await;
    let forge = world.path("forge");
    let flow = Flow {
        approval: world.approval(&format!(
            "approval: {{forge: local, path: '{}', maintainers: [alice]}}\n",
            forge.display()
        )),
        target: TargetConfig {
            path: world.path("published").display().to_string(),
            ..TargetConfig::default()
        },
        control_name: "the local control forge".into(),
        ..world.github_flow()
    };
    let control = LocalControl::new(&forge, &["alice".to_owned()]);
    flow::propose(&flow, &control).await.unwrap();
    let number = control
        .list()
        .unwrap()
        .into_iter()
        .find(|p| p.record_path == RECORD)
        .unwrap()
        .number;
    control
        .review(number, "alice", ReviewState::Approved)
        .unwrap();
    // Merged from another checkout: this one never saw the record.
    control.merge(number, &world.path("elsewhere")).unwrap();
    assert!(control.base_dir().join(RECORD).exists());
    assert!(!world.checkout().join(RECORD).exists());
    let proposals = control.list().unwrap().len();
    for run in 1..=2 {
        let lines = flow::propose(&flow, &control).await.unwrap();
        let frontend = lines.iter().find(|l| l.repo == "nhsuk/frontend").unwrap();
        assert!(
            matches!(&frontend.outcome, ProposeOutcome::Skipped { reason } if reason.contains("already decided")),
            "run {run}: {frontend:?}"
        );
        assert_eq!(control.list().unwrap().len(), proposals, "run {run}");
    }
    let error = apply_refused(&flow, &control).await;
    assert!(
        error.contains(&format!(
            "{RECORD}: on the base branch, not in the checkout"
        )) && error.contains(&format!(
            "help: copy {}",
            control.base_dir().join("republications").display()
        )),
        "{error}"
    );
    assert!(!world.path("published/nhsuk--frontend.git").exists());

    // Brought up to date, the checkout takes the publication, and so does the forge's base branch.
    std::fs::create_dir_all(world.checkout().join("republications/nhsuk")).unwrap();
    std::fs::copy(
        control.base_dir().join(RECORD),
        world.checkout().join(RECORD),
    )
    .unwrap();
    let applied = flow::apply(&flow, &control, None, Utc::now())
        .await
        .unwrap();
    assert!(
        matches!(
            &applied[..],
            [ApplyLine {
                outcome: ApplyOutcome::Published { .. },
                ..
            }]
        ),
        "{applied:?}"
    );
    for copy in [
        control.base_dir().join(RECORD),
        world.checkout().join(RECORD),
    ] {
        let record = DecisionRecord::load(&copy).unwrap();
        assert_eq!(record.status, RecordStatus::Published, "{}", copy.display());
    }
    assert!(
        flow::apply(&flow, &control, None, Utc::now())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_proposes_reviews_merges_and_applies_on_the_local_forge_and_reports_to_actions() {
    let world = World::start().await;
    world.removed().await;
    let policy = world.checkout().join("policy.yaml");
    std::fs::write(
        &policy,
        format!(
            "{}\napproval:\n  forge: local\n  path: '{}'\n  maintainers: [alice]\ntarget:\n  path: '{}'\n",
            crate::policy::licence_rules(),
            world.path("forge").display(),
            world.path("published").display()
        ),
    )
    .unwrap();
    let summary = world.path("summary.md");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .arg("--policy")
            .arg(&policy)
            .arg("--state")
            .arg(world.path("state"))
            .arg("--archive")
            .arg(world.path("archive"))
            .args(args)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_ACTIONS", "true")
            .env_remove("GITHUB_TOKEN")
            .env_remove("GITHUB_APP_INSTALLATION_TOKEN")
            .env_remove("KEEPOPEN_POLICY")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stdout, stderr)
    };

    let (code, stdout, stderr) = run(&["propose"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("nhsuk/frontend") && stdout.contains("opened #1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::warning title=keepopen: forbidden::nhsuk/unlicensed is not proposed"),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.contains("## keepopen propose"), "{written}");
    assert!(
        written.contains("| nhsuk/unlicensed | forbidden | not proposed"),
        "{written}"
    );

    let (code, stdout, stderr) = run(&["review", "1", "--approve", "--as", "alice"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let (code, stdout, stderr) = run(&["merge", "1"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(world.checkout().join(RECORD).exists());
    // A checkout without the merged record is told so, not "nothing to apply".
    let merged = std::fs::read(world.checkout().join(RECORD)).unwrap();
    std::fs::remove_file(world.checkout().join(RECORD)).unwrap();
    let (code, stdout, stderr) = run(&["apply"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(!stdout.contains("nothing to apply"), "{stdout}");
    assert!(
        stderr.contains("is behind the base branch of the local control forge")
            && stderr.contains("\nhelp: copy "),
        "{stderr}"
    );
    std::fs::write(world.checkout().join(RECORD), merged).unwrap();
    let (code, stdout, stderr) = run(&["apply"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("published to"), "{stdout}");
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("## keepopen apply")
    );
    let (code, stdout, _) = run(&["apply"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("nothing to apply"), "{stdout}");
    // The review and merge verbs are the local forge's only.
    let (code, _, stderr) = run(&["review", "9", "--approve", "--as", "alice"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no proposal #9"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_of_an_earlier_version_of_the_proposal_does_not_count() {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "alice", "APPROVED");
    // The branch moves after the approval; what is merged is not what alice approved.
    world.api.touch_branch(BRANCH);
    world.api.merge_pull(1);
    world.pull_main();
    let reason = refused(&world.apply().await);
    assert!(
        reason.contains("@alice approved an earlier version"),
        "{reason}"
    );
    world.nothing_published();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_speaks_only_to_the_control_repository_the_team_and_the_target_organisation() {
    let requests = github_flow_requests().await;
    let writes: Vec<String> = requests
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    for expected in [
        format!("POST /repos/{CONTROL}/git/refs"),
        format!("PUT /repos/{CONTROL}/contents/{RECORD}"),
        format!("POST /repos/{CONTROL}/pulls"),
        format!("PATCH /repos/{CONTROL}/pulls/1"),
        format!("PUT /repos/{CONTROL}/issues/1/labels"),
        format!("POST /repos/{CONTROL}/issues/1/comments"),
        format!("POST /orgs/{ORG}/repos"),
    ] {
        assert!(
            writes.contains(&expected),
            "{expected} missing from {writes:?}"
        );
    }
    // 404 is how "not there yet" reads; anything else (409, 422) is a request the API refused.
    let refused: Vec<String> = requests
        .iter()
        .filter(|r| r.status >= 400 && r.status != 404)
        .map(|r| format!("{} {} {}", r.method, r.path, r.status))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    for r in &requests {
        assert!(
            r.path.starts_with(&format!("/repos/{CONTROL}/"))
                || r.path.starts_with(&format!("/orgs/{ORG}/"))
                || r.path.starts_with(&format!("/repos/{ORG}/"))
                || r.path.starts_with("/orgs/nhsuk/")
                // Who keepopen is: only its own comments count.
                || r.path == "/user"
                || r.path.starts_with("/repos/nhsuk/")
                || r.path.starts_with("/repositories/"),
            "{} {}",
            r.method,
            r.path
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_proposal_is_a_new_commit_on_its_open_branch_never_a_reset_to_the_base() {
    let world = World::proposed().await;
    let before = world.api.control_file(BRANCH, RECORD).unwrap();
    let pulls_before = world.api.pulls().len();
    world.api.clear_requests();
    // The notice changes (a new takedown text), so the record changes.
    let mut changed = world.github_flow();
    changed.target.takedown = "write to takedown@example.org".into();
    let lines = flow::propose(&changed, &world.control()).await.unwrap();
    assert!(
        lines.iter().any(|l| l.repo == "nhsuk/frontend"
            && matches!(
                l.outcome,
                ProposeOutcome::Proposed(Proposed::Updated { number: 1, .. })
            )),
        "{lines:?}"
    );
    let after = world.api.control_file(BRANCH, RECORD).unwrap();
    assert_ne!(before, after, "the record on the branch was rewritten");
    assert!(after.contains("takedown@example.org"));
    let writes: Vec<String> = world
        .api
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        !writes.iter().any(|w| w.contains("/git/refs")),
        "the branch was moved by hand: {writes:?}"
    );
    assert!(
        writes.contains(&format!("PUT /repos/{CONTROL}/contents/{RECORD}")),
        "{writes:?}"
    );
    let pulls = world.api.pulls();
    assert_eq!(pulls.len(), pulls_before, "updated, not duplicated");
    assert!(pulls.iter().find(|p| p.number == 1).unwrap().open);
}

/// Run `work` on a runtime of its own, as a process of its own would, killed (the future dropped, then the
/// runtime, which lets blocking git work already started end as a killed process's cannot continue) once the API
/// and git servers have seen `kill_after` more requests. Returns whether it was killed.
fn run_or_kill<F: std::future::Future>(world: &World, kill_after: usize, work: F) -> bool {
    let count = || world.api.requests().len() + world.git.requests().len();
    tokio::task::block_in_place(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let start = count();
        let killed = rt.block_on(async {
            let watch = async {
                while count() < start + kill_after {
                    tokio::time::sleep(std::time::Duration::from_micros(200)).await;
                }
            };
            tokio::select! {
                _ = work => false,
                _ = watch => true,
            }
        });
        drop(rt);
        killed
    })
}

/// Where an unbroken propose leaves the control repository: one open pull request per candidate, labelled, its
/// branch holding its record; and a further run writes nothing.
async fn assert_proposals_settled(world: &World, context: &str) {
    let pulls = world.api.pulls();
    let mut heads: Vec<(String, Vec<String>, bool)> = pulls
        .iter()
        .map(|p| (p.head.clone(), p.labels.clone(), p.open))
        .collect();
    heads.sort();
    assert_eq!(
        heads,
        vec![
            (
                "keepopen/nhsuk/configured".to_owned(),
                vec!["republish:needs-review".to_owned()],
                true
            ),
            (
                BRANCH.to_owned(),
                vec!["republish:allowed".to_owned()],
                true
            ),
        ],
        "{context}"
    );
    let record = world.api.control_file(BRANCH, RECORD).expect(context);
    assert_eq!(
        DecisionRecord::parse(&record, RECORD)
            .unwrap()
            .source
            .full_name,
        "nhsuk/frontend",
        "{context}"
    );
    let before = world.api.requests().len();
    flow::propose(&world.github_flow(), &world.control())
        .await
        .unwrap();
    let writes: Vec<String> = world.api.requests()[before..]
        .iter()
        .filter(|r| {
            r.method != "GET" && !r.path.ends_with("/pulls/1") && !r.path.ends_with("/pulls/2")
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        writes.is_empty(),
        "{context}: a settled proposal was written again: {writes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_propose_killed_after_any_number_of_requests_converges_on_rerun() {
    // The unbroken run, for the number of kill points.
    let world = World::start().await;
    world.removed().await;
    let start = world.api.requests().len() + world.git.requests().len();
    flow::propose(&world.github_flow(), &world.control())
        .await
        .unwrap();
    let steps = world.api.requests().len() + world.git.requests().len() - start;
    assert_proposals_settled(&world, "unbroken").await;

    let mut killed = 0;
    for n in 1..steps {
        let world = World::start().await;
        world.removed().await;
        let flow = world.github_flow();
        let control = world.control();
        if run_or_kill(&world, n, flow::propose(&flow, &control)) {
            killed += 1;
        }
        flow::propose(&flow, &control).await.unwrap();
        assert_proposals_settled(&world, &format!("killed after {n} of {steps} requests")).await;
    }
    eprintln!(
        "propose kill-and-rerun: {} kill points, {killed} runs killed mid-way",
        steps - 1
    );
    assert!(killed > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_killed_after_any_number_of_requests_converges_on_rerun() {
    async fn approved() -> World {
        let world = World::proposed().await;
        world.api.add_team_member(ORG, "maintainers", "alice");
        world.api.add_review(1, "alice", "APPROVED");
        world.api.merge_pull(1);
        world.pull_main();
        world
    }
    /// Published once, the record says so and matches the target, and a further apply does nothing.
    async fn assert_applied(world: &World, context: &str) {
        let record = DecisionRecord::load(&world.checkout().join(RECORD)).unwrap();
        assert_eq!(record.status, RecordStatus::Published, "{context}");
        let publication = record.publication.expect(context);
        let target = crate::support::git_fixture::refs(&world.target_dir());
        for (name, id) in &publication.pushed {
            assert_eq!(target.get(name), Some(id), "{context}: {name}");
        }
        assert!(
            file_on(
                &world.target_dir(),
                "main",
                keepopen::provenance::MARKDOWN_FILE
            )
            .is_some(),
            "{context}"
        );
        assert!(
            world.apply().await.is_empty(),
            "{context}: apply again did something"
        );
    }

    let world = approved().await;
    let start = world.api.requests().len() + world.git.requests().len();
    world.apply().await;
    let steps = world.api.requests().len() + world.git.requests().len() - start;
    assert_applied(&world, "unbroken").await;

    let mut killed = 0;
    for n in 1..steps {
        let world = approved().await;
        let flow = world.github_flow();
        let control = world.control();
        if run_or_kill(
            &world,
            n,
            flow::apply(&flow, &control, World::tokens(), Utc::now()),
        ) {
            killed += 1;
        }
        // apply.yml commits and pushes the records whatever became of apply.
        world.push_records();
        // The rerun publishes what the killed run left undone (or finds it all done).
        let rerun = world.apply().await;
        assert!(
            rerun
                .iter()
                .all(|l| matches!(l.outcome, ApplyOutcome::Published { .. })),
            "killed after {n}: {rerun:?}"
        );
        assert_applied(&world, &format!("killed after {n} of {steps} requests")).await;
    }
    eprintln!(
        "apply kill-and-rerun: {} kill points, {killed} runs killed mid-way",
        steps - 1
    );
    assert!(killed > 0);
}

/// The writes of requests (method and path), leaving out those about `except` pull requests (another
/// repository's proposal, updated as usual).
fn writes_but(requests: &[crate::support::github_api::Recorded], except: &[u64]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.method != "GET")
        .filter(|r| {
            !except.iter().any(|n| {
                r.path.ends_with(&format!("/pulls/{n}"))
                    || r.path.contains(&format!("/issues/{n}/"))
            })
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

fn outcome_of<'a>(lines: &'a [flow::ProposeLine], repo: &str) -> &'a ProposeOutcome {
    &lines
        .iter()
        .find(|l| l.repo == repo)
        .unwrap_or_else(|| panic!("{repo} not in {lines:?}"))
        .outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_proposal_is_not_proposed_again_until_its_licence_file_changes_and_reopening_takes_the_decline_back()
 {
    let world = World::proposed().await;
    let (flow, control) = (world.github_flow(), world.control());
    world.api.close_pull(1);
    let declined_record = world.api.control_file(BRANCH, RECORD).unwrap();
    for run in 1..=3 {
        world.api.clear_requests();
        let lines = flow::propose(&flow, &control).await.unwrap();
        match outcome_of(&lines, "nhsuk/frontend") {
            ProposeOutcome::Declined { number: 1, url, .. } => {
                assert!(url.ends_with("/pull/1"), "{url}")
            }
            other => panic!("run {run}: {other:?}"),
        }
        let writes = writes_but(&world.api.requests(), &[2]);
        assert!(writes.is_empty(), "run {run}: {writes:?}");
        assert_eq!(world.api.pulls().len(), 2, "run {run}");
        assert!(!world.api.pulls()[0].open, "run {run}");
        assert!(
            keepopen::cli::summary::propose_summary(&lines)
                .contains("declined in pull request #1 on 2026-01-02"),
            "{}",
            keepopen::cli::summary::propose_summary(&lines)
        );
    }
    assert_eq!(
        world.api.control_file(BRANCH, RECORD).unwrap(),
        declined_record
    );

    // A maintainer reopens it: the decline is taken back and propose updates it as any open proposal.
    world.api.reopen_pull(1);
    let lines = flow::propose(&flow, &control).await.unwrap();
    assert!(
        matches!(
            outcome_of(&lines, "nhsuk/frontend"),
            ProposeOutcome::Proposed(Proposed::Unchanged { number: 1, .. })
        ),
        "{lines:?}"
    );
    world.api.close_pull(1);

    // The licence file changes: a new proposal from the same branch, saying what changed, linking #1.
    world.relicensed_and_removed_again(4242, "frontend").await;
    let lines = flow::propose(&flow, &control).await.unwrap();
    assert!(
        matches!(
            outcome_of(&lines, "nhsuk/frontend"),
            ProposeOutcome::Proposed(Proposed::Opened { number: 3, .. })
        ),
        "{lines:?}"
    );
    let pulls = world.api.pulls();
    assert_eq!(pulls.len(), 3);
    let (old, new) = (&pulls[0], &pulls[2]);
    assert!(!old.open && !old.merged);
    assert!(new.open && new.head == BRANCH, "{new:?}");
    for needle in [
        "> [!NOTE]\n> #1 (declined): ",
        "> - licence file LICENSE changed: ",
        "> - refs/heads/main changed: ",
    ] {
        assert!(
            new.body.contains(needle),
            "{needle:?} not in:\n{}",
            new.body
        );
    }
    let proposed =
        DecisionRecord::parse(&world.api.control_file(BRANCH, RECORD).unwrap(), RECORD).unwrap();
    let declined = DecisionRecord::parse(&declined_record, RECORD).unwrap();
    assert_ne!(
        proposed.evidence.as_ref().unwrap().license_files["LICENSE"],
        declined.evidence.as_ref().unwrap().license_files["LICENSE"]
    );
    // And it is an ordinary proposal from then on.
    let lines = flow::propose(&flow, &control).await.unwrap();
    assert!(
        matches!(
            outcome_of(&lines, "nhsuk/frontend"),
            ProposeOutcome::Proposed(Proposed::Unchanged { number: 3, .. })
        ),
        "{lines:?}"
    );
    assert_eq!(world.api.pulls().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_local_forge_a_closed_proposal_stays_declined_until_its_licence_file_changes() {
    let world = World::start().await;
    world.removed().await;
    let (flow, control) = world.local_flow();
    let first = flow::propose(&flow, &control).await.unwrap();
    assert!(
        matches!(
            outcome_of(&first, "nhsuk/frontend"),
            ProposeOutcome::Proposed(Proposed::Opened { number: 1, .. })
        ),
        "{first:?}"
    );
    control.close(1, Utc::now()).unwrap();
    let declined = control.load(1).unwrap();
    for run in 1..=3 {
        let lines = flow::propose(&flow, &control).await.unwrap();
        assert!(
            matches!(
                outcome_of(&lines, "nhsuk/frontend"),
                ProposeOutcome::Declined { number: 1, .. }
            ),
            "run {run}: {lines:?}"
        );
        assert_eq!(control.list().unwrap().len(), 2, "run {run}");
        assert_eq!(control.load(1).unwrap(), declined, "run {run}");
    }
    // Reopened, it is updated; closed again, it is a decline again.
    control.reopen(1).unwrap();
    let lines = flow::propose(&flow, &control).await.unwrap();
    assert!(
        matches!(
            outcome_of(&lines, "nhsuk/frontend"),
            ProposeOutcome::Proposed(Proposed::Unchanged { number: 1, .. })
        ),
        "{lines:?}"
    );
    control.close(1, Utc::now()).unwrap();

    world.relicensed_and_removed_again(4242, "frontend").await;
    let lines = flow::propose(&flow, &control).await.unwrap();
    assert!(
        matches!(
            outcome_of(&lines, "nhsuk/frontend"),
            ProposeOutcome::Proposed(Proposed::Opened { number: 3, .. })
        ),
        "{lines:?}"
    );
    let new = control.load(3).unwrap();
    assert!(
        new.body.contains("#1 (declined)") && new.body.contains("licence file LICENSE changed"),
        "{}",
        new.body
    );
    // #1 cannot be reopened while #3, from the same branch, is open.
    let error = control.reopen(1).unwrap_err().to_string();
    assert!(
        error.contains("proposal #3 from the same branch"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_merged_without_approval_is_commented_on_once_then_waits_and_is_published_once_a_maintainer_approves()
 {
    let world = World::proposed().await;
    world.api.add_team_member(ORG, "maintainers", "alice");
    world.api.add_review(1, "mallory", "APPROVED");
    world.api.merge_pull(1);
    world.pull_main();

    // The first apply refuses and says so on the pull request.
    let reason = refused(&world.apply().await);
    assert!(reason.contains("@mallory is not a maintainer"), "{reason}");
    assert!(reason.contains("said so on pull request #1"), "{reason}");
    let comments: Vec<String> = world.api.pulls()[0]
        .comments
        .iter()
        .map(|(_, body)| body.clone())
        .collect();
    assert_eq!(comments.len(), 1, "{comments:?}");
    for needle in [
        "<!-- keepopen:held ",
        "keepopen did not publish nhsuk/frontend",
        "@\u{200B}mallory is not a maintainer",
        "an approving review of this pull request by 1 maintainer(s)",
        "run `apply` again",
    ] {
        assert!(
            comments[0].contains(needle),
            "{needle:?} not in {comments:?}"
        );
    }
    world.nothing_published();

    // Later runs: a warning, no comment, no write, not a failure.
    for run in 1..=2 {
        world.api.clear_requests();
        let lines = world.apply().await;
        match &lines[..] {
            [
                ApplyLine {
                    outcome:
                        ApplyOutcome::Waiting {
                            pull_request: 1,
                            reason,
                        },
                    ..
                },
            ] => assert!(reason.contains("@mallory is not a maintainer"), "{reason}"),
            other => panic!("run {run}: {other:?}"),
        }
        let annotations = keepopen::cli::summary::apply_annotations(&lines);
        assert!(
            annotations.len() == 1
                && annotations[0].starts_with("::warning title=keepopen: waiting for approval::"),
            "{annotations:?}"
        );
        let requests = world.api.requests();
        assert!(
            requests.iter().all(|r| r.method == "GET"),
            "run {run}: {requests:?}"
        );
        assert_eq!(world.api.pulls()[0].comments.len(), 1, "run {run}");
        world.nothing_published();
    }

    // A maintainer approves the merged pull request: the next apply publishes.
    world.api.add_review(1, "alice", "APPROVED");
    let applied = world.apply().await;
    match &applied[..] {
        [
            ApplyLine {
                outcome:
                    ApplyOutcome::Published {
                        pull_request: 1,
                        approved_by,
                        ..
                    },
                ..
            },
        ] => assert_eq!(approved_by, &["alice"]),
        other => panic!("{other:?}"),
    }
    assert!(world.apply().await.is_empty());
    assert_eq!(world.api.pulls()[0].comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_local_forge_a_record_merged_without_approval_is_commented_on_once_then_waits_until_approved()
 {
    let world = World::start().await;
    world.removed().await;
    let (flow, control) = world.local_flow();
    flow::propose(&flow, &control).await.unwrap();
    control.review(1, "bob", ReviewState::Approved).unwrap();
    control.merge(1, &world.checkout()).unwrap();
    let apply = || flow::apply(&flow, &control, None, Utc::now());
    let reason = refused(&apply().await.unwrap());
    assert!(reason.contains("@bob is not a maintainer"), "{reason}");
    assert_eq!(control.load(1).unwrap().comments.len(), 1);
    for run in 1..=2 {
        let lines = apply().await.unwrap();
        assert!(
            matches!(
                &lines[..],
                [ApplyLine {
                    outcome: ApplyOutcome::Waiting {
                        pull_request: 1,
                        ..
                    },
                    ..
                }]
            ),
            "run {run}: {lines:?}"
        );
        assert_eq!(control.load(1).unwrap().comments.len(), 1, "run {run}");
    }
    assert!(!world.path("published/nhsuk--frontend.git").exists());
    // The merged proposal takes a maintainer's review, as on GitHub.
    control.review(1, "alice", ReviewState::Approved).unwrap();
    let applied = apply().await.unwrap();
    assert!(
        matches!(
            &applied[..],
            [ApplyLine {
                outcome: ApplyOutcome::Published {
                    pull_request: 1,
                    ..
                },
                ..
            }]
        ),
        "{applied:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_fails_apply_once_on_a_merge_without_approval_then_warns_without_failing_and_declines_stick()
 {
    let world = World::start().await;
    world.removed().await;
    let policy = world.checkout().join("policy.yaml");
    std::fs::write(
        &policy,
        format!(
            "{}\napproval:\n  forge: local\n  path: '{}'\n  maintainers: [alice]\ntarget:\n  path: '{}'\n",
            crate::policy::licence_rules(),
            world.path("forge").display(),
            world.path("published").display()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .arg("--policy")
            .arg(&policy)
            .arg("--state")
            .arg(world.path("state"))
            .arg("--archive")
            .arg(world.path("archive"))
            .args(args)
            .env_remove("GITHUB_STEP_SUMMARY")
            .env("GITHUB_ACTIONS", "true")
            .env_remove("GITHUB_TOKEN")
            .env_remove("GITHUB_APP_INSTALLATION_TOKEN")
            .env_remove("KEEPOPEN_POLICY")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), format!("{stdout}\n{stderr}"))
    };
    let (code, out) = run(&["propose"]);
    assert_eq!(code, Some(0), "{out}");
    // #2 (nhsuk/configured) is declined: propose does not fail, and says how to take it back.
    let (code, out) = run(&["close", "2"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("closed #2"), "{out}");
    let (code, out) = run(&["propose"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("not proposed: declined in pull request #2 on ")
            && out.contains("reopen it to take the decline back"),
        "{out}"
    );
    let (code, out) = run(&["reopen", "2"]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&["propose"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("in #2 ") && out.contains(", unchanged"),
        "{out}"
    );

    // #1 is merged on a non-maintainer's approval: apply fails once, then warns and succeeds.
    run(&["review", "1", "--approve", "--as", "bob"]);
    run(&["merge", "1"]);
    let (code, out) = run(&["apply"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("::error title=keepopen: not published::") && out.contains("@bob"),
        "{out}"
    );
    for _ in 0..2 {
        let (code, out) = run(&["apply"]);
        assert_eq!(code, Some(0), "{out}");
        assert!(
            out.contains("::warning title=keepopen: waiting for approval::")
                && !out.contains("::error"),
            "{out}"
        );
    }
    let (code, out) = run(&["review", "1", "--approve", "--as", "alice"]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&["apply"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("published to"), "{out}");
}
