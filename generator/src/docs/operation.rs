//! One documented operation against the spec's: found by name, then each fact the page states,
//! and what the SDK's code of the same release says about the wire.

use std::collections::BTreeSet;

use super::page::{DocOperation, DocParameter, DocRequirement};
use super::sdk_code::CodeOperation;
use super::verdict::{Kind, Match, set_diff};
use super::{parse, takes_values};
use crate::spec::format::{Location, Operation, Parameter, Requirement};

/// The spec operation a page operation documents: by its current name, else by a legacy name.
pub(super) fn find<'a>(ops: &'a [Operation], name: &str) -> Option<(&'a Operation, Match)> {
    ops.iter()
        .find(|o| o.name == name)
        .map(|o| (o, Match::Current))
        .or_else(|| {
            ops.iter()
                .find(|o| o.legacy_names.iter().any(|l| l == name))
                .map(|o| (o, Match::Legacy))
        })
}

/// Why a page operation [`find`] missed is a difference, naming the spec operation on the same
/// route when there is one (a legacy name to add).
pub(super) fn not_in_spec(ops: &[Operation], dop: &DocOperation) -> String {
    let by_route = ops.iter().find(|o| {
        Some(o.method.as_str()) == dop.method.as_deref()
            && Some(o.path.as_str()) == dop.path.as_deref()
    });
    match by_route {
        Some(o) => format!(
            "`{}` is not in the spec; the spec has {} {} as `{}`: add `{}` to its `legacy_names`",
            dop.name, o.method, o.path, o.name, dop.name
        ),
        None => format!(
            "operation `{}`{} is documented but not in the spec",
            dop.name,
            route(dop).map(|r| format!(" ({r})")).unwrap_or_default()
        ),
    }
}

fn route(d: &DocOperation) -> Option<String> {
    Some(format!("{} {}", d.method.as_deref()?, d.path.as_deref()?))
}

/// Compares the facts a page states about one operation; pushes one message per disagreement.
pub(super) fn compare(d: &DocOperation, op: &Operation, out: &mut Vec<(Kind, String)>) {
    if let (Some(m), Some(p)) = (&d.method, &d.path) {
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
    if let Some(req) = &d.requires {
        compare_requirement(req, op, out);
    }
    if let Some(params) = &d.parameters {
        compare_parameters(d, params, op, out);
    }
    compare_returns_and_media(d, op, out);
}

/// The documented parameters, the body among them, against the spec's.
fn compare_parameters(
    d: &DocOperation,
    params: &[DocParameter],
    op: &Operation,
    out: &mut Vec<(Kind, String)>,
) {
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

/// The documented return type and media types against the spec's.
fn compare_returns_and_media(d: &DocOperation, op: &Operation, out: &mut Vec<(Kind, String)>) {
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

/// The spec against the SDK's code, on what the code alone states: route, where each parameter
/// goes and under which name, media types.
pub(super) fn compare_code(c: &CodeOperation, op: &Operation, out: &mut Vec<(Kind, String)>) {
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
pub(super) fn pages_and_code(d: &DocOperation, c: &CodeOperation) -> Vec<String> {
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

fn compare_body(p: &DocParameter, op: &Operation, out: &mut Vec<(Kind, String)>) {
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

fn compare_parameter(p: &DocParameter, q: &Parameter, out: &mut Vec<(Kind, String)>) {
    let documented = if q.location == Location::Path {
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

/// An SDK parameter name as the spec writes it (`pcPass` → `pc_pass`).
fn snake(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name)
}
