//! A parameter: its type for where it travels, its list encoding, values and default; a header
//! parameter's name; an operation's media types.

use std::collections::HashMap;
use std::path::Path;

use super::{Ctx, Place, Problem, Site};
use crate::naming;
use crate::spec::format::{Location, Method, Operation, Parameter, Scalar};
use crate::spec::locate::Locations;
use crate::spec::types::{Scalar as S, TypeExpr};

/// Headers the client sets itself: a parameter cannot carry them.
pub(super) const CLIENT_HEADERS: [&str; 5] = [
    "accept",
    "content-type",
    "content-length",
    "authorization",
    "host",
];

/// A header parameter's wire name is a header name the client may send.
pub(super) fn check_header_parameter(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    qp: &str,
    q: &Parameter,
) {
    let pointer = format!("{qp}/wire_name");
    if http::HeaderName::from_bytes(q.wire_name.as_bytes()).is_err() {
        ctx.report(Problem {
            place: Place::value(file, loc, &pointer),
            message: format!(
                "header parameter `{}`: `{}` is not a valid HTTP header name",
                q.name, q.wire_name
            ),
            label: "not a header name",
            help: "header names are ASCII letters, digits and `!#$%&'*+-.^_`|~`, without spaces"
                .into(),
        });
    } else if CLIENT_HEADERS.contains(&q.wire_name.to_ascii_lowercase().as_str()) {
        ctx.report(Problem { place: Place::value(file, loc, &pointer), message: format!("header parameter `{}`: the client sets `{}` itself", q.name, q.wire_name), label: "set by the client", help: "`Accept` and `Content-Type` follow `produces` and `consumes`; the token header is the service's".into() });
    }
}

/// Whether a media type's body is JSON: `application/json` or a `+json` suffix
/// (`application/scim+json`).
pub fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// `type/subtype`, each an HTTP token (RFC 9110 §8.3.1), no wildcard and no parameters.
pub(super) fn is_media_type(media: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t != "*"
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    media
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
}

/// `consumes` and `produces`: media types (`type/subtype`), a request media type only with a
/// body, and a text response (no JSON media type) returned as `string`.
pub(super) fn check_media(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    op: &Operation,
) {
    for (key, list) in [("consumes", &op.consumes), ("produces", &op.produces)] {
        if list.is_empty() {
            ctx.report(Problem {
                place: Place::key(file, loc, &format!("{p}/{key}")),
                message: format!("operation `{}` lists no media type in `{key}`", op.name),
                label: "empty",
                help: "list at least one, or remove the key for `application/json`".into(),
            });
        }
        for (j, media) in list.iter().enumerate() {
            if !is_media_type(media) {
                ctx.report(Problem { place: Place::value(file, loc, &format!("{p}/{key}/{j}")), message: format!("`{media}` is not a media type"), label: "not `type/subtype`", help: "write a media type without parameters or wildcards: `application/json`, `text/plain`".into() });
            }
        }
    }
    if op.body.is_none() && op.consumes != ["application/json"] {
        let why = if matches!(op.method, Method::Get | Method::Head) {
            format!("a {} has no body, so no body type", op.method)
        } else {
            format!(
                "operation `{}` has no body to send as `{}`",
                op.name,
                op.consumes.join("`, `")
            )
        };
        ctx.report(Problem {
            place: Place::key(file, loc, &format!("{p}/consumes")),
            message: why,
            label: "no body",
            help: "remove `consumes`, or add the `body`".into(),
        });
    }
    let json = op.produces.iter().any(|m| is_json_media(m));
    if !json && !op.produces.is_empty() && op.returns.as_deref().is_some_and(|r| r != "string") {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{p}/returns")),
            message: format!(
                "operation `{}` answers `{}`, which is text, but returns `{}`",
                op.name,
                op.produces.join("`, `"),
                op.returns.as_deref().unwrap_or_default()
            ),
            label: "a text response is a string",
            help: "return `string`, or add `application/json` to `produces`".into(),
        });
    }
}

pub(super) fn check_parameter(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    qp: &str,
    q: &Parameter,
) {
    let Some(ty) = parameter_type(ctx, file, loc, qp, q) else {
        return;
    };
    if q.location == Location::Header {
        check_header_parameter(ctx, file, loc, qp, q);
    }
    if q.location == Location::Path && !q.required {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{qp}/in")),
            message: format!("path parameter `{}` is not marked required", q.name),
            label: "path parameters are always required",
            help: "add `required: true`".into(),
        });
    }
    check_list_encoding(ctx, file, loc, qp, q, matches!(ty, TypeExpr::List(_)));
    check_enum_values(ctx, file, loc, &format!("{qp}/enum"), &q.values);
    if !q.values.is_empty() && !ty.takes_values() {
        ctx.report(Problem {
            place: Place::key(file, loc, &format!("{qp}/enum")),
            message: format!("parameter `{}` of type `{ty}` lists allowed values", q.name),
            label: "only strings have allowed values",
            help: "make the parameter a string or remove `enum`".into(),
        });
    }
    if let Some(default) = &q.default {
        check_default(ctx, file, loc, qp, q, (&ty, default));
    }
}

