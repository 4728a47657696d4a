//! The generated test doubles against the generated client, on loopback: default answers,
//! typed scripting, the caller's grants, failures, the token endpoint, recorded calls.

use std::time::Duration;

use futures_util::TryStreamExt as _;
use genesys_cloud_client::access::Grants;
use genesys_cloud_client::genesys_cloud::double::{Answer, MockApi};
use genesys_cloud_client::genesys_cloud::models::{
    AuthzDivision, DomainOrganizationRole, DomainOrganizationRoleCreate, ErrorBody,
};
use genesys_cloud_client::genesys_cloud::{Error, RetryPolicy};

#[tokio::test]
async fn every_operation_answers_an_example_of_its_return_type_by_default() {
    let mock = MockApi::start().await;
    let division = mock
        .client()
        .authorization()
        .get_authorization_division("d 1/x")
        .await
        .unwrap();
    assert_eq!(
        division.description, "text",
        "the example fills the required field"
    );
    let calls = mock.authorization().get_authorization_division().calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].path_param("divisionId"),
        Some("d 1/x"),
        "decoded from the encoded segment"
    );
    // An operation without a documented body answers 204.
    mock.client()
        .authorization()
        .delete_authorization_division("d1")
        .await
        .unwrap();
    // A paged listing's default answer is its last page: a paginator over it ends.
    let items: Vec<_> = mock
        .client()
        .authorization()
        .get_authorization_divisions()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
}

