//! The generated clients against a real HTTP server on loopback (wiremock): exact method,
//! path, query, headers and body on the wire; typed success values; typed errors.

use genesys_cloud_client::{genesys_cloud, vmware_csp};
use serde_json::json;
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn genesys(server: &MockServer) -> genesys_cloud::Client {
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        .build()
        .unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn query_parameters_arrays_and_defaults_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/authorization/roles"))
        .and(header("authorization", "Bearer test-token"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "entities": [{"id": "r1", "name": "Admin", "permissions": ["a:b:c"], "userCount": 3}],
            "pageSize": 50, "pageNumber": 2, "total": 51, "pageCount": 2
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = genesys(&server).await;
    let page = client
        .authorization()
        .get_authorization_roles()
        .page_size(50)
        .page_number(2)
        .id(["a b", "c&d"])
        .user_count(false)
        .await
        .unwrap();
    let request = only_request(&server).await;
    // Set parameters only, in spec order; arrays repeat the key; values are percent-encoded.
    assert_eq!(
        request.url.query(),
        Some("pageSize=50&pageNumber=2&userCount=false&id=a%20b&id=c%26d")
    );
    assert_eq!(page.total, Some(51));
    let role = &page.entities.unwrap()[0];
    assert_eq!(role.name.as_deref(), Some("Admin"));
    assert_eq!(role.user_count, Some(3));
}

#[tokio::test]
async fn unset_optional_parameters_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    genesys(&server)
        .await
        .authorization()
        .get_authorization_roles()
        .send()
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn path_parameters_are_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    genesys(&server)
        .await
        .authorization()
        .delete_authorization_role("../x/y?z#w%")
        .await
        .unwrap();
    // (`.`, `..` and empty values are refused before sending: see runtime_retry.rs.)
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        request.url.path(),
        "/api/v2/authorization/roles/..%2Fx%2Fy%3Fz%23w%25"
    );
}

#[tokio::test]
async fn json_bodies_and_list_returns() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/authorization/roles/r1/users/add"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!(["u1", "u2"])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["u1", "u2"])))
        .expect(1)
        .mount(&server)
        .await;
    let added = genesys(&server)
        .await
        .authorization()
        .put_authorization_role_users_add("r1", vec!["u1".into(), "u2".into()])
        .await
        .unwrap();
    assert_eq!(added, ["u1", "u2"]);
}

#[tokio::test]
async fn integer_returns_decode() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/authorization/divisions/limit"))
        .respond_with(ResponseTemplate::new(200).set_body_string("1000"))
        .mount(&server)
        .await;
    assert_eq!(
        genesys(&server)
            .await
            .authorization()
            .get_authorization_divisions_limit()
            .await
            .unwrap(),
        1000
    );
}

#[tokio::test]
async fn enum_path_parameters_and_required_bodies() {
    use genesys_cloud::authorization::ObjectType;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/authorization/divisions/d1/objects/QUEUE"))
        .and(body_json(json!(["q1"])))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    genesys(&server)
        .await
        .authorization()
        .post_authorization_division_object("d1", ObjectType::Queue, vec!["q1".into()])
        .await
        .unwrap();
}

#[tokio::test]
async fn legacy_names_call_the_current_operation() {
    let mock = genesys_cloud::double::MockApi::start().await;
    #[allow(deprecated)]
    let request = mock.client().authorization().get_roles();
    request.page_size(10).await.unwrap();
    let calls = mock.authorization().get_authorization_roles().calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].query, [("pageSize".to_owned(), "10".to_owned())]);
}

#[tokio::test]
async fn error_responses_carry_status_body_and_correlation_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("ININ-Correlation-Id", "corr-123")
                .set_body_json(
                    json!({"message": "role not found", "code": "not.found", "status": 404}),
                ),
        )
        .mount(&server)
        .await;
    let err = genesys(&server)
        .await
        .authorization()
        .get_authorization_role("nope")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let api = err.api().unwrap();
    assert_eq!(api.correlation_id.as_deref(), Some("corr-123"));
    let body = api.body.as_ref().unwrap();
    assert_eq!(body.message.as_deref(), Some("role not found"));
    assert_eq!(body.code.as_deref(), Some("not.found"));
    let text = err.to_string();
    assert!(
        text.contains("get_authorization_role")
            && text.contains("404")
            && text.contains("corr-123"),
        "{text}"
    );
}

