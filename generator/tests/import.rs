//! `import`: the spec written from documentation pages, on a small spec and a small docs folder
//! in the repository form, and on the committed spec with the release it follows.

mod common;

use std::path::{Path, PathBuf};

use api_codegen::import::{self, Request};
use api_codegen::spec::format::{ArrayEncoding, Location, Requirement, Scalar};
use common::import_fixture::{CODE, MODELS, PAGE, setup, write};

#[test]
fn import_merges_the_page_into_the_spec_and_keeps_what_maintainers_added() {
    let (f, docs) = setup();
    let spec = f.load().unwrap();
    let plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    assert_eq!(plan.release.as_deref(), Some("3.0.0"));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    let files: Vec<&Path> = plan.files.keys().map(PathBuf::as_path).collect();
    assert_eq!(
        files,
        [
            Path::new("demo/groups/things.yaml"),
            Path::new("demo/models/Thing.yaml"),
            Path::new("demo/models/ThingListing.yaml")
        ],
        "ErrorBody already matches the reference: not rewritten"
    );
    assert!(
        plan.files
            .values()
            .all(|t| t.starts_with("# yaml-language-server: $schema=../../schema/"))
    );
    write(&f, &plan.files);
    let spec = f
        .load()
        .unwrap_or_else(|r| panic!("the imported spec does not validate:\n{r}"));
    let group = &spec.services[0].groups[0].value;
    assert_eq!(group.docs_release.as_deref(), Some("3.0.0"));
    let names: Vec<&str> = group.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        ["delete_thing", "get_thing", "get_things", "post_thing"],
        "by name"
    );
    let op = |name: &str| group.operations.iter().find(|o| o.name == name).unwrap();

    let get = op("get_thing");
    assert_eq!(get.summary, "Get a thing");
    assert_eq!(get.description, "Returns the thing, now with \"quotes\".");
    assert!(get.preview);
    assert_eq!(
        get.requires,
        Some(Requirement::Any(vec!["things:thing:view".into()]))
    );
    assert_eq!(
        get.legacy_permissions,
        ["admin"],
        "what older documentation allowed still does"
    );
    assert_eq!(
        (
            get.errors.len(),
            get.notes.as_str(),
            get.legacy_names.as_slice()
        ),
        (
            1,
            "Kept by import.",
            &["get_things_thing_id".to_owned()][..]
        )
    );
    let params: Vec<(&str, &str, Location, &str, bool)> = get
        .parameters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.wire_name.as_str(),
                p.location,
                p.ty.as_str(),
                p.required,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("thing_id", "thingId", Location::Path, "string", true),
            ("page_size", "pageSize", Location::Query, "int32", false),
            ("kind", "kind", Location::Query, "string", false),
            ("verbose", "verbose", Location::Query, "boolean", false),
            ("tag_ids", "tagIds", Location::Query, "list<string>", false),
        ]
    );
    let param = |name: &str| get.parameters.iter().find(|p| p.name == name).unwrap();
    assert_eq!(param("page_size").default, Some(Scalar::Int(25)));
    assert_eq!(
        (param("kind").default.clone(), param("kind").values.clone()),
        (
            Some(Scalar::String("A".into())),
            vec!["A".into(), "B".into(), "C".into()]
        )
    );
    assert_eq!(param("verbose").default, Some(Scalar::Bool(false)));
    assert!(
        param("verbose").values.is_empty(),
        "a boolean's true/false are not an enum"
    );
    assert_eq!(param("verbose").description, "Verbose & more");
    assert_eq!(
        param("tag_ids").array_encoding,
        Some(ArrayEncoding::Repeated)
    );

    let renamed = op("get_things");
    assert_eq!(
        renamed.legacy_names,
        ["list_things"],
        "same method and path under a new name: the old one stays an alias"
    );
    assert_eq!(
        (renamed.requires.clone(), renamed.returns.as_deref()),
        (Some(Requirement::None), Some("ThingListing"))
    );
    let dropped = op("delete_thing");
    assert_eq!(dropped.undocumented_since.as_deref(), Some("3.0.0"));
    let post = op("post_thing");
    // Media types from the code: with a body, both lists; without one, only the response's.
    assert_eq!(
        post.produces,
        ["application/vnd.thing+json", "application/json"]
    );
    assert_eq!(
        post.consumes,
        ["application/merge-patch+json", "application/json"]
    );
    assert_eq!(
        (get.consumes.as_slice(), get.produces.as_slice()),
        (
            &["application/json".to_owned()][..],
            &["application/json".to_owned()][..]
        )
    );
    assert_eq!(post.deprecated.as_deref(), Some("deprecated by the vendor"));
    assert_eq!(
        post.requires,
        Some(Requirement::All(vec![
            "things:thing:add".into(),
            "things:thing:edit".into()
        ]))
    );
    let body = post.body.as_ref().unwrap();
    assert_eq!(
        (body.ty.as_str(), body.required, body.description.as_str()),
        ("Thing", true, "The thing")
    );
    assert_eq!(post.returns, None);

    let models = &spec.services[0].models;
    let thing = &models
        .iter()
        .find(|m| m.value.name == "Thing")
        .unwrap()
        .value;
    let fields: Vec<&str> = thing.fields.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        ["id", "owner", "tags", "createdDate", "legacy"],
        "reference order, then what it dropped"
    );
    assert_eq!(thing.fields["createdDate"].ty, "date-time");
    assert_eq!(thing.fields["tags"].values, ["red", "blue"]);
    assert_eq!(
        thing.fields["legacy"].undocumented_since.as_deref(),
        Some("3.0.0")
    );
    let listing = &models
        .iter()
        .find(|m| m.value.name == "ThingListing")
        .unwrap()
        .value;
    // The reference's `int` has no width: a new field is 64-bit, whatever its name.
    assert_eq!(
        (
            listing.fields["pageSize"].ty.as_str(),
            listing.fields["total"].ty.as_str()
        ),
        ("int64", "int64")
    );

    let summary = plan.to_string();
    for line in [
        "ThingsApi.get_things\n  renamed from `list_things`",
        "ThingsApi.delete_thing\n  no longer documented",
        "ThingsApi.post_thing\n  new operation: POST /things",
        "model ThingListing\n  new model (3 fields)",
        "field `legacy` no longer documented: kept",
        "new parameters verbose, tag_ids",
    ] {
        assert!(summary.contains(line), "{line:?} not in\n{summary}");
    }

    // The documentation agrees with the result; a second run changes nothing.
    let report = api_codegen::docs::check(&spec, docs.path()).unwrap();
    assert_eq!(
        report.differences(),
        0,
        "{}",
        api_codegen::docs::render(&report)
    );
    let again = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    assert!(
        again.files.is_empty() && again.changes.is_empty(),
        "{again}"
    );
}

