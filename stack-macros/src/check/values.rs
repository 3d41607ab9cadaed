//! Literal values checked against the property's type and allowed values.

use syn::{Expr, ExprLit, Lit};

use crate::ctxt::Ctxt;
use stack_spec::cfn_index::PropType;
use stack_spec::suggest;

/// Checks a literal (or a negated number) against `ty` and its enum values.
pub(crate) fn check_literal(expr: &Expr, ty: &PropType, allowed: &[&str], what: &str, cx: &Ctxt) {
    let lit = match expr {
        Expr::Lit(ExprLit { lit, .. }) => lit,
        Expr::Unary(u) => match &*u.expr {
            Expr::Lit(ExprLit { lit, .. }) => lit,
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
        (PropType::List(inner), _) => return check_literal(expr, inner, allowed, what, cx),
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
    if let Lit::Str(s) = lit {
        let value = s.value();
        if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
            let hint = suggest::did_you_mean(&value, allowed.iter().copied());
            let hint = if hint.is_empty() {
                format!("; allowed values are {}", suggest::list(allowed))
            } else {
                hint
            };
            cx.error(
                s.span(),
                format!("`{value}` is not an allowed value of `{what}`{hint}"),
            );
        }
    }
}

/// Checks a parameter's default literal against its CloudFormation type.
pub(crate) fn check_param_default(expr: &Expr, cfn_type: &str, cx: &Ctxt) {
    let ty = match cfn_type {
        "Number" => PropType::Number,
        "String" => PropType::String,
        _ => return,
    };
    check_literal(expr, &ty, &[], "parameter default", cx);
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
            &prop.allowed,
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
            ("DelaySeconds", "-1"),
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
