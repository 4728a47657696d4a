//! `cargo xtask spec-diff [BASE] [HEAD]`: what changed between two spec versions (git
//! revisions or folders), classified by semver impact, and whether the version announces it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use api_codegen::spec;

use crate::{Workspace, release};

/// A spec version: a folder, or `spec/` at a git revision (materialized in a temporary folder).
struct SpecVersion {
    label: String,
    dir: PathBuf,
    version: Option<api_codegen::release::Version>,
    _tmp: Option<tempfile::TempDir>,
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

fn spec_version(ws: &Workspace, arg: &str) -> Result<SpecVersion, String> {
    let root = ws.root.as_path();
    let spec = ws.layout.spec.to_string_lossy().into_owned();
    if arg == "." || arg == "WORKTREE" {
        let version = std::fs::read_to_string(ws.client_manifest())
            .ok()
            .and_then(|t| release::package_version(&t));
        return Ok(SpecVersion {
            label: "working tree".into(),
            dir: ws.layout.spec.clone(),
            version,
            _tmp: None,
        });
    }
    // A folder argument was made absolute from where the command ran.
    if Path::new(arg).is_absolute() && Path::new(arg).is_dir() {
        return Ok(SpecVersion {
            label: arg.to_owned(),
            dir: PathBuf::from(arg),
            version: None,
            _tmp: None,
        });
    }
    let rev = String::from_utf8_lossy(&git(
        root,
        &["rev-parse", "--verify", &format!("{arg}^{{commit}}")],
    )?)
    .trim()
    .to_owned();
    let tmp_dir = tempfile::Builder::new()
        .prefix("spec-diff-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let tmp = tmp_dir.path().to_path_buf();
    let files = String::from_utf8_lossy(&git(
        root,
        &["ls-tree", "-r", "--name-only", &rev, "--", &spec],
    )?)
    .into_owned();
    for file in files
        .lines()
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
    {
        let text = git(root, &["show", &format!("{rev}:{file}")])?;
        let path = tmp.join(file);
        std::fs::create_dir_all(path.parent().unwrap_or(&tmp)).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    let manifest = ws.client_manifest().to_string_lossy().into_owned();
    let version = git(root, &["show", &format!("{rev}:{manifest}")])
        .ok()
        .and_then(|t| release::package_version(&String::from_utf8_lossy(&t)));
    Ok(SpecVersion {
        label: arg.to_owned(),
        dir: tmp.join(&ws.layout.spec),
        version,
        _tmp: Some(tmp_dir),
    })
}

pub(crate) fn run(
    ws: &Workspace,
    base: &str,
    head: &str,
    json: bool,
    breaking_ok: bool,
) -> Result<ExitCode, String> {
    let base = spec_version(ws, base)?;
    let head = spec_version(ws, head)?;
    let load = |v: &SpecVersion| {
        spec::load(&v.dir)
            .map_err(|report| format!("the spec at {} does not load:\n{report}", v.label))
    };
    let (b, h) = (load(&base)?, load(&head)?);
    let diff = api_codegen::diff::with_rust_api(&b, &h)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "base": base.label, "head": head.label, "bump": diff.bump(), "changes": diff.changes, "rust_api": diff.rust_api,
            }))
            .map_err(|e| e.to_string())?
        );
    } else {
        print!(
            "{}",
            api_codegen::diff::render(&diff, &base.label, &head.label)
        );
    }
    if diff.impact() != Some(api_codegen::diff::Impact::Breaking) || breaking_ok {
        return Ok(ExitCode::SUCCESS);
    }
    // A breaking change is announced by a breaking version bump of the generated crate.
    let announced = match (base.version, head.version) {
        (
            Some(api_codegen::release::Version(bmaj, bmin, _)),
            Some(api_codegen::release::Version(hmaj, hmin, _)),
        ) => hmaj > bmaj || (bmaj == 0 && hmaj == 0 && hmin > bmin),
        _ => false,
    };
    if announced {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "breaking changes without a breaking version bump of {} (or pass --breaking-ok)",
        ws.client_manifest().display()
    );
    Ok(ExitCode::FAILURE)
}
