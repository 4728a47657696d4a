//! What changed between two versions of the spec, classified by the effect on the generated
//! crate's public Rust API.
//!
//! The rules (why each change is breaking, additive or neither) are in [`Impact`]'s
//! documentation and in `docs/spec-diff.md`; each one is tested with a before/after pair.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spec::Spec;
use crate::spec::format::Notifications;
use crate::surface::Delta;

mod operation;
mod render;
mod service;

pub use self::render::render;
use self::service::service;

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
