use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource worker: Function {
            code: Code::asset("lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { RETRIES: 3 },
        }
    }
}

fn main() {}
