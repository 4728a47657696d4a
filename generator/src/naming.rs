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
pub fn snake_ident(name: &str) -> String {
    escape(name.to_snake_case(), "n")
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

/// Whether `rust_name` (as returned by the functions above) can be emitted as an identifier:
/// ASCII letters, digits and `_`, not starting with a digit, not `_` alone. Non-ASCII names
/// are refused because a module named so cannot be loaded from a file without `#[path]`.
pub fn is_valid_ident(rust_name: &str) -> bool {
    let plain = rust_name.strip_prefix("r#").unwrap_or(rust_name);
    let mut chars = plain.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && plain != "_" && plain.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits_become_valid_identifiers() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("selfUri"), "self_uri");
        assert_eq!(snake_ident("2fa"), "n2fa");
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
        assert!(!is_valid_ident(&snake_ident("é")));
        assert!(!is_valid_ident(&snake_ident("")));
        assert!(is_valid_ident(&snake_ident("2fa_get")));
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
        self.taken.insert(name.trim_start_matches("r#").to_owned())
    }

    /// `name` if it is free, else `name` + `suffix`, else with a number (`name{suffix}2`, …).
    pub fn claim(&mut self, name: String, suffix: &str) -> String {
        let raw = |n: &str| n.trim_start_matches("r#").to_owned();
        let mut candidate = name.clone();
        let mut n = 1;
        while self.taken.contains(&raw(&candidate)) {
            candidate = if n == 1 {
                format!("{}{suffix}", raw(&name))
            } else {
                format!("{}{suffix}{n}", raw(&name))
            };
            n += 1;
        }
        self.taken.insert(raw(&candidate));
        candidate
    }
}

#[cfg(test)]
mod namespace_tests {
    use super::Namespace;

    #[test]
    fn clashes_get_the_suffix_then_a_number() {
        let mut ns = Namespace::new(["Client", "send"]);
        assert_eq!(ns.claim("GetUser".into(), "Request"), "GetUser");
        assert_eq!(ns.claim("Client".into(), "Request"), "ClientRequest");
        assert_eq!(ns.claim("Client".into(), "Request"), "ClientRequest2");
        assert_eq!(ns.claim("send".into(), "_param"), "send_param");
        assert_eq!(
            ns.claim("r#type".into(), "_param"),
            "r#type",
            "a raw identifier is its word"
        );
        assert_eq!(ns.claim("type".into(), "_param"), "type_param");
    }
}
