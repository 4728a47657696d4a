//! The model reference: `reference/models.json`, the fields of every model the
//! documented operations use, as the vendor's SDK defines them.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::doctype::DocType;
use super::sdk_types::SdkTypes;

/// The reference file, with the SDK's own types of the same release.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelReference {
    /// Every model.
    pub models: Vec<RefModel>,
    /// The SDK's own types the release documents (its `index.md`); set by
    /// [`super::read_reference`].
    #[serde(skip)]
    pub sdk_types: SdkTypes,
    /// The models' names.
    #[serde(skip)]
    names: BTreeSet<String>,
}

/// One model of the reference.
#[derive(Debug, Clone, Deserialize)]
pub struct RefModel {
    /// The model's name.
    pub name: String,
    /// Its fields, in SDK order.
    pub fields: Vec<RefField>,
}

/// One field of a reference model.
#[derive(Debug, Clone, Deserialize)]
pub struct RefField {
    /// Wire (JSON) name.
    pub name: String,
    /// Type in the SDK's notation (`list[DomainRole]`).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the field is required.
    pub required: bool,
    /// Enum values, where the API restricts the field.
    #[serde(default, rename = "enum")]
    pub values: Vec<String>,
    /// What the field holds, as the model page says it.
    #[serde(default)]
    pub description: String,
}

impl RefField {
    /// The field's type, parsed.
    pub fn doc_type(&self) -> DocType {
        DocType::parse_sdk(&self.ty)
    }
}

impl ModelReference {
    /// Reads `models.json`.
    pub fn read(path: &Path) -> Result<ModelReference, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut reference: ModelReference = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a model reference: {e}", path.display()))?;
        reference.names = reference.models.iter().map(|m| m.name.clone()).collect();
        // The descriptions are the model pages' Markdown source (`the \"Home\" division`).
        for field in reference
            .models
            .iter_mut()
            .flat_map(|m| m.fields.iter_mut())
        {
            field.description = super::unescape_markdown(&field.description);
        }
        Ok(reference)
    }

    /// Whether the reference documents a model of that name.
    pub fn has_model(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// A documented type with its names resolved: a model of the reference or of `held` (the
    /// spec's models), else one of the release's SDK types, else unknown.
    pub fn resolve(&self, t: DocType, held: &dyn Fn(&str) -> bool) -> DocType {
        t.resolve(&|name| self.has_model(name) || held(name), &self.sdk_types)
    }
}
