//! `keepopen demo` end to end, through the binary; and the local forge as a monitor source (the same removal
//! classification as for GitHub: a missing repository is gone only after `removal.confirmations` scans
//! `min-gap` apart; a renamed one keeps its id).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use keepopen::archive::Archive;
use keepopen::demo::commit_files;
use keepopen::monitor::{Monitor, MonitorConfig, Quiet, Shard, local};
use keepopen::record::{DecisionRecord, RecordStatus};
use keepopen::state::{Status, Store};

/// The table row of `repo` in the demo's output, split into its cells.
fn row<'a>(stdout: &'a str, repo: &str) -> Vec<&'a str> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&format!("{repo} ")))
        .unwrap_or_else(|| panic!("no row for {repo} in:\n{stdout}"));
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

fn head_file(repo: &Path, file: &str) -> Option<String> {
    let repo = git2::Repository::open_bare(repo).ok()?;
    let tree = repo.head().ok()?.peel_to_tree().ok()?;
    let blob = tree.get_path(Path::new(file)).ok()?.to_object(&repo).ok()?;
    Some(String::from_utf8_lossy(blob.as_blob()?.content()).into_owned())
}

/// The proposals on the demo's local control forge: (record path, labels, state, review logins), by number.
fn proposals(dir: &Path) -> Vec<serde_yaml::Value> {
    let pulls = dir.join("control/pulls");
    let mut out: Vec<(u64, serde_yaml::Value)> = std::fs::read_dir(&pulls)
        .unwrap_or_else(|e| panic!("{}: {e}", pulls.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let value: serde_yaml::Value =
                serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            (value["number"].as_u64().unwrap(), value)
        })
        .collect();
    out.sort_by_key(|(n, _)| *n);
    out.into_iter().map(|(_, v)| v).collect()
}

fn proposal_for<'a>(pulls: &'a [serde_yaml::Value], name: &str) -> Option<&'a serde_yaml::Value> {
    // Its own proposal, or the batch that holds its record.
    let record = format!("republications/nhs-demo/{name}.yaml");
    pulls.iter().find(|p| {
        p["branch"].as_str() == Some(&format!("keepopen/nhs-demo/{name}"))
            || !p["batch"][record.as_str()].is_null()
    })
}

/// How many repositories the proposals hold: a batch holds several.
fn proposed_repositories(pulls: &[serde_yaml::Value]) -> usize {
    pulls
        .iter()
        .map(|p| p["batch"].as_mapping().map_or(1, |m| m.len()))
        .sum()
}

