//! Merging a page's operations into a group's.

use std::path::Path;

use super::parameters;
use super::{Change, Import, keep_or_convert, spec_type};
use crate::docs::doctype::DocType;
use crate::docs::page::{DocOperation, DocRequirement};
use crate::docs::sdk_code::{CodeOperation, SdkCode};
use crate::spec::format::{Method, Operation, Requirement};

/// What the merge of one page needs besides the operations.
pub(super) struct Context<'a> {
    /// The page's class, for change subjects.
    pub class: &'a str,
    /// The page, for warnings.
    pub file: &'a Path,
    /// The release the page belongs to, for what it no longer lists.
    pub dropped_in: &'a str,
    /// The SDK's code of the same release, when the docs folder has it: it wins for the wire.
    pub code: Option<&'a SdkCode>,
    /// Where changes and warnings go.
    pub import: &'a mut Import,
}

impl Context<'_> {
    fn change(&mut self, op: &str, what: String) {
        self.import.changes.push(Change {
            subject: format!("{}.{op}", self.class),
            what,
        });
    }

    pub(super) fn warn(&mut self, line: usize, what: String) {
        self.import
            .warnings
            .push(format!("{}:{line}: {what}", self.file.display()));
    }
}

/// The group's operations after the merge, by name: the page's, each merged with the spec's
/// operation of the same name (or, renamed, of the same method and path), and the spec's
/// operations the page no longer lists, marked so.
pub(super) fn merge(
    ctx: &mut Context<'_>,
    existing: &[Operation],
    page: &[DocOperation],
) -> Vec<Operation> {
    let mut used = vec![false; existing.len()];
    let mut merged = Vec::with_capacity(page.len() + existing.len());
    for doc in page {
        let by_name = existing
            .iter()
            .position(|o| o.name == doc.name || o.legacy_names.contains(&doc.name));
        let by_route = || {
            existing.iter().enumerate().position(|(i, o)| {
                !used[i]
                    && !page.iter().any(|d| d.name == o.name)
                    && Some(o.method.as_str()) == doc.method.as_deref()
                    && Some(o.path.as_str()) == doc.path.as_deref()
            })
        };
        let found = by_name.or_else(by_route);
        if let Some(i) = found {
            used[i] = true;
        }
        if let Some(op) = merge_operation(ctx, found.map(|i| &existing[i]), doc) {
            merged.push(op);
        }
    }
    for (op, _) in existing.iter().zip(&used).filter(|(_, used)| !**used) {
        let mut kept = op.clone();
        if kept.undocumented_since.is_none() {
            kept.undocumented_since = Some(ctx.dropped_in.to_owned());
            ctx.change(
                &op.name,
                "no longer documented: kept, generated `#[deprecated]`".into(),
            );
        }
        merged.push(kept);
    }
    // Pages list operations by name; so does the spec, with the ones no longer listed in place.
    merged.sort_by(|a, b| a.name.cmp(&b.name));
    merged
}

/// One operation: what the page states, over what the spec holds.
fn merge_operation(
    ctx: &mut Context<'_>,
    old: Option<&Operation>,
    doc: &DocOperation,
) -> Option<Operation> {
    let code = ctx.code.and_then(|c| c.operations.get(&doc.name));
    let (method, path) = route(ctx, old, doc, code)?;
    let mut op = old
        .cloned()
        .unwrap_or_else(|| fresh(&doc.name, method, &path));
    if op.name != doc.name && !op.legacy_names.contains(&doc.name) {
        let old_name = std::mem::replace(&mut op.name, doc.name.clone());
        op.legacy_names.push(old_name.clone());
        ctx.change(
            &doc.name,
            format!("renamed from `{old_name}`, which stays as a deprecated alias"),
        );
    }
    op.method = method;
    op.path = path;
    op.summary = doc
        .summary
        .clone()
        .or_else(|| old.map(|o| o.summary.clone()))
        .unwrap_or_else(|| doc.name.replace('_', " "));
    op.description = doc.description.clone().unwrap_or_default();
    op.preview = doc.preview;
    op.undocumented_since = None;
    if doc.deprecated && op.deprecated.is_none() {
        op.deprecated = Some("deprecated by the vendor".into());
    }
    if let Some(req) = &doc.requires {
        set_requirement(&mut op, req);
    }
    if let Some(params) = &doc.parameters {
        parameters::set(ctx, &mut op, params, code);
    }
    if let Some(code) = code {
        set_media(ctx, &mut op, code, doc.line);
    }
    if let Some(ret) = &doc.returns {
        set_returns(ctx, &mut op, ret, doc);
    }
    describe(ctx, old, &op);
    Some(op)
}

