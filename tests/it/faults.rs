//! The fault suite: the monitor under many seeded scans of injected faults (5xx, timeouts, dropped connections,
//! secondary rate limits, 404 flaps of the listing and of single repositories) must never confirm a removal that
//! did not happen nor lose an archived commit; a monitor scan or a republication killed after any number of
//! requests, then run again, must end where an unbroken run ends (state records, mirror refs, target refs).
//!
//! Real parts only: the GitHub-shaped API and git smart-HTTP servers on 127.0.0.1, real git mirrors, and a TCP
//! proxy here that drops connections.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use keepopen::archive::Archive;
use keepopen::monitor::{Monitor, MonitorConfig, Quiet, Shard};
use keepopen::state::{RemovalEvent, Status, Store};

use crate::support::git_fixture;
use crate::support::git_http::GitServer;
use crate::support::github_api::{FakeGitHub, FakeRepo, Fault, Visibility};

/// How long the seeded storm runs (the brief's budget for this test).
const STORM_BUDGET: Duration = Duration::from_secs(20);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A small deterministic generator (splitmix64), so that a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// A TCP proxy on 127.0.0.1 in front of `upstream` that, for a seeded share of connections, reads the request
/// and closes without answering (a dropped connection as a client sees it). Threads only; stops when dropped.
struct DroppingProxy {
    url: String,
    dropped: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    probability_per_mille: Arc<AtomicUsize>,
}

impl DroppingProxy {
    fn start(upstream: &str, seed: u64) -> DroppingProxy {
        let target = upstream.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let dropped = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let per_mille = Arc::new(AtomicUsize::new(0));
        let (d, s, p) = (dropped.clone(), stop.clone(), per_mille.clone());
        std::thread::spawn(move || {
            let rng = Mutex::new(Rng(seed));
            while !s.load(Ordering::SeqCst) {
                let client = match listener.accept() {
                    Ok((c, _)) => c,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                        continue;
                    }
                    Err(_) => break,
                };
                client.set_nonblocking(false).unwrap();
                let drop_it = rng
                    .lock()
                    .unwrap()
                    .chance(p.load(Ordering::SeqCst) as f64 / 1000.0);
                if drop_it {
                    d.fetch_add(1, Ordering::SeqCst);
                    std::thread::spawn(move || {
                        let mut client = client;
                        let _ = client.set_read_timeout(Some(Duration::from_millis(200)));
                        let mut buf = [0u8; 1024];
                        let _ = client.read(&mut buf);
                        let _ = client.shutdown(Shutdown::Both);
                    });
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                pipe(client, server);
            }
        });
        DroppingProxy {
            url,
            dropped,
            stop,
            probability_per_mille: per_mille,
        }
    }

    fn set_probability(&self, p: f64) {
        self.probability_per_mille
            .store((p * 1000.0) as usize, Ordering::SeqCst);
    }
}

impl Drop for DroppingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Copy both ways between two sockets until either side closes.
fn pipe(client: TcpStream, server: TcpStream) {
    let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let (mut s_read, mut c_write) = (server, client);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut c_read, &mut s_write);
        let _ = s_write.shutdown(Shutdown::Write);
    });
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut s_read, &mut c_write);
        let _ = c_write.flush();
        let _ = c_write.shutdown(Shutdown::Both);
    });
}

/// The watched organisation, its servers and keepopen's directories.
struct World {
    api: FakeGitHub,
    git: GitServer,
    dir: tempfile::TempDir,
}

