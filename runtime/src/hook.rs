//! Hooks: the caller's code, run around every attempt of a call (logging, metrics, headers).

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use super::metadata::OperationInfo;

/// One attempt of a call, as a [`Hook`] sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt {
    /// The operation being called: its name, method, path template and requirement.
    pub operation: &'static OperationInfo,
    /// 1 for the first attempt, then 2, 3… for each retry. The repeat after a refused token
    /// (one, with a fresh token) keeps the number of the attempt it repeats.
    pub number: u32,
    /// When the attempt was prepared, just before [`Hook::before_send`]: in
    /// [`Hook::after_response`], `started.elapsed()` is the attempt's latency.
    pub started: Instant,
}

/// Code run around every attempt the client sends: add headers, log, count, time.
///
/// Hooks run in the order they were added, for each attempt (a retried call runs them once per
/// attempt), after the pre-flight check passed and the token was obtained: the request a hook
/// sees carries the auth header (marked sensitive, so `Debug` hides it). Token requests are not
/// shown to hooks: they carry the client's secrets. A hook cannot fail a call; a panic in a hook
/// unwinds through the call.
///
/// Both methods do nothing by default. For one closure, the client builder's `before_send`
/// and `after_response` take it directly.
pub trait Hook: Send + Sync {
    /// Called with each request just before it is sent; changes to it are sent.
    fn before_send(&self, attempt: &Attempt, request: &mut reqwest::Request) {
        let _ = (attempt, request);
    }

    /// Called when the response's status and headers have arrived (before its body is read;
    /// also for a response that will be retried), or with the error when the attempt got no
    /// response (cannot connect, timed out, redirect refused).
    fn after_response(
        &self,
        attempt: &Attempt,
        outcome: Result<&reqwest::Response, &reqwest::Error>,
    ) {
        let _ = (attempt, outcome);
    }
}

/// A closure run before each request is sent ([`Hook::before_send`]).
pub(crate) struct BeforeSend<F>(pub(crate) F);

impl<F: Fn(&Attempt, &mut reqwest::Request) + Send + Sync> Hook for BeforeSend<F> {
    fn before_send(&self, attempt: &Attempt, request: &mut reqwest::Request) {
        (self.0)(attempt, request);
    }
}

/// A closure run when each attempt ends ([`Hook::after_response`]).
pub(crate) struct AfterResponse<F>(pub(crate) F);

impl<F: Fn(&Attempt, Result<&reqwest::Response, &reqwest::Error>) + Send + Sync> Hook
    for AfterResponse<F>
{
    fn after_response(
        &self,
        attempt: &Attempt,
        outcome: Result<&reqwest::Response, &reqwest::Error>,
    ) {
        (self.0)(attempt, outcome);
    }
}

/// The hooks of a transport, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Hooks(Vec<Arc<dyn Hook>>);

impl Hooks {
    pub(crate) fn push(&mut self, hook: Arc<dyn Hook>) {
        self.0.push(hook);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn before_send(&self, attempt: &Attempt, request: &mut reqwest::Request) {
        for hook in &self.0 {
            hook.before_send(attempt, request);
        }
    }

    pub(crate) fn after_response(
        &self,
        attempt: &Attempt,
        outcome: Result<&reqwest::Response, &reqwest::Error>,
    ) {
        for hook in &self.0 {
            hook.after_response(attempt, outcome);
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}
