//! Build fixture repositories with git2: bare repositories written commit by commit, no working tree.

use std::path::Path;

use git2::{Oid, Repository, Signature};

/// A bare repository at `path` (created with parents).
pub fn init_bare(path: &Path) -> Repository {
    let mut options = git2::RepositoryInitOptions::new();
    options.bare(true).mkpath(true).initial_head("main");
    Repository::init_opts(path, &options).expect("init bare fixture")
}

/// Commit `files` (flat `name → content`) on `branch`. With `parent: true` the branch's current tip is the parent
/// (a fast-forward); with `false` the commit has no parent (a rewrite: moving the branch to it is a force push).
pub fn commit(
    repo: &Repository,
    branch: &str,
    files: &[(&str, &str)],
    parent: bool,
    message: &str,
) -> Oid {
    let mut builder = repo.treebuilder(None).unwrap();
    for (name, content) in files {
        let blob = repo.blob(content.as_bytes()).unwrap();
        builder.insert(name, blob, 0o100644).unwrap();
    }
    let tree = repo.find_tree(builder.write().unwrap()).unwrap();
    let signature = Signature::new(
        "Fixture",
        "fixture@example.invalid",
        &git2::Time::new(1_700_000_000, 0),
    )
    .unwrap();
    let reference = format!("refs/heads/{branch}");
    let parent_commit = if parent {
        repo.find_reference(&reference)
            .ok()
            .and_then(|r| r.peel_to_commit().ok())
    } else {
        None
    };
    let parents: Vec<&git2::Commit<'_>> = parent_commit.iter().collect();
    let oid = repo
        .commit(None, &signature, &signature, message, &tree, &parents)
        .unwrap();
    repo.reference(&reference, oid, true, "fixture").unwrap();
    oid
}

/// The tip of `branch`.
pub fn tip(repo: &Repository, branch: &str) -> Oid {
    repo.find_reference(&format!("refs/heads/{branch}"))
        .unwrap()
        .target()
        .unwrap()
}

/// Delete `branch`.
pub fn delete_branch(repo: &Repository, branch: &str) {
    repo.find_reference(&format!("refs/heads/{branch}"))
        .unwrap()
        .delete()
        .unwrap();
}

/// Every ref of a repository → target, as strings.
pub fn refs(path: &Path) -> std::collections::BTreeMap<String, String> {
    let repo = Repository::open_bare(path).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for r in repo.references().unwrap() {
        let r = r.unwrap();
        if let (Ok(name), Some(target)) = (r.name(), r.target()) {
            out.insert(name.to_owned(), target.to_string());
        }
    }
    out
}
