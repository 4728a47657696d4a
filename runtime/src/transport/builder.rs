//! [`TransportBuilder`]: what a generated `ClientBuilder` configures, checked once in `build`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::{Inner, Limits, Transport};
use crate::authorize::Authorizer;
use crate::body::DEFAULT_MAX_RESPONSE_BYTES;
use crate::error::BuildError;
use crate::hook::{AfterResponse, Attempt, BeforeSend, Hook, Hooks};
use crate::metadata::{AuthScheme, Grant};
use crate::redirect::RedirectPolicy;
use crate::retry::RetryPolicy;
use crate::signin::{SessionCache, SignIn, UserSession};
use crate::token::{Credentials, FlowSecret, SecretString, TokenCache};

/// What the builder was told to authenticate with.
#[derive(Debug, Clone)]
enum Auth {
    None,
    Fixed(String),
    Flow(Grant, FlowSecret),
    User(Box<UserSession>),
}

/// Configures a [`Transport`]; generated `ClientBuilder`s wrap it.
#[derive(Debug)]
pub struct TransportBuilder {
    base_url: String,
    scheme: &'static AuthScheme,
    auth: Auth,
    token_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Duration,
    max_response_bytes: u64,
    retry: RetryPolicy,
    redirect: Option<RedirectPolicy>,
    authorizer: Option<Arc<dyn Authorizer>>,
    user_agent: String,
    http: Option<reqwest::Client>,
    default_headers: HeaderMap,
    hooks: Hooks,
}

