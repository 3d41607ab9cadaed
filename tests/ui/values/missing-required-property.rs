use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource topic: AWS::SNS::Topic {}
        resource subscription: AWS::SNS::Subscription {
            TopicArn: topic,
        }
    }
}

fn main() {}
