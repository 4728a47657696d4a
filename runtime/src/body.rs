//! Reading response bodies within a size limit, while they stream in.

/// The default limit on a success body: 32 MiB.
///
/// The largest documented Genesys responses are listings of 500 entities with every expansion
/// (a few MiB); the limit leaves an order of magnitude of headroom while keeping a hostile or
/// broken server from filling the caller's memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// How much of an error body (and of a token endpoint's answer) is kept: 64 KiB. The rest is
/// discarded unread; an error payload is a few hundred bytes.
pub const ERROR_BODY_CAP: u64 = 64 * 1024;

/// Never reserve more than this up front, whatever `Content-Length` claims.
const MAX_RESERVE: u64 = 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is longer than `limit`; `declared` is its `Content-Length`, when it said so.
    TooLarge { limit: u64, declared: Option<u64> },
    /// The connection failed or the body was cut off.
    Read(reqwest::Error),
}

/// Reads a whole body, failing as soon as it is known to exceed `limit` bytes: at once when
/// `Content-Length` says so, otherwise when the bytes received pass it. At most `limit` bytes
/// (plus one chunk) are ever held.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Vec<u8>, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge { limit, declared });
    }
    let mut body = Vec::with_capacity(reserve(declared, limit));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if exceeds(body.len(), chunk.len(), limit) {
            return Err(BodyError::TooLarge { limit, declared });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads at most `cap` bytes of a body, for error responses: what fits is kept, the rest is
/// not read, and a read failure ends the body where it stopped. Returns the bytes and whether
/// anything was left out.
pub(crate) async fn read_capped(mut response: reqwest::Response, cap: u64) -> (Vec<u8>, bool) {
    let mut body = Vec::with_capacity(reserve(response.content_length(), cap));
    let cap = to_usize(cap);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = cap.saturating_sub(body.len());
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    return (body, true);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return (body, false),
            Err(_) => return (body, true),
        }
    }
}

/// How much to reserve for a body that declares `declared` bytes and may hold `limit`: never
/// more than either, nor than [`MAX_RESERVE`], so a lying `Content-Length` costs nothing.
fn reserve(declared: Option<u64>, limit: u64) -> usize {
    to_usize(declared.unwrap_or(0).min(limit).min(MAX_RESERVE))
}

/// Whether `held + incoming` bytes pass `limit`. Checked: no sum can overflow.
fn exceeds(held: usize, incoming: usize, limit: u64) -> bool {
    held.checked_add(incoming)
        .and_then(|total| u64::try_from(total).ok())
        .is_none_or(|total| total > limit)
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(bytes: usize) -> reqwest::Response {
        reqwest::Response::from(http::Response::new(vec![b'x'; bytes]))
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn capped_bodies_keep_exactly_the_cap_and_say_whether_more_came() {
        let (body, truncated) = run(read_capped(response(16), 16));
        assert_eq!(
            (body.len(), truncated),
            (16, false),
            "exactly the cap is complete"
        );
        let (body, truncated) = run(read_capped(response(17), 16));
        assert_eq!((body.len(), truncated), (16, true));
        let (body, truncated) = run(read_capped(response(0), 16));
        assert_eq!((body.len(), truncated), (0, false));
    }

    #[test]
    fn limited_bodies_fail_past_the_limit() {
        assert_eq!(
            run(read_limited(response(16), 16)).map(|b| b.len()).ok(),
            Some(16)
        );
        assert!(matches!(
            run(read_limited(response(17), 16)),
            Err(BodyError::TooLarge { limit: 16, .. })
        ));
        assert_eq!(
            run(read_limited(response(0), 0)).map(|b| b.len()).ok(),
            Some(0)
        );
    }

    #[test]
    fn the_documented_limits() {
        assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 33_554_432, "32 MiB");
        assert_eq!(ERROR_BODY_CAP, 65_536, "64 KiB");
    }

    #[test]
    fn reservations_are_bounded_by_the_declared_length_the_limit_and_a_mebibyte() {
        assert_eq!(reserve(None, 1 << 30), 0);
        assert_eq!(reserve(Some(10), 1 << 30), 10);
        assert_eq!(reserve(Some(10), 4), 4);
        assert_eq!(reserve(Some(u64::MAX), u64::MAX), 1 << 20);
        assert_eq!(reserve(Some((1 << 20) + 1), u64::MAX), 1 << 20);
    }

    #[test]
    fn limits_are_checked_without_overflow() {
        assert!(!exceeds(0, 10, 10));
        assert!(exceeds(1, 10, 10));
        assert!(!exceeds(10, 0, 10));
        assert!(exceeds(usize::MAX, 1, u64::MAX));
        assert!(!exceeds(0, 0, 0));
        assert_eq!(
            to_usize(u64::MAX),
            usize::try_from(u64::MAX).unwrap_or(usize::MAX)
        );
    }
}
