//! An operation: its path, method, requirement, parameters, body, media types and errors.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use heck::ToSnakeCase;

use super::groups::placeholders;
use super::models::{check_model_ref, check_type};
use super::paging::check_paging;
use super::parameters::{check_media, check_parameter};
use super::suggest;
use super::{Ctx, Place, Problem, Site};
use crate::naming;
use crate::spec::format::{
    AccessPolicy, AuthorizationKind, Location, ModelFile, Operation, Parameter, Requirement,
};
use crate::spec::load::Parsed;
use crate::spec::locate::{Locations, escape};

/// An operation being checked, and where it is: the group file and the operation's pointer.
#[derive(Clone, Copy)]
struct OpSite<'a> {
    file: &'a Path,
    loc: &'a Locations,
    p: &'a str,
    op: &'a Operation,
}

/// Checks the operation at pointer `p` of the group file `file`.
pub(super) fn check_operation(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    op: &Operation,
    kind: AuthorizationKind,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    let site = OpSite { file, loc, p, op };
    check_names(ctx, site);
    check_path(ctx, site);
    check_parameters(ctx, site);
    check_payloads(ctx, site, models);
    check_requirement(ctx, site, kind);
    check_legacy_permissions(ctx, site);
}

/// Its names are snake_case and its summary is not empty.
fn check_names(ctx: &mut Ctx<'_>, site: OpSite<'_>) {
    let OpSite { file, loc, p, op } = site;
    if op.name.to_snake_case() != op.name {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{p}/name")),
            message: format!("operation name `{}` is not snake_case", op.name),
            label: "not snake_case",
            help: format!("write `{}`", op.name.to_snake_case()),
        });
    }
    for (j, legacy) in op.legacy_names.iter().enumerate() {
        if legacy.to_snake_case() != *legacy {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{p}/legacy_names/{j}")),
                message: format!("legacy name `{legacy}` is not snake_case"),
                label: "not snake_case",
                help: format!("write `{}`", legacy.to_snake_case()),
            });
        }
    }
    if op.summary.trim().is_empty() {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{p}/summary")),
            message: format!("operation `{}` has an empty summary", op.name),
            label: "empty",
            help: "copy the one-line summary from the documentation".into(),
        });
    }
}

/// The path template is absolute and well formed, and its placeholders and the path parameters match one to one.
fn check_path(ctx: &mut Ctx<'_>, site: OpSite<'_>) {
    let OpSite { file, loc, p, op } = site;
    // Path template against path parameters.
    let path_ptr = format!("{p}/path");
    let owned_holes = template_holes(ctx, site);
    let holes: Vec<&str> = owned_holes.iter().map(String::as_str).collect();
    let path_params: Vec<(usize, &Parameter)> = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, q)| q.location == Location::Path)
        .collect();
    let mut seen_holes = HashSet::new();
    for hole in &holes {
        if !seen_holes.insert(*hole) {
            ctx.report(Problem {
                place: Place::value(file, loc, &path_ptr),
                message: format!("path `{}` has the placeholder `{{{hole}}}` twice", op.path),
                label: "repeated placeholder",
                help: "each path parameter appears once in the template".into(),
            });
        }
        if !path_params.iter().any(|(_, q)| q.wire_name == *hole) {
            ctx.report(Problem { place: Place::value(file, loc, &path_ptr), message: format!("path placeholder `{{{hole}}}` of `{}` has no path parameter", op.name), label: "no parameter for this placeholder", help: format!("add a parameter with `wire_name: {hole}` and `in: path`, or remove the placeholder") });
        }
    }
    for (j, q) in &path_params {
        if !holes.contains(&q.wire_name.as_str()) {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{p}/parameters/{j}/wire_name")),
                message: format!(
                    "path parameter `{}` is not in the path `{}`",
                    q.wire_name, op.path
                ),
                label: "not in the path template",
                help: format!(
                    "add `{{{}}}` to the path, or correct the wire name{}",
                    q.wire_name,
                    suggest(&q.wire_name, holes.iter().copied())
                ),
            });
        }
    }
}

/// The placeholders of an absolute, well-formed path template (none, reported, otherwise).
fn template_holes(ctx: &mut Ctx<'_>, site: OpSite<'_>) -> Vec<String> {
    let OpSite { file, loc, p, op } = site;
    let path_ptr = format!("{p}/path");
    if !op.path.starts_with('/') {
        ctx.report(Problem {
            place: Place::value(file, loc, &path_ptr),
            message: format!("path `{}` does not start with `/`", op.path),
            label: "not an absolute path",
            help: "write the path from the host's root, such as `/api/v2/...`".into(),
        });
        Vec::new()
    } else {
        match placeholders(&op.path) {
            Ok(h) => h,
            Err(why) => {
                ctx.report(Problem {
                    place: Place::value(file, loc, &path_ptr),
                    message: format!("path `{}` {why}", op.path),
                    label: "malformed template",
                    help: "placeholders are written `{name}` with the path parameter's wire name"
                        .into(),
                });
                Vec::new()
            }
        }
    }
}

