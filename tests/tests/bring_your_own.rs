//! The caller's own HTTP client, default headers and hooks, on loopback: each plugs in, and
//! tokens, retries, limits and the pre-flight check still apply.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use genesys_cloud_client::access::Grants;
use genesys_cloud_client::genesys_cloud::{
    Attempt, BuildError, Client, Hook, RedirectPolicy, RetryPolicy,
};
use genesys_cloud_client::runtime::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use genesys_cloud_client::runtime::{Error, TimeoutPhase, reqwest};
use genesys_cloud_client::vmware_csp;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PRODUCTS: &str = "/api/v2/authorization/products";

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20))
}

/// A reqwest client as a caller would configure it: here, marked by a header of its own.
fn callers_http() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("x-from-caller", HeaderValue::from_static("yes"));
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

fn products_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"entities": []}))
}

async fn mount_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("x-from-caller", "yes"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok", "expires_in": 3600})),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_callers_http_client_sends_token_and_api_requests_with_retries() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(path(PRODUCTS))
        .and(header("x-from-caller", "yes"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .and(header("x-from-caller", "yes"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(products_ok())
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .http_client(callers_http())
        .retry_policy(fast())
        .build()
        .unwrap();
    // The token came from the caller's client, the 503 was retried through it.
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
}

#[tokio::test]
async fn limits_apply_to_a_callers_http_client() {
    let server = MockServer::start().await;
    Mock::given(path(PRODUCTS))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(format!("[{}]", "0,".repeat(100) + "0")),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/divisions/home"))
        .respond_with(products_ok().set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .http_client(callers_http())
        .max_response_bytes(64)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { limit: 64, .. }), "{e:?}");
    // The caller's client has no timeout: the builder's applies to each request.
    let e = client
        .authorization()
        .get_authorization_divisions_home()
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Timeout { phase: TimeoutPhase::Request, after, .. } if after == Duration::from_millis(200)),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_preflight_check_refuses_before_hooks_or_the_callers_client_see_anything() {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&seen);
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .http_client(callers_http())
        .preflight(Grants::new(["authorization:role:view"]))
        .before_send(move |_, _| *counted.lock().unwrap() += 1)
        .build()
        .unwrap();
    let e = client
        .authorization()
        .delete_authorization_role("r1")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert_eq!(*seen.lock().unwrap(), 0, "no hook ran");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn default_headers_go_with_every_api_request_and_not_to_the_token_endpoint() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .respond_with(products_ok())
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .default_header(
            HeaderName::from_static("x-tenant"),
            HeaderValue::from_static("acme"),
        )
        .default_header(
            HeaderName::from_static("user-agent"),
            HeaderValue::from_static("my-app/1.0"),
        )
        .retry_policy(fast())
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let tenant = |r: &wiremock::Request| {
        r.headers
            .get("x-tenant")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let seen: Vec<(String, Option<String>)> = requests
        .iter()
        .map(|r| (r.url.path().to_owned(), tenant(r)))
        .collect();
    let acme = Some("acme".to_owned());
    assert_eq!(
        seen,
        [
            ("/oauth/token".to_owned(), None),
            (PRODUCTS.to_owned(), acme.clone()),
            (PRODUCTS.to_owned(), acme)
        ]
    );
    // A default header replaces the client's own `User-Agent` on API requests.
    assert_eq!(requests[1].headers.get("user-agent").unwrap(), "my-app/1.0");
    assert!(requests[1].headers.get_all("user-agent").iter().count() == 1);
}

#[test]
fn headers_the_client_sets_cannot_be_defaults() {
    let with = |name: &'static str| {
        Client::builder()
            .access_token("t")
            .default_header(HeaderName::from_static(name), HeaderValue::from_static("x"))
            .build()
            .map(drop)
    };
    for name in ["authorization", "accept", "content-type"] {
        assert!(
            matches!(with(name), Err(BuildError::ReservedHeader(ref h)) if h == name),
            "{name}"
        );
    }
    assert!(with("x-tenant").is_ok());
    // The reserved auth header is the service's own.
    let csp = vmware_csp::Client::builder()
        .access_token("t")
        .default_header(
            HeaderName::from_static("csp-auth-token"),
            HeaderValue::from_static("x"),
        )
        .build()
        .map(drop);
    assert!(
        matches!(csp, Err(BuildError::ReservedHeader(ref h)) if h == "csp-auth-token"),
        "{csp:?}"
    );
    let authorization = vmware_csp::Client::builder()
        .access_token("t")
        .default_header(
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("x"),
        )
        .build();
    assert!(
        authorization.is_ok(),
        "only the service's auth header is reserved"
    );
}

#[test]
fn settings_of_the_builders_own_http_client_are_refused_with_a_callers() {
    let build = |b: genesys_cloud_client::genesys_cloud::ClientBuilder| {
        b.access_token("t")
            .http_client(reqwest::Client::new())
            .build()
            .map(drop)
    };
    let e = build(Client::builder().connect_timeout(Duration::from_secs(1))).unwrap_err();
    assert!(
        matches!(e, BuildError::NotWithHttpClient("connect_timeout")),
        "{e:?}"
    );
    let e = build(Client::builder().redirect_policy(RedirectPolicy::none())).unwrap_err();
    assert!(
        matches!(e, BuildError::NotWithHttpClient("redirect_policy")),
        "{e:?}"
    );
    assert!(
        build(
            Client::builder()
                .timeout(Duration::from_secs(1))
                .max_response_bytes(10)
        )
        .is_ok()
    );
}

#[tokio::test]
async fn a_callers_client_keeps_the_redirect_rule_it_is_given() {
    let server = MockServer::start().await;
    Mock::given(path(PRODUCTS))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", "http://elsewhere.invalid/steal"),
        )
        .mount(&server)
        .await;
    let http = reqwest::Client::builder()
        .redirect(RedirectPolicy::default().to_reqwest())
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .http_client(http)
        .build()
        .unwrap();
    let e = client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let Error::Redirect { refused, .. } = e else {
        panic!("{e:?}")
    };
    assert_eq!(refused.location, "http://elsewhere.invalid/steal");
}

/// What the hooks saw: (operation, attempt number, status or `None` for no response).
type Log = Arc<Mutex<Vec<(&'static str, u32, Option<u16>)>>>;

fn logging(
    log: &Log,
) -> impl Fn(&Attempt, Result<&reqwest::Response, &reqwest::Error>) + Send + Sync + 'static {
    let log = Arc::clone(log);
    move |attempt, outcome| {
        let status = outcome.ok().map(|r| r.status().as_u16());
        log.lock()
            .unwrap()
            .push((attempt.operation.name, attempt.number, status));
    }
}

#[tokio::test]
async fn hooks_run_around_every_attempt_and_may_change_the_request() {
    let server = MockServer::start().await;
    Mock::given(path(PRODUCTS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .and(header("x-attempt", "2"))
        .respond_with(products_ok())
        .mount(&server)
        .await;
    let log = Log::default();
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .retry_policy(fast())
        .before_send(|attempt, request| {
            request
                .headers_mut()
                .insert("x-attempt", HeaderValue::from(attempt.number));
        })
        .after_response(logging(&log))
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            ("get_authorization_products", 1, Some(503)),
            ("get_authorization_products", 2, Some(200))
        ]
    );
    let requests = server.received_requests().await.unwrap();
    let numbers: Vec<&str> = requests
        .iter()
        .map(|r| r.headers.get("x-attempt").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1", "2"]);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_and_the_repeat_keeps_its_attempt_number() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok", "expires_in": 3600})),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .respond_with(products_ok())
        .mount(&server)
        .await;
    let log = Log::default();
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .after_response(logging(&log))
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            ("get_authorization_products", 1, Some(401)),
            ("get_authorization_products", 1, Some(200))
        ]
    );
}

