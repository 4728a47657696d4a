//! Paginators on loopback, one for each paging style the spec declares: numbered pages (with
//! and without a page count), a cursor read from the page, and a link to the next page.

use futures_util::{StreamExt, TryStreamExt};
use genesys_cloud_client::genesys_cloud;
use genesys_cloud_client::runtime::RetryPolicy;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> genesys_cloud::Client {
    genesys_cloud::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn page(number: i32, count: i32, names: &[&str]) -> ResponseTemplate {
    let entities: Vec<_> = names.iter().map(|n| json!({"id": n, "name": n})).collect();
    ResponseTemplate::new(200).set_body_json(
        json!({"entities": entities, "pageNumber": number, "pageCount": count, "pageSize": 2}),
    )
}

async fn mount_pages(server: &MockServer, pages: &[&[&str]]) {
    for (i, names) in pages.iter().enumerate() {
        let n = i as i32 + 1;
        // The first request goes as the caller built it: without a page number, the first page.
        let mock = Mock::given(method("GET")).and(path("/api/v2/authorization/roles"));
        let mock = if n == 1 {
            mock.and(query_param_is_missing("pageNumber"))
        } else {
            mock.and(query_param("pageNumber", n.to_string()))
        };
        mock.respond_with(page(n, pages.len() as i32, names))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn items_across_pages_keep_the_callers_parameters() {
    let server = MockServer::start().await;
    mount_pages(&server, &[&["a", "b"], &["c", "d"], &["e"]]).await;
    let names: Vec<String> = client(&server)
        .authorization()
        .get_authorization_roles()
        .page_size(2)
        .expand(["x"])
        .into_paginator()
        .items()
        .map_ok(|role| role.name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "pageSize=2&expand=x",
            "pageSize=2&pageNumber=2&expand=x",
            "pageSize=2&pageNumber=3&expand=x"
        ]
    );
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = MockServer::start().await;
    mount_pages(&server, &[&["a"], &["b"], &["c"]]).await;
    let mut pages = Box::pin(
        client(&server)
            .authorization()
            .get_authorization_roles()
            .into_paginator()
            .pages(),
    );
    assert!(pages.next().await.unwrap().is_ok());
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "only the first page so far"
    );
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("pageNumber"))
        .respond_with(page(1, 10, &["a"]))
        .mount(&server)
        .await;
    Mock::given(query_param("pageNumber", "2"))
        .respond_with(page(2, 10, &[]))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server)
        .authorization()
        .get_authorization_roles()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_is_yielded_after_the_items_before_it() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("pageNumber"))
        .respond_with(page(1, 3, &["a", "b"]))
        .mount(&server)
        .await;
    Mock::given(query_param("pageNumber", "2"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server)
        .authorization()
        .get_authorization_roles()
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2].as_ref().unwrap_err().status(), Some(500));
}

#[tokio::test]
async fn starts_from_the_page_the_caller_set() {
    let server = MockServer::start().await;
    mount_pages(&server, &[&["a"], &["b"], &["c"]]).await;
    let items: Vec<_> = client(&server)
        .authorization()
        .get_authorization_roles()
        .page_number(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn organization_listings_page_too() {
    let server = MockServer::start().await;
    for n in 1..=2 {
        let mock = Mock::given(path("/api/v2/orgauthorization/trustees"));
        let mock = if n == 1 {
            mock.and(query_param_is_missing("pageNumber"))
        } else {
            mock.and(query_param("pageNumber", "2"))
        };
        mock.respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"entities": [{"id": format!("t{n}")}], "pageCount": 2})),
        )
        .mount(&server)
        .await;
    }
    let trustees: Vec<_> = client(&server)
        .organization_authorization()
        .get_orgauthorization_trustees()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(trustees.len(), 2);
}

