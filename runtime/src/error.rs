//! The error of every generated operation.

use std::fmt;
use std::time::Duration;

use super::redirect::RedirectRefused;

/// Why an operation failed. `E` is the service's error payload (Genesys `ErrorBody`,
/// CSP `CspErrorResponse`); each service module names its own alias, `Error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// A timeout fired: no connection within the connect timeout, or no complete response
    /// (body included) within the request timeout.
    #[error("{operation}: timed out: {phase} of {after:?}")]
    Timeout {
        /// The operation's name.
        operation: &'static str,
        /// Which timeout fired.
        phase: TimeoutPhase,
        /// The timeout that was exceeded.
        after: Duration,
    },
    /// No connection could be made (refused, unreachable, DNS, TLS handshake).
    #[error("{operation}: cannot connect to {origin}: {message}")]
    Connect {
        /// The operation's name.
        operation: &'static str,
        /// The server's origin (`https://host:port`).
        origin: String,
        /// The innermost cause (`Connection refused (os error 111)`).
        message: String,
        /// What the HTTP client reported.
        #[source]
        source: reqwest::Error,
    },
    /// The server redirected somewhere the [`RedirectPolicy`](super::RedirectPolicy) does not
    /// follow; nothing was sent there.
    #[error("{operation}: {refused}")]
    Redirect {
        /// The operation's name.
        operation: &'static str,
        /// The redirect: status, where it pointed, why it was refused.
        refused: RedirectRefused,
    },
    /// A success body longer than the client's limit (`max_response_bytes`); reading stopped
    /// there.
    #[error("{operation}: the {status} response's body exceeds the limit of {limit} bytes{}", declared_length(*.declared))]
    BodyTooLarge {
        /// The operation's name.
        operation: &'static str,
        /// The response's status.
        status: u16,
        /// The limit in force.
        limit: u64,
        /// The length the server declared (`Content-Length`), if it did.
        declared: Option<u64>,
    },
    /// Any other failure to send the request or receive the response (a body cut off, a
    /// malformed response).
    #[error("{operation}: {message}")]
    Request {
        /// The operation's name.
        operation: &'static str,
        /// What happened, with the innermost cause.
        message: String,
        /// What the HTTP client reported.
        #[source]
        source: reqwest::Error,
    },
    /// No access token could be obtained from the token endpoint.
    #[error("{operation}: cannot obtain an access token: {message}")]
    Token {
        /// The operation's name.
        operation: &'static str,
        /// The token endpoint's status, if it answered.
        status: Option<u16>,
        /// What went wrong (never the secret).
        message: String,
    },
    /// A signed-in user's access token expired or was refused, and refreshing it failed: when
    /// [`SignInError::is_invalid_grant`](super::signin::SignInError::is_invalid_grant), the
    /// refresh token was revoked or expired and the user must sign in again.
    #[error("{operation}: cannot refresh the user's access token: {source}")]
    Refresh {
        /// The operation's name.
        operation: &'static str,
        /// What the token endpoint said.
        #[source]
        source: super::signin::SignInError,
    },
    /// The server answered with an error status.
    #[error("{0}")]
    Api(ApiError<E>),
    /// A success response whose body is not what the operation returns.
    #[error("{operation}: cannot decode the response at `{path}`: {message}")]
    Decode {
        /// The operation's name.
        operation: &'static str,
        /// JSON path of the failure (`entities[3].name`); `.` for the whole document.
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// The pre-flight check refused the call locally; no request was sent.
    #[error("{0}")]
    Denied(super::authorize::Denial),
    /// A path parameter's value cannot be sent as one path segment; no request was sent.
    #[error(transparent)]
    InvalidPath(#[from] super::transport::InvalidPathSegment),
    /// A header parameter's value cannot be sent in an HTTP header; no request was sent.
    #[error("{operation}: {refused}")]
    InvalidHeader {
        /// The operation's name.
        operation: &'static str,
        /// The header and the refused value.
        refused: super::transport::InvalidHeader,
    },
    /// A raw request ([`RawRequest`](super::RawRequest)) that cannot be sent as given: a path
    /// that is not absolute, or that carries a query or fragment. Nothing was sent.
    #[error("{operation}: {reason}")]
    InvalidRequest {
        /// The operation's name (`raw GET`).
        operation: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The request body could not be encoded as JSON.
    #[error("{operation}: cannot encode the request body: {source}")]
    Encode {
        /// The operation's name.
        operation: &'static str,
        /// The encoder's error.
        #[source]
        source: serde_json::Error,
    },
}

impl<E> Error<E> {
    /// Whether trying again later may succeed: rate limiting, gateway errors, connection
    /// failures and timeouts. (The client already retried within its [`RetryPolicy`](super::RetryPolicy).)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connect { .. } => true,
            Error::Api(e) => matches!(e.status, 429 | 502..=504),
            _ => false,
        }
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            _ => None,
        }
    }

    /// The error response, if the server sent one.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Connecting took longer than the connect timeout.
    Connect,
    /// The whole request, response body included, took longer than the request timeout.
    Request,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "no connection within the connect timeout",
            TimeoutPhase::Request => "no complete response within the request timeout",
        })
    }
}

