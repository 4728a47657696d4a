//! A signed-in user's tokens, and the session a transport keeps them fresh in.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderValue;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tokio::sync::Mutex;

use crate::metadata::{AuthScheme, Grant, TokenFlow};
use crate::token::{Granted, SecretString, TokenError, TokenRequest, auth_header, endpoint_for};

/// An access token is refreshed this long before it expires, so no request is sent with a token
/// that expires in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A signed-in user's tokens: what a sign-in returns, what a caller stores, and what a client
/// starts from. `Debug` never shows a token.
///
/// Serializes as `{"access_token", "refresh_token", "expires_at"}` (seconds since the Unix
/// epoch), for a caller's own store; treat that JSON as a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct UserTokens {
    access_token: SecretString,
    refresh_token: Option<SecretString>,
    expires_at: Option<SystemTime>,
}

impl UserTokens {
    /// Tokens kept from an earlier sign-in. Without `expires_at` the access token is used until
    /// the API refuses it.
    pub fn new(
        access_token: impl Into<String>,
        refresh_token: Option<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        UserTokens {
            access_token: SecretString::new(access_token),
            refresh_token: refresh_token.map(SecretString::new),
            expires_at,
        }
    }

    pub(crate) fn granted(granted: Granted, previous_refresh: Option<&SecretString>) -> Self {
        let expires_at = granted.expires_in.and_then(|s| {
            let left = Duration::from_secs(s).saturating_sub(granted.started.elapsed());
            SystemTime::now().checked_add(left)
        });
        // A refresh answer without a refresh token leaves the current one in force.
        let refresh_token = granted.refresh_token.or_else(|| previous_refresh.cloned());
        UserTokens {
            access_token: granted.access_token,
            refresh_token,
            expires_at,
        }
    }

    /// The access token.
    pub fn access_token(&self) -> &str {
        self.access_token.expose()
    }

    /// The refresh token, if the sign-in gave one.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_ref().map(SecretString::expose)
    }

    /// When the access token expires, if the token endpoint said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether the access token expires within `margin` from now.
    fn expires_within(&self, margin: Duration) -> bool {
        self.expires_at.is_some_and(|at| {
            SystemTime::now()
                .checked_add(margin)
                .is_none_or(|soon| soon >= at)
        })
    }
}

impl fmt::Debug for UserTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserTokens")
            .field("access_token", &self.access_token)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
}

impl Serialize for UserTokens {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Stored {
            access_token: self.access_token.expose().to_owned(),
            refresh_token: self.refresh_token().map(str::to_owned),
            expires_at: self
                .expires_at
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UserTokens {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        let expires_at = stored
            .expires_at
            .and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s)));
        Ok(UserTokens::new(
            stored.access_token,
            stored.refresh_token,
            expires_at,
        ))
    }
}

/// Called with the new tokens each time they change.
type OnTokens = Arc<dyn Fn(&UserTokens) + Send + Sync>;

/// A user's session for a client: the OAuth client that signed the user in, and the tokens.
/// Give it to the client builder (`user_session`); the client sends the access token and
/// refreshes it with the refresh token shortly before it expires, or once when the API
/// refuses it, one refresh for any number of concurrent calls.
///
/// ```
/// # use api_runtime::signin::{UserSession, UserTokens};
/// let stored = r#"{"access_token":"a","refresh_token":"r","expires_at":1700000000}"#;
/// let tokens: UserTokens = serde_json::from_str(stored)?;
/// let session = UserSession::new("client-id", tokens)
///     .client_secret("client-secret")
///     .on_tokens(|tokens| {
///         // Persist them: the refresh token changes with each refresh.
///         let _json = serde_json::to_string(tokens);
///     });
/// # let _ = session;
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct UserSession {
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<SecretString>,
    pub(crate) tokens: UserTokens,
    pub(crate) on_tokens: Option<OnTokens>,
}

impl UserSession {
    /// The session of the OAuth client `client_id` with these tokens.
    pub fn new(client_id: impl Into<String>, tokens: UserTokens) -> Self {
        UserSession {
            client_id: client_id.into(),
            client_secret: None,
            tokens,
            on_tokens: None,
        }
    }