/// Each parameter: a Rust name and a wire name of its own, and what `check_parameter` checks; none named `body` beside a body.
fn check_parameters(ctx: &mut Ctx<'_>, site: OpSite<'_>) {
    let OpSite { file, loc, p, op } = site;
    // Parameters.
    let mut names = HashMap::new();
    let mut wires = HashMap::new();
    for (j, q) in op.parameters.iter().enumerate() {
        let qp = format!("{p}/parameters/{j}");
        ctx.named(
            &mut names,
            naming::snake_ident(&q.name).to_string(),
            Site {
                file,
                pointer: format!("{qp}/name"),
                locations: loc,
                original: q.name.clone(),
            },
            "parameter",
        );
        if q.name != "body" && q.name.to_snake_case() != q.name {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{qp}/name")),
                message: format!("parameter name `{}` is not snake_case", q.name),
                label: "not snake_case",
                help: format!("write `{}`", q.name.to_snake_case()),
            });
        }
        // Header names are case-blind on the wire: `If-Match` and `if-match` are one header.
        let wire = if q.location == Location::Header {
            q.wire_name.to_ascii_lowercase()
        } else {
            q.wire_name.clone()
        };
        ctx.unique(
            &mut wires,
            format!("{:?} {wire}", q.location),
            Site {
                file,
                pointer: format!("{qp}/wire_name"),
                locations: loc,
                original: format!("{:?} {}", q.location, q.wire_name),
            },
            "wire name",
        );
        check_parameter(ctx, file, loc, &qp, q);
    }
    check_body_parameter(ctx, site);
}

/// No parameter is named `body` beside a body (the builder's `body` is the body's).
fn check_body_parameter(ctx: &mut Ctx<'_>, site: OpSite<'_>) {
    let OpSite { file, loc, p, op } = site;
    if op
        .parameters
        .iter()
        .any(|q| naming::snake_ident(&q.name).to_string() == "body")
        && op.body.is_some()
    {
        ctx.report(Problem {
            place: Place::key(file, loc, &format!("{p}/body")),
            message: format!(
                "operation `{}` has both a body and a parameter named `body`",
                op.name
            ),
            label: "clashes with a parameter",
            help: "rename the parameter".into(),
        });
    }
}

/// The body and return types, media types, paging, documented errors and vendor extensions.
fn check_payloads(
    ctx: &mut Ctx<'_>,
    site: OpSite<'_>,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    let OpSite { file, loc, p, op } = site;
    // Body, return type, media types, errors.
    if let Some(body) = &op.body {
        check_type(ctx, file, loc, &format!("{p}/body/type"), &body.ty, models);
    }
    if let Some(ret) = &op.returns {
        check_type(ctx, file, loc, &format!("{p}/returns"), ret, models);
    }
    check_media(ctx, file, loc, p, op);
    if let Some(paging) = &op.paging {
        check_paging(ctx, file, loc, &format!("{p}/paging"), op, paging, models);
    }
    let mut statuses = HashMap::new();
    for (j, e) in op.errors.iter().enumerate() {
        let ep = format!("{p}/errors/{j}");
        if !(400..=599).contains(&e.status) {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{ep}/status")),
                message: format!("error status {} is not an error", e.status),
                label: "not 4xx or 5xx",
                help: "document error responses only; the success type goes in `returns`".into(),
            });
        }
        ctx.unique(
            &mut statuses,
            e.status.to_string(),
            Site {
                file,
                pointer: format!("{ep}/status"),
                locations: loc,
                original: e.status.to_string(),
            },
            "error status",
        );
        if let Some(body) = &e.body {
            check_model_ref(ctx, file, loc, &format!("{ep}/body"), body, models);
        }
    }
    for key in op.extensions.keys() {
        if !key.starts_with("x-") {
            ctx.report(Problem {
                place: Place::key(file, loc, &format!("{p}/extensions/{}", escape(key))),
                message: format!("vendor extension `{key}` does not start with `x-`"),
                label: "not a vendor extension",
                help: "vendor extensions are named `x-…`; other facts have their own keys".into(),
            });
        }
    }
}

