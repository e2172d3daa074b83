//! `keepopen monitor`: inventory the watched organisations, keep the archive current, report removals.
//!
//! One scan: list every watched account page by page (a page unchanged since the last scan costs a 304 and its
//! repositories are taken from state); for each listed repository of this shard update its record, ask GitHub
//! for its licence when it is new or was pushed, and fetch its mirror when `pushed_at` moved; then probe every
//! recorded repository that the (complete) listings no longer show and classify it (`removal`); finally log
//! removal events, write the run's report and the heartbeat. A failure in one repository is recorded and the
//! scan goes on. Records are saved one by one as they finish and listing ETags only at the end, so a scan
//! killed at any point loses nothing and the next one redoes what was left.

pub mod config;
pub mod import;
mod listed;
pub mod local;
pub mod removal;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::task::JoinSet;

pub use config::MonitorConfig;

use crate::archive::Archive;
use crate::github::{self, Client, ClientConfig, Owner, Page, Repository, Token};
use crate::state::{
    Heartbeat, PageCache, RemovalEntry, RemovalEvent, RepoRecord, ShardState, Status, Store,
};

/// `--shard i/n`: this run handles the repositories whose id hashes to `i` of `n` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Default for Shard {
    fn default() -> Self {
        Shard { index: 1, count: 1 }
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: expected i/n, e.g. 1/4"))?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| format!("{s:?}: {i:?} is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("{s:?}: {n:?} is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("{s:?}: need 1 ≤ i ≤ n"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether this shard handles repository `id`. The hash is fixed (splitmix64), not Rust's seeded SipHash,
    /// so every runner of a matrix agrees.
    pub fn contains(&self, id: u64) -> bool {
        self.count <= 1 || stable_hash(id) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// `1-of-4`: the key of this shard's file in state.
    pub fn key(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

/// splitmix64's finaliser: a fixed, well-spread hash of a repository id.
pub fn stable_hash(id: u64) -> u64 {
    let mut z = id.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hooks for progress display and tests. Called from worker tasks.
pub trait Observer: Send + Sync {
    /// Listing is done; `repos` repositories of this shard will be looked at.
    fn planned(&self, _repos: usize) {}
    /// One listed repository is done (record saved).
    fn repo_done(&self, _full_name: &str) {}
}

/// An observer that does nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Observer for Quiet {}

/// What one scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Summary {
    pub shard: String,
    /// Listed repositories of this shard that the sources watch.
    pub seen: u64,
    pub new: u64,
    pub fetched: u64,
    pub unchanged: u64,
    pub renamed: u64,
    /// Missing and answering 404, not yet confirmed.
    pub suspected: u64,
    /// Removals confirmed by this scan.
    pub removed: u64,
    pub legal_blocks: u64,
    pub restored: u64,
    pub errors: u64,
    pub api_requests: u64,
    pub api_not_modified: u64,
    pub error_messages: Vec<String>,
    /// The removal report written by this scan, if it had anything to say.
    pub report: Option<String>,
}

impl Summary {
    fn counts(&self) -> BTreeMap<String, u64> {
        [
            ("seen", self.seen),
            ("new", self.new),
            ("fetched", self.fetched),
            ("unchanged", self.unchanged),
            ("renamed", self.renamed),
            ("suspected", self.suspected),
            ("removed", self.removed),
            ("legal-blocks", self.legal_blocks),
            ("restored", self.restored),
            ("errors", self.errors),
            ("api-requests", self.api_requests),
            ("api-not-modified", self.api_not_modified),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }
}

/// Where the watched accounts are listed and probed (`sources.forge`). Both answer in GitHub's shapes, so the
/// scan and the removal classification are the same code for either.
#[derive(Debug, Clone)]
pub enum Source {
    /// GitHub's REST API.
    Github(Client),
    /// A directory of bare repositories ([`local::LocalForge`]).
    Local(local::LocalForge),
}

impl Source {
    /// The source `config` names.
    pub fn from_config(config: &MonitorConfig, token: Option<Token>) -> anyhow::Result<Source> {
        Ok(match config.sources.forge {
            crate::policy::ForgeKind::Github => Source::Github(Client::new(ClientConfig {
                api_url: config.github.api_url.clone(),
                token,
                timeout: config.timeout,
                retry: config.retry.clone(),
            })?),
            crate::policy::ForgeKind::Local => Source::Local(local::LocalForge::new(
                config
                    .sources
                    .path
                    .clone()
                    .context("`sources.path` is needed for `forge: local`")?,
            )),
        })
    }

    pub async fn list_page(&self, path: &str, etag: Option<&str>) -> Result<Page, github::Error> {
        match self {
            Source::Github(client) => client.list_page(path, etag).await,
            Source::Local(forge) => forge.list_page(path, etag).await,
        }
    }

    pub async fn probe_repo(&self, full_name: &str) -> github::Probe {
        match self {
            Source::Github(client) => client.probe_repo(full_name).await,
            Source::Local(forge) => forge.probe_repo(full_name).await,
        }
    }

    pub async fn probe_repository(&self, id: u64) -> github::Probe {
        match self {
            Source::Github(client) => client.probe_repository(id).await,
            Source::Local(forge) => forge.probe_repository(id).await,
        }
    }

    pub async fn license(
        &self,
        full_name: &str,
    ) -> Result<Option<github::LicenseFile>, github::Error> {
        match self {
            Source::Github(client) => client.license(full_name).await,
            Source::Local(forge) => forge.license(full_name).await,
        }
    }

    pub fn counters(&self) -> github::Counters {
        match self {
            Source::Github(client) => client.counters(),
            Source::Local(forge) => forge.counters(),
        }
    }
}

/// A scan's inputs, wired together.
#[derive(Debug, Clone)]
pub struct Monitor {
    config: MonitorConfig,
    store: Store,
    archive: Archive,
    client: Source,
    token: Option<Token>,
    shard: Shard,
    jobs: usize,
}

/// A repository as the listing gave it.
enum Listed {
    Fresh(Box<Repository>),
    /// On a page that answered 304: the record in state is current.
    Unchanged,
}

/// What the listings of one scan gave.
#[derive(Default)]
struct Listing {
    listed: BTreeMap<u64, Listed>,
    /// The accounts (lower case) whose listing was read to the end.
    complete: BTreeSet<String>,
    pages: BTreeMap<String, PageCache>,
}

/// What one repository task reports back.
#[derive(Default)]
struct RepoReport {
    new: bool,
    renamed: bool,
    fetched: bool,
    errors: Vec<String>,
    event: Option<RemovalEntry>,
}

impl Monitor {
    pub fn new(
        config: MonitorConfig,
        store: Store,
        archive: Archive,
        token: Option<Token>,
        shard: Shard,
        jobs: usize,
    ) -> anyhow::Result<Monitor> {
        let client = Source::from_config(&config, token.clone())?;
        // A local forge needs no credentials; the token must not reach its (file) clone URLs either.
        let token = token.filter(|_| matches!(client, Source::Github(_)));
        Ok(Monitor {
            config,
            store,
            archive,
            client,
            token,
            shard,
            jobs: jobs.max(1),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Run one scan at `now`.
    pub async fn scan(
        &self,
        now: DateTime<Utc>,
        observer: Arc<dyn Observer>,
    ) -> anyhow::Result<Summary> {
        let key = self.shard.key();
        let mut shard_state = self.store.load_shard(&key)?;
        shard_state.heartbeat.started_at = Some(now);
        self.store.save_shard(&key, &shard_state)?;
        let start_counters = self.client.counters();
        let mut summary = Summary {
            shard: format!("{}/{}", self.shard.index, self.shard.count),
            ..Summary::default()
        };
        // 1. Listings.
        let mut listing = self.list_all(&shard_state.pages, &mut summary).await;
        // 2. Listed repositories of this shard.
        let work = self.shard_work(&mut listing.listed)?;
        observer.planned(work.len());
        summary.seen = work.len() as u64;
        let mut entries = self.process_all(work, now, observer, &mut summary).await?;
        // 3. Recorded repositories the listings no longer show.
        self.check_unlisted(&listing, now, &mut summary, &mut entries)
            .await?;
        // 4. Reports, heartbeat, page ETags.
        self.finish_scan(
            &key,
            now,
            start_counters,
            &mut summary,
            &entries,
            listing.pages,
        )?;
        Ok(summary)
    }

    /// Every watched account's listing; an account whose listing fails keeps its stored pages and is not
    /// complete.
    async fn list_all(&self, old: &BTreeMap<String, PageCache>, summary: &mut Summary) -> Listing {
        let mut listing = Listing::default();
        for owner in self.config.owners() {
            match self.list_owner(&owner, old).await {
                Ok((entries, owner_pages)) => {
                    listing.complete.insert(owner.login().to_ascii_lowercase());
                    listing.pages.extend(owner_pages);
                    for (id, entry) in entries {
                        listing.listed.insert(id, entry);
                    }
                }
                Err(e) => {
                    summary
                        .error_messages
                        .push(format!("listing {owner}: {e:#}"));
                    listing.pages.extend(old_chain(old, &owner.first_page()));
                }
            }
        }
        listing
    }

    /// The listed repositories of this shard that the sources watch, taken out of `listed` (each left as
    /// [`Listed::Unchanged`]).
    fn shard_work(&self, listed: &mut BTreeMap<u64, Listed>) -> anyhow::Result<Vec<(u64, Listed)>> {
        let mut work = Vec::new();
        for (id, entry) in listed.iter_mut() {
            if !self.shard.contains(*id) {
                continue;
            }
            let entry = std::mem::replace(entry, Listed::Unchanged);
            let (full_name, fork) = match &entry {
                Listed::Fresh(repo) => (repo.full_name.clone(), repo.fork),
                Listed::Unchanged => match self.store.load(*id)? {
                    Some(r) => (r.full_name.clone(), r.fork),
                    None => continue,
                },
            };
            if self.config.watches(&full_name, fork) {
                work.push((*id, entry));
            }
        }
        Ok(work)
    }

    /// Process every listed repository, `jobs × 2` at a time; returns the removal events they gave.
    async fn process_all(
        &self,
        work: Vec<(u64, Listed)>,
        now: DateTime<Utc>,
        observer: Arc<dyn Observer>,
        summary: &mut Summary,
    ) -> anyhow::Result<Vec<RemovalEntry>> {
        let mut entries: Vec<RemovalEntry> = Vec::new();
        let mut tasks = JoinSet::new();
        let limit = Arc::new(tokio::sync::Semaphore::new(self.jobs * 2));
        for (id, entry) in work {
            let permit = limit
                .clone()
                .acquire_owned()
                .await
                .context("scan aborted")?;
            let this = self.clone();
            let observer = observer.clone();
            tasks.spawn(async move {
                let _permit = permit;
                let report = this.process_listed(id, entry, now).await;
                if let Ok((name, _)) = &report {
                    observer.repo_done(name);
                }
                report
                    .map(|(_, r)| r)
                    .map_err(|e| format!("repository id {id}: {e:#}"))
            });
            while let Some(done) = tasks.try_join_next() {
                absorb(summary, &mut entries, done);
            }
        }
        while let Some(done) = tasks.join_next().await {
            absorb(summary, &mut entries, done);
        }
        Ok(entries)
    }

    /// Probe and classify each recorded repository of this shard that the listings no longer show. One whose
    /// owner's listing failed is not probed: nothing is known of it this scan.
    async fn check_unlisted(
        &self,
        listing: &Listing,
        now: DateTime<Utc>,
        summary: &mut Summary,
        entries: &mut Vec<RemovalEntry>,
    ) -> anyhow::Result<()> {
        for mut record in self.store.list()? {
            if !self.shard.contains(record.id) || listing.listed.contains_key(&record.id) {
                continue;
            }
            let owner_complete = listing
                .complete
                .contains(&record.owner().to_ascii_lowercase());
            let moved_away =
                record.status == Status::Renamed && !self.config.watches_owner(record.owner());
            if !self.config.watches(&record.full_name, record.fork) {
                continue;
            }
            if !(owner_complete || moved_away) {
                if record.status == Status::Suspected {
                    let why = format!("the listing of {} failed in this scan", record.owner());
                    removal::inconclusive(&mut record, &why);
                    self.store.save(&record)?;
                }
                continue;
            }
            self.probe_unlisted(&mut record, now, summary, entries)
                .await?;
        }
        Ok(())
    }

    /// Probe one unlisted repository by name and by id, advance its removal state, and save it.
    async fn probe_unlisted(
        &self,
        record: &mut RepoRecord,
        now: DateTime<Utc>,
        summary: &mut Summary,
        entries: &mut Vec<RemovalEntry>,
    ) -> anyhow::Result<()> {
        let (by_name, by_id) = tokio::join!(
            self.client.probe_repo(&record.full_name),
            self.client.probe_repository(record.id)
        );
        let classification = removal::classify(record, &by_name, &by_id);
        let rules = removal::Rules {
            confirmations: self.config.removal.confirmations,
            min_gap: self.config.min_gap,
        };
        let before = record.status;
        let transition = removal::advance(record, &classification, now, rules);
        match (&classification, record.status) {
            (removal::Classification::Renamed(_), _) if before != Status::Renamed => {
                summary.renamed += 1
            }
            (_, Status::Suspected) => summary.suspected += 1,
            _ => {}
        }
        if let removal::Classification::Unknown(why) = &classification {
            tracing::info!(repo = %record.full_name, "removal check inconclusive: {why}");
        }
        if let Some(event) = transition.event {
            entries.push(RemovalEntry::from_record(
                record,
                event,
                now,
                transition.reason,
            ));
        }
        self.store.save(record)?;
        Ok(())
    }

    /// Count the removal events, write the removal report, and save the heartbeat and the page ETags.
    fn finish_scan(
        &self,
        key: &str,
        now: DateTime<Utc>,
        start_counters: github::Counters,
        summary: &mut Summary,
        entries: &[RemovalEntry],
        pages: BTreeMap<String, PageCache>,
    ) -> anyhow::Result<()> {
        for e in entries {
            match e.event {
                RemovalEvent::Removed => summary.removed += 1,
                RemovalEvent::LegalBlock => summary.legal_blocks += 1,
                RemovalEvent::Restored => summary.restored += 1,
            }
        }
        if let Some(paths) = self.store.record_removals(entries, now)? {
            summary.report = Some(paths.markdown.display().to_string());
        }
        let counters = self.client.counters();
        summary.api_requests = counters.requests - start_counters.requests;
        summary.api_not_modified = counters.not_modified - start_counters.not_modified;
        summary.errors = summary.error_messages.len() as u64;
        let state = ShardState {
            heartbeat: Heartbeat {
                started_at: Some(now),
                finished_at: Some(Utc::now().max(now)),
                counts: summary.counts(),
                errors: summary.error_messages.iter().take(50).cloned().collect(),
            },
            pages,
        };
        self.store.save_shard(key, &state)?;
        Ok(())
    }

    /// Every page of one account. A 304 page contributes the ids stored with its ETag; a 304 whose ids are not
    /// all in state is asked again without the ETag.
    async fn list_owner(
        &self,
        owner: &Owner,
        old: &BTreeMap<String, PageCache>,
    ) -> anyhow::Result<(Vec<(u64, Listed)>, BTreeMap<String, PageCache>)> {
        let mut entries = Vec::new();
        let mut pages = BTreeMap::new();
        let mut next = Some(owner.first_page());
        while let Some(path) = next.take() {
            if pages.contains_key(&path) || pages.len() > 10_000 {
                anyhow::bail!("the listing loops at {path}");
            }
            let cached = old.get(&path).filter(|c| !c.etag.is_empty());
            let mut page = self
                .client
                .list_page(&path, cached.map(|c| c.etag.as_str()))
                .await?;
            if let (Page::NotModified { .. }, Some(cache)) = (&page, cached) {
                let missing = cache
                    .ids
                    .iter()
                    .any(|id| self.shard.contains(*id) && !self.record_exists(*id));
                if missing {
                    page = self.client.list_page(&path, None).await?;
                }
            }
            match page {
                Page::NotModified { etag } => {
                    let cache = cached.context("a 304 for a page that was never stored")?;
                    entries.extend(cache.ids.iter().map(|id| (*id, Listed::Unchanged)));
                    next = cache.next.clone();
                    pages.insert(
                        path,
                        PageCache {
                            etag,
                            ..cache.clone()
                        },
                    );
                }
                Page::Fresh {
                    etag,
                    repos,
                    next: following,
                } => {
                    let ids = repos.iter().map(|r| r.id).collect();
                    entries.extend(
                        repos
                            .into_iter()
                            .map(|r| (r.id, Listed::Fresh(Box::new(r)))),
                    );
                    next = following.clone();
                    pages.insert(
                        path,
                        PageCache {
                            etag: etag.unwrap_or_default(),
                            ids,
                            next: following,
                        },
                    );
                }
            }
        }
        Ok((entries, pages))
    }

    fn record_exists(&self, id: u64) -> bool {
        self.store
            .root()
            .join("repos")
            .join(format!("{id}.json"))
            .exists()
    }
}

fn absorb(
    summary: &mut Summary,
    entries: &mut Vec<RemovalEntry>,
    done: Result<Result<RepoReport, String>, tokio::task::JoinError>,
) {
    match done {
        Ok(Ok(report)) => {
            summary.new += u64::from(report.new);
            summary.renamed += u64::from(report.renamed);
            if report.fetched {
                summary.fetched += 1;
            } else if report.errors.is_empty() {
                summary.unchanged += 1;
            }
            summary.error_messages.extend(report.errors);
            entries.extend(report.event);
        }
        Ok(Err(message)) => summary.error_messages.push(message),
        Err(e) => summary
            .error_messages
            .push(format!("a repository task failed: {e}")),
    }
}

/// The stored pages of one account's listing, following `next` from its first page.
fn old_chain(old: &BTreeMap<String, PageCache>, first: &str) -> Vec<(String, PageCache)> {
    let mut out = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(path) = next.take() {
        if out.iter().any(|(p, _): &(String, PageCache)| *p == path) {
            break;
        }
        if let Some(cache) = old.get(&path) {
            next = cache.next.clone();
            out.push((path, cache.clone()));
        }
    }
    out
}

/// The token from the environment, with where it came from (for a log line that names the variable, not the
/// value).
pub fn token_from_env() -> Option<(Token, &'static str)> {
    github::Token::from_env()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_partitions_every_id_exactly_once() {
        assert_eq!(
            "2/4".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 4 }
        );
        for bad in ["0/4", "5/4", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (1..=4).map(|i| Shard { index: i, count: 4 }).collect();
        let mut sizes = [0u32; 4];
        for id in 0..10_000u64 {
            let owners: Vec<usize> = (0..4).filter(|i| shards[*i].contains(id)).collect();
            assert_eq!(owners.len(), 1, "id {id}");
            sizes[owners[0]] += 1;
        }
        assert!(
            sizes.iter().all(|s| (2300..2700).contains(s)),
            "uneven: {sizes:?}"
        );
        assert_eq!(Shard::default().key(), "1-of-1");
    }

    #[test]
    fn stable_hash_is_fixed_across_builds() {
        // Pinned values: a runner built elsewhere must agree on shard membership.
        assert_eq!(stable_hash(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(stable_hash(1) % 7, stable_hash(1) % 7);
    }

    #[test]
    fn old_chain_follows_next_and_stops_at_loops() {
        let mut old = BTreeMap::new();
        old.insert(
            "/a".to_owned(),
            PageCache {
                etag: "1".into(),
                ids: vec![1],
                next: Some("/b".into()),
            },
        );
        old.insert(
            "/b".to_owned(),
            PageCache {
                etag: "2".into(),
                ids: vec![2],
                next: Some("/a".into()),
            },
        );
        old.insert("/c".to_owned(), PageCache::default());
        let chain: Vec<String> = old_chain(&old, "/a").into_iter().map(|(p, _)| p).collect();
        assert_eq!(chain, vec!["/a".to_owned(), "/b".to_owned()]);
    }
}
