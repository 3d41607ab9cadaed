//! The task definition of a service: its one container, and the roles ECS tasks assume.

use std::collections::BTreeMap;

use super::props::ApplicationLoadBalancedFargateServiceProps;
use super::ApplicationLoadBalancedFargateService;
use crate::aws;
use crate::aws::ecs::task_definition;
use crate::constructs::{Architecture, Principals};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

impl ApplicationLoadBalancedFargateService {
    pub(super) fn add_task_definition(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
        image: Value<String>,
    ) {
        let ids = &self.ids;
        let environment = props
            .environment
            .iter()
            .map(|(name, value)| task_definition::KeyValuePair {
                name: Some(Value::lit(name)),
                value: Some(value.clone()),
            })
            .collect::<Vec<_>>();
        let log_options = BTreeMap::from([
            ("awslogs-group".to_owned(), Value::reference(&ids.log_group)),
            ("awslogs-region".to_owned(), Value::reference("AWS::Region")),
            ("awslogs-stream-prefix".to_owned(), Value::lit(&ids.service)),
        ]);
        let container = task_definition::ContainerDefinition {
            environment: (!environment.is_empty()).then_some(environment),
            essential: Some(true.into_value()),
            image: Some(image),
            log_configuration: Some(task_definition::LogConfiguration {
                log_driver: Some(Value::lit("awslogs")),
                options: Some(log_options),
                ..Default::default()
            }),
            name: Some(Value::lit(&props.container_name)),
            port_mappings: Some(vec![task_definition::PortMapping {
                container_port: Some(props.container_port.into_value()),
                protocol: Some(Value::lit("tcp")),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let architecture = match props.architecture.unwrap_or_default() {
            Architecture::Arm64 => "ARM64",
            Architecture::X86_64 => "X86_64",
        };
        let task_definition = aws::ecs::TaskDefinition {
            container_definitions: Some(vec![container]),
            cpu: Some(as_string(props.cpu.clone(), 256)),
            execution_role_arn: Some(Value::get_att(&ids.execution_role, "Arn")),
            memory: Some(as_string(props.memory_limit_mib.clone(), 512)),
            network_mode: Some(Value::lit("awsvpc")),
            requires_compatibilities: Some(Value::list([Value::lit("FARGATE")])),
            runtime_platform: Some(task_definition::RuntimePlatform {
                cpu_architecture: Some(Value::lit(architecture)),
                operating_system_family: Some(Value::lit("LINUX")),
            }),
            task_role_arn: Some(Value::get_att(&ids.task_role, "Arn")),
            ..Default::default()
        };
        stack.add_resource(&ids.task_definition, &task_definition);
    }
}

/// The role a task's containers run as. It trusts ECS only on behalf of this account's
/// tasks in this region (`aws:SourceAccount` and `aws:SourceArn`, the confused-deputy guard
/// AWS documents for task roles).
pub(super) fn ecs_task_role() -> aws::iam::Role {
    ecs_role(
        Principals::default()
            .services(["ecs-tasks.amazonaws.com"])
            .source_arn(Value::<String>::sub(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*",
            ))
            .source_account(true),
    )
}

/// The role the ECS agent assumes to pull the image and write logs. It trusts ECS without
/// conditions: AWS documents the confused-deputy keys for task roles, not for this one,
/// and a condition the service does not meet would stop every task from starting.
pub(super) fn ecs_execution_role() -> aws::iam::Role {
    ecs_role(Principals::default().services(["ecs-tasks.amazonaws.com"]))
}

fn ecs_role(principals: Principals) -> aws::iam::Role {
    aws::iam::Role {
        assume_role_policy_document: Some(Value::from_expr(principals.trust_policy())),
        ..Default::default()
    }
}

/// A count as the string CloudFormation wants for task sizes; a count known only at
/// deploy time (a parameter) is passed as it is.
fn as_string(value: Option<Value<i64>>, default: i64) -> Value<String> {
    match value.map(Value::into_expr) {
        None => Value::lit(default.to_string()),
        Some(Expr::Int(n)) => Value::lit(n.to_string()),
        Some(other) => Value::from_expr(other),
    }
}