/// The requirement is of the kind the service declares, and well formed.
fn check_requirement(ctx: &mut Ctx<'_>, site: OpSite<'_>, kind: AuthorizationKind) {
    let OpSite { file, loc, p, op } = site;
    // Authorization requirement.
    let rp = format!("{p}/requires");
    match (&op.requires, kind) {
        (None, _) => {}
        (Some(Requirement::AccessPolicy(policy)), AuthorizationKind::AccessPolicy) => {
            check_access_policy(ctx, site, policy);
        }
        (Some(Requirement::None), AuthorizationKind::Permissions) => {}
        (Some(Requirement::Any(list) | Requirement::All(list)), AuthorizationKind::Permissions) => {
            check_permissions(ctx, site, list);
        }
        (Some(_), kind) => {
            let expected = match kind {
                AuthorizationKind::Permissions => "`any: [...]`, `all: [...]` or `none`",
                AuthorizationKind::AccessPolicy => "`access_policy: {...}`",
            };
            ctx.report(Problem {
                place: Place::key(file, loc, &rp),
                message: "this kind of requirement does not fit the service".into(),
                label: "wrong kind",
                help: format!(
                    "service.yaml declares `authorization: {}`; write {expected}",
                    match kind {
                        AuthorizationKind::Permissions => "permissions",
                        AuthorizationKind::AccessPolicy => "access_policy",
                    }
                ),
            });
        }
    }
}

/// A permission requirement lists permissions, each once and well formed.
fn check_permissions(ctx: &mut Ctx<'_>, site: OpSite<'_>, list: &[String]) {
    let OpSite { file, loc, p, op } = site;
    let rp = format!("{p}/requires");
    let kind = if matches!(op.requires, Some(Requirement::Any(_))) {
        "any"
    } else {
        "all"
    };
    if list.is_empty() {
        ctx.report(Problem { place: Place::key(file, loc, &format!("{rp}/{kind}")), message: "the permission list is empty".into(), label: "empty", help: "list the permissions, or write `requires: none` when the documentation says none are needed".into() });
    }
    for (pp, perm) in each_once(
        ctx,
        (file, loc),
        &format!("{rp}/{kind}"),
        list,
        "permission",
    ) {
        if malformed(perm) {
            ctx.report(Problem {
                place: Place::value(file, loc, &pp),
                message: format!("`{perm}` is not a permission"),
                label: "malformed permission",
                help:
                    "permissions are `domain:entity:action` strings or legacy names such as `admin`"
                        .into(),
            });
        }
    }
}

/// An access policy names roles and allows some kind of account.
fn check_access_policy(ctx: &mut Ctx<'_>, site: OpSite<'_>, policy: &AccessPolicy) {
    let OpSite { file, loc, p, .. } = site;
    let rp = format!("{p}/requires");
    if policy.roles.is_empty() {
        ctx.report(Problem {
            place: Place::key(file, loc, &format!("{rp}/access_policy/roles")),
            message: "an access policy names no role".into(),
            label: "empty",
            help: "list the roles the documentation names".into(),
        });
    }
    if !policy.user_accounts && !policy.service_accounts {
        ctx.report(Problem {
            place: Place::key(file, loc, &format!("{rp}/access_policy")),
            message: "the access policy allows no kind of account".into(),
            label: "nobody may call",
            help: "set `user_accounts` or `service_accounts` to true".into(),
        });
    }
}

/// Legacy permissions widen a requirement, each once, none of them also in `requires`.
fn check_legacy_permissions(ctx: &mut Ctx<'_>, site: OpSite<'_>) {
    let OpSite { file, loc, p, op } = site;
    if !op.legacy_permissions.is_empty() && !op.requires.as_ref().is_some_and(Requirement::widens) {
        ctx.report(Problem { place: Place::key(file, loc, &format!("{p}/legacy_permissions")), message: "legacy permissions need a requirement they can widen".into(), label: "nothing to widen", help: "legacy permissions are alternatives: use them with `requires: {any: [...]}` (or an `all` of one permission)".into() });
    }
    let base = format!("{p}/legacy_permissions");
    let legacy = &op.legacy_permissions;
    for (pp, perm) in each_once(ctx, (file, loc), &base, legacy, "legacy permission") {
        let documented = matches!(&op.requires, Some(Requirement::Any(l) | Requirement::All(l)) if l.contains(perm));
        if documented || malformed(perm) {
            ctx.report(Problem { place: Place::value(file, loc, &pp), message: if documented { format!("`{perm}` is also in `requires`") } else { format!("`{perm}` is not a permission") }, label: "not a legacy permission", help: "list here only the permissions older documentation named that `requires` no longer does".into() });
        }
    }
}

/// The permissions of `list` (at `base/0`, `base/1`, …), each reported when it appears twice,
/// with their pointers.
fn each_once<'p>(
    ctx: &mut Ctx<'_>,
    (file, loc): (&Path, &Locations),
    base: &str,
    list: &'p [String],
    what: &str,
) -> Vec<(String, &'p String)> {
    let mut seen = HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for (j, perm) in list.iter().enumerate() {
        let pointer = format!("{base}/{j}");
        let site = Site {
            file,
            pointer: pointer.clone(),
            locations: loc,
            original: perm.clone(),
        };
        ctx.unique(&mut seen, perm.clone(), site, what);
        out.push((pointer, perm));
    }
    out
}

/// Whether a permission cannot be one: empty, or with whitespace.
fn malformed(perm: &str) -> bool {
    perm.is_empty() || perm.chars().any(char::is_whitespace)
}
