//! Lazy paging through `*EntityListing` results.

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};

/// The future of one page.
pub type PageFuture<P, E> = Pin<Box<dyn Future<Output = Result<P, E>> + Send>>;

/// A request for one page of a paged listing. Generated request builders implement it for
/// operations that return a `*EntityListing` and take a `pageNumber`.
pub trait PagedRequest: Clone + Send + Sync + 'static {
    /// One page (`OrganizationRoleEntityListing`).
    type Page: Send + 'static;
    /// One item of a page (`DomainOrganizationRole`).
    type Item: Send + 'static;
    /// The service's error.
    type Error: Send + 'static;

    /// The page to start from: the one the caller set, else 1.
    fn first_page(&self) -> i32;
    /// The same request for another page; every other parameter is kept.
    fn with_page(self, page: i32) -> Self;
    /// Sends the request.
    fn send_page(self) -> PageFuture<Self::Page, Self::Error>;
    /// The number of pages the server reports.
    fn page_count(page: &Self::Page) -> Option<i64>;
    /// How many items the page holds.
    fn items_len(page: &Self::Page) -> usize;
    /// The page's items.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Pages through a listing lazily: each page is fetched when the stream is polled past the
/// previous one. It stops after the last page the server reports (`pageCount`) or at an empty
/// page, whichever comes first. An error ends the stream after it is yielded; items already
/// yielded stay with the caller.
#[derive(Debug, Clone)]
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct Paginator<R> {
    request: R,
}

impl<R: PagedRequest> Paginator<R> {
    /// A paginator starting from `request`'s page.
    pub fn new(request: R) -> Self {
        Paginator { request }
    }

    /// A stream of pages.
    pub fn pages(self) -> impl Stream<Item = Result<R::Page, R::Error>> + Send {
        let first = self.request.first_page();
        stream::unfold(Some((self.request, first)), |state| async move {
            let (request, number) = state?;
            let page = match request.clone().with_page(number).send_page().await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), None)),
            };
            let last = R::page_count(&page).is_some_and(|count| i64::from(number) >= count);
            let empty = R::items_len(&page) == 0;
            let next = (!last && !empty && number < i32::MAX).then(|| (request, number + 1));
            Some((Ok(page), next))
        })
    }

    /// A stream of the items of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<R::Item, R::Error>> + Send {
        self.pages().flat_map(|page| {
            let items: Vec<Result<R::Item, R::Error>> = match page {
                Ok(page) => R::into_items(page).into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(items)
        })
    }
}
