//! `keepopen check` gives the republication verdict — licence and history scan, as `propose` decides — and
//! `--licence-only` the licence alone, labelled as such. Every secret here is made up and assembled at run time.

use std::process::Command;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::scan::private_key;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn keepopen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    c.env_remove("KEEPOPEN_POLICY")
        .env_remove("KEEPOPEN_STATE")
        .env_remove("RUST_LOG");
    c
}

/// An MIT-licensed mirror whose history once held a private key (deleted in the next commit).
fn leaked_key_mirror() -> RepoFixture {
    let mit = MIT.replace("<year> <copyright holders>", "2022 NHS Digital");
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENCE", mit.as_bytes())
            .file("keys/deploy", private_key()),
    );
    fx.commit("main", &TreeSpec::new().file("LICENCE", mit.as_bytes()));
    fx.set_head("main");
    fx
}

fn run(args: &[&str], path: &std::path::Path) -> (Option<i32>, String) {
    let out = keepopen().args(args).arg(path).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stdout.contains("MIIEpAIBAAKCAQEA") && !stderr.contains("MIIEpAIBAAKCAQEA"),
        "the private key leaked:\n{stdout}\n{stderr}"
    );
    (out.status.code(), stdout)
}

#[test]
fn check_holds_back_a_mirror_whose_history_leaked_a_private_key_naming_the_finding_masked() {
    let fx = leaked_key_mirror();
    let (code, stdout) = run(&["check", "--default-policy", "--json"], fx.path());
    assert_eq!(code, Some(0), "a verdict is not a failure: {stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let r = &json[0];
    assert_eq!(r["verdict"], "needs-review", "{r}");
    assert_eq!(r["scope"], "republication");
    assert_eq!(
        r["licenses"],
        serde_json::json!(["MIT"]),
        "licence fields stay"
    );
    assert!(r["safety"]["findings"].as_u64().unwrap() >= 1, "{r}");
    assert_eq!(r["safety"]["clean"], false);
    let reasons: Vec<&str> = r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|w| w.starts_with("sensitive content: ")
            && w.contains("private-key")
            && w.contains("keys/deploy")),
        "{reasons:?}"
    );

    let (code, table) = run(&["check", "--default-policy"], fx.path());
    assert_eq!(code, Some(0));
    assert!(table.contains("[NEEDS-REVIEW]"), "{table}");
    assert!(
        table.contains("private-key") && table.contains("history: "),
        "{table}"
    );
    assert!(
        table.contains("verdicts: licence and history scan)"),
        "{table}"
    );
}

#[test]
fn licence_only_allows_the_same_mirror_and_says_it_is_licence_only() {
    let fx = leaked_key_mirror();
    for flag in ["--licence-only", "--license-only"] {
        let (code, stdout) = run(&["check", "--default-policy", "--json", flag], fx.path());
        assert_eq!(code, Some(0));
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json[0]["verdict"], "allowed", "{flag}: {stdout}");
        assert_eq!(json[0]["scope"], "licence-only", "{flag}");
        assert!(
            json[0].get("safety").is_none(),
            "{flag}: no scan, no safety object"
        );
    }
    let (_, table) = run(&["check", "--default-policy", "--licence-only"], fx.path());
    assert!(
        table.contains("[ALLOWED] (licence only: history not scanned)"),
        "{table}"
    );
    assert!(
        table.contains("verdicts: licence only, history not scanned)"),
        "{table}"
    );
}

#[test]
fn the_scan_cache_in_the_state_directory_is_used_until_a_tip_moves() {
    let fx = leaked_key_mirror();
    let state = tempfile::tempdir().unwrap();
    let check = |fx: &RepoFixture| {
        let out = keepopen()
            .args(["check", "--default-policy", "--json", "--state"])
            .arg(state.path())
            .arg(fx.path())
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json[0].clone()
    };
    let first = check(&fx);
    assert_eq!(first["safety"]["cached"], false);
    let second = check(&fx);
    assert_eq!(second["safety"]["cached"], true);
    assert_eq!(second["verdict"], first["verdict"]);
    assert_eq!(second["reasons"], first["reasons"]);
    assert!(state.path().join("cache/scan").is_dir());
    // A new commit moves main: scanned again.
    let mit = MIT.replace("<year> <copyright holders>", "2022 NHS Digital");
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENCE", mit.as_bytes())
            .file("README.md", "# more\n"),
    );
    let third = check(&fx);
    assert_eq!(third["safety"]["cached"], false);
    assert_eq!(third["verdict"], "needs-review");
}

/// The demo's repositories: `check` (with the demo's policy) gives each the verdict its proposal carries.
#[test]
fn check_and_propose_agree_on_every_repository_of_the_demo() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let out = keepopen()
        .args(["demo", "--dir"])
        .arg(&dir)
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{table}");
    let out = keepopen()
        .args(["check", "--json", "--policy"])
        .arg(dir.join("policy.yaml"))
        .arg("--state")
        .arg(dir.join("state"))
        .arg(dir.join("archive"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let checks = json.as_array().unwrap();
    let mut compared = 0;
    for line in table.lines().filter(|l| l.starts_with("nhs-demo/")) {
        let cells: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let name = cells[0].trim_start_matches("nhs-demo/");
        let Some(&proposed) = cells.get(2) else {
            continue;
        };
        if proposed == "-" {
            continue; // still public: only archived, never proposed
        }
        let check = checks
            .iter()
            .find(|c| {
                let repo = c["repo"].as_str().unwrap();
                repo.ends_with(&format!("/{name}.git")) || repo.ends_with(&format!("-{name}.git"))
            })
            .unwrap_or_else(|| panic!("{name}: not checked in {checks:?}"));
        assert_eq!(check["scope"], "republication");
        assert_eq!(
            check["verdict"], proposed,
            "{name}: check says {}, propose said {proposed}: {check}",
            check["verdict"]
        );
        compared += 1;
    }
    assert!(compared >= 6, "{compared} rows compared:\n{table}");
}
