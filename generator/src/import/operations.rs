//! Merging a page's operations into a group's.

use std::path::Path;

use heck::ToSnakeCase;

use super::{Change, Import, keep_or_convert, refuse_name, spec_type};
use crate::docs::doctype::DocType;
use crate::docs::page::{DocOperation, DocParameter, DocRequirement};
use crate::docs::sdk_code::{CodeOperation, CodeParameter, SdkCode};
use crate::spec::format::{
    ArrayEncoding, Body, Location, Method, Operation, Parameter, Requirement, Scalar,
};
use crate::spec::types::placeholders;
use crate::text::squash;

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

    fn warn(&mut self, line: usize, what: String) {
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
    let code = ctx.code.and_then(|c| c.operations.get(&doc.name));
    // The code is what the SDK sends: its route wins where the page says another.
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
    let mut op = old.cloned().unwrap_or_else(|| Operation {
        name: doc.name.clone(),
        method,
        path: path.clone(),
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
    });
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
        set_parameters(ctx, &mut op, params, code);
    }
    if let Some(code) = code {
        set_media(ctx, &mut op, code, doc.line);
    }
    if let Some(ret) = &doc.returns {
        if let Some(unknown) = ret.unknown() {
            ctx.warn(
                doc.line,
                format!(
                    "`{}`: return type `{unknown}` is documented nowhere; held as JSON (`object`)",
                    doc.name
                ),
            );
        }
        match (ret, spec_type(ret, "int64")) {
            (DocType::Nothing, _) => op.returns = None,
            (_, Some(_)) => op.returns = keep_or_convert(ret, op.returns.as_deref(), "int64"),
            (_, None) => ctx.warn(
                doc.line,
                format!("`{}`: return type {ret} not imported", doc.name),
            ),
        }
    }
    describe(ctx, old, &op);
    Some(op)
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

/// The documented parameters, in page order, over the spec's; where each goes and its wire name
/// from the SDK's code, or else from the spec.
fn set_parameters(
    ctx: &mut Context<'_>,
    op: &mut Operation,
    params: &[DocParameter],
    code: Option<&CodeOperation>,
) {
    let old = std::mem::take(&mut op.parameters);
    let old_body = op.body.take();
    let mut taken = std::collections::BTreeMap::new();
    for p in params {
        if let Some(why) = refuse_name(&p.name, &mut taken) {
            ctx.warn(
                p.line,
                format!("`{}`: parameter {why}; not imported", op.name),
            );
            continue;
        }
        let is_body = match code {
            Some(c) => c.body.as_deref() == Some(p.name.as_str()),
            None => p.is_body_on(&op.path),
        };
        if is_body {
            if let Some(unknown) = p.ty.unknown() {
                ctx.warn(p.line, format!("`{}`: body type `{unknown}` is documented nowhere; held as JSON (`object`)", op.name));
            }
            match keep_or_convert(&p.ty, old_body.as_ref().map(|b| b.ty.as_str()), "int64") {
                Some(ty) => {
                    op.body = Some(Body {
                        ty,
                        required: !p.optional,
                        description: p.description.clone(),
                    })
                }
                None => ctx.warn(
                    p.line,
                    format!("`{}`: body type `{}` not imported", op.name, p.ty_text),
                ),
            }
            continue;
        }
        let existing = old.iter().find(|q| q.name == p.name.to_snake_case());
        let wire = code.and_then(|c| c.parameter(&p.name));
        if code.is_some() && wire.is_none() {
            ctx.warn(
                p.line,
                format!(
                    "`{}`: parameter `{}` is not in the SDK's code: not imported",
                    op.name, p.name
                ),
            );
            continue;
        }
        if let Some(param) = merge_parameter(ctx, &op.path, existing, wire, p) {
            op.parameters.push(param);
        }
    }
}

