//! Pseudo parameters: values CloudFormation supplies for every stack.

use crate::value::Value;

/// `AWS::AccountId`.
pub fn account_id() -> Value<String> {
    Value::reference("AWS::AccountId")
}

/// `AWS::Region`.
pub fn region() -> Value<String> {
    Value::reference("AWS::Region")
}

/// `AWS::Partition` (`aws`, `aws-cn`, `aws-us-gov`).
pub fn partition() -> Value<String> {
    Value::reference("AWS::Partition")
}

/// `AWS::URLSuffix` (`amazonaws.com` in most partitions).
pub fn url_suffix() -> Value<String> {
    Value::reference("AWS::URLSuffix")
}

/// `AWS::StackName`.
pub fn stack_name() -> Value<String> {
    Value::reference("AWS::StackName")
}

/// `AWS::StackId`.
pub fn stack_id() -> Value<String> {
    Value::reference("AWS::StackId")
}
