//! A model file, and the type expressions and model references every file writes.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::parameters::check_enum_values;
use super::suggest;
use super::{Ctx, Place, Problem, Site};
use crate::naming;
use crate::spec::format::ModelFile;
use crate::spec::load::Parsed;
use crate::spec::locate::{Locations, escape};
use crate::spec::types::TypeExpr;

pub(super) fn check_model(
    ctx: &mut Ctx<'_>,
    m: &Parsed<ModelFile>,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    let (file, loc) = (m.path.as_path(), &m.locations);
    check_model_name(ctx, m);
    let mut idents = HashMap::new();
    for (wire, field) in &m.value.fields {
        let fp = format!("/fields/{}", escape(wire));
        if !naming::is_valid_ident(&naming::snake_ident(wire).to_string()) {
            ctx.report(Problem {
                place: Place::key(file, loc, &fp),
                message: format!("field name `{wire}` cannot be turned into a Rust name"),
                label: "no ASCII letters",
                help: "fields are keyed by their JSON name; use ASCII letters, digits and `_`"
                    .into(),
            });
            continue;
        }
        ctx.unique(
            &mut idents,
            naming::snake_ident(wire).to_string(),
            Site {
                file,
                pointer: fp.clone(),
                locations: loc,
                original: wire.clone(),
            },
            "field",
        );
        if let Some(ty) = check_type(ctx, file, loc, &format!("{fp}/type"), &field.ty, models) {
            check_enum_values(ctx, file, loc, &format!("{fp}/enum"), &field.values);
            if !field.values.is_empty() && !ty.takes_values() {
                ctx.report(Problem {
                    place: Place::key(file, loc, &format!("{fp}/enum")),
                    message: format!("field `{wire}` of type `{ty}` lists enum values"),
                    label: "only strings have enum values",
                    help: "make the field `string` or `list<string>`, or remove `enum`".into(),
                });
            }
            if let Some(format) = &field.format {
                check_format(ctx, file, loc, &fp, wire, format, &ty);
            }
        }
    }
}

/// A model is named for its file, in UpperCamelCase.
fn check_model_name(ctx: &mut Ctx<'_>, m: &Parsed<ModelFile>) {
    let (file, loc) = (m.path.as_path(), &m.locations);
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let name = &m.value.name;
    if name != stem {
        ctx.report(Problem {
            place: Place::value(file, loc, "/name"),
            message: format!("model `{name}` is declared in file `{stem}.yaml`"),
            label: "does not match the file name",
            help: format!("name the model `{stem}` or the file `{name}.yaml`"),
        });
    }
    if !matches!(TypeExpr::parse(name), Ok(TypeExpr::Model(_))) {
        ctx.report(Problem {
            place: Place::value(file, loc, "/name"),
            message: format!("model name `{name}` is not UpperCamelCase"),
            label: "not a model name",
            help: "model names start with an uppercase letter and use letters and digits only"
                .into(),
        });
    }
}

/// A field's `format` names a text format of a string: a kebab-case word, on a string type.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_format(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    fp: &str,
    wire: &str,
    format: &str,
    ty: &TypeExpr,
) {
    let word = !format.is_empty()
        && format.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    let problem = if !ty.takes_values() {
        Some((
            format!("field `{wire}` of type `{ty}` has a text format"),
            "only strings have a format",
            "make the field `string` or `list<string>`, or remove `format`",
        ))
    } else if !word {
        Some((
            format!("format `{format}` of field `{wire}` is not a kebab-case word"),
            "not a format name",
            "write the format as the vendor names it, such as `year-month`",
        ))
    } else {
        None
    };
    if let Some((message, label, help)) = problem {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{fp}/format")),
            message,
            label,
            help: help.into(),
        });
    }
}

/// Parses a type expression and checks that the model it names exists.
pub(super) fn check_type(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    text: &str,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) -> Option<TypeExpr> {
    match TypeExpr::parse(text) {
        Ok(t) => {
            if let Some(name) = t.model_name() {
                check_model_ref(ctx, file, loc, p, name, models);
            }
            Some(t)
        }
        Err(e) => {
            ctx.report(Problem {
                place: Place::value(file, loc, p),
                message: e.message,
                label: "invalid type",
                help: e.help,
            });
            None
        }
    }
}

pub(super) fn check_model_ref(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    name: &str,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    if !models.contains_key(name) {
        ctx.report(Problem {
            place: Place::value(file, loc, p),
            message: format!("unknown model `{name}`"),
            label: "no such model",
            help: format!(
                "add models/{name}.yaml to this service{}",
                suggest(name, models.keys().copied())
            ),
        });
    }
}
