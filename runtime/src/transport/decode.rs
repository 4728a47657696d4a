//! Success and error bodies: JSON decoded with the path of a failure, text as UTF-8, and the
//! service's error model told from any other JSON.

use reqwest::header::HeaderValue;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The service's error model, when the body is one: it decodes, and it carries at least one of
/// the model's fields. A JSON body that merely decodes (every field is optional, unknown ones
/// are ignored), such as a proxy's `{"error": "…"}`, is not one.
pub(super) fn vendor_error<E: DeserializeOwned + Serialize>(bytes: &[u8]) -> Option<E> {
    let parsed: E = serde_json::from_slice(bytes).ok()?;
    let recognized =
        serde_json::to_value(&parsed).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()));
    recognized.then_some(parsed)
}

/// A media type as a header value; generated media types are validated by the generator, so
/// the fallback (JSON) is only for metadata built by hand with a value no header can carry.
pub(super) fn media_header(media: &'static str) -> HeaderValue {
    HeaderValue::from_str(media).unwrap_or(HeaderValue::from_static("application/json"))
}

/// A text success body as a `String`.
///
/// # Errors
///
/// [`Error::Decode`] when the bytes are not UTF-8 (the text media types the APIs answer with
/// are UTF-8).
pub fn decode_text<E>(operation: &'static str, bytes: Vec<u8>) -> Result<String, Error<E>> {
    String::from_utf8(bytes).map_err(|e| Error::Decode {
        operation,
        path: ".".into(),
        message: format!("the text response is not UTF-8: {}", e.utf8_error()),
    })
}

/// Decodes a success body as `T`, naming the JSON path of a failure. Never panics, whatever
/// the bytes.
///
/// # Errors
///
/// [`Error::Decode`] with the operation's name, the JSON path and what is wrong there.
pub fn decode<T: DeserializeOwned, E>(
    operation: &'static str,
    bytes: &[u8],
) -> Result<T, Error<E>> {
    // The common case decodes once, plainly: tracking the path of every value costs more than
    // the rest of a call's CPU time together (`cargo xtask bench-calls`). Only a body that fails
    // is decoded again, to say where; decoding is deterministic, so it fails at the same place.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let decode_error = |path: String, message: String| Error::Decode {
        operation,
        path,
        message,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| decode_error(e.path().to_string(), e.into_inner().to_string()))?;
    de.end()
        .map_err(|e| decode_error(".".into(), e.to_string()))?;
    Ok(value)
}
