//! `ClientBuilder`: where requests go, how the client authenticates (a token, a token flow, a
//! user's sign-in), its limits and hooks, and its documentation written from the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{Options, doc, prose};
use crate::ir::{Grant, Service, TokenFlow};

/// `ClientBuilder` and its methods.
pub(super) fn client_builder(s: &Service, options: &Options) -> TokenStream {
    let builder_doc = doc(&builder_doc(
        s,
        &options.crate_name,
        &runtime_for_docs(options),
    ));
    let (target, limits, http) = (
        target_and_auth_methods(s, options),
        limit_methods(),
        http_methods(options),
    );
    quote! {
        #builder_doc
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: TransportBuilder,
        }

        impl ClientBuilder {
            #target
            #limits
            #http

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// When the base URL is not a valid `http` or `https` URL, no credentials were given,
            /// a default header is one the client sets, a setting of the HTTP client was given with
            /// a caller's own, or the HTTP client cannot be created.
            pub fn build(self) -> Result<Client, BuildError> {
                Ok(Client { transport: self.inner.build()? })
            }
        }
    }
}

/// Where requests go and how the client authenticates: a region or base URL, the pre-flight
/// check, a token, one method per documented token flow, a user's sign-in.
fn target_and_auth_methods(s: &Service, options: &Options) -> TokenStream {
    let flow_methods = token_flow_methods(s);
    // One builder method per documented token flow.
    let user_methods = user_flow_methods(s, options);
    quote! {
    /// Sends requests to this region's host.
    pub fn region(self, region: Region) -> Self {
        Self { inner: self.inner.base_url(region.base_url()) }
    }

    /// Sends requests to another base URL (`https://host[:port][/prefix]`), such as a gateway or a test server.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        Self { inner: self.inner.base_url(url) }
    }

    /// Checks every call against what the caller holds before sending it: a call the
    /// authorizer denies fails with `Error::Denied` naming what is missing, and no request
    /// is sent. Without it, every call is sent. See `genesys_cloud_client::access`.
    pub fn preflight(self, authorizer: impl Authorizer + 'static) -> Self {
        Self { inner: self.inner.preflight(authorizer) }
    }

    /// Authenticates every request with this access token, as is (no refresh).
    pub fn access_token(self, token: impl Into<String>) -> Self {
        Self { inner: self.inner.access_token(token) }
    }

    #(#flow_methods)*
    #user_methods

    /// Uses this token endpoint instead of the one derived from the base URL.
    pub fn token_url(self, url: impl Into<String>) -> Self {
        Self { inner: self.inner.token_url(url) }
    }
    }
}

/// One method per documented token flow of the service (a user's flows excepted: they are
/// `sign_in` and `user_session`).
fn token_flow_methods(s: &Service) -> Vec<TokenStream> {
    s.auth.flows.iter().filter_map(|f| match f.grant {
        Grant::ClientCredentials => {
            let d = doc(&format!(
                "Obtains access tokens with the client-credentials flow: {}\n\nTokens are cached, shared by every clone \
                 of the client, and refreshed shortly before they expire; concurrent calls wait for one refresh.",
                prose(&f.description)
            ));
            Some(quote! {
                #d
                pub fn client_credentials(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    Self { inner: self.inner.client_credentials(client_id, client_secret) }
                }
            })
        }
        Grant::ApiToken => {
            let d = doc(&format!(
                "Obtains access tokens by exchanging an API token: {}\n\nTokens are cached, shared by every clone \
                 of the client, and refreshed shortly before they expire.",
                prose(&f.description)
            ));
            Some(quote! {
                #d
                pub fn api_token(self, api_token: impl Into<String>) -> Self {
                    Self { inner: self.inner.api_token(api_token) }
                }
            })
        }
        // Users sign in through `sign_in()` and `user_session()`, emitted once below.
        Grant::AuthorizationCode | Grant::Pkce | Grant::RefreshToken | Grant::Saml2Bearer => None,
    })
    .collect()
}

/// Timeouts, the body limit, the redirect and retry policies.
fn limit_methods() -> TokenStream {
    quote! {
    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
        Self { inner: self.inner.connect_timeout(timeout) }
    }

    /// Time allowed for a whole request, response body included (default 60 s): also the
    /// deadline for a server that sends its answer slowly.
    pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
        Self { inner: self.inner.timeout(timeout) }
    }

    /// The largest success body accepted, in bytes (default 32 MiB), enforced while the body
    /// streams in; a longer one fails with `Error::BodyTooLarge`. Error bodies are kept up
    /// to 64 KiB.
    pub fn max_response_bytes(self, limit: u64) -> Self {
        Self { inner: self.inner.max_response_bytes(limit) }
    }

    /// Which redirects are followed (by default up to 5 within the request's origin; a
    /// redirect elsewhere fails with `Error::Redirect` and sends nothing there).
    pub fn redirect_policy(self, policy: RedirectPolicy) -> Self {
        Self { inner: self.inner.redirect_policy(policy) }
    }

    /// How failed requests are retried (by default 3 attempts within 30 s; POST and PATCH only on 429).
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        Self { inner: self.inner.retry_policy(policy) }
    }
    }
}

