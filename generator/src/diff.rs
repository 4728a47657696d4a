//! What changed between two versions of the spec, classified by the effect on the generated
//! crate's public Rust API.
//!
//! The rules (why each change is breaking, additive or neither) are in [`Impact`]'s
//! documentation and in `docs/spec-diff.md`; each one is tested with a before/after pair.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::spec::format::{
    Body, Field, Location, ModelFile, Notifications, Operation, Parameter, Topic,
};
use crate::spec::{ServiceFiles, Spec};
use crate::surface::{Delta, ItemChange};

/// The effect of a change on code that uses the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// No public item changes shape: documentation, metadata values, wire details.
    /// Code that compiled still compiles and calls the same methods. Needs a patch release.
    Patch,
    /// Public items are added (methods, builder setters, types, variants of `#[non_exhaustive]`
    /// enums, fields of `#[non_exhaustive]` structs). Code that compiled still compiles.
    /// Needs a minor release.
    Additive,
    /// A public item is removed or changes shape; some code that compiled no longer does.
    /// Needs a major release (a minor one while the crate is 0.x).
    Breaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Service id.
    pub service: String,
    /// API group, or `models` / `service` for changes outside operations.
    pub area: String,
    /// What changed, in a sentence.
    pub what: String,
    /// Its effect.
    pub impact: Impact,
    /// Whether it changes what a call does while every public item stays as it was (a
    /// parameter moved into a header, a response read as text): the public items cannot show
    /// it, so it is left out when they are compared with the rules.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub behavioural: bool,
}

/// All changes between two specs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpecDiff {
    /// The changes, by service, area, then description.
    pub changes: Vec<Change>,
    /// The public Rust items of the generated clients that changed, when compared
    /// ([`with_rust_api`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_api: Option<Delta>,
}

impl SpecDiff {
    /// The largest impact, if anything changed: of the spec's changes and, when compared, of
    /// the public Rust items (a removed or changed item is breaking, an added one additive).
    pub fn impact(&self) -> Option<Impact> {
        self.changes
            .iter()
            .map(|c| c.impact)
            .max()
            .max(self.rust_api.as_ref().and_then(rust_impact))
    }

    /// Where the spec's rules and the public items disagree on the verdict: the rules' impact
    /// and the items'. A disagreement is a rule to correct (`docs/spec-diff.md`); the verdict
    /// takes the larger.
    pub fn disagreement(&self) -> Option<(Option<Impact>, Option<Impact>)> {
        let rules = self
            .changes
            .iter()
            .filter(|c| !c.behavioural)
            .map(|c| c.impact)
            .filter(|i| *i != Impact::Patch)
            .max();
        let items = self.rust_api.as_ref().and_then(rust_impact);
        (self.rust_api.is_some() && rules != items).then_some((rules, items))
    }

    /// The version bump the generated crate needs.
    pub fn bump(&self) -> &'static str {
        match self.impact() {
            None => "none",
            Some(Impact::Patch) => "patch",
            Some(Impact::Additive) => "minor",
            Some(Impact::Breaking) => "major",
        }
    }
}

/// The impact of public items changing: breaking when one is removed or changes, additive
/// when items are only added.
fn rust_impact(delta: &Delta) -> Option<Impact> {
    delta
        .changes
        .iter()
        .map(|c| {
            if c.is_minor() {
                Impact::Additive
            } else {
                Impact::Breaking
            }
        })
        .max()
}

/// [`diff`], with the public Rust items of the clients generated from both specs compared
/// ([`crate::surface`]).
///
/// # Errors
///
/// When a client cannot be generated (a generator bug: both specs validated).
pub fn with_rust_api(base: &Spec, head: &Spec) -> Result<SpecDiff, String> {
    let mut d = diff(base, head);
    d.rust_api = Some(crate::surface::api_delta(base, head)?);
    Ok(d)
}

struct Differ {
    changes: Vec<Change>,
    service: String,
}

