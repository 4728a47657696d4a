//! A service's user sign-in flows: what each grant needs beyond a token endpoint (the
//! authorize endpoint of the code grants, the caller's own form fields) and that a grant is
//! declared once, since the runtime runs the first flow of a grant.

use std::path::Path;

use super::{Ctx, Place, Problem};
use crate::spec::format::{AuthFlow, Grant};
use crate::spec::locate::Locations;

/// Checks flow `i` (`f`), given the flows before it.
pub(super) fn check_flow(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    i: usize,
    f: &AuthFlow,
    before: &[AuthFlow],
) {
    let pointer = format!("/auth/flows/{i}");
    if before.iter().any(|b| b.grant == f.grant) {
        ctx.report(Problem {
            place: Place::value(file, loc, &format!("{pointer}/grant")),
            message: format!("a second `{}` flow", grant_name(f.grant)),
            label: "declared twice",
            help: "the client runs the first flow of a grant: keep one".into(),
        });
    }
    let code_grant = matches!(f.grant, Grant::AuthorizationCode | Grant::Pkce);
    match (&f.authorize_url, code_grant) {
        (None, true) => ctx.report(Problem { place: Place::key(file, loc, &pointer), message: format!("the `{}` flow has no `authorize_url`", grant_name(f.grant)), label: "no authorize endpoint", help: "add `authorize_url: https://{host}/oauth/authorize` (where the user signs in)".into() }),
        (Some(_), false) => ctx.report(Problem { place: Place::key(file, loc, &format!("{pointer}/authorize_url")), message: format!("the `{}` flow sends no user to an authorize endpoint", grant_name(f.grant)), label: "only for code grants", help: "remove it: only `authorization_code` and `pkce` flows have one".into() }),
        (Some(url), true) if !url.starts_with("https://{host}/") => ctx.report(Problem { place: Place::value(file, loc, &format!("{pointer}/authorize_url")), message: format!("authorize URL `{url}` does not start with `https://{{host}}/`"), label: "no `{host}` placeholder", help: "authorize endpoints live on the API host (or its rewrite); write `https://{host}/path`".into() }),
        _ => {}
    }
    for (argument, field) in &f.parameters {
        let snake = argument
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
            && argument
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !snake || field.is_empty() {
            ctx.report(Problem {
                place: Place::key(file, loc, &format!("{pointer}/parameters/{argument}")),
                message: format!(
                    "parameter `{argument}: {field}` is not `snake_case_argument: formField`"
                ),
                label: "not a parameter",
                help: "name the argument in snake_case and give the form field it is sent as"
                    .into(),
            });
        }
    }
}

fn grant_name(g: Grant) -> &'static str {
    match g {
        Grant::ClientCredentials => "client_credentials",
        Grant::ApiToken => "api_token",
        Grant::AuthorizationCode => "authorization_code",
        Grant::Pkce => "pkce",
        Grant::RefreshToken => "refresh_token",
        Grant::Saml2Bearer => "saml2_bearer",
    }
}
