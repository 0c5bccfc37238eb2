//! When and how long to wait before trying again.

use std::time::Duration;

/// Exponential backoff with full jitter: attempt n waits a random time up to
/// `min(max, base * 2^n)`, so many clients recovering at once do not all return together.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub base: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 6,
            base: Duration::from_millis(200),
            max: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// How long to wait after failed attempt `attempt` (0-based). A `Retry-After` from the
    /// platform wins when it says to wait longer, up to ten minutes.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max);
        let jittered = ceiling.mul_f64(rand::random::<f64>());
        match retry_after {
            Some(asked) => asked.min(Duration::from_mins(10)).max(jittered),
            None => jittered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_capped_and_honour_retry_after() {
        let policy = RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        for attempt in 0..20 {
            let delay = policy.delay(attempt, None);
            let ceiling = Duration::from_millis(100)
                .saturating_mul(1 << attempt.min(16))
                .min(Duration::from_secs(1));
            assert!(
                delay <= ceiling,
                "attempt {attempt}: {delay:?} > {ceiling:?}"
            );
        }
        assert!(policy.delay(0, Some(Duration::from_secs(7))) >= Duration::from_secs(7));
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(9999))),
            Duration::from_mins(10)
        );
    }
}
