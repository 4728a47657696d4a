//! Semantic checks: what the YAML shape cannot say.
//!
//! Every check reports through [`Ctx::error`] with a JSON pointer into the file;
//! the pointer is turned into a line and column by the file's [`Locations`].
//! All checks run, so one run reports every problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use heck::ToSnakeCase;

use super::format::{
    AuthorizationKind, GroupFile, Location, Method, ModelFile, Operation, Paging, Parameter,
    Requirement, Scalar, ServiceFile,
};
use super::load::{Parsed, ServiceFiles};
use super::locate::{Locations, escape};
use super::types::{Scalar as S, TypeExpr};
use crate::diagnostic::{Diagnostic, Sources};
use crate::naming;

mod auth;
mod notifications;

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

/// Whether an error points at a mapping entry's key or at its value.
#[derive(Clone, Copy)]
enum At {
    Key,
    Value,
}

impl Ctx<'_> {
    // Every argument is a distinct part of the diagnostic; a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    fn error(
        &mut self,
        file: &Path,
        loc: &Locations,
        pointer: &str,
        at: At,
        message: String,
        label: &str,
        help: String,
    ) {
        let span = match at {
            At::Key => loc.key(pointer),
            At::Value => loc.value(pointer),
        };
        self.errors.push(
            self.sources
                .diagnostic(file, span, message, label)
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
        check_service(&mut ctx, s);
        if let Some(names) = &s.names {
            for (pointer, message) in names.value.problems() {
                let help = "correct the entry, or delete it and run `cargo xtask codegen` to record the name anew".to_owned();
                ctx.error(
                    &names.path,
                    &names.locations,
                    &pointer,
                    At::Value,
                    message,
                    "cannot be honoured",
                    help,
                );
            }
        }
    }
}