#[test]
fn import_is_deterministic_and_refuses_what_it_cannot_do() {
    let (f, docs) = setup();
    let spec = f.load().unwrap();
    let one = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    let two = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    assert_eq!(one.files, two.files);
    assert_eq!(one.changes, two.changes);

    let missing = Request {
        classes: vec!["NoSuchApi".into()],
        service: None,
    };
    assert!(
        import::plan(&spec, docs.path(), &missing)
            .unwrap_err()
            .contains("no documentation page of `NoSuchApi`")
    );
    let service = Request {
        classes: vec![],
        service: Some("other".into()),
    };
    assert!(
        import::plan(&spec, docs.path(), &service)
            .unwrap_err()
            .contains("no service `other`")
    );
    std::fs::remove_file(docs.path().join("models.json")).unwrap();
    assert!(
        import::plan(&spec, docs.path(), &Request::default())
            .unwrap_err()
            .contains("no model reference")
    );
    let empty = tempfile::tempdir().unwrap();
    assert!(import::plan(&spec, empty.path(), &Request::default()).is_err());
}

#[test]
fn a_page_of_a_class_the_spec_does_not_hold_becomes_a_new_group() {
    let (f, docs) = setup();
    std::fs::write(
        docs.path().join("docs/GizmoApi.md"),
        PAGE.replace("ThingsApi", "GizmoApi")
            .replace("/things", "/gizmos"),
    )
    .unwrap();
    let spec = f.load().unwrap();
    let plan = import::plan(
        &spec,
        docs.path(),
        &Request {
            classes: vec!["GizmoApi".into()],
            service: None,
        },
    )
    .unwrap();
    let group = plan
        .files
        .get(Path::new("demo/groups/gizmo.yaml"))
        .expect("a group file named after the class");
    assert!(
        group.contains("sdk_class: GizmoApi") && group.contains("docs_release: 3.0.0"),
        "{group}"
    );
    assert!(
        !plan
            .files
            .contains_key(Path::new("demo/groups/things.yaml")),
        "only the requested class"
    );
    assert!(
        plan.to_string()
            .contains("new group `gizmo` (3 operations)")
    );
}

