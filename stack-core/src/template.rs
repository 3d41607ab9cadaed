//! The template model and its deterministic JSON rendering.

use serde_json::{Map, Value as Json};

use crate::expr::Expr;
use crate::resource::RemovalPolicy;

/// A CloudFormation template under construction or ready to render.
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// The template's `Description`.
    pub description: Option<String>,
    /// `Parameters`, in declaration order.
    pub parameters: Vec<(String, Parameter)>,
    /// `Resources`, in declaration order.
    pub resources: Vec<(String, ResourceDecl)>,
    /// `Outputs`, in declaration order.
    pub outputs: Vec<(String, Output)>,
}

/// One entry of `Resources`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDecl {
    /// The CloudFormation type, e.g. `AWS::S3::Bucket`.
    pub type_name: String,
    /// The `Properties` object (an [`Expr::Map`]).
    pub properties: Expr,
    /// Explicit `DependsOn` logical IDs.
    pub depends_on: Vec<String>,
    /// `DeletionPolicy` and `UpdateReplacePolicy`; `None` keeps CloudFormation's default.
    pub removal_policy: Option<RemovalPolicy>,
    /// `Metadata`, if any.
    pub metadata: Option<Expr>,
}

impl ResourceDecl {
    /// A resource of `type_name` with the given `Properties` object.
    pub fn new(type_name: impl Into<String>, properties: Expr) -> Self {
        Self {
            type_name: type_name.into(),
            properties,
            depends_on: Vec::new(),
            removal_policy: None,
            metadata: None,
        }
    }

    /// Sets one property, replacing an earlier value of the same name.
    pub fn set_property(&mut self, name: &str, value: Expr) {
        let entries = self.property_entries();
        match entries.iter_mut().find(|(k, _)| k == name) {
            Some((_, slot)) => *slot = value,
            None => entries.push((name.to_owned(), value)),
        }
    }

    /// Appends an item to a list property, creating the list when absent.
    pub fn push_to_list_property(&mut self, name: &str, item: Expr) {
        let entries = self.property_entries();
        match entries.iter_mut().find(|(k, _)| k == name) {
            Some((_, Expr::List(items))) => items.push(item),
            Some((_, other)) => *other = Expr::List(vec![other.clone(), item]),
            None => entries.push((name.to_owned(), Expr::List(vec![item]))),
        }
    }

    /// Adds a logical ID to `DependsOn` once.
    pub fn add_dependency(&mut self, logical_id: &str) {
        if !self.depends_on.iter().any(|d| d == logical_id) {
            self.depends_on.push(logical_id.to_owned());
        }
    }

    fn property_entries(&mut self) -> &mut Vec<(String, Expr)> {
        if !matches!(self.properties, Expr::Map(_)) {
            self.properties = Expr::Map(Vec::new());
        }
        match &mut self.properties {
            Expr::Map(entries) => entries,
            _ => unreachable!("properties were just made a map"),
        }
    }

    fn to_json(&self) -> Json {
        let mut map = Map::new();
        map.insert("Type".into(), Json::String(self.type_name.clone()));
        let properties = self.properties.to_json();
        if properties.as_object().is_some_and(|p| !p.is_empty()) {
            map.insert("Properties".into(), properties);
        }
        match self.depends_on.as_slice() {
            [] => {}
            [one] => {
                map.insert("DependsOn".into(), Json::String(one.clone()));
            }
            many => {
                map.insert("DependsOn".into(), many.iter().cloned().collect());
            }
        }
        if let Some(policy) = self.removal_policy {
            map.insert("DeletionPolicy".into(), policy.as_cfn().into());
            map.insert("UpdateReplacePolicy".into(), policy.as_cfn().into());
        }
        if let Some(metadata) = &self.metadata {
            map.insert("Metadata".into(), metadata.to_json());
        }
        Json::Object(map)
    }
}

/// The type of a template parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterType {
    /// `String`.
    String,
    /// `Number`.
    Number,
    /// `CommaDelimitedList`.
    CommaDelimitedList,
}

impl ParameterType {
    fn as_cfn(self) -> &'static str {
        match self {
            ParameterType::String => "String",
            ParameterType::Number => "Number",
            ParameterType::CommaDelimitedList => "CommaDelimitedList",
        }
    }
}

/// One entry of `Parameters`.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The parameter type.
    pub kind: ParameterType,
    /// The default, if any.
    pub default: Option<Json>,
    /// A description shown in the console.
    pub description: Option<String>,
    /// Allowed values, if restricted.
    pub allowed_values: Vec<Json>,
    /// Whether the value is masked in the console and API (`NoEcho`).
    pub no_echo: bool,
}

impl Parameter {
    fn to_json(&self) -> Json {
        let mut map = Map::new();
        map.insert("Type".into(), self.kind.as_cfn().into());
        if let Some(default) = &self.default {
            map.insert("Default".into(), default.clone());
        }
        if let Some(description) = &self.description {
            map.insert("Description".into(), description.clone().into());
        }
        if !self.allowed_values.is_empty() {
            map.insert("AllowedValues".into(), self.allowed_values.clone().into());
        }
        if self.no_echo {
            map.insert("NoEcho".into(), true.into());
        }
        Json::Object(map)
    }
}

/// One entry of `Outputs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    /// The output's value.
    pub value: Expr,
    /// A description.
    pub description: Option<String>,
    /// The export name, when other stacks may import it.
    pub export_name: Option<Expr>,
}

impl Output {
    fn to_json(&self) -> Json {
        let mut map = Map::new();
        if let Some(description) = &self.description {
            map.insert("Description".into(), description.clone().into());
        }
        map.insert("Value".into(), self.value.to_json());
        if let Some(name) = &self.export_name {
            let mut export = Map::new();
            export.insert("Name".into(), name.to_json());
            map.insert("Export".into(), Json::Object(export));
        }
        Json::Object(map)
    }
}

impl Template {
    /// The resource with this logical ID.
    pub fn resource(&self, logical_id: &str) -> Option<&ResourceDecl> {
        self.resources
            .iter()
            .find(|(id, _)| id == logical_id)
            .map(|(_, r)| r)
    }

    /// The resource with this logical ID, mutably.
    pub fn resource_mut(&mut self, logical_id: &str) -> Option<&mut ResourceDecl> {
        self.resources
            .iter_mut()
            .find(|(id, _)| id == logical_id)
            .map(|(_, r)| r)
    }

    /// Renders the template as JSON, keys in a fixed order.
    pub fn to_json(&self) -> Json {
        let mut map = Map::new();
        map.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
        if let Some(description) = &self.description {
            map.insert("Description".into(), description.clone().into());
        }
        if !self.parameters.is_empty() {
            map.insert(
                "Parameters".into(),
                section(&self.parameters, Parameter::to_json),
            );
        }
        map.insert(
            "Resources".into(),
            section(&self.resources, ResourceDecl::to_json),
        );
        if !self.outputs.is_empty() {
            map.insert("Outputs".into(), section(&self.outputs, Output::to_json));
        }
        Json::Object(map)
    }

    /// Renders the template as pretty-printed JSON with a trailing newline: byte-identical
    /// for identical input.
    pub fn to_json_string(&self) -> String {
        let mut out = serde_json::to_string_pretty(&self.to_json())
            .unwrap_or_else(|e| unreachable!("a JSON value always serializes: {e}"));
        out.push('\n');
        out
    }
}

fn section<T>(entries: &[(String, T)], render: impl Fn(&T) -> Json) -> Json {
    Json::Object(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), render(v)))
            .collect(),
    )
}
