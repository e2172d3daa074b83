//! `keepopen monitor` against a GitHub-shaped API and a git smart-HTTP server on 127.0.0.1: real HTTP, real git.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use keepopen::archive::Archive;
use keepopen::github::Token;
use keepopen::monitor::{Monitor, MonitorConfig, Observer, Quiet, Shard, Summary};
use keepopen::state::{RemovalEvent, Status, Store};

use crate::support::git_fixture;
use crate::support::git_http::{GitServer, GitServerOptions};
use crate::support::github_api::{FakeGitHub, FakeRepo, Fault, Visibility};

struct Fixture {
    api: FakeGitHub,
    git: GitServer,
    dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Fixture {
        Fixture::with_git(GitServerOptions::default()).await
    }

    async fn with_git(options: GitServerOptions) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("upstream")).unwrap();
        let api = FakeGitHub::start().await;
        let git = GitServer::start_with(&dir.path().join("upstream"), options).await;
        Fixture { api, git, dir }
    }

    fn upstream(&self, owner: &str, name: &str) -> PathBuf {
        self.dir
            .path()
            .join("upstream")
            .join(owner)
            .join(format!("{name}.git"))
    }

    /// A public repository with one commit on `main`, served by the git server and listed by the API.
    fn repo(&self, id: u64, owner: &str, name: &str) -> git2::Repository {
        let repo = git_fixture::init_bare(&self.upstream(owner, name));
        git_fixture::commit(
            &repo,
            "main",
            &[("README", &format!("{owner}/{name}\n"))],
            true,
            "first",
        );
        self.api.add_repo(FakeRepo::new(
            id,
            owner,
            name,
            &self.git.url_for(&format!("{owner}/{name}.git")),
        ));
        repo
    }

    fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    /// Test-sized config: short timeouts and backoff, min-gap 0.
    fn config(&self, sources: &str) -> MonitorConfig {
        let yaml = format!(
            "sources: {sources}\n\
             removal: {{confirmations: 2, min-gap: 0s}}\n\
             github: {{api-url: '{}', timeout: 300ms, attempts: 3, backoff: 5ms, max-backoff: 20ms, secondary-wait: 20ms, max-rate-limit-wait: 3s}}\n",
            self.api.url
        );
        keepopen::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")
            .unwrap()
            .monitor
    }

    fn monitor(&self, config: MonitorConfig, token: Option<&str>) -> Monitor {
        let store = Store::open(self.state()).unwrap();
        let archive = Archive::open(self.archive(), 4).unwrap();
        Monitor::new(
            config,
            store,
            archive,
            token.map(Token::new),
            Shard::default(),
            4,
        )
        .unwrap()
    }

    fn store(&self) -> Store {
        Store::open(self.state()).unwrap()
    }

    fn removal_events(&self) -> Vec<(u64, RemovalEvent, bool)> {
        self.store()
            .removals()
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.event, e.republish_candidate))
            .collect()
    }
}

