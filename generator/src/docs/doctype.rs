//! Types as the vendor's SDK documentation writes them, and how they match spec types.
//!
//! Ruby pages write `String`, `Integer`, `BOOLEAN`, `Array<T>`; Python pages and the
//! model reference write `str`, `int`, `float`, `bool`, `datetime`, `date`, `object`,
//! `list[T]`, `dict(str, T)`. Neither gives integer widths, so `Integer`/`int`
//! matches both `int32` and `int64`.

use std::fmt;

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
            if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix([')', '>'])) {
                return DocType::Map(Box::new(DocType::parse_sdk(inner)));
            }
        }
        match t {
            // `LocalDateTime` (a date and time without zone) has no model: the SDKs keep its text.
            "String" | "str" | "LocalDateTime" => DocType::String,
            "Integer" | "int" => DocType::Integer,
            "Float" | "float" | "Number" => DocType::Number,
            "BOOLEAN" | "Boolean" | "bool" => DocType::Boolean,
            "DateTime" | "datetime" => DocType::DateTime,
            "Date" | "date" => DocType::Date,
            "Object" | "object" => DocType::Object,
            m if m.starts_with(|c: char| c.is_ascii_uppercase()) && m.chars().all(|c| c.is_ascii_alphanumeric()) => {
                DocType::Model(m.to_owned())
            }
            other => DocType::Unknown(other.to_owned()),
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
                (DocType::String, TypeExpr::Scalar(Scalar::String))
                | (DocType::Integer, TypeExpr::Scalar(Scalar::Int32 | Scalar::Int64))
                | (DocType::Number, TypeExpr::Scalar(Scalar::Number))
                | (DocType::Boolean, TypeExpr::Scalar(Scalar::Boolean))
                | (DocType::DateTime, TypeExpr::Scalar(Scalar::DateTime))
                | (DocType::Date, TypeExpr::Scalar(Scalar::Date))
                | (DocType::Object, TypeExpr::Object) => true,
                (DocType::List(d), TypeExpr::List(s)) | (DocType::Map(d), TypeExpr::Map(s)) => d.matches(Some(s)),
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
        assert!(DocType::parse_sdk("dict(str, list[DomainPermission])").matches(Some(&spec("map<list<DomainPermission>>"))));
        assert!(DocType::parse_sdk("int").matches(Some(&spec("int64"))));
        assert!(DocType::parse_sdk("Integer").matches(Some(&spec("int32"))));
        assert!(DocType::parse_sdk("nil (empty response body)").matches(None));
        assert!(!DocType::parse_sdk("list[object]").matches(Some(&spec("list<string>"))));
        assert!(!DocType::parse_sdk("User").matches(Some(&spec("Users"))));
    }
}
