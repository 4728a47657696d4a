//! Sending requests: URL building, auth header, JSON in and out, error responses.

use std::fmt::{Display, Write as _};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::authorize::Authorizer;
use super::body::{
    BodyError, DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_CAP, read_capped, read_limited,
};
use super::error::{ApiError, BuildError, Error, TimeoutPhase};
use super::hook::{AfterResponse, Attempt, BeforeSend, Hook, Hooks};
use super::metadata::{AuthScheme, Grant, Method, OperationInfo};
use super::raw::RawRequest;
use super::redirect::{RedirectPolicy, RedirectRefused};
use super::response::Response;
use super::retry::{RetryPolicy, retry_after, retryable_status, within_budget};
use super::signin::{SessionCache, SignIn, UserSession, UserTokens};
use super::token::{Credentials, FlowSecret, SecretString, TokenCache};

/// Characters left as they are in a path segment or query component: RFC 3986 unreserved.
/// Everything else, `/`, `?`, `#`, `%` and `.` sequences' neighbours included, is encoded.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a value as exactly one path segment, so a value containing `/`, `?`, `#`,
/// `%` or spaces can never address another resource.
///
/// # Errors
///
/// `""`, `.` and `..` are refused: URL parsers treat `.` and `..` (even percent-encoded) as
/// steps within the path, and an empty segment addresses the collection instead of an item.
pub fn encode_path_segment(
    value: &str,
    parameter: &'static str,
) -> Result<String, InvalidPathSegment> {
    match value {
        "" | "." | ".." => Err(InvalidPathSegment {
            parameter,
            value: value.to_owned(),
        }),
        v => Ok(utf8_percent_encode(v, UNRESERVED).to_string()),
    }
}

/// A path parameter value that cannot be sent as one path segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path parameter `{parameter}` cannot be {value:?}: it would address another resource")]
#[non_exhaustive]
pub struct InvalidPathSegment {
    /// The parameter's name.
    pub parameter: &'static str,
    /// The refused value.
    pub value: String,
}

/// A header parameter's value that cannot be sent in an HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("header `{header}` cannot be {value:?}: header values are visible ASCII, spaces and tabs")]
#[non_exhaustive]
pub struct InvalidHeader {
    /// The header's name (`If-Match`).
    pub header: &'static str,
    /// The refused value.
    pub value: String,
}

/// One request being built by generated code.
#[derive(Debug)]
pub struct Request {
    info: &'static OperationInfo,
    path: String,
    query: String,
    body: Option<Vec<u8>>,
    /// Header parameters, validated.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// A body that did not encode: the call fails with it before anything is sent.
    unencodable: Option<serde_json::Error>,
    /// A header parameter whose value cannot be sent: the call fails with it before anything
    /// is sent.
    invalid_header: Option<InvalidHeader>,
}

impl Request {
    /// A request for `info` to `path` (already encoded by [`encode_path_segment`]).
    pub fn new(info: &'static OperationInfo, path: String) -> Self {
        Request {
            info,
            path,
            query: String::new(),
            body: None,
            headers: Vec::new(),
            unencodable: None,
            invalid_header: None,
        }
    }

    /// Appends `key=value` to the query string; call it once per element for a repeated key.
    pub fn query(&mut self, key: &str, value: &impl Display) {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        self.query
            .extend(utf8_percent_encode(key, UNRESERVED).map(str::to_owned));
        self.query.push('=');
        let mut text = String::new();
        let _ = write!(text, "{value}");
        self.query
            .extend(utf8_percent_encode(&text, UNRESERVED).map(str::to_owned));
    }

