//! `cargo xtask semver-agreement`: spec-diff's verdict beside `cargo-semver-checks`' on a table
//! of spec edits — every kind of addition, every kind of breaking change, and the name clashes
//! the names ledger settles. Each edit is applied to a small spec; both versions are generated
//! as standalone crates (the second with the first's ledger, as codegen runs it) and compared by
//! both tools. The table's expectations are also checked against spec-diff alone by
//! `cargo test -p xtask`, which needs no `cargo-semver-checks`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use api_codegen::diff::{Impact, with_rust_api};
use api_codegen::{emit, ir, manifest, names_lock, spec};

/// One step of an edit to the base spec (paths relative to the spec folder).
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Replace the first `from` with `to` in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Write a file.
    Write(&'static str, &'static str),
    /// Remove a file.
    Remove(&'static str),
}

/// An edit and whether it breaks code that compiled against the base.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edit {
    name: &'static str,
    breaking: bool,
    steps: &'static [Step],
    /// Why cargo-semver-checks cannot see this break, where it cannot: it compares no types
    /// (its issues #148 and #149: a field's or an argument's type changed passes every lint).
    blind: Option<&'static str>,
}

/// cargo-semver-checks' blind spot for a change of what a call does: it reads the public API, not
/// what goes on the wire, so a parameter that moves into a header (checked before sending, now
/// seen by the server) looks compatible to it.
const BEHAVIOUR_NOT_API: Option<&str> =
    Some("cargo-semver-checks reads the public API, not what a call sends");

/// cargo-semver-checks' blind spot for a type substituted in place.
const TYPES_NOT_COMPARED: Option<&str> =
    Some("cargo-semver-checks compares no types (its issues #148, #149)");

const SERVICE: &str = "service: demo
title: Demo API
description: A demo.
hosts:
  default: prod
  list:
  - name: prod
    url: https://api.example.com
auth:
  token_header:
    name: Authorization
    prefix: 'Bearer '
  flows:
  - grant: client_credentials
    description: Client credentials.
    token_url: https://{host}/oauth/token
    client_authentication: basic
authorization: permissions
errors:
  body: ErrorBody
";

const GROUP: &str = "group: things
description: Things.
default_feature: true
operations:
- name: get_thing
  method: GET
  path: /things/{thingId}
  summary: Get a thing
  requires: none
  parameters:
  - {name: thing_id, wire_name: thingId, in: path, type: string, required: true}
  - {name: page_size, wire_name: pageSize, in: query, type: int32}
  - {name: kind, wire_name: kind, in: query, type: string, enum: [A, B]}
  returns: Thing
- name: delete_thing
  method: DELETE
  path: /things/{thingId}
  summary: Delete a thing
  requires: none
  parameters:
  - {name: thing_id, wire_name: thingId, in: path, type: string, required: true}
";

const THING: &str = "name: Thing
fields:
  id: {type: string, required: true}
  label: {type: string}
  state: {type: string, enum: [on, off]}
  owner: {type: Thing}
";

const GADGET: &str = "name: Gadget\nfields:\n  id: {type: string}\n";

const ERROR_BODY: &str = "name: ErrorBody\nfields:\n  message: {type: string}\n";

