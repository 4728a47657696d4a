//! Where each value of a YAML file is: a map from JSON pointer to source span.
//!
//! `serde_yaml` locates syntax and type errors, but the values it produces
//! carry no position, so semantic errors (an unknown model, a path parameter
//! missing from the template) would have nowhere to point. This module walks
//! the same text with `saphyr-parser`'s event stream and records, for every
//! node, the span of its value and of its key. It also notices duplicate
//! mapping keys, which serde would otherwise let the last one win silently.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

/// Spans of the nodes of one YAML document, keyed by JSON pointer (`/operations/3/path`).
#[derive(Debug, Default)]
pub struct Locations {
    nodes: HashMap<String, Node>,
    /// Keys that occur twice in one mapping: (pointer of the second occurrence, first key span).
    pub duplicates: Vec<Duplicate>,
    /// Where and why the event stream stopped, if the text is not YAML to this reader. The
    /// loader reports it with (or, should the two readers disagree, instead of) serde's error.
    pub syntax_error: Option<(Range<usize>, String)>,
}

/// A mapping key that occurs more than once.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// Pointer of the repeated entry.
    pub pointer: String,
    /// The key's text.
    pub key: String,
    /// Byte range of the first occurrence's key.
    pub first: Range<usize>,
    /// Byte range of the repeated key.
    pub second: Range<usize>,
}

#[derive(Debug, Clone)]
struct Node {
    value: Range<usize>,
    key: Option<Range<usize>>,
    container: bool,
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

enum Frame {
    Map {
        pointer: String,
        pending_key: Option<(String, Range<usize>)>,
        seen: HashMap<String, Range<usize>>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
}

impl Locations {
    /// Indexes `text`. Where the text stops being valid YAML, indexing stops and
    /// [`Locations::syntax_error`] says where and why.
    pub fn index(text: &str) -> Locations {
        let offsets = CharOffsets::new(text);
        let mut out = Locations::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let (event, span) = match item {
                Ok(item) => item,
                Err(e) => {
                    let at = offsets.byte(e.marker().index());
                    out.syntax_error = Some((at..at, e.info().to_owned()));
                    break;
                }
            };
            let range = offsets.range(span);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { pending_key, .. }) = stack.last_mut() {
                        if pending_key.is_none() {
                            *pending_key = Some((value.into_owned(), range));
                            continue;
                        }
                    }
                    out.node(&mut stack, range, false);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let pointer = out.node(&mut stack, range, true);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map {
                            pointer,
                            pending_key: None,
                            seen: HashMap::new(),
                        }
                    } else {
                        Frame::Seq { pointer, next: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Alias(_) => {
                    out.node(&mut stack, range, false);
                }
                _ => {}
            }
        }
        out
    }

    /// Records the next child of the innermost container, spanning `value`; returns its pointer.
    fn node(&mut self, stack: &mut [Frame], value: Range<usize>, container: bool) -> String {
        let (pointer, key) = self.child(stack);
        let node = Node {
            value,
            key,
            container,
        };
        self.nodes.insert(pointer.clone(), node);
        pointer
    }

    /// Allocates the pointer of the next child of the innermost container.
    fn child(&mut self, stack: &mut [Frame]) -> (String, Option<Range<usize>>) {
        match stack.last_mut() {
            None => (String::new(), None),
            Some(Frame::Seq { pointer, next }) => {
                let p = format!("{pointer}/{next}");
                *next += 1;
                (p, None)
            }
            Some(Frame::Map {
                pointer,
                pending_key,
                seen,
            }) => {
                let (key, key_range) = pending_key.take().unwrap_or_default();
                let p = format!("{pointer}/{}", escape(&key));
                if let Some(first) = seen.get(&key) {
                    self.duplicates.push(Duplicate {
                        pointer: p.clone(),
                        key: key.clone(),
                        first: first.clone(),
                        second: key_range.clone(),
                    });
                } else {
                    seen.insert(key, key_range.clone());
                }
                (p, Some(key_range))
            }
        }
    }

    /// Byte range of the value at `pointer`, falling back to the nearest ancestor that exists.
    pub fn value(&self, pointer: &str) -> Range<usize> {
        self.lookup(pointer, |n| n.value.clone())
    }

    /// Byte range of the key of the entry at `pointer` (its value's range for sequence items).
    pub fn key(&self, pointer: &str) -> Range<usize> {
        self.lookup(pointer, |n| {
            n.key.clone().unwrap_or_else(|| n.value.clone())
        })
    }

    /// The best place to point at for the node at `pointer`: a scalar's value,
    /// or the key that introduces a mapping or sequence.
    pub fn anchor(&self, pointer: &str) -> Range<usize> {
        self.lookup(pointer, |n| match (&n.key, n.container) {
            (Some(k), true) => k.clone(),
            _ => n.value.clone(),
        })
    }

    /// Whether the document has a node at `pointer`.
    pub fn contains(&self, pointer: &str) -> bool {
        self.nodes.contains_key(pointer)
    }

    fn lookup(&self, pointer: &str, pick: impl Fn(&Node) -> Range<usize>) -> Range<usize> {
        let mut p = pointer;
        loop {
            if let Some(node) = self.nodes.get(p) {
                return pick(node);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }
}

/// Converts the parser's character positions into byte offsets.
struct CharOffsets {
    /// Byte offset of every char index where the two differ; `None` for ASCII-only text.
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let bytes = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(v) => v.get(char_index).copied().unwrap_or(self.len),
        }
    }

    fn range(&self, span: Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_nested_values_and_keys() {
        let text = "a:\n  b: [x, y]\n  c:\n  - d: 1\n";
        let loc = Locations::index(text);
        assert_eq!(&text[loc.value("/a/b/1")], "y");
        assert_eq!(&text[loc.value("/a/c/0/d")], "1");
        assert_eq!(&text[loc.key("/a/c/0/d")], "d");
        // A missing node falls back to its nearest ancestor (here the mapping starting at `d`).
        assert_eq!(loc.value("/a/c/0/zzz").start, text.find("d: 1").unwrap());
    }

    #[test]
    fn aliases_are_nodes_too() {
        let text = "a: &x 1\nb: *x\nc: 2\n";
        let loc = Locations::index(text);
        assert!(loc.contains("/b"));
        assert_eq!(
            &text[loc.value("/c")],
            "2",
            "the alias does not shift later pointers"
        );
    }

    #[test]
    fn syntax_errors_are_kept_with_their_position() {
        let text = "a: 1\nb: [1, 2\n";
        let l = Locations::index(text);
        let (span, message) = l.syntax_error.expect("an error");
        assert!(span.start > 4 && span.start <= text.len(), "{span:?}");
        assert!(!message.is_empty());
        assert!(Locations::index("a: 1\n").syntax_error.is_none());
    }

    #[test]
    fn finds_duplicate_keys() {
        let text = "fields:\n  id: {type: string}\n  id: {type: int32}\n";
        let loc = Locations::index(text);
        assert_eq!(loc.duplicates.len(), 1);
        assert_eq!(loc.duplicates[0].key, "id");
        assert_eq!(loc.duplicates[0].pointer, "/fields/id");
    }

    #[test]
    fn byte_offsets_survive_multibyte_text() {
        let text = "a: \"é✔\"\nb: c\n";
        let loc = Locations::index(text);
        assert_eq!(&text[loc.value("/b")], "c");
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let text = "produces:\n  application/json: x\n";
        let loc = Locations::index(text);
        assert_eq!(
            &text[loc.value(&format!("/produces/{}", escape("application/json")))],
            "x"
        );
    }
}