fn check_service(ctx: &mut Ctx<'_>, s: &ServiceFiles) {
    let svc = &s.service;
    let (file, loc) = (svc.path.as_path(), &svc.locations);
    let dir_name = s
        .dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if svc.value.service != dir_name {
        ctx.error(
            file,
            loc,
            "/service",
            At::Value,
            format!(
                "service `{}` is declared in folder `{dir_name}`",
                svc.value.service
            ),
            "does not match the folder",
            format!(
                "name the service `{dir_name}` or rename the folder to `{}`",
                svc.value.service
            ),
        );
    }
    if !is_kebab(&svc.value.service) {
        ctx.error(
            file,
            loc,
            "/service",
            At::Value,
            format!("service name `{}` is not kebab-case", svc.value.service),
            "not kebab-case",
            "use lowercase words joined by `-`, such as `genesys-cloud`".into(),
        );
    }

    // Models: names, files, fields.
    let mut models: BTreeMap<&str, Option<&Parsed<ModelFile>>> = s
        .models
        .iter()
        .map(|m| (m.value.name.as_str(), Some(m)))
        .collect();
    // A model whose file did not parse is already reported; references to it are not errors too.
    models.extend(s.unparsed_models.iter().map(|n| (n.as_str(), None)));
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
        check_model(ctx, m, &models);
    }

    // Hosts.
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
            ctx.error(
                file,
                loc,
                &format!("{p}/url"),
                At::Value,
                format!("host URL `{}` is not `https://<host>`", h.url),
                "not a bare https origin",
                "write the scheme and host only, without a path or trailing `/`".into(),
            );
        }
    }
    if !hosts.list.iter().any(|h| h.name == hosts.default) {
        ctx.error(
            file,
            loc,
            "/hosts/default",
            At::Value,
            format!("default host `{}` is not in the host list", hosts.default),
            "unknown host",
            format!(
                "use one of: {}",
                hosts
                    .list
                    .iter()
                    .map(|h| h.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    check_token_header(ctx, file, loc, &svc.value);
    for (i, f) in svc.value.auth.flows.iter().enumerate() {
        auth::check_flow(ctx, file, loc, i, f, &svc.value.auth.flows[..i]);
        if !f.token_url.starts_with("https://{host}/") {
            ctx.error(
                file,
                loc,
                &format!("/auth/flows/{i}/token_url"),
                At::Value,
                format!("token URL `{}` does not start with `https://{{host}}/`", f.token_url),
                "no `{host}` placeholder",
                "token endpoints live on the API host (or its rewrite); write `https://{host}/path`".into(),
            );
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
                ctx.error(
                    file,
                    loc,
                    &format!("/auth/flows/{i}/token_url"),
                    At::Value,
                    format!("token URL `{}` gives `{url}` for host `{}`, which is not a valid https URL", f.token_url, h.name),
                    "not a valid URL",
                    "check the path and the host rewrite".into(),
                );
                break;
            }
        }
    }
    check_model_ref(
        ctx,
        file,
        loc,
        "/errors/body",
        &svc.value.errors.body,
        &models,
    );

    // Groups and operations. The vendor documents some operations in several groups (SDK
    // classes): one operation may appear in several groups, as long as a name always means one
    // route and a route one name. Within a group (one impl), names and legacy names are unique.
    let mut group_idents = HashMap::new();
    let mut names: HashMap<String, (String, Site<'_>)> = HashMap::new();
    let mut routes: HashMap<String, (String, Site<'_>)> = HashMap::new();
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
                    &mut op_idents,
                    naming::snake_ident(&name).to_string(),
                    site.clone(),
                    "operation name",
                );
                one_to_one(
                    ctx,
                    &mut names,
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
                &mut routes,
                route,
                naming::snake_ident(&op.name).to_string(),
                site,
                "route",
                "operation name",
            );
            check_operation(ctx, gfile, gloc, &p, op, svc.value.authorization, &models);
        }
        check_topics(ctx, gfile, gloc, &g.value, &models, &mut topics);
    }
    if let Some(n) = &svc.value.notifications {
        notifications::check(ctx, file, loc, n, &s.groups);
    }
}

/// A group's topics: names with a Rust form, unique in the group; templates of `v2.` and
/// non-empty segments whose `{parameters}` are snake_case and distinct; one topic in one group;
/// payloads that are models.
fn check_topics<'a>(
    ctx: &mut Ctx<'_>,
    file: &'a Path,
    loc: &'a Locations,
    g: &GroupFile,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
    seen: &mut HashMap<String, Site<'a>>,
) {
    let mut names = HashMap::new();
    for (i, t) in g.topics.iter().enumerate() {
        let p = format!("/topics/{i}");
        ctx.named(
            &mut names,
            naming::snake_ident(&t.name).to_string(),
            Site {
                file,
                pointer: format!("{p}/name"),
                locations: loc,
                original: t.name.clone(),
            },
            "topic",
        );
        if t.name.to_snake_case() != t.name {
            ctx.error(
                file,
                loc,
                &format!("{p}/name"),
                At::Value,
                format!("topic name `{}` is not snake_case", t.name),
                "not snake_case",
                format!("write `{}`", t.name.to_snake_case()),
            );
        }
        ctx.unique(
            seen,
            t.topic.clone(),
            Site {
                file,
                pointer: format!("{p}/topic"),
                locations: loc,
                original: t.topic.clone(),
            },
            "topic",
        );
        let segments: Vec<&str> = t.topic.split('.').collect();
        let mut params: HashSet<String> = HashSet::new();
        let bad_segment = segments.iter().find(|seg| {
            match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => {
                    param.to_snake_case() != *param
                        || !naming::is_valid_ident(&naming::snake_ident(param).to_string())
                        || !params.insert(param.to_owned())
                }
                None => {
                    seg.is_empty()
                        || !seg
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                }
            }
        });
        if segments.first() != Some(&"v2") || segments.len() < 2 || bad_segment.is_some() {
            ctx.error(
                file,
                loc,
                &format!("{p}/topic"),
                At::Value,
                format!(
                    "topic `{}` is not a template of the notification service{}",
                    t.topic,
                    bad_segment.map(|s| format!(" (segment `{s}`)")).unwrap_or_default()
                ),
                "not a topic template",
                "write `v2.` then dot-separated segments of letters, digits, `_` and `-`, or `{name}` parameters (snake_case, each once)"
                    .into(),
            );
        }
        check_model_ref(ctx, file, loc, &format!("{p}/payload"), &t.payload, models);
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

/// Whether `url` is `https://host[:port]` and nothing more.
fn is_origin(url: &str) -> bool {
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
fn is_https_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str().is_some_and(|h| !h.is_empty())
            && u.fragment().is_none()
    })
}

/// The token header's name and prefix, and the correlation header, must be sendable as HTTP.
fn check_token_header(ctx: &mut Ctx<'_>, file: &Path, loc: &Locations, svc: &ServiceFile) {
    let header = &svc.auth.token_header;
    if http::HeaderName::from_bytes(header.name.as_bytes()).is_err() {
        ctx.error(
            file,
            loc,
            "/auth/token_header/name",
            At::Value,
            format!("`{}` is not a valid HTTP header name", header.name),
            "not a header name",
            "header names are ASCII letters, digits and `!#$%&'*+-.^_`|~`, without spaces".into(),
        );
    }
    if http::HeaderValue::from_str(&header.prefix).is_err() {
        ctx.error(
            file,
            loc,
            "/auth/token_header/prefix",
            At::Value,
            format!(
                "the token prefix `{}` cannot be sent in an HTTP header",
                header.prefix.escape_debug()
            ),
            "not a header value",
            "use visible ASCII characters and spaces".into(),
        );
    }
    if let Some(name) = &svc.errors.correlation_header {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            ctx.error(
                file,
                loc,
                "/errors/correlation_header",
                At::Value,
                format!("`{name}` is not a valid HTTP header name"),
                "not a header name",
                "header names are ASCII letters, digits and `!#$%&'*+-.^_`|~`, without spaces"
                    .into(),
            );
        }
    }
}

/// Names a group cannot have: the service module's other items, `Client`'s methods, and
/// `other_models`, whose feature (`<service>-other_models`) compiles the models no operation reaches.
const RESERVED_GROUPS: &[&str] = &[
    "models",
    "builder",
    "transport",
    "clone",
    "fmt",
    "client",
    "region",
    "operations",
    "auth",
    "error",
    "other_models",
    "topics",
    "double",
    "notifications_stream",
];

