//! `cargo xtask msrv`: whether the workspace's declared `rust-version` holds, as far as this
//! machine can tell. No toolchain of that version can be installed here (only package
//! registries are reachable, not the toolchain server), so the check is what can be proven with
//! the current one:
//!
//! - every package the build resolves declares a `rust-version` no newer than ours (a
//!   dependency that needs a newer compiler would fail to build with ours);
//! - no source file of the workspace uses a language feature newer than ours that the compiler
//!   would accept silently: let chains (`if let … && let …`, stable in 1.88), found by their
//!   `&& let ` / `|| let ` token;
//! - (in CI) clippy's `incompatible_msrv` lint, denied with every other warning, reports any
//!   standard-library API stabilised after our `rust-version`.

use std::path::Path;
use std::process::{Command, ExitCode};

/// A version's numeric parts (`1.85` → `[1, 85, 0]`); `None` for text that is not one.
fn parse(version: &str) -> Option<[u64; 3]> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    parts.next().is_none().then_some([major, minor, patch])
}

/// The packages whose declared `rust-version` is newer than `ours`, as `name version needs`.
fn newer_than(ours: [u64; 3], packages: &[serde_json::Value]) -> Vec<String> {
    packages
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            let (name, version) = (p["name"].as_str()?, p["version"].as_str()?);
            (parse(needs)? > ours).then(|| format!("{name} {version} needs Rust {needs}"))
        })
        .collect()
}

/// A line's code: string literals emptied, a `//` comment cut off.
fn code_of(line: &str) -> String {
    let (mut code, mut in_string, mut escaped) = (String::new(), false, false);
    for c in line.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, _, '"') => {
                in_string = !in_string;
                code.push(c);
            }
            (true, false, _) => {}
            (false, _, _) => code.push(c),
        }
    }
    code.split("//").next().unwrap_or_default().to_owned()
}

/// The lines of `text` that use a let chain, as `line: text`.
fn let_chains(text: &str) -> Vec<String> {
    let code: Vec<String> = text.lines().map(code_of).collect();
    let mut found = Vec::new();
    for (i, line) in code.iter().enumerate() {
        let trimmed = line.trim_start();
        // `a && let …` on one line, or a condition line that starts `&& let`.
        let chained_let = line.contains("&& let ") || line.contains("|| let ");
        // `if let … && …`: the condition of an `if let`/`while let`, up to its `{`, joined at
        // the top level by `&&` or `||` (not inside a closure's parentheses).
        let let_then_more = (trimmed.starts_with("if let ")
            || trimmed.contains(" if let ")
            || trimmed.starts_with("while let "))
            && joins_at_top_level(&condition(&code[i..]));
        if chained_let || let_then_more {
            found.push(format!(
                "{}: {}",
                i + 1,
                text.lines().nth(i).unwrap_or("").trim()
            ));
        }
    }
    found
}

/// The text of a condition starting on the first line, up to its block's `{` (a few lines).
fn condition(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines.iter().take(6) {
        out.push_str(line);
        out.push(' ');
        if line.trim_end().ends_with('{') {
            break;
        }
    }
    let after_let = out.find("let ").map_or(out.as_str(), |i| &out[i..]);
    after_let.to_owned()
}

/// Whether `&&` or `||` joins `condition` outside any parentheses, brackets or braces.
fn joins_at_top_level(condition: &str) -> bool {
    let (mut depth, mut previous) = (0i32, ' ');
    for c in condition.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '{' if depth == 0 => return false,
            '&' | '|' if depth == 0 && previous == c => return true,
            _ => {}
        }
        previous = c;
    }
    false
}

