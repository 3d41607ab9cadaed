//! [`BucketNotification`]: a bucket's events delivered to a topic, a queue or a function.
//!
//! The notifications of a bucket are not a property of the bucket: the destination's
//! permission names the bucket's ARN, and S3 checks that permission when the
//! notifications are set, so a bucket holding them would wait for a policy that waits for
//! the bucket. Instead one custom resource per bucket, `<Bucket>Notifications`, sets them
//! after the bucket and the permissions exist, through a stack-wide handler that keeps the
//! notifications this stack does not manage.

use super::super::{
    lit, literal_str, obj, Construct, DockerImageFunction, Function, FunctionRef, Queue, Topic,
};
use super::handler::StackHandler;
use super::Bucket;
use crate::aws;
use crate::expr::Expr;
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Arn, IntoValue, Value};
use stack_spec::rules::s3 as rules;

/// What marks a notification this stack manages: the start of its `Id`. The handler
/// replaces only these, so notifications set by hand or by another tool stay.
const MANAGED: &str = "stack:";

/// The handler: on `Create` and `Update` it reads the bucket's notification
/// configuration, replaces the entries marked as the stack's with the resource's and keeps
/// the others; on `Delete` it removes the stack's entries only. It always answers
/// CloudFormation, with the reason when it fails.
const SOURCE: &str = r#"import boto3
import cfnresponse
from botocore.exceptions import ClientError

MANAGED = "stack:"
KINDS = ("TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations")
s3 = boto3.client("s3")


def handler(event, context):
    physical_id = event.get("PhysicalResourceId")
    try:
        properties = event["ResourceProperties"]
        bucket = properties["BucketName"]
        if event["RequestType"] == "Delete":
            configure(bucket, {}, deleting=True)
        else:
            physical_id = bucket
            configure(bucket, properties, deleting=False)
    except Exception as error:
        print(f"failed: {error!r}")
        cfnresponse.send(event, context, cfnresponse.FAILED, {},
                         physical_id or context.log_stream_name, reason=str(error))
        return
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical_id)


def managed(entry):
    return entry.get("Id", "").startswith(MANAGED)


def configure(bucket, properties, deleting):
    try:
        current = s3.get_bucket_notification_configuration(Bucket=bucket)
    except ClientError as error:
        if deleting and error.response["Error"]["Code"] == "NoSuchBucket":
            print(f"{bucket} is gone; no notification to remove")
            return
        raise
    current.pop("ResponseMetadata", None)
    if deleting and not any(managed(e) for k in KINDS for e in current.get(k, [])):
        return
    config = dict(current)
    for kind in KINDS:
        entries = [e for e in config.pop(kind, []) if not managed(e)]
        entries += properties.get(kind, [])
        if entries:
            config[kind] = entries
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration=config, SkipDestinationValidation=False)
"#;

/// The stack-wide handler behind every `Custom::S3BucketNotifications`.
pub(super) const NOTIFICATIONS: StackHandler = StackHandler {
    handler: "StackBucketNotificationsHandler",
    role: "StackBucketNotificationsRole",
    log_group: "StackBucketNotificationsLogGroup",
    description: "Sets the notifications of S3 buckets that the stack manages, keeping the others",
    source: SOURCE,
    timeout: 300,
};

