//! The resolved model of the API: what the emitters read.
//!
//! Built once from a validated [`Spec`]: every Rust name is chosen here (via
//! [`crate::naming`]), every type expression is resolved to a [`RustType`],
//! recursive model references are boxed, and enums with the same values are
//! shared; methods, locations, path templates, requirements, hosts and auth flows are
//! decided into the types of [`http`]. Emitters import nothing from the spec format and
//! never invent names.

mod gates;
mod http;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use heck::ToUpperCamelCase;

pub use self::gates::Gate;
pub use self::http::{
    AccessPolicy, AuthScheme, ClientAuthentication, Grant, Host, Location, Media, Method,
    PathSegment, PathTemplate, Requirement, TokenFlow,
};
use crate::names_lock::{NamesLock, Scope};
use crate::naming::{Namespace, snake_ident, type_ident, variant_ident};

/// The variant of every string enum that holds a value the client does not know.
pub const FALLBACK_VARIANT: &str = "Unknown";

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
use crate::spec::format;
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{ServiceFiles, Spec};

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Services, sorted by id.
    pub services: Vec<Service>,
}

/// One service: a module of the generated crate.
#[derive(Debug, Clone)]
pub struct Service {
    /// Spec id (`genesys-cloud`).
    pub id: String,
    /// Module and feature name (`genesys_cloud`); every group feature enables it.
    pub module: String,
    /// Spec folder, for generated-file headers (`spec/genesys-cloud`).
    pub spec_dir: PathBuf,
    /// Title (`Genesys Cloud Platform API v2`).
    pub title: String,
    /// Description.
    pub description: String,
    /// The vendor's documentation.
    pub docs_url: Option<String>,
    /// Hosts, in documentation order; one is the default.
    pub hosts: Vec<Host>,
    /// How tokens are obtained and sent.
    pub auth: AuthScheme,
    /// API groups, in file order.
    pub groups: Vec<Group>,
    /// Models, sorted by name.
    pub models: Vec<Model>,
    /// Enums of model fields, sorted by name.
    pub enums: Vec<Enum>,
    /// Rust name of the error model.
    pub error_model: String,
    /// The names ledger to write back: every name settled in a shared scope.
    pub names: NamesLock,
    /// The feature of the models no operation reaches, when the spec has any.
    pub other_models: Option<String>,
    /// The channel operations of the service's notifications, when it has them.
    pub notifications: Option<Notifications>,
}

/// The operations a managed notification subscription calls, and the service's limits.
#[derive(Debug, Clone)]
pub struct Notifications {
    /// The group the operations belong to (`notifications`): module and accessor name.
    pub group: String,
    /// Its client type (`Notifications`).
    pub group_type: String,
    /// Its cargo feature.
    pub feature: String,
    /// The constant of the operation that creates a channel.
    pub create: String,
    /// The constant of the operation that sets a channel's topics.
    pub set_topics: String,
    /// The most topics one channel holds.
    pub topics_per_channel: u32,
    /// The most channels open at once.
    pub channels: u32,
}

/// An API group: a client type with one method per operation.
#[derive(Debug, Clone)]
pub struct Group {
    /// Spec id (`organization_authorization`); also the module and accessor name.
    pub id: String,
    /// Group client type (`OrganizationAuthorization`).
    pub type_name: String,
    /// Its test double's type (`AuthorizationDouble`), in the group module's namespace.
    pub double_type: String,
    /// The group's spec file.
    pub spec_file: PathBuf,
    /// The vendor SDK class.
    pub sdk_class: Option<String>,
    /// Its cargo feature (`genesys_cloud-authorization`).
    pub feature: String,
    /// Whether that feature is on by default.
    pub default_feature: bool,
    /// Description.
    pub description: String,
    /// Operations, in file order.
    pub operations: Vec<Operation>,
    /// Enums of parameters with allowed values, shared within the group.
    pub param_enums: Vec<Enum>,
    /// Notification topics, in file order.
    pub topics: Vec<Topic>,
}

