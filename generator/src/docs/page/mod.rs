//! Parser of the vendor's SDK documentation pages (the Markdown of the Ruby and
//! Python SDKs' `*Api.md` pages, every generation seen so far), in both published forms:
//! the website form (YAML front matter names the class) and the repository form (`# Class`
//! first, `## package.Class`, Python examples, values inline in parameter rows).
//!
//! A page names the API class, has a method table, and one
//! section per operation: a `## ` heading with the method's name, `Wraps METHOD
//! /path`, an optional `Requires ANY|ALL|NO permissions:` list, a parameter table
//! and a return type. Older pages leave out `Wraps` and give method and path in
//! the method table instead. The parser records only what a page states; what
//! it is silent on stays `None`.

use std::path::{Path, PathBuf};

mod cells;

use self::cells::{is_table_row, parameter_row, strip_markup};
use super::doctype::DocType;

/// One documentation page.
#[derive(Debug, Clone)]
pub struct DocPage {
    /// The file.
    pub path: PathBuf,
    /// The API class the page documents (`AuthorizationApi`).
    pub class: String,
    /// Which published form the page is in.
    pub form: DocForm,
    /// The operations, in page order.
    pub operations: Vec<DocOperation>,
    /// What the parser could not read, with its line: nothing is dropped silently.
    pub warnings: Vec<(usize, String)>,
    /// The SDK release the page belongs to, from its footer (`_PureCloudPlatformClientV2 249.0.0_`);
    /// the website form names none.
    pub release: Option<String>,
}

/// The published forms of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocForm {
    /// The developer site: YAML front matter with `title:`.
    Website,
    /// The SDK repository: `# Class` first, then `## package.Class`.
    Repository,
}

/// A permission statement of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocRequirement {
    /// "Requires ANY permissions".
    Any(Vec<String>),
    /// "Requires ALL permissions".
    All(Vec<String>),
    /// "Requires NO permissions".
    None,
}

/// One documented operation.
#[derive(Debug, Clone)]
pub struct DocOperation {
    /// SDK method name.
    pub name: String,
    /// 1-based line of the operation's heading.
    pub line: usize,
    /// HTTP method, where the page gives it.
    pub method: Option<String>,
    /// Path template, where the page gives it.
    pub path: Option<String>,
    /// The permission statement, where the page has one.
    pub requires: Option<DocRequirement>,
    /// Parameters (the body is the parameter named `body`); `None` if the page has no table.
    pub parameters: Option<Vec<DocParameter>>,
    /// Return type, where the page states one (`Some(DocType::Nothing)` for an empty body).
    pub returns: Option<DocType>,
    /// `Content-Type` of the request, where the page states it.
    pub content_type: Option<String>,
    /// `Accept` of the request, where the page states it.
    pub accept: Option<String>,
    /// The first paragraph after the heading.
    pub summary: Option<String>,
    /// The paragraphs after the summary, before `Wraps`.
    pub description: Option<String>,
    /// Whether the page marks it deprecated (the `Deprecated` alert block).
    pub deprecated: bool,
    /// Whether the page calls it a preview method.
    pub preview: bool,
}

/// One row of a parameter table.
#[derive(Debug, Clone)]
pub struct DocParameter {
    /// SDK parameter name.
    pub name: String,
    /// 1-based line of the row.
    pub line: usize,
    /// Declared type.
    pub ty: DocType,
    /// The type as written, for messages.
    pub ty_text: String,
    /// `[optional]` in the notes.
    pub optional: bool,
    /// `[default to X]` in the notes.
    pub default: Option<String>,
    /// `**Values**: A, B` after the row.
    pub values: Vec<String>,
    /// The description cell, markup-free.
    pub description: String,
}

impl DocOperation {
    /// The models it returns or takes, by name.
    pub fn models(&self) -> impl Iterator<Item = String> + '_ {
        self.returns
            .iter()
            .chain(self.parameters.iter().flatten().map(|p| &p.ty))
            .filter_map(|t| t.model_name().map(str::to_owned))
    }
}

