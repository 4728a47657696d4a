//! A paging declaration: the query parameter it moves and the fields it reads.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Ctx, Place, Problem};
use crate::spec::format::{Location, ModelFile, Operation, Paging};
use crate::spec::load::Parsed;
use crate::spec::locate::Locations;
use crate::spec::types::{Scalar as S, TypeExpr};

/// A paging declaration names a query parameter of the operation and fields of the model it
/// returns, of the types its style needs.
pub(super) fn check_paging(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    op: &Operation,
    paging: &Paging,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    let returned = match op.returns.as_deref().map(TypeExpr::parse) {
        Some(Ok(TypeExpr::Model(name))) => models.get(name.as_str()).copied().flatten(),
        _ => {
            ctx.report(Problem {
                place: Place::key(file, loc, p),
                message: format!("operation `{}` pages but does not return a model", op.name),
                label: "paging without a listing",
                help: "paging names fields of the returned model; set `returns` or remove `paging`"
                    .into(),
            });
            return;
        }
    };
    let Some(returned) = returned else { return }; // an unknown model is reported at `returns`
    let (wanted, fields) = wants(paging);
    check_paging_parameter(ctx, (file, loc, p), op, paging, wanted);
    for (key, path, want) in fields {
        if let Err(message) = field_path(returned, path, want, models) {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{p}/{key}")),
                message,
                label: "not a field for paging",
                help: want.help().into(),
            });
        }
    }
}

/// The paging parameter's type and the fields a paging style reads: `(key, path, what it holds)`.
fn wants(paging: &Paging) -> (S, Vec<(&'static str, &str, Want)>) {
    match paging {
        Paging::PageNumber {
            items, page_count, ..
        } => (
            S::Int32,
            std::iter::once(("items", items.as_str(), Want::List))
                .chain(
                    page_count
                        .as_deref()
                        .map(|f| ("page_count", f, Want::Count)),
                )
                .collect(),
        ),
        Paging::Cursor { next, items, .. } => (
            S::String,
            vec![("items", items, Want::List), ("next", next, Want::Text)],
        ),
        Paging::NextUri {
            next_uri, items, ..
        } => (
            S::String,
            vec![
                ("items", items, Want::List),
                ("next_uri", next_uri, Want::Text),
            ],
        ),
    }
}

/// The paging parameter is an optional query parameter of the type the style moves.
fn check_paging_parameter(
    ctx: &mut Ctx<'_>,
    (file, loc, p): (&Path, &Locations, &str),
    op: &Operation,
    paging: &Paging,
    wanted: S,
) {
    let parameter = paging.parameter();
    let found = op
        .parameters
        .iter()
        .find(|q| q.location == Location::Query && q.wire_name == parameter);
    let fits = found.is_some_and(|q| {
        !q.required && TypeExpr::parse(&q.ty).ok() == Some(TypeExpr::Scalar(wanted))
    });
    if !fits {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{p}/parameter")),
            message: match found {
                None => format!(
                    "operation `{}` has no query parameter `{parameter}` to page with",
                    op.name
                ),
                Some(q) => format!(
                    "paging parameter `{parameter}` is `{}`{}",
                    q.ty,
                    if q.required { ", required" } else { "" }
                ),
            },
            label: "cannot page with it",
            help: format!(
                "name an optional `{}` query parameter of the operation (its wire name)",
                TypeExpr::Scalar(wanted)
            ),
        });
    }
}

/// What a paging field must hold.
#[derive(Clone, Copy)]
enum Want {
    List,
    Count,
    Text,
}

impl Want {
    fn help(self) -> &'static str {
        match self {
            Want::List => "name a `list<…>` field of the returned model (its wire name)",
            Want::Count => "name an `int32` or `int64` field of the returned model",
            Want::Text => {
                "name a `string` field of the returned model, or a dotted path through its models"
            }
        }
    }

    fn accepts(self, ty: &TypeExpr) -> bool {
        match self {
            Want::List => matches!(ty, TypeExpr::List(_)),
            Want::Count => matches!(ty, TypeExpr::Scalar(S::Int32 | S::Int64)),
            Want::Text => *ty == TypeExpr::Scalar(S::String),
        }
    }
}

/// Follows a dotted field path from `model`; only `Text` may go through nested models.
fn field_path(
    model: &Parsed<ModelFile>,
    path: &str,
    want: Want,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) -> Result<(), String> {
    let mut model = model;
    let mut steps = path.split('.').peekable();
    while let Some(step) = steps.next() {
        let name = &model.value.name;
        let field = model
            .value
            .fields
            .get(step)
            .ok_or_else(|| format!("model `{name}` has no field `{step}`"))?;
        let ty = TypeExpr::parse(&field.ty).map_err(|e| e.message)?;
        if steps.peek().is_none() {
            return if want.accepts(&ty) {
                Ok(())
            } else {
                Err(format!("field `{step}` of `{name}` is `{}`", field.ty))
            };
        }
        model =
            match (&ty, want) {
                (TypeExpr::Model(inner), Want::Text) => models
                    .get(inner.as_str())
                    .copied()
                    .flatten()
                    .ok_or_else(|| format!("unknown model `{inner}`"))?,
                _ => {
                    return Err(format!(
                        "field `{step}` of `{name}` is `{}`, not a model to go into",
                        field.ty
                    ));
                }
            };
    }
    Err("an empty field path".into())
}
