//! The contract test: the exact requests keepopen makes — recorded by the fake GitHub while the monitor and
//! republish flows run for real — replayed against Stoplight Prism serving GitHub's official OpenAPI description
//! in validating mode (see `support/prism.rs`). A path, method, query parameter or body that GitHub's published
//! API does not accept fails the test with the request and Prism's reason. The tools come from npm
//! (`npm ci --prefix tools`); when they are missing the tests fail and say how to install them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::Utc;
use keepopen::archive::Archive;
use keepopen::github::Token;
use keepopen::monitor::{Monitor, Quiet, Shard};
use keepopen::policy::ForgeKind;
use keepopen::policy::Policy;
use keepopen::publish::{self, Outcome, Overrides, Request, StaticToken, TargetConfig};
use keepopen::state::{Status, Store};
use serde_json::json;

use crate::support::git_fixture;
use crate::support::git_http::{GitServer, GitServerOptions};
use crate::support::github_api::{FakeGitHub, FakeRepo, Recorded, Visibility};
use crate::support::prism::{Description, Judgement, Prism, Replay, UNDOCUMENTED, judge};

const MIT: &str = include_str!("../corpus/001-govuk-design-system-mit.txt");
const TOKEN: &str = "ghs_contractTOKEN0123456789abcdef";
const ORG: &str = "nhs-community";

fn recorded(method: &str, path: &str, query: &str, body: &str) -> Recorded {
    Recorded {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        status: 200,
        authorization: Some(format!("Bearer {TOKEN}")),
        if_none_match: None,
        fault: None,
        body: body.into(),
    }
}

/// A small description in GitHub's form: a `$ref`'d multi-segment parameter, an inline one, plain ones.
fn small_description() -> Description {
    Description::from_document(&json!({
        "paths": {
            "/repos/{owner}/{repo}": {"get": {"parameters": [
                {"$ref": "#/components/parameters/owner"}, {"$ref": "#/components/parameters/repo"}]}},
            "/repos/{owner}/{repo}/topics": {"put": {}},
            "/repos/{owner}/{repo}/git/ref/{ref}": {"get": {"parameters": [
                {"$ref": "#/components/parameters/owner"}, {"$ref": "#/components/parameters/git-ref-only"}]}},
            "/repos/{owner}/{repo}/contents/{path}": {"put": {"parameters": [
                {"name": "path", "in": "path", "required": true, "x-multi-segment": true}]}},
            "/repos/{owner}/{repo}/branches/{branch}": {"get": {"parameters": [
                {"name": "branch", "in": "path", "required": true}]}},
        },
        "components": {"parameters": {
            "owner": {"name": "owner", "in": "path", "required": true},
            "repo": {"name": "repo", "in": "path", "required": true},
            "git-ref-only": {"name": "ref", "in": "path", "required": true, "x-multi-segment": true},
        }},
    }))
    .unwrap()
}