/// The tip of every ref of a bare repository.
fn tips(repo: &Path) -> Vec<(String, git2::Oid)> {
    let repo = git2::Repository::open_bare(repo).unwrap();
    let mut out: Vec<(String, git2::Oid)> = repo
        .references()
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (r.name().unwrap().to_owned(), r.target().unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn demo_applies_approved_allowed_ones_reruns_idle_and_an_approved_leak_stays_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let output = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["demo", "--dir"])
        .arg(&dir)
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stdout.contains("not yet available"), "{stdout}");

    let published = dir.join("published");
    let pulls = proposals(&dir);
    let expected = [
        ("appointments-api", "MIT", "allowed", true),
        ("performance-grid", "MIT AND OGL-UK-3.0", "allowed", true),
        ("clinical-coder", "GPL-3.0-only", "allowed", true),
        ("waiting-times-data", "CC-BY-NC-4.0", "allowed", true),
        ("ward-dashboard", "none", "forbidden", false),
        ("referral-service", "MIT", "needs-review", false),
    ];
    for (name, license, verdict, republished) in expected {
        let cells = row(&stdout, &format!("nhs-demo/{name}"));
        assert_eq!(&cells[1..3], [license, verdict], "{name}: {cells:?}");
        let target = published.join(format!("nhs-demo--{name}.git"));
        let record_path = dir.join(format!("republications/nhs-demo/{name}.yaml"));
        if republished {
            assert_eq!(
                cells[3],
                format!("republished to {}", target.display()),
                "{name}"
            );
            let notice = head_file(&target, "PROVENANCE.md")
                .unwrap_or_else(|| panic!("{name}: no PROVENANCE.md at the target's HEAD"));
            assert!(
                notice.contains(&format!("nhs-demo/{name}")),
                "{name}: {notice}"
            );
            let repo = git2::Repository::open_bare(&target).unwrap();
            let head = repo.head().unwrap().peel_to_commit().unwrap();
            let last_seen = repo
                .find_reference("refs/tags/keepopen/last-seen")
                .unwrap()
                .peel_to_commit()
                .unwrap();
            assert_eq!(
                head.parent_id(0).unwrap(),
                last_seen.id(),
                "{name}: the notice commit sits on the original tip"
            );
            // Published through apply: the merged record says so, with the publication written back.
            let record = DecisionRecord::load(&record_path).unwrap();
            assert_eq!(record.status, RecordStatus::Published, "{name}");
            let publication = record.publication.expect("the publication is on record");
            assert_eq!(publication.notice_commit, head.id().to_string(), "{name}");
            assert_eq!(publication.approved_by, ["demo-maintainer"], "{name}");
            let pull = proposal_for(&pulls, name).expect("an allowed repository is proposed");
            assert_eq!(pull["state"].as_str(), Some("merged"), "{name}");
            assert_eq!(
                pull["number"].as_u64(),
                Some(publication.pull_request),
                "{name}"
            );
            assert_eq!(pull["labels"][0].as_str(), Some("republish:allowed"));
        } else {
            assert!(!target.exists(), "{name} must not be republished");
            assert!(!record_path.exists(), "{name}: no merged record");
        }
    }
    // The leaked key: proposed as needs-review, left open for a person, and the table says why.
    let leaked = proposal_for(&pulls, "referral-service").expect("needs-review is proposed");
    assert_eq!(leaked["state"].as_str(), Some("open"));
    assert!(
        leaked["reviews"].as_sequence().is_none_or(|r| r.is_empty()),
        "{leaked:?}"
    );
    assert!(
        leaked["record"]
            .as_str()
            .unwrap()
            .contains("kind: needs-review"),
        "{leaked:?}"
    );
    let cell = row(&stdout, "nhs-demo/referral-service")[3];
    assert!(
        cell.starts_with("awaiting a maintainer: ") && cell.contains("aws-access-token"),
        "{cell}"
    );
    // No licence: forbidden, no proposal at all.
    assert!(
        proposal_for(&pulls, "ward-dashboard").is_none(),
        "{pulls:?}"
    );
    assert_eq!(
        proposed_repositories(&pulls),
        5,
        "four allowed and one needs-review"
    );
    assert!(
        pulls.len() < 5,
        "the allowed ones with a clean history share a batch: {pulls:?}"
    );
    let cell = row(&stdout, "nhs-demo/ward-dashboard")[3];
    assert!(
        cell.starts_with("refused: ") && cell.contains("no licence"),
        "{cell}"
    );
    assert_eq!(
        row(&stdout, "nhs-demo/nhs-login-widget")[3],
        "still public: archived only"
    );
    // The steps, in the production order.
    let steps: Vec<&str> = stdout
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_once(". ").unwrap().1)
        .collect();
    let position = |p: &str| {
        steps
            .iter()
            .position(|s| s.starts_with(p))
            .unwrap_or_else(|| panic!("no step {p} in {steps:?}"))
    };
    assert!(position("check licences") < position("propose"));
    assert!(position("propose") < position("approve and merge"));
    assert!(position("approve and merge") < position("apply"));
    // Where the results are.
    for part in [
        "forge",
        "state",
        "archive",
        "published",
        "control",
        "republications",
        "site",
    ] {
        assert!(
            stdout.contains(&dir.join(part).display().to_string()),
            "{part}"
        );
        assert!(dir.join(part).exists(), "{part}");
    }
    let site = std::fs::read_to_string(dir.join("site/index.html")).unwrap();
    assert!(site.contains("nhs-demo/ward-dashboard"));
    // The page reads the merged decision records: who approved each publication, in which proposal.
    let site_row = |name: &str| {
        site.lines()
            .find(|l| l.contains(&format!("data-repo=\"nhs-demo/{name}\"")))
            .unwrap_or_else(|| panic!("no row for {name} in the site"))
            .to_owned()
    };
    assert!(
        site_row("appointments-api").contains("approved by @demo-maintainer in proposal #"),
        "{}",
        site_row("appointments-api")
    );
    // The leaked key's proposal is open, not merged: no record on the base branch yet.
    assert!(
        site_row("referral-service").contains("<td>not republished</td>"),
        "{}",
        site_row("referral-service")
    );
    assert!(!site_row("ward-dashboard").contains("proposed"));

    // `keepopen apply` on the demo's own policy, state and archive: everything is done already.
    let before: Vec<_> = expected
        .iter()
        .filter(|e| e.3)
        .map(|(name, ..)| tips(&published.join(format!("nhs-demo--{name}.git"))))
        .collect();
    let records_before =
        std::fs::read_to_string(dir.join("republications/nhs-demo/appointments-api.yaml")).unwrap();
    let rerun = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .arg("--policy")
        .arg(dir.join("policy.yaml"))
        .arg("--state")
        .arg(dir.join("state"))
        .arg("--archive")
        .arg(dir.join("archive"))
        .args(["--json", "apply"])
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_APP_INSTALLATION_TOKEN")
        .env_remove("KEEPOPEN_POLICY")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let rerun_out = String::from_utf8_lossy(&rerun.stdout);
    assert!(
        rerun.status.success(),
        "{rerun_out}\n{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let lines: serde_json::Value = serde_json::from_str(&rerun_out).unwrap();
    assert_eq!(lines, serde_json::json!([]), "a rerun applies nothing");
    let after: Vec<_> = expected
        .iter()
        .filter(|e| e.3)
        .map(|(name, ..)| tips(&published.join(format!("nhs-demo--{name}.git"))))
        .collect();
    assert_eq!(before, after, "the targets are untouched");
    assert_eq!(
        std::fs::read_to_string(dir.join("republications/nhs-demo/appointments-api.yaml")).unwrap(),
        records_before
    );
    assert!(!published.join("nhs-demo--referral-service.git").exists());

    // Following the printed commands for the leaked key: a maintainer's approval is not enough, apply's safety
    // gate still refuses it and names the finding.
    let number = leaked["number"].as_u64().unwrap().to_string();
    assert!(
        stdout.contains(&format!("review {number} --approve --as demo-maintainer")),
        "{stdout}"
    );
    let keepopen = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .arg("--policy")
            .arg(dir.join("policy.yaml"))
            .arg("--state")
            .arg(dir.join("state"))
            .arg("--archive")
            .arg(dir.join("archive"))
            .args(args)
            .env_remove("GITHUB_TOKEN")
            .env_remove("GITHUB_APP_INSTALLATION_TOKEN")
            .env_remove("KEEPOPEN_POLICY")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap()
    };
    for args in [
        &["review", &number, "--approve", "--as", "demo-maintainer"][..],
        &["merge", &number][..],
    ] {
        let out = keepopen(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let approved = keepopen(&["apply"]);
    let text = String::from_utf8_lossy(&approved.stdout);
    assert_eq!(approved.status.code(), Some(2), "{text}");
    assert!(
        text.contains("nhs-demo/referral-service") && text.contains("aws-access-token"),
        "{text}"
    );
    assert!(!published.join("nhs-demo--referral-service.git").exists());
    let record =
        DecisionRecord::load(&dir.join("republications/nhs-demo/referral-service.yaml")).unwrap();
    assert_eq!(record.status, RecordStatus::Proposed);
    assert!(record.publication.is_none());
}

#[test]
fn demo_refuses_a_directory_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep-me"), "x").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["demo", "--dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not empty"));
    assert!(tmp.path().join("keep-me").exists());
}

