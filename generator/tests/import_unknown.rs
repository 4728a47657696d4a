//! `import` of a release with what the reader has never seen: SDK types a release's `index.md`
//! documents, types documented nowhere, names the spec cannot hold, and (a property test) mutated
//! releases. The import never aborts; what it cannot hold as documented becomes a located
//! warning and the most faithful stand-in, and everything else is imported.

mod common;

use std::path::Path;

use api_codegen::import::{self, Request};
use common::import_fixture::{CODE, MODELS, PAGE, setup, write};
use proptest::prelude::*;

const INDEX: &str = "# SDK\n\n### SDK Specific Types and Classes\n\n#### YearMonth\n\n\
    Some properties are defined as string with a \"year-month\" format (e.g. value equal to \"2026-01\").\n";

/// A newer release: `Thing` gains a `list[YearMonth]` (documented on `index.md`) and a
/// `Sprocket` (documented nowhere); `get_thing` a query parameter of each.
fn newer_release(docs: &Path) {
    std::fs::write(docs.join("docs/index.md"), INDEX).unwrap();
    let mut models: serde_json::Value = serde_json::from_str(MODELS).unwrap();
    let thing = &mut models["models"][0]["fields"];
    let thing = thing.as_array_mut().unwrap();
    thing.push(serde_json::json!({"name": "activeMonths", "type": "list[YearMonth]", "required": false, "description": "Months."}));
    thing.push(serde_json::json!({"name": "gear", "type": "Sprocket", "required": false, "description": ""}));
    std::fs::write(docs.join("models.json"), models.to_string()).unwrap();
    let page = PAGE.replace(
        "| **tag_ids** | **list[str]**| Tags | [optional] |\n",
        "| **tag_ids** | **list[str]**| Tags | [optional] |\n| **month** | **YearMonth**| Month | [optional] |\n\
         | **gears** | **list[Sprocket]**| Gears | [optional] |\n",
    );
    std::fs::write(docs.join("docs/ThingsApi.md"), page).unwrap();
    let code = CODE.replace(
        "        collection_formats['tagIds']",
        "        query_params['month'] = params['month']\n        query_params['gears'] = params['gears']\n        collection_formats['tagIds']",
    );
    std::fs::write(docs.join("source/apis/things_api.py"), code).unwrap();
}

#[test]
fn an_sdk_type_is_text_in_its_format_and_an_unknown_type_is_json() {
    let (f, docs) = setup();
    newer_release(docs.path());
    let spec = f.load().unwrap();
    let mut plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    let settled = import::settle(&spec, &mut plan).unwrap();
    let warnings = plan.warnings.join("\n");
    for expected in [
        "models.json: model `Thing`, field `gear`: type `Sprocket` is neither a model of the reference nor one of the SDK's types \
         (`index.md`); held as JSON (`object`)",
        "ThingsApi.md:37: parameter `gears`: type `Sprocket` is documented nowhere; sent as text (`string`)",
    ] {
        assert!(
            warnings.contains(expected),
            "{expected:?} not in\n{warnings}"
        );
    }
    assert_eq!(
        plan.warnings.len(),
        2,
        "the SDK type is no warning: {warnings}"
    );

    let thing = &settled.spec.services[0]
        .models
        .iter()
        .find(|m| m.value.name == "Thing")
        .unwrap()
        .value;
    let months = &thing.fields["activeMonths"];
    assert_eq!(
        (months.ty.as_str(), months.format.as_deref()),
        ("list<string>", Some("year-month"))
    );
    assert_eq!(
        (
            thing.fields["gear"].ty.as_str(),
            thing.fields["gear"].format.as_deref()
        ),
        ("object", None)
    );
    let get = settled.spec.services[0].groups[0]
        .value
        .operations
        .iter()
        .find(|o| o.name == "get_thing")
        .unwrap();
    let ty = |name: &str| {
        get.parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.ty.as_str())
    };
    assert_eq!(
        (ty("month"), ty("gears")),
        (Some("string"), Some("list<string>")),
        "parameters outside the body are text"
    );
    assert!(
        get.body.is_none(),
        "a parameter of an SDK type is not the body"
    );

    // The pages agree with the result; the client generates and says the format.
    let report = api_codegen::docs::check(&settled.spec, docs.path()).unwrap();
    assert_eq!(
        report.differences(),
        0,
        "{}",
        api_codegen::docs::render(&report)
    );
    assert!(
        api_codegen::docs::render(&report)
            .contains("field `gear`: type `Sprocket` is documented nowhere; held as JSON")
    );
    let api = api_codegen::ir::build(&settled.spec).unwrap();
    let files = api_codegen::emit::generate(&api, &common::options()).unwrap();
    let thing_rs = files
        .iter()
        .find(|(p, _)| p.ends_with("models/thing.rs"))
        .map(|(_, t)| t)
        .unwrap();
    assert!(
        thing_rs.contains("Sent and received as text in the year-month format."),
        "{thing_rs}"
    );

    // Written, imported again: nothing changes.
    write(&f, &plan.files);
    let spec = f.load().unwrap_or_else(|r| panic!("{r}"));
    let again = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    assert!(again.files.is_empty(), "{again}");
}

