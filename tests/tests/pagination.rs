//! Paginators over `*EntityListing` results, on loopback.

use authz_client::genesys_cloud;
use authz_client::runtime::RetryPolicy;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> genesys_cloud::Client {
    genesys_cloud::Client::builder().base_url(server.uri()).access_token("t").retry_policy(RetryPolicy::none()).build().unwrap()
}

fn page(number: i32, count: i32, names: &[&str]) -> ResponseTemplate {
    let entities: Vec<_> = names.iter().map(|n| json!({"id": n, "name": n})).collect();
    ResponseTemplate::new(200).set_body_json(json!({"entities": entities, "pageNumber": number, "pageCount": count, "pageSize": 2}))
}

async fn mount_pages(server: &MockServer, pages: &[&[&str]]) {
    for (i, names) in pages.iter().enumerate() {
        let n = i as i32 + 1;
        Mock::given(method("GET"))
            .and(path("/api/v2/authorization/roles"))
            .and(query_param("pageNumber", n.to_string()))
            .respond_with(page(n, pages.len() as i32, names))
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
    let queries: Vec<String> = server.received_requests().await.unwrap().iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(queries, ["pageSize=2&pageNumber=1&expand=x", "pageSize=2&pageNumber=2&expand=x", "pageSize=2&pageNumber=3&expand=x"]);
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = MockServer::start().await;
    mount_pages(&server, &[&["a"], &["b"], &["c"]]).await;
    let mut pages = Box::pin(client(&server).authorization().get_authorization_roles().into_paginator().pages());
    assert!(pages.next().await.unwrap().is_ok());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "only the first page so far");
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param("pageNumber", "1")).respond_with(page(1, 10, &["a"])).mount(&server).await;
    Mock::given(query_param("pageNumber", "2")).respond_with(page(2, 10, &[])).mount(&server).await;
    let items: Vec<_> = client(&server).authorization().get_authorization_roles().into_paginator().items().try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_is_yielded_after_the_items_before_it() {
    let server = MockServer::start().await;
    Mock::given(query_param("pageNumber", "1")).respond_with(page(1, 3, &["a", "b"])).mount(&server).await;
    Mock::given(query_param("pageNumber", "2")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let results: Vec<_> = client(&server).authorization().get_authorization_roles().into_paginator().items().collect().await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2].as_ref().unwrap_err().status(), Some(500));
}

#[tokio::test]
async fn starts_from_the_page_the_caller_set() {
    let server = MockServer::start().await;
    mount_pages(&server, &[&["a"], &["b"], &["c"]]).await;
    let items: Vec<_> =
        client(&server).authorization().get_authorization_roles().page_number(2).into_paginator().items().try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn organization_listings_page_too() {
    let server = MockServer::start().await;
    for n in 1..=2 {
        Mock::given(path("/api/v2/orgauthorization/trustees"))
            .and(query_param("pageNumber", n.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": [{"id": format!("t{n}")}], "pageCount": 2})))
            .mount(&server)
            .await;
    }
    let trustees: Vec<_> =
        client(&server).organization_authorization().get_orgauthorization_trustees().into_paginator().items().try_collect().await.unwrap();
    assert_eq!(trustees.len(), 2);
}
