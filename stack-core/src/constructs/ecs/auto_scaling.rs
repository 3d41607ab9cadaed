//! Target tracking for a service's task count.

use super::props::ApplicationLoadBalancedFargateServiceProps;
use super::{seconds, ApplicationLoadBalancedFargateService};
use crate::aws;
use crate::aws::applicationautoscaling::scaling_policy;
use crate::constructs::{literal_int, Duration};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};

/// Target tracking for the task count: `TaskAutoScaling { max_capacity: 10,
/// target_cpu_utilization: 50 }`. `max_capacity` and at least one target are required.
#[derive(Clone, Debug, Default)]
pub struct TaskAutoScaling {
    pub(super) min_capacity: Option<u32>,
    pub(super) max_capacity: Option<u32>,
    pub(super) target_cpu_utilization: Option<u32>,
    pub(super) target_memory_utilization: Option<u32>,
    pub(super) scale_in_cooldown: Option<Duration>,
    pub(super) scale_out_cooldown: Option<Duration>,
}

impl TaskAutoScaling {
    /// The fewest tasks; the service's `desired_count` (or 1) when unset.
    #[must_use]
    pub fn min_capacity(mut self, count: u32) -> Self {
        self.min_capacity = Some(count);
        self
    }

    /// The most tasks.
    #[must_use]
    pub fn max_capacity(mut self, count: u32) -> Self {
        self.max_capacity = Some(count);
        self
    }

    /// Keep average CPU use near this percentage (1 to 100).
    #[must_use]
    pub fn target_cpu_utilization(mut self, percent: u32) -> Self {
        self.target_cpu_utilization = Some(percent);
        self
    }

    /// Keep average memory use near this percentage (1 to 100).
    #[must_use]
    pub fn target_memory_utilization(mut self, percent: u32) -> Self {
        self.target_memory_utilization = Some(percent);
        self
    }

    /// How long to wait after scaling in before scaling in again; 300 s when unset.
    #[must_use]
    pub fn scale_in_cooldown(mut self, cooldown: Duration) -> Self {
        self.scale_in_cooldown = Some(cooldown);
        self
    }

    /// How long to wait after scaling out before scaling out again; 300 s when unset.
    #[must_use]
    pub fn scale_out_cooldown(mut self, cooldown: Duration) -> Self {
        self.scale_out_cooldown = Some(cooldown);
        self
    }
}