/// A notification topic: a constructor filling in its template.
#[derive(Debug, Clone)]
pub struct Topic {
    /// The constructor's name (`presence`).
    pub ident: String,
    /// The template as the spec writes it (`v2.users.{user_id}.presence`).
    pub template: String,
    /// Its pieces: literal text (dots included) and parameters (Rust names), in order.
    pub segments: Vec<PathSegment>,
    /// The payload model's type.
    pub payload: RustType,
    /// Description.
    pub description: String,
    /// Why it is deprecated, if it is (no longer mapped).
    pub deprecated: Option<String>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name (`get_authorization_roles`).
    pub name: String,
    /// Request builder type (`GetAuthorizationRoles`).
    pub builder: String,
    /// Metadata constant (`GET_AUTHORIZATION_ROLES`).
    pub constant: String,
    /// The spec's name (`get_authorization_roles`), as tables and messages show it.
    pub spec_name: String,
    /// Name of its conformance test (`genesys_cloud_get_authorization_roles`).
    pub test_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: PathTemplate,
    /// One-line summary.
    pub summary: String,
    /// Longer description.
    pub description: String,
    /// Who may call it.
    pub requires: Requirement,
    /// Why it is deprecated, if it is.
    pub deprecated: Option<String>,
    /// Names older SDK generations gave it: `(spec name, Rust method name)`.
    pub legacy_names: Vec<(String, String)>,
    /// Documented error responses: `(status, description)`.
    pub errors: Vec<(u16, String)>,
    /// Vendor extensions, as written.
    pub extensions: Vec<(String, String)>,
    /// Every parameter, in spec order.
    pub parameters: Vec<Param>,
    /// Path parameters, in template order.
    pub path_params: Vec<Param>,
    /// Query parameters, in spec order.
    pub query_params: Vec<Param>,
    /// Header parameters, in spec order.
    pub header_params: Vec<Param>,
    /// What it sends as `Content-Type` and asks for in `Accept`, and whether the answer is text.
    pub media: Media,
    /// Request body.
    pub body: Option<Body>,
    /// Success type; `None` for an empty body.
    pub returns: Option<RustType>,
    /// How the operation pages, when its spec declares it.
    pub paging: Option<Paging>,
}

/// How an operation pages, as its spec declares it.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The item type (of the items field's list).
    pub item: RustType,
    /// The returned model's field holding the items.
    pub items: FieldRef,
    /// Rust name of the query parameter that moves to the next page.
    pub parameter: String,
    /// Its wire name.
    pub parameter_wire: String,
    /// How the next page is found and the last one told.
    pub style: PagingStyle,
}

/// How the next page is found.
#[derive(Debug, Clone)]
pub enum PagingStyle {
    /// Numbered pages; the last is the one `page_count` names, or the first empty one.
    PageNumber {
        /// The field counting the pages.
        page_count: Option<FieldRef>,
    },
    /// The next page's cursor is read from a field, through nested models.
    Cursor {
        /// The path from the page to the cursor.
        next: Vec<FieldRef>,
    },
    /// The next page's cursor is the paging parameter of a link (by its wire name, as the link
    /// carries it).
    NextUri {
        /// The field holding the link.
        next_uri: FieldRef,
    },
}

/// A field of a returned model, as generated code reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// Rust name.
    pub ident: String,
    /// Wire name.
    pub wire: String,
    /// Whether it is always present (not an `Option`).
    pub required: bool,
}

/// A resolved parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (`page_size`).
    pub ident: String,
    /// Wire name (`pageSize`).
    pub wire: String,
    /// Rust type of one value (for lists: of the element).
    pub ty: RustType,
    /// Whether it is a list (repeated key).
    pub list: bool,
    /// Where it travels.
    pub location: Location,
    /// Whether the caller must supply it.
    pub required: bool,
    /// Description.
    pub description: String,
    /// The value the server assumes when it is not sent, as written.
    pub default: Option<String>,
    /// The only values it accepts, where documented.
    pub values: Vec<String>,
}

/// A resolved request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: RustType,
    /// Whether the caller must send it.
    pub required: bool,
    /// Description.
    pub description: String,
}

/// A model: a struct.
#[derive(Debug, Clone)]
pub struct Model {
    /// Spec name.
    pub name: String,
    /// Rust type name.
    pub type_name: String,
    /// Module (file) name (`user_authorization`).
    pub module: String,
    /// The model's spec file.
    pub spec_file: PathBuf,
    /// Description.
    pub description: String,
    /// Fields, in spec order.
    pub fields: Vec<Field>,
    /// Which features compile it.
    pub gate: Gate,
    /// Whether it is the body of a `PATCH`, where the API reads a `null` field as "clear it":
    /// its optional fields can be sent as `null`, and decoding keeps a `null` apart from absent.
    pub nullable: bool,
}

impl Model {
    /// Whether every field is optional (the struct can derive `Default`).
    pub fn all_optional(&self) -> bool {
        self.fields.iter().all(|f| !f.required)
    }
}

/// A model field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub ident: String,
    /// Setter of an optional field (`with_name`).
    pub setter: String,
    /// Setter that sends an optional field of a nullable model as `null` (`with_null_name`);
    /// `None` where the name is another field's setter.
    pub null_setter: Option<String>,
    /// Rust type, before `Option` for optional fields.
    pub ty: RustType,
    /// Whether the field is always present.
    pub required: bool,
    /// Description.
    pub description: String,
}

