//! One before/after spec pair per change kind, asserting how `spec-diff` classifies it.

mod common;

use api_codegen::diff::{Impact, diff, render, with_rust_api};
use common::Fixture;

/// Applies `edits` (file, from, to) to a copy of the fixture spec and diffs it against the original.
fn changes(edits: &[(&str, &str, &str)]) -> Vec<(Impact, String)> {
    let (base, head) = (Fixture::new(), Fixture::new());
    for (file, from, to) in edits {
        head.edit(file, from, to);
    }
    let (b, h) = (
        base.load().unwrap_or_else(|r| panic!("{r}")),
        head.load().unwrap_or_else(|r| panic!("{r}")),
    );
    let d = with_rust_api(&b, &h).unwrap();
    // The rules' verdict is the public items' verdict: every rule of docs/spec-diff.md is
    // checked against the generated code's public items here.
    assert_eq!(d.disagreement(), None, "{}", render(&d, "base", "head"));
    d.changes.into_iter().map(|c| (c.impact, c.what)).collect()
}

/// Exactly one change, with this impact, whose text contains `needle`.
fn assert_one(edits: &[(&str, &str, &str)], impact: Impact, needle: &str) {
    let c = changes(edits);
    assert_eq!(c.len(), 1, "expected one change, got {c:#?}");
    assert_eq!(c[0].0, impact, "{}", c[0].1);
    assert!(c[0].1.contains(needle), "{:?} lacks {needle:?}", c[0].1);
}

const G: &str = "demo/groups/things.yaml";
const M: &str = "demo/models/Thing.yaml";
const S: &str = "demo/service.yaml";

const NEW_OP: &str = "- name: list_things\n  method: GET\n  path: /things\n  summary: List things\n  requires: none\n  returns: list<Thing>\n";

#[test]
fn nothing_changed() {
    assert!(changes(&[]).is_empty());
}

#[test]
fn operation_added_is_additive() {
    assert_one(
        &[(G, "operations:\n", &format!("operations:\n{NEW_OP}"))],
        Impact::Additive,
        "operation `list_things` (GET /things) added",
    );
}

#[test]
fn operation_removed_is_breaking() {
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(G, "operations:\n", &format!("operations:\n{NEW_OP}"));
    let d = diff(&base.load().unwrap(), &head.load().unwrap());
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].impact, Impact::Breaking);
    assert!(
        d.changes[0]
            .what
            .contains("operation `list_things` (GET /things) removed")
    );
}

#[test]
fn renaming_with_a_legacy_alias_keeps_the_method_but_renames_the_builder() {
    assert_one(
        &[
            (G, "- name: get_thing\n", "- name: fetch_thing\n"),
            (
                G,
                "legacy_names: [get_things_thing_id]",
                "legacy_names: [get_things_thing_id, get_thing]",
            ),
        ],
        Impact::Breaking,
        "`get_thing` renamed to `fetch_thing`; `get_thing` remains as a deprecated alias method, but its builder type and constant \
         are renamed",
    );
}

#[test]
fn renaming_without_an_alias_is_breaking() {
    let c = changes(&[(G, "- name: get_thing\n", "- name: fetch_thing\n")]);
    assert!(
        c.iter().any(|(i, w)| *i == Impact::Breaking
            && w.contains("operation `get_thing`")
            && w.contains("removed")),
        "{c:#?}"
    );
    assert!(
        c.iter()
            .any(|(i, w)| *i == Impact::Additive && w.contains("operation `fetch_thing`")),
        "{c:#?}"
    );
}

#[test]
fn path_or_method_changed_is_patch() {
    assert_one(
        &[(G, "path: /things/{thingId}", "path: /v2/things/{thingId}")],
        Impact::Patch,
        "now calls GET /v2/things/{thingId}",
    );
}

#[test]
fn requirement_changed_is_patch() {
    assert_one(
        &[(G, "- things:thing:view", "- things:thing:read")],
        Impact::Patch,
        "requires any of `things:thing:read`",
    );
}

