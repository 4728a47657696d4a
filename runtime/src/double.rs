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

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

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

/// How a paged operation's pages carry their items and say where the next one is, by wire
/// names: what a [`PagedDouble`] needs to serve a list page by page as the API does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// The field holding a page's items.
    pub items: &'static str,
    /// How the next page is asked for.
    pub style: PageStyle,
}

/// How the client asks for the next page, by wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `?parameter=N` numbers the pages from 1; `page_count`, when the page has it, counts them.
    PageNumber {
        /// The query parameter.
        parameter: &'static str,
        /// The field counting the pages.
        page_count: Option<&'static str>,
    },
    /// `?parameter=cursor`, the cursor read from the field at `next` (through nested objects).
    Cursor {
        /// The query parameter.
        parameter: &'static str,
        /// The path from the page to the cursor.
        next: &'static [&'static str],
    },
    /// The field `next_uri` holds a link whose query parameter `parameter` is the next cursor,
    /// which the client sends as the same parameter.
    NextUri {
        /// The query parameter, in the link and in the next request.
        parameter: &'static str,
        /// The field holding the link.
        next_uri: &'static str,
    },
}

/// A list being served page by page for one operation.
struct Served {
    pages: Pages,
    items: Vec<serde_json::Value>,
    size: usize,
}

impl Served {
    /// The page a request with `query` asks for, on `base` (the operation's example page, for
    /// its other fields), as the API would send it.
    fn page(
        &self,
        base: Option<&str>,
        path: &str,
        query: &[(String, String)],
    ) -> serde_json::Value {
        let size = self.size.max(1);
        let asked = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut page = base
            .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        let start = match self.pages.style {
            PageStyle::PageNumber { parameter, .. } => asked(parameter)
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n >= 1)
                .map_or(0, |n| (n - 1).saturating_mul(size)),
            PageStyle::Cursor { parameter, .. } | PageStyle::NextUri { parameter, .. } => {
                asked(parameter)
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(0)
            }
        };
        let end = start.saturating_add(size).min(self.items.len());
        let items = self
            .items
            .get(start..end)
            .map(<[_]>::to_vec)
            .unwrap_or_default();
        let next = (end < self.items.len()).then(|| end.to_string());
        set(
            &mut page,
            &[self.pages.items],
            Some(serde_json::Value::Array(items)),
        );
        match self.pages.style {
            PageStyle::PageNumber {
                page_count: Some(field),
                ..
            } => {
                set(
                    &mut page,
                    &[field],
                    Some(serde_json::json!(self.items.len().div_ceil(size).max(1))),
                );
            }
            PageStyle::PageNumber {
                page_count: None, ..
            } => {}
            PageStyle::Cursor { next: path, .. } => {
                set(&mut page, path, next.map(serde_json::Value::from))
            }
            PageStyle::NextUri {
                parameter,
                next_uri,
            } => {
                let link = next.map(|n| serde_json::Value::from(format!("{path}?{parameter}={n}")));
                set(&mut page, &[next_uri], link);
            }
        }
        page
    }
}

/// Sets (or, with `None`, removes) the field at `path` in `value`, making objects on the way.
fn set(value: &mut serde_json::Value, path: &[&str], to: Option<serde_json::Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = value;
    for key in parents {
        let Some(object) = current.as_object_mut() else {
            return;
        };
        current = object.entry(*key).or_insert_with(|| serde_json::json!({}));
    }
    if let Some(object) = current.as_object_mut() {
        match to {
            Some(v) => {
                object.insert((*last).to_owned(), v);
            }
            None => {
                object.remove(*last);
            }
        }
    }
}

