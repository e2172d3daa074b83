//! Sensitive-content gate benchmark (run: `cargo bench --bench safety`). On one generated repository — a few
//! thousand commits of code and text, packed as a mirror is — it measures, in the same run:
//! - keepopen's history scan (`safety::scan_repository`: every blob once, gitleaks rules, NHS numbers, file
//!   names);
//! - `git log -p --all` over the same history, output thrown away: the baseline the issue names (git reads
//!   every commit and diffs it, which is what a diff-based scanner such as gitleaks' git mode starts from);
//! - `git cat-file --batch-all-objects --batch`: every object read once and printed, the I/O floor.
//!
//! Speed is MB of history per second, where "history" is the same figure for all three: the bytes of the
//! distinct blobs reachable from the refs (what the scan reports as `bytes_scanned`).
//!
//! Size: `KEEPOPEN_BENCH_COMMITS` (default 3000), `KEEPOPEN_BENCH_RUNS` (default 3; min, median and max are
//! printed).
//!
//! A real mirror instead: `KEEPOPEN_BENCH_MIRROR=/path/to/mirror.git cargo bench --bench safety` scans it
//! (every ref's history, no time limit) and times the floor on it in the same run, runs alternating.

// The shared test helpers are `pub` for each other, not for a public API.
#![allow(unreachable_pub)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use keepopen::safety::{ScanLimits, scan_repository};

/// A small deterministic generator (xorshift), so every run builds the same repository.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "patient",
    "record",
    "appointment",
    "service",
    "request",
    "response",
    "config",
    "token_count",
    "value",
    "result",
    "handler",
    "session",
    "clinic",
    "referral",
    "booking",
    "status",
    "error",
    "message",
    "index",
    "buffer",
    "timeout",
    "retry",
    "client",
    "server",
    "report",
    "summary",
    "update",
    "delete",
    "create",
];

fn code_line(rng: &mut Rng) -> String {
    let a = WORDS[rng.below(WORDS.len())];
    let b = WORDS[rng.below(WORDS.len())];
    let c = WORDS[rng.below(WORDS.len())];
    match rng.below(6) {
        0 => format!("    let {a}_{b} = {c}.get(\"{b}\").unwrap_or_default();\n"),
        1 => format!(
            "def {a}_{b}(self, {c}):\n        return self.{c}.{b}({})\n",
            rng.below(1000)
        ),
        2 => format!(
            "    // {a} the {b} before the {c} is sent ({}).\n",
            rng.below(100_000)
        ),
        3 => format!(
            "const {}_{} = {};\n",
            a.to_uppercase(),
            b.to_uppercase(),
            rng.below(1 << 20)
        ),
        4 => format!(
            "The {a} {b} is checked against the {c} every {} minutes.\n",
            rng.below(60)
        ),
        _ => format!("  {a}: {{ {b}: \"{c}\", limit: {} }},\n", rng.below(500)),
    }
}

fn file_text(rng: &mut Rng, lines: usize) -> String {
    (0..lines).map(|_| code_line(rng)).collect()
}