#[test]
fn optional_parameter_added_is_additive() {
    assert_one(
        &[(
            G,
            "  returns: Thing\n",
            "  - {name: q, wire_name: q, in: query, type: string}\n  returns: Thing\n",
        )],
        Impact::Additive,
        "optional parameter `q` added",
    );
}

#[test]
fn required_parameter_added_is_breaking() {
    assert_one(
        &[(
            G,
            "  returns: Thing\n",
            "  - {name: q, wire_name: q, in: query, type: string, required: true}\n  returns: Thing\n",
        )],
        Impact::Breaking,
        "required parameter `q` added",
    );
}

#[test]
fn parameter_removed_is_breaking() {
    assert_one(
        &[(
            G,
            "  - name: page_size\n    wire_name: pageSize\n    in: query\n    type: int32\n    default: 25\n",
            "",
        )],
        Impact::Breaking,
        "parameter `page_size` removed",
    );
}

#[test]
fn parameter_retyped_is_breaking() {
    assert_one(
        &[(
            G,
            "    type: int32\n    default: 25",
            "    type: int64\n    default: 25",
        )],
        Impact::Breaking,
        "parameter `page_size` is `int64` (was `int32`)",
    );
}

#[test]
fn parameter_made_required_is_breaking() {
    // (The default goes too: a required parameter has none.)
    let c = changes(&[(
        G,
        "    type: int32\n    default: 25",
        "    type: int32\n    required: true",
    )]);
    assert!(
        c.iter()
            .any(|(i, w)| *i == Impact::Breaking && w.contains("made required")),
        "{c:#?}"
    );
}

#[test]
fn default_changed_is_patch() {
    assert_one(
        &[(G, "default: 25", "default: 50")],
        Impact::Patch,
        "defaults to `50` (was `25`)",
    );
}

#[test]
fn allowed_value_added_is_additive_and_removed_is_breaking() {
    assert_one(
        &[(G, "enum: [A, B]", "enum: [A, B, C]")],
        Impact::Additive,
        "parameter `kind`: enum value `C` added",
    );
    assert_one(
        &[(
            G,
            "enum: [A, B]\n    default: A",
            "enum: [A]\n    default: A",
        )],
        Impact::Breaking,
        "parameter `kind`: enum value `B` removed",
    );
}

#[test]
fn return_type_changed_is_breaking() {
    assert_one(
        &[(G, "returns: Thing", "returns: list<Thing>")],
        Impact::Breaking,
        "returns list<Thing> (was Thing)",
    );
}

#[test]
fn bodies_added_removed_or_made_required() {
    let with_body = "  returns: Thing\n  body: {type: Thing, required: false}\n";
    assert_one(
        &[(G, "  returns: Thing\n", with_body)],
        Impact::Additive,
        "optional body added",
    );
    assert_one(
        &[(
            G,
            "  returns: Thing\n",
            "  returns: Thing\n  body: {type: Thing, required: true}\n",
        )],
        Impact::Breaking,
        "required body added",
    );
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(G, "  returns: Thing\n", with_body);
    head.edit(
        G,
        "  returns: Thing\n",
        "  returns: Thing\n  body: {type: Thing, required: true}\n",
    );
    let d = diff(&base.load().unwrap(), &head.load().unwrap());
    assert_eq!(
        (d.changes.len(), d.changes[0].impact),
        (1, Impact::Breaking)
    );
    assert!(d.changes[0].what.contains("body made required"));
}

#[test]
fn legacy_alias_removed_is_breaking() {
    assert_one(
        &[(G, "  legacy_names: [get_things_thing_id]\n", "")],
        Impact::Breaking,
        "legacy alias `get_things_thing_id` removed",
    );
}

#[test]
fn deprecation_is_additive() {
    assert_one(
        &[(
            G,
            "  returns: Thing\n",
            "  returns: Thing\n  deprecated: use list_things\n",
        )],
        Impact::Additive,
        "`get_thing` deprecated",
    );
}

