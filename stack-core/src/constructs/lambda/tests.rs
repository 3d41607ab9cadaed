// Functions: role, log group and code wiring, asset registration and option checks.
use super::*;
use crate::expr::Expr;
use crate::template::Template;
use serde_json::{json, Value as Json};
use std::path::Path;

fn synth(build: impl FnOnce(&mut StackBuilder)) -> Template {
    let mut stack = StackBuilder::new("Test");
    build(&mut stack);
    match stack.finish() {
        Ok(synthesized) => synthesized.template,
        Err(e) => panic!("{e}"),
    }
}

fn problems(build: impl FnOnce(&mut StackBuilder)) -> Vec<String> {
    let mut stack = StackBuilder::new("Test");
    build(&mut stack);
    stack.finish().err().map(|e| e.problems).unwrap_or_default()
}

fn resource(template: &Template, id: &str) -> Json {
    template.to_json()["Resources"][id].clone()
}

fn temp_asset_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stack-core-lambda-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    for (file, contents) in files {
        std::fs::write(dir.join(file), contents).expect("temp dir is writable");
    }
    dir
}

#[test]
fn zip_function_gets_role_log_group_and_asset_code() {
    let dir = temp_asset_dir("zip", &[("index.py", "def handler(e, c): pass\n")]);
    let func = Function::declare("Worker");
    let mut stack = StackBuilder::new("Test");
    func.build(
        FunctionProps::default()
            .code(Code::asset(&dir))
            .runtime(Runtime::Python313)
            .handler("index.handler")
            .timeout(Duration::seconds(30))
            .memory_size(256)
            .architecture(Architecture::Arm64)
            .environment(StringMap::new().entry("TABLE", "t")),
        &mut stack,
    );
    let synthesized = match stack.finish() {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(synthesized.assets.len(), 1);
    assert_eq!(synthesized.assets[0].kind, AssetKind::FileArchive);
    let hash = &synthesized.assets[0].hash;
    let template = &synthesized.template;
    let f = resource(template, "Worker");
    assert_eq!(f["Type"], "AWS::Lambda::Function");
    assert!(f.get("DependsOn").is_none());
    let p = &f["Properties"];
    assert_eq!(
        p["Code"],
        json!({"S3Bucket": {"Fn::Sub": "stack-assets-${AWS::AccountId}-${AWS::Region}"}, "S3Key": format!("{hash}.zip")})
    );
    assert_eq!(p["Runtime"], "python3.13");
    assert_eq!(p["Handler"], "index.handler");
    assert_eq!(
        p["Role"],
        json!({"Fn::GetAtt": ["WorkerServiceRole", "Arn"]})
    );
    assert_eq!(p["Timeout"], 30);
    assert_eq!(p["MemorySize"], 256);
    assert_eq!(p["Architectures"], json!(["arm64"]));
    assert_eq!(p["Environment"], json!({"Variables": {"TABLE": "t"}}));
    // The log group is named after the function, so the function cannot point at it.
    assert!(p.get("LoggingConfig").is_none(), "{p}");

    let role = resource(template, "WorkerServiceRole");
    assert_eq!(role["Type"], "AWS::IAM::Role");
    // No source conditions: Lambda does not send them for an execution role.
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}])
    );
    assert_eq!(
        role["Properties"]["ManagedPolicyArns"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}])
    );
    let logs = resource(template, "WorkerLogGroup");
    assert_eq!(
        logs["Properties"]["LogGroupName"],
        json!({"Fn::Sub": "/aws/lambda/${Worker}"})
    );
    assert_eq!(logs["Properties"]["RetentionInDays"], 365);
    assert_eq!(logs["DeletionPolicy"], "Retain");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn docker_function_uses_the_image_asset_and_relative_base_dir() {
    let dir = temp_asset_dir(
        "image",
        &[("Dockerfile", "FROM public.ecr.aws/lambda/python:3.13\n")],
    );
    let Some(base) = dir.parent().map(Path::to_path_buf) else {
        panic!("temp dir has a parent")
    };
    let Some(name) = dir.file_name().map(PathBuf::from) else {
        panic!("temp dir has a name")
    };
    let func = DockerImageFunction::declare("Api");
    let mut stack = StackBuilder::new("Test").with_base_dir(base);
    func.build(
        DockerImageFunctionProps::default()
            .code(DockerImageCode::from_asset(name))
            .function_name("photosky")
            .timeout(Duration::minutes(5)),
        &mut stack,
    );
    let synthesized = match stack.finish() {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(synthesized.assets.len(), 1);
    assert_eq!(synthesized.assets[0].kind, AssetKind::DockerImage);
    let hash = &synthesized.assets[0].hash;
    let p = resource(&synthesized.template, "Api")["Properties"].clone();
    assert_eq!(p["PackageType"], "Image");
    assert_eq!(
        p["Code"]["ImageUri"],
        json!({"Fn::Sub": format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/stack-container-assets:{hash}")})
    );
    assert_eq!(p["Timeout"], 300);
    assert_eq!(p["FunctionName"], "photosky");
    assert!(p.get("Handler").is_none());
    // A name known before the function exists names the log group, which the function
    // points at and so waits for.
    assert_eq!(
        resource(&synthesized.template, "ApiLogGroup")["Properties"]["LogGroupName"],
        "/aws/lambda/photosky"
    );
    assert_eq!(
        p["LoggingConfig"],
        json!({"LogGroup": {"Ref": "ApiLogGroup"}})
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn missing_asset_directory_is_reported() {
    let problems = problems(|stack| {
        DockerImageFunction::declare("Api").build(
            DockerImageFunctionProps::default()
                .code(DockerImageCode::from_asset("/nonexistent/stack-core-asset")),
            stack,
        );
    });
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("`Api`"), "{problems:?}");
}

#[test]
fn initial_policy_and_grants_land_on_the_service_role() {
    let template = synth(|stack| {
        let func = Function::declare("Worker");
        func.build(
            FunctionProps::default()
                .code(Code::inline("def handler(e, c):\n    return 1\n"))
                .runtime(Runtime::Python313)
                .handler("index.handler")
                .initial_policy([Statement::allow(
                    ["sqs:SendMessage"],
                    ["arn:aws:sqs:us-east-1:123456789012:q"],
                )]),
            stack,
        );
    });
    let role = resource(&template, "WorkerServiceRole");
    assert_eq!(
        role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"],
        "sqs:SendMessage"
    );
    assert_eq!(
        resource(&template, "Worker")["Properties"]["Code"],
        json!({"ZipFile": "def handler(e, c):\n    return 1\n"})
    );
}

#[test]
fn a_shared_role_replaces_the_service_role_and_receives_grants() {
    let role = super::super::Role::declare("Shared");
    let func = DockerImageFunction::declare("Chat");
    let template = synth(|stack| {
        role.build(
            super::super::RoleProps::default().assumed_by(
                super::super::Principals::default()
                    .services(["lambda.amazonaws.com", "bedrock.amazonaws.com"]),
            ),
            stack,
        );
        func.build(
            DockerImageFunctionProps::default()
                .code(DockerImageCode::from_uri(
                    "123456789012.dkr.ecr.us-east-1.amazonaws.com/chat:1",
                ))
                .role(&role)
                .initial_policy([Statement::allow(
                    ["sqs:SendMessage"],
                    ["arn:aws:sqs:us-east-1:123456789012:q"],
                )]),
            stack,
        );
        stack.grant(&func, func.grant_invoke());
    });
    assert!(resource(&template, "ChatServiceRole").is_null());
    assert_eq!(
        resource(&template, "Chat")["Properties"]["Role"],
        json!({"Fn::GetAtt": ["Shared", "Arn"]})
    );
    assert_eq!(
        func.role_arn().expr(),
        &Expr::GetAtt("Shared".into(), "Arn".into())
    );
    assert_eq!(func.role_logical_id(), "Shared");
    assert_eq!(
        func.in_other_stack("Main/").role_arn().expr(),
        &Expr::GetAtt("Main/Shared".into(), "Arn".into())
    );
    let statements = resource(&template, "Shared")["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"]
        .to_string();
    assert!(statements.contains("sqs:SendMessage"), "{statements}");
    // Not inline: the function's ARN in the role would make the role depend on the
    // function, which depends on the role. It goes into a separate policy.
    assert!(
        !statements.contains("lambda:InvokeFunction"),
        "{statements}"
    );
    let separate = resource(&template, "SharedDefaultPolicy")["Properties"].to_string();
    assert!(separate.contains("lambda:InvokeFunction"), "{separate}");
}

#[test]
fn a_role_that_is_not_of_the_stack_is_reported() {
    let problems = problems(|stack| {
        let not_a_role: Value<Id<kind::iam::Role>> = Value::get_att("Other", "Name");
        Function::declare("Worker").build(
            FunctionProps::default()
                .code(Code::inline("def handler(e, c):\n    return 1\n"))
                .runtime(Runtime::Python313)
                .handler("index.handler")
                .role(not_a_role),
            stack,
        );
    });
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("`role`"), "{problems:#?}");
}

#[test]
fn attributes_are_typed_references() {
    let func = Function::declare("Worker");
    assert_eq!(
        func.arn().expr(),
        &Expr::GetAtt("Worker".into(), "Arn".into())
    );
    assert_eq!(func.name().expr(), &Expr::Ref("Worker".into()));
    assert_eq!(
        func.role_arn().expr(),
        &Expr::GetAtt("WorkerServiceRole".into(), "Arn".into())
    );
    assert_eq!(func.role_logical_id(), "WorkerServiceRole");
    assert_eq!(func.logical_id(), "Worker");
}

#[test]
fn invalid_options_are_reported() {
    let problems = problems(|stack| {
        Function::declare("Worker").build(
            FunctionProps::default()
                .code(Code::inline("x"))
                .runtime(Runtime::Java21)
                .handler("a.b")
                .function_name("bad name")
                .timeout(Duration::minutes(16))
                .memory_size(64)
                .log_retention(Duration::days(2))
                .environment(StringMap::new().entry("AWS_REGION", "x").entry("1X", "y")),
            stack,
        );
    });
    let expected = [
        "inline code",
        "function_name",
        "timeout",
        "memory_size",
        "log_retention",
        "`1X`",
        "`AWS_REGION` is reserved",
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
fn missing_required_options_are_reported() {
    let problems = problems(|stack| {
        Function::declare("Worker").build(FunctionProps::default(), stack);
    });
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[test]
fn a_name_known_at_deploy_time_names_the_log_group_too() {
    let template = synth(|stack| {
        Function::declare("Worker").build(
            FunctionProps::default()
                .code(Code::inline("def handler(e, c): pass"))
                .runtime(Runtime::Python313)
                .handler("index.handler")
                .function_name(Value::<String>::reference("AppName"))
                .log_retention(Duration::days(30)),
            stack,
        );
    });
    let logs = resource(&template, "WorkerLogGroup");
    assert_eq!(
        logs["Properties"],
        json!({"LogGroupName": {"Fn::Sub": "/aws/lambda/${AppName}"}, "RetentionInDays": 30})
    );
    assert_eq!(
        resource(&template, "Worker")["Properties"]["LoggingConfig"],
        json!({"LogGroup": {"Ref": "WorkerLogGroup"}})
    );
}
