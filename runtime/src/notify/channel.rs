//! The channel operations (create a channel, set its subscriptions) sent through the
//! transport, and the WebSocket connection to a channel.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use serde::Deserialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::{ApiError, Error};
use crate::metadata::OperationInfo;
use crate::transport::{Request, Transport, encode_path_segment};

/// An open WebSocket to a channel.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Which of a service's operations manage its notification channels, and the service's
/// limits. Generated code declares one per service that has notifications.
#[derive(Debug)]
pub struct ChannelOperations {
    pub(crate) create: &'static OperationInfo,
    pub(crate) subscribe: &'static OperationInfo,
    pub(crate) topics_per_channel: usize,
    pub(crate) channels: usize,
}

impl ChannelOperations {
    /// `create` makes a channel (`POST`, answering `{id, connectUri, expires}`); `subscribe`
    /// replaces a channel's topics (`PUT` with the channel's id as its one path parameter, a
    /// body `[{"id": topic}]`, answering `{entities: [{id, state, rejectionReason}]}`). A
    /// channel holds at most `topics_per_channel` topics; at most `channels` channels are open
    /// at once.
    pub const fn new(
        create: &'static OperationInfo,
        subscribe: &'static OperationInfo,
        topics_per_channel: usize,
        channels: usize,
    ) -> Self {
        ChannelOperations {
            create,
            subscribe,
            topics_per_channel,
            channels,
        }
    }

    /// The most topics one channel holds.
    pub fn topics_per_channel(&self) -> usize {
        self.topics_per_channel
    }

    /// The most channels open at once.
    pub fn channels(&self) -> usize {
        self.channels
    }
}

/// A notification channel of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Channel {
    /// The channel's id.
    pub id: String,
    /// The WebSocket URI its events arrive on (`wss://streaming.…/channels/{id}`).
    pub connect_uri: String,
    /// When the service said the channel expires (ISO-8601), as it said it. Subscribing again
    /// renews it; the subscription does that on its own.
    pub expires: Option<String>,
}

impl Channel {
    /// A channel known by its id and WebSocket URI, such as one created earlier.
    pub fn new(id: impl Into<String>, connect_uri: impl Into<String>) -> Self {
        Channel {
            id: id.into(),
            connect_uri: connect_uri.into(),
            expires: None,
        }
    }
}

/// Why a subscription could not be started or changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    /// A channel operation failed (the transport's error: status, body, correlation id).
    #[error(transparent)]
    Api(Box<Error<serde_json::Value>>),
    /// A channel operation's answer lacks what the subscription needs.
    #[error("{operation}: the answer has no `{field}`")]
    Answer {
        /// The operation's name.
        operation: &'static str,
        /// The missing field's wire name.
        field: &'static str,
    },
    /// The channel's WebSocket could not be opened.
    #[error("cannot connect to the channel's WebSocket {uri}: {message}")]
    Connect {
        /// The URI tried.
        uri: String,
        /// The handshake's HTTP status, when the server answered with one.
        status: Option<u16>,
        /// What went wrong.
        message: String,
    },
    /// More topics than the service's channels can hold together.
    #[error(
        "{topics} topics need more than {channels} channels of {per_channel} topics, the most the service allows"
    )]
    TooManyTopics {
        /// The topics asked for.
        topics: usize,
        /// The most topics one channel holds.
        per_channel: usize,
        /// The most channels open at once.
        channels: usize,
    },
    /// The subscription was closed.
    #[error("the subscription is closed")]
    Closed,
}

impl NotifyError {
    /// Whether the error says that the channel no longer exists on the service.
    pub fn is_channel_gone(&self) -> bool {
        match self {
            NotifyError::Api(e) => matches!(
                **e,
                Error::Api(ApiError {
                    status: 404 | 410,
                    ..
                })
            ),
            NotifyError::Connect { status, .. } => matches!(status, Some(404 | 410)),
            _ => false,
        }
    }
}

