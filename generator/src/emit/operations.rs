//! One file per API group: the group client, one method and one request builder per
//! operation, the operation metadata constants, and deprecated legacy aliases.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::string_enum;
use super::{Options, doc, ident, inner_doc, prose, rust_type, type_words};
use crate::ir::{
    EnumId, Field, FieldRef, Group, Ident, Location, Operation, PagingStyle, Param, PathSegment,
    Requirement, RustType, Service,
};

/// The group file's tokens.
pub(super) fn group(service: &Service, g: &Group, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let client_ty = ident(&g.type_name);
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
        #module_doc
        #use_models
        use super::{Client, Error, Response, ResponseFuture};
        use #runtime::{#encodes InvalidPathSegment, Method, OperationInfo, Request, Requirement};

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

fn mentions_model(t: &RustType) -> bool {
    match t {
        RustType::Model { .. } => true,
        RustType::Vec(t) | RustType::Map(t) => mentions_model(t),
        _ => false,
    }
}

fn models_path() -> TokenStream {
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
fn return_type(op: &Operation) -> TokenStream {
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

/// `send`: the encoded path, the query, the body, and the call.
fn send_fn(client_ty: &proc_macro2::Ident, op: &Operation) -> TokenStream {
    let constant = format_ident!("{}", op.constant);
    // The path, with each placeholder percent-encoded as one segment.
    let (fmt, path_args) = path_format(op);
    let segments = path_args.iter().map(|p| {
        let n = p.ident.clone();
        // Numbers and dates (`2024-01-31`) as their `Display` text.
        let value = match p.ty {
            RustType::Enum(_) => quote!(self.#n.as_str()),
            RustType::String => quote!(&self.#n),
            _ => quote!(&self.#n.to_string()),
        };
        let name = p.ident.word();
        quote!(let #n = encode_path_segment(#value, #name)?;)
    });
    let path_expr = if path_args.is_empty() {
        quote!(String::from(#fmt))
    } else if path_args.iter().any(|p| p.ident.is_raw()) {
        // Raw identifiers cannot be captured by name in format strings.
        let names = path_args.iter().map(|p| p.ident.clone());
        let fmt = fmt.clone();
        let positional = path_args
            .iter()
            .fold(fmt, |f, p| f.replacen(&format!("{{{}}}", p.ident), "{}", 1));
        quote!(format!(#positional, #(#names),*))
    } else {
        quote!(format!(#fmt))
    };
    let queries = op.query_params.iter().map(|p| {
        let n = p.ident.clone();
        let wire = &p.wire;
        // A date-time goes as RFC 3339 with milliseconds and `Z`, as the APIs document it;
        // chrono's `Display` would write `2024-01-31 10:00:00 UTC`.
        let text = |value: TokenStream| match p.ty {
            RustType::DateTime => quote!(&#value.to_rfc3339_opts(::chrono::SecondsFormat::Millis, true)),
            _ => value,
        };
        match (p.required, p.list) {
            (true, false) => {
                let v = text(quote!(self.#n));
                quote!(request.query(#wire, &#v);)
            }
            (true, true) => {
                let v = text(quote!(value));
                quote!(for value in &self.#n { request.query(#wire, #v); })
            }
            (false, false) => {
                let v = text(quote!(value));
                quote!(if let Some(value) = &self.#n { request.query(#wire, #v); })
            }
            (false, true) => {
                let v = text(quote!(value));
                quote!(if let Some(values) = &self.#n { for value in values { request.query(#wire, #v); } })
            }
        }
    });
    let headers = op.header_params.iter().map(|p| {
        let n = p.ident.clone();
        let wire = &p.wire;
        // An enum goes as its wire value; anything else as its `Display` text.
        let text = |value: TokenStream| match p.ty {
            RustType::Enum(_) => quote!(&#value.as_str()),
            _ => value,
        };
        if p.required {
            let v = text(quote!(self.#n));
            let v = if matches!(p.ty, RustType::Enum(_)) {
                v
            } else {
                quote!(&#v)
            };
            quote!(request.header(#wire, #v);)
        } else {
            let v = text(quote!(value));
            quote!(if let Some(value) = &self.#n { request.header(#wire, #v); })
        }
    });
    let body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(request.json(&self.body);)
        } else {
            quote!(if let Some(body) = &self.body {
                request.json(body);
            })
        }
    });
    let needs_mut =
        !op.query_params.is_empty() || !op.header_params.is_empty() || op.body.is_some();
    let request_binding = if needs_mut {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let ret = return_type(op);
    let (call, call_with_response) = match &op.returns {
        Some(_) if op.media.text => (quote!(call_text), quote!(call_text_with_response)),
        Some(_) => (quote!(call_json), quote!(call_json_with_response)),
        None => (quote!(call_empty), quote!(call_empty_with_response)),
    };
    let send_doc = doc(&format!(
        "Sends the request when the returned future is awaited (awaiting the builder does the same).\n\n# Errors\n\nAn [`Error`] when the request cannot be sent, the server answers with \
         an error status{}, or the response body is not a valid {}.",
        if op.errors.is_empty() {
            String::new()
        } else {
            format!(
                " (documented: {})",
                op.errors
                    .iter()
                    .map(|(status, _)| status.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        match &op.returns {
            Some(_) if op.media.text => format!(
                "text ({}: returned as it arrives, not decoded) in UTF-8",
                op.media.accept
            ),
            Some(t) => type_words(t, "models::"),
            None => "empty body".into(),
        }
    ));
    // `send` is not `async`: the runtime's one generic future runs every call, so the compiler
    // checks no state machine per operation.
    quote! {
        #send_doc
        pub fn send(self) -> ResponseFuture<#ret> {
            let request = self.build_request();
            self.client.transport().#call(request)
        }

        /// As [`send`](Self::send), with the response's status and headers (`ETag`, `Location`,
        /// rate limits) and correlation id beside the body.
        ///
        /// # Errors
        ///
        /// As [`send`](Self::send).
        pub fn send_with_response(self) -> ResponseFuture<Response<#ret>> {
            let request = self.build_request();
            self.client.transport().#call_with_response(request)
        }

        /// The request as it goes on the wire: path segments encoded, query, headers, body.
        fn build_request(&self) -> Result<Request, InvalidPathSegment> {
            #(#segments)*
            let path = #path_expr;
            #request_binding = Request::new(&#client_ty::#constant, path);
            #(#queries)*
            #(#headers)*
            #body
            Ok(request)
        }
    }
}

/// For paged operations: `into_paginator` and the `PagedRequest` implementation.
fn paginator(
    service: &Service,
    g: &Group,
    op: &Operation,
    options: &Options,
) -> Option<TokenStream> {
    let service_module = service.module.as_str();
    let builder = ident(&op.builder);
    let svc = format!("{}::{}", options.crate_name, service_module);
    let (setup, example_args) = example_args(g, op, &svc);
    // The body (if required) as a hidden line: the example is about paging.
    let setup: String = setup.lines().map(|l| format!("# {l}\n")).collect();
    op.paging.as_ref().map(|p| {
        let runtime = &options.runtime;
        let item = rust_type(&p.item, &models_path());
        let param = p.parameter.clone();
        let items_field = service.field(&p.items);
        let items = &items_field.ident;
        let into_items = if items_field.required { quote!(page.#items) } else { quote!(page.#items.unwrap_or_default()) };
        let next = match &p.style {
            PagingStyle::PageNumber { page_count } => {
                let len = if items_field.required { quote!(page.#items.len()) } else { quote!(page.#items.as_ref().map_or(0, Vec::len)) };
                let count = match page_count.map(|f| service.field(&f)) {
                    Some(f) if f.required => {
                        let f = &f.ident;
                        quote!(Some(i64::from(page.#f)))
                    }
                    Some(f) => {
                        let f = &f.ident;
                        quote!(page.#f.map(i64::from))
                    }
                    None => quote!(None),
                };
                quote!(#runtime::next_page_number(self.#param, #count, #len)?)
            }
            PagingStyle::Cursor { next } => {
                let cursor = field_path(&fields(service, next));
                quote!(#runtime::next_cursor(self.#param.as_deref(), #cursor)?)
            }
            PagingStyle::NextUri { next_uri } => {
                let (link, wire) = (field_path(&[service.field(next_uri)]), &p.parameter_wire);
                quote!(#runtime::next_cursor(self.#param.as_deref(), #runtime::link_parameter(#link, #wire).as_deref())?)
            }
        };
        let last = match &p.style {
            PagingStyle::PageNumber { page_count: Some(_) } => "after the last page the listing counts",
            PagingStyle::PageNumber { page_count: None } => "at the first empty page",
            PagingStyle::Cursor { .. } => "at the first page without a next cursor",
            PagingStyle::NextUri { .. } => "at the first page without a link to the next",
        };
        let d = doc(&format!(
            "Pages through every result lazily, starting with this request (every parameter kept, the page size \
             included) and setting [`{0}`](Self::{0}) for each next page.\n\nUse `.items()` for a stream of {1}, or \
             `.pages()` for whole pages. It stops {7}; an error ends the stream after it is yielded.\n\n\
             ```no_run\n# async fn example(client: {2}::{3}::Client) -> Result<(), {2}::{3}::Error> {{\n{setup}\
             use futures_util::TryStreamExt;\n\nlet all: Vec<_> = client\n    .{4}()\n    .{5}({6})\n    .into_paginator()\n    .items()\n    .try_collect()\n    .await?;\n\
             # let _ = all;\n# Ok(())\n# }}\n```",
            p.parameter.word(),
            type_words(&p.item, "models::"),
            options.crate_name,
            service_module,
            g.id,
            op.name.word(),
            example_args,
            last,
        ));
        let page_ty = op.returns.as_ref().map(|t| rust_type(t, &models_path())).unwrap_or_default();
        quote! {
            impl #builder {
                #d
                pub fn into_paginator(self) -> #runtime::Paginator<Self> {
                    #runtime::Paginator::new(self)
                }
            }

            impl #runtime::PagedRequest for #builder {
                type Page = #page_ty;
                type Item = #item;
                type Error = Error;

                fn send_page(self) -> #runtime::PageFuture<Self::Page, Self::Error> {
                    self.send()
                }

                fn next_request(&self, page: &Self::Page) -> Option<Self> {
                    let next = #next;
                    let mut request = self.clone();
                    request.#param = Some(next);
                    Some(request)
                }

                fn into_items(page: Self::Page) -> Vec<Self::Item> {
                    #into_items
                }
            }
        }
    })
}

/// The fields `refs` refer to.
fn fields<'a>(service: &'a Service, refs: &[FieldRef]) -> Vec<&'a Field> {
    refs.iter().map(|r| service.field(r)).collect()
}

/// An `Option<&str>` read from `page` through `path`: each step a field, through models, the
/// last a string.
fn field_path(path: &[&Field]) -> TokenStream {
    let Some((last, models)) = path.split_last() else {
        return quote!(None);
    };
    // The field read from `page` first, then from `v`, each model reached so far in turn.
    let read = |chain: &Option<TokenStream>, f: &Field| {
        let (on, f) = (
            if chain.is_some() {
                quote!(v)
            } else {
                quote!(page)
            },
            &f.ident,
        );
        quote!(#on.#f)
    };
    // One more step after `chain` (`None` while still at `page`): `value` is what the step
    // yields, optional or not.
    let link =
        |chain: Option<TokenStream>, required: bool, value: TokenStream| match (chain, required) {
            (None, true) => quote!(Some(#value)),
            (None, false) => value,
            (Some(c), true) => quote!(#c.map(|v| #value)),
            (Some(c), false) => quote!(#c.and_then(|v| #value)),
        };
    let mut chain: Option<TokenStream> = None;
    for f in models {
        let e = read(&chain, f);
        let value = if f.required {
            quote!(&#e)
        } else {
            quote!(#e.as_ref())
        };
        chain = Some(link(chain, f.required, value));
    }
    let e = read(&chain, last);
    let value = if last.required {
        quote!(#e.as_str())
    } else {
        quote!(#e.as_deref())
    };
    link(chain, last.required, value)
}

/// `format!` string of the path, with each placeholder named after its parameter's local
/// variable (`/roles/{role_id}`), and the parameters in order.
fn path_format(op: &Operation) -> (String, Vec<&Param>) {
    let mut fmt = String::new();
    let mut args = Vec::new();
    for segment in &op.path.segments {
        match segment {
            PathSegment::Literal(text) => fmt.push_str(text),
            PathSegment::Param(wire) => {
                if let Some(p) = op.path_params.iter().find(|p| p.wire == *wire) {
                    args.push(p);
                    fmt.push_str(&format!("{{{}}}", p.ident));
                }
            }
        }
    }
    (fmt, args)
}

/// Text ending with a full stop, so more can follow it (empty stays empty).
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() || t.ends_with(['.', '!', '?']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

fn param_doc(p: &Param) -> String {
    let d = match (p.description.is_empty(), p.location) {
        (false, _) => prose(&p.description),
        (true, Location::Header) => format!("The `{}` header.", p.wire),
        (true, _) => format!("The `{}` query parameter.", p.wire),
    };
    let mut d = sentence(&d);
    match p.location {
        Location::Header => d.push_str(&format!("\n\nSent in the `{}` header", p.wire)),
        Location::Path | Location::Query => d.push_str(&format!("\n\nSent as `{}`", p.wire)),
    }
    if p.list {
        d.push_str(", repeated for each value");
    }
    d.push('.');
    if let Some(default) = &p.default {
        d.push_str(&format!(" When unset, the server assumes `{default}`."));
    }
    if !p.values.is_empty() {
        d.push_str(&format!(
            " Allowed values: {}.",
            p.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    d
}

fn method_doc(service: &Service, g: &Group, op: &Operation, options: &Options) -> String {
    let mut d = prose(&op.summary);
    if !op.description.is_empty() {
        d.push_str("\n\n");
        d.push_str(&prose(&op.description));
    }
    d.push_str(&format!("\n\n`{} {}`", op.method, op.path.text));
    d.push_str(&format!(
        "\n\n**Authorization:** {}. As data: [`Self::{}`].",
        op.requires.summary(),
        op.constant
    ));
    if !op.parameters.is_empty() || op.body.is_some() {
        d.push_str("\n\n**Parameters**\n");
        for p in op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
        {
            let mut line = format!("\n- `{}`", p.ident.word());
            if p.required {
                line.push_str(" (required)");
            } else {
                line.push_str(&format!(
                    " (optional, [`{}::{}`])",
                    op.builder,
                    p.ident.word()
                ));
            }
            let desc = sentence(&prose(&p.description));
            if !desc.is_empty() {
                line.push_str(&format!(": {desc}"));
            }
            if let Some(default) = &p.default {
                line.push_str(&format!(" Default: `{default}`."));
            }
            if !p.values.is_empty() {
                line.push_str(&format!(
                    " One of {}.",
                    p.values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            d.push_str(&line);
        }
        if let Some(b) = &op.body {
            let desc = prose(&b.description);
            d.push_str(&format!(
                "\n- `body` ({}{}){}",
                if b.required {
                    "required, "
                } else {
                    "optional, "
                },
                type_words(&b.ty, "models::"),
                if desc.is_empty() {
                    String::new()
                } else {
                    format!(": {desc}")
                }
            ));
        }
    }
    d.push_str(&format!(
        "\n\n**Returns** {}.",
        op.returns
            .as_ref()
            .map(|t| type_words(t, "models::"))
            .unwrap_or_else(|| "nothing (an empty body)".into())
    ));
    if !op.errors.is_empty() {
        d.push_str("\n\n**Documented errors**\n");
        for (status, description) in &op.errors {
            d.push_str(&format!("\n- `{status}`: {}", prose(description)));
        }
    }
    if !op.legacy_names.is_empty() {
        let names: Vec<&str> = op
            .legacy_names
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        d.push_str(&format!(
            "\n\nOlder SDK generations call it {}; those names remain as deprecated aliases.",
            crate::text::code_list(&names)
        ));
    }
    for (k, v) in &op.extensions {
        d.push_str(&format!("\n\nVendor extension `{k}`: `{v}`."));
    }
    d.push_str("\n\n# Example\n\n```no_run\n");
    let svc = format!("{}::{}", options.crate_name, service.module);
    d.push_str(&format!(
        "# async fn example(client: {svc}::Client) -> Result<(), {svc}::Error> {{\n"
    ));
    let (setup, call_args) = example_args(g, op, &svc);
    d.push_str(&setup);
    let result = if op.returns.is_some() {
        "let response = "
    } else {
        ""
    };
    d.push_str(&format!(
        "{result}client\n    .{}()\n    .{}({})\n    .send()\n    .await?;\n",
        g.id,
        op.name.word(),
        call_args
    ));
    if op.returns.is_some() {
        d.push_str("println!(\"{response:?}\");\n");
    }
    d.push_str("# Ok(())\n# }\n```");
    d
}

/// Example values for an operation's required arguments (in the order of [`arguments`]):
/// lines to put first, and the argument list.
fn example_args(g: &Group, op: &Operation, svc: &str) -> (String, String) {
    let mut setup = String::new();
    let mut call_args = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let value = example_value(g, svc, p.ident.word(), &p.ty);
        call_args.push(if p.list { format!("[{value}]") } else { value });
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let ty = example_type(&b.ty, svc);
        setup.push_str(&format!("let body: {ty} = todo!(\"the request body\");\n"));
        call_args.push("body".to_owned());
    }
    (setup, call_args.join(", "))
}

/// A value of a parameter's (item) type for a doc example.
fn example_value(g: &Group, svc: &str, name: &str, ty: &RustType) -> String {
    match ty {
        RustType::Enum(e) => {
            // Parameters use their group's enums only.
            let first = match e.id {
                EnumId::Param(i) => g.param_enums[i].variants.first(),
                EnumId::Model(_) => None,
            };
            format!(
                "{svc}::{}::{}::{}",
                g.id,
                e.name,
                first.map(|v| v.1.as_str()).unwrap_or("default()")
            )
        }
        RustType::String => format!("\"{name}\""),
        RustType::I32 | RustType::I64 => "1".into(),
        RustType::F64 => "1.0".into(),
        RustType::Bool => "true".into(),
        _ => "Default::default()".into(),
    }
}

fn example_type(t: &RustType, svc: &str) -> String {
    match t {
        RustType::Model(m) => format!("{svc}::models::{}", m.name),
        RustType::Vec(t) => format!("Vec<{}>", example_type(t, svc)),
        RustType::String => "String".into(),
        _ => "_".into(),
    }
}