fn check_group_name(ctx: &mut Ctx<'_>, g: &Parsed<GroupFile>) {
    let stem = g
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let name = &g.value.group;
    if name != stem {
        ctx.error(
            &g.path,
            &g.locations,
            "/group",
            At::Value,
            format!("group `{name}` is declared in file `{stem}.yaml`"),
            "does not match the file name",
            format!("name the group `{stem}` or the file `{name}.yaml`"),
        );
    }
    if name.to_snake_case() != *name {
        ctx.error(
            &g.path,
            &g.locations,
            "/group",
            At::Value,
            format!("group name `{name}` is not snake_case"),
            "not snake_case",
            format!("write `{}`", name.to_snake_case()),
        );
    }
    // A group is a module of the service and a method of its `Client`: it cannot be a keyword
    // or take the name of the service's other modules and `Client`'s own methods.
    if naming::snake_ident(name).to_string() != *name || RESERVED_GROUPS.contains(&name.as_str()) {
        ctx.error(
            &g.path,
            &g.locations,
            "/group",
            At::Value,
            format!("group name `{name}` is reserved in Rust or in the generated client"),
            "reserved name",
            format!("rename the group (and its file), such as `{name}_api`"),
        );
    }
    if g.value.operations.is_empty() {
        ctx.error(
            &g.path,
            &g.locations,
            "/operations",
            At::Key,
            format!("group `{name}` has no operations"),
            "empty",
            "add operations or remove the file".into(),
        );
    }
}

