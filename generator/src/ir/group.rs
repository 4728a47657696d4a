//! Groups: their names, operations (parameters, paths, bodies, paging) and topics.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::enums::param_enums;
use super::paging::paging;
use super::resolve::{Ledger, ModelTable, Types};
use super::{
    Body, EnumRef, Group, Ident, IrError, Location, Media, Model, Operation, Param, PathTemplate,
    Requirement, Topic, TopicSegment, group_feature,
};
use crate::names_lock::Scope;
use crate::naming::{Namespace, snake_ident, type_ident};
use crate::spec::types::TypeExpr;
use crate::spec::{Parsed, Spec, format};

/// What a group module imports (see `emit/operations.rs`): no generated item may take these names.
const GROUP_MODULE_IMPORTS: &[&str] = &[
    "models",
    "Client",
    "Error",
    "ResponseFuture",
    "encode_path_segment",
    "InvalidPathSegment",
    "Method",
    "OperationInfo",
    "Request",
    "Requirement",
];

/// A request builder's own fields and methods (and those of the traits it implements): no
/// parameter may take these names.
const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "body",
    "send",
    "build_request",
    "into_paginator",
    "into_future",
    "send_page",
    "next_request",
    "into_items",
];

/// What every group of a service is built with.
pub(super) struct GroupContext<'a> {
    /// The service's models, for paging to read their fields.
    pub(super) models: &'a [Model],
    pub(super) table: &'a ModelTable,
    pub(super) module: &'a str,
    /// Operations the vendor documents in several groups.
    pub(super) shared: &'a HashSet<&'a str>,
    pub(super) types: &'a Types,
}

/// The names of a group's items, decided before its operations are built.
struct GroupNames {
    type_name: String,
    double_type: String,
    builders: Vec<String>,
    methods: Vec<Ident>,
    legacy_methods: Vec<Vec<Ident>>,
    param_enums: Vec<super::Enum>,
    enum_for: HashMap<(String, String), EnumRef>,
}

/// The group of `g`.
pub(super) fn build(
    spec: &Spec,
    g: &Parsed<format::GroupFile>,
    cx: &GroupContext<'_>,
    ledger: &mut Ledger<'_>,
) -> Result<Group, IrError> {
    let def = &g.value;
    let names = group_names(def, ledger);
    let operations = def
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| operation(op, i, &names, cx, def, &g.path))
        .collect::<Result<_, _>>()?;
    let topics = def
        .topics
        .iter()
        .map(|t| topic(t, cx, &g.path))
        .collect::<Result<_, _>>()?;
    Ok(Group {
        id: def.group.clone(),
        type_name: names.type_name,
        double_type: names.double_type,
        spec_file: spec.display_path(&g.path),
        sdk_class: def.sdk_class.clone(),
        feature: group_feature(cx.module, &def.group),
        default_feature: def.default_feature,
        description: def.description.clone(),
        operations,
        param_enums: names.param_enums,
        topics,
    })
}

/// The group module's items: the scaffolding it imports, the group client, one request
/// builder per operation, the group's test double (after the builders, so that adding it
/// renamed none), then the parameter enums; a clash takes a suffix, and the ledger keeps every
/// name once given. Then the group client's methods: its constructor, the operations, then
/// legacy aliases (the validator refuses two of one name, so each depends on its operation
/// alone).
fn group_names(def: &format::GroupFile, ledger: &mut Ledger<'_>) -> GroupNames {
    let recorded = ledger.old.and_then(|l| l.groups.get(&def.group));
    let mut items = Scope::new(GROUP_MODULE_IMPORTS.iter().copied(), recorded);
    let type_name = items.claim("api".into(), type_ident(&def.group), "Api");
    let builders = def
        .operations
        .iter()
        .map(|op| {
            items.claim(
                format!("builder {}", op.name),
                type_ident(&op.name),
                "Request",
            )
        })
        .collect();
    let double_type = items.claim("double".into(), format!("{type_name}Double"), "Value");
    let mut methods = Namespace::new(["new", "client"]);
    let method_names = def
        .operations
        .iter()
        .map(|op| methods.claim_ident(snake_ident(&op.name), "_op"))
        .collect();
    let legacy_methods = def
        .operations
        .iter()
        .map(|op| {
            op.legacy_names
                .iter()
                .map(|l| methods.claim_ident(snake_ident(l), "_op"))
                .collect()
        })
        .collect();
    let (param_enums, enum_for) = param_enums(def, &mut items);
    ledger
        .new
        .groups
        .insert(def.group.clone(), items.into_claimed());
    GroupNames {
        type_name,
        double_type,
        builders,
        methods: method_names,
        legacy_methods,
        param_enums,
        enum_for,
    }
}

