//! Merging the model reference into the spec's model files.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use super::{Change, Import, keep_or_convert, refuse_name};
use crate::docs::reference::{ModelReference, RefField, RefModel};
use crate::spec::ServiceFiles;
use crate::spec::format::{Field, ModelFile};

/// The model files that change: every model the imported operations reach (through fields),
/// and every model the spec holds that the reference documents.
pub(super) fn merge(
    service: &ServiceFiles,
    reference: &ModelReference,
    roots: &BTreeSet<String>,
    dropped_in: &str,
    import: &mut Import,
) -> Vec<ModelFile> {
    let by_name: BTreeMap<&str, &RefModel> = reference
        .models
        .iter()
        .map(|m| (m.name.as_str(), m))
        .collect();
    let held: BTreeMap<&str, &ModelFile> = service
        .models
        .iter()
        .map(|m| (m.value.name.as_str(), &m.value))
        .collect();
    // Names no model carries are SDK types or unknown: each field says so where it is merged.
    let reached = crate::docs::reachable_models(
        reference,
        roots
            .iter()
            .cloned()
            .chain(held.keys().map(|n| (*n).to_owned())),
    );
    let wanted = reached.iter().filter(|n| by_name.contains_key(n.as_str()));
    let is_held = |name: &str| held.contains_key(name);
    let mut changed = Vec::new();
    for name in wanted {
        let merged = merge_model(
            by_name[name.as_str()],
            held.get(name.as_str()).copied(),
            reference,
            &is_held,
            dropped_in,
            import,
        );
        if held.get(name.as_str()) != Some(&&merged) {
            changed.push(merged);
        }
    }
    changed
}

/// One model: the reference's fields in its order, then the spec's it no longer lists, marked
/// with the release that dropped them.
fn merge_model(
    doc: &RefModel,
    old: Option<&ModelFile>,
    reference: &ModelReference,
    held: &dyn Fn(&str) -> bool,
    dropped_in: &str,
    import: &mut Import,
) -> ModelFile {
    let subject = format!("model {}", doc.name);
    let mut fields = IndexMap::new();
    let mut what: Vec<String> = Vec::new();
    let mut taken = BTreeMap::new();
    for f in &doc.fields {
        if let Some(why) = refuse_name(&f.name, &mut taken) {
            import.warnings.push(format!(
                "models.json: model `{}`, field {why}; not imported",
                doc.name
            ));
            continue;
        }
        let existing = old.and_then(|m| m.fields.get(&f.name));
        let Some(field) = merge_field(&doc.name, f, existing, reference, held, import) else {
            continue;
        };
        match existing {
            None if old.is_some() => what.push(format!("new field `{}`", f.name)),
            Some(e) if *e != field => what.push(format!("changed field `{}`", f.name)),
            _ => {}
        }
        fields.insert(f.name.clone(), field);
    }
    for (wire, field) in old.map(|m| &m.fields).into_iter().flatten() {
        if !fields.contains_key(wire) {
            let mut kept = field.clone();
            if kept.undocumented_since.is_none() {
                kept.undocumented_since = Some(dropped_in.to_owned());
                what.push(format!("field `{wire}` no longer documented: kept"));
            }
            fields.insert(wire.clone(), kept);
        }
    }
    match old {
        None => import.changes.push(Change {
            subject,
            what: format!("new model ({} fields)", fields.len()),
        }),
        Some(_) if !what.is_empty() => import.changes.push(Change {
            subject,
            what: format!("updated: {}", what.join("; ")),
        }),
        Some(_) => {}
    }
    ModelFile {
        name: doc.name.clone(),
        description: old.map(|m| m.description.clone()).unwrap_or_default(),
        fields,
    }
}

/// One field of model `model`: the reference's type (or the spec's, when it says the same with
/// a width), description and values; `None` (with a warning) when its type cannot be held.
fn merge_field(
    model: &str,
    f: &RefField,
    existing: Option<&Field>,
    reference: &ModelReference,
    held: &dyn Fn(&str) -> bool,
    import: &mut Import,
) -> Option<Field> {
    // The reference's `int` has no width: a new field is 64-bit, which holds whatever the
    // API sends; a width the spec already gives (a maintainer's, from the vendor's OpenAPI)
    // is kept. Never from the field's name: `Document.pageCount` is not a paging field.
    let integer = "int64";
    let doc_type = reference.resolve(f.doc_type(), held);
    if let Some(unknown) = doc_type.unknown() {
        import.warnings.push(format!(
            "models.json: model `{model}`, field `{}`: type `{unknown}` is neither a model of the reference nor one of the SDK's \
             types (`index.md`); held as JSON (`object`)",
            f.name
        ));
    }
    let Some(ty) = keep_or_convert(&doc_type, existing.map(|e| e.ty.as_str()), integer) else {
        import.warnings.push(format!(
            "models.json: model `{model}`, field `{}` of type `{}` not imported",
            f.name, f.ty
        ));
        return None;
    };
    let format = doc_type.format().map(str::to_owned);
    let description = if f.description.is_empty() {
        existing.map(|e| e.description.clone()).unwrap_or_default()
    } else {
        f.description.clone()
    };
    let values = if crate::docs::takes_values(&ty) {
        f.values.clone()
    } else {
        Vec::new()
    };
    Some(Field {
        ty,
        required: f.required,
        description,
        values,
        format,
        undocumented_since: None,
    })
}
