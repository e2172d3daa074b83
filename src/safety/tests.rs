use super::*;
use crate::verdict::Condition;
use crate::verdict::Verdict;
use sha2::{Digest, Sha256};

#[test]
fn mask_keeps_a_short_head_and_hides_the_rest() {
    let cases = [
        (concat!("AK", "IA2E3MXQ7HZLR4VNPW"), "AKIA****************"),
        (
            concat!("gh", "p_R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"),
            "ghp_****************…",
        ),
        ("hunter2pw", "hu*******"),
        ("short", "*****"),
        ("", ""),
    ];
    for (secret, expected) in cases {
        assert_eq!(mask(secret), expected, "{secret}");
        if secret.len() > 8 {
            assert!(!mask(secret).contains(&secret[4..]), "{secret}");
        }
    }
}

#[test]
fn fingerprint_is_the_sha256_of_commit_path_rule_line() {
    assert_eq!(
        fingerprint("abc", "a/b", "r", Some(3)),
        hex::encode(Sha256::digest(b"abc:a/b:r:3"))
    );
    assert_eq!(
        fingerprint("abc", ".env", "dotenv-file", None),
        hex::encode(Sha256::digest(b"abc:.env:dotenv-file:0"))
    );
}

/// A complete scan of one commit and one blob, with nothing found.
fn report() -> SafetyReport {
    SafetyReport {
        refs: vec!["refs/heads/main".into()],
        commits_total: 1,
        commits_scanned: 1,
        blobs_scanned: 1,
        bytes_scanned: 10,
        ..SafetyReport::nothing_read(
            RulesSummary {
                source: "t".into(),
                loaded: 1,
                skipped: vec![],
            },
            1,
            1,
        )
    }
}

/// A secret found by `rule` at `path` (line 1 of commit `c`), masked, not waived, with the given fingerprint.
pub(super) fn finding(rule: &str, path: &str, fingerprint: &str) -> SafetyFinding {
    SafetyFinding {
        kind: FindingKind::Secret,
        rule: rule.into(),
        description: String::new(),
        path: path.into(),
        commit: "c".into(),
        blob: "b".into(),
        line: Some(1),
        excerpt: "****".into(),
        occurrences: 1,
        fingerprint: fingerprint.into(),
        allowed_by: None,
        places: vec![],
        places_total: 1,
        place_fingerprints: vec![],
        marked: None,
        local_test: None,
    }
}

fn blob(size: u64, n: usize) -> LargeBlob {
    LargeBlob {
        path: format!("f{n}"),
        commit: "c".into(),
        blob: format!("{n:040}"),
        size,
    }
}

#[test]
fn the_largest_blobs_vouch_for_a_size_limit_only_when_they_are_the_whole_top() {
    let mut r = report();
    // One blob read, one kept: the list is the whole history.
    r.blobs_scanned = 1;
    r.largest = vec![blob(2000, 1)];
    assert_eq!(r.blobs_over(1000).unwrap().len(), 1);
    assert_eq!(r.blobs_over(5000).unwrap().len(), 0);
    // A report from before the list was kept (none kept, blobs read) cannot say.
    r.largest.clear();
    assert!(r.blobs_over(1000).is_none());
    // Every kept blob over the limit with more blobs read: there may be more over it.
    r.blobs_scanned = 100;
    r.largest = (0..LARGEST_KEPT)
        .map(|n| blob(2000 + n as u64, n))
        .collect();
    assert!(r.blobs_over(1000).is_none());
    assert_eq!(r.blobs_over(2005).unwrap().len(), LARGEST_KEPT - 6);
    // An incomplete or partly unreadable scan vouches for nothing.
    r.incomplete = true;
    assert!(r.blobs_over(2005).is_none());
    r.incomplete = false;
    r.unreadable.push("blob x: corrupt".into());
    assert!(r.blobs_over(2005).is_none());
}

