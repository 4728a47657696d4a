//! One call's attempts: a token for each, the hooks around each, a retry when the policy
//! allows (transport errors and `429`/`5xx` answers, by method), one repeat with a fresh token
//! after a `401`, and the answer read within its limits.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::decode::{media_header, vendor_error};
use super::{Received, Request, Transport};
use crate::body::{BodyError, ERROR_BODY_CAP, read_capped, read_limited};
use crate::error::{ApiError, Error};
use crate::hook::Attempt;
use crate::metadata::{Method, OperationInfo};
use crate::retry::{RetryPolicy, retry_after, retryable_status, within_budget};

/// The count of a call's attempts, and whether the policy allows one more after a delay.
struct Retries<B> {
    policy: RetryPolicy,
    started: Instant,
    backoff: B,
    attempt: u32,
}

impl Retries<()> {
    /// The attempts of one call under `policy`, starting now.
    fn new(policy: RetryPolicy) -> Retries<impl Iterator<Item = Duration>> {
        Retries {
            policy,
            started: Instant::now(),
            backoff: policy.backoff(),
            attempt: 0,
        }
    }
}

impl<B: Iterator<Item = Duration>> Retries<B> {
    /// The delay before repeating a request that got no response: only after a failure to
    /// connect or a timeout (not a refused redirect), and only for a method safe to repeat.
    fn after_error(&mut self, e: &reqwest::Error, method: Method) -> Option<Duration> {
        let transient = (e.is_connect() || e.is_timeout()) && !e.is_redirect();
        let delay = self.delay(None);
        delay.filter(|_| transient && method.is_idempotent())
    }

    /// The next attempt's number, recorded on the request's span.
    fn next_attempt(&mut self) -> u32 {
        self.attempt = self.attempt.saturating_add(1);
        tracing::Span::current().record("attempt", self.attempt);
        self.attempt
    }

    /// The same attempt again (a repeat with a fresh token does not count).
    fn repeat(&mut self) {
        self.attempt -= 1;
    }

    /// The delay before one more attempt (the server's, else the backoff's), when the policy
    /// allows one: attempts and elapsed time stay within its bounds.
    fn delay(&mut self, asked: Option<Duration>) -> Option<Duration> {
        let backoff = self.backoff.next().unwrap_or(self.policy.max_delay);
        let delay = asked.unwrap_or(backoff);
        let allowed = self.attempt < self.policy.max_attempts
            && within_budget(self.started.elapsed(), delay, self.policy.max_elapsed);
        allowed.then_some(delay)
    }
}

