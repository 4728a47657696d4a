//! One insta snapshot per generated file: per model, per API group, per service root, for the
//! real spec and for the fixture specs. A reviewer sees each unit's change on its own
//! (`cargo insta review`); CI (`CI=true`) fails on a snapshot that was not accepted.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn every_generated_file_matches_its_snapshot() {
    std::env::set_current_dir(root()).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    let generated = api_codegen::registry::generate(api_codegen::registry::outputs()).unwrap_or_else(|e| panic!("{e}"));
    // Code outputs only: the schemas and the report are checked in whole and guarded by
    // `codegen --check`.
    for g in generated.into_iter().filter(|g| g.output.owns_folder()) {
        for (path, text) in g.files {
            count += 1;
            let name =
                format!("{}/{}", g.output.dir.display(), path.display()).trim_end_matches(".rs").replace("/src/", "/").replace('/', "__");
            let result = std::panic::catch_unwind(|| {
                insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                    insta::assert_snapshot!(name.as_str(), text);
                });
            });
            if result.is_err() {
                failures.push(name);
            }
        }
    }
    assert!(count > 150, "only {count} generated files");
    assert!(failures.is_empty(), "{} snapshots differ (review with `cargo insta review`): {failures:#?}", failures.len());
}