#[test]
fn documentation_changed_is_patch() {
    assert_one(
        &[(G, "summary: Get a thing", "summary: Fetch one thing")],
        Impact::Patch,
        "documentation changed",
    );
}

#[test]
fn model_added_is_additive_and_removed_is_breaking() {
    let (base, head) = (Fixture::new(), Fixture::new());
    head.write("demo/models/Widget.yaml", "name: Widget\nfields: {}\n");
    let d = diff(&base.load().unwrap(), &head.load().unwrap());
    assert_eq!(
        (d.changes.len(), d.changes[0].impact),
        (1, Impact::Additive)
    );
    let d = diff(&head.load().unwrap(), &base.load().unwrap());
    assert_eq!(
        (d.changes.len(), d.changes[0].impact),
        (1, Impact::Breaking)
    );
    assert!(d.changes[0].what.contains("model `Widget` removed"));
}

#[test]
fn optional_field_added_is_additive() {
    assert_one(
        &[(M, "  tags:\n", "  color:\n    type: string\n  tags:\n")],
        Impact::Additive,
        "field `Thing.color` added",
    );
}

#[test]
fn required_field_added_is_breaking() {
    assert_one(
        &[(
            M,
            "  tags:\n",
            "  color:\n    type: string\n    required: true\n  tags:\n",
        )],
        Impact::Breaking,
        "required field `Thing.color` added",
    );
}

#[test]
fn field_removed_is_breaking() {
    assert_one(
        &[(M, "  tags:\n    type: list<string>\n", "")],
        Impact::Breaking,
        "`Thing.tags` removed",
    );
}

#[test]
fn field_retyped_is_breaking() {
    assert_one(
        &[(M, "type: list<string>", "type: list<int64>")],
        Impact::Breaking,
        "`Thing.tags` is `list<int64>` (was `list<string>`)",
    );
}

#[test]
fn field_made_required_or_optional_is_breaking() {
    assert_one(
        &[(
            M,
            "  owner:\n    type: Thing\n",
            "  owner:\n    type: Thing\n    required: true\n",
        )],
        Impact::Breaking,
        "`Thing.owner` made required",
    );
    assert_one(
        &[(
            M,
            "    type: string\n    required: true\n",
            "    type: string\n",
        )],
        Impact::Breaking,
        "`Thing.id` made optional",
    );
}

#[test]
fn enum_values_on_fields() {
    let with = |values: &str| format!("  tags:\n    type: list<string>\n    enum: [{values}]\n");
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(M, "  tags:\n    type: list<string>\n", &with("RED, BLUE"));
    head.edit(M, "  tags:\n    type: list<string>\n", &with("RED, GREEN"));
    let d = diff(&base.load().unwrap(), &head.load().unwrap());
    let c: Vec<_> = d
        .changes
        .iter()
        .map(|c| (c.impact, c.what.as_str()))
        .collect();
    assert_eq!(
        c,
        [
            (Impact::Breaking, "`Thing.tags`: enum value `BLUE` removed"),
            (Impact::Additive, "`Thing.tags`: enum value `GREEN` added")
        ]
    );
    // A plain string becoming an enum changes its Rust type.
    assert_one(
        &[(M, "  tags:\n    type: list<string>\n", &with("RED"))],
        Impact::Breaking,
        "now lists allowed values",
    );
}

#[test]
fn regions_added_and_removed() {
    let extra = "  - name: prod\n    url: https://api.example.com\n  - name: eu\n    url: https://api.example.eu\n";
    assert_one(
        &[(
            S,
            "  - name: prod\n    url: https://api.example.com\n",
            extra,
        )],
        Impact::Additive,
        "region `eu` added",
    );
}

