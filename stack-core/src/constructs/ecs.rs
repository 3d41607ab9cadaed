//! Containers on ECS: [`ApplicationLoadBalancedFargateService`], a Fargate service in a
//! [`Vpc`]'s private subnets behind a public Application Load Balancer.

use std::path::PathBuf;
use std::sync::Arc;

use super::ec2::{group_rule, Built, Direction, Port};
use super::ecr::{authorization_token, pull_statement};
use super::lambda::{log_group, DEFAULT_LOG_RETENTION_DAYS};
use super::{
    image_asset_uri, lit, literal_int, literal_str, obj, register_asset, Architecture, Construct,
    Duration, Repository, RoleRef, StringMap, Vpc,
};
use crate::asset::{AssetKind, CONTAINER_ASSET_REPOSITORY};
use crate::expr::Expr;
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Arn, Id, IntoValue, ToExpr, Value};

/// The retention periods CloudWatch Logs accepts, in days.
const LOG_RETENTION_DAYS: &[u64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 with forward secrecy only, what
/// AWS recommends for new load balancers.
const SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// Where a service's container image comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerImage {
    source: ImageSource,
}

#[derive(Clone, Debug, PartialEq)]
enum ImageSource {
    Asset(PathBuf),
    Registry(Value<String>),
    Ecr {
        uri: Value<String>,
        repository_arn: Value<String>,
    },
}

impl ContainerImage {
    /// A local directory with a `Dockerfile`, built and pushed to the staging repository.
    /// A relative path resolves against the crate that declares the stack.
    pub fn from_asset(dir: impl Into<PathBuf>) -> Self {
        Self {
            source: ImageSource::Asset(dir.into()),
        }
    }

    /// An image by URI: a public one (`public.ecr.aws/nginx/nginx:1.27`, `nginx:1.27`) or
    /// one in ECR (`<account>.dkr.ecr.<region>.amazonaws.com/repo:tag`), which the
    /// execution role may then pull. A URI known only at deploy time is assumed to be in
    /// this account's ECR, in this region.
    pub fn from_registry(uri: impl IntoValue<String>) -> Self {
        Self {
            source: ImageSource::Registry(uri.into_value()),
        }
    }

    /// A tag of a [`Repository`] of this stack; the execution role may pull from it only.
    pub fn from_ecr_repository(repository: &Repository, tag: impl IntoValue<String>) -> Self {
        Self {
            source: ImageSource::Ecr {
                uri: Value::concat([
                    repository.repository_uri(),
                    Value::lit(":"),
                    tag.into_value(),
                ]),
                repository_arn: repository.arn().into_value(),
            },
        }
    }
}

/// How the load balancer decides that a task is healthy. Every field is optional.
#[derive(Clone, Debug, Default)]
pub struct HealthCheck {
    path: Option<Value<String>>,
    healthy_http_codes: Option<Value<String>>,
    interval: Option<Duration>,
    timeout: Option<Duration>,
    healthy_threshold_count: Option<u32>,
    unhealthy_threshold_count: Option<u32>,
}

impl HealthCheck {
    /// The path requested, `/` when unset (Streamlit answers on `/_stcore/health`).
    #[must_use]
    pub fn path(mut self, path: impl IntoValue<String>) -> Self {
        self.path = Some(path.into_value());
        self
    }

    /// Status codes that mean healthy: `"200"`, `"200-299"`, `"200,302"`; `200` when unset.
    #[must_use]
    pub fn healthy_http_codes(mut self, codes: impl IntoValue<String>) -> Self {
        self.healthy_http_codes = Some(codes.into_value());
        self
    }

    /// Time between checks, 5 to 300 seconds; 30 when unset.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = Some(interval);
        self
    }

    /// How long a check may take, 2 to 120 seconds and less than `interval`; 5 when unset.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Consecutive successes before a task counts as healthy, 2 to 10; 5 when unset.
    #[must_use]
    pub fn healthy_threshold_count(mut self, count: u32) -> Self {
        self.healthy_threshold_count = Some(count);
        self
    }

    /// Consecutive failures before a task counts as unhealthy, 2 to 10; 2 when unset.
    #[must_use]
    pub fn unhealthy_threshold_count(mut self, count: u32) -> Self {
        self.unhealthy_threshold_count = Some(count);
        self
    }
}

/// Target tracking for the task count: `TaskAutoScaling { max_capacity: 10,
/// target_cpu_utilization: 50 }`. `max_capacity` and at least one target are required.
#[derive(Clone, Debug, Default)]
pub struct TaskAutoScaling {
    min_capacity: Option<u32>,
    max_capacity: Option<u32>,
    target_cpu_utilization: Option<u32>,
    target_memory_utilization: Option<u32>,
    scale_in_cooldown: Option<Duration>,
    scale_out_cooldown: Option<Duration>,
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

/// What the service's attributes need once it is built.
#[derive(Debug)]
struct ServiceState {
    https: bool,
    cluster: Expr,
}

/// The logical IDs a service owns.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ServiceIds {
    service: String,
    cluster: String,
    task_role: String,
    execution_role: String,
    log_group: String,
    task_definition: String,
    load_balancer: String,
    load_balancer_security_group: String,
    security_group: String,
    security_group_ingress: String,
    target_group: String,
    listener: String,
    redirect_listener: String,
    scalable_target: String,
    cpu_scaling: String,
    memory_scaling: String,
}

impl ServiceIds {
    fn new(id: &str) -> Self {
        let child = |suffix: &str| format!("{id}{suffix}");
        Self {
            service: id.to_owned(),
            cluster: child("Cluster"),
            task_role: child("TaskRole"),
            execution_role: child("ExecutionRole"),
            log_group: child("LogGroup"),
            task_definition: child("TaskDefinition"),
            load_balancer: child("LoadBalancer"),
            load_balancer_security_group: child("LoadBalancerSecurityGroup"),
            security_group: child("SecurityGroup"),
            security_group_ingress: child("SecurityGroupFromLoadBalancer"),
            target_group: child("TargetGroup"),
            listener: child("Listener"),
            redirect_listener: child("HttpRedirectListener"),
            scalable_target: child("ScalableTarget"),
            cpu_scaling: child("CpuScaling"),
            memory_scaling: child("MemoryScaling"),
        }
    }
}

/// A Fargate service behind an Application Load Balancer, as CDK's pattern of the same
/// name, with tighter defaults.
///
/// Resources: the service `<Id>` in the cluster `<Id>Cluster` (unless `cluster` names an
/// existing one); the task definition `<Id>TaskDefinition` with one container, its task
/// role `<Id>TaskRole` (the stack's grants and `initial_policy`) and execution role
/// `<Id>ExecutionRole` (pulling the image and writing logs, nothing else); the log group
/// `<Id>LogGroup`; the load balancer `<Id>LoadBalancer` in the public subnets with its
/// security group `<Id>LoadBalancerSecurityGroup`, the target group `<Id>TargetGroup`
/// and the listener `<Id>Listener` (HTTP on 80, or HTTPS on 443 with a `certificate`,
/// plus `<Id>HttpRedirectListener` sending HTTP to HTTPS); the tasks' security group
/// `<Id>SecurityGroup`, which admits only the load balancer, through
/// `<Id>SecurityGroupFromLoadBalancer`; and with `auto_scaling`, `<Id>ScalableTarget`
/// with `<Id>CpuScaling` and/or `<Id>MemoryScaling`.
///
/// Tasks run in the private subnets without public IPs. Deployments roll back by
/// themselves when new tasks fail to become healthy (the deployment circuit breaker), so
/// a bad image does not leave the stack waiting for hours.
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancedFargateService {
    ids: ServiceIds,
    state: Arc<Built<ServiceState>>,
}