impl ApplicationLoadBalancedFargateService {
    pub(super) fn add_auto_scaling(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
        scaling: TaskAutoScaling,
        cluster: &Value<Id<kind::ecs::Cluster>>,
    ) {
        let ids = &self.ids;
        let id = ids.service.as_str();
        let desired = props.desired_count.as_ref().map_or(Some(1), literal_int);
        let min = scaling.min_capacity.map(i64::from).or(desired).unwrap_or(1);
        let Some(max) = scaling.max_capacity.map(i64::from) else {
            stack.report(format!(
                "service `{id}`: `auto_scaling` needs `max_capacity`"
            ));
            return;
        };
        if min > max {
            stack.report(format!(
                "service `{id}`: `auto_scaling` has `min_capacity` {min} above `max_capacity` {max}"
            ));
        }
        if scaling.target_cpu_utilization.is_none() && scaling.target_memory_utilization.is_none() {
            stack.report(format!(
                "service `{id}`: `auto_scaling` needs `target_cpu_utilization` or `target_memory_utilization`"
            ));
        }
        let resource_id = Value::concat([
            Value::lit("service/"),
            cluster.into_value(),
            Value::lit("/"),
            self.service_name(),
        ]);
        let target = aws::applicationautoscaling::ScalableTarget {
            max_capacity: Some(max.into_value()),
            min_capacity: Some(min.into_value()),
            resource_id: Some(resource_id),
            scalable_dimension: Some(Value::lit("ecs:service:DesiredCount")),
            service_namespace: Some(Value::lit("ecs")),
            ..Default::default()
        };
        stack.add_resource(&ids.scalable_target, &target);
        let cooldown = |c: Option<Duration>| -> Option<Value<i64>> {
            Some(c.map_or(300, seconds).into_value())
        };
        for (target, metric, logical_id) in [
            (
                scaling.target_cpu_utilization,
                "ECSServiceAverageCPUUtilization",
                &ids.cpu_scaling,
            ),
            (
                scaling.target_memory_utilization,
                "ECSServiceAverageMemoryUtilization",
                &ids.memory_scaling,
            ),
        ] {
            let Some(percent) = target else { continue };
            if !(1..=100).contains(&percent) {
                stack.report(format!(
                    "service `{id}`: `auto_scaling` target {percent} % is not a percentage from 1 to 100"
                ));
            }
            let tracking = scaling_policy::TargetTrackingScalingPolicyConfiguration {
                predefined_metric_specification: Some(
                    scaling_policy::PredefinedMetricSpecification {
                        predefined_metric_type: Some(Value::lit(metric)),
                        ..Default::default()
                    },
                ),
                scale_in_cooldown: cooldown(scaling.scale_in_cooldown),
                scale_out_cooldown: cooldown(scaling.scale_out_cooldown),
                target_value: Some(f64::from(percent).into_value()),
                ..Default::default()
            };
            stack.add_resource(
                logical_id,
                &aws::applicationautoscaling::ScalingPolicy {
                    policy_name: Some(Value::lit(logical_id)),
                    policy_type: Some(Value::lit("TargetTrackingScaling")),
                    scaling_target_id: Some(Value::reference(&ids.scalable_target)),
                    target_tracking_scaling_policy_configuration: Some(tracking),
                    ..Default::default()
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ok, props};
    use super::super::HealthCheck;
    use super::*;
    use crate::constructs::{Construct, Vpc, VpcProps};
    use crate::expr::Expr;
    use serde_json::json;

    #[test]
    fn existing_cluster_extra_groups_public_ips_and_auto_scaling() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let r = ok(|stack| {
            vpc.build(VpcProps::default().nat_gateways(0), stack);
            web.build(
                props(&vpc)
                    .cluster("shared")
                    .security_groups(["sg-0123456789abcdef0"])
                    .load_balancer_security_groups(["sg-0fedcba9876543210"])
                    .assign_public_ip(true)
                    .public_load_balancer(false)
                    .desired_count(2)
                    .service_name("web")
                    .health_check(
                        HealthCheck::default()
                            .path("/_stcore/health")
                            .healthy_http_codes("200-299")
                            .interval(Duration::seconds(15))
                            .timeout(Duration::seconds(10))
                            .healthy_threshold_count(2)
                            .unhealthy_threshold_count(3),
                    )
                    .health_check_grace_period(Duration::minutes(2))
                    .sticky_sessions(Duration::days(1))
                    .deregistration_delay(Duration::seconds(30))
                    .auto_scaling(
                        TaskAutoScaling::default()
                            .max_capacity(10)
                            .target_cpu_utilization(50)
                            .target_memory_utilization(70)
                            .scale_in_cooldown(Duration::seconds(60))
                            .scale_out_cooldown(Duration::seconds(60)),
                    ),
                stack,
            );
        });
        assert!(r.get("WebCluster").is_none());
        let service = &r["Web"]["Properties"];
        assert_eq!(service["Cluster"], "shared");
        assert_eq!(service["ServiceName"], "web");
        assert_eq!(service["DesiredCount"], 2);
        assert_eq!(service["HealthCheckGracePeriodSeconds"], 120);
        let network = &service["NetworkConfiguration"]["AwsvpcConfiguration"];
        assert_eq!(network["AssignPublicIp"], "ENABLED");
        assert_eq!(
            network["Subnets"][0],
            json!({"Ref": "NetworkPublicSubnet1"})
        );
        assert_eq!(network["SecurityGroups"][1], "sg-0123456789abcdef0");
        assert_eq!(r["Web"]["DependsOn"], "WebListener");
        let lb = &r["WebLoadBalancer"];
        assert_eq!(lb["Properties"]["Scheme"], "internal");
        assert_eq!(
            lb["Properties"]["SecurityGroups"],
            json!([
                {"Fn::GetAtt": ["WebLoadBalancerSecurityGroup", "GroupId"]},
                "sg-0fedcba9876543210"
            ])
        );
        assert!(lb.get("DependsOn").is_none());
        assert_eq!(
            r["WebLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"][0]["CidrIp"],
            json!({"Fn::GetAtt": ["Network", "CidrBlock"]})
        );
        let target_group = &r["WebTargetGroup"]["Properties"];
        assert_eq!(target_group["HealthCheckPath"], "/_stcore/health");
        assert_eq!(target_group["Matcher"], json!({"HttpCode": "200-299"}));
        assert_eq!(target_group["HealthCheckIntervalSeconds"], 15);
        assert_eq!(target_group["UnhealthyThresholdCount"], 3);
        assert_eq!(
            target_group["TargetGroupAttributes"],
            json!([
                {"Key": "deregistration_delay.timeout_seconds", "Value": "30"},
                {"Key": "stickiness.enabled", "Value": "true"},
                {"Key": "stickiness.type", "Value": "lb_cookie"},
                {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "86400"}
            ])
        );
        let target = &r["WebScalableTarget"]["Properties"];
        assert_eq!(target["MinCapacity"], 2);
        assert_eq!(target["MaxCapacity"], 10);
        assert_eq!(
            target["ResourceId"],
            json!({"Fn::Sub": "service/shared/${Web.Name}"})
        );
        let cpu = &r["WebCpuScaling"]["Properties"]["TargetTrackingScalingPolicyConfiguration"];
        assert_eq!(cpu["TargetValue"], 50.0);
        assert_eq!(cpu["ScaleInCooldown"], 60);
        assert_eq!(
            r["WebMemoryScaling"]["Properties"]["TargetTrackingScalingPolicyConfiguration"]
                ["PredefinedMetricSpecification"]["PredefinedMetricType"],
            "ECSServiceAverageMemoryUtilization"
        );
        assert_eq!(web.cluster_name().expr(), &Expr::Str("shared".into()));
    }
}