/// A string enum with a fallback for unknown values.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust type name.
    pub type_name: String,
    /// `(wire value, variant name)` in spec order.
    pub variants: Vec<(String, String)>,
    /// Where it is used, for its doc comment: `Model.field` or `operation.param`.
    pub used_by: Vec<String>,
    /// Spec names of the models whose fields use it (empty for parameter enums).
    pub models: Vec<String>,
    /// Model (module) whose file holds it: the model of its field; `None` for parameter enums.
    pub owner: Option<String>,
    /// Which features compile it (those of its models; always `Service` for parameter enums,
    /// which live in their group's module).
    pub gate: Gate,
}

/// A resolved Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RustType {
    /// `String`
    String,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// RFC 3339 date-time.
    DateTime,
    /// Calendar date.
    Date,
    /// Free-form JSON.
    Json,
    /// `Vec<T>`
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`
    Map(Box<RustType>),
    /// A model (by Rust name); `boxed` when the reference closes a cycle.
    Model { name: String, boxed: bool },
    /// A generated enum (by Rust name).
    Enum(String),
}

impl RustType {
    fn scalar(s: Scalar) -> RustType {
        match s {
            Scalar::String => RustType::String,
            Scalar::Int32 => RustType::I32,
            Scalar::Int64 => RustType::I64,
            Scalar::Number => RustType::F64,
            Scalar::Boolean => RustType::Bool,
            Scalar::DateTime => RustType::DateTime,
            Scalar::Date => RustType::Date,
        }
    }

    /// The Rust type of a spec type; `models` gives each model's Rust name.
    fn resolve(t: &TypeExpr, models: &ModelNames) -> RustType {
        match t {
            TypeExpr::Scalar(s) => RustType::scalar(*s),
            TypeExpr::Object => RustType::Json,
            TypeExpr::List(t) => RustType::Vec(Box::new(RustType::resolve(t, models))),
            TypeExpr::Map(t) => RustType::Map(Box::new(RustType::resolve(t, models))),
            TypeExpr::Model(m) => RustType::Model {
                name: models.get(m),
                boxed: false,
            },
        }
    }

    /// Replaces the innermost string with an enum (for fields with enum values).
    fn with_enum(self, name: &str) -> RustType {
        match self {
            RustType::String => RustType::Enum(name.to_owned()),
            RustType::Vec(t) => RustType::Vec(Box::new(t.with_enum(name))),
            other => other,
        }
    }
}

/// A spec the IR cannot be built from: one the validator should have refused (a generator
/// bug), reported instead of guessed around.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message} (the validator should have refused it)")]
pub struct IrError {
    /// The spec file.
    pub file: PathBuf,
    /// What could not be resolved.
    pub message: String,
}

/// Builds the resolved model from a validated spec.
///
/// # Errors
///
/// A type expression or path template that does not parse: the spec was not validated.
pub fn build(spec: &Spec) -> Result<Api, IrError> {
    let types = Types::parse(spec)?;
    Ok(Api {
        services: spec
            .services
            .iter()
            .map(|s| build_service(spec, s, &types))
            .collect(),
    })
}

/// Every type expression and path template of the spec, parsed once.
struct Types {
    types: HashMap<String, TypeExpr>,
    paths: HashMap<String, PathTemplate>,
}

impl Types {
    fn parse(spec: &Spec) -> Result<Types, IrError> {
        let mut types = HashMap::new();
        let mut paths = HashMap::new();
        for s in &spec.services {
            let fields = s
                .models
                .iter()
                .flat_map(|m| m.value.fields.values().map(move |f| (&m.path, &f.ty)));
            let operations = s
                .groups
                .iter()
                .flat_map(|g| g.value.operations.iter().map(move |op| (&g.path, op)));
            let mut all: Vec<(&PathBuf, &String)> = fields.collect();
            for (file, op) in operations {
                let template = PathTemplate::parse(&op.path).map_err(|why| IrError {
                    file: file.clone(),
                    message: format!("path `{}` {why}", op.path),
                })?;
                paths.insert(op.path.clone(), template);
                all.extend(op.parameters.iter().map(|p| (file, &p.ty)));
                all.extend(op.body.iter().map(|b| (file, &b.ty)));
                all.extend(op.returns.iter().map(|r| (file, r)));
            }
            for g in &s.groups {
                all.extend(g.value.topics.iter().map(|t| (&g.path, &t.payload)));
            }
            for (file, ty) in all {
                if !types.contains_key(ty) {
                    let parsed = TypeExpr::parse(ty).map_err(|e| IrError {
                        file: file.clone(),
                        message: format!("type `{ty}`: {}", e.message),
                    })?;
                    types.insert(ty.clone(), parsed);
                }
            }
        }
        Ok(Types { types, paths })
    }

    /// The parsed form of a type expression of the spec (all were parsed up front).
    fn get(&self, ty: &str) -> TypeExpr {
        self.types.get(ty).cloned().unwrap_or(TypeExpr::Object)
    }

    /// The parsed form of a path template of the spec (all were parsed up front).
    fn path(&self, text: &str) -> PathTemplate {
        self.paths
            .get(text)
            .cloned()
            .unwrap_or_else(|| PathTemplate {
                text: text.to_owned(),
                segments: Vec::new(),
            })
    }
}

/// An enum's identity: the field (or parameter) name and its values.
type EnumKey = (String, Vec<String>);

/// Each model's Rust type name, by spec name (settled in the `models` scope of the ledger).
struct ModelNames(HashMap<String, String>);

impl ModelNames {
    fn get(&self, model: &str) -> String {
        self.0
            .get(model)
            .cloned()
            .unwrap_or_else(|| type_ident(model))
    }
}

/// The names ledger as read ([`NamesLock`]) and as it is written back.
struct Ledger<'a> {
    old: Option<&'a NamesLock>,
    new: NamesLock,
}

fn build_service(spec: &Spec, s: &ServiceFiles, types: &Types) -> Service {
    let parse = |ty: &str| types.get(ty);
    let def = &s.service.value;
    let boxed = boxed_edges(s, types);

    // Each model field with values has its own enum, named after its model and field
    // (`Group.state` is `GroupState`). Model names are claimed first, then enums; an enum whose
    // name is taken (the model `UserState` beside `User.state`) gets `Value`. The ledger keeps
    // each name once given: a model added later that wants an enum's name yields (`Model`).
    let mut ledger = Ledger {
        old: s.names.as_ref().map(|n| &n.value),
        new: NamesLock::default(),
    };
    let mut taken = Scope::new([], ledger.old.map(|l| &l.models));
    let model_names = ModelNames(
        s.models
            .iter()
            .map(|m| {
                (
                    m.value.name.clone(),
                    taken.claim(
                        format!("model {}", m.value.name),
                        type_ident(&m.value.name),
                        "Model",
                    ),
                )
            })
            .collect(),
    );
    let mut sorted: Vec<&format::ModelFile> = s.models.iter().map(|m| &m.value).collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut enum_of: HashMap<(String, String), String> = HashMap::new();
    let mut enums = Vec::new();
    for m in sorted {
        for (wire, f) in m.fields.iter().filter(|(_, f)| !f.values.is_empty()) {
            let natural = type_ident(&format!("{}{}", m.name, wire.to_upper_camel_case()));
            let name = taken.claim(format!("enum {}.{wire}", m.name), natural, "Value");
            enum_of.insert((m.name.clone(), wire.clone()), name.clone());
            let owner = module_name(&m.name);
            let mut e = make_enum(
                name,
                &f.values,
                vec![format!("{}.{wire}", model_names.get(&m.name))],
                Some(owner),
            );
            e.models = vec![m.name.clone()];
            enums.push(e);
        }
    }
    ledger.new.models = taken.into_claimed();
    enums.sort_by(|a, b| a.type_name.cmp(&b.type_name));

    let module = snake_ident(&def.service);
    let features: Vec<String> = s
        .groups
        .iter()
        .map(|g| group_feature(&module, &g.value.group))
        .collect();
    let other = gates::other_models_feature(&module);
    let (gates, needs_other) = gates::model_gates(s, &features, &other, parse);
    // Once generated, the feature stays (the ledger says so), even with no model left to gate.
    let keep_other = needs_other || ledger.old.is_some_and(|l| l.features.contains(&other));
    if keep_other {
        ledger.new.features.insert(other.clone());
    }
    for e in &mut enums {
        e.gate = Gate::union(e.models.iter().filter_map(|m| gates.get(m)));
    }
    let patch_bodies: std::collections::HashSet<String> = s
        .groups
        .iter()
        .flat_map(|g| &g.value.operations)
        .filter(|op| op.method == format::Method::Patch)
        .filter_map(|op| match parse(&op.body.as_ref()?.ty) {
            TypeExpr::Model(name) => Some(name),
            _ => None,
        })
        .collect();
    let mut models: Vec<Model> = s
        .models
        .iter()
        .map(|m| {
            let fields = m
                .value
                .fields
                .iter()
                .map(|(wire, f)| {
                    let mut ty = RustType::resolve(&parse(&f.ty), &model_names);
                    if let Some(e) = enum_of.get(&(m.value.name.clone(), wire.clone())) {
                        ty = ty.with_enum(e);
                    }
                    if let RustType::Model { boxed: b, .. } = &mut ty {
                        *b = boxed.contains(&(m.value.name.clone(), wire.clone()));
                    }
                    let ident = snake_ident(wire);
                    let setter = format!("with_{}", ident.trim_start_matches("r#"));
                    let description = match &f.undocumented_since {
                        Some(release) => format!(
                            "{}\n\nNo longer in the vendor's model reference since release {release}; kept so code written \
                             against it keeps compiling.",
                            f.description
                        )
                        .trim_start()
                        .to_owned(),
                        None => f.description.clone(),
                    };
                    let description = match &f.format {
                        Some(format) => {
                            format!("{description}\n\nSent and received as text in the {format} format.").trim_start().to_owned()
                        }
                        None => description,
                    };
                    Field { wire: wire.clone(), ident, setter, null_setter: None, ty, required: f.required, description }
                })
                .collect();
            let nullable = patch_bodies.contains(&m.value.name);
            let fields = if nullable { with_null_setters(fields) } else { fields };
            Model {
                name: m.value.name.clone(),
                type_name: model_names.get(&m.value.name),
                module: module_name(&m.value.name),
                spec_file: spec.display_path(&m.path),
                description: m.value.description.clone(),
                fields,
                gate: gates.get(&m.value.name).cloned().unwrap_or(Gate::Service),
                nullable,
            }
        })
        .collect();
    models.sort_by(|a, b| a.type_name.cmp(&b.type_name));

    // Paging reads the returned models' fields by their Rust names.
    let fields_of: HashMap<&str, &Model> =
        models.iter().map(|m| (m.type_name.as_str(), m)).collect();
    // An operation the vendor documents in several groups is generated in each; its tests are
    // told apart by group.
    let mut groups_of: HashMap<&str, usize> = HashMap::new();
    for op in s.groups.iter().flat_map(|g| &g.value.operations) {
        *groups_of.entry(op.name.as_str()).or_default() += 1;
    }
    let shared: std::collections::HashSet<&str> = groups_of
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name)
        .collect();
    let context = GroupContext {
        fields_of: &fields_of,
        models: &model_names,
        module: &module,
        shared: &shared,
        types,
    };
    let groups: Vec<Group> = s
        .groups
        .iter()
        .map(|g| build_group(spec, g, &context, &mut ledger))
        .collect();
    // Validation has checked that the group and both operations exist.
    let notifications = def.notifications.as_ref().and_then(|n| {
        let g = groups.iter().find(|g| g.id == n.group)?;
        let constant = |name: &str| {
            g.operations
                .iter()
                .find(|op| op.spec_name == name)
                .map(|op| op.constant.clone())
        };
        Some(Notifications {
            group: g.id.clone(),
            group_type: g.type_name.clone(),
            feature: g.feature.clone(),
            create: constant(&n.create_channel)?,
            set_topics: constant(&n.set_topics)?,
            topics_per_channel: n.topics_per_channel,
            channels: n.channels,
        })
    });
    let hosts = def
        .hosts
        .list
        .iter()
        .map(|h| Host {
            name: h.name.clone(),
            url: h.url.clone(),
            variant: type_ident(&h.name),
            default: h.name == def.hosts.default,
        })
        .collect();
    let auth = AuthScheme {
        correlation_header: def.errors.correlation_header.clone(),
        ..AuthScheme::from(&def.auth)
    };
    Service {
        id: def.service.clone(),
        module,
        spec_dir: spec.display_path(&s.dir),
        title: def.title.clone(),
        description: def.description.clone(),
        docs_url: def.docs_url.clone(),
        hosts,
        auth,
        error_model: model_names.get(&def.errors.body),
        other_models: keep_other.then_some(other),
        notifications,
        groups,
        models,
        enums,
        names: ledger.new,
    }
}

/// A snake_case module name that is never a keyword (`r#type` would be a poor file name).
pub fn module_name(name: &str) -> String {
    let s = snake_ident(name);
    match s.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => s,
    }
}

