//! Lazy paging through listings, whichever way the API pages them: numbered pages, a cursor
//! read from the page, or a link to the next page. The spec declares which (`paging:`); the
//! generated request builders implement [`PagedRequest`] with the helpers below.

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};

/// The future of one page.
pub type PageFuture<P, E> = Pin<Box<dyn Future<Output = Result<P, E>> + Send>>;

/// A request for one page of a listing. Generated request builders implement it for every
/// operation whose spec declares `paging`.
pub trait PagedRequest: Clone + Send + Sync + 'static {
    /// One page (`OrganizationRoleEntityListing`).
    type Page: Send + 'static;
    /// One item of a page (`DomainOrganizationRole`).
    type Item: Send + 'static;
    /// The service's error.
    type Error: Send + 'static;

    /// Sends the request.
    fn send_page(self) -> PageFuture<Self::Page, Self::Error>;
    /// The same request for the page after `page` (every other parameter kept), or `None` when
    /// `page` is the last.
    fn next_request(&self, page: &Self::Page) -> Option<Self>;
    /// The page's items.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Pages through a listing lazily: each page is fetched when the stream is polled past the
/// previous one, starting with the request as the caller built it. It stops after the last page
/// (as the operation's paging style tells it). An error ends the stream after it is yielded;
/// items already yielded stay with the caller.
#[derive(Debug, Clone)]
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct Paginator<R> {
    request: R,
}

impl<R: PagedRequest> Paginator<R> {
    /// A paginator starting with `request`.
    pub fn new(request: R) -> Self {
        Paginator { request }
    }

    /// A stream of pages.
    pub fn pages(self) -> impl Stream<Item = Result<R::Page, R::Error>> + Send {
        stream::unfold(Some(self.request), |state| async move {
            let request = state?;
            match request.clone().send_page().await {
                Ok(page) => {
                    let next = request.next_request(&page);
                    Some((Ok(page), next))
                }
                Err(e) => Some((Err(e), None)),
            }
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

/// Numbered pages: the number of the page after `current` (the first page when unset), or
/// `None` when `current` is the last — the page count is reached, or the page is empty (a
/// server whose count runs ahead of its items would otherwise be asked forever).
pub fn next_page_number(
    current: Option<i32>,
    page_count: Option<i64>,
    items: usize,
) -> Option<i32> {
    let current = current.unwrap_or(1);
    let last = items == 0 || page_count.is_some_and(|count| i64::from(current) >= count);
    if last { None } else { current.checked_add(1) }
}

/// Cursors: the cursor to send for the next page — `next`, unless the page has none, it is
/// empty, or it is the one just `sent` (a server repeating a cursor would page forever).
pub fn next_cursor(sent: Option<&str>, next: Option<&str>) -> Option<String> {
    next.filter(|next| !next.is_empty() && Some(*next) != sent)
        .map(str::to_owned)
}

/// Links: the value of query parameter `name` in a link to the next page (relative, as the API
/// gives it, or absolute), decoded; `None` when there is no link or it does not carry `name`.
pub fn link_parameter(link: Option<&str>, name: &str) -> Option<String> {
    let link = link?;
    let without_fragment = link.split_once('#').map_or(link, |(before, _)| before);
    let (_, query) = without_fragment.split_once('?')?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_stop_at_the_count_or_at_an_empty_page() {
        assert_eq!(next_page_number(None, Some(3), 25), Some(2));
        assert_eq!(next_page_number(Some(2), Some(3), 25), Some(3));
        assert_eq!(next_page_number(Some(3), Some(3), 25), None);
        assert_eq!(next_page_number(Some(4), Some(3), 25), None);
        assert_eq!(next_page_number(None, Some(0), 0), None);
        assert_eq!(
            next_page_number(Some(1), Some(10), 0),
            None,
            "an empty page ends it, whatever the count"
        );
        assert_eq!(next_page_number(Some(1), Some(2), 1), Some(2));
        assert_eq!(next_page_number(Some(7), None, 1), Some(8));
        assert_eq!(next_page_number(Some(7), None, 0), None);
        assert_eq!(next_page_number(Some(i32::MAX), None, 5), None);
        assert_eq!(
            next_page_number(Some(i32::MAX - 1), None, 5),
            Some(i32::MAX)
        );
    }

    #[test]
    fn cursors_stop_when_absent_empty_or_repeated() {
        assert_eq!(next_cursor(None, Some("b")), Some("b".to_owned()));
        assert_eq!(next_cursor(Some("a"), Some("b")), Some("b".to_owned()));
        assert_eq!(next_cursor(Some("b"), Some("b")), None);
        assert_eq!(next_cursor(Some("a"), Some("")), None);
        assert_eq!(next_cursor(Some("a"), None), None);
    }

    #[test]
    fn link_parameters_are_read_from_the_query_and_decoded() {
        let link = "/api/v2/teams?pageSize=2&after=a%2Fb+c%3D&expand=x";
        assert_eq!(
            link_parameter(Some(link), "after").as_deref(),
            Some("a/b c=")
        );
        assert_eq!(link_parameter(Some(link), "pageSize").as_deref(), Some("2"));
        assert_eq!(link_parameter(Some(link), "before"), None);
        assert_eq!(
            link_parameter(
                Some("https://api.example.com/x?cursor=z#after=no"),
                "cursor"
            )
            .as_deref(),
            Some("z")
        );
        assert_eq!(
            link_parameter(Some("https://api.example.com/x#after=no"), "after"),
            None
        );
        assert_eq!(
            link_parameter(Some("/x?after"), "after").as_deref(),
            Some("")
        );
        assert_eq!(link_parameter(None, "after"), None);
    }
}
