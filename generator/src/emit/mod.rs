//! Emitting Rust: token streams built with `quote!`, parsed into a `syn::File`,
//! printed by `prettyplease`.
//!
//! [`generate`] turns the resolved [`Api`] into a map from file path (relative to the
//! generated crate's `src/`) to file text. Nothing touches the disk here: writing
//! is [`crate::output`]'s job, so a failure leaves the output folder as it was.

mod conformance;
mod double;

pub use self::double::FEATURE as DOUBLE_FEATURE;
mod models;
mod notifications;
pub use self::notifications::FEATURE as NOTIFICATIONS_FEATURE;
mod operations;
mod service;
mod topics;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, RustType};

/// Settings that differ between the real crate and test fixtures.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the hand-written runtime as seen from generated code (`crate::runtime`).
    pub runtime: TokenStream,
    /// Path of the crate as seen from doc examples (`genesys_cloud_client`).
    pub crate_name: String,
    /// What the generated crate root (`lib.rs`) holds besides the service modules.
    pub root: CrateRoot,
}

/// The kind of crate the service modules are generated into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateRoot {
    /// The client crate: its documentation from its `README.md`, the runtime re-exported as
    /// `runtime` (and its `access` module), feature badges on docs.rs.
    Client {
        /// The runtime crate's name as Rust writes it (`api_runtime`).
        runtime_crate: String,
    },
    /// A crate of test fixtures: documentation from `src/lib.md`, every warning denied.
    Fixtures,
}

impl Options {
    /// The settings of a client crate named `crate_name` (as Rust paths write it) that
    /// re-exports the runtime crate `runtime_crate` as its `runtime` module.
    pub fn client(crate_name: &str, runtime_crate: &str) -> Options {
        Options {
            runtime: quote!(crate::runtime),
            crate_name: crate_name.to_owned(),
            root: CrateRoot::Client {
                runtime_crate: runtime_crate.to_owned(),
            },
        }
    }

