use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: AWS::S3::Buckt {}
    }
}

fn main() {}
