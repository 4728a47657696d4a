//! Operations and auth schemes described as data.

use std::fmt;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
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
    /// The method's name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110).
    pub const fn is_idempotent(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Put | Method::Delete | Method::Head
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may call an operation, as the documentation states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Requirement {
    /// The documentation does not say.
    Undocumented,
    /// The documentation says no permission is required.
    None,
    /// Holding any one of these permissions suffices.
    Any(&'static [&'static str]),
    /// Every one of these permissions is required.
    All(&'static [&'static str]),
    /// An access policy: roles and the kinds of account that may call.
    AccessPolicy(AccessPolicy),
}

/// An access policy (VMware CSP): which roles may call, and from which kinds of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessPolicy {
    /// Roles that grant access; any one suffices.
    pub roles: &'static [Role],
    /// Whether user accounts may call.
    pub user_accounts: bool,
    /// Whether service accounts (client-credentials applications) may call.
    pub service_accounts: bool,
}

impl AccessPolicy {
    /// An access policy.
    pub const fn new(roles: &'static [Role], user_accounts: bool, service_accounts: bool) -> Self {
        AccessPolicy {
            roles,
            user_accounts,
            service_accounts,
        }
    }
}

/// A role named by an access policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Role {
    /// Identifier on the wire (`org_owner`).
    pub id: &'static str,
    /// Display name (`Organization Owner`).
    pub name: &'static str,
}

impl Role {
    /// A role.
    pub const fn new(id: &'static str, name: &'static str) -> Self {
        Role { id, name }
    }
}

/// What an operation is: its names, route and authorization requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// Service id (`genesys-cloud`).
    pub service: &'static str,
    /// API group (`authorization`).
    pub group: &'static str,
    /// Operation name, as the client method is named (`get_authorization_roles`).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template (`/api/v2/authorization/roles/{roleId}`).
    pub path: &'static str,
    /// Who may call it.
    pub requires: Requirement,
    /// Names older SDK generations gave it.
    pub legacy_names: &'static [&'static str],
    /// Set when the vendor deprecated the operation.
    pub deprecated: Option<&'static str>,
    /// The media types the response may have, preferred first, as sent in `Accept`
    /// (`application/json`).
    pub accept: &'static str,
    /// The media type a body is sent as (`Content-Type`): `application/json` unless the
    /// operation documents another.
    pub content_type: &'static str,
    /// The request headers the operation's parameters travel in (`If-Match`).
    pub headers: &'static [&'static str],
}

impl OperationInfo {
    /// Describes an operation.
    pub const fn new(
        service: &'static str,
        group: &'static str,
        name: &'static str,
        method: Method,
        path: &'static str,
        requires: Requirement,
    ) -> Self {
        OperationInfo {
            service,
            group,
            name,
            method,
            path,
            requires,
            legacy_names: &[],
            deprecated: None,
            accept: JSON,
            content_type: JSON,
            headers: &[],
        }
    }

    /// With the media types it documents: what its response may be (`Accept`: several joined by
    /// `, `) and what its body is sent as.
    pub const fn with_media(mut self, accept: &'static str, content_type: &'static str) -> Self {
        self.accept = accept;
        self.content_type = content_type;
        self
    }

    /// With the request headers its parameters travel in.
    pub const fn with_headers(mut self, headers: &'static [&'static str]) -> Self {
        self.headers = headers;
        self
    }

    /// Whether its response is text, returned as it arrives: none of the media types it
    /// accepts is JSON (`application/json` or `…+json`).
    pub fn answers_text(&self) -> bool {
        !self.accept.split(',').any(is_json_media)
    }

    /// With the names older SDK generations gave it.
    pub const fn with_legacy_names(mut self, names: &'static [&'static str]) -> Self {
        self.legacy_names = names;
        self
    }

    /// Marked deprecated, with what to use instead.
    pub const fn with_deprecated(mut self, note: &'static str) -> Self {
        self.deprecated = Some(note);
        self
    }
}

/// The media type of JSON, what an operation speaks unless it documents another.
const JSON: &str = "application/json";

/// Whether `media` (a media type, maybe with parameters) is JSON: `application/json` or a
/// `+json` suffix (`application/scim+json`).
pub(crate) fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json")
            || sub.len() > 5
                && sub
                    .get(sub.len() - 5..)
                    .is_some_and(|t| t.eq_ignore_ascii_case("+json")))
}

/// How a service's access tokens are obtained and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthScheme {
    /// The request header carrying the token.
    pub header: &'static str,
    /// Text before the token in that header (`"Bearer "`), possibly empty.
    pub prefix: &'static str,
    /// The documented ways to obtain a token.
    pub flows: &'static [TokenFlow],
    /// Response header with the request's correlation id, where the service sends one.
    pub correlation_header: Option<&'static str>,
}

impl AuthScheme {
    /// An auth scheme.
    pub const fn new(
        header: &'static str,
        prefix: &'static str,
        flows: &'static [TokenFlow],
        correlation_header: Option<&'static str>,
    ) -> Self {
        AuthScheme {
            header,
            prefix,
            flows,
            correlation_header,
        }
    }
}

/// What a token flow exchanges for an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Grant {
    /// OAuth client credentials (client id and secret).
    ClientCredentials,
    /// A long-lived API token exchanged for an access token.
    ApiToken,
    /// A user's authorization code exchanged by a confidential client (id and secret).
    AuthorizationCode,
    /// A user's authorization code exchanged by a public client with its PKCE code verifier.
    Pkce,
    /// A refresh token exchanged for new tokens.
    RefreshToken,
    /// A SAML2 assertion exchanged for a user's tokens.
    Saml2Bearer,
}

