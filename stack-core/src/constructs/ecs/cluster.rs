//! [`Cluster`]: an ECS cluster that services share.

use crate::aws;
use crate::aws::ecs::cluster;
use crate::constructs::{literal_str, Construct};
use crate::expr::Expr;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// An ECS cluster, for services that share it: give an
/// [`ApplicationLoadBalancedFargateService`](super::ApplicationLoadBalancedFargateService)
/// `cluster: <this cluster>` and it runs here instead of in a cluster of its own.
///
/// One resource, `<Id>` (`AWS::ECS::Cluster`). Container Insights is on unless
/// `container_insights: false`: it publishes the per-service and per-task CPU, memory,
/// network and restart metrics that alarms and dashboards need, for the price of its
/// CloudWatch metrics (AWS's own default leaves it off, and turning it on later does not
/// bring back the metrics of the time before).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    id: String,
}

/// Options of a [`Cluster`]; none is required.
#[derive(Clone, Debug)]
pub struct ClusterProps {
    cluster_name: Option<Value<String>>,
    container_insights: bool,
    enable_fargate_capacity_providers: bool,
}

impl Default for ClusterProps {
    fn default() -> Self {
        Self {
            cluster_name: None,
            container_insights: true,
            enable_fargate_capacity_providers: false,
        }
    }
}

impl ClusterProps {
    /// The cluster's name, 1 to 255 letters, digits, `-` and `_`; CloudFormation
    /// generates one when unset. Changing it replaces the cluster.
    #[must_use]
    pub fn cluster_name(mut self, name: impl IntoValue<String>) -> Self {
        self.cluster_name = Some(name.into_value());
        self
    }

    /// Whether CloudWatch Container Insights collects the cluster's metrics; on when
    /// unset.
    #[must_use]
    pub fn container_insights(mut self, enabled: bool) -> Self {
        self.container_insights = enabled;
        self
    }

    /// Whether services may place tasks with the `FARGATE` and `FARGATE_SPOT` capacity
    /// providers (a capacity provider strategy) rather than a launch type; off when unset.
    #[must_use]
    pub fn enable_fargate_capacity_providers(mut self, enabled: bool) -> Self {
        self.enable_fargate_capacity_providers = enabled;
        self
    }
}

impl Cluster {
    /// The cluster's name (`Ref`), what a service's `cluster` takes.
    pub fn cluster_name(&self) -> Value<Id<kind::ecs::Cluster>> {
        Value::reference(&self.id)
    }

    /// The cluster's ARN.
    pub fn cluster_arn(&self) -> Value<Arn<kind::ecs::Cluster>> {
        Value::get_att(&self.id, "Arn")
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<Id<kind::ecs::Cluster>> for &Cluster {
    fn into_value(self) -> Value<Id<kind::ecs::Cluster>> {
        self.cluster_name()
    }
}

impl Construct for Cluster {
    type Props = ClusterProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: ClusterProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        if let Some(name) = props.cluster_name.as_ref().and_then(literal_str) {
            if let Err(why) = stack_spec::rules::ecs::cluster_name(name) {
                stack.report(format!("cluster `{id}`: `cluster_name` {why}"));
            }
        }
        let insights = if props.container_insights {
            "enabled"
        } else {
            "disabled"
        };
        let resource = aws::ecs::Cluster {
            capacity_providers: props
                .enable_fargate_capacity_providers
                .then(|| Value::list(["FARGATE", "FARGATE_SPOT"].map(capacity_provider))),
            cluster_name: props.cluster_name,
            cluster_settings: Some(vec![cluster::ClusterSettings {
                name: Some(Value::lit("containerInsights")),
                value: Some(Value::lit(insights)),
            }]),
            ..Default::default()
        };
        stack.add_resource(id, &resource);
    }
}

/// An AWS-managed capacity provider, by name.
fn capacity_provider(name: &str) -> Value<Id<kind::ecs::CapacityProvider>> {
    Value::from_expr(Expr::Str(name.to_owned()))
}

#[cfg(test)]
mod tests {
    // Clusters: settings, capacity providers, attributes and the name rule.
    use super::super::test_support::{ok, props, synth};
    use super::super::ApplicationLoadBalancedFargateService;
    use super::*;
    use crate::constructs::{Vpc, VpcProps};
    use serde_json::json;

    #[test]
    fn container_insights_are_on_by_default() {
        let r = ok(|stack| Cluster::declare("Apps").build(ClusterProps::default(), stack));
        assert_eq!(
            r["Apps"],
            json!({"Type": "AWS::ECS::Cluster", "Properties": {
                "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]
            }})
        );
    }

    #[test]
    fn name_insights_and_fargate_capacity_providers() {
        let apps = Cluster::declare("Apps");
        let r = ok(|stack| {
            apps.build(
                ClusterProps::default()
                    .cluster_name("web-apps_1")
                    .container_insights(false)
                    .enable_fargate_capacity_providers(true),
                stack,
            );
        });
        assert_eq!(
            r["Apps"]["Properties"],
            json!({
                "CapacityProviders": ["FARGATE", "FARGATE_SPOT"],
                "ClusterName": "web-apps_1",
                "ClusterSettings": [{"Name": "containerInsights", "Value": "disabled"}]
            })
        );
        assert_eq!(apps.cluster_name().expr(), &Expr::Ref("Apps".into()));
        assert_eq!(
            apps.cluster_arn().expr(),
            &Expr::GetAtt("Apps".into(), "Arn".into())
        );
    }

    #[test]
    fn a_bad_cluster_name_is_reported() {
        let problems = synth(|stack| {
            Cluster::declare("Apps").build(ClusterProps::default().cluster_name("web apps"), stack);
        })
        .err()
        .unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("cluster `Apps`: `cluster_name` `web apps` may hold only"),
            "{problems:#?}"
        );
    }

    #[test]
    fn services_run_in_a_shared_cluster_without_one_of_their_own() {
        let vpc = Vpc::declare("Network");
        let apps = Cluster::declare("Apps");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let admin = ApplicationLoadBalancedFargateService::declare("Admin");
        let r = ok(|stack| {
            vpc.build(VpcProps::default(), stack);
            apps.build(ClusterProps::default(), stack);
            web.build(props(&vpc).cluster(&apps), stack);
            admin.build(props(&vpc).cluster(&apps), stack);
        });
        for service in ["Web", "Admin"] {
            assert_eq!(
                r[service]["Properties"]["Cluster"],
                json!({"Ref": "Apps"}),
                "{service}"
            );
            assert!(r.get(format!("{service}Cluster")).is_none(), "{service}");
        }
        assert_eq!(web.cluster_name().expr(), &Expr::Ref("Apps".into()));
    }
}
