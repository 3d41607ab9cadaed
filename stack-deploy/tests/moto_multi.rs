//! A two-stack app against moto: the producer exports, the consumer imports, and deploy,
//! diff and destroy follow the dependency between them.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::{run, Moto, Outcome, TempDir};
use serde_json::Value as Json;
use stack_app::{BuildError, Context, Shell};
use stack_core::prelude::*;
use stack_deploy::AwsOverrides;

stack! {
    /// What other stacks of the app use: a dead-letter queue and an alerts topic.
    pub stack Messaging {
        resource dead_letters: AWS::SQS::Queue {
            QueueName: "multi-dead-letters",
            MessageRetentionPeriod: 1_209_600,
        }
        resource alerts: AWS::SNS::Topic { TopicName: "multi-alerts" }
    }
}

/// The consumer's settings, from the context.
pub struct WorkersProps {
    visibility_timeout: i64,
}

stack! {
    /// A work queue whose failed messages go to the messaging stack's dead letters.
    pub stack Workers(props: WorkersProps) uses messaging: Messaging {
        resource inbox: AWS::SQS::Queue {
            QueueName: "multi-inbox",
            VisibilityTimeout: props.visibility_timeout,
            RedrivePolicy: { deadLetterTargetArn: messaging.dead_letters.arn, maxReceiveCount: 3 },
            Tags: [{ Key: "alerts-topic", Value: messaging.alerts.topic_name }],
        }
        output inbox_arn = inbox.arn;
        output dead_letters_arn = messaging.dead_letters.arn;
    }
}

/// The app's `main`, as a build function: `Workers` uses `Messaging`, added first.
fn app(ctx: &Context) -> Result<App, BuildError> {
    let visibility_timeout = ctx.get_or("visibility_timeout", "30").parse()?;
    let mut app = App::new();
    let messaging = app.add(Messaging::new("Messaging"));
    app.add(Workers::new(
        "Workers",
        &WorkersProps { visibility_timeout },
        &messaging,
    ));
    Ok(app)
}

const DEAD_LETTERS_ARN: &str = "arn:aws:sqs:us-east-1:123456789012:multi-dead-letters";

