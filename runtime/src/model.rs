//! Decoding and encoding generated models with little generated code.
//!
//! What the compiler checks for the whole Genesys Cloud API is dominated by per-field code: serde's
//! derive emits, per model, a field enum with its own visitor, a map visitor and a sequence
//! visitor, and a hand-written `?` per field adds two trait calls and a branch each. A generated
//! model instead lists its fields' wire names ([`ReadFields::FIELDS`]) and makes one call per
//! field: [`FieldReader::read`]/[`FieldReader::read_optional`] in a `match` on the field's
//! index, [`FieldWriter::required`]/[`FieldWriter::optional`] in a straight line. The first error
//! is kept and returned once, at the end.
//!
//! It reads what the derive read from JSON: unknown fields are skipped, `null` is an absent
//! optional field, a missing required field is an error (or its empty value, where the model
//! says so). Where a key repeats, the last value wins, as in `serde_json::Value`.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A model whose fields generated code reads from a JSON object.
#[doc(hidden)]
pub trait ReadFields: Sized {
    /// The model's name, for errors (`expected a JSON object (AuthzDivision)`).
    const NAME: &'static str;

    /// The wire names of its fields, in spec order: [`FieldReader::next_field`] returns an
    /// index into it.
    const FIELDS: &'static [&'static str];

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
pub fn deserialize_model<'de, T: ReadFields, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
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

/// Reads the entries of an object for [`ReadFields::read_fields`]: the index of each known
/// field in turn, then its value into the field's slot. Unknown fields are skipped; after the
/// first error nothing more is read, and [`FieldReader::finish`] returns it.
#[doc(hidden)]
pub struct FieldReader<'de, A: MapAccess<'de>> {
    map: A,
    error: Option<A::Error>,
    /// Where the next field is looked for first: objects usually list fields in spec order.
    next: usize,
    marker: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> FieldReader<'de, A> {
    /// Reads from the entries of `map`.
    pub fn new(map: A) -> Self {
        FieldReader {
            map,
            error: None,
            next: 0,
            marker: PhantomData,
        }
    }

    /// The index in `fields` of the next known field, or `None` at the end of the object or
    /// after an error.
    pub fn next_field(&mut self, fields: &[&str]) -> Option<usize> {
        while self.error.is_none() {
            let key = match self.map.next_key::<FieldKey<'de>>() {
                Ok(Some(key)) => key,
                Ok(None) => return None,
                Err(e) => {
                    self.error = Some(e);
                    return None;
                }
            };
            let key = key.as_str();
            let found = match fields.get(self.next) {
                Some(expected) if *expected == key => Some(self.next),
                _ => fields.iter().position(|f| *f == key),
            };
            match found {
                Some(i) => {
                    self.next = i + 1;
                    return Some(i);
                }
                None => {
                    if let Err(e) = self.map.next_value::<IgnoredAny>() {
                        self.error = Some(e);
                    }
                }
            }
        }
        None
    }

    /// Reads the current field's value, which must not be `null`.
    pub fn read<T: de::Deserialize<'de>>(&mut self, slot: &mut Option<T>) {
        match self.map.next_value::<T>() {
            Ok(value) => *slot = Some(value),
            Err(e) => self.error = Some(e),
        }
    }

    /// Reads the current field's value; `null` leaves the field unset.
    pub fn read_optional<T: de::Deserialize<'de>>(&mut self, slot: &mut Option<T>) {
        match self.map.next_value::<Option<T>>() {
            Ok(value) => *slot = value,
            Err(e) => self.error = Some(e),
        }
    }

    /// Reads the current field's value of a model that tells `null` from absent: `null` leaves
    /// the field unset and marks it in `nulls` (as the field at `index` of `FIELDS`).
    pub fn read_nullable<T: de::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        nulls: &mut Nulls,
        index: usize,
    ) {
        self.read_optional(slot);
        if self.error.is_none() {
            nulls.mark(index, slot.is_none());
        }
    }

    /// The first error met, if any.
    ///
    /// # Errors
    ///
    /// The first key or value that did not decode.
    pub fn finish(self) -> Result<(), A::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// A required field's value: `slot`, or the error naming the field the object lacks.
