//! Authorization requirements as a feature: know before you call whether the caller may,
//! and why not.
//!
//! Every operation states who may call it ([`OperationInfo::requires`]). The checkers here
//! compare that with what a caller holds:
//!
//! - [`Grants`] (Genesys Cloud): permission strings `domain:entity:action`, where a held
//!   permission may use `*` for any segment (`authorization:*:*`, `*:*:*`), and legacy names
//!   (`admin`, `role_manager`) match exactly. Grants may be limited to divisions.
//! - [`CspCaller`] (VMware CSP): the caller's roles and kind of account.
//!
//! Ask directly ([`Grants::check`]), or attach a checker to a client
//! (`ClientBuilder::preflight`) so a call that would be refused fails locally with a
//! [`Denial`], before any request is sent.
//!
//! ```
//! use api_runtime::access::Grants;
//! use api_runtime::{Method, OperationInfo, Requirement};
//!
//! // Generated clients have one such constant per operation (`Authorization::GET_AUTHORIZATION_ROLES`).
//! const GET_ROLES: OperationInfo = OperationInfo::new("genesys-cloud", "authorization", "get_authorization_roles",
//!     Method::Get, "/api/v2/authorization/roles", Requirement::Any(&["authorization:role:view"]));
//! const POST_DIVISIONS: OperationInfo = OperationInfo::new("genesys-cloud", "authorization", "post_authorization_divisions",
//!     Method::Post, "/api/v2/authorization/divisions", Requirement::All(&["authorization:division:add", "authorization:grant:add"]));
//!
//! let grants = Grants::new(["authorization:role:*"]);
//! assert!(grants.check(&GET_ROLES).is_ok());
//! let denial = grants.check(&POST_DIVISIONS).unwrap_err();
//! assert_eq!(
//!     denial.to_string(),
//!     "post_authorization_divisions would be refused: it requires all of its permissions, \
//!      and the caller lacks `authorization:division:add`, `authorization:grant:add`"
//! );
//! ```
//!
//! An operation whose requirement the documentation does not state is always allowed:
//! the checker cannot know better than the server.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::{Authorizer, Denial, DenialReason, OperationInfo, Requirement};

/// Where a permission applies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    /// Every division (an organization-wide permission, or a grant in division `*`).
    Everywhere,
    /// One division, by id.
    Division(String),
}

/// The permissions a Genesys Cloud caller holds, optionally per division.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    held: BTreeSet<(String, Scope)>,
}

impl Grants {
    /// Permissions held in every division.
    pub fn new<S: AsRef<str>>(permissions: impl IntoIterator<Item = S>) -> Self {
        let mut grants = Grants::default();
        for p in permissions {
            grants
                .held
                .insert((p.as_ref().to_owned(), Scope::Everywhere));
        }
        grants
    }

    /// Adds permissions held only in one division (`*` means every division).
    pub fn with_division<S: AsRef<str>>(
        mut self,
        division_id: &str,
        permissions: impl IntoIterator<Item = S>,
    ) -> Self {
        let scope = if division_id == "*" {
            Scope::Everywhere
        } else {
            Scope::Division(division_id.to_owned())
        };
        for p in permissions {
            self.held.insert((p.as_ref().to_owned(), scope.clone()));
        }
        self
    }