impl From<Error<serde_json::Value>> for NotifyError {
    fn from(e: Error<serde_json::Value>) -> Self {
        NotifyError::Api(Box::new(e))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChannelAnswer {
    id: Option<String>,
    connect_uri: Option<String>,
    expires: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TopicAnswer {
    id: Option<String>,
    state: Option<String>,
    rejection_reason: Option<String>,
}

#[derive(Deserialize)]
struct Topics {
    #[serde(default)]
    entities: Vec<TopicAnswer>,
}

/// Creates a channel.
pub(crate) async fn create(
    transport: &Transport,
    ops: &ChannelOperations,
) -> Result<Channel, NotifyError> {
    let info = ops.create;
    let answer: ChannelAnswer = transport
        .send_json(Request::new(info, info.path.to_owned()))
        .await?;
    let missing = |field| NotifyError::Answer {
        operation: info.name,
        field,
    };
    Ok(Channel {
        id: answer.id.ok_or_else(|| missing("id"))?,
        connect_uri: answer.connect_uri.ok_or_else(|| missing("connectUri"))?,
        expires: answer.expires,
    })
}

/// Replaces the channel's topics with `topics` (which also renews the channel); returns the
/// topics the service refused, with its reasons.
pub(crate) async fn subscribe(
    transport: &Transport,
    ops: &ChannelOperations,
    channel: &str,
    topics: &[String],
) -> Result<Vec<(String, String)>, NotifyError> {
    let info = ops.subscribe;
    // An id that is not one path segment ("", "..") is not a channel id.
    let segment = encode_path_segment(channel, "channel").map_err(|_| NotifyError::Answer {
        operation: ops.create.name,
        field: "id",
    })?;
    let mut request = Request::new(info, fill_path(info.path, &segment));
    let body: Vec<serde_json::Value> = topics
        .iter()
        .map(|t| serde_json::json!({ "id": t }))
        .collect();
    request.json(&body);
    let answer: Topics = transport.send_json(request).await?;
    Ok(answer
        .entities
        .into_iter()
        .filter(|t| {
            t.state
                .as_deref()
                .is_some_and(|s| !s.eq_ignore_ascii_case("permitted"))
        })
        .map(|t| {
            (
                t.id.unwrap_or_default(),
                t.rejection_reason.unwrap_or_else(|| "rejected".to_owned()),
            )
        })
        .collect())
}

/// `path` with its one placeholder (`{channelId}`) replaced by `segment`.
fn fill_path(path: &str, segment: &str) -> String {
    let parts = path
        .split_once('{')
        .and_then(|(head, rest)| Some((head, rest.split_once('}')?.1)));
    match parts {
        Some((head, tail)) => format!("{head}{segment}{tail}"),
        None => path.to_owned(),
    }
}

/// How a connection is opened and held.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub(crate) connect_timeout: Duration,
    pub(crate) max_frame_bytes: usize,
}

/// Opens the channel's WebSocket, authenticated like the API calls. The token only goes over
/// `wss://`, or `ws://` to a loopback host (the test doubles).
pub(crate) async fn connect(
    transport: &Transport,
    ops: &ChannelOperations,
    channel: &Channel,
    limits: &Limits,
) -> Result<Socket, NotifyError> {
    let uri = channel.connect_uri.clone();
    let refuse = |status, message: String| NotifyError::Connect {
        uri: uri.clone(),
        status,
        message,
    };
    let parsed = reqwest::Url::parse(&uri).map_err(|e| refuse(None, e.to_string()))?;
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "wss" => {}
        "ws" if loopback => {}
        scheme => {
            return Err(refuse(
                None,
                format!("`{scheme}:` is not a secure WebSocket: the token is not sent over it"),
            ));
        }
    }
    let (name, token) = transport.authorization(ops.create.name, None).await?;
    match handshake(&uri, (&name, &token), limits).await {
        // The token was refused: as with an API call, fetch a fresh one and try once more.
        Err(NotifyError::Connect {
            status: Some(401), ..
        }) => {
            let (name, fresh) = transport
                .authorization(ops.create.name, Some(&token))
                .await?;
            handshake(&uri, (&name, &fresh), limits).await
        }
        outcome => outcome,
    }
}

/// One WebSocket handshake with this auth header.
async fn handshake(
    uri: &str,
    (name, token): (&HeaderName, &HeaderValue),
    limits: &Limits,
) -> Result<Socket, NotifyError> {
    let refuse = |status, message: String| NotifyError::Connect {
        uri: uri.to_owned(),
        status,
        message,
    };
    let mut request = uri
        .into_client_request()
        .map_err(|e| refuse(None, e.to_string()))?;
    request.headers_mut().insert(name.clone(), token.clone());
    let config = WebSocketConfig::default()
        .max_message_size(Some(limits.max_frame_bytes))
        .max_frame_size(Some(limits.max_frame_bytes));
    let handshake = tokio_tungstenite::connect_async_with_config(request, Some(config), true);
    match tokio::time::timeout(limits.connect_timeout, handshake).await {
        Err(_) => Err(refuse(
            None,
            format!("no connection within {:?}", limits.connect_timeout),
        )),
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            let status = response.status().as_u16();
            Err(refuse(
                Some(status),
                format!("the server answered {status}"),
            ))
        }
        Ok(Err(e)) => Err(refuse(None, e.to_string())),
        Ok(Ok((socket, _))) => Ok(socket),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_channel_id_fills_the_one_placeholder() {
        assert_eq!(
            fill_path(
                "/api/v2/notifications/channels/{channelId}/subscriptions",
                "c%2F1"
            ),
            "/api/v2/notifications/channels/c%2F1/subscriptions"
        );
        assert_eq!(fill_path("/channels/{id}", "c1"), "/channels/c1");
        assert_eq!(fill_path("/channels", "c1"), "/channels");
        assert_eq!(fill_path("/channels}/{", "c1"), "/channels}/{");
    }

    #[test]
    fn only_a_missing_channel_is_channel_gone() {
        let api = |status| {
            NotifyError::from(Error::<serde_json::Value>::Api(ApiError {
                operation: "put",
                status,
                body: None,
                raw: String::new(),
                content_type: None,
                truncated: false,
                correlation_id: None,
                headers: Default::default(),
            }))
        };
        assert!(api(404).is_channel_gone() && api(410).is_channel_gone());
        assert!(!api(400).is_channel_gone() && !api(503).is_channel_gone());
        let connect = |status| NotifyError::Connect {
            uri: "ws://x".into(),
            status,
            message: String::new(),
        };
        assert!(connect(Some(404)).is_channel_gone() && connect(Some(410)).is_channel_gone());
        assert!(!connect(Some(401)).is_channel_gone() && !connect(None).is_channel_gone());
        assert!(!NotifyError::Closed.is_channel_gone());
    }
}
