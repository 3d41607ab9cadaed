//! Literal values checked against the property's type, allowed values and the
//! registry's constraints (pattern, lengths, range).

use syn::{Expr, ExprLit, Lit, UnOp};

use crate::ctxt::Ctxt;
use stack_spec::cfn_index::{Constraints, PropType};
use stack_spec::suggest;

/// What a property's literal values are checked against besides their type: the allowed
/// values and the registry's constraints.
#[derive(Clone, Copy, Default)]
pub(crate) struct Allowed<'a> {
    /// The enum values (empty: any).
    pub(crate) values: &'a [&'static str],
    /// Pattern, lengths, range and list size.
    pub(crate) constraints: Constraints,
}

impl<'a> Allowed<'a> {
    /// Of one property of the schema.
    pub(crate) fn of(prop: &'a stack_spec::cfn_index::Prop) -> Self {
        Allowed {
            values: &prop.allowed,
            constraints: prop.constraints,
        }
    }

    /// For the items of a list (the list's own size limits are not theirs).
    pub(crate) fn items(self) -> Self {
        Allowed {
            constraints: Constraints {
                min_items: None,
                max_items: None,
                ..self.constraints
            },
            ..self
        }
    }
}

/// Checks a literal (or a negated number) against `ty`, its enum values and the
/// registry's constraints.
pub(crate) fn check_literal(
    expr: &Expr,
    ty: &PropType,
    allowed: Allowed<'_>,
    what: &str,
    cx: &Ctxt,
) {
    let (lit, negated) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (lit, false),
        Expr::Unary(u) => match &*u.expr {
            Expr::Lit(ExprLit { lit, .. }) => (lit, matches!(u.op, UnOp::Neg(_))),
            _ => return,
        },
        _ => return,
    };
    let found = match lit {
        Lit::Str(_) => "a string",
        Lit::Int(_) => "an integer",
        Lit::Float(_) => "a number",
        Lit::Bool(_) => "a boolean",
        _ => "a literal",
    };
    let fits = match (ty, lit) {
        (PropType::String | PropType::Arn(_) | PropType::Id(_), Lit::Str(_)) => true,
        (PropType::Integer, Lit::Int(_)) => true,
        (PropType::Number, Lit::Int(_) | Lit::Float(_)) => true,
        (PropType::Boolean, Lit::Bool(_)) => true,
        (PropType::List(inner), _) => return check_literal(expr, inner, allowed.items(), what, cx),
        (PropType::Json | PropType::Map(_), _) => true,
        _ => false,
    };
    if !fits {
        let fix = match (ty, lit) {
            (PropType::Integer | PropType::Number, Lit::Str(s))
                if s.value().parse::<f64>().is_ok() =>
            {
                format!("; write `{}` without quotes", s.value())
            }
            (PropType::Boolean, Lit::Str(s)) if matches!(s.value().as_str(), "true" | "false") => {
                format!("; write `{}` without quotes", s.value())
            }
            (PropType::String, Lit::Int(i)) => format!("; write `\"{}\"`", i.base10_digits()),
            (PropType::String, Lit::Bool(b)) => format!("; write `\"{}\"`", b.value),
            _ => String::new(),
        };
        cx.error(
            lit.span(),
            format!("`{what}` expects {}, found {found}{fix}", ty.describe()),
        );
        return;
    }
    let broken = match lit {
        Lit::Str(s) => {
            let value = s.value();
            let values = allowed.values;
            if !values.is_empty() && !values.contains(&value.as_str()) {
                let hint = suggest::did_you_mean(&value, values.iter().copied());
                let hint = if hint.is_empty() {
                    format!("; allowed values are {}", suggest::list(values))
                } else {
                    hint
                };
                cx.error(
                    s.span(),
                    format!("`{value}` is not an allowed value of `{what}`{hint}"),
                );
                return;
            }
            allowed.constraints.check_str(&value)
        }
        Lit::Int(_) | Lit::Float(_) => {
            let digits = match lit {
                Lit::Int(i) => i.base10_digits(),
                Lit::Float(f) => f.base10_digits(),
                _ => return,
            };
            let sign = if negated { "-" } else { "" };
            let written = format!("{sign}{digits}");
            written
                .parse::<f64>()
                .ok()
                .and_then(|n| allowed.constraints.check_number(n, &written))
        }
        _ => None,
    };
    if let Some(broken) = broken {
        cx.error(lit.span(), format!("`{what}` {broken}"));
    }
}

/// Checks the number of items of a list literal against the registry's `minItems` and
/// `maxItems`, when every item is one item in the template (no expression that may be a
/// condition's `AWS::NoValue`) and the list is not empty (an empty list may be left out).
pub(crate) fn check_list_size(
    items: &[crate::ast::ValueExpr],
    span: proc_macro2::Span,
    allowed: Allowed<'_>,
    what: &str,
    cx: &Ctxt,
) {
    use crate::ast::ValueExpr;
    let certain = items.iter().all(|item| match item {
        ValueExpr::Rust(expr) => matches!(expr, Expr::Lit(_)),
        _ => true,
    });
    if !certain || items.is_empty() {
        return;
    }
    if let Some(broken) = allowed.constraints.check_items(items.len()) {
        cx.error(span, format!("`{what}` {broken}"));
    }
}

/// Checks a parameter's default literal against its CloudFormation type.
pub(crate) fn check_param_default(expr: &Expr, cfn_type: &str, cx: &Ctxt) {
    let ty = match cfn_type {
        "Number" => PropType::Number,
        "String" => PropType::String,
        _ => return,
    };
    check_literal(expr, &ty, Allowed::default(), "parameter default", cx);
}

#[cfg(test)]
mod tests {
    // Literals against the property's type and its allowed values, and parameter defaults.
    use super::*;
    use crate::test_support::errors;

