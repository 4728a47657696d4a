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
pub mod page;
pub mod reference;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use self::doctype::DocType;
use self::page::{DocOperation, DocPage, DocRequirement};
use self::reference::ModelReference;
use crate::spec::format::{Operation, Requirement};
use crate::spec::types::TypeExpr;
use crate::spec::{ServiceFiles, Spec};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec and the documentation disagree: fix the spec (or the docs are newer).
    Difference,
    /// An older page disagrees with the newest; the spec follows the newest.
    Info,
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
        self.findings.iter().filter(|f| f.severity == Severity::Difference).count()
    }
}

/// How a page operation was found in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Current,
    Legacy,
}

/// The documentation pages of `dir`, in either published form: the website form's `seeds/`
/// (every file), or the repository form's `docs/*Api.md` (the other pages are models, read from
/// the model reference instead).
fn page_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let (folder, repository) = if dir.join("seeds").is_dir() { (dir.join("seeds"), false) } else { (dir.join("docs"), true) };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| format!("cannot read {} (a docs folder holds `seeds/` or `docs/`): {e}", folder.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| !repository || p.file_name().is_some_and(|n| n.to_string_lossy().ends_with("Api.md")))
        .collect();
    files.sort();
    Ok(files)
}

/// Compares `spec` with the documentation in `dir` (see [`page_files`]; the model reference is
/// `reference/models.json` or `models.json`). Errors only when no page folder can be read.
pub fn check(spec: &Spec, dir: &Path) -> Result<DocsReport, String> {
    let files = page_files(dir)?;

    let mut report = DocsReport { dir: dir.to_path_buf(), ..Default::default() };
    let mut pages = Vec::new();
    for f in &files {
        let name = file_name(f);
        match std::fs::read_to_string(f) {
            Ok(text) => match DocPage::parse(f, &text) {
                Ok(p) => {
                    for (line, warning) in &p.warnings {
                        report.findings.push(Finding {
                            severity: Severity::Info,
                            source: format!("{name}:{line}"),
                            subject: p.class.clone(),
                            message: format!("not read: {warning}"),
                        });
                    }
                    pages.push(p)
                }
                Err(why) => report.skipped.push((name, why.0)),
            },
            Err(e) => report.skipped.push((name, format!("unreadable: {e}"))),
        }
    }

    // Which spec group each class belongs to.
    let mut groups: BTreeMap<&str, (&ServiceFiles, usize)> = BTreeMap::new();
    for s in &spec.services {
        for (gi, g) in s.groups.iter().enumerate() {
            if let Some(class) = &g.value.sdk_class {
                groups.insert(class.as_str(), (s, gi));
            }
        }
    }

    // The primary page of each class: most operations under current names; later file wins ties.
    let mut primary: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (pi, p) in pages.iter().enumerate() {
        let Some((s, gi)) = groups.get(p.class.as_str()) else { continue };
        let ops = &s.groups[*gi].value.operations;
        let current = p.operations.iter().filter(|o| ops.iter().any(|s| s.name == o.name)).count();
        let best = primary.entry(p.class.as_str()).or_insert((current, pi));
        if current >= best.0 {
            *best = (current, pi);
        }
    }

    let mut confirmed_legacy = BTreeSet::new();
    let mut documented_services = BTreeSet::new();
    for (pi, page) in pages.iter().enumerate() {
        let file = file_name(&page.path);
        let is_primary = primary.get(page.class.as_str()).is_some_and(|(_, p)| *p == pi);
        report.pages.push(PageSummary {
            file: file.clone(),
            class: page.class.clone(),
            operations: page.operations.len(),
            primary: is_primary,
        });
        let Some((service, gi)) = groups.get(page.class.as_str()) else {
            report.findings.push(Finding {
                severity: Severity::NotHeld,
                source: file.clone(),
                subject: page.class.clone(),
                message: format!(
                    "{} operations; no group of the spec names `{}` as its `sdk_class` yet",
                    page.operations.len(),
                    page.class
                ),
            });
            continue;
        };
        documented_services.insert(service.service.value.service.as_str());
        let ops = &service.groups[*gi].value.operations;
        let primary_file = primary.get(page.class.as_str()).map(|(_, p)| file_name(&pages[*p].path)).unwrap_or_default();
        for dop in &page.operations {
            let source = format!("{file}:{}", dop.line);
            let subject = format!("{}.{}", page.class, dop.name);
            let found = ops
                .iter()
                .find(|o| o.name == dop.name)
                .map(|o| (o, Match::Current))
                .or_else(|| ops.iter().find(|o| o.legacy_names.contains(&dop.name)).map(|o| (o, Match::Legacy)));
            let Some((op, how)) = found else {
                let by_route =
                    ops.iter().find(|o| Some(o.method.as_str()) == dop.method.as_deref() && Some(o.path.as_str()) == dop.path.as_deref());
                let message = match by_route {
                    Some(o) => format!(
                        "`{}` is not in the spec; the spec has {} {} as `{}`: add `{}` to its `legacy_names`",
                        dop.name, o.method, o.path, o.name, dop.name
                    ),
                    None => format!(
                        "operation `{}`{} is documented but not in the spec",
                        dop.name,
                        route(dop).map(|r| format!(" ({r})")).unwrap_or_default()
                    ),
                };
                report.findings.push(Finding { severity: Severity::Difference, source, subject, message });
                continue;
            };
            if how == Match::Legacy {
                confirmed_legacy.insert(dop.name.clone());
            }
            let mut strict_out = Vec::new();
            if let (Some(m), Some(p)) = (&dop.method, &dop.path)
                && (m != op.method.as_str() || *p != op.path)
            {
                report.findings.push(Finding {
                    severity: Severity::Difference,
                    source: source.clone(),
                    subject: subject.clone(),
                    message: format!("documented as {m} {p}, the spec has {} {}", op.method, op.path),
                });
            }
            compare_operation(dop, op, &mut strict_out);
            let strict = is_primary && how == Match::Current;
            for message in strict_out {
                let (severity, message) = if strict {
                    (Severity::Difference, message)
                } else {
                    (Severity::Info, format!("{message} (older page; the spec follows {primary_file})"))
                };
                report.findings.push(Finding { severity, source: source.clone(), subject: subject.clone(), message });
            }
        }
    }

    // Spec operations missing from their class's primary page.
    for (class, (service, gi)) in &groups {
        let Some((_, pi)) = primary.get(class) else { continue };
        let page = &pages[*pi];
        for op in &service.groups[*gi].value.operations {
            if page.operations.iter().any(|d| d.name == op.name) {
                report.operations += 1;
            } else {
                report.findings.push(Finding {
                    severity: Severity::Difference,
                    source: file_name(&page.path),
                    subject: format!("{class}.{}", op.name),
                    message: format!("`{}` ({} {}) is in the spec but not documented on the newest page", op.name, op.method, op.path),
                });
            }
            for legacy in &op.legacy_names {
                if confirmed_legacy.contains(legacy) {
                    report.legacy_names += 1;
                } else {
                    report.findings.push(Finding {
                        severity: Severity::Info,
                        source: String::new(),
                        subject: format!("{class}.{}", op.name),
                        message: format!("legacy name `{legacy}` is not on any page read"),
                    });
                }
            }
        }
    }

    // Models: those the spec holds, and those the held groups' documented operations reach.
    let ref_path = [dir.join("reference").join("models.json"), dir.join("models.json")].into_iter().find(|p| p.is_file());
    if let Some(ref_path) = ref_path {
        let reference = ModelReference::read(&ref_path)?;
        let services: Vec<&ServiceFiles> =
            spec.services.iter().filter(|s| documented_services.contains(s.service.value.service.as_str())).collect();
        let roots =
            pages.iter().filter(|p| groups.contains_key(p.class.as_str())).flat_map(|p| &p.operations).flat_map(|o| {
                o.returns.iter().chain(o.parameters.iter().flatten().map(|p| &p.ty)).filter_map(model_name).collect::<Vec<_>>()
            });
        let reachable = reachable_models(&reference, roots);
        compare_models(&reference, &services, &reachable, &mut report);
    } else {
        report.findings.push(Finding {
            severity: Severity::Info,
            source: "reference/models.json".into(),
            subject: "models".into(),
            message: "no model reference in the docs folder; models were not checked".into(),
        });
    }
    report.findings.sort();
    Ok(report)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn route(d: &DocOperation) -> Option<String> {
    Some(format!("{} {}", d.method.as_deref()?, d.path.as_deref()?))
}

fn parse(ty: &str) -> Option<TypeExpr> {
    TypeExpr::parse(ty).ok()
}

/// Compares the facts a page states about one operation; pushes one message per disagreement.
fn compare_operation(d: &DocOperation, op: &Operation, out: &mut Vec<String>) {
    if let Some(req) = &d.requires {
        let (doc_kind, doc_list) = match req {
            DocRequirement::Any(l) => ("ANY", Some(l)),
            DocRequirement::All(l) => ("ALL", Some(l)),
            DocRequirement::None => ("NO", None),
        };
        let (spec_kind, spec_list) = match &op.requires {
            Some(Requirement::Any(l)) => ("ANY", Some(l)),
            Some(Requirement::All(l)) => ("ALL", Some(l)),
            Some(Requirement::None) => ("NO", None),
            Some(Requirement::AccessPolicy(_)) => ("an access policy", None),
            None => ("no recorded", None),
        };
        if doc_kind != spec_kind {
            out.push(format!("documented as requiring {doc_kind} permissions, the spec has {spec_kind} requirement"));
        } else if let (Some(a), Some(b)) = (doc_list, spec_list) {
            let (a, b): (BTreeSet<&String>, BTreeSet<&String>) = (a.iter().collect(), b.iter().collect());
            for p in a.difference(&b) {
                out.push(format!("permission `{p}` is documented but not in the spec"));
            }
            for p in b.difference(&a) {
                out.push(format!("permission `{p}` is in the spec but not documented"));
            }
        }
    }
    if let Some(params) = &d.parameters {
        for p in params {
            if p.name == "body" {
                match &op.body {
                    None => out.push("a body is documented but the spec has none".into()),
                    Some(b) => {
                        if !p.ty.matches(parse(&b.ty).as_ref()) {
                            out.push(format!("body: documented type `{}`, the spec has `{}`", p.ty_text, b.ty));
                        }
                        if p.optional == b.required {
                            out.push(format!(
                                "body is {} on this page, {} in the spec",
                                if p.optional { "optional" } else { "required" },
                                if b.required { "required" } else { "optional" }
                            ));
                        }
                    }
                }
                continue;
            }
            let Some(q) = op.parameters.iter().find(|q| q.name == p.name) else {
                out.push(format!("parameter `{}` ({}) is documented but not in the spec", p.name, p.ty_text));
                continue;
            };
            if !p.ty.matches(parse(&q.ty).as_ref()) {
                out.push(format!("parameter `{}`: documented type `{}`, the spec has `{}`", p.name, p.ty_text, q.ty));
            }
            if p.optional == q.required {
                out.push(format!(
                    "parameter `{}` is {} on this page, {} in the spec",
                    p.name,
                    if p.optional { "optional" } else { "required" },
                    if q.required { "required" } else { "optional" }
                ));
            }
            let spec_default = q.default.as_ref().map(ToString::to_string);
            if p.default != spec_default {
                out.push(format!(
                    "parameter `{}`: documented default {}, the spec has {}",
                    p.name,
                    p.default.as_deref().map_or("none".into(), |d| format!("`{d}`")),
                    spec_default.map_or("none".into(), |d| format!("`{d}`"))
                ));
            }
            if !p.values.is_empty() || !q.values.is_empty() {
                set_diff(&p.values, &q.values, &format!("parameter `{}`: value", p.name), out);
            }
        }
        for q in &op.parameters {
            if !params.iter().any(|p| p.name == q.name) {
                out.push(format!("parameter `{}` is in the spec but not documented", q.name));
            }
        }
        if op.body.is_some() && !params.iter().any(|p| p.name == "body") {
            out.push("the spec has a body but none is documented".into());
        }
    }
    if let Some(ret) = &d.returns
        && !ret.matches(op.returns.as_deref().and_then(parse).as_ref())
    {
        out.push(format!("documented return type {ret}, the spec has {}", op.returns.as_deref().unwrap_or("nothing")));
    }
    if let Some(ct) = &d.content_type
        && !op.consumes.contains(ct)
    {
        out.push(format!("documented Content-Type `{ct}` is not in the spec's `consumes`"));
    }
    if let Some(accept) = &d.accept
        && !op.produces.contains(accept)
    {
        out.push(format!("documented Accept `{accept}` is not in the spec's `produces`"));
    }
}

fn set_diff(doc: &[String], spec: &[String], what: &str, out: &mut Vec<String>) {
    let (a, b): (BTreeSet<&String>, BTreeSet<&String>) = (doc.iter().collect(), spec.iter().collect());
    for v in a.difference(&b) {
        out.push(format!("{what} `{v}` is documented but not in the spec"));
    }
    for v in b.difference(&a) {
        out.push(format!("{what} `{v}` is in the spec but not documented"));
    }
}

/// The model a documented type names (through lists and maps).
fn model_name(t: &DocType) -> Option<String> {
    match t {
        DocType::Model(m) => Some(m.clone()),
        DocType::List(t) | DocType::Map(t) => model_name(t),
        _ => None,
    }
}

/// Every model of the reference reachable from `roots` through field types.
fn reachable_models(reference: &ModelReference, roots: impl Iterator<Item = String>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &reference::RefModel> = reference.models.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(m) = by_name.get(name.as_str()) {
            stack.extend(m.fields.iter().filter_map(|f| model_name(&f.doc_type())).filter(|n| !seen.contains(n)));
        }
    }
    seen
}