/// An S3 event a [`BucketNotification`] reports, named as in CDK: `ObjectCreated` is
/// every way an object is created, `ObjectCreatedPut` one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// `s3:ObjectCreated:*`: an object was created, however.
    ObjectCreated,
    /// `s3:ObjectCreated:Put`.
    ObjectCreatedPut,
    /// `s3:ObjectCreated:Post`.
    ObjectCreatedPost,
    /// `s3:ObjectCreated:Copy`.
    ObjectCreatedCopy,
    /// `s3:ObjectCreated:CompleteMultipartUpload`.
    ObjectCreatedCompleteMultipartUpload,
    /// `s3:ObjectRemoved:*`: an object was deleted, or a delete marker created.
    ObjectRemoved,
    /// `s3:ObjectRemoved:Delete`.
    ObjectRemovedDelete,
    /// `s3:ObjectRemoved:DeleteMarkerCreated`.
    ObjectRemovedDeleteMarkerCreated,
    /// `s3:ObjectRestore:Post`: a restore from an archive started.
    ObjectRestorePost,
    /// `s3:ObjectRestore:Completed`.
    ObjectRestoreCompleted,
    /// `s3:ObjectRestore:Delete`: a restored copy expired.
    ObjectRestoreDelete,
    /// `s3:ReducedRedundancyLostObject`.
    ReducedRedundancyLostObject,
    /// `s3:Replication:OperationFailedReplication`.
    ReplicationOperationFailedReplication,
    /// `s3:Replication:OperationMissedThreshold`.
    ReplicationOperationMissedThreshold,
    /// `s3:Replication:OperationReplicatedAfterThreshold`.
    ReplicationOperationReplicatedAfterThreshold,
    /// `s3:Replication:OperationNotTracked`.
    ReplicationOperationNotTracked,
    /// `s3:LifecycleExpiration:*`.
    LifecycleExpiration,
    /// `s3:LifecycleExpiration:Delete`.
    LifecycleExpirationDelete,
    /// `s3:LifecycleExpiration:DeleteMarkerCreated`.
    LifecycleExpirationDeleteMarkerCreated,
    /// `s3:LifecycleTransition`.
    LifecycleTransition,
    /// `s3:IntelligentTiering`.
    IntelligentTiering,
    /// `s3:ObjectTagging:*`.
    ObjectTagging,
    /// `s3:ObjectTagging:Put`.
    ObjectTaggingPut,
    /// `s3:ObjectTagging:Delete`.
    ObjectTaggingDelete,
    /// `s3:ObjectAcl:Put`.
    ObjectAclPut,
}

impl EventType {
    /// The event's name in a notification configuration, e.g. `s3:ObjectCreated:*`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ObjectCreated => "s3:ObjectCreated:*",
            Self::ObjectCreatedPut => "s3:ObjectCreated:Put",
            Self::ObjectCreatedPost => "s3:ObjectCreated:Post",
            Self::ObjectCreatedCopy => "s3:ObjectCreated:Copy",
            Self::ObjectCreatedCompleteMultipartUpload => {
                "s3:ObjectCreated:CompleteMultipartUpload"
            }
            Self::ObjectRemoved => "s3:ObjectRemoved:*",
            Self::ObjectRemovedDelete => "s3:ObjectRemoved:Delete",
            Self::ObjectRemovedDeleteMarkerCreated => "s3:ObjectRemoved:DeleteMarkerCreated",
            Self::ObjectRestorePost => "s3:ObjectRestore:Post",
            Self::ObjectRestoreCompleted => "s3:ObjectRestore:Completed",
            Self::ObjectRestoreDelete => "s3:ObjectRestore:Delete",
            Self::ReducedRedundancyLostObject => "s3:ReducedRedundancyLostObject",
            Self::ReplicationOperationFailedReplication => {
                "s3:Replication:OperationFailedReplication"
            }
            Self::ReplicationOperationMissedThreshold => "s3:Replication:OperationMissedThreshold",
            Self::ReplicationOperationReplicatedAfterThreshold => {
                "s3:Replication:OperationReplicatedAfterThreshold"
            }
            Self::ReplicationOperationNotTracked => "s3:Replication:OperationNotTracked",
            Self::LifecycleExpiration => "s3:LifecycleExpiration:*",
            Self::LifecycleExpirationDelete => "s3:LifecycleExpiration:Delete",
            Self::LifecycleExpirationDeleteMarkerCreated => {
                "s3:LifecycleExpiration:DeleteMarkerCreated"
            }
            Self::LifecycleTransition => "s3:LifecycleTransition",
            Self::IntelligentTiering => "s3:IntelligentTiering",
            Self::ObjectTagging => "s3:ObjectTagging:*",
            Self::ObjectTaggingPut => "s3:ObjectTagging:Put",
            Self::ObjectTaggingDelete => "s3:ObjectTagging:Delete",
            Self::ObjectAclPut => "s3:ObjectAcl:Put",
        }
    }
}

/// Whether two event names (`s3:ObjectCreated:*`, `s3:ObjectCreated:Put`) cover a common
/// event: the same name, or one is the other's family's wildcard.
fn events_overlap(a: &str, b: &str) -> bool {
    let family = |e: &str| e.strip_suffix(":*").map(str::to_owned);
    a == b
        || family(a).is_some_and(|f| b.starts_with(&format!("{f}:")))
        || family(b).is_some_and(|f| a.starts_with(&format!("{f}:")))
}

