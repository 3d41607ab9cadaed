//! The language end to end: parameters, `let`, L1 properties of every shape, references,
//! interpolation, resource attributes, tags and outputs, checked in the template.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

/// Configuration supplied from Rust.
pub struct Config {
    stage: String,
    retention_days: i64,
}

stack! {
    /// A queue, a topic and a table wired together.
    pub stack Language(props: Config) {
        /// The alarm e-mail address.
        #[allowed("ops@example.com", "dev@example.com")]
        param alert_email: String = "ops@example.com";
        param batch_size: i64 = 10;

        let prefix = format!("app-{}", props.stage);

        #[tags(Team = "platform", Stage = &props.stage)]
        resource dead_letters: AWS::SQS::Queue {
            MessageRetentionPeriod: props.retention_days * 86_400,
        }

        #[depends_on(alerts)]
        #[removal_policy(Retain)]
        resource jobs: AWS::SQS::Queue {
            QueueName: sub!("${AWS::StackName}-jobs"),
            VisibilityTimeout: 30,
            RedrivePolicy: { deadLetterTargetArn: dead_letters.arn, maxReceiveCount: batch_size },
        }

        resource alerts: AWS::SNS::Topic {
            TopicName: prefix.clone(),
            Subscription: [{ Endpoint: alert_email, Protocol: "email" }],
        }

        resource table: AWS::DynamoDB::Table {
            TableName: sub!("${prefix}-table"),
            BillingMode: "PAY_PER_REQUEST",
            KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
            AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            Tags: [{ Key: "queue", Value: jobs.queue_name }],
        }

        tag "project" = "language-test";

        /// Where jobs go.
        #[export = "language-jobs-url"]
        output jobs_url = jobs;
        output jobs_arn = sub!("arn is ${jobs.arn}, literal ${!kept}");
        output topic = alerts.topic_arn;
    }
}

fn template() -> Json {
    let config = Config {
        stage: "dev".to_owned(),
        retention_days: 4,
    };
    let stack = Language::new("Language", &config);
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        synthesized.tags,
        vec![("project".to_owned(), "language-test".to_owned())]
    );
    synthesized.template.to_json()
}

#[test]
fn parameters_are_typed_and_described() {
    let t = template();
    assert_eq!(
        t["Parameters"]["AlertEmail"],
        json!({
            "Type": "String",
            "Default": "ops@example.com",
            "Description": "The alarm e-mail address.",
            "AllowedValues": ["ops@example.com", "dev@example.com"]
        })
    );
    assert_eq!(t["Parameters"]["BatchSize"]["Type"], "Number");
    assert_eq!(
        t["Resources"]["Alerts"]["Properties"]["Subscription"][0]["Endpoint"],
        json!({"Ref": "AlertEmail"})
    );
}

#[test]
fn references_lower_to_intrinsics() {
    let t = template();
    let jobs = &t["Resources"]["Jobs"];
    assert_eq!(
        jobs["Properties"]["RedrivePolicy"],
        json!({
            "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]},
            "maxReceiveCount": {"Ref": "BatchSize"}
        })
    );
    assert_eq!(
        jobs["Properties"]["QueueName"],
        json!({"Fn::Sub": "${AWS::StackName}-jobs"})
    );
    assert_eq!(
        t["Resources"]["Table"]["Properties"]["TableName"],
        json!("app-dev-table")
    );
    assert_eq!(
        t["Resources"]["Table"]["Properties"]["Tags"][0]["Value"],
        json!({"Fn::GetAtt": ["Jobs", "QueueName"]})
    );
}

#[test]
fn rust_values_and_resource_attributes_apply() {
    let t = template();
    let dead = &t["Resources"]["DeadLetters"];
    assert_eq!(dead["Properties"]["MessageRetentionPeriod"], json!(345_600));
    assert_eq!(
        dead["Properties"]["Tags"],
        json!([{"Key": "Team", "Value": "platform"}, {"Key": "Stage", "Value": "dev"}])
    );
    let jobs = &t["Resources"]["Jobs"];
    assert_eq!(jobs["DependsOn"], json!("Alerts"));
    assert_eq!(jobs["DeletionPolicy"], json!("Retain"));
    assert_eq!(jobs["UpdateReplacePolicy"], json!("Retain"));
}

#[test]
fn outputs_carry_descriptions_exports_and_interpolation() {
    let t = template();
    assert_eq!(
        t["Outputs"]["JobsUrl"],
        json!({
            "Description": "Where jobs go.",
            "Value": {"Ref": "Jobs"},
            "Export": {"Name": "language-jobs-url"}
        })
    );
    assert_eq!(
        t["Outputs"]["JobsArn"]["Value"],
        json!({"Fn::Sub": "arn is ${Jobs.Arn}, literal ${!kept}"})
    );
    assert_eq!(
        t["Description"],
        json!("A queue, a topic and a table wired together.")
    );
}

#[test]
fn language_stack_is_lint_clean() {
    let config = Config {
        stage: "dev".to_owned(),
        retention_days: 4,
    };
    tests::assert_lint_clean(&Language::new("Language", &config));
}

stack! {
    /// A deploy-time `let` used three times.
    pub stack ReusedLet {
        resource photos: Bucket {}
        let objects = sub!("${photos.arn}/*");
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { OBJECTS: objects, AGAIN: objects },
        }
        output objects_arn = objects;
    }
}

#[test]
fn a_deploy_time_let_is_usable_more_than_once() {
    let t = ReusedLet::new("ReusedLet")
        .synthesized()
        .map(|s| s.template.to_json())
        .unwrap_or_else(|e| panic!("{e}"));
    let variables = &t["Resources"]["Worker"]["Properties"]["Environment"]["Variables"];
    assert_eq!(variables["OBJECTS"], json!({"Fn::Sub": "${Photos.Arn}/*"}));
    assert_eq!(variables["AGAIN"], variables["OBJECTS"]);
    assert_eq!(t["Outputs"]["ObjectsArn"]["Value"], variables["OBJECTS"]);
}

stack! {
    /// A construct's attribute in a typed L1 property: the REST API's root resource is
    /// the parent of an L1 resource.
    pub stack TypedAttributes {
        resource handler: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: LambdaRestApi { handler: handler }
        resource items: AWS::ApiGateway::Resource {
            ParentId: api.root_resource_id,
            PathPart: "items",
            RestApiId: api.rest_api_id,
        }
    }
}

#[test]
fn attributes_that_identify_resources_fit_where_their_ids_belong() {
    let t = TypedAttributes::new("TypedAttributes")
        .synthesized()
        .map(|s| s.template.to_json())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        t["Resources"]["Items"]["Properties"]["ParentId"],
        json!({"Fn::GetAtt": ["Api", "RootResourceId"]})
    );
}