    /// The permissions of a Genesys `UserAuthorization` (`get_user_roles`,
    /// `get_orgauthorization_trustee_user_roles`): its `permissions` strings, held in every
    /// division. Reads the value's wire form, so any model of that shape will do.
    pub fn from_user_authorization(user: &impl Serialize) -> Self {
        let value = serde_json::to_value(user).unwrap_or(Value::Null);
        let permissions = value
            .get("permissions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        Grants::new(permissions)
    }

    /// The permissions of a Genesys `AuthzSubject` (`get_authorization_subjects_me`,
    /// `get_authorization_subject`): for each grant, every `domain:entityName:action` of its
    /// role's policies, in the grant's division. Reads the value's wire form.
    pub fn from_subject(subject: &impl Serialize) -> Self {
        let value = serde_json::to_value(subject).unwrap_or(Value::Null);
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let list = |v: &Value, key: &str| {
            v.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let mut grants = Grants::default();
        for grant in list(&value, "grants") {
            let division = grant
                .get("division")
                .and_then(|d| text(d, "id"))
                .unwrap_or_else(|| "*".to_owned());
            let policies = grant
                .get("role")
                .map(|r| list(r, "policies"))
                .unwrap_or_default();
            let permissions = policies.iter().flat_map(|p| {
                let domain = text(p, "domain").unwrap_or_else(|| "*".to_owned());
                let entity = text(p, "entityName").unwrap_or_else(|| "*".to_owned());
                list(p, "actions")
                    .into_iter()
                    .filter_map(|a| a.as_str().map(str::to_owned))
                    .map(move |a| format!("{domain}:{entity}:{a}"))
            });
            grants = grants.with_division(&division, permissions.collect::<Vec<_>>());
        }
        grants
    }

    /// Whether `required` is held, in `division` or, when `None`, in at least one division.
    pub fn holds(&self, required: &str, division: Option<&str>) -> bool {
        self.held.iter().any(|(held, scope)| {
            let in_scope = match (scope, division) {
                (Scope::Everywhere, _) | (_, None) => true,
                (Scope::Division(d), Some(want)) => d == want,
            };
            in_scope && permission_matches(held, required)
        })
    }

    /// Whether the caller may call `operation` in at least one division.
    ///
    /// # Errors
    ///
    /// A [`Denial`]: for "any" requirements, every alternative; for "all", the ones not held.
    pub fn check(&self, operation: &OperationInfo) -> Result<(), Denial> {
        self.decide(operation, None)
    }

    /// Whether the caller may call `operation` on objects of one division.
    ///
    /// # Errors
    ///
    /// As [`check`](Self::check), counting only permissions held in that division (or everywhere).
    pub fn check_in_division(
        &self,
        operation: &OperationInfo,
        division_id: &str,
    ) -> Result<(), Denial> {
        self.decide(operation, Some(division_id))
    }

    fn decide(&self, operation: &OperationInfo, division: Option<&str>) -> Result<(), Denial> {
        let deny = |reason| {
            Err(Denial {
                operation: operation.name,
                reason,
            })
        };
        match operation.requires {
            Requirement::Any(list) if !list.iter().any(|p| self.holds(p, division)) => {
                deny(DenialReason::NoneOf(list.to_vec()))
            }
            Requirement::All(list) => {
                let missing: Vec<&'static str> = list
                    .iter()
                    .copied()
                    .filter(|p| !self.holds(p, division))
                    .collect();
                if missing.is_empty() {
                    Ok(())
                } else {
                    deny(DenialReason::Missing(missing))
                }
            }
            // No permission needed, undocumented, or another service's kind of requirement.
            _ => Ok(()),
        }
    }
}

impl Authorizer for Grants {
    fn authorize(&self, operation: &OperationInfo) -> Result<(), Denial> {
        self.check(operation)
    }
}

/// Whether a held permission grants a required one: equal, or both `a:b:c` strings with the
/// same number of segments where each held segment is `*` or equal. Legacy names (`admin`)
/// have one segment and match only themselves.
pub fn permission_matches(held: &str, required: &str) -> bool {
    if held == required {
        return true;
    }
    let (h, r): (Vec<&str>, Vec<&str>) = (held.split(':').collect(), required.split(':').collect());
    h.len() > 1 && h.len() == r.len() && h.iter().zip(&r).all(|(h, r)| *h == "*" || h == r)
}

/// The kind of account a CSP caller uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountKind {
    /// A person's account.
    User,
    /// A service account (a client-credentials application).
    ServiceAccount,
}

/// A VMware CSP caller: its roles (ids such as `org_owner`) and its kind of account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspCaller {
    account: AccountKind,
    roles: BTreeSet<String>,
}

impl CspCaller {
    /// A caller with these role ids.
    pub fn new<S: AsRef<str>>(account: AccountKind, roles: impl IntoIterator<Item = S>) -> Self {
        CspCaller {
            account,
            roles: roles.into_iter().map(|r| r.as_ref().to_owned()).collect(),
        }
    }

    /// Whether the caller may call `operation`.
    ///
    /// # Errors
    ///
    /// A [`Denial`] when the policy excludes the caller's kind of account or it holds none of the roles.
    pub fn check(&self, operation: &OperationInfo) -> Result<(), Denial> {
        let Requirement::AccessPolicy(policy) = operation.requires else {
            return Ok(());
        };
        let deny = |reason| {
            Err(Denial {
                operation: operation.name,
                reason,
            })
        };
        match self.account {
            AccountKind::User if !policy.user_accounts => {
                return deny(DenialReason::AccountKind("user account"));
            }
            AccountKind::ServiceAccount if !policy.service_accounts => {
                return deny(DenialReason::AccountKind("service account"));
            }
            _ => {}
        }
        if policy.roles.iter().any(|r| self.roles.contains(r.id)) {
            Ok(())
        } else {
            deny(DenialReason::NoRole(
                policy.roles.iter().map(|r| r.id).collect(),
            ))
        }
    }
}

impl Authorizer for CspCaller {
    fn authorize(&self, operation: &OperationInfo) -> Result<(), Denial> {
        self.check(operation)
    }
}
