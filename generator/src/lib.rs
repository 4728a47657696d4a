//! The code generator: spec files in, a Rust client crate out.
//!
//! The pipeline and the folders are described in `ARCHITECTURE.md` at the
//! repository root. In short: [`spec`] loads and validates the YAML spec,
//! [`docs`] compares it with the vendor's documentation pages.

pub mod diagnostic;
pub mod docs;
pub mod naming;
pub mod schema;
pub mod spec;
