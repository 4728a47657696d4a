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
pub mod sdk_code;
pub mod sdk_types;
pub mod topics;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use self::page::{DocOperation, DocPage, DocRequirement};
use self::reference::ModelReference;
use self::sdk_code::CodeOperation;
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

/// What a disagreement is, which decides how much it matters when the pages are older than the
/// release the spec follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The documentation states something the spec lacks: always a difference.
    Omission,
    /// The spec holds something the documentation does not state.
    Beyond,
    /// Both state it, differently.
    Changed,
    /// The spec keeps what the documentation stopped listing, marked so: never a difference.
    Kept,
}

/// How strictly a page is held to the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// The class's newest page, of the release the spec follows (or newer): every disagreement
    /// is a difference.
    Strict,
    /// The newest page read, but older than the release the spec follows (`docs_release`):
    /// only omissions are differences.
    Older(String),
    /// Not the class's newest page: disagreements are information.
    Superseded(String),
}

impl Role {
    fn classify(&self, kind: Kind, message: String) -> (Severity, String) {
        match (self, kind) {
            (_, Kind::Kept) => (Severity::Info, message),
            (Role::Strict, _) | (Role::Older(_), Kind::Omission) => (Severity::Difference, message),
            (Role::Older(release), Kind::Beyond) => (
                Severity::Beyond,
                format!("{message} (release {release} adds it)"),
            ),
            (Role::Older(release), Kind::Changed) => (
                Severity::Beyond,
                format!("{message} (as release {release} has it)"),
            ),
            (Role::Superseded(primary), _) => (
                Severity::Info,
                format!("{message} (older page; the spec follows {primary})"),
            ),
        }
    }
}

/// Whether documentation of `page` (a release, or none) is older than `spec` (the release the spec
/// follows, if it records one). Releases compare by their numeric parts (`249.0.0` > `99.1.0`).
fn older_than(page: Option<&str>, spec: Option<&str>) -> bool {
    let parts = |r: &str| {
        r.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    match (page, spec) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(p), Some(s)) => parts(p) < parts(s),
    }
}