/// The caller's HTTP client, default headers and hooks.
fn http_methods(options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    quote! {
    /// Sends every request, token requests included, with the caller's HTTP client
    /// (its proxy, TLS roots, connection pool, connect timeout, redirect policy, default
    /// headers and `User-Agent`) instead of one the builder makes. Tokens, retries,
    /// [`timeout`](Self::timeout), the body limit, default headers, hooks and the
    /// pre-flight check apply as before; [`connect_timeout`](Self::connect_timeout) and
    /// [`redirect_policy`](Self::redirect_policy) are that client's to set, and given
    /// here fail the build. Give it `.redirect(RedirectPolicy::default().to_reqwest())`
    /// to keep this client's rule for redirects (within the origin only).
    pub fn http_client(self, client: #runtime::reqwest::Client) -> Self {
        Self { inner: self.inner.http_client(client) }
    }

    /// Adds a header to every API request (not to token requests), such as a tenant or
    /// trace header. The auth header, `Accept` and `Content-Type` are the client's own:
    /// building fails with `BuildError::ReservedHeader`.
    pub fn default_header(
        self,
        name: #runtime::reqwest::header::HeaderName,
        value: #runtime::reqwest::header::HeaderValue,
    ) -> Self {
        Self { inner: self.inner.default_header(name, value) }
    }

    /// Runs `hook` around every attempt of every call, in the order hooks were added:
    /// see [`Hook`].
    pub fn hook(self, hook: impl Hook + 'static) -> Self {
        Self { inner: self.inner.hook(hook) }
    }

    /// Runs `f` with every request just before it is sent (after the pre-flight check,
    /// with the token set); what it changes is sent.
    pub fn before_send(
        self,
        f: impl Fn(&Attempt, &mut #runtime::reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        Self { inner: self.inner.before_send(f) }
    }

    /// Runs `f` when every attempt ends: with the response's status and headers (before
    /// its body is read; also for one that will be retried), or with the error of an
    /// attempt that got no response.
    pub fn after_response(
        self,
        f: impl Fn(&Attempt, Result<&#runtime::reqwest::Response, &#runtime::reqwest::Error>) + Send + Sync + 'static,
    ) -> Self {
        Self { inner: self.inner.after_response(f) }
    }
    }
}

/// The builder's documentation: what it configures, and what the client does on its own (where
/// tokens come from, what is retried, followed and limited), written from the service's spec.
/// The runtime's path as a doctest (another crate) writes it: `crate::runtime` is the
/// generated crate's own.
pub(in crate::emit) fn runtime_for_docs(options: &Options) -> String {
    let path = options.runtime.to_string().replace(' ', "");
    match path.strip_prefix("crate::") {
        Some(rest) => format!("{}::{rest}", options.crate_name),
        None => path.trim_start_matches("::").to_owned(),
    }
}

/// `sign_in()` and `user_session()`, when the service documents a user sign-in flow.
fn user_flow_methods(s: &Service, options: &Options) -> Option<TokenStream> {
    let user_flows: Vec<_> = s.auth.flows.iter().filter(|f| f.grant.is_user()).collect();
    if user_flows.is_empty() {
        return None;
    }
    let runtime = &options.runtime;
    let (krate, module, docs_runtime) = (&options.crate_name, &s.module, runtime_for_docs(options));
    // Links resolve inside the generated crate, where its own name is not in scope.
    let link_runtime = runtime.to_string().replace(' ', "");
    let listed = listed_flows(&user_flows, &link_runtime);
    let example = if user_flows.iter().any(|f| f.grant == Grant::Pkce) {
        pkce_example(krate, module, &docs_runtime)
    } else {
        String::new()
    };
    let sign_in_doc = doc(&format!(
        "The user sign-in flows, against this builder's login host (its region's, or the origin of \
         [`token_url`](Self::token_url)):\n\n{}\n\nThen [`user_session`](Self::user_session) builds a client that \
         acts as the user.\n\n{example}",
        listed.join("\n")
    ));
    let session_doc = doc(
        "Acts as a signed-in user: sends the session's access token, refreshes it with its refresh token \
         shortly before it expires and once when the API refuses it (one refresh for any number of concurrent \
         calls), and hands every new pair of tokens to the session's `on_tokens`. A refresh the token endpoint \
         refuses fails the call with `Error::Refresh`; start from stored tokens with `UserTokens::new` or serde.",
    );
    Some(quote! {
        #sign_in_doc
        pub fn sign_in(&self) -> #runtime::signin::SignIn {
            self.inner.sign_in()
        }

        #session_doc
        pub fn user_session(self, session: #runtime::signin::UserSession) -> Self {
            Self { inner: self.inner.user_session(session) }
        }
    })
}

/// A line per user sign-in flow: its grant, its `SignIn` method, what the vendor says of it.
fn listed_flows(user_flows: &[&TokenFlow], link_runtime: &str) -> Vec<String> {
    user_flows
        .iter()
        .map(|f| {
            let (method, grant) = match f.grant {
                Grant::AuthorizationCode => ("exchange_code", "authorization code"),
                Grant::Pkce => ("exchange_pkce", "authorization code with PKCE"),
                Grant::RefreshToken => ("refresh", "refresh token"),
                Grant::Saml2Bearer => ("saml2_bearer", "SAML2 bearer"),
                Grant::ClientCredentials | Grant::ApiToken => ("", ""),
            };
            let parameters = if f.parameters.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = f.parameters.iter().map(|(a, w)| format!("`{a}` (sent as `{w}`)")).collect();
                format!(" Its parameters: {}.", names.join(", "))
            };
            format!("- {grant} ([`SignIn::{method}`]({link_runtime}::signin::SignIn::{method})): {}{parameters}", prose(&f.description))
        })
        .collect()
}

