//! The Streamlit site app (seed 003): golden templates of the shipped config and of a
//! larger one, the wiring its config drives (one function or endpoint per entry, each name
//! under its environment variable; the domain per environment; the open security group;
//! the platform switch; extra statements), bad configs stopping the run with the file and
//! the key path, and cfn-lint.

use std::path::{Path, PathBuf};

use serde_json::{json, Value as Json};
use stack_app::{run_with, Context, Env, Shell};
use stack_core::Stack;
use streamlit::{SiteProps, StreamlitConfig, StreamlitSite};

/// The shipped `config.json`, the seed's `cdk.json` context.
fn shipped() -> StreamlitConfig {
    let ctx = Context::from_pairs(Vec::<(String, String)>::new());
    streamlit::load_config(&ctx).unwrap_or_else(|e| panic!("{e}"))
}

/// Two functions (one built from its folder, one from ECR on ARM), two endpoints (a
/// fine-tuned model and one from the hub), extra variables and statements.
const LARGER: &str = r#"{
  "environment": "staging",
  "hosted_zone_id": "Z0123456789ABCDEFGHIJ",
  "domain_name": "models.example.org",
  "platform": "arm64",
  "lambda_functions": [
    {
      "function_type": "from_docker_image",
      "environment_variable_name": "COUNTERFACTUAL_LAMBDA",
      "folder_name": "text_counterfactuals",
      "policy_statements": [
        {"resources": ["*"], "actions": ["sagemaker:InvokeEndpoint"]}
      ]
    },
    {
      "function_type": "from_docker_image",
      "environment_variable_name": "WARMUP_LAMBDA",
      "ecr_repo": "site/warmup",
      "tag": "v3",
      "platform": "amd64",
      "timeout": 1,
      "memory_size": 256
    }
  ],
  "sagemaker_endpoints": [
    {
      "endpoint_type": "huggingface",
      "environment_variable_name": "SENTIMENT_UNMASKING_MODEL",
      "endpoint_name": "sentiment-unmasking",
      "model_task": "fill-mask",
      "model_data_url": "s3://streamlit-site-models/sentiment/model.tar.gz",
      "serverless_config": {"memory_size_in_mb": 3072, "max_concurrency": 2}
    },
    {
      "endpoint_type": "huggingface",
      "environment_variable_name": "SUMMARY_MODEL",
      "endpoint_name": "summary",
      "model_task": "summarization",
      "model_name": "sshleifer/distilbart-cnn-12-6"
    }
  ],
  "streamlit_environment_variables": {"THEME": "dark", "MAX_WORDS": 64, "DEBUG": false},
  "ecs_policy_statements": [
    {"resources": ["arn:aws:s3:::streamlit-site-models/*"], "actions": ["s3:GetObject"]}
  ]
}"#;

fn larger() -> StreamlitConfig {
    serde_json::from_str(LARGER).unwrap_or_else(|e| panic!("{e}"))
}

fn site(config: &StreamlitConfig) -> StreamlitSite {
    StreamlitSite::new(config.stack_name(), &SiteProps::new(config.clone()))
}

fn template(stack: &dyn Stack) -> Json {
    stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

fn template_text(stack: &dyn Stack) -> String {
    stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json_string()
}

/// The web app's environment as `name -> value`, in order.
fn container_env(t: &Json) -> Vec<(String, Json)> {
    t["Resources"]["SiteTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Environment"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["Name"].as_str().unwrap_or_default().to_owned(),
                e["Value"].clone(),
            )
        })
        .collect()
}