impl PartialEq for ApplicationLoadBalancedFargateService {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}

impl Eq for ApplicationLoadBalancedFargateService {}

/// Options of an [`ApplicationLoadBalancedFargateService`]. `vpc` and `image` are
/// required.
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancedFargateServiceProps {
    vpc: Option<Vpc>,
    cluster: Option<Value<Id<kind::ecs::Cluster>>>,
    image: Option<ContainerImage>,
    container_name: String,
    container_port: u16,
    environment: StringMap,
    cpu: Option<Value<i64>>,
    memory_limit_mib: Option<Value<i64>>,
    architecture: Option<Architecture>,
    desired_count: Option<Value<i64>>,
    initial_policy: Vec<Statement>,
    log_retention: Option<Duration>,
    public_load_balancer: bool,
    certificate: Option<Value<Arn<kind::certificatemanager::Certificate>>>,
    redirect_http: bool,
    health_check: HealthCheck,
    health_check_grace_period: Option<Duration>,
    sticky_sessions: Option<Duration>,
    deregistration_delay: Option<Duration>,
    security_groups: Vec<Value<Id<kind::ec2::SecurityGroup>>>,
    load_balancer_security_groups: Vec<Value<Id<kind::ec2::SecurityGroup>>>,
    assign_public_ip: bool,
    auto_scaling: Option<TaskAutoScaling>,
    service_name: Option<Value<String>>,
}

impl Default for ApplicationLoadBalancedFargateServiceProps {
    fn default() -> Self {
        Self {
            vpc: None,
            cluster: None,
            image: None,
            container_name: "web".to_owned(),
            container_port: 80,
            environment: StringMap::new(),
            cpu: None,
            memory_limit_mib: None,
            architecture: None,
            desired_count: None,
            initial_policy: Vec::new(),
            log_retention: None,
            public_load_balancer: true,
            certificate: None,
            redirect_http: true,
            health_check: HealthCheck::default(),
            health_check_grace_period: None,
            sticky_sessions: None,
            deregistration_delay: None,
            security_groups: Vec::new(),
            load_balancer_security_groups: Vec::new(),
            assign_public_ip: false,
            auto_scaling: None,
            service_name: None,
        }
    }
}

impl ApplicationLoadBalancedFargateServiceProps {
    /// The VPC to run in: the load balancer goes in its public subnets, the tasks in its
    /// private ones.
    #[must_use]
    pub fn vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }

    /// An existing cluster (its name or ARN, or an `AWS::ECS::Cluster` of this stack)
    /// instead of a new `<Id>Cluster`.
    #[must_use]
    pub fn cluster(mut self, cluster: impl IntoValue<Id<kind::ecs::Cluster>>) -> Self {
        self.cluster = Some(cluster.into_value());
        self
    }

    /// The container image: `ContainerImage::from_asset(dir)`,
    /// `ContainerImage::from_registry(uri)` or `ContainerImage::from_ecr_repository(repo, tag)`.
    #[must_use]
    pub fn image(mut self, image: ContainerImage) -> Self {
        self.image = Some(image);
        self
    }

    /// The container's name; `web` when unset.
    #[must_use]
    pub fn container_name(mut self, name: impl Into<String>) -> Self {
        self.container_name = name.into();
        self
    }

    /// The port the container listens on; 80 when unset.
    #[must_use]
    pub fn container_port(mut self, port: u16) -> Self {
        self.container_port = port;
        self
    }

    /// Environment variables, written `{ KEY: value, ... }`.
    #[must_use]
    pub fn environment(mut self, environment: StringMap) -> Self {
        self.environment = environment;
        self
    }

    /// CPU units for the task (1024 is one vCPU): 256, 512, 1024, 2048, 4096, 8192 or
    /// 16384; 256 when unset.
    #[must_use]
    pub fn cpu(mut self, units: impl IntoValue<i64>) -> Self {
        self.cpu = Some(units.into_value());
        self
    }

    /// Memory for the task in MiB, a size Fargate offers for the `cpu`; 512 when unset.
    #[must_use]
    pub fn memory_limit_mib(mut self, mib: impl IntoValue<i64>) -> Self {
        self.memory_limit_mib = Some(mib.into_value());
        self
    }

    /// The instruction set the image is built for; x86_64 when unset.
    #[must_use]
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = Some(architecture);
        self
    }

    /// How many tasks to run; 1 when unset.
    #[must_use]
    pub fn desired_count(mut self, count: impl IntoValue<i64>) -> Self {
        self.desired_count = Some(count.into_value());
        self
    }

    /// Extra statements for the task role, beside the stack's `grant`s.
    #[must_use]
    pub fn initial_policy(mut self, statements: impl IntoIterator<Item = Statement>) -> Self {
        self.initial_policy.extend(statements);
        self
    }

    /// How long the log group keeps events; one year when unset.
    #[must_use]
    pub fn log_retention(mut self, retention: Duration) -> Self {
        self.log_retention = Some(retention);
        self
    }

    /// Whether the load balancer faces the internet (the default) or only the VPC.
    #[must_use]
    pub fn public_load_balancer(mut self, public: bool) -> Self {
        self.public_load_balancer = public;
        self
    }

    /// A certificate for HTTPS on port 443: a [`Certificate`](super::Certificate) of this
    /// stack, or an ARN.
    #[must_use]
    pub fn certificate(
        mut self,
        certificate: impl IntoValue<Arn<kind::certificatemanager::Certificate>>,
    ) -> Self {
        self.certificate = Some(certificate.into_value());
        self
    }

    /// With a `certificate`, whether port 80 redirects to HTTPS (the default).
    #[must_use]
    pub fn redirect_http(mut self, redirect: bool) -> Self {
        self.redirect_http = redirect;
        self
    }

    /// How the load balancer checks the tasks: `HealthCheck { path: "/health" }`.
    #[must_use]
    pub fn health_check(mut self, health_check: HealthCheck) -> Self {
        self.health_check = health_check;
        self
    }

    /// How long new tasks may fail health checks while starting; 60 s when unset.
    #[must_use]
    pub fn health_check_grace_period(mut self, period: Duration) -> Self {
        self.health_check_grace_period = Some(period);
        self
    }

    /// Keeps each client on one task for `duration` with a load balancer cookie. Apps that
    /// hold sessions in memory (Streamlit, for one) need it once they run several tasks.
    #[must_use]
    pub fn sticky_sessions(mut self, duration: Duration) -> Self {
        self.sticky_sessions = Some(duration);
        self
    }

    /// How long a task being replaced may finish its requests; the load balancer's 300 s
    /// when unset. Shorter makes deployments faster.
    #[must_use]
    pub fn deregistration_delay(mut self, delay: Duration) -> Self {
        self.deregistration_delay = Some(delay);
        self
    }

    /// More security groups for the tasks, beside their own, which admits only the load
    /// balancer.
    #[must_use]
    pub fn security_groups(
        mut self,
        groups: impl IntoIterator<Item = impl IntoValue<Id<kind::ec2::SecurityGroup>>>,
    ) -> Self {
        self.security_groups = groups.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// More security groups for the load balancer, beside its own, which admits clients on
    /// the listener ports and reaches only the tasks. A group that admits more (a seed's
    /// "open to all" group, say) widens who may connect, never what the load balancer can
    /// reach: give such a group `allow_all_outbound: false`.
    #[must_use]
    pub fn load_balancer_security_groups(
        mut self,
        groups: impl IntoIterator<Item = impl IntoValue<Id<kind::ec2::SecurityGroup>>>,
    ) -> Self {
        self.load_balancer_security_groups =
            groups.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Whether tasks run in the public subnets with public IPs, for a VPC without NAT
    /// gateways; off when unset.
    #[must_use]
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.assign_public_ip = assign;
        self
    }

    /// Scale the task count with load: `TaskAutoScaling { max_capacity: 10,
    /// target_cpu_utilization: 50 }`.
    #[must_use]
    pub fn auto_scaling(mut self, scaling: TaskAutoScaling) -> Self {
        self.auto_scaling = Some(scaling);
        self
    }

    /// The service's name; CloudFormation generates one when unset.
    #[must_use]
    pub fn service_name(mut self, name: impl IntoValue<String>) -> Self {
        self.service_name = Some(name.into_value());
        self
    }
}

