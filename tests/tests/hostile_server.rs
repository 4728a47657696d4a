//! The client against servers that misbehave, on loopback: numbers that overflow, bodies that
//! never end, redirects elsewhere, slow drips, cut-off bodies, invalid UTF-8, compression
//! bombs, header floods, and arbitrary responses. Nothing may panic, leak to another origin, or
//! hold more memory than the limits say; every failure is a typed error whose first line says
//! what happened.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use genesys_cloud_client::genesys_cloud::{self, models::DomainOrganizationRoleCreate};
use genesys_cloud_client::runtime::{
    DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_CAP, Error, RedirectPolicy, RedirectReason, RetryPolicy,
    TimeoutPhase,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A loopback server that answers every connection by running `respond` on the raw socket,
/// after reading the request head (and dropping any body): full control over the bytes.
struct RawServer {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    async fn start<F, Fut>(respond: F) -> RawServer
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        let respond = Arc::new(respond);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let respond = respond.clone();
                tokio::spawn(async move {
                    if read_head(&mut socket).await {
                        respond(socket).await;
                    }
                });
            }
        });
        RawServer { url, connections }
    }

    /// A server that sends `bytes` and closes the connection.
    async fn answering(bytes: Vec<u8>) -> RawServer {
        let bytes = Arc::new(bytes);
        RawServer::start(move |mut socket| {
            let bytes = bytes.clone();
            async move {
                let _ = socket.write_all(&bytes).await;
                let _ = socket.shutdown().await;
            }
        })
        .await
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads up to the end of the request head; false when the client went away first.
async fn read_head(socket: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return false,
        }
    }
    true
}

fn client_for(url: &str) -> genesys_cloud::ClientBuilder {
    genesys_cloud::Client::builder()
        .base_url(url)
        .access_token("secret-token")
        .retry_policy(RetryPolicy::none())
}

fn client(url: &str) -> genesys_cloud::Client {
    client_for(url).build().unwrap()
}

/// Sends an endless chunked body of `{"x":"xxxx…` until the client hangs up.
async fn endless_chunked(mut socket: TcpStream, status: u16) {
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b'x'; 64 * 1024];
    let framed = [
        format!("{:x}\r\n", chunk.len()).into_bytes(),
        chunk,
        b"\r\n".to_vec(),
    ]
    .concat();
    // At most 200 MB, then the body ends properly.
    for _ in 0..(200 * 1024 * 1024 / (64 * 1024)) {
        if socket.write_all(&framed).await.is_err() {
            return;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
}

#[tokio::test]
async fn a_huge_retry_after_gives_up_instead_of_overflowing() {
    // The 429 arrives a second after the request: elapsed + u64::MAX seconds used to panic.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "18446744073709551615")
                .set_delay(Duration::from_secs(1)),
        )
        .mount(&server)
        .await;
    let c = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    let err = c
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "a wait beyond the budget is not waited"
    );
}

#[tokio::test]
async fn odd_retry_after_values_fall_back_to_backoff() {
    for value in [
        "-1",
        "1e999",
        "soon",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "99999999999999999999999",
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", value))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
        let policy =
            RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_millis(5));
        let c = genesys_cloud::Client::builder()
            .base_url(server.uri())
            .access_token("t")
            .retry_policy(policy)
            .build()
            .unwrap();
        let started = Instant::now();
        c.authorization()
            .get_authorization_products()
            .await
            .unwrap_or_else(|e| panic!("{value}: {e}"));
        assert!(started.elapsed() < Duration::from_secs(2), "{value}");
    }
}

#[tokio::test]
async fn a_token_that_never_expires_is_cached_without_overflow() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok", "expires_in": u64::MAX})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let c = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    c.authorization()
        .get_authorization_products()
        .await
        .unwrap();
    c.authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let tokens = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count();
    assert_eq!(tokens, 1);
}

