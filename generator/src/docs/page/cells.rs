//! A parameter table's rows and the markup of their cells.

use super::{DocOperation, DocParameter};
use crate::docs::doctype::DocType;

/// A Markdown table row that is not a header or separator row.
pub(super) fn is_table_row(line: &str) -> bool {
    line.starts_with('|')
        && !line.starts_with("|Name")
        && !line.starts_with("|---")
        && !line.starts_with("| ---")
}

/// `**name** | type | description | notes`, with or without outer pipes; or the
/// continuation `**Values**: A, B |` of the previous row.
pub(super) fn parameter_row(line: &str, line_no: usize, op: &mut DocOperation) -> bool {
    let l = line.trim_start_matches('|').trim();
    let Some(rest) = l.strip_prefix("**") else {
        return false;
    };
    let Some((name, rest)) = rest.split_once("**") else {
        return false;
    };
    let params = op.parameters.get_or_insert_with(Vec::new);
    if name == "Values" {
        let Some(last) = params.last_mut() else {
            return false;
        };
        last.values = values_list(rest);
        return true;
    }
    // SDK parameter names are snake_case, except where the SDK renames a reserved word
    // (`pass` → `pcPass`).
    if !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return false;
    }
    let cells: Vec<&str> = rest
        .trim_start_matches([' ', '|'])
        .split('|')
        .map(str::trim)
        .collect();
    let ty_text = strip_markup(cells.first().copied().unwrap_or(""));
    let notes = cells.get(2..).map(|c| c.join(" ")).unwrap_or_default();
    let default = notes.find("[default to ").map(|i| {
        let v = &notes[i + "[default to ".len()..];
        literal(&v[..v.find(']').unwrap_or(v.len())])
    });
    // The repository form writes the values inline: `[optional] <br />**Values**: a, b`.
    let values = notes
        .find("**Values**")
        .map(|i| values_list(&notes[i + "**Values**".len()..]))
        .unwrap_or_default();
    params.push(DocParameter {
        name: name.to_owned(),
        line: line_no,
        ty: DocType::parse_sdk(&ty_text),
        ty_text,
        optional: notes.contains("[optional]"),
        default,
        values,
        description: cell_text(cells.get(1).copied().unwrap_or("")),
    });
    true
}

/// A default as the spec writes it: Python's `&#39;PC_USER&#39;` is `PC_USER`, `True` is `true`.
pub(super) fn literal(text: &str) -> String {
    let t = text.trim().replace("&#39;", "'").replace("&quot;", "\"");
    let t = t
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .unwrap_or(&t);
    match t {
        "True" => "true".to_owned(),
        "False" => "false".to_owned(),
        other => other.to_owned(),
    }
}

/// A table cell as plain text: HTML entities and line breaks of the SDK's Markdown decoded.
fn cell_text(cell: &str) -> String {
    let text = cell
        .replace("<br />", " ")
        .replace("<br/>", " ")
        .replace("&#39;", "'")
        .replace("&quot;", "\"");
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    crate::docs::unescape_markdown(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `: A, B |` → `["A", "B"]`.
fn values_list(text: &str) -> Vec<String> {
    let list = text.trim_start_matches(':').split('|').next().unwrap_or("");
    list.split(',')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// `[**Array<String>**](String.html)` → `Array<String>`; `**Array&lt;String&gt;**` → `Array<String>`.
pub(super) fn strip_markup(cell: &str) -> String {
    let cell = cell.trim();
    let inner = match (cell.find("[**"), cell.find("**](")) {
        (Some(a), Some(b)) if a + 3 <= b => &cell[a + 3..b],
        _ => cell,
    };
    inner
        .trim_matches('*')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .trim()
        .to_owned()
}
