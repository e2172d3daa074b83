//! Persistent state: a directory of small, human-diffable JSON files that a workflow can commit to a branch.
//!
//! ```text
//! state/
//!   meta.json                  {"schema-version": 1, "created": …}
//!   repos/<id>.json            one RepoRecord per repository, keyed by GitHub's numeric id
//!   shards/<i>-of-<n>.json     per shard: heartbeat of the last run, listing-page ETags
//!   removals.jsonl             append-only removal events, consumed by propose/republish
//!   reports/removals-<ts>.{jsonl,md}   what one run found
//! ```
//!
//! Every write is atomic (temp file in the same directory, fsync, rename, fsync of the directory), so a killed
//! run leaves either the old or the new file, never half of one. `removals.jsonl` is appended a whole line at a
//! time and fsynced; a torn last line (a crash mid-write) is skipped on read, and cut off — kept aside in
//! `reports/`, with a warning — before the next append, so the next event never lands on it.
//!
//! One writer at a time: [`Store::open`] takes the directory's lock ([`lock`]) and holds it while any clone of
//! the store lives, so every command that writes state runs alone; a second one waits a bounded time, then
//! stops naming the holder. [`Store::open_read_only`] takes no lock, and its writes fail.

pub mod lock;
mod record;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use record::{
    ApiLicense, LegalBlock, LfsRecord, MirrorRecord, PublicationRecord, RemovalEntry, RemovalEvent,
    RepoRecord, Status, Suspicion, WikiRecord, WikiState,
};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A state directory whose schema cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(
        "{path}: state schema version {found} is newer than this keepopen understands ({supported})\nhelp: upgrade keepopen, or point --state at another directory"
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{path}: state schema version {found} is older than {supported} and has no migration\nhelp: run `keepopen monitor` with a fresh --state directory; the archive is kept"
    )]
    Older {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
}

/// `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Meta {
    pub schema_version: u32,
    pub created: DateTime<Utc>,
}

/// What one monitor run saw, left behind so that a silently disabled schedule is noticed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Heartbeat {
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub counts: BTreeMap<String, u64>,
    /// One line per failure (repo or listing), capped.
    #[serde(default)]
    pub errors: Vec<String>,
}

/// A listing page as last seen: its ETag, the ids on it, and the next page, so that a 304 is enough to know
/// the page's repositories without its body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PageCache {
    pub etag: String,
    pub ids: Vec<u64>,
    pub next: Option<String>,
}

/// `shards/<i>-of-<n>.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ShardState {
    pub heartbeat: Heartbeat,
    /// Keyed by the page's path and query.
    pub pages: BTreeMap<String, PageCache>,
}

/// What one `propose` run left: how many candidates it proposed anew, how many are in open proposals, and how
/// many wait (writing stopped: a rate limit or the run's write budget). Kept for `keepopen status` and the
/// status page, which say when the backlog should clear at this pace ([`Backlog::clears_at`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProposeRun {
    pub at: DateTime<Utc>,
    /// Candidates whose proposal this run opened (or first put in a batch).
    pub proposed: u64,
    /// Candidates in an open proposal after the run, those just proposed included.
    pub in_proposals: u64,
    /// Candidates not yet proposed, waiting for a later run.
    pub waiting: u64,
}

/// The last `propose` runs, oldest first (`proposals.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Backlog {
    pub runs: Vec<ProposeRun>,
}

/// The most runs [`Backlog`] keeps.
const BACKLOG_RUNS: usize = 10;

