use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource orders: Table {
            partition_key: Attribute::string("id"),
            stream: StreamViewType::NewImage,
        }
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource changes: DynamoEventSource {
            function: worker,
            table: orders,
            starting_position: StartingPosition::Latest,
            on_failure: orders,
        }
    }
}

fn main() {}