impl ApplicationLoadBalancedFargateService {
    /// The load balancer's DNS name.
    pub fn load_balancer_dns_name(&self) -> Value<String> {
        Value::get_att(&self.ids.load_balancer, "DNSName")
    }

    /// The ID of the Route 53 zone that serves the load balancer's DNS name, for aliases.
    pub fn load_balancer_hosted_zone_id(&self) -> Value<String> {
        Value::get_att(&self.ids.load_balancer, "CanonicalHostedZoneID")
    }

    /// The load balancer's ARN.
    pub fn load_balancer_arn(&self) -> Value<Arn<kind::elasticloadbalancingv2::LoadBalancer>> {
        Value::reference(&self.ids.load_balancer)
    }

    /// `http://<load balancer DNS name>`, or `https://...` with a certificate.
    pub fn url(&self) -> Value<String> {
        let scheme = match self.state.get() {
            Some(state) if state.https => "https://",
            _ => "http://",
        };
        Value::concat([Value::lit(scheme), self.load_balancer_dns_name()])
    }

    /// The service's name.
    pub fn service_name(&self) -> Value<String> {
        Value::get_att(&self.ids.service, "Name")
    }

    /// The service's ARN (`Ref`).
    pub fn service_arn(&self) -> Value<Arn<kind::ecs::Service>> {
        Value::reference(&self.ids.service)
    }

    /// The name of the cluster the service runs in.
    pub fn cluster_name(&self) -> Value<Id<kind::ecs::Cluster>> {
        match self.state.get() {
            Some(state) => Value::from_expr(state.cluster.clone()),
            None => Value::reference(&self.ids.cluster),
        }
    }

    /// The ARN of the task role, which the stack's grants go to.
    pub fn task_role_arn(&self) -> Value<Arn<kind::iam::Role>> {
        Value::get_att(&self.ids.task_role, "Arn")
    }

    /// The ARN of the execution role, which ECS uses to pull the image and write logs.
    pub fn execution_role_arn(&self) -> Value<Arn<kind::iam::Role>> {
        Value::get_att(&self.ids.execution_role, "Arn")
    }

    /// The task definition's ARN (`Ref`).
    pub fn task_definition_arn(&self) -> Value<Arn<kind::ecs::TaskDefinition>> {
        Value::reference(&self.ids.task_definition)
    }

    /// The name of the containers' log group.
    pub fn log_group_name(&self) -> Value<Id<kind::logs::LogGroup>> {
        Value::reference(&self.ids.log_group)
    }

    /// The ID of the tasks' security group, to admit them elsewhere (a database, say).
    pub fn security_group_id(&self) -> Value<Id<kind::ec2::SecurityGroup>> {
        Value::get_att(&self.ids.security_group, "GroupId")
    }

    /// The ID of the load balancer's security group.
    pub fn load_balancer_security_group_id(&self) -> Value<Id<kind::ec2::SecurityGroup>> {
        Value::get_att(&self.ids.load_balancer_security_group, "GroupId")
    }

    /// The target group's ARN (`Ref`).
    pub fn target_group_arn(&self) -> Value<Arn<kind::elasticloadbalancingv2::TargetGroup>> {
        Value::reference(&self.ids.target_group)
    }
}

impl Principal for ApplicationLoadBalancedFargateService {
    fn role_logical_id(&self) -> &str {
        &self.ids.task_role
    }
}

impl Construct for ApplicationLoadBalancedFargateService {
    type Props = ApplicationLoadBalancedFargateServiceProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            ids: ServiceIds::new(logical_id),
            state: Arc::default(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.ids.service
    }

    fn build(&self, props: ApplicationLoadBalancedFargateServiceProps, stack: &mut StackBuilder) {
        let ids = &self.ids;
        let id = ids.service.as_str();
        let path = format!("{}/{id}", stack.name());
        check_options(stack, id, &props);

        let Some(vpc) = props.vpc.as_ref() else {
            stack.report(format!("service `{id}` has no `vpc`; add `vpc: <a Vpc>`"));
            return;
        };
        let (public_routes, private_routes, zones) = match vpc.layout() {
            Some(layout) => (
                layout.public_routes.clone(),
                layout.private_routes.clone(),
                layout.public_subnets.len(),
            ),
            // The VPC reports the early read when it is built.
            None => (Vec::new(), Vec::new(), 2),
        };
        if zones < 2 {
            stack.report(format!(
                "service `{id}`: a load balancer needs subnets in two zones; give the VPC `max_azs: 2` or more"
            ));
        }
        if !props.assign_public_ip && vpc.layout().is_some() && private_routes.is_empty() {
            stack.report(format!(
                "service `{id}`: the VPC has no NAT gateway, so tasks in its private subnets cannot pull their image; give the VPC `nat_gateways: 1` or set `assign_public_ip: true`"
            ));
        }
        let (lb_subnets, task_subnets) = (
            if props.public_load_balancer {
                vpc.public_subnet_ids()
            } else {
                vpc.private_subnet_ids()
            },
            if props.assign_public_ip {
                vpc.public_subnet_ids()
            } else {
                vpc.private_subnet_ids()
            },
        );

        let image = self.image(
            stack,
            props.image.clone(),
            props.architecture.unwrap_or_default(),
        );
        let https = props.certificate.is_some();
        let cluster = match props.cluster.clone() {
            Some(cluster) => cluster.into_expr(),
            None => {
                stack.add(
                    &ids.cluster,
                    ResourceDecl::new("AWS::ECS::Cluster", obj([])),
                );
                Expr::Ref(ids.cluster.clone())
            }
        };

        // Roles: the task role holds what the application may do; the execution role only
        // what ECS needs to start it.
        stack.add(&ids.task_role, ecs_tasks_role(true));
        if !props.initial_policy.is_empty() {
            stack.grant(
                &RoleRef(ids.task_role.clone()),
                Grant::new(props.initial_policy.clone()),
            );
        }
        stack.add(&ids.execution_role, ecs_tasks_role(false));
        let mut execution = Vec::new();
        if let Some(repositories) = image.pull_from {
            execution.push(authorization_token());
            execution.push(pull_statement(repositories));
        }
        execution.push(Statement::allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [Value::<String>::get_att(&ids.log_group, "Arn")],
        ));
        stack.grant(&RoleRef(ids.execution_role.clone()), Grant::new(execution));

