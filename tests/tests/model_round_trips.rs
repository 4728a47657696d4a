//! For every model of every spec: a JSON document with every field set, plus unknown extra
//! fields and an unknown value in every enum, decodes into the generated type and encodes
//! back to the same document without the unknown fields. Driven by the spec, so a new model
//! or field is covered without a new test.

use std::path::Path;

use api_codegen::spec::types::{Scalar, TypeExpr};
use api_codegen::spec::{self, ServiceFiles};
use serde_json::{Map, Value, json};

type RoundTrip = fn(&str, Value) -> Option<Result<Value, serde_json::Error>>;

/// The spec names of the models compiled with the default features: those with the service's
/// gate or a default group's.
fn compiled_by_default(dir: &Path, service: &str) -> std::collections::BTreeSet<String> {
    use api_codegen::ir::Gate;
    let api = api_codegen::ir::build(&spec::load(dir).unwrap_or_else(|r| panic!("{r}"))).unwrap();
    let s = api.services.iter().find(|s| s.id == service).unwrap();
    let defaults: Vec<&str> = s
        .groups
        .iter()
        .filter(|g| g.default_feature)
        .map(|g| g.feature.as_str())
        .collect();
    s.models
        .iter()
        .filter(|m| match &m.gate {
            Gate::Service => true,
            Gate::Groups(features) => features.iter().any(|f| defaults.contains(&f.as_str())),
        })
        .map(|m| m.name.clone())
        .collect()
}

fn services() -> Vec<(ServiceFiles, RoundTrip)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut out: Vec<(ServiceFiles, RoundTrip)> = Vec::new();
    for (dir, service, f) in [
        (
            "spec",
            "genesys-cloud",
            genesys_cloud_client::genesys_cloud::models::round_trip_by_name as RoundTrip,
        ),
        (
            "spec",
            "vmware-csp",
            genesys_cloud_client::vmware_csp::models::round_trip_by_name,
        ),
        (
            "tests/fixtures/spec",
            "obstacle-course",
            integration_tests::obstacle_course::models::round_trip_by_name,
        ),
        (
            "tests/fixtures/spec",
            "policy-demo",
            integration_tests::policy_demo::models::round_trip_by_name,
        ),
    ] {
        let mut spec = spec::load(&root.join(dir)).unwrap_or_else(|r| panic!("{r}"));
        let i = spec
            .services
            .iter()
            .position(|s| s.service.value.service == service)
            .unwrap();
        out.push((spec.services.swap_remove(i), f));
    }
    out
}

/// A value of type `t`; `enum_values` non-empty means an unknown enum value is used.
fn example(
    service: &ServiceFiles,
    t: &TypeExpr,
    enum_values: &[String],
    depth: usize,
    unknown: bool,
) -> Value {
    match t {
        TypeExpr::Scalar(Scalar::String) if !enum_values.is_empty() => json!("A_VALUE_ADDED_LATER"),
        TypeExpr::Scalar(Scalar::String) => json!("text"),
        TypeExpr::Scalar(Scalar::Int32) => json!(-7),
        TypeExpr::Scalar(Scalar::Int64) => json!(9_007_199_254_740_993_i64),
        TypeExpr::Scalar(Scalar::Number) => json!(1.5),
        TypeExpr::Scalar(Scalar::Boolean) => json!(true),
        TypeExpr::Scalar(Scalar::DateTime) => json!("2024-01-02T03:04:05Z"),
        TypeExpr::Scalar(Scalar::Date) => json!("2024-01-02"),
        TypeExpr::Object => json!({"free": ["form", 1, null]}),
        TypeExpr::List(item) => json!([example(service, item, enum_values, depth, unknown)]),
        TypeExpr::Map(item) => json!({"key": example(service, item, enum_values, depth, unknown)}),
        TypeExpr::Model(name) => model_example(service, name, depth + 1, unknown),
    }
}

/// Every field at shallow depths; only the required ones deeper, so recursion ends.
fn model_example(service: &ServiceFiles, name: &str, depth: usize, unknown: bool) -> Value {
    let model = service
        .models
        .iter()
        .find(|m| m.value.name == name)
        .unwrap();
    let mut object = Map::new();
    for (wire, field) in &model.value.fields {
        if depth > 2 && !field.required {
            continue;
        }
        let ty = TypeExpr::parse(&field.ty).unwrap();
        object.insert(
            wire.clone(),
            example(service, &ty, &field.values, depth, unknown),
        );
    }
    if unknown {
        object.insert("fieldAddedLater".into(), json!({"nested": [1, 2, 3]}));
    }
    Value::Object(object)
}

/// Every model compiled in this build (at least those of the default groups, every one with
/// `--features full`).
#[test]
fn every_model_round_trips_with_unknown_fields_and_enum_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut checked = 0;
    let mut expected_at_least = 0;
    for (service, round_trip) in services() {
        let dir = if service.dir.starts_with(root.join("spec")) {
            root.join("spec")
        } else {
            root.join("tests/fixtures/spec")
        };
        let by_default = compiled_by_default(&dir, &service.service.value.service);
        expected_at_least += by_default.len();
        for model in &service.models {
            let name = &model.value.name;
            let input = model_example(&service, name, 0, true);
            let expected = model_example(&service, name, 0, false);
            let Some(output) = round_trip(name, input.clone()) else {
                assert!(
                    !by_default.contains(name),
                    "{name} is used by a default group but not compiled"
                );
                continue;
            };
            let output =
                output.unwrap_or_else(|e| panic!("{name} does not decode: {e}\n{input:#}"));
            assert_eq!(output, expected, "{name} did not round-trip");
            checked += 1;
        }
    }
    assert!(
        checked >= expected_at_least && expected_at_least > 0,
        "{checked} of at least {expected_at_least} models checked"
    );
}

#[test]
fn unknown_enum_values_are_kept_and_known_ones_are_variants() {
    use genesys_cloud_client::vmware_csp::models::{
        OrganizationTrustDto, OrganizationTrustDtoStatus as Status, OrganizationTrustDtoType,
    };
    let dto: OrganizationTrustDto =
        serde_json::from_value(json!({"status": "PENDING", "type": "HIERARCHY"})).unwrap();
    assert_eq!(dto.r#type, Some(OrganizationTrustDtoType::Hierarchy));
    let status = dto.status.clone().unwrap();
    assert!(matches!(status, Status::Unknown(_)));
    assert_eq!(status.as_str(), "PENDING");
    assert_eq!(
        serde_json::to_value(&dto).unwrap(),
        json!({"status": "PENDING", "type": "HIERARCHY"})
    );
    assert_eq!(Status::from("ACTIVE"), Status::Active);
    assert_eq!("EXPIRED".parse::<Status>().unwrap(), Status::Expired);
}

#[test]
fn a_missing_required_scalar_decodes_as_empty_instead_of_failing_the_response() {
    // Grants embed divisions as references without the `description` the reference marks required.
    let division: genesys_cloud_client::genesys_cloud::models::AuthzDivision =
        serde_json::from_value(json!({"id": "d1", "name": "Home"})).unwrap();
    assert_eq!(division.description, "");
    assert_eq!(division.id.as_deref(), Some("d1"));
}