/// Where a [`BucketNotification`] delivers. Blocks write the destination itself
/// (`destination: orders`); see [`NotificationTarget`]. Another function, by ARN:
/// `NotificationDestination::Function(arn)`.
#[derive(Clone, Debug, PartialEq)]
pub enum NotificationDestination {
    /// An SNS topic of the stack; its policy lets S3 publish for this bucket.
    Topic(Topic),
    /// An SQS queue of the stack; its policy lets S3 send for this bucket. The queue must
    /// not use a KMS key S3 cannot use: SQS-managed encryption (the default) works.
    Queue(Queue),
    /// A Lambda function, by ARN; a permission lets S3 invoke it for this bucket.
    Function(Value<Arn<kind::lambda::Function>>),
}

/// What can be a [`BucketNotification`]'s `destination`: a [`Topic`], a [`Queue`], a
/// [`Function`] or a [`DockerImageFunction`] (or a [`NotificationDestination`], for a
/// function known by ARN).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot receive bucket notifications",
    label = "not a `Topic`, a `Queue` or a function",
    note = "a `BucketNotification`'s `destination` is a `Topic`, a `Queue` or a `Function` of this stack"
)]
pub trait NotificationTarget {
    /// The destination as a notification delivers to it.
    fn notification_destination(&self) -> NotificationDestination;
}

#[diagnostic::do_not_recommend]
impl NotificationTarget for Topic {
    fn notification_destination(&self) -> NotificationDestination {
        NotificationDestination::Topic(self.clone())
    }
}

#[diagnostic::do_not_recommend]
impl NotificationTarget for Queue {
    fn notification_destination(&self) -> NotificationDestination {
        NotificationDestination::Queue(self.clone())
    }
}

#[diagnostic::do_not_recommend]
impl NotificationTarget for Function {
    fn notification_destination(&self) -> NotificationDestination {
        NotificationDestination::Function(self.function_arn())
    }
}

#[diagnostic::do_not_recommend]
impl NotificationTarget for DockerImageFunction {
    fn notification_destination(&self) -> NotificationDestination {
        NotificationDestination::Function(self.function_arn())
    }
}

#[diagnostic::do_not_recommend]
impl NotificationTarget for NotificationDestination {
    fn notification_destination(&self) -> NotificationDestination {
        self.clone()
    }
}

/// A bucket's events delivered to a topic, a queue or a function, for keys with a given
/// prefix and suffix:
/// `BucketNotification { bucket: uploads, destination: orders, events: [EventType::ObjectCreated], prefix: "incoming/", suffix: ".jpg" }`.
///
/// The destination gets the permission S3 needs, for this bucket and account only
/// (`aws:SourceArn`, `aws:SourceAccount`): a statement in the topic's or queue's policy,
/// or a function permission `<Id>Permission`. The bucket's notifications are set by one
/// custom resource per bucket, `<Bucket>Notifications` (`Custom::S3BucketNotifications`),
/// which waits for those permissions, through one handler per stack
/// (`StackBucketNotificationsHandler`, its role `StackBucketNotificationsRole` and log
/// group `StackBucketNotificationsLogGroup`). The bucket keeps a generated name, and
/// notifications set outside the stack stay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketNotification {
    id: String,
}

/// Options of a [`BucketNotification`]: `bucket`, `destination` and `events` are required.
#[derive(Clone, Debug, Default)]
pub struct BucketNotificationProps {
    bucket: Option<Bucket>,
    destination: Option<NotificationDestination>,
    events: Vec<EventType>,
    prefix: Option<Value<String>>,
    suffix: Option<Value<String>>,
}

impl BucketNotificationProps {
    /// The bucket whose events are reported, a [`Bucket`] of this stack.
    #[must_use]
    pub fn bucket(mut self, bucket: &Bucket) -> Self {
        self.bucket = Some(bucket.clone());
        self
    }

    /// Where the events go: a `Topic`, a `Queue` or a `Function` of this stack.
    #[must_use]
    pub fn destination(mut self, target: &(impl NotificationTarget + ?Sized)) -> Self {
        self.destination = Some(target.notification_destination());
        self
    }

    /// The events reported, e.g. `[EventType::ObjectCreated]`.
    #[must_use]
    pub fn events(mut self, events: impl IntoIterator<Item = EventType>) -> Self {
        self.events = events.into_iter().collect();
        self
    }