impl Backlog {
    /// When the waiting candidates should all be proposed at the pace of the last runs (pure): the candidates
    /// proposed per run, over the time between runs. `Some(at)` of the last run when nothing waits; `None` when
    /// the pace is unknown (one run) or nothing was proposed lately (nothing drains).
    pub fn clears_at(&self) -> Option<DateTime<Utc>> {
        let last = self.runs.last()?;
        if last.waiting == 0 {
            return Some(last.at);
        }
        let first = self.runs.first()?;
        let span = last.at - first.at;
        // The candidates proposed in the runs after the first, over the time they took.
        let proposed: u64 = self.runs.iter().skip(1).map(|r| r.proposed).sum();
        if proposed == 0 || span <= chrono::Duration::zero() {
            return None;
        }
        let per_candidate = span / proposed as i32;
        Some(last.at + per_candidate * last.waiting.min(i32::MAX as u64) as i32)
    }
}

/// Where a removal report was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPaths {
    pub jsonl: PathBuf,
    pub markdown: PathBuf,
}

/// The state directory. Cheap to clone; a writer's clones share its lock (one open file).
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// Held by a writer; `None` when opened read-only.
    lock: Option<std::sync::Arc<lock::DirLock>>,
}

impl Store {
    /// Open (creating if needed) a state directory for writing, checking its schema version. Takes the
    /// directory's lock, waiting up to `KEEPOPEN_LOCK_WAIT` for another writer.
    pub fn open(root: impl Into<PathBuf>) -> anyhow::Result<Store> {
        let root = root.into();
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create {}", root.display()))?;
        let lock = lock::acquire(&root, "the state directory", lock::configured_wait()?)?;
        Self::open_with(root, Some(lock))
    }

    /// Open a state directory to read it, without its lock (`status`, `report`); every write fails.
    pub fn open_read_only(root: impl Into<PathBuf>) -> anyhow::Result<Store> {
        let root = root.into();
        let store = Store { root, lock: None };
        let meta_path = store.root.join("meta.json");
        if let Some(value) = read_json::<serde_json::Value>(&meta_path)? {
            let found = value
                .get("schema-version")
                .and_then(|v| v.as_u64())
                .with_context(|| {
                    format!(
                        "{}: no numeric \"schema-version\"; is this a keepopen state directory?",
                        meta_path.display()
                    )
                })? as u32;
            check_schema(&meta_path, found)?;
        }
        Ok(store)
    }

    /// Whether this store holds the directory's lock.
    pub fn is_writer(&self) -> bool {
        self.lock.is_some()
    }

