//! A loopback double of a service's notifications: its channel operations (on HTTP) and its
//! streaming service (WebSocket), on which a test pushes events, heartbeats, the service's
//! `socket_closing` warning, malformed frames and disconnects, and expires channels.
//!
//! Point a client at [`StreamingDouble::uri`]; the channels it creates there connect back to
//! the double's WebSocket listener (`ws://127.0.0.1:…/channels/{id}`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Serialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{
    Callback, ErrorResponse, Request as Upgrade, Response as Accepted,
};
use tokio_tungstenite::tungstenite::http::StatusCode;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::channel::ChannelOperations;
use super::event::{HEARTBEAT_TOPIC, SOCKET_CLOSING_TOPIC};
use crate::double::fit;
use crate::topic::Topic;

/// What the double does to one open socket.
enum Out {
    Frame(String),
    /// A close frame, then the end of the connection.
    Close,
    /// The end of the connection without a close frame, as when a network drops.
    Drop,
}

struct Connection {
    channel: String,
    out: mpsc::UnboundedSender<Out>,
}

#[derive(Default)]
struct State {
    /// Channels by id: their topics, `None` once expired.
    channels: HashMap<String, Option<Vec<String>>>,
    created: u64,
    connections: HashMap<u64, Connection>,
    connects: u64,
    pings: u64,
    silent: bool,
    rejected: HashMap<String, String>,
    subscribe_calls: u64,
    authorizations: Vec<String>,
    /// The next handshakes refused, and with which status.
    refusals: Vec<u16>,
    pushed: u64,
    tasks: Vec<JoinHandle<()>>,
}

/// The double: an HTTP server for the channel operations and a WebSocket listener for the
/// channels. Stops when dropped.
pub struct StreamingDouble {
    http: MockServer,
    ws: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: JoinHandle<()>,
}