/// A path with every placeholder's name erased, so `/a/{x}` and `/a/{y}` compare equal.
fn normalize_path(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push_str("{}");
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The `{placeholder}` names of a path template, or a description of why it is malformed.
pub fn placeholders(path: &str) -> Result<Vec<String>, String> {
    super::types::PathTemplate::parse(path).map(|t| t.placeholders().map(str::to_owned).collect())
}

fn check_operation(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    op: &Operation,
    kind: AuthorizationKind,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    if op.name.to_snake_case() != op.name {
        ctx.error(
            file,
            loc,
            &format!("{p}/name"),
            At::Value,
            format!("operation name `{}` is not snake_case", op.name),
            "not snake_case",
            format!("write `{}`", op.name.to_snake_case()),
        );
    }
    for (j, legacy) in op.legacy_names.iter().enumerate() {
        if legacy.to_snake_case() != *legacy {
            ctx.error(
                file,
                loc,
                &format!("{p}/legacy_names/{j}"),
                At::Value,
                format!("legacy name `{legacy}` is not snake_case"),
                "not snake_case",
                format!("write `{}`", legacy.to_snake_case()),
            );
        }
    }
    if op.summary.trim().is_empty() {
        ctx.error(
            file,
            loc,
            &format!("{p}/summary"),
            At::Value,
            format!("operation `{}` has an empty summary", op.name),
            "empty",
            "copy the one-line summary from the documentation".into(),
        );
    }

    // Path template against path parameters.
    let path_ptr = format!("{p}/path");
    let owned_holes = if !op.path.starts_with('/') {
        ctx.error(
            file,
            loc,
            &path_ptr,
            At::Value,
            format!("path `{}` does not start with `/`", op.path),
            "not an absolute path",
            "write the path from the host's root, such as `/api/v2/...`".into(),
        );
        Vec::new()
    } else {
        match placeholders(&op.path) {
            Ok(h) => h,
            Err(why) => {
                ctx.error(
                    file,
                    loc,
                    &path_ptr,
                    At::Value,
                    format!("path `{}` {why}", op.path),
                    "malformed template",
                    "placeholders are written `{name}` with the path parameter's wire name".into(),
                );
                Vec::new()
            }
        }
    };
    let holes: Vec<&str> = owned_holes.iter().map(String::as_str).collect();
    let path_params: Vec<(usize, &Parameter)> = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, q)| q.location == Location::Path)
        .collect();
    let mut seen_holes = HashSet::new();
    for hole in &holes {
        if !seen_holes.insert(*hole) {
            ctx.error(
                file,
                loc,
                &path_ptr,
                At::Value,
                format!("path `{}` has the placeholder `{{{hole}}}` twice", op.path),
                "repeated placeholder",
                "each path parameter appears once in the template".into(),
            );
        }
        if !path_params.iter().any(|(_, q)| q.wire_name == *hole) {
            ctx.error(
                file,
                loc,
                &path_ptr,
                At::Value,
                format!("path placeholder `{{{hole}}}` of `{}` has no path parameter", op.name),
                "no parameter for this placeholder",
                format!("add a parameter with `wire_name: {hole}` and `in: path`, or remove the placeholder"),
            );
        }
    }
    for (j, q) in &path_params {
        if !holes.contains(&q.wire_name.as_str()) {
            ctx.error(
                file,
                loc,
                &format!("{p}/parameters/{j}/wire_name"),
                At::Value,
                format!(
                    "path parameter `{}` is not in the path `{}`",
                    q.wire_name, op.path
                ),
                "not in the path template",
                format!(
                    "add `{{{}}}` to the path, or correct the wire name{}",
                    q.wire_name,
                    suggest(&q.wire_name, holes.iter().copied())
                ),
            );
        }
    }

    // Parameters.
    let mut names = HashMap::new();
    let mut wires = HashMap::new();
    for (j, q) in op.parameters.iter().enumerate() {
        let qp = format!("{p}/parameters/{j}");
        ctx.named(
            &mut names,
            naming::snake_ident(&q.name).to_string(),
            Site {
                file,
                pointer: format!("{qp}/name"),
                locations: loc,
                original: q.name.clone(),
            },
            "parameter",
        );
        if q.name != "body" && q.name.to_snake_case() != q.name {
            ctx.error(
                file,
                loc,
                &format!("{qp}/name"),
                At::Value,
                format!("parameter name `{}` is not snake_case", q.name),
                "not snake_case",
                format!("write `{}`", q.name.to_snake_case()),
            );
        }
        // Header names are case-blind on the wire: `If-Match` and `if-match` are one header.
        let wire = if q.location == Location::Header {
            q.wire_name.to_ascii_lowercase()
        } else {
            q.wire_name.clone()
        };
        ctx.unique(
            &mut wires,
            format!("{:?} {wire}", q.location),
            Site {
                file,
                pointer: format!("{qp}/wire_name"),
                locations: loc,
                original: format!("{:?} {}", q.location, q.wire_name),
            },
            "wire name",
        );
        check_parameter(ctx, file, loc, &qp, q);
    }
    if op
        .parameters
        .iter()
        .any(|q| naming::snake_ident(&q.name).to_string() == "body")
        && op.body.is_some()
    {
        ctx.error(
            file,
            loc,
            &format!("{p}/body"),
            At::Key,
            format!(
                "operation `{}` has both a body and a parameter named `body`",
                op.name
            ),
            "clashes with a parameter",
            "rename the parameter".into(),
        );
    }

    // Body, return type, media types, errors.
    if let Some(body) = &op.body {
        check_type(ctx, file, loc, &format!("{p}/body/type"), &body.ty, models);
    }
    if let Some(ret) = &op.returns {
        check_type(ctx, file, loc, &format!("{p}/returns"), ret, models);
    }
    check_media(ctx, file, loc, p, op);
    if let Some(paging) = &op.paging {
        check_paging(ctx, file, loc, &format!("{p}/paging"), op, paging, models);
    }
    let mut statuses = HashMap::new();
    for (j, e) in op.errors.iter().enumerate() {
        let ep = format!("{p}/errors/{j}");
        if !(400..=599).contains(&e.status) {
            ctx.error(
                file,
                loc,
                &format!("{ep}/status"),
                At::Value,
                format!("error status {} is not an error", e.status),
                "not 4xx or 5xx",
                "document error responses only; the success type goes in `returns`".into(),
            );
        }
        ctx.unique(
            &mut statuses,
            e.status.to_string(),
            Site {
                file,
                pointer: format!("{ep}/status"),
                locations: loc,
                original: e.status.to_string(),
            },
            "error status",
        );
        if let Some(body) = &e.body {
            check_model_ref(ctx, file, loc, &format!("{ep}/body"), body, models);
        }
    }
    for key in op.extensions.keys() {
        if !key.starts_with("x-") {
            ctx.error(
                file,
                loc,
                &format!("{p}/extensions/{}", escape(key)),
                At::Key,
                format!("vendor extension `{key}` does not start with `x-`"),
                "not a vendor extension",
                "vendor extensions are named `x-…`; other facts have their own keys".into(),
            );
        }
    }

    // Authorization requirement.
    let rp = format!("{p}/requires");
    match (&op.requires, kind) {
        (None, _) => {}
        (Some(Requirement::AccessPolicy(policy)), AuthorizationKind::AccessPolicy) => {
            if policy.roles.is_empty() {
                ctx.error(
                    file,
                    loc,
                    &format!("{rp}/access_policy/roles"),
                    At::Key,
                    "an access policy names no role".into(),
                    "empty",
                    "list the roles the documentation names".into(),
                );
            }
            if !policy.user_accounts && !policy.service_accounts {
                ctx.error(
                    file,
                    loc,
                    &format!("{rp}/access_policy"),
                    At::Key,
                    "the access policy allows no kind of account".into(),
                    "nobody may call",
                    "set `user_accounts` or `service_accounts` to true".into(),
                );
            }
        }
        (Some(Requirement::None), AuthorizationKind::Permissions) => {}
        (Some(Requirement::Any(list) | Requirement::All(list)), AuthorizationKind::Permissions) => {
            let kind = if matches!(op.requires, Some(Requirement::Any(_))) {
                "any"
            } else {
                "all"
            };
            if list.is_empty() {
                ctx.error(
                    file,
                    loc,
                    &format!("{rp}/{kind}"),
                    At::Key,
                    "the permission list is empty".into(),
                    "empty",
                    "list the permissions, or write `requires: none` when the documentation says none are needed".into(),
                );
            }
            let mut seen = HashMap::new();
            for (j, perm) in list.iter().enumerate() {
                let pp = format!("{rp}/{kind}/{j}");
                ctx.unique(
                    &mut seen,
                    perm.clone(),
                    Site {
                        file,
                        pointer: pp.clone(),
                        locations: loc,
                        original: perm.clone(),
                    },
                    "permission",
                );
                if perm.is_empty() || perm.chars().any(char::is_whitespace) {
                    ctx.error(
                        file,
                        loc,
                        &pp,
                        At::Value,
                        format!("`{perm}` is not a permission"),
                        "malformed permission",
                        "permissions are `domain:entity:action` strings or legacy names such as `admin`".into(),
                    );
                }
            }
        }
        (Some(_), kind) => {
            let expected = match kind {
                AuthorizationKind::Permissions => "`any: [...]`, `all: [...]` or `none`",
                AuthorizationKind::AccessPolicy => "`access_policy: {...}`",
            };
            ctx.error(
                file,
                loc,
                &rp,
                At::Key,
                "this kind of requirement does not fit the service".into(),
                "wrong kind",
                format!(
                    "service.yaml declares `authorization: {}`; write {expected}",
                    match kind {
                        AuthorizationKind::Permissions => "permissions",
                        AuthorizationKind::AccessPolicy => "access_policy",
                    }
                ),
            );
        }
    }
    if !op.legacy_permissions.is_empty() && !op.requires.as_ref().is_some_and(Requirement::widens) {
        ctx.error(
            file,
            loc,
            &format!("{p}/legacy_permissions"),
            At::Key,
            "legacy permissions need a requirement they can widen".into(),
            "nothing to widen",
            "legacy permissions are alternatives: use them with `requires: {any: [...]}` (or an `all` of one permission)".into(),
        );
    }
    let mut seen = HashMap::new();
    for (j, perm) in op.legacy_permissions.iter().enumerate() {
        let documented = matches!(&op.requires, Some(Requirement::Any(l) | Requirement::All(l)) if l.contains(perm));
        let pp = format!("{p}/legacy_permissions/{j}");
        ctx.unique(
            &mut seen,
            perm.clone(),
            Site {
                file,
                pointer: pp.clone(),
                locations: loc,
                original: perm.clone(),
            },
            "legacy permission",
        );
        if documented || perm.is_empty() || perm.chars().any(char::is_whitespace) {
            ctx.error(
                file,
                loc,
                &pp,
                At::Value,
                if documented { format!("`{perm}` is also in `requires`") } else { format!("`{perm}` is not a permission") },
                "not a legacy permission",
                "list here only the permissions older documentation named that `requires` no longer does".into(),
            );
        }
    }
}

