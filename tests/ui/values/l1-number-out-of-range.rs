use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource queue: AWS::SQS::Queue {
            VisibilityTimeout: 99999,
            DelaySeconds: 900,
        }
    }
}

fn main() {}
