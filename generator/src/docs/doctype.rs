//! Types as the vendor's SDK documentation writes them, and how they match spec types.
//!
//! Ruby pages write `String`, `Integer`, `BOOLEAN`, `Array<T>`; Python pages and the
//! model reference write `str`, `int`, `float`, `bool`, `datetime`, `date`, `object`,
//! `list[T]`, `dict(str, T)`. Neither gives integer widths, so `Integer`/`int`
//! matches both `int32` and `int64`.

use std::fmt;

use super::sdk_types::SdkTypes;
use crate::spec::types::{Scalar, TypeExpr};

/// A type as documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocType {
    /// String.
    String,
    /// An integer of unstated width.
    Integer,
    /// A floating-point number.
    Number,
    /// Boolean.
    Boolean,
    /// Date and time.
    DateTime,
    /// Date.
    Date,
    /// Free-form object.
    Object,
    /// List of T.
    List(Box<DocType>),
    /// Map from string to T.
    Map(Box<DocType>),
    /// A model.
    Model(String),
    /// One of the SDK's own types over text ([`super::sdk_types`]): a string in a format.
    Formatted {
        /// The SDK's name (`YearMonth`).
        sdk: String,
        /// The format (`year-month`).
        format: String,
    },
    /// No response body (`nil (empty response body)`, `void (empty response body)`).
    Nothing,
    /// Anything else, verbatim.
    Unknown(String),
}

