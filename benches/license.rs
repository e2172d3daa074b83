//! Licence engine benchmark (run: `cargo bench --bench license`). Each figure is printed beside a baseline
//! measured in the same run:
//! - store load: decoding the embedded cache vs building the store from `licenses/text` (what a tool without
//!   the cache does on every start);
//! - ms per licence text: keepopen's detection (scan + guards) vs askalono's plain `analyze` on the same text;
//! - `check` over 1,000 generated bare mirrors vs a baseline that only opens each mirror and reads its tree
//!   (the I/O floor) and vs askalono's default scan on each mirror's LICENSE without keepopen's cache; and
//!   `check`'s republication verdict (licence and history scan) on the same mirrors, scan cache cold and warm.

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
                    }],
                    skipped: vec![],
                    layout: None,
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
    let failed = results.iter().filter(|r| r.error.is_some()).count();
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
}
