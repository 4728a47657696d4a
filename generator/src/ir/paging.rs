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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::ir::{Field, Gate, Ident, ModelRef};
    use crate::naming::snake_ident;

    fn field(wire: &str, ty: RustType) -> Field {
        Field {
            wire: wire.into(),
            ident: snake_ident(wire),
            setter: format!("with_{wire}"),
            null_setter: None,
            ty,
            required: false,
            description: String::new(),
        }
    }

    fn model(name: &str, fields: Vec<Field>) -> Model {
        Model {
            name: name.into(),
            type_name: name.into(),
            module: name.to_lowercase(),
            spec_file: PathBuf::new(),
            description: String::new(),
            fields,
            gate: Gate::Service,
            nullable: false,
        }
    }

    fn model_ref(i: usize, name: &str) -> RustType {
        RustType::Model(ModelRef {
            id: ModelId(i),
            name: name.into(),
            boxed: false,
        })
    }

    fn param(wire: &str, location: Location) -> Param {
        Param {
            ident: snake_ident(wire),
            wire: wire.into(),
            ty: RustType::String,
            list: false,
            location,
            required: false,
            description: String::new(),
            default: None,
            values: Vec::new(),
        }
    }

    /// A page `{ total, entities: [Item], cursors: { after } , pageCount }` and its item.
    fn models() -> Vec<Model> {
        vec![
            model("Cursors", vec![field("after", RustType::String)]),
            model(
                "Page",
                vec![
                    field("total", RustType::I32),
                    field("entities", RustType::Vec(Box::new(model_ref(2, "Item")))),
                    field("cursors", model_ref(0, "Cursors")),
                    field("pageCount", RustType::I32),
                    field("nextUri", RustType::String),
                ],
            ),
            model("Item", vec![]),
        ]
    }

    fn resolve(p: &format::Paging, params: &[Param]) -> Result<Paging, IrError> {
        paging(
            p,
            Some(&model_ref(1, "Page")),
            params,
            &models(),
            Path::new("g.yaml"),
        )
    }

    #[test]
    fn fields_resolve_to_their_model_and_index_and_a_cursor_through_nested_models() {
        let params = [
            param("pageNumber", Location::Path),
            param("pageNumber", Location::Query),
        ];
        let p = format::Paging::PageNumber {
            parameter: "pageNumber".into(),
            items: "entities".into(),
            page_count: Some("pageCount".into()),
        };
        let paged = resolve(&p, &params).unwrap();
        assert_eq!(
            paged.items,
            FieldRef {
                model: ModelId(1),
                field: 1
            }
        );
        assert_eq!(paged.item, model_ref(2, "Item"));
        assert_eq!(paged.parameter, Ident::from_source("page_number".into()));
        let PagingStyle::PageNumber { page_count } = paged.style else {
            panic!()
        };
        assert_eq!(
            page_count,
            Some(FieldRef {
                model: ModelId(1),
                field: 3
            })
        );
        let p = format::Paging::Cursor {
            parameter: "pageNumber".into(),
            next: "cursors.after".into(),
            items: "entities".into(),
        };
        let PagingStyle::Cursor { next } = resolve(&p, &params).unwrap().style else {
            panic!()
        };
        assert_eq!(
            next,
            [
                FieldRef {
                    model: ModelId(1),
                    field: 2
                },
                FieldRef {
                    model: ModelId(0),
                    field: 0
                }
            ]
        );
    }

    #[test]
    fn what_does_not_resolve_is_an_error_of_the_file() {
        let query = [param("after", Location::Query)];
        let cursor = |next: &str, items: &str| format::Paging::Cursor {
            parameter: "after".into(),
            next: next.into(),
            items: items.into(),
        };
        let message =
            |p: &format::Paging, params: &[Param]| resolve(p, params).unwrap_err().message;
        assert!(
            message(&cursor("cursors.after", "total"), &query).contains("`total` is not a list")
        );
        assert!(message(&cursor("cursors.before", "entities"), &query).contains("`before`"));
        assert!(message(&cursor("total.after", "entities"), &query).contains("not a model"));
        let in_path = [param("after", Location::Path)];
        assert!(message(&cursor("cursors.after", "entities"), &in_path).contains("not a query"));
        let next_uri = format::Paging::NextUri {
            parameter: "after".into(),
            next_uri: "nextUri".into(),
            items: "entities".into(),
        };
        assert!(resolve(&next_uri, &query).is_ok());
        let err = paging(
            &next_uri,
            Some(&RustType::String),
            &query,
            &models(),
            Path::new("g.yaml"),
        );
        assert_eq!(err.unwrap_err().file, Path::new("g.yaml"));
    }
}
