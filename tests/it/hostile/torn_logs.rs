//! A torn log: a run cut off mid-write leaves `removals.jsonl` ending in half a line. The next removal must not
//! be appended onto it (that made both events unreadable, with exit 0 and no word): the fragment is set aside
//! in `reports/`, the log cut back to its last whole line, and a warning says so.

use crate::monitor_cli::World;
use crate::support::git_http::GitServerOptions;
use crate::support::github_api::Visibility;

fn events(state: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(state.join("removals.jsonl")).unwrap();
    assert!(text.ends_with('\n'), "{text:?}");
    text.lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("unreadable line {line:?}: {e}"))
        })
        .collect()
}

#[test]
fn a_removal_after_a_torn_last_line_gets_a_line_of_its_own_and_a_warning() {
    let w = World::start(GitServerOptions::default());
    w.repo(701, "nhsuk", "alpha");
    w.repo(702, "nhsuk", "beta");
    w.repo(703, "nhsuk", "gamma");
    w.write_policy("nhsuk");
    w.run(&["monitor"]).succeeded();
    w.api.update(702, |r| r.visibility = Visibility::Gone);
    w.run(&["monitor"]).succeeded();
    w.run(&["monitor"]).succeeded();
    let state = w.path("state");
    assert_eq!(events(&state).len(), 1);

    // A crash mid-append.
    let log = state.join("removals.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"id\":703,\"event\":\"rem");
    std::fs::write(&log, &text).unwrap();

    w.api.update(703, |r| r.visibility = Visibility::Gone);
    w.run(&["monitor"]).succeeded();
    let confirmed = w.run(&["monitor"]).succeeded();
    assert!(
        confirmed.stderr.contains("torn last line"),
        "a warning: {}",
        confirmed.stderr
    );
    let ids: Vec<u64> = events(&state)
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [702, 703]);
    let aside: Vec<String> = std::fs::read_dir(state.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("removals-torn-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
}
