//! A success response as a whole: status and headers with the decoded body.

use reqwest::header::HeaderMap;

/// A decoded body with the status and headers it came with: what `send_with_response()`
/// returns. The headers carry what the body does not: `ETag` (for an `If-Match` update),
/// `Location`, the rate-limit headers, the service's correlation id.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The service's correlation id (Genesys `ININ-Correlation-Id`), from its correlation
    /// header, when it sent one: what the vendor's support asks for.
    pub correlation_id: Option<String>,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: u16,
        headers: HeaderMap,
        correlation_id: Option<String>,
        body: T,
    ) -> Self {
        Response {
            status,
            headers,
            correlation_id,
            body,
        }
    }

    /// A header's value as text, when it is present and visible ASCII (`response.header("etag")`;
    /// names are case-blind).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            correlation_id: self.correlation_id,
            body: f(self.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_as_text_and_bodies_map() {
        let mut headers = HeaderMap::new();
        headers.insert("etag", "\"v1\"".parse().unwrap());
        headers.insert(
            "x-bytes",
            reqwest::header::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        );
        let response = Response::new(201, headers, Some("c".into()), 2);
        assert_eq!(
            (
                response.header("ETag"),
                response.header("x-bytes"),
                response.header("none")
            ),
            (Some("\"v1\""), None, None)
        );
        let mapped = response.map(|n| n * 10);
        assert_eq!(
            (mapped.status, mapped.correlation_id.as_deref()),
            (201, Some("c"))
        );
        assert_eq!(mapped.into_body(), 20);
    }
}
