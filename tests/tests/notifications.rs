//! The generated client's managed notification subscription against the generated streaming
//! double, on loopback: the channel operations the spec names, typed topics, typed payloads.
//! The lifecycle cases (reconnection, silence, expiry, buffering, limits) are the runtime's
//! tests (`runtime/src/notify/tests.rs`), on the same double.

#![cfg(all(feature = "notifications", feature = "double"))]

use std::time::Duration;

use futures_util::StreamExt as _;
use genesys_cloud_client::genesys_cloud::models::{
    AgentStateEventTopicAgentStateEventNotification as AgentState, ChannelTopic,
};
use genesys_cloud_client::genesys_cloud::{CHANNEL_OPERATIONS, Client, double, topics};
use genesys_cloud_client::runtime::notify::{Event, Notification, Subscription};

fn client(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .access_token("tok-1")
        .build()
        .unwrap()
}

async fn next_notification(subscription: &mut Subscription) -> Notification {
    match tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .expect("an event within 10 s")
    {
        Some(Event::Notification(n)) => n,
        other => panic!("expected a notification, got {other:?}"),
    }
}

#[tokio::test]
async fn a_typed_topic_delivers_its_typed_payload_through_the_channel_operations_of_the_spec() {
    let streaming = double::streaming().await;
    let client = client(&streaming.uri());
    let (agent, other) = (
        topics::notifications::detail_events_agent_state("agent 1.x"),
        topics::notifications::detail_events_agent_state("a2"),
    );
    assert_eq!(
        agent.name(),
        "v2.detail.events.agent.agent%201%2Ex.state",
        "a parameter is one encoded segment"
    );
    let mut subscription = client
        .notifications_stream()
        .topic(&agent)
        .topic(&other)
        .start()
        .await
        .unwrap();
    assert_eq!(
        streaming.subscriptions("channel-1"),
        [agent.name(), other.name()]
    );
    assert_eq!(
        streaming.authorizations(),
        ["Bearer tok-1"],
        "the client's token opens the socket"
    );
    assert_eq!(
        (
            CHANNEL_OPERATIONS.topics_per_channel(),
            CHANNEL_OPERATIONS.channels()
        ),
        (1000, 20),
        "the spec's limits"
    );

    let state = AgentState::new()
        .with_user_id("agent 1.x")
        .with_session_start(1_700_000_000_000)
        .with_requested_skill_ids(vec!["s1".into()]);
    assert_eq!(streaming.push(&agent, &state), 1);
    let n = next_notification(&mut subscription).await;
    assert_eq!(n.payload(&agent), Some(&state));
    assert_eq!(n.payload(&other), None);

    // A value the model does not know is kept by its enum's fallback; a body of the wrong shape
    // arrives raw beside its error.
    streaming.push_json(
        other.name(),
        serde_json::json!({ "userId": "a2", "currentState": "SOMETHING_NEW" }),
    );
    let n = next_notification(&mut subscription).await;
    let decoded = n.into_payload(&other).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap()["currentState"],
        "SOMETHING_NEW"
    );
    streaming.push_json(
        other.name(),
        serde_json::json!({ "sessionStart": "yesterday" }),
    );
    let n = next_notification(&mut subscription).await;
    assert!(
        n.decode_error().is_some() && n.raw() == Some(r#"{"sessionStart":"yesterday"}"#),
        "{n:?}"
    );
    subscription.close().await;
}

#[tokio::test]
async fn the_doubles_channel_answers_are_what_the_generated_operations_decode() {
    let streaming = double::streaming().await;
    let client = client(&streaming.uri());
    let channel = client
        .notifications()
        .post_notifications_channels()
        .await
        .unwrap();
    let id = channel.id.clone().unwrap();
    assert_eq!(
        channel.connect_uri.as_deref(),
        Some(streaming.connect_uri(&id).as_str())
    );
    assert!(
        channel.expires.is_some(),
        "an ISO-8601 date the model reads"
    );
    let topic = topics::notifications::detail_events_agent_state("a1");
    let answer = client
        .notifications()
        .put_notifications_channel_subscriptions(
            &id,
            vec![ChannelTopic::new().with_id(topic.name())],
        )
        .await
        .unwrap();
    let entities = answer.entities.unwrap();
    assert_eq!(
        (
            entities[0].id.as_deref(),
            entities[0].state.as_ref().map(|s| s.as_str())
        ),
        (Some(topic.name()), Some("Permitted"))
    );
    assert_eq!(streaming.subscriptions(&id), [topic.name()]);
    let missing = client
        .notifications()
        .put_notifications_channel_subscriptions("channel-9", Vec::new())
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("404"), "{missing}");
}

#[tokio::test]
async fn a_fixture_services_limits_come_from_its_spec() {
    use genesys_cloud_client::runtime::notify::NotifyError;
    use integration_tests::obstacle_course::{
        Client as Course, double as course_double, topics as course_topics,
    };

    let streaming = course_double::streaming().await;
    let client = Course::builder()
        .base_url(streaming.uri())
        .access_token("t")
        .build()
        .unwrap();
    let things: Vec<_> = (0..7)
        .map(|i| course_topics::things::changes(&format!("t{i}")))
        .collect();
    // Two topics a channel, three channels: six topics at most.
    match client.notifications_stream().topics(&things).start().await {
        Err(NotifyError::TooManyTopics {
            topics: 7,
            per_channel: 2,
            channels: 3,
        }) => {}
        other => panic!("{other:?}"),
    }
    let mut subscription = client
        .notifications_stream()
        .topics(&things[..5])
        .start()
        .await
        .unwrap();
    assert_eq!(
        streaming.channels(),
        ["channel-1", "channel-2", "channel-3"]
    );
    assert_eq!(streaming.subscriptions("channel-3"), [things[4].name()]);
    subscription.add(&things[5]).await.unwrap();
    assert!(matches!(
        subscription.add(&things[6]).await,
        Err(NotifyError::TooManyTopics { topics: 7, .. })
    ));
    let node: integration_tests::obstacle_course::models::Node =
        serde_json::from_value(serde_json::json!({ "id": "n1", "partner": { "note": "p" } }))
            .unwrap();
    assert_eq!(streaming.push(&things[5], &node), 1);
    let n = next_notification(&mut subscription).await;
    assert_eq!(n.payload(&things[5]), Some(&node));
    subscription.close().await;
}
