//! Credential scope: the token goes only to the host keepopen pushes to. A push whose address redirects
//! elsewhere (a moved or hijacked remote) asks git's credential helper for the other host; keepopen's helper
//! answers nothing there, so the other host never sees the token, and a push to the right host still works.

use std::sync::Arc;

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use keepopen::github::Token;
use keepopen::publish::{StaticToken, TokenSource};

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::git_http::{GitServer, GitServerOptions};

const TOKEN: &str = "ghs_scope_test_token";

/// A server that answers every request with a redirect to `target` (same path and query).
async fn redirector(target: String) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let target = target.clone();
        async move {
            let to = format!(
                "{target}{}",
                uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
            );
            let response: Response = (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
            response
        }
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

fn source_repo() -> RepoFixture {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("README.md", "# pushed\n"));
    fx.set_head("main");
    fx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_push_token_is_handed_to_the_push_host_only_never_to_a_host_it_redirects_to() {
    let root = tempfile::tempdir().unwrap();
    git2::Repository::init_bare(root.path().join("target.git")).unwrap();
    let other = GitServer::start_with(
        root.path(),
        GitServerOptions {
            token: Some(TOKEN.into()),
            allow_push: true,
        },
    )
    .await;
    let (redirecting, task) = redirector(other.url.clone()).await;
    let tokens: Arc<dyn TokenSource> = Arc::new(StaticToken(Token::new(TOKEN)));
    let fx = source_repo();
    let refspecs = vec!["refs/heads/main:refs/heads/main".to_owned()];

    // Pushed to the redirecting host: git follows to the other host, which asks for credentials.
    let push = {
        let (path, url, refspecs, tokens) = (
            fx.path().to_owned(),
            format!("{redirecting}/target.git"),
            refspecs.clone(),
            tokens.clone(),
        );
        tokio::task::spawn_blocking(move || {
            let repo = git2::Repository::open_bare(&path).unwrap();
            keepopen::publish::git::push(&repo, &url, &refspecs, Some(tokens.as_ref()))
        })
        .await
        .unwrap()
    };
    assert!(push.is_err(), "the push through a redirect must fail");
    assert!(
        other.requests().iter().all(|r| !r.authorized),
        "the other host was handed the token: {:?}",
        other.requests()
    );
    assert!(
        other.receive_packs() == 0
            && git2::Repository::open_bare(root.path().join("target.git"))
                .unwrap()
                .find_reference("refs/heads/main")
                .is_err(),
        "nothing was pushed"
    );
    task.abort();

    // Pushed to that host itself: the token is its to take.
    let pushed = tokio::task::spawn_blocking(move || {
        let repo = git2::Repository::open_bare(fx.path()).unwrap();
        keepopen::publish::git::push(
            &repo,
            &format!("{}/target.git", other.url),
            &refspecs,
            Some(tokens.as_ref()),
        )
        .map(|()| other)
    })
    .await
    .unwrap();
    let other = pushed.expect("the push to the host itself works");
    assert!(other.requests().iter().any(|r| r.authorized));
}

#[test]
fn the_scope_is_the_push_urls_protocol_and_host() {
    use keepopen::publish::git::CredentialScope;
    let scope = |url: &str| CredentialScope::of_url(url).map(|s| (s.protocol, s.host));
    assert_eq!(
        scope("https://x-access-token@github.com/o/r.git"),
        Some(("https".into(), "github.com".into()))
    );
    assert_eq!(
        scope("http://127.0.0.1:8080/o/r.git"),
        Some(("http".into(), "127.0.0.1:8080".into()))
    );
    for refused in [
        "file:///srv/x.git",
        "/srv/x.git",
        "ssh://git@github.com/o/r",
        "https://evil\";rm -rf /;\"/x",
        "https:///x",
    ] {
        assert_eq!(scope(refused), None, "{refused}");
    }
}
