//! The networking, container and DNS constructs agree with the macro's catalog: every
//! option, attribute and grant of `Vpc`, `SecurityGroup`,
//! `ApplicationLoadBalancedFargateService`, `Repository`, `Certificate`, `CnameRecord` and
//! `ARecord` builds, wires up as a CDK user expects, and lints clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// A Streamlit app on Fargate behind HTTPS, a second service sharing its cluster, an
    /// image repository, DNS records, and a Lambda function in the private subnets.
    pub stack Networked {
        resource network: Vpc {
            cidr: "10.20.0.0/16",
            max_azs: 2,
            nat_gateways: 1,
            gateway_endpoints: [GatewayEndpoint::S3, GatewayEndpoint::DynamoDb],
        }
        resource open: SecurityGroup {
            vpc: network,
            description: "open to the world",
            security_group_name: "networked-open",
            allow_all_outbound: true,
            ingress: [
                SecurityGroupRule { peer: Peer::any_ipv4(), port: Port::all_traffic(), description: "anyone" },
                SecurityGroupRule { peer: Peer::any_ipv6(), port: Port::tcp(443) },
            ],
        }
        resource database: SecurityGroup {
            vpc: network.vpc_id,
            allow_all_outbound: false,
            ingress: [SecurityGroupRule { peer: Peer::security_group(web.security_group_id), port: Port::tcp(5432) }],
            egress: [SecurityGroupRule { peer: Peer::ipv4(network.cidr_block), port: Port::tcp_range(1024, 65535) }],
        }
        resource images: Repository {
            repository_name: "networked/web",
            image_scan_on_push: true,
            image_tag_mutability: TagMutability::Immutable,
            lifecycle_rules: [
                LifecycleRule { tag_status: TagStatus::Untagged, max_image_age: Duration::days(14), description: "drop untagged images" },
                LifecycleRule { tag_status: TagStatus::Tagged, tag_prefix_list: ["v"], max_image_count: 20 },
            ],
            removal_policy: RemovalPolicy::Destroy,
            empty_on_delete: true,
        }
        resource files: Bucket { versioned: true }
        resource cert: Certificate {
            domain_name: "app.example.com",
            subject_alternative_names: ["www.app.example.com"],
            hosted_zone_id: "Z0123456789ABCDEFGHIJ",
        }
        resource web: ApplicationLoadBalancedFargateService {
            vpc: network,
            image: ContainerImage::from_asset("tests/fixtures/streamlit"),
            container_name: "streamlit",
            container_port: 8501,
            environment: { BUCKET: files.name, REGION_NAME: sub!("${AWS::Region}"), MODE: "prod" },
            cpu: 512,
            memory_limit_mib: 2048,
            architecture: Architecture::Arm64,
            desired_count: 2,
            initial_policy: [Statement::allow(["sagemaker:InvokeEndpoint"], ["*"])],
            log_retention: Duration::days(30),
            public_load_balancer: true,
            certificate: cert,
            redirect_http: true,
            health_check: HealthCheck {
                path: "/_stcore/health",
                healthy_http_codes: "200",
                interval: Duration::seconds(30),
                timeout: Duration::seconds(5),
                healthy_threshold_count: 2,
                unhealthy_threshold_count: 3,
            },
            health_check_grace_period: Duration::seconds(120),
            sticky_sessions: Duration::hours(1),
            deregistration_delay: Duration::seconds(30),
            security_groups: [open],
            assign_public_ip: false,
            auto_scaling: TaskAutoScaling {
                min_capacity: 2,
                max_capacity: 10,
                target_cpu_utilization: 50,
                target_memory_utilization: 75,
                scale_in_cooldown: Duration::seconds(60),
                scale_out_cooldown: Duration::seconds(60),
            },
            service_name: "networked-web",
        }
        resource api: ApplicationLoadBalancedFargateService {
            vpc: network,
            cluster: web.cluster_name,
            image: ContainerImage::from_ecr_repository(images, "v1"),
        }
        resource www: CnameRecord {
            hosted_zone_id: "Z0123456789ABCDEFGHIJ",
            record_name: "www.app.example.com",
            domain_name: web.load_balancer_dns_name,
            ttl: Duration::minutes(5),
            comment: "the web app",
        }
        resource apex: ARecord {
            hosted_zone_id: "Z0123456789ABCDEFGHIJ",
            record_name: "app.example.com",
            target: AliasTarget::load_balancer(web),
            comment: "alias to the web app's load balancer",
        }
        resource worker_role: AWS::IAM::Role {
            AssumeRolePolicyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            },
            ManagedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
        }
        resource zone_policy: AWS::IAM::ManagedPolicy {
            Description: "describe subnets in the VPC's zones only",
            PolicyDocument: {
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: "ec2:DescribeSubnets",
                    Resource: "*",
                    Condition: { "ForAnyValue:StringEquals": { "ec2:AvailabilityZone": network.availability_zones } },
                }],
            },
            Roles: [worker_role],
        }
        resource worker: AWS::Lambda::Function {
            Runtime: "python3.12",
            Handler: "index.handler",
            Role: worker_role.arn,
            Code: { ZipFile: "def handler(event, context):\n    return None\n" },
            VpcConfig: {
                SubnetIds: network.private_subnet_ids,
                SecurityGroupIds: [network.default_security_group, database.group_id],
            },
        }

        grant web read files;
        grant web pull images;
        grant web pull_push images;
        grant api push images;
        grant api ["s3:GetObject"] on files;

        output vpc_id = network.vpc_id;
        output vpc_cidr = network.cidr_block;
        output first_private_subnet = network.private_subnet_id(0);
        output open_group = open.group_id;
        output images_arn = images.arn;
        output images_name = images.name;
        output images_uri = images.repository_uri;
        output cert_arn = cert.arn;
        /// Where the app answers.
        #[export]
        output web_url = web.url;
        output web_dns = web.load_balancer_dns_name;
        output web_zone = web.load_balancer_hosted_zone_id;
        output web_lb = web.load_balancer_arn;
        output web_service = web.service_name;
        output web_service_arn = web.service_arn;
        output web_cluster = web.cluster_name;
        output web_task_role = web.task_role_arn;
        output web_execution_role = web.execution_role_arn;
        output web_task_definition = web.task_definition_arn;
        output web_logs = web.log_group_name;
        output web_tasks_group = web.security_group_id;
        output web_lb_group = web.load_balancer_security_group_id;
        output web_target_group = web.target_group_arn;
        output www_name = www.domain_name;
        output apex_name = apex.domain_name;
    }
}