impl Differ {
    fn push(&mut self, area: &str, impact: Impact, what: String) {
        self.changes.push(Change {
            service: self.service.clone(),
            area: area.to_owned(),
            what,
            impact,
            behavioural: false,
        });
    }

    /// A breaking change of behaviour that leaves the public items as they were.
    fn push_behavioural(&mut self, area: &str, what: String) {
        self.changes.push(Change {
            service: self.service.clone(),
            area: area.to_owned(),
            what,
            impact: Impact::Breaking,
            behavioural: true,
        });
    }
}

/// Compares two specs.
pub fn diff(base: &Spec, head: &Spec) -> SpecDiff {
    let mut d = Differ {
        changes: Vec::new(),
        service: String::new(),
    };
    let by_id = |s: &Spec| -> BTreeMap<String, usize> {
        s.services
            .iter()
            .enumerate()
            .map(|(i, x)| (x.service.value.service.clone(), i))
            .collect()
    };
    let (bs, hs) = (by_id(base), by_id(head));
    for (id, &i) in &bs {
        d.service = id.clone();
        match hs.get(id) {
            None => d.push(
                "service",
                Impact::Breaking,
                format!("service `{id}` removed (its module and feature are gone)"),
            ),
            Some(&j) => service(&mut d, &base.services[i], &head.services[j]),
        }
    }
    for id in hs.keys().filter(|id| !bs.contains_key(*id)) {
        d.service = id.clone();
        d.push(
            "service",
            Impact::Additive,
            format!("service `{id}` added (a new module and cargo feature)"),
        );
    }
    d.changes.sort();
    SpecDiff {
        changes: d.changes,
        rust_api: None,
    }
}

