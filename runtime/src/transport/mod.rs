//! Sending requests: the [`Transport`] every generated client wraps, and the calls generated
//! request builders make. Where the rest lives: `request` (a request being built, path and
//! header encoding), `builder` ([`TransportBuilder`]), `attempts` (one call's attempts:
//! tokens, retries, hooks, reading the answer), `decode` (bodies) and `failure` (what the HTTP
//! client reports, in words).

mod attempts;
mod builder;
mod decode;
mod failure;
mod request;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

pub use self::builder::TransportBuilder;
pub use self::decode::{decode, decode_text};
pub(crate) use self::failure::{describe, timeout_of};
pub use self::request::{InvalidHeader, InvalidPathSegment, Request, encode_path_segment};
use super::authorize::Authorizer;
use super::error::Error;
use super::hook::Hooks;
use super::metadata::{AuthScheme, Method};
use super::raw::RawRequest;
use super::response::Response;
use super::retry::RetryPolicy;
use super::signin::UserTokens;
use super::token::Credentials;

/// The shared HTTP side of a service client: connection pool, base URL, credentials and
/// token cache, retry policy and limits. Cheap to clone; clones share everything.
#[derive(Debug, Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth_header: HeaderName,
    credentials: Credentials,
    scheme: &'static AuthScheme,
    authorizer: Option<Arc<dyn Authorizer>>,
    retry: RetryPolicy,
    limits: Limits,
    default_headers: HeaderMap,
    hooks: Hooks,
}

/// The bounds a response is held to, kept to explain a failure in its own terms.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// `None` with a caller's HTTP client: its own connect timeout applies, unknown here.
    connect_timeout: Option<Duration>,
    timeout: Duration,
    max_response_bytes: u64,
}

/// A success response, read: status, headers, correlation id and the body's bytes.
pub(crate) struct Received {
    status: u16,
    headers: HeaderMap,
    correlation_id: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Received {
    /// The response with its body decoded by `decode`.
    pub(crate) fn decoded<T, E>(
        self,
        decode: impl FnOnce(Vec<u8>) -> Result<T, Error<E>>,
    ) -> Result<Response<T>, Error<E>> {
        let body = decode(self.body)?;
        Ok(Response::new(
            self.status,
            self.headers,
            self.correlation_id,
            body,
        ))
    }
}

/// The future of one call: what a request builder's `send` returns and `.await` runs. Boxed
/// here, once, so that no generated operation needs an `async` body of its own.
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send>>;

/// What turns a success body's bytes into what a call returns, naming the operation in errors.
type Decoder<T, E> = fn(&'static str, Vec<u8>) -> Result<T, Error<E>>;

/// A JSON success body, decoded as `T`.
fn json_body<T: DeserializeOwned, E>(
    operation: &'static str,
    bytes: Vec<u8>,
) -> Result<T, Error<E>> {
    decode(operation, &bytes)
}

/// A success body not worth decoding.
fn no_body<E>(_: &'static str, _: Vec<u8>) -> Result<(), Error<E>> {
    Ok(())
}

impl Transport {
    /// The call a request builder prepared (or the error preparing it), decoding a JSON success
    /// body as `T` when awaited.
    pub fn call_json<T, E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<T, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        self.call(request, json_body::<T, E>)
    }

    /// The call a request builder prepared (or the error preparing it), returning a text
    /// success body (`text/plain`, `text/calendar`) as it arrived when awaited.
    pub fn call_text<E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<String, E>
    where
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        self.call(request, decode_text)
    }

