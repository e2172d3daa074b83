use super::*;
use crate::state::PublicationRecord;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn a_row_names_its_approvers_or_says_it_awaits_approval() {
    let vanished = |name: &str, republished: bool, decision: Option<Decided>| Vanished {
        id: 1,
        full_name: format!("o/{name}"),
        former_names: Vec::new(),
        original_url: format!("https://github.com/o/{name}"),
        vanished_at: None,
        status: "removed".into(),
        license: "MIT".into(),
        verdict: "allowed".into(),
        republished: republished.then(|| Republished {
            url: format!("https://github.com/keep/o--{name}"),
            last_seen_commit: "a".repeat(40),
            notice_commit: "b".repeat(40),
            published_at: at("2026-01-01T00:00:00Z"),
        }),
        decision,
    };
    let decided = |status: &str, pull_request: Option<u64>, approved_by: &[&str]| Decided {
        status: status.into(),
        pull_request,
        approved_by: approved_by.iter().map(|a| a.to_string()).collect(),
    };
    let cases = [
        (
            vanished(
                "a",
                true,
                Some(decided("published", Some(7), &["alice", "bob"])),
            ),
            Some("approved by @alice, @bob in proposal #7"),
        ),
        (
            vanished("b", false, Some(decided("proposed", None, &[]))),
            Some("proposed, awaiting a maintainer's approval"),
        ),
        (vanished("c", true, None), None),
        (vanished("d", false, None), None),
    ];
    for (v, expected) in cases {
        let page = render_index(std::slice::from_ref(&v), 1, at("2026-01-02T00:00:00Z"));
        let row = page
            .lines()
            .find(|l| l.contains(&format!("data-repo=\"{}\"", v.full_name)))
            .unwrap();
        match expected {
            Some(text) => assert!(row.contains(text), "{row}"),
            None => assert!(
                !row.contains("approved by") && !row.contains("proposed"),
                "{row}"
            ),
        }
    }
}

#[test]
fn urls_normalise_to_one_key() {
    let cases = [
        (
            "https://github.com/NHSDigital/Foo",
            "github.com/nhsdigital/foo",
        ),
        (
            "https://github.com/nhsdigital/foo.git",
            "github.com/nhsdigital/foo",
        ),
        (
            "http://www.github.com/nhsdigital/foo/",
            "github.com/nhsdigital/foo",
        ),
        (
            "https://github.com/nhsdigital/foo/tree/main/src?x=1#L3",
            "github.com/nhsdigital/foo",
        ),
        ("  github.com/nhsdigital/foo  ", "github.com/nhsdigital/foo"),
        ("file:///tmp/forge/org/x.git", "/tmp/forge/org/x"),
        ("", ""),
    ];
    for (url, key) in cases {
        assert_eq!(normalise_url(url), key, "{url}");
    }
}

#[test]
fn browsable_urls_drop_dot_git_and_mark_local_paths() {
    let cases = [
        ("https://github.com/o/r.git", "https://github.com/o/r"),
        ("/srv/published/o--r.git", "file:///srv/published/o--r.git"),
        ("file:///x", "file:///x"),
    ];
    for (target, url) in cases {
        assert_eq!(browsable(target), url);
    }
}

fn record(id: u64, name: &str, status: Status, removed: Option<&str>) -> RepoRecord {
    let mut r = RepoRecord::new(id, name, at("2025-01-01T00:00:00Z"));
    r.html_url = format!("https://github.com/{name}");
    r.status = status;
    r.removal_confirmed_at = removed.map(at);
    r
}

#[test]
fn only_vanished_repositories_are_listed_newest_first_with_their_publication() {
    let mut published = record(1, "o/a", Status::Removed, Some("2025-03-01T10:00:00Z"));
    published.former_names = vec!["o/old-a".into()];
    published.publications.push(PublicationRecord {
        forge: "github".into(),
        name: "o--a".into(),
        target_url: "https://github.com/keep/o--a.git".into(),
        pushed: BTreeMap::new(),
        notice_commit: "n".repeat(40),
        last_seen_commit: "c".repeat(40),
        verdict: "allowed".into(),
        override_reason: None,
        force_public_reason: None,
        force_reason: None,
        wiki_url: None,
        published_at: at("2025-03-02T00:00:00Z"),
    });
    let records = vec![
        published,
        record(2, "o/b", Status::Removed, Some("2025-04-01T10:00:00Z")),
        record(3, "o/c", Status::Present, None),
        record(4, "o/d", Status::Suspected, None),
    ];
    let judged = BTreeMap::from([(
        2,
        Judged {
            license: "none".into(),
            verdict: "forbidden".into(),
        },
    )]);
    let vanished = collect(&records, &judged);
    let names: Vec<&str> = vanished.iter().map(|v| v.full_name.as_str()).collect();
    assert_eq!(names, ["o/b", "o/a"]);
    assert_eq!(vanished[0].verdict, "forbidden");
    assert_eq!(vanished[1].verdict, "allowed");
    assert_eq!(
        vanished[1].republished.as_ref().unwrap().url,
        "https://github.com/keep/o--a"
    );
    let map = redirects(&vanished);
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(keys, ["github.com/o/a", "github.com/o/old-a"]);
    assert_eq!(map["github.com/o/old-a"].last_seen_commit, "c".repeat(40));
    let html = render_index(&vanished, records.len(), at("2025-05-01T00:00:00Z"));
    assert!(html.contains("<tr data-repo=\"o/a\">"));
    assert!(html.contains("id=\"removals-chart\""));
    assert!(!html.contains("{{"), "a placeholder was left");
}

#[test]
fn buckets_are_daily_for_short_spans_and_monthly_for_long_ones() {
    let days = buckets(&[
        at("2025-03-01T10:00:00Z"),
        at("2025-03-03T09:00:00Z"),
        at("2025-03-03T11:00:00Z"),
    ]);
    assert_eq!(
        days,
        vec![
            ("2025-03-01".into(), 1),
            ("2025-03-02".into(), 0),
            ("2025-03-03".into(), 2)
        ]
    );
    let months = buckets(&[at("2024-11-20T00:00:00Z"), at("2025-02-01T00:00:00Z")]);
    assert_eq!(
        months,
        vec![
            ("2024-11".into(), 1),
            ("2024-12".into(), 0),
            ("2025-01".into(), 0),
            ("2025-02".into(), 1)
        ]
    );
    assert!(buckets(&[]).is_empty());
}

#[test]
fn the_chart_has_one_bar_per_bucket_scaled_to_the_largest() {
    let svg = chart_svg(&[("a".into(), 2), ("b".into(), 0), ("c<".into(), 4)]);
    assert_eq!(svg.matches("<rect class=\"bar\"").count(), 3);
    assert!(svg.contains("c&lt;: 4 removal(s)"));
    assert!(svg.contains("height=\"188.0\""), "{svg}");
    assert!(chart_svg(&[]).contains("No removals"));
}

#[test]
fn script_data_cannot_close_its_element() {
    let mut v = collect(
        &[record(
            1,
            "o/x",
            Status::Removed,
            Some("2025-01-02T00:00:00Z"),
        )],
        &BTreeMap::new(),
    );
    v[0].full_name = "o/</script><b>".into();
    v[0].republished = Some(Republished {
        url: "file:///p".into(),
        last_seen_commit: "c".into(),
        notice_commit: "n".into(),
        published_at: at("2025-01-03T00:00:00Z"),
    });
    let html = render_index(&v, 1, at("2025-01-04T00:00:00Z"));
    assert_eq!(
        html.matches("</script>").count(),
        2,
        "only the two real closings"
    );
}