impl DocParameter {
    /// Whether the row is the request body: the SDKs name it `body`, or (Python, for some
    /// operations) after its model (`flow_launch_request`); only a body has a model, an object
    /// or a map as its type.
    pub fn is_body(&self) -> bool {
        let structured =
            |t: &DocType| matches!(t, DocType::Model(_) | DocType::Object | DocType::Map(_));
        self.name == "body"
            || structured(&self.ty)
            || matches!(&self.ty, DocType::List(t) if matches!(**t, DocType::Model(_)))
    }

    /// Whether the row is the body of an operation on `path`: a row named like one of the
    /// path's placeholders is that path parameter, whatever type the page gives it.
    pub fn is_body_on(&self, path: &str) -> bool {
        self.is_body()
            && !crate::spec::types::placeholders(path)
                .iter()
                .any(|h| crate::text::squash(h) == crate::text::squash(&self.name))
    }
}

/// Why a file is not a documentation page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAPage(pub String);

impl DocPage {
    /// Parses a page. Files of another format are refused with the reason.
    pub fn parse(path: &Path, text: &str) -> Result<DocPage, NotAPage> {
        let (class, form) = match front_matter_title(text) {
            Some(class) => (class, DocForm::Website),
            None => (
                repository_title(text)
                    .ok_or_else(|| NotAPage("no `title:` front matter and no `# Class` heading with its `## package.Class`".into()))?,
                DocForm::Repository,
            ),
        };
        let lines: Vec<&str> = text.lines().collect();
        let mut reader = Reader {
            class: &class,
            table: method_table(&lines),
            operations: Vec::new(),
            warnings: Vec::new(),
            section: Section::Intro,
            in_alert: false,
        };
        for (i, raw) in lines.iter().enumerate() {
            reader.line(i + 1, raw.trim());
        }
        let Reader {
            mut operations,
            mut warnings,
            ..
        } = reader;
        if operations.is_empty() {
            return Err(NotAPage(format!(
                "the page names `{class}` but no operation section was found"
            )));
        }
        settle(form, &mut operations, &mut warnings);
        let release = lines.iter().rev().find_map(|l| footer_release(l));
        Ok(DocPage {
            path: path.to_path_buf(),
            class,
            form,
            operations,
            warnings,
            release,
        })
    }
}

/// A page read line by line: each operation heading starts an operation, and the lines after it
/// fill it in by the section they are in.
struct Reader<'c> {
    class: &'c str,
    /// The method table's rows: name, method, path.
    table: Vec<(String, Option<String>, Option<String>)>,
    operations: Vec<DocOperation>,
    warnings: Vec<(usize, String)>,
    section: Section,
    /// Inside an alert block (`:::{…}` to `:::`), whose text is not the operation's.
    in_alert: bool,
}

