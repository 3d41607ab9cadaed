use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource jobs: AWS::SQS::Queue {}
        grant worker ["s3:GetObject"] on jobs;
    }
}

fn main() {}