/// The connect timeout of the HTTP client the transport builds.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl TransportBuilder {
    /// A builder for a service with this auth scheme, sending to `base_url`.
    pub fn new(base_url: &str, scheme: &'static AuthScheme) -> Self {
        TransportBuilder {
            base_url: base_url.to_owned(),
            scheme,
            auth: Auth::None,
            token_url: None,
            connect_timeout: None,
            timeout: Duration::from_secs(60),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            redirect: None,
            authorizer: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            default_headers: HeaderMap::new(),
            hooks: Hooks::default(),
        }
    }

    /// The `User-Agent` of every request; generated clients name their crate and version.
    /// Not applied to a caller's HTTP client ([`http_client`](Self::http_client)), whose own
    /// applies.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends requests to another base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with this access token, as is.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Fixed(token.into());
        self
    }

    /// Obtains tokens with the OAuth client-credentials flow of the service's auth scheme.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let secret = FlowSecret::Client {
            id: client_id.into(),
            secret: SecretString::new(client_secret),
        };
        self.auth = Auth::Flow(Grant::ClientCredentials, secret);
        self
    }

    /// Obtains tokens by exchanging a long-lived API token.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Flow(
            Grant::ApiToken,
            FlowSecret::ApiToken(SecretString::new(token)),
        );
        self
    }

    /// Authenticates as a signed-in user: sends the session's access token and refreshes it
    /// with its refresh token (shortly before it expires, and once when the API refuses it;
    /// one refresh for any number of concurrent calls), telling
    /// [`UserSession::on_tokens`](crate::signin::UserSession::on_tokens) each time.
    pub fn user_session(mut self, session: UserSession) -> Self {
        self.auth = Auth::User(Box::new(session));
        self
    }

    /// Uses this token endpoint instead of the one derived from the base URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The user sign-in flows for this builder's base URL: its region's login host, or the
    /// origin of [`token_url`](Self::token_url) when one was given.
    pub fn sign_in(&self) -> SignIn {
        let sign_in = SignIn::new(&self.base_url, self.scheme);
        let origin = self
            .token_url
            .as_deref()
            .and_then(|url| reqwest::Url::parse(url).ok())
            .map(|url| url.origin().ascii_serialization());
        match origin {
            Some(origin) => sign_in.login_origin(origin),
            None => sign_in,
        }
    }

    /// Time allowed to establish a connection (default 10 s). A setting of the HTTP client
    /// the transport builds: with [`http_client`](Self::http_client), building fails with
    /// [`BuildError::NotWithHttpClient`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole request, response body included (default 60 s). This is also
    /// the deadline for a server that sends its answer slowly.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest success body accepted, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    /// Enforced while the body streams in; a longer body fails with [`Error::BodyTooLarge`](crate::Error::BodyTooLarge).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How failed requests are retried (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Which redirects are followed (see [`RedirectPolicy`]; by default, within the origin only).
    /// A setting of the HTTP client the transport builds: with [`http_client`](Self::http_client),
    /// building fails with [`BuildError::NotWithHttpClient`] (configure that client with
    /// [`RedirectPolicy::to_reqwest`] instead).
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirect = Some(policy);
        self
    }

    /// Sends every request, token requests included, with this HTTP client instead of one
    /// the transport builds: its proxy, TLS roots, connection pool, connect timeout, redirect
    /// policy, default headers and `User-Agent` apply. Tokens, retries, the request
    /// [`timeout`](Self::timeout), the body limit, default headers and hooks given here and the
    /// pre-flight check apply as with the transport's own client.
    ///
    /// Its redirect policy is its own: reqwest's default follows up to 10 redirects to any
    /// origin, and a custom auth header such as CSP's `csp-auth-token` would follow them.
    /// Build it with `.redirect(RedirectPolicy::default().to_reqwest())` to keep this client's
    /// rule (within the origin only).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a header to every API request (not to token requests). The auth header, `Accept`
    /// and `Content-Type` are the client's: building fails with [`BuildError::ReservedHeader`].
    /// A name given twice is sent with both values.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.append(name, value);
        self
    }

    /// Runs `hook` around every attempt of every call (see [`Hook`]); hooks run in the order
    /// they were added.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Runs `f` with every request just before it is sent (a [`Hook::before_send`]).
    pub fn before_send(
        self,
        f: impl Fn(&Attempt, &mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.hook(BeforeSend(f))
    }

    /// Runs `f` when every attempt ends: with the response (status and headers) or the error
    /// (a [`Hook::after_response`]).
    pub fn after_response(
        self,
        f: impl Fn(&Attempt, Result<&reqwest::Response, &reqwest::Error>) + Send + Sync + 'static,
    ) -> Self {
        self.hook(AfterResponse(f))
    }

    /// Checks every call with `authorizer` before sending it; a denied call fails locally.
    pub fn preflight(mut self, authorizer: impl Authorizer + 'static) -> Self {
        self.authorizer = Some(Arc::new(authorizer));
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    ///
    /// See [`BuildError`].
    pub fn build(self) -> Result<Transport, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let valid = reqwest::Url::parse(&base_url).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https") && url.has_host() && url.query().is_none()
        });
        if !valid {
            return Err(BuildError::BaseUrl(self.base_url));
        }
        let auth_header =
            HeaderName::from_bytes(self.scheme.header.to_ascii_lowercase().as_bytes())
                .map_err(|_| BuildError::AuthHeader(self.scheme.header))?;
        if let Some(reserved) = [&auth_header, &ACCEPT, &CONTENT_TYPE]
            .into_iter()
            .find(|h| self.default_headers.contains_key(*h))
        {
            return Err(BuildError::ReservedHeader(reserved.as_str().to_owned()));
        }
        let connect_timeout = match &self.http {
            None => Some(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT)),
            Some(_) if self.connect_timeout.is_some() => {
                return Err(BuildError::NotWithHttpClient("connect_timeout"));
            }
            Some(_) if self.redirect.is_some() => {
                return Err(BuildError::NotWithHttpClient("redirect_policy"));
            }
            Some(_) => None,
        };
        let limits = Limits {
            connect_timeout,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
        };
        let credentials = credentials(self.auth, self.scheme, (&base_url, self.token_url), limits)?;
        let http = match (self.http, connect_timeout) {
            (Some(http), _) => http,
            (None, connect_timeout) => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .connect_timeout(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(limits.timeout)
                .redirect(self.redirect.unwrap_or_default().to_reqwest())
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth_header,
                credentials,
                scheme: self.scheme,
                authorizer: self.authorizer,
                retry: self.retry,
                limits,
                default_headers: self.default_headers,
                hooks: self.hooks,
            }),
        })
    }
}

/// How the transport authenticates, from what the builder was told.
fn credentials(
    auth: Auth,
    scheme: &'static AuthScheme,
    (base_url, token_url): (&str, Option<String>),
    limits: Limits,
) -> Result<Credentials, BuildError> {
    Ok(match auth {
        Auth::None => return Err(BuildError::NoCredentials),
        Auth::Fixed(token) => {
            let mut value = HeaderValue::from_str(&format!("{}{token}", scheme.prefix))
                .map_err(|_| BuildError::InvalidToken)?;
            value.set_sensitive(true);
            Credentials::Fixed(value)
        }
        Auth::User(session) => Credentials::User(Box::new(
            SessionCache::new(scheme, base_url, token_url.as_deref(), *session)
                .ok_or(BuildError::InvalidToken)?
                .with_timeouts(limits.connect_timeout, limits.timeout),
        )),
        Auth::Flow(grant, secret) => Credentials::Flow(Box::new(
            TokenCache::new(scheme, base_url, grant, secret, token_url)
                .ok_or(BuildError::UnsupportedFlow)?
                .with_timeouts(limits.connect_timeout, limits.timeout),
        )),
    })
}