#[test]
fn a_release_that_does_not_document_an_sdk_type_holds_it_as_json() {
    let (f, docs) = setup();
    newer_release(docs.path());
    std::fs::remove_file(docs.path().join("docs/index.md")).unwrap();
    let spec = f.load().unwrap();
    let mut plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    let settled = import::settle(&spec, &mut plan).unwrap();
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("field `activeMonths`: type `YearMonth` is neither")),
        "{:?}",
        plan.warnings
    );
    let thing = &settled.spec.services[0]
        .models
        .iter()
        .find(|m| m.value.name == "Thing")
        .unwrap()
        .value;
    assert_eq!(thing.fields["activeMonths"].ty, "list<object>");
}

/// Names the validator refuses leave out that name, not its file; a file that still does not
/// validate is left out whole, and the rest is imported.
#[test]
fn what_the_spec_cannot_hold_is_left_out_with_a_warning_and_the_rest_is_imported() {
    let (f, docs) = setup();
    let mut models: serde_json::Value = serde_json::from_str(MODELS).unwrap();
    let thing = models["models"][0]["fields"].as_array_mut().unwrap();
    thing.push(
        serde_json::json!({"name": "$$$", "type": "str", "required": false, "description": ""}),
    );
    thing.push(
        serde_json::json!({"name": "Id", "type": "str", "required": false, "description": ""}),
    );
    std::fs::write(docs.path().join("models.json"), models.to_string()).unwrap();
    let spec = f.load().unwrap();
    let mut plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    let warnings = plan.warnings.join("\n");
    assert!(
        warnings
            .contains("model `Thing`, field `$$$` cannot be turned into a Rust name; not imported"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "model `Thing`, field `Id` and `id` would both be `id` in Rust; not imported"
        ),
        "{warnings}"
    );

    // A file the validator still refuses (here, one broken by hand) is left out by itself.
    let listing = Path::new("demo/models/ThingListing.yaml").to_path_buf();
    plan.files.insert(
        listing.clone(),
        "name: ThingListing\nfields:\n  entities:\n    type: list<Nope>\n".into(),
    );
    let settled = import::settle(&spec, &mut plan).unwrap();
    assert!(!plan.files.contains_key(&listing));
    let warnings = plan.warnings.join("\n");
    assert!(
        warnings.contains("demo/models/ThingListing.yaml:4:11: the imported file does not validate (unknown model `Nope`); not written"),
        "{warnings}"
    );
    // `get_things` returns the listing left out: its group file goes too, on the next round.
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.starts_with("demo/groups/things.yaml:")
                && w.ends_with("the spec's file kept as it was"))
    );
    let thing = &settled.spec.services[0]
        .models
        .iter()
        .find(|m| m.value.name == "Thing")
        .unwrap()
        .value;
    assert!(
        thing.fields.contains_key("createdDate"),
        "the rest of the release is imported"
    );
}

