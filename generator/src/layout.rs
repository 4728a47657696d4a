//! Where the repository keeps what codegen reads and writes, and the names of the crates it
//! generates for: one configuration, `codegen.yaml` at the workspace root, which the xtask (and
//! the tests that regenerate) read and pass to [`crate::registry::outputs`]. No other module
//! names a repository folder or a crate.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::emit;

/// The repository's layout; paths are relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The API spec folder.
    pub spec: PathBuf,
    /// Where the spec format's JSON Schemas go.
    pub schemas: PathBuf,
    /// Where generated reports go (the permissions report).
    pub reports: PathBuf,
    /// The client crate.
    pub client: ClientCrate,
    /// The crate of tests: clients of the fixture specs and the conformance tests.
    pub tests: TestCrate,
}

/// The client crate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCrate {
    /// Its folder: `Cargo.toml` (whose features are generated), modules under `src/`.
    pub dir: PathBuf,
    /// Its package name (`genesys-cloud-client`).
    pub package: String,
    /// The package name of the runtime crate it re-exports (`api-runtime`).
    pub runtime_package: String,
}

/// The crate of tests.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCrate {
    /// Its folder: `Cargo.toml` (whose features are generated), fixture clients under `src/`.
    pub dir: PathBuf,
    /// Its package name (`integration-tests`).
    pub package: String,
    /// The fixture specs.
    pub fixtures: PathBuf,
    /// Where the real spec's conformance tests go.
    pub conformance: PathBuf,
}

/// A layout file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct LayoutError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl Layout {
    /// The layout file's name, at the workspace root.
    pub const FILE: &'static str = "codegen.yaml";

    /// Reads the layout of the workspace at `root`.
    ///
    /// # Errors
    ///
    /// A file that cannot be read or does not hold a layout (with its line and column).
    pub fn read(root: &Path) -> Result<Layout, LayoutError> {
        let path = root.join(Layout::FILE);
        let error = |message: String| LayoutError {
            path: path.clone(),
            message,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| error(e.to_string()))?;
        serde_yaml::from_str(&text).map_err(|e| error(e.to_string()))
    }

    /// The emitter's settings for the client crate.
    pub fn client_options(&self) -> emit::Options {
        emit::Options::client(
            &rust_name(&self.client.package),
            &rust_name(&self.client.runtime_package),
        )
    }

    /// The emitter's settings for the fixture clients of the test crate, over the client
    /// crate's runtime.
    pub fn fixture_options(&self) -> emit::Options {
        emit::Options::fixtures(
            &rust_name(&self.tests.package),
            &rust_name(&self.client.package),
        )
    }

    /// The client crate's name as Rust paths write it (`genesys_cloud_client`).
    pub fn client_crate(&self) -> String {
        rust_name(&self.client.package)
    }
}

/// A package's name as Rust paths write it.
fn rust_name(package: &str) -> String {
    package.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_layout_reads_and_names_the_crates() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let layout = Layout::read(root).unwrap();
        assert_eq!(layout.client_crate(), "genesys_cloud_client");
        assert_eq!(layout.client_options().crate_name, "genesys_cloud_client");
        assert_eq!(layout.fixture_options().crate_name, "integration_tests");
        assert_eq!(
            layout.fixture_options().runtime.to_string(),
            ":: genesys_cloud_client :: runtime"
        );
    }

    #[test]
    fn a_broken_layout_names_its_file_and_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let err = Layout::read(dir.path()).unwrap_err();
        assert!(err.path.ends_with(Layout::FILE), "{err}");
        std::fs::write(dir.path().join(Layout::FILE), "spec: spec\nextra: 1\n").unwrap();
        let err = Layout::read(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("unknown field `extra`") && err.contains("line 2"),
            "{err}"
        );
    }
}
