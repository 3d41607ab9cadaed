//! CloudFormation's per-stack limits.

use crate::ast::StackInput;
use crate::ctxt::Ctxt;
use crate::scope::{Kind, Scope};

/// CloudFormation's maximum number of resources in one stack.
const MAX_RESOURCES: usize = 500;

/// Reports a stack that declares more resources than CloudFormation accepts; `false`
/// when it does, so that the rest of the block is not checked in vain.
pub(crate) fn check(input: &StackInput, scope: &Scope, cx: &Ctxt) -> bool {
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
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    // The 500-resource limit, counting the resources each construct adds.
    use super::*;
    use crate::scope::declare_names;
    use crate::test_support::{errors, input};

    fn limit_errors(resources: &[(&str, usize)]) -> Vec<String> {
        let mut text = String::from("stack Big {");
        for (ty, count) in resources {
            for i in 0..*count {
                text.push_str(&format!(
                    " resource r{}_{i}: {ty};",
                    ty.replace("::", "_").to_lowercase()
                ));
            }
        }
        text.push('}');
        let stack = input(&text);
        let cx = Ctxt::new();
        let scope = declare_names(&stack, &cx);
        check(&stack, &scope, &cx);
        errors(cx)
    }

    #[test]
    fn five_hundred_resources_fit() {
        assert!(limit_errors(&[("AWS::SQS::Queue", 500)]).is_empty());
        assert!(limit_errors(&[("Bucket", 250)]).is_empty());
    }

    #[test]
    fn one_more_is_reported_on_the_stack_name() {
        assert_eq!(
            limit_errors(&[("AWS::SQS::Queue", 501)]),
            ["stack `Big` declares 501 resources, more than the 500 CloudFormation allows in one stack; split it into several stacks"]
        );
    }

    #[test]
    fn constructs_count_every_resource_they_add() {
        // A bucket is the bucket and its policy.
        let errors = limit_errors(&[("Bucket", 250), ("AWS::SQS::Queue", 1)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("declares 501 resources"), "{errors:?}");
        // Constructs from outside the catalog count as one.
        assert!(limit_errors(&[("site::Site", 500)]).is_empty());
        assert_eq!(limit_errors(&[("site::Site", 501)]).len(), 1);
    }
}
