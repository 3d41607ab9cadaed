//! CloudFormation's per-stack limits.

use crate::ast::StackInput;
use crate::ctxt::Ctxt;
use crate::scope::{Kind, Scope};

/// CloudFormation's maximum number of resources in one stack.
const MAX_RESOURCES: usize = 500;

/// Reports a stack that declares more resources than CloudFormation accepts.
pub(crate) fn check(input: &StackInput, scope: &Scope, cx: &Ctxt) {
    let count: usize = scope
        .resources
        .iter()
        .map(|(_, kind)| match kind {
            Some(Kind::L2(spec)) => spec.resources,
            _ => 1,
        })
        .sum();
    if count > MAX_RESOURCES {
        cx.error(
            input.name.span(),
            format!(
                "stack `{}` declares {count} resources, more than the {MAX_RESOURCES} CloudFormation allows in one stack; split it into several stacks",
                input.name
            ),
        );
    }
}