    /// Only keys starting with this, e.g. `"incoming/"`; every key when unset.
    #[must_use]
    pub fn prefix(mut self, prefix: impl IntoValue<String>) -> Self {
        self.prefix = Some(prefix.into_value());
        self
    }

    /// Only keys ending with this, e.g. `".jpg"`; every key when unset.
    #[must_use]
    pub fn suffix(mut self, suffix: impl IntoValue<String>) -> Self {
        self.suffix = Some(suffix.into_value());
        self
    }
}

impl Construct for BucketNotification {
    type Props = BucketNotificationProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: BucketNotificationProps, stack: &mut StackBuilder) {
        let id = &self.id;
        let mut report = |problem: &str| stack.report(format!("notification `{id}`: {problem}"));
        for (option, value) in [("prefix", &props.prefix), ("suffix", &props.suffix)] {
            if let Some(Err(why)) = value.as_ref().and_then(literal_str).map(rules::key_filter) {
                report(&format!("`{option}` {why}"));
            }
        }
        if props.events.is_empty() {
            report("`events` is empty; name at least one, e.g. `[EventType::ObjectCreated]`");
        }
        let (Some(bucket), Some(destination)) = (&props.bucket, &props.destination) else {
            report("needs a `bucket` and a `destination` (a Topic, a Queue or a Function)");
            return;
        };
        if bucket.id.contains('/') {
            report("its bucket belongs to another stack; declare the notification in the bucket's stack");
            return;
        }
        let (kind, arn_key, arn, permission) = match destination {
            NotificationDestination::Topic(topic) => {
                let arn = topic.arn().into_value();
                topic.add_to_resource_policy(stack, s3_may("sns:Publish", arn.clone(), bucket));
                ("TopicConfigurations", "TopicArn", arn, topic.policy_id())
            }
            NotificationDestination::Queue(queue) => {
                let arn = queue.arn().into_value();
                queue.add_to_resource_policy(stack, s3_may("sqs:SendMessage", arn.clone(), bucket));
                ("QueueConfigurations", "QueueArn", arn, queue.policy_id())
            }
            NotificationDestination::Function(function) => {
                let permission_id = format!("{id}Permission");
                let permission = aws::lambda::Permission {
                    action: Some(Value::lit("lambda:InvokeFunction")),
                    function_name: Some(function.clone().into_value()),
                    principal: Some(Value::lit("s3.amazonaws.com")),
                    source_arn: Some(bucket.arn().into_value()),
                    source_account: Some(Value::from_expr(account())),
                    ..Default::default()
                };
                stack.add_resource(&permission_id, &permission);
                (
                    "LambdaFunctionConfigurations",
                    "LambdaFunctionArn",
                    function.clone().into_value(),
                    permission_id,
                )
            }
        };
        let rules: Vec<Expr> = [("prefix", &props.prefix), ("suffix", &props.suffix)]
            .into_iter()
            .filter_map(|(name, value)| {
                let value = value.clone()?;
                Some(obj([("Name", lit(name)), ("Value", value.into_expr())]))
            })
            .collect();
        let mut entry = vec![
            ("Id".to_owned(), lit(&format!("{MANAGED}{id}"))),
            (arn_key.to_owned(), arn.into_expr()),
            (
                "Events".to_owned(),
                Expr::List(props.events.iter().map(|e| lit(e.as_str())).collect()),
            ),
        ];
        if !rules.is_empty() {
            let filter = obj([("Key", obj([("FilterRules", Expr::List(rules))]))]);
            entry.push(("Filter".to_owned(), filter));
        }
        bucket.add_notification(stack, kind, Expr::Map(entry), &permission);
    }
}

