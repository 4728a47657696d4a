//! `cargo xtask`: the project's maintenance commands. Run `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use api_codegen::{docs, output, schema, spec};

const HELP: &str = "\
cargo xtask <command>

commands:
  codegen [--check]     regenerate generated/src from spec/ (and tests/src from the fixture
                        specs); with --check, change nothing and fail naming every stale,
                        missing or extra generated file
  validate              load and check spec/; print every error with file, line and column
  docs-check [--docs DIR]
                        compare spec/ with the documentation pages in DIR/seeds and the
                        model reference in DIR/reference (default DIR: ../shared);
                        exits 1 when there are differences
  schema [--check]      write spec/schema/*.json from the spec types; with --check, fail
                        if they are stale
  help                  this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&root, args.get(1).map(String::as_str) == Some("--check")),
        Some("validate") => validate(&root),
        Some("docs-check") => docs_check(&root, &args[1..]),
        Some("schema") => write_schema(&root, args.get(1).map(String::as_str) == Some("--check")),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

/// The workspace root, so commands work from any directory inside it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Loads the spec with paths relative to the root, so diagnostics read `spec/...`.
fn load(root: &Path) -> Result<spec::Spec, ExitCode> {
    std::env::set_current_dir(root).ok();
    spec::load(Path::new("spec")).map_err(|report| {
        eprint!("{report}");
        ExitCode::FAILURE
    })
}

fn codegen(root: &Path, check: bool) -> Result<ExitCode, String> {
    std::env::set_current_dir(root).map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    // Generate everything before writing anything: a failure leaves every output as it was.
    let mut outputs = Vec::new();
    for target in api_codegen::targets() {
        match api_codegen::generate(&target.spec, &target.options) {
            Ok(files) => outputs.push((target, files)),
            Err(e) => {
                eprint!("{e}");
                eprintln!("nothing was written");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let mut drifted = 0;
    for (target, files) in &outputs {
        let drift = if check { output::check(&target.out, files) } else { output::write(&target.out, files) }
            .map_err(|e| format!("{}: {e}", target.out.display()))?;
        for d in &drift {
            if check { eprintln!("{d}") } else { println!("{d}") }
        }
        drifted += drift.len();
        println!("{}: {} files from {}, {} {}", target.out.display(), files.len(), target.spec.display(), drift.len(),
            if check { "out of date" } else { "written or removed" });
    }
    if check && drifted > 0 {
        eprintln!("generated code is out of date with its spec: run `cargo xtask codegen`");
        return Ok(ExitCode::FAILURE);
    }
    println!("done in {:.2?}", started.elapsed());
    Ok(ExitCode::SUCCESS)
}

fn validate(root: &Path) -> Result<ExitCode, String> {
    Ok(match load(root) {
        Ok(s) => {
            let ops: usize = s.services.iter().flat_map(|s| &s.groups).map(|g| g.value.operations.len()).sum();
            let models: usize = s.services.iter().map(|s| s.models.len()).sum();
            println!("spec is valid: {} services, {ops} operations, {models} models", s.services.len());
            ExitCode::SUCCESS
        }
        Err(code) => code,
    })
}

fn docs_check(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let dir = match args {
        [] => root.join("../shared"),
        [flag, dir] if flag == "--docs" => std::env::current_dir().map_err(|e| e.to_string())?.join(dir),
        _ => return Err(format!("usage: cargo xtask docs-check [--docs DIR]\n\n{HELP}")),
    };
    let spec = match load(root) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let report = docs::check(&spec, &dir)?;
    print!("{}", docs::render(&report));
    Ok(if report.differences() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn write_schema(root: &Path, check: bool) -> Result<ExitCode, String> {
    let dir = root.join("spec/schema");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut stale = Vec::new();
    for (name, text) in schema::schemas() {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            stale.push(format!("spec/schema/{name}"));
        } else {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote spec/schema/{name}");
        }
    }
    if stale.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("stale: {}\nrun `cargo xtask schema` to update them", stale.join(", "));
    Ok(ExitCode::FAILURE)
}
