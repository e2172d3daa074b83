//! Secrets discipline: the real binary runs the monitor (until a removal is confirmed) and the republication to
//! the GitHub forge with a recognisable token, at trace level, against the GitHub-shaped API and a git server that
//! demands the token. The token must then appear in no output and in no file keepopen wrote (state, archive,
//! the published repository, every bare repository's `config`), though both servers did receive it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::git_fixture;
use crate::support::git_http::{GitServer, GitServerOptions};
use crate::support::github_api::{FakeGitHub, FakeRepo, Visibility};

/// Recognisable, so that a leak anywhere is found by a plain byte search.
pub(crate) const TOKEN: &str = "ghs_KEEPOPENTESTTOKEN0123456789abcdefXYZ";

pub(crate) struct World {
    pub(crate) api: FakeGitHub,
    pub(crate) git: GitServer,
    dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl World {
    pub(crate) fn start() -> World {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("git");
        std::fs::create_dir_all(&root).unwrap();
        let (api, git) = runtime.block_on(async {
            (
                FakeGitHub::start().await,
                GitServer::start_with(
                    &root,
                    GitServerOptions {
                        token: Some(TOKEN.into()),
                        allow_push: true,
                    },
                )
                .await,
            )
        });
        api.require_token(Some(TOKEN));
        api.accept_writes(&root, &git.url);
        World {
            api,
            git,
            dir,
            _runtime: runtime,
        }
    }

    /// A directory holding a `git` that logs its arguments and environment to `git-calls.log`, then runs the
    /// real git: put first on the binary's PATH, it sees every git keepopen starts.
    fn shim(&self) -> PathBuf {
        let dir = self.path("shim");
        if !dir.exists() {
            let real = Command::new("sh")
                .args(["-c", "command -v git"])
                .output()
                .unwrap();
            let real = String::from_utf8(real.stdout).unwrap().trim().to_owned();
            assert!(!real.is_empty(), "git is on the PATH");
            std::fs::create_dir_all(&dir).unwrap();
            let script = dir.join("git");
            std::fs::write(
                &script,
                format!(
                    "#!/bin/sh\n{{ printf 'argv:'; printf ' %s' \"$@\"; printf '\\n'; env; \
                     ls -l /proc/$$/fd; }} >> '{log}' 2>&1\nexec '{real}' \"$@\"\n",
                    log = self.path("git-calls.log").display()
                ),
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        dir
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn keepopen(&self, args: &[&str]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
        for variable in [
            "KEEPOPEN_POLICY",
            "KEEPOPEN_STATE",
            "KEEPOPEN_ARCHIVE",
            "GITHUB_APP_INSTALLATION_TOKEN",
        ] {
            c.env_remove(variable);
        }
        let path = std::env::var("PATH").unwrap_or_default();
        c.env("PATH", format!("{}:{path}", self.shim().display()))
            .env("GITHUB_TOKEN", TOKEN)
            .env("RUST_LOG", "trace")
            .env("GIT_TRACE", "0")
            .current_dir(self.dir.path())
            .arg("-vvv")
            .arg("--policy")
            .arg(self.path("policy.yaml"))
            .arg("--state")
            .arg(self.path("state"))
            .arg("--archive")
            .arg(self.path("archive"))
            .args(args)
            .output()
            .unwrap()
    }
}

/// Every file under `dir` holding `needle`, bare repositories' `config` files included.
fn files_containing(dir: &Path, needle: &[u8]) -> (usize, Vec<PathBuf>) {
    let mut walked = 0;
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                walked += 1;
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    found.push(path);
                }
            }
        }
    }
    (walked, found)
}

