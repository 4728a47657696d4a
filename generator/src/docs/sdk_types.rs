//! The SDK's own types: what a release's `index.md` documents under "SDK Specific Types and
//! Classes" (`LocalDateTime`, `YearMonth`). The pages and the model reference use them like
//! models, but they are classes of the SDK over text on the wire, so the spec holds them as
//! strings with a `format`. They are read from the release, not listed here, so a release that
//! documents a new one is imported without a change to the generator.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heck::ToKebabCase;

/// The SDK types one release documents, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkTypes {
    types: BTreeMap<String, SdkType>,
}

/// One SDK type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkType {
    /// The type's name as the pages write it (`YearMonth`).
    pub name: String,
    /// The text format it stands for: the quoted name the section gives (`"year-month"
    /// format`), else the type's name in kebab case (`local-date-time`).
    pub format: String,
    /// Where the section starts: the file and its 1-based line.
    pub file: PathBuf,
    /// The section heading's line.
    pub line: usize,
}

impl SdkTypes {
    /// The types of the docs folder's `index.md` (`docs/index.md` in the repository form, or
    /// at the folder's top); none when it has no such page.
    pub fn read(dir: &Path) -> SdkTypes {
        [dir.join("docs").join("index.md"), dir.join("index.md")]
            .into_iter()
            .find_map(|p| {
                std::fs::read_to_string(&p)
                    .ok()
                    .map(|text| SdkTypes::parse(&p, &text))
            })
            .unwrap_or_default()
    }

    /// The `####` sections of the `###` section whose title speaks of types.
    pub fn parse(file: &Path, text: &str) -> SdkTypes {
        let mut types = BTreeMap::new();
        let mut in_types = false;
        let mut current: Option<(String, usize, String)> = None;
        let mut finish = |current: &mut Option<(String, usize, String)>| {
            if let Some((name, line, body)) = current.take() {
                let format = quoted_format(&body).unwrap_or_else(|| name.to_kebab_case());
                types.insert(
                    name.clone(),
                    SdkType {
                        name,
                        format,
                        file: file.to_path_buf(),
                        line,
                    },
                );
            }
        };
        for (i, line) in text.lines().enumerate() {
            let level = line.chars().take_while(|c| *c == '#').count();
            if level > 0 && line[level..].starts_with(' ') {
                if level <= 4 {
                    finish(&mut current);
                }
                let title = line[level..].trim();
                if level <= 3 {
                    in_types = level == 3 && title.to_ascii_lowercase().contains("types");
                } else if level == 4 && in_types {
                    let name = title.trim_matches('`');
                    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()) {
                        current = Some((name.to_owned(), i + 1, String::new()));
                    }
                }
                continue;
            }
            if let Some((_, _, body)) = current.as_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        finish(&mut current);
        SdkTypes { types }
    }

    /// The SDK type of that name.
    pub fn get(&self, name: &str) -> Option<&SdkType> {
        self.types.get(name)
    }

    /// Every type, by name.
    pub fn iter(&self) -> impl Iterator<Item = &SdkType> {
        self.types.values()
    }
}

/// `… defined as string with a "year-month" format …` → `year-month`.
fn quoted_format(body: &str) -> Option<String> {
    let end = body.find("\" format")?;
    let start = body[..end].rfind('"')? + 1;
    let word = body[start..end].trim();
    let kebab = word.to_kebab_case();
    (!kebab.is_empty()).then_some(kebab)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "# SDK\n\n### Authenticating\n\n#### Client Credentials Grant\n\ntext\n\n\
        ### SDK Specific Types and Classes\n\nintro\n\n#### LocalDateTime\n\n`LocalDateTime` is defined as an alias of `datetime` class.\n\n\
        #### YearMonth\n\nSome properties are defined as string with a \"year-month\" format (e.g. \"2026-01\").\n\n\
        ### Managing updates\n\n#### NotAType\n";

    #[test]
    fn the_types_section_names_each_type_and_its_format() {
        let types = SdkTypes::parse(Path::new("docs/index.md"), INDEX);
        let found: Vec<(&str, &str, usize)> = types
            .iter()
            .map(|t| (t.name.as_str(), t.format.as_str(), t.line))
            .collect();
        assert_eq!(
            found,
            [
                ("LocalDateTime", "local-date-time", 13),
                ("YearMonth", "year-month", 17)
            ]
        );
        assert_eq!(
            types.get("YearMonth").map(|t| t.file.as_path()),
            Some(Path::new("docs/index.md"))
        );
        assert!(
            types.get("NotAType").is_none(),
            "a section outside the types section"
        );
        assert!(types.get("Client Credentials Grant").is_none());
    }

    #[test]
    fn a_release_without_an_index_has_no_sdk_types() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(SdkTypes::read(dir.path()), SdkTypes::default());
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/index.md"), INDEX).unwrap();
        assert_eq!(SdkTypes::read(dir.path()).iter().count(), 2);
    }

    #[test]
    fn the_release_the_spec_follows_documents_local_date_times_and_year_months() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/reference/genesys-python-sdk-249.0.0");
        if !dir.is_dir() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is missing",
                dir.display()
            );
            return;
        }
        let types = SdkTypes::read(&dir);
        let formats: Vec<(&str, &str)> = types
            .iter()
            .map(|t| (t.name.as_str(), t.format.as_str()))
            .collect();
        assert_eq!(
            formats,
            [
                ("LocalDateTime", "local-date-time"),
                ("YearMonth", "year-month")
            ]
        );
    }
}
