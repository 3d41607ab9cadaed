//! ECS constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Cluster` and `ApplicationLoadBalancedFargateService`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Cluster",
        cfn_type: "AWS::ECS::Cluster",
        options: &[
            opt("cluster_name", "Value<String>").checked(Check::Str(rules::ecs::cluster_name)),
            opt("container_insights", "bool"),
            opt("enable_fargate_capacity_providers", "bool"),
        ],
        attrs: &["cluster_name", "cluster_arn"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "ApplicationLoadBalancedFargateService",
        cfn_type: "AWS::ECS::Service",
        options: &[
            req("vpc", "&Vpc"),
            req("image", "ContainerImage"),
            opt("cluster", "Value<Id<kind::ecs::Cluster>>"),
            opt("container_name", "String"),
            opt("container_port", "u16").checked(Check::Int(rules::ec2::port)),
            // Plain, not `ENV`: that kind's checks name Lambda's reserved variables.
            opt("environment", "StringMap"),
            opt("cpu", "Value<i64>"),
            opt("memory_limit_mib", "Value<i64>"),
            opt("architecture", "Architecture"),
            opt("desired_count", "Value<i64>"),
            opt("initial_policy", "Vec<Statement>"),
            opt("log_retention", "Duration").checked(Check::Seconds(rules::logs::retention)),
            opt("public_load_balancer", "bool"),
            opt(
                "certificate",
                "Value<Arn<kind::certificatemanager::Certificate>>",
            ),
            opt("redirect_http", "bool"),
            opt("health_check", "HealthCheck"),
            opt("health_check_grace_period", "Duration"),
            opt("sticky_sessions", "Duration"),
            opt("deregistration_delay", "Duration"),
            opt(
                "security_groups",
                "Vec<Value<Id<kind::ec2::SecurityGroup>>>",
            ),
            opt(
                "load_balancer_security_groups",
                "Vec<Value<Id<kind::ec2::SecurityGroup>>>",
            ),
            opt("assign_public_ip", "bool"),
            opt("auto_scaling", "TaskAutoScaling"),
            opt("service_name", "Value<String>"),
        ],
        attrs: &[
            "load_balancer_dns_name",
            "load_balancer_hosted_zone_id",
            "load_balancer_arn",
            "url",
            "service_name",
            "service_arn",
            "cluster_name",
            "task_role_arn",
            "execution_role_arn",
            "task_definition_arn",
            "log_group_name",
            "security_group_id",
            "load_balancer_security_group_id",
            "target_group_arn",
        ],
        grants: &[],
        principal: true,
        // With an existing cluster: the service, task definition, two roles, log group, load
        // balancer, two security groups and the rule between them, target group, listener.
        resources: 11,
        children: &[],
    },
];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
        name: "HealthCheck",
        fields: &[
            opt("path", "Value<String>"),
            opt("healthy_http_codes", "Value<String>"),
            opt("interval", "Duration"),
            opt("timeout", "Duration"),
            opt("healthy_threshold_count", "u32"),
            opt("unhealthy_threshold_count", "u32"),
        ],
    },
    OptionType {
        name: "TaskAutoScaling",
        fields: &[
            opt("min_capacity", "u32"),
            req("max_capacity", "u32"),
            opt("target_cpu_utilization", "u32"),
            opt("target_memory_utilization", "u32"),
            opt("scale_in_cooldown", "Duration"),
            opt("scale_out_cooldown", "Duration"),
        ],
    },
];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
];
