//! The Orders app: its golden template, the wiring of the pipeline (uploads announced on
//! the topic only once the topic lets S3 publish, the queue and the table feeding their
//! functions, the nightly state machine invoking only `report`), and cfn-lint.

use orders::{Orders, STACK_NAME};
use serde_json::{json, Value as Json};
use stack_core::Stack;

fn template() -> Json {
    Orders::new(STACK_NAME)
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

#[test]
fn orders_template() {
    let text = Orders::new(STACK_NAME)
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json_string();
    insta::assert_snapshot!("orders", text);
}

#[test]
fn uploads_under_incoming_reach_the_topic_once_the_topic_lets_s3_publish() {
    let t = template();
    let r = &t["Resources"];
    let buckets = resources_of_type(&t, "AWS::S3::Bucket");
    assert_eq!(buckets.len(), 1);
    let (id, bucket) = buckets[0];
    assert_eq!(id, "Uploads");
    assert!(
        bucket["Properties"].get("BucketName").is_none(),
        "the bucket must get a generated name: {bucket}"
    );
    assert_eq!(bucket["DeletionPolicy"], "Delete");
    assert_eq!(
        r["UploadsAutoDeleteObjects"]["Type"],
        "Custom::S3AutoDeleteObjects"
    );
    let notifications = &r["UploadsNotifications"];
    assert_eq!(notifications["Type"], "Custom::S3BucketNotifications");
    assert_eq!(notifications["DependsOn"], "UploadedPolicy");
    assert_eq!(
        notifications["Properties"]["TopicConfigurations"],
        json!([{
            "Id": "stack:AnnounceUploads",
            "TopicArn": {"Ref": "Uploaded"},
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}}
        }])
    );
    let publish = &r["UploadedPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
    assert_eq!(publish["Action"], "sns:Publish");
    assert_eq!(publish["Principal"], json!({"Service": "s3.amazonaws.com"}));
    assert_eq!(
        publish["Condition"]["ArnLike"]["aws:SourceArn"],
        json!({"Fn::GetAtt": ["Uploads", "Arn"]})
    );
}

#[test]
fn the_topic_feeds_the_queue_raw_and_the_queue_feeds_ingest_in_batches_of_ten() {
    let t = template();
    let r = &t["Resources"];
    let subscription = &r["UploadedToInbox"];
    assert_eq!(
        subscription["Properties"],
        json!({
            "Endpoint": {"Fn::GetAtt": ["Inbox", "Arn"]},
            "Protocol": "sqs",
            "RawMessageDelivery": true,
            "TopicArn": {"Ref": "Uploaded"}
        })
    );
    assert_eq!(subscription["DependsOn"], "InboxPolicy");
    assert_eq!(
        r["Inbox"]["Properties"]["RedrivePolicy"],
        json!({"deadLetterTargetArn": {"Fn::GetAtt": ["Failed", "Arn"]}, "maxReceiveCount": 3})
    );
    let mappings = resources_of_type(&t, "AWS::Lambda::EventSourceMapping");
    let ids: Vec<&str> = mappings.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, ["InboxToIngest", "OrderChanges"]);
    assert_eq!(
        r["InboxToIngest"]["Properties"],
        json!({
            "BatchSize": 10,
            "EventSourceArn": {"Fn::GetAtt": ["Inbox", "Arn"]},
            "FunctionName": {"Ref": "Ingest"},
            "FunctionResponseTypes": ["ReportBatchItemFailures"]
        })
    );
    let ingest = &r["Ingest"]["Properties"];
    assert_eq!(
        ingest["Environment"]["Variables"],
        json!({"TABLE_NAME": {"Ref": "Orders"}})
    );
    // Lambda's advice: a queue's visibility timeout at least six times the function's.
    let visibility = r["Inbox"]["Properties"]["VisibilityTimeout"].as_u64();
    let timeout = ingest["Timeout"].as_u64();
    assert!(
        matches!((visibility, timeout), (Some(v), Some(f)) if v >= 6 * f),
        "{visibility:?} {timeout:?}"
    );
}

