//! What the double keeps between requests: the scripted answers (by operation, or for one
//! exact request), the calls recorded, the requests no operation matched.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::paging::Served;
use super::{Answer, Recorded};
use crate::authorize::Authorizer;

/// Which requests a script applies to: every call of an operation, or one request of it.
pub(super) type Target = (&'static str, Option<usize>);

/// One request as the client sends it, for matching: path and query as on the wire, the
/// operation's header parameters, JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Exact {
    pub(super) path: String,
    pub(super) query: Option<String>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Option<serde_json::Value>,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) authorizer: Option<Arc<dyn Authorizer>>,
    /// The requests given to `on`, by index.
    pub(super) exact: Vec<Exact>,
    pub(super) once: HashMap<Target, VecDeque<Answer>>,
    pub(super) standing: HashMap<Target, Answer>,
    pub(super) token_once: VecDeque<Answer>,
    pub(super) recorded: Vec<(Recorded, Exact)>,
    pub(super) unmatched: Vec<String>,
    pub(super) served: HashMap<&'static str, Served>,
}

impl State {
    /// The scripted answer for a call of `operation` received as `exact`: one given for that
    /// very request first (in the order the requests were given), then one for the operation.
    pub(super) fn scripted(&mut self, operation: &'static str, exact: &Exact) -> Option<Answer> {
        let requests = self
            .exact
            .iter()
            .enumerate()
            .filter(|(_, e)| *e == exact)
            .map(|(i, _)| Some(i));
        let targets: Vec<Target> = requests.chain([None]).map(|i| (operation, i)).collect();
        for target in targets {
            if let Some(answer) = self.once.get_mut(&target).and_then(VecDeque::pop_front) {
                return Some(answer);
            }
            if let Some(answer) = self.standing.get(&target) {
                return Some(answer.clone());
            }
        }
        None
    }
}