/// The sign-in example with PKCE, compiled as a doctest.
fn pkce_example(krate: &str, module: &str, docs_runtime: &str) -> String {
    format!(
        "```no_run\n# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {docs_runtime}::signin::{{Pkce, UserSession, random_state}};\n\
         use {krate}::{module}::Client;\n\n\
         let (client_id, redirect_uri) = (\"my-client-id\", \"http://localhost:8080/callback\");\n\
         let builder = Client::builder();\n\
         let sign_in = builder.sign_in();\n\
         let (pkce, state) = (Pkce::new()?, random_state()?);\n\
         let url = sign_in.authorize_url(client_id, redirect_uri, &state, Some(&pkce))?;\n\
         // Open `url` in the user's browser; the redirect brings `code` and `state` back.\n\
         # let (code, returned_state) = (String::new(), state.clone());\n\
         assert_eq!(returned_state, state, \"a callback this sign-in did not start\");\n\
         let tokens = sign_in.exchange_pkce(client_id, &code, redirect_uri, &pkce).await?;\n\
         let session = UserSession::new(client_id, tokens).on_tokens(|tokens| {{\n    \
             // Store `tokens` (serde) to start from them next time.\n    \
             let _ = tokens;\n\
         }});\n\
         let client = builder.user_session(session).build()?;\n\
         # let _ = client;\n# Ok(())\n# }}\n```"
    )
}

fn builder_doc(s: &Service, krate: &str, runtime: &str) -> String {
    let default = s.hosts.iter().find(|h| h.default).or(s.hosts.first());
    let example = default
        .map(|h| h.url.as_str())
        .unwrap_or("https://api.example.com");
    let tokens = token_lines(s, example);
    // The derivation of the lines above, checked against the runtime's by a doctest.
    let checks: Vec<String> = s
        .auth
        .flows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let expected = token_endpoint_for(&f.token_url, f.host_rewrite.as_ref(), example);
            format!("assert_eq!({krate}::{}::AUTH.flows[{i}].token_endpoint({example:?}), {expected:?});", s.module)
        })
        .collect();
    let doctest = if checks.is_empty() {
        String::new()
    } else {
        format!("\n\n```\n{}\n```", checks.join("\n"))
    };
    format!(
        "Configures a [`Client`]: where it sends requests ([`region`](Self::region) or [`base_url`](Self::base_url)), \
         how it authenticates, and its limits.\n\n\
         # Tokens\n\n[`access_token`](Self::access_token) sends a token as is. A token flow fetches, caches and \
         refreshes tokens itself; [`token_url`](Self::token_url) replaces the endpoint derived here:\n\n{}{doctest}\n\n\
         {POLICIES}\n\n{}",
        if tokens.is_empty() {
            "- (this service documents no token flow)".to_owned()
        } else {
            tokens.join("\n")
        },
        hooks_section(krate, &s.module, runtime),
    )
}