    /// The settings of a crate of fixture clients named `crate_name`, over the runtime the
    /// client crate `client_crate` re-exports.
    pub fn fixtures(crate_name: &str, client_crate: &str) -> Options {
        let client = quote::format_ident!("{client_crate}");
        Options {
            runtime: quote!(::#client::runtime),
            crate_name: crate_name.to_owned(),
            root: CrateRoot::Fixtures,
        }
    }
}

/// The `#[cfg]` of an item compiled only with some group features; nothing for one compiled
/// with its service (the service module is gated as a whole).
pub(crate) fn cfg(gate: &crate::ir::Gate) -> Option<TokenStream> {
    match gate {
        crate::ir::Gate::Service => None,
        crate::ir::Gate::Groups(features) => Some(feature_cfg(features)),
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", …))]`, shown in the docs too.
pub(crate) fn feature_cfg(features: &[String]) -> TokenStream {
    let predicate = match features {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    };
    quote!(#[cfg(#predicate)] #[cfg_attr(docsrs, doc(cfg(#predicate)))])
}

/// For a function whose parameters mirror the vendor's API (one per required parameter or
/// field): clippy's `too_many_arguments` past its limit of 7, which the API, not this code, decides.
pub(crate) fn allow_many_arguments(count: usize) -> Option<TokenStream> {
    (count > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// A generated file that did not parse back as Rust: a generator bug, reported with the file.
#[derive(Debug, thiserror::Error)]
#[error("generated code for {file} is not valid Rust: {message}")]
pub struct EmitError {
    /// The file being generated.
    pub file: PathBuf,
    /// The parser's message.
    pub message: String,
}

/// Every generated file: path relative to `src/` → contents.
pub fn generate(api: &Api, options: &Options) -> Result<BTreeMap<PathBuf, String>, EmitError> {
    let mut files = BTreeMap::new();
    for service in &api.services {
        service::emit(service, options, &mut files)?;
    }
    let path = PathBuf::from("lib.rs");
    let sources: Vec<&Path> = api.services.iter().map(|s| s.spec_dir.as_path()).collect();
    files.insert(
        path.clone(),
        render(&path, &sources, crate_root(api, options))?,
    );
    Ok(files)
}

/// `lib.rs`: the crate's documentation (hand-written, included), one module per service behind
/// its feature, and what the kind of crate adds.
fn crate_root(api: &Api, options: &Options) -> TokenStream {
    let services = api.services.iter().map(|s| {
        let m = Ident::new(&s.module, Span::call_site());
        let gate = feature_cfg(std::slice::from_ref(&s.module));
        quote!(#gate pub mod #m;)
    });
    match &options.root {
        CrateRoot::Client { runtime_crate } => {
            let runtime = Ident::new(runtime_crate, Span::call_site());
            quote! {
                #![doc = include_str!("../README.md")]
                #![cfg_attr(docsrs, feature(doc_cfg))]

                /// The runtime the generated code runs on: transport, token flows, retry and redirect
                /// policies, limits, paging, errors and operation metadata.
                pub use #runtime as runtime;

                /// Authorization requirements as a feature: know before you call whether the caller may,
                /// and why not.
                pub use #runtime::access;

                #(#services)*
            }
        }
        CrateRoot::Fixtures => quote! {
            #![doc = include_str!("lib.md")]
            #![deny(warnings, missing_docs)]

            /// The repository README's examples, compiled as doctests here (this crate depends
            /// on the client) so they cannot drift from it.
            #[cfg(doctest)]
            #[doc = include_str!("../../README.md")]
            pub struct ReadmeExamples;

            #(#services)*
        },
    }
}

/// The generated conformance tests of every operation (`operations.rs`), for the crate `krate`.
pub fn conformance_tests(
    api: &Api,
    spec_dir: &Path,
    krate: &str,
) -> Result<BTreeMap<PathBuf, String>, EmitError> {
    let path = PathBuf::from("operations.rs");
    let text = render(&path, &[spec_dir], conformance::tests(api, krate))?;
    Ok(BTreeMap::from([(path, text)]))
}

/// Formats a token stream as a file, with the generated-file header.
pub(crate) fn render(
    path: &Path,
    sources: &[&Path],
    tokens: TokenStream,
) -> Result<String, EmitError> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| EmitError {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    // Generated code is laid out by prettyplease and guarded by `codegen --check`; rustfmt
    // (`cargo fmt`, an editor's format-on-save) leaves it alone. `cfg_attr(rustfmt, …)` is
    // the form stable rustc accepts as an inner attribute.
    let at = file.attrs.len();
    file.attrs
        .insert(at, syn::parse_quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
    let sources = sources
        .iter()
        .map(|s| format!("`{}`", s.display()))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        "// Generated by `cargo xtask codegen` from {sources}.\n\
         // Do not edit by hand: change the spec and run `cargo xtask codegen`.\n\n{}",
        space_items(&prettyplease::unparse(&file))
    ))
}

/// Puts a blank line between consecutive items at the same depth, as a person would;
/// `prettyplease` prints items back to back. Runs of `use` and `mod` stay together.
fn space_items(code: &str) -> String {
    const STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "impl", "fn ", "const ", "struct ", "enum ", "type ", "async ",
    ];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev: Option<&str> = None;
    for line in code.lines() {
        if let Some(p) = prev {
            let (pt, ct) = (p.trim(), line.trim());
            let closes_item = (pt == "}" || pt.ends_with(';'))
                && !pt.starts_with("//")
                && indent(p) == indent(line);
            let ends_module_doc = (pt.starts_with("//!") && !ct.starts_with("//!"))
                || (pt.starts_with("#![") && !ct.starts_with("#!["));
            let starts_item = STARTS.iter().any(|s| ct.starts_with(s));
            let same_run = ["pub use ", "pub mod ", "mod ", "use "]
                .iter()
                .any(|k| pt.starts_with(k) && ct.starts_with(k));
            if (closes_item && starts_item && !same_run) || ends_module_doc {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

/// The identifier of a type or variant name (UpperCamelCase, never a keyword: see
/// [`crate::naming::type_ident`]); snake_case names are [`crate::naming::Ident`]s already.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` attributes, one per line of `text`.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes for a module's own documentation.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Escapes prose from the vendor's documentation so rustdoc shows it as text:
/// brackets would become links, angle brackets HTML, and bare URLs draw warnings.
pub(crate) fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // A URL is wrapped only when a host follows the scheme: `https://<url link>` is a
        // placeholder, and wrapping it would open an HTML tag.
        let start = ["http://", "https://"].iter().find_map(|scheme| {
            word.match_indices(scheme).map(|(at, _)| at).find(|at| {
                word[at + scheme.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            })
        });
        if let Some(s) = start {
            let (before, url) = word.split_at(s);
            let end = url
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | ']' | '"' | '\'' | ',' | '<' | '>')
                })
                .unwrap_or(url.len());
            let url_trimmed = url[..end].trim_end_matches('.');
            let rest = &url[url_trimmed.len()..];
            escape_into(before, &mut out);
            out.push('<');
            out.push_str(url_trimmed);
            out.push('>');
            escape_into(rest, &mut out);
        } else {
            escape_into(word, &mut out);
        }
    }
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '[' | ']' | '<' | '>' | '*' | '_' | '`' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The Rust type's tokens; models are referred to through `models`.
pub(crate) fn rust_type(t: &RustType, models: &TokenStream) -> TokenStream {
    match t {
        RustType::String => quote!(String),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        RustType::Date => quote!(::chrono::NaiveDate),
        RustType::Json => quote!(::serde_json::Value),
        RustType::Vec(t) => {
            let t = rust_type(t, models);
            quote!(Vec<#t>)
        }
        RustType::Map(t) => {
            let t = rust_type(t, models);
            quote!(::std::collections::BTreeMap<String, #t>)
        }
        RustType::Model(m) => {
            let n = ident(&m.name);
            if m.boxed {
                quote!(Box<#models #n>)
            } else {
                quote!(#models #n)
            }
        }
        RustType::Enum(e) => {
            let n = ident(&e.name);
            quote!(#models #n)
        }
    }
}

/// How a type reads in documentation; model and enum names link through `prefix` (`models::`).
pub(crate) fn type_words(t: &RustType, prefix: &str) -> String {
    match t {
        RustType::String => "string".into(),
        RustType::I32 | RustType::I64 => "integer".into(),
        RustType::F64 => "number".into(),
        RustType::Bool => "boolean".into(),
        RustType::DateTime => "date-time".into(),
        RustType::Date => "date".into(),
        RustType::Json => "JSON value".into(),
        RustType::Vec(t) => format!("list of {}", type_words(t, prefix)),
        RustType::Map(t) => format!("map of {}", type_words(t, prefix)),
        RustType::Model(crate::ir::ModelRef { name, .. })
        | RustType::Enum(crate::ir::EnumRef { name, .. }) => {
            format!("[`{name}`]({prefix}{name})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_descriptions_render_as_the_vendor_meant() {
        // As the model reference and the pages hold them, then as rustdoc is given them.
        let samples = [
            (
                r#"A flag indicating whether this division is the \"Home\" (default) division."#,
                r#"A flag indicating whether this division is the "Home" (default) division."#,
            ),
            (
                r#"Whitespace and the following characters are not allowed: \\{^}%`]\">[~<#"#,
                r#"Whitespace and the following characters are not allowed: \\{^}%\`\]"\>\[\~\<\#"#,
            ),
            (
                r#"e.g. \"createDate:asc\", see https://developer.genesys.cloud/x."#,
                r#"e.g. "createDate:asc", see <https://developer.genesys.cloud/x>."#,
            ),
            (
                r#"Supported value:\"Ancestors\": every_ancestor"#,
                r#"Supported value:"Ancestors": every\_ancestor"#,
            ),
        ];
        for (vendor, rendered) in samples {
            assert_eq!(
                prose(&crate::docs::unescape_markdown(vendor)),
                rendered,
                "{vendor}"
            );
        }
    }

    #[test]
    fn prose_escapes_markdown_and_wraps_urls() {
        assert_eq!(prose("see [x] <y> a_b"), "see \\[x\\] \\<y\\> a\\_b");
        assert_eq!(prose("at https://x.io/a."), "at <https://x.io/a>.");
        assert_eq!(
            prose("e.g. [\"206c\",\"250a\"]"),
            "e.g. \\[\"206c\",\"250a\"\\]"
        );
        // A placeholder is text, not a link; a URL stops where markup starts.
        assert_eq!(
            prose("are https://<url link>"),
            "are https://\\<url link\\>"
        );
        assert_eq!(prose("at https://x.io/a<b>"), "at <https://x.io/a>\\<b\\>");
        assert_eq!(
            prose("http://, then https://y.io"),
            "http://, then <https://y.io>"
        );
    }
}