fn compare_models(reference: &ModelReference, services: &[&ServiceFiles], reachable: &BTreeSet<String>, report: &mut DocsReport) {
    let spec_models: BTreeMap<&str, &crate::spec::format::ModelFile> =
        services.iter().flat_map(|s| s.models.iter().map(|m| (m.value.name.as_str(), &m.value))).collect();
    let source = "models.json".to_owned();
    let mut push = |subject: String, message: String| {
        report.findings.push(Finding { severity: Severity::Difference, source: source.clone(), subject, message })
    };
    let ref_names: BTreeSet<&str> = reference.models.iter().map(|m| m.name.as_str()).collect();
    for m in reference.models.iter().filter(|m| spec_models.contains_key(m.name.as_str()) || reachable.contains(&m.name)) {
        let subject = format!("model {}", m.name);
        let Some(sm) = spec_models.get(m.name.as_str()) else {
            push(
                subject,
                format!(
                    "model `{}` ({} fields) is reached by a documented operation of a held group but not in the spec",
                    m.name,
                    m.fields.len()
                ),
            );
            continue;
        };
        report.models += 1;
        for f in &m.fields {
            let Some(sf) = sm.fields.get(&f.name) else {
                push(subject.clone(), format!("field `{}` ({}) is in the reference but not in the spec", f.name, f.ty));
                continue;
            };
            report.fields += 1;
            if !f.doc_type().matches(parse(&sf.ty).as_ref()) {
                push(subject.clone(), format!("field `{}`: reference type `{}`, the spec has `{}`", f.name, f.ty, sf.ty));
            }
            if f.required != sf.required {
                push(
                    subject.clone(),
                    format!(
                        "field `{}` is {} in the reference, {} in the spec",
                        f.name,
                        if f.required { "required" } else { "optional" },
                        if sf.required { "required" } else { "optional" }
                    ),
                );
            }
            let mut out = Vec::new();
            set_diff(&f.values, &sf.values, &format!("field `{}`: enum value", f.name), &mut out);
            for message in out {
                push(subject.clone(), message.replace("documented", "in the reference"));
            }
        }
        for wire in sm.fields.keys() {
            if !m.fields.iter().any(|f| &f.name == wire) {
                push(subject.clone(), format!("field `{wire}` is in the spec but not in the reference"));
            }
        }
    }
    for name in spec_models.keys() {
        if !ref_names.contains(name) && !services.is_empty() {
            push(format!("model {name}"), format!("model `{name}` is in the spec but not in the reference"));
        }
    }
}

