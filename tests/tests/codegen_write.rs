//! The real write path of `cargo xtask codegen` (generate every output, then sync), in a copy
//! of the workspace's sources in a temporary folder: a broken spec changes no file; a valid one
//! writes what is missing or stale, removes generated files no longer produced, leaves
//! hand-written files alone, and `--check` then finds nothing.
//!
//! One test per binary: it changes the current directory, which the registry's relative paths
//! are resolved against.

use std::fs;
use std::path::{Path, PathBuf};

use api_codegen::layout::Layout;
use api_codegen::output::Drift;
use api_codegen::registry;

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target)
        } else {
            fs::copy(&path, &target).map(drop).unwrap()
        }
    }
}

/// Every file under `dir`, with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path)
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()))
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_write_path_changes_nothing_on_error_and_everything_needed_otherwise() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for dir in [
        "spec",
        "tests/fixtures/spec",
        "generated/src",
        "tests/src",
        "tests/tests/generated",
        "docs",
    ] {
        copy_tree(&repo.join(dir), &root.join(dir));
    }
    for file in ["generated/Cargo.toml", "tests/Cargo.toml", Layout::FILE] {
        fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    std::env::set_current_dir(root).unwrap();
    let layout = Layout::read(root).unwrap();

    // Outdated outputs on disk: a stale generated file, a generated file no longer produced,
    // a stale schema; and a hand-written file among generated ones.
    let stale = root.join("generated/src/genesys_cloud/models/error_body.rs");
    fs::write(&stale, format!("{}\n// old\n", api_codegen::output::HEADER)).unwrap();
    let extra = root.join("generated/src/genesys_cloud/models/gone.rs");
    fs::write(&extra, format!("{}\n", api_codegen::output::HEADER)).unwrap();
    fs::write(root.join("spec/schema/model.schema.json"), "{}").unwrap();
    let hand_written = root.join("generated/src/genesys_cloud/notes.rs");
    let hand_text = b"// A file a person wrote among generated ones.\n".to_vec();
    fs::write(&hand_written, &hand_text).unwrap();

    // A broken spec: nothing generates, so nothing is written.
    let thing = root.join("spec/genesys-cloud/models/UserAuthorization.yaml");
    let good = fs::read_to_string(&thing).unwrap();
    fs::write(
        &thing,
        good.replacen("type: list<DomainRole>", "type: list<DomainRol>", 1),
    )
    .unwrap();
    let before = snapshot(root);
    let err = registry::generate(registry::outputs(&layout)).unwrap_err();
    assert!(
        err.to_string().contains("unknown model `DomainRol`"),
        "{err}"
    );
    assert_eq!(before, snapshot(root), "a failed generation changed files");

    // Fixed: check lists exactly the outdated files and writes nothing; write repairs them.
    fs::write(&thing, good).unwrap();
    let generated = registry::generate(registry::outputs(&layout)).unwrap();
    let drift = registry::sync(&generated, false).unwrap();
    let schema = PathBuf::from("spec/schema/model.schema.json");
    let stale_rel = PathBuf::from("generated/src/genesys_cloud/models/error_body.rs");
    let extra_rel = PathBuf::from("generated/src/genesys_cloud/models/gone.rs");
    assert_eq!(
        drift,
        [
            Drift::Stale(stale_rel.clone()),
            Drift::Extra(extra_rel),
            Drift::Stale(schema)
        ],
        "{drift:#?}"
    );
    assert!(extra.exists(), "check removed nothing");

    let written = registry::sync(&generated, true).unwrap();
    assert_eq!(written, drift);
    assert!(
        !extra.exists(),
        "a generated file no longer produced is removed"
    );
    assert_ne!(
        fs::read_to_string(&stale).unwrap(),
        format!("{}\n// old\n", api_codegen::output::HEADER)
    );
    assert_eq!(
        fs::read(&hand_written).unwrap(),
        hand_text,
        "hand-written files are never touched"
    );
    assert!(
        registry::sync(&generated, false).unwrap().is_empty(),
        "up to date after writing"
    );
    for manifest in ["generated/Cargo.toml", "tests/Cargo.toml"] {
        assert_eq!(
            fs::read(root.join(manifest)).unwrap(),
            fs::read(repo.join(manifest)).unwrap(),
            "{manifest}: features as committed"
        );
    }
    assert_eq!(
        fs::read(&stale).unwrap(),
        fs::read(repo.join(stale_rel)).unwrap(),
        "the same bytes as the repository's"
    );
}