impl Reader<'_> {
    /// Reads line `n`, trimmed.
    fn line(&mut self, n: usize, line: &str) {
        if let Some(name) = operation_heading(line, self.class) {
            let (method, path) = self
                .table
                .iter()
                .find(|r| r.0 == name)
                .map(|r| (r.1.clone(), r.2.clone()))
                .unwrap_or_default();
            self.operations.push(DocOperation {
                name,
                line: n,
                method,
                path,
                requires: None,
                parameters: None,
                returns: None,
                content_type: None,
                accept: None,
                summary: None,
                description: None,
                deprecated: false,
                preview: false,
            });
            self.section = Section::Description;
            return;
        }
        if self.operations.is_empty() {
            return;
        }
        if self.in_alert {
            self.in_alert = line != ":::";
            return;
        }
        if !self.marker(n, line) {
            self.content(n, line);
        }
    }

    /// A line that decides what follows (an alert, `Wraps`, a permission statement, a heading);
    /// false for a line of content.
    fn marker(&mut self, n: usize, line: &str) -> bool {
        let Some(op) = self.operations.last_mut() else {
            return true;
        };
        if line.starts_with(":::{") {
            op.deprecated |= line.contains("\"Deprecated\"");
            self.in_alert = true;
        } else if let Some(rest) = line.strip_prefix("Wraps ") {
            let mut parts = rest.split_whitespace();
            op.method = parts.next().map(str::to_owned);
            op.path = parts.next().map(str::to_owned);
            self.section = Section::Other;
        } else if let Some(req) = requires_line(line) {
            op.requires = Some(req);
            self.section = Section::Permissions;
        } else if let Some(heading) = line.strip_prefix("### ") {
            self.section = match heading.trim() {
                "Parameters" => {
                    op.parameters.get_or_insert_with(Vec::new);
                    Section::Parameters
                }
                "Return type" => Section::Return,
                h if h.starts_with("HTTP request headers") => Section::Headers,
                _ => Section::Other,
            };
        } else if line.starts_with("## ") && !line.contains(self.class) {
            self.warnings.push((
                n,
                format!("section `{line}` is not an operation heading; skipped"),
            ));
            self.section = Section::Other;
        } else {
            return false;
        }
        true
    }

    /// A line of the current section's content.
    fn content(&mut self, n: usize, line: &str) {
        let Some(op) = self.operations.last_mut() else {
            return;
        };
        let warning = match self.section {
            Section::Description => {
                description_line(line, op);
                None
            }
            Section::Permissions => permission_bullet(line, op),
            Section::Parameters if !parameter_row(line, n, op) && is_table_row(line) => {
                Some(format!("parameter row of `{}` not read: {line}", op.name))
            }
            Section::Return if op.returns.is_none() && !line.is_empty() => {
                let ty = DocType::parse_sdk(&strip_markup(line));
                let warning = match &ty {
                    DocType::Unknown(t) => {
                        Some(format!("return type `{t}` of `{}` not read", op.name))
                    }
                    _ => None,
                };
                op.returns = Some(ty);
                warning
            }
            Section::Headers => {
                let header = line.trim_start_matches(['-', ' ']);
                if let Some(v) = header.strip_prefix("**Content-Type**:") {
                    op.content_type = Some(v.trim().to_owned());
                } else if let Some(v) = header.strip_prefix("**Accept**:") {
                    op.accept = Some(v.trim().to_owned());
                }
                None
            }
            _ => None,
        };
        if let Some(warning) = warning {
            self.warnings.push((n, warning));
        }
    }
}

/// A bullet of a permission list; a warning when it is prose, not a permission.
fn permission_bullet(line: &str, op: &mut DocOperation) -> Option<String> {
    let bullet = line.strip_prefix("* ").map(str::trim);
    if let (Some(p), Some(DocRequirement::Any(v) | DocRequirement::All(v))) =
        (bullet, &mut op.requires)
    {
        // Pages sometimes put prose in the list (`They are enforced by the backend`).
        if p.is_empty() || p.contains(char::is_whitespace) {
            return Some(format!(
                "permission bullet of `{}` is not a permission: {p}",
                op.name
            ));
        } else if !v.iter().any(|q| q == p) {
            v.push(p.to_owned());
        }
    }
    None
}

/// What is settled once a page is read: descriptions trimmed, a repository page's operation
/// without route or permission statement warned about, a permission list whose bullets were all
/// prose dropped (it says nothing; its bullets were warned about).
fn settle(form: DocForm, operations: &mut [DocOperation], warnings: &mut Vec<(usize, String)>) {
    for op in operations {
        if let Some(d) = &mut op.description {
            *d = d.trim_end().to_owned();
        }
        if form == DocForm::Repository && (op.method.is_none() || op.requires.is_none()) {
            warnings.push((
                op.line,
                format!(
                    "operation `{}` states no `Wraps METHOD path` or no permission statement",
                    op.name
                ),
            ));
        }
        if matches!(&op.requires, Some(DocRequirement::Any(l) | DocRequirement::All(l)) if l.is_empty())
        {
            op.requires = None;
        }
    }
}