#[tokio::test]
async fn error_bodies_that_are_not_the_error_model_are_kept_raw() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let client = genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .retry_policy(genesys_cloud_client::runtime::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert!(api.body.is_none());
    assert_eq!(api.raw, "<html>bad gateway</html>");
}

#[tokio::test]
async fn mistyped_responses_are_decode_errors_with_the_json_path() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"entities": [{"name": "ok"}, {"name": 42}]})),
        )
        .mount(&server)
        .await;
    let err = genesys(&server)
        .await
        .authorization()
        .get_authorization_roles()
        .await
        .unwrap_err();
    match err {
        genesys_cloud_client::runtime::Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(operation, "get_authorization_roles");
            assert_eq!(path, "entities[1].name");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn csp_sends_its_token_header_and_keeps_unknown_enum_values() {
    use vmware_csp::models::{
        OrganizationTrustDtoStatus, OrganizationTrustUpdateRequest,
        OrganizationTrustUpdateRequestStatus,
    };
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/csp/gateway/am/api/orgs/org%2F1/trusts/t1"))
        .and(header("csp-auth-token", "csp-token"))
        .and(body_json(
            json!({"description": "renewed", "status": "ACTIVE"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "trustId": "t1", "status": "PENDING", "type": "PARTNER", "createdAt": 1700000000000_i64
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = vmware_csp::Client::builder()
        .base_url(server.uri())
        .access_token("csp-token")
        .build()
        .unwrap();
    let body = OrganizationTrustUpdateRequest::default()
        .with_description("renewed")
        .with_status(OrganizationTrustUpdateRequestStatus::Active);
    let trust = client
        .organization_trusts()
        .update_organization_trust("org/1", "t1", body)
        .await
        .unwrap();
    assert_eq!(
        trust
            .status
            .as_ref()
            .map(OrganizationTrustDtoStatus::as_str),
        Some("PENDING")
    );
    assert_eq!(trust.r#type.as_ref().map(|t| t.as_str()), Some("PARTNER"));
    assert_eq!(trust.created_at, Some(1_700_000_000_000));
    assert!(
        only_request(&server)
            .await
            .headers
            .get("authorization")
            .is_none()
    );
}

#[test]
fn builders_reject_bad_configuration_and_hide_the_token() {
    use genesys_cloud_client::runtime::BuildError;
    assert!(matches!(
        genesys_cloud::Client::builder().build(),
        Err(BuildError::NoCredentials)
    ));
    assert!(matches!(
        genesys_cloud::Client::builder()
            .base_url("ftp://x")
            .access_token("t")
            .build(),
        Err(BuildError::BaseUrl(_))
    ));
    assert!(matches!(
        genesys_cloud::Client::builder()
            .access_token("bad\ntoken")
            .build(),
        Err(BuildError::InvalidToken)
    ));
    let client = genesys_cloud::Client::builder()
        .access_token("super-secret-token")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("super-secret-token"));
}

#[test]
fn clients_are_send_sync_and_cheap_to_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<genesys_cloud::Client>();
    check::<genesys_cloud::authorization::Authorization>();
    check::<vmware_csp::Client>();
    check::<genesys_cloud::authorization::GetAuthorizationRoles>();
}

#[tokio::test]
async fn non_json_success_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let err = genesys(&server)
        .await
        .authorization()
        .get_authorization_role("r")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            genesys_cloud_client::runtime::Error::Decode {
                operation: "get_authorization_role",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn requests_carry_a_user_agent_naming_the_crate() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    genesys(&server)
        .await
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    let ua = only_request(&server)
        .await
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ua.starts_with("genesys-cloud-client/"), "{ua}");
}

#[tokio::test]
async fn csp_errors_carry_the_csp_error_payload() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "cspErrorCode": "trust.not.active", "message": "Cannot update non-active organization trust.",
            "requestId": "req-9", "statusCode": 400, "moduleCode": 17
        })))
        .mount(&server)
        .await;
    let client = vmware_csp::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    let err = client
        .organization_trusts()
        .update_organization_trust("o", "t", Default::default())
        .await
        .unwrap_err();
    let body = err.api().unwrap().body.as_ref().unwrap();
    assert_eq!(body.csp_error_code.as_deref(), Some("trust.not.active"));
    assert_eq!(
        (
            body.request_id.as_deref(),
            body.status_code,
            body.module_code
        ),
        (Some("req-9"), Some(400), Some(17))
    );
}

