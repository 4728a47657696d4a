//! A paged listing as the double serves it: the pages of a list of items, in the paging style
//! of the operation, each next page asked for as the client asks.

/// How a paged operation's pages carry their items and say where the next one is, by wire
/// names: what a [`PagedDouble`](super::PagedDouble) needs to serve a list page by page as the API does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// The field holding a page's items.
    pub items: &'static str,
    /// How the next page is asked for.
    pub style: PageStyle,
}

/// How the client asks for the next page, by wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `?parameter=N` numbers the pages from 1; `page_count`, when the page has it, counts them.
    PageNumber {
        /// The query parameter.
        parameter: &'static str,
        /// The field counting the pages.
        page_count: Option<&'static str>,
    },
    /// `?parameter=cursor`, the cursor read from the field at `next` (through nested objects).
    Cursor {
        /// The query parameter.
        parameter: &'static str,
        /// The path from the page to the cursor.
        next: &'static [&'static str],
    },
    /// The field `next_uri` holds a link whose query parameter `parameter` is the next cursor,
    /// which the client sends as the same parameter.
    NextUri {
        /// The query parameter, in the link and in the next request.
        parameter: &'static str,
        /// The field holding the link.
        next_uri: &'static str,
    },
}

/// A list being served page by page for one operation.
pub(super) struct Served {
    pub(super) pages: Pages,
    pub(super) items: Vec<serde_json::Value>,
    pub(super) size: usize,
}

impl Served {
    /// The index of the first item of the page the query asks for (the first page by default).
    fn start(&self, size: usize, query: &[(String, String)]) -> usize {
        let asked = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        match self.pages.style {
            PageStyle::PageNumber { parameter, .. } => asked(parameter)
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n >= 1)
                .map_or(0, |n| (n - 1).saturating_mul(size)),
            PageStyle::Cursor { parameter, .. } | PageStyle::NextUri { parameter, .. } => {
                asked(parameter)
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(0)
            }
        }
    }

    /// The page a request with `query` asks for, on `base` (the operation's example page, for
    /// its other fields), as the API would send it.
    pub(super) fn page(
        &self,
        base: Option<&str>,
        path: &str,
        query: &[(String, String)],
    ) -> serde_json::Value {
        let size = self.size.max(1);
        let mut page = base
            .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        let start = self.start(size, query);
        let end = start.saturating_add(size).min(self.items.len());
        let items = self
            .items
            .get(start..end)
            .map(<[_]>::to_vec)
            .unwrap_or_default();
        let next = (end < self.items.len()).then(|| end.to_string());
        set(
            &mut page,
            &[self.pages.items],
            Some(serde_json::Value::Array(items)),
        );
        match self.pages.style {
            PageStyle::PageNumber {
                page_count: Some(field),
                ..
            } => {
                set(
                    &mut page,
                    &[field],
                    Some(serde_json::json!(self.items.len().div_ceil(size).max(1))),
                );
            }
            PageStyle::PageNumber {
                page_count: None, ..
            } => {}
            PageStyle::Cursor { next: path, .. } => {
                set(&mut page, path, next.map(serde_json::Value::from))
            }
            PageStyle::NextUri {
                parameter,
                next_uri,
            } => {
                let link = next.map(|n| serde_json::Value::from(format!("{path}?{parameter}={n}")));
                set(&mut page, &[next_uri], link);
            }
        }
        page
    }
}

/// Sets (or, with `None`, removes) the field at `path` in `value`, making objects on the way.
pub(super) fn set(value: &mut serde_json::Value, path: &[&str], to: Option<serde_json::Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = value;
    for key in parents {
        let Some(object) = current.as_object_mut() else {
            return;
        };
        current = object.entry(*key).or_insert_with(|| serde_json::json!({}));
    }
    if let Some(object) = current.as_object_mut() {
        match to {
            Some(v) => {
                object.insert((*last).to_owned(), v);
            }
            None => {
                object.remove(*last);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(style: PageStyle) -> Served {
        Served {
            pages: Pages {
                items: "entities",
                style,
            },
            items: Vec::new(),
            size: 10,
        }
    }

    #[test]
    fn a_page_starts_where_its_number_or_cursor_says() {
        let q = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        let numbered = served(PageStyle::PageNumber {
            parameter: "pageNumber",
            page_count: None,
        });
        assert_eq!(numbered.start(10, &q("pageNumber", "3")), 20);
        assert_eq!(numbered.start(10, &q("pageNumber", "1")), 0);
        assert_eq!(
            numbered.start(10, &q("pageNumber", "0")),
            0,
            "pages count from 1"
        );
        assert_eq!(numbered.start(10, &q("other", "3")), 0);
        let cursor = served(PageStyle::Cursor {
            parameter: "after",
            next: &["next"],
        });
        assert_eq!(cursor.start(10, &q("after", "15")), 15);
        assert_eq!(cursor.start(10, &q("after", "x")), 0);
        assert_eq!(cursor.start(10, &[]), 0);
    }
}
