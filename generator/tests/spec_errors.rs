//! One test per kind of spec error: each asserts the message and where it points.
//!
//! Every test builds a small valid spec in a temporary folder, breaks one thing,
//! and checks the diagnostic's file, line, column and text.

mod common;

use std::path::{Path, PathBuf};

use api_codegen::diagnostic::Diagnostic;
use common::{Fixture, GROUP};

fn assert_at(d: &Diagnostic, file: &str, line: usize, column: usize, message: &str) {
    assert!(
        d.file.ends_with(file),
        "file {} is not {file}",
        d.file.display()
    );
    assert!(
        d.message.contains(message),
        "message {:?} lacks {message:?}",
        d.message
    );
    assert_eq!(
        (d.line, d.column),
        (line, column),
        "position of {:?}",
        d.message
    );
    assert!(d.help.is_some(), "no help for {:?}", d.message);
}

fn rel(p: &Path) -> PathBuf {
    p.to_path_buf()
}

#[test]
fn the_fixture_itself_is_valid() {
    let spec = Fixture::new().load().unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(spec.services.len(), 1);
}

#[test]
fn yaml_syntax_error() {
    let f = Fixture::new();
    f.edit(
        "demo/models/Thing.yaml",
        "    type: list<string>\n",
        "    type: \"list<string>\n",
    );
    let d = f.error();
    assert_at(&d, "Thing.yaml", 10, 1, "found unexpected end of stream");
    assert!(
        d.message.contains("quoted scalar at line 9 column 11"),
        "{}",
        d.message
    );
    // The position reader's verdict is kept too, not dropped.
    let (_, _, note) = d.related.as_ref().expect("the position reader's error");
    assert!(
        note.starts_with("the position reader stops here: "),
        "{note}"
    );
}

#[test]
fn unknown_key_is_rejected() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "  summary: Get a thing\n",
        "  summary: Get a thing\n  sumary: typo\n",
    );
    let d = f.error();
    assert_at(&d, "things.yaml", 8, 3, "unknown field `sumary`");
}

#[test]
fn missing_key_is_reported() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "  summary: Get a thing\n", "");
    let d = f.error();
    assert!(
        d.message.contains("missing field `summary`"),
        "{}",
        d.message
    );
    assert!(d.file.ends_with("things.yaml"));
}

#[test]
fn unknown_enum_value_in_the_format() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "method: GET", "method: FETCH");
    let d = f.error();
    assert_at(&d, "things.yaml", 5, 11, "unknown variant `FETCH`");
}

#[test]
fn duplicate_mapping_key() {
    let f = Fixture::new();
    f.edit(
        "demo/models/Thing.yaml",
        "  tags:\n",
        "  id:\n    type: int32\n  tags:\n",
    );
    let d = f.error();
    assert_at(&d, "Thing.yaml", 8, 3, "duplicate key `id`");
    assert!(d.related.is_some(), "the first definition is shown");
}

#[test]
fn unknown_model_in_a_field_suggests_the_closest() {
    let f = Fixture::new();
    f.edit("demo/models/Thing.yaml", "type: Thing", "type: Thng");
    let d = f.error();
    assert_at(&d, "Thing.yaml", 7, 11, "unknown model `Thng`");
    assert!(d.help.as_deref().unwrap().contains("did you mean `Thing`"));
}

#[test]
fn unknown_model_in_a_return_type() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "returns: Thing",
        "returns: list<Widget>",
    );
    let d = f.error();
    assert_at(&d, "things.yaml", 28, 12, "unknown model `Widget`");
}

#[test]
fn malformed_type_expression() {
    let f = Fixture::new();
    f.edit("demo/models/Thing.yaml", "list<string>", "list<string");
    let d = f.error();
    assert_at(&d, "Thing.yaml", 9, 11, "missing its closing `>`");
}

