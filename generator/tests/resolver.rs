//! The IR's resolver on specs the validator never saw: a reference that does not resolve is a
//! located error naming the file that made it, never a default.

mod common;

use api_codegen::ir::{self, RustType};
use common::Fixture;

/// The fixture's spec, loaded (and so validated), then changed by `edit` behind the validator.
fn build_after(edit: impl FnOnce(&mut api_codegen::spec::Spec)) -> Result<ir::Api, ir::IrError> {
    let f = Fixture::new();
    let mut spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    edit(&mut spec);
    ir::build(&spec)
}

fn models(
    spec: &mut api_codegen::spec::Spec,
) -> &mut Vec<api_codegen::spec::Parsed<api_codegen::spec::format::ModelFile>> {
    &mut spec.services[0].models
}

#[test]
fn a_field_naming_no_model_is_an_error_of_its_file() {
    let err = build_after(|spec| {
        let thing = &mut models(spec)[1];
        thing.value.fields.get_mut("owner").unwrap().ty = "Nowhere".into();
    })
    .unwrap_err();
    assert!(err.file.ends_with("models/Thing.yaml"), "{err}");
    assert!(
        err.message.contains("model `Nowhere` is not defined"),
        "{err}"
    );
}

#[test]
fn an_operation_returning_no_model_is_an_error_of_its_group_file() {
    let err = build_after(|spec| {
        spec.services[0].groups[0].value.operations[0].returns = Some("list<Gone>".into());
    })
    .unwrap_err();
    assert!(err.file.ends_with("groups/things.yaml"), "{err}");
    assert!(err.message.contains("model `Gone` is not defined"), "{err}");
}

#[test]
fn a_missing_error_model_is_an_error_of_the_service_file() {
    let err = build_after(|spec| {
        spec.services[0].service.value.errors.body = "Absent".into();
    })
    .unwrap_err();
    assert!(err.file.ends_with("service.yaml"), "{err}");
    assert!(
        err.message.contains("model `Absent` is not defined"),
        "{err}"
    );
}

#[test]
fn a_type_that_does_not_parse_is_an_error_of_its_file() {
    let err = build_after(|spec| {
        models(spec)[1].value.fields.get_mut("tags").unwrap().ty = "list<".into();
    })
    .unwrap_err();
    assert!(err.file.ends_with("models/Thing.yaml"), "{err}");
    assert!(err.message.starts_with("type `list<`"), "{err}");
}

#[test]
fn references_are_indices_that_lead_to_what_they_name() {
    let api = build_after(|_| {}).unwrap();
    let s = &api.services[0];
    let thing = s.models.iter().find(|m| m.name == "Thing").unwrap();
    let owner = thing.fields.iter().find(|f| f.wire == "owner").unwrap();
    let RustType::Model(r) = &owner.ty else {
        panic!("{:?}", owner.ty)
    };
    assert_eq!(s.model(r.id).name, "Thing");
    assert!(r.boxed, "a model that holds itself is boxed");
    let op = &s.groups[0].operations[0];
    let kind = op.parameters.iter().find(|p| p.wire == "kind").unwrap();
    let RustType::Enum(e) = &kind.ty else {
        panic!("{:?}", kind.ty)
    };
    let values: Vec<&str> = s
        .enum_of(e.id, &s.groups[0].param_enums)
        .variants
        .iter()
        .map(|v| v.0.as_str())
        .collect();
    assert_eq!(values, ["A", "B"]);
    assert_eq!(op.name.to_string(), "get_thing");
}
