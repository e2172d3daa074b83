//! The retry policy for GitHub requests, as a pure decision: given what one attempt produced, wait how long and
//! try again, or stop. octocrab's own retry layer is compiled out (it resends at once and ignores
//! `retry-after`); this is the only retry keepopen does.
//!
//! Rules (from GitHub's REST documentation, see `shared/notes/github-facts.md`):
//! - 5xx, timeouts and broken connections: exponential backoff with jitter, at most `max_attempts` attempts;
//! - 403/429 with `retry-after`: wait that many seconds;
//! - 403/429 with `x-ratelimit-remaining: 0`: wait until `x-ratelimit-reset`;
//! - 429, or 403 saying "secondary rate limit", without either header: wait at least `secondary_wait`, doubling;
//! - any wait longer than `max_rate_limit_wait` stops instead (the caller reports "rate limited until T");
//! - everything else (2xx, 3xx, 404, 451, a plain 403) is an answer, not a fault.

use std::time::Duration;

/// Bounds of the retry policy. Production defaults are GitHub-sized; tests shrink them to milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (≥ 1).
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles each attempt.
    pub base_delay: Duration,
    /// Ceiling of one backoff step.
    pub max_delay: Duration,
    /// First wait after a secondary rate limit that gave no `retry-after`.
    pub secondary_wait: Duration,
    /// The longest keepopen will wait for a rate limit before giving up on the request.
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            secondary_wait: Duration::from_secs(60),
            max_rate_limit_wait: Duration::from_secs(15 * 60),
        }
    }
}

/// What one attempt produced, reduced to what the policy needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP answer.
    Status {
        status: u16,
        /// `retry-after`, in seconds.
        retry_after: Option<u64>,
        /// `x-ratelimit-remaining`.
        remaining: Option<u64>,
        /// `x-ratelimit-reset`, Unix seconds.
        reset: Option<i64>,
        /// The body says "secondary rate limit".
        secondary: bool,
    },
    /// No answer within the client timeout.
    Timeout,
    /// Connection refused, reset, or a broken body.
    Transport,
}

/// Why the policy stopped retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The attempt produced an answer the caller should interpret.
    Answered,
    /// Still failing after `max_attempts`.
    Exhausted,
    /// Rate limited for longer than `max_rate_limit_wait`; `until` is Unix seconds when known.
    RateLimited { until: Option<i64> },
}

/// The policy's decision after one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    RetryAfter(Duration),
    Stop(Stop),
}

/// Decide what to do after attempt number `attempt` (1-based). `now` is Unix seconds; `jitter` is a number in
/// `[0, 1)` that spreads backoff over `[½·d, d]`.
pub fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: &Outcome,
    now: i64,
    jitter: f64,
) -> Decision {
    let attempts_left = attempt < policy.max_attempts.max(1);
    let wait = |d: Duration, until: Option<i64>| {
        if d > policy.max_rate_limit_wait || !attempts_left {
            Decision::Stop(Stop::RateLimited { until })
        } else {
            Decision::RetryAfter(d)
        }
    };
    match *outcome {
        Outcome::Timeout | Outcome::Transport => {
            if attempts_left {
                Decision::RetryAfter(backoff(policy, attempt, jitter))
            } else {
                Decision::Stop(Stop::Exhausted)
            }
        }
        Outcome::Status {
            status,
            retry_after,
            remaining,
            reset,
            secondary,
        } => match status {
            500..=599 => {
                if attempts_left {
                    Decision::RetryAfter(backoff(policy, attempt, jitter))
                } else {
                    Decision::Stop(Stop::Exhausted)
                }
            }
            403 | 429 => {
                if let Some(seconds) = retry_after {
                    let until = Some(now + seconds as i64);
                    wait(Duration::from_secs(seconds), until)
                } else if remaining == Some(0) {
                    match reset {
                        Some(reset) => {
                            // One extra second: GitHub's reset is inclusive and clocks drift.
                            let seconds = (reset - now).max(0) as u64 + 1;
                            wait(Duration::from_secs(seconds), Some(reset))
                        }
                        None => wait(policy.secondary_wait, None),
                    }
                } else if status == 429 || secondary {
                    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
                    let d = policy.secondary_wait.saturating_mul(factor);
                    wait(d, None)
                } else {
                    Decision::Stop(Stop::Answered)
                }
            }
            _ => Decision::Stop(Stop::Answered),
        },
    }
}

/// Exponential backoff: `base · 2^(attempt-1)`, capped at `max_delay`, scaled into `[½, 1]` by `jitter`.
pub fn backoff(policy: &RetryPolicy, attempt: u32, jitter: f64) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
    let full = policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay);
    full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Before a request: if the last answer said the primary limit is used up, how long to wait for its reset