#[test]
fn path_placeholder_without_parameter() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "path: /things/{thingId}",
        "path: /things/{thingId}/parts/{partId}",
    );
    let d = f.error();
    assert_at(&d, "things.yaml", 6, 9, "placeholder `{partId}`");
}

#[test]
fn path_parameter_missing_from_the_template() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "wire_name: thingId",
        "wire_name: thingID",
    );
    let errors = f.errors();
    // Both sides of the mismatch are reported: the placeholder and the parameter.
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_at(&errors[0], "things.yaml", 6, 9, "placeholder `{thingId}`");
    assert_at(
        &errors[1],
        "things.yaml",
        13,
        16,
        "path parameter `thingID` is not in the path",
    );
    assert!(
        errors[1]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `thingId`")
    );
}

#[test]
fn duplicate_operation_name() {
    let f = Fixture::new();
    f.write(
        "demo/groups/more.yaml",
        &GROUP
            .replace("group: things", "group: more")
            .replace("/things/", "/more/")
            .replace("legacy_names: [get_things_thing_id]", ""),
    );
    let d = f.error();
    // Files are read in name order, so the definition in things.yaml is the repeat.
    assert_at(
        &d,
        "things.yaml",
        4,
        9,
        "duplicate operation name `get_thing`",
    );
    assert!(d.related.as_ref().unwrap().0.ends_with("more.yaml"));
}

#[test]
fn legacy_name_colliding_with_an_operation() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "legacy_names: [get_things_thing_id]",
        "legacy_names: [get_thing]",
    );
    let d = f.error();
    assert_at(
        &d,
        "things.yaml",
        29,
        18,
        "duplicate operation name `get_thing`",
    );
}

#[test]
fn names_colliding_after_conversion_to_rust() {
    let f = Fixture::new();
    f.edit(
        "demo/models/Thing.yaml",
        "  tags:\n",
        "  owner_:\n    type: string\n  tags:\n",
    );
    f.edit("demo/models/Thing.yaml", "  owner:\n", "  Owner:\n");
    let d = f.error();
    assert_at(
        &d,
        "Thing.yaml",
        8,
        3,
        "field `Owner` and `owner_` both become the Rust name `owner`",
    );
}

#[test]
fn duplicate_route() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "operations:\n", "operations:\n- name: fetch_thing\n  method: GET\n  path: /things/{id}\n  summary: Same route\n  parameters:\n  - {name: id, wire_name: id, in: path, type: string, required: true}\n");
    let d = f.error();
    assert_at(&d, "things.yaml", 12, 9, "duplicate route `GET /things/{}`");
}

#[test]
fn default_of_the_wrong_type() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "default: 25", "default: 'many'");
    let d = f.error();
    assert_at(&d, "things.yaml", 21, 14, "default `many` is not a `int32`");
}

#[test]
fn default_outside_the_allowed_values() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "default: A", "default: C");
    let d = f.error();
    assert_at(
        &d,
        "things.yaml",
        27,
        14,
        "default `C` is not one of the allowed values",
    );
}

#[test]
fn default_out_of_range_for_int32() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "default: 25",
        "default: 3000000000",
    );
    let d = f.error();
    assert_at(&d, "things.yaml", 21, 14, "is not a `int32`");
}

#[test]
fn enum_values_empty_duplicate_or_colliding() {
    let f = Fixture::new();
    f.edit(
        "demo/models/Thing.yaml",
        "  tags:\n",
        "  state:\n    type: string\n    enum: [on, '', ON, on]\n  tags:\n",
    );
    let errors = f.errors();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert_at(
        &errors[0],
        "Thing.yaml",
        10,
        16,
        "enum value `` has no letter or digit",
    );
    assert_at(
        &errors[1],
        "Thing.yaml",
        10,
        20,
        "enum value `on` and `ON` both become the Rust name `On`",
    );
    assert_at(
        &errors[2],
        "Thing.yaml",
        10,
        24,
        "duplicate enum value `on`",
    );
}