#[tokio::test]
async fn an_endless_body_stops_at_the_default_limit() {
    let server = RawServer::start(|socket| endless_chunked(socket, 200)).await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let Error::BodyTooLarge {
        limit,
        declared,
        status,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*limit, *declared, *status),
        (DEFAULT_MAX_RESPONSE_BYTES, None, 200)
    );
    assert_eq!(
        err.to_string(),
        format!(
            "get_authorization_products: the 200 response's body exceeds the limit of {DEFAULT_MAX_RESPONSE_BYTES} bytes"
        )
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading() {
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n{";
    let server = RawServer::answering(head.as_bytes().to_vec()).await;
    let started = Instant::now();
    let err = client_for(&server.url)
        .max_response_bytes(1024)
        .build()
        .unwrap()
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 1024,
                declared: Some(209_715_200),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("exceeds the limit of 1024 bytes (it declared 209715200)"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_limit_is_configurable_and_exact() {
    let body = json!({"entities": [], "name": "x".repeat(1000)}).to_string();
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let server = RawServer::answering(response.into_bytes()).await;
    let exact = body.len() as u64;
    client_for(&server.url)
        .max_response_bytes(exact)
        .build()
        .unwrap()
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let err = client_for(&server.url)
        .max_response_bytes(exact - 1)
        .build()
        .unwrap()
        .authorization()
        .get_authorization_products()
        .await;
    assert!(matches!(err, Err(Error::BodyTooLarge { .. })), "{err:?}");
}

#[tokio::test]
async fn a_huge_error_body_is_kept_up_to_the_cap() {
    let server = RawServer::start(|socket| endless_chunked(socket, 500)).await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 500);
    assert!(api.truncated);
    assert_eq!(api.raw.len() as u64, ERROR_BODY_CAP);
    assert!(api.body.is_none(), "a cut-off body is not parsed");
    assert_eq!(api.content_type.as_deref(), Some("application/json"));
    assert!(
        err.to_string()
            .lines()
            .next()
            .unwrap()
            .starts_with("get_authorization_products: the server answered 500")
    );
}

/// A server that redirects every request to `location` with `status`.
async fn redirecting(status: u16, location: String) -> RawServer {
    let response =
        format!("HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n");
    RawServer::answering(response.into_bytes()).await
}

#[tokio::test]
async fn a_307_to_another_origin_does_not_resend_the_body() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "stolen"})))
        .mount(&elsewhere)
        .await;
    let server = redirecting(
        307,
        format!("{}/api/v2/authorization/roles", elsewhere.uri()),
    )
    .await;
    let body = DomainOrganizationRoleCreate::new("Role");
    let err = client(&server.url)
        .authorization()
        .post_authorization_roles(body)
        .await
        .unwrap_err();
    let Error::Redirect { refused, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (refused.status, refused.reason),
        (307, RedirectReason::OtherOrigin)
    );
    assert_eq!(
        refused.location,
        format!("{}/api/v2/authorization/roles", elsewhere.uri())
    );
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "nothing reached the other origin"
    );
    let line = err.to_string();
    assert!(
        line.starts_with(&format!("post_authorization_roles: the server redirected (307) to {}/api/v2/authorization/roles, not followed: it leads to another origin", elsewhere.uri())),
        "{line}"
    );
}

#[tokio::test]
async fn a_302_to_another_host_is_refused_and_an_allowed_origin_is_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&elsewhere)
        .await;
    // Same port, another host name: another origin.
    let other_host = elsewhere.uri().replace("127.0.0.1", "localhost");
    let server = redirecting(302, format!("{other_host}/x")).await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { refused, .. } if refused.status == 302),
        "{err:?}"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());

    let trusting = client_for(&server.url)
        .redirect_policy(RedirectPolicy::default().allow_origin(&other_host))
        .build()
        .unwrap();
    trusting
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let reached = elsewhere.received_requests().await.unwrap();
    assert_eq!(reached.len(), 1, "followed to the allowed origin");
}

