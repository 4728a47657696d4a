//! The SDK's generated API code (`source/apis/*.py`): the same release as the pages, in the
//! form the SDK itself sends requests from. It says what the pages leave out: where each
//! parameter goes (path, query or header) under its exact wire name, which argument is the body,
//! how arrays are encoded, and the media types of the request and the response.
//!
//! The code is read line by line, as the generator that wrote it lays it out; nothing is run.
//! What does not read as expected is a warning with file and line, never a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::spec::format::Location;

/// Every operation the code defines, by method name.
#[derive(Debug, Clone, Default)]
pub struct SdkCode {
    /// The folder read.
    pub dir: PathBuf,
    /// The operations, by the SDK's method name.
    pub operations: BTreeMap<String, CodeOperation>,
    /// What could not be read, with file and line.
    pub warnings: Vec<String>,
}

/// One operation, as its method sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeOperation {
    /// The method's name (`patch_scim_group`).
    pub name: String,
    /// `file:line` of its `def`.
    pub source: String,
    /// HTTP method (`PATCH`).
    pub method: Option<String>,
    /// Path template.
    pub path: Option<String>,
    /// Parameters outside the body, in the order the code sets them.
    pub parameters: Vec<CodeParameter>,
    /// The argument sent as the body (`body`, `settings`).
    pub body: Option<String>,
    /// What the response may be (`select_header_accept`), preferred first.
    pub accept: Vec<String>,
    /// What the body may be sent as (`select_header_content_type`), preferred first.
    pub content_type: Vec<String>,
}

/// One parameter outside the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeParameter {
    /// The SDK's argument name (`if_match`).
    pub name: String,
    /// The name on the wire, exactly (`If-Match`, `preserveIdleTTL`).
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// The array encoding the code names (`multi`), if it names one.
    pub collection_format: Option<String>,
}

impl CodeOperation {
    /// The parameter sent for the SDK argument `name`.
    pub fn parameter(&self, name: &str) -> Option<&CodeParameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// The code folder that belongs to a documentation folder: `source/apis` beside `docs/` (the
/// reference's layout) or inside it.
pub fn find(docs: &Path) -> Option<PathBuf> {
    let beside = docs.parent().map(|p| p.join("source/apis"));
    [beside, Some(docs.join("source/apis"))]
        .into_iter()
        .flatten()
        .find(|d| d.is_dir())
}

/// Reads every `*.py` file of `dir`, in name order.
///
/// # Errors
///
/// When the folder cannot be listed or a file cannot be read.
pub fn read(dir: &Path) -> Result<SdkCode, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    let mut code = SdkCode {
        dir: dir.to_path_buf(),
        ..Default::default()
    };
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        parse(&file, &text, &mut code);
    }
    Ok(code)
}

/// The single-quoted strings of a line, in order.
fn quoted(line: &str) -> Vec<&str> {
    line.split('\'').skip(1).step_by(2).collect()
}

/// Reads one file's operations into `code`.
pub fn parse(file: &Path, text: &str, code: &mut SdkCode) {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut current: Option<CodeOperation> = None;
    let mut pending: Option<Pending> = None;
    for (i, raw) in text.lines().enumerate() {
        if let Some(rest) = raw.strip_prefix("    def ") {
            if let Some(op) = current.take() {
                keep(op, code);
            }
            let method = rest.split('(').next().unwrap_or_default();
            if !method.starts_with('_') {
                current = Some(CodeOperation {
                    name: method.to_owned(),
                    source: format!("{name}:{}", i + 1),
                    ..Default::default()
                });
            }
            continue;
        }
        let Some(op) = current.as_mut() else { continue };
        let line = raw.trim();
        if !body_line(op, line, &mut pending) {
            code.warnings.push(format!(
                "{name}:{}: `{line}` does not read as one parameter",
                i + 1
            ));
        }
    }
    if let Some(op) = current.take() {
        keep(op, code);
    }
}

/// A header whose media types the next line lists.
enum Pending {
    Accept,
    ContentType,
}

/// Reads a line of a method's body into `op`; false when it sets a parameter in a form not read.
fn body_line(op: &mut CodeOperation, line: &str, pending: &mut Option<Pending>) -> bool {
    // `select_header_…` calls continue the line before (`self.api_client.\`).
    if let Some(kind) = pending.take() {
        let list = quoted(line).into_iter().map(str::to_owned).collect();
        match kind {
            Pending::Accept => op.accept = list,
            Pending::ContentType => op.content_type = list,
        }
        return true;
    }
    let q = quoted(line);
    if line.starts_with("resource_path = ") {
        op.path = q.first().map(|p| (*p).to_owned());
    } else if line.starts_with("response = self.api_client.call_api(") {
        op.method = q.first().map(|m| m.to_ascii_uppercase());
    } else if line.starts_with("header_params['Accept'] = ") {
        *pending = Some(Pending::Accept);
    } else if line.starts_with("header_params['Content-Type'] = ") {
        *pending = Some(Pending::ContentType);
    } else if line.starts_with("body_params = params[") {
        op.body = q.first().map(|b| (*b).to_owned());
    } else if let Some(format) = line.strip_prefix("collection_formats[") {
        if let [wire, format] = quoted(format)[..] {
            for p in op.parameters.iter_mut().filter(|p| p.wire == wire) {
                p.collection_format = Some(format.to_owned());
            }
        }
    } else if let Some(location) = assignment(line) {
        // `query_params['pageSize'] = params['page_size']`, or the `append` form.
        let [wire, name] = q[..] else {
            return false;
        };
        op.parameters.push(CodeParameter {
            name: name.to_owned(),
            wire: wire.to_owned(),
            location,
            collection_format: None,
        });
    }
    true
}