        let retention = props
            .log_retention
            .and_then(Duration::as_whole_days)
            .and_then(|d| i64::try_from(d).ok())
            .unwrap_or(DEFAULT_LOG_RETENTION_DAYS);
        stack
            .add(&ids.log_group, log_group(retention))
            .removal_policy = Some(RemovalPolicy::Retain);

        self.add_task_definition(stack, &props, image.uri);
        let listener_ports: &[u16] = match (https, props.redirect_http) {
            (true, true) => &[443, 80],
            (true, false) => &[443],
            (false, _) => &[80],
        };
        self.add_security_groups(stack, &path, vpc, &props, listener_ports);

        // The load balancer.
        let scheme = if props.public_load_balancer {
            "internet-facing"
        } else {
            "internal"
        };
        let decl = stack.add(
            &ids.load_balancer,
            ResourceDecl::new(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                obj([
                    ("Type", lit("application")),
                    ("Scheme", lit(scheme)),
                    ("Subnets", lb_subnets.into_expr()),
                    (
                        "SecurityGroups",
                        Expr::List(
                            std::iter::once(Expr::GetAtt(
                                ids.load_balancer_security_group.clone(),
                                "GroupId".into(),
                            ))
                            .chain(
                                props
                                    .load_balancer_security_groups
                                    .iter()
                                    .map(|group| group.expr().clone()),
                            )
                            .collect(),
                        ),
                    ),
                    (
                        "LoadBalancerAttributes",
                        Expr::List(vec![obj([
                            (
                                "Key",
                                lit("routing.http.drop_invalid_header_fields.enabled"),
                            ),
                            ("Value", lit("true")),
                        ])]),
                    ),
                ]),
            ),
        );
        // An internet-facing load balancer needs its subnets' route to the internet.
        if props.public_load_balancer {
            for route in &public_routes {
                decl.add_dependency(route);
            }
        }

        self.add_target_group(stack, vpc, &props);
        self.add_listeners(stack, &props);
        self.add_service(
            stack,
            &props,
            cluster.clone(),
            task_subnets,
            &private_routes,
        );
        if let Some(scaling) = props.auto_scaling.clone() {
            self.add_auto_scaling(stack, &props, scaling, &cluster);
        }

        match self.state.set(ServiceState { https, cluster }) {
            Ok(false) => {}
            Ok(true) => stack.report(format!(
                "service `{id}`: its `url` or `cluster_name` was used before it was built; declare it above the resources that use them, and read them in those resources rather than in a `let`"
            )),
            Err(()) => stack.report(format!("service `{id}` is built twice")),
        }
    }
}

/// A resolved image: its URI and the repositories the execution role may pull from.
struct ResolvedImage {
    uri: Expr,
    pull_from: Option<Vec<Value<String>>>,
}

impl ApplicationLoadBalancedFargateService {
    fn image(
        &self,
        stack: &mut StackBuilder,
        image: Option<ContainerImage>,
        architecture: Architecture,
    ) -> ResolvedImage {
        let id = &self.ids.service;
        let repository_arn = |name: &str| {
            Value::from_expr(Expr::Sub(format!(
                "arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{name}"
            )))
        };
        match image.map(|i| i.source) {
            Some(ImageSource::Asset(dir)) => {
                let hash = register_asset(
                    stack,
                    AssetKind::DockerImage,
                    &dir,
                    Some(architecture.platform()),
                    &format!("service `{id}`"),
                );
                ResolvedImage {
                    uri: image_asset_uri(&hash),
                    pull_from: Some(vec![repository_arn(CONTAINER_ASSET_REPOSITORY)]),
                }
            }
            Some(ImageSource::Registry(uri)) => {
                let pull_from = match literal_str(&uri) {
                    Some(text) => ecr_repository_arn(text).map(|arn| vec![Value::from_expr(arn)]),
                    None => Some(vec![repository_arn("*")]),
                };
                ResolvedImage {
                    uri: uri.into_expr(),
                    pull_from,
                }
            }
            Some(ImageSource::Ecr {
                uri,
                repository_arn,
            }) => ResolvedImage {
                uri: uri.into_expr(),
                pull_from: Some(vec![repository_arn]),
            },
            None => {
                stack.report(format!(
                    "service `{id}` has no `image`; add `image: ContainerImage::from_asset(\"dir\")`"
                ));
                ResolvedImage {
                    uri: lit(""),
                    pull_from: None,
                }
            }
        }
    }

