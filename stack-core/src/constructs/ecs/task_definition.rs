//! The task definition of a service: its one container, and the roles ECS tasks assume.

use super::props::ApplicationLoadBalancedFargateServiceProps;
use super::ApplicationLoadBalancedFargateService;
use crate::constructs::{lit, obj, Architecture};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{ToExpr, Value};

impl ApplicationLoadBalancedFargateService {
    pub(super) fn add_task_definition(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
        image: Expr,
    ) {
        let ids = &self.ids;
        let mut container = vec![
            ("Name".to_owned(), lit(&props.container_name)),
            ("Image".to_owned(), image),
            ("Essential".to_owned(), Expr::Bool(true)),
            (
                "PortMappings".to_owned(),
                Expr::List(vec![obj([
                    ("ContainerPort", Expr::Int(i64::from(props.container_port))),
                    ("Protocol", lit("tcp")),
                ])]),
            ),
        ];
        if !props.environment.is_empty() {
            container.push((
                "Environment".to_owned(),
                Expr::List(
                    props
                        .environment
                        .iter()
                        .map(|(name, value)| obj([("Name", lit(name)), ("Value", value.to_expr())]))
                        .collect(),
                ),
            ));
        }
        container.push((
            "LogConfiguration".to_owned(),
            obj([
                ("LogDriver", lit("awslogs")),
                (
                    "Options",
                    obj([
                        ("awslogs-group", Expr::Ref(ids.log_group.clone())),
                        ("awslogs-region", Expr::Ref("AWS::Region".into())),
                        ("awslogs-stream-prefix", lit(&ids.service)),
                    ]),
                ),
            ]),
        ));
        let architecture = match props.architecture.unwrap_or_default() {
            Architecture::Arm64 => "ARM64",
            Architecture::X86_64 => "X86_64",
        };
        stack.add(
            &ids.task_definition,
            ResourceDecl::new(
                "AWS::ECS::TaskDefinition",
                obj([
                    ("RequiresCompatibilities", Expr::List(vec![lit("FARGATE")])),
                    ("NetworkMode", lit("awsvpc")),
                    ("Cpu", as_string(props.cpu.clone(), 256)),
                    ("Memory", as_string(props.memory_limit_mib.clone(), 512)),
                    (
                        "RuntimePlatform",
                        obj([
                            ("OperatingSystemFamily", lit("LINUX")),
                            ("CpuArchitecture", lit(architecture)),
                        ]),
                    ),
                    (
                        "ExecutionRoleArn",
                        Expr::GetAtt(ids.execution_role.clone(), "Arn".into()),
                    ),
                    (
                        "TaskRoleArn",
                        Expr::GetAtt(ids.task_role.clone(), "Arn".into()),
                    ),
                    (
                        "ContainerDefinitions",
                        Expr::List(vec![Expr::Map(container)]),
                    ),
                ]),
            ),
        );
    }
}

/// A role that ECS tasks assume. The task role only trusts tasks of this account and
/// region (the confused-deputy guard AWS documents for task roles).
pub(super) fn ecs_tasks_role(scoped: bool) -> ResourceDecl {
    let mut statement = vec![
        ("Effect".to_owned(), lit("Allow")),
        (
            "Principal".to_owned(),
            obj([("Service", lit("ecs-tasks.amazonaws.com"))]),
        ),
        ("Action".to_owned(), lit("sts:AssumeRole")),
    ];
    if scoped {
        statement.push((
            "Condition".to_owned(),
            obj([
                (
                    "ArnLike",
                    obj([(
                        "aws:SourceArn",
                        Expr::Sub(
                            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*".into(),
                        ),
                    )]),
                ),
                (
                    "StringEquals",
                    obj([("aws:SourceAccount", Expr::Ref("AWS::AccountId".into()))]),
                ),
            ]),
        ));
    }
    ResourceDecl::new(
        "AWS::IAM::Role",
        obj([(
            "AssumeRolePolicyDocument",
            obj([
                ("Version", lit("2012-10-17")),
                ("Statement", Expr::List(vec![Expr::Map(statement)])),
            ]),
        )]),
    )
}

/// A count as the string CloudFormation wants for task sizes.
fn as_string(value: Option<Value<i64>>, default: i64) -> Expr {
    match value.map(Value::into_expr) {
        None => Expr::Str(default.to_string()),
        Some(Expr::Int(n)) => Expr::Str(n.to_string()),
        Some(other) => other,
    }
}
