//! Names and types in generated Rust source.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{AttrTy, Prop, Ty};

/// Where the runtime API used by generated code lives.
pub(super) const RT: &str = "crate::__private::codegen";
/// Names the generated code uses unqualified; a local type of the same name forces the
/// qualified path instead.
const QUALIFIED: &[(&str, &str)] = &[
    ("Arn", "crate::__private::codegen::Arn"),
    ("Expr", "crate::__private::codegen::Expr"),
    ("Handle", "crate::__private::codegen::Handle"),
    ("Id", "crate::__private::codegen::Id"),
    ("Json", "crate::__private::codegen::Json"),
    ("Props", "crate::__private::codegen::Props"),
    ("Resource", "crate::__private::codegen::Resource"),
    ("Tag", "crate::__private::codegen::Tag"),
    ("ToExpr", "crate::__private::codegen::ToExpr"),
    ("Value", "crate::__private::codegen::Value"),
    ("BTreeMap", "::std::collections::BTreeMap"),
    ("Box", "::std::boxed::Box"),
    ("Default", "::core::default::Default"),
    ("Option", "::core::option::Option"),
    ("String", "::std::string::String"),
    ("Vec", "::std::vec::Vec"),
];

/// Resolves runtime names in one module, qualifying those a local type shadows.
pub(super) struct Scope<'a> {
    pub(super) locals: BTreeSet<&'a str>,
    /// Prefix of nested type names (`bucket::` in the service module, empty inside it).
    pub(super) nested: String,
    /// Rust name of each nested type of the current resource.
    pub(super) nested_names: BTreeMap<&'a str, &'a str>,
    pub(super) kinds: &'a BTreeMap<&'a str, String>,
}

impl Scope<'_> {
    pub(super) fn q(&self, name: &'static str) -> &'static str {
        if self.locals.contains(name) {
            QUALIFIED
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name, |(_, full)| full)
        } else {
            name
        }
    }

    pub(super) fn kind(&self, cfn_type: &str) -> &str {
        self.kinds.get(cfn_type).map_or("()", String::as_str)
    }

    pub(super) fn nested(&self, name: &str) -> String {
        let rust = self.nested_names.get(name).copied().unwrap_or(name);
        format!("{}{rust}", self.nested)
    }

    /// The element type `X` of `Value<X>` for a primitive-like type, if it is one.
    pub(super) fn primitive(&self, ty: &Ty) -> Option<String> {
        Some(match ty {
            Ty::String | Ty::Timestamp => self.q("String").to_owned(),
            Ty::Integer => "i64".to_owned(),
            Ty::Number => "f64".to_owned(),
            Ty::Boolean => "bool".to_owned(),
            Ty::Arn(k) => format!("{}<{}>", self.q("Arn"), self.kind(k)),
            Ty::Id(k) => format!("{}<{}>", self.q("Id"), self.kind(k)),
            _ => return None,
        })
    }

    pub(super) fn value(&self, inner: &str) -> String {
        format!("{}<{inner}>", self.q("Value"))
    }

    pub(super) fn json(&self) -> String {
        self.value(self.q("Json"))
    }

    /// The Rust type of a field (inside `Option<…>`).
    pub(super) fn field_ty(&self, p: &Prop) -> String {
        let t = &p.ty;
        if let Some(x) = self.primitive(t) {
            return self.value(&x);
        }
        match t {
            Ty::Tag => self.q("Tag").to_owned(),
            Ty::Nested(n) if p.boxed => format!("{}<{}>", self.q("Box"), self.nested(n)),
            Ty::Nested(n) => self.nested(n),
            Ty::List(e) => match (self.primitive(e), &**e) {
                (Some(x), _) => self.value(&format!("{}<{x}>", self.q("Vec"))),
                (None, Ty::Nested(n)) => format!("{}<{}>", self.q("Vec"), self.nested(n)),
                (None, Ty::Tag) => format!("{}<{}>", self.q("Vec"), self.q("Tag")),
                _ => self.json(),
            },
            Ty::Map(e) => {
                let map = self.q("BTreeMap");
                let string = self.q("String");
                match (self.primitive(e), &**e) {
                    (Some(x), _) => format!("{map}<{string}, {}>", self.value(&x)),
                    (None, Ty::Nested(n)) => format!("{map}<{string}, {}>", self.nested(n)),
                    _ => self.json(),
                }
            }
            _ => self.json(),
        }
    }

    pub(super) fn uses_btreemap(&self, props: &[Prop]) -> bool {
        props.iter().any(|p| self.field_ty(p).contains("BTreeMap<"))
    }

    pub(super) fn attr_ty(&self, t: &AttrTy, kind: &str) -> String {
        match t {
            AttrTy::String => self.value(self.q("String")),
            AttrTy::Integer => self.value("i64"),
            AttrTy::Number => self.value("f64"),
            AttrTy::Boolean => self.value("bool"),
            AttrTy::Json => self.json(),
            AttrTy::Arn => self.value(&format!("{}<{kind}>", self.q("Arn"))),
            AttrTy::Id(k) => self.value(&format!("{}<{}>", self.q("Id"), self.kind(k))),
            AttrTy::List(e) => {
                let inner = match &**e {
                    AttrTy::Integer => "i64",
                    AttrTy::Number => "f64",
                    AttrTy::Boolean => "bool",
                    _ => self.q("String"),
                };
                self.value(&format!("{}<{inner}>", self.q("Vec")))
            }
        }
    }
}
