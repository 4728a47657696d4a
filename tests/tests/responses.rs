//! The whole answer, on loopback: status, headers and correlation id beside the body on success
//! (`send_with_response`) and on error, the request span that names the operation and carries
//! the correlation id, and raw requests through the client's tokens, retries and hooks.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use genesys_cloud_client::genesys_cloud::{self, RetryPolicy};
use genesys_cloud_client::runtime::{Error, Method};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::Captured;

const PRODUCTS: &str = "/api/v2/authorization/products";

fn client(server: &MockServer) -> genesys_cloud::Client {
    log();
    let fast =
        RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20));
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("tok")
        .retry_policy(fast)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_success_carries_status_headers_and_correlation_id() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/authorization/roles/r1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "\"v7\"")
                .insert_header("ININ-Correlation-Id", "corr-ok")
                .set_body_json(json!({"id": "r1", "name": "Admin"})),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .authorization()
        .get_authorization_role("r1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.header("etag"), Some("\"v7\""));
    assert_eq!(response.correlation_id.as_deref(), Some("corr-ok"));
    assert_eq!(response.body.name.as_deref(), Some("Admin"));
    assert_eq!(
        response.map(|role| role.id).into_body().as_deref(),
        Some("r1")
    );
}

#[tokio::test]
async fn an_empty_answer_has_its_status_and_headers_too() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204).insert_header("x-ratelimit-remaining", "41"))
        .mount(&server)
        .await;
    let response = client(&server)
        .authorization()
        .delete_authorization_role("r1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        (response.status, response.header("X-RateLimit-Remaining")),
        (204, Some("41"))
    );
}

#[tokio::test]
async fn an_error_carries_headers_and_correlation_id_and_the_span_records_them() {
    let server = MockServer::start().await;
    Mock::given(path(PRODUCTS))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("ININ-Correlation-Id", "corr-409")
                .insert_header("x-ratelimit-remaining", "0")
                .set_body_json(json!({"message": "conflict", "status": 409})),
        )
        .mount(&server)
        .await;
    let e = client(&server)
        .authorization()
        .get_authorization_products()
        .send_with_response()
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!(
        (api.status, api.correlation_id.as_deref()),
        (409, Some("corr-409"))
    );
    assert_eq!(api.header("X-RateLimit-Remaining"), Some("0"));
    assert_eq!(
        api.headers()
            .get("inin-correlation-id")
            .and_then(|v| v.to_str().ok()),
        Some("corr-409")
    );
    let log = log().text();
    let log = log
        .lines()
        .find(|line| line.contains("corr-409"))
        .unwrap_or_default();
    for field in [
        "operation=\"get_authorization_products\"",
        "correlation_id=\"corr-409\"",
        "status=409",
    ] {
        assert!(
            log.contains(field),
            "the request span records {field}: {log}"
        );
    }
}

#[tokio::test]
async fn a_raw_request_is_sent_with_the_token_and_retried_on_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/newer/things"))
        .and(query_param("dryRun", "true"))
        .and(header("authorization", "Bearer tok"))
        .and(header("x-custom", "yes"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "n"})))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/newer/things"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Location", "/api/v2/newer/things/t1")
                .set_body_json(json!({"id": "t1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    log();
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&attempts);
    let client = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("tok")
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .before_send(move |attempt, _| {
            seen.lock()
                .unwrap()
                .push((attempt.operation.name, attempt.number))
        })
        .build()
        .unwrap();
    let created = client
        .raw(Method::Post, "/api/v2/newer/things")
        .query("dryRun", true)
        .header("X-Custom", "yes")
        .json(&json!({"name": "n"}))
        .send_json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        (created.status, created.header("location")),
        (201, Some("/api/v2/newer/things/t1"))
    );
    assert_eq!(created.body, json!({"id": "t1"}));
    assert_eq!(
        *attempts.lock().unwrap(),
        [("raw POST", 1), ("raw POST", 2)],
        "hooks see each attempt"
    );
}

#[tokio::test]
async fn a_raw_request_decodes_errors_typed_text_and_empty_bodies() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "gone", "code": "not.found"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/text"))
        .respond_with(ResponseTemplate::new(200).set_body_string("plain"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let e = client
        .raw(Method::Get, "/api/v2/missing")
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    let body = e.api().and_then(|api| api.body.as_ref()).unwrap();
    assert_eq!(
        body.code.as_deref(),
        Some("not.found"),
        "the service's error model"
    );
    assert_eq!(
        client
            .raw(Method::Get, "/api/v2/text")
            .send_text()
            .await
            .unwrap()
            .body,
        "plain"
    );
    assert_eq!(
        client
            .raw(Method::Delete, "/api/v2/empty")
            .send_empty()
            .await
            .unwrap()
            .status,
        204
    );
    // A typed body, and a path that cannot be sent: nothing goes out for it.
    let typed = client
        .raw(Method::Get, "/api/v2/text")
        .send_json::<u32>()
        .await
        .unwrap_err();
    assert!(matches!(typed, Error::Decode { .. }), "{typed:?}");
    let before = server.received_requests().await.unwrap().len();
    let bad = client
        .raw(Method::Get, "/api/v2/x?y=1")
        .send_empty()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &bad,
            Error::InvalidRequest {
                operation: "raw GET",
                ..
            }
        ),
        "{bad:?}"
    );
    assert!(
        bad.to_string().contains("give the query with `query`"),
        "{bad}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

/// What every test of this file logs, through one global subscriber installed before any
/// request: a subscriber per test would race with the other tests' threads over which
/// callsites are enabled.
fn log() -> &'static Captured {
    static LOG: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        captured
    })
}

#[tokio::test]
async fn a_patch_sends_null_to_clear_a_field_and_decoding_keeps_null_apart() {
    use genesys_cloud_client::genesys_cloud::models::AuthorizationSettings;
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/authorization/settings"))
        .and(body_json(
            json!({"analysisEnabled": true, "analysisDays": null}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"analysisEnabled": true, "analysisDays": null})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Unset: not sent; null: sent as null; a value set after the null wins.
    let patch = AuthorizationSettings::new()
        .with_analysis_enabled(true)
        .with_null_analysis_days()
        .with_null_self_uri()
        .with_self_uri("x");
    assert!(patch.is_null("analysisDays") && !patch.is_null("selfUri") && !patch.is_null("id"));
    // `with_self_uri` took the mark off: emptied again, the field is simply not sent.
    let mut patch = patch;
    patch.self_uri = None;
    let answer = client(&server)
        .authorization()
        .patch_authorization_settings(patch)
        .await
        .unwrap();
    assert_eq!(
        (answer.analysis_enabled, answer.analysis_days),
        (Some(true), None)
    );
    assert!(
        answer.is_null("analysisDays"),
        "a null answer is told from an absent one"
    );
    assert!(!answer.is_null("dateLastActive") && !answer.is_null("nope"));
    // Reads stay plain `Option`s, and a model no PATCH takes has no null setters at all.
    let _: Option<i64> = answer.analysis_days;
}