stack! {
    /// The same constructs with their defaults, and a VPC without NAT gateways.
    pub stack Defaults {
        resource network: Vpc {}
        resource lean: Vpc { cidr: "10.1.0.0/20", max_azs: 3, nat_gateways: 0 }
        resource closed: SecurityGroup { vpc: lean, allow_all_outbound: false }
        resource images: Repository {}
        resource site: ApplicationLoadBalancedFargateService {
            vpc: network,
            image: ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"),
        }
        resource internal: ApplicationLoadBalancedFargateService {
            vpc: lean,
            image: ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"),
            public_load_balancer: false,
            assign_public_ip: true,
        }
        resource wildcard: Certificate { domain_name: "*.example.com" }
        resource www: CnameRecord {
            hosted_zone_id: "Z0123456789ABCDEFGHIJ",
            record_name: "www.example.com",
            domain_name: site.load_balancer_dns_name,
        }
        resource apex: ARecord {
            hosted_zone_id: "Z0123456789ABCDEFGHIJ",
            record_name: "example.com",
            target: AliasTarget::load_balancer(site),
        }
        output site_url = site.url;
        output internal_url = internal.url;
    }
}

fn networked() -> Networked {
    Networked::new("Networked")
}

fn resources() -> Json {
    let stack = networked();
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(synthesized.assets.len(), 1, "the Streamlit image");
    let template = synthesized.template.to_json();
    assert_eq!(template["Outputs"].as_object().map_or(0, |o| o.len()), 24);
    assert_eq!(
        template["Outputs"]["FirstPrivateSubnet"]["Value"],
        json!({"Ref": "NetworkPrivateSubnet1"})
    );
    template["Resources"].clone()
}

fn statements(r: &Json, role: &str) -> String {
    r[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].to_string()
}

