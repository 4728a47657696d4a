//! When and how long to wait before trying a request again.
//!

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::metadata::Method;

/// Bounds and pacing of retries. `RetryPolicy::default()` tries 3 times within 30 s.
///
/// # Policy
///
/// - **429 Too Many Requests** is retried for every method: the server refused the request
///   without processing it. Its `Retry-After` (seconds or an HTTP date) is honoured.
/// - **502, 503, 504** and connection failures or timeouts are retried only for idempotent
///   methods (GET, PUT, DELETE). A POST or PATCH may have been applied before the gateway
///   failed, and sending it twice could create two objects or apply a change twice, so those
///   errors are returned to the caller, who knows whether a repeat is safe.
/// - **401** with a token from a flow triggers one token refresh and one repeat, for any method
///   (the server refused to authenticate, so nothing was processed).
/// - Everything else is returned at once.
///
/// Waits grow exponentially with jitter (`backon`), never past [`RetryPolicy::max_delay`];
/// a `Retry-After` longer than the time left gives up instead of waiting. Retries are bounded
/// by both [`RetryPolicy::max_attempts`] and [`RetryPolicy::max_elapsed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
    /// The first wait (before jitter).
    pub initial_delay: Duration,
    /// The longest wait between attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(30),
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// With this many attempts in all.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// With this bound on the total time spent retrying.
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// With these waits: the first, and the longest.
    pub fn with_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max.max(initial);
        self
    }

    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> + use<> {
        ExponentialBuilder::default()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_jitter()
            .without_max_times()
            .build()
    }
}

/// Whether a response status may be retried for this method.
pub(crate) fn retryable_status(status: u16, method: Method) -> bool {
    match status {
        429 => true,
        502..=504 => method.is_idempotent(),
        _ => false,
    }
}

/// `Retry-After` as a delay: delay-seconds, or an HTTP date (a date in the past is no wait).
/// Anything else is ignored and backoff applies. Any number the server sends is accepted
/// without overflow: callers compare the delay with their budget using checked arithmetic.
pub(crate) fn retry_after(value: Option<&str>) -> Option<Duration> {
    let value = value?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Whether a retry that waits `delay` still starts within `max_elapsed` of the first attempt.
/// Checked: a `Retry-After` of `u64::MAX` seconds is simply too long, never an overflow.
pub(crate) fn within_budget(elapsed: Duration, delay: Duration, max_elapsed: Duration) -> bool {
    elapsed
        .checked_add(delay)
        .is_some_and(|at| at <= max_elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_by_status_and_method() {
        assert!(retryable_status(429, Method::Post));
        assert!(retryable_status(503, Method::Get));
        assert!(retryable_status(504, Method::Delete));
        assert!(!retryable_status(503, Method::Post));
        assert!(!retryable_status(502, Method::Patch));
        assert!(!retryable_status(500, Method::Get));
        assert!(!retryable_status(404, Method::Get));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after(Some(" 3 ")), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after(Some("18446744073709551615")),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        let later =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(120));
        let delay = retry_after(Some(&later)).unwrap();
        assert!(
            delay > Duration::from_secs(100) && delay <= Duration::from_secs(120),
            "{delay:?}"
        );
        assert_eq!(retry_after(Some("-1")), None);
        assert_eq!(retry_after(Some("soon")), None);
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn budget_never_overflows() {
        let second = Duration::from_secs(1);
        assert!(within_budget(second, second, Duration::from_secs(2)));
        assert!(!within_budget(
            second,
            Duration::from_secs(2),
            Duration::from_secs(2)
        ));
        assert!(!within_budget(second, Duration::MAX, Duration::MAX));
        assert!(!within_budget(Duration::MAX, second, Duration::MAX));
        assert!(within_budget(Duration::ZERO, Duration::MAX, Duration::MAX));
    }

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default()
            .with_delays(Duration::from_millis(10), Duration::from_millis(50));
        assert!(
            p.backoff()
                .take(20)
                .all(|d| d <= Duration::from_millis(100))
        );
    }
}