fn declared_length(declared: Option<u64>) -> String {
    declared
        .map(|n| format!(" (it declared {n})"))
        .unwrap_or_default()
}

/// An error response: status, parsed payload, raw body, and correlation id.
#[non_exhaustive]
pub struct ApiError<E> {
    /// The operation's name.
    pub operation: &'static str,
    /// HTTP status code.
    pub status: u16,
    /// The payload, when the body is the service's error model: it decodes as that model and
    /// carries at least one of its fields. Any other body (HTML from a proxy, other JSON) is
    /// only in [`raw`](Self::raw).
    pub body: Option<E>,
    /// The body as received (lossily decoded as UTF-8), at most 64 KiB of it.
    pub raw: String,
    /// The body's `Content-Type`, if the server sent one.
    pub content_type: Option<String>,
    /// Whether the body was longer than 64 KiB (or cut off) and `raw` holds only its start.
    pub truncated: bool,
    /// The request's correlation id, from the service's correlation header.
    pub correlation_id: Option<String>,
    /// The response headers, boxed to keep every `Result` small.
    pub(crate) headers: Box<reqwest::header::HeaderMap>,
}

impl<E> ApiError<E> {
    /// The response headers (`Retry-After`, rate-limit headers, the correlation header).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// A response header's value as text, when present and visible ASCII (names are
    /// case-blind).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body", &self.body)
            .field("raw", &self.raw)
            .field("content_type", &self.content_type)
            .field("truncated", &self.truncated)
            .field("correlation_id", &self.correlation_id)
            .field("headers", &self.headers)
            .finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the server answered {}", self.operation, self.status)?;
        if let Some(id) = &self.correlation_id {
            write!(f, " (correlation id {id})")?;
        }
        let raw = self.raw.trim();
        if !raw.is_empty() {
            let shown: String = raw.chars().take(300).collect();
            write!(f, ": {shown}")?;
        }
        Ok(())
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an `http` or `https` URL.
    #[error("invalid base URL `{0}`: expected http(s)://host[:port][/prefix]")]
    BaseUrl(String),
    /// No way to authenticate was configured.
    #[error("no credentials: set an access token, client credentials or an API token")]
    NoCredentials,
    /// The service documents no token flow of the requested kind.
    #[error("this service has no token flow of that kind")]
    UnsupportedFlow,
    /// The service's auth header name is not a valid HTTP header name.
    #[error("the auth header name `{0}` is not a valid HTTP header name")]
    AuthHeader(&'static str),
    /// The access token cannot be sent in an HTTP header.
    #[error("the access token contains characters that cannot be sent in an HTTP header")]
    InvalidToken,
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    /// A default header would replace one the client sets itself (the auth header, `Accept`,
    /// `Content-Type`).
    #[error("the default header `{0}` is set by the client itself")]
    ReservedHeader(String),
    /// A setting of the HTTP client the builder would build, given with a caller's own HTTP
    /// client, where it would be ignored: configure that client instead.
    #[error("`{0}` cannot be applied to a caller's HTTP client: configure that client instead")]
    NotWithHttpClient(&'static str),
}