/// Headers the client sets itself: a parameter cannot carry them.
const CLIENT_HEADERS: [&str; 5] = [
    "accept",
    "content-type",
    "content-length",
    "authorization",
    "host",
];

/// A header parameter's wire name is a header name the client may send.
fn check_header_parameter(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    qp: &str,
    q: &Parameter,
) {
    let pointer = format!("{qp}/wire_name");
    if http::HeaderName::from_bytes(q.wire_name.as_bytes()).is_err() {
        ctx.error(
            file,
            loc,
            &pointer,
            At::Value,
            format!(
                "header parameter `{}`: `{}` is not a valid HTTP header name",
                q.name, q.wire_name
            ),
            "not a header name",
            "header names are ASCII letters, digits and `!#$%&'*+-.^_`|~`, without spaces".into(),
        );
    } else if CLIENT_HEADERS.contains(&q.wire_name.to_ascii_lowercase().as_str()) {
        ctx.error(
            file,
            loc,
            &pointer,
            At::Value,
            format!("header parameter `{}`: the client sets `{}` itself", q.name, q.wire_name),
            "set by the client",
            "`Accept` and `Content-Type` follow `produces` and `consumes`; the token header is the service's".into(),
        );
    }
}

/// Whether a media type's body is JSON: `application/json` or a `+json` suffix
/// (`application/scim+json`).
pub fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// `type/subtype`, each an HTTP token (RFC 9110 §8.3.1), no wildcard and no parameters.
fn is_media_type(media: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t != "*"
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    media
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
}