fn make_enum(
    type_name: String,
    values: &[String],
    used_by: Vec<String>,
    owner: Option<String>,
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
        models: Vec::new(),
        owner,
        gate: Gate::Service,
    }
}

/// The IR of a paging declaration; `None` only where validation has already reported it.
fn paging(
    p: &format::Paging,
    returns: Option<&RustType>,
    parameters: &[Param],
    models: &HashMap<&str, &Model>,
) -> Option<Paging> {
    let model_of = |ty: &RustType| match ty {
        RustType::Model { name, .. } => models.get(name.as_str()).copied(),
        _ => None,
    };
    let field = |m: &Model, wire: &str| m.fields.iter().find(|f| f.wire == wire).cloned();
    let field_ref = |f: &Field| FieldRef {
        ident: f.ident.clone(),
        wire: f.wire.clone(),
        required: f.required,
    };
    let model = model_of(returns?)?;
    let items = field(model, p.items())?;
    let RustType::Vec(item) = &items.ty else {
        return None;
    };
    let parameter = parameters
        .iter()
        .find(|q| q.location == Location::Query && q.wire == p.parameter())?;
    let style = match p {
        format::Paging::PageNumber { page_count, .. } => PagingStyle::PageNumber {
            page_count: match page_count {
                Some(wire) => Some(field_ref(&field(model, wire)?)),
                None => None,
            },
        },
        format::Paging::Cursor { next, .. } => {
            let mut path = Vec::new();
            let mut at = Some(model);
            for step in next.split('.') {
                let f = field(at?, step)?;
                at = model_of(&f.ty);
                path.push(field_ref(&f));
            }
            PagingStyle::Cursor { next: path }
        }
        format::Paging::NextUri { next_uri, .. } => PagingStyle::NextUri {
            next_uri: field_ref(&field(model, next_uri)?),
        },
    };
    Some(Paging {
        item: (**item).clone(),
        items: field_ref(&items),
        parameter: parameter.ident.clone(),
        parameter_wire: parameter.wire.clone(),
        style,
    })
}

