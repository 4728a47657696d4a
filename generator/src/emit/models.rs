//! Model structs and string enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Options, doc, ident, prose, rust_type, type_words};
use crate::ir::{Enum, FALLBACK_VARIANT, Field, Model, ModelRef, RustType, Service};

/// The struct of a model, its constructor and setters, and the enums only it uses.
pub(super) fn model(
    m: &Model,
    enums: &[&Enum],
    options: &Options,
    service: &Service,
) -> TokenStream {
    let models = quote!(super::);
    let name = ident(&m.type_name);
    let enum_items = enums.iter().map(|e| string_enum(e, options));
    let struct_doc = doc(&model_doc(m, options, service));
    let derive_default = m.all_optional().then(|| quote!(Default,));
    let runtime = &options.runtime;
    let fields = m.fields.iter().map(|f| {
        let fname = f.ident.clone();
        let ty = rust_type(&f.ty, &models);
        let ty = if f.required { ty } else { quote!(Option<#ty>) };
        let d = doc(&field_doc(f));
        quote! { #d pub #fname: #ty, }
    });
    let nulls_field = m.nullable.then(|| quote!(nulls: #runtime::Nulls,));
    let (constructor, setters) = (constructor(m, options), setters(m, options));
    let impl_block = quote! { impl #name { #constructor #setters } };
    let serialize = write_fields(m, options);
    let deserialize = read_fields(m, options);
    let spec_name = &m.name;
    quote! {
        #(#enum_items)*
        #struct_doc
        #[derive(Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* #nulls_field }
        #impl_block
        /// The model's name and the JSON it is sent as: `{:#?}` pretty-prints it.
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #runtime::debug_model(#spec_name, self, f)
            }
        }
        #serialize
        #deserialize
    }
}

/// The model's documentation: the vendor's description, and how to build one.
fn model_doc(m: &Model, options: &Options, service: &Service) -> String {
    let mut summary = if m.description.is_empty() {
        format!("The `{}` model.", m.name)
    } else {
        prose(&m.description)
    };
    if m.fields.is_empty() {
        summary.push_str(
            "\n\nThe documentation lists no fields; unknown fields the server sends are ignored.",
        );
    }
    summary.push_str(&construction_doc(
        m,
        &format!("{}::{}::models", options.crate_name, service.module),
        service,
    ));
    summary
}

/// `new`: every model is built the same way, with its required fields (none for some), then
/// the optional ones' setters.
fn constructor(m: &Model, options: &Options) -> TokenStream {
    let models = quote!(super::);
    let runtime = &options.runtime;
    let nulls_init = m
        .nullable
        .then(|| quote!(nulls: #runtime::Nulls::default()));
    let required: Vec<&Field> = m.fields.iter().filter(|f| f.required).collect();
    let new_args = required.iter().map(|f| {
        let fname = f.ident.clone();
        let ty = arg_type(&f.ty, &models);
        quote!(#fname: #ty)
    });
    let new_inits = m.fields.iter().map(|f| {
        let fname = f.ident.clone();
        if f.required {
            init_expr(&f.ty, &fname)
        } else {
            quote!(#fname: None)
        }
    });
    {
        let d = doc(&format!(
            "Creates a `{}` from its required fields; the optional fields start unset.",
            m.type_name
        ));
        let allow = super::allow_many_arguments(required.len());
        let inits = new_inits.chain(nulls_init);
        quote! { #d #allow pub fn new(#(#new_args),*) -> Self { Self { #(#inits),* } } }
    }
}

/// The optional fields' setters, and for a nullable model their `null` setters and `is_null`.
fn setters(m: &Model, options: &Options) -> TokenStream {
    let models = quote!(super::);
    let runtime = &options.runtime;
    // With each field's index in `FIELDS`, which a nullable model's marks are kept by.
    let optional: Vec<(usize, &Field)> = m
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.required)
        .collect();
    let setters = optional.iter().map(|&(i, f)| {
        let fname = f.ident.clone();
        let plain = f.ident.word();
        let setter = ident(&f.setter);
        let ty = arg_type(&f.ty, &models);
        let value = value_expr(&f.ty, &quote!(value));
        let d = doc(&format!("Sets [`{plain}`](Self::{plain})."));
        let unmark = m.nullable.then(|| {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(self.nulls.mark(#i, false);)
        });
        quote! { #d pub fn #setter(mut self, value: #ty) -> Self { self.#fname = Some(#value); #unmark self } }
    });
    let null_setters = optional.iter().filter(|_| m.nullable).filter_map(|&(i, f)| {
        let (fname, setter) = (f.ident.clone(), ident(f.null_setter.as_ref()?));
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let plain = f.ident.word();
        let d = doc(&format!(
            "Sends [`{plain}`](Self::{plain}) as `null`, which the API reads as \"clear it\" (left unset, the field \
             is not sent and keeps its value). A value set later is sent instead."
        ));
        Some(quote! { #d pub fn #setter(mut self) -> Self { self.#fname = None; self.nulls.mark(#i, true); self } })
    });
    let is_null = m.nullable.then(|| {
        let d = doc("Whether the field with the wire name `field` is `null` rather than absent: sent as `null` by its \
             `with_null_…` setter, or read as `null` from a response. Its value is `None` either way.");
        quote! {
            #d
            pub fn is_null(&self, field: &str) -> bool {
                #runtime::position(<Self as #runtime::ReadFields>::FIELDS, field).is_some_and(|i| self.nulls.contains(i))
            }
        }
    });
    quote! { #(#setters)* #(#null_setters)* #is_null }
}

/// `Serialize` as a JSON object of the fields that are set, under their wire names: one
/// runtime call per field (serde's derive would also count them first and emit a skip call per
/// absent one; a `?` per field would add two trait calls and a branch each).
fn write_fields(m: &Model, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let name = ident(&m.type_name);
    let entries = m.fields.iter().enumerate().map(|(i, f)| {
        let (fname, wire) = (f.ident.clone(), &f.wire);
        match (f.required, m.nullable) {
            (true, _) => quote!(fields.required(#wire, &self.#fname);),
            (false, false) => quote!(fields.optional(#wire, &self.#fname);),
            (false, true) => {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(fields.nullable(#wire, &self.#fname, &self.nulls, #i);)
            }
        }
    });
    let fields = if m.fields.is_empty() {
        quote!(fields)
    } else {
        quote!(mut fields)
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #fields = #runtime::FieldWriter::new(serializer);
                #(#entries)*
                fields.end()
            }
        }
    }
}

/// `Deserialize` through the runtime's one visitor: a `match` on the index of the field's wire
/// name in `FIELDS`, one runtime call per field, the first error returned once (serde's derive
/// would emit a field enum and two visitors per model).
fn read_fields(m: &Model, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let name = ident(&m.type_name);
    let spec_name = &m.name;
    let local = |f: &Field| quote::format_ident!("f_{}", f.ident.word());
    // A required field is read as such (`null` refused), an optional one may be `null`: absent
    // for the client, or marked as such in a nullable model. A JSON field keeps a `null` as
    // `Value::Null`, which its type tells from absent.
    let reader = |i: usize, f: &Field, l: &proc_macro2::Ident| match (
        f.required || f.ty == RustType::Json,
        m.nullable,
    ) {
        (true, _) => quote!(read(&mut #l)),
        (false, false) => quote!(read_optional(&mut #l)),
        (false, true) => {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(read_nullable(&mut #l, &mut nulls, #i))
        }
    };
    let wires = m.fields.iter().map(|f| &f.wire);
    let inits = m.fields.iter().map(|f| {
        let (l, fname, wire) = (local(f), f.ident.clone(), &f.wire);
        // Tolerant reader: servers omit "required" fields in embedded references (a grant's
        // division has no description), so a missing one decodes as the empty value rather
        // than failing the whole response. Only for types with an obvious empty value.
        match (f.required, has_empty_value(&f.ty)) {
            (false, _) => quote!(#fname: #l,),
            (true, true) => quote!(#fname: #l.unwrap_or_default(),),
            (true, false) => quote!(#fname: #runtime::required(#l, #wire)?,),
        }
    });
    let entries = read_entries(m, options, &reader, &local);
    let nulls_init = m.nullable.then(|| quote!(nulls,));
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #runtime::deserialize_model(deserializer)
            }
        }

        impl #runtime::ReadFields for #name {
            const NAME: &'static str = #spec_name;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];

            fn read_fields<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                #entries
                fields.finish()?;
                Ok(Self { #(#inits)* #nulls_init })
            }
        }
    }
}

/// The body of `read_fields` before `finish`: a local per field, then the loop that reads
/// each field the map holds into its local.
fn read_entries(
    m: &Model,
    options: &Options,
    reader: &dyn Fn(usize, &Field, &proc_macro2::Ident) -> TokenStream,
    local: &dyn Fn(&Field) -> proc_macro2::Ident,
) -> TokenStream {
    let runtime = &options.runtime;
    let locals = m.fields.iter().map(|f| {
        let l = local(f);
        quote!(let mut #l = None;)
    });
    let arms = m.fields.iter().enumerate().map(|(i, f)| {
        let (l, last) = (local(f), i + 1 == m.fields.len());
        let read = reader(i, f, &l);
        // The last arm takes every other index too: `next_field` returns only indices of FIELDS.
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        if last {
            quote!(_ => fields.#read,)
        } else {
            quote!(#i => fields.#read,)
        }
    });
    // One field needs no `match` (clippy: a match with a single arm).
    let read_loop = match m.fields.as_slice() {
        [f] => {
            let l = local(f);
            let read = reader(0, f, &l);
            quote!(while fields.next_field(Self::FIELDS).is_some() { fields.#read; })
        }
        _ => quote! {
            while let Some(i) = fields.next_field(Self::FIELDS) {
                match i {
                    #(#arms)*
                }
            }
        },
    };
    if m.fields.is_empty() {
        quote! {
            let mut fields = #runtime::FieldReader::new(map);
            while fields.next_field(Self::FIELDS).is_some() {}
        }
    } else {
        let nulls = m.nullable.then(|| nulls_binding(m, options));
        quote! {
            #(#locals)*
            #nulls
            let mut fields = #runtime::FieldReader::new(map);
            #read_loop
        }
    }
}

/// A nullable model's marks, while its fields are read.
fn nulls_binding(m: &Model, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    // Only fields read by `read_nullable` mark it (a JSON field keeps its `null` as a value).
    let marked = m
        .fields
        .iter()
        .any(|f| !f.required && f.ty != RustType::Json);
    let binding = if marked {
        quote!(let mut nulls)
    } else {
        quote!(let nulls)
    };
    quote!(#binding = #runtime::Nulls::default();)
}

/// Whether `Default` gives the type an obvious empty value.
fn has_empty_value(t: &RustType) -> bool {
    matches!(
        t,
        RustType::String
            | RustType::I32
            | RustType::I64
            | RustType::F64
            | RustType::Bool
            | RustType::Json
            | RustType::Vec(_)
            | RustType::Map(_)
    )
}

fn field_doc(f: &Field) -> String {
    // Said plainly, so a reader knows the silence is the vendor's, not a gap in the import.
    let mut d = if f.description.is_empty() {
        format!(
            "`{}` on the wire ({}); the vendor's model reference does not describe it.",
            f.wire,
            type_words(&f.ty, "super::")
        )
    } else {
        prose(&f.description)
    };
    if matches!(f.ty, RustType::Enum(_))
        || matches!(&f.ty, RustType::Vec(t) if matches!(**t, RustType::Enum(_)))
    {
        d.push_str(&format!(
            "\n\nOne of the values of {}.",
            type_words(&f.ty, "super::")
        ));
    }
    d
}

/// Argument type for a setter or constructor: strings take `impl Into<String>`, boxes take the value.
fn arg_type(t: &RustType, models: &TokenStream) -> TokenStream {
    match t {
        RustType::String => quote!(impl Into<String>),
        RustType::Model(r) if r.boxed => rust_type(
            &RustType::Model(ModelRef {
                boxed: false,
                ..r.clone()
            }),
            models,
        ),
        other => rust_type(other, models),
    }
}

fn value_expr(t: &RustType, v: &TokenStream) -> TokenStream {
    match t {
        RustType::String => quote!(#v.into()),
        RustType::Model(r) if r.boxed => quote!(Box::new(#v)),
        _ => quote!(#v),
    }
}

fn init_expr(t: &RustType, name: &crate::ir::Ident) -> TokenStream {
    match t {
        RustType::String => quote!(#name: #name.into()),
        RustType::Model(r) if r.boxed => quote!(#name: Box::new(#name)),
        _ => quote!(#name),
    }
}

/// A string enum that keeps values it does not know.
pub(super) fn string_enum(e: &Enum, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let name = ident(&e.type_name);
    let fallback = ident(FALLBACK_VARIANT);
    let d = doc(&enum_doc(e));
    let variants = e.variants.iter().map(|(wire, v)| {
        let v = ident(v);
        let d = doc(&format!("`{wire}`"));
        quote!(#d #v,)
    });
    let wires: Vec<&String> = e.variants.iter().map(|(w, _)| w).collect();
    let idents: Vec<_> = e.variants.iter().map(|(_, v)| ident(v)).collect();
    let names = e.variants.iter().map(|(_, v)| v);
    let fallback_name = FALLBACK_VARIANT;
    let conversions = text_conversions(e, options);
    // Per variant, only integer matches and constants: a string comparison or a formatting
    // call per variant would be most of what the compiler checks for an enum.
    quote! {
        #d
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, kept as received.
            #fallback(#runtime::UnknownValue),
        }

        impl #name {
            /// Every value this client knows, as written on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::#fallback(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let name = match self {
                    #( Self::#idents => #names, )*
                    Self::#fallback(value) => return f.debug_tuple(#fallback_name).field(value).finish(),
                };
                f.write_str(name)
            }
        }

        #conversions
    }
}

/// A string enum's documentation: where it is used, and how unknown values are kept.
fn enum_doc(e: &Enum) -> String {
    let used = crate::text::code_list(&e.used_by);
    format!(
        "Values of {used}.\n\n\
         The API adds values over time: one this client does not know becomes \
         [`{0}::{1}`] and is sent back unchanged, so a new value never breaks decoding. \
         Match with a wildcard arm, or compare [`{0}::as_str`]; do not match `{1}(_)` to detect a \
         particular value, since a later release of this crate may know it and decode it into a variant \
         of its own.",
        e.type_name, FALLBACK_VARIANT
    )
}

/// A string enum's conversions from and to text: `From<&str>`, `FromStr`, `Display` and serde,
/// through the wire values.
fn text_conversions(e: &Enum, options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    let name = ident(&e.type_name);
    let fallback = ident(FALLBACK_VARIANT);
    let idents: Vec<_> = e.variants.iter().map(|(_, v)| ident(v)).collect();
    let indices = (0..e.variants.len()).map(proc_macro2::Literal::usize_unsuffixed);
    quote! {
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match #runtime::position(Self::VALUES, value) {
                    #( Some(#indices) => Self::#idents, )*
                    _ => Self::#fallback(#runtime::UnknownValue::new(value)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// The "how to build one" paragraph of a model's docs, with an example the doctests compile.
fn construction_doc(m: &Model, models_path: &str, all: &Service) -> String {
    let how = format!(
        "\n\nBuild one with [`{0}::new`] from its required fields, then set optional ones with the `with_…` methods",
        m.type_name
    );
    let setter = m.fields.iter().find(|f| !f.required).and_then(|f| {
        Some(format!(
            "\n    .{}({})",
            f.setter,
            example_value(&f.ty, all, 0)?
        ))
    });
    let args: Option<Vec<String>> = m
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| example_value(&f.ty, all, 1))
        .collect();
    let value = args.map(|a| format!("models::{}::new({})", m.type_name, a.join(", ")));
    match value {
        Some(value) => format!(
            "{how}:\n\n```\nuse {models_path};\n\nlet value = {value}{setter};\n# let _ = value;\n```",
            setter = setter.unwrap_or_default()
        ),
        None => format!("{how}."),
    }
}

/// A Rust expression of type `t` for an example, building models through `new` (or `None`
/// where that would nest too deep, as for a model that requires itself).
fn example_value(t: &RustType, all: &Service, depth: usize) -> Option<String> {
    Some(match t {
        RustType::String => "\"text\"".into(),
        RustType::I32 | RustType::I64 => "1".into(),
        RustType::F64 => "1.5".into(),
        RustType::Bool => "true".into(),
        RustType::DateTime => "::chrono::DateTime::UNIX_EPOCH".into(),
        RustType::Date => "::chrono::NaiveDate::MIN".into(),
        RustType::Json => "::serde_json::Value::Null".into(),
        RustType::Vec(_) => "vec![]".into(),
        RustType::Map(_) => "Default::default()".into(),
        RustType::Enum(e) => {
            // The first documented value; an enum with none has only its catch-all.
            // Model fields use the service's enums only.
            match all.enum_of(e.id, &[]).variants.first() {
                Some((_, variant)) => format!("models::{}::{variant}", e.name),
                None => format!("models::{}::from(\"value\")", e.name),
            }
        }
        RustType::Model(r) => {
            let m = all.model(r.id);
            if depth > 2 {
                return None;
            }
            let args: Option<Vec<String>> = m
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| example_value(&f.ty, all, depth + 1))
                .collect();
            format!("models::{}::new({})", m.type_name, args?.join(", "))
        }
    })
}