    fn add_task_definition(
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

    /// The load balancer's group (open on the listener ports, reaching only the tasks) and
    /// the tasks' group (admitting only the load balancer). The load balancer's egress is
    /// inline and the tasks' ingress separate, so the two groups never form a cycle.
    fn add_security_groups(
        &self,
        stack: &mut StackBuilder,
        path: &str,
        vpc: &Vpc,
        props: &ApplicationLoadBalancedFargateServiceProps,
        listener_ports: &[u16],
    ) {
        let ids = &self.ids;
        let container_port = Port::tcp(props.container_port);
        let clients = if props.public_load_balancer {
            lit("0.0.0.0/0")
        } else {
            vpc.cidr_block().into_expr()
        };
        let ingress = listener_ports
            .iter()
            .map(|port| {
                let mut rule = vec![
                    ("CidrIp".to_owned(), clients.clone()),
                    (
                        "Description".to_owned(),
                        lit(&format!("clients on port {port}")),
                    ),
                ];
                rule.extend(Port::tcp(*port).fields());
                Expr::Map(rule)
            })
            .collect();
        let mut egress = vec![
            (
                "DestinationSecurityGroupId".to_owned(),
                Expr::GetAtt(ids.security_group.clone(), "GroupId".into()),
            ),
            ("Description".to_owned(), lit("to the service's tasks")),
        ];
        egress.extend(container_port.fields());
        stack.add(
            &ids.load_balancer_security_group,
            ResourceDecl::new(
                "AWS::EC2::SecurityGroup",
                obj([
                    ("GroupDescription", lit(&format!("{path}/LoadBalancer"))),
                    ("VpcId", vpc.vpc_id().into_expr()),
                    ("SecurityGroupIngress", Expr::List(ingress)),
                    ("SecurityGroupEgress", Expr::List(vec![Expr::Map(egress)])),
                ]),
            ),
        );
        stack.add(
            &ids.security_group,
            ResourceDecl::new(
                "AWS::EC2::SecurityGroup",
                obj([
                    ("GroupDescription", lit(&format!("{path}/Tasks"))),
                    ("VpcId", vpc.vpc_id().into_expr()),
                    (
                        "SecurityGroupEgress",
                        Expr::List(vec![obj([
                            ("CidrIp", lit("0.0.0.0/0")),
                            ("Description", lit("Allow all outbound traffic")),
                            ("IpProtocol", lit("-1")),
                        ])]),
                    ),
                ]),
            ),
        );
        stack.add(
            &ids.security_group_ingress,
            group_rule(
                Direction::Ingress,
                Expr::GetAtt(ids.security_group.clone(), "GroupId".into()),
                Expr::GetAtt(ids.load_balancer_security_group.clone(), "GroupId".into()),
                container_port,
                Value::lit("from the load balancer"),
            ),
        );
    }

    fn add_target_group(
        &self,
        stack: &mut StackBuilder,
        vpc: &Vpc,
        props: &ApplicationLoadBalancedFargateServiceProps,
    ) {
        let ids = &self.ids;
        let check = &props.health_check;
        let mut p = vec![
            ("TargetType".to_owned(), lit("ip")),
            ("Protocol".to_owned(), lit("HTTP")),
            (
                "Port".to_owned(),
                Expr::Int(i64::from(props.container_port)),
            ),
            ("VpcId".to_owned(), vpc.vpc_id().into_expr()),
            ("HealthCheckEnabled".to_owned(), Expr::Bool(true)),
            (
                "HealthCheckPath".to_owned(),
                check
                    .path
                    .clone()
                    .map_or_else(|| lit("/"), Value::into_expr),
            ),
        ];
        if let Some(interval) = check.interval {
            p.push((
                "HealthCheckIntervalSeconds".to_owned(),
                Expr::Int(seconds(interval)),
            ));
        }
        if let Some(timeout) = check.timeout {
            p.push((
                "HealthCheckTimeoutSeconds".to_owned(),
                Expr::Int(seconds(timeout)),
            ));
        }
        if let Some(count) = check.healthy_threshold_count {
            p.push(("HealthyThresholdCount".to_owned(), Expr::Int(count.into())));
        }
        if let Some(count) = check.unhealthy_threshold_count {
            p.push((
                "UnhealthyThresholdCount".to_owned(),
                Expr::Int(count.into()),
            ));
        }
        if let Some(codes) = check.healthy_http_codes.clone() {
            p.push(("Matcher".to_owned(), obj([("HttpCode", codes.into_expr())])));
        }
        let mut attributes = Vec::new();
        let mut attribute = |key: &str, value: String| {
            attributes.push(obj([("Key", lit(key)), ("Value", Expr::Str(value))]));
        };
        if let Some(delay) = props.deregistration_delay {
            attribute(
                "deregistration_delay.timeout_seconds",
                delay.as_seconds().to_string(),
            );
        }
        if let Some(duration) = props.sticky_sessions {
            attribute("stickiness.enabled", "true".to_owned());
            attribute("stickiness.type", "lb_cookie".to_owned());
            attribute(
                "stickiness.lb_cookie.duration_seconds",
                duration.as_seconds().to_string(),
            );
        }
        if !attributes.is_empty() {
            p.push(("TargetGroupAttributes".to_owned(), Expr::List(attributes)));
        }
        stack.add(
            &ids.target_group,
            ResourceDecl::new("AWS::ElasticLoadBalancingV2::TargetGroup", Expr::Map(p)),
        );
    }

    fn add_listeners(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
    ) {
        let ids = &self.ids;
        let forward = Expr::List(vec![obj([
            ("Type", lit("forward")),
            ("TargetGroupArn", Expr::Ref(ids.target_group.clone())),
        ])]);
        let load_balancer = Expr::Ref(ids.load_balancer.clone());
        match &props.certificate {
            Some(certificate) => {
                stack.add(
                    &ids.listener,
                    ResourceDecl::new(
                        "AWS::ElasticLoadBalancingV2::Listener",
                        obj([
                            ("LoadBalancerArn", load_balancer.clone()),
                            ("Port", Expr::Int(443)),
                            ("Protocol", lit("HTTPS")),
                            ("SslPolicy", lit(SSL_POLICY)),
                            (
                                "Certificates",
                                Expr::List(vec![obj([(
                                    "CertificateArn",
                                    certificate.expr().clone(),
                                )])]),
                            ),
                            ("DefaultActions", forward),
                        ]),
                    ),
                );
                if props.redirect_http {
                    stack.add(
                        &ids.redirect_listener,
                        ResourceDecl::new(
                            "AWS::ElasticLoadBalancingV2::Listener",
                            obj([
                                ("LoadBalancerArn", load_balancer),
                                ("Port", Expr::Int(80)),
                                ("Protocol", lit("HTTP")),
                                (
                                    "DefaultActions",
                                    Expr::List(vec![obj([
                                        ("Type", lit("redirect")),
                                        (
                                            "RedirectConfig",
                                            obj([
                                                ("Protocol", lit("HTTPS")),
                                                ("Port", lit("443")),
                                                ("StatusCode", lit("HTTP_301")),
                                            ]),
                                        ),
                                    ])]),
                                ),
                            ]),
                        ),
                    );
                }
            }
            None => {
                stack.add(
                    &ids.listener,
                    ResourceDecl::new(
                        "AWS::ElasticLoadBalancingV2::Listener",
                        obj([
                            ("LoadBalancerArn", load_balancer),
                            ("Port", Expr::Int(80)),
                            ("Protocol", lit("HTTP")),
                            ("DefaultActions", forward),
                        ]),
                    ),
                );
            }
        }
    }

    fn add_service(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
        cluster: Expr,
        subnets: Value<Vec<Id<kind::ec2::Subnet>>>,
        private_routes: &[String],
    ) {
        let ids = &self.ids;
        let mut groups = vec![Expr::GetAtt(ids.security_group.clone(), "GroupId".into())];
        groups.extend(props.security_groups.iter().map(|g| g.expr().clone()));
        let grace = props.health_check_grace_period.map_or(60, seconds);
        let mut p = Vec::new();
        if let Some(name) = props.service_name.clone() {
            p.push(("ServiceName".to_owned(), name.into_expr()));
        }
        p.extend([
            ("Cluster".to_owned(), cluster),
            ("LaunchType".to_owned(), lit("FARGATE")),
            (
                "TaskDefinition".to_owned(),
                Expr::Ref(ids.task_definition.clone()),
            ),
            (
                "DesiredCount".to_owned(),
                props
                    .desired_count
                    .clone()
                    .map_or(Expr::Int(1), Value::into_expr),
            ),
            (
                "DeploymentConfiguration".to_owned(),
                obj([
                    (
                        "DeploymentCircuitBreaker",
                        obj([("Enable", Expr::Bool(true)), ("Rollback", Expr::Bool(true))]),
                    ),
                    ("MaximumPercent", Expr::Int(200)),
                    ("MinimumHealthyPercent", Expr::Int(100)),
                ]),
            ),
            ("HealthCheckGracePeriodSeconds".to_owned(), Expr::Int(grace)),
            (
                "LoadBalancers".to_owned(),
                Expr::List(vec![obj([
                    ("ContainerName", lit(&props.container_name)),
                    ("ContainerPort", Expr::Int(i64::from(props.container_port))),
                    ("TargetGroupArn", Expr::Ref(ids.target_group.clone())),
                ])]),
            ),
            (
                "NetworkConfiguration".to_owned(),
                obj([(
                    "AwsvpcConfiguration",
                    obj([
                        (
                            "AssignPublicIp",
                            lit(if props.assign_public_ip {
                                "ENABLED"
                            } else {
                                "DISABLED"
                            }),
                        ),
                        ("SecurityGroups", Expr::List(groups)),
                        ("Subnets", subnets.into_expr()),
                    ]),
                )]),
            ),
        ]);
        let decl = stack.add(
            &ids.service,
            ResourceDecl::new("AWS::ECS::Service", Expr::Map(p)),
        );
        // ECS refuses a target group that no listener uses yet; and tasks in private
        // subnets pull their image through the NAT routes.
        decl.add_dependency(&ids.listener);
        if !props.assign_public_ip {
            for route in private_routes {
                decl.add_dependency(route);
            }
        }
    }

    fn add_auto_scaling(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
        scaling: TaskAutoScaling,
        cluster: &Expr,
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
            Value::from_expr(cluster.clone()),
            Value::lit("/"),
            self.service_name(),
        ]);
        stack.add(
            &ids.scalable_target,
            ResourceDecl::new(
                "AWS::ApplicationAutoScaling::ScalableTarget",
                obj([
                    ("ServiceNamespace", lit("ecs")),
                    ("ScalableDimension", lit("ecs:service:DesiredCount")),
                    ("ResourceId", resource_id.into_expr()),
                    ("MinCapacity", Expr::Int(min)),
                    ("MaxCapacity", Expr::Int(max)),
                ]),
            ),
        );
        let cooldown = |c: Option<Duration>| c.map_or(300, seconds);
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
            stack.add(
                logical_id,
                ResourceDecl::new(
                    "AWS::ApplicationAutoScaling::ScalingPolicy",
                    obj([
                        ("PolicyName", lit(logical_id)),
                        ("PolicyType", lit("TargetTrackingScaling")),
                        ("ScalingTargetId", Expr::Ref(ids.scalable_target.clone())),
                        (
                            "TargetTrackingScalingPolicyConfiguration",
                            obj([
                                (
                                    "PredefinedMetricSpecification",
                                    obj([("PredefinedMetricType", lit(metric))]),
                                ),
                                ("TargetValue", Expr::Num(f64::from(percent))),
                                (
                                    "ScaleInCooldown",
                                    Expr::Int(cooldown(scaling.scale_in_cooldown)),
                                ),
                                (
                                    "ScaleOutCooldown",
                                    Expr::Int(cooldown(scaling.scale_out_cooldown)),
                                ),
                            ]),
                        ),
                    ]),
                ),
            );
        }
    }
}