/// The committed spec was imported from the release it follows: importing it again changes nothing.
#[test]
fn the_committed_spec_is_what_importing_its_release_gives() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/genesys-python-sdk-249.0.0");
    if !dir.join("models.json").is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing",
            dir.display()
        );
        return;
    }
    let spec = api_codegen::spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
        .unwrap_or_else(|r| panic!("{r}"));
    let classes = spec
        .services
        .iter()
        .flat_map(|s| &s.groups)
        .filter_map(|g| g.value.sdk_class.clone())
        .collect();
    let plan = import::plan(
        &spec,
        &dir,
        &Request {
            classes,
            service: Some("genesys-cloud".into()),
        },
    )
    .unwrap();
    assert!(plan.files.is_empty(), "{plan}");
    // What the vendor's pages contradict themselves on is left out, each with its page and line.
    for w in &plan.warnings {
        let contradiction = w.contains("is not among the documented values; left out");
        assert!(
            w.contains("Api.md:") && (contradiction || w.contains("is not a permission")),
            "{w}"
        );
    }
}

/// What the vendor's pages get wrong or write their own way, as 249.0.0 does somewhere: a body
/// named after its model, a reserved word the SDK renamed, a default outside the documented
/// values, a default on a required parameter, prose in a permission list, values of a number,
/// dates in the path and query, `HEAD`.
#[test]
fn import_takes_the_pages_as_the_vendor_writes_them() {
    let (f, docs) = setup();
    let page = r#"# QuirksApi

## demo.QuirksApi

## head_quirk

Is it there

Wraps HEAD /quirks/{day} 

Requires ANY permissions: 

* They are enforced by the backend

### Parameters

|Name | Type | Description  | Notes|
|------------- | ------------- | ------------- | -------------|
| **day** | **date**| Day |  |
| **since** | **datetime**| Since | [optional] |
| **pcPass** | **str**| Pass | [optional] |
| **sort_order** | **str**| Order | [optional] [default to &#39;ASC&#39;]<br />**Values**: ascending, descending |
| **page_size** | **int**| Size | [default to 25] |
| **level** | **int**| Level | [optional]<br />**Values**: 1, 2 |
| **thing_request** | **Thing**| The thing |  |

### Return type

void (empty response body)

_PureCloudPlatformClientV2 3.0.0_
"#;
    std::fs::write(docs.path().join("docs/QuirksApi.md"), page).unwrap();
    // Its code: `pcPass` is `pass` on the wire, `level` a header, `thing_request` the body.
    let code = "    def head_quirk(self, day, thing_request, **kwargs) -> None:\n        resource_path = '/quirks/{day}'\n        \
                path_params['day'] = params['day']\n        query_params['since'] = params['since']\n        \
                query_params['pass'] = params['pcPass']\n        query_params['sortOrder'] = params['sort_order']\n        \
                query_params['pageSize'] = params['page_size']\n        header_params['X-Level'] = params['level']\n        \
                body_params = params['thing_request']\n        header_params['Accept'] = self.api_client.\\\n            \
                select_header_accept(['application/json'])\n        response = self.api_client.call_api(resource_path, 'HEAD',\n";
    std::fs::write(docs.path().join("source/apis/quirks_api.py"), code).unwrap();
    let spec = f.load().unwrap();
    let plan = import::plan(
        &spec,
        docs.path(),
        &Request {
            classes: vec!["QuirksApi".into()],
            service: None,
        },
    )
    .unwrap();
    assert_eq!(plan.warnings.len(), 2, "{:?}", plan.warnings);
    assert!(
        plan.warnings[0]
            .ends_with("QuirksApi.md:13: permission bullet of `head_quirk` is not a permission: They are enforced by the backend")
    );
    assert!(plan.warnings[1].ends_with(
        "parameter `sort_order`: default `ASC` is not among the documented values; left out"
    ));
    write(&f, &plan.files);
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let group = spec.services[0]
        .groups
        .iter()
        .find(|g| g.value.group == "quirks")
        .unwrap();
    let op = &group.value.operations[0];
    assert_eq!(
        (op.method.as_str(), op.requires.as_ref()),
        ("HEAD", None),
        "prose is not a permission: the page states none"
    );
    assert_eq!(
        op.body.as_ref().map(|b| (b.ty.as_str(), b.required)),
        Some(("Thing", true)),
        "the body, under its model's name"
    );
    let param = |name: &str| {
        op.parameters
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        (param("day").location, param("day").ty.as_str()),
        (Location::Path, "date")
    );
    assert_eq!(param("since").ty, "date-time");
    assert_eq!(
        (param("pc_pass").wire_name.as_str()),
        "pass",
        "the code's name, not one derived from `pc_pass`"
    );
    assert_eq!(
        (
            param("sort_order").wire_name.as_str(),
            param("page_size").wire_name.as_str()
        ),
        ("sortOrder", "pageSize")
    );
    assert_eq!(
        (param("level").location, param("level").wire_name.as_str()),
        (Location::Header, "X-Level"),
        "a header, by the code"
    );
    assert_eq!(
        (
            param("sort_order").default.as_ref(),
            param("sort_order").values.len()
        ),
        (None, 2)
    );
    assert_eq!(
        (
            param("page_size").required,
            param("page_size").default.as_ref()
        ),
        (true, None)
    );
    assert!(
        param("level").values.is_empty(),
        "values restrict strings only"
    );
    // The imported group agrees with its page (ThingsApi was not imported: it still differs).
    let report = api_codegen::docs::check(&spec, docs.path()).unwrap();
    let quirks = report.findings.iter().filter(|f| {
        f.severity == api_codegen::docs::Severity::Difference && f.subject.starts_with("QuirksApi")
    });
    assert_eq!(quirks.count(), 0, "{}", api_codegen::docs::render(&report));
    assert!(report.differences() > 0);
    api_codegen::ir::build(&spec).unwrap();
}

/// What the summary says, line by line, and the model closure through lists and nested models.
#[test]
fn the_summary_names_each_change_and_new_models_are_followed_through_their_fields() {
    let (f, docs) = setup();
    // The SDK's code says what goes on the wire: a wire name the spec holds otherwise is corrected.
    f.edit(
        "demo/groups/things.yaml",
        "    wire_name: pageSize\n",
        "    wire_name: size\n",
    );
    let gizmos_code = "\n    def get_gizmos(self, **kwargs) -> 'list[Gizmo]':\n        resource_path = '/gizmos'\n        \
                       if 'ratio' in params:\n            query_params['ratio'] = params['ratio']\n        \
                       query_params['filter'] = params['filter']\n        \
                       response = self.api_client.call_api(resource_path, 'GET',\n";
    std::fs::write(
        docs.path().join("source/apis/things_api.py"),
        format!("{}{gizmos_code}", common::import_fixture::CODE),
    )
    .unwrap();
    let page = PAGE.replace(
        "\n## get_things\n",
        "\n## get_gizmos\n\nList gizmos\n\nWraps GET /gizmo-list \n\nRequires ALL permissions: \n\n* gizmo:read\n\n\
         ### Parameters\n\n|Name | Type | Description  | Notes|\n|------------- | ------------- | ------------- | -------------|\n\
         | **ratio** | **float**| Ratio | [optional] [default to 1.5] |\n\
         | **filter** | **dict(str, str)**| Filter | [optional] |\n\n### Return type\n\n[**list[Gizmo]**](Gizmo)\n\n## get_things\n",
    );
    std::fs::write(docs.path().join("docs/ThingsApi.md"), page).unwrap();
    let mut models: serde_json::Value = serde_json::from_str(MODELS).unwrap();
    let list = models["models"].as_array_mut().unwrap();
    list.push(serde_json::json!({"name": "Gizmo", "fields": [
        {"name": "widget", "type": "Widget", "required": false, "description": ""},
        {"name": "spare", "type": "Sprocket", "required": false, "description": ""}
    ]}));
    list.push(serde_json::json!({"name": "Widget", "fields": [{"name": "size", "type": "int", "required": true, "description": ""}]}));
    std::fs::write(docs.path().join("models.json"), models.to_string()).unwrap();

    let spec = f.load().unwrap();
    let plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    let summary = plan.to_string();
    for line in [
        "model Thing\n  updated: changed field `id`; changed field `tags`; new field `createdDate`; field `legacy` no longer documented: kept\n",
        "ThingsApi.get_thing\n  updated: description; requirement; preview; new parameters verbose, tag_ids; changed parameters thing_id, page_size, kind\n",
        "model Gizmo\n  new model (2 fields)\n",
        "model Widget\n  new model (1 fields)\n",
        // Outside the body, a structure is sent as text.
        ": parameter `filter`: type `dict(str, str)` has no form outside the body; sent as text (`string`)\n",
        // The code is what the SDK sends: its route wins.
        ": `get_gizmos`: the page says GET /gizmo-list, the SDK's code GET /gizmos: the code's is imported\n",
        "warning: models.json: model `Gizmo`, field `spare`: type `Sprocket` is neither a model of the reference nor one of the \
         SDK's types (`index.md`); held as JSON (`object`)\n",
    ] {
        assert!(summary.contains(line), "{line:?} not in\n{summary}");
    }
    assert!(
        plan.files
            .contains_key(Path::new("demo/models/Widget.yaml")),
        "reached through a new model's field"
    );
    assert!(
        plan.files[Path::new("demo/models/Gizmo.yaml")].contains("spare:\n    type: object\n"),
        "held as JSON"
    );
    let group: api_codegen::spec::format::GroupFile =
        serde_yaml::from_str(&plan.files[Path::new("demo/groups/things.yaml")]).unwrap();
    let get = group
        .operations
        .iter()
        .find(|o| o.name == "get_thing")
        .unwrap();
    assert_eq!(
        get.parameters
            .iter()
            .find(|p| p.name == "page_size")
            .unwrap()
            .wire_name,
        "pageSize"
    );
    let gizmos = group
        .operations
        .iter()
        .find(|o| o.name == "get_gizmos")
        .unwrap();
    assert_eq!(gizmos.path, "/gizmos");
    assert_eq!(gizmos.parameters[0].default, Some(Scalar::Float(1.5)));
    assert_eq!(gizmos.returns.as_deref(), Some("list<Gizmo>"));
}

/// Which older permissions stay as legacy permissions: only where the documented requirement
/// can be widened (`ANY`, or `ALL` of one).
#[test]
fn legacy_permissions_only_widen_what_can_be_widened() {
    for (documented, expected_legacy) in [
        (
            "Requires ALL permissions: \n\n* things:thing:view\n",
            vec!["admin"],
        ),
        (
            "Requires ALL permissions: \n\n* things:thing:view\n* things:thing:read\n",
            vec![],
        ),
        (
            "Requires ANY permissions: \n\n* things:thing:read\n",
            vec!["admin", "things:thing:view"],
        ),
    ] {
        let (f, docs) = setup();
        let page = PAGE.replacen(
            "Requires ANY permissions: \n\n* things:thing:view\n",
            documented,
            1,
        );
        std::fs::write(docs.path().join("docs/ThingsApi.md"), page).unwrap();
        let plan = import::plan(&f.load().unwrap(), docs.path(), &Request::default()).unwrap();
        let group: api_codegen::spec::format::GroupFile =
            serde_yaml::from_str(&plan.files[Path::new("demo/groups/things.yaml")]).unwrap();
        let get = group
            .operations
            .iter()
            .find(|o| o.name == "get_thing")
            .unwrap();
        assert_eq!(get.legacy_permissions, expected_legacy, "{documented}");
        // The requirement changed in each case, with its legacy permissions or without.
        let summary = plan.to_string();
        let line = summary
            .lines()
            .skip_while(|l| *l != "ThingsApi.get_thing")
            .nth(1)
            .unwrap_or_default();
        assert!(line.contains("requirement"), "{documented}: {summary}");
    }
}

/// With several services, the groups go where their class is held, else where `--service` says.
#[test]
fn the_service_is_the_one_holding_the_class() {
    let (f, docs) = setup();
    f.write(
        "other/service.yaml",
        &common::SERVICE.replace("service: demo", "service: other"),
    );
    f.write(
        "other/groups/misc.yaml",
        &common::GROUP
            .replace("group: things", "group: misc\nsdk_class: MiscApi")
            .replace("legacy_names: [get_things_thing_id]", ""),
    );
    f.write("other/models/Thing.yaml", common::THING);
    f.write("other/models/ErrorBody.yaml", common::ERROR_BODY);
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    assert!(
        plan.files.keys().all(|p| p.starts_with("demo")),
        "{:?}",
        plan.files.keys()
    );
    // A class no service holds, with two candidate services: the caller must say which.
    std::fs::write(
        docs.path().join("docs/ThingsApi.md"),
        PAGE.replace("ThingsApi", "NewApi"),
    )
    .unwrap();
    let err = import::plan(&spec, docs.path(), &Request::default()).unwrap_err();
    assert!(err.contains("name it with `--service`"), "{err}");
    let plan = import::plan(
        &spec,
        docs.path(),
        &Request {
            classes: vec![],
            service: Some("other".into()),
        },
    )
    .unwrap();
    assert!(
        plan.files.contains_key(Path::new("other/groups/new.yaml")),
        "{:?}",
        plan.files.keys()
    );
}

/// docs-check holds the spec to the SDK's code on the wire (where a parameter goes, its name,
/// the media types), and lists apart where the pages and the code disagree.
#[test]
fn docs_check_holds_the_spec_to_the_sdks_code_on_the_wire() {
    use api_codegen::docs::{self, Severity};
    let (f, docs_dir) = setup();
    let spec = f.load().unwrap();
    write(
        &f,
        &import::plan(&spec, docs_dir.path(), &Request::default())
            .unwrap()
            .files,
    );
    assert_eq!(
        docs::check(&f.load().unwrap(), docs_dir.path())
            .unwrap()
            .differences(),
        0
    );

    // The spec sends `page_size` under another name, `kind` as a header, and asks for text.
    let things = "demo/groups/things.yaml";
    f.edit(things, "    wire_name: pageSize\n", "    wire_name: size\n");
    f.edit(
        things,
        "    wire_name: kind\n    in: query\n",
        "    wire_name: X-Kind\n    in: header\n",
    );
    let report = docs::check(&f.load().unwrap(), docs_dir.path()).unwrap();
    let differences: Vec<&str> = report
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Difference)
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(
        differences,
        [
            "parameter `kind`: the SDK's code sends it as `kind` in the query, the spec as `X-Kind` in the headers",
            "parameter `page_size`: the SDK's code sends it as `pageSize` in the query, the spec as `size` in the query",
        ]
    );

    // The code sends a parameter the page does not list, and the page one the code does not send.
    let code = CODE.replace(
        "query_params['verbose'] = params['verbose']",
        "query_params['verbose'] = params['loud']",
    );
    std::fs::write(docs_dir.path().join("source/apis/things_api.py"), code).unwrap();
    let report = docs::check(&f.load().unwrap(), docs_dir.path()).unwrap();
    let mut apart: Vec<&str> = report
        .findings
        .iter()
        .filter(|x| x.severity == Severity::PagesAndCode)
        .map(|x| x.message.as_str())
        .collect();
    apart.sort_unstable();
    assert_eq!(
        apart,
        [
            "parameter `verbose` is on the page, not in the code",
            "the code sends `verbose` (`loud`), which the page does not list"
        ]
    );
    assert!(docs::render(&report).contains("## Where the pages and the SDK's code disagree"));
}

