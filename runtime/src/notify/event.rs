//! What a subscription's stream yields, and how a frame from the streaming service becomes it.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::topic::Topic;

/// The topic of the service's heartbeats and of its answers to a ping.
pub(crate) const HEARTBEAT_TOPIC: &str = "channel.metadata";
/// The topic of the service's warning that it is about to close the socket.
pub(crate) const SOCKET_CLOSING_TOPIC: &str = "v2.system.socket_closing";

/// Decodes one topic's event bodies into the topic's payload type, boxed.
pub(crate) type Decoder =
    Arc<dyn Fn(&RawValue) -> Result<Box<dyn Any + Send + Sync>, serde_json::Error> + Send + Sync>;

/// The decoders of the topics subscribed to, by topic name.
pub(crate) type Decoders = HashMap<String, Decoder>;

/// The decoder of `T`, the payload of a typed topic.
pub(crate) fn decoder<T: DeserializeOwned + Send + Sync + 'static>() -> Decoder {
    Arc::new(|raw: &RawValue| {
        serde_json::from_str::<T>(raw.get())
            .map(|value| Box::new(value) as Box<dyn Any + Send + Sync>)
    })
}

/// One item of a subscription's stream.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// An event of a topic: decoded when the topic is one subscribed to and its body decodes,
    /// raw JSON beside the reason otherwise.
    Notification(Notification),
    /// A frame that is not a notification envelope (not JSON, no `topicName`, a binary frame):
    /// delivered as it came rather than dropped.
    Malformed {
        /// The frame's text (binary frames are read as UTF-8, lossily).
        frame: String,
        /// Why it is not an envelope.
        error: String,
    },
    /// The service refused a topic when subscribing (missing permissions, unknown topic): no
    /// event of it will arrive.
    Rejected {
        /// The topic's name.
        topic: String,
        /// The service's reason.
        reason: String,
    },
    /// A channel's connection ended; the subscription reconnects and resubscribes on its own.
    /// Events the service sent in between are lost (the service does not replay them).
    Disconnected {
        /// The channel's id.
        channel: String,
        /// Why the connection ended.
        reason: Disconnect,
    },
    /// An attempt to reconnect failed; the next one follows after `retry_in`.
    ReconnectFailed {
        /// The channel's id, or `None` when a new channel could not be created.
        channel: Option<String>,
        /// What went wrong.
        error: String,
        /// The backoff before the next attempt.
        retry_in: Duration,
    },
    /// A connection is up again, its topics subscribed.
    Reconnected {
        /// The channel's id.
        channel: String,
        /// `true` when the old channel was gone (expired, removed) and a new one was created.
        new_channel: bool,
    },
    /// The consumer fell behind: `missed` events did not fit the buffer and were dropped (see
    /// [`Subscriber::buffer`](super::Subscriber::buffer)).
    Lagged {
        /// How many events were dropped since the last `Lagged`.
        missed: u64,
    },
}

/// Why a channel's connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Disconnect {
    /// The service warned that it would close the socket (`v2.system.socket_closing`): the
    /// subscription closed it and reconnects at once, before the service would.
    SocketClosing,
    /// The service closed the socket, or the connection ended.
    Closed,
    /// Nothing arrived (no event, heartbeat or pong) for this long: the connection was
    /// considered dead and dropped.
    Silent(Duration),
    /// The channel no longer exists on the service (it expired or was removed): a new one is
    /// created.
    ChannelGone,
    /// Reading or writing the socket failed.
    Failed(String),
}

impl fmt::Display for Disconnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Disconnect::SocketClosing => {
                f.write_str("the service announced that it would close the socket")
            }
            Disconnect::Closed => f.write_str("the connection was closed"),
            Disconnect::Silent(after) => write!(f, "nothing arrived for {after:?}"),
            Disconnect::ChannelGone => f.write_str("the channel no longer exists"),
            Disconnect::Failed(message) => write!(f, "the connection failed: {message}"),
        }
    }
}

/// An event of a topic: its name, metadata and body, decoded as the topic's payload type when
/// the topic is one subscribed to.
pub struct Notification {
    topic: String,
    version: Option<String>,
    metadata: Option<serde_json::Value>,
    body: Body,
}

enum Body {
    Decoded(Box<dyn Any + Send + Sync>),
    Undecodable {
        raw: Box<RawValue>,
        error: serde_json::Error,
    },
    Unknown(Box<RawValue>),
}

