//! The sensitive-content gate on real repositories built with git2: secrets in old commits, NHS numbers, files
//! that must not be public, each blob once, the time and size bounds, and `keepopen scan` as a user runs it.
//!
//! Every secret here is made up and assembled at run time, so that this file itself holds none.

use std::process::Command;
use std::time::Duration;

use keepopen::safety::{FindingKind, ScanLimits, scan_repository};

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::scan::{aws_key, private_key, rule_paths, scan};

/// Ten-digit numbers with a valid modulus-11 check digit, in the issued (non-test) ranges.
const VALID_NHS: [&str; 5] = [
    "401 023 2137",
    "606 984 7393",
    "485 777 3457",
    "712 345 6785",
    "432 109 8769",
];

#[test]
fn a_key_leaked_in_an_old_commit_and_deleted_later_is_found_at_that_commit() {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("README.md", "# app\n"));
    let leak = fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", "# app\n")
            .file(
                "config/settings.py",
                format!("DEBUG = False\nAWS_ACCESS_KEY_ID = '{}'\n", aws_key()),
            )
            .file("deploy/server_key", private_key()),
    );
    let cleanup = fx.commit("main", &TreeSpec::new().file("README.md", "# app\n"));
    fx.set_head("main");

    let report = scan(&fx);
    let aws = report
        .findings
        .iter()
        .find(|f| f.rule == "aws-access-token")
        .unwrap_or_else(|| panic!("no AWS finding in {:?}", rule_paths(&report)));
    assert_eq!(aws.path, "config/settings.py");
    assert_eq!(
        aws.commit,
        leak.to_string(),
        "named at the commit that added it"
    );
    assert_ne!(aws.commit, cleanup.to_string());
    assert_eq!(aws.line, Some(2));
    assert_eq!(aws.kind, FindingKind::Secret);
    assert!(aws.excerpt.starts_with("AKIA") && !aws.excerpt.contains(&aws_key()));

    let key = report
        .findings
        .iter()
        .find(|f| f.rule == "private-key")
        .unwrap_or_else(|| panic!("no private key finding in {:?}", rule_paths(&report)));
    assert_eq!(key.path, "deploy/server_key");
    assert_eq!(key.commit, leak.to_string());
    assert!(!report.is_clean());
    let reasons = report.blocking_reasons().join("\n");
    assert!(reasons.contains("config/settings.py") && reasons.contains("aws-access-token"));
    assert!(reasons.contains(&leak.to_string()[..12]), "{reasons}");
    assert!(!reasons.contains(&aws_key()), "{reasons}");
}

/// The walk reads history oldest first, so a value that later commits still hold is named at the commit that
/// introduced it, not at the newest one that holds it (`src/safety/walk.rs`, `Walker::oldest_first`).
#[test]
fn a_key_still_held_by_later_commits_is_named_at_the_commit_that_introduced_it() {
    let fx = RepoFixture::bare();
    let settings = format!("AWS_ACCESS_KEY_ID = '{}'\n", aws_key());
    fx.commit("main", &TreeSpec::new().file("README.md", "# app\n"));
    let added = fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", "# app\n")
            .file("settings.py", &settings),
    );
    for n in 0..3 {
        fx.commit(
            "main",
            &TreeSpec::new()
                .file("README.md", format!("# app, release {n}\n"))
                .file("settings.py", &settings),
        );
    }
    fx.set_head("main");
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("aws-access-token".to_string(), "settings.py".to_string())]
    );
    assert_eq!(report.findings[0].commit, added.to_string());
}

#[test]
fn the_same_leak_in_a_packed_mirror_is_found() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new().file(".github/ci.sh", format!("export AWS={}\n", aws_key())),
    );
    fx.commit("main", &TreeSpec::new().file("README.md", "# gone\n"));
    fx.set_head("main");
    let mirror = fx.mirror();
    let report = scan(&mirror);
    assert_eq!(
        rule_paths(&report),
        [("aws-access-token".to_string(), ".github/ci.sh".to_string())]
    );
}

#[test]
fn a_csv_of_valid_nhs_numbers_is_found_and_one_of_invalid_check_digits_is_not() {
    let valid: String = VALID_NHS
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{i},Patient {i},{n}\n"))
        .collect();
    // The same numbers with the check digit moved on by one: all fail the modulus-11 check.
    let invalid: String = VALID_NHS
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut digits: Vec<u8> = n.bytes().collect();
            let last = digits.last_mut().unwrap();
            *last = b'0' + (*last - b'0' + 1) % 10;
            format!("{i},Patient {i},{}\n", String::from_utf8(digits).unwrap())
        })
        .collect();
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("data/patients.csv", format!("id,name,nhs_number\n{valid}"))
            .file("data/typos.csv", format!("id,name,nhs_number\n{invalid}")),
    );
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("nhs-number".to_string(), "data/patients.csv".to_string())]
    );
    let finding = &report.findings[0];
    assert_eq!(finding.kind, FindingKind::PatientData);
    assert_eq!(finding.line, Some(2));
    assert!(
        finding.excerpt.contains("5 distinct valid NHS numbers"),
        "{}",
        finding.excerpt
    );
    for n in VALID_NHS {
        assert!(!finding.excerpt.contains(n) && !finding.excerpt.contains(&n.replace(' ', "")));
    }
}