/// The `i`-th operation of a group, `op`, from the group file `file`.
fn operation(
    op: &format::Operation,
    i: usize,
    names: &GroupNames,
    cx: &GroupContext<'_>,
    def: &format::GroupFile,
    file: &Path,
) -> Result<Operation, IrError> {
    let parameters = parameters(op, names, cx, file)?;
    let path = cx.types.path(&op.path, file)?;
    let (path_params, query_params, header_params) = by_location(&path, &parameters);
    let resolve = |ty: &str| cx.table.rust_type(cx.types.get(ty, file)?, file);
    let returns = op.returns.as_deref().map(resolve).transpose()?;
    let paging = match &op.paging {
        Some(p) => Some(paging(p, returns.as_ref(), &parameters, cx.models, file)?),
        None => None,
    };
    let body = op.body.as_ref().map(|b| body(b, cx, file)).transpose()?;
    let name = names.methods[i].clone();
    let test_name = test_name(cx, def, op, &name);
    Ok(Operation {
        builder: names.builders[i].clone(),
        constant: name.word().to_uppercase(),
        test_name,
        name,
        spec_name: op.name.clone(),
        method: op.method.into(),
        path,
        summary: op.summary.clone(),
        description: operation_description(op),
        requires: requirement(op),
        deprecated: deprecation(op),
        legacy_names: op
            .legacy_names
            .iter()
            .cloned()
            .zip(names.legacy_methods[i].iter().cloned())
            .collect(),
        errors: op
            .errors
            .iter()
            .map(|e| (e.status, e.description.clone()))
            .collect(),
        extensions: op
            .extensions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        query_params,
        header_params,
        parameters,
        path_params,
        media: Media::of(op),
        body,
        returns,
        paging,
    })
}

/// An operation's request body.
fn body(b: &format::Body, cx: &GroupContext<'_>, file: &Path) -> Result<Body, IrError> {
    Ok(Body {
        ty: cx.table.rust_type(cx.types.get(&b.ty, file)?, file)?,
        required: b.required,
        description: b.description.clone(),
    })
}

/// Each operation is tested once; one the vendor documents in several groups is generated in
/// each, its tests told apart by group.
fn test_name(
    cx: &GroupContext<'_>,
    def: &format::GroupFile,
    op: &format::Operation,
    name: &Ident,
) -> String {
    if cx.shared.contains(op.name.as_str()) {
        format!("{}_{}_{}", cx.module, def.group, name.word())
    } else {
        format!("{}_{}", cx.module, name.word())
    }
}

/// The path parameters in template order, then the query and header parameters in spec order.
fn by_location(path: &PathTemplate, parameters: &[Param]) -> (Vec<Param>, Vec<Param>, Vec<Param>) {
    let path_params = path
        .placeholders()
        .filter_map(|h| {
            parameters
                .iter()
                .find(|p| p.location == Location::Path && p.wire == h)
        })
        .cloned()
        .collect();
    let located = |at: Location| {
        parameters
            .iter()
            .filter(|p| p.location == at)
            .cloned()
            .collect()
    };
    (
        path_params,
        located(Location::Query),
        located(Location::Header),
    )
}

