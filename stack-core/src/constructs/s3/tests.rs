// Buckets: secure defaults, grants, auto-delete wiring and option checks.
use super::auto_delete::{AUTO_DELETE, AUTO_DELETE_TAG};
use super::*;
use crate::constructs::{Construct, HttpMethod};
use crate::constructs::{DockerImageCode, DockerImageFunction, DockerImageFunctionProps};
use crate::expr::Expr;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use serde_json::{json, Value as Json};

fn build(buckets: &[(&str, BucketProps)]) -> Result<Json, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    for (id, props) in buckets {
        Bucket::declare(id).build(props.clone(), &mut stack);
    }
    stack
        .finish()
        .map(|s| s.template.to_json()["Resources"].clone())
        .map_err(|e| e.problems)
}

fn ok(buckets: &[(&str, BucketProps)]) -> Json {
    build(buckets).unwrap_or_else(|problems| panic!("{problems:#?}"))
}

#[test]
fn bucket_is_private_encrypted_retained_and_tls_only() {
    let r = ok(&[("Photos", BucketProps::default())]);
    let bucket = &r["Photos"];
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    assert_eq!(bucket["UpdateReplacePolicy"], "Retain");
    let p = &bucket["Properties"];
    assert_eq!(
        p["PublicAccessBlockConfiguration"],
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
    );
    assert_eq!(
        p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "AES256"
    );
    assert_eq!(
        p["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        "BucketOwnerEnforced"
    );
    assert!(p.get("Tags").is_none());
    let policy = &r["PhotosPolicy"]["Properties"];
    assert_eq!(policy["Bucket"], json!({"Ref": "Photos"}));
    assert_eq!(
        policy["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": ["Photos", "Arn"]}, {"Fn::Sub": "${Photos.Arn}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }])
    );
    assert!(r.get(AUTO_DELETE.handler).is_none());
}

#[test]
fn cors_and_versioning_are_rendered() {
    let props = BucketProps::default()
        .bucket_name("photosky")
        .versioned(true)
        .cors([CorsRule::default()
            .allowed_methods([HttpMethod::Get, HttpMethod::Put])
            .allowed_origins(["*"])
            .allowed_headers(["*"])
            .exposed_headers(["ETag"])
            .max_age(3000)]);
    let r = ok(&[("Photos", props)]);
    let p = &r["Photos"]["Properties"];
    assert_eq!(p["BucketName"], "photosky");
    assert_eq!(p["VersioningConfiguration"], json!({"Status": "Enabled"}));
    assert_eq!(
        p["CorsConfiguration"],
        json!({"CorsRules": [{
            "AllowedHeaders": ["*"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedOrigins": ["*"],
            "ExposedHeaders": ["ETag"],
            "MaxAge": 3000
        }]})
    );
}

#[test]
fn read_write_grant_scopes_bucket_and_object_actions_separately() {
    let bucket = Bucket::declare("Photos");
    let func = DockerImageFunction::declare("Api");
    let mut stack = StackBuilder::new("Test");
    bucket.build(BucketProps::default(), &mut stack);
    func.build(
        DockerImageFunctionProps::default().code(DockerImageCode::from_uri(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1",
        )),
        &mut stack,
    );
    stack.grant(&func, bucket.grant_read_write());
    let template = match stack.finish() {
        Ok(s) => s.template.to_json(),
        Err(e) => panic!("{e}"),
    };
    let statements = &template["Resources"]["ApiServiceRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Photos", "Arn"]}},
            {"Effect": "Allow", "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"], "Resource": {"Fn::Sub": "${Photos.Arn}/*"}}
        ])
    );
}

#[test]
fn every_grant_lists_explicit_known_actions() {
    let bucket = Bucket::declare("Photos");
    let grants = [
        bucket.grant_read(),
        bucket.grant_write(),
        bucket.grant_read_write(),
        bucket.grant_put(),
        bucket.grant_delete(),
    ];
    assert_eq!(
        grants.len(),
        crate::constructs::catalog_grants("Bucket").len()
    );
    let known = include_str!("../../../../stack-spec/data/iam-actions.txt");
    for statement in grants.iter().flat_map(|g| &g.statements) {
        for action in &statement.actions {
            assert!(!action.contains('*'), "wildcard action {action}");
            assert!(
                known.lines().any(|l| l == action),
                "{action} is not an IAM action"
            );
        }
    }
}

