//! `cargo xtask import`: writes the spec from the vendor's documentation.
//!
//! [`plan`] reads the pages of a docs folder (either published form, see [`crate::docs`]) and
//! its model reference, merges them into the spec's group and model files, and returns the
//! files that change with a summary of what changed. It writes nothing: the caller validates
//! the result, then writes it. The merge follows the documentation for what the documentation
//! states and keeps what only maintainers know (legacy names, array encodings, errors, media
//! types, extensions, notes). What the documentation stopped listing stays, marked with the
//! release that dropped it, so code written against it keeps compiling.
//!
//! Output is deterministic: operations in page order, fields in reference order, files
//! rendered by one serializer. A file whose merged content equals what the spec holds is not
//! rewritten, so a second run changes nothing.

mod models;
mod operations;
mod paging;
mod parameters;
mod settle;
mod topics;

pub use settle::{Settled, settle};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::ToSnakeCase;
use serde::Serialize;

use crate::docs::doctype::DocType;
use crate::docs::page::{DocOperation, DocPage};
use crate::docs::reference::ModelReference;
use crate::docs::sdk_code::SdkCode;
use crate::docs::topics::Mapping;
use crate::spec::format::{GroupFile, ModelFile};
use crate::spec::{ServiceFiles, Spec};

/// The outcome of an import: the files to write and what they change.
#[derive(Debug, Default)]
pub struct Import {
    /// Files to write, relative to the spec root (`genesys-cloud/groups/authorization.yaml`),
    /// with their new contents. Files that would not change are left out.
    pub files: BTreeMap<PathBuf, String>,
    /// What changed, one line each, grouped by subject.
    pub changes: Vec<Change>,
    /// What could not be imported, with where the documentation says it.
    pub warnings: Vec<String>,
    /// The documentation release the pages name, if they name one.
    pub release: Option<String>,
}

/// One change of an import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// `AuthorizationApi.get_authorization_roles`, `model User`.
    pub subject: String,
    /// What happened to it.
    pub what: String,
}

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The SDK classes to import (`AuthorizationApi`); empty: every group page of the folder.
    pub classes: Vec<String>,
    /// The service new groups go into; default: the one service whose groups name SDK classes.
    pub service: Option<String>,
}

/// Plans the import of the documentation in `docs` into `spec`.
///
/// # Errors
///
/// When the folder has no pages or no model reference, a requested class has no page, or the
/// service to import into cannot be told.
pub fn plan(spec: &Spec, docs: &Path, request: &Request) -> Result<Import, String> {
    let (mut pages, warnings) = read_pages(docs, request)?;
    let reference = crate::docs::read_reference(docs)?.ok_or_else(|| {
        format!(
            "{}: no model reference (`models.json` or `reference/models.json`)",
            docs.display()
        )
    })?;
    let service = target_service(spec, request, &pages)?;
    let held: BTreeSet<&str> = service
        .models
        .iter()
        .map(|m| m.value.name.as_str())
        .collect();
    for page in &mut pages {
        crate::docs::resolve_types(page, &reference, &|name| held.contains(name));
    }
    let release = pages.iter().find_map(|p| p.release.clone());
    let mut import = Import {
        release: release.clone(),
        warnings,
        ..Default::default()
    };
    let code = read_code(docs, &mut import)?;
    let dropped_in = release
        .clone()
        .unwrap_or_else(|| "an unnamed release".to_owned());
    let mut roots = BTreeSet::new();
    let mut groups = Vec::new();
    for page in &pages {
        let mut ctx = operations::Context {
            class: &page.class,
            file: &page.path,
            dropped_in: &dropped_in,
            code: code.as_ref(),
            import: &mut import,
        };
        groups.push(merge_group(service, page, release.as_deref(), &mut ctx));
        roots.extend(page.operations.iter().flat_map(DocOperation::models));
    }
    if let Some(mappings) = crate::docs::topics::read(docs)? {
        let mut merge = TopicMerge {
            service,
            reference: &reference,
            dropped_in: &dropped_in,
            import: &mut import,
        };
        roots.extend(merge.run(mappings, &mut groups));
    }
    // A whole folder brings its whole model reference: the models no operation reaches too
    // (notification payloads, mostly), which the client compiles behind a feature of their own.
    if request.classes.is_empty() {
        roots.extend(reference.models.iter().map(|m| m.name.clone()));
    }
    let models = models::merge(service, &reference, &roots, &dropped_in, &mut import);
    files(spec, service, groups, &models, &mut import)?;
    import.changes.sort();
    Ok(import)
}

/// The SDK's code of the same release, which says what the pages leave out (locations, wire
/// names, media types); without it, only what the spec already holds is known.
fn read_code(docs: &Path, import: &mut Import) -> Result<Option<SdkCode>, String> {
    let Some(dir) = crate::docs::sdk_code::find(docs) else {
        return Ok(None);
    };
    let code = crate::docs::sdk_code::read(&dir)?;
    import.warnings.extend(
        code.warnings
            .iter()
            .map(|w| format!("{}/{w}", code.dir.display())),
    );
    Ok(Some(code))
}