/// Keeps a method read whole: one that names no method and path, or that another class defines
/// differently, is a warning instead.
fn keep(op: CodeOperation, code: &mut SdkCode) {
    if op.method.is_none() || op.path.is_none() {
        code.warnings.push(format!(
            "{}: `{}` names no method and path; not read",
            op.source, op.name
        ));
    } else if let Some(first) = code.operations.get(&op.name) {
        // Some operations are methods of two classes; the same request either way.
        if (CodeOperation {
            source: first.source.clone(),
            ..op.clone()
        }) != *first
        {
            code.warnings.push(format!(
                "{}: `{}` is defined again, differently (first at {}); not read",
                op.source, op.name, first.source
            ));
        }
    } else {
        code.operations.insert(op.name.clone(), op);
    }
}

/// Where a line that sets a parameter sends it.
fn assignment(line: &str) -> Option<Location> {
    let sets = |prefix: &str| {
        (line.starts_with(&format!("{prefix}['"))
            || line.starts_with(&format!("{prefix}.append(('")))
            && line.contains("params['")
    };
    if sets("path_params") {
        Some(Location::Path)
    } else if sets("query_params") {
        Some(Location::Query)
    } else if sets("header_params") {
        Some(Location::Header)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const METHOD: &str = r#"
class SCIMApi(object):
    def __init__(self, api_client=None):
        pass

    def patch_scim_group(self, group_id: str, body: 'ScimV2PatchRequest', **kwargs) -> 'ScimV2Group':
        resource_path = '/api/v2/scim/groups/{groupId}'.replace('{format}', 'json')
        path_params = {}
        if 'group_id' in params:
            path_params['groupId'] = params['group_id']
        query_params = {}
        if 'expand' in params:
            query_params['expand'] = params['expand']
        if 'page_size' in params:
            query_params.append(('pageSize', params['page_size']))
        collection_formats['expand'] = 'multi'
        header_params = {}
        if 'if_match' in params:
            header_params['If-Match'] = params['if_match']
        body_params = None
        if 'body' in params:
            body_params = params['body']
        header_params['Accept'] = self.api_client.\
            select_header_accept(['application/scim+json', 'application/json'])
        header_params['Content-Type'] = self.api_client.\
            select_header_content_type(['application/scim+json', 'application/json'])
        response = self.api_client.call_api(resource_path, 'PATCH',
                                            response_type='ScimV2Group',
        return response

    def broken(self):
        query_params['x'] = params['y']

    def half_routed(self):
        resource_path = '/api/v2/half'
"#;

    #[test]
    fn reads_locations_wire_names_body_and_media() {
        let mut code = SdkCode::default();
        parse(Path::new("scim_api.py"), METHOD, &mut code);
        let op = &code.operations["patch_scim_group"];
        assert_eq!(op.source, "scim_api.py:6");
        assert_eq!(
            (op.method.as_deref(), op.path.as_deref()),
            (Some("PATCH"), Some("/api/v2/scim/groups/{groupId}"))
        );
        let got: Vec<(&str, &str, Location, Option<&str>)> = op
            .parameters
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.wire.as_str(),
                    p.location,
                    p.collection_format.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("group_id", "groupId", Location::Path, None),
                ("expand", "expand", Location::Query, Some("multi")),
                ("page_size", "pageSize", Location::Query, None),
                ("if_match", "If-Match", Location::Header, None),
            ]
        );
        assert_eq!(op.body.as_deref(), Some("body"));
        assert_eq!(op.accept, ["application/scim+json", "application/json"]);
        assert_eq!(
            op.content_type,
            ["application/scim+json", "application/json"]
        );
        assert_eq!(
            op.parameter("if_match").map(|p| p.wire.as_str()),
            Some("If-Match")
        );
        // A method without a route is a warning, not an operation; `__init__` is no operation.
        assert_eq!(code.operations.len(), 1);
        assert_eq!(
            code.warnings,
            [
                "scim_api.py:31: `broken` names no method and path; not read",
                "scim_api.py:34: `half_routed` names no method and path; not read"
            ]
        );
    }

    #[test]
    fn the_folder_is_found_beside_or_inside_the_docs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        assert_eq!(find(&dir.path().join("docs")), None);
        std::fs::create_dir_all(dir.path().join("source/apis")).unwrap();
        assert_eq!(
            find(&dir.path().join("docs")),
            Some(dir.path().join("source/apis"))
        );
        let apis = dir.path().join("source/apis");
        std::fs::write(apis.join("a_api.py"), METHOD).unwrap();
        let code = read(&apis).unwrap();
        assert_eq!((code.dir, code.operations.len()), (apis, 1));
    }
}
