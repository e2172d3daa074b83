//! How keepopen writes to GitHub: one write at a time, paced, within a budget per run, and never again in a run
//! once GitHub said writing is limited.
//!
//! GitHub asks integrations to make content-creating requests serially, at least a second apart, and to stop when
//! told to: a 403 or 429 with `retry-after`, with `x-ratelimit-remaining: 0` (wait for `x-ratelimit-reset`), or
//! saying "secondary rate limit" (wait at least a minute). An integration that keeps writing while limited can be
//! banned. So a write is never retried here, and after the first refused write the client sends no other write
//! for the rest of the run ([`WriteStop`]): the caller reports what waits, and the next run resumes. A run
//! therefore sees at most one refused write. The pure decisions ([`refusal`], [`before`]) are tested here; the
//! [`super::Client`] applies them.

use std::time::Duration;

/// Pacing and budget of a client's writes. The default paces nothing and counts no budget (tests, and the
/// republisher, which paces itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WritePolicy {
    /// Least time between the start of two writes.
    pub interval: Duration,
    /// Most writes in one run (one client); `None`: no limit.
    pub budget: Option<u64>,
}

/// Why a client sends no more writes this run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteStop {
    /// The run's write budget is spent.
    #[error("the run's write budget of {budget} write(s) is spent")]
    Budget { budget: u64 },
    /// GitHub refused a write for a rate limit; `until` (Unix seconds) is when it said writing may resume.
    #[error("GitHub limited writes ({what}){}", until.map(|t| format!(" until {}", super::format_epoch(t))).unwrap_or_default())]
    RateLimited { what: String, until: Option<i64> },
}

/// What a write's answer says about rate limits (pure): `Some` when the write was refused for one. `now` is
/// Unix seconds; `secondary_wait` is how long to keep off when GitHub names no time.
pub fn refusal(
    status: u16,
    retry_after: Option<u64>,
    remaining: Option<u64>,
    reset: Option<i64>,
    body: &str,
    now: i64,
    secondary_wait: Duration,
) -> Option<WriteStop> {
    if !matches!(status, 403 | 429) {
        return None;
    }
    let secondary = body.to_ascii_lowercase().contains("secondary rate limit");
    if let Some(seconds) = retry_after {
        return Some(WriteStop::RateLimited {
            what: format!("HTTP {status} with retry-after: {seconds}"),
            until: Some(now + seconds as i64),
        });
    }
    if remaining == Some(0) {
        return Some(WriteStop::RateLimited {
            what: "primary rate limit used up".into(),
            until: reset.map(|r| r.max(now)),
        });
    }
    if secondary || status == 429 {
        return Some(WriteStop::RateLimited {
            what: "secondary rate limit".into(),
            until: Some(now + secondary_wait.as_secs() as i64),
        });
    }
    // A plain 403 (no permission, a protected branch) is an answer, not a limit.
    None
}

/// The client's view of its writes this run.
#[derive(Debug, Default, Clone)]
pub struct WriteState {
    /// Writes sent.
    pub sent: u64,
    /// Writes GitHub refused for a rate limit (at most one: none is sent after it).
    pub refused: u64,
    pub stop: Option<WriteStop>,
}

/// Before a write (pure): `Err` when none may be sent this run, else how long to wait for pacing. `since_last`
/// is the time since the previous write started, `None` for the first.
pub fn before(
    state: &WriteState,
    policy: &WritePolicy,
    since_last: Option<Duration>,
) -> Result<Duration, WriteStop> {
    if let Some(stop) = &state.stop {
        return Err(stop.clone());
    }
    if let Some(budget) = policy.budget
        && state.sent >= budget
    {
        return Err(WriteStop::Budget { budget });
    }
    Ok(match since_last {
        Some(elapsed) => policy.interval.saturating_sub(elapsed),
        None => Duration::ZERO,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_write_refused_for_any_kind_of_rate_limit_stops_writing_and_others_do_not() {
        let now = 1_000;
        let limited = |status, retry, remaining, reset, body: &str| {
            refusal(status, retry, remaining, reset, body, now, MINUTE)
        };
        assert_eq!(
            limited(403, Some(30), Some(10), None, "{}"),
            Some(WriteStop::RateLimited {
                what: "HTTP 403 with retry-after: 30".into(),
                until: Some(1_030)
            })
        );
        assert_eq!(
            limited(403, None, Some(0), Some(2_000), "API rate limit exceeded"),
            Some(WriteStop::RateLimited {
                what: "primary rate limit used up".into(),
                until: Some(2_000)
            })
        );
        let secondary = r#"{"message":"You have exceeded a secondary rate limit."}"#;
        assert_eq!(
            limited(403, None, Some(4_000), None, secondary),
            Some(WriteStop::RateLimited {
                what: "secondary rate limit".into(),
                until: Some(1_060)
            })
        );
        assert!(limited(429, None, None, None, "").is_some());
        for (status, body) in [
            (
                403,
                r#"{"message":"Resource not accessible by integration"}"#,
            ),
            (422, secondary),
            (201, ""),
            (500, ""),
        ] {
            assert_eq!(
                limited(status, None, Some(10), None, body),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn writes_are_paced_and_stop_at_the_budget_or_after_a_refusal() {
        let policy = WritePolicy {
            interval: Duration::from_secs(1),
            budget: Some(2),
        };
        let mut state = WriteState::default();
        assert_eq!(before(&state, &policy, None), Ok(Duration::ZERO));
        state.sent = 1;
        assert_eq!(
            before(&state, &policy, Some(Duration::from_millis(300))),
            Ok(Duration::from_millis(700))
        );
        assert_eq!(
            before(&state, &policy, Some(Duration::from_secs(5))),
            Ok(Duration::ZERO)
        );
        state.sent = 2;
        assert_eq!(
            before(&state, &policy, None),
            Err(WriteStop::Budget { budget: 2 })
        );
        let stop = WriteStop::RateLimited {
            what: "secondary rate limit".into(),
            until: None,
        };
        let stopped = WriteState {
            sent: 0,
            refused: 1,
            stop: Some(stop.clone()),
        };
        assert_eq!(before(&stopped, &WritePolicy::default(), None), Err(stop));
    }
}