    /// Every write goes through here: none without the lock.
    fn writable(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.lock.is_some(),
            "{} was opened read-only: keepopen writes state only under its lock",
            self.root.display()
        );
        Ok(())
    }

    fn open_with(
        root: PathBuf,
        lock: Option<std::sync::Arc<lock::DirLock>>,
    ) -> anyhow::Result<Store> {
        for dir in ["repos", "shards", "reports"] {
            let path = root.join(dir);
            std::fs::create_dir_all(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
        }
        let store = Store { root, lock };
        let meta_path = store.root.join("meta.json");
        match read_json::<serde_json::Value>(&meta_path)? {
            None => {
                let meta = Meta {
                    schema_version: SCHEMA_VERSION,
                    created: Utc::now(),
                };
                write_json(&meta_path, &meta)?;
            }
            Some(value) => {
                let found = value.get("schema-version").and_then(|v| v.as_u64()).with_context(|| {
                    format!("{}: no numeric \"schema-version\"; is this a keepopen state directory?", meta_path.display())
                })? as u32;
                check_schema(&meta_path, found)?;
            }
        }
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn repo_path(&self, id: u64) -> PathBuf {
        self.root.join("repos").join(format!("{id}.json"))
    }

    /// The record of a repository, by GitHub's numeric id.
    pub fn load(&self, id: u64) -> anyhow::Result<Option<RepoRecord>> {
        read_json(&self.repo_path(id))
    }

    /// The record whose current name is `full_name` (case-insensitive, as GitHub treats names); failing that,
    /// the most recently seen record that once had that name.
    pub fn find_by_full_name(&self, full_name: &str) -> anyhow::Result<Option<RepoRecord>> {
        let records = self.list()?;
        if let Some(r) = records
            .iter()
            .find(|r| r.full_name.eq_ignore_ascii_case(full_name))
        {
            return Ok(Some(r.clone()));
        }
        Ok(records
            .into_iter()
            .filter(|r| {
                r.former_names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(full_name))
            })
            .max_by_key(|r| r.last_seen))
    }

    /// Write one record atomically.
    pub fn save(&self, record: &RepoRecord) -> anyhow::Result<()> {
        self.writable()?;
        write_json(&self.repo_path(record.id), record).with_context(|| {
            format!(
                "cannot save the record of {} (id {})",
                record.full_name, record.id
            )
        })
    }

    /// Every record, by id.
    pub fn list(&self) -> anyhow::Result<Vec<RepoRecord>> {
        let dir = self.root.join("repos");
        let mut records = Vec::new();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            // A read-only store of a state directory no run has written yet.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !self.is_writer() => {
                return Ok(records);
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
        };
        for entry in entries {
            let path = entry?.path();
            let is_record = path.extension().is_some_and(|e| e == "json")
                && path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| s.parse::<u64>().is_ok());
            if is_record && let Some(record) = read_json::<RepoRecord>(&path)? {
                records.push(record);
            }
        }
        records.sort_by_key(|r| r.id);
        Ok(records)
    }

    fn shard_path(&self, key: &str) -> PathBuf {
        self.root.join("shards").join(format!("{key}.json"))
    }

    /// A shard's state (`key` like `1-of-4`); empty if it never ran.
    pub fn load_shard(&self, key: &str) -> anyhow::Result<ShardState> {
        Ok(read_json(&self.shard_path(key))?.unwrap_or_default())
    }

    pub fn save_shard(&self, key: &str, shard: &ShardState) -> anyhow::Result<()> {
        self.writable()?;
        write_json(&self.shard_path(key), shard)
    }

    /// The `propose` runs kept (none before the first).
    pub fn backlog(&self) -> anyhow::Result<Backlog> {
        Ok(read_json::<Backlog>(&self.root.join("proposals.json"))?.unwrap_or_default())
    }

    /// Keep what a `propose` run left (the last few runs).
    pub fn record_propose_run(&self, run: ProposeRun) -> anyhow::Result<()> {
        self.writable()?;
        let mut backlog = self.backlog()?;
        backlog.runs.push(run);
        let excess = backlog.runs.len().saturating_sub(BACKLOG_RUNS);
        backlog.runs.drain(..excess);
        write_json(&self.root.join("proposals.json"), &backlog)
    }

    /// Every shard's heartbeat, by shard key.
    pub fn heartbeats(&self) -> anyhow::Result<BTreeMap<String, Heartbeat>> {
        let dir = self.root.join("shards");
        let mut out = BTreeMap::new();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !self.is_writer() => {
                return Ok(out);
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
        };
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json")
                && let Some(shard) = read_json::<ShardState>(&path)?
            {
                let key = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_owned();
                out.insert(key, shard.heartbeat);
            }
        }
        Ok(out)
    }

    /// Path of the append-only removal log.
    pub fn removals_path(&self) -> PathBuf {
        self.root.join("removals.jsonl")
    }

    /// Every event of `removals.jsonl`, oldest first. A torn (unterminated, unparsable) last line is skipped.
    pub fn removals(&self) -> anyhow::Result<Vec<RemovalEntry>> {
        let path = self.removals_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let complete = text.ends_with('\n');
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<RemovalEntry>(line) {
                Ok(entry) => out.push(entry),
                Err(_) if i + 1 == lines.len() && !complete => {
                    tracing::warn!(
                        "{}:{}: a torn last line (a run cut off mid-write?) is skipped; the next write sets it aside",
                        path.display(),
                        i + 1
                    );
                }
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("{}:{}: not a removal event", path.display(), i + 1)
                    });
                }
            }
        }
        Ok(out)
    }

    /// Append events to `removals.jsonl` (skipping any whose repository's last logged event is the same, so
    /// a rerun after a crash does not log twice), and write this run's report files. Returns `None` when there
    /// was nothing new.
    pub fn record_removals(
        &self,
        entries: &[RemovalEntry],
        at: DateTime<Utc>,
    ) -> anyhow::Result<Option<ReportPaths>> {
        self.writable()?;
        let mut last: BTreeMap<u64, RemovalEvent> = BTreeMap::new();
        for e in self.removals()? {
            last.insert(e.id, e.event);
        }
        let fresh: Vec<&RemovalEntry> = entries
            .iter()
            .filter(|e| last.get(&e.id) != Some(&e.event))
            .collect();
        if fresh.is_empty() {
            return Ok(None);
        }
        let mut lines = String::new();
        for entry in &fresh {
            lines.push_str(&serde_json::to_string(entry)?);
            lines.push('\n');
        }
        let stamp = at.format("%Y%m%dT%H%M%S%.3fZ").to_string();
        let reports = self.root.join("reports");
        let paths = ReportPaths {
            jsonl: reports.join(format!("removals-{stamp}.jsonl")),
            markdown: reports.join(format!("removals-{stamp}.md")),
        };
        write_atomic(&paths.jsonl, lines.as_bytes())?;
        write_atomic(
            &paths.markdown,
            record::markdown_report(&fresh, at).as_bytes(),
        )?;
        let path = self.removals_path();
        self.fence_torn_line(&stamp)?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        file.write_all(lines.as_bytes())
            .with_context(|| format!("cannot append to {}", path.display()))?;
        file.sync_all()
            .with_context(|| format!("cannot sync {}", path.display()))?;
        Ok(Some(paths))
    }
}

