use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource queue: AWS::SQS::Queue {}
        output queue_arn = queue.queue_arm;
    }
}

fn main() {}