#[test]
fn every_construct_is_in_the_template() {
    let r = resources();
    for (id, type_name) in [
        ("Network", "AWS::EC2::VPC"),
        ("Open", "AWS::EC2::SecurityGroup"),
        ("Database", "AWS::EC2::SecurityGroup"),
        ("Images", "AWS::ECR::Repository"),
        ("Cert", "AWS::CertificateManager::Certificate"),
        ("Web", "AWS::ECS::Service"),
        ("Api", "AWS::ECS::Service"),
        ("Www", "AWS::Route53::RecordSet"),
        ("Apex", "AWS::Route53::RecordSet"),
    ] {
        assert_eq!(r[id]["Type"], type_name, "{id}");
    }
}

#[test]
fn private_subnets_share_one_nat_and_the_lambda_runs_in_them() {
    let r = resources();
    for n in [1, 2] {
        assert_eq!(
            r[format!("NetworkPrivateSubnet{n}RouteTableAssociation")]["Properties"]
                ["RouteTableId"],
            json!({"Ref": "NetworkPrivateRouteTable1"})
        );
    }
    assert_eq!(
        r["NetworkPrivateDefaultRoute1"]["Properties"]["NatGatewayId"],
        json!({"Ref": "NetworkPublicSubnet1NatGateway"})
    );
    assert!(r.get("NetworkPublicSubnet2NatGateway").is_none());
    assert_eq!(
        r["NetworkS3Endpoint"]["Properties"]["RouteTableIds"],
        json!([{"Ref": "NetworkPublicRouteTable"}, {"Ref": "NetworkPrivateRouteTable1"}])
    );
    assert_eq!(
        r["Worker"]["Properties"]["VpcConfig"],
        json!({
            "SubnetIds": [{"Ref": "NetworkPrivateSubnet1"}, {"Ref": "NetworkPrivateSubnet2"}],
            "SecurityGroupIds": [
                {"Fn::GetAtt": ["Network", "DefaultSecurityGroup"]},
                {"Fn::GetAtt": ["Database", "GroupId"]}
            ]
        })
    );
    let zones = &r["ZonePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]
        ["ForAnyValue:StringEquals"]["ec2:AvailabilityZone"];
    assert_eq!(
        zones,
        &json!([
            {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            {"Fn::Select": [1, {"Fn::GetAZs": ""}]}
        ])
    );
}

#[test]
fn tasks_admit_only_their_load_balancer_and_the_database_admits_only_the_tasks() {
    let r = resources();
    let web_group = json!({"Fn::GetAtt": ["WebSecurityGroup", "GroupId"]});
    assert_eq!(
        r["WebSecurityGroupFromLoadBalancer"]["Properties"],
        json!({
            "GroupId": web_group,
            "SourceSecurityGroupId": {"Fn::GetAtt": ["WebLoadBalancerSecurityGroup", "GroupId"]},
            "Description": "from the load balancer",
            "IpProtocol": "tcp", "FromPort": 8501, "ToPort": 8501
        })
    );
    assert!(r["WebSecurityGroup"]["Properties"]
        .get("SecurityGroupIngress")
        .is_none());
    let admitting_web_tasks: Vec<&str> = r
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| {
                    v["Type"] == "AWS::EC2::SecurityGroupIngress"
                        && v["Properties"]["GroupId"] == web_group
                })
                .map(|(k, _)| k.as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(admitting_web_tasks, ["WebSecurityGroupFromLoadBalancer"]);
    // The open group the seed asks for is attached beside the tasks' own.
    assert_eq!(
        r["Web"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"],
        json!([web_group, {"Fn::GetAtt": ["Open", "GroupId"]}])
    );
    assert_eq!(
        r["DatabaseFromWebSecurityGroupTcp5432"]["Properties"]["SourceSecurityGroupId"],
        web_group
    );
    assert_eq!(
        r["Database"]["Properties"]["SecurityGroupEgress"][0]["CidrIp"],
        json!({"Fn::GetAtt": ["Network", "CidrBlock"]})
    );
    // HTTPS on 443 with the certificate, and port 80 redirecting to it.
    assert_eq!(
        r["WebListener"]["Properties"]["Certificates"],
        json!([{"CertificateArn": {"Ref": "Cert"}}])
    );
    assert_eq!(r["WebHttpRedirectListener"]["Properties"]["Port"], 80);
    assert_eq!(
        r["Cert"]["Properties"]["DomainValidationOptions"][1],
        json!({"DomainName": "www.app.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"})
    );
}

#[test]
fn roles_hold_the_grants_and_nothing_more() {
    let r = resources();
    let web = statements(&r, "WebTaskRole");
    for action in [
        "sagemaker:InvokeEndpoint",
        "s3:GetObject",
        "s3:ListBucket",
        "ecr:BatchGetImage",
        "ecr:PutImage",
        "ecr:GetAuthorizationToken",
    ] {
        assert!(web.contains(action), "{action} missing from {web}");
    }
    let api = statements(&r, "ApiTaskRole");
    assert!(api.contains("ecr:PutImage"), "{api}");
    assert!(!api.contains("ecr:BatchGetImage"), "{api}");
    // The second service runs in the first one's cluster, from the repository, and its
    // execution role may pull from that repository only.
    assert!(r.get("ApiCluster").is_none());
    assert_eq!(
        r["Api"]["Properties"]["Cluster"],
        json!({"Ref": "WebCluster"})
    );
    assert_eq!(
        r["ApiTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"],
        json!({"Fn::Sub": "${Images.RepositoryUri}:v1"})
    );
    let execution =
        &r["ApiExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        execution[1]["Resource"],
        json!({"Fn::GetAtt": ["Images", "Arn"]})
    );
    assert_eq!(
        execution[2]["Resource"],
        json!({"Fn::GetAtt": ["ApiLogGroup", "Arn"]})
    );
    assert_eq!(r["Images"]["Properties"]["EmptyOnDelete"], true);
}

#[test]
fn dns_records_point_at_the_load_balancer() {
    let r = resources();
    assert_eq!(
        r["Www"]["Properties"]["ResourceRecords"],
        json!([{"Fn::GetAtt": ["WebLoadBalancer", "DNSName"]}])
    );
    assert_eq!(r["Www"]["Properties"]["TTL"], "300");
    assert_eq!(
        r["Apex"]["Properties"]["AliasTarget"]["HostedZoneId"],
        json!({"Fn::GetAtt": ["WebLoadBalancer", "CanonicalHostedZoneID"]})
    );
}

#[test]
fn networked_is_lint_clean() {
    tests::assert_lint_clean(&networked());
}

#[test]
fn defaults_are_one_nat_per_zone_and_plain_http() {
    let stack = Defaults::new("Defaults");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    let template = synthesized.template.to_json();
    let r = &template["Resources"];
    assert_eq!(
        r["NetworkPublicSubnet2NatGateway"]["Type"],
        "AWS::EC2::NatGateway"
    );
    assert_eq!(
        r["NetworkPrivateDefaultRoute2"]["Properties"]["NatGatewayId"],
        json!({"Ref": "NetworkPublicSubnet2NatGateway"})
    );
    assert!(r.get("LeanPublicSubnet1NatGateway").is_none());
    assert_eq!(r["SiteListener"]["Properties"]["Protocol"], "HTTP");
    assert!(r.get("SiteHttpRedirectListener").is_none());
    assert_eq!(
        template["Outputs"]["SiteUrl"]["Value"],
        json!({"Fn::Sub": "http://${SiteLoadBalancer.DNSName}"})
    );
    // Without NAT, the internal service's tasks take public IPs in the public subnets,
    // and its load balancer admits only the VPC.
    let internal = &r["Internal"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(internal["AssignPublicIp"], "ENABLED");
    assert_eq!(internal["Subnets"][2], json!({"Ref": "LeanPublicSubnet3"}));
    assert_eq!(
        r["InternalLoadBalancer"]["Properties"]["Scheme"],
        "internal"
    );
    assert_eq!(
        r["InternalLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"][0]["CidrIp"],
        json!({"Fn::GetAtt": ["Lean", "CidrBlock"]})
    );
    // Public images need no ECR permissions; repositories are kept.
    let execution = r["SiteExecutionRole"]["Properties"]["Policies"].to_string();
    assert!(!execution.contains("ecr:"), "{execution}");
    assert_eq!(r["Images"]["DeletionPolicy"], "Retain");
    tests::assert_lint_clean(&stack);
}
