//! The names ledger: `spec/<service>/names.lock`, every public Rust name whose choice could
//! depend on other items, as it was first generated.
//!
//! Most names depend on their item alone (a model's module, a field, a group's module and
//! feature). The others are settled in a scope shared with other items: a field's enum
//! (`UserState`) beside the models, a request builder beside the group's parameter enums, a
//! method beside the legacy aliases, a variant beside its enum's other values. Without a
//! record, the first item to claim a name would win, so a release that only *adds* an item
//! could rename an older one. The ledger records each claim by a key naming the item
//! (`enum User.state`); codegen reads it, gives every item it lists the recorded name,
//! reserves those names, then lets new items claim what is left, and writes the ledger back
//! (an output of [`crate::registry`], so `codegen --check` fails when it is stale). Reviewed
//! like `Cargo.lock`: a diff that adds lines names the new items; a diff that changes a line
//! is a rename, and only the spec removing or renaming an item drops its line.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::naming::{Namespace, is_valid_ident};
use crate::spec::locate::escape;

/// The file name of a service's ledger, in its spec folder.
pub const FILE_NAME: &str = "names.lock";

/// A service's ledger: scope → item key → Rust name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesLock {
    /// The `models` module: model types (`model User`) and field enums (`enum User.state`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub models: BTreeMap<String, String>,
    /// The service's cargo features that exist only while the spec needs them
    /// (`<service>-other_models`, while some model is reached by no operation): once
    /// generated, kept, so a release that puts the last such model to use removes no feature.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub features: BTreeSet<String>,
    /// Each group module's types, by group id: `api` (the group client), `double`,
    /// `builder <operation>`, `enum <operation>.<parameter>` (parameters that share an enum
    /// share its name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, BTreeMap<String, String>>,
}

impl NamesLock {
    /// The ledger as written to disk: a header saying what it is, then YAML in key order.
    pub fn render(&self) -> String {
        let yaml = serde_yaml::to_string(self).unwrap_or_default();
        let body = if *self == NamesLock::default() {
            String::new()
        } else {
            yaml
        };
        format!(
            "# The Rust names generated for this service's items, kept so that a spec that only adds items\n\
             # never renames one (see ARCHITECTURE.md, \"Stable names\"). Written by `cargo xtask codegen`;\n\
             # review it like Cargo.lock: a changed line is a renamed public item.\n{body}"
        )
    }

    /// Whether scope entries may share a name: parameters sharing one enum do.
    pub fn may_share(key: &str) -> bool {
        key.starts_with("enum ")
    }

    /// What codegen could not honour in a ledger edited by hand: a name that is no Rust
    /// identifier, or one name recorded for two items of a scope. Each is the entry's JSON
    /// pointer and the problem.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut scopes: Vec<(String, &BTreeMap<String, String>)> =
            vec![("/models".into(), &self.models)];
        scopes.extend(
            self.groups
                .iter()
                .map(|(group, names)| (format!("/groups/{}", escape(group)), names)),
        );
        let mut problems = Vec::new();
        for (scope, entries) in scopes {
            let mut first: HashMap<&str, &str> = HashMap::new();
            for (key, name) in entries {
                let pointer = format!("{scope}/{}", escape(key));
                if !is_valid_ident(name) {
                    problems.push((
                        pointer,
                        format!("`{name}` (for `{key}`) is not a Rust identifier"),
                    ));
                    continue;
                }
                match first.get(name.as_str()) {
                    Some(other) if !(NamesLock::may_share(other) && NamesLock::may_share(key)) => {
                        problems.push((
                            pointer,
                            format!("`{name}` is recorded for both `{other}` and `{key}`"),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        first.insert(name, key);
                    }
                }
            }
        }
        problems
    }
}

/// One scope of generated names, seeded from the ledger.
///
/// The scaffolding's reserved names come first; then every name the ledger records for the
/// scope is reserved (whether or not its item still exists, so a name freed in this release is
/// not handed to another item in the same one); then items claim in a fixed order: an item the
/// ledger lists gets its recorded name, a new one its natural name, or that with `suffix`.
#[derive(Debug, Default)]
pub struct Scope {
    names: Namespace,
    locked: HashMap<String, String>,
    claimed: BTreeMap<String, String>,
}

impl Scope {
    /// A scope whose scaffolding uses `reserved`, seeded from the ledger's entries for it.
    /// A recorded name the scaffolding now uses, or that is no identifier, is not honoured:
    /// its item claims anew.
    pub fn new<'a>(
        reserved: impl IntoIterator<Item = &'a str>,
        locked: Option<&BTreeMap<String, String>>,
    ) -> Scope {
        let mut names = Namespace::new(reserved);
        let mut held: HashMap<&str, &str> = HashMap::new();
        let mut usable = HashMap::new();
        for (key, name) in locked.into_iter().flatten() {
            let shared = held
                .get(name.as_str())
                .is_some_and(|first| NamesLock::may_share(first) && NamesLock::may_share(key));
            if is_valid_ident(name) && (shared || names.reserve(name)) {
                held.entry(name.as_str()).or_insert(key.as_str());
                usable.insert(key.clone(), name.clone());
            }
        }
        Scope {
            names,
            locked: usable,
            claimed: BTreeMap::new(),
        }
    }

    /// The name the ledger records for `key`, if it is usable.
    pub fn recorded(&self, key: &str) -> Option<&str> {
        self.locked.get(key).map(String::as_str)
    }

