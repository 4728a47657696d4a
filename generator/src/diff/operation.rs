//! An operation's changes: route, media types, parameters, body, requirement, values.

use std::collections::{BTreeMap, BTreeSet};

use super::{Differ, Impact};
use crate::spec::format::{Body, Location, Operation, Parameter};

/// Media types: what is sent and asked for is a wire detail; a response that changes between
/// JSON and text is read differently by the same `send()`.
pub(super) fn media(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
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

pub(super) fn operation(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
    route_and_types(d, group, b, h);
    parameters(d, group, b, h);
    legacy_names(d, group, b, h);
    status(d, group, b, h);
}

/// Method and path (placeholder names aside), requirement, return type.
fn route_and_types(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
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
}

/// Parameters by name (a renamed path parameter followed), each compared; added and removed ones.
fn parameters(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
    let name = &b.name;
    let params = |o: &Operation| -> BTreeMap<String, Parameter> {
        o.parameters
            .iter()
            .map(|p| (p.name.clone(), p.clone()))
            .collect()
    };
    let (mut bp, mut hp) = (params(b), params(h));
    renamed_path(d, group, (b, h), (&mut bp, &mut hp));
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
}

/// Path parameters renamed in the same place: reported as such, compared under their new name,
/// and taken out of the parameters compared by name.
fn renamed_path(
    d: &mut Differ,
    group: &str,
    (b, h): (&Operation, &Operation),
    (bp, hp): (
        &mut BTreeMap<String, Parameter>,
        &mut BTreeMap<String, Parameter>,
    ),
) {
    let name = &b.name;
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
}

/// Legacy names: an alias method each.
fn legacy_names(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
    let name = &b.name;
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
}

/// Deprecation, preview, paging and the documentation text.
fn status(d: &mut Differ, group: &str, b: &Operation, h: &Operation) {
    let name = &b.name;
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
pub(super) fn effective_requirement(op: &Operation) -> crate::ir::Requirement {
    match crate::ir::requirement(op) {
        crate::ir::Requirement::All(list) if list.len() == 1 => crate::ir::Requirement::Any(list),
        other => other,
    }
}

/// Path parameters that kept their place in the path and their type but not their name: Rust
/// arguments are positional, so callers do not notice.
pub(super) fn renamed_path_parameters(b: &Operation, h: &Operation) -> Vec<(String, String)> {
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

pub(super) fn body(d: &mut Differ, group: &str, name: &str, b: Option<&Body>, h: Option<&Body>) {
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

pub(super) fn parameter(d: &mut Differ, group: &str, name: &str, b: &Parameter, h: &Parameter) {
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
    wire(d, group, name, b, h);
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

/// Where a parameter travels and its wire name: a move to or from a header changes what the
/// server sees (behaviour); another move or rename changes only the wire.
fn wire(d: &mut Differ, group: &str, name: &str, b: &Parameter, h: &Parameter) {
    let p = &b.name;
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
}

/// Enum values: added ones are new variants of a `#[non_exhaustive]` enum; removed ones are
/// variants that disappear. A list of values appearing where there was none turns a string
/// into an enum, and the reverse turns an enum back into a string: both change the type.
pub(super) fn values(d: &mut Differ, area: &str, subject: &str, b: &[String], h: &[String]) {
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
