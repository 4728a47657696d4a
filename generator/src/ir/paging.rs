//! How an operation pages: its spec declaration resolved to the returned model's fields.

use std::path::Path;

use super::resolve::unresolved;
use super::{FieldRef, IrError, Location, Model, ModelId, Paging, PagingStyle, Param, RustType};
use crate::spec::format;

/// The IR of a paging declaration of an operation in `file`; every field it names must resolve
/// (the validator checks them: a miss here is reported, not skipped).
pub(super) fn paging(
    p: &format::Paging,
    returns: Option<&RustType>,
    parameters: &[Param],
    models: &[Model],
    file: &Path,
) -> Result<Paging, IrError> {
    let fields = Fields { models, file };
    let page = fields.model_of(returns)?;
    let items = fields.field(page, p.items())?;
    let RustType::Vec(item) = &models[page.0].fields[items.field].ty else {
        return Err(unresolved(
            file,
            format!("paging items `{}` is not a list", p.items()),
        ));
    };
    let parameter = parameters
        .iter()
        .find(|q| q.location == Location::Query && q.wire == p.parameter())
        .ok_or_else(|| {
            unresolved(
                file,
                format!(
                    "paging parameter `{}` is not a query parameter",
                    p.parameter()
                ),
            )
        })?;
    let style = match p {
        format::Paging::PageNumber { page_count, .. } => PagingStyle::PageNumber {
            page_count: match page_count {
                Some(wire) => Some(fields.field(page, wire)?),
                None => None,
            },
        },
        format::Paging::Cursor { next, .. } => {
            let mut path = Vec::new();
            let mut at = page;
            for (i, step) in next.split('.').enumerate() {
                if i > 0 {
                    let last: &FieldRef = &path[i - 1];
                    at = fields.model_of(Some(&models[last.model.0].fields[last.field].ty))?;
                }
                path.push(fields.field(at, step)?);
            }
            PagingStyle::Cursor { next: path }
        }
        format::Paging::NextUri { next_uri, .. } => PagingStyle::NextUri {
            next_uri: fields.field(page, next_uri)?,
        },
    };
    Ok(Paging {
        item: (**item).clone(),
        items,
        parameter: parameter.ident.clone(),
        parameter_wire: parameter.wire.clone(),
        style,
    })
}

/// The models a paging declaration reads, and the file that declares it.
struct Fields<'a> {
    models: &'a [Model],
    file: &'a Path,
}

impl Fields<'_> {
    /// The model a type is.
    fn model_of(&self, ty: Option<&RustType>) -> Result<ModelId, IrError> {
        match ty {
            Some(RustType::Model(m)) => Ok(m.id),
            _ => Err(unresolved(
                self.file,
                "paging reads a type that is not a model".into(),
            )),
        }
    }

    /// The field of `model` whose wire name is `wire`.
    fn field(&self, model: ModelId, wire: &str) -> Result<FieldRef, IrError> {
        let m = &self.models[model.0];
        let field = m
            .fields
            .iter()
            .position(|f| f.wire == wire)
            .ok_or_else(|| {
                unresolved(
                    self.file,
                    format!("paging field `{wire}` is not a field of `{}`", m.name),
                )
            })?;
        Ok(FieldRef { model, field })
    }
}
