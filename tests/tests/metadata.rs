//! Operation metadata as data: the tables list every operation with its route and
//! requirement, and the fixtures' edge cases come out as intended.

use genesys_cloud_client::runtime::{Method, Requirement};
use genesys_cloud_client::{genesys_cloud, vmware_csp};
use integration_tests::{obstacle_course, policy_demo};

/// `(service, group, operation)` for every operation the spec files declare, read by the loader
/// (not the IR the tables and tests are generated from).
fn spec_operations() -> Vec<(String, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let spec = api_codegen::spec::load(&root.join("spec")).unwrap_or_else(|r| panic!("{r}"));
    let mut ops: Vec<(String, String, String)> = spec
        .services
        .iter()
        .flat_map(|s| {
            s.groups.iter().flat_map(move |g| {
                g.value.operations.iter().map(move |o| {
                    (
                        s.service.value.service.clone(),
                        g.value.group.clone(),
                        o.name.clone(),
                    )
                })
            })
        })
        .collect();
    ops.sort();
    ops
}

/// The tables list exactly the operations of the enabled groups (the default ones at least):
/// each group's operations, all of them, and nothing else.
#[test]
fn operation_tables_list_exactly_the_specs_operations() {
    let mut tables: Vec<(String, String, String)> = genesys_cloud::OPERATIONS
        .iter()
        .chain(vmware_csp::OPERATIONS)
        .map(|o| (o.service.to_owned(), o.group.to_owned(), o.name.to_owned()))
        .collect();
    tables.sort();
    let enabled: std::collections::BTreeSet<(&str, &str)> = tables
        .iter()
        .map(|(s, g, _)| (s.as_str(), g.as_str()))
        .collect();
    for default in [
        ("genesys-cloud", "authorization"),
        ("genesys-cloud", "organization_authorization"),
        ("vmware-csp", "organization_trusts"),
    ] {
        assert!(
            enabled.contains(&default),
            "default group {default:?} missing from the tables"
        );
    }
    let expected: Vec<(String, String, String)> = spec_operations()
        .into_iter()
        .filter(|(s, g, _)| enabled.contains(&(s.as_str(), g.as_str())))
        .collect();
    assert_eq!(tables, expected);
    let legacy: Vec<&str> = genesys_cloud::OPERATIONS
        .iter()
        .flat_map(|o| o.legacy_names.iter().copied())
        .collect();
    let mut unique = legacy.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(legacy.len(), unique.len(), "legacy names are unique");
}

/// The generated conformance tests hold one test per operation of the spec (of every group,
/// each behind its group's feature), found by reading the test file's function names:
/// `<service>_<operation>`, or `<service>_<group>_<operation>` for an operation several groups share.
#[test]
fn every_operation_of_the_spec_has_a_conformance_test() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/generated/operations.rs")).unwrap();
    let tested: std::collections::BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("async fn "))
        .filter_map(|l| l.split('(').next())
        .collect();
    let ops = spec_operations();
    assert_eq!(tested.len(), ops.len(), "one test per operation and group");
    for (service, group, op) in &ops {
        let module = service.replace('-', "_");
        let (plain, qualified) = (format!("{module}_{op}"), format!("{module}_{group}_{op}"));
        assert!(
            tested.contains(plain.as_str()) || tested.contains(qualified.as_str()),
            "no test for {service}/{group}/{op}"
        );
    }
}

