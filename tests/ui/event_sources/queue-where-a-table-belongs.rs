use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue;
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource changes: DynamoEventSource {
            function: worker,
            table: jobs,
            starting_position: StartingPosition::Latest,
        }
    }
}

fn main() {}
