//! The GenAI app (seed 000): its golden template, the wiring the seed declares (model IDs
//! from the context into the functions, API URLs into the web app, the outputs), the
//! context file the app reads from any directory, and cfn-lint.

use std::path::{Path, PathBuf};

use genai::{GenAiProps, InfrastructureStack, STACK_NAME};
use serde_json::{json, Value as Json};
use stack_app::{run_with, Context, Env, Shell};
use stack_core::{App, Stack};

/// The context of the app's own `stack.json`.
fn default_context() -> Context {
    Context::from_pairs([
        ("bedrock-text-model-id", "anthropic.claude-v2"),
        ("bedrock-embedding-model-id", "amazon.titan-embed-text-v1"),
        ("bedrock-image-model-id", "stability.stable-diffusion-xl-v1"),
    ])
}

fn stack(ctx: &Context) -> InfrastructureStack {
    let props = GenAiProps::from_context(ctx).unwrap_or_else(|e| panic!("{e}"));
    InfrastructureStack::new(STACK_NAME, &props)
}

fn template(stack: &dyn Stack) -> Json {
    stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

fn resources_of_type<'a>(t: &'a Json, ty: &str) -> Vec<(&'a str, &'a Json)> {
    t["Resources"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, r)| r["Type"] == ty)
                .map(|(id, r)| (id.as_str(), r))
                .collect()
        })
        .unwrap_or_default()
}

/// The container's environment as `name -> value`.
fn container_env(t: &Json) -> Json {
    let container =
        &t["Resources"]["WebAppTaskDefinition"]["Properties"]["ContainerDefinitions"][0];
    let mut env = serde_json::Map::new();
    for entry in container["Environment"].as_array().into_iter().flatten() {
        if let Some(name) = entry["Name"].as_str() {
            env.insert(name.to_owned(), entry["Value"].clone());
        }
    }
    Json::Object(env)
}

#[test]
fn genai_template() {
    let stack = stack(&default_context());
    let text = stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json_string();
    insta::assert_snapshot!("genai", text);
}