/// A role that ECS tasks assume. The task role only trusts tasks of this account and
/// region (the confused-deputy guard AWS documents for task roles).
fn ecs_tasks_role(scoped: bool) -> ResourceDecl {
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

/// The ARN of the ECR repository an image URI names, if it is in ECR.
fn ecr_repository_arn(uri: &str) -> Option<Expr> {
    let (host, rest) = uri.split_once('/')?;
    let mut parts = host.split('.');
    let (account, dkr, ecr, region) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if dkr != "dkr"
        || ecr != "ecr"
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let repository = rest.split_once('@').map_or(rest, |(name, _)| name);
    let repository = repository
        .rsplit_once(':')
        .map_or(repository, |(name, _)| name);
    Some(Expr::Sub(format!(
        "arn:${{AWS::Partition}}:ecr:{region}:{account}:repository/{repository}"
    )))
}

/// A count as the string CloudFormation wants for task sizes.
fn as_string(value: Option<Value<i64>>, default: i64) -> Expr {
    match value.map(Value::into_expr) {
        None => Expr::Str(default.to_string()),
        Some(Expr::Int(n)) => Expr::Str(n.to_string()),
        Some(other) => other,
    }
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_seconds()).unwrap_or(i64::MAX)
}

/// Whether Fargate offers `memory` MiB with `cpu` units.
fn fargate_size_ok(cpu: i64, memory: i64) -> bool {
    let range = |low: i64, high: i64, step: i64| {
        (low..=high).contains(&memory) && (memory - low) % step == 0
    };
    match cpu {
        256 => [512, 1024, 2048].contains(&memory),
        512 => range(1024, 4096, 1024),
        1024 => range(2048, 8192, 1024),
        2048 => range(4096, 16384, 1024),
        4096 => range(8192, 30720, 1024),
        8192 => range(16384, 61440, 4096),
        16384 => range(32768, 122_880, 8192),
        _ => false,
    }
}

