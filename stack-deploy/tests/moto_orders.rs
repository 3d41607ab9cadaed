//! The Orders app (`apps/orders`) deployed, updated and destroyed against moto, its two
//! Lambda-backed custom resources answered by their own handlers.
//!
//! moto creates a `Custom::` resource by invoking the function behind `ServiceToken` in a
//! thread, with the CloudFormation request as the event, and keeps the stack in
//! `CREATE_IN_PROGRESS` until the handler PUTs its answer to the event's `ResponseURL`
//! (`moto/cloudformation/custom_model.py`). It runs functions in Docker; there is none
//! here, so moto is pointed (`DOCKER_HOST`) at `tests/fixtures/lambda-engine.py`, which
//! answers the Docker Engine API calls moto makes and runs each function's code as a local
//! Python process against moto. The handlers in the template are the project's own code,
//! so what runs is what the stack ships.
//!
//! moto 5.2.5 sends only `Create`: `CustomModel` has neither `update_from_cloudformation_json`
//! nor `delete_from_cloudformation_json` (both are abstract in `CloudFormationModel`), so a
//! custom resource whose properties change is dropped from the stack without an invocation
//! (`parsing.py`, `parse_and_update_resource`), and deleting the stack invokes nothing
//! (`parse_and_delete_resource`). The test asserts those gaps as what moto does.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{moto_server, run_app, Moto, Outcome, TempDir};
use orders::{Orders, STACK_NAME};
use serde_json::{json, Value as Json};
use stack_app::{BuildError, Context, Env, Shell};
use stack_core::{App, Expr, Stack, Synthesized};
use stack_deploy::AwsOverrides;

/// How long one deploy or destroy may take; the first pays for moto's imports and the
/// handlers' Python start-up, and takes a few seconds here.
const DEADLINE: Duration = Duration::from_secs(180);

/// The Orders app; with the context `version=2`, its next version: the inbox's visibility
/// timeout doubled (an in-place queue update) and the uploads announced under `uploads/`
/// instead of `incoming/` (a change of the `Custom::S3BucketNotifications` properties, for
/// which CloudFormation sends the handler an `Update`).
fn orders_app(ctx: &Context) -> Result<App, BuildError> {
    let stack = Orders::new(STACK_NAME);
    if ctx.get_or("version", "1") == "1" {
        return Ok(App::new().stack(stack));
    }
    let mut next: Synthesized = stack.synthesized().unwrap().clone();
    set(
        properties(&mut next, "Inbox"),
        &["VisibilityTimeout"],
        json!(360),
    );
    set(
        properties(&mut next, "UploadsNotifications"),
        &[
            "TopicConfigurations",
            "0",
            "Filter",
            "Key",
            "FilterRules",
            "0",
            "Value",
        ],
        json!("uploads/"),
    );
    Ok(App::new().stack(common::TestStack {
        name: STACK_NAME.to_owned(),
        result: Ok(next),
    }))
}

/// The `Properties` of resource `id`.
fn properties<'a>(synthesized: &'a mut Synthesized, id: &str) -> &'a mut Expr {
    &mut synthesized
        .template
        .resources
        .iter_mut()
        .find(|(logical, _)| logical == id)
        .unwrap_or_else(|| panic!("no resource `{id}`"))
        .1
        .properties
}

/// Sets the value at `path` (object keys and list indexes) under `expr` to `value`.
fn set(expr: &mut Expr, path: &[&str], value: Json) {
    match (expr, path) {
        (expr, []) => *expr = Expr::Json(value),
        (Expr::Map(entries), [key, rest @ ..]) => {
            let (_, inner) = entries.iter_mut().find(|(k, _)| k == key).unwrap();
            set(inner, rest, value);
        }
        (Expr::List(items), [index, rest @ ..]) => {
            set(&mut items[index.parse::<usize>().unwrap()], rest, value);
        }
        (Expr::Json(json), path) => {
            *json.pointer_mut(&format!("/{}", path.join("/"))).unwrap() = value;
        }
        (other, path) => panic!("no `{}` in {other:?}", path.join(".")),
    }
}