#[tokio::test]
async fn answers_are_scripted_with_the_operations_own_types() {
    let mock = MockApi::start().await;
    mock.authorization()
        .get_authorization_division()
        .returns(&AuthzDivision::new("Home division").with_name("Home"));
    let division = mock
        .client()
        .authorization()
        .get_authorization_division("d1")
        .await
        .unwrap();
    assert_eq!(
        (division.name.as_deref(), division.description.as_str()),
        (Some("Home"), "Home division")
    );

    mock.authorization().get_authorization_division().fails(
        404,
        &ErrorBody::new()
            .with_message("no such division")
            .with_code("not.found"),
    );
    let e = mock
        .client()
        .authorization()
        .get_authorization_division("d1")
        .await
        .unwrap_err();
    let Error::Api(api) = e else { panic!("{e:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(
        api.body.and_then(|b| b.message).as_deref(),
        Some("no such division")
    );
}

#[tokio::test]
async fn a_double_given_grants_answers_403_where_the_api_would() {
    let mock = MockApi::start().await;
    mock.set_caller(Grants::new(["authorization:role:view"]));
    let client = mock.client();
    client
        .authorization()
        .get_authorization_role("r1")
        .await
        .unwrap();
    let e = client
        .authorization()
        .delete_authorization_role("r1")
        .await
        .unwrap_err();
    let Error::Api(api) = e else { panic!("{e:?}") };
    assert_eq!(api.status, 403);
    let body = api.body.expect("the vendor's error model");
    assert_eq!(
        (body.code.as_deref(), body.status),
        (Some("missing.permissions"), Some(403))
    );
    assert!(
        body.message
            .unwrap_or_default()
            .contains("authorization:role:delete")
    );
    // The refused call was received and recorded, as the API would have received it.
    assert_eq!(
        mock.authorization()
            .delete_authorization_role()
            .calls()
            .len(),
        1
    );
}

#[tokio::test]
async fn failures_are_scripted_once_before_the_standing_answer() {
    let mock = MockApi::start().await;
    let divisions = mock.authorization().get_authorization_division();
    divisions
        .answer_once(Answer::status(503))
        .answer_once(Answer::too_many_requests(Duration::from_millis(1)));
    let client = mock
        .client_builder()
        .access_token("t")
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_division("d1")
        .await
        .unwrap();
    assert_eq!(
        divisions.calls().len(),
        3,
        "a 503, a 429 (Retry-After: 1), then the default answer"
    );

    divisions.answer(Answer::status(200).with_delay(Duration::from_secs(2)));
    let impatient = mock
        .client_builder()
        .access_token("t")
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = impatient
        .authorization()
        .get_authorization_division("d1")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
}

#[tokio::test]
async fn the_token_endpoint_grants_tokens_and_can_refuse_one() {
    let mock = MockApi::start().await;
    let client = mock
        .client_builder()
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_products()
        .await
        .unwrap();
    mock.token_answers_once(Answer::status(401));
    let refused = mock
        .client_builder()
        .client_credentials("id", "wrong")
        .build()
        .unwrap();
    let e = refused
        .authorization()
        .get_authorization_products()
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Token {
                status: Some(401),
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn calls_come_back_typed() {
    let mock = MockApi::start().await;
    let client = mock.client();
    let role = DomainOrganizationRoleCreate::new("Auditors").with_description("Read-only");
    client
        .authorization()
        .post_authorization_roles(role.clone())
        .await
        .unwrap();
    client
        .authorization()
        .get_authorization_roles()
        .page_size(50)
        .permission(["a:b:c", "d:e:f"])
        .await
        .unwrap();
    let posted = mock.authorization().post_authorization_roles().calls();
    assert_eq!(posted[0].body.as_ref(), Some(&role));
    let listed = mock.authorization().get_authorization_roles().calls();
    assert_eq!(listed[0].query_values("pageSize"), ["50"]);
    assert_eq!(
        listed[0].query_values("permission"),
        ["a:b:c", "d:e:f"],
        "a repeated key, once per value"
    );
    let names: Vec<&str> = mock.recorded().iter().map(|r| r.operation.name).collect();
    assert_eq!(
        names,
        ["post_authorization_roles", "get_authorization_roles"]
    );
}

#[tokio::test]
async fn a_request_no_operation_matches_is_refused_and_listed() {
    let mock = MockApi::start().await;
    let response = reqwest_get(&format!("{}/api/v2/nowhere", mock.uri())).await;
    assert_eq!(response, 404);
    assert_eq!(mock.unmatched(), ["GET /api/v2/nowhere"]);
    assert!(mock.recorded().is_empty());
}

async fn reqwest_get(url: &str) -> u16 {
    genesys_cloud_client::runtime::reqwest::get(url)
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_request_built_with_the_client_is_matched_exactly_as_sent() {
    let mock = MockApi::start().await;
    let client = mock.client();
    let auditors = DomainOrganizationRole::new().with_name("Auditors");
    // The same builder the code under test uses: parameters by their Rust names, values typed
    // and encoded as the client sends them (a `/` inside one path segment).
    mock.on(&client
        .authorization()
        .get_authorization_role("team/a")
        .user_count(true))
        .returns(&auditors);
    mock.authorization()
        .get_authorization_role()
        .returns(&DomainOrganizationRole::new().with_name("Anyone"));
    let name = |r: DomainOrganizationRole| r.name.unwrap_or_default();
    assert_eq!(
        name(
            client
                .authorization()
                .get_authorization_role("team/a")
                .user_count(true)
                .await
                .unwrap()
        ),
        "Auditors"
    );
    assert_eq!(
        name(
            client
                .authorization()
                .get_authorization_role("team/a")
                .await
                .unwrap()
        ),
        "Anyone",
        "another query"
    );
    assert_eq!(
        name(
            client
                .authorization()
                .get_authorization_role("team-a")
                .user_count(true)
                .await
                .unwrap()
        ),
        "Anyone",
        "another path"
    );

    // A body is part of the request: one-off answers for one body, the default for others.
    let create = |n: &str| {
        client
            .authorization()
            .post_authorization_roles(DomainOrganizationRoleCreate::new(n))
    };
    mock.on(&create("Taken"))
        .answer_once(Answer::json(409, &ErrorBody::new().with_code("duplicate")));
    let e = create("Taken").await.unwrap_err();
    assert_eq!(e.status(), Some(409));
    create("Taken").await.unwrap();
    create("Fresh").await.unwrap();
    assert_eq!(
        mock.on(&create("Taken")).calls().len(),
        2,
        "calls of that very request"
    );
    assert_eq!(
        mock.authorization()
            .post_authorization_roles()
            .calls()
            .len(),
        3
    );
}

#[test]
#[should_panic(expected = "the client never sends this request")]
fn a_request_the_client_refuses_cannot_be_scripted() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime.block_on(MockApi::start());
    let _ = mock.on(&mock.client().authorization().get_authorization_role(".."));
}

/// Items `a`, `b`, … as the fixture's string listings hold them.
fn letters(n: u8) -> Vec<String> {
    (b'a'..b'a' + n)
        .map(|c| char::from(c).to_string())
        .collect()
}

#[tokio::test]
async fn a_list_is_served_page_by_page_in_each_paging_style() {
    use integration_tests::obstacle_course::double::MockApi as Course;
    use integration_tests::obstacle_course::models::Toggle;
    let mock = Course::start().await;
    let things = mock.client().things();
    let (items, size) = (letters(5), 2);
    // Numbered pages with a page count, numbered pages ending at an empty one, a cursor read
    // from a nested model, a link carrying the cursor: each paginator reads all five items.
    mock.things()
        .get_things_uncounted()
        .serve_items(&items, size);
    mock.things().get_things_cursor().serve_items(&items, size);
    mock.things().get_things_linked().serve_items(&items, size);
    let uncounted: Vec<String> = things
        .get_things_uncounted()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let cursor: Vec<String> = things
        .get_things_cursor()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let linked: Vec<String> = things
        .get_things_linked()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!((&uncounted, &cursor, &linked), (&items, &items, &items));
    let pages = |calls: Vec<genesys_cloud_client::runtime::double::Call<()>>| {
        calls.iter().map(|c| c.query.clone()).collect::<Vec<_>>()
    };
    let asked = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
    assert_eq!(
        pages(mock.things().get_things_uncounted().calls()),
        [
            vec![],
            asked("page", "2"),
            asked("page", "3"),
            asked("page", "4")
        ]
    );
    assert_eq!(
        pages(mock.things().get_things_cursor().calls()),
        [vec![], asked("cursor", "2"), asked("cursor", "4")]
    );
    assert_eq!(
        pages(mock.things().get_things_linked().calls()),
        [vec![], asked("after", "2"), asked("after", "4")]
    );

    let toggles: Vec<Toggle> = (0..3).map(|_| Toggle::new()).collect();
    mock.things().get_things_numbered().serve_items(&toggles, 2);
    let numbered: Vec<Toggle> = things
        .get_things_numbered()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbered.len(), 3);
    assert_eq!(
        mock.things().get_things_numbered().calls().len(),
        2,
        "the page count says two pages"
    );
}

#[tokio::test]
async fn a_scripted_answer_comes_before_the_served_pages() {
    let mock = MockApi::start().await;
    let divisions: Vec<AuthzDivision> = ["a", "b", "c"]
        .iter()
        .map(|n| AuthzDivision::new(*n))
        .collect();
    let double = mock.authorization().get_authorization_divisions_query();
    double.serve_items(&divisions, 2);
    double.answer_once(Answer::status(503));
    let client = mock
        .client_builder()
        .access_token("t")
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let read: Vec<AuthzDivision> = client
        .authorization()
        .get_authorization_divisions_query()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        read, divisions,
        "a link to the next page, as the API pages this listing"
    );
    assert_eq!(double.calls().len(), 3, "the 503, then two pages");
}

/// Header parameters are part of the request a double matches, and recorded by their names; a
/// text operation answers text, by default and when scripted.
#[tokio::test]
async fn doubles_match_header_parameters_and_answer_text_as_text() {
    use integration_tests::obstacle_course::double::MockApi as Course;
    use integration_tests::obstacle_course::models::{Node, Partner};
    use integration_tests::obstacle_course::things::XMode;
    let mock = Course::start().await;
    let things = mock.client().things();
    let node = |id: &str| Node::new(id, Partner::new());
    let patch = |version: &str| things.patch_thing_versioned("t1", version, node("n"));
    mock.on(&patch("\"1\"")).returns(&node("current"));
    mock.things()
        .patch_thing_versioned()
        .returns(&node("stale"));
    assert_eq!(patch("\"1\"").await.unwrap().id, "current");
    assert_eq!(
        patch("\"2\"").await.unwrap().id,
        "stale",
        "another If-Match is another request"
    );
    assert_eq!(
        patch("\"1\"").x_mode(XMode::Strict).await.unwrap().id,
        "stale",
        "so is another optional header"
    );
    let calls = mock.things().patch_thing_versioned().calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        (calls[1].header("if-match"), calls[1].header("X-Mode")),
        (Some("\"2\""), None)
    );
    assert_eq!(calls[2].header("X-Mode"), Some("strict"));
    assert_eq!(
        calls[2].headers,
        [
            ("If-Match", "\"1\"".to_owned()),
            ("X-Mode", "strict".to_owned())
        ]
    );
    assert_eq!(
        mock.on(&patch("\"1\"")).calls().len(),
        1,
        "calls of that very request"
    );

    let default = things.get_thing_calendar("t1").await.unwrap();
    assert_eq!(
        default, "text",
        "the default answer is the example text, not a JSON string"
    );
    let ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_owned();
    mock.things().get_thing_calendar().returns(&ics);
    assert_eq!(things.get_thing_calendar("t1").await.unwrap(), ics);
}