#[test]
fn the_report_ends_with_the_semver_bump() {
    let (base, head) = (Fixture::new(), Fixture::new());
    head.edit(M, "  tags:\n", "  color:\n    type: string\n  tags:\n");
    let d = diff(&base.load().unwrap(), &head.load().unwrap());
    assert_eq!(d.bump(), "minor");
    let text = render(&d, "main", "HEAD");
    assert!(
        text.starts_with("# Spec changes: `main` → `HEAD`"),
        "{text}"
    );
    assert!(
        text.contains("## demo\n\n### models\n\n- additive: field `Thing.color` added"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("**Semver:** the generated crate needs a **minor** release."),
        "{text}"
    );
    head.edit(G, "returns: Thing", "returns: list<Thing>");
    let d = diff(&base.load().unwrap(), &head.load().unwrap());
    assert_eq!(d.bump(), "major");
}

#[test]
fn a_path_parameter_renamed_in_place_is_a_patch() {
    assert_one(
        &[
            (G, "path: /things/{thingId}", "path: /things/{id}"),
            (
                G,
                "- name: thing_id\n    wire_name: thingId",
                "- name: id\n    wire_name: id",
            ),
        ],
        Impact::Patch,
        "path parameter `thing_id` renamed `id` (an argument in the same place: callers are unaffected)",
    );
}

#[test]
fn requirements_compare_as_the_client_checks_them() {
    // A permission moved to `legacy_permissions` still satisfies the requirement.
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(
        G,
        "    any:\n    - things:thing:view\n",
        "    any:\n    - admin\n    - things:thing:view\n",
    );
    head.edit(
        G,
        "  returns: Thing\n",
        "  returns: Thing\n  legacy_permissions: [admin]\n",
    );
    assert!(
        diff(&base.load().unwrap(), &head.load().unwrap())
            .changes
            .is_empty()
    );
    // One permission means the same under `any` and `all`.
    assert!(
        changes(&[(
            G,
            "    any:\n    - things:thing:view\n",
            "    all:\n    - things:thing:view\n"
        )])
        .is_empty()
    );
    // A real change is still one.
    assert_one(
        &[(G, "    - things:thing:view\n", "    - things:thing:read\n")],
        Impact::Patch,
        "requires any of `things:thing:read`",
    );
}

#[test]
fn an_operation_no_longer_documented_is_a_deprecation() {
    assert_one(
        &[(
            G,
            "  returns: Thing\n",
            "  returns: Thing\n  undocumented_since: 9.0.0\n",
        )],
        Impact::Additive,
        "`get_thing` no longer documented since release 9.0.0: kept, deprecated",
    );
    assert_one(
        &[(
            G,
            "  returns: Thing\n",
            "  returns: Thing\n  preview: true\n",
        )],
        Impact::Patch,
        "`get_thing` is now a preview",
    );
    assert_one(
        &[(
            M,
            "    type: list<string>\n",
            "    type: list<string>\n    undocumented_since: 9.0.0\n",
        )],
        Impact::Patch,
        "`Thing.tags`: no longer in the model reference since release 9.0.0 (kept)",
    );
}

#[test]
fn an_operation_in_one_more_group_is_additive_and_a_move_is_breaking() {
    let more = common::GROUP.replace("group: things", "group: more");
    let (base, head) = (Fixture::new(), Fixture::new());
    head.write("demo/groups/more.yaml", &more);
    let c: Vec<(Impact, String)> = diff(&base.load().unwrap(), &head.load().unwrap())
        .changes
        .into_iter()
        .map(|c| (c.impact, c.what))
        .collect();
    assert_eq!(
        c,
        [(
            Impact::Additive,
            "operation `get_thing` added to group `more` too (also in things)".to_owned()
        )]
    );
    // In `more` only: the `things` accessor lost it.
    let (base, head) = (Fixture::new(), Fixture::new());
    head.write("demo/groups/more.yaml", &more);
    head.edit(G, "operations:\n", "operations:\n- name: other\n  method: GET\n  path: /other\n  summary: Other\n  requires: none\n");
    head.edit(G, "- name: get_thing\n", "- name: get_thing_gone\n");
    head.edit(
        G,
        "  path: /things/{thingId}\n",
        "  path: /gone/{thingId}\n",
    );
    head.edit(G, "legacy_names: [get_things_thing_id]", "legacy_names: []");
    let c = diff(&base.load().unwrap(), &head.load().unwrap()).changes;
    assert!(
        c.iter().any(|c| c.impact == Impact::Breaking
            && c.what
                .contains("`get_thing` moved from group `things` to `more`")),
        "{c:#?}"
    );
}

#[test]
fn paging_gained_is_additive_lost_is_breaking_restyled_is_patch() {
    let cursor =
        "  returns: Thing\n  paging: {style: cursor, parameter: kind, next: id, items: tags}\n";
    let linked = "  returns: Thing\n  paging: {style: next_uri, parameter: kind, next_uri: id, items: tags}\n";
    assert_one(
        &[(G, "  returns: Thing\n", cursor)],
        Impact::Additive,
        "`get_thing` pages: `into_paginator` added",
    );
    let diff_of = |before: &str, after: &str| {
        let (base, head) = (Fixture::new(), Fixture::new());
        base.edit(G, "  returns: Thing\n", before);
        head.edit(G, "  returns: Thing\n", after);
        let (b, h) = (
            base.load().unwrap_or_else(|r| panic!("{r}")),
            head.load().unwrap_or_else(|r| panic!("{r}")),
        );
        diff(&b, &h)
            .changes
            .into_iter()
            .map(|c| (c.impact, c.what))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        diff_of(cursor, "  returns: Thing\n"),
        [(
            Impact::Breaking,
            "`get_thing` no longer pages: `into_paginator` removed".to_owned()
        )]
    );
    assert_eq!(
        diff_of(cursor, linked),
        [(Impact::Patch, "`get_thing`: paging changed".to_owned())]
    );
    assert_eq!(diff_of(cursor, cursor), []);
}

const TAIL: &str = "  legacy_names: [get_things_thing_id]\n";

#[test]
fn a_parameter_moved_into_the_headers_is_a_breaking_change_of_behaviour() {
    let c = changes(&[(
        G,
        "    wire_name: kind\n    in: query\n",
        "    wire_name: X-Kind\n    in: header\n",
    )]);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].0, Impact::Breaking);
    assert!(
        c[0].1.contains(
            "parameter `kind` moves from the query into the headers as `X-Kind` (was `kind`)"
        ),
        "{}",
        c[0].1
    );
    // The public items do not change, and that is no disagreement: behaviour is not an item.
    let c = changes(&[(G, "    wire_name: kind\n", "    wire_name: Kind\n")]);
    assert_eq!(c.len(), 1);
    assert_eq!(
        c[0].0,
        Impact::Patch,
        "a wire name corrected in place is a wire detail: {}",
        c[0].1
    );
}