    /// Checks `literal` as the value of `property` of `type_name`, as the schema types it.
    fn property_errors(type_name: &str, property: &str, literal: &str) -> Vec<String> {
        let schema = stack_spec::cfn_index::resource(type_name).expect("a known type");
        let prop = schema.props().get(property).expect("a known property");
        let expr: Expr = syn::parse_str(literal).expect("an expression");
        let cx = Ctxt::new();
        check_literal(
            &expr,
            &prop.ty,
            Allowed::of(&prop),
            &format!("{type_name}.{property}"),
            &cx,
        );
        errors(cx)
    }

    fn default_errors(cfn_type: &str, literal: &str) -> Vec<String> {
        let expr: Expr = syn::parse_str(literal).expect("an expression");
        let cx = Ctxt::new();
        check_param_default(&expr, cfn_type, &cx);
        errors(cx)
    }

    #[test]
    fn literals_of_the_property_type_pass() {
        for (property, literal) in [
            ("DelaySeconds", "5"),
            ("DelaySeconds", "900"),
            ("FifoQueue", "true"),
            ("QueueName", "\"orders\""),
            ("RedrivePolicy", "1"),
            ("QueueName", "props.name"),
        ] {
            let errors = property_errors("AWS::SQS::Queue", property, literal);
            assert!(errors.is_empty(), "{property} = {literal}: {errors:?}");
        }
    }

    #[test]
    fn a_literal_of_another_type_says_how_to_write_it() {
        let queue = |property, literal| property_errors("AWS::SQS::Queue", property, literal);
        assert_eq!(
            queue("DelaySeconds", "\"5\""),
            ["`AWS::SQS::Queue.DelaySeconds` expects an integer, found a string; write `5` without quotes"]
        );
        assert_eq!(
            queue("DelaySeconds", "1.5"),
            ["`AWS::SQS::Queue.DelaySeconds` expects an integer, found a number"]
        );
        assert_eq!(
            queue("FifoQueue", "\"true\""),
            ["`AWS::SQS::Queue.FifoQueue` expects a boolean, found a string; write `true` without quotes"]
        );
        assert_eq!(
            queue("QueueName", "5"),
            ["`AWS::SQS::Queue.QueueName` expects a string, found an integer; write `\"5\"`"]
        );
        assert_eq!(
            queue("QueueName", "false"),
            ["`AWS::SQS::Queue.QueueName` expects a string, found a boolean; write `\"false\"`"]
        );
        assert_eq!(
            queue("FifoQueue", "\"yes\""),
            ["`AWS::SQS::Queue.FifoQueue` expects a boolean, found a string"]
        );
    }

    #[test]
    fn enum_values_suggest_the_closest_or_list_them() {
        let function =
            |property, literal| property_errors("AWS::Lambda::Function", property, literal);
        assert_eq!(
            function("PackageType", "\"Zipp\""),
            ["`Zipp` is not an allowed value of `AWS::Lambda::Function.PackageType`; did you mean `Zip`?"]
        );
        assert_eq!(
            function("PackageType", "\"Container\""),
            ["`Container` is not an allowed value of `AWS::Lambda::Function.PackageType`; allowed values are `Image`, `Zip`"]
        );
        assert!(function("PackageType", "\"Image\"").is_empty());
        // Each element of a list is checked against the element type.
        assert_eq!(
            function("Architectures", "\"arm65\""),
            ["`arm65` is not an allowed value of `AWS::Lambda::Function.Architectures`; did you mean `arm64`?"]
        );
    }

    #[test]
    fn literals_outside_the_registry_constraints_say_what_is_allowed() {
        let queue = |property, literal| property_errors("AWS::SQS::Queue", property, literal);
        assert_eq!(
            queue("VisibilityTimeout", "99999"),
            ["`AWS::SQS::Queue.VisibilityTimeout` must be at most 43200, found 99999"]
        );
        assert_eq!(
            queue("DelaySeconds", "-1"),
            ["`AWS::SQS::Queue.DelaySeconds` must be at least 0, found -1"]
        );
        assert!(queue("VisibilityTimeout", "43200").is_empty());
        let function =
            |property, literal| property_errors("AWS::Lambda::Function", property, literal);
        assert_eq!(
            function("Handler", "\"index handler\""),
            ["`AWS::Lambda::Function.Handler` must match the pattern `^[^\\s]+$`: ` ` (character 6) is not allowed"]
        );
        assert!(function("Handler", "\"index.handler\"").is_empty());
        let long = format!("\"{}\"", "d".repeat(257));
        assert_eq!(
            function("Description", &long),
            ["`AWS::Lambda::Function.Description` must be at most 256 characters long, found 257"]
        );
        let bucket = |literal| property_errors("AWS::S3::Bucket", "BucketName", literal);
        assert_eq!(
            bucket("\"My-bucket\""),
            ["`AWS::S3::Bucket.BucketName` must match the pattern `^([a-z0-9][a-z0-9.-]*[a-z0-9])?$`"]
        );
        assert!(bucket("\"my-bucket\"").is_empty());
        // References and `sub!` are not literals: nothing to check.
        assert!(bucket("props.name").is_empty());
        assert!(bucket("sub!(\"${AWS::StackName}-X\")").is_empty());
    }

    #[test]
    fn parameter_defaults_are_checked_against_their_type() {
        assert_eq!(
            default_errors("Number", "\"ten\""),
            ["`parameter default` expects a number, found a string"]
        );
        assert_eq!(
            default_errors("String", "3"),
            ["`parameter default` expects a string, found an integer; write `\"3\"`"]
        );
        assert!(default_errors("Number", "2.5").is_empty());
        assert!(default_errors("List<Number>", "\"a\"").is_empty());
    }
}