impl World {
    async fn start() -> World {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("upstream")).unwrap();
        let api = FakeGitHub::start().await;
        let git = GitServer::start(&dir.path().join("upstream")).await;
        World { api, git, dir }
    }

    fn upstream(&self, name: &str) -> PathBuf {
        self.dir
            .path()
            .join("upstream/nhsfaults")
            .join(format!("{name}.git"))
    }

    /// A public repository of `nhsfaults` with one commit on `main`.
    fn repo(&self, id: u64, name: &str) -> git2::Repository {
        let repo = git_fixture::init_bare(&self.upstream(name));
        git_fixture::commit(
            &repo,
            "main",
            &[("README", &format!("{name}\n"))],
            true,
            "first",
        );
        self.api.add_repo(FakeRepo::new(
            id,
            "nhsfaults",
            name,
            &self.git.url_for(&format!("nhsfaults/{name}.git")),
        ));
        repo
    }

    fn store(&self) -> Store {
        Store::open(self.dir.path().join("state")).unwrap()
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn config(&self, api_url: &str, min_gap: &str, attempts: u32) -> MonitorConfig {
        let yaml = format!(
            "sources: {{orgs: [nhsfaults]}}\n\
             removal: {{confirmations: 2, min-gap: {min_gap}}}\n\
             github: {{api-url: '{api_url}', timeout: 300ms, attempts: {attempts}, backoff: 5ms, max-backoff: 20ms, secondary-wait: 20ms, max-rate-limit-wait: 3s}}\n"
        );
        keepopen::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")
            .unwrap()
            .monitor
    }

    fn monitor(&self, config: MonitorConfig) -> Monitor {
        Monitor::new(
            config,
            self.store(),
            Archive::open(self.archive(), 2).unwrap(),
            None,
            Shard::default(),
            2,
        )
        .unwrap()
    }
}

/// Every commit reachable from any ref of the bare repository at `path`.
fn reachable(path: &Path) -> BTreeSet<String> {
    let repo = git2::Repository::open_bare(path).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_glob("*").unwrap();
    walk.map(|id| id.unwrap().to_string()).collect()
}

