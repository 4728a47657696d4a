//! How the double answers a request: routed to its operation by method and path template,
//! recorded, answered by the first of its scripted or default answers.

use std::sync::{Arc, Mutex, PoisonError};

use wiremock::{Respond, ResponseTemplate};

use super::state::{Exact, State};
use super::{Answer, Example, Recorded, ServiceDouble};
use crate::metadata::OperationInfo;
use crate::transport::Request;

pub(super) struct Responder {
    pub(super) service: ServiceDouble,
    pub(super) state: Arc<Mutex<State>>,
}

impl Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let path = request.url.path();
        if request.method.as_str() == "POST" && self.service.token_paths.contains(&path) {
            let token = serde_json::json!({"access_token": "double-token", "token_type": "bearer", "expires_in": 86400});
            return state
                .token_once
                .pop_front()
                .unwrap_or_else(|| Answer::json(200, &token))
                .template();
        }
        let Some((operation, params)) =
            route(self.service.operations, request.method.as_str(), path)
        else {
            state.unmatched.push(format!("{} {path}", request.method));
            let message = format!("no documented operation is {} {path}", request.method);
            return Answer::json(404, &(self.service.not_found)(&message)).template();
        };
        let (recorded, received, query) = record(request, operation, params);
        state.recorded.push((recorded, received.clone()));
        if let Some(denial) = state
            .authorizer
            .as_ref()
            .and_then(|a| a.authorize(operation).err())
        {
            return Answer::json(403, &(self.service.denied)(&denial)).template();
        }
        if let Some(answer) = state.scripted(operation.name, &received) {
            return answer.template();
        }
        let example = (self.service.default_answer)(operation.name);
        if let Some(served) = state.served.get(operation.name) {
            return Answer::json(
                200,
                &served.page(example.and_then(|e| e.json), path, &query),
            )
            .template();
        }
        default_answer(example, operation)
    }
}

/// A request as the double records it (by the operation's names for its parameters), as
/// scripted answers match it, and its query pairs.
fn record(
    request: &wiremock::Request,
    operation: &'static OperationInfo,
    params: PathParams,
) -> (Recorded, Exact, Vec<(String, String)>) {
    let path = request.url.path();
    let body: Option<serde_json::Value> = serde_json::from_slice(&request.body).ok();
    // Only the operation's own header parameters: the client's headers are not the call's.
    let headers: Vec<(&'static str, String)> = operation
        .headers
        .iter()
        .filter_map(|name| {
            request
                .headers
                .get(*name)
                .map(|v| (*name, String::from_utf8_lossy(v.as_bytes()).into_owned()))
        })
        .collect();
    let received = Exact {
        path: path.to_owned(),
        query: request.url.query().map(str::to_owned),
        headers: headers.clone(),
        body: body.clone(),
    };
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let recorded = Recorded {
        operation,
        path: params,
        query: query.clone(),
        headers,
        body,
    };
    (recorded, received, query)
}

/// An operation's default answer: an example of its documented return type, as JSON or text.
fn default_answer(example: Option<Example>, operation: &OperationInfo) -> ResponseTemplate {
    match example {
        Some(Example {
            status,
            json: Some(body),
        }) if operation.answers_text() => Answer::text(
            status,
            operation,
            serde_json::from_str::<String>(body).unwrap_or_default(),
        )
        .template(),
        Some(Example {
            status,
            json: Some(body),
        }) => Answer::status(status)
            .with_header("content-type", "application/json")
            .with_body(body)
            .template(),
        Some(Example { status, json: None }) => Answer::status(status).template(),
        None => Answer::status(200).template(),
    }
}

/// `request` as the double receives it: the URL parser's path and query (so percent-encoding
/// compares as the server sees it), the header parameters by the operation's names for them,
/// and the body as JSON.
pub(super) fn exact(request: &Request) -> Exact {
    let body = request.body().and_then(|b| serde_json::from_slice(b).ok());
    let sent: Vec<(&str, &[u8])> = request.headers().collect();
    let headers = request
        .operation()
        .headers
        .iter()
        .filter_map(|name| {
            sent.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| (*name, String::from_utf8_lossy(v).into_owned()))
        })
        .collect();
    match reqwest::Url::parse(&format!("http://double{}", request.path_and_query())) {
        Ok(url) => Exact {
            path: url.path().to_owned(),
            query: url.query().map(str::to_owned),
            headers,
            body,
        },
        Err(_) => Exact {
            path: request.path_and_query(),
            query: None,
            headers,
            body,
        },
    }
}

/// Path parameters by their names in the template, decoded.
pub(crate) type PathParams = Vec<(&'static str, String)>;

/// The operation `method path` calls, with its path parameters decoded. Where templates
/// overlap (`/roles/default` and `/roles/{roleId}`), the one with a literal segment earliest
/// wins, as a server routes.
pub(super) fn route(
    operations: &[&'static OperationInfo],
    method: &str,
    path: &str,
) -> Option<(&'static OperationInfo, PathParams)> {
    // The best match so far: which of its segments are literal, the operation, its parameters.
    let mut best: Option<(Vec<bool>, &'static OperationInfo, PathParams)> = None;
    for &op in operations.iter().filter(|op| op.method.as_str() == method) {
        let Some((literals, params)) = fit(op.path, path) else {
            continue;
        };
        if best.as_ref().is_none_or(|(l, _, _)| literals > *l) {
            best = Some((literals, op, params));
        }
    }
    best.map(|(_, op, params)| (op, params))
}

/// How `path` fits the path template `template` (each `{placeholder}` one non-empty segment):
/// which of its segments are literal, and the path parameters decoded; `None` when it does not
/// fit. The one template matcher of the doubles.
pub(crate) fn fit(template: &'static str, path: &str) -> Option<(Vec<bool>, PathParams)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let template: Vec<&'static str> = template.trim_start_matches('/').split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut literals = Vec::with_capacity(template.len());
    let mut params = Vec::new();
    for (t, s) in template.iter().zip(&segments) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(_) if s.is_empty() => return None,
            Some(name) => {
                literals.push(false);
                let value = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                params.push((name, value.into_owned()));
            }
            None if t != s => return None,
            None => literals.push(true),
        }
    }
    Some((literals, params))
}
