//! How much of a pack file libgit2 keeps mapped into memory at once.
//!
//! libgit2 reads a pack through windows mapped from the file. By default (64-bit) a window is up to 1 GiB and
//! it keeps up to 8 GiB of windows mapped, unmapping none before that. A scan reads every blob of the history,
//! so every page of the pack ends up mapped and counted in the process's resident memory: on a 197 MiB pack,
//! 206 MiB of a 281 MiB peak. With smaller windows and a lower total, libgit2 unmaps the least recently used
//! window not in use as the scan moves on; the pages stay in the kernel's page cache, so coming back to them
//! costs a new mapping and page faults, not a disk read.
//!
//! The limits are process-wide and set once, first thing in `main` (and in the benches): not a setting, since
//! they change how much memory a scan takes, never what it finds.

/// libgit2's pack-window limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackWindows {
    /// The most bytes of one window (libgit2 starts windows at multiples of half of it).
    pub window: usize,
    /// The most bytes mapped at once, over every pack of every repository of the process. A soft limit: a
    /// window in use is never unmapped, so while every reader holds one the total can pass it, by at most
    /// one window per thread.
    pub mapped_limit: usize,
}

/// The limits keepopen runs with: 8 MiB windows, 128 MiB in all. Measured on a 197 MiB pack (docs/figures.md):
/// with 64 MiB in all the scan unmapped and mapped again about 5,200 windows (and its wall time grew on a loaded
/// machine, its CPU time not), with 128 MiB about 680, for a peak of about 140 MiB where the default's was 283;
/// windows of 32 MiB or more need as much again in all (the walk and each reader can hold one in use, which is
/// never unmapped) or they are unmapped on almost every read.
pub const PACK_WINDOWS: PackWindows = PackWindows {
    window: 8 * 1024 * 1024,
    mapped_limit: 128 * 1024 * 1024,
};

/// Set libgit2's pack-window limits to [`PACK_WINDOWS`]; returns the limits libgit2 then reports.
///
/// The number of pack files kept open is left unlimited, as libgit2 has it: it bounds file descriptors, not
/// memory.
///
/// # Safety
///
/// libgit2 keeps these limits in global variables that its threads read without a lock. Call this before any
/// other libgit2 call of the process and while the process has one thread (first thing in `main`), so that no
/// read can race with the write.
pub unsafe fn limit_pack_windows() -> Result<PackWindows, git2::Error> {
    // SAFETY: the caller's contract: one thread, and no libgit2 call before this one.
    unsafe {
        git2::opts::set_mwindow_size(PACK_WINDOWS.window)?;
        git2::opts::set_mwindow_mapped_limit(PACK_WINDOWS.mapped_limit)?;
        pack_windows()
    }
}

/// The pack-window limits libgit2 holds now.
///
/// # Safety
///
/// As for [`limit_pack_windows`]: no other thread may be setting them at the same time.
pub unsafe fn pack_windows() -> Result<PackWindows, git2::Error> {
    // SAFETY: the caller's contract.
    unsafe {
        Ok(PackWindows {
            window: git2::opts::get_mwindow_size()?,
            mapped_limit: git2::opts::get_mwindow_mapped_limit()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::process::Command;

    use git2::Repository;

    use super::*;
    use crate::safety::{ScanLimits, scan_repository};

    /// Set in the process this test starts for itself.
    const ALONE: &str = "KEEPOPEN_PACK_WINDOWS_TEST_ALONE";

    /// The limits are process-wide and may be set only before any other libgit2 call, so the test runs itself
    /// again, alone, in a process of its own, and the checks are made there.
    #[test]
    fn the_limits_are_in_force_and_a_scan_reads_a_pack_larger_than_a_window() {
        if std::env::var_os(ALONE).is_none() {
            let status = Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "safety::packs::tests::the_limits_are_in_force_and_a_scan_reads_a_pack_larger_than_a_window",
                    "--test-threads=1",
                    "--nocapture",
                ])
                .env(ALONE, "1")
                .status()
                .unwrap();
            assert!(status.success(), "the test, run alone, failed");
            return;
        }
        // SAFETY: this process runs this test alone, and nothing before this line called libgit2.
        let before = unsafe { pack_windows() }.unwrap();
        assert_ne!(
            before, PACK_WINDOWS,
            "libgit2's own defaults are not the limits"
        );
        let set = unsafe { limit_pack_windows() }.unwrap();
        assert_eq!(set, PACK_WINDOWS);
        assert_eq!(unsafe { pack_windows() }.unwrap(), PACK_WINDOWS);

        let dir = tempfile::tempdir().unwrap();
        let repo = packed_repository_larger_than_a_window(dir.path());
        let pack_bytes: u64 = std::fs::read_dir(dir.path().join("objects/pack"))
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        assert!(pack_bytes > 2 * PACK_WINDOWS.window as u64, "{pack_bytes}");
        let report = scan_repository(&repo, &[], &ScanLimits::default()).unwrap();
        assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
        assert!(!report.incomplete);
        assert_eq!(report.blobs_scanned, 3);
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["aws-access-token"]);
    }

    /// A bare repository of one commit ([`commit_files`]), every object in one pack and none loose.
    fn packed_repository_larger_than_a_window(dir: &std::path::Path) -> Repository {
        let repo = Repository::init_bare(dir).unwrap();
        let commit = commit_files(&repo);
        let mut pack = git2::Buf::new();
        let mut builder = repo.packbuilder().unwrap();
        builder.insert_commit(commit).unwrap();
        builder.write_buf(&mut pack).unwrap();
        drop(builder);
        {
            let odb = repo.odb().unwrap();
            let mut writer = odb.packwriter().unwrap();
            writer.write_all(&pack).unwrap();
            writer.commit().unwrap();
        }
        drop(repo);
        for entry in std::fs::read_dir(dir.join("objects")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.len() == 2 && name.chars().all(|c| c.is_ascii_hexdigit()) {
                std::fs::remove_dir_all(&path).unwrap();
            }
        }
        Repository::open_bare(dir).unwrap()
    }

    /// One commit of two 10 MiB binary files (random, so they do not compress) and a file with an access key.
    fn commit_files(repo: &Repository) -> git2::Oid {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut noise = |len: usize| -> Vec<u8> {
            let mut bytes = vec![0u8];
            while bytes.len() < len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bytes.extend_from_slice(&state.to_le_bytes());
            }
            bytes
        };
        let mut tree = repo.treebuilder(None).unwrap();
        for name in ["a.bin", "b.bin"] {
            let id = repo.blob(&noise(10 * 1024 * 1024)).unwrap();
            tree.insert(name, id, 0o100644).unwrap();
        }
        let key = concat!("aws_access_key_id = \"AK", "IA2E3MXQ7HZLR4VNPW\"\n");
        tree.insert("settings.py", repo.blob(key.as_bytes()).unwrap(), 0o100644)
            .unwrap();
        let tree = repo.find_tree(tree.write().unwrap()).unwrap();
        let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(0, 0)).unwrap();
        repo.commit(Some("refs/heads/main"), &sig, &sig, "m", &tree, &[])
            .unwrap()
    }
}
