//! The hand-written layer under the generated clients: operation metadata, the HTTP
//! transport, token flows, retry and redirect policies, limits, paging, errors, and the
//! access checkers.
//!
//! Generated code only calls what is exported here, so the runtime can grow (token
//! refresh, retries, paging) without regenerating the clients. It knows no service: what
//! differs between services (hosts, token flows, auth header, error model) is data the
//! generated code passes in.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod access;
#[cfg(feature = "double")]
#[cfg_attr(docsrs, doc(cfg(feature = "double")))]
pub mod double;
/// The HTTP client the transport runs on, re-exported so that a caller's own client
/// (`TransportBuilder::http_client`), headers and hooks name the same version.
pub use reqwest;
mod authorize;
mod body;
mod enums;
mod error;
mod hook;
mod metadata;
mod model;
#[cfg(feature = "notifications")]
#[cfg_attr(docsrs, doc(cfg(feature = "notifications")))]
pub mod notify;
mod paginate;
mod raw;
mod redirect;
mod response;
mod retry;
pub mod signin;
mod token;
mod topic;
mod transport;

pub use self::authorize::{Authorizer, Denial, DenialReason};
pub use self::body::{DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_CAP};
pub use self::enums::UnknownValue;
pub use self::error::{ApiError, BuildError, Error, TimeoutPhase};
pub use self::hook::{Attempt, Hook};
pub use self::metadata::{
    AccessPolicy, AuthScheme, ClientAuthentication, Grant, Method, OperationInfo, Requirement,
    Role, TokenFlow,
};
pub use self::model::{
    FieldKey, FieldReader, FieldWriter, Nulls, ReadFields, debug_model, deserialize_model,
    position, required,
};
pub use self::paginate::{
    PageFuture, PagedRequest, Paginator, link_parameter, next_cursor, next_page_number,
};
pub use self::raw::RawRequest;
pub use self::redirect::{RedirectPolicy, RedirectReason, RedirectRefused};
pub use self::response::Response;
pub use self::retry::RetryPolicy;
pub use self::topic::{Topic, topic_segment};
pub use self::transport::{
    InvalidHeader, InvalidPathSegment, Request, ResponseFuture, Transport, TransportBuilder,
    decode, decode_text, encode_path_segment,
};
