//! The hand-written layer under the generated clients: operation metadata, the HTTP
//! transport, errors, and the pieces generated code builds on.
//!
//! Generated code only calls what is exported here, so the runtime can grow (token
//! refresh, retries, paging) without regenerating the clients.

mod authorize;
mod enums;
mod error;
mod metadata;
mod paginate;
mod retry;
mod token;
mod transport;

pub use self::authorize::{Authorizer, Denial, DenialReason};
pub use self::enums::UnknownValue;
pub use self::error::{ApiError, BuildError, Error};
pub use self::metadata::{
    AccessPolicy, AuthScheme, ClientAuthentication, Grant, Method, OperationInfo, Requirement, Role, TokenFlow,
};
pub use self::paginate::{PageFuture, PagedRequest, Paginator};
pub use self::retry::RetryPolicy;
pub use self::transport::{InvalidPathSegment, Request, Transport, TransportBuilder, encode_path_segment};