fn local_config(forge: &Path) -> MonitorConfig {
    let yaml = format!(
        "sources: {{forge: local, path: {:?}, orgs: [org]}}\nremoval: {{confirmations: 2, min-gap: 1h}}\narchive: {{wikis: false}}\n",
        forge.display().to_string()
    );
    keepopen::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")
        .unwrap()
        .monitor
}

#[tokio::test]
async fn local_forge_removal_needs_two_scans_a_gap_apart_and_a_rename_keeps_the_id() {
    let tmp = tempfile::tempdir().unwrap();
    let forge = tmp.path().join("forge");
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    for name in ["stays", "goes", "moves"] {
        commit_files(
            &forge.join(format!("org/{name}.git")),
            "main",
            &[("README.md", name.as_bytes())],
            "first",
            t0,
        )
        .unwrap();
    }
    let store = Store::open(tmp.path().join("state")).unwrap();
    let archive = Archive::open(tmp.path().join("archive"), 1).unwrap();
    let monitor = Monitor::new(
        local_config(&forge),
        store.clone(),
        archive,
        None,
        Shard::default(),
        1,
    )
    .unwrap();
    let first = monitor.scan(t0, Arc::new(Quiet)).await.unwrap();
    assert_eq!(
        (first.new, first.fetched, first.errors),
        (3, 3, 0),
        "{first:?}"
    );
    let id_of = |name: &str| store.find_by_full_name(name).unwrap().unwrap().id;
    let (goes, moves) = (id_of("org/goes"), id_of("org/moves"));
    assert!(
        store
            .load(goes)
            .unwrap()
            .unwrap()
            .mirror
            .unwrap()
            .tips
            .contains_key("refs/heads/main")
    );

    std::fs::remove_dir_all(forge.join("org/goes.git")).unwrap();
    std::fs::rename(forge.join("org/moves.git"), forge.join("org/moved.git")).unwrap();
    let second = monitor
        .scan(t0 + Duration::hours(2), Arc::new(Quiet))
        .await
        .unwrap();
    assert_eq!((second.suspected, second.removed), (1, 0), "{second:?}");
    assert_eq!(store.load(goes).unwrap().unwrap().status, Status::Suspected);
    let moved = store.load(moves).unwrap().unwrap();
    assert_eq!(moved.full_name, "org/moved");
    assert_eq!(moved.former_names, ["org/moves"]);

    // Too soon after the last counted scan: no confirmation.
    let third = monitor
        .scan(
            t0 + Duration::hours(2) + Duration::minutes(10),
            Arc::new(Quiet),
        )
        .await
        .unwrap();
    assert_eq!(third.removed, 0, "{third:?}");
    let fourth = monitor
        .scan(t0 + Duration::hours(4), Arc::new(Quiet))
        .await
        .unwrap();
    assert_eq!(fourth.removed, 1, "{fourth:?}");
    assert_eq!(store.load(goes).unwrap().unwrap().status, Status::Removed);

    // Made private: gone as well, through the same classification.
    local::set_config(&forge.join("org/stays.git"), local::PRIVATE_KEY, "true").unwrap();
    let stays = id_of("org/stays");
    let fifth = monitor
        .scan(t0 + Duration::hours(6), Arc::new(Quiet))
        .await
        .unwrap();
    assert_eq!(fifth.suspected, 1, "{fifth:?}");
    assert_eq!(
        store.load(stays).unwrap().unwrap().status,
        Status::Suspected
    );
}

#[test]
fn version_names_the_crate_the_spdx_licence_list_and_askalono() {
    let output = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lock = include_str!("../../Cargo.lock");
    let askalono = lock
        .split("name = \"askalono\"\nversion = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert_eq!(
        text.trim(),
        format!(
            "keepopen {} (SPDX licence list {}, askalono {askalono})",
            env!("CARGO_PKG_VERSION"),
            keepopen::license::store::LICENSE_LIST_VERSION
        )
    );
}
