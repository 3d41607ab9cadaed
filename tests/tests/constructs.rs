//! The macro's construct catalog and the constructs in `stack-core` agree: every option,
//! attribute and grant the macro accepts exists, and builds a lint-clean template.

use stack_core::prelude::*;

stack! {
    /// Every option, attribute and grant of every construct.
    pub stack Everything {
        resource zipped: Function {
            code: Code::asset("tests/fixtures/lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            function_name: "everything-zipped",
            timeout: Duration::seconds(30),
            memory_size: 256,
            environment: { TABLE: "t", BUCKET: files.name, REGION_NAME: sub!("${AWS::Region}") },
            architecture: Architecture::Arm64,
            description: "every option",
            initial_policy: [Statement::allow(["sqs:SendMessage"], [queue.arn])],
            log_retention: Duration::days(30),
        }
        resource imaged: DockerImageFunction {
            code: DockerImageCode::from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"),
            function_name: "everything-imaged",
            timeout: Duration::minutes(1),
            memory_size: 512,
            environment: { ZIPPED: zipped.name },
            architecture: Architecture::X86_64,
            description: "image",
            initial_policy: [],
            log_retention: Duration::days(14),
            role: runner,
        }
        resource runner: Role {
            assumed_by: Principals { services: ["lambda.amazonaws.com"] },
            managed_policies: ["service-role/AWSLambdaBasicExecutionRole"],
        }
        resource api: LambdaRestApi {
            handler: zipped,
            proxy: true,
            rest_api_name: "everything",
            description: "every option",
            binary_media_types: ["image/png"],
            default_cors_preflight: CorsOptions {
                allow_origins: ["https://example.com"],
                allow_methods: ["GET", "POST"],
                allow_headers: ["Content-Type"],
            },
            stage_name: "v1",
            endpoint_type: EndpointType::Regional,
        }
        resource files: Bucket {
            bucket_name: "everything-files",
            cors: [CorsRule { allowed_methods: [HttpMethod::Get], allowed_origins: ["*"], max_age: 60 }],
            removal_policy: RemovalPolicy::Destroy,
            auto_delete_objects: true,
            versioned: true,
        }
        resource queue: AWS::SQS::Queue { VisibilityTimeout: 60 }

        grant zipped read files;
        grant zipped write files;
        grant zipped read_write files;
        grant zipped put files;
        grant imaged delete files;
        grant imaged invoke zipped;
        grant imaged ["sqs:SendMessage"] on queue;

        output zipped_arn = zipped.arn;
        output zipped_name = zipped.name;
        output zipped_role = zipped.role_arn;
        output zipped_logs = zipped.log_group_name;
        output api_url = api.url;
        output api_id = api.rest_api_id;
        output api_root = api.root_resource_id;
        output api_stage = api.deployment_stage_name;
        output files_arn = files.arn;
        output files_name = files.name;
        output files_domain = files.domain_name;
        output files_regional_domain = files.regional_domain_name;
        #[export]
        output queue_url = queue;
        output queue_arn = sub!("${queue.arn}");
    }
}

fn everything() -> Everything {
    Everything::new("Everything")
}

#[test]
fn every_construct_option_attribute_and_grant_builds() {
    let stack = everything();
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    let template = synthesized.template.to_json();
    let outputs = template["Outputs"].as_object().map_or(0, |o| o.len());
    assert_eq!(outputs, 14);
    // `imaged` runs as `runner`: its grants land there, and it has no role of its own.
    let resources = &template["Resources"];
    assert!(resources.get("ImagedServiceRole").is_none());
    assert_eq!(
        resources["Imaged"]["Properties"]["Role"],
        serde_json::json!({"Fn::GetAtt": ["Runner", "Arn"]})
    );
    let invoke = &resources["Runner"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let text = invoke.to_string();
    assert!(text.contains("lambda:InvokeFunction"), "{text}");
    assert!(text.contains("sqs:SendMessage"), "{text}");
    assert!(text.contains("s3:DeleteObject"), "{text}");
}

#[test]
fn everything_is_lint_clean() {
    tests::assert_lint_clean(&everything());
}
