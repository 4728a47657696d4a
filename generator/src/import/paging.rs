//! Paging, as the documentation shows it: the parameters an operation takes and the fields of the
//! listing it returns. The pages never say "this operation pages" in words; these rules read what
//! they do say, once, at import, and write the result into the spec, where a reviewer sees it and
//! a maintainer can correct it (a declaration already in the spec is kept while its parameter is).

use std::collections::BTreeMap;

use crate::spec::format::{Location, ModelFile, Operation, Paging};
use crate::spec::types::{Scalar, TypeExpr};

/// Declares the paging of every operation of `operations` that has none (or whose parameter is
/// gone), where the rules below find one; returns what changed, by operation.
pub(super) fn declare(
    operations: &mut [Operation],
    models: &BTreeMap<&str, &ModelFile>,
) -> Vec<(String, String)> {
    let mut changes = Vec::new();
    for op in operations {
        let before = op.paging.clone();
        if op
            .paging
            .as_ref()
            .is_some_and(|p| query_parameter(op, p.parameter()).is_none())
        {
            op.paging = None;
        }
        if op.paging.is_none() {
            op.paging = infer(op, models);
        }
        if op.paging != before {
            let what = match &op.paging {
                Some(Paging::PageNumber { parameter, .. }) => {
                    format!("pages by number (`{parameter}`)")
                }
                Some(Paging::Cursor {
                    parameter, next, ..
                }) => format!("pages by cursor (`{next}` sent as `{parameter}`)"),
                Some(Paging::NextUri {
                    parameter,
                    next_uri,
                    ..
                }) => format!("pages by link (`{parameter}` read from `{next_uri}`)"),
                None => "no longer pages: its paging parameter is gone".to_owned(),
            };
            changes.push((op.name.clone(), what));
        }
    }
    changes
}

/// The rules, in order:
/// - an optional `int32` query parameter `pageNumber` pages by number, with the listing's
///   `pageCount` when it has one;
/// - an optional `string` query parameter `cursor` or `after` takes a cursor: from the listing's
///   field of the same name, else from the query of its `nextUri` link, else from
///   `cursors.after`;
///
/// and the items are the listing's `entities`, or its one list field.
pub(super) fn infer(op: &Operation, models: &BTreeMap<&str, &ModelFile>) -> Option<Paging> {
    let model = match op.returns.as_deref().map(TypeExpr::parse) {
        Some(Ok(TypeExpr::Model(name))) => *models.get(name.as_str())?,
        _ => return None,
    };
    let items = items(model)?;
    if query_parameter(op, "pageNumber") == Some(Scalar::Int32) {
        let page_count = field_type(model, "pageCount")
            .is_some_and(|t| matches!(t, TypeExpr::Scalar(Scalar::Int32 | Scalar::Int64)))
            .then(|| "pageCount".to_owned());
        return Some(Paging::PageNumber {
            parameter: "pageNumber".into(),
            items,
            page_count,
        });
    }
    let parameter = ["cursor", "after"]
        .into_iter()
        .find(|p| query_parameter(op, p) == Some(Scalar::String))?
        .to_owned();
    let string = TypeExpr::Scalar(Scalar::String);
    if field_type(model, &parameter) == Some(string.clone()) {
        return Some(Paging::Cursor {
            next: parameter.clone(),
            parameter,
            items,
        });
    }
    if field_type(model, "nextUri") == Some(string.clone()) {
        return Some(Paging::NextUri {
            parameter,
            next_uri: "nextUri".into(),
            items,
        });
    }
    let cursors = match field_type(model, "cursors")? {
        TypeExpr::Model(name) => *models.get(name.as_str())?,
        _ => return None,
    };
    (field_type(cursors, "after") == Some(string)).then(|| Paging::Cursor {
        parameter,
        next: "cursors.after".into(),
        items,
    })
}

/// The scalar type of an optional query parameter of `op` named `wire`.
fn query_parameter(op: &Operation, wire: &str) -> Option<Scalar> {
    let p = op
        .parameters
        .iter()
        .find(|p| p.location == Location::Query && p.wire_name == wire && !p.required)?;
    match TypeExpr::parse(&p.ty) {
        Ok(TypeExpr::Scalar(s)) => Some(s),
        _ => None,
    }
}

fn field_type(model: &ModelFile, wire: &str) -> Option<TypeExpr> {
    TypeExpr::parse(&model.fields.get(wire)?.ty).ok()
}

