//! A release's changelog entry and version, from the spec before and after.

mod common;

use api_codegen::diff::with_rust_api;
use api_codegen::release::{Version, changelog_entry};
use common::Fixture;

const G: &str = "demo/groups/things.yaml";

#[test]
fn the_entry_lists_what_was_added_deprecated_removed_and_why_it_breaks() {
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(
        G,
        "operations:\n",
        "operations:\n- name: drop_thing\n  method: DELETE\n  path: /things\n  summary: Drop\n",
    );
    head.edit(
        G,
        "operations:\n",
        "operations:\n- name: list_things\n  method: GET\n  path: /list\n  summary: List\n",
    );
    head.edit(
        G,
        "  legacy_names: [get_things_thing_id]\n",
        "  legacy_names: [get_things_thing_id]\n  undocumented_since: 250.0.0\n",
    );
    head.write(
        "demo/models/Gadget.yaml",
        "name: Gadget\nfields:\n  id: {type: string}\n",
    );
    let (b, h) = (
        base.load().unwrap_or_else(|r| panic!("{r}")),
        head.load().unwrap_or_else(|r| panic!("{r}")),
    );
    let diff = with_rust_api(&b, &h).unwrap();
    let next = Version(0, 3, 0).next(diff.impact());
    assert_eq!(next, Version(0, 4, 0), "an operation removed");
    let entry = changelog_entry(&b, &h, &diff, next, Some("250.0.0"));
    for line in [
        "## 0.4.0 — vendor release 250.0.0\n",
        "A **major** release: 1 breaking, 3 additive and 0 other changes; public Rust items:",
        "### Added\n\n- Operations (1): `things.list_things`\n- Models (1): `Gadget`\n",
        "### Deprecated\n\n- `things.get_thing`: no longer documented since release 250.0.0; kept\n",
        "### Removed\n\n- Operations (1): `things.drop_thing`\n",
        "### Breaking\n\n- demo (things): operation `drop_thing` (DELETE /things) removed\n- removed `demo::things::DropThing`\n",
    ] {
        assert!(entry.contains(line), "{line:?} not in\n{entry}");
    }
}

#[test]
fn nothing_changed_needs_no_version() {
    let f = Fixture::new();
    let spec = f.load().unwrap();
    let diff = with_rust_api(&spec, &spec).unwrap();
    assert_eq!(Version(0, 3, 0).next(diff.impact()), Version(0, 3, 0));
}
