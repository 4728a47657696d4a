//! The spec's two small languages, each parsed here and nowhere else: type expressions (the
//! `type:` and `returns:` values) and path templates (`path:`, with `{placeholders}`).
//!
//! ```text
//! type   := scalar | "object" | "list<" type ">" | "map<" type ">" | Model
//! scalar := "string" | "int32" | "int64" | "number" | "boolean" | "date-time" | "date"
//! path   := (text | "{" name "}")*      name := [A-Za-z0-9_]+
//! ```
//! `map<T>` has string keys (JSON objects). A model name is UpperCamelCase.

use std::fmt;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeExpr {
    /// A scalar.
    Scalar(Scalar),
    /// Free-form JSON (`object`).
    Object,
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>`: a JSON object with string keys and values of type T.
    Map(Box<TypeExpr>),
    /// A model, by name.
    Model(String),
}

/// Scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    /// `string`
    String,
    /// `int32`
    Int32,
    /// `int64`
    Int64,
    /// `number` (a double)
    Number,
    /// `boolean`
    Boolean,
    /// `date-time` (RFC 3339)
    DateTime,
    /// `date` (`YYYY-MM-DD`)
    Date,
}

impl Scalar {
    const ALL: [(&'static str, Scalar); 7] = [
        ("string", Scalar::String),
        ("int32", Scalar::Int32),
        ("int64", Scalar::Int64),
        ("number", Scalar::Number),
        ("boolean", Scalar::Boolean),
        ("date-time", Scalar::DateTime),
        ("date", Scalar::Date),
    ];

    /// The scalar's spelling in the spec.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    fn parse(s: &str) -> Option<Scalar> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, s)| *s)
    }
}

/// Why a type expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl TypeExpr {
    /// Parses a type expression.
    pub fn parse(text: &str) -> Result<TypeExpr, TypeError> {
        let s = text.trim();
        if s.is_empty() {
            return Err(TypeError {
                message: "empty type".into(),
                help: "write a type such as `string`, `list<string>` or a model name".into(),
            });
        }
        for (prefix, wrap) in [
            ("list<", TypeExpr::List as fn(Box<TypeExpr>) -> TypeExpr),
            ("map<", TypeExpr::Map),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                let inner = rest.strip_suffix('>').ok_or_else(|| TypeError {
                    message: format!("`{s}` is missing its closing `>`"),
                    help: format!("write `{prefix}T>`"),
                })?;
                return Ok(wrap(Box::new(TypeExpr::parse(inner)?)));
            }
        }
        if s == "object" {
            return Ok(TypeExpr::Object);
        }
        if let Some(scalar) = Scalar::parse(s) {
            return Ok(TypeExpr::Scalar(scalar));
        }
        let is_model_name = s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if is_model_name {
            return Ok(TypeExpr::Model(s.to_owned()));
        }
        Err(TypeError {
            message: format!("`{s}` is not a type"),
            help: "use string, int32, int64, number, boolean, date-time, date, object, \
                   list<T>, map<T> or a model name (UpperCamelCase)"
                .into(),
        })
    }

    /// The model the expression mentions, if any.
    pub fn model_name(&self) -> Option<&str> {
        match self {
            TypeExpr::Model(m) => Some(m),
            TypeExpr::List(t) | TypeExpr::Map(t) => t.model_name(),
            _ => None,
        }
    }

    /// Whether documented values can restrict it: a string, or a list of strings.
    pub fn takes_values(&self) -> bool {
        matches!(self.item(), TypeExpr::Scalar(Scalar::String))
    }

    /// The element type of a list, or the type itself.
    pub fn item(&self) -> &TypeExpr {
        match self {
            TypeExpr::List(t) => t,
            t => t,
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Scalar(s) => f.write_str(s.as_str()),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::List(t) => write!(f, "list<{t}>"),
            TypeExpr::Map(t) => write!(f, "map<{t}>"),
            TypeExpr::Model(m) => f.write_str(m),
        }
    }
}

/// A path template, split once: literal text and placeholders (by wire name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// As written (`/api/v2/authorization/roles/{roleId}`).
    pub text: String,
    /// Its pieces, in order.
    pub segments: Vec<PathSegment>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as is.
    Literal(String),
    /// A placeholder, by the wire name of its parameter.
    Param(String),
}

impl PathTemplate {
    /// Splits `text` at its `{placeholders}`.
    ///
    /// # Errors
    ///
    /// An unclosed, empty or nested placeholder, or a stray `}`.
    pub fn parse(text: &str) -> Result<PathTemplate, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err("has a `}` without a matching `{`".into());
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or("has a `{` without a closing `}`")?;
            let name = &after[..close];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("has a placeholder `{{{name}}}` that is not a name"));
            }
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            segments.push(PathSegment::Param(name.to_owned()));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        Ok(PathTemplate {
            text: text.to_owned(),
            segments,
        })
    }

    /// The placeholders' wire names, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

/// The placeholder names of a path template, in order; none when it does not parse (a
/// documentation page's path is read as it is; the spec's are validated).
pub fn placeholders(path: &str) -> Vec<String> {
    PathTemplate::parse(path)
        .map(|t| t.placeholders().map(str::to_owned).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        for s in [
            "string",
            "int64",
            "date-time",
            "object",
            "list<string>",
            "map<list<DomainPermission>>",
            "User",
        ] {
            assert_eq!(TypeExpr::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_expressions() {
        assert!(
            TypeExpr::parse("list<string")
                .unwrap_err()
                .message
                .contains("closing")
        );
        assert!(
            TypeExpr::parse("integer")
                .unwrap_err()
                .message
                .contains("not a type")
        );
        assert!(TypeExpr::parse("").is_err());
        assert!(TypeExpr::parse("list<>").is_err());
    }

    #[test]
    fn templates_split_into_literals_and_placeholders() {
        let t = PathTemplate::parse("/a/{x}/b{y}").unwrap();
        assert_eq!(
            t.segments,
            [
                PathSegment::Literal("/a/".into()),
                PathSegment::Param("x".into()),
                PathSegment::Literal("/b".into()),
                PathSegment::Param("y".into())
            ]
        );
        assert_eq!(t.placeholders().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(
            PathTemplate::parse("/plain").unwrap().segments,
            [PathSegment::Literal("/plain".into())]
        );
        // A template may start with a placeholder: no empty literal before it.
        assert_eq!(
            PathTemplate::parse("{a_b}/y").unwrap().segments,
            [
                PathSegment::Param("a_b".into()),
                PathSegment::Literal("/y".into())
            ]
        );
        for bad_name in ["/a/{a-b}", "/a/{a b}", "/a/{a.b}"] {
            assert!(
                PathTemplate::parse(bad_name)
                    .unwrap_err()
                    .contains("is not a name"),
                "{bad_name}"
            );
        }
        for bad in ["/a/{x", "/a/x}", "/a/{}", "/a/{x{y}}"] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad}");
        }
    }
}