#[test]
fn seeded_fault_storms_never_confirm_a_false_removal_nor_lose_an_archived_commit() {
    let rt = runtime();
    let w = rt.block_on(World::start());
    let proxy = DroppingProxy::start(&w.api.url, 0xD80F);
    let names: Vec<(u64, String)> = (1..=6u64).map(|i| (i, format!("svc{i}"))).collect();
    for (id, name) in &names {
        w.repo(*id, name);
    }
    w.repo(7, "lagging");
    w.repo(8, "doomed");
    // One attempt per request, so faults reach the classifier instead of being retried away.
    let monitor = {
        let _context = rt.enter();
        w.monitor(w.config(&proxy.url, "0s", 1))
    };
    let first = rt
        .block_on(monitor.scan(Utc::now(), Arc::new(Quiet)))
        .unwrap();
    assert_eq!(first.errors, 0, "{first:?}");
    // Probed every scan while public: a repository the listing misses.
    w.api.update(7, |r| r.unlisted = true);
    proxy.set_probability(0.4);

    let mut rng = Rng(0x5EED_FA17);
    let started = Instant::now();
    let mut scans = 0usize;
    let mut flaps = 0usize;
    let mut listing_404s = 0usize;
    let mut pushes = 0usize;
    let mut force_pushes = 0usize;
    let mut archived: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    let mut last_flapped: Option<u64> = None;
    let doomed_at = 5;
    while started.elapsed() < STORM_BUDGET || scans < doomed_at + 3 {
        scans += 1;
        w.api.random_faults(
            0xFA17_0000 + scans as u64,
            0.25,
            vec![
                Fault::Status(500),
                Fault::Status(502),
                Fault::Status(503),
                Fault::Delay(Duration::from_millis(450)),
                Fault::SecondaryLimit { retry_after: 0 },
            ],
        );
        if scans == doomed_at {
            w.api.update(8, |r| r.visibility = Visibility::Gone);
        }
        // A 404 flap of one repository: gone for this scan only, never two scans running.
        let previous = last_flapped.take();
        if let Some(id) = previous {
            w.api.update(id, |r| r.visibility = Visibility::Public);
        }
        if rng.chance(0.3) {
            // Never the repository that flapped last scan: two 404 scans running are a real removal.
            let mut id = 1 + rng.below(6);
            if previous == Some(id) {
                id = id % 6 + 1;
            }
            w.api.update(id, |r| r.visibility = Visibility::Gone);
            last_flapped = Some(id);
            flaps += 1;
        }
        // A 404 flap of the whole listing.
        if rng.chance(0.15) {
            w.api.script("/orgs/nhsfaults/repos", [Fault::Status(404)]);
            listing_404s += 1;
        }
        // Upstream work: a push, sometimes a force push (the mirror must keep the old tip).
        if rng.chance(0.3) {
            let (id, name) = &names[rng.below(6) as usize];
            let upstream = git2::Repository::open_bare(w.upstream(name)).unwrap();
            let force = rng.chance(0.3);
            git_fixture::commit(
                &upstream,
                "main",
                &[("README", &format!("{name} scan {scans}\n"))],
                !force,
                "more",
            );
            let id = *id;
            w.api.update(id, |r| {
                r.pushed_at = format!("2024-03-01T00:{:02}:{:02}Z", scans / 60 % 60, scans % 60)
            });
            pushes += 1;
            force_pushes += usize::from(force);
        }
        let summary = rt
            .block_on(monitor.scan(Utc::now(), Arc::new(Quiet)))
            .unwrap();
        for record in w.store().list().unwrap() {
            if record.id == 8 {
                continue;
            }
            assert!(
                !matches!(record.status, Status::Removed | Status::LegalBlock),
                "scan {scans}: {} is {:?} ({:?}); summary {summary:?}",
                record.full_name,
                record.status,
                record.last_probe
            );
            // Zero lost mirrors: every tip ever archived is still reachable in the mirror.
            if let Some(mirror) = &record.mirror
                && mirror.fetched_at.is_some()
            {
                let path = w.archive().join(&mirror.path);
                let present = reachable(&path);
                let seen = archived.entry(record.id).or_default();
                seen.extend(mirror.tips.values().cloned());
                for tip in seen.iter() {
                    assert!(
                        present.contains(tip),
                        "scan {scans}: {} lost {tip}",
                        record.full_name
                    );
                }
            }
        }
    }
    let injected = w
        .api
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    let dropped = proxy.dropped.load(Ordering::SeqCst);
    let events: Vec<(u64, RemovalEvent)> = w
        .store()
        .removals()
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.event))
        .collect();
    eprintln!(
        "fault storm: {scans} scans, {} API requests, {injected} injected faults, {dropped} dropped connections, \
         {flaps} repository 404 flaps, {listing_404s} listing 404s, {pushes} upstream pushes ({force_pushes} forced), \
         removal events {events:?}",
        w.api.requests().len()
    );
    assert!(injected >= scans / 2, "faults were injected ({injected})");
    assert!(dropped > 0, "connections were dropped");
    assert!(flaps > 0 && listing_404s > 0);
    assert_eq!(
        events,
        vec![(8, RemovalEvent::Removed)],
        "only the real removal"
    );
    // With the faults gone, every mirror catches up with its upstream.
    w.api.clear_faults();
    proxy.set_probability(0.0);
    if let Some(id) = last_flapped {
        w.api.update(id, |r| r.visibility = Visibility::Public);
    }
    let last = rt
        .block_on(monitor.scan(Utc::now(), Arc::new(Quiet)))
        .unwrap();
    assert_eq!(last.errors, 0, "{last:?}");
    for (id, name) in &names {
        let upstream = git2::Repository::open_bare(w.upstream(name)).unwrap();
        let record = w.store().load(*id).unwrap().unwrap();
        assert_eq!(
            record.mirror.unwrap().tips["refs/heads/main"],
            git_fixture::tip(&upstream, "main").to_string(),
            "{name} caught up"
        );
    }
    drop(monitor);
    drop(proxy);
    drop(w);
}

/// What a run must converge to: per record the status, suspicion count, confirmation time, mirror tips and
/// mirror refs (preserved refs with their time stamp folded), plus the removal log.
fn monitor_outcome(w: &World) -> String {
    let mut out = String::new();
    for record in w.store().list().unwrap() {
        out.push_str(&format!(
            "{} {} {:?} suspicion={} confirmed={:?}\n",
            record.id,
            record.full_name,
            record.status,
            record.suspicion.count,
            record.removal_confirmed_at
        ));
        if let Some(mirror) = &record.mirror {
            out.push_str(&format!("  tips {:?}\n", mirror.tips));
            let path = w.archive().join(&mirror.path);
            if path.exists() {
                let refs: BTreeSet<String> = git_fixture::refs(&path)
                    .into_iter()
                    .map(|(name, id)| format!("{} {id}", fold_stamp(&name)))
                    .collect();
                out.push_str(&format!("  refs {refs:?}\n"));
            }
        }
    }
    for e in w.store().removals().unwrap() {
        out.push_str(&format!("removal {} {:?}\n", e.id, e.event));
    }
    out
}