/// The statements of `role`'s grants policy.
fn statements(r: &Json, role: &str) -> Vec<Json> {
    r[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn ingest_writes_the_table_whose_changes_reach_notify_and_failures_the_dlq() {
    let t = template();
    let r = &t["Resources"];
    assert_eq!(
        r["Orders"]["Properties"]["StreamSpecification"],
        json!({"StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    let ingest = statements(r, "IngestServiceRole");
    let on_table: Vec<&Json> = ingest
        .iter()
        .filter(|s| s["Resource"] == json!({"Fn::GetAtt": ["Orders", "Arn"]}))
        .collect();
    assert_eq!(on_table.len(), 1, "{ingest:?}");
    let actions = on_table[0]["Action"].to_string();
    assert!(actions.contains("dynamodb:PutItem"), "{actions}");
    let changes = &r["OrderChanges"]["Properties"];
    assert_eq!(
        changes["EventSourceArn"],
        json!({"Fn::GetAtt": ["Orders", "StreamArn"]})
    );
    assert_eq!(changes["FunctionName"], json!({"Ref": "Notify"}));
    assert_eq!(changes["StartingPosition"], "TRIM_HORIZON");
    assert_eq!(
        changes["DestinationConfig"],
        json!({"OnFailure": {"Destination": {"Fn::GetAtt": ["Failed", "Arn"]}}})
    );
    let notify = statements(r, "NotifyServiceRole");
    assert!(notify.contains(&json!({
        "Effect": "Allow",
        "Action": "sqs:SendMessage",
        "Resource": {"Fn::GetAtt": ["Failed", "Arn"]}
    })));
    assert!(
        !json!(notify).to_string().contains("dynamodb:PutItem"),
        "notify only reads the stream: {notify:?}"
    );
    let report = json!(statements(r, "ReportServiceRole")).to_string();
    assert!(report.contains("dynamodb:Scan"), "{report}");
    assert!(!report.contains("dynamodb:PutItem"), "{report}");
}

#[test]
fn a_nightly_rule_starts_the_state_machine_whose_role_invokes_only_report() {
    let t = template();
    let r = &t["Resources"];
    let rule = &r["Nightly"]["Properties"];
    assert_eq!(rule["ScheduleExpression"], "cron(0 2 * * ? *)");
    assert_eq!(
        rule["Targets"],
        json!([{
            "Arn": {"Ref": "NightlyReport"},
            "Id": "Target0",
            "Input": "{\"kinds\":[\"csv\",\"json\"]}",
            "RoleArn": {"Fn::GetAtt": ["NightlyEventsRole", "Arn"]}
        }])
    );
    assert_eq!(
        statements(r, "NightlyReportRole"),
        [json!({
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [
                {"Fn::GetAtt": ["Report", "Arn"]},
                {"Fn::Sub": "${Report.Arn}:*"}
            ]
        })]
    );
    let text = r["NightlyReport"]["Properties"]["DefinitionString"]["Fn::Sub"]
        .as_str()
        .unwrap_or_else(|| panic!("no Fn::Sub definition"))
        .replace("${Report.Arn}", "arn:aws:lambda:::function:Report");
    let flow: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let states = &flow["States"];
    assert_eq!(flow["StartAt"], "Any kinds?");
    assert_eq!(states["Any kinds?"]["Type"], "Choice");
    assert_eq!(
        states["Any kinds?"]["Choices"],
        json!([{"Variable": "$.kinds", "IsPresent": true, "Next": "Count each kind"}])
    );
    assert_eq!(states["Any kinds?"]["Default"], "Nothing to count");
    let map = &states["Count each kind"];
    assert_eq!(map["Type"], "Map");
    assert_eq!(map["ItemsPath"], "$.kinds");
    assert_eq!(
        map["ItemProcessor"]["States"]["Count"]["Resource"],
        "arn:aws:lambda:::function:Report"
    );
    assert_eq!(states["Nothing to count"]["Type"], "Fail");
}

#[test]
fn the_outputs_name_each_entry_point() {
    let t = template();
    assert_eq!(
        t["Outputs"],
        json!({
            "BucketName": {
                "Description": "The bucket to upload orders to, under `incoming/`.",
                "Value": {"Ref": "Uploads"}
            },
            "TopicArn": {
                "Description": "The topic that announces each upload.",
                "Value": {"Ref": "Uploaded"}
            },
            "QueueUrl": {
                "Description": "The queue the ingest function reads.",
                "Value": {"Ref": "Inbox"}
            },
            "TableName": {
                "Description": "The table of recorded uploads.",
                "Value": {"Ref": "Orders"}
            },
            "StateMachineArn": {
                "Description": "The state machine that counts the uploads every night.",
                "Value": {"Ref": "NightlyReport"}
            }
        })
    );
}

#[test]
fn the_handlers_fit_inline_and_are_python() {
    let t = template();
    for (id, code) in [
        ("Ingest", orders::INGEST_CODE),
        ("Notify", orders::NOTIFY_CODE),
        ("Report", orders::REPORT_CODE),
    ] {
        let function = &t["Resources"][id]["Properties"];
        assert_eq!(function["Code"]["ZipFile"], code);
        assert_eq!(function["Runtime"], "python3.12");
        assert!(
            code.len() <= 4096,
            "{id}: ZipFile holds at most 4096 characters"
        );
        assert!(code.contains("def handler(event, context):"), "{id}");
    }
}

#[test]
fn orders_is_lint_clean() {
    tests::assert_lint_clean(&Orders::new(STACK_NAME));
}
