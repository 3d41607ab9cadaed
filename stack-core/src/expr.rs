//! Untyped CloudFormation expressions: literals and intrinsic functions.
//!
//! [`Expr`] is what every typed [`Value`](crate::Value) wraps and what templates are built
//! from. It renders to JSON with [`Expr::to_json`].

use serde_json::{Map, Value as Json};

/// A CloudFormation value: a literal, a container, or an intrinsic function call.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A string literal.
    Str(String),
    /// An integer literal.
    Int(i64),
    /// A floating-point literal.
    Num(f64),
    /// A boolean literal.
    Bool(bool),
    /// Arbitrary literal JSON (policy documents, free-form properties).
    Json(Json),
    /// A list.
    List(Vec<Expr>),
    /// An object; keys keep their insertion order.
    Map(Vec<(String, Expr)>),
    /// `{"Ref": id}`: a resource, a parameter, or a pseudo parameter such as `AWS::Region`.
    Ref(String),
    /// `{"Fn::GetAtt": [id, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Join": [separator, parts]}`.
    Join(String, Vec<Expr>),
    /// `{"Fn::Sub": template}`: the template already has its `${...}` placeholders in place.
    Sub(String),
    /// `{"Fn::ImportValue": name}`.
    ImportValue(Box<Expr>),
    /// `{"Fn::Select": [index, list]}`.
    Select(u32, Box<Expr>),
    /// `{"Fn::Split": [separator, source]}`.
    Split(String, Box<Expr>),
    /// `{"Fn::GetAZs": region}`.
    GetAzs(Box<Expr>),
}

impl Expr {
    /// Renders the expression as template JSON.
    pub fn to_json(&self) -> Json {
        match self {
            Expr::Str(s) => Json::String(s.clone()),
            Expr::Int(i) => Json::from(*i),
            Expr::Num(n) => Json::from(*n),
            Expr::Bool(b) => Json::Bool(*b),
            Expr::Json(j) => j.clone(),
            Expr::List(items) => Json::Array(items.iter().map(Expr::to_json).collect()),
            Expr::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Expr::Ref(id) => intrinsic("Ref", Json::String(id.clone())),
            Expr::GetAtt(id, attr) => intrinsic(
                "Fn::GetAtt",
                Json::Array(vec![Json::String(id.clone()), Json::String(attr.clone())]),
            ),
            Expr::Join(sep, parts) => intrinsic(
                "Fn::Join",
                Json::Array(vec![
                    Json::String(sep.clone()),
                    Json::Array(parts.iter().map(Expr::to_json).collect()),
                ]),
            ),
            Expr::Sub(template) => intrinsic("Fn::Sub", Json::String(template.clone())),
            Expr::ImportValue(name) => intrinsic("Fn::ImportValue", name.to_json()),
            Expr::Select(index, list) => intrinsic(
                "Fn::Select",
                Json::Array(vec![Json::from(*index), list.to_json()]),
            ),
            Expr::Split(sep, source) => intrinsic(
                "Fn::Split",
                Json::Array(vec![Json::String(sep.clone()), source.to_json()]),
            ),
            Expr::GetAzs(region) => intrinsic("Fn::GetAZs", region.to_json()),
        }
    }

    /// Whether the value is known at synth time (contains no intrinsic function).
    pub fn is_literal(&self) -> bool {
        match self {
            Expr::Str(_) | Expr::Int(_) | Expr::Num(_) | Expr::Bool(_) | Expr::Json(_) => true,
            Expr::List(items) => items.iter().all(Expr::is_literal),
            Expr::Map(entries) => entries.iter().all(|(_, v)| v.is_literal()),
            _ => false,
        }
    }

    /// Logical IDs this expression refers to through `Ref`, `Fn::GetAtt` or `Fn::Sub`,
    /// pseudo parameters (`AWS::...`) excluded, in order of first appearance.
    pub fn referenced_ids(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_ids(&mut out);
        out
    }

    fn collect_ids(&self, out: &mut Vec<String>) {
        let mut push = |id: &str| {
            if !id.starts_with("AWS::") && !out.iter().any(|o| o == id) {
                out.push(id.to_owned());
            }
        };
        match self {
            Expr::Ref(id) | Expr::GetAtt(id, _) => push(id),
            Expr::Sub(template) => {
                for part in stack_spec::sub::parse(template).parts {
                    if let stack_spec::sub::Part::Placeholder(name) = part {
                        push(name.split('.').next().unwrap_or(name));
                    }
                }
            }
            Expr::List(items) | Expr::Join(_, items) => {
                items.iter().for_each(|i| i.collect_ids(out));
            }
            Expr::Map(entries) => entries.iter().for_each(|(_, v)| v.collect_ids(out)),
            Expr::ImportValue(e) | Expr::Select(_, e) | Expr::Split(_, e) | Expr::GetAzs(e) => {
                e.collect_ids(out);
            }
            Expr::Json(json) => collect_json_ids(json, out),
            Expr::Str(_) | Expr::Int(_) | Expr::Num(_) | Expr::Bool(_) => {}
        }
    }
}

fn intrinsic(name: &str, arg: Json) -> Json {
    let mut map = Map::new();
    map.insert(name.to_owned(), arg);
    Json::Object(map)
}

fn collect_json_ids(json: &Json, out: &mut Vec<String>) {
    match json {
        Json::Object(map) => {
            if let (1, Some(Json::String(id))) = (map.len(), map.get("Ref")) {
                if !id.starts_with("AWS::") && !out.contains(id) {
                    out.push(id.clone());
                }
                return;
            }
            if let (1, Some(Json::Array(args))) = (map.len(), map.get("Fn::GetAtt")) {
                if let Some(Json::String(id)) = args.first() {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
                return;
            }
            map.values().for_each(|v| collect_json_ids(v, out));
        }
        Json::Array(items) => items.iter().for_each(|v| collect_json_ids(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_intrinsics() {
        let e = Expr::Join(
            "".into(),
            vec![
                Expr::Str("a".into()),
                Expr::GetAtt("Fn".into(), "Arn".into()),
            ],
        );
        assert_eq!(
            e.to_json().to_string(),
            r#"{"Fn::Join":["",["a",{"Fn::GetAtt":["Fn","Arn"]}]]}"#
        );
    }

    #[test]
    fn finds_references_in_sub_and_json() {
        let e = Expr::List(vec![
            Expr::Sub("${Bucket.Arn}/*-${AWS::Region}-${!Literal}".into()),
            Expr::Json(serde_json::json!({"x": {"Ref": "Queue"}})),
            Expr::Ref("AWS::AccountId".into()),
        ]);
        assert_eq!(e.referenced_ids(), vec!["Bucket", "Queue"]);
    }
}
