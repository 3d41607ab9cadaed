//! The property paths of `override` and `remove`, checked against the resource schema.

use proc_macro2::Span;

use stack_spec::cfn_index::{self, Constraints, PropSet, PropType, ResourceSchema};
use stack_spec::suggest;

use crate::ast::ValueExpr;
use crate::check::values;
use crate::ctxt::Ctxt;

/// Checks `path` (below `Properties`) against the schema of `type_name`, and a literal
/// `value` against the type of the property it replaces. Types outside the schema index
/// (custom resources) are not checked.
pub(crate) fn check_path(
    type_name: &str,
    path: &[(String, Span)],
    value: Option<&ValueExpr>,
    cx: &Ctxt,
) {
    let Some(schema) = cfn_index::resource(type_name) else {
        return;
    };
    let mut at = At::Object(schema.props(), type_name.to_owned());
    let mut allowed: Vec<&'static str> = Vec::new();
    let mut constraints = Constraints::default();
    for (i, (segment, span)) in path.iter().enumerate() {
        let here = path[..i]
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join(".");
        at = match at {
            At::Object(props, owner) => {
                let Some(prop) = props.get(segment) else {
                    let names = props.names();
                    let hint = match suggest::closest(segment, names.iter().copied()) {
                        Some(close) => format!("; did you mean `{close}`?"),
                        None => format!("; its properties are {}", suggest::list(&names)),
                    };
                    cx.error(
                        *span,
                        format!("unknown property `{segment}` on `{owner}`{hint}"),
                    );
                    return;
                };
                allowed = prop.allowed.clone();
                constraints = prop.constraints;
                enter(&schema, prop.ty)
            }
            At::List(inner) => {
                if segment.parse::<usize>().is_err() {
                    cx.error(
                        *span,
                        format!("`{here}` is a list; index it with a number, e.g. `{here}.0`"),
                    );
                    return;
                }
                enter(&schema, *inner)
            }
            At::Map(inner) => enter(&schema, *inner),
            At::Any => return,
            At::Leaf(ty) => {
                cx.error(
                    *span,
                    format!("`{here}` is {}, which has no `{segment}`", ty.describe()),
                );
                return;
            }
        };
    }
    if let (At::Leaf(ty), Some(ValueExpr::Rust(expr))) = (&at, value) {
        let what = format!(
            "{type_name}.{}",
            path.iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join(".")
        );
        let allowed = values::Allowed {
            values: &allowed,
            constraints,
        };
        values::check_literal(expr, ty, allowed.items(), &what, cx);
    }
}

/// Where a path has got to.
enum At {
    /// An object: the properties of a resource or a nested type, and its name.
    Object(PropSet, String),
    List(Box<PropType>),
    Map(Box<PropType>),
    /// JSON or a tag: anything below goes.
    Any,
    Leaf(PropType),
}

fn enter(schema: &ResourceSchema, ty: PropType) -> At {
    match ty {
        PropType::Nested(nested) => match schema.nested(nested) {
            Some(nested_type) => At::Object(nested_type.props, nested.to_owned()),
            None => At::Any,
        },
        PropType::List(inner) => At::List(inner),
        PropType::Map(inner) => At::Map(inner),
        PropType::Json | PropType::Tag => At::Any,
        leaf => At::Leaf(leaf),
    }
}
