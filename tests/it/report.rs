//! The status page in a real browser: `keepopen demo` makes real state, `keepopen report --html` writes the
//! site, a loopback server serves it as Pages would, and headless Chromium renders it. The assertions are on the
//! DOM after the page's script ran (rows, chart, the lookup of an old URL given as `?url=`) and on a screenshot.

use std::path::Path;
use std::process::Command;

use crate::support::browser::{self, StaticServer};

fn keepopen(args: &[&str], cwd: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "keepopen {args:?}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn report_html_renders_rows_chart_and_finds_the_republished_copy_in_chromium() {
    let chromium = browser::chromium(); // fails with an install hint, never skips
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    keepopen(&["demo", "--dir", demo.to_str().unwrap()], tmp.path());
    let site = tmp.path().join("site");
    keepopen(
        &[
            "report",
            "--html",
            site.to_str().unwrap(),
            "--state",
            "demo/state",
            "--archive",
            "demo/archive",
            "--policy",
            "demo/policy.yaml",
        ],
        tmp.path(),
    );

    // redirects.json: original URL → republished URL and the last-seen commit of the notice.
    let redirects: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("redirects.json")).unwrap()).unwrap();
    let original = format!("file://{}/forge/nhs-demo/appointments-api", demo.display());
    let key = keepopen::report::normalise_url(&original);
    let target = demo.join("published/nhs-demo--appointments-api.git");
    assert_eq!(
        redirects[&key]["url"],
        format!("file://{}", target.display()),
        "{redirects:#}"
    );
    let last_seen = git2::Repository::open_bare(&target)
        .unwrap()
        .find_reference("refs/tags/keepopen/last-seen")
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id()
        .to_string();
    assert_eq!(redirects[&key]["last-seen-commit"], last_seen.as_str());
    assert_eq!(
        redirects.as_object().unwrap().len(),
        4 * 2,
        "4 republished, each by its recorded URL and its github.com name: {redirects:#}"
    );

    let server = StaticServer::start(&site);
    let found = browser::dump_dom(&server.url(&format!(
        "index.html?url={}",
        percent_encode(&format!("{original}.git/"))
    )));
    for repo in [
        "appointments-api",
        "performance-grid",
        "clinical-coder",
        "waiting-times-data",
        "ward-dashboard",
        "referral-service",
    ] {
        assert!(
            found.contains(&format!("<tr data-repo=\"nhs-demo/{repo}\">")),
            "no row for {repo}"
        );
    }
    assert!(
        !found.contains("data-repo=\"nhs-demo/nhs-login-widget\""),
        "still public, not vanished"
    );
    assert!(found.contains("<svg id=\"removals-chart\""));
    let referral = found
        .split("<tr data-repo=\"nhs-demo/referral-service\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert!(
        referral.contains("needs-review") && referral.contains("not republished"),
        "the leaked key holds it back: {referral}"
    );
    assert_eq!(
        found.matches("<rect class=\"bar\"").count(),
        1,
        "one day of removals"
    );
    assert!(
        found.contains("<title>") && found.contains("6 removal(s)"),
        "tooltip counts the removals"
    );
    let result = found
        .split("id=\"lookup-result\"")
        .nth(1)
        .and_then(|r| r.split("</div>").next())
        .expect("the lookup result element");
    assert!(result.contains("class=\"found\""), "{result}");
    assert!(
        result.contains(&format!("file://{}", target.display())),
        "{result}"
    );
    assert!(result.contains(&last_seen[..12]), "{result}");

    // A GitHub URL nobody republished: the page says so.
    let missing = browser::dump_dom(&server.url(&format!(
        "?url={}",
        percent_encode("https://github.com/nhsuk/never-archived")
    )));
    assert!(missing.contains("class=\"missing\""), "no 'missing' result");
    assert!(missing.contains("No republished copy of https://github.com/nhsuk/never-archived"));

    // From file:// too, with a screenshot that shows more than a blank page.
    let png = tmp.path().join("status.png");
    browser::screenshot(
        &format!(
            "file://{}/index.html?url={}",
            site.display(),
            percent_encode(&original)
        ),
        &png,
        1280,
        1400,
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(browser::png_size(&bytes), (1280, 1400));
    assert!(
        bytes.len() > 40_000,
        "the screenshot is {} bytes: a blank page? ({})",
        bytes.len(),
        chromium.display()
    );
    let _ = std::fs::copy(&png, std::env::temp_dir().join("keepopen-status-page.png"));
}

#[test]
fn report_reads_the_decision_records_beside_the_policy_and_names_the_approvers() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    keepopen(&["demo", "--dir", demo.to_str().unwrap()], dir.path());
    let flags = |site: &str| {
        vec![
            "--policy".to_owned(),
            demo.join("policy.yaml").display().to_string(),
            "--state".into(),
            demo.join("state").display().to_string(),
            "--archive".into(),
            demo.join("archive").display().to_string(),
            "report".into(),
            "--html".into(),
            dir.path().join(site).display().to_string(),
        ]
    };
    let run = |site: &str| {
        let args = flags(site);
        keepopen(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            dir.path(),
        );
        std::fs::read_to_string(dir.path().join(site).join("index.html")).unwrap()
    };
    let page = run("with-records");
    assert_eq!(
        page.matches("approved by @demo-maintainer").count(),
        4,
        "each of the four applied publications names its approver"
    );
    // Without the records (moved away), the same state gives a page that names no approver.
    std::fs::rename(demo.join("republications"), dir.path().join("elsewhere")).unwrap();
    let page = run("without-records");
    assert!(!page.contains("approved by @"), "no records, no approvers");
}