#[test]
fn requirement_of_the_wrong_kind_for_the_service() {
    let f = Fixture::new();
    f.edit("demo/groups/things.yaml", "  requires:\n    any:\n    - things:thing:view\n",
        "  requires:\n    access_policy:\n      roles: [{id: owner, name: Owner}]\n      user_accounts: true\n      service_accounts: false\n");
    let d = f.error();
    assert_at(&d, "things.yaml", 8, 3, "does not fit the service");
}

#[test]
fn empty_permission_list() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "    any:\n    - things:thing:view\n",
        "    any: []\n",
    );
    let d = f.error();
    assert_at(&d, "things.yaml", 9, 5, "the permission list is empty");
}

#[test]
fn list_parameter_without_encoding() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "    type: int32\n",
        "    type: list<string>\n",
    );
    let errors = f.errors();
    assert_at(
        &errors[0],
        "things.yaml",
        20,
        11,
        "does not say how it is encoded",
    );
}

#[test]
fn file_names_must_match_declared_names() {
    let f = Fixture::new();
    f.edit("demo/models/Thing.yaml", "name: Thing", "name: Thingy");
    let errors = f.errors();
    // The model is renamed, so references to `Thing` break too: all are reported in one run.
    assert!(errors.iter().any(|d| {
        d.message
            .contains("model `Thingy` is declared in file `Thing.yaml`")
    }));
    assert!(
        errors
            .iter()
            .filter(|d| d.message.contains("unknown model `Thing`"))
            .count()
            >= 2,
        "{errors:#?}"
    );
}

#[test]
fn service_name_must_match_its_folder() {
    let f = Fixture::new();
    f.edit("demo/service.yaml", "service: demo", "service: demo-api");
    let d = f.error();
    assert_at(
        &d,
        "service.yaml",
        1,
        10,
        "service `demo-api` is declared in folder `demo`",
    );
}

#[test]
fn every_error_is_reported_in_one_run() {
    let f = Fixture::new();
    f.edit("demo/models/Thing.yaml", "type: Thing", "type: Nope");
    f.edit("demo/groups/things.yaml", "default: A", "default: Z");
    f.write("demo/models/Broken.yaml", "name: [unclosed\n");
    let report = f.load().unwrap_err();
    assert_eq!(report.diagnostics.len(), 3, "{report}");
}

#[test]
fn rendered_diagnostics_show_file_line_column_the_line_and_help() {
    let f = Fixture::new();
    f.edit("demo/models/Thing.yaml", "type: Thing", "type: Thng");
    let report = f.load().unwrap_err();
    let text = report.render();
    let file = rel(&report.diagnostics[0].file);
    assert!(text.contains(&format!("{}:7:11", file.display())), "{text}");
    assert!(text.contains("error: unknown model `Thng`"), "{text}");
    assert!(
        text.contains("    type: Thng"),
        "the offending line is shown: {text}"
    );
    assert!(text.contains("^^^^"), "{text}");
    assert!(text.contains("help: add models/Thng.yaml"), "{text}");
    assert!(text.ends_with("error: the spec has 1 error\n"), "{text}");
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Random edits of a valid group file (deleting, inserting or replacing a span)
        /// produce a spec or a report, never a panic, and every diagnostic's span lies
        /// inside its file.
        #[test]
        fn the_loader_never_panics(start in 0usize..GROUP.len(), len in 0usize..40, insert in "[ -~\n\u{e9}]{0,12}") {
            let f = Fixture::new();
            let mut text = GROUP.to_owned();
            let s = (0..=start).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let e = (s + len).min(text.len());
            let e = (e..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(s..e, &insert);
            f.write("demo/groups/things.yaml", &text);
            if let Err(report) = f.load() {
                let rendered = report.render();
                prop_assert!(rendered.contains("error"));
                for d in &report.diagnostics {
                    let src = std::fs::read_to_string(&d.file).unwrap_or_default();
                    prop_assert!(d.span.end <= src.len().max(d.span.end.min(src.len())));
                    prop_assert!(d.line >= 1 && d.column >= 1);
                }
            }
        }
    }
}

