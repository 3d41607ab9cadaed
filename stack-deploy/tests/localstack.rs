//! The deploy lifecycle against localstack, the second local CloudFormation endpoint: an
//! asynchronous engine (stacks go through `*_IN_PROGRESS`, with an event per resource, and
//! a resource that fails gets `CREATE_FAILED` with the service's error), where moto
//! (`moto.rs`, `moto_multi.rs`) answers every call synchronously. Offline, localstack cannot
//! create Lambda functions, and it rolls nothing back; what it does instead is asserted,
//! with the gap named (see `docs/deploy.md`).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::localstack::Localstack;
use common::{run_app, Outcome, TempDir};
use photosky::{PhotoSky, PhotoSkyProps};
use serde_json::Value as Json;
use stack_app::{BuildError, Context, Shell};
use stack_core::prelude::*;
use stack_deploy::AwsOverrides;

// Not extralabs' network and storage stacks: localstack cannot create its VPC. Offline it
// has no `AWS::EC2::EIP` (it is "deployed as a fallback", without an allocation ID), so
// the NAT gateway fails with `InvalidAllocationID.NotFound`.

stack! {
    /// What the other stack uses: an upload bucket and a dead-letter queue.
    pub stack Storage {
        resource uploads: Bucket { versioned: true }
        resource dead_letters: AWS::SQS::Queue {
            QueueName: "ls-dead-letters",
            MessageRetentionPeriod: 1_209_600,
        }
    }
}

/// The consumer's settings, from the context.
pub struct JobsProps {
    visibility_timeout: i64,
}

stack! {
    /// A job queue whose failed messages go to the storage stack's dead letters, tagged
    /// with the bucket its jobs read.
    pub stack Jobs(props: JobsProps) uses storage: Storage {
        resource queue: AWS::SQS::Queue {
            QueueName: "ls-jobs",
            VisibilityTimeout: props.visibility_timeout,
            RedrivePolicy: { deadLetterTargetArn: storage.dead_letters.arn, maxReceiveCount: 3 },
            Tags: [{ Key: "uploads", Value: storage.uploads.name }],
        }
        output queue_arn = queue.arn;
        output dead_letters_arn = storage.dead_letters.arn;
        output uploads_bucket = storage.uploads.name;
    }
}

/// The app's `main`, as a build function: `Jobs` uses `Storage`, added first.
fn app(ctx: &Context) -> Result<App, BuildError> {
    let visibility_timeout = ctx.get_or("visibility_timeout", "30").parse()?;
    let mut app = App::new();
    let storage = app.add(Storage::new("Storage"));
    app.add(Jobs::new(
        "Jobs",
        &JobsProps { visibility_timeout },
        &storage,
    ));
    Ok(app)
}

fn overrides() -> AwsOverrides {
    AwsOverrides::new().poll_interval(Duration::from_millis(200))
}

/// Runs `args` and notes how long it took.
fn timed(
    timings: &mut Vec<(String, Duration)>,
    run: impl FnOnce() -> Outcome,
    args: &[&str],
) -> Outcome {
    let started = Instant::now();
    let outcome = run();
    timings.push((args.join(" "), started.elapsed()));
    outcome
}

const DEAD_LETTERS_ARN: &str = "arn:aws:sqs:us-east-1:000000000000:ls-dead-letters";

