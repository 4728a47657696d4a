//! The committed spec: valid, complete, in sync with its JSON Schemas, and
//! conformant with the vendor documentation in `../shared`.

use std::path::{Path, PathBuf};

use api_codegen::docs::{self, Severity};
use api_codegen::spec::{self, Spec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
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
    eprintln!(
        "skipped: {} not found; the docs conformance check needs the vendor documents beside the repository",
        dir.display()
    );
    None
}

#[test]
fn committed_spec_is_valid_and_complete() {
    let spec = committed();
    let genesys = spec.service("genesys-cloud").expect("genesys-cloud");
    let csp = spec.service("vmware-csp").expect("vmware-csp");
    let ops = |s: &spec::ServiceFiles| {
        s.groups
            .iter()
            .map(|g| g.value.operations.len())
            .sum::<usize>()
    };
    let legacy = |s: &spec::ServiceFiles| {
        s.groups
            .iter()
            .flat_map(|g| &g.value.operations)
            .map(|o| o.legacy_names.len())
            .sum::<usize>()
    };
    for s in [genesys, csp] {
        assert!(
            ops(s) > 0 && !s.models.is_empty() && !s.service.value.hosts.list.is_empty(),
            "{}",
            s.service.value.service
        );
        assert!(s.groups.iter().all(|g| !g.value.operations.is_empty()));
    }
    assert!(
        legacy(genesys) > 0,
        "the older SDK generation's names are kept"
    );
}

/// The vendor's documentation at the release the spec follows: the repository form of
/// `../shared/reference/genesys-python-sdk-249.0.0`.
fn release_docs() -> Option<PathBuf> {
    let dir = root().join("../shared/reference/genesys-python-sdk-249.0.0");
    if dir.join("models.json").is_file() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: CI must check the spec against the release it follows",
            dir.display()
        );
    }
    eprintln!("skipped: {} not found", dir.display());
    None
}

/// Operations of the held Genesys groups the current documentation still lists.
fn documented_operations(spec: &Spec) -> Vec<&api_codegen::spec::format::Operation> {
    let genesys = spec.service("genesys-cloud").expect("genesys-cloud");
    genesys
        .groups
        .iter()
        .flat_map(|g| &g.value.operations)
        .filter(|o| o.undocumented_since.is_none())
        .collect()
}

#[test]
fn docs_check_finds_no_difference_with_the_release_the_spec_follows() {
    let Some(dir) = release_docs() else { return };
    let spec = committed();
    let report = docs::check(&spec, &dir).unwrap();
    let text = docs::render(&report);
    assert_eq!(report.differences(), 0, "{text}");
    assert!(
        text.starts_with(&format!("# Documentation check: {}\n", dir.display())),
        "{text}"
    );
    // Every operation it lists was compared; the ones it dropped are kept and said to be.
    assert_eq!(
        report.operations,
        documented_operations(&spec).len(),
        "{text}"
    );
    let genesys = spec.service("genesys-cloud").unwrap();
    let dropped: Vec<&str> = genesys
        .groups
        .iter()
        .flat_map(|g| &g.value.operations)
        .filter(|o| o.undocumented_since.is_some())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        dropped,
        [
            "delete_user_roles",
            "get_authorization_divisionspermitted_subject_id"
        ]
    );
    for name in dropped {
        assert!(report.findings.iter().any(|f| f.severity == Severity::Info
            && f.subject.ends_with(name)
            && f.message.contains("no longer documented")));
    }
    // The other groups of the API are told apart from differences.
    let not_held = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::NotHeld)
        .count();
    let held = report.pages.iter().filter(|p| p.held).count();
    assert!(held >= 2, "{text}");
    assert_eq!(not_held + held, report.pages.len(), "{text}");
    assert!(report.models >= 100 && report.fields > 800, "{text}");
    // Every model the service holds is compared, reached by a documented operation or not.
    assert_eq!(report.models, genesys.models.len(), "{text}");
}

