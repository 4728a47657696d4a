//! Support for generated string enums.

use std::fmt;

/// A value of a string enum that this version of the client does not know.
///
/// APIs add enum values over time. Generated enums keep such a value in their
/// `Unknown` variant instead of failing to decode, and send it back unchanged.
/// It can only be created by decoding or converting a string, so an `Unknown`
/// never holds a value the client knows.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value. Used by generated code after checking that the value is not a known one.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownValue(value.to_owned())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