async fn scan(monitor: &Monitor) -> Summary {
    monitor.scan(Utc::now(), Arc::new(Quiet)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_lists_all_pages_and_an_unchanged_org_costs_only_304s_and_no_fetch() {
    let f = Fixture::new().await;
    // 201 repositories: three pages of 100.
    let shared = git_fixture::init_bare(&f.upstream("big", "shared"));
    git_fixture::commit(&shared, "main", &[("README", "shared\n")], true, "first");
    for id in 1..=201u64 {
        let mut repo = FakeRepo::new(
            id,
            "big",
            &format!("repo-{id:03}"),
            &f.git.url_for("big/shared.git"),
        );
        repo.license = (id % 2 == 0).then(keepopen_mit);
        f.api.add_repo(repo);
    }
    // No fault injection here: a generous timeout, so a busy machine cannot turn one answer into two requests.
    let mut config = f.config("{orgs: [big]}");
    config.timeout = Duration::from_secs(10);
    let monitor = f.monitor(config, None);
    let first = scan(&monitor).await;
    assert_eq!(
        (first.seen, first.new, first.fetched, first.errors),
        (201, 201, 201, 0),
        "{first:?}"
    );
    let listing: Vec<_> = f
        .api
        .requests()
        .into_iter()
        .filter(|r| r.path == "/orgs/big/repos")
        .collect();
    assert_eq!(listing.len(), 3, "one request per page of 100");
    assert!(
        listing
            .iter()
            .all(|r| r.query.contains("per_page=100") && r.status == 200)
    );
    assert_eq!(f.store().list().unwrap().len(), 201);
    let record = f.store().load(2).unwrap().unwrap();
    assert_eq!(record.api_license.unwrap().spdx_id.as_deref(), Some("MIT"));
    let record = f.store().load(3).unwrap().unwrap();
    assert_eq!(
        record.api_license.unwrap().spdx_id,
        None,
        "no licence is recorded as such"
    );

    f.api.clear_requests();
    let fetches_before = f.git.fetch_attempts();
    let second = scan(&monitor).await;
    let requests = f.api.requests();
    assert_eq!(requests.len(), 3, "⌈201/100⌉ requests: {requests:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.status == 304 && r.if_none_match.is_some())
    );
    assert_eq!(
        (second.seen, second.fetched, second.unchanged, second.new),
        (201, 0, 201, 0),
        "{second:?}"
    );
    assert_eq!(second.api_not_modified, 3);
    assert_eq!(
        f.git.fetch_attempts(),
        fetches_before,
        "an unchanged org costs zero fetches"
    );
}

fn keepopen_mit() -> crate::support::github_api::FakeLicense {
    crate::support::github_api::FakeLicense::mit()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_in_the_org_and_transfer_out_are_followed_without_a_removal() {
    let f = Fixture::new().await;
    f.repo(10, "nhsuk", "old-name");
    f.repo(11, "nhsuk", "leaver");
    let monitor = f.monitor(f.config("{orgs: [nhsuk]}"), None);
    scan(&monitor).await;
    let mirror_before = f.store().load(10).unwrap().unwrap().mirror.unwrap().path;

    f.api.rename(10, "nhsuk", "new-name");
    f.api.rename(11, "elsewhere", "leaver");
    for _ in 0..3 {
        let s = scan(&monitor).await;
        assert_eq!(s.removed, 0, "{s:?}");
    }
    let renamed = f.store().load(10).unwrap().unwrap();
    assert_eq!(renamed.full_name, "nhsuk/new-name");
    assert_eq!(renamed.former_names, vec!["nhsuk/old-name".to_owned()]);
    assert_eq!(renamed.status, Status::Present);
    assert_eq!(
        renamed.mirror.unwrap().path,
        mirror_before,
        "a rename does not move the mirror"
    );
    let transferred = f.store().load(11).unwrap().unwrap();
    assert_eq!(transferred.full_name, "elsewhere/leaver");
    assert_eq!(transferred.status, Status::Renamed);
    assert_eq!(transferred.suspicion.count, 0);
    assert!(
        f.api
            .requests()
            .iter()
            .any(|r| r.path == "/repos/nhsuk/leaver" && r.status == 301),
        "the 301 was seen, not followed"
    );
    assert!(f.removal_events().is_empty());
    assert_eq!(
        f.store()
            .find_by_full_name("nhsuk/leaver")
            .unwrap()
            .map(|r| r.id),
        Some(11)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legal_block_is_reported_once_and_never_as_republishable() {
    let f = Fixture::new().await;
    f.repo(20, "nhsx", "blocked");
    f.repo(21, "nhsx", "fine");
    let monitor = f.monitor(f.config("{orgs: [nhsx]}"), None);
    scan(&monitor).await;
    f.api.update(20, |r| r.visibility = Visibility::LegalBlock);
    for _ in 0..3 {
        scan(&monitor).await;
    }
    assert_eq!(
        f.removal_events(),
        vec![(20, RemovalEvent::LegalBlock, false)]
    );
    let record = f.store().load(20).unwrap().unwrap();
    assert_eq!(record.status, Status::LegalBlock);
    assert_eq!(record.legal_block.unwrap().reason.as_deref(), Some("dmca"));
    let reports: Vec<_> = std::fs::read_dir(f.state().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let markdown = reports
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let text = std::fs::read_to_string(markdown).unwrap();
    assert!(
        text.contains("| legal block | nhsx/blocked | 20 | no |"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_flap_is_not_a_removal_but_two_consecutive_gone_scans_are() {
    let f = Fixture::new().await;
    f.repo(30, "nhsengland", "flappy");
    let monitor = f.monitor(f.config("{orgs: [nhsengland]}"), None);
    scan(&monitor).await;
    let status = || f.store().load(30).unwrap().unwrap().status;

    f.api.update(30, |r| r.visibility = Visibility::Gone);
    assert_eq!(scan(&monitor).await.suspected, 1);
    assert_eq!(status(), Status::Suspected);
    f.api.update(30, |r| r.visibility = Visibility::Public);
    scan(&monitor).await;
    assert_eq!(
        status(),
        Status::Present,
        "back after one scan: the count resets"
    );
    f.api.update(30, |r| r.visibility = Visibility::Gone);
    scan(&monitor).await;
    assert_eq!(
        status(),
        Status::Suspected,
        "one gone scan after the flap is not two"
    );
    assert!(f.removal_events().is_empty());

    let s = scan(&monitor).await;
    assert_eq!(s.removed, 1, "{s:?}");
    assert_eq!(status(), Status::Removed);
    let entries = f.store().removals().unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert!(e.republish_candidate && e.event == RemovalEvent::Removed && e.confirmations == 2);
    assert_eq!(e.mirror.as_deref(), Some("30-flappy.git"));
    assert!(e.tips.contains_key("refs/heads/main"));
    assert!(
        f.archive().join("30-flappy.git").exists(),
        "a vanished source never deletes its mirror"
    );
    scan(&monitor).await;
    assert_eq!(
        f.store().removals().unwrap().len(),
        1,
        "a removal is logged once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_faults_over_twenty_scans_give_no_false_removal() {
    let f = Fixture::new().await;
    for id in 40..46u64 {
        f.repo(id, "nhsbsa", &format!("r{id}"));
    }
    f.repo(46, "nhsbsa", "doomed");
    f.repo(47, "nhsbsa", "lagging");
    f.repo(48, "nhsbsa", "leaving");
    // One attempt per request, so that faults reach the classifier instead of being retried away.
    let mut config = f.config("{orgs: [nhsbsa]}");
    config.retry.max_attempts = 1;
    let monitor = f.monitor(config, None);
    scan(&monitor).await;
    // Two repositories are probed every scan while public: one the listing misses, one transferred away.
    f.api.update(47, |r| r.unlisted = true);
    f.api.rename(48, "elsewhere", "leaving");
    f.api.random_faults(
        0x5EED,
        0.5,
        vec![
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Delay(Duration::from_millis(450)),
            Fault::SecondaryLimit { retry_after: 0 },
        ],
    );
    for round in 1..=20 {
        if round == 3 {
            f.api.update(46, |r| r.visibility = Visibility::Gone);
        }
        if round % 5 == 0 {
            // Keep the fetch path busy too.
            let upstream = git2::Repository::open_bare(f.upstream("nhsbsa", "r40")).unwrap();
            git_fixture::commit(
                &upstream,
                "main",
                &[("README", &format!("round {round}\n"))],
                true,
                "more",
            );
            f.api.update(40, |r| {
                r.pushed_at = format!("2024-02-{round:02}T00:00:00Z")
            });
        }
        scan(&monitor).await;
        for record in f.store().list().unwrap() {
            if record.id != 46 {
                assert!(
                    matches!(record.status, Status::Present | Status::Renamed),
                    "round {round}: {} is {:?} ({:?})",
                    record.full_name,
                    record.status,
                    record.last_probe
                );
            }
        }
    }
    let injected = f
        .api
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert!(
        injected >= 10,
        "the faults were really injected ({injected})"
    );
    assert_eq!(
        f.removal_events(),
        vec![(46, RemovalEvent::Removed, true)],
        "only the real removal"
    );
    f.api.clear_faults();
    scan(&monitor).await;
    let upstream = git2::Repository::open_bare(f.upstream("nhsbsa", "r40")).unwrap();
    let mirror = git_fixture::refs(&f.archive().join("40-r40.git"));
    assert_eq!(
        mirror["refs/heads/main"],
        git_fixture::tip(&upstream, "main").to_string(),
        "the mirror caught up"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_push_and_branch_deletion_keep_the_old_tips() {
    let f = Fixture::new().await;
    let upstream = f.repo(50, "nhsconnect", "history");
    let first = git_fixture::tip(&upstream, "main");
    let feature = git_fixture::commit(
        &upstream,
        "feature",
        &[("F", "feature\n")],
        false,
        "feature",
    );
    let monitor = f.monitor(f.config("{orgs: [nhsconnect]}"), None);
    scan(&monitor).await;

    // A fast-forward keeps nothing extra.
    let second = git_fixture::commit(&upstream, "main", &[("README", "two\n")], true, "second");
    f.api
        .update(50, |r| r.pushed_at = "2024-03-01T00:00:00Z".into());
    scan(&monitor).await;
    let mirror = f.archive().join("50-history.git");
    let refs = git_fixture::refs(&mirror);
    assert_eq!(refs["refs/heads/main"], second.to_string());
    assert!(
        !refs.keys().any(|r| r.starts_with("refs/keepopen/")),
        "{refs:?}"
    );

    // Rewrite main, delete feature.
    let rewritten = git_fixture::commit(
        &upstream,
        "main",
        &[("README", "rewritten\n")],
        false,
        "rewrite",
    );
    git_fixture::delete_branch(&upstream, "feature");
    f.api
        .update(50, |r| r.pushed_at = "2024-03-02T00:00:00Z".into());
    let s = scan(&monitor).await;
    assert_eq!(s.fetched, 1);
    let refs = git_fixture::refs(&mirror);
    assert_eq!(refs["refs/heads/main"], rewritten.to_string());
    assert!(!refs.contains_key("refs/heads/feature"));
    let kept: BTreeMap<&str, &str> = refs
        .iter()
        .filter(|(k, _)| k.starts_with("refs/keepopen/overwritten/"))
        .map(|(k, v)| (k.rsplit_once("Z/").unwrap().1, v.as_str()))
        .collect();
    assert_eq!(
        kept.get("heads/main"),
        Some(&second.to_string().as_str()),
        "{refs:?}"
    );
    assert_eq!(
        kept.get("heads/feature"),
        Some(&feature.to_string().as_str()),
        "{refs:?}"
    );
    let archived = git2::Repository::open_bare(&mirror).unwrap();
    assert!(
        archived.find_commit(first).is_ok(),
        "the whole old history is still there"
    );
    assert!(!refs.keys().any(|r| r.starts_with("refs/keepopen/staging/")));
    let record = f.store().load(50).unwrap().unwrap();
    assert_eq!(record.mirror.unwrap().preserved.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repo_named_dot_dot_slash_etc_cannot_escape_the_archive() {
    let f = Fixture::new().await;
    let safe = git_fixture::init_bare(&f.upstream("evil", "payload"));
    git_fixture::commit(&safe, "main", &[("README", "x\n")], true, "x");
    f.api.add_repo(FakeRepo::new(
        60,
        "evil",
        "../../etc",
        &f.git.url_for("evil/payload.git"),
    ));
    let monitor = f.monitor(f.config("{orgs: [evil]}"), None);
    let s = scan(&monitor).await;
    assert_eq!((s.fetched, s.errors), (1, 0), "{s:?}");
    let record = f.store().load(60).unwrap().unwrap();
    let path = record.mirror.unwrap().path;
    assert_eq!(path, "60-____etc.git");
    let entries: Vec<String> = std::fs::read_dir(f.archive())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec![path]);
    assert!(!f.dir.path().join("etc").exists() && !f.archive().join("../etc").exists());
    // The probe of a vanished hostile name stays on its path too.
    f.api.update(60, |r| r.visibility = Visibility::Gone);
    scan(&monitor).await;
    assert!(
        f.api
            .requests()
            .iter()
            .any(|r| r.path == "/repos/evil/../../etc" && r.query.is_empty())
    );
}

/// Counts finished repositories and signals after `n`.
struct StopAfter {
    done: AtomicUsize,
    n: usize,
    notify: tokio::sync::Notify,
}

impl Observer for StopAfter {
    fn repo_done(&self, _full_name: &str) {
        if self.done.fetch_add(1, Ordering::SeqCst) + 1 == self.n {
            self.notify.notify_one();
        }
    }
}

#[test]
fn a_scan_killed_midway_loses_nothing_when_rerun() {
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    };
    let rt = runtime();
    let f = rt.block_on(Fixture::new());
    let mut upstreams = Vec::new();
    for id in 70..82u64 {
        let repo = f.repo(id, "nhsd", &format!("k{id}"));
        let feature = git_fixture::commit(&repo, "feature", &[("F", "f\n")], false, "feature");
        upstreams.push((id, git_fixture::tip(&repo, "main"), feature));
    }
    // The servers live on the first runtime; the scans get runtimes of their own, the first of which is dropped
    // mid-scan (pending tasks are cancelled at their next await, blocking git work runs to its end).
    let scan_rt = runtime();
    // octocrab spawns its request buffer on the runtime it is built in.
    let monitor = {
        let _context = scan_rt.enter();
        f.monitor(f.config("{orgs: [nhsd]}"), None)
    };
    let stop = Arc::new(StopAfter {
        done: AtomicUsize::new(0),
        n: 3,
        notify: tokio::sync::Notify::new(),
    });
    let interrupted = scan_rt.block_on(async {
        let observer: Arc<dyn Observer> = stop.clone();
        tokio::select! {
            r = monitor.scan(Utc::now(), observer) => { r.unwrap(); false }
            _ = stop.notify.notified() => true,
        }
    });
    drop(scan_rt);
    assert!(interrupted, "the scan was stopped before it finished");
    let saved = f
        .store()
        .list()
        .unwrap()
        .iter()
        .filter(|r| r.mirror.as_ref().is_some_and(|m| m.fetched_at.is_some()))
        .count();
    assert!(
        saved < 12,
        "some repositories were left for the rerun ({saved})"
    );
    let heartbeat = f.store().heartbeats().unwrap().remove("1-of-1").unwrap();
    assert!(
        heartbeat.finished_at.is_none(),
        "the heartbeat shows an unfinished run"
    );

    let rerun_rt = runtime();
    let monitor = {
        let _context = rerun_rt.enter();
        f.monitor(f.config("{orgs: [nhsd]}"), None)
    };
    let s = rerun_rt
        .block_on(monitor.scan(Utc::now(), Arc::new(Quiet)))
        .unwrap();
    assert_eq!(s.errors, 0, "{s:?}");
    assert_eq!(
        s.fetched as usize + saved,
        12,
        "exactly the unfinished ones were fetched: {s:?}"
    );
    for (id, main, feature) in upstreams {
        let record = f.store().load(id).unwrap().unwrap();
        let mirror = record.mirror.unwrap();
        assert_eq!(mirror.tips["refs/heads/main"], main.to_string(), "id {id}");
        assert_eq!(
            mirror.tips["refs/heads/feature"],
            feature.to_string(),
            "id {id}"
        );
        let refs = git_fixture::refs(&f.archive().join(&mirror.path));
        assert_eq!(refs["refs/heads/main"], main.to_string());
        assert!(
            !refs.keys().any(|r| r.starts_with("refs/keepopen/")),
            "nothing half-done: {refs:?}"
        );
    }
    drop(f);
    drop(rt);
}

fn files_containing(root: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle)
            {
                hits.push(path);
            }
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_sent_to_github_and_git_but_never_written_down() {
    let token = "ghs_SuperSecretTokenValue123";
    let f = Fixture::with_git(GitServerOptions {
        token: Some(token.into()),
        allow_push: false,
    })
    .await;
    f.api.require_token(Some(token));
    f.repo(90, "private-ish", "needs-auth");
    let monitor = f.monitor(f.config("{orgs: [private-ish]}"), Some(token));
    let s = scan(&monitor).await;
    assert_eq!((s.fetched, s.errors), (1, 0), "{s:?}");
    assert!(
        f.api
            .requests()
            .iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {token}")))
    );
    assert!(
        f.git.requests().iter().any(|r| r.authorized),
        "git fetched with the token"
    );
    assert!(files_containing(&f.state(), token.as_bytes()).is_empty());
    assert!(files_containing(&f.archive(), token.as_bytes()).is_empty());
    let config = std::fs::read_to_string(f.archive().join("90-needs-auth.git/config")).unwrap();
    assert!(
        !config.contains("url") && !config.contains("remote"),
        "no remote in .git/config: {config}"
    );
    assert!(!format!("{monitor:?}").contains(token));

    // Without the token, both refuse: the check above is not vacuous.
    let anonymous = f.monitor(f.config("{orgs: [private-ish]}"), None);
    let s = anonymous.scan(Utc::now(), Arc::new(Quiet)).await.unwrap();
    assert!(s.errors > 0, "{s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wikis_are_mirrored_where_they_exist_and_lfs_is_recorded_with_its_gap() {
    let f = Fixture::new().await;
    f.repo(100, "nhsuk", "with-wiki");
    let wiki = git_fixture::init_bare(&f.upstream("nhsuk", "with-wiki.wiki"));
    let page = git_fixture::commit(&wiki, "master", &[("Home.md", "# Home\n")], true, "wiki");
    f.api.update(100, |r| r.has_wiki = true);
    f.repo(101, "nhsuk", "empty-wiki");
    f.api.update(101, |r| r.has_wiki = true);
    let lfs = f.repo(102, "nhsuk", "big-files");
    git_fixture::commit(
        &lfs,
        "main",
        &[(
            ".gitattributes",
            "*.bin filter=lfs diff=lfs merge=lfs -text\n",
        )],
        true,
        "lfs",
    );
    let monitor = f.monitor(f.config("{orgs: [nhsuk]}"), None);
    let s = scan(&monitor).await;
    assert_eq!(s.errors, 0, "{s:?}");

    let with = f.store().load(100).unwrap().unwrap().wiki.unwrap();
    assert_eq!(with.state, keepopen::state::WikiState::Mirrored);
    let refs = git_fixture::refs(&f.archive().join(with.path.unwrap()));
    assert_eq!(refs["refs/heads/master"], page.to_string());
    let empty = f.store().load(101).unwrap().unwrap().wiki.unwrap();
    assert_eq!(empty.state, keepopen::state::WikiState::Absent);
    let lfs = f.store().load(102).unwrap().unwrap().lfs.unwrap();
    assert!(lfs.detected && lfs.note.unwrap().contains("not fetched"));
    assert!(!f.store().load(100).unwrap().unwrap().lfs.unwrap().detected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_waited_out_not_mistaken_for_removals() {
    let f = Fixture::new().await;
    f.repo(110, "nhsdigital", "limited");
    let monitor = f.monitor(f.config("{orgs: [nhsdigital]}"), None);
    scan(&monitor).await;
    f.api.update(110, |r| r.visibility = Visibility::Gone);
    f.api.script(
        "/orgs/nhsdigital",
        [Fault::SecondaryLimit { retry_after: 1 }, Fault::Status(502)],
    );
    f.api
        .script("/repos/", [Fault::PrimaryLimit { reset_in: 1 }]);
    f.api.script("/repositories/", [Fault::Status(429)]);
    let started = std::time::Instant::now();
    let s = scan(&monitor).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retry-after was honoured"
    );
    assert_eq!((s.errors, s.suspected), (0, 1), "{s:?}");
    let record = f.store().load(110).unwrap().unwrap();
    assert_eq!(
        record.suspicion.count, 1,
        "the probes got through after waiting"
    );

    // A limit beyond the cap gives up on the request: unknown, never gone — and the run of confirmations
    // starts again, since the repository may have been public meanwhile.
    f.api
        .script("/repos/", [Fault::SecondaryLimit { retry_after: 3600 }]);
    let s = scan(&monitor).await;
    assert_eq!(s.removed, 0, "{s:?}");
    let record = f.store().load(110).unwrap().unwrap();
    assert_eq!(
        (record.status, record.suspicion.count),
        (Status::Suspected, 0)
    );
    assert!(record.last_probe.unwrap().contains("rate limited"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archive_import_adopts_mirrors_made_elsewhere() {
    let f = Fixture::new().await;
    // Listed, but its clone URL leads nowhere: the monitor cannot fetch it.
    f.api.add_repo(FakeRepo::new(
        120,
        "nhsx",
        "lost",
        &f.git.url_for("nowhere/lost.git"),
    ));
    let monitor = f.monitor(f.config("{orgs: [nhsx]}"), None);
    let s = scan(&monitor).await;
    assert_eq!(s.errors, 1, "{s:?}");

    // A `git clone --mirror` made elsewhere, with GitHub as its origin.
    let backups = f.dir.path().join("backups");
    let backup = git_fixture::init_bare(&backups.join("lost.git"));
    let tip = git_fixture::commit(&backup, "main", &[("README", "saved\n")], true, "saved");
    backup
        .remote("origin", "https://github.com/nhsx/lost.git")
        .unwrap();
    let stray = git_fixture::init_bare(&backups.join("stray.git"));
    git_fixture::commit(&stray, "main", &[("README", "?\n")], true, "?");

    let archive = Archive::open(f.archive(), 2).unwrap();
    let report =
        keepopen::monitor::import::import_mirrors(&backups, &f.store(), &archive, Utc::now())
            .await
            .unwrap();
    assert_eq!(report.adopted.len(), 1, "{report:?}");
    assert_eq!(report.skipped.len(), 1);
    let record = f.store().load(120).unwrap().unwrap();
    let mirror = record.mirror.unwrap();
    assert_eq!(mirror.tips["refs/heads/main"], tip.to_string());
    assert_eq!(
        git_fixture::refs(&f.archive().join(&mirror.path))["refs/heads/main"],
        tip.to_string()
    );
    assert!(
        mirror.fetched_pushed_at.is_none(),
        "the next monitor run still catches up from GitHub"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_split_the_repositories_between_runs() {
    let f = Fixture::new().await;
    for id in 130..140u64 {
        f.repo(id, "nhsshard", &format!("s{id}"));
    }
    let config = f.config("{orgs: [nhsshard]}");
    let mut seen = 0;
    for index in 1..=3 {
        let store = Store::open(f.state()).unwrap();
        let archive = Archive::open(f.archive(), 2).unwrap();
        let shard = Shard { index, count: 3 };
        let monitor = Monitor::new(config.clone(), store, archive, None, shard, 2).unwrap();
        seen += scan(&monitor).await.seen;
    }
    assert_eq!(seen, 10, "every repository in exactly one shard");
    assert_eq!(f.store().list().unwrap().len(), 10);
    assert_eq!(f.store().heartbeats().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_single_scan_flaps_with_a_failed_listing_between_them_are_not_a_removal() {
    let f = Fixture::new().await;
    f.repo(130, "nhsdigital", "flappy");
    f.repo(131, "nhsdigital", "steady");
    let monitor = f.monitor(f.config("{orgs: [nhsdigital]}"), None);
    scan(&monitor).await;
    // Scan 2: a 404 flap.
    f.api.update(130, |r| r.visibility = Visibility::Gone);
    let s = scan(&monitor).await;
    assert_eq!(s.suspected, 1, "{s:?}");
    // Scan 3: public again, but the listing fails, so nothing can be known of it.
    f.api.update(130, |r| r.visibility = Visibility::Public);
    f.api.script("/orgs/nhsdigital/repos", [Fault::Status(404)]);
    scan(&monitor).await;
    let record = f.store().load(130).unwrap().unwrap();
    assert_eq!(
        record.suspicion.count, 0,
        "the failed listing broke the run"
    );
    assert!(record.last_probe.unwrap().contains("listing"));
    // Scan 4: another single-scan flap. Two "gone" answers, but not consecutive: still only suspected.
    f.api.update(130, |r| r.visibility = Visibility::Gone);
    let s = scan(&monitor).await;
    assert_eq!(s.removed, 0, "{s:?}");
    assert_eq!(
        f.store().load(130).unwrap().unwrap().status,
        Status::Suspected
    );
    // Gone for one more scan in a row: now it is a removal.
    let s = scan(&monitor).await;
    assert_eq!(s.removed, 1, "{s:?}");
}