/// Write the repository with `git fast-import` (one pack, as a mirror holds), `commits` commits over a pool of
/// files, each commit changing a few of them. Returns nothing; the repository is at `dir`.
fn generate(dir: &Path, commits: usize) {
    let status = Command::new("git")
        .args(["init", "--bare", "--quiet", "--initial-branch=main"])
        .arg(dir)
        .status()
        .expect("git init");
    assert!(status.success());
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    let mut stream = std::io::BufWriter::new(child.stdin.take().expect("stdin"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let extensions = ["rs", "py", "md", "ts", "yaml", "txt"];
    let pool: Vec<String> = (0..400)
        .map(|i| {
            format!(
                "{}/{}/file{i}.{}",
                WORDS[i % WORDS.len()],
                WORDS[(i / 7) % WORDS.len()],
                extensions[i % extensions.len()]
            )
        })
        .collect();
    let mut contents: Vec<String> = (0..pool.len())
        .map(|_| {
            let n = 40 + rng.below(120);
            file_text(&mut rng, n)
        })
        .collect();
    for n in 0..commits {
        let mut changed = Vec::new();
        for _ in 0..3 {
            let i = rng.below(pool.len());
            // Append a few lines and rewrite one: files grow and change as code does.
            let lines = 2 + rng.below(6);
            let addition = file_text(&mut rng, lines);
            contents[i].push_str(&addition);
            changed.push(i);
        }
        // One planted secret and one patient list early in history, deleted later, so the scan has real work.
        let extra = match n {
            10 => Some((
                "deploy/settings.py".to_string(),
                format!(
                    "AWS_ACCESS_KEY_ID = '{}'\n",
                    ["AK", "IA", "Q7ZP3XKW2M5RT4VN"].concat()
                ),
            )),
            20 => Some((
                "data/patients.csv".to_string(),
                "id,nhs\n1,4010232137\n2,6069847393\n3,4857773457\n".to_string(),
            )),
            _ => None,
        };
        writeln!(stream, "commit refs/heads/main").unwrap();
        writeln!(
            stream,
            "committer Bench <bench@example.invalid> {} +0000",
            1_600_000_000 + n * 60
        )
        .unwrap();
        let message = format!("change {n}");
        writeln!(stream, "data {}\n{message}", message.len()).unwrap();
        if n == 0 {
            for (i, path) in pool.iter().enumerate() {
                writeln!(
                    stream,
                    "M 100644 inline {path}\ndata {}\n{}",
                    contents[i].len(),
                    contents[i]
                )
                .unwrap();
            }
        }
        for i in changed {
            writeln!(
                stream,
                "M 100644 inline {}\ndata {}\n{}",
                pool[i],
                contents[i].len(),
                contents[i]
            )
            .unwrap();
        }
        if let Some((path, text)) = extra {
            writeln!(
                stream,
                "M 100644 inline {path}\ndata {}\n{text}",
                text.len()
            )
            .unwrap();
        }
        if n == 30 {
            writeln!(stream, "D deploy/settings.py\nD data/patients.csv").unwrap();
        }
        writeln!(stream).unwrap();
    }
    drop(stream);
    let status = child.wait().expect("fast-import");
    assert!(status.success(), "git fast-import failed");
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// `min / median / max` in seconds.
fn spread(xs: &[Duration]) -> String {
    let mut v = xs.to_vec();
    v.sort();
    format!(
        "{:.2} / {:.2} / {:.2}s",
        v[0].as_secs_f64(),
        v[v.len() / 2].as_secs_f64(),
        v[v.len() - 1].as_secs_f64()
    )
}

/// Scan a real mirror and time the floor on it, alternating, `runs` times each.
fn bench_mirror(path: &Path, runs: usize) {
    let repo = git2::Repository::open(path).expect("open the mirror");
    keepopen::safety::RuleSet::gitleaks().expect("rules");
    let limits = ScanLimits {
        time_limit: Duration::from_secs(3600),
        ..ScanLimits::default()
    };
    let refs = vec!["refs/*".to_string()];
    let mut scans = Vec::new();
    let mut floors = Vec::new();
    let mut report = None;
    for _ in 0..runs {
        let started = Instant::now();
        report = Some(keepopen::safety::scan_repository(&repo, &refs, &limits).expect("scan"));
        scans.push(started.elapsed());
        floors.push(git_to_null(
            path,
            &["cat-file", "--batch-all-objects", "--batch"],
        ));
    }
    let report = report.expect("one run");
    let ratios: Vec<f64> = scans
        .iter()
        .zip(&floors)
        .map(|(s, f)| s.as_secs_f64() / f.as_secs_f64())
        .collect();
    println!(
        "mirror {}: {} commits, {} distinct blobs, {:.1} MB read; {} findings",
        path.display(),
        report.commits_scanned,
        report.blobs_scanned,
        report.bytes_scanned as f64 / 1e6,
        report.findings.len()
    );
    println!(
        "keepopen safety scan (min / median / max)   {}",
        spread(&scans)
    );
    println!(
        "git cat-file --batch-all-objects --batch    {}",
        spread(&floors)
    );
    println!("ratio per pair: {ratios:.2?}");
}

/// Run git with its output thrown away; the wall time.
fn git_to_null(dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?} failed");
    started.elapsed()
}

fn main() {
    // SAFETY: the first statement of `main`: one thread, no libgit2 call yet. The scans below then run with
    // the pack-window limits of the keepopen binary.
    unsafe { keepopen::safety::limit_pack_windows() }.expect("pack-window limits");
    // `cargo bench` passes `--bench`; nothing else is understood.
    let commits: usize = std::env::var("KEEPOPEN_BENCH_COMMITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let runs: usize = std::env::var("KEEPOPEN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    if let Ok(mirror) = std::env::var("KEEPOPEN_BENCH_MIRROR") {
        bench_mirror(Path::new(&mirror), runs);
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let repo_dir = dir.path().join("bench.git");
    let started = Instant::now();
    generate(&repo_dir, commits);
    println!(
        "generated {commits} commits with git fast-import in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let repo = git2::Repository::open_bare(&repo_dir).expect("open");
    // Load and compile the rules outside the timed runs (once per process in real use too).
    keepopen::safety::RuleSet::gitleaks().expect("rules");

    let limits = ScanLimits {
        time_limit: Duration::from_secs(3600),
        ..ScanLimits::default()
    };
    let mut scan_times = Vec::new();
    let mut report = None;
    for _ in 0..runs {
        let started = Instant::now();
        let r = scan_repository(&repo, &[], &limits).expect("scan");
        scan_times.push(started.elapsed());
        report = Some(r);
    }
    let report = report.expect("at least one run");
    assert!(!report.incomplete);
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(
        rules.contains(&"aws-access-token") && rules.contains(&"nhs-number"),
        "the planted findings are found: {rules:?}"
    );
    let history_mb = report.bytes_scanned as f64 / 1e6;

    let log_times: Vec<Duration> = (0..runs)
        .map(|_| git_to_null(&repo_dir, &["log", "-p", "--all", "--no-color"]))
        .collect();
    let cat_times: Vec<Duration> = (0..runs)
        .map(|_| git_to_null(&repo_dir, &["cat-file", "--batch-all-objects", "--batch"]))
        .collect();

    let line = |name: &str, t: Duration| {
        println!(
            "{name:<44} {:>8.3}s  {:>8.1} MB/s",
            t.as_secs_f64(),
            history_mb / t.as_secs_f64()
        );
    };
    println!(
        "history: {} commits, {} distinct blobs, {:.1} MB (median of {runs} runs each)",
        report.commits_scanned, report.blobs_scanned, history_mb
    );
    line(
        "keepopen safety::scan_repository",
        median(scan_times.clone()),
    );
    println!("  scan min / median / max: {}", spread(&scan_times));
    line("git log -p --all (baseline)", median(log_times));
    line(
        "git cat-file --batch-all-objects (I/O floor)",
        median(cat_times),
    );
    println!(
        "rules: {} gitleaks rules compiled, {} skipped; findings: {}",
        report.rules.loaded,
        report.rules.skipped.len(),
        report.findings.len()
    );
}