/// (`None` = go now). Waits longer than `cap` are refused by returning `Err(reset)`.
pub fn primary_wait(
    remaining: Option<u64>,
    reset: Option<i64>,
    now: i64,
    cap: Duration,
) -> Result<Option<Duration>, i64> {
    match (remaining, reset) {
        (Some(0), Some(reset)) if reset >= now => {
            let d = Duration::from_secs((reset - now) as u64 + 1);
            if d > cap { Err(reset) } else { Ok(Some(d)) }
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            secondary_wait: Duration::from_secs(60),
            max_rate_limit_wait: Duration::from_secs(600),
        }
    }

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
            remaining: None,
            reset: None,
            secondary: false,
        }
    }

    #[test]
    fn decisions_follow_github_rules() {
        let now = 1_000_000;
        let cases: Vec<(&str, u32, Outcome, Decision)> = vec![
            (
                "200 is an answer",
                1,
                status(200),
                Decision::Stop(Stop::Answered),
            ),
            (
                "301 is an answer, not followed",
                1,
                status(301),
                Decision::Stop(Stop::Answered),
            ),
            (
                "304 is an answer",
                1,
                status(304),
                Decision::Stop(Stop::Answered),
            ),
            (
                "404 is an answer",
                1,
                status(404),
                Decision::Stop(Stop::Answered),
            ),
            (
                "451 is an answer",
                1,
                status(451),
                Decision::Stop(Stop::Answered),
            ),
            (
                "plain 403 is an answer",
                1,
                status(403),
                Decision::Stop(Stop::Answered),
            ),
            (
                "500 retried",
                1,
                status(500),
                Decision::RetryAfter(Duration::from_millis(100)),
            ),
            (
                "502 backoff doubles",
                2,
                status(502),
                Decision::RetryAfter(Duration::from_millis(200)),
            ),
            (
                "5xx exhausted",
                3,
                status(503),
                Decision::Stop(Stop::Exhausted),
            ),
            (
                "timeout retried",
                1,
                Outcome::Timeout,
                Decision::RetryAfter(Duration::from_millis(100)),
            ),
            (
                "transport exhausted",
                3,
                Outcome::Transport,
                Decision::Stop(Stop::Exhausted),
            ),
            (
                "retry-after honoured",
                1,
                Outcome::Status {
                    status: 403,
                    retry_after: Some(7),
                    remaining: Some(10),
                    reset: None,
                    secondary: true,
                },
                Decision::RetryAfter(Duration::from_secs(7)),
            ),
            (
                "429 retry-after honoured",
                1,
                Outcome::Status {
                    status: 429,
                    retry_after: Some(2),
                    remaining: None,
                    reset: None,
                    secondary: false,
                },
                Decision::RetryAfter(Duration::from_secs(2)),
            ),
            (
                "primary limit waits for reset",
                1,
                Outcome::Status {
                    status: 403,
                    retry_after: None,
                    remaining: Some(0),
                    reset: Some(now + 30),
                    secondary: false,
                },
                Decision::RetryAfter(Duration::from_secs(31)),
            ),
            (
                "primary limit beyond the cap stops",
                1,
                Outcome::Status {
                    status: 403,
                    retry_after: None,
                    remaining: Some(0),
                    reset: Some(now + 3600),
                    secondary: false,
                },
                Decision::Stop(Stop::RateLimited {
                    until: Some(now + 3600),
                }),
            ),
            (
                "secondary without headers waits a minute",
                1,
                Outcome::Status {
                    status: 403,
                    retry_after: None,
                    remaining: Some(50),
                    reset: None,
                    secondary: true,
                },
                Decision::RetryAfter(Duration::from_secs(60)),
            ),
            (
                "secondary backs off exponentially",
                2,
                Outcome::Status {
                    status: 429,
                    retry_after: None,
                    remaining: None,
                    reset: None,
                    secondary: false,
                },
                Decision::RetryAfter(Duration::from_secs(120)),
            ),
            (
                "rate limit on the last attempt stops",
                3,
                Outcome::Status {
                    status: 429,
                    retry_after: Some(1),
                    remaining: None,
                    reset: None,
                    secondary: false,
                },
                Decision::Stop(Stop::RateLimited {
                    until: Some(now + 1),
                }),
            ),
        ];
        for (name, attempt, outcome, expected) in cases {
            // jitter 1.0 gives the full delay, so the table can state exact values.
            assert_eq!(
                decide(&policy(), attempt, &outcome, now, 1.0),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn backoff_is_capped_and_jittered_into_the_upper_half() {
        let p = policy();
        assert_eq!(backoff(&p, 10, 1.0), Duration::from_millis(300));
        assert_eq!(backoff(&p, 1, 0.0), Duration::from_millis(50));
        for i in 0..100 {
            let d = backoff(&p, 2, f64::from(i) / 100.0);
            assert!(
                d >= Duration::from_millis(100) && d <= Duration::from_millis(200),
                "{d:?}"
            );
        }
    }

    #[test]
    fn primary_wait_only_when_used_up() {
        let cap = Duration::from_secs(100);
        assert_eq!(primary_wait(Some(5), Some(110), 100, cap), Ok(None));
        assert_eq!(primary_wait(None, None, 100, cap), Ok(None));
        assert_eq!(
            primary_wait(Some(0), Some(110), 100, cap),
            Ok(Some(Duration::from_secs(11)))
        );
        assert_eq!(
            primary_wait(Some(0), Some(90), 100, cap),
            Ok(None),
            "reset already passed"
        );
        assert_eq!(primary_wait(Some(0), Some(1000), 100, cap), Err(1000));
    }
}
