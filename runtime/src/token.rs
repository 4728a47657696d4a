//! Access tokens: a fixed one, or one obtained from a token flow, cached and refreshed.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::body::{ERROR_BODY_CAP, read_capped};
use super::metadata::{AuthScheme, ClientAuthentication, Grant, TokenFlow};
use super::transport::{describe, timeout_of};

/// A refreshed token is fetched this long before the old one expires, so no request is sent
/// with a token that expires in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest a token is cached, whatever `expires_in` says: a server's `u64::MAX` must not
/// overflow the clock, and a token revoked early is refreshed on its first 401 anyway.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How long a token without `expires_in` is assumed to live.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// When a token obtained at `started` that lives `expires_in` seconds is refreshed:
/// `min(60 s, half its lifetime)` before it expires. Never overflows.
fn refresh_at(started: Instant, expires_in: Option<u64>) -> Instant {
    let lifetime = expires_in.map_or(DEFAULT_LIFETIME, |s| {
        Duration::from_secs(s).min(MAX_LIFETIME)
    });
    let fresh_for = lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 2));
    started.checked_add(fresh_for).unwrap_or(started)
}

/// A string that never shows in `Debug` output, logs or error messages.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretString(String);

impl SecretString {
    pub(crate) fn new(s: impl Into<String>) -> Self {
        SecretString(s.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How a client obtains the token it sends.
#[derive(Debug)]
pub(crate) enum Credentials {
    /// A token given by the caller, sent as is.
    Fixed(HeaderValue),
    /// A token obtained from a flow and cached until shortly before it expires.
    Flow(Box<TokenCache>),
    /// A signed-in user's tokens, refreshed with the refresh token.
    User(Box<crate::signin::SessionCache>),
}

impl Credentials {
    /// Whether a token the API refused can be replaced by another.
    pub(crate) fn refreshes(&self) -> bool {
        match self {
            Credentials::Fixed(_) => false,
            Credentials::Flow(_) => true,
            Credentials::User(session) => session.refreshes(),
        }
    }
}

/// Client id and secret, or an API token, for a flow.
#[derive(Debug, Clone)]
pub(crate) enum FlowSecret {
    /// Client credentials.
    Client { id: String, secret: SecretString },
    /// A long-lived API token.
    ApiToken(SecretString),
}

/// A token obtained from a flow, shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct TokenCache {
    flow: TokenFlow,
    endpoint: String,
    secret: FlowSecret,
    prefix: &'static str,
    /// The client's connect and request timeouts, to say which one fired.
    timeouts: (Option<Duration>, Duration),
    /// Held while a token is fetched, so concurrent callers wait for one refresh instead of
    /// each starting their own.
    state: Mutex<Option<Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    header: HeaderValue,
    refresh_at: Instant,
}

/// Why no token could be obtained. Never contains the secret.
#[derive(Debug)]
pub(crate) struct TokenError {
    pub(crate) status: Option<u16>,
    /// The OAuth error code the endpoint gave (`invalid_grant`: a code or refresh token that was
    /// used, revoked or expired), if it gave one.
    pub(crate) error: Option<String>,
    pub(crate) message: String,
}

impl TokenError {
    fn new(status: Option<u16>, message: String) -> Self {
        TokenError {
            status,
            error: None,
            message,
        }
    }
}

/// A token endpoint's answer (RFC 6749, section 5.1).
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// A token endpoint's error answer (RFC 6749, section 5.2).
#[derive(Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// One request to a token endpoint: where, how the client authenticates, what the form says.
pub(crate) struct TokenRequest<'a> {
    pub(crate) endpoint: Cow<'a, str>,
    /// Client id and secret sent with HTTP Basic, for a confidential client.
    pub(crate) basic: Option<(&'a str, &'a str)>,
    pub(crate) form: Vec<(&'a str, &'a str)>,
    /// The connect and request timeouts, to say which one fired.
    pub(crate) timeouts: (Option<Duration>, Duration),
}

/// What a token endpoint granted.
pub(crate) struct Granted {
    pub(crate) access_token: SecretString,
    pub(crate) refresh_token: Option<SecretString>,
    pub(crate) expires_in: Option<u64>,
    /// When the request was sent: lifetimes count from here.
    pub(crate) started: Instant,
}

impl<'a> TokenRequest<'a> {
    /// A request to `endpoint` with `flow`'s fixed form fields; the client authenticates as
    /// [`client`](Self::client) says.
    pub(crate) fn new(
        endpoint: impl Into<Cow<'a, str>>,
        flow: &'a TokenFlow,
        timeouts: (Option<Duration>, Duration),
    ) -> Self {
        TokenRequest {
            endpoint: endpoint.into(),
            basic: None,
            form: flow.form.to_vec(),
            timeouts,
        }
    }