/// One parameter. What the page contradicts itself on (a default outside its values, a default
/// on a required parameter, values of a non-string) is left out with a warning.
fn merge_parameter(
    ctx: &mut Context<'_>,
    path: &str,
    existing: Option<&Parameter>,
    code: Option<&CodeParameter>,
    p: &DocParameter,
) -> Option<Parameter> {
    let name = p.name.to_snake_case();
    let mut warn = |what: String| ctx.warn(p.line, format!("parameter `{name}`: {what}"));
    let placeholder = placeholders(path)
        .into_iter()
        .find(|h| squash(h) == squash(&p.name));
    // Where it goes and its exact name: the code's, else the spec's, else the path's
    // placeholder. A name is never derived from the SDK's snake_case one.
    let (location, wire_name) = match (code, existing, placeholder) {
        (Some(c), _, _) => (c.location, c.wire.clone()),
        (None, Some(e), _) => (e.location, e.wire_name.clone()),
        (None, None, Some(h)) => (Location::Path, h.to_owned()),
        (None, None, None) => {
            warn("its wire name and location are not known (the SDK's code, `source/apis/`, states them); not imported".into());
            return None;
        }
    };
    if let Some(format) = code
        .and_then(|c| c.collection_format.as_deref())
        .filter(|f| *f != "multi")
    {
        warn(format!(
            "array encoding `{format}` is not one the spec has; sent repeated (`multi`)"
        ));
    }
    // A parameter outside the body is text on the wire, whatever type the page gives it.
    let doc_type = if location == Location::Path {
        p.ty.as_segment()
    } else {
        p.ty.as_text()
    };
    match p.ty.unknown() {
        Some(unknown) => warn(format!(
            "type `{unknown}` is documented nowhere; sent as text (`string`)"
        )),
        None if doc_type != p.ty => warn(format!(
            "type `{}` has no form outside the body; sent as text (`string`)",
            p.ty_text
        )),
        None => {}
    }
    let Some(ty) = keep_or_convert(&doc_type, existing.map(|e| e.ty.as_str()), "int32") else {
        warn(format!("type `{}` not imported", p.ty_text));
        return None;
    };
    let required = location == Location::Path || !p.optional;
    // A boolean's `**Values**: true, false` says nothing its type does not.
    let values = if crate::docs::takes_values(&ty) {
        p.values.clone()
    } else {
        Vec::new()
    };
    let default = match &p.default {
        Some(_) if required => None,
        Some(d) if !values.is_empty() && !values.contains(d) => {
            warn(format!(
                "default `{d}` is not among the documented values; left out"
            ));
            None
        }
        Some(d) => match scalar(d, &ty) {
            Some(v) => Some(v),
            None => {
                warn(format!("default `{d}` is not a {ty}; left out"));
                None
            }
        },
        None => None,
    };
    Some(Parameter {
        name,
        wire_name,
        location,
        array_encoding: ty.starts_with("list<").then(|| {
            existing
                .and_then(|e| e.array_encoding)
                .unwrap_or(ArrayEncoding::Repeated)
        }),
        ty,
        required,
        default,
        values,
        description: p.description.clone(),
    })
}

/// A documented default as a value of the parameter's type.
fn scalar(text: &str, ty: &str) -> Option<Scalar> {
    match ty {
        "int32" | "int64" => text.parse().ok().map(Scalar::Int),
        "number" => text.parse().ok().map(Scalar::Float),
        "boolean" => text.parse().ok().map(Scalar::Bool),
        _ => Some(Scalar::String(text.to_owned())),
    }
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
    let added: Vec<&str> = new
        .parameters
        .iter()
        .filter(|p| !old.parameters.iter().any(|q| q.name == p.name))
        .map(|p| p.name.as_str())
        .collect();
    let removed: Vec<&str> = old
        .parameters
        .iter()
        .filter(|p| !new.parameters.iter().any(|q| q.name == p.name))
        .map(|p| p.name.as_str())
        .collect();
    let changed: Vec<&str> = new
        .parameters
        .iter()
        .filter(|p| old.parameters.iter().any(|q| q.name == p.name && q != *p))
        .map(|p| p.name.as_str())
        .collect();
    for (label, list) in [
        ("new parameters", added),
        ("removed parameters", removed),
        ("changed parameters", changed),
    ] {
        if !list.is_empty() {
            what.push(format!("{label} {}", list.join(", ")));
        }
    }
    if !what.is_empty() {
        ctx.change(&new.name, format!("updated: {}", what.join("; ")));
    }
}
