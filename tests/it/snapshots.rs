//! Snapshots of what keepopen shows a person or a program: `check`'s table and JSON, policy diagnostics and
//! every command's `--help`, each from the real binary. The snapshots under `tests/it/snapshots/` are reviewed
//! like code (`cargo insta review`); a change to any of these outputs shows up as a diff there. Paths that vary
//! from run to run (temporary directories) are replaced by `[dir]` before the comparison.

use std::path::Path;
use std::process::Command;

use crate::fixture::mirror_at;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn keepopen(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    c.current_dir(dir)
        .env_remove("KEEPOPEN_POLICY")
        .env_remove("KEEPOPEN_STATE")
        .env_remove("KEEPOPEN_ARCHIVE")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    c
}

/// Four mirrors whose verdicts differ: an MIT licence with its holder (allowed), a README that names no
/// licence (forbidden), an MIT text with a restriction added under it (needs review), and a folder that is no
/// repository at all (error).
fn mirrors() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mirrors = dir.path().join("mirrors");
    let mit = MIT.replace("<year> <copyright holders>", "2022 NHS England");
    mirror_at(
        &mirrors,
        "nhsuk--allowed.git",
        &[("LICENCE", &mit), ("README.md", "# Allowed\n")],
    );
    mirror_at(
        &mirrors,
        "nhsuk--forbidden.git",
        &[(
            "README.md",
            "# Forbidden\n\nCopyright 2022 NHS England. All rights reserved.\n",
        )],
    );
    let restricted = format!("{mit}\nExcept that redistribution is prohibited.\n");
    mirror_at(&mirrors, "nhsuk--review.git", &[("LICENSE", &restricted)]);
    // HEAD names a branch that is not there, and there is no other: it cannot be read.
    git2::Repository::init_bare(mirrors.join("nhsuk--broken.git")).unwrap();
    dir
}

/// `text` with the temporary directory `dir` written as `[dir]`.
fn redact(text: &str, dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap();
    text.replace(&canonical.display().to_string(), "[dir]")
        .replace(&dir.display().to_string(), "[dir]")
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = keepopen(dir).args(args).output().unwrap();
    (
        out.status.code(),
        redact(&String::from_utf8(out.stdout).unwrap(), dir),
        redact(&String::from_utf8(out.stderr).unwrap(), dir),
    )
}

#[test]
fn check_table_of_four_mirrors_is_as_reviewed() {
    let dir = mirrors();
    let (code, stdout, _) = run(dir.path(), &["check", "--default-policy", "mirrors"]);
    assert_eq!(code, Some(2), "a broken mirror makes the exit code 2");
    insta::assert_snapshot!("check_table", stdout);
}

#[test]
fn check_json_of_four_mirrors_is_as_reviewed() {
    let dir = mirrors();
    let (code, stdout, _) = run(
        dir.path(),
        &["check", "--default-policy", "--json", "mirrors"],
    );
    assert_eq!(code, Some(2));
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(4));
    insta::assert_snapshot!("check_json", stdout);
}

#[test]
fn check_json_licence_only_is_as_reviewed() {
    let dir = mirrors();
    let (_, stdout, _) = run(
        dir.path(),
        &[
            "check",
            "--default-policy",
            "--json",
            "--licence-only",
            "mirrors",
        ],
    );
    insta::assert_snapshot!("check_json_licence_only", stdout);
}

/// Problems in the licence rules, the clarifications and three stages' sections, listed together in file order.
#[test]
fn policy_diagnostics_are_as_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "\
version: 1
licenses:
  classes:
    permisive: allow
  overrides:
    MTI: permissive
    GPL-3.0: copyleft
  min-confidence: 2
clarifications:
  - repo: not a repo
    expression: MIT AND (
    files: []
removal:
  min-gap: soon
target:
  forge: github
safety:
  refs: [refs/heads/*, main]
  allow:
    - paths: [docs/**]
      reason: ''
";
    std::fs::write(dir.path().join("policy.yaml"), policy).unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["policy", "check"]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    insta::assert_snapshot!("policy_diagnostics", stderr);
}

/// The names of every command and subcommand, as clap knows them (`sources import`, not just `sources`).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands() {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = vec![Vec::new()];
    walk(
        &<keepopen::cli::Cli as clap::CommandFactory>::command(),
        &[],
        &mut out,
    );
    out
}

#[test]
fn help_of_every_command_is_as_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let paths = command_paths();
    assert!(paths.len() > 10, "{paths:?}");
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (code, stdout, stderr) = run(dir.path(), &args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        let name = if path.is_empty() {
            "help".to_owned()
        } else {
            format!("help_{}", path.join("_"))
        };
        insta::assert_snapshot!(name, stdout);
    }
}