///
/// # Errors
///
/// When `slot` is empty.
#[doc(hidden)]
pub fn required<T, E: de::Error>(slot: Option<T>, field: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(field))
}

/// Writes a model as a JSON object of the fields that are set, for a generated `Serialize`: one
/// call per field; the first error is returned by [`FieldWriter::end`].
#[doc(hidden)]
pub struct FieldWriter<M: SerializeMap> {
    map: Result<M, M::Error>,
}

impl<M: SerializeMap> FieldWriter<M> {
    /// Starts an object.
    pub fn new<S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>>(
        serializer: S,
    ) -> Self {
        FieldWriter {
            map: serializer.serialize_map(None),
        }
    }

    /// Writes a field that is always present.
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Ok(map) = &mut self.map {
            if let Err(e) = map.serialize_entry(key, value) {
                self.map = Err(e);
            }
        }
    }

    /// Writes a field when it is set.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// Writes a field when it is set, and `null` when it is unset but marked in `nulls` (as the
    /// field at `index` of the model's `FIELDS`).
    pub fn nullable<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
        nulls: &Nulls,
        index: usize,
    ) {
        match value {
            Some(value) => self.required(key, value),
            None if nulls.contains(index) => self.required(key, &()),
            None => {}
        }
    }

    /// Ends the object.
    ///
    /// # Errors
    ///
    /// The first field that did not encode.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map?.end()
    }
}

/// Which optional fields of a model are `null` rather than absent: marked by a `with_null_…`
/// setter (the field is sent as `null`, which a PATCH reads as "clear it"), or by decoding a
/// `null`. Indices are those of the model's `FIELDS`; empty, it allocates nothing.
#[doc(hidden)]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Nulls(Vec<u16>);

impl Nulls {
    /// Marks the field at `index` as `null`, or clears the mark.
    pub fn mark(&mut self, index: usize, null: bool) {
        let Ok(index) = u16::try_from(index) else {
            return;
        };
        match (self.0.binary_search(&index), null) {
            (Err(at), true) => self.0.insert(at, index),
            (Ok(at), false) => {
                self.0.remove(at);
            }
            _ => {}
        }
    }

    /// Whether the field at `index` is `null`.
    pub fn contains(&self, index: usize) -> bool {
        u16::try_from(index).is_ok_and(|index| self.0.binary_search(&index).is_ok())
    }
}

/// Formats a model for `Debug` as its name and the JSON it is sent as (`Group {"name":"x"}`),
/// pretty-printed under `{:#?}`: what a reader compares with the API's documentation, from
/// code each model already has (a derived `Debug` would add a formatting call per field, per
/// model, to what the compiler checks).
#[doc(hidden)]
pub fn debug_model<T: Serialize>(name: &str, model: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let json = if f.alternate() {
        serde_json::to_string_pretty(model)
    } else {
        serde_json::to_string(model)
    };
    match json {
        Ok(json) => write!(f, "{name} {json}"),
        // A model always encodes (JSON writes non-finite floats as null); a `Serialize` of
        // some other type that fails still formats, saying why.
        Err(e) => write!(f, "{name} {{ <{e}> }}"),
    }
}

