//! Docs conformance: compare the spec with the vendor's documentation.
//!
//! A docs folder is laid out like `../shared`: SDK documentation pages in
//! `seeds/` (any generation, any SDK language of the format [`page`] parses) and
//! the model reference in `reference/models.json`. [`check`] lists every
//! difference between them and the spec.
//!
//! Rules (also in `spec/README.md`):
//! - A page is matched to the spec group whose `sdk_class` equals the page's title.
//! - Each page is checked only for the facts it states; silence is not a difference.
//! - An operation is found by its current name, else by a legacy name. A page
//!   operation that is in neither, or whose method or path differ, is a difference.
//! - For each class, the *primary* page is the one documenting the most operations
//!   under their current names (the newest generation). Its facts must match the
//!   spec exactly. Where an older page (legacy names, or fewer operations) disagrees
//!   on a shape, the report lists it as information, not as a difference.
//! - Every spec operation of a documented group must be on the primary page.
//! - Models: every model of the reference must be in the spec with the same fields,
//!   types, required flags and enum values, and the documented services' models
//!   must all be in the reference.

pub mod doctype;
mod models;
mod operation;
pub mod page;
pub mod reference;
mod report;
pub mod sdk_code;
pub mod sdk_types;
pub mod topics;
mod verdict;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub(crate) use self::models::reachable_models;
use self::page::{DocOperation, DocPage};
use self::reference::ModelReference;
pub use self::report::{DocsReport, Finding, PageSummary, Severity, render};
use self::sdk_code::SdkCode;
use self::verdict::{Kind, Match, Role, older_than};
use crate::spec::format::{GroupFile, Operation};
use crate::spec::types::TypeExpr;
use crate::spec::{ServiceFiles, Spec};

