//! Hostile input: the policy parser and the licence discovery under arbitrary input (proptest), names that try to
//! climb out of the archive or pass for options, a mirror whose refs lead nowhere, and a huge blob; and, one
//! module a family, what a hostile repository or a broken environment tries next: text that would shape a
//! proposal (`proposal_body`), a marker forged in someone else's comment (`forged_marker`), text that would steer
//! a terminal (`terminal`), out-of-range settings (`config_ranges`), two writers at once (`concurrent_writers`),
//! a log cut mid-line (`torn_logs`), and a token asked for by another host (`credential_scope`).

mod concurrent_writers;
mod config_ranges;
mod credential_scope;
mod forged_marker;
mod proposal_body;
mod terminal;
mod torn_logs;

use std::collections::BTreeMap;
use std::path::{Component, Path};

use git2::Repository;
use keepopen::archive::{mirror_name, resolve, sanitize_name, wiki_name};
use keepopen::policy::Policy;
use keepopen::publish::{self, Refusal, target_name};
use proptest::prelude::*;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::republish::{MIT, Setup};

/// The hostile inputs the property tests run per property (proptest's default is 256).
const CASES: u32 = 256;

/// Names an attacker (or an accident) might give a repository or a branch.
const NASTY_NAMES: &[&str] = &[
    "..",
    "../../etc/passwd",
    "..\\..\\windows",
    "/abs/path",
    "a/../../b",
    "-rf",
    "--upload-pack=touch /tmp/pwned",
    "-",
    ".",
    "...",
    ".git",
    "name.git",
    "a\0b",
    "tab\there",
    "line\nbreak",
    "esc\u{1b}[31m",
    "café",
    "名前",
    "\u{202e}txt.exe",
    "",
    " ",
    "~user",
    "$(whoami)",
    "`id`",
    "a;b|c&d",
];

/// A name is safe in the archive and on a command line: one plain path component, no `..`, no leading `-` or
/// `.`, only `[A-Za-z0-9._-]`, at most 100 characters.
fn assert_safe_component(name: &str, from: &str) {
    assert!(!name.is_empty(), "{from:?} → empty");
    assert!(
        name.chars().count() <= 100,
        "{from:?} → {name:?} is too long"
    );
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')),
        "{from:?} → {name:?} has a character outside [A-Za-z0-9._-]"
    );
    assert!(!name.contains(".."), "{from:?} → {name:?} holds ..");
    assert!(
        !name.starts_with('-') && !name.starts_with('.'),
        "{from:?} → {name:?} could pass for an option or a hidden file"
    );
    let components: Vec<Component<'_>> = Path::new(name).components().collect();
    assert!(
        matches!(components.as_slice(), [Component::Normal(_)]),
        "{from:?} → {name:?} is not one plain path component"
    );
}

#[test]
fn nasty_repository_names_become_safe_archive_and_target_names() {
    let root = Path::new("/srv/keepopen/archive");
    for name in NASTY_NAMES {
        assert_safe_component(&sanitize_name(name), name);
        for file in [mirror_name(7, name), wiki_name(7, name)] {
            let path = resolve(root, &file).unwrap_or_else(|e| panic!("{name:?}: {e:#}"));
            assert_eq!(path.parent(), Some(root), "{name:?} → {}", path.display());
        }
        for template in ["{owner}--{repo}", "{repo}", "{owner}-{repo}-{id}"] {
            let target = target_name(template, name, name, 42);
            assert_safe_component(&target, name);
        }
    }
}

