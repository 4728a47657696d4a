//! The code generator: spec files in, a Rust client crate out.
//!
//! The pipeline and the folders are described in `ARCHITECTURE.md` at the
//! repository root. In short, data flows one way:
//!
//! spec files → [`spec::load`] (parse, validate) → [`ir::build`] (Rust names, types,
//! boxing) → [`emit::generate`] (`quote!` → `syn::File` → `prettyplease`) →
//! [`output::write`] (only after everything generated). [`registry`] lists every output
//! (code, schemas, reports) with one generate / check / write path, placed where [`layout`]
//! (the repository's `codegen.yaml`) says.
//!
//! [`docs`] compares the spec with the vendor's documentation pages; [`import`] writes the
//! spec from them.

pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod import;
pub mod ir;
pub mod layout;
pub mod manifest;
pub mod names_lock;
pub mod naming;
pub mod output;
pub mod registry;
pub mod release;
pub mod report;
pub mod schema;
pub mod spec;
pub mod surface;
mod text;

/// Why code generation stopped. Nothing was written when it did.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec has errors (rendered rustc-style).
    #[error("{0}")]
    Spec(#[from] diagnostic::Report),
    /// The spec passed validation but cannot be resolved (a generator bug).
    #[error(transparent)]
    Ir(#[from] ir::IrError),
    /// The emitter produced invalid Rust (a generator bug).
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    /// A crate manifest whose features are generated cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Manifest {
        /// The manifest.
        path: std::path::PathBuf,
        /// Why it cannot be read.
        source: std::io::Error,
    },
}

/// Loads, validates and generates the client modules of one spec folder, in memory.
///
/// # Errors
///
/// The spec's diagnostics, or emitted code that does not parse.
pub fn generate(
    spec_root: &std::path::Path,
    options: &emit::Options,
) -> Result<std::collections::BTreeMap<std::path::PathBuf, String>, CodegenError> {
    let spec = spec::load(spec_root)?;
    let api = ir::build(&spec)?;
    Ok(emit::generate(&api, options)?)
}
