//! Decoding generated models with little generated code.
//!
//! serde's derive emits, per model, a field enum with its own visitor, a map visitor and a
//! sequence visitor: about forty lines per field, and across the whole Genesys Cloud API almost
//! half of what the compiler type-checks. A generated model instead implements [`ReadFields`]:
//! one `match` on the field's wire name, one arm per field; the visitor is written once, here.
//! It reads what the derive read from JSON: unknown fields are skipped, `null` is an absent
//! optional field, a missing required field is an error (or its empty value, where the model
//! says so). Where a key repeats, the last value wins, as in `serde_json::Value`.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A model whose fields generated code reads from a JSON object.
#[doc(hidden)]
pub trait ReadFields: Sized {
    /// The model's name, for errors (`expected a JSON object (AuthzDivision)`).
    const NAME: &'static str;

    /// Reads the model's fields from the entries of an object.
    ///
    /// # Errors
    ///
    /// When a value does not decode, or a required field without an empty value is missing.
    fn read_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a model from an object: what a generated model's `Deserialize` impl calls.
///
/// # Errors
///
/// When the input is not an object, or [`ReadFields::read_fields`] fails.
#[doc(hidden)]
pub fn deserialize_model<'de, T: ReadFields, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: ReadFields> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_fields(map)
    }
}

/// The name of a field as read: borrowed from the input where it can be, so matching it costs
/// no allocation.
#[doc(hidden)]
#[derive(Debug)]
pub struct FieldKey<'de>(Cow<'de, str>);

impl FieldKey<'_> {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> de::Deserialize<'de> for FieldKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = FieldKey<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(FieldKey(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(FieldKey(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(FieldKey(Cow::Owned(v)))
    }
}

/// The error for a required field the object lacks.
#[doc(hidden)]
pub fn missing_field<E: de::Error>(field: &'static str) -> E {
    E::missing_field(field)
}

#[cfg(test)]
mod tests {
    use serde::de::{IgnoredAny, MapAccess};

    use super::*;

    /// What generated code writes for `{ id: string, required; name: string; count: int32, required, with an empty value }`.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        name: Option<String>,
        count: i32,
    }

    impl ReadFields for Thing {
        const NAME: &'static str = "Thing";

        fn read_fields<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut f_id, mut f_name, mut f_count) = (None, None, None);
            while let Some(key) = map.next_key::<FieldKey<'de>>()? {
                match key.as_str() {
                    "id" => f_id = Some(map.next_value()?),
                    "name" => f_name = map.next_value()?,
                    "count" => f_count = Some(map.next_value()?),
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(Thing { id: f_id.ok_or_else(|| missing_field("id"))?, name: f_name, count: f_count.unwrap_or_default() })
        }
    }

    impl<'de> de::Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_model(deserializer)
        }
    }

    fn thing(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_fields_skips_unknown_ones_and_takes_null_as_absent() {
        let t = thing(r#"{"extra": {"deep": [1, 2]}, "name": null, "id": "a", "count": 3}"#).unwrap();
        assert_eq!(t, Thing { id: "a".into(), name: None, count: 3 });
        assert_eq!(thing(r#"{"id": "a", "name": "n"}"#).unwrap(), Thing { id: "a".into(), name: Some("n".into()), count: 0 });
        // Escaped keys cannot be borrowed; they still match.
        assert_eq!(thing(r#"{"\u0069d": "a"}"#).unwrap().id, "a");
        // From a `Value` the keys are owned strings.
        let value = serde_json::json!({"id": "v", "name": "w"});
        assert_eq!(serde_json::from_value::<Thing>(value).unwrap().name.as_deref(), Some("w"));
        assert_eq!(thing(r#"{"id": "a", "id": "b"}"#).unwrap().id, "b", "the last of a repeated key wins");
    }

    #[test]
    fn errors_name_the_field_or_the_model() {
        assert!(thing(r#"{"name": "n"}"#).unwrap_err().starts_with("missing field `id`"));
        assert!(thing(r#"{"id": 5}"#).unwrap_err().starts_with("invalid type: integer `5`, expected a string"));
        assert!(thing(r#"["a"]"#).unwrap_err().starts_with("invalid type: sequence, expected a JSON object (Thing)"));
        assert!(thing(r#"{"id": "a", "count": null}"#).unwrap_err().starts_with("invalid type: null, expected i32"));
    }
}
