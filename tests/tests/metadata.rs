//! Operation metadata as data: the tables list every operation with its route and
//! requirement, and the fixtures' edge cases come out as intended.

use authz_client::runtime::{Method, Requirement};
use authz_client::{genesys_cloud, vmware_csp};
use integration_tests::{obstacle_course, policy_demo};

#[test]
fn operation_tables_cover_every_operation() {
    assert_eq!(genesys_cloud::OPERATIONS.len(), 58);
    assert_eq!(vmware_csp::OPERATIONS.len(), 1);
    let legacy: usize = genesys_cloud::OPERATIONS.iter().map(|o| o.legacy_names.len()).sum();
    assert_eq!(legacy, 17);
    let mut names: Vec<&str> = genesys_cloud::OPERATIONS.iter().map(|o| o.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 58, "operation names are unique");
}

#[test]
fn requirements_are_data() {
    use genesys_cloud::authorization::Authorization;
    use genesys_cloud::organization_authorization::OrganizationAuthorization;
    assert_eq!(Authorization::GET_AUTHORIZATION_ROLES.requires, Requirement::Any(&["authorization:role:view"]));
    assert_eq!(Authorization::GET_AUTHORIZATION_DIVISIONS_HOME.requires, Requirement::None);
    assert_eq!(
        Authorization::POST_AUTHORIZATION_DIVISIONS.requires,
        Requirement::All(&["authorization:division:add", "authorization:grant:add"])
    );
    assert_eq!(
        Authorization::DELETE_AUTHORIZATION_ROLE.requires,
        Requirement::Any(&["admin", "role_manager", "authorization:role:delete"])
    );
    let put = &OrganizationAuthorization::PUT_ORGAUTHORIZATION_TRUSTOR_USER;
    assert_eq!((put.method, put.path), (Method::Put, "/api/v2/orgauthorization/trustors/{trustorOrgId}/users/{trusteeUserId}"));
    let Requirement::AccessPolicy(policy) = vmware_csp::organization_trusts::OrganizationTrusts::UPDATE_ORGANIZATION_TRUST.requires else {
        panic!("CSP states an access policy");
    };
    assert_eq!((policy.roles[0].id, policy.user_accounts, policy.service_accounts), ("org_owner", true, true));
}

#[test]
fn auth_schemes_and_regions_are_data() {
    assert_eq!(genesys_cloud::Region::ALL.len(), 17);
    assert_eq!(genesys_cloud::Region::default(), genesys_cloud::Region::UsEast1);
    assert_eq!(genesys_cloud::Region::EuWest1.base_url(), "https://api.mypurecloud.ie");
    assert_eq!(genesys_cloud::AUTH.flows[0].token_endpoint("https://api.mypurecloud.ie"), "https://login.mypurecloud.ie/oauth/token");
    assert_eq!((genesys_cloud::AUTH.header, genesys_cloud::AUTH.prefix), ("Authorization", "Bearer "));
    assert_eq!((vmware_csp::AUTH.header, vmware_csp::AUTH.prefix), ("csp-auth-token", ""));
    assert_eq!(vmware_csp::AUTH.flows.len(), 2);
}

#[test]
fn fixture_edges() {
    use obstacle_course::models::{Node, OptionModel, Partner, Weird, WeirdState};
    use obstacle_course::things::Things;
    // Keywords and digits become identifiers; a prelude name gets a suffix.
    let weird = Weird::new(vec![]).with_type("t").with_self_("s").with_n2fa(true).with_with_dash(1);
    let json = serde_json::to_value(&weird).unwrap();
    assert_eq!(json, serde_json::json!({"type": "t", "self": "s", "2fa": true, "with-dash": 1, "required_list": []}));
    let _ = OptionModel::default().with_some("x");
    // A value named `Unknown` keeps its name; the fallback takes another.
    assert_eq!(WeirdState::from("Unknown"), WeirdState::Unknown);
    assert!(matches!(WeirdState::from("new"), WeirdState::UnknownValue(_)));
    // Direct recursion is boxed; lists and maps are not.
    let node = Node::new("a", Partner::default()).with_parent(Node::new("p", Partner::default()));
    let parent: &Box<Node> = node.parent.as_ref().unwrap();
    assert_eq!(parent.id, "p");
    // Each kind of requirement.
    assert_eq!(Things::GET_THING.requires, Requirement::Any(&["admin", "things:thing:view"]));
    assert_eq!(Things::PUT_THING_KIND.requires, Requirement::All(&["things:thing:edit", "things:kind:edit"]));
    assert_eq!(Things::POST_WEIRD.requires, Requirement::None);
    assert_eq!(Things::DELETE_TYPE.requires, Requirement::Undocumented);
    assert_eq!(Things::DELETE_TYPE.deprecated, Some("use `delete_thing` instead"));
    assert_eq!(Things::GET_THING.legacy_names, ["get_things_thing_id"]);
    let Requirement::AccessPolicy(policy) = policy_demo::trusts::Trusts::UPDATE_TRUST.requires else { panic!() };
    assert_eq!(policy.roles.len(), 2);
    assert!(policy.user_accounts && !policy.service_accounts);
}