/// A line per token flow: the builder method, where its token endpoint is, what it is for the
/// default host's URL (`example`).
fn token_lines(s: &Service, example: &str) -> Vec<String> {
    s.auth
        .flows
        .iter()
        .map(|f| {
            let (method, grant) = match f.grant {
                Grant::ClientCredentials => ("client_credentials", ""),
                Grant::ApiToken => ("api_token", ""),
                Grant::AuthorizationCode => ("sign_in", " (authorization code)"),
                Grant::Pkce => ("sign_in", " (authorization code with PKCE)"),
                Grant::RefreshToken => ("user_session", " (refreshing a user's tokens)"),
                Grant::Saml2Bearer => ("sign_in", " (SAML2 bearer)"),
            };
            let flow = token_endpoint_for(&f.token_url, f.host_rewrite.as_ref(), example);
            let rewrite = match &f.host_rewrite {
                Some((from, to)) => format!(" with a leading `{from}` replaced by `{to}`"),
                None => String::new(),
            };
            format!(
                "- [`{method}`](Self::{method}){grant}: from `{}`, where `{{host}}` is the base URL's host{rewrite} and the \
                 scheme is the base URL's (for `{example}`: `{flow}`).",
                f.token_url
            )
        })
        .collect()
}

/// What the builder documents of the runtime's policies: the same for every service.
const POLICIES: &str = "# Retries\n\nA `429` is retried for every method; `502`, `503`, `504` and connection failures only for \
     methods that are safe to repeat (not POST or PATCH, whose change may have been applied). By default 3 \
     attempts within 30 s with exponential backoff, waiting as long as `Retry-After` asks within that budget: \
     see [`RetryPolicy`].\n\n\
     # Redirects\n\nFollowed only within the request's origin, at most 5; any other fails with \
     `Error::Redirect` and sends nothing there, since a redirect would carry the token and the body: see \
     [`RedirectPolicy`].\n\n\
     # Limits\n\nA success body is read up to 32 MiB ([`max_response_bytes`](Self::max_response_bytes)), an \
     error body up to 64 KiB; a whole request may take 60 s ([`timeout`](Self::timeout)), a connection 10 s \
     ([`connect_timeout`](Self::connect_timeout)). No compression is negotiated.";

/// The builder's section on the caller's HTTP client, headers and hooks, with an example.
fn hooks_section(krate: &str, module: &str, runtime: &str) -> String {
    format!(
        "# Your HTTP client, headers and hooks\n\n[`http_client`](Self::http_client) sends through a \
         `reqwest::Client` of yours (a proxy, your CA roots, a shared pool); \
         [`default_header`](Self::default_header) adds a header to every request; \
         [`before_send`](Self::before_send), [`after_response`](Self::after_response) and [`hook`](Self::hook) \
         run your code around every attempt (logging, metrics, headers). Tokens, retries, limits and the \
         pre-flight check apply to all of them:\n\n\
         ```\n\
         use std::sync::Arc;\n\
         use std::sync::atomic::{{AtomicUsize, Ordering}};\n\
         use {runtime}::reqwest;\n\
         use {krate}::{module}::Client;\n\n\
         let attempts = Arc::new(AtomicUsize::new(0));\n\
         let counted = Arc::clone(&attempts);\n\
         let http = reqwest::Client::builder()\n    \
             .redirect({krate}::{module}::RedirectPolicy::default().to_reqwest())\n    \
             .build()?;\n\
         let client = Client::builder()\n    \
             .access_token(\"token\")\n    \
             .http_client(http)\n    \
             .default_header(reqwest::header::HeaderName::from_static(\"x-tenant\"), reqwest::header::HeaderValue::from_static(\"acme\"))\n    \
             .before_send(|attempt, request| {{\n        \
                 let value = reqwest::header::HeaderValue::from_static(attempt.operation.name);\n        \
                 request.headers_mut().insert(\"x-operation\", value);\n    \
             }})\n    \
             .after_response(move |_, outcome| {{\n        \
                 counted.fetch_add(1, Ordering::Relaxed);\n        \
                 if let Ok(response) = outcome {{\n            \
                     let _status = response.status();\n        \
                 }}\n    \
             }})\n    \
             .build()?;\n\
         # Ok::<(), Box<dyn std::error::Error>>(())\n\
         ```"
    )
}

/// A flow's token endpoint for `base_url`, computed as the runtime does (`TokenFlow::token_endpoint`
/// and the base URL's scheme), for the documentation only.
fn token_endpoint_for(
    token_url: &str,
    rewrite: Option<&(String, String)>,
    base_url: &str,
) -> String {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
    let host = rest.split('/').next().unwrap_or(rest);
    let host = match rewrite {
        Some((from, to)) => host
            .strip_prefix(from.as_str())
            .map_or_else(|| host.to_owned(), |r| format!("{to}{r}")),
        None => host.to_owned(),
    };
    let url = token_url.replace("{host}", &host);
    match url.split_once("://") {
        Some((_, rest)) => format!("{scheme}://{rest}"),
        None => url,
    }
}