/// The table: what each edit is, and whether it breaks code.
pub(crate) const EDITS: &[Edit] = &[
    Edit {
        name: "group added",
        blind: None,
        breaking: false,
        steps: &[Step::Write(
            "demo/groups/gadgets.yaml",
            "group: gadgets\ndescription: Gadgets.\ndefault_feature: true\noperations:\n\
             - name: get_gadget\n  method: GET\n  path: /gadgets\n  summary: Get\n  requires: none\n  returns: Thing\n",
        )],
    },
    Edit {
        name: "operation added",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "operations:\n",
            "operations:\n- name: list_things\n  method: GET\n  path: /things\n  summary: List\n  requires: none\n  returns: list<Thing>\n",
        )],
    },
    Edit {
        name: "optional parameter added",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "  - {name: page_size,",
            "  - {name: verbose, wire_name: verbose, in: query, type: boolean}\n  - {name: page_size,",
        )],
    },
    Edit {
        name: "optional body added",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "  summary: Delete a thing\n",
            "  summary: Delete a thing\n  body: {type: Thing, required: false}\n",
        )],
    },
    Edit {
        name: "optional field added",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/models/Thing.yaml",
            "  label:",
            "  color: {type: string}\n  label:",
        )],
    },
    Edit {
        name: "parameter enum value added",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "enum: [A, B]",
            "enum: [A, B, C]",
        )],
    },
    Edit {
        name: "field enum value added",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/models/Thing.yaml",
            "enum: [on, off]",
            "enum: [on, off, standby]",
        )],
    },
    Edit {
        name: "model added",
        blind: None,
        breaking: false,
        steps: &[Step::Write(
            "demo/models/Widget.yaml",
            "name: Widget\nfields:\n  id: {type: string}\n",
        )],
    },
    Edit {
        name: "operation deprecated (no longer documented)",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "  summary: Delete a thing\n",
            "  summary: Delete a thing\n  undocumented_since: 2.0.0\n",
        )],
    },
    Edit {
        name: "clash: a model named like a field's enum",
        blind: None,
        breaking: false,
        steps: &[Step::Write(
            "demo/models/ThingState.yaml",
            "name: ThingState\nfields:\n  since: {type: date-time}\n",
        )],
    },
    Edit {
        name: "clash: an operation with its own values for a parameter",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "operations:\n",
            "operations:\n- name: list_kinds\n  method: GET\n  path: /kinds\n  summary: Kinds\n  requires: none\n  parameters:\n\
             \x20 - {name: kind, wire_name: kind, in: query, type: string, enum: [X, Y]}\n",
        )],
    },
    Edit {
        name: "clash: an operation named like a parameter enum",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "operations:\n",
            "operations:\n- name: kind\n  method: GET\n  path: /kind\n  summary: Kind\n  requires: none\n",
        )],
    },
    Edit {
        name: "group removed",
        blind: None,
        breaking: true,
        steps: &[Step::Remove("demo/groups/things.yaml")],
    },
    Edit {
        name: "operation removed",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "- name: delete_thing\n  method: DELETE\n  path: /things/{thingId}\n  summary: Delete a thing\n  requires: none\n  parameters:\n  - {name: thing_id, wire_name: thingId, in: path, type: string, required: true}\n",
            "",
        )],
    },
    Edit {
        name: "required parameter added",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "  - {name: page_size,",
            "  - {name: region, wire_name: region, in: query, type: string, required: true}\n  - {name: page_size,",
        )],
    },
    Edit {
        name: "parameter removed",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "  - {name: page_size, wire_name: pageSize, in: query, type: int32}\n",
            "",
        )],
    },
    Edit {
        name: "parameter retyped",
        blind: TYPES_NOT_COMPARED,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "in: query, type: int32}",
            "in: query, type: string}",
        )],
    },
    Edit {
        name: "parameter enum value removed",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "enum: [A, B]",
            "enum: [A]",
        )],
    },
    Edit {
        name: "return type changed",
        blind: TYPES_NOT_COMPARED,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "  returns: Thing\n",
            "  returns: Gadget\n",
        )],
    },
    Edit {
        name: "field removed",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/models/Thing.yaml",
            "  label: {type: string}\n",
            "",
        )],
    },
    Edit {
        name: "field retyped",
        blind: TYPES_NOT_COMPARED,
        breaking: true,
        steps: &[Step::Replace(
            "demo/models/Thing.yaml",
            "  label: {type: string}",
            "  label: {type: int64}",
        )],
    },
    Edit {
        name: "required field added",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/models/Thing.yaml",
            "  label:",
            "  serial: {type: string, required: true}\n  label:",
        )],
    },
    Edit {
        name: "field enum value removed",
        blind: None,
        breaking: true,
        steps: &[Step::Replace(
            "demo/models/Thing.yaml",
            "enum: [on, off]",
            "enum: [on]",
        )],
    },
    Edit {
        name: "model removed",
        blind: None,
        breaking: true,
        steps: &[Step::Remove("demo/models/Gadget.yaml")],
    },
    Edit {
        name: "parameter wire name corrected",
        blind: None,
        breaking: false,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "wire_name: pageSize, in: query",
            "wire_name: page_size, in: query",
        )],
    },
    Edit {
        name: "parameter moved into the headers",
        blind: BEHAVIOUR_NOT_API,
        breaking: true,
        steps: &[Step::Replace(
            "demo/groups/things.yaml",
            "wire_name: pageSize, in: query",
            "wire_name: X-Page-Size, in: header",
        )],
    },
];