/// What the import of release 249.0.0 brought: a required list query parameter, a list of
/// documented values, and operations the documentation no longer lists, kept (deprecated) with
/// their legacy aliases.
#[tokio::test]
async fn required_lists_value_lists_and_operations_no_longer_documented() {
    use genesys_cloud::authorization::{Authorization, Expand};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "r1"})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = genesys(&server).await;
    client
        .organization_authorization()
        .delete_orgauthorization_trustees(["a b", "c&d"])
        .await
        .unwrap();
    client
        .authorization()
        .get_authorization_role("r1")
        .expand([Expand::UnusedPermissions])
        .user_count(false)
        .await
        .unwrap();
    #[allow(deprecated)]
    {
        client
            .authorization()
            .delete_user_roles("u1")
            .await
            .unwrap();
        client
            .authorization()
            .delete_user_id_roles("u2")
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let wire: Vec<String> = requests
        .iter()
        .map(|r| {
            format!(
                "{} {}{}",
                r.method,
                r.url.path(),
                r.url.query().map(|q| format!("?{q}")).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        wire,
        [
            "DELETE /api/v2/orgauthorization/trustees?id=a%20b&id=c%26d",
            "GET /api/v2/authorization/roles/r1?userCount=false&expand=unusedPermissions",
            "DELETE /api/v2/users/u1/roles",
            "DELETE /api/v2/users/u2/roles",
        ]
    );
    // The permissions older pages listed still satisfy the requirement.
    let requires = Authorization::DELETE_USER_ROLES.requires;
    assert_eq!(
        requires,
        genesys_cloud_client::runtime::Requirement::Any(&[
            "admin",
            "role_manager",
            "authorization:grant:delete"
        ])
    );
    let note = Authorization::DELETE_USER_ROLES.deprecated.unwrap();
    assert!(
        note.contains("no longer in the vendor's documentation since release 249.0.0"),
        "{note}"
    );
    assert!(Authorization::GET_AUTHORIZATION_ROLES.deprecated.is_none());
}

/// Dates in the query are ISO 8601 text: `2024-01-31` and RFC 3339 with milliseconds and `Z`,
/// not chrono's `Display` (`2024-01-31 10:00:00 UTC`).
#[tokio::test]
async fn dates_in_the_query_are_iso_8601() {
    use integration_tests::obstacle_course;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t", "partner": {}})))
        .mount(&server)
        .await;
    let client = obstacle_course::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    let since = chrono::DateTime::from_timestamp(1_706_695_200, 5_000_000).unwrap();
    let days = ["2024-01-31", "2024-02-29"].map(|d| d.parse::<chrono::NaiveDate>().unwrap());
    client
        .things()
        .get_thing("t1")
        .since(since)
        .days(days)
        .await
        .unwrap();
    let query = only_request(&server).await.url.query().map(str::to_owned);
    assert_eq!(
        query.as_deref(),
        Some("since=2024-01-31T10%3A00%3A00.005Z&day=2024-01-31&day=2024-02-29")
    );
}

/// Names the scaffolding already uses are decided once, in the IR: an operation named `client`
/// is `client_op` (the group client has a `client`), its parameters `send` and `client` are
/// `send_param` and `client_param` (the builder's own members), and an enum parameter `method`
/// is `MethodValue` (the module imports the runtime's `Method`). On the wire nothing changes.
#[tokio::test]
async fn names_that_clash_with_the_scaffolding_are_renamed_in_rust_only() {
    use integration_tests::obstacle_course::{self, things::MethodValue};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = obstacle_course::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    client
        .things()
        .client_op()
        .send_param(true)
        .client_param("c")
        .method(MethodValue::Put)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        (request.url.path(), request.url.query()),
        ("/api/v1/client", Some("send=true&client=c&method=PUT"))
    );
}

/// Header parameters travel as headers under their exact names, typed (an enum as its wire
/// value, a number as text), the optional ones only when set; the operation's media types are
/// `Content-Type` and `Accept`, and a `+json` answer decodes as JSON.
#[tokio::test]
async fn header_parameters_and_media_types_go_on_the_wire_as_the_operation_documents() {
    use integration_tests::obstacle_course::{self, models, things::XMode};
    let server = MockServer::start().await;
    let node = json!({"id": "n1", "partner": {}});
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(node.to_string(), "application/vnd.course+json"),
        )
        .mount(&server)
        .await;
    let client = obstacle_course::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    let body = || models::Node::new("n1", models::Partner::new());
    let things = client.things();
    let read = things
        .patch_thing_versioned("t1", "W/\"7\"", body())
        .x_mode(XMode::Lenient)
        .x_attempt(2)
        .dry_run(true)
        .await
        .unwrap();
    assert_eq!(read.id, "n1", "`application/vnd.course+json` is JSON");
    let request = only_request(&server).await;
    let sent = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        request.url.query(),
        Some("dryRun=true"),
        "headers are not in the query"
    );
    assert_eq!(sent("If-Match").as_deref(), Some("W/\"7\""));
    assert_eq!(sent("x-mode").as_deref(), Some("lenient"));
    assert_eq!(sent("X-Attempt").as_deref(), Some("2"));
    assert_eq!(
        sent("content-type").as_deref(),
        Some("application/merge-patch+json")
    );
    assert_eq!(
        sent("accept").as_deref(),
        Some("application/vnd.course+json, application/json")
    );

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&node))
        .mount(&server)
        .await;
    things
        .patch_thing_versioned("t1", "\"8\"", body())
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert!(
        request.headers.get("x-mode").is_none() && request.headers.get("x-attempt").is_none(),
        "unset: not sent"
    );
    assert_eq!(request.headers.get("if-match").unwrap(), "\"8\"");
}

