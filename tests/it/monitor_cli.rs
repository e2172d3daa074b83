//! `keepopen monitor`, `status` and `sources import` end to end: the real binary, run as a user runs it, against
//! the GitHub-shaped API and the git smart-HTTP server on 127.0.0.1 (both in this test process, on a runtime of
//! their own while the binary runs as a child process).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::git_fixture;
use crate::support::git_http::{GitServer, GitServerOptions, base64};
use crate::support::github_api::{FakeGitHub, FakeRepo, Visibility};

/// Servers, upstream repositories and the working directories of one test.
pub(crate) struct World {
    pub(crate) api: FakeGitHub,
    git: GitServer,
    dir: tempfile::TempDir,
    // Last, so the servers' tasks are dropped before their runtime.
    _runtime: tokio::runtime::Runtime,
}

impl World {
    pub(crate) fn start(git_options: GitServerOptions) -> World {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let upstream = dir.path().join("upstream");
        std::fs::create_dir_all(&upstream).unwrap();
        let (api, git) = runtime.block_on(async {
            (
                FakeGitHub::start().await,
                GitServer::start_with(&upstream, git_options).await,
            )
        });
        World {
            api,
            git,
            dir,
            _runtime: runtime,
        }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A public repository with one commit on `main`, served by the git server and listed by the API; its tip.
    pub(crate) fn repo(&self, id: u64, owner: &str, name: &str) -> String {
        let repo = git_fixture::init_bare(
            &self
                .path("upstream")
                .join(owner)
                .join(format!("{name}.git")),
        );
        let tip = git_fixture::commit(
            &repo,
            "main",
            &[("README.md", &format!("# {owner}/{name}\n"))],
            true,
            "first",
        );
        self.api.add_repo(FakeRepo::new(
            id,
            owner,
            name,
            &self.git.url_for(&format!("{owner}/{name}.git")),
        ));
        tip.to_string()
    }

    /// The repository's licence rules plus the monitor's sections, pointed at the fake API.
    pub(crate) fn write_policy(&self, orgs: &str) {
        let text = format!(
            "{}\nsources:\n  orgs: [{orgs}]\nremoval:\n  confirmations: 2\n  min-gap: 0s\ngithub:\n  api-url: '{}'\n  timeout: 10s\n  attempts: 3\n  backoff: 10ms\n  max-backoff: 50ms\n",
            crate::policy::licence_rules(),
            self.api.url
        );
        std::fs::write(self.path("policy.yaml"), text).unwrap();
    }

    /// `keepopen <args>` with this world's policy, state and archive, and a clean environment.
    pub(crate) fn keepopen(&self, args: &[&str]) -> Command {
        let mut c = keepopen();
        c.arg("--policy")
            .arg(self.path("policy.yaml"))
            .arg("--state")
            .arg(self.path("state"))
            .arg("--archive")
            .arg(self.path("archive"))
            .args(args);
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        Run::of(self.keepopen(args).output().unwrap())
    }
}

fn keepopen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    for variable in [
        "KEEPOPEN_POLICY",
        "KEEPOPEN_STATE",
        "KEEPOPEN_ARCHIVE",
        "RUST_LOG",
        "GITHUB_TOKEN",
        "GITHUB_APP_INSTALLATION_TOKEN",
    ] {
        c.env_remove(variable);
    }
    c
}

/// A finished run: exit code and output as text.
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn of(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub(crate) fn succeeded(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The stdout line starting with `prefix`.
    fn line(&self, prefix: &str) -> &str {
        self.stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{}", self.stdout))
    }
}

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out
}

