//! ECS constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::Check;

/// `ApplicationLoadBalancedFargateService`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "ApplicationLoadBalancedFargateService",
    cfn_type: "AWS::ECS::Service",
    options: &[
        req("vpc"),
        req("image"),
        opt("cluster"),
        opt("container_name"),
        opt("container_port").checked(Check::Port),
        // Plain, not `ENV`: that kind's checks name Lambda's reserved variables.
        opt("environment"),
        opt("cpu"),
        opt("memory_limit_mib"),
        opt("architecture"),
        opt("desired_count"),
        opt("initial_policy"),
        opt("log_retention").checked(Check::LogRetention),
        opt("public_load_balancer"),
        opt("certificate"),
        opt("redirect_http"),
        opt("health_check"),
        opt("health_check_grace_period"),
        opt("sticky_sessions"),
        opt("deregistration_delay"),
        opt("security_groups"),
        opt("load_balancer_security_groups"),
        opt("assign_public_ip"),
        opt("auto_scaling"),
        opt("service_name"),
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
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
