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

#[test]
fn demo_table_gives_each_repository_what_it_deserves_and_republishes_with_the_notice() {
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

    let published = dir.join("published");
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
        } else {
            assert!(cells[3].starts_with("refused: "), "{name}: {cells:?}");
            assert!(!target.exists(), "{name} must not be republished");
        }
    }
    assert!(
        row(&stdout, "nhs-demo/referral-service")[3].contains("aws-access-token"),
        "{stdout}"
    );
    assert!(
        row(&stdout, "nhs-demo/ward-dashboard")[3].contains("no licence"),
        "{stdout}"
    );
    assert_eq!(
        row(&stdout, "nhs-demo/nhs-login-widget")[3],
        "still public: archived only"
    );
    // The proposal steps have their place between the scan and republication.
    let steps: Vec<&str> = stdout
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_once(". ").unwrap().1)
        .collect();
    let position = |p: &str| steps.iter().position(|s| s.starts_with(p)).unwrap();
    assert!(
        position("scan for") < position("propose") && position("apply") < position("republish")
    );
    // Where the results are.
    for part in ["forge", "state", "archive", "published", "site"] {
        assert!(
            stdout.contains(&dir.join(part).display().to_string()),
            "{part}"
        );
        assert!(dir.join(part).exists(), "{part}");
    }
    let site = std::fs::read_to_string(dir.join("site/index.html")).unwrap();
    assert!(site.contains("nhs-demo/ward-dashboard"));
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
    MonitorConfig::from_sections(&serde_yaml::from_str(&yaml).unwrap()).unwrap()
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
