//! The import's last line of defence: a plan the spec does not accept is narrowed, file by
//! file, until it is.
//!
//! The merge turns what it does not know into warnings and faithful stand-ins, but the
//! validator knows rules the merge does not repeat (names with a Rust form, no two names that
//! become one). A file of the plan that breaks one is left out — a model file the release
//! added is not written, a file the spec holds keeps its content — with a warning naming the
//! file and the first problem, and everything else is imported. A group file that uses a
//! model left out breaks in turn and is left out the same way on the next round.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Import;
use crate::spec::{self, Spec};

/// The spec as the import leaves it, loaded from a scratch copy that lives as long as it does.
#[derive(Debug)]
pub struct Settled {
    /// The imported spec (its paths are in the scratch copy).
    pub spec: Spec,
    _scratch: tempfile::TempDir,
}

/// Applies `plan` to a copy of the spec under `spec.root` and loads it; leaves out of `plan`
/// (with a warning each) the files that keep it from validating.
///
/// # Errors
///
/// When the copy cannot be made, or the spec does not validate for a reason no file of the
/// plan explains (the spec did not validate before the import).
pub fn settle(spec: &Spec, plan: &mut Import) -> Result<Settled, String> {
    let scratch = tempfile::Builder::new()
        .prefix("import-")
        .tempdir()
        .map_err(|e| format!("cannot make a scratch folder: {e}"))?;
    let copy = scratch.path().join("spec");
    copy_dir(&spec.root, &copy).map_err(|e| format!("cannot copy {}: {e}", spec.root.display()))?;
    crate::output::write_documents(&copy, &plan.files)
        .map_err(|e| format!("cannot write the imported files: {e}"))?;
    loop {
        let report = match spec::load(&copy) {
            Ok(imported) => {
                return Ok(Settled {
                    spec: imported,
                    _scratch: scratch,
                });
            }
            Err(report) => report,
        };
        let mut left_out = BTreeSet::new();
        for d in &report.diagnostics {
            let Ok(relative) = d.file.strip_prefix(&copy) else {
                continue;
            };
            if plan.files.contains_key(relative) && left_out.insert(relative.to_path_buf()) {
                let kept = if spec.root.join(relative).is_file() {
                    "the spec's file kept as it was"
                } else {
                    "not written"
                };
                plan.warnings.push(format!(
                    "{}:{}:{}: the imported file does not validate ({}); {kept}",
                    relative.display(),
                    d.line,
                    d.column,
                    d.message
                ));
            }
        }
        if left_out.is_empty() {
            return Err(format!(
                "{}the spec does not validate, and no imported file is the cause",
                report.render()
            ));
        }
        for relative in &left_out {
            plan.files.remove(relative);
            restore(&spec.root, &copy, relative)
                .map_err(|e| format!("cannot restore {}: {e}", relative.display()))?;
        }
    }
}

/// Puts back in `copy` what `root` holds at `relative` (nothing, for a file the plan added).
fn restore(root: &Path, copy: &Path, relative: &PathBuf) -> std::io::Result<()> {
    let original = root.join(relative);
    if original.is_file() {
        std::fs::copy(original, copy.join(relative)).map(drop)
    } else {
        std::fs::remove_file(copy.join(relative))
    }
}

/// Copies a folder tree.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
