//! An enum's name depends on its model and field alone: adding models never renames one.

mod common;

use api_codegen::ir;
use common::Fixture;

/// `(enum, used by)` of the spec's model enums.
fn enums(f: &Fixture) -> Vec<(String, Vec<String>)> {
    let api = ir::build(&f.load().unwrap_or_else(|r| panic!("{r}"))).unwrap();
    api.services[0]
        .enums
        .iter()
        .map(|e| (e.type_name.clone(), e.used_by.clone()))
        .collect()
}

fn with_state(f: &Fixture, model: &str) {
    f.write(
        &format!("demo/models/{model}.yaml"),
        &format!("name: {model}\nfields:\n  state: {{type: string, enum: [active, inactive]}}\n  other: {{type: Thing}}\n"),
    );
}

#[test]
fn each_field_has_its_own_enum_named_after_model_and_field() {
    let f = Fixture::new();
    with_state(&f, "Group");
    let before = enums(&f);
    assert_eq!(
        before,
        [("GroupState".to_owned(), vec!["Group.state".to_owned()])]
    );

    // A model listing the same values, sorting before `Group`, and one whose name the enum
    // would take: `Group.state` keeps its name through the first.
    with_state(&f, "Action");
    let after = enums(&f);
    assert_eq!(
        after,
        [
            ("ActionState".to_owned(), vec!["Action.state".to_owned()]),
            ("GroupState".to_owned(), vec!["Group.state".to_owned()])
        ]
    );
}

#[test]
fn a_model_of_the_same_name_keeps_it_and_the_enum_takes_a_suffix() {
    let f = Fixture::new();
    with_state(&f, "Group");
    f.write(
        "demo/models/GroupState.yaml",
        "name: GroupState\nfields:\n  since: {type: date-time}\n",
    );
    assert_eq!(
        enums(&f),
        [("GroupStateValue".to_owned(), vec!["Group.state".to_owned()])]
    );
}