/// An operation's parameters, in spec order, named apart from the request builder's own
/// fields and methods.
fn parameters(
    op: &format::Operation,
    names: &GroupNames,
    cx: &GroupContext<'_>,
    file: &Path,
) -> Result<Vec<Param>, IrError> {
    let mut members = Namespace::new(BUILDER_MEMBERS.iter().copied());
    op.parameters
        .iter()
        .map(|p| {
            let t = cx.types.get(&p.ty, file)?;
            let mut ty = cx.table.rust_type(t.item(), file)?;
            if let Some(e) = names.enum_for.get(&(op.name.clone(), p.name.clone())) {
                ty = ty.with_enum(e);
            }
            Ok(Param {
                ident: members.claim_ident(snake_ident(&p.name), "_param"),
                wire: p.wire_name.clone(),
                ty,
                list: matches!(t, TypeExpr::List(_)),
                location: p.location.into(),
                required: p.required,
                description: p.description.clone(),
                default: p.default.as_ref().map(ToString::to_string),
                values: p.values.clone(),
            })
        })
        .collect()
}

/// A notification topic of the group file `file`.
fn topic(t: &format::Topic, cx: &GroupContext<'_>, file: &Path) -> Result<Topic, IrError> {
    let payload = cx.table.rust_type(cx.types.get(&t.payload, file)?, file)?;
    Ok(Topic {
        ident: snake_ident(&t.name),
        template: t.topic.clone(),
        segments: topic_segments(&t.topic),
        payload,
        description: t.description.clone(),
        deprecated: t
            .undocumented_since
            .as_ref()
            .map(|r| format!("no longer in the vendor's notification mappings since release {r}")),
    })
}

/// A topic template's pieces: literal text (dots included) and parameters, in order.
fn topic_segments(template: &str) -> Vec<TopicSegment> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    for (i, part) in template.split('.').enumerate() {
        if i > 0 {
            literal.push('.');
        }
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(param) => {
                segments.push(TopicSegment::Literal(std::mem::take(&mut literal)));
                segments.push(TopicSegment::Param(snake_ident(param)));
            }
            None => literal.push_str(part),
        }
    }
    if !literal.is_empty() {
        segments.push(TopicSegment::Literal(literal));
    }
    segments.retain(|s| !matches!(s, TopicSegment::Literal(l) if l.is_empty()));
    segments
}

/// The operation's documentation text: the vendor's description, then what the spec adds
/// (the preview warning, a maintainer's note).
fn operation_description(op: &format::Operation) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !op.description.is_empty() {
        parts.push(op.description.clone());
    }
    if op.preview {
        parts.push(
            "Preview: the vendor documents this operation as a preview, subject to breaking and non-breaking \
             changes at any time without notice."
                .into(),
        );
    }
    if !op.notes.is_empty() {
        parts.push(format!("Note: {}", op.notes));
    }
    parts.join("\n\n")
}

/// Who may call it: the documented requirement, which permissions older documentation listed
/// (`legacy_permissions`) still satisfy.
pub(crate) fn requirement(op: &format::Operation) -> Requirement {
    let documented: Requirement = op.requires.as_ref().into();
    if op.legacy_permissions.is_empty() {
        return documented;
    }
    match documented {
        Requirement::Any(list) | Requirement::All(list)
            if op
                .requires
                .as_ref()
                .is_some_and(format::Requirement::widens) =>
        {
            Requirement::Any(op.legacy_permissions.iter().chain(&list).cloned().collect())
        }
        other => other,
    }
}

/// Why the operation is deprecated: the vendor's (or a maintainer's) reason, and whether the
/// documentation still lists it.
pub(crate) fn deprecation(op: &format::Operation) -> Option<String> {
    let withdrawn = op.undocumented_since.as_ref().map(|release| {
        format!("no longer in the vendor's documentation since release {release}; kept so code written against it keeps compiling")
    });
    match (op.deprecated.clone(), withdrawn) {
        (Some(reason), Some(withdrawn)) => Some(format!("{reason}; {withdrawn}")),
        (reason, withdrawn) => reason.or(withdrawn),
    }
}