#[tokio::test]
async fn same_origin_redirects_are_followed_unless_disabled() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(ResponseTemplate::new(308).insert_header("Location", "/moved"))
        .mount(&server)
        .await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client(&server.uri())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let moved = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.url.path() == "/moved")
        .unwrap();
    assert_eq!(
        moved.headers.get("authorization").unwrap(),
        "Bearer secret-token",
        "same origin keeps the token"
    );

    let strict = client_for(&server.uri())
        .redirect_policy(RedirectPolicy::none())
        .build()
        .unwrap();
    let err = strict
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { refused, .. } if refused.reason == RedirectReason::Disabled),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_redirect_loop_ends_at_the_limit() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/again"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { refused, .. } if refused.reason == RedirectReason::TooMany(5)),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn the_token_endpoint_cannot_redirect_the_secret_elsewhere() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "x"})))
        .mount(&elsewhere)
        .await;
    let token = redirecting(307, format!("{}/oauth/token", elsewhere.uri())).await;
    let api = MockServer::start().await;
    let c = genesys_cloud::Client::builder()
        .base_url(api.uri())
        .token_url(format!("{}/oauth/token", token.url))
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    let err = c
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Token { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("not followed: it leads to another origin"),
        "{err}"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    assert!(api.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn connection_refused_says_so_first() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let Error::Connect { origin, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(origin, &url);
    let line = err.to_string();
    assert!(
        line.starts_with(&format!(
            "get_authorization_products: cannot connect to {url}: "
        )),
        "{line}"
    );
    assert!(line.to_lowercase().contains("refused"), "{line}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_server_that_drips_bytes_hits_the_overall_deadline() {
    let server = RawServer::start(|mut socket| async move {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..1000 {
            if socket.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let started = Instant::now();
    let c = client_for(&server.url)
        .timeout(Duration::from_millis(400))
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
            Error::Timeout {
                phase: TimeoutPhase::Request,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        err.to_string(),
        "get_authorization_products: timed out: no complete response within the request timeout of 400ms"
    );
}

#[tokio::test]
async fn a_slow_token_endpoint_says_which_timeout_fired() {
    let token = RawServer::start(|socket| async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(socket);
    })
    .await;
    let api = MockServer::start().await;
    let c = genesys_cloud::Client::builder()
        .base_url(api.uri())
        .token_url(format!("{}/oauth/token", token.url))
        .client_credentials("id", "secret")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = c
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Token { .. }), "{err:?}");
    assert!(
        err.to_string().ends_with(
            "failed: timed out: no complete response within the request timeout of 300ms"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_body_is_a_typed_error() {
    let server =
        RawServer::answering(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"name\":".to_vec())
            .await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Request { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "get_authorization_products: the response body was cut off or unreadable: "
        ),
        "{err}"
    );

    let server = RawServer::answering(
        b"HTTP/1.1 503 X\r\nContent-Length: 100\r\n\r\n{\"message\":".to_vec(),
    )
    .await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let api = err.api().expect("the status is known");
    assert_eq!(
        (api.status, api.truncated, api.raw.as_str()),
        (503, true, "{\"message\":")
    );
}

#[tokio::test]
async fn invalid_utf8_is_a_decode_error_or_a_lossy_raw_body() {
    let server = RawServer::answering(
        b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"name\":\"\xff\xfe\"}".to_vec(),
    )
    .await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    let server =
        RawServer::answering(b"HTTP/1.1 400 Bad\r\nContent-Length: 4\r\n\r\nab\xffc".to_vec())
            .await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().raw, "ab\u{fffd}c");
}

#[tokio::test]
async fn a_compression_bomb_is_never_expanded() {
    // 100 MB of zeros, gzip-compressed to about 100 KB.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..100 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        bomb.len()
    );
    let server = RawServer::answering([head.into_bytes(), bomb].concat()).await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    // The client asks for no compression and decompresses nothing: the bytes are not JSON.
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    let recorder = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&recorder)
        .await;
    client(&recorder.uri())
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let request = &recorder.received_requests().await.unwrap()[0];
    assert!(
        request.headers.get("accept-encoding").is_none(),
        "no compression is asked for"
    );
}

#[tokio::test]
async fn a_flood_of_headers_is_a_typed_error() {
    let mut response = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..10_000 {
        response.extend_from_slice(format!("X-Flood-{i}: {}\r\n", "v".repeat(20)).as_bytes());
    }
    response.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
    let server = RawServer::answering(response).await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Request { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "get_authorization_products: no valid HTTP response: message head is too large"
        ),
        "{err}"
    );

    let huge = format!(
        "HTTP/1.1 200 OK\r\nX-Big: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        "v".repeat(2 * 1024 * 1024)
    );
    let server = RawServer::answering(huge.into_bytes()).await;
    let err = client(&server.url)
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Request { .. }), "{err:?}");
}

#[tokio::test]
async fn a_json_error_body_that_is_not_the_vendors_is_only_raw() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/authorization/products"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_json(json!({"error": "bad gateway", "upstream": "x"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/divisions/home"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "no home", "code": "not.found", "status": 404})),
        )
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = c
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert!(api.body.is_none(), "{:?}", api.body);
    assert_eq!(api.raw, r#"{"error":"bad gateway","upstream":"x"}"#);
    assert_eq!(api.content_type.as_deref(), Some("application/json"));
    assert!(!api.truncated);

    let err = c
        .authorization()
        .get_authorization_divisions_home()
        .await
        .unwrap_err();
    let body = err
        .api()
        .unwrap()
        .body
        .as_ref()
        .expect("the vendor's error model");
    assert_eq!(
        (body.message.as_deref(), body.code.as_deref(), body.status),
        (Some("no home"), Some("not.found"), Some(404))
    );
}

