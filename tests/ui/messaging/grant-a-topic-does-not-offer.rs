use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource orders: Topic;
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        grant worker consume orders;
    }
}

fn main() {}
