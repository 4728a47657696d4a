//! A request builder's `send`, `send_with_response` and `build_request`: the path with each
//! placeholder encoded as one segment, the query, the headers and the body, as the wire takes
//! them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::return_type;
use crate::emit::{doc, type_words};
use crate::ir::{Operation, Param, PathSegment, RustType};

/// `send`: the encoded path, the query, the body, and the call.
pub(super) fn send_fn(client_ty: &proc_macro2::Ident, op: &Operation) -> TokenStream {
    let constant = format_ident!("{}", op.constant);
    let (segments, path_expr) = path(op);
    let queries = op.query_params.iter().map(query_statement);
    let headers = op.header_params.iter().map(header_statement);
    let body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(request.json(&self.body);)
        } else {
            quote!(if let Some(body) = &self.body {
                request.json(body);
            })
        }
    });
    let needs_mut =
        !op.query_params.is_empty() || !op.header_params.is_empty() || op.body.is_some();
    let request_binding = if needs_mut {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let ret = return_type(op);
    let (call, call_with_response) = match &op.returns {
        Some(_) if op.media.text => (quote!(call_text), quote!(call_text_with_response)),
        Some(_) => (quote!(call_json), quote!(call_json_with_response)),
        None => (quote!(call_empty), quote!(call_empty_with_response)),
    };
    let send_doc = send_doc(op);
    // `send` is not `async`: the runtime's one generic future runs every call, so the compiler
    // checks no state machine per operation.
    quote! {
        #send_doc
        pub fn send(self) -> ResponseFuture<#ret> {
            let request = self.build_request();
            self.client.transport().#call(request)
        }

        /// As [`send`](Self::send), with the response's status and headers (`ETag`, `Location`,
        /// rate limits) and correlation id beside the body.
        ///
        /// # Errors
        ///
        /// As [`send`](Self::send).
        pub fn send_with_response(self) -> ResponseFuture<Response<#ret>> {
            let request = self.build_request();
            self.client.transport().#call_with_response(request)
        }

        /// The request as it goes on the wire: path segments encoded, query, headers, body.
        fn build_request(&self) -> Result<Request, InvalidPathSegment> {
            #(#segments)*
            let path = #path_expr;
            #request_binding = Request::new(&#client_ty::#constant, path);
            #(#queries)*
            #(#headers)*
            #body
            Ok(request)
        }
    }
}

/// The statements encoding each path parameter as one segment, and the path's expression.
fn path(op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    // The path, with each placeholder percent-encoded as one segment.
    let (fmt, path_args) = path_format(op);
    let segments = path_args.iter().map(|p| {
        let n = p.ident.clone();
        // Numbers and dates (`2024-01-31`) as their `Display` text.
        let value = match p.ty {
            RustType::Enum(_) => quote!(self.#n.as_str()),
            RustType::String => quote!(&self.#n),
            _ => quote!(&self.#n.to_string()),
        };
        let name = p.ident.word();
        quote!(let #n = encode_path_segment(#value, #name)?;)
    });
    let path_expr = if path_args.is_empty() {
        quote!(String::from(#fmt))
    } else if path_args.iter().any(|p| p.ident.is_raw()) {
        // Raw identifiers cannot be captured by name in format strings.
        let names = path_args.iter().map(|p| p.ident.clone());
        let fmt = fmt.clone();
        let positional = path_args
            .iter()
            .fold(fmt, |f, p| f.replacen(&format!("{{{}}}", p.ident), "{}", 1));
        quote!(format!(#positional, #(#names),*))
    } else {
        quote!(format!(#fmt))
    };
    (segments.collect(), path_expr)
}

/// The statement adding a query parameter to the request.
fn query_statement(p: &Param) -> TokenStream {
    let n = p.ident.clone();
    let wire = &p.wire;
    // A date-time goes as RFC 3339 with milliseconds and `Z`, as the APIs document it;
    // chrono's `Display` would write `2024-01-31 10:00:00 UTC`.
    let text = |value: TokenStream| match p.ty {
        RustType::DateTime => {
            quote!(&#value.to_rfc3339_opts(::chrono::SecondsFormat::Millis, true))
        }
        _ => value,
    };
    match (p.required, p.list) {
        (true, false) => {
            let v = text(quote!(self.#n));
            quote!(request.query(#wire, &#v);)
        }
        (true, true) => {
            let v = text(quote!(value));
            quote!(for value in &self.#n { request.query(#wire, #v); })
        }
        (false, false) => {
            let v = text(quote!(value));
            quote!(if let Some(value) = &self.#n { request.query(#wire, #v); })
        }
        (false, true) => {
            let v = text(quote!(value));
            quote!(if let Some(values) = &self.#n { for value in values { request.query(#wire, #v); } })
        }
    }
}

/// The statement adding a header parameter to the request.
fn header_statement(p: &Param) -> TokenStream {
    let n = p.ident.clone();
    let wire = &p.wire;
    // An enum goes as its wire value; anything else as its `Display` text.
    let text = |value: TokenStream| match p.ty {
        RustType::Enum(_) => quote!(&#value.as_str()),
        _ => value,
    };
    if p.required {
        let v = text(quote!(self.#n));
        let v = if matches!(p.ty, RustType::Enum(_)) {
            v
        } else {
            quote!(&#v)
        };
        quote!(request.header(#wire, #v);)
    } else {
        let v = text(quote!(value));
        quote!(if let Some(value) = &self.#n { request.header(#wire, #v); })
    }
}

/// `send`'s documentation: when it sends, and what its errors are.
fn send_doc(op: &Operation) -> TokenStream {
    doc(&format!(
        "Sends the request when the returned future is awaited (awaiting the builder does the same).\n\n# Errors\n\nAn [`Error`] when the request cannot be sent, the server answers with \
         an error status{}, or the response body is not a valid {}.",
        if op.errors.is_empty() {
            String::new()
        } else {
            format!(
                " (documented: {})",
                op.errors
                    .iter()
                    .map(|(status, _)| status.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        match &op.returns {
            Some(_) if op.media.text => format!(
                "text ({}: returned as it arrives, not decoded) in UTF-8",
                op.media.accept
            ),
            Some(t) => type_words(t, "models::"),
            None => "empty body".into(),
        }
    ))
}

/// `format!` string of the path, with each placeholder named after its parameter's local
/// variable (`/roles/{role_id}`), and the parameters in order.
fn path_format(op: &Operation) -> (String, Vec<&Param>) {
    let mut fmt = String::new();
    let mut args = Vec::new();
    for segment in &op.path.segments {
        match segment {
            PathSegment::Literal(text) => fmt.push_str(text),
            PathSegment::Param(wire) => {
                if let Some(p) = op.path_params.iter().find(|p| p.wire == *wire) {
                    args.push(p);
                    fmt.push_str(&format!("{{{}}}", p.ident));
                }
            }
        }
    }
    (fmt, args)
}