/// What the runtime cannot honour is refused where it is written: header names and values,
/// hosts, token URLs.
mod unsendable {
    use super::*;

    fn one(file: &str, from: &str, to: &str) -> Diagnostic {
        let f = Fixture::new();
        f.edit(file, from, to);
        f.error()
    }

    #[test]
    fn user_flows_need_what_their_grant_sends() {
        let with = |flows: &str| {
            let f = Fixture::new();
            f.edit(
                "demo/service.yaml",
                "    client_authentication: basic\n",
                &format!("    client_authentication: basic\n{flows}"),
            );
            f
        };
        let pkce = "  - grant: pkce\n    description: P.\n    token_url: https://{host}/oauth/token\n    \
                    authorize_url: https://{host}/oauth/authorize\n    client_authentication: none\n";
        let saml = "  - grant: saml2_bearer\n    description: S.\n    token_url: https://{host}/oauth/token\n    \
                    client_authentication: basic\n    parameters:\n      org_name: orgName\n";
        assert!(
            with(&format!("{pkce}{saml}")).load().is_ok(),
            "well-formed user flows are accepted"
        );
        let d =
            with(&pkce.replace("    authorize_url: https://{host}/oauth/authorize\n", "")).error();
        assert_at(
            &d,
            "service.yaml",
            18,
            5,
            "the `pkce` flow has no `authorize_url`",
        );
        let d = with(&pkce.replace(
            "https://{host}/oauth/authorize",
            "https://login.example.com/authorize",
        ))
        .error();
        assert_at(
            &d,
            "service.yaml",
            21,
            20,
            "authorize URL `https://login.example.com/authorize` does not start with",
        );
        let d = with(&format!(
            "{saml}    authorize_url: https://{{host}}/oauth/authorize\n"
        ))
        .error();
        assert_at(
            &d,
            "service.yaml",
            24,
            5,
            "the `saml2_bearer` flow sends no user to an authorize endpoint",
        );
        let d = with(&saml.replace("org_name: orgName", "OrgName: orgName")).error();
        assert_at(
            &d,
            "service.yaml",
            23,
            7,
            "parameter `OrgName: orgName` is not `snake_case_argument: formField`",
        );
        let d = with(&saml.replace("org_name: orgName", "orgName: orgName")).error();
        assert_at(
            &d,
            "service.yaml",
            23,
            7,
            "parameter `orgName: orgName` is not `snake_case_argument: formField`",
        );
        let d = with(&format!("{pkce}{pkce}")).error();
        assert_at(&d, "service.yaml", 23, 12, "a second `pkce` flow");
    }

    #[test]
    fn an_invalid_token_header_name() {
        let d = one("demo/service.yaml", "name: Authorization", "name: 'X Auth'");
        assert_at(
            &d,
            "service.yaml",
            11,
            11,
            "`X Auth` is not a valid HTTP header name",
        );
    }

    #[test]
    fn a_header_parameter_the_client_cannot_send() {
        let kind = "    wire_name: kind\n    in: query\n";
        let d = one(
            "demo/groups/things.yaml",
            kind,
            "    wire_name: 'If Match'\n    in: header\n",
        );
        assert_at(
            &d,
            "things.yaml",
            23,
            16,
            "`If Match` is not a valid HTTP header name",
        );
        let d = one(
            "demo/groups/things.yaml",
            kind,
            "    wire_name: Content-Type\n    in: header\n",
        );
        assert_at(
            &d,
            "things.yaml",
            23,
            16,
            "the client sets `Content-Type` itself",
        );
        // Headers are case-blind: two parameters cannot send one.
        let f = Fixture::new();
        f.edit(
            "demo/groups/things.yaml",
            "    wire_name: pageSize\n    in: query\n",
            "    wire_name: x-kind\n    in: header\n",
        );
        f.edit(
            "demo/groups/things.yaml",
            kind,
            "    wire_name: X-Kind\n    in: header\n",
        );
        assert!(
            f.error().message.contains("wire name"),
            "{}",
            f.error().message
        );
    }

