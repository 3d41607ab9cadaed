//! Bucket notifications in a `stack!` block: one bucket notifying a topic, a queue and a
//! function, with key filters. The template has no dependency cycle and no physical bucket
//! name, and lints clean; the handler that sets the notifications runs for real against
//! moto's S3, keeping a notification set by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// Uploaded images announced on a topic, removals queued, reports processed.
    pub stack Uploads {
        resource uploads: Bucket {
            removal_policy: RemovalPolicy::Destroy,
            auto_delete_objects: true,
        }
        resource orders: Topic;
        resource jobs: Queue { removal_policy: RemovalPolicy::Destroy }
        resource worker: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource images_to_orders: BucketNotification {
            bucket: uploads,
            destination: orders,
            events: [EventType::ObjectCreated],
            prefix: "incoming/",
            suffix: ".jpg",
        }
        resource removals_to_jobs: BucketNotification {
            bucket: uploads,
            destination: jobs,
            events: [EventType::ObjectRemoved],
        }
        resource reports_to_worker: BucketNotification {
            bucket: uploads,
            destination: worker,
            events: [EventType::ObjectCreatedPut, EventType::ObjectCreatedCompleteMultipartUpload],
            prefix: "reports/",
            suffix: ".csv",
        }

        output bucket_name = uploads.name;
    }
}

fn template() -> Json {
    let stack = Uploads::new("Uploads");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

/// The logical IDs a template value refers to: `Ref`, `Fn::GetAtt` and `${...}` in
/// `Fn::Sub`, pseudo parameters left out.
fn references(value: &Json, out: &mut BTreeSet<String>) {
    match value {
        Json::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Json::String(id)) => {
                        out.insert(id.clone());
                    }
                    ("Fn::GetAtt", Json::Array(parts)) => {
                        if let Some(id) = parts.first().and_then(Json::as_str) {
                            out.insert(id.to_owned());
                        }
                    }
                    ("Fn::Sub", Json::String(text)) => {
                        for piece in text.split("${").skip(1) {
                            let name = piece.split(['}', '.']).next().unwrap_or_default();
                            out.insert(name.to_owned());
                        }
                    }
                    _ => references(inner, out),
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

/// An order CloudFormation can create the resources in, or the resources caught in a
/// cycle.
fn creation_order(resources: &Json) -> Result<Vec<String>, Vec<String>> {
    let resources = resources.as_object().cloned().unwrap_or_default();
    let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, resource) in &resources {
        let mut on = BTreeSet::new();
        references(resource, &mut on);
        match &resource["DependsOn"] {
            Json::String(d) => {
                on.insert(d.clone());
            }
            Json::Array(ds) => on.extend(ds.iter().filter_map(Json::as_str).map(str::to_owned)),
            _ => {}
        }
        on.retain(|d| resources.contains_key(d));
        needs.insert(id.clone(), on);
    }
    let mut order = Vec::new();
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, on)| on.iter().all(|d| order.contains(d)))
            .map(|(id, _)| id.clone())
            .collect();
        if ready.is_empty() {
            return Err(needs.into_keys().collect());
        }
        for id in ready {
            needs.remove(&id);
            order.push(id);
        }
    }
    Ok(order)
}

#[test]
fn notifications_form_no_cycle_and_leave_the_bucket_name_generated() {
    let template = template();
    let r = &template["Resources"];
    let order = creation_order(r).unwrap_or_else(|cycle| panic!("cycle among {cycle:?}"));
    let at = |id: &str| {
        order
            .iter()
            .position(|o| o == id)
            .unwrap_or_else(|| panic!("no resource `{id}`"))
    };
    let custom = at("UploadsNotifications");
    for before in [
        "Uploads",
        "OrdersPolicy",
        "JobsPolicy",
        "ReportsToWorkerPermission",
        "StackBucketNotificationsHandler",
    ] {
        assert!(
            at(before) < custom,
            "`{before}` comes after the notifications"
        );
    }
    let bucket = &r["Uploads"]["Properties"];
    assert!(bucket.get("BucketName").is_none(), "{bucket:#}");
    assert!(
        bucket.get("NotificationConfiguration").is_none(),
        "{bucket:#}"
    );
    // The bucket keeps its defaults: TLS-only policy, auto-delete.
    assert_eq!(
        r["UploadsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"],
        json!({"Bool": {"aws:SecureTransport": "false"}})
    );
    assert_eq!(
        r["UploadsAutoDeleteObjects"]["Type"],
        "Custom::S3AutoDeleteObjects"
    );
}

