//! A service file: its name, hosts, token flows and headers, and what it holds (models,
//! groups) checked in turn.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::groups::{check_group_name, check_topics, normalize_path};
use super::models::{check_model, check_model_ref};
use super::operations::check_operation;
use super::{Ctx, Place, Problem, Site};
use super::{auth, is_kebab, notifications, one_to_one};
use crate::naming;
use crate::spec::format::{GroupFile, ModelFile, Operation, ServiceFile};
use crate::spec::load::{Parsed, ServiceFiles};
use crate::spec::locate::Locations;

/// Models by name, each with its parsed file; a model whose file did not parse is there
/// without one (it is reported already: references to it are not errors too).
type Models<'a> = BTreeMap<&'a str, Option<&'a Parsed<ModelFile>>>;

/// Checks a service file and everything the service holds.
pub(super) fn check_service(ctx: &mut Ctx<'_>, s: &ServiceFiles) {
    let svc = &s.service;
    let (file, loc) = (svc.path.as_path(), &svc.locations);
    check_service_name(ctx, s);
    let models = models(s);
    check_models(ctx, s, &models);
    check_hosts(ctx, svc);
    check_token_header(ctx, file, loc, &svc.value);
    check_flows(ctx, svc);
    check_model_ref(
        ctx,
        file,
        loc,
        "/errors/body",
        &svc.value.errors.body,
        &models,
    );
    check_groups(ctx, s, &models);
    if let Some(n) = &svc.value.notifications {
        notifications::check(ctx, file, loc, n, &s.groups);
    }
}

/// The service is named for its folder, in kebab-case.
fn check_service_name(ctx: &mut Ctx<'_>, s: &ServiceFiles) {
    let svc = &s.service;
    let (file, loc) = (svc.path.as_path(), &svc.locations);
    let dir_name = s
        .dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if svc.value.service != dir_name {
        ctx.report(Problem {
            place: Place::value(file, loc, "/service"),
            message: format!(
                "service `{}` is declared in folder `{dir_name}`",
                svc.value.service
            ),
            label: "does not match the folder",
            help: format!(
                "name the service `{dir_name}` or rename the folder to `{}`",
                svc.value.service
            ),
        });
    }
    if !is_kebab(&svc.value.service) {
        ctx.report(Problem {
            place: Place::value(file, loc, "/service"),
            message: format!("service name `{}` is not kebab-case", svc.value.service),
            label: "not kebab-case",
            help: "use lowercase words joined by `-`, such as `genesys-cloud`".into(),
        });
    }
}

/// The service's models by name.
fn models(s: &ServiceFiles) -> Models<'_> {
    let mut models: Models<'_> = s
        .models
        .iter()
        .map(|m| (m.value.name.as_str(), Some(m)))
        .collect();
    // A model whose file did not parse is already reported; references to it are not errors too.
    models.extend(s.unparsed_models.iter().map(|n| (n.as_str(), None)));
    models
}

/// Each model: a Rust name of its own, and what `check_model` checks.
fn check_models(ctx: &mut Ctx<'_>, s: &ServiceFiles, models: &Models<'_>) {
    let mut model_idents = HashMap::new();
    for m in &s.models {
        ctx.named(
            &mut model_idents,
            naming::type_ident(&m.value.name),
            Site {
                file: &m.path,
                pointer: "/name".into(),
                locations: &m.locations,
                original: m.value.name.clone(),
            },
            "model",
        );
        check_model(ctx, m, models);
    }
}

