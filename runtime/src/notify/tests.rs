//! The subscription's lifecycle against the loopback double: every case the module promises.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::double::StreamingDouble;
use super::*;
use crate::{AuthScheme, Method, OperationInfo, Requirement, RetryPolicy, TransportBuilder};

static SCHEME: AuthScheme = AuthScheme::new("Authorization", "Bearer ", &[], None);
static CREATE: OperationInfo = OperationInfo::new(
    "demo",
    "notifications",
    "post_channels",
    Method::Post,
    "/channels",
    Requirement::None,
);
static SUBSCRIBE: OperationInfo = OperationInfo::new(
    "demo",
    "notifications",
    "put_channel_subscriptions",
    Method::Put,
    "/channels/{channelId}/subscriptions",
    Requirement::None,
);
static OPS: ChannelOperations = ChannelOperations::new(&CREATE, &SUBSCRIBE, 1000, 20);
/// Two topics a channel, two channels: the limits, small enough to reach.
static SMALL: ChannelOperations = ChannelOperations::new(&CREATE, &SUBSCRIBE, 2, 2);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Presence {
    status: String,
}

fn presence(user: &str) -> Topic<Presence> {
    Topic::new(format!("v2.users.{user}.presence"))
}

fn available() -> Presence {
    Presence {
        status: "AVAILABLE".into(),
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn subscriber(double: &StreamingDouble, ops: &'static ChannelOperations) -> Subscriber {
    let transport = TransportBuilder::new(&double.uri(), &SCHEME)
        .access_token("t0k")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    Subscriber::new(transport, ops)
        .ping_every(Duration::from_secs(3600))
        .reconnect_backoff(ms(5), ms(20))
}

async fn next(subscription: &mut Subscription) -> Event {
    tokio::time::timeout(Duration::from_secs(10), subscription.next_event())
        .await
        .expect("an item within 10 s")
        .expect("the stream goes on")
}

/// The next item that is not a lifecycle report.
async fn next_notification(subscription: &mut Subscription) -> Notification {
    loop {
        match next(subscription).await {
            Event::Notification(n) => return n,
            Event::Disconnected { .. }
            | Event::Reconnected { .. }
            | Event::ReconnectFailed { .. } => {}
            other => panic!("expected a notification, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn events_arrive_decoded_with_their_topic_and_metadata() {
    let double = StreamingDouble::start(&OPS).await;
    let (alice, bob) = (presence("alice"), presence("bob"));
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .topics([&bob, &alice])
        .start()
        .await
        .unwrap();
    assert_eq!(double.channels(), ["channel-1"]);
    assert_eq!(
        double.subscriptions("channel-1"),
        [alice.name(), bob.name()],
        "each topic once, in order"
    );
    assert_eq!(
        double.authorizations(),
        ["Bearer t0k"],
        "the WebSocket carries the API calls' token"
    );
    assert_eq!(subscription.topics().await, [alice.name(), bob.name()]);

    assert_eq!(double.push(&bob, &available()), 1);
    let Some(Event::Notification(n)) = futures_util::StreamExt::next(&mut subscription).await
    else {
        panic!("a notification")
    };
    assert_eq!(
        (n.topic(), n.correlation_id(), n.version()),
        (bob.name(), Some("double-1"), Some("2"))
    );
    assert_eq!(n.payload(&bob), Some(&available()));
    assert_eq!(n.payload(&alice), None);
    assert_eq!(
        double.push(
            &alice,
            &Presence {
                status: "BUSY".into()
            }
        ),
        1
    );
    let n = next_notification(&mut subscription).await;
    assert_eq!(n.into_payload(&alice).unwrap().status, "BUSY");
    assert_eq!(double.pings(), 0, "the first ping waits for `ping_every`");
}

#[tokio::test]
async fn the_handles_debug_without_their_internals() {
    let double = StreamingDouble::start(&OPS).await;
    let subscriber = subscriber(&double, &OPS)
        .topic(&presence("alice"))
        .buffer(0);
    let text = format!("{subscriber:?}");
    assert!(
        text.starts_with("Subscriber")
            && text.contains("v2.users.alice.presence")
            && text.contains("buffer: 1"),
        "{text}"
    );
    let subscription = subscriber.start().await.unwrap();
    assert_eq!(format!("{subscription:?}"), "Subscription { .. }");
    assert_eq!(format!("{:?}", subscription.control()), "Control { .. }");
    assert!(format!("{double:?}").starts_with("StreamingDouble { uri: \"http://127.0.0.1:"));
}

#[tokio::test]
async fn unknown_topics_undecodable_bodies_and_malformed_frames_are_delivered_not_dropped() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .start()
        .await
        .unwrap();
    double.push_unsubscribed(
        "v2.users.carol.presence",
        serde_json::json!({ "status": "AWAY" }),
    );
    double.push_json(alice.name(), serde_json::json!({ "status": 42 }));
    double.send_frame("this is not JSON");
    let unknown = next_notification(&mut subscription).await;
    assert_eq!(
        (
            unknown.topic(),
            unknown.raw(),
            unknown.decode_error().is_none()
        ),
        (
            "v2.users.carol.presence",
            Some(r#"{"status":"AWAY"}"#),
            true
        )
    );
    let undecodable = next_notification(&mut subscription).await;
    assert_eq!(
        (undecodable.topic(), undecodable.raw()),
        (alice.name(), Some(r#"{"status":42}"#))
    );
    assert!(undecodable.decode_error().is_some() && undecodable.payload(&alice).is_none());
    match next(&mut subscription).await {
        Event::Malformed { frame, error } => {
            assert!(frame == "this is not JSON" && !error.is_empty())
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pings_are_sent_and_heartbeats_are_not_events() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .ping_every(ms(10))
        .start()
        .await
        .unwrap();
    assert!(
        double.until(|d| d.pings() >= 3).await,
        "pings: {}",
        double.pings()
    );
    double.heartbeat();
    double.push(&alice, &available());
    let n = next_notification(&mut subscription).await;
    assert!(
        n.is(&alice),
        "heartbeats and pongs are not delivered: {n:?}"
    );
    assert_eq!(double.connects(), 1, "answered pings keep the connection");
}

async fn expect_reconnection(
    subscription: &mut Subscription,
    reason: impl Fn(&Disconnect) -> bool,
    new: bool,
) {
    match next(subscription).await {
        Event::Disconnected { channel, reason: r } => {
            assert!(channel.starts_with("channel-") && reason(&r), "{r:?}")
        }
        other => panic!("expected a disconnection, got {other:?}"),
    }
    loop {
        match next(subscription).await {
            Event::ReconnectFailed { retry_in, .. } => assert!(retry_in <= ms(20)),
            Event::Reconnected { new_channel, .. } => return assert_eq!(new_channel, new),
            other => panic!("expected a reconnection, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn socket_closing_moves_to_a_new_connection_and_subscribes_again() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .start()
        .await
        .unwrap();
    assert_eq!(double.socket_closing(), 1);
    expect_reconnection(
        &mut subscription,
        |r| *r == Disconnect::SocketClosing,
        false,
    )
    .await;
    assert_eq!(
        (
            double.connects(),
            double.subscribe_calls(),
            double.created()
        ),
        (2, 2, 1)
    );
    assert!(
        double.until(|d| d.connections() == 1).await,
        "the old socket is closed"
    );
    double.push(&alice, &available());
    assert!(next_notification(&mut subscription).await.is(&alice));
}

#[tokio::test]
async fn a_dropped_or_closed_socket_is_reconnected_without_ending_the_stream() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .start()
        .await
        .unwrap();
    assert_eq!(double.drop_connections(), 1);
    expect_reconnection(
        &mut subscription,
        |r| matches!(r, Disconnect::Failed(_) | Disconnect::Closed),
        false,
    )
    .await;
    assert!(double.until(|d| d.connections() == 1).await);
    assert_eq!(double.close_connections(), 1);
    expect_reconnection(&mut subscription, |r| *r == Disconnect::Closed, false).await;
    assert!(double.until(|d| d.connections() == 1).await);
    double.push(&alice, &available());
    assert!(next_notification(&mut subscription).await.is(&alice));
    assert_eq!(double.created(), 1, "the channel is kept");
}

#[tokio::test]
async fn a_silent_connection_is_dropped_as_dead_after_the_bound() {
    let double = StreamingDouble::start(&OPS).await;
    let mut subscription = subscriber(&double, &OPS)
        .topic(&presence("a"))
        .ping_every(ms(10))
        .dead_after(ms(120))
        .start()
        .await
        .unwrap();
    double.go_silent(true);
    expect_reconnection(
        &mut subscription,
        |r| *r == Disconnect::Silent(ms(120)),
        false,
    )
    .await;
    double.go_silent(false);
    assert!(double.until(|d| d.connects() == 2).await);
}

#[tokio::test]
async fn an_expired_channel_is_replaced_by_a_new_one_with_the_same_topics() {
    let double = StreamingDouble::start(&OPS).await;
    let (alice, bob) = (presence("alice"), presence("bob"));
    let mut subscription = subscriber(&double, &OPS)
        .topics([&alice, &bob])
        .start()
        .await
        .unwrap();
    double.expire_channels();
    expect_reconnection(&mut subscription, |r| *r == Disconnect::Closed, true).await;
    assert_eq!(double.channels(), ["channel-2"]);
    assert_eq!(
        double.subscriptions("channel-2"),
        [alice.name(), bob.name()]
    );
    double.push(&bob, &available());
    assert!(next_notification(&mut subscription).await.is(&bob));
}

#[tokio::test]
async fn a_channel_found_gone_when_renewing_is_replaced() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .renew_every(ms(40))
        .start()
        .await
        .unwrap();
    assert!(
        double.until(|d| d.subscribe_calls() >= 3).await,
        "renewed by setting the topics again"
    );
    assert_eq!(double.connects(), 1, "renewing keeps the connection");
    // Expired without its socket closing: the next renewal finds it gone.
    double.expire_channels_quietly();
    expect_reconnection(&mut subscription, |r| *r == Disconnect::ChannelGone, true).await;
    assert_eq!(double.subscriptions("channel-2"), [alice.name()]);
}

#[tokio::test]
async fn topics_are_added_and_removed_on_a_live_subscription() {
    let double = StreamingDouble::start(&OPS).await;
    let (alice, bob) = (presence("alice"), presence("bob"));
    let mut subscription = subscriber(&double, &OPS).start().await.unwrap();
    assert_eq!(
        double.subscriptions("channel-1"),
        Vec::<String>::new(),
        "a subscription may start empty"
    );
    subscription.add(&alice).await.unwrap();
    subscription.add(&bob).await.unwrap();
    subscription.add(&alice).await.unwrap();
    assert_eq!(
        double.subscriptions("channel-1"),
        [alice.name(), bob.name()]
    );
    double.push(&bob, &available());
    assert_eq!(
        next_notification(&mut subscription).await.payload(&bob),
        Some(&available())
    );
    assert!(subscription.remove(&alice).await.unwrap());
    assert!(
        !subscription.remove(&alice).await.unwrap(),
        "not subscribed any more"
    );
    assert_eq!(double.subscriptions("channel-1"), [bob.name()]);
    assert_eq!(subscription.topics().await, [bob.name()]);
    assert_eq!(
        double.push(&alice, &available()),
        0,
        "the service sends it no more"
    );
    assert_eq!((double.created(), double.connects()), (1, 1));
}

#[tokio::test]
async fn more_topics_than_a_channel_holds_go_to_more_channels_up_to_the_limit() {
    let double = StreamingDouble::start(&SMALL).await;
    let topics: Vec<_> = ["a", "b", "c", "d", "e"]
        .map(presence)
        .into_iter()
        .collect();
    match subscriber(&double, &SMALL).topics(&topics).start().await {
        Err(NotifyError::TooManyTopics {
            topics: 5,
            per_channel: 2,
            channels: 2,
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(double.created(), 0, "refused before any call");
    let one = subscriber(&double, &SMALL)
        .topics(&topics[..2])
        .start()
        .await
        .unwrap();
    one.add(&topics[2]).await.unwrap();
    assert_eq!(
        double.created(),
        2,
        "a full channel: the topic goes to a new one"
    );
    assert_eq!(double.subscriptions("channel-2"), [topics[2].name()]);
    one.close().await;
    let mut subscription = subscriber(&double, &SMALL)
        .topics(&topics[..3])
        .start()
        .await
        .unwrap();
    assert_eq!(
        double.channels(),
        ["channel-1", "channel-2", "channel-3", "channel-4"]
    );
    assert_eq!(
        double.subscriptions("channel-3"),
        [topics[0].name(), topics[1].name()]
    );
    assert_eq!(double.subscriptions("channel-4"), [topics[2].name()]);
    assert_eq!(subscription.control().channels().await, 2);
    subscription.add(&topics[3]).await.unwrap();
    assert_eq!(
        double.subscriptions("channel-4"),
        [topics[2].name(), topics[3].name()]
    );
    let refused = subscription.add(&topics[4]).await.unwrap_err();
    assert!(
        matches!(refused, NotifyError::TooManyTopics { topics: 5, .. }),
        "{refused}"
    );
    assert!(
        refused
            .to_string()
            .contains("5 topics need more than 2 channels of 2 topics")
    );
    double.push(&topics[3], &available());
    assert!(next_notification(&mut subscription).await.is(&topics[3]));
    // A channel emptied makes room again.
    assert!(subscription.remove(&topics[0]).await.unwrap());
    subscription.add(&topics[4]).await.unwrap();
    assert_eq!(
        double.subscriptions("channel-3"),
        [topics[1].name(), topics[4].name()]
    );
    assert_eq!((SMALL.topics_per_channel(), SMALL.channels()), (2, 2));
}

#[tokio::test]
async fn a_slow_consumer_loses_what_does_not_fit_and_is_told_how_much() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .buffer(2)
        .ping_every(ms(10))
        .start()
        .await
        .unwrap();
    let missed = {
        let state = subscription.control.state.lock().await;
        std::sync::Arc::clone(&state.link.as_ref().unwrap().outbox.missed)
    };
    for n in 0..5 {
        double.push(
            &alice,
            &Presence {
                status: format!("s{n}"),
            },
        );
    }
    let until = tokio::time::Instant::now() + Duration::from_secs(10);
    while missed.load(Ordering::Acquire) < 3 && tokio::time::Instant::now() < until {
        tokio::time::sleep(ms(5)).await;
    }
    assert_eq!(
        missed.load(Ordering::Acquire),
        3,
        "two fit the buffer, three did not"
    );
    assert!(
        double.until(|d| d.pings() >= 3).await,
        "the connection is still read and kept alive"
    );
    for n in 0..2 {
        assert_eq!(
            next_notification(&mut subscription)
                .await
                .payload(&alice)
                .unwrap()
                .status,
            format!("s{n}")
        );
    }
    double.push(
        &alice,
        &Presence {
            status: "s5".into(),
        },
    );
    assert!(matches!(
        next(&mut subscription).await,
        Event::Lagged { missed: 3 }
    ));
    assert_eq!(
        next_notification(&mut subscription)
            .await
            .payload(&alice)
            .unwrap()
            .status,
        "s5"
    );
    assert_eq!(double.connects(), 1);
}

#[tokio::test]
async fn topics_the_service_refuses_are_reported() {
    let double = StreamingDouble::start(&OPS).await;
    let (alice, bob) = (presence("alice"), presence("bob"));
    double.reject(bob.name(), "Missing permissions");
    let mut subscription = subscriber(&double, &OPS)
        .topics([&alice, &bob])
        .start()
        .await
        .unwrap();
    match next(&mut subscription).await {
        Event::Rejected { topic, reason } => assert_eq!(
            (topic.as_str(), reason.as_str()),
            (bob.name(), "Missing permissions")
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn close_shuts_the_sockets_and_ends_the_stream() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let mut subscription = subscriber(&double, &SMALL)
        .topics(&["a", "b", "c"].map(presence))
        .start()
        .await
        .unwrap();
    assert_eq!(double.connections(), 2);
    let control = subscription.control();
    control.close().await;
    assert!(
        matches!(
            subscription.events.try_recv(),
            Err(mpsc::error::TryRecvError::Disconnected)
        ),
        "close returns once every channel's task has ended"
    );
    assert_eq!(
        (control.channels().await, control.topics().await.len()),
        (0, 0)
    );
    assert!(double.until(|d| d.connections() == 0).await);
    assert!(subscription.next_event().await.is_none(), "the stream ends");
    assert!(matches!(
        control.add(&alice).await,
        Err(NotifyError::Closed)
    ));
    assert!(matches!(
        subscription.remove(&alice).await,
        Err(NotifyError::Closed)
    ));

    let dropped = subscriber(&double, &OPS)
        .topic(&alice)
        .start()
        .await
        .unwrap();
    let kept = dropped.control();
    assert!(double.until(|d| d.connections() == 1).await);
    drop(dropped);
    assert!(
        double.until(|d| d.connections() == 0).await,
        "dropping the subscription closes its socket, a control kept or not"
    );
    assert!(matches!(kept.add(&alice).await, Err(NotifyError::Closed)));
    let closed = subscriber(&double, &OPS)
        .topic(&alice)
        .start()
        .await
        .unwrap();
    closed.close().await;
    assert!(
        double.until(|d| d.connections() == 0).await,
        "closed with a close frame"
    );
}

#[tokio::test]
async fn a_given_channel_is_reused_and_start_fails_clearly() {
    let double = StreamingDouble::start(&OPS).await;
    let alice = presence("alice");
    let first = subscriber(&double, &OPS)
        .topic(&alice)
        .start()
        .await
        .unwrap();
    first.close().await;
    let reused = Channel::new("channel-1", double.connect_uri("channel-1"));
    let mut subscription = subscriber(&double, &OPS)
        .topic(&alice)
        .channel(reused)
        .start()
        .await
        .unwrap();
    assert_eq!(double.created(), 1, "no channel created");
    double.push(&alice, &available());
    assert!(next_notification(&mut subscription).await.is(&alice));
    subscription.close().await;

    let unknown = Channel::new("channel-9", double.connect_uri("channel-9"));
    let e = subscriber(&double, &OPS)
        .topic(&alice)
        .channel(unknown)
        .start()
        .await
        .unwrap_err();
    assert!(e.is_channel_gone(), "{e}");
    let plain = Channel::new("channel-1", "ws://example.com/channels/channel-1");
    let e = subscriber(&double, &OPS)
        .channel(plain)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, NotifyError::Connect { status: None, .. })
            && e.to_string().contains("not a secure WebSocket"),
        "{e}"
    );
    let e = subscriber(&double, &OPS)
        .channel(Channel::new("channel-1", "not a uri"))
        .start()
        .await
        .unwrap_err();
    assert!(matches!(e, NotifyError::Connect { .. }), "{e}");
    double.expire_channels();
    let gone = Channel::new("channel-1", double.connect_uri("channel-1"));
    let e = subscriber(&double, &OPS)
        .channel(gone)
        .start()
        .await
        .unwrap_err();
    assert!(
        e.is_channel_gone() && matches!(&e, NotifyError::Api(_)),
        "subscribing to it answers 404: {e}"
    );
}

#[tokio::test]
async fn the_socket_uses_the_api_calls_token_source_and_a_refused_token_is_refreshed_once() {
    use std::sync::atomic::AtomicUsize;

    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use crate::{ClientAuthentication, Grant, TokenFlow};

    static FLOWS: [TokenFlow; 1] = [TokenFlow::new(
        Grant::ClientCredentials,
        "https://{host}/oauth/token",
        None,
        ClientAuthentication::Basic,
        &[],
        None,
    )];
    static WITH_FLOW: AuthScheme = AuthScheme::new("Authorization", "Bearer ", &FLOWS, None);
    let tokens = MockServer::start().await;
    let issued = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&issued);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({ "access_token": format!("t{n}"), "expires_in": 3600 }),
            )
        })
        .mount(&tokens)
        .await;
    let double = StreamingDouble::start(&OPS).await;
    let transport = TransportBuilder::new(&double.uri(), &WITH_FLOW)
        .client_credentials("id", "secret")
        .token_url(format!("{}/oauth/token", tokens.uri()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    double.refuse_connects(401, 1);
    let mut subscription = Subscriber::new(transport.clone(), &OPS)
        .topic(&presence("a"))
        .reconnect_backoff(ms(5), ms(20))
        .start()
        .await
        .unwrap();
    assert_eq!(
        double.authorizations(),
        ["Bearer t1", "Bearer t2"],
        "refused once, then a fresh token"
    );
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    // Refused twice: the second refusal is the caller's error (a reconnection reports it).
    double.refuse_connects(401, 2);
    double.drop_connections();
    match next(&mut subscription).await {
        Event::Disconnected { .. } => {}
        other => panic!("{other:?}"),
    }
    match next(&mut subscription).await {
        Event::ReconnectFailed { error, .. } => assert!(error.contains("401"), "{error}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        next(&mut subscription).await,
        Event::Reconnected {
            new_channel: false,
            ..
        }
    ));
    // t2 refused, t3 fetched and refused (the attempt fails), then t3 accepted at the next one.
    assert_eq!(
        double.authorizations()[2..],
        ["Bearer t2", "Bearer t3", "Bearer t3"]
    );
    let e = Subscriber::new(transport, &OPS)
        .channel(Channel::new("channel-1", double.connect_uri("channel-1")))
        .start();
    double.refuse_connects(403, 1);
    assert!(
        matches!(
            e.await,
            Err(NotifyError::Connect {
                status: Some(403),
                ..
            })
        ),
        "only a 401 is retried"
    );
}

#[tokio::test]
async fn reconnection_attempts_wait_the_backoff() {
    let double = StreamingDouble::start(&OPS).await;
    let mut subscription = subscriber(&double, &OPS)
        .topic(&presence("a"))
        .reconnect_backoff(ms(200), ms(3000))
        .start()
        .await
        .unwrap();
    double.refuse_connects(503, 2);
    double.drop_connections();
    assert!(matches!(
        next(&mut subscription).await,
        Event::Disconnected { .. }
    ));
    let started = std::time::Instant::now();
    // The first attempt follows at once; each failure waits its backoff (200 ms, then 400 ms,
    // each with jitter up to as much again) before the next.
    for _ in 0..2 {
        match next(&mut subscription).await {
            Event::ReconnectFailed { retry_in, .. } => {
                assert!(retry_in >= ms(200) && retry_in < ms(3000), "{retry_in:?}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        next(&mut subscription).await,
        Event::Reconnected { .. }
    ));
    let waited = started.elapsed();
    assert!(
        waited >= ms(600),
        "two waits of at least 200 and 400 ms: {waited:?}"
    );
    assert!(
        waited < ms(2800),
        "neither wait is the longest backoff: {waited:?}"
    );
}
