//! A paged operation's `into_paginator` and `PagedRequest` implementation: how the next page
//! is asked for, and where the items and the paging fields are read.

use proc_macro2::TokenStream;
use quote::quote;

use super::{example_args, models_path};
use crate::emit::{Options, doc, ident, rust_type, type_words};
use crate::ir::{Field, FieldRef, Group, Operation, Paging, PagingStyle, Service};

/// For paged operations: `into_paginator` and the `PagedRequest` implementation.
pub(super) fn paginator(
    service: &Service,
    g: &Group,
    op: &Operation,
    options: &Options,
) -> Option<TokenStream> {
    let p = op.paging.as_ref()?;
    let runtime = &options.runtime;
    let builder = ident(&op.builder);
    let item = rust_type(&p.item, &models_path());
    let param = p.parameter.clone();
    let items_field = service.field(&p.items);
    let items = &items_field.ident;
    let into_items = if items_field.required {
        quote!(page.#items)
    } else {
        quote!(page.#items.unwrap_or_default())
    };
    let next = next_page(service, p, runtime);
    let d = doc(&paginator_doc(service, g, op, p, options));
    let page_ty = op
        .returns
        .as_ref()
        .map(|t| rust_type(t, &models_path()))
        .unwrap_or_default();
    Some(quote! {
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
    })
}

/// The expression of the next page's value of the paging parameter, read from `page`; `?`
/// ends the listing.
fn next_page(service: &Service, p: &Paging, runtime: &TokenStream) -> TokenStream {
    let param = &p.parameter;
    let items_field = service.field(&p.items);
    let items = &items_field.ident;
    match &p.style {
        PagingStyle::PageNumber { page_count } => {
            let len = if items_field.required {
                quote!(page.#items.len())
            } else {
                quote!(page.#items.as_ref().map_or(0, Vec::len))
            };
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
    }
}

/// `into_paginator`'s documentation: how it pages, when it stops, an example.
fn paginator_doc(
    service: &Service,
    g: &Group,
    op: &Operation,
    p: &Paging,
    options: &Options,
) -> String {
    let service_module = service.module.as_str();
    let svc = format!("{}::{}", options.crate_name, service_module);
    let (setup, example_args) = example_args(g, op, &svc);
    // The body (if required) as a hidden line: the example is about paging.
    let setup: String = setup.lines().map(|l| format!("# {l}\n")).collect();
    let last = match &p.style {
        PagingStyle::PageNumber {
            page_count: Some(_),
        } => "after the last page the listing counts",
        PagingStyle::PageNumber { page_count: None } => "at the first empty page",
        PagingStyle::Cursor { .. } => "at the first page without a next cursor",
        PagingStyle::NextUri { .. } => "at the first page without a link to the next",
    };
    format!(
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
    )
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
