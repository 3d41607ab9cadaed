//! [`Table`]: the construct, its attributes and data grants.

use super::attribute::key_schema;
use super::{Attribute, BillingMode, Projection, TableProps};
use crate::aws;
use crate::aws::dynamodb::table;
use crate::constructs::{literal_int, literal_str, Construct};
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, ToExpr, Value};

/// DynamoDB's limit on global secondary indexes per table.
const MAX_GLOBAL_INDEXES: usize = 20;

/// Capacity units used for a provisioned table or index that does not set them.
const DEFAULT_CAPACITY: i64 = 5;

/// A DynamoDB table: on-demand billing, point-in-time recovery on, encrypted at rest
/// (DynamoDB always is), retained when the stack deletes or replaces it.
///
/// One resource, `<Id>` (`AWS::DynamoDB::Table`); indexes live on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    id: String,
}

impl Table {
    /// The table's ARN.
    pub fn arn(&self) -> Value<Arn<kind::dynamodb::Table>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The table's name (`Ref`).
    pub fn name(&self) -> Value<Id<kind::dynamodb::Table>> {
        Value::reference(&self.id)
    }

    /// The ARN of the table's stream; the table needs `stream`.
    pub fn stream_arn(&self) -> Value<Arn<kind::dynamodb::Table>> {
        Value::get_att(&self.id, "StreamArn")
    }

    /// `read`: get, batch-get, query and scan items, check conditions and describe the
    /// table; query and scan its indexes (`${arn}/index/*`).
    pub fn grant_read(&self) -> Grant {
        Grant::new([self.on_table(READ_ACTIONS), self.on_indexes()])
    }

    /// `write`: put, update, delete and batch-write items, check conditions and
    /// describe the table. Indexes are written through the table.
    pub fn grant_write(&self) -> Grant {
        Grant::new([self.on_table(WRITE_ACTIONS)])
    }

    /// `read_write`: `read` and `write` together.
    pub fn grant_read_write(&self) -> Grant {
        let mut actions = READ_ACTIONS.to_vec();
        actions.extend(WRITE_ACTIONS);
        Grant::new([self.on_table(&actions), self.on_indexes()])
    }

    fn on_table(&self, actions: &[&str]) -> Statement {
        Statement::allow(actions.iter().copied(), [self.arn()])
    }

    /// Only the actions that apply to an index.
    fn on_indexes(&self) -> Statement {
        Statement::allow(
            ["dynamodb:Query", "dynamodb:Scan"],
            [Value::concat([
                self.arn().into_value(),
                Value::lit("/index/*"),
            ])],
        )
    }
}

const READ_ACTIONS: &[&str] = &[
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
];

const WRITE_ACTIONS: &[&str] = &[
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];

impl Construct for Table {
    type Props = TableProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: TableProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let mut definitions: Vec<Attribute> = Vec::new();
        let partition_key = props.partition_key.clone().unwrap_or_else(|| {
            stack.report(format!(
                "table `{id}` has no `partition_key`; add e.g. `partition_key: Attribute::string(\"id\")`"
            ));
            Attribute::string("id")
        });
        let table_schema = key_schema(
            stack,
            &format!("table `{id}`"),
            &partition_key,
            props.sort_key.as_ref(),
            &mut definitions,
        );
        if let Some(name) = props.table_name.as_ref().and_then(literal_str) {
            if let Err(why) = stack_spec::rules::dynamodb::table_name(name) {
                stack.report(format!("table `{id}`: `table_name` {why}"));
            }
        }
        let provisioned = props.billing_mode == BillingMode::Provisioned;
        let capacity =
            |read: Option<Value<i64>>, write: Option<Value<i64>>| table::ProvisionedThroughput {
                read_capacity_units: Some(read.unwrap_or_else(|| DEFAULT_CAPACITY.into_value())),
                write_capacity_units: Some(write.unwrap_or_else(|| DEFAULT_CAPACITY.into_value())),
            };
        let any_index_capacity = props
            .global_secondary_indexes
            .iter()
            .any(|i| i.read_capacity.is_some() || i.write_capacity.is_some());
        if !provisioned
            && (props.read_capacity.is_some()
                || props.write_capacity.is_some()
                || any_index_capacity)
        {
            stack.report(format!(
                "table `{id}`: capacity units need `billing_mode: BillingMode::Provisioned`; on-demand tables scale by themselves"
            ));
        }
        for units in [&props.read_capacity, &props.write_capacity]
            .into_iter()
            .flatten()
            .filter_map(literal_int)
        {
            if units < 1 {
                stack.report(format!(
                    "table `{id}`: capacity units must be at least 1, not {units}"
                ));
            }
        }

