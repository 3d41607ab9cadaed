//! [`ApplicationLoadBalancedFargateServiceProps`]: a service's options, and the checks that
//! report values ECS, ELB or CloudWatch would reject.

use super::{seconds, ContainerImage, HealthCheck, TaskAutoScaling};
use crate::constructs::{literal_int, literal_str, Architecture, Duration, StringMap, Vpc};
use crate::iam::Statement;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// Options of an [`ApplicationLoadBalancedFargateService`]. `vpc` and `image` are
/// required.
///
/// [`ApplicationLoadBalancedFargateService`]: super::ApplicationLoadBalancedFargateService
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancedFargateServiceProps {
    pub(super) vpc: Option<Vpc>,
    pub(super) cluster: Option<Value<Id<kind::ecs::Cluster>>>,
    pub(super) image: Option<ContainerImage>,
    pub(super) container_name: String,
    pub(super) container_port: u16,
    pub(super) environment: StringMap,
    pub(super) cpu: Option<Value<i64>>,
    pub(super) memory_limit_mib: Option<Value<i64>>,
    pub(super) architecture: Option<Architecture>,
    pub(super) desired_count: Option<Value<i64>>,
    pub(super) initial_policy: Vec<Statement>,
    pub(super) log_retention: Option<Duration>,
    pub(super) public_load_balancer: bool,
    pub(super) certificate: Option<Value<Arn<kind::certificatemanager::Certificate>>>,
    pub(super) redirect_http: bool,
    pub(super) health_check: HealthCheck,
    pub(super) health_check_grace_period: Option<Duration>,
    pub(super) sticky_sessions: Option<Duration>,
    pub(super) deregistration_delay: Option<Duration>,
    pub(super) security_groups: Vec<Value<Id<kind::ec2::SecurityGroup>>>,
    pub(super) load_balancer_security_groups: Vec<Value<Id<kind::ec2::SecurityGroup>>>,
    pub(super) assign_public_ip: bool,
    pub(super) auto_scaling: Option<TaskAutoScaling>,
    pub(super) service_name: Option<Value<String>>,
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

    /// The cluster to run in instead of a new `<Id>Cluster`: a [`Cluster`] of this stack
    /// (`cluster: apps`), an `AWS::ECS::Cluster` of this stack, or an existing cluster's
    /// name or ARN.
    ///
    /// [`Cluster`]: super::Cluster
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

    /// A certificate for HTTPS on port 443: a
    /// [`Certificate`](crate::constructs::Certificate) of this stack, or an ARN.
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
pub(super) fn check_options(
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
    if let Err(why) = stack_spec::rules::ec2::port(i64::from(props.container_port)) {
        stack.report(format!("service `{id}`: `container_port` {why}"));
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
        if let Err(why) = stack_spec::rules::logs::retention(retention.as_seconds()) {
            stack.report(format!("service `{id}`: `log_retention` {why}"));
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
    use super::super::test_support::synth;
    use super::super::ApplicationLoadBalancedFargateService;
    use super::*;
    use crate::constructs::{Construct, VpcProps};

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
