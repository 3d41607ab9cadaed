//! The syntax tree of a `stack!` block, as written.

use proc_macro2::Span;
use syn::{Attribute, Expr, Ident, LitStr, Path, Type, Visibility};

/// A whole `stack!` invocation.
pub(crate) struct StackInput {
    /// Outer attributes; doc comments become the template description.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    /// `(props: Type)`: configuration supplied from Rust.
    pub(crate) props: Option<(Ident, Type)>,
    /// `uses network: Network, ...`: other stacks of the app this one imports from.
    pub(crate) uses: Vec<(Ident, Type)>,
    pub(crate) items: Vec<Item>,
}

/// One declaration inside the stack body.
pub(crate) enum Item {
    Param(ParamItem),
    Let(LetItem),
    Resource(ResourceItem),
    Grant(GrantItem),
    Output(OutputItem),
    Tag(TagItem),
    For(ForItem),
    Override(OverrideItem),
    Env(EnvItem),
}

/// `env { account: "123456789012", region: "us-east-1" }`: the account and region the
/// stack is pinned to, and whether it may use stacks of other regions.
pub(crate) struct EnvItem {
    pub(crate) keyword: Span,
    /// `key: value`, as written; the keys are checked when the block is lowered.
    pub(crate) fields: Vec<(Ident, Expr)>,
}

/// `override target.Path.To.Property = value;` or `remove target.Path;`: sets or removes
/// a property of a resource, or of a resource a construct adds (`target.role.Path`).
pub(crate) struct OverrideItem {
    pub(crate) keyword: Span,
    pub(crate) target: Ident,
    /// The segments after the target: names, and numbers that index lists.
    pub(crate) path: Vec<(String, Span)>,
    /// `None` for `remove`.
    pub(crate) value: Option<ValueExpr>,
}

/// `for pattern in iterable { resource name[key]: Type { .. } grant ..; }`: one
/// resource per element of a collection from the props.
pub(crate) struct ForItem {
    pub(crate) pat: syn::Pat,
    pub(crate) iterable: Expr,
    pub(crate) items: Vec<Item>,
}

/// `param stage: String = "prod";`
pub(crate) struct ParamItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) name: Ident,
    pub(crate) ty: Type,
    pub(crate) default: Option<Expr>,
}

/// `let name = expr;`: plain Rust computed while the stack is built.
pub(crate) struct LetItem {
    pub(crate) name: Ident,
    pub(crate) ty: Option<Type>,
    pub(crate) expr: Expr,
}

/// `resource name: Type { field: value, ... }`
pub(crate) struct ResourceItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) name: Ident,
    /// `name[key]` inside a `for`: the key that names each element.
    pub(crate) key: Option<Expr>,
    pub(crate) ty: Path,
    pub(crate) body: Object,
}

/// `grant principal permission target;` or `grant principal ["svc:Action"] on target;`
pub(crate) struct GrantItem {
    pub(crate) keyword: Span,
    pub(crate) principal: Ident,
    pub(crate) permission: Permission,
    pub(crate) target: Ident,
    /// `grant f read storage.files`: a resource of the used stack `target`.
    pub(crate) target_resource: Option<Ident>,
}

/// What a grant hands out.
pub(crate) enum Permission {
    /// A named bundle offered by the target (`read`, `read_write`, ...).
    Named(Ident),
    /// Explicit IAM actions on the target's ARN.
    Actions(Vec<LitStr>),
}

/// `output name = value;`
pub(crate) struct OutputItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) name: Ident,
    pub(crate) value: ValueExpr,
}

/// `tag "key" = value;`: a stack-level tag.
pub(crate) struct TagItem {
    pub(crate) key: LitStr,
    pub(crate) value: Expr,
}

/// A key in an object literal: an identifier or a string.
#[derive(Clone)]
pub(crate) enum Key {
    Ident(Ident),
    Str(LitStr),
}

impl Key {
    pub(crate) fn name(&self) -> String {
        match self {
            Key::Ident(i) => {
                let s = i.to_string();
                s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
            }
            Key::Str(s) => s.value(),
        }
    }

    pub(crate) fn span(&self) -> Span {
        match self {
            Key::Ident(i) => i.span(),
            Key::Str(s) => s.span(),
        }
    }
}

/// `{ key: value, ... }`
pub(crate) struct Object {
    pub(crate) span: Span,
    pub(crate) fields: Vec<Field>,
}

/// One `key: value` of an object.
pub(crate) struct Field {
    pub(crate) key: Key,
    pub(crate) value: ValueExpr,
}

/// A value in a property position.
pub(crate) enum ValueExpr {
    /// `{ ... }`: a nested property type, a map, or JSON, depending on where it is.
    Object(Object),
    /// `[a, b]`
    List { span: Span, items: Vec<ValueExpr> },
    /// `Type { field: value }`: an option type of a construct.
    Struct { path: Path, body: Object },
    /// Any Rust expression, with references to declared names inside.
    Rust(Expr),
}

impl ValueExpr {
    pub(crate) fn span(&self) -> Span {
        match self {
            ValueExpr::Object(o) => o.span,
            ValueExpr::List { span, .. } => *span,
            ValueExpr::Struct { path, .. } => syn::spanned::Spanned::span(path),
            ValueExpr::Rust(e) => syn::spanned::Spanned::span(e),
        }
    }
}