    #[test]
    fn media_types_that_do_not_fit_the_operation() {
        let before = "  returns: Thing\n";
        let d = one(
            "demo/groups/things.yaml",
            before,
            "  produces: [text/plain]\n  returns: Thing\n",
        );
        assert_at(
            &d,
            "things.yaml",
            29,
            12,
            "answers `text/plain`, which is text, but returns `Thing`",
        );
        // JSON is `application/json` or an `application/…+json`: neither XML nor `text/…+json`.
        for text in ["application/xml", "text/x+json"] {
            let d = one(
                "demo/groups/things.yaml",
                before,
                &format!("  produces: [{text}]\n  returns: Thing\n"),
            );
            assert_at(
                &d,
                "things.yaml",
                29,
                12,
                &format!("answers `{text}`, which is text"),
            );
        }
        let f = Fixture::new();
        f.edit(
            "demo/groups/things.yaml",
            before,
            "  produces: [application/scim+json]\n  returns: Thing\n",
        );
        f.load().unwrap_or_else(|r| panic!("`+json` is JSON: {r}"));
        let d = one(
            "demo/groups/things.yaml",
            before,
            "  consumes: [application/scim+json]\n  returns: Thing\n",
        );
        assert_at(
            &d,
            "things.yaml",
            28,
            3,
            "a GET has no body, so no body type",
        );
        for bad in [
            "application/*",
            "json",
            "text/plain; charset=utf-8",
            "a b/c",
        ] {
            let d = one(
                "demo/groups/things.yaml",
                before,
                &format!("  produces: [application/json, '{bad}']\n  returns: Thing\n"),
            );
            assert!(
                d.message.contains(&format!("`{bad}` is not a media type")) && d.line == 28,
                "{bad}: {} at {}",
                d.message,
                d.line
            );
        }
        let f = Fixture::new();
        f.edit(
            "demo/groups/things.yaml",
            before,
            "  produces: [text/calendar, text/plain]\n  returns: string\n",
        );
        f.load()
            .unwrap_or_else(|r| panic!("a text response returned as a string is valid: {r}"));
    }

    #[test]
    fn topics_that_are_not_templates_or_name_no_model() {
        let topic = |t: &str| {
            format!("{GROUP_TAIL}topics:\n- name: changes\n  topic: '{t}'\n  payload: Thing\n")
        };
        for bad in [
            "users.{id}.presence",
            "v2..x",
            "v2.{Id}",
            "v2.{id}.{id}",
            "v2.a b",
            "v2",
        ] {
            let d = one("demo/groups/things.yaml", GROUP_TAIL, &topic(bad));
            assert_at(
                &d,
                "things.yaml",
                32,
                10,
                &format!("topic `{bad}` is not a template of the notification service"),
            );
        }
        let d = one(
            "demo/groups/things.yaml",
            GROUP_TAIL,
            &format!("{GROUP_TAIL}topics:\n- name: changes\n  topic: v2.x\n  payload: Nothing\n"),
        );
        assert!(d.message.contains("Nothing"), "{}", d.message);
        let twice = format!(
            "{GROUP_TAIL}topics:\n- {{name: a, topic: v2.x, payload: Thing}}\n- {{name: b, topic: v2.x, payload: Thing}}\n"
        );
        assert!(
            one("demo/groups/things.yaml", GROUP_TAIL, &twice)
                .message
                .contains("topic")
        );
        let named_twice = format!(
            "{GROUP_TAIL}topics:\n- {{name: a, topic: v2.x, payload: Thing}}\n- {{name: a, topic: v2.y, payload: Thing}}\n"
        );
        assert!(
            one("demo/groups/things.yaml", GROUP_TAIL, &named_twice)
                .message
                .contains("`a`")
        );
    }

