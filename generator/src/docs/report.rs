//! What a docs check found, and its Markdown rendering for a pull request.

use std::fmt::Write as _;
use std::path::PathBuf;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec and the documentation disagree: fix the spec (or the docs are newer).
    Difference,
    /// An older page disagrees with the newest; the spec follows the newest.
    Info,
    /// The pages and the SDK's code of one release disagree; the spec follows the code for the
    /// wire: not a difference.
    PagesAndCode,
    /// The spec holds more than pages older than the release it follows, or holds it as that
    /// release says: not a difference.
    Beyond,
    /// A group the documentation has and the spec does not hold yet: not a difference.
    NotHeld,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Difference or information.
    pub severity: Severity,
    /// Where the documentation says it: `001_x.txt:689`, or `models.json`.
    pub source: String,
    /// What it is about: `AuthorizationApi.get_authorization_roles`, `model User`.
    pub subject: String,
    /// What differs.
    pub message: String,
}

/// A documentation page that was read, and its role.
#[derive(Debug, Clone)]
pub struct PageSummary {
    /// File name.
    pub file: String,
    /// API class.
    pub class: String,
    /// Number of operation sections.
    pub operations: usize,
    /// Whether it is its class's primary (newest) page.
    pub primary: bool,
    /// Whether a group of the spec names its class.
    pub held: bool,
}

/// The outcome of a docs check.
#[derive(Debug, Clone, Default)]
pub struct DocsReport {
    /// The docs folder.
    pub dir: PathBuf,
    /// Pages read.
    pub pages: Vec<PageSummary>,
    /// Files in `seeds/` that are not SDK documentation pages, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Every finding, differences first.
    pub findings: Vec<Finding>,
    /// Spec operations checked against a primary page.
    pub operations: usize,
    /// Legacy names confirmed by a page.
    pub legacy_names: usize,
    /// Models compared with the reference.
    pub models: usize,
    /// Fields compared with the reference.
    pub fields: usize,
}

impl DocsReport {
    /// Number of differences (findings that are not information).
    pub fn differences(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Difference)
            .count()
    }
}

/// Renders the report as Markdown, ready to paste into a pull request.
pub fn render(report: &DocsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Documentation check: {}\n", report.dir.display());
    pages_table(report, &mut out);
    let _ = writeln!(
        out,
        "\nChecked {} operations, {} legacy names, {} models with {} fields.\n",
        report.operations, report.legacy_names, report.models, report.fields
    );
    for (severity, title) in [
        (Severity::Difference, "Differences"),
        (Severity::Info, "Information"),
        (
            Severity::PagesAndCode,
            "Where the pages and the SDK's code disagree (the spec follows the code for the wire)",
        ),
        (
            Severity::Beyond,
            "What the spec holds beyond these older pages",
        ),
        (Severity::NotHeld, "Groups the spec does not hold yet"),
    ] {
        section(report, severity, title, &mut out);
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{} differences, {} information, {} where pages and code disagree, {} beyond older pages, {} groups not held yet",
        report.differences(),
        count(Severity::Info),
        count(Severity::PagesAndCode),
        count(Severity::Beyond),
        count(Severity::NotHeld)
    );
    out
}

/// The pages read, each with its role, and the files skipped.
fn pages_table(report: &DocsReport, out: &mut String) {
    let _ = writeln!(
        out,
        "| page | class | operations | role |\n|---|---|---|---|"
    );
    for p in &report.pages {
        let role = match (p.held, p.primary) {
            (false, _) => "group not held yet",
            (true, true) => "newest: checked",
            (true, false) => "older: disagreements are information",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {role} |",
            p.file, p.class, p.operations
        );
    }
    for (file, why) in &report.skipped {
        let _ = writeln!(
            out,
            "\nSkipped `{file}`: not an SDK documentation page ({why})."
        );
    }
}

/// The findings of one severity under their title.
fn section(report: &DocsReport, severity: Severity, title: &str, out: &mut String) {
    let items: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .collect();
    let _ = writeln!(out, "## {title} ({})\n", items.len());
    if items.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    for f in items {
        let at = if f.source.is_empty() {
            String::new()
        } else {
            format!("`{}` ", f.source)
        };
        let _ = writeln!(out, "- {at}**{}**: {}", f.subject, f.message);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity, source: &str, subject: &str, message: &str) -> Finding {
        Finding {
            severity,
            source: source.into(),
            subject: subject.into(),
            message: message.into(),
        }
    }

    #[test]
    fn the_report_renders_pages_counts_and_findings_by_severity() {
        let page = |file: &str, class: &str, primary, held| PageSummary {
            file: file.into(),
            class: class.into(),
            operations: 3,
            primary,
            held,
        };
        let report = DocsReport {
            dir: PathBuf::from("docs"),
            pages: vec![
                page("a.md", "AApi", true, true),
                page("b.md", "AApi", false, true),
                page("c.md", "CApi", false, false),
            ],
            skipped: vec![("x.md".into(), "no title".into())],
            findings: vec![
                finding(Severity::Difference, "a.md:4", "AApi.get", "differs"),
                finding(Severity::Info, "", "AApi.put", "noted"),
                finding(Severity::NotHeld, "c.md", "CApi", "3 operations"),
            ],
            operations: 2,
            legacy_names: 1,
            models: 5,
            fields: 9,
        };
        let expected = "# Documentation check: docs\n\n\
            | page | class | operations | role |\n|---|---|---|---|\n\
            | `a.md` | AApi | 3 | newest: checked |\n\
            | `b.md` | AApi | 3 | older: disagreements are information |\n\
            | `c.md` | CApi | 3 | group not held yet |\n\
            \nSkipped `x.md`: not an SDK documentation page (no title).\n\
            \nChecked 2 operations, 1 legacy names, 5 models with 9 fields.\n\n\
            ## Differences (1)\n\n- `a.md:4` **AApi.get**: differs\n\n\
            ## Information (1)\n\n- **AApi.put**: noted\n\n\
            ## Where the pages and the SDK's code disagree (the spec follows the code for the wire) (0)\n\nNone.\n\n\
            ## What the spec holds beyond these older pages (0)\n\nNone.\n\n\
            ## Groups the spec does not hold yet (1)\n\n- `c.md` **CApi**: 3 operations\n\n\
            1 differences, 1 information, 0 where pages and code disagree, 0 beyond older pages, 1 groups not held yet\n";
        assert_eq!(render(&report), expected);
        assert_eq!(report.differences(), 1);
    }
}