    /// Sets the header parameter `name` (one of the operation's `headers`) to `value`'s text. A
    /// value that cannot be sent in a header (a line break, a control character) fails the call
    /// with `Error::InvalidHeader` before anything is sent.
    pub fn header(&mut self, name: &'static str, value: &impl Display) {
        let text = value.to_string();
        // Visible ASCII, spaces and tabs only: other bytes are obsolete in HTTP (RFC 9110 §5.5)
        // and servers read them differently.
        let visible = text
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        ) {
            (Ok(name), Ok(value)) if visible => self.headers.push((name, value)),
            _ => {
                self.invalid_header.get_or_insert(InvalidHeader {
                    header: name,
                    value: text,
                });
            }
        }
    }

    /// The header parameters, as they will be sent.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes()))
    }

    /// Sets a JSON body. A value that does not encode fails the call with `Error::Encode`
    /// before anything is sent (so building a request has one failure only: a path value).
    pub fn json(&mut self, body: &impl Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.unencodable = Some(e),
        }
    }

    /// The path and query, as they will be sent.
    pub fn path_and_query(&self) -> String {
        format!("{}{}", self.path, self.query)
    }

    /// The operation it calls.
    pub fn operation(&self) -> &'static OperationInfo {
        self.info
    }

    /// The JSON body, as it will be sent.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

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

/// What the builder was told to authenticate with.
#[derive(Debug, Clone)]
enum Auth {
    None,
    Fixed(String),
    Flow(Grant, FlowSecret),
    User(Box<UserSession>),
}

/// Configures a [`Transport`]; generated `ClientBuilder`s wrap it.
#[derive(Debug)]
pub struct TransportBuilder {
    base_url: String,
    scheme: &'static AuthScheme,
    auth: Auth,
    token_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Duration,
    max_response_bytes: u64,
    retry: RetryPolicy,
    redirect: Option<RedirectPolicy>,
    authorizer: Option<Arc<dyn Authorizer>>,
    user_agent: String,
    http: Option<reqwest::Client>,
    default_headers: HeaderMap,
    hooks: Hooks,
}

