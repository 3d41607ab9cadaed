//! The one place that decides in which order stacks are deployed and destroyed.
//!
//! The order comes from each stack's dependencies ([`StackEntry::dependencies`]): the stacks a stack imports from (through
//! `uses`) come before it on deploy and after it on destroy. Stacks that do not depend on
//! each other keep the app's order. As in CDK, deploying a stack also deploys the stacks
//! it depends on, unless `--exclusively` asks for the named stacks only.

use crate::select::StackEntry;

/// The stacks to deploy, in the order to deploy them: every dependency before the stacks
/// that use it. Without `exclusively`, the dependencies of the selected stacks (and theirs,
/// transitively) are added.
pub fn deploy_order<T: StackEntry>(stacks: &[T], selected: &[T], exclusively: bool) -> Vec<T> {
    let index = |name: &str| stacks.iter().position(|s| s.name() == name);
    let mut wanted = vec![false; stacks.len()];
    let mut pending: Vec<usize> = selected.iter().filter_map(|s| index(s.name())).collect();
    while let Some(i) = pending.pop() {
        if wanted[i] {
            continue;
        }
        wanted[i] = true;
        if !exclusively {
            pending.extend(stacks[i].dependencies().iter().filter_map(|d| index(d)));
        }
    }
    topological(stacks, &wanted)
}

/// The stacks to destroy, in the order to destroy them: every stack before the stacks it
/// depends on. Without `exclusively`, the stacks that depend on the selected ones (and
/// theirs, transitively) are added, as in CDK: CloudFormation refuses to delete a stack
/// whose exports another stack still imports.
pub fn destroy_order<T: StackEntry>(stacks: &[T], selected: &[T], exclusively: bool) -> Vec<T> {
    let mut chosen: Vec<T> = selected.to_vec();
    if !exclusively {
        while let Some(dependant) = stacks.iter().find(|s| {
            !chosen.iter().any(|c| c.name() == s.name())
                && s.dependencies()
                    .iter()
                    .any(|d| chosen.iter().any(|c| c.name() == d))
        }) {
            chosen.push(*dependant);
        }
    }
    let mut order = deploy_order(stacks, &chosen, true);
    order.reverse();
    order
}

/// The `wanted` stacks, each after the wanted stacks it depends on, otherwise in the
/// order of `stacks`. Dependencies outside the selection do not hold a stack back. An
/// app cannot hold a cycle (a stack can only use stacks added before it); were there
/// one, its stacks would follow in app order.
fn topological<T: StackEntry>(stacks: &[T], wanted: &[bool]) -> Vec<T> {
    let index = |name: &str| stacks.iter().position(|s| s.name() == name);
    let mut placed = vec![false; stacks.len()];
    let mut order = Vec::new();
    let waiting = |placed: &[bool], i: usize| wanted[i] && !placed[i];
    loop {
        let ready = (0..stacks.len()).find(|&i| {
            waiting(&placed, i)
                && stacks[i]
                    .dependencies()
                    .iter()
                    .filter_map(|d| index(d))
                    .all(|d| !waiting(&placed, d))
        });
        // With a cycle nothing is ready: the first stack still waiting breaks it.
        let Some(next) = ready.or_else(|| (0..stacks.len()).find(|&i| waiting(&placed, i))) else {
            return order;
        };
        placed[next] = true;
        order.push(stacks[next]);
    }
}
