//! The service module's root: its documentation and modules, the `Error` and future types,
//! the regions, the auth scheme and operation table as data, and the `Client`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::{
    Options, doc, double, feature_cfg, ident, inner_doc, notifications, prose, topics,
};
use super::builder::{client_builder, runtime_for_docs};
use crate::ir::{ClientAuthentication, Grant, Service};

/// The service's `mod.rs`.
pub(super) fn root(s: &Service, options: &Options) -> TokenStream {
    let header = header(s, options);
    let region = region(s);
    let auth = auth_scheme(s, options);
    let table = operations_table(s);
    let client = client(s, options);
    let subscription = notifications::root(s, options);
    let builder = client_builder(s, options);
    quote! {
        #header
        #region
        #auth
        #table
        #client
        #subscription
        #builder
    }
}

/// The module's documentation, its modules, and the types every operation shares.
fn header(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let module_doc = module_doc(s);
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

    let double_feature = double::FEATURE;
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
    }
}

/// The service module's documentation: the service, its groups and hosts.
fn module_doc(s: &Service) -> TokenStream {
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
    inner_doc(&format!(
        "{}: {}{docs_url}\n\nThe operations, grouped as the vendor's SDKs group them:\n\n{groups_list}\n\n\
         Every operation's method, path and authorization requirement is data: see [`OPERATIONS`].\n\n\
         Hosts:\n\n{hosts}",
        s.title,
        prose(&s.description)
    ))
}

/// `Region`: the hosts the service is served from.
fn region(s: &Service) -> TokenStream {
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
    quote! {
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
    }
}

/// `AUTH`: how tokens are obtained and sent, as data.
fn auth_scheme(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
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
    quote! {
        #auth_doc
        pub const AUTH: #runtime::AuthScheme = #runtime::AuthScheme::new(#header, #prefix, &[#(#flows),*], #correlation);
    }
}

/// `OPERATIONS`: every operation's metadata, of the enabled groups.
fn operations_table(s: &Service) -> TokenStream {
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
    quote! {
        #table_doc
        pub const OPERATIONS: &[&OperationInfo] = &[#(#table),*];
    }
}

/// `Client`: its builder, one accessor per group, raw requests and the user's tokens.
fn client(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let error_model = ident(&s.error_model);
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
    let raw_doc = raw_doc(s, options);
    let user_tokens = user_tokens_method(s, options);
    let client_doc = client_doc(s, options);
    // Only the groups' builders send requests: with the service's feature alone (no group),
    // the transport is unused.
    let features = s.groups.iter().map(|g| g.feature.as_str());
    let unused_without_groups =
        quote!(#[cfg_attr(not(any(#(feature = #features),*)), allow(dead_code))]);
    quote! {
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
    }
}

/// The documentation of `Client::raw`, with an example.
fn raw_doc(s: &Service, options: &Options) -> TokenStream {
    doc(&format!(
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
    ))
}

/// `Client::user_tokens`, when the service documents a user sign-in flow.
fn user_tokens_method(s: &Service, options: &Options) -> Option<TokenStream> {
    s.auth.flows.iter().any(|f| f.grant.is_user()).then(|| {
        let d = doc("The signed-in user's tokens in use now, after any refresh (to persist them on shutdown); `None` \
             unless the client was built with [`ClientBuilder::user_session`].");
        let runtime = &options.runtime;
        quote! {
            #d
            pub async fn user_tokens(&self) -> Option<#runtime::signin::UserTokens> {
                self.transport.user_tokens().await
            }
        }
    })
}

/// The documentation of `Client`, with an example.
fn client_doc(s: &Service, options: &Options) -> TokenStream {
    doc(&format!(
        "A client of the {}.\n\nBuild one with [`Client::builder`]; clones share one connection pool, so clone it \
         freely into tasks.\n\n```no_run\n# fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {}::{}::Client::builder()\n    .access_token(std::env::var(\"ACCESS_TOKEN\")?)\n    .build()?;\n\
         # let _ = client;\n# Ok(())\n# }}\n```",
        s.title, options.crate_name, s.module
    ))
}
