//! Configuration a user gets right first time, through the real binary: `github.api-url` is the one API setting
//! the monitor, the control repository and the target all use (each section can still name its own), and the
//! logs name licence texts by size and hash, leaving the texts to their own tracing target.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::git_fixture;
use crate::support::git_http::{GitServer, GitServerOptions};
use crate::support::github_api::{FakeGitHub, FakeRepo, Visibility};

const TOKEN: &str = "ghs_configTOKEN0123456789abcdef";
const MIT: &str = include_str!("../corpus/001-govuk-design-system-mit.txt");
/// A line of `MIT` that only the whole text holds.
const MIT_LINE: &str = "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND";
const CONTROL: &str = "nhs-community/keepopen";

/// Two GitHub-shaped API servers — `watched` (the NHS organisation `nhsuk`, with `nhsuk/frontend` under MIT, and
/// the control repository) and `community` (where copies may be created) — over one git server.
struct World {
    watched: FakeGitHub,
    community: FakeGitHub,
    dir: tempfile::TempDir,
    _git: GitServer,
    _runtime: tokio::runtime::Runtime,
}

impl World {
    fn start() -> World {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("git");
        std::fs::create_dir_all(&root).unwrap();
        let (watched, community, git) = runtime.block_on(async {
            (
                FakeGitHub::start().await,
                FakeGitHub::start().await,
                GitServer::start_with(
                    &root,
                    GitServerOptions {
                        token: None,
                        allow_push: true,
                    },
                )
                .await,
            )
        });
        for api in [&watched, &community] {
            api.require_token(Some(TOKEN));
            api.accept_writes(&root, &git.url);
        }
        watched.add_control_repo(CONTROL, "github-actions[bot]");
        let upstream = git_fixture::init_bare(&root.join("nhsuk/frontend.git"));
        git_fixture::commit(
            &upstream,
            "main",
            &[("README.md", "# frontend\n"), ("LICENSE", MIT)],
            true,
            "first",
        );
        watched.add_repo(FakeRepo::new(
            4242,
            "nhsuk",
            "frontend",
            &git.url_for("nhsuk/frontend.git"),
        ));
        World {
            watched,
            community,
            dir,
            _git: git,
            _runtime: runtime,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The deployment's policy: the repository's licence rules, `sources`, `target` and `approval` on the
    /// GitHub forges, `github.api-url` at the `watched` server, and `extra` lines added to `target`.
    fn write_policy(&self, target_extra: &str) -> PathBuf {
        let policy = self.path("control/policy.yaml");
        std::fs::create_dir_all(policy.parent().unwrap()).unwrap();
        std::fs::write(
            &policy,
            format!(
                "{}sources:\n  orgs: [nhsuk]\nremoval:\n  confirmations: 2\n  min-gap: 0s\n\
                 github:\n  api-url: '{}'\n  timeout: 10s\n  attempts: 2\n  backoff: 5ms\n  max-backoff: 20ms\n\
                 target:\n  forge: github\n  organisation: nhs-community\n  write-interval: 0s\n{target_extra}\
                 approval:\n  forge: github\n  repository: {CONTROL}\n  team: nhs-community/keepopen-maintainers\n",
                crate::policy::licence_rules(),
                self.watched.url
            ),
        )
        .unwrap();
        policy
    }

    fn keepopen(&self, policy: &Path, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .env_remove("RUST_LOG")
            .env_remove("GITHUB_APP_INSTALLATION_TOKEN")
            .env("GITHUB_TOKEN", TOKEN)
            .current_dir(self.path("control"))
            .arg("--policy")
            .arg(policy)
            .arg("--state")
            .arg(self.path("state"))
            .arg("--archive")
            .arg(self.path("archive"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "keepopen {args:?}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Watch `nhsuk`, see `nhsuk/frontend` go and confirm it, propose it, and republish it by hand.
    fn run_the_deployment(&self, policy: &Path) {
        self.keepopen(policy, &["policy", "check"]);
        self.keepopen(policy, &["monitor"]);
        self.watched
            .update(4242, |r| r.visibility = Visibility::Gone);
        self.keepopen(policy, &["monitor"]);
        self.keepopen(policy, &["monitor"]);
        self.keepopen(policy, &["propose"]);
        self.keepopen(policy, &["republish", "nhsuk/frontend"]);
    }
}

/// (method, path) of every request `api` received.
fn requests(api: &FakeGitHub) -> Vec<(String, String)> {
    api.requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

fn received(api: &FakeGitHub, method: &str, path: &str) -> bool {
    requests(api).iter().any(|(m, p)| m == method && p == path)
}

#[test]
fn github_api_url_alone_serves_the_monitor_the_control_repository_and_the_target() {
    let w = World::start();
    let policy = w.write_policy("");
    w.run_the_deployment(&policy);

    // One server, named once, received all three clients' requests.
    assert!(
        received(&w.watched, "GET", "/orgs/nhsuk/repos"),
        "the monitor"
    );
    assert_eq!(
        w.watched.pulls().len(),
        1,
        "propose opened its pull request"
    );
    assert!(
        received(&w.watched, "POST", &format!("/repos/{CONTROL}/pulls")),
        "the control repository"
    );
    assert!(
        received(&w.watched, "POST", "/orgs/nhs-community/repos"),
        "the target"
    );
    assert!(w.watched.repo("nhs-community/nhsuk--frontend").is_some());
    assert_eq!(requests(&w.community), [], "nothing went elsewhere");
}

#[test]
fn target_api_url_overrides_github_api_url_for_the_target_alone() {
    let w = World::start();
    let policy = w.write_policy(&format!("  api-url: '{}'\n", w.community.url));
    w.run_the_deployment(&policy);

    // The target's own setting wins for the target ...
    assert!(received(&w.community, "POST", "/orgs/nhs-community/repos"));
    assert!(w.community.repo("nhs-community/nhsuk--frontend").is_some());
    assert!(
        requests(&w.community)
            .iter()
            .all(|(_, path)| path.contains("nhs-community/")
                || path.starts_with("/orgs/nhs-community")),
        "only the target's requests: {:?}",
        requests(&w.community)
    );
    // ... and the monitor and the control repository stay on github.api-url.
    assert!(w.watched.repo("nhs-community/nhsuk--frontend").is_none());
    assert!(!received(&w.watched, "POST", "/orgs/nhs-community/repos"));
    assert!(received(&w.watched, "GET", "/orgs/nhsuk/repos"));
    assert_eq!(w.watched.pulls().len(), 1);
}

/// A local checkout of `nhsuk/frontend` under MIT, and `keepopen check` on it with `-vvv` and `rust_log`.
fn check_logs(rust_log: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let repo = git_fixture::init_bare(&dir.path().join("frontend.git"));
    git_fixture::commit(&repo, "main", &[("LICENSE", MIT)], true, "first");
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    c.env_remove("RUST_LOG")
        .env_remove("KEEPOPEN_POLICY")
        .current_dir(dir.path())
        .args(["-vvv", "--state"])
        .arg(dir.path().join("state"))
        .args(["check", "--default-policy"])
        .arg(dir.path().join("frontend.git"));
    if let Some(directives) = rust_log {
        c.env("RUST_LOG", directives);
    }
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("MIT"), "the check ran: {stdout}");
    stderr
}

#[test]
fn at_trace_level_a_licence_text_is_logged_by_size_and_hash_and_whole_only_on_its_own_target() {
    let sha256 = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(MIT.as_bytes()))
    };

    let trace = check_logs(None);
    assert!(trace.contains("TRACE"), "trace logging was on:\n{trace}");
    assert!(
        trace.contains(&format!("bytes={}", MIT.len())) && trace.contains(&sha256),
        "the text is named by size and sha256:\n{trace}"
    );
    assert!(
        !trace.contains(MIT_LINE)
            && !trace
                .to_lowercase()
                .contains("provided as is without warranty"),
        "-vvv printed the licence text or its normalised form:\n{trace}"
    );
    assert!(
        trace.len() < MIT.len() * 4,
        "{} bytes of logs for a {}-byte licence",
        trace.len(),
        MIT.len()
    );

    let texts = check_logs(Some("keepopen::license::text=trace"));
    assert!(texts.contains(MIT_LINE), "the text as read:\n{texts}");
    assert!(
        texts.contains("licence text normalised") && texts.contains("licence text as compared"),
        "the normalised forms:\n{texts}"
    );
}