#[test]
fn prism_routing_encodes_slashes_only_inside_parameters_the_description_marks_multi_segment() {
    let d = small_description();
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);
    let cases: &[Case<'_>] = &[
        (
            "GET",
            "/repos/o/r",
            Some(("/repos/{owner}/{repo}", "/repos/o/r")),
        ),
        (
            "PUT",
            "/repos/o/r/topics",
            Some(("/repos/{owner}/{repo}/topics", "/repos/o/r/topics")),
        ),
        (
            "GET",
            "/repos/o/r/git/ref/heads/main",
            Some((
                "/repos/{owner}/{repo}/git/ref/{ref}",
                "/repos/o/r/git/ref/heads%2Fmain",
            )),
        ),
        (
            "PUT",
            "/repos/NHS/keepopen/contents/republications/nhsuk/a b.yaml",
            Some((
                "/repos/{owner}/{repo}/contents/{path}",
                "/repos/NHS/keepopen/contents/republications%2Fnhsuk%2Fa%20b.yaml",
            )),
        ),
        // `branch` is not marked multi-segment: a slash does not route.
        ("GET", "/repos/o/r/branches/feature/x", None),
        (
            "GET",
            "/repos/o/r/branches/main",
            Some((
                "/repos/{owner}/{repo}/branches/{branch}",
                "/repos/o/r/branches/main",
            )),
        ),
        ("GET", "/repos/o/r/licence", None),
        ("GET", "/repos/o", None),
        ("GET", "/repos/o/r/git/ref/", None),
    ];
    for (method, path, expected) in cases {
        let routed = d.route(method, path).map(|r| (r.template, r.path));
        let expected = expected.map(|(t, p)| (t.to_owned(), p.to_owned()));
        assert_eq!(routed, expected, "{method} {path}");
    }
    // The replayed request keeps the query, the token and the body.
    let replay = Replay::of(
        &d,
        &recorded("GET", "/repos/o/r/git/ref/heads/x", "a=1", ""),
    );
    assert_eq!(replay.target, "/repos/o/r/git/ref/heads%2Fx?a=1");
    assert_eq!(
        replay.authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[test]
fn prism_answers_are_read_as_request_violations_only_when_the_request_is_at_fault() {
    let problem = "application/problem+json; charset=utf-8";
    // (what, status, sl-violations header, content type, body, a problem expected to name this)
    type Case<'a> = (
        &'a str,
        u16,
        Option<&'a str>,
        &'a str,
        &'a str,
        Option<&'a str>,
    );
    let cases: &[Case<'_>] = &[
        ("plain success", 200, None, "application/json", "{}", None),
        (
            "prism's own example misses a required field",
            500,
            Some(
                r#"[{"location":["response","body"],"severity":"Error","code":"required","message":"Response body must have required property 'language'"}]"#,
            ),
            problem,
            r#"{"type":"https://stoplight.io/prism/errors#VIOLATIONS","title":"Request/Response not valid","status":500,"validation":[{"location":["response","body"],"severity":"Error","message":"Response body must have required property 'language'"}]}"#,
            None,
        ),
        (
            "body violation answered with the description's 422 example",
            422,
            Some(
                r#"[{"location":["request","body"],"severity":"Error","code":"required","message":"Request body must have required property 'name'"}]"#,
            ),
            "application/json",
            r#"{"message":"string"}"#,
            Some("required property 'name'"),
        ),
        (
            "query violation in prism's own problem",
            422,
            None,
            problem,
            r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"validation":[{"location":["query","per_page"],"severity":"Error","message":"Request query parameter per_page must be integer"}]}"#,
            Some("query.per_page"),
        ),
        (
            "unknown path",
            404,
            None,
            problem,
            r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404,"detail":"The route /x hasn't been found"}"#,
            Some("NO_PATH_MATCHED_ERROR"),
        ),
        (
            "wrong method",
            405,
            None,
            problem,
            r#"{"type":"https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR","title":"Route resolved, but no method matched","status":405}"#,
            Some("NO_METHOD_MATCHED_ERROR"),
        ),
        (
            "an error prism could not explain is not a pass",
            500,
            None,
            problem,
            r#"{"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"Cannot find serializer","status":500}"#,
            Some("UNKNOWN"),
        ),
        (
            "garbled violations header",
            200,
            Some("[oops"),
            "application/json",
            "{}",
            Some("unreadable"),
        ),
        (
            "a warning is not a failure",
            200,
            Some(
                r#"[{"location":["request","header"],"severity":"Warning","message":"deprecated"}]"#,
            ),
            "application/json",
            "{}",
            None,
        ),
    ];
    for (name, status, header, content_type, body, expected) in cases {
        match (judge(*status, *header, content_type, body), expected) {
            (Judgement::Conforms { .. }, None) => {}
            (Judgement::Violates { problems, .. }, Some(needle)) => {
                assert!(
                    problems.iter().any(|p| p.contains(needle)),
                    "{name}: {problems:?}"
                )
            }
            (other, _) => panic!("{name}: {other:?}"),
        }
    }
}

