//! Extralabs (seed 004): six stacks that turn an uploaded file into a Spark job on EMR.
//!
//! - [`NetworkStack`]: the VPC and the security groups EMR clusters run in.
//! - [`S3Stack`]: the buckets for uploads, Spark scripts, results and EMR logs.
//! - [`EcrStack`]: the private image repository.
//! - [`EmrStack`] (`EMRStack`): the EMR roles and a development cluster.
//! - [`InvokeStack`]: the Lambda function that starts an EMR cluster per job.
//! - [`ApiGatewayStack`]: `GET /upload`, which answers with a presigned S3 upload URL.
//!
//! Stacks read each other's resources through `uses`; [`app`] adds them in dependency
//! order. The stacks are a library so that tests can build them; `main.rs` is the app
//! binary.

use stack_app::{AppSpec, BuildError, Context};
use stack_core::prelude::*;
use stack_core::Expr;

/// The app's name on the command line.
pub const APP_NAME: &str = "extralabs";

/// The tag that `AmazonEMRServicePolicy_v2` requires on the subnets, the security groups
/// and the clusters EMR may use.
pub const EMR_MANAGED_TAG: &str = "for-use-with-amazon-emr-managed-policies";

/// The app's configuration, from its context.
#[derive(Clone, Debug)]
pub struct ExtralabsConfig {
    /// The `project` tag of the EMR clusters: the development cluster carries it, and the
    /// invoke Lambda may start only clusters that carry it (`project`).
    pub project: String,
    /// The development cluster's name; changing it replaces the cluster (`cluster_name`).
    pub cluster_name: String,
    /// The EMR release of every cluster (`release_label`).
    pub release_label: String,
    /// The EC2 instance type of every cluster node (`instance_type`).
    pub instance_type: String,
    /// Minutes an idle development cluster runs before EMR terminates it
    /// (`idle_timeout_minutes`).
    pub idle_timeout_minutes: u32,
    /// The origin of the web page that uploads with the presigned URL, for CORS on the
    /// upload bucket and the API (`upload_origin`).
    pub upload_origin: String,
}

impl Default for ExtralabsConfig {
    fn default() -> Self {
        Self {
            project: "extralabs".to_owned(),
            cluster_name: "extralabs-dev".to_owned(),
            release_label: "emr-7.5.0".to_owned(),
            instance_type: "m5.xlarge".to_owned(),
            idle_timeout_minutes: 60,
            upload_origin: "*".to_owned(),
        }
    }
}

impl ExtralabsConfig {
    /// The configuration from the app's context; every key has a default in [`spec`].
    pub fn from_context(ctx: &Context) -> Result<Self, BuildError> {
        Ok(Self {
            project: ctx.get("project")?,
            cluster_name: ctx.get("cluster_name")?,
            release_label: ctx.get("release_label")?,
            instance_type: ctx.get("instance_type")?,
            idle_timeout_minutes: ctx.get_parsed("idle_timeout_minutes")?,
            upload_origin: ctx.get("upload_origin")?,
        })
    }

    /// The development cluster's idle timeout in seconds.
    pub fn idle_timeout_seconds(&self) -> i64 {
        i64::from(self.idle_timeout_minutes).saturating_mul(60)
    }

    /// The condition on the invoke Lambda's `elasticmapreduce:RunJobFlow`: every cluster
    /// it starts must carry this app's `project` tag.
    pub fn run_job_flow_condition(&self) -> Expr {
        Expr::Map(vec![(
            "StringEquals".to_owned(),
            Expr::Map(vec![(
                "elasticmapreduce:RequestTag/project".to_owned(),
                Expr::Str(self.project.clone()),
            )]),
        )])
    }
}