/// Reports option values ECS, ELB or CloudWatch would reject at deploy time.
fn check_options(
    stack: &mut StackBuilder,
    id: &str,
    props: &ApplicationLoadBalancedFargateServiceProps,
) {
    let cpu = props.cpu.as_ref().map_or(Some(256), literal_int);
    let memory = props
        .memory_limit_mib
        .as_ref()
        .map_or(Some(512), literal_int);
    if let (Some(cpu), Some(memory)) = (cpu, memory) {
        if !fargate_size_ok(cpu, memory) {
            stack.report(format!(
                "service `{id}`: Fargate offers no task with `cpu` {cpu} and `memory_limit_mib` {memory}; e.g. cpu 256 takes 512, 1024 or 2048, cpu 1024 takes 2048 to 8192 in steps of 1024"
            ));
        }
    }
    if let Some(count) = props.desired_count.as_ref().and_then(literal_int) {
        if count < 0 {
            stack.report(format!("service `{id}`: `desired_count` is negative"));
        }
    }
    if props.container_port == 0 {
        stack.report(format!("service `{id}`: `container_port` must not be 0"));
    }
    let name = &props.container_name;
    let name_ok = !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        stack.report(format!(
            "service `{id}`: `container_name` `{name}` must be 1 to 255 letters, digits, `-` or `_`"
        ));
    }
    for (key, _) in props.environment.iter() {
        let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            stack.report(format!(
                "service `{id}`: environment variable `{key}` must start with a letter or `_` and hold only letters, digits and `_`"
            ));
        }
    }
    if let Some(retention) = props.log_retention {
        let valid = retention
            .as_whole_days()
            .is_some_and(|d| LOG_RETENTION_DAYS.contains(&d));
        if !valid {
            stack.report(format!(
                "service `{id}`: `log_retention` of {} s is not a CloudWatch Logs period; use `Duration::days(n)` with n one of {LOG_RETENTION_DAYS:?}",
                retention.as_seconds()
            ));
        }
    }
    if props.certificate.is_none() && !props.redirect_http {
        stack.report(format!(
            "service `{id}`: `redirect_http: false` only applies with a `certificate`"
        ));
    }
    let check = &props.health_check;
    if let Some(path) = check.path.as_ref().and_then(literal_str) {
        if !path.starts_with('/') || path.len() > 1024 {
            stack.report(format!(
                "service `{id}`: health check `path` `{path}` must start with `/` (1024 characters at most)"
            ));
        }
    }
    let interval = check.interval.map_or(30, seconds);
    let timeout = check.timeout.map_or(5, seconds);
    if !(5..=300).contains(&interval) {
        stack.report(format!(
            "service `{id}`: health check `interval` is {interval} s; use 5 to 300 s"
        ));
    }
    if !(2..=120).contains(&timeout) || timeout >= interval {
        stack.report(format!(
            "service `{id}`: health check `timeout` is {timeout} s; use 2 to 120 s, less than the {interval} s interval"
        ));
    }
    for (what, count) in [
        ("healthy_threshold_count", check.healthy_threshold_count),
        ("unhealthy_threshold_count", check.unhealthy_threshold_count),
    ] {
        if let Some(count) = count.filter(|c| !(2..=10).contains(c)) {
            stack.report(format!(
                "service `{id}`: health check `{what}` is {count}; use 2 to 10"
            ));
        }
    }
    if let Some(duration) = props.sticky_sessions {
        if !(1..=604_800).contains(&duration.as_seconds()) {
            stack.report(format!(
                "service `{id}`: `sticky_sessions` must last 1 s to 7 days"
            ));
        }
    }
    if let Some(delay) = props.deregistration_delay {
        if delay.as_seconds() > 3600 {
            stack.report(format!(
                "service `{id}`: `deregistration_delay` must be at most one hour"
            ));
        }
    }
    if let Some(grace) = props.health_check_grace_period {
        if grace.as_seconds() > 2_147_483_647 {
            stack.report(format!(
                "service `{id}`: `health_check_grace_period` is too long"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    // Fargate services: network wiring, least-privilege roles, listeners and checks.
    use super::*;
    use crate::constructs::{Bucket, BucketProps, Certificate, CertificateProps, VpcProps};
    use serde_json::{json, Value as Json};

    const IMAGE: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.2";

    fn synth(f: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        f(&mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn ok(f: impl FnOnce(&mut StackBuilder)) -> Json {
        synth(f).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    fn props(vpc: &Vpc) -> ApplicationLoadBalancedFargateServiceProps {
        ApplicationLoadBalancedFargateServiceProps::default()
            .vpc(vpc)
            .image(ContainerImage::from_registry(IMAGE))
    }

    fn statements(r: &Json, role: &str) -> Json {
        r[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
    }

    #[test]
    fn service_runs_privately_behind_a_public_load_balancer() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let bucket = Bucket::declare("Files");
        let r = ok(|stack| {
            vpc.build(VpcProps::default(), stack);
            bucket.build(BucketProps::default(), stack);
            web.build(
                props(&vpc)
                    .container_port(8501)
                    .cpu(512)
                    .memory_limit_mib(2048)
                    .architecture(Architecture::Arm64)
                    .environment(StringMap::new().entry("BUCKET", bucket.name()))
                    .initial_policy([Statement::allow(["sagemaker:InvokeEndpoint"], ["*"])]),
                stack,
            );
            stack.grant(&web, bucket.grant_read());
        });

        // The load balancer: public subnets, open to the world on 80, reaching only the
        // tasks, created once the public subnets route to the internet.
        let lb = &r["WebLoadBalancer"];
        assert_eq!(lb["Properties"]["Scheme"], "internet-facing");
        assert_eq!(
            lb["Properties"]["Subnets"],
            json!([{"Ref": "NetworkPublicSubnet1"}, {"Ref": "NetworkPublicSubnet2"}])
        );
        assert_eq!(lb["DependsOn"], "NetworkPublicDefaultRoute");
        assert_eq!(
            lb["Properties"]["SecurityGroups"],
            json!([{"Fn::GetAtt": ["WebLoadBalancerSecurityGroup", "GroupId"]}])
        );
        let lb_group = &r["WebLoadBalancerSecurityGroup"]["Properties"];
        assert_eq!(
            lb_group["SecurityGroupIngress"],
            json!([{"CidrIp": "0.0.0.0/0", "Description": "clients on port 80", "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80}])
        );
        assert_eq!(
            lb_group["SecurityGroupEgress"],
            json!([{"DestinationSecurityGroupId": {"Fn::GetAtt": ["WebSecurityGroup", "GroupId"]}, "Description": "to the service's tasks", "IpProtocol": "tcp", "FromPort": 8501, "ToPort": 8501}])
        );

        // The tasks' group admits the load balancer's group on the container port, and
        // nothing else.
        assert!(r["WebSecurityGroup"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none());
        let ingress: Vec<&Json> = r
            .as_object()
            .map(|m| {
                m.values()
                    .filter(|v| v["Type"] == "AWS::EC2::SecurityGroupIngress")
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            ingress,
            [
                &json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                    "GroupId": {"Fn::GetAtt": ["WebSecurityGroup", "GroupId"]},
                    "SourceSecurityGroupId": {"Fn::GetAtt": ["WebLoadBalancerSecurityGroup", "GroupId"]},
                    "Description": "from the load balancer",
                    "IpProtocol": "tcp", "FromPort": 8501, "ToPort": 8501
                }})
            ]
        );

        // The service: private subnets, no public IP, its own group, after the listener
        // and the NAT routes.
        let service = &r["Web"];
        let network = &service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
        assert_eq!(
            network,
            &json!({
                "AssignPublicIp": "DISABLED",
                "SecurityGroups": [{"Fn::GetAtt": ["WebSecurityGroup", "GroupId"]}],
                "Subnets": [{"Ref": "NetworkPrivateSubnet1"}, {"Ref": "NetworkPrivateSubnet2"}]
            })
        );
        assert_eq!(
            service["DependsOn"],
            json!([
                "WebListener",
                "NetworkPrivateDefaultRoute1",
                "NetworkPrivateDefaultRoute2"
            ])
        );
        assert_eq!(
            service["Properties"]["Cluster"],
            json!({"Ref": "WebCluster"})
        );
        assert_eq!(
            service["Properties"]["LoadBalancers"],
            json!([{"ContainerName": "web", "ContainerPort": 8501, "TargetGroupArn": {"Ref": "WebTargetGroup"}}])
        );
        assert_eq!(
            service["Properties"]["DeploymentConfiguration"]["DeploymentCircuitBreaker"],
            json!({"Enable": true, "Rollback": true})
        );
        assert_eq!(
            r["WebListener"]["Properties"],
            json!({
                "LoadBalancerArn": {"Ref": "WebLoadBalancer"},
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "WebTargetGroup"}}]
            })
        );
        let target_group = &r["WebTargetGroup"]["Properties"];
        assert_eq!(target_group["TargetType"], "ip");
        assert_eq!(target_group["Port"], 8501);
        assert_eq!(target_group["VpcId"], json!({"Ref": "Network"}));

        // The task: size, platform, image, environment and logs.
        let task = &r["WebTaskDefinition"]["Properties"];
        assert_eq!(task["Cpu"], "512");
        assert_eq!(task["Memory"], "2048");
        assert_eq!(
            task["RuntimePlatform"],
            json!({"OperatingSystemFamily": "LINUX", "CpuArchitecture": "ARM64"})
        );
        let container = &task["ContainerDefinitions"][0];
        assert_eq!(container["Image"], IMAGE);
        assert_eq!(
            container["Environment"],
            json!([{"Name": "BUCKET", "Value": {"Ref": "Files"}}])
        );
        assert_eq!(
            container["LogConfiguration"]["Options"]["awslogs-group"],
            json!({"Ref": "WebLogGroup"})
        );
        assert_eq!(r["WebLogGroup"]["DeletionPolicy"], "Retain");

        // The task role trusts only this account's tasks and carries the grants.
        let trust = &r["WebTaskRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(
            trust["Principal"],
            json!({"Service": "ecs-tasks.amazonaws.com"})
        );
        assert_eq!(
            trust["Condition"]["StringEquals"],
            json!({"aws:SourceAccount": {"Ref": "AWS::AccountId"}})
        );
        assert_eq!(
            statements(&r, "WebTaskRole"),
            json!([
                {"Effect": "Allow", "Action": "sagemaker:InvokeEndpoint", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Files", "Arn"]}},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Files.Arn}/*"}}
            ])
        );
        // The execution role pulls from the image's repository only and writes only its
        // own logs.
        assert_eq!(
            statements(&r, "WebExecutionRole"),
            json!([
                {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
                {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/team/web"}},
                {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": {"Fn::GetAtt": ["WebLogGroup", "Arn"]}}
            ])
        );
        assert!(
            r["WebExecutionRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
                .get("Condition")
                .is_none()
        );
        assert_eq!(web.role_logical_id(), "WebTaskRole");
        assert_eq!(
            web.url().expr().to_json(),
            json!({"Fn::Sub": "http://${WebLoadBalancer.DNSName}"})
        );
        assert_eq!(web.cluster_name().expr(), &Expr::Ref("WebCluster".into()));
    }

    #[test]
    fn https_listener_redirects_http_and_uses_a_modern_tls_policy() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let cert = Certificate::declare("Cert");
        let r = ok(|stack| {
            vpc.build(VpcProps::default().nat_gateways(1), stack);
            cert.build(
                CertificateProps::default()
                    .domain_name("app.example.com")
                    .hosted_zone_id("Z0123456789ABC"),
                stack,
            );
            web.build(props(&vpc).certificate(&cert), stack);
        });
        assert_eq!(
            r["WebListener"]["Properties"]["Certificates"],
            json!([{"CertificateArn": {"Ref": "Cert"}}])
        );
        assert_eq!(r["WebListener"]["Properties"]["Port"], 443);
        assert_eq!(r["WebListener"]["Properties"]["SslPolicy"], SSL_POLICY);
        assert_eq!(
            r["WebHttpRedirectListener"]["Properties"]["DefaultActions"][0]["RedirectConfig"],
            json!({"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"})
        );
        let ports: Vec<&Json> = r["WebLoadBalancerSecurityGroup"]["Properties"]
            ["SecurityGroupIngress"]
            .as_array()
            .map(|a| a.iter().map(|rule| &rule["FromPort"]).collect())
            .unwrap_or_default();
        assert_eq!(ports, [&json!(443), &json!(80)]);
        assert_eq!(
            r["Web"]["DependsOn"],
            json!(["WebListener", "NetworkPrivateDefaultRoute1"])
        );
        assert_eq!(
            web.url().expr().to_json(),
            json!({"Fn::Sub": "https://${WebLoadBalancer.DNSName}"})
        );
    }

    #[test]
    fn image_assets_pull_from_the_staging_repository() {
        let dir = std::env::temp_dir().join(format!("stack-core-ecs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("Dockerfile"), "FROM python:3.13-slim\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let mut stack = StackBuilder::new("Test");
        vpc.build(VpcProps::default(), &mut stack);
        web.build(
            ApplicationLoadBalancedFargateServiceProps::default()
                .vpc(&vpc)
                .image(ContainerImage::from_asset(&dir)),
            &mut stack,
        );
        let synthesized = stack.finish().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(synthesized.assets.len(), 1);
        assert_eq!(synthesized.assets[0].kind, AssetKind::DockerImage);
        let hash = &synthesized.assets[0].hash;
        let r = synthesized.template.to_json()["Resources"].clone();
        assert_eq!(
            r["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"],
            json!({"Fn::Sub": format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/stack-container-assets:{hash}")})
        );
        assert_eq!(
            statements(&r, "WebExecutionRole")[1]["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/stack-container-assets"})
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn public_images_need_no_ecr_permissions() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let r = ok(|stack| {
            vpc.build(VpcProps::default(), stack);
            web.build(
                props(&vpc).image(ContainerImage::from_registry(
                    "public.ecr.aws/nginx/nginx:1.27",
                )),
                stack,
            );
        });
        let text = statements(&r, "WebExecutionRole").to_string();
        assert!(!text.contains("ecr:"), "{text}");
        assert_eq!(
            ecr_repository_arn("111111111111.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc")
                .map(|e| e.to_json()),
            Some(
                json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:us-east-1:111111111111:repository/app"})
            )
        );
        assert_eq!(ecr_repository_arn("nginx:1.27"), None);
    }

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

    #[test]
    fn a_service_declared_before_its_vpc_is_reported() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let problems = synth(|stack| {
            web.build(props(&vpc), stack);
            vpc.build(VpcProps::default(), stack);
        })
        .err()
        .unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("VPC `Network`"), "{problems:#?}");
    }

    #[test]
    fn invalid_options_are_reported() {
        let vpc = Vpc::declare("Network");
        let problems = synth(|stack| {
            vpc.build(VpcProps::default().max_azs(1).nat_gateways(0), stack);
            ApplicationLoadBalancedFargateService::declare("Web").build(
                ApplicationLoadBalancedFargateServiceProps::default()
                    .vpc(&vpc)
                    .cpu(256)
                    .memory_limit_mib(4096)
                    .container_name("web app")
                    .environment(StringMap::new().entry("1X", "y"))
                    .log_retention(Duration::days(2))
                    .redirect_http(false)
                    .sticky_sessions(Duration::days(8))
                    .deregistration_delay(Duration::hours(2))
                    .desired_count(-1)
                    .health_check(
                        HealthCheck::default()
                            .path("health")
                            .interval(Duration::seconds(5))
                            .healthy_threshold_count(11),
                    )
                    .auto_scaling(TaskAutoScaling::default().min_capacity(3)),
                stack,
            );
            ApplicationLoadBalancedFargateService::declare("Lost")
                .build(ApplicationLoadBalancedFargateServiceProps::default(), stack);
        })
        .err()
        .unwrap_or_default();
        let expected = [
            "Fargate offers no task",
            "`desired_count` is negative",
            "`container_name` `web app`",
            "`1X`",
            "`log_retention`",
            "`redirect_http: false`",
            "`sticky_sessions`",
            "`deregistration_delay`",
            "`path` `health`",
            "`timeout` is 5 s",
            "`healthy_threshold_count` is 11",
            "two zones",
            "no NAT gateway",
            "has no `image`",
            "needs `max_capacity`",
            "`Lost` has no `vpc`",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for needle in expected {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
    }

    #[test]
    fn fargate_sizes() {
        assert!(fargate_size_ok(256, 512));
        assert!(fargate_size_ok(512, 3072));
        assert!(!fargate_size_ok(512, 512));
        assert!(fargate_size_ok(8192, 20480));
        assert!(!fargate_size_ok(8192, 17408));
        assert!(!fargate_size_ok(300, 1024));
    }
}
