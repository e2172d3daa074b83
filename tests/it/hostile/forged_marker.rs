//! A forged marker: `apply` says once, on the pull request, why a merged record is not published, and knows it
//! said so by the hidden marker that opens its comment. The marker is computed from public text, so anyone can
//! write it; only a comment by keepopen's own identity counts (on GitHub the login `GET /user` names, on the
//! local forge the author it records). A copy in someone else's comment leaves the refusal a refusal (exit 2),
//! not "waiting" (exit 0).

use chrono::Utc;
use keepopen::approval::ReviewState;
use keepopen::control::Comment;
use keepopen::control::flow::{self, ApplyOutcome};

use crate::flow::{World, refused};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_github_a_marker_in_someone_elses_comment_does_not_silence_the_refusal() {
    let world = World::proposed().await;
    world
        .api
        .add_team_member("nhs-community", "maintainers", "alice");
    world.api.add_review(1, "mallory", "APPROVED");
    world.api.merge_pull(1);
    world.pull_main();
    refused(&world.apply().await);
    // keepopen's comment is gone; mallory posts the same text, marker and all.
    let said = world.api.pulls()[0].comments.clone();
    assert_eq!(said.len(), 1, "{said:?}");
    let forged = said[0].1.clone();
    assert!(forged.starts_with("<!-- keepopen:held "), "{forged}");
    world
        .api
        .set_comments(1, vec![("mallory".into(), forged.clone())]);

    let reason = refused(&world.apply().await);
    assert!(reason.contains("said so on pull request #1"), "{reason}");
    let comments = world.api.pulls()[0].comments.clone();
    assert_eq!(comments.len(), 2, "keepopen says it again: {comments:?}");
    assert_ne!(comments[1].0, "mallory");

    // keepopen's own comment now stands: the next run waits.
    let lines = world.apply().await;
    assert!(
        matches!(
            lines[..],
            [flow::ApplyLine {
                outcome: ApplyOutcome::Waiting { .. },
                ..
            }]
        ),
        "{lines:?}"
    );
    world.nothing_published();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_local_forge_a_marker_in_someone_elses_comment_does_not_silence_the_refusal() {
    let world = World::start().await;
    world.removed().await;
    let (flow_config, control) = world.local_flow();
    flow::propose(&flow_config, &control).await.unwrap();
    control.review(1, "bob", ReviewState::Approved).unwrap();
    control.merge(1, &world.checkout()).unwrap();
    let apply = || flow::apply(&flow_config, &control, None, Utc::now());
    refused(&apply().await.unwrap());

    // The comment rewritten as someone else's, and once more as bare text (no author), as a hand could.
    let file = world.path("forge").join("pulls").join("1.yaml");
    for author in ["mallory", ""] {
        let mut pull = control.load(1).unwrap();
        let body = pull.comments[0].body.clone();
        pull.comments = vec![Comment {
            author: author.into(),
            body,
        }];
        let mut text = serde_yaml::to_string(&pull).unwrap();
        if author.is_empty() {
            // The old form: a comment as a bare string.
            let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
            let mut map = value.as_mapping().unwrap().clone();
            map.insert(
                "comments".into(),
                serde_yaml::Value::Sequence(vec![pull.comments[0].body.clone().into()]),
            );
            text = serde_yaml::to_string(&map).unwrap();
        }
        std::fs::write(&file, text).unwrap();
        let reason = refused(&apply().await.unwrap());
        assert!(
            reason.contains("said so on pull request #1"),
            "{author:?}: {reason}"
        );
        let comments = control.load(1).unwrap().comments;
        assert_eq!(comments.len(), 2, "{author:?}: {comments:?}");
        assert_eq!(comments[1].author, keepopen::control::local::BOT_LOGIN);
    }
}
