//! For every model of every spec: a JSON document with every field set, plus unknown extra
//! fields and an unknown value in every enum, decodes into the generated type and encodes
//! back to the same document without the unknown fields. Driven by the spec, so a new model
//! or field is covered without a new test.

use std::path::Path;

use api_codegen::spec::types::{Scalar, TypeExpr};
use api_codegen::spec::{self, ServiceFiles};
use serde_json::{Map, Value, json};

type RoundTrip = fn(&str, Value) -> Option<Result<Value, serde_json::Error>>;

fn services() -> Vec<(ServiceFiles, RoundTrip)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut out: Vec<(ServiceFiles, RoundTrip)> = Vec::new();
    for (dir, service, f) in [
        ("spec", "genesys-cloud", authz_client::genesys_cloud::models::round_trip_by_name as RoundTrip),
        ("spec", "vmware-csp", authz_client::vmware_csp::models::round_trip_by_name),
        ("tests/fixtures/spec", "obstacle-course", integration_tests::obstacle_course::models::round_trip_by_name),
        ("tests/fixtures/spec", "policy-demo", integration_tests::policy_demo::models::round_trip_by_name),
    ] {
        let mut spec = spec::load(&root.join(dir)).unwrap_or_else(|r| panic!("{r}"));
        let i = spec.services.iter().position(|s| s.service.value.service == service).unwrap();
        out.push((spec.services.swap_remove(i), f));
    }
    out
}

/// A value of type `t`; `enum_values` non-empty means an unknown enum value is used.
fn example(service: &ServiceFiles, t: &TypeExpr, enum_values: &[String], depth: usize, unknown: bool) -> Value {
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
    let model = service.models.iter().find(|m| m.value.name == name).unwrap();
    let mut object = Map::new();
    for (wire, field) in &model.value.fields {
        if depth > 2 && !field.required {
            continue;
        }
        let ty = TypeExpr::parse(&field.ty).unwrap();
        object.insert(wire.clone(), example(service, &ty, &field.values, depth, unknown));
    }
    if unknown {
        object.insert("fieldAddedLater".into(), json!({"nested": [1, 2, 3]}));
    }
    Value::Object(object)
}

#[test]
fn every_model_round_trips_with_unknown_fields_and_enum_values() {
    let mut checked = 0;
    let services = services();
    let declared: usize = services.iter().map(|(s, _)| s.models.len()).sum();
    for (service, round_trip) in services {
        for model in &service.models {
            let name = &model.value.name;
            let input = model_example(&service, name, 0, true);
            let expected = model_example(&service, name, 0, false);
            let output = round_trip(name, input.clone())
                .unwrap_or_else(|| panic!("no generated type for {name}"))
                .unwrap_or_else(|e| panic!("{name} does not decode: {e}\n{input:#}"));
            assert_eq!(output, expected, "{name} did not round-trip");
            checked += 1;
        }
    }
    assert_eq!(checked, declared, "every model of every spec was checked");
}

#[test]
fn unknown_enum_values_are_kept_and_known_ones_are_variants() {
    use authz_client::vmware_csp::models::{OrganizationTrustDto, OrganizationTrustDtoType, Status};
    let dto: OrganizationTrustDto = serde_json::from_value(json!({"status": "PENDING", "type": "HIERARCHY"})).unwrap();
    assert_eq!(dto.r#type, Some(OrganizationTrustDtoType::Hierarchy));
    let status = dto.status.clone().unwrap();
    assert!(matches!(status, Status::Unknown(_)));
    assert_eq!(status.as_str(), "PENDING");
    assert_eq!(serde_json::to_value(&dto).unwrap(), json!({"status": "PENDING", "type": "HIERARCHY"}));
    assert_eq!(Status::from("ACTIVE"), Status::Active);
    assert_eq!("EXPIRED".parse::<Status>().unwrap(), Status::Expired);
}

#[test]
fn a_missing_required_scalar_decodes_as_empty_instead_of_failing_the_response() {
    // Grants embed divisions as references without the `description` the reference marks required.
    let division: authz_client::genesys_cloud::models::AuthzDivision = serde_json::from_value(json!({"id": "d1", "name": "Home"})).unwrap();
    assert_eq!(division.description, "");
    assert_eq!(division.id.as_deref(), Some("d1"));
}