/// The parameter's type, parsed: one a parameter at its location can have.
fn parameter_type(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    qp: &str,
    q: &Parameter,
) -> Option<TypeExpr> {
    let ty = match TypeExpr::parse(&q.ty) {
        Ok(t) => t,
        Err(e) => {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{qp}/type")),
                message: e.message,
                label: "invalid type",
                help: e.help,
            });
            return None;
        }
    };
    let simple = |t: &TypeExpr| {
        matches!(
            t,
            TypeExpr::Scalar(S::String | S::Int32 | S::Int64 | S::Boolean | S::Number)
        )
    };
    // Dates travel in the query as ISO 8601 text (`2024-01-31`, `2024-01-31T10:00:00.000Z`).
    let query = |t: &TypeExpr| simple(t) || matches!(t, TypeExpr::Scalar(S::Date | S::DateTime));
    let ok = match (&ty, q.location) {
        (TypeExpr::List(item), Location::Query) => query(item),
        (t, Location::Query) => query(t),
        (t, Location::Path) => simple(t) || matches!(t, TypeExpr::Scalar(S::Date)),
        (t, Location::Header) => simple(t),
    };
    if !ok {
        ctx.report(Problem { place: Place::value(file, loc, &format!("{qp}/type")), message: format!("parameter `{}` cannot have type `{ty}`", q.name), label: "not a parameter type", help: "parameters are string, int32, int64, number or boolean; query parameters may also be dates or list<…> of those".into() });
    }
    Some(ty)
}

/// A list parameter says how it is encoded; another does not.
fn check_list_encoding(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    qp: &str,
    q: &Parameter,
    is_list: bool,
) {
    match (is_list, q.array_encoding) {
        (true, None) => ctx.report(Problem {
            place: Place::value(file, loc, &format!("{qp}/type")),
            message: format!("list parameter `{}` does not say how it is encoded", q.name),
            label: "encoding missing",
            help: "add `array_encoding: repeated` (`?id=a&id=b`)".into(),
        }),
        (false, Some(_)) => ctx.report(Problem {
            place: Place::key(file, loc, &format!("{qp}/array_encoding")),
            message: format!(
                "parameter `{}` is not a list but has an array encoding",
                q.name
            ),
            label: "not a list",
            help: "remove `array_encoding`".into(),
        }),
        _ => {}
    }
}

/// A default is of the parameter's type, for an optional parameter, one of its values.
fn check_default(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    qp: &str,
    q: &Parameter,
    (ty, default): (&TypeExpr, &Scalar),
) {
    let dp = format!("{qp}/default");
    let fits = match (ty.item(), default) {
        (TypeExpr::Scalar(S::Boolean), Scalar::Bool(_)) => true,
        (TypeExpr::Scalar(S::Int32), Scalar::Int(i)) => i32::try_from(*i).is_ok(),
        (TypeExpr::Scalar(S::Int64), Scalar::Int(_)) => true,
        (TypeExpr::Scalar(S::Number), Scalar::Int(_) | Scalar::Float(_)) => true,
        (TypeExpr::Scalar(S::String), Scalar::String(_)) => true,
        _ => false,
    };
    if !fits {
        ctx.report(Problem {
            place: Place::value(file, loc, &dp),
            message: format!("default `{default}` is not a `{ty}`"),
            label: "wrong type for this parameter",
            help: format!(
                "write a {ty} value{}",
                if matches!(default, Scalar::String(_)) {
                    " without quotes"
                } else {
                    ""
                }
            ),
        });
    } else if q.required {
        ctx.report(Problem { place: Place::key(file, loc, &dp), message: format!("required parameter `{}` has a default", q.name), label: "never used", help: "a default only applies when the caller may leave the parameter out: remove it or make the parameter optional".into() });
    } else if let Scalar::String(v) = default {
        if !q.values.is_empty() && !q.values.contains(v) {
            ctx.report(Problem {
                place: Place::value(file, loc, &dp),
                message: format!("default `{v}` is not one of the allowed values"),
                label: "not allowed",
                help: format!("use one of: {}", q.values.join(", ")),
            });
        }
    }
}

pub(super) fn check_enum_values(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    values: &[String],
) {
    let mut seen = HashMap::new();
    for (i, v) in values.iter().enumerate() {
        let vp = format!("{p}/{i}");
        match naming::variant_ident(v) {
            None => ctx.report(Problem {
                place: Place::value(file, loc, &vp),
                message: format!("enum value `{v}` has no letter or digit"),
                label: "cannot name a variant",
                help: "remove the value or correct it".into(),
            }),
            Some(ident) => ctx.unique(
                &mut seen,
                ident,
                Site {
                    file,
                    pointer: vp,
                    locations: loc,
                    original: v.clone(),
                },
                "enum value",
            ),
        }
    }
}