/// `consumes` and `produces`: media types (`type/subtype`), a request media type only with a
/// body, and a text response (no JSON media type) returned as `string`.
fn check_media(ctx: &mut Ctx<'_>, file: &Path, loc: &Locations, p: &str, op: &Operation) {
    for (key, list) in [("consumes", &op.consumes), ("produces", &op.produces)] {
        if list.is_empty() {
            ctx.error(
                file,
                loc,
                &format!("{p}/{key}"),
                At::Key,
                format!("operation `{}` lists no media type in `{key}`", op.name),
                "empty",
                "list at least one, or remove the key for `application/json`".into(),
            );
        }
        for (j, media) in list.iter().enumerate() {
            if !is_media_type(media) {
                ctx.error(
                    file,
                    loc,
                    &format!("{p}/{key}/{j}"),
                    At::Value,
                    format!("`{media}` is not a media type"),
                    "not `type/subtype`",
                    "write a media type without parameters or wildcards: `application/json`, `text/plain`".into(),
                );
            }
        }
    }
    if op.body.is_none() && op.consumes != ["application/json"] {
        let why = if matches!(op.method, Method::Get | Method::Head) {
            format!("a {} has no body, so no body type", op.method)
        } else {
            format!(
                "operation `{}` has no body to send as `{}`",
                op.name,
                op.consumes.join("`, `")
            )
        };
        ctx.error(
            file,
            loc,
            &format!("{p}/consumes"),
            At::Key,
            why,
            "no body",
            "remove `consumes`, or add the `body`".into(),
        );
    }
    let json = op.produces.iter().any(|m| is_json_media(m));
    if !json && !op.produces.is_empty() && op.returns.as_deref().is_some_and(|r| r != "string") {
        ctx.error(
            file,
            loc,
            &format!("{p}/returns"),
            At::Value,
            format!(
                "operation `{}` answers `{}`, which is text, but returns `{}`",
                op.name,
                op.produces.join("`, `"),
                op.returns.as_deref().unwrap_or_default()
            ),
            "a text response is a string",
            "return `string`, or add `application/json` to `produces`".into(),
        );
    }
}

fn check_parameter(ctx: &mut Ctx<'_>, file: &Path, loc: &Locations, qp: &str, q: &Parameter) {
    let ty = match TypeExpr::parse(&q.ty) {
        Ok(t) => t,
        Err(e) => {
            ctx.error(
                file,
                loc,
                &format!("{qp}/type"),
                At::Value,
                e.message,
                "invalid type",
                e.help,
            );
            return;
        }
    };
    let simple = |t: &TypeExpr| {
        matches!(
            t,
            TypeExpr::Scalar(S::String | S::Int32 | S::Int64 | S::Boolean | S::Number)
        )
    };
    // Dates travel in the query as ISO 8601 text (`2024-01-31`, `2024-01-31T10:00:00.000Z`).
    let query = |t: &TypeExpr| simple(t) || matches!(t, TypeExpr::Scalar(S::Date | S::DateTime));
    let is_list = matches!(ty, TypeExpr::List(_));
    let ok = match (&ty, q.location) {
        (TypeExpr::List(item), Location::Query) => query(item),
        (t, Location::Query) => query(t),
        (t, Location::Path) => simple(t) || matches!(t, TypeExpr::Scalar(S::Date)),
        (t, Location::Header) => simple(t),
    };
    if !ok {
        ctx.error(
            file,
            loc,
            &format!("{qp}/type"),
            At::Value,
            format!("parameter `{}` cannot have type `{ty}`", q.name),
            "not a parameter type",
            "parameters are string, int32, int64, number or boolean; query parameters may also be dates or list<…> of those".into(),
        );
    }
    if q.location == Location::Header {
        check_header_parameter(ctx, file, loc, qp, q);
    }
    if q.location == Location::Path && !q.required {
        ctx.error(
            file,
            loc,
            &format!("{qp}/in"),
            At::Value,
            format!("path parameter `{}` is not marked required", q.name),
            "path parameters are always required",
            "add `required: true`".into(),
        );
    }
    match (is_list, q.array_encoding) {
        (true, None) => ctx.error(
            file,
            loc,
            &format!("{qp}/type"),
            At::Value,
            format!("list parameter `{}` does not say how it is encoded", q.name),
            "encoding missing",
            "add `array_encoding: repeated` (`?id=a&id=b`)".into(),
        ),
        (false, Some(_)) => ctx.error(
            file,
            loc,
            &format!("{qp}/array_encoding"),
            At::Key,
            format!(
                "parameter `{}` is not a list but has an array encoding",
                q.name
            ),
            "not a list",
            "remove `array_encoding`".into(),
        ),
        _ => {}
    }
    check_enum_values(ctx, file, loc, &format!("{qp}/enum"), &q.values);
    if !q.values.is_empty() && !ty.takes_values() {
        ctx.error(
            file,
            loc,
            &format!("{qp}/enum"),
            At::Key,
            format!("parameter `{}` of type `{ty}` lists allowed values", q.name),
            "only strings have allowed values",
            "make the parameter a string or remove `enum`".into(),
        );
    }
    if let Some(default) = &q.default {
        let dp = format!("{qp}/default");
        let fits = match (ty.item(), default) {
            (TypeExpr::Scalar(S::Boolean), Scalar::Bool(_)) => true,
            (TypeExpr::Scalar(S::Int32), Scalar::Int(i)) => i32::try_from(*i).is_ok(),
            (TypeExpr::Scalar(S::Int64), Scalar::Int(_)) => true,
            (TypeExpr::Scalar(S::Number), Scalar::Int(_) | Scalar::Float(_)) => true,
            (TypeExpr::Scalar(S::String), Scalar::String(_)) => true,
            _ => false,
        };
        if !fits {
            ctx.error(
                file,
                loc,
                &dp,
                At::Value,
                format!("default `{default}` is not a `{ty}`"),
                "wrong type for this parameter",
                format!(
                    "write a {ty} value{}",
                    if matches!(default, Scalar::String(_)) {
                        " without quotes"
                    } else {
                        ""
                    }
                ),
            );
        } else if q.required {
            ctx.error(
                file,
                loc,
                &dp,
                At::Key,
                format!("required parameter `{}` has a default", q.name),
                "never used",
                "a default only applies when the caller may leave the parameter out: remove it or make the parameter optional".into(),
            );
        } else if let Scalar::String(v) = default
            && !q.values.is_empty()
            && !q.values.contains(v)
        {
            ctx.error(
                file,
                loc,
                &dp,
                At::Value,
                format!("default `{v}` is not one of the allowed values"),
                "not allowed",
                format!("use one of: {}", q.values.join(", ")),
            );
        }
    }
}

