//! The resolved HTTP side of the API: methods, parameter locations, path templates, who may
//! call, hosts and auth schemes. Decided once from the spec; every `match` on these is
//! exhaustive, so a new kind (a header parameter, a grant) is a compile error in every stage
//! until it is handled.

use crate::spec::format;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// As written on the wire (`GET`).
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

    /// The runtime's variant name (`Get`).
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
            Method::Head => "Head",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<format::Method> for Method {
    fn from(m: format::Method) -> Method {
        match m {
            format::Method::Get => Method::Get,
            format::Method::Post => Method::Post,
            format::Method::Put => Method::Put,
            format::Method::Patch => Method::Patch,
            format::Method::Delete => Method::Delete,
            format::Method::Head => Method::Head,
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A placeholder of the path template.
    Path,
    /// The query string.
    Query,
    /// A request header, named by the wire name.
    Header,
}

impl From<format::Location> for Location {
    fn from(l: format::Location) -> Location {
        match l {
            format::Location::Path => Location::Path,
            format::Location::Query => Location::Query,
            format::Location::Header => Location::Header,
        }
    }
}

/// The media types an operation speaks, decided from its spec's `consumes` and `produces`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// The `Accept` header: every media type the response may have, preferred first.
    pub accept: String,
    /// The `Content-Type` of the body (the first of `consumes`); `None` without a body.
    pub content_type: Option<String>,
    /// Whether the response is text (no JSON media type among `produces`): returned as a
    /// `String` as it arrives, not decoded as JSON.
    pub text: bool,
}

impl Media {
    /// The media of `op`.
    pub fn of(op: &format::Operation) -> Media {
        Media {
            accept: op.produces.join(", "),
            content_type: op.body.as_ref().and_then(|_| op.consumes.first().cloned()),
            text: !op
                .produces
                .iter()
                .any(|m| crate::spec::validate::is_json_media(m)),
        }
    }

    /// Whether it is what an operation speaks when its spec says nothing: JSON both ways.
    pub fn is_json_default(&self) -> bool {
        self.accept == "application/json"
            && self
                .content_type
                .as_deref()
                .is_none_or(|c| c == "application/json")
    }
}

/// Who may call an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// The documentation does not say.
    Undocumented,
    /// No permission is needed.
    None,
    /// Any one of these permissions.
    Any(Vec<String>),
    /// All of these permissions.
    All(Vec<String>),
    /// An access policy (CSP).
    AccessPolicy(AccessPolicy),
}

/// Roles that may call, and from which kinds of account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPolicy {
    /// `(id, display name)` of each role that grants access.
    pub roles: Vec<(String, String)>,
    /// Whether user accounts may call.
    pub user_accounts: bool,
    /// Whether service accounts may call.
    pub service_accounts: bool,
}

impl From<Option<&format::Requirement>> for Requirement {
    fn from(r: Option<&format::Requirement>) -> Requirement {
        match r {
            None => Requirement::Undocumented,
            Some(format::Requirement::None) => Requirement::None,
            Some(format::Requirement::Any(l)) => Requirement::Any(l.clone()),
            Some(format::Requirement::All(l)) => Requirement::All(l.clone()),
            Some(format::Requirement::AccessPolicy(p)) => Requirement::AccessPolicy(AccessPolicy {
                roles: p
                    .roles
                    .iter()
                    .map(|r| (r.id.clone(), r.name.clone()))
                    .collect(),
                user_accounts: p.user_accounts,
                service_accounts: p.service_accounts,
            }),
        }
    }
}

