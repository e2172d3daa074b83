use super::*;
use crate::check::RepoCheck;
use crate::verdict::Verdict;

const HEAD: &str = "1111111111111111111111111111111111111111";
const TAG: &str = "2222222222222222222222222222222222222222";

fn record(status: Status) -> RepoRecord {
    let now = chrono::DateTime::from_timestamp(1_717_000_000, 0).unwrap();
    let mut r = RepoRecord::new(77, "nhsuk/front end", now);
    r.html_url = "https://github.com/nhsuk/front end".into();
    r.default_branch = Some("main".into());
    r.status = status;
    r.removal_confirmed_at = Some(now);
    r
}

fn check(verdict: Verdict) -> RepoCheck {
    RepoCheck {
        repo: "/archive/77-front.git".into(),
        name: "nhsuk/front end".into(),
        verdict: crate::check::Judgement::Judged(verdict),
        licenses: vec!["MIT".into()],
        expression: "MIT".into(),
        notes: Vec::new(),
        findings: Vec::new(),
        observations: Vec::new(),
        files: Vec::new(),
        holders: vec!["NHS England".into()],
        commit: Some(HEAD.into()),
        branch: Some("main".into()),
        license_list_version: "3.27".into(),
        scope: crate::check::SCOPE_LICENCE_ONLY.into(),
        safety: None,
        report: None,
    }
}

fn refs() -> BTreeMap<String, String> {
    [
        ("refs/heads/main".to_owned(), HEAD.to_owned()),
        ("refs/tags/v1".to_owned(), TAG.to_owned()),
    ]
    .into_iter()
    .collect()
}

fn allowed() -> Verdict {
    Verdict::Allowed {
        conditions: vec![Condition::KeepNotices],
    }
}

/// An evaluation of the mirror that found `verdict`, with a clean history.
fn evaluation(verdict: Verdict) -> Evaluation {
    let safety = crate::safety::SafetyReport {
        refs: refs().into_keys().collect(),
        commits_total: 1,
        commits_scanned: 1,
        blobs_scanned: 1,
        bytes_scanned: 10,
        ..crate::safety::SafetyReport::nothing_read(
            crate::safety::RulesSummary {
                source: "test".into(),
                loaded: 1,
                skipped: vec![],
            },
            1,
            1,
        )
    };
    Evaluation {
        name: "nhsuk/front end".into(),
        path: "/archive/77-front.git".into(),
        check: check(verdict.clone()),
        licence: verdict.clone(),
        verdict,
        safety,
        scanned: refs(),
        safety_config: crate::safety::SafetyConfig::default(),
        refs: git::MirrorRefs {
            refs: refs(),
            head_branch: Some("main".into()),
        },
        texts: BTreeMap::new(),
    }
}

fn run(
    record: &RepoRecord,
    verdict: Verdict,
    overrides: Overrides,
    published: &[(String, u64, String)],
) -> Result<Plan, Refusal> {
    plan(&PlanInputs {
        record,
        evaluation: &evaluation(verdict),
        target: &TargetConfig::default(),
        overrides: &overrides,
        published,
    })
}

