//! What a valid policy gives: defaults, keys given, the reserved sections, the repository's own policy.yaml,
//! api-urls and the digest.

use super::*;

/// Two policies are the same: `Debug` shows every field, the typed sections' included.
#[track_caller]
fn assert_same(a: &Policy, b: &Policy) {
    assert_eq!(format!("{a:#?}"), format!("{b:#?}"));
}

#[test]
fn minimal_policy_takes_every_default() {
    let policy = Policy::from_str("version: 1\n", "policy.yaml").unwrap();
    assert_same(&policy, &Policy::default());
    let policy =
        Policy::from_str("version: 1\nlicenses:\nclarifications:\n", "policy.yaml").unwrap();
    assert_same(&policy, &Policy::default());
}

#[test]
fn keys_given_override_defaults_and_the_rest_stay() {
    let text = "version: 1\nlicenses:\n  min-confidence: 0.95\n  classes:\n    copyleft: review\n  unknown: forbid\n  overrides:\n    LicenseRef-x: forbidden\n    MIT: copyleft\n";
    let policy = Policy::from_str(text, "policy.yaml").unwrap();
    assert_eq!(policy.licenses.min_confidence, 0.95);
    assert_eq!(policy.action_for(Class::Copyleft), Action::Review);
    assert_eq!(policy.action_for(Class::Permissive), Action::Allow);
    assert_eq!(policy.action_for(Class::Forbidden), Action::Forbid);
    assert_eq!(policy.licenses.unknown, Action::Forbid);
    assert_eq!(policy.class_of("MIT"), Some(Class::Copyleft));
    assert_eq!(policy.class_of("LicenseRef-x"), Some(Class::Forbidden));
    assert_eq!(policy.class_of("Apache-2.0"), Some(Class::Permissive));
    assert_eq!(policy.class_of("LicenseRef-y"), None);
}

#[test]
fn keys_written_without_a_value_count_as_absent() {
    let policy = Policy::from_str(
        "version: 1\nsources:\nlicenses:\n  overrides:\n",
        "policy.yaml",
    )
    .unwrap();
    assert_same(&policy, &Policy::default());
    let text = "version: 1\nclarifications:\n  - repo: nhsx/example\n    expression: MIT\n    files:\n    reason:\n";
    assert_eq!(
        found(text),
        vec![(Code::MissingFiles, 3, 5), (Code::MissingReason, 3, 5)]
    );
}

#[test]
fn reserved_sections_are_typed_when_the_file_is_loaded() {
    let text = "version: 1\nsources:\n  orgs: [nhsx, nhsuk]\n";
    let policy = Policy::from_str(text, "policy.yaml").unwrap();
    assert_eq!(policy.monitor.sources.orgs, ["nhsx", "nhsuk"]);
    assert!(policy.approval.is_none(), "absent, so not checked");
    assert_eq!(
        found("version: 1\nsources:\n  orgs: [nhsx, nhsuk]\nsafety:\n  dry-run: true\n"),
        [(Code::UnknownKey, 5, 3)]
    );
}

#[test]
fn the_repository_policy_file_has_the_default_licence_rules_plus_its_override() {
    let policy = Policy::from_str(include_str!("../../../policy.yaml"), "policy.yaml").unwrap();
    let mut expected = Policy::default();
    expected.licenses.overrides.insert(
        "LicenseRef-Warwick-noncommercial".into(),
        Class::NonCommercial,
    );
    assert_eq!(policy.licenses, expected.licenses);
    assert_eq!(policy.clarifications, expected.clarifications);
}

#[test]
fn each_written_api_url_is_checked_where_it_is_written_and_the_help_says_what_to_write() {
    let text = "version: 1\ngithub:\n  api-url: https://ghe.example.org/api/v3\ntarget:\n  api-url: ghe.example.org\napproval:\n  api-url: 'http://'\n  maintainers: [a]\n";
    let error = errors(text);
    let seen: Vec<(Code, usize, usize)> = error
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location.expect("located");
            (d.code, at.line, at.column)
        })
        .collect();
    assert_eq!(
        seen,
        [(Code::BadUrl, 5, 12), (Code::BadUrl, 7, 12)],
        "{error}"
    );
    let rendered = error.to_string();
    assert!(
        rendered.contains("error[bad-url]: `target.api-url` \"ghe.example.org\" is not an http(s) URL\n  --> policy.yaml:5:12"),
        "{rendered}"
    );
    assert!(
        rendered.contains("leave this key out to use `github.api-url`"),
        "{rendered}"
    );
    let shared = Policy::from_str(
        "version: 1\ngithub:\n  api-url: https://ghe.example.org/api/v3\n",
        "policy.yaml",
    )
    .unwrap();
    for url in [&shared.monitor.github.api_url, &shared.target.api_url] {
        assert_eq!(url, "https://ghe.example.org/api/v3");
    }
}

