//! The error of every generated operation.

use std::fmt;

/// Why an operation failed. `E` is the service's error payload (Genesys `ErrorBody`,
/// CSP `CspErrorResponse`); each service module names its own alias, `Error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be sent or the response not received (connection, timeout, TLS).
    #[error("{operation}: request failed: {source}")]
    Request {
        /// The operation's name.
        operation: &'static str,
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
            Error::Request { source, .. } => source.is_connect() || source.is_timeout(),
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

/// An error response: status, parsed payload, raw body, and correlation id.
#[non_exhaustive]
pub struct ApiError<E> {
    /// The operation's name.
    pub operation: &'static str,
    /// HTTP status code.
    pub status: u16,
    /// The payload, when the body is the service's error model.
    pub body: Option<E>,
    /// The body as received (lossily decoded as UTF-8).
    pub raw: String,
    /// The request's correlation id, from the service's correlation header.
    pub correlation_id: Option<String>,
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body", &self.body)
            .field("raw", &self.raw)
            .field("correlation_id", &self.correlation_id)
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
    /// The access token cannot be sent in an HTTP header.
    #[error("the access token contains characters that cannot be sent in an HTTP header")]
    InvalidToken,
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
