//! Dependency cycles between resources.

use crate::ctxt::Ctxt;
use crate::scope::Edge;
use crate::scope::Scope;

/// Reports each cycle once, at the reference that closes it, listing its members.
pub(crate) fn check(scope: &Scope, edges: &[Edge], cx: &Ctxt) {
    let n = scope.resources.len();
    let mut adjacency: Vec<Vec<&Edge>> = vec![Vec::new(); n];
    for edge in edges {
        if edge.from < n && edge.to < n && !adjacency[edge.from].iter().any(|e| e.to == edge.to) {
            adjacency[edge.from].push(edge);
        }
    }
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; n];
    let mut path: Vec<usize> = Vec::new();
    let mut reported: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if state[start] == 0 {
            visit(
                start,
                &adjacency,
                &mut state,
                &mut path,
                &mut reported,
                scope,
                cx,
            );
        }
    }
}

fn visit(
    node: usize,
    adjacency: &[Vec<&Edge>],
    state: &mut [u8],
    path: &mut Vec<usize>,
    reported: &mut Vec<Vec<usize>>,
    scope: &Scope,
    cx: &Ctxt,
) {
    state[node] = 1;
    path.push(node);
    for edge in &adjacency[node] {
        match state[edge.to] {
            0 => visit(edge.to, adjacency, state, path, reported, scope, cx),
            1 => {
                let start = path.iter().position(|p| *p == edge.to).unwrap_or(0);
                let cycle: Vec<usize> = path[start..].to_vec();
                let mut key = cycle.clone();
                key.sort_unstable();
                if !reported.contains(&key) {
                    reported.push(key);
                    let names: Vec<String> = cycle
                        .iter()
                        .chain(std::iter::once(&edge.to))
                        .map(|i| format!("`{}`", scope.resources[*i].0))
                        .collect();
                    let message = if cycle.len() == 1 {
                        format!(
                            "`{}` refers to itself; CloudFormation cannot create a resource that depends on its own attributes",
                            scope.resources[edge.to].0
                        )
                    } else {
                        format!(
                            "dependency cycle: {}; CloudFormation cannot order these resources, so remove one of the references",
                            names.join(" -> ")
                        )
                    };
                    cx.error(edge.span, message);
                }
            }
            _ => {}
        }
    }
    path.pop();
    state[node] = 2;
}