/// Monitor one org through a rename, a licence read and a removal, then republish the removed repository to the
/// GitHub target: every API request keepopen made on the way.
async fn requests_of_the_monitor_and_republish_flows() -> Vec<Recorded> {
    let dir = tempfile::tempdir().unwrap();
    let upstream = dir.path().join("upstream");
    let api = FakeGitHub::start().await;
    let git = GitServer::start_with(&upstream, GitServerOptions::default()).await;
    for (id, name) in [(1u64, "frontend"), (2, "old-name"), (3, "stays")] {
        let repo = git_fixture::init_bare(&upstream.join("nhsuk").join(format!("{name}.git")));
        git_fixture::commit(
            &repo,
            "main",
            &[("README.md", "# nhsuk\n"), ("LICENSE", MIT)],
            true,
            "first",
        );
        api.add_repo(FakeRepo::new(
            id,
            "nhsuk",
            name,
            &git.url_for(&format!("nhsuk/{name}.git")),
        ));
    }
    api.add_user("a-person");
    let yaml = format!(
        "sources: {{orgs: [nhsuk], users: [a-person]}}\n\
         removal: {{confirmations: 2, min-gap: 0s}}\n\
         github: {{api-url: '{}', timeout: 10s, attempts: 3, backoff: 5ms, max-backoff: 20ms}}\n",
        api.url
    );
    let config = keepopen::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")
        .unwrap()
        .monitor;
    let state = dir.path().join("state");
    let archive_dir = dir.path().join("archive");
    let monitor = Monitor::new(
        config,
        Store::open(&state).unwrap(),
        Archive::open(&archive_dir, 2).unwrap(),
        Some(Token::new(TOKEN)),
        Shard::default(),
        2,
    )
    .unwrap();
    monitor.scan(Utc::now(), Arc::new(Quiet)).await.unwrap();
    // Transferred out of the watched org: the old name answers 301, which keepopen follows up by id.
    api.rename(2, "elsewhere", "old-name");
    api.update(1, |r| r.visibility = Visibility::Gone);
    for _ in 0..3 {
        monitor.scan(Utc::now(), Arc::new(Quiet)).await.unwrap();
    }
    let store = Store::open(&state).unwrap();
    let record = store.load(1).unwrap().unwrap();
    assert_eq!(
        record.status,
        Status::Removed,
        "the flow reached a confirmed removal"
    );
    let mut requests = api.requests();

    // Republish it to the GitHub-shaped target.
    let target_root = dir.path().join("target");
    let target_api = FakeGitHub::start().await;
    let target_git = GitServer::start_with(
        &target_root,
        GitServerOptions {
            token: Some(TOKEN.into()),
            allow_push: true,
        },
    )
    .await;
    target_api.accept_writes(&target_root, &target_git.url);
    let mirror = record.mirror.as_ref().unwrap().path.clone();
    let request = Request {
        mirror: keepopen::archive::resolve(&archive_dir, &mirror).unwrap(),
        record,
        policy: Arc::new(Policy::default()),
        target: TargetConfig {
            forge: ForgeKind::Github,
            organisation: Some(ORG.into()),
            api_url: target_api.url.clone(),
            write_interval: "0s".into(),
            ..TargetConfig::default()
        },
        overrides: Overrides::default(),
        now: Utc::now(),
        evaluation: None,
    };
    let publication = publish::republish(
        &store,
        request,
        Some(Arc::new(StaticToken(Token::new(TOKEN)))),
    )
    .await
    .unwrap();
    assert_eq!(publication.outcome, Outcome::Published);
    requests.extend(target_api.requests());
    requests
}