fn reports(state: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(state.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    found.sort();
    found
}

#[test]
fn monitor_run_repeatedly_confirms_a_removal_in_the_second_gone_scan_and_writes_both_reports() {
    let w = World::start(GitServerOptions::default());
    w.repo(101, "nhsuk", "alpha");
    let beta_tip = w.repo(102, "nhsuk", "beta");
    w.repo(103, "nhsuk", "gamma");
    w.write_policy("nhsuk");

    let first = w.run(&["monitor"]).succeeded();
    assert_eq!(
        first.line("shard "),
        "shard 1/1: seen 3, new 3, fetched 3, unchanged 0, renamed 0, suspected 0, confirmed removed 0, legal blocks 0, restored 0, errors 0"
    );
    // One listing page and one licence question per new repository.
    assert_eq!(
        first.line("GitHub API: "),
        "GitHub API: 4 requests, 0 answered 304"
    );
    assert!(!first.stdout.contains("removal report"), "{}", first.stdout);
    for mirror in ["101-alpha.git", "102-beta.git", "103-gamma.git"] {
        assert!(
            w.path("archive").join(mirror).join("HEAD").exists(),
            "{mirror}"
        );
        let hooks: Vec<String> = std::fs::read_dir(w.path("archive").join(mirror).join("hooks"))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            hooks.iter().all(|h| h == "README.sample"),
            "{mirror}: a mirror is made without git's template directory, so without its sample hooks: {hooks:?}"
        );
    }

    let unchanged = w.run(&["monitor"]).succeeded();
    assert_eq!(
        unchanged.line("shard "),
        "shard 1/1: seen 3, new 0, fetched 0, unchanged 3, renamed 0, suspected 0, confirmed removed 0, legal blocks 0, restored 0, errors 0"
    );
    assert_eq!(
        unchanged.line("GitHub API: "),
        "GitHub API: 1 requests, 1 answered 304"
    );

    w.api.update(102, |r| r.visibility = Visibility::Gone);
    let fetch_attempts = w.git.fetch_attempts();
    let suspected = w.run(&["monitor"]).succeeded();
    assert_eq!(
        suspected.line("shard "),
        "shard 1/1: seen 2, new 0, fetched 0, unchanged 2, renamed 0, suspected 1, confirmed removed 0, legal blocks 0, restored 0, errors 0"
    );
    assert!(
        reports(&w.path("state"), "md").is_empty(),
        "one gone scan is not a removal"
    );

    let confirmed = w.run(&["monitor"]).succeeded();
    assert_eq!(
        confirmed.line("shard "),
        "shard 1/1: seen 2, new 0, fetched 0, unchanged 2, renamed 0, suspected 0, confirmed removed 1, legal blocks 0, restored 0, errors 0"
    );
    assert_eq!(
        w.git.fetch_attempts(),
        fetch_attempts,
        "no repository was pushed: no fetch"
    );
    let markdown = reports(&w.path("state"), "md");
    let jsonl = reports(&w.path("state"), "jsonl");
    assert_eq!((markdown.len(), jsonl.len()), (1, 1));
    assert_eq!(
        confirmed.line("removal report: "),
        format!("removal report: {}", markdown[0].display())
    );
    let table = std::fs::read_to_string(&markdown[0]).unwrap();
    assert!(
        table.contains("1 removed, 0 blocked for legal reasons, 0 restored."),
        "{table}"
    );
    assert!(
        table.contains("| removed | nhsuk/beta | 102 | yes | 102-beta.git | MIT |"),
        "{table}"
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&jsonl[0])
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let event = &lines[0];
    assert_eq!(event["event"], "removed");
    assert_eq!(event["id"], 102);
    assert_eq!(event["full-name"], "nhsuk/beta");
    assert_eq!(event["republish-candidate"], true);
    assert_eq!(event["confirmations"], 2);
    assert_eq!(event["mirror"], "102-beta.git");
    assert_eq!(event["tips"]["refs/heads/main"], beta_tip.as_str());
    assert_eq!(event["api-license"]["spdx-id"], "MIT");
    let log = std::fs::read_to_string(w.path("state").join("removals.jsonl")).unwrap();
    assert_eq!(
        log.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>(),
        lines,
        "the run's report and the append-only log hold the same event"
    );
    assert!(
        w.path("archive").join("102-beta.git").join("HEAD").exists(),
        "a removed repository keeps its mirror"
    );

    // Once more, nothing changed: no fetch, the listing is a 304, the removal is not reported again.
    let again = w.run(&["monitor"]).succeeded();
    assert_eq!(
        again.line("shard "),
        "shard 1/1: seen 2, new 0, fetched 0, unchanged 2, renamed 0, suspected 0, confirmed removed 0, legal blocks 0, restored 0, errors 0"
    );
    assert_eq!(
        again.line("GitHub API: "),
        "GitHub API: 3 requests, 1 answered 304",
        "the listing page, and the removed repository probed by name and by id"
    );
    assert!(!again.stdout.contains("removal report"), "{}", again.stdout);
    assert_eq!(reports(&w.path("state"), "md").len(), 1);
    assert_eq!(
        std::fs::read_to_string(w.path("state").join("removals.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );

    let status = w.run(&["status"]).succeeded();
    let finished = status.line("shard 1-of-1: last run finished ");
    assert!(finished.ends_with(" ago)"), "{finished}");
    assert_eq!(
        status.line("  saw: "),
        "  saw: api-not-modified 1, api-requests 3, errors 0, fetched 0, legal-blocks 0, new 0, removed 0, renamed 0, restored 0, seen 2, suspected 0, unchanged 2"
    );
    assert_eq!(
        status.line("repositories: "),
        "repositories: 3 (present 2, removed 1)"
    );
    assert_eq!(
        status.line("removal log: "),
        format!(
            "removal log: {}",
            w.path("state").join("removals.jsonl").display()
        )
    );
    assert!(status.stderr.is_empty(), "{}", status.stderr);

    // A schedule that stopped: the same state, judged with a short --max-age, warns and exits 2.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let stale = w.run(&["status", "--max-age", "1s"]);
    assert_eq!(stale.code, Some(2), "{}", stale.stderr);
    assert!(
        stale.stderr.contains("is the schedule disabled?"),
        "{}",
        stale.stderr
    );
}

#[test]
fn status_before_any_monitor_run_warns_that_the_monitor_never_ran() {
    let dir = tempfile::tempdir().unwrap();
    let out = Run::of(
        keepopen()
            .arg("--state")
            .arg(dir.path().join("state"))
            .arg("status")
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: the monitor has never run"),
        "{}",
        out.stderr
    );
    assert_eq!(out.line("repositories: "), "repositories: 0 ()");
}

#[test]
fn github_token_is_used_but_never_printed_at_trace_level_nor_written_to_state_or_archive() {
    let token = "ghp_KeepOpenTestToken0123456789abcdefXYZ";
    let w = World::start(GitServerOptions {
        token: Some(token.to_owned()),
        allow_push: false,
    });
    w.api.require_token(Some(token));
    w.repo(201, "nhsx", "kept");
    w.repo(202, "nhsx", "leaving");
    w.write_policy("nhsx");

    let run = |args: &[&str]| {
        Run::of(
            w.keepopen(args)
                .env("GITHUB_TOKEN", token)
                .env("RUST_LOG", "trace")
                .output()
                .unwrap(),
        )
    };
    let mut outputs = Vec::new();
    let first = run(&["-vvv", "monitor"]).succeeded();
    assert!(
        first.line("shard ").contains("new 2, fetched 2,"),
        "the token opened the API and git: {}",
        first.stdout
    );
    assert!(
        first.stderr.contains("TRACE") && first.stderr.contains("GITHUB_TOKEN"),
        "trace logging was on and named the variable: {}",
        first.stderr.lines().take(20).collect::<Vec<_>>().join("\n")
    );
    outputs.push(first);
    w.api.update(202, |r| r.visibility = Visibility::Gone);
    outputs.push(run(&["-vvv", "monitor"]).succeeded());
    let confirmed = run(&["-vvv", "--json", "monitor"]).succeeded();
    let summary: serde_json::Value = serde_json::from_str(&confirmed.stdout).unwrap();
    assert_eq!(summary["removed"], 1, "{summary}");
    outputs.push(confirmed);
    outputs.push(run(&["-vvv", "status"]).succeeded());

    assert!(
        w.api.requests().iter().all(|r| r
            .authorization
            .as_deref()
            .is_some_and(|a| a.ends_with(token))),
        "every API request carried the token"
    );
    assert!(w.git.requests().iter().any(|r| r.authorized));

    // The token as it is, and as the two headers that carry it (a logged header would show it this way).
    let basic = base64(format!("x-access-token:{token}").as_bytes());
    let secrets = [token.to_owned(), basic];
    for out in &outputs {
        for secret in &secrets {
            assert!(!out.stdout.contains(secret.as_str()), "stdout leaks it");
            assert!(!out.stderr.contains(secret.as_str()), "stderr leaks it");
        }
    }
    let mut files = files_under(&w.path("state"));
    files.extend(files_under(&w.path("archive")));
    assert!(
        files.len() > 10 && files.iter().any(|f| f.ends_with("removals.jsonl")),
        "{files:?}"
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds the token",
                file.display()
            );
        }
    }
}

#[test]
fn sources_import_reads_csv_and_json_org_maps_and_write_merges_them_into_policy_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("orgs.csv");
    std::fs::write(
        &csv,
        "organisation,sector,github_url\r\n\
         NHS Digital,health,https://github.com/NHSDigital\r\n\
         \"NHS England, the body\",health,\"https://github.com/nhsengland; https://github.com/nhs-england-tools\"\r\n\
         Department without code,health,\r\n\
         NHS Digital again,health,https://github.com/nhsdigital/some-repo\r\n",
    )
    .unwrap();
    let json = dir.path().join("orgs.json");
    std::fs::write(
        &json,
        r#"[{"name": "NHS.UK", "github": "nhsuk"}, {"name": "NHSX", "github_url": "https://github.com/nhsx"}, {"name": "again", "github": "NHSDigital"}]"#,
    )
    .unwrap();
    let policy = dir.path().join("policy.yaml");
    let original = format!(
        "{}\n# Watched accounts.\nsources:\n  forks: false # keep forks out\n  orgs:\n    - nhsconnect\n",
        crate::policy::licence_rules()
    );
    std::fs::write(&policy, &original).unwrap();
    let import = |file: &Path, write: bool| {
        let mut c = keepopen();
        c.arg("--policy")
            .arg(&policy)
            .args(["sources", "import"])
            .arg(file);
        if write {
            c.arg("--write");
        }
        Run::of(c.output().unwrap()).succeeded()
    };

    let printed = import(&csv, false);
    assert_eq!(
        printed.stdout,
        "sources:\n  orgs:\n    - NHSDigital\n    - nhsengland\n    - nhs-england-tools\n"
    );
    assert_eq!(
        std::fs::read_to_string(&policy).unwrap(),
        original,
        "without --write the policy is untouched"
    );

    let written = import(&csv, true);
    assert_eq!(
        written.stdout,
        format!(
            "{}: added 3 organisation(s): NHSDigital, nhsengland, nhs-england-tools\n",
            policy.display()
        )
    );
    let from_json = import(&json, true);
    assert_eq!(
        from_json.stdout,
        format!(
            "{}: added 2 organisation(s): nhsuk, nhsx\n",
            policy.display()
        ),
        "NHSDigital is there already"
    );
    let again = import(&json, true);
    assert_eq!(
        again.stdout,
        format!("{}: added 0 organisation(s)\n", policy.display())
    );

    let text = std::fs::read_to_string(&policy).unwrap();
    assert!(
        text.starts_with(&original[..original.len() - "    - nhsconnect\n".len()]),
        "every line before the list is kept as it was:\n{text}"
    );
    let config = keepopen::cli::monitor::load_config(&policy).unwrap();
    assert_eq!(
        config.sources.orgs,
        [
            "nhsconnect",
            "NHSDigital",
            "nhsengland",
            "nhs-england-tools",
            "nhsuk",
            "nhsx"
        ]
    );
    assert!(!config.sources.forks);
    let check = Run::of(
        keepopen()
            .arg("--policy")
            .arg(&policy)
            .args(["policy", "check"])
            .output()
            .unwrap(),
    );
    assert_eq!(check.code, Some(0), "{}", check.stderr);

    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "name,sector\nNHS Digital,health\n").unwrap();
    let refused = Run::of(
        keepopen()
            .arg("--policy")
            .arg(&policy)
            .args(["sources", "import"])
            .arg(&empty)
            .output()
            .unwrap(),
    );
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains("empty.csv")
            && refused
                .stderr
                .contains("no column names a GitHub organisation"),
        "{}",
        refused.stderr
    );
}