#[tokio::test]
async fn hooks_see_an_attempt_that_got_no_response() {
    // Nothing listens on port 9 of loopback.
    let log = Log::default();
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("t")
        .retry_policy(RetryPolicy::none())
        .after_response(logging(&log))
        .build()
        .unwrap();
    let e = client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Connect { .. }), "{e:?}");
    assert_eq!(
        *log.lock().unwrap(),
        [("get_authorization_products", 1, None)]
    );
}

/// A hook as a type: both methods, in the order hooks were added.
struct Tagger(&'static str, Arc<Mutex<Vec<&'static str>>>);

impl Hook for Tagger {
    fn before_send(&self, _: &Attempt, request: &mut reqwest::Request) {
        request
            .headers_mut()
            .append("x-tag", HeaderValue::from_static(self.0));
    }

    fn after_response(&self, _: &Attempt, _: Result<&reqwest::Response, &reqwest::Error>) {
        self.1.lock().unwrap().push(self.0);
    }
}

#[tokio::test]
async fn hooks_run_in_the_order_they_were_added() {
    let server = MockServer::start().await;
    Mock::given(path(PRODUCTS))
        .respond_with(products_ok())
        .mount(&server)
        .await;
    let order = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .hook(Tagger("first", Arc::clone(&order)))
        .hook(Tagger("second", Arc::clone(&order)))
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert_eq!(*order.lock().unwrap(), ["first", "second"]);
    let requests = server.received_requests().await.unwrap();
    let tags: Vec<&str> = requests[0]
        .headers
        .get_all("x-tag")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(tags, ["first", "second"]);
}