    #[test]
    fn notifications_that_name_no_group_no_operation_or_the_wrong_one() {
        // Two channel operations of the right shape, then the service's `notifications:`.
        let ops = format!(
            "{GROUP_TAIL}- {{name: post_channel, method: POST, path: /channels, summary: Create, requires: none, returns: Thing}}\n\
             - name: put_channel_topics\n  method: PUT\n  path: /channels/{{channelId}}/topics\n  summary: Set\n  requires: none\n  \
             parameters:\n  - {{name: channel_id, wire_name: channelId, in: path, type: string, required: true}}\n  \
             body: {{type: list<string>, required: true}}\n  returns: Thing\n"
        );
        let tail = "  body: ErrorBody\n";
        let spec = |group: &str, create: &str, set: &str, per_channel: u32| {
            let f = Fixture::new();
            f.edit("demo/groups/things.yaml", GROUP_TAIL, &ops);
            let n = format!(
                "{tail}notifications:\n  group: {group}\n  create_channel: {create}\n  set_topics: {set}\n  topics_per_channel: {per_channel}\n  channels: 20\n"
            );
            f.edit("demo/service.yaml", tail, &n);
            f
        };
        assert!(
            spec("things", "post_channel", "put_channel_topics", 1000)
                .load()
                .is_ok(),
            "the right shape is accepted"
        );
        let d = spec("thing", "post_channel", "put_channel_topics", 1000).error();
        assert_at(
            &d,
            "service.yaml",
            22,
            10,
            "no group `thing` in this service",
        );
        assert!(
            d.help.as_deref().is_some_and(|h| h.contains("things")),
            "{:?}",
            d.help
        );
        let d = spec("things", "post_chanel", "put_channel_topics", 1000).error();
        assert_at(
            &d,
            "service.yaml",
            23,
            19,
            "no operation `post_chanel` in group `things`",
        );
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("post_channel")),
            "{:?}",
            d.help
        );
        let d = spec("things", "post_channel", "put_channel_topic", 1000).error();
        assert_at(
            &d,
            "service.yaml",
            24,
            15,
            "no operation `put_channel_topic` in group `things`",
        );
        let d = spec("things", "get_thing", "put_channel_topics", 1000).error();
        assert_at(
            &d,
            "service.yaml",
            23,
            19,
            "operation `get_thing` cannot be called for this: it is `GET`",
        );
        let d = spec("things", "post_channel", "post_channel", 1000).error();
        assert_at(
            &d,
            "service.yaml",
            24,
            15,
            "operation `post_channel` cannot be called for this: it is `POST`",
        );
        let d = spec("things", "put_channel_topics", "put_channel_topics", 1000).error();
        assert!(d.message.contains("it is `PUT`"), "{}", d.message);
        let d = spec("things", "post_channel", "put_channel_topics", 0).error();
        assert_at(
            &d,
            "service.yaml",
            25,
            23,
            "a limit of 0 allows no subscription",
        );
    }

    /// The fixture group's last line, after which a `topics:` key can follow.
    const GROUP_TAIL: &str = "  legacy_names: [get_things_thing_id]\n";

    #[test]
    fn a_token_prefix_with_a_line_break() {
        let d = one(
            "demo/service.yaml",
            "prefix: 'Bearer '",
            "prefix: \"Bearer\\n\"",
        );
        assert_at(
            &d,
            "service.yaml",
            12,
            13,
            "cannot be sent in an HTTP header",
        );
    }

    #[test]
    fn hosts_that_are_not_https_origins() {
        for url in [
            "http://api.example.com",
            "https://",
            "https://api.example.com/v2",
            "https://a b.com",
            "https://user@api.example.com",
            "https://api.example.com?x=1",
        ] {
            let d = one(
                "demo/service.yaml",
                "url: https://api.example.com",
                &format!("url: '{url}'"),
            );
            assert_at(
                &d,
                "service.yaml",
                8,
                10,
                &format!("host URL `{url}` is not `https://<host>`"),
            );
        }
    }

    #[test]
    fn a_token_url_that_is_not_a_url_for_a_host() {
        let d = one(
            "demo/service.yaml",
            "token_url: https://{host}/oauth/token",
            "token_url: 'https://{host}/oauth/token#frag'",
        );
        assert_at(
            &d,
            "service.yaml",
            16,
            16,
            "gives `https://api.example.com/oauth/token#frag` for host `prod`",
        );
    }

    #[test]
    fn two_hosts_with_one_region_variant() {
        let f = Fixture::new();
        f.edit(
            "demo/service.yaml",
            "  - name: prod\n    url: https://api.example.com\n",
            "  - name: prod\n    url: https://api.example.com\n  - name: Prod\n    url: https://api2.example.com\n",
        );
        let d = f.error();
        assert!(
            d.message
                .contains("host `prod` and `Prod` both become the Rust name `Prod`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn names_without_a_rust_form() {
        let f = Fixture::new();
        f.edit(
            "demo/groups/things.yaml",
            "legacy_names: [get_things_thing_id]",
            "legacy_names: ['é']",
        );
        let errors = f.errors();
        assert!(
            errors.iter().any(|d| d
                .message
                .contains("operation name `é` cannot be turned into a Rust name")),
            "{errors:#?}"
        );
        let f = Fixture::new();
        f.edit("demo/groups/things.yaml", "name: page_size", "name: '_'");
        let errors = f.errors();
        assert!(
            errors.iter().any(|d| d
                .message
                .contains("parameter `_` cannot be turned into a Rust name")),
            "{errors:#?}"
        );
    }

    #[test]
    fn reserved_group_names() {
        for name in ["type", "models", "builder"] {
            let f = Fixture::new();
            f.edit(
                "demo/groups/things.yaml",
                "group: things",
                &format!("group: {name}"),
            );
            std::fs::rename(
                f.dir.path().join("demo/groups/things.yaml"),
                f.dir.path().join(format!("demo/groups/{name}.yaml")),
            )
            .unwrap();
            let d = f.error();
            assert_at(
                &d,
                &format!("{name}.yaml"),
                1,
                8,
                &format!("group name `{name}` is reserved"),
            );
        }
    }
}

#[test]
fn legacy_permissions_need_a_requirement_they_widen_and_are_not_documented_ones() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "  requires:\n    any:\n    - things:thing:view\n",
        "  requires: none\n  legacy_permissions: [admin]\n",
    );
    let d = f.error();
    assert_at(
        &d,
        "things.yaml",
        9,
        3,
        "legacy permissions need a requirement they can widen",
    );

    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "    - things:thing:view\n",
        "    - things:thing:view\n  legacy_permissions: [admin, things:thing:view, admin, 'a b']\n",
    );
    let errors = f.errors();
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`things:thing:view` is also in `requires`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("duplicate legacy permission")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`a b` is not a permission")),
        "{messages:?}"
    );
    // One permission under `all` is widened like `any`.
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "    any:\n    - things:thing:view\n",
        "    all:\n    - things:thing:view\n  legacy_permissions: [admin]\n",
    );
    f.load().unwrap_or_else(|r| panic!("{r}"));
}

