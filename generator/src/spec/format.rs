//! The spec file format: what a YAML file under `spec/` may contain.
//!
//! These types are the single source of truth for the format. Serde reads the
//! YAML into them (unknown keys are rejected), and `schemars` derives the JSON
//! Schema in `spec/schema/` from them, so editors validate what the loader
//! accepts and nothing else.
//!
//! Three kinds of file live in a service folder (`spec/<service>/`):
//! `service.yaml` ([`ServiceFile`]), `groups/<group>.yaml` ([`GroupFile`]) and
//! `models/<Model>.yaml` ([`ModelFile`]). Type expressions (`list<DomainRole>`)
//! are kept as strings here and parsed by [`super::types`], so a malformed one
//! is reported with its position like every other semantic error.
//!
//! Size: declarations only (types, fields, their documentation, which the JSON Schemas carry
//! to editors), no logic; one file reads as the format's reference, which spec/README.md
//! points to, as a schema would.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `spec/<service>/service.yaml`: the facts that hold for every operation of one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Service identifier, kebab-case, equal to the folder name (`genesys-cloud`).
    /// It becomes the Rust module (`genesys_cloud`) and cargo feature of the generated crate.
    pub service: String,
    /// Human-readable name of the API.
    pub title: String,
    /// What the API is; becomes the module's doc comment.
    pub description: String,
    /// Where the vendor publishes the documentation this spec transcribes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// The hosts the API is served from.
    pub hosts: Hosts,
    /// How a caller obtains an access token and how the token travels.
    pub auth: Auth,
    /// Which kind of authorization requirement the service's operations state.
    pub authorization: AuthorizationKind,
    /// The payload and headers of an error response.
    pub errors: ErrorModel,
    /// The service's notifications, where it has them: which operations manage its channels.
    /// With it, the client gains a managed subscription (cargo feature `notifications`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Notifications>,
}

/// How a service's notification channels are managed: a channel is created with one
/// operation, its topics are set with another, and its events arrive on the WebSocket the
/// channel names (`connectUri`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notifications {
    /// The group both operations belong to (`notifications`): its feature is needed too.
    pub group: String,
    /// The operation that creates a channel: `POST`, no parameters, answering
    /// `{id, connectUri, expires}` (`post_notifications_channels`).
    pub create_channel: String,
    /// The operation that replaces a channel's topics: `PUT`, the channel's id its one path
    /// parameter, a list of `{id}` as its body (`put_notifications_channel_subscriptions`).
    pub set_topics: String,
    /// The most topics one channel holds (Genesys Cloud: 1,000).
    pub topics_per_channel: u32,
    /// The most channels open at once (Genesys Cloud: 20 per user and application).
    pub channels: u32,
}

/// The hosts (regions) an API is served from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hosts {
    /// Name of the host used when the caller does not choose one.
    pub default: String,
    /// Every documented host, in the order the documentation lists them.
    pub list: Vec<Host>,
}

/// One host (region) of an API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Region or environment name (`us-east-1`, `production`).
    pub name: String,
    /// Base URL of the API on this host, scheme included, no trailing slash.
    pub url: String,
}

/// Authentication as data: the token flows and the header the token travels in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The request header that carries the access token.
    pub token_header: TokenHeader,
    /// The documented ways to obtain an access token.
    pub flows: Vec<AuthFlow>,
}

/// The request header that carries the access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenHeader {
    /// Header name (`Authorization`, `csp-auth-token`).
    pub name: String,
    /// Text sent before the token (`"Bearer "`); empty when the token is sent bare.
    #[serde(default)]
    pub prefix: String,
}

/// One way to obtain an access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthFlow {
    /// What the flow exchanges for a token.
    pub grant: Grant,
    /// What the flow is for and when to use it.
    pub description: String,
    /// Token endpoint. `{host}` stands for the API host's name (`api.mypurecloud.com`).
    pub token_url: String,
    /// A rewrite of the API host's name before it is put into `token_url`
    /// (Genesys: `api.` becomes `login.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_rewrite: Option<HostRewrite>,
    /// How the client identifies itself to the token endpoint.
    pub client_authentication: ClientAuthentication,
    /// Fixed form fields of the token request (`grant_type: client_credentials`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub form: IndexMap<String, String>,
    /// The form field that carries the caller's secret, where the secret is sent in the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_form_field: Option<String>,
    /// Where a user signs in and consents (`authorization_code` and `pkce` only), on the same
    /// `{host}` as `token_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// Form fields of the service's own that the caller supplies, beyond the grant's standard
    /// ones: argument name (snake_case) to form field (Genesys SAML2 bearer: `org_name: orgName`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, String>,
}