fn check_enum_values(ctx: &mut Ctx<'_>, file: &Path, loc: &Locations, p: &str, values: &[String]) {
    let mut seen = HashMap::new();
    for (i, v) in values.iter().enumerate() {
        let vp = format!("{p}/{i}");
        match naming::variant_ident(v) {
            None => ctx.error(
                file,
                loc,
                &vp,
                At::Value,
                format!("enum value `{v}` has no letter or digit"),
                "cannot name a variant",
                "remove the value or correct it".into(),
            ),
            Some(ident) => ctx.unique(
                &mut seen,
                ident,
                Site {
                    file,
                    pointer: vp,
                    locations: loc,
                    original: v.clone(),
                },
                "enum value",
            ),
        }
    }
}

fn check_model(
    ctx: &mut Ctx<'_>,
    m: &Parsed<ModelFile>,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    let (file, loc) = (m.path.as_path(), &m.locations);
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let name = &m.value.name;
    if name != stem {
        ctx.error(
            file,
            loc,
            "/name",
            At::Value,
            format!("model `{name}` is declared in file `{stem}.yaml`"),
            "does not match the file name",
            format!("name the model `{stem}` or the file `{name}.yaml`"),
        );
    }
    if !matches!(TypeExpr::parse(name), Ok(TypeExpr::Model(_))) {
        ctx.error(
            file,
            loc,
            "/name",
            At::Value,
            format!("model name `{name}` is not UpperCamelCase"),
            "not a model name",
            "model names start with an uppercase letter and use letters and digits only".into(),
        );
    }
    let mut idents = HashMap::new();
    for (wire, field) in &m.value.fields {
        let fp = format!("/fields/{}", escape(wire));
        if !naming::is_valid_ident(&naming::snake_ident(wire).to_string()) {
            ctx.error(
                file,
                loc,
                &fp,
                At::Key,
                format!("field name `{wire}` cannot be turned into a Rust name"),
                "no ASCII letters",
                "fields are keyed by their JSON name; use ASCII letters, digits and `_`".into(),
            );
            continue;
        }
        ctx.unique(
            &mut idents,
            naming::snake_ident(wire).to_string(),
            Site {
                file,
                pointer: fp.clone(),
                locations: loc,
                original: wire.clone(),
            },
            "field",
        );
        if let Some(ty) = check_type(ctx, file, loc, &format!("{fp}/type"), &field.ty, models) {
            check_enum_values(ctx, file, loc, &format!("{fp}/enum"), &field.values);
            if !field.values.is_empty() && !ty.takes_values() {
                ctx.error(
                    file,
                    loc,
                    &format!("{fp}/enum"),
                    At::Key,
                    format!("field `{wire}` of type `{ty}` lists enum values"),
                    "only strings have enum values",
                    "make the field `string` or `list<string>`, or remove `enum`".into(),
                );
            }
            if let Some(format) = &field.format {
                check_format(ctx, file, loc, &fp, wire, format, &ty);
            }
        }
    }
}

/// A field's `format` names a text format of a string: a kebab-case word, on a string type.
#[allow(clippy::too_many_arguments)]
fn check_format(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    fp: &str,
    wire: &str,
    format: &str,
    ty: &TypeExpr,
) {
    let word = !format.is_empty()
        && format.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    let problem = if !ty.takes_values() {
        Some((
            format!("field `{wire}` of type `{ty}` has a text format"),
            "only strings have a format",
            "make the field `string` or `list<string>`, or remove `format`",
        ))
    } else if !word {
        Some((
            format!("format `{format}` of field `{wire}` is not a kebab-case word"),
            "not a format name",
            "write the format as the vendor names it, such as `year-month`",
        ))
    } else {
        None
    };
    if let Some((message, label, help)) = problem {
        ctx.error(
            file,
            loc,
            &format!("{fp}/format"),
            At::Value,
            message,
            label,
            help.into(),
        );
    }
}