    /// How the client `id` authenticates, for every flow and grant: with a secret, by HTTP
    /// Basic, or in the form when the flow says `none` (after the form's other fields);
    /// without one (a public client), by its id in the form.
    pub(crate) fn client(
        mut self,
        id: &'a str,
        secret: Option<&'a str>,
        how: ClientAuthentication,
    ) -> Self {
        match (secret, how) {
            (Some(secret), ClientAuthentication::Basic) => self.basic = Some((id, secret)),
            (Some(secret), ClientAuthentication::None) => {
                self.form
                    .extend([("client_id", id), ("client_secret", secret)]);
            }
            (None, _) => self.form.push(("client_id", id)),
        }
        self
    }

    /// Posts the form and reads the grant. Errors name the endpoint and status, never a secret.
    pub(crate) async fn send(self, http: &reqwest::Client) -> Result<Granted, TokenError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.form)
            .finish();
        let mut request = http
            .post(self.endpoint.as_ref())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .timeout(self.timeouts.1)
            .body(body);
        if let Some((id, secret)) = self.basic {
            request = request.basic_auth(id, Some(secret));
        }
        let started = Instant::now();
        let response = request.send().await.map_err(|e| {
            let what = match timeout_of(&e, self.timeouts.0, self.timeouts.1) {
                Some((phase, after)) => format!("timed out: {phase} of {after:?}"),
                None => describe(&e),
            };
            TokenError::new(
                None,
                format!("token request to {} failed: {what}", self.endpoint),
            )
        })?;
        let status = response.status();
        let (bytes, truncated) = read_capped(response, ERROR_BODY_CAP).await;
        if !status.is_success() {
            return Err(refused(status, &bytes, &self.endpoint));
        }
        if truncated {
            return Err(TokenError::new(
                Some(status.as_u16()),
                format!(
                    "the token endpoint's answer was cut off or exceeds {ERROR_BODY_CAP} bytes"
                ),
            ));
        }
        let parsed: TokenResponse = serde_json::from_slice(&bytes).map_err(|e| {
            TokenError::new(
                Some(status.as_u16()),
                format!("the token endpoint's answer is not a token response: {e}"),
            )
        })?;
        tracing::debug!(endpoint = %self.endpoint, expires_in = parsed.expires_in, "obtained an access token");
        Ok(Granted {
            access_token: SecretString::new(parsed.access_token),
            refresh_token: parsed.refresh_token.map(SecretString::new),
            expires_in: parsed.expires_in,
            started,
        })
    }
}

/// A token endpoint's refusal, with its status and OAuth error code (never a secret).
fn refused(status: reqwest::StatusCode, bytes: &[u8], endpoint: &str) -> TokenError {
    let oauth = serde_json::from_slice::<OAuthError>(bytes).ok();
    let said = oauth.as_ref().map(|o| match &o.error_description {
        Some(d) => format!(
            ": {} ({})",
            o.error,
            d.chars().take(200).collect::<String>()
        ),
        None => format!(": {}", o.error),
    });
    TokenError {
        status: Some(status.as_u16()),
        error: oauth.map(|o| o.error),
        message: format!(
            "the token endpoint {} answered {status}{}",
            endpoint,
            said.unwrap_or_default()
        ),
    }
}