/// The connect timeout of the HTTP client the transport builds.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl TransportBuilder {
    /// A builder for a service with this auth scheme, sending to `base_url`.
    pub fn new(base_url: &str, scheme: &'static AuthScheme) -> Self {
        TransportBuilder {
            base_url: base_url.to_owned(),
            scheme,
            auth: Auth::None,
            token_url: None,
            connect_timeout: None,
            timeout: Duration::from_secs(60),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            redirect: None,
            authorizer: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            default_headers: HeaderMap::new(),
            hooks: Hooks::default(),
        }
    }

    /// The `User-Agent` of every request; generated clients name their crate and version.
    /// Not applied to a caller's HTTP client ([`http_client`](Self::http_client)), whose own
    /// applies.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends requests to another base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with this access token, as is.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Fixed(token.into());
        self
    }

    /// Obtains tokens with the OAuth client-credentials flow of the service's auth scheme.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let secret = FlowSecret::Client {
            id: client_id.into(),
            secret: SecretString::new(client_secret),
        };
        self.auth = Auth::Flow(Grant::ClientCredentials, secret);
        self
    }

    /// Obtains tokens by exchanging a long-lived API token.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Flow(
            Grant::ApiToken,
            FlowSecret::ApiToken(SecretString::new(token)),
        );
        self
    }

    /// Authenticates as a signed-in user: sends the session's access token and refreshes it
    /// with its refresh token (shortly before it expires, and once when the API refuses it;
    /// one refresh for any number of concurrent calls), telling
    /// [`UserSession::on_tokens`](crate::signin::UserSession::on_tokens) each time.
    pub fn user_session(mut self, session: UserSession) -> Self {
        self.auth = Auth::User(Box::new(session));
        self
    }

    /// Uses this token endpoint instead of the one derived from the base URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The user sign-in flows for this builder's base URL: its region's login host, or the
    /// origin of [`token_url`](Self::token_url) when one was given.
    pub fn sign_in(&self) -> SignIn {
        let sign_in = SignIn::new(&self.base_url, self.scheme);
        let origin = self
            .token_url
            .as_deref()
            .and_then(|url| reqwest::Url::parse(url).ok())
            .map(|url| url.origin().ascii_serialization());
        match origin {
            Some(origin) => sign_in.login_origin(origin),
            None => sign_in,
        }
    }

    /// Time allowed to establish a connection (default 10 s). A setting of the HTTP client
    /// the transport builds: with [`http_client`](Self::http_client), building fails with
    /// [`BuildError::NotWithHttpClient`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole request, response body included (default 60 s). This is also
    /// the deadline for a server that sends its answer slowly.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest success body accepted, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    /// Enforced while the body streams in; a longer body fails with [`Error::BodyTooLarge`].
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How failed requests are retried (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Which redirects are followed (see [`RedirectPolicy`]; by default, within the origin only).
    /// A setting of the HTTP client the transport builds: with [`http_client`](Self::http_client),
    /// building fails with [`BuildError::NotWithHttpClient`] (configure that client with
    /// [`RedirectPolicy::to_reqwest`] instead).
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirect = Some(policy);
        self
    }

    /// Sends every request, token requests included, with this HTTP client instead of one
    /// the transport builds: its proxy, TLS roots, connection pool, connect timeout, redirect
    /// policy, default headers and `User-Agent` apply. Tokens, retries, the request
    /// [`timeout`](Self::timeout), the body limit, default headers and hooks given here and the
    /// pre-flight check apply as with the transport's own client.
    ///
    /// Its redirect policy is its own: reqwest's default follows up to 10 redirects to any
    /// origin, and a custom auth header such as CSP's `csp-auth-token` would follow them.
    /// Build it with `.redirect(RedirectPolicy::default().to_reqwest())` to keep this client's
    /// rule (within the origin only).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a header to every API request (not to token requests). The auth header, `Accept`
    /// and `Content-Type` are the client's: building fails with [`BuildError::ReservedHeader`].
    /// A name given twice is sent with both values.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.append(name, value);
        self
    }

    /// Runs `hook` around every attempt of every call (see [`Hook`]); hooks run in the order
    /// they were added.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Runs `f` with every request just before it is sent (a [`Hook::before_send`]).
    pub fn before_send(
        self,
        f: impl Fn(&Attempt, &mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.hook(BeforeSend(f))
    }

    /// Runs `f` when every attempt ends: with the response (status and headers) or the error
    /// (a [`Hook::after_response`]).
    pub fn after_response(
        self,
        f: impl Fn(&Attempt, Result<&reqwest::Response, &reqwest::Error>) + Send + Sync + 'static,
    ) -> Self {
        self.hook(AfterResponse(f))
    }

    /// Checks every call with `authorizer` before sending it; a denied call fails locally.
    pub fn preflight(mut self, authorizer: impl Authorizer + 'static) -> Self {
        self.authorizer = Some(Arc::new(authorizer));
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    ///
    /// See [`BuildError`].
    pub fn build(self) -> Result<Transport, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let valid = reqwest::Url::parse(&base_url).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https") && url.has_host() && url.query().is_none()
        });
        if !valid {
            return Err(BuildError::BaseUrl(self.base_url));
        }
        let auth_header =
            HeaderName::from_bytes(self.scheme.header.to_ascii_lowercase().as_bytes())
                .map_err(|_| BuildError::AuthHeader(self.scheme.header))?;
        if let Some(reserved) = [&auth_header, &ACCEPT, &CONTENT_TYPE]
            .into_iter()
            .find(|h| self.default_headers.contains_key(*h))
        {
            return Err(BuildError::ReservedHeader(reserved.as_str().to_owned()));
        }
        let connect_timeout = match &self.http {
            None => Some(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT)),
            Some(_) if self.connect_timeout.is_some() => {
                return Err(BuildError::NotWithHttpClient("connect_timeout"));
            }
            Some(_) if self.redirect.is_some() => {
                return Err(BuildError::NotWithHttpClient("redirect_policy"));
            }
            Some(_) => None,
        };
        let limits = Limits {
            connect_timeout,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
        };
        let credentials = match self.auth {
            Auth::None => return Err(BuildError::NoCredentials),
            Auth::Fixed(token) => {
                let mut value = HeaderValue::from_str(&format!("{}{token}", self.scheme.prefix))
                    .map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Credentials::Fixed(value)
            }
            Auth::User(session) => Credentials::User(Box::new(
                SessionCache::new(self.scheme, &base_url, self.token_url.as_deref(), *session)
                    .ok_or(BuildError::InvalidToken)?
                    .with_timeouts(limits.connect_timeout, limits.timeout),
            )),
            Auth::Flow(grant, secret) => Credentials::Flow(Box::new(
                TokenCache::new(self.scheme, &base_url, grant, secret, self.token_url)
                    .ok_or(BuildError::UnsupportedFlow)?
                    .with_timeouts(limits.connect_timeout, limits.timeout),
            )),
        };
        let http = match (self.http, connect_timeout) {
            (Some(http), _) => http,
            (None, connect_timeout) => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .connect_timeout(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(limits.timeout)
                .redirect(self.redirect.unwrap_or_default().to_reqwest())
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth_header,
                credentials,
                scheme: self.scheme,
                authorizer: self.authorizer,
                retry: self.retry,
                limits,
                default_headers: self.default_headers,
                hooks: self.hooks,
            }),
        })
    }
}

