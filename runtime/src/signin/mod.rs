//! Signing a user in: the authorization code grant (with a client secret, or with PKCE for a
//! public client), the SAML2 bearer grant, and refreshing; then a client that keeps the user's
//! tokens fresh ([`UserSession`]).
//!
//! Which grants a service offers, its token and authorize endpoints and any form fields of its
//! own are spec data (the service's `AUTH` scheme); [`SignIn`] runs them against the login host
//! of the client's region, or another ([`SignIn::login_origin`]). A typical command-line or
//! desktop sign-in with PKCE:
//!
//! 1. `let pkce = Pkce::new()?; let state = random_state()?;`
//! 2. send the user's browser to `sign_in.authorize_url(client_id, redirect_uri, &state, Some(&pkce))?`;
//! 3. on the redirect, check that `state` came back, take `code`, and
//!    `let tokens = sign_in.exchange_pkce(client_id, &code, redirect_uri, &pkce).await?;`
//! 4. build the client with `UserSession::new(client_id, tokens)`, persisting the tokens from
//!    [`UserSession::on_tokens`].
//!
//! Secrets, codes, verifiers and tokens never appear in `Debug` output, logs or errors.

mod pkce;
mod session;

use std::fmt;
use std::time::Duration;

use crate::metadata::{AuthScheme, Grant, TokenFlow};
use crate::token::{TokenError, TokenRequest, endpoint_for, with_scheme_of};

pub use self::pkce::{Pkce, random_state};
pub(crate) use self::session::SessionCache;
pub use self::session::{UserSession, UserTokens};

/// Why a sign-in or refresh failed. Never contains a secret, code, verifier or token.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct SignInError {
    /// The token endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// The OAuth error code it gave (`invalid_grant`: the code or refresh token was already
    /// used, revoked or expired; `invalid_client`: wrong client id or secret), if any.
    pub error: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl SignInError {
    pub(crate) fn invalid(message: &str) -> Self {
        SignInError {
            status: None,
            error: None,
            message: message.to_owned(),
        }
    }

    /// Whether the grant itself was refused (`invalid_grant`): sign the user in again.
    pub fn is_invalid_grant(&self) -> bool {
        self.error.as_deref() == Some("invalid_grant")
    }
}

impl From<TokenError> for SignInError {
    fn from(e: TokenError) -> Self {
        SignInError {
            status: e.status,
            error: e.error,
            message: e.message,
        }
    }
}

/// The user sign-in flows of a service, against a login host. Built from the client builder
/// (`sign_in()`: same region, base URL and token URL) or with [`SignIn::new`].
#[derive(Clone)]
pub struct SignIn {
    http: reqwest::Client,
    scheme: &'static AuthScheme,
    base_url: String,
    login_origin: Option<String>,
    timeout: Duration,
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn")
            .field("base_url", &self.base_url)
            .field("login_origin", &self.login_origin)
            .finish_non_exhaustive()
    }
}

impl SignIn {
    /// The sign-in flows of the service with this auth scheme, for the API at `base_url`
    /// (`https://api.mypurecloud.ie` signs in at `https://login.mypurecloud.ie` for Genesys).
    pub fn new(base_url: &str, scheme: &'static AuthScheme) -> Self {
        SignIn {
            http: reqwest::Client::new(),
            scheme,
            base_url: base_url.trim_end_matches('/').to_owned(),
            login_origin: None,
            timeout: Duration::from_secs(30),
        }
    }

    /// Another login host (`https://login.example.test:8443`): the endpoints keep their paths,
    /// on this origin.
    #[must_use]
    pub fn login_origin(mut self, origin: impl Into<String>) -> Self {
        self.login_origin = Some(origin.into().trim_end_matches('/').to_owned());
        self
    }