#[test]
fn a_response_that_turns_to_text_is_a_breaking_change_of_behaviour() {
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(G, "  returns: Thing\n", "  returns: string\n");
    head.edit(
        G,
        "  returns: Thing\n",
        "  produces: [text/plain]\n  returns: string\n",
    );
    let d = with_rust_api(&base.load().unwrap(), &head.load().unwrap()).unwrap();
    assert_eq!(d.disagreement(), None);
    let c: Vec<_> = d
        .changes
        .iter()
        .map(|c| (c.impact, c.behavioural, c.what.as_str()))
        .collect();
    assert_eq!(
        c,
        [(
            Impact::Breaking,
            true,
            "`get_thing`: the response is returned as text (was decoded as JSON): the same call returns another value"
        )]
    );
    // Another JSON media type, or another body type, is a wire detail.
    let c = changes(&[(
        G,
        "  returns: Thing\n",
        "  produces: [application/vnd.thing+json]\n  returns: Thing\n",
    )]);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].0, Impact::Patch, "{}", c[0].1);
}

#[test]
fn topics_added_removed_and_changed() {
    let topic = |name: &str, template: &str, payload: &str| {
        format!("{TAIL}topics:\n- {{name: {name}, topic: '{template}', payload: {payload}}}\n")
    };
    let one = topic("changes", "v2.things.{thing_id}.changes", "Thing");
    assert_one(
        &[(G, TAIL, &one)],
        Impact::Additive,
        "topic `changes` (v2.things.{thing_id}.changes) added",
    );
    let (base, head) = (Fixture::new(), Fixture::new());
    base.edit(G, TAIL, &one);
    let pair = |edit: &str| {
        let head = Fixture::new();
        head.edit(G, TAIL, edit);
        let d = with_rust_api(&base.load().unwrap(), &head.load().unwrap()).unwrap();
        assert_eq!(d.disagreement(), None, "{}", render(&d, "base", "head"));
        d.changes
            .into_iter()
            .map(|c| (c.impact, c.what))
            .collect::<Vec<_>>()
    };
    let removed = with_rust_api(&base.load().unwrap(), &head.load().unwrap()).unwrap();
    assert_eq!(removed.disagreement(), None);
    assert_eq!(removed.changes[0].impact, Impact::Breaking);
    let retyped = pair(&topic(
        "changes",
        "v2.things.{thing_id}.changes",
        "ErrorBody",
    ));
    assert_eq!(retyped[0].0, Impact::Breaking, "{retyped:?}");
    let more = pair(&topic(
        "changes",
        "v2.things.{thing_id}.changes.{change_id}",
        "Thing",
    ));
    assert_eq!(more[0].0, Impact::Breaking, "{more:?}");
    let renamed_param = pair(&topic("changes", "v2.things.{id}.changes", "Thing"));
    assert_eq!(
        renamed_param,
        [(
            Impact::Patch,
            "topic `changes` is `v2.things.{id}.changes` (was `v2.things.{thing_id}.changes`)"
                .to_owned()
        )]
    );
    let dropped = pair(&format!(
        "{TAIL}topics:\n- {{name: changes, topic: 'v2.things.{{thing_id}}.changes', payload: Thing, undocumented_since: 2.0.0}}\n"
    ));
    assert_eq!(dropped[0].0, Impact::Additive, "{dropped:?}");
}

