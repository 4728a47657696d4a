//! Which cargo features compile each model: a downstream crate pays only for the API groups it
//! enables.
//!
//! Every API group has a feature; a model is compiled when an enabled group reaches it through
//! its operations' bodies and return types and then through model fields. What every group needs
//! (the error model, and what it references) is compiled with the service. The models the
//! documentation lists that no operation reaches (notification payloads, mostly) have a feature
//! of their own, `<service>-other_models`, which counts as one more group here. The closure is
//! consistent by construction: a model's features are a subset of those of every model it
//! references, so no enabled model names a disabled one.

use std::collections::{BTreeSet, HashMap};

use super::IrError;
use super::resolve::Types;
use crate::spec::ServiceFiles;

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gate {
    /// With its service: whenever any of its groups is enabled.
    Service,
    /// With any of these group features (sorted).
    Groups(Vec<String>),
}

impl Gate {
    /// The gate of an item several models use: compiled when any of theirs is.
    pub fn union<'a>(gates: impl IntoIterator<Item = &'a Gate>) -> Gate {
        let mut features = BTreeSet::new();
        for gate in gates {
            match gate {
                Gate::Service => return Gate::Service,
                Gate::Groups(list) => features.extend(list.iter().cloned()),
            }
        }
        Gate::Groups(features.into_iter().collect())
    }
}

/// Each model's direct references to other models (through fields, lists and maps).
struct References<'a>(HashMap<&'a str, Vec<String>>);

impl<'a> References<'a> {
    fn of(s: &'a ServiceFiles, types: &Types) -> Result<Self, IrError> {
        let mut refs: HashMap<&str, Vec<String>> = HashMap::new();
        for m in &s.models {
            let mut named = Vec::new();
            for f in m.value.fields.values() {
                named.extend(types.get(&f.ty, &m.path)?.model_name().map(str::to_owned));
            }
            refs.insert(m.value.name.as_str(), named);
        }
        Ok(References(refs))
    }

    /// Every model reachable from `roots` (themselves included).
    fn reach(&self, roots: Vec<String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = roots;
        while let Some(name) = stack.pop() {
            if self.0.contains_key(name.as_str()) && seen.insert(name.clone()) {
                stack.extend(
                    self.0[name.as_str()]
                        .iter()
                        .filter(|n| !seen.contains(*n))
                        .cloned(),
                );
            }
        }
        seen
    }
}

/// The name of the feature of the models no operation reaches, for the service module `module`.
pub fn other_models_feature(module: &str) -> String {
    format!("{module}-other_models")
}

/// The gate of every model of `s` (in the order of `s.models`), and whether any model needs
/// `other` (the feature of the models no operation reaches). `features` are the group
/// features, in the order of `s.groups`.
pub(super) fn model_gates(
    s: &ServiceFiles,
    features: &[String],
    other: &str,
    types: &Types,
) -> Result<(Vec<Gate>, bool), IrError> {
    let refs = References::of(s, types)?;
    let reach = |roots: Vec<String>| refs.reach(roots);
    let mut reached_by: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for (g, feature) in s.groups.iter().zip(features) {
        let mut roots = Vec::new();
        let bodies = g.value.operations.iter().flat_map(|op| {
            op.body
                .iter()
                .map(|b| b.ty.as_str())
                .chain(op.returns.as_deref())
        });
        // A topic's events are the group's too: its payload compiles with the group.
        for ty in bodies.chain(g.value.topics.iter().map(|t| t.payload.as_str())) {
            roots.extend(types.get(ty, &g.path)?.model_name().map(str::to_owned));
        }
        for model in reach(roots) {
            reached_by
                .entry(model)
                .or_default()
                .insert(feature.as_str());
        }
    }
    let service_level = reach(vec![s.service.value.errors.body.clone()]);
    let unreached: Vec<String> = s
        .models
        .iter()
        .map(|m| &m.value.name)
        .filter(|n| !reached_by.contains_key(*n) && !service_level.contains(*n))
        .cloned()
        .collect();
    let needs_other = !unreached.is_empty();
    for model in reach(unreached) {
        reached_by.entry(model).or_default().insert(other);
    }
    let gates_in_all = features.len() + usize::from(needs_other);

    let gates = s
        .models
        .iter()
        .map(|m| {
            let name = &m.value.name;
            match reached_by.get(name) {
                Some(groups) if !service_level.contains(name) && groups.len() < gates_in_all => {
                    Gate::Groups(groups.iter().map(|g| (*g).to_owned()).collect())
                }
                _ => Gate::Service,
            }
        })
        .collect();
    Ok((gates, needs_other))
}
