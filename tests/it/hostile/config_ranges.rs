//! Out-of-range settings: a duration no clock can hold is a policy diagnostic naming the file and the line,
//! like every other policy error — never a panic (exit 101) — in `policy check`, in the verbs that read the
//! settings, and on the command line.

use std::process::Command;

const HUGE: &str = "99999999999999999999999999d";

fn keepopen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    for variable in [
        "KEEPOPEN_POLICY",
        "KEEPOPEN_STATE",
        "KEEPOPEN_ARCHIVE",
        "RUST_LOG",
    ] {
        c.env_remove(variable);
    }
    c
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_huge_duration_in_each_setting_is_a_diagnostic_with_its_file_and_line_not_a_panic() {
    // (the setting, the policy text, the line the value is on)
    let cases = [
        (
            "removal.min-gap",
            format!("version: 1\nsources:\n  orgs: [nhsuk]\nremoval:\n  min-gap: {HUGE}\n"),
            5,
        ),
        (
            "github.timeout",
            format!("version: 1\ngithub:\n  timeout: {HUGE}\n"),
            3,
        ),
        (
            "safety.time-limit",
            format!("version: 1\n\nsafety:\n  time-limit: {HUGE}\n"),
            4,
        ),
        (
            // More digits than a float holds: infinity.
            "github.backoff",
            format!("version: 1\ngithub:\n  backoff: 1{}ms\n", "0".repeat(400)),
            3,
        ),
    ];
    for (key, policy, line) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.yaml");
        std::fs::write(&path, &policy).unwrap();
        let out = keepopen()
            .args(["policy", "check", "--policy"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{key}: {stderr}");
        assert!(!stderr.contains("panicked"), "{key}: {stderr}");
        assert!(
            stderr.contains(&format!("`{key}`")) && stderr.contains("out of range"),
            "{key}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("{}:{line}:", path.display())),
            "{key}: the diagnostic names the file and line {line}: {stderr}"
        );
    }
}

#[test]
fn the_verbs_that_read_durations_refuse_a_huge_one_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.yaml");
    std::fs::write(
        &policy,
        format!("version: 1\nsources:\n  orgs: [nhsuk]\nremoval:\n  min-gap: {HUGE}\n"),
    )
    .unwrap();
    let repo = crate::fixture::RepoFixture::bare();
    repo.commit(
        "main",
        &crate::fixture::TreeSpec::new().file("README.md", "# x\n"),
    );
    repo.set_head("main");
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("monitor", vec!["monitor".into()]),
        (
            "scan --time-limit",
            vec![
                "scan".into(),
                "--time-limit".into(),
                HUGE.into(),
                repo.path().display().to_string(),
            ],
        ),
    ];
    for (what, args) in runs {
        let out = keepopen()
            .arg("--policy")
            .arg(&policy)
            .arg("--state")
            .arg(dir.path().join("state"))
            .arg("--archive")
            .arg(dir.path().join("archive"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert!(
            out.status.code() != Some(101) && !stderr.contains("panicked"),
            "{what}: {stderr}"
        );
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(stderr.contains("out of range"), "{what}: {stderr}");
    }
}
