use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource queue: AWS::SQS::Queue {
            VisibilityTimeout: "30",
        }
    }
}

fn main() {}
