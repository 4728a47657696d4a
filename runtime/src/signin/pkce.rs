//! Proof Key for Code Exchange (RFC 7636) and the `state` of an authorization request.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use super::SignInError;
use crate::token::SecretString;

/// Random bytes behind a verifier: 64 bytes give 86 characters of base64url, within RFC 7636's
/// 43 to 128, and 512 bits of entropy.
const VERIFIER_BYTES: usize = 64;

/// Random bytes behind a `state`: 32 bytes, 43 characters.
const STATE_BYTES: usize = 32;

/// A PKCE code verifier and its S256 challenge: the challenge goes in the authorize URL, the
/// verifier (kept until the code comes back) in the code exchange.
///
/// `Debug` shows the challenge only; the verifier is a secret until it is used.
#[derive(Clone)]
pub struct Pkce {
    verifier: SecretString,
    challenge: String,
}

impl Pkce {
    /// A new verifier from the operating system's random source, and its challenge.
    ///
    /// # Errors
    ///
    /// When the operating system gives no random bytes.
    pub fn new() -> Result<Self, SignInError> {
        Ok(Self::from_verifier_unchecked(random_text(VERIFIER_BYTES)?))
    }

    /// A verifier kept from earlier (a web back end that stored it with the session between
    /// the redirect and the callback), and its challenge.
    ///
    /// # Errors
    ///
    /// When it is not 43 to 128 characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636, section 4.1).
    pub fn from_verifier(verifier: impl Into<String>) -> Result<Self, SignInError> {
        let verifier = verifier.into();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
        if !(43..=128).contains(&verifier.len()) || !verifier.chars().all(allowed) {
            return Err(SignInError::invalid(
                "a PKCE code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
            ));
        }
        Ok(Self::from_verifier_unchecked(verifier))
    }

    fn from_verifier_unchecked(verifier: String) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Pkce {
            verifier: SecretString::new(verifier),
            challenge,
        }
    }

    /// The code verifier, sent with the code exchange; store it if the exchange happens in
    /// another process.
    pub fn verifier(&self) -> &str {
        self.verifier.expose()
    }

    /// The S256 code challenge: base64url (no padding) of the verifier's SHA-256.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce")
            .field("verifier", &self.verifier)
            .field("challenge", &self.challenge)
            .finish()
    }
}

/// A random `state` for an authorization request: send it in the authorize URL, keep it, and
/// accept the callback only if it comes back unchanged (it ties the callback to the user's
/// session and defeats cross-site request forgery).
///
/// # Errors
///
/// When the operating system gives no random bytes.
pub fn random_state() -> Result<String, SignInError> {
    random_text(STATE_BYTES)
}

fn random_text(bytes: usize) -> Result<String, SignInError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| {
        SignInError::invalid(&format!("no random bytes from the operating system: {e}"))
    })?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            pkce.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(
            pkce.verifier(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        let shown = format!("{pkce:?}");
        assert!(
            !shown.contains("dBjftJ")
                && shown.contains("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            "{shown}"
        );
    }

    #[test]
    fn verifiers_are_random_and_well_formed() {
        let (a, b) = (Pkce::new().unwrap(), Pkce::new().unwrap());
        assert_ne!(a.verifier(), b.verifier());
        assert_eq!(a.verifier().len(), 86);
        assert!(Pkce::from_verifier(a.verifier()).is_ok());
        assert_eq!(
            Pkce::from_verifier(a.verifier()).unwrap().challenge(),
            a.challenge()
        );
        let state = random_state().unwrap();
        assert_eq!(state.len(), 43);
        assert_ne!(state, random_state().unwrap());
    }

    #[test]
    fn malformed_verifiers_are_refused() {
        assert!(Pkce::from_verifier("x".repeat(42)).is_err());
        assert!(Pkce::from_verifier("x".repeat(43)).is_ok());
        assert!(Pkce::from_verifier("x".repeat(128)).is_ok());
        assert!(Pkce::from_verifier("x".repeat(129)).is_err());
        assert!(Pkce::from_verifier(format!("{}+", "x".repeat(50))).is_err());
    }
}
