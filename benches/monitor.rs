//! Monitor benchmark (run: `cargo bench --bench monitor`). Against the GitHub-shaped API of the integration tests
//! and a git smart-HTTP server (`git http-backend`), both on 127.0.0.1, with N tiny but real bare repositories
//! (default 5,000, one commit each) listed in 10 organisations, it runs the real `keepopen monitor` binary as a
//! child process and measures, in one run:
//!
//! - the cold scan (every repository new: listing, licence question, first fetch), for scale;
//! - per unchanged scan: API requests (target: one per listing page, ⌈N/100⌉, every one a 304), git fetch
//!   attempts (target 0), wall time, and the child's peak RSS (`ru_maxrss` from `wait4`; target ≤ 200 MB);
//! - the baseline: a plain `git fetch` (git CLI) of every mirror the scan keeps, from the same server, as many at
//!   a time as the scan's `--jobs`; target: unchanged scan ≤ 0.1× the baseline.
//!
//! Unchanged scans and baseline loops alternate, `KEEPOPEN_BENCH_REPEATS` times (default 3), and each figure is
//! printed as min / median / max. `KEEPOPEN_BENCH_REPOS` and `KEEPOPEN_BENCH_JOBS` change N and `--jobs`. The
//! run exits 1 if a target is missed. Figures and how to read them: docs/monitor-bench.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use keepopen::state::Store;

#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/support/git_fixture.rs"]
mod git_fixture;
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/support/git_http.rs"]
mod git_http;
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/support/github_api.rs"]
mod github_api;

use git_http::GitServer;
use github_api::{FakeGitHub, FakeLicense, FakeRepo};

const ORGS: usize = 10;
/// 200 MB (10^6 bytes) in KiB, as `ru_maxrss` counts.
const RSS_TARGET_KIB: u64 = 200_000_000 / 1024;

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

/// One run of `keepopen monitor` as a child process.
struct ScanRun {
    wall: Duration,
    max_rss_kib: u64,
    summary: serde_json::Value,
    api_requests: usize,
    api_not_modified: usize,
    fetch_attempts: usize,
}

impl ScanRun {
    fn count(&self, key: &str) -> u64 {
        self.summary[key].as_u64().unwrap_or(u64::MAX)
    }
}

struct Bench {
    dir: tempfile::TempDir,
    api: FakeGitHub,
    git: GitServer,
    jobs: usize,
}

impl Bench {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Run `keepopen monitor --json` and reap it with `wait4`, which reports its peak resident set.
    #[allow(clippy::zombie_processes)] // reaped by `wait_with_rusage`, not `Child::wait`
    fn scan(&self) -> ScanRun {
        self.api.clear_requests();
        let fetches_before = self.git.fetch_attempts();
        let stdout_path = self.path("scan.stdout");
        let stderr_path = self.path("scan.stderr");
        let start = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .arg("--policy")
            .arg(self.path("policy.yaml"))
            .arg("--state")
            .arg(self.path("state"))
            .arg("--archive")
            .arg(self.path("archive"))
            .args(["--json", "monitor", "--jobs", &self.jobs.to_string()])
            .env_remove("GITHUB_TOKEN")
            .env_remove("GITHUB_APP_INSTALLATION_TOKEN")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path).unwrap())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .expect("start keepopen");
        let (code, max_rss_kib) = wait_with_rusage(child.id());
        let wall = start.elapsed();
        let stdout = std::fs::read_to_string(&stdout_path).unwrap();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap();
        assert_eq!(
            code,
            Some(0),
            "keepopen monitor failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        let summary: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("summary is not JSON ({e}):\n{stdout}"));
        let requests = self.api.requests();
        ScanRun {
            wall,
            max_rss_kib,
            summary,
            api_requests: requests.len(),
            api_not_modified: requests.iter().filter(|r| r.status == 304).count(),
            fetch_attempts: self.git.fetch_attempts() - fetches_before,
        }
    }

    /// The baseline: `git fetch` of every mirror's heads and tags from its upstream, `jobs` at a time.
    fn fetch_loop(&self, mirrors: &[(PathBuf, String)]) -> (Duration, usize) {
        let fetches_before = self.git.fetch_attempts();
        let next = AtomicUsize::new(0);
        let start = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..self.jobs {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((mirror, url)) = mirrors.get(i) else {
                            break;
                        };
                        let out = Command::new("git")
                            .arg("--git-dir")
                            .arg(mirror)
                            .args(["fetch", "--quiet", "--no-write-fetch-head", url])
                            .args(["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"])
                            .env("GIT_TERMINAL_PROMPT", "0")
                            .stdin(Stdio::null())
                            .output()
                            .expect("run git");
                        assert!(
                            out.status.success(),
                            "git fetch {url} into {}: {}",
                            mirror.display(),
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                });
            }
        });
        (start.elapsed(), self.git.fetch_attempts() - fetches_before)
    }
}

