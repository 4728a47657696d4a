//! Signing a user in, on loopback: what the token endpoint receives for the authorization code,
//! PKCE, SAML2 bearer and refresh grants (as the vendor's SDKs send them), the authorize URL,
//! refresh before expiry and on a 401 with concurrent calls, a revoked refresh token, tokens
//! handed to the caller and started from, and secrets that never leak.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use genesys_cloud_client::genesys_cloud::{self, AUTH};
use genesys_cloud_client::runtime::signin::{Pkce, SignIn, UserSession, UserTokens};
use genesys_cloud_client::runtime::{Error, Grant};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PRODUCTS: &str = "/api/v2/authorization/products";
const SECRET: &str = "s3cr3t-client-secret";
/// `Basic base64("my-client:s3cr3t-client-secret")`.
const BASIC: &str = "Basic bXktY2xpZW50OnMzY3IzdC1jbGllbnQtc2VjcmV0";
const REDIRECT: &str = "http://localhost:8080/callback";

fn granted(access: &str, refresh: Option<&str>, expires_in: u64) -> ResponseTemplate {
    let mut body =
        json!({"access_token": access, "token_type": "bearer", "expires_in": expires_in});
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn form(request: &Request) -> Vec<(String, String)> {
    url_pairs(std::str::from_utf8(&request.body).unwrap())
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                reqwest::Url::parse(&format!("http://x/?a={s}"))
                    .unwrap()
                    .query_pairs()
                    .next()
                    .unwrap()
                    .1
                    .into_owned()
            };
            (k.to_owned(), decode(v))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn token_requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .collect()
}

fn sign_in(server: &MockServer) -> SignIn {
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .sign_in()
}

async fn products_ok(server: &MockServer, bearer: &str) {
    Mock::given(path(PRODUCTS))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_authorization_code_is_exchanged_with_the_clients_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback"))
        .respond_with(granted("user-access", Some("user-refresh"), 3600))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = sign_in(&server)
        .exchange_code("my-client", SECRET, "the-code", REDIRECT)
        .await
        .unwrap();
    assert_eq!(
        (tokens.access_token(), tokens.refresh_token()),
        ("user-access", Some("user-refresh"))
    );
    let expires = tokens
        .expires_at()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(
        expires > Duration::from_secs(3590) && expires <= Duration::from_secs(3600),
        "{expires:?}"
    );
}

#[tokio::test]
async fn pkce_sends_the_challenge_then_the_verifier_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(granted("a", Some("r"), 3600))
        .expect(1)
        .mount(&server)
        .await;
    let sign_in = sign_in(&server);
    let pkce = Pkce::new().unwrap();
    let url = sign_in
        .authorize_url("my-client", REDIRECT, "the-state", Some(&pkce))
        .unwrap();
    let (endpoint, query) = url.split_once('?').unwrap();
    assert_eq!(endpoint, format!("{}/oauth/authorize", server.uri()));
    assert_eq!(
        url_pairs(query),
        pairs(&[
            ("client_id", "my-client"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("state", "the-state"),
            ("code_challenge", pkce.challenge()),
            ("code_challenge_method", "S256"),
        ])
    );
    sign_in
        .exchange_pkce("my-client", "the-code", REDIRECT, &pkce)
        .await
        .unwrap();
    let sent = &token_requests(&server).await[0];
    assert!(
        sent.headers.get("authorization").is_none(),
        "a public client sends no secret"
    );
    assert_eq!(
        form(sent),
        pairs(&[
            ("grant_type", "authorization_code"),
            ("code", "the-code"),
            ("redirect_uri", REDIRECT),
            ("code_verifier", pkce.verifier()),
            ("client_id", "my-client"),
        ])
    );
    // Without PKCE the authorize URL carries no challenge.
    let plain = sign_in
        .authorize_url("my-client", REDIRECT, "s", None)
        .unwrap();
    assert!(!plain.contains("code_challenge"), "{plain}");
}