#[test]
fn a_mirror_path_from_a_hand_edited_state_file_cannot_leave_the_archive() {
    let root = Path::new("/srv/keepopen/archive");
    for relative in [
        "..", "../x.git", "/etc", "a/b.git", "x.git/..", "", ".", "./x.git",
    ] {
        assert!(
            resolve(root, relative).is_err(),
            "{relative:?} was accepted"
        );
    }
    assert_eq!(
        resolve(root, "7-x.git").unwrap(),
        root.join("7-x.git"),
        "a plain name is accepted"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn any_string_gives_a_safe_archive_name(name in any::<String>()) {
        assert_safe_component(&sanitize_name(&name), &name);
        let root = Path::new("/archive");
        let path = resolve(root, &mirror_name(1, &name)).unwrap();
        prop_assert_eq!(path.parent(), Some(root));
    }

    #[test]
    fn any_owner_and_repo_give_a_safe_target_name(owner in any::<String>(), repo in any::<String>(), id in any::<u64>()) {
        assert_safe_component(&target_name("{owner}--{repo}", &owner, &repo, id), &repo);
    }

    #[test]
    fn arbitrary_policy_text_never_panics_and_every_error_names_the_file(text in any::<String>()) {
        if let Err(e) = Policy::from_str(&text, "hostile.yaml") {
            prop_assert!(!e.diagnostics.is_empty());
            for d in &e.diagnostics {
                prop_assert_eq!(d.file.as_str(), "hostile.yaml");
            }
        }
    }

    #[test]
    fn yaml_shaped_policy_text_never_panics_and_syntax_errors_name_a_line(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("version: 1".to_owned()),
                Just("licenses:".to_owned()),
                Just("  allow: [MIT]".to_owned()),
                Just("safety:".to_owned()),
                Just("  overrides: [{repo: a/b, fingerprint: x, reason: y}]".to_owned()),
                Just("target: {forge: github}".to_owned()),
                Just("- [".to_owned()),
                Just("  : :".to_owned()),
                Just("&a [*a]".to_owned()),
                Just("key: !!binary AAAA".to_owned()),
                "[ -~]{0,30}",
            ],
            0..12,
        )
    ) {
        let text = lines.join("\n");
        if let Err(e) = Policy::from_str(&text, "hostile.yaml") {
            prop_assert!(!e.diagnostics.is_empty());
            for d in &e.diagnostics {
                if let Some(location) = &d.location {
                    prop_assert!(location.line >= 1 && location.line <= text.lines().count().max(1) + 1,
                        "line {} of a {}-line text: {}", location.line, text.lines().count(), d.message);
                }
            }
        }
    }

    #[test]
    fn arbitrary_policy_bytes_on_disk_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.yaml");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = Policy::load(&path) {
            prop_assert!(!e.diagnostics.is_empty());
        }
    }
}

/// A tree of arbitrary files: licence-like names, nested folders, arbitrary bytes.
fn arbitrary_tree() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = prop_oneof![
        Just("LICENSE".to_owned()),
        Just("LICENCE.md".to_owned()),
        Just("COPYING".to_owned()),
        Just("README.md".to_owned()),
        Just("package.json".to_owned()),
        Just("Cargo.toml".to_owned()),
        Just("setup.cfg".to_owned()),
        Just("pom.xml".to_owned()),
        Just("NOTICE".to_owned()),
        // Any name git can store in a tree: not `.`, `..` or `.git` (git refuses those as entries).
        "[a-zA-Z0-9._ -]{1,12}".prop_filter("git refuses . and .. and .git as tree entries", |n| {
            !matches!(n.to_ascii_lowercase().as_str(), "." | ".." | ".git")
        }),
    ];
    let path = (proptest::collection::vec("[a-z]{1,3}", 0..3), name).prop_map(|(dirs, name)| {
        let mut p = dirs.join("/");
        if !p.is_empty() {
            p.push('/');
        }
        p.push_str(&name);
        p
    });
    let contents = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        any::<String>().prop_map(String::into_bytes),
        Just(MIT.as_bytes().to_vec()),
        Just(b"{\"license\": [1, {\"x\": null}]}".to_vec()),
        Just(b"SPDX-License-Identifier: (MIT OR\n".to_vec()),
    ];
    proptest::collection::vec((path, contents), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn licence_discovery_on_arbitrary_trees_never_panics(files in arbitrary_tree()) {
        let fx = RepoFixture::bare();
        let mut spec = TreeSpec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (path, contents) in &files {
            // A path cannot be both a file and a folder in one tree.
            let clash = seen.iter().any(|p: &String| p.starts_with(&format!("{path}/")) || path.starts_with(&format!("{p}/")));
            if clash || !seen.insert(path.clone()) {
                continue;
            }
            spec = spec.file(path, contents);
        }
        fx.commit("main", &spec);
        fx.set_head("main");
        let discovery = keepopen::license::discovery::discover_path(fx.path());
        if let Ok(discovery) = discovery {
            let detector = keepopen::license::detect::Detector::embedded();
            let _ = detector.detect(&discovery);
        }
    }
}

