use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource clicks: KinesisEventSource {
            function: worker,
            stream_arn: "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks",
            starting_position: StartingPosition::Latest,
            max_record_age: Duration::seconds(30),
        }
    }
}

fn main() {}