#[tokio::test]
async fn a_saml2_assertion_is_exchanged_with_the_organization_name() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(body_string(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=PHNhbWw%2BPC9zYW1sPg%3D%3D&orgName=my-org",
        ))
        .respond_with(granted("saml-access", None, 3600))
        .expect(1)
        .mount(&server)
        .await;
    let sign_in = sign_in(&server);
    let tokens = sign_in
        .saml2_bearer(
            "my-client",
            SECRET,
            "PHNhbWw+PC9zYW1sPg==",
            &[("org_name", "my-org")],
        )
        .await
        .unwrap();
    assert_eq!(
        (tokens.access_token(), tokens.refresh_token()),
        ("saml-access", None)
    );
    // The service's own parameters are checked before anything is sent.
    let missing = sign_in
        .saml2_bearer("my-client", SECRET, "x", &[])
        .await
        .unwrap_err();
    assert!(
        missing.message.contains("needs the parameter `org_name`"),
        "{missing}"
    );
    let unknown = sign_in
        .saml2_bearer(
            "my-client",
            SECRET,
            "x",
            &[("org_name", "o"), ("tenant", "t")],
        )
        .await
        .unwrap_err();
    assert!(
        unknown.message.contains("no parameter `tenant`"),
        "{unknown}"
    );
}

#[tokio::test]
async fn a_refused_code_is_a_typed_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"error": "invalid_grant", "error_description": "code expired"}),
            ),
        )
        .mount(&server)
        .await;
    let e = sign_in(&server)
        .exchange_code("my-client", SECRET, "the-code", REDIRECT)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status, e.error.as_deref(), e.is_invalid_grant()),
        (Some(400), Some("invalid_grant"), true)
    );
    let shown = format!("{e} {e:?}");
    assert!(shown.contains("invalid_grant (code expired)"), "{shown}");
    for secret in [SECRET, "the-code"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn the_login_host_is_the_regions_or_the_one_given() {
    let region = genesys_cloud::Client::builder()
        .region(genesys_cloud::Region::default())
        .sign_in();
    let url = region.authorize_url("c", REDIRECT, "s", None).unwrap();
    assert!(
        url.starts_with("https://login.mypurecloud.com/oauth/authorize?"),
        "{url}"
    );
    assert_eq!(
        region.token_endpoint(Grant::Saml2Bearer).as_deref(),
        Some("https://login.mypurecloud.com/oauth/token")
    );
    let custom = SignIn::new("https://api.mypurecloud.ie", &AUTH)
        .login_origin("https://login.example.test:8443/");
    assert_eq!(
        custom.token_endpoint(Grant::Pkce).as_deref(),
        Some("https://login.example.test:8443/oauth/token")
    );
    assert!(
        custom
            .authorize_url("c", REDIRECT, "s", None)
            .unwrap()
            .starts_with("https://login.example.test:8443/oauth/authorize?")
    );
    // A builder's token URL moves the login host with it.
    let moved = genesys_cloud::Client::builder()
        .token_url("http://127.0.0.1:9/oauth/token")
        .sign_in();
    assert_eq!(
        moved.token_endpoint(Grant::AuthorizationCode).as_deref(),
        Some("http://127.0.0.1:9/oauth/token")
    );
}

/// A client acting as the user, counting the tokens handed to `on_tokens`.
fn user_client(
    server: &MockServer,
    tokens: UserTokens,
    seen: &Arc<Mutex<Vec<UserTokens>>>,
) -> genesys_cloud::Client {
    let seen = Arc::clone(seen);
    let session = UserSession::new("my-client", tokens)
        .client_secret(SECRET)
        .on_tokens(move |t| seen.lock().unwrap().push(t.clone()));
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .user_session(session)
        .build()
        .unwrap()
}

fn expiring_in(seconds: u64) -> Option<SystemTime> {
    SystemTime::now().checked_add(Duration::from_secs(seconds))
}

async fn twenty_concurrent_calls(client: &genesys_cloud::Client) {
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.authorization().get_authorization_products().await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
}

#[tokio::test]
async fn tokens_about_to_expire_are_refreshed_once_for_twenty_concurrent_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(body_string(
            "grant_type=refresh_token&refresh_token=stored-refresh",
        ))
        .respond_with(
            granted("fresh-access", Some("rotated-refresh"), 3600)
                .set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    products_ok(&server, "fresh-access").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    // Stored tokens that expire in 30 s: inside the refresh margin.
    let stored = UserTokens::new(
        "stale-access",
        Some("stored-refresh".into()),
        expiring_in(30),
    );
    let client = user_client(&server, stored, &seen);
    twenty_concurrent_calls(&client).await;
    assert_eq!(token_requests(&server).await.len(), 1);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "the new tokens are handed over once");
    assert_eq!(
        (seen[0].access_token(), seen[0].refresh_token()),
        ("fresh-access", Some("rotated-refresh"))
    );
    let now = client.user_tokens().await.unwrap();
    assert_eq!(now, seen[0]);
}

