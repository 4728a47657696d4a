//! A service's `notifications:`: the group and the two channel operations it names must exist
//! and have the shape the runtime's subscription calls them with.

use std::path::Path;

use super::{Ctx, Place, Problem, placeholders, suggest};
use crate::spec::format::{GroupFile, Method, Notifications, Operation};
use crate::spec::load::Parsed;
use crate::spec::locate::Locations;

/// Checks `n` (from `file`) against the service's groups.
pub(super) fn check(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    n: &Notifications,
    groups: &[Parsed<GroupFile>],
) {
    check_limits(ctx, file, loc, n);
    let Some(group) = groups.iter().find(|g| g.value.group == n.group) else {
        let known = suggest(&n.group, groups.iter().map(|g| g.value.group.as_str()));
        ctx.report(Problem {
            place: Place::value(file, loc, "/notifications/group"),
            message: format!("no group `{}` in this service", n.group),
            label: "unknown group",
            help: known,
        });
        return;
    };
    let find = |name: &str| group.value.operations.iter().find(|op| op.name == name);
    let missing = |ctx: &mut Ctx<'_>, pointer: &str, name: &str| {
        let known = suggest(
            name,
            group.value.operations.iter().map(|op| op.name.as_str()),
        );
        ctx.report(Problem {
            place: Place::value(file, loc, pointer),
            message: format!("no operation `{name}` in group `{}`", n.group),
            label: "unknown operation",
            help: known,
        });
    };
    let operations = [
        (
            "/notifications/create_channel",
            &n.create_channel,
            (Method::Post, 0, false),
            "`POST`, no path parameter and no body",
        ),
        (
            "/notifications/set_topics",
            &n.set_topics,
            (Method::Put, 1, true),
            "`PUT`, the channel's id as its one path parameter, a body",
        ),
    ];
    for (pointer, name, (method, params, body), wanted) in operations {
        match find(name) {
            None => missing(ctx, pointer, name),
            Some(op) => {
                let problem = shape(op, method, params, body);
                report(ctx, file, loc, pointer, op, problem, wanted);
            }
        }
    }
}

/// The service's limits allow a subscription.
fn check_limits(ctx: &mut Ctx<'_>, file: &Path, loc: &Locations, n: &Notifications) {
    for (pointer, value) in [
        ("/notifications/topics_per_channel", n.topics_per_channel),
        ("/notifications/channels", n.channels),
    ] {
        if value == 0 {
            ctx.report(Problem {
                place: Place::value(file, loc, pointer),
                message: "a limit of 0 allows no subscription".into(),
                label: "zero",
                help: "write the service's limit, at least 1".into(),
            });
        }
    }
}

/// What is wrong with `op` for its role: the method, the number of path parameters, a body.
fn shape(op: &Operation, method: Method, path_params: usize, body: bool) -> Option<String> {
    let found = placeholders(&op.path)
        .map(|p| p.len())
        .unwrap_or(usize::MAX);
    if op.method != method {
        Some(format!("it is `{}`", op.method))
    } else if found != path_params {
        Some(format!(
            "its path `{}` has {} path parameters",
            op.path,
            if found == usize::MAX {
                "unreadable".into()
            } else {
                found.to_string()
            }
        ))
    } else if op.body.is_some() != body {
        Some(if body {
            "it takes no body".into()
        } else {
            "it takes a body".into()
        })
    } else if op.returns.is_none() {
        Some("it returns nothing".into())
    } else {
        None
    }
}

fn report(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    pointer: &str,
    op: &Operation,
    problem: Option<String>,
    wanted: &str,
) {
    if let Some(problem) = problem {
        ctx.report(Problem {
            place: Place::value(file, loc, pointer),
            message: format!(
                "operation `{}` cannot be called for this: {problem}",
                op.name
            ),
            label: "wrong shape",
            help: format!("name an operation that is {wanted}, and returns the channel's answer"),
        });
    }
}