        if props.global_secondary_indexes.len() > MAX_GLOBAL_INDEXES {
            stack.report(format!(
                "table `{id}` has {} global secondary indexes; DynamoDB allows {MAX_GLOBAL_INDEXES}",
                props.global_secondary_indexes.len()
            ));
        }
        let mut index_names: Vec<String> = Vec::new();
        let mut indexes = Vec::new();
        for index in props.global_secondary_indexes {
            let name = index.index_name.clone();
            let what = format!("index `{name}` of table `{id}`");
            if let Err(why) = stack_spec::rules::dynamodb::table_name(&name) {
                stack.report(format!("table `{id}`: index name {why}"));
            }
            if index_names.contains(&name) {
                stack.report(format!("table `{id}` has two indexes named `{name}`"));
            }
            index_names.push(name.clone());
            let partition = index.partition_key.clone().unwrap_or_else(|| {
                stack.report(format!("{what} has no `partition_key`"));
                Attribute::string("id")
            });
            let schema = key_schema(
                stack,
                &what,
                &partition,
                index.sort_key.as_ref(),
                &mut definitions,
            );
            if let Projection::Include(attributes) = &index.projection {
                if attributes.is_empty() || attributes.len() > 100 {
                    stack.report(format!(
                        "{what}: `Projection::include` takes 1 to 100 attributes"
                    ));
                }
            }
            indexes.push(table::GlobalSecondaryIndex {
                index_name: Some(Value::lit(&name)),
                key_schema: Some(schema),
                projection: Some(index.projection.to_l1()),
                provisioned_throughput: provisioned.then(|| {
                    capacity(
                        index.read_capacity.or_else(|| props.read_capacity.clone()),
                        index
                            .write_capacity
                            .or_else(|| props.write_capacity.clone()),
                    )
                }),
                ..Default::default()
            });
        }

        if props
            .time_to_live_attribute
            .as_ref()
            .is_some_and(String::is_empty)
        {
            stack.report(format!(
                "table `{id}`: `time_to_live_attribute` needs an attribute name"
            ));
        }
        let resource = aws::dynamodb::Table {
            table_name: props.table_name,
            attribute_definitions: Some(
                definitions
                    .iter()
                    .map(|a| table::AttributeDefinition {
                        attribute_name: Some(Value::lit(&a.name)),
                        attribute_type: Some(Value::lit(a.attribute_type.as_str())),
                    })
                    .collect(),
            ),
            key_schema: Some(Value::from_expr(table_schema.to_expr())),
            billing_mode: Some(Value::lit(if provisioned {
                "PROVISIONED"
            } else {
                "PAY_PER_REQUEST"
            })),
            provisioned_throughput: provisioned
                .then(|| capacity(props.read_capacity, props.write_capacity)),
            global_secondary_indexes: (!indexes.is_empty()).then_some(indexes),
            point_in_time_recovery_specification: Some(table::PointInTimeRecoverySpecification {
                point_in_time_recovery_enabled: Some(props.point_in_time_recovery.into_value()),
                ..Default::default()
            }),
            stream_specification: props.stream.map(|view| table::StreamSpecification {
                stream_view_type: Some(Value::lit(view.as_str())),
                ..Default::default()
            }),
            time_to_live_specification: props.time_to_live_attribute.map(|attribute| {
                table::TimeToLiveSpecification {
                    attribute_name: Some(Value::lit(attribute)),
                    enabled: Some(true.into_value()),
                }
            }),
            deletion_protection_enabled: props.deletion_protection.then(|| true.into_value()),
            ..Default::default()
        };
        stack.add_resource(id, &resource).removal_policy =
            Some(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
    }
}

