//! The `keepopen` binary as a user runs it: output, JSON shape, exit codes, diagnostics.

use std::process::Command;

use crate::fixture::mirror_at;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn keepopen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    c.env_remove("KEEPOPEN_POLICY").env_remove("RUST_LOG");
    c
}

/// Write `text` as a policy file and run `keepopen policy check` on it: (exit code, stderr, the file's path).
fn policy_check(dir: &std::path::Path, text: &str) -> (Option<i32>, String, std::path::PathBuf) {
    let policy = dir.join("policy.yaml");
    std::fs::write(&policy, text).unwrap();
    let out = keepopen()
        .args(["policy", "check", "--policy"])
        .arg(&policy)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stderr).unwrap(),
        policy,
    )
}

#[test]
fn check_over_a_directory_reports_each_repo_as_json_and_a_broken_one_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let mit = MIT.replace("<year> <copyright holders>", "2022 NHS Digital");
    mirror_at(dir.path(), "nhsuk--good.git", &[("LICENCE", &mit)]);
    mirror_at(
        dir.path(),
        "nhsuk--closed.git",
        &[("README.md", "# closed\n")],
    );
    // A repository whose HEAD names a branch that is not there and has no other branch: it must be reported.
    let broken = dir.path().join("nhsuk--broken.git");
    git2::Repository::init_bare(&broken).unwrap();

    let out = keepopen()
        .args(["check", "--default-policy", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let repos = json.as_array().unwrap();
    assert_eq!(repos.len(), 3);
    let by_name = |n: &str| {
        repos
            .iter()
            .find(|r| r["repo"].as_str().unwrap().ends_with(n))
            .unwrap()
            .clone()
    };
    let good = by_name("nhsuk--good.git");
    assert_eq!(good["verdict"], "allowed");
    assert_eq!(good["licenses"], serde_json::json!(["MIT"]));
    assert_eq!(good["findings"][0]["file"], "LICENCE");
    assert!(good["findings"][0]["score"].as_f64().unwrap() > 0.95);
    assert_eq!(good["findings"][0]["lines"][0], 1);
    assert!(good["conditions"].as_array().unwrap().len() >= 2);
    assert_eq!(good["license_list_version"], "3.29.0");
    assert_eq!(by_name("nhsuk--closed.git")["verdict"], "forbidden");
    let broken = by_name("nhsuk--broken.git");
    assert_eq!(broken["verdict"], "error");
    assert!(
        broken["error"]
            .as_str()
            .unwrap()
            .contains("nhsuk--broken.git"),
        "{broken}"
    );
}

#[test]
fn check_prints_a_table_with_verdict_licence_and_holders() {
    let dir = tempfile::tempdir().unwrap();
    let mit = MIT.replace("<year> <copyright holders>", "2022 NHS Digital");
    mirror_at(dir.path(), "one.git", &[("LICENCE.md", &mit)]);
    let out = keepopen()
        .args(["check", "--default-policy"])
        .arg(dir.path().join("one.git"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[ALLOWED]"), "{text}");
    assert!(text.contains("MIT"), "{text}");
    assert!(text.contains("holders: NHS Digital"), "{text}");
    assert!(text.contains("1 repositories: 1 allowed"), "{text}");
}

#[test]
fn a_bad_policy_is_a_usage_error_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err, policy) = policy_check(
        dir.path(),
        "version: 1\nlicenses:\n  overrides:\n    MTI: permissive\n",
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("error[unknown-license]"), "{err}");
    assert!(err.contains("policy.yaml:4:5"), "{err}");
    let out = keepopen()
        .args(["check", "--policy"])
        .arg(&policy)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad policy stops check before any repository is read"
    );
}

#[test]
fn the_repository_policy_file_is_valid_without_a_warning() {
    let out = keepopen()
        .args([
            "policy",
            "check",
            "--policy",
            concat!(env!("CARGO_MANIFEST_DIR"), "/policy.yaml"),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr, "",
        "policy check warned about the repository's policy"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).ends_with("policy.yaml: valid\n"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn version_names_the_spdx_licence_list() {
    let out = keepopen().arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("keepopen 0.1.0"), "{text}");
    assert!(text.contains("SPDX licence list 3.29.0"), "{text}");
}

#[test]
fn help_lists_only_working_subcommands_and_explains_each() {
    let out = keepopen().arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let verbs = [
        "check",
        "policy",
        "monitor",
        "status",
        "sources",
        "archive",
        "republish",
        "scan",
        "demo",
        "report",
        "propose",
        "apply",
        "review",
        "merge",
        "close",
        "reopen",
    ];
    for verb in verbs {
        assert!(
            text.contains(&format!("  {verb} ")),
            "{verb} missing from: {text}"
        );
    }
    // Every command listed is one of those (or help), each with a sentence.
    let listed: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split_whitespace();
            let verb = parts.next().unwrap();
            assert!(parts.next().is_some(), "{verb} has no explanation");
            verb
        })
        .collect();
    for verb in &listed {
        assert!(
            *verb == "help" || verbs.contains(verb),
            "{verb} is listed but not expected: {text}"
        );
    }
    let out = keepopen().args(["check", "--help"]).output().unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("git clone --mirror")
    );
}

#[test]
fn policy_check_also_validates_the_monitor_sections() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err, _) = policy_check(
        dir.path(),
        "version: 1\nremoval:\n  confirmations: 2\n  min-gap: soon\n",
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("min-gap") && err.contains("policy.yaml"),
        "{err}"
    );
}

#[test]
fn policy_check_reports_problems_in_the_target_safety_and_approval_sections_together() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err, _) = policy_check(
        dir.path(),
        "version: 1\ntarget:\n  forge: gitlab\nsafety:\n  time-limit: forever\napproval:\n  required: 0\n",
    );
    assert_eq!(code, Some(1));
    for key in ["target", "time-limit", "required"] {
        assert!(err.contains(key), "{key} missing from: {err}");
    }
    // A policy whose sections are all valid passes.
    let (code, err, _) = policy_check(
        dir.path(),
        "version: 1\napproval:\n  forge: local\n  maintainers: [alice]\n",
    );
    assert_eq!(code, Some(0), "{err}");
}
