//! `cargo xtask`: the project's maintenance commands. Run `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use api_codegen::layout::Layout;
use api_codegen::{docs, registry, spec};

mod bench;
mod house;
mod import;
mod msrv;
mod package;
mod release;
mod semver;
mod spec_diff;
use clap::{Parser, Subcommand};

/// The project's maintenance commands.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Subcommand)]
enum Command {
    /// Regenerate every generated file: the client (generated/src) from spec/, the fixture
    /// clients (tests/src), the conformance tests, spec/schema/*.json and docs/permissions.md.
    Codegen {
        /// Change nothing; fail naming every stale, missing or extra generated file.
        #[arg(long)]
        check: bool,
    },
    /// Load and check spec/ (or DIR); print every error with file, line and column.
    Validate {
        /// The spec folder (default: spec/).
        dir: Option<PathBuf>,
    },
    /// Compare spec/ with the documentation in DIR: pages in DIR/seeds (website form) or
    /// DIR/docs/*Api.md (repository form), models in DIR/reference/models.json or DIR/models.json.
    /// Pages older than the release a group was imported from are checked for omissions only.
    /// Exits 1 when there are differences.
    DocsCheck {
        /// The documentation folder [default: ../shared beside the workspace].
        #[arg(long, value_name = "DIR")]
        docs: Option<PathBuf>,
    },
    /// What changed in the spec between two git revisions or spec folders, classified as
    /// breaking, additive or patch, with the semver bump the generated crate needs; exits 1 on
    /// a breaking change unless generated/Cargo.toml's version announces it.
    SpecDiff {
        /// The base: a git revision or a spec folder.
        #[arg(default_value = "main")]
        base: String,
        /// The head: a git revision, a spec folder, or `.` for the working tree.
        #[arg(default_value = ".")]
        head: String,
        /// Print JSON instead of Markdown.
        #[arg(long)]
        json: bool,
        /// Succeed on a breaking change even without a breaking version bump.
        #[arg(long)]
        breaking_ok: bool,
    },
    /// Release a vendor release: import DIR (as `import`), regenerate (as `codegen`), compare
    /// (as `spec-diff`), then bump generated/Cargo.toml's version by the verdict and prepend a
    /// CHANGELOG.md entry. Idempotent: run again, it finds nothing to release.
    Release {
        /// The documentation folder of the vendor release.
        #[arg(long, value_name = "DIR")]
        docs: PathBuf,
        /// Print what it would do; write nothing.
        #[arg(long)]
        check: bool,
    },
    /// Check that spec-diff's verdict agrees with cargo-semver-checks' on a table of spec edits
    /// (every kind of addition, of breaking change, and the name clashes the ledger settles).
    /// Needs `cargo install cargo-semver-checks --locked`.
    SemverAgreement,
    /// Write the spec from the vendor's documentation: the group pages in DIR (`seeds/` or
    /// `docs/*Api.md`) and the model reference beside them. Prints what changed; what it cannot
    /// read or hold is a located warning and the rest is imported. Writes nothing unless the
    /// result validates and generates.
    Import {
        /// The documentation folder.
        #[arg(long, value_name = "DIR")]
        docs: PathBuf,
        /// Import only this SDK class (`AuthorizationApi`); repeatable. Default: every group page.
        #[arg(long = "group", value_name = "SDK_CLASS")]
        groups: Vec<String>,
        /// The service new groups go into (default: the one whose groups name SDK classes).
        #[arg(long)]
        service: Option<String>,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the permissions report (each operation's requirement, and what each permission
    /// or role unlocks); `codegen` keeps docs/permissions.md in step with it.
    Permissions,
    /// Print figures: codegen's stages on the real spec, on it copied N times, and on one
    /// service grown N times; with `--compile`, the client's compile budgets.
    Bench {
        /// How many copies (of every service; of one service's groups).
        #[arg(default_value_t = 50)]
        copies: usize,
        /// Also measure `cargo check` (default features, every feature) and a debug `cargo
        /// build` with every feature of the client: wall time and peak memory, dependencies
        /// built first, not incremental (as a downstream crate compiles it).
        #[arg(long)]
        compile: bool,
        /// Also run `bench-calls` and `bench-events`, and write everything printed to
        /// docs/figures.md: the one place the documentation's figures come from.
        #[arg(long)]
        record: bool,
    },
    /// Print the generated client's per-call time beside the same GET written by hand with
    /// reqwest and serde_json, against an in-process loopback server (release build of
    /// `tests/examples/per_call.rs`), and their ratio.
    BenchCalls {
        /// How many calls of each kind.
        #[arg(default_value_t = 4000)]
        calls: usize,
    },
    /// Package the published crates and verify them as `cargo publish` would (nothing is
    /// uploaded), then check each `.crate` against the size budget.
    Package,
    /// Check that the declared `rust-version` holds as far as this machine can tell: no resolved
    /// package needs a newer Rust, no source uses let chains (1.88).
    Msrv,
    /// Print how many notification events per second a subscription decodes from the loopback
    /// streaming double (release build of `tests/examples/notification_events.rs`).
    BenchEvents {
        /// How many events.
        #[arg(default_value_t = 100_000)]
        events: usize,
    },
    /// Check the size rules of the hand-written code: functions of at most 60 lines, modules of
    /// at most 600 lines before their tests (or a `//! Size:` reason); exceptions still to mend
    /// are listed in xtask/house.allow, which may only shrink.
    House,
    /// Run a command and print its wall time and the peak memory of its largest process
    /// (used by `bench --compile`).
    #[command(hide = true)]
    Measure {
        /// The command and its arguments.
        #[arg(trailing_var_arg = true, required = true)]
        command: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ws = match Workspace::enter(cli.command) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (root, command) = (ws.root.clone(), ws.command.clone());
    let result = match command {
        Command::Codegen { check } => codegen(&ws, check),
        Command::Validate { dir } => validate(&ws, dir),
        Command::DocsCheck { docs } => docs_check(&ws, docs.as_deref()),
        Command::SpecDiff {
            base,
            head,
            json,
            breaking_ok,
        } => spec_diff::run(&ws, &base, &head, json, breaking_ok),
        Command::Import {
            docs,
            groups,
            service,
            dry_run,
        } => import::run(
            &ws,
            &docs,
            api_codegen::import::Request {
                classes: groups,
                service,
            },
            dry_run,
        ),
        Command::Release { docs, check } => release::run(&ws, &docs, check),
        Command::SemverAgreement => semver::agreement(&ws),
        Command::Msrv => msrv::check(&root),
        Command::House => house::run(&root),
        Command::Package => package::run(&ws),
        Command::Permissions => permissions(&ws),
        Command::Bench {
            copies,
            compile,
            record: false,
        } => bench::run(&ws, copies, compile),
        Command::Bench {
            copies,
            compile,
            record: true,
        } => bench::record(&ws, copies, compile),
        Command::BenchCalls { calls } => bench::calls(&root, calls),
        Command::BenchEvents { events } => bench::example(&root, "notification_events", events),
        Command::Measure { command } => bench::measure(&command),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

/// The workspace the commands run in, and the command with its paths made absolute.
///
/// Every command behaves the same from any working directory: the paths a user passes are
/// read against the directory they ran it in, then the working directory becomes the
/// workspace root, which every path of the layout is relative to (so diagnostics and
/// generated headers read `spec/...`).
pub(crate) struct Workspace {
    /// The workspace root.
    pub(crate) root: PathBuf,
    /// Where things are, and the crates' names (`codegen.yaml`).
    pub(crate) layout: Layout,
    command: Command,
}

impl Workspace {
    fn enter(command: Command) -> Result<Workspace, String> {
        let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
        let command = command.with_paths_from(&cwd);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        std::env::set_current_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let layout = Layout::read(&root).map_err(|e| e.to_string())?;
        Ok(Workspace {
            root,
            layout,
            command,
        })
    }

    /// The client crate's manifest.
    pub(crate) fn client_manifest(&self) -> PathBuf {
        self.layout.client.dir.join("Cargo.toml")
    }
}

impl Command {
    /// The command with every path argument read against `cwd`; a spec-diff side that names
    /// a folder there becomes that folder's absolute path (else it is a git revision).
    fn with_paths_from(self, cwd: &Path) -> Command {
        let path = |p: PathBuf| cwd.join(p);
        let side = |s: String| {
            let dir = cwd.join(&s);
            if s != "." && dir.is_dir() {
                dir.to_string_lossy().into_owned()
            } else {
                s
            }
        };
        match self {
            Command::Validate { dir } => Command::Validate { dir: dir.map(path) },
            Command::DocsCheck { docs } => Command::DocsCheck {
                docs: docs.map(path),
            },
            Command::Release { docs, check } => Command::Release {
                docs: path(docs),
                check,
            },
            Command::Import {
                docs,
                groups,
                service,
                dry_run,
            } => Command::Import {
                docs: path(docs),
                groups,
                service,
                dry_run,
            },
            Command::SpecDiff {
                base,
                head,
                json,
                breaking_ok,
            } => Command::SpecDiff {
                base: side(base),
                head: side(head),
                json,
                breaking_ok,
            },
            other => other,
        }
    }
}

/// Loads the spec (relative to the root, the working directory, so diagnostics read
/// `spec/...`).
fn load(ws: &Workspace) -> Result<spec::Spec, ExitCode> {
    load_dir(&ws.layout.spec)
}

/// Loads a spec folder, printing the report of a broken one.
fn load_dir(dir: &Path) -> Result<spec::Spec, ExitCode> {
    spec::load(dir).map_err(|report| {
        eprint!("{report}");
        ExitCode::FAILURE
    })
}

fn codegen(ws: &Workspace, check: bool) -> Result<ExitCode, String> {
    let started = std::time::Instant::now();
    // Generate everything before writing anything: a failure leaves every output as it was.
    let generated = match registry::generate(registry::outputs(&ws.layout)) {
        Ok(g) => g,
        Err(e) => {
            eprint!("{e}");
            eprintln!("nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    let drift = registry::sync(&generated, !check).map_err(|e| e.to_string())?;
    for d in &drift {
        if check {
            eprintln!("{d}")
        } else {
            println!("{d}")
        }
    }
    for g in &generated {
        let from = g
            .output
            .spec()
            .map(|s| format!(" from {}", s.display()))
            .unwrap_or_default();
        let ours = |path: &Path| match g.output.owns_folder() {
            true => path.starts_with(&g.output.dir),
            false => g.files.keys().any(|f| g.output.dir.join(f) == path),
        };
        let changed = drift.iter().filter(|d| ours(d.path())).count();
        println!(
            "{}: {} files{from}, {changed} {}",
            g.output.dir.display(),
            g.files.len(),
            if check {
                "out of date"
            } else {
                "written or removed"
            }
        );
    }
    if check && !drift.is_empty() {
        eprintln!("generated files are out of date with their sources: run `cargo xtask codegen`");
        return Ok(ExitCode::FAILURE);
    }
    println!("done in {:.2?}", started.elapsed());
    Ok(ExitCode::SUCCESS)
}

fn permissions(ws: &Workspace) -> Result<ExitCode, String> {
    let spec = match load(ws) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    print!("{}", api_codegen::report::permissions(&spec));
    Ok(ExitCode::SUCCESS)
}

fn validate(ws: &Workspace, dir: Option<PathBuf>) -> Result<ExitCode, String> {
    let loaded = match dir {
        Some(dir) => load_dir(&dir),
        None => load(ws),
    };
    Ok(match loaded {
        Ok(s) => {
            let ops: usize = s
                .services
                .iter()
                .flat_map(|s| &s.groups)
                .map(|g| g.value.operations.len())
                .sum();
            let models: usize = s.services.iter().map(|s| s.models.len()).sum();
            println!(
                "spec is valid: {} services, {ops} operations, {models} models",
                s.services.len()
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    })
}

fn docs_check(ws: &Workspace, docs: Option<&Path>) -> Result<ExitCode, String> {
    let dir = match docs {
        Some(dir) => dir.to_path_buf(),
        None => ws.root.join("../shared"),
    };
    let spec = match load(ws) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let report = docs::check(&spec, &dir)?;
    print!("{}", docs::render(&report));
    Ok(if report.differences() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &str) -> Result<Command, ErrorKind> {
        Cli::try_parse_from(std::iter::once("xtask").chain(args.split_whitespace()))
            .map(|c| c.command)
            .map_err(|e| e.kind())
    }

    #[test]
    fn paths_are_read_where_the_command_ran() {
        let cwd = tempfile::tempdir().unwrap();
        let at = |args: &str| parse(args).unwrap().with_paths_from(cwd.path());
        let Command::Validate { dir: Some(dir) } = at("validate my-spec") else {
            panic!()
        };
        assert_eq!(dir, cwd.path().join("my-spec"));
        let Command::Import { docs, .. } = at("import --docs ../docs") else {
            panic!()
        };
        assert_eq!(docs, cwd.path().join("../docs"));
        let Command::Release { docs, .. } = at("release --docs /abs/docs") else {
            panic!()
        };
        assert_eq!(docs, PathBuf::from("/abs/docs"));
        let Command::DocsCheck { docs: None } = at("docs-check") else {
            panic!()
        };
        // A spec-diff side is a folder where one exists there, else a git revision.
        std::fs::create_dir(cwd.path().join("old")).unwrap();
        let Command::SpecDiff { base, head, .. } = at("spec-diff old main") else {
            panic!()
        };
        assert_eq!(base, cwd.path().join("old").to_string_lossy());
        assert_eq!(head, "main");
        let Command::SpecDiff { head, .. } = at("spec-diff old .") else {
            panic!()
        };
        assert_eq!(head, ".", "the working tree is named, not a folder");
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn unknown_commands_flags_and_options_are_refused() {
        assert_eq!(
            parse("codegen --chek").unwrap_err(),
            ErrorKind::UnknownArgument
        );
        assert_eq!(parse("frob").unwrap_err(), ErrorKind::InvalidSubcommand);
        assert_eq!(parse("bench x").unwrap_err(), ErrorKind::ValueValidation);
        assert_eq!(
            parse("spec-diff a b c").unwrap_err(),
            ErrorKind::UnknownArgument
        );
        assert_eq!(
            parse("docs-check extra").unwrap_err(),
            ErrorKind::UnknownArgument
        );
        assert_eq!(
            parse("import").unwrap_err(),
            ErrorKind::MissingRequiredArgument
        );
        assert!(matches!(
            parse("import --docs d --group A --group B --dry-run"),
            Ok(Command::Import { groups, dry_run: true, .. }) if groups == ["A", "B"]
        ));
        assert_eq!(
            parse("").unwrap_err(),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        );
    }

    #[test]
    fn help_works_on_every_command() {
        for command in Cli::command().get_subcommands() {
            let name = command.get_name().to_owned();
            assert_eq!(
                parse(&format!("{name} --help")).unwrap_err(),
                ErrorKind::DisplayHelp,
                "{name}"
            );
        }
    }

    #[test]
    fn arguments_reach_the_commands() {
        assert!(matches!(
            parse("codegen --check"),
            Ok(Command::Codegen { check: true })
        ));
        assert!(matches!(
            parse("codegen"),
            Ok(Command::Codegen { check: false })
        ));
        assert!(
            matches!(parse("validate some/dir"), Ok(Command::Validate { dir: Some(d) }) if d == Path::new("some/dir"))
        );
        assert!(
            matches!(parse("docs-check --docs d"), Ok(Command::DocsCheck { docs: Some(d) }) if d == Path::new("d"))
        );
        assert!(matches!(
            parse("bench"),
            Ok(Command::Bench {
                copies: 50,
                compile: false,
                record: false
            })
        ));
        assert!(matches!(
            parse("bench 3 --compile --record"),
            Ok(Command::Bench {
                copies: 3,
                compile: true,
                record: true
            })
        ));
        assert!(matches!(
            parse("bench-calls"),
            Ok(Command::BenchCalls { calls: 4000 })
        ));
        assert!(matches!(
            parse("bench-events 7"),
            Ok(Command::BenchEvents { events: 7 })
        ));
        assert!(matches!(parse("msrv"), Ok(Command::Msrv)));
        assert!(matches!(parse("package"), Ok(Command::Package)));
        let Ok(Command::SpecDiff {
            base,
            head,
            json,
            breaking_ok,
        }) = parse("spec-diff v1 --json")
        else {
            panic!()
        };
        assert_eq!(
            (base.as_str(), head.as_str(), json, breaking_ok),
            ("v1", ".", true, false)
        );
        assert!(matches!(parse("permissions"), Ok(Command::Permissions)));
        let Ok(Command::Release { docs, check }) = parse("release --docs d --check") else {
            panic!()
        };
        assert_eq!((docs.as_path(), check), (Path::new("d"), true));
        assert_eq!(
            parse("release").unwrap_err(),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            parse("schema").unwrap_err(),
            ErrorKind::InvalidSubcommand,
            "codegen writes the schemas"
        );
    }
}
