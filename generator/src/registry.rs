//! Every output of `cargo xtask codegen`, in one registry, with one generate / check / write
//! path: client code, fixture clients, conformance tests, the spec's JSON Schemas and the
//! permissions report. A new output is one more entry in [`outputs`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::layout::Layout;
use crate::output::{self, Drift};
use crate::{CodegenError, emit, ir, report, schema, spec};

/// One output: what it is made from and where it goes.
#[derive(Debug, Clone)]
pub struct Output {
    /// Where it goes, relative to the workspace root.
    pub dir: PathBuf,
    /// What it is made from.
    pub source: Source,
}

/// What an output is made from, and so how it is generated.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Source {
    /// Client modules from a spec folder (relative to the root), into a crate's `src/`.
    Client {
        /// The spec folder.
        spec: PathBuf,
        /// Emitter settings.
        options: emit::Options,
    },
    /// One conformance test per operation of a spec folder, into a crate's `tests/`.
    ConformanceTests {
        /// The spec folder.
        spec: PathBuf,
        /// The client crate the tests call.
        crate_name: String,
    },
    /// The JSON Schemas of the spec format.
    Schemas,
    /// The names ledger of each service of a spec folder ([`crate::names_lock`]), into that
    /// folder: read by codegen and written back.
    NamesLock {
        /// The spec folder.
        spec: PathBuf,
    },
    /// The permissions report of a spec folder.
    Permissions {
        /// The spec folder.
        spec: PathBuf,
    },
    /// The `[features]` table of the crate manifest in the output's folder: one feature per
    /// group of `spec`, and features forwarding to the groups of `forward`'s spec in a
    /// dependency (a test crate gating its tests by the client's features).
    Features {
        /// The spec folder of the crate's own modules.
        spec: PathBuf,
        /// Another spec folder and the dependency generated from it.
        forward: Option<(PathBuf, String)>,
    },
}

impl Output {
    /// Whether the output owns its folder: generated files it no longer produces are removed
    /// (code), or it is a set of documents in a folder shared with other files (schemas, docs).
    pub fn owns_folder(&self) -> bool {
        match self.source {
            Source::Client { .. } | Source::ConformanceTests { .. } => true,
            Source::Schemas
            | Source::NamesLock { .. }
            | Source::Permissions { .. }
            | Source::Features { .. } => false,
        }
    }

    /// The spec folder it is made from, if any.
    pub fn spec(&self) -> Option<&Path> {
        match &self.source {
            Source::Client { spec, .. }
            | Source::ConformanceTests { spec, .. }
            | Source::NamesLock { spec }
            | Source::Permissions { spec }
            | Source::Features { spec, .. } => Some(spec),
            Source::Schemas => None,
        }
    }

    /// Every spec folder it reads.
    fn specs(&self) -> Vec<&Path> {
        let forward = match &self.source {
            Source::Features {
                forward: Some((spec, _)),
                ..
            } => Some(spec.as_path()),
            _ => None,
        };
        self.spec().into_iter().chain(forward).collect()
    }
}

/// Everything `cargo xtask codegen` produces, where `layout` puts it.
pub fn outputs(layout: &Layout) -> Vec<Output> {
    let (spec, fixtures) = (&layout.spec, &layout.tests.fixtures);
    vec![
        Output {
            dir: layout.client.dir.join("src"),
            source: Source::Client {
                spec: spec.clone(),
                options: layout.client_options(),
            },
        },
        Output {
            dir: layout.tests.dir.join("src"),
            source: Source::Client {
                spec: fixtures.clone(),
                options: layout.fixture_options(),
            },
        },
        Output {
            dir: layout.tests.conformance.clone(),
            source: Source::ConformanceTests {
                spec: spec.clone(),
                crate_name: layout.client_crate(),
            },
        },
        Output {
            dir: layout.schemas.clone(),
            source: Source::Schemas,
        },
        Output {
            dir: spec.clone(),
            source: Source::NamesLock { spec: spec.clone() },
        },
        Output {
            dir: fixtures.clone(),
            source: Source::NamesLock {
                spec: fixtures.clone(),
            },
        },
        Output {
            dir: layout.reports.clone(),
            source: Source::Permissions { spec: spec.clone() },
        },
        Output {
            dir: layout.client.dir.clone(),
            source: Source::Features {
                spec: spec.clone(),
                forward: None,
            },
        },
        Output {
            dir: layout.tests.dir.clone(),
            source: Source::Features {
                spec: fixtures.clone(),
                forward: Some((spec.clone(), layout.client.package.clone())),
            },
        },
    ]
}