#[test]
fn one_operation_may_appear_unchanged_in_several_groups() {
    // The vendor documents some operations in two SDK classes: the same name and route is fine.
    let f = Fixture::new();
    f.write(
        "demo/groups/more.yaml",
        &GROUP.replace("group: things", "group: more"),
    );
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let api = api_codegen::ir::build(&spec).unwrap();
    let tests: Vec<&str> = api.services[0]
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.test_name.as_str())
        .collect();
    assert_eq!(tests.len(), 2);
    assert_ne!(
        tests[0], tests[1],
        "each group's copy has its own conformance test"
    );
    // A route under another name is still a duplicate, across groups too.
    f.write(
        "demo/groups/more.yaml",
        &GROUP
            .replace("group: things", "group: more")
            .replace("name: get_thing", "name: fetch_thing")
            .replace("legacy_names: [get_things_thing_id]", ""),
    );
    let d = f.error();
    assert!(
        d.message.contains("duplicate route `GET /things/{}`: here with operation name `get_thing`, before with `fetch_thing`"),
        "{}",
        d.message
    );
}

/// `get_thing` with `paging` written on one line after `returns`; the diagnostics of the
/// validator, each checked against the column of the value it names.
fn paging_errors(paging: &str) -> Vec<(String, usize, usize, String)> {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "  returns: Thing\n",
        &format!("  returns: Thing\n  paging: {paging}\n"),
    );
    match f.load() {
        Ok(_) => Vec::new(),
        Err(r) => r
            .diagnostics
            .into_iter()
            .map(|d| (d.file.display().to_string(), d.line, d.column, d.message))
            .collect(),
    }
}

