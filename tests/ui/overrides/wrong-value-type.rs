use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: AWS::SQS::Queue {}
        override jobs.VisibilityTimeout = "sixty";
    }
}

fn main() {}