    /// The client's secret, for a confidential client (authorization code, SAML2 bearer): it
    /// authenticates the refresh with HTTP Basic. A public (PKCE) client has none and sends
    /// its id in the form.
    #[must_use]
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(SecretString::new(secret));
        self
    }

    /// Called with the new tokens after every refresh, from the task that refreshed them, before
    /// the call that needed them goes on: persist them there (keep it quick).
    #[must_use]
    pub fn on_tokens(mut self, f: impl Fn(&UserTokens) + Send + Sync + 'static) -> Self {
        self.on_tokens = Some(Arc::new(f));
        self
    }
}

impl fmt::Debug for UserSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSession")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("tokens", &self.tokens)
            .field("on_tokens", &self.on_tokens.is_some())
            .finish()
    }
}

/// A user session inside a transport: the tokens in use, refreshed under a lock so that
/// concurrent calls wait for one refresh.
pub(crate) struct SessionCache {
    client_id: String,
    client_secret: Option<SecretString>,
    /// The refresh flow and its endpoint, when the service has one.
    refresh: Option<(TokenFlow, String)>,
    prefix: &'static str,
    timeouts: (Option<Duration>, Duration),
    on_tokens: Option<OnTokens>,
    state: Mutex<Current>,
}

struct Current {
    tokens: UserTokens,
    header: HeaderValue,
    /// When this access token was obtained here; `None` for the session's first.
    obtained: Option<Instant>,
}

impl fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionCache")
            .field("client_id", &self.client_id)
            .field("refresh", &self.refresh)
            .finish_non_exhaustive()
    }
}

impl SessionCache {
    /// `None` when the access token cannot be sent in a header.
    pub(crate) fn new(
        scheme: &'static AuthScheme,
        base_url: &str,
        token_url: Option<&str>,
        session: UserSession,
    ) -> Option<Self> {
        let refresh = scheme
            .flows
            .iter()
            .find(|f| f.grant == Grant::RefreshToken)
            .map(|flow| {
                let endpoint =
                    token_url.map_or_else(|| endpoint_for(flow, base_url), str::to_owned);
                (*flow, endpoint)
            });
        let header = auth_header(scheme.prefix, &session.tokens.access_token, None).ok()?;
        Some(SessionCache {
            client_id: session.client_id,
            client_secret: session.client_secret,
            refresh,
            prefix: scheme.prefix,
            // The transport sets its own (`with_timeouts`); this is for a cache built alone.
            timeouts: (None, Duration::from_secs(30)),
            on_tokens: session.on_tokens,
            state: Mutex::new(Current {
                tokens: session.tokens,
                header,
                obtained: None,
            }),
        })
    }

    pub(crate) fn with_timeouts(mut self, connect: Option<Duration>, request: Duration) -> Self {
        self.timeouts = (connect, request);
        self
    }

    /// Whether a refused token can be replaced: the service has a refresh flow and the session
    /// a refresh token (refresh answers keep one in place).
    pub(crate) fn refreshes(&self) -> bool {
        self.refresh.is_some()
            && self
                .state
                .try_lock()
                .map_or(true, |s| s.tokens.refresh_token.is_some())
    }

    /// The tokens in use now.
    pub(crate) async fn tokens(&self) -> UserTokens {
        self.state.lock().await.tokens.clone()
    }