/// A page's group after the merge, beside the spec's group of its class (if it has one).
fn merge_group<'s>(
    service: &'s ServiceFiles,
    page: &DocPage,
    release: Option<&str>,
    ctx: &mut operations::Context<'_>,
) -> (Option<&'s GroupFile>, GroupFile) {
    let existing = service
        .groups
        .iter()
        .map(|g| &g.value)
        .find(|g| g.sdk_class.as_deref() == Some(page.class.as_str()));
    let group_id = existing.map_or_else(|| group_id(&page.class), |g| g.group.clone());
    let mut group = existing.cloned().unwrap_or_else(|| GroupFile {
        group: group_id.clone(),
        sdk_class: Some(page.class.clone()),
        description: format!("The operations of the vendor's `{}`.", page.class),
        default_feature: false,
        docs_release: None,
        operations: Vec::new(),
        topics: Vec::new(),
    });
    if existing.is_none() {
        ctx.import.changes.push(Change {
            subject: page.class.clone(),
            what: format!(
                "new group `{group_id}` ({} operations)",
                page.operations.len()
            ),
        });
    }
    if let Some(release) = release {
        group.docs_release = Some(release.to_owned());
    }
    group.operations = operations::merge(ctx, &group.operations, &page.operations);
    (existing, group)
}

/// The release's topics merged into the groups being imported that own them.
struct TopicMerge<'a> {
    service: &'a ServiceFiles,
    reference: &'a ModelReference,
    dropped_in: &'a str,
    import: &'a mut Import,
}

impl TopicMerge<'_> {
    /// Merges `mappings` into `groups`; returns the payloads, models to hold. A topic whose
    /// payload is no model is left out with a warning.
    fn run(
        &mut self,
        mappings: Vec<Mapping>,
        groups: &mut [(Option<&GroupFile>, GroupFile)],
    ) -> Vec<String> {
        let imported: BTreeSet<&str> = groups.iter().map(|(_, g)| g.group.as_str()).collect();
        let all_groups: Vec<GroupFile> = groups
            .iter()
            .map(|(_, g)| g.clone())
            .chain(
                self.service
                    .groups
                    .iter()
                    .map(|g| g.value.clone())
                    .filter(|g| !imported.contains(g.group.as_str())),
            )
            .collect();
        let all: Vec<&GroupFile> = all_groups.iter().collect();
        let known = |name: &str| {
            self.reference.models.iter().any(|m| m.name == name)
                || self.service.models.iter().any(|m| m.value.name == name)
        };
        let (mappings, unknown): (Vec<_>, Vec<_>) =
            mappings.into_iter().partition(|m| known(&m.payload));
        for m in unknown {
            self.import.warnings.push(format!(
                "{}: topic `{}` carries `{}`, which is no model; not imported",
                crate::docs::topics::FILE,
                m.topic,
                m.payload
            ));
        }
        let owners = topics::owners(&all, &mappings);
        let mut payloads = Vec::new();
        for (_, group) in groups.iter_mut() {
            topics::merge(group, &mappings, &owners, self.dropped_in, self.import);
            payloads.extend(group.topics.iter().map(|t| t.payload.clone()));
        }
        payloads
    }
}

/// The files that change: each group whose merge (paging declared over the merged models)
/// differs from the spec's, and each merged model.
fn files(
    spec: &Spec,
    service: &ServiceFiles,
    groups: Vec<(Option<&GroupFile>, GroupFile)>,
    models: &[ModelFile],
    import: &mut Import,
) -> Result<(), String> {
    // Paging reads the returned listings as they are after the merge.
    let mut listings: BTreeMap<&str, &ModelFile> = service
        .models
        .iter()
        .map(|m| (m.value.name.as_str(), &m.value))
        .collect();
    listings.extend(models.iter().map(|m| (m.name.as_str(), m)));
    let dir = service_dir(spec, service);
    for (existing, mut group) in groups {
        let class = group
            .sdk_class
            .clone()
            .unwrap_or_else(|| group.group.clone());
        for (op, what) in paging::declare(&mut group.operations, &listings) {
            import.changes.push(Change {
                subject: format!("{class}.{op}"),
                what,
            });
        }
        if existing != Some(&group) {
            let path = dir.join("groups").join(format!("{}.yaml", group.group));
            import.files.insert(path, render("group", &group)?);
        }
    }
    for model in models {
        let path = dir.join("models").join(format!("{}.yaml", model.name));
        import.files.insert(path, render("model", model)?);
    }
    Ok(())
}

