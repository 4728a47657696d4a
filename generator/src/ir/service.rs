//! A service: its models and their enums, its groups, hosts, auth and notifications.

use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;

use super::cycles::boxed_edges;
use super::enums::make_enum;
use super::gates::{self, Gate};
use super::group::{self, GroupContext};
use super::resolve::{Ledger, ModelTable, Types, unresolved};
use super::{
    AuthScheme, Enum, EnumId, EnumRef, Field, Host, IrError, Model, Notifications, RustType,
    Service, group_feature, module_name,
};
use crate::names_lock::{NamesLock, Scope};
use crate::naming::{snake_ident, type_ident};
use crate::spec::types::TypeExpr;
use crate::spec::{ServiceFiles, Spec, format};

/// The model names and field enums of a service, claimed in the ledger's `models` scope.
struct Names {
    table: ModelTable,
    /// Field enums, sorted by Rust name, with each one's model (spec name).
    enums: Vec<(Enum, String)>,
    /// The enum of each `(model, field)` with values.
    enum_of: HashMap<(String, String), EnumRef>,
}

/// The service of `s`.
pub(super) fn build(spec: &Spec, s: &ServiceFiles, types: &Types) -> Result<Service, IrError> {
    let def = &s.service.value;
    let mut ledger = Ledger {
        old: s.names.as_ref().map(|n| &n.value),
        new: NamesLock::default(),
    };
    let names = names(s, &mut ledger)?;
    let module = module_name(&def.service);
    let features: Vec<String> = s
        .groups
        .iter()
        .map(|g| group_feature(&module, &g.value.group))
        .collect();
    let other = gates::other_models_feature(&module);
    let (gates, needs_other) = gates::model_gates(s, &features, &other, types)?;
    // Once generated, the feature stays (the ledger says so), even with no model left to gate.
    let keep_other = needs_other || ledger.old.is_some_and(|l| l.features.contains(&other));
    if keep_other {
        ledger.new.features.insert(other.clone());
    }
    let models = models(spec, s, types, &names, &gates)?;
    let enums = owned_enums(names.enums, &names.table, &models, &s.service.path)?;
    let shared = shared_operations(s);
    let context = GroupContext {
        models: &models,
        table: &names.table,
        module: &module,
        shared: &shared,
        types,
    };
    let groups: Vec<_> = s
        .groups
        .iter()
        .map(|g| group::build(spec, g, &context, &mut ledger))
        .collect::<Result<_, _>>()?;
    let notifications = notifications(def, &groups, &s.service.path)?;
    let error_model = names.table.get(&def.errors.body, &s.service.path)?.name;
    Ok(Service {
        id: def.service.clone(),
        spec_dir: spec.display_path(&s.dir),
        title: def.title.clone(),
        description: def.description.clone(),
        docs_url: def.docs_url.clone(),
        hosts: hosts(def),
        auth: AuthScheme {
            correlation_header: def.errors.correlation_header.clone(),
            ..AuthScheme::from(&def.auth)
        },
        error_model,
        other_models: keep_other.then_some(other),
        notifications,
        groups,
        models,
        enums,
        names: ledger.new,
        module,
    })
}

/// The field enums, each given its model (whose file holds it) and that model's gate.
fn owned_enums(
    enums: Vec<(Enum, String)>,
    table: &ModelTable,
    models: &[Model],
    file: &std::path::Path,
) -> Result<Vec<Enum>, IrError> {
    enums
        .into_iter()
        .map(|(mut e, model)| {
            let owner = table.get(&model, file)?;
            e.owner = Some(owner.id);
            e.gate = models[owner.id.0].gate.clone();
            Ok(e)
        })
        .collect()
}

