//! [`ApplicationLoadBalancedFargateService`]: the construct, its attributes, and the
//! service it runs.

use std::sync::Arc;

use super::props::{check_options, ApplicationLoadBalancedFargateServiceProps};
use super::seconds;
use super::task_definition::{ecs_execution_role, ecs_task_role};
use crate::aws;
use crate::aws::ecs::service;
use crate::aws::elasticloadbalancingv2::load_balancer;
use crate::constructs::ec2::Built;
use crate::constructs::ecr::{authorization_token, pull_statement};
use crate::constructs::lambda::{log_group, DEFAULT_LOG_RETENTION_DAYS};
use crate::constructs::{Construct, Duration, RoleRef};
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// What the service's attributes need once it is built.
#[derive(Debug)]
struct ServiceState {
    https: bool,
    cluster: Value<Id<kind::ecs::Cluster>>,
}

/// The logical IDs a service owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ServiceIds {
    pub(super) service: String,
    pub(super) cluster: String,
    pub(super) task_role: String,
    pub(super) execution_role: String,
    pub(super) log_group: String,
    pub(super) task_definition: String,
    pub(super) load_balancer: String,
    pub(super) load_balancer_security_group: String,
    pub(super) security_group: String,
    pub(super) security_group_ingress: String,
    pub(super) target_group: String,
    pub(super) listener: String,
    pub(super) redirect_listener: String,
    pub(super) scalable_target: String,
    pub(super) cpu_scaling: String,
    pub(super) memory_scaling: String,
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
    pub(super) ids: ServiceIds,
    state: Arc<Built<ServiceState>>,
}

impl PartialEq for ApplicationLoadBalancedFargateService {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}

impl Eq for ApplicationLoadBalancedFargateService {}

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
            Some(state) => state.cluster.clone(),
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
            Some(cluster) => cluster,
            None => {
                stack.add_resource(&ids.cluster, &aws::ecs::Cluster::default());
                Value::reference(&ids.cluster)
            }
        };

        // Roles: the task role holds what the application may do; the execution role only
        // what ECS needs to start it.
        stack.add_resource(&ids.task_role, &ecs_task_role());
        if !props.initial_policy.is_empty() {
            stack.grant(
                &RoleRef(ids.task_role.clone()),
                Grant::new(props.initial_policy.clone()),
            );
        }
        stack.add_resource(&ids.execution_role, &ecs_execution_role());
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
            .add_resource(&ids.log_group, &log_group(retention))
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
        let security_groups = std::iter::once(self.load_balancer_security_group_id())
            .chain(props.load_balancer_security_groups.iter().cloned());
        let load_balancer = aws::elasticloadbalancingv2::LoadBalancer {
            load_balancer_attributes: Some(vec![load_balancer::LoadBalancerAttribute {
                key: Some(Value::lit(
                    "routing.http.drop_invalid_header_fields.enabled",
                )),
                value: Some("true".into_value()),
            }]),
            scheme: Some(Value::lit(scheme)),
            security_groups: Some(Value::list(security_groups)),
            subnets: Some(lb_subnets),
            r#type: Some(Value::lit("application")),
            ..Default::default()
        };
        let decl = stack.add_resource(&ids.load_balancer, &load_balancer);
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

impl ApplicationLoadBalancedFargateService {
    fn add_service(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
        cluster: Value<Id<kind::ecs::Cluster>>,
        subnets: Value<Vec<Id<kind::ec2::Subnet>>>,
        private_routes: &[String],
    ) {
        let ids = &self.ids;
        let groups =
            std::iter::once(self.security_group_id()).chain(props.security_groups.iter().cloned());
        let grace = props.health_check_grace_period.map_or(60, seconds);
        let assign_public_ip = if props.assign_public_ip {
            "ENABLED"
        } else {
            "DISABLED"
        };
        let service = aws::ecs::Service {
            cluster: Some(cluster),
            deployment_configuration: Some(service::DeploymentConfiguration {
                deployment_circuit_breaker: Some(service::DeploymentCircuitBreaker {
                    enable: Some(true.into_value()),
                    rollback: Some(true.into_value()),
                    ..Default::default()
                }),
                maximum_percent: Some(200_i64.into_value()),
                minimum_healthy_percent: Some(100_i64.into_value()),
                ..Default::default()
            }),
            desired_count: Some(
                props
                    .desired_count
                    .clone()
                    .unwrap_or_else(|| 1_i64.into_value()),
            ),
            health_check_grace_period_seconds: Some(grace.into_value()),
            launch_type: Some(Value::lit("FARGATE")),
            load_balancers: Some(vec![service::LoadBalancer {
                container_name: Some(Value::lit(&props.container_name)),
                container_port: Some(props.container_port.into_value()),
                target_group_arn: Some(self.target_group_arn()),
                ..Default::default()
            }]),
            network_configuration: Some(service::NetworkConfiguration {
                awsvpc_configuration: Some(service::AwsVpcConfiguration {
                    assign_public_ip: Some(Value::lit(assign_public_ip)),
                    security_groups: Some(Value::list(groups)),
                    subnets: Some(subnets),
                }),
            }),
            service_name: props.service_name.clone(),
            task_definition: Some(self.task_definition_arn()),
            ..Default::default()
        };
        let decl = stack.add_resource(&ids.service, &service);
        // ECS refuses a target group that no listener uses yet; and tasks in private
        // subnets pull their image through the NAT routes.
        decl.add_dependency(&ids.listener);
        if !props.assign_public_ip {
            for route in private_routes {
                decl.add_dependency(route);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // Fargate services: network wiring, least-privilege roles, listeners and checks.
    use super::super::test_support::{ok, props, statements, synth, IMAGE};
    use super::*;
    use crate::constructs::{Architecture, Bucket, BucketProps, StringMap, Vpc, VpcProps};
    use crate::expr::Expr;
    use serde_json::{json, Value as Json};

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

        // The task role trusts only this account's tasks in this region and carries the
        // grants; the execution role trusts ECS without conditions.
        assert_eq!(
            r["WebTaskRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"}},
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                }
            }])
        );
        assert_eq!(
            r["WebExecutionRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }])
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
        assert_eq!(web.role_logical_id(), "WebTaskRole");
        assert_eq!(
            web.url().expr().to_json(),
            json!({"Fn::Sub": "http://${WebLoadBalancer.DNSName}"})
        );
        assert_eq!(web.cluster_name().expr(), &Expr::Ref("WebCluster".into()));
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
}
