//! Which model references are boxed: those that close a cycle of direct references, or a
//! struct would contain itself.

use std::collections::{HashMap, HashSet};

use super::IrError;
use super::resolve::{Types, unresolved};
use crate::spec::ServiceFiles;
use crate::spec::types::TypeExpr;

/// `(model, field)` pairs whose direct model reference must be boxed: those that close a cycle
/// of direct (not list or map) references. Computed with Tarjan's SCC algorithm, linear in the
/// number of models and fields: an edge needs a box exactly when both ends are in one component.
pub(super) fn boxed_edges(
    s: &ServiceFiles,
    types: &Types,
) -> Result<HashSet<(String, String)>, IrError> {
    let names: Vec<&str> = s.models.iter().map(|m| m.value.name.as_str()).collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut edges: Vec<Vec<(usize, &str)>> = Vec::with_capacity(names.len());
    for m in &s.models {
        let mut out = Vec::new();
        for (wire, f) in &m.value.fields {
            if let TypeExpr::Model(target) = types.get(&f.ty, &m.path)? {
                let to = index.get(target.as_str()).ok_or_else(|| {
                    unresolved(&m.path, format!("model `{target}` is not defined"))
                })?;
                out.push((*to, wire.as_str()));
            }
        }
        edges.push(out);
    }
    let component = tarjan(&edges);
    let mut out = HashSet::new();
    for (from, list) in edges.iter().enumerate() {
        for (to, wire) in list {
            if component[from] == component[*to] {
                out.insert((names[from].to_owned(), (*wire).to_owned()));
            }
        }
    }
    Ok(out)
}

/// Strongly connected components (iterative Tarjan); returns each node's component id.
pub(super) fn tarjan(edges: &[Vec<(usize, &str)>]) -> Vec<usize> {
    let n = edges.len();
    let (mut index, mut low, mut comp) = (vec![usize::MAX; n], vec![0; n], vec![usize::MAX; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next, mut next_comp) = (0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = call.last_mut() {
            if let Some(&(w, _)) = edges[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_cycles_and_self_loops() {
        // 0 -> 1 -> 0 (cycle), 2 -> 2 (self loop), 3 -> 0 (not in a cycle).
        let edges = vec![
            vec![(1, "a")],
            vec![(0, "b")],
            vec![(2, "c")],
            vec![(0, "d")],
        ];
        let c = tarjan(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[2], c[0]);
        assert_ne!(c[3], c[0]);
    }
}
