//! `cargo xtask package`: packages the crates a user adds from the registry and verifies them as
//! `cargo publish` would (`--dry-run`: nothing is uploaded), then prints each `.crate`'s size
//! against the budget. crates.io refuses a `.crate` over 10 MB; the budget leaves room below it
//! for the releases to come.

use std::process::{Command, ExitCode};

/// The largest `.crate` accepted here, in bytes: 8 MiB, against crates.io's 10 MB.
pub(crate) const BUDGET: u64 = 8 << 20;

/// Whether each `(name, bytes)` is within `budget`, as printed lines; `false` when one is not.
fn report(sizes: &[(String, u64)], budget: u64) -> (Vec<String>, bool) {
    let mut ok = true;
    let lines = sizes
        .iter()
        .map(|(name, bytes)| {
            let within = *bytes <= budget;
            ok &= within;
            let verdict = if within { "ok" } else { "OVER BUDGET" };
            format!(
                "  {name:40} {:>8.2} MiB  {verdict}",
                *bytes as f64 / 1_048_576.0
            )
        })
        .collect();
    (lines, ok)
}

/// The `.crate` files in `dir` of the packages `published`, with their sizes.
fn crate_sizes(dir: &std::path::Path, published: &[&String]) -> Result<Vec<(String, u64)>, String> {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let ours = published.iter().any(|p| name.starts_with(&format!("{p}-")));
        if name.ends_with(".crate") && ours {
            let bytes = std::fs::metadata(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .len();
            sizes.push((name, bytes));
        }
    }
    Ok(sizes)
}

/// Packages and verifies the published crates, then checks their sizes.
pub(crate) fn run(ws: &crate::Workspace) -> Result<ExitCode, String> {
    let root = ws.root.as_path();
    // The packages published, in dependency order.
    let client = &ws.layout.client;
    let published = [&client.runtime_package, &client.package];
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .args(["publish", "--dry-run", "--locked", "--allow-dirty"]);
    for p in published {
        cmd.args(["-p", p]);
    }
    let status = cmd.status().map_err(|e| format!("cargo publish: {e}"))?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    // A multi-package dry run verifies through a temporary registry and keeps no `.crate`
    // files; packaging again without verifying writes them to `target/package/` to be measured.
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .args(["package", "--locked", "--allow-dirty", "--no-verify"]);
    for p in published {
        cmd.args(["-p", p]);
    }
    if !cmd
        .status()
        .map_err(|e| format!("cargo package: {e}"))?
        .success()
    {
        return Ok(ExitCode::FAILURE);
    }
    let mut sizes = crate_sizes(&root.join("target").join("package"), &published)?;
    sizes.sort();
    let (lines, ok) = report(&sizes, BUDGET);
    println!(
        "packages (budget {:.0} MiB a .crate; crates.io refuses over 10 MB):",
        BUDGET as f64 / 1_048_576.0
    );
    for line in lines {
        println!("{line}");
    }
    Ok(if ok && !sizes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_over_the_budget_fails() {
        let sizes = [
            ("a-0.1.0.crate".to_owned(), 100),
            ("b-0.1.0.crate".to_owned(), 101),
        ];
        let (lines, ok) = report(&sizes, 100);
        assert!(!ok);
        assert!(
            lines[0].ends_with(" ok") && lines[1].ends_with("OVER BUDGET"),
            "{lines:?}"
        );
        assert!(report(&sizes[..1], 100).1);
    }
}
