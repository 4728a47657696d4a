//! Public Rust names never move when a spec only adds things: for each kind of public item, an
//! additive edit that would rename an existing item without the names ledger keeps every
//! existing item, with its signature, once the ledger is there (compared on the generated
//! code's public items).

mod common;

use api_codegen::surface::{ItemChange, Surface};
use api_codegen::{ir, names_lock};
use common::Fixture;

/// The public items of the fixture's client, and its ledger.
fn generate(f: &Fixture) -> (Surface, String) {
    let api = ir::build(&f.load().unwrap_or_else(|r| panic!("{r}"))).unwrap();
    let surface = Surface::of_api(&api, &common::options()).unwrap();
    (surface, api.services[0].names.render())
}

/// Generates the fixture, records its ledger, applies `edit`; returns what the edit changed in
/// the public items with the ledger and what it would have changed without.
fn additive(f: &Fixture, edit: impl Fn(&Fixture)) -> (Vec<ItemChange>, Vec<ItemChange>) {
    let (before, ledger) = generate(f);
    edit(f);
    let (unlocked, _) = generate(f);
    f.write(&format!("demo/{}", names_lock::FILE_NAME), &ledger);
    let (locked, rewritten) = generate(f);
    // The ledger written back is the one read, extended: a second run changes nothing.
    f.write(&format!("demo/{}", names_lock::FILE_NAME), &rewritten);
    assert_eq!(
        generate(f).0,
        locked,
        "codegen is a fixed point of its ledger"
    );
    (
        before.delta(&locked).changes,
        before.delta(&unlocked).changes,
    )
}

/// The edit only added items with the ledger; without it, `renamed` would have been taken by
/// the new item (changed) or moved (removed).
fn assert_kept(changes: (Vec<ItemChange>, Vec<ItemChange>), renamed: &str, added: &str) {
    let (locked, unlocked) = changes;
    assert!(
        locked.iter().all(|c| matches!(c, ItemChange::Added(_))),
        "with the ledger, only additions: {locked:#?}"
    );
    assert!(
        locked.contains(&ItemChange::Added(added.to_owned())),
        "{added} not added: {locked:#?}"
    );
    let moved = |c: &ItemChange| match c {
        ItemChange::Removed(p) | ItemChange::Changed(p, ..) => p == renamed,
        ItemChange::Added(_) | ItemChange::Deprecated(_) => false,
    };
    assert!(
        unlocked.iter().any(moved),
        "without the ledger {renamed} would move: {unlocked:#?}"
    );
}

fn add_operation(f: &Fixture, yaml: &str) {
    let group = std::fs::read_to_string(f.dir.path().join("demo/groups/things.yaml")).unwrap();
    f.write("demo/groups/things.yaml", &format!("{group}{yaml}"));
}

#[test]
fn a_model_added_with_a_field_enums_name_yields() {
    let f = Fixture::new();
    f.write("demo/models/Policy.yaml", "name: Policy\nfields:\n  effect: {type: string, enum: [allow, deny]}\n  thing: {type: Thing}\n");
    let changes = additive(&f, |f| {
        f.write(
            "demo/models/PolicyEffect.yaml",
            "name: PolicyEffect\nfields:\n  since: {type: date-time}\n",
        )
    });
    assert_kept(
        changes,
        "demo::models::PolicyEffect",
        "demo::models::PolicyEffectModel",
    );
}

#[test]
fn an_operation_with_its_own_values_for_a_parameter_leaves_the_groups_enum_alone() {
    let f = Fixture::new();
    let changes = additive(&f, |f| {
        add_operation(
            f,
            "- name: list_kinds\n  method: GET\n  path: /kinds\n  summary: List\n  parameters:\n  \
             - {name: kind, wire_name: kind, in: query, type: string, enum: [X, Y]}\n",
        );
    });
    assert_kept(changes, "demo::things::Kind", "demo::things::ListKindsKind");
}

#[test]
fn a_builder_named_like_a_parameter_enum_yields() {
    let f = Fixture::new();
    let changes = additive(&f, |f| {
        add_operation(
            f,
            "- name: kind\n  method: GET\n  path: /kind\n  summary: Kind\n",
        )
    });
    assert_kept(changes, "demo::things::Kind", "demo::things::KindRequest");
}

/// The test doubles are outside the public items compared (a dev-dependency tool), but their
/// names are kept all the same: the double's type is in the group module's scope.
#[test]
fn a_builder_named_like_the_groups_double_yields() {
    let f = Fixture::new();
    let names = |f: &Fixture| {
        let api = ir::build(&f.load().unwrap_or_else(|r| panic!("{r}"))).unwrap();
        let g = &api.services[0].groups[0];
        let builder = g
            .operations
            .iter()
            .find(|o| o.spec_name == "things_double")
            .map(|o| o.builder.clone());
        (
            g.double_type.clone(),
            builder,
            api.services[0].names.render(),
        )
    };
    let (_, _, ledger) = names(&f);
    add_operation(
        &f,
        "- name: things_double\n  method: GET\n  path: /double\n  summary: Double\n",
    );
    assert_eq!(
        names(&f).0,
        "ThingsDoubleValue",
        "without the ledger the double moves"
    );
    f.write(&format!("demo/{}", names_lock::FILE_NAME), &ledger);
    let (double, builder, _) = names(&f);
    assert_eq!(
        (double.as_str(), builder.as_deref()),
        ("ThingsDouble", Some("ThingsDoubleRequest"))
    );
}