/// What every group of a service is built with.
struct GroupContext<'a> {
    /// Paging reads the returned models' fields by their Rust names.
    fields_of: &'a HashMap<&'a str, &'a Model>,
    models: &'a ModelNames,
    module: &'a str,
    /// Operations the vendor documents in several groups.
    shared: &'a std::collections::HashSet<&'a str>,
    types: &'a Types,
}

fn build_group(
    spec: &Spec,
    g: &crate::spec::Parsed<format::GroupFile>,
    cx: &GroupContext<'_>,
    ledger: &mut Ledger<'_>,
) -> Group {
    let GroupContext {
        fields_of,
        models,
        module,
        shared,
        types,
    } = *cx;
    let parse = |ty: &str| types.get(ty);
    let def = &g.value;
    let recorded = ledger.old.and_then(|l| l.groups.get(&def.group));
    // The group module's items: the scaffolding it imports, the group client, one request
    // builder per operation, the group's test double (after the builders, so that adding it
    // renamed none), then the parameter enums; a clash takes a suffix, and the ledger keeps
    // every name once given.
    let mut items = Scope::new(GROUP_MODULE_IMPORTS.iter().copied(), recorded);
    let type_name = items.claim("api".into(), type_ident(&def.group), "Api");
    let builders: Vec<String> = def
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
    // The group client's methods: its constructor, then the operations, then legacy aliases
    // (the validator refuses two of one name, so each depends on its operation alone).
    let mut methods = Namespace::new(["new", "client"]);
    let method_names: Vec<String> = def
        .operations
        .iter()
        .map(|op| methods.claim(snake_ident(&op.name), "_op"))
        .collect();
    let legacy_methods: Vec<Vec<String>> = def
        .operations
        .iter()
        .map(|op| {
            op.legacy_names
                .iter()
                .map(|l| methods.claim(snake_ident(l), "_op"))
                .collect()
        })
        .collect();
    let (param_enums, enum_for) = param_enums(def, &mut items);
    ledger
        .new
        .groups
        .insert(def.group.clone(), items.into_claimed());

    let operations = def
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let resolve_param = |p: &format::Parameter| {
                let t = parse(&p.ty);
                let list = matches!(t, TypeExpr::List(_));
                let mut ty = RustType::resolve(t.item(), models);
                if let Some(e) = enum_for.get(&(op.name.clone(), p.name.clone())) {
                    ty = ty.with_enum(e);
                }
                Param {
                    ident: snake_ident(&p.name),
                    wire: p.wire_name.clone(),
                    ty,
                    list,
                    location: p.location.into(),
                    required: p.required,
                    description: p.description.clone(),
                    default: p.default.as_ref().map(ToString::to_string),
                    values: p.values.clone(),
                }
            };
            // The builder's fields and methods: its own, then one per parameter.
            let mut members = Namespace::new(BUILDER_MEMBERS.iter().copied());
            let parameters: Vec<Param> = op
                .parameters
                .iter()
                .map(resolve_param)
                .map(|mut p| {
                    p.ident = members.claim(p.ident, "_param");
                    p
                })
                .collect();
            let path = types.path(&op.path);
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
                    .collect::<Vec<_>>()
            };
            let query_params = located(Location::Query);
            let header_params = located(Location::Header);
            let returns = op
                .returns
                .as_deref()
                .map(|r| RustType::resolve(&parse(r), models));
            let paging = op
                .paging
                .as_ref()
                .and_then(|p| paging(p, returns.as_ref(), &parameters, fields_of));
            let name = method_names[i].clone();
            Operation {
                builder: builders[i].clone(),
                constant: name.trim_start_matches("r#").to_uppercase(),
                test_name: if shared.contains(op.name.as_str()) {
                    format!("{module}_{}_{}", def.group, name.trim_start_matches("r#"))
                } else {
                    format!("{module}_{}", name.trim_start_matches("r#"))
                },
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
                    .zip(legacy_methods[i].iter().cloned())
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
                parameters,
                path_params,
                query_params,
                header_params,
                media: Media::of(op),
                body: op.body.as_ref().map(|b| Body {
                    ty: RustType::resolve(&parse(&b.ty), models),
                    required: b.required,
                    description: b.description.clone(),
                }),
                returns,
                paging,
            }
        })
        .collect();
    Group {
        id: def.group.clone(),
        type_name,
        double_type,
        spec_file: spec.display_path(&g.path),
        sdk_class: def.sdk_class.clone(),
        feature: group_feature(module, &def.group),
        default_feature: def.default_feature,
        description: def.description.clone(),
        operations,
        param_enums,
        topics: def
            .topics
            .iter()
            .map(|t| topic(t, &parse(&t.payload), models))
            .collect(),
    }
}

