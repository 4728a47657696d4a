//! The resolved model of the API: what the emitters read.
//!
//! Built once from a validated [`Spec`] by [`build`]: every Rust name is chosen here (via
//! [`crate::naming`]), every type expression is resolved to a [`RustType`], recursive model
//! references are boxed, and enums with the same values are shared; methods, locations, path
//! templates, requirements, hosts and auth flows are decided into the types of [`http`].
//! Emitters import nothing from the spec format and never invent names.
//!
//! Models, enums and fields refer to each other by typed indices ([`ModelId`], [`EnumId`],
//! [`FieldRef`]) resolved once, by the resolver in [`resolve`]: a reference that does not
//! resolve is an [`IrError`] naming the spec file, never a guess. Emitters follow an index
//! ([`Service::model`], [`Service::field`], [`Service::enum_of`]) and never look a name up.
//!
//! Where the building lives: [`resolve`] (parsed types and paths, model ids), `service`
//! (models, their enums, the service), `group` (groups, operations, topics), `enums`
//! (parameter enums), `paging`, `cycles` (which references are boxed), [`gates`] (features).

mod cycles;
mod enums;
mod gates;
mod group;
mod http;
mod paging;
mod resolve;
mod service;

use std::path::PathBuf;

pub use self::gates::Gate;
pub(crate) use self::group::{deprecation, requirement};
pub use self::http::{
    AccessPolicy, AuthScheme, ClientAuthentication, Grant, Host, Location, Media, Method,
    Requirement, TokenFlow,
};
use crate::names_lock::NamesLock;
pub use crate::naming::Ident;
use crate::naming::snake_ident;
use crate::spec::Spec;
pub use crate::spec::types::{PathSegment, PathTemplate};

/// The variant of every string enum that holds a value the client does not know.
pub const FALLBACK_VARIANT: &str = "Unknown";

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
    /// Module and feature name (`genesys_cloud`), never a keyword; every group feature
    /// enables it.
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
    /// Models, sorted by Rust name; [`ModelId`] indexes it.
    pub models: Vec<Model>,
    /// Enums of model fields, sorted by Rust name; [`EnumId::Model`] indexes it.
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

impl Service {
    /// The model `id` refers to.
    pub fn model(&self, id: ModelId) -> &Model {
        &self.models[id.0]
    }

    /// The field `r` refers to.
    pub fn field(&self, r: &FieldRef) -> &Field {
        &self.model(r.model).fields[r.field]
    }

    /// The enum `id` refers to; a parameter enum is one of `group`'s.
    pub fn enum_of<'a>(&'a self, id: EnumId, group: &'a [Enum]) -> &'a Enum {
        match id {
            EnumId::Model(i) => &self.enums[i],
            EnumId::Param(i) => &group[i],
        }
    }
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
    /// Enums of parameters with allowed values, shared within the group; [`EnumId::Param`]
    /// indexes it.
    pub param_enums: Vec<Enum>,
    /// Notification topics, in file order.
    pub topics: Vec<Topic>,
}

/// A notification topic: a constructor filling in its template.
#[derive(Debug, Clone)]
pub struct Topic {
    /// The constructor's name (`presence`).
    pub ident: Ident,
    /// The template as the spec writes it (`v2.users.{user_id}.presence`).
    pub template: String,
    /// Its pieces: literal text (dots included) and parameters, in order.
    pub segments: Vec<TopicSegment>,
    /// The payload model's type.
    pub payload: RustType,
    /// Description.
    pub description: String,
    /// Why it is deprecated, if it is (no longer mapped).
    pub deprecated: Option<String>,
}

/// A piece of a topic's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicSegment {
    /// Text sent as is.
    Literal(String),
    /// A parameter of the constructor.
    Param(Ident),
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name (`get_authorization_roles`).
    pub name: Ident,
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
    pub legacy_names: Vec<(String, Ident)>,
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
    pub parameter: Ident,
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

/// A reference to a model: its index in [`Service::models`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(pub(crate) usize);

/// A reference to an enum: of a model field (in [`Service::enums`]) or of parameters (in its
/// group's [`Group::param_enums`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EnumId {
    /// The enum of a model field.
    Model(usize),
    /// An enum of the group's parameters.
    Param(usize),
}

/// A reference to a model's field (see [`Service::field`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRef {
    /// The model.
    pub model: ModelId,
    /// The field's index in [`Model::fields`].
    pub field: usize,
}

/// A resolved parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (`page_size`).
    pub ident: Ident,
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
    pub ident: Ident,
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
    /// The model whose file holds it: the model of its field; `None` for parameter enums.
    pub owner: Option<ModelId>,
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
    /// A model; `boxed` when the reference closes a cycle.
    Model(ModelRef),
    /// A generated enum.
    Enum(EnumRef),
}

/// A model as a type: the reference and the Rust name it resolved to, fixed together.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelRef {
    /// The model.
    pub id: ModelId,
    /// Its Rust type name, as code names the type.
    pub name: String,
    /// Whether the reference closes a cycle of direct references (and so is a `Box`).
    pub boxed: bool,
}

/// An enum as a type: the reference and the Rust name it resolved to, fixed together.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumRef {
    /// The enum.
    pub id: EnumId,
    /// Its Rust type name, as code names the type.
    pub name: String,
}

/// A spec the IR cannot be built from: a reference that does not resolve, or a type or path the
/// validator should have refused (a generator bug), reported instead of guessed around.
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
/// A type expression or path template that does not parse, or a reference that does not
/// resolve: the spec was not validated.
pub fn build(spec: &Spec) -> Result<Api, IrError> {
    let types = resolve::Types::parse(spec)?;
    let services = spec
        .services
        .iter()
        .map(|s| service::build(spec, s, &types))
        .collect::<Result<_, _>>()?;
    Ok(Api { services })
}

/// A snake_case module name that is never a keyword (`r#type` would be a poor file name).
pub fn module_name(name: &str) -> String {
    let s = snake_ident(name);
    if s.is_raw() {
        format!("{}_", s.word())
    } else {
        s.to_string()
    }
}

/// The cargo feature of a group: the service's module, a dash, the group (`genesys_cloud-authorization`).
/// Snake-case names hold no dash, so the pair is unambiguous.
pub fn group_feature(module: &str, group: &str) -> String {
    format!("{module}-{}", snake_ident(group).word())
}
