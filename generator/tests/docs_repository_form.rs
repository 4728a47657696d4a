//! The documentation reader on the repository form: the whole Genesys Cloud API as the Python
//! SDK 249.0.0 publishes it (`../shared/reference/genesys-python-sdk-249.0.0/docs`). Every group
//! page is read, every `## operation` section becomes an operation with its route, permission
//! statement and return type, and nothing is left unread without a warning. Counts come from the
//! pages themselves, by a plain line scan independent of the parser.

use std::path::{Path, PathBuf};

use api_codegen::docs::page::{DocForm, DocPage, DocRequirement};

fn docs_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/genesys-python-sdk-249.0.0/docs");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: CI must read the vendor's documentation",
        dir.display()
    );
    eprintln!("skipped: {} not found", dir.display());
    None
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_group_page_and_operation_of_249_is_read() {
    let Some(dir) = docs_dir() else { return };
    let (mut pages, mut operations, mut headings, mut deprecated_blocks, mut preview_lines) =
        (0, 0, 0, 0, 0);
    let mut warnings = Vec::new();
    for path in files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let is_group = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with("Api.md");
        match DocPage::parse(&path, &text) {
            Ok(page) => {
                assert!(
                    is_group,
                    "{} is not a group page but parsed as one",
                    path.display()
                );
                assert_eq!(page.form, DocForm::Repository);
                pages += 1;
                operations += page.operations.len();
                // Independent counts: `## name` lines, deprecated alert blocks, preview sentences.
                headings += text
                    .lines()
                    .filter(|l| {
                        l.strip_prefix("## ").is_some_and(|n| {
                            !n.is_empty()
                                && n.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
                                })
                        })
                    })
                    .count();
                deprecated_blocks += text
                    .lines()
                    .filter(|l| l.starts_with(":::{") && l.contains("\"Deprecated\""))
                    .count();
                preview_lines += text
                    .lines()
                    .filter(|l| l.contains("is a preview method"))
                    .count();
                assert_eq!(
                    page.operations.iter().filter(|o| o.deprecated).count(),
                    text.lines()
                        .filter(|l| l.starts_with(":::{") && l.contains("\"Deprecated\""))
                        .count(),
                    "{}",
                    path.display()
                );
                for op in &page.operations {
                    let at = format!("{}:{} {}", path.display(), op.line, op.name);
                    assert!(
                        op.method.is_some()
                            && op.path.as_deref().is_some_and(|p| p.starts_with('/')),
                        "{at}: no route"
                    );
                    // Except the one whose only bullet is prose (the warning below).
                    assert!(
                        op.requires.is_some() || op.name == "get_userrecording_transcoding",
                        "{at}: no permission statement"
                    );
                    assert!(op.returns.is_some(), "{at}: no return type");
                    assert!(
                        op.summary.as_deref().is_some_and(|s| !s.is_empty()),
                        "{at}: no summary"
                    );
                    assert!(
                        op.parameters.is_some()
                            || op.name.starts_with("get_")
                            || op.name.starts_with("delete_")
                            || op.name.starts_with("post_")
                            || op.name.starts_with("put_")
                            || op.name.starts_with("patch_")
                            || op.name.starts_with("head_"),
                        "{at}"
                    );
                }
                warnings.extend(
                    page.warnings
                        .iter()
                        .map(|(line, w)| format!("{}:{line}: {w}", path.display())),
                );
            }
            Err(why) => assert!(!is_group, "{}: {}", path.display(), why.0),
        }
    }
    let group_files = files(&dir)
        .iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with("Api.md"))
        .count();
    assert_eq!(pages, group_files);
    assert_eq!(
        operations, headings,
        "every `## operation` section is an operation"
    );
    let ops_marked: usize = files(&dir)
        .iter()
        .filter_map(|p| DocPage::parse(p, &std::fs::read_to_string(p).unwrap()).ok())
        .map(|p| p.operations.iter().filter(|o| o.preview).count())
        .sum();
    assert_eq!(
        ops_marked, preview_lines,
        "every preview sentence marks its operation"
    );
    assert!(deprecated_blocks > 0 && preview_lines > 0);
    // The one line of 249.0.0 the reader cannot take as documented: prose in a permission list.
    assert_eq!(warnings.len(), 1, "{}", warnings.join("\n"));
    assert!(warnings[0].ends_with("UserRecordingsApi.md:124: permission bullet of `get_userrecording_transcoding` is not a permission: They are enforced by the backend"), "{}", warnings[0]);
    eprintln!(
        "{pages} group pages, {operations} operations, {deprecated_blocks} deprecated, {preview_lines} preview"
    );
}

