use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource table: AWS::DynamoDB::Table {
            KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
            AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            BillingMode: "PAY_PER_REQUST",
        }
    }
}

fn main() {}