/// The index of `value` in `values`: what a generated string enum's `From<&str>` matches on
/// (an integer per variant rather than a string comparison per variant).
#[doc(hidden)]
pub fn position(values: &[&str], value: &str) -> Option<usize> {
    values.iter().position(|v| *v == value)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What generated code writes for `{ id: string, required; name: string; count: int32,
    /// required, with an empty value; child: Thing, required }`.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        name: Option<String>,
        count: i32,
        child: Option<Box<Thing>>,
    }

    impl ReadFields for Thing {
        const NAME: &'static str = "Thing";
        const FIELDS: &'static [&'static str] = &["id", "name", "count", "child"];

        fn read_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let (mut f_id, mut f_name, mut f_count, mut f_child) = (None, None, None, None);
            let mut fields = FieldReader::new(map);
            while let Some(i) = fields.next_field(Self::FIELDS) {
                match i {
                    0 => fields.read(&mut f_id),
                    1 => fields.read_optional(&mut f_name),
                    2 => fields.read(&mut f_count),
                    _ => fields.read_optional(&mut f_child),
                }
            }
            fields.finish()?;
            Ok(Thing {
                id: required(f_id, "id")?,
                name: f_name,
                count: f_count.unwrap_or_default(),
                child: f_child,
            })
        }
    }

    impl<'de> de::Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_model(deserializer)
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut fields = FieldWriter::new(serializer);
            fields.required("id", &self.id);
            fields.optional("name", &self.name);
            fields.required("count", &self.count);
            fields.optional("child", &self.child);
            fields.end()
        }
    }

    fn leaf(id: &str) -> Thing {
        Thing {
            id: id.into(),
            name: None,
            count: 0,
            child: None,
        }
    }

    struct Debugged<T>(T);

    impl<T: Serialize> fmt::Debug for Debugged<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_model("Thing", &self.0, f)
        }
    }

    #[test]
    fn debug_shows_the_name_and_the_json_sent() {
        let t = Thing {
            count: 3,
            ..leaf("a")
        };
        assert_eq!(
            format!("{:?}", Debugged(&t)),
            r#"Thing {"id":"a","count":3}"#
        );
        assert_eq!(
            format!("{:#?}", Debugged(&t)),
            "Thing {\n  \"id\": \"a\",\n  \"count\": 3\n}"
        );
        assert_eq!(
            format!(
                "{:?}",
                Debugged(std::collections::HashMap::from([((1, 2), 3)]))
            ),
            "Thing { <key must be a string> }"
        );
    }

    #[test]
    fn writes_the_fields_that_are_set_in_order() {
        let t = Thing {
            name: Some("n".into()),
            child: Some(Box::new(leaf("c"))),
            ..leaf("a")
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"id":"a","name":"n","count":0,"child":{"id":"c","count":0}}"#
        );
        // The first error ends the object: a map key JSON cannot hold.
        let bad = std::collections::HashMap::from([((1, 2), 3)]);
        struct Two<'a>(&'a std::collections::HashMap<(i32, i32), i32>);
        impl Serialize for Two<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut fields = FieldWriter::new(serializer);
                fields.required("bad", self.0);
                fields.required("good", &1);
                fields.end()
            }
        }
        assert_eq!(
            serde_json::to_string(&Two(&bad)).unwrap_err().to_string(),
            "key must be a string"
        );
    }

    fn thing(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_fields_skips_unknown_ones_and_takes_null_as_absent() {
        let t =
            thing(r#"{"extra": {"deep": [1, 2]}, "name": null, "id": "a", "count": 3}"#).unwrap();
        assert_eq!(
            t,
            Thing {
                count: 3,
                ..leaf("a")
            }
        );
        assert_eq!(
            thing(r#"{"id": "a", "name": "n"}"#).unwrap(),
            Thing {
                name: Some("n".into()),
                ..leaf("a")
            }
        );
        // Out of order, after unknown fields, and nested.
        let t = thing(
            r#"{"child": {"id": "c", "x": 1}, "count": 2, "y": null, "name": "n", "id": "a"}"#,
        )
        .unwrap();
        assert_eq!(
            t,
            Thing {
                name: Some("n".into()),
                count: 2,
                child: Some(Box::new(leaf("c"))),
                ..leaf("a")
            }
        );
        // Escaped keys cannot be borrowed; they still match.
        assert_eq!(thing(r#"{"\u0069d": "a"}"#).unwrap().id, "a");
        // From a `Value` the keys are owned strings.
        let value = serde_json::json!({"id": "v", "name": "w"});
        assert_eq!(
            serde_json::from_value::<Thing>(value)
                .unwrap()
                .name
                .as_deref(),
            Some("w")
        );
        assert_eq!(
            thing(r#"{"id": "a", "id": "b"}"#).unwrap().id,
            "b",
            "the last of a repeated key wins"
        );
    }

    #[test]
    fn errors_name_the_field_or_the_model() {
        assert!(
            thing(r#"{"name": "n"}"#)
                .unwrap_err()
                .starts_with("missing field `id`")
        );
        assert!(
            thing(r#"{"id": 5}"#)
                .unwrap_err()
                .starts_with("invalid type: integer `5`, expected a string")
        );
        assert!(
            thing(r#"["a"]"#)
                .unwrap_err()
                .starts_with("invalid type: sequence, expected a JSON object (Thing)")
        );
        assert!(
            thing(r#"{"id": "a", "count": null}"#)
                .unwrap_err()
                .starts_with("invalid type: null, expected i32")
        );
        assert!(
            thing(r#"{"id": "a", "x": [1, }"#)
                .unwrap_err()
                .starts_with("expected value"),
            "a bad unknown value"
        );
        assert!(
            thing(r#"{"id": "a", 5: 1}"#)
                .unwrap_err()
                .starts_with("key must be a string"),
            "a bad key"
        );
        // Keys that are not strings, from a deserializer other than JSON's.
        let ints = de::value::MapDeserializer::<_, de::value::Error>::new(vec![(1, 2)].into_iter());
        let e = deserialize_model::<Thing, _>(ints).unwrap_err().to_string();
        assert_eq!(e, "invalid type: integer `1`, expected a field name");
        // The first error stops reading: a later field is not read over it.
        assert!(
            thing(r#"{"id": 1, "count": "x"}"#)
                .unwrap_err()
                .starts_with("invalid type: integer `1`")
        );
    }

    #[test]
    fn positions_of_enum_values() {
        assert_eq!(position(&["a", "b"], "b"), Some(1));
        assert_eq!(position(&["a", "b"], "c"), None);
    }

    /// `Thing` as a PATCH body: `name` (index 1) and `child` (3) may be sent as `null`.
    #[derive(Debug, PartialEq, Default)]
    struct Patch {
        name: Option<String>,
        child: Option<u8>,
        nulls: Nulls,
    }

    impl Serialize for Patch {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut fields = FieldWriter::new(serializer);
            fields.nullable("name", &self.name, &self.nulls, 1);
            fields.nullable("child", &self.child, &self.nulls, 3);
            fields.end()
        }
    }

    impl ReadFields for Patch {
        const NAME: &'static str = "Patch";
        const FIELDS: &'static [&'static str] = &["id", "name", "count", "child"];

        fn read_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let mut patch = Patch::default();
            let mut fields = FieldReader::new(map);
            while let Some(i) = fields.next_field(Self::FIELDS) {
                match i {
                    1 => fields.read_nullable(&mut patch.name, &mut patch.nulls, 1),
                    _ => fields.read_nullable(&mut patch.child, &mut patch.nulls, 3),
                }
            }
            fields.finish()?;
            Ok(patch)
        }
    }

    #[test]
    fn null_is_sent_and_read_apart_from_absent() {
        let mut patch = Patch::default();
        assert_eq!(serde_json::to_string(&patch).unwrap(), "{}");
        patch.nulls.mark(1, true);
        patch.child = Some(2);
        assert_eq!(
            serde_json::to_string(&patch).unwrap(),
            r#"{"name":null,"child":2}"#
        );
        patch.nulls.mark(1, false);
        assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"child":2}"#);
        // A value wins over a mark.
        patch.nulls.mark(3, true);
        assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"child":2}"#);
        let read: Patch = deserialize_model(&mut serde_json::Deserializer::from_str(
            r#"{"name":null,"child":4}"#,
        ))
        .unwrap();
        assert!(read.nulls.contains(1) && !read.nulls.contains(3) && !read.nulls.contains(0));
        assert_eq!(read.child, Some(4));
        let absent: Patch =
            deserialize_model(&mut serde_json::Deserializer::from_str("{}")).unwrap();
        assert_eq!(absent.nulls, Nulls::default());
        let bad = deserialize_model::<Patch, _>(&mut serde_json::Deserializer::from_str(
            r#"{"child":"x"}"#,
        ));
        assert!(bad.is_err());
    }

    #[test]
    fn null_marks_are_a_set() {
        let mut nulls = Nulls::default();
        for i in [5, 1, 5, 3, 70_000] {
            nulls.mark(i, true);
        }
        assert_eq!(
            nulls.0,
            [1, 3, 5],
            "sorted, once each, out-of-range ignored"
        );
        assert!(nulls.contains(3) && !nulls.contains(2) && !nulls.contains(70_000));
        nulls.mark(3, false);
        nulls.mark(4, false);
        assert_eq!(nulls.0, [1, 5]);
    }
}