#[test]
fn producer_and_consumer_lifecycle_on_an_asynchronous_engine() {
    let started = Instant::now();
    let localstack = Localstack::start();
    let mut timings = vec![("localstack start".to_owned(), started.elapsed())];
    let dir = TempDir::new("localstack-multi");
    let env = localstack.env(dir.path());
    let o = overrides();
    let mut go = |args: &[&str]| {
        timed(
            &mut timings,
            || run_app("testapp", &env, &o, Shell::buffered(), args, app),
            args,
        )
    };

    // Naming the consumer deploys the producer first, through change sets (the default
    // method; localstack registers the exports of a stack made by a change set, which moto
    // does not), each stack waited for through its events.
    let first = go(&[
        "deploy",
        "Jobs",
        "--require-approval",
        "never",
        "--progress",
        "events",
        "--outputs-file",
        "outputs.json",
    ]);
    assert_eq!(first.code, 0, "{}", first.err);
    let producer = first.err.find("[1/2] Storage: created").unwrap();
    let consumer_starts = first.err.find("[2/2] Jobs: deploying").unwrap();
    let consumer = first.err.find("[2/2] Jobs: created").unwrap();
    assert!(producer < consumer_starts && consumer_starts < consumer);
    assert!(first
        .err
        .contains("2 of 2 stacks deployed: 2 created, 0 updated, 0 unchanged"));
    // An event per resource, in progress before complete: the engine is asynchronous.
    for (stack, kind, logical) in [
        ("Storage", "AWS::S3::Bucket", "Uploads"),
        ("Jobs", "AWS::SQS::Queue", "Queue"),
    ] {
        let started = event_at(&first.err, stack, "CREATE_IN_PROGRESS", kind, logical);
        let done = event_at(&first.err, stack, "CREATE_COMPLETE", kind, logical);
        assert!(started < done, "{}", first.err);
    }
    // What the engine created, read back from the stacks' outputs: the consumer's are the
    // producer's values, imported through `Fn::ImportValue`.
    let outputs: Json =
        serde_json::from_str(&fs::read_to_string(dir.path().join("outputs.json")).unwrap())
            .unwrap();
    let storage = &outputs["Storage"];
    assert_eq!(
        storage["ExportDeadLettersArn"], DEAD_LETTERS_ARN,
        "{outputs}"
    );
    let bucket = storage["ExportUploadsRef"]
        .as_str()
        .unwrap_or_else(|| panic!("{outputs}"));
    assert!(bucket.starts_with("storage-uploads"), "{outputs}");
    assert_eq!(outputs["Jobs"]["DeadLettersArn"], DEAD_LETTERS_ARN);
    assert_eq!(outputs["Jobs"]["UploadsBucket"], bucket);
    assert_eq!(
        outputs["Jobs"]["QueueArn"],
        "arn:aws:sqs:us-east-1:000000000000:ls-jobs"
    );

    assert_eq!(jobs_visibility_timeout(&localstack).as_deref(), Some("30"));

    let same = go(&["diff"]);
    assert_eq!(same.code, 0, "{}", same.out);
    assert_eq!(same.out.matches("There were no differences").count(), 2);

    let v2 = ["--context", "visibility_timeout=60"];
    let changed = go(&["diff", v2[0], v2[1]]);
    assert_eq!(changed.code, 2, "{}", changed.err);
    assert!(
        changed
            .out
            .contains("Stack Storage\nThere were no differences\n"),
        "{}",
        changed.out
    );
    assert!(
        changed.out.contains("[~] AWS::SQS::Queue Queue"),
        "{}",
        changed.out
    );
    assert!(
        changed.out.contains("[~] VisibilityTimeout: 30 → 60"),
        "{}",
        changed.out
    );
    assert!(changed
        .out
        .contains("Jobs: 0 to add, 1 to change, 0 to remove"));

    let updated = go(&["deploy", "--all", "--progress", "events", v2[0], v2[1]]);
    assert_eq!(updated.code, 0, "{}", updated.err);
    assert!(
        updated.err.contains("[1/2] Storage: no changes"),
        "{}",
        updated.err
    );
    assert!(
        updated.err.contains("[2/2] Jobs: updated"),
        "{}",
        updated.err
    );
    event_at(
        &updated.err,
        "Jobs",
        "UPDATE_COMPLETE",
        "AWS::SQS::Queue",
        "Queue",
    );
    assert_eq!(jobs_visibility_timeout(&localstack).as_deref(), Some("60"));
    let applied = go(&["diff", v2[0], v2[1]]);
    assert_eq!(applied.code, 0, "{}", applied.out);

    let again = go(&["deploy", "--all", v2[0], v2[1]]);
    assert_eq!(again.code, 0, "{}", again.err);
    assert!(
        again.err.contains("[1/2] Storage: no changes"),
        "{}",
        again.err
    );
    assert!(
        again.err.contains("[2/2] Jobs: no changes"),
        "{}",
        again.err
    );

    // Destroying the producer destroys its consumer first.
    let destroyed = go(&["destroy", "Storage", "--force", v2[0], v2[1]]);
    assert_eq!(destroyed.code, 0, "{}", destroyed.err);
    let consumer = destroyed.err.find("[1/2] Jobs: destroyed").unwrap();
    let producer = destroyed.err.find("[2/2] Storage: destroyed").unwrap();
    assert!(consumer < producer, "{}", destroyed.err);
    let gone = go(&["diff", "--json", v2[0], v2[1]]);
    assert_eq!(gone.code, 2);
    let gone: Json = serde_json::from_str(&gone.out).unwrap();
    assert_eq!(gone["stacks"][0]["deployed"], false);
    assert_eq!(gone["stacks"][1]["deployed"], false);
    // The engine deleted the resources, not only the stacks: the queue is gone. So is the
    // bucket, which CloudFormation would keep (`DeletionPolicy: Retain`, as the warning
    // says): localstack ignores the policy.
    assert_eq!(jobs_visibility_timeout(&localstack), None);
    assert!(
        destroyed
            .err
            .contains("CloudFormation kept 1 resource because of its DeletionPolicy: `Uploads`"),
        "{}",
        destroyed.err
    );
    let bucket_path = format!("/{bucket}");
    let bucket_answer = common::http_request(localstack.port, "GET", &bucket_path, "").unwrap();
    assert!(bucket_answer.starts_with("HTTP/1.1 404"), "{bucket_answer}");
    show(&timings);
}