/// The managed subscription: gaining one adds `notifications_stream`, losing one removes it; new
/// operations or limits change what a running subscription calls and allows.
/// Token flows by grant: a grant added is a new way to authenticate, one removed takes a way
/// away (a builder method, or a sign-in that now fails); a changed flow or header changes
/// constants' values only.
fn auth(d: &mut Differ, b: &crate::spec::format::Auth, h: &crate::spec::format::Auth) {
    let grant = |f: &crate::spec::format::AuthFlow| {
        serde_json::to_value(f.grant)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    for f in &b.flows {
        match h.flows.iter().find(|x| x.grant == f.grant) {
            None => d.push(
                "service",
                Impact::Breaking,
                format!("token flow `{}` removed", grant(f)),
            ),
            Some(x) if x != f => d.push(
                "service",
                Impact::Patch,
                format!("token flow `{}` changed", grant(f)),
            ),
            Some(_) => {}
        }
    }
    for f in h
        .flows
        .iter()
        .filter(|f| !b.flows.iter().any(|x| x.grant == f.grant))
    {
        d.push(
            "service",
            Impact::Additive,
            format!("token flow `{}` added", grant(f)),
        );
    }
    if b.token_header != h.token_header {
        d.push("service", Impact::Patch, "token header changed".into());
    }
}

fn notifications(d: &mut Differ, base: Option<&Notifications>, head: Option<&Notifications>) {
    match (base, head) {
        (None, Some(_)) => d.push("notifications", Impact::Additive, "notifications added (`Client::notifications_stream`)".into()),
        (Some(_), None) => {
            d.push("notifications", Impact::Breaking, "notifications removed (`Client::notifications_stream` is gone)".into())
        }
        (Some(b), Some(h)) if b.group != h.group => d.push(
            "notifications",
            Impact::Breaking,
            format!("notifications moved from group `{}` to `{}` (they need another feature)", b.group, h.group),
        ),
        (Some(b), Some(h)) if b.topics_per_channel > h.topics_per_channel || b.channels > h.channels => d.push_behavioural(
            "notifications",
            format!(
                "notification limits lowered from {} topics × {} channels to {} × {} (a subscription that fit may not)",
                b.topics_per_channel, b.channels, h.topics_per_channel, h.channels
            ),
        ),
        (Some(b), Some(h)) if b != h => d.push("notifications", Impact::Patch, "notification channel operations or limits changed".into()),
        _ => {}
    }
}

fn service(d: &mut Differ, base: &ServiceFiles, head: &ServiceFiles) {
    let (b, h) = (&base.service.value, &head.service.value);
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

    // Operations, by group and name. One operation may be in several groups (the vendor
    // documents it in several SDK classes): each copy is its own method.
    fn ops(s: &ServiceFiles) -> BTreeMap<(&str, &str), &Operation> {
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
    let in_groups = |m: &BTreeMap<(&str, &str), &Operation>, name: &str| -> Vec<String> {
        m.keys()
            .filter(|(_, n)| *n == name)
            .map(|(g, _)| (*g).to_owned())
            .collect()
    };
    for (&(group, name), op) in &bo {
        if let Some(hop) = ho.get(&(group, name)) {
            operation(d, group, op, hop);
            continue;
        }
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
            continue;
        }
        if !in_groups(&ho, name).is_empty() {
            d.push(
                group,
                Impact::Breaking,
                format!(
                    "`{name}` removed from group `{group}` (still in {})",
                    in_groups(&ho, name).join(", ")
                ),
            );
            continue;
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

    topics(d, base, head);

    // Models.
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
fn topics(d: &mut Differ, base: &ServiceFiles, head: &ServiceFiles) {
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
    let params = |t: &Topic| t.parameters().count();
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

/// Media types: what is sent and asked for is a wire detail; a response that changes between
/// JSON and text is read differently by the same `send()`.
fn media(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
    let name = &b.name;
    let text = |o: &Operation| {
        !o.produces
            .iter()
            .any(|m| crate::spec::validate::is_json_media(m))
    };
    if b.returns.is_some() && b.returns == h.returns && text(b) != text(h) {
        let (was, now) = if text(h) {
            ("decoded as JSON", "returned as text")
        } else {
            ("returned as text", "decoded as JSON")
        };
        d.push_behavioural(
            group,
            format!(
                "`{name}`: the response is {now} (was {was}): the same call returns another value"
            ),
        );
    } else if b.produces != h.produces {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}` asks for `{}` (was `{}`)",
                h.produces.join(", "),
                b.produces.join(", ")
            ),
        );
    }
    if b.consumes != h.consumes {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}` sends its body as `{}` (was `{}`)",
                h.consumes.join(", "),
                b.consumes.join(", ")
            ),
        );
    }
}

fn operation(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
    let name = &b.name;
    // Placeholder names are not on the wire: a rename of one is reported with its parameter.
    let shape = |path: &str| {
        path.split('{')
            .map(|s| s.split_once('}').map_or(s, |(_, rest)| rest))
            .collect::<Vec<_>>()
            .join("{}")
    };
    if b.method != h.method || shape(&b.path) != shape(&h.path) {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}` now calls {} {} (was {} {})",
                h.method, h.path, b.method, b.path
            ),
        );
    }
    let (breq, hreq) = (effective_requirement(b), effective_requirement(h));
    if breq != hreq {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}` requires {} (was {})",
                hreq.summary(),
                breq.summary()
            ),
        );
    }
    media(d, group, b, h);
    if b.returns != h.returns {
        d.push(
            group,
            Impact::Breaking,
            format!(
                "`{name}` returns {} (was {})",
                h.returns.as_deref().unwrap_or("nothing"),
                b.returns.as_deref().unwrap_or("nothing")
            ),
        );
    }
    body(d, group, name, b.body.as_ref(), h.body.as_ref());
    let params = |o: &Operation| -> BTreeMap<String, Parameter> {
        o.parameters
            .iter()
            .map(|p| (p.name.clone(), p.clone()))
            .collect()
    };
    let (mut bp, mut hp) = (params(b), params(h));
    for (old, new) in renamed_path_parameters(b, h) {
        d.push(
            group,
            Impact::Patch,
            format!("`{name}`: path parameter `{old}` renamed `{new}` (an argument in the same place: callers are unaffected)"),
        );
        let (p, q) = (bp.remove(&old), hp.remove(&new));
        if let (Some(p), Some(q)) = (p, q) {
            parameter(
                d,
                group,
                name,
                &p,
                &Parameter {
                    name: p.name.clone(),
                    wire_name: p.wire_name.clone(),
                    ..q
                },
            );
        }
    }
    for (pname, p) in &bp {
        match hp.get(pname) {
            None => d.push(
                group,
                Impact::Breaking,
                format!(
                    "`{name}`: parameter `{pname}` removed ({})",
                    if p.required {
                        "an argument is gone"
                    } else {
                        "a builder method is gone"
                    }
                ),
            ),
            Some(q) => parameter(d, group, name, p, q),
        }
    }
    for (pname, p) in hp.iter().filter(|(n, _)| !bp.contains_key(*n)) {
        if p.required {
            d.push(
                group,
                Impact::Breaking,
                format!("`{name}`: required parameter `{pname}` added (a new argument)"),
            );
        } else {
            d.push(
                group,
                Impact::Additive,
                format!("`{name}`: optional parameter `{pname}` added (a new builder method)"),
            );
        }
    }
    let (bl, hl): (BTreeSet<&String>, BTreeSet<&String>) = (
        b.legacy_names.iter().collect(),
        h.legacy_names.iter().collect(),
    );
    for l in bl.difference(&hl) {
        d.push(
            group,
            Impact::Breaking,
            format!("`{name}`: legacy alias `{l}` removed"),
        );
    }
    for l in hl.difference(&bl) {
        d.push(
            group,
            Impact::Additive,
            format!("`{name}`: legacy alias `{l}` added"),
        );
    }
    match (b.undocumented_since.as_ref(), h.undocumented_since.as_ref(), crate::ir::deprecation(b), crate::ir::deprecation(h)) {
        (None, Some(since), None, Some(_)) => d.push(
            group,
            Impact::Additive,
            format!("`{name}` no longer documented since release {since}: kept, deprecated (callers get a warning)"),
        ),
        (_, _, None, Some(_)) => d.push(group, Impact::Additive, format!("`{name}` deprecated (callers get a warning)")),
        (_, _, before, after) if before != after => d.push(group, Impact::Patch, format!("`{name}`: deprecation changed")),
        _ => {}
    }
    if b.preview != h.preview {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}` {} a preview",
                if h.preview { "is now" } else { "is no longer" }
            ),
        );
    }
    // A paginator is `into_paginator` and its `PagedRequest` impl: gaining one adds to the API,
    // losing one removes from it; another style keeps the signatures and changes what it sends.
    match (&b.paging, &h.paging) {
        (None, Some(_)) => d.push(
            group,
            Impact::Additive,
            format!("`{name}` pages: `into_paginator` added"),
        ),
        (Some(_), None) => d.push(
            group,
            Impact::Breaking,
            format!("`{name}` no longer pages: `into_paginator` removed"),
        ),
        (Some(before), Some(after)) if before != after => {
            d.push(group, Impact::Patch, format!("`{name}`: paging changed"))
        }
        _ => {}
    }
    if b.summary != h.summary
        || b.description != h.description
        || b.errors != h.errors
        || b.extensions != h.extensions
        || b.notes != h.notes
    {
        d.push(
            group,
            Impact::Patch,
            format!("`{name}`: documentation changed"),
        );
    }
}

/// Who may call it, as the generated client checks it: legacy permissions included, and a
/// list of one permission the same under `any` and `all`.
fn effective_requirement(op: &Operation) -> crate::ir::Requirement {
    match crate::ir::requirement(op) {
        crate::ir::Requirement::All(list) if list.len() == 1 => crate::ir::Requirement::Any(list),
        other => other,
    }
}

/// Path parameters that kept their place in the path and their type but not their name: Rust
/// arguments are positional, so callers do not notice.
fn renamed_path_parameters(b: &Operation, h: &Operation) -> Vec<(String, String)> {
    use crate::spec::types::placeholders;
    let path_param = |o: &Operation, wire: &str| {
        o.parameters
            .iter()
            .find(|p| p.location == Location::Path && p.wire_name == wire)
            .cloned()
    };
    placeholders(&b.path)
        .iter()
        .zip(&placeholders(&h.path))
        .filter_map(|(bw, hw)| {
            let (p, q) = (path_param(b, bw)?, path_param(h, hw)?);
            let gone = !h.parameters.iter().any(|x| x.name == p.name);
            let new = !b.parameters.iter().any(|x| x.name == q.name);
            (gone && new && p.ty == q.ty).then_some((p.name, q.name))
        })
        .collect()
}

fn body(d: &mut Differ, group: &str, name: &str, b: Option<&Body>, h: Option<&Body>) {
    match (b, h) {
        (None, Some(h)) if h.required => d.push(
            group,
            Impact::Breaking,
            format!("`{name}`: required body added (a new argument)"),
        ),
        (None, Some(_)) => d.push(
            group,
            Impact::Additive,
            format!("`{name}`: optional body added"),
        ),
        (Some(_), None) => d.push(group, Impact::Breaking, format!("`{name}`: body removed")),
        (Some(b), Some(h)) => {
            if b.ty != h.ty {
                d.push(
                    group,
                    Impact::Breaking,
                    format!("`{name}`: body is `{}` (was `{}`)", h.ty, b.ty),
                );
            }
            if b.required != h.required {
                d.push(
                    group,
                    Impact::Breaking,
                    format!(
                        "`{name}`: body made {} (moves between argument and builder method)",
                        if h.required { "required" } else { "optional" }
                    ),
                );
            }
        }
        (None, None) => {}
    }
}

fn parameter(d: &mut Differ, group: &str, name: &str, b: &Parameter, h: &Parameter) {
    let p = &b.name;
    if b.ty != h.ty {
        d.push(
            group,
            Impact::Breaking,
            format!("`{name}`: parameter `{p}` is `{}` (was `{}`)", h.ty, b.ty),
        );
    }
    if b.required != h.required {
        d.push(
            group,
            Impact::Breaking,
            format!(
                "`{name}`: parameter `{p}` made {} (moves between argument and builder method)",
                if h.required { "required" } else { "optional" }
            ),
        );
    }
    if b.location != h.location
        && (b.location == Location::Header || h.location == Location::Header)
    {
        d.push_behavioural(
            group,
            format!(
                "`{name}`: parameter `{p}` moves from the {} into the {} as `{}` (was `{}`): the Rust items stay, but the server now \
                 acts on what it did not see, and a header value is checked before sending, so a call that succeeded may fail",
                b.location.words(),
                h.location.words(),
                h.wire_name,
                b.wire_name
            ),
        );
    } else if b.location != h.location || b.wire_name != h.wire_name {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}`: parameter `{p}` is sent as `{}` in the {:?} (was `{}`)",
                h.wire_name, h.location, b.wire_name
            ),
        );
    }
    if b.default != h.default {
        d.push(
            group,
            Impact::Patch,
            format!(
                "`{name}`: parameter `{p}` defaults to {} (was {})",
                h.default
                    .as_ref()
                    .map_or("nothing".into(), |v| format!("`{v}`")),
                b.default
                    .as_ref()
                    .map_or("nothing".into(), |v| format!("`{v}`"))
            ),
        );
    }
    values(
        d,
        group,
        &format!("`{name}`: parameter `{p}`"),
        &b.values,
        &h.values,
    );
}