/// The release's topics (`notificationMappings.json`) go to the group whose operations share
/// their area, with named parameters and a constructor name within the group; a topic of an
/// area no group serves, to the Notifications API's group, if there is one, else nowhere; names
/// stay once given, a topic the mapping drops stays, marked; docs-check compares by shape.
#[test]
fn topics_are_imported_into_the_group_of_their_area() {
    use api_codegen::docs::{self, Severity};
    let (f, docs_dir) = setup();
    let mapping = |topics: &[(&str, &str)]| {
        let list: Vec<_> = topics
            .iter()
            .map(|(t, c)| serde_json::json!({"topic": t, "class": c}))
            .collect();
        std::fs::write(
            docs_dir.path().join("notificationMappings.json"),
            serde_json::json!({"notifications": list}).to_string(),
        )
        .unwrap();
    };
    mapping(&[
        ("v2.things.{id}.changes", "Thing"),
        ("v2.things.{id}.owners.{id}", "Thing"),
        ("v2.things", "ThingListing"),
        ("v2.system.socket_closing", "Thing"),
        ("v2.things.{id}.broken", "NoSuchModel"),
    ]);
    let spec = f.load().unwrap();
    let plan = import::plan(&spec, docs_dir.path(), &Request::default()).unwrap();
    assert!(
        plan.warnings.iter().any(|w| w == "notificationMappings.json: topic `v2.things.{id}.broken` carries `NoSuchModel`, which is no model; not imported"),
        "{:?}",
        plan.warnings
    );
    write(&f, &plan.files);
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let group = &spec.services[0].groups[0].value;
    let topics: Vec<(&str, &str, &str)> = group
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.topic.as_str(), t.payload.as_str()))
        .collect();
    assert_eq!(
        topics,
        [
            ("things", "v2.things", "ThingListing"),
            ("changes", "v2.things.{thing_id}.changes", "Thing"),
            ("owners", "v2.things.{thing_id}.owners.{owner_id}", "Thing"),
        ],
        "no group serves `system` and there is no Notifications API group: not imported"
    );
    assert_eq!(
        docs::check(&spec, docs_dir.path()).unwrap().differences(),
        2,
        "the unplaced topic and the one with no model"
    );

    // A maintainer's names stay; a dropped topic stays, marked; a new payload is taken.
    f.edit(
        "demo/groups/things.yaml",
        "name: changes\n",
        "name: thing_changes\n",
    );
    mapping(&[
        ("v2.things.{id}.changes", "ThingListing"),
        ("v2.things", "ThingListing"),
    ]);
    let plan = import::plan(&f.load().unwrap(), docs_dir.path(), &Request::default()).unwrap();
    write(&f, &plan.files);
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let group = &spec.services[0].groups[0].value;
    let changes = group
        .topics
        .iter()
        .find(|t| t.topic == "v2.things.{thing_id}.changes")
        .unwrap();
    assert_eq!(
        (changes.name.as_str(), changes.payload.as_str()),
        ("thing_changes", "ThingListing")
    );
    let owners = group.topics.iter().find(|t| t.name == "owners").unwrap();
    assert_eq!(owners.undocumented_since.as_deref(), Some("3.0.0"));
    let report = docs::check(&spec, docs_dir.path()).unwrap();
    assert_eq!(report.differences(), 0, "{}", docs::render(&report));

    // The spec saying another payload, or holding a topic the mapping lacks, is a difference.
    f.edit(
        "demo/groups/things.yaml",
        "- name: things\n  topic: v2.things\n  payload: ThingListing\n",
        "- name: things\n  topic: v2.things\n  payload: Thing\n",
    );
    let report = docs::check(&f.load().unwrap(), docs_dir.path()).unwrap();
    let found: Vec<&str> = report
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Difference)
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(
        found,
        ["topic `v2.things` carries `ThingListing`, the spec says `Thing`"]
    );
}

