//! The code generator: spec files in, a Rust client crate out.
//!
//! The pipeline and the folders are described in `ARCHITECTURE.md` at the
//! repository root. In short, data flows one way:
//!
//! spec files → [`spec::load`] (parse, validate) → [`ir::build`] (Rust names, types,
//! boxing) → [`emit::generate`] (`quote!` → `syn::File` → `prettyplease`) →
//! [`output::write`] (only after everything generated).
//!
//! [`docs`] compares the spec with the vendor's documentation pages.

pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod naming;
pub mod output;
pub mod report;
pub mod schema;
pub mod spec;
mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why code generation stopped. Nothing was written when it did.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec has errors (rendered rustc-style).
    #[error("{0}")]
    Spec(#[from] diagnostic::Report),
    /// The emitter produced invalid Rust (a generator bug).
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
}

/// One spec folder and where its generated code goes.
#[derive(Debug, Clone)]
pub struct Target {
    /// Spec folder, relative to the workspace root.
    pub spec: PathBuf,
    /// Output folder, relative to the workspace root.
    pub out: PathBuf,
    /// Emitter settings.
    pub options: emit::Options,
    /// What is generated.
    pub kind: TargetKind,
}

/// What a target generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// Client modules (into a crate's `src/`).
    Client,
    /// One conformance test per operation (into a crate's `tests/`).
    ConformanceTests,
}

impl Target {
    /// Generates this target's files in memory.
    pub fn generate(&self) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
        match self.kind {
            TargetKind::Client => generate(&self.spec, &self.options),
            TargetKind::ConformanceTests => {
                let spec = spec::load(&self.spec)?;
                let api = ir::build(&spec);
                Ok(emit::conformance_tests(&api, &self.spec, &self.options.crate_name)?)
            }
        }
    }
}

/// Everything `cargo xtask codegen` generates: the client crate from `spec/`, the fixture
/// clients from `tests/fixtures/spec/` (compiled with warnings denied by the tests crate), and
/// a conformance test per operation of `spec/`.
pub fn targets() -> Vec<Target> {
    vec![
        Target { spec: "spec".into(), out: "generated/src".into(), options: emit::Options::default(), kind: TargetKind::Client },
        Target {
            spec: "tests/fixtures/spec".into(),
            out: "tests/src".into(),
            options: emit::Options {
                runtime: quote::quote!(::authz_client::runtime),
                crate_name: "integration_tests".into(),
            },
            kind: TargetKind::Client,
        },
        Target {
            spec: "spec".into(),
            out: "tests/tests/generated".into(),
            options: emit::Options::default(),
            kind: TargetKind::ConformanceTests,
        },
    ]
}

/// Loads, validates and generates: every file of the client, in memory.
pub fn generate(spec_root: &Path, options: &emit::Options) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    let spec = spec::load(spec_root)?;
    let api = ir::build(&spec);
    Ok(emit::generate(&api, options)?)
}
