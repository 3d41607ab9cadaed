use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        resource queue: AWS::SQS::Queue {
            QueueName: format!("{}-queue", photos.name),
        }
    }
}

fn main() {}
