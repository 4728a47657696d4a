//! The escape hatch: a request by method and path for an endpoint the client has no operation
//! for, sent through the same transport as every operation.

use std::fmt::Display;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::Error;
use super::metadata::{Method, OperationInfo, Requirement};
use super::response::Response;
use super::transport::{Request, Transport, decode, decode_text};

/// What a raw request is, for logs, hooks and the pre-flight check: its method, no known
/// requirement (the check lets it through; the API decides).
const fn info(name: &'static str, method: Method) -> OperationInfo {
    OperationInfo::new(
        "raw",
        "raw",
        name,
        method,
        "(raw)",
        Requirement::Undocumented,
    )
}

static GET: OperationInfo = info("raw GET", Method::Get);
static POST: OperationInfo = info("raw POST", Method::Post);
static PUT: OperationInfo = info("raw PUT", Method::Put);
static PATCH: OperationInfo = info("raw PATCH", Method::Patch);
static DELETE: OperationInfo = info("raw DELETE", Method::Delete);
static HEAD: OperationInfo = info("raw HEAD", Method::Head);

/// A request by method and path (`client.raw(Method::Get, "/api/v2/new/thing")`), for an
/// endpoint newer than this crate or one it does not describe. It goes through the client's
/// base URL, tokens (refresh included), retry policy (by the method's idempotency), limits,
/// redirect policy and hooks, and answers with status and headers beside the body.
///
/// `E` is the service's error model: an error status decodes into `Error::Api` as for any
/// operation.
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<E> {
    transport: Transport,
    request: Request,
    invalid: Option<String>,
    error_model: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for RawRequest<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRequest")
            .field("request", &self.request)
            .field("invalid", &self.invalid)
            .finish_non_exhaustive()
    }
}

impl<E: DeserializeOwned + Serialize> RawRequest<E> {
    pub(crate) fn new(transport: Transport, method: Method, path: &str) -> Self {
        let info = match method {
            Method::Get => &GET,
            Method::Post => &POST,
            Method::Put => &PUT,
            Method::Patch => &PATCH,
            Method::Delete => &DELETE,
            Method::Head => &HEAD,
        };
        RawRequest {
            transport,
            request: Request::new(info, path.to_owned()),
            invalid: check_path(path),
            error_model: PhantomData,
        }
    }

    /// Appends `key=value` to the query string (both percent-encoded); repeat the key for a list.
    pub fn query(mut self, key: &str, value: impl Display) -> Self {
        self.request.query(key, &value);
        self
    }

    /// Sends a header. A value that cannot be sent in a header fails the call with
    /// `Error::InvalidHeader`; the client's own (`Accept`, `Content-Type`, the token header)
    /// cannot be replaced.
    pub fn header(mut self, name: &'static str, value: impl Display) -> Self {
        self.request.header(name, &value);
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.request.json(body);
        self
    }

    /// Sends the request and decodes a JSON success body as `T` (`serde_json::Value` for any).
    ///
    /// # Errors
    ///
    /// As any operation's: [`Error`].
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<Response<T>, Error<E>> {
        let name = self.request.operation().name;
        self.send().await?.decoded(|bytes| decode(name, &bytes))
    }

    /// Sends the request and returns a text success body as it arrived.
    ///
    /// # Errors
    ///
    /// As [`send_json`](Self::send_json); a body that is not UTF-8 is `Error::Decode`.
    pub async fn send_text(self) -> Result<Response<String>, Error<E>> {
        let name = self.request.operation().name;
        self.send().await?.decoded(|bytes| decode_text(name, bytes))
    }

    /// Sends the request, ignoring any success body.
    ///
    /// # Errors
    ///
    /// As [`send_json`](Self::send_json).
    pub async fn send_empty(self) -> Result<Response<()>, Error<E>> {
        self.send().await?.decoded(|_| Ok(()))
    }

    async fn send(self) -> Result<super::transport::Received, Error<E>> {
        if let Some(reason) = self.invalid {
            return Err(Error::InvalidRequest {
                operation: self.request.operation().name,
                reason,
            });
        }
        self.transport.execute(self.request).await
    }
}

/// Why `path` cannot be sent as a raw request's path, if it cannot: it must be absolute and
/// made of what a URL path holds (already percent-encoded), with the query given apart.
fn check_path(path: &str) -> Option<String> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Some(format!(
            "the path {path:?} does not start with a single `/`"
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:@".contains(c);
    match path.chars().find(|c| !allowed(*c)) {
        Some('?' | '#') => Some(format!(
            "the path {path:?} carries a query or fragment: give the query with `query`"
        )),
        Some(c) => Some(format!(
            "the path {path:?} contains {c:?}: percent-encode it"
        )),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_request() {
        static SCHEME: crate::AuthScheme =
            crate::AuthScheme::new("Authorization", "Bearer ", &[], None);
        let transport = crate::TransportBuilder::new("http://127.0.0.1:9", &SCHEME)
            .access_token("secret-token")
            .build()
            .unwrap();
        let shown = format!(
            "{:?}",
            transport
                .raw::<serde_json::Value>(Method::Get, "/a b")
                .query("k", 1)
        );
        assert!(
            shown.contains("RawRequest")
                && shown.contains("?k=1")
                && shown.contains("percent-encode"),
            "{shown}"
        );
        assert!(!shown.contains("secret-token"), "{shown}");
    }

    #[test]
    fn paths_are_absolute_and_encoded() {
        assert_eq!(check_path("/api/v2/users/a%2Fb"), None);
        assert_eq!(check_path("/api/v2/things/x:y@z"), None);
        for bad in [
            "api/v2",
            "//evil.example/x",
            "/a b",
            "/a?b=1",
            "/a#f",
            "/ü",
            "/a\r\nX: y",
        ] {
            assert!(check_path(bad).is_some(), "{bad}");
        }
    }
}
