//! Authorization requirements as a feature: the checkers and the pre-flight.

use genesys_cloud_client::access::{AccountKind, CspCaller, Grants, permission_matches};
use genesys_cloud_client::genesys_cloud::authorization::Authorization;
use genesys_cloud_client::genesys_cloud::double::MockApi;
use genesys_cloud_client::genesys_cloud::models::{AuthzSubject, UserAuthorization};
use genesys_cloud_client::genesys_cloud::organization_authorization::OrganizationAuthorization;
use genesys_cloud_client::runtime::{DenialReason, Error};
use genesys_cloud_client::vmware_csp::organization_trusts::OrganizationTrusts;
use genesys_cloud_client::{genesys_cloud, vmware_csp};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn any_requires_one_alternative() {
    let op = &Authorization::DELETE_AUTHORIZATION_ROLE; // any of admin, role_manager, authorization:role:delete
    assert!(Grants::new(["authorization:role:delete"]).check(op).is_ok());
    assert!(Grants::new(["role_manager"]).check(op).is_ok());
    let denial = Grants::new(["authorization:role:view"])
        .check(op)
        .unwrap_err();
    assert_eq!(denial.operation, "delete_authorization_role");
    assert_eq!(
        denial.reason,
        DenialReason::NoneOf(vec!["admin", "role_manager", "authorization:role:delete"])
    );
}

#[test]
fn all_requires_every_permission_and_reports_the_missing_ones() {
    let op = &Authorization::POST_AUTHORIZATION_DIVISIONS; // all of division:add, grant:add
    assert!(
        Grants::new(["authorization:division:add", "authorization:grant:add"])
            .check(op)
            .is_ok()
    );
    let denial = Grants::new(["authorization:division:add"])
        .check(op)
        .unwrap_err();
    assert_eq!(
        denial.reason,
        DenialReason::Missing(vec!["authorization:grant:add"])
    );
    let both = Grants::default().check(op).unwrap_err();
    assert_eq!(
        both.reason,
        DenialReason::Missing(vec![
            "authorization:division:add",
            "authorization:grant:add"
        ])
    );
}

#[test]
fn no_permission_and_undocumented_requirements_allow_everyone() {
    assert!(
        Grants::default()
            .check(&Authorization::GET_AUTHORIZATION_DIVISIONS_HOME)
            .is_ok()
    );
    assert!(
        Grants::default()
            .check(&integration_tests::obstacle_course::things::Things::DELETE_TYPE)
            .is_ok()
    );
}

#[test]
fn wildcards_in_every_position() {
    let required = "authorization:role:view";
    for held in [
        "*:role:view",
        "authorization:*:view",
        "authorization:role:*",
        "authorization:*:*",
        "*:*:*",
    ] {
        assert!(
            permission_matches(held, required),
            "{held} grants {required}"
        );
    }
    for held in [
        "*:role:edit",
        "routing:*:view",
        "authorization:grant:*",
        "authorization:role",
        "*",
        "authorization:role:view:x",
    ] {
        assert!(
            !permission_matches(held, required),
            "{held} does not grant {required}"
        );
    }
    assert!(
        Grants::new(["authorization:*:*"])
            .check(&Authorization::POST_AUTHORIZATION_DIVISIONS)
            .is_ok()
    );
}

#[test]
fn legacy_names_match_exactly() {
    assert!(permission_matches("admin", "admin"));
    assert!(!permission_matches("*", "admin"));
    assert!(!permission_matches("*:*:*", "admin"));
    assert!(!permission_matches("administrator", "admin"));
    assert!(
        Grants::new(["admin"])
            .check(&Authorization::PUT_AUTHORIZATION_ROLE)
            .is_ok()
    );
}

#[test]
fn division_scoped_grants() {
    let grants = Grants::default()
        .with_division("div-a", ["authorization:division:edit"])
        .with_division("*", ["authorization:role:view"]);
    let op = &Authorization::PUT_AUTHORIZATION_DIVISION;
    assert!(grants.check(op).is_ok(), "held in some division");
    assert!(grants.check_in_division(op, "div-a").is_ok());
    assert!(grants.check_in_division(op, "div-b").is_err());
    assert!(
        grants
            .check_in_division(&Authorization::GET_AUTHORIZATION_ROLES, "div-b")
            .is_ok(),
        "`*` is every division"
    );
}