/// A settle that cannot blame an imported file says so instead of looping.
#[test]
fn a_spec_broken_before_the_import_is_an_error() {
    let (f, docs) = setup();
    let spec = f.load().unwrap();
    let mut plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
    f.write(
        "demo/models/Broken.yaml",
        "name: Broken\nfields:\n  x:\n    type: Nope\n",
    );
    let err = import::settle(&spec, &mut plan).unwrap_err();
    assert!(
        err.contains("unknown model `Nope`") && err.contains("no imported file is the cause"),
        "{err}"
    );
}

/// One way to mutate a release.
#[derive(Debug, Clone)]
enum Mutation {
    /// A type of a parameter row or a reference field renamed (`str` → `Strng`).
    RenameType {
        in_page: bool,
        at: usize,
        to: String,
    },
    /// A row the reader has never seen, in the parameter table or a model.
    AddRow {
        in_page: bool,
        name: String,
        ty: String,
    },
    /// Two operation sections swapped.
    SwapOperations(usize, usize),
    /// An operation's `Parameters` and `Return type` sections swapped.
    SwapSections(usize),
    /// A section heading the reader has never seen, inside an operation.
    UnknownSection(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let name = prop_oneof![
        "[a-z][a-zA-Z0-9]{0,8}",
        Just("$$$".to_owned()),
        Just("id".to_owned()),
        Just("Id".to_owned()),
        Just("thing_id".to_owned()),
        Just("body".to_owned()),
    ];
    let ty = prop_oneof![
        Just("str".to_owned()),
        Just("Thing".to_owned()),
        Just("list[Gadget]".to_owned()),
        Just("dict(str, Sprocket)".to_owned()),
        Just("YearMonth".to_owned()),
        "[A-Za-z][a-z]{0,6}",
        Just("tuple(int, str)".to_owned()),
    ];
    prop_oneof![
        (any::<bool>(), 0..12usize, ty.clone())
            .prop_map(|(in_page, at, to)| Mutation::RenameType { in_page, at, to }),
        (any::<bool>(), name, ty).prop_map(|(in_page, name, ty)| Mutation::AddRow {
            in_page,
            name,
            ty
        }),
        (0..3usize, 0..3usize).prop_map(|(a, b)| Mutation::SwapOperations(a, b)),
        (0..3usize).prop_map(Mutation::SwapSections),
        (0..3usize).prop_map(Mutation::UnknownSection),
    ]
}

/// The page split into its intro and one section per operation (each from its `## name`).
fn sections(page: &str) -> (String, Vec<String>, String) {
    let footer_at = page.rfind("_PureCloudPlatformClientV2").unwrap();
    let (body, footer) = page.split_at(footer_at);
    let mut parts = body.split("\n## ");
    let intro = parts.next().unwrap().to_owned();
    let mut intro_and_class = intro;
    let mut ops = Vec::new();
    for p in parts {
        if p.starts_with("demo.") {
            intro_and_class.push_str("\n## ");
            intro_and_class.push_str(p);
        } else {
            ops.push(format!("\n## {p}"));
        }
    }
    (intro_and_class, ops, footer.to_owned())
}

fn apply(page: &mut String, models: &mut serde_json::Value, m: &Mutation) {
    let (intro, mut ops, footer) = sections(page);
    let n = ops.len();
    match m {
        Mutation::RenameType {
            in_page: true,
            at,
            to,
        } => {
            let rows: Vec<usize> = page.match_indices("| **").map(|(i, _)| i).collect();
            if let Some(&start) = rows.get(at % rows.len().max(1)) {
                let row_end = start + page[start..].find('\n').unwrap_or(page.len() - start);
                let cells: Vec<&str> = page[start..row_end].split('|').collect();
                if cells.len() > 3 {
                    let renamed = format!(
                        "{}| **{to}**|{}",
                        cells[..2].join("|"),
                        cells[3..].join("|")
                    );
                    page.replace_range(start..row_end, &renamed);
                }
            }
            return;
        }
        Mutation::RenameType {
            in_page: false,
            at,
            to,
        } => {
            let fields: Vec<&mut serde_json::Value> = models["models"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .flat_map(|m| m["fields"].as_array_mut().unwrap().iter_mut())
                .collect();
            let count = fields.len();
            if let Some(f) = fields.into_iter().nth(at % count) {
                f["type"] = serde_json::json!(to);
            }
            return;
        }
        Mutation::AddRow {
            in_page: true,
            name,
            ty,
        } => {
            let anchor = "| **thing_id** | **str**| Thing ID |  |\n";
            *page = page.replacen(
                anchor,
                &format!("{anchor}| **{name}** | **{ty}**| Added | [optional] |\n"),
                1,
            );
            return;
        }
        Mutation::AddRow {
            in_page: false,
            name,
            ty,
        } => {
            let fields = models["models"][1]["fields"].as_array_mut().unwrap();
            fields.push(serde_json::json!({"name": name, "type": ty, "required": false, "description": "added"}));
            return;
        }
        Mutation::SwapOperations(a, b) => ops.swap(*a % n, *b % n),
        Mutation::SwapSections(i) => {
            let op = &mut ops[*i % n];
            if let (Some(p), Some(r)) = (op.find("### Parameters"), op.find("### Return type")) {
                let (first, second) = (p.min(r), p.max(r));
                let (a, b) = (op[first..second].to_owned(), op[second..].to_owned());
                *op = format!("{}{b}\n{a}", &op[..first]);
            }
        }
        Mutation::UnknownSection(i) => {
            let op = &mut ops[*i % n];
            if let Some(r) = op.find("### Return type") {
                op.insert_str(
                    r,
                    "### Rate limits\n\n| Limit | Value |\n|---|---|\n| **burst** | 10 |\n\n",
                );
            }
        }
    }
    *page = format!("{intro}{}{footer}", ops.concat());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Mutated releases import without aborting, and every operation whose heading and route
    /// are intact is in the imported spec.
    #[test]
    fn a_mutated_release_imports_every_readable_operation(mutations in prop::collection::vec(mutation(), 1..5)) {
        let (f, docs) = setup();
        let mut page = PAGE.to_owned();
        let mut models: serde_json::Value = serde_json::from_str(MODELS).unwrap();
        for m in &mutations {
            apply(&mut page, &mut models, m);
        }
        std::fs::write(docs.path().join("docs/index.md"), INDEX).unwrap();
        std::fs::write(docs.path().join("docs/ThingsApi.md"), &page).unwrap();
        std::fs::write(docs.path().join("models.json"), models.to_string()).unwrap();
        let spec = f.load().unwrap();
        let mut plan = import::plan(&spec, docs.path(), &Request::default()).unwrap();
        let settled = import::settle(&spec, &mut plan).unwrap();
        api_codegen::ir::build(&settled.spec).unwrap();
        let readable: Vec<String> = api_codegen::docs::page::DocPage::parse(Path::new("ThingsApi.md"), &page)
            .unwrap()
            .operations
            .into_iter()
            .filter(|o| o.path.is_some() && o.method.is_some())
            .map(|o| o.name)
            .collect();
        prop_assert_eq!(readable.len(), 3, "the mutations keep headings and routes");
        let imported = &settled.spec.services[0].groups[0].value.operations;
        for name in &readable {
            prop_assert!(imported.iter().any(|o| &o.name == name && o.undocumented_since.is_none()), "{} not imported: {:?}", name, plan.warnings);
        }
        prop_assert!(!plan.warnings.iter().any(|w| w.contains("things.yaml")), "the group file is never left out: {:?}", plan.warnings);
    }
}
