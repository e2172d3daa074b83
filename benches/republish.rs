//! Republish benchmark (run: `cargo bench --bench republish`; `KEEPOPEN_BENCH_COMMITS` changes the size).
//!
//! A generated repository of ~50,000 commits (built with `git fast-import`) is republished by
//! `publish::republish` — the licence check, the large-file scan, the notice commit and the push of every head
//! and tag — and, in the same run and the same rounds, pushed with `git push --mirror` (the baseline: what a shell
//! script would do, without any of the checks). Two pairs, each timed end to end, three rounds, medians:
//! - GitHub: keepopen to the GitHub forge (a GitHub-shaped API on 127.0.0.1, the token by basic auth) against
//!   `git push --mirror` to the same smart-HTTP server (`git http-backend` behind a loopback HTTP server, as the
//!   tests use), both into fresh repositories;
//! - local: keepopen to a fresh local forge against `git push --mirror` to a fresh bare repository on disk.
//!
//! Each keepopen figure is taken twice: *cold*, from a fresh state (the history scan runs inside the
//! republication), and *after propose*, from a state whose scan cache holds the scan `propose` made of the same
//! tips (as `apply` finds it in production: the proposal that was approved scanned exactly what is pushed). The
//! propose-side scan itself is timed and printed, not counted. The ratios are printed (target ≤ 1.2).

// The shared test helpers are `pub` for each other, not for a public API.
#![allow(unreachable_pub)]

#[allow(dead_code)]
#[path = "../tests/it/support/git_http.rs"]
mod git_http;
#[allow(dead_code)]
#[path = "../tests/it/support/github_api.rs"]
mod github_api;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use keepopen::github::Token;
use keepopen::policy::{ForgeKind, Policy};
use keepopen::publish::{
    self, Outcome, Overrides, Request, StaticToken, TargetConfig, TokenSource,
};
use keepopen::state::{MirrorRecord, RepoRecord, Status, Store};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// A bare repository with `commits` commits on `main` (each changes one of 200 files), 20 branches and
/// 50 tags along the way.
fn generate(dir: &Path, commits: usize) {
    git(
        dir.parent().unwrap(),
        &["init", "-q", "--bare", "-b", "main", dir.to_str().unwrap()],
    );
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    let mut input = std::io::BufWriter::new(child.stdin.take().unwrap());
    let license = include_str!("../tests/corpus/001-govuk-design-system-mit.txt");
    for i in 1..=commits {
        let time = 1_600_000_000 + i as i64 * 60;
        writeln!(input, "commit refs/heads/main\nmark :{i}").unwrap();
        writeln!(input, "author Dev <dev@example.org> {time} +0000").unwrap();
        writeln!(input, "committer Dev <dev@example.org> {time} +0000").unwrap();
        let message = format!("change {i}\n");
        writeln!(input, "data {}\n{message}", message.len()).unwrap();
        if i > 1 {
            writeln!(input, "from :{}", i - 1).unwrap();
        } else {
            writeln!(
                input,
                "M 100644 inline LICENSE\ndata {}\n{license}",
                license.len()
            )
            .unwrap();
        }
        let body = format!(
            "// file {} revision {i}\nfn f{i}() -> u64 {{ {i} }}\n{}\n",
            i % 200,
            "// padding line to make the blob a realistic size\n".repeat(20)
        );
        writeln!(
            input,
            "M 100644 inline src/m{:03}/file{}.rs\ndata {}\n{body}",
            i % 20,
            i % 200,
            body.len()
        )
        .unwrap();
        if i % (commits / 20).max(1) == 0 {
            writeln!(input, "reset refs/heads/branch-{i}\nfrom :{i}\n").unwrap();
        }
        if i % (commits / 50).max(1) == 0 {
            writeln!(input, "reset refs/tags/v{i}\nfrom :{i}\n").unwrap();
        }
    }
    drop(input);
    assert!(child.wait().unwrap().success(), "fast-import failed");
    // A mirror as the archive holds it: packed, HEAD on main.
    git(dir, &["repack", "-adq"]);
}

/// The token the loopback git server and API demand.
const TOKEN: &str = "ghs_benchTOKEN0123456789";

