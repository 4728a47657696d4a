//! A release of the generated crate: the version its changes need and its `CHANGELOG.md` entry,
//! decided from the spec before and after an import and the verdict of [`crate::diff`].
//! `cargo xtask release` does the I/O.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::diff::{Impact, SpecDiff};
use crate::spec::Spec;

/// A crate version, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

impl Version {
    /// Reads `major.minor.patch` (a pre-release or build suffix is not supported).
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
        let v = Version(parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(v)
    }

    /// The version a release with changes of `impact` needs, as Cargo reads compatibility: from
    /// 1.0 a breaking change bumps the major, an addition the minor; while 0.x, a breaking
    /// change bumps the minor and an addition the patch (0.3.x are compatible with each other).
    pub fn next(self, impact: Option<Impact>) -> Version {
        let Version(major, minor, patch) = self;
        match (impact, major) {
            (None, _) => self,
            (Some(Impact::Breaking), 0) => Version(0, minor + 1, 0),
            (Some(Impact::Breaking), _) => Version(major + 1, 0, 0),
            (Some(Impact::Additive), 0) | (Some(Impact::Patch), _) => {
                Version(major, minor, patch + 1)
            }
            (Some(Impact::Additive), _) => Version(major, minor + 1, 0),
        }
    }
}

/// The `CHANGELOG.md` entry of a release from `base` to `head`: groups, operations and models
/// added; what was deprecated; what was removed; each breaking change with its reason.
pub fn changelog_entry(
    base: &Spec,
    head: &Spec,
    diff: &SpecDiff,
    version: Version,
    vendor_release: Option<&str>,
) -> String {
    let mut out = headline(diff, version, vendor_release);
    let (b, h) = (Inventory::of(base), Inventory::of(head));
    let mut added = Vec::new();
    section_line(&mut added, "Groups", h.groups.difference(&b.groups));
    section_line(
        &mut added,
        "Operations",
        h.operations.difference(&b.operations),
    );
    section_line(&mut added, "Models", h.models.difference(&b.models));
    section(&mut out, "Added", &added);
    section(
        &mut out,
        "Deprecated",
        &lines(h.deprecated.difference(&b.deprecated)),
    );
    let mut removed = Vec::new();
    section_line(&mut removed, "Groups", b.groups.difference(&h.groups));
    section_line(
        &mut removed,
        "Operations",
        b.operations.difference(&h.operations),
    );
    section_line(&mut removed, "Models", b.models.difference(&h.models));
    section(&mut out, "Removed", &removed);
    let breaking: Vec<String> = diff
        .changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .map(|c| format!("{} ({}): {}", c.service, c.area, c.what))
        .chain(
            diff.rust_api
                .iter()
                .flat_map(|d| &d.changes)
                .filter(|c| !c.is_minor())
                .map(ToString::to_string),
        )
        .collect();
    section(&mut out, "Breaking", &breaking);
    out
}

/// The entry's heading and the sentence that sums it up.
fn headline(diff: &SpecDiff, version: Version, vendor_release: Option<&str>) -> String {
    let mut out = format!("## {version}");
    if let Some(r) = vendor_release {
        let _ = write!(out, " — vendor release {r}");
    }
    out.push_str("\n\n");
    let count = |i: Impact| diff.changes.iter().filter(|c| c.impact == i).count();
    let _ = write!(
        out,
        "A **{}** release: {} breaking, {} additive and {} other changes",
        diff.bump(),
        count(Impact::Breaking),
        count(Impact::Additive),
        count(Impact::Patch)
    );
    if let Some(delta) = &diff.rust_api {
        let (added, removed, changed) = delta.counts();
        let _ = write!(
            out,
            "; public Rust items: {added} added, {removed} removed, {changed} changed"
        );
    }
    out.push_str(".\n\n");
    out
}