fn topic(t: &format::Topic, payload: &TypeExpr, models: &ModelNames) -> Topic {
    let mut segments = Vec::new();
    let mut literal = String::new();
    for (i, part) in t.topic.split('.').enumerate() {
        if i > 0 {
            literal.push('.');
        }
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(param) => {
                segments.push(PathSegment::Literal(std::mem::take(&mut literal)));
                segments.push(PathSegment::Param(snake_ident(param)));
            }
            None => literal.push_str(part),
        }
    }
    if !literal.is_empty() {
        segments.push(PathSegment::Literal(literal));
    }
    segments.retain(|s| !matches!(s, PathSegment::Literal(l) if l.is_empty()));
    Topic {
        ident: snake_ident(&t.name),
        template: t.topic.clone(),
        segments,
        payload: RustType::resolve(payload, models),
        description: t.description.clone(),
        deprecated: t
            .undocumented_since
            .as_ref()
            .map(|r| format!("no longer in the vendor's notification mappings since release {r}")),
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
fn param_enums(
    def: &format::GroupFile,
    items: &mut Scope,
) -> (Vec<Enum>, HashMap<(String, String), String>) {
    let uses: Vec<(&format::Operation, &format::Parameter)> = def
        .operations
        .iter()
        .flat_map(|op| {
            op.parameters
                .iter()
                .filter(|p| !p.values.is_empty())
                .map(move |p| (op, p))
        })
        .collect();
    let key =
        |op: &format::Operation, p: &format::Parameter| format!("enum {}.{}", op.name, p.name);
    let mut by_name: BTreeMap<String, ParamEnum> = BTreeMap::new();
    let mut enum_for: HashMap<(String, String), String> = HashMap::new();
    for (op, p) in &uses {
        let Some(name) = items.recorded(&key(op, p)).map(str::to_owned) else {
            continue;
        };
        let e = by_name
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
        items.share(key(op, p), &name);
        enum_for.insert((op.name.clone(), p.name.clone()), name);
    }
    let mut fresh: BTreeMap<EnumKey, Vec<(&format::Operation, &format::Parameter)>> =
        BTreeMap::new();
    for (op, p) in &uses {
        if enum_for.contains_key(&(op.name.clone(), p.name.clone())) {
            continue;
        }
        match by_name
            .iter_mut()
            .find(|(_, e)| e.0 == p.name && e.1 == p.values)
        {
            Some((name, e)) => {
                e.2.push(format!("{}.{}", op.name, p.name));
                items.share(key(op, p), name);
                enum_for.insert((op.name.clone(), p.name.clone()), name.clone());
            }
            None => fresh
                .entry((p.name.clone(), p.values.clone()))
                .or_default()
                .push((op, p)),
        }
    }
    // Two parameters of the same name with different values need distinct names.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for param in by_name
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
        let name = items.claim(key(first_op, first), natural, "Value");
        for (op, p) in &params {
            items.share(key(op, p), &name);
            enum_for.insert((op.name.clone(), p.name.clone()), name.clone());
        }
        let used_by = params
            .iter()
            .map(|(op, p)| format!("{}.{}", op.name, p.name))
            .collect();
        by_name.insert(name, (param, values, used_by));
    }
    let mut list: Vec<(String, ParamEnum)> = by_name.into_iter().collect();
    list.sort_by(|a, b| (&a.1.0, &a.1.1, &a.0).cmp(&(&b.1.0, &b.1.1, &b.0)));
    let enums = list
        .into_iter()
        .map(|(name, (_, values, used_by))| make_enum(name, &values, used_by, None))
        .collect();
    (enums, enum_for)
}