impl DocType {
    /// Parses a type in any of the SDKs' notations.
    pub fn parse_sdk(text: &str) -> DocType {
        let t = text.trim();
        if t.starts_with("nil") || t.starts_with("void") {
            return DocType::Nothing;
        }
        for (open, close) in [("Array<", ">"), ("list[", "]")] {
            if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
                return DocType::List(Box::new(DocType::parse_sdk(inner)));
            }
        }
        for open in ["dict(str, ", "Hash<String, "] {
            if let Some(inner) = t
                .strip_prefix(open)
                .and_then(|r| r.strip_suffix([')', '>']))
            {
                return DocType::Map(Box::new(DocType::parse_sdk(inner)));
            }
        }
        match t {
            "String" | "str" => DocType::String,
            "Integer" | "int" => DocType::Integer,
            "Float" | "float" | "Number" => DocType::Number,
            "BOOLEAN" | "Boolean" | "bool" => DocType::Boolean,
            "DateTime" | "datetime" => DocType::DateTime,
            "Date" | "date" => DocType::Date,
            "Object" | "object" => DocType::Object,
            m if m.starts_with(|c: char| c.is_ascii_uppercase())
                && m.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                DocType::Model(m.to_owned())
            }
            other => DocType::Unknown(other.to_owned()),
        }
    }

    /// The type with every name resolved: a model where `is_model` says so, else one of the
    /// SDK's own types, else [`DocType::Unknown`] (which the spec holds as JSON).
    pub fn resolve(self, is_model: &dyn Fn(&str) -> bool, sdk: &SdkTypes) -> DocType {
        match self {
            DocType::Model(m) if is_model(&m) => DocType::Model(m),
            DocType::Model(m) => match sdk.get(&m) {
                Some(t) => DocType::Formatted {
                    sdk: m,
                    format: t.format.clone(),
                },
                None => DocType::Unknown(m),
            },
            DocType::List(t) => DocType::List(Box::new(t.resolve(is_model, sdk))),
            DocType::Map(t) => DocType::Map(Box::new(t.resolve(is_model, sdk))),
            other => other,
        }
    }

    /// The names in the type that are neither a known type nor a model, through lists and maps.
    pub fn unknown(&self) -> Option<&str> {
        match self {
            DocType::Unknown(u) => Some(u),
            DocType::List(t) | DocType::Map(t) => t.unknown(),
            _ => None,
        }
    }

    /// The type of a parameter outside the body, which is text on the wire: a structure or
    /// what nothing documents is sent as text (through lists).
    pub fn as_text(&self) -> DocType {
        match self {
            DocType::List(inner) => DocType::List(Box::new(inner.as_text())),
            DocType::Unknown(_) | DocType::Map(_) | DocType::Model(_) | DocType::Object => {
                DocType::String
            }
            other => other.clone(),
        }
    }

    /// The type of a path parameter: one segment of text (a list has no form there).
    pub fn as_segment(&self) -> DocType {
        match self.as_text() {
            DocType::List(_) => DocType::String,
            other => other,
        }
    }

    /// The text format the type stands for, through lists and maps.
    pub fn format(&self) -> Option<&str> {
        match self {
            DocType::Formatted { format, .. } => Some(format),
            DocType::List(t) | DocType::Map(t) => t.format(),
            _ => None,
        }
    }

    /// The model the type names, through lists and maps.
    pub fn model_name(&self) -> Option<&str> {
        match self {
            DocType::Model(m) => Some(m),
            DocType::List(t) | DocType::Map(t) => t.model_name(),
            _ => None,
        }
    }

    /// Whether a spec type says the same as this documented type.
    pub fn matches(&self, spec: Option<&TypeExpr>) -> bool {
        match (self, spec) {
            (DocType::Nothing, None) => true,
            (_, None) | (DocType::Nothing, Some(_)) => false,
            (doc, Some(spec)) => match (doc, spec) {
                (DocType::String | DocType::Formatted { .. }, TypeExpr::Scalar(Scalar::String))
                | (DocType::Unknown(_), TypeExpr::Object)
                | (DocType::Integer, TypeExpr::Scalar(Scalar::Int32 | Scalar::Int64))
                | (DocType::Number, TypeExpr::Scalar(Scalar::Number))
                | (DocType::Boolean, TypeExpr::Scalar(Scalar::Boolean))
                | (DocType::DateTime, TypeExpr::Scalar(Scalar::DateTime))
                | (DocType::Date, TypeExpr::Scalar(Scalar::Date))
                | (DocType::Object, TypeExpr::Object) => true,
                (DocType::List(d), TypeExpr::List(s)) | (DocType::Map(d), TypeExpr::Map(s)) => {
                    d.matches(Some(s))
                }
                (DocType::Model(d), TypeExpr::Model(s)) => d == s,
                _ => false,
            },
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocType::String => f.write_str("string"),
            DocType::Integer => f.write_str("integer"),
            DocType::Number => f.write_str("number"),
            DocType::Boolean => f.write_str("boolean"),
            DocType::DateTime => f.write_str("date-time"),
            DocType::Date => f.write_str("date"),
            DocType::Object => f.write_str("object"),
            DocType::List(t) => write!(f, "list<{t}>"),
            DocType::Map(t) => write!(f, "map<{t}>"),
            DocType::Model(m) => f.write_str(m),
            DocType::Formatted { sdk, format } => {
                write!(f, "{sdk} (text in the `{format}` format)")
            }
            DocType::Nothing => f.write_str("nothing"),
            DocType::Unknown(s) => write!(f, "`{s}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> TypeExpr {
        TypeExpr::parse(s).unwrap()
    }

    #[test]
    fn every_notation_maps_to_spec_types() {
        assert!(DocType::parse_sdk("Array<String>").matches(Some(&spec("list<string>"))));
        assert!(DocType::parse_sdk("list[str]").matches(Some(&spec("list<string>"))));
        assert!(
            DocType::parse_sdk("dict(str, list[DomainPermission])")
                .matches(Some(&spec("map<list<DomainPermission>>")))
        );
        assert!(DocType::parse_sdk("int").matches(Some(&spec("int64"))));
        assert!(DocType::parse_sdk("Integer").matches(Some(&spec("int32"))));
        assert!(DocType::parse_sdk("nil (empty response body)").matches(None));
        assert!(!DocType::parse_sdk("list[object]").matches(Some(&spec("list<string>"))));
        assert!(!DocType::parse_sdk("User").matches(Some(&spec("Users"))));
    }

    #[test]
    fn names_resolve_to_models_sdk_types_or_json() {
        let sdk = SdkTypes::parse(
            std::path::Path::new("index.md"),
            "### SDK Specific Types\n\n#### YearMonth\n\na \"year-month\" format\n",
        );
        let resolve = |t: &str| DocType::parse_sdk(t).resolve(&|m| m == "User", &sdk);
        assert_eq!(
            resolve("list[User]"),
            DocType::List(Box::new(DocType::Model("User".into())))
        );
        let months = resolve("list[YearMonth]");
        assert_eq!(
            (months.format(), months.unknown(), months.model_name()),
            (Some("year-month"), None, None)
        );
        assert!(
            months.matches(Some(&spec("list<string>")))
                && !months.matches(Some(&spec("list<object>")))
        );
        let odd = resolve("dict(str, Sprocket)");
        assert_eq!(
            (odd.unknown(), odd.format(), odd.model_name()),
            (Some("Sprocket"), None, None)
        );
        assert!(
            odd.matches(Some(&spec("map<object>"))) && !odd.matches(Some(&spec("map<string>")))
        );
        assert_eq!(resolve("str").unknown(), None);
        assert_eq!(
            resolve("list[Sprocket]").as_text(),
            DocType::List(Box::new(DocType::String)),
            "a parameter's"
        );
        assert_eq!(
            resolve("list[Sprocket]").as_segment(),
            DocType::String,
            "a path parameter's"
        );
        assert_eq!(resolve("User").as_text(), DocType::String);
        assert_eq!(
            DocType::parse_sdk("tuple(int)").unknown(),
            Some("tuple(int)"),
            "unparsed text is unknown too"
        );
        assert_eq!(
            resolve("YearMonth").to_string(),
            "YearMonth (text in the `year-month` format)"
        );
    }
}