/// Each model field with values has its own enum, named after its model and field
/// (`Group.state` is `GroupState`). Model names are claimed first, then enums; an enum whose
/// name is taken (the model `UserState` beside `User.state`) gets `Value`. The ledger keeps
/// each name once given: a model added later that wants an enum's name yields (`Model`).
fn names(s: &ServiceFiles, ledger: &mut Ledger<'_>) -> Result<Names, IrError> {
    let mut taken = Scope::new([], ledger.old.map(|l| &l.models));
    let model_names = s
        .models
        .iter()
        .map(|m| {
            let name = &m.value.name;
            (
                name.clone(),
                taken.claim(format!("model {name}"), type_ident(name), "Model"),
            )
        })
        .collect();
    let table = ModelTable::new(model_names);
    let mut sorted: Vec<_> = s.models.iter().collect();
    sorted.sort_by(|a, b| a.value.name.cmp(&b.value.name));
    let mut enums = Vec::new();
    for parsed in sorted {
        let m = &parsed.value;
        let rust_name = table.get(&m.name, &parsed.path)?.name;
        for (wire, f) in m.fields.iter().filter(|(_, f)| !f.values.is_empty()) {
            let natural = type_ident(&format!("{}{}", m.name, wire.to_upper_camel_case()));
            let name = taken.claim(format!("enum {}.{wire}", m.name), natural, "Value");
            let used_by = vec![format!("{rust_name}.{wire}")];
            enums.push((
                make_enum(name, &f.values, used_by, None),
                m.name.clone(),
                wire.clone(),
            ));
        }
    }
    ledger.new.models = taken.into_claimed();
    enums.sort_by(|a, b| a.0.type_name.cmp(&b.0.type_name));
    let enum_of = enums
        .iter()
        .enumerate()
        .map(|(i, (e, model, wire))| {
            let r = EnumRef {
                id: EnumId::Model(i),
                name: e.type_name.clone(),
            };
            ((model.clone(), wire.clone()), r)
        })
        .collect();
    let enums = enums.into_iter().map(|(e, model, _)| (e, model)).collect();
    Ok(Names {
        table,
        enums,
        enum_of,
    })
}

/// The service's models, sorted by Rust name (the order of their ids).
fn models(
    spec: &Spec,
    s: &ServiceFiles,
    types: &Types,
    names: &Names,
    gates: &[Gate],
) -> Result<Vec<Model>, IrError> {
    let boxed = boxed_edges(s, types)?;
    let patch_bodies = patch_bodies(s, types)?;
    let mut models = Vec::with_capacity(s.models.len());
    for (m, gate) in s.models.iter().zip(gates) {
        let spec_name = &m.value.name;
        let mut fields = Vec::with_capacity(m.value.fields.len());
        for (wire, f) in &m.value.fields {
            let mut ty = names.table.rust_type(types.get(&f.ty, &m.path)?, &m.path)?;
            if let Some(e) = names.enum_of.get(&(spec_name.clone(), wire.clone())) {
                ty = ty.with_enum(e);
            }
            if let RustType::Model(r) = &mut ty {
                r.boxed = boxed.contains(&(spec_name.clone(), wire.clone()));
            }
            fields.push(field(wire, f, ty));
        }
        let nullable = patch_bodies.contains(spec_name);
        models.push(Model {
            name: spec_name.clone(),
            type_name: names.table.get(spec_name, &m.path)?.name,
            module: module_name(spec_name),
            spec_file: spec.display_path(&m.path),
            description: m.value.description.clone(),
            fields: if nullable {
                with_null_setters(fields)
            } else {
                fields
            },
            gate: gate.clone(),
            nullable,
        });
    }
    models.sort_by(|a, b| a.type_name.cmp(&b.type_name));
    Ok(models)
}

/// A model field of type `ty`, documented with what the spec adds to the vendor's text.
fn field(wire: &str, f: &format::Field, ty: RustType) -> Field {
    let ident = snake_ident(wire);
    let setter = format!("with_{}", ident.word());
    let mut description = f.description.clone();
    if let Some(release) = &f.undocumented_since {
        description = format!(
            "{description}\n\nNo longer in the vendor's model reference since release {release}; kept so \
             code written against it keeps compiling."
        )
        .trim_start()
        .to_owned();
    }
    if let Some(format) = &f.format {
        description = format!("{description}\n\nSent and received as text in the {format} format.")
            .trim_start()
            .to_owned();
    }
    Field {
        wire: wire.to_owned(),
        ident,
        setter,
        null_setter: None,
        ty,
        required: f.required,
        description,
    }
}