impl std::fmt::Debug for StreamingDouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingDouble")
            .field("uri", &self.http.uri())
            .finish_non_exhaustive()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl StreamingDouble {
    /// Starts the double of the service whose channel operations are `ops`.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound: the test cannot run.
    pub async fn start(ops: &'static ChannelOperations) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the WebSocket double");
        let ws = listener.local_addr().expect("the listener's address");
        let http = MockServer::start().await;
        let creating = Arc::clone(&state);
        Mock::given(method(ops.create.method.as_str()))
            .and(path(ops.create.path))
            .respond_with(move |_: &wiremock::Request| create(&creating, ws))
            .mount(&http)
            .await;
        let subscribing = Arc::clone(&state);
        Mock::given(method(ops.subscribe.method.as_str()))
            .and(Template(ops.subscribe.path))
            .respond_with(move |request: &wiremock::Request| subscribe(&subscribing, request))
            .mount(&http)
            .await;
        let accepting = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let task = tokio::spawn(serve(Arc::clone(&accepting), stream));
                lock(&accepting).tasks.push(task);
            }
        });
        StreamingDouble {
            http,
            ws,
            state,
            accept,
        }
    }

    /// The base URL to build the client with.
    pub fn uri(&self) -> String {
        self.http.uri()
    }

    /// Sends an event of `topic` with `body` to every open socket whose channel subscribes to
    /// it; returns how many sockets it went to.
    pub fn push<T: Serialize>(&self, topic: &Topic<T>, body: &T) -> usize {
        self.push_json(
            topic.name(),
            serde_json::to_value(body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Sends an event of the topic named `topic` with any JSON body (one that does not fit the
    /// topic's type, say) to every open socket whose channel subscribes to it.
    pub fn push_json(&self, topic: &str, body: serde_json::Value) -> usize {
        let mut state = lock(&self.state);
        state.pushed += 1;
        let frame = envelope(topic, body, Some(state.pushed));
        let subscribed = |channel: &str| {
            state
                .channels
                .get(channel)
                .and_then(Option::as_ref)
                .is_some_and(|t| t.iter().any(|t| t == topic))
        };
        let targets: Vec<_> = state
            .connections
            .values()
            .filter(|c| subscribed(&c.channel))
            .map(|c| c.out.clone())
            .collect();
        targets
            .iter()
            .filter(|out| out.send(Out::Frame(frame.clone())).is_ok())
            .count()
    }

    /// Sends this text frame, as it is, to every open socket.
    pub fn send_frame(&self, frame: impl Into<String>) -> usize {
        let frame = frame.into();
        self.to_every_socket(|| Out::Frame(frame.clone()))
    }

    /// Sends an event of a topic the client did not subscribe to (`v2.unknown.…`) to every open
    /// socket.
    pub fn push_unsubscribed(&self, topic: &str, body: serde_json::Value) -> usize {
        self.send_frame(envelope(topic, body, None))
    }

    /// Sends the service's heartbeat to every open socket.
    pub fn heartbeat(&self) -> usize {
        self.send_frame(envelope(
            HEARTBEAT_TOPIC,
            serde_json::json!({ "message": "WebSocket Heartbeat" }),
            None,
        ))
    }

    /// Warns every open socket that the service is about to close it (`v2.system.socket_closing`).
    pub fn socket_closing(&self) -> usize {
        self.send_frame(envelope(
            SOCKET_CLOSING_TOPIC,
            serde_json::json!({ "message": "closing" }),
            None,
        ))
    }

    /// Ends every open connection without a close frame, as a network failure would.
    pub fn drop_connections(&self) -> usize {
        self.to_every_socket(|| Out::Drop)
    }

    /// Closes every open socket with a close frame.
    pub fn close_connections(&self) -> usize {
        self.to_every_socket(|| Out::Close)
    }

    /// Expires every channel: subscribing to it answers 404, connecting to it is refused with
    /// 404, and its open sockets are closed.
    pub fn expire_channels(&self) {
        self.expire_channels_quietly();
        self.close_connections();
    }

    /// Expires every channel as [`expire_channels`](Self::expire_channels) does, but leaves
    /// their sockets open: the client finds out when it next subscribes or connects.
    pub fn expire_channels_quietly(&self) {
        for topics in lock(&self.state).channels.values_mut() {
            *topics = None;
        }
    }

    /// The WebSocket URI of the channel `id` on this double.
    pub fn connect_uri(&self, id: &str) -> String {
        format!("ws://{}/channels/{id}", self.ws)
    }

    /// Stops (or resumes) answering pings, so that connections fall silent.
    pub fn go_silent(&self, silent: bool) {
        lock(&self.state).silent = silent;
    }

    /// Refuses the next `times` WebSocket handshakes with `status` (401: the token is refused).
    pub fn refuse_connects(&self, status: u16, times: usize) {
        lock(&self.state)
            .refusals
            .extend(std::iter::repeat_n(status, times));
    }

    /// Refuses `topic` with `reason` whenever a channel subscribes to it.
    pub fn reject(&self, topic: &str, reason: &str) {
        lock(&self.state)
            .rejected
            .insert(topic.to_owned(), reason.to_owned());
    }

    /// The channels that exist (not expired), by id.
    pub fn channels(&self) -> Vec<String> {
        let state = lock(&self.state);
        let mut ids: Vec<_> = state
            .channels
            .iter()
            .filter(|(_, t)| t.is_some())
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// How many channels were created.
    pub fn created(&self) -> u64 {
        lock(&self.state).created
    }

    /// The topics `channel` subscribes to.
    pub fn subscriptions(&self, channel: &str) -> Vec<String> {
        lock(&self.state)
            .channels
            .get(channel)
            .cloned()
            .flatten()
            .unwrap_or_default()
    }

    /// How many times a channel's topics were set.
    pub fn subscribe_calls(&self) -> u64 {
        lock(&self.state).subscribe_calls
    }

    /// How many sockets are open.
    pub fn connections(&self) -> usize {
        lock(&self.state).connections.len()
    }

    /// How many WebSocket handshakes succeeded.
    pub fn connects(&self) -> u64 {
        lock(&self.state).connects
    }

    /// How many pings arrived.
    pub fn pings(&self) -> u64 {
        lock(&self.state).pings
    }

    /// The `Authorization` header of each WebSocket handshake, in order.
    pub fn authorizations(&self) -> Vec<String> {
        lock(&self.state).authorizations.clone()
    }

    /// Waits (at most 10 s) until `condition` holds; whether it did.
    pub async fn until(&self, condition: impl Fn(&Self) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !condition(self) {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        true
    }

    fn to_every_socket(&self, out: impl Fn() -> Out) -> usize {
        lock(&self.state)
            .connections
            .values()
            .filter(|c| c.out.send(out()).is_ok())
            .count()
    }
}

impl Drop for StreamingDouble {
    fn drop(&mut self) {
        self.accept.abort();
        for task in lock(&self.state).tasks.drain(..) {
            task.abort();
        }
    }
}

/// A notification envelope, as the service sends it.
fn envelope(topic: &str, body: serde_json::Value, correlation: Option<u64>) -> String {
    let mut frame = serde_json::json!({ "topicName": topic, "version": "2", "eventBody": body });
    if let Some(n) = correlation {
        frame["metadata"] = serde_json::json!({ "CorrelationId": format!("double-{n}") });
    }
    frame.to_string()
}

/// Requests whose path fits a path template (see [`fit`]).
struct Template(&'static str);

impl wiremock::Match for Template {
    fn matches(&self, request: &wiremock::Request) -> bool {
        fit(self.0, request.url.path()).is_some()
    }
}

fn create(state: &Mutex<State>, ws: SocketAddr) -> ResponseTemplate {
    let mut state = lock(state);
    state.created += 1;
    let id = format!("channel-{}", state.created);
    state.channels.insert(id.clone(), Some(Vec::new()));
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "id": id,
        "connectUri": format!("ws://{ws}/channels/{id}"),
        "expires": "2026-12-08T00:00:00.000Z",
    }))
}

fn subscribe(state: &Mutex<State>, request: &wiremock::Request) -> ResponseTemplate {
    let mut state = lock(state);
    state.subscribe_calls += 1;
    let channel = request
        .url
        .path_segments()
        .and_then(|s| s.rev().nth(1))
        .unwrap_or_default()
        .to_owned();
    let Ok(body) = serde_json::from_slice::<Vec<serde_json::Value>>(&request.body) else {
        return ResponseTemplate::new(400).set_body_json(
            serde_json::json!({ "status": 400, "message": "the body is a list of topics" }),
        );
    };
    let topics: Vec<String> = body
        .iter()
        .filter_map(|t| t.get("id")?.as_str().map(str::to_owned))
        .collect();
    let rejected = state.rejected.clone();
    match state.channels.get_mut(&channel) {
        Some(Some(subscribed)) => {
            let entities: Vec<_> = topics
                .iter()
                .map(|t| match rejected.get(t) {
                    Some(reason) => serde_json::json!({ "id": t, "state": "Rejected", "rejectionReason": reason }),
                    None => serde_json::json!({ "id": t, "state": "Permitted" }),
                })
                .collect();
            *subscribed = topics.into_iter().filter(|t| !rejected.contains_key(t)).collect();
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "entities": entities }))
        }
        _ => ResponseTemplate::new(404)
            .set_body_json(serde_json::json!({ "status": 404, "code": "not.found", "message": "channel not found" })),
    }
}