/// Without the SDK's code, only what the spec holds or the path shows is placed: a new path
/// parameter takes its placeholder's name, a new query parameter is left out (its wire name is
/// not known), and an array encoding the spec does not have is a warning.
#[test]
fn without_the_code_nothing_is_derived_from_a_snake_case_name() {
    let (f, docs) = setup();
    std::fs::remove_dir_all(docs.path().join("source")).unwrap();
    let page = PAGE.replace(
        "\n## get_things\n",
        "\n## get_widget\n\nA widget\n\nWraps GET /widgets/{widgetId} \n\nRequires no permissions\n\n\
         ### Parameters\n\n|Name | Type | Description  | Notes|\n|------------- | ------------- | ------------- | -------------|\n\
         | **widget_id** | **str**| Id |  |\n| **color** | **str**| Color | [optional] |\n\n### Return type\n\n[**Thing**](Thing)\n\n## get_things\n",
    );
    std::fs::write(docs.path().join("docs/ThingsApi.md"), page).unwrap();
    let plan = import::plan(&f.load().unwrap(), docs.path(), &Request::default()).unwrap();
    assert!(
        plan.warnings.iter().any(|w| w.ends_with(
            "parameter `color`: its wire name and location are not known (the SDK's code, `source/apis/`, states them); not imported"
        )),
        "{:?}",
        plan.warnings
    );
    write(&f, &plan.files);
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let widget = spec.services[0].groups[0]
        .value
        .operations
        .iter()
        .find(|o| o.name == "get_widget")
        .unwrap();
    let params: Vec<(&str, &str, Location)> = widget
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.wire_name.as_str(), p.location))
        .collect();
    assert_eq!(params, [("widget_id", "widgetId", Location::Path)]);

    // With code naming an encoding the spec does not have, the parameter is sent repeated and
    // the import says so.
    let (f, docs) = setup();
    let code = common::import_fixture::CODE.replace(
        "collection_formats['tagIds'] = 'multi'",
        "collection_formats['tagIds'] = 'csv'",
    );
    std::fs::write(docs.path().join("source/apis/things_api.py"), code).unwrap();
    let plan = import::plan(&f.load().unwrap(), docs.path(), &Request::default()).unwrap();
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.ends_with("parameter `tag_ids`: array encoding `csv` is not one the spec has; sent repeated (`multi`)")),
        "{:?}",
        plan.warnings
    );
}

