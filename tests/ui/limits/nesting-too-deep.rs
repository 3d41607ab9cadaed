use stack_core::prelude::*;

// A value nested deeper than any template is an error, not a crash of the compiler.
stack! {
    pub stack Demo {
        resource queue: AWS::SQS::Queue {
            RedrivePolicy: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
        }
    }
}

fn main() {}
