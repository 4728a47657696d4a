//! The model reference: `reference/models.json`, the fields of every model the
//! documented operations use, as the vendor's SDK defines them.

use std::path::Path;

use serde::Deserialize;

use super::doctype::DocType;

/// The reference file.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelReference {
    /// Every model.
    pub models: Vec<RefModel>,
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
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: not a model reference: {e}", path.display()))
    }
}