#[test]
fn notifications_added_removed_moved_and_limited() {
    const CHANNEL_OPS: &str = "operations:\n\
        - {name: post_channel, method: POST, path: /channels, summary: Create, requires: none, returns: Thing}\n\
        - name: put_channel_topics\n  method: PUT\n  path: /channels/{channelId}/topics\n  summary: Set\n  requires: none\n  \
        parameters:\n  - {name: channel_id, wire_name: channelId, in: path, type: string, required: true}\n  \
        body: {type: list<string>, required: true}\n  returns: Thing\n";
    let tail = "  body: ErrorBody\n";
    let binding = |per_channel: u32, channels: u32, create: &str| {
        format!(
            "{tail}notifications:\n  group: things\n  create_channel: {create}\n  set_topics: put_channel_topics\n  \
             topics_per_channel: {per_channel}\n  channels: {channels}\n"
        )
    };
    let fixture = |service: Option<String>| {
        let f = Fixture::new();
        f.edit(G, "operations:\n", CHANNEL_OPS);
        if let Some(service) = service {
            f.edit(S, tail, &service);
        }
        f.load().unwrap_or_else(|r| panic!("{r}"))
    };
    let between = |base: &Option<String>, head: &Option<String>| {
        let d = with_rust_api(&fixture(base.clone()), &fixture(head.clone())).unwrap();
        assert_eq!(d.disagreement(), None, "{}", render(&d, "base", "head"));
        d.changes
            .into_iter()
            .map(|c| (c.impact, c.what, c.behavioural))
            .collect::<Vec<_>>()
    };
    let (none, bound) = (None, Some(binding(1000, 20, "post_channel")));
    let added = between(&none, &bound);
    assert_eq!(
        added,
        [(
            Impact::Additive,
            "notifications added (`Client::notifications_stream`)".to_owned(),
            false
        )]
    );
    let removed = between(&bound, &none);
    assert_eq!(
        (removed.len(), removed[0].0),
        (1, Impact::Breaking),
        "{removed:?}"
    );
    let lowered = between(&bound, &Some(binding(1000, 10, "post_channel")));
    assert_eq!(
        (lowered[0].0, lowered[0].2),
        (Impact::Breaking, true),
        "a behaviour change: {lowered:?}"
    );
    assert!(
        lowered[0]
            .1
            .contains("1000 topics × 20 channels to 1000 × 10"),
        "{lowered:?}"
    );
    let fewer_topics = between(&bound, &Some(binding(999, 20, "post_channel")));
    assert_eq!(fewer_topics[0].0, Impact::Breaking, "{fewer_topics:?}");
    let raised = between(&bound, &Some(binding(1000, 21, "post_channel")));
    assert_eq!(
        raised,
        [(
            Impact::Patch,
            "notification channel operations or limits changed".to_owned(),
            false
        )]
    );
    assert!(between(&bound, &bound).is_empty());

    // The same operations in another group, and the binding moved there.
    let (base, head) = (fixture(bound.clone()), Fixture::new());
    head.edit(G, "operations:\n", CHANNEL_OPS);
    head.write(
        "demo/groups/channels.yaml",
        &format!("group: channels\ndescription: Channels.\n{CHANNEL_OPS}"),
    );
    head.edit(
        S,
        tail,
        &binding(1000, 20, "post_channel").replace("group: things", "group: channels"),
    );
    let d = with_rust_api(&base, &head.load().unwrap_or_else(|r| panic!("{r}"))).unwrap();
    let moved: Vec<_> = d
        .changes
        .iter()
        .filter(|c| c.area == "notifications")
        .map(|c| (c.impact, c.what.as_str()))
        .collect();
    assert_eq!(
        moved,
        [(
            Impact::Breaking,
            "notifications moved from group `things` to `channels` (they need another feature)"
        )]
    );
}