const IMAGE: &str = "000000000000.dkr.ecr.us-east-1.amazonaws.com/photosky";

/// The photosky binary's `main`, as a build function.
fn photosky(ctx: &Context) -> Result<App, BuildError> {
    let props = PhotoSkyProps {
        app_name: ctx.get_or("app_name", "PhotoSky"),
        image_uri: ctx.get_optional("image_uri"),
    };
    Ok(App::new().stack(PhotoSky::new(props.app_name.clone(), &props)))
}

#[test]
fn a_failed_create_names_the_failed_resource_and_its_reason_first() {
    let started = Instant::now();
    let localstack = Localstack::start();
    let mut timings = vec![("localstack start".to_owned(), started.elapsed())];
    let dir = TempDir::new("localstack-photosky");
    let env = localstack.env(dir.path());
    let o = overrides();
    let image = format!("image_uri={IMAGE}:v1");
    let mut sky = |args: &[&str]| {
        timed(
            &mut timings,
            || run_app("photosky", &env, &o, Shell::buffered(), args, photosky),
            args,
        )
    };

    // localstack creates the bucket, the log group and the function's role, then fails the
    // function: offline it cannot install its Lambda runtime. The stack then says
    // ROLLBACK_COMPLETE, but localstack deleted nothing (so the note that the stack holds
    // no resources is wrong there); for a moment before, while it marks the resources that
    // were waiting for the function, the stack says CREATE_FAILED, which a poll may read.
    let failed = sky(&["deploy", "--require-approval", "never", "--context", &image]);
    assert_failure_first(&failed, "PhotoSky", &["ROLLBACK_COMPLETE", "CREATE_FAILED"]);
    let created = event_at(
        &failed.err,
        "PhotoSky",
        "CREATE_COMPLETE",
        "AWS::IAM::Role",
        "PhotosFuncServiceRole",
    );
    let failed_at = event_at(
        &failed.err,
        "PhotoSky",
        "CREATE_FAILED",
        "AWS::Lambda::Function",
        "PhotosFunc",
    );
    assert!(created < failed_at, "{}", failed.err);

    let direct = sky(&[
        "deploy",
        "--require-approval",
        "never",
        "--method",
        "direct",
        "--context",
        &image,
        "--context",
        "app_name=PhotoSkyDirect",
    ]);
    // Created directly (`CreateStack`), the stack stays CREATE_FAILED.
    assert_failure_first(&direct, "PhotoSkyDirect", &["CREATE_FAILED"]);

    // localstack deletes what it created and fails the resources it never created, and
    // meanwhile reports the stack DELETE_FAILED until the delete is done (its status follows
    // the last resource failure; CloudFormation's would stay DELETE_IN_PROGRESS). A
    // destroy that reads that status says so, the failed resource first, and the stack is
    // gone a moment later; the next destroy finds nothing to do.
    for (stack, extra) in [
        ("PhotoSky", "app_name=PhotoSky"),
        ("PhotoSkyDirect", "app_name=PhotoSkyDirect"),
    ] {
        let args = [
            "destroy",
            "--force",
            "--context",
            &image,
            "--context",
            extra,
        ];
        let destroyed = sky(&args);
        if destroyed.code != 0 {
            assert_eq!(destroyed.code, 1, "{}", destroyed.err);
            let error = destroyed
                .err
                .find("error: `")
                .unwrap_or_else(|| panic!("{}", destroyed.err));
            let message = &destroyed.err[error..];
            assert!(message.contains(") DELETE_FAILED: "), "{}", destroyed.err);
            assert!(
                message.contains(&format!(
                    "\ndestroying `{stack}` failed: the stack is DELETE_FAILED"
                )),
                "{}",
                destroyed.err
            );
            let waited = Instant::now();
            while !sky(&["diff", "--context", &image, "--context", extra])
                .out
                .contains("(not deployed yet: everything is new)")
            {
                assert!(
                    waited.elapsed() < Duration::from_secs(20),
                    "`{stack}` was not deleted"
                );
                std::thread::sleep(Duration::from_millis(250));
            }
        }
        let again = sky(&args);
        assert_eq!(again.code, 0, "{}", again.err);
        assert!(
            again
                .err
                .contains(&format!("{stack}: not deployed; nothing to destroy")),
            "{}",
            again.err
        );
    }
    show(&timings);
}

