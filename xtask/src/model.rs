//! The vendored schema (`xtask/vendor/cfn/resources.json`) as Rust data, with every
//! decision codegen needs already taken: Rust names, typed references, boxing.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context as _, Result};
use serde_json::Value;

use crate::names::{ident, snake, Unique};

/// A property type as the schema index spells it (`T` in `cfn-index.json`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    String,
    Integer,
    Number,
    Boolean,
    Json,
    Timestamp,
    Tag,
    List(Box<Ty>),
    Map(Box<Ty>),
    /// A nested property type of the same resource, by CloudFormation name.
    Nested(String),
    /// The ARN of a resource of this CloudFormation type.
    Arn(String),
    /// What `Ref` returns for a resource of this CloudFormation type.
    Id(String),
    Union(Vec<Ty>),
}

/// A property of a resource or nested type.
pub(crate) struct Prop {
    /// CloudFormation name.
    pub(crate) name: String,
    /// Rust field name (already escaped: `r#type`).
    pub(crate) field: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    /// `yes` or `maybe`.
    pub(crate) replacement: Option<String>,
    /// Allowed string values (registry `enum`), for string leaves.
    pub(crate) enum_values: Vec<String>,
    /// Registry constraints on literal values, by keyword (`pattern`, `minLength`,
    /// `maxLength` on string leaves, `minimum`, `maximum` on number leaves, `minItems`,
    /// `maxItems` on a list), copied as they are.
    pub(crate) constraints: Vec<(String, Value)>,
    /// The field is a nested type in the same recursive cycle: `Option<Box<N>>`.
    pub(crate) boxed: bool,
}

/// A nested property type.
pub(crate) struct TypeDef {
    /// CloudFormation name.
    pub(crate) name: String,
    /// Rust type name.
    pub(crate) rust: String,
    pub(crate) props: Vec<Prop>,
}

/// A `Fn::GetAtt` attribute type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AttrTy {
    String,
    Integer,
    Number,
    Boolean,
    Json,
    /// The resource's own ARN.
    Arn,
    /// A list of a primitive (`String`, `Integer`, `Number`, `Boolean`).
    List(Box<AttrTy>),
    /// What `Ref` returns for another resource type (the schema only says "string").
    Id(String),
}

/// Attributes that are the `Ref` of another resource type, which the schemas type as plain
/// strings: `(resource type, attribute, the type it identifies)`. Typed, they fit where
/// that type's ID is expected (`ParentId: api.root_resource_id`).
const ID_ATTRIBUTES: &[(&str, &str, &str)] = &[
    (
        "AWS::ApiGateway::RestApi",
        "RootResourceId",
        "AWS::ApiGateway::Resource",
    ),
    (
        "AWS::EC2::VPC",
        "DefaultSecurityGroup",
        "AWS::EC2::SecurityGroup",
    ),
    (
        "AWS::EC2::SecurityGroup",
        "GroupId",
        "AWS::EC2::SecurityGroup",
    ),
    ("AWS::EC2::Subnet", "VpcId", "AWS::EC2::VPC"),
];

/// A `Fn::GetAtt` attribute.
pub(crate) struct Attr {
    /// CloudFormation name (may contain dots).
    pub(crate) name: String,
    /// Rust method name on `Handle<R>`.
    pub(crate) method: String,
    pub(crate) ty: AttrTy,
}

/// A resource type.
pub(crate) struct Resource {
    /// `AWS::S3::Bucket`.
    pub(crate) cfn_type: String,
    /// `AWS::S3`.
    pub(crate) namespace: String,
    /// Service module and cargo feature: `s3`.
    pub(crate) service: String,
    /// Rust type name (and kind marker name): `Bucket`.
    pub(crate) rust: String,
    /// Module with the nested types: `bucket`.
    pub(crate) module: String,
    pub(crate) props: Vec<Prop>,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) attrs: Vec<Attr>,
    /// The property `Ref` returns (`|`-joined when the identifier is compound), if known.
    pub(crate) ref_returns: Option<String>,
    /// `Ref` returns the resource's ARN.
    pub(crate) ref_is_arn: bool,
    pub(crate) arn_template: Option<String>,
    pub(crate) stateful: bool,
}