/// What a token flow exchanges for an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// OAuth client credentials (client id and secret).
    ClientCredentials,
    /// A long-lived API token (a refresh token) exchanged for an access token.
    ApiToken,
    /// A user's authorization code, exchanged by a confidential client (id and secret).
    AuthorizationCode,
    /// A user's authorization code, exchanged by a public client with its PKCE verifier.
    Pkce,
    /// A refresh token exchanged for new tokens (`refresh_token`, RFC 6749 section 6).
    RefreshToken,
    /// A SAML2 assertion exchanged for a user's tokens.
    Saml2Bearer,
}

/// How a client authenticates to a token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthentication {
    /// HTTP Basic with client id and secret.
    Basic,
    /// No client authentication; the secret travels in the form.
    None,
}

/// Rewrites the start of the API host's name: `from` is replaced by `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostRewrite {
    /// The prefix the API host starts with (`api.`).
    pub from: String,
    /// What replaces it (`login.`).
    pub to: String,
}

/// Which kind of authorization requirement a service's operations state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationKind {
    /// Permission strings (Genesys): `requires: {any: […]}`, `{all: […]}` or `none`.
    Permissions,
    /// Access policies (CSP): `requires: {access_policy: {…}}`.
    AccessPolicy,
}

/// What an error response looks like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorModel {
    /// The model of the JSON error payload.
    pub body: String,
    /// Response header carrying the request's correlation id, where the service sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_header: Option<String>,
}

/// `spec/<service>/groups/<group>.yaml`: one API group and its operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// Group identifier, snake_case (`organization_authorization`); the client accessor's name.
    pub group: String,
    /// The vendor SDK's class for this group (`OrganizationAuthorizationApi`);
    /// documentation pages are matched to the group by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_class: Option<String>,
    /// What the group covers; becomes the group client's doc comment.
    pub description: String,
    /// Whether the group's cargo feature is on by default (the crate's first purpose).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default_feature: bool,
    /// The documentation release the group was last imported from (`249.0.0`), written by
    /// `cargo xtask import`. `docs-check` checks pages of this release or newer strictly, and
    /// older pages (or pages that name no release) only for what the spec lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_release: Option<String>,
    /// The group's operations.
    pub operations: Vec<Operation>,
    /// The notification topics of the group's area (`v2.users.{user_id}.presence`), each with
    /// the model its events carry: a typed constructor each, behind the group's feature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
}

/// A notification topic: a template the client fills in to subscribe, and the model of its
/// events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// The constructor's name, snake_case (`presence`), unique in the group.
    pub name: String,
    /// The template: dot-separated segments starting `v2.`; a `{name}` segment is a parameter
    /// (snake_case, the constructor's argument), filled in by the caller.
    pub topic: String,
    /// The model each event's body decodes as.
    pub payload: String,
    /// What the events report, where documented.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Set (to the release) when the vendor's mapping stopped listing the topic; it stays,
    /// generated `#[deprecated]`, so code written against it keeps compiling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undocumented_since: Option<String>,
}

impl Topic {
    /// The template's parameters, in order.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.topic
            .split('.')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }
}

/// HTTP method of an operation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
}