#[test]
fn token_flows_added_removed_and_changed() {
    let pkce = "    client_authentication: basic\n  - grant: pkce\n    description: P.\n    token_url: https://{host}/oauth/token\n    \
                authorize_url: https://{host}/oauth/authorize\n    client_authentication: none\n";
    let fixture = |flows: Option<&str>| {
        let f = Fixture::new();
        if let Some(flows) = flows {
            f.edit(S, "    client_authentication: basic\n", flows);
        }
        f.load().unwrap_or_else(|r| panic!("{r}"))
    };
    let between = |base: Option<&str>, head: Option<&str>| {
        let d = with_rust_api(&fixture(base), &fixture(head)).unwrap();
        assert_eq!(d.disagreement(), None, "{}", render(&d, "base", "head"));
        d.changes
            .into_iter()
            .map(|c| (c.impact, c.what))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        between(None, Some(pkce)),
        [(Impact::Additive, "token flow `pkce` added".to_owned())]
    );
    assert_eq!(
        between(Some(pkce), None),
        [(Impact::Breaking, "token flow `pkce` removed".to_owned())]
    );
    let moved = pkce.replace("oauth/authorize", "oauth/authorize2");
    assert_eq!(
        between(Some(pkce), Some(&moved)),
        [(Impact::Patch, "token flow `pkce` changed".to_owned())]
    );
    let prefix = "    client_authentication: basic\n";
    let d = diff(&fixture(None), &fixture(Some(prefix)));
    assert!(d.changes.is_empty(), "{:?}", d.changes);
    let bare = Fixture::new();
    bare.edit(S, "prefix: 'Bearer '", "prefix: ''");
    let d = diff(
        &fixture(None),
        &bare.load().unwrap_or_else(|r| panic!("{r}")),
    );
    let what: Vec<_> = d
        .changes
        .iter()
        .map(|c| (c.impact, c.what.as_str()))
        .collect();
    assert_eq!(what, [(Impact::Patch, "token header changed")]);
}