impl Bucket {
    /// Adds one notification entry of `kind` (`TopicConfigurations`, ...) to the bucket's
    /// `<Id>Notifications`, which waits for `permission`; the custom resource and the
    /// shared handler on first use. An entry that overlaps one already there is reported:
    /// S3 rejects them.
    fn add_notification(
        &self,
        stack: &mut StackBuilder,
        kind: &str,
        entry: Expr,
        permission: &str,
    ) {
        let resource_id = format!("{}Notifications", self.id);
        if stack.resource_mut(&resource_id).is_none() {
            let service_token = NOTIFICATIONS.service_token(stack);
            NOTIFICATIONS.grant(
                stack,
                Grant::new([
                    self.on_bucket(&["s3:GetBucketNotification", "s3:PutBucketNotification"])
                ]),
            );
            // The bucket is referred to by name, so a generated name stays generated.
            stack.add(
                &resource_id,
                ResourceDecl::new(
                    "Custom::S3BucketNotifications",
                    obj([
                        ("ServiceToken", service_token),
                        ("BucketName", Expr::Ref(self.id.clone())),
                    ]),
                ),
            );
        }
        let mut overlaps = Vec::new();
        if let Some(resource) = stack.resource_mut(&resource_id) {
            if let Expr::Map(properties) = &resource.properties {
                for (_, entries) in properties
                    .iter()
                    .filter(|(k, _)| k.ends_with("Configurations"))
                {
                    if let Expr::List(entries) = entries {
                        overlaps.extend(entries.iter().filter_map(|e| overlap(e, &entry)));
                    }
                }
            }
            resource.push_to_list_property(kind, entry);
            resource.add_dependency(permission);
        }
        for problem in overlaps {
            stack.report(format!("bucket `{}`: {problem}", self.id));
        }
    }
}

/// Allows the S3 service `action` on `resource` for events of `bucket`, in this account.
fn s3_may(action: &str, resource: Value<String>, bucket: &Bucket) -> Statement {
    Statement::allow([action], [resource])
        .with_principal(obj([("Service", lit("s3.amazonaws.com"))]))
        .with_condition(obj([
            (
                "ArnLike",
                obj([("aws:SourceArn", bucket.arn().into_expr())]),
            ),
            ("StringEquals", obj([("aws:SourceAccount", account())])),
        ]))
}

/// `{"Ref": "AWS::AccountId"}`.
fn account() -> Expr {
    Expr::Ref("AWS::AccountId".into())
}

/// Why S3 would reject two notification entries of one bucket side by side: they share an
/// event and a key could match both filters. Filters known only at deploy time are given
/// the benefit of the doubt.
fn overlap(a: &Expr, b: &Expr) -> Option<String> {
    let events = |e: &Expr| -> Vec<String> {
        match field(e, "Events") {
            Some(Expr::List(events)) => events.iter().filter_map(text).collect(),
            _ => Vec::new(),
        }
    };
    let (a_events, b_events) = (events(a), events(b));
    let shared = a_events
        .iter()
        .find(|x| b_events.iter().any(|y| events_overlap(x, y)))?;
    let (a_prefix, b_prefix) = (filter_rule(a, "prefix")?, filter_rule(b, "prefix")?);
    let (a_suffix, b_suffix) = (filter_rule(a, "suffix")?, filter_rule(b, "suffix")?);
    let prefixes_meet = a_prefix.starts_with(&b_prefix) || b_prefix.starts_with(&a_prefix);
    let suffixes_meet = a_suffix.ends_with(&b_suffix) || b_suffix.ends_with(&a_suffix);
    if !(prefixes_meet && suffixes_meet) {
        return None;
    }
    let name = |e: &Expr| {
        field(e, "Id")
            .and_then(text)
            .map(|id| id.trim_start_matches(MANAGED).to_owned())
            .unwrap_or_default()
    };
    Some(format!(
        "notifications `{}` and `{}` overlap: both report `{shared}` for keys that match both filters, which S3 rejects; give them prefixes or suffixes no key matches both of, or events they do not share",
        name(a),
        name(b)
    ))
}

/// The value of `key` in a rendered map.
fn field<'a>(map: &'a Expr, key: &str) -> Option<&'a Expr> {
    match map {
        Expr::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A rendered string literal.
fn text(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// An entry's `prefix` or `suffix` filter: empty when it has none, `None` when it is
/// known only at deploy time.
fn filter_rule(entry: &Expr, name: &str) -> Option<String> {
    let rules = field(entry, "Filter")
        .and_then(|f| field(f, "Key"))
        .and_then(|k| field(k, "FilterRules"));
    let Some(Expr::List(rules)) = rules else {
        return Some(String::new());
    };
    match rules
        .iter()
        .find(|r| field(r, "Name").and_then(text).as_deref() == Some(name))
    {
        Some(rule) => field(rule, "Value").and_then(text),
        None => Some(String::new()),
    }
}
