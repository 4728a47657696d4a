//! A service's `topics` module: one submodule per group with notification topics, behind the
//! group's feature, and one constructor per topic, typed by the model its events carry.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Options, doc, feature_cfg, inner_doc, prose, rust_type};
use crate::ir::{Group, Service, Topic, TopicSegment};

/// Whether the service has any topic (and so a `topics` module).
pub(crate) fn any(s: &Service) -> bool {
    s.groups.iter().any(|g| !g.topics.is_empty())
}

/// The `topics` module of `s`.
pub(crate) fn module(s: &Service, options: &Options) -> TokenStream {
    let d = inner_doc(&format!(
        "The notification topics of the {}, by group: a constructor per topic, so a topic string \
         is never typed by hand and each event's type is known. Each parameter is one segment of \
         the topic: what would change its structure (`.`, and anything outside letters, digits, \
         `-`, `_` and `~`) is percent-encoded.",
        s.title
    ));
    let groups = s
        .groups
        .iter()
        .filter(|g| !g.topics.is_empty())
        .map(|g| group(g, options));
    quote! {
        #d
        #(#groups)*
    }
}

fn group(g: &Group, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let m = format_ident!("{}", g.id);
    let gate = feature_cfg(std::slice::from_ref(&g.feature));
    let d = doc(&format!(
        "Topics of the `{}` group ({} topics).",
        g.id,
        g.topics.len()
    ));
    let topics = g.topics.iter().map(topic);
    // Only a group with a parameter somewhere encodes one.
    let encodes = g.topics.iter().any(|t| {
        t.segments
            .iter()
            .any(|s| matches!(s, TopicSegment::Param(_)))
    });
    let segment = encodes.then(|| quote!(use #runtime::topic_segment;));
    quote! {
        #gate
        #d
        pub mod #m {
            use super::super::models;
            use #runtime::Topic;
            #segment
            #(#topics)*
        }
    }
}

fn topic(t: &Topic) -> TokenStream {
    let name = t.ident.clone();
    let payload = rust_type(&t.payload, &quote!(models::));
    let params: Vec<&crate::ir::Ident> = t
        .segments
        .iter()
        .filter_map(|s| {
            if let TopicSegment::Param(p) = s {
                Some(p)
            } else {
                None
            }
        })
        .collect();
    let mut fmt = String::new();
    for s in &t.segments {
        match s {
            TopicSegment::Literal(l) => fmt.push_str(&l.replace('{', "{{").replace('}', "}}")),
            TopicSegment::Param(_) => fmt.push_str("{}"),
        }
    }
    let args = params.iter().map(|p| quote!(#p: &str));
    let values = params.iter().map(|p| quote!(topic_segment(#p)));
    let mut text = format!(
        "The topic `{}`: each event's body is a {}.",
        t.template,
        super::type_words(&t.payload, "models::")
    );
    if !t.description.is_empty() {
        text = format!("{}\n\n{text}", prose(&t.description));
    }
    let d = doc(&text);
    let deprecated = t
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let body = if params.is_empty() {
        quote!(Topic::new(String::from(#fmt)))
    } else {
        quote!(Topic::new(format!(#fmt, #(#values),*)))
    };
    quote! {
        #d
        #deprecated
        pub fn #name(#(#args),*) -> Topic<#payload> {
            #body
        }
    }
}
