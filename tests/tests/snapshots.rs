//! One insta snapshot per file generated from the fixture specs (`tests/fixtures/spec`): per
//! model, per API group, per service root. They guard the generator: a change to it shows here,
//! unit by unit (`cargo insta review`); CI (`CI=true`) fails on a snapshot that was not accepted.
//! The real spec's output is not snapshotted: it is checked in (`generated/`) and guarded by
//! `codegen --check`, so a reviewer reads each of its changes once.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn every_generated_file_matches_its_snapshot() {
    std::env::set_current_dir(root()).unwrap();
    let layout = api_codegen::layout::Layout::read(root()).unwrap();
    let mut failures = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    let mut count = 0;
    let generated = api_codegen::registry::generate(api_codegen::registry::outputs(&layout))
        .unwrap_or_else(|e| panic!("{e}"));
    let fixtures = Path::new("tests/fixtures/spec");
    for g in generated
        .into_iter()
        .filter(|g| g.output.owns_folder() && g.output.spec() == Some(fixtures))
    {
        for (path, text) in g.files {
            count += 1;
            let name = format!("{}/{}", g.output.dir.display(), path.display())
                .trim_end_matches(".rs")
                .replace("/src/", "/")
                .replace('/', "__");
            names.insert(format!("{name}.snap"));
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
    assert!(count > 0, "no file generated from {}", fixtures.display());
    assert!(
        failures.is_empty(),
        "{} snapshots differ (review with `cargo insta review`): {failures:#?}",
        failures.len()
    );
    // A snapshot no generated file produces guards nothing (what `--unreferenced=reject` checks).
    let orphans: Vec<String> = std::fs::read_dir("tests/tests/snapshots")
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|file| file.ends_with(".snap") && !names.contains(file))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots of files no longer generated: delete them: {orphans:?}"
    );
}