/// A header value that cannot be sent fails the call before anything reaches the server; a
/// value injecting another header cannot.
#[tokio::test]
async fn a_header_value_that_cannot_be_sent_is_refused_before_sending() {
    use integration_tests::obstacle_course::{self, Error, models};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = obstacle_course::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    for value in ["\"1\"\r\nX-Admin: yes", "caf\u{e9}"] {
        let e = client
            .things()
            .patch_thing_versioned("t1", value, models::Node::new("n", models::Partner::new()))
            .await
            .unwrap_err();
        let Error::InvalidHeader { operation, refused } = e else {
            panic!("{e:?}")
        };
        assert_eq!(
            (operation, refused.header, refused.value.as_str()),
            ("patch_thing_versioned", "If-Match", value)
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

/// A text response (`text/calendar`) is returned as it arrived, line breaks, braces and
/// non-ASCII included; one that is not UTF-8 is a decode error, not a panic.
#[tokio::test]
async fn a_text_response_is_returned_as_it_arrived() {
    use integration_tests::obstacle_course::{self, Error};
    let server = MockServer::start().await;
    let ics = "BEGIN:VCALENDAR\r\nSUMMARY:Caf\u{e9} {\"not\": \"json\"}\r\nEND:VCALENDAR\r\n";
    Mock::given(path("/api/v1/things/t1/calendar"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(ics, "text/calendar"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/things/bad/calendar"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![b'B', 0xff, 0xfe], "text/calendar"),
        )
        .mount(&server)
        .await;
    let client = obstacle_course::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .build()
        .unwrap();
    let text: String = client
        .things()
        .get_thing_calendar("t1")
        .accept_language("fr-CA")
        .await
        .unwrap();
    assert_eq!(text, ics);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("accept").unwrap(), "text/calendar");
    assert_eq!(requests[0].headers.get("accept-language").unwrap(), "fr-CA");
    let e = client.things().get_thing_calendar("bad").await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Decode {
                operation: "get_thing_calendar",
                ..
            }
        ),
        "{e:?}"
    );
}