    /// The call a request builder prepared (or the error preparing it), expecting no body worth
    /// decoding.
    pub fn call_empty<E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<(), E>
    where
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        self.call(request, no_body)
    }

    /// Sends `request` and decodes a JSON success body as `T`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send_json<T: DeserializeOwned, E: DeserializeOwned + Serialize>(
        &self,
        request: Request,
    ) -> Result<T, Error<E>> {
        self.send_with(request, json_body::<T, E>).await
    }

    /// Sends `request` and returns a text success body as it arrived.
    ///
    /// # Errors
    ///
    /// See [`Error`]; a body that is not UTF-8 is [`Error::Decode`].
    pub async fn send_text<E: DeserializeOwned + Serialize>(
        &self,
        request: Request,
    ) -> Result<String, Error<E>> {
        self.send_with(request, decode_text).await
    }

    /// Sends `request`, expecting no body worth decoding.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send_empty<E: DeserializeOwned + Serialize>(
        &self,
        request: Request,
    ) -> Result<(), Error<E>> {
        self.send_with(request, no_body).await
    }

    /// As [`call_json`](Self::call_json), with the status and headers.
    pub fn call_json_with_response<T, E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<Response<T>, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        self.call_with_response(request, json_body::<T, E>)
    }

    /// As [`call_text`](Self::call_text), with the status and headers.
    pub fn call_text_with_response<E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<Response<String>, E>
    where
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        self.call_with_response(request, decode_text)
    }

    /// As [`call_empty`](Self::call_empty), with the status and headers.
    pub fn call_empty_with_response<E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<Response<()>, E>
    where
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        self.call_with_response(request, no_body)
    }

    /// The call of a prepared request, its success body turned into `T` by `decode`.
    fn call<T, E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
        decode: Decoder<T, E>,
    ) -> ResponseFuture<T, E>
    where
        T: Send + 'static,
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        let transport = self.clone();
        Box::pin(async move { transport.send_with(request?, decode).await })
    }

    /// As [`call`](Self::call), with the status and headers.
    fn call_with_response<T, E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
        decode: Decoder<T, E>,
    ) -> ResponseFuture<Response<T>, E>
    where
        T: Send + 'static,
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        let transport = self.clone();
        Box::pin(async move {
            let request = request?;
            let operation = request.info.name;
            let received = transport.execute(request).await?;
            received.decoded(|bytes| decode(operation, bytes))
        })
    }

    /// Sends `request` and turns its success body into `T` with `decode`.
    async fn send_with<T, E: DeserializeOwned + Serialize>(
        &self,
        request: Request,
        decode: Decoder<T, E>,
    ) -> Result<T, Error<E>> {
        let operation = request.info.name;
        let received = self.execute(request).await?;
        decode(operation, received.body)
    }

    /// A request by method and path, for an endpoint this client has no operation for (newer
    /// than the crate, or undocumented), sent with everything an operation gets: base URL,
    /// tokens, retries, limits, redirects, hooks, the pre-flight check.
    pub fn raw<E: DeserializeOwned + Serialize>(
        &self,
        method: Method,
        path: &str,
    ) -> RawRequest<E> {
        RawRequest::new(self.clone(), method, path)
    }

    /// The signed-in user's tokens in use now (after any refresh), for a caller that persists
    /// them on shutdown; `None` when the client does not authenticate as a user.
    pub async fn user_tokens(&self) -> Option<UserTokens> {
        match &self.inner.credentials {
            Credentials::User(session) => Some(session.tokens().await),
            _ => None,
        }
    }

    async fn token<E>(
        &self,
        operation: &'static str,
        stale: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Error<E>> {
        match &self.inner.credentials {
            Credentials::Fixed(value) => Ok(value.clone()),
            Credentials::Flow(cache) => {
                cache
                    .token(&self.inner.http, stale)
                    .await
                    .map_err(|e| Error::Token {
                        operation,
                        status: e.status,
                        message: e.message,
                    })
            }
            Credentials::User(session) => {
                session
                    .token(&self.inner.http, stale)
                    .await
                    .map_err(|e| Error::Refresh {
                        operation,
                        source: e.into(),
                    })
            }
        }
    }

    /// The auth header of an API call, for a connection the transport does not send itself
    /// (a notification channel's WebSocket): same token source, same refresh. With `stale`, the
    /// token the server refused, a flow's token is fetched anew.
    #[cfg(feature = "notifications")]
    pub(crate) async fn authorization<E>(
        &self,
        operation: &'static str,
        stale: Option<&HeaderValue>,
    ) -> Result<(HeaderName, HeaderValue), Error<E>> {
        Ok((
            self.inner.auth_header.clone(),
            self.token(operation, stale).await?,
        ))
    }

    pub(crate) async fn execute<E: DeserializeOwned + Serialize>(
        &self,
        mut request: Request,
    ) -> Result<Received, Error<E>> {
        let info = request.info;
        if let Some(source) = request.unencodable.take() {
            return Err(Error::Encode {
                operation: info.name,
                source,
            });
        }
        if let Some(refused) = request.invalid_header.take() {
            return Err(Error::InvalidHeader {
                operation: info.name,
                refused,
            });
        }
        if let Some(authorizer) = &self.inner.authorizer {
            authorizer.authorize(info).map_err(Error::Denied)?;
        }
        let span = tracing::info_span!(
            "request",
            operation = info.name,
            method = info.method.as_str(),
            path = info.path,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
        );
        self.attempts(request).instrument(span).await
    }
}

#[cfg(test)]
mod tests;
