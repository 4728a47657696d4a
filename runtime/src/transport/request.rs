//! A request being built by generated code: its path and query, header parameters and body,
//! each value encoded so that it cannot address another resource or break a header.

use std::fmt::{Display, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use crate::metadata::OperationInfo;

/// Characters left as they are in a path segment or query component: RFC 3986 unreserved.
/// Everything else, `/`, `?`, `#`, `%` and `.` sequences' neighbours included, is encoded.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a value as exactly one path segment, so a value containing `/`, `?`, `#`,
/// `%` or spaces can never address another resource.
///
/// # Errors
///
/// `""`, `.` and `..` are refused: URL parsers treat `.` and `..` (even percent-encoded) as
/// steps within the path, and an empty segment addresses the collection instead of an item.
pub fn encode_path_segment(
    value: &str,
    parameter: &'static str,
) -> Result<String, InvalidPathSegment> {
    match value {
        "" | "." | ".." => Err(InvalidPathSegment {
            parameter,
            value: value.to_owned(),
        }),
        v => Ok(utf8_percent_encode(v, UNRESERVED).to_string()),
    }
}

/// A path parameter value that cannot be sent as one path segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path parameter `{parameter}` cannot be {value:?}: it would address another resource")]
#[non_exhaustive]
pub struct InvalidPathSegment {
    /// The parameter's name.
    pub parameter: &'static str,
    /// The refused value.
    pub value: String,
}

/// A header parameter's value that cannot be sent in an HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("header `{header}` cannot be {value:?}: header values are visible ASCII, spaces and tabs")]
#[non_exhaustive]
pub struct InvalidHeader {
    /// The header's name (`If-Match`).
    pub header: &'static str,
    /// The refused value.
    pub value: String,
}

/// One request being built by generated code.
#[derive(Debug)]
pub struct Request {
    pub(super) info: &'static OperationInfo,
    path: String,
    query: String,
    pub(super) body: Option<Vec<u8>>,
    /// Header parameters, validated.
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    /// A body that did not encode: the call fails with it before anything is sent.
    pub(super) unencodable: Option<serde_json::Error>,
    /// A header parameter whose value cannot be sent: the call fails with it before anything
    /// is sent.
    pub(super) invalid_header: Option<InvalidHeader>,
}

impl Request {
    /// A request for `info` to `path` (already encoded by [`encode_path_segment`]).
    pub fn new(info: &'static OperationInfo, path: String) -> Self {
        Request {
            info,
            path,
            query: String::new(),
            body: None,
            headers: Vec::new(),
            unencodable: None,
            invalid_header: None,
        }
    }

    /// Appends `key=value` to the query string; call it once per element for a repeated key.
    pub fn query(&mut self, key: &str, value: &impl Display) {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        self.query
            .extend(utf8_percent_encode(key, UNRESERVED).map(str::to_owned));
        self.query.push('=');
        let mut text = String::new();
        let _ = write!(text, "{value}");
        self.query
            .extend(utf8_percent_encode(&text, UNRESERVED).map(str::to_owned));
    }

    /// Sets the header parameter `name` (one of the operation's `headers`) to `value`'s text. A
    /// value that cannot be sent in a header (a line break, a control character) fails the call
    /// with `Error::InvalidHeader` before anything is sent.
    pub fn header(&mut self, name: &'static str, value: &impl Display) {
        let text = value.to_string();
        // Visible ASCII, spaces and tabs only: other bytes are obsolete in HTTP (RFC 9110 §5.5)
        // and servers read them differently.
        let visible = text
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        ) {
            (Ok(name), Ok(value)) if visible => self.headers.push((name, value)),
            _ => {
                self.invalid_header.get_or_insert(InvalidHeader {
                    header: name,
                    value: text,
                });
            }
        }
    }

    /// The header parameters, as they will be sent.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes()))
    }

    /// Sets a JSON body. A value that does not encode fails the call with `Error::Encode`
    /// before anything is sent (so building a request has one failure only: a path value).
    pub fn json(&mut self, body: &impl Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.unencodable = Some(e),
        }
    }

    /// The path and query, as they will be sent.
    pub fn path_and_query(&self) -> String {
        format!("{}{}", self.path, self.query)
    }

    /// The operation it calls.
    pub fn operation(&self) -> &'static OperationInfo {
        self.info
    }

    /// The JSON body, as it will be sent.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}