/// Methods `Handle<R>` already has; attributes with these snake names get `_attr`.
pub(crate) const HANDLE_METHODS: &[&str] = &[
    "new",
    "logical_id",
    "get_att",
    "ref_value",
    "ref",
    "clone",
    "fmt",
];

/// Service module / feature name: `AWS::ApiGateway` → `apigateway`, `Alexa::ASK` →
/// `alexa_ask`.
pub(crate) fn service_name(namespace: &str, service: &str) -> String {
    if namespace == "AWS" {
        service.to_ascii_lowercase()
    } else {
        format!(
            "{}_{}",
            namespace.to_ascii_lowercase(),
            service.to_ascii_lowercase()
        )
    }
}

/// Whether a `Ref` identifier names an ARN (`Arn`, `TopicArn`, `AutoScalingGroupARN`).
fn is_arn_name(name: &str) -> bool {
    name.ends_with("Arn") || name.ends_with("ARN")
}

/// Properties whose `relationshipRefs` name a resource that the value only embeds, so
/// they stay plain strings instead of taking that resource's typed ID or ARN:
/// - a route's `Target` is `integrations/<IntegrationId>`;
/// - an integration's `IntegrationUri` is a Lambda ARN only for HTTP APIs; WebSocket APIs
///   need `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<Arn>/invocations`,
///   and other integrations take an HTTP URL or a service ARN.
///
/// And properties whose one `relationshipRefs` entry is one case of many, so typing them
/// by it would reject the others (the names match the property in the resource or in any
/// of its property types):
/// - a load balancer attribute's `Value` is a bucket name only for access logs;
/// - a scalable target's `ResourceId` is `service/<cluster>/<service>`, `table/<name>`...,
///   not only an MSK cluster ARN;
/// - a CloudFront origin's `Id` and a behaviour's `TargetOriginId` are names the
///   distribution chooses, not load balancer ARNs;
/// - a CloudTrail data resource's `Values` are S3 or Lambda ARNs (or prefixes);
/// - a pipeline encryption key's `Id` is a KMS key ID, ARN or alias;
/// - a Run Command target's `Values` are instance IDs or tag values;
/// - an experiment stop condition's `Value` is any CloudWatch alarm ARN.
const EMBEDDED_REFERENCES: &[(&str, &str)] = &[
    ("AWS::ApiGatewayV2::Route", "Target"),
    ("AWS::ApiGatewayV2::Integration", "IntegrationUri"),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "Value"),
    ("AWS::ApplicationAutoScaling::ScalableTarget", "ResourceId"),
    ("AWS::CloudFront::Distribution", "Id"),
    ("AWS::CloudFront::Distribution", "TargetOriginId"),
    ("AWS::CloudTrail::Trail", "Values"),
    ("AWS::CodePipeline::Pipeline", "Id"),
    ("AWS::Events::Rule", "Values"),
    ("AWS::FIS::ExperimentTemplate", "Value"),
];

/// Per-resource facts needed to resolve `relationshipRefs` in other resources.
struct RefInfo {
    returns: Option<String>,
    is_arn: bool,
}