/// `entities` when it is a list, else the one list field.
fn items(model: &ModelFile) -> Option<String> {
    let lists: Vec<&String> = model
        .fields
        .iter()
        .filter(|(_, f)| matches!(TypeExpr::parse(&f.ty), Ok(TypeExpr::List(_))))
        .map(|(wire, _)| wire)
        .collect();
    match lists.as_slice() {
        _ if lists.iter().any(|w| *w == "entities") => Some("entities".into()),
        [one] => Some((*one).clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str, fields: &str) -> ModelFile {
        serde_yaml::from_str(&format!("name: {name}\nfields: {fields}")).unwrap()
    }

    fn op(parameters: &str, returns: &str) -> Operation {
        let text = format!(
            "{{name: get_x, method: GET, path: /x, summary: x, parameters: {parameters}, returns: '{returns}'}}"
        );
        serde_yaml::from_str(&text).unwrap()
    }

    fn paging(parameters: &str, fields: &str) -> Option<Paging> {
        let listing = model("Listing", fields);
        let cursors = model("Cursors", "{before: {type: string}, after: {type: string}}");
        let models = BTreeMap::from([("Listing", &listing), ("Cursors", &cursors)]);
        infer(&op(parameters, "Listing"), &models)
    }

    const PAGE: &str = "{name: page_number, wire_name: pageNumber, in: query, type: int32}";
    const AFTER: &str = "{name: after, wire_name: after, in: query, type: string}";
    const CURSOR: &str = "{name: cursor, wire_name: cursor, in: query, type: string}";

    #[test]
    fn page_numbers_with_and_without_a_count() {
        let counted = paging(
            &format!("[{PAGE}]"),
            "{entities: {type: list<string>}, pageCount: {type: int32}, nextUri: {type: string}}",
        );
        assert_eq!(
            counted,
            Some(Paging::PageNumber {
                parameter: "pageNumber".into(),
                items: "entities".into(),
                page_count: Some("pageCount".into())
            })
        );
        let uncounted = paging(
            &format!("[{PAGE}]"),
            "{results: {type: list<string>}, pageCount: {type: string}}",
        );
        assert_eq!(
            uncounted,
            Some(Paging::PageNumber {
                parameter: "pageNumber".into(),
                items: "results".into(),
                page_count: None
            })
        );
    }

    #[test]
    fn cursors_prefer_a_field_of_their_name_then_a_link_then_nested_cursors() {
        let own = paging(
            &format!("[{AFTER}]"),
            "{entities: {type: list<string>}, after: {type: string}, nextUri: {type: string}}",
        );
        assert_eq!(
            own,
            Some(Paging::Cursor {
                parameter: "after".into(),
                next: "after".into(),
                items: "entities".into()
            })
        );
        let link = paging(
            &format!("[{CURSOR}]"),
            "{entities: {type: list<string>}, nextUri: {type: string}, cursors: {type: Cursors}}",
        );
        assert_eq!(
            link,
            Some(Paging::NextUri {
                parameter: "cursor".into(),
                next_uri: "nextUri".into(),
                items: "entities".into()
            })
        );
        let nested = paging(
            &format!("[{AFTER}]"),
            "{results: {type: list<string>}, cursors: {type: Cursors}}",
        );
        assert_eq!(
            nested,
            Some(Paging::Cursor {
                parameter: "after".into(),
                next: "cursors.after".into(),
                items: "results".into()
            })
        );
        assert_eq!(
            paging(&format!("[{AFTER}]"), "{entities: {type: list<string>}}"),
            None,
            "nothing says where the next cursor is"
        );
    }

    #[test]
    fn what_does_not_page() {
        let listing =
            "{entities: {type: list<string>}, pageCount: {type: int32}, cursor: {type: string}}";
        assert_eq!(paging("[]", listing), None, "no paging parameter");
        let required =
            "[{name: page_number, wire_name: pageNumber, in: query, type: int32, required: true}]";
        assert_eq!(
            paging(required, listing),
            None,
            "a required page number is the caller's"
        );
        let text = "[{name: page_number, wire_name: pageNumber, in: query, type: string}]";
        assert_eq!(
            paging(text, listing),
            None,
            "a page number that is not a number"
        );
        let in_path = "[{name: cursor, wire_name: cursor, in: path, type: string, required: true}]";
        assert_eq!(paging(in_path, listing), None);
        let two_lists =
            "{a: {type: list<string>}, b: {type: list<string>}, pageCount: {type: int32}}";
        assert_eq!(
            paging(&format!("[{PAGE}]"), two_lists),
            None,
            "which list holds the items is not clear"
        );
        let models = BTreeMap::new();
        assert_eq!(
            infer(&op(&format!("[{PAGE}]"), "list<Listing>"), &models),
            None,
            "not a model"
        );
        assert_eq!(
            infer(&op(&format!("[{PAGE}]"), "Listing"), &models),
            None,
            "an unknown model"
        );
    }

    #[test]
    fn a_declaration_is_kept_while_its_parameter_is_and_changes_are_reported() {
        let listing = model(
            "Listing",
            "{entities: {type: list<string>}, pageCount: {type: int32}}",
        );
        let models = BTreeMap::from([("Listing", &listing)]);
        let hand = Paging::PageNumber {
            parameter: "pageNumber".into(),
            items: "entities".into(),
            page_count: None,
        };
        let mut ops = vec![op(&format!("[{PAGE}]"), "Listing")];
        ops[0].paging = Some(hand.clone());
        assert_eq!(declare(&mut ops, &models), []);
        assert_eq!(
            ops[0].paging,
            Some(hand),
            "a maintainer's declaration stays"
        );

        ops[0].parameters.clear();
        assert_eq!(
            declare(&mut ops, &models),
            [(
                "get_x".to_owned(),
                "no longer pages: its paging parameter is gone".to_owned()
            )]
        );
        assert_eq!(ops[0].paging, None);

        let mut ops = vec![op(&format!("[{PAGE}]"), "Listing")];
        assert_eq!(
            declare(&mut ops, &models),
            [(
                "get_x".to_owned(),
                "pages by number (`pageNumber`)".to_owned()
            )]
        );
    }
}
