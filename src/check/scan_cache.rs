//! The history scan cache: a scan's result keyed by exactly what it read, so `check`, `propose`, `apply` and
//! `republish` read a mirror's history once per set of tips.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::safety::{SafetyConfig, SafetyReport};

/// History scan results keyed by what was scanned: the repository's name (overrides are per repository), the
/// tips of the refs the scan reads (ref → id), the rule set and the `safety:` configuration. Held in memory,
/// and under `dir` (one small JSON file per key) when given, so a second `check` of unchanged mirrors reads no
/// history. A changed tip, rule or setting is a different key: nothing stale is ever served.
#[derive(Debug, Default)]
pub struct ScanCache {
    dir: Option<PathBuf>,
    /// New scans are kept in memory only (a dry run writes nothing).
    read_only: bool,
    memory: std::sync::Mutex<std::collections::HashMap<String, SafetyReport>>,
}

impl ScanCache {
    /// A cache in memory only.
    pub fn in_memory() -> Self {
        ScanCache::default()
    }

    /// The cache of a state directory, `<state>/cache/scan/`: the one `check`, `propose`, `apply` and
    /// `republish` share.
    pub fn in_state(state: &Path) -> Self {
        ScanCache::on_disk(state.join("cache").join("scan"))
    }

    /// The cache of a state directory, read but never written: what a dry run uses.
    pub fn in_state_read_only(state: &Path) -> Self {
        ScanCache {
            read_only: true,
            ..ScanCache::in_state(state)
        }
    }

    /// A cache in memory and in `dir` (created on first write).
    pub fn on_disk(dir: PathBuf) -> Self {
        ScanCache {
            dir: Some(dir),
            ..ScanCache::default()
        }
    }

    /// The tips `config.refs` select in `path` (ref name → the id it points at).
    fn tips(path: &Path, config: &SafetyConfig) -> anyhow::Result<BTreeMap<String, String>> {
        use anyhow::Context;
        let repo = git2::Repository::open_ext(
            path,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .with_context(|| format!("cannot open {} as a git repository", path.display()))?;
        let mut tips = BTreeMap::new();
        for glob in &config.refs {
            for reference in repo.references_glob(glob)? {
                let reference = reference?;
                if let (Ok(n), Some(id)) = (reference.name(), reference.target()) {
                    tips.insert(n.to_owned(), id.to_string());
                }
            }
        }
        Ok(tips)
    }

    /// The key of a scan of `path` as `name` under `config`: sha256 over all of it, in hex.
    pub fn key(path: &Path, name: &str, config: &SafetyConfig) -> anyhow::Result<String> {
        Ok(Self::key_for_tips(name, &Self::tips(path, config)?, config))
    }

    /// The key of a scan from exactly `tips` (ref name → id). What a scan finds is fixed by the objects it
    /// walks, and those by the tip ids: the same tips under the same rules and settings are the same scan,
    /// whether `check` found them by the policy's globs or republication named them one by one.
    pub fn key_for_tips(
        name: &str,
        tips: &BTreeMap<String, String>,
        config: &SafetyConfig,
    ) -> String {
        use sha2::{Digest, Sha256};
        let rules = crate::safety::RuleSet::gitleaks()
            .map(|r| format!("{}:{}", r.source, r.rules().len()))
            .unwrap_or_default();
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(b"\0");
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update(rules.as_bytes());
        h.update(b"\0");
        h.update(format!("{config:?}").as_bytes());
        for (r, id) in tips {
            h.update(b"\0");
            h.update(r.as_bytes());
            h.update(b"=");
            h.update(id.as_bytes());
        }
        hex::encode(h.finalize())
    }

    /// The scan of `path`, from the cache when the same tips were scanned under the same rules; the flag says
    /// whether it was. A report that hit the time limit is not kept (a later run may finish it).
    pub fn scan(
        &self,
        path: &Path,
        name: &str,
        config: &SafetyConfig,
    ) -> anyhow::Result<(SafetyReport, bool)> {
        self.scan_reading(path, name, config)
            .map(|(report, cached, _)| (report, cached))
    }

    /// [`ScanCache::scan`], and the tips it read (ref name → id): what a publication compares with the refs
    /// it pushes, to know whether this report already covers them.
    pub fn scan_reading(
        &self,
        path: &Path,
        name: &str,
        config: &SafetyConfig,
    ) -> anyhow::Result<(SafetyReport, bool, BTreeMap<String, String>)> {
        let tips = Self::tips(path, config)?;
        let key = Self::key_for_tips(name, &tips, config);
        let (report, cached) =
            self.through(key, || crate::safety::scan_path(path, name, config))?;
        Ok((report, cached, tips))
    }

    /// The scan of exactly `tips` in `repo` (the refs a republication pushes), the allow-list and overrides of
    /// `config` applied; from the cache when a `check` or `propose` scanned the same tips.
    pub fn scan_tips(
        &self,
        repo: &git2::Repository,
        name: &str,
        tips: &BTreeMap<String, String>,
        config: &SafetyConfig,
    ) -> anyhow::Result<(SafetyReport, bool)> {
        let key = Self::key_for_tips(name, tips, config);
        self.through(key, || {
            let mut report = crate::safety::scan_tips(repo, tips, &config.limits)?;
            config.apply(name, &mut report);
            Ok(report)
        })
    }

    fn through(
        &self,
        key: String,
        scan: impl FnOnce() -> anyhow::Result<SafetyReport>,
    ) -> anyhow::Result<(SafetyReport, bool)> {
        if let Some(hit) = self.memory.lock().expect("cache lock").get(&key) {
            return Ok((hit.clone(), true));
        }
        let file = self.dir.as_ref().map(|d| d.join(format!("{key}.json")));
        if let Some(file) = &file
            && let Ok(bytes) = std::fs::read(file)
            && let Ok(report) = serde_json::from_slice::<SafetyReport>(&bytes)
        {
            self.memory
                .lock()
                .expect("cache lock")
                .insert(key, report.clone());
            return Ok((report, true));
        }
        let report = scan()?;
        if !report.incomplete {
            if let Some(file) = file.as_ref().filter(|_| !self.read_only) {
                let written = file
                    .parent()
                    .map(std::fs::create_dir_all)
                    .transpose()
                    .and_then(|_| {
                        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
                        std::fs::write(&tmp, serde_json::to_vec(&report)?)?;
                        std::fs::rename(&tmp, file)
                    });
                if let Err(e) = written {
                    tracing::warn!("cannot write the scan cache {}: {e}", file.display());
                }
            }
            self.memory
                .lock()
                .expect("cache lock")
                .insert(key, report.clone());
        }
        Ok((report, false))
    }
}