/// Renders the report as Markdown, ready to paste into a pull request.
pub fn render(report: &DocsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Documentation check: {}\n", report.dir.display());
    let _ = writeln!(out, "| page | class | operations | role |\n|---|---|---|---|");
    for p in &report.pages {
        let role = if p.primary { "newest: checked strictly" } else { "older: disagreements are information" };
        let _ = writeln!(out, "| `{}` | {} | {} | {role} |", p.file, p.class, p.operations);
    }
    for (file, why) in &report.skipped {
        let _ = writeln!(out, "\nSkipped `{file}`: not an SDK documentation page ({why}).");
    }
    let _ = writeln!(
        out,
        "\nChecked {} operations, {} legacy names, {} models with {} fields.\n",
        report.operations, report.legacy_names, report.models, report.fields
    );
    for (severity, title) in
        [(Severity::Difference, "Differences"), (Severity::Info, "Information"), (Severity::NotHeld, "Groups the spec does not hold yet")]
    {
        let items: Vec<&Finding> = report.findings.iter().filter(|f| f.severity == severity).collect();
        let _ = writeln!(out, "## {title} ({})\n", items.len());
        if items.is_empty() {
            let _ = writeln!(out, "None.\n");
            continue;
        }
        for f in items {
            let at = if f.source.is_empty() { String::new() } else { format!("`{}` ", f.source) };
            let _ = writeln!(out, "- {at}**{}**: {}", f.subject, f.message);
        }
        out.push('\n');
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{} differences, {} information, {} groups not held yet",
        report.differences(),
        count(Severity::Info),
        count(Severity::NotHeld)
    );
    out
}