/// A paging declaration names a query parameter of the operation and fields of the model it
/// returns, of the types its style needs.
fn check_paging(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    op: &Operation,
    paging: &Paging,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    let returned = match op.returns.as_deref().map(TypeExpr::parse) {
        Some(Ok(TypeExpr::Model(name))) => models.get(name.as_str()).copied().flatten(),
        _ => {
            ctx.error(
                file,
                loc,
                p,
                At::Key,
                format!("operation `{}` pages but does not return a model", op.name),
                "paging without a listing",
                "paging names fields of the returned model; set `returns` or remove `paging`"
                    .into(),
            );
            return;
        }
    };
    let Some(returned) = returned else { return }; // an unknown model is reported at `returns`
    let (wanted, fields): (S, Vec<(&str, &str, Want)>) = match paging {
        Paging::PageNumber {
            items, page_count, ..
        } => (
            S::Int32,
            std::iter::once(("items", items.as_str(), Want::List))
                .chain(
                    page_count
                        .as_deref()
                        .map(|f| ("page_count", f, Want::Count)),
                )
                .collect(),
        ),
        Paging::Cursor { next, items, .. } => (
            S::String,
            vec![("items", items, Want::List), ("next", next, Want::Text)],
        ),
        Paging::NextUri {
            next_uri, items, ..
        } => (
            S::String,
            vec![
                ("items", items, Want::List),
                ("next_uri", next_uri, Want::Text),
            ],
        ),
    };
    let parameter = paging.parameter();
    let found = op
        .parameters
        .iter()
        .find(|q| q.location == Location::Query && q.wire_name == parameter);
    let fits = found.is_some_and(|q| {
        !q.required && TypeExpr::parse(&q.ty).ok() == Some(TypeExpr::Scalar(wanted))
    });
    if !fits {
        ctx.error(
            file,
            loc,
            &format!("{p}/parameter"),
            At::Value,
            match found {
                None => format!(
                    "operation `{}` has no query parameter `{parameter}` to page with",
                    op.name
                ),
                Some(q) => format!(
                    "paging parameter `{parameter}` is `{}`{}",
                    q.ty,
                    if q.required { ", required" } else { "" }
                ),
            },
            "cannot page with it",
            format!(
                "name an optional `{}` query parameter of the operation (its wire name)",
                TypeExpr::Scalar(wanted)
            ),
        );
    }
    for (key, path, want) in fields {
        if let Err(message) = field_path(returned, path, want, models) {
            ctx.error(
                file,
                loc,
                &format!("{p}/{key}"),
                At::Value,
                message,
                "not a field for paging",
                want.help().into(),
            );
        }
    }
}

/// What a paging field must hold.
#[derive(Clone, Copy)]
enum Want {
    List,
    Count,
    Text,
}

impl Want {
    fn help(self) -> &'static str {
        match self {
            Want::List => "name a `list<…>` field of the returned model (its wire name)",
            Want::Count => "name an `int32` or `int64` field of the returned model",
            Want::Text => {
                "name a `string` field of the returned model, or a dotted path through its models"
            }
        }
    }

    fn accepts(self, ty: &TypeExpr) -> bool {
        match self {
            Want::List => matches!(ty, TypeExpr::List(_)),
            Want::Count => matches!(ty, TypeExpr::Scalar(S::Int32 | S::Int64)),
            Want::Text => *ty == TypeExpr::Scalar(S::String),
        }
    }
}

/// Follows a dotted field path from `model`; only `Text` may go through nested models.
fn field_path(
    model: &Parsed<ModelFile>,
    path: &str,
    want: Want,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) -> Result<(), String> {
    let mut model = model;
    let mut steps = path.split('.').peekable();
    while let Some(step) = steps.next() {
        let name = &model.value.name;
        let field = model
            .value
            .fields
            .get(step)
            .ok_or_else(|| format!("model `{name}` has no field `{step}`"))?;
        let ty = TypeExpr::parse(&field.ty).map_err(|e| e.message)?;
        if steps.peek().is_none() {
            return if want.accepts(&ty) {
                Ok(())
            } else {
                Err(format!("field `{step}` of `{name}` is `{}`", field.ty))
            };
        }
        model =
            match (&ty, want) {
                (TypeExpr::Model(inner), Want::Text) => models
                    .get(inner.as_str())
                    .copied()
                    .flatten()
                    .ok_or_else(|| format!("unknown model `{inner}`"))?,
                _ => {
                    return Err(format!(
                        "field `{step}` of `{name}` is `{}`, not a model to go into",
                        field.ty
                    ));
                }
            };
    }
    Err("an empty field path".into())
}

/// Parses a type expression and checks that the model it names exists.
fn check_type(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    text: &str,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) -> Option<TypeExpr> {
    match TypeExpr::parse(text) {
        Ok(t) => {
            if let Some(name) = t.model_name() {
                check_model_ref(ctx, file, loc, p, name, models);
            }
            Some(t)
        }
        Err(e) => {
            ctx.error(file, loc, p, At::Value, e.message, "invalid type", e.help);
            None
        }
    }
}

fn check_model_ref(
    ctx: &mut Ctx<'_>,
    file: &Path,
    loc: &Locations,
    p: &str,
    name: &str,
    models: &BTreeMap<&str, Option<&Parsed<ModelFile>>>,
) {
    if !models.contains_key(name) {
        ctx.error(
            file,
            loc,
            p,
            At::Value,
            format!("unknown model `{name}`"),
            "no such model",
            format!(
                "add models/{name}.yaml to this service{}",
                suggest(name, models.keys().copied())
            ),
        );
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
