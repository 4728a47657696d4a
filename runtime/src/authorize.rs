//! The pre-flight hook: decide locally, before a request is sent, whether it would be refused.

use std::fmt;

use super::metadata::OperationInfo;

/// Decides, from what the caller holds, whether it may call an operation.
///
/// Attached to a client with its builder's `preflight` method, an authorizer runs before
/// every request; a denial fails the call with [`Error::Denied`](super::Error::Denied)
/// and no request is sent. [`crate::access`] has the implementations for both services.
pub trait Authorizer: fmt::Debug + Send + Sync {
    /// `Ok` when the caller may call `operation` (or the authorizer cannot tell), else why not.
    ///
    /// # Errors
    ///
    /// A [`Denial`] naming the operation and what is missing.
    fn authorize(&self, operation: &OperationInfo) -> Result<(), Denial>;
}

/// Why a call would be refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Denial {
    /// The operation's name.
    pub operation: &'static str,
    /// What is missing.
    pub reason: DenialReason,
}

/// What a caller lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DenialReason {
    /// The operation needs any one of these permissions, and the caller holds none.
    NoneOf(Vec<&'static str>),
    /// The operation needs all of its permissions; the caller lacks these.
    Missing(Vec<&'static str>),
    /// The access policy does not allow this kind of account.
    AccountKind(&'static str),
    /// The access policy needs any one of these roles (ids), and the caller holds none.
    NoRole(Vec<&'static str>),
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[&str]| {
            v.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "{} would be refused: ", self.operation)?;
        match &self.reason {
            DenialReason::NoneOf(v) => write!(
                f,
                "it requires any of the permissions {}, and the caller holds none of them",
                list(v)
            ),
            DenialReason::Missing(v) => write!(
                f,
                "it requires all of its permissions, and the caller lacks {}",
                list(v)
            ),
            DenialReason::AccountKind(kind) => {
                write!(f, "its access policy does not allow {kind}s")
            }
            DenialReason::NoRole(v) => write!(
                f,
                "it requires one of the roles {}, and the caller holds none of them",
                list(v)
            ),
        }
    }
}

impl std::error::Error for Denial {}