#[test]
fn the_authorization_page_in_detail() {
    let Some(dir) = docs_dir() else { return };
    let path = dir.join("AuthorizationApi.md");
    let page = DocPage::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(page.class, "AuthorizationApi");
    let op = |name: &str| {
        page.operations
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };

    let delete = op("delete_authorization_division");
    assert_eq!(
        (delete.method.as_deref(), delete.path.as_deref()),
        (
            Some("DELETE"),
            Some("/api/v2/authorization/divisions/{divisionId}")
        )
    );
    assert_eq!(
        delete.requires,
        Some(DocRequirement::Any(vec![
            "authorization:division:delete".into()
        ]))
    );
    assert_eq!(delete.summary.as_deref(), Some("Delete a division."));
    assert_eq!(
        delete.returns,
        Some(api_codegen::docs::doctype::DocType::Nothing)
    );
    let force = &delete.parameters.as_ref().unwrap()[1];
    assert_eq!(
        (
            force.name.as_str(),
            force.optional,
            force.default.as_deref()
        ),
        ("force", true, Some("false")),
        "Python `False` reads as `false`"
    );

    let query = op("get_authorization_divisions_query");
    assert_eq!(
        query.requires,
        Some(DocRequirement::None),
        "`Requires no permissions`"
    );
    assert_eq!(
        query.description.as_deref(),
        Some("Use \"after\" and \"before\" param to fetch next/previous page}"),
        "Markdown's `\\\"` is a quote"
    );

    let division = op("get_authorization_division");
    let object_count = division
        .parameters
        .as_ref()
        .unwrap()
        .iter()
        .find(|p| p.name == "object_count")
        .unwrap();
    assert_eq!(
        object_count.values,
        ["true", "false"],
        "inline `<br />**Values**`"
    );
    assert!(page.operations.iter().any(|o| o.deprecated));
}

/// `docs-check` against the repository form: the spec's two groups are compared with their
/// pages (imported from them: no difference; what the pages dropped is kept and said to be),
/// every other group is listed as not held yet, apart from the differences.
#[test]
fn docs_check_reads_the_repository_form() {
    let Some(dir) = docs_dir() else { return };
    let root = dir.parent().unwrap();
    let spec = api_codegen::spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
        .unwrap_or_else(|r| panic!("{r}"));
    let held: Vec<String> = spec
        .services
        .iter()
        .flat_map(|s| s.groups.iter().filter_map(|g| g.value.sdk_class.clone()))
        .collect();
    let report = api_codegen::docs::check(&spec, root).unwrap();
    let group_pages = files(&dir)
        .iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with("Api.md"))
        .count();
    assert_eq!(report.pages.len(), group_pages);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let not_held: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == api_codegen::docs::Severity::NotHeld)
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(not_held.len(), group_pages - held.len());
    assert!(not_held.iter().all(|c| !held.iter().any(|h| h == c)));
    let differences: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == api_codegen::docs::Severity::Difference)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(differences, Vec::<&str>::new());
    let info = |needle: &str| {
        report
            .findings
            .iter()
            .any(|f| f.severity == api_codegen::docs::Severity::Info && f.message.contains(needle))
    };
    assert!(info(
        "`delete_user_roles` is no longer documented since release 249.0.0"
    ));
    assert!(info(
        "field `edgeGroup` is no longer in the reference since release 249.0.0; kept"
    ));
    assert!(report.models > 0, "the folder's models.json is read");
}

mod mutated_pages {
    use proptest::prelude::*;

    use super::*;

    /// The real page of the seeds' main group, as published at 249.0.0 (or a small page where the
    /// folder is absent).
    fn page() -> String {
        docs_dir()
            .and_then(|d| std::fs::read_to_string(d.join("AuthorizationApi.md")).ok())
            .unwrap_or_else(|| "# FooApi\n\n## pkg.FooApi\n\n## get_foo\n\nGet\n\nWraps GET /foo \n\nRequires no permissions\n".into())
    }

    /// One edit of a page: drop, repeat or swap lines, cut it short, or put arbitrary text in.
    #[derive(Debug, Clone)]
    enum Edit {
        Drop(usize),
        Repeat(usize),
        Swap(usize, usize),
        Cut(usize),
        Insert(usize, String),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            any::<usize>().prop_map(Edit::Drop),
            any::<usize>().prop_map(Edit::Repeat),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
            any::<usize>().prop_map(Edit::Cut),
            (any::<usize>(), any::<String>()).prop_map(|(at, text)| Edit::Insert(at, text)),
        ]
    }

    fn apply(lines: &mut Vec<String>, edit: &Edit) {
        if lines.is_empty() {
            return;
        }
        let n = lines.len();
        match edit {
            Edit::Drop(i) => drop(lines.remove(i % n)),
            Edit::Repeat(i) => lines.insert(i % n, lines[i % n].clone()),
            Edit::Swap(a, b) => lines.swap(a % n, b % n),
            Edit::Cut(i) => lines.truncate(i % n),
            Edit::Insert(i, text) => {
                let line = &mut lines[i % n];
                let at = line
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(text.len() % (line.chars().count() + 1))
                    .unwrap_or(line.len());
                line.insert_str(at, text);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever is done to a real page, the reader returns a page or a reason, never panics,
        /// and every warning points at a line of the page.
        #[test]
        fn mutated_real_pages_never_panic(edits in prop::collection::vec(edit(), 1..12)) {
            let mut lines: Vec<String> = page().lines().map(str::to_owned).collect();
            for e in &edits {
                apply(&mut lines, e);
            }
            let text = lines.join("\n");
            if let Ok(parsed) = DocPage::parse(Path::new("AuthorizationApi.md"), &text) {
                let count = text.lines().count();
                prop_assert!(parsed.warnings.iter().all(|(line, _)| (1..=count.max(1)).contains(line)));
            }
        }

        /// Arbitrary text, not a page at all.
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = DocPage::parse(Path::new("x.md"), &text);
        }
    }
}