impl Notification {
    /// The topic the event came from (`v2.users.{id}.presence` filled in).
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The envelope's `version`, when it has one.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The envelope's `metadata` (the service puts a `CorrelationId` there).
    pub fn metadata(&self) -> Option<&serde_json::Value> {
        self.metadata.as_ref()
    }

    /// The metadata's `CorrelationId`, when there is one.
    pub fn correlation_id(&self) -> Option<&str> {
        self.metadata.as_ref()?.get("CorrelationId")?.as_str()
    }

    /// Whether the event came from `topic`.
    pub fn is<T>(&self, topic: &Topic<T>) -> bool {
        self.topic == topic.name()
    }

    /// The decoded payload, when the event came from `topic` and its body decoded as `T`.
    pub fn payload<T: 'static>(&self, topic: &Topic<T>) -> Option<&T> {
        match &self.body {
            Body::Decoded(value) if self.is(topic) => value.downcast_ref(),
            _ => None,
        }
    }

    /// The decoded payload, when the event came from `topic` and its body decoded as `T`;
    /// otherwise the notification back.
    ///
    /// # Errors
    ///
    /// The notification itself, unchanged, when it is not `topic`'s decoded event.
    pub fn into_payload<T: 'static>(self, topic: &Topic<T>) -> Result<T, Self> {
        if !self.is(topic) {
            return Err(self);
        }
        let Notification {
            topic,
            version,
            metadata,
            body,
        } = self;
        match body {
            Body::Decoded(value) => {
                value
                    .downcast::<T>()
                    .map(|value| *value)
                    .map_err(|value| Notification {
                        topic,
                        version,
                        metadata,
                        body: Body::Decoded(value),
                    })
            }
            body => Err(Notification {
                topic,
                version,
                metadata,
                body,
            }),
        }
    }

    /// Whether the body was decoded (the topic is one subscribed to and the body fits its type).
    pub fn is_decoded(&self) -> bool {
        matches!(self.body, Body::Decoded(_))
    }

    /// The body's JSON text when it was not decoded: a topic not subscribed to, or a body that
    /// does not fit the topic's type ([`decode_error`](Self::decode_error) says why).
    pub fn raw(&self) -> Option<&str> {
        match &self.body {
            Body::Decoded(_) => None,
            Body::Undecodable { raw, .. } | Body::Unknown(raw) => Some(raw.get()),
        }
    }

    /// Why the body of a subscribed topic did not decode as the topic's type.
    pub fn decode_error(&self) -> Option<&serde_json::Error> {
        match &self.body {
            Body::Undecodable { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Debug for Notification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Notification");
        s.field("topic", &self.topic)
            .field("version", &self.version)
            .field("metadata", &self.metadata);
        match &self.body {
            Body::Decoded(_) => s.field("body", &"decoded"),
            Body::Undecodable { raw, error } => s
                .field("raw", &raw.get())
                .field("decode_error", &error.to_string()),
            Body::Unknown(raw) => s.field("raw", &raw.get()).field("unknown_topic", &true),
        };
        s.finish()
    }
}

/// What one text frame from the streaming service is.
#[derive(Debug)]
pub(crate) enum Frame {
    /// A heartbeat, or the answer to a ping: proof of life, nothing to deliver.
    Heartbeat,
    /// The service's warning that it will close the socket.
    SocketClosing,
    /// Something to deliver.
    Deliver(Event),
}

/// The envelope every message of the streaming service comes in.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    topic_name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    metadata: Option<serde_json::Value>,
    event_body: Option<Box<RawValue>>,
}