#[test]
fn the_vpc_spans_two_zones_and_hosts_the_web_app() {
    let t = template(&stack(&default_context()));
    let r = &t["Resources"];
    let subnets = resources_of_type(&t, "AWS::EC2::Subnet");
    assert_eq!(subnets.len(), 4, "a public and a private subnet per zone");
    for (n, zone) in [(1, 0), (2, 1)] {
        for kind in ["Public", "Private"] {
            assert_eq!(
                r[format!("Vpc{kind}Subnet{n}")]["Properties"]["AvailabilityZone"],
                json!({"Fn::Select": [zone, {"Fn::GetAZs": ""}]})
            );
        }
    }
    let network = &r["WebApp"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(
        network["Subnets"],
        json!([{"Ref": "VpcPrivateSubnet1"}, {"Ref": "VpcPrivateSubnet2"}])
    );
    assert_eq!(network["AssignPublicIp"], "DISABLED");
    let lb = &r["WebAppLoadBalancer"]["Properties"];
    assert_eq!(lb["Scheme"], "internet-facing");
    assert_eq!(
        lb["Subnets"],
        json!([{"Ref": "VpcPublicSubnet1"}, {"Ref": "VpcPublicSubnet2"}])
    );
}

#[test]
fn each_api_is_a_lambda_function_behind_api_gateway() {
    let t = template(&stack(&default_context()));
    let r = &t["Resources"];
    for (api, handler) in [("TextApi", "TextHandler"), ("ImageApi", "ImageHandler")] {
        assert_eq!(r[api]["Type"], "AWS::ApiGateway::RestApi");
        let integration = r[format!("{api}ProxyAny")]["Properties"]["Integration"].to_string();
        assert!(integration.contains("AWS_PROXY"), "{integration}");
        assert!(
            integration.contains(&format!("{handler}.Arn")) || integration.contains(handler),
            "{api} does not call {handler}: {integration}"
        );
        let permission = &r[format!("{api}InvokePermission")]["Properties"];
        assert_eq!(
            permission["FunctionName"],
            json!({"Fn::GetAtt": [handler, "Arn"]})
        );
        assert_eq!(r[handler]["Properties"]["Runtime"], "python3.12");
        assert_eq!(r[handler]["Properties"]["Handler"], "index.lambda_handler");
    }
}

#[test]
fn the_functions_get_the_model_ids_from_the_context_and_may_invoke_only_those_models() {
    let ctx = Context::from_pairs([
        (
            "bedrock-text-model-id",
            "anthropic.claude-3-haiku-20240307-v1:0",
        ),
        ("bedrock-embedding-model-id", "amazon.titan-embed-text-v2:0"),
        ("bedrock-image-model-id", "amazon.nova-canvas-v1:0"),
    ]);
    let t = template(&stack(&ctx));
    let r = &t["Resources"];
    assert_eq!(
        r["TextHandler"]["Properties"]["Environment"]["Variables"],
        json!({
            "EMBEDDING_MODEL_ID": "amazon.titan-embed-text-v2:0",
            "TEXT_MODEL_ID": "anthropic.claude-3-haiku-20240307-v1:0"
        })
    );
    assert_eq!(
        r["ImageHandler"]["Properties"]["Environment"]["Variables"],
        json!({"IMAGE_MODEL_ID": "amazon.nova-canvas-v1:0"})
    );
    let model_arn = |id: &str| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:bedrock:${{AWS::Region}}::foundation-model/{id}")});
    let grants =
        |role: &str| r[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone();
    assert_eq!(
        grants("TextHandlerServiceRole"),
        json!([{
            "Effect": "Allow",
            "Action": "bedrock:InvokeModel",
            "Resource": [
                model_arn("anthropic.claude-3-haiku-20240307-v1:0"),
                model_arn("amazon.titan-embed-text-v2:0")
            ]
        }])
    );
    assert_eq!(
        grants("ImageHandlerServiceRole"),
        json!([{"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": model_arn("amazon.nova-canvas-v1:0")}])
    );
}

#[test]
fn the_web_app_gets_the_api_urls_and_the_outputs_are_the_seeds() {
    let t = template(&stack(&default_context()));
    let outputs = &t["Outputs"];
    let names: Vec<&String> = outputs
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        [
            "TextApiEndpointUrl",
            "ImageApiEndpointUrl",
            "RagApiEndpointUrl",
            "WebAppUrl"
        ]
    );
    let env = container_env(&t);
    assert_eq!(env["TEXT_API"], outputs["TextApiEndpointUrl"]["Value"]);
    assert_eq!(env["IMAGE_API"], outputs["ImageApiEndpointUrl"]["Value"]);
    assert_eq!(env["RAG_API"], "");
    assert_eq!(
        env["TEXT_API"],
        json!({"Fn::Sub": "https://${TextApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${TextApiStage}/"})
    );
    assert_eq!(
        env["IMAGE_API"],
        json!({"Fn::Sub": "https://${ImageApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ImageApiStage}/"})
    );
    assert_eq!(outputs["RagApiEndpointUrl"]["Value"], "NULL");
    assert_eq!(
        outputs["WebAppUrl"]["Value"],
        json!({"Fn::Sub": "http://${WebAppLoadBalancer.DNSName}"})
    );
    // The Streamlit container answers on 8501, and the load balancer checks Streamlit's
    // health endpoint there.
    let target_group = &t["Resources"]["WebAppTargetGroup"]["Properties"];
    assert_eq!(target_group["Port"], 8501);
    assert_eq!(target_group["HealthCheckPath"], "/_stcore/health");
}

#[test]
fn the_web_app_scales_on_cpu_and_keeps_sessions_on_one_task() {
    let t = template(&stack(&default_context()));
    let r = &t["Resources"];
    let target = &r["WebAppScalableTarget"]["Properties"];
    assert_eq!(target["MinCapacity"], 1);
    assert_eq!(target["MaxCapacity"], 10);
    let cpu = &r["WebAppCpuScaling"]["Properties"]["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(cpu["TargetValue"], 50.0);
    assert_eq!(cpu["ScaleInCooldown"], 60);
    assert_eq!(cpu["ScaleOutCooldown"], 60);
    let attributes = r["WebAppTargetGroup"]["Properties"]["TargetGroupAttributes"].to_string();
    assert!(attributes.contains("stickiness.enabled"), "{attributes}");
    let task = &r["WebAppTaskDefinition"]["Properties"];
    assert_eq!(task["Cpu"], "512");
    assert_eq!(task["Memory"], "2048");
}

#[test]
fn a_bad_model_id_in_the_context_names_the_key() {
    let ctx = Context::from_pairs([
        ("bedrock-text-model-id", "anthropic claude"),
        ("bedrock-embedding-model-id", "amazon.titan-embed-text-v1"),
        ("bedrock-image-model-id", "stability.stable-diffusion-xl-v1"),
    ]);
    let error = GenAiProps::from_context(&ctx).err().map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some(
            "context key `bedrock-text-model-id` is `anthropic claude` (from the app's default), \
             which is not a valid `ModelId`: a model ID holds letters, digits, `.`, `-`, `_` and `:`, not ` `"
        )
    );
}

/// Runs the app's command line as `main.rs` does, in `cwd`.
fn run_app(cwd: &Path, args: &[&str]) -> (u8, String, String) {
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_cwd(cwd);
    let mut shell = Shell::buffered();
    let argv = std::iter::once("genai").chain(args.iter().copied());
    let code = run_with(genai::app_spec(), argv, &env, &mut shell, genai::build);
    (code, shell.stdout_text(), shell.stderr_text())
}

fn empty_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("app-genai-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn the_app_reads_its_own_stack_json_from_any_directory_and_context_overrides_it() {
    let dir = empty_dir("context");
    let (code, out, err) = run_app(&dir, &["synth", "--stdout"]);
    assert_eq!(code, 0, "{err}");
    let t: Json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(
        t["Resources"]["TextHandler"]["Properties"]["Environment"]["Variables"]["TEXT_MODEL_ID"],
        "anthropic.claude-v2"
    );
    let (code, out, err) = run_app(
        &dir,
        &[
            "synth",
            "--stdout",
            "--context",
            "bedrock-image-model-id=amazon.titan-image-generator-v2:0",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let t: Json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(
        t["Resources"]["ImageHandler"]["Properties"]["Environment"]["Variables"]["IMAGE_MODEL_ID"],
        "amazon.titan-image-generator-v2:0"
    );
    let (code, _, err) = run_app(&dir, &["ls", "--context", "bedrock-image-model-id="]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: context key `bedrock-image-model-id` is `` (from `--context`)"),
        "{err}"
    );
    assert!(!dir.join("stack.out").exists());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_pushed_web_app_image_replaces_the_asset() {
    let uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai-webapp:1.2.0";
    let mut props = GenAiProps::from_context(&default_context()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(props.webapp_image_uri, None);
    props.webapp_image_uri = Some(uri.to_owned());
    let stack = InfrastructureStack::new(STACK_NAME, &props);
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    assert!(synthesized
        .assets
        .iter()
        .all(|a| !a.source.ends_with("webapp")));
    let t = synthesized.template.to_json();
    let r = &t["Resources"];
    assert_eq!(
        r["WebAppTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"],
        uri
    );
    assert_eq!(
        r["WebAppExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][1]
            ["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:us-east-1:123456789012:repository/genai-webapp"})
    );
}

#[test]
fn synthesis_is_deterministic() {
    let text = || {
        stack(&default_context())
            .synthesized()
            .unwrap_or_else(|e| panic!("{e}"))
            .template
            .to_json_string()
    };
    assert_eq!(text(), text());
}

#[test]
fn genai_is_lint_clean() {
    let app: App = genai::build(&default_context()).unwrap_or_else(|e| panic!("{e}"));
    for stack in app.stacks() {
        tests::assert_lint_clean(stack);
    }
}
