//! `cargo xtask release --docs DIR [--check]`: the maintainer's loop in one command.

use std::path::Path;
use std::process::ExitCode;

use api_codegen::release::{Version, changelog_entry, prepend};
use api_codegen::{diff, import};

use crate::Workspace;

const CHANGELOG: &str = "CHANGELOG.md";

/// Imports the release in `docs`, regenerates, and releases the crate by the verdict.
pub fn run(ws: &Workspace, docs: &Path, check: bool) -> Result<ExitCode, String> {
    let manifest_path = ws.client_manifest();
    let (manifest_name, package) = (manifest_path.display(), &ws.layout.client.package);
    let base = match crate::load(ws) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let mut plan = import::plan(&base, docs, &import::Request::default())?;
    let settled = import::settle(&base, &mut plan)?;
    print!("{plan}");
    let verdict = diff::with_rust_api(&base, &settled.spec)?;
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {manifest_name}: {e}"))?;
    let current = package_version(&manifest)
        .ok_or_else(|| format!("{manifest_name}: no `version = \"x.y.z\"` in [package]"))?;
    if plan.files.is_empty() {
        println!(
            "nothing to release: the spec already holds what {} documents (version {current})",
            docs.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let next = current.next(verdict.impact());
    let entry = changelog_entry(
        &base,
        &settled.spec,
        &verdict,
        next,
        plan.release.as_deref(),
    );
    println!(
        "\n{} spec files change; {package} {current} → {next} ({} release)\n",
        plan.files.len(),
        verdict.bump()
    );
    print!("{entry}");
    if check {
        println!("--check: nothing written");
        return Ok(ExitCode::SUCCESS);
    }
    drop(settled);
    let spec = &ws.layout.spec;
    api_codegen::output::write_documents(spec, &plan.files)
        .map_err(|e| format!("cannot write {}: {e}", spec.display()))?;
    let code = crate::codegen(ws, false)?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    if next != current {
        bump(&manifest_path, &manifest, next, &entry)?;
    }
    println!(
        "released {package} {next}: review the diff ({}, names.lock, {}), then commit",
        spec.display(),
        ws.layout.client.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Sets the client's version to `next` and puts the release's entry on top of the changelog.
fn bump(manifest_path: &Path, manifest: &str, next: Version, entry: &str) -> Result<(), String> {
    let name = manifest_path.display();
    let bumped = set_package_version(manifest, next)
        .ok_or_else(|| format!("{name}: cannot set the version"))?;
    std::fs::write(manifest_path, bumped).map_err(|e| format!("cannot write {name}: {e}"))?;
    let changelog = std::fs::read_to_string(CHANGELOG).ok();
    std::fs::write(CHANGELOG, prepend(changelog.as_deref(), entry))
        .map_err(|e| format!("cannot write {CHANGELOG}: {e}"))
}

/// The `version` of the manifest's `[package]` table.
pub(crate) fn package_version(manifest: &str) -> Option<Version> {
    let line = package_lines(manifest).find(|l| l.trim_start().starts_with("version"))?;
    Version::parse(line.split('"').nth(1)?)
}

/// The manifest with its package version set to `version`, everything else as it was.
fn set_package_version(manifest: &str, version: Version) -> Option<String> {
    let line = package_lines(manifest).find(|l| l.trim_start().starts_with("version"))?;
    let old = line.split('"').nth(1)?;
    Some(manifest.replacen(line, &line.replacen(old, &version.to_string(), 1), 1))
}

fn package_lines(manifest: &str) -> impl Iterator<Item = &str> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_version_is_read_and_set_in_place() {
        let manifest = "[workspace]\nversion = \"9.9.9\"\n\n[package]\nname = \"x\"\nversion = \"0.3.0\"\n\n[dependencies]\ny = { version = \"1\" }\n";
        assert_eq!(package_version(manifest), Some(Version(0, 3, 0)));
        let bumped = set_package_version(manifest, Version(0, 4, 0)).unwrap();
        assert_eq!(
            bumped,
            manifest.replace("version = \"0.3.0\"", "version = \"0.4.0\"")
        );
        assert_eq!(package_version("[package]\nname = \"x\"\n"), None);
    }
}