/// The client of the obstacle course, whose listings page in every declared style.
fn course(server: &MockServer) -> integration_tests::obstacle_course::Client {
    integration_tests::obstacle_course::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn queries(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn numbered_pages_without_a_count_end_at_an_empty_page() {
    let server = MockServer::start().await;
    for (n, results) in [(2, json!(["c"])), (3, json!([]))] {
        Mock::given(path("/api/v1/things/uncounted"))
            .and(query_param("page", n.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": results })))
            .mount(&server)
            .await;
    }
    Mock::given(path("/api/v1/things/uncounted"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": ["a", "b"]})))
        .mount(&server)
        .await;
    let items: Vec<String> = course(&server)
        .things()
        .get_things_uncounted()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(queries(&server).await, ["", "page=2", "page=3"]);
}

#[tokio::test]
async fn numbered_pages_with_a_count_stop_at_it_without_asking_further() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/things/numbered"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"entities": [{"states": ["ON"]}], "pageCount": 2})),
        )
        .mount(&server)
        .await;
    let pages: Vec<_> = course(&server)
        .things()
        .get_things_numbered()
        .page_size(1)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(
        queries(&server).await,
        ["pageSize=1", "pageNumber=2&pageSize=1"]
    );
}

#[tokio::test]
async fn a_nested_cursor_is_sent_back_until_a_page_has_none() {
    let server = MockServer::start().await;
    let answers = [
        (
            None,
            json!({"entities": ["a"], "cursors": {"after": "c/1 +"}}),
        ),
        (
            Some("c/1 +"),
            json!({"entities": ["b"], "cursors": {"before": "c/1 +", "after": "c2"}}),
        ),
        (
            Some("c2"),
            json!({"entities": ["c"], "cursors": {"before": "c2"}}),
        ),
    ];
    for (cursor, body) in answers {
        let mock = Mock::given(path("/api/v1/things/cursor"));
        let mock = match cursor {
            None => mock.and(query_param_is_missing("cursor")),
            Some(c) => mock.and(query_param("cursor", c)),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let items: Vec<String> = course(&server)
        .things()
        .get_things_cursor()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(
        queries(&server).await,
        ["", "cursor=c%2F1%20%2B", "cursor=c2"]
    );
}

#[tokio::test]
async fn a_cursor_the_server_repeats_or_empties_ends_the_stream() {
    for next in [json!("same"), json!("")] {
        let server = MockServer::start().await;
        Mock::given(path("/api/v1/things/cursor"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"entities": ["x"], "cursors": {"after": next}})),
            )
            .mount(&server)
            .await;
        let request = course(&server).things().get_things_cursor().cursor("same");
        let items: Vec<String> = request
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, ["x"], "{next}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{next}");
    }
}

#[tokio::test]
async fn a_link_gives_the_next_cursor_and_the_request_keeps_its_own_path_and_parameters() {
    let server = MockServer::start().await;
    // The link points elsewhere and carries other parameters: only `after` is taken from it.
    let link = "https://elsewhere.example/api/v9/other?pageSize=999&after=n%2F2&evil=1";
    Mock::given(path("/api/v1/things/linked"))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"entities": ["a"], "nextUri": link})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/things/linked"))
        .and(query_param("after", "n/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": ["b"]})))
        .mount(&server)
        .await;
    let items: Vec<String> = course(&server)
        .things()
        .get_things_linked()
        .page_size(5)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(
        queries(&server).await,
        ["pageSize=5", "after=n%2F2&pageSize=5"]
    );
}

#[tokio::test]
async fn a_link_without_the_cursor_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/things/linked"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"entities": ["a"], "nextUri": "/api/v1/things/linked?pageSize=5"}),
        ))
        .mount(&server)
        .await;
    let items: Vec<String> = course(&server)
        .things()
        .get_things_linked()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_vendors_cursor_listings_page_by_their_links() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/authorization/divisions/query"))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"entities": [{"id": "d1"}], "nextUri": "/api/v2/authorization/divisions/query?after=xyz&pageSize=1"}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/authorization/divisions/query"))
        .and(query_param("after", "xyz"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": [{"id": "d2"}]})))
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .authorization()
        .get_authorization_divisions_query()
        .page_size("1")
        .into_paginator()
        .items()
        .map_ok(|d| d.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["d1", "d2"]);
}