#[test]
fn each_destination_gets_a_permission_scoped_to_the_bucket() {
    let template = template();
    let r = &template["Resources"];
    let custom = &r["UploadsNotifications"];
    assert_eq!(custom["Type"], "Custom::S3BucketNotifications");
    assert_eq!(
        custom["DependsOn"],
        json!(["OrdersPolicy", "JobsPolicy", "ReportsToWorkerPermission"])
    );
    let p = &custom["Properties"];
    assert_eq!(p["BucketName"], json!({"Ref": "Uploads"}));
    assert_eq!(
        p["TopicConfigurations"][0]["Filter"]["Key"]["FilterRules"],
        json!([{"Name": "prefix", "Value": "incoming/"}, {"Name": "suffix", "Value": ".jpg"}])
    );
    assert_eq!(p["QueueConfigurations"][0]["Id"], "stack:RemovalsToJobs");
    assert_eq!(
        p["LambdaFunctionConfigurations"][0]["Events"],
        json!([
            "s3:ObjectCreated:Put",
            "s3:ObjectCreated:CompleteMultipartUpload"
        ])
    );
    let source_arn = json!({"Fn::GetAtt": ["Uploads", "Arn"]});
    for (policy, action) in [
        ("OrdersPolicy", "sns:Publish"),
        ("JobsPolicy", "sqs:SendMessage"),
    ] {
        let statements = &r[policy]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(statements[1]["Action"], action);
        assert_eq!(
            statements[1]["Principal"],
            json!({"Service": "s3.amazonaws.com"})
        );
        assert_eq!(
            statements[1]["Condition"]["ArnLike"]["aws:SourceArn"],
            source_arn
        );
    }
    let permission = &r["ReportsToWorkerPermission"]["Properties"];
    assert_eq!(permission["SourceArn"], source_arn);
    assert_eq!(
        permission["SourceAccount"],
        json!({"Ref": "AWS::AccountId"})
    );
}

#[test]
fn notifications_are_lint_clean() {
    tests::assert_lint_clean(&Uploads::new("Uploads"));
}

/// A moto server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts `$MOTO_SERVER`; without it the test fails, since skipping would pass.
    fn start() -> (Self, PathBuf) {
        let server = std::env::var_os("MOTO_SERVER").map(PathBuf::from).unwrap_or_else(|| {
            panic!("set MOTO_SERVER to a moto_server whose directory holds a python with boto3 (`cargo xtask test` does)")
        });
        assert!(
            server.is_file(),
            "MOTO_SERVER `{}` is no file",
            server.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", server.display()));
        let moto = Self { child, port };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < StdDuration::from_secs(60),
                "moto did not answer on port {port}"
            );
            std::thread::sleep(StdDuration::from_millis(50));
        }
        (moto, server.with_file_name("python"))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The handler's inline source, from the synthesized template: what Lambda would run.
fn handler_source() -> String {
    let template = template();
    let code = &template["Resources"]["StackBucketNotificationsHandler"]["Properties"]["Code"];
    code["ZipFile"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_handler_keeps_foreign_notifications_against_moto() {
    let (moto, python) = Moto::start();
    let dir = std::env::temp_dir().join(format!("stack-notifications-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("index.py"), handler_source()).unwrap_or_else(|e| panic!("{e}"));
    let driver = tests::workspace_root().join("tests/tests/fixtures/s3/notifications-driver.py");
    let output = Command::new(&python)
        .arg(&driver)
        .arg(&dir)
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", moto.port),
        )
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_REGION", "us-east-1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", python.display()));
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the driver failed:\n{stdout}\n{stderr}"
    );
    let results: Json = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    let success = json!({"Status": "SUCCESS", "PhysicalResourceId": "uploads", "Reason": null});
    let by_hand = json!(["by-hand"]);

    assert_eq!(results["create"], success, "{stdout}");
    assert_eq!(
        results["after_create"],
        json!({"QueueConfigurations": by_hand, "TopicConfigurations": ["stack:Jpg", "stack:Png"]})
    );
    let filter = &results["jpg_filter"][0]["Key"]["FilterRules"][0];
    assert_eq!(filter["Value"], "jpg/", "{filter}");

    assert_eq!(results["update"], success);
    assert_eq!(
        results["after_update"],
        json!({"QueueConfigurations": by_hand, "TopicConfigurations": ["stack:Gif"]})
    );

    assert_eq!(results["delete"], success);
    assert_eq!(
        results["after_delete"],
        json!({"QueueConfigurations": by_hand})
    );

    let failed = &results["failed_create"];
    assert_eq!(failed["Status"], "FAILED", "{failed}");
    let reason = failed["Reason"].as_str().unwrap_or_default();
    assert!(reason.contains("NoSuchBucket"), "{reason}");
    // The rollback's delete of a bucket that never existed succeeds.
    assert_eq!(results["rollback_delete"]["Status"], "SUCCESS");
}
