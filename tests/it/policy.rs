//! `Policy::load` on real files: the repository's own policy.yaml and its documentation, unreadable, oversized,
//! non-UTF-8 and broken files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use keepopen::policy::{
    Class, Code, DEFAULT_API_URL, ForgeKind, Location, MAX_POLICY_BYTES, Policy, PolicyError,
    RESERVED_SECTIONS,
};

fn repository_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The README and every page under docs/, one after the other.
fn documentation() -> String {
    let mut pages = vec![repository_file("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repository_file("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
        .iter()
        .map(|page| std::fs::read_to_string(page).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn load_error(path: &Path) -> PolicyError {
    match Policy::load(path) {
        Ok(policy) => panic!("{} loaded: {policy:#?}", path.display()),
        Err(error) => error,
    }
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The repository's policy.yaml cut to its licence rules (`version`, `licenses`, `clarifications`), for tests
/// that add their own sources, target and approval pointed at a test server.
pub(crate) fn licence_rules() -> String {
    let text = include_str!("../../policy.yaml");
    let mut value: serde_yaml::Mapping = serde_yaml::from_str(text).unwrap();
    value.retain(|key, _| {
        matches!(
            key.as_str(),
            Some("version" | "licenses" | "clarifications")
        )
    });
    serde_yaml::to_string(&value).unwrap()
}

#[test]
fn the_repository_policy_yaml_is_the_documented_deployment_and_every_stage_accepts_it() {
    let policy = Policy::load(&repository_file("policy.yaml")).unwrap();
    let mut expected = Policy::default();
    expected.licenses.overrides.insert(
        "LicenseRef-Warwick-noncommercial".into(),
        Class::NonCommercial,
    );
    assert_eq!(
        policy.licenses, expected.licenses,
        "the licence rules are the defaults plus one override"
    );
    assert_eq!(policy.clarifications, []);
    // The deployment of docs/run-for-your-organisation.md: the NHS organisations watched, copies in the community
    // organisation, proposals in its control repository approved by its maintainers team.
    let monitor = &policy.monitor;
    assert_eq!(
        monitor.sources.orgs,
        [
            "NHSDigital",
            "nhsuk",
            "nhsx",
            "nhsengland",
            "nhs-england-tools",
            "nhsconnect"
        ]
    );
    assert_eq!(monitor.sources.forge, ForgeKind::Github);
    assert_eq!(monitor.github.api_url, DEFAULT_API_URL);
    let target = &policy.target;
    assert_eq!(target.forge, ForgeKind::Github);
    assert_eq!(target.organisation.as_deref(), Some("nhs-community"));
    assert_eq!(target.api_url, monitor.github.api_url);
    let approval = policy.require_approval().unwrap();
    assert_eq!(approval.forge, ForgeKind::Github);
    assert_eq!(
        approval.repository.as_deref(),
        Some("nhs-community/keepopen")
    );
    assert_eq!(
        approval.team.as_deref(),
        Some("nhs-community/keepopen-maintainers")
    );
    assert_eq!(approval.api_url, monitor.github.api_url);
    let safety = &policy.safety;
    assert_eq!(safety.refs, ["refs/heads/*", "refs/tags/*"]);
}

/// Every key path (`target.bot.name`) of the mappings in `value`, below `prefix`; lists are not entered.
fn key_paths(value: &serde_yaml::Value, prefix: &str, out: &mut Vec<String>) {
    if let serde_yaml::Value::Mapping(mapping) = value {
        for (key, value) in mapping {
            let key = key.as_str().expect("string keys");
            let path = if prefix.is_empty() {
                key.to_owned()
            } else {
                format!("{prefix}.{key}")
            };
            key_paths(value, &path, out);
            out.push(path);
        }
    }
}

#[test]
fn every_key_the_documentation_shows_for_a_section_is_written_in_policy_yaml() {
    let docs = documentation();
    let text = std::fs::read_to_string(repository_file("policy.yaml")).unwrap();
    let mut written = Vec::new();
    key_paths(&serde_yaml::from_str(&text).unwrap(), "", &mut written);
    // Shown commented out in policy.yaml: the local forges' directories and the per-section API overrides.
    let commented = [
        "sources.path",
        "target.path",
        "target.api-url",
        "approval.path",
        "approval.api-url",
        "approval.bot-login",
    ];
    let mut documented = Vec::new();
    for block in docs.split("```yaml\n").skip(1) {
        let block = block.split_once("```").map_or(block, |(block, _)| block);
        let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(block) else {
            continue;
        };
        let mut paths = Vec::new();
        key_paths(&value, "", &mut paths);
        documented.extend(
            paths
                .into_iter()
                .filter(|path| RESERVED_SECTIONS.contains(&path.split('.').next().unwrap())),
        );
    }
    for section in RESERVED_SECTIONS {
        assert!(
            documented
                .iter()
                .any(|path| path.starts_with(&format!("{section}."))),
            "the documentation shows no key of `{section}` in a yaml block"
        );
    }
    let missing: Vec<&String> = documented
        .iter()
        .filter(|path| {
            if commented.contains(&path.as_str()) {
                let (section, key) = path.split_once('.').unwrap();
                // The section's lines: the indented ones below `section:`.
                !text
                    .lines()
                    .skip_while(|line| *line != format!("{section}:"))
                    .skip(1)
                    .take_while(|line| line.is_empty() || line.starts_with(' '))
                    .any(|line| line.trim_start().starts_with(&format!("# {key}:")))
            } else {
                !written.contains(path)
            }
        })
        .collect();
    assert!(
        missing.is_empty(),
        "the documentation shows keys policy.yaml does not write: {missing:?}"
    );
}

#[test]
fn the_documentation_shows_policy_yaml_verbatim_and_every_key_and_code() {
    let docs = std::fs::read_to_string(repository_file("docs/policy.md")).unwrap();
    let policy = std::fs::read_to_string(repository_file("policy.yaml")).unwrap();
    let block = docs
        .split_once("```yaml\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .map(|(block, _)| block)
        .expect("a ```yaml block in docs/policy.md");
    assert_eq!(
        block, policy,
        "docs/policy.md and policy.yaml have drifted apart"
    );
    for code in Code::ALL {
        assert!(
            docs.contains(&format!("| `{code}` |")),
            "code {code} is not documented"
        );
    }
    let keys = [
        "version",
        "licenses.min-confidence",
        "licenses.classes",
        "licenses.unknown",
        "licenses.overrides",
        "clarifications[].repo",
        "clarifications[].expression",
        "clarifications[].files[].path",
        "clarifications[].files[].sha256",
        "clarifications[].reason",
    ];
    for key in keys.iter().chain(RESERVED_SECTIONS.iter()) {
        assert!(
            docs.contains(&format!("`{key}`")),
            "key {key} is not documented"
        );
    }
}

#[test]
fn a_missing_file_or_a_directory_is_a_read_failure_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    for path in [dir.path().join("absent.yaml"), dir.path().to_path_buf()] {
        let error = load_error(&path);
        assert_eq!(error.codes(), [Code::ReadFailed]);
        let rendered = error.to_string();
        assert!(
            rendered.starts_with("error[read-failed]: cannot read the policy file: "),
            "{rendered}"
        );
        assert!(
            rendered.contains(&format!("--> {}", path.display())),
            "{rendered}"
        );
    }
}

#[test]
fn latin1_text_is_refused_at_the_first_invalid_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "policy.yaml", b"version: 1\n# \xa9 Crown copyright\n");
    let error = load_error(&path);
    let diagnostic = &error.diagnostics[0];
    assert_eq!(error.codes(), [Code::NotUtf8]);
    assert_eq!(diagnostic.location, Some(Location { line: 2, column: 3 }));
    assert!(diagnostic.message.contains("0xa9"), "{diagnostic}");
}

#[test]
fn an_oversized_file_is_refused_without_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"version: 1\n".to_vec();
    text.resize(MAX_POLICY_BYTES + 1, b'#');
    let path = write(&dir, "policy.yaml", &text);
    let error = load_error(&path);
    assert_eq!(error.codes(), [Code::TooLarge]);
    assert!(error.to_string().contains("1048577 bytes"), "{error}");
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_read_only_up_to_the_cap() {
    let started = Instant::now();
    let error = load_error(Path::new("/dev/zero"));
    assert_eq!(error.codes(), [Code::TooLarge]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn an_empty_file_is_an_error_not_a_default_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "policy.yaml", b"");
    assert_eq!(load_error(&path).codes(), [Code::Empty]);
}

#[test]
fn a_broken_file_lists_every_problem_against_its_own_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "team-policy.yaml",
        b"version: 1\nlicenses:\n  classes:\n    copyleft: deny\n  overrides:\n    Apache2: permissive\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    files: []\n",
    );
    let error = load_error(&path);
    let shown = path.display();
    let expected = format!(
        "error[unknown-action]: unknown action 'deny'\n  --> {shown}:4:15\n  help: expected one of: allow, review, forbid\n\n\
         error[unknown-license]: unknown SPDX licence id 'Apache2'\n  --> {shown}:6:5\n  help: did you mean 'Apache-2.0'?\n\n\
         error[missing-reason]: the clarification gives no reason\n  --> {shown}:8:5\n  help: say who vouched for the licence and how, e.g. a link to the maintainers' statement\n\n\
         error[missing-files]: the clarification pins no licence file\n  --> {shown}:10:12\n  help: pin each licence file the clarification vouches for with its path and sha256, so a changed file voids it"
    );
    assert_eq!(error.to_string(), expected);
}
