//! Small wording helpers shared by the emitters, reports and checks.

use std::fmt::Display;

/// `a`, `b`, `c`: each item in backticks, comma-separated (for docs and reports).
pub(crate) fn code_list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}