/// `refs/keepopen/overwritten/<stamp>/…` → `refs/keepopen/overwritten/*/…`.
fn fold_stamp(name: &str) -> String {
    let prefix = "refs/keepopen/overwritten/";
    match name.strip_prefix(prefix).and_then(|r| r.split_once('/')) {
        Some((_, rest)) => format!("{prefix}*/{rest}"),
        None => name.to_owned(),
    }
}

fn t(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).unwrap()
}

/// The kill scenario: three repositories archived at hour 0; then one gets a push, one a force push, one
/// disappears; scans at hours 2 and 4 (min-gap 1h) see it through to a confirmed removal.
struct KillScenario {
    w: World,
    // Last: the servers' tasks are dropped before their runtime.
    _rt: tokio::runtime::Runtime,
}

impl KillScenario {
    fn new() -> KillScenario {
        let rt = runtime();
        let w = rt.block_on(World::start());
        w.repo(1, "alpha");
        let beta = w.repo(2, "beta");
        git_fixture::commit(&beta, "feature", &[("F", "f\n")], false, "feature");
        w.repo(3, "gamma");
        let s = KillScenario { w, _rt: rt };
        s.scan_at(t(0), None);
        let alpha = git2::Repository::open_bare(s.w.upstream("alpha")).unwrap();
        git_fixture::commit(&alpha, "main", &[("README", "alpha 2\n")], true, "second");
        s.w.api
            .update(1, |r| r.pushed_at = "2024-05-01T00:00:00Z".into());
        let beta = git2::Repository::open_bare(s.w.upstream("beta")).unwrap();
        git_fixture::commit(
            &beta,
            "main",
            &[("README", "rewritten\n")],
            false,
            "rewrite",
        );
        git_fixture::delete_branch(&beta, "feature");
        s.w.api
            .update(2, |r| r.pushed_at = "2024-05-02T00:00:00Z".into());
        s.w.api.update(3, |r| r.visibility = Visibility::Gone);
        s
    }

    /// Requests both servers have answered so far.
    fn requests(&self) -> usize {
        self.w.api.requests().len() + self.w.git.requests().len()
    }

