//! One file per API group: the group client, one method and one request builder per
//! operation, the operation metadata constants, and deprecated legacy aliases.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

mod docs;
mod paging;
mod request;

use self::docs::{example_args, method_doc, param_doc};
use self::paging::paginator;
use self::request::send_fn;
use super::models::string_enum;
use super::{Options, doc, ident, inner_doc, prose, rust_type};
use crate::ir::{Group, Ident, Operation, Param, Requirement, RustType, Service};

/// The group file's tokens.
pub(super) fn group(service: &Service, g: &Group, options: &Options) -> TokenStream {
    let client_ty = ident(&g.type_name);
    let (module_doc, client_doc) = group_docs(g);
    let param_enums = g.param_enums.iter().map(|e| string_enum(e, options));
    // Each operation's metadata constant sits right before its method.
    let methods = g.operations.iter().map(|op| {
        let info = metadata(service, g, op, options);
        let method = method(service, g, op, options);
        quote!(#info #method)
    });
    let legacy = g.operations.iter().flat_map(legacy_aliases);
    let builders = g
        .operations
        .iter()
        .map(|op| builder(service, g, op, options));
    let imports = imports(g, options);
    quote! {
        #module_doc
        #imports

        #(#param_enums)*

        #client_doc
        #[derive(Debug, Clone)]
        pub struct #client_ty {
            client: Client,
        }

        impl #client_ty {
            pub(crate) fn new(client: Client) -> Self {
                Self { client }
            }

            #(#methods)*
            #(#legacy)*
        }

        #(#builders)*
    }
}

/// The group module's documentation and its client type's.
fn group_docs(g: &Group) -> (TokenStream, TokenStream) {
    let class = g
        .sdk_class
        .as_deref()
        .map(|c| format!(" (`{c}` in the vendor's SDKs)"))
        .unwrap_or_default();
    let module_doc = inner_doc(&format!(
        "The `{}` API group{class}: {}\n\nReach it with [`Client::{}`](super::Client::{}).",
        g.id,
        prose(&g.description),
        g.id,
        g.id
    ));
    let client_doc = doc(&format!(
        "Operations of the `{}` group{class}.\n\n{}\n\nCheap to clone: it shares the [`Client`]'s connection pool.",
        g.id,
        prose(&g.description)
    ));
    (module_doc, client_doc)
}

/// What the group module imports: the models only when an operation names one, the path
/// encoder only when an operation has a path parameter.
fn imports(g: &Group, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let encodes = g
        .operations
        .iter()
        .any(|op| !op.path_params.is_empty())
        .then(|| quote!(encode_path_segment,));
    let uses_models = g.operations.iter().any(|op| {
        op.returns.as_ref().is_some_and(mentions_model)
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
    });
    let use_models = uses_models.then(|| {
        quote!(
            use super::models;
        )
    });
    quote! {
        #use_models
        use super::{Client, Error, Response, ResponseFuture};
        use #runtime::{#encodes InvalidPathSegment, Method, OperationInfo, Request, Requirement};
    }
}

fn mentions_model(t: &RustType) -> bool {
    match t {
        RustType::Model { .. } => true,
        RustType::Vec(t) | RustType::Map(t) => mentions_model(t),
        _ => false,
    }
}

pub(super) fn models_path() -> TokenStream {
    quote!(models::)
}

