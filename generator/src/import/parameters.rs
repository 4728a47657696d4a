//! Merging a page's parameters into an operation's: where each goes and under which name (the
//! SDK's code, else the spec), its type, values and default.

use heck::ToSnakeCase;

use super::operations::Context;
use super::{keep_or_convert, refuse_name};
use crate::docs::page::DocParameter;
use crate::docs::sdk_code::{CodeOperation, CodeParameter};
use crate::spec::format::{ArrayEncoding, Body, Location, Operation, Parameter, Scalar};
use crate::spec::types::placeholders;
use crate::text::squash;

/// The documented parameters, in page order, over the spec's; where each goes and its wire name
/// from the SDK's code, or else from the spec.
pub(super) fn set(
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
    let (location, wire_name) = placement(path, existing, code, p, &mut warn)?;
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
    let default = p
        .default
        .as_deref()
        .filter(|_| !required)
        .and_then(|d| default(d, &ty, &values, &mut warn));
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

/// Where a parameter goes and its exact name: the SDK's code's, else the spec's, else the
/// path's placeholder. A name is never derived from the SDK's snake_case one.
fn placement(
    path: &str,
    existing: Option<&Parameter>,
    code: Option<&CodeParameter>,
    p: &DocParameter,
    warn: &mut dyn FnMut(String),
) -> Option<(Location, String)> {
    let placeholder = placeholders(path)
        .into_iter()
        .find(|h| squash(h) == squash(&p.name));
    let placed = match (code, existing, placeholder) {
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
    Some(placed)
}

/// A documented default of an optional parameter, when it is among the documented values and of
/// the parameter's type; else left out with a warning.
fn default(d: &str, ty: &str, values: &[String], warn: &mut dyn FnMut(String)) -> Option<Scalar> {
    if !values.is_empty() && !values.iter().any(|v| v == d) {
        warn(format!(
            "default `{d}` is not among the documented values; left out"
        ));
        return None;
    }
    let value = scalar(d, ty);
    if value.is_none() {
        warn(format!("default `{d}` is not a {ty}; left out"));
    }
    value
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