/// `METHOD /template` of every request that routes to an operation of GitHub's description.
fn covered_routes(prism: &Prism, requests: &[Recorded]) -> BTreeSet<String> {
    requests
        .iter()
        .filter_map(|r| {
            prism
                .description
                .route(&r.method, &r.path)
                .map(|routed| format!("{} {}", r.method, routed.template))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_monitor_and_republish_requests_conform_to_githubs_rest_description() {
    let requests = requests_of_the_monitor_and_republish_flows().await;
    let prism = tokio::task::spawn_blocking(Prism::start).await.unwrap();
    // The flows covered what they should: the check is not vacuous.
    let covered = covered_routes(&prism, &requests);
    for expected in [
        "GET /orgs/{org}/repos",
        "GET /users/{username}/repos",
        "GET /repos/{owner}/{repo}",
        "GET /repos/{owner}/{repo}/license",
        "POST /orgs/{org}/repos",
        "PATCH /repos/{owner}/{repo}",
        "PUT /repos/{owner}/{repo}/topics",
        "PUT /repos/{owner}/{repo}/actions/permissions",
    ] {
        assert!(
            covered.contains(expected),
            "the flows never called {expected}: {covered:?}"
        );
    }
    let (exceptions, requests) = tokio::task::spawn_blocking(move || {
        let exceptions = prism.assert_conforms(&requests);
        (exceptions, requests)
    })
    .await
    .unwrap();
    // The rename was re-checked by id, the one route GitHub serves but does not describe; it is reported.
    assert!(
        requests
            .iter()
            .any(|r| r.path.starts_with("/repositories/")),
        "the flow never looked a repository up by id"
    );
    assert_eq!(exceptions.len(), 1, "{exceptions:?}");
    assert!(
        exceptions[0].starts_with("GET /repositories/{id}"),
        "{exceptions:?}"
    );
    eprintln!(
        "checked {} requests; undocumented but served by GitHub: {exceptions:?}",
        requests.len()
    );
}

/// A user's listing once asked for `type=public`, which `GET /users/{username}/repos` does not accept (GitHub
/// describes `all`, `owner`, `member`; only `/orgs/{org}/repos` has `public`); this test found it. Both listings
/// keepopen builds are accepted, and the old user query is still refused, so the check itself can tell.
#[test]
fn contract_user_and_org_listings_use_the_type_each_route_accepts() {
    let prism = Prism::start();
    for owner in [
        keepopen::github::Owner::User("a-person".into()),
        keepopen::github::Owner::Org("nhsuk".into()),
    ] {
        let page = owner.first_page();
        let (path, query) = page.split_once('?').unwrap();
        let replay = Replay::of(&prism.description, &recorded("GET", path, query, ""));
        assert!(
            matches!(prism.check(&replay), Judgement::Conforms { .. }),
            "{page}"
        );
    }
    let replay = Replay::of(
        &prism.description,
        &recorded(
            "GET",
            "/users/a-person/repos",
            "type=public&per_page=100",
            "",
        ),
    );
    match prism.check(&replay) {
        Judgement::Violates { problems, .. } => {
            assert!(
                problems.iter().any(|p| p.contains("query.type")),
                "{problems:?}"
            )
        }
        Judgement::Conforms { .. } => panic!("type=public on a user listing was accepted"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_a_wrong_path_method_query_or_body_is_refused_with_prisms_reason() {
    let prism = tokio::task::spawn_blocking(Prism::start).await.unwrap();
    tokio::task::spawn_blocking(move || {
        let refused: &[(Recorded, &str)] = &[
            (
                recorded("DELETE", "/rate_limit", "", ""),
                "NO_METHOD_MATCHED",
            ),
            (
                recorded("GET", "/repos/nhsuk/frontend/licence", "", ""),
                "NO_PATH_MATCHED",
            ),
            (
                recorded("GET", "/orgs/nhsuk/repos", "type=public&per_page=abc", ""),
                "per_page",
            ),
            (
                recorded("GET", "/orgs/nhsuk/repos", "type=everything", ""),
                "type",
            ),
            (
                recorded(
                    "POST",
                    "/orgs/nhs-community/repos",
                    "",
                    r#"{"description":"no name"}"#,
                ),
                "'name'",
            ),
            (
                recorded(
                    "PUT",
                    "/repos/nhs-community/x/topics",
                    "",
                    r#"{"names":"keepopen"}"#,
                ),
                "names",
            ),
            (
                recorded(
                    "PATCH",
                    "/repos/nhs-community/x",
                    "",
                    r#"{"archived":"yes"}"#,
                ),
                "archived",
            ),
            (
                recorded(
                    "PUT",
                    "/repos/nhs-community/x/actions/permissions",
                    "",
                    r#"{}"#,
                ),
                "enabled",
            ),
            // A multi-segment path routes, and its body is still checked: `message` is required.
            (
                recorded(
                    "PUT",
                    "/repos/nhs-community/keepopen/contents/republications/nhsuk/frontend.yaml",
                    "",
                    r#"{"content":"eA=="}"#,
                ),
                "'message'",
            ),
        ];
        for (request, needle) in refused {
            let replay = Replay::of(&prism.description, request);
            match prism.check(&replay) {
                Judgement::Violates { problems, .. } => assert!(
                    problems.iter().any(|p| p.contains(needle)),
                    "{} {}: expected a problem naming {needle}, got {problems:?}",
                    request.method,
                    request.path
                ),
                other => panic!(
                    "{} {} {}: not refused: {other:?}",
                    request.method, request.path, request.body
                ),
            }
        }
        // assert_conforms itself fails on such a request, naming it and Prism's message.
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            prism.assert_conforms(&[
                recorded("GET", "/rate_limit", "", ""),
                recorded(
                    "POST",
                    "/orgs/nhs-community/repos",
                    "",
                    r#"{"private":false}"#,
                ),
            ])
        }));
        let message = caught
            .expect_err("assert_conforms let a request without `name` through")
            .downcast::<String>()
            .map(|s| *s)
            .unwrap_or_default();
        assert!(
            message.contains("POST /orgs/nhs-community/repos") && message.contains("'name'"),
            "{message}"
        );

        // The same kinds of request, well formed, pass, including slash-bearing refs and contents paths.
        prism.assert_conforms(&[
            recorded(
                "GET",
                "/orgs/nhsuk/repos",
                "type=public&per_page=100&page=2",
                "",
            ),
            recorded(
                "POST",
                "/orgs/nhs-community/repos",
                "",
                r#"{"name":"nhsuk--frontend","private":false}"#,
            ),
            recorded(
                "PUT",
                "/repos/nhs-community/x/topics",
                "",
                r#"{"names":["keepopen"]}"#,
            ),
            recorded(
                "GET",
                "/repos/nhs-community/keepopen/git/ref/heads/keepopen/nhsuk/frontend",
                "",
                "",
            ),
            recorded(
                "PUT",
                "/repos/nhs-community/keepopen/contents/republications/nhsuk/frontend.yaml",
                "",
                r#"{"message":"add record","content":"eA==","branch":"keepopen/nhsuk/frontend"}"#,
            ),
        ]);

        // Each exception is still needed: Prism refuses it. When GitHub documents one, this says to drop it.
        for (method, template, _) in UNDOCUMENTED {
            let path = template.replace("{id}", "4242");
            let replay = Replay::of(&prism.description, &recorded(method, &path, "", ""));
            assert!(
                matches!(prism.check(&replay), Judgement::Violates { .. }),
                "{method} {template} is now in GitHub's description: remove it from UNDOCUMENTED"
            );
        }
    })
    .await
    .unwrap();
}

// The workflows' contract with GitHub Actions: actionlint, least privilege, pinned actions, and the state branch.

fn repo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `node scripts/lint-workflows.mjs <dir>`: (exit code, output).
fn lint_workflows(dir: &std::path::Path) -> (i32, String) {
    let out = std::process::Command::new("node")
        .arg(repo_root().join("scripts/lint-workflows.mjs"))
        .arg(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run node ({e})\n{}",
                crate::support::prism::INSTALL_HELP
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        out.status.code(),
        Some(2),
        "the lint could not run:\n{text}"
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn workflow_lint_passes_the_workflows_and_fails_a_broken_copy_naming_file_and_line() {
    let workflows = repo_root().join(".github/workflows");
    let (code, text) = lint_workflows(&workflows);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 problem(s)"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&workflows).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let monitor = dir.path().join("monitor.yml");
    let text = std::fs::read_to_string(&monitor).unwrap();
    // A misspelt permission and a job that needs a job that does not exist.
    let broken = text
        .replacen(
            "contents: write # push the state branch",
            "contents: writ # push the state branch",
            1,
        )
        .replacen("needs: monitor", "needs: monitr", 1);
    assert_ne!(
        broken, text,
        "the workflow changed shape: update this test's edits"
    );
    std::fs::write(&monitor, broken).unwrap();
    let (code, output) = lint_workflows(dir.path());
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("monitor.yml:") && output.contains("\"writ\""),
        "{output}"
    );
    assert!(output.contains("monitr"), "{output}");
}

/// Every workflow as YAML, by file name.
fn workflows() -> BTreeMap<String, serde_yaml::Value> {
    let dir = repo_root().join(".github/workflows");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            value,
        );
    }
    out
}

#[test]
fn workflows_grant_least_privilege_pin_actions_and_never_use_pull_request_target() {
    let all = workflows();
    for name in [
        "monitor.yml",
        "apply.yml",
        "republish.yml",
        "ci.yml",
        "release.yml",
    ] {
        assert!(all.contains_key(name), "missing .github/workflows/{name}");
    }
    for (name, workflow) in &all {
        let on = &workflow["on"];
        assert!(
            on.get("pull_request_target").is_none(),
            "{name} uses pull_request_target"
        );
        let top = &workflow["permissions"];
        let top_ok = top.as_mapping().is_some_and(|m| {
            m.values()
                .all(|v| v.as_str() == Some("read") || v.as_str() == Some("none"))
        });
        assert!(
            top_ok,
            "{name}: top-level permissions must be {{}} or read-only: {top:?}"
        );
        let runs_pull_requests = on.get("pull_request").is_some();
        for (job_name, job) in workflow["jobs"].as_mapping().unwrap() {
            let job_name = job_name.as_str().unwrap();
            let text = serde_yaml::to_string(job).unwrap();
            // keepopen's own workflows name each job's permissions (the top level grants nothing).
            let keepopen_workflow =
                ["monitor.yml", "apply.yml", "republish.yml"].contains(&name.as_str());
            assert!(
                !keepopen_workflow || job.get("permissions").is_some(),
                "{name}/{job_name}: no permissions block"
            );
            if runs_pull_requests {
                assert!(
                    !text.contains("secrets."),
                    "{name}/{job_name} runs pull-request code with a secret"
                );
                assert!(
                    !text.contains(": write"),
                    "{name}/{job_name} runs pull-request code with write access"
                );
            }
            for step in job["steps"].as_sequence().into_iter().flatten() {
                if let Some(script) = step.get("run").and_then(|r| r.as_str()) {
                    // Values reach keepopen's scripts through `env:`, never expanded into the script text.
                    assert!(
                        !keepopen_workflow || !script.contains("${{"),
                        "{name}/{job_name}: an expression is expanded into a script: {script}"
                    );
                }
                let Some(uses) = step.get("uses").and_then(|u| u.as_str()) else {
                    continue;
                };
                if uses.starts_with("./") {
                    continue;
                }
                let (_, reference) = uses.split_once('@').unwrap_or((uses, ""));
                assert!(
                    reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{name}/{job_name}: {uses} is not pinned to a commit"
                );
            }
        }
    }
    // The three keepopen workflows: triggers, the shared concurrency group, the protected environment.
    let monitor = &all["monitor.yml"];
    assert!(
        monitor["on"].get("schedule").is_some() && monitor["on"].get("workflow_dispatch").is_some()
    );
    let apply = &all["apply.yml"];
    assert_eq!(apply["on"]["push"]["branches"][0].as_str(), Some("main"));
    assert_eq!(
        apply["on"]["push"]["paths"][0].as_str(),
        Some("republications/**")
    );
    let republish = &all["republish.yml"];
    assert!(
        republish["on"]["workflow_dispatch"]["inputs"]
            .get("repo")
            .is_some()
    );
    assert_eq!(
        republish["jobs"]["republish"]["environment"].as_str(),
        Some("republish")
    );
    for name in ["monitor.yml", "apply.yml", "republish.yml"] {
        assert_eq!(
            all[name]["concurrency"]["group"].as_str(),
            Some("keepopen-state"),
            "{name}"
        );
        assert_eq!(
            all[name]["concurrency"]["cancel-in-progress"].as_bool(),
            Some(false),
            "{name}"
        );
    }
    // The composite action: every step names its shell (GitHub refuses a composite `run` step without one), and
    // no input is expanded into a script (inputs reach scripts through `env:`).
    let action: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(repo_root().join("action.yml")).unwrap())
            .unwrap();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        if let Some(script) = step.get("run").and_then(|r| r.as_str()) {
            assert!(
                step.get("shell").is_some(),
                "action.yml step without shell: {step:?}"
            );
            assert!(
                !script.contains("${{"),
                "action.yml expands an expression into a script: {script}"
            );
        }
    }
    // The org-writing App token is minted only in apply and republish.
    for (name, workflow) in &all {
        let text = serde_yaml::to_string(workflow).unwrap();
        if text.contains("permission-administration") {
            assert!(
                name == "apply.yml" || name == "republish.yml",
                "{name} mints an org-writing token"
            );
        }
    }
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn state_branch(clone: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("bash")
        .arg(repo_root().join("scripts/state-branch"))
        .args(args)
        .current_dir(clone)
        .env("GIT_AUTHOR_NAME", "shard")
        .env("GIT_AUTHOR_EMAIL", "shard@example.invalid")
        .env("GIT_COMMITTER_NAME", "shard")
        .env("GIT_COMMITTER_EMAIL", "shard@example.invalid")
        .output()
        .unwrap()
}

#[test]
fn state_branch_keeps_both_parallel_shards_and_every_removal_line_and_refuses_a_real_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "--bare", "-b", "main", "control.git"]);
    git(root, &["clone", "-q", "control.git", "seed"]);
    let seed = root.join("seed");
    std::fs::write(seed.join("policy.yaml"), "version: 1\n").unwrap();
    git(&seed, &["add", "."]);
    git(
        &seed,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "control",
        ],
    );
    git(&seed, &["push", "-q", "origin", "main"]);
    for shard in ["one", "two"] {
        git(root, &["clone", "-q", "control.git", shard]);
    }
    // Both shards start before either saved: the first run ever, so both create meta.json.
    let write_shard = |shard: &str, id: u32, i: u32| {
        let clone = root.join(shard);
        let out = state_branch(&clone, &["restore", "st"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let st = clone.join("st");
        std::fs::create_dir_all(st.join("repos")).unwrap();
        std::fs::create_dir_all(st.join("shards")).unwrap();
        std::fs::write(
            st.join("meta.json"),
            format!("{{\"created\":\"{shard}\"}}\n"),
        )
        .unwrap();
        std::fs::write(st.join(format!("repos/{id}.json")), "{}\n").unwrap();
        std::fs::write(st.join(format!("shards/{i}-of-2.json")), "{}\n").unwrap();
        std::fs::write(st.join("removals.jsonl"), format!("{{\"id\":{id}}}\n")).unwrap();
    };
    write_shard("one", 11, 1);
    write_shard("two", 22, 2);
    for shard in ["one", "two"] {
        let out = state_branch(
            &root.join(shard),
            &["save", "st", &format!("monitor shard {shard}")],
        );
        assert!(
            out.status.success(),
            "{shard}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bare = root.join("control.git");
    let files = git(&bare, &["ls-tree", "-r", "--name-only", "state"]);
    for file in [
        "meta.json",
        "repos/11.json",
        "repos/22.json",
        "shards/1-of-2.json",
        "shards/2-of-2.json",
    ] {
        assert!(
            files.lines().any(|l| l == file),
            "{file} missing from the state branch:\n{files}"
        );
    }
    let removals = git(&bare, &["show", "state:removals.jsonl"]);
    assert_eq!(
        removals, "{\"id\":11}\n{\"id\":22}\n",
        "both shards' removal lines are kept"
    );
    assert_eq!(
        git(&bare, &["show", "state:meta.json"]),
        "{\"created\":\"one\"}\n",
        "the first meta.json stays"
    );
    assert_eq!(
        git(&bare, &["ls-tree", "--name-only", "main"]).trim(),
        "policy.yaml",
        "main is untouched"
    );

    // A later run restores what is on the branch; two runs that changed the same record conflict, and the
    // second stops with an error instead of choosing one.
    for (shard, text) in [("one", "{\"a\":1}\n"), ("two", "{\"b\":2}\n")] {
        let clone = root.join(shard);
        git(&clone, &["worktree", "remove", "--force", "st"]);
        let out = state_branch(&clone, &["restore", "st"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            clone.join("st/repos/22.json").exists(),
            "restore brings the branch back"
        );
        std::fs::write(clone.join("st/repos/11.json"), text).unwrap();
    }
    assert!(
        state_branch(&root.join("one"), &["save", "st", "first"])
            .status
            .success()
    );
    let out = state_branch(&root.join("two"), &["save", "st", "second"]);
    assert!(
        !out.status.success(),
        "a conflicting record was merged silently"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("repos/11.json"));
    assert_eq!(git(&bare, &["show", "state:repos/11.json"]), "{\"a\":1}\n");
}

#[test]
fn commit_records_pushes_only_the_records_and_rebases_over_a_merge_that_landed_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "--bare", "-b", "main", "control.git"]);
    git(root, &["clone", "-q", "control.git", "seed"]);
    let seed = root.join("seed");
    std::fs::create_dir_all(seed.join("republications/nhsuk")).unwrap();
    std::fs::write(
        seed.join("republications/nhsuk/frontend.yaml"),
        "status: proposed\n",
    )
    .unwrap();
    std::fs::write(seed.join("policy.yaml"), "version: 1\n").unwrap();
    git(&seed, &["add", "."]);
    git(
        &seed,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "merge proposal",
        ],
    );
    git(&seed, &["push", "-q", "origin", "main"]);
    git(root, &["clone", "-q", "control.git", "runner"]);
    let runner = root.join("runner");
    // apply updated the record; something else in the checkout changed too (it must not be committed).
    std::fs::write(
        runner.join("republications/nhsuk/frontend.yaml"),
        "status: published\n",
    )
    .unwrap();
    std::fs::write(runner.join("policy.yaml"), "version: 1\n# local edit\n").unwrap();
    // Meanwhile another proposal was merged.
    std::fs::write(
        seed.join("republications/nhsuk/other.yaml"),
        "status: proposed\n",
    )
    .unwrap();
    git(&seed, &["add", "."]);
    git(
        &seed,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "merge another",
        ],
    );
    git(&seed, &["push", "-q", "origin", "main"]);

    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/commit-records"))
        .arg("apply: record the publications")
        .current_dir(&runner)
        .env("GITHUB_REF_NAME", "main")
        .env("GIT_COMMITTER_NAME", "keepopen")
        .env("GIT_COMMITTER_EMAIL", "keepopen@example.invalid")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bare = root.join("control.git");
    assert_eq!(
        git(&bare, &["show", "main:republications/nhsuk/frontend.yaml"]),
        "status: published\n"
    );
    assert_eq!(
        git(&bare, &["show", "main:republications/nhsuk/other.yaml"]),
        "status: proposed\n"
    );
    assert_eq!(
        git(&bare, &["show", "main:policy.yaml"]),
        "version: 1\n",
        "only records are committed"
    );
    let subjects = git(&bare, &["log", "--format=%s", "main"]);
    assert_eq!(
        subjects.lines().collect::<Vec<_>>(),
        vec![
            "apply: record the publications",
            "merge another",
            "merge proposal"
        ]
    );
    // Nothing changed: nothing is committed.
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/commit-records"))
        .arg("again")
        .current_dir(&runner)
        .env("GITHUB_REF_NAME", "main")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to commit"));
    assert_eq!(
        git(&bare, &["log", "--format=%s", "-1", "main"]).trim(),
        "apply: record the publications"
    );
}

