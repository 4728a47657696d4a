//! Reading the spec folder: find the files, parse each one, keep its text and positions.
//!
//! This is the only module that knows `serde_yaml` exists ([`parse_yaml`]). The crate is
//! marked deprecated upstream; `serde_norway` and `serde_yaml_ng` keep its API, so
//! replacing it is a change to this one function.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::format::{GroupFile, ModelFile, ServiceFile};
use super::locate::Locations;
use crate::diagnostic::{Diagnostic, Sources};
use crate::names_lock::{self, NamesLock};

/// A parsed file with its path and the positions of its nodes.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The file's path, as found under the spec root.
    pub path: PathBuf,
    /// The parsed content.
    pub value: T,
    /// Where each node of the file is.
    pub locations: Locations,
}

/// The parsed files of one service folder.
#[derive(Debug)]
pub struct ServiceFiles {
    /// The folder (`spec/genesys-cloud`).
    pub dir: PathBuf,
    /// `service.yaml`.
    pub service: Parsed<ServiceFile>,
    /// `groups/*.yaml`, sorted by file name.
    pub groups: Vec<Parsed<GroupFile>>,
    /// `models/*.yaml`, sorted by file name.
    pub models: Vec<Parsed<ModelFile>>,
    /// Stems of model files that did not parse (already reported).
    pub unparsed_models: Vec<String>,
    /// `names.lock`, the Rust names generated before ([`crate::names_lock`]); `None` when the
    /// service has none yet (or it did not parse: reported).
    pub names: Option<Parsed<NamesLock>>,
}

/// A syntax or shape error reported by the YAML deserializer.
struct YamlError {
    line: usize,
    column: usize,
    message: String,
}

/// Deserializes one YAML document, rejecting what the target type does not accept.
fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        // serde_yaml writes the position into the message; the diagnostic shows it already.
        // Other positions (where an unclosed scalar began) stay: they help.
        let message = e
            .to_string()
            .replacen(&format!(" at line {line} column {column}"), "", 1);
        YamlError {
            line,
            column,
            message,
        }
    })
}

/// Reads every service folder under `root`. Files that do not parse are reported
/// in `errors` and left out; the caller decides whether to go on.
pub fn read_spec(
    root: &Path,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
) -> Vec<ServiceFiles> {
    let mut services = Vec::new();
    let dirs = match sorted_entries(root) {
        Ok(d) => d,
        Err(e) => {
            errors.push(io_error(sources, root, &e));
            return services;
        }
    };
    for dir in dirs
        .into_iter()
        .filter(|d| d.is_dir() && d.join("service.yaml").is_file())
    {
        let service = read_file::<ServiceFile>(&dir.join("service.yaml"), sources, errors);
        let groups = read_folder::<GroupFile>(&dir.join("groups"), sources, errors);
        let models = read_folder::<ModelFile>(&dir.join("models"), sources, errors);
        let parsed: std::collections::HashSet<&Path> =
            models.iter().map(|m| m.path.as_path()).collect();
        let unparsed_models = yaml_files(&dir.join("models"))
            .iter()
            .filter(|p| !parsed.contains(p.as_path()))
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
            .collect();
        let lock = dir.join(names_lock::FILE_NAME);
        let names = if lock.is_file() {
            read_file::<NamesLock>(&lock, sources, errors)
        } else {
            None
        };
        if let Some(service) = service {
            services.push(ServiceFiles {
                dir,
                service,
                groups,
                models,
                unparsed_models,
                names,
            });
        }
    }
    services
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    Ok(entries)
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    sorted_entries(dir)
        .map(|files| {
            files
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect()
        })
        .unwrap_or_default()
}

fn read_folder<T: DeserializeOwned>(
    dir: &Path,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Parsed<T>> {
    if !dir.exists() {
        return Vec::new();
    }
    if let Err(e) = sorted_entries(dir) {
        errors.push(io_error(sources, dir, &e));
        return Vec::new();
    }
    yaml_files(dir)
        .iter()
        .filter_map(|p| read_file(p, sources, errors))
        .collect()
}

fn read_file<T: DeserializeOwned>(
    path: &Path,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
) -> Option<Parsed<T>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(io_error(sources, path, &e));
            return None;
        }
    };
    sources.insert(path.to_path_buf(), text.clone());
    let locations = Locations::index(&text);
    for dup in &locations.duplicates {
        errors.push(
            sources
                .diagnostic(
                    path,
                    dup.second.clone(),
                    format!("duplicate key `{}`", dup.key),
                    "defined again here",
                )
                .with_related(path, dup.first.clone(), "first defined here")
                .with_help("remove one of the two entries; YAML would silently keep only the last"),
        );
    }
    // Both readers' verdicts are reported: serde_yaml's (values) and saphyr's (positions).
    match (parse_yaml::<T>(&text), &locations.syntax_error) {
        (Ok(value), None) => Some(Parsed {
            path: path.to_path_buf(),
            value,
            locations,
        }),
        (Ok(_), Some((span, message))) => {
            errors.push(
                sources
                    .diagnostic(path, span.clone(), format!("YAML the position reader cannot follow: {message}"), "here")
                    .with_help("the values parse, but positions past this point would be wrong; write this part in plainer YAML"),
            );
            None
        }
        (Err(e), stopped) => {
            let start = sources.offset(path, e.line, e.column);
            let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            let mut d = sources
                .diagnostic(path, start..end.max(start), e.message.clone(), "here")
                .with_help(yaml_help(&e.message));
            if let Some((span, message)) = stopped {
                d = d.with_related(
                    path,
                    span.clone(),
                    format!("the position reader stops here: {message}"),
                );
            }
            errors.push(d);
            None
        }
    }
}

fn yaml_help(message: &str) -> String {
    if message.contains("unknown field") {
        "remove the key or correct its spelling; spec/README.md lists every key".into()
    } else if message.contains("missing field") {
        "add the field; spec/README.md says what it holds".into()
    } else if message.contains("unknown variant") {
        "use one of the expected values".into()
    } else {
        "see spec/README.md for the file format".into()
    }
}

fn io_error(sources: &mut Sources, path: &Path, e: &std::io::Error) -> Diagnostic {
    sources.insert(path.to_path_buf(), String::new());
    sources
        .diagnostic(
            path,
            0..0,
            format!("cannot read `{}`: {e}", path.display()),
            "",
        )
        .with_help("check that the path exists and is readable")
}
