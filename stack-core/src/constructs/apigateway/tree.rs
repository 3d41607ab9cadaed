//! The resource tree of a REST API: resources by path, their methods, and the deployment
//! and stage that publish them.

use super::cors::Preflight;
use super::integration::MethodIntegration;
use super::route::Authorization;
use crate::aws;
use crate::constructs::short_hash;
use crate::kind;
use crate::resource::Resource;
use crate::stack::StackBuilder;
use crate::value::{Id, Value};

/// The index of the root resource in an [`ApiTree`].
pub(super) const ROOT: usize = 0;

/// The resources and methods of a REST API by path, emitted resource by resource.
pub(super) struct ApiTree {
    api: String,
    nodes: Vec<ApiNode>,
}

struct ApiNode {
    /// The path parts from the root; empty for the root.
    segments: Vec<String>,
    /// The logical ID suffix: `Root`, or the path in UpperCamelCase.
    suffix: String,
    parent: usize,
    methods: Vec<PlannedMethod>,
}

struct PlannedMethod {
    http_method: String,
    integration: MethodIntegration,
    authorization: Authorization,
}

impl ApiTree {
    pub(super) fn new(api: &str) -> Self {
        Self {
            api: api.to_owned(),
            nodes: vec![ApiNode {
                segments: Vec::new(),
                suffix: "Root".to_owned(),
                parent: ROOT,
                methods: Vec::new(),
            }],
        }
    }

    /// The node of `path`, creating it and its ancestors; reports an invalid path.
    pub(super) fn node(&mut self, stack: &mut StackBuilder, path: &str) -> Option<usize> {
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            return Some(ROOT);
        }
        let segments: Vec<&str> = trimmed.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            if let Err(why) = check_path_part(segment, i + 1 == segments.len()) {
                stack.report(format!(
                    "REST API `{}`: path `{path}`: `{segment}` {why}",
                    self.api
                ));
                return None;
            }
        }
        let mut current = ROOT;
        for depth in 1..=segments.len() {
            let prefix: Vec<String> = segments[..depth].iter().map(|s| (*s).to_owned()).collect();
            current = match self.nodes.iter().position(|n| n.segments == prefix) {
                Some(existing) => existing,
                None => {
                    self.nodes.push(ApiNode {
                        suffix: path_suffix(&prefix.join("/")),
                        segments: prefix,
                        parent: current,
                        methods: Vec::new(),
                    });
                    self.nodes.len() - 1
                }
            };
        }
        Some(current)
    }

    /// The paths of every resource but the root, without slashes at either end.
    pub(super) fn paths(&self) -> Vec<String> {
        self.nodes
            .iter()
            .skip(1)
            .map(|n| n.segments.join("/"))
            .collect()
    }

    /// The logical ID of a method on a node: `<Api><Suffix><Method>`.
    pub(super) fn method_id(&self, node: usize, method: &str) -> String {
        format!(
            "{}{}{}",
            self.api,
            self.nodes[node].suffix,
            method_camel(method)
        )
    }

    pub(super) fn has_method(&self, node: usize, method: &str) -> bool {
        self.nodes[node]
            .methods
            .iter()
            .any(|m| m.http_method == method)
    }

    /// The path of a node in an `execute-api` ARN: path parameters match anything.
    pub(super) fn source_path(&self, node: usize) -> String {
        self.nodes[node]
            .segments
            .iter()
            .map(|s| if s.starts_with('{') { "*" } else { s.as_str() })
            .collect::<Vec<_>>()
            .join("/")
    }

    pub(super) fn add_method(
        &mut self,
        node: usize,
        http_method: &str,
        integration: MethodIntegration,
        authorization: Authorization,
    ) {
        self.nodes[node].methods.push(PlannedMethod {
            http_method: http_method.to_owned(),
            integration,
            authorization,
        });
    }

    /// Adds every resource followed by its methods and preflight, then the deployment
    /// and the stage.
    pub(super) fn deploy(
        self,
        stack: &mut StackBuilder,
        cors: Option<&Preflight>,
        stage_name: Value<String>,
    ) {
        let mut definition = ApiDefinition::new(stack, &self.api);
        let mut refs: Vec<Value<Id<kind::apigateway::Resource>>> = Vec::new();
        for (i, node) in self.nodes.into_iter().enumerate() {
            let resource = if i == ROOT {
                definition.root()
            } else {
                let part = node.segments.last().map_or("", String::as_str);
                definition.add_resource(&node.suffix, refs[node.parent].clone(), part)
            };
            refs.push(resource.clone());
            let mut has_options = false;
            for method in node.methods {
                has_options |= method.http_method == "OPTIONS";
                definition.add_method(
                    &format!("{}{}", node.suffix, method_camel(&method.http_method)),
                    resource.clone(),
                    &method.http_method,
                    method.authorization,
                    method.integration,
                );
            }
            if let Some(cors) = cors {
                let skip_root = i == ROOT && cors.exclude_root;
                if !has_options && !skip_root {
                    cors.add_to(&mut definition, &node.suffix, resource);
                }
            }
        }
        definition.deploy(stage_name);
    }
}

