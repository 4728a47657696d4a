//! The public Rust API of generated code, item by item: what downstream crates can name.
//!
//! Read from the emitted files themselves (parsed with `syn`), so it sees exactly what the
//! compiler does: every public module, type, field, variant, function, method, constant and
//! re-export by its path, each with a signature (the tokens that decide whether code using it
//! still compiles; doc comments are left out). Trait implementations count too: code relies on
//! `impl Serialize for User` as much as on `User`. Two surfaces compared give the items added,
//! removed and changed, and so the semver verdict of the Rust API ([`Delta::bump`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, ItemEnum, ItemStruct, UseTree, Visibility};

/// Every public item of a crate's generated code: path → signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// By path (`genesys_cloud::models::User`, `genesys_cloud::models::User::id`).
    pub items: BTreeMap<String, String>,
}

/// A public item that differs between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemChange {
    /// New in the later surface.
    Added(String),
    /// Gone from the later surface.
    Removed(String),
    /// Present in both, with another signature: (path, before, after).
    Changed(String, String, String),
    /// Present in both, the same but for `#[deprecated]`, which it gained: code still
    /// compiles, with a warning (a minor change, as `cargo-semver-checks` rates it).
    Deprecated(String),
}

/// What changed between two surfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Delta {
    /// Every change, by path.
    pub changes: Vec<ItemChange>,
}