stack! {
    /// Extralabs network: a VPC over two zones with one NAT gateway, and the security
    /// groups EMR clusters run in.
    pub stack NetworkStack {
        // `AmazonEMRServicePolicy_v2` lets EMR use only subnets and security groups with
        // this tag; CloudFormation puts stack tags on every resource that takes tags.
        tag "for-use-with-amazon-emr-managed-policies" = "true";

        resource vpc: Vpc {
            cidr: "10.0.0.0/16",
            max_azs: 2,
            nat_gateways: 1,
            gateway_endpoints: [GatewayEndpoint::S3],
        }

        // EMR-managed security groups for clusters in a private subnet. Their rules are
        // the ones EMR would add itself, declared here so that EMR finds nothing missing
        // and CloudFormation owns (and can delete) every rule.
        resource emr_primary: SecurityGroup {
            vpc: vpc,
            description: "EMR-managed: primary node",
        }
        resource emr_core: SecurityGroup {
            vpc: vpc,
            description: "EMR-managed: core and task nodes",
        }
        resource emr_service_access: SecurityGroup {
            vpc: vpc,
            description: "EMR-managed: service access to clusters in private subnets",
            allow_all_outbound: false,
        }

        resource primary_tcp_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "tcp", FromPort: 0, ToPort: 65535, Description: "all TCP from the primary node" }
        resource primary_udp_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "udp", FromPort: 0, ToPort: 65535, Description: "all UDP from the primary node" }
        resource primary_icmp_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "icmp", FromPort: -1, ToPort: -1, Description: "all ICMP from the primary node" }
        resource primary_tcp_from_core: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_core.group_id, IpProtocol: "tcp", FromPort: 0, ToPort: 65535, Description: "all TCP from core and task nodes" }
        resource primary_udp_from_core: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_core.group_id, IpProtocol: "udp", FromPort: 0, ToPort: 65535, Description: "all UDP from core and task nodes" }
        resource primary_icmp_from_core: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_core.group_id, IpProtocol: "icmp", FromPort: -1, ToPort: -1, Description: "all ICMP from core and task nodes" }
        resource primary_https_from_service: AWS::EC2::SecurityGroupIngress { GroupId: emr_primary.group_id, SourceSecurityGroupId: emr_service_access.group_id, IpProtocol: "tcp", FromPort: 8443, ToPort: 8443, Description: "the EMR service, through the service access group" }

        resource core_tcp_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "tcp", FromPort: 0, ToPort: 65535, Description: "all TCP from the primary node" }
        resource core_udp_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "udp", FromPort: 0, ToPort: 65535, Description: "all UDP from the primary node" }
        resource core_icmp_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "icmp", FromPort: -1, ToPort: -1, Description: "all ICMP from the primary node" }
        resource core_tcp_from_core: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_core.group_id, IpProtocol: "tcp", FromPort: 0, ToPort: 65535, Description: "all TCP from core and task nodes" }
        resource core_udp_from_core: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_core.group_id, IpProtocol: "udp", FromPort: 0, ToPort: 65535, Description: "all UDP from core and task nodes" }
        resource core_icmp_from_core: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_core.group_id, IpProtocol: "icmp", FromPort: -1, ToPort: -1, Description: "all ICMP from core and task nodes" }
        resource core_https_from_service: AWS::EC2::SecurityGroupIngress { GroupId: emr_core.group_id, SourceSecurityGroupId: emr_service_access.group_id, IpProtocol: "tcp", FromPort: 8443, ToPort: 8443, Description: "the EMR service, through the service access group" }

        resource service_from_primary: AWS::EC2::SecurityGroupIngress { GroupId: emr_service_access.group_id, SourceSecurityGroupId: emr_primary.group_id, IpProtocol: "tcp", FromPort: 9443, ToPort: 9443, Description: "the primary node reaching the EMR service" }
        resource service_to_primary: AWS::EC2::SecurityGroupEgress { GroupId: emr_service_access.group_id, DestinationSecurityGroupId: emr_primary.group_id, IpProtocol: "tcp", FromPort: 8443, ToPort: 8443, Description: "the EMR service reaching the primary node" }
        resource service_to_core: AWS::EC2::SecurityGroupEgress { GroupId: emr_service_access.group_id, DestinationSecurityGroupId: emr_core.group_id, IpProtocol: "tcp", FromPort: 8443, ToPort: 8443, Description: "the EMR service reaching core and task nodes" }

        /// The VPC's ID.
        output vpc_id = vpc.vpc_id;
    }
}

stack! {
    /// Extralabs storage: uploads, Spark scripts, job results and EMR logs. Every bucket
    /// is private, TLS-only and kept when the stack is deleted.
    pub stack S3Stack(props: ExtralabsConfig) {
        /// Files uploaded through the presigned URLs of the API: the jobs' input.
        resource uploads: Bucket {
            cors: [CorsRule {
                allowed_methods: [HttpMethod::Put],
                allowed_origins: [&props.upload_origin],
                allowed_headers: ["*"],
                exposed_headers: ["ETag"],
                max_age: 3000,
            }],
        }
        /// The Spark applications the clusters run; versioned, so a job can be traced
        /// to the script it ran.
        resource scripts: Bucket { versioned: true }
        /// What the jobs write.
        resource results: Bucket {}
        /// EMR cluster logs.
        resource logs: Bucket {}

        /// Where uploads land.
        output uploads_bucket = uploads.name;
        /// Where Spark scripts go.
        output scripts_bucket = scripts.name;
        /// Where jobs write their results.
        output results_bucket = results.name;
        /// Where EMR writes cluster logs.
        output logs_bucket = logs.name;
    }
}