/// The lines of a top-level section of `text`, its header excluded: the indented lines below `section:`.
fn section_lines<'t>(text: &'t str, section: &str) -> Vec<&'t str> {
    text.lines()
        .skip_while(|line| *line != format!("{section}:"))
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        .collect()
}

#[test]
fn the_repository_policy_yaml_writes_every_key_that_every_stage_reads() {
    let text = include_str!("../../../policy.yaml");
    let policy = Policy::from_str(text, "policy.yaml").expect("the repository policy is valid");
    let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    // Keys of the local forges and the per-section API overrides: shown commented out, since writing them would
    // change what this deployment does (or is refused with the github forge).
    let commented = [
        "sources.path",
        "target.path",
        "target.api-url",
        "approval.path",
        "approval.api-url",
        // Only for a GitHub App token, whose login GET /user cannot tell.
        "approval.bot-login",
    ];
    let mut tables: Vec<(&str, &[&str])> = vec![
        ("", fields_of::<RawPolicy>()),
        ("licenses", fields_of::<RawLicenses>()),
        ("licenses.classes", fields_of::<RawClasses>()),
        (
            "sources",
            fields_of::<crate::monitor::config::SourcesConfig>(),
        ),
        (
            "removal",
            fields_of::<crate::monitor::config::RemovalConfig>(),
        ),
        (
            "github",
            fields_of::<crate::monitor::config::GithubConfig>(),
        ),
        (
            "archive",
            fields_of::<crate::monitor::config::ArchiveConfig>(),
        ),
        ("target", fields_of::<crate::publish::TargetConfig>()),
        ("target.bot", fields_of::<crate::publish::BotIdentity>()),
        ("approval", fields_of::<crate::approval::ApprovalConfig>()),
        ("approval.labels", fields_of::<crate::approval::Labels>()),
    ];
    tables.extend(crate::safety::config::section_keys());
    let mut missing = Vec::new();
    let mut checked = 0;
    for (section, keys) in tables {
        assert!(!keys.is_empty(), "no keys read for {section:?}");
        let node = section
            .split('.')
            .filter(|part| !part.is_empty())
            .try_fold(&value, |node, part| node.get(part));
        for key in keys {
            checked += 1;
            let path = if section.is_empty() {
                key.to_string()
            } else {
                format!("{section}.{key}")
            };
            let written = node.and_then(|n| n.get(key)).is_some();
            if commented.contains(&path.as_str()) {
                let top = section.split('.').next().unwrap();
                let shown = section_lines(text, top)
                    .iter()
                    .any(|line| line.trim_start().starts_with(&format!("# {key}:")));
                assert!(!written, "{path} is written; it belongs commented out");
                if !shown {
                    missing.push(format!("{path} (as a commented line)"));
                }
            } else if !written {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "policy.yaml lacks {missing:?}");
    assert!(checked > 60, "only {checked} keys checked");
    for section in RESERVED_SECTIONS {
        assert!(value.get(section).is_some(), "`{section}` is not written");
    }
    assert!(policy.approval.is_some());
}

#[test]
fn the_digest_changes_with_the_rules_that_decide_a_verdict_only() {
    let parse = |text: &str| Policy::from_str(text, "policy.yaml").unwrap();
    let base = parse("version: 1\n");
    assert_eq!(base.digest(), parse("version: 1\n").digest());
    assert_eq!(base.digest().len(), 64);
    for (what, text) in [
        (
            "a licence rule",
            "version: 1\nlicenses:\n  min-confidence: 0.95\n",
        ),
        (
            "a safety setting",
            "version: 1\nsafety:\n  refs: [refs/heads/main]\n",
        ),
    ] {
        assert_ne!(base.digest(), parse(text).digest(), "{what}");
    }
    let scheduled = parse("version: 1\nsources:\n  orgs: [nhsuk]\n");
    assert_eq!(base.digest(), scheduled.digest(), "another section");
}