impl Transport {
    pub(super) async fn attempts<E: DeserializeOwned + Serialize>(
        &self,
        request: Request,
    ) -> Result<Received, Error<E>> {
        let info = request.info;
        let mut retries = Retries::new(self.inner.retry);
        let url = self.url(&request).map_err(|e| self.failure(info.name, e))?;
        // Shared by every attempt: a retry re-sends the same bytes without copying them.
        let body = request.body.map(Bytes::from);
        let headers = request.headers;
        let method = reqwest_method(info.method);
        let mut refused_token: Option<HeaderValue> = None;
        let mut refreshed = false;
        loop {
            let number = retries.next_attempt();
            let token = self.token(info.name, refused_token.as_ref()).await?;
            let prepared = self.prepare(info, &method, &url, (&headers, body.as_ref()), &token);
            let sent = Attempt {
                operation: info,
                number,
                started: Instant::now(),
            };
            let response = match self.send(prepared, &sent).await {
                Ok(r) => r,
                Err(e) => match retries.after_error(&e, info.method) {
                    Some(delay) => {
                        tracing::debug!(error = %e.without_url(), delay_ms = millis(delay), "retrying after a transport error");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    None => return Err(self.failure(info.name, e)),
                },
            };
            let status = response.status().as_u16();
            tracing::Span::current().record("status", status);
            if status == 401 && !refreshed && self.inner.credentials.refreshes() {
                // The token was refused: refresh it once and repeat; nothing was processed.
                tracing::debug!("token refused; refreshing it and repeating the request once");
                refreshed = true;
                refused_token = Some(token);
                retries.repeat();
                continue;
            }
            refused_token = None;
            if retryable_status(status, info.method) {
                let asked = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok());
                if let Some(delay) = retries.delay(retry_after(asked)) {
                    tracing::debug!(status, delay_ms = millis(delay), "retrying");
                    drop(response);
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return self.answer(info, response).await;
        }
    }

    /// The final answer of a call: a success read within the size limit, or an error response
    /// read up to its cap. The headers are taken from the response, not copied.
    async fn answer<E: DeserializeOwned + Serialize>(
        &self,
        info: &'static OperationInfo,
        mut response: reqwest::Response,
    ) -> Result<Received, Error<E>> {
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let correlation_id = self
            .inner
            .scheme
            .correlation_header
            .and_then(|h| headers.get(h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(id) = &correlation_id {
            tracing::Span::current().record("correlation_id", id.as_str());
        }
        if (200..300).contains(&status) {
            let body = read_limited(response, self.inner.limits.max_response_bytes)
                .await
                .map_err(|e| match e {
                    BodyError::TooLarge { limit, declared } => Error::BodyTooLarge {
                        operation: info.name,
                        status,
                        limit,
                        declared,
                    },
                    BodyError::Read(e) => self.failure(info.name, e),
                })?;
            return Ok(Received {
                status,
                headers,
                correlation_id,
                body,
            });
        }
        tracing::debug!(status, "error response");
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (bytes, truncated) = read_capped(response, ERROR_BODY_CAP).await;
        Err(Error::Api(ApiError {
            operation: info.name,
            status,
            body: if truncated {
                None
            } else {
                vendor_error(&bytes)
            },
            raw: String::from_utf8_lossy(&bytes).into_owned(),
            content_type,
            truncated,
            correlation_id,
            headers: Box::new(headers),
        }))
    }

    /// The request's URL, parsed once for all its attempts. The base URL was checked when the
    /// transport was built and path segments are encoded, so this does not fail in practice;
    /// if it did, the HTTP client would say why.
    fn url(&self, request: &Request) -> Result<reqwest::Url, reqwest::Error> {
        let text = format!("{}{}", self.inner.base_url, request.path_and_query());
        match reqwest::Url::parse(&text) {
            Ok(url) => Ok(url),
            Err(_) => self.inner.http.get(text).build().map(|r| r.url().clone()),
        }
    }

    /// One attempt's request: the caller's default headers, then the operation's header
    /// parameters, then the client's own (media types and token).
    fn prepare(
        &self,
        info: &'static OperationInfo,
        method: &reqwest::Method,
        url: &reqwest::Url,
        (parameters, body): (&[(HeaderName, HeaderValue)], Option<&Bytes>),
        token: &HeaderValue,
    ) -> reqwest::Request {
        let mut request = reqwest::Request::new(method.clone(), url.clone());
        *request.timeout_mut() = Some(self.inner.limits.timeout);
        let headers = request.headers_mut();
        if !self.inner.default_headers.is_empty() {
            headers.clone_from(&self.inner.default_headers);
        }
        for (name, value) in parameters {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(ACCEPT, media_header(info.accept));
        headers.insert(self.inner.auth_header.clone(), token.clone());
        if let Some(body) = body {
            headers.insert(CONTENT_TYPE, media_header(info.content_type));
            *request.body_mut() = Some(body.clone().into());
        }
        request
    }

    /// Sends one attempt, running the hooks around it.
    async fn send(
        &self,
        mut request: reqwest::Request,
        attempt: &Attempt,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let hooks = &self.inner.hooks;
        if hooks.is_empty() {
            return self.inner.http.execute(request).await;
        }
        hooks.before_send(attempt, &mut request);
        let outcome = self.inner.http.execute(request).await;
        hooks.after_response(attempt, outcome.as_ref());
        outcome
    }
}

/// The HTTP client's method of an operation's.
fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Head => reqwest::Method::HEAD,
    }
}

/// A delay in milliseconds, for logs (saturating).
fn millis(delay: Duration) -> u64 {
    u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retries(attempts: u32, elapsed: Duration) -> Retries<impl Iterator<Item = Duration>> {
        let policy = RetryPolicy::default()
            .with_max_attempts(attempts)
            .with_max_elapsed(elapsed)
            .with_delays(Duration::from_millis(10), Duration::from_millis(10));
        Retries::new(policy)
    }

    #[test]
    fn attempts_count_and_a_repeat_does_not() {
        let mut r = retries(3, Duration::from_secs(60));
        assert_eq!((r.next_attempt(), r.next_attempt()), (1, 2));
        r.repeat();
        assert_eq!(
            r.next_attempt(),
            2,
            "a repeat with a fresh token is the same attempt"
        );
    }

    #[test]
    fn a_delay_is_allowed_within_the_attempts_and_the_time_budget() {
        let mut r = retries(2, Duration::from_secs(60));
        r.next_attempt();
        assert_eq!(
            r.delay(Some(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert!(r.delay(None).is_some(), "the backoff's own delay");
        r.next_attempt();
        assert_eq!(r.delay(None), None, "the last attempt is not retried");
        let mut r = retries(3, Duration::from_secs(1));
        r.next_attempt();
        assert_eq!(
            r.delay(Some(Duration::from_secs(2))),
            None,
            "beyond the time budget"
        );
        assert!(r.delay(Some(Duration::from_millis(500))).is_some());
    }

    #[tokio::test]
    async fn only_a_failure_to_connect_is_retried_and_only_for_a_safe_method() {
        // Nothing listens on port 1 of the loopback: the connection is refused.
        let refused = reqwest::Client::new()
            .get("http://127.0.0.1:1/")
            .send()
            .await
            .unwrap_err();
        let mut r = retries(3, Duration::from_secs(60));
        r.next_attempt();
        assert!(r.after_error(&refused, Method::Get).is_some());
        assert!(
            r.after_error(&refused, Method::Post).is_none(),
            "POST may have been applied"
        );
        let not_sent = reqwest::Client::new()
            .get("http://[::1")
            .send()
            .await
            .unwrap_err();
        assert!(
            r.after_error(&not_sent, Method::Get).is_none(),
            "not a transient failure"
        );
    }

    #[test]
    fn log_delays_saturate() {
        assert_eq!(millis(Duration::from_millis(1500)), 1500);
        assert_eq!(millis(Duration::MAX), u64::MAX);
    }
}