impl Surface {
    /// The surface of a crate's source files (paths relative to its `src/`, `lib.rs` the root).
    ///
    /// # Errors
    ///
    /// A file that is not Rust (the emitter checks its output, so a generator bug).
    pub fn of_files<'a>(
        files: impl IntoIterator<Item = (&'a Path, &'a str)>,
    ) -> Result<Surface, String> {
        let mut surface = Surface::default();
        for (path, text) in files {
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let file = syn::parse_file(text).map_err(|e| format!("{}: {e}", path.display()))?;
            surface.walk(&module_of(path), &file.items);
        }
        Ok(surface)
    }

    /// The surface of the client generated from `api`: its code and its cargo features.
    ///
    /// # Errors
    ///
    /// Emitted code that does not parse (a generator bug).
    pub fn of_api(api: &crate::ir::Api, options: &crate::emit::Options) -> Result<Surface, String> {
        let files = crate::emit::generate(api, options).map_err(|e| e.to_string())?;
        let mut surface = Surface::of_files(files.iter().map(|(p, t)| (p.as_path(), t.as_str())))?;
        surface.add_features(api);
        Ok(surface)
    }

    /// Adds the cargo features of the client generated from `api` (`feature <name>`).
    fn add_features(&mut self, api: &crate::ir::Api) {
        for s in &api.services {
            let features = s
                .groups
                .iter()
                .map(|g| g.feature.clone())
                .chain([s.module.clone()])
                .chain(s.other_models.clone());
            for feature in features {
                self.items
                    .insert(format!("feature {feature}"), "feature".into());
            }
        }
    }

    /// The changes from `self` to `later`.
    pub fn delta(&self, later: &Surface) -> Delta {
        let mut changes = Vec::new();
        for (path, before) in &self.items {
            match later.items.get(path) {
                None => changes.push(ItemChange::Removed(path.clone())),
                Some(after) if after.strip_suffix(DEPRECATED) == Some(before.as_str()) => {
                    changes.push(ItemChange::Deprecated(path.clone()));
                }
                // No longer deprecated: callers lose a warning, nothing else.
                Some(after) if before.strip_suffix(DEPRECATED) == Some(after.as_str()) => {}
                Some(after) if after != before => changes.push(ItemChange::Changed(
                    path.clone(),
                    before.clone(),
                    after.clone(),
                )),
                Some(_) => {}
            }
        }
        changes.extend(
            later
                .items
                .keys()
                .filter(|p| !self.items.contains_key(*p))
                .map(|p| ItemChange::Added(p.clone())),
        );
        changes.sort();
        Delta { changes }
    }

    fn add(&mut self, module: &str, name: impl fmt::Display, signature: String) {
        let path = if module.is_empty() {
            name.to_string()
        } else {
            format!("{module}::{name}")
        };
        self.items.insert(path, signature);
    }

    fn walk(&mut self, module: &str, items: &[Item]) {
        for item in items.iter().filter(|i| !test_support(item_attrs(i))) {
            self.item(module, item);
        }
    }

    fn item(&mut self, module: &str, item: &Item) {
        // Gaining `#[deprecated]` is a change of its own kind (see `Surface::delta`).
        let dep = if item_attrs(item)
            .iter()
            .any(|a| a.path().is_ident("deprecated"))
        {
            DEPRECATED
        } else {
            ""
        };
        match item {
            Item::Struct(s) if public(&s.vis) => self.structure(module, s, dep),
            Item::Enum(e) if public(&e.vis) => self.enumeration(module, e, dep),
            Item::Fn(f) if public(&f.vis) => {
                self.add(module, &f.sig.ident, format!("{}{dep}", signature(&f.sig)))
            }
            Item::Const(c) if public(&c.vis) => self.add(
                module,
                &c.ident,
                format!("const {}{dep}", c.ty.to_token_stream()),
            ),
            Item::Static(s) if public(&s.vis) => self.add(
                module,
                &s.ident,
                format!("static {}{dep}", s.ty.to_token_stream()),
            ),
            Item::Type(t) if public(&t.vis) => self.add(
                module,
                &t.ident,
                format!("type = {}{dep}", t.ty.to_token_stream()),
            ),
            Item::Trait(t) if public(&t.vis) => {
                let signature = format!(
                    "trait{} {}{dep}",
                    t.generics.to_token_stream(),
                    t.supertraits.to_token_stream()
                );
                self.add(module, &t.ident, signature);
            }
            Item::Mod(m) if public(&m.vis) => {
                self.add(module, &m.ident, format!("mod{dep}"));
                if let Some((_, content)) = &m.content {
                    self.walk(&join(module, &m.ident.to_string()), content);
                }
            }
            Item::Use(u) if public(&u.vis) => self.uses(module, &u.tree, String::new()),
            Item::Impl(i) => self.implementation(module, i),
            _ => {}
        }
    }

    fn structure(&mut self, module: &str, s: &ItemStruct, dep: &str) {
        let name = s.ident.to_string();
        let signature = format!(
            "struct{}{}{dep}",
            exhaustive(&s.attrs),
            s.generics.to_token_stream()
        );
        self.add(module, &name, signature);
        self.fields(&join(module, &name), &s.fields);
    }

    fn enumeration(&mut self, module: &str, e: &ItemEnum, dep: &str) {
        let name = e.ident.to_string();
        let signature = format!(
            "enum{}{}{dep}",
            exhaustive(&e.attrs),
            e.generics.to_token_stream()
        );
        self.add(module, &name, signature);
        for v in &e.variants {
            self.add(
                &join(module, &name),
                &v.ident,
                format!("variant{}", v.fields.to_token_stream()),
            );
        }
    }

    fn fields(&mut self, owner: &str, fields: &Fields) {
        for (i, f) in fields.iter().enumerate().filter(|(_, f)| public(&f.vis)) {
            let name = f
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), ToString::to_string);
            self.add(owner, name, format!("field {}", f.ty.to_token_stream()));
        }
    }

    fn uses(&mut self, module: &str, tree: &UseTree, prefix: String) {
        match tree {
            UseTree::Path(p) => self.uses(module, &p.tree, format!("{prefix}{}::", p.ident)),
            UseTree::Name(n) => self.add(module, &n.ident, format!("use {prefix}{}", n.ident)),
            UseTree::Rename(r) => self.add(module, &r.rename, format!("use {prefix}{}", r.ident)),
            UseTree::Glob(_) => self.add(module, "*", format!("use {prefix}*")),
            UseTree::Group(g) => g
                .items
                .iter()
                .for_each(|t| self.uses(module, t, prefix.clone())),
        }
    }

    /// An inherent impl's public members; a trait impl as one item (`Type: Trait`).
    fn implementation(&mut self, module: &str, i: &syn::ItemImpl) {
        let self_ty = tokens(&i.self_ty);
        if test_support(&i.attrs) {
            return;
        }
        if let Some((trait_path, _)) = &i.trait_ {
            self.add(
                module,
                format!("{self_ty}: {}", tokens(trait_path)),
                format!("impl{}", i.generics.to_token_stream()),
            );
            return;
        }
        let owner = join(module, &self_ty);
        for member in &i.items {
            match member {
                ImplItem::Fn(f) if public(&f.vis) && !test_support(&f.attrs) => {
                    let deprecated = if f.attrs.iter().any(|a| a.path().is_ident("deprecated")) {
                        DEPRECATED
                    } else {
                        ""
                    };
                    self.add(
                        &owner,
                        &f.sig.ident,
                        format!("{}{deprecated}", signature(&f.sig)),
                    );
                }
                ImplItem::Const(c) if public(&c.vis) => self.add(
                    &owner,
                    &c.ident,
                    format!("const {}", c.ty.to_token_stream()),
                ),
                ImplItem::Type(t) if public(&t.vis) => self.add(
                    &owner,
                    &t.ident,
                    format!("type = {}", t.ty.to_token_stream()),
                ),
                _ => {}
            }
        }
    }
}