/// The release of a footer line `_PureCloudPlatformClientV2 249.0.0_`.
fn footer_release(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix('_')?.strip_suffix('_')?;
    let (package, release) = inner.rsplit_once(' ')?;
    let numeric = release
        .split('.')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    (!package.trim().is_empty() && numeric && release.contains('.')).then(|| release.to_owned())
}

/// A line of the text between an operation's heading and `Wraps`: the signature (`> …`) is
/// skipped, the preview sentence noted, the first paragraph is the summary and the others the
/// description.
fn description_line(line: &str, op: &mut DocOperation) {
    if line.starts_with('>') {
        return;
    }
    if line.contains("is a preview method") {
        op.preview = true;
        return;
    }
    // Markdown renders `\"` as `"` and runs of spaces as one; so does the spec.
    let line = &super::unescape_markdown(line)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if line.is_empty() {
        if let Some(d) = op.description.as_mut().filter(|d| !d.ends_with("\n\n")) {
            d.push_str("\n\n");
        }
        return;
    }
    match (&mut op.summary, &mut op.description) {
        (None, _) => op.summary = Some(line.to_owned()),
        (Some(_), None) => op.description = Some(line.to_owned()),
        (Some(_), Some(d)) => {
            if !d.ends_with("\n\n") {
                d.push(' ');
            }
            d.push_str(line);
        }
    }
}

/// The class of a repository-form page: `# AuthorizationApi` on the first line, confirmed by a
/// `## package.AuthorizationApi` heading (model pages have the first but not the second).
fn repository_title(text: &str) -> Option<String> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let class = first.strip_prefix("# ")?.trim();
    let valid = !class.is_empty() && class.chars().all(|c| c.is_ascii_alphanumeric());
    let confirmed = text.lines().any(|l| {
        l.trim()
            .strip_prefix("## ")
            .is_some_and(|h| h.trim().ends_with(&format!(".{class}")))
    });
    (valid && confirmed).then(|| class.to_owned())
}

#[derive(Clone, Copy)]
enum Section {
    Intro,
    Description,
    Permissions,
    Parameters,
    Return,
    Headers,
    Other,
}

fn front_matter_title(text: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    if lines.next()? != "---" {
        return None;
    }
    for l in lines {
        if l == "---" {
            break;
        }
        if let Some(t) = l.strip_prefix("title:") {
            let t = t.trim().trim_matches(['"', '\'']);
            return (!t.is_empty()).then(|| t.to_owned());
        }
    }
    None
}

/// Rows of the method table: (name, method, path); method and path only on older pages.
fn method_table(lines: &[&str]) -> Vec<(String, Option<String>, Option<String>)> {
    let mut rows = Vec::new();
    for line in lines {
        let l = line.trim().trim_start_matches('|').trim_start();
        let Some(rest) = l.strip_prefix("[**") else {
            continue;
        };
        let Some(end) = rest.find("**]") else {
            continue;
        };
        let name = &rest[..end];
        if !is_method_name(name) {
            continue;
        }
        let cells: Vec<&str> = rest[end..].split('|').map(str::trim).collect();
        let (mut method, mut path) = (None, None);
        if let Some((m, p)) = cells
            .get(1)
            .and_then(|cell| cell.strip_prefix("**")?.split_once("**"))
        {
            method = Some(m.trim().to_owned());
            path = Some(p.trim().to_owned());
        }
        rows.push((name.to_owned(), method, path));
    }
    rows
}

fn is_method_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The method name of an operation heading: `## [**Ret**](Ret.html) name(args)`, `##  name(args)`,
/// `## - name(args)`, `## Integer** name`. The class heading (`## PureCloud::AuthorizationApi`) is not one.
fn operation_heading(line: &str, class: &str) -> Option<String> {
    let rest = line.strip_prefix("## ")?;
    if rest.contains(class) && !rest.contains('(') {
        return None;
    }
    let rest = rest.trim_end();
    // Cut the argument list `(a, b)`; arguments never nest parentheses.
    let head = match rest.strip_suffix(')') {
        Some(r) => &r[..r.rfind('(')?],
        None => rest,
    }
    .trim_end();
    let name = head.rsplit([' ', ')', '*', '-']).next().unwrap_or(head);
    // Without an argument list, what precedes the name must be markup (`Integer**`, `-`, a
    // link): `## Something else` is prose, not the operation `else`.
    let before = head[..head.len() - name.len()].trim_end();
    let prose = !rest.ends_with(')') && before.ends_with(|c: char| c.is_alphanumeric());
    (is_method_name(name) && !prose).then(|| name.to_owned())
}

