//! A service's changes: its hosts, auth, groups and their operations, topics and models.

use std::collections::BTreeMap;

use super::operation::{operation, values};
use super::{Differ, Impact, auth, notifications};
use crate::spec::ServiceFiles;
use crate::spec::format::{Field, ModelFile, Operation, ServiceFile, Topic};

pub(super) fn service(d: &mut Differ, base: &ServiceFiles, head: &ServiceFiles) {
    let (b, h) = (&base.service.value, &head.service.value);
    regions(d, b, h);
    auth(d, &b.auth, &h.auth);
    notifications(d, b.notifications.as_ref(), h.notifications.as_ref());
    if b.errors.body != h.errors.body {
        d.push(
            "service",
            Impact::Breaking,
            format!(
                "error model changed from `{}` to `{}` (the `Error` alias changes type)",
                b.errors.body, h.errors.body
            ),
        );
    }
    operations(d, base, head);
    topics(d, base, head);
    models(d, base, head);
}

/// Regions: a `Region` variant per host.
fn regions(d: &mut Differ, b: &ServiceFile, h: &ServiceFile) {
    let hosts = |s: &crate::spec::format::ServiceFile| {
        s.hosts
            .list
            .iter()
            .map(|x| (x.name.clone(), x.url.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let (bh, hh) = (hosts(b), hosts(h));
    for (name, url) in &bh {
        match hh.get(name) {
            None => d.push(
                "service",
                Impact::Breaking,
                format!("region `{name}` removed (a `Region` variant is gone)"),
            ),
            Some(u) if u != url => d.push(
                "service",
                Impact::Patch,
                format!("region `{name}` moved from {url} to {u}"),
            ),
            _ => {}
        }
    }
    for name in hh.keys().filter(|n| !bh.contains_key(*n)) {
        d.push(
            "service",
            Impact::Additive,
            format!("region `{name}` added"),
        );
    }
}

/// Operations, by group and name, in every group of a service.
type Operations<'a> = BTreeMap<(&'a str, &'a str), &'a Operation>;

/// Operations, by group and name. One operation may be in several groups (the vendor documents
/// it in several SDK classes): each copy is its own method.
fn operations(d: &mut Differ, base: &ServiceFiles, head: &ServiceFiles) {
    fn ops(s: &ServiceFiles) -> Operations<'_> {
        s.groups
            .iter()
            .flat_map(|g| {
                g.value
                    .operations
                    .iter()
                    .map(move |o| ((g.value.group.as_str(), o.name.as_str()), o))
            })
            .collect()
    }
    let (bo, ho) = (ops(base), ops(head));
    for (&(group, name), op) in &bo {
        match ho.get(&(group, name)) {
            Some(hop) => operation(d, group, op, hop),
            None => gone(d, (&bo, &ho), group, op),
        }
    }
    for (&(group, name), op) in &ho {
        if bo.contains_key(&(group, name))
            || op
                .legacy_names
                .iter()
                .any(|l| bo.contains_key(&(group, l.as_str())))
        {
            continue;
        }
        let before = in_groups(&bo, name);
        if before.iter().any(|g| !ho.contains_key(&(g.as_str(), name))) {
            continue; // the other end of a move, reported above
        }
        if before.is_empty() {
            d.push(
                group,
                Impact::Additive,
                format!("operation `{name}` ({} {}) added", op.method, op.path),
            );
        } else {
            d.push(
                group,
                Impact::Additive,
                format!(
                    "operation `{name}` added to group `{group}` too (also in {})",
                    before.join(", ")
                ),
            );
        }
    }
}

/// The groups of `m` that hold an operation named `name`.
fn in_groups(m: &Operations<'_>, name: &str) -> Vec<String> {
    m.keys()
        .filter(|(_, n)| *n == name)
        .map(|(g, _)| (*g).to_owned())
        .collect()
}

/// An operation of the base no longer in its group of the head: moved, still in other groups,
/// renamed with its old name kept as an alias, or removed.
fn gone(d: &mut Differ, (bo, ho): (&Operations<'_>, &Operations<'_>), group: &str, op: &Operation) {
    let name = op.name.as_str();
    // Gone from this group but still in another that did not have it: moved.
    let moved = ho
        .iter()
        .find(|((g, n), _)| *n == name && !bo.contains_key(&(*g, *n)));
    if let Some(((hgroup, _), hop)) = moved {
        d.push(
            hgroup,
            Impact::Breaking,
            format!("`{name}` moved from group `{group}` to `{hgroup}` (called through another accessor)"),
        );
        operation(d, hgroup, op, hop);
        return;
    }
    if !in_groups(ho, name).is_empty() {
        d.push(
            group,
            Impact::Breaking,
            format!(
                "`{name}` removed from group `{group}` (still in {})",
                in_groups(ho, name).join(", ")
            ),
        );
        return;
    }
    // Renamed with the old name kept as a legacy alias: the old method still exists.
    match ho
        .iter()
        .find(|((g, _), o)| *g == group && o.legacy_names.iter().any(|l| l == name))
    {
        Some((_, new)) => {
            // The method stays, but the request builder type and the metadata constant
            // are named after the operation: code naming them breaks.
            d.push(
                group,
                Impact::Breaking,
                format!(
                    "`{name}` renamed to `{}`; `{name}` remains as a deprecated alias method, but its builder type and \
                     constant are renamed",
                    new.name
                ),
            );
            // The alias takes the new signature: compare the shapes too.
            let mut renamed = (*new).clone();
            renamed.name = name.to_owned();
            renamed.legacy_names = op.legacy_names.clone();
            operation(d, group, op, &renamed);
        }
        None => d.push(
            group,
            Impact::Breaking,
            format!("operation `{name}` ({} {}) removed", op.method, op.path),
        ),
    }
}

/// Models, by name.
fn models(d: &mut Differ, base: &ServiceFiles, head: &ServiceFiles) {
    fn models(s: &ServiceFiles) -> BTreeMap<&str, &ModelFile> {
        s.models
            .iter()
            .map(|m| (m.value.name.as_str(), &m.value))
            .collect()
    }
    let (bm, hm) = (models(base), models(head));
    for (name, m) in &bm {
        match hm.get(name) {
            None => d.push(
                "models",
                Impact::Breaking,
                format!("model `{name}` removed"),
            ),
            Some(h) => model(d, name, m, h),
        }
    }
    for name in hm.keys().filter(|n| !bm.contains_key(*n)) {
        d.push("models", Impact::Additive, format!("model `{name}` added"));
    }
}

/// Topics, by group and constructor name: each is a function of the group's `topics` module.
pub(super) fn topics(d: &mut Differ, base: &ServiceFiles, head: &ServiceFiles) {
    fn all(s: &ServiceFiles) -> BTreeMap<(&str, &str), &Topic> {
        s.groups
            .iter()
            .flat_map(|g| {
                g.value
                    .topics
                    .iter()
                    .map(move |t| ((g.value.group.as_str(), t.name.as_str()), t))
            })
            .collect()
    }
    let (bt, ht) = (all(base), all(head));
    for (&(group, name), b) in &bt {
        let Some(h) = ht.get(&(group, name)) else {
            d.push(
                group,
                Impact::Breaking,
                format!(
                    "topic `{name}` ({}) removed (its constructor is gone)",
                    b.topic
                ),
            );
            continue;
        };
        topic(d, group, name, (b, h));
    }
    for (&(group, name), t) in &ht {
        if !bt.contains_key(&(group, name)) {
            d.push(
                group,
                Impact::Additive,
                format!("topic `{name}` ({}) added (a new constructor)", t.topic),
            );
        }
    }
}

/// A topic in both versions: its payload, arguments, template and mapping.
fn topic(d: &mut Differ, group: &str, name: &str, (b, h): (&Topic, &Topic)) {
    let params = |t: &Topic| t.parameters().count();
    if b.payload != h.payload {
        d.push(
            group,
            Impact::Breaking,
            format!(
                "topic `{name}` carries `{}` (was `{}`): its constructor returns another type",
                h.payload, b.payload
            ),
        );
    }
    if params(b) != params(h) {
        d.push(
            group,
            Impact::Breaking,
            format!(
                "topic `{name}` is `{}` (was `{}`): its constructor takes other arguments",
                h.topic, b.topic
            ),
        );
    } else if b.topic != h.topic {
        d.push(
            group,
            Impact::Patch,
            format!("topic `{name}` is `{}` (was `{}`)", h.topic, b.topic),
        );
    }
    if b.undocumented_since.is_none() && h.undocumented_since.is_some() {
        d.push(
            group,
            Impact::Additive,
            format!("topic `{name}` no longer mapped: its constructor is deprecated"),
        );
    }
}

pub(super) fn model(d: &mut Differ, name: &str, b: &ModelFile, h: &ModelFile) {
    for (wire, f) in &b.fields {
        match h.fields.get(wire) {
            None => d.push(
                "models",
                Impact::Breaking,
                format!("`{name}.{wire}` removed"),
            ),
            Some(g) => field(d, name, wire, f, g),
        }
    }
    for (wire, f) in h.fields.iter().filter(|(w, _)| !b.fields.contains_key(*w)) {
        if f.required {
            d.push(
                "models",
                Impact::Breaking,
                format!(
                    "required field `{name}.{wire}` added (`{name}::new` takes another argument)"
                ),
            );
        } else {
            d.push(
                "models",
                Impact::Additive,
                format!("field `{name}.{wire}` added"),
            );
        }
    }
    if b.description != h.description {
        d.push(
            "models",
            Impact::Patch,
            format!("`{name}`: documentation changed"),
        );
    }
}

pub(super) fn field(d: &mut Differ, model: &str, wire: &str, b: &Field, h: &Field) {
    if b.ty != h.ty {
        d.push(
            "models",
            Impact::Breaking,
            format!("`{model}.{wire}` is `{}` (was `{}`)", h.ty, b.ty),
        );
    }
    if b.required != h.required {
        d.push(
            "models",
            Impact::Breaking,
            format!(
                "`{model}.{wire}` made {} (`Option` {})",
                if h.required { "required" } else { "optional" },
                if h.required { "removed" } else { "added" }
            ),
        );
    }
    values(
        d,
        "models",
        &format!("`{model}.{wire}`"),
        &b.values,
        &h.values,
    );
    if let (None, Some(since)) = (&b.undocumented_since, &h.undocumented_since) {
        d.push(
            "models",
            Impact::Patch,
            format!(
                "`{model}.{wire}`: no longer in the model reference since release {since} (kept)"
            ),
        );
    }
    if b.format != h.format {
        let now = h
            .format
            .as_deref()
            .map_or("no format".to_owned(), |f| format!("the `{f}` format"));
        d.push(
            "models",
            Impact::Patch,
            format!("`{model}.{wire}`: documented as text in {now} (the type is unchanged)"),
        );
    }
    if b.description != h.description {
        d.push(
            "models",
            Impact::Patch,
            format!("`{model}.{wire}`: documentation changed"),
        );
    }
}
