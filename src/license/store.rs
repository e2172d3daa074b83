//! The askalono store, built by build.rs from `licenses/` and embedded in the binary.

use std::sync::OnceLock;

use askalono::Store;

static STORE_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/license-store.bin"));

/// The SPDX licence list version of the vendored texts.
pub const LICENSE_LIST_VERSION: &str =
    include_str!(concat!(env!("OUT_DIR"), "/license-list-version.txt"));

/// Decode the embedded store (about a tenth of a second); callers normally use [`store`].
pub fn load() -> anyhow::Result<Store> {
    Store::from_cache(STORE_BYTES)
}

/// The store, decoded once per process.
pub fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        load().expect("the embedded licence store was written by build.rs and decodes")
    })
}

static OWN_COPYRIGHTS: &str = include_str!(concat!(env!("OUT_DIR"), "/license-own-copyrights.txt"));

/// Whether a holder is named on a copyright line of a licence text itself (the FSF on the GPL): the
/// licence's author, not the repository's.
pub fn is_license_author(holder: &str) -> bool {
    let holder = holder.to_lowercase();
    holder.len() > 3 && OWN_COPYRIGHTS.lines().any(|line| line.contains(&holder))
}