#[test]
fn producer_and_consumer_lifecycle_follows_the_dependency() {
    let moto = Moto::start();
    let dir = TempDir::new("multi");
    let env = moto.env(dir.path());
    let o = AwsOverrides::new().poll_interval(Duration::from_millis(100));
    let mut timings = Vec::new();
    let mut go = |args: &[&str]| -> Outcome {
        let started = Instant::now();
        let outcome = run(&env, &o, Shell::buffered(), args, app);
        timings.push((args.join(" "), started.elapsed()));
        outcome
    };

    let ls = go(&["ls"]);
    assert_eq!(ls.out, "Messaging\nWorkers\n");

    // Alone, the consumer cannot be created: its imports name exports nobody has yet. The
    // run says so before changing anything.
    let alone = go(&["deploy", "Workers", "--exclusively", "--method", "direct"]);
    assert_eq!(alone.code, 1, "{}", alone.err);
    assert!(
        alone.err.contains(
            "error: `Workers` imports from `Messaging`, which is not deployed, so `Workers` was \
             not created; deploy it first, or run `testapp deploy Workers` without \
             `--exclusively` to deploy it along with `Workers`"
        ),
        "{}",
        alone.err
    );
    let nothing = go(&["diff", "--json"]);
    assert_eq!(nothing.code, 2);
    let nothing: Json = serde_json::from_str(&nothing.out).unwrap();
    assert_eq!(nothing["stacks"][0]["deployed"], false);
    assert_eq!(nothing["stacks"][1]["deployed"], false);

    // Naming the consumer deploys the producer first, as CDK does. `--method direct`
    // because moto registers exports (and reports outputs) only for a stack made with
    // CreateStack: after a change set created `Messaging`, `Workers` would fail with "No
    // export named Messaging-DeadLetters-Arn found". On CloudFormation both methods work.
    // `--concurrency` cannot start `Workers` before `Messaging` is done.
    let first = go(&[
        "deploy",
        "Workers",
        "--method",
        "direct",
        "--concurrency",
        "4",
        "--outputs-file",
        "outputs.json",
    ]);
    assert_eq!(first.code, 0, "{}", first.err);
    assert!(
        first.err.contains(
            "note: deploying `Messaging` first: the named stacks depend on them \
             (`--exclusively` deploys only the named stacks)"
        ),
        "{}",
        first.err
    );
    let producer = first.err.find("[1/2] Messaging: created").unwrap();
    let consumer_starts = first.err.find("[2/2] Workers: deploying").unwrap();
    let consumer = first.err.find("[2/2] Workers: created").unwrap();
    assert!(producer < consumer_starts && consumer_starts < consumer);
    assert!(first
        .err
        .contains("2 of 2 stacks deployed: 2 created, 0 updated, 0 unchanged"));
    // The producer exports what the consumer uses; the consumer's output reads it back
    // through `Fn::ImportValue`.
    assert!(first.out.contains(&format!(
        "Messaging.ExportDeadLettersArn = {DEAD_LETTERS_ARN}\n"
    )));
    assert!(first
        .out
        .contains("Messaging.ExportAlertsTopicName = multi-alerts\n"));
    assert!(first
        .out
        .contains(&format!("Workers.DeadLettersArn = {DEAD_LETTERS_ARN}\n")));
    let outputs: Json =
        serde_json::from_str(&fs::read_to_string(dir.path().join("outputs.json")).unwrap())
            .unwrap();
    assert_eq!(
        outputs["Messaging"]["ExportDeadLettersArn"],
        DEAD_LETTERS_ARN
    );
    assert_eq!(outputs["Workers"]["DeadLettersArn"], DEAD_LETTERS_ARN);
    assert_eq!(
        outputs["Workers"]["InboxArn"],
        "arn:aws:sqs:us-east-1:123456789012:multi-inbox"
    );

    let same = go(&["diff"]);
    assert_eq!(same.code, 0, "{}", same.out);
    assert_eq!(same.out.matches("There were no differences").count(), 2);

    // A consumer change; `diff Workers` also compares what it depends on, as CDK does.
    let v2 = ["--context", "visibility_timeout=60"];
    let changed = go(&["diff", "Workers", v2[0], v2[1]]);
    assert_eq!(changed.code, 2, "{}", changed.err);
    assert!(changed
        .out
        .contains("Stack Messaging\nThere were no differences\n"));
    assert!(changed.out.contains("[~] AWS::SQS::Queue Inbox"));
    assert!(
        changed.out.contains("[~] VisibilityTimeout: 30 → 60"),
        "{}",
        changed.out
    );
    assert!(changed
        .out
        .contains("Workers: 0 to add, 1 to change, 0 to remove"));
    let only = go(&["diff", "Workers", "--exclusively", v2[0], v2[1]]);
    assert_eq!(only.code, 2);
    assert!(!only.out.contains("Messaging"), "{}", only.out);
    let unknown = go(&["diff", "workers"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.err.contains("did you mean `Workers`?"),
        "{}",
        unknown.err
    );

    // The update goes through a change set (moto executes an update change set with
    // imports; it only leaves the reported outputs stale). The producer is unchanged.
    let updated = go(&["deploy", "--all", "--concurrency", "2", v2[0], v2[1]]);
    assert_eq!(updated.code, 0, "{}", updated.err);
    assert!(updated.err.contains("[1/2] Messaging: no changes"));
    assert!(updated.err.contains("Modify AWS::SQS::Queue Inbox"));
    assert!(updated.err.contains("[2/2] Workers: updated"));
    let applied = go(&["diff", v2[0], v2[1]]);
    assert_eq!(applied.code, 0, "{}", applied.out);

    // Destroying the producer destroys its consumer first, as CDK does; `--exclusively`
    // would take the producer alone (which CloudFormation refuses while `Workers` imports
    // from it, and moto allows), so it is only asked about here.
    let alone = go(&["destroy", "Messaging", "--exclusively"]);
    assert_eq!(alone.code, 1);
    assert!(
        alone.err.contains(
            "error: destroying `Messaging` needs confirmation and there is no terminal to ask on"
        ),
        "{}",
        alone.err
    );
    assert!(!alone.err.contains("Workers"), "{}", alone.err);
    let destroyed = go(&["destroy", "Messaging", "--force"]);
    assert_eq!(destroyed.code, 0, "{}", destroyed.err);
    assert!(destroyed.err.contains(
        "note: destroying `Workers` too: it depends on the named stacks (`--exclusively` \
         destroys only the named stacks)"
    ));
    let consumer = destroyed.err.find("[1/2] Workers: destroyed").unwrap();
    let producer = destroyed.err.find("[2/2] Messaging: destroyed").unwrap();
    assert!(consumer < producer);
    let gone = go(&["diff", "--json"]);
    assert_eq!(gone.code, 2);
    let gone: Json = serde_json::from_str(&gone.out).unwrap();
    assert_eq!(gone["stacks"][0]["deployed"], false);
    assert_eq!(gone["stacks"][1]["deployed"], false);

    show(&timings);
}

/// How long each step took against moto, shown with `--nocapture`.
#[allow(clippy::print_stderr, reason = "timings are shown, not checked")]
fn show(timings: &[(String, Duration)]) {
    for (args, took) in timings {
        eprintln!("{:>6.2}s  {args}", took.as_secs_f64());
    }
}