    /// Scan at `now` on a runtime of its own; with `kill_after`, the runtime is dropped as soon as that many more
    /// requests were answered (pending work is cancelled at its next await). Returns whether it was killed.
    fn scan_at(&self, now: DateTime<Utc>, kill_after: Option<usize>) -> bool {
        let scan_rt = runtime();
        let monitor = {
            let _context = scan_rt.enter();
            self.w.monitor(self.w.config(&self.w.api.url, "1h", 3))
        };
        let start = self.requests();
        let killed = scan_rt.block_on(async {
            let watch = async {
                match kill_after {
                    Some(n) => {
                        while self.requests() < start + n {
                            tokio::time::sleep(Duration::from_micros(200)).await;
                        }
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                r = monitor.scan(now, Arc::new(Quiet)) => { r.unwrap(); false }
                _ = watch => true,
            }
        });
        drop(monitor);
        drop(scan_rt);
        killed
    }
}

#[test]
fn a_monitor_scan_killed_after_any_number_of_requests_converges_on_rerun() {
    // The unbroken run, and how many requests its scans take.
    let unbroken = KillScenario::new();
    let before = unbroken.requests();
    unbroken.scan_at(t(2), None);
    let steps = unbroken.requests() - before;
    unbroken.scan_at(t(4), None);
    let expected = monitor_outcome(&unbroken.w);
    assert!(expected.contains("Removed"), "{expected}");
    drop(unbroken);

    let mut killed_runs = 0;
    for n in 1..steps {
        let s = KillScenario::new();
        if s.scan_at(t(2), Some(n)) {
            killed_runs += 1;
        }
        s.scan_at(t(2), None);
        s.scan_at(t(4), None);
        let got = monitor_outcome(&s.w);
        assert_eq!(got, expected, "killed after {n} of {steps} requests");
    }
    eprintln!(
        "monitor kill-and-rerun: {} kill points, {killed_runs} runs killed mid-scan",
        steps - 1
    );
    assert!(killed_runs > 0);
}

/// Where a GitHub republication must end: the target's refs, the API's view of the repository, and the
/// publication recorded in state (the clone URL's port aside).
fn republish_outcome(
    setup: &crate::republish::Setup,
    gh: &crate::republish::GitHubTarget,
) -> String {
    let refs = crate::republish::refs(&gh.repo_dir());
    let repo = gh
        .api
        .repo(&format!("nhs-community/{}", "nhsuk--frontend"))
        .expect("the target exists");
    let record = setup.store().load(crate::republish::ID).unwrap().unwrap();
    let publications: Vec<String> = record
        .publications
        .iter()
        .map(|p| {
            format!(
                "{} {} {:?} notice={} last-seen={} verdict={}",
                p.forge, p.name, p.pushed, p.notice_commit, p.last_seen_commit, p.verdict
            )
        })
        .collect();
    format!(
        "refs {refs:?}\ndescription {:?}\nhomepage {:?}\ntopics {:?}\nactions {}\npublications {publications:?}\n",
        repo.description, repo.homepage, repo.topics, repo.actions_enabled
    )
}

/// Republish to the GitHub target on a runtime of its own, killed after `kill_after` more requests (API and git
/// together) when given. Returns whether it was killed, and the run's result otherwise.
fn republish_run(
    setup: &crate::republish::Setup,
    gh: &crate::republish::GitHubTarget,
    kill_after: Option<usize>,
) -> (bool, Option<anyhow::Result<keepopen::publish::Publication>>) {
    let requests = || gh.api.requests().len() + gh.git.requests().len();
    let config = keepopen::publish::TargetConfig {
        chunk_commits: 2,
        ..gh.config()
    };
    let request = setup.request(
        config,
        keepopen::policy::Policy::default(),
        keepopen::publish::Overrides::default(),
    );
    let run_rt = runtime();
    let start = requests();
    let store = setup.store();
    let outcome = run_rt.block_on(async {
        let watch = async {
            match kill_after {
                Some(n) => {
                    while requests() < start + n {
                        tokio::time::sleep(Duration::from_micros(200)).await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            r = keepopen::publish::republish(&store, request, crate::republish::static_token(crate::republish::TOKEN)) => (false, Some(r)),
            _ = watch => (true, None),
        }
    });
    drop(run_rt);
    outcome
}

#[test]
fn a_republication_killed_after_any_number_of_requests_converges_on_rerun() {
    use crate::republish::{GitHubTarget, MIT, Setup, TOKEN};
    let rt = runtime();
    let setup = Setup::new(Some(MIT), 5);
    let gh = rt.block_on(GitHubTarget::start(TOKEN));
    let (_, result) = republish_run(&setup, &gh, None);
    let publication = result.unwrap().unwrap();
    assert!(publication.pushes > 1, "chunked: {publication:?}");
    let steps = gh.api.requests().len() + gh.git.requests().len();
    let expected = republish_outcome(&setup, &gh);
    drop(gh);
    drop(setup);

    let mut killed_runs = 0;
    for n in 1..steps {
        let setup = Setup::new(Some(MIT), 5);
        let gh = rt.block_on(GitHubTarget::start(TOKEN));
        let (killed, result) = republish_run(&setup, &gh, Some(n));
        if killed {
            killed_runs += 1;
        } else {
            // Finished (or failed) before the n-th request: the rerun must still converge.
            let _ = result;
        }
        let (_, rerun) = republish_run(&setup, &gh, None);
        let rerun = rerun.unwrap();
        assert!(
            rerun.is_ok(),
            "after a kill at {n}: {:#}",
            rerun.unwrap_err()
        );
        assert_eq!(
            republish_outcome(&setup, &gh),
            expected,
            "killed after {n} of {steps} requests"
        );
        // A third run has nothing left to do.
        let (_, again) = republish_run(&setup, &gh, None);
        assert_eq!(
            again.unwrap().unwrap().outcome,
            keepopen::publish::Outcome::AlreadyPublished,
            "killed after {n}"
        );
    }
    eprintln!(
        "republish kill-and-rerun: {} kill points, {killed_runs} runs killed mid-way",
        steps - 1
    );
    assert!(killed_runs > 0);
}