#[tokio::test]
async fn a_401_refreshes_once_for_twenty_concurrent_calls_and_keeps_the_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(granted("fresh-access", None, 3600).set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .and(header("authorization", "Bearer revoked-access"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    products_ok(&server, "fresh-access").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stored = UserTokens::new(
        "revoked-access",
        Some("stored-refresh".into()),
        expiring_in(3600),
    );
    let client = user_client(&server, stored, &seen);
    twenty_concurrent_calls(&client).await;
    assert_eq!(token_requests(&server).await.len(), 1);
    // The answer had no refresh token: the one in force stays.
    let now = client.user_tokens().await.unwrap();
    assert_eq!(
        (now.access_token(), now.refresh_token()),
        ("fresh-access", Some("stored-refresh"))
    );
}

#[tokio::test]
async fn a_revoked_refresh_token_fails_the_call_with_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(PRODUCTS))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stored = UserTokens::new("old-access", Some("revoked-refresh".into()), None);
    let client = user_client(&server, stored, &seen);
    let e = client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let Error::Refresh { operation, source } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (*operation, source.status, source.is_invalid_grant()),
        ("get_authorization_products", Some(400), true)
    );
    assert!(seen.lock().unwrap().is_empty());
    let shown = format!("{e} {e:?} {client:?}");
    assert!(
        shown.contains("my-client"),
        "the client id is not a secret: {shown}"
    );
    for secret in [SECRET, "revoked-refresh", "old-access"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn without_a_refresh_token_a_refused_access_token_is_the_apis_answer() {
    let server = MockServer::start().await;
    Mock::given(path(PRODUCTS))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = user_client(
        &server,
        UserTokens::new("only-access", None, expiring_in(10)),
        &seen,
    );
    let e = client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(401), "{e:?}");
    assert!(
        token_requests(&server).await.is_empty(),
        "nothing to refresh with"
    );
}

#[tokio::test]
async fn a_public_client_refreshes_with_its_id_in_the_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string(
            "grant_type=refresh_token&refresh_token=r1&client_id=my-client",
        ))
        .respond_with(granted("fresh-access", Some("r2"), 3600))
        .expect(2)
        .mount(&server)
        .await;
    products_ok(&server, "fresh-access").await;
    let session = UserSession::new(
        "my-client",
        UserTokens::new("a", Some("r1".into()), expiring_in(1)),
    );
    let client = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .user_session(session)
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    assert!(
        token_requests(&server).await[0]
            .headers
            .get("authorization")
            .is_none()
    );
    // And `SignIn::refresh` sends the same.
    let again = sign_in(&server)
        .refresh("my-client", None, "r1")
        .await
        .unwrap();
    assert_eq!(again.refresh_token(), Some("r2"));
}