/// Runs the checks; prints what each found.
pub(crate) fn check(root: &Path) -> Result<ExitCode, String> {
    let metadata = metadata(root)?;
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let members: Vec<&serde_json::Value> = {
        let ids = metadata["workspace_members"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        packages.iter().filter(|p| ids.contains(&p["id"])).collect()
    };
    let declared: Vec<&str> = members
        .iter()
        .filter_map(|m| m["rust_version"].as_str())
        .collect();
    let ours = match declared.as_slice() {
        [first, rest @ ..] if rest.iter().all(|v| v == first) => *first,
        _ => {
            return Err(format!(
                "the workspace's members declare different rust-versions: {declared:?}"
            ));
        }
    };
    let ours_parsed =
        parse(ours).ok_or_else(|| format!("rust-version `{ours}` is not a version"))?;
    let mut failed = false;
    let newer = newer_than(ours_parsed, &packages);
    println!(
        "rust-version {ours}: {} resolved packages checked, {} need a newer Rust",
        packages.len(),
        newer.len()
    );
    for n in &newer {
        println!("  {n}");
        failed = true;
    }
    let chains = let_chains_in(root, &members)?;
    println!(
        "let chains (Rust 1.88) in the workspace's sources: {}",
        chains.len()
    );
    for c in &chains {
        println!("  {c}");
        failed = true;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `cargo metadata` of the workspace, every feature on, as the lock file resolves it.
fn metadata(root: &Path) -> Result<serde_json::Value, String> {
    let out = Command::new("cargo")
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--all-features",
        ])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))
}

/// Every let chain in the sources of the workspace's members, as `path:line`.
fn let_chains_in(root: &Path, members: &[&serde_json::Value]) -> Result<Vec<String>, String> {
    let mut chains = Vec::new();
    for member in members {
        let Some(dir) = member["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent())
        else {
            continue;
        };
        for file in rust_files(dir)? {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let rel = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            chains.extend(let_chains(&text).into_iter().map(|l| format!("{rel}:{l}")));
        }
    }
    Ok(chains)
}

/// The `.rs` files under `dir`, build output and snapshots left out.
pub(crate) fn rust_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if name != "target" && name != "snapshots" {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_their_numbers() {
        assert_eq!(parse("1.85"), Some([1, 85, 0]));
        assert_eq!(parse("1.85.1"), Some([1, 85, 1]));
        assert_eq!(parse("1.x"), None);
        assert_eq!(parse("1.2.3.4"), None);
        let packages = serde_json::json!([
            { "name": "old", "version": "1.0.0", "rust_version": "1.70" },
            { "name": "same", "version": "2.0.0", "rust_version": "1.85.0" },
            { "name": "new", "version": "3.1.0", "rust_version": "1.88" },
            { "name": "silent", "version": "0.1.0", "rust_version": null },
        ]);
        assert_eq!(
            newer_than([1, 85, 0], packages.as_array().unwrap()),
            ["new 3.1.0 needs Rust 1.88"]
        );
    }

    #[test]
    fn let_chains_are_found_outside_comments() {
        let text = "fn f() {\n    if let Some(a) = x\n        && let Some(b) = a {}\n    // a && let in prose\n    if a && b {}\n}\n";
        assert_eq!(
            let_chains(text),
            ["2: if let Some(a) = x", "3: && let Some(b) = a {}"]
        );
        let tail = "    } else if let Some(v) = x\n        && !v.is_empty()\n    {\n";
        assert_eq!(let_chains(tail), ["1: } else if let Some(v) = x"]);
        let closure = "if let Some(x) = v.iter().find(|y| a && b) {\n";
        assert!(
            let_chains(closure).is_empty(),
            "&& inside a closure is not a chain"
        );
        assert!(let_chains("if let Some(x) = y {\n    a && b\n}\n").is_empty());
        assert_eq!(
            let_chains("while a || let Some(x) = b {}"),
            ["1: while a || let Some(x) = b {}"]
        );
        let and_let = ["&&", "let"].join(" ");
        let in_strings = format!("let s = \"a {and_let} b\"; let t = \"\\\\\" ; // {and_let}");
        assert!(
            let_chains(&in_strings).is_empty(),
            "strings and comments are not code: {in_strings}"
        );
        assert_eq!(
            code_of(&format!("f(\"x \\\" {and_let}\", y) // z")),
            "f(\"\", y) "
        );
    }
}