/// The `VisibilityTimeout` of the `ls-jobs` queue as SQS has it, `None` when the queue
/// does not exist.
fn jobs_visibility_timeout(localstack: &Localstack) -> Option<String> {
    let response = localstack.query(&format!(
        "Action=GetQueueAttributes&Version=2012-11-05&QueueUrl={}/000000000000/ls-jobs\
         &AttributeName.1=VisibilityTimeout",
        localstack.endpoint()
    ));
    if response.contains("AWS.SimpleQueueService.NonExistentQueue") {
        return None;
    }
    let value = response
        .split_once("<Value>")
        .and_then(|(_, rest)| rest.split_once("</Value>"))
        .unwrap_or_else(|| panic!("no VisibilityTimeout in:\n{response}"));
    Some(value.0.to_owned())
}

/// Asserts that a deploy of PhotoSky as `stack` failed, and that its error starts with the
/// function that failed and localstack's reason, followed by the stack's final status, one
/// of `statuses`.
#[track_caller]
fn assert_failure_first(outcome: &Outcome, stack: &str, statuses: &[&str]) {
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    let error = outcome
        .err
        .find("error: ")
        .unwrap_or_else(|| panic!("no error in:\n{}", outcome.err));
    let mut message = outcome.err[error..].lines();
    let first = "error: `PhotosFunc` (AWS::Lambda::Function) CREATE_FAILED: Error while creating \
                 lambda: Installation of lambda-runtime";
    assert!(
        message.next().is_some_and(|line| line.starts_with(first)),
        "{}",
        outcome.err
    );
    let next = message.next().unwrap_or_default();
    assert!(
        statuses.iter().any(|status| next.starts_with(&format!(
            "deployment of `{stack}` failed: the stack is {status}"
        ))),
        "{}",
        outcome.err
    );
}

/// The byte offset of the `--progress events` line of `stack` with `status` for `kind`
/// `logical` (`Jobs | 12:00:00 | CREATE_COMPLETE | AWS::SQS::Queue | Queue`) in `err`.
fn event_at(err: &str, stack: &str, status: &str, kind: &str, logical: &str) -> usize {
    let mut offset = 0;
    for line in err.split_inclusive('\n') {
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        if fields.len() >= 5
            && fields[0].ends_with(stack)
            && fields[2] == status
            && fields[3] == kind
            && (fields[4] == logical || fields[4].starts_with(&format!("{logical} (")))
        {
            return offset;
        }
        offset += line.len();
    }
    panic!("no `{status}` event of `{logical}` ({kind}) in `{stack}`:\n{err}")
}

/// How long each step took against localstack, shown with `--nocapture`.
#[allow(clippy::print_stderr, reason = "timings are shown, not checked")]
fn show(timings: &[(String, Duration)]) {
    for (args, took) in timings {
        eprintln!("{:>6.2}s  {args}", took.as_secs_f64());
    }
}