/// `scripts/actions-run ARGS…` with a summary file: (exit code, stdout, summary).
fn actions_run(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/actions-run"))
        .args(args)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        std::fs::read_to_string(&summary).unwrap_or_default(),
    )
}

#[test]
fn actions_run_annotates_errors_passes_partial_failures_and_stops_commands_in_quoted_output() {
    // Exit 2 (some repositories failed): a warning, the step passes; error lines become escaped annotations.
    let script = "echo 'seen 3'; echo 'error: nhsuk/a: 100% broken'; echo '::add-mask::x'; exit 2";
    let (code, stdout, summary) = actions_run(&["monitor, shard 1/2", "--", "bash", "-c", script]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("::error title=keepopen monitor%2C shard 1/2::nhsuk/a: 100%25 broken"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::warning title=keepopen monitor%2C shard 1/2::"),
        "{stdout}"
    );
    // The command's own output is fenced by ::stop-commands:: and the matching resume token.
    let stop = stdout
        .find("::stop-commands::")
        .expect("commands are stopped");
    let token = stdout[stop + 17..].lines().next().unwrap().to_owned();
    let quoted = stdout.find("::add-mask::x").unwrap();
    let resume = stdout
        .find(&format!("::{token}::"))
        .expect("commands are resumed");
    assert!(stop < quoted && quoted < resume, "{stdout}");
    assert!(
        summary.contains("### keepopen monitor, shard 1/2") && summary.contains("seen 3"),
        "{summary}"
    );
    assert!(summary.contains("Finished with problems"), "{summary}");

    // Any other failure fails the step; --pass-commands lets keepopen's own annotations through.
    let (code, stdout, summary) = actions_run(&[
        "--pass-commands",
        "propose",
        "--",
        "bash",
        "-c",
        "echo '::warning::NeedsReview'; exit 1",
    ]);
    assert_eq!(code, 1);
    assert!(
        !stdout.contains("::stop-commands::") && stdout.contains("::warning::NeedsReview"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::error title=keepopen propose::keepopen propose failed (exit 1)"),
        "{stdout}"
    );
    assert!(summary.contains("**Failed** (exit 1)"), "{summary}");

    let (code, _, _) = actions_run(&["no separator", "true"]);
    assert_eq!(code, 64, "usage error");
}

/// The approval flow's requests — propose (twice), a declined proposal (the closed pull requests listed, the
/// record read at a closed head), the maintainer check, apply refusing a merge without approval (the comment on
/// the pull request, then the comments listed), apply publishing, and the republication it makes — replayed
/// against GitHub's description: pulls, reviews, labels, comments, refs, contents, the base branch's trees and
/// blobs, and team memberships.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_propose_and_apply_requests_conform_to_githubs_rest_description() {
    let requests = crate::flow::github_flow_requests().await;
    let prism = tokio::task::spawn_blocking(Prism::start).await.unwrap();
    let covered = covered_routes(&prism, &requests);
    for expected in [
        "GET /repos/{owner}/{repo}/pulls",
        "POST /repos/{owner}/{repo}/pulls",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        "POST /repos/{owner}/{repo}/git/refs",
        "PUT /repos/{owner}/{repo}/contents/{path}",
        "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels",
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
        "GET /repos/{owner}/{repo}/contents/{path}",
        "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
        "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
        "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
        "POST /orgs/{org}/repos",
    ] {
        assert!(
            covered.contains(expected),
            "the approval flow never called {expected}: {covered:?}"
        );
    }
    let exceptions = tokio::task::spawn_blocking(move || prism.assert_conforms(&requests))
        .await
        .unwrap();
    assert!(
        exceptions
            .iter()
            .all(|e| e.starts_with("GET /repositories/{id}")),
        "{exceptions:?}"
    );
}