/// The operation's method and path: the page's, else the spec's; the SDK's code wins where it
/// says another, since it is what the SDK sends. `None` (with a warning) when neither states
/// one or the method is not one the spec supports.
fn route(
    ctx: &mut Context<'_>,
    old: Option<&Operation>,
    doc: &DocOperation,
    code: Option<&CodeOperation>,
) -> Option<(Method, String)> {
    let (Some(method), Some(path)) = (
        doc.method.as_deref().or(old.map(|o| o.method.as_str())),
        doc.path.clone().or(old.map(|o| o.path.clone())),
    ) else {
        ctx.warn(
            doc.line,
            format!("`{}` states no method and path; not imported", doc.name),
        );
        return None;
    };
    let (method, path) = match code.and_then(|c| c.method.as_deref().zip(c.path.clone())) {
        Some((m, p)) if (m, p.as_str()) != (method, path.as_str()) => {
            ctx.warn(doc.line, format!("`{}`: the page says {method} {path}, the SDK's code {m} {p}: the code's is imported", doc.name));
            (m, p)
        }
        _ => (method, path),
    };
    if ctx.code.is_some() && code.is_none() {
        ctx.warn(
            doc.line,
            format!(
                "`{}` is not in the SDK's code: its parameters' wire names are the spec's",
                doc.name
            ),
        );
    }
    let Some(method) = Method::parse(method) else {
        ctx.warn(
            doc.line,
            format!(
                "`{}`: method `{method}` is not one the spec supports; not imported",
                doc.name
            ),
        );
        return None;
    };
    Some((method, path))
}

/// An operation the spec does not hold yet: JSON both ways until the page or the code says
/// otherwise.
fn fresh(name: &str, method: Method, path: &str) -> Operation {
    Operation {
        name: name.to_owned(),
        method,
        path: path.to_owned(),
        summary: String::new(),
        description: String::new(),
        requires: None,
        parameters: Vec::new(),
        body: None,
        returns: None,
        errors: Vec::new(),
        consumes: vec!["application/json".into()],
        produces: vec!["application/json".into()],
        deprecated: None,
        legacy_names: Vec::new(),
        extensions: Default::default(),
        preview: false,
        legacy_permissions: Vec::new(),
        undocumented_since: None,
        notes: String::new(),
        paging: None,
    }
}

/// The documented return type; one documented nowhere is held as JSON.
fn set_returns(ctx: &mut Context<'_>, op: &mut Operation, ret: &DocType, doc: &DocOperation) {
    let (line, name) = (doc.line, &doc.name);
    if let Some(unknown) = ret.unknown() {
        ctx.warn(
            line,
            format!(
                "`{name}`: return type `{unknown}` is documented nowhere; held as JSON (`object`)"
            ),
        );
    }
    match (ret, spec_type(ret, "int64")) {
        (DocType::Nothing, _) => op.returns = None,
        (_, Some(_)) => op.returns = keep_or_convert(ret, op.returns.as_deref(), "int64"),
        (_, None) => ctx.warn(line, format!("`{name}`: return type {ret} not imported")),
    }
}

