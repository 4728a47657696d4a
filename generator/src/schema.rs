//! JSON Schemas of the spec files, derived from the Rust types in [`crate::spec::format`].
//!
//! The schemas are committed under `spec/schema/` so editors validate YAML as it is
//! typed (each spec file names its schema in a `yaml-language-server` modeline);
//! `cargo xtask codegen` rewrites them (they are an output of [`crate::registry`]) and `codegen --check` fails when they are stale.

use schemars::{JsonSchema, schema_for};

use crate::spec::format::{GroupFile, ModelFile, ServiceFile};

/// `(file name, schema JSON)` for each kind of spec file, in a fixed order.
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        ("service.schema.json", render::<ServiceFile>()),
        ("group.schema.json", render::<GroupFile>()),
        ("model.schema.json", render::<ModelFile>()),
    ]
}

fn render<T: JsonSchema>() -> String {
    let schema = schema_for!(T);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