    /// The HTTP client the token requests go through (proxies, TLS roots, timeouts of its own).
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// How long a token request may take, response included (30 s unless set).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The token endpoint of a grant, if the service offers it.
    pub fn token_endpoint(&self, grant: Grant) -> Option<String> {
        self.flow(grant)
            .ok()
            .map(|flow| self.place(endpoint_for(flow, &self.base_url)))
    }

    /// Where to send the user's browser to sign in and consent: the authorize endpoint with
    /// `client_id`, `response_type=code`, `redirect_uri`, `state`, and with `pkce` its S256
    /// challenge (`code_challenge`, `code_challenge_method`).
    ///
    /// # Errors
    ///
    /// When the service has no authorize endpoint for that flow.
    pub fn authorize_url(
        &self,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
        pkce: Option<&Pkce>,
    ) -> Result<String, SignInError> {
        let flow = self.flow(if pkce.is_some() {
            Grant::Pkce
        } else {
            Grant::AuthorizationCode
        })?;
        let endpoint = flow.authorize_endpoint(&self.base_url).ok_or_else(|| {
            SignInError::invalid("the service documents no authorize endpoint for this flow")
        })?;
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("client_id", client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", redirect_uri);
        query.append_pair("state", state);
        if let Some(pkce) = pkce {
            query
                .append_pair("code_challenge", pkce.challenge())
                .append_pair("code_challenge_method", "S256");
        }
        Ok(format!(
            "{}?{}",
            self.place(with_scheme_of(&self.base_url, endpoint)),
            query.finish()
        ))
    }

    /// Exchanges an authorization code for the user's tokens, as a confidential client (its id
    /// and secret with HTTP Basic). `redirect_uri` is the one the authorize URL named.
    ///
    /// # Errors
    ///
    /// When the endpoint cannot be reached or refuses the code ([`SignInError::is_invalid_grant`]).
    pub async fn exchange_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> Result<UserTokens, SignInError> {
        self.grant(
            Grant::AuthorizationCode,
            (client_id, Some(client_secret)),
            &[("code", code), ("redirect_uri", redirect_uri)],
            &[],
        )
        .await
    }

    /// Exchanges an authorization code for the user's tokens, as a public client: its id and
    /// the PKCE verifier whose challenge the authorize URL carried, no secret.
    ///
    /// # Errors
    ///
    /// As [`exchange_code`](Self::exchange_code).
    pub async fn exchange_pkce(
        &self,
        client_id: &str,
        code: &str,
        redirect_uri: &str,
        pkce: &Pkce,
    ) -> Result<UserTokens, SignInError> {
        let fields = [
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", pkce.verifier()),
        ];
        self.grant(Grant::Pkce, (client_id, None), &fields, &[])
            .await
    }

    /// Exchanges a SAML2 assertion (base64, as the identity provider issued it) for the user's
    /// tokens, as a confidential client. `parameters` are the service's own form fields by
    /// argument name (Genesys: `[("org_name", "my-org")]`), as its `AUTH` flow lists them.
    ///
    /// # Errors
    ///
    /// When a parameter the flow lists is missing or one it does not list is given, and as
    /// [`exchange_code`](Self::exchange_code).
    pub async fn saml2_bearer(
        &self,
        client_id: &str,
        client_secret: &str,
        assertion: &str,
        parameters: &[(&str, &str)],
    ) -> Result<UserTokens, SignInError> {
        self.grant(
            Grant::Saml2Bearer,
            (client_id, Some(client_secret)),
            &[("assertion", assertion)],
            parameters,
        )
        .await
    }

    /// New tokens for a refresh token. With `client_secret` the client authenticates with it;
    /// without, as a public client, by its id in the form. A client built with a
    /// [`UserSession`] refreshes on its own.
    ///
    /// # Errors
    ///
    /// As [`exchange_code`](Self::exchange_code); a revoked or expired refresh token is
    /// [`SignInError::is_invalid_grant`].
    pub async fn refresh(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        refresh_token: &str,
    ) -> Result<UserTokens, SignInError> {
        let previous = crate::token::SecretString::new(refresh_token);
        let granted = self.request(
            Grant::RefreshToken,
            (client_id, client_secret),
            &[("refresh_token", refresh_token)],
            &[],
        )?;
        Ok(UserTokens::granted(
            granted.send(&self.http).await?,
            Some(&previous),
        ))
    }

    async fn grant(
        &self,
        grant: Grant,
        client: (&str, Option<&str>),
        fields: &[(&str, &str)],
        parameters: &[(&str, &str)],
    ) -> Result<UserTokens, SignInError> {
        let request = self.request(grant, client, fields, parameters)?;
        Ok(UserTokens::granted(request.send(&self.http).await?, None))
    }

    /// The token request of a grant: the flow's fixed fields, the grant's own, the caller's
    /// parameters under their form names, and the client's credentials as the flow says.
    fn request<'a>(
        &'a self,
        grant: Grant,
        (client_id, client_secret): (&'a str, Option<&'a str>),
        fields: &[(&'a str, &'a str)],
        parameters: &[(&str, &'a str)],
    ) -> Result<TokenRequest<'a>, SignInError> {
        let flow = self.flow(grant)?;
        let endpoint = self.place(endpoint_for(flow, &self.base_url));
        let mut request = TokenRequest::new(endpoint, flow, (None, self.timeout));
        request.form.extend_from_slice(fields);
        for (argument, _) in parameters {
            if !flow.parameters.iter().any(|(a, _)| a == argument) {
                return Err(SignInError::invalid(&format!(
                    "this flow takes no parameter `{argument}`"
                )));
            }
        }
        for (argument, field) in flow.parameters {
            let value = parameters
                .iter()
                .find(|(a, _)| a == argument)
                .map(|(_, v)| *v);
            request.form.push((
                field,
                value.ok_or_else(|| {
                    SignInError::invalid(&format!("this flow needs the parameter `{argument}`"))
                })?,
            ));
        }
        Ok(request.client(client_id, client_secret, flow.client_authentication))
    }

    fn flow(&self, grant: Grant) -> Result<&'static TokenFlow, SignInError> {
        self.scheme
            .flows
            .iter()
            .find(|f| f.grant == grant)
            .ok_or_else(|| SignInError::invalid("the service documents no such sign-in flow"))
    }