    /// The name of the item `key`: recorded, else `natural` or it with `suffix` (see
    /// [`Namespace::claim`]).
    pub fn claim(&mut self, key: String, natural: String, suffix: &str) -> String {
        let name = match self.locked.get(&key) {
            Some(name) => name.clone(),
            None => self.names.claim(natural, suffix),
        };
        self.claimed.insert(key, name.clone());
        name
    }

    /// Records that `key` uses `name`, claimed already for another key (a shared enum).
    pub fn share(&mut self, key: String, name: &str) {
        self.claimed.insert(key, name.to_owned());
    }

    /// The names claimed, for the ledger written back.
    pub fn into_claimed(self) -> BTreeMap<String, String> {
        self.claimed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn recorded_names_win_and_new_items_yield() {
        let recorded = lock(&[("enum User.state", "UserState"), ("enum Gone.x", "GoneX")]);
        let mut scope = Scope::new(["Client"], Some(&recorded));
        // A model added since takes the name the enum holds: it yields.
        assert_eq!(
            scope.claim("model UserState".into(), "UserState".into(), "Model"),
            "UserStateModel"
        );
        assert_eq!(
            scope.claim("model User".into(), "User".into(), "Model"),
            "User"
        );
        assert_eq!(
            scope.claim("enum User.state".into(), "UserStateValue".into(), "Value"),
            "UserState"
        );
        // A name freed in this release is not handed on in the same one.
        assert_eq!(
            scope.claim("model GoneX".into(), "GoneX".into(), "Model"),
            "GoneXModel"
        );
        assert_eq!(
            scope.claim("model Client".into(), "Client".into(), "Model"),
            "ClientModel"
        );
        let claimed = scope.into_claimed();
        assert_eq!(claimed.len(), 5);
        assert!(
            !claimed.contains_key("enum Gone.x"),
            "what no item claims is dropped"
        );
    }

    #[test]
    fn unusable_records_are_claimed_anew() {
        let recorded = lock(&[
            ("builder a", "Client"),
            ("builder b", "9x"),
            ("builder c", "Same"),
            ("builder d", "Same"),
        ]);
        let mut scope = Scope::new(["Client"], Some(&recorded));
        assert_eq!(scope.recorded("builder a"), None, "the scaffolding's name");
        assert_eq!(scope.recorded("builder b"), None, "not an identifier");
        assert_eq!(scope.recorded("builder c"), Some("Same"));
        assert_eq!(
            scope.recorded("builder d"),
            None,
            "a name two items would hold"
        );
        assert_eq!(
            scope.claim("builder d".into(), "Same".into(), "Request"),
            "SameRequest"
        );
    }

    #[test]
    fn parameters_sharing_an_enum_share_its_record() {
        let recorded = lock(&[("enum a.expand", "Expand"), ("enum b.expand", "Expand")]);
        let mut scope = Scope::new([], Some(&recorded));
        assert_eq!(
            (
                scope.recorded("enum a.expand"),
                scope.recorded("enum b.expand")
            ),
            (Some("Expand"), Some("Expand"))
        );
        assert_eq!(
            scope.claim("builder expand".into(), "Expand".into(), "Request"),
            "ExpandRequest"
        );
        let name = scope.claim("enum a.expand".into(), "Expand".into(), "Value");
        scope.share("enum c.expand".into(), &name);
        assert_eq!(
            scope
                .into_claimed()
                .get("enum c.expand")
                .map(String::as_str),
            Some("Expand")
        );
    }

    #[test]
    fn a_ledger_edited_by_hand_into_nonsense_has_its_problems_located() {
        let mut names = NamesLock {
            models: lock(&[("model A", "9A"), ("model B", "Same"), ("model C", "Same")]),
            ..NamesLock::default()
        };
        let group = lock(&[
            ("enum a.x", "X"),
            ("enum b.x", "X"),
            ("builder a/b", "r#"),
            ("builder x", "X"),
        ]);
        names.groups.insert("g".into(), group);
        let problems = names.problems();
        assert_eq!(
            problems,
            [
                (
                    "/models/model A".to_owned(),
                    "`9A` (for `model A`) is not a Rust identifier".to_owned()
                ),
                (
                    "/models/model C".into(),
                    "`Same` is recorded for both `model B` and `model C`".into()
                ),
                (
                    "/groups/g/builder a~1b".into(),
                    "`r#` (for `builder a/b`) is not a Rust identifier".into()
                ),
                (
                    "/groups/g/enum a.x".into(),
                    "`X` is recorded for both `builder x` and `enum a.x`".into()
                ),
                (
                    "/groups/g/enum b.x".into(),
                    "`X` is recorded for both `builder x` and `enum b.x`".into()
                ),
            ]
        );
    }

    #[test]
    fn the_ledger_renders_sorted_with_its_header_and_reads_back() {
        let mut names = NamesLock::default();
        assert!(
            names.render().starts_with("# The Rust names")
                && names
                    .render()
                    .ends_with("Cargo.lock: a changed line is a renamed public item.\n")
        );
        names.models = lock(&[("model User", "User"), ("enum User.state", "UserState")]);
        names.groups.insert(
            "users".into(),
            lock(&[("builder get_user", "GetUser"), ("enum get_user.a/b", "AB")]),
        );
        let text = names.render();
        assert!(
            text.contains("models:\n  enum User.state: UserState\n  model User: User\n"),
            "{text}"
        );
        assert_eq!(serde_yaml::from_str::<NamesLock>(&text).unwrap(), names);
    }
}
