use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource logs: AWS::Logs::LogGroup {
            LogGroupName: "/aws/lambda/order handler",
        }
    }
}

fn main() {}