/// The handshake's check: records the `Authorization` header, and refuses a channel that
/// does not exist with 404, as the service does.
struct Handshake<'a> {
    state: &'a Mutex<State>,
    channel: &'a mut String,
}

// A trait implementation rather than a closure: the error type is the library's.
impl Callback for Handshake<'_> {
    fn on_request(self, request: &Upgrade, response: Accepted) -> Result<Accepted, ErrorResponse> {
        let id = request
            .uri()
            .path()
            .strip_prefix("/channels/")
            .unwrap_or_default()
            .to_owned();
        let mut state = lock(self.state);
        let authorization = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        state.authorizations.push(authorization.to_owned());
        if !state.refusals.is_empty() {
            let status = state.refusals.remove(0);
            let mut refused = ErrorResponse::new(Some("refused".to_owned()));
            *refused.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
            return Err(refused);
        }
        if !matches!(state.channels.get(&id), Some(Some(_))) {
            let mut refused = ErrorResponse::new(Some("channel not found".to_owned()));
            *refused.status_mut() = StatusCode::NOT_FOUND;
            return Err(refused);
        }
        *self.channel = id;
        Ok(response)
    }
}

/// One WebSocket connection: the handshake (refused for a channel that does not exist), then
/// pings answered and the test's frames sent, until either side ends it.
async fn serve(state: Arc<Mutex<State>>, stream: TcpStream) {
    let mut channel = String::new();
    let handshake = tokio_tungstenite::accept_hdr_async(
        stream,
        Handshake {
            state: &state,
            channel: &mut channel,
        },
    );
    let Ok(socket) = handshake.await else { return };
    let (out, mut outgoing) = mpsc::unbounded_channel();
    let key = {
        let mut state = lock(&state);
        state.connects += 1;
        let key = state.connects;
        state.connections.insert(key, Connection { channel, out });
        key
    };
    let (mut sink, mut incoming) = socket.split();
    loop {
        tokio::select! {
            message = incoming.next() => match message {
                Some(Ok(Message::Text(text))) if text.as_str().contains("\"ping\"") => {
                    let answer = {
                        let mut state = lock(&state);
                        state.pings += 1;
                        (!state.silent).then(|| envelope(HEARTBEAT_TOPIC, serde_json::json!({ "message": "pong" }), None))
                    };
                    let sent = match answer {
                        Some(pong) => sink.send(Message::text(pong)).await,
                        None => Ok(()),
                    };
                    if sent.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            command = outgoing.recv() => match command {
                Some(Out::Frame(frame)) => {
                    if sink.send(Message::text(frame)).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close) => {
                    let _ = sink.close().await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
        }
    }
    lock(&state).connections.remove(&key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subscription_path_is_matched_by_its_template() {
        let template = Template("/api/v2/notifications/channels/{channelId}/subscriptions");
        let request = |path: &str| wiremock::Request {
            url: format!("http://127.0.0.1{path}").parse().unwrap(),
            method: http::Method::PUT,
            headers: http::HeaderMap::new(),
            body: Vec::new(),
        };
        use wiremock::Match as _;
        assert!(template.matches(&request("/api/v2/notifications/channels/c-1/subscriptions")));
        assert!(!template.matches(&request("/api/v2/notifications/channels//subscriptions")));
        assert!(!template.matches(&request("/api/v2/notifications/channels/a/b/subscriptions")));
    }
}
