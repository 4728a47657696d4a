//! Sending requests: URL building, auth header, JSON in and out, error responses.

use std::fmt::{self, Display, Write as _};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::authorize::Authorizer;
use super::error::{ApiError, BuildError, Error};
use super::metadata::{AuthScheme, Method, OperationInfo};

/// Characters left as they are in a path segment or query component: RFC 3986 unreserved.
/// Everything else, `/`, `?`, `#`, `%` and `.` sequences' neighbours included, is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a value as exactly one path segment: a value containing `/`, `?`,
/// `#` or `%` can never address another resource. `.` and `..` become `%2E` and
/// `%2E%2E`, which servers do not treat as relative steps.
pub fn encode_path_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        v => utf8_percent_encode(v, UNRESERVED).to_string(),
    }
}

/// One request being built by generated code.
#[derive(Debug)]
pub struct Request {
    info: &'static OperationInfo,
    path: String,
    query: String,
    body: Option<Vec<u8>>,
}

impl Request {
    /// A request for `info` to `path` (already encoded by [`encode_path_segment`]).
    pub fn new(info: &'static OperationInfo, path: String) -> Self {
        Request { info, path, query: String::new(), body: None }
    }

    /// Appends `key=value` to the query string; call it once per element for a repeated key.
    pub fn query(&mut self, key: &str, value: &impl Display) {
        self.query.push(if self.query.is_empty() { '?' } else { '&' });
        self.query.extend(utf8_percent_encode(key, UNRESERVED).map(str::to_owned));
        self.query.push('=');
        let mut text = String::new();
        let _ = write!(text, "{value}");
        self.query.extend(utf8_percent_encode(&text, UNRESERVED).map(str::to_owned));
    }

    /// Sets a JSON body.
    ///
    /// # Errors
    ///
    /// When the value cannot be encoded as JSON.
    pub fn json<E>(&mut self, body: &impl Serialize) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Encode { operation: self.info.name, source })?;
        self.body = Some(bytes);
        Ok(())
    }

    /// The path and query, as they will be sent.
    pub fn path_and_query(&self) -> String {
        format!("{}{}", self.path, self.query)
    }
}

/// A secret that never shows in `Debug` output.
#[derive(Clone)]
struct Secret(HeaderValue);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The shared HTTP side of a service client: connection pool, base URL, credentials.
/// Cheap to clone.
#[derive(Debug, Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth_header: HeaderName,
    auth_value: Secret,
    scheme: &'static AuthScheme,
    authorizer: Option<Arc<dyn Authorizer>>,
}

/// Configures a [`Transport`]; generated `ClientBuilder`s wrap it.
#[derive(Debug)]
pub struct TransportBuilder {
    base_url: String,
    scheme: &'static AuthScheme,
    access_token: Option<Secret>,
    token_error: bool,
    connect_timeout: Duration,
    timeout: Duration,
    authorizer: Option<Arc<dyn Authorizer>>,
}

impl TransportBuilder {
    /// A builder for a service with this auth scheme, sending to `base_url`.
    pub fn new(base_url: &str, scheme: &'static AuthScheme) -> Self {
        TransportBuilder {
            base_url: base_url.to_owned(),
            scheme,
            access_token: None,
            token_error: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            authorizer: None,
        }
    }

    /// Checks every call with `authorizer` before sending it; a denied call fails locally.
    pub fn preflight(mut self, authorizer: impl Authorizer + 'static) -> Self {
        self.authorizer = Some(Arc::new(authorizer));
        self
    }

    /// Sends requests to another base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with this access token.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        let value = format!("{}{}", self.scheme.prefix, token.into());
        match HeaderValue::from_str(&value) {
            Ok(mut v) => {
                v.set_sensitive(true);
                self.access_token = Some(Secret(v));
                self.token_error = false;
            }
            Err(_) => self.token_error = true,
        }
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    ///
    /// See [`BuildError`].
    pub fn build(self) -> Result<Transport, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let valid = base_url
            .split_once("://")
            .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && !rest.is_empty());
        if !valid {
            return Err(BuildError::BaseUrl(self.base_url));
        }
        if self.token_error {
            return Err(BuildError::InvalidToken);
        }
        let auth_value = self.access_token.ok_or(BuildError::NoCredentials)?;
        let auth_header = HeaderName::from_static_lowercase(self.scheme.header);
        let http = reqwest::Client::builder()
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(BuildError::Http)?;
        Ok(Transport { inner: Arc::new(Inner {
            http,
            base_url,
            auth_header,
            auth_value,
            scheme: self.scheme,
            authorizer: self.authorizer,
        }) })
    }
}

trait HeaderNameExt {
    fn from_static_lowercase(name: &'static str) -> HeaderName;
}

impl HeaderNameExt for HeaderName {
    /// Header names in specs are written as documented (`Authorization`); HTTP wants lowercase.
    fn from_static_lowercase(name: &'static str) -> HeaderName {
        HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes()).unwrap_or(reqwest::header::AUTHORIZATION)
    }
}

impl Transport {
    /// Sends `request` and decodes a JSON success body as `T`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send_json<T: DeserializeOwned, E: DeserializeOwned>(&self, request: Request) -> Result<T, Error<E>> {
        let info = request.info;
        let bytes = self.execute(request).await?;
        let decode_error = |path: String, message: String| Error::Decode { operation: info.name, path, message };
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| decode_error(e.path().to_string(), e.into_inner().to_string()))?;
        de.end().map_err(|e| decode_error(".".into(), e.to_string()))?;
        Ok(value)
    }

    /// Sends `request`, expecting no body worth decoding.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send_empty<E: DeserializeOwned>(&self, request: Request) -> Result<(), Error<E>> {
        self.execute(request).await.map(drop)
    }

    async fn execute<E: DeserializeOwned>(&self, request: Request) -> Result<Vec<u8>, Error<E>> {
        let info = request.info;
        if let Some(authorizer) = &self.inner.authorizer {
            authorizer.authorize(info).map_err(Error::Denied)?;
        }
        let url = format!("{}{}", self.inner.base_url, request.path_and_query());
        let method = match info.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .inner
            .http
            .request(method, url)
            .header(ACCEPT, "application/json")
            .header(self.inner.auth_header.clone(), self.inner.auth_value.0.clone());
        if let Some(body) = request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body);
        }
        let fail = |source| Error::Request { operation: info.name, source };
        let response = builder.send().await.map_err(fail)?;
        let status = response.status();
        let correlation_id = self
            .inner
            .scheme
            .correlation_header
            .and_then(|h| response.headers().get(h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(fail)?.to_vec();
        if status.is_success() {
            return Ok(bytes);
        }
        Err(Error::Api(ApiError {
            operation: info.name,
            status: status.as_u16(),
            body: serde_json::from_slice(&bytes).ok(),
            raw: String::from_utf8_lossy(&bytes).into_owned(),
            correlation_id,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("x?y#z%"), "x%3Fy%23z%25");
        assert_eq!(encode_path_segment("a b"), "a%20b");
        assert_eq!(encode_path_segment("ok-id_1.2~"), "ok-id_1.2~");
    }
}