/// Writes the base spec into `dir`.
fn write_base(dir: &Path) -> Result<(), String> {
    for (file, text) in [
        ("demo/service.yaml", SERVICE),
        ("demo/groups/things.yaml", GROUP),
        ("demo/models/Thing.yaml", THING),
        ("demo/models/Gadget.yaml", GADGET),
        ("demo/models/ErrorBody.yaml", ERROR_BODY),
    ] {
        write(&dir.join(file), text)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

impl Edit {
    fn apply(&self, dir: &Path) -> Result<(), String> {
        for step in self.steps {
            match *step {
                Step::Replace(file, from, to) => {
                    let path = dir.join(file);
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    if !text.contains(from) {
                        return Err(format!("edit `{}`: {file} lacks {from:?}", self.name));
                    }
                    write(&path, &text.replacen(from, to, 1))?;
                }
                Step::Write(file, text) => write(&dir.join(file), text)?,
                Step::Remove(file) => {
                    std::fs::remove_file(dir.join(file)).map_err(|e| format!("{file}: {e}"))?
                }
            }
        }
        Ok(())
    }
}

/// The base spec and the edited one, in `scratch/base` and `scratch/head` (the head with the
/// base's names ledger), loaded.
fn specs(edit: &Edit, scratch: &Path) -> Result<(spec::Spec, spec::Spec), String> {
    let (base_dir, head_dir) = (scratch.join("base/spec"), scratch.join("head/spec"));
    write_base(&base_dir)?;
    write_base(&head_dir)?;
    let load = |dir: &Path| spec::load(dir).map_err(|r| format!("edit `{}`: {r}", edit.name));
    let base = load(&base_dir)?;
    let ledger = ir::build(&base).map_err(|e| e.to_string())?.services[0]
        .names
        .render();
    write(&head_dir.join("demo").join(names_lock::FILE_NAME), &ledger)?;
    edit.apply(&head_dir)?;
    Ok((base, load(&head_dir)?))
}

/// Whether spec-diff calls the edit breaking.
pub(crate) fn spec_diff_breaks(edit: &Edit, scratch: &Path) -> Result<bool, String> {
    let (base, head) = specs(edit, scratch)?;
    Ok(with_rust_api(&base, &head)?.impact() == Some(Impact::Breaking))
}

/// Generates the spec as a standalone crate in `dir`: `Cargo.toml` (its features generated,
/// `default` enabling every group and `other_models`), `README.md`, `src/`.
fn write_crate(spec: &spec::Spec, dir: &Path, root: &Path) -> Result<(), String> {
    let api = ir::build(spec).map_err(|e| e.to_string())?;
    // The probe crate's own names, as its manifest below writes them.
    let options = emit::Options::client("semver_probe", "api_runtime");
    let files = emit::generate(&api, &options).map_err(|e| e.to_string())?;
    for (path, text) in &files {
        write(&dir.join("src").join(path), text)?;
    }
    let runtime = root.join("runtime");
    let cargo = format!(
        "[package]\nname = \"semver-probe\"\nversion = \"1.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[features]\n\n\
         [dependencies]\napi-runtime = {{ path = {:?} }}\nchrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n",
        runtime.display().to_string()
    );
    // Every feature but the test doubles is checked: `default` is made `full` (which holds
    // `other_models` too), so a model no operation reaches is compiled in both versions.
    let manifest = manifest::with_features(&cargo, &api, None);
    let manifest: String = manifest
        .lines()
        .map(|l| {
            if l.starts_with("default = ") {
                "default = [\"full\"]\n".to_owned()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(
        &dir.join("README.md"),
        "A crate generated to compare two versions.\n",
    )?;
    // The workspace's lock file pins the dependencies both versions build with.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

/// Whether `cargo-semver-checks` calls the edit breaking: `--release-type minor` fails.
fn semver_checks_breaks(
    edit: &Edit,
    scratch: &Path,
    root: &Path,
    target: &Path,
) -> Result<bool, String> {
    let (base, head) = specs(edit, scratch)?;
    let (base_crate, head_crate) = (scratch.join("base/crate"), scratch.join("head/crate"));
    write_crate(&base, &base_crate, root)?;
    write_crate(&head, &head_crate, root)?;
    let out = Command::new("cargo")
        .args([
            "semver-checks",
            "check-release",
            "--release-type",
            "minor",
            "--default-features",
            "--color",
            "never",
        ])
        .arg("--manifest-path")
        .arg(head_crate.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(&base_crate)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cargo semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        return Ok(false);
    }
    if text.contains("requires new major version") || text.contains("--- failure") {
        return Ok(true);
    }
    Err(format!(
        "edit `{}`: cargo semver-checks did not run:\n{text}",
        edit.name
    ))
}

/// Runs the table through both tools and prints it; fails on any disagreement.
pub(crate) fn agreement(ws: &crate::Workspace) -> Result<ExitCode, String> {
    let root = ws.root.as_path();
    let probe = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return Err(
            "cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`"
                .into(),
        );
    }
    let target: PathBuf = root.join("target/semver-agreement");
    println!("| edit | table | spec-diff | cargo-semver-checks |\n|---|---|---|---|");
    let word = |b: bool| if b { "breaking" } else { "compatible" };
    let mut disagreements = 0;
    for edit in EDITS {
        let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
        let ours = spec_diff_breaks(edit, &scratch.path().join("ours"))?;
        let theirs = semver_checks_breaks(edit, &scratch.path().join("theirs"), root, &target)?;
        // Where cargo-semver-checks is blind, it must say compatible (if it learns to see the
        // break, the table's note is out of date and this says so).
        let agree =
            ours == edit.breaking && (theirs == edit.breaking || (edit.blind.is_some() && !theirs));
        disagreements += usize::from(!agree);
        let note = match (agree, edit.blind) {
            (false, _) => " **(disagree)**".to_owned(),
            (true, Some(why)) => format!(" ({why})"),
            (true, None) => String::new(),
        };
        println!(
            "| {}{note} | {} | {} | {} |",
            edit.name,
            word(edit.breaking),
            word(ours),
            word(theirs)
        );
    }
    println!("\n{} edits, {disagreements} disagreements", EDITS.len());
    Ok(if disagreements == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's expectations hold for spec-diff (the xtask shows they hold for
    /// cargo-semver-checks too).
    #[test]
    fn spec_diff_gives_every_edit_of_the_table_its_verdict() {
        let mut wrong = Vec::new();
        for edit in EDITS {
            let scratch = tempfile::tempdir().unwrap();
            if spec_diff_breaks(edit, scratch.path()).unwrap() != edit.breaking {
                wrong.push(edit.name);
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn every_edit_changes_the_spec() {
        for edit in EDITS {
            let scratch = tempfile::tempdir().unwrap();
            let (base, head) = specs(edit, scratch.path()).unwrap();
            assert!(
                !with_rust_api(&base, &head).unwrap().changes.is_empty(),
                "{}",
                edit.name
            );
        }
    }
}
