use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource first: AWS::SQS::Queue {
            RedrivePolicy: { deadLetterTargetArn: second.arn, maxReceiveCount: 3 },
        }
        resource second: AWS::SQS::Queue {
            RedrivePolicy: { deadLetterTargetArn: first.arn, maxReceiveCount: 3 },
        }
    }
}

fn main() {}
