//! Errors in spec files, located and rendered rustc-style with `codespan-reporting`.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as given to the loader (relative paths stay relative).
    pub file: PathBuf,
    /// Byte range of the offending text.
    pub span: Range<usize>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (in characters) of the span's start.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// A short label under the offending text.
    pub label: String,
    /// What would fix it.
    pub help: Option<String>,
    /// A related place (the first definition of a duplicate), with its label.
    pub related: Option<(PathBuf, Range<usize>, String)>,
}

/// The text of every file the loader read, for locating and rendering diagnostics.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    /// Remembers a file's text.
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, text);
    }

    /// The text of a file read earlier.
    pub fn text(&self, path: &Path) -> &str {
        self.files.get(path).map(String::as_str).unwrap_or("")
    }

    /// Builds a diagnostic for `span` in `file`, computing its line and column.
    pub fn diagnostic(
        &self,
        file: &Path,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = line_column(self.text(file), span.start);
        Diagnostic {
            file: file.to_path_buf(),
            span,
            line,
            column,
            message: message.into(),
            label: label.into(),
            help: None,
            related: None,
        }
    }

    /// Byte offset of a 1-based line and a 1-based column counted in characters.
    pub fn offset(&self, file: &Path, line: usize, column: usize) -> usize {
        let text = self.text(file);
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &text[line_start.min(text.len())..];
        let col: usize = rest
            .chars()
            .take(column.saturating_sub(1))
            .take_while(|c| *c != '\n')
            .map(char::len_utf8)
            .sum();
        line_start + col
    }
}

impl Diagnostic {
    /// Adds what would fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related place, such as the first definition of a duplicate.
    pub fn with_related(
        mut self,
        file: &Path,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.related = Some((file.to_path_buf(), span, label.into()));
        self
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Every problem found in one run, with the sources needed to show them.
#[derive(Debug, Clone)]
pub struct Report {
    /// The problems, in file order, then position order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files' text.
    pub sources: Sources,
}

impl Report {
    /// Renders every diagnostic rustc-style, with the offending line shown.
    pub fn render(&self) -> String {
        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for (path, text) in &self.sources.files {
            ids.insert(
                path.clone(),
                files.add(path.display().to_string(), text.clone()),
            );
        }
        let config = Config::default();
        let mut out = String::new();
        for d in &self.diagnostics {
            let Some(&id) = ids.get(&d.file) else {
                out.push_str(&format!(
                    "error: {}\n  --> {}\n\n",
                    d.message,
                    d.file.display()
                ));
                continue;
            };
            let mut labels = vec![Label::primary(id, d.span.clone()).with_message(&d.label)];
            let related = d
                .related
                .as_ref()
                .and_then(|(file, span, label)| Some((*ids.get(file)?, span, label)));
            if let Some((rid, span, label)) = related {
                labels.push(Label::secondary(rid, span.clone()).with_message(label));
            }
            let mut rendered = Rendered::error()
                .with_message(&d.message)
                .with_labels(labels);
            if let Some(help) = &d.help {
                rendered = rendered.with_notes(vec![format!("help: {help}")]);
            }
            match term::emit_into_string(&config, &files, &rendered) {
                Ok(s) => out.push_str(&s),
                Err(_) => out.push_str(&format!("error: {}\n", d.message)),
            }
        }
        let n = self.diagnostics.len();
        out.push_str(&format!(
            "error: the spec has {n} error{}\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Report {}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
        assert_eq!(line_column("", 0), (1, 1));
    }

    #[test]
    fn offset_inverts_line_column() {
        let mut s = Sources::default();
        let p = PathBuf::from("x.yaml");
        s.insert(p.clone(), "ab\ncé d\n".into());
        let o = s.offset(&p, 2, 4);
        assert_eq!(line_column(s.text(&p), o), (2, 4));
    }
}
