//! Two writers at once: every command that writes the state directory holds its lock, so two `monitor` runs
//! started together on one state directory run one after the other, and the state is exactly what one run
//! writes (a second run over an unchanged organisation changes no record). Without the lock they raced: mirrors
//! cloned twice into one place, records written from stale reads, public repositories recorded as removed.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::monitor_cli::{Run, World};
use crate::support::git_http::GitServerOptions;

const REPOS: u64 = 12;
const ROUNDS: usize = 20;
/// A run that takes longer than this is stuck.
const BOUND: Duration = Duration::from_secs(120);

fn finish(mut child: Child, started: Instant) -> Run {
    loop {
        if child.try_wait().unwrap().is_some() {
            return Run::of(child.wait_with_output().unwrap());
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            panic!("a monitor run took more than {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The state a single run over `REPOS` public repositories leaves: one record each, all present, no removal
/// logged, no temporary file.
fn assert_one_runs_state(state: &Path, archive: &Path, round: usize) {
    let mut records = 0;
    for entry in std::fs::read_dir(state.join("repos")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.ends_with(".json") && !name.starts_with('.'),
            "round {round}: stray file {name}"
        );
        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            record["status"], "present",
            "round {round}: {name} recorded as {}",
            record["status"]
        );
        records += 1;
    }
    assert_eq!(records, REPOS, "round {round}: records");
    let removals = std::fs::read_to_string(state.join("removals.jsonl")).unwrap_or_default();
    assert!(
        removals.is_empty(),
        "round {round}: removals logged: {removals}"
    );
    let mirrors = std::fs::read_dir(archive)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".git")
        })
        .count();
    assert_eq!(mirrors as u64, REPOS, "round {round}: mirrors");
}

#[test]
fn two_monitor_runs_at_once_leave_the_state_one_run_leaves_every_time() {
    let w = World::start(GitServerOptions::default());
    for id in 0..REPOS {
        w.repo(500 + id, "nhsuk", &format!("repo{id}"));
    }
    w.write_policy("nhsuk");
    let (state, archive) = (w.path("state"), w.path("archive"));
    let mut waited = 0;
    for round in 0..ROUNDS {
        let _ = std::fs::remove_dir_all(&state);
        let _ = std::fs::remove_dir_all(&archive);
        let started = Instant::now();
        let spawn = || {
            w.keepopen(&["monitor"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (finish(a, started), finish(b, started));
        for run in [&a, &b] {
            assert_eq!(
                run.code,
                Some(0),
                "round {round}:\nstdout:\n{}\nstderr:\n{}",
                run.stdout,
                run.stderr
            );
        }
        waited += [&a, &b]
            .iter()
            .filter(|r| r.stderr.contains("is in use by another keepopen"))
            .count();
        assert_one_runs_state(&state, &archive, round);
    }
    // The runs did overlap: each round, one waited for the other (a lost race to start is possible, not usual).
    assert!(waited > 0, "no run ever waited for the lock");
}

#[test]
fn a_second_writer_that_may_not_wait_stops_and_names_the_holder() {
    let w = World::start(GitServerOptions::default());
    w.repo(601, "nhsuk", "alpha");
    w.write_policy("nhsuk");
    std::fs::create_dir_all(w.path("state")).unwrap();
    let holder = keepopen::state::Store::open(w.path("state")).unwrap();
    let run = Run::of(
        w.keepopen(&["monitor"])
            .env("KEEPOPEN_LOCK_WAIT", "0s")
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "is in use by another keepopen (pid {}",
            std::process::id()
        )),
        "{}",
        run.stderr
    );
    assert!(!w.path("archive").join("601-alpha.git").exists());
    drop(holder);
    let run = Run::of(w.keepopen(&["monitor"]).output().unwrap());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