#[test]
fn auto_delete_shares_one_handler_and_scopes_its_role() {
    let destroy = || {
        BucketProps::default()
            .removal_policy(RemovalPolicy::Destroy)
            .auto_delete_objects(true)
    };
    let r = ok(&[("A", destroy()), ("B", destroy())]);
    for id in ["A", "B"] {
        let custom = &r[format!("{id}AutoDeleteObjects")];
        assert_eq!(custom["Type"], "Custom::S3AutoDeleteObjects");
        assert_eq!(
            custom["Properties"],
            json!({"ServiceToken": {"Fn::GetAtt": [AUTO_DELETE.handler, "Arn"]}, "BucketName": {"Ref": id}})
        );
        assert_eq!(
            r[id]["Properties"]["Tags"],
            json!([{"Key": AUTO_DELETE_TAG, "Value": "true"}])
        );
        assert_eq!(r[id]["DeletionPolicy"], "Delete");
    }
    let handlers = r.as_object().map(|m| {
        m.values()
            .filter(|v| v["Type"] == "AWS::Lambda::Function")
            .count()
    });
    assert_eq!(handlers, Some(1));
    let handler = &r[AUTO_DELETE.handler]["Properties"];
    assert_eq!(handler["Runtime"], "python3.12");
    assert_eq!(handler["Handler"], "index.handler");
    let source = handler["Code"]["ZipFile"].as_str().unwrap_or_default();
    assert!(source.contains(AUTO_DELETE_TAG));
    assert!(source.len() <= 4096, "{} characters", source.len());
    let statements =
        &r[AUTO_DELETE.role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            {"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:ListBucketVersions"], "Resource": {"Fn::GetAtt": ["A", "Arn"]}},
            {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": {"Fn::Sub": "${A.Arn}/*"}},
            {"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:ListBucketVersions"], "Resource": {"Fn::GetAtt": ["B", "Arn"]}},
            {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": {"Fn::Sub": "${B.Arn}/*"}}
        ])
    );
}

#[test]
fn auto_delete_without_destroy_is_reported() {
    let problems = build(&[("Photos", BucketProps::default().auto_delete_objects(true))])
        .err()
        .unwrap_or_default();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("RemovalPolicy::Destroy"),
        "{problems:#?}"
    );
}

#[test]
fn invalid_names_and_cors_rules_are_reported() {
    let problems = build(&[(
        "Photos",
        BucketProps::default()
            .bucket_name("Photo_Sky")
            .cors([CorsRule::default().allowed_methods([HttpMethod::Patch, HttpMethod::Any])]),
    )])
    .err()
    .unwrap_or_default();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(
        problems.iter().any(|p| p.contains("`ANY`")),
        "{problems:#?}"
    );
}

#[test]
fn attributes_are_typed_references() {
    let bucket = Bucket::declare("Photos");
    assert_eq!(
        bucket.arn().expr(),
        &Expr::GetAtt("Photos".into(), "Arn".into())
    );
    assert_eq!(bucket.name().expr(), &Expr::Ref("Photos".into()));
    assert_eq!(
        bucket.regional_domain_name().expr(),
        &Expr::GetAtt("Photos".into(), "RegionalDomainName".into())
    );
}

mod notifications {
    // Bucket notifications: the custom resource per bucket, the destinations' permissions,
    // the shared handler, and what is reported at synth.
    use super::super::notifications::NOTIFICATIONS;
    use super::super::*;
    use crate::constructs::{Code, Construct, Function, FunctionProps, Queue, QueueProps, Runtime};
    use crate::constructs::{Topic, TopicProps};
    use crate::stack::StackBuilder;
    use serde_json::{json, Value as Json};

    fn synth(build: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        build(&mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn notify(
        stack: &mut StackBuilder,
        id: &str,
        bucket: &Bucket,
        destination: &dyn Fn(BucketNotificationProps) -> BucketNotificationProps,
        events: &[EventType],
    ) {
        let props = destination(
            BucketNotificationProps::default()
                .bucket(bucket)
                .events(events.iter().copied()),
        );
        BucketNotification::declare(id).build(props, stack);
    }

    /// A bucket, a topic, a queue and a function, built with `notifications` in between.
    fn with_destinations(
        notifications: impl FnOnce(&mut StackBuilder, &Bucket, &Topic, &Queue, &Function),
    ) -> Result<Json, Vec<String>> {
        synth(|stack| {
            let (bucket, topic, queue) = (
                Bucket::declare("Uploads"),
                Topic::declare("Orders"),
                Queue::declare("Jobs"),
            );
            let worker = Function::declare("Worker");
            // The notifications come first: the destinations' policies are started by
            // them and completed by their owners.
            notifications(stack, &bucket, &topic, &queue, &worker);
            bucket.build(BucketProps::default(), stack);
            topic.build(TopicProps::default(), stack);
            queue.build(QueueProps::default(), stack);
            worker.build(
                FunctionProps::default()
                    .code(Code::inline("def handler(event, context):\n    pass\n"))
                    .runtime(Runtime::Python312)
                    .handler("index.handler"),
                stack,
            );
        })
    }

    #[test]
    fn one_custom_resource_per_bucket_waits_for_every_permission() {
        let r = with_destinations(|stack, bucket, topic, queue, worker| {
            notify(
                stack,
                "ToTopic",
                bucket,
                &|p| p.destination(topic).prefix("incoming/").suffix(".jpg"),
                &[EventType::ObjectCreated],
            );
            notify(
                stack,
                "ToQueue",
                bucket,
                &|p| p.destination(queue),
                &[EventType::ObjectRemoved],
            );
            notify(
                stack,
                "ToWorker",
                bucket,
                &|p| p.destination(worker).suffix(".csv"),
                &[EventType::ObjectCreatedPut, EventType::ObjectCreatedPost],
            );
        })
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
        let custom = &r["UploadsNotifications"];
        assert_eq!(custom["Type"], "Custom::S3BucketNotifications");
        assert_eq!(
            custom["DependsOn"],
            json!(["OrdersPolicy", "JobsPolicy", "ToWorkerPermission"])
        );
        assert_eq!(
            custom["Properties"],
            json!({
                "ServiceToken": {"Fn::GetAtt": [NOTIFICATIONS.handler, "Arn"]},
                "BucketName": {"Ref": "Uploads"},
                "TopicConfigurations": [{
                    "Id": "stack:ToTopic",
                    "TopicArn": {"Ref": "Orders"},
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [
                        {"Name": "prefix", "Value": "incoming/"},
                        {"Name": "suffix", "Value": ".jpg"}
                    ]}}
                }],
                "QueueConfigurations": [{
                    "Id": "stack:ToQueue",
                    "QueueArn": {"Fn::GetAtt": ["Jobs", "Arn"]},
                    "Events": ["s3:ObjectRemoved:*"]
                }],
                "LambdaFunctionConfigurations": [{
                    "Id": "stack:ToWorker",
                    "LambdaFunctionArn": {"Fn::GetAtt": ["Worker", "Arn"]},
                    "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".csv"}]}}
                }]
            })
        );
        // The bucket itself holds no notification and keeps its generated name.
        let bucket = &r["Uploads"]["Properties"];
        assert!(bucket.get("NotificationConfiguration").is_none());
        assert!(bucket.get("BucketName").is_none());

        let condition = json!({
            "ArnLike": {"aws:SourceArn": {"Fn::GetAtt": ["Uploads", "Arn"]}},
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
        });
        let topic_policy = &r["OrdersPolicy"]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(topic_policy[0]["Effect"], "Deny", "the TLS rule leads");
        assert_eq!(
            topic_policy[1],
            json!({
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": {"Ref": "Orders"},
                "Condition": condition
            })
        );
        let queue_policy = &r["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(queue_policy[1]["Action"], "sqs:SendMessage");
        assert_eq!(queue_policy[1]["Condition"], condition);
        assert_eq!(
            r["ToWorkerPermission"]["Properties"],
            json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": ["Worker", "Arn"]},
                "Principal": "s3.amazonaws.com",
                "SourceAccount": {"Ref": "AWS::AccountId"},
                "SourceArn": {"Fn::GetAtt": ["Uploads", "Arn"]}
            })
        );
        let handler = &r[NOTIFICATIONS.handler]["Properties"];
        assert_eq!(handler["Runtime"], "python3.12");
        let source = handler["Code"]["ZipFile"].as_str().unwrap_or_default();
        assert!(source.contains("SkipDestinationValidation=False"));
        assert!(source.len() <= 4096, "{} characters", source.len());
        assert_eq!(
            r[NOTIFICATIONS.role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": ["s3:GetBucketNotification", "s3:PutBucketNotification"],
                "Resource": {"Fn::GetAtt": ["Uploads", "Arn"]}
            }])
        );
        assert_eq!(r[NOTIFICATIONS.log_group]["DeletionPolicy"], "Delete");
    }

    #[test]
    fn buckets_share_the_handler_and_a_topic_policy_states_each_bucket_once() {
        let r = synth(|stack| {
            let topic = Topic::declare("Orders");
            topic.build(TopicProps::default(), stack);
            for id in ["A", "B"] {
                let bucket = Bucket::declare(id);
                bucket.build(BucketProps::default(), stack);
                for (n, prefix) in [("Jpg", "jpg/"), ("Png", "png/")] {
                    notify(
                        stack,
                        &format!("{id}{n}"),
                        &bucket,
                        &|p| p.destination(&topic).prefix(prefix),
                        &[EventType::ObjectCreated],
                    );
                }
            }
        })
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
        for id in ["A", "B"] {
            let custom = &r[format!("{id}Notifications")];
            assert_eq!(custom["DependsOn"], "OrdersPolicy");
            assert_eq!(
                custom["Properties"]["TopicConfigurations"]
                    .as_array()
                    .map(Vec::len),
                Some(2)
            );
        }
        let functions = r.as_object().map(|m| {
            m.values()
                .filter(|v| v["Type"] == "AWS::Lambda::Function")
                .count()
        });
        assert_eq!(functions, Some(1));
        let statements = &r["OrdersPolicy"]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(
            statements.as_array().map(Vec::len),
            Some(3),
            "{statements:#}"
        );
        let grants =
            &r[NOTIFICATIONS.role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(grants.as_array().map(Vec::len), Some(2), "{grants:#}");
    }

    #[test]
    fn overlapping_notifications_are_reported() {
        let problems = with_destinations(|stack, bucket, topic, queue, _| {
            // Overlaps: `ObjectCreated` covers `Put`, and `in/` is under `""`.
            notify(
                stack,
                "All",
                bucket,
                &|p| p.destination(topic),
                &[EventType::ObjectCreated],
            );
            notify(
                stack,
                "Puts",
                bucket,
                &|p| p.destination(queue).prefix("in/"),
                &[EventType::ObjectCreatedPut],
            );
            // Apart: other events, or suffixes no key ends with both of.
            notify(
                stack,
                "Removed",
                bucket,
                &|p| p.destination(queue),
                &[EventType::ObjectRemoved],
            );
            notify(
                stack,
                "RemovedJpg",
                bucket,
                &|p| p.destination(topic).suffix(".jpg"),
                &[EventType::ObjectRemovedDelete],
            );
            notify(
                stack,
                "RemovedPng",
                bucket,
                &|p| p.destination(topic).suffix(".png"),
                &[EventType::ObjectRemovedDelete],
            );
        })
        .expect_err("reported");
        assert_eq!(
            problems,
            [
                "bucket `Uploads`: notifications `All` and `Puts` overlap: both report `s3:ObjectCreated:*` for keys that match both filters, which S3 rejects; give them prefixes or suffixes no key matches both of, or events they do not share",
                "bucket `Uploads`: notifications `Removed` and `RemovedJpg` overlap: both report `s3:ObjectRemoved:*` for keys that match both filters, which S3 rejects; give them prefixes or suffixes no key matches both of, or events they do not share",
                "bucket `Uploads`: notifications `Removed` and `RemovedPng` overlap: both report `s3:ObjectRemoved:*` for keys that match both filters, which S3 rejects; give them prefixes or suffixes no key matches both of, or events they do not share",
            ]
        );
    }

    #[test]
    fn mistakes_are_reported_at_synth() {
        let problems = with_destinations(|stack, bucket, topic, _, _| {
            notify(
                stack,
                "Empty",
                bucket,
                &|p| p.destination(topic).prefix("").suffix(""),
                &[],
            );
            BucketNotification::declare("Nowhere")
                .build(BucketNotificationProps::default().bucket(bucket), stack);
            BucketNotification::declare("Foreign").build(
                BucketNotificationProps::default()
                    .bucket(&Bucket::declare("Other/Uploads"))
                    .destination(topic)
                    .events([EventType::ObjectCreated]),
                stack,
            );
        })
        .expect_err("reported");
        assert_eq!(
            problems,
            [
                "notification `Empty`: `prefix` is empty; leave it out to match every key",
                "notification `Empty`: `suffix` is empty; leave it out to match every key",
                "notification `Empty`: `events` is empty; name at least one, e.g. `[EventType::ObjectCreated]`",
                "notification `Nowhere`: `events` is empty; name at least one, e.g. `[EventType::ObjectCreated]`",
                "notification `Nowhere`: needs a `bucket` and a `destination` (a Topic, a Queue or a Function)",
                "notification `Foreign`: its bucket belongs to another stack; declare the notification in the bucket's stack",
            ]
        );
    }

    #[test]
    fn every_event_type_names_an_s3_event() {
        use EventType::*;
        let all = [
            ObjectCreated,
            ObjectCreatedPut,
            ObjectCreatedPost,
            ObjectCreatedCopy,
            ObjectCreatedCompleteMultipartUpload,
            ObjectRemoved,
            ObjectRemovedDelete,
            ObjectRemovedDeleteMarkerCreated,
            ObjectRestorePost,
            ObjectRestoreCompleted,
            ObjectRestoreDelete,
            ReducedRedundancyLostObject,
            ReplicationOperationFailedReplication,
            ReplicationOperationMissedThreshold,
            ReplicationOperationReplicatedAfterThreshold,
            ReplicationOperationNotTracked,
            LifecycleExpiration,
            LifecycleExpirationDelete,
            LifecycleExpirationDeleteMarkerCreated,
            LifecycleTransition,
            IntelligentTiering,
            ObjectTagging,
            ObjectTaggingPut,
            ObjectTaggingDelete,
            ObjectAclPut,
        ];
        let mut names: Vec<&str> = all.iter().map(|e| e.as_str()).collect();
        assert!(names.iter().all(|n| n.starts_with("s3:")));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
