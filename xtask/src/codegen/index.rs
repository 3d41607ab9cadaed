//! `stack-spec/data/cfn-index.json`: the schema index the proc macro loads.

use serde_json::{json, Map, Value};

use crate::model::{AttrTy, Prop, Resource, Ty};
use crate::vendor::canonical;

fn ty_json(t: &Ty) -> Value {
    match t {
        Ty::String => "string".into(),
        Ty::Integer => "integer".into(),
        Ty::Number => "number".into(),
        Ty::Boolean => "boolean".into(),
        Ty::Json => "json".into(),
        Ty::Timestamp => "timestamp".into(),
        Ty::Tag => "tag".into(),
        Ty::List(e) => json!({ "list": ty_json(e) }),
        Ty::Map(e) => json!({ "map": ty_json(e) }),
        Ty::Nested(n) => json!({ "type": n }),
        Ty::Arn(k) => json!({ "arn": k }),
        Ty::Id(k) => json!({ "id": k }),
        Ty::Union(ts) => json!({ "union": ts.iter().map(ty_json).collect::<Vec<_>>() }),
    }
}

fn attr_json(t: &AttrTy) -> Value {
    match t {
        AttrTy::String => "string".into(),
        AttrTy::Integer => "integer".into(),
        AttrTy::Number => "number".into(),
        AttrTy::Boolean => "boolean".into(),
        AttrTy::Json => "json".into(),
        AttrTy::Arn => "arn".into(),
        AttrTy::List(e) => json!({ "list": attr_json(e) }),
        AttrTy::Id(k) => json!({ "id": k }),
    }
}

fn props_json(props: &[Prop]) -> Value {
    let mut m = Map::new();
    for p in props {
        let mut o = Map::new();
        o.insert("field".into(), p.field.clone().into());
        o.insert("type".into(), ty_json(&p.ty));
        if p.required {
            o.insert("required".into(), true.into());
        }
        if let Some(r) = &p.replacement {
            o.insert("replacement".into(), r.clone().into());
        }
        if !p.enum_values.is_empty() {
            o.insert("enum".into(), p.enum_values.clone().into());
        }
        for (key, value) in &p.constraints {
            o.insert(key.clone(), value.clone());
        }
        if p.boxed {
            o.insert("boxed".into(), true.into());
        }
        m.insert(p.name.clone(), Value::Object(o));
    }
    Value::Object(m)
}

pub(super) fn index_json(resources: &[Resource]) -> String {
    let mut all = Map::new();
    for r in resources {
        let mut o = Map::new();
        o.insert("feature".into(), r.service.clone().into());
        o.insert(
            "path".into(),
            format!("aws::{}::{}", r.service, r.rust).into(),
        );
        o.insert(
            "kind".into(),
            format!("kind::{}::{}", r.service, r.rust).into(),
        );
        o.insert(
            "ref".into(),
            json!({
                "returns": r.ref_returns.clone().unwrap_or_default(),
                "type": if r.ref_is_arn { "arn" } else { "id" },
            }),
        );
        let mut attrs = Map::new();
        for a in &r.attrs {
            attrs.insert(
                a.name.clone(),
                json!({ "method": a.method, "type": attr_json(&a.ty) }),
            );
        }
        o.insert("attrs".into(), Value::Object(attrs));
        o.insert("props".into(), props_json(&r.props));
        let mut types = Map::new();
        for t in &r.types {
            types.insert(
                t.name.clone(),
                json!({
                    "path": format!("aws::{}::{}::{}", r.service, r.module, t.rust),
                    "props": props_json(&t.props),
                }),
            );
        }
        o.insert("types".into(), Value::Object(types));
        if let Some(arn) = &r.arn_template {
            o.insert("arn".into(), arn.clone().into());
        }
        o.insert("stateful".into(), r.stateful.into());
        all.insert(r.cfn_type.clone(), Value::Object(o));
    }
    let mut root = Map::new();
    root.insert("resources".into(), Value::Object(all));
    let mut text = canonical(&Value::Object(root)).to_string();
    text.push('\n');
    text
}
