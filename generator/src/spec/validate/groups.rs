//! A group file: its name, topics, and the one-to-one of operation names and routes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use heck::ToSnakeCase;

use super::models::check_model_ref;
use super::{Ctx, Place, Problem, Site};
use crate::naming;
use crate::spec::format::{GroupFile, ModelFile};
use crate::spec::load::Parsed;
use crate::spec::locate::Locations;

/// A group's topics: names with a Rust form, unique in the group; templates of `v2.` and
/// non-empty segments whose `{parameters}` are snake_case and distinct; one topic in one group;
/// payloads that are models.
pub(super) fn check_topics<'a>(
    ctx: &mut Ctx<'_>,
    file: &'a Path,
    loc: &'a Locations,
    g: &GroupFile,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
    seen: &mut HashMap<String, Site<'a>>,
) {
    let mut names = HashMap::new();
    for (i, t) in g.topics.iter().enumerate() {
        let p = format!("/topics/{i}");
        ctx.named(
            &mut names,
            naming::snake_ident(&t.name).to_string(),
            Site {
                file,
                pointer: format!("{p}/name"),
                locations: loc,
                original: t.name.clone(),
            },
            "topic",
        );
        if t.name.to_snake_case() != t.name {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{p}/name")),
                message: format!("topic name `{}` is not snake_case", t.name),
                label: "not snake_case",
                help: format!("write `{}`", t.name.to_snake_case()),
            });
        }
        ctx.unique(
            seen,
            t.topic.clone(),
            Site {
                file,
                pointer: format!("{p}/topic"),
                locations: loc,
                original: t.topic.clone(),
            },
            "topic",
        );
        check_topic_template(ctx, file, loc, &p, &t.topic);
        check_model_ref(ctx, file, loc, &format!("{p}/payload"), &t.payload, models);
    }
}

/// A topic template: `v2.` then non-empty segments, its `{parameters}` snake_case and distinct.
fn check_topic_template(ctx: &mut Ctx<'_>, file: &Path, loc: &Locations, p: &str, topic: &str) {
    let segments: Vec<&str> = topic.split('.').collect();
    let mut params: HashSet<String> = HashSet::new();
    let bad_segment =
        segments.iter().find(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => {
                    param.to_snake_case() != *param
                        || !naming::is_valid_ident(&naming::snake_ident(param).to_string())
                        || !params.insert(param.to_owned())
                }
                None => {
                    seg.is_empty()
                        || !seg
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                }
            },
        );
    if segments.first() != Some(&"v2") || segments.len() < 2 || bad_segment.is_some() {
        ctx.report(Problem { place: Place::value(file, loc, &format!("{p}/topic")), message: format!(
                "topic `{}` is not a template of the notification service{}",
                topic,
                bad_segment.map(|s| format!(" (segment `{s}`)")).unwrap_or_default()
            ), label: "not a topic template", help: "write `v2.` then dot-separated segments of letters, digits, `_` and `-`, or `{name}` parameters (snake_case, each once)"
                .into() });
    }
}

/// Names a group cannot have: the service module's other items, `Client`'s methods, and
/// `other_models`, whose feature (`<service>-other_models`) compiles the models no operation reaches.
pub(super) const RESERVED_GROUPS: &[&str] = &[
    "models",
    "builder",
    "transport",
    "clone",
    "fmt",
    "client",
    "region",
    "operations",
    "auth",
    "error",
    "other_models",
    "topics",
    "double",
    "notifications_stream",
];

pub(super) fn check_group_name(ctx: &mut Ctx<'_>, g: &Parsed<GroupFile>) {
    let stem = g
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let name = &g.value.group;
    if name != stem {
        ctx.report(Problem {
            place: Place::value(&g.path, &g.locations, "/group"),
            message: format!("group `{name}` is declared in file `{stem}.yaml`"),
            label: "does not match the file name",
            help: format!("name the group `{stem}` or the file `{name}.yaml`"),
        });
    }
    if name.to_snake_case() != *name {
        ctx.report(Problem {
            place: Place::value(&g.path, &g.locations, "/group"),
            message: format!("group name `{name}` is not snake_case"),
            label: "not snake_case",
            help: format!("write `{}`", name.to_snake_case()),
        });
    }
    // A group is a module of the service and a method of its `Client`: it cannot be a keyword
    // or take the name of the service's other modules and `Client`'s own methods.
    if naming::snake_ident(name).to_string() != *name || RESERVED_GROUPS.contains(&name.as_str()) {
        ctx.report(Problem {
            place: Place::value(&g.path, &g.locations, "/group"),
            message: format!("group name `{name}` is reserved in Rust or in the generated client"),
            label: "reserved name",
            help: format!("rename the group (and its file), such as `{name}_api`"),
        });
    }
    if g.value.operations.is_empty() {
        ctx.report(Problem {
            place: Place::key(&g.path, &g.locations, "/operations"),
            message: format!("group `{name}` has no operations"),
            label: "empty",
            help: "add operations or remove the file".into(),
        });
    }
}

/// A path with every placeholder's name erased, so `/a/{x}` and `/a/{y}` compare equal.
pub(super) fn normalize_path(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push_str("{}");
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The `{placeholder}` names of a path template, or a description of why it is malformed.
pub fn placeholders(path: &str) -> Result<Vec<String>, String> {
    crate::spec::types::PathTemplate::parse(path)
        .map(|t| t.placeholders().map(str::to_owned).collect())
}
