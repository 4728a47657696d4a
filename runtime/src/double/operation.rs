//! One operation's double, typed by what it returns, takes and fails with: its answers
//! scripted, its calls read back.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::paging::{Pages, Served};
use super::state::Target;
use super::{Answer, Call, MockApi};
use crate::metadata::OperationInfo;

/// How a test scripts and inspects one operation of a [`MockApi`]: answers typed by what the
/// operation returns (`T`) and fails with (`E`), calls typed by its body (`B`).
#[must_use]
pub struct OperationDouble<'a, T, B, E> {
    pub(super) api: &'a MockApi,
    pub(super) operation: &'static OperationInfo,
    /// The request given to `on`, when the double is of one request.
    pub(super) request: Option<usize>,
    pub(super) types: Types<T, B, E>,
}

/// The double of a paged operation: an [`OperationDouble`] that can also serve a list of items
/// page by page, as the API pages it.
#[must_use]
pub struct PagedDouble<'a, T, B, E, I> {
    pub(super) double: OperationDouble<'a, T, B, E>,
    pub(super) pages: Pages,
    pub(super) item: PhantomData<fn() -> I>,
}

impl<'a, T, B, E, I> std::ops::Deref for PagedDouble<'a, T, B, E, I> {
    type Target = OperationDouble<'a, T, B, E>;

    fn deref(&self) -> &Self::Target {
        &self.double
    }
}

impl<T, B, E, I> fmt::Debug for PagedDouble<'_, T, B, E, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PagedDouble")
            .field("operation", &self.double.operation.name)
            .field("pages", &self.pages)
            .finish()
    }
}

impl<T, B, E, I: Serialize> PagedDouble<'_, T, B, E, I> {
    /// From now on (unless a scripted answer comes first), serves `items` in pages of
    /// `page_size`, as the API pages them: by page number, cursor or next link, the last page
    /// saying it is the last. The client's own page size parameter is not consulted.
    pub fn serve_items(&self, items: &[I], page_size: usize) -> &Self {
        let items = items
            .iter()
            .filter_map(|i| serde_json::to_value(i).ok())
            .collect();
        let served = Served {
            pages: self.pages,
            items,
            size: page_size,
        };
        self.double
            .api
            .state()
            .served
            .insert(self.double.operation.name, served);
        self
    }
}

/// What an [`OperationDouble`] is typed by, holding none of it.
pub(super) type Types<T, B, E> = PhantomData<fn() -> (T, B, E)>;

impl<T, B, E> OperationDouble<'_, T, B, E> {
    pub(super) fn target(&self) -> Target {
        (self.operation.name, self.request)
    }
}

impl<T, B, E> fmt::Debug for OperationDouble<'_, T, B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationDouble")
            .field("operation", &self.operation.name)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize, B: DeserializeOwned, E: Serialize> OperationDouble<'_, T, B, E> {
    /// From now on, answers `200` with `body`: as JSON, or, for an operation that answers text,
    /// as that text with its media type.
    pub fn returns(&self, body: &T) -> &Self {
        match serde_json::to_value(body) {
            Ok(serde_json::Value::String(text)) if self.operation.answers_text() => {
                self.answer(Answer::text(200, self.operation, text))
            }
            _ => self.answer(Answer::json(200, body)),
        }
    }

    /// From now on, answers `status` with the service's error body `body`.
    pub fn fails(&self, status: u16, body: &E) -> &Self {
        self.answer(Answer::json(status, body))
    }

    /// From now on, gives this answer (any status, headers, body, delay).
    pub fn answer(&self, answer: Answer) -> &Self {
        self.api.state().standing.insert(self.target(), answer);
        self
    }

    /// Gives this answer to the next call only; one-off answers queue before the standing one
    /// (a `429` then a success: `.answer_once(Answer::too_many_requests(..))`).
    pub fn answer_once(&self, answer: Answer) -> &Self {
        self.api
            .state()
            .once
            .entry(self.target())
            .or_default()
            .push_back(answer);
        self
    }

    /// The calls so far (of the operation, or of the one request), bodies decoded as the
    /// operation's body type.
    pub fn calls(&self) -> Vec<Call<B>> {
        let state = self.api.state();
        let request = self.request.and_then(|i| state.exact.get(i));
        state
            .recorded
            .iter()
            .filter(|(r, exact)| {
                r.operation.name == self.operation.name && request.is_none_or(|e| e == exact)
            })
            .map(|(r, _)| Call {
                path: r.path.clone(),
                query: r.query.clone(),
                headers: r.headers.clone(),
                body: r.body.clone().and_then(|b| serde_json::from_value(b).ok()),
            })
            .collect()
    }
}
