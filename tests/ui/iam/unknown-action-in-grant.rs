use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource queue: AWS::SQS::Queue {}
        resource worker: Function {
            code: Code::asset("lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        grant worker ["sqs:SendMesage", "sqs:GetQueueUrl"] on queue;
    }
}

fn main() {}
