//! The Extralabs app (seed 004): golden templates of its six stacks, the wiring the seed
//! asks for (the invoke Lambda may pass only the EMR roles, the API's GET runs the presign
//! Lambda, the EMR cluster runs in the network stack's subnet), the references between
//! stacks, and cfn-lint. The app's command line is tested in `app_extralabs_cli.rs`.

mod common;

use std::collections::BTreeSet;

use common::{app, stack, STACKS};
use serde_json::{json, Value as Json};
use stack_core::App;

fn template(app: &App, name: &str) -> Json {
    stack(app, name)
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

fn resources(app: &App, name: &str) -> Json {
    template(app, name)["Resources"].clone()
}

fn import(name: &str) -> Json {
    json!({ "Fn::ImportValue": name })
}

/// Every statement of every policy of the role `role` in `resources`.
fn statements(resources: &Json, role: &str) -> Vec<Json> {
    resources[role]["Properties"]["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

/// A statement's actions, whether written as one string or a list.
fn actions(statement: &Json) -> Vec<String> {
    match &statement["Action"] {
        Json::String(a) => vec![a.clone()],
        Json::Array(list) => list
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// A statement's resources, whether written as one value or a list.
fn statement_resources(statement: &Json) -> Vec<Json> {
    match &statement["Resource"] {
        Json::Array(list) => list.clone(),
        other => vec![other.clone()],
    }
}

/// Every `Fn::ImportValue` name anywhere in `value`.
fn imports(value: &Json, found: &mut BTreeSet<String>) {
    match value {
        Json::Object(map) => {
            if let Some(Json::String(name)) = map.get("Fn::ImportValue") {
                found.insert(name.clone());
            }
            map.values().for_each(|v| imports(v, found));
        }
        Json::Array(items) => items.iter().for_each(|v| imports(v, found)),
        _ => {}
    }
}

/// The export names of a template's outputs, with the exported values.
fn exports(template: &Json) -> Vec<(String, Json)> {
    template["Outputs"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(_, o)| {
            o["Export"]["Name"]
                .as_str()
                .map(|n| (n.to_owned(), o["Value"].clone()))
        })
        .collect()
}

fn export_value(template: &Json, name: &str) -> Json {
    exports(template)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no export `{name}`"))
}

// Golden templates. Review a change with `cargo insta review` (or the `.snap.new` file)
// before accepting it.

fn golden(name: &str) -> String {
    stack(&app(), name)
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json_string()
}

#[test]
fn network_stack_template() {
    insta::assert_snapshot!("network_stack", golden("NetworkStack"));
}

#[test]
fn s3_stack_template() {
    insta::assert_snapshot!("s3_stack", golden("S3Stack"));
}

#[test]
fn ecr_stack_template() {
    insta::assert_snapshot!("ecr_stack", golden("ECRStack"));
}

#[test]
fn emr_stack_template() {
    insta::assert_snapshot!("emr_stack", golden("EMRStack"));
}

#[test]
fn invoke_stack_template() {
    insta::assert_snapshot!("invoke_stack", golden("InvokeStack"));
}

#[test]
fn api_gateway_stack_template() {
    insta::assert_snapshot!("api_gateway_stack", golden("ApiGatewayStack"));
}

#[test]
fn synthesis_is_deterministic() {
    for name in STACKS {
        assert_eq!(golden(name), golden(name), "{name}");
    }
}

// Wiring.

#[test]
fn the_invoke_lambda_may_pass_only_the_emr_roles() {
    let app = app();
    let invoke = resources(&app, "InvokeStack");
    let emr = template(&app, "EMRStack");

    // Every role of the invoke stack: PassRole appears only on the function's role, and
    // only on the two imported EMR role ARNs.
    let mut passed = Vec::new();
    for (id, resource) in invoke.as_object().into_iter().flatten() {
        if resource["Type"] != "AWS::IAM::Role" {
            continue;
        }
        for statement in statements(&invoke, id) {
            let actions = actions(&statement);
            assert!(
                !actions
                    .iter()
                    .any(|a| a == "*" || a == "iam:*" || a == "iam:Pass*"),
                "{statement}"
            );
            if actions.iter().any(|a| a == "iam:PassRole") {
                assert_eq!(actions, ["iam:PassRole"], "{statement}");
                assert_eq!(id, "InvokeServiceRole");
                passed.extend(statement_resources(&statement));
            }
        }
    }
    assert_eq!(
        passed,
        [
            import("EMRStack-ServiceRole-Arn"),
            import("EMRStack-JobFlowRole-Arn")
        ]
    );

    // Those exports are the ARNs of the two roles the EMR cluster runs with.
    assert_eq!(
        export_value(&emr, "EMRStack-ServiceRole-Arn"),
        json!({"Fn::GetAtt": ["ServiceRole", "Arn"]})
    );
    assert_eq!(
        export_value(&emr, "EMRStack-JobFlowRole-Arn"),
        json!({"Fn::GetAtt": ["JobFlowRole", "Arn"]})
    );
    let r = &emr["Resources"];
    let cluster = &r["Cluster"]["Properties"];
    assert_eq!(cluster["ServiceRole"], json!({"Ref": "ServiceRole"}));
    assert_eq!(cluster["JobFlowRole"], json!({"Ref": "InstanceProfile"}));
    assert_eq!(
        r["InstanceProfile"]["Properties"]["Roles"],
        json!([{"Ref": "JobFlowRole"}])
    );
    assert_eq!(
        r["ServiceRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "elasticmapreduce.amazonaws.com"})
    );
    assert_eq!(
        r["JobFlowRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "ec2.amazonaws.com"})
    );
    // The function starts clusters with those roles: the service role and the instance
    // profile holding the job-flow role, by name.
    let env = &invoke["Invoke"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["SERVICE_ROLE"], import("EMRStack-ServiceRole-Ref"));
    assert_eq!(
        export_value(&emr, "EMRStack-ServiceRole-Ref"),
        json!({"Ref": "ServiceRole"})
    );
    assert_eq!(env["JOB_FLOW_ROLE"], import("EMRStack-InstanceProfile-Ref"));
    assert_eq!(
        export_value(&emr, "EMRStack-InstanceProfile-Ref"),
        json!({"Ref": "InstanceProfile"})
    );
}

#[test]
fn the_invoke_lambda_may_start_only_clusters_tagged_for_the_project() {
    let invoke = resources(&app(), "InvokeStack");
    let run_job_flow: Vec<Json> = statements(&invoke, "InvokeServiceRole")
        .into_iter()
        .filter(|s| actions(s).contains(&"elasticmapreduce:RunJobFlow".to_owned()))
        .collect();
    assert_eq!(
        run_job_flow,
        [json!({
            "Effect": "Allow",
            "Action": "elasticmapreduce:RunJobFlow",
            "Resource": "*",
            "Condition": {"StringEquals": {"elasticmapreduce:RequestTag/project": "extralabs"}}
        })]
    );
    assert_eq!(
        invoke["Invoke"]["Properties"]["Environment"]["Variables"]["PROJECT"],
        "extralabs"
    );
    assert_eq!(invoke["Invoke"]["Properties"]["Handler"], "handler.handler");
    assert_eq!(invoke["Invoke"]["Properties"]["Runtime"], "python3.13");
}

#[test]
fn the_service_role_may_hand_only_the_job_flow_role_to_ec2() {
    let r = resources(&app(), "EMRStack");
    assert_eq!(
        statements(&r, "ServiceRole"),
        [
            json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::GetAtt": ["JobFlowRole", "Arn"]}})
        ]
    );
    let managed = r["ServiceRole"]["Properties"]["ManagedPolicyArns"].to_string();
    assert!(
        managed.contains("service-role/AmazonEMRServicePolicy_v2"),
        "{managed}"
    );
    // The job-flow role holds its grants and Session Manager access, nothing broader.
    let managed = r["JobFlowRole"]["Properties"]["ManagedPolicyArns"].to_string();
    assert_eq!(
        managed,
        json!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonSSMManagedInstanceCore"]]}]).to_string()
    );
    let job_flow = serde_json::to_string(&statements(&r, "JobFlowRole")).unwrap_or_default();
    for export in [
        "S3Stack-Uploads-Arn",
        "S3Stack-Scripts-Arn",
        "S3Stack-Results-Arn",
        "S3Stack-Logs-Arn",
        "ECRStack-Images-Arn",
    ] {
        assert!(job_flow.contains(export), "{export} in {job_flow}");
    }
}

#[test]
fn the_emr_cluster_runs_in_the_network_stacks_private_subnet_and_groups() {
    let app = app();
    let network = template(&app, "NetworkStack");
    let emr = resources(&app, "EMRStack");
    let instances = &emr["Cluster"]["Properties"]["Instances"];
    assert_eq!(
        instances["Ec2SubnetId"],
        import("NetworkStack-VpcPrivateSubnet1-Ref")
    );
    assert_eq!(
        export_value(&network, "NetworkStack-VpcPrivateSubnet1-Ref"),
        json!({"Ref": "VpcPrivateSubnet1"})
    );
    assert_eq!(
        network["Resources"]["VpcPrivateSubnet1"]["Properties"]["MapPublicIpOnLaunch"],
        false
    );
    for (property, group) in [
        ("EmrManagedMasterSecurityGroup", "EmrPrimary"),
        ("EmrManagedSlaveSecurityGroup", "EmrCore"),
        ("ServiceAccessSecurityGroup", "EmrServiceAccess"),
    ] {
        let export = format!("NetworkStack-{group}-GroupId");
        assert_eq!(instances[property], import(&export), "{property}");
        assert_eq!(
            export_value(&network, &export),
            json!({"Fn::GetAtt": [group, "GroupId"]})
        );
    }
    // The invoke Lambda starts its clusters in the same place.
    let env =
        resources(&app, "InvokeStack")["Invoke"]["Properties"]["Environment"]["Variables"].clone();
    assert_eq!(env["SUBNET_ID"], instances["Ec2SubnetId"]);
    assert_eq!(
        env["PRIMARY_SECURITY_GROUP"],
        instances["EmrManagedMasterSecurityGroup"]
    );
    assert_eq!(
        env["CORE_SECURITY_GROUP"],
        instances["EmrManagedSlaveSecurityGroup"]
    );
    assert_eq!(
        env["SERVICE_ACCESS_SECURITY_GROUP"],
        instances["ServiceAccessSecurityGroup"]
    );
    // Both carry the tag the EMR v2 service policy requires of the clusters; the network
    // stack's tag puts it on the subnets and groups.
    assert!(emr["Cluster"]["Properties"]["Tags"].as_array().is_some_and(
        |tags| tags.contains(&json!({"Key": extralabs::EMR_MANAGED_TAG, "Value": "true"}))
    ));
    let tags = &stack(&app, "NetworkStack")
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .tags;
    assert!(
        tags.iter()
            .any(|(k, v)| k == extralabs::EMR_MANAGED_TAG && v == "true"),
        "{tags:?}"
    );
}

#[test]
fn emr_security_groups_admit_each_other_only() {
    let r = resources(&app(), "NetworkStack");
    let group = |id: &str| json!({"Fn::GetAtt": [id, "GroupId"]});
    let mut rules: Vec<(Json, Json, String, i64, i64)> = Vec::new();
    for (_, resource) in r.as_object().into_iter().flatten() {
        let p = &resource["Properties"];
        match resource["Type"].as_str() {
            Some("AWS::EC2::SecurityGroupIngress") => rules.push((
                p["GroupId"].clone(),
                p["SourceSecurityGroupId"].clone(),
                p["IpProtocol"].as_str().unwrap_or_default().to_owned(),
                p["FromPort"].as_i64().unwrap_or_default(),
                p["ToPort"].as_i64().unwrap_or_default(),
            )),
            Some("AWS::EC2::SecurityGroupEgress") => rules.push((
                p["DestinationSecurityGroupId"].clone(),
                p["GroupId"].clone(),
                format!("egress {}", p["IpProtocol"].as_str().unwrap_or_default()),
                p["FromPort"].as_i64().unwrap_or_default(),
                p["ToPort"].as_i64().unwrap_or_default(),
            )),
            Some("AWS::EC2::SecurityGroup") => {
                // No group admits anything from an address range.
                assert!(p.get("SecurityGroupIngress").is_none(), "{resource}");
            }
            _ => {}
        }
    }
    let (primary, core, service) = (
        group("EmrPrimary"),
        group("EmrCore"),
        group("EmrServiceAccess"),
    );
    let mut expected = Vec::new();
    for to in [&primary, &core] {
        for from in [&primary, &core] {
            for (protocol, from_port, to_port) in
                [("tcp", 0, 65535), ("udp", 0, 65535), ("icmp", -1, -1)]
            {
                expected.push((
                    (*to).clone(),
                    (*from).clone(),
                    protocol.to_owned(),
                    from_port,
                    to_port,
                ));
            }
        }
        expected.push(((*to).clone(), service.clone(), "tcp".to_owned(), 8443, 8443));
        expected.push((
            (*to).clone(),
            service.clone(),
            "egress tcp".to_owned(),
            8443,
            8443,
        ));
    }
    expected.push((
        service.clone(),
        primary.clone(),
        "tcp".to_owned(),
        9443,
        9443,
    ));
    rules.sort_by_key(|r| format!("{r:?}"));
    expected.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(rules, expected);
    assert_eq!(
        r["EmrServiceAccess"]["Properties"]["SecurityGroupEgress"][0]["CidrIp"],
        "255.255.255.255/32",
        "the service access group reaches only the cluster"
    );
}

#[test]
fn the_api_get_method_returns_a_presigned_url_from_the_presign_lambda() {
    let r = resources(&app(), "ApiGatewayStack");
    let get = &r["ApiUploadGet"]["Properties"];
    assert_eq!(get["HttpMethod"], "GET");
    assert_eq!(get["ResourceId"], json!({"Ref": "ApiUpload"}));
    assert_eq!(r["ApiUpload"]["Properties"]["PathPart"], "upload");
    assert_eq!(get["Integration"]["Type"], "AWS_PROXY");
    assert_eq!(get["Integration"]["IntegrationHttpMethod"], "POST");
    let uri = get["Integration"]["Uri"].to_string();
    assert!(uri.contains(r#"{"Fn::GetAtt":["Presign","Arn"]}"#), "{uri}");
    let permission = &r["ApiUploadGetPermission"]["Properties"];
    assert_eq!(
        permission["FunctionName"],
        json!({"Fn::GetAtt": ["Presign", "Arn"]})
    );
    assert!(
        permission["SourceArn"]
            .to_string()
            .ends_with(r#""/GET/upload"]]}"#),
        "{}",
        permission["SourceArn"]
    );
    // The presign Lambda may put objects into the uploads bucket and do nothing else.
    assert_eq!(
        statements(&r, "PresignServiceRole"),
        [json!({
            "Effect": "Allow",
            "Action": ["s3:AbortMultipartUpload", "s3:PutObject"],
            "Resource": {"Fn::Join": ["", [import("S3Stack-Uploads-Arn"), "/*"]]}
        })]
    );
    let env = &r["Presign"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["UPLOAD_BUCKET"], import("S3Stack-Uploads-Ref"));
}

#[test]
fn the_upload_bucket_accepts_browser_puts() {
    let r = resources(&app(), "S3Stack");
    let rule = &r["Uploads"]["Properties"]["CorsConfiguration"]["CorsRules"][0];
    assert_eq!(rule["AllowedMethods"], json!(["PUT"]));
    for bucket in ["Uploads", "Scripts", "Results", "Logs"] {
        assert_eq!(r[bucket]["DeletionPolicy"], "Retain", "{bucket}");
        assert_eq!(
            r[bucket]["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"], true,
            "{bucket}"
        );
        assert_eq!(
            r[format!("{bucket}Policy")]["Properties"]["PolicyDocument"]["Statement"][0]
                ["Condition"],
            json!({"Bool": {"aws:SecureTransport": "false"}}),
            "{bucket}"
        );
    }
}

#[test]
fn every_import_is_an_export_of_a_stack_the_consumer_depends_on() {
    let app = app();
    let templates: Vec<(String, Json)> = STACKS
        .iter()
        .map(|name| ((*name).to_owned(), template(&app, name)))
        .collect();
    for (consumer, consumer_template) in &templates {
        let mut names = BTreeSet::new();
        imports(consumer_template, &mut names);
        let dependencies = stack(&app, consumer).dependencies().to_vec();
        for name in names {
            let producers: Vec<&String> = templates
                .iter()
                .filter(|(_, t)| exports(t).iter().any(|(n, _)| *n == name))
                .map(|(p, _)| p)
                .collect();
            assert_eq!(producers.len(), 1, "`{name}` imported by {consumer}");
            assert!(
                dependencies.contains(producers[0]),
                "{consumer} imports `{name}` from {} but does not depend on it",
                producers[0]
            );
        }
    }
}

#[test]
fn consumers_import_what_the_seed_passes_between_stacks() {
    let app = app();
    let env =
        resources(&app, "InvokeStack")["Invoke"]["Properties"]["Environment"]["Variables"].clone();
    for (var, export) in [
        ("INPUT_BUCKET", "S3Stack-Uploads-Ref"),
        ("SCRIPTS_BUCKET", "S3Stack-Scripts-Ref"),
        ("OUTPUT_BUCKET", "S3Stack-Results-Ref"),
        ("LOG_BUCKET", "S3Stack-Logs-Ref"),
        ("IMAGE_REPOSITORY", "ECRStack-Images-RepositoryUri"),
    ] {
        assert_eq!(env[var], import(export), "{var}");
    }
    let s3 = template(&app, "S3Stack");
    assert_eq!(
        export_value(&s3, "S3Stack-Uploads-Ref"),
        json!({"Ref": "Uploads"})
    );
    assert_eq!(
        export_value(&s3, "S3Stack-Logs-Ref"),
        json!({"Ref": "Logs"})
    );
    assert_eq!(
        export_value(&template(&app, "ECRStack"), "ECRStack-Images-RepositoryUri"),
        json!({"Fn::GetAtt": ["Images", "RepositoryUri"]})
    );
    let cluster = &resources(&app, "EMRStack")["Cluster"]["Properties"];
    assert_eq!(
        cluster["LogUri"],
        json!({"Fn::Join": ["", ["s3://", import("S3Stack-Logs-Ref"), "/emr/"]]})
    );
    // Producers hold no imports: the network, storage and registry stacks stand alone.
    for producer in ["NetworkStack", "S3Stack", "ECRStack"] {
        let mut names = BTreeSet::new();
        imports(&template(&app, producer), &mut names);
        assert!(names.is_empty(), "{producer} imports {names:?}");
    }
}

#[test]
fn stacks_depend_on_the_stacks_they_use() {
    let app = app();
    let dependencies: Vec<(&str, BTreeSet<&str>)> = app
        .stacks()
        .map(|s| {
            (
                s.stack_name(),
                s.dependencies().iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let set = |names: &[&'static str]| names.iter().copied().collect::<BTreeSet<&str>>();
    assert_eq!(
        dependencies,
        [
            ("NetworkStack", set(&[])),
            ("S3Stack", set(&[])),
            ("ECRStack", set(&[])),
            ("EMRStack", set(&["NetworkStack", "S3Stack", "ECRStack"])),
            (
                "InvokeStack",
                set(&["NetworkStack", "S3Stack", "ECRStack", "EMRStack"])
            ),
            ("ApiGatewayStack", set(&["S3Stack"])),
        ]
    );
}

#[test]
fn every_template_is_lint_clean() {
    for stack in app().stacks() {
        tests::assert_lint_clean(stack);
    }
}
