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
use keepopen::monitor::{Monitor, MonitorConfig, Quiet, Shard};
use keepopen::policy::Policy;
use keepopen::publish::{self, Forge, Outcome, Overrides, Request, StaticToken, TargetConfig};
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
    let cases: &[(&str, &str, Option<(&str, &str)>)] = &[
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
    let cases: &[(&str, u16, Option<&str>, &str, &str, Option<&str>)] = &[
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
    api.add_user("a-person");
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
    let yaml = format!(
        "sources: {{orgs: [nhsuk], users: [a-person]}}\n\
         removal: {{confirmations: 2, min-gap: 0s}}\n\
         github: {{api-url: '{}', timeout: 10s, attempts: 3, backoff: 5ms, max-backoff: 20ms}}\n",
        api.url
    );
    let config = MonitorConfig::from_sections(
        &serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(&yaml).unwrap(),
    )
    .unwrap();
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
    api.rename(2, "nhsuk", "new-name");
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
            forge: Forge::Github,
            organisation: Some(ORG.into()),
            api_url: target_api.url.clone(),
            write_interval: "0s".into(),
            ..TargetConfig::default()
        },
        overrides: Overrides::default(),
        now: Utc::now(),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_monitor_and_republish_requests_conform_to_githubs_rest_description() {
    let requests = requests_of_the_monitor_and_republish_flows().await;
    let prism = tokio::task::spawn_blocking(Prism::start).await.unwrap();
    // The flows covered what they should: the check is not vacuous.
    let covered: BTreeSet<String> = requests
        .iter()
        .filter_map(|r| {
            prism
                .description
                .route(&r.method, &r.path)
                .map(|routed| format!("{} {}", r.method, routed.template))
        })
        .collect();
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
