//! Test doubles: a loopback server that answers every documented operation of a service as the
//! API would, so a crate that depends on the client tests its own code without the network.
//!
//! Generated code wraps [`MockApi`] per service (its operations, its error model, its default
//! answers) and gives each operation an [`OperationDouble`] typed by what it returns, takes and
//! fails with. Requests are matched to operations by method and path template, as the client
//! builds them; each is recorded; an operation answers, in this order: 403 with the service's
//! error body when the double was given grants that do not meet its requirement, then its
//! scripted one-off answers, then its scripted standing answer, then its default answer (an
//! example of its documented return type).

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod operation;
mod paging;
mod respond;
mod state;

pub use self::operation::{OperationDouble, PagedDouble};
pub use self::paging::{PageStyle, Pages};
#[cfg(feature = "notifications")]
pub(crate) use self::respond::fit;
use self::respond::*;
use self::state::*;
use super::authorize::{Authorizer, Denial};
use super::metadata::OperationInfo;
use super::transport::{InvalidPathSegment, Request};

/// A request builder of a generated client, as a double matches it: `MockApi::on` takes one to
/// script the answers to exactly that request.
pub trait Prepared {
    /// What the operation returns.
    type Output;
    /// What it takes as its body (`()` for none).
    type Body;
    /// The request exactly as the client would send it.
    ///
    /// # Errors
    ///
    /// A path value the client refuses to send.
    fn prepare(&self) -> Result<Request, InvalidPathSegment>;
}

/// What a service's generated double tells the runtime about the service.
#[derive(Clone, Copy)]
pub struct ServiceDouble {
    /// Every operation the double answers (the service's `OPERATIONS`).
    pub operations: &'static [&'static OperationInfo],
    /// The paths of the service's token endpoints on the double (`/oauth/token`).
    pub token_paths: &'static [&'static str],
    /// The service's error body for a denial (its error model, encoded).
    pub denied: fn(&Denial) -> serde_json::Value,
    /// The service's error body for a request that matches no operation.
    pub not_found: fn(&str) -> serde_json::Value,
    /// An operation's default answer, by operation name.
    pub default_answer: fn(&str) -> Option<Example>,
}

/// An operation's default answer: its success status and an example of its return type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The status (200, or 204 for an operation that returns nothing).
    pub status: u16,
    /// The example body, JSON; `None` for no body.
    pub json: Option<&'static str>,
}

impl fmt::Debug for ServiceDouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceDouble")
            .field("operations", &self.operations.len())
            .field("token_paths", &self.token_paths)
            .finish()
    }
}

/// One answer of the double: a status, headers, a body and how long to wait before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    delay: Duration,
}

impl Answer {
    /// An answer with this status and no body.
    pub fn status(status: u16) -> Self {
        Answer {
            status,
            headers: Vec::new(),
            body: None,
            delay: Duration::ZERO,
        }
    }

    /// An answer with this status and `body` as JSON.
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        // A value that does not encode (a map with non-string keys) is a bug of the test.
        let bytes = serde_json::to_vec(body).unwrap_or_else(|e| {
            format!("{{\"double\":\"the body did not encode: {e}\"}}").into_bytes()
        });
        Answer::status(status)
            .with_header("content-type", "application/json")
            .with_body(bytes)
    }

    /// `status` with `text` as the body, of the first media type `operation` accepts
    /// (`text/calendar`).
    pub fn text(status: u16, operation: &OperationInfo, text: String) -> Self {
        let media = operation
            .accept
            .split(',')
            .next()
            .unwrap_or("text/plain")
            .trim();
        Answer::status(status)
            .with_header("content-type", media)
            .with_body(text.into_bytes())
    }

    /// `429 Too Many Requests` asking the client to wait `after` (whole seconds, rounded up).
    pub fn too_many_requests(after: Duration) -> Self {
        let seconds = after.as_secs() + u64::from(after.subsec_nanos() > 0);
        Answer::status(429).with_header("retry-after", &seconds.to_string())
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the body with these bytes, as they are.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Waits this long before answering (a slow server).
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn template(&self) -> ResponseTemplate {
        let mut t = ResponseTemplate::new(self.status).set_delay(self.delay);
        for (name, value) in &self.headers {
            t = t.append_header(name.as_str(), value.as_str());
        }
        if let Some(body) = &self.body {
            t = t.set_body_raw(body.clone(), self.content_type());
        }
        t
    }

    fn content_type(&self) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map_or("application/octet-stream", |(_, v)| v.as_str())
    }
}