/// The documented requirement. Permissions the spec listed for a requirement older documentation
/// stated with `ANY` stay as `legacy_permissions`: they still satisfy it.
fn set_requirement(op: &mut Operation, doc: &DocRequirement) {
    let mut before: Vec<String> = op.legacy_permissions.clone();
    if let Some(Requirement::Any(l)) = &op.requires {
        before.extend(l.iter().cloned());
    }
    let (requires, documented) = match doc {
        DocRequirement::Any(l) => (Requirement::Any(l.clone()), l.clone()),
        DocRequirement::All(l) => (Requirement::All(l.clone()), l.clone()),
        DocRequirement::None => (Requirement::None, Vec::new()),
    };
    let mut legacy: Vec<String> = Vec::new();
    if requires.widens() {
        for p in before {
            if !documented.contains(&p) && !legacy.contains(&p) {
                legacy.push(p);
            }
        }
    }
    op.requires = Some(requires);
    op.legacy_permissions = legacy;
}

/// The media types the code names: what the response may be, and (with a body) what it is sent
/// as; without a body the spec keeps the default.
fn set_media(ctx: &mut Context<'_>, op: &mut Operation, code: &CodeOperation, line: usize) {
    if code.accept.is_empty() {
        ctx.warn(
            line,
            format!(
                "`{}`: the SDK's code names no response media type; `application/json` assumed",
                op.name
            ),
        );
    }
    let json = || vec!["application/json".to_owned()];
    op.produces = if code.accept.is_empty() {
        json()
    } else {
        code.accept.clone()
    };
    op.consumes = match (&op.body, code.content_type.is_empty()) {
        (Some(_), false) => code.content_type.clone(),
        _ => json(),
    };
}

/// Records what the merge changed.
fn describe(ctx: &mut Context<'_>, old: Option<&Operation>, new: &Operation) {
    let Some(old) = old else {
        ctx.change(
            &new.name,
            format!("new operation: {} {}", new.method, new.path),
        );
        return;
    };
    let mut what: Vec<String> = Vec::new();
    if (old.method, &old.path) != (new.method, &new.path) {
        what.push(format!(
            "route {} {} → {} {}",
            old.method, old.path, new.method, new.path
        ));
    }
    for (name, changed) in [
        ("summary", old.summary != new.summary),
        ("description", old.description != new.description),
        (
            "requirement",
            old.requires != new.requires || old.legacy_permissions != new.legacy_permissions,
        ),
        ("body", old.body != new.body),
        ("return type", old.returns != new.returns),
        ("preview", old.preview != new.preview),
        ("deprecated", old.deprecated != new.deprecated),
        ("documented again", old.undocumented_since.is_some()),
    ] {
        if changed {
            what.push(name.to_owned());
        }
    }
    what.extend(parameter_changes(old, new));
    if !what.is_empty() {
        ctx.change(&new.name, format!("updated: {}", what.join("; ")));
    }
}

/// The parameters an update added, removed and changed, a line for each kind there is.
fn parameter_changes(old: &Operation, new: &Operation) -> Vec<String> {
    let has = |op: &Operation, name: &str| op.parameters.iter().any(|q| q.name == name);
    let added: Vec<&str> = new
        .parameters
        .iter()
        .filter(|p| !has(old, &p.name))
        .map(|p| p.name.as_str())
        .collect();
    let removed: Vec<&str> = old
        .parameters
        .iter()
        .filter(|p| !has(new, &p.name))
        .map(|p| p.name.as_str())
        .collect();
    let changed: Vec<&str> = new
        .parameters
        .iter()
        .filter(|p| old.parameters.iter().any(|q| q.name == p.name && q != *p))
        .map(|p| p.name.as_str())
        .collect();
    [
        ("new parameters", added),
        ("removed parameters", removed),
        ("changed parameters", changed),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
    .map(|(label, list)| format!("{label} {}", list.join(", ")))
    .collect()
}