fn main() {
    let commits: usize = std::env::var("KEEPOPEN_BENCH_COMMITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    let mirror = archive.join("1-big.git");
    let start = Instant::now();
    generate(&mirror, commits);
    eprintln!(
        "generated {commits} commits in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let root = work.path().join("http");
    std::fs::create_dir_all(&root).unwrap();
    let (server, api) = runtime.block_on(async {
        let server = git_http::GitServer::start_with(
            &root,
            git_http::GitServerOptions {
                token: Some(TOKEN.into()),
                allow_push: true,
            },
        )
        .await;
        let api = github_api::FakeGitHub::start().await;
        (server, api)
    });
    api.require_token(Some(TOKEN));
    api.accept_writes(&root, &server.url);
    let tokens: Arc<dyn TokenSource> = Arc::new(StaticToken(Token::new(TOKEN)));
    let basic = format!(
        "http.extraHeader=Authorization: Basic {}",
        git_http::base64(format!("x-access-token:{TOKEN}").as_bytes())
    );

    let mut ours = Vec::new();
    let mut baseline = Vec::new();
    let mut preparing = Vec::new();
    let mut github = Vec::new();
    let mut github_warm = Vec::new();
    let mut proposing = Vec::new();
    let mut preparing_warm = Vec::new();
    let mut ours_warm = Vec::new();
    let mut http_baseline = Vec::new();
    for round in 0..3 {
        // GitHub baseline: git push --mirror over smart HTTP to a fresh repository of the same server.
        let target = root.join(format!("baseline/big-{round}.git"));
        std::fs::create_dir_all(&target).unwrap();
        git(&target, &["init", "-q", "--bare"]);
        let url = server.url_for(&format!("baseline/big-{round}.git"));
        let t = Instant::now();
        git(&mirror, &["-c", &basic, "push", "-q", "--mirror", &url]);
        http_baseline.push(t.elapsed());

        // keepopen to the GitHub forge: created through the API, Actions off, pushed over the same server; cold,
        // then after propose.
        for warm in [false, true] {
            let tag = format!("github-{round}-{}", if warm { "warm" } else { "cold" });
            let (store, local) = request(work.path(), &mirror, &tag);
            if warm {
                let t = Instant::now();
                propose_scan(&store, &mirror);
                proposing.push(t.elapsed());
            }
            let to_github = Request {
                target: TargetConfig {
                    forge: ForgeKind::Github,
                    organisation: Some(format!("community-{tag}")),
                    api_url: api.url.clone(),
                    write_interval: "0s".into(),
                    ..local.target
                },
                ..local
            };
            let t = Instant::now();
            let publication = runtime
                .block_on(publish::republish(&store, to_github, Some(tokens.clone())))
                .unwrap();
            if warm {
                github_warm.push(t.elapsed());
            } else {
                github.push(t.elapsed());
            }
            assert_eq!(publication.outcome, Outcome::Published);
            assert!(publication.target_url.starts_with("http://127.0.0.1"));
        }

        // Local baseline: git push --mirror to a fresh bare repository.
        let target = work.path().join(format!("baseline-{round}.git"));
        git(
            work.path(),
            &["init", "-q", "--bare", target.to_str().unwrap()],
        );
        let t = Instant::now();
        git(
            &mirror,
            &["push", "-q", "--mirror", target.to_str().unwrap()],
        );
        baseline.push(t.elapsed());

        // keepopen: republish to a fresh local forge (state and forge fresh each round). The plan alone (licence
        // check, scans, notice commit) is timed too, cold and after propose, each in a state of its own.
        let (store, request_cold) = request(work.path(), &mirror, &format!("plan-{round}"));
        let t = Instant::now();
        drop(
            runtime
                .block_on(publish::prepare(&store, &request_cold))
                .unwrap(),
        );
        preparing.push(t.elapsed());
        propose_scan(&store, &mirror);
        let t = Instant::now();
        drop(
            runtime
                .block_on(publish::prepare(&store, &request_cold))
                .unwrap(),
        );
        preparing_warm.push(t.elapsed());
        let (store, request_cold) = request(work.path(), &mirror, &round.to_string());
        let t = Instant::now();
        let publication = runtime
            .block_on(publish::republish(&store, request_cold, None))
            .unwrap();
        ours.push(t.elapsed());
        assert_eq!(publication.outcome, Outcome::Published);
        let (store, request_warm) = request(work.path(), &mirror, &format!("{round}-warm"));
        propose_scan(&store, &mirror);
        let t = Instant::now();
        let publication = runtime
            .block_on(publish::republish(&store, request_warm, None))
            .unwrap();
        ours_warm.push(t.elapsed());
        assert_eq!(publication.outcome, Outcome::Published);
    }
    // The local forge's push path (taken when the mirror holds history of its own under refs/pull or
    // refs/keepopen, so its object files cannot be linked): `git push` of the heads and tags. One round.
    let tree = git_output(&mirror, &["rev-parse", "main^{tree}"]);
    let pull = git_output(
        &mirror,
        &["commit-tree", &tree, "-p", "main", "-m", "pull request"],
    );
    git(&mirror, &["update-ref", "refs/pull/1/head", &pull]);
    let (store, request) = request(work.path(), &mirror, "push");
    let t = Instant::now();
    let publication = runtime
        .block_on(publish::republish(&store, request, None))
        .unwrap();
    let pushed = t.elapsed();
    assert_eq!(publication.outcome, Outcome::Published);
    drop((server, api));

    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let all = |v: &[Duration]| {
        v.iter()
            .map(|d| format!("{:.2}", d.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    println!(
        "rounds (s): github cold {} | github after propose {} | http baseline {} | local cold {} | local after propose {} | local baseline {} | propose's scan {}",
        all(&github),
        all(&github_warm),
        all(&http_baseline),
        all(&ours),
        all(&ours_warm),
        all(&baseline),
        all(&proposing),
    );
    let (github, github_warm, http_baseline) =
        (median(github), median(github_warm), median(http_baseline));
    let (ours, ours_warm, baseline) = (median(ours), median(ours_warm), median(baseline));
    let (preparing, preparing_warm, proposing) =
        (median(preparing), median(preparing_warm), median(proposing));
    let line = |what: &str, d: Duration, base: Duration, note: &str| {
        println!(
            "  {what:<44} {:>7.2} s   ratio {:.2}{note}",
            d.as_secs_f64(),
            d.as_secs_f64() / base.as_secs_f64()
        );
    };
    println!("republish of {commits} commits (median of 3):");
    line(
        "keepopen, GitHub forge, after propose",
        github_warm,
        http_baseline,
        " (target <= 1.2)",
    );
    line("keepopen, GitHub forge, cold", github, http_baseline, "");
    line(
        "  of which the push (less the cold plan)",
        github.saturating_sub(preparing),
        http_baseline,
        "",
    );
    line(
        "git push --mirror over smart HTTP",
        http_baseline,
        http_baseline,
        "",
    );
    line(
        "keepopen, local forge, after propose",
        ours_warm,
        baseline,
        " (target <= 1.2)",
    );
    line("keepopen, local forge, cold", ours, baseline, "");
    println!(
        "    the plan, cold / after propose              {:>7.2} s / {:.2} s   (licence check, scans, notice commit)",
        preparing.as_secs_f64(),
        preparing_warm.as_secs_f64()
    );
    println!(
        "    propose's scan (not counted above)          {:>7.2} s",
        proposing.as_secs_f64()
    );
    line("git push --mirror to a local path", baseline, baseline, "");
    line(
        "keepopen, local forge, push path (one round)",
        pushed,
        baseline,
        "",
    );
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The scan `propose` makes of the mirror (the republication verdict, its history scan kept in `store`'s
/// cache).
fn propose_scan(store: &Store, mirror: &Path) {
    let evaluation = keepopen::check::evaluate(
        mirror,
        "nhsuk/big",
        &keepopen::license::detect::Detector::embedded(),
        &Policy::default(),
        &keepopen::safety::SafetyConfig::default(),
        Some(&keepopen::check::ScanCache::in_state(store.root())),
    )
    .unwrap();
    assert!(evaluation.safety.findings.is_empty());
}

/// A fresh state holding the generated repository's record, and the request to republish it to `forge-<tag>`.
fn request(work: &Path, mirror: &Path, tag: &str) -> (Store, Request) {
    let store = Store::open(work.join(format!("state-{tag}"))).unwrap();
    let seen = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut record = RepoRecord::new(1, "nhsuk/big", seen);
    record.html_url = "https://github.com/nhsuk/big".into();
    record.default_branch = Some("main".into());
    record.status = Status::Removed;
    record.removal_confirmed_at = Some(seen);
    record.mirror = Some(MirrorRecord {
        path: "1-big.git".into(),
        fetched_at: Some(seen),
        ..MirrorRecord::default()
    });
    store.save(&record).unwrap();
    let request = Request {
        record,
        mirror: mirror.to_owned(),
        policy: Arc::new(Policy::default()),
        target: TargetConfig {
            path: work.join(format!("forge-{tag}")).display().to_string(),
            chunk_commits: 0,
            ..TargetConfig::default()
        },
        overrides: Overrides::default(),
        now: Utc::now(),
        evaluation: None,
    };
    (store, request)
}
