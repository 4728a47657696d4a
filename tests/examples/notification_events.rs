//! Events per second a notification subscription decodes: the generated client subscribed to a
//! typed topic on the loopback streaming double, which sends one realistic agent-state event per
//! frame. Measured from the first frame queued to the last payload decoded: WebSocket framing,
//! the envelope, the topic's decoder and the stream, end to end in one process.
//!
//! `cargo xtask bench-events [EVENTS]` builds this in release and runs it (or `cargo run
//! --release -p integration-tests --example notification_events -- EVENTS`). Prints figures,
//! passes or fails nothing.

use std::time::Instant;

use genesys_cloud_client::genesys_cloud::{Client, double, topics};
use genesys_cloud_client::runtime::notify::Event;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let events: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    let streaming = double::streaming().await;
    let client = Client::builder()
        .base_url(streaming.uri())
        .access_token("bench")
        .build()?;
    let topic =
        topics::notifications::detail_events_agent_state("3b1f2a9c-5d4e-4f6a-8b7c-9d0e1f2a3b4c");
    // A buffer for every event: the figure is decoding, not the slow-consumer policy.
    let mut subscription = client
        .notifications_stream()
        .topic(&topic)
        .buffer(events + 16)
        .start()
        .await?;
    let body = serde_json::json!({
        "conversationId": "7c0a4f2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
        "sessionId": "e2d4c6b8-a0f1-4e3d-9c5b-7a8f6e4d2c1b",
        "sessionStart": 1_765_000_000_000_i64,
        "currentStateStart": 1_765_000_042_000_i64,
        "currentState": "WRAPUP",
        "userId": "3b1f2a9c-5d4e-4f6a-8b7c-9d0e1f2a3b4c",
        "originatingDirection": "INBOUND",
        "mediaType": "VOICE",
        "queueId": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        "requestedLanguageId": "f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e",
        "requestedSkillIds": ["11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-aaaaaaaaaaaa"]
    });
    let frame = serde_json::json!({
        "topicName": topic.name(),
        "version": "2",
        "eventBody": body,
        "metadata": { "CorrelationId": "5f8e1d2c-3b4a-4596-8778-695a4b3c2d1e" }
    })
    .to_string();

    let started = Instant::now();
    for _ in 0..events {
        streaming.send_frame(frame.clone());
    }
    let (mut decoded, mut other) = (0usize, 0usize);
    while decoded + other < events {
        match subscription.next_event().await {
            Some(Event::Notification(n)) if n.payload(&topic).is_some() => decoded += 1,
            Some(_) => other += 1,
            None => break,
        }
    }
    let elapsed = started.elapsed();
    subscription.close().await;
    println!(
        "notification events, {events} frames of {} bytes over the loopback streaming double",
        frame.len()
    );
    println!("  decoded    {decoded:>9}  ({other} not decoded)");
    println!("  elapsed    {:>9.3} s", elapsed.as_secs_f64());
    println!(
        "  throughput {:>9.0} events/s",
        decoded as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  per event  {:>9.2} µs",
        elapsed.as_secs_f64() * 1e6 / events.max(1) as f64
    );
    Ok(())
}
