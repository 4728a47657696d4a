//! A release touches only what changed: the import's output does not depend on the order the
//! pages are read in, and one operation added changes one spec file and only the generated
//! files that hold that operation.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use api_codegen::import::{self, Request};
use common::import_fixture::{PAGE, setup, write};

/// A second group page, in the same release.
const GADGETS: &str = "# GadgetsApi\n\n## demo.GadgetsApi\n\n## get_gadget\n\n> [**Thing**](Thing) get_gadget()\n\nGet a gadget\n\n\
    Wraps GET /gadgets \n\nRequires no permissions\n\n### Parameters\n\nThis endpoint does not need any parameter.\n\n\
    ### Return type\n\n[**Thing**](Thing)\n\n_PureCloudPlatformClientV2 3.0.0_\n";

fn generated(f: &common::Fixture) -> BTreeMap<PathBuf, String> {
    let api = api_codegen::ir::build(&f.load().unwrap_or_else(|r| panic!("{r}"))).unwrap();
    let mut files = api_codegen::emit::generate(&api, &common::options()).unwrap();
    files.insert("names.lock".into(), api.services[0].names.render());
    files
}

#[test]
fn the_order_of_the_pages_changes_nothing() {
    let (f, docs) = setup();
    std::fs::write(docs.path().join("docs/GadgetsApi.md"), GADGETS).unwrap();
    let spec = f.load().unwrap();
    let request = |classes: [&str; 2]| Request {
        classes: classes.map(str::to_owned).to_vec(),
        service: None,
    };
    let one = import::plan(&spec, docs.path(), &request(["ThingsApi", "GadgetsApi"])).unwrap();
    let other = import::plan(&spec, docs.path(), &request(["GadgetsApi", "ThingsApi"])).unwrap();
    assert_eq!(one.files, other.files);
    assert_eq!(one.to_string(), other.to_string());
}

#[test]
fn one_operation_added_changes_one_spec_file_and_its_groups_generated_files() {
    let (f, docs) = setup();
    let spec = f.load().unwrap();
    write(
        &f,
        &import::plan(&spec, docs.path(), &Request::default())
            .unwrap()
            .files,
    );
    f.write(
        "demo/names.lock",
        &generated(&f)[&PathBuf::from("names.lock")],
    );
    let before = generated(&f);

    let page = PAGE.replace(
        "\n_PureCloudPlatformClientV2",
        "\n## delete_things\n\n> delete_things()\n\nDelete all things\n\nWraps DELETE /things \n\nRequires no permissions\n\n\
         ### Parameters\n\nThis endpoint does not need any parameter.\n\n### Return type\n\nvoid (empty response body)\n\n_PureCloudPlatformClientV2",
    );
    std::fs::write(docs.path().join("docs/ThingsApi.md"), page).unwrap();
    let plan = import::plan(&f.load().unwrap(), docs.path(), &Request::default()).unwrap();
    assert_eq!(
        plan.files.keys().collect::<Vec<_>>(),
        [&PathBuf::from("demo/groups/things.yaml")],
        "{plan}"
    );
    write(&f, &plan.files);
    let after = generated(&f);
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(t))
        .map(|(p, _)| p)
        .collect();
    // The service module counts each group's operations and lists them in `OPERATIONS`:
    // those lines change, no other.
    let expected = ["demo/mod.rs", "demo/things.rs", "names.lock"].map(PathBuf::from);
    assert_eq!(changed, expected.iter().collect::<Vec<_>>());
    let service = PathBuf::from("demo/mod.rs");
    let (old, new): (Vec<&str>, Vec<&str>) = (
        before[&service].lines().collect(),
        after[&service].lines().collect(),
    );
    let gone: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
    let came: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
    assert!(
        gone.iter()
            .all(|l| l.contains("4 operations") || l.contains("(4 in all)")),
        "{gone:#?}"
    );
    assert!(
        came.iter().all(|l| l.contains("5 operations")
            || l.contains("(5 in all)")
            || l.contains("DELETE_THINGS")),
        "{came:#?}"
    );
    assert_eq!(
        new.len() - old.len(),
        3,
        "the new operation's entry in OPERATIONS, with its two cfg lines"
    );
    assert!(
        before.keys().all(|p| after.contains_key(p)),
        "no file removed"
    );
}
