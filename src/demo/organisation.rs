//! The demo organisation: one repository per outcome worth seeing, written as bare repositories with git2.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use crate::monitor::local;

/// One repository of the demo organisation and what it deserves.
#[derive(Debug, Clone)]
pub struct DemoRepository {
    pub name: &'static str,
    /// Why it is in the demo.
    pub about: &'static str,
    pub files: Vec<(&'static str, String)>,
    /// Deleted from the forge after the first scan.
    pub removed: bool,
}

/// The NHS's usual README licence section (MIT for code, OGL for documentation), a labelled corpus file.
const NHS_MIT_OGL_README: &str =
    include_str!("../../tests/corpus/034-nhse-performance-grid-readme-mit-ogl.md");
const MIT_LICENSE: &str = include_str!("../../tests/corpus/002-nhsuk-service-manual-mit.txt");
const GPL3_LICENSE: &str = include_str!("../../licenses/text/GPL-3.0-only.txt");
const CC_BY_NC_LICENSE: &str = include_str!("../../licenses/text/CC-BY-NC-4.0.txt");

/// A made-up AWS access key id (AKIA and 16 of A-Z2-7), assembled so that this source file holds no key.
fn fake_aws_key() -> String {
    ["AK", "IA", "M4XR7TQ2WZ5KN3VP"].concat()
}

/// The demo organisation: one repository per outcome worth seeing.
pub fn organisation() -> Vec<DemoRepository> {
    let readme =
        |title: &str| format!("# {title}\n\nA demo repository built by `keepopen demo`.\n");
    vec![
        DemoRepository {
            name: "appointments-api",
            about: "MIT: republished",
            files: vec![
                ("README.md", readme("Appointments API")),
                ("LICENSE", MIT_LICENSE.to_owned()),
                ("src/main.py", "print('appointments')\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "performance-grid",
            about: "the NHS's MIT (code) and OGL (documentation) README section: republished",
            files: vec![
                ("README.md", NHS_MIT_OGL_README.to_owned()),
                ("grid.R", "grid <- function() NULL\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "clinical-coder",
            about: "GPL-3.0: republished (copyleft allows it, unchanged and with the licence)",
            files: vec![
                ("README.md", readme("Clinical coder")),
                ("COPYING", GPL3_LICENSE.to_owned()),
                ("coder.c", "int main(void) { return 0; }\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "waiting-times-data",
            about: "CC-BY-NC-4.0: republished with its non-commercial condition (republishing is non-commercial)",
            files: vec![
                ("README.md", readme("Waiting times data")),
                ("LICENSE", CC_BY_NC_LICENSE.to_owned()),
                ("data/waits.csv", "trust,weeks\nRX1,18\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "ward-dashboard",
            about: "no licence: refused (no permission to copy)",
            files: vec![
                ("README.md", readme("Ward dashboard")),
                ("app.js", "console.log('ward');\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "referral-service",
            about: "MIT, but a leaked (fake) AWS key in its config: held back",
            files: vec![
                ("README.md", readme("Referral service")),
                ("LICENSE", MIT_LICENSE.to_owned()),
                (
                    "config/settings.ini",
                    format!(
                        "[aws]\nregion = eu-west-2\naws_access_key_id = {}\n",
                        fake_aws_key()
                    ),
                ),
            ],
            removed: true,
        },
        DemoRepository {
            name: "nhs-login-widget",
            about: "MIT, still public: archived, nothing to republish",
            files: vec![
                ("README.md", readme("NHS login widget")),
                ("LICENSE", MIT_LICENSE.to_owned()),
            ],
            removed: false,
        },
    ]
}

/// Write each repository of `repositories` as a bare repository `<dir>/<name>.git` with one commit on `main`,
/// and give them ids 1, 2, … in order (as a forge would on creation). Blocking.
pub fn build_organisation(
    dir: &Path,
    repositories: &[DemoRepository],
    time: DateTime<Utc>,
) -> anyhow::Result<()> {
    for (i, repository) in repositories.iter().enumerate() {
        let path = dir.join(format!("{}.git", repository.name));
        let files: Vec<(&str, &[u8])> = repository
            .files
            .iter()
            .map(|(p, c)| (*p, c.as_bytes()))
            .collect();
        commit_files(
            &path,
            "main",
            &files,
            &format!("Initial commit of {}", repository.name),
            time + Duration::minutes(i as i64),
        )
        .with_context(|| format!("cannot build {}", path.display()))?;
        local::set_id(&path, 1000 + i as u64)?;
    }
    Ok(())
}

/// Create (or open) the bare repository at `path` and commit `files` on `branch`, on top of its tip if it has
/// one; HEAD points at `branch`. Returns the commit id. Blocking.
pub fn commit_files(
    path: &Path,
    branch: &str,
    files: &[(&str, &[u8])],
    message: &str,
    time: DateTime<Utc>,
) -> anyhow::Result<git2::Oid> {
    let repo = match git2::Repository::open_bare(path) {
        Ok(repo) => repo,
        Err(_) => {
            let mut options = git2::RepositoryInitOptions::new();
            options.bare(true).mkpath(true).external_template(false);
            git2::Repository::init_opts(path, &options)?
        }
    };
    let mut index = git2::Index::new()?;
    for (name, contents) in files {
        let id = repo.blob(contents)?;
        index.add(&git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: contents.len() as u32,
            id,
            flags: name.len().min(0xfff) as u16,
            flags_extended: 0,
            path: name.as_bytes().to_vec(),
        })?;
    }
    let tree = repo.find_tree(index.write_tree_to(&repo)?)?;
    let signature = git2::Signature::new(
        "NHS Demo Developer",
        "developer@nhs-demo.invalid",
        &git2::Time::new(time.timestamp(), 0),
    )?;
    let reference = format!("refs/heads/{branch}");
    let parent = repo
        .find_reference(&reference)
        .ok()
        .and_then(|r| r.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo.commit(
        Some(&reference),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )?;
    repo.set_head(&reference)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_outcome_is_in_the_organisation() {
        let org = organisation();
        let names: Vec<&str> = org.iter().map(|r| r.name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "names repeat: {names:?}");
        assert_eq!(org.iter().filter(|r| !r.removed).count(), 1);
        let leaked = org.iter().find(|r| r.name == "referral-service").unwrap();
        assert!(
            leaked
                .files
                .iter()
                .any(|(_, c)| c.contains(&fake_aws_key()))
        );
        assert!(
            org.iter()
                .find(|r| r.name == "ward-dashboard")
                .unwrap()
                .files
                .iter()
                .all(|(p, _)| !p.contains("LICEN") && !p.contains("COPYING"))
        );
    }
}
