//! Retries on loopback: 429 with Retry-After, 503 backoff, the bound, the policy for
//! non-idempotent methods, and timeouts.

use std::time::{Duration, Instant};

use genesys_cloud_client::genesys_cloud;
use genesys_cloud_client::genesys_cloud::RetryPolicy;
use genesys_cloud_client::runtime::{Error, TimeoutPhase};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, policy: RetryPolicy) -> genesys_cloud::Client {
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20))
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn too_many_requests_honours_retry_after() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server, fast())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as the server asked"
    );
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn service_unavailable_is_retried_with_backoff() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client(&server, fast())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(count(&server).await, 3);
}

#[tokio::test]
async fn retries_give_up_after_the_bound() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    let err = client(&server, fast().with_max_attempts(4))
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(count(&server).await, 4);
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_gives_up_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server, fast())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn post_is_not_retried_on_gateway_errors_but_is_on_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let body = genesys_cloud::models::DomainOrganizationRoleCreate::new("Role");
    let err = client(&server, fast())
        .authorization()
        .post_authorization_roles(body.clone())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        count(&server).await,
        1,
        "a POST may have been applied: not repeated"
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "Role"})))
        .mount(&server)
        .await;
    client(&server, fast())
        .authorization()
        .post_authorization_roles(body)
        .await
        .unwrap();
    assert_eq!(count(&server).await, 2, "429 means not processed: repeated");
}

#[tokio::test]
async fn no_retries_when_disabled() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    client(&server, RetryPolicy::none())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn request_timeouts_are_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let c = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = c
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let Error::Timeout {
        operation,
        phase,
        after,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "get_authorization_products");
    assert_eq!(
        (*phase, *after),
        (TimeoutPhase::Request, Duration::from_millis(200))
    );
    assert_eq!(
        err.to_string(),
        "get_authorization_products: timed out: no complete response within the request timeout of 200ms"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn each_dangerous_character_stays_inside_its_path_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let c = client(&server, RetryPolicy::none());
    for (value, encoded) in [
        ("a/b", "a%2Fb"),
        ("../x", "..%2Fx"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("100%", "100%25"),
        ("a b", "a%20b"),
    ] {
        c.authorization()
            .delete_authorization_role(value)
            .await
            .unwrap();
        let last = server.received_requests().await.unwrap().pop().unwrap();
        assert_eq!(
            last.url.path(),
            format!("/api/v2/authorization/roles/{encoded}"),
            "{value:?}"
        );
        assert_eq!(last.url.query(), None, "{value:?}");
    }
    // `.`, `..` (which URL parsers resolve even when percent-encoded) and `` are refused locally.
    let before = server.received_requests().await.unwrap().len();
    for value in [".", "..", ""] {
        let err = c
            .authorization()
            .delete_authorization_role(value)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidPath(_)), "{value:?}: {err:?}");
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        before,
        "nothing was sent"
    );
}
