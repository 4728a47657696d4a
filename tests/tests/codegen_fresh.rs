//! `cargo test` alone catches a forgotten `cargo xtask codegen`: every registered output (client
//! code, fixture clients, conformance tests, JSON Schemas, permissions report) must be exactly
//! what the generator produces from the sources in the repository.

use std::path::Path;

use api_codegen::registry;

#[test]
fn every_generated_file_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::env::set_current_dir(root).unwrap();
    let layout = api_codegen::layout::Layout::read(root).unwrap();
    let generated =
        registry::generate(registry::outputs(&layout)).unwrap_or_else(|e| panic!("{e}"));
    let drift = registry::sync(&generated, false).unwrap();
    let listing: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated files are out of date; run `cargo xtask codegen`:\n{}",
        listing.join("\n")
    );
}