/// Text as the vendor's Markdown renders it: a backslash before ASCII punctuation (`\"Home\"`,
/// `\\`) is CommonMark's escape of that character, so only the character is kept; any other
/// backslash is text.
pub(crate) fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next)) if next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// The documentation pages of `dir`, in either published form: the website form's `seeds/`
/// (every file), or the repository form's `docs/*Api.md` (the other pages are models, read from
/// the model reference instead).
pub fn page_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let (folder, repository) = if dir.join("seeds").is_dir() {
        (dir.join("seeds"), false)
    } else {
        (dir.join("docs"), true)
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| {
            format!(
                "cannot read {} (a docs folder holds `seeds/` or `docs/`): {e}",
                folder.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            !repository
                || p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with("Api.md"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Compares `spec` with the documentation in `dir` (see [`page_files`]; the model reference is
/// `reference/models.json` or `models.json`). Errors only when no page folder can be read.
pub fn check(spec: &Spec, dir: &Path) -> Result<DocsReport, String> {
    let files = page_files(dir)?;
    let code = match sdk_code::find(dir) {
        Some(d) => Some(sdk_code::read(&d)?),
        None => None,
    };
    let mut report = DocsReport {
        dir: dir.to_path_buf(),
        ..Default::default()
    };
    let reference = read_reference(dir)?;
    let pages = read_pages(spec, &files, reference.as_ref(), &mut report);
    let classes = Classes::new(spec, &pages);
    let mut seen = Seen::default();
    for (pi, page) in pages.iter().enumerate() {
        check_page(
            &classes,
            &pages,
            pi,
            page,
            code.as_ref(),
            &mut seen,
            &mut report,
        );
    }
    if let Some(mappings) = topics::read(dir)? {
        topics::compare(spec, &mappings, &mut report);
    }
    undocumented_operations(&classes, &pages, &seen.legacy, &mut report);
    match &reference {
        Some(reference) => check_models(spec, reference, &classes, &pages, seen, &mut report),
        None => report.findings.push(Finding {
            severity: Severity::Info,
            source: "reference/models.json".into(),
            subject: "models".into(),
            message: "no model reference in the docs folder; models were not checked".into(),
        }),
    }
    report.findings.sort();
    Ok(report)
}

/// Every page of `files` that parses, its types resolved against the reference; the others are
/// skipped with the reason, and what a page could not read is information.
fn read_pages(
    spec: &Spec,
    files: &[PathBuf],
    reference: Option<&ModelReference>,
    report: &mut DocsReport,
) -> Vec<DocPage> {
    let spec_models: BTreeSet<&str> = spec
        .services
        .iter()
        .flat_map(|s| &s.models)
        .map(|m| m.value.name.as_str())
        .collect();
    let held = |name: &str| spec_models.contains(name);
    let mut pages = Vec::new();
    for f in files {
        let name = file_name(f);
        let text = match std::fs::read_to_string(f) {
            Ok(text) => text,
            Err(e) => {
                report.skipped.push((name, format!("unreadable: {e}")));
                continue;
            }
        };
        let mut page = match DocPage::parse(f, &text) {
            Ok(page) => page,
            Err(why) => {
                report.skipped.push((name, why.0));
                continue;
            }
        };
        if let Some(reference) = reference {
            resolve_types(&mut page, reference, &held);
        }
        for (line, warning) in &page.warnings {
            report.findings.push(Finding {
                severity: Severity::Info,
                source: format!("{name}:{line}"),
                subject: page.class.clone(),
                message: format!("not read: {warning}"),
            });
        }
        pages.push(page);
    }
    pages
}

/// Which spec group holds each documented class, and each held class's primary page.
struct Classes<'a> {
    /// The group whose `sdk_class` is the class: its service and index.
    groups: BTreeMap<&'a str, (&'a ServiceFiles, usize)>,
    /// The primary page of each held class: its operations under current names, its index.
    primary: BTreeMap<&'a str, (usize, usize)>,
}

impl<'a> Classes<'a> {
    /// The primary page of a class documents the most operations under current names; the
    /// later file wins ties.
    fn new(spec: &'a Spec, pages: &'a [DocPage]) -> Self {
        let mut groups = BTreeMap::new();
        for s in &spec.services {
            for (gi, g) in s.groups.iter().enumerate() {
                if let Some(class) = &g.value.sdk_class {
                    groups.insert(class.as_str(), (s, gi));
                }
            }
        }
        let mut primary: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (pi, p) in pages.iter().enumerate() {
            let Some((s, gi)) = groups.get(p.class.as_str()) else {
                continue;
            };
            let ops = &s.groups[*gi].value.operations;
            let current = p
                .operations
                .iter()
                .filter(|o| ops.iter().any(|s| s.name == o.name))
                .count();
            let best = primary.entry(p.class.as_str()).or_insert((current, pi));
            if current >= best.0 {
                *best = (current, pi);
            }
        }
        Classes { groups, primary }
    }

    fn group(&self, class: &str) -> Option<(&'a ServiceFiles, &'a GroupFile)> {
        self.groups
            .get(class)
            .map(|(s, gi)| (*s, &s.groups[*gi].value))
    }

    fn primary_page(&self, class: &str) -> Option<usize> {
        self.primary.get(class).map(|(_, pi)| *pi)
    }
}

/// What the pages confirmed, for the checks after them.
#[derive(Default)]
struct Seen<'a> {
    /// Legacy names a page documents.
    legacy: BTreeSet<String>,
    /// Services a held page belongs to: their models are checked.
    services: BTreeSet<&'a str>,
    /// The release a group follows when its newest page is older: models are then checked for
    /// omissions only.
    older_release: Option<String>,
}

/// One page: its summary, and each of its operations against the spec when its class is held.
fn check_page<'a>(
    classes: &Classes<'a>,
    pages: &[DocPage],
    pi: usize,
    page: &DocPage,
    code: Option<&SdkCode>,
    seen: &mut Seen<'a>,
    report: &mut DocsReport,
) {
    let file = file_name(&page.path);
    let primary = classes.primary_page(&page.class);
    let group = classes.group(&page.class);
    report.pages.push(PageSummary {
        file: file.clone(),
        class: page.class.clone(),
        operations: page.operations.len(),
        primary: primary == Some(pi),
        held: group.is_some(),
    });
    let Some((service, group)) = group else {
        report.findings.push(Finding {
            severity: Severity::NotHeld,
            source: file,
            subject: page.class.clone(),
            message: format!(
                "{} operations; no group of the spec names `{}` as its `sdk_class` yet",
                page.operations.len(),
                page.class
            ),
        });
        return;
    };
    seen.services.insert(service.service.value.service.as_str());
    let release = group.docs_release.as_deref();
    if primary == Some(pi) && older_than(page.release.as_deref(), release) {
        seen.older_release = group.docs_release.clone();
    }
    let check = PageCheck {
        page,
        file,
        is_primary: primary == Some(pi),
        release,
        primary_file: primary
            .map(|p| file_name(&pages[p].path))
            .unwrap_or_default(),
        ops: &group.operations,
        code,
    };
    for dop in &page.operations {
        check.operation(dop, &mut seen.legacy, report);
    }
}

/// A held page, ready to check its operations.
struct PageCheck<'p> {
    page: &'p DocPage,
    file: String,
    is_primary: bool,
    /// The release its group follows.
    release: Option<&'p str>,
    /// The class's primary page.
    primary_file: String,
    ops: &'p [Operation],
    code: Option<&'p SdkCode>,
}

