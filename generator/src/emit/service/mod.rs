//! Per service: the module root (client, regions, auth scheme, operation table), the models
//! module, and one file per model and per API group. Where the root's parts are made: `root`
//! (module header, regions, auth scheme, operation table, `Client`) and `builder`
//! (`ClientBuilder` and its documentation).

mod builder;
mod root;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(in crate::emit) use self::builder::runtime_for_docs;
use super::{
    EmitError, Options, cfg, double, ident, inner_doc, models, notifications, operations, render,
    topics,
};
use crate::ir::{Enum, Service};

/// A module of `models/`: its name, its `#[cfg]`, and the names it exports (its model and the
/// enums of its fields).
type Reexport<'a> = (String, Option<TokenStream>, Vec<&'a str>);

/// Every file of the service `s`, added to `files`.
pub(super) fn emit(
    s: &Service,
    options: &Options,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<(), EmitError> {
    let dir = PathBuf::from(&s.module);
    let service_file = s.spec_dir.join("service.yaml");
    let reexports = model_files(s, options, &dir, files)?;
    let path = dir.join("models").join("mod.rs");
    let model_specs: Vec<&Path> = vec![s.spec_dir.as_path()];
    files.insert(
        path.clone(),
        render(&path, &model_specs, models_mod(s, &reexports))?,
    );
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
        render(&path, &[&service_file], root::root(s, options))?,
    );
    Ok(())
}

/// One file per model, with the enums of its fields; what each re-exports.
fn model_files<'a>(
    s: &'a Service,
    options: &Options,
    dir: &Path,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<Vec<Reexport<'a>>, EmitError> {
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
    Ok(reexports)
}

/// `models/mod.rs`: the model modules, their re-exports, and the test-only round trip.
fn models_mod(s: &Service, reexports: &[Reexport<'_>]) -> TokenStream {
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
}