/// Enum values: added ones are new variants of a `#[non_exhaustive]` enum; removed ones are
/// variants that disappear. A list of values appearing where there was none turns a string
/// into an enum, and the reverse turns an enum back into a string: both change the type.
fn values(d: &mut Differ, area: &str, subject: &str, b: &[String], h: &[String]) {
    if b.is_empty() != h.is_empty() {
        d.push(
            area,
            Impact::Breaking,
            format!(
                "{subject} {} (its type changes)",
                if h.is_empty() {
                    "no longer lists allowed values"
                } else {
                    "now lists allowed values"
                }
            ),
        );
        return;
    }
    let (bs, hs): (BTreeSet<&String>, BTreeSet<&String>) = (b.iter().collect(), h.iter().collect());
    for v in bs.difference(&hs) {
        d.push(
            area,
            Impact::Breaking,
            format!("{subject}: enum value `{v}` removed"),
        );
    }
    for v in hs.difference(&bs) {
        d.push(
            area,
            Impact::Additive,
            format!("{subject}: enum value `{v}` added"),
        );
    }
}

fn model(d: &mut Differ, name: &str, b: &ModelFile, h: &ModelFile) {
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

fn field(d: &mut Differ, model: &str, wire: &str, b: &Field, h: &Field) {
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

/// The public items section: every removed and changed item, the added ones by module.
fn render_items(out: &mut String, delta: &Delta) {
    let (added, removed, changed) = delta.counts();
    let _ = writeln!(
        out,
        "## Public Rust items\n\n{added} added, {removed} removed, {changed} changed.\n"
    );
    let minor = |c: &&ItemChange| matches!(c, ItemChange::Added(_) | ItemChange::Deprecated(_));
    for c in delta.changes.iter().filter(|c| !minor(c)) {
        let _ = writeln!(out, "- **breaking**: {c}");
    }
    if added > 0 {
        let _ = writeln!(
            out,
            "\n<details><summary>{added} items added or deprecated</summary>\n"
        );
        for c in delta.changes.iter().filter(minor) {
            let _ = writeln!(out, "- {c}");
        }
        out.push_str("\n</details>\n");
    }
    out.push('\n');
}

/// The report as Markdown, for a pull request description.
pub fn render(diff: &SpecDiff, base: &str, head: &str) -> String {
    let mut out = format!("# Spec changes: `{base}` → `{head}`\n\n");
    if diff.changes.is_empty() && diff.rust_api.as_ref().is_none_or(|d| d.changes.is_empty()) {
        out.push_str("No changes.\n\nThe generated crate needs no release.\n");
        return out;
    }
    let count = |i| diff.changes.iter().filter(|c| c.impact == i).count();
    let _ = writeln!(
        out,
        "{} breaking, {} additive, {} other changes.\n",
        count(Impact::Breaking),
        count(Impact::Additive),
        count(Impact::Patch)
    );
    let mut by_area: BTreeMap<(&str, &str), Vec<&Change>> = BTreeMap::new();
    for c in &diff.changes {
        by_area.entry((&c.service, &c.area)).or_default().push(c);
    }
    let mut last_service = "";
    for ((service, area), changes) in by_area {
        if service != last_service {
            let _ = writeln!(out, "## {service}\n");
            last_service = service;
        }
        let _ = writeln!(out, "### {area}\n");
        let mut changes = changes;
        changes.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.what.cmp(&b.what)));
        for c in changes {
            let tag = match c.impact {
                Impact::Breaking if c.behavioural => "**breaking** (behaviour)",
                Impact::Breaking => "**breaking**",
                Impact::Additive => "additive",
                Impact::Patch => "patch",
            };
            let _ = writeln!(out, "- {tag}: {}", c.what);
        }
        out.push('\n');
    }
    if let Some(delta) = &diff.rust_api {
        render_items(&mut out, delta);
    }
    if let Some((rules, items)) = diff.disagreement() {
        let say = |i: Option<Impact>| {
            i.map_or("no public change".to_owned(), |i| {
                format!("{i:?}").to_lowercase()
            })
        };
        let _ = writeln!(
            out,
            "**Note:** the spec's rules say {}, the public items say {}; the verdict takes the larger (a rule of \
             docs/spec-diff.md to correct).\n",
            say(rules),
            say(items)
        );
    }
    let _ = writeln!(
        out,
        "**Semver:** the generated crate needs a **{}** release{}.",
        diff.bump(),
        if diff.impact() == Some(Impact::Breaking) {
            " (a minor one while it is 0.x)"
        } else {
            ""
        }
    );
    out
}