/// Variants and methods need no ledger: two values of one enum, or an operation and a legacy
/// alias of one group, that would take one Rust name are refused by the validator (located),
/// so neither can move an existing name; the import leaves such a file out with a warning.
#[test]
fn a_value_or_method_that_would_take_an_existing_name_is_refused_not_renamed() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "enum: [A, B]", "enum: [a, A, B]");
    let e = f.error();
    assert_eq!(
        e.message,
        "enum value `a` and `A` both become the Rust name `A`"
    );
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "legacy_names: [get_things_thing_id]",
        "legacy_names: [fetch_thing]",
    );
    add_operation(
        &f,
        "- name: fetch_thing\n  method: GET\n  path: /fetch\n  summary: Fetch\n",
    );
    assert!(
        f.errors()
            .iter()
            .any(|e| e.message.contains("`fetch_thing`")),
        "{:#?}",
        f.errors()
    );
}

/// Items whose names depend on themselves alone (modules, features, groups, models, fields,
/// setters) never needed the ledger; adding a group, a model and a field moves none of them.
#[test]
fn groups_models_and_fields_added_move_nothing() {
    let f = Fixture::new();
    let (locked, unlocked) = additive(&f, |f| {
        f.write("demo/groups/gadgets.yaml", "group: gadgets\ndescription: Gadgets.\noperations:\n- name: get_gadget\n  method: GET\n  path: /gadgets\n  summary: Get\n  returns: Gadget\n");
        f.write(
            "demo/models/Gadget.yaml",
            "name: Gadget\nfields:\n  id: {type: string}\n",
        );
        f.edit(
            "demo/models/Thing.yaml",
            "  owner:\n",
            "  color:\n    type: string\n  owner:\n",
        );
    });
    assert!(
        locked.iter().all(|c| matches!(c, ItemChange::Added(_))),
        "{locked:#?}"
    );
    assert_eq!(locked, unlocked);
    for added in [
        "feature demo-gadgets",
        "demo::gadgets",
        "demo::models::Gadget",
        "demo::models::thing::Thing::color",
        "demo::models::thing::Thing::with_color",
    ] {
        assert!(
            locked.contains(&ItemChange::Added(added.into())),
            "{added}: {locked:#?}"
        );
    }
}

/// A name changes when the spec says so: a removed item's line leaves the ledger, and the
/// public items say it is gone.
#[test]
fn removing_an_item_removes_its_name() {
    let f = Fixture::new();
    let (before, ledger) = generate(&f);
    f.write(&format!("demo/{}", names_lock::FILE_NAME), &ledger);
    assert!(ledger.contains("enum get_thing.kind: Kind"), "{ledger}");
    f.edit("demo/groups/things.yaml", "    enum: [A, B]\n", "");
    let (after, rewritten) = generate(&f);
    assert!(!rewritten.contains("get_thing.kind"), "{rewritten}");
    let delta = before.delta(&after);
    assert!(
        delta
            .changes
            .contains(&ItemChange::Removed("demo::things::Kind".into())),
        "{delta:#?}"
    );
    assert_eq!(delta.bump(), "major");
}

/// A ledger edited by hand into something codegen cannot honour is a located error.
#[test]
fn a_broken_ledger_is_a_located_error() {
    let f = Fixture::new();
    f.write(
        "demo/names.lock",
        "models:\n  model Thing: Thing\n  model ErrorBody: Thing\n",
    );
    let e = f.error();
    assert_eq!(
        e.message,
        "`Thing` is recorded for both `model ErrorBody` and `model Thing`"
    );
    assert!(e.file.ends_with("demo/names.lock"), "{}", e.file.display());
    f.write("demo/names.lock", "modles: {}\n");
    assert!(f.error().message.contains("unknown field `modles`"));
}

/// The feature of the models no operation reaches stays when a release puts the last of them to
/// use: the ledger keeps it (with nothing left to gate).
#[test]
fn the_other_models_feature_stays_when_its_last_model_is_put_to_use() {
    let f = Fixture::new();
    f.write(
        "demo/models/Gadget.yaml",
        "name: Gadget\nfields:\n  id: {type: string}\n",
    );
    let changes = additive(&f, |f| {
        add_operation(
            f,
            "- name: get_gadget\n  method: GET\n  path: /gadget\n  summary: Gadget\n  returns: Gadget\n",
        )
    });
    let (locked, unlocked) = &changes;
    assert!(
        unlocked.contains(&ItemChange::Removed("feature demo-other_models".into())),
        "{unlocked:#?}"
    );
    assert!(locked.iter().all(ItemChange::is_minor), "{locked:#?}");
}
