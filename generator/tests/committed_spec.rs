//! The committed spec: valid, complete, in sync with its JSON Schemas, and
//! conformant with the vendor documentation in `../shared`.

use std::path::{Path, PathBuf};

use api_codegen::docs::{self, Severity};
use api_codegen::spec::{self, Spec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn committed() -> Spec {
    spec::load(&root().join("spec")).unwrap_or_else(|r| panic!("{r}"))
}

/// The documentation folder, or `None` (with the reason printed) where it is absent.
/// In CI (`CI` set) its absence is a failure: the conformance check must run there.
fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("seeds").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared/seeds is missing: CI must check the spec against the documentation");
    }
    eprintln!("skipped: {} not found; the docs conformance check needs the vendor documents beside the repository", dir.display());
    None
}

#[test]
fn committed_spec_is_valid_and_complete() {
    let spec = committed();
    let genesys = spec.service("genesys-cloud").expect("genesys-cloud");
    let csp = spec.service("vmware-csp").expect("vmware-csp");
    let ops = |s: &spec::ServiceFiles| s.groups.iter().map(|g| g.value.operations.len()).sum::<usize>();
    let legacy = |s: &spec::ServiceFiles| s.groups.iter().flat_map(|g| &g.value.operations).map(|o| o.legacy_names.len()).sum::<usize>();
    for s in [genesys, csp] {
        assert!(ops(s) > 0 && !s.models.is_empty() && !s.service.value.hosts.list.is_empty(), "{}", s.service.value.service);
        assert!(s.groups.iter().all(|g| !g.value.operations.is_empty()));
    }
    assert!(legacy(genesys) > 0, "the older SDK generation's names are kept");
}

#[test]
fn docs_check_finds_no_difference() {
    let Some(dir) = shared() else { return };
    let spec = committed();
    let report = docs::check(&spec, &dir).unwrap();
    assert_eq!(report.differences(), 0, "{}", docs::render(&report));
    // Every Genesys operation, legacy name and model of the spec was compared with a page.
    let genesys = spec.service("genesys-cloud").expect("genesys-cloud");
    let operations = genesys.groups.iter().flat_map(|g| &g.value.operations);
    assert_eq!(report.operations, operations.clone().count());
    assert_eq!(report.legacy_names, operations.map(|o| o.legacy_names.len()).sum::<usize>());
    assert_eq!(report.models, genesys.models.len());
    // The older pages' disagreements (optional bodies, fewer parameters) are information.
    assert!(report.findings.iter().all(|f| f.severity == Severity::Info));
    assert!(report.findings.iter().any(|f| f.message.contains("body is optional on this page")));
}

/// Newer documentation, simulated by editing a copy of the pages: every kind of change is listed.
#[test]
fn docs_check_lists_what_newer_documentation_changed() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let seeds = tmp.path().join("seeds");
    let reference = tmp.path().join("reference");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::create_dir_all(&reference).unwrap();
    for entry in std::fs::read_dir(shared.join("seeds")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, seeds.join(p.file_name().unwrap())).unwrap();
    }
    let page = std::fs::read_dir(&seeds).unwrap().map(|e| e.unwrap().path()).find(|p| p.to_string_lossy().contains("001_")).unwrap();
    let mut text = std::fs::read_to_string(&page).unwrap();
    let mut edit = |from: &str, to: &str| {
        assert!(text.contains(from), "page lacks {from:?}");
        text = text.replacen(from, to, 1);
    };
    // A new query parameter, a changed default, a renamed operation, a new operation, a new permission.
    edit(
        "**user_count** | **BOOLEAN**| | [optional] [default to true] |",
        "**user_count** | **BOOLEAN**| | [optional] [default to false] |\n**division_id** | **String**| Division | [optional] |",
    );
    edit(
        "## [**AuthzDivision**](AuthzDivision.html) get_authorization_divisions_home",
        "## [**AuthzDivision**](AuthzDivision.html) get_home_division",
    );
    edit(
        "Requires ANY permissions:\n* authorization:division:delete",
        "Requires ANY permissions:\n* authorization:division:delete\n* authorization:division:purge",
    );
    text.push_str(
        "\n## [**AuthzDivision**](AuthzDivision.html) get_authorization_division_children(division_id)\n\
        Wraps GET /api/v2/authorization/divisions/{divisionId}/children\nRequires NO permissions:\n",
    );
    std::fs::write(&page, text).unwrap();
    // A new model field and a removed enum value in the reference.
    let models = std::fs::read_to_string(shared.join("reference/models.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&models).unwrap();
    let m = json["models"].as_array_mut().unwrap().iter_mut().find(|m| m["name"] == "AuthzDivision").unwrap();
    m["fields"].as_array_mut().unwrap().push(serde_json::json!({"name": "parentId", "type": "str", "required": false, "description": ""}));
    let subject = json["models"].as_array_mut().unwrap().iter_mut().find(|m| m["name"] == "Contact").unwrap();
    let field = subject["fields"].as_array_mut().unwrap().iter_mut().find(|f| f.get("enum").is_some()).unwrap();
    let removed = field["enum"].as_array_mut().unwrap().remove(0);
    std::fs::write(reference.join("models.json"), serde_json::to_string(&json).unwrap()).unwrap();

    let report = docs::check(&committed(), tmp.path()).unwrap();
    let text = docs::render(&report);
    let has = |needle: &str| report.findings.iter().any(|f| f.severity == Severity::Difference && f.message.contains(needle));
    assert!(has("parameter `division_id` (String) is documented but not in the spec"), "{text}");
    assert!(has("parameter `user_count`: documented default `false`, the spec has `true`"), "{text}");
    // A rename shows up twice: the old name is no longer documented, and the new one is not in the spec.
    assert!(
        has("`get_authorization_divisions_home` (GET /api/v2/authorization/divisions/home) is in the spec but not documented"),
        "{text}"
    );
    assert!(
        has(
            "`get_home_division` is not in the spec; the spec has GET /api/v2/authorization/divisions/home as `get_authorization_divisions_home`: add `get_home_division` to its `legacy_names`"
        ),
        "{text}"
    );
    assert!(
        has(
            "operation `get_authorization_division_children` (GET /api/v2/authorization/divisions/{divisionId}/children) is documented but not in the spec"
        ),
        "{text}"
    );
    assert!(has("permission `authorization:division:purge` is documented but not in the spec"), "{text}");
    assert!(has("field `parentId` (str) is in the reference but not in the spec"), "{text}");
    assert!(has(&format!("enum value `{}` is in the spec but not in the reference", removed.as_str().unwrap())), "{text}");
    assert_eq!(report.differences(), 8, "{text}");
}

#[test]
fn permissions_report_is_up_to_date() {
    let report = api_codegen::report::permissions(&committed());
    let committed_report = std::fs::read_to_string(root().join("docs/permissions.md")).unwrap_or_default();
    assert!(report == committed_report, "docs/permissions.md is stale: run `cargo xtask permissions`");
    assert!(report.contains("| `authorization:grant:add` | `post_authorization_divisions` (all),"));
}