/// A topic's group is decided by the groups as the import leaves them: operations a re-imported
/// group moved out of an area no longer claim that area's topics for it.
#[test]
fn topics_follow_the_operations_where_the_import_leaves_them() {
    let (f, docs) = setup();
    let gadget = |name: &str, path: &str| {
        format!("- name: {name}\n  method: GET\n  path: {path}\n  summary: {name}\n")
    };
    // ThingsApi held two `gadgets` operations; a group of its own holds one.
    f.edit(
        "demo/groups/things.yaml",
        "operations:\n",
        &format!(
            "operations:\n{}{}",
            gadget("get_gadget_parts", "/gadgets/parts"),
            gadget("get_gadget_owner", "/gadgets/owner")
        ),
    );
    f.write(
        "demo/groups/gadgets.yaml",
        &format!(
            "group: gadgets\ndescription: Gadgets.\noperations:\n{}",
            gadget("get_gadgets", "/gadgets")
        ),
    );
    // The release moves both under `/things`.
    let moved = |name: &str, path: &str| {
        format!(
            "\n## {name}\n\n{name}\n\nWraps GET {path} \n\nRequires no permissions\n\n### Parameters\n\n\
             This endpoint does not need any parameter.\n\n### Return type\n\nvoid (empty response body)\n"
        )
    };
    let page = PAGE.replace(
        "\n## get_thing\n",
        &format!(
            "{}{}\n## get_thing\n",
            moved("get_gadget_owner", "/things/owner"),
            moved("get_gadget_parts", "/things/parts")
        ),
    );
    std::fs::write(docs.path().join("docs/ThingsApi.md"), page).unwrap();
    std::fs::write(
        docs.path().join("notificationMappings.json"),
        r#"{"notifications": [{"topic": "v2.gadgets.{id}", "class": "Thing"}]}"#,
    )
    .unwrap();
    let plan = import::plan(&f.load().unwrap(), docs.path(), &Request::default()).unwrap();
    let group: api_codegen::spec::format::GroupFile =
        serde_yaml::from_str(&plan.files[Path::new("demo/groups/things.yaml")]).unwrap();
    let paths: Vec<&str> = group
        .operations
        .iter()
        .filter(|o| o.name.starts_with("get_gadget"))
        .map(|o| o.path.as_str())
        .collect();
    assert_eq!(paths, ["/things/owner", "/things/parts"]);
    assert!(
        group.topics.is_empty(),
        "`gadgets` serves the area now: {:?}",
        group.topics
    );
}

