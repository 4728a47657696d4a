//! `cargo xtask house`: the size rules of the hand-written code, checked. A function (outside
//! tests) fits on a screen, 60 lines; a module fits in 600 lines before its tests, or says at
//! its top why not, in a module doc line starting `Size:`.
//!
//! The code is rustfmt-formatted (CI checks it), so lines are enough to read it: a function
//! starts at a line `fn name` and ends at the first line that closes a brace at its indent.
//! What does not yet hold is listed in `xtask/house.allow`, one `path function` or `path` per
//! line; the list may only shrink: an entry that no longer fails is itself a failure, so a
//! mended function leaves the list in the same commit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The longest function, in lines (a screen).
pub(crate) const MAX_FUNCTION: usize = 60;
/// The longest module before its tests, in lines, unless it says why.
pub(crate) const MAX_MODULE: usize = 600;
/// The folders of hand-written code the rules apply to.
const FOLDERS: &[&str] = &["generator/src", "runtime/src", "xtask/src"];
/// The list of what does not hold yet.
const ALLOW: &str = "xtask/house.allow";

/// A rule broken: `path function` for a long function, `path` for a long module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Breach {
    /// The entry that would allow it.
    pub(crate) key: String,
    /// What is wrong, for the report.
    pub(crate) what: String,
}

/// Runs the check and prints what fails.
pub(crate) fn run(root: &Path) -> Result<ExitCode, String> {
    let (breaches, stale) = check(root)?;
    for b in &breaches {
        println!("{}: {}", b.key, b.what);
    }
    for s in &stale {
        println!("{s}: listed in {ALLOW} but holds now; remove the entry");
    }
    if breaches.is_empty() && stale.is_empty() {
        let listed = allowed(root)?.len();
        println!("the house rules hold ({listed} exceptions listed in {ALLOW})");
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// The breaches not listed in the allow file, and the entries of it that hold now.
pub(crate) fn check(root: &Path) -> Result<(Vec<Breach>, Vec<String>), String> {
    let allow = allowed(root)?;
    let mut found = Vec::new();
    for folder in FOLDERS {
        for file in rust_files(&root.join(folder))? {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let rel = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            found.extend(breaches(&rel, &text));
        }
    }
    let keys: BTreeSet<&str> = found.iter().map(|b| b.key.as_str()).collect();
    let stale = allow
        .iter()
        .filter(|a| !keys.contains(a.as_str()))
        .cloned()
        .collect();
    let new = found
        .into_iter()
        .filter(|b| !allow.contains(&b.key))
        .collect();
    Ok((new, stale))
}

fn allowed(root: &Path) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(root.join(ALLOW)).map_err(|e| format!("{ALLOW}: {e}"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Every `.rs` file under `dir` (as the MSRV check walks them), but test-only files (`tests.rs`).
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = crate::msrv::rust_files(dir)?;
    files.retain(|f| f.file_name().is_none_or(|n| n != "tests.rs"));
    Ok(files)
}

/// The rules `text` (the file `rel`) breaks.
pub(crate) fn breaches(rel: &str, text: &str) -> Vec<Breach> {
    let lines: Vec<&str> = text.lines().collect();
    // The module's own code ends where its tests start.
    let end = lines
        .iter()
        .position(|l| *l == "#[cfg(test)]")
        .unwrap_or(lines.len());
    let mut out = Vec::new();
    let reason = lines
        .iter()
        .take_while(|l| l.starts_with("//!"))
        .any(|l| l.starts_with("//! Size:"));
    if end > MAX_MODULE && !reason {
        out.push(Breach {
            key: rel.to_owned(),
            what: format!(
                "{end} lines before its tests (at most {MAX_MODULE}, or a `//! Size:` reason)"
            ),
        });
    }
    for (start, name, length) in functions(&lines[..end]) {
        if length > MAX_FUNCTION {
            out.push(Breach {
                key: format!("{rel} {name}"),
                what: format!(
                    "`{name}` (line {}) has {length} lines (at most {MAX_FUNCTION})",
                    start + 1
                ),
            });
        }
    }
    out
}

/// Each function of rustfmt-formatted `lines`: its first line, name and length in lines.
fn functions(lines: &[&str]) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((indent, name)) = fn_start(line) else {
            continue;
        };
        let close = format!("{}}}", " ".repeat(indent));
        let end = if line.trim_end().ends_with('}') || line.trim_end().ends_with(';') {
            Some(i)
        } else {
            lines[i + 1..]
                .iter()
                .position(|l| l.starts_with(&close) && l[indent + 1..].trim().is_empty())
                .map(|n| i + 1 + n)
        };
        if let Some(end) = end {
            out.push((i, name, end - i + 1));
        }
    }
    out
}

/// The indent and name of a line that starts a function.
fn fn_start(line: &str) -> Option<(usize, String)> {
    let indent = line.len() - line.trim_start().len();
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let name: String = rest
        .strip_prefix("fn ")?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some((indent, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_functions_and_modules_are_found_and_tests_are_not() {
        let body: String = (0..MAX_FUNCTION)
            .map(|i| format!("    let x{i} = {i};\n"))
            .collect();
        let text = format!(
            "//! A module.\n\nfn short() {{}}\n\npub(crate) async fn long() {{\n{body}}}\n\nimpl A {{\n    fn fits(&self) {{\n        x();\n    }}\n}}\n\n#[cfg(test)]\nmod tests {{\n    fn in_tests() {{\n{body}    }}\n}}\n"
        );
        let found = breaches("a.rs", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].key, "a.rs long");
        assert!(found[0].what.contains("has 62 lines"), "{}", found[0].what);
        let big: String = (0..=MAX_MODULE).map(|_| "const X: u8 = 1;\n").collect();
        assert_eq!(breaches("b.rs", &big)[0].key, "b.rs");
        assert!(breaches("c.rs", &format!("//! Size: one table.\n{big}")).is_empty());
    }

    #[test]
    fn the_house_rules_hold_or_are_listed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let (breaches, stale) = check(root).unwrap();
        let listing: Vec<String> = breaches
            .iter()
            .map(|b| format!("{}: {}", b.key, b.what))
            .collect();
        assert!(
            breaches.is_empty(),
            "split these or say why:\n{}",
            listing.join("\n")
        );
        assert!(
            stale.is_empty(),
            "these hold now: remove them from {ALLOW}: {stale:?}"
        );
    }
}
