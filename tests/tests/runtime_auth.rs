//! Token flows on loopback: the grant, caching, refresh before expiry, concurrent callers,
//! one refresh on 401, the CSP flows, and secrets that never leak.

mod common;

use std::time::Duration;

use genesys_cloud_client::runtime::Error;
use genesys_cloud_client::{genesys_cloud, vmware_csp};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use common::Captured;

const SECRET: &str = "s3cr3t-client-secret";

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": value, "token_type": "bearer", "expires_in": expires_in}),
    )
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

fn client(server: &MockServer) -> genesys_cloud::Client {
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .client_credentials("my-client", SECRET)
        .build()
        .unwrap()
}

#[tokio::test]
async fn client_credentials_grant_then_bearer_token() {
    let server = MockServer::start().await;
    // Basic base64("my-client:s3cr3t-client-secret")
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header(
            "authorization",
            "Basic bXktY2xpZW50OnMzY3IzdC1jbGllbnQtc2VjcmV0",
        ))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    c.authorization()
        .get_authorization_products()
        .await
        .unwrap();
    // A clone shares the cached token: no second grant.
    c.clone()
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_token_is_refreshed_shortly_before_it_expires() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("tok", 1))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let c = client(&server);
    c.authorization()
        .get_authorization_products()
        .await
        .unwrap();
    c.authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(
        requests_to(&server, "/oauth/token").await.len(),
        1,
        "still fresh"
    );
    // A 1 s token is refreshed after half its life.
    tokio::time::sleep(Duration::from_millis(650)).await;
    c.authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(
        requests_to(&server, "/oauth/token").await.len(),
        2,
        "refreshed before expiry"
    );
}

#[tokio::test]
async fn concurrent_callers_trigger_one_grant() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("tok", 3600).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let c = client(&server);
    let calls = (0..16).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.authorization().get_authorization_products().await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(
        requests_to(&server, "/api/v2/authorization/products")
            .await
            .len(),
        16
    );
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_repeats_once() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("old", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("new", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client(&server)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(
        requests_to(&server, "/api/v2/authorization/products")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_second_401_is_returned() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("tok", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let err = client(&server)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        requests_to(&server, "/oauth/token").await.len(),
        2,
        "one refresh"
    );
    assert_eq!(
        requests_to(&server, "/api/v2/authorization/products")
            .await
            .len(),
        2,
        "one repeat"
    );
}

#[tokio::test]
async fn csp_api_token_exchange_and_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/csp/gateway/am/api/auth/api-tokens/authorize"))
        .and(body_string("refresh_token=my-api-token"))
        .respond_with(token("csp-access", 1800))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("csp-auth-token", "csp-access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let c = vmware_csp::Client::builder()
        .base_url(server.uri())
        .api_token("my-api-token")
        .build()
        .unwrap();
    let body = vmware_csp::models::OrganizationTrustUpdateRequest::default();
    c.organization_trusts()
        .update_organization_trust("o", "t", body)
        .await
        .unwrap();
    let api = requests_to(&server, "/csp/gateway/am/api/orgs/o/trusts/t").await;
    assert!(
        api[0].headers.get("authorization").is_none(),
        "CSP does not use Authorization"
    );
}

#[tokio::test]
async fn csp_client_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/csp/gateway/am/api/auth/authorize"))
        .and(header("authorization", "Basic aWQ6c2VjcmV0"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token("cc-access", 1800))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("csp-auth-token", "cc-access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let c = vmware_csp::Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    c.organization_trusts()
        .update_organization_trust("o", "t", Default::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn secrets_never_appear_in_debug_tracing_or_errors() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("access-token-value", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let c = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .client_credentials("my-client", SECRET)
        .build()
        .unwrap();
    let err = c
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Token {
                status: Some(500),
                ..
            }
        ),
        "{err:?}"
    );

    let fixed = genesys_cloud::Client::builder()
        .access_token("fixed-token-value")
        .build()
        .unwrap();
    let texts = [
        format!("{c:?}"),
        format!("{fixed:?}"),
        format!("{err}"),
        format!("{err:?}"),
        captured.text(),
    ];
    let log = &texts[4];
    for field in [
        "operation=\"get_authorization_products\"",
        "method=\"GET\"",
        "path=\"/api/v2/authorization/products\"",
        "attempt=1",
        "status=401",
    ] {
        assert!(
            log.contains(field),
            "the request span records {field}: {log}"
        );
    }
    for text in &texts {
        for secret in [SECRET, "access-token-value", "fixed-token-value"] {
            assert!(!text.contains(secret), "{secret} leaked into: {text}");
        }
    }
}