/// How a page operation was found in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Current,
    Legacy,
}

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
    let spec_models: BTreeSet<&str> = spec
        .services
        .iter()
        .flat_map(|s| &s.models)
        .map(|m| m.value.name.as_str())
        .collect();
    let held = |name: &str| spec_models.contains(name);
    let mut pages = Vec::new();
    for f in &files {
        let name = file_name(f);
        match std::fs::read_to_string(f) {
            Ok(text) => match DocPage::parse(f, &text) {
                Ok(mut p) => {
                    if let Some(reference) = &reference {
                        resolve_types(&mut p, reference, &held);
                    }
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

    let mut confirmed_legacy = BTreeSet::new();
    let mut documented_services = BTreeSet::new();
    // Whether a newest page is older than the release its group follows: models are then
    // checked for omissions only.
    let mut older_release: Option<String> = None;
    for (pi, page) in pages.iter().enumerate() {
        let file = file_name(&page.path);
        let is_primary = primary
            .get(page.class.as_str())
            .is_some_and(|(_, p)| *p == pi);
        report.pages.push(PageSummary {
            file: file.clone(),
            class: page.class.clone(),
            operations: page.operations.len(),
            primary: is_primary,
            held: groups.contains_key(page.class.as_str()),
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
        let group_release = service.groups[*gi].value.docs_release.clone();
        if is_primary && older_than(page.release.as_deref(), group_release.as_deref()) {
            older_release = group_release.clone();
        }
        let ops = &service.groups[*gi].value.operations;
        let primary_file = primary
            .get(page.class.as_str())
            .map(|(_, p)| file_name(&pages[*p].path))
            .unwrap_or_default();
        for dop in &page.operations {
            let source = format!("{file}:{}", dop.line);
            let subject = format!("{}.{}", page.class, dop.name);
            let found = ops
                .iter()
                .find(|o| o.name == dop.name)
                .map(|o| (o, Match::Current))
                .or_else(|| {
                    ops.iter()
                        .find(|o| o.legacy_names.contains(&dop.name))
                        .map(|o| (o, Match::Legacy))
                });
            let Some((op, how)) = found else {
                let by_route = ops.iter().find(|o| {
                    Some(o.method.as_str()) == dop.method.as_deref()
                        && Some(o.path.as_str()) == dop.path.as_deref()
                });
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
                report.findings.push(Finding {
                    severity: Severity::Difference,
                    source,
                    subject,
                    message,
                });
                continue;
            };
            if how == Match::Legacy {
                confirmed_legacy.insert(dop.name.clone());
            }
            let mut out = Vec::new();
            if let (Some(m), Some(p)) = (&dop.method, &dop.path) {
                if m != op.method.as_str() || *p != op.path {
                    out.push((
                        Kind::Changed,
                        format!(
                            "documented as {m} {p}, the spec has {} {}",
                            op.method, op.path
                        ),
                    ));
                }
            }
            compare_operation(dop, op, &mut out);
            if let Some(c) = code.as_ref().and_then(|c| c.operations.get(&dop.name)) {
                compare_code(c, op, &mut out);
                for message in pages_and_code(dop, c) {
                    report.findings.push(Finding {
                        severity: Severity::PagesAndCode,
                        source: format!("{} / {}", source, c.source),
                        subject: subject.clone(),
                        message,
                    });
                }
            }
            let role = match (&group_release, is_primary && how == Match::Current) {
                (_, false) => Role::Superseded(primary_file.clone()),
                (Some(release), true) if older_than(page.release.as_deref(), Some(release)) => {
                    Role::Older(release.clone())
                }
                _ => Role::Strict,
            };
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
    }

    if let Some(mappings) = topics::read(dir)? {
        compare_topics(spec, &mappings, &mut report);
    }

    // Spec operations missing from their class's primary page.
    for (class, (service, gi)) in &groups {
        let Some((_, pi)) = primary.get(class) else {
            continue;
        };
        let page = &pages[*pi];
        for op in &service.groups[*gi].value.operations {
            let release = service.groups[*gi].value.docs_release.clone();
            if page.operations.iter().any(|d| d.name == op.name) {
                report.operations += 1;
            } else if let Some(since) = &op.undocumented_since {
                report.findings.push(Finding {
                    severity: Severity::Info,
                    source: file_name(&page.path),
                    subject: format!("{class}.{}", op.name),
                    message: format!("`{}` is no longer documented since release {since}; kept, generated deprecated", op.name),
                });
            } else {
                let role = match &release {
                    Some(r) if older_than(page.release.as_deref(), Some(r)) => {
                        Role::Older(r.clone())
                    }
                    _ => Role::Strict,
                };
                let (severity, message) = role.classify(
                    Kind::Beyond,
                    format!(
                        "`{}` ({} {}) is in the spec but not documented on the newest page",
                        op.name, op.method, op.path
                    ),
                );
                report.findings.push(Finding {
                    severity,
                    source: file_name(&page.path),
                    subject: format!("{class}.{}", op.name),
                    message,
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
    if let Some(reference) = &reference {
        let services: Vec<&ServiceFiles> = spec
            .services
            .iter()
            .filter(|s| documented_services.contains(s.service.value.service.as_str()))
            .collect();
        let roots = pages
            .iter()
            .filter(|p| groups.contains_key(p.class.as_str()))
            .flat_map(|p| &p.operations)
            .flat_map(|o| {
                o.returns
                    .iter()
                    .chain(o.parameters.iter().flatten().map(|p| &p.ty))
                    .filter_map(|t| t.model_name().map(str::to_owned))
                    .collect::<Vec<_>>()
            });
        let reachable = reachable_models(reference, roots);
        let role = older_release.map_or(Role::Strict, Role::Older);
        compare_models(reference, &services, &reachable, &role, &mut report);
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

fn route(d: &DocOperation) -> Option<String> {
    Some(format!("{} {}", d.method.as_deref()?, d.path.as_deref()?))
}

fn parse(ty: &str) -> Option<TypeExpr> {
    TypeExpr::parse(ty).ok()
}

/// Compares the facts a page states about one operation; pushes one message per disagreement.
fn compare_operation(d: &DocOperation, op: &Operation, out: &mut Vec<(Kind, String)>) {
    if let Some(req) = &d.requires {
        compare_requirement(req, op, out);
    }
    if let Some(params) = &d.parameters {
        let path = d.path.as_deref().unwrap_or(&op.path);
        for p in params {
            if p.is_body_on(path) {
                compare_body(p, op, out);
                continue;
            }
            let Some(q) = op.parameters.iter().find(|q| q.name == snake(&p.name)) else {
                let renamed = renamed_path_parameter(d, op, &p.name);
                out.push(match renamed {
                    Some(now) => (
                        Kind::Changed,
                        format!("path parameter `{}` is `{now}` in the spec", p.name),
                    ),
                    None => (
                        Kind::Omission,
                        format!(
                            "parameter `{}` ({}) is documented but not in the spec",
                            p.name, p.ty_text
                        ),
                    ),
                });
                continue;
            };
            compare_parameter(p, q, out);
        }
        for q in &op.parameters {
            if !params.iter().any(|p| snake(&p.name) == q.name) {
                out.push((
                    Kind::Beyond,
                    format!("parameter `{}` is in the spec but not documented", q.name),
                ));
            }
        }
        if op.body.is_some() && !params.iter().any(|p| p.is_body_on(path)) {
            out.push((
                Kind::Beyond,
                "the spec has a body but none is documented".into(),
            ));
        }
    }
    if let Some(ret) = &d.returns {
        if !ret.matches(op.returns.as_deref().and_then(parse).as_ref()) {
            out.push((
                Kind::Changed,
                format!(
                    "documented return type {ret}, the spec has {}",
                    op.returns.as_deref().unwrap_or("nothing")
                ),
            ));
        }
    }
    if let Some(ct) = &d.content_type {
        if !op.consumes.contains(ct) {
            out.push((
                Kind::Omission,
                format!("documented Content-Type `{ct}` is not in the spec's `consumes`"),
            ));
        }
    }
    if let Some(accept) = &d.accept {
        if !op.produces.contains(accept) {
            out.push((
                Kind::Omission,
                format!("documented Accept `{accept}` is not in the spec's `produces`"),
            ));
        }
    }
}

/// The spec's topics against the release's mapping, by template shape (the spec names the
/// parameters the vendor writes `{id}`).
fn compare_topics(spec: &Spec, mappings: &[topics::Mapping], report: &mut DocsReport) {
    let held: BTreeMap<String, (&str, &crate::spec::format::Topic)> = spec
        .services
        .iter()
        .flat_map(|s| &s.groups)
        .flat_map(|g| {
            g.value
                .topics
                .iter()
                .map(move |t| (topics::shape(&t.topic), (g.value.group.as_str(), t)))
        })
        .collect();
    let mut finding = |subject: String, message: String| {
        report.findings.push(Finding {
            severity: Severity::Difference,
            source: topics::FILE.into(),
            subject,
            message,
        });
    };
    for m in mappings {
        match held.get(&topics::shape(&m.topic)) {
            None => finding(
                format!("topic {}", m.topic),
                format!(
                    "topic `{}` (events carry `{}`) is not in the spec",
                    m.topic, m.payload
                ),
            ),
            Some((group, t)) if t.payload != m.payload => finding(
                format!("{group}.topics.{}", t.name),
                format!(
                    "topic `{}` carries `{}`, the spec says `{}`",
                    m.topic, m.payload, t.payload
                ),
            ),
            Some(_) => {}
        }
    }
    let mapped: BTreeSet<String> = mappings.iter().map(|m| topics::shape(&m.topic)).collect();
    for (shape, (group, t)) in &held {
        if !mapped.contains(shape) && t.undocumented_since.is_none() {
            finding(
                format!("{group}.topics.{}", t.name),
                format!("topic `{}` is in the spec but not in the mapping", t.topic),
            );
        }
    }
}

/// The spec against the SDK's code, on what the code alone states: route, where each parameter
/// goes and under which name, media types.
fn compare_code(c: &CodeOperation, op: &Operation, out: &mut Vec<(Kind, String)>) {
    if let (Some(m), Some(p)) = (&c.method, &c.path) {
        if m != op.method.as_str() || *p != op.path {
            out.push((
                Kind::Changed,
                format!(
                    "the SDK's code sends {m} {p}, the spec has {} {}",
                    op.method, op.path
                ),
            ));
        }
    }
    for cp in &c.parameters {
        match op.parameters.iter().find(|q| q.name == snake(&cp.name)) {
            None => out.push((
                Kind::Omission,
                format!("the SDK's code sends `{}` in the {}; the spec has no parameter `{}`", cp.wire, cp.location.words(), cp.name),
            )),
            Some(q) if (q.location, q.wire_name.as_str()) != (cp.location, cp.wire.as_str()) => out.push((
                Kind::Changed,
                format!(
                    "parameter `{}`: the SDK's code sends it as `{}` in the {}, the spec as `{}` in the {}",
                    q.name,
                    cp.wire,
                    cp.location.words(),
                    q.wire_name,
                    q.location.words()
                ),
            )),
            Some(_) => {}
        }
    }
    if !c.accept.is_empty() && c.accept != op.produces {
        out.push((
            Kind::Changed,
            format!(
                "the SDK's code accepts `{}`, the spec's `produces` is `{}`",
                c.accept.join(", "),
                op.produces.join(", ")
            ),
        ));
    }
    if op.body.is_some() && !c.content_type.is_empty() && c.content_type != op.consumes {
        out.push((
            Kind::Changed,
            format!(
                "the SDK's code sends the body as `{}`, the spec's `consumes` is `{}`",
                c.content_type.join(", "),
                op.consumes.join(", ")
            ),
        ));
    }
}

/// Where the page and the code of one release say different things about an operation.
fn pages_and_code(d: &DocOperation, c: &CodeOperation) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(m), Some(p), Some(cm), Some(cpath)) = (&d.method, &d.path, &c.method, &c.path) {
        if m != cm || p != cpath {
            out.push(format!("the page says {m} {p}, the code {cm} {cpath}"));
        }
    }
    let params = d.parameters.as_deref().unwrap_or_default();
    for p in params {
        if c.body.as_deref() != Some(p.name.as_str()) && c.parameter(&p.name).is_none() {
            out.push(format!(
                "parameter `{}` is on the page, not in the code",
                p.name
            ));
        }
    }
    for cp in &c.parameters {
        if !params.iter().any(|p| p.name == cp.name) {
            out.push(format!(
                "the code sends `{}` (`{}`), which the page does not list",
                cp.wire, cp.name
            ));
        }
    }
    out
}

/// The documented permission statement. A list of one permission means the same with ANY and
/// ALL; permissions older documentation listed (`legacy_permissions`) are not omissions.
fn compare_requirement(req: &DocRequirement, op: &Operation, out: &mut Vec<(Kind, String)>) {
    let kind_of = |kind: &'static str, list: Option<&Vec<String>>| {
        if list.is_some_and(|l| l.len() == 1) {
            "ANY"
        } else {
            kind
        }
    };
    let (doc_kind, doc_list) = match req {
        DocRequirement::Any(l) => (kind_of("ANY", Some(l)), Some(l)),
        DocRequirement::All(l) => (kind_of("ALL", Some(l)), Some(l)),
        DocRequirement::None => ("NO", None),
    };
    let (spec_kind, spec_list) = match &op.requires {
        Some(Requirement::Any(l)) => (kind_of("ANY", Some(l)), Some(l)),
        Some(Requirement::All(l)) => (kind_of("ALL", Some(l)), Some(l)),
        Some(Requirement::None) => ("NO", None),
        Some(Requirement::AccessPolicy(_)) => ("an access policy", None),
        None => ("no recorded", None),
    };
    if doc_kind != spec_kind {
        out.push((Kind::Changed, format!("documented as requiring {doc_kind} permissions, the spec has {spec_kind} requirement")));
    } else if let (Some(a), Some(b)) = (doc_list, spec_list) {
        let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
            (a.iter().collect(), b.iter().collect());
        for p in a.difference(&b) {
            if op.legacy_permissions.contains(p) {
                out.push((
                    Kind::Changed,
                    format!(
                        "permission `{p}` is documented but only a legacy permission in the spec"
                    ),
                ));
            } else {
                out.push((
                    Kind::Omission,
                    format!("permission `{p}` is documented but not in the spec"),
                ));
            }
        }
        for p in b.difference(&a) {
            out.push((
                Kind::Beyond,
                format!("permission `{p}` is in the spec but not documented"),
            ));
        }
    }
}

fn compare_body(p: &page::DocParameter, op: &Operation, out: &mut Vec<(Kind, String)>) {
    let Some(b) = &op.body else {
        out.push((
            Kind::Omission,
            "a body is documented but the spec has none".into(),
        ));
        return;
    };
    if !p.ty.matches(parse(&b.ty).as_ref()) {
        out.push((
            Kind::Changed,
            format!(
                "body: documented type `{}`, the spec has `{}`",
                p.ty_text, b.ty
            ),
        ));
    }
    if p.optional == b.required {
        out.push((
            Kind::Changed,
            format!(
                "body is {} on this page, {} in the spec",
                if p.optional { "optional" } else { "required" },
                if b.required { "required" } else { "optional" }
            ),
        ));
    }
}

fn compare_parameter(
    p: &page::DocParameter,
    q: &crate::spec::format::Parameter,
    out: &mut Vec<(Kind, String)>,
) {
    let documented = if q.location == crate::spec::format::Location::Path {
        p.ty.as_segment()
    } else {
        p.ty.as_text()
    };
    if !documented.matches(parse(&q.ty).as_ref()) {
        out.push((
            Kind::Changed,
            format!(
                "parameter `{}`: documented type `{}`, the spec has `{}`",
                p.name, p.ty_text, q.ty
            ),
        ));
    }
    if p.optional == q.required {
        out.push((
            Kind::Changed,
            format!(
                "parameter `{}` is {} on this page, {} in the spec",
                p.name,
                if p.optional { "optional" } else { "required" },
                if q.required { "required" } else { "optional" }
            ),
        ));
    }
    // What a page contradicts itself on says nothing: a default of a required parameter, or one
    // outside the documented values.
    let spec_default = q.default.as_ref().map(ToString::to_string);
    let meaningful = !q.required
        && p.default
            .as_ref()
            .is_none_or(|d| p.values.is_empty() || p.values.contains(d));
    if meaningful && p.default != spec_default {
        out.push((
            Kind::Changed,
            format!(
                "parameter `{}`: documented default {}, the spec has {}",
                p.name,
                p.default
                    .as_deref()
                    .map_or("none".into(), |d| format!("`{d}`")),
                spec_default.map_or("none".into(), |d| format!("`{d}`"))
            ),
        ));
    }
    // Values restrict strings only: a boolean's `**Values**: true, false` says nothing its type does not.
    if takes_values(&q.ty) && (!p.values.is_empty() || !q.values.is_empty()) {
        set_diff(
            &p.values,
            &q.values,
            &format!("parameter `{}`: value", p.name),
            out,
        );
    }
}

/// The spec's name for a documented path parameter the spec calls otherwise: the placeholder at
/// the same position of the same route.
fn renamed_path_parameter<'a>(d: &DocOperation, op: &'a Operation, name: &str) -> Option<&'a str> {
    use crate::spec::types::placeholders;
    use crate::text::squash;
    let at = placeholders(d.path.as_deref()?)
        .iter()
        .position(|h| squash(h) == squash(name))?;
    let wire = placeholders(&op.path).into_iter().nth(at)?;
    op.parameters
        .iter()
        .find(|q| q.wire_name == wire)
        .map(|q| q.name.as_str())
}

/// Whether documented values restrict a spec type (see [`TypeExpr::takes_values`]).
pub(crate) fn takes_values(ty: &str) -> bool {
    TypeExpr::parse(ty).is_ok_and(|t| t.takes_values())
}

/// An SDK parameter name as the spec writes it (`pcPass` → `pc_pass`).
fn snake(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name)
}

fn set_diff(doc: &[String], spec: &[String], what: &str, out: &mut Vec<(Kind, String)>) {
    let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
        (doc.iter().collect(), spec.iter().collect());
    for v in a.difference(&b) {
        out.push((
            Kind::Omission,
            format!("{what} `{v}` is documented but not in the spec"),
        ));
    }
    for v in b.difference(&a) {
        out.push((
            Kind::Beyond,
            format!("{what} `{v}` is in the spec but not documented"),
        ));
    }
}

/// Every model reachable from `roots` through the reference's field types (names the reference
/// does not hold are in the result, unfollowed).
pub(crate) fn reachable_models(
    reference: &ModelReference,
    roots: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &reference::RefModel> = reference
        .models
        .iter()
        .map(|m| (m.name.as_str(), m))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(m) = by_name.get(name.as_str()) {
            stack.extend(
                m.fields
                    .iter()
                    .filter_map(|f| f.doc_type().model_name().map(str::to_owned))
                    .filter(|n| !seen.contains(n)),
            );
        }
    }
    seen
}

fn compare_models(
    reference: &ModelReference,
    services: &[&ServiceFiles],
    reachable: &BTreeSet<String>,
    role: &Role,
    report: &mut DocsReport,
) {
    let spec_models: BTreeMap<&str, &crate::spec::format::ModelFile> = services
        .iter()
        .flat_map(|s| s.models.iter().map(|m| (m.value.name.as_str(), &m.value)))
        .collect();
    let source = "models.json".to_owned();
    let mut push = |subject: &str, kind: Kind, message: String| {
        let (severity, message) = role.classify(kind, message);
        report.findings.push(Finding {
            severity,
            source: source.clone(),
            subject: subject.to_owned(),
            message,
        })
    };
    let ref_names: BTreeSet<&str> = reference.models.iter().map(|m| m.name.as_str()).collect();
    let mut counts = (0, 0);
    for m in reference
        .models
        .iter()
        .filter(|m| spec_models.contains_key(m.name.as_str()) || reachable.contains(&m.name))
    {
        let subject = format!("model {}", m.name);
        let Some(sm) = spec_models.get(m.name.as_str()) else {
            let message = format!(
                "model `{}` ({} fields) is reached by a documented operation of a held group but not in the spec",
                m.name,
                m.fields.len()
            );
            push(&subject, Kind::Omission, message);
            continue;
        };
        counts.0 += 1;
        for f in &m.fields {
            let Some(sf) = sm.fields.get(&f.name) else {
                push(
                    &subject,
                    Kind::Omission,
                    format!(
                        "field `{}` ({}) is in the reference but not in the spec",
                        f.name, f.ty
                    ),
                );
                continue;
            };
            counts.1 += 1;
            let doc_type = reference.resolve(f.doc_type(), &|name| spec_models.contains_key(name));
            if !doc_type.matches(parse(&sf.ty).as_ref()) {
                push(
                    &subject,
                    Kind::Changed,
                    format!(
                        "field `{}`: reference type `{}`, the spec has `{}`",
                        f.name, f.ty, sf.ty
                    ),
                );
            } else if doc_type.format() != sf.format.as_deref() {
                let said = |f: Option<&str>| {
                    f.map_or("no format".to_owned(), |f| format!("the `{f}` format"))
                };
                let message = format!(
                    "field `{}`: text in {} in the reference, {} in the spec",
                    f.name,
                    said(doc_type.format()),
                    said(sf.format.as_deref())
                );
                push(&subject, Kind::Changed, message);
            } else if let Some(unknown) = doc_type.unknown() {
                push(
                    &subject,
                    Kind::Kept,
                    format!(
                        "field `{}`: type `{unknown}` is documented nowhere; held as JSON",
                        f.name
                    ),
                );
            }
            if f.required != sf.required {
                let word = |r: bool| if r { "required" } else { "optional" };
                push(
                    &subject,
                    Kind::Changed,
                    format!(
                        "field `{}` is {} in the reference, {} in the spec",
                        f.name,
                        word(f.required),
                        word(sf.required)
                    ),
                );
            }
            let mut out = Vec::new();
            if takes_values(&sf.ty) {
                set_diff(
                    &f.values,
                    &sf.values,
                    &format!("field `{}`: enum value", f.name),
                    &mut out,
                );
            }
            for (kind, message) in out {
                push(
                    &subject,
                    kind,
                    message.replace("documented", "in the reference"),
                );
            }
        }
        for (wire, field) in &sm.fields {
            if m.fields.iter().any(|f| &f.name == wire) {
                continue;
            }
            match &field.undocumented_since {
                Some(since) => push(
                    &subject,
                    Kind::Kept,
                    format!(
                        "field `{wire}` is no longer in the reference since release {since}; kept"
                    ),
                ),
                None => push(
                    &subject,
                    Kind::Beyond,
                    format!("field `{wire}` is in the spec but not in the reference"),
                ),
            }
        }
    }
    (report.models, report.fields) = counts;
    for name in spec_models.keys() {
        if !ref_names.contains(name) && !services.is_empty() {
            push(
                &format!("model {name}"),
                Kind::Beyond,
                format!("model `{name}` is in the spec but not in the reference"),
            );
        }
    }
}

/// Renders the report as Markdown, ready to paste into a pull request.
pub fn render(report: &DocsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Documentation check: {}\n", report.dir.display());
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
        let items: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        let _ = writeln!(out, "## {title} ({})\n", items.len());
        if items.is_empty() {
            let _ = writeln!(out, "None.\n");
            continue;
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