/// The future of one call: what a request builder's `send` returns and `.await` runs. Boxed
/// here, once, so that no generated operation needs an `async` body of its own.
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send>>;

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
        let transport = self.clone();
        Box::pin(async move { transport.send_json(request?).await })
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
        let transport = self.clone();
        Box::pin(async move { transport.send_text(request?).await })
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
        let transport = self.clone();
        Box::pin(async move { transport.send_empty(request?).await })
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
        let info = request.info;
        let received = self.execute(request).await?;
        decode(info.name, &received.body)
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
        let info = request.info;
        let received = self.execute(request).await?;
        decode_text(info.name, received.body)
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
        self.execute(request).await.map(drop)
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
        let transport = self.clone();
        Box::pin(async move {
            let request = request?;
            let info = request.info;
            transport
                .execute(request)
                .await?
                .decoded(|bytes| decode(info.name, &bytes))
        })
    }

    /// As [`call_text`](Self::call_text), with the status and headers.
    pub fn call_text_with_response<E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<Response<String>, E>
    where
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        let transport = self.clone();
        Box::pin(async move {
            let request = request?;
            let info = request.info;
            transport
                .execute(request)
                .await?
                .decoded(|bytes| decode_text(info.name, bytes))
        })
    }

    /// As [`call_empty`](Self::call_empty), with the status and headers.
    pub fn call_empty_with_response<E>(
        &self,
        request: Result<Request, InvalidPathSegment>,
    ) -> ResponseFuture<Response<()>, E>
    where
        E: DeserializeOwned + Serialize + Send + 'static,
    {
        let transport = self.clone();
        Box::pin(async move { transport.execute(request?).await?.decoded(|_| Ok(())) })
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

    async fn attempts<E: DeserializeOwned + Serialize>(
        &self,
        request: Request,
    ) -> Result<Received, Error<E>> {
        let info = request.info;
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut backoff = policy.backoff();
        let url = match self.url(&request) {
            Ok(url) => url,
            Err(e) => return Err(self.failure(info.name, e)),
        };
        // Shared by every attempt: a retry re-sends the same bytes without copying them.
        let body = request.body.map(Bytes::from);
        let headers = request.headers;
        let method = match info.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        };
        let mut refused_token: Option<HeaderValue> = None;
        let mut refreshed = false;
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            let token = self.token(info.name, refused_token.as_ref()).await?;
            let may_retry = |delay: Duration| {
                attempt < policy.max_attempts
                    && within_budget(started.elapsed(), delay, policy.max_elapsed)
            };
            let sent = Attempt {
                operation: info,
                number: attempt,
                started: Instant::now(),
            };
            let response = match self
                .send(
                    self.prepare(info, &method, &url, (&headers, body.as_ref()), &token),
                    &sent,
                )
                .await
            {
                Ok(r) => r,
                Err(e) => {
                    let transient = (e.is_connect() || e.is_timeout()) && !e.is_redirect();
                    let delay = backoff.next().unwrap_or(policy.max_delay);
                    if transient && info.method.is_idempotent() && may_retry(delay) {
                        tracing::debug!(error = %e.without_url(), delay_ms = millis(delay), "retrying after a transport error");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Err(self.failure(info.name, e));
                }
            };
            let status = response.status().as_u16();
            span.record("status", status);
            let correlation_id = self
                .inner
                .scheme
                .correlation_header
                .and_then(|h| response.headers().get(h))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(id) = &correlation_id {
                span.record("correlation_id", id.as_str());
            }
            if status == 401 && !refreshed && self.inner.credentials.refreshes() {
                // The token was refused: refresh it once and repeat; nothing was processed.
                tracing::debug!("token refused; refreshing it and repeating the request once");
                refreshed = true;
                refused_token = Some(token);
                attempt -= 1;
                continue;
            }
            refused_token = None;
            if retryable_status(status, info.method) {
                let header = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok());
                let backoff_delay = backoff.next().unwrap_or(policy.max_delay);
                let delay = retry_after(header).unwrap_or(backoff_delay);
                if may_retry(delay) {
                    tracing::debug!(status, delay_ms = millis(delay), "retrying");
                    drop(response);
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            let headers = response.headers().clone();
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
            return Err(Error::Api(ApiError {
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
            }));
        }
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

    /// Turns what the HTTP client reported into an error that says what happened.
    fn failure<E>(&self, operation: &'static str, e: reqwest::Error) -> Error<E> {
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

/// A delay in milliseconds, for logs (saturating).
fn millis(delay: Duration) -> u64 {
    u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)
}

/// The service's error model, when the body is one: it decodes, and it carries at least one of
/// the model's fields. A JSON body that merely decodes (every field is optional, unknown ones
/// are ignored), such as a proxy's `{"error": "…"}`, is not one.
fn vendor_error<E: DeserializeOwned + Serialize>(bytes: &[u8]) -> Option<E> {
    let parsed: E = serde_json::from_slice(bytes).ok()?;
    let recognized =
        serde_json::to_value(&parsed).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()));
    recognized.then_some(parsed)
}

