//! Typed async clients for two authorization APIs, generated from the declarative spec in
//! this repository's `spec/` folder:
//!
//! - [`genesys_cloud`]: the Genesys Cloud Platform API v2 (formerly PureCloud), its
//!   `AuthorizationApi` and `OrganizationAuthorizationApi` (cargo feature `genesys_cloud`);
//! - [`vmware_csp`]: the VMware Cloud Services Platform IAM API's organization trusts
//!   (cargo feature `vmware_csp`).
//!
//! Both features are on by default; turn off the one you do not use to compile less.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use authz_client::genesys_cloud::{Client, Region};
//!
//! let client = Client::builder()
//!     .region(Region::EuWest1)
//!     .access_token(std::env::var("GENESYS_ACCESS_TOKEN")?)
//!     .build()?;
//! let roles = client.authorization().get_authorization_roles().page_size(50).await?;
//! for role in roles.entities.unwrap_or_default() {
//!     println!("{} ({} users)", role.name.unwrap_or_default(), role.user_count.unwrap_or(0));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every operation's method, path and authorization requirement is also data
//! (`genesys_cloud::OPERATIONS`, [`runtime::OperationInfo`]), so tools can reason about
//! who may call what without reading documentation.
//!
//! [`access`] answers, before a call, whether the caller may make it and what is missing.
//!
//! The service modules are generated (`cargo xtask codegen`); [`runtime`] and [`access`] are
//! written by hand.

#![cfg_attr(docsrs, feature(doc_cfg))]

/// The runtime the generated code runs on (crate `api-runtime`): transport, token flows,
/// retry and redirect policies, limits, paging, errors and operation metadata.
pub use api_runtime as runtime;

/// Authorization requirements as a feature: know before you call whether the caller may, and
/// why not (`Grants` for Genesys Cloud, `CspCaller` for VMware CSP).
pub use api_runtime::access;

#[cfg(feature = "genesys_cloud")]
pub mod genesys_cloud;

#[cfg(feature = "vmware_csp")]
pub mod vmware_csp;