/// Type of a parameter's value (param enums live in the group module itself).
fn param_type(p: &Param) -> TokenStream {
    let t = rust_type(&p.ty, &quote!());
    if p.list { quote!(Vec<#t>) } else { t }
}

fn metadata(service: &Service, g: &Group, op: &Operation, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let constant = format_ident!("{}", op.constant);
    let (svc, group, name, path) = (&service.id, &g.id, &op.spec_name, &op.path.text);
    let method = format_ident!("{}", op.method.variant());
    let requires = match &op.requires {
        Requirement::Undocumented => quote!(Requirement::Undocumented),
        Requirement::None => quote!(Requirement::None),
        Requirement::Any(l) => quote!(Requirement::Any(&[#(#l),*])),
        Requirement::All(l) => quote!(Requirement::All(&[#(#l),*])),
        Requirement::AccessPolicy(p) => {
            let roles = p
                .roles
                .iter()
                .map(|(id, rname)| quote!(#runtime::Role::new(#id, #rname)));
            let (u, s) = (p.user_accounts, p.service_accounts);
            quote!(Requirement::AccessPolicy(#runtime::AccessPolicy::new(&[#(#roles),*], #u, #s)))
        }
    };
    let legacy = (!op.legacy_names.is_empty()).then(|| {
        let l = op.legacy_names.iter().map(|(name, _)| name);
        quote!(.with_legacy_names(&[#(#l),*]))
    });
    let deprecated = op.deprecated.as_ref().map(|d| quote!(.with_deprecated(#d)));
    let media = (!op.media.is_json_default()).then(|| {
        let accept = &op.media.accept;
        let content_type = op
            .media
            .content_type
            .as_deref()
            .unwrap_or("application/json");
        quote!(.with_media(#accept, #content_type))
    });
    let headers = (!op.header_params.is_empty()).then(|| {
        let names = op.header_params.iter().map(|p| &p.wire);
        quote!(.with_headers(&[#(#names),*]))
    });
    let d = doc(&format!(
        "What [`{0}`](Self::{0}) calls and who may call it: `{1} {2}`, {3}.",
        op.name.word(),
        op.method,
        path,
        op.requires.summary()
    ));
    quote! {
        #d
        pub const #constant: OperationInfo =
            OperationInfo::new(#svc, #group, #name, Method::#method, #path, #requires) #legacy #deprecated #media #headers;
    }
}

/// Required parameters (path, then required query) and the required body, in SDK order:
/// (argument name, argument type, field initializer in the builder).
fn arguments(op: &Operation) -> Vec<(Ident, TokenStream, TokenStream)> {
    let mut args = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let name = p.ident.clone();
        let (ty, conv) = match (&p.ty, p.list) {
            (RustType::String, false) => (quote!(impl Into<String>), quote!(#name: #name.into())),
            (RustType::String, true) => (
                quote!(impl IntoIterator<Item = impl Into<String>>),
                quote!(#name: #name.into_iter().map(Into::into).collect()),
            ),
            (item, true) => {
                let item = rust_type(item, &quote!());
                (
                    quote!(impl IntoIterator<Item = #item>),
                    quote!(#name: #name.into_iter().collect()),
                )
            }
            _ => (param_type(p), quote!(#name)),
        };
        args.push((name, ty, conv));
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        args.push((
            Ident::from_source("body".into()),
            rust_type(&b.ty, &models_path()),
            quote!(body),
        ));
    }
    args
}

fn method(service: &Service, g: &Group, op: &Operation, options: &Options) -> TokenStream {
    let name = op.name.clone();
    let builder = ident(&op.builder);
    let args = arguments(op);
    let params = args.iter().map(|(n, t, _)| quote!(#n: #t));
    let inits = args.iter().map(|(_, _, init)| init);
    let optional = optional_fields(op)
        .into_iter()
        .map(|(n, _, _)| quote!(#n: None));
    let d = doc(&method_doc(service, g, op, options));
    let deprecated = op
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let allow = super::allow_many_arguments(args.len() + 1);
    quote! {
        #d
        #deprecated
        #allow
        pub fn #name(&self, #(#params),*) -> #builder {
            #builder { client: self.client.clone(), #(#inits,)* #(#optional,)* }
        }
    }
}

fn legacy_aliases(op: &Operation) -> Vec<TokenStream> {
    let current = op.name.clone();
    let builder = ident(&op.builder);
    let args = arguments(op);
    op.legacy_names
        .iter()
        .map(|(_, legacy)| {
            let name = legacy.clone();
            let params = args.iter().map(|(n, t, _)| quote!(#n: #t));
            let names = args.iter().map(|(n, _, _)| n);
            let note = format!("renamed to `{}`", op.spec_name);
            let d = doc(&format!(
                "The name older SDK generations gave [`{0}`](Self::{0}); it calls it unchanged.",
                op.name.word()
            ));
            // The alias of a deprecated operation calls it knowingly; its callers get the warning.
            let allow = op.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
            let many = super::allow_many_arguments(args.len() + 1);
            quote! {
                #d
                #[deprecated(note = #note)]
                #allow
                #many
                pub fn #name(&self, #(#params),*) -> #builder {
                    self.#current(#(#names),*)
                }
            }
        })
        .collect()
}

/// Optional parameters and the optional body: (field, value type, parameter).
fn optional_fields(op: &Operation) -> Vec<(Ident, TokenStream, Option<&Param>)> {
    let mut out: Vec<_> = op
        .query_params
        .iter()
        .chain(&op.header_params)
        .filter(|p| !p.required)
        .map(|p| (p.ident.clone(), param_type(p), Some(p)))
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        out.push((
            Ident::from_source("body".into()),
            rust_type(&b.ty, &models_path()),
            None,
        ));
    }
    out
}

/// The request builder of an operation: its struct, setters, `send`, paginator and
/// `IntoFuture`.
fn builder(service: &Service, g: &Group, op: &Operation, options: &Options) -> TokenStream {
    let client_ty = ident(&g.type_name);
    let builder = ident(&op.builder);
    let method = op.name.word();
    let required: Vec<TokenStream> = op
        .path_params
        .iter()
        .chain(&op.query_params)
        .chain(&op.header_params)
        .filter(|p| p.required)
        .map(|p| {
            let n = p.ident.clone();
            let t = param_type(p);
            quote!(#n: #t,)
        })
        .chain(op.body.iter().filter(|b| b.required).map(|b| {
            let t = rust_type(&b.ty, &models_path());
            quote!(body: #t,)
        }))
        .collect();
    let optional = optional_fields(op);
    let optional_decl = optional.iter().map(|(n, t, _)| quote!(#n: Option<#t>,));
    let setters = setters(op, &optional);
    let send = send_fn(&client_ty, op);
    let ret = return_type(op);
    let paging = paginator(service, g, op, options);
    let builder_doc = doc(&format!(
        "Request of [`{client}::{method}`]: set optional parameters, then [`send`](Self::send) it or `.await` it.",
        client = g.type_name
    ));
    quote! {
        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder {
            client: Client,
            #(#required)*
            #(#optional_decl)*
        }

        impl #builder {
            #(#setters)*

            #send
        }

        #paging

        impl ::std::future::IntoFuture for #builder {
            type Output = Result<#ret, Error>;
            type IntoFuture = ResponseFuture<#ret>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

/// What `send` returns on success.
pub(super) fn return_type(op: &Operation) -> TokenStream {
    match &op.returns {
        Some(t) => rust_type(t, &models_path()),
        None => quote!(()),
    }
}

/// One setter per optional parameter, and one for an optional body.
fn setters(op: &Operation, optional: &[(Ident, TokenStream, Option<&Param>)]) -> Vec<TokenStream> {
    optional
        .iter()
        .map(|(n, t, p)| match p {
            Some(p) => {
                let d = doc(&param_doc(p));
                if p.list {
                    let item = rust_type(&p.ty, &quote!());
                    let (arg, conv) = match p.ty {
                        RustType::String => (quote!(impl Into<String>), quote!(.map(Into::into))),
                        _ => (quote!(#item), quote!()),
                    };
                    quote! {
                        #d
                        pub fn #n(mut self, values: impl IntoIterator<Item = #arg>) -> Self {
                            self.#n = Some(values.into_iter() #conv .collect());
                            self
                        }
                    }
                } else if p.ty == RustType::String {
                    quote! { #d pub fn #n(mut self, value: impl Into<String>) -> Self { self.#n = Some(value.into()); self } }
                } else {
                    quote! { #d pub fn #n(mut self, value: #t) -> Self { self.#n = Some(value); self } }
                }
            }
            None => {
                let d = doc(&format!(
                    "The request body{}.",
                    op.body.as_ref().map(|b| format!(": {}", prose(&b.description))).filter(|s| s.len() > 2).unwrap_or_default()
                ));
                quote! { #d pub fn body(mut self, value: #t) -> Self { self.body = Some(value); self } }
            }
        })
        .collect()
}