/// The auth header value of an access token, marked sensitive so it never shows in `Debug`.
pub(crate) fn auth_header(
    prefix: &str,
    token: &SecretString,
    status: Option<u16>,
) -> Result<HeaderValue, TokenError> {
    let mut header =
        HeaderValue::from_str(&format!("{prefix}{}", token.expose())).map_err(|_| {
            TokenError::new(status, "the access token cannot be sent in a header".into())
        })?;
    header.set_sensitive(true);
    Ok(header)
}

/// A flow's token endpoint for an API base URL, with the base URL's scheme (a test server or
/// gateway may speak plain http).
pub(crate) fn endpoint_for(flow: &TokenFlow, base_url: &str) -> String {
    with_scheme_of(base_url, flow.token_endpoint(base_url))
}

/// `url` with the scheme of `base_url`.
pub(crate) fn with_scheme_of(base_url: &str, url: String) -> String {
    match (base_url.split_once("://"), url.split_once("://")) {
        (Some((scheme, _)), Some((_, rest))) => format!("{scheme}://{rest}"),
        _ => url,
    }
}

impl TokenCache {
    pub(crate) fn new(
        scheme: &'static AuthScheme,
        base_url: &str,
        grant: Grant,
        secret: FlowSecret,
        token_url: Option<String>,
    ) -> Option<Self> {
        let flow = *scheme.flows.iter().find(|f| f.grant == grant)?;
        let endpoint = token_url.unwrap_or_else(|| endpoint_for(&flow, base_url));
        Some(TokenCache {
            flow,
            endpoint,
            secret,
            prefix: scheme.prefix,
            timeouts: (None, Duration::ZERO),
            state: Mutex::new(None),
        })
    }

    /// The client's connect and request timeouts, named when one fires.
    pub(crate) fn with_timeouts(mut self, connect: Option<Duration>, request: Duration) -> Self {
        self.timeouts = (connect, request);
        self
    }

    /// The current token, fetching one if there is none, it is about to expire, or it is `stale`
    /// (a token the server just refused).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        stale: Option<&HeaderValue>,
    ) -> Result<HeaderValue, TokenError> {
        let mut state = self.state.lock().await;
        if let Some(cached) = state.as_ref() {
            let refused = stale.is_some_and(|s| *s == cached.header);
            if !refused && Instant::now() < cached.refresh_at {
                return Ok(cached.header.clone());
            }
        }
        let fresh = self.fetch(http).await?;
        *state = Some(fresh.clone());
        Ok(fresh.header)
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<Cached, TokenError> {
        let mut request = TokenRequest::new(self.endpoint.as_str(), &self.flow, self.timeouts);
        match &self.secret {
            FlowSecret::Client { id, secret } => {
                request =
                    request.client(id, Some(secret.expose()), self.flow.client_authentication);
            }
            FlowSecret::ApiToken(token) => {
                request.form.push((
                    self.flow.secret_form_field.unwrap_or("refresh_token"),
                    token.expose(),
                ));
            }
        }
        let granted = request.send(http).await?;
        let header = auth_header(self.prefix, &granted.access_token, None)?;
        Ok(Cached {
            header,
            refresh_at: refresh_at(granted.started, granted.expires_in),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_time_is_bounded_and_never_overflows() {
        let now = Instant::now();
        assert_eq!(refresh_at(now, Some(3600)), now + Duration::from_secs(3540));
        assert_eq!(refresh_at(now, Some(60)), now + Duration::from_secs(30));
        assert_eq!(refresh_at(now, Some(0)), now);
        assert_eq!(refresh_at(now, None), now + Duration::from_secs(240));
        assert_eq!(
            refresh_at(now, Some(u64::MAX)),
            now + MAX_LIFETIME - REFRESH_MARGIN
        );
    }
}