/// What a spec holds, by name, for the changelog's lists.
struct Inventory {
    groups: BTreeSet<String>,
    operations: BTreeSet<String>,
    models: BTreeSet<String>,
    deprecated: BTreeSet<String>,
}

impl Inventory {
    fn of(spec: &Spec) -> Inventory {
        let mut inv = Inventory {
            groups: BTreeSet::new(),
            operations: BTreeSet::new(),
            models: BTreeSet::new(),
            deprecated: BTreeSet::new(),
        };
        for s in &spec.services {
            let service = &s.service.value.service;
            for g in &s.groups {
                let group = &g.value.group;
                inv.groups.insert(format!("`{service}/{group}`"));
                for op in &g.value.operations {
                    inv.operations.insert(format!("`{group}.{}`", op.name));
                    if op.deprecated.is_some() || op.undocumented_since.is_some() {
                        let why = match &op.undocumented_since {
                            Some(r) => format!("no longer documented since release {r}; kept"),
                            None => op.deprecated.clone().unwrap_or_default(),
                        };
                        inv.deprecated
                            .insert(format!("`{group}.{}`: {why}", op.name));
                    }
                }
            }
            inv.models
                .extend(s.models.iter().map(|m| format!("`{}`", m.value.name)));
        }
        inv
    }
}

/// One line of a section: a heading and the names, when there are any.
fn section_line<'a>(lines: &mut Vec<String>, what: &str, names: impl Iterator<Item = &'a String>) {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if !names.is_empty() {
        lines.push(format!("{what} ({}): {}", names.len(), names.join(", ")));
    }
}

fn lines<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    items.cloned().collect()
}

fn section(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {title}\n");
    for l in lines {
        let _ = writeln!(out, "- {l}");
    }
    out.push('\n');
}

/// `CHANGELOG.md` with `entry` put first, below the title; a new file when there is none.
pub fn prepend(changelog: Option<&str>, entry: &str) -> String {
    const TITLE: &str = "# Changelog\n\nEach release of `genesys-cloud-client`, newest first, written by `cargo xtask release`.\n\n";
    match changelog {
        Some(text) => match text.find("\n## ") {
            Some(at) => format!("{}{entry}{}", &text[..=at], &text[at + 1..]),
            None => format!("{}\n{entry}", text.trim_end_matches('\n').to_owned() + "\n"),
        },
        None => format!("{TITLE}{entry}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargos_compatibility() {
        let v = Version::parse("0.3.0").unwrap();
        assert_eq!(v.next(None), v);
        assert_eq!(v.next(Some(Impact::Patch)).to_string(), "0.3.1");
        assert_eq!(v.next(Some(Impact::Additive)).to_string(), "0.3.1");
        assert_eq!(v.next(Some(Impact::Breaking)).to_string(), "0.4.0");
        let one = Version(1, 2, 3);
        assert_eq!(one.next(Some(Impact::Patch)).to_string(), "1.2.4");
        assert_eq!(one.next(Some(Impact::Additive)).to_string(), "1.3.0");
        assert_eq!(one.next(Some(Impact::Breaking)).to_string(), "2.0.0");
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3.4"), None);
        assert_eq!(Version::parse("1.x.3"), None);
    }

    #[test]
    fn entries_go_first_below_the_title() {
        let first = prepend(None, "## 0.3.1\n\nA.\n");
        assert!(
            first.starts_with("# Changelog\n") && first.ends_with("## 0.3.1\n\nA.\n"),
            "{first}"
        );
        let second = prepend(Some(&first), "## 0.4.0\n\nB.\n");
        let at = |s: &str| second.find(s).unwrap();
        assert!(
            at("# Changelog") < at("## 0.4.0") && at("## 0.4.0") < at("## 0.3.1"),
            "{second}"
        );
        assert_eq!(
            prepend(Some("# Changelog\n"), "## 1.0.0\n"),
            "# Changelog\n\n## 1.0.0\n"
        );
    }
}