/// The cargo feature of a group: the service's module, a dash, the group (`genesys_cloud-authorization`).
/// Snake-case names hold no dash, so the pair is unambiguous.
pub fn group_feature(module: &str, group: &str) -> String {
    format!(
        "{}-{}",
        module.trim_start_matches("r#"),
        snake_ident(group).trim_start_matches("r#")
    )
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

/// `(model, field)` pairs whose direct model reference must be boxed: those that close a cycle
/// of direct (not list or map) references. Computed with Tarjan's SCC algorithm, linear in the
/// number of models and fields: an edge needs a box exactly when both ends are in one component.
fn boxed_edges(s: &ServiceFiles, types: &Types) -> std::collections::HashSet<(String, String)> {
    let names: Vec<&str> = s.models.iter().map(|m| m.value.name.as_str()).collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<(usize, &str)>> = s
        .models
        .iter()
        .map(|m| {
            m.value
                .fields
                .iter()
                .filter_map(|(wire, f)| match types.get(&f.ty) {
                    TypeExpr::Model(target) => {
                        index.get(target.as_str()).map(|t| (*t, wire.as_str()))
                    }
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = tarjan(&edges);
    let mut out = std::collections::HashSet::new();
    for (from, list) in edges.iter().enumerate() {
        for (to, wire) in list {
            if component[from] == component[*to] {
                out.insert((names[from].to_owned(), (*wire).to_owned()));
            }
        }
    }
    out
}

/// Strongly connected components (iterative Tarjan); returns each node's component id.
fn tarjan(edges: &[Vec<(usize, &str)>]) -> Vec<usize> {
    let n = edges.len();
    let (mut index, mut low, mut comp) = (vec![usize::MAX; n], vec![0; n], vec![usize::MAX; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next, mut next_comp) = (0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = call.last_mut() {
            if let Some(&(w, _)) = edges[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

/// Names the `null` setter of each optional field (`with_null_name`), unless a field's own
/// setter already has that name (fields `name` and `null_name`): decided here, before any code
/// is emitted, so that no two methods of a model collide.
fn with_null_setters(mut fields: Vec<Field>) -> Vec<Field> {
    let setters: std::collections::HashSet<String> =
        fields.iter().map(|f| f.setter.clone()).collect();
    for f in fields.iter_mut().filter(|f| !f.required) {
        let name = format!("with_null_{}", f.ident.trim_start_matches("r#"));
        f.null_setter = (!setters.contains(&name)).then_some(name);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_setters_are_named_for_optional_fields_unless_taken() {
        let field = |wire: &str, required: bool| {
            let ident = snake_ident(wire);
            let setter = format!("with_{}", ident.trim_start_matches("r#"));
            Field {
                wire: wire.into(),
                ident,
                setter,
                null_setter: None,
                ty: RustType::String,
                required,
                description: String::new(),
            }
        };
        // `nullName`'s own setter is `with_null_name`: `name` gets no null setter rather than a clash.
        let fields = with_null_setters(vec![
            field("id", true),
            field("name", false),
            field("nullName", false),
            field("type", false),
        ]);
        let setters: Vec<_> = fields.iter().map(|f| f.null_setter.as_deref()).collect();
        assert_eq!(
            setters,
            [
                None,
                None,
                Some("with_null_null_name"),
                Some("with_null_type")
            ]
        );
    }

    #[test]
    fn tarjan_finds_cycles_and_self_loops() {
        // 0 -> 1 -> 0 (cycle), 2 -> 2 (self loop), 3 -> 0 (not in a cycle).
        let edges = vec![
            vec![(1, "a")],
            vec![(0, "b")],
            vec![(2, "c")],
            vec![(0, "d")],
        ];
        let c = tarjan(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[2], c[0]);
        assert_ne!(c[3], c[0]);
    }
}
