//! One evaluation per repository and decision: `propose` reads a mirror's licences and history once, and `apply`
//! reads them once more (the tips may have moved since the proposal) and publishes exactly what it judged,
//! never judging the repository a second time on the way to the target.

use chrono::Utc;
use keepopen::approval::ReviewState;
use keepopen::control::flow::{self, ApplyOutcome, Flow, ProposeOutcome, Proposed};
use keepopen::control::local::LocalControl;
use keepopen::publish::TargetConfig;

use crate::flow::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn propose_and_apply_each_evaluate_a_repository_exactly_once() {
    let world = World::start().await;
    world.removed().await;
    let forge = world.path("forge");
    let flow = Flow {
        approval: world.approval(&format!(
            "approval: {{forge: local, path: '{}', maintainers: [alice]}}\n",
            forge.display()
        )),
        target: TargetConfig {
            path: world.path("published").display().to_string(),
            ..TargetConfig::default()
        },
        control_name: "the local control forge".into(),
        ..world.github_flow()
    };
    let control = LocalControl::new(&forge, &["alice".to_owned()]);
    let state = world.store().load(4242).unwrap().unwrap();
    let mirror =
        keepopen::archive::resolve(&flow.archive, &state.mirror.as_ref().unwrap().path).unwrap();
    let judged = || keepopen::check::times_judged(&mirror);
    assert_eq!(judged(), 0);

    let proposed = flow::propose(&flow, &control).await.unwrap();
    assert!(
        proposed.iter().any(|l| l.repo == "nhsuk/frontend"
            && matches!(l.outcome, ProposeOutcome::Proposed(Proposed::Opened { .. }))),
        "{proposed:?}"
    );
    assert_eq!(judged(), 1, "propose evaluates the repository once");

    control.review(1, "alice", ReviewState::Approved).unwrap();
    control.merge(1, &world.checkout()).unwrap();
    let applied = flow::apply(&flow, &control, None, Utc::now())
        .await
        .unwrap();
    assert!(
        applied
            .iter()
            .any(|l| matches!(l.outcome, ApplyOutcome::Published { .. })),
        "{applied:?}"
    );
    assert_eq!(
        judged(),
        2,
        "apply evaluates the repository once and publishes from that evaluation"
    );
}
