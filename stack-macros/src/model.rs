//! The checked model of a block, ready to expand: every name resolved, every value
//! checked against the schema or the construct catalog and lowered to Rust, every error
//! reported on its token. `build` runs the passes; `lower` holds them.

use proc_macro2::Span;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Item, StackInput};
use crate::check;
use crate::ctxt::Ctxt;
use crate::ir::*;
use crate::lower::common::{doc_text, docs};
use crate::lower::{
    lower_env, lower_grant, lower_loop, lower_output, lower_override, lower_param, lower_resource,
};
use crate::resolve::Resolver;
use crate::scope::*;

/// Resolves and checks `input`, reporting every problem into `cx`.
pub(crate) fn build(input: &StackInput, cx: &Ctxt) -> Model {
    let scope = declare_names(input, cx);
    let mut edges: Vec<Edge> = Vec::new();
    let mut model = Model {
        vis: input.vis.clone(),
        name: input.name.clone(),
        doc: docs(&input.attrs),
        description: doc_text(&input.attrs),
        props: input.props.clone(),
        uses: input.uses.clone(),
        params: Vec::new(),
        lets: Vec::new(),
        resources: Vec::new(),
        grants: Vec::new(),
        loops: Vec::new(),
        outputs: Vec::new(),
        exports: Vec::new(),
        tags: Vec::new(),
        overrides: Vec::new(),
        env: None,
    };
    // A stack over the limit is rejected before its declarations are lowered: that work
    // grows with the stack and could only find more errors in a stack that cannot deploy.
    if !check::limits::check(input, &scope, cx) {
        return model;
    }
    check::renames::check(input, cx);
    let mut export_names: Vec<(String, Span)> = Vec::new();
    let mut output_names: Vec<(String, Span)> = Vec::new();
    let mut resource_index = 0;
    for item in &input.items {
        match item {
            Item::Param(p) => model.params.push(lower_param(p, cx)),
            Item::Let(l) => {
                let mut expr = l.expr.clone();
                Resolver::new(&scope, cx, None, &mut edges).expr(&mut expr);
                let name = &l.name;
                let ty = l.ty.as_ref().map(|t| quote!(: #t));
                model
                    .lets
                    .push(quote_spanned!(name.span()=> let #name #ty = #expr;));
            }
            Item::Resource(r) => {
                let kind = scope.resources[resource_index].1;
                if let Some(kind) = kind {
                    let lowered = lower_resource(r, resource_index, kind, &scope, cx, &mut edges);
                    model.resources.push(lowered);
                }
                resource_index += 1;
            }
            Item::For(f) => {
                let tokens = lower_loop(f, &mut resource_index, &scope, cx, &mut edges, &mut model);
                model.loops.push(tokens);
            }
            Item::Grant(g) => {
                if let Some(tokens) = lower_grant(g, &scope, cx) {
                    model.grants.push(tokens);
                }
            }
            Item::Output(o) => {
                let key = o.name.to_string();
                if let Some((_, first)) = output_names.iter().find(|(n, _)| *n == key) {
                    cx.error(
                        o.name.span(),
                        format!("duplicate output `{key}`; each output needs its own name"),
                    );
                    cx.error(*first, format!("`{key}` is first declared here"));
                    continue;
                }
                output_names.push((key, o.name.span()));
                if let Some(output) = lower_output(o, &scope, cx, &mut edges, &mut export_names) {
                    model.outputs.push(output);
                }
            }
            Item::Override(o) => {
                if let Some(tokens) = lower_override(o, &scope, cx, &mut edges) {
                    model.overrides.push(tokens);
                }
            }
            Item::Env(e) => {
                if model.env.is_some() {
                    cx.error(
                        e.keyword,
                        "a stack has one `env`; put `account` and `region` in the first",
                    );
                    continue;
                }
                model.env = Some(lower_env(e, &scope, cx, &mut edges));
            }
            Item::Tag(t) => {
                let mut value = t.value.clone();
                Resolver::new(&scope, cx, None, &mut edges).expr(&mut value);
                let key = &t.key;
                model.tags.push(quote_spanned!(value.span()=>
                    __stack.add_tag(#key, #value);
                ));
            }
        }
    }
    check::cycles::check(&scope, &edges, cx);
    order_by_dependencies(&mut model.resources, &edges);
    model.exports = export_names;
    model
}

/// Orders resources so that each is built after the resources it refers to (constructs
/// such as a VPC settle their layout when built), keeping declaration order otherwise.
/// Cycles are reported separately; their members keep declaration order.
pub(crate) fn order_by_dependencies(resources: &mut Vec<ResourceModel>, edges: &[Edge]) {
    use std::cmp::Reverse;
    use std::collections::{BTreeMap, BinaryHeap};

    let pending: Vec<ResourceModel> = std::mem::take(resources);
    // Positions in declaration order, by scope index; references to resources that are
    // not lowered (their type was unknown) do not hold anything back.
    let position: BTreeMap<usize, usize> = pending
        .iter()
        .enumerate()
        .map(|(pos, r)| (r.index, pos))
        .collect();
    let mut waiting_on = vec![0usize; pending.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); pending.len()];
    let mut seen = std::collections::BTreeSet::new();
    for e in edges {
        let (Some(&from), Some(&to)) = (position.get(&e.from), position.get(&e.to)) else {
            continue;
        };
        if from != to && seen.insert((from, to)) {
            waiting_on[from] += 1;
            dependents[to].push(from);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..pending.len())
        .filter(|&pos| waiting_on[pos] == 0)
        .map(Reverse)
        .collect();
    let mut done = vec![false; pending.len()];
    let mut order = Vec::with_capacity(pending.len());
    let mut next_unbuilt = 0;
    while order.len() < pending.len() {
        // In a cycle nothing is ready: its first member in declaration order goes first.
        let pos = match ready.pop() {
            Some(Reverse(pos)) if !done[pos] => pos,
            Some(_) => continue,
            None => {
                while done[next_unbuilt] {
                    next_unbuilt += 1;
                }
                next_unbuilt
            }
        };
        done[pos] = true;
        order.push(pos);
        for &dependent in &dependents[pos] {
            waiting_on[dependent] = waiting_on[dependent].saturating_sub(1);
            if waiting_on[dependent] == 0 && !done[dependent] {
                ready.push(Reverse(dependent));
            }
        }
    }
    let mut slots: Vec<Option<ResourceModel>> = pending.into_iter().map(Some).collect();
    resources.extend(order.into_iter().filter_map(|pos| slots[pos].take()));
}

#[cfg(test)]
mod tests {
    // The whole pass on a block: what the checks report about a real declaration.
    use super::*;
    use crate::test_support::{input, sites};

    #[test]
    fn references_in_bodies_and_depends_on_close_cycles() {
        let cx = Ctxt::new();
        build(
            &input(
                "stack S {
                    resource a: AWS::SQS::Queue { QueueName: b.queue_name }
                    resource b: AWS::SQS::Queue { QueueName: c.queue_name }
                    #[depends_on(a)]
                    resource c: AWS::SQS::Queue;
                }",
            ),
            &cx,
        );
        assert_eq!(
            sites(cx),
            [(
                "dependency cycle: `a` -> `b` -> `c` -> `a`; CloudFormation cannot order these resources, so remove one of the references".to_owned(),
                4
            )]
        );
    }
}