#[test]
fn the_token_appears_in_no_log_output_or_file_through_monitor_and_republish() {
    let w = World::start();
    let upstream = git_fixture::init_bare(&w.path("git/nhsleak/frontend.git"));
    git_fixture::commit(
        &upstream,
        "main",
        &[
            ("README.md", "# frontend\n"),
            (
                "LICENSE",
                include_str!("../corpus/001-govuk-design-system-mit.txt"),
            ),
        ],
        true,
        "first",
    );
    w.api.add_repo(FakeRepo::new(
        901,
        "nhsleak",
        "frontend",
        &w.git.url_for("nhsleak/frontend.git"),
    ));
    std::fs::write(
        w.path("policy.yaml"),
        format!(
            "{}\nsources:\n  orgs: [nhsleak]\nremoval:\n  confirmations: 2\n  min-gap: 0s\n\
             github:\n  api-url: '{api}'\n  timeout: 10s\n  attempts: 3\n  backoff: 10ms\n  max-backoff: 50ms\n\
             target:\n  forge: github\n  organisation: nhs-community\n  api-url: '{api}'\n  write-interval: 0s\n",
            crate::policy::licence_rules(),
            api = w.api.url
        ),
    )
    .unwrap();

    let mut outputs = Vec::new();
    let mut run = |args: &[&str], expect: i32| {
        let out = w.keepopen(args);
        let text = format!(
            "$ keepopen {}\n{}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(expect), "{text}");
        outputs.push(text);
    };
    run(&["monitor"], 0);
    w.api.update(901, |r| r.visibility = Visibility::Gone);
    run(&["monitor"], 0);
    run(&["monitor"], 0);
    run(&["status"], 0);
    run(&["republish", "nhsleak/frontend", "--dry-run"], 0);
    run(&["republish", "nhsleak/frontend"], 0);
    run(&["republish", "nhsleak/frontend", "--json"], 0);

    let all = outputs.join("\n");
    // The runs really happened, at trace level, and really used the token.
    assert!(all.contains("TRACE"), "trace-level logging was on");
    assert!(all.contains("published"), "{all}");
    assert!(
        w.api
            .requests()
            .iter()
            .any(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}"))),
        "the API received the token"
    );
    assert!(
        w.git.requests().iter().any(|r| r.authorized),
        "the git server received the token"
    );
    let published = w.path("git/nhs-community/nhsleak--frontend.git");
    assert!(published.join("config").exists(), "the target was created");

    for (i, text) in outputs.iter().enumerate() {
        assert!(!text.contains(TOKEN), "run {i} printed the token:\n{text}");
        // Nor the token in the form git's basic auth carries it.
        let basic = crate::support::git_http::base64(format!("x-access-token:{TOKEN}").as_bytes());
        assert!(
            !text.contains(&basic),
            "run {i} printed the basic-auth header"
        );
    }
    // Every git keepopen started (the pushes) had neither the token nor its basic-auth form in an argument or
    // a variable, and got the credential on fd 3 (a pipe).
    let calls = std::fs::read_to_string(w.path("git-calls.log")).expect("keepopen ran git");
    assert!(
        calls
            .lines()
            .any(|l| l.starts_with("argv:") && l.contains(" push ")),
        "{calls}"
    );
    assert!(
        !calls.contains(TOKEN),
        "a git child saw the token:\n{calls}"
    );
    let basic = crate::support::git_http::base64(format!("x-access-token:{TOKEN}").as_bytes());
    assert!(!calls.contains(&basic), "{calls}");
    assert!(!calls.contains("GITHUB_TOKEN"), "{calls}");
    assert!(calls.contains("3 -> pipe:"), "{calls}");
    let mut walked = 0;
    for dir in ["state", "archive", "git/nhs-community", "policy.yaml"] {
        let path = w.path(dir);
        if path.is_file() {
            continue;
        }
        let (n, found) = files_containing(&path, TOKEN.as_bytes());
        walked += n;
        assert!(found.is_empty(), "the token was written to {found:?}");
    }
    assert!(walked > 20, "the walk read the files ({walked})");
    eprintln!(
        "secrets: {} runs of the binary at trace level, {} bytes of output, {walked} files walked",
        outputs.len(),
        all.len()
    );
    // Every bare repository's config, named explicitly: no remote URL with credentials in it.
    for config in [
        w.path("archive/901-frontend.git/config"),
        published.join("config"),
    ] {
        let text = std::fs::read_to_string(&config)
            .unwrap_or_else(|e| panic!("{}: {e}", config.display()));
        assert!(!text.contains(TOKEN), "{}: {text}", config.display());
        assert!(
            !text.contains("x-access-token"),
            "{}: {text}",
            config.display()
        );
    }
}
