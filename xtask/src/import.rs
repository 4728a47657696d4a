//! `cargo xtask import --docs DIR`: the spec written from the vendor's documentation, tried on a
//! copy (validated and generated) before anything is written.

use std::path::Path;
use std::process::ExitCode;

use api_codegen::docs;

use crate::{Workspace, load};

pub(crate) fn run(
    ws: &Workspace,
    docs: &Path,
    request: api_codegen::import::Request,
    dry_run: bool,
) -> Result<ExitCode, String> {
    let spec = match load(ws) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let mut plan = api_codegen::import::plan(&spec, docs, &request)?;
    // Try the result on a copy first: what keeps it from validating is left out (with a
    // warning), and nothing is written unless the rest generates.
    let settled = api_codegen::import::settle(&spec, &mut plan)?;
    print!("{plan}");
    let generated = api_codegen::ir::build(&settled.spec)
        .map_err(api_codegen::CodegenError::from)
        .and_then(|api| {
            Ok(api_codegen::emit::generate(
                &api,
                &ws.layout.client_options(),
            )?)
        });
    if let Err(e) = generated {
        eprintln!("{e}\nthe imported spec does not generate: nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    report_differences(&settled.spec, docs)?;
    if dry_run {
        println!(
            "{} spec files would change (dry run: nothing written)",
            plan.files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let written = api_codegen::output::write_documents(&ws.layout.spec, &plan.files)
        .map_err(|e| e.to_string())?;
    for d in &written {
        println!("{d}");
    }
    println!(
        "{} spec files written{}; next: `cargo xtask spec-diff`, `cargo xtask codegen`",
        written.len(),
        plan.release
            .map(|r| format!(" from release {r}"))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// What the warnings left out or held otherwise still differs from the pages: say how much.
fn report_differences(spec: &api_codegen::spec::Spec, docs: &Path) -> Result<(), String> {
    let report = docs::check(spec, docs)?;
    if report.differences() > 0 {
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == docs::Severity::Difference)
        {
            println!("difference: {} {}: {}", f.source, f.subject, f.message);
        }
        println!(
            "warning: {} differences from the documentation remain (listed above): see the warnings",
            report.differences()
        );
    }
    Ok(())
}
