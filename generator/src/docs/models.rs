//! The model reference against the spec's models: every model a held group reaches, field by
//! field (type, format, required, enum values).

use std::collections::{BTreeMap, BTreeSet};

use super::reference::{ModelReference, RefField, RefModel};
use super::report::{DocsReport, Finding};
use super::verdict::{Kind, Role, set_diff};
use super::{parse, takes_values};
use crate::spec::ServiceFiles;
use crate::spec::format::{Field, ModelFile};

/// Every model reachable from `roots` through the reference's field types (names the reference
/// does not hold are in the result, unfollowed).
pub(crate) fn reachable_models(
    reference: &ModelReference,
    roots: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &RefModel> = reference
        .models
        .iter()
        .map(|m| (m.name.as_str(), m))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(m) = by_name.get(name.as_str()) {
            stack.extend(
                m.fields
                    .iter()
                    .filter_map(|f| f.doc_type().model_name().map(str::to_owned))
                    .filter(|n| !seen.contains(n)),
            );
        }
    }
    seen
}

/// Findings about models, judged by one role; all from `models.json`.
struct Findings<'r> {
    role: &'r Role,
    report: &'r mut DocsReport,
}

impl Findings<'_> {
    fn push(&mut self, subject: &str, kind: Kind, message: String) {
        let (severity, message) = self.role.classify(kind, message);
        self.report.findings.push(Finding {
            severity,
            source: "models.json".to_owned(),
            subject: subject.to_owned(),
            message,
        })
    }
}

/// Compares the reference's models that the spec holds or `reachable` names with the spec's
/// models of `services`; counts the models and fields compared into the report.
pub(super) fn compare(
    reference: &ModelReference,
    services: &[&ServiceFiles],
    reachable: &BTreeSet<String>,
    role: &Role,
    report: &mut DocsReport,
) {
    let spec_models: BTreeMap<&str, &ModelFile> = services
        .iter()
        .flat_map(|s| s.models.iter().map(|m| (m.value.name.as_str(), &m.value)))
        .collect();
    let held = |name: &str| spec_models.contains_key(name);
    let mut findings = Findings { role, report };
    let mut counts = (0, 0);
    for m in reference
        .models
        .iter()
        .filter(|m| spec_models.contains_key(m.name.as_str()) || reachable.contains(&m.name))
    {
        let subject = format!("model {}", m.name);
        let Some(sm) = spec_models.get(m.name.as_str()) else {
            let message = format!(
                "model `{}` ({} fields) is reached by a documented operation of a held group but not in the spec",
                m.name,
                m.fields.len()
            );
            findings.push(&subject, Kind::Omission, message);
            continue;
        };
        counts.0 += 1;
        counts.1 += compare_model(reference, &held, m, sm, &subject, &mut findings);
    }
    (findings.report.models, findings.report.fields) = counts;
    let ref_names: BTreeSet<&str> = reference.models.iter().map(|m| m.name.as_str()).collect();
    for name in spec_models.keys() {
        if !ref_names.contains(name) && !services.is_empty() {
            findings.push(
                &format!("model {name}"),
                Kind::Beyond,
                format!("model `{name}` is in the spec but not in the reference"),
            );
        }
    }
}

/// One model's fields both ways; returns how many fields both hold.
fn compare_model(
    reference: &ModelReference,
    held: &dyn Fn(&str) -> bool,
    m: &RefModel,
    sm: &ModelFile,
    subject: &str,
    findings: &mut Findings<'_>,
) -> usize {
    let mut compared = 0;
    for f in &m.fields {
        let Some(sf) = sm.fields.get(&f.name) else {
            findings.push(
                subject,
                Kind::Omission,
                format!(
                    "field `{}` ({}) is in the reference but not in the spec",
                    f.name, f.ty
                ),
            );
            continue;
        };
        compared += 1;
        compare_field(reference, held, f, sf, subject, findings);
    }
    for (wire, field) in &sm.fields {
        if m.fields.iter().any(|f| &f.name == wire) {
            continue;
        }
        match &field.undocumented_since {
            Some(since) => findings.push(
                subject,
                Kind::Kept,
                format!("field `{wire}` is no longer in the reference since release {since}; kept"),
            ),
            None => findings.push(
                subject,
                Kind::Beyond,
                format!("field `{wire}` is in the spec but not in the reference"),
            ),
        }
    }
    compared
}

/// One field the reference and the spec both hold.
fn compare_field(
    reference: &ModelReference,
    held: &dyn Fn(&str) -> bool,
    f: &RefField,
    sf: &Field,
    subject: &str,
    findings: &mut Findings<'_>,
) {
    let doc_type = reference.resolve(f.doc_type(), held);
    if !doc_type.matches(parse(&sf.ty).as_ref()) {
        let message = format!(
            "field `{}`: reference type `{}`, the spec has `{}`",
            f.name, f.ty, sf.ty
        );
        findings.push(subject, Kind::Changed, message);
    } else if doc_type.format() != sf.format.as_deref() {
        let said =
            |f: Option<&str>| f.map_or("no format".to_owned(), |f| format!("the `{f}` format"));
        let message = format!(
            "field `{}`: text in {} in the reference, {} in the spec",
            f.name,
            said(doc_type.format()),
            said(sf.format.as_deref())
        );
        findings.push(subject, Kind::Changed, message);
    } else if let Some(unknown) = doc_type.unknown() {
        let message = format!(
            "field `{}`: type `{unknown}` is documented nowhere; held as JSON",
            f.name
        );
        findings.push(subject, Kind::Kept, message);
    }
    if f.required != sf.required {
        let word = |r: bool| if r { "required" } else { "optional" };
        let message = format!(
            "field `{}` is {} in the reference, {} in the spec",
            f.name,
            word(f.required),
            word(sf.required)
        );
        findings.push(subject, Kind::Changed, message);
    }
    let mut out = Vec::new();
    if takes_values(&sf.ty) {
        let what = format!("field `{}`: enum value", f.name);
        set_diff(&f.values, &sf.values, &what, &mut out);
    }
    for (kind, message) in out {
        findings.push(
            subject,
            kind,
            message.replace("documented", "in the reference"),
        );
    }
}