/// A media type as a header value; generated media types are validated by the generator, so
/// the fallback (JSON) is only for metadata built by hand with a value no header can carry.
fn media_header(media: &'static str) -> HeaderValue {
    HeaderValue::from_str(media).unwrap_or(HeaderValue::from_static("application/json"))
}

/// A text success body as a `String`.
///
/// # Errors
///
/// [`Error::Decode`] when the bytes are not UTF-8 (the text media types the APIs answer with
/// are UTF-8).
pub fn decode_text<E>(operation: &'static str, bytes: Vec<u8>) -> Result<String, Error<E>> {
    String::from_utf8(bytes).map_err(|e| Error::Decode {
        operation,
        path: ".".into(),
        message: format!("the text response is not UTF-8: {}", e.utf8_error()),
    })
}

/// Decodes a success body as `T`, naming the JSON path of a failure. Never panics, whatever
/// the bytes.
///
/// # Errors
///
/// [`Error::Decode`] with the operation's name, the JSON path and what is wrong there.
pub fn decode<T: DeserializeOwned, E>(
    operation: &'static str,
    bytes: &[u8],
) -> Result<T, Error<E>> {
    // The common case decodes once, plainly: tracking the path of every value costs more than
    // the rest of a call's CPU time together (`cargo xtask bench-calls`). Only a body that fails
    // is decoded again, to say where; decoding is deterministic, so it fails at the same place.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let decode_error = |path: String, message: String| Error::Decode {
        operation,
        path,
        message,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| decode_error(e.path().to_string(), e.into_inner().to_string()))?;
    de.end()
        .map_err(|e| decode_error(".".into(), e.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        let enc = |v| encode_path_segment(v, "id");
        assert_eq!(enc("a/b").unwrap(), "a%2Fb");
        assert_eq!(enc("x?y#z%").unwrap(), "x%3Fy%23z%25");
        assert_eq!(enc("a b").unwrap(), "a%20b");
        assert_eq!(enc("ok-id_1.2~").unwrap(), "ok-id_1.2~");
        assert_eq!(enc("...").unwrap(), "...");
        for refused in ["", ".", ".."] {
            assert!(enc(refused).is_err(), "{refused:?}");
        }
    }

    static SCHEME: AuthScheme = AuthScheme::new("Authorization", "Bearer ", &[], None);
    static POST: OperationInfo = OperationInfo::new(
        "demo",
        "things",
        "post_thing",
        Method::Post,
        "/things",
        crate::Requirement::None,
    );

    /// A transport to a port nothing listens on: a call that got as far as sending would fail
    /// with a connection error instead of the one asserted.
    fn nowhere() -> Transport {
        TransportBuilder::new("http://127.0.0.1:9", &SCHEME)
            .access_token("t")
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_call_that_cannot_be_built_fails_before_sending() {
        let refused = encode_path_segment("..", "thing_id").map(|path| Request::new(&POST, path));
        let e = nowhere().call_empty::<()>(refused).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::InvalidPath(InvalidPathSegment {
                    parameter: "thing_id",
                    ..
                })
            ),
            "{e:?}"
        );

        let mut request = Request::new(&POST, "/things".into());
        request.json(&std::collections::HashMap::from([((1, 2), 3)]));
        let e = nowhere()
            .call_json::<serde_json::Value, ()>(Ok(request))
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Encode {
                    operation: "post_thing",
                    ..
                }
            ),
            "{e:?}"
        );

        let mut request = Request::new(&POST, "/things".into());
        request.json(&serde_json::json!({"a": 1}));
        let e = nowhere()
            .call_json::<serde_json::Value, ()>(Ok(request))
            .await
            .unwrap_err();
        assert!(
            !matches!(e, Error::Encode { .. } | Error::InvalidPath(_)),
            "a body that encodes is sent: {e:?}"
        );
    }

    #[tokio::test]
    async fn a_header_value_that_cannot_be_sent_fails_before_sending() {
        for refused in ["a\r\nX-Injected: 1", "caf\u{e9}", "\u{7f}"] {
            let mut request = Request::new(&POST, "/things".into());
            request.header("If-Match", &"\"1\"");
            request.header("If-Match", &refused);
            assert_eq!(request.headers().count(), 1, "{refused:?} is not kept");
            let e = nowhere().call_empty::<()>(Ok(request)).await.unwrap_err();
            match e {
                Error::InvalidHeader {
                    operation: "post_thing",
                    refused:
                        InvalidHeader {
                            header: "If-Match",
                            value,
                        },
                } => {
                    assert_eq!(value, refused);
                }
                other => panic!("{refused:?}: {other:?}"),
            }
        }
        let mut request = Request::new(&POST, "/things".into());
        request.header("X-Journey-Session-Id", &"W/\"a b\"\t7");
        assert_eq!(
            request.headers().collect::<Vec<_>>(),
            [("x-journey-session-id", &b"W/\"a b\"\t7"[..])]
        );
        let e = nowhere().call_empty::<()>(Ok(request)).await.unwrap_err();
        assert!(
            !matches!(e, Error::InvalidHeader { .. }),
            "a valid header value is sent: {e:?}"
        );
    }

    #[test]
    fn text_bodies_are_returned_as_they_arrived() {
        let text = "BEGIN:VCALENDAR\r\nSUMMARY:Caf\u{e9}\r\n";
        assert_eq!(
            decode_text::<()>("op", text.as_bytes().to_vec()).unwrap(),
            text
        );
        let e = decode_text::<()>("op", vec![b'a', 0xff]).unwrap_err();
        assert!(
            matches!(e, Error::Decode { operation: "op", ref path, .. } if path == "."),
            "{e:?}"
        );
    }

    #[test]
    fn log_delays_saturate() {
        assert_eq!(millis(Duration::from_millis(1500)), 1500);
        assert_eq!(millis(Duration::MAX), u64::MAX);
    }
}