impl Method {
    /// Every method the spec supports.
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    /// The method written `text` on the wire (`GET`), if the spec supports it.
    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The method as it is written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One documented operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The SDK's method name, snake_case (`get_authorization_roles`).
    pub name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template; `{name}` placeholders are path parameters' wire names.
    pub path: String,
    /// One-line summary.
    pub summary: String,
    /// Longer description, where the documentation gives more than the summary.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who may call the operation. Absent means the documentation does not say;
    /// `none` means it says no permission is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<Requirement>,
    /// Permissions older documentation listed for a `requires: any` that the current one no
    /// longer does; they still satisfy the requirement, so code that checks them keeps working.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legacy_permissions: Vec<String>,
    /// Path, query and header parameters, in the SDK's argument order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Request body, if the operation takes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Type of the success response's body (a type expression); absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// Documented error responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorResponse>,
    /// Media types of the request body, preferred first: the client sends the first as
    /// `Content-Type`. Only an operation with a body has any but the default.
    #[serde(default = "json_media", skip_serializing_if = "is_json_media")]
    pub consumes: Vec<String>,
    /// Media types of the response body: the client asks for all of them in `Accept`. When
    /// none is JSON (`application/json` or `…+json`), the response is text and `returns` is
    /// `string`.
    #[serde(default = "json_media", skip_serializing_if = "is_json_media")]
    pub produces: Vec<String>,
    /// Set when the vendor marks the operation deprecated; the text says what to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Names the same operation (same method and path) had in older SDK generations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legacy_names: Vec<String>,
    /// Vendor extensions documented on the operation (`x-slo-tier: TIER2`), kept verbatim.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: IndexMap<String, String>,
    /// Whether the vendor documents the operation as a preview (subject to change without notice).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
    /// Set (to the release) when the vendor's documentation stopped listing the operation; the
    /// operation stays, generated `#[deprecated]`, so code written against it keeps compiling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undocumented_since: Option<String>,
    /// A maintainer's note the documentation does not carry; shown in the generated docs and
    /// never touched by `import`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// How the operation's listing pages, when it does: the client generates a paginator for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

/// How a listing operation pages, as its documentation shows it: which query parameter moves to
/// the next page, which field of the returned model holds the items, and how the last page is
/// told. Field names are the returned model's wire names; `next` may be a dotted path into a
/// nested model (`cursors.after`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum Paging {
    /// Numbered pages (`pageNumber`, from 1). The last page is the one `page_count` names, or
    /// the first empty one when the listing has no page count.
    PageNumber {
        /// The query parameter that numbers pages (an `int32`).
        parameter: String,
        /// The list field holding one page's items.
        items: String,
        /// The field counting the pages, when the listing has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_count: Option<String>,
    },
    /// An opaque cursor: the field `next` of one page is sent as `parameter` for the next; the
    /// last page has none.
    Cursor {
        /// The query parameter that takes the cursor (a `string`).
        parameter: String,
        /// The field (or dotted path) holding the next page's cursor.
        next: String,
        /// The list field holding one page's items.
        items: String,
    },
    /// A link to the next page (`nextUri`): the client reads `parameter` from the link's query
    /// and sends the same operation again with it, so it never follows a link to another host
    /// or path. The last page has no link.
    NextUri {
        /// The query parameter the link changes (a `string`).
        parameter: String,
        /// The field holding the link.
        next_uri: String,
        /// The list field holding one page's items.
        items: String,
    },
}

impl Paging {
    /// The query parameter that moves to the next page.
    pub fn parameter(&self) -> &str {
        match self {
            Paging::PageNumber { parameter, .. }
            | Paging::Cursor { parameter, .. }
            | Paging::NextUri { parameter, .. } => parameter,
        }
    }

    /// The list field holding one page's items.
    pub fn items(&self) -> &str {
        match self {
            Paging::PageNumber { items, .. }
            | Paging::Cursor { items, .. }
            | Paging::NextUri { items, .. } => items,
        }
    }
}

fn json_media() -> Vec<String> {
    vec!["application/json".to_owned()]
}

fn is_json_media(v: &[String]) -> bool {
    v.len() == 1 && v[0] == "application/json"
}

/// Who may call an operation.
///
/// Written `requires: none`, `requires: {any: [...]}`, `requires: {all: [...]}` or
/// `requires: {access_policy: {...}}`. Deserialized by hand because `serde_yaml`
/// reads enums from YAML tags (`!any`), which reviewers should not have to know.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// The caller needs at least one of these permissions ("Requires ANY permissions").
    Any(Vec<String>),
    /// The caller needs every one of these permissions ("Requires ALL permissions").
    All(Vec<String>),
    /// The documentation states that no permission is required ("Requires NO permissions").
    None,
    /// An access policy: roles and the kinds of account that may call (CSP).
    AccessPolicy(AccessPolicy),
}

impl Requirement {
    /// Whether other permissions can be alternatives to it (`legacy_permissions`): an `any`, or
    /// an `all` of one permission, which means the same.
    pub fn widens(&self) -> bool {
        match self {
            Requirement::Any(_) => true,
            Requirement::All(list) => list.len() == 1,
            Requirement::None | Requirement::AccessPolicy(_) => false,
        }
    }
}