/// A request the double received for an operation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Recorded {
    /// The operation it matched.
    pub operation: &'static OperationInfo,
    /// Path parameters by their names in the path template, decoded.
    pub path: Vec<(&'static str, String)>,
    /// Query parameters in the order sent, decoded; a repeated key appears once per value.
    pub query: Vec<(String, String)>,
    /// The operation's header parameters that were sent, by the names it documents
    /// (`If-Match`).
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, when there was one.
    pub body: Option<serde_json::Value>,
}

/// A request recorded for an operation, with its body decoded as the operation's body type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Call<B> {
    /// Path parameters by their names in the path template, decoded.
    pub path: Vec<(&'static str, String)>,
    /// Query parameters in the order sent, decoded.
    pub query: Vec<(String, String)>,
    /// The operation's header parameters that were sent, by the names it documents.
    pub headers: Vec<(&'static str, String)>,
    /// The body, decoded as the operation's body type (`None`: no body, or one that does not
    /// decode as that type).
    pub body: Option<B>,
}

impl<B> Call<B> {
    /// The value of the path parameter `name` (its name in the path template).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value sent for the query parameter `key`, in order.
    pub fn query_values(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value sent for the header parameter `name` (case-blind, as HTTP is).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An error body of the service's error model `E`: `message`, `code` and `status` as the
/// vendor sends them, keeping only the fields `E` has.
pub fn error_body<E: Serialize + DeserializeOwned>(
    status: u16,
    code: &str,
    message: &str,
) -> serde_json::Value {
    let raw = serde_json::json!({"message": message, "code": code, "status": status});
    serde_json::from_value::<E>(raw.clone())
        .and_then(|e| serde_json::to_value(&e))
        .unwrap_or(raw)
}

/// A loopback server standing in for one service of the API. Dropping it stops it.
pub struct MockApi {
    server: MockServer,
    service: ServiceDouble,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for MockApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockApi")
            .field("uri", &self.server.uri())
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl MockApi {
    /// Starts a double of `service` on a free loopback port.
    pub async fn start(service: ServiceDouble) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(any())
            .respond_with(Responder {
                service,
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        MockApi {
            server,
            service,
            state,
        }
    }

    /// The base URL to give the client (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The URL of the double's first token endpoint, for a client's `token_url`.
    pub fn token_url(&self) -> String {
        format!(
            "{}{}",
            self.server.uri(),
            self.service
                .token_paths
                .first()
                .copied()
                .unwrap_or("/oauth/token")
        )
    }

    /// Answers every operation as the API would for a caller holding what `authorizer`
    /// allows (the same [`Grants`](crate::access::Grants) or
    /// [`CspCaller`](crate::access::CspCaller) a client's pre-flight check takes): an
    /// operation whose requirement is not met gets 403 with the service's error body.
    pub fn set_caller(&self, authorizer: impl Authorizer + 'static) {
        self.state().authorizer = Some(Arc::new(authorizer));
    }

    /// The next answer of the token endpoint, once (then the default: a valid token).
    pub fn token_answers_once(&self, answer: Answer) {
        self.state().token_once.push_back(answer);
    }

    /// Every request matched to an operation, in the order received.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.state()
            .recorded
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// `METHOD /path` of every request that matched no operation nor token endpoint.
    pub fn unmatched(&self) -> Vec<String> {
        self.state().unmatched.clone()
    }

    /// The double of one operation, typed by what it returns (`T`), takes as its body (`B`)
    /// and fails with (`E`). Generated code calls this; tests use the generated methods.
    pub fn operation<T, B, E>(
        &self,
        operation: &'static OperationInfo,
    ) -> OperationDouble<'_, T, B, E> {
        OperationDouble {
            api: self,
            operation,
            request: None,
            types: PhantomData,
        }
    }

    /// The double of a paged operation, whose pages look like `pages`. Generated code calls
    /// this; tests use the generated methods.
    pub fn paged<T, B, E, I>(
        &self,
        operation: &'static OperationInfo,
        pages: Pages,
    ) -> PagedDouble<'_, T, B, E, I> {
        PagedDouble {
            double: self.operation(operation),
            pages,
            item: PhantomData,
        }
    }

    /// The double of exactly this request of a generated client (the same parameters, encoded
    /// as the client encodes them, and body): its answers apply to that request only, before
    /// those of its operation.
    ///
    /// # Panics
    ///
    /// When the client would refuse to send the request (a path value of `""`, `.` or `..`).
    #[track_caller]
    pub fn on<R: Prepared, E>(&self, request: &R) -> OperationDouble<'_, R::Output, R::Body, E> {
        let prepared = match request.prepare() {
            Ok(prepared) => prepared,
            Err(e) => panic!("the client never sends this request: {e}"),
        };
        let exact = exact(&prepared);
        let mut state = self.state();
        // The same request given twice is one target: a later standing answer replaces the
        // earlier one, one-off answers queue behind each other.
        let index = match state.exact.iter().position(|e| *e == exact) {
            Some(index) => index,
            None => {
                state.exact.push(exact);
                state.exact.len() - 1
            }
        };
        OperationDouble {
            api: self,
            operation: prepared.operation(),
            request: Some(index),
            types: PhantomData,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Method, Requirement};

    static ITEM: OperationInfo = OperationInfo::new(
        "demo",
        "roles",
        "get_role",
        Method::Get,
        "/api/roles/{roleId}",
        Requirement::None,
    );
    static DEFAULT: OperationInfo = OperationInfo::new(
        "demo",
        "roles",
        "get_default",
        Method::Get,
        "/api/roles/default",
        Requirement::None,
    );
    static DELETE: OperationInfo = OperationInfo::new(
        "demo",
        "roles",
        "delete_role",
        Method::Delete,
        "/api/roles/{roleId}",
        Requirement::None,
    );
    static OPS: [&OperationInfo; 3] = [&ITEM, &DEFAULT, &DELETE];

    #[test]
    fn routes_by_method_and_template_literals_first() {
        let (op, params) = route(&OPS, "GET", "/api/roles/a%2Fb").unwrap();
        assert_eq!(
            (op.name, params),
            ("get_role", vec![("roleId", "a/b".to_owned())])
        );
        assert_eq!(
            route(&OPS, "GET", "/api/roles/default").unwrap().0.name,
            "get_default"
        );
        assert_eq!(
            route(&OPS, "DELETE", "/api/roles/default").unwrap().0.name,
            "delete_role"
        );
        assert!(route(&OPS, "GET", "/api/roles").is_none());
        assert!(
            route(&OPS, "GET", "/api/roles/").is_none(),
            "an empty segment is no value"
        );
        assert!(route(&OPS, "GET", "/api/roles/x/y").is_none());
        assert!(route(&OPS, "POST", "/api/roles/x").is_none());
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let header = |d| Answer::too_many_requests(d).headers[0].1.clone();
        assert_eq!(header(Duration::from_millis(1500)), "2");
        assert_eq!(header(Duration::from_secs(3)), "3");
        assert_eq!(Answer::too_many_requests(Duration::ZERO).status, 429);
    }
}
