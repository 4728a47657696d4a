//! Per service: the module root (client, regions, auth scheme, operation table),
//! the models module, and one file per model and per API group.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{
    EmitError, Options, cfg, doc, double, feature_cfg, ident, inner_doc, models, notifications,
    operations, prose, render, topics,
};
use crate::ir::{ClientAuthentication, Enum, Grant, Service};

/// A module of `models/`: its name, its `#[cfg]`, and the names it exports (its model and the
/// enums of its fields).
type Reexport<'a> = (String, Option<TokenStream>, Vec<&'a str>);

pub(super) fn emit(
    s: &Service,
    options: &Options,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<(), EmitError> {
    let dir = PathBuf::from(&s.module);
    let service_file = s.spec_dir.join("service.yaml");

    // One file per model, with the enums of its fields.
    let mut owned: Vec<Vec<&Enum>> = vec![Vec::new(); s.models.len()];
    for e in &s.enums {
        // The IR gives every field enum its model.
        if let Some(owner) = e.owner {
            owned[owner.0].push(e);
        }
    }
    let mut reexports: Vec<Reexport> = Vec::new();
    for (m, enums) in s.models.iter().zip(owned) {
        let path = dir.join("models").join(format!("{}.rs", m.module));
        let tokens = models::model(m, &enums, options, s);
        files.insert(path.clone(), render(&path, &[&m.spec_file], tokens)?);
        let mut names: Vec<&str> = enums.iter().map(|e| e.type_name.as_str()).collect();
        names.push(&m.type_name);
        names.sort();
        let gate = cfg(&m.gate);
        reexports.push((m.module.clone(), gate.clone(), names));
    }
    let models_mod = {
        let double_feature = double::FEATURE;
        let mods = reexports.iter().map(|(m, gate, _)| {
            let m = format_ident!("{}", m);
            quote!(#gate mod #m;)
        });
        let uses = reexports.iter().map(|(m, gate, names)| {
            let m = format_ident!("{}", m);
            let names = names.iter().map(|n| ident(n));
            quote!(#gate pub use self::#m::{#(#names),*};)
        });
        let d = inner_doc(&format!(
            "The models of the {}: one type per documented schema, named as the API names it.\n\n\
             Fields keep their JSON names on the wire; optional fields are `Option`s left out when `None`; \
             unknown fields the server sends are ignored; enums keep values this client does not know.",
            s.title
        ));
        let arms = s.models.iter().map(|m| {
            let (name, ty, gate) = (&m.name, ident(&m.type_name), cfg(&m.gate));
            quote!(#gate #name => round_trip::<#ty>(value),)
        });
        quote! {
            #d
            #(#mods)*
            #(#uses)*

            /// Decodes `value` as the model the spec names `name`, and encodes it again;
            /// `None` when no model has that name. Support for tests and tools that handle
            /// models by name; not part of the stable API. With the test doubles only: a
            /// match over every model is compile time no other build needs.
            #[doc(hidden)]
            #[cfg(feature = #double_feature)]
            pub fn round_trip_by_name(
                name: &str,
                value: ::serde_json::Value,
            ) -> Option<Result<::serde_json::Value, ::serde_json::Error>> {
                fn round_trip<T: ::serde::Serialize + ::serde::de::DeserializeOwned>(
                    value: ::serde_json::Value,
                ) -> Result<::serde_json::Value, ::serde_json::Error> {
                    ::serde_json::to_value(::serde_json::from_value::<T>(value)?)
                }
                Some(match name {
                    #(#arms)*
                    _ => return None,
                })
            }
        }
    };
    let path = dir.join("models").join("mod.rs");
    let model_files: Vec<&Path> = vec![s.spec_dir.as_path()];
    files.insert(path.clone(), render(&path, &model_files, models_mod)?);

    for g in &s.groups {
        let path = dir.join(format!("{}.rs", g.id));
        let (group, double) = (
            operations::group(s, g, options),
            double::group(s, g, options),
        );
        files.insert(
            path.clone(),
            render(&path, &[&g.spec_file], quote!(#group #double))?,
        );
    }

    if topics::any(s) {
        let path = dir.join("topics.rs");
        let specs: Vec<&Path> = s
            .groups
            .iter()
            .filter(|g| !g.topics.is_empty())
            .map(|g| g.spec_file.as_path())
            .collect();
        files.insert(
            path.clone(),
            render(&path, &specs, topics::module(s, options))?,
        );
    }

    let path = dir.join("double.rs");
    let (doubles, streaming) = (
        double::service(s, options),
        notifications::double(s, options),
    );
    files.insert(
        path.clone(),
        render(&path, &[&service_file], quote!(#doubles #streaming))?,
    );

    let path = dir.join("mod.rs");
    files.insert(
        path.clone(),
        render(&path, &[&service_file], root(s, options))?,
    );
    Ok(())
}

fn root(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let hosts = s
        .hosts
        .iter()
        .map(|h| format!("- `{}`: <{}>", h.name, h.url))
        .collect::<Vec<_>>()
        .join("\n");
    let docs_url = s
        .docs_url
        .as_deref()
        .map(|u| format!("\n\nVendor documentation: <{u}>."))
        .unwrap_or_default();
    let groups_list = s
        .groups
        .iter()
        .map(|g| {
            format!(
                "- `{0}`: {1} operations, through `Client::{0}` (cargo feature `{2}`).",
                g.id,
                g.operations.len(),
                g.feature
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let module_doc = inner_doc(&format!(
        "{}: {}{docs_url}\n\nThe operations, grouped as the vendor's SDKs group them:\n\n{groups_list}\n\n\
         Every operation's method, path and authorization requirement is data: see [`OPERATIONS`].\n\n\
         Hosts:\n\n{hosts}",
        s.title,
        prose(&s.description)
    ));
    let mods = s.groups.iter().map(|g| {
        let (m, gate) = (
            format_ident!("{}", g.id),
            feature_cfg(std::slice::from_ref(&g.feature)),
        );
        quote!(#gate pub mod #m;)
    });
    let error_model = ident(&s.error_model);
    let error_doc = doc(&format!(
        "The error of every operation of this service: a failed request, an error status with the \
         parsed [`models::{}`] body, or a response that does not decode.",
        s.error_model
    ));

    // Regions.
    let variants: Vec<_> = s.hosts.iter().map(|h| ident(&h.variant)).collect();
    let region_variants = s.hosts.iter().map(|h| {
        let d = doc(&format!("`{}`: <{}>", h.name, h.url));
        let v = ident(&h.variant);
        let default = h.default.then(|| quote!(#[default]));
        quote!(#d #default #v,)
    });
    let names = s.hosts.iter().map(|h| &h.name);
    let urls = s.hosts.iter().map(|h| &h.url);
    let region_doc = doc(&format!(
        "The hosts the {} is served from. [`ClientBuilder::base_url`] takes any other (a gateway, a test server).",
        s.title
    ));

    // Auth scheme as data.
    let (header, prefix) = (&s.auth.header, &s.auth.prefix);
    let flows = s.auth.flows.iter().map(|f| {
        let grant = match f.grant {
            Grant::ClientCredentials => quote!(#runtime::Grant::ClientCredentials),
            Grant::ApiToken => quote!(#runtime::Grant::ApiToken),
            Grant::AuthorizationCode => quote!(#runtime::Grant::AuthorizationCode),
            Grant::Pkce => quote!(#runtime::Grant::Pkce),
            Grant::RefreshToken => quote!(#runtime::Grant::RefreshToken),
            Grant::Saml2Bearer => quote!(#runtime::Grant::Saml2Bearer),
        };
        let client_auth = match f.client_authentication {
            ClientAuthentication::Basic => quote!(#runtime::ClientAuthentication::Basic),
            ClientAuthentication::None => quote!(#runtime::ClientAuthentication::None),
        };
        let url = &f.token_url;
        let rewrite = match &f.host_rewrite {
            Some((from, to)) => quote!(Some((#from, #to))),
            None => quote!(None),
        };
        let form = f.form.iter().map(|(k, v)| quote!((#k, #v)));
        let secret = match &f.secret_form_field {
            Some(field) => quote!(Some(#field)),
            None => quote!(None),
        };
        let authorize = f.authorize_url.as_ref().map(|url| quote!(.with_authorize_url(#url)));
        let parameters = (!f.parameters.is_empty()).then(|| {
            let pairs = f.parameters.iter().map(|(argument, field)| quote!((#argument, #field)));
            quote!(.with_parameters(&[#(#pairs),*]))
        });
        quote!(#runtime::TokenFlow::new(#grant, #url, #rewrite, #client_auth, &[#(#form),*], #secret) #authorize #parameters)
    });
    let correlation = match &s.auth.correlation_header {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    let auth_doc = doc(&format!(
        "How access tokens of the {} are obtained and sent: in the `{header}` header{}.",
        s.title,
        if prefix.is_empty() {
            String::new()
        } else {
            format!(", after `{}`", prefix.trim_end())
        }
    ));

    let builder_doc = doc(&builder_doc(
        s,
        &options.crate_name,
        &runtime_for_docs(options),
    ));
    // One builder method per documented token flow.
    let user_methods = user_flow_methods(s, options);
    let raw_doc = doc(&format!(
        "A request by method and path, for an endpoint this crate has no operation for (newer than it, or \
         undocumented): it goes through this client's base URL, tokens, retries, limits, redirect policy and \
         hooks, and an error status decodes as any operation's [`Error`].\n\n\
         ```no_run\n# async fn run(client: {krate}::{module}::Client) -> Result<(), {krate}::{module}::Error> {{\n\
         use {docs_runtime}::Method;\n\n\
         let answer = client\n    .raw(Method::Get, \"/api/v2/a/newer/endpoint\")\n    .query(\"pageSize\", 25)\n    \
         .send_json::<serde_json::Value>()\n    .await?;\n\
         println!(\"{{}} {{:?}}: {{}}\", answer.status, answer.correlation_id, answer.body);\n# Ok(())\n# }}\n```",
        krate = options.crate_name,
        module = s.module,
        docs_runtime = runtime_for_docs(options),
    ));
    let user_tokens = s.auth.flows.iter().any(|f| f.grant.is_user()).then(|| {
        let d = doc("The signed-in user's tokens in use now, after any refresh (to persist them on shutdown); `None` \
             unless the client was built with [`ClientBuilder::user_session`].");
        let runtime = &options.runtime;
        quote! {
            #d
            pub async fn user_tokens(&self) -> Option<#runtime::signin::UserTokens> {
                self.transport.user_tokens().await
            }
        }
    });
    let flow_methods = s.auth.flows.iter().filter_map(|f| match f.grant {
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
    });
    let accessors = s.groups.iter().map(|g| {
        let m = format_ident!("{}", g.id);
        let t = ident(&g.type_name);
        let gate = feature_cfg(std::slice::from_ref(&g.feature));
        let d = doc(&format!(
            "The `{}` operations: {} (cargo feature `{}`)",
            g.id,
            prose(&g.description),
            g.feature
        ));
        quote! { #d #gate pub fn #m(&self) -> #m::#t { #m::#t::new(self.clone()) } }
    });
    let table = s.groups.iter().flat_map(|g| {
        let m = format_ident!("{}", g.id);
        let t = ident(&g.type_name);
        let gate = feature_cfg(std::slice::from_ref(&g.feature));
        g.operations.iter().map(move |op| {
            let c = format_ident!("{}", op.constant);
            quote!(#gate &#m::#t::#c)
        })
    });
    let count = s.groups.iter().map(|g| g.operations.len()).sum::<usize>();
    let table_doc = doc(&format!(
        "Every operation of this service ({count} in all), in group order: method, path template and who may call it. \
         Only the enabled groups' operations are listed."
    ));
    let client_doc = doc(&format!(
        "A client of the {}.\n\nBuild one with [`Client::builder`]; clones share one connection pool, so clone it \
         freely into tasks.\n\n```no_run\n# fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {}::{}::Client::builder()\n    .access_token(std::env::var(\"ACCESS_TOKEN\")?)\n    .build()?;\n\
         # let _ = client;\n# Ok(())\n# }}\n```",
        s.title, options.crate_name, s.module
    ));
    // Only the groups' builders send requests: with the service's feature alone (no group),
    // the transport is unused.
    let features = s.groups.iter().map(|g| g.feature.as_str());
    let unused_without_groups =
        quote!(#[cfg_attr(not(any(#(feature = #features),*)), allow(dead_code))]);
    let double_feature = double::FEATURE;
    let subscription = notifications::root(s, options);
    let topics_mod = topics::any(s).then(|| {
        quote!(
            pub mod topics;
        )
    });
    quote! {
        #module_doc

        #(#mods)*
        pub mod models;
        #topics_mod
        #[cfg(feature = #double_feature)]
        pub mod double;

        use #runtime::{OperationInfo, Transport, TransportBuilder};

        /// What a [`ClientBuilder`] is configured with, beside it: the retry and redirect
        /// policies, the pre-flight check, hooks, and the error of a client that cannot be built.
        pub use #runtime::{Attempt, Authorizer, BuildError, Hook, RedirectPolicy, RetryPolicy};

        /// What a request builder's `send_with_response` and [`Client::raw`] answer: the decoded
        /// body with the status, headers and correlation id.
        pub use #runtime::Response;

        #error_doc
        pub type Error = #runtime::Error<models::#error_model>;

        /// The future of one call, what a request builder's `send` returns: `.await` it for the
        /// operation's result or an [`Error`].
        pub type ResponseFuture<T> = #runtime::ResponseFuture<T, models::#error_model>;

        #region_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Region {
            #(#region_variants)*
        }

        impl Region {
            /// Every region, in the documentation's order.
            pub const ALL: &'static [Region] = &[#(Region::#variants),*];

            /// The region's name (`us-east-1`).
            pub const fn name(self) -> &'static str {
                match self { #(Region::#variants => #names,)* }
            }

            /// The region with this name (`eu-west-1`), if there is one.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|r| r.name() == name)
            }

            /// The API's base URL in this region.
            pub const fn base_url(self) -> &'static str {
                match self { #(Region::#variants => #urls,)* }
            }
        }

        #auth_doc
        pub const AUTH: #runtime::AuthScheme = #runtime::AuthScheme::new(#header, #prefix, &[#(#flows),*], #correlation);

        #table_doc
        pub const OPERATIONS: &[&OperationInfo] = &[#(#table),*];

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            #unused_without_groups
            transport: Transport,
        }

        impl Client {
            /// Starts building a client for the default region.
            pub fn builder() -> ClientBuilder {
                let inner = TransportBuilder::new(Region::default().base_url(), &AUTH)
                    .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
                ClientBuilder { inner }
            }

            #(#accessors)*

            #user_tokens

            #raw_doc
            pub fn raw(&self, method: #runtime::Method, path: &str) -> #runtime::RawRequest<models::#error_model> {
                self.transport.raw(method, path)
            }

            #unused_without_groups
            pub(crate) fn transport(&self) -> &Transport {
                &self.transport
            }
        }

        #subscription

        #builder_doc
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: TransportBuilder,
        }

        impl ClientBuilder {
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

/// The builder's documentation: what it configures, and what the client does on its own (where
/// tokens come from, what is retried, followed and limited), written from the service's spec.
/// The runtime's path as a doctest (another crate) writes it: `crate::runtime` is the
/// generated crate's own.
pub(super) fn runtime_for_docs(options: &Options) -> String {
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
    let listed: Vec<String> = user_flows
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
        .collect();
    let pkce = user_flows.iter().any(|f| f.grant == Grant::Pkce);
    let example = if pkce {
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

fn builder_doc(s: &Service, krate: &str, runtime: &str) -> String {
    let default = s.hosts.iter().find(|h| h.default).or(s.hosts.first());
    let example = default
        .map(|h| h.url.as_str())
        .unwrap_or("https://api.example.com");
    let tokens: Vec<String> = s
        .auth
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
        .collect();
    // The derivation above, checked against the runtime's by a doctest.
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
         # Retries\n\nA `429` is retried for every method; `502`, `503`, `504` and connection failures only for \
         methods that are safe to repeat (not POST or PATCH, whose change may have been applied). By default 3 \
         attempts within 30 s with exponential backoff, waiting as long as `Retry-After` asks within that budget: \
         see [`RetryPolicy`].\n\n\
         # Redirects\n\nFollowed only within the request's origin, at most 5; any other fails with \
         `Error::Redirect` and sends nothing there, since a redirect would carry the token and the body: see \
         [`RedirectPolicy`].\n\n\
         # Limits\n\nA success body is read up to 32 MiB ([`max_response_bytes`](Self::max_response_bytes)), an \
         error body up to 64 KiB; a whole request may take 60 s ([`timeout`](Self::timeout)), a connection 10 s \
         ([`connect_timeout`](Self::connect_timeout)). No compression is negotiated.\n\n\
         # Your HTTP client, headers and hooks\n\n[`http_client`](Self::http_client) sends through a \
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
         ```",
        if tokens.is_empty() {
            "- (this service documents no token flow)".to_owned()
        } else {
            tokens.join("\n")
        },
        module = s.module,
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
