//! `stack-core/src/aws/mod.rs` and `stack-core/src/aws/<service>.rs`: the resource types.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::kind::push_allows;
use super::scope::{Scope, RT};
use super::HEADER;
use crate::model::{Prop, Resource, TypeDef};

/// Whether the constructs build with `r`, so that its struct is compiled whatever the
/// features.
fn always_compiled(r: &Resource) -> bool {
    stack_spec::catalog::is_resource_type(&r.cfn_type)
}

pub(super) fn aws_mod_rs(services: &BTreeMap<&str, Vec<&Resource>>) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "//! CloudFormation resource types, one module per service. Each type is behind the
//! cargo feature of its service (`sqs`, `sns`, …; `all` enables every one), except the
//! types the constructs are built with, which are always compiled.
",
    );
    for (service, list) in services {
        let cfg = if list.iter().any(|r| always_compiled(r)) {
            String::from(
                "// Always compiled: the constructs build their resources with some of these types.\n",
            )
        } else {
            format!("#[cfg(feature = \"{service}\")]\n")
        };
        let _ = write!(
            s,
            "\n/// `{}::*` resource types.\n{cfg}pub mod {service};\n",
            list[0].namespace
        );
    }
    s.push_str(
        "\n// `::stack_core::__stack_require_<service>!()`, emitted by `stack!` at the user's
// resource type unless it is always compiled, fails with a readable error when the
// service's feature is off.\n",
    );
    for (service, list) in services {
        let ns = &list[0].namespace;
        let _ = write!(
            s,
            "\n#[cfg(feature = \"{service}\")]
#[doc(hidden)]
#[macro_export]
macro_rules! __stack_require_{service} {{
    () => {{}};
}}
#[cfg(not(feature = \"{service}\"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __stack_require_{service} {{
    () => {{
        compile_error!(\"`{ns}::*` resources need the `{service}` feature of `stack-core`; add `features = [\\\"{service}\\\"]` to its entry in Cargo.toml\");
    }};
}}
"
        );
    }
    s
}

// ---------------------------------------------------------------------------------------
// aws/<service>.rs

fn docs_url(r: &Resource) -> Option<String> {
    let mut parts = r.cfn_type.split("::");
    let (ns, svc, name) = (parts.next()?, parts.next()?, parts.next()?);
    (ns == "AWS" && svc != "Serverless").then(|| {
        format!(
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-{}-{}.html",
            svc.to_ascii_lowercase(),
            name.to_ascii_lowercase()
        )
    })
}

fn prop_doc(p: &Prop) -> String {
    let mut doc = format!("`{}`.", p.name);
    if p.required {
        doc.push_str(" Required.");
    }
    match p.replacement.as_deref() {
        Some("yes") => doc.push_str(" Changing it replaces the resource."),
        Some("maybe") => doc.push_str(" Changing it may replace the resource."),
        _ => {}
    }
    doc
}

/// `struct`, `Default` and the field list of the `Props` builder, shared by resources
/// and nested types.
fn push_struct(
    s: &mut String,
    (indent, cfg): (&str, &str),
    doc: &str,
    rust: &str,
    props: &[Prop],
    scope: &Scope<'_>,
) {
    let _ = writeln!(s, "\n{indent}/// {doc}\n{cfg}{indent}pub struct {rust} {{");
    for p in props {
        let _ = writeln!(
            s,
            "{indent}    /// {}\n{indent}    pub {}: {}<{}>,",
            prop_doc(p),
            p.field,
            scope.q("Option"),
            scope.field_ty(p)
        );
    }
    let _ = writeln!(
        s,
        "{indent}}}\n\n{cfg}{indent}impl {} for {rust} {{\n{indent}    fn default() -> Self {{\n{indent}        Self {{",
        scope.q("Default")
    );
    for p in props {
        let _ = writeln!(s, "{indent}            {}: None,", p.field);
    }
    let _ = writeln!(s, "{indent}        }}\n{indent}    }}\n{indent}}}");
}

fn push_props_body(s: &mut String, indent: &str, props: &[Prop], scope: &Scope<'_>) {
    if props.is_empty() {
        let _ = writeln!(s, "{indent}{}::new().into_expr()", scope.q("Props"));
        return;
    }
    let _ = writeln!(s, "{indent}let mut p = {}::new();", scope.q("Props"));
    for p in props {
        let _ = writeln!(s, "{indent}p.put(\"{}\", &self.{});", p.name, p.field);
    }
    let _ = writeln!(s, "{indent}p.into_expr()");
}

