//! Licence engine benchmark (run: `cargo bench --bench license`). Each figure is printed beside a baseline
//! measured in the same run:
//! - store load: decoding the embedded cache vs building the store from `licenses/text` (what a tool without
//!   the cache does on every start);
//! - ms per licence text: keepopen's detection (scan + guards) vs askalono's plain `analyze` on the same text;
//! - `check` over 1,000 generated bare mirrors vs a baseline that only opens each mirror and reads its tree
//!   (the I/O floor) and vs askalono's default scan on each mirror's LICENSE without keepopen's cache; and
//!   `check`'s republication verdict (licence and history scan) on the same mirrors, scan cache cold and warm;
//! - the labelled corpus (60 real files, each in its own mirror at its original path): the release binary's
//!   `keepopen check <dir> --json`, whole process, cold state and warm, beside askalono's plain scan of the same
//!   60 texts (store load included, as its command line pays it), with how often each agrees with the labels.

// The shared test helpers are `pub` for each other, not for a public API.
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use askalono::{ScanStrategy, Store, TextData};
use keepopen::license::detect::Detector;
use keepopen::license::{Candidate, Discovery, SourceKind};
use keepopen::policy::Policy;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn licence(id: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/licenses/text/{id}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The corpus labels: (file, path in its repository, expected ids without NOASSERTION, redistribution).
fn corpus_cases() -> Vec<(String, String, Vec<String>, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let labels: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(format!("{dir}/labels.yaml")).unwrap())
            .unwrap();
    labels["cases"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|case| {
            let ids = case["expected"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .filter(|id| id != "NOASSERTION" && id != "LicenseRef-proprietary")
                .collect();
            (
                case["file"].as_str().unwrap().to_string(),
                case["source"]["path"].as_str().unwrap().to_string(),
                ids,
                case["redistribution"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One bare mirror per corpus file under `root`, the file at its original path; the mirror's path by file.
fn corpus_mirrors(
    root: &Path,
    cases: &[(String, String, Vec<String>, String)],
) -> Vec<(String, PathBuf)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let sig = git2::Signature::now("bench", "bench@example.org").unwrap();
    cases
        .iter()
        .map(|(file, path, ..)| {
            let mirror = root.join(format!("{}.git", &file[..3]));
            let repo = git2::Repository::init_bare(&mirror).unwrap();
            let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
            let blob = repo.blob(&bytes).unwrap();
            let empty = repo
                .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
                .unwrap();
            let tree = git2::build::TreeUpdateBuilder::new()
                .upsert(path.as_str(), blob, git2::FileMode::Blob)
                .create_updated(&repo, &empty)
                .unwrap();
            let tree = repo.find_tree(tree).unwrap();
            repo.commit(Some("refs/heads/main"), &sig, &sig, "corpus", &tree, &[])
                .unwrap();
            repo.set_head("refs/heads/main").unwrap();
            (file.clone(), mirror)
        })
        .collect()
}

/// `keepopen check <dir> --json` as a child process; its JSON array.
fn run_check(dir: &Path, state: &Path) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .env_remove("KEEPOPEN_POLICY")
        .env_remove("RUST_LOG")
        .arg("--json")
        .arg("--policy")
        .arg(dir.join("absent-policy.yaml"))
        .arg("--state")
        .arg(state)
        .arg("check")
        .arg("--default-policy")
        .arg(dir)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "keepopen check --json: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// askalono's top match for one file, at its threshold: the licence name and score.
type TopMatch = Option<(String, f32)>;

fn corpus_bench() {
    let cases = corpus_cases();
    let root = tempfile::tempdir().unwrap();
    let mirrors = corpus_mirrors(root.path(), &cases);
    // keepopen, whole process: a fresh state directory each run (no detection or scan cache), then one state
    // kept across runs (warm: the same blobs and tips).
    let cold: Vec<Duration> = (0..5)
        .map(|_| {
            let state = tempfile::tempdir().unwrap();
            time(|| run_check(root.path(), state.path())).0
        })
        .collect();
    let warm_state = tempfile::tempdir().unwrap();
    let _ = run_check(root.path(), warm_state.path());
    let warm: Vec<Duration> = (0..5)
        .map(|_| time(|| run_check(root.path(), warm_state.path())).0)
        .collect();
    let results = run_check(root.path(), tempfile::tempdir().unwrap().path());
    // askalono's plain scan: load the store (from the same embedded cache keepopen ships), read each mirror's
    // file from git, one default `ScanStrategy` scan each; its top match at askalono's own threshold (0.8).
    let askalono = |cases: &[(String, String, Vec<String>, String)]| {
        let store = keepopen::license::store::load().unwrap();
        let strategy = ScanStrategy::new(&store);
        let mut top: Vec<TopMatch> = Vec::new();
        for ((_, path, ..), (_, mirror)) in cases.iter().zip(&mirrors) {
            let repo = git2::Repository::open_bare(mirror).unwrap();
            let tree = repo.head().unwrap().peel_to_tree().unwrap();
            let blob = tree
                .get_path(Path::new(path))
                .unwrap()
                .to_object(&repo)
                .unwrap()
                .peel_to_blob()
                .unwrap();
            let text = String::from_utf8_lossy(blob.content()).to_string();
            let result = strategy.scan(&TextData::new(&text)).unwrap();
            top.push(
                result
                    .license
                    .filter(|_| result.score >= 0.8)
                    .map(|l| (l.name.to_string(), result.score)),
            );
        }
        top
    };
    let plain: Vec<(Duration, Vec<TopMatch>)> = (0..5).map(|_| time(|| askalono(&cases))).collect();
    let plain_times: Vec<Duration> = plain.iter().map(|(d, _)| *d).collect();
    let tops = &plain[0].1;

    // Agreement with the labels, the same rule for both: the ids, and allow/block (allowed or
    // allowed-with-conditions versus anything else). askalono "allows" what it names at its threshold when the
    // default policy allows that licence.
    let policy = Policy::default();
    let allowed_label = |r: &str| r == "allowed" || r == "allowed-with-conditions";
    let (mut k_ids, mut k_right, mut k_danger) = (0, 0, 0);
    let (mut a_ids, mut a_right, mut a_danger) = (0, 0, 0);
    for (i, (file, _, expected, redistribution)) in cases.iter().enumerate() {
        let expected: std::collections::BTreeSet<&str> =
            expected.iter().map(String::as_str).collect();
        let result = results
            .iter()
            .find(|r| {
                r["repo"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(&format!("{}.git", &file[..3])))
            })
            .unwrap();
        let got: std::collections::BTreeSet<&str> = result["licenses"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let allowed = result["verdict"] == "allowed";
        k_ids += usize::from(got == expected);
        k_right += usize::from(allowed == allowed_label(redistribution));
        k_danger += usize::from(allowed && !allowed_label(redistribution));
        let top: std::collections::BTreeSet<&str> =
            tops[i].iter().map(|(id, _)| id.as_str()).collect();
        let a_allowed = tops[i].as_ref().is_some_and(|(id, _)| {
            policy
                .class_of(id)
                .is_some_and(|class| policy.action_for(class) == keepopen::policy::Action::Allow)
        });
        a_ids += usize::from(top == expected);
        a_right += usize::from(a_allowed == allowed_label(redistribution));
        a_danger += usize::from(a_allowed && !allowed_label(redistribution));
    }
    let n = cases.len();
    let range = |xs: &[Duration]| {
        format!(
            "min {:.0}, max {:.0}",
            xs.iter().min().unwrap().as_secs_f64() * 1e3,
            xs.iter().max().unwrap().as_secs_f64() * 1e3
        )
    };
    println!(
        "
corpus, {n} labelled files, each in its own mirror (5 runs each):"
    );
    println!(
        "  keepopen check <dir> --json, whole process, cold state: {:>7.0} ms ({}); warm: {:.0} ms ({})",
        median(cold.clone()).as_secs_f64() * 1e3,
        range(&cold),
        median(warm.clone()).as_secs_f64() * 1e3,
        range(&warm)
    );
    println!(
        "  baseline: askalono store load + plain scan of the same {n} texts: {:>7.0} ms ({})",
        median(plain_times.clone()).as_secs_f64() * 1e3,
        range(&plain_times)
    );
    println!(
        "  ids as labelled: keepopen {k_ids}/{n}, askalono top match {a_ids}/{n}; allow/block as labelled: keepopen {k_right}/{n} ({k_danger} dangerous allows), askalono {a_right}/{n} ({a_danger} dangerous)"
    );
}

fn build_store_from_texts() -> Store {
    let mut store = Store::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/licenses/text")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        store.add_license(
            path.file_stem().unwrap().to_string_lossy().to_string(),
            TextData::new(&text),
        );
    }
    store
}

fn generate_mirrors(root: &Path, n: usize) -> Vec<PathBuf> {
    let mit = licence("MIT");
    let texts = [
        ("LICENSE", mit.clone()),
        (
            "LICENCE.md",
            format!(
                "# MIT Licence\n\n{mit}\n\n# Open Government Licence\n\n{}",
                licence("OGL-UK-3.0")
            ),
        ),
        ("LICENSE", licence("Apache-2.0")),
        ("COPYING", licence("GPL-3.0-only")),
        ("LICENCE", licence("OGL-UK-3.0")),
        ("LICENSE", licence("CC-BY-NC-4.0")),
        (
            "README.md",
            "# tool\n\n## Licence\n\nReleased under the MIT Licence.\n".to_string(),
        ),
        ("README.md", "# closed\n\nNothing here.\n".to_string()),
    ];
    let sig = git2::Signature::now("bench", "bench@example.org").unwrap();
    (0..n)
        .map(|i| {
            let path = root.join(format!("org{}--repo{i}.git", i % 10));
            let repo = git2::Repository::init_bare(&path).unwrap();
            let (name, text) = &texts[i % texts.len()];
            let text = text.replace(
                "<year> <copyright holders>",
                &format!("{} Holder number {i}", 2000 + i % 25),
            );
            let mut tb = repo.treebuilder(None).unwrap();
            tb.insert(name, repo.blob(text.as_bytes()).unwrap(), 0o100644)
                .unwrap();
            let code = format!("// SPDX-License-Identifier: MIT\nfn f{i}() {{}}\n");
            tb.insert("main.rs", repo.blob(code.as_bytes()).unwrap(), 0o100644)
                .unwrap();
            let tree = repo.find_tree(tb.write().unwrap()).unwrap();
            repo.commit(Some("refs/heads/main"), &sig, &sig, "init", &tree, &[])
                .unwrap();
            repo.set_head("refs/heads/main").unwrap();
            path
        })
        .collect()
}

fn main() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("machine: {cores} cores; each figure is the median of the runs shown\n");
    // `cargo bench --bench license -- corpus`: the corpus figures alone.
    if std::env::args().skip(1).any(|a| a == "corpus") {
        corpus_bench();
        return;
    }

    // Store load.
    let loads: Vec<Duration> = (0..5)
        .map(|_| time(|| keepopen::license::store::load().unwrap()).0)
        .collect();
    let (build, _) = time(build_store_from_texts);
    println!(
        "store load (embedded cache): {:>8.1} ms   (5 runs, min {:.1}, max {:.1})",
        median(loads.clone()).as_secs_f64() * 1e3,
        loads.iter().min().unwrap().as_secs_f64() * 1e3,
        loads.iter().max().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "  baseline: build from licenses/text {:>8.1} ms (1 run)\n",
        build.as_secs_f64() * 1e3
    );

    // Per text.
    let store: &'static Store = keepopen::license::store::store();
    let nhs = format!(
        "# MIT Licence\n\n{}\n\n# Open Government Licence\n\n{}",
        licence("MIT"),
        licence("OGL-UK-3.0")
    );
    let samples = [
        ("MIT", licence("MIT")),
        ("Apache-2.0", licence("Apache-2.0")),
        ("GPL-3.0", licence("GPL-3.0-only")),
        ("NHS MIT+OGL", nhs),
    ];
    println!(
        "{:<14} {:>12} {:>16} {:>22}",
        "text", "keepopen ms", "askalono analyze", "askalono scan(optimize)"
    );
    for (name, text) in &samples {
        let keepopen: Vec<Duration> = (0..5)
            .map(|_| {
                let detector = Detector::new(store); // fresh: no cache hit
                let d = Discovery {
                    commit: None,
                    branch: None,
                    candidates: vec![Candidate {
                        path: "LICENSE".into(),
                        kind: SourceKind::LicenseFile,
                        text: text.clone(),
                        first_line: 1,
                        sha256: String::new(),
                        truncated: false,
                        closing_section: false,
                    }],
                    skipped: vec![],
                    layout: None,
                    ..Discovery::default()
                };
                time(|| detector.detect(&d)).0
            })
            .collect();
        let analyze: Vec<Duration> = (0..5)
            .map(|_| time(|| store.analyze(&TextData::new(text))).0)
            .collect();
        let scan: Vec<Duration> = (0..5)
            .map(|_| {
                time(|| {
                    ScanStrategy::new(store)
                        .optimize(true)
                        .scan(&TextData::new(text))
                        .unwrap()
                        .score
                })
                .0
            })
            .collect();
        println!(
            "{:<14} {:>12.1} {:>16.1} {:>22.1}",
            name,
            median(keepopen).as_secs_f64() * 1e3,
            median(analyze).as_secs_f64() * 1e3,
            median(scan).as_secs_f64() * 1e3
        );
    }

    // check over 1,000 generated mirrors.
    let dir = tempfile::tempdir().unwrap();
    let (gen_time, mirrors) = time(|| generate_mirrors(dir.path(), 1000));
    println!(
        "\ngenerated 1,000 bare mirrors in {:.1} s",
        gen_time.as_secs_f64()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let policy = Arc::new(Policy::default());
    let (check_time, results) = time(|| {
        rt.block_on(keepopen::check::check_all(
            mirrors.clone(),
            policy,
            cores,
            |_| {},
        ))
    });
    let failed = results
        .iter()
        .filter(|r| r.verdict.error().is_some())
        .count();
    // The republication verdict (`check` without --licence-only): licence and history scan; cold cache, then
    // warm (the same tips, as a second run over unchanged mirrors finds them).
    let safety = Arc::new(keepopen::safety::SafetyConfig::default());
    let cache = Arc::new(keepopen::check::ScanCache::in_memory());
    let republication = |policy: Arc<Policy>| {
        time(|| {
            rt.block_on(keepopen::check::check_all_with(
                mirrors.clone(),
                policy,
                Some((safety.clone(), cache.clone())),
                cores,
                |_| {},
            ))
        })
        .0
    };
    let cold = republication(Arc::new(Policy::default()));
    let warm = republication(Arc::new(Policy::default()));
    let (io_floor, _) = time(|| {
        for m in &mirrors {
            let repo = git2::Repository::open_bare(m).unwrap();
            let tree = repo.head().unwrap().peel_to_tree().unwrap();
            for entry in tree.iter() {
                let _ = entry.to_object(&repo).unwrap();
            }
        }
    });
    let (naive, _) = time(|| {
        for m in &mirrors {
            let repo = git2::Repository::open_bare(m).unwrap();
            let tree = repo.head().unwrap().peel_to_tree().unwrap();
            for entry in tree.iter() {
                let name = entry.name().unwrap_or("").to_lowercase();
                if name.starts_with("licen") || name.starts_with("copying") {
                    let blob = entry.to_object(&repo).unwrap().peel_to_blob().unwrap();
                    let text = String::from_utf8_lossy(blob.content()).to_string();
                    let _ = ScanStrategy::new(store)
                        .scan(&TextData::new(&text))
                        .unwrap()
                        .score;
                }
            }
        }
    });
    println!(
        "check, 1,000 mirrors:        {:>8.2} s ({failed} failed, {} jobs)",
        check_time.as_secs_f64(),
        cores
    );
    println!(
        "check, 1,000 mirrors, licence and history scan: {:>8.2} s cold scan cache, {:>8.2} s warm",
        cold.as_secs_f64(),
        warm.as_secs_f64()
    );
    println!(
        "  baseline: open + read tree {:>8.2} s (one thread, I/O floor)",
        io_floor.as_secs_f64()
    );
    println!(
        "  baseline: askalono default scan per LICENSE, no cache {:>8.2} s (askalono parallel inside)",
        naive.as_secs_f64()
    );

    corpus_bench();
}