/// `tests/fixtures/lambda-engine.py` on a free loopback port, stopped when dropped.
struct LambdaEngine {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl LambdaEngine {
    fn start(dir: &Path) -> Self {
        let log = dir.join("invocations.jsonl");
        let mut child = Command::new(python())
            .arg(fixture("lambda-engine.py"))
            .arg(&log)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        // The engine prints its port once it listens; a failed start closes stdout.
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port = first
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("lambda-engine.py did not start: {first:?}"));
        Self { child, port, log }
    }

    /// Each function run moto started, in order (`phase`, function, handler, event), and
    /// each it waited for (with exit `status`, `stdout` and `stderr`).
    fn log(&self) -> Vec<Json> {
        fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// How many function runs moto started.
    fn started(&self) -> usize {
        self.log()
            .iter()
            .filter(|e| e["phase"] == "started")
            .count()
    }

    /// The function runs moto started, once all have finished. A handler answers moto
    /// before its process exits, so the stack can be complete a moment before that.
    fn finished(&self) -> Vec<Json> {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let log = self.log();
            let finished: Vec<Json> = log
                .iter()
                .filter(|e| e["phase"] == "finished")
                .cloned()
                .collect();
            if finished.len() == log.len() - finished.len() {
                return finished;
            }
            assert!(
                Instant::now() < deadline,
                "function runs still unfinished after {DEADLINE:?}: {log:#?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for LambdaEngine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The moto venv's Python, which has boto3.
fn python() -> PathBuf {
    moto_server().with_file_name("python")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `tests/fixtures/orders-state.py` run against `moto` with `args`, its JSON answer.
fn state(moto: &Moto, args: &[&str]) -> Json {
    let output = Command::new(python())
        .arg(fixture("orders-state.py"))
        .args(args)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "orders-state.py {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs the orders command line with `args`, failing the test (with what moto invoked so
/// far) if it has not finished within [`DEADLINE`]: a custom resource nobody answers
/// keeps the stack in `CREATE_IN_PROGRESS` for ever.
fn orders(env: &Env, engine: &LambdaEngine, args: &[&str]) -> Outcome {
    let (env, args_owned) = (
        env.clone(),
        args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>(),
    );
    let (done, outcome) = mpsc::channel();
    std::thread::spawn(move || {
        let args: Vec<&str> = args_owned.iter().map(String::as_str).collect();
        let o = AwsOverrides::new().poll_interval(Duration::from_millis(100));
        let _ = done.send(run_app(
            "orders",
            &env,
            &o,
            Shell::buffered(),
            &args,
            orders_app,
        ));
    });
    outcome.recv_timeout(DEADLINE).unwrap_or_else(|_| {
        panic!(
            "`orders {}` did not finish within {DEADLINE:?}; the functions moto ran: {:#?}",
            args.join(" "),
            engine.log()
        )
    })
}

#[test]
fn orders_deploys_updates_and_destroys_with_its_custom_resources_answered() {
    let dir = TempDir::new("orders");
    let engine = LambdaEngine::start(dir.path());
    // MOTO_PORT: the port moto gives its functions (endpoint and `ResponseURL`).
    let moto = Moto::start_with(|port| {
        vec![
            ("MOTO_PORT", port.to_string()),
            ("DOCKER_HOST", format!("tcp://127.0.0.1:{}", engine.port)),
        ]
    });
    let env = moto.env(dir.path());
    let deploy = [
        "deploy",
        "--method",
        "direct",
        "--require-approval",
        "never",
    ];

    // Create: the stack completes only once both handlers have answered moto.
    let created = orders(&env, &engine, &deploy);
    assert_eq!(created.code, 0, "{}", created.err);
    assert!(
        created.err.contains("[1/1] Orders: created"),
        "{}",
        created.err
    );
    let invocations = engine.finished();
    let mut answered: Vec<(&str, &str)> = invocations
        .iter()
        .map(|i| {
            assert_eq!(i["status"], 0, "{i:#}");
            assert!(
                i["stdout"].as_str().unwrap().contains("response sent: 200"),
                "{i:#}"
            );
            let event = &i["event"];
            assert!(
                event["ResponseURL"].as_str().unwrap().contains(&format!(
                    ":{}/cloudformation_us-east-1/cfnresponse?stack=arn:aws:cloudformation:",
                    moto.port
                )),
                "{event:#}"
            );
            (
                event["RequestType"].as_str().unwrap(),
                event["LogicalResourceId"].as_str().unwrap(),
            )
        })
        .collect();
    answered.sort_unstable();
    assert_eq!(
        answered,
        [
            ("Create", "UploadsAutoDeleteObjects"),
            ("Create", "UploadsNotifications")
        ]
    );

    let deployed = state(&moto, &["deployed", STACK_NAME]);
    assert_eq!(deployed["status"], "CREATE_COMPLETE");
    let ids = &deployed["resources"];
    let arn = |service: &str, id: &str| {
        let name = ids[id]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        format!("arn:aws:{service}:us-east-1:123456789012:{name}")
    };
    // moto skips the bucket, topic and queue policies and the subscription (no CloudFormation
    // support for their types): 28 of the 33 resources exist, the 5 others are blank rows.
    assert_eq!(ids.as_object().unwrap().len(), 28, "{ids:#}");
    assert_eq!(deployed["blank_rows"], 5);
    for skipped in [
        "UploadsPolicy",
        "UploadedPolicy",
        "InboxPolicy",
        "FailedPolicy",
        "UploadedToInbox",
    ] {
        assert!(ids.get(skipped).is_none(), "{skipped}");
    }
    assert_eq!(deployed["subscriptions"], json!([]));

    // The notification, as the handler set it from the custom resource's properties.
    assert_eq!(
        deployed["notification"],
        json!({
            "TopicConfigurations": [{
                "Id": "stack:AnnounceUploads",
                "TopicArn": ids["Uploaded"],
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}},
            }]
        })
    );
    assert_eq!(
        deployed["bucket_tags"],
        json!([{"Key": "stack:auto-delete-objects", "Value": "true"}])
    );

    let failed_arn = arn("sqs", "Failed");
    let inbox = &deployed["queues"]["Inbox"];
    assert_eq!(inbox["VisibilityTimeout"], "180");
    let redrive: Json = serde_json::from_str(inbox["RedrivePolicy"].as_str().unwrap()).unwrap();
    assert_eq!(
        redrive,
        json!({"deadLetterTargetArn": failed_arn, "maxReceiveCount": 3})
    );
    assert_eq!(
        deployed["queues"]["Failed"]["MessageRetentionPeriod"],
        "1209600"
    );

    assert_eq!(
        deployed["stream"]["spec"],
        json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    let stream_arn = deployed["stream"]["arn"].as_str().unwrap();
    assert!(stream_arn.contains(&format!(
        "table/{}/stream/",
        ids["Orders"].as_str().unwrap()
    )));
    let function_arn = |id: &str| arn("lambda", id).replace(":Orders-", ":function:Orders-");
    let mut mappings = deployed["mappings"].as_array().unwrap().clone();
    mappings.sort_by_key(|m| m["BatchSize"].as_i64());
    assert_eq!(
        mappings,
        [
            json!({
                "EventSourceArn": arn("sqs", "Inbox"),
                "FunctionArn": function_arn("Ingest"),
                "BatchSize": 10,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "StartingPosition": null,
                "BisectBatchOnFunctionError": null,
                "MaximumRetryAttempts": null,
                "DestinationConfig": null,
                "State": "Enabled",
            }),
            json!({
                "EventSourceArn": stream_arn,
                "FunctionArn": function_arn("Notify"),
                "BatchSize": 100,
                "FunctionResponseTypes": null,
                "StartingPosition": "TRIM_HORIZON",
                "BisectBatchOnFunctionError": true,
                "MaximumRetryAttempts": 2,
                "DestinationConfig": {"OnFailure": {"Destination": failed_arn}},
                "State": "Enabled",
            }),
        ]
    );

    let role_arn = |id: &str| {
        format!(
            "arn:aws:iam::123456789012:role/{}",
            ids[id].as_str().unwrap()
        )
    };
    assert_eq!(
        deployed["rule"],
        json!({
            "schedule": "cron(0 2 * * ? *)",
            "state": "ENABLED",
            "targets": [{
                "Id": "Target0",
                "Arn": ids["NightlyReport"],
                "RoleArn": role_arn("NightlyEventsRole"),
                "Input": "{\"kinds\":[\"csv\",\"json\"]}",
            }],
        })
    );
    let machine = &deployed["state_machine"];
    assert_eq!(machine["role"], role_arn("NightlyReportRole"));
    assert_eq!(machine["definition"]["StartAt"], "Any kinds?");
    assert_eq!(
        machine["definition"]["States"]["Count each kind"]["ItemProcessor"]["States"]["Count"]
            ["Resource"],
        function_arn("Report")
    );

    // An upload, for the destroy below.
    let bucket = ids["Uploads"].as_str().unwrap().to_owned();
    state(&moto, &["upload", &bucket, "incoming/first.csv"]);

    // Update: the queue changes in place. moto sends the notifications handler no
    // `Update` (its custom resources have no update support): it drops the resource from
    // the stack, and the bucket keeps the `incoming/` notification.
    let updated = orders(
        &env,
        &engine,
        &[&deploy[..], &["--context", "version=2"]].concat(),
    );
    assert_eq!(updated.code, 0, "{}", updated.err);
    assert!(
        updated.err.contains("[1/1] Orders: updated"),
        "{}",
        updated.err
    );
    let after = state(&moto, &["deployed", STACK_NAME]);
    assert_eq!(after["status"], "UPDATE_COMPLETE");
    assert_eq!(after["queues"]["Inbox"]["VisibilityTimeout"], "360");
    assert!(
        after["resources"].get("UploadsNotifications").is_none(),
        "{:#}",
        after["resources"]
    );
    assert_eq!(after["notification"], deployed["notification"]);
    assert_eq!(engine.started(), 2, "moto ran a handler on update");

    // Destroy: the stack and its resources go, but moto sends the handlers no `Delete`,
    // so the auto-delete handler does not empty the bucket, and moto leaves a bucket with
    // objects in place (CloudFormation would have emptied and deleted it).
    let destroyed = orders(
        &env,
        &engine,
        &["destroy", "--force", "--context", "version=2"],
    );
    assert_eq!(destroyed.code, 0, "{}", destroyed.err);
    assert!(
        destroyed.err.contains("[1/1] Orders: destroyed"),
        "{}",
        destroyed.err
    );
    assert_eq!(engine.started(), 2, "moto ran a handler on delete");
    let gone = orders(&env, &engine, &["diff", "--json"]);
    let gone: Json = serde_json::from_str(&gone.out).unwrap();
    assert_eq!(gone["stacks"][0]["deployed"], false);
    let left = state(&moto, &["leftovers", "Orders-"]);
    let left_buckets = state(&moto, &["leftovers", "orders-"])["buckets"].clone();
    assert_eq!(left_buckets, json!({ bucket: ["incoming/first.csv"] }));
    for kind in [
        "functions",
        "mappings",
        "queues",
        "topics",
        "tables",
        "rules",
        "state_machines",
        "roles",
    ] {
        assert_eq!(left[kind], json!([]), "{kind} left: {left:#}");
    }
    // The three functions' log groups have `DeletionPolicy: Retain` (kept on AWS too);
    // the handlers' `/aws/lambda/...` groups are moto's, made when it ran them. The stack's
    // own log groups for the handlers are gone.
    let log_groups: Vec<&str> = left["log_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let name = g
                .as_str()
                .unwrap()
                .strip_prefix("/aws/lambda/Orders-")
                .unwrap();
            name.rsplit_once('-').unwrap().0
        })
        .collect();
    assert_eq!(
        log_groups,
        [
            "Ingest",
            "Notify",
            "Report",
            "StackAutoDeleteObjectsHandler",
            "StackBucketNotificationsHandler"
        ],
        "{left:#}"
    );
}