/// Topics whose constructor names would collide are numbered in mapping order; a topic the
/// mapping drops and lists again is documented again.
#[test]
fn colliding_topic_names_are_numbered_and_a_topic_can_come_back() {
    let (f, docs) = setup();
    let import_topics = |topics: &[&str]| {
        let list: Vec<_> = topics
            .iter()
            .map(|t| serde_json::json!({"topic": t, "class": "Thing"}))
            .collect();
        std::fs::write(
            docs.path().join("notificationMappings.json"),
            serde_json::json!({ "notifications": list }).to_string(),
        )
        .unwrap();
        let plan = import::plan(&f.load().unwrap(), docs.path(), &Request::default()).unwrap();
        write(&f, &plan.files);
        let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
        let group = &spec.services[0].groups[0].value;
        group
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.undocumented_since.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let all = [
        "v2.things.{id}.changes",
        "v2.things.changes",
        "v2.things.{id}.changes.{id}",
    ];
    let names = import_topics(&all);
    assert_eq!(
        names.keys().map(String::as_str).collect::<Vec<_>>(),
        ["changes", "changes_2", "changes_3"]
    );
    let dropped = import_topics(&[all[0], all[2]]);
    assert_eq!(dropped["changes_2"].as_deref(), Some("3.0.0"));
    let back = import_topics(&all);
    assert!(back.values().all(Option::is_none), "{back:?}");
}