    /// The access token to send: the current one, or a refreshed one when it expires within a
    /// minute or is `stale` (the API just refused it). Without a refresh token or flow, the
    /// current one is sent and the API decides.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        stale: Option<&HeaderValue>,
    ) -> Result<HeaderValue, TokenError> {
        let mut current = self.state.lock().await;
        let refused = stale.is_some_and(|s| *s == current.header);
        // A token obtained moments ago that already "expires" has a lifetime under the margin:
        // use it rather than refresh on every call.
        let just_obtained = current
            .obtained
            .is_some_and(|at| at.elapsed() < REFRESH_MARGIN / 2);
        let expiring = current.tokens.expires_within(REFRESH_MARGIN) && !just_obtained;
        if !refused && !expiring {
            return Ok(current.header.clone());
        }
        let (Some((flow, endpoint)), Some(refresh_token)) =
            (&self.refresh, current.tokens.refresh_token.clone())
        else {
            return Ok(current.header.clone());
        };
        let granted = self
            .refresh_request(flow, endpoint, &refresh_token)
            .send(http)
            .await?;
        let tokens = UserTokens::granted(granted, Some(&refresh_token));
        let header = auth_header(self.prefix, &tokens.access_token, None)?;
        *current = Current {
            tokens,
            header: header.clone(),
            obtained: Some(Instant::now()),
        };
        tracing::debug!(client_id = %self.client_id, "refreshed the user's access token");
        if let Some(on_tokens) = &self.on_tokens {
            on_tokens(&current.tokens);
        }
        Ok(header)
    }

    fn refresh_request<'a>(
        &'a self,
        flow: &'a TokenFlow,
        endpoint: &'a str,
        refresh_token: &'a SecretString,
    ) -> TokenRequest<'a> {
        let mut request = TokenRequest::new(endpoint, flow, self.timeouts);
        request.form.push(("refresh_token", refresh_token.expose()));
        let secret = self.client_secret.as_ref().map(SecretString::expose);
        request.client(&self.client_id, secret, flow.client_authentication)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_json_and_never_show_in_debug() {
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let tokens = UserTokens::new("access-secret", Some("refresh-secret".into()), Some(at));
        let json = serde_json::to_string(&tokens).unwrap();
        assert_eq!(
            json,
            r#"{"access_token":"access-secret","refresh_token":"refresh-secret","expires_at":1700000000}"#
        );
        assert_eq!(serde_json::from_str::<UserTokens>(&json).unwrap(), tokens);
        let bare: UserTokens = serde_json::from_str(r#"{"access_token":"a"}"#).unwrap();
        assert_eq!((bare.refresh_token(), bare.expires_at()), (None, None));
        let shown = format!(
            "{tokens:?} {:?}",
            UserSession::new("id", tokens.clone()).client_secret("client-secret")
        );
        for secret in ["access-secret", "refresh-secret", "client-secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[test]
    fn accessors_and_debug_show_what_is_not_secret() {
        let at = UNIX_EPOCH + Duration::from_secs(5);
        let tokens = UserTokens::new("a", Some("r".into()), Some(at));
        assert_eq!(
            (
                tokens.access_token(),
                tokens.refresh_token(),
                tokens.expires_at()
            ),
            ("a", Some("r"), Some(at))
        );
        let shown = format!("{tokens:?}");
        assert!(
            shown.starts_with("UserTokens")
                && shown.contains("expires_at")
                && shown.contains("<redacted>"),
            "{shown}"
        );
        let session = format!(
            "{:?}",
            UserSession::new("the-client", tokens).on_tokens(|_| {})
        );
        assert!(
            session.contains("the-client") && session.contains("on_tokens: true"),
            "{session}"
        );
    }

    #[test]
    fn expiry_is_judged_with_the_margin() {
        let soon = UserTokens::new(
            "a",
            None,
            SystemTime::now().checked_add(Duration::from_secs(30)),
        );
        assert!(soon.expires_within(REFRESH_MARGIN));
        let later = UserTokens::new(
            "a",
            None,
            SystemTime::now().checked_add(Duration::from_secs(600)),
        );
        assert!(!later.expires_within(REFRESH_MARGIN));
        assert!(!UserTokens::new("a", None, None).expires_within(REFRESH_MARGIN));
    }

    #[cfg(feature = "double")]
    mod refresh {
        use std::sync::atomic::{AtomicUsize, Ordering};

        use super::*;
        use crate::metadata::{ClientAuthentication, TokenFlow};
        use wiremock::matchers::{body_string, header, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        static REFRESHING: AuthScheme = AuthScheme::new(
            "Authorization",
            "Bearer ",
            &[TokenFlow::new(
                Grant::RefreshToken,
                "https://{host}/oauth/token",
                None,
                ClientAuthentication::Basic,
                &[("grant_type", "refresh_token")],
                None,
            )],
            None,
        );
        static NO_REFRESH: AuthScheme = AuthScheme::new("Authorization", "Bearer ", &[], None);

        fn granted(access: &str, refresh: Option<&str>, expires_in: u64) -> ResponseTemplate {
            let mut body = serde_json::json!({"access_token": access, "expires_in": expires_in});
            if let Some(refresh) = refresh {
                body["refresh_token"] = serde_json::json!(refresh);
            }
            ResponseTemplate::new(200).set_body_json(body)
        }

        fn in_secs(s: u64) -> Option<SystemTime> {
            SystemTime::now().checked_add(Duration::from_secs(s))
        }

        /// A session on `server`, counting the tokens handed to `on_tokens`.
        fn session(
            server: &MockServer,
            scheme: &'static AuthScheme,
            tokens: UserTokens,
            seen: &Arc<AtomicUsize>,
        ) -> SessionCache {
            let seen = Arc::clone(seen);
            let session = UserSession::new("id", tokens)
                .client_secret("secret")
                .on_tokens(move |_| {
                    seen.fetch_add(1, Ordering::SeqCst);
                });
            SessionCache::new(scheme, &server.uri(), None, session).unwrap()
        }

        async fn refreshes_made(server: &MockServer) -> usize {
            server.received_requests().await.unwrap().len()
        }

        #[tokio::test]
        async fn fresh_tokens_are_sent_and_expiring_ones_refreshed_once() {
            let server = MockServer::start().await;
            Mock::given(path("/oauth/token"))
                .and(header("authorization", "Basic aWQ6c2VjcmV0"))
                .and(body_string("grant_type=refresh_token&refresh_token=r1"))
                .respond_with(granted("b", Some("r2"), 3600))
                .mount(&server)
                .await;
            let http = reqwest::Client::new();
            let seen = Arc::new(AtomicUsize::new(0));
            let fresh = session(
                &server,
                &REFRESHING,
                UserTokens::new("a", Some("r1".into()), in_secs(600)),
                &seen,
            );
            assert_eq!(fresh.token(&http, None).await.unwrap(), "Bearer a");
            assert!(fresh.refreshes());
            assert_eq!(refreshes_made(&server).await, 0);
            let expiring = session(
                &server,
                &REFRESHING,
                UserTokens::new("a", Some("r1".into()), in_secs(30)),
                &seen,
            );
            assert_eq!(expiring.token(&http, None).await.unwrap(), "Bearer b");
            assert_eq!(
                expiring.token(&http, None).await.unwrap(),
                "Bearer b",
                "fresh now"
            );
            assert_eq!(
                (refreshes_made(&server).await, seen.load(Ordering::SeqCst)),
                (1, 1)
            );
            let now = expiring.tokens().await;
            assert_eq!((now.access_token(), now.refresh_token()), ("b", Some("r2")));
            assert!(now.expires_at().unwrap() > in_secs(3500).unwrap());
        }

        #[tokio::test]
        async fn a_refused_token_is_refreshed_but_not_an_older_one() {
            let server = MockServer::start().await;
            Mock::given(path("/oauth/token"))
                .respond_with(granted("b", None, 3600))
                .mount(&server)
                .await;
            let http = reqwest::Client::new();
            let seen = Arc::new(AtomicUsize::new(0));
            let cache = session(
                &server,
                &REFRESHING,
                UserTokens::new("a", Some("r1".into()), None),
                &seen,
            );
            let older = HeaderValue::from_static("Bearer older");
            assert_eq!(
                cache.token(&http, Some(&older)).await.unwrap(),
                "Bearer a",
                "another token was refused"
            );
            let current = HeaderValue::from_static("Bearer a");
            assert_eq!(
                cache.token(&http, Some(&current)).await.unwrap(),
                "Bearer b"
            );
            assert_eq!(refreshes_made(&server).await, 1);
            assert_eq!(
                cache.tokens().await.refresh_token(),
                Some("r1"),
                "kept: the answer had none"
            );
        }

        #[tokio::test]
        async fn a_short_lived_token_just_obtained_is_used_not_refreshed_again() {
            let server = MockServer::start().await;
            Mock::given(path("/oauth/token"))
                .respond_with(granted("b", Some("r2"), 10))
                .mount(&server)
                .await;
            let http = reqwest::Client::new();
            let seen = Arc::new(AtomicUsize::new(0));
            let cache = session(
                &server,
                &REFRESHING,
                UserTokens::new("a", Some("r1".into()), in_secs(5)),
                &seen,
            );
            for _ in 0..3 {
                assert_eq!(cache.token(&http, None).await.unwrap(), "Bearer b");
            }
            assert_eq!(refreshes_made(&server).await, 1);
        }

        #[tokio::test]
        async fn without_a_refresh_token_or_flow_the_current_token_is_sent() {
            let server = MockServer::start().await;
            let http = reqwest::Client::new();
            let seen = Arc::new(AtomicUsize::new(0));
            let current = HeaderValue::from_static("Bearer a");
            let no_token = session(
                &server,
                &REFRESHING,
                UserTokens::new("a", None, in_secs(1)),
                &seen,
            );
            assert!(!no_token.refreshes());
            assert_eq!(
                no_token.token(&http, Some(&current)).await.unwrap(),
                "Bearer a"
            );
            let no_flow = session(
                &server,
                &NO_REFRESH,
                UserTokens::new("a", Some("r".into()), in_secs(1)),
                &seen,
            );
            assert!(!no_flow.refreshes());
            assert_eq!(
                no_flow.token(&http, Some(&current)).await.unwrap(),
                "Bearer a"
            );
            assert_eq!(refreshes_made(&server).await, 0);
        }

        #[tokio::test]
        async fn a_refused_refresh_keeps_the_tokens_and_names_the_error() {
            let server = MockServer::start().await;
            let refused = ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({"error": "invalid_grant"}));
            Mock::given(path("/oauth/token"))
                .respond_with(refused)
                .mount(&server)
                .await;
            let seen = Arc::new(AtomicUsize::new(0));
            let cache = session(
                &server,
                &REFRESHING,
                UserTokens::new("a", Some("r1".into()), in_secs(1)),
                &seen,
            );
            let e = cache
                .token(&reqwest::Client::new(), None)
                .await
                .unwrap_err();
            assert_eq!(
                (e.status, e.error.as_deref()),
                (Some(400), Some("invalid_grant"))
            );
            assert_eq!(
                (
                    cache.tokens().await.access_token(),
                    seen.load(Ordering::SeqCst)
                ),
                ("a", 0)
            );
        }

        #[test]
        fn the_refresh_form_follows_the_client_kind() {
            let server_uri = "http://127.0.0.1:9";
            let make = |secret: Option<&str>, auth: ClientAuthentication| {
                let mut session =
                    UserSession::new("id", UserTokens::new("a", Some("r".into()), None));
                if let Some(secret) = secret {
                    session = session.client_secret(secret);
                }
                let flow = TokenFlow::new(
                    Grant::RefreshToken,
                    "https://{host}/t",
                    None,
                    auth,
                    &[("grant_type", "refresh_token")],
                    None,
                );
                (
                    SessionCache::new(
                        &REFRESHING,
                        server_uri,
                        Some("http://127.0.0.1:9/t"),
                        session,
                    )
                    .unwrap(),
                    flow,
                )
            };
            let refresh = SecretString::new("r");
            let (basic, flow) = make(Some("s"), ClientAuthentication::Basic);
            let request = basic.refresh_request(&flow, "e", &refresh);
            assert_eq!(
                (request.basic, request.form),
                (
                    Some(("id", "s")),
                    vec![("grant_type", "refresh_token"), ("refresh_token", "r")]
                )
            );
            let (in_form, flow) = make(Some("s"), ClientAuthentication::None);
            let request = in_form.refresh_request(&flow, "e", &refresh);
            assert_eq!(request.basic, None);
            assert_eq!(
                request.form[2..],
                [("client_id", "id"), ("client_secret", "s")]
            );
            let (public, flow) = make(None, ClientAuthentication::Basic);
            let request = public.refresh_request(&flow, "e", &refresh);
            assert_eq!(
                (request.basic, &request.form[2..]),
                (None, &[("client_id", "id")][..])
            );
            assert_eq!(
                basic
                    .refresh
                    .as_ref()
                    .map(|(_, endpoint)| endpoint.as_str()),
                Some("http://127.0.0.1:9/t"),
                "the given token URL"
            );
            assert!(format!("{basic:?}").contains("SessionCache"));
        }
    }
}