/// Why API Gateway would reject a path part, if it would.
fn check_path_part(part: &str, last: bool) -> Result<(), &'static str> {
    if part.is_empty() {
        return Err("is empty; remove the doubled `/`");
    }
    if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err("is not a path parameter such as `{id}` or `{proxy+}`");
        }
        if greedy && !last {
            return Err("is greedy (`+`) and must be the last part of the path");
        }
        return Ok(());
    }
    if part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        Ok(())
    } else {
        Err("may hold only letters, digits, `-`, `_`, `.` and `:`, or be a parameter `{name}`")
    }
}

/// What a resource's logical ID adds to the API's: its path in UpperCamelCase
/// (`users/{id}` → `UsersId`).
pub(super) fn path_suffix(path: &str) -> String {
    path.split('/').map(camel).collect()
}

/// UpperCamelCase of a path part: `my-path` → `MyPath`, `deleteItems` → `DeleteItems`,
/// `{proxy+}` → `Proxy`.
pub(super) fn camel(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A method in a logical ID: `POST` → `Post`.
fn method_camel(method: &str) -> String {
    camel(&method.to_ascii_lowercase())
}

/// The resources and methods of one REST API, added as they come; the deployment's
/// logical ID carries a hash of them all.
pub(super) struct ApiDefinition<'a> {
    stack: &'a mut StackBuilder,
    api: String,
    /// `<logical ID>=<properties JSON>` per resource and method: what the deployment's
    /// logical ID hashes, so that any change to the API deploys it anew.
    fingerprint: String,
    methods: Vec<String>,
}

impl<'a> ApiDefinition<'a> {
    fn new(stack: &'a mut StackBuilder, api: &str) -> Self {
        Self {
            stack,
            api: api.to_owned(),
            fingerprint: String::new(),
            methods: Vec::new(),
        }
    }

    /// The root resource `/`.
    fn root(&self) -> Value<Id<kind::apigateway::Resource>> {
        Value::get_att(&self.api, "RootResourceId")
    }

    fn rest_api_id(&self) -> Value<Id<kind::apigateway::RestApi>> {
        Value::reference(&self.api)
    }

    /// Adds `resource` and its part of the fingerprint.
    fn add(&mut self, logical_id: &str, resource: &impl Resource) {
        let properties = resource.properties().to_json();
        self.fingerprint += &format!("{logical_id}={properties}\n");
        self.stack.add_resource(logical_id, resource);
    }

    /// Adds a path part under `parent`; returns a reference to the new resource.
    fn add_resource(
        &mut self,
        suffix: &str,
        parent: Value<Id<kind::apigateway::Resource>>,
        path_part: &str,
    ) -> Value<Id<kind::apigateway::Resource>> {
        let logical_id = format!("{}{suffix}", self.api);
        let resource = aws::apigateway::Resource {
            rest_api_id: Some(self.rest_api_id()),
            parent_id: Some(parent),
            path_part: Some(Value::lit(path_part)),
        };
        self.add(&logical_id, &resource);
        Value::reference(&logical_id)
    }

    /// Adds a method on `resource`.
    pub(super) fn add_method(
        &mut self,
        suffix: &str,
        resource: Value<Id<kind::apigateway::Resource>>,
        http_method: &str,
        authorization: Authorization,
        integration: MethodIntegration,
    ) {
        let logical_id = format!("{}{suffix}", self.api);
        let method = aws::apigateway::Method {
            rest_api_id: Some(self.rest_api_id()),
            resource_id: Some(resource),
            http_method: Some(Value::lit(http_method)),
            authorization_type: Some(Value::lit(authorization.as_str())),
            integration: Some(integration.integration),
            method_responses: integration.method_responses,
            ..Default::default()
        };
        self.add(&logical_id, &method);
        self.methods.push(logical_id);
    }

    /// Adds a deployment named after the fingerprint, and the stage.
    fn deploy(self, stage_name: Value<String>) {
        let deployment = format!("{}Deployment{}", self.api, short_hash(&self.fingerprint, 8));
        let decl = self.stack.add_resource(
            deployment.clone(),
            &aws::apigateway::Deployment {
                rest_api_id: Some(Value::reference(&self.api)),
                ..Default::default()
            },
        );
        // API Gateway refuses to deploy an API without methods, so wait for all of them.
        for method in &self.methods {
            decl.add_dependency(method);
        }
        self.stack.add_resource(
            format!("{}Stage", self.api),
            &aws::apigateway::Stage {
                rest_api_id: Some(Value::reference(&self.api)),
                deployment_id: Some(Value::reference(&deployment)),
                stage_name: Some(stage_name),
                ..Default::default()
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parts_and_methods_become_upper_camel_case() {
        assert_eq!(camel("deleteItems"), "DeleteItems");
        assert_eq!(camel("{proxy+}"), "Proxy");
        assert_eq!(method_camel("OPTIONS"), "Options");
    }
}