#[test]
fn requirements_are_data() {
    use genesys_cloud::authorization::Authorization;
    use genesys_cloud::organization_authorization::OrganizationAuthorization;
    assert_eq!(
        Authorization::GET_AUTHORIZATION_ROLES.requires,
        Requirement::Any(&["authorization:role:view"])
    );
    assert_eq!(
        Authorization::GET_AUTHORIZATION_DIVISIONS_HOME.requires,
        Requirement::None
    );
    assert_eq!(
        Authorization::POST_AUTHORIZATION_DIVISIONS.requires,
        Requirement::All(&["authorization:division:add", "authorization:grant:add"])
    );
    assert_eq!(
        Authorization::DELETE_AUTHORIZATION_ROLE.requires,
        Requirement::Any(&["admin", "role_manager", "authorization:role:delete"])
    );
    let put = &OrganizationAuthorization::PUT_ORGAUTHORIZATION_TRUSTOR_USER;
    assert_eq!(
        (put.method, put.path),
        (
            Method::Put,
            "/api/v2/orgauthorization/trustors/{trustorOrgId}/users/{trusteeUserId}"
        )
    );
    let Requirement::AccessPolicy(policy) =
        vmware_csp::organization_trusts::OrganizationTrusts::UPDATE_ORGANIZATION_TRUST.requires
    else {
        panic!("CSP states an access policy");
    };
    assert_eq!(
        (
            policy.roles[0].id,
            policy.user_accounts,
            policy.service_accounts
        ),
        ("org_owner", true, true)
    );
}

#[test]
fn auth_schemes_and_regions_are_data() {
    // Every documented host is a region, by name and URL, in the spec's order.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let spec = api_codegen::spec::load(&root.join("spec")).unwrap_or_else(|r| panic!("{r}"));
    let hosts: Vec<(&str, &str)> = spec
        .service("genesys-cloud")
        .unwrap()
        .service
        .value
        .hosts
        .list
        .iter()
        .map(|h| (h.name.as_str(), h.url.as_str()))
        .collect();
    let regions: Vec<(&str, &str)> = genesys_cloud::Region::ALL
        .iter()
        .map(|r| (r.name(), r.base_url()))
        .collect();
    assert_eq!(regions, hosts);
    assert_eq!(
        genesys_cloud::Region::default(),
        genesys_cloud::Region::UsEast1
    );
    assert_eq!(
        genesys_cloud::Region::EuWest1.base_url(),
        "https://api.mypurecloud.ie"
    );
    assert_eq!(
        genesys_cloud::AUTH.flows[0].token_endpoint("https://api.mypurecloud.ie"),
        "https://login.mypurecloud.ie/oauth/token"
    );
    assert_eq!(
        (genesys_cloud::AUTH.header, genesys_cloud::AUTH.prefix),
        ("Authorization", "Bearer ")
    );
    assert_eq!(
        (vmware_csp::AUTH.header, vmware_csp::AUTH.prefix),
        ("csp-auth-token", "")
    );
    assert_eq!(vmware_csp::AUTH.flows.len(), 2);
}