stack! {
    /// Extralabs image registry: private, scanned on push, with immutable tags.
    pub stack EcrStack {
        resource images: Repository {
            repository_name: "extralabs/spark",
            image_scan_on_push: true,
            image_tag_mutability: TagMutability::Immutable,
            lifecycle_rules: [LifecycleRule {
                tag_status: TagStatus::Untagged,
                max_image_age: Duration::days(14),
                description: "drop untagged images after two weeks",
            }],
        }

        /// Where to push images: `docker push <uri>:<tag>`.
        output repository_uri = images.repository_uri;
    }
}

stack! {
    /// Extralabs EMR development cluster, and the EMR roles every cluster of the app
    /// runs with.
    pub stack EmrStack(props: ExtralabsConfig) uses network: NetworkStack, storage: S3Stack, registry: EcrStack {
        /// The role EMR itself acts as: the v2 managed policy, which only touches
        /// resources tagged for EMR.
        resource service_role: Role {
            assumed_by: Principals { services: ["elasticmapreduce.amazonaws.com"] },
            description: "EMR service role for the extralabs clusters",
            managed_policies: ["service-role/AmazonEMRServicePolicy_v2"],
        }
        /// The role of the clusters' EC2 instances (the job-flow role): the grants below
        /// and Session Manager (shell access without SSH keys or open ports), instead of
        /// the broad `AmazonElasticMapReduceforEC2Role`.
        resource job_flow_role: Role {
            assumed_by: Principals { services: ["ec2.amazonaws.com"] },
            description: "EC2 instance role of the extralabs EMR clusters",
            managed_policies: ["AmazonSSMManagedInstanceCore"],
        }
        resource instance_profile: AWS::IAM::InstanceProfile {
            Roles: [job_flow_role.name],
        }

        resource cluster: AWS::EMR::Cluster {
            Name: &props.cluster_name,
            ReleaseLabel: &props.release_label,
            Applications: [{ Name: "Spark" }],
            ServiceRole: service_role.name,
            JobFlowRole: instance_profile,
            LogUri: sub!("s3://${storage.logs.name}/emr/"),
            Instances: {
                Ec2SubnetId: network.vpc.private_subnet_id(0),
                EmrManagedMasterSecurityGroup: network.emr_primary.group_id,
                EmrManagedSlaveSecurityGroup: network.emr_core.group_id,
                ServiceAccessSecurityGroup: network.emr_service_access.group_id,
                MasterInstanceGroup: { Name: "Primary", InstanceCount: 1, InstanceType: &props.instance_type, Market: "ON_DEMAND" },
                CoreInstanceGroup: { Name: "Core", InstanceCount: 2, InstanceType: &props.instance_type, Market: "ON_DEMAND" },
                KeepJobFlowAliveWhenNoSteps: true,
                TerminationProtected: false,
            },
            AutoTerminationPolicy: { IdleTimeout: props.idle_timeout_seconds() },
            Tags: [
                { Key: "for-use-with-amazon-emr-managed-policies", Value: "true" },
                { Key: "project", Value: &props.project },
            ],
        }

        // EMR hands the instance profile's role to EC2; the v2 policy allows that only
        // for the default role name.
        grant service_role pass job_flow_role;
        grant job_flow_role read storage.uploads;
        grant job_flow_role read storage.scripts;
        grant job_flow_role read_write storage.results;
        grant job_flow_role put storage.logs;
        grant job_flow_role pull registry.images;

        /// The instance profile clusters are started with (`JobFlowRole`).
        output instance_profile_name = instance_profile;
        /// The development cluster's ID (`j-...`).
        output cluster_id = cluster.id;
    }
}

