//! What the HTTP client reports, in the words of [`Error`]: which timeout fired, the
//! innermost cause, a refused redirect.

use std::time::Duration;

use super::Transport;
use crate::error::{Error, TimeoutPhase};
use crate::redirect::RedirectRefused;

impl Transport {
    /// Turns what the HTTP client reported into an error that says what happened.
    pub(super) fn failure<E>(&self, operation: &'static str, e: reqwest::Error) -> Error<E> {
        if let Some(refused) = find_source::<RedirectRefused>(&e) {
            return Error::Redirect {
                operation,
                refused: refused.clone(),
            };
        }
        let limits = self.inner.limits;
        if let Some((phase, after)) = timeout_of(&e, limits.connect_timeout, limits.timeout) {
            return Error::Timeout {
                operation,
                phase,
                after,
            };
        }
        if e.is_connect() {
            let origin = reqwest::Url::parse(&self.inner.base_url)
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_default();
            return Error::Connect {
                operation,
                origin,
                message: innermost_cause(&e),
                source: e.without_url(),
            };
        }
        Error::Request {
            operation,
            message: describe(&e),
            source: e.without_url(),
        }
    }
}

/// Which timeout fired, and its length, when `e` is a timeout: connecting, or the whole request.
/// A connect timeout of unknown length (a caller's HTTP client) is left to be reported as a
/// failure to connect.
pub(crate) fn timeout_of(
    e: &reqwest::Error,
    connect: Option<Duration>,
    request: Duration,
) -> Option<(TimeoutPhase, Duration)> {
    match (e.is_timeout(), e.is_connect()) {
        (true, true) => connect.map(|after| (TimeoutPhase::Connect, after)),
        (true, false) => Some((TimeoutPhase::Request, request)),
        (false, _) => None,
    }
}

/// The first error of type `T` in `e`'s source chain.
fn find_source<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(e);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

/// The innermost cause's text (`Connection refused (os error 111)`): what to act on.
pub(crate) fn innermost_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut error = e;
    while let Some(source) = error.source() {
        error = source;
    }
    error.to_string()
}

/// What went wrong with a request that got no usable answer, in one line.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    if let Some(refused) = find_source::<RedirectRefused>(e) {
        return refused.to_string();
    }
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "the response body was cut off or unreadable"
    } else {
        "no valid HTTP response"
    };
    format!("{what}: {}", innermost_cause(e))
}
