//! The documentation of an operation's method and parameters, with an example call whose
//! arguments are typed as the method takes them.

use crate::emit::{Options, prose, type_words};
use crate::ir::{Body, EnumId, Group, Location, Operation, Param, RustType, Service};

/// Text ending with a full stop, so more can follow it (empty stays empty).
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() || t.ends_with(['.', '!', '?']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

pub(super) fn param_doc(p: &Param) -> String {
    let d = match (p.description.is_empty(), p.location) {
        (false, _) => prose(&p.description),
        (true, Location::Header) => format!("The `{}` header.", p.wire),
        (true, _) => format!("The `{}` query parameter.", p.wire),
    };
    let mut d = sentence(&d);
    match p.location {
        Location::Header => d.push_str(&format!("\n\nSent in the `{}` header", p.wire)),
        Location::Path | Location::Query => d.push_str(&format!("\n\nSent as `{}`", p.wire)),
    }
    if p.list {
        d.push_str(", repeated for each value");
    }
    d.push('.');
    if let Some(default) = &p.default {
        d.push_str(&format!(" When unset, the server assumes `{default}`."));
    }
    if !p.values.is_empty() {
        d.push_str(&format!(
            " Allowed values: {}.",
            p.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    d
}

pub(super) fn method_doc(
    service: &Service,
    g: &Group,
    op: &Operation,
    options: &Options,
) -> String {
    let mut d = prose(&op.summary);
    if !op.description.is_empty() {
        d.push_str("\n\n");
        d.push_str(&prose(&op.description));
    }
    d.push_str(&format!("\n\n`{} {}`", op.method, op.path.text));
    d.push_str(&format!(
        "\n\n**Authorization:** {}. As data: [`Self::{}`].",
        op.requires.summary(),
        op.constant
    ));
    if !op.parameters.is_empty() || op.body.is_some() {
        d.push_str("\n\n**Parameters**\n");
        for p in op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
        {
            d.push_str(&param_line(op, p));
        }
        if let Some(b) = &op.body {
            d.push_str(&body_line(b));
        }
    }
    d.push_str(&format!(
        "\n\n**Returns** {}.",
        op.returns
            .as_ref()
            .map(|t| type_words(t, "models::"))
            .unwrap_or_else(|| "nothing (an empty body)".into())
    ));
    if !op.errors.is_empty() {
        d.push_str("\n\n**Documented errors**\n");
        for (status, description) in &op.errors {
            d.push_str(&format!("\n- `{status}`: {}", prose(description)));
        }
    }
    d.push_str(&notes(op));
    d.push_str(&example(service, g, op, options));
    d
}

/// What else the method's documentation says: older SDKs' names, vendor extensions.
fn notes(op: &Operation) -> String {
    let mut d = String::new();
    if !op.legacy_names.is_empty() {
        let names: Vec<&str> = op
            .legacy_names
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        d.push_str(&format!(
            "\n\nOlder SDK generations call it {}; those names remain as deprecated aliases.",
            crate::text::code_list(&names)
        ));
    }
    for (k, v) in &op.extensions {
        d.push_str(&format!("\n\nVendor extension `{k}`: `{v}`."));
    }
    d
}

/// A parameter's line in the method's list: required or its setter, what it is, its default
/// and values.
fn param_line(op: &Operation, p: &Param) -> String {
    let mut line = format!("\n- `{}`", p.ident.word());
    if p.required {
        line.push_str(" (required)");
    } else {
        line.push_str(&format!(
            " (optional, [`{}::{}`])",
            op.builder,
            p.ident.word()
        ));
    }
    let desc = sentence(&prose(&p.description));
    if !desc.is_empty() {
        line.push_str(&format!(": {desc}"));
    }
    if let Some(default) = &p.default {
        line.push_str(&format!(" Default: `{default}`."));
    }
    if !p.values.is_empty() {
        line.push_str(&format!(
            " One of {}.",
            p.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    line
}

/// The body's line in the method's list.
fn body_line(b: &Body) -> String {
    let desc = prose(&b.description);
    format!(
        "\n- `body` ({}{}){}",
        if b.required {
            "required, "
        } else {
            "optional, "
        },
        type_words(&b.ty, "models::"),
        if desc.is_empty() {
            String::new()
        } else {
            format!(": {desc}")
        }
    )
}

/// The example call of the method, compiled (not run) as a doctest.
fn example(service: &Service, g: &Group, op: &Operation, options: &Options) -> String {
    let mut d = String::new();
    d.push_str("\n\n# Example\n\n```no_run\n");
    let svc = format!("{}::{}", options.crate_name, service.module);
    d.push_str(&format!(
        "# async fn example(client: {svc}::Client) -> Result<(), {svc}::Error> {{\n"
    ));
    let (setup, call_args) = example_args(g, op, &svc);
    d.push_str(&setup);
    let result = if op.returns.is_some() {
        "let response = "
    } else {
        ""
    };
    d.push_str(&format!(
        "{result}client\n    .{}()\n    .{}({})\n    .send()\n    .await?;\n",
        g.id,
        op.name.word(),
        call_args
    ));
    if op.returns.is_some() {
        d.push_str("println!(\"{response:?}\");\n");
    }
    d.push_str("# Ok(())\n# }\n```");
    d
}

/// Example values for an operation's required arguments (in the order of [`arguments`]):
/// lines to put first, and the argument list.
pub(super) fn example_args(g: &Group, op: &Operation, svc: &str) -> (String, String) {
    let mut setup = String::new();
    let mut call_args = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let value = example_value(g, svc, p.ident.word(), &p.ty);
        call_args.push(if p.list { format!("[{value}]") } else { value });
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let ty = example_type(&b.ty, svc);
        setup.push_str(&format!("let body: {ty} = todo!(\"the request body\");\n"));
        call_args.push("body".to_owned());
    }
    (setup, call_args.join(", "))
}

/// A value of a parameter's (item) type for a doc example.
fn example_value(g: &Group, svc: &str, name: &str, ty: &RustType) -> String {
    match ty {
        RustType::Enum(e) => {
            // Parameters use their group's enums only.
            let first = match e.id {
                EnumId::Param(i) => g.param_enums[i].variants.first(),
                EnumId::Model(_) => None,
            };
            format!(
                "{svc}::{}::{}::{}",
                g.id,
                e.name,
                first.map(|v| v.1.as_str()).unwrap_or("default()")
            )
        }
        RustType::String => format!("\"{name}\""),
        RustType::I32 | RustType::I64 => "1".into(),
        RustType::F64 => "1.0".into(),
        RustType::Bool => "true".into(),
        _ => "Default::default()".into(),
    }
}

fn example_type(t: &RustType, svc: &str) -> String {
    match t {
        RustType::Model(m) => format!("{svc}::models::{}", m.name),
        RustType::Vec(t) => format!("Vec<{}>", example_type(t, svc)),
        RustType::String => "String".into(),
        _ => "_".into(),
    }
}