#[test]
fn fixture_edges() {
    use obstacle_course::models::{
        Match, MatchKind, Node, OptionModel, Partner, ToggleStates, Weird, WeirdState,
        WeirdStateValue, WeirdStates,
    };
    use obstacle_course::things::Things;
    // Keywords and digits become identifiers; a prelude name gets a suffix.
    let weird = Weird::new(vec![])
        .with_type("t")
        .with_self_("s")
        .with_n2fa(true)
        .with_with_dash(1);
    let json = serde_json::to_value(&weird).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type": "t", "self": "s", "2fa": true, "with-dash": 1, "required_list": []})
    );
    let _ = OptionModel::default().with_some("x");
    // A JSON field's `null` is a value its type holds, told from absent both ways.
    let read = |json| serde_json::from_value::<Weird>(json).unwrap().anything;
    assert_eq!(
        read(serde_json::json!({"required_list": [], "anything": null})),
        Some(serde_json::Value::Null)
    );
    assert_eq!(read(serde_json::json!({"required_list": []})), None);
    let null =
        serde_json::to_value(Weird::new(vec![]).with_anything(serde_json::Value::Null)).unwrap();
    assert_eq!(
        null,
        serde_json::json!({"required_list": [], "anything": null})
    );
    // The catch-all is `Unknown` in every enum: a documented value named so is `UnknownValue`.
    assert_eq!(
        WeirdStateValue::from("Unknown"),
        WeirdStateValue::UnknownValue
    );
    assert!(matches!(
        WeirdStateValue::from("new"),
        WeirdStateValue::Unknown(_)
    ));
    assert_eq!(
        WeirdStateValue::from("with space"),
        WeirdStateValue::WithSpace
    );
    assert_eq!(WeirdStateValue::from("with space").as_str(), "with space");
    // Debug shows variant names, and what an unknown value holds; a model shows its JSON.
    assert_eq!(format!("{:?}", WeirdStateValue::V9lives), "V9lives");
    assert_eq!(
        format!("{:?}", WeirdStateValue::from("new")),
        r#"Unknown("new")"#
    );
    assert_eq!(
        format!("{:?}", WeirdStateValue::UnknownValue),
        "UnknownValue"
    );
    assert_eq!(
        format!("{weird:?}"),
        r#"Weird {"type":"t","self":"s","2fa":true,"with-dash":1,"required_list":[]}"#
    );
    // Every field with values has its own enum, named after its model and field (a model
    // already named `WeirdState` makes `Weird.state`'s enum `WeirdStateValue`); equal values
    // in two models are two types.
    let _: Option<WeirdState> = weird.previous;
    assert_eq!(WeirdStates::VALUES, ToggleStates::VALUES);
    // A model named like a keyword keeps its field enums (in its module `match_`).
    assert_eq!(
        Match::new()
            .with_kind(MatchKind::Prefix)
            .kind
            .as_ref()
            .map(MatchKind::as_str),
        Some("PREFIX")
    );
    // Direct recursion is boxed; lists and maps are not.
    let node = Node::new("a", Partner::default()).with_parent(Node::new("p", Partner::default()));
    let parent: Option<Box<Node>> = node.parent;
    assert_eq!(parent.map(|p| p.id), Some("p".to_owned()));
    // Each kind of requirement.
    assert_eq!(
        Things::GET_THING.requires,
        Requirement::Any(&["admin", "things:thing:view"])
    );
    assert_eq!(
        Things::PUT_THING_KIND.requires,
        Requirement::All(&["things:thing:edit", "things:kind:edit"])
    );
    assert_eq!(Things::POST_WEIRD.requires, Requirement::None);
    assert_eq!(Things::DELETE_TYPE.requires, Requirement::Undocumented);
    assert_eq!(
        Things::DELETE_TYPE.deprecated,
        Some("use `delete_thing` instead")
    );
    assert_eq!(Things::GET_THING.legacy_names, ["get_things_thing_id"]);
    // Legacy permissions widen the documented requirement; a dropped operation is deprecated.
    assert_eq!(
        Things::DELETE_THINGS.requires,
        Requirement::Any(&["admin", "things:thing:delete"])
    );
    assert!(
        Things::DELETE_THINGS
            .deprecated
            .is_some_and(|d| d.contains("since release 2.0.0"))
    );
    let Requirement::AccessPolicy(policy) = policy_demo::trusts::Trusts::UPDATE_TRUST.requires
    else {
        panic!()
    };
    assert_eq!(policy.roles.len(), 2);
    assert!(policy.user_accounts && !policy.service_accounts);
}

/// Topics are typed constructors: one argument per parameter, each one segment whatever it
/// holds, the event type in the return type; a topic the mapping dropped stays, deprecated.
#[test]
fn topics_are_built_by_typed_constructors() {
    use genesys_cloud_client::runtime::Topic;
    use obstacle_course::models::{Node, Toggle};
    use obstacle_course::topics::things;
    let changes: Topic<Node> = things::changes("a.b c");
    assert_eq!(
        changes.name(),
        "v2.things.a%2Eb%20c.changes",
        "a `.` cannot name another topic"
    );
    let everything: Topic<Toggle> = things::everything();
    assert_eq!(everything.to_string(), "v2.things");
    #[allow(deprecated)]
    let shared: Topic<Node> = things::shared_with("t1", "u1");
    assert_eq!(shared.name(), "v2.things.t1.shares.u1");
}