#[test]
fn docs_check_against_older_pages_tells_omissions_from_what_the_spec_holds_beyond_them() {
    let Some(dir) = shared() else { return };
    let spec = committed();
    let report = docs::check(&spec, &dir).unwrap();
    let text = docs::render(&report);
    assert_eq!(report.differences(), 0, "{text}");
    // Every legacy name is confirmed by an older page.
    let genesys = spec.service("genesys-cloud").expect("genesys-cloud");
    let operations = genesys.groups.iter().flat_map(|g| &g.value.operations);
    assert_eq!(
        report.legacy_names,
        operations
            .clone()
            .map(|o| o.legacy_names.len())
            .sum::<usize>()
    );
    // What the spec holds beyond the seeds (newer operations, models, parameters) is not a difference.
    let beyond = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Beyond);
    assert!(
        beyond
            .clone()
            .any(|f| f.subject == "AuthorizationApi.get_authorization_policies"),
        "{text}"
    );
    assert!(
        beyond
            .clone()
            .any(|f| f.subject == "model AuthorizationPolicy"),
        "{text}"
    );
    assert!(
        beyond.clone().any(|f| f
            .message
            .contains("path parameter `user_id` is `subject_id` in the spec")),
        "{text}"
    );
    // The seeds' operations are all in the spec, under their names or as legacy aliases.
    assert!(report.operations >= 55, "{text}");
    // Each held class has one newest page; what an older page says is information only.
    assert!(
        report.pages.iter().all(|p| p.file.ends_with(".txt")),
        "{text}"
    );
    let held: Vec<&str> = report
        .pages
        .iter()
        .filter(|p| p.held)
        .map(|p| p.class.as_str())
        .collect();
    for class in &held {
        let newest = report
            .pages
            .iter()
            .filter(|p| p.class == *class && p.primary);
        assert_eq!(newest.count(), 1, "{class}: {text}");
    }
    let older: Vec<String> = report
        .pages
        .iter()
        .filter(|p| p.held && !p.primary)
        .map(|p| format!("{}:", p.file))
        .collect();
    assert!(!older.is_empty(), "{text}");
    let from_older = report
        .findings
        .iter()
        .filter(|f| older.iter().any(|o| f.source.starts_with(o.as_str())));
    assert!(from_older.clone().count() > 0, "{text}");
    for f in from_older {
        assert!(
            matches!(f.severity, Severity::Info | Severity::PagesAndCode),
            "{f:?}"
        );
    }
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message.contains("body is optional on this page"))
    );

    // An omission stays a difference however old the page: a permission the spec lacks.
    let tmp = copy_seeds(&dir);
    edit_page(
        &tmp,
        "001_",
        "* authorization:division:delete",
        "* authorization:division:delete\n* authorization:division:purge",
    );
    let report = docs::check(&spec, tmp.path()).unwrap();
    let differences: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Difference)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        differences,
        ["permission `authorization:division:purge` is documented but not in the spec"]
    );
}

