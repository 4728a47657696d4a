//! Which features compile each model, and the features table, on a spec of two groups.

mod common;

use api_codegen::ir::{self, Gate};
use common::Fixture;

fn two_groups() -> Fixture {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "description: Things.\n",
        "description: Things.\ndefault_feature: true\n",
    );
    f.edit(
        "demo/groups/things.yaml",
        "  returns: Thing\n",
        "  returns: Thing\n- name: get_shared\n  method: GET\n  path: /shared\n  summary: Shared\n  returns: list<Shared>\n",
    );
    f.write(
        "demo/groups/more.yaml",
        "group: more\ndescription: More.\noperations:\n\
         - name: get_gadget\n  method: GET\n  path: /gadgets\n  summary: Gadgets\n  returns: map<Gadget>\n\
         - name: post_shared\n  method: POST\n  path: /shared\n  summary: Shared\n  body: {type: Shared, required: true}\n",
    );
    f.write(
        "demo/models/Gadget.yaml",
        "name: Gadget\nfields:\n  part: {type: list<Part>}\n",
    );
    f.write(
        "demo/models/Part.yaml",
        "name: Part\nfields:\n  size: {type: int32}\n",
    );
    f.write(
        "demo/models/Shared.yaml",
        "name: Shared\nfields:\n  id: {type: string}\n",
    );
    f.write(
        "demo/models/Orphan.yaml",
        "name: Orphan\nfields:\n  bit: {type: Bit}\n",
    );
    f.write(
        "demo/models/Bit.yaml",
        "name: Bit\nfields:\n  on: {type: boolean}\n",
    );
    f
}

#[test]
fn a_model_goes_with_the_groups_that_reach_it() {
    let api = ir::build(&two_groups().load().unwrap_or_else(|r| panic!("{r}"))).unwrap();
    let s = &api.services[0];
    let gate = |name: &str| {
        s.models
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.gate.clone())
            .unwrap()
    };
    let only = |g: &str| Gate::Groups(vec![g.to_owned()]);
    assert_eq!(
        gate("Thing"),
        only("demo-things"),
        "a return type, and its own field"
    );
    assert_eq!(gate("Gadget"), only("demo-more"), "through a map");
    assert_eq!(gate("Part"), only("demo-more"), "through a list field");
    // Reached by every group (a body in one, a list in the other), not by the orphans' feature.
    assert_eq!(
        gate("Shared"),
        Gate::Groups(vec!["demo-more".into(), "demo-things".into()])
    );
    assert_eq!(
        gate("Orphan"),
        only("demo-other_models"),
        "reached by no operation: behind a feature of its own"
    );
    assert_eq!(
        gate("Bit"),
        only("demo-other_models"),
        "what an orphan references goes with it"
    );
    assert_eq!(s.other_models.as_deref(), Some("demo-other_models"));
    assert_eq!(
        gate("ErrorBody"),
        Gate::Service,
        "every operation may return the error model"
    );
    let features: Vec<(&str, bool)> = s
        .groups
        .iter()
        .map(|g| (g.feature.as_str(), g.default_feature))
        .collect();
    assert_eq!(features, [("demo-more", false), ("demo-things", true)]);
    assert_eq!(
        Gate::union([&only("b"), &only("a"), &only("b")]),
        Gate::Groups(vec!["a".into(), "b".into()])
    );
    assert_eq!(Gate::union([&only("a"), &Gate::Service]), Gate::Service);
}

#[test]
fn the_features_table_has_a_feature_per_group_enabling_its_service() {
    let api = ir::build(&two_groups().load().unwrap()).unwrap();
    let manifest = "[package]\nname = \"x\"\n\n[features]\nstale = []\n\n[dependencies]\n";
    let out = api_codegen::manifest::with_features(manifest, &api, None);
    for line in [
        "default = [\"demo-things\"]\n",
        "full = [\"demo-more\", \"demo-things\", \"demo-other_models\"]\n",
        "demo = []\n",
        "# 2 operations.\ndemo-more = [\"demo\"]\n",
        "demo-things = [\"demo\"]\n",
        "(notification payloads, mostly).\ndemo-other_models = [\"demo\"]\n\n[dependencies]\n",
    ] {
        assert!(out.contains(line), "{line:?} not in\n{out}");
    }
    assert!(!out.contains("stale"), "{out}");
    // A crate that tests the client forwards the client's group features under the same names.
    let forwarded = api_codegen::manifest::with_features(manifest, &api, Some((&api, "client")));
    assert!(
        forwarded.contains("demo-more = [\"client/demo-more\"]\n"),
        "{forwarded}"
    );
    assert!(
        forwarded.contains("demo-other_models = [\"client/demo-other_models\"]\n"),
        "{forwarded}"
    );
}

#[test]
fn a_model_both_a_group_and_an_orphan_reach_goes_with_either() {
    let f = two_groups();
    f.edit(
        "demo/models/Orphan.yaml",
        "  bit: {type: Bit}\n",
        "  bit: {type: Bit}\n  part: {type: Part}\n",
    );
    let api = ir::build(&f.load().unwrap()).unwrap();
    let gate = |name: &str| {
        api.services[0]
            .models
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.gate.clone())
            .unwrap()
    };
    assert_eq!(
        gate("Part"),
        Gate::Groups(vec!["demo-more".into(), "demo-other_models".into()])
    );
    // Without orphans there is no such feature.
    let f = two_groups();
    f.edit(
        "demo/groups/more.yaml",
        "  returns: map<Gadget>\n",
        "  returns: map<Gadget>\n- name: get_orphan\n  method: GET\n  path: /orphan\n  summary: Orphan\n  returns: Orphan\n",
    );
    let api = ir::build(&f.load().unwrap()).unwrap();
    assert_eq!(api.services[0].other_models, None);
    let manifest = api_codegen::manifest::with_features("[features]\n", &api, None);
    assert!(!manifest.contains("other_models"), "{manifest}");
}

/// A service with a notification channel gets a `notifications` feature enabling the runtime's and
/// the channel's group; a crate that tests it has it on by default, forwarded.
#[test]
fn a_notification_channel_brings_its_feature() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec");
    let spec = api_codegen::spec::load(&root).unwrap_or_else(|r| panic!("{r}"));
    let api = ir::build(&spec).unwrap();
    let own = api_codegen::manifest::with_features("[features]\n", &api, None);
    assert!(
        own.contains(
            "notifications = [\"api-runtime/notifications\", \"obstacle_course-things\"]\n"
        ),
        "{own}"
    );
    assert!(!own.contains("default = [\"double\""), "{own}");
    let forwarded =
        api_codegen::manifest::with_features("[features]\n", &api, Some((&api, "client")));
    assert!(
        forwarded.contains("\"double\", \"notifications\"]\n"),
        "{forwarded}"
    );
    assert!(
        forwarded
            .contains("notifications = [\"client/notifications\", \"obstacle_course-things\"]\n"),
        "{forwarded}"
    );
    // Without a channel there is no such feature.
    let plain = ir::build(&two_groups().load().unwrap()).unwrap();
    let manifest = api_codegen::manifest::with_features("[features]\n", &plain, None);
    assert!(!manifest.contains("notifications"), "{manifest}");
}