#[test]
fn a_lone_valid_nhs_number_in_a_readme_is_not_a_finding() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                "README.md",
                "# PDS client\n\nTry it with the sandbox patient 943 476 5919, or a real-looking 401 023 2137.\n",
            )
            .file("docs/example.csv", "nhs_number\n4010232137\n6069847393\n"),
    );
    let report = scan(&fx);
    assert!(report.findings.is_empty(), "{:?}", rule_paths(&report));
    assert_eq!(
        report.nhs_test_numbers, 1,
        "943 476 5919 is counted as a test number"
    );
}

#[test]
fn dot_env_is_found_and_dot_env_example_is_not() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                ".env",
                format!(
                    "DATABASE_URL=postgres://app:{}@db/app\n",
                    ["q8Xv2L", "m9TzR4kW7pN3"].concat()
                ),
            )
            .file(".env.example", "DATABASE_URL=\n")
            .file("certs/server.pem", "not really a certificate\n")
            .file(
                "db/backup.sql",
                format!(
                    "INSERT INTO users VALUES {};\n",
                    (0..12)
                        .map(|i| format!("({i}, 'a')"))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            )
            .file("db/schema.sql", "CREATE TABLE users (id int);\n"),
    );
    let report = scan(&fx);
    let found = rule_paths(&report);
    assert_eq!(
        found,
        [
            ("database-dump".to_string(), "db/backup.sql".to_string()),
            ("dotenv-file".to_string(), ".env".to_string()),
            ("key-file".to_string(), "certs/server.pem".to_string()),
        ]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.kind == FindingKind::SensitiveFile)
    );
}

#[test]
fn each_blob_is_scanned_once_however_many_commits_and_paths_hold_it() {
    let fx = RepoFixture::bare();
    let mut spec = TreeSpec::new().file("shared.txt", "the same text everywhere\n");
    for i in 0..10 {
        spec = spec.file(&format!("file{i}.txt"), format!("file number {i}\n"));
        // The same content again under a second path and in a nested folder.
        spec = spec.file(&format!("copy/file{i}.txt"), format!("file number {i}\n"));
        fx.commit("main", &spec);
    }
    // A second branch and a tag over the same history add no blob.
    let tip = fx
        .repo()
        .find_reference("refs/heads/main")
        .unwrap()
        .target()
        .unwrap();
    fx.repo()
        .reference("refs/heads/other", tip, false, "test")
        .unwrap();
    fx.repo()
        .tag_lightweight("v1", &fx.repo().find_object(tip, None).unwrap(), false)
        .unwrap();

    let mut report = scan(&fx);
    report.refs.sort();
    assert_eq!(report.commits_total, 10);
    assert_eq!(report.commits_scanned, 10);
    assert_eq!(report.blobs_scanned, 11, "10 numbered files and shared.txt");
    let expected_bytes: u64 = 25
        + (0..10)
            .map(|i| format!("file number {i}\n").len() as u64)
            .sum::<u64>();
    assert_eq!(report.bytes_scanned, expected_bytes);
    assert_eq!(
        report.refs,
        ["refs/heads/main", "refs/heads/other", "refs/tags/v1"]
    );
}

#[test]
fn a_tiny_time_limit_makes_the_report_incomplete_and_that_blocks() {
    let fx = RepoFixture::bare();
    for i in 0..5 {
        fx.commit(
            "main",
            &TreeSpec::new().file("counter.txt", format!("{i}\n")),
        );
    }
    let limits = ScanLimits {
        time_limit: Duration::from_nanos(1),
        ..ScanLimits::default()
    };
    let report = scan_repository(fx.repo(), &[], &limits).expect("scan");
    assert!(report.incomplete);
    assert_eq!(report.commits_total, 5);
    assert!(report.commits_scanned < 5);
    let reason = report.incomplete_reason.clone().unwrap();
    assert!(reason.contains("of 5 commits"), "{reason}");
    assert!(report.findings.is_empty());
    assert!(!report.is_clean(), "an incomplete scan is not clean");
    assert!(
        report.blocking_reasons()[0].contains("incomplete"),
        "{:?}",
        report.blocking_reasons()
    );

    let complete = scan(&fx);
    assert!(!complete.incomplete && complete.is_clean());
}