#[tokio::test]
async fn page_counts_from_the_server_cannot_run_away() {
    use futures_util::TryStreamExt;
    for count in [json!(-5), json!(0), json!(2147483647)] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"entities": [{"id": "a"}], "pageCount": count})),
            )
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"entities": [], "pageCount": count})),
            )
            .mount(&server)
            .await;
        let items: Vec<_> = client(&server.uri())
            .authorization()
            .get_authorization_roles()
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert!(items.len() <= 2, "{count}: {}", items.len());
    }
    // Starting at the last page number there is: one page, no overflow.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": [{"id": "a"}]})))
        .mount(&server)
        .await;
    let request = client(&server.uri())
        .authorization()
        .get_authorization_roles()
        .page_number(i32::MAX);
    let items: Vec<_> = request
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
}

/// One arbitrary response, as bytes on the wire.
#[derive(Debug, Clone)]
struct Scripted {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    declared: Option<u64>,
}

impl Scripted {
    fn bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} Whatever\r\n", self.status).into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        let length = self.declared.unwrap_or(self.body.len() as u64);
        out.extend_from_slice(
            format!("Content-Length: {length}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        out.extend_from_slice(&self.body);
        out
    }
}

mod arbitrary {
    use proptest::prelude::*;

    fn header() -> impl Strategy<Value = (String, String)> {
        let name = prop_oneof![
            Just("Retry-After".to_owned()),
            Just("Location".to_owned()),
            Just("Content-Type".to_owned()),
            Just("ININ-Correlation-Id".to_owned()),
            Just("Content-Encoding".to_owned()),
            Just("Transfer-Encoding".to_owned()),
            "[A-Za-z-]{1,12}",
        ];
        let value = prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            Just("18446744073709551616".to_owned()),
            Just("/elsewhere".to_owned()),
            Just("http://localhost:1/x".to_owned()),
            Just("gzip".to_owned()),
            Just("chunked".to_owned()),
            Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
            "[ -~]{0,40}",
        ];
        (name, value)
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            Just(
                br#"{"entities":[{"id":"a"}],"pageCount":9223372036854775807,"total":-1}"#.to_vec()
            ),
            Just(br#"{"message":"m","code":"c","status":99999999999}"#.to_vec()),
            Just(br#"{"message":1}"#.to_vec()),
        ]
    }

    prop_compose! {
        pub(super) fn response()(
            status in prop_oneof![100u16..600, 600u16..1000, Just(200u16), Just(429u16), Just(307u16), Just(302u16), Just(503u16)],
            headers in prop::collection::vec(header(), 0..6),
            body in body(),
            declared in prop::option::weighted(0.2, any::<u64>()),
        ) -> super::Scripted {
            super::Scripted { status, headers, body, declared }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, failure_persistence: None, ..Default::default() })]

    /// Whatever status, headers and body a server sends, the call ends in bounded time with a
    /// value or a typed error: no panic, no hang, no retry beyond the policy.
    #[test]
    fn arbitrary_responses_never_panic(response in arbitrary::response()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let outcome = runtime.block_on(async {
            let server = RawServer::answering(response.bytes()).await;
            let policy = RetryPolicy::default().with_max_elapsed(Duration::from_millis(50)).with_delays(Duration::from_millis(1), Duration::from_millis(2));
            let c = client_for(&server.url).retry_policy(policy).timeout(Duration::from_millis(500)).max_response_bytes(1024).build().unwrap();
            let started = Instant::now();
            let result = c.authorization().get_authorization_roles().await;
            (result, started.elapsed(), server.connections())
        });
        let (result, elapsed, connections) = outcome;
        proptest::prop_assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
        proptest::prop_assert!(connections <= 3 * 6, "{connections} connections");
        if let Err(e) = result {
            let line = e.to_string();
            proptest::prop_assert!(line.starts_with("get_authorization_roles: "), "{line}");
            if let Error::Api(api) = &e {
                proptest::prop_assert!(api.raw.len() as u64 <= ERROR_BODY_CAP);
                proptest::prop_assert!(!(200..300).contains(&api.status));
            }
        }
    }
}
