//! `cargo xtask bench`: figures, not pass/fail. Codegen's stages on the real spec, on the spec
//! copied N times (many services) and on one service grown N times (many groups in one service,
//! where a pass that is not linear would show); with `--compile`, the client's compile budgets;
//! `bench-calls`, the client's per-call time beside hand-written reqwest + serde_json.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use api_codegen::emit::Options;
use api_codegen::spec;

use crate::Workspace;
use api_codegen::spec::format::GroupFile;

/// Runs every benchmark and prints its figures.
pub(crate) fn run(ws: &Workspace, n: usize, compile: bool) -> Result<ExitCode, String> {
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let options = ws.layout.client_options();
    stages("the real spec", &ws.layout.spec, 0, &options)?;
    let copied = scratch.path().join("copied");
    let bytes = copy_services(&ws.layout.spec, &copied, n)?;
    stages(
        &format!("every service copied x{n}"),
        &copied,
        bytes,
        &options,
    )?;
    let grown = scratch.path().join("grown");
    let bytes = grow_one_service(
        &ws.layout.spec.join("genesys-cloud"),
        &grown.join("genesys-cloud"),
        n,
    )?;
    stages(
        &format!("genesys-cloud with its groups copied x{n} (one service)"),
        &grown,
        bytes,
        &options,
    )?;
    release_loop(ws, scratch.path())?;
    if compile {
        compile_budgets(ws)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Times load (with validation), resolve and emit (with formatting) on the spec in `dir`.
fn stages(title: &str, dir: &Path, bytes: usize, options: &Options) -> Result<(), String> {
    let t = Instant::now();
    let spec = spec::load(dir).map_err(|r| r.to_string())?;
    let load = t.elapsed();
    let ops: usize = spec
        .services
        .iter()
        .flat_map(|s| &s.groups)
        .map(|g| g.value.operations.len())
        .sum();
    let models: usize = spec.services.iter().map(|s| s.models.len()).sum();
    let t = Instant::now();
    let api = api_codegen::ir::build(&spec).map_err(|e| e.to_string())?;
    let resolve = t.elapsed();
    let t = Instant::now();
    let files = api_codegen::emit::generate(&api, options).map_err(|e| e.to_string())?;
    let emit = t.elapsed();
    let out: usize = files.values().map(String::len).sum();
    let size = if bytes > 0 {
        format!(", {:.1} MiB of YAML", bytes as f64 / 1048576.0)
    } else {
        String::new()
    };
    println!(
        "{title}: {} services, {ops} operations, {models} models{size}",
        spec.services.len()
    );
    println!("  load + validate: {load:>10.2?}");
    println!("  resolve:         {resolve:>10.2?}");
    println!(
        "  emit + format:   {emit:>10.2?}  ({} files, {:.1} MiB of Rust)",
        files.len(),
        out as f64 / 1048576.0
    );
    println!(
        "  total:           {:>10.2?}  ({:.1} µs per operation)",
        load + resolve + emit,
        per(load + resolve + emit, ops)
    );
    Ok(())
}

/// The maintainer's loop on the whole API (`cargo xtask release` without writing): import a
/// vendor release (the 249.0.0 pages renamed a later release, so every group file changes),
/// generate the client from it, compare the public items with the spec's.
fn release_loop(ws: &Workspace, scratch: &Path) -> Result<(), String> {
    let release = ws
        .root
        .join("../shared/reference/genesys-python-sdk-249.0.0");
    if !release.is_dir() {
        println!(
            "the release loop: {} is missing; skipped",
            release.display()
        );
        return Ok(());
    }
    let docs = renamed_release(&release, &scratch.join("release"))?;
    let spec = spec::load(&ws.layout.spec).map_err(|r| r.to_string())?;
    let t = Instant::now();
    let mut plan =
        api_codegen::import::plan(&spec, &docs, &api_codegen::import::Request::default())?;
    let settled = api_codegen::import::settle(&spec, &mut plan)?;
    let import = t.elapsed();
    let t = Instant::now();
    let api = api_codegen::ir::build(&settled.spec).map_err(|e| e.to_string())?;
    let files = api_codegen::emit::generate(&api, &ws.layout.client_options())
        .map_err(|e| e.to_string())?;
    let codegen = t.elapsed();
    let t = Instant::now();
    let verdict = api_codegen::diff::with_rust_api(&spec, &settled.spec)?;
    let diff = t.elapsed();
    println!(
        "the release loop on the whole API ({} spec files change, {} generated files, verdict {}):",
        plan.files.len(),
        files.len(),
        verdict.bump()
    );
    println!("  import + settle: {import:>10.2?}");
    println!("  codegen:         {codegen:>10.2?}");
    println!(
        "  spec-diff:       {diff:>10.2?}  (both clients generated, changed files' public items compared)"
    );
    println!(
        "  total:           {:>10.2?}  (budget 120 s)",
        import + codegen + diff
    );
    Ok(())
}

/// The pages and model reference of `release` copied to `docs`, the pages' footers naming
/// release 999.0.0: to the import, a later release that changes every group file.
fn renamed_release(release: &Path, docs: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(docs.join("docs")).map_err(|e| e.to_string())?;
    std::fs::copy(release.join("models.json"), docs.join("models.json"))
        .map_err(|e| e.to_string())?;
    let pages = std::fs::read_dir(release.join("docs")).map_err(|e| e.to_string())?;
    for page in pages.flatten().map(|e| e.path()) {
        let name = page
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.ends_with("Api.md") || name == "index.md" {
            std::fs::write(
                docs.join("docs").join(&name),
                read(&page)?.replace("249.0.0_", "999.0.0_"),
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(docs.to_path_buf())
}

fn per(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n.max(1) as f64
}

/// Copies every service of `spec` `n` times into `to`, each under its own name.
fn copy_services(spec: &Path, to: &Path, n: usize) -> Result<usize, String> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(spec).map_err(|e| e.to_string())? {
        let dir = entry.map_err(|e| e.to_string())?.path();
        if !dir.join("service.yaml").is_file() {
            continue;
        }
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        for i in 0..n {
            bytes += copy_dir(&dir, &to.join(format!("{name}-{i}")), &|sub, text| {
                if sub.is_empty() {
                    text.replace(&format!("service: {name}"), &format!("service: {name}-{i}"))
                } else {
                    text
                }
            })?;
        }
    }
    Ok(bytes)
}

/// One service whose groups are copied `n` times: each copy under its own group name, its
/// operations' paths under their own prefix; the models are shared, as they are in the API.
fn grow_one_service(service: &Path, to: &Path, n: usize) -> Result<usize, String> {
    let mut bytes = copy_dir(service, to, &|_, text| text)?;
    let groups = files(&service.join("groups"))?;
    for i in 1..n {
        for g in &groups {
            let stem = g.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let mut group: GroupFile =
                serde_yaml::from_str(&read(g)?).map_err(|e| format!("{}: {e}", g.display()))?;
            group.group = format!("{stem}_c{i}");
            group.default_feature = false;
            for op in &mut group.operations {
                op.name = format!("{}_c{i}", op.name);
                op.path = op.path.replacen("/api/v2/", &format!("/api/v2/c{i}/"), 1);
                for legacy in &mut op.legacy_names {
                    legacy.push_str(&format!("_c{i}"));
                }
            }
            // A topic belongs to one group: the copies carry their own.
            for topic in &mut group.topics {
                topic.topic = topic.topic.replacen("v2.", &format!("v2.c{i}."), 1);
            }
            let copy = serde_yaml::to_string(&group).map_err(|e| e.to_string())?;
            bytes += copy.len();
            std::fs::write(to.join("groups").join(format!("{stem}_c{i}.yaml")), copy)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(bytes)
}

/// Copies a service folder (service.yaml, groups/, models/), passing each file's text through
/// `edit` with its subfolder's name.
fn copy_dir(
    from: &Path,
    to: &Path,
    edit: &dyn Fn(&str, String) -> String,
) -> Result<usize, String> {
    let mut bytes = 0;
    for sub in ["", "groups", "models"] {
        std::fs::create_dir_all(to.join(sub)).map_err(|e| e.to_string())?;
        for f in files(&from.join(sub))? {
            let text = edit(sub, read(&f)?);
            bytes += text.len();
            std::fs::write(to.join(sub).join(f.file_name().unwrap_or_default()), text)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(bytes)
}

fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The compile budgets of the whole-API issue, measured on the client crate.
fn compile_budgets(ws: &Workspace) -> Result<(), String> {
    let target = ws.root.join("target/bench-compile");
    let build = Build {
        root: ws.root.as_path(),
        package: ws.layout.client.package.as_str(),
        target: &target,
        lib: ws.layout.client.dir.join("src/lib.rs"),
    };
    let runs: [(&str, &[&str], &str); 4] = [
        ("cargo check, default features", &["check"], "15 s"),
        (
            "cargo check, every feature",
            &["check", "--features", "full"],
            "120 s, 6 GiB",
        ),
        (
            "cargo check, every feature + doubles",
            &["check", "--features", "full,double"],
            "120 s, 6 GiB",
        ),
        (
            "debug cargo build, every feature",
            &["build", "--features", "full"],
            "10 GiB",
        ),
    ];
    println!(
        "compile budgets ({}; dependencies built first; CARGO_INCREMENTAL=0; {})",
        build.package,
        target.display()
    );
    for (title, args, budget) in runs {
        build.measure(title, &[args[0], "--no-default-features"], args, budget)?;
    }
    // docs.rs builds with nightly rustdoc, the features of `[package.metadata.docs.rs]` and
    // `--cfg docsrs`, within 6.4 GB and 15 minutes on its machines.
    build.measure(
        "rustdoc as docs.rs runs it",
        &["+nightly", "doc", "--no-deps", "--no-default-features"],
        &[
            "+nightly",
            "doc",
            "--no-deps",
            "--features",
            "full,double,notifications",
        ],
        "15 min, 6 GiB",
    )
}

/// A build of the client crate to measure.
struct Build<'a> {
    root: &'a Path,
    package: &'a str,
    target: &'a Path,
    /// The crate root: touching it makes the next build rebuild the client alone.
    lib: PathBuf,
}

impl Build<'_> {
    /// Runs `warm` (which builds the dependencies, and the client without a feature: little),
    /// then measures `args`, which rebuilds the client alone, and prints time and peak memory.
    fn measure(
        &self,
        title: &str,
        warm: &[&str],
        args: &[&str],
        budget: &str,
    ) -> Result<(), String> {
        cargo(self.root, self.package, self.target, warm, false)?;
        std::fs::write(&self.lib, read(&self.lib)?).map_err(|e| e.to_string())?;
        let (elapsed, peak) = cargo(self.root, self.package, self.target, args, true)?;
        println!(
            "  {title:34} {:>7.1} s  {:>6.2} GiB peak  (budget {budget})",
            elapsed.as_secs_f64(),
            peak as f64 / 1073741824.0
        );
        Ok(())
    }
}

/// Where `bench --record` writes its figures.
const FIGURES: &str = "docs/figures.md";

/// Runs `bench` (with `--compile` if asked), `bench-calls` and `bench-events` as child
/// processes, printing their output as it is and writing it to docs/figures.md with when and
/// where it was measured: the documentation quotes no figure that is not there.
pub(crate) fn record(ws: &Workspace, n: usize, compile: bool) -> Result<ExitCode, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let n = n.to_string();
    let mut bench = vec!["bench", n.as_str()];
    if compile {
        bench.push("--compile");
    }
    let mut sections = Vec::new();
    for args in [bench, vec!["bench-calls"], vec!["bench-events"]] {
        let out = Command::new(&me)
            .args(&args)
            .current_dir(&ws.root)
            .output()
            .map_err(|e| format!("{}: {e}", args.join(" ")))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        print!("{text}");
        if !out.status.success() {
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
            return Ok(ExitCode::FAILURE);
        }
        sections.push(format!(
            "## `cargo xtask {}`\n\n```text\n{}```\n",
            args.join(" "),
            text
        ));
    }
    let page = format!(
        "# Figures\n\nWritten by `cargo xtask bench {n}{} --record` on {} ({}, {} cores). The \
         README and ARCHITECTURE.md quote no figure that is not here; run it again to refresh them.\n\n{}",
        if compile { " --compile" } else { "" },
        shell(&["date", "-u", "+%Y-%m-%d"]),
        shell(&["rustc", "--version"]),
        std::thread::available_parallelism().map_or(0, usize::from),
        sections.join("\n")
    );
    std::fs::write(ws.root.join(FIGURES), page).map_err(|e| format!("{FIGURES}: {e}"))?;
    println!("written to {FIGURES}");
    Ok(ExitCode::SUCCESS)
}

/// What a command prints, trimmed (`?` when it cannot run).
fn shell(command: &[&str]) -> String {
    Command::new(command[0])
        .args(&command[1..])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "?".to_owned())
}

/// Builds the per-call benchmark in release and runs it; it prints its own figures.
pub(crate) fn calls(root: &Path, calls: usize) -> Result<ExitCode, String> {
    example(root, "per_call", calls)
}

/// Builds the benchmark `tests/examples/<name>.rs` in release and runs it with `n`; it prints
/// its own figures.
pub(crate) fn example(root: &Path, name: &str, n: usize) -> Result<ExitCode, String> {
    let status = Command::new("cargo")
        .current_dir(root)
        .args([
            "run",
            "--release",
            "-q",
            "-p",
            "integration-tests",
            "--example",
            name,
            "--",
        ])
        .arg(n.to_string())
        .status()
        .map_err(|e| format!("cargo run: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs `cargo ARGS -p PACKAGE`; when measured, through `xtask measure`, so the peak is that of
/// this build's processes alone.
fn cargo(
    root: &Path,
    package: &str,
    target: &Path,
    args: &[&str],
    measured: bool,
) -> Result<(Duration, u64), String> {
    let mut cmd = if measured {
        let mut c = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
        c.args(["measure", "--", "cargo"]);
        c
    } else {
        Command::new("cargo")
    };
    cmd.current_dir(root)
        .args(args)
        .args(["-q", "-p", package])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        // Only rustdoc reads it: what docs.rs passes (`rustdoc-args`), so `doc(cfg)` shows.
        .env("RUSTDOCFLAGS", "--cfg docsrs");
    let out = cmd
        .output()
        .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
    if !out.status.success() {
        return Err(format!(
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if !measured {
        return Ok((Duration::ZERO, 0));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let figure = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    match (figure("elapsed_s="), figure("peak_bytes=")) {
        (Some(s), Some(b)) => Ok((Duration::from_secs_f64(s), b as u64)),
        _ => Err(format!("xtask measure printed no figures: {text}")),
    }
}

/// Runs `command`, then prints its wall time and the largest resident set of the processes it
/// waited for (`getrusage(RUSAGE_CHILDREN)`: for cargo, the largest rustc).
pub(crate) fn measure(command: &[String]) -> Result<ExitCode, String> {
    let (program, args) = command.split_first().ok_or("no command to measure")?;
    let t = Instant::now();
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("{program}: {e}"))?;
    let elapsed = t.elapsed();
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    println!("elapsed_s={}", elapsed.as_secs_f64());
    println!("peak_bytes={}", peak_of_children()?);
    Ok(ExitCode::SUCCESS)
}

#[cfg(unix)]
fn peak_of_children() -> Result<u64, String> {
    // SAFETY: `getrusage` only writes the struct it is given, which is zeroed and ours.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) != 0 {
            return Err(std::io::Error::last_os_error().to_string());
        }
        usage
    };
    // Linux reports kilobytes.
    Ok(u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024)
}

#[cfg(not(unix))]
fn peak_of_children() -> Result<u64, String> {
    Err("peak memory is measured on Unix only".into())
}
