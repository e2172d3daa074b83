//! keepopen's licence check of a fixture repository, as `keepopen check` runs it: the embedded licence texts
//! and the default policy.

use std::sync::LazyLock;

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;

use crate::fixture::RepoFixture;

/// The embedded licence texts, compiled once for the whole test binary.
pub static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::embedded);

/// The check of `fx` under the default policy.
pub fn check_fixture(fx: &RepoFixture) -> RepoCheck {
    check_repo(fx.path(), &DETECTOR, &Policy::default())
}

/// The check of a bare repository whose one commit holds `files` (`(path, contents)` each).
pub fn check_files<P: AsRef<str>, C: AsRef<[u8]>>(files: &[(P, C)]) -> RepoCheck {
    check_fixture(&RepoFixture::one_commit(files))
}