#[cfg(test)]
mod tests {
    // Tables: keys and attribute definitions, indexes, billing, secure defaults, grants.
    use super::super::{GlobalSecondaryIndex, StreamViewType};
    use super::*;
    use crate::expr::Expr;
    use serde_json::{json, Value as Json};

    fn build(props: TableProps) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        Table::declare("CallLog").build(props, &mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"]["CallLog"].clone())
            .map_err(|e| e.problems)
    }

    fn ok(props: TableProps) -> Json {
        build(props).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    fn problems(props: TableProps) -> Vec<String> {
        build(props).err().unwrap_or_default()
    }

    #[test]
    fn chatbot_table_has_its_index_on_request_id() {
        let r = ok(TableProps::default()
            .table_name("db-call-log-for-chatbot")
            .partition_key(Attribute::string("user_id"))
            .sort_key(Attribute::string("request_time"))
            .global_secondary_indexes([GlobalSecondaryIndex::default()
                .index_name("index-type-for-chatbot")
                .partition_key(Attribute::string("request_id"))]));
        assert_eq!(r["DeletionPolicy"], "Retain");
        assert_eq!(r["UpdateReplacePolicy"], "Retain");
        assert_eq!(
            r["Properties"],
            json!({
                "TableName": "db-call-log-for-chatbot",
                "AttributeDefinitions": [
                    {"AttributeName": "user_id", "AttributeType": "S"},
                    {"AttributeName": "request_time", "AttributeType": "S"},
                    {"AttributeName": "request_id", "AttributeType": "S"}
                ],
                "KeySchema": [
                    {"AttributeName": "user_id", "KeyType": "HASH"},
                    {"AttributeName": "request_time", "KeyType": "RANGE"}
                ],
                "BillingMode": "PAY_PER_REQUEST",
                "GlobalSecondaryIndexes": [{
                    "IndexName": "index-type-for-chatbot",
                    "KeySchema": [{"AttributeName": "request_id", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}
                }],
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}
            })
        );
    }

    #[test]
    fn provisioned_table_gives_its_capacity_to_indexes() {
        let r = ok(TableProps::default()
            .partition_key(Attribute::number("id"))
            .billing_mode(BillingMode::Provisioned)
            .read_capacity(10)
            .global_secondary_indexes([
                GlobalSecondaryIndex::default()
                    .index_name("by-owner")
                    .partition_key(Attribute::string("owner"))
                    .sort_key(Attribute::number("id"))
                    .projection(Projection::KeysOnly),
                GlobalSecondaryIndex::default()
                    .index_name("by-blob")
                    .partition_key(Attribute::binary("blob"))
                    .projection(Projection::include(["title"]))
                    .read_capacity(2)
                    .write_capacity(3),
            ])
            .stream(StreamViewType::NewAndOldImages)
            .time_to_live_attribute("expires")
            .deletion_protection(true)
            .point_in_time_recovery(false)
            .removal_policy(RemovalPolicy::Destroy));
        let p = &r["Properties"];
        assert_eq!(p["BillingMode"], "PROVISIONED");
        assert_eq!(
            p["ProvisionedThroughput"],
            json!({"ReadCapacityUnits": 10, "WriteCapacityUnits": 5})
        );
        let indexes = &p["GlobalSecondaryIndexes"];
        assert_eq!(
            indexes[0]["ProvisionedThroughput"],
            json!({"ReadCapacityUnits": 10, "WriteCapacityUnits": 5})
        );
        assert_eq!(
            indexes[1]["ProvisionedThroughput"],
            json!({"ReadCapacityUnits": 2, "WriteCapacityUnits": 3})
        );
        assert_eq!(
            indexes[1]["Projection"],
            json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"]})
        );
        assert_eq!(indexes[0]["Projection"]["ProjectionType"], "KEYS_ONLY");
        assert_eq!(
            p["AttributeDefinitions"],
            json!([
                {"AttributeName": "id", "AttributeType": "N"},
                {"AttributeName": "owner", "AttributeType": "S"},
                {"AttributeName": "blob", "AttributeType": "B"}
            ])
        );
        assert_eq!(
            p["StreamSpecification"],
            json!({"StreamViewType": "NEW_AND_OLD_IMAGES"})
        );
        assert_eq!(
            p["TimeToLiveSpecification"],
            json!({"AttributeName": "expires", "Enabled": true})
        );
        assert_eq!(p["DeletionProtectionEnabled"], true);
        assert_eq!(
            p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
            false
        );
        assert_eq!(r["DeletionPolicy"], "Delete");
    }

    #[test]
    fn grants_scope_index_reads_to_query_and_scan() {
        let table = Table::declare("CallLog");
        let rendered = |grant: Grant| -> Vec<Json> {
            grant
                .statements
                .iter()
                .map(|s| s.to_expr().to_json())
                .collect()
        };
        let read = rendered(table.grant_read());
        assert_eq!(
            read,
            [
                json!({"Effect": "Allow", "Action": [
                    "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
                    "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"
                ], "Resource": {"Fn::GetAtt": ["CallLog", "Arn"]}}),
                json!({"Effect": "Allow", "Action": ["dynamodb:Query", "dynamodb:Scan"],
                    "Resource": {"Fn::Sub": "${CallLog.Arn}/index/*"}})
            ]
        );
        let write = rendered(table.grant_write());
        assert_eq!(write.len(), 1);
        assert_eq!(
            write[0]["Action"],
            json!([
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem"
            ])
        );
        let read_write = rendered(table.grant_read_write());
        assert_eq!(read_write[0]["Action"].as_array().map(Vec::len), Some(10));
        let known = include_str!("../../../../stack-spec/data/iam-actions.txt");
        for grant in [
            table.grant_read(),
            table.grant_write(),
            table.grant_read_write(),
        ] {
            for action in grant.statements.iter().flat_map(|s| &s.actions) {
                assert!(known.lines().any(|l| l == action), "{action}");
            }
        }
        assert_eq!(
            table.stream_arn().expr(),
            &Expr::GetAtt("CallLog".into(), "StreamArn".into())
        );
        assert_eq!(table.name().expr(), &Expr::Ref("CallLog".into()));
    }

    #[test]
    fn mistakes_are_reported() {
        let found = problems(
            TableProps::default()
                .table_name("x")
                .read_capacity(0)
                .global_secondary_indexes([
                    GlobalSecondaryIndex::default()
                        .index_name("dup")
                        .partition_key(Attribute::number("user_id")),
                    GlobalSecondaryIndex::default()
                        .index_name("dup")
                        .partition_key(Attribute::string("a"))
                        .sort_key(Attribute::string("a"))
                        .projection(Projection::include(Vec::<String>::new())),
                ]),
        );
        for needle in [
            "no `partition_key`",
            "`table_name`",
            "BillingMode::Provisioned",
            "at least 1",
            "two indexes named `dup`",
            "also the partition key",
            "1 to 100 attributes",
        ] {
            assert!(
                found.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {found:#?}"
            );
        }
        let found = problems(
            TableProps::default()
                .partition_key(Attribute::string("user_id"))
                .global_secondary_indexes([GlobalSecondaryIndex::default()
                    .index_name("by-user")
                    .partition_key(Attribute::number("user_id"))]),
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("one attribute has one type"),
            "{found:#?}"
        );
    }
}