fn grants(t: &Json, role: &str) -> Json {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

#[test]
fn streamlit_template() {
    insta::assert_snapshot!("streamlit", template_text(&site(&shipped())));
}

#[test]
fn streamlit_larger_config_template() {
    insta::assert_snapshot!("streamlit_larger", template_text(&site(&larger())));
}

#[test]
fn the_shipped_config_is_the_seeds_cdk_json() {
    let config = shipped();
    assert_eq!(config.environment, "dev");
    assert_eq!(config.lambda_functions.len(), 1);
    assert_eq!(config.sagemaker_endpoints.len(), 1);
    assert_eq!(config.stack_name(), "StreamlitSite-dev");
}

#[test]
fn one_function_and_one_endpoint_per_entry_each_under_its_variable() {
    let t = template(&site(&larger()));
    let r = &t["Resources"];
    for id in ["FunctionsCounterfactualLambda", "FunctionsWarmupLambda"] {
        assert_eq!(r[id]["Type"], "AWS::Lambda::Function", "{id}");
        assert_eq!(r[id]["Properties"]["PackageType"], "Image", "{id}");
    }
    for id in ["EndpointsSentimentUnmasking", "EndpointsSummary"] {
        assert_eq!(r[id]["Type"], "AWS::SageMaker::Endpoint", "{id}");
    }
    let functions = r.as_object().map(|m| {
        m.values()
            .filter(|v| v["Type"] == "AWS::Lambda::Function")
            .count()
    });
    assert_eq!(functions, Some(2));
    assert_eq!(
        container_env(&t),
        [
            ("DEBUG".to_owned(), json!("false")),
            ("MAX_WORDS".to_owned(), json!("64")),
            ("THEME".to_owned(), json!("dark")),
            (
                "COUNTERFACTUAL_LAMBDA".to_owned(),
                json!({"Ref": "FunctionsCounterfactualLambda"})
            ),
            (
                "WARMUP_LAMBDA".to_owned(),
                json!({"Ref": "FunctionsWarmupLambda"})
            ),
            (
                "SENTIMENT_UNMASKING_MODEL".to_owned(),
                json!({"Fn::GetAtt": ["EndpointsSentimentUnmasking", "EndpointName"]})
            ),
            (
                "SUMMARY_MODEL".to_owned(),
                json!({"Fn::GetAtt": ["EndpointsSummary", "EndpointName"]})
            ),
        ]
    );
}

#[test]
fn functions_follow_their_entries() {
    let t = template(&site(&larger()));
    let r = &t["Resources"];
    let built = &r["FunctionsCounterfactualLambda"]["Properties"];
    assert_eq!(built["Timeout"], 300);
    assert_eq!(built["MemorySize"], 512);
    assert_eq!(
        built["Architectures"],
        json!(["arm64"]),
        "the config's platform"
    );
    let pulled = &r["FunctionsWarmupLambda"]["Properties"];
    assert_eq!(
        pulled["Code"]["ImageUri"],
        json!({"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/site/warmup:v3"})
    );
    assert_eq!(pulled["Timeout"], 60);
    assert_eq!(pulled["MemorySize"], 256);
    assert_eq!(
        pulled["Architectures"],
        json!(["x86_64"]),
        "its own platform"
    );
    assert_eq!(
        grants(&t, "FunctionsCounterfactualLambdaServiceRole"),
        json!([{"Effect": "Allow", "Action": "sagemaker:InvokeEndpoint", "Resource": "*"}])
    );
    assert!(r["FunctionsWarmupLambdaServiceRole"]["Properties"]
        .get("Policies")
        .is_none());
}

#[test]
fn endpoints_follow_their_entries() {
    let t = template(&site(&larger()));
    let r = &t["Resources"];
    let tuned = &r["EndpointsSentimentUnmaskingModel"]["Properties"]["PrimaryContainer"];
    assert_eq!(
        tuned["ModelDataUrl"],
        "s3://streamlit-site-models/sentiment/model.tar.gz"
    );
    assert_eq!(tuned["Environment"], json!({"HF_TASK": "fill-mask"}));
    let hub = &r["EndpointsSummaryModel"]["Properties"]["PrimaryContainer"];
    assert!(hub.get("ModelDataUrl").is_none(), "{hub}");
    assert_eq!(
        hub["Environment"],
        json!({"HF_TASK": "summarization", "HF_MODEL_ID": "sshleifer/distilbart-cnn-12-6"})
    );
    assert_eq!(
        r["EndpointsSentimentUnmaskingConfig"]["Properties"]["ProductionVariants"][0]
            ["ServerlessConfig"],
        json!({"MemorySizeInMB": 3072, "MaxConcurrency": 2})
    );
    assert_eq!(
        r["EndpointsSummaryConfig"]["Properties"]["ProductionVariants"][0]["ServerlessConfig"],
        json!({"MemorySizeInMB": 2048, "MaxConcurrency": 5})
    );
    assert_eq!(
        r["EndpointsSummary"]["Properties"]["EndpointName"],
        "summary"
    );
}

#[test]
fn the_web_app_may_invoke_each_function_and_endpoint_plus_the_extra_statements() {
    let t = template(&site(&larger()));
    let statements = grants(&t, "SiteTaskRole");
    assert_eq!(
        statements[0],
        json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::streamlit-site-models/*"})
    );
    let text = statements.to_string();
    for needle in [
        "FunctionsCounterfactualLambda.Arn",
        "FunctionsWarmupLambda.Arn",
        "{\"Ref\":\"EndpointsSentimentUnmasking\"}",
        "{\"Ref\":\"EndpointsSummary\"}",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    assert!(!text.contains("\"Resource\":\"*\""), "{text}");
}

#[test]
fn a_non_prod_domain_includes_the_environment() {
    let t = template(&site(&shipped()));
    let r = &t["Resources"];
    assert_eq!(
        r["CnameRecord"]["Properties"]["Name"],
        "dev.streamlit.example.com"
    );
    assert_eq!(
        r["CnameRecord"]["Properties"]["ResourceRecords"],
        json!([{"Fn::GetAtt": ["SiteLoadBalancer", "DNSName"]}])
    );
    assert_eq!(
        r["CnameRecord"]["Properties"]["HostedZoneId"],
        "Z0123456789ABCDEFGHIJ"
    );
    assert_eq!(
        r["Certificate"]["Properties"],
        json!({
            "DomainName": "dev.streamlit.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [
                {"DomainName": "dev.streamlit.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"}
            ]
        })
    );
    assert_eq!(
        t["Outputs"]["ApiUrl"]["Value"],
        "https://dev.streamlit.example.com"
    );

    let mut prod = shipped();
    prod.environment = "prod".to_owned();
    assert_eq!(prod.stack_name(), "StreamlitSite");
    let t = template(&site(&prod));
    assert_eq!(
        t["Resources"]["CnameRecord"]["Properties"]["Name"],
        "streamlit.example.com"
    );
    assert_eq!(
        t["Resources"]["Certificate"]["Properties"]["DomainName"],
        "streamlit.example.com"
    );
}

#[test]
fn https_with_the_certificate_and_http_redirected() {
    let t = template(&site(&shipped()));
    let r = &t["Resources"];
    let listener = &r["SiteListener"]["Properties"];
    assert_eq!(listener["Port"], 443);
    assert_eq!(
        listener["Certificates"],
        json!([{"CertificateArn": {"Ref": "Certificate"}}])
    );
    assert_eq!(
        r["SiteHttpRedirectListener"]["Properties"]["DefaultActions"][0]["RedirectConfig"]
            ["Protocol"],
        "HTTPS"
    );
    assert_eq!(r["SiteTargetGroup"]["Properties"]["Port"], 8080);
}

#[test]
fn the_open_security_group_admits_everyone_on_the_load_balancer_only() {
    let t = template(&site(&shipped()));
    let r = &t["Resources"];
    let open = &r["OpenToAll"]["Properties"];
    let ingress = open["SecurityGroupIngress"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for port in [443, 80] {
        assert!(
            ingress
                .iter()
                .any(|rule| rule["CidrIp"] == "0.0.0.0/0" && rule["FromPort"] == port),
            "no IPv4 rule for {port}: {ingress:?}"
        );
        assert!(
            ingress
                .iter()
                .any(|rule| rule["CidrIpv6"] == "::/0" && rule["FromPort"] == port),
            "no IPv6 rule for {port}: {ingress:?}"
        );
    }
    // It lets clients in, and lets the load balancer reach nothing new.
    assert_eq!(
        open["SecurityGroupEgress"][0]["CidrIp"],
        "255.255.255.255/32"
    );
    assert_eq!(
        r["SiteLoadBalancer"]["Properties"]["SecurityGroups"],
        json!([
            {"Fn::GetAtt": ["SiteLoadBalancerSecurityGroup", "GroupId"]},
            {"Fn::GetAtt": ["OpenToAll", "GroupId"]}
        ])
    );
    // The tasks stay behind the load balancer.
    assert_eq!(
        r["Site"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"],
        json!([{"Fn::GetAtt": ["SiteSecurityGroup", "GroupId"]}])
    );
}

#[test]
fn the_platform_switch_changes_the_tasks_runtime_platform() {
    let mut config = shipped();
    for (platform, ecs, lambda) in [
        (streamlit::Platform::Amd64, "X86_64", "x86_64"),
        (streamlit::Platform::Arm64, "ARM64", "arm64"),
    ] {
        config.platform = platform;
        let t = template(&site(&config));
        let r = &t["Resources"];
        assert_eq!(
            r["SiteTaskDefinition"]["Properties"]["RuntimePlatform"],
            json!({"OperatingSystemFamily": "LINUX", "CpuArchitecture": ecs})
        );
        assert_eq!(
            r["FunctionsCounterfactualLambda"]["Properties"]["Architectures"],
            json!([lambda])
        );
    }
}

#[test]
fn the_vpc_has_one_nat_gateway_and_an_s3_endpoint() {
    let t = template(&site(&shipped()));
    let r = &t["Resources"];
    assert_eq!(r["Vpc"]["Properties"]["CidrBlock"], "10.0.0.0/16");
    assert!(r.get("VpcPublicSubnet2NatGateway").is_none());
    assert_eq!(
        r["VpcPublicSubnet1NatGateway"]["Type"],
        "AWS::EC2::NatGateway"
    );
    assert_eq!(
        r["VpcS3Endpoint"]["Properties"]["VpcEndpointType"],
        "Gateway"
    );
}

/// Runs the app's command line as `main.rs` does, in `cwd`.
fn run_app(cwd: &Path, args: &[&str]) -> (u8, String, String) {
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_cwd(cwd);
    let mut shell = Shell::buffered();
    let argv = std::iter::once("streamlit").chain(args.iter().copied());
    let code = run_with(
        streamlit::app_spec(),
        argv,
        &env,
        &mut shell,
        streamlit::build,
    );
    (code, shell.stdout_text(), shell.stderr_text())
}

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("app-streamlit-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn the_context_picks_the_config_file_and_overrides_environment_and_platform() {
    let dir = temp_dir("context");
    let (code, out, err) = run_app(&dir, &["ls"]);
    assert_eq!((code, out.as_str()), (0, "StreamlitSite-dev\n"), "{err}");
    std::fs::write(dir.join("larger.json"), LARGER).unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = run_app(&dir, &["ls", "--context", "config=larger.json"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "StreamlitSite-staging\n"),
        "{err}"
    );
    let (code, out, err) = run_app(
        &dir,
        &[
            "synth",
            "--stdout",
            "-c",
            "environment=prod",
            "-c",
            "platform=arm64",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let t: Json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        t["Outputs"]["ApiUrl"]["Value"],
        "https://streamlit.example.com"
    );
    assert_eq!(
        t["Resources"]["SiteTaskDefinition"]["Properties"]["RuntimePlatform"]["CpuArchitecture"],
        "ARM64"
    );
    let (code, _, err) = run_app(&dir, &["ls", "-c", "platform=x86"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: context key `platform` is `x86` (from `--context`), which is not a valid `Platform`: expected `arm64` or `amd64`"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_bad_config_names_the_file_and_the_key_path_and_writes_nothing() {
    let dir = temp_dir("bad");
    let cases = [
        (
            LARGER.replace("\"timeout\": 1,", "\"timeout\": \"1\","),
            "error: config file `bad.json`, at `lambda_functions[1].timeout`: invalid type: string \"1\", expected u32 at line 21 column 20\n",
        ),
        (
            LARGER.replace("\"platform\": \"arm64\"", "\"platform\": \"arm\""),
            "error: config file `bad.json`, at `platform`: unknown variant `arm`, expected `arm64` or `amd64` at line 5 column 19\n",
        ),
        (
            LARGER.replace("\"endpoint_name\": \"summary\"", "\"endpoint_name\": \"sentiment-unmasking\""),
            "error: config file `bad.json`, at `sagemaker_endpoints[1].endpoint_name`: expected a name of its own; \
             `sentiment-unmasking` is also the name at `sagemaker_endpoints[0].endpoint_name`\n",
        ),
        (
            LARGER.replace("\"SUMMARY_MODEL\"", "\"WARMUP_LAMBDA\""),
            "error: config file `bad.json`, at `sagemaker_endpoints[1].environment_variable_name`: expected a variable \
             name of its own; `WARMUP_LAMBDA` is also set by `lambda_functions[1].environment_variable_name`\n",
        ),
        (
            LARGER.replace("\"environment\": \"staging\"", "\"environment\": \"Staging 2\"")
                .replace("\"s3:GetObject\"", "\"s3.GetObject\""),
            "error: config file `bad.json`, at `environment`: expected a DNS label (lower-case letters, digits and \
             inner hyphens, at most 63), found `Staging 2`\n\
             config file `bad.json`, at `ecs_policy_statements[0].actions[0]`: expected an IAM action such as \
             `sagemaker:InvokeEndpoint`, found `s3.GetObject`\n",
        ),
        (
            LARGER.replace("\"folder_name\": \"text_counterfactuals\"", "\"folder_name\": \"missing\""),
            "error: config file `bad.json`, at `lambda_functions[0].folder_name`: expected a folder with a \
             `Dockerfile`; `lambda_functions/missing/Dockerfile` does not exist\n",
        ),
        (
            LARGER.replace("\"model_name\": \"sshleifer/distilbart-cnn-12-6\"", "\"use_gpu\": true"),
            "error: config file `bad.json`, at `sagemaker_endpoints[1].use_gpu`: unknown field `use_gpu`, expected one of \
             `endpoint_type`, `environment_variable_name`, `endpoint_name`, `model_task`, `model_name`, \
             `model_data_url`, `serverless_config`, `image_tag` at line 39 column 15\n",
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(dir.join("bad.json"), &text).unwrap_or_else(|e| panic!("{e}"));
        let (code, out, err) = run_app(&dir, &["synth", "--context", "config=bad.json"]);
        assert_eq!(code, 1, "{out}");
        assert_eq!(err, expected);
        assert!(!dir.join("stack.out").exists());
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_pushed_image_replaces_the_site_asset() {
    let uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/streamlit-site:v7";
    let props = SiteProps {
        config: shipped(),
        image_uri: Some(uri.to_owned()),
    };
    let stack = StreamlitSite::new("StreamlitSite-dev", &props);
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        synthesized.assets.len(),
        1,
        "only the function's image is built"
    );
    let t = synthesized.template.to_json();
    assert_eq!(
        t["Resources"]["SiteTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"],
        uri
    );
    assert_eq!(
        grants(&t, "SiteExecutionRole")[1]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/streamlit-site"})
    );
}

#[test]
fn synthesis_is_deterministic() {
    assert_eq!(
        template_text(&site(&larger())),
        template_text(&site(&larger()))
    );
}

#[test]
fn streamlit_is_lint_clean() {
    tests::assert_lint_clean(&site(&shipped()));
    tests::assert_lint_clean(&site(&larger()));
}
