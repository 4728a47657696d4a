//! Enums: their variants, and the enums a group's parameters share.

use std::collections::{BTreeMap, HashMap};

use super::{Enum, EnumId, EnumRef, FALLBACK_VARIANT, Gate, ModelId};
use crate::names_lock::Scope;
use crate::naming::{Namespace, type_ident, variant_ident};
use crate::spec::format;

/// An enum's identity: the field (or parameter) name and its values.
type EnumKey = (String, Vec<String>);

/// An enum of `values` named `type_name`, its variants named from the values.
pub(super) fn make_enum(
    type_name: String,
    values: &[String],
    used_by: Vec<String>,
    owner: Option<ModelId>,
) -> Enum {
    // The catch-all is `Unknown` in every enum; a documented value that would take that name
    // (`UNKNOWN`, `Unknown`) is the one renamed: `UnknownValue`. The validator refuses two
    // values of one name, so a variant's name depends on its value alone.
    let mut names = Namespace::new([FALLBACK_VARIANT]);
    let variants: Vec<(String, String)> = values
        .iter()
        .map(|v| {
            (
                v.clone(),
                names.claim(variant_ident(v).unwrap_or_else(|| "Empty".into()), "Value"),
            )
        })
        .collect();
    Enum {
        type_name,
        variants,
        used_by,
        owner,
        gate: Gate::Service,
    }
}

/// An enum of a group's parameters: the parameter's name, its values, the `operation.parameter`
/// uses.
type ParamEnum = (String, Vec<String>, Vec<String>);

/// The group's parameter enums, and each parameter's enum by (operation, parameter).
///
/// Parameters the ledger lists keep their enum's name; parameters sharing one keep sharing
/// it, which then holds every value any of them documents (so a value added to one
/// operation's parameter adds a variant and renames nothing). A new parameter shares the enum
/// of a parameter of its name and values; else, with others of its name and values, it gets
/// an enum named after the parameter (`Expand`), or, when its name has several sets of values
/// in the group, after its first operation and the parameter (`GetUserExpand`).
pub(super) fn param_enums(
    def: &format::GroupFile,
    items: &mut Scope,
) -> (Vec<Enum>, HashMap<(String, String), EnumRef>) {
    let uses: Vec<Use<'_>> = def
        .operations
        .iter()
        .flat_map(|op| {
            op.parameters
                .iter()
                .filter(|p| !p.values.is_empty())
                .map(move |p| (op, p))
        })
        .collect();
    let mut naming = Naming {
        items,
        by_name: BTreeMap::new(),
        enum_for: HashMap::new(),
    };
    naming.recorded(&uses);
    let fresh = naming.share(&uses);
    naming.name_fresh(fresh);
    naming.finish()
}

/// A parameter with values, and its operation.
type Use<'a> = (&'a format::Operation, &'a format::Parameter);

/// The ledger's key of a parameter's enum.
fn key(op: &format::Operation, p: &format::Parameter) -> String {
    format!("enum {}.{}", op.name, p.name)
}

/// The group's parameter enums as they are named: by name, and each parameter's (by operation
/// and parameter name).
struct Naming<'s> {
    items: &'s mut Scope,
    by_name: BTreeMap<String, ParamEnum>,
    enum_for: HashMap<(String, String), String>,
}

impl Naming<'_> {
    /// Parameters the ledger lists keep their enum's name, which then holds every value any of
    /// its parameters documents.
    fn recorded(&mut self, uses: &[Use<'_>]) {
        for (op, p) in uses {
            let Some(name) = self.items.recorded(&key(op, p)).map(str::to_owned) else {
                continue;
            };
            let e = self
                .by_name
                .entry(name.clone())
                .or_insert_with(|| (p.name.clone(), Vec::new(), Vec::new()));
            e.1.extend(
                p.values
                    .iter()
                    .filter(|v| !e.1.contains(v))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            e.2.push(format!("{}.{}", op.name, p.name));
            self.items.share(key(op, p), &name);
            self.enum_for
                .insert((op.name.clone(), p.name.clone()), name);
        }
    }

    /// A new parameter shares the enum of a parameter of its name and values; the others,
    /// grouped by name and values, are returned to be named.
    fn share<'a>(&mut self, uses: &[Use<'a>]) -> BTreeMap<EnumKey, Vec<Use<'a>>> {
        let mut fresh: BTreeMap<EnumKey, Vec<Use<'a>>> = BTreeMap::new();
        for &(op, p) in uses {
            if self
                .enum_for
                .contains_key(&(op.name.clone(), p.name.clone()))
            {
                continue;
            }
            match self
                .by_name
                .iter_mut()
                .find(|(_, e)| e.0 == p.name && e.1 == p.values)
            {
                Some((name, e)) => {
                    e.2.push(format!("{}.{}", op.name, p.name));
                    self.items.share(key(op, p), name);
                    self.enum_for
                        .insert((op.name.clone(), p.name.clone()), name.clone());
                }
                None => fresh
                    .entry((p.name.clone(), p.values.clone()))
                    .or_default()
                    .push((op, p)),
            }
        }
        fresh
    }

    /// Names each new enum after its parameter (`Expand`), or, when its name has several sets
    /// of values in the group, after its first operation and the parameter (`GetUserExpand`).
    fn name_fresh(&mut self, fresh: BTreeMap<EnumKey, Vec<Use<'_>>>) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for param in self
            .by_name
            .values()
            .map(|e| &e.0)
            .chain(fresh.keys().map(|k| &k.0))
        {
            *counts.entry(type_ident(param)).or_default() += 1;
        }
        for ((param, values), params) in fresh {
            let (first_op, first) = params[0];
            let natural = if counts[&type_ident(&param)] > 1 {
                type_ident(&format!("{}_{param}", first_op.name))
            } else {
                type_ident(&param)
            };
            let name = self.items.claim(key(first_op, first), natural, "Value");
            for (op, p) in &params {
                self.items.share(key(op, p), &name);
                self.enum_for
                    .insert((op.name.clone(), p.name.clone()), name.clone());
            }
            let used_by = params
                .iter()
                .map(|(op, p)| format!("{}.{}", op.name, p.name))
                .collect();
            self.by_name.insert(name, (param, values, used_by));
        }
    }

    /// The enums in a fixed order (by parameter, values and name), and each parameter's
    /// reference to its enum.
    fn finish(self) -> (Vec<Enum>, HashMap<(String, String), EnumRef>) {
        let mut list: Vec<(String, ParamEnum)> = self.by_name.into_iter().collect();
        list.sort_by(|a, b| (&a.1.0, &a.1.1, &a.0).cmp(&(&b.1.0, &b.1.1, &b.0)));
        let ids: HashMap<&str, EnumId> = list
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.as_str(), EnumId::Param(i)))
            .collect();
        let refs = self
            .enum_for
            .into_iter()
            .map(|(key, name)| {
                let id = ids[name.as_str()];
                (key, EnumRef { id, name })
            })
            .collect();
        let enums = list
            .into_iter()
            .map(|(name, (_, values, used_by))| make_enum(name, &values, used_by, None))
            .collect();
        (enums, refs)
    }
}