    /// `url` on the login origin, when one was given.
    fn place(&self, url: String) -> String {
        let Some(origin) = &self.login_origin else {
            return url;
        };
        let path = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        format!("{origin}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::ClientAuthentication;

    static SCHEME: AuthScheme = AuthScheme::new(
        "Authorization",
        "Bearer ",
        &[
            TokenFlow::new(
                Grant::AuthorizationCode,
                "https://{host}/oauth/token",
                Some(("api.", "login.")),
                ClientAuthentication::Basic,
                &[("grant_type", "authorization_code")],
                None,
            )
            .with_authorize_url("https://{host}/oauth/authorize"),
            TokenFlow::new(
                Grant::Pkce,
                "https://{host}/oauth/token",
                Some(("api.", "login.")),
                ClientAuthentication::None,
                &[("grant_type", "authorization_code")],
                None,
            ),
            TokenFlow::new(
                Grant::Saml2Bearer,
                "https://{host}/oauth/token",
                Some(("api.", "login.")),
                ClientAuthentication::None,
                &[("grant_type", "saml")],
                None,
            )
            .with_parameters(&[("org_name", "orgName")]),
        ],
        None,
    );

    fn sign_in() -> SignIn {
        SignIn::new("https://api.example.com/", &SCHEME)
    }

    #[test]
    fn requests_carry_the_flows_fields_the_grants_and_the_clients() {
        let s = sign_in();
        let Ok(code) = s.request(
            Grant::AuthorizationCode,
            ("id", Some("secret")),
            &[("code", "c")],
            &[],
        ) else {
            panic!()
        };
        assert_eq!(code.endpoint, "https://login.example.com/oauth/token");
        assert_eq!(
            (code.basic, code.form),
            (
                Some(("id", "secret")),
                vec![("grant_type", "authorization_code"), ("code", "c")]
            )
        );
        // A flow whose client sends no Basic: the secret goes in the form, after the parameters.
        let Ok(saml) = s.request(
            Grant::Saml2Bearer,
            ("id", Some("secret")),
            &[("assertion", "a")],
            &[("org_name", "o")],
        ) else {
            panic!()
        };
        assert_eq!(saml.basic, None);
        assert_eq!(
            saml.form,
            [
                ("grant_type", "saml"),
                ("assertion", "a"),
                ("orgName", "o"),
                ("client_id", "id"),
                ("client_secret", "secret")
            ]
        );
        let Ok(public) = s.request(Grant::AuthorizationCode, ("id", None), &[], &[]) else {
            panic!()
        };
        assert_eq!(
            (public.basic, public.form),
            (
                None,
                vec![("grant_type", "authorization_code"), ("client_id", "id")]
            )
        );
        let Err(missing) = s.request(Grant::Saml2Bearer, ("id", None), &[], &[]) else {
            panic!("no org_name")
        };
        assert_eq!(missing.message, "this flow needs the parameter `org_name`");
        let Err(unknown) = s.request(
            Grant::Saml2Bearer,
            ("id", None),
            &[],
            &[("org_name", "o"), ("x", "y")],
        ) else {
            panic!("x")
        };
        assert_eq!(unknown.message, "this flow takes no parameter `x`");
        let Err(undeclared) = s.request(Grant::RefreshToken, ("id", None), &[], &[]) else {
            panic!("no refresh flow")
        };
        assert_eq!(
            undeclared.message,
            "the service documents no such sign-in flow"
        );
    }

    #[test]
    fn endpoints_move_to_the_login_origin_with_their_paths() {
        let s = sign_in().login_origin("http://127.0.0.1:8080/");
        assert_eq!(
            s.token_endpoint(Grant::Pkce).as_deref(),
            Some("http://127.0.0.1:8080/oauth/token")
        );
        assert_eq!(s.token_endpoint(Grant::RefreshToken), None);
        let Ok(pkce) = s.request(Grant::Pkce, ("id", None), &[], &[]) else {
            panic!()
        };
        assert_eq!(pkce.endpoint, "http://127.0.0.1:8080/oauth/token");
        let url = s
            .authorize_url("id", "http://localhost/cb", "st", None)
            .unwrap();
        assert_eq!(
            url,
            "http://127.0.0.1:8080/oauth/authorize?client_id=id&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=st"
        );
        assert!(format!("{s:?}").contains("127.0.0.1:8080"));
        assert_eq!(
            sign_in().place("https://login.example.com/a/b".into()),
            "https://login.example.com/a/b"
        );
    }

    #[test]
    fn the_authorize_url_needs_the_flows_endpoint() {
        let pkce = Pkce::new().unwrap();
        let e = sign_in()
            .authorize_url("id", "r", "s", Some(&pkce))
            .unwrap_err();
        assert_eq!(
            e.message,
            "the service documents no authorize endpoint for this flow"
        );
        let plain = sign_in().authorize_url("id", "r", "s", None).unwrap();
        assert!(
            plain.starts_with("https://login.example.com/oauth/authorize?client_id=id&response_type=code&redirect_uri=r&state=s"),
            "{plain}"
        );
    }

    #[test]
    fn errors_say_whether_the_grant_was_refused() {
        let refused = SignInError::from(TokenError {
            status: Some(400),
            error: Some("invalid_grant".into()),
            message: "m".into(),
        });
        assert!(refused.is_invalid_grant());
        assert_eq!(
            (refused.status, refused.to_string()),
            (Some(400), "m".to_owned())
        );
        let other = SignInError {
            status: Some(401),
            error: Some("invalid_client".into()),
            message: String::new(),
        };
        assert!(!other.is_invalid_grant());
    }
}