impl Store {
    /// Before an append: if `removals.jsonl` ends in a torn line (no newline: a crash mid-write), move that
    /// fragment to `reports/removals-torn-<stamp>.txt`, cut the log back to its last whole line, and warn, so
    /// the next event starts a line of its own. Returns where the fragment went.
    fn fence_torn_line(&self, stamp: &str) -> anyhow::Result<Option<PathBuf>> {
        let path = self.removals_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        if bytes.is_empty() || bytes.ends_with(b"\n") {
            return Ok(None);
        }
        let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let line = bytes[..keep].iter().filter(|b| **b == b'\n').count() + 1;
        let aside = self
            .root
            .join("reports")
            .join(format!("removals-torn-{stamp}.txt"));
        write_atomic(&aside, &bytes[keep..])?;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        file.set_len(keep as u64)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot cut the torn line off {}", path.display()))?;
        tracing::warn!(
            "{}:{line}: torn last line ({} bytes, a run cut off mid-write) moved to {} before appending",
            path.display(),
            bytes.len() - keep,
            aside.display()
        );
        Ok(Some(aside))
    }
}

/// Refuse schemas this build cannot read. (Version 1 is the first; a future version 2 adds its migration here.)
pub fn check_schema(path: &Path, found: u32) -> Result<(), SchemaError> {
    use std::cmp::Ordering;
    match found.cmp(&SCHEMA_VERSION) {
        Ordering::Equal => Ok(()),
        Ordering::Greater => Err(SchemaError::Newer {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        }),
        Ordering::Less => Err(SchemaError::Older {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        }),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Option<T>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .with_context(|| format!("{}: invalid state file", path.display()))
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// Write `bytes` to `path` atomically: a temp file in the same directory, fsync, rename, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot sync {}", path.display()))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot rename into {}", path.display()))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backlog_clears_at_the_pace_of_the_last_runs() {
        let at = |h: i64| DateTime::<Utc>::from_timestamp(1_800_000_000 + h * 3600, 0).unwrap();
        let run = |h: i64, proposed: u64, waiting: u64| ProposeRun {
            at: at(h),
            proposed,
            in_proposals: 0,
            waiting,
        };
        // 100 proposed an hour (two runs an hour apart each proposing 100), 250 waiting: 2.5 hours on.
        let backlog = Backlog {
            runs: vec![run(0, 100, 450), run(1, 100, 350), run(2, 100, 250)],
        };
        assert_eq!(
            backlog.clears_at(),
            Some(at(2) + chrono::Duration::minutes(150))
        );
        let done = Backlog {
            runs: vec![run(0, 5, 0)],
        };
        assert_eq!(done.clears_at(), Some(at(0)));
        for stuck in [vec![run(0, 100, 10)], vec![run(0, 100, 10), run(1, 0, 10)]] {
            assert_eq!(Backlog { runs: stuck }.clears_at(), None);
        }
    }

    #[test]
    fn schema_versions_are_checked() {
        let p = Path::new("state/meta.json");
        assert!(check_schema(p, SCHEMA_VERSION).is_ok());
        let newer = check_schema(p, SCHEMA_VERSION + 1).unwrap_err().to_string();
        assert!(
            newer.contains("newer") && newer.contains("state/meta.json"),
            "{newer}"
        );
        let older = check_schema(p, 0).unwrap_err().to_string();
        assert!(older.contains("older"), "{older}");
    }

    #[test]
    fn open_refuses_a_newer_schema_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("meta.json"),
            r#"{"schema-version": 99, "created": "2024-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let error = format!("{:#}", Store::open(dir.path()).unwrap_err());
        assert!(
            error.contains("99") && error.contains("meta.json"),
            "{error}"
        );
    }

    #[test]
    fn records_round_trip_and_are_found_by_old_and_new_names() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = Utc::now();
        let mut record = RepoRecord::new(42, "NHSDigital/old-name", now);
        record.former_names.push("nhsx/older".into());
        store.save(&record).unwrap();
        assert_eq!(store.load(42).unwrap().as_ref(), Some(&record));
        assert_eq!(store.load(43).unwrap(), None);
        assert_eq!(
            store
                .find_by_full_name("nhsdigital/OLD-NAME")
                .unwrap()
                .map(|r| r.id),
            Some(42)
        );
        assert_eq!(
            store.find_by_full_name("nhsx/older").unwrap().map(|r| r.id),
            Some(42)
        );
        assert_eq!(store.list().unwrap().len(), 1);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("repos"))
            .unwrap()
            .collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }

    #[test]
    fn removal_log_skips_repeats_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = Utc::now();
        let record = RepoRecord::new(5, "o/r", now);
        let entry =
            RemovalEntry::from_record(&record, RemovalEvent::Removed, now, "404 twice".into());
        assert!(
            store
                .record_removals(std::slice::from_ref(&entry), now)
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .record_removals(std::slice::from_ref(&entry), now)
                .unwrap()
                .is_none(),
            "same event twice"
        );
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(store.removals_path())
            .unwrap();
        f.write_all(b"{\"event\":\"rem").unwrap();
        assert_eq!(store.removals().unwrap().len(), 1);
        // The next event gets a line of its own: the fragment is set aside first.
        let other = RepoRecord::new(6, "o/s", now);
        let next =
            RemovalEntry::from_record(&other, RemovalEvent::Removed, now, "404 twice".into());
        store.record_removals(&[next], now).unwrap();
        let ids: Vec<u64> = store.removals().unwrap().iter().map(|e| e.id).collect();
        assert_eq!(ids, [5, 6]);
        let text = std::fs::read_to_string(store.removals_path()).unwrap();
        assert!(text.ends_with('\n') && !text.contains("\"rem{"), "{text}");
        let aside: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("removals-torn-")
            })
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read_to_string(aside[0].path()).unwrap(),
            "{\"event\":\"rem"
        );
    }

    #[test]
    fn a_read_only_store_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path()).unwrap();
        let store = Store::open_read_only(dir.path()).unwrap();
        let error = store
            .save(&RepoRecord::new(5, "o/r", Utc::now()))
            .unwrap_err();
        assert!(error.to_string().contains("read-only"), "{error}");
    }
}