impl Delta {
    /// The version bump the changes need: `major` when an item is removed or changed,
    /// `minor` when items are only added, `none` otherwise. (While the crate is 0.x, a major
    /// change is released as a minor one.)
    pub fn bump(&self) -> &'static str {
        if self
            .changes
            .iter()
            .any(|c| matches!(c, ItemChange::Removed(_) | ItemChange::Changed(..)))
        {
            "major"
        } else if self.changes.is_empty() {
            "none"
        } else {
            "minor"
        }
    }

    /// The counts of items added (or deprecated), removed and changed.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |f: fn(&ItemChange) -> bool| self.changes.iter().filter(|c| f(c)).count();
        (
            count(|c| matches!(c, ItemChange::Added(_) | ItemChange::Deprecated(_))),
            count(|c| matches!(c, ItemChange::Removed(_))),
            count(|c| matches!(c, ItemChange::Changed(..))),
        )
    }
}

/// The public items of the clients generated from two specs, compared. Only the files whose
/// text differs are parsed: an unchanged file holds unchanged items.
///
/// # Errors
///
/// A spec the IR cannot be built from, or emitted code that does not parse (generator bugs).
pub fn api_delta(base: &crate::spec::Spec, head: &crate::spec::Spec) -> Result<Delta, String> {
    let generate = |spec: &crate::spec::Spec| -> Result<(crate::ir::Api, BTreeMap<std::path::PathBuf, String>), String> {
        let api = crate::ir::build(spec).map_err(|e| e.to_string())?;
        // The crates' names show in doc examples only, not in the public items compared.
        let options = crate::emit::Options::client("client", "runtime");
        let files = crate::emit::generate(&api, &options).map_err(|e| e.to_string())?;
        Ok((api, files))
    };
    let ((base_api, base_files), (head_api, head_files)) = (generate(base)?, generate(head)?);
    let differs =
        |path: &std::path::PathBuf, text: &String, other: &BTreeMap<std::path::PathBuf, String>| {
            other.get(path) != Some(text)
        };
    let surface = |api: &crate::ir::Api,
                   files: &BTreeMap<std::path::PathBuf, String>,
                   other: &BTreeMap<std::path::PathBuf, String>| {
        let changed = files
            .iter()
            .filter(|(p, t)| differs(p, t, other))
            .map(|(p, t)| (p.as_path(), t.as_str()));
        let mut surface = Surface::of_files(changed)?;
        surface.add_features(api);
        Ok::<Surface, String>(surface)
    };
    Ok(
        surface(&base_api, &base_files, &head_files)?.delta(&surface(
            &head_api,
            &head_files,
            &base_files,
        )?),
    )
}

impl ItemChange {
    /// Whether the change breaks no code: an item added or newly deprecated.
    pub fn is_minor(&self) -> bool {
        matches!(self, ItemChange::Added(_) | ItemChange::Deprecated(_))
    }
}

impl fmt::Display for ItemChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemChange::Added(p) => write!(f, "added `{p}`"),
            ItemChange::Removed(p) => write!(f, "removed `{p}`"),
            ItemChange::Changed(p, before, after) => {
                write!(f, "changed `{p}`: `{before}` → `{after}`")
            }
            ItemChange::Deprecated(p) => write!(f, "deprecated `{p}`"),
        }
    }
}

/// Marks a signature whose item is `#[deprecated]`.
const DEPRECATED: &str = " #[deprecated]";

/// A function's signature as it binds callers: generics, receiver, argument types and return
/// type; argument names are not part of it (renaming one breaks no caller).
fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|a| match a {
            syn::FnArg::Receiver(r) => r.to_token_stream().to_string(),
            syn::FnArg::Typed(t) => t.ty.to_token_stream().to_string(),
        })
        .collect();
    let generics = &sig.generics;
    let clause = generics
        .where_clause
        .as_ref()
        .map(|w| format!(" {}", w.to_token_stream()))
        .unwrap_or_default();
    format!(
        "{}fn{} ({}) {}{clause}",
        if sig.asyncness.is_some() {
            "async "
        } else {
            ""
        },
        generics.to_token_stream(),
        inputs.join(", "),
        sig.output.to_token_stream()
    )
    .trim_end()
    .to_owned()
}

/// Whether an item is part of the test support (feature `double`): the test doubles are a
/// dev-dependency tool that follows the spec, outside the semver promise (see
/// `docs/spec-diff.md`).
fn test_support(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.to_token_stream().to_string().contains("\"double\""))
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Struct(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Const(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        _ => &[],
    }
}

/// `genesys_cloud/models/user.rs` → `genesys_cloud::models::user`; `lib.rs` → the root.
fn module_of(path: &Path) -> String {
    let mut parts: Vec<String> = path
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_owned());
        }
    }
    parts.join("::")
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// ` #[non_exhaustive]` where the item has it: adding a field or variant to such an item is
/// not breaking, removing the attribute is.
fn exhaustive(attrs: &[Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        " #[non_exhaustive]"
    } else {
        ""
    }
}

fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(text: &str) -> Surface {
        Surface::of_files([(Path::new("svc/models/user.rs"), text)]).unwrap()
    }

    #[test]
    fn every_public_item_is_listed_by_path() {
        let s = surface(
            "/// Docs.\n#[non_exhaustive] pub struct User { pub id: String, secret: u8 }\n\
             impl User { pub fn new(id: String) -> Self { todo!() } fn hidden() {} pub const MAX: u8 = 1; }\n\
             impl Clone for User { fn clone(&self) -> Self { todo!() } }\n\
             #[non_exhaustive] pub enum State { A, B(String) }\n\
             pub mod inner { pub fn f() {} fn g() {} }\n\
             pub use super::other::{Thing, Other as Renamed};\n\
             pub(crate) fn internal() {}\n\
             struct Private;\nenum Hidden { X }\nmod private_mod { pub fn p() {} }\n\
             pub const LIMIT: u8 = 1;\nconst SECRET: u8 = 2;\n\
             pub static NAME: &str = \"x\";\nstatic QUIET: u8 = 0;\n\
             pub type Alias = u8;\ntype Mine = u8;\npub trait Shape: Clone {}\ntrait Inner {}\nuse std::fmt::Write;\n",
        );
        let paths: Vec<&str> = s.items.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "svc::models::user::Alias",
                "svc::models::user::LIMIT",
                "svc::models::user::NAME",
                "svc::models::user::Renamed",
                "svc::models::user::Shape",
                "svc::models::user::State",
                "svc::models::user::State::A",
                "svc::models::user::State::B",
                "svc::models::user::Thing",
                "svc::models::user::User",
                "svc::models::user::User: Clone",
                "svc::models::user::User::MAX",
                "svc::models::user::User::id",
                "svc::models::user::User::new",
                "svc::models::user::inner",
                "svc::models::user::inner::f",
            ]
        );
        assert_eq!(
            s.items["svc::models::user::User"],
            "struct #[non_exhaustive]"
        );
        assert_eq!(
            s.items["svc::models::user::User::new"], "fn (String) -> Self",
            "argument names are not part of it"
        );
        assert_eq!(
            s.items["svc::models::user::Renamed"],
            "use super::other::Other"
        );
        assert_eq!(module_of(Path::new("lib.rs")), "");
        assert_eq!(module_of(Path::new("svc/mod.rs")), "svc");
    }

    #[test]
    fn deprecation_is_its_own_change_and_test_support_is_outside() {
        let before = surface(
            "pub fn f(a: u8) {}\npub struct S;\nimpl S { pub fn m(&self) {} }\n\
             #[cfg(feature = \"double\")] pub mod double { pub struct D; }\n\
             #[cfg(feature = \"double\")] impl Prepared for S {}\n",
        );
        assert!(
            !before
                .items
                .keys()
                .any(|p| p.contains("double") || p.contains("Prepared")),
            "{:?}",
            before.items
        );
        let after = surface(
            "#[deprecated] pub fn f(renamed: u8) {}\npub struct S;\nimpl S { #[deprecated(note = \"x\")] pub fn m(&self) {} }\n",
        );
        let delta = before.delta(&after);
        let expected = [
            ItemChange::Deprecated("svc::models::user::S::m".into()),
            ItemChange::Deprecated("svc::models::user::f".into()),
        ];
        assert_eq!(delta.changes, expected);
        assert_eq!((delta.bump(), delta.counts()), ("minor", (2, 0, 0)));
        assert_eq!(
            after.delta(&before).bump(),
            "none",
            "losing `#[deprecated]` only loses a warning"
        );
    }

    #[test]
    fn the_delta_names_each_change_and_its_bump() {
        let before = surface("pub struct A { pub x: u8 }\npub fn f(a: u8) {}\n");
        let added = surface("pub struct A { pub x: u8 }\npub fn f(a: u8) {}\npub fn g() {}\n");
        assert_eq!(before.delta(&before).bump(), "none");
        assert_eq!(
            before.delta(&added).changes,
            [ItemChange::Added("svc::models::user::g".into())]
        );
        assert_eq!(before.delta(&added).bump(), "minor");
        let changed = surface("pub struct A { pub x: u16 }\n");
        let delta = before.delta(&changed);
        assert_eq!(delta.counts(), (0, 1, 1));
        assert_eq!(delta.bump(), "major");
        assert_eq!(
            delta.changes[0].to_string(),
            "removed `svc::models::user::f`"
        );
        assert_eq!(
            delta.changes[1].to_string(),
            "changed `svc::models::user::A::x`: `field u8` → `field u16`"
        );
    }
}
