//! Test doubles (the client's `double` feature): per service a `double` module with its
//! `MockApi`, per group a `…Double` with one typed [`OperationDouble`] per operation and the
//! operations' default answers, built from their documented return types.
//!
//! [`OperationDouble`]: ../../../api_runtime/double/struct.OperationDouble.html

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::conformance::Values;
use super::{Options, doc, ident, inner_doc, rust_type};
use crate::ir::{FieldRef, Group, Operation, PagingStyle, RustType, Service};

/// The cargo feature that compiles the doubles.
pub const FEATURE: &str = "double";

/// Items appended to a group's module: its double and its operations' default answers.
pub(super) fn group(s: &Service, g: &Group, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let double = ident(&g.double_type);
    let methods = g
        .operations
        .iter()
        .map(|op| operation_method(s, g, op, options));
    // Each request builder, as `MockApi::on` matches it.
    let prepared = g.operations.iter().map(|op| prepared(op, options));
    let arms = default_answers(s, g, options);
    let d = doc(&format!(
        "The test double of the `{}` group: one method per operation, each typed by what the operation returns, \
         takes and fails with. Reach it with [`MockApi::{}`](super::double::MockApi::{}).",
        g.id, g.id, g.id
    ));
    let cfg = quote!(#[cfg(feature = #FEATURE)]);
    quote! {
        #cfg
        #d
        #[derive(Debug, Clone, Copy)]
        pub struct #double<'a> {
            api: &'a #runtime::double::MockApi,
        }

        #cfg
        impl<'a> #double<'a> {
            pub(crate) fn new(api: &'a #runtime::double::MockApi) -> Self {
                Self { api }
            }

            #(#methods)*
        }

        #(#prepared)*

        /// The default answer of each operation of the group, by name: an example of its return type.
        #cfg
        pub(crate) fn default_answer(name: &str) -> Option<#runtime::double::Example> {
            match name {
                #(#arms)*
                _ => None,
            }
        }
    }
}

/// The double's method of an operation: an `OperationDouble`, or a `PagedDouble` for an
/// operation that pages.
fn operation_method(s: &Service, g: &Group, op: &Operation, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let client = ident(&g.type_name);
    let error = ident(&s.error_model);
    let name = op.name.clone();
    let constant = format_ident!("{}", op.constant);
    let (returns, body) = returns_and_body(op);
    let d = doc(&format!(
        "The double of [`{name}`]({client}::{name}): script its answers, read its calls.",
        name = op.name,
        client = g.type_name
    ));
    if let Some((item, pages)) = pages(s, op, runtime) {
        return quote! {
            #d
            pub fn #name(&self) -> #runtime::double::PagedDouble<'a, #returns, #body, super::models::#error, #item> {
                self.api.paged(&#client::#constant, #pages)
            }
        };
    }
    quote! {
        #d
        pub fn #name(&self) -> #runtime::double::OperationDouble<'a, #returns, #body, super::models::#error> {
            self.api.operation(&#client::#constant)
        }
    }
}

/// A request builder as `MockApi::on` matches it.
fn prepared(op: &Operation, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let builder = ident(&op.builder);
    let (returns, body) = returns_and_body(op);
    quote! {
        #[cfg(feature = #FEATURE)]
        impl #runtime::double::Prepared for #builder {
            type Output = #returns;
            type Body = #body;

            fn prepare(&self) -> Result<#runtime::Request, #runtime::InvalidPathSegment> {
                self.build_request()
            }
        }
    }
}