/// Hosts: distinct `Region` names, bare https origins, and the default among them.
fn check_hosts(ctx: &mut Ctx<'_>, svc: &Parsed<ServiceFile>) {
    let (file, loc) = (svc.path.as_path(), &svc.locations);
    let hosts = &svc.value.hosts;
    let mut host_names = HashMap::new();
    for (i, h) in hosts.list.iter().enumerate() {
        let p = format!("/hosts/list/{i}");
        // Hosts become `Region` variants: two names with one variant would not compile.
        ctx.named(
            &mut host_names,
            naming::type_ident(&h.name),
            Site {
                file,
                pointer: format!("{p}/name"),
                locations: loc,
                original: h.name.clone(),
            },
            "host",
        );
        if !is_origin(&h.url) {
            ctx.report(Problem {
                place: Place::value(file, loc, &format!("{p}/url")),
                message: format!("host URL `{}` is not `https://<host>`", h.url),
                label: "not a bare https origin",
                help: "write the scheme and host only, without a path or trailing `/`".into(),
            });
        }
    }
    if !hosts.list.iter().any(|h| h.name == hosts.default) {
        ctx.report(Problem {
            place: Place::value(file, loc, "/hosts/default"),
            message: format!("default host `{}` is not in the host list", hosts.default),
            label: "unknown host",
            help: format!(
                "use one of: {}",
                hosts
                    .list
                    .iter()
                    .map(|h| h.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
}

/// Each token flow: what `auth::check_flow` checks, and a token URL on the API host that is a
/// valid https URL for every host, after the host rewrite.
fn check_flows(ctx: &mut Ctx<'_>, svc: &Parsed<ServiceFile>) {
    let (file, loc) = (svc.path.as_path(), &svc.locations);
    let hosts = &svc.value.hosts;
    for (i, f) in svc.value.auth.flows.iter().enumerate() {
        auth::check_flow(ctx, file, loc, i, f, &svc.value.auth.flows[..i]);
        if !f.token_url.starts_with("https://{host}/") {
            ctx.report(Problem { place: Place::value(file, loc, &format!("/auth/flows/{i}/token_url")), message: format!("token URL `{}` does not start with `https://{{host}}/`", f.token_url), label: "no `{host}` placeholder", help: "token endpoints live on the API host (or its rewrite); write `https://{host}/path`".into() });
            continue;
        }
        // The URL the runtime will call for each host, after the host rewrite.
        for h in hosts.list.iter().filter(|h| is_origin(&h.url)) {
            // `is_origin` accepts what `url` normalizes (`https:/x`); only `https://` hosts are checked here.
            let Some(host) = h.url.strip_prefix("https://") else {
                continue;
            };
            let host = match &f.host_rewrite {
                Some(r) if host.starts_with(r.from.as_str()) => {
                    format!("{}{}", r.to, &host[r.from.len()..])
                }
                _ => host.to_owned(),
            };
            let url = f.token_url.replace("{host}", &host);
            if !is_https_url(&url) {
                ctx.report(Problem { place: Place::value(file, loc, &format!("/auth/flows/{i}/token_url")), message: format!("token URL `{}` gives `{url}` for host `{}`, which is not a valid https URL", f.token_url, h.name), label: "not a valid URL", help: "check the path and the host rewrite".into() });
                break;
            }
        }
    }
}

/// Every name and route seen so far in the service, with its partner (see [`one_to_one`]).
#[derive(Default)]
struct NamesAndRoutes<'a> {
    names: HashMap<String, (String, Site<'a>)>,
    routes: HashMap<String, (String, Site<'a>)>,
}

/// Groups and operations. The vendor documents some operations in several groups (SDK
/// classes): one operation may appear in several groups, as long as a name always means one
/// route and a route one name. Within a group (one impl), names and legacy names are unique.
fn check_groups(ctx: &mut Ctx<'_>, s: &ServiceFiles, models: &Models<'_>) {
    let svc = &s.service;
    let mut group_idents = HashMap::new();
    let mut pairs = NamesAndRoutes::default();
    let mut topics = HashMap::new();
    for g in &s.groups {
        let (gfile, gloc) = (g.path.as_path(), &g.locations);
        check_group_name(ctx, g);
        ctx.named(
            &mut group_idents,
            naming::snake_ident(&g.value.group).to_string(),
            Site {
                file: gfile,
                pointer: "/group".into(),
                locations: gloc,
                original: g.value.group.clone(),
            },
            "group",
        );
        let mut op_idents: HashMap<String, Site<'_>> = HashMap::new();
        for (i, op) in g.value.operations.iter().enumerate() {
            let p = format!("/operations/{i}");
            check_operation_names(ctx, g, &p, op, &mut op_idents, &mut pairs);
            check_operation(ctx, gfile, gloc, &p, op, svc.value.authorization, models);
        }
        check_topics(ctx, gfile, gloc, &g.value, models, &mut topics);
    }
}

/// An operation's name and legacy names: unique in its group, and one to one with its route
/// across the service.
fn check_operation_names<'a>(
    ctx: &mut Ctx<'_>,
    g: &'a Parsed<GroupFile>,
    p: &str,
    op: &'a Operation,
    op_idents: &mut HashMap<String, Site<'a>>,
    pairs: &mut NamesAndRoutes<'a>,
) {
    let (gfile, gloc) = (g.path.as_path(), &g.locations);
    let route = format!("{} {}", op.method, normalize_path(&op.path));
    let mut name_sites = vec![(op.name.clone(), format!("{p}/name"))];
    name_sites.extend(
        op.legacy_names
            .iter()
            .enumerate()
            .map(|(j, l)| (l.clone(), format!("{p}/legacy_names/{j}"))),
    );
    for (name, pointer) in name_sites {
        let site = Site {
            file: gfile,
            pointer,
            locations: gloc,
            original: name.clone(),
        };
        ctx.named(
            op_idents,
            naming::snake_ident(&name).to_string(),
            site.clone(),
            "operation name",
        );
        one_to_one(
            ctx,
            &mut pairs.names,
            naming::snake_ident(&name).to_string(),
            route.clone(),
            site,
            "operation name",
            "route",
        );
    }
    let site = Site {
        file: gfile,
        pointer: format!("{p}/path"),
        locations: gloc,
        original: route.clone(),
    };
    one_to_one(
        ctx,
        &mut pairs.routes,
        route,
        naming::snake_ident(&op.name).to_string(),
        site,
        "route",
        "operation name",
    );
}

/// Whether `url` is `https://host[:port]` and nothing more.
pub(super) fn is_origin(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str().is_some_and(|h| !h.is_empty())
            && u.username().is_empty()
            && u.password().is_none()
            && u.query().is_none()
            && u.fragment().is_none()
            && u.path() == "/"
            && !url.ends_with('/')
    })
}

/// Whether `url` is an https URL with a host, as the runtime can call it.
pub(super) fn is_https_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str().is_some_and(|h| !h.is_empty())
            && u.fragment().is_none()
    })
}

