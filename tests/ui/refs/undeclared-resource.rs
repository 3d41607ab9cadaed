use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        resource worker: Function {
            code: Code::asset("lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { BUCKET: photoz.name },
        }
    }
}

fn main() {}