#[test]
fn a_blob_over_the_window_is_read_in_windows_to_its_end() {
    let fx = RepoFixture::bare();
    // The key sits past the first 4 KiB window.
    let big = format!(
        "{}\nAWS_ACCESS_KEY_ID = '{}'\n",
        "filler line of text\n".repeat(400),
        aws_key()
    );
    let blob = fx.blob(big.as_bytes());
    fx.commit("main", &TreeSpec::new().blob("big.txt", blob));
    let limits = ScanLimits {
        max_blob_bytes: 4096,
        ..ScanLimits::default()
    };
    let report = scan_repository(fx.repo(), &[], &limits).expect("scan");
    assert!(report.truncated.is_empty(), "{:?}", report.truncated);
    assert_eq!(report.bytes_scanned, big.len() as u64);
    assert_eq!(
        rule_paths(&report),
        [("aws-access-token".to_string(), "big.txt".to_string())]
    );
    assert_eq!(report.findings[0].line, Some(402));
}

#[test]
fn a_streamed_large_blob_is_read_to_its_end() {
    let fx = RepoFixture::bare();
    let size = 8 * 1024 * 1024;
    let blob = fx.blob_from_reader(std::io::Read::take(std::io::repeat(b'a'), size));
    fx.commit("main", &TreeSpec::new().blob("huge.bin.txt", blob));
    let report = scan(&fx);
    assert!(report.truncated.is_empty());
    assert_eq!(report.bytes_scanned, size);
    assert!(!report.incomplete);
}

#[test]
fn only_the_named_refs_are_scanned_and_pull_request_refs_are_not_by_default() {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("README.md", "# app\n"));
    fx.commit(
        "pr",
        &TreeSpec::new().file("settings.py", format!("KEY = '{}'\n", aws_key())),
    );
    let pr_tip = fx
        .repo()
        .find_reference("refs/heads/pr")
        .unwrap()
        .target()
        .unwrap();
    fx.write_ref("refs/pull/1/head", pr_tip);
    fx.delete_ref("refs/heads/pr");

    let default = scan(&fx);
    assert!(default.findings.is_empty(), "{:?}", rule_paths(&default));
    assert_eq!(default.refs, ["refs/heads/main"]);

    let with_pulls = scan_repository(
        fx.repo(),
        &["refs/heads/*".to_string(), "refs/pull/*".to_string()],
        &ScanLimits::default(),
    )
    .unwrap();
    assert!(
        rule_paths(&with_pulls)
            .iter()
            .any(|(rule, path)| rule == "aws-access-token" && path == "settings.py"),
        "{:?}",
        rule_paths(&with_pulls)
    );

    let error = scan_repository(
        fx.repo(),
        &["refs/nothing/*".to_string()],
        &ScanLimits::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("no ref of") && error.contains("refs/nothing/*"),
        "{error}"
    );
}

#[test]
fn branches_with_slashes_and_annotated_tags_are_scanned_by_default() {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("README.md", "# app\n"));
    fx.commit(
        "feature/deep/branch",
        &TreeSpec::new().file("a.py", format!("KEY = '{}'\n", aws_key())),
    );
    let tagged = fx.commit(
        "release",
        &TreeSpec::new().file(
            ".env",
            format!("SECRET_KEY={}\n", ["q8Xv2L", "m9TzR4kW7pN3"].concat()),
        ),
    );
    let target = fx.repo().find_object(tagged, None).unwrap();
    fx.repo()
        .tag(
            "v1.0",
            &target,
            &crate::fixture::signature(),
            "release",
            false,
        )
        .unwrap();
    fx.delete_ref("refs/heads/release");
    let mut report = scan(&fx);
    report.refs.sort();
    assert_eq!(
        report.refs,
        [
            "refs/heads/feature/deep/branch",
            "refs/heads/main",
            "refs/tags/v1.0"
        ]
    );
    let found = rule_paths(&report);
    assert!(
        found.contains(&("aws-access-token".into(), "a.py".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("dotenv-file".into(), ".env".into())),
        "{found:?}"
    );
}

#[test]
fn a_missing_blob_is_reported_as_unreadable_and_blocks() {
    let fx = RepoFixture::bare();
    let blob = fx.blob(b"some text that goes missing\n");
    fx.commit(
        "main",
        &TreeSpec::new()
            .blob("lost.txt", blob)
            .file("ok.txt", "fine\n"),
    );
    fx.remove_object(blob);
    let report = scan(&fx);
    assert_eq!(report.unreadable.len(), 1, "{:?}", report.unreadable);
    assert!(report.unreadable[0].contains("lost.txt"));
    assert!(!report.is_clean());
    assert_eq!(report.blobs_scanned, 1);
}