impl Requirement {
    /// In words, for documentation (`any of `a`, `b``).
    pub fn summary(&self) -> String {
        match self {
            Requirement::Undocumented => "not documented".into(),
            Requirement::None => "no permission".into(),
            Requirement::Any(l) => format!("any of {}", crate::text::code_list(l)),
            Requirement::All(l) => format!("all of {}", crate::text::code_list(l)),
            Requirement::AccessPolicy(AccessPolicy {
                roles,
                user_accounts,
                service_accounts,
            }) => format!(
                "role {}; {}",
                roles
                    .iter()
                    .map(|(id, name)| format!("{name} (`{id}`)"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                match (user_accounts, service_accounts) {
                    (true, true) => "user accounts and service accounts",
                    (true, false) => "user accounts only",
                    (false, true) => "service accounts only",
                    (false, false) => "no account kind",
                }
            ),
        }
    }
}

/// A host the service is served from: a `Region` variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The name (`eu-west-1`).
    pub name: String,
    /// The base URL.
    pub url: String,
    /// The Rust variant (`EuWest1`).
    pub variant: String,
    /// Whether clients use it unless told otherwise.
    pub default: bool,
}

/// How tokens are obtained and sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// The header the token travels in.
    pub header: String,
    /// What precedes the token in it (`Bearer `).
    pub prefix: String,
    /// The documented token flows.
    pub flows: Vec<TokenFlow>,
    /// The response header with the request's correlation id, if any.
    pub correlation_header: Option<String>,
}

/// A token flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFlow {
    /// What it exchanges.
    pub grant: Grant,
    /// Description.
    pub description: String,
    /// Token endpoint template (`https://{host}/oauth/token`).
    pub token_url: String,
    /// `(from, to)`: how the API host's name becomes the token host's.
    pub host_rewrite: Option<(String, String)>,
    /// How the client authenticates to the endpoint.
    pub client_authentication: ClientAuthentication,
    /// Fixed form fields.
    pub form: Vec<(String, String)>,
    /// The form field of the caller's secret, if it travels in the form.
    pub secret_form_field: Option<String>,
    /// Where users sign in (authorization code and PKCE).
    pub authorize_url: Option<String>,
    /// Form fields the caller supplies: `(argument, form field)`.
    pub parameters: Vec<(String, String)>,
}

/// What a token flow exchanges for an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// Client id and secret.
    ClientCredentials,
    /// A long-lived API token.
    ApiToken,
    /// A user's authorization code, with the client's secret.
    AuthorizationCode,
    /// A user's authorization code, with a PKCE verifier (public client).
    Pkce,
    /// A refresh token.
    RefreshToken,
    /// A SAML2 assertion.
    Saml2Bearer,
}

impl Grant {
    /// Whether the flow signs a user in (or keeps a user signed in), rather than the client.
    pub fn is_user(self) -> bool {
        matches!(
            self,
            Grant::AuthorizationCode | Grant::Pkce | Grant::RefreshToken | Grant::Saml2Bearer
        )
    }
}

impl From<format::Grant> for Grant {
    fn from(g: format::Grant) -> Grant {
        match g {
            format::Grant::ClientCredentials => Grant::ClientCredentials,
            format::Grant::ApiToken => Grant::ApiToken,
            format::Grant::AuthorizationCode => Grant::AuthorizationCode,
            format::Grant::Pkce => Grant::Pkce,
            format::Grant::RefreshToken => Grant::RefreshToken,
            format::Grant::Saml2Bearer => Grant::Saml2Bearer,
        }
    }
}

/// How a client authenticates to a token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// HTTP Basic.
    Basic,
    /// None; the secret travels in the form.
    None,
}

impl From<&format::Auth> for AuthScheme {
    fn from(a: &format::Auth) -> AuthScheme {
        AuthScheme {
            header: a.token_header.name.clone(),
            prefix: a.token_header.prefix.clone(),
            flows: a
                .flows
                .iter()
                .map(|f| TokenFlow {
                    grant: f.grant.into(),
                    description: f.description.clone(),
                    token_url: f.token_url.clone(),
                    host_rewrite: f
                        .host_rewrite
                        .as_ref()
                        .map(|r| (r.from.clone(), r.to.clone())),
                    client_authentication: match f.client_authentication {
                        format::ClientAuthentication::Basic => ClientAuthentication::Basic,
                        format::ClientAuthentication::None => ClientAuthentication::None,
                    },
                    form: f.form.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    secret_form_field: f.secret_form_field.clone(),
                    authorize_url: f.authorize_url.clone(),
                    parameters: f
                        .parameters
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                })
                .collect(),
            correlation_header: None,
        }
    }
}