fn column_of(paging: &str, value: &str) -> usize {
    "  paging: ".len() + paging.find(value).unwrap() + 1
}

#[test]
fn a_paging_declaration_names_fields_and_a_parameter_that_fit_its_style() {
    let ok = "{style: cursor, parameter: kind, next: owner.id, items: tags}";
    assert_eq!(
        paging_errors(ok),
        [],
        "a nested cursor through a model is fine"
    );

    let p = "{style: page_number, parameter: pageSize, items: id, page_count: tags}";
    let errors = paging_errors(p);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!((errors[0].1, errors[0].2), (29, column_of(p, "id,")));
    assert!(
        errors[0].3.contains("field `id` of `Thing` is `string`"),
        "{}",
        errors[0].3
    );
    assert_eq!((errors[1].1, errors[1].2), (29, column_of(p, "tags}")));
    assert!(
        errors[1]
            .3
            .contains("field `tags` of `Thing` is `list<string>`"),
        "{}",
        errors[1].3
    );

    let p = "{style: next_uri, parameter: thingId, next_uri: owner, items: tags}";
    let errors = paging_errors(p);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].2, column_of(p, "thingId"));
    assert!(
        errors[0].3.contains("no query parameter `thingId`"),
        "{}",
        errors[0].3
    );
    assert_eq!(errors[1].2, column_of(p, "owner"));
    assert!(
        errors[1].3.contains("field `owner` of `Thing` is `Thing`"),
        "{}",
        errors[1].3
    );

    let p = "{style: cursor, parameter: pageSize, next: tags.x, items: nope}";
    let errors = paging_errors(p);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0]
            .3
            .contains("paging parameter `pageSize` is `int32`"),
        "{}",
        errors[0].3
    );
    // Reported in the order they appear in the file.
    assert!(
        errors[1]
            .3
            .contains("field `tags` of `Thing` is `list<string>`, not a model to go into"),
        "{}",
        errors[1].3
    );
    assert_eq!(errors[1].2, column_of(p, "tags.x"));
    assert!(
        errors[2].3.contains("model `Thing` has no field `nope`"),
        "{}",
        errors[2].3
    );
}

#[test]
fn paging_needs_a_returned_model_and_a_known_style() {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "  returns: Thing\n",
        "  returns: list<Thing>\n  paging: {style: cursor, parameter: kind, next: id, items: tags}\n",
    );
    let d = f.error();
    assert_at(
        &d,
        "things.yaml",
        29,
        3,
        "operation `get_thing` pages but does not return a model",
    );

    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "  returns: Thing\n",
        "  returns: Thing\n  paging: {style: offset, parameter: kind, items: tags}\n",
    );
    let d = f.error();
    assert!(
        d.message.contains("unknown variant `offset`"),
        "{}",
        d.message
    );
    assert_eq!(d.line, 29);
}
