//! Semantic checks: what the YAML shape cannot say.
//!
//! Every check reports a [`Problem`] through [`Ctx::report`]: its [`Place`] is a JSON pointer
//! into the file, turned into a line and column by the file's [`Locations`].
//! All checks run, so one run reports every problem.

use std::collections::HashMap;
use std::path::Path;

use super::load::ServiceFiles;
use super::locate::Locations;
use crate::diagnostic::{Diagnostic, Sources};
use crate::naming;

mod auth;
mod groups;
mod models;
mod notifications;
mod operations;
mod paging;
mod parameters;
mod service;

pub use self::groups::placeholders;
pub use self::parameters::is_json_media;

/// Where a name was first defined, for duplicate reports.
#[derive(Clone)]
struct Site<'a> {
    file: &'a Path,
    pointer: String,
    locations: &'a Locations,
    original: String,
}

struct Ctx<'a> {
    sources: &'a Sources,
    errors: &'a mut Vec<Diagnostic>,
}

/// Whether a problem points at a mapping entry's key or at its value.
#[derive(Clone, Copy)]
enum At {
    Key,
    Value,
}

/// Where a problem is: a spec file, its line index, a JSON pointer into it, and whether the
/// key or the value there is meant.
struct Place<'a> {
    file: &'a Path,
    locations: &'a Locations,
    pointer: String,
    at: At,
}

impl<'a> Place<'a> {
    /// The value at `pointer` in `file`.
    fn value(file: &'a Path, locations: &'a Locations, pointer: &str) -> Place<'a> {
        Place {
            file,
            locations,
            pointer: pointer.to_owned(),
            at: At::Value,
        }
    }

    /// The key of the entry at `pointer` in `file`.
    fn key(file: &'a Path, locations: &'a Locations, pointer: &str) -> Place<'a> {
        Place {
            at: At::Key,
            ..Place::value(file, locations, pointer)
        }
    }
}

/// A problem in the spec, with its place: what is wrong, the label under the span, how to
/// mend it. Every check reports through [`Ctx::report`].
struct Problem<'a> {
    place: Place<'a>,
    message: String,
    label: &'a str,
    help: String,
}

impl Ctx<'_> {
    /// Reports `problem`, its pointer turned into a span of its file.
    fn report(&mut self, problem: Problem<'_>) {
        let Problem {
            place,
            message,
            label,
            help,
        } = problem;
        let span = match place.at {
            At::Key => place.locations.key(&place.pointer),
            At::Value => place.locations.value(&place.pointer),
        };
        self.errors.push(
            self.sources
                .diagnostic(place.file, span, message, label)
                .with_help(help),
        );
    }

    /// Registers the Rust name `key` of a spec name like [`Ctx::unique`], after checking that it
    /// can be emitted as an identifier at all.
    fn named<'a>(
        &mut self,
        seen: &mut HashMap<String, Site<'a>>,
        key: String,
        site: Site<'a>,
        what: &str,
    ) {
        if !naming::is_valid_ident(&key) {
            let d = self
                .sources
                .diagnostic(
                    site.file,
                    site.locations.value(&site.pointer),
                    format!(
                        "{what} `{}` cannot be turned into a Rust name",
                        site.original
                    ),
                    "not a usable name",
                )
                .with_help("use ASCII letters, digits and `_`, with at least one letter");
            self.errors.push(d);
            return;
        }
        self.unique(seen, key, site, what);
    }

    /// Registers `name` under `key` in `seen`; reports a duplicate if it is there already.
    fn unique<'a>(
        &mut self,
        seen: &mut HashMap<String, Site<'a>>,
        key: String,
        site: Site<'a>,
        what: &str,
    ) {
        if let Some(first) = seen.get(&key) {
            let same = first.original == site.original;
            let message = if same {
                format!("duplicate {what} `{}`", site.original)
            } else {
                format!(
                    "{what} `{}` and `{}` both become the Rust name `{key}`",
                    first.original, site.original
                )
            };
            let help = if same {
                format!("rename or remove one of the two {what}s")
            } else {
                "rename one of them so their Rust names differ".to_owned()
            };
            let d = self
                .sources
                .diagnostic(
                    site.file,
                    site.locations.anchor(&site.pointer),
                    message,
                    "defined again here",
                )
                .with_related(
                    first.file,
                    first.locations.anchor(&first.pointer),
                    "first defined here",
                )
                .with_help(help);
            self.errors.push(d);
        } else {
            seen.insert(key, site);
        }
    }
}

/// Checks every service; problems are appended to `errors`.
pub fn validate(services: &[ServiceFiles], sources: &Sources, errors: &mut Vec<Diagnostic>) {
    let mut ctx = Ctx { sources, errors };
    let mut service_names = HashMap::new();
    for s in services {
        let svc = &s.service;
        ctx.named(
            &mut service_names,
            naming::snake_ident(&svc.value.service).to_string(),
            Site {
                file: &svc.path,
                pointer: "/service".into(),
                locations: &svc.locations,
                original: svc.value.service.clone(),
            },
            "service",
        );
        service::check_service(&mut ctx, s);
        if let Some(names) = &s.names {
            for (pointer, message) in names.value.problems() {
                let help = "correct the entry, or delete it and run `cargo xtask codegen` to record the name anew".to_owned();
                ctx.report(Problem {
                    place: Place::value(&names.path, &names.locations, &pointer),
                    message,
                    label: "cannot be honoured",
                    help,
                });
            }
        }
    }
}

/// Records that `key` (a name or a route) goes with `partner`; reports a `key` seen before with
/// another partner. The same pair again (one operation in several groups) is fine.
fn one_to_one<'a>(
    ctx: &mut Ctx<'_>,
    seen: &mut HashMap<String, (String, Site<'a>)>,
    key: String,
    partner: String,
    site: Site<'a>,
    what: &str,
    partner_what: &str,
) {
    match seen.get(&key) {
        Some((first_partner, _)) if *first_partner == partner => {}
        Some((first_partner, first)) => {
            let d = ctx
                .sources
                .diagnostic(
                    site.file,
                    site.locations.anchor(&site.pointer),
                    format!("duplicate {what} `{}`: here with {partner_what} `{partner}`, before with `{first_partner}`", site.original),
                    "defined again here",
                )
                .with_related(first.file, first.locations.anchor(&first.pointer), "first defined here")
                .with_help(format!(
                    "an operation may appear in several groups only unchanged: give the two {what}s different names, or make them one operation"
                ));
            ctx.errors.push(d);
        }
        None => {
            seen.insert(key, (partner, site));
        }
    }
}

/// ", or did you mean `x`?" for the closest candidate, if one is close.
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| format!(", or did you mean `{c}`?"))
        .unwrap_or_default()
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::groups::normalize_path;
    use super::*;

    #[test]
    fn placeholders_are_extracted_and_malformed_templates_rejected() {
        assert_eq!(placeholders("/a/{x}/b/{y}").unwrap(), ["x", "y"]);
        assert!(placeholders("/a/{x").is_err());
        assert!(placeholders("/a/x}").is_err());
        assert!(placeholders("/a/{}").is_err());
    }

    #[test]
    fn routes_compare_without_placeholder_names() {
        assert_eq!(normalize_path("/r/{roleId}/u"), normalize_path("/r/{id}/u"));
    }
}