/// Which requests a script applies to: every call of an operation, or one request of it.
type Target = (&'static str, Option<usize>);

/// One request as the client sends it, for matching: path and query as on the wire, the
/// operation's header parameters, JSON body.
#[derive(Debug, Clone, PartialEq)]
struct Exact {
    path: String,
    query: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Option<serde_json::Value>,
}

#[derive(Default)]
struct State {
    authorizer: Option<Arc<dyn Authorizer>>,
    /// The requests given to `on`, by index.
    exact: Vec<Exact>,
    once: HashMap<Target, VecDeque<Answer>>,
    standing: HashMap<Target, Answer>,
    token_once: VecDeque<Answer>,
    recorded: Vec<(Recorded, Exact)>,
    unmatched: Vec<String>,
    served: HashMap<&'static str, Served>,
}

impl State {
    /// The scripted answer for a call of `operation` received as `exact`: one given for that
    /// very request first (in the order the requests were given), then one for the operation.
    fn scripted(&mut self, operation: &'static str, exact: &Exact) -> Option<Answer> {
        let requests = self
            .exact
            .iter()
            .enumerate()
            .filter(|(_, e)| *e == exact)
            .map(|(i, _)| Some(i));
        let targets: Vec<Target> = requests.chain([None]).map(|i| (operation, i)).collect();
        for target in targets {
            if let Some(answer) = self.once.get_mut(&target).and_then(VecDeque::pop_front) {
                return Some(answer);
            }
            if let Some(answer) = self.standing.get(&target) {
                return Some(answer.clone());
            }
        }
        None
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

/// How a test scripts and inspects one operation of a [`MockApi`]: answers typed by what the
/// operation returns (`T`) and fails with (`E`), calls typed by its body (`B`).
#[must_use]
pub struct OperationDouble<'a, T, B, E> {
    api: &'a MockApi,
    operation: &'static OperationInfo,
    /// The request given to `on`, when the double is of one request.
    request: Option<usize>,
    types: Types<T, B, E>,
}

/// The double of a paged operation: an [`OperationDouble`] that can also serve a list of items
/// page by page, as the API pages it.
#[must_use]
pub struct PagedDouble<'a, T, B, E, I> {
    double: OperationDouble<'a, T, B, E>,
    pages: Pages,
    item: PhantomData<fn() -> I>,
}

impl<'a, T, B, E, I> std::ops::Deref for PagedDouble<'a, T, B, E, I> {
    type Target = OperationDouble<'a, T, B, E>;

    fn deref(&self) -> &Self::Target {
        &self.double
    }
}

impl<T, B, E, I> fmt::Debug for PagedDouble<'_, T, B, E, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PagedDouble")
            .field("operation", &self.double.operation.name)
            .field("pages", &self.pages)
            .finish()
    }
}

impl<T, B, E, I: Serialize> PagedDouble<'_, T, B, E, I> {
    /// From now on (unless a scripted answer comes first), serves `items` in pages of
    /// `page_size`, as the API pages them: by page number, cursor or next link, the last page
    /// saying it is the last. The client's own page size parameter is not consulted.
    pub fn serve_items(&self, items: &[I], page_size: usize) -> &Self {
        let items = items
            .iter()
            .filter_map(|i| serde_json::to_value(i).ok())
            .collect();
        let served = Served {
            pages: self.pages,
            items,
            size: page_size,
        };
        self.double
            .api
            .state()
            .served
            .insert(self.double.operation.name, served);
        self
    }
}

/// What an [`OperationDouble`] is typed by, holding none of it.
type Types<T, B, E> = PhantomData<fn() -> (T, B, E)>;

impl<T, B, E> OperationDouble<'_, T, B, E> {
    fn target(&self) -> Target {
        (self.operation.name, self.request)
    }
}

impl<T, B, E> fmt::Debug for OperationDouble<'_, T, B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationDouble")
            .field("operation", &self.operation.name)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize, B: DeserializeOwned, E: Serialize> OperationDouble<'_, T, B, E> {
    /// From now on, answers `200` with `body`: as JSON, or, for an operation that answers text,
    /// as that text with its media type.
    pub fn returns(&self, body: &T) -> &Self {
        match serde_json::to_value(body) {
            Ok(serde_json::Value::String(text)) if self.operation.answers_text() => {
                self.answer(Answer::text(200, self.operation, text))
            }
            _ => self.answer(Answer::json(200, body)),
        }
    }

    /// From now on, answers `status` with the service's error body `body`.
    pub fn fails(&self, status: u16, body: &E) -> &Self {
        self.answer(Answer::json(status, body))
    }

    /// From now on, gives this answer (any status, headers, body, delay).
    pub fn answer(&self, answer: Answer) -> &Self {
        self.api.state().standing.insert(self.target(), answer);
        self
    }

    /// Gives this answer to the next call only; one-off answers queue before the standing one
    /// (a `429` then a success: `.answer_once(Answer::too_many_requests(..))`).
    pub fn answer_once(&self, answer: Answer) -> &Self {
        self.api
            .state()
            .once
            .entry(self.target())
            .or_default()
            .push_back(answer);
        self
    }

    /// The calls so far (of the operation, or of the one request), bodies decoded as the
    /// operation's body type.
    pub fn calls(&self) -> Vec<Call<B>> {
        let state = self.api.state();
        let request = self.request.and_then(|i| state.exact.get(i));
        state
            .recorded
            .iter()
            .filter(|(r, exact)| {
                r.operation.name == self.operation.name && request.is_none_or(|e| e == exact)
            })
            .map(|(r, _)| Call {
                path: r.path.clone(),
                query: r.query.clone(),
                headers: r.headers.clone(),
                body: r.body.clone().and_then(|b| serde_json::from_value(b).ok()),
            })
            .collect()
    }
}

struct Responder {
    service: ServiceDouble,
    state: Arc<Mutex<State>>,
}

