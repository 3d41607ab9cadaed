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

#[cfg(test)]
mod tests {
    // Cycles among references: each found once, reported with its path at the reference that closes it.
    use super::*;
    use crate::scope::declare_names;
    use crate::test_support::{errors, input};
    use proc_macro2::Span;

    fn cycles(edges: &[(usize, usize)]) -> Vec<String> {
        let cx = Ctxt::new();
        let scope = declare_names(
            &input("stack S { resource a: Bucket; resource b: Bucket; resource c: Bucket; resource d: Bucket; }"),
            &cx,
        );
        let edges: Vec<Edge> = edges
            .iter()
            .map(|&(from, to)| Edge {
                from,
                to,
                span: Span::call_site(),
            })
            .collect();
        check(&scope, &edges, &cx);
        errors(cx)
    }

    #[test]
    fn a_cycle_is_reported_with_its_path() {
        assert_eq!(
            cycles(&[(0, 1), (1, 2), (2, 0)]),
            ["dependency cycle: `a` -> `b` -> `c` -> `a`; CloudFormation cannot order these resources, so remove one of the references"]
        );
    }

    #[test]
    fn a_resource_referring_to_itself_is_a_cycle_of_one() {
        assert_eq!(
            cycles(&[(3, 3)]),
            ["`d` refers to itself; CloudFormation cannot create a resource that depends on its own attributes"]
        );
    }

    #[test]
    fn shared_dependencies_are_no_cycle() {
        assert!(cycles(&[(0, 1), (1, 2), (0, 2), (3, 0), (3, 2)]).is_empty());
        // Edges to resources the scope does not hold are ignored.
        assert!(cycles(&[(0, 9), (9, 0)]).is_empty());
    }

    #[test]
    fn each_cycle_is_reported_once() {
        assert_eq!(cycles(&[(0, 1), (0, 1), (1, 0), (1, 0)]).len(), 1);
        let errors = cycles(&[(0, 1), (1, 0), (2, 3), (3, 2)]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("dependency cycle: `a` -> `b` -> `a`;"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("dependency cycle: `c` -> `d` -> `c`;"),
            "{errors:?}"
        );
    }
}
