//! The lock on a directory that more than one keepopen process may write: the state directory (held by every
//! command that writes state, for as long as it runs) and the local control forge (held while a proposal is
//! numbered or changed).
//!
//! An exclusive advisory lock (`flock` on Unix, `LockFileEx` on Windows, through the `fs4` crate) on the file
//! `.lock` in the directory. The operating system frees it when its process ends, however it ends, so a crash
//! never leaves a stale lock to remove by hand. The holder writes its pid, its command line and the time into
//! the file, so that a second writer can say whom it is waiting for. A second writer waits up to a bound
//! (`KEEPOPEN_LOCK_WAIT`, default [`DEFAULT_WAIT`]), saying so once, then stops with an error naming the holder.
//! Within one process the lock is shared: opening the same directory twice does not wait for itself.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use anyhow::Context;
use fs4::fs_std::FileExt;

/// The name of the lock file in a locked directory.
pub const LOCK_FILE: &str = ".lock";
/// How long a second writer waits for the lock when `KEEPOPEN_LOCK_WAIT` does not say.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(120);

/// A held lock; freed when the last clone of its `Arc` is dropped.
#[derive(Debug)]
pub struct DirLock {
    file: File,
    dir: PathBuf,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

impl DirLock {
    /// The directory it locks.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// The locks this process holds, by directory.
fn held() -> &'static Mutex<BTreeMap<PathBuf, Weak<DirLock>>> {
    static HELD: std::sync::OnceLock<Mutex<BTreeMap<PathBuf, Weak<DirLock>>>> =
        std::sync::OnceLock::new();
    HELD.get_or_init(Default::default)
}

/// The wait `KEEPOPEN_LOCK_WAIT` asks for (`30s`, `5m`; `0` not to wait), else [`DEFAULT_WAIT`].
pub fn configured_wait() -> anyhow::Result<Duration> {
    match std::env::var("KEEPOPEN_LOCK_WAIT") {
        Ok(text) if !text.trim().is_empty() => crate::monitor::config::parse_duration(&text)
            .with_context(|| format!("KEEPOPEN_LOCK_WAIT={text:?}")),
        _ => Ok(DEFAULT_WAIT),
    }
}

/// Lock `dir` (which must exist) for writing; `what` names it in messages ("the state directory").
pub fn acquire(dir: &Path, what: &str, wait: Duration) -> anyhow::Result<Arc<DirLock>> {
    let key = dir
        .canonicalize()
        .with_context(|| format!("cannot find {what} {}", dir.display()))?;
    let mut registry = held().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(lock) = registry.get(&key).and_then(Weak::upgrade) {
        return Ok(lock);
    }
    let path = key.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    let started = Instant::now();
    let mut said = false;
    loop {
        if FileExt::try_lock_exclusive(&file)
            .with_context(|| format!("cannot lock {}", path.display()))?
        {
            break;
        }
        let holder = holder(&mut file);
        if started.elapsed() >= wait {
            anyhow::bail!(
                "{what} {} is in use by another keepopen ({holder}); waited {}s\nhelp: let that run finish \
                 and try again (KEEPOPEN_LOCK_WAIT sets how long to wait); the lock is freed when its process \
                 ends, so there is nothing to remove",
                dir.display(),
                wait.as_secs()
            );
        }
        if !said {
            tracing::warn!(
                "{what} {} is in use by another keepopen ({holder}); waiting up to {}s for it",
                dir.display(),
                wait.as_secs()
            );
            said = true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Ours now: say who holds it.
    let me = format!(
        "pid {}, `{}`, since {}",
        std::process::id(),
        std::env::args().collect::<Vec<_>>().join(" "),
        chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    );
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = file.write_all(me.as_bytes());
    let _ = file.sync_all();
    let lock = Arc::new(DirLock {
        file,
        dir: dir.to_owned(),
    });
    registry.retain(|_, weak| weak.strong_count() > 0);
    registry.insert(key, Arc::downgrade(&lock));
    Ok(lock)
}

/// What the holder wrote into the lock file.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.take(1024).read_to_string(&mut text);
    let text = text.trim();
    if text.is_empty() {
        "holder unknown".into()
    } else {
        crate::untrusted::terminal::line(text).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_shares_its_own_lock_and_frees_it_when_the_last_holder_goes() {
        let dir = tempfile::tempdir().unwrap();
        let a = acquire(dir.path(), "the state directory", Duration::ZERO).unwrap();
        let b = acquire(dir.path(), "the state directory", Duration::ZERO).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert!(
            text.starts_with(&format!("pid {}", std::process::id())),
            "{text}"
        );
        // Another open file description is another holder: it cannot take the lock while we hold it.
        let other = File::open(dir.path().join(LOCK_FILE)).unwrap();
        assert!(!FileExt::try_lock_exclusive(&other).unwrap());
        drop((a, b));
        assert!(FileExt::try_lock_exclusive(&other).unwrap());
    }
}
