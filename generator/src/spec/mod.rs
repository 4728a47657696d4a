//! The spec: its file format, loading, and validation.
//!
//! [`load`] reads a spec folder, parses every file, and checks it; it returns
//! either a [`Spec`] that is known to be valid or a [`Report`] with every
//! problem found, each located by file, line and column.

pub mod format;
pub mod load;
pub mod locate;
pub mod types;
pub mod validate;

use std::path::Path;

use crate::diagnostic::{Report, Sources};
pub use load::{Parsed, ServiceFiles};

/// A spec that has been loaded and validated.
#[derive(Debug)]
pub struct Spec {
    /// Every service, sorted by folder name.
    pub services: Vec<ServiceFiles>,
    /// The files' text, for later diagnostics (docs-check points into them too).
    pub sources: Sources,
    /// The folder the spec was loaded from.
    pub root: std::path::PathBuf,
}

/// Loads and validates the spec under `root` (normally `spec/`).
pub fn load(root: &Path) -> Result<Spec, Report> {
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let services = load::read_spec(root, &mut sources, &mut errors);
    if services.is_empty() && errors.is_empty() {
        sources.insert(root.to_path_buf(), String::new());
        errors.push(
            sources
                .diagnostic(
                    root,
                    0..0,
                    format!("no service found under `{}`", root.display()),
                    "",
                )
                .with_help("a service is a folder holding `service.yaml`; see spec/README.md"),
        );
    }
    validate::validate(&services, &sources, &mut errors);
    if errors.is_empty() {
        Ok(Spec {
            services,
            sources,
            root: root.to_path_buf(),
        })
    } else {
        errors.sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
        errors.dedup();
        Err(Report {
            diagnostics: errors,
            sources,
        })
    }
}

impl Spec {
    /// `path` as generated files name it: as given when relative (the workspace loads
    /// `spec/` and `tests/fixtures/spec/`), else relative to the spec folder's parent, so the
    /// output does not depend on where the repository is checked out.
    pub fn display_path(&self, path: &std::path::Path) -> std::path::PathBuf {
        if path.is_relative() {
            return path.to_path_buf();
        }
        let base = self.root.parent().unwrap_or(&self.root);
        path.strip_prefix(base).unwrap_or(path).to_path_buf()
    }

    /// The service with the given identifier.
    pub fn service(&self, name: &str) -> Option<&ServiceFiles> {
        self.services
            .iter()
            .find(|s| s.service.value.service == name)
    }
}