#[test]
fn a_scan_keeps_the_largest_blobs_largest_first() {
    let fx_dir = tempfile::tempdir().unwrap();
    let repo = Repository::init_bare(fx_dir.path()).unwrap();
    let mut tree = repo.treebuilder(None).unwrap();
    for n in 0..(LARGEST_KEPT + 9) {
        let id = repo.blob(&vec![b'x'; 100 + n * 7]).unwrap();
        tree.insert(format!("f{n}.txt"), id, 0o100644).unwrap();
    }
    let tree = repo.find_tree(tree.write().unwrap()).unwrap();
    let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(0, 0)).unwrap();
    repo.commit(Some("refs/heads/main"), &sig, &sig, "m", &tree, &[])
        .unwrap();
    let r = scan_repository(&repo, &[], &ScanLimits::default()).unwrap();
    let sizes: Vec<u64> = r.largest.iter().map(|b| b.size).collect();
    let want: Vec<u64> = (9..LARGEST_KEPT + 9)
        .rev()
        .map(|n| 100 + n as u64 * 7)
        .collect();
    assert_eq!(sizes, want);
    assert_eq!(r.largest[0].path, format!("f{}.txt", LARGEST_KEPT + 8));
    assert_eq!(r.blobs_over(100 + 20 * 7).unwrap().len(), 4);
}

#[test]
fn gate_verdict_table() {
    let mut dirty = report();
    dirty.incomplete = true;
    dirty.incomplete_reason = Some("stopped".into());
    let clean = report();
    let keep = vec![Condition::KeepNotices];
    let blocked = "sensitive content: the history scan is incomplete: stopped".to_string();
    let cases = [
        (
            Verdict::Allowed {
                conditions: keep.clone(),
            },
            &clean,
            Verdict::Allowed {
                conditions: keep.clone(),
            },
        ),
        (
            Verdict::Allowed {
                conditions: keep.clone(),
            },
            &dirty,
            Verdict::NeedsReview {
                reasons: vec![blocked.clone()],
                conditions: keep.clone(),
            },
        ),
        (
            Verdict::NeedsReview {
                reasons: vec!["licence unclear".into()],
                conditions: vec![],
            },
            &dirty,
            Verdict::NeedsReview {
                reasons: vec!["licence unclear".into(), blocked.clone()],
                conditions: vec![],
            },
        ),
        (
            Verdict::Forbidden {
                reasons: vec!["no".into()],
            },
            &dirty,
            Verdict::Forbidden {
                reasons: vec!["no".into()],
            },
        ),
    ];
    for (before, r, after) in cases {
        assert_eq!(gate_verdict(before.clone(), r), after, "{before:?}");
    }
}

#[test]
fn blocking_reasons_name_findings_incompleteness_and_unreadable_objects() {
    let mut r = report();
    assert!(r.is_clean());
    r.findings.push(SafetyFinding {
        description: "d".into(),
        commit: "0123456789abcdef0123".into(),
        line: Some(3),
        excerpt: "AKIA****************".into(),
        ..finding("aws-access-token", "config/settings.py", "f")
    });
    r.incomplete = true;
    r.incomplete_reason = Some("stopped at the time limit".into());
    r.unreadable = vec!["blob x".into(), "blob y".into()];
    assert_eq!(
        r.blocking_reasons(),
        [
            "secret (aws-access-token) in config/settings.py line 3, commit 0123456789ab: AKIA****************",
            "the history scan is incomplete: stopped at the time limit",
            "the history scan could not read everything: blob x (and 1 more)",
        ]
    );
    assert!(!r.is_clean());
}

#[test]
fn a_scan_leaves_libgit2_checking_object_ids_as_it_found_it() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init_bare(dir.path()).unwrap();
    let good = repo.blob(b"hello\n").unwrap();
    let mut tree = repo.treebuilder(None).unwrap();
    tree.insert("a.txt", good, 0o100644).unwrap();
    let tree = repo.find_tree(tree.write().unwrap()).unwrap();
    let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(0, 0)).unwrap();
    repo.commit(Some("refs/heads/main"), &sig, &sig, "m", &tree, &[])
        .unwrap();
    // A loose blob whose stored bytes are another blob's: they inflate, but do not hash to its id.
    let other = repo.blob(b"other\n").unwrap();
    let loose = |id: Oid| {
        let hex = id.to_string();
        dir.path().join("objects").join(&hex[..2]).join(&hex[2..])
    };
    let bytes = std::fs::read(loose(good)).unwrap();
    let mut permissions = std::fs::metadata(loose(other)).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(loose(other), permissions).unwrap();
    std::fs::write(loose(other), bytes).unwrap();
    let fresh = || Repository::open_bare(dir.path()).unwrap();
    assert!(fresh().find_blob(other).is_err(), "checked before a scan");
    scan_repository(&repo, &[], &ScanLimits::default()).unwrap();
    assert!(fresh().find_blob(other).is_err(), "and after it");
}