// --- `keepopen scan` as a user runs it ---

fn keepopen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    c.env_remove("KEEPOPEN_POLICY").env_remove("RUST_LOG");
    c
}

fn leaky_repo() -> RepoFixture {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                "config.py",
                format!("AWS_ACCESS_KEY_ID = '{}'\n", aws_key()),
            )
            .file("keys/deploy", private_key()),
    );
    fx.commit("main", &TreeSpec::new().file("README.md", "# cleaned\n"));
    fx.set_head("main");
    fx
}

#[test]
fn scan_json_never_contains_the_secret_and_exits_3() {
    let fx = leaky_repo();
    let out = keepopen()
        .args(["scan", "--default-policy", "--json"])
        .arg(fx.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{stderr}");
    let key = aws_key();
    for text in [&stdout, &stderr] {
        assert!(!text.contains(&key), "the AWS key leaked:\n{text}");
        assert!(
            !text.contains(&key[4..]),
            "the AWS key's tail leaked:\n{text}"
        );
        assert!(
            !text.contains("MIIEpAIBAAKCAQEA"),
            "the private key leaked:\n{text}"
        );
    }
    let parsed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let repo = &parsed[0];
    assert_eq!(repo["status"], "findings");
    let rules: Vec<&str> = repo["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"aws-access-token") && rules.contains(&"private-key"),
        "{rules:?}"
    );
    assert_eq!(repo["report"]["incomplete"], false);

    // The table too.
    let out = keepopen()
        .args(["scan", "--default-policy"])
        .arg(fx.path())
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        table.contains("aws-access-token") && !table.contains(&key),
        "{table}"
    );
}

#[test]
fn scan_exits_0_on_a_clean_repo_and_2_when_a_repo_cannot_be_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let clean = RepoFixture::bare();
    clean.commit("main", &TreeSpec::new().file("README.md", "# fine\n"));
    let out = keepopen()
        .args(["scan", "--default-policy"])
        .arg(clean.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A working copy whose `.git` file points at a git directory that is not there.
    let fake = dir.path().join("broken");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(fake.join(".git"), "gitdir: /nonexistent/keepopen-test\n").unwrap();
    let out = keepopen()
        .args(["scan", "--default-policy", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("\"status\": \"error\""), "{stdout}");
}

#[test]
fn a_policy_override_pinned_by_fingerprint_lets_the_scan_pass() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new().file(
            "config.py",
            format!("AWS_ACCESS_KEY_ID = '{}'\n", aws_key()),
        ),
    );
    fx.set_head("main");
    let report = scan(&fx);
    let fingerprint = report.findings[0].fingerprint.clone();

    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.yaml");
    // The directory name is the repository's name when there is no GitHub origin.
    let name = keepopen::check::repo_name(fx.path());
    let write = |owner_name: &str| {
        std::fs::write(
            &policy,
            format!(
                "version: 1\nsafety:\n  overrides:\n    - repo: {owner_name}\n      fingerprint: \"{fingerprint}\"\n      \
                 reason: \"key revoked in 2021, confirmed by the team\"\n"
            ),
        )
        .unwrap();
    };
    fx.repo()
        .remote("origin", &format!("https://github.com/nhsx/{name}.git"))
        .unwrap();
    write(&format!("nhsx/{name}"));
    let out = keepopen()
        .args(["scan", "--json", "--policy"])
        .arg(&policy)
        .arg(fx.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let allowed = &parsed[0]["report"]["allowed"][0];
    assert_eq!(allowed["rule"], "aws-access-token");
    assert_eq!(
        allowed["allowed_by"],
        "override: key revoked in 2021, confirmed by the team"
    );

    // The same override for another repository waives nothing.
    write("nhsx/another");
    let out = keepopen()
        .args(["scan", "--policy"])
        .arg(&policy)
        .arg(fx.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn an_invalid_safety_section_is_a_configuration_error() {
    let fx = leaky_repo();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.yaml");
    std::fs::write(
        &policy,
        "version: 1\nsafety:\n  time-limit: forever\n  overrides: [{repo: x, fingerprint: abc, reason: ''}]\n",
    )
    .unwrap();
    let out = keepopen()
        .args(["scan", "--policy"])
        .arg(&policy)
        .arg(fx.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for needle in [
        "safety.time-limit",
        "safety.overrides[0].repo",
        "safety.overrides[0].fingerprint",
    ] {
        assert!(stderr.contains(needle), "missing {needle} in {stderr}");
    }
}