impl PageCheck<'_> {
    fn operation(
        &self,
        dop: &DocOperation,
        legacy: &mut BTreeSet<String>,
        report: &mut DocsReport,
    ) {
        let source = format!("{}:{}", self.file, dop.line);
        let subject = format!("{}.{}", self.page.class, dop.name);
        let Some((op, how)) = operation::find(self.ops, &dop.name) else {
            report.findings.push(Finding {
                severity: Severity::Difference,
                source,
                subject,
                message: operation::not_in_spec(self.ops, dop),
            });
            return;
        };
        if how == Match::Legacy {
            legacy.insert(dop.name.clone());
        }
        let mut out = Vec::new();
        operation::compare(dop, op, &mut out);
        if let Some(c) = self.code.and_then(|c| c.operations.get(&dop.name)) {
            operation::compare_code(c, op, &mut out);
            for message in operation::pages_and_code(dop, c) {
                report.findings.push(Finding {
                    severity: Severity::PagesAndCode,
                    source: format!("{} / {}", source, c.source),
                    subject: subject.clone(),
                    message,
                });
            }
        }
        let role = self.role(how);
        for (kind, message) in out {
            let (severity, message) = role.classify(kind, message);
            report.findings.push(Finding {
                severity,
                source: source.clone(),
                subject: subject.clone(),
                message,
            });
        }
    }

    /// How strictly this page is held for an operation found `how`.
    fn role(&self, how: Match) -> Role {
        if self.is_primary && how == Match::Current {
            Role::newest(self.page.release.as_deref(), self.release)
        } else {
            Role::Superseded(self.primary_file.clone())
        }
    }
}

/// Spec operations missing from their class's primary page, and legacy names no page confirmed;
/// counts those confirmed.
fn undocumented_operations(
    classes: &Classes<'_>,
    pages: &[DocPage],
    legacy: &BTreeSet<String>,
    report: &mut DocsReport,
) {
    for (class, (service, gi)) in &classes.groups {
        let Some(pi) = classes.primary_page(class) else {
            continue;
        };
        let page = &pages[pi];
        let group = &service.groups[*gi].value;
        for op in &group.operations {
            let subject = format!("{class}.{}", op.name);
            if page.operations.iter().any(|d| d.name == op.name) {
                report.operations += 1;
            } else {
                let finding = not_on_page(page, group.docs_release.as_deref(), op, &subject);
                report.findings.push(finding);
            }
            for name in &op.legacy_names {
                if legacy.contains(name) {
                    report.legacy_names += 1;
                } else {
                    report.findings.push(Finding {
                        severity: Severity::Info,
                        source: String::new(),
                        subject: subject.clone(),
                        message: format!("legacy name `{name}` is not on any page read"),
                    });
                }
            }
        }
    }
}