impl Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let path = request.url.path();
        if request.method.as_str() == "POST" && self.service.token_paths.contains(&path) {
            let token = serde_json::json!({"access_token": "double-token", "token_type": "bearer", "expires_in": 86400});
            return state
                .token_once
                .pop_front()
                .unwrap_or_else(|| Answer::json(200, &token))
                .template();
        }
        let Some((operation, params)) =
            route(self.service.operations, request.method.as_str(), path)
        else {
            state.unmatched.push(format!("{} {path}", request.method));
            let message = format!("no documented operation is {} {path}", request.method);
            return Answer::json(404, &(self.service.not_found)(&message)).template();
        };
        let body: Option<serde_json::Value> = serde_json::from_slice(&request.body).ok();
        // Only the operation's own header parameters: the client's headers are not the call's.
        let headers: Vec<(&'static str, String)> = operation
            .headers
            .iter()
            .filter_map(|name| {
                request
                    .headers
                    .get(*name)
                    .map(|v| (*name, String::from_utf8_lossy(v.as_bytes()).into_owned()))
            })
            .collect();
        let received = Exact {
            path: path.to_owned(),
            query: request.url.query().map(str::to_owned),
            headers: headers.clone(),
            body: body.clone(),
        };
        let query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let recorded = Recorded {
            operation,
            path: params,
            query: query.clone(),
            headers,
            body,
        };
        state.recorded.push((recorded, received.clone()));
        if let Some(denial) = state
            .authorizer
            .as_ref()
            .and_then(|a| a.authorize(operation).err())
        {
            return Answer::json(403, &(self.service.denied)(&denial)).template();
        }
        if let Some(answer) = state.scripted(operation.name, &received) {
            return answer.template();
        }
        let example = (self.service.default_answer)(operation.name);
        if let Some(served) = state.served.get(operation.name) {
            return Answer::json(
                200,
                &served.page(example.and_then(|e| e.json), path, &query),
            )
            .template();
        }
        match example {
            Some(Example {
                status,
                json: Some(body),
            }) if operation.answers_text() => Answer::text(
                status,
                operation,
                serde_json::from_str::<String>(body).unwrap_or_default(),
            )
            .template(),
            Some(Example {
                status,
                json: Some(body),
            }) => Answer::status(status)
                .with_header("content-type", "application/json")
                .with_body(body)
                .template(),
            Some(Example { status, json: None }) => Answer::status(status).template(),
            None => Answer::status(200).template(),
        }
    }
}

/// `request` as the double receives it: the URL parser's path and query (so percent-encoding
/// compares as the server sees it), the header parameters by the operation's names for them,
/// and the body as JSON.
fn exact(request: &Request) -> Exact {
    let body = request.body().and_then(|b| serde_json::from_slice(b).ok());
    let sent: Vec<(&str, &[u8])> = request.headers().collect();
    let headers = request
        .operation()
        .headers
        .iter()
        .filter_map(|name| {
            sent.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| (*name, String::from_utf8_lossy(v).into_owned()))
        })
        .collect();
    match reqwest::Url::parse(&format!("http://double{}", request.path_and_query())) {
        Ok(url) => Exact {
            path: url.path().to_owned(),
            query: url.query().map(str::to_owned),
            headers,
            body,
        },
        Err(_) => Exact {
            path: request.path_and_query(),
            query: None,
            headers,
            body,
        },
    }
}

/// Path parameters by their names in the template, decoded.
pub(crate) type PathParams = Vec<(&'static str, String)>;

/// The operation `method path` calls, with its path parameters decoded. Where templates
/// overlap (`/roles/default` and `/roles/{roleId}`), the one with a literal segment earliest
/// wins, as a server routes.
fn route(
    operations: &[&'static OperationInfo],
    method: &str,
    path: &str,
) -> Option<(&'static OperationInfo, PathParams)> {
    // The best match so far: which of its segments are literal, the operation, its parameters.
    let mut best: Option<(Vec<bool>, &'static OperationInfo, PathParams)> = None;
    for &op in operations.iter().filter(|op| op.method.as_str() == method) {
        let Some((literals, params)) = fit(op.path, path) else {
            continue;
        };
        if best.as_ref().is_none_or(|(l, _, _)| literals > *l) {
            best = Some((literals, op, params));
        }
    }
    best.map(|(_, op, params)| (op, params))
}

/// How `path` fits the path template `template` (each `{placeholder}` one non-empty segment):
/// which of its segments are literal, and the path parameters decoded; `None` when it does not
/// fit. The one template matcher of the doubles.
pub(crate) fn fit(template: &'static str, path: &str) -> Option<(Vec<bool>, PathParams)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let template: Vec<&'static str> = template.trim_start_matches('/').split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut literals = Vec::with_capacity(template.len());
    let mut params = Vec::new();
    for (t, s) in template.iter().zip(&segments) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(_) if s.is_empty() => return None,
            Some(name) => {
                literals.push(false);
                let value = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                params.push((name, value.into_owned()));
            }
            None if t != s => return None,
            None => literals.push(true),
        }
    }
    Some((literals, params))
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
