//! Small wording helpers shared by the emitters, reports and checks.

use std::fmt::Display;

/// `a`, `b`, `c`: each item in backticks, comma-separated (for docs and reports).
pub(crate) fn code_list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A name with case and separators dropped, so `division_id` and `divisionId` compare equal.
pub(crate) fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