/// A spec operation its class's primary page does not document: kept on purpose, or beyond it.
fn not_on_page(page: &DocPage, release: Option<&str>, op: &Operation, subject: &str) -> Finding {
    let source = file_name(&page.path);
    let subject = subject.to_owned();
    if let Some(since) = &op.undocumented_since {
        return Finding {
            severity: Severity::Info,
            source,
            subject,
            message: format!(
                "`{}` is no longer documented since release {since}; kept, generated deprecated",
                op.name
            ),
        };
    }
    let role = Role::newest(page.release.as_deref(), release);
    let (severity, message) = role.classify(
        Kind::Beyond,
        format!(
            "`{}` ({} {}) is in the spec but not documented on the newest page",
            op.name, op.method, op.path
        ),
    );
    Finding {
        severity,
        source,
        subject,
        message,
    }
}

/// Models: those the documented services hold, and those the held groups' documented operations
/// reach.
fn check_models(
    spec: &Spec,
    reference: &ModelReference,
    classes: &Classes<'_>,
    pages: &[DocPage],
    seen: Seen<'_>,
    report: &mut DocsReport,
) {
    let services: Vec<&ServiceFiles> = spec
        .services
        .iter()
        .filter(|s| seen.services.contains(s.service.value.service.as_str()))
        .collect();
    let roots = pages
        .iter()
        .filter(|p| classes.group(&p.class).is_some())
        .flat_map(|p| &p.operations)
        .flat_map(DocOperation::models);
    let reachable = reachable_models(reference, roots);
    let role = seen.older_release.map_or(Role::Strict, Role::Older);
    models::compare(reference, &services, &reachable, &role, report);
}

/// The model reference of a docs folder: `reference/models.json` (beside the website form's
/// `seeds/`) or `models.json` (the repository form); `None` when it has neither.
///
/// # Errors
///
/// When the file exists but cannot be read or is not a model reference.
pub fn read_reference(dir: &Path) -> Result<Option<ModelReference>, String> {
    let path = [
        dir.join("reference").join("models.json"),
        dir.join("models.json"),
    ]
    .into_iter()
    .find(|p| p.is_file());
    let Some(mut reference) = path.map(|p| ModelReference::read(&p)).transpose()? else {
        return Ok(None);
    };
    reference.sdk_types = sdk_types::SdkTypes::read(dir);
    Ok(Some(reference))
}

/// The page's parameter and return types with their names resolved (see
/// [`ModelReference::resolve`]), before anything asks whether a parameter is the body.
pub(crate) fn resolve_types(
    page: &mut DocPage,
    reference: &ModelReference,
    held: &dyn Fn(&str) -> bool,
) {
    for op in &mut page.operations {
        for p in op.parameters.iter_mut().flatten() {
            p.ty = reference.resolve(
                std::mem::replace(&mut p.ty, doctype::DocType::Nothing),
                held,
            );
        }
        if let Some(ret) = op.returns.take() {
            op.returns = Some(reference.resolve(ret, held));
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn parse(ty: &str) -> Option<TypeExpr> {
    TypeExpr::parse(ty).ok()
}

/// Whether documented values restrict a spec type (see [`TypeExpr::takes_values`]).
pub(crate) fn takes_values(ty: &str) -> bool {
    TypeExpr::parse(ty).is_ok_and(|t| t.takes_values())
}

#[cfg(test)]
mod tests {
    use super::unescape_markdown;

    #[test]
    fn markdown_escapes_read_as_the_characters_they_escape() {
        let samples = [
            (
                r#"the \"Home\" (default) division"#,
                r#"the "Home" (default) division"#,
            ),
            (
                r#"not allowed: \\{^}%`]\">[~<#"#,
                r#"not allowed: \{^}%`]">[~<#"#,
            ),
            (r"C:\temp and a\b stay", r"C:\temp and a\b stay"),
            (r"ends with \", r"ends with \"),
            (
                r"\*not emphasis\*, \[not a link\]",
                "*not emphasis*, [not a link]",
            ),
            ("é \\\"ü\\\"", "é \"ü\""),
        ];
        for (text, rendered) in samples {
            assert_eq!(unescape_markdown(text), rendered, "{text}");
        }
    }
}