/// A copy of `../shared`'s seeds and model reference, to edit.
fn copy_seeds(shared: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["seeds", "reference"] {
        std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
    }
    for entry in std::fs::read_dir(shared.join("seeds")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, tmp.path().join("seeds").join(p.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        shared.join("reference/models.json"),
        tmp.path().join("reference/models.json"),
    )
    .unwrap();
    tmp
}

/// Replaces the first `from` with `to` in the page whose file name starts with `prefix`.
fn edit_page(dir: &tempfile::TempDir, prefix: &str, from: &str, to: &str) {
    let folder = ["seeds", "docs"]
        .map(|f| dir.path().join(f))
        .into_iter()
        .find(|f| f.is_dir())
        .unwrap();
    let page = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", page.display());
    std::fs::write(&page, text.replacen(from, to, 1)).unwrap();
}

/// Newer documentation, simulated by editing a copy of the release's pages: every kind of change
/// is a difference.
#[test]
fn docs_check_lists_what_newer_documentation_changed() {
    let Some(release) = release_docs() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("docs")).unwrap();
    for page in ["AuthorizationApi.md", "OrganizationAuthorizationApi.md"] {
        let text = std::fs::read_to_string(release.join("docs").join(page)).unwrap();
        std::fs::write(
            tmp.path().join("docs").join(page),
            text.replace("249.0.0_", "250.0.0_"),
        )
        .unwrap();
    }
    // An older page of the same class beside them (website form, no release): information only,
    // and it does not make the release's pages count as older.
    let seeds = shared().expect("the seeds beside the release");
    std::fs::copy(
        seeds.join("seeds/004_a7532234f4c96b6e.txt"),
        tmp.path().join("docs/SeedAuthorizationApi.md"),
    )
    .unwrap();
    // The release's SDK types (`LocalDateTime`) are documented on its index page.
    std::fs::copy(
        release.join("docs/index.md"),
        tmp.path().join("docs/index.md"),
    )
    .unwrap();
    // A new query parameter, a changed default, a renamed operation, a new operation, a new permission.
    edit_page(
        &tmp,
        "AuthorizationApi",
        "| **user_count** | **bool**|  | [optional] [default to True] |",
        "| **user_count** | **bool**|  | [optional] [default to False] |\n| **division_id** | **str**| Division | [optional] |\n| **since** | **LocalDateTime**| Since | [optional] |",
    );
    edit_page(
        &tmp,
        "AuthorizationApi",
        "## get_authorization_divisions_home",
        "## get_home_division",
    );
    edit_page(
        &tmp,
        "AuthorizationApi",
        "* authorization:division:delete",
        "* authorization:division:delete\n* authorization:division:purge",
    );
    edit_page(
        &tmp,
        "AuthorizationApi",
        "\n_PureCloudPlatformClientV2",
        "\n## get_authorization_division_children\n\nWraps GET /api/v2/authorization/divisions/{divisionId}/children\n\nRequires no permissions\n\n_PureCloudPlatformClientV2",
    );
    // Another path for an operation, and a return type where there was none.
    edit_page(
        &tmp,
        "AuthorizationApi",
        "Wraps GET /api/v2/authorization/divisions/limit ",
        "Wraps GET /api/v2/authorization/divisions/limits ",
    );
    edit_page(
        &tmp,
        "AuthorizationApi",
        "void (empty response body)",
        "[**AuthzDivision**](AuthzDivision)",
    );
    // A new model field and a removed enum value in the reference.
    let models = std::fs::read_to_string(release.join("models.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&models).unwrap();
    let m = json["models"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["name"] == "AuthzDivision")
        .unwrap();
    m["fields"].as_array_mut().unwrap().push(serde_json::json!({"name": "parentId", "type": "str", "required": false, "description": ""}));
    // A new model that only a new field reaches.
    m["fields"].as_array_mut().unwrap().push(serde_json::json!({"name": "parent", "type": "DivisionParent", "required": false, "description": ""}));
    json["models"].as_array_mut().unwrap().push(serde_json::json!({"name": "DivisionParent", "fields": [{"name": "id", "type": "str", "required": false, "description": ""}]}));
    let subject = json["models"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["name"] == "Contact")
        .unwrap();
    let field = subject["fields"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f.get("enum").is_some())
        .unwrap();
    let removed = field["enum"].as_array_mut().unwrap().remove(0);
    std::fs::write(
        tmp.path().join("models.json"),
        serde_json::to_string(&json).unwrap(),
    )
    .unwrap();

    let report = docs::check(&committed(), tmp.path()).unwrap();
    let text = docs::render(&report);
    let has = |needle: &str| {
        report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Difference && f.message.contains(needle))
    };
    assert!(
        has("parameter `division_id` (str) is documented but not in the spec"),
        "{text}"
    );
    assert!(
        has("parameter `user_count`: documented default `false`, the spec has `true`"),
        "{text}"
    );
    // A rename shows up twice: the old name is no longer documented, and the new one is not in the spec.
    assert!(
        has(
            "`get_authorization_divisions_home` (GET /api/v2/authorization/divisions/home) is in the spec but not documented"
        ),
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
    assert!(
        has("permission `authorization:division:purge` is documented but not in the spec"),
        "{text}"
    );
    assert!(
        has("field `parentId` (str) is in the reference but not in the spec"),
        "{text}"
    );
    assert!(
        has(&format!(
            "enum value `{}` is in the spec but not in the reference",
            removed.as_str().unwrap()
        )),
        "{text}"
    );
    assert!(
        has(
            "model `DivisionParent` (1 fields) is reached by a documented operation of a held group but not in the spec"
        ),
        "{text}"
    );
    assert!(
        has("field `parent` (DivisionParent) is in the reference but not in the spec"),
        "{text}"
    );
    assert!(
        has(
            "documented as GET /api/v2/authorization/divisions/limits, the spec has GET /api/v2/authorization/divisions/limit"
        ),
        "{text}"
    );
    assert!(
        has("documented return type AuthzDivision, the spec has nothing"),
        "{text}"
    );
    // An SDK type (the index page's) is read as what it stands for, not as a body model.
    assert!(
        has("parameter `since` (LocalDateTime) is documented but not in the spec"),
        "{text}"
    );
    assert_eq!(report.differences(), 13, "{text}");
}

#[test]
fn permissions_report_is_up_to_date() {
    let report = api_codegen::report::permissions(&committed());
    let committed_report =
        std::fs::read_to_string(root().join("docs/permissions.md")).unwrap_or_default();
    assert!(
        report == committed_report,
        "docs/permissions.md is stale: run `cargo xtask permissions`"
    );
    assert!(report.contains("| `authorization:grant:add` | `post_authorization_divisions` (all),"));
}

/// A model compiled with some groups names only models compiled whenever it is: every model it
/// references has the service's gate or a superset of its groups. Else enabling one group would
/// not compile.
#[test]
fn model_gates_are_closed_under_references() {
    use api_codegen::ir::{Gate, ModelId, RustType};
    let api = api_codegen::ir::build(&committed()).unwrap();
    let mut checked = 0;
    for s in &api.services {
        fn model(t: &RustType) -> Option<ModelId> {
            match t {
                RustType::Model(m) => Some(m.id),
                RustType::Vec(t) | RustType::Map(t) => model(t),
                _ => None,
            }
        }
        for m in &s.models {
            let Gate::Groups(mine) = &m.gate else {
                continue;
            };
            assert!(!mine.is_empty(), "{} is compiled with no group", m.name);
            for f in &m.fields {
                let Some(target) = model(&f.ty) else { continue };
                checked += 1;
                let target = s.model(target);
                if let Gate::Groups(theirs) = &target.gate {
                    assert!(
                        mine.iter().all(|g| theirs.contains(g)),
                        "{}.{} → {}",
                        m.name,
                        f.wire,
                        target.name
                    );
                }
            }
        }
        // The error model goes with the service: every operation may return it.
        assert_eq!(
            s.models
                .iter()
                .find(|m| m.type_name == s.error_model)
                .map(|m| &m.gate),
            Some(&Gate::Service)
        );
    }
    assert!(checked > 0, "no gated model references another");
    let gated = api
        .services
        .iter()
        .flat_map(|s| &s.models)
        .filter(|m| matches!(m.gate, Gate::Groups(_)))
        .count();
    assert!(gated > 0, "some models are compiled with only some groups");
}
