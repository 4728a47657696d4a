//! The spec diff as Markdown, with the Rust items that changed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Impact;
use crate::surface::{Delta, ItemChange};

use super::{Change, SpecDiff};

/// The public items section: every removed and changed item, the added ones by module.
pub(super) fn render_items(out: &mut String, delta: &Delta) {
    let (added, removed, changed) = delta.counts();
    let _ = writeln!(
        out,
        "## Public Rust items\n\n{added} added, {removed} removed, {changed} changed.\n"
    );
    let minor = |c: &&ItemChange| matches!(c, ItemChange::Added(_) | ItemChange::Deprecated(_));
    for c in delta.changes.iter().filter(|c| !minor(c)) {
        let _ = writeln!(out, "- **breaking**: {c}");
    }
    if added > 0 {
        let _ = writeln!(
            out,
            "\n<details><summary>{added} items added or deprecated</summary>\n"
        );
        for c in delta.changes.iter().filter(minor) {
            let _ = writeln!(out, "- {c}");
        }
        out.push_str("\n</details>\n");
    }
    out.push('\n');
}

/// The report as Markdown, for a pull request description.
pub fn render(diff: &SpecDiff, base: &str, head: &str) -> String {
    let mut out = format!("# Spec changes: `{base}` → `{head}`\n\n");
    if diff.changes.is_empty() && diff.rust_api.as_ref().is_none_or(|d| d.changes.is_empty()) {
        out.push_str("No changes.\n\nThe generated crate needs no release.\n");
        return out;
    }
    let count = |i| diff.changes.iter().filter(|c| c.impact == i).count();
    let _ = writeln!(
        out,
        "{} breaking, {} additive, {} other changes.\n",
        count(Impact::Breaking),
        count(Impact::Additive),
        count(Impact::Patch)
    );
    render_changes(&mut out, &diff.changes);
    if let Some(delta) = &diff.rust_api {
        render_items(&mut out, delta);
    }
    if let Some((rules, items)) = diff.disagreement() {
        let say = |i: Option<Impact>| {
            i.map_or("no public change".to_owned(), |i| {
                format!("{i:?}").to_lowercase()
            })
        };
        let _ = writeln!(
            out,
            "**Note:** the spec's rules say {}, the public items say {}; the verdict takes the larger (a rule of \
             docs/spec-diff.md to correct).\n",
            say(rules),
            say(items)
        );
    }
    let _ = writeln!(
        out,
        "**Semver:** the generated crate needs a **{}** release{}.",
        diff.bump(),
        if diff.impact() == Some(Impact::Breaking) {
            " (a minor one while it is 0.x)"
        } else {
            ""
        }
    );
    out
}

/// The changes, by service and area, breaking ones first.
fn render_changes(out: &mut String, changes: &[Change]) {
    let mut by_area: BTreeMap<(&str, &str), Vec<&Change>> = BTreeMap::new();
    for c in changes {
        by_area.entry((&c.service, &c.area)).or_default().push(c);
    }
    let mut last_service = "";
    for ((service, area), changes) in by_area {
        if service != last_service {
            let _ = writeln!(out, "## {service}\n");
            last_service = service;
        }
        let _ = writeln!(out, "### {area}\n");
        let mut changes = changes;
        changes.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.what.cmp(&b.what)));
        for c in changes {
            let tag = match c.impact {
                Impact::Breaking if c.behavioural => "**breaking** (behaviour)",
                Impact::Breaking => "**breaking**",
                Impact::Additive => "additive",
                Impact::Patch => "patch",
            };
            let _ = writeln!(out, "- {tag}: {}", c.what);
        }
        out.push('\n');
    }
}
