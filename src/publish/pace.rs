//! Pacing of API writes: GitHub asks for content-creating requests one at a time, a second apart.

/// Spaces API writes: GitHub asks for content-creating requests one at a time, about a second apart.
pub(super) struct Pace {
    interval: std::time::Duration,
    last: Option<tokio::time::Instant>,
}

impl Pace {
    pub(super) fn new(interval: std::time::Duration) -> Pace {
        Pace {
            interval,
            last: None,
        }
    }

    pub(super) async fn wait(&mut self) {
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.interval).await;
        }
        self.last = Some(tokio::time::Instant::now());
    }
}