/// Written as it is read: `none`, or a map with one key (YAML tags would not read back).
impl Serialize for Requirement {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = match self {
            Requirement::None => return s.serialize_str("none"),
            _ => s.serialize_map(Some(1))?,
        };
        match self {
            Requirement::Any(l) => map.serialize_entry("any", l)?,
            Requirement::All(l) => map.serialize_entry("all", l)?,
            Requirement::AccessPolicy(p) => map.serialize_entry("access_policy", p)?,
            Requirement::None => {}
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Requirement {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        const KINDS: &[&str] = &["any", "all", "none", "access_policy"];

        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Requirement;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`none` or a map with one key: `any`, `all` or `access_policy`")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Requirement, E> {
                match v {
                    "none" => Ok(Requirement::None),
                    other => Err(E::unknown_variant(other, KINDS)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Requirement, A::Error> {
                let key: String = map
                    .next_key()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let value = match key.as_str() {
                    "any" => Requirement::Any(map.next_value()?),
                    "all" => Requirement::All(map.next_value()?),
                    "access_policy" => Requirement::AccessPolicy(map.next_value()?),
                    other => return Err(A::Error::unknown_variant(other, KINDS)),
                };
                if map.next_key::<String>()?.is_some() {
                    return Err(A::Error::custom(
                        "a requirement has exactly one key: `any`, `all` or `access_policy`",
                    ));
                }
                Ok(value)
            }
        }
        d.deserialize_any(V)
    }
}

/// An access policy (CSP): which roles may call, and from which kinds of account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessPolicy {
    /// Roles that grant access; holding any one of them suffices.
    pub roles: Vec<PolicyRole>,
    /// Whether user accounts may call.
    pub user_accounts: bool,
    /// Whether service accounts (client-credentials applications) may call.
    pub service_accounts: bool,
}

/// A role named by an access policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRole {
    /// The role's identifier on the wire (`org_owner`).
    pub id: String,
    /// The role's display name (`Organization Owner`).
    pub name: String,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A `{placeholder}` of the path template; always required.
    Path,
    /// The query string.
    Query,
    /// A request header; the wire name is the header's name (`If-Match`). Never required by
    /// the client's own headers: `Accept`, `Content-Type` and the token header are the
    /// operation's and the service's.
    Header,
}

impl Location {
    /// Where it goes, in a sentence: "sent in the {words}" (`path`, `query`, `headers`).
    pub fn words(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "headers",
        }
    }
}

/// How an array query parameter is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrayEncoding {
    /// The key is repeated for every element: `?id=a&id=b`.
    Repeated,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The SDK's parameter name, snake_case (`page_size`); the Rust argument or builder method.
    pub name: String,
    /// The name on the wire, exactly (`pageSize`, `preserveIdleTTL`); for a path parameter, its
    /// placeholder in the path; for a header, the header's name (`If-Match`).
    pub wire_name: String,
    /// Where the parameter travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// Type expression: `string`, `int32`, `int64`, `boolean`, or `list<…>` of those.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the caller must supply the parameter. Path parameters always must.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The value the server assumes when the parameter is not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    /// The only values the parameter accepts, where the documentation restricts them.
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// What the parameter means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Encoding of an array-typed query parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub array_encoding: Option<ArrayEncoding>,
}

/// A scalar YAML value (a parameter default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fractional part.
    Float(f64),
    /// A string.
    String(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::String(s) => f.write_str(s),
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Type expression of the body (`DomainOrganizationRole`, `list<string>`).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the caller must send a body.
    pub required: bool,
    /// What the body carries.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A documented error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorResponse {
    /// HTTP status code.
    pub status: u16,
    /// What the status means for this operation.
    pub description: String,
    /// Model of the error payload; the service's error model when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// `spec/<service>/models/<Model>.yaml`: one model (a JSON object type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// The model's name, UpperCamelCase, equal to the file's stem; the Rust type's name.
    pub name: String,
    /// What the model represents; becomes the type's doc comment.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Fields keyed by their wire (JSON) name, in documentation order. May be empty.
    #[serde(default)]
    pub fields: IndexMap<String, Field>,
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression: `string`, `int32`, `int64`, `number`, `boolean`, `date-time`, `date`,
    /// `object` (free-form JSON), `list<T>`, `map<T>` (string keys) or a model's name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the field is always present.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// What the field holds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The documented values of a string field (or of the strings in a `list<string>`).
    /// The server may add values later; generated code keeps unknown ones.
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The documented text format of a string field (or of the strings in a `list<string>`),
    /// such as `year-month` (`2026-01`) or `local-date-time`: the vendor's SDKs parse these
    /// into types of their own, the wire carries text. Said in the field's docs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Set (to the release) when the model reference stopped listing the field; it stays, so
    /// code written against it keeps compiling, and its docs say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undocumented_since: Option<String>,
}