/// One output's files, generated in memory: paths relative to its folder → contents.
#[derive(Debug)]
pub struct Generated {
    /// The output.
    pub output: Output,
    /// Its files.
    pub files: BTreeMap<PathBuf, String>,
}

/// Generates every output in memory, loading and resolving each spec folder once. Paths are
/// relative to the current directory, the workspace root, so diagnostics and file headers
/// name `spec/...` wherever the repository is checked out.
///
/// # Errors
///
/// The first spec that does not load, or emitted code that does not parse.
pub fn generate(outputs: Vec<Output>) -> Result<Vec<Generated>, CodegenError> {
    let mut resolved: BTreeMap<PathBuf, (spec::Spec, ir::Api)> = BTreeMap::new();
    for dir in outputs.iter().flat_map(Output::specs) {
        if !resolved.contains_key(dir) {
            let spec = spec::load(dir)?;
            let api = ir::build(&spec)?;
            resolved.insert(dir.to_path_buf(), (spec, api));
        }
    }
    let mut generated = Vec::with_capacity(outputs.len());
    for output in outputs {
        let files = match &output.source {
            Source::Client { spec, options } => emit::generate(&resolved[spec].1, options)?,
            Source::ConformanceTests { spec, crate_name } => {
                emit::conformance_tests(&resolved[spec].1, spec, crate_name)?
            }
            Source::Schemas => schema::schemas()
                .into_iter()
                .map(|(name, text)| (PathBuf::from(name), text))
                .collect(),
            Source::NamesLock { spec } => names_locks(&resolved[spec].1),
            Source::Permissions { spec } => BTreeMap::from([(
                PathBuf::from("permissions.md"),
                report::permissions(&resolved[spec].0),
            )]),
            Source::Features { spec, forward } => {
                let path = output.dir.join("Cargo.toml");
                let current =
                    std::fs::read_to_string(&path).map_err(|source| CodegenError::Manifest {
                        path: path.clone(),
                        source,
                    })?;
                let forward = forward
                    .as_ref()
                    .map(|(spec, dependency)| (&resolved[spec].1, dependency.as_str()));
                BTreeMap::from([(
                    PathBuf::from("Cargo.toml"),
                    crate::manifest::with_features(&current, &resolved[spec].1, forward),
                )])
            }
        };
        generated.push(Generated { output, files });
    }
    Ok(generated)
}

/// Each service's ledger, at `<service folder>/names.lock` under the spec folder.
fn names_locks(api: &ir::Api) -> BTreeMap<PathBuf, String> {
    api.services
        .iter()
        .map(|s| {
            let folder = s
                .spec_dir
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_default();
            (folder.join(crate::names_lock::FILE_NAME), s.names.render())
        })
        .collect()
}

/// Compares each output with the disk, or with `write`, brings the disk in line. Returns what
/// differs (or was changed). Call it only with everything generated, so a failure leaves
/// every output as it was.
///
/// # Errors
///
/// When a file cannot be read or written.
pub fn sync(generated: &[Generated], write: bool) -> std::io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for g in generated {
        let dir = g.output.dir.as_path();
        let changes = match (g.output.owns_folder(), write) {
            (true, false) => output::check(dir, &g.files)?,
            (true, true) => output::write(dir, &g.files)?,
            (false, false) => output::check_documents(dir, &g.files)?,
            (false, true) => output::write_documents(dir, &g.files)?,
        };
        drift.extend(changes);
    }
    Ok(drift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_outputs_own_their_folders_and_documents_do_not() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let outputs = outputs(&Layout::read(root).unwrap());
        let owning: Vec<&Path> = outputs
            .iter()
            .filter(|o| o.owns_folder())
            .map(|o| o.dir.as_path())
            .collect();
        assert_eq!(
            owning,
            [
                Path::new("generated/src"),
                Path::new("tests/src"),
                Path::new("tests/tests/generated")
            ]
        );
        let specs: Vec<Option<&Path>> = outputs.iter().map(Output::spec).collect();
        assert_eq!(
            specs,
            [
                Some(Path::new("spec")),
                Some(Path::new("tests/fixtures/spec")),
                Some(Path::new("spec")),
                None,
                Some(Path::new("spec")),
                Some(Path::new("tests/fixtures/spec")),
                Some(Path::new("spec")),
                Some(Path::new("spec")),
                Some(Path::new("tests/fixtures/spec"))
            ]
        );
        // The test crate's features also forward to the client's groups.
        let read: Vec<Vec<&Path>> = outputs.iter().map(Output::specs).collect();
        assert_eq!(
            read[8],
            [Path::new("tests/fixtures/spec"), Path::new("spec")]
        );
    }
}