/// The pages to import: every group page of the folder, or those of the requested classes;
/// what the reader could not read of them (whole files, lines), as located warnings.
fn read_pages(docs: &Path, request: &Request) -> Result<(Vec<DocPage>, Vec<String>), String> {
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    for file in crate::docs::page_files(docs)? {
        let page = match std::fs::read_to_string(&file) {
            Ok(text) => DocPage::parse(&file, &text).map_err(|why| why.0),
            Err(e) => Err(format!("unreadable: {e}")),
        };
        let page = match page {
            Ok(page) => page,
            Err(why) => {
                warnings.push(format!(
                    "{}: not read as a group page ({why}); skipped",
                    file.display()
                ));
                continue;
            }
        };
        if request.classes.is_empty() || request.classes.contains(&page.class) {
            warnings.extend(
                page.warnings
                    .iter()
                    .map(|(line, w)| format!("{}:{line}: {w}", file.display())),
            );
            pages.push(page);
        }
    }
    // Several pages of one class (older generations): the one documenting the most wins.
    pages.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(b.operations.len().cmp(&a.operations.len()))
    });
    pages.dedup_by(|later, first| later.class == first.class);
    for class in &request.classes {
        if !pages.iter().any(|p| &p.class == class) {
            return Err(format!(
                "{}: no documentation page of `{class}`",
                docs.display()
            ));
        }
    }
    if pages.is_empty() {
        return Err(format!(
            "{}: no documentation page to import",
            docs.display()
        ));
    }
    Ok((pages, warnings))
}

/// The service the groups go into.
fn target_service<'a>(
    spec: &'a Spec,
    request: &Request,
    pages: &[DocPage],
) -> Result<&'a ServiceFiles, String> {
    if let Some(name) = &request.service {
        return spec
            .service(name)
            .ok_or_else(|| format!("the spec has no service `{name}`"));
    }
    let holding: Vec<&ServiceFiles> = spec
        .services
        .iter()
        .filter(|s| {
            s.groups.iter().any(|g| {
                g.value
                    .sdk_class
                    .as_ref()
                    .is_some_and(|c| pages.iter().any(|p| &p.class == c))
            })
        })
        .collect();
    let with_classes: Vec<&ServiceFiles> = spec
        .services
        .iter()
        .filter(|s| s.groups.iter().any(|g| g.value.sdk_class.is_some()))
        .collect();
    match (holding.as_slice(), with_classes.as_slice()) {
        ([one], _) | ([], [one]) => Ok(one),
        _ => Err("cannot tell which service the pages belong to: name it with `--service`".into()),
    }
}

/// The service's folder, relative to the spec root.
fn service_dir(spec: &Spec, service: &ServiceFiles) -> PathBuf {
    service
        .dir
        .strip_prefix(&spec.root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| PathBuf::from(&service.service.value.service))
}

/// `OrganizationAuthorizationApi` → `organization_authorization`.
fn group_id(class: &str) -> String {
    class
        .strip_suffix("Api")
        .filter(|c| !c.is_empty())
        .unwrap_or(class)
        .to_snake_case()
}

/// A spec file: the schema line editors use, then the YAML.
fn render<T: Serialize>(kind: &str, value: &T) -> Result<String, String> {
    let yaml =
        serde_yaml::to_string(value).map_err(|e| format!("cannot render a {kind} file: {e}"))?;
    Ok(format!(
        "# yaml-language-server: $schema=../../schema/{kind}.schema.json\n{yaml}"
    ))
}

/// Why a documented name cannot join the names already taken in its scope (`taken`, by Rust
/// name): it has no Rust form, or another becomes the same. The validator refuses both; the
/// merge leaves the one name out with a warning instead of losing its whole file.
fn refuse_name(name: &str, taken: &mut BTreeMap<String, String>) -> Option<String> {
    let rust = crate::naming::snake_ident(name);
    if !rust.is_valid() {
        return Some(format!("`{name}` cannot be turned into a Rust name"));
    }
    let rust = rust.to_string();
    match taken.get(&rust) {
        Some(first) => Some(format!(
            "`{name}` and `{first}` would both be `{rust}` in Rust"
        )),
        None => {
            taken.insert(rust, name.to_owned());
            None
        }
    }
}

/// A documented type as a spec type expression; `None` for no type at all.
/// `integer` is the width the documentation leaves out.
fn spec_type(t: &DocType, integer: &str) -> Option<String> {
    Some(match t {
        DocType::String => "string".into(),
        DocType::Integer => integer.into(),
        DocType::Number => "number".into(),
        DocType::Boolean => "boolean".into(),
        DocType::DateTime => "date-time".into(),
        DocType::Date => "date".into(),
        DocType::Object => "object".into(),
        DocType::List(inner) => format!("list<{}>", spec_type(inner, integer)?),
        DocType::Map(inner) => format!("map<{}>", spec_type(inner, integer)?),
        DocType::Model(m) => m.clone(),
        // A text format stays text (the field says which); what nothing documents stays JSON.
        DocType::Formatted { .. } => "string".into(),
        DocType::Unknown(_) => "object".into(),
        DocType::Nothing => return None,
    })
}

/// The spec's type when it says what the documentation says (it may know the width), else
/// the documented type.
fn keep_or_convert(doc: &DocType, existing: Option<&str>, integer: &str) -> Option<String> {
    match existing {
        Some(e) if doc.matches(crate::spec::types::TypeExpr::parse(e).ok().as_ref()) => {
            Some(e.to_owned())
        }
        _ => spec_type(doc, integer),
    }
}

impl std::fmt::Display for Import {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut subject = "";
        for c in &self.changes {
            if c.subject != subject {
                writeln!(f, "{}", c.subject)?;
                subject = &c.subject;
            }
            writeln!(f, "  {}", c.what)?;
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}