pub(super) fn service_rs(
    service: &str,
    list: &[&Resource],
    kinds: &BTreeMap<&str, String>,
) -> String {
    let mut s = String::from(HEADER);
    let _ = writeln!(
        s,
        "//! `{}::*` resource types (cargo feature `{service}`).",
        list[0].namespace
    );
    let names: Vec<&str> = list
        .iter()
        .flat_map(|r| {
            std::iter::once(r.rust.as_str()).chain(r.types.iter().map(|t| t.rust.as_str()))
        })
        .collect();
    push_allows(&mut s, &names, true);

    let scope = Scope {
        locals: list.iter().map(|r| r.rust.as_str()).collect(),
        nested: String::new(),
        nested_names: BTreeMap::new(),
        kinds,
    };
    // A module the constructs build with is compiled without its feature, but only the
    // types they use are; the others keep the feature, and the imports may go unused.
    let partial = list.iter().any(|r| always_compiled(r));
    let allow = if partial {
        "#[allow(unused_imports)]\n"
    } else {
        ""
    };
    let mut uses = format!("\n{allow}use {RT}::*;\n");
    if list.iter().any(|r| scope.uses_btreemap(&r.props)) {
        uses.insert_str(1, &format!("{allow}use std::collections::BTreeMap;\n\n"));
    }
    s.push_str(&uses);

    for r in list {
        let nested_names: BTreeMap<&str, &str> = r
            .types
            .iter()
            .map(|t| (t.name.as_str(), t.rust.as_str()))
            .collect();
        let scope = Scope {
            locals: scope.locals.clone(),
            nested: format!("{}::", r.module),
            nested_names: nested_names.clone(),
            kinds,
        };
        let doc = match docs_url(r) {
            Some(url) => format!("`{}` ([docs]({url})).", r.cfn_type),
            None => format!("`{}`.", r.cfn_type),
        };
        let cfg = if !partial || always_compiled(r) {
            String::new()
        } else {
            format!("#[cfg(feature = \"{service}\")]\n")
        };
        push_struct(&mut s, ("", &cfg), &doc, &r.rust, &r.props, &scope);

        let kind = &kinds[r.cfn_type.as_str()];
        let _ = writeln!(
            s,
            "\n{cfg}impl {} for {} {{\n    const TYPE: &'static str = \"{}\";\n    type Kind = {kind};\n    fn properties(&self) -> {} {{",
            scope.q("Resource"),
            r.rust,
            r.cfn_type,
            scope.q("Expr")
        );
        push_props_body(&mut s, "        ", &r.props, &scope);
        s.push_str("    }\n}\n");

        let _ = writeln!(s, "\n{cfg}impl {}<{}> {{", scope.q("Handle"), r.rust);
        for a in &r.attrs {
            let _ = writeln!(
                s,
                "    /// `Fn::GetAtt` `{}`.\n    pub fn {}(&self) -> {} {{\n        self.get_att(\"{}\")\n    }}",
                a.name,
                a.method,
                scope.attr_ty(&a.ty, kind),
                a.name
            );
        }
        let (ref_ty, ref_doc) = match (&r.ref_returns, r.ref_is_arn) {
            (Some(p), true) => (
                format!("{}<{kind}>", scope.q("Arn")),
                format!("`Ref`: the ARN (`{p}`)."),
            ),
            (Some(p), false) => (
                format!("{}<{kind}>", scope.q("Id")),
                format!("`Ref`: returns `{p}`."),
            ),
            (None, _) => (format!("{}<{kind}>", scope.q("Id")), "`Ref`.".to_owned()),
        };
        let _ = writeln!(
            s,
            "    /// {ref_doc}\n    pub fn r#ref(&self) -> {} {{\n        self.ref_value()\n    }}\n}}",
            scope.value(&ref_ty)
        );

        if !r.types.is_empty() {
            push_nested_module(&mut s, r, &cfg, kinds, nested_names);
        }
    }
    s
}

fn push_nested_module(
    s: &mut String,
    r: &Resource,
    cfg: &str,
    kinds: &BTreeMap<&str, String>,
    nested_names: BTreeMap<&str, &str>,
) {
    let scope = Scope {
        locals: r.types.iter().map(|t| t.rust.as_str()).collect(),
        nested: String::new(),
        nested_names,
        kinds,
    };
    let _ = writeln!(
        s,
        "\n/// Property types of `{}`.\n{cfg}pub mod {} {{",
        r.cfn_type, r.module
    );
    let all_props: Vec<&Prop> = r.types.iter().flat_map(|t| &t.props).collect();
    if all_props
        .iter()
        .any(|p| scope.field_ty(p).contains("BTreeMap<"))
    {
        s.push_str("    use std::collections::BTreeMap;\n\n");
    }
    let _ = writeln!(s, "    use {RT}::*;");
    for t in &r.types {
        push_nested_type(s, r, t, &scope);
    }
    s.push_str("}\n");
}

fn push_nested_type(s: &mut String, r: &Resource, t: &TypeDef, scope: &Scope<'_>) {
    let doc = format!("`{}` (property type of `{}`).", t.name, r.cfn_type);
    push_struct(s, ("    ", ""), &doc, &t.rust, &t.props, scope);
    let _ = writeln!(
        s,
        "\n    impl {} for {} {{\n        fn to_expr(&self) -> {} {{",
        scope.q("ToExpr"),
        t.rust,
        scope.q("Expr")
    );
    push_props_body(s, "            ", &t.props, scope);
    s.push_str("        }\n    }\n");
}