/// How a client authenticates to a token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthentication {
    /// HTTP Basic with client id and secret.
    Basic,
    /// None; the secret travels in the form.
    None,
}

/// One documented way to obtain an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenFlow {
    /// What is exchanged.
    pub grant: Grant,
    /// Token endpoint; `{host}` is the API host's name after [`host_rewrite`](Self::host_rewrite).
    pub token_url: &'static str,
    /// `(from, to)`: the API host's name starts with `from`, replaced by `to` for the token endpoint.
    pub host_rewrite: Option<(&'static str, &'static str)>,
    /// How the client authenticates.
    pub client_authentication: ClientAuthentication,
    /// Fixed form fields.
    pub form: &'static [(&'static str, &'static str)],
    /// The form field carrying the caller's secret, if it travels in the form.
    pub secret_form_field: Option<&'static str>,
    /// Where a user is sent to sign in and consent (authorization code and PKCE flows);
    /// `{host}` as in [`token_url`](Self::token_url).
    pub authorize_url: Option<&'static str>,
    /// Form fields the caller supplies beyond the grant's own: `(argument, form field)`
    /// (Genesys SAML2 bearer: `("org_name", "orgName")`).
    pub parameters: &'static [(&'static str, &'static str)],
}

impl TokenFlow {
    /// A token flow.
    pub const fn new(
        grant: Grant,
        token_url: &'static str,
        host_rewrite: Option<(&'static str, &'static str)>,
        client_authentication: ClientAuthentication,
        form: &'static [(&'static str, &'static str)],
        secret_form_field: Option<&'static str>,
    ) -> Self {
        TokenFlow {
            grant,
            token_url,
            host_rewrite,
            client_authentication,
            form,
            secret_form_field,
            authorize_url: None,
            parameters: &[],
        }
    }

    /// The flow with the URL where users sign in ([`authorize_url`](Self::authorize_url)).
    #[must_use]
    pub const fn with_authorize_url(mut self, url: &'static str) -> Self {
        self.authorize_url = Some(url);
        self
    }

    /// The flow with form fields the caller supplies ([`parameters`](Self::parameters)).
    #[must_use]
    pub const fn with_parameters(
        mut self,
        parameters: &'static [(&'static str, &'static str)],
    ) -> Self {
        self.parameters = parameters;
        self
    }

    /// The authorize endpoint for an API base URL, when the flow has one.
    pub fn authorize_endpoint(&self, api_base_url: &str) -> Option<String> {
        self.authorize_url
            .map(|url| self.on_host(url, api_base_url))
    }

    /// The token endpoint for an API base URL (`https://api.mypurecloud.com` →
    /// `https://login.mypurecloud.com/oauth/token` for Genesys).
    pub fn token_endpoint(&self, api_base_url: &str) -> String {
        self.on_host(self.token_url, api_base_url)
    }

    /// `template` with `{host}` replaced by the API host's name after the rewrite.
    fn on_host(&self, template: &str, api_base_url: &str) -> String {
        let host = api_base_url
            .split_once("://")
            .map_or(api_base_url, |(_, rest)| rest);
        let host = host.split('/').next().unwrap_or(host);
        let host = match self.host_rewrite {
            Some((from, to)) => match host.strip_prefix(from) {
                Some(rest) => format!("{to}{rest}"),
                None => host.to_owned(),
            },
            None => host.to_owned(),
        };
        template.replace("{host}", &host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_told_from_text() {
        for json in [
            "application/json",
            "application/scim+json",
            "Application/JSON; charset=utf-8",
            "application/vnd.x+JSON",
        ] {
            assert!(is_json_media(json), "{json}");
        }
        for text in [
            "text/plain",
            "text/calendar",
            "application/jsonx",
            "text/json",
            "+json",
            "application/+json",
            "",
        ] {
            assert!(!is_json_media(text), "{text}");
        }
        const OP: OperationInfo =
            OperationInfo::new("s", "g", "op", Method::Get, "/x", Requirement::None);
        assert!(!OP.answers_text());
        assert!(
            !OP.with_media(
                "application/scim+json, application/json",
                "application/scim+json"
            )
            .answers_text()
        );
        assert!(
            OP.with_media("text/plain", "application/json")
                .answers_text()
        );
        assert!(
            OP.with_media("text/calendar, text/plain", "application/json")
                .answers_text()
        );
        assert_eq!(OP.with_headers(&["If-Match"]).headers, ["If-Match"]);
    }

    #[test]
    fn token_endpoints_follow_the_host_rewrite() {
        let genesys = TokenFlow::new(
            Grant::ClientCredentials,
            "https://{host}/oauth/token",
            Some(("api.", "login.")),
            ClientAuthentication::Basic,
            &[],
            None,
        );
        assert_eq!(
            genesys.token_endpoint("https://api.mypurecloud.ie"),
            "https://login.mypurecloud.ie/oauth/token"
        );
        let csp = TokenFlow::new(
            Grant::ApiToken,
            "https://{host}/csp/x",
            None,
            ClientAuthentication::None,
            &[],
            None,
        );
        assert_eq!(
            csp.token_endpoint("https://console.cloud.vmware.com"),
            "https://console.cloud.vmware.com/csp/x"
        );
    }
}
