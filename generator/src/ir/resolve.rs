//! The resolver: spec text turned into the IR's typed references, once.
//!
//! Every type expression and path template is parsed up front ([`Types`]); every model gets
//! its [`ModelId`] and Rust name before anything refers to it ([`ModelTable`]). A lookup that
//! misses is an [`IrError`] naming the spec file that made it, never a default.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{EnumRef, IrError, ModelId, ModelRef, PathTemplate, RustType};
use crate::names_lock::NamesLock;
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{ServiceFiles, Spec};

/// Every type expression and path template of the spec, parsed once.
pub(super) struct Types {
    types: HashMap<String, TypeExpr>,
    paths: HashMap<String, PathTemplate>,
}

impl Types {
    /// Parses every type expression and path template of `spec`.
    pub(super) fn parse(spec: &Spec) -> Result<Types, IrError> {
        let mut types = HashMap::new();
        let mut paths = HashMap::new();
        for s in &spec.services {
            for (file, path) in path_texts(s) {
                let template = PathTemplate::parse(path).map_err(|why| IrError {
                    file: file.clone(),
                    message: format!("path `{path}` {why}"),
                })?;
                paths.insert(path.to_owned(), template);
            }
            for (file, ty) in type_texts(s) {
                if !types.contains_key(ty) {
                    let parsed = TypeExpr::parse(ty).map_err(|e| IrError {
                        file: file.clone(),
                        message: format!("type `{ty}`: {}", e.message),
                    })?;
                    types.insert(ty.to_owned(), parsed);
                }
            }
        }
        Ok(Types { types, paths })
    }

    /// The parsed form of a type expression `file` writes.
    pub(super) fn get(&self, ty: &str, file: &Path) -> Result<&TypeExpr, IrError> {
        self.types
            .get(ty)
            .ok_or_else(|| unresolved(file, format!("type `{ty}` was not parsed")))
    }

    /// The parsed form of a path template `file` writes.
    pub(super) fn path(&self, text: &str, file: &Path) -> Result<PathTemplate, IrError> {
        self.paths
            .get(text)
            .cloned()
            .ok_or_else(|| unresolved(file, format!("path `{text}` was not parsed")))
    }
}

/// Every path template of a service, with its file.
fn path_texts(s: &ServiceFiles) -> impl Iterator<Item = (&PathBuf, &str)> {
    s.groups.iter().flat_map(|g| {
        g.value
            .operations
            .iter()
            .map(move |op| (&g.path, op.path.as_str()))
    })
}

/// Every type expression of a service, with its file.
fn type_texts(s: &ServiceFiles) -> Vec<(&PathBuf, &str)> {
    let mut all: Vec<(&PathBuf, &str)> = Vec::new();
    for m in &s.models {
        all.extend(m.value.fields.values().map(|f| (&m.path, f.ty.as_str())));
    }
    for g in &s.groups {
        for op in &g.value.operations {
            all.extend(op.parameters.iter().map(|p| (&g.path, p.ty.as_str())));
            all.extend(op.body.iter().map(|b| (&g.path, b.ty.as_str())));
            all.extend(op.returns.iter().map(|r| (&g.path, r.as_str())));
        }
        all.extend(g.value.topics.iter().map(|t| (&g.path, t.payload.as_str())));
    }
    all
}

/// A reference the resolver could not follow.
pub(super) fn unresolved(file: &Path, message: String) -> IrError {
    IrError {
        file: file.to_owned(),
        message,
    }
}

/// Each model's id and Rust type name, by spec name: the one place a model's spec name is
/// turned into a reference.
pub(super) struct ModelTable(HashMap<String, (ModelId, String)>);

impl ModelTable {
    /// The table of models named `(spec name, Rust name)`: ids follow the Rust names' order,
    /// the order of [`super::Service::models`].
    pub(super) fn new(names: Vec<(String, String)>) -> ModelTable {
        let mut sorted: Vec<&(String, String)> = names.iter().collect();
        sorted.sort_by(|a, b| a.1.cmp(&b.1));
        ModelTable(
            sorted
                .into_iter()
                .enumerate()
                .map(|(i, (spec, rust))| (spec.clone(), (ModelId(i), rust.clone())))
                .collect(),
        )
    }

    /// The reference to the model `file` names `model`.
    pub(super) fn get(&self, model: &str, file: &Path) -> Result<ModelRef, IrError> {
        let (id, name) = self
            .0
            .get(model)
            .ok_or_else(|| unresolved(file, format!("model `{model}` is not defined")))?;
        Ok(ModelRef {
            id: *id,
            name: name.clone(),
            boxed: false,
        })
    }

    /// The Rust type of a spec type that `file` writes.
    pub(super) fn rust_type(&self, t: &TypeExpr, file: &Path) -> Result<RustType, IrError> {
        Ok(match t {
            TypeExpr::Scalar(s) => scalar(*s),
            TypeExpr::Object => RustType::Json,
            TypeExpr::List(t) => RustType::Vec(Box::new(self.rust_type(t, file)?)),
            TypeExpr::Map(t) => RustType::Map(Box::new(self.rust_type(t, file)?)),
            TypeExpr::Model(m) => RustType::Model(self.get(m, file)?),
        })
    }
}

fn scalar(s: Scalar) -> RustType {
    match s {
        Scalar::String => RustType::String,
        Scalar::Int32 => RustType::I32,
        Scalar::Int64 => RustType::I64,
        Scalar::Number => RustType::F64,
        Scalar::Boolean => RustType::Bool,
        Scalar::DateTime => RustType::DateTime,
        Scalar::Date => RustType::Date,
    }
}

impl RustType {
    /// Replaces the innermost string with an enum (for fields with enum values).
    pub(super) fn with_enum(self, e: &EnumRef) -> RustType {
        match self {
            RustType::String => RustType::Enum(e.clone()),
            RustType::Vec(t) => RustType::Vec(Box::new(t.with_enum(e))),
            other => other,
        }
    }
}

/// The names ledger as read ([`NamesLock`]) and as it is written back.
pub(super) struct Ledger<'a> {
    pub(super) old: Option<&'a NamesLock>,
    pub(super) new: NamesLock,
}
