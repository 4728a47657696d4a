//! Which redirects the client follows.

use std::fmt;

use reqwest::Url;

/// Which redirects are followed. `RedirectPolicy::default()` follows up to 5 redirects within
/// the origin (scheme, host and port) of the request, and refuses any other.
///
/// A redirect to another origin would send the request there: a `307`/`308` re-sends the body,
/// and custom credential headers such as CSP's `csp-auth-token` would go with it. So by default
/// such a redirect is not followed and the call fails with [`Error::Redirect`](super::Error::Redirect),
/// which says where the server pointed. Origins the caller trusts can be allowed by name.
///
/// The same policy applies to token requests, relative to the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectPolicy {
    max_redirects: usize,
    allowed_origins: Vec<String>,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy {
            max_redirects: 5,
            allowed_origins: Vec::new(),
        }
    }
}

impl RedirectPolicy {
    /// Follows nothing: every redirect fails the call.
    pub fn none() -> Self {
        RedirectPolicy {
            max_redirects: 0,
            allowed_origins: Vec::new(),
        }
    }

    /// Follows at most `max` redirects in a row (within the allowed origins).
    pub fn with_max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }

    /// Also follows redirects to `origin` (`https://host[:port]`), sending the body and
    /// credentials there. Only for an origin you trust as much as the API itself.
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        let origin = origin.into();
        let normalized = Url::parse(&origin)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or(origin);
        self.allowed_origins.push(normalized);
        self
    }

    /// The redirect limit.
    pub fn max_redirects(&self) -> usize {
        self.max_redirects
    }

    /// Whether the hop from `from` to `to`, the `hops`-th in a row, may be followed.
    pub(crate) fn decide(&self, from: &Url, to: &Url, hops: usize) -> Result<(), RedirectReason> {
        let same = from.origin() == to.origin();
        if !same
            && !self
                .allowed_origins
                .iter()
                .any(|o| *o == to.origin().ascii_serialization())
        {
            return Err(RedirectReason::OtherOrigin);
        }
        if hops > self.max_redirects {
            return Err(if self.max_redirects == 0 {
                RedirectReason::Disabled
            } else {
                RedirectReason::TooMany(self.max_redirects)
            });
        }
        Ok(())
    }

    /// The policy as the HTTP client applies it. A refusal stops the client with a
    /// [`RedirectRefused`] in its error's source chain, which the client reports as
    /// [`Error::Redirect`](super::Error::Redirect). For a caller's own HTTP client:
    /// `reqwest::Client::builder().redirect(RedirectPolicy::default().to_reqwest())`.
    pub fn to_reqwest(&self) -> reqwest::redirect::Policy {
        let policy = self.clone();
        reqwest::redirect::Policy::custom(move |attempt| {
            let Some(first) = attempt.previous().first() else {
                return attempt.stop();
            };
            let hops = attempt.previous().len();
            match policy.decide(first, attempt.url(), hops) {
                Ok(()) => attempt.follow(),
                Err(reason) => {
                    let refused = RedirectRefused {
                        status: attempt.status().as_u16(),
                        location: attempt.url().to_string(),
                        reason,
                    };
                    attempt.error(refused)
                }
            }
        })
    }
}

/// Why a redirect was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectReason {
    /// It pointed to another origin than the request's, not allowed by the policy.
    OtherOrigin,
    /// The policy follows no redirects.
    Disabled,
    /// More redirects in a row than the policy allows.
    TooMany(usize),
}

impl fmt::Display for RedirectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectReason::OtherOrigin => {
                f.write_str("it leads to another origin (see RedirectPolicy::allow_origin)")
            }
            RedirectReason::Disabled => f.write_str("the redirect policy follows none"),
            RedirectReason::TooMany(max) => write!(f, "more than {max} redirects in a row"),
        }
    }
}

/// A redirect the client refused to follow: the status, where it pointed, and why not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the server redirected ({status}) to {location}, not followed: {reason}")]
#[non_exhaustive]
pub struct RedirectRefused {
    /// The redirect's status (301, 302, 303, 307, 308).
    pub status: u16,
    /// Where the server pointed.
    pub location: String,
    /// Why it was not followed.
    pub reason: RedirectReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn same_origin_only_by_default() {
        let p = RedirectPolicy::default();
        let api = url("https://api.example.com/api/v2/x");
        assert_eq!(
            p.decide(&api, &url("https://api.example.com/other"), 1),
            Ok(())
        );
        assert_eq!(
            p.decide(&api, &url("https://api.example.com:443/other"), 5),
            Ok(())
        );
        assert_eq!(
            p.decide(&api, &url("https://api.example.com/y"), 6),
            Err(RedirectReason::TooMany(5))
        );
        for other in [
            "https://evil.example.com/x",
            "http://api.example.com/x",
            "https://api.example.com:8443/x",
        ] {
            assert_eq!(
                p.decide(&api, &url(other), 1),
                Err(RedirectReason::OtherOrigin),
                "{other}"
            );
        }
    }

    #[test]
    fn allowed_origins_and_none() {
        let p = RedirectPolicy::default().allow_origin("https://Mirror.example.com:443/");
        let api = url("https://api.example.com/x");
        assert_eq!(
            p.decide(&api, &url("https://mirror.example.com/x"), 1),
            Ok(())
        );
        assert_eq!(
            p.decide(&api, &url("https://mirror.example.com:444/x"), 1),
            Err(RedirectReason::OtherOrigin)
        );
        let none = RedirectPolicy::none();
        assert_eq!(none.max_redirects(), 0);
        assert_eq!(RedirectPolicy::default().max_redirects(), 5);
        assert_eq!(
            RedirectPolicy::none().with_max_redirects(2).max_redirects(),
            2
        );
        assert_eq!(
            none.decide(&api, &url("https://api.example.com/y"), 1),
            Err(RedirectReason::Disabled)
        );
        assert_eq!(
            RedirectPolicy::default()
                .with_max_redirects(1)
                .decide(&api, &api, 2),
            Err(RedirectReason::TooMany(1))
        );
    }
}