/// Reap child `pid`; its exit code and peak RSS in KiB (Linux `ru_maxrss`).
fn wait_with_rusage(pid: u32) -> (Option<i32>, u64) {
    let pid = pid as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; wait4 fills it and `status` for our own child `pid`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss.max(0) as u64)
}

/// `du -sk`: what a directory takes on disk, in KiB.
fn disk_usage_kib(dir: &Path) -> u64 {
    let out = Command::new("du")
        .arg("-sk")
        .arg(dir)
        .output()
        .expect("run du");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .and_then(|k| k.parse().ok())
        .expect("du -sk prints KiB first")
}

/// `/proc/loadavg`'s 1, 5 and 15 minute figures: how busy the machine was (other work skews every timing).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn min_median_max<T: Ord + Copy>(mut xs: Vec<T>) -> (T, T, T) {
    xs.sort();
    (xs[0], xs[xs.len() / 2], xs[xs.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// N upstream repositories, round-robin over the organisations, each a bare repository with one commit, served
/// by `git` and listed by `api`. Returns the repositories per organisation.
fn populate(root: &Path, api: &FakeGitHub, git: &GitServer, n: usize) -> Vec<usize> {
    let mut per_org = vec![0; ORGS];
    for i in 0..n {
        let org = format!("bench-org-{:02}", i % ORGS);
        let name = format!("service-{i:05}");
        let mut options = git2::RepositoryInitOptions::new();
        options
            .bare(true)
            .mkpath(true)
            .initial_head("main")
            .external_template(false);
        let repo =
            git2::Repository::init_opts(root.join(&org).join(format!("{name}.git")), &options)
                .unwrap();
        git_fixture::commit(
            &repo,
            "main",
            &[("README.md", &format!("# {org}/{name}\n"))],
            true,
            "first",
        );
        let mut fake = FakeRepo::new(
            10_000_000 + i as u64,
            &org,
            &name,
            &git.url_for(&format!("{org}/{name}.git")),
        );
        fake.license = (i % 3 != 0).then(FakeLicense::mit);
        api.add_repo(fake);
        per_org[i % ORGS] += 1;
    }
    per_org
}

fn main() {
    let n = env_number("KEEPOPEN_BENCH_REPOS", 5_000);
    let repeats = env_number("KEEPOPEN_BENCH_REPEATS", 3).max(1);
    let jobs = env_number("KEEPOPEN_BENCH_JOBS", 4).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("upstream")).unwrap();
    let (api, git) = runtime.block_on(async {
        (
            FakeGitHub::start().await,
            GitServer::start(&dir.path().join("upstream")).await,
        )
    });
    // The cold scan asks N licences plus the listing pages; the fake starts at GitHub's 5,000 an hour.
    api.set_rate_limit_remaining(10 * n as u64 + 10_000);
    let bench = Bench {
        dir,
        api,
        git,
        jobs,
    };

    let cpus = std::thread::available_parallelism().map_or(0, |p| p.get());
    println!(
        "keepopen monitor benchmark: {n} repositories in {ORGS} organisations, --jobs {jobs}, {repeats} repeats, {cpus} CPUs, load average {}",
        load_average()
    );
    let (setup, per_org) = {
        let start = Instant::now();
        let per_org = populate(&bench.path("upstream"), &bench.api, &bench.git, n);
        (start.elapsed(), per_org)
    };
    println!("setup: {n} upstream repositories built in {}", ms(setup));
    let pages: usize = per_org.iter().map(|c| c.div_ceil(100).max(1)).sum();

    let policy = format!(
        "{}\nsources:\n  orgs: [{}]\nremoval: {{confirmations: 2, min-gap: 0s}}\ngithub: {{api-url: '{}', timeout: 30s}}\n",
        include_str!("../policy.yaml"),
        (0..ORGS)
            .map(|k| format!("bench-org-{k:02}"))
            .collect::<Vec<_>>()
            .join(", "),
        bench.api.url
    );
    std::fs::write(bench.path("policy.yaml"), policy).unwrap();

    let cold = bench.scan();
    println!(
        "cold scan: {} wall, peak RSS {}, {} API requests, {} fetch attempts; summary: new {}, fetched {}, errors {}",
        ms(cold.wall),
        mib(cold.max_rss_kib),
        cold.api_requests,
        cold.fetch_attempts,
        cold.count("new"),
        cold.count("fetched"),
        cold.count("errors"),
    );
    assert_eq!(
        (
            cold.count("new"),
            cold.count("fetched"),
            cold.count("errors")
        ),
        (n as u64, n as u64, 0),
        "the cold scan must mirror every repository: {}",
        cold.summary
    );

    let mirrors: Vec<(PathBuf, String)> = Store::open(bench.path("state"))
        .unwrap()
        .list()
        .unwrap()
        .into_iter()
        .map(|r| {
            let mirror = r
                .mirror
                .expect("every record has a mirror after the cold scan");
            (bench.path("archive").join(mirror.path), r.clone_url)
        })
        .collect();
    assert_eq!(mirrors.len(), n);

    println!(
        "archive after the cold scan: {} on disk for {n} mirrors",
        mib(disk_usage_kib(&bench.path("archive")))
    );

    let mut scans = Vec::new();
    let mut loops = Vec::new();
    for round in 1..=repeats {
        let scan = bench.scan();
        let (wall, fetches) = bench.fetch_loop(&mirrors);
        println!(
            "round {round}: unchanged scan {} ({} API requests, {} answered 304, {} fetch attempts, peak RSS {}); git fetch loop {} ({fetches} fetch attempts)",
            ms(scan.wall),
            scan.api_requests,
            scan.api_not_modified,
            scan.fetch_attempts,
            mib(scan.max_rss_kib),
            ms(wall),
        );
        assert_eq!(fetches, n, "the baseline fetches every mirror once");
        scans.push(scan);
        loops.push(wall);
    }

    let (scan_min, scan_median, scan_max) = min_median_max(scans.iter().map(|s| s.wall).collect());
    let (loop_min, loop_median, loop_max) = min_median_max(loops.clone());
    let (rss_min, rss_median, rss_max) =
        min_median_max(scans.iter().map(|s| s.max_rss_kib).collect());
    let requests_max = scans.iter().map(|s| s.api_requests).max().unwrap();
    let all_304 = scans.iter().all(|s| {
        s.api_not_modified == s.api_requests && s.count("api-not-modified") == s.api_requests as u64
    });
    let fetches_max = scans.iter().map(|s| s.fetch_attempts).max().unwrap();
    let fetched_max = scans.iter().map(|s| s.count("fetched")).max().unwrap();
    let ratio_median = scan_median.as_secs_f64() / loop_median.as_secs_f64();
    let ratio_worst = scan_max.as_secs_f64() / loop_min.as_secs_f64();

    println!();
    println!("| figure (unchanged scan, {n} repos) | target | min | median | max |");
    println!("|---|---|---|---|---|");
    println!(
        "| API requests | ⌈N/100⌉ = {pages}, all 304 | {} | {} | {requests_max} |",
        scans.iter().map(|s| s.api_requests).min().unwrap(),
        min_median_max(scans.iter().map(|s| s.api_requests).collect()).1,
    );
    println!(
        "| git fetch attempts (server log) | 0 | {} | {} | {fetches_max} |",
        scans.iter().map(|s| s.fetch_attempts).min().unwrap(),
        min_median_max(scans.iter().map(|s| s.fetch_attempts).collect()).1,
    );
    println!(
        "| wall time, `keepopen monitor` | ≤ 0.1× baseline | {} | {} | {} |",
        ms(scan_min),
        ms(scan_median),
        ms(scan_max)
    );
    println!(
        "| wall time, baseline `git fetch` loop ({jobs} at a time) | | {} | {} | {} |",
        ms(loop_min),
        ms(loop_median),
        ms(loop_max)
    );
    println!(
        "| scan / baseline | ≤ 0.1 | | {ratio_median:.4} (medians) | {ratio_worst:.4} (slowest scan / fastest loop) |"
    );
    println!(
        "| peak RSS, `keepopen monitor` | ≤ 200 MB | {} | {} | {} |",
        mib(rss_min),
        mib(rss_median),
        mib(rss_max)
    );
    println!();

    let checks = [
        (
            format!("API requests per unchanged scan = {pages}"),
            scans.iter().all(|s| s.api_requests == pages),
        ),
        ("every API request answered 304".to_owned(), all_304),
        (
            "zero git fetches per unchanged scan".to_owned(),
            fetches_max == 0 && fetched_max == 0,
        ),
        (
            "unchanged scan ≤ 0.1× the fetch loop (slowest scan vs fastest loop)".to_owned(),
            ratio_worst <= 0.1,
        ),
        ("peak RSS ≤ 200 MB".to_owned(), rss_max <= RSS_TARGET_KIB),
    ];
    println!("load average at the end: {}", load_average());
    let mut missed = 0;
    for (what, ok) in &checks {
        println!("{} {what}", if *ok { "met:   " } else { "MISSED:" });
        missed += usize::from(!ok);
    }
    drop(bench);
    drop(runtime);
    if missed > 0 {
        std::process::exit(1);
    }
}