/// Loads every resource type from the vendored `resources.json` value.
pub(crate) fn load(root: &Value) -> Result<Vec<Resource>> {
    let resources = root["resources"]
        .as_object()
        .context("resources.json has no `resources` object")?;

    // Pass 1: what each type's `Ref` returns.
    let mut refs: BTreeMap<&str, RefInfo> = BTreeMap::new();
    for (cfn_type, r) in resources {
        let ids = r
            .get("cfnRefIdentifier")
            .or_else(|| r.get("primaryIdentifier"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        let returns = (!ids.is_empty()).then(|| ids.join("|"));
        let is_arn = ids.len() == 1 && is_arn_name(ids[0]);
        refs.insert(cfn_type, RefInfo { returns, is_arn });
    }

    // Pass 2: everything else.
    let mut out = Vec::with_capacity(resources.len());
    let mut modules_per_service: BTreeMap<String, Unique> = BTreeMap::new();
    for (cfn_type, r) in resources {
        let parts: Vec<&str> = cfn_type.split("::").collect();
        let [namespace, service, name] = parts[..] else {
            bail!("unexpected type name `{cfn_type}`");
        };
        let service_mod = service_name(namespace, service);
        if ident(&service_mod) != service_mod {
            bail!("service module `{service_mod}` is a Rust keyword");
        }
        let rust = type_ident(name);
        let module = modules_per_service
            .entry(service_mod.clone())
            .or_default()
            .claim(&ident(&snake(name)));

        let info = &refs[cfn_type.as_str()];
        let ctx = Ctx { refs: &refs };

        let props = load_props(cfn_type, &r["properties"], &ctx)?;
        let mut types = Vec::new();
        for (tname, t) in r["types"].as_object().into_iter().flatten() {
            types.push(TypeDef {
                name: tname.clone(),
                rust: type_ident(tname),
                props: load_props(cfn_type, &t["properties"], &ctx)?,
            });
        }
        mark_boxed(&mut types);

        let mut attrs = Vec::new();
        let mut methods = Unique::default();
        let mut attr_list: Vec<(&String, &Value)> =
            r["attributes"].as_object().into_iter().flatten().collect();
        // Plain names claim their snake name before dotted paths that snake the same way.
        attr_list.sort_by_key(|(n, _)| (n.contains('.'), (*n).clone()));
        for (aname, a) in attr_list {
            let mut base = snake(aname);
            if HANDLE_METHODS.contains(&base.as_str()) {
                base.push_str("_attr");
            }
            let method = ident(&methods.claim(&base));
            let ty = match ID_ATTRIBUTES
                .iter()
                .find(|(owner, attr, _)| owner == cfn_type && attr == aname)
            {
                Some((_, _, identified)) => AttrTy::Id((*identified).to_owned()),
                None => attr_type(&a["type"], aname, info)?,
            };
            attrs.push(Attr {
                name: aname.clone(),
                method,
                ty,
            });
        }
        attrs.sort_by(|a, b| a.name.cmp(&b.name));

        out.push(Resource {
            cfn_type: cfn_type.clone(),
            namespace: format!("{namespace}::{service}"),
            service: service_mod,
            rust,
            module,
            props,
            types,
            attrs,
            ref_returns: info.returns.clone(),
            ref_is_arn: info.is_arn,
            arn_template: r["arnTemplate"].as_str().map(str::to_owned),
            stateful: r["isStateful"] == true,
        });
    }
    Ok(out)
}

/// A type name keeping CloudFormation's casing (`VPC`), escaped if it is a keyword.
fn type_ident(name: &str) -> String {
    ident(name)
}

struct Ctx<'a> {
    refs: &'a BTreeMap<&'a str, RefInfo>,
}

fn load_props(cfn_type: &str, props: &Value, ctx: &Ctx<'_>) -> Result<Vec<Prop>> {
    let mut out = Vec::new();
    let mut fields = Unique::default();
    // Sorted by CloudFormation name (the JSON object is sorted; sort anyway).
    let mut list: Vec<(&String, &Value)> = props.as_object().into_iter().flatten().collect();
    list.sort_by(|a, b| a.0.cmp(b.0));
    for (name, p) in list {
        let raw = parse_type(&p["type"]).with_context(|| format!("{cfn_type}.{name}"))?;
        let ty = if EMBEDDED_REFERENCES.contains(&(cfn_type, name.as_str())) {
            raw
        } else {
            apply_relationship(raw, &p["relationshipRefs"], ctx)
        };
        let enum_values = if is_string_leaf(&ty) {
            p["enum"]
                .as_array()
                .filter(|e| e.iter().all(Value::is_string))
                .map(|e| {
                    e.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let constraints = CONSTRAINT_KEYWORDS
            .iter()
            .filter(|(_, applies)| applies(&ty))
            .filter_map(|(key, _)| Some(((*key).to_owned(), p.get(*key)?.clone())))
            .collect();
        out.push(Prop {
            name: name.clone(),
            field: ident(&fields.claim(&snake(name))),
            ty,
            required: p["required"] == true,
            replacement: p["causesReplacement"].as_str().map(str::to_owned),
            enum_values,
            constraints,
            boxed: false,
        });
    }
    Ok(out)
}

fn parse_type(t: &Value) -> Result<Ty> {
    Ok(match t["type"].as_str().context("type without `type`")? {
        "string" => Ty::String,
        "integer" => Ty::Integer,
        "number" => Ty::Number,
        "boolean" => Ty::Boolean,
        "json" => Ty::Json,
        "date-time" => Ty::Timestamp,
        "tag" => Ty::Tag,
        "array" => Ty::List(Box::new(parse_type(&t["element"])?)),
        "map" => Ty::Map(Box::new(parse_type(&t["element"])?)),
        "ref" => Ty::Nested(t["name"].as_str().context("ref without name")?.to_owned()),
        "union" => Ty::Union(
            t["types"]
                .as_array()
                .context("union without types")?
                .iter()
                .map(parse_type)
                .collect::<Result<_>>()?,
        ),
        other => bail!("unknown type `{other}`"),
    })
}

/// The value constraints taken from `resources.json`, with the types they apply to.
type Applies = fn(&Ty) -> bool;
const CONSTRAINT_KEYWORDS: [(&str, Applies); 7] = [
    ("pattern", has_text_leaf),
    ("minLength", has_text_leaf),
    ("maxLength", has_text_leaf),
    ("minimum", has_number_leaf),
    ("maximum", has_number_leaf),
    ("minItems", |t| matches!(t, Ty::List(_))),
    ("maxItems", |t| matches!(t, Ty::List(_))),
];

/// Whether the leaf (through lists and maps) is written as a string literal.
fn has_text_leaf(t: &Ty) -> bool {
    match t {
        Ty::String | Ty::Timestamp | Ty::Arn(_) | Ty::Id(_) => true,
        Ty::List(e) | Ty::Map(e) => has_text_leaf(e),
        _ => false,
    }
}

/// Whether the leaf (through lists and maps) is an integer or a number.
fn has_number_leaf(t: &Ty) -> bool {
    match t {
        Ty::Integer | Ty::Number => true,
        Ty::List(e) | Ty::Map(e) => has_number_leaf(e),
        _ => false,
    }
}

fn is_string_leaf(t: &Ty) -> bool {
    match t {
        Ty::String | Ty::Timestamp => true,
        Ty::List(e) | Ty::Map(e) => is_string_leaf(e),
        _ => false,
    }
}

/// `relationshipRefs` that name exactly one resource type `K` and one of its properties:
/// its `Arn` → `{"arn": K}`; what its `Ref` returns → `{"id": K}` (or `{"arn": K}` when
/// `Ref` returns the ARN). Applied to the string leaf (also inside lists). Anything else
/// stays a plain string.
fn apply_relationship(ty: Ty, rels: &Value, ctx: &Ctx<'_>) -> Ty {
    let Some(rels) = rels.as_array() else {
        return ty;
    };
    let pairs: BTreeSet<(&str, &str)> = rels
        .iter()
        .filter_map(|r| {
            Some((
                r["cloudFormationType"].as_str()?,
                r["propertyName"].as_str()?,
            ))
        })
        .collect();
    let [(target, property)] = pairs.into_iter().collect::<Vec<_>>()[..] else {
        return ty;
    };
    let Some(info) = ctx.refs.get(target) else {
        return ty;
    };
    let leaf = if property == "Arn" || (info.is_arn && info.returns.as_deref() == Some(property)) {
        Ty::Arn(target.to_owned())
    } else if info.returns.as_deref() == Some(property) {
        Ty::Id(target.to_owned())
    } else {
        return ty;
    };
    match ty {
        Ty::String => leaf,
        Ty::List(e) if *e == Ty::String => Ty::List(Box::new(leaf)),
        other => other,
    }
}

fn attr_type(t: &Value, name: &str, info: &RefInfo) -> Result<AttrTy> {
    let kind = t["type"]
        .as_str()
        .context("attribute type without `type`")?;
    let prim = |k: &str| match k {
        "string" | "date-time" => Some(AttrTy::String),
        "integer" => Some(AttrTy::Integer),
        "number" => Some(AttrTy::Number),
        "boolean" => Some(AttrTy::Boolean),
        _ => None,
    };
    Ok(match kind {
        "string" if name == "Arn" || (info.is_arn && info.returns.as_deref() == Some(name)) => {
            AttrTy::Arn
        }
        "array" => match t["element"]["type"].as_str().and_then(prim) {
            Some(e) => AttrTy::List(Box::new(e)),
            None => AttrTy::Json,
        },
        k => prim(k).unwrap_or(AttrTy::Json),
    })
}

/// Marks fields whose nested type is in the same cycle of direct containment as their
/// owner (self-recursive or mutually recursive types): those become `Option<Box<N>>`.
/// Containment through `Vec` or `BTreeMap` is already indirect and is not counted.
fn mark_boxed(types: &mut [TypeDef]) {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            t.props
                .iter()
                .filter_map(|p| match &p.ty {
                    Ty::Nested(n) => index.get(n.as_str()).copied(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // reaches[i][j]: j reachable from i through direct containment (small graphs).
    let n = types.len();
    let reaches = |from: usize, to: usize| -> bool {
        let mut seen = vec![false; n];
        let mut stack = edges[from].clone();
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if !std::mem::replace(&mut seen[x], true) {
                stack.extend(&edges[x]);
            }
        }
        false
    };
    let mut boxed = Vec::new();
    for (i, t) in types.iter().enumerate() {
        for (pi, p) in t.props.iter().enumerate() {
            if let Ty::Nested(name) = &p.ty {
                if let Some(&j) = index.get(name.as_str()) {
                    if j == i || reaches(j, i) {
                        boxed.push((i, pi));
                    }
                }
            }
        }
    }
    for (i, pi) in boxed {
        types[i].props[pi].boxed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        serde_json::json!({
            "format": 1,
            "resources": {
                "AWS::IAM::Role": {
                    "name": "Role",
                    "primaryIdentifier": ["RoleName"],
                    "attributes": {"Arn": {"type": {"type": "string"}}, "Id": {"type": {"type": "string"}}},
                    "properties": {"RoleName": {"type": {"type": "string"}}},
                    "types": {}
                },
                "AWS::SNS::Topic": {
                    "name": "Topic",
                    "primaryIdentifier": ["TopicArn"],
                    "attributes": {"TopicArn": {"type": {"type": "string"}}},
                    "properties": {},
                    "types": {}
                },
                "AWS::X::Thing": {
                    "name": "Thing",
                    "attributes": {
                        "Endpoint.Address": {"type": {"type": "string"}},
                        "EndpointAddress": {"type": {"type": "string"}},
                        "Ids": {"type": {"type": "array", "element": {"type": "string"}}},
                        "Config": {"type": {"type": "ref", "name": "Expr"}}
                    },
                    "properties": {
                        "Role": {"type": {"type": "string"}, "required": true,
                            "relationshipRefs": [{"cloudFormationType": "AWS::IAM::Role", "propertyName": "Arn"}]},
                        "RoleNames": {"type": {"type": "array", "element": {"type": "string"}},
                            "relationshipRefs": [{"cloudFormationType": "AWS::IAM::Role", "propertyName": "RoleName"}]},
                        "Either": {"type": {"type": "string"},
                            "relationshipRefs": [
                                {"cloudFormationType": "AWS::IAM::Role", "propertyName": "Arn"},
                                {"cloudFormationType": "AWS::IAM::Role", "propertyName": "RoleName"}]},
                        "Topic": {"type": {"type": "string"},
                            "relationshipRefs": [{"cloudFormationType": "AWS::SNS::Topic", "propertyName": "TopicArn"}]},
                        "Type": {"type": {"type": "string"}, "enum": ["A", "B"], "causesReplacement": "yes"},
                        "Count": {"type": {"type": "integer"}, "minimum": 1, "maximum": 5, "maxLength": 3},
                        "Names": {"type": {"type": "array", "element": {"type": "string"}},
                            "maxItems": 2, "pattern": "^[a-z]+$", "minimum": 1},
                        "Expr": {"type": {"type": "ref", "name": "Expr"}}
                    },
                    "types": {
                        "Expr": {"properties": {
                            "Not": {"type": {"type": "ref", "name": "Expr"}},
                            "And": {"type": {"type": "array", "element": {"type": "ref", "name": "Expr"}}},
                            "Leaf": {"type": {"type": "ref", "name": "Leaf"}}
                        }},
                        "Leaf": {"properties": {"Back": {"type": {"type": "ref", "name": "Expr"}}}}
                    }
                }
            }
        })
    }

    #[test]
    fn resolves_references_names_and_recursion() {
        let all = load(&sample()).expect("test");
        let role = all
            .iter()
            .find(|r| r.cfn_type == "AWS::IAM::Role")
            .expect("test");
        assert_eq!(role.ref_returns.as_deref(), Some("RoleName"));
        assert!(!role.ref_is_arn);
        let methods: Vec<_> = role
            .attrs
            .iter()
            .map(|a| (a.method.as_str(), &a.ty))
            .collect();
        assert_eq!(methods, [("arn", &AttrTy::Arn), ("id", &AttrTy::String)]);

        let topic = all
            .iter()
            .find(|r| r.cfn_type == "AWS::SNS::Topic")
            .expect("test");
        assert!(topic.ref_is_arn);
        assert_eq!(topic.attrs[0].ty, AttrTy::Arn);

        let thing = all
            .iter()
            .find(|r| r.cfn_type == "AWS::X::Thing")
            .expect("test");
        assert_eq!(
            (thing.service.as_str(), thing.module.as_str()),
            ("x", "thing")
        );
        let prop = |n: &str| thing.props.iter().find(|p| p.name == n).expect("test");
        assert_eq!(prop("Role").ty, Ty::Arn("AWS::IAM::Role".into()));
        assert!(prop("Role").required);
        assert_eq!(
            prop("RoleNames").ty,
            Ty::List(Box::new(Ty::Id("AWS::IAM::Role".into())))
        );
        assert_eq!(prop("Either").ty, Ty::String);
        assert_eq!(prop("Topic").ty, Ty::Arn("AWS::SNS::Topic".into()));
        assert_eq!(prop("Type").field, "r#type");
        assert_eq!(prop("Type").enum_values, ["A", "B"]);
        // Constraints are kept where they apply to the property's type only.
        let keys = |n: &str| {
            prop(n)
                .constraints
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys("Count"), ["minimum=1", "maximum=5"]);
        assert_eq!(keys("Names"), ["pattern=\"^[a-z]+$\"", "maxItems=2"]);
        assert_eq!(prop("Type").replacement.as_deref(), Some("yes"));
        assert!(!prop("Expr").boxed);

        let attrs: Vec<_> = thing
            .attrs
            .iter()
            .map(|a| (a.name.as_str(), a.method.as_str()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("Config", "config"),
                ("Endpoint.Address", "endpoint_address_2"),
                ("EndpointAddress", "endpoint_address"),
                ("Ids", "ids"),
            ]
        );
        assert_eq!(thing.attrs[0].ty, AttrTy::Json);
        assert_eq!(thing.attrs[3].ty, AttrTy::List(Box::new(AttrTy::String)));

        let boxed: Vec<(&str, &str, bool)> = thing
            .types
            .iter()
            .flat_map(|t| {
                t.props
                    .iter()
                    .map(move |p| (t.name.as_str(), p.name.as_str(), p.boxed))
            })
            .collect();
        assert_eq!(
            boxed,
            [
                ("Expr", "And", false),
                ("Expr", "Leaf", true),
                ("Expr", "Not", true),
                ("Leaf", "Back", true),
            ]
        );
    }

    #[test]
    fn embedded_references_stay_strings() {
        let reference = serde_json::json!([
            {"cloudFormationType": "AWS::ApiGatewayV2::Integration", "propertyName": "IntegrationId"}
        ]);
        let root = serde_json::json!({
            "format": 1,
            "resources": {
                "AWS::ApiGatewayV2::Integration": {
                    "name": "Integration",
                    "cfnRefIdentifier": ["IntegrationId"],
                    "attributes": {"IntegrationId": {"type": {"type": "string"}}},
                    "properties": {},
                    "types": {}
                },
                "AWS::ApiGatewayV2::Route": {
                    "name": "Route",
                    "attributes": {},
                    "properties": {
                        "Target": {"type": {"type": "string"}, "relationshipRefs": reference},
                        "Plain": {"type": {"type": "string"}, "relationshipRefs": reference}
                    },
                    "types": {}
                }
            }
        });
        let all = load(&root).expect("test");
        let route = all
            .iter()
            .find(|r| r.cfn_type == "AWS::ApiGatewayV2::Route")
            .expect("test");
        let prop = |n: &str| route.props.iter().find(|p| p.name == n).expect("test");
        assert_eq!(prop("Target").ty, Ty::String);
        assert_eq!(
            prop("Plain").ty,
            Ty::Id("AWS::ApiGatewayV2::Integration".into())
        );
    }
}