#[test]
fn a_huge_licence_blob_is_read_only_up_to_the_bound() {
    // 64 MiB streamed into the object database, never held whole by the test.
    let fx = RepoFixture::bare();
    let size = 64 * 1024 * 1024;
    let reader = std::io::Read::take(std::io::repeat(b'x'), size);
    let blob = fx.blob_from_reader(reader);
    fx.commit(
        "main",
        &TreeSpec::new()
            .blob("LICENSE", blob)
            .file("README.md", "# x\n"),
    );
    fx.set_head("main");
    let started = std::time::Instant::now();
    let discovery = keepopen::license::discovery::discover_path(fx.path()).unwrap();
    let rendered = format!("{discovery:?}");
    assert!(
        rendered.len() < 8 * 1024 * 1024,
        "the discovery holds {} bytes: the blob was not cut",
        rendered.len()
    );
    let report =
        keepopen::safety::scan_repository(fx.repo(), &[], &keepopen::safety::ScanLimits::default())
            .unwrap();
    // The safety scan reads it to its end, in windows, one large blob in memory at a time.
    assert!(report.truncated.is_empty(), "{:?}", report.truncated);
    assert_eq!(report.bytes_scanned, size + "# x\n".len() as u64);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// Branch and tag names git allows but a careless tool would read as options, paths or globs.
const HOSTILE_REFS: &[&str] = &[
    "refs/heads/-rf",
    "refs/heads/--upload-pack=touch_pwned",
    "refs/heads/nested/deep/name",
    "refs/heads/café-ü",
    "refs/heads/[glob]*?",
    "refs/heads/a;b|c&d",
    "refs/tags/-v1",
    "refs/tags/名前",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branches_named_like_options_paths_or_globs_are_republished_unchanged() {
    let setup = Setup::new(Some(MIT), 2);
    let mirror = Repository::open_bare(setup.mirror()).unwrap();
    let mut written = BTreeMap::new();
    for name in HOSTILE_REFS {
        match mirror.reference(name, setup.main, true, "hostile") {
            Ok(_) => {
                written.insert(name.to_string(), setup.main.to_string());
            }
            Err(e) => eprintln!("libgit2 refuses {name:?}: {}", e.message()),
        }
    }
    assert!(written.len() >= 6, "most names were written: {written:?}");
    let p = setup.publish_local().await.unwrap();
    let published = crate::republish::refs(&setup.published());
    for (name, id) in &written {
        assert_eq!(
            published.get(name),
            Some(id),
            "{name} was published unchanged"
        );
        assert_eq!(p.refs.get(name), Some(id));
    }
    // Nothing was created outside the forge directory.
    let mut entries: Vec<String> = std::fs::read_dir(setup.path("published"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, vec!["nhsuk--frontend.git".to_owned()]);
    assert!(!Path::new("touch_pwned").exists());
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mirror_whose_ref_points_at_a_missing_object_is_refused_naming_the_repo_and_nothing_is_lost()
 {
    let setup = Setup::new(Some(MIT), 2);
    // A branch whose commit is gone from the object database (a loose ref written by hand).
    let missing = "0123456789abcdef0123456789abcdef01234567";
    std::fs::create_dir_all(setup.mirror().join("refs/heads")).unwrap();
    std::fs::write(
        setup.mirror().join("refs/heads/ghost"),
        format!("{missing}\n"),
    )
    .unwrap();
    let before = snapshot(&setup.mirror());
    let e = setup.publish_local().await.unwrap_err();
    let text = format!("{e:#}");
    assert!(
        text.contains("nhsuk/frontend"),
        "the repository is named: {text}"
    );
    assert!(
        text.contains("ghost") || text.contains(missing),
        "the broken ref is named: {text}"
    );
    if let Some(refusal) = e.downcast_ref::<Refusal>() {
        assert!(
            // The licence gate judges every pushed ref and names the one it cannot read (issue 21); the
            // history scan refuses it too.
            matches!(
                refusal,
                Refusal::SensitiveContent { .. } | Refusal::NotAllowed { .. }
            ),
            "{refusal:?}"
        );
    }
    assert_eq!(snapshot(&setup.mirror()), before, "the mirror is untouched");
    assert!(!setup.path("published").exists(), "nothing was published");
    assert!(
        setup
            .store()
            .load(crate::republish::ID)
            .unwrap()
            .unwrap()
            .publications
            .is_empty()
    );
    // The dry run says the same, without writing.
    let dry = publish::prepare(
        &setup.store(),
        &setup.request(
            setup.local_target(),
            Policy::default(),
            publish::Overrides::default(),
        ),
    )
    .await
    .unwrap_err();
    assert!(format!("{dry:#}").contains("nhsuk/frontend"));
}

#[test]
fn check_finds_mirrors_behind_symbolic_links_and_names_them_by_their_owner_and_name_layout() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let scan = dir.path().join("mirrors");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::create_dir_all(scan.join("nhsuk+frontend")).unwrap();
    std::fs::create_dir_all(scan.join("NHSDigital")).unwrap();
    let init = |path: &Path| {
        Repository::init_bare(path).unwrap();
    };
    // `<owner>+<name>/<anything>`, a real folder.
    init(&scan.join("nhsuk+frontend").join("repo"));
    // `<owner>/<name>.git`, a symbolic link to a mirror kept elsewhere under a meaningless name.
    init(&store.join("a1b2c3"));
    std::os::unix::fs::symlink(
        store.join("a1b2c3"),
        scan.join("NHSDigital").join("api.git"),
    )
    .unwrap();
    // A link back up: a cycle, which must end.
    std::os::unix::fs::symlink(&scan, scan.join("NHSDigital").join("loop")).unwrap();

    let found = keepopen::check::find_repositories(&scan, 4).unwrap();
    let names: std::collections::BTreeSet<String> = found
        .iter()
        .map(|p| keepopen::check::repo_name(p))
        .collect();
    assert_eq!(
        names,
        ["NHSDigital/api".to_owned(), "nhsuk/frontend".to_owned()].into(),
        "{found:?}"
    );
}