/// Reads one text frame: classifies it, and decodes a notification's body with its topic's
/// decoder.
pub(crate) fn read_frame(text: &str, decoders: &Decoders) -> Frame {
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(e) => {
            return Frame::Deliver(Event::Malformed {
                frame: text.to_owned(),
                error: e.to_string(),
            });
        }
    };
    match envelope.topic_name.as_str() {
        HEARTBEAT_TOPIC => return Frame::Heartbeat,
        SOCKET_CLOSING_TOPIC => return Frame::SocketClosing,
        _ => {}
    }
    let raw = envelope
        .event_body
        .unwrap_or_else(|| RawValue::NULL.to_owned());
    let body = match decoders.get(&envelope.topic_name) {
        None => Body::Unknown(raw),
        Some(decode) => match decode(&raw) {
            Ok(value) => Body::Decoded(value),
            Err(error) => Body::Undecodable { raw, error },
        },
    };
    Frame::Deliver(Event::Notification(Notification {
        topic: envelope.topic_name,
        version: envelope.version,
        metadata: envelope.metadata,
        body,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Presence {
        status: String,
    }

    fn decoders() -> Decoders {
        Decoders::from([("v2.users.u1.presence".to_owned(), decoder::<Presence>())])
    }

    fn notification(text: &str) -> Notification {
        match read_frame(text, &decoders()) {
            Frame::Deliver(Event::Notification(n)) => n,
            other => panic!("not a notification: {other:?}"),
        }
    }

    #[test]
    fn a_subscribed_topics_event_decodes_as_its_type() {
        let topic: Topic<Presence> = Topic::new("v2.users.u1.presence".into());
        let other: Topic<Presence> = Topic::new("v2.users.u2.presence".into());
        let n = notification(
            r#"{"topicName":"v2.users.u1.presence","version":"2","eventBody":{"status":"AVAILABLE"},"metadata":{"CorrelationId":"c-1"}}"#,
        );
        assert_eq!(n.topic(), "v2.users.u1.presence");
        assert_eq!(n.version(), Some("2"));
        assert_eq!(n.correlation_id(), Some("c-1"));
        assert_eq!(
            n.metadata(),
            Some(&serde_json::json!({ "CorrelationId": "c-1" }))
        );
        assert!(n.is_decoded() && n.raw().is_none() && n.decode_error().is_none());
        assert_eq!(
            n.payload(&topic),
            Some(&Presence {
                status: "AVAILABLE".into()
            })
        );
        assert_eq!(n.payload(&other), None, "another topic's event");
        let n = n.into_payload(&other).expect_err("another topic");
        assert_eq!(
            n.into_payload(&topic).ok(),
            Some(Presence {
                status: "AVAILABLE".into()
            })
        );
    }

    #[test]
    fn undecodable_bodies_and_unknown_topics_keep_their_json() {
        let topic: Topic<Presence> = Topic::new("v2.users.u1.presence".into());
        let n = notification(r#"{"topicName":"v2.users.u1.presence","eventBody":{"status":7}}"#);
        assert!(!n.is_decoded());
        assert_eq!(n.raw(), Some(r#"{"status":7}"#));
        assert!(
            n.decode_error()
                .is_some_and(|e| e.to_string().contains("invalid type"))
        );
        assert_eq!(n.payload(&topic), None);
        assert!(format!("{n:?}").contains("decode_error"));
        let n = n.into_payload(&topic).expect_err("not decoded");
        assert_eq!(n.raw(), Some(r#"{"status":7}"#));

        let n = notification(r#"{"topicName":"v2.users.u9.presence","eventBody":[1,2]}"#);
        assert_eq!(
            (
                n.raw(),
                n.decode_error().is_none(),
                n.correlation_id(),
                n.metadata()
            ),
            (Some("[1,2]"), true, None, None)
        );
        assert!(format!("{n:?}").contains("unknown_topic"));
        let n = notification(r#"{"topicName":"v2.users.u9.presence"}"#);
        assert_eq!(n.raw(), Some("null"), "an envelope without a body");
    }

    #[test]
    fn heartbeats_socket_closing_and_malformed_frames_are_told_apart() {
        let d = decoders();
        assert!(matches!(
            read_frame(
                r#"{"topicName":"channel.metadata","eventBody":{"message":"pong"}}"#,
                &d
            ),
            Frame::Heartbeat
        ));
        assert!(matches!(
            read_frame(
                r#"{"topicName":"v2.system.socket_closing","eventBody":{"message":"bye"}}"#,
                &d
            ),
            Frame::SocketClosing
        ));
        for text in ["not json", r#"{"eventBody":{}}"#, "[]"] {
            match read_frame(text, &d) {
                Frame::Deliver(Event::Malformed { frame, error }) => {
                    assert!(frame == text && !error.is_empty())
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn disconnect_reasons_read_as_sentences() {
        assert!(
            Disconnect::Silent(Duration::from_secs(3))
                .to_string()
                .contains("3s")
        );
        assert!(
            Disconnect::Failed("reset".into())
                .to_string()
                .contains("reset")
        );
        for reason in [
            Disconnect::SocketClosing,
            Disconnect::Closed,
            Disconnect::ChannelGone,
        ] {
            assert!(!reason.to_string().is_empty());
        }
    }
}