fn requires_line(line: &str) -> Option<DocRequirement> {
    let rest = line.strip_prefix("Requires ")?;
    let kind = rest.split_whitespace().next()?;
    if !rest.contains("permissions") {
        return None;
    }
    match kind.to_ascii_uppercase().as_str() {
        "ANY" => Some(DocRequirement::Any(Vec::new())),
        "ALL" => Some(DocRequirement::All(Vec::new())),
        "NO" => Some(DocRequirement::None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::cells::literal;
    use super::*;

    #[test]
    fn headings_of_every_generation() {
        let c = "AuthorizationApi";
        assert_eq!(
            operation_heading("## [**T**](T.html) get_x(a, opts)", c).as_deref(),
            Some("get_x")
        );
        assert_eq!(
            operation_heading("##  delete_x(a)", c).as_deref(),
            Some("delete_x")
        );
        assert_eq!(
            operation_heading("## -[**T**](T.html) get_y(a)", c).as_deref(),
            Some("get_y")
        );
        assert_eq!(
            operation_heading("## - delete_y(a)", c).as_deref(),
            Some("delete_y")
        );
        assert_eq!(
            operation_heading("## Integer** get_limit", c).as_deref(),
            Some("get_limit")
        );
        assert_eq!(
            operation_heading("## -Array<String>** put_z(a, opts)", c).as_deref(),
            Some("put_z")
        );
        assert_eq!(operation_heading("## PureCloud::AuthorizationApi", c), None);
    }

    #[test]
    fn a_small_page_parses_completely() {
        let page = "---\ntitle: FooApi\n---\n## PureCloud::FooApi\n\
            [**get_foo**](FooApi.html#get_foo) | Get a foo\n\
            ## [**Foo**](Foo.html) get_foo(foo_id, opts)\nGet a foo\n\
            Wraps GET /api/v2/foos/{fooId}\nRequires ALL permissions:\n* foo:foo:view\n* foo:bar:view\n\
            ### Parameters\nName | Type | Description | Notes\n------------- | ------------- | ------------- | -------------\n\
            **foo_id** | **String**| Foo ID | |\n\
            **kind** | **String**| Kind |\n**Values**: A, B |\n\
            **ids** | [**Array<String>**](String.html)| Ids | [optional] |\n\
            **size** | **Integer**| Size | [optional] [default to 25] |\n\
            ### Return type\n[**Foo**](Foo.html)\n### HTTP request headers\n - **Content-Type**: application/json\n";
        let p = DocPage::parse(Path::new("x"), page).unwrap();
        assert_eq!(p.class, "FooApi");
        let op = &p.operations[0];
        assert_eq!(
            (op.method.as_deref(), op.path.as_deref()),
            (Some("GET"), Some("/api/v2/foos/{fooId}"))
        );
        assert_eq!(
            op.requires,
            Some(DocRequirement::All(vec![
                "foo:foo:view".into(),
                "foo:bar:view".into()
            ]))
        );
        let params = op.parameters.as_ref().unwrap();
        assert_eq!(params.len(), 4);
        assert_eq!(params[1].values, ["A", "B"]);
        assert!(!params[1].optional);
        assert_eq!(params[2].ty, DocType::List(Box::new(DocType::String)));
        assert_eq!(params[3].default.as_deref(), Some("25"));
        assert_eq!(op.returns, Some(DocType::Model("Foo".into())));
        assert_eq!(op.content_type.as_deref(), Some("application/json"));
    }

    /// A repository-form page with every construct, and every kind of thing it cannot read.
    #[test]
    fn a_repository_page_in_detail_with_its_warnings() {
        let page = [
            "# FooApi",                                                        // 1
            "",                                                                // 2
            "## Pkg.FooApi",                                                   // 3
            "|[**get_foo**](#get_foo) | Get a foo|",                           // 4
            "## get_foo",                                                      // 5
            "> [**Foo**](Foo) get_foo(foo_id)",                                // 6
            ":::{\"alert\":\"warning\",\"title\":\"Deprecated\"}",             // 7
            "Wraps POST /hidden",                                              // 8
            ":::",                                                             // 9
            "Get a foo.",                                                      // 10
            "",                                                                // 11
            "More about it,",                                                  // 12
            "on two lines.",                                                   // 13
            "",                                                                // 14
            "Second paragraph.",                                               // 15
            "get_foo is a preview method and may change",                      // 16
            "Wraps GET /api/v2/foos/{fooId} ",                                 // 17
            "Requires no permissions",                                         // 18
            "### Parameters",                                                  // 19
            "|Name | Type | Description  | Notes|",                            // 20
            "|------------- | ------------- | ------------- | -------------|", // 21
            "| **foo_id** | **str**| Foo ID |  |",                             // 22
            "| not a row |",                                                   // 23
            "### Return type",                                                 // 24
            "[**Foo**](Foo)",                                                  // 25
            "### HTTP request headers",                                        // 26
            " - **Accept**: application/json",                                 // 27
            "## See Also:",                                                    // 28
            "## put_bar",                                                      // 29
            "Put a bar.",                                                      // 30
            "### Return type",                                                 // 31
            "a thing?",                                                        // 32
        ]
        .join("\n");
        let p = DocPage::parse(Path::new("x"), &page).unwrap();
        assert_eq!((p.class.as_str(), p.form), ("FooApi", DocForm::Repository));
        let foo = &p.operations[0];
        assert_eq!((foo.name.as_str(), foo.line), ("get_foo", 5));
        assert_eq!(
            (foo.method.as_deref(), foo.path.as_deref()),
            (Some("GET"), Some("/api/v2/foos/{fooId}")),
            "the alert's text is skipped"
        );
        assert!(foo.deprecated && foo.preview);
        assert_eq!(foo.summary.as_deref(), Some("Get a foo."));
        assert_eq!(
            foo.description.as_deref(),
            Some("More about it, on two lines.\n\nSecond paragraph.")
        );
        assert_eq!(foo.requires, Some(DocRequirement::None));
        let params = foo.parameters.as_ref().unwrap();
        assert_eq!((params.len(), params[0].line), (1, 22));
        assert_eq!(foo.returns, Some(DocType::Model("Foo".into())));
        assert_eq!(foo.accept.as_deref(), Some("application/json"));
        let bar = &p.operations[1];
        assert_eq!(
            (bar.name.as_str(), bar.line, bar.deprecated, bar.preview),
            ("put_bar", 29, false, false)
        );
        assert_eq!(bar.description, None);
        let warnings: Vec<(usize, &str)> = p
            .warnings
            .iter()
            .map(|(l, w)| (*l, w.split(':').next().unwrap_or("")))
            .collect();
        assert_eq!(
            warnings,
            [
                (23, "parameter row of `get_foo` not read"),
                (28, "section `## See Also"),
                (32, "return type `a thing?` of `put_bar` not read"),
                (
                    29,
                    "operation `put_bar` states no `Wraps METHOD path` or no permission statement"
                ),
            ]
        );
    }

    #[test]
    fn table_rows_are_told_from_headers_and_separators() {
        assert!(is_table_row("| **x** | y |"));
        for not_row in [
            "|Name | Type |",
            "|------------- | --|",
            "| --- | --- |",
            "no pipe",
        ] {
            assert!(!is_table_row(not_row), "{not_row}");
        }
    }

    #[test]
    fn python_defaults_read_as_the_spec_writes_them() {
        assert_eq!(literal(" &#39;PC_USER&#39; "), "PC_USER");
        assert_eq!(literal("True"), "true");
        assert_eq!(literal("False"), "false");
        assert_eq!(literal("25"), "25");
        assert_eq!(literal("'"), "'");
    }

    #[test]
    fn overlapping_markup_does_not_panic() {
        assert_eq!(strip_markup("[**](x)"), "[**](x)");
    }

    #[test]
    fn method_tables_of_every_generation() {
        let rows = method_table(&[
            "|[**delete_roles_role_id**](AuthorizationApi.html#delete_roles_role_id) | **DELETE** /api/v2/authorization/roles/{roleId} | Delete a role.|",
            "[**get_foo**](FooApi.html#get_foo) | Get a foo",
            "| [**post_bar**](#post_bar) | Post a bar |",
            "[**Array<Foo>**](Foo.html) | not a method",
            "[**broken | no closing markup",
            "plain text",
        ]);
        assert_eq!(
            rows,
            [
                (
                    "delete_roles_role_id".to_owned(),
                    Some("DELETE".to_owned()),
                    Some("/api/v2/authorization/roles/{roleId}".to_owned())
                ),
                ("get_foo".to_owned(), None, None),
                ("post_bar".to_owned(), None, None),
            ]
        );
        // An older page's operation takes its method and path from the table.
        let page = "---\ntitle: FooApi\n---\n## PureCloud::FooApi\n\
            [**get_foo**](FooApi.html#get_foo) | **GET** /api/v2/foos | Get foos\n\
            ## [**Foo**](Foo.html) get_foo(opts)\nGet foos\n";
        let op = &DocPage::parse(Path::new("p"), page).unwrap().operations[0];
        assert_eq!(
            (op.method.as_deref(), op.path.as_deref()),
            (Some("GET"), Some("/api/v2/foos"))
        );
    }

    #[test]
    fn method_names_are_snake_case() {
        assert!(is_method_name("get_x2"));
        for not in ["", "Get", "get-x", "get x", "getX"] {
            assert!(!is_method_name(not), "{not}");
        }
    }

    #[test]
    fn prose_and_class_headings_are_not_operations() {
        let c = "AuthorizationApi";
        assert_eq!(operation_heading("## Something else", c), None);
        assert_eq!(operation_heading("## get_x", c).as_deref(), Some("get_x"));
        assert_eq!(
            operation_heading("## [**X**](X) get_x", c).as_deref(),
            Some("get_x")
        );
        assert_eq!(
            operation_heading("## Notes about get_x(a)", c).as_deref(),
            Some("get_x"),
            "an argument list makes it a signature"
        );
        assert_eq!(
            operation_heading("## [**AuthorizationApiResult**](R) get_y(a)", c).as_deref(),
            Some("get_y")
        );
        assert_eq!(
            operation_heading("## PureCloudPlatformClientV2.AuthorizationApi", c),
            None
        );
        assert_eq!(operation_heading("### get_x", c), None);
    }

    #[test]
    fn footers_name_the_release() {
        assert_eq!(
            footer_release("_PureCloudPlatformClientV2 249.0.0_").as_deref(),
            Some("249.0.0")
        );
        assert_eq!(footer_release("  _Sdk 1.2_  ").as_deref(), Some("1.2"));
        for not in [
            "_Sdk 249_",
            "_ 1.2_",
            "_Sdk 1..2_",
            "_Sdk 1.a_",
            "Sdk 1.2",
            "_Sdk 1.2",
            "_Sdk1.2_",
        ] {
            assert_eq!(footer_release(not), None, "{not}");
        }
    }

    #[test]
    fn repository_titles_are_confirmed_by_the_package_heading() {
        assert_eq!(
            repository_title("\n# FooApi\n\n## pkg.FooApi\n").as_deref(),
            Some("FooApi")
        );
        assert_eq!(
            repository_title("# FooApi\n\n## Properties\n"),
            None,
            "a model page"
        );
        assert_eq!(repository_title("# Foo Api\n## pkg.Foo Api\n"), None);
        assert_eq!(repository_title("# \n## pkg.\n"), None);
        assert_eq!(repository_title("FooApi\n## pkg.FooApi\n"), None);
    }

    #[test]
    fn sections_after_the_parameters_are_read_for_what_they_are() {
        let page = "# FooApi\n\n## pkg.FooApi\n\n## get_foo\n\nGet a foo\n\nWraps GET /foo \n\nRequires no permissions\n\n\
            ### Parameters\n\n|Name | Type | Description  | Notes|\n|------------- | ------------- | ------------- | -------------|\n\
            | **pcPass** | **str**| Pass | [optional] |\n| **_private** | **str**| Odd | [optional] |\n\
            ### Return type\n\n[**Foo**](Foo)\n\n### HTTP request headers\n\n - **Content-Type**: application/json\n - **Accept**: text/csv\n\n\
            ### Authorization\n\n[**Bar**](Bar)\n\n### Example\n\n - **Accept**: not a header of this operation\n\n\
            _PureCloudPlatformClientV2 1.0.0_\n";
        let parsed = DocPage::parse(Path::new("p"), page).unwrap();
        let op = &parsed.operations[0];
        assert_eq!(
            op.accept.as_deref(),
            Some("text/csv"),
            "HTTP request headers"
        );
        assert_eq!(
            op.returns,
            Some(DocType::Model("Foo".into())),
            "a later section does not replace the return type"
        );
        let names: Vec<&str> = op
            .parameters
            .as_ref()
            .unwrap()
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["pcPass"], "a name must start with a letter");
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        // Both a route and a permission statement are needed, else a warning.
        let no_route = page.replace("Wraps GET /foo \n", "");
        assert_eq!(
            DocPage::parse(Path::new("p"), &no_route)
                .unwrap()
                .warnings
                .len(),
            2
        );
    }

    #[test]
    fn other_formats_are_refused() {
        assert!(DocPage::parse(Path::new("x"), "Update Organization Trust\nDescription").is_err());
    }
}

#[cfg(test)]
mod no_panic {
    use super::*;
    use proptest::prelude::*;

    /// Lines built from the page format's own pieces, shuffled: the parser must never panic.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("---".to_owned()),
            Just("title: AuthorizationApi".to_owned()),
            Just("## [**T**](T.html) get_x(a)".to_owned()),
            Just("##  get_y(".to_owned()),
            Just("Wraps GET".to_owned()),
            Just("Requires ANY permissions:".to_owned()),
            Just("* a:b:c".to_owned()),
            Just("### Parameters".to_owned()),
            Just("### Return type".to_owned()),
            Just("**Values**: A, B |".to_owned()),
            Just("**x** | [**](x) | |".to_owned()),
            Just("# FooApi".to_owned()),
            Just("## Pkg.FooApi".to_owned()),
            Just("## get_x".to_owned()),
            Just(":::{\"alert\":\"warning\",\"title\":\"Deprecated\"}".to_owned()),
            Just(":::".to_owned()),
            Just("Requires no permissions".to_owned()),
            Just("get_x is a preview method".to_owned()),
            Just(
                "| **x** | **str**| d | [optional] [default to 'a']<br />**Values**: a, b |"
                    .to_owned()
            ),
            Just("|Name | Type | Description  | Notes|".to_owned()),
            "[\\[\\]*|() a-z_:<>&;.-]{0,30}",
            "\\*\\*[a-z_]{1,8}\\*\\* \\|[\\[\\]*|() a-zA-Z<>&;]{0,30}",
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics(lines in prop::collection::vec(line(), 0..40)) {
            let _ = DocPage::parse(Path::new("x"), &lines.join("\n"));
        }

        #[test]
        fn markup_stripping_never_panics(cell in "[\\[\\]*()a-zA-Z.<>&;|]{0,20}") {
            let _ = strip_markup(&cell);
        }
    }
}