#[test]
fn csp_policy_for_both_account_kinds() {
    let op = &OrganizationTrusts::UPDATE_ORGANIZATION_TRUST; // org_owner; users and service accounts
    assert!(
        CspCaller::new(AccountKind::User, ["org_owner"])
            .check(op)
            .is_ok()
    );
    assert!(
        CspCaller::new(AccountKind::ServiceAccount, ["org_owner"])
            .check(op)
            .is_ok()
    );
    let denial = CspCaller::new(AccountKind::ServiceAccount, ["org_member"])
        .check(op)
        .unwrap_err();
    assert_eq!(denial.reason, DenialReason::NoRole(vec!["org_owner"]));
    // A policy closed to service accounts (fixture).
    let users_only = &integration_tests::policy_demo::trusts::Trusts::UPDATE_TRUST;
    assert!(
        CspCaller::new(AccountKind::User, ["org_admin"])
            .check(users_only)
            .is_ok()
    );
    let denial = CspCaller::new(AccountKind::ServiceAccount, ["org_owner"])
        .check(users_only)
        .unwrap_err();
    assert_eq!(denial.reason, DenialReason::AccountKind("service account"));
    assert_eq!(
        denial.to_string(),
        "update_trust would be refused: its access policy does not allow service accounts"
    );
}

#[test]
fn grants_from_real_shaped_responses() {
    let user: UserAuthorization = serde_json::from_value(json!({
        "roles": [{"id": "r1", "name": "Trustee admin"}],
        "permissions": ["authorization:orgTrustee:*", "directory:user:view"],
        "permissionPolicies": [{"id": "p1", "domain": "authorization", "entityName": "orgTrustee", "actionSet": ["view"]}]
    }))
    .unwrap();
    let grants = Grants::from_user_authorization(&user);
    assert!(
        grants
            .check(&OrganizationAuthorization::GET_ORGAUTHORIZATION_TRUSTEES)
            .is_ok()
    );
    assert!(
        grants
            .check(&OrganizationAuthorization::GET_ORGAUTHORIZATION_TRUSTORS)
            .is_err()
    );

    let subject: AuthzSubject = serde_json::from_value(json!({
        "id": "u1", "name": "Ann",
        "grants": [
            {"subjectId": "u1", "division": {"id": "div-a", "name": "A"},
             "role": {"id": "r2", "name": "Division editor",
                      "policies": [{"domain": "authorization", "entityName": "division", "actions": ["edit", "view"]}]}},
            {"subjectId": "u1", "division": {"id": "*", "name": "All"},
             "role": {"id": "r3", "name": "Role viewer",
                      "policies": [{"domain": "authorization", "entityName": "role", "actions": ["view"], "condition": null}]}}
        ]
    }))
    .unwrap();
    let grants = Grants::from_subject(&subject);
    assert!(grants.holds("authorization:division:edit", Some("div-a")));
    assert!(!grants.holds("authorization:division:edit", Some("div-b")));
    assert!(
        grants
            .check_in_division(&Authorization::GET_AUTHORIZATION_ROLES, "div-b")
            .is_ok()
    );
}

#[tokio::test]
async fn preflight_denies_locally_and_sends_nothing() {
    let mock = MockApi::start().await;
    let grants = Grants::new(["authorization:division:add"]);
    let client = mock
        .client_builder()
        .access_token("t")
        .preflight(grants.clone())
        .build()
        .unwrap();
    let body = genesys_cloud::models::AuthzDivision::new("Sales teams").with_name("Sales");
    let err = client
        .authorization()
        .post_authorization_divisions(body.clone())
        .await
        .unwrap_err();
    let Error::Denied(denial) = &err else {
        panic!("expected a denial, got {err:?}")
    };
    assert_eq!(
        denial.reason,
        DenialReason::Missing(vec!["authorization:grant:add"])
    );
    assert_eq!(
        err.to_string(),
        "post_authorization_divisions would be refused: it requires all of its permissions, and the caller lacks `authorization:grant:add`"
    );
    assert!(mock.recorded().is_empty(), "no request reached the server");
    // The API, for a caller with the same grants, refuses it as well.
    mock.set_caller(grants);
    let refused = mock
        .client()
        .authorization()
        .post_authorization_divisions(body)
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(403));
}

#[tokio::test]
async fn preflight_lets_allowed_calls_through_and_csp_uses_its_policy() {
    let mock = MockApi::start().await;
    let grants = Grants::new(["authorization:*:view"]);
    mock.set_caller(grants.clone());
    let client = mock
        .client_builder()
        .access_token("t")
        .preflight(grants)
        .build()
        .unwrap();
    client
        .authorization()
        .get_authorization_roles()
        .await
        .unwrap();
    assert_eq!(
        mock.authorization().get_authorization_roles().calls().len(),
        1,
        "sent, and the API agrees"
    );

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let csp = vmware_csp::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .preflight(CspCaller::new(AccountKind::User, ["org_member"]))
        .build()
        .unwrap();
    let body = vmware_csp::models::OrganizationTrustUpdateRequest::default();
    let err = csp
        .organization_trusts()
        .update_organization_trust("o", "t", body)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err:?}");
}