/// The `default_answer` arms: each operation's example answer, by name.
fn default_answers(s: &Service, g: &Group, options: &Options) -> Vec<TokenStream> {
    let runtime = &options.runtime;
    let values = Values {
        service: s,
        param_enums: &g.param_enums,
        full_depth: 1,
    };
    g.operations
        .iter()
        .map(|op| {
            let name = &op.spec_name;
            let (status, json) = match &op.returns {
                Some(t) => (200u16, example(&values, op, t)),
                None => (204u16, None),
            };
            let json = json.map_or_else(|| quote!(None), |j| quote!(Some(#j)));
            quote!(#name => Some(#runtime::double::Example { status: #status, json: #json }),)
        })
        .collect()
}

/// What an operation returns and takes as its body, as the group module names them (`()` for
/// nothing).
fn returns_and_body(op: &Operation) -> (TokenStream, TokenStream) {
    let models = quote!(super::models::);
    let returns = op
        .returns
        .as_ref()
        .map_or_else(|| quote!(()), |t| rust_type(t, &models));
    let body = op
        .body
        .as_ref()
        .map_or_else(|| quote!(()), |b| rust_type(&b.ty, &models));
    (returns, body)
}

/// An example body of `t` for `op`'s default answer, as JSON text; a paged listing is its last
/// page, so a paginator over the default answer ends.
fn example(values: &Values, op: &Operation, t: &RustType) -> Option<String> {
    let mut value = values.value(t, 0);
    if let Some(paging) = &op.paging {
        match &paging.style {
            PagingStyle::PageNumber {
                page_count: Some(field),
            } => {
                if let Some(object) = value.as_object_mut() {
                    object.insert(values.service.field(field).wire.clone(), Value::from(1));
                }
            }
            PagingStyle::PageNumber { page_count: None } => {}
            PagingStyle::Cursor { next } => remove(values.service, &mut value, next),
            PagingStyle::NextUri { next_uri } => {
                remove(values.service, &mut value, std::slice::from_ref(next_uri));
            }
        }
    }
    serde_json::to_string(&value).ok()
}

/// Removes the field at the end of `path` (through nested objects) from `value`.
fn remove(s: &Service, value: &mut Value, path: &[FieldRef]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let parent = parents
        .iter()
        .try_fold(value, |v, f| v.get_mut(&s.field(f).wire));
    if let Some(object) = parent.and_then(Value::as_object_mut) {
        object.remove(&s.field(last).wire);
    }
}

/// A paged operation's item type and `runtime::double::Pages` (by wire names); `None` for an
/// operation that does not page.
fn pages(s: &Service, op: &Operation, runtime: &TokenStream) -> Option<(TokenStream, TokenStream)> {
    let paging = op.paging.as_ref()?;
    let (parameter, items) = (&paging.parameter_wire, &s.field(&paging.items).wire);
    let style = match &paging.style {
        PagingStyle::PageNumber { page_count } => {
            let count = page_count.as_ref().map(|f| &s.field(f).wire);
            let count = count.map_or_else(|| quote!(None), |w| quote!(Some(#w)));
            quote!(#runtime::double::PageStyle::PageNumber { parameter: #parameter, page_count: #count })
        }
        PagingStyle::Cursor { next } => {
            let path = next.iter().map(|f| &s.field(f).wire);
            quote!(#runtime::double::PageStyle::Cursor { parameter: #parameter, next: &[#(#path),*] })
        }
        PagingStyle::NextUri { next_uri } => {
            let field = &s.field(next_uri).wire;
            quote!(#runtime::double::PageStyle::NextUri { parameter: #parameter, next_uri: #field })
        }
    };
    let item = rust_type(&paging.item, &quote!(super::models::));
    Some((
        item,
        quote!(#runtime::double::Pages { items: #items, style: #style }),
    ))
}

/// The service's `double` module: its `MockApi`.
pub(super) fn service(s: &Service, options: &Options) -> TokenStream {
    let (header, mock_api, answers) = (
        service_header(s, options),
        mock_api(s, options),
        service_answers(s, options),
    );
    quote! {
        #header
        #mock_api
        #answers
    }
}

/// The double module's documentation, imports and `ServiceDouble`.
fn service_header(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let mut token_paths: Vec<String> = Vec::new();
    for path in s.auth.flows.iter().map(|f| token_path(&f.token_url)) {
        if !token_paths.contains(&path) {
            token_paths.push(path);
        }
    }
    let module_doc = inner_doc(&format!(
        "Test doubles of the {} (feature `{FEATURE}`): [`MockApi`] is a loopback server that answers every \
         operation of the enabled groups as the API would, so a crate that uses the client tests its own code \
         without the network.\n\n\
         Each operation answers, in this order: `403` with the service's error body when the double was given a \
         caller ([`MockApi::set_caller`]) whose grants do not meet the operation's requirement; its one-off \
         answers (`answer_once`); its standing answer (`returns`, `fails`, `answer`); its default answer, an \
         example of its documented return type (a paged listing's last page). Requests are matched by method and \
         path template and recorded: each operation's `calls()` gives them back with the body decoded as the \
         operation's body type. A request that matches no operation gets `404` and is listed by \
         [`MockApi::unmatched`].",
        s.title
    ));
    let example = example_doc(s, options);
    quote! {
        #module_doc
        #example

        use #runtime::double::{Example, ServiceDouble};
        use #runtime::{Authorizer, Denial};

        pub use #runtime::double::{Answer, Call, OperationDouble, Recorded};

        const SERVICE: ServiceDouble = ServiceDouble {
            operations: super::OPERATIONS,
            token_paths: &[#(#token_paths),*],
            denied,
            not_found,
            default_answer,
        };
    }
}

/// `MockApi`: the loopback server, its clients, what it records, and one double per group.
fn mock_api(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let groups = s.groups.iter().map(|g| {
        let (module, double, feature) =
            (format_ident!("{}", g.id), ident(&g.double_type), &g.feature);
        let d = doc(&format!("The double of the `{}` group's operations.", g.id));
        quote! {
            #[cfg(feature = #feature)]
            #d
            pub fn #module(&self) -> super::#module::#double<'_> {
                super::#module::#double::new(&self.inner)
            }
        }
    });
    let (basics, requests) = (mock_api_basics(options), mock_api_requests(s, options));
    quote! {
        /// A loopback server standing in for the service; dropping it stops it.
        #[derive(Debug)]
        pub struct MockApi {
            inner: #runtime::double::MockApi,
        }

        impl MockApi {
            #basics
            #requests
            #(#groups)*
        }
    }
}

/// `MockApi`'s start, clients, address, caller and token answers.
fn mock_api_basics(options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    quote! {
        /// Starts a double on a free loopback port, answering every operation of the enabled groups.
        pub async fn start() -> Self {
            Self { inner: #runtime::double::MockApi::start(SERVICE).await }
        }

        /// A client of the double: its base URL, a fixed token, no retry waits longer than the
        /// defaults. Use [`client_builder`](Self::client_builder) to configure one.
        ///
        /// # Panics
        ///
        /// Never: the double's URL is a valid base URL.
        pub fn client(&self) -> super::Client {
            match self.client_builder().access_token("double-token").build() {
                Ok(client) => client,
                Err(e) => unreachable!("the double's base URL is valid: {e}"),
            }
        }

        /// A client builder sending to the double, its token endpoint included (set the
        /// credentials).
        pub fn client_builder(&self) -> super::ClientBuilder {
            super::Client::builder().base_url(self.inner.uri()).token_url(self.inner.token_url())
        }

        /// The double's base URL.
        pub fn uri(&self) -> String {
            self.inner.uri()
        }

        /// Answers as the API would for a caller holding what `authorizer` allows (the same
        /// `Grants` a client's pre-flight check takes): an operation whose requirement is not
        /// met gets `403` with the service's error body.
        pub fn set_caller(&self, authorizer: impl Authorizer + 'static) {
            self.inner.set_caller(authorizer);
        }

        /// The token endpoint's next answer, once (by default it grants a token).
        pub fn token_answers_once(&self, answer: Answer) {
            self.inner.token_answers_once(answer);
        }
    }
}

/// What `MockApi` matches and records: one request's double, every request received.
fn mock_api_requests(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let error = ident(&s.error_model);
    quote! {
        /// The double of exactly this request, built with a client's request builder (so
        /// it names parameters as the client does and is encoded as the client sends it):
        /// its answers apply to that request only, before those of its operation.
        ///
        /// # Panics
        ///
        /// When the client would refuse to send the request (a path value of `""`, `.` or `..`).
        #[track_caller]
        pub fn on<R: #runtime::double::Prepared>(
            &self,
            request: &R,
        ) -> OperationDouble<'_, R::Output, R::Body, super::models::#error> {
            self.inner.on(request)
        }

        /// Every request matched to an operation, in the order received.
        pub fn recorded(&self) -> Vec<Recorded> {
            self.inner.recorded()
        }

        /// `METHOD /path` of each request that matched no operation.
        pub fn unmatched(&self) -> Vec<String> {
            self.inner.unmatched()
        }
    }
}

/// The service's error bodies for a denial and a request no operation matches, and each
/// operation's default answer.
fn service_answers(s: &Service, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let error = ident(&s.error_model);
    let defaults = s.groups.iter().map(|g| {
        let (module, feature) = (format_ident!("{}", g.id), &g.feature);
        quote! {
            #[cfg(feature = #feature)]
            if let Some(answer) = super::#module::default_answer(name) {
                return Some(answer);
            }
        }
    });
    quote! {
        /// The service's error body for a denial, as the API sends it.
        fn denied(denial: &Denial) -> ::serde_json::Value {
            #runtime::double::error_body::<super::models::#error>(403, "missing.permissions", &denial.to_string())
        }

        /// The service's error body for a request no operation matches.
        fn not_found(message: &str) -> ::serde_json::Value {
            #runtime::double::error_body::<super::models::#error>(404, "not.found", message)
        }

        fn default_answer(name: &str) -> Option<Example> {
            #(#defaults)*
            let _ = name;
            None
        }
    }
}

/// A complete test as the module's example, on the first operation of a default group that
/// returns something and takes only text arguments; compiled (as a doctest) when that group is.
fn example_doc(s: &Service, options: &Options) -> TokenStream {
    let simple = |op: &&Operation| {
        op.returns.is_some()
            && op.body.as_ref().is_none_or(|b| !b.required)
            && op
                .parameters
                .iter()
                .filter(|p| p.required)
                .all(|p| p.ty == RustType::String && !p.list)
    };
    let Some((g, op)) = s
        .groups
        .iter()
        .filter(|g| g.default_feature)
        .find_map(|g| g.operations.iter().find(simple).map(|op| (g, op)))
    else {
        return TokenStream::new();
    };
    let args = op
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("{:?}", p.wire))
        .collect::<Vec<_>>()
        .join(", ");
    let (krate, module, group, name) = (&options.crate_name, &s.module, &g.id, &op.name);
    let text = format!(
        "\n\n# Example\n\n```\n\
         use {krate}::{module}::double::{{Answer, MockApi}};\n\n\
         # #[tokio::main(flavor = \"current_thread\")]\n# async fn main() {{\n\
         let mock = MockApi::start().await;\n\
         let client = mock.client();\n\
         // Every operation answers an example of its documented return type…\n\
         let answer = client.{group}().{name}({args}).await.unwrap();\n\
         // …or what the test scripts, typed by the operation: a body it returns, a failure (a 500 is not retried).\n\
         mock.{group}().{name}().returns(&answer);\n\
         mock.{group}().{name}().answer_once(Answer::status(500));\n\
         let error = client.{group}().{name}({args}).await.unwrap_err();\n\
         assert_eq!(error.status(), Some(500));\n\
         // Each call comes back with its parameters and body.\n\
         assert_eq!(mock.{group}().{name}().calls().len(), 2);\n\
         # }}\n```"
    );
    let feature = &g.feature;
    quote!(#![cfg_attr(feature = #feature, doc = #text)])
}

/// The path of a token endpoint (`https://login.{host}/oauth/token` → `/oauth/token`).
fn token_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/')
        .map_or_else(|| "/".to_owned(), |i| rest[i..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::token_path;

    #[test]
    fn token_paths_are_the_urls_paths() {
        assert_eq!(
            token_path("https://login.{host}/oauth/token"),
            "/oauth/token"
        );
        assert_eq!(
            token_path("https://console.cloud.vmware.com/csp/gateway/am/api/auth/token"),
            "/csp/gateway/am/api/auth/token"
        );
        assert_eq!(token_path("https://host"), "/");
    }
}
