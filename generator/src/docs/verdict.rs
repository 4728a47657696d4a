//! How much a disagreement between the spec and a page matters: what it is ([`Kind`]) judged by
//! the role of the page that states it ([`Role`]).

use std::collections::BTreeSet;

use super::report::Severity;

/// What a disagreement is, which decides how much it matters when the pages are older than the
/// release the spec follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// The documentation states something the spec lacks: always a difference.
    Omission,
    /// The spec holds something the documentation does not state.
    Beyond,
    /// Both state it, differently.
    Changed,
    /// The spec keeps what the documentation stopped listing, marked so: never a difference.
    Kept,
}

/// How strictly a page is held to the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Role {
    /// The class's newest page, of the release the spec follows (or newer): every disagreement
    /// is a difference.
    Strict,
    /// The newest page read, but older than the release the spec follows (`docs_release`):
    /// only omissions are differences.
    Older(String),
    /// Not the class's newest page: disagreements are information.
    Superseded(String),
}

impl Role {
    /// The role of a class's newest page of release `page` when its group follows release
    /// `group`: strict, unless the page is older.
    pub(super) fn newest(page: Option<&str>, group: Option<&str>) -> Role {
        match group {
            Some(release) if older_than(page, Some(release)) => Role::Older(release.to_owned()),
            _ => Role::Strict,
        }
    }

    /// How much a disagreement of `kind` matters on a page of this role, and its message.
    pub(super) fn classify(&self, kind: Kind, message: String) -> (Severity, String) {
        match (self, kind) {
            (_, Kind::Kept) => (Severity::Info, message),
            (Role::Strict, _) | (Role::Older(_), Kind::Omission) => (Severity::Difference, message),
            (Role::Older(release), Kind::Beyond) => (
                Severity::Beyond,
                format!("{message} (release {release} adds it)"),
            ),
            (Role::Older(release), Kind::Changed) => (
                Severity::Beyond,
                format!("{message} (as release {release} has it)"),
            ),
            (Role::Superseded(primary), _) => (
                Severity::Info,
                format!("{message} (older page; the spec follows {primary})"),
            ),
        }
    }
}

/// Whether documentation of `page` (a release, or none) is older than `spec` (the release the spec
/// follows, if it records one). Releases compare by their numeric parts (`249.0.0` > `99.1.0`).
pub(super) fn older_than(page: Option<&str>, spec: Option<&str>) -> bool {
    let parts = |r: &str| {
        r.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    match (page, spec) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(p), Some(s)) => parts(p) < parts(s),
    }
}

/// How a page operation was found in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
    /// By its current name.
    Current,
    /// By one of its `legacy_names`.
    Legacy,
}

/// Values on one side and not the other: omissions when only documented, beyond when only in
/// the spec.
pub(super) fn set_diff(doc: &[String], spec: &[String], what: &str, out: &mut Vec<(Kind, String)>) {
    let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
        (doc.iter().collect(), spec.iter().collect());
    for v in a.difference(&b) {
        out.push((
            Kind::Omission,
            format!("{what} `{v}` is documented but not in the spec"),
        ));
    }
    for v in b.difference(&a) {
        out.push((
            Kind::Beyond,
            format!("{what} `{v}` is in the spec but not documented"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_compare_by_their_numbers_and_no_release_is_older() {
        assert!(older_than(Some("99.1.0"), Some("249.0.0")));
        assert!(older_than(Some("249.0.0"), Some("249.0.1")));
        assert!(!older_than(Some("249.0.0"), Some("249.0.0")));
        assert!(!older_than(Some("250.0.0"), Some("249.0.0")));
        assert!(older_than(None, Some("249.0.0")));
        assert!(!older_than(Some("1.0.0"), None));
        assert!(!older_than(None, None));
    }

    #[test]
    fn a_newest_page_is_strict_unless_older_than_its_groups_release() {
        assert_eq!(Role::newest(Some("249.0.0"), Some("249.0.0")), Role::Strict);
        assert_eq!(Role::newest(None, None), Role::Strict);
        assert_eq!(
            Role::newest(Some("248.0.0"), Some("249.0.0")),
            Role::Older("249.0.0".into())
        );
    }
}
