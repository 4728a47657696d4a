//! `cargo test` alone catches a forgotten `cargo xtask codegen`: the checked-in generated
//! code must be exactly what the generator produces from the spec in the repository.

use std::path::Path;

#[test]
fn generated_code_is_up_to_date_with_the_spec() {
    std::env::set_current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()).unwrap();
    let mut drift = Vec::new();
    for target in api_codegen::targets() {
        let files = target.generate().unwrap_or_else(|e| panic!("{e}"));
        drift.extend(api_codegen::output::check(&target.out, &files).unwrap());
    }
    let listing: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(drift.is_empty(), "generated code is out of date; run `cargo xtask codegen`:\n{}", listing.join("\n"));
}

#[test]
fn a_broken_spec_generates_nothing() {
    let dir = std::env::temp_dir().join(format!("codegen-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("demo/groups")).unwrap();
    std::fs::write(dir.join("demo/service.yaml"), "service: demo\n").unwrap();
    let err = api_codegen::generate(&dir, &api_codegen::emit::Options::default()).unwrap_err();
    assert!(err.to_string().contains("missing field"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