/// The models sent as the body of a `PATCH`, where the API reads a `null` field as "clear it".
fn patch_bodies(s: &ServiceFiles, types: &Types) -> Result<HashSet<String>, IrError> {
    let mut out = HashSet::new();
    for g in &s.groups {
        for op in g
            .value
            .operations
            .iter()
            .filter(|op| op.method == format::Method::Patch)
        {
            let Some(body) = &op.body else { continue };
            if let TypeExpr::Model(name) = types.get(&body.ty, &g.path)? {
                out.insert(name.clone());
            }
        }
    }
    Ok(out)
}

/// Operations the vendor documents in several groups: generated in each, their tests told
/// apart by group.
fn shared_operations(s: &ServiceFiles) -> HashSet<&str> {
    let mut groups_of: HashMap<&str, usize> = HashMap::new();
    for op in s.groups.iter().flat_map(|g| &g.value.operations) {
        *groups_of.entry(op.name.as_str()).or_default() += 1;
    }
    groups_of
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name)
        .collect()
}

/// The operations a managed notification subscription calls (the group and both operations
/// must exist: the validator checks them).
fn notifications(
    def: &format::ServiceFile,
    groups: &[super::Group],
    file: &std::path::Path,
) -> Result<Option<Notifications>, IrError> {
    let Some(n) = &def.notifications else {
        return Ok(None);
    };
    let g = groups.iter().find(|g| g.id == n.group).ok_or_else(|| {
        unresolved(
            file,
            format!("notifications group `{}` is not defined", n.group),
        )
    })?;
    let constant = |name: &str| {
        g.operations
            .iter()
            .find(|op| op.spec_name == name)
            .map(|op| op.constant.clone())
            .ok_or_else(|| {
                unresolved(
                    file,
                    format!("notifications operation `{name}` is not in `{}`", g.id),
                )
            })
    };
    Ok(Some(Notifications {
        group: g.id.clone(),
        group_type: g.type_name.clone(),
        feature: g.feature.clone(),
        create: constant(&n.create_channel)?,
        set_topics: constant(&n.set_topics)?,
        topics_per_channel: n.topics_per_channel,
        channels: n.channels,
    }))
}

/// The service's hosts, in documentation order.
fn hosts(def: &format::ServiceFile) -> Vec<Host> {
    def.hosts
        .list
        .iter()
        .map(|h| Host {
            name: h.name.clone(),
            url: h.url.clone(),
            variant: type_ident(&h.name),
            default: h.name == def.hosts.default,
        })
        .collect()
}

/// Names the `null` setter of each optional field (`with_null_name`), unless a field's own
/// setter already has that name (fields `name` and `null_name`): decided here, before any code
/// is emitted, so that no two methods of a model collide.
fn with_null_setters(mut fields: Vec<Field>) -> Vec<Field> {
    let setters: HashSet<String> = fields.iter().map(|f| f.setter.clone()).collect();
    for f in fields.iter_mut().filter(|f| !f.required) {
        let name = format!("with_null_{}", f.ident.word());
        f.null_setter = (!setters.contains(&name)).then_some(name);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_setters_are_named_for_optional_fields_unless_taken() {
        let field = |wire: &str, required: bool| {
            let ident = snake_ident(wire);
            let setter = format!("with_{}", ident.word());
            Field {
                wire: wire.into(),
                ident,
                setter,
                null_setter: None,
                ty: RustType::String,
                required,
                description: String::new(),
            }
        };
        // `nullName`'s own setter is `with_null_name`: `name` gets no null setter rather than a clash.
        let fields = with_null_setters(vec![
            field("id", true),
            field("name", false),
            field("nullName", false),
            field("type", false),
        ]);
        let setters: Vec<_> = fields.iter().map(|f| f.null_setter.as_deref()).collect();
        assert_eq!(
            setters,
            [
                None,
                None,
                Some("with_null_null_name"),
                Some("with_null_type")
            ]
        );
    }
}