stack! {
    /// Extralabs invoke function: starts an EMR cluster that runs one Spark job and
    /// terminates.
    pub stack InvokeStack(props: ExtralabsConfig) uses network: NetworkStack, storage: S3Stack, registry: EcrStack, emr: EmrStack {
        resource invoke: Function {
            code: Code::asset("lambdas/invoke"),
            runtime: Runtime::Python313,
            handler: "handler.handler",
            description: "Starts an EMR cluster that runs one Spark job",
            timeout: Duration::seconds(30),
            memory_size: 256,
            environment: {
                PROJECT: &props.project,
                RELEASE_LABEL: &props.release_label,
                INSTANCE_TYPE: &props.instance_type,
                INPUT_BUCKET: storage.uploads.name,
                SCRIPTS_BUCKET: storage.scripts.name,
                OUTPUT_BUCKET: storage.results.name,
                LOG_BUCKET: storage.logs.name,
                SERVICE_ROLE: emr.service_role.name,
                JOB_FLOW_ROLE: emr.instance_profile_name,
                SUBNET_ID: network.vpc.private_subnet_id(0),
                PRIMARY_SECURITY_GROUP: network.emr_primary.group_id,
                CORE_SECURITY_GROUP: network.emr_core.group_id,
                SERVICE_ACCESS_SECURITY_GROUP: network.emr_service_access.group_id,
                IMAGE_REPOSITORY: registry.images.repository_uri,
            },
            initial_policy: [
                Statement::allow(["elasticmapreduce:RunJobFlow"], ["*"]).with_condition(props.run_job_flow_condition()),
            ],
        }

        // RunJobFlow hands both roles to EMR; the function may pass these two and no other.
        grant invoke pass emr.service_role;
        grant invoke pass emr.job_flow_role;

        /// The function to invoke with `{"script": ..., "input": ...}`.
        output function_name = invoke.name;
    }
}

stack! {
    /// Extralabs upload API: `GET /upload` answers with a presigned URL, and the client
    /// `PUT`s the file to S3 with it.
    pub stack ApiGatewayStack(props: ExtralabsConfig) uses storage: S3Stack {
        resource presign: Function {
            code: Code::asset("lambdas/presign"),
            runtime: Runtime::Python313,
            handler: "handler.handler",
            description: "Answers with a presigned URL that uploads one file to the uploads bucket",
            timeout: Duration::seconds(10),
            environment: {
                UPLOAD_BUCKET: storage.uploads.name,
                URL_EXPIRY_SECONDS: "900",
                ALLOWED_ORIGIN: &props.upload_origin,
            },
        }

        resource api: RestApi {
            rest_api_name: "extralabs-upload",
            description: "Presigned upload URLs for the extralabs buckets",
            endpoint_type: EndpointType::Regional,
            routes: [ApiRoute {
                path: "upload",
                method: HttpMethod::Get,
                integration: LambdaIntegration { handler: presign },
            }],
            default_cors_preflight: CorsOptions {
                allow_origins: [&props.upload_origin],
                allow_methods: ["GET"],
            },
        }

        // Enough to sign an upload and nothing else: no reads, no deletes.
        grant presign put storage.uploads;

        /// The API's base URL; `GET <url>upload?filename=data.csv`.
        output api_url = api.url;
    }
}

/// The app's command-line description, with the default of every context key.
pub fn spec() -> AppSpec {
    let defaults = ExtralabsConfig::default();
    AppSpec::new(APP_NAME)
        .about("Extralabs: uploads through presigned URLs, Spark jobs on EMR")
        .context_default("project", defaults.project)
        .context_default("cluster_name", defaults.cluster_name)
        .context_default("release_label", defaults.release_label)
        .context_default("instance_type", defaults.instance_type)
        .context_default(
            "idle_timeout_minutes",
            defaults.idle_timeout_minutes.to_string(),
        )
        .context_default("upload_origin", defaults.upload_origin)
}

/// The six stacks, each added after the stacks it uses.
pub fn app(config: &ExtralabsConfig) -> App {
    let mut app = App::new();
    let network = app.add(NetworkStack::new("NetworkStack"));
    let storage = app.add(S3Stack::new("S3Stack", config));
    let registry = app.add(EcrStack::new("ECRStack"));
    let emr = app.add(EmrStack::new(
        "EMRStack", config, &network, &storage, &registry,
    ));
    app.add(InvokeStack::new(
        "InvokeStack",
        config,
        &network,
        &storage,
        &registry,
        &emr,
    ));
    app.add(ApiGatewayStack::new("ApiGatewayStack", config, &storage));
    app
}

/// What `main` hands to `stack_app::run`: the app built from the context.
pub fn build(ctx: &Context) -> Result<App, BuildError> {
    Ok(app(&ExtralabsConfig::from_context(ctx)?))
}