#[test]
fn plan_refuses_what_may_not_be_published_and_says_why() {
    let review = Verdict::NeedsReview {
        reasons: vec!["MIT: confidence 0.50 is below the policy's 0.90".into()],
        conditions: vec![],
    };
    let forbidden = Verdict::Forbidden {
        reasons: vec!["no licence anywhere".into()],
    };
    let with = |verdict: Option<&str>, public: Option<&str>| Overrides {
        verdict: verdict.map(str::to_owned),
        force_public: public.map(str::to_owned),
        force: None,
    };
    let taken = [(
        "nhsuk/other".to_owned(),
        5u64,
        "nhsuk--front_end".to_owned(),
    )];
    type Case<'a> = (
        &'a str,
        RepoRecord,
        Verdict,
        Overrides,
        &'a [(String, u64, String)],
        Result<(), &'a str>,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "allowed and removed",
            record(Status::Removed),
            allowed(),
            with(None, None),
            &[],
            Ok(()),
        ),
        (
            "still public",
            record(Status::Present),
            allowed(),
            with(None, None),
            &[],
            Err("not confirmed removed (status: present)"),
        ),
        (
            "still public, forced",
            record(Status::Present),
            allowed(),
            with(None, Some("asked by the owner")),
            &[],
            Ok(()),
        ),
        (
            "legal block, forced",
            record(Status::LegalBlock),
            allowed(),
            with(Some("x"), Some("y")),
            &[],
            Err("blocked for legal reasons"),
        ),
        (
            "needs review",
            record(Status::Removed),
            review.clone(),
            with(None, None),
            &[],
            Err("confidence 0.50"),
        ),
        (
            "needs review, overridden",
            record(Status::Removed),
            review,
            with(Some("read it myself"), None),
            &[],
            Ok(()),
        ),
        (
            "forbidden",
            record(Status::Removed),
            forbidden,
            with(None, None),
            &[],
            Err("the verdict is forbidden, not allowed:\n  - no licence anywhere"),
        ),
        (
            "name taken by another repository",
            record(Status::Removed),
            allowed(),
            with(None, None),
            &taken,
            Err("already the republication of nhsuk/other"),
        ),
    ];
    for (what, record, verdict, overrides, published, expected) in cases {
        let got = run(&record, verdict, overrides, published);
        match (got, expected) {
            (Ok(_), Ok(())) => {}
            (Err(e), Err(needle)) => {
                assert!(e.to_string().contains(needle), "{what}: {e}")
            }
            (got, expected) => panic!("{what}: got {got:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn plan_names_the_target_places_the_notice_and_keeps_only_real_overrides() {
    let r = record(Status::Removed);
    let p = run(
        &r,
        allowed(),
        Overrides {
            verdict: Some("not needed".into()),
            ..Overrides::default()
        },
        &[("nhsuk/front end".into(), 77, "nhsuk--front_end".into())],
    )
    .unwrap();
    assert_eq!(p.target_name, "nhsuk--front_end");
    assert_eq!(p.placement, Placement::DefaultBranch);
    assert_eq!(
        p.overrides.verdict, None,
        "an allowed verdict needs no override"
    );
    assert_eq!(p.notice_time, r.removal_confirmed_at.unwrap());
    let desired = p.desired_refs("abc");
    assert_eq!(desired["refs/heads/main"], "abc");
    assert_eq!(desired["refs/tags/v1"], TAG);
    assert_eq!(desired["refs/tags/keepopen/last-seen"], HEAD);
    assert_eq!(desired.len(), 3);

    let nd = Verdict::Allowed {
        conditions: vec![Condition::NoChangesToTree("CC-BY-ND-4.0".into())],
    };
    let p = run(&r, nd, Overrides::default(), &[]).unwrap();
    assert_eq!(p.placement, Placement::SeparateBranch);
    let desired = p.desired_refs("abc");
    assert_eq!(
        desired["refs/heads/main"], HEAD,
        "ND: the default branch is untouched"
    );
    assert_eq!(desired["refs/heads/keepopen/provenance"], "abc");
    assert!(
        p.description.contains("swh:1:rev:1111"),
        "{}",
        p.description
    );
}

#[test]
fn target_names_are_safe() {
    assert_eq!(
        target_name("{owner}--{repo}", "nhsuk", "frontend", 1),
        "nhsuk--frontend"
    );
    assert_eq!(target_name("{owner}--{repo}", "o", "../x", 1), "o--__x");
    assert_eq!(target_name("r-{id}", "o", "x", 42), "r-42");
}

#[test]
fn compare_tells_equal_partial_and_different_targets_apart() {
    let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let desired = map(&[("refs/heads/main", "c3"), ("refs/tags/v1", "t1")]);
    // c1 and c2 are ancestors of c3; x is unrelated.
    let contains = |want: &str, have: &str| want == "c3" && (have == "c1" || have == "c2");
    let cases = [
        (map(&[]), TargetState::Empty),
        (desired.clone(), TargetState::Equal),
        (map(&[("refs/heads/main", "c2")]), TargetState::Partial),
        (
            map(&[("refs/heads/main", "c1"), ("refs/tags/v1", "t1")]),
            TargetState::Partial,
        ),
        (
            map(&[("refs/heads/main", "x")]),
            TargetState::Differs(vec!["refs/heads/main is x, not c3".into()]),
        ),
        (
            map(&[("refs/heads/main", "c3"), ("refs/heads/other", "c1")]),
            TargetState::Differs(vec![
                "refs/heads/other (c1) is not part of this republication".into(),
            ]),
        ),
        (
            map(&[("refs/tags/v1", "t0")]),
            TargetState::Differs(vec!["refs/tags/v1 is t0, not t1".into()]),
        ),
    ];
    for (present, expected) in cases {
        assert_eq!(
            compare(&desired, &present, contains),
            expected,
            "{present:?}"
        );
    }
}

#[test]
fn chunk_steps_cover_the_history_and_resume_after_what_is_there() {
    let cases: [(usize, usize, Option<usize>, Vec<usize>); 7] = [
        (10, 0, None, vec![]),
        (10, 10, None, vec![]),
        (10, 3, None, vec![2, 5, 8]),
        (9, 3, None, vec![2, 5]),
        (10, 3, Some(5), vec![8]),
        (10, 3, Some(4), vec![5, 8]),
        (10, 3, Some(9), vec![]),
    ];
    for (len, chunk, already, expected) in cases {
        assert_eq!(
            chunk_steps(len, chunk, already),
            expected,
            "{len} {chunk} {already:?}"
        );
    }
}