/// The token header's name and prefix, and the correlation header, must be sendable as HTTP.
pub(super) fn check_token_header(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    svc: &ServiceFile,
) {
    let header = &svc.auth.token_header;
    if http::HeaderName::from_bytes(header.name.as_bytes()).is_err() {
        ctx.report(Problem {
            place: Place::value(file, loc, "/auth/token_header/name"),
            message: format!("`{}` is not a valid HTTP header name", header.name),
            label: "not a header name",
            help: "header names are ASCII letters, digits and `!#$%&'*+-.^_`|~`, without spaces"
                .into(),
        });
    }
    if http::HeaderValue::from_str(&header.prefix).is_err() {
        ctx.report(Problem {
            place: Place::value(file, loc, "/auth/token_header/prefix"),
            message: format!(
                "the token prefix `{}` cannot be sent in an HTTP header",
                header.prefix.escape_debug()
            ),
            label: "not a header value",
            help: "use visible ASCII characters and spaces".into(),
        });
    }
    if let Some(name) = &svc.errors.correlation_header {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            ctx.report(Problem {
                place: Place::value(file, loc, "/errors/correlation_header"),
                message: format!("`{name}` is not a valid HTTP header name"),
                label: "not a header name",
                help:
                    "header names are ASCII letters, digits and `!#$%&'*+-.^_`|~`, without spaces"
                        .into(),
            });
        }
    }
}
