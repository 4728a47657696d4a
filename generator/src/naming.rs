//! Rust names for spec names, settled once so the validator and the emitter agree.
//!
//! The validator rejects two spec names that map to the same Rust identifier;
//! the emitter then relies on these functions being injective on a valid spec.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be used as plain identifiers (strict and reserved keywords, 2024 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Makes `name` a valid identifier: a keyword becomes raw (`r#type`), or gets a trailing
/// underscore when Rust forbids the raw form (`self_`); a leading digit gets a prefix.
fn escape(name: String, digit_prefix: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The snake_case Rust name of a field, parameter, operation or group (`selfUri` → `self_uri`).
pub fn snake_ident(name: &str) -> Ident {
    Ident::from_source(escape(name.to_snake_case(), "n"))
}

/// A snake_case Rust identifier as generated code writes it: its word, and whether that word
/// is a keyword that must be written raw (`r#type`). Decided once, by [`snake_ident`]; code
/// prints it as Rust reads it (`Display`: `r#type`), quotes it (`ToTokens`), or builds other
/// names from its word ([`Ident::word`]: `type`, as in `with_type`), so no caller strips `r#`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident {
    word: String,
    raw: bool,
}

impl Ident {
    /// The identifier of a name as Rust source writes it (`r#type` or `self_uri`).
    pub fn from_source(source: String) -> Ident {
        match source.strip_prefix("r#") {
            Some(word) => Ident {
                word: word.to_owned(),
                raw: true,
            },
            None => Ident {
                word: source,
                raw: false,
            },
        }
    }

    /// The word alone (`type` for `r#type`): for names built from it and for text.
    pub fn word(&self) -> &str {
        &self.word
    }

    /// Whether Rust reads it only in its raw form.
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// Whether it can be emitted: ASCII letters, digits and `_`, not starting with a digit,
    /// not `_` alone. Non-ASCII names are refused because a module named so cannot be loaded
    /// from a file without `#[path]`.
    pub fn is_valid(&self) -> bool {
        let w = &self.word;
        w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && w != "_"
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.word)
    }
}

impl quote::ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        let span = proc_macro2::Span::call_site();
        let ident = if self.raw {
            proc_macro2::Ident::new_raw(&self.word, span)
        } else {
            proc_macro2::Ident::new(&self.word, span)
        };
        ident.to_tokens(tokens);
    }
}

/// Type names of the prelude and of generated code's scaffolding. A model with one of these
/// names gets a `Model` suffix, so generated code can use the plain prelude names and read
/// like hand-written code.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "Box", "Vec", "String", "Default", "Clone",
    "Copy", "Send", "Sync", "Sized", "From", "Into", "Iterator", "ToString", "Client", "Error",
];

/// The UpperCamelCase Rust name of a model or enum (`domain_role` → `DomainRole`).
pub fn type_ident(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    if RESERVED_TYPES.contains(&camel.as_str()) {
        return format!("{camel}Model");
    }
    escape(camel, "T")
}

/// The variant name of an enum value (`PC_USER` → `PcUser`, `agent.assistant` → `AgentAssistant`);
/// `None` when the value has no letter or digit to build a name from.
pub fn variant_ident(value: &str) -> Option<String> {
    let camel = value.to_upper_camel_case();
    (!camel.is_empty()).then(|| escape(camel, "V"))
}

/// Whether `rust_name` (a name as Rust source writes it, `r#type` or `Type`) can be emitted
/// as an identifier (see [`Ident::is_valid`]).
pub fn is_valid_ident(rust_name: &str) -> bool {
    Ident::from_source(rust_name.to_owned()).is_valid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits_become_valid_identifiers() {
        assert_eq!(snake_ident("type").to_string(), "r#type");
        assert_eq!(snake_ident("self").to_string(), "self_");
        assert_eq!(snake_ident("selfUri").to_string(), "self_uri");
        assert_eq!(snake_ident("2fa").to_string(), "n2fa");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(type_ident("Option"), "OptionModel");
        assert_eq!(type_ident("error"), "ErrorModel");
        assert_eq!(variant_ident("PC_USER").as_deref(), Some("PcUser"));
        assert_eq!(
            variant_ident("agent.assistant").as_deref(),
            Some("AgentAssistant")
        );
        assert_eq!(variant_ident("9lives").as_deref(), Some("V9lives"));
        assert_eq!(variant_ident("--"), None);
    }

    #[test]
    fn valid_identifiers_are_ascii_and_never_empty() {
        for ok in ["a", "r#type", "self_", "_a", "A9", "n2fa"] {
            assert!(is_valid_ident(ok), "{ok}");
        }
        for bad in ["", "_", "r#", "9a", "é", "a-b", "a b", "a.b"] {
            assert!(!is_valid_ident(bad), "{bad}");
        }
        assert!(!snake_ident("é").is_valid());
        assert!(!snake_ident("").is_valid());
        assert!(snake_ident("2fa_get").is_valid());
        let raw = snake_ident("type");
        assert_eq!((raw.word(), raw.is_raw()), ("type", true));
        assert_eq!(quote::quote!(#raw).to_string(), "r#type");
        let plain = snake_ident("selfUri");
        assert_eq!((plain.word(), plain.is_raw()), ("self_uri", false));
        assert_eq!(quote::quote!(#plain).to_string(), "self_uri");
    }
}

/// The names taken in one scope of generated code (a module's items, an impl's methods, a
/// struct's fields): the scaffolding's own names first, then each spec name in a fixed order.
/// A name already taken gets `suffix` (then a number), so every clash is resolved the same way
/// on every run and generated code always compiles.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: std::collections::HashSet<String>,
}

impl Namespace {
    /// A scope whose scaffolding already uses `reserved`.
    pub fn new<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Namespace {
        Namespace {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Takes `name` as it is; `false` when it was taken already.
    pub fn reserve(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_owned())
    }

    /// `name` if it is free, else `name` + `suffix`, else with a number (`name{suffix}2`, …).
    /// For type and variant names, which are never raw.
    pub fn claim(&mut self, name: String, suffix: &str) -> String {
        let mut candidate = name.clone();
        let mut n = 1;
        while self.taken.contains(&candidate) {
            candidate = if n == 1 {
                format!("{name}{suffix}")
            } else {
                format!("{name}{suffix}{n}")
            };
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    /// [`Namespace::claim`] for a snake_case identifier: a raw identifier takes its word
    /// (`r#type` and `type` clash), and a suffixed one is plain (`type_param`).
    pub fn claim_ident(&mut self, name: Ident, suffix: &str) -> Ident {
        let claimed = self.claim(name.word().to_owned(), suffix);
        if claimed == name.word() {
            name
        } else {
            Ident::from_source(claimed)
        }
    }
}

#[cfg(test)]
mod namespace_tests {
    use super::{Ident, Namespace};

    #[test]
    fn clashes_get_the_suffix_then_a_number() {
        let mut ns = Namespace::new(["Client", "send"]);
        assert_eq!(ns.claim("GetUser".into(), "Request"), "GetUser");
        assert_eq!(ns.claim("Client".into(), "Request"), "ClientRequest");
        assert_eq!(ns.claim("Client".into(), "Request"), "ClientRequest2");
        let claim = |ns: &mut Namespace, name: &str| {
            ns.claim_ident(Ident::from_source(name.into()), "_param")
                .to_string()
        };
        assert_eq!(claim(&mut ns, "send"), "send_param");
        assert_eq!(
            claim(&mut ns, "r#type"),
            "r#type",
            "a raw identifier is its word"
        );
        assert_eq!(claim(&mut ns, "type"), "type_param");
    }
}
